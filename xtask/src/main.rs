//! Developer commands, run as `cargo xtask <command>`:
//!
//! - `codegen [--check]` regenerates every crate in `generated-client/` from
//!   `models/` and the protocol-suite modules in `tests/`; `--check` writes
//!   nothing and fails naming every stale file.
//! - `scale [--keep-going]` generates every botocore service into a scratch
//!   workspace and runs `cargo check` on each crate.
//! - `ci-scale` is CI's part of `scale`: generate all services, check a fixed
//!   sample of the largest; both then run every service's endpoint test cases.
//! - `endpoint-cases [SERVICE...]` runs only the endpoint test cases of every
//!   (or the named) botocore service through the generator's IR.
//! - `bench [codegen|throughput|compile|all]` measures against aws-sdk-rust and
//!   writes BENCHMARKS.md.
//! - `fuzz [SECONDS]` runs every fuzz target for a bounded time.
//! - `equivalence [--check]` compares the Smithy and botocore front ends on
//!   the shared Smithy models and writes `tests/smithy/EQUIVALENCE.md`.
//! - `quickstart` follows the README's quick start in a scratch project
//!   outside the repository and runs the program against a local fake.
//! - `update-models --botocore-data DIR [SERVICE...]` takes newer models from
//!   botocore, diffs, bumps versions, writes changelogs and regenerates.
//! - `model-history [--ci] [--negative]` diffs real botocore history and
//!   checks the non-breaking verdicts with the compiler.

mod bench;
mod codegen;
mod equivalence;
mod fuzz;
mod manifest;
mod model_history;
mod quickstart;
mod scale;
mod update_models;

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
        "endpoint-cases" => scale::endpoint_cases_cmd(rest),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest),
        "equivalence" => equivalence::run(rest),
        "quickstart" => quickstart::run(rest),
        "update-models" => update_models::run(rest),
        "model-history" => model_history::run(rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <codegen [--check] | scale | ci-scale | endpoint-cases [SERVICE...] | bench [codegen|throughput|compile|client|transfer|first-run|all] | fuzz [SECONDS] | quickstart | update-models --botocore-data DIR [SERVICE...] | model-history [--ci] [--negative] | equivalence [--check]>"
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

/// The read-only shared data directory (`shared/` beside the repository,
/// `BOTOGEN_SHARED` to override): `../shared` from a clone, `../../shared`
/// from a worktree under `wt/`.
pub fn shared() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("BOTOGEN_SHARED") {
        return Ok(PathBuf::from(dir));
    }
    let root = root();
    [root.join("../shared"), root.join("../../shared")]
        .into_iter()
        .find(|p| p.join("smithy-models").is_dir())
        .ok_or_else(|| {
            format!(
                "no shared/ directory beside {} (set BOTOGEN_SHARED)",
                root.display()
            )
        })
}
