//! `cargo xtask scale`: every botocore service, generated and checked.
//! `cargo xtask scale --smithy DIR [MODEL...]`: every Smithy JSON AST model
//! under `DIR` (e.g. a checkout of aws/api-models-aws, or
//! `../shared/smithy-models`), generated and checked the same way.
//!
//! Installs botocore 1.44.5 into a scratch virtualenv when no botocore data
//! directory is given (`BOTOCORE_DATA`), generates every service with the
//! release `botogen generate-all` into `target/scale/crates/`, writes a scratch
//! workspace over them with one shared target directory, and runs
//! `cargo check` (warnings denied) crate by crate, printing a status line per
//! service and totals. `ci-scale` does the generation of all services and
//! checks a fixed sample: the ten largest models.
//!
//! Both then run the endpoint test cases of every service
//! ([`endpoint_cases`]): botocore's cases from `../shared/endpoint-tests`,
//! through the generator's IR (the binding data the generated statics are
//! emitted from) and the runtime's evaluator, without compiling 439 crates'
//! tests. Every case's line goes to `target/scale/endpoint-cases.txt`;
//! failures, skips and a line per service are printed. `ci-scale` also runs
//! every shared Smithy model's own cases (`smithy.rules#endpointTests`)
//! through the Smithy front end's IR ([`smithy_endpoint_cases`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub const BOTOCORE_VERSION: &str = "1.44.5";

/// The ten largest botocore 1.44.5 models by shape count, checked in CI.
const LARGEST: &[&str] = &[
    "ec2",
    "sagemaker",
    "quicksight",
    "connect",
    "glue",
    "securityhub",
    "iot",
    "bedrock-agentcore-control",
    "ssm",
    "datazone",
];

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(i) = args.iter().position(|a| a == "--smithy") {
        let dir = args
            .get(i + 1)
            .ok_or("usage: cargo xtask scale --smithy DIR [MODEL...]")?;
        let only: Vec<String> = args[i + 2..].to_vec();
        return smithy(Path::new(dir), &only).map(|_| ());
    }
    let only: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (data, crates) = generate()?;
    let mut services = list_dirs(&crates)?;
    if !only.is_empty() {
        services.retain(|s| only.contains(&s));
    }
    let checked = check(&crates, &services);
    let only: Vec<String> = only.into_iter().cloned().collect();
    let cases = endpoint_cases(&data, &only);
    checked.and(cases)
}

pub fn ci(_args: &[String]) -> Result<(), String> {
    let (data, crates) = generate()?;
    let services: Vec<String> = LARGEST.iter().map(|s| s.to_string()).collect();
    let checked = check(&crates, &services);
    let cases = endpoint_cases(&data, &[]);
    // The Smithy front end: every shared model generates; three check
    // (one per family of protocols: JSON, XML with event streams, query).
    let shared = crate::shared()?.join("smithy-models");
    let smithy = smithy(
        &shared,
        &SMITHY_CI.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    )
    .map(|_| ());
    let smithy_cases = smithy_endpoint_cases(&shared, &[]);
    checked.and(cases).and(smithy).and(smithy_cases)
}

/// `cargo xtask endpoint-cases [SERVICE...]`: the endpoint cases only;
/// `--smithy DIR [MODEL...]`: a directory of Smithy models' own cases.
pub fn endpoint_cases_cmd(args: &[String]) -> Result<(), String> {
    if let Some(i) = args.iter().position(|a| a == "--smithy") {
        let dir = args
            .get(i + 1)
            .ok_or("usage: cargo xtask endpoint-cases --smithy DIR [MODEL...]")?;
        return smithy_endpoint_cases(Path::new(dir), &args[i + 2..]);
    }
    let root = crate::root();
    let data = botocore_data(&root.join("target").join("scale"))?;
    endpoint_cases(&data, args)
}

/// Runs the endpoint test cases of every service in `data` (or `only`).
pub fn endpoint_cases(data: &Path, only: &[String]) -> Result<(), String> {
    let cases_dir = botogen_tests::endpoints::default_cases_dir();
    summarize_cases("endpoint-cases.txt", "services", &mut |print| {
        botogen_tests::endpoints::run_all(data, &cases_dir, only, print)
    })
}

