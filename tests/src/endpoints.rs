//! The endpoint rule-set test cases (`../shared/endpoint-tests`, botocore's
//! `tests/functional/endpoint-rules/`), run the way botocore's
//! `test_endpoint_rulesets.py` runs them:
//!
//! - provider cases: the rule set evaluated with the case's `params`; an
//!   endpoint must match `url`, `headers` and `properties` exactly, an error
//!   its message exactly;
//! - operation cases (`operationInputs`): the operation is called with
//!   `operationParams`, the `builtInParams` replacing every built-in and
//!   `clientParams` as client context parameters; the request URL must
//!   start with the expected URL, and an error case must fail before
//!   sending with the expected message. How the call is made is the
//!   caller's [`OperationRunner`]: the workspace test goes through the
//!   generated crates' `Operation` statics, `cargo xtask scale` through the
//!   generator's IR bindings ([`IrRunner`]).
//!
//! Each case prints one line; each service a summary; skipped cases are
//! listed with their reason.

use botogen::ir;
use botogen_runtime::client::endpoint::{self as client_endpoint, ResolvedEndpoint};
use botogen_runtime::endpoint::{Builtins, ParamValue, Program};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// `BOTOGEN_ENDPOINT_TESTS` if set, else `shared/endpoint-tests` in the
/// nearest ancestor of the repository root that has it (`../shared/` for a
/// checkout beside the shared data, as in CI; further up for a worktree).
pub fn default_cases_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BOTOGEN_ENDPOINT_TESTS") {
        return PathBuf::from(dir);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.ancestors()
        .skip(1)
        .map(|a| a.join("shared/endpoint-tests"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| root.join("../shared/endpoint-tests"))
}

/// One test case.
#[derive(Debug, Clone)]
pub struct Case {
    pub documentation: String,
    pub params: serde_json::Map<String, Json>,
    pub expect: Expect,
    pub operation_inputs: Vec<OperationInput>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    Endpoint {
        url: String,
        headers: serde_json::Map<String, Json>,
        properties: serde_json::Map<String, Json>,
    },
    Error(String),
}

/// One `operationInputs` entry.
#[derive(Debug, Clone)]
pub struct OperationInput {
    pub operation_name: String,
    pub operation_params: Json,
    pub builtin_params: serde_json::Map<String, Json>,
    pub client_params: serde_json::Map<String, Json>,
}

fn object(v: Option<&Json>) -> serde_json::Map<String, Json> {
    v.and_then(Json::as_object).cloned().unwrap_or_default()
}

/// Reads `<dir>/<service>/endpoint-tests-1.json`.
pub fn load_cases(dir: &Path, service: &str) -> Result<Vec<Case>, String> {
    let path = dir.join(service).join("endpoint-tests-1.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: Json = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_cases(&json, &path.display().to_string())
}

/// The cases of an `endpoint-tests-1.json` document, or of a Smithy
/// model's `smithy.rules#endpointTests` trait (the same form); `label`
/// names the source in errors.
pub fn parse_cases(json: &Json, label: &str) -> Result<Vec<Case>, String> {
    let cases = json
        .get("testCases")
        .and_then(Json::as_array)
        .ok_or_else(|| format!("{label}: no testCases"))?;
    cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let bad = |what: &str| format!("{label} case {i}: {what}");
            let expect = c.get("expect").ok_or_else(|| bad("no expect"))?;
            let expect = if let Some(e) = expect.get("endpoint") {
                Expect::Endpoint {
                    url: e
                        .get("url")
                        .and_then(Json::as_str)
                        .ok_or_else(|| bad("endpoint without url"))?
                        .to_owned(),
                    headers: object(e.get("headers")),
                    properties: object(e.get("properties")),
                }
            } else if let Some(m) = expect.get("error").and_then(Json::as_str) {
                Expect::Error(m.to_owned())
            } else {
                return Err(bad("expect is neither endpoint nor error"));
            };
            let operation_inputs = c
                .get("operationInputs")
                .and_then(Json::as_array)
                .map(|list| {
                    list.iter()
                        .map(|oi| {
                            Ok(OperationInput {
                                operation_name: oi
                                    .get("operationName")
                                    .and_then(Json::as_str)
                                    .ok_or_else(|| bad("operationInputs without operationName"))?
                                    .to_owned(),
                                operation_params: oi
                                    .get("operationParams")
                                    .cloned()
                                    .unwrap_or_else(|| Json::Object(Default::default())),
                                builtin_params: object(oi.get("builtInParams")),
                                client_params: object(oi.get("clientParams")),
                            })
                        })
                        .collect::<Result<Vec<_>, String>>()
                })
                .transpose()?
                .unwrap_or_default();
            Ok(Case {
                documentation: c
                    .get("documentation")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                params: object(c.get("params")),
                expect,
                operation_inputs,
            })
        })
        .collect()
}

