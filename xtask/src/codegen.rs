//! `cargo xtask codegen [--check]`: keeps the checked-in generated code in
//! step with the models.
//!
//! Every `models/<service>/service-2.json` becomes
//! `generated-client/<service>/`; the Smithy models of SQS and DynamoDB in
//! `../shared/smithy-models/` become `generated-client/sqs-smithy/` and
//! `generated-client/dynamodb-smithy/` (the service tests run against both
//! front ends' crates); the protocol compliance suites become the
//! modules under `tests/tests/generated/`; the generator's hostile-input
//! fixture crate is refreshed too. Everything is rendered in memory
//! before anything is written, so a model that fails to generate leaves all
//! previous output untouched.

use botogen::{GenerateOptions, ModelSource};
use std::path::{Path, PathBuf};

pub fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask codegen [--check]".into()),
    };
    // A commit `update-models` could not finish must land before models are read.
    if check {
        if crate::update_models::pending(&crate::root()) {
            return Err("an interrupted `cargo xtask update-models` left a journal in target/update-models/; run `cargo xtask codegen` or `update-models` to finish it".into());
        }
    } else {
        crate::update_models::replay(&crate::root())?;
    }
    let stale = generate_all(&crate::root(), check)?;
    if check {
        if !stale.is_empty() {
            for f in &stale {
                eprintln!("stale: {}", f.display());
            }
            return Err(format!(
                "{} generated file(s) differ from their models; run `cargo xtask codegen`",
                stale.len()
            ));
        }
        println!("generated code is fresh");
    } else {
        for f in &stale {
            println!("updated {}", f.display());
        }
        println!("{} file(s) updated", stale.len());
    }
    Ok(())
}

