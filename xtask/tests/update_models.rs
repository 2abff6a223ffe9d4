//! `cargo xtask update-models` on scratch repositories and hand-made
//! botocore data directories: adding services (gzipped and plain models),
//! updating with a diff, version bump and changelog entry, a missing
//! service, bad input, dry runs, and runs interrupted before and during
//! the commit.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn things(extra_member: bool, colors: &[&str]) -> Value {
    let mut members = json!({
        "Name": {"shape": "String"},
        "Color": {"shape": "Color"}
    });
    if extra_member {
        members["Note"] = json!({"shape": "String"});
    }
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01", "endpointPrefix": "things", "jsonVersion": "1.0",
            "protocol": "json", "protocols": ["json"], "serviceFullName": "Things",
            "serviceId": "Things", "signatureVersion": "v4", "targetPrefix": "Things"
        },
        "operations": {"GetThing": {
            "name": "GetThing", "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "GetThingInput"}, "output": {"shape": "GetThingInput"}
        }},
        "shapes": {
            "GetThingInput": {"type": "structure", "required": ["Name"], "members": members},
            "String": {"type": "string"},
            "Color": {"type": "string", "enum": colors}
        }
    })
}

fn widgets() -> Value {
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2023-01-01", "endpointPrefix": "widgets",
            "protocol": "rest-json", "protocols": ["rest-json"], "serviceFullName": "Widgets",
            "serviceId": "Widgets", "signatureVersion": "v4"
        },
        "operations": {"ListWidgets": {
            "name": "ListWidgets", "http": {"method": "GET", "requestUri": "/widgets"},
            "output": {"shape": "ListWidgetsOutput"}
        }},
        "shapes": {
            "ListWidgetsOutput": {"type": "structure", "members": {"Count": {"shape": "Int"}}},
            "Int": {"type": "integer"}
        }
    })
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// `<dir>/botocore/{__init__.py, data/...}` the way pip installs it.
fn botocore(dir: &Path, version: &str, things_model: &Value) -> PathBuf {
    let root = dir.join(format!("botocore-{version}/botocore"));
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        root.join("__init__.py"),
        format!("import os\n__version__ = '{version}'\n"),
    )
    .unwrap();
    let t = data.join("things/2024-01-01");
    std::fs::create_dir_all(&t).unwrap();
    // Gzipped service model and rule set, plain paginators.
    std::fs::write(
        t.join("service-2.json.gz"),
        gzip(
            serde_json::to_string_pretty(things_model)
                .unwrap()
                .as_bytes(),
        ),
    )
    .unwrap();
    std::fs::write(
        t.join("endpoint-rule-set-1.json.gz"),
        gzip(br#"{"version": "1.0", "parameters": {}, "rules": []}"#),
    )
    .unwrap();
    std::fs::write(t.join("paginators-1.json"), r#"{"pagination": {}}"#).unwrap();
    // Plain model; an older API version beside it is ignored.
    for v in ["2020-01-01", "2023-01-01"] {
        let w = data.join("widgets").join(v);
        std::fs::create_dir_all(&w).unwrap();
        let mut m = widgets();
        m["metadata"]["apiVersion"] = json!(v);
        std::fs::write(w.join("service-2.json"), m.to_string()).unwrap();
    }
    std::fs::write(data.join("_retry.json"), "{}").unwrap();
    data
}

fn repo(dir: &Path) -> PathBuf {
    let r = dir.join("repo");
    std::fs::create_dir_all(r.join("models")).unwrap();
    std::fs::create_dir_all(r.join("generated-client")).unwrap();
    r
}

fn xtask(repo: &Path, args: &[&str], failpoint: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.arg("update-models")
        .args(args)
        .arg("--repo")
        .arg(repo)
        .env("SOURCE_DATE_EPOCH", "1796083200");
    match failpoint {
        Some(f) => cmd.env("BOTOGEN_UPDATE_MODELS_FAILPOINT", f),
        None => cmd.env_remove("BOTOGEN_UPDATE_MODELS_FAILPOINT"),
    };
    cmd.output().expect("xtask runs")
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "failed: {}\nstdout:\n{stdout}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Every file under `models/` and `generated-client/`.
fn tree(repo: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(base).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    for d in ["models", "generated-client"] {
        walk(repo, &repo.join(d), &mut out);
    }
    out
}

fn read(repo: &Path, rel: &str) -> String {
    std::fs::read_to_string(repo.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn manifest(repo: &Path) -> Value {
    serde_json::from_str(&read(repo, "models/manifest.json")).unwrap()
}

/// The checked-in crate is exactly what `cargo xtask codegen` renders from
/// the vendored model and the manifest's version.
fn assert_fresh(repo: &Path, service: &str) {
    let dir = repo.join("models").join(service);
    let mut opts = botogen::GenerateOptions::new(botogen::ModelSource::Text {
        label: format!("models/{service}/service-2.json"),
        text: read(repo, &format!("models/{service}/service-2.json")),
    });
    opts.service_name = Some(service.into());
    opts.paginators = Some(dir.join("paginators-1.json")).filter(|p| p.is_file());
    opts.waiters = Some(dir.join("waiters-2.json")).filter(|p| p.is_file());
    opts.endpoint_rules = Some(dir.join("endpoint-rule-set-1.json")).filter(|p| p.is_file());
    opts.version = manifest(repo)["services"][service]["crate_version"]
        .as_str()
        .unwrap()
        .to_string();
    let files = botogen::generate(&opts).unwrap().files;
    let report =
        botogen::write_files(&repo.join("generated-client").join(service), &files, true).unwrap();
    assert!(report.is_fresh(), "{service}: {report:?}");
}

#[test]
fn adds_services_then_updates_them_with_a_verdict() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo(tmp.path());
    let v1 = botocore(tmp.path(), "1.0.0", &things(false, &["RED", "GREEN"]));
    let out = ok(&xtask(
        &repo,
        &["--botocore-data", v1.to_str().unwrap(), "things", "widgets"],
        None,
    ));
    assert!(
        out.contains("== things: new service from botocore 1.0.0"),
        "{out}"
    );
    // Gzipped files are stored decompressed, byte for byte.
    assert_eq!(
        read(&repo, "models/things/service-2.json"),
        serde_json::to_string_pretty(&things(false, &["RED", "GREEN"])).unwrap()
    );
    assert!(
        repo.join("models/things/endpoint-rule-set-1.json")
            .is_file()
    );
    assert!(repo.join("models/things/paginators-1.json").is_file());
    assert!(!repo.join("models/things/waiters-2.json").exists());
    // The newest API version directory wins.
    assert!(read(&repo, "models/widgets/service-2.json").contains("2023-01-01"));
    let m = manifest(&repo);
    assert_eq!(m["services"]["things"]["botocore_version"], "1.0.0");
    assert_eq!(m["services"]["things"]["api_version"], "2024-01-01");
    assert_eq!(m["services"]["things"]["crate_version"], "0.1.0");
    let sums = m["services"]["things"]["files"].as_object().unwrap();
    assert_eq!(
        sums.keys().collect::<Vec<_>>(),
        [
            "endpoint-rule-set-1.json",
            "paginators-1.json",
            "service-2.json"
        ]
    );
    assert!(
        sums["service-2.json"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert!(read(&repo, "generated-client/things/Cargo.toml").contains("version = \"0.1.0\""));
    let log = read(&repo, "generated-client/things/CHANGELOG.md");
    assert!(log.starts_with("# Changelog of `botogen-things`"), "{log}");
    assert!(
        log.contains("## 0.1.0 (2026-12-01)\n\nFirst version: models from botocore 1.0.0"),
        "{log}"
    );
    assert_fresh(&repo, "things");
    assert_fresh(&repo, "widgets");

    // Botocore 2.0.0: things gains an optional member and loses an enum value.
    let v2 = botocore(tmp.path(), "2.0.0", &things(true, &["RED"]));
    let out = ok(&xtask(
        &repo,
        &["--botocore-data", v2.to_str().unwrap()],
        None,
    ));
    assert!(
        out.contains("== things: models changed (botocore 1.0.0 -> 2.0.0)"),
        "{out}"
    );
    assert!(
        out.contains("! types::Color::Green: value \"GREEN\" removed"),
        "{out}"
    );
    assert!(
        out.contains("+ types::GetThingInput.note: new optional field"),
        "{out}"
    );
    assert!(out.contains("semver: major (0.1.0 -> 0.2.0)"), "{out}");
    assert!(
        out.contains("== widgets: models unchanged in botocore 2.0.0"),
        "{out}"
    );
    let m = manifest(&repo);
    assert_eq!(m["services"]["things"]["crate_version"], "0.2.0");
    assert_eq!(m["services"]["things"]["botocore_version"], "2.0.0");
    assert_eq!(m["services"]["widgets"]["crate_version"], "0.1.0");
    assert_eq!(m["services"]["widgets"]["botocore_version"], "2.0.0");
    assert!(read(&repo, "generated-client/things/Cargo.toml").contains("version = \"0.2.0\""));
    assert!(read(&repo, "generated-client/things/src/types.rs").contains("pub note:"));
    let log = read(&repo, "generated-client/things/CHANGELOG.md");
    let (new, old) = (
        log.find("## 0.2.0 (2026-12-01)").unwrap(),
        log.find("## 0.1.0").unwrap(),
    );
    assert!(new < old, "{log}");
    assert!(
        log.contains("Models: botocore 1.0.0 -> 2.0.0 (API version 2024-01-01)."),
        "{log}"
    );
    assert!(
        log.contains("### Breaking\n\n- `types::Color::Green`: value \"GREEN\" removed"),
        "{log}"
    );
    assert!(
        log.contains("### Added\n\n- `types::GetThingInput.note`: new optional field"),
        "{log}"
    );
    // Widgets did not change: no entry.
    assert_eq!(
        read(&repo, "generated-client/widgets/CHANGELOG.md")
            .matches("## ")
            .count(),
        1
    );
    assert_fresh(&repo, "things");

    // The same data again: nothing to do.
    let before = tree(&repo);
    let out = ok(&xtask(
        &repo,
        &["--botocore-data", v2.to_str().unwrap()],
        None,
    ));
    assert!(out.contains("nothing to change"), "{out}");
    assert_eq!(tree(&repo), before);

    // Only the endpoint rule set changes: the crate embeds it, so its code
    // changes and the version takes the diff's verdict (patch).
    std::fs::write(
        v2.join("things/2024-01-01/endpoint-rule-set-1.json.gz"),
        gzip(br#"{"version": "1.0", "parameters": {"Region": {"type": "String"}}, "rules": []}"#),
    )
    .unwrap();
    let sum_before =
        manifest(&repo)["services"]["things"]["files"]["endpoint-rule-set-1.json"].clone();
    let out = ok(&xtask(
        &repo,
        &["--botocore-data", v2.to_str().unwrap()],
        None,
    ));
    assert!(
        out.contains("~ endpoint rule set: rules changed; parameters added: `Region`"),
        "{out}"
    );
    assert!(out.contains("semver: patch (0.2.0 -> 0.2.1)"), "{out}");
    let m = manifest(&repo);
    assert_eq!(m["services"]["things"]["crate_version"], "0.2.1");
    assert_ne!(
        m["services"]["things"]["files"]["endpoint-rule-set-1.json"],
        sum_before
    );
    assert!(read(&repo, "models/things/endpoint-rule-set-1.json").contains("Region"));
    assert_eq!(
        read(&repo, "generated-client/things/CHANGELOG.md")
            .matches("\n## ")
            .count(),
        3
    );
    assert_fresh(&repo, "things");
}

#[test]
fn a_missing_service_is_named_and_nothing_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo(tmp.path());
    let data = botocore(tmp.path(), "1.0.0", &things(false, &["RED"]));
    ok(&xtask(
        &repo,
        &["--botocore-data", data.to_str().unwrap(), "things"],
        None,
    ));
    let before = tree(&repo);
    let out = xtask(
        &repo,
        &[
            "--botocore-data",
            data.to_str().unwrap(),
            "things",
            "nosuch",
            "widgets",
        ],
        None,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no model for `nosuch`"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    assert_eq!(tree(&repo), before);
    // Not a data directory, not a name.
    let out = xtask(&repo, &["--botocore-data", "/no/such/dir"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a botocore data directory"));
    let out = xtask(
        &repo,
        &["--botocore-data", data.to_str().unwrap(), "../x"],
        None,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a service directory name"));
    assert_eq!(tree(&repo), before);
}

#[test]
fn bad_models_fail_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo(tmp.path());
    let data = botocore(tmp.path(), "1.0.0", &things(false, &["RED"]));
    ok(&xtask(
        &repo,
        &["--botocore-data", data.to_str().unwrap(), "things"],
        None,
    ));
    let before = tree(&repo);
    // Not JSON.
    let bad = data.join("widgets/2023-01-01/service-2.json");
    std::fs::write(&bad, "{ not json").unwrap();
    let out = xtask(
        &repo,
        &[
            "--botocore-data",
            data.to_str().unwrap(),
            "things",
            "widgets",
        ],
        None,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("widgets/2023-01-01/service-2.json: invalid JSON"),
        "{err}"
    );
    // JSON, but a dangling reference: generation fails, naming shape and member.
    let mut m = widgets();
    m["shapes"]["ListWidgetsOutput"]["members"]["Count"] = json!({"shape": "Nope"});
    std::fs::write(&bad, m.to_string()).unwrap();
    let out = xtask(
        &repo,
        &[
            "--botocore-data",
            data.to_str().unwrap(),
            "things",
            "widgets",
        ],
        None,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("shape `ListWidgetsOutput`, member `Count`"),
        "{err}"
    );
    assert_eq!(tree(&repo), before);
    assert!(
        !repo.join("target/update-models/stage").exists(),
        "stage cleaned up"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo(tmp.path());
    let v1 = botocore(tmp.path(), "1.0.0", &things(false, &["RED"]));
    ok(&xtask(
        &repo,
        &["--botocore-data", v1.to_str().unwrap(), "things"],
        None,
    ));
    let before = tree(&repo);
    let v2 = botocore(tmp.path(), "2.0.0", &things(true, &["RED"]));
    let out = ok(&xtask(
        &repo,
        &["--botocore-data", v2.to_str().unwrap(), "--dry-run"],
        None,
    ));
    assert!(out.contains("semver: minor (0.1.0 -> 0.1.1)"), "{out}");
    assert!(out.contains("dry run: nothing written"), "{out}");
    assert_eq!(tree(&repo), before);
}

#[test]
fn interrupted_runs_leave_the_tree_or_are_finished() {
    let tmp = tempfile::tempdir().unwrap();
    let v1 = botocore(tmp.path(), "1.0.0", &things(false, &["RED", "GREEN"]));
    let v2 = botocore(tmp.path(), "2.0.0", &things(true, &["RED"]));
    let (d1, d2) = (v1.to_str().unwrap(), v2.to_str().unwrap());
    // The reference: an uninterrupted update.
    let reference = tmp.path().join("reference");
    let r = repo(&reference);
    ok(&xtask(
        &r,
        &["--botocore-data", d1, "things", "widgets"],
        None,
    ));
    ok(&xtask(&r, &["--botocore-data", d2], None));
    let expected = tree(&r);

    let work = tmp.path().join("work");
    let w = repo(&work);
    ok(&xtask(
        &w,
        &["--botocore-data", d1, "things", "widgets"],
        None,
    ));
    let before = tree(&w);
    // Stopped after staging, before the commit point: nothing changed.
    let out = xtask(&w, &["--botocore-data", d2], Some("staged"));
    assert_eq!(out.status.code(), Some(75));
    assert_eq!(tree(&w), before);
    assert!(!w.join("target/update-models/journal.json").exists());
    // Stopped after two of the commit's file operations: half applied...
    let out = xtask(&w, &["--botocore-data", d2], Some("commit:2"));
    assert_eq!(out.status.code(), Some(75));
    assert_ne!(tree(&w), before);
    assert_ne!(tree(&w), expected);
    assert!(w.join("target/update-models/journal.json").is_file());
    // ...and finished by the next run, whatever it is asked to do.
    let out = ok(&xtask(&w, &["--botocore-data", d2], None));
    assert!(
        out.contains("finishing the commit of an interrupted run"),
        "{out}"
    );
    assert_eq!(tree(&w), expected);
    assert!(!w.join("target/update-models/journal.json").exists());
}
