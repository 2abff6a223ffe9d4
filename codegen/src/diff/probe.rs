//! User code against a generated crate's API, to check [`super::diff`]'s
//! verdicts with the compiler.
//!
//! [`probe`] writes one function per item of the *old* API (service trait,
//! every type, operation, paginator and waiter) that uses it the way the
//! README tells users to: struct literals name every field and end in
//! `..Type::new(..)` / `..Default::default()`, patterns and `match`es on
//! enums end in `..` / `_`, every field and payload is read with its exact
//! type. Items with a breaking change are left out; what remains must
//! compile against both the old and the new crate. The functions are never
//! called: [`any`](self) values exist only for the type checker.

use super::{Affects, Api, TypeStyle};
use crate::ir::{Service, ShapeKind};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// What to probe.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// The generated crate's name inside the probe crate (`use <alias> as s;`).
    pub alias: String,
    /// Items not to probe (those with breaking changes).
    pub skip: BTreeSet<Affects>,
    /// A line for the file's doc comment (where the probe came from).
    pub note: String,
    /// Probe only the `skip` items instead (to see the breaking changes fail).
    pub invert: bool,
}

/// A probe's source and which function probes which item.
#[derive(Debug, Clone)]
pub struct Probe {
    pub source: String,
    /// Function name → the item it uses.
    pub functions: Vec<(String, Affects)>,
}

/// The items of a report that the probe must leave out: every item with a
/// major change that shows in the API (run-time-only majors stay in).
pub fn breaking_items(report: &super::Report) -> BTreeSet<Affects> {
    report
        .changes
        .iter()
        .filter(|c| c.level == super::Level::Major && c.affects != Affects::Runtime)
        .map(|c| c.affects.clone())
        .collect()
}

fn style() -> TypeStyle<'static> {
    TypeStyle {
        types: "s::types::",
        runtime: "rt::",
        map: "::std::collections::HashMap",
    }
}