/// Renders every service crate and suite module; writes them unless `check`.
/// Returns the files that changed (write mode) or are stale (check mode).
pub fn generate_all(root: &Path, check: bool) -> Result<Vec<PathBuf>, String> {
    let models = root.join("models");
    let out = root.join("generated-client");
    let mut services: Vec<String> = std::fs::read_dir(&models)
        .map_err(|e| format!("{}: {e}", models.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().join("service-2.json").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    services.sort();
    let manifest = crate::manifest::Manifest::read(&models)?;

    // Render everything first: a failure here must leave every file as it was.
    let mut rendered: Vec<(&str, botogen::GeneratedCrate)> = Vec::with_capacity(services.len());
    for service in &services {
        // Relative to the workspace, so the @generated header is machine-independent.
        let model = PathBuf::from("models").join(service).join("service-2.json");
        let mut opts = GenerateOptions::new(ModelSource::Path(model));
        opts.service_name = Some(service.clone());
        if let Some(v) = manifest.crate_version(service) {
            opts.version = v.to_string();
        }
        let generated = with_cwd(root, || botogen::generate(&opts)).map_err(|e| e.to_string())?;
        rendered.push((service.as_str(), generated));
    }

    // Crates from Smithy models: read from the shared directory, labelled
    // with a machine-independent path.
    for (name, file) in SMITHY_CRATES {
        let path = crate::shared()?.join("smithy-models").join(file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut opts = GenerateOptions::new(ModelSource::Text {
            label: format!("../shared/smithy-models/{file}"),
            text,
        });
        opts.service_name = Some(name.to_string());
        let generated = botogen::generate(&opts).map_err(|e| e.to_string())?;
        rendered.push((name, generated));
    }

    let mut changed = Vec::new();
    let mut expected_dirs = std::collections::BTreeSet::new();
    for (service, generated) in &rendered {
        let dir = out.join(service);
        expected_dirs.insert(dir.clone());
        let report =
            botogen::write_files(&dir, &generated.files, check).map_err(|e| e.to_string())?;
        let rel = |p: &PathBuf| Path::new("generated-client").join(service).join(p);
        changed.extend(report.written.iter().map(rel));
        changed.extend(report.differing.iter().map(rel));
        changed.extend(report.missing.iter().map(rel));
        changed.extend(report.extra.iter().map(rel));
    }
    // A crate whose model was removed is stale too.
    if let Ok(entries) = std::fs::read_dir(&out) {
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() && !expected_dirs.contains(&p) {
                changed.push(Path::new("generated-client").join(e.file_name()));
                if !check {
                    std::fs::remove_dir_all(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                }
            }
        }
    }

    // The generator's hostile-input fixture is a workspace crate too.
    let fixture = PathBuf::from("codegen/tests/fixtures");
    let mut opts = GenerateOptions::new(ModelSource::Path(
        fixture.join("models/hostile/service-2.json"),
    ));
    opts.service_name = Some("hostile".into());
    opts.runtime_path = "../../../../runtime".into();
    let hostile = with_cwd(root, || botogen::generate(&opts)).map_err(|e| e.to_string())?;
    let report = botogen::write_files(&root.join(&fixture).join("hostile"), &hostile.files, check)
        .map_err(|e| e.to_string())?;
    let rel = |p: &PathBuf| fixture.join("hostile").join(p);
    for list in [
        &report.written,
        &report.differing,
        &report.missing,
        &report.extra,
    ] {
        changed.extend(list.iter().map(rel));
    }

    // The Smithy front end's construct fixture is a workspace crate too.
    let mut opts = GenerateOptions::new(ModelSource::Path(fixture.join("smithy/constructs.json")));
    opts.service_name = Some("library".into());
    opts.runtime_path = "../../../../runtime".into();
    let library = with_cwd(root, || botogen::generate(&opts)).map_err(|e| e.to_string())?;
    let report = botogen::write_files(&root.join(&fixture).join("library"), &library.files, check)
        .map_err(|e| e.to_string())?;
    let rel = |p: &PathBuf| fixture.join("library").join(p);
    for list in [
        &report.written,
        &report.differing,
        &report.missing,
        &report.extra,
    ] {
        changed.extend(list.iter().map(rel));
    }

    changed.extend(compat_fixture(root, check)?);

    let suites = botogen_tests::generate::generate_protocol_modules(check)?;
    changed.extend(suites.changed);
    Ok(changed)
}

/// Checked-in crates generated from shared Smithy models: directory, model.
const SMITHY_CRATES: &[(&str, &str)] = &[
    ("dynamodb-smithy", "aws-sdk-models-2026-06/dynamodb.json"),
    ("sqs-smithy", "aws-sdk-models-2026-06/sqs.json"),
];

/// Model paths are resolved relative to the workspace root.
fn with_cwd<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    let old = std::env::current_dir().ok();
    let _ = std::env::set_current_dir(dir);
    let out = f();
    if let Some(old) = old {
        let _ = std::env::set_current_dir(old);
    }
    out
}

/// The model-update compatibility fixture (`codegen/tests/fixtures/compat`):
/// crates generated from the old and the new model, and the probe written
/// against the old API that `probe-old` and `probe-new` compile against
/// each. The workspace build is the compiler check of `botogen diff`'s
/// non-breaking verdicts for this pair.
fn compat_fixture(root: &Path, check: bool) -> Result<Vec<PathBuf>, String> {
    let fixture = PathBuf::from("codegen/tests/fixtures/compat");
    let mut changed = Vec::new();
    let model = |side: &str| fixture.join("models").join(side).join("service-2.json");
    for side in ["old", "new"] {
        let mut opts = GenerateOptions::new(ModelSource::Path(model(side)));
        opts.service_name = Some(format!("compat-{side}"));
        opts.runtime_path = "../../../../../runtime".into();
        let generated = with_cwd(root, || botogen::generate(&opts)).map_err(|e| e.to_string())?;
        let dir = fixture.join(side);
        let report = botogen::write_files(&root.join(&dir), &generated.files, check)
            .map_err(|e| e.to_string())?;
        for list in [
            &report.written,
            &report.differing,
            &report.missing,
            &report.extra,
        ] {
            changed.extend(list.iter().map(|p| dir.join(p)));
        }
    }
    let probe = with_cwd(root, || -> Result<String, botogen::Error> {
        let report = botogen::diff::diff_files(&model("old"), &model("new"))?;
        let old = botogen::load(&GenerateOptions::new(ModelSource::Path(model("old"))))?;
        let opts = botogen::diff::probe::ProbeOptions {
            alias: "svc".into(),
            skip: botogen::diff::probe::breaking_items(&report),
            note: "Built by `probe-old` against the old model's crate and by `probe-new` against the new one's.".into(),
            invert: false,
        };
        botogen::diff::probe::probe_file(&old, &opts, &model("old").display().to_string())
            .map(|p| p.source)
    })
    .map_err(|e| e.to_string())?;
    let rel = fixture.join("probe.rs");
    let files = [(PathBuf::from("probe.rs"), probe)].into_iter().collect();
    let report =
        botogen::write_files(&root.join(&fixture), &files, check).map_err(|e| e.to_string())?;
    for list in [&report.written, &report.differing, &report.missing] {
        if !list.is_empty() {
            changed.push(rel.clone());
        }
    }
    Ok(changed)
}
