//! The Smithy 2.0 JSON AST front end: a `model.json` as `smithy build`
//! writes it (or as AWS publishes its service models) → [`ir::Service`].
//!
//! [`ast`] reads the file into a resolved shape table (prelude, `apply`,
//! mixins); this module lowers the service closure into the IR the botocore
//! front end also produces, so nothing after [`crate::ir`] knows which
//! format a model came in. The mapping follows botocore's own conversion
//! where the IR has a botocore shape (shape names, synthesized shapes for
//! member constraints, `resultWrapper`, XML traits only for XML protocols),
//! so the two front ends agree on the same API; see `tests/smithy/EQUIVALENCE.md`.
//!
//! Nullability (Smithy 2.0 "structure member optionality"): a member is
//! required (a plain field, checked before sending) when it has
//! `@required` and not `@clientOptional`; `@default` alone leaves it
//! optional (the caller may omit it and the service applies the default);
//! `@required` with `@default` stays required (the value must be on the
//! wire, as botocore's `required` list says too). `@input` does not make
//! members optional: a generated crate binds one model version, and the
//! service rejects a call without them. ARCHITECTURE.md records why.

pub mod ast;

use crate::error::Error;
use crate::ir::{self, Protocol};
use ast::{Member as AstMember, Model, Shape as AstShape, Traits};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Whether parsed JSON is a Smithy JSON AST (a top-level `smithy` key).
pub fn is_smithy(raw: &Value) -> bool {
    raw.get("smithy").is_some()
}

const DOC: &str = "smithy.api#documentation";

/// The protocol traits botogen implements, with the IR protocol and (for
/// awsJson) the JSON version.
fn protocol_of(trait_id: &str) -> Option<(Protocol, &'static str)> {
    Some(match trait_id {
        "aws.protocols#awsJson1_0" => (Protocol::Json, "1.0"),
        "aws.protocols#awsJson1_1" => (Protocol::Json, "1.1"),
        "aws.protocols#restJson1" => (Protocol::RestJson, ""),
        "aws.protocols#restXml" => (Protocol::RestXml, ""),
        "aws.protocols#awsQuery" => (Protocol::Query, ""),
        "aws.protocols#ec2Query" => (Protocol::Ec2, ""),
        "smithy.protocols#rpcv2Cbor" => (Protocol::SmithyRpcV2Cbor, ""),
        _ => return None,
    })
}

/// Traits that define auth schemes on a service.
const AUTH_TRAITS: &[&str] = &[
    "aws.auth#sigv4",
    "aws.auth#sigv4a",
    "smithy.api#httpBearerAuth",
    "smithy.api#httpBasicAuth",
    "smithy.api#httpDigestAuth",
    "smithy.api#httpApiKeyAuth",
    "aws.auth#cognitoUserPools",
];

/// Loads a Smithy model and resolves its service into the IR.
pub fn to_service(
    raw: &Value,
    file: &str,
    opts: &ir::ResolveOptions,
) -> Result<ir::Service, Error> {
    let model = Model::read(raw, file)?;
    let service = pick_service(&model, file, opts.service.as_deref())?;
    Lowering::new(&model, service, file, opts)?.run(opts)
}

fn pick_service<'a>(
    model: &'a Model,
    file: &str,
    wanted: Option<&str>,
) -> Result<&'a AstShape, Error> {
    let services: Vec<&AstShape> = model
        .shapes
        .values()
        .filter(|s| s.ty == "service" && !s.traits.contains_key("smithy.api#mixin"))
        .collect();
    let listed = || {
        services
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        Some(w) => services
            .iter()
            .find(|s| s.id == w || local(&s.id) == w)
            .copied()
            .ok_or_else(|| {
                Error::Other(format!(
                    "{file}: no service shape `{w}` (the model has: {})",
                    listed()
                ))
            }),
        None => match services.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::Other(format!(
                "{file}: the model defines no service shape"
            ))),
            _ => Err(Error::Other(format!(
                "{file}: the model defines several services ({}); pick one with --service",
                listed()
            ))),
        },
    }
}

fn local(id: &str) -> &str {
    id.split_once('#').map_or(id, |(_, n)| n)
}

fn has(traits: &Traits, id: &str) -> bool {
    traits.contains_key(id)
}

fn str_trait<'t>(traits: &'t Traits, id: &str) -> Option<&'t str> {
    traits.get(id).and_then(Value::as_str)
}

fn field<'v>(v: Option<&'v Value>, key: &str) -> Option<&'v Value> {
    v.and_then(|v| v.get(key))
}

