//! `botogen diff`: what changed between two models, said in terms of the
//! generated Rust API, each change classified for semver.
//!
//! Both models are resolved to the IR first ([`crate::load`]) and every name
//! comes from [`crate::emit::Names`], so a change is reported under the type,
//! field, variant or method a user of the generated crate writes. The rules
//! follow from how botogen builds its types (see the README's "Model
//! updates"):
//!
//! - Structures are not `#[non_exhaustive]`; user code writes struct literals
//!   that end in `..Type::new(..)` or `..Default::default()`. A new optional
//!   member is therefore minor; a new required member, a removed or retyped
//!   member, a required-ness change, or a reordering of required members
//!   (`new()`'s parameters) is major.
//! - String enums, unions and operation error enums are `#[non_exhaustive]`:
//!   a new value, member or error is minor, a removed one major.
//! - Operations, paginators, waiters and types added are minor, removed or
//!   renamed major.
//! - Constraints (length, range, pattern) do not change the Rust API. The
//!   default validation policy checks only required members; under
//!   `ValidationPolicy::Full` a tightened constraint on an input rejects on
//!   the client what the service now rejects anyway. Tightened on an input:
//!   minor; relaxed, or on output-only shapes: patch.
//! - Wire details (locations, names, protocol metadata, endpoint rules) are
//!   handled by the runtime and do not change the API: patch. A protocol or
//!   auth scheme that disappears makes a configuration that worked fail at
//!   run time: major; one that appears: minor.
//! - Documentation-only changes are counted, not listed; alone they make a
//!   patch release.
//!
//! [`probe`] writes user code against the old API that the verdicts promise
//! still compiles against the new one.

pub mod probe;

use crate::emit::{self, Names};
use crate::error::Error;
use crate::ir::{self, Member, Operation, Service, Shape, ShapeKind, StructShape};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// Semver level of a change, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// No change to the Rust API (wire details, constraints relaxed, docs).
    Patch,
    /// Additions that existing user code keeps compiling with.
    Minor,
    /// Breaking: existing user code may stop compiling or working.
    Major,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Level::Major => "breaking (major)",
            Level::Minor => "compatible additions (minor)",
            Level::Patch => "no API change (patch)",
        }
    }

    fn sign(self) -> char {
        match self {
            Level::Major => '!',
            Level::Minor => '+',
            Level::Patch => '~',
        }
    }
}

/// What kind of change; serialized in `snake_case` (`member_added`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    ServiceRenamed,
    ApiVersionChanged,
    ProtocolChanged,
    ProtocolAdded,
    ProtocolRemoved,
    AuthAdded,
    AuthRemoved,
    AuthReordered,
    ServiceWireChanged,
    EndpointRulesChanged,
    ClientContextParamAdded,
    ClientContextParamRemoved,
    ClientContextParamChanged,
    Deprecated,
    Undeprecated,
    OperationAdded,
    OperationRemoved,
    OperationRenamed,
    OperationInputChanged,
    OperationOutputChanged,
    OperationWireChanged,
    OperationEventStreamChanged,
    ErrorAdded,
    ErrorRemoved,
    ErrorRenamed,
    PaginatorAdded,
    PaginatorRemoved,
    PaginatorRenamed,
    PaginatorChanged,
    WaiterAdded,
    WaiterRemoved,
    WaiterRenamed,
    WaiterChanged,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    ErrorTraitsAdded,
    ErrorTraitsRemoved,
    ErrorInfoChanged,
    ValidateAdded,
    ValidateRemoved,
    RedactionChanged,
    MemberAdded,
    MemberRemoved,
    MemberRenamed,
    MemberRetyped,
    MemberBecameRequired,
    MemberBecameOptional,
    RequiredOrderChanged,
    MemberWireChanged,
    VariantAdded,
    VariantRemoved,
    VariantRenamed,
    VariantRetyped,
    EnumValueAdded,
    EnumValueRemoved,
    EnumVariantRenamed,
    ConstraintTightened,
    ConstraintRelaxed,
    ShapeWireChanged,
}

impl Kind {
    /// The serialized name (`member_added`).
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// Which item of the old API a change touches (the compatibility probe
/// leaves out items with breaking changes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Affects {
    /// Nothing a compiler sees (wire, run-time behaviour).
    Runtime,
    /// The service trait and `Client`.
    Service,
    /// A shape by model name (its Rust type, or the fields that use it).
    Shape(String),
    /// An operation by key (trait method and error enum).
    Operation(String),
    /// The paginator method of an operation (by operation key).
    Paginator(String),
    /// A waiter method (by waiter name).
    Waiter(String),
}

/// One API change.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub level: Level,
    pub kind: Kind,
    /// The generated item as a Rust path: `types::Foo`, `types::Foo.bar`,
    /// `types::Color::Red`, `DynamoDbApi::list_tables`, `Client::query_paginator`.
    pub item: String,
    /// Where in the model: `Shape`, `Shape$Member`, an operation or waiter name.
    pub model: String,
    pub detail: String,
    /// Fields whose values the change affects (constraints and other
    /// changes of shapes that have no Rust type of their own).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub used_by: Vec<String>,
    #[serde(skip)]
    pub affects: Affects,
}

/// Counts per level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub major: usize,
    pub minor: usize,
    pub patch: usize,
}

/// The result of comparing two models.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The new model's service id.
    pub service: String,
    pub old: String,
    pub new: String,
    /// The bump the crate needs; `None` when nothing changed at all.
    pub level: Option<Level>,
    pub counts: Counts,
    /// Changes, most severe first, then by item.
    pub changes: Vec<Change>,
    /// Items whose documentation (or deprecation note) changed.
    pub documentation_changes: usize,
}

impl Report {
    fn finish(mut self) -> Report {
        self.changes.sort_by(|a, b| {
            (b.level, &a.item, a.kind, &a.model, &a.detail)
                .cmp(&(a.level, &b.item, b.kind, &b.model, &b.detail))
        });
        self.changes
            .dedup_by(|a, b| a.kind == b.kind && a.item == b.item && a.detail == b.detail);
        let mut counts = Counts::default();
        for c in &self.changes {
            match c.level {
                Level::Major => counts.major += 1,
                Level::Minor => counts.minor += 1,
                Level::Patch => counts.patch += 1,
            }
        }
        self.counts = counts;
        self.level = self.changes.iter().map(|c| c.level).max();
        if self.level.is_none() && self.documentation_changes > 0 {
            self.level = Some(Level::Patch);
        }
        self
    }

    /// Adds a change found outside the IR (e.g. the endpoint rule set file).
    pub fn push(&mut self, change: Change) {
        self.changes.push(change);
        let me = std::mem::replace(self, Report::empty());
        *self = me.finish();
    }

    fn empty() -> Report {
        Report {
            service: String::new(),
            old: String::new(),
            new: String::new(),
            level: None,
            counts: Counts::default(),
            changes: Vec::new(),
            documentation_changes: 0,
        }
    }

    /// Whether anything (API, wire or docs) changed.
    pub fn is_empty(&self) -> bool {
        self.level.is_none()
    }

    /// The version after this report's bump (see [`bump_version`]).
    pub fn next_version(&self, current: &str) -> Result<String, String> {
        match self.level {
            Some(level) => bump_version(current, level),
            None => Ok(current.to_string()),
        }
    }

    /// The human-readable report; with `current` the version line names the
    /// next version.
    pub fn to_text(&self, current: Option<&str>) -> String {
        let mut out = format!("{}: {} -> {}\n", self.service, self.old, self.new);
        for level in [Level::Major, Level::Minor, Level::Patch] {
            let items: Vec<&Change> = self.changes.iter().filter(|c| c.level == level).collect();
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{}: {}", level.heading(), items.len());
            for c in items {
                let _ = writeln!(
                    out,
                    "  {} {}: {} [{}]",
                    level.sign(),
                    c.item,
                    c.detail,
                    c.kind.as_str()
                );
                if !c.used_by.is_empty() {
                    let shown: Vec<&str> = c.used_by.iter().take(3).map(String::as_str).collect();
                    let more = c.used_by.len().saturating_sub(shown.len());
                    let _ = writeln!(
                        out,
                        "      used by {}{}",
                        shown.join(", "),
                        if more > 0 {
                            format!(" and {more} more")
                        } else {
                            String::new()
                        }
                    );
                }
            }
        }
        if self.documentation_changes > 0 {
            let _ = writeln!(
                out,
                "documentation: {} item(s) changed (not listed)",
                self.documentation_changes
            );
        }
        let _ = writeln!(out, "{}", self.verdict(current));
        out
    }