/// Runs every Smithy model's own endpoint test cases
/// (`smithy.rules#endpointTests`) under `dir` (or the file stems in `only`)
/// through the Smithy front end's IR.
pub fn smithy_endpoint_cases(dir: &Path, only: &[String]) -> Result<(), String> {
    let models = smithy_models(dir)?;
    summarize_cases("smithy-endpoint-cases.txt", "Smithy models", &mut |print| {
        Ok(botogen_tests::endpoints::run_smithy_all(
            &models, only, print,
        ))
    })
}

/// Runs a set of endpoint cases, each line going to the printer it is given.
type RunCases<'a> =
    dyn FnMut(&mut dyn FnMut(&str)) -> Result<Vec<botogen_tests::endpoints::Report>, String> + 'a;

/// Runs `reports`, logging every case line to `target/scale/<log>` and
/// printing failures, skips, one line per service and the totals; an error
/// if any case failed or was skipped.
fn summarize_cases(log: &str, what: &str, reports: &mut RunCases<'_>) -> Result<(), String> {
    use std::io::Write;
    let started = Instant::now();
    let log_path = crate::root().join("target/scale").join(log);
    if let Some(dir) = log_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut log = std::io::BufWriter::new(
        std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?,
    );
    let mut print = |line: &str| {
        let _ = writeln!(log, "{line}");
        if !line.starts_with("ok ") {
            println!("{line}");
        }
    };
    let reports = reports(&mut print)?;
    let mut summary = String::new();
    for r in &reports {
        summary.push_str(&r.summary());
        summary.push('\n');
    }
    let passed: usize = reports.iter().map(|r| r.passed).sum();
    let failed: usize = reports.iter().map(|r| r.failed.len()).sum();
    let skipped: usize = reports.iter().map(|r| r.skipped.len()).sum();
    let clean = reports
        .iter()
        .filter(|r| r.failed.is_empty() && r.skipped.is_empty())
        .count();
    // Failures listed in tests/endpoints/known-failures.txt are expected;
    // a listed case that now passes must be taken off the list.
    let known = botogen_tests::endpoints::known_failures()?;
    let sources: std::collections::BTreeSet<&str> =
        reports.iter().map(|r| r.service.as_str()).collect();
    let mut expected = 0;
    let mut unexpected = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (name, why) in reports.iter().flat_map(|r| &r.failed) {
        let key = botogen_tests::endpoints::case_key(name);
        match known.get(&key) {
            Some(reason) => {
                expected += 1;
                seen.insert(key);
                let _ = writeln!(log, "known failure ({reason}): {name}: {why}");
            }
            None => unexpected.push(name.clone()),
        }
    }
    let stale: Vec<&String> = known
        .keys()
        .filter(|k| {
            k.split_whitespace()
                .next()
                .is_some_and(|src| sources.contains(src))
                && !seen.contains(*k)
        })
        .collect();
    for k in &stale {
        println!("known failure now passes (take it off tests/endpoints/known-failures.txt): {k}");
    }
    let total = format!(
        "endpoint cases: {passed} passed, {failed} failed ({expected} known, listed in \
         tests/endpoints/known-failures.txt), {skipped} skipped; {clean} of {} {what} pass \
         every case ({:.1?})",
        reports.len(),
        started.elapsed()
    );
    print!("{summary}");
    println!("{total}");
    let _ = writeln!(log, "{summary}{total}");
    let _ = log.flush();
    println!("every case: {}", log_path.display());
    if unexpected.is_empty() && skipped == 0 && stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} endpoint case(s) failed unexpectedly, {skipped} skipped, {} known failure(s) now pass",
            unexpected.len(),
            stale.len()
        ))
    }
}

/// The shared Smithy models `ci-scale` checks (by file stem).
const SMITHY_CI: &[&str] = &["sqs", "s3", "cloudwatch-2010-08-01"];