fn field_str(v: Option<&Value>, key: &str) -> Option<String> {
    field(v, key).and_then(Value::as_str).map(str::to_owned)
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Model documentation as the HTML the IR carries. AWS models write HTML;
/// other Smithy models write CommonMark, which is rendered to HTML here.
fn doc_of(traits: &Traits) -> Option<String> {
    let text = str_trait(traits, DOC)?;
    if text.trim().is_empty() {
        return None;
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        return Some(text.to_string());
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(text));
    Some(html)
}

fn deprecation(traits: &Traits) -> Option<ir::Deprecation> {
    let d = traits.get("smithy.api#deprecated")?;
    Some(ir::Deprecation {
        message: field_str(Some(d), "message"),
        since: field_str(Some(d), "since"),
    })
}

fn timestamp_format(
    traits: &Traits,
    file: &str,
    at: &str,
) -> Result<Option<ir::TimestampFormat>, Error> {
    Ok(match str_trait(traits, "smithy.api#timestampFormat") {
        None => None,
        Some("date-time") => Some(ir::TimestampFormat::Iso8601),
        Some("http-date") => Some(ir::TimestampFormat::Rfc822),
        Some("epoch-seconds") => Some(ir::TimestampFormat::UnixTimestamp),
        Some(other) => {
            return Err(Error::InvalidShape {
                file: file.into(),
                shape: at.into(),
                message: format!("unknown timestampFormat `{other}`"),
            });
        }
    })
}

fn xml_namespace(traits: &Traits) -> Option<ir::XmlNamespace> {
    let ns = traits.get("smithy.api#xmlNamespace")?;
    Some(ir::XmlNamespace {
        uri: field_str(Some(ns), "uri").unwrap_or_default(),
        prefix: field_str(Some(ns), "prefix"),
    })
}

/// `@length` or `@range` bounds.
fn bounds(traits: &Traits) -> (Option<f64>, Option<f64>) {
    let t = traits
        .get("smithy.api#length")
        .or_else(|| traits.get("smithy.api#range"));
    (
        field(t, "min").and_then(Value::as_f64),
        field(t, "max").and_then(Value::as_f64),
    )
}

/// The model's value of a member's `@default`, as JSON text.
fn default_text(traits: &Traits) -> Option<String> {
    traits.get("smithy.api#default").map(Value::to_string)
}

struct Lowering<'a> {
    model: &'a Model,
    service: &'a AstShape,
    file: &'a str,
    protocol: Protocol,
    protocols: Vec<Protocol>,
    json_version: &'static str,
    /// XML traits apply (an XML or query protocol is listed).
    xml: bool,
    /// `jsonName` applies (restJson1 is listed).
    json_names: bool,
    /// Shape id → IR name.
    names: BTreeMap<String, String>,
    /// IR names taken (lower-cased, as Smithy's closure rule compares them).
    taken: BTreeSet<String>,
    /// Structures used as an operation's input, output or error: the only
    /// ones whose members HTTP binding traits apply to.
    top_level: BTreeSet<String>,
    /// Structures used as an operation's input.
    inputs: BTreeSet<String>,
    /// The service's operations in closure order (ids).
    operations: Vec<String>,
    shapes: BTreeMap<String, ir::Shape>,
    /// Shapes made for members that state their own constraints.
    synthesized: Vec<Synthesized>,
}

/// A copy of `base` with a member's own `@length`/`@range`/`@pattern`.
struct Synthesized {
    name: String,
    base: String,
    min: Option<f64>,
    max: Option<f64>,
    pattern: Option<String>,
}