    /// The last line of the text report.
    pub fn verdict(&self, current: Option<&str>) -> String {
        match (self.level, current) {
            (None, _) => "semver: no change".to_string(),
            (Some(l), Some(v)) => match bump_version(v, l) {
                Ok(next) => format!("semver: {} ({v} -> {next})", l.as_str()),
                Err(e) => format!("semver: {} ({e})", l.as_str()),
            },
            (Some(l), None) => format!(
                "semver: {} (0.x.y crates: {})",
                l.as_str(),
                match l {
                    Level::Major => "0.(x+1).0",
                    _ => "0.x.(y+1)",
                }
            ),
        }
    }

    /// The report as pretty JSON (`--json`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// A `CHANGELOG.md` section for `version`: `heading_note` follows the
    /// version (a date), `source` says where the models came from.
    pub fn changelog_entry(&self, version: &str, heading_note: &str, source: &str) -> String {
        let mut out = format!("## {version}");
        if !heading_note.is_empty() {
            let _ = write!(out, " ({heading_note})");
        }
        out.push_str("\n\n");
        if !source.is_empty() {
            let _ = writeln!(out, "{source}\n");
        }
        let level = match self.level {
            Some(Level::Major) => "breaking (major)",
            Some(Level::Minor) => "compatible (minor)",
            Some(Level::Patch) => "no API change (patch)",
            None => "no change",
        };
        let _ = writeln!(
            out,
            "Semver: {level}; {} breaking, {} added, {} other change(s).\n",
            self.counts.major, self.counts.minor, self.counts.patch
        );
        for (level, title) in [
            (Level::Major, "Breaking"),
            (Level::Minor, "Added"),
            (Level::Patch, "Changed without API change"),
        ] {
            let items: Vec<&Change> = self.changes.iter().filter(|c| c.level == level).collect();
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {title}\n");
            for c in items {
                let _ = writeln!(out, "- {}: {}", code(&c.item), md_text(&c.detail));
            }
            out.push('\n');
        }
        if self.documentation_changes > 0 {
            let _ = writeln!(
                out,
                "Documentation changed for {} item(s).\n",
                self.documentation_changes
            );
        }
        out
    }
}

