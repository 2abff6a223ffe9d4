//! Runs every compliance case against the generated modules and reports.
//!
//! Output: one line per case (`PASS`/`FAIL`/`SKIP <protocol> <direction>
//! <id>`), a table per protocol, then the line `N passed, N failed, N
//! skipped` that CI reads. The process fails if a case fails that is not in
//! `tests/protocol/known-failures.txt`.

use crate::compare::{compare_request, decode_body};
use crate::convert::{Direction, protocol_dir, read_suites};
use botogen_runtime::protocol::{self, HttpResponse};
use botogen_runtime::schema::{Operation, Service};
use botogen_runtime::testing::{OperationEntry, compare_struct, fill_struct, to_json};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::process::ExitCode;

/// The token the cases expect where an idempotency token is filled in.
const IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// One generated suite module, as listed in the generated `SUITES` table.
pub struct Suite {
    /// Suite file stem (`rest-json`, `json_1_0`, ...): the protocol label.
    pub file: &'static str,
    pub direction: Direction,
    /// Position of the suite in its file.
    pub index: usize,
    pub service: &'static Service,
    pub registry: &'static [OperationEntry],
    /// For each case of the suite, its operation's key in `registry`.
    pub case_keys: &'static [&'static str],
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail(String),
    Skip(String),
}

#[derive(Default, Clone, Copy)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
}

impl Tally {
    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Pass => self.passed += 1,
            Outcome::Fail(_) => self.failed += 1,
            Outcome::Skip(_) => self.skipped += 1,
        }
    }
}

/// Runs botocore's protocol suites; `args` are substring filters on
/// `<protocol> <direction> <id>`.
pub fn run(suites: &[Suite], args: &[String]) -> ExitCode {
    run_in(&protocol_dir(), suites, args)
}

