//! The `botogen` command line: `generate` one model (botocore JSON or Smithy
//! JSON AST), `generate-all` of a botocore data directory.

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

#[derive(Subcommand)]
enum Command {
    /// Generate one service's crate.
    Generate {
        /// A botocore service-2.json (or .json.gz; paginators/waiters beside it
        /// are used) or a Smithy JSON AST model.json.
        #[arg(long)]
        model: PathBuf,
        /// Model format: auto (a top-level "smithy" key means Smithy), botocore or smithy.
        #[arg(long, default_value = "auto", value_parser = parse_format)]
        format: ModelFormat,
        /// Smithy: the service shape to generate (id or name) when the model has several.
        #[arg(long)]
        service: Option<String>,
        /// Output crate directory.
        #[arg(long)]
        out: PathBuf,
        /// Keep only these operations (comma separated) and the shapes they reach.
        #[arg(long, value_delimiter = ',')]
        operations: Option<Vec<String>>,
        /// Protocol to generate for (one the model lists).
        #[arg(long)]
        protocol: Option<String>,
        /// Fail on model keys botogen does not read.
        #[arg(long)]
        strict: bool,
        /// botogen-runtime's path relative to the output directory.
        #[arg(long)]
        runtime_path: Option<String>,
        /// Compare with the existing output instead of writing.
        #[arg(long)]
        check: bool,
    },
    /// Generate a crate for the newest API version of every service in a botocore data directory.
    GenerateAll {
        #[arg(long)]
        botocore_data: PathBuf,
        /// Directory receiving one crate directory per service.
        #[arg(long)]
        out: PathBuf,
        /// botogen-runtime's path relative to each crate directory.
        #[arg(long)]
        runtime_path: Option<String>,
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        check: bool,
        /// Also classify every pattern with the runtime's regex engines (slower).
        #[arg(long)]
        patterns: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate {
            model,
            format,
            service,
            out,
            operations,
            protocol,
            strict,
            runtime_path,
            check,
        } => {
            let mut opts = GenerateOptions::new(ModelSource::Path(model));
            opts.format = format;
            opts.service = service;
            opts.operations = operations;
            opts.protocol = protocol;
            opts.strict = strict;
            if let Some(r) = runtime_path {
                opts.runtime_path = r;
            }
            match run_one(&opts, &out, check) {
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
            runtime_path,
            strict,
            check,
            patterns,
        } => generate_all(&botocore_data, &out, runtime_path, strict, check, patterns),
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

/// The newest API version directory holding a service model.
fn newest_model(service_dir: &Path) -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir(service_dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    versions.sort();
    versions.into_iter().rev().find_map(|v| {
        ["service-2.json", "service-2.json.gz"]
            .iter()
            .map(|n| v.join(n))
            .find(|p| p.is_file())
    })
}

fn generate_all(
    data: &Path,
    out: &Path,
    runtime_path: Option<String>,
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
                newest_model(&e.path()).map(|m| (name, m))
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
        // Crates live at <out>/<service>; the default runtime path assumes <repo>/generated-client/<service>.
        if let Some(r) = &runtime_path {
            opts.runtime_path = r.clone();
        }
        let result = generate(&opts).and_then(|c| {
            let r = write_files(&out.join(name), &c.files, check)?;
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
