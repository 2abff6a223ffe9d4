//! Fuzzes the rest_xml response parser (see botogen_fuzz::targets).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = botogen_fuzz::targets::run("rest_xml", data);
});