/// Runs the suites of the corpus in `dir` (`input/`, `output/`, and an
/// optional `known-failures.txt`).
pub fn run_in(dir: &Path, suites: &[Suite], args: &[String]) -> ExitCode {
    let dir = dir.to_path_buf();
    let filters: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let known_path = dir.join("known-failures.txt");
    let known = match read_known_failures(&known_path).or_else(|e| {
        // A corpus without the file has no known failures.
        if known_path.exists() {
            Err(e)
        } else {
            Ok(HashMap::new())
        }
    }) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };

    let mut files: HashMap<(Direction, &str), Vec<Json>> = HashMap::new();
    let mut tallies: BTreeMap<(String, Direction), Tally> = BTreeMap::new();
    let mut failures: Vec<(String, String)> = Vec::new();
    let mut unexpected = 0;
    let mut fixed = Vec::new();

    for suite in suites {
        let (cases, endpoint) = match load_cases(&dir, &mut files, suite) {
            Ok(c) => c,
            Err(e) => {
                println!(
                    "FAIL {} {} suite {}: {e}",
                    suite.file,
                    suite.direction.as_str(),
                    suite.index
                );
                unexpected += 1;
                continue;
            }
        };
        for (case, key) in cases.iter().zip(suite.case_keys) {
            let id = case.get("id").and_then(Json::as_str).unwrap_or("<no id>");
            let label = format!("{} {} {id}", suite.file, suite.direction.as_str());
            if !filters.is_empty() && !filters.iter().any(|f| label.contains(f)) {
                continue;
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| run_case(suite, case, key, endpoint)))
                .unwrap_or_else(|panic| Outcome::Fail(format!("panicked: {}", panic_text(&panic))));
            tallies
                .entry((suite.file.to_owned(), suite.direction))
                .or_default()
                .add(&outcome);
            match &outcome {
                Outcome::Pass => {
                    println!("PASS {label}");
                    if known.contains_key(&label) {
                        fixed.push(label);
                    }
                }
                Outcome::Skip(reason) => println!("SKIP {label}: {reason}"),
                Outcome::Fail(reason) => {
                    let listed = known.contains_key(&label);
                    let tag = if listed { " (known)" } else { "" };
                    println!("FAIL{tag} {label}: {reason}");
                    if !listed {
                        unexpected += 1;
                    }
                    failures.push((label, reason.clone()));
                }
            }
        }
    }

    let table = summary_table(&tallies);
    println!("\n{table}");
    for label in &fixed {
        println!("note: `{label}` passes now; remove it from known-failures.txt");
    }
    if std::env::var_os("BOTOGEN_WRITE_RESULTS").is_some_and(|v| v == "1") {
        let text = format!(
            "# Protocol compliance results\n\n\
             Written by `BOTOGEN_WRITE_RESULTS=1 cargo test -p botogen-tests --test \
             protocol_compliance`; cases are botocore's suites in `input/` and `output/`.\n\n{table}"
        );
        if let Err(e) = std::fs::write(dir.join("RESULTS.md"), text) {
            eprintln!("error: writing RESULTS.md: {e}");
        }
    }
    if std::env::var_os("BOTOGEN_UPDATE_KNOWN_FAILURES").is_some_and(|v| v == "1") {
        if let Err(e) = write_known_failures(&dir.join("known-failures.txt"), &failures) {
            eprintln!("error: writing known-failures.txt: {e}");
        }
        unexpected = 0;
    }

    let total = tallies.values().fold(Tally::default(), |mut t, x| {
        t.passed += x.passed;
        t.failed += x.failed;
        t.skipped += x.skipped;
        t
    });
    if unexpected > 0 {
        println!(
            "{unexpected} failures are not listed in {}",
            known_path.display()
        );
    }
    println!(
        "{} passed, {} failed, {} skipped",
        total.passed, total.failed, total.skipped
    );
    if unexpected > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn load_cases<'a>(
    dir: &Path,
    files: &'a mut HashMap<(Direction, &'static str), Vec<Json>>,
    suite: &Suite,
) -> Result<(&'a [Json], Option<&'a str>), String> {
    let key = (suite.direction, suite.file);
    let suites = match files.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(read_suites(dir, suite.direction, suite.file)?)
        }
    };
    let json = suites
        .get(suite.index)
        .ok_or("suite missing from its file; regenerate with `cargo xtask codegen`")?;
    let endpoint = json.get("clientEndpoint").and_then(Json::as_str);
    let cases = json
        .get("cases")
        .and_then(Json::as_array)
        .ok_or("suite missing from its file; regenerate with `cargo xtask codegen`")?;
    if cases.len() != suite.case_keys.len() {
        return Err(format!(
            "{} cases in the file, {} in the generated table; regenerate with `cargo xtask codegen`",
            cases.len(),
            suite.case_keys.len()
        ));
    }
    Ok((cases, endpoint))
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic".to_owned()
    }
}

/// Runs one case of `suite`; `key` names its operation in the registry and
/// `endpoint` is the suite's `clientEndpoint`.
pub fn run_case(suite: &Suite, case: &Json, key: &str, endpoint: Option<&str>) -> Outcome {
    let Some(entry) = suite.registry.iter().find(|e| e.key == key) else {
        return Outcome::Fail(format!("operation {key} is not in the generated registry"));
    };
    if entry.operation.event_stream {
        return Outcome::Skip("event stream operations are not supported".into());
    }
    let result = match suite.direction {
        Direction::Input => input_case(suite, entry, case, endpoint),
        Direction::Output => output_case(suite, entry, case),
    };
    match result {
        Ok(()) => Outcome::Pass,
        Err(reason) => Outcome::Fail(reason),
    }
}

fn input_case(
    suite: &Suite,
    entry: &OperationEntry,
    case: &Json,
    endpoint: Option<&str>,
) -> Result<(), String> {
    let service = suite.service;
    let mut input = (entry.new_input)();
    let params = case
        .get("params")
        .cloned()
        .unwrap_or(Json::Object(Default::default()));
    fill_struct(&mut *input, &params).map_err(|e| format!("params: {e}"))?;
    // botocore's harness fixes uuid4 to this value; the cases expect it.
    protocol::rest::override_idempotency_token(Some(IDEMPOTENCY_TOKEN.to_owned()));
    let request = protocol::serialize_request(service, service.protocol, entry.operation, &*input);
    protocol::rest::override_idempotency_token(None);
    let request = request.map_err(|e| format!("serialize_request: {}", e.message))?;
    let expected = case.get("serialized").ok_or("case has no `serialized`")?;
    let input_shape = entry.operation.input;
    let body_shape = match input_shape.structure().and_then(|s| s.payload) {
        Some(i) => input_shape.members().get(i).map(|m| m.target),
        None => Some(input_shape),
    };
    compare_request(
        service.protocol.as_str(),
        expected,
        &request,
        endpoint,
        body_shape,
    )
}