/// The probe for `old` (a whole module).
pub fn probe(old: &Service, opts: &ProbeOptions) -> Probe {
    let api = Api::new(old);
    let st = style();
    let skip = |a: &Affects| opts.skip.contains(a) != opts.invert;
    let mut functions: Vec<(String, Affects)> = Vec::new();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "//! Compile-only probe of the generated API: every item uses the old API as the\n\
         //! README tells users to. Written by botogen; do not edit by hand.\n//!\n//! {}\n",
        opts.note.replace('\n', " ")
    );
    out.push_str(
        "#![allow(unused, deprecated, unreachable_patterns, clippy::all, reason = \"compile-only probe\")]\n\n",
    );
    let _ = writeln!(
        out,
        "use ::botogen_runtime as rt;\nuse ::{} as s;\n",
        opts.alias
    );
    out.push_str(
        "/// A value of any type, for the type checker only: nothing here runs.\nfn any<T>() -> T {\n    unreachable!(\"compile-only probe\")\n}\n\n",
    );
    let trait_ = &api.names.api_trait;
    let service_ok = !skip(&Affects::Service);
    // Operations, paginators and waiters are called through the trait and `Client`.
    let calls_ok = !opts.skip.contains(&Affects::Service);
    if service_ok {
        functions.push(("service".into(), Affects::Service));
        let _ = writeln!(
            out,
            "pub fn service() {{\n    fn api<T: s::{trait_}>(_: &T) {{}}\n    let c = s::Client::new(s::Config::new());\n    api(&c);\n    let _: &rt::client::Client = c.inner();\n}}\n"
        );
    }
    for (name, shape) in &old.shapes {
        let Some(ty) = api.names.types.get(name) else {
            continue;
        };
        if skip(&Affects::Shape(name.clone())) {
            continue;
        }
        let fname = format!("ty_{}", api.names.statics[name].to_ascii_lowercase());
        let path = format!("s::types::{ty}");
        let mut body = String::new();
        match &shape.kind {
            ShapeKind::Structure(s) => {
                let fields = &api.names.members[name];
                for (m, f) in s.members.iter().zip(fields) {
                    let _ = writeln!(body, "    let _: &{} = &v.{f};", api.field_type(m, st));
                }
                let inits: String = fields.iter().map(|f| format!("{f}: any(), ")).collect();
                // `new` takes each required member's value type (boxed ones too).
                let required: Vec<String> = s
                    .members
                    .iter()
                    .filter(|m| m.required)
                    .map(|m| format!("any::<{}>()", api.value_type(&m.target, st)))
                    .collect();
                let base = if !required.is_empty() {
                    format!("{path}::new({})", required.join(", "))
                } else {
                    "Default::default()".to_string()
                };
                let _ = writeln!(body, "    let _: {path} = {path} {{ {inits}..{base} }};");
                let pats: String = fields.iter().map(|f| format!("{f}: _, ")).collect();
                let _ = writeln!(body, "    let {path} {{ {pats}.. }} = v.clone();");
                let _ = writeln!(body, "    let _: &dyn ::std::fmt::Debug = &v;");
                let _ = writeln!(body, "    let _: bool = v == v.clone();");
                if api.inputs.contains(name) {
                    let _ = writeln!(
                        body,
                        "    let _: Result<(), rt::validate::ValidationErrors> = v.validate();"
                    );
                }
                if shape.error.is_some() {
                    let _ = writeln!(body, "    let _: &dyn ::std::error::Error = &v;");
                    let _ = writeln!(body, "    let _: String = v.to_string();");
                }
            }
            ShapeKind::Union(s) => {
                let variants = &api.names.members[name];
                let _ = writeln!(body, "    match &v {{");
                for (m, var) in s.members.iter().zip(variants) {
                    let _ = writeln!(
                        body,
                        "        {path}::{var}(x) => {{ let _: &{} = x; }}",
                        api.variant_type(m, st)
                    );
                }
                let _ = writeln!(
                    body,
                    "        {path}::Unknown(n) => {{ let _: &String = n; }}\n        _ => {{}}\n    }}"
                );
                for var in variants {
                    let _ = writeln!(body, "    let _: {path} = {path}::{var}(any());");
                }
                let _ = writeln!(body, "    let _: &dyn ::std::fmt::Debug = &v;");
                let _ = writeln!(body, "    let _: bool = v == v.clone();");
            }
            ShapeKind::String => {
                let variants = &api.names.enum_variants[name];
                let _ = writeln!(body, "    match &v {{");
                for var in variants {
                    let _ = writeln!(body, "        {path}::{var} => {{}}");
                }
                let _ = writeln!(
                    body,
                    "        {path}::Unknown(n) => {{ let _: &String = n; }}\n        _ => {{}}\n    }}"
                );
                for var in variants {
                    let _ = writeln!(body, "    let _: {path} = {path}::{var};");
                }
                let _ = writeln!(body, "    let _: &str = v.as_str();");
                let _ = writeln!(body, "    let _: &[&str] = {path}::VALUES;");
                let _ = writeln!(body, "    let _: {path} = {path}::from(\"value\");");
                let _ = writeln!(body, "    let _: String = v.to_string();");
                let _ = writeln!(body, "    let _: bool = v == v.clone();");
            }
            _ => continue,
        }
        let _ = writeln!(out, "pub fn {fname}(v: {path}) {{\n{body}}}\n");
        functions.push((fname, Affects::Shape(name.clone())));
    }
    if calls_ok {
        for op in &old.operations {
            if skip(&Affects::Operation(op.key.clone())) {
                continue;
            }
            let names = &api.names.operations[&op.key];
            let method = &names.method;
            let err = format!("s::operations::{}", names.error_enum);
            let (input, output) = (api.io_type(&op.input, st), api.io_type(&op.output, st));
            let mut arms = String::new();
            for (e, var) in op.errors.iter().zip(&names.error_variants) {
                let _ = writeln!(
                    arms,
                    "            {err}::{var}(x) => {{ let _: &{} = &x; }}",
                    api.value_type(e, st)
                );
            }
            let fname = format!("op_{}", method.trim_start_matches("r#"));
            let _ = writeln!(
                out,
                "pub async fn {fname}<C: s::{trait_}>(c: &C) {{\n    let r: Result<{output}, {err}> = c.{method}(any::<{input}>()).await;\n    if let Err(e) = r {{\n        let _: &dyn ::std::error::Error = &e;\n        match e {{\n{arms}            {err}::Unmodeled(u) => {{ let _: &rt::UnmodeledError = &u; }}\n            {err}::Sdk(x) => {{ let _: &rt::SdkError = &x; }}\n            _ => {{}}\n        }}\n    }}\n}}\n"
            );
            functions.push((fname, Affects::Operation(op.key.clone())));
        }
        for op in &old.operations {
            let Some(m) = api.paginator_methods.get(&op.key) else {
                continue;
            };
            if skip(&Affects::Paginator(op.key.clone())) {
                continue;
            }
            let err = format!(
                "s::operations::{}",
                api.names.operations[&op.key].error_enum
            );
            let (input, output) = (api.io_type(&op.input, st), api.io_type(&op.output, st));
            // The page size's type is part of the paginator's.
            let page_size = old
                .paginators
                .get(&op.key)
                .and_then(|p| old.page_size_type(op, p))
                .map(|t| match t {
                    "String" => ", ::std::string::String".to_owned(),
                    t => format!(", {t}"),
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "pub fn pag_{m}(c: &s::Client) {{\n    let _: rt::paginate::Paginator<{input}, {output}, {err}{page_size}> = c.{m}(any::<{input}>());\n}}\n"
            );
            functions.push((format!("pag_{m}"), Affects::Paginator(op.key.clone())));
        }
        for (wname, m) in &api.waiter_methods {
            if skip(&Affects::Waiter(wname.clone())) {
                continue;
            }
            let w = &old.waiters[wname];
            let Some(op) = old.operations.iter().find(|o| o.key == w.operation) else {
                continue;
            };
            let err = format!(
                "s::operations::{}",
                api.names.operations[&op.key].error_enum
            );
            let (input, output) = (api.io_type(&op.input, st), api.io_type(&op.output, st));
            let _ = writeln!(
                out,
                "pub fn wait_{m}(c: &s::Client) {{\n    let _: rt::waiter::Waiter<'_, {input}, {output}, {err}> = c.{m}(any::<{input}>());\n}}\n"
            );
            functions.push((format!("wait_{m}"), Affects::Waiter(wname.clone())));
        }
    }
    Probe {
        source: out,
        functions,
    }
}

/// [`probe`], checked to parse and laid out by prettyplease under the
/// `@generated` header naming `label` (the old model).
pub fn probe_file(old: &Service, opts: &ProbeOptions, label: &str) -> Result<Probe, crate::Error> {
    let p = probe(old, opts);
    let file = syn::parse_file(&p.source).map_err(|e| crate::Error::Internal {
        file: label.to_string(),
        item: "compatibility probe".into(),
        message: e.to_string(),
    })?;
    Ok(Probe {
        source: format!(
            "{}{}",
            crate::write::header(label),
            prettyplease::unparse(&file)
        ),
        functions: p.functions,
    })
}
