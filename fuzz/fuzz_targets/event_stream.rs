//! Fuzzes the event-stream frame decoder and the typed event decode (see botogen_fuzz::targets).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = botogen_fuzz::targets::run("event_stream", data);
});