/// The HTTP response a case describes (CBOR bodies are base64 in the case).
pub fn case_response(protocol: &str, case: &Json) -> Result<HttpResponse, String> {
    let response = case.get("response").ok_or("case has no `response`")?;
    let status = response
        .get("status_code")
        .and_then(Json::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("response has no valid status_code")?;
    let headers = match response.get("headers") {
        Some(Json::Object(map)) => map
            .iter()
            .map(|(k, v)| {
                let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                (k.clone(), v)
            })
            .collect(),
        _ => Vec::new(),
    };
    let body = match response.get("body").and_then(Json::as_str) {
        Some(text) => decode_body(protocol, text)?,
        None if protocol == "query" => b"<xml/>".to_vec(),
        None => Vec::new(),
    };
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn output_case(suite: &Suite, entry: &OperationEntry, case: &Json) -> Result<(), String> {
    let service = suite.service;
    let op = entry.operation;
    let response = case_response(service.protocol.as_str(), case)?;
    if case.get("error").is_some() || case.get("errorCode").is_some() {
        return error_case(service, entry, case, &response);
    }
    let mut output = (entry.new_output)();
    protocol::parse_response(service, service.protocol, op, &response, &mut *output)
        .map_err(|e| format!("parse_response: {}", e.message))?;
    let expected = case
        .get("result")
        .cloned()
        .unwrap_or(Json::Object(Default::default()));
    compare_struct(&expected, &*output)
        .map_err(|e| format!("result{e}; parsed {}", to_json(&*output)))
}

fn error_case(
    service: &Service,
    entry: &OperationEntry,
    case: &Json,
    response: &HttpResponse,
) -> Result<(), String> {
    let op: &Operation = entry.operation;
    let envelope = protocol::parse_error_envelope(service, service.protocol, op, response)
        .map_err(|e| format!("parse_error_envelope: {}", e.message))?;
    if let Some(code) = case.get("errorCode").and_then(Json::as_str)
        && envelope.code != code
    {
        return Err(format!(
            "error code: expected {code:?}, found {:?}",
            envelope.code
        ));
    }
    if let Some(message) = case.get("errorMessage").and_then(Json::as_str)
        && envelope.message.as_deref() != Some(message)
    {
        return Err(format!(
            "error message: expected {message:?}, found {:?}",
            envelope.message
        ));
    }
    // `"errorShape": null`: the code names no error shape of the service.
    if case.get("errorShape").is_some_and(Json::is_null) {
        return match envelope.matched {
            None => Ok(()),
            Some(m) => Err(format!(
                "error {:?} should be unmodeled, but was matched to {:?}",
                envelope.code,
                m.shape(service, op).map(|s| s.name)
            )),
        };
    }
    let Some(matched) = envelope.matched else {
        return Err(format!(
            "error {:?} was not matched to a modeled error (operation: {:?}, service: {:?})",
            envelope.code,
            op.errors.iter().map(|s| s.name).collect::<Vec<_>>(),
            service.errors.iter().map(|s| s.name).collect::<Vec<_>>()
        ));
    };
    let shape_name = matched.shape(service, op).map(|s| s.name);
    let allowed: Vec<&str> = case
        .get("given")
        .and_then(|g| g.get("errors"))
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("shape").and_then(Json::as_str))
        .collect();
    // A case may name the shape it expects (`errorShape`, for codes the
    // operation does not list); else a single listed error is the one.
    let expected_shape = case
        .get("errorShape")
        .and_then(Json::as_str)
        .or((allowed.len() == 1).then(|| allowed[0]));
    if let Some(expected) = expected_shape
        && shape_name != Some(expected)
    {
        return Err(format!(
            "modeled error: expected {expected}, found {shape_name:?}"
        ));
    }
    let error = match matched {
        protocol::ErrorMatch::Operation(i) => (entry.new_error)(i),
        protocol::ErrorMatch::Service(i) => (entry.new_service_error)(i),
    };
    let Some(mut error) = error else {
        return Err(format!("registry has no constructor for error {matched:?}"));
    };
    protocol::parse_error_body(service.protocol, response, &mut *error)
        .map_err(|e| format!("parse_error_body: {}", e.message))?;
    let expected = case
        .get("error")
        .cloned()
        .unwrap_or(Json::Object(Default::default()));
    compare_struct(&expected, &*error).map_err(|e| format!("error{e}; parsed {}", to_json(&*error)))
}

/// Known failures: `<protocol> <direction> <case id> — reason` per line.
fn read_known_failures(path: &Path) -> Result<HashMap<String, String>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut known = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (head, reason) = line.split_once('—').unwrap_or((line, ""));
        let words: Vec<&str> = head.split_whitespace().collect();
        if words.len() != 3 {
            return Err(format!(
                "{}:{}: expected `<protocol> <direction> <case id> — reason`",
                path.display(),
                n + 1
            ));
        }
        known.insert(words.join(" "), reason.trim().to_owned());
    }
    Ok(known)
}