/// A case's outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Pass,
    Fail(String),
    Skip(String),
}

/// The built-ins of an operation case, exactly as given (botocore's test
/// replaces every built-in with these).
pub fn builtins_of(input: &OperationInput) -> Result<Builtins, String> {
    let mut b = Builtins::default();
    for (name, value) in &input.builtin_params {
        let v = ParamValue::from_json(value)
            .ok_or_else(|| format!("built-in {name} has an unusable value {value}"))?;
        b.set(name.clone(), v);
    }
    Ok(b)
}

/// The client context parameters of an operation case.
pub fn client_params_of(input: &OperationInput) -> Result<Vec<(String, ParamValue)>, String> {
    input
        .client_params
        .iter()
        .map(|(k, v)| {
            ParamValue::from_json(v)
                .map(|p| (k.clone(), p))
                .ok_or_else(|| format!("client param {k} has an unusable value {v}"))
        })
        .collect()
}

/// Makes an operation case's call up to the request URL.
pub trait OperationRunner {
    /// The URL the request would be sent to, or the error that stops it
    /// (`Err((message, true))` when it is the rule set's own error).
    fn request_url(&self, input: &OperationInput) -> Result<String, (String, bool)>;
}

fn compare_provider(program: &Program, case: &Case) -> Outcome {
    let mut values = Vec::new();
    for (name, v) in &case.params {
        match ParamValue::from_json(v) {
            Some(p) => values.push((name.as_str(), p)),
            None => return Outcome::Fail(format!("param {name}: unusable value {v}")),
        }
    }
    let got = program.evaluate_named(&values);
    match (&case.expect, got) {
        (
            Expect::Endpoint {
                url,
                headers,
                properties,
            },
            Ok(e),
        ) => {
            let got_headers: serde_json::Map<String, Json> = e
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Json::from(v.clone())))
                .collect();
            if e.url != *url {
                Outcome::Fail(format!("url {} != expected {url}", e.url))
            } else if got_headers != *headers {
                Outcome::Fail(format!(
                    "headers {} != expected {}",
                    Json::Object(got_headers),
                    Json::Object(headers.clone())
                ))
            } else if e.properties != *properties {
                Outcome::Fail(format!(
                    "properties {} != expected {}",
                    Json::Object(e.properties),
                    Json::Object(properties.clone())
                ))
            } else {
                Outcome::Pass
            }
        }
        (Expect::Endpoint { url, .. }, Err(e)) => {
            Outcome::Fail(format!("error {:?} instead of endpoint {url}", e.message))
        }
        (Expect::Error(want), Err(e)) if e.message == *want => Outcome::Pass,
        (Expect::Error(want), Err(e)) => {
            Outcome::Fail(format!("error {:?} != expected {want:?}", e.message))
        }
        (Expect::Error(want), Ok(e)) => {
            Outcome::Fail(format!("endpoint {} instead of error {want:?}", e.url))
        }
    }
}

