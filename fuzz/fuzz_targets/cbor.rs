//! Fuzzes the cbor response parser (see botogen_fuzz::targets).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = botogen_fuzz::targets::run("cbor", data);
});
