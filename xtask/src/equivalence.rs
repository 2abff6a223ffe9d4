//! `cargo xtask equivalence [--check]`: the Smithy front end against the
//! botocore one, model by model.
//!
//! For every Smithy model in `../shared/smithy-models/` whose service
//! botocore also has, both front ends load it — the Smithy JSON AST, and
//! the `service-2.json` (with paginators, waiters and the endpoint rule
//! set) of the botocore release published closest to the model's date,
//! installed from PyPI into a scratch virtualenv per release under
//! `target/equivalence/` — and the two IRs are compared structurally:
//! service facts, endpoint parameters and client context parameters,
//! operations (with their endpoint bindings), shapes, members (types, wire
//! names, locations, required-ness), enum values and their Rust variant
//! names, errors, paginators and waiters. Every
//! difference is classified by the rules in [`explain`]; the report
//! `tests/smithy/EQUIVALENCE.md` lists each with its reason. A difference
//! no rule explains fails the command (`--check` also fails when the
//! checked-in report is stale).

use botogen::ir::{self, Service, ShapeKind};
use botogen::{GenerateOptions, ModelFormat, ModelSource};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A folder of Smithy models, its date, and the botocore release of that
/// date, plus a release about a month earlier and one about a month later:
/// a difference that one of those does not have is an API change between
/// the dates (the Smithy snapshot's service model is a little older or
/// newer than the botocore release of the snapshot's day).
struct Snapshot {
    dir: &'static str,
    date: &'static str,
    botocore: &'static str,
    neighbours: [(&'static str, &'static str); 2],
}

/// Release dates are those of botocore's release tags.
const SNAPSHOTS: &[Snapshot] = &[
    Snapshot {
        dir: "aws-sdk-models-2026-06",
        date: "2026-06-19",
        botocore: "1.43.34",
        neighbours: [("1.43.20", "2026-06-02"), ("1.43.50", "2026-07-16")],
    },
    Snapshot {
        dir: "api-models-aws-2025-04",
        date: "2025-04-02",
        botocore: "1.37.26",
        neighbours: [("1.37.10", "2025-03-10"), ("1.38.0", "2025-04-22")],
    },
];

/// What [`explain`] may consult besides the two IRs.
struct Context<'a> {
    sm: &'a Service,
    bo: &'a Service,
    /// The Smithy model's shapes (for traits the IR does not keep).
    ast: &'a botogen::smithy::ast::Model,
    neighbours: Vec<Neighbour>,
}

/// A neighbouring release: its version, date and the keys (path, what) of its differences.
type Neighbour = (&'static str, &'static str, BTreeSet<(String, &'static str)>);

const REPORT: &str = "tests/smithy/EQUIVALENCE.md";

pub fn run(args: &[String]) -> Result<(), String> {
    let check = args.iter().any(|a| a == "--check");
    let root = crate::root();
    let shared = crate::shared()?.join("smithy-models");
    let scratch = root.join("target").join("equivalence");
    let mut sections = Vec::new();
    let mut rows = Vec::new();
    let mut unexplained = 0usize;
    let mut skipped = Vec::new();
    for snap in SNAPSHOTS {
        let data = botocore_data(&scratch, snap.botocore)?;
        let mut neighbour_data = Vec::new();
        for (v, date) in snap.neighbours {
            neighbour_data.push((v, date, botocore_data(&scratch, v)?));
        }
        let dir = shared.join(snap.dir);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let label = format!(
                "../shared/smithy-models/{}/{}",
                snap.dir,
                file.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
            );
            let smithy = load(&file, ModelFormat::Smithy)?;
            let Some(boto_path) = find_botocore(&data, &smithy)? else {
                skipped.push(format!(
                    "`{label}` ({}): botocore {} has no service with this service id",
                    smithy.service_id, snap.botocore
                ));
                continue;
            };
            let boto = load(&boto_path, ModelFormat::Botocore)?;
            let diffs = compare(&smithy, &boto);
            let raw: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?,
            )
            .map_err(|e| format!("{}: {e}", file.display()))?;
            let ast = botogen::smithy::ast::Model::read(&raw, &label).map_err(|e| e.to_string())?;
            let mut neighbours = Vec::new();
            for (v, date, data) in &neighbour_data {
                let keys = match find_botocore(data, &smithy)? {
                    Some(p) => compare(&smithy, &load(&p, ModelFormat::Botocore)?)
                        .into_iter()
                        .map(|d| (d.path, d.what))
                        .collect(),
                    // The service did not exist yet: everything differs.
                    None => continue,
                };
                neighbours.push((*v, *date, keys));
            }
            let cx = Context {
                sm: &smithy,
                bo: &boto,
                ast: &ast,
                neighbours,
            };
            let mut lines = Vec::new();
            let mut explained_here = 0;
            let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
            for d in &diffs {
                match explain(&cx, d) {
                    Some(reason) => {
                        explained_here += 1;
                        *kinds.entry(reason.category()).or_default() += 1;
                        lines.push(format!("- {} — {}", d.describe(), reason.text()));
                    }
                    None => {
                        unexplained += 1;
                        lines.push(format!("- **UNEXPLAINED** {}", d.describe()));
                    }
                }
            }
            let service_dir = boto_path
                .parent()
                .and_then(Path::parent)
                .and_then(Path::file_name)
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            rows.push(format!(
                "| `{}` | {} | `{service_dir}` {} | {} | {} | {} | {} |",
                file.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default(),
                snap.date,
                snap.botocore,
                smithy.operations.len(),
                named_types(&smithy),
                diffs.len(),
                diffs.len() - explained_here,
            ));
            let mut section = format!(
                "## {} (`{label}` vs botocore {} `{service_dir}`)\n\n",
                smithy.service_id, snap.botocore
            );
            if diffs.is_empty() {
                section.push_str("No differences.\n");
            } else {
                let summary: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
                let _ = writeln!(
                    section,
                    "{} differences: {}.\n",
                    diffs.len(),
                    summary.join(", ")
                );
                for l in lines {
                    section.push_str(&l);
                    section.push('\n');
                }
            }
            sections.push(section);
        }
    }
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str("| Smithy model | model date | botocore | operations | named types | differences | unexplained |\n|---|---|---|---|---|---|---|\n");
    for r in &rows {
        out.push_str(r);
        out.push('\n');
    }
    out.push('\n');
    if !skipped.is_empty() {
        out.push_str("Not compared (no botocore counterpart):\n\n");
        for s in &skipped {
            let _ = writeln!(out, "- {s}");
        }
        out.push('\n');
    }
    out.push_str(CATEGORIES);
    for s in sections {
        out.push('\n');
        out.push_str(&s);
    }
    let path = root.join(REPORT);
    if check {
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have != out {
            return Err(format!("{REPORT} is stale; run `cargo xtask equivalence`"));
        }
    } else {
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        std::fs::write(&path, &out).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {REPORT}");
    }
    println!(
        "{} models compared, {} differences, {unexplained} unexplained",
        rows.len(),
        rows.iter()
            .filter_map(|r| r.split('|').nth(6))
            .filter_map(|c| c.trim().parse::<usize>().ok())
            .sum::<usize>()
    );
    if unexplained > 0 {
        return Err(format!(
            "{unexplained} unexplained difference(s); see {REPORT}"
        ));
    }
    Ok(())
}

