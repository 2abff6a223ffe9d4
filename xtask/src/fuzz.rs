//! `cargo xtask fuzz [SECONDS]`: runs every cargo-fuzz target in `fuzz/` for
//! a bounded time (60 s each by default).
//!
//! Installs cargo-fuzz from crates.io when missing and uses the nightly
//! toolchain (libFuzzer's instrumentation needs it). A target that finds a
//! crash fails the run; its input is copied into `fuzz/regressions/<target>/`
//! so the regression test (`tests/tests/fuzz_regressions.rs`) keeps
//! replaying it after the bug is fixed. The seeds (`fuzz/seeds/<target>/`)
//! and kept regressions are read as extra corpus directories; new corpus
//! entries go to the untracked `fuzz/corpus/<target>/`.

use std::path::Path;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let seconds: u64 = match args.first() {
        Some(s) => s
            .parse()
            .map_err(|_| format!("not a number of seconds: {s}"))?,
        None => 60,
    };
    let root = crate::root();
    let fuzz = root.join("fuzz");
    ensure_cargo_fuzz()?;
    let targets = list_targets(&fuzz)?;
    let mut failed = Vec::new();
    for target in &targets {
        println!("== fuzz {target} for {seconds} s");
        let corpus = fuzz.join("corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let extra = [
            fuzz.join("seeds").join(target),
            fuzz.join("regressions").join(target),
        ];
        // cargo-fuzz hands its corpus arguments to libFuzzer after the flags,
        // in this order; libFuzzer writes new inputs into the first one only.
        let mut cmd = Command::new("cargo");
        cmd.args(["+nightly", "fuzz", "run", target])
            .arg(&corpus)
            .args(extra.iter().filter(|d| d.is_dir()))
            .current_dir(&root)
            // The fuzz crate builds into its own `fuzz/target` (other flags).
            .env_remove("CARGO_TARGET_DIR")
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg("-rss_limit_mb=2048")
            .arg("-max_len=65536")
            // An input that takes this long is a denial of service: a crash.
            .arg("-timeout=10");
        let status = cmd.status().map_err(|e| format!("cargo fuzz: {e}"))?;
        if !status.success() {
            keep_artifacts(&fuzz, target)?;
            failed.push(target.clone());
        }
    }
    if failed.is_empty() {
        println!(
            "{} fuzz target(s) ran clean for {seconds} s each",
            targets.len()
        );
        Ok(())
    } else {
        Err(format!(
            "fuzz targets found crashes: {} (inputs kept under fuzz/regressions/)",
            failed.join(", ")
        ))
    }
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    println!("installing cargo-fuzz");
    let status = Command::new("cargo")
        .args(["install", "--locked", "cargo-fuzz"])
        .status()
        .map_err(|e| format!("cargo install cargo-fuzz: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("cargo install cargo-fuzz failed".into())
    }
}

fn list_targets(fuzz: &Path) -> Result<Vec<String>, String> {
    let dir = fuzz.join("fuzz_targets");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Copies crash inputs into the checked-in regression directory.
fn keep_artifacts(fuzz: &Path, target: &str) -> Result<(), String> {
    let artifacts = fuzz.join("artifacts").join(target);
    let keep = fuzz.join("regressions").join(target);
    std::fs::create_dir_all(&keep).map_err(|e| format!("{}: {e}", keep.display()))?;
    if let Ok(entries) = std::fs::read_dir(&artifacts) {
        for e in entries.filter_map(Result::ok) {
            let to = keep.join(e.file_name());
            std::fs::copy(e.path(), &to).map_err(|err| format!("{}: {err}", to.display()))?;
            println!("kept {}", to.display());
        }
    }
    Ok(())
}
