//! Replays the fuzzers' kept inputs through the same code the fuzz targets
//! run (`fuzz/src/targets.rs`, included as a module, not copied): every file
//! under `fuzz/regressions/<target>/` (crashes found once, plus hand-made
//! hostile inputs) and `fuzz/seeds/<target>/`. A panic in any of them fails
//! the test; a stack overflow aborts it.

#[path = "../../fuzz/src/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of `dir`, sorted; none if it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `data` through the target on a thread with a 2 MiB stack (what
/// tokio gives its workers), so deep recursion shows up here too. `Err`
/// if it panicked, else the parse result.
fn run(target: &'static str, path: &Path) -> Result<Result<(), String>, String> {
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || targets::run(target, &data))
        .expect("spawn")
        .join()
        .map_err(|_| format!("{target}: {} panicked", path.display()))
}

/// Every kept regression input must not panic (its parse may fail: most
/// are malformed on purpose); every seed must not panic and must parse,
/// so the seeds show the targets reach the real parsers.
fn replay(target: &'static str) {
    let fuzz = fuzz_dir();
    let seeds = files(&fuzz.join("seeds").join(target));
    assert!(
        !seeds.is_empty(),
        "{target}: no inputs in fuzz/seeds/{target}"
    );
    let mut failures = Vec::new();
    for path in files(&fuzz.join("regressions").join(target)) {
        if let Err(panicked) = run(target, &path) {
            failures.push(panicked);
        }
    }
    for path in seeds {
        match run(target, &path) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!(
                "{target}: seed {} did not parse: {e}",
                path.display()
            )),
            Err(panicked) => failures.push(panicked),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_target_is_covered() {
    for target in targets::TARGETS {
        assert!(
            targets::operations(target).is_some(),
            "{target} has no operations"
        );
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(fuzz_dir().join("fuzz_targets"))
        .expect("fuzz/fuzz_targets")
        .filter_map(|e| {
            Some(
                e.ok()?
                    .file_name()
                    .to_str()?
                    .strip_suffix(".rs")?
                    .to_owned(),
            )
        })
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk,
        targets::TARGETS,
        "fuzz_targets/ and TARGETS differ"
    );
}

#[test]
fn cbor() {
    replay("cbor");
}

#[test]
fn ec2() {
    replay("ec2");
}

#[test]
fn event_stream() {
    replay("event_stream");
}

#[test]
fn json() {
    replay("json");
}

#[test]
fn query() {
    replay("query");
}

#[test]
fn rest_json() {
    replay("rest_json");
}

#[test]
fn rest_xml() {
    replay("rest_xml");
}