const HEADER: &str = "# Smithy and botocore front ends: structural equivalence

Written by `cargo xtask equivalence` (do not edit by hand; `cargo xtask
equivalence --check` fails when it is stale or when a difference has no
explanation). Each Smithy model of `../shared/smithy-models/` whose service
botocore also has is loaded by both front ends: the Smithy JSON AST, and
that service's `service-2.json`, `paginators-1.json`, `waiters-2.json`
and `endpoint-rule-set-1.json` from the botocore release published on the
model's date (installed from PyPI into `target/equivalence/`). The two IRs
— what the generated crate is made from — are compared: service facts
(protocols, ids, signing name, auth, endpoint rule-set parameters, client
context parameters), operations (HTTP binding, input, output, errors,
flags, endpoint bindings), every named
type (structures, unions, enums) with its members (Rust field type, wire
name, location, required-ness, constraints) and the Rust names of enum
variants, error facts, paginators and waiters.

";

const CATEGORIES: &str = "Every difference is listed under its service with the reason it exists:

- **api-changed**: the API differs between the two dates (botocore's
  release and the Smithy snapshot were not cut from the same model version).
- **smithy-states-more**: the Smithy model states a fact that botocore's
  JSON does not carry (or carries in a weaker form), and botogen uses it.
- **botocore-customization**: botocore's JSON carries a hand-made change
  (a customization or legacy name) that is not in the service's Smithy model.
- **representation**: the two formats express the same behaviour
  differently; the generated code behaves the same.
";

/// A named type in the public API (structure, union, string enum).
fn named_types(svc: &Service) -> usize {
    svc.shapes.values().filter(|s| is_named(s)).count()
}

fn is_named(s: &ir::Shape) -> bool {
    match s.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => true,
        ShapeKind::String => !s.enum_values.is_empty(),
        _ => false,
    }
}

fn load(path: &Path, format: ModelFormat) -> Result<Service, String> {
    let mut opts = GenerateOptions::new(ModelSource::Path(path.to_path_buf()));
    opts.format = format;
    botogen::load(&opts).map_err(|e| e.to_string())
}

/// The botocore `service-2.json` with the Smithy service's id (its newest API version).
fn find_botocore(data: &Path, smithy: &Service) -> Result<Option<PathBuf>, String> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(data)
        .map_err(|e| format!("{}: {e}", data.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut versions: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        versions.sort();
        for v in versions.iter().rev() {
            let file = ["service-2.json", "service-2.json.gz"]
                .iter()
                .map(|n| v.join(n))
                .find(|p| p.is_file());
            let Some(file) = file else { continue };
            // Cheap pre-filter before a full load.
            let text = botogen::model::read_text(&file).map_err(|e| e.to_string())?;
            let id = format!("\"serviceId\":\"{}\"", smithy.service_id);
            let id_spaced = format!("\"serviceId\": \"{}\"", smithy.service_id);
            if !text.contains(&id) && !text.contains(&id_spaced) {
                break;
            }
            if text.contains(&format!("\"apiVersion\":\"{}\"", smithy.api_version))
                || text.contains(&format!("\"apiVersion\": \"{}\"", smithy.api_version))
            {
                return Ok(Some(file));
            }
        }
    }
    Ok(None)
}

