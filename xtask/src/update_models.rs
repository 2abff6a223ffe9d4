//! `cargo xtask update-models --botocore-data DIR [SERVICE...]`: takes the
//! newest models of the vendored services (or of the named ones, which may
//! be new) from a botocore data directory, diffs them against `models/`,
//! bumps each crate's version by the diff's verdict, writes its
//! `CHANGELOG.md` entry, regenerates, and records everything in
//! `models/manifest.json`.
//!
//! All work happens in `target/update-models/stage/` first. The commit
//! point is the journal (`target/update-models/journal.json`, written
//! atomically) listing every file to replace or remove; only then are files
//! in `models/` and `generated-client/` replaced, each by copy to a sibling
//! and rename. A run interrupted before the journal exists has changed
//! nothing there; one interrupted after it is finished by the next
//! `update-models` or `codegen` run (the journal is replayed, which is
//! idempotent).

use crate::manifest::{self, Entry, Manifest};
use botogen::diff::{Level, Report};
use botogen::{GenerateOptions, ModelSource};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The files taken from `botocore/data/<service>/<api-version>/` (each
/// `.json` or `.json.gz`), stored decompressed.
pub const MODEL_FILES: [&str; 4] = [
    "service-2.json",
    "paginators-1.json",
    "waiters-2.json",
    "endpoint-rule-set-1.json",
];

const USAGE: &str = "usage: cargo xtask update-models --botocore-data DIR [--botocore-version V] [--dry-run] [SERVICE...]";

/// Test hook: `staged` stops after staging, `commit:N` after N file
/// operations of the commit, both as abruptly as a kill.
const FAILPOINT: &str = "BOTOGEN_UPDATE_MODELS_FAILPOINT";

#[derive(Debug, Clone)]
pub struct Options {
    pub data: PathBuf,
    pub botocore_version: Option<String>,
    pub repo: PathBuf,
    pub dry_run: bool,
    pub services: Vec<String>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut opts = Options {
        data: PathBuf::new(),
        botocore_version: None,
        repo: crate::root(),
        dry_run: false,
        services: Vec::new(),
    };
    let mut it = args.iter();
    let mut data = None;
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--botocore-data" => data = Some(PathBuf::from(value("--botocore-data")?)),
            "--botocore-version" => opts.botocore_version = Some(value("--botocore-version")?),
            // The repository to update (tests use scratch copies).
            "--repo" => opts.repo = PathBuf::from(value("--repo")?),
            "--dry-run" => opts.dry_run = true,
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`\n{USAGE}")),
            s => opts.services.push(s.to_string()),
        }
    }
    opts.data = data.ok_or_else(|| format!("--botocore-data is required\n{USAGE}"))?;
    update(&opts)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

fn scratch(repo: &Path) -> PathBuf {
    repo.join("target").join("update-models")
}

/// Whether an interrupted run left a commit to finish.
pub fn pending(repo: &Path) -> bool {
    scratch(repo).join("journal.json").is_file()
}

/// Finishes a commit an earlier run could not (see the module docs).
pub fn recover(repo: &Path) -> Result<(), String> {
    replay(repo)?;
    let stage = scratch(repo).join("stage");
    if stage.exists() {
        std::fs::remove_dir_all(&stage).map_err(io(&stage))?;
    }
    Ok(())
}

/// Replays a leftover journal (the stage it points to stays for `recover`).
pub fn replay(repo: &Path) -> Result<(), String> {
    let dir = scratch(repo);
    let journal = dir.join("journal.json");
    if journal.is_file() {
        println!(
            "update-models: finishing the commit of an interrupted run ({})",
            journal.display()
        );
        let text = std::fs::read_to_string(&journal).map_err(io(&journal))?;
        let j: Journal =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", journal.display()))?;
        apply(repo, &j)?;
        std::fs::remove_file(&journal).map_err(io(&journal))?;
    }
    Ok(())
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Journal {
    /// Directory holding the new contents, at the same relative paths.
    stage: PathBuf,
    /// Repository-relative paths to replace by their staged copy.
    writes: Vec<PathBuf>,
    /// Repository-relative paths to remove.
    deletes: Vec<PathBuf>,
}

fn failpoint_after(ops: usize) {
    if let Ok(v) = std::env::var(FAILPOINT)
        && let Some(n) = v.strip_prefix("commit:")
        && n.parse::<usize>().ok() == Some(ops)
    {
        eprintln!("update-models: failpoint {v}: stopping");
        std::process::exit(75);
    }
}

/// Replays a journal: every step is idempotent.
fn apply(repo: &Path, j: &Journal) -> Result<(), String> {
    let mut done = 0;
    for rel in &j.writes {
        let (src, dst) = (j.stage.join(rel), repo.join(rel));
        if let Some(parent) = dst.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let mut tmp = dst.clone().into_os_string();
        tmp.push(".botogen-tmp");
        let tmp = PathBuf::from(tmp);
        std::fs::copy(&src, &tmp).map_err(io(&src))?;
        std::fs::rename(&tmp, &dst).map_err(io(&dst))?;
        done += 1;
        failpoint_after(done);
    }
    for rel in &j.deletes {
        let p = repo.join(rel);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", p.display())),
        }
        done += 1;
        failpoint_after(done);
    }
    Ok(())
}

/// Where a service's newest model lives in the botocore data directory.
struct Source {
    api_version: String,
    /// Model file name (without `.gz`) → the file to read.
    files: BTreeMap<&'static str, PathBuf>,
}

fn find_source(data: &Path, service: &str) -> Option<Source> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir(data.join(service))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    versions.sort();
    let locate = |dir: &Path, name: &str| {
        [name.to_string(), format!("{name}.gz")]
            .into_iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    };
    let dir = versions
        .into_iter()
        .rev()
        .find(|v| locate(v, "service-2.json").is_some())?;
    let files = MODEL_FILES
        .iter()
        .filter_map(|n| locate(&dir, n).map(|p| (*n, p)))
        .collect();
    Some(Source {
        api_version: dir.file_name()?.to_str()?.to_string(),
        files,
    })
}

/// `botocore/__init__.py`'s `__version__` for `<...>/botocore/data`.
fn detect_botocore_version(data: &Path) -> Option<String> {
    let init = data.parent()?.join("__init__.py");
    let text = std::fs::read_to_string(init).ok()?;
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("__version__"))?;
    let v = line.split(['\'', '"']).nth(1)?;
    Some(v.to_string())
}

/// A service name must be one directory name.
fn check_name(s: &str) -> Result<(), String> {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        || s.starts_with('.')
    {
        return Err(format!("`{s}` is not a service directory name"));
    }
    Ok(())
}

fn vendored(models: &Path) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = match std::fs::read_dir(models) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.path().join("service-2.json").is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(format!("{}: {e}", models.display())),
    };
    out.sort();
    Ok(out)
}

/// The `version = "..."` of a generated crate's `Cargo.toml`.
fn cargo_version(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .map(str::to_string)
}

/// Today in UTC (`SOURCE_DATE_EPOCH` overrides the clock).
fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    civil_date(secs)
}

/// Seconds since 1970-01-01 UTC to `YYYY-MM-DD`.
fn civil_date(secs: u64) -> String {
    let (y, m, d) = crate::bench::civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

const CHANGELOG_HEAD: &str = "Written by `cargo xtask update-models` from `botogen diff` (newest first); see the README's \"Model updates\" for what each verdict means.\n\n";

/// Inserts `entry` above the newest entry of an existing changelog.
fn changelog(existing: Option<&str>, crate_name: &str, entry: &str) -> String {
    let head = format!("# Changelog of `{crate_name}`\n\n{CHANGELOG_HEAD}");
    match existing {
        None => format!("{head}{entry}"),
        Some(text) => match text.find("\n## ") {
            Some(i) => format!("{}\n{entry}{}", &text[..i], &text[i + 1..]),
            None => format!("{}\n\n{entry}", text.trim_end()),
        },
    }
}

/// What happened to one service.
struct Outcome {
    service: String,
    summary: String,
    report: Option<Report>,
    old_version: Option<String>,
    version: String,
}

pub fn update(opts: &Options) -> Result<(), String> {
    let repo = &opts.repo;
    recover(repo)?;
    let models = repo.join("models");
    let services = if opts.services.is_empty() {
        let v = vendored(&models)?;
        if v.is_empty() {
            return Err(format!(
                "{} holds no service models; name the services to add",
                models.display()
            ));
        }
        v
    } else {
        let mut v = opts.services.clone();
        v.sort();
        v.dedup();
        v
    };
    for s in &services {
        check_name(s)?;
    }
    if !opts.data.is_dir() {
        return Err(format!(
            "{}: not a botocore data directory",
            opts.data.display()
        ));
    }
    let mut sources = BTreeMap::new();
    let mut missing = Vec::new();
    for s in &services {
        match find_source(&opts.data, s) {
            Some(src) => {
                sources.insert(s.clone(), src);
            }
            None => missing.push(s.clone()),
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "{}: no model for {} (expected {}/<service>/<api-version>/service-2.json or .json.gz); nothing was changed",
            opts.data.display(),
            missing
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", "),
            opts.data.display()
        ));
    }
    let botocore_version = match &opts.botocore_version {
        Some(v) => v.clone(),
        None => detect_botocore_version(&opts.data).ok_or_else(|| {
            format!(
                "{}: cannot tell the botocore version (no ../__init__.py with __version__); pass --botocore-version",
                opts.data.display()
            )
        })?,
    };

    let stage = scratch(repo).join("stage");
    std::fs::create_dir_all(&stage).map_err(io(&stage))?;
    let result = stage_all(opts, &services, &sources, &botocore_version, &stage);
    let (journal, outcomes) = match result {
        Ok(x) => x,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&stage);
            return Err(format!("{e}; nothing was changed"));
        }
    };
    for o in &outcomes {
        println!("== {}: {}", o.service, o.summary);
        if let Some(r) = &o.report {
            let bumped = o.old_version.as_deref() != Some(o.version.as_str());
            print!("{}", r.to_text(o.old_version.as_deref().filter(|_| bumped)));
            if !bumped {
                println!(
                    "generated code unchanged: {} stays {}",
                    botogen::naming::crate_name(&o.service),
                    o.version
                );
            }
        }
    }
    if opts.dry_run || (journal.writes.is_empty() && journal.deletes.is_empty()) {
        println!(
            "{}",
            if opts.dry_run {
                "dry run: nothing written"
            } else {
                "nothing to change"
            }
        );
        std::fs::remove_dir_all(&stage).map_err(io(&stage))?;
        return Ok(());
    }
    if std::env::var(FAILPOINT).as_deref() == Ok("staged") {
        eprintln!("update-models: failpoint staged: stopping");
        std::process::exit(75);
    }
    // The commit point.
    let dir = scratch(repo);
    let jpath = dir.join("journal.json");
    let tmp = dir.join("journal.json.botogen-tmp");
    let text = serde_json::to_string_pretty(&journal).map_err(|e| e.to_string())?;
    std::fs::write(&tmp, text).map_err(io(&tmp))?;
    std::fs::rename(&tmp, &jpath).map_err(io(&jpath))?;
    apply(repo, &journal)?;
    std::fs::remove_file(&jpath).map_err(io(&jpath))?;
    std::fs::remove_dir_all(&stage).map_err(io(&stage))?;
    println!(
        "updated {} file(s), removed {}; versions: {}",
        journal.writes.len(),
        journal.deletes.len(),
        outcomes
            .iter()
            .map(|o| match &o.old_version {
                Some(v) if v != &o.version => format!("{} {v} -> {}", o.service, o.version),
                Some(v) => format!("{} {v}", o.service),
                None => format!("{} {} (new)", o.service, o.version),
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// Everything short of touching `models/` and `generated-client/`: the new
/// contents under `stage/`, the journal that would install them, and what
/// to tell the user.
fn stage_all(
    opts: &Options,
    services: &[String],
    sources: &BTreeMap<String, Source>,
    botocore_version: &str,
    stage: &Path,
) -> Result<(Journal, Vec<Outcome>), String> {
    let repo = &opts.repo;
    let models = repo.join("models");
    let old_manifest = Manifest::read(&models)?;
    let mut manifest = old_manifest.clone();
    let mut writes: Vec<PathBuf> = Vec::new();
    let mut deletes: Vec<PathBuf> = Vec::new();
    let mut outcomes = Vec::new();
    let put = |rel: &Path, bytes: &[u8], writes: &mut Vec<PathBuf>| -> Result<(), String> {
        let p = stage.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&p, bytes).map_err(io(&p))?;
        writes.push(rel.to_path_buf());
        Ok(())
    };
    for service in services {
        let src = &sources[service];
        let model_rel = Path::new("models").join(service);
        // New files, decompressed and checked to be JSON.
        let mut new_files: BTreeMap<&str, String> = BTreeMap::new();
        for (name, path) in &src.files {
            let text = botogen::model::read_text(path).map_err(|e| e.to_string())?;
            serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|e| format!("{}: invalid JSON: {e}", path.display()))?;
            new_files.insert(name, text);
        }
        let sums: BTreeMap<String, String> = new_files
            .iter()
            .map(|(n, t)| (n.to_string(), manifest::checksum(t.as_bytes())))
            .collect();
        let mut old_sums = BTreeMap::new();
        for name in MODEL_FILES {
            let p = repo.join(&model_rel).join(name);
            if let Ok(bytes) = std::fs::read(&p) {
                old_sums.insert(name.to_string(), manifest::checksum(&bytes));
            }
        }
        let existed = old_sums.contains_key("service-2.json");
        let models_changed = old_sums != sums;
        // Stage the model files (all of them: the new side of the diff reads them together).
        let staged_model = stage.join(&model_rel);
        std::fs::create_dir_all(&staged_model).map_err(io(&staged_model))?;
        for (name, text) in &new_files {
            let rel = model_rel.join(name);
            let p = stage.join(&rel);
            std::fs::write(&p, text).map_err(io(&p))?;
            if old_sums.get(*name) != sums.get(*name) {
                writes.push(rel);
            }
        }
        for name in old_sums.keys() {
            if !sums.contains_key(name) {
                deletes.push(model_rel.join(name));
            }
        }
        let crate_dir_rel = Path::new("generated-client").join(service);
        let crate_dir = repo.join(&crate_dir_rel);
        let old_version = old_manifest
            .crate_version(service)
            .map(str::to_string)
            .or_else(|| cargo_version(&crate_dir.join("Cargo.toml")));
        let previous = old_manifest
            .services
            .get(service)
            .map(|e| e.botocore_version.clone());
        let report = if existed && models_changed {
            let mut r = botogen::diff::diff_files(
                &repo.join(&model_rel).join("service-2.json"),
                &staged_model.join("service-2.json"),
            )
            .map_err(|e| e.to_string())?;
            r.old = format!(
                "models/{service} ({})",
                previous
                    .as_deref()
                    .map(|p| format!("botocore {p}"))
                    .unwrap_or_else(|| "vendored".into())
            );
            r.new = format!(
                "botocore {botocore_version} {}/{}",
                service, src.api_version
            );
            Some(r)
        } else {
            None
        };
        let current = old_version.clone().unwrap_or_else(|| "0.1.0".into());
        // Generate from the staged model under its final label.
        let generate =
            |version: &str| -> Result<(BTreeMap<PathBuf, String>, botogen::WriteReport), String> {
                let label = format!("models/{service}/service-2.json");
                let mut g = GenerateOptions::new(ModelSource::Text {
                    label,
                    text: new_files["service-2.json"].clone(),
                });
                g.service_name = Some(service.clone());
                g.version = version.to_string();
                g.paginators = new_files
                    .contains_key("paginators-1.json")
                    .then(|| staged_model.join("paginators-1.json"));
                g.waiters = new_files
                    .contains_key("waiters-2.json")
                    .then(|| staged_model.join("waiters-2.json"));
                g.endpoint_rules = new_files
                    .contains_key("endpoint-rule-set-1.json")
                    .then(|| staged_model.join("endpoint-rule-set-1.json"));
                let files = botogen::generate(&g)
                    .map(|c| c.files)
                    .map_err(|e| format!("{service}: {e}"))?;
                let check =
                    botogen::write_files(&crate_dir, &files, true).map_err(|e| e.to_string())?;
                Ok((files, check))
            };
        // The version follows the diff's verdict when the crate's content
        // changes; model changes the generated code does not reflect are
        // recorded without a release.
        let mut note = None;
        let (version, files, check) = if !existed {
            let (f, c) = generate("0.1.0")?;
            ("0.1.0".to_string(), f, c)
        } else if !models_changed {
            (
                current.clone(),
                BTreeMap::new(),
                botogen::WriteReport::default(),
            )
        } else {
            let (f, c) = generate(&current)?;
            let level = report.as_ref().and_then(|r| r.level);
            let code_changed = !c.is_fresh();
            if code_changed || level > Some(Level::Patch) {
                let level = level.unwrap_or_else(|| {
                    note = Some("generated code changed without a reported API change: patch");
                    Level::Patch
                });
                let v = botogen::diff::bump_version(&current, level)?;
                let (f, c) = generate(&v)?;
                (v, f, c)
            } else {
                (current.clone(), f, c)
            }
        };
        for rel in check.differing.iter().chain(&check.missing) {
            put(&crate_dir_rel.join(rel), files[rel].as_bytes(), &mut writes)?;
        }
        for rel in &check.extra {
            deletes.push(crate_dir_rel.join(rel));
        }
        // The changelog entry.
        let crate_name = botogen::naming::crate_name(service);
        let changelog_path = crate_dir.join("CHANGELOG.md");
        let existing = std::fs::read_to_string(&changelog_path).ok();
        let entry = if !existed {
            Some(format!(
                "## {version} ({})\n\nFirst version: models from botocore {botocore_version} (API version {}).\n\n",
                today(),
                src.api_version
            ))
        } else if version != current {
            let from = match &previous {
                Some(p) if p != botocore_version => format!("botocore {p} -> {botocore_version}"),
                Some(_) => format!("botocore {botocore_version}"),
                None => format!("earlier models -> botocore {botocore_version}"),
            };
            let source = format!("Models: {from} (API version {}).", src.api_version);
            Some(match (&report, note) {
                (Some(r), None) => r.changelog_entry(&version, &today(), &source),
                _ => format!(
                    "## {version} ({})\n\n{source}\n\nSemver: no API change (patch): the generated code changed although `botogen diff` reports no change.\n\n",
                    today()
                ),
            })
        } else if existing.is_none() {
            Some(format!(
                "## {version}\n\nModels from botocore {botocore_version} (API version {}), first recorded by `update-models`.\n\n",
                src.api_version
            ))
        } else {
            None
        };
        if let Some(entry) = entry {
            let text = changelog(existing.as_deref(), &crate_name, &entry);
            put(
                &crate_dir_rel.join("CHANGELOG.md"),
                text.as_bytes(),
                &mut writes,
            )?;
        }
        manifest.services.insert(
            service.clone(),
            Entry {
                botocore_version: botocore_version.to_string(),
                api_version: src.api_version.clone(),
                crate_version: version.clone(),
                files: sums,
            },
        );
        let summary = match (&previous, existed, models_changed) {
            (_, false, _) => format!("new service from botocore {botocore_version}"),
            (_, true, false) => format!("models unchanged in botocore {botocore_version}"),
            (Some(p), true, true) => format!("models changed (botocore {p} -> {botocore_version})"),
            (None, true, true) => format!("models changed (now botocore {botocore_version})"),
        };
        outcomes.push(Outcome {
            service: service.clone(),
            summary: match note {
                Some(n) => format!("{summary}; {n}"),
                None => summary,
            },
            report,
            old_version: existed.then_some(current),
            version,
        });
    }
    if manifest != old_manifest || !models.join(manifest::FILE).is_file() {
        put(
            &Path::new("models").join(manifest::FILE),
            manifest.to_text().as_bytes(),
            &mut writes,
        )?;
    }
    Ok((
        Journal {
            stage: stage.to_path_buf(),
            writes,
            deletes,
        },
        outcomes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(951_782_400), "2000-02-29");
        assert_eq!(civil_date(1_796_083_200 + 86_399), "2026-12-01");
        assert_eq!(civil_date(1_796_083_200 - 1), "2026-11-30");
    }

    #[test]
    fn changelog_entries_go_on_top() {
        let first = changelog(None, "botogen-x", "## 0.1.0\n\nFirst.\n\n");
        assert!(first.starts_with("# Changelog of `botogen-x`\n\n"));
        let second = changelog(Some(&first), "botogen-x", "## 0.2.0\n\nSecond.\n\n");
        let a = second.find("## 0.2.0").unwrap();
        let b = second.find("## 0.1.0").unwrap();
        assert!(a < b, "{second}");
        assert_eq!(second.matches("# Changelog").count(), 1);
    }

    #[test]
    fn service_names_are_single_directories() {
        assert!(check_name("s3").is_ok());
        assert!(check_name("bedrock-agent_x").is_ok());
        for bad in ["", "..", "../x", "a/b", ".hidden", "x y"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