/// Every `*.json` under `dir` that is a Smithy JSON AST (a `"smithy"` key
/// near the top), sorted.
fn smithy_models(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                let mut head = [0u8; 256];
                let n = std::io::Read::read(
                    &mut std::fs::File::open(&p).map_err(|e| format!("{}: {e}", p.display()))?,
                    &mut head,
                )
                .map_err(|e| e.to_string())?;
                if String::from_utf8_lossy(&head[..n]).contains("\"smithy\"") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Generates every Smithy model under `dir` into `target/scale-smithy/`
/// and checks each crate (or only the models named by file stem).
/// Returns how many generated and checked.
pub fn smithy(dir: &Path, only: &[String]) -> Result<usize, String> {
    let root = crate::root();
    let scratch = root.join("target").join("scale-smithy");
    let crates = scratch.join("crates");
    let models = smithy_models(dir)?;
    println!("{}: {} Smithy models", dir.display(), models.len());
    run_cmd(
        Command::new("cargo")
            .args(["build", "--release", "--quiet", "-p", "botogen"])
            .current_dir(&root),
        "building botogen",
    )?;
    let started = Instant::now();
    let botogen = root.join("target/release/botogen");
    let runtime = root.join("runtime");
    let mut failed = Vec::new();
    let mut packages = Vec::new();
    for m in &models {
        let stem = m
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("model")
            .to_string();
        let out_dir = crates.join(&stem);
        let out = Command::new(&botogen)
            .arg("generate")
            .arg("--model")
            .arg(m)
            .arg("--out")
            .arg(&out_dir)
            .arg("--runtime-path")
            .arg(&runtime)
            .output()
            .map_err(|e| format!("running botogen: {e}"))?;
        if !out.status.success() {
            println!(
                "{stem}: generation FAILED: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            failed.push(stem);
            continue;
        }
        let manifest = std::fs::read_to_string(out_dir.join("Cargo.toml"))
            .map_err(|e| format!("{}: {e}", out_dir.display()))?;
        let package = manifest
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .and_then(|l| l.strip_suffix('"'))
            .ok_or_else(|| format!("{}: no package name", out_dir.display()))?
            .to_string();
        packages.push((stem, package));
    }
    println!(
        "generated {} of {} Smithy models in {:.2?}",
        packages.len(),
        models.len(),
        started.elapsed()
    );
    let mut manifest = String::from(
        "# Written by `cargo xtask scale --smithy`.\n[workspace]\nresolver = \"3\"\nmembers = [",
    );
    let names: Vec<String> = packages
        .iter()
        .map(|(s, _)| format!("\"crates/{s}\""))
        .collect();
    manifest.push_str(&names.join(", "));
    manifest.push_str("]\n\n[profile.dev]\ndebug = 0\nincremental = false\n");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    std::fs::write(scratch.join("Cargo.toml"), manifest)
        .map_err(|e| format!("{}: {e}", scratch.display()))?;
    let selected: Vec<(String, String)> = packages
        .into_iter()
        .filter(|(stem, _)| only.is_empty() || only.contains(stem))
        .collect();
    let checked = check_packages(&scratch, &selected)?;
    println!(
        "{checked} of {} Smithy models generated and checked warning-free ({} failed to generate)",
        if only.is_empty() {
            models.len()
        } else {
            selected.len()
        },
        failed.len()
    );
    if failed.is_empty() && checked == selected.len() {
        Ok(checked)
    } else {
        Err(format!(
            "Smithy scale: {} failed to generate, {} failed to check",
            failed.len(),
            selected.len() - checked
        ))
    }
}

/// Generates every service; returns the botocore data dir and the crates dir.
fn generate() -> Result<(PathBuf, PathBuf), String> {
    let root = crate::root();
    let scratch = root.join("target").join("scale");
    let data = botocore_data(&scratch)?;
    describe_data_dir(&data)?;
    let crates = scratch.join("crates");
    run_cmd(
        Command::new("cargo")
            .args(["build", "--release", "--quiet", "-p", "botogen"])
            .current_dir(&root),
        "building botogen",
    )?;
    let started = Instant::now();
    let runtime = root.join("runtime");
    run_cmd(
        Command::new(root.join("target/release/botogen"))
            .arg("generate-all")
            .arg("--botocore-data")
            .arg(&data)
            .arg("--out")
            .arg(&crates)
            .arg("--runtime-path")
            .arg(&runtime),
        "botogen generate-all",
    )?;
    println!("generate-all took {:.2?}", started.elapsed());
    write_workspace(&scratch, &crates)?;
    Ok((data, crates))
}

/// Prints what the data directory holds: botocore 1.44.5 has 443 entries,
/// 439 service directories plus 4 shared JSON files (endpoints, partitions,
/// retry and default-configuration data), which are not services.
fn describe_data_dir(data: &Path) -> Result<(), String> {
    let mut files: Vec<String> = std::fs::read_dir(data)
        .map_err(|e| format!("{}: {e}", data.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    files.sort();
    let services = list_dirs(data)?.len();
    println!(
        "{}: {} entries = {services} service directories + {} shared files ({})",
        data.display(),
        services + files.len(),
        files.len(),
        files.join(", ")
    );
    Ok(())
}

/// `BOTOCORE_DATA`, else an installed botocore of the right version, else a
/// scratch virtualenv with it.
pub fn botocore_data(scratch: &Path) -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var("BOTOCORE_DATA") {
        return Ok(PathBuf::from(dir));
    }
    let venv = scratch.join("venv");
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        println!(
            "creating {} with botocore {BOTOCORE_VERSION}",
            venv.display()
        );
        run_cmd(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv",
        )?;
        run_cmd(
            Command::new(&python).args([
                "-m",
                "pip",
                "install",
                "--quiet",
                &format!("botocore=={BOTOCORE_VERSION}"),
            ]),
            "pip install botocore",
        )?;
    }
    let out = Command::new(&python)
        .args(["-c", "import botocore, os; print(botocore.__version__); print(os.path.join(os.path.dirname(botocore.__file__), 'data'))"])
        .output()
        .map_err(|e| format!("running {}: {e}", python.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let version = lines.next().unwrap_or_default();
    if version != BOTOCORE_VERSION {
        return Err(format!(
            "{} has botocore {version}, expected {BOTOCORE_VERSION}",
            venv.display()
        ));
    }
    lines
        .next()
        .map(PathBuf::from)
        .ok_or_else(|| "botocore data directory not found".into())
}

/// A workspace over every generated crate so they share one target directory.
fn write_workspace(scratch: &Path, crates: &Path) -> Result<(), String> {
    let manifest = "# Written by `cargo xtask scale`.\n[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n\n[profile.dev]\ndebug = 0\nincremental = false\n";
    std::fs::write(scratch.join("Cargo.toml"), manifest)
        .map_err(|e| format!("{}: {e}", scratch.display()))?;
    let _ = crates;
    Ok(())
}

/// `cargo check` each crate with warnings denied; a line per crate, then totals.
fn check(crates: &Path, services: &[String]) -> Result<(), String> {
    let scratch = crates.parent().unwrap_or(crates);
    let packages: Vec<(String, String)> = services
        .iter()
        .map(|s| (s.clone(), format!("botogen-{s}")))
        .collect();
    let ok = check_packages(scratch, &packages)?;
    if ok == packages.len() {
        Ok(())
    } else {
        Err(format!(
            "cargo check failed for {} services",
            packages.len() - ok
        ))
    }
}

/// `cargo check` each (label, package) in the workspace at `scratch`;
/// returns how many passed.
fn check_packages(scratch: &Path, packages: &[(String, String)]) -> Result<usize, String> {
    let services = packages;
    let started = Instant::now();
    let mut failed = Vec::new();
    for (i, (service, package)) in services.iter().enumerate() {
        let t = Instant::now();
        let out = Command::new("cargo")
            // The library only: generated crates have no tests of their own,
            // and `--all-targets` would type-check every crate twice.
            .args(["check", "--quiet", "-p", package])
            .env("RUSTFLAGS", "-D warnings")
            .current_dir(scratch)
            .output()
            .map_err(|e| format!("running cargo: {e}"))?;
        // All 439 crates' metadata would take many GB (and CI runs on a
        // machine whose disk other jobs share); keep only the shared
        // dependencies between checks.
        let _ = Command::new("cargo")
            .args(["clean", "--quiet", "-p", package])
            .current_dir(scratch)
            .status();
        let status = if out.status.success() { "ok" } else { "FAILED" };
        println!(
            "[{}/{}] {service}: {status} ({:.1?})",
            i + 1,
            services.len(),
            t.elapsed()
        );
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            for line in err.lines().take(20) {
                println!("    {line}");
            }
            failed.push(service.clone());
        }
    }
    println!(
        "{} of {} services generated and checked warning-free in {:.1?}",
        services.len() - failed.len(),
        services.len(),
        started.elapsed()
    );
    if !failed.is_empty() {
        println!("cargo check failed for: {}", failed.join(", "));
    }
    Ok(services.len() - failed.len())
}

fn list_dirs(dir: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    names.sort();
    Ok(names)
}

fn run_cmd(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
