//! `cargo xtask model-history [--ci] [--negative] [--old VERSION] [SERVICE...]`:
//! `botogen diff` on real model history, checked by the compiler.
//!
//! Installs botocore `--old` (default 1.35.0, August 2024) into
//! `target/model-history/venv-<version>` and uses botocore 1.44.5 from
//! `cargo xtask scale`'s virtualenv for the new side. For each service
//! (default: dynamodb, s3, ec2, connectparticipant) it diffs the two models,
//! writes the reports to `target/model-history/reports/`, generates a crate
//! from each model, writes the probe (user code against the old API,
//! leaving out items with breaking changes; see `botogen::diff::probe`) and
//! `cargo check`s it against the old crate (the probe is valid) and the new
//! one (the non-breaking verdicts hold).
//!
//! `--ci` keeps every service but cuts s3 and ec2 to a few operations
//! (`--operations`), so CI does not type-check ec2 twice. `--negative` also
//! builds the left-out items against the new crate and lists which breaking
//! verdicts the compiler confirms.

use botogen::diff::probe::{self, Probe, ProbeOptions};
use botogen::diff::{Affects, Level};
use botogen::{GenerateOptions, ModelSource};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const DEFAULT_OLD: &str = "1.35.0";
const SERVICES: &[&str] = &["dynamodb", "s3", "ec2", "connectparticipant"];

/// `--ci`: operations kept per large service, chosen so the subsets still
/// cover the kinds of change the full run reports (new optional members,
/// enum values, errors, retyped and now-optional members).
fn ci_operations(service: &str) -> Option<Vec<String>> {
    let ops: &[&str] = match service {
        "s3" => &[
            "GetObject",
            "PutObject",
            "ListObjectsV2",
            "CreateBucket",
            "PutBucketLifecycleConfiguration",
            "HeadObject",
        ],
        "ec2" => &[
            "RunInstances",
            "DescribeInstances",
            "CreateVolume",
            "AttachNetworkInterface",
            "CreateLaunchTemplate",
            "DescribeImages",
            "ModifyInstanceAttribute",
        ],
        _ => return None,
    };
    Some(ops.iter().map(|s| s.to_string()).collect())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut ci = false;
    let mut negative = false;
    let mut old_version = DEFAULT_OLD.to_string();
    let mut services: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ci" => ci = true,
            "--negative" => negative = true,
            "--old" => old_version = it.next().cloned().ok_or("--old needs a botocore version")?,
            s if s.starts_with("--") => {
                return Err(format!(
                    "unknown option `{s}`; usage: cargo xtask model-history [--ci] [--negative] [--old VERSION] [SERVICE...]"
                ));
            }
            s => services.push(s.to_string()),
        }
    }
    if services.is_empty() {
        services = SERVICES.iter().map(|s| s.to_string()).collect();
    }
    let root = crate::root();
    let scratch = root.join("target").join("model-history");
    let old_data = install(&scratch, &old_version)?;
    let new_data = crate::scale::botocore_data(&root.join("target").join("scale"))?;
    println!(
        "old: botocore {old_version} ({})\nnew: botocore {} ({})",
        old_data.display(),
        crate::scale::BOTOCORE_VERSION,
        new_data.display()
    );
    let started = Instant::now();
    let work = scratch.join("work");
    if work.exists() {
        std::fs::remove_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    }
    let reports = scratch.join("reports");
    std::fs::create_dir_all(&reports).map_err(|e| e.to_string())?;
    let mut plans = Vec::new();
    for service in &services {
        plans.push(prepare(
            &root,
            &work,
            &reports,
            service,
            &old_data,
            &new_data,
            if ci { ci_operations(service) } else { None },
            negative,
        )?);
    }
    write_workspace(&root, &work)?;
    let mut failed = Vec::new();
    for p in &plans {
        let t = Instant::now();
        let old_ok = check(&work, &format!("probe-{}-old", p.service))?;
        let t_old = t.elapsed();
        let t = Instant::now();
        let new_ok = check(&work, &format!("probe-{}-new", p.service))?;
        let t_new = t.elapsed();
        println!(
            "{}: {} probe functions ({} items left out as breaking): old API {} ({:.1?}), new API {} ({:.1?})",
            p.service,
            p.probe.functions.len(),
            p.skipped,
            if old_ok.is_ok() { "compiles" } else { "FAILS" },
            t_old,
            if new_ok.is_ok() { "compiles" } else { "FAILS" },
            t_new
        );
        for (what, r) in [("old", &old_ok), ("new", &new_ok)] {
            if let Err(lines) = r {
                for l in lines.iter().take(30) {
                    println!("    {l}");
                }
                failed.push(format!("{} ({what})", p.service));
            }
        }
        if let Some(neg) = &p.negative {
            negative_check(&work, p, neg)?;
        }
    }
    println!(
        "model-history: {} service(s) in {:.1?}; reports in {}",
        plans.len(),
        started.elapsed(),
        reports.display()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the probe does not compile for: {}",
            failed.join(", ")
        ))
    }
}