fn compare_operation(runner: &dyn OperationRunner, case: &Case, input: &OperationInput) -> Outcome {
    match (&case.expect, runner.request_url(input)) {
        (Expect::Endpoint { url, .. }, Ok(got)) if got.starts_with(url.as_str()) => Outcome::Pass,
        (Expect::Endpoint { url, .. }, Ok(got)) => {
            Outcome::Fail(format!("request URL {got} does not start with {url}"))
        }
        (Expect::Endpoint { url, .. }, Err((e, _))) => {
            Outcome::Fail(format!("error {e:?} instead of a request to {url}"))
        }
        (Expect::Error(want), Err((e, true))) if e == *want => Outcome::Pass,
        (Expect::Error(want), Err((e, _))) => {
            Outcome::Fail(format!("error {e:?} != expected {want:?}"))
        }
        (Expect::Error(want), Ok(got)) => {
            Outcome::Fail(format!("request to {got} instead of error {want:?}"))
        }
    }
}

/// Results of one service.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub service: String,
    pub passed: usize,
    pub failed: Vec<(String, String)>,
    pub skipped: Vec<(String, String)>,
}

impl Report {
    pub fn total(&self) -> usize {
        self.passed + self.failed.len() + self.skipped.len()
    }

    /// `service: N passed, N failed, N skipped`.
    pub fn summary(&self) -> String {
        format!(
            "{}: {} passed, {} failed, {} skipped",
            self.service,
            self.passed,
            self.failed.len(),
            self.skipped.len()
        )
    }
}

/// Runs every case of a service; `runner` makes the operation cases' calls
/// (`None`: they are skipped with `why_no_runner`). `print` gets each line.
pub fn run_service(
    service: &str,
    program: &Program,
    cases: &[Case],
    runner: Option<&dyn OperationRunner>,
    why_no_runner: &str,
    print: &mut dyn FnMut(&str),
) -> Report {
    let mut report = Report {
        service: service.to_owned(),
        ..Report::default()
    };
    let record =
        |report: &mut Report, name: String, outcome: Outcome, print: &mut dyn FnMut(&str)| {
            match outcome {
                Outcome::Pass => {
                    print(&format!("ok      {name}"));
                    report.passed += 1;
                }
                Outcome::Fail(why) => {
                    print(&format!("FAILED  {name}: {why}"));
                    report.failed.push((name, why));
                }
                Outcome::Skip(why) => {
                    print(&format!("skipped {name}: {why}"));
                    report.skipped.push((name, why));
                }
            }
        };
    for (i, case) in cases.iter().enumerate() {
        let doc: String = case.documentation.chars().take(100).collect();
        let name = format!("{service} #{i} params: {doc}");
        record(&mut report, name, compare_provider(program, case), print);
        for (j, input) in case.operation_inputs.iter().enumerate() {
            let name = format!("{service} #{i}.{j} {}: {doc}", input.operation_name);
            let outcome = match runner {
                Some(r) => compare_operation(r, case, input),
                None => Outcome::Skip(why_no_runner.to_owned()),
            };
            record(&mut report, name, outcome, print);
        }
    }
    report
}

/// Operation cases through the generator's IR: the same binding data the
/// generated `Operation` statics are emitted from (static values, input
/// members, `operationContextParams` paths), applied to the case's
/// `operationParams` JSON as botocore applies them to its call arguments
/// (paths evaluated with JMESPath), then the runtime's resolution and URL
/// joining. Used where compiling the generated crates is too costly (all
/// botocore services in `cargo xtask scale`).
pub struct IrRunner<'a> {
    pub service: &'a ir::Service,
    pub program: &'a Program,
}