impl<'a> Lowering<'a> {
    fn new(
        model: &'a Model,
        service: &'a AstShape,
        file: &'a str,
        opts: &ir::ResolveOptions,
    ) -> Result<Lowering<'a>, Error> {
        let mut listed = Vec::new();
        let mut json_version = "";
        for k in service.traits.keys() {
            if let Some((p, v)) = protocol_of(k)
                && !listed.contains(&p)
            {
                listed.push(p);
                if p == Protocol::Json {
                    json_version = v;
                }
            }
        }
        let stated: Vec<&str> = service
            .traits
            .keys()
            .filter(|k| k.contains("protocols#"))
            .map(String::as_str)
            .collect();
        let stated = stated.join(", ");
        let available: Vec<&str> = listed.iter().map(|p| p.as_str()).collect();
        let (protocol, protocols) = ir::pick_protocol(
            listed.clone(),
            &available.join(", "),
            if stated.is_empty() { "<none>" } else { &stated },
            file,
            opts.protocol.as_deref(),
        )?;
        let xml = listed
            .iter()
            .any(|p| matches!(p, Protocol::RestXml | Protocol::Query | Protocol::Ec2));
        let json_names = listed.contains(&Protocol::RestJson);
        let mut l = Lowering {
            model,
            service,
            file,
            protocol,
            protocols,
            json_version,
            xml,
            json_names,
            names: BTreeMap::new(),
            taken: BTreeSet::new(),
            top_level: BTreeSet::new(),
            inputs: BTreeSet::new(),
            operations: Vec::new(),
            shapes: BTreeMap::new(),
            synthesized: Vec::new(),
        };
        l.collect_operations()?;
        l.assign_names()?;
        Ok(l)
    }

    fn shape(&self, id: &str) -> Option<&'a AstShape> {
        self.model.shapes.get(id)
    }

    fn invalid(&self, shape: &str, message: String) -> Error {
        Error::InvalidShape {
            file: self.file.into(),
            shape: shape.into(),
            message,
        }
    }

    fn dangling(&self, shape: &str, member: Option<&str>, target: &str) -> Error {
        Error::DanglingReference {
            file: self.file.into(),
            shape: shape.into(),
            member: member.map(str::to_owned),
            target: target.into(),
        }
    }

    /// The service's operations: its own, then those of its resources
    /// (lifecycle operations, `operations`, `collectionOperations`, then
    /// child resources), depth first, each once.
    fn collect_operations(&mut self) -> Result<(), Error> {
        let mut ops = Vec::new();
        let mut seen_resources = BTreeSet::new();
        let service = self.service;
        for op in service.references("operations") {
            self.push_operation(&mut ops, service, op)?;
        }
        for r in service.references("resources") {
            self.walk_resource(&mut ops, r, service, &mut seen_resources)?;
        }
        self.operations = ops;
        Ok(())
    }

    fn push_operation(
        &self,
        ops: &mut Vec<String>,
        from: &AstShape,
        op: &str,
    ) -> Result<(), Error> {
        match self.shape(op) {
            Some(s) if s.ty == "operation" => {
                if !ops.iter().any(|o| o == op) {
                    ops.push(op.to_string());
                }
                Ok(())
            }
            Some(s) => Err(self.invalid(
                &from.id,
                format!("binds `{op}`, which is a {}, not an operation", s.ty),
            )),
            None => Err(self.dangling(&from.id, None, op)),
        }
    }

    fn walk_resource(
        &self,
        ops: &mut Vec<String>,
        id: &str,
        from: &AstShape,
        seen: &mut BTreeSet<String>,
    ) -> Result<(), Error> {
        let r = match self.shape(id) {
            Some(s) if s.ty == "resource" => s,
            Some(s) => {
                return Err(self.invalid(
                    &from.id,
                    format!("binds `{id}`, which is a {}, not a resource", s.ty),
                ));
            }
            None => return Err(self.dangling(&from.id, None, id)),
        };
        if !seen.insert(id.to_string()) {
            return Err(self.invalid(
                id,
                "resource is bound more than once (or in a cycle)".into(),
            ));
        }
        for prop in ["create", "put", "read", "update", "delete", "list"] {
            if let Some(op) = r.reference(prop) {
                self.push_operation(ops, r, op)?;
            }
        }
        for prop in ["operations", "collectionOperations"] {
            for op in r.references(prop) {
                self.push_operation(ops, r, op)?;
            }
        }
        for child in r.references("resources") {
            self.walk_resource(ops, child, r, seen)?;
        }
        Ok(())
    }

    /// Names every shape the operations reach: the service's `rename`, else
    /// the shape's name without its namespace. Two shapes of the closure
    /// may not share a name (case-insensitively, as Smithy requires);
    /// prelude shapes give way to the model's own.
    fn assign_names(&mut self) -> Result<(), Error> {
        let mut reached: Vec<String> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut stack: Vec<(String, String)> = Vec::new();
        let service_errors: Vec<String> = self
            .service
            .references("errors")
            .into_iter()
            .map(str::to_owned)
            .collect();
        for op in self.operations.clone() {
            let s = self.model.shapes[&op].clone();
            if let Some(t) = s.reference("input") {
                self.inputs.insert(t.to_string());
            }
            for t in [s.reference("input"), s.reference("output")] {
                if let Some(t) = t
                    && t != "smithy.api#Unit"
                {
                    self.top_level.insert(t.to_string());
                    stack.push((op.clone(), t.to_string()));
                }
            }
            for e in s
                .references("errors")
                .into_iter()
                .map(str::to_owned)
                .chain(service_errors.clone())
            {
                self.top_level.insert(e.clone());
                stack.push((op.clone(), e));
            }
        }
        stack.reverse();
        while let Some((from, id)) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let s = self
                .shape(&id)
                .ok_or_else(|| self.dangling(&from, None, &id))?;
            if has(&s.traits, "smithy.api#mixin") {
                return Err(self.invalid(&from, format!("refers to the mixin `{id}`")));
            }
            if matches!(s.ty.as_str(), "service" | "resource" | "operation") {
                return Err(self.invalid(
                    &from,
                    format!("refers to the {} `{id}` as a value shape", s.ty),
                ));
            }
            reached.push(id.clone());
            if matches!(s.ty.as_str(), "enum" | "intEnum") {
                continue;
            }
            for (_, m) in s.members.iter().rev() {
                stack.push((id.clone(), m.target.clone()));
            }
        }
        let rename: BTreeMap<String, String> = match self.service.props.get("rename") {
            Some(Value::Object(m)) => m
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect(),
            _ => BTreeMap::new(),
        };
        let mut by_name: BTreeMap<String, String> = BTreeMap::new();
        let (prelude, own): (Vec<&String>, Vec<&String>) =
            reached.iter().partition(|id| ast::is_prelude(id));
        for id in own {
            let name = rename
                .get(id)
                .cloned()
                .unwrap_or_else(|| local(id).to_string());
            let key = name.to_ascii_lowercase();
            if let Some(other) = by_name.get(&key) {
                return Err(Error::Other(format!(
                    "{}: shapes `{other}` and `{id}` are both named `{name}` in the service closure; \
                     disambiguate them with the service's `rename`",
                    self.file
                )));
            }
            by_name.insert(key.clone(), id.clone());
            self.taken.insert(key);
            self.names.insert(id.clone(), name);
        }
        for id in prelude {
            let name = self.claim(local(id));
            self.names.insert(id.clone(), name);
        }
        Ok(())
    }

    /// `base`, or `base2`, `base3`, ... when taken.
    fn claim(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 1;
        while self.taken.contains(&name.to_ascii_lowercase()) {
            n += 1;
            name = format!("{base}{n}");
        }
        self.taken.insert(name.to_ascii_lowercase());
        name
    }

    fn run(mut self, opts: &ir::ResolveOptions) -> Result<ir::Service, Error> {
        let ids: Vec<String> = self.names.keys().cloned().collect();
        for id in &ids {
            let shape = self.convert_shape(id)?;
            self.shapes.insert(shape.name.clone(), shape);
        }
        for s in std::mem::take(&mut self.synthesized) {
            let mut shape = self.shapes.get(&s.base).cloned().ok_or_else(|| {
                Error::Other(format!("{}: internal: no shape `{}`", self.file, s.base))
            })?;
            if s.min.is_some() || s.max.is_some() {
                shape.min = s.min;
                shape.max = s.max;
            }
            if s.pattern.is_some() {
                shape.pattern = s.pattern;
            }
            shape.name = s.name.clone();
            self.shapes.insert(s.name, shape);
        }
        self.mark_events();
        let mut operations = Vec::new();
        for id in self.operations.clone() {
            operations.push(self.convert_operation(&id)?);
        }
        operations.sort_by(|a, b| a.key.cmp(&b.key));
        for pair in operations.windows(2) {
            if pair[0].key == pair[1].key {
                return Err(Error::Other(format!(
                    "{}: two operations are named `{}`; disambiguate them with the service's `rename`",
                    self.file, pair[0].key
                )));
            }
        }
        let paginators = self.paginators()?;
        let waiters = self.waiters();
        let operations = ir::filter_operations(operations, opts.operations.as_deref(), self.file)?;
        let op_keys: BTreeSet<&str> = operations.iter().map(|o| o.key.as_str()).collect();
        let paginators = paginators
            .into_iter()
            .filter(|(k, _)| op_keys.contains(k.as_str()))
            .collect();
        let waiters = waiters
            .into_iter()
            .filter(|(_, w)| op_keys.contains(w.operation.as_str()))
            .collect();
        ir::json_value_documents(&mut self.shapes);
        let mut shapes = ir::reachable_shapes(std::mem::take(&mut self.shapes), &operations);
        ir::mark_errors(&mut shapes, &operations);
        ir::box_recursion(&mut shapes);
        let patterns = ir::collect_patterns(&shapes);

        let st = &self.service.traits;
        let aws = st.get("aws.api#service");
        let service_name = local(&self.service.id).to_string();
        let service_id = field_str(aws, "sdkId").unwrap_or_else(|| service_name.clone());
        let endpoint_prefix = field_str(aws, "endpointPrefix")
            .or_else(|| field_str(aws, "arnNamespace"))
            .unwrap_or_default();
        let signing_name =
            field_str(st.get("aws.auth#sigv4"), "name").unwrap_or_else(|| endpoint_prefix.clone());
        let auth = self.service_auth();
        // The rule set and its client parameters, as botocore ships them
        // beside the model (same JSON forms).
        let endpoint_rules = st.get("smithy.rules#endpointRuleSet").cloned();
        let client_context_params = crate::endpoints::client_context_params(
            st.get("smithy.rules#clientContextParams"),
            self.file,
        )?;
        Ok(ir::Service {
            file: self.file.to_string(),
            full_name: str_trait(st, "smithy.api#title")
                .map(str::to_owned)
                .unwrap_or_else(|| service_id.clone()),
            service_id,
            api_version: self
                .service
                .props
                .get("version")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            doc: doc_of(st),
            protocol: self.protocol,
            protocols: self.protocols.clone(),
            json_version: self.json_version.to_string(),
            // awsJson's `X-Amz-Target` prefix is the service shape's name.
            target_prefix: if self.protocols.contains(&Protocol::Json) {
                service_name
            } else {
                String::new()
            },
            endpoint_prefix,
            signing_name,
            global_endpoint: None,
            // Query protocols wrap responses in it; rest-xml states it on
            // request bodies instead (operation input, payload members).
            xml_namespace: if self
                .protocols
                .iter()
                .any(|p| matches!(p, Protocol::Query | Protocol::Ec2))
            {
                xml_namespace(st).map(|n| n.uri)
            } else {
                None
            },
            aws_query_compatible: has(st, "aws.protocols#awsQueryCompatible"),
            auth,
            deprecated: deprecation(st),
            shapes,
            operations,
            paginators,
            waiters,
            patterns,
            endpoint_rules,
            client_context_params,
        })
        .and_then(|mut svc| {
            ir::check_http_checksums(&svc)?;
            crate::endpoints::check(&svc)?;
            crate::endpoints::customize(&mut svc);
            Ok(svc)
        })
    }

    /// The service's effective auth schemes: `@auth`, else every auth trait
    /// on the service in shape-id order; none at all means no auth.
    fn service_auth(&self) -> Vec<String> {
        let st = &self.service.traits;
        let mut auth: Vec<String> = match st.get("smithy.api#auth").and_then(Value::as_array) {
            Some(list) => list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            None => {
                let mut v: Vec<String> = st
                    .keys()
                    .filter(|k| AUTH_TRAITS.contains(&k.as_str()))
                    .cloned()
                    .collect();
                v.sort();
                v
            }
        };
        if auth.is_empty() {
            auth.push("smithy.api#noAuth".into());
        }
        auth
    }

    /// The IR name of `id`.
    fn name(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| local(id).to_string())
    }

    fn convert_shape(&mut self, id: &str) -> Result<ir::Shape, Error> {
        let s = self.model.shapes[id].clone();
        let name = self.name(id);
        let t = &s.traits;
        let (min, max) = bounds(t);
        let mut enum_values = Vec::new();
        let mut enum_names = Vec::new();
        let mut int_enum = Vec::new();
        let kind = match s.ty.as_str() {
            "blob" => ir::ShapeKind::Blob,
            "boolean" => ir::ShapeKind::Boolean,
            "string" => {
                if let Some(Value::Array(defs)) = t.get("smithy.api#enum") {
                    // The legacy `@enum` trait: values, optionally named.
                    let named = defs.iter().all(|d| d.get("name").is_some());
                    for d in defs {
                        let v = field_str(Some(d), "value").ok_or_else(|| {
                            self.invalid(id, "`@enum` entry without a `value`".into())
                        })?;
                        if !enum_values.contains(&v) {
                            if named {
                                enum_names.push(field_str(Some(d), "name").unwrap_or_default());
                            }
                            enum_values.push(v);
                        }
                    }
                }
                ir::ShapeKind::String
            }
            "enum" => {
                for (m, mem) in &s.members {
                    let v = match mem.traits.get("smithy.api#enumValue") {
                        None => m.clone(),
                        Some(Value::String(v)) => v.clone(),
                        Some(_) => {
                            return Err(self.invalid(
                                id,
                                format!("member `{m}`: an enum value must be a string"),
                            ));
                        }
                    };
                    if !enum_values.contains(&v) {
                        enum_values.push(v);
                        enum_names.push(m.clone());
                    }
                }
                if enum_values.is_empty() {
                    return Err(self.invalid(id, "an enum needs at least one member".into()));
                }
                ir::ShapeKind::String
            }
            "intEnum" => {
                for (m, mem) in &s.members {
                    let v = mem
                        .traits
                        .get("smithy.api#enumValue")
                        .and_then(Value::as_i64)
                        .and_then(|v| i32::try_from(v).ok())
                        .ok_or_else(|| {
                            self.invalid(
                                id,
                                format!("member `{m}`: an intEnum value must be a 32-bit integer"),
                            )
                        })?;
                    int_enum.push((m.clone(), v));
                }
                if int_enum.is_empty() {
                    return Err(self.invalid(id, "an intEnum needs at least one member".into()));
                }
                ir::ShapeKind::Integer
            }
            "byte" | "short" | "integer" => ir::ShapeKind::Integer,
            // No arbitrary-precision numbers in the IR: the widest of each kind.
            "long" | "bigInteger" => ir::ShapeKind::Long,
            "float" => ir::ShapeKind::Float,
            "double" | "bigDecimal" => ir::ShapeKind::Double,
            "timestamp" => ir::ShapeKind::Timestamp,
            "document" => ir::ShapeKind::Document,
            "list" | "set" => {
                let m = s
                    .member("member")
                    .ok_or_else(|| self.invalid(id, "list shape without `member`".into()))?;
                let member = self.convert_member(&s, "member", m, false)?;
                ir::ShapeKind::List(Box::new(ir::ListShape {
                    member,
                    sparse: has(t, "smithy.api#sparse"),
                }))
            }
            "map" => {
                let k = s
                    .member("key")
                    .ok_or_else(|| self.invalid(id, "map shape without `key`".into()))?;
                let v = s
                    .member("value")
                    .ok_or_else(|| self.invalid(id, "map shape without `value`".into()))?;
                let key_ty = self.shape(&k.target).map(|k| k.ty.as_str());
                if !matches!(key_ty, Some("string" | "enum")) {
                    return Err(
                        self.invalid(id, format!("map key shape `{}` is not a string", k.target))
                    );
                }
                let key = self.convert_member(&s, "key", k, false)?;
                let value = self.convert_member(&s, "value", v, false)?;
                ir::ShapeKind::Map(Box::new(ir::MapShape {
                    key,
                    value,
                    sparse: has(t, "smithy.api#sparse"),
                }))
            }
            "structure" | "union" => {
                let union = s.ty == "union";
                // HTTP bindings belong to the REST protocols; the RPC ones
                // (awsJson, query, CBOR) send every member in the body.
                let top = self.top_level.contains(id)
                    && matches!(self.protocol, Protocol::RestJson | Protocol::RestXml);
                let mut members = Vec::with_capacity(s.members.len());
                let mut payload = None;
                for (i, (m, mem)) in s.members.iter().enumerate() {
                    if top && has(&mem.traits, "smithy.api#httpPayload") {
                        payload = Some(i);
                    }
                    members.push(self.convert_member(&s, m, mem, top && !union)?);
                }
                if union && members.is_empty() {
                    return Err(self.invalid(id, "a union needs at least one member".into()));
                }
                // rest-xml: a structure payload is a root element in the
                // service's namespace unless the member states its own.
                if let Some(i) = payload
                    && self.protocol == Protocol::RestXml
                    && self.inputs.contains(id)
                    && members[i].xml_namespace.is_none()
                    && self
                        .shape(&s.members[i].1.target)
                        .is_some_and(|t| matches!(t.ty.as_str(), "structure" | "union"))
                {
                    members[i].xml_namespace = xml_namespace(&self.service.traits);
                }
                let st = ir::StructShape { members, payload };
                if union {
                    ir::ShapeKind::Union(st)
                } else {
                    ir::ShapeKind::Structure(st)
                }
            }
            other => {
                return Err(Error::UnknownShapeType {
                    file: self.file.into(),
                    shape: id.into(),
                    shape_type: other.into(),
                });
            }
        };
        let error = match str_trait(t, "smithy.api#error") {
            None => None,
            Some(fault @ ("client" | "server")) => {
                let query = t
                    .get("aws.protocols#awsQueryError")
                    .filter(|_| self.protocols.contains(&Protocol::Query));
                let retry = t.get("smithy.api#retryable");
                Some(ir::ErrorInfo {
                    code: field_str(query, "code"),
                    http_status: field(query, "httpResponseCode")
                        .or_else(|| t.get("smithy.api#httpError"))
                        .and_then(Value::as_u64)
                        .and_then(|c| u16::try_from(c).ok()),
                    sender_fault: fault == "client",
                    retryable: retry.is_some(),
                    throttling: field(retry, "throttling").and_then(Value::as_bool) == Some(true),
                })
            }
            Some(other) => {
                return Err(self.invalid(
                    id,
                    format!("`@error` must be \"client\" or \"server\", not {other:?}"),
                ));
            }
        };
        let streaming = has(t, "smithy.api#streaming");
        Ok(ir::Shape {
            name,
            doc: doc_of(t),
            min,
            max,
            pattern: str_trait(t, "smithy.api#pattern").map(str::to_owned),
            enum_values,
            enum_names,
            int_enum,
            sensitive: has(t, "smithy.api#sensitive"),
            deprecated: deprecation(t),
            location_name: if self.xml {
                str_trait(t, "smithy.api#xmlName").map(str::to_owned)
            } else {
                None
            },
            flattened: false,
            xml_namespace: if self.xml { xml_namespace(t) } else { None },
            timestamp_format: timestamp_format(t, self.file, id)?,
            streaming: streaming && matches!(kind, ir::ShapeKind::Blob | ir::ShapeKind::String),
            event_stream: streaming && matches!(kind, ir::ShapeKind::Union(_)),
            event: false,
            requires_length: has(t, "smithy.api#requiresLength"),
            error,
            kind,
        })
    }

    /// Structures that are members of an event stream are events.
    fn mark_events(&mut self) {
        let mut events = Vec::new();
        for s in self.shapes.values() {
            if let (true, ir::ShapeKind::Union(u)) = (s.event_stream, &s.kind) {
                events.extend(u.members.iter().map(|m| m.target.clone()));
            }
        }
        for e in events {
            if let Some(s) = self.shapes.get_mut(&e)
                && matches!(s.kind, ir::ShapeKind::Structure(_))
            {
                s.event = true;
            }
        }
    }

    /// One member. `bindings`: HTTP binding traits apply (a top-level
    /// input/output/error structure).
    fn convert_member(
        &mut self,
        container: &AstShape,
        name: &str,
        m: &AstMember,
        bindings: bool,
    ) -> Result<ir::Member, Error> {
        let target = self
            .shape(&m.target)
            .ok_or_else(|| self.dangling(&container.id, Some(name), &m.target))?;
        let at = format!("{}${name}", container.id);
        let t = &m.traits;
        let mut location = ir::Location::Body;
        let mut location_name = None;
        if bindings {
            if has(t, "smithy.api#httpLabel") {
                location = ir::Location::Uri;
                location_name = Some(name.to_string());
            } else if let Some(q) = str_trait(t, "smithy.api#httpQuery") {
                location = ir::Location::QueryString;
                location_name = Some(q.to_string());
            } else if has(t, "smithy.api#httpQueryParams") {
                location = ir::Location::QueryString;
            } else if let Some(h) = str_trait(t, "smithy.api#httpHeader") {
                location = ir::Location::Header;
                location_name = Some(h.to_string());
            } else if let Some(p) = str_trait(t, "smithy.api#httpPrefixHeaders") {
                location = ir::Location::Headers;
                location_name = Some(p.to_string());
            } else if has(t, "smithy.api#httpResponseCode") {
                location = ir::Location::StatusCode;
            }
        }
        if location == ir::Location::Body {
            let json = str_trait(t, "smithy.api#jsonName").filter(|_| self.json_names);
            let xml = str_trait(t, "smithy.api#xmlName").filter(|_| self.xml);
            location_name = match self.protocol {
                Protocol::RestJson => json.or(xml),
                Protocol::RestXml | Protocol::Query | Protocol::Ec2 => xml.or(json),
                Protocol::Json | Protocol::SmithyRpcV2Cbor => xml,
            }
            .map(str::to_owned);
        }
        // A JSON media type on a string is botocore's `jsonvalue`, in
        // headers and bodies alike (the IR then types it as a `Document`).
        let json_value = str_trait(&target.traits, "smithy.api#mediaType")
            .is_some_and(|mt| mt == "application/json" || mt.ends_with("+json"));
        // Constraints stated on the member make a shape of their own, named
        // as botocore names it: container, member, target.
        let (min, max) = bounds(t);
        let pattern = str_trait(t, "smithy.api#pattern");
        let mut target_name = self.name(&m.target);
        if min.is_some() || max.is_some() || pattern.is_some() {
            let container_name = self.name(&container.id);
            let wanted = format!("{container_name}{}{target_name}", upper_first(name));
            let synth = self.claim(&wanted);
            self.synthesized.push(Synthesized {
                name: synth.clone(),
                base: target_name,
                min,
                max,
                pattern: pattern.map(str::to_owned),
            });
            target_name = synth;
        }
        let required = match container.ty.as_str() {
            "structure" => has(t, "smithy.api#required") && !has(t, "smithy.api#clientOptional"),
            _ => false,
        };
        Ok(ir::Member {
            name: name.to_string(),
            target: target_name,
            doc: doc_of(t),
            location,
            location_name,
            query_name: str_trait(t, "aws.protocols#ec2QueryName").map(str::to_owned),
            flattened: self.xml && has(t, "smithy.api#xmlFlattened"),
            xml_attribute: self.xml && has(t, "smithy.api#xmlAttribute"),
            xml_namespace: if self.xml { xml_namespace(t) } else { None },
            timestamp_format: timestamp_format(t, self.file, &at)?,
            json_value,
            idempotency_token: has(t, "smithy.api#idempotencyToken"),
            host_label: has(t, "smithy.api#hostLabel"),
            event_payload: has(t, "smithy.api#eventPayload"),
            required,
            default_value: default_text(t),
            deprecated: deprecation(t),
            boxed: false,
        })
    }

    fn convert_operation(&self, id: &str) -> Result<ir::Operation, Error> {
        let s = &self.model.shapes[id];
        let t = &s.traits;
        let key = self.name(id);
        let io = |role: &'static str| -> Result<Option<String>, Error> {
            match s.reference(role) {
                None | Some("smithy.api#Unit") => Ok(None),
                Some(target) => {
                    let shape =
                        self.shape(target)
                            .ok_or_else(|| Error::DanglingOperationReference {
                                file: self.file.into(),
                                operation: key.clone(),
                                role,
                                target: target.into(),
                            })?;
                    if shape.ty != "structure" {
                        return Err(Error::NotAStructure {
                            file: self.file.into(),
                            operation: key.clone(),
                            role,
                            shape: target.into(),
                        });
                    }
                    Ok(Some(self.name(target)))
                }
            }
        };
        let input = io("input")?;
        let output = io("output")?;
        let context_params = self.context_params(s, &key)?;
        let mut errors = Vec::new();
        for e in s
            .references("errors")
            .into_iter()
            .chain(self.service.references("errors"))
        {
            let shape = self
                .shape(e)
                .ok_or_else(|| Error::DanglingOperationReference {
                    file: self.file.into(),
                    operation: key.clone(),
                    role: "error",
                    target: e.into(),
                })?;
            if shape.ty != "structure" {
                return Err(Error::NotAStructure {
                    file: self.file.into(),
                    operation: key.clone(),
                    role: "error",
                    shape: e.into(),
                });
            }
            let n = self.name(e);
            if !errors.contains(&n) {
                errors.push(n);
            }
        }
        let http = t.get("smithy.api#http");
        let has_event_stream = |shape: &Option<String>| {
            shape
                .as_ref()
                .and_then(|n| self.shapes.get(n))
                .is_some_and(|s| match &s.kind {
                    ir::ShapeKind::Structure(st) => st
                        .members
                        .iter()
                        .any(|m| self.shapes.get(&m.target).is_some_and(|t| t.event_stream)),
                    _ => false,
                })
        };
        // Operation-level auth only where it differs from the service's.
        let mut auth: Vec<String> = match t.get("smithy.api#auth").and_then(Value::as_array) {
            Some(list) => list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            None => Vec::new(),
        };
        let explicit = t.contains_key("smithy.api#auth");
        if has(t, "smithy.api#optionalAuth") {
            if !explicit {
                auth = self.service_auth();
            }
            auth.retain(|a| a != "smithy.api#noAuth");
            auth.push("smithy.api#noAuth".into());
        } else if explicit && auth.is_empty() {
            auth.push("smithy.api#noAuth".into());
        }
        if has(t, "aws.auth#unsignedPayload") {
            if auth.is_empty() {
                auth = self.service_auth();
            }
            for a in &mut auth {
                if a == "aws.auth#sigv4" {
                    *a = "v4-unsigned-body".into();
                }
            }
        }
        let checksum = t.get("aws.protocols#httpChecksum");
        let input_shape = input.as_ref().and_then(|n| self.shapes.get(n));
        // rest-xml: a body without a payload member is the input structure
        // as the root element, in the service's namespace (botocore states
        // both on the operation's input).
        let (input_location_name, input_xml_namespace) = match input_shape {
            Some(shape) if self.protocol == Protocol::RestXml => match &shape.kind {
                ir::ShapeKind::Structure(st)
                    if st.payload.is_none()
                        && st.members.iter().any(|m| m.location == ir::Location::Body) =>
                {
                    (
                        Some(
                            shape
                                .location_name
                                .clone()
                                .unwrap_or_else(|| shape.name.clone()),
                        ),
                        shape
                            .xml_namespace
                            .clone()
                            .or_else(|| xml_namespace(&self.service.traits)),
                    )
                }
                _ => (None, None),
            },
            _ => (None, None),
        };
        Ok(ir::Operation {
            wire_name: key.clone(),
            key,
            doc: doc_of(t),
            documentation_url: None,
            http_method: field_str(http, "method").unwrap_or_else(|| "POST".into()),
            request_uri: field_str(http, "uri").unwrap_or_else(|| "/".into()),
            response_code: field(http, "code")
                .and_then(Value::as_u64)
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(200),
            event_stream: has_event_stream(&input) || has_event_stream(&output),
            result_wrapper: match (&output, self.protocols.contains(&Protocol::Query)) {
                (Some(_), true) => Some(format!("{}Result", local(id))),
                _ => None,
            },
            input,
            output,
            input_location_name,
            input_xml_namespace,
            errors,
            idempotent: has(t, "smithy.api#idempotent"),
            readonly: has(t, "smithy.api#readonly"),
            host_prefix: field_str(t.get("smithy.api#endpoint"), "hostPrefix"),
            auth,
            checksum_required: has(t, "smithy.api#httpChecksumRequired")
                || field(checksum, "requestChecksumRequired").and_then(Value::as_bool)
                    == Some(true),
            http_checksum: checksum.map(|c| ir::HttpChecksum {
                request_checksum_required: field(Some(c), "requestChecksumRequired")
                    .and_then(Value::as_bool)
                    == Some(true),
                request_algorithm_member: field_str(Some(c), "requestAlgorithmMember"),
                request_validation_mode_member: field_str(Some(c), "requestValidationModeMember"),
                response_algorithms: field(Some(c), "responseAlgorithms")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            }),
            request_compression: field(t.get("smithy.api#requestCompression"), "encodings")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            deprecated: deprecation(t),
            context_params,
        })
    }

    /// The operation's endpoint bindings: `smithy.rules#staticContextParams`
    /// and `#operationContextParams` on it, `#contextParam` on its input's
    /// members (botocore's keys, in the same forms).
    fn context_params(&self, op: &AstShape, key: &str) -> Result<Vec<ir::ContextParam>, Error> {
        let t = &op.traits;
        let members: Vec<(&str, Option<&Value>)> =
            match op.reference("input").and_then(|input| self.shape(input)) {
                Some(input) => input
                    .members
                    .iter()
                    .map(|(name, m)| (name.as_str(), m.traits.get("smithy.rules#contextParam")))
                    .collect(),
                None => Vec::new(),
            };
        let bad = |param: &str, message: String| Error::InvalidContextParam {
            file: self.file.into(),
            operation: key.to_owned(),
            param: param.into(),
            message,
        };
        crate::endpoints::context_params(
            t.get("smithy.rules#staticContextParams"),
            &members,
            t.get("smithy.rules#operationContextParams"),
            &bad,
        )
    }

    /// `@paginated` on operations, completed by the service's `@paginated`.
    fn paginators(&self) -> Result<BTreeMap<String, ir::Paginator>, Error> {
        let defaults = self.service.traits.get("smithy.api#paginated");
        let mut out = BTreeMap::new();
        for id in &self.operations {
            let s = &self.model.shapes[id];
            let Some(p) = s.traits.get("smithy.api#paginated") else {
                continue;
            };
            let get = |k: &str| field_str(Some(p), k).or_else(|| field_str(defaults, k));
            let (Some(input_token), Some(output_token)) = (get("inputToken"), get("outputToken"))
            else {
                // Only `items`/`pageSize`: documented, not a token paginator.
                continue;
            };
            out.insert(
                self.name(id),
                ir::Paginator {
                    input_token: vec![input_token],
                    output_token: vec![output_token],
                    limit_key: get("pageSize"),
                    result_key: field_str(Some(p), "items").into_iter().collect(),
                    more_results: None,
                },
            );
        }
        Ok(out)
    }

    /// `@waitable` on operations.
    fn waiters(&self) -> BTreeMap<String, ir::Waiter> {
        let mut out = BTreeMap::new();
        for id in &self.operations {
            let s = &self.model.shapes[id];
            let Some(Value::Object(ws)) = s.traits.get("smithy.waiters#waitable") else {
                continue;
            };
            for (name, w) in ws {
                let min = w.get("minDelay").and_then(Value::as_u64).unwrap_or(2);
                let max = w.get("maxDelay").and_then(Value::as_u64).unwrap_or(120);
                let acceptors = w
                    .get("acceptors")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .map(acceptor)
                            .collect::<Option<Vec<_>>>()
                            .unwrap_or_default()
                    })
                    .unwrap_or_default();
                out.insert(
                    name.clone(),
                    ir::Waiter {
                        operation: self.name(id),
                        delay: None,
                        max_attempts: None,
                        backoff: Some(ir::Backoff {
                            min_delay: min,
                            max_delay: max.max(min),
                        }),
                        description: field_str(Some(w), "documentation"),
                        acceptors,
                    },
                );
            }
        }
        out
    }
}