/// Inline code that survives backticks in model text.
fn code(s: &str) -> String {
    let mut fence = String::from("`");
    while s.contains(fence.as_str()) {
        fence.push('`');
    }
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Detail text in Markdown: line breaks flattened (it is one list item).
fn md_text(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The version after a change of `level`. For 1.0 and later this is plain
/// semver. Cargo treats `0.x` versions as compatible when `x` is equal, so
/// for `0.x.y` a breaking change bumps `x` (`0.(x+1).0`) and everything else
/// bumps `y`; for `0.0.z` every change bumps `z`.
pub fn bump_version(current: &str, level: Level) -> Result<String, String> {
    let parts: Vec<u64> = current
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{current}` is not a plain major.minor.patch version"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!(
            "`{current}` is not a plain major.minor.patch version"
        ));
    };
    Ok(match (major, minor, level) {
        (0, 0, _) => format!("0.0.{}", patch + 1),
        (0, _, Level::Major) => format!("0.{}.0", minor + 1),
        (0, _, _) => format!("0.{minor}.{}", patch + 1),
        (_, _, Level::Major) => format!("{}.0.0", major + 1),
        (_, _, Level::Minor) => format!("{major}.{}.0", minor + 1),
        (_, _, Level::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// How [`rust_type`] spells paths: the report uses `types::X` and bare
/// runtime names, the probe full paths from the user's crate.
#[derive(Debug, Clone, Copy)]
pub struct TypeStyle<'p> {
    /// Prefix of generated types (`types::`, `svc::types::`).
    pub types: &'p str,
    /// Prefix of runtime types (`""`, `::botogen_runtime::`).
    pub runtime: &'p str,
    /// Spelling of `HashMap`.
    pub map: &'p str,
}

/// The report's spelling.
pub const REPORT_STYLE: TypeStyle<'static> = TypeStyle {
    types: "types::",
    runtime: "",
    map: "HashMap",
};

/// A resolved service with the names the generator gives it.
pub struct Api<'a> {
    pub svc: &'a Service,
    pub names: Names,
    /// Shapes used as an operation input (they have `validate()`).
    pub inputs: BTreeSet<String>,
    /// Shapes reachable from an operation input.
    pub input_reachable: BTreeSet<String>,
    /// Operation key → paginator method on `Client` (resolvable paginators only).
    pub paginator_methods: BTreeMap<String, String>,
    /// Waiter name → method on `Client` (usable waiters only).
    pub waiter_methods: BTreeMap<String, String>,
    /// Shape → (parent list/map shape, path suffix) for element shapes.
    parents: BTreeMap<String, Vec<(String, &'static str)>>,
}

impl<'a> Api<'a> {
    pub fn new(svc: &'a Service) -> Api<'a> {
        let names = Names::new(svc);
        let inputs: BTreeSet<String> = svc
            .operations
            .iter()
            .filter_map(|o| o.input.clone())
            .collect();
        let input_reachable = reach(svc, inputs.iter().cloned());
        // The same claims, in the same order, as `emit::client`.
        let mut scope = crate::naming::Scope::with_reserved(&["new", "inner", "clone"]);
        for n in names.operations.values() {
            scope.claim(n.method.clone());
        }
        let ctx = emit::Ctx::with_names(
            svc,
            quote::quote!(crate),
            std::borrow::Cow::Borrowed(&names),
        );
        let mut paginator_methods = BTreeMap::new();
        for op in &svc.operations {
            if let Some(p) = svc.paginators.get(&op.key)
                && emit::paginators::resolves(&ctx, op, p)
            {
                let base = names.operations[&op.key].method.trim_start_matches("r#");
                paginator_methods.insert(op.key.clone(), scope.claim(format!("{base}_paginator")));
            }
        }
        let mut waiter_methods = BTreeMap::new();
        for (name, w) in &svc.waiters {
            if w.acceptors.is_empty() || !svc.operations.iter().any(|o| o.key == w.operation) {
                continue;
            }
            let snake = crate::naming::snake(name);
            waiter_methods.insert(
                name.clone(),
                scope.claim(format!("wait_until_{}", snake.trim_start_matches("r#"))),
            );
        }
        drop(ctx);
        let mut parents: BTreeMap<String, Vec<(String, &'static str)>> = BTreeMap::new();
        for (name, s) in &svc.shapes {
            match &s.kind {
                ShapeKind::List(l) => parents
                    .entry(l.member.target.clone())
                    .or_default()
                    .push((name.clone(), "[]")),
                ShapeKind::Map(m) => {
                    parents
                        .entry(m.key.target.clone())
                        .or_default()
                        .push((name.clone(), "{key}"));
                    parents
                        .entry(m.value.target.clone())
                        .or_default()
                        .push((name.clone(), "{}"));
                }
                _ => {}
            }
        }
        Api {
            svc,
            names,
            inputs,
            input_reachable,
            paginator_methods,
            waiter_methods,
            parents,
        }
    }

    fn shape(&self, name: &str) -> &'a Shape {
        &self.svc.shapes[name]
    }

    /// `types::Foo` for shapes with a Rust type.
    pub fn type_path(&self, shape: &str, style: TypeStyle) -> Option<String> {
        self.names
            .types
            .get(shape)
            .map(|t| format!("{}{t}", style.types))
    }

    /// The Rust type of a value of `shape` (no `Option`/`Box`), as
    /// `Ctx::rust_type` emits it.
    pub fn value_type(&self, shape: &str, style: TypeStyle) -> String {
        let s = self.shape(shape);
        let rt = style.runtime;
        match &s.kind {
            ShapeKind::Boolean => "bool".into(),
            ShapeKind::Integer => "i32".into(),
            ShapeKind::Long => "i64".into(),
            ShapeKind::Float => "f32".into(),
            ShapeKind::Double => "f64".into(),
            ShapeKind::String if s.enum_values.is_empty() => "String".into(),
            ShapeKind::Blob if s.streaming => format!("{rt}ByteStream"),
            ShapeKind::Blob => format!("{rt}Blob"),
            ShapeKind::Timestamp => format!("{rt}DateTime"),
            ShapeKind::Document => format!("{rt}Document"),
            ShapeKind::String | ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                self.type_path(shape, style).unwrap_or_default()
            }
            ShapeKind::List(l) => {
                let t = self.value_type(&l.member.target, style);
                if l.sparse {
                    format!("Vec<Option<{t}>>")
                } else {
                    format!("Vec<{t}>")
                }
            }
            ShapeKind::Map(m) => {
                let t = self.value_type(&m.value.target, style);
                if m.sparse {
                    format!("{}<String, Option<{t}>>", style.map)
                } else {
                    format!("{}<String, {t}>", style.map)
                }
            }
        }
    }

    /// A structure field's type: required → plain, else `Option`, boxed →
    /// `Option<Box<_>>` (as `emit::types` emits it).
    pub fn field_type(&self, m: &Member, style: TypeStyle) -> String {
        let t = self.value_type(&m.target, style);
        if m.boxed {
            format!("Option<Box<{t}>>")
        } else if m.required {
            t
        } else {
            format!("Option<{t}>")
        }
    }

    /// A union variant's payload type.
    pub fn variant_type(&self, m: &Member, style: TypeStyle) -> String {
        let t = self.value_type(&m.target, style);
        if m.boxed { format!("Box<{t}>") } else { t }
    }

    /// An operation's input or output type (`Unit` when absent).
    pub fn io_type(&self, shape: &Option<String>, style: TypeStyle) -> String {
        match shape {
            Some(s) => self.value_type(s, style),
            None => format!("{}Unit", style.runtime),
        }
    }

    /// `Api::method` of an operation.
    fn method_path(&self, key: &str) -> String {
        format!(
            "{}::{}",
            self.names.api_trait, self.names.operations[key].method
        )
    }

    /// Field paths that hold values of `shape` (through lists and maps).
    pub fn users(&self, shape: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_users(shape, "", 0, &mut out);
        out.sort();
        out.dedup();
        out
    }

    fn collect_users(&self, shape: &str, suffix: &str, depth: usize, out: &mut Vec<String>) {
        if depth > 4 {
            return;
        }
        for (name, s) in &self.svc.shapes {
            let (ShapeKind::Structure(st) | ShapeKind::Union(st)) = &s.kind else {
                continue;
            };
            let union = matches!(s.kind, ShapeKind::Union(_));
            for (i, m) in st.members.iter().enumerate() {
                if m.target == shape {
                    let t = &self.names.types[name];
                    let f = &self.names.members[name][i];
                    out.push(if union {
                        format!("types::{t}::{f}{suffix}")
                    } else {
                        format!("types::{t}.{f}{suffix}")
                    });
                }
            }
        }
        if let Some(ps) = self.parents.get(shape) {
            for (p, s) in ps {
                self.collect_users(p, &format!("{s}{suffix}"), depth + 1, out);
            }
        }
    }
}

/// Every shape reachable from `roots`.
fn reach(svc: &Service, roots: impl Iterator<Item = String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.collect();
    while let Some(s) = stack.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        if let Some(shape) = svc.shapes.get(&s) {
            stack.extend(ir::targets(&shape.kind).into_iter().map(str::to_string));
        }
    }
    seen
}

/// Loads both models (paginators, waiters and `endpoint-rule-set-1.json`
/// beside each are read too) and compares them.
pub fn diff_files(old: &Path, new: &Path) -> Result<Report, Error> {
    let load = |p: &Path| {
        crate::load(&crate::GenerateOptions::new(crate::ModelSource::Path(
            p.to_path_buf(),
        )))
    };
    let (o, n) = (load(old)?, load(new)?);
    Ok(diff(&o, &n))
}

/// The endpoint rule sets compared as JSON values. The Rust API does not
/// change (the crate embeds the rules as data), so any change is patch;
/// endpoints a client resolves may.
pub fn endpoint_rules_change(
    old: Option<&serde_json::Value>,
    new: Option<&serde_json::Value>,
) -> Option<Change> {
    if old == new {
        return None;
    }
    let params = |v: Option<&serde_json::Value>| -> BTreeSet<String> {
        v.and_then(|v| v.get("parameters"))
            .and_then(|p| p.as_object())
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (po, pn) = (params(old), params(new));
    let mut parts = Vec::new();
    match (old, new) {
        (None, Some(_)) => parts.push("rule set added".to_string()),
        (Some(_), None) => parts.push("rule set removed".to_string()),
        _ => parts.push("rules changed".to_string()),
    }
    let added: Vec<&String> = pn.difference(&po).collect();
    let removed: Vec<&String> = po.difference(&pn).collect();
    if !added.is_empty() {
        parts.push(format!("parameters added: {}", join(&added)));
    }
    if !removed.is_empty() {
        parts.push(format!("parameters removed: {}", join(&removed)));
    }
    Some(Change {
        level: Level::Patch,
        kind: Kind::EndpointRulesChanged,
        item: "endpoint rule set".into(),
        model: "endpoint-rule-set-1.json".into(),
        detail: format!(
            "{} (the API is unchanged; the endpoints calls resolve to may change)",
            parts.join("; ")
        ),
        used_by: Vec::new(),
        affects: Affects::Runtime,
    })
}

fn join<T: std::fmt::Display>(v: &[T]) -> String {
    v.iter()
        .map(|x| format!("`{x}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compares two resolved services.
pub fn diff(old: &Service, new: &Service) -> Report {
    let o = Api::new(old);
    let n = Api::new(new);
    let mut d = Differ {
        o: &o,
        n: &n,
        changes: Vec::new(),
        docs: 0,
    };
    d.service();
    d.operations();
    d.paginators();
    d.waiters();
    d.shapes();
    Report {
        service: new.service_id.clone(),
        old: old.file.clone(),
        new: new.file.clone(),
        level: None,
        counts: Counts::default(),
        changes: d.changes,
        documentation_changes: d.docs,
    }
    .finish()
}

struct Differ<'x, 'a> {
    o: &'x Api<'a>,
    n: &'x Api<'a>,
    changes: Vec<Change>,
    docs: usize,
}

fn opt<T: std::fmt::Debug>(v: &Option<T>) -> String {
    match v {
        Some(x) => format!("{x:?}"),
        None => "none".into(),
    }
}

impl Differ<'_, '_> {
    fn push(
        &mut self,
        level: Level,
        kind: Kind,
        item: impl Into<String>,
        model: impl Into<String>,
        detail: impl Into<String>,
        affects: Affects,
    ) {
        self.changes.push(Change {
            level,
            kind,
            item: item.into(),
            model: model.into(),
            detail: detail.into(),
            used_by: Vec::new(),
            affects,
        });
    }

    fn doc<T: PartialEq>(&mut self, a: &T, b: &T) {
        if a != b {
            self.docs += 1;
        }
    }

    /// Deprecation added (minor: a warning), removed (patch) or reworded (docs).
    fn deprecation(
        &mut self,
        a: &Option<ir::Deprecation>,
        b: &Option<ir::Deprecation>,
        item: &str,
        model: &str,
        affects: Affects,
    ) {
        match (a, b) {
            (None, Some(d)) => self.push(
                Level::Minor,
                Kind::Deprecated,
                item,
                model,
                format!(
                    "now `#[deprecated]`{} (a warning where it is used)",
                    d.message
                        .as_deref()
                        .map(|m| format!(": {}", first_line(m)))
                        .unwrap_or_default()
                ),
                affects,
            ),
            (Some(_), None) => self.push(
                Level::Patch,
                Kind::Undeprecated,
                item,
                model,
                "no longer deprecated",
                affects,
            ),
            (Some(x), Some(y)) => self.doc(x, y),
            (None, None) => {}
        }
    }

    fn service(&mut self) {
        let (o, n) = (self.o.svc, self.n.svc);
        // Exhaustive on purpose: a new IR field must be classified here.
        let Service {
            file: _,
            service_id: _,
            full_name,
            api_version,
            doc,
            protocol,
            protocols,
            json_version,
            target_prefix,
            endpoint_prefix,
            signing_name,
            global_endpoint,
            xml_namespace,
            aws_query_compatible,
            auth,
            deprecated,
            shapes: _,
            operations: _,
            paginators: _,
            waiters: _,
            patterns: _,
            endpoint_rules,
            client_context_params,
        } = o;
        if let Some(change) =
            endpoint_rules_change(endpoint_rules.as_ref(), n.endpoint_rules.as_ref())
        {
            self.changes.push(change);
        }
        self.client_context_params(client_context_params, &n.client_context_params);
        let trait_old = &self.o.names.api_trait;
        let trait_new = &self.n.names.api_trait;
        if trait_old != trait_new {
            self.push(
                Level::Major,
                Kind::ServiceRenamed,
                trait_old.clone(),
                n.service_id.clone(),
                format!(
                    "service trait `{trait_old}` is now `{trait_new}` (service id `{}` -> `{}`)",
                    o.service_id, n.service_id
                ),
                Affects::Service,
            );
        } else {
            self.doc(&o.service_id, &n.service_id);
        }
        self.doc(full_name, &n.full_name);
        self.doc(doc, &n.doc);
        if api_version != &n.api_version {
            self.push(
                Level::Patch,
                Kind::ApiVersionChanged,
                "service",
                "metadata.apiVersion",
                format!("API version {api_version} -> {}", n.api_version),
                Affects::Runtime,
            );
        }
        if protocol != &n.protocol {
            self.push(
                Level::Minor,
                Kind::ProtocolChanged,
                "service",
                "metadata.protocols",
                format!(
                    "default wire protocol {} -> {}; the runtime speaks both, so calls keep working, but requests look different on the wire",
                    protocol.as_str(),
                    n.protocol.as_str()
                ),
                Affects::Runtime,
            );
        }
        for p in &n.protocols {
            if !protocols.contains(p) {
                self.push(
                    Level::Minor,
                    Kind::ProtocolAdded,
                    "service",
                    "metadata.protocols",
                    format!(
                        "protocol {} listed: `Config::protocol` may select it",
                        p.as_str()
                    ),
                    Affects::Runtime,
                );
            }
        }
        for p in protocols {
            if !n.protocols.contains(p) {
                self.push(
                    Level::Major,
                    Kind::ProtocolRemoved,
                    "service",
                    "metadata.protocols",
                    format!(
                        "protocol {} no longer listed: a `Config::protocol` naming it now fails with `SdkError::Config`",
                        p.as_str()
                    ),
                    Affects::Runtime,
                );
            }
        }
        let wire: [(&str, String, String); 7] = [
            ("jsonVersion", json_version.clone(), n.json_version.clone()),
            (
                "targetPrefix",
                target_prefix.clone(),
                n.target_prefix.clone(),
            ),
            (
                "endpointPrefix",
                endpoint_prefix.clone(),
                n.endpoint_prefix.clone(),
            ),
            ("signingName", signing_name.clone(), n.signing_name.clone()),
            (
                "globalEndpoint",
                opt(global_endpoint),
                opt(&n.global_endpoint),
            ),
            ("xmlNamespace", opt(xml_namespace), opt(&n.xml_namespace)),
            (
                "awsQueryCompatible",
                aws_query_compatible.to_string(),
                n.aws_query_compatible.to_string(),
            ),
        ];
        for (what, a, b) in wire {
            if a != b {
                self.push(
                    Level::Patch,
                    Kind::ServiceWireChanged,
                    "service",
                    format!("metadata.{what}"),
                    format!("{what} `{a}` -> `{b}` (handled by the runtime)"),
                    Affects::Runtime,
                );
            }
        }
        self.auth(auth, &n.auth, "service", "metadata.auth", Affects::Runtime);
        self.deprecation(
            deprecated,
            &n.deprecated,
            "service",
            "deprecated",
            Affects::Service,
        );
    }

    /// `Config::client_context_params` names are checked against the
    /// model's list at run time: a removed name makes a working config fail.
    fn client_context_params(
        &mut self,
        a: &[ir::ClientContextParam],
        b: &[ir::ClientContextParam],
    ) {
        for p in b {
            match a.iter().find(|x| x.name == p.name) {
                None => self.push(
                    Level::Minor,
                    Kind::ClientContextParamAdded,
                    "Config::client_context_params",
                    format!("clientContextParams.{}", p.name),
                    format!("endpoint parameter `{}` may be set", p.name),
                    Affects::Runtime,
                ),
                Some(x) if x.ty != p.ty => self.push(
                    Level::Major,
                    Kind::ClientContextParamChanged,
                    "Config::client_context_params",
                    format!("clientContextParams.{}", p.name),
                    format!(
                        "endpoint parameter `{}` changed type {:?} -> {:?}: a config setting the old type now fails at run time",
                        p.name, x.ty, p.ty
                    ),
                    Affects::Runtime,
                ),
                Some(_) => {}
            }
        }
        for p in a {
            if !b.iter().any(|x| x.name == p.name) {
                self.push(
                    Level::Major,
                    Kind::ClientContextParamRemoved,
                    "Config::client_context_params",
                    format!("clientContextParams.{}", p.name),
                    format!(
                        "endpoint parameter `{}` removed: a config setting it now fails with `SdkError::Config`",
                        p.name
                    ),
                    Affects::Runtime,
                );
            }
        }
    }

    fn auth(&mut self, a: &[String], b: &[String], item: &str, model: &str, affects: Affects) {
        // The runtime signs with SigV4 when the model names no scheme.
        let default = || vec!["aws.auth#sigv4".to_string()];
        let a = if a.is_empty() { default() } else { a.to_vec() };
        let b = if b.is_empty() { default() } else { b.to_vec() };
        let (a, b) = (&a[..], &b[..]);
        let added: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
        let removed: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
        if !added.is_empty() {
            self.push(
                Level::Minor,
                Kind::AuthAdded,
                item,
                model,
                format!("auth scheme(s) {} accepted", join(&added)),
                affects.clone(),
            );
        }
        if !removed.is_empty() {
            self.push(
                Level::Major,
                Kind::AuthRemoved,
                item,
                model,
                format!(
                    "auth scheme(s) {} no longer accepted: a client configured for them fails at run time",
                    join(&removed)
                ),
                affects.clone(),
            );
        }
        if added.is_empty() && removed.is_empty() && a != b {
            self.push(
                Level::Patch,
                Kind::AuthReordered,
                item,
                model,
                format!("auth preference {} -> {}", join(a), join(b)),
                affects,
            );
        }
    }

    fn operations(&mut self) {
        let old: BTreeMap<&str, &Operation> = self
            .o
            .svc
            .operations
            .iter()
            .map(|o| (o.key.as_str(), o))
            .collect();
        let new: BTreeMap<&str, &Operation> = self
            .n
            .svc
            .operations
            .iter()
            .map(|o| (o.key.as_str(), o))
            .collect();
        for (key, op) in &old {
            if !new.contains_key(key) {
                let names = &self.o.names.operations[*key];
                self.push(
                    Level::Major,
                    Kind::OperationRemoved,
                    self.o.method_path(key),
                    *key,
                    format!("operation removed (and `operations::{}`)", names.error_enum),
                    Affects::Operation(key.to_string()),
                );
                let _ = op;
            }
        }
        for (key, op) in &new {
            match old.get(key) {
                None => {
                    let sig = format!(
                        "new method `{}(input: {}) -> Result<{}, operations::{}>`; code that implements the trait (mocks) must add it",
                        self.n.names.operations[*key].method,
                        self.n.io_type(&op.input, REPORT_STYLE),
                        self.n.io_type(&op.output, REPORT_STYLE),
                        self.n.names.operations[*key].error_enum
                    );
                    self.push(
                        Level::Minor,
                        Kind::OperationAdded,
                        self.n.method_path(key),
                        *key,
                        sig,
                        Affects::Operation(key.to_string()),
                    );
                }
                Some(o) => self.operation(o, op),
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let key = o.key.as_str();
        let affects = || Affects::Operation(key.to_string());
        let (on, nn) = (&self.o.names.operations[key], &self.n.names.operations[key]);
        let item = self.n.method_path(key);
        let Operation {
            key: _,
            wire_name,
            doc,
            documentation_url,
            http_method,
            request_uri,
            response_code,
            input,
            output,
            input_location_name,
            input_xml_namespace,
            result_wrapper,
            errors,
            idempotent,
            readonly,
            host_prefix,
            auth,
            checksum_required,
            http_checksum,
            request_compression,
            event_stream,
            deprecated,
            context_params,
        } = o;
        if on.method != nn.method {
            self.push(
                Level::Major,
                Kind::OperationRenamed,
                self.o.method_path(key),
                key,
                format!("method is now `{}`", nn.method),
                affects(),
            );
        }
        if on.error_enum != nn.error_enum {
            self.push(
                Level::Major,
                Kind::ErrorRenamed,
                format!("operations::{}", on.error_enum),
                key,
                format!("error enum is now `operations::{}`", nn.error_enum),
                affects(),
            );
        }
        for (role, kind, a, b) in [
            ("input", Kind::OperationInputChanged, input, &n.input),
            ("output", Kind::OperationOutputChanged, output, &n.output),
        ] {
            let (ta, tb) = (
                self.o.io_type(a, REPORT_STYLE),
                self.n.io_type(b, REPORT_STYLE),
            );
            if ta != tb {
                self.push(
                    Level::Major,
                    kind,
                    item.clone(),
                    key,
                    format!("{role} type `{ta}` -> `{tb}`"),
                    affects(),
                );
            }
        }
        let err_enum = &nn.error_enum;
        for (i, e) in errors.iter().enumerate() {
            match n.errors.iter().position(|x| x == e) {
                None => self.push(
                    Level::Major,
                    Kind::ErrorRemoved,
                    format!("operations::{}::{}", on.error_enum, on.error_variants[i]),
                    format!("{key}: {e}"),
                    "modeled error removed (a `match` arm naming it no longer compiles)",
                    affects(),
                ),
                Some(j) if on.error_variants[i] != nn.error_variants[j] => self.push(
                    Level::Major,
                    Kind::ErrorRenamed,
                    format!("operations::{}::{}", on.error_enum, on.error_variants[i]),
                    format!("{key}: {e}"),
                    format!("variant is now `{}`", nn.error_variants[j]),
                    affects(),
                ),
                Some(_) => {}
            }
        }
        for (j, e) in n.errors.iter().enumerate() {
            if !errors.contains(e) {
                self.push(
                    Level::Minor,
                    Kind::ErrorAdded,
                    format!("operations::{err_enum}::{}", nn.error_variants[j]),
                    format!("{key}: {e}"),
                    format!(
                        "new modeled error (the enum is `#[non_exhaustive]`; it used to arrive as `Unlisted` or `Unmodeled`) holding `{}`",
                        self.n.value_type(e, REPORT_STYLE)
                    ),
                    affects(),
                );
            }
        }
        let wire: [(&str, String, String); 14] = [
            (
                "endpoint context parameters",
                format!("{context_params:?}"),
                format!("{:?}", n.context_params),
            ),
            ("name", wire_name.clone(), n.wire_name.clone()),
            ("http.method", http_method.clone(), n.http_method.clone()),
            (
                "http.requestUri",
                request_uri.clone(),
                n.request_uri.clone(),
            ),
            (
                "http.responseCode",
                response_code.to_string(),
                n.response_code.to_string(),
            ),
            (
                "input.locationName",
                opt(input_location_name),
                opt(&n.input_location_name),
            ),
            (
                "input.xmlNamespace",
                opt(input_xml_namespace),
                opt(&n.input_xml_namespace),
            ),
            (
                "output.resultWrapper",
                opt(result_wrapper),
                opt(&n.result_wrapper),
            ),
            (
                "idempotent",
                idempotent.to_string(),
                n.idempotent.to_string(),
            ),
            ("readonly", readonly.to_string(), n.readonly.to_string()),
            ("endpoint.hostPrefix", opt(host_prefix), opt(&n.host_prefix)),
            (
                "httpChecksumRequired",
                checksum_required.to_string(),
                n.checksum_required.to_string(),
            ),
            (
                "httpChecksum",
                format!("{http_checksum:?}"),
                format!("{:?}", n.http_checksum),
            ),
            (
                "requestcompression",
                format!("{request_compression:?}"),
                format!("{:?}", n.request_compression),
            ),
        ];
        for (what, a, b) in wire {
            if a != b {
                self.push(
                    Level::Patch,
                    Kind::OperationWireChanged,
                    item.clone(),
                    format!("{key}.{what}"),
                    format!("{what} `{a}` -> `{b}` (handled by the runtime)"),
                    affects(),
                );
            }
        }
        // An empty list means "the service's"; compare what applies.
        if !auth.is_empty() || !n.auth.is_empty() {
            let eff = |ops: &[String], svc: &[String]| -> Vec<String> {
                if ops.is_empty() {
                    svc.to_vec()
                } else {
                    ops.to_vec()
                }
            };
            let a = eff(auth, &self.o.svc.auth);
            let b = eff(&n.auth, &self.n.svc.auth);
            self.auth(&a, &b, &item, &format!("{key}.auth"), Affects::Runtime);
        }
        match (event_stream, n.event_stream) {
            (false, true) => self.push(
                Level::Major,
                Kind::OperationEventStreamChanged,
                item.clone(),
                key,
                "now an event-stream operation: calls return `SdkError::Unsupported` (event streams are not supported yet)",
                Affects::Runtime,
            ),
            (true, false) => self.push(
                Level::Minor,
                Kind::OperationEventStreamChanged,
                item.clone(),
                key,
                "no longer an event-stream operation: calls are sent",
                affects(),
            ),
            _ => {}
        }
        self.deprecation(deprecated, &n.deprecated, &item, key, affects());
        self.doc(doc, &n.doc);
        self.doc(documentation_url, &n.documentation_url);
    }

    fn paginators(&mut self) {
        let (o, n) = (&self.o.paginator_methods, &self.n.paginator_methods);
        for (key, m) in o {
            match n.get(key) {
                None => self.push(
                    Level::Major,
                    Kind::PaginatorRemoved,
                    format!("Client::{m}"),
                    key.clone(),
                    "paginator removed",
                    Affects::Paginator(key.clone()),
                ),
                Some(nm) if nm != m => self.push(
                    Level::Major,
                    Kind::PaginatorRenamed,
                    format!("Client::{m}"),
                    key.clone(),
                    format!("paginator method is now `Client::{nm}`"),
                    Affects::Paginator(key.clone()),
                ),
                Some(nm) => {
                    let (a, b) = (&self.o.svc.paginators[key], &self.n.svc.paginators[key]);
                    let ir::Paginator {
                        input_token,
                        output_token,
                        limit_key,
                        result_key,
                        more_results,
                    } = a;
                    let mut parts = Vec::new();
                    for (what, x, y) in [
                        (
                            "input_token",
                            format!("{input_token:?}"),
                            format!("{:?}", b.input_token),
                        ),
                        (
                            "output_token",
                            format!("{output_token:?}"),
                            format!("{:?}", b.output_token),
                        ),
                        ("limit_key", opt(limit_key), opt(&b.limit_key)),
                        (
                            "result_key",
                            format!("{result_key:?}"),
                            format!("{:?}", b.result_key),
                        ),
                        ("more_results", opt(more_results), opt(&b.more_results)),
                    ] {
                        if x != y {
                            parts.push(format!("{what} {x} -> {y}"));
                        }
                    }
                    // `page_size` takes the limit member's type (none without
                    // one), which is part of the paginator's type: any change
                    // breaks code that names it.
                    let page_size = |side: &ir::Service| {
                        let op = side.operations.iter().find(|o| o.key == *key)?;
                        side.page_size_type(op, &side.paginators[key])
                    };
                    let (was, now) = (page_size(self.o.svc), page_size(self.n.svc));
                    if was != now {
                        let text = |t: Option<&str>| match t {
                            Some(t) => format!("`page_size({t})`"),
                            None => "no `page_size`".to_owned(),
                        };
                        self.push(
                            Level::Major,
                            Kind::PaginatorChanged,
                            format!("Client::{nm}"),
                            key.clone(),
                            format!("{} -> {}", text(was), text(now)),
                            Affects::Paginator(key.clone()),
                        );
                    }
                    if !parts.is_empty() {
                        self.push(
                            Level::Patch,
                            Kind::PaginatorChanged,
                            format!("Client::{nm}"),
                            key.clone(),
                            format!("{} (handled by the runtime)", parts.join("; ")),
                            Affects::Paginator(key.clone()),
                        );
                    }
                }
            }
        }
        for (key, m) in n {
            if !o.contains_key(key) {
                self.push(
                    Level::Minor,
                    Kind::PaginatorAdded,
                    format!("Client::{m}"),
                    key.clone(),
                    "new paginator",
                    Affects::Paginator(key.clone()),
                );
            }
        }
    }

    fn waiters(&mut self) {
        let (o, n) = (&self.o.waiter_methods, &self.n.waiter_methods);
        for (name, m) in o {
            let affects = Affects::Waiter(name.clone());
            match n.get(name) {
                None => self.push(
                    Level::Major,
                    Kind::WaiterRemoved,
                    format!("Client::{m}"),
                    name.clone(),
                    "waiter removed",
                    affects,
                ),
                Some(nm) if nm != m => self.push(
                    Level::Major,
                    Kind::WaiterRenamed,
                    format!("Client::{m}"),
                    name.clone(),
                    format!("waiter method is now `Client::{nm}`"),
                    affects,
                ),
                Some(nm) => {
                    let (a, b) = (&self.o.svc.waiters[name], &self.n.svc.waiters[name]);
                    let ir::Waiter {
                        operation,
                        delay,
                        max_attempts,
                        backoff,
                        description,
                        acceptors,
                    } = a;
                    self.doc(description, &b.description);
                    let item = format!("Client::{nm}");
                    let op_in = |api: &Api, key: &str| {
                        api.svc
                            .operations
                            .iter()
                            .find(|o| o.key == key)
                            .map(|o| api.io_type(&o.input, REPORT_STYLE))
                            .unwrap_or_default()
                    };
                    let (ia, ib) = (op_in(self.o, operation), op_in(self.n, &b.operation));
                    if ia != ib {
                        self.push(
                            Level::Major,
                            Kind::WaiterChanged,
                            item.clone(),
                            name.clone(),
                            format!("input type `{ia}` -> `{ib}`"),
                            affects.clone(),
                        );
                    }
                    let mut parts = Vec::new();
                    if operation != &b.operation {
                        parts.push(format!("operation {operation} -> {}", b.operation));
                    }
                    if delay != &b.delay {
                        parts.push(format!("delay {} -> {}", opt(delay), opt(&b.delay)));
                    }
                    if max_attempts != &b.max_attempts {
                        parts.push(format!(
                            "maxAttempts {} -> {}",
                            opt(max_attempts),
                            opt(&b.max_attempts)
                        ));
                    }
                    if backoff != &b.backoff {
                        let show = |b: &Option<ir::Backoff>| {
                            b.map_or("none".to_owned(), |b| {
                                format!("{}..{} s", b.min_delay, b.max_delay)
                            })
                        };
                        parts.push(format!("backoff {} -> {}", show(backoff), show(&b.backoff)));
                    }
                    if acceptors != &b.acceptors {
                        parts.push(format!(
                            "acceptors changed ({} -> {})",
                            acceptors.len(),
                            b.acceptors.len()
                        ));
                    }
                    if !parts.is_empty() {
                        self.push(
                            Level::Patch,
                            Kind::WaiterChanged,
                            item,
                            name.clone(),
                            format!("{} (handled by the runtime)", parts.join("; ")),
                            affects,
                        );
                    }
                }
            }
        }
        for (name, m) in n {
            if !o.contains_key(name) {
                self.push(
                    Level::Minor,
                    Kind::WaiterAdded,
                    format!("Client::{m}"),
                    name.clone(),
                    "new waiter",
                    Affects::Waiter(name.clone()),
                );
            }
        }
    }

    fn shapes(&mut self) {
        let (o, n) = (self.o, self.n);
        for (name, os) in &o.svc.shapes {
            let ot = o.names.types.get(name);
            let nt = n.names.types.get(name);
            let Some(ns) = n.svc.shapes.get(name) else {
                if let Some(t) = ot {
                    self.push(
                        Level::Major,
                        Kind::TypeRemoved,
                        format!("types::{t}"),
                        name.clone(),
                        format!("{} removed", category(os)),
                        Affects::Shape(name.clone()),
                    );
                }
                continue;
            };
            match (ot, nt) {
                (Some(t), None) => self.push(
                    Level::Major,
                    Kind::TypeRemoved,
                    format!("types::{t}"),
                    name.clone(),
                    format!(
                        "{} removed (the shape is now {}; fields using it are retyped)",
                        category(os),
                        category(ns)
                    ),
                    Affects::Shape(name.clone()),
                ),
                (None, Some(t)) => self.push(
                    Level::Minor,
                    Kind::TypeAdded,
                    format!("types::{t}"),
                    name.clone(),
                    format!("new {} (the shape was {})", category(ns), category(os)),
                    Affects::Shape(name.clone()),
                ),
                _ => {}
            }
            self.shape(name, os, ns);
        }
        for (name, ns) in &n.svc.shapes {
            if !o.svc.shapes.contains_key(name)
                && let Some(t) = n.names.types.get(name)
            {
                self.push(
                    Level::Minor,
                    Kind::TypeAdded,
                    format!("types::{t}"),
                    name.clone(),
                    format!("new {}", category(ns)),
                    Affects::Shape(name.clone()),
                );
            }
        }
    }

    /// The item a shape-level change is reported under: its type, else the
    /// first field using it.
    fn shape_item(&self, name: &str) -> (String, Vec<String>) {
        if let Some(t) = self.n.type_path(name, REPORT_STYLE) {
            return (t, Vec::new());
        }
        let mut users = self.n.users(name);
        if users.is_empty() {
            users = self.o.users(name);
        }
        match users.first() {
            Some(first) => (first.clone(), users[1..].to_vec()),
            None => (
                format!("shapes::{}", self.n.names.statics[name]),
                Vec::new(),
            ),
        }
    }

    fn push_shape(&mut self, level: Level, kind: Kind, name: &str, detail: String) {
        let (item, used_by) = self.shape_item(name);
        self.changes.push(Change {
            level,
            kind,
            item,
            model: name.to_string(),
            detail,
            used_by,
            affects: Affects::Shape(name.to_string()),
        });
    }

    fn shape(&mut self, name: &str, os: &Shape, ns: &Shape) {
        let (o, n) = (self.o, self.n);
        let Shape {
            name: _,
            kind,
            doc,
            min: _,
            max: _,
            pattern: _,
            enum_values,
            // Variant names follow from them; compared through `Names`.
            enum_names: _,
            // Compared with the constraints.
            int_enum: _,
            sensitive,
            deprecated,
            location_name,
            flattened,
            xml_namespace,
            timestamp_format,
            // A blob becoming streaming retypes its fields (`Blob` -> `ByteStream`).
            streaming: _,
            event_stream,
            event,
            requires_length,
            error,
        } = os;
        let ot = o.names.types.get(name);
        let nt = n.names.types.get(name);
        let typed = ot.is_some() && nt.is_some();
        self.doc(doc, &ns.doc);
        if let (Some(a), Some(b)) = (ot, nt) {
            let item = format!("types::{a}");
            if a != b {
                self.push(
                    Level::Major,
                    Kind::TypeRenamed,
                    item.clone(),
                    name,
                    format!("type is now `types::{b}`"),
                    Affects::Shape(name.into()),
                );
            }
            if category(os) != category(ns) {
                self.push(
                    Level::Major,
                    Kind::TypeKindChanged,
                    item,
                    name,
                    format!("{} -> {}", category(os), category(ns)),
                    Affects::Shape(name.into()),
                );
                return;
            }
        }
        self.constraints(name, os, ns);
        if let Some(t) = nt.filter(|_| typed) {
            let item = format!("types::{t}");
            self.deprecation(
                deprecated,
                &ns.deprecated,
                &item,
                name,
                Affects::Shape(name.into()),
            );
            match (o.inputs.contains(name), n.inputs.contains(name)) {
                (true, false) => self.push(
                    Level::Major,
                    Kind::ValidateRemoved,
                    item.clone(),
                    name,
                    "no longer an operation input: `validate()` is gone",
                    Affects::Shape(name.into()),
                ),
                (false, true) => self.push(
                    Level::Minor,
                    Kind::ValidateAdded,
                    item.clone(),
                    name,
                    "now an operation input: gains `validate()`",
                    Affects::Shape(name.into()),
                ),
                _ => {}
            }
            match (error, &ns.error) {
                (None, Some(_)) => self.push(
                    Level::Minor,
                    Kind::ErrorTraitsAdded,
                    item.clone(),
                    name,
                    "now an error shape: gains `Display`, `std::error::Error`, the `meta` field and a variant of the crate-level `Error`",
                    Affects::Shape(name.into()),
                ),
                (Some(_), None) => self.push(
                    Level::Major,
                    Kind::ErrorTraitsRemoved,
                    item.clone(),
                    name,
                    "no longer an error shape: loses `Display`, `std::error::Error`, the `meta` field and its variant of the crate-level `Error`",
                    Affects::Shape(name.into()),
                ),
                (Some(a), Some(b)) => {
                    let ir::ErrorInfo {
                        code,
                        http_status,
                        sender_fault,
                        retryable,
                        throttling,
                    } = a;
                    let mut parts = Vec::new();
                    if code != &b.code {
                        parts.push(format!("code {} -> {}", opt(code), opt(&b.code)));
                    }
                    if http_status != &b.http_status {
                        parts.push(format!(
                            "httpStatusCode {} -> {}",
                            opt(http_status),
                            opt(&b.http_status)
                        ));
                    }
                    if sender_fault != &b.sender_fault {
                        parts.push(format!("senderFault {sender_fault} -> {}", b.sender_fault));
                    }
                    if retryable != &b.retryable || throttling != &b.throttling {
                        parts.push(format!(
                            "retryable {retryable}/throttling {throttling} -> {}/{}",
                            b.retryable, b.throttling
                        ));
                    }
                    if !parts.is_empty() {
                        self.push(
                            Level::Patch,
                            Kind::ErrorInfoChanged,
                            item.clone(),
                            name,
                            format!(
                                "{} (how the runtime matches and retries it)",
                                parts.join("; ")
                            ),
                            Affects::Shape(name.into()),
                        );
                    }
                }
                (None, None) => {}
            }
        }
        if sensitive != &ns.sensitive {
            self.push_shape(
                Level::Patch,
                Kind::RedactionChanged,
                name,
                if ns.sensitive {
                    "now sensitive: `Debug` prints it redacted".into()
                } else {
                    "no longer sensitive: `Debug` prints it".into()
                },
            );
        }
        let wire: [(&str, String, String); 7] = [
            ("locationName", opt(location_name), opt(&ns.location_name)),
            ("flattened", flattened.to_string(), ns.flattened.to_string()),
            ("xmlNamespace", opt(xml_namespace), opt(&ns.xml_namespace)),
            (
                "timestampFormat",
                opt(timestamp_format),
                opt(&ns.timestamp_format),
            ),
            (
                "eventstream",
                event_stream.to_string(),
                ns.event_stream.to_string(),
            ),
            ("event", event.to_string(), ns.event.to_string()),
            (
                "requiresLength",
                requires_length.to_string(),
                ns.requires_length.to_string(),
            ),
        ];
        for (what, a, b) in wire {
            if a != b {
                self.push_shape(
                    Level::Patch,
                    Kind::ShapeWireChanged,
                    name,
                    format!("{what} `{a}` -> `{b}` (handled by the runtime)"),
                );
            }
        }
        match (kind, &ns.kind) {
            (ShapeKind::Structure(a), ShapeKind::Structure(b)) if typed => {
                self.structure(name, a, b)
            }
            (ShapeKind::Union(a), ShapeKind::Union(b)) if typed => self.union(name, a, b),
            (ShapeKind::String, ShapeKind::String)
                if typed && !enum_values.is_empty() && !ns.enum_values.is_empty() =>
            {
                self.enumeration(name, os, ns)
            }
            (ShapeKind::List(a), ShapeKind::List(b)) => {
                self.element(name, &a.member, &b.member, "member");
            }
            (ShapeKind::Map(a), ShapeKind::Map(b)) => {
                self.element(name, &a.key, &b.key, "key");
                self.element(name, &a.value, &b.value, "value");
            }
            _ => {}
        }
    }

    /// A list/map element: wire details and the constraints of a new target
    /// with the same Rust type (a different type shows on the fields).
    fn element(&mut self, name: &str, a: &Member, b: &Member, what: &str) {
        let wire = member_wire(a, b);
        if !wire.is_empty() {
            self.push_shape(
                Level::Patch,
                Kind::ShapeWireChanged,
                name,
                format!("{what}: {} (handled by the runtime)", wire.join("; ")),
            );
        }
        self.doc(&a.doc, &b.doc);
        if a.target != b.target
            && self.o.value_type(&a.target, REPORT_STYLE)
                == self.n.value_type(&b.target, REPORT_STYLE)
        {
            let (os, ns) = (&self.o.svc.shapes[&a.target], &self.n.svc.shapes[&b.target]);
            if let Some((level, kind, detail)) = self.constraint_change(&b.target, os, ns) {
                self.push_shape(level, kind, name, format!("{what}: {detail}"));
            }
        }
    }

    /// Length/range/pattern of a shape present in both models.
    fn constraints(&mut self, name: &str, os: &Shape, ns: &Shape) {
        if let Some((level, kind, detail)) = self.constraint_change(name, os, ns) {
            self.push_shape(level, kind, name, detail);
        }
    }

    /// Compares the constraints of `os` (old) and `ns` (new, named `name`).
    fn constraint_change(
        &self,
        name: &str,
        os: &Shape,
        ns: &Shape,
    ) -> Option<(Level, Kind, String)> {
        let numeric = matches!(
            ns.kind,
            ShapeKind::Integer | ShapeKind::Long | ShapeKind::Float | ShapeKind::Double
        );
        let what = if numeric { "range" } else { "length" };
        let mut tightened = false;
        let mut parts = Vec::new();
        let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_else(|| "none".into());
        if os.min != ns.min {
            tightened |= match (os.min, ns.min) {
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b > a,
                _ => false,
            };
            parts.push(format!("{what} min {} -> {}", num(os.min), num(ns.min)));
        }
        if os.max != ns.max {
            tightened |= match (os.max, ns.max) {
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
                _ => false,
            };
            parts.push(format!("{what} max {} -> {}", num(os.max), num(ns.max)));
        }
        if os.int_enum != ns.int_enum {
            // An int enum's values constrain validation like a range: a
            // value that stops being listed is rejected (`ValidationPolicy::Full`).
            let values = |e: &[(String, i32)]| e.iter().map(|(_, v)| *v).collect::<BTreeSet<i32>>();
            let (a, b) = (values(&os.int_enum), values(&ns.int_enum));
            tightened |= !a.is_subset(&b);
            parts.push(format!(
                "int enum values {:?} -> {:?}",
                a.iter().collect::<Vec<_>>(),
                b.iter().collect::<Vec<_>>()
            ));
        }
        if os.pattern != ns.pattern {
            // A different regular expression may reject what the old one
            // accepted; only removing it is a pure relaxation.
            tightened |= ns.pattern.is_some();
            parts.push(format!(
                "pattern {} -> {}",
                os.pattern
                    .as_deref()
                    .map(|p| format!("`{p}`"))
                    .unwrap_or_else(|| "none".into()),
                ns.pattern
                    .as_deref()
                    .map(|p| format!("`{p}`"))
                    .unwrap_or_else(|| "none".into())
            ));
        }
        if parts.is_empty() {
            return None;
        }
        let on_input = self.n.input_reachable.contains(name);
        let (level, kind, why) = match (tightened, on_input) {
            (true, true) => (
                Level::Minor,
                Kind::ConstraintTightened,
                "tightened; checked only under `ValidationPolicy::Full`",
            ),
            (true, false) => (
                Level::Patch,
                Kind::ConstraintTightened,
                "tightened on output values only; never checked on the client",
            ),
            (false, _) => (
                Level::Patch,
                Kind::ConstraintRelaxed,
                "relaxed; values accepted before still are",
            ),
        };
        Some((level, kind, format!("{} ({why})", parts.join("; "))))
    }

    fn structure(&mut self, name: &str, a: &StructShape, b: &StructShape) {
        let (o, n) = (self.o, self.n);
        let ty = &n.names.types[name];
        let affects = || Affects::Shape(name.to_string());
        let StructShape { members, payload } = a;
        let oi: BTreeMap<&str, usize> = members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.as_str(), i))
            .collect();
        let ni: BTreeMap<&str, usize> = b
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.as_str(), i))
            .collect();
        for (i, m) in members.iter().enumerate() {
            if !ni.contains_key(m.name.as_str()) {
                self.push(
                    Level::Major,
                    Kind::MemberRemoved,
                    format!("types::{ty}.{}", o.names.members[name][i]),
                    format!("{name}${}", m.name),
                    "field removed",
                    affects(),
                );
            }
        }
        for (j, m) in b.members.iter().enumerate() {
            let field = &n.names.members[name][j];
            let item = format!("types::{ty}.{field}");
            let model = format!("{name}${}", m.name);
            let Some(&i) = oi.get(m.name.as_str()) else {
                let t = n.field_type(m, REPORT_STYLE);
                if m.required {
                    self.push(
                        Level::Major,
                        Kind::MemberAdded,
                        item,
                        model,
                        format!(
                            "new required field `{field}: {t}`: struct literals and `{ty}::new(..)` calls must supply it"
                        ),
                        affects(),
                    );
                } else {
                    self.push(
                        Level::Minor,
                        Kind::MemberAdded,
                        item,
                        model,
                        format!(
                            "new optional field `{field}: {t}` (struct literals ending in `..{}` keep compiling)",
                            if b.members.iter().any(|m| m.required) {
                                format!("{ty}::new(..)")
                            } else {
                                "Default::default()".to_string()
                            }
                        ),
                        affects(),
                    );
                }
                continue;
            };
            let om = &members[i];
            let old_field = &o.names.members[name][i];
            if old_field != field {
                self.push(
                    Level::Major,
                    Kind::MemberRenamed,
                    format!("types::{ty}.{old_field}"),
                    model.clone(),
                    format!("field is now `{field}`"),
                    affects(),
                );
            }
            self.member(name, om, m, &item, &model);
        }
        let req = |api: &Api, ms: &[Member], other: &BTreeMap<&str, usize>, other_ms: &[Member]| {
            let _ = api;
            ms.iter()
                .filter(|m| m.required)
                .filter(|m| {
                    other
                        .get(m.name.as_str())
                        .is_some_and(|&k| other_ms[k].required)
                })
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
        };
        let ro = req(o, members, &ni, &b.members);
        let rn = req(n, &b.members, &oi, members);
        if ro != rn {
            self.push(
                Level::Major,
                Kind::RequiredOrderChanged,
                format!("types::{ty}"),
                name,
                format!(
                    "required members reordered ({} -> {}): `{ty}::new(..)` takes them in this order",
                    ro.join(", "),
                    rn.join(", ")
                ),
                affects(),
            );
        }
        let pname = |ms: &[Member], p: &Option<usize>| p.map(|i| ms[i].name.clone());
        let (pa, pb) = (pname(members, payload), pname(&b.members, &b.payload));
        if pa != pb {
            self.push(
                Level::Patch,
                Kind::MemberWireChanged,
                format!("types::{ty}"),
                name,
                format!(
                    "payload member {} -> {} (handled by the runtime)",
                    opt(&pa),
                    opt(&pb)
                ),
                affects(),
            );
        }
    }

    /// A structure member present in both models.
    fn member(&mut self, shape: &str, om: &Member, m: &Member, item: &str, model: &str) {
        let (o, n) = (self.o, self.n);
        let affects = || Affects::Shape(shape.to_string());
        let (vo, vn) = (
            o.value_type(&om.target, REPORT_STYLE),
            n.value_type(&m.target, REPORT_STYLE),
        );
        let (fo, fn_) = (
            o.field_type(om, REPORT_STYLE),
            n.field_type(m, REPORT_STYLE),
        );
        if om.required != m.required {
            let (kind, what) = if m.required {
                (Kind::MemberBecameRequired, "now required")
            } else {
                (Kind::MemberBecameOptional, "now optional")
            };
            self.push(
                Level::Major,
                kind,
                item,
                model,
                format!("{what}: `{fo}` -> `{fn_}`, and `new(..)`'s parameters change"),
                affects(),
            );
        }
        if vo != vn || om.boxed != m.boxed {
            self.push(
                Level::Major,
                Kind::MemberRetyped,
                item,
                model,
                format!("type `{fo}` -> `{fn_}`"),
                affects(),
            );
        } else if om.target != m.target {
            let (os, ns) = (&o.svc.shapes[&om.target], &n.svc.shapes[&m.target]);
            if let Some((level, kind, detail)) = self.constraint_change(&m.target, os, ns) {
                self.push(
                    level,
                    kind,
                    item,
                    model,
                    format!("target shape {} -> {}: {detail}", om.target, m.target),
                    affects(),
                );
            }
        }
        let wire = member_wire(om, m);
        if !wire.is_empty() {
            self.push(
                Level::Patch,
                Kind::MemberWireChanged,
                item,
                model,
                format!("{} (handled by the runtime)", wire.join("; ")),
                affects(),
            );
        }
        self.deprecation(&om.deprecated, &m.deprecated, item, model, affects());
        self.doc(&om.doc, &m.doc);
    }

    fn union(&mut self, name: &str, a: &StructShape, b: &StructShape) {
        let (o, n) = (self.o, self.n);
        let ty = &n.names.types[name];
        let affects = || Affects::Shape(name.to_string());
        let StructShape {
            members,
            payload: _,
        } = a;
        for (i, m) in members.iter().enumerate() {
            let model = format!("{name}${}", m.name);
            let ov = &o.names.members[name][i];
            let item = format!("types::{ty}::{ov}");
            let Some(j) = b.members.iter().position(|x| x.name == m.name) else {
                self.push(
                    Level::Major,
                    Kind::VariantRemoved,
                    item,
                    model,
                    "union member removed",
                    affects(),
                );
                continue;
            };
            let nm = &b.members[j];
            let nv = &n.names.members[name][j];
            if ov != nv {
                self.push(
                    Level::Major,
                    Kind::VariantRenamed,
                    item.clone(),
                    model.clone(),
                    format!("variant is now `{nv}`"),
                    affects(),
                );
            }
            let (ta, tb) = (
                o.variant_type(m, REPORT_STYLE),
                n.variant_type(nm, REPORT_STYLE),
            );
            if ta != tb {
                self.push(
                    Level::Major,
                    Kind::VariantRetyped,
                    item.clone(),
                    model.clone(),
                    format!("payload `{ta}` -> `{tb}`"),
                    affects(),
                );
            } else if m.target != nm.target {
                let (os, ns) = (&o.svc.shapes[&m.target], &n.svc.shapes[&nm.target]);
                if let Some((level, kind, detail)) = self.constraint_change(&nm.target, os, ns) {
                    self.push(
                        level,
                        kind,
                        item.clone(),
                        model.clone(),
                        format!("target shape {} -> {}: {detail}", m.target, nm.target),
                        affects(),
                    );
                }
            }
            let wire = member_wire(m, nm);
            if !wire.is_empty() {
                self.push(
                    Level::Patch,
                    Kind::MemberWireChanged,
                    item.clone(),
                    model.clone(),
                    format!("{} (handled by the runtime)", wire.join("; ")),
                    affects(),
                );
            }
            self.deprecation(&m.deprecated, &nm.deprecated, &item, &model, affects());
            self.doc(&m.doc, &nm.doc);
        }
        for (j, m) in b.members.iter().enumerate() {
            if !members.iter().any(|x| x.name == m.name) {
                let v = &n.names.members[name][j];
                self.push(
                    Level::Minor,
                    Kind::VariantAdded,
                    format!("types::{ty}::{v}"),
                    format!("{name}${}", m.name),
                    format!(
                        "new union member `{v}({})` (the enum is `#[non_exhaustive]`)",
                        n.variant_type(m, REPORT_STYLE)
                    ),
                    affects(),
                );
            }
        }
    }

    fn enumeration(&mut self, name: &str, os: &Shape, ns: &Shape) {
        let (o, n) = (self.o, self.n);
        let ty = &n.names.types[name];
        let affects = || Affects::Shape(name.to_string());
        for (i, v) in os.enum_values.iter().enumerate() {
            let ov = &o.names.enum_variants[name][i];
            match ns.enum_values.iter().position(|x| x == v) {
                None => self.push(
                    Level::Major,
                    Kind::EnumValueRemoved,
                    format!("types::{ty}::{ov}"),
                    format!("{name}: {v:?}"),
                    format!("value {v:?} removed (it now parses as `Unknown`)"),
                    affects(),
                ),
                Some(j) => {
                    let nv = &n.names.enum_variants[name][j];
                    if ov != nv {
                        self.push(
                            Level::Major,
                            Kind::EnumVariantRenamed,
                            format!("types::{ty}::{ov}"),
                            format!("{name}: {v:?}"),
                            format!("variant for {v:?} is now `{nv}`"),
                            affects(),
                        );
                    }
                }
            }
        }
        for (j, v) in ns.enum_values.iter().enumerate() {
            if !os.enum_values.contains(v) {
                let nv = &n.names.enum_variants[name][j];
                self.push(
                    Level::Minor,
                    Kind::EnumValueAdded,
                    format!("types::{ty}::{nv}"),
                    format!("{name}: {v:?}"),
                    format!("new value {v:?} (the enum is `#[non_exhaustive]`; it used to parse as `Unknown`)"),
                    affects(),
                );
            }
        }
    }
}

/// Differences in how a member travels (locations, names, formats, flags).
fn member_wire(a: &Member, b: &Member) -> Vec<String> {
    let Member {
        name: _,
        // Compared by the callers (type, constraints).
        target: _,
        doc: _,
        location,
        location_name,
        query_name,
        flattened,
        xml_attribute,
        xml_namespace,
        timestamp_format,
        json_value,
        idempotency_token,
        host_label,
        event_payload,
        // Compared by the callers (type and `new(..)`).
        required: _,
        // Documentation only.
        default_value: _,
        deprecated: _,
        boxed: _,
    } = a;
    let mut out = Vec::new();
    let fields: [(&str, String, String); 11] = [
        (
            "location",
            format!("{location:?}"),
            format!("{:?}", b.location),
        ),
        ("locationName", opt(location_name), opt(&b.location_name)),
        ("queryName", opt(query_name), opt(&b.query_name)),
        ("flattened", flattened.to_string(), b.flattened.to_string()),
        (
            "xmlAttribute",
            xml_attribute.to_string(),
            b.xml_attribute.to_string(),
        ),
        ("xmlNamespace", opt(xml_namespace), opt(&b.xml_namespace)),
        (
            "timestampFormat",
            opt(timestamp_format),
            opt(&b.timestamp_format),
        ),
        (
            "jsonvalue",
            json_value.to_string(),
            b.json_value.to_string(),
        ),
        (
            "idempotencyToken",
            idempotency_token.to_string(),
            b.idempotency_token.to_string(),
        ),
        (
            "hostLabel",
            host_label.to_string(),
            b.host_label.to_string(),
        ),
        (
            "eventpayload",
            event_payload.to_string(),
            b.event_payload.to_string(),
        ),
    ];
    for (what, x, y) in fields {
        if x != y {
            out.push(format!("{what} `{x}` -> `{y}`"));
        }
    }
    out
}

/// What a shape becomes in Rust, for messages.
fn category(s: &Shape) -> &'static str {
    match &s.kind {
        ShapeKind::Structure(_) => "structure",
        ShapeKind::Union(_) => "union",
        ShapeKind::String if !s.enum_values.is_empty() => "string enum",
        ShapeKind::String => "plain string",
        ShapeKind::List(_) => "list",
        ShapeKind::Map(_) => "map",
        _ => "scalar",
    }
}

fn first_line(s: &str) -> String {
    let l = s.lines().next().unwrap_or_default();
    if l.chars().count() > 120 {
        format!("{}...", l.chars().take(117).collect::<String>())
    } else {
        l.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(bump_version("0.1.0", Level::Major).unwrap(), "0.2.0");
        assert_eq!(bump_version("0.1.3", Level::Minor).unwrap(), "0.1.4");
        assert_eq!(bump_version("0.1.3", Level::Patch).unwrap(), "0.1.4");
        assert_eq!(bump_version("0.0.3", Level::Major).unwrap(), "0.0.4");
        assert_eq!(bump_version("1.2.3", Level::Major).unwrap(), "2.0.0");
        assert_eq!(bump_version("1.2.3", Level::Minor).unwrap(), "1.3.0");
        assert_eq!(bump_version("1.2.3", Level::Patch).unwrap(), "1.2.4");
        assert!(bump_version("1.2", Level::Patch).is_err());
        assert!(bump_version("1.2.3-beta", Level::Patch).is_err());
    }

    #[test]
    fn inline_code_survives_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
    }
}