fn write_known_failures(path: &Path, failures: &[(String, String)]) -> std::io::Result<()> {
    let mut text = String::from(
        "# Compliance cases expected to fail: `<protocol> <direction> <case id> — reason`.\n\
         # The goal is an empty list. Regenerate with BOTOGEN_UPDATE_KNOWN_FAILURES=1.\n",
    );
    let mut sorted = failures.to_vec();
    sorted.sort();
    for (label, reason) in sorted {
        let mut short: String = reason
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(200)
            .collect();
        if short.len() < reason.len() {
            short.push('…');
        }
        let _ = writeln!(text, "{label} — {short}");
    }
    std::fs::write(path, text)
}

fn summary_table(tallies: &BTreeMap<(String, Direction), Tally>) -> String {
    let mut by_protocol: BTreeMap<&str, [Tally; 2]> = BTreeMap::new();
    for ((file, direction), t) in tallies {
        let slot = by_protocol.entry(file.as_str()).or_default();
        slot[usize::from(*direction == Direction::Output)] = *t;
    }
    let mut out = String::from(
        "| protocol | input passed | input failed | input skipped | output passed | output failed | output skipped |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut total = [Tally::default(); 2];
    for (file, [i, o]) in &by_protocol {
        let _ = writeln!(
            out,
            "| {file} | {} | {} | {} | {} | {} | {} |",
            i.passed, i.failed, i.skipped, o.passed, o.failed, o.skipped
        );
        for (t, x) in total.iter_mut().zip([i, o]) {
            t.passed += x.passed;
            t.failed += x.failed;
            t.skipped += x.skipped;
        }
    }
    let [i, o] = total;
    let _ = writeln!(
        out,
        "| **total** | {} | {} | {} | {} | {} | {} |",
        i.passed, i.failed, i.skipped, o.passed, o.failed, o.skipped
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_failures_parse_and_reject_malformed_lines() {
        let dir = std::env::temp_dir().join(format!("botogen-known-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("known.txt");
        std::fs::write(&path, "# comment\n\nrest-json input Foo — why not\n").unwrap();
        let known = read_known_failures(&path).unwrap();
        assert_eq!(
            known.get("rest-json input Foo").map(String::as_str),
            Some("why not")
        );
        std::fs::write(&path, "rest-json Foo — missing direction\n").unwrap();
        assert!(read_known_failures(&path).unwrap_err().contains(":1:"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn responses_without_body_follow_the_protocol() {
        let case = serde_json::json!({"response": {"status_code": 200, "headers": {"X-A": "1"}}});
        let query = case_response("query", &case).unwrap();
        assert_eq!(query.body, b"<xml/>");
        assert_eq!(query.header("x-a"), Some("1"));
        assert!(case_response("rest-json", &case).unwrap().body.is_empty());
        let cbor = serde_json::json!({"response": {"status_code": 200, "body": "oA=="}});
        assert_eq!(
            case_response("smithy-rpc-v2-cbor", &cbor).unwrap().body,
            [0xa0]
        );
    }
}