impl IrRunner<'_> {
    fn param(&self, input: &OperationInput, op: &ir::Operation, name: &str) -> Option<ParamValue> {
        let args = &input.operation_params;
        let of_kind = |kind: u8| {
            op.context_params
                .iter()
                .filter(|p| p.name == name)
                .find_map(|p| match (&p.source, kind) {
                    (ir::ContextSource::Static(v), 0) => Some(match v {
                        ir::EndpointValue::Bool(b) => ParamValue::Bool(*b),
                        ir::EndpointValue::Str(s) => ParamValue::String(s.clone()),
                        ir::EndpointValue::StrList(l) => ParamValue::StringArray(l.clone()),
                    }),
                    (ir::ContextSource::Member(m), 1) => {
                        args.get(m).and_then(ParamValue::from_json)
                    }
                    (ir::ContextSource::Path(path), 2) => {
                        let found = botogen_runtime::waiter::search(path, args).ok()?;
                        match found {
                            Json::Array(items) => Some(ParamValue::StringArray(
                                items
                                    .iter()
                                    .filter_map(|i| i.as_str().map(str::to_owned))
                                    .collect(),
                            )),
                            other => ParamValue::from_json(&other),
                        }
                    }
                    _ => None,
                })
        };
        of_kind(0).or_else(|| of_kind(1)).or_else(|| of_kind(2))
    }

    /// The operation's request target with URI labels filled from the
    /// params (percent-encoding as the REST serializers do, `+` labels
    /// keeping `/`), its literal query kept.
    fn target(op: &ir::Operation, args: &Json) -> String {
        let (path, query) = match op.request_uri.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (op.request_uri.as_str(), None),
        };
        let mut out = String::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let label = &rest[open + 1..open + close];
            let (name, greedy) = match label.strip_suffix('+') {
                Some(n) => (n, true),
                None => (label, false),
            };
            let value = args.get(name).and_then(Json::as_str).unwrap_or("x");
            let safe: &[u8] = if greedy { b"/" } else { b"" };
            for &b in value.as_bytes() {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || safe.contains(&b) {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        out
    }
}

impl OperationRunner for IrRunner<'_> {
    fn request_url(&self, input: &OperationInput) -> Result<String, (String, bool)> {
        let op = self
            .service
            .operations
            .iter()
            .find(|o| o.key == input.operation_name)
            .ok_or_else(|| (format!("no operation {}", input.operation_name), false))?;
        let builtins = builtins_of(input).map_err(|e| (e, false))?;
        let client = client_params_of(input).map_err(|e| (e, false))?;
        let values: Vec<Option<ParamValue>> = self
            .program
            .params()
            .iter()
            .map(|def| {
                self.param(input, op, &def.name)
                    .or_else(|| {
                        client
                            .iter()
                            .find(|(n, _)| *n == def.name)
                            .map(|(_, v)| v.clone())
                    })
                    .or_else(|| {
                        def.builtin
                            .as_deref()
                            .and_then(|b| builtins.get(b))
                            .cloned()
                    })
            })
            .collect();
        let resolved = self
            .program
            .evaluate(&values)
            .map_err(|e| (e.message, true))?;
        let endpoint: ResolvedEndpoint =
            client_endpoint::from_rule_set(resolved).map_err(|e| (e.to_string(), false))?;
        Ok(endpoint.url(&Self::target(op, &input.operation_params)))
    }
}

