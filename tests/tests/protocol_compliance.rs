//! The protocol compliance harness: runs every case of botocore's suites
//! (`tests/protocol/`) against the generated modules in `generated/`.
//!
//! `cargo test -p botogen-tests --test protocol_compliance [-- FILTER...]`;
//! see `tests/protocol/README.md`.

// Generated code: not formatted by rustfmt (freshness is checked byte for
// byte) and not linted (unused items are expected in per-suite modules).
#[rustfmt::skip]
#[allow(warnings, clippy::all, clippy::pedantic)]
mod generated;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    botogen_tests::runner::run(generated::SUITES, &args)
}