/// One Smithy acceptor; `None` when malformed.
fn acceptor(a: &Value) -> Option<ir::Acceptor> {
    let state = match a.get("state")?.as_str()? {
        "success" => ir::WaitState::Success,
        "failure" => ir::WaitState::Failure,
        "retry" => ir::WaitState::Retry,
        _ => return None,
    };
    let m = a.get("matcher")?.as_object()?;
    let path = |p: &Value| -> Option<(String, ir::Expected, &'static str)> {
        let argument = p.get("path")?.as_str()?.to_string();
        let expected = p.get("expected")?.as_str()?;
        let (expected, kind) = match p.get("comparator")?.as_str()? {
            "stringEquals" => (ir::Expected::Str(expected.into()), "one"),
            "booleanEquals" => (ir::Expected::Bool(expected.parse().ok()?), "one"),
            "allStringEquals" => (ir::Expected::Str(expected.into()), "all"),
            "anyStringEquals" => (ir::Expected::Str(expected.into()), "any"),
            _ => return None,
        };
        Some((argument, expected, kind))
    };
    let matcher = if let Some(p) = m.get("output") {
        let (argument, expected, kind) = path(p)?;
        match kind {
            "one" => ir::Matcher::Path { argument, expected },
            "all" => ir::Matcher::PathAll { argument, expected },
            _ => ir::Matcher::PathAny { argument, expected },
        }
    } else if let Some(p) = m.get("inputOutput") {
        let (argument, expected, kind) = path(p)?;
        match kind {
            "one" => ir::Matcher::InputOutputPath { argument, expected },
            "all" => ir::Matcher::InputOutputPathAll { argument, expected },
            _ => ir::Matcher::InputOutputPathAny { argument, expected },
        }
    } else if let Some(b) = m.get("success") {
        // `success: true` matches a successful call: "no error".
        ir::Matcher::AnyError(!b.as_bool()?)
    } else if let Some(e) = m.get("errorType") {
        ir::Matcher::Error(local(e.as_str()?).to_string())
    } else {
        return None;
    };
    Some(ir::Acceptor { state, matcher })
}
