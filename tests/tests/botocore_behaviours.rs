//! botocore behaviours outside its own protocol suites (`tests/behaviours/`,
//! expectations computed by botocore itself with `make_cases.py`), run by
//! the compliance harness against the generated modules in `behaviours/`.
//!
//! `cargo test -p botogen-tests --test botocore_behaviours [-- FILTER...]`.

// Generated code: not formatted by rustfmt (freshness is checked byte for
// byte) and not linted (unused items are expected in per-suite modules).
#[rustfmt::skip]
#[allow(warnings, clippy::all, clippy::pedantic)]
mod behaviours;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    botogen_tests::runner::run_in(
        &botogen_tests::convert::behaviours_dir(),
        behaviours::SUITES,
        &args,
    )
}
