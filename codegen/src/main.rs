//! The `botogen` command line: `generate` one model (botocore JSON or Smithy
//! JSON AST), `generate-all` of a botocore data directory, `diff` two models.

use botogen::{GenerateOptions, ModelFormat, ModelSource, generate, write_files};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

// Generation allocates many small token trees; mimalloc is markedly faster than glibc here.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "botogen",
    version,
    about = "Generate Rust crates from AWS service models (botocore JSON or Smithy 2.0 JSON AST)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where generated crates find `botogen-runtime`.
#[derive(clap::Args)]
struct RuntimeArgs {
    /// Path of botogen's `runtime/` directory, absolute or relative to the
    /// crate directory [default: the runtime of the botogen checkout this
    /// binary was built from]. Checked before anything is written.
    #[arg(long, value_name = "PATH")]
    runtime_path: Option<String>,
    /// Depend on the runtime from this git repository instead of a path.
    #[arg(long, value_name = "URL", conflicts_with = "runtime_path")]
    runtime_git: Option<String>,
    /// With --runtime-git: the commit, tag or branch to use.
    #[arg(long, value_name = "REV", requires = "runtime_git")]
    runtime_rev: Option<String>,
    /// Require this runtime version (alone: a registry release).
    #[arg(long, value_name = "VERSION")]
    runtime_version: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Generate one service's crate.
    Generate {
        /// A botocore service-2.json (plain or gzipped; paginators-1.json and
        /// waiters-2.json beside it are used too) or a Smithy JSON AST model.json.
        #[arg(long, value_name = "FILE")]
        model: PathBuf,
        /// Model format: auto (a top-level "smithy" key means Smithy), botocore or smithy.
        #[arg(long, default_value = "auto", value_parser = parse_format, value_name = "FORMAT")]
        format: ModelFormat,
        /// Smithy: the service shape to generate (id or name) when the model has several.
        #[arg(long, value_name = "ID")]
        service: Option<String>,
        /// Directory to write the crate to (created if missing; required).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Crate name [default: botogen-<service id>, e.g. botogen-dynamodb].
        #[arg(long, value_name = "NAME")]
        crate_name: Option<String>,
        /// Keep only these operations (comma separated; the model's operation
        /// names, e.g. GetItem,PutItem) and the shapes they reach.
        #[arg(long, value_delimiter = ',', value_name = "NAMES")]
        operations: Option<Vec<String>>,
        /// Generate for this protocol (one the model lists) instead of the
        /// one botocore prefers.
        #[arg(long, value_name = "NAME")]
        protocol: Option<String>,
        /// Fail, listing them, on model keys botogen does not read.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        runtime: RuntimeArgs,
        /// Write nothing; fail if the existing output differs.
        #[arg(long)]
        check: bool,
    },
    /// Generate a crate for the newest API version of every service in a botocore data directory.
    GenerateAll {
        /// botocore's `data/` directory (`pip install botocore`, then `botocore/data`).
        #[arg(long, value_name = "DIR")]
        botocore_data: PathBuf,
        /// Directory receiving one crate directory per service.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        runtime: RuntimeArgs,
        /// Fail, listing them, on model keys botogen does not read.
        #[arg(long)]
        strict: bool,
        /// Write nothing; fail if any existing output differs.
        #[arg(long)]
        check: bool,
        /// Also classify every pattern with the runtime's regex engines (slower).
        #[arg(long)]
        patterns: bool,
    },
    /// Compare two models: every change to the generated API, classified for semver.
    Diff {
        /// The old service-2.json (or .json.gz); paginators, waiters and the
        /// endpoint rule set beside it are compared too.
        old: PathBuf,
        /// The new service-2.json (or .json.gz).
        new: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// The crate's current version; the verdict then names the next one.
        #[arg(long)]
        current_version: Option<String>,
    },
}

/// The runtime of the checkout this binary was built from, if it is still there.
fn built_in_runtime() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()?
        .join("runtime");
    dir.join("Cargo.toml").is_file().then_some(dir)
}

/// A path from `from` to `to`, relative when `from` lies inside the checkout
/// holding `to` (so crates generated inside the repository stay relocatable
/// with it), absolute otherwise.
fn runtime_path_from(from: &Path, to: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (abs(from), abs(to));
    if let Some(root) = to.parent()
        && let Ok(below) = from.strip_prefix(root)
    {
        let ups = below.components().count();
        let mut rel = "../".repeat(ups);
        rel.push_str("runtime");
        return rel;
    }
    to.display().to_string()
}

