//! Runs every `pattern` of the installed botocore's models through
//! `pattern::compile` and reports how each is enforced.
//!
//! botocore is not a build dependency: when `python3` or botocore is missing
//! the test prints why and passes without checking anything. The vendored
//! sample in `tests/data/patterns_sample.txt` always runs.

use botogen_runtime::pattern::{Engine, compile};
use std::collections::HashMap;
use std::process::Command;

/// Lists every shape pattern (with repeats) of every model, as a JSON array.
const COLLECT: &str = r#"
import botocore, glob, gzip, json, os
root = os.path.join(os.path.dirname(botocore.__file__), "data")
out = []
for path in sorted(glob.glob(os.path.join(root, "*", "*", "service-2.json*"))):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for shape in json.load(f)["shapes"].values():
            if "pattern" in shape:
                out.append(shape["pattern"])
print(json.dumps(out))
"#;

struct Tally {
    regex: usize,
    fallback: usize,
    /// Compiled only with relaxed repetition counts.
    relaxed: usize,
    bad: Vec<(String, String)>,
}

type Outcome = Result<(Engine, bool), String>;

/// Compiles each distinct pattern once, spread over the available cores
/// (compiling large Unicode classes is slow in debug builds).
fn compile_distinct(patterns: &[String]) -> HashMap<&str, Outcome> {
    let mut distinct: Vec<&str> = patterns.iter().map(String::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = distinct.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = distinct
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|p| {
                            let outcome = compile(p)
                                .map(|c| (c.engine(), c.is_exact()))
                                .map_err(|e| e.to_string());
                            (*p, outcome)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("compile thread"))
            .collect()
    })
}

fn tally(patterns: &[String]) -> Tally {
    let cache = compile_distinct(patterns);
    let mut t = Tally {
        regex: 0,
        fallback: 0,
        relaxed: 0,
        bad: Vec::new(),
    };
    for p in patterns {
        match cache.get(p.as_str()) {
            Some(Ok((engine, exact))) => {
                match engine {
                    Engine::Regex => t.regex += 1,
                    Engine::Fallback => t.fallback += 1,
                }
                t.relaxed += usize::from(!*exact);
            }
            Some(Err(e)) => t.bad.push((p.clone(), e.clone())),
            None => t.bad.push((p.clone(), "not compiled".to_owned())),
        }
    }
    t
}

#[test]
fn every_installed_botocore_pattern_compiles() {
    let output = match Command::new("python3").arg("-c").arg(COLLECT).output() {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            println!(
                "skipped: botocore not importable: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            println!("skipped: cannot run python3: {e}");
            return;
        }
    };
    let patterns: Vec<String> =
        serde_json::from_slice(&output.stdout).expect("the collector prints a JSON list");
    assert!(patterns.len() > 1000, "suspiciously few patterns found");
    let t = tally(&patterns);
    println!(
        "{} patterns: {} via regex, {} via fallback, {} unenforceable ({} compiled only with relaxed repetition counts)",
        patterns.len(),
        t.regex,
        t.fallback,
        t.bad.len(),
        t.relaxed
    );
    for (p, e) in &t.bad {
        println!("  unenforceable {p:?}: {e}");
    }
    assert_eq!(t.bad.len(), 0, "unenforceable patterns: {:?}", t.bad);
}

#[test]
fn vendored_sample_compiles() {
    let text = include_str!("data/patterns_sample.txt");
    let patterns: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    assert!(patterns.len() >= 30);
    let t = tally(&patterns);
    assert!(t.bad.is_empty(), "unenforceable: {:?}", t.bad);
    assert!(t.regex > 0 && t.fallback > 0);
}
