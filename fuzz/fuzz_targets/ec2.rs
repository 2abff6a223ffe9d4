//! Fuzzes the ec2 response parser (see botogen_fuzz::targets).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = botogen_fuzz::targets::run("ec2", data);
});