/// Fills the options' runtime dependency from the flags (or the default)
/// for a crate written to `out`, checking that a path dependency resolves.
fn apply_runtime(
    opts: &mut GenerateOptions,
    args: &RuntimeArgs,
    out: &Path,
) -> Result<(), botogen::Error> {
    opts.runtime_version = args.runtime_version.clone();
    if let Some(url) = &args.runtime_git {
        opts.runtime_git = Some(url.clone());
        opts.runtime_rev = args.runtime_rev.clone();
        return Ok(());
    }
    opts.runtime_path = match (&args.runtime_path, built_in_runtime()) {
        (Some(p), _) => p.clone(),
        // A version alone names a registry release.
        (None, _) if args.runtime_version.is_some() => String::new(),
        (None, Some(dir)) => runtime_path_from(out, &dir),
        (None, None) => {
            return Err(botogen::Error::Other(
                "no runtime to depend on: the botogen checkout this binary was built from is gone; \
                 pass --runtime-path PATH, --runtime-git URL or --runtime-version VERSION"
                    .into(),
            ));
        }
    };
    if opts.runtime_path.is_empty() {
        return Ok(());
    }
    botogen::check_runtime_path(out, &opts.runtime_path)
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate {
            model,
            format,
            service,
            out,
            crate_name,
            operations,
            protocol,
            strict,
            runtime,
            check,
        } => {
            let mut opts = GenerateOptions::new(ModelSource::Path(model));
            opts.format = format;
            opts.service = service;
            opts.operations = operations;
            opts.protocol = protocol;
            opts.strict = strict;
            opts.crate_name = crate_name;
            let result =
                apply_runtime(&mut opts, &runtime, &out).and_then(|()| run_one(&opts, &out, check));
            match result {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::from(1),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::GenerateAll {
            botocore_data,
            out,
            runtime,
            strict,
            check,
            patterns,
        } => generate_all(&botocore_data, &out, &runtime, strict, check, patterns),
        Command::Diff {
            old,
            new,
            json,
            current_version,
        } => match botogen::diff::diff_files(&old, &new) {
            Ok(report) => {
                if json {
                    println!("{}", report.to_json());
                } else {
                    print!("{}", report.to_text(current_version.as_deref()));
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
    }
}

fn parse_format(s: &str) -> Result<ModelFormat, String> {
    ModelFormat::parse(s).ok_or_else(|| format!("unknown format `{s}` (auto, botocore or smithy)"))
}

/// Generates one crate; `Ok(false)` when `check` found stale files.
fn run_one(opts: &GenerateOptions, out: &Path, check: bool) -> Result<bool, botogen::Error> {
    let crate_ = generate(opts)?;
    let report = write_files(out, &crate_.files, check)?;
    let s = &crate_.stats;
    if check {
        for (what, list) in [
            ("differs", &report.differing),
            ("missing", &report.missing),
            ("extra", &report.extra),
        ] {
            for p in list {
                eprintln!("{}: {what}", out.join(p).display());
            }
        }
        if !report.is_fresh() {
            return Ok(false);
        }
    }
    let pr = botogen::classify_patterns(&s.patterns);
    println!(
        "{} ({}): {} operations, {} shapes, patterns: {} regex, {} fallback, {} unenforceable; protocol {}{}",
        crate_.crate_name,
        s.service_id,
        s.operations,
        s.shapes,
        pr.regex,
        pr.fallback,
        pr.unenforceable.len(),
        s.protocol,
        if check {
            ", up to date".to_string()
        } else {
            format!(", {} file(s) written", report.written.len())
        }
    );
    for (p, why) in &pr.unenforceable {
        eprintln!("warning: pattern {p:?} will not be enforced: {why}");
    }
    Ok(true)
}

fn generate_all(
    data: &Path,
    out: &Path,
    runtime: &RuntimeArgs,
    strict: bool,
    check: bool,
    patterns: bool,
) -> ExitCode {
    let mut services: Vec<(String, PathBuf)> = match std::fs::read_dir(data) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                botogen::newest_model(&e.path()).map(|m| (name, m))
            })
            .collect(),
        Err(e) => {
            eprintln!("error: {}: {e}", data.display());
            return ExitCode::from(1);
        }
    };
    services.sort();
    let bar = ProgressBar::new(services.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let failures = Mutex::new(Vec::new());
    let totals = Mutex::new((0usize, 0usize, 0usize));
    let pattern_totals = Mutex::new(botogen::PatternReport::default());
    services.par_iter().for_each(|(name, model)| {
        let mut opts = GenerateOptions::new(ModelSource::Path(model.clone()));
        opts.strict = strict;
        opts.service_name = Some(name.clone());
        let crate_dir = out.join(name);
        let result = apply_runtime(&mut opts, runtime, &crate_dir)
            .and_then(|()| generate(&opts))
            .and_then(|c| {
                let r = write_files(&crate_dir, &c.files, check)?;
                Ok((c, r))
            });
        match result {
            Ok((c, r)) => {
                if check && !r.is_fresh() {
                    failures
                        .lock()
                        .map(|mut f| f.push(format!("{name}: generated files are stale")))
                        .ok();
                }
                if patterns {
                    let r = botogen::classify_patterns(&c.stats.patterns);
                    if let Ok(mut t) = pattern_totals.lock() {
                        t.regex += r.regex;
                        t.fallback += r.fallback;
                        t.unenforceable.extend(
                            r.unenforceable
                                .into_iter()
                                .map(|(p, e)| (format!("{name}: {p}"), e)),
                        );
                    }
                }
                if let Ok(mut t) = totals.lock() {
                    t.0 += 1;
                    t.1 += c.stats.operations;
                    t.2 += c.stats.shapes;
                }
            }
            Err(e) => {
                failures
                    .lock()
                    .map(|mut f| f.push(format!("{name}: {e}")))
                    .ok();
            }
        }
        bar.set_message(name.clone());
        bar.inc(1);
    });
    bar.finish_and_clear();
    let mut failures = failures.into_inner().unwrap_or_default();
    failures.sort();
    let (ok, ops, shapes) = totals.into_inner().unwrap_or_default();
    println!(
        "generated {ok}/{} services ({ops} operations, {shapes} shapes) in {:.2?}",
        services.len(),
        started.elapsed()
    );
    if patterns {
        let t = pattern_totals.into_inner().unwrap_or_default();
        println!(
            "patterns: {} regex, {} fallback, {} unenforceable",
            t.regex,
            t.fallback,
            t.unenforceable.len()
        );
        for (p, why) in &t.unenforceable {
            eprintln!("warning: pattern {p:?} will not be enforced: {why}");
        }
    }
    for f in &failures {
        eprintln!("error: {f}");
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