/// A scratch virtualenv with `botocore==version`; returns its data directory.
fn install(scratch: &Path, version: &str) -> Result<PathBuf, String> {
    let venv = scratch.join(format!("venv-{version}"));
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        println!("creating {} with botocore {version}", venv.display());
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
                &format!("botocore=={version}"),
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
    if lines.next() != Some(version) {
        return Err(format!(
            "{} does not hold botocore {version}",
            venv.display()
        ));
    }
    lines
        .next()
        .map(PathBuf::from)
        .ok_or_else(|| "botocore data directory not found".into())
}

fn run_cmd(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// The newest API version's `service-2.json(.gz)` of a service.
fn model_path(data: &Path, service: &str) -> Result<PathBuf, String> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir(data.join(service))
        .map_err(|e| format!("{}/{service}: {e}", data.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    versions.sort();
    versions
        .iter()
        .rev()
        .flat_map(|v| ["service-2.json", "service-2.json.gz"].map(|n| v.join(n)))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("{}: no model for {service}", data.display()))
}

struct Plan {
    service: String,
    probe: Probe,
    skipped: usize,
    negative: Option<(Probe, Vec<botogen::diff::Change>)>,
}

#[allow(clippy::too_many_arguments)]
fn prepare(
    root: &Path,
    work: &Path,
    reports: &Path,
    service: &str,
    old_data: &Path,
    new_data: &Path,
    operations: Option<Vec<String>>,
    negative: bool,
) -> Result<Plan, String> {
    let (old_model, new_model) = (
        model_path(old_data, service)?,
        model_path(new_data, service)?,
    );
    let opts = |path: &Path| {
        let mut o = GenerateOptions::new(ModelSource::Path(path.to_path_buf()));
        o.operations = operations.clone();
        o
    };
    let old = botogen::load(&opts(&old_model)).map_err(|e| e.to_string())?;
    let new = botogen::load(&opts(&new_model)).map_err(|e| e.to_string())?;
    let report = botogen::diff::diff(&old, &new);
    let suffix = if operations.is_some() { "-subset" } else { "" };
    for (ext, text) in [
        ("txt", report.to_text(Some("0.1.0"))),
        ("json", report.to_json()),
    ] {
        let p = reports.join(format!("{service}{suffix}.{ext}"));
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    println!(
        "{service}{}: {} major, {} minor, {} patch, {} documentation change(s)",
        if operations.is_some() {
            format!(" ({} operations)", old.operations.len())
        } else {
            String::new()
        },
        report.counts.major,
        report.counts.minor,
        report.counts.patch,
        report.documentation_changes
    );
    let runtime = root.join("runtime");
    for (side, model) in [("old", &old_model), ("new", &new_model)] {
        let mut o = opts(model);
        o.service_name = Some(format!("{service}-{side}"));
        o.runtime_path = runtime.display().to_string();
        let c = botogen::generate(&o).map_err(|e| e.to_string())?;
        botogen::write_files(
            &work.join("crates").join(format!("{service}-{side}")),
            &c.files,
            false,
        )
        .map_err(|e| e.to_string())?;
    }
    let skip = probe::breaking_items(&report);
    let label = old_model.display().to_string();
    let probe_opts = ProbeOptions {
        alias: "svc".into(),
        skip: skip.clone(),
        note: format!("{service}: botocore {} model, old side.", label),
        invert: false,
    };
    let p = probe::probe_file(&old, &probe_opts, &label).map_err(|e| e.to_string())?;
    let dir = work.join("probes");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(format!("{service}.rs")), &p.source).map_err(|e| e.to_string())?;
    for side in ["old", "new"] {
        probe_crate(
            &dir,
            &format!("probe-{service}-{side}"),
            &format!("{service}-{side}"),
            &format!("{service}.rs"),
            &runtime,
        )?;
    }
    let negative = if negative && !skip.is_empty() {
        let n = probe::probe_file(
            &old,
            &ProbeOptions {
                invert: true,
                ..probe_opts
            },
            &label,
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(dir.join(format!("{service}-breaking.rs")), &n.source)
            .map_err(|e| e.to_string())?;
        probe_crate(
            &dir,
            &format!("probe-{service}-breaking"),
            &format!("{service}-new"),
            &format!("{service}-breaking.rs"),
            &runtime,
        )?;
        let majors = report
            .changes
            .iter()
            .filter(|c| c.level == Level::Major)
            .cloned()
            .collect();
        Some((n, majors))
    } else {
        None
    };
    Ok(Plan {
        service: service.to_string(),
        probe: p,
        skipped: skip.len(),
        negative,
    })
}

/// `probes/<name>/` building `probes/<source>` against `crates/<target>`.
fn probe_crate(
    dir: &Path,
    name: &str,
    target: &str,
    source: &str,
    runtime: &Path,
) -> Result<(), String> {
    let c = dir.join(name);
    std::fs::create_dir_all(c.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nsvc = {{ package = \"botogen-{target}\", path = \"../../crates/{target}\" }}\nbotogen-runtime = {{ path = \"{}\" }}\n",
        runtime.display()
    );
    std::fs::write(c.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(
        c.join("src/lib.rs"),
        format!("#[path = \"../../{source}\"]\npub mod probe;\n"),
    )
    .map_err(|e| e.to_string())
}

/// The scratch workspace. It builds into `cargo xtask scale`'s target
/// directory with the same profile, flags and lock file, so after
/// `ci-scale` the runtime's dependencies are not checked a second time.
fn write_workspace(root: &Path, work: &Path) -> Result<(), String> {
    let manifest = "# Written by `cargo xtask model-history`.\n[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\", \"probes/*\"]\n\n[profile.dev]\ndebug = 0\nincremental = false\n";
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let scale_lock = root.join("target/scale/Cargo.lock");
    let lock = if scale_lock.is_file() {
        scale_lock
    } else {
        root.join("Cargo.lock")
    };
    std::fs::copy(&lock, work.join("Cargo.lock"))
        .map_err(|e| format!("{}: {e}", lock.display()))?;
    Ok(())
}

fn cargo_check(work: &Path) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.arg("check")
        .env(
            "CARGO_TARGET_DIR",
            crate::root().join("target/scale/target"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(work);
    cmd
}

/// `cargo check -p <package>`; the error lines on failure.
fn check(work: &Path, package: &str) -> Result<Result<(), Vec<String>>, String> {
    let out = cargo_check(work)
        .args(["--quiet", "-p", package])
        .output()
        .map_err(|e| format!("running cargo: {e}"))?;
    if out.status.success() {
        Ok(Ok(()))
    } else {
        Ok(Err(String::from_utf8_lossy(&out.stderr)
            .lines()
            .map(str::to_string)
            .collect()))
    }
}

/// Builds the items left out against the new crate and reports, per
/// breaking change, whether the compiler rejects the code that used it.
fn negative_check(
    work: &Path,
    p: &Plan,
    (neg, majors): &(Probe, Vec<botogen::diff::Change>),
) -> Result<(), String> {
    let package = format!("probe-{}-breaking", p.service);
    let out = cargo_check(work)
        .args(["--quiet", "--message-format=json", "-p", &package])
        .output()
        .map_err(|e| format!("running cargo: {e}"))?;
    let file = format!("{}-breaking.rs", p.service);
    // Line → function, from the probe text.
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for (i, line) in neg.source.lines().enumerate() {
        for (f, _) in &neg.functions {
            if line.starts_with(&format!("pub fn {f}("))
                || line.starts_with(&format!("pub fn {f}<"))
                || line.starts_with(&format!("pub async fn {f}<"))
                || line.starts_with(&format!("pub async fn {f}("))
            {
                starts.push((i + 1, f.as_str()));
            }
        }
    }
    starts.sort();
    let mut failing: BTreeSet<String> = BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let msg = &v["message"];
        if msg["level"] != "error" {
            continue;
        }
        for span in msg["spans"].as_array().into_iter().flatten() {
            if span["file_name"]
                .as_str()
                .is_some_and(|f| f.ends_with(&file))
                && let Some(l) = span["line_start"].as_u64()
                && let Some((_, f)) = starts.iter().rev().find(|(s, _)| *s as u64 <= l)
            {
                failing.insert(f.to_string());
            }
        }
    }
    let by_affects: BTreeMap<&Affects, &str> =
        neg.functions.iter().map(|(f, a)| (a, f.as_str())).collect();
    let (mut caught, mut not) = (0, Vec::new());
    for c in majors {
        match by_affects.get(&c.affects) {
            Some(f) if failing.contains(*f) => caught += 1,
            Some(_) => not.push(c),
            None => {}
        }
    }
    println!(
        "{}: breaking verdicts the compiler confirms: {caught} of {} (the rest are checked only by review)",
        p.service,
        caught + not.len()
    );
    for c in not {
        println!(
            "    not a compile error: {} [{}]: {}",
            c.item,
            c.kind.as_str(),
            c.detail
        );
    }
    Ok(())
}