/// botocore `version`'s data directory, installing it into a scratch
/// virtualenv when needed.
fn botocore_data(scratch: &Path, version: &str) -> Result<PathBuf, String> {
    let venv = scratch.join(format!("botocore-{version}"));
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
                "--disable-pip-version-check",
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
    let have = lines.next().unwrap_or_default();
    if have != version {
        return Err(format!(
            "{} has botocore {have}, expected {version}",
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

/// One structural difference.
#[derive(Debug, Clone)]
pub struct Diff {
    /// Where: `operation Foo`, `shape Bar`, `shape Bar member baz`, ...
    pub path: String,
    /// What differs: `missing`, `type`, `required`, ...
    pub what: &'static str,
    /// The Smithy side's value ("—" when absent).
    pub smithy: String,
    /// The botocore side's value.
    pub botocore: String,
}

impl Diff {
    fn describe(&self) -> String {
        // Control characters (in patterns) would break the Markdown line.
        let show = |s: &str| -> String {
            s.replace('`', "'")
                .chars()
                .flat_map(|c| {
                    if c.is_control() {
                        c.escape_debug().collect::<Vec<_>>()
                    } else {
                        vec![c]
                    }
                })
                .collect()
        };
        format!(
            "{} — {}: Smithy `{}`, botocore `{}`",
            self.path,
            self.what,
            show(&self.smithy),
            show(&self.botocore)
        )
    }
}

fn d(
    path: impl Into<String>,
    what: &'static str,
    smithy: impl ToString,
    botocore: impl ToString,
) -> Diff {
    Diff {
        path: path.into(),
        what,
        smithy: smithy.to_string(),
        botocore: botocore.to_string(),
    }
}

const ABSENT: &str = "—";

fn opt<T: std::fmt::Debug>(v: &Option<T>) -> String {
    match v {
        Some(v) => format!("{v:?}"),
        None => ABSENT.into(),
    }
}

/// The Rust-level type of a member's target, structurally.
fn type_of(svc: &Service, name: &str) -> String {
    let Some(s) = svc.shapes.get(name) else {
        return format!("<missing {name}>");
    };
    match &s.kind {
        ShapeKind::Boolean => "bool".into(),
        ShapeKind::Integer if !s.int_enum.is_empty() => "i32 (int enum)".into(),
        ShapeKind::Integer => "i32".into(),
        ShapeKind::Long => "i64".into(),
        ShapeKind::Float => "f32".into(),
        ShapeKind::Double => "f64".into(),
        ShapeKind::String if !s.enum_values.is_empty() => format!("enum {name}"),
        ShapeKind::String => "String".into(),
        ShapeKind::Blob if s.streaming => "ByteStream".into(),
        ShapeKind::Blob => "Blob".into(),
        ShapeKind::Timestamp => "DateTime".into(),
        ShapeKind::Document => "Document".into(),
        ShapeKind::Structure(_) => format!("struct {name}"),
        ShapeKind::Union(_) if s.event_stream => format!("event stream {name}"),
        ShapeKind::Union(_) => format!("union {name}"),
        ShapeKind::List(l) => {
            let t = type_of(svc, &l.member.target);
            if l.sparse {
                format!("Vec<Option<{t}>>")
            } else {
                format!("Vec<{t}>")
            }
        }
        ShapeKind::Map(m) => {
            let t = type_of(svc, &m.value.target);
            if m.sparse {
                format!("HashMap<String, Option<{t}>>")
            } else {
                format!("HashMap<String, {t}>")
            }
        }
    }
}

/// The constraints a value of `name` must meet: min, max, pattern. A
/// length minimum of 0 is no constraint (botocore writes one where
/// Smithy's `@length` states only a maximum).
/// The rule set's parameters (`Name: type [builtIn]`), sorted.
fn rule_set_params(svc: &Service) -> String {
    let Some(params) = svc
        .endpoint_rules
        .as_ref()
        .and_then(|r| r.get("parameters"))
        .and_then(|p| p.as_object())
    else {
        return ABSENT.into();
    };
    let mut v: Vec<String> = params
        .iter()
        .map(|(name, p)| {
            let ty = p.get("type").and_then(|t| t.as_str()).unwrap_or("?");
            match p.get("builtIn").and_then(|b| b.as_str()) {
                Some(b) => format!("{name}: {} [{b}]", ty.to_ascii_lowercase()),
                None => format!("{name}: {}", ty.to_ascii_lowercase()),
            }
        })
        .collect();
    v.sort();
    v.join(", ")
}

fn client_context(svc: &Service) -> String {
    let mut v: Vec<String> = svc
        .client_context_params
        .iter()
        .map(|p| format!("{}: {:?}", p.name, p.ty))
        .collect();
    v.sort();
    v.join(", ")
}

/// An operation's endpoint bindings (`Name = source`), sorted.
fn context_params(op: &ir::Operation) -> String {
    let mut v: Vec<String> = op
        .context_params
        .iter()
        .map(|p| match &p.source {
            ir::ContextSource::Static(value) => format!("{} = {value:?}", p.name),
            ir::ContextSource::Member(m) => format!("{} = input.{m}", p.name),
            ir::ContextSource::Path(path) => format!("{} = path {path}", p.name),
        })
        .collect();
    v.sort();
    v.join(", ")
}

fn constraints_of(svc: &Service, name: &str) -> (Option<String>, Option<String>, Option<String>) {
    let Some(s) = svc.shapes.get(name) else {
        return (None, None, None);
    };
    let length = matches!(
        s.kind,
        ShapeKind::String | ShapeKind::Blob | ShapeKind::List(_) | ShapeKind::Map(_)
    );
    let min = s
        .min
        .filter(|m| !(length && *m == 0.0))
        .map(|m| m.to_string());
    (min, s.max.map(|m| m.to_string()), s.pattern.clone())
}

/// An operation's URI with each label named after its member, so a label
/// renamed on the wire (`{LexiconName}` for member `Name`) compares equal.
fn uri_by_member(svc: &Service, op: &ir::Operation) -> String {
    let mut uri = op.request_uri.clone();
    if let Some(ShapeKind::Structure(st)) = op
        .input
        .as_ref()
        .and_then(|i| svc.shapes.get(i))
        .map(|s| &s.kind)
    {
        for m in st
            .members
            .iter()
            .filter(|m| m.location == ir::Location::Uri)
        {
            let label = m.location_name.as_deref().unwrap_or(&m.name);
            uri = uri
                .replace(&format!("{{{label}}}"), &format!("{{<{}>}}", m.name))
                .replace(&format!("{{{label}+}}"), &format!("{{<{}>+}}", m.name));
        }
    }
    uri
}

/// Every structural difference between the Smithy and botocore IRs.
pub fn compare(sm: &Service, bo: &Service) -> Vec<Diff> {
    let mut out = Vec::new();
    let svc = "service";
    let protos = |s: &Service| {
        let mut v: Vec<&str> = s.protocols.iter().map(|p| p.as_str()).collect();
        v.sort();
        v.join(", ")
    };
    for (what, a, b) in [
        (
            "protocol",
            sm.protocol.as_str().to_string(),
            bo.protocol.as_str().to_string(),
        ),
        ("protocols", protos(sm), protos(bo)),
        ("service id", sm.service_id.clone(), bo.service_id.clone()),
        (
            "API version",
            sm.api_version.clone(),
            bo.api_version.clone(),
        ),
        ("full name", sm.full_name.clone(), bo.full_name.clone()),
        (
            "JSON version",
            sm.json_version.clone(),
            bo.json_version.clone(),
        ),
        (
            "target prefix",
            sm.target_prefix.clone(),
            bo.target_prefix.clone(),
        ),
        (
            "endpoint prefix",
            sm.endpoint_prefix.clone(),
            bo.endpoint_prefix.clone(),
        ),
        (
            "signing name",
            sm.signing_name.clone(),
            bo.signing_name.clone(),
        ),
        (
            "global endpoint",
            opt(&sm.global_endpoint),
            opt(&bo.global_endpoint),
        ),
        (
            "XML namespace",
            opt(&sm.xml_namespace),
            opt(&bo.xml_namespace),
        ),
        (
            "awsQueryCompatible",
            sm.aws_query_compatible.to_string(),
            bo.aws_query_compatible.to_string(),
        ),
        ("auth", sm.auth.join(", "), bo.auth.join(", ")),
        ("deprecated", opt(&sm.deprecated), opt(&bo.deprecated)),
        (
            "endpoint parameters",
            rule_set_params(sm),
            rule_set_params(bo),
        ),
        (
            "client context parameters",
            client_context(sm),
            client_context(bo),
        ),
    ] {
        if a != b {
            out.push(d(svc, what, a, b));
        }
    }
    // Operations.
    let sm_ops: BTreeMap<&str, &ir::Operation> =
        sm.operations.iter().map(|o| (o.key.as_str(), o)).collect();
    let bo_ops: BTreeMap<&str, &ir::Operation> =
        bo.operations.iter().map(|o| (o.key.as_str(), o)).collect();
    for k in sm_ops.keys().filter(|k| !bo_ops.contains_key(*k)) {
        out.push(d(
            format!("operation {k}"),
            "only in Smithy",
            "present",
            ABSENT,
        ));
    }
    for k in bo_ops.keys().filter(|k| !sm_ops.contains_key(*k)) {
        out.push(d(
            format!("operation {k}"),
            "only in botocore",
            ABSENT,
            "present",
        ));
    }
    for (k, a) in &sm_ops {
        let Some(b) = bo_ops.get(k) else { continue };
        let p = format!("operation {k}");
        let errs = |o: &ir::Operation| {
            let mut v = o.errors.clone();
            v.sort();
            v.join(", ")
        };
        let auth = |s: &Service, o: &ir::Operation| {
            if o.auth.is_empty() {
                s.auth.join(", ")
            } else {
                o.auth.join(", ")
            }
        };
        for (what, x, y) in [
            ("wire name", a.wire_name.clone(), b.wire_name.clone()),
            ("HTTP method", a.http_method.clone(), b.http_method.clone()),
            ("request URI", uri_by_member(sm, a), uri_by_member(bo, b)),
            (
                "response code",
                a.response_code.to_string(),
                b.response_code.to_string(),
            ),
            ("input", opt(&a.input), opt(&b.input)),
            ("output", opt(&a.output), opt(&b.output)),
            ("errors", errs(a), errs(b)),
            (
                "idempotent",
                a.idempotent.to_string(),
                b.idempotent.to_string(),
            ),
            ("host prefix", opt(&a.host_prefix), opt(&b.host_prefix)),
            ("effective auth", auth(sm, a), auth(bo, b)),
            (
                "checksum required",
                a.checksum_required.to_string(),
                b.checksum_required.to_string(),
            ),
            (
                "flexible checksums",
                format!("{:?}", a.http_checksum),
                format!("{:?}", b.http_checksum),
            ),
            (
                "request compression",
                a.request_compression.join(", "),
                b.request_compression.join(", "),
            ),
            (
                "event stream",
                a.event_stream.to_string(),
                b.event_stream.to_string(),
            ),
            (
                "result wrapper",
                opt(&a.result_wrapper),
                opt(&b.result_wrapper),
            ),
            (
                "input root element",
                opt(&a.input_location_name),
                opt(&b.input_location_name),
            ),
            (
                "input root namespace",
                opt(&a.input_xml_namespace.as_ref().map(|n| n.uri.clone())),
                opt(&b.input_xml_namespace.as_ref().map(|n| n.uri.clone())),
            ),
            (
                "deprecated",
                a.deprecated.is_some().to_string(),
                b.deprecated.is_some().to_string(),
            ),
            ("endpoint bindings", context_params(a), context_params(b)),
        ] {
            if x != y {
                out.push(d(&p, what, x, y));
            }
        }
        // Paginators and waiters of this operation.
        match (sm.paginators.get(*k), bo.paginators.get(*k)) {
            (Some(x), Some(y)) => {
                for (what, a, b) in [
                    (
                        "paginator input token",
                        x.input_token.join(", "),
                        y.input_token.join(", "),
                    ),
                    (
                        "paginator output token",
                        x.output_token.join(", "),
                        y.output_token.join(", "),
                    ),
                    ("paginator page size", opt(&x.limit_key), opt(&y.limit_key)),
                    (
                        "paginator items",
                        x.result_key.join(", "),
                        y.result_key.join(", "),
                    ),
                    (
                        "paginator more results",
                        opt(&x.more_results),
                        opt(&y.more_results),
                    ),
                ] {
                    if a != b {
                        out.push(d(&p, what, a, b));
                    }
                }
            }
            (Some(_), None) => out.push(d(&p, "paginator", "present", ABSENT)),
            (None, Some(_)) => out.push(d(&p, "paginator", ABSENT, "present")),
            (None, None) => {}
        }
    }
    // Waiters.
    for (name, a) in &sm.waiters {
        let p = format!("waiter {name}");
        let Some(b) = bo.waiters.get(name) else {
            out.push(d(&p, "only in Smithy", &a.operation, ABSENT));
            continue;
        };
        if a.operation != b.operation {
            out.push(d(&p, "operation", &a.operation, &b.operation));
        }
        let delay = |w: &ir::Waiter| match (w.backoff, w.delay) {
            (Some(bk), _) => format!("back-off {}–{} s", bk.min_delay, bk.max_delay),
            (None, Some(dl)) => format!("fixed {dl} s"),
            (None, None) => "fixed (default)".into(),
        };
        let limit = |w: &ir::Waiter| match (w.backoff, w.max_attempts) {
            (Some(_), _) => "max wait time".to_string(),
            (None, Some(n)) => format!("{n} attempts"),
            (None, None) => "default attempts".into(),
        };
        if a.backoff.map(|b| b.min_delay as f64) != b.delay {
            out.push(d(&p, "delay", delay(a), delay(b)));
        }
        if limit(a) != limit(b) {
            out.push(d(&p, "limit", limit(a), limit(b)));
        }
        if a.acceptors != b.acceptors {
            let fmt = |w: &ir::Waiter| {
                w.acceptors
                    .iter()
                    .map(|x| format!("{:?} {:?}", x.state, x.matcher))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            out.push(d(&p, "acceptors", fmt(a), fmt(b)));
        }
    }
    for (name, b) in &bo.waiters {
        if !sm.waiters.contains_key(name) {
            out.push(d(
                format!("waiter {name}"),
                "only in botocore",
                ABSENT,
                &b.operation,
            ));
        }
    }
    // Named types.
    let named = |s: &Service| -> BTreeSet<String> {
        s.shapes
            .values()
            .filter(|x| is_named(x))
            .map(|x| x.name.clone())
            .collect()
    };
    let (sn, bn) = (named(sm), named(bo));
    for n in sn.difference(&bn) {
        out.push(d(
            format!("type {n}"),
            "only in Smithy",
            type_of(sm, n),
            ABSENT,
        ));
    }
    for n in bn.difference(&sn) {
        out.push(d(
            format!("type {n}"),
            "only in botocore",
            ABSENT,
            type_of(bo, n),
        ));
    }
    for n in sn.intersection(&bn) {
        compare_type(sm, bo, n, &mut out);
    }
    out
}

fn compare_type(sm: &Service, bo: &Service, n: &str, out: &mut Vec<Diff>) {
    let (a, b) = (&sm.shapes[n], &bo.shapes[n]);
    let p = format!("type {n}");
    let (ta, tb) = (type_of(sm, n), type_of(bo, n));
    if ta != tb {
        out.push(d(&p, "kind", ta, tb));
        return;
    }
    if a.sensitive != b.sensitive {
        out.push(d(&p, "sensitive", a.sensitive, b.sensitive));
    }
    if a.deprecated.is_some() != b.deprecated.is_some() {
        out.push(d(
            &p,
            "deprecated",
            a.deprecated.is_some(),
            b.deprecated.is_some(),
        ));
    }
    let err = |e: &Option<ir::ErrorInfo>| match e {
        None => ABSENT.to_string(),
        Some(e) => format!(
            "code {}, status {}, {}{}{}",
            e.code.as_deref().unwrap_or("(name)"),
            e.http_status.map_or("—".into(), |s| s.to_string()),
            if e.sender_fault { "client" } else { "server" },
            if e.retryable { ", retryable" } else { "" },
            if e.throttling { ", throttling" } else { "" },
        ),
    };
    // Error facts: only what reaches the wire matters for the
    // fault side (`error.senderFault` is all botocore states).
    if let (Some(x), Some(y)) = (&a.error, &b.error) {
        for (what, l, r) in [
            ("error code", x.code.clone(), y.code.clone()),
            (
                "error HTTP status",
                x.http_status.map(|s| s.to_string()),
                y.http_status.map(|s| s.to_string()),
            ),
        ] {
            if l != r {
                out.push(d(&p, what, opt(&l), opt(&r)));
            }
        }
        let fault = |e: &ir::ErrorInfo| if e.sender_fault { "client" } else { "server" };
        if fault(x) != fault(y) {
            out.push(d(&p, "error fault", fault(x), fault(y)));
        }
        if (x.retryable, x.throttling) != (y.retryable, y.throttling) {
            out.push(d(&p, "error retry", err(&a.error), err(&b.error)));
        }
    } else if a.error.is_some() != b.error.is_some() {
        out.push(d(&p, "error", err(&a.error), err(&b.error)));
    }
    if a.location_name != b.location_name {
        out.push(d(
            &p,
            "XML name",
            opt(&a.location_name),
            opt(&b.location_name),
        ));
    }
    match (&a.kind, &b.kind) {
        (ShapeKind::String, ShapeKind::String) => {
            let (va, vb): (BTreeSet<&String>, BTreeSet<&String>) = (
                a.enum_values.iter().collect(),
                b.enum_values.iter().collect(),
            );
            for v in va.difference(&vb) {
                out.push(d(&p, "enum value only in Smithy", v, ABSENT));
            }
            for v in vb.difference(&va) {
                out.push(d(&p, "enum value only in botocore", ABSENT, v));
            }
            let names = |s: &ir::Shape| -> BTreeMap<String, String> {
                let ns = if s.enum_names.len() == s.enum_values.len() {
                    botogen::naming::variants(s.enum_names.iter().map(String::as_str))
                } else {
                    botogen::naming::variants(s.enum_values.iter().map(String::as_str))
                };
                s.enum_values.iter().cloned().zip(ns).collect()
            };
            let (na, nb) = (names(a), names(b));
            for (v, x) in &na {
                if let Some(y) = nb.get(v)
                    && x != y
                {
                    out.push(d(
                        &p,
                        "Rust variant name",
                        format!("{x} ({v:?})"),
                        format!("{y} ({v:?})"),
                    ));
                }
            }
        }
        (
            ShapeKind::Structure(x) | ShapeKind::Union(x),
            ShapeKind::Structure(y) | ShapeKind::Union(y),
        ) => {
            let names_a: Vec<&str> = x.members.iter().map(|m| m.name.as_str()).collect();
            let names_b: Vec<&str> = y.members.iter().map(|m| m.name.as_str()).collect();
            for m in &x.members {
                let mp = format!("{p} member {}", m.name);
                let Some(o) = y.members.iter().find(|o| o.name == m.name) else {
                    out.push(d(&mp, "only in Smithy", type_of(sm, &m.target), ABSENT));
                    continue;
                };
                compare_member(sm, bo, &mp, m, o, out);
            }
            for o in &y.members {
                if !names_a.contains(&o.name.as_str()) {
                    out.push(d(
                        format!("{p} member {}", o.name),
                        "only in botocore",
                        ABSENT,
                        type_of(bo, &o.target),
                    ));
                }
            }
            let common_a: Vec<&&str> = names_a.iter().filter(|n| names_b.contains(n)).collect();
            let common_b: Vec<&&str> = names_b.iter().filter(|n| names_a.contains(n)).collect();
            if common_a != common_b {
                out.push(d(
                    &p,
                    "member order",
                    names_a.join(", "),
                    names_b.join(", "),
                ));
            }
            let payload = |st: &ir::StructShape| st.payload.map(|i| st.members[i].name.clone());
            if payload(x) != payload(y) {
                out.push(d(&p, "payload", opt(&payload(x)), opt(&payload(y))));
            }
        }
        _ => {}
    }
}

fn compare_member(
    sm: &Service,
    bo: &Service,
    p: &str,
    a: &ir::Member,
    b: &ir::Member,
    out: &mut Vec<Diff>,
) {
    let (ta, tb) = (type_of(sm, &a.target), type_of(bo, &b.target));
    if ta != tb {
        out.push(d(p, "type", ta, tb));
    }
    let (ca, cb) = (constraints_of(sm, &a.target), constraints_of(bo, &b.target));
    for (what, x, y) in [
        ("min", ca.0, cb.0),
        ("max", ca.1, cb.1),
        ("pattern", ca.2, cb.2),
    ] {
        if x != y {
            let raw = |v: Option<String>| v.unwrap_or_else(|| ABSENT.into());
            out.push(d(p, what, raw(x), raw(y)));
        }
    }
    // Wire names: the member name when no location name is stated. A URI
    // label's name only pairs the member with its `{label}` (compared
    // through the operation's URI).
    let wire = |m: &ir::Member| match m.location {
        ir::Location::Uri => "(URI label)".to_string(),
        _ => m.location_name.clone().unwrap_or_else(|| m.name.clone()),
    };
    let flat = |s: &Service, m: &ir::Member| {
        m.flattened || s.shapes.get(&m.target).is_some_and(|t| t.flattened)
    };
    let ts = |s: &Service, m: &ir::Member| {
        m.timestamp_format
            .or(s.shapes.get(&m.target).and_then(|t| t.timestamp_format))
    };
    let ns = |s: &Service, m: &ir::Member| {
        m.xml_namespace
            .clone()
            .or_else(|| {
                s.shapes
                    .get(&m.target)
                    .and_then(|t| t.xml_namespace.clone())
            })
            .map(|n| n.uri)
    };
    for (what, x, y) in [
        ("required", a.required.to_string(), b.required.to_string()),
        (
            "location",
            format!("{:?}", a.location),
            format!("{:?}", b.location),
        ),
        ("wire name", wire(a), wire(b)),
        ("EC2 query name", opt(&a.query_name), opt(&b.query_name)),
        (
            "flattened",
            flat(sm, a).to_string(),
            flat(bo, b).to_string(),
        ),
        (
            "XML attribute",
            a.xml_attribute.to_string(),
            b.xml_attribute.to_string(),
        ),
        ("XML namespace", opt(&ns(sm, a)), opt(&ns(bo, b))),
        ("timestamp format", opt(&ts(sm, a)), opt(&ts(bo, b))),
        (
            "JSON value",
            a.json_value.to_string(),
            b.json_value.to_string(),
        ),
        (
            "idempotency token",
            a.idempotency_token.to_string(),
            b.idempotency_token.to_string(),
        ),
        (
            "host label",
            a.host_label.to_string(),
            b.host_label.to_string(),
        ),
        (
            "event payload",
            a.event_payload.to_string(),
            b.event_payload.to_string(),
        ),
        (
            "deprecated",
            a.deprecated.is_some().to_string(),
            b.deprecated.is_some().to_string(),
        ),
    ] {
        if x != y {
            out.push(d(p, what, x, y));
        }
    }
}

/// Why a difference exists.
#[derive(Debug, Clone)]
pub enum Reason {
    ApiChanged(String),
    SmithyStatesMore(&'static str),
    BotocoreCustomization(&'static str),
    Representation(&'static str),
}

impl Reason {
    fn category(&self) -> &'static str {
        match self {
            Reason::ApiChanged(_) => "api-changed",
            Reason::SmithyStatesMore(_) => "smithy-states-more",
            Reason::BotocoreCustomization(_) => "botocore-customization",
            Reason::Representation(_) => "representation",
        }
    }
    fn text(&self) -> String {
        let t: &str = match self {
            Reason::ApiChanged(t) => t,
            Reason::SmithyStatesMore(t)
            | Reason::BotocoreCustomization(t)
            | Reason::Representation(t) => t,
        };
        format!("*{}*: {t}", self.category())
    }
}

/// Whether `type X member m` names the `message` member of an error shape.
fn is_error_message(svc: &Service, path: &str) -> bool {
    member_path(path).is_some_and(|(shape, member)| {
        member.eq_ignore_ascii_case("message")
            && svc.shapes.get(shape).is_some_and(|s| s.error.is_some())
    })
}

fn member_location(svc: &Service, shape: &str, member: &str) -> Option<ir::Location> {
    match &svc.shapes.get(shape)?.kind {
        ShapeKind::Structure(st) => st
            .members
            .iter()
            .find(|m| m.name == member)
            .map(|m| m.location),
        _ => None,
    }
}

/// A URI without its `x-id=...` query literal.
fn strip_x_id(uri: &str) -> String {
    let Some((path, query)) = uri.split_once('?') else {
        return uri.to_string();
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with("x-id="))
        .collect();
    if rest.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", rest.join("&"))
    }
}

/// Whether the body members of `type X` are in the same order on both sides.
fn same_body_order(cx: &Context, path: &str) -> bool {
    let Some(name) = path.strip_prefix("type ") else {
        return false;
    };
    let body = |s: &Service| -> Option<Vec<String>> {
        match &s.shapes.get(name)?.kind {
            ShapeKind::Structure(st) => Some(
                st.members
                    .iter()
                    .filter(|m| m.location == ir::Location::Body && !m.xml_attribute)
                    .map(|m| m.name.clone())
                    .collect(),
            ),
            _ => None,
        }
    };
    body(cx.sm).is_some() && body(cx.sm) == body(cx.bo)
}

/// The error the Smithy service's `aws.api#clientEndpointDiscovery` names.
fn discovery_error(cx: &Context) -> Option<String> {
    cx.ast
        .shapes
        .values()
        .filter(|s| s.ty == "service")
        .find_map(|s| s.traits.get("aws.api#clientEndpointDiscovery"))
        .and_then(|t| t.get("error"))
        .and_then(serde_json::Value::as_str)
        .map(|id| id.rsplit_once('#').map_or(id, |(_, n)| n).to_string())
}

/// An error list that differs only by the endpoint-discovery error, or that error's type.
fn only_discovery_error(cx: &Context, d: &Diff) -> bool {
    let Some(err) = discovery_error(cx) else {
        return false;
    };
    if d.path == format!("type {err}") {
        return true;
    }
    if d.what != "errors" {
        return false;
    }
    let without = |s: &str| -> Vec<String> {
        s.split(", ")
            .filter(|e| *e != err && !e.is_empty())
            .map(str::to_owned)
            .collect()
    };
    without(&d.smithy) == without(&d.botocore)
}

/// Whether a botocore-only operation or type belongs to operations only
/// botocore has, which botocore marks deprecated.
fn only_for_removed_operations(cx: &Context, path: &str) -> bool {
    let shared: BTreeSet<&str> = cx.sm.operations.iter().map(|o| o.key.as_str()).collect();
    if let Some(op) = path.strip_prefix("operation ") {
        return cx
            .bo
            .operations
            .iter()
            .any(|o| o.key == op && o.deprecated.is_some());
    }
    let Some(ty) = path.strip_prefix("type ") else {
        return false;
    };
    // Shapes botocore reaches from the operations both sides have.
    let kept: Vec<ir::Operation> = cx
        .bo
        .operations
        .iter()
        .filter(|o| shared.contains(o.key.as_str()))
        .cloned()
        .collect();
    let reached = ir::reachable_shapes(cx.bo.shapes.clone(), &kept);
    !reached.contains_key(ty)
        && cx
            .bo
            .operations
            .iter()
            .filter(|o| !shared.contains(o.key.as_str()))
            .all(|o| o.deprecated.is_some())
}

/// `pattern` without a leading `^` and a trailing `$`.
fn unanchored(mut p: &str) -> &str {
    while let Some(rest) = p.strip_prefix('^').or_else(|| p.strip_prefix(".*")) {
        p = rest;
    }
    while let Some(rest) = p.strip_suffix('$').or_else(|| p.strip_suffix(".*")) {
        p = rest;
    }
    p
}

/// The Smithy traits of IR shape `shape`'s member `member`.
fn smithy_member_traits<'a>(
    ast: &'a botogen::smithy::ast::Model,
    shape: &str,
    member: &str,
) -> Option<&'a botogen::smithy::ast::Traits> {
    ast.shapes
        .values()
        .filter(|s| s.id.rsplit_once('#').is_some_and(|(_, n)| n == shape))
        .find_map(|s| s.member(member))
        .map(|m| &m.traits)
}

/// `type X member y` → (`X`, `y`).
fn member_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("type ")?;
    rest.split_once(" member ")
}

/// The explanation of one difference, or `None` (a bug to fix).
fn explain(cx: &Context, d: &Diff) -> Option<Reason> {
    use Reason::*;
    let (sm, bo) = (d.smithy.as_str(), d.botocore.as_str());
    let xml_listed = |s: &Service| {
        s.protocols.iter().any(|p| {
            matches!(
                p,
                ir::Protocol::RestXml | ir::Protocol::Query | ir::Protocol::Ec2
            )
        })
    };
    // Facts one format states and the other cannot.
    match d.what {
        "pattern" if unanchored(sm) == unanchored(bo) => {
            return Some(SmithyStatesMore(
                "botocore's JSON drops the pattern's `^`/`$` anchors (or writes `^X` as \
                 `X.*`); patterns are searched for, so Smithy's anchored pattern is the \
                 stricter constraint the service states (checked under \
                 `ValidationPolicy::Full`)",
            ));
        }
        "pattern" if bo == format!(".*{sm}.*") => {
            return Some(Representation(
                "`.*X.*` matches wherever `X` does: patterns are searched for, not anchored",
            ));
        }
        "pattern" if unanchored(&sm.replace(['\n', '\t', '\r'], " ")) == unanchored(bo) => {
            return Some(BotocoreCustomization(
                "botocore's JSON has spaces where the pattern has newline and tab \
                 characters (and drops its anchors)",
            ));
        }
        "errors" | "only in Smithy"
            if cx.sm.service_id == "S3"
                && matches!(
                    d.path.as_str(),
                    "operation HeadBucket" | "operation HeadObject" | "type NotFound"
                ) =>
        {
            return Some(BotocoreCustomization(
                "botocore's S3 model names the 404 of a HEAD request `NoSuchBucket` / \
                 `NoSuchKey`; the Smithy model names it `NotFound` (a HEAD response has no \
                 body, so only the status tells them apart)",
            ));
        }
        "Rust variant name" => {
            return Some(SmithyStatesMore(
                "Smithy names each enum value (the `enum` member name); botocore has only \
                 the value, from which the botocore front end derives the variant's name",
            ));
        }
        "error fault" if sm == "client" && bo == "server" => {
            return Some(SmithyStatesMore(
                "`@error(\"client\")`; botocore states the fault (`senderFault`) only for \
                 some errors, and the runtime does not act on it",
            ));
        }
        "error HTTP status" if bo == ABSENT => {
            return Some(SmithyStatesMore(
                "`@httpError` (or `awsQueryError`'s status); botocore's JSON leaves the \
                 status out here, and the runtime reads the status from the response",
            ));
        }
        "XML name" if bo == ABSENT && d.path.starts_with("type ") => {
            return Some(SmithyStatesMore(
                "the output's root element name (`@xmlName`); botocore leaves it out and \
                 the parsers do not check a response's root element name",
            ));
        }
        "JSON version" if cx.sm.protocol != ir::Protocol::Json => {
            return Some(Representation(
                "only the awsJson protocols read `jsonVersion`; botocore states one for this \
                 non-awsJson service as well",
            ));
        }
        "global endpoint" => {
            return Some(BotocoreCustomization(
                "botocore's `globalEndpoint` comes from its `endpoints.json`, not the \
                 service model; the Smithy model states its endpoints in \
                 `smithy.rules#endpointRuleSet`",
            ));
        }
        "auth" | "effective auth" if sm == "smithy.api#httpBearerAuth" && bo.is_empty() => {
            return Some(SmithyStatesMore(
                "bearer auth: Smithy's `@httpBearerAuth`; botocore states it only as \
                 `signatureVersion: bearer`, which the botocore front end does not read \
                 (so that crate would sign with SigV4)",
            ));
        }
        "effective auth" if sm == "v4-unsigned-body" && bo == "aws.auth#sigv4" => {
            return Some(SmithyStatesMore(
                "`@unsignedPayload`: SigV4 without a payload hash; botocore's `auth` list \
                 has plain SigV4",
            ));
        }
        "limit" if sm == "max wait time" => {
            return Some(Representation(
                "Smithy waiters have no attempt limit: they back off from `minDelay` to \
                 `maxDelay` until the caller's maximum wait (default 300 s); botocore's \
                 waiters poll a fixed number of times",
            ));
        }
        "acceptors" if bo.replace("Status(200)", "AnyError(false)") == sm => {
            return Some(Representation(
                "Smithy's `success: true` matcher (a successful response) is botocore's \
                 `status: 200`",
            ));
        }
        "kind" | "type" if sm.replace("event stream ", "struct ") == bo => {
            return Some(Representation(
                "an event stream is a `@streaming` union in Smithy and a structure marked \
                 `eventstream` in botocore; the runtime decodes events into either \
                 (one member set per event)",
            ));
        }
        "type"
            if sm == "Blob"
                && bo == "ByteStream"
                && member_path(&d.path)
                    .is_some_and(|(s, _)| cx.sm.shapes.get(s).is_some_and(|x| x.event)) =>
        {
            return Some(Representation(
                "an event's payload: botocore marks it streaming, Smithy's `@eventPayload` \
                 blob is the event's bytes; event streams are not called yet either way",
            ));
        }
        "kind" | "type" if sm.replace("union ", "struct ") == bo => {
            return Some(SmithyStatesMore(
                "Smithy declares a union (exactly one member set); botocore's JSON has a \
                 structure without the `union` flag, so that front end makes a struct of \
                 options",
            ));
        }
        "flattened" | "XML namespace" | "XML attribute" | "XML name"
            if !xml_listed(cx.sm) && !xml_listed(cx.bo) =>
        {
            return Some(Representation(
                "an XML trait on a service that speaks no XML protocol (botocore keeps it \
                 from the service's query days); no serializer reads it",
            ));
        }
        "only in Smithy" if is_error_message(cx.sm, &d.path) => {
            return Some(BotocoreCustomization(
                "botocore's JSON leaves out the error's `message` member (botocore reads the \
                 message of every error body generically); Smithy models it, so the error \
                 type has a field for it",
            ));
        }
        "type"
            if member_path(&d.path).is_some_and(|(s, m)| {
                member_location(cx.sm, s, m).is_some_and(|l| {
                    matches!(l, ir::Location::QueryString | ir::Location::Header)
                        || (l == ir::Location::Body && xml_listed(cx.sm))
                })
            }) && ((matches!(sm, "i32" | "i64") && bo == "String")
                || (sm == "String" && matches!(bo, "i32" | "i64"))) =>
        {
            return Some(BotocoreCustomization(
                "one model types this query parameter, header or XML element as a string \
                 and the other as an integer — the message carries the same text",
            ));
        }
        "request URI" if strip_x_id(sm) == bo => {
            return Some(SmithyStatesMore(
                "the Smithy S3 model's URIs carry the `x-id` query literal that AWS's SDKs \
                 send to tell operations on the same path apart; botocore's omit it",
            ));
        }
        "request URI" if sm.trim_end_matches('/') == bo.trim_end_matches('/') => {
            return Some(BotocoreCustomization(
                "botocore's `requestUri` keeps a trailing `/` that the Smithy model does \
                 not have; the service accepts both (AWS's Smithy-based SDKs send none)",
            ));
        }
        "member order" if same_body_order(cx, &d.path) => {
            return Some(Representation(
                "the members that change place are bound to the URI, the query string, \
                 headers or XML attributes, where order has no meaning",
            ));
        }
        "errors" | "only in Smithy" if only_discovery_error(cx, d) => {
            return Some(BotocoreCustomization(
                "botocore leaves out the endpoint-discovery error \
                 (`aws.api#clientEndpointDiscovery`'s `error`) that the Smithy model lists \
                 on the service's operations",
            ));
        }
        "only in botocore" if only_for_removed_operations(cx, &d.path) => {
            return Some(BotocoreCustomization(
                "botocore keeps deprecated operations (and the shapes only they use) that \
                 the Smithy model no longer has",
            ));
        }
        "required" if sm == "false" && bo == "true" => {
            if let Some((shape, member)) = member_path(&d.path)
                && smithy_member_traits(cx.ast, shape, member)
                    .is_some_and(|t| t.contains_key("smithy.api#clientOptional"))
            {
                return Some(SmithyStatesMore(
                    "`@required @clientOptional`: clients must treat the member as optional \
                     (the service may stop requiring it); botocore lists it as required",
                ));
            }
        }
        _ => {}
    }
    // An API change between the two dates: a neighbouring release agrees with Smithy.
    for (version, date, keys) in &cx.neighbours {
        if !keys.contains(&(d.path.clone(), d.what)) {
            return Some(ApiChanged(format!(
                "botocore {version} ({date}) agrees with the Smithy model here"
            )));
        }
    }
    // botocore's hand-maintained files.
    match d.what {
        "paginator more results" if sm == ABSENT => Some(BotocoreCustomization(
            "botocore's `paginators-1.json` adds a `more_results` key, which Smithy's \
             `@paginated` has no field for; the absent token ends the pages either way",
        )),
        "paginator items" => Some(BotocoreCustomization(
            "botocore's `paginators-1.json` lists other result keys than Smithy's single \
             `items` path (they are used only in documentation)",
        )),
        "paginator"
        | "paginator input token"
        | "paginator output token"
        | "paginator page size" => Some(BotocoreCustomization(
            "botocore's `paginators-1.json` is maintained apart from the service model \
                 and paginates this operation differently",
        )),
        "only in botocore" if d.path.starts_with("waiter ") => Some(BotocoreCustomization(
            "botocore's `waiters-2.json` defines a waiter the Smithy model's `@waitable` \
             does not",
        )),
        "only in Smithy" if d.path.starts_with("waiter ") => Some(SmithyStatesMore(
            "a `@waitable` waiter botocore's `waiters-2.json` does not have",
        )),
        "delay" | "acceptors" if d.path.starts_with("waiter ") => Some(BotocoreCustomization(
            "botocore's `waiters-2.json` is maintained apart from the service model and \
             polls differently",
        )),
        _ => None,
    }
}