/// Every service of a botocore data directory (or those in `only`), the
/// front end run on its newest model with its rule set, the cases run
/// through [`IrRunner`]. Each case's line goes to `print`; a service whose
/// model or rule set does not load is a failed report.
pub fn run_all(
    data: &Path,
    cases_dir: &Path,
    only: &[String],
    print: &mut dyn FnMut(&str),
) -> Result<Vec<Report>, String> {
    let mut services: Vec<String> = std::fs::read_dir(data)
        .map_err(|e| format!("{}: {e}", data.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| only.is_empty() || only.contains(name))
        .collect();
    services.sort();
    let mut reports = Vec::with_capacity(services.len());
    for name in services {
        let failed = |why: String| Report {
            service: name.clone(),
            failed: vec![(name.clone(), why)],
            ..Report::default()
        };
        let Some(model) = botogen::newest_model(&data.join(&name)) else {
            continue;
        };
        let svc = match botogen::load(&botogen::GenerateOptions::new(botogen::ModelSource::Path(
            model,
        ))) {
            Ok(s) => s,
            Err(e) => {
                reports.push(failed(e.to_string()));
                continue;
            }
        };
        let Some(rules) = &svc.endpoint_rules else {
            reports.push(failed(
                "no endpoint-rule-set-1.json beside the model".into(),
            ));
            continue;
        };
        let program = match Program::from_json(rules) {
            Ok(p) => p,
            Err(e) => {
                reports.push(failed(e.to_string()));
                continue;
            }
        };
        let cases = match load_cases(cases_dir, &name) {
            Ok(c) => c,
            Err(e) => {
                reports.push(failed(e));
                continue;
            }
        };
        let runner = IrRunner {
            service: &svc,
            program: &program,
        };
        reports.push(run_service(
            &name,
            &program,
            &cases,
            Some(&runner),
            "",
            print,
        ));
    }
    Ok(reports)
}

/// The `smithy.rules#endpointTests` of a Smithy JSON AST model's service
/// shape (the model's own endpoint test cases).
pub fn smithy_cases(model: &Json, label: &str) -> Result<Vec<Case>, String> {
    let shapes = model
        .get("shapes")
        .and_then(Json::as_object)
        .ok_or_else(|| format!("{label}: no shapes"))?;
    let tests = shapes
        .values()
        .filter(|s| s.get("type").and_then(Json::as_str) == Some("service"))
        .find_map(|s| s.pointer("/traits/smithy.rules#endpointTests"))
        .ok_or_else(|| format!("{label}: the service has no smithy.rules#endpointTests"))?;
    parse_cases(tests, label)
}

/// Every Smithy JSON AST model in `models` (file stems in `only`, or all):
/// the Smithy front end's IR, its rule set, and the model's own
/// `smithy.rules#endpointTests` through [`IrRunner`], as [`run_all`] does
/// for botocore. A model without a rule set or test cases is a failed
/// report.
pub fn run_smithy_all(
    models: &[PathBuf],
    only: &[String],
    print: &mut dyn FnMut(&str),
) -> Vec<Report> {
    let mut reports = Vec::new();
    for path in models {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("model")
            .to_owned();
        if !only.is_empty() && !only.contains(&name) {
            continue;
        }
        let label = format!("smithy/{name}");
        let failed = |why: String| Report {
            service: label.clone(),
            failed: vec![(label.clone(), why)],
            ..Report::default()
        };
        let loaded = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .and_then(|text| {
                serde_json::from_str::<Json>(&text).map_err(|e| format!("{}: {e}", path.display()))
            });
        let raw = match loaded {
            Ok(raw) => raw,
            Err(e) => {
                reports.push(failed(e));
                continue;
            }
        };
        let mut opts = botogen::GenerateOptions::new(botogen::ModelSource::Json {
            label: path.display().to_string(),
            value: raw.clone(),
        });
        opts.format = botogen::ModelFormat::Smithy;
        let svc = match botogen::load(&opts) {
            Ok(s) => s,
            Err(e) => {
                reports.push(failed(e.to_string()));
                continue;
            }
        };
        let Some(rules) = &svc.endpoint_rules else {
            reports.push(failed("no smithy.rules#endpointRuleSet".into()));
            continue;
        };
        let program = match Program::from_json(rules) {
            Ok(p) => p,
            Err(e) => {
                reports.push(failed(e.to_string()));
                continue;
            }
        };
        let cases = match smithy_cases(&raw, &path.display().to_string()) {
            Ok(c) => c,
            Err(e) => {
                reports.push(failed(e));
                continue;
            }
        };
        let runner = IrRunner {
            service: &svc,
            program: &program,
        };
        reports.push(run_service(
            &label,
            &program,
            &cases,
            Some(&runner),
            "",
            print,
        ));
    }
    reports
}

/// `tests/endpoints/known-failures.txt`: case keys (`<source> #<case>`,
/// the first two words of a case's name) with the reason each is expected
/// to fail.
pub fn known_failures() -> Result<std::collections::BTreeMap<String, String>, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("endpoints/known-failures.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut known = std::collections::BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, reason) = line
            .split_once(" — ")
            .ok_or_else(|| format!("{} line {}: no ` — reason`", path.display(), n + 1))?;
        known.insert(key.trim().to_owned(), reason.trim().to_owned());
    }
    Ok(known)
}

/// A case's key in [`known_failures`]: the first two words of its name.
pub fn case_key(name: &str) -> String {
    name.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}
