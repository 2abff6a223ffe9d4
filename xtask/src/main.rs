//! Developer commands, run as `cargo xtask <command>`:
//!
//! - `codegen [--check]` regenerates every crate in `generated-client/` from
//!   `models/` and the protocol-suite modules in `tests/`; `--check` writes
//!   nothing and fails naming every stale file.
//! - `scale [--keep-going]` generates every botocore service into a scratch
//!   workspace and runs `cargo check` on each crate.
//! - `ci-scale` is CI's part of `scale`: generate all services, check a fixed
//!   sample of the largest.
//! - `bench [codegen|throughput|compile|all]` measures against aws-sdk-rust and
//!   writes BENCHMARKS.md.
//! - `fuzz [SECONDS]` runs every fuzz target for a bounded time.
//! - `quickstart` follows the README's quick start in a scratch project
//!   outside the repository and runs the program against a local fake.

mod bench;
mod codegen;
mod fuzz;
mod quickstart;
mod scale;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match args.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => ("help", &[][..]),
    };
    let result = match cmd {
        "codegen" => codegen::run(rest),
        "scale" => scale::run(rest),
        "ci-scale" => scale::ci(rest),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest),
        "quickstart" => quickstart::run(rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <codegen [--check] | scale | ci-scale | bench [codegen|throughput|compile|all] | fuzz [SECONDS] | quickstart>"
            );
            return if cmd == "help" {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}
