//! The resolved intermediate representation and the passes that build it.
//!
//! [`Service::from_model`] runs small named passes over a [`crate::model::Model`]:
//! [`convert_shapes`] (types, traits, every reference checked),
//! [`convert_operations`] (inputs must be structures), [`filter_operations`]
//! (`--operations`), [`reachable_shapes`] (only shapes an operation reaches
//! are kept), [`box_recursion`] (which struct/union fields need a `Box`) and
//! [`choose_protocol`]. Nothing after this module sees botocore's JSON
//! layout: another front end only has to produce a [`Service`].
//!
//! Collections are sorted (`BTreeMap`, sorted `Vec`s) so every later stage is
//! deterministic.

use crate::error::Error;
use crate::model;
use std::collections::{BTreeMap, BTreeSet};

/// Wire protocols, in botocore's preference order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Json,
    RestJson,
    RestXml,
    SmithyRpcV2Cbor,
    Query,
    Ec2,
}

impl Protocol {
    /// botocore's preference order when a model lists several protocols.
    pub const PRIORITY: [Protocol; 6] = [
        Protocol::Json,
        Protocol::RestJson,
        Protocol::RestXml,
        Protocol::SmithyRpcV2Cbor,
        Protocol::Query,
        Protocol::Ec2,
    ];

    pub fn parse(name: &str) -> Option<Protocol> {
        Some(match name {
            "json" => Protocol::Json,
            "rest-json" => Protocol::RestJson,
            "rest-xml" => Protocol::RestXml,
            "smithy-rpc-v2-cbor" => Protocol::SmithyRpcV2Cbor,
            "query" => Protocol::Query,
            "ec2" => Protocol::Ec2,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Json => "json",
            Protocol::RestJson => "rest-json",
            Protocol::RestXml => "rest-xml",
            Protocol::SmithyRpcV2Cbor => "smithy-rpc-v2-cbor",
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
        }
    }
}

/// A whole service, resolved.
#[derive(Debug, Clone)]
pub struct Service {
    /// The model's path (or label) as given, for messages and file headers.
    pub file: String,
    pub service_id: String,
    pub full_name: String,
    pub api_version: String,
    pub doc: Option<String>,
    pub protocol: Protocol,
    /// Every protocol the model lists (known ones), in model order.
    pub protocols: Vec<Protocol>,
    pub json_version: String,
    pub target_prefix: String,
    pub endpoint_prefix: String,
    pub signing_name: String,
    pub global_endpoint: Option<String>,
    pub xml_namespace: Option<String>,
    pub aws_query_compatible: bool,
    pub auth: Vec<String>,
    pub deprecated: Option<Deprecation>,
    /// Reachable shapes, by name.
    pub shapes: BTreeMap<String, Shape>,
    /// Operations sorted by key.
    pub operations: Vec<Operation>,
    pub paginators: BTreeMap<String, Paginator>,
    pub waiters: BTreeMap<String, Waiter>,
    /// Patterns in first-use order (shapes by name), deduplicated.
    pub patterns: Vec<String>,
    /// The endpoint rule set as parsed JSON (botocore's
    /// `endpoint-rule-set-1.json`; Smithy's `smithy.rules#endpointRuleSet`
    /// trait has the same form), checked by [`crate::endpoints`]; `None`
    /// when the model comes without one.
    pub endpoint_rules: Option<serde_json::Value>,
    /// Rule-set parameters a client may set by name (`clientContextParams`).
    pub client_context_params: Vec<ClientContextParam>,
}

/// A `clientContextParams` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientContextParam {
    pub name: String,
    pub ty: EndpointParamType,
    pub doc: Option<String>,
}

/// The types a rule-set parameter can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointParamType {
    String,
    Boolean,
    StringArray,
}

/// One rule-set parameter an operation supplies, and from where.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextParam {
    /// The rule-set parameter's name.
    pub name: String,
    pub source: ContextSource,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ContextSource {
    /// A fixed value (`staticContextParams`, Smithy `@staticContextParams`).
    Static(EndpointValue),
    /// The input member of this name (`contextParam`, Smithy `@contextParam`).
    Member(String),
    /// A JMESPath expression over the input (`operationContextParams`,
    /// Smithy `@operationContextParams`).
    Path(String),
}

/// A literal rule-set parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointValue {
    Bool(bool),
    Str(String),
    StrList(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecation {
    pub message: Option<String>,
    pub since: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    Iso8601,
    Rfc822,
    UnixTimestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNamespace {
    pub uri: String,
    pub prefix: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Shape {
    pub name: String,
    pub kind: ShapeKind,
    pub doc: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
    /// Values of a string enum (empty: not an enum).
    pub enum_values: Vec<String>,
    /// Names the model gives the enum values, parallel to `enum_values`
    /// (Smithy `enum` member names); empty: variants are named after the values.
    pub enum_names: Vec<String>,
    /// An integer enum's members (name, value), in model order (Smithy
    /// `intEnum`; the shape's kind is `Integer`). Empty: not an int enum.
    pub int_enum: Vec<(String, i32)>,
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    pub location_name: Option<String>,
    pub flattened: bool,
    pub xml_namespace: Option<XmlNamespace>,
    pub timestamp_format: Option<TimestampFormat>,
    pub streaming: bool,
    pub event_stream: bool,
    pub event: bool,
    pub requires_length: bool,
    pub error: Option<ErrorInfo>,
}

#[derive(Debug, Clone)]
pub enum ShapeKind {
    Boolean,
    /// byte, short and integer.
    Integer,
    Long,
    Float,
    Double,
    String,
    Blob,
    Timestamp,
    Document,
    Structure(StructShape),
    Union(StructShape),
    List(Box<ListShape>),
    Map(Box<MapShape>),
}

#[derive(Debug, Clone)]
pub struct StructShape {
    pub members: Vec<Member>,
    pub payload: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct ListShape {
    pub member: Member,
    pub sparse: bool,
}

#[derive(Debug, Clone)]
pub struct MapShape {
    pub key: Member,
    pub value: Member,
    pub sparse: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Body,
    Uri,
    QueryString,
    Header,
    Headers,
    StatusCode,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub target: String,
    pub doc: Option<String>,
    pub location: Location,
    pub location_name: Option<String>,
    pub query_name: Option<String>,
    pub flattened: bool,
    pub xml_attribute: bool,
    pub xml_namespace: Option<XmlNamespace>,
    pub timestamp_format: Option<TimestampFormat>,
    pub json_value: bool,
    pub idempotency_token: bool,
    pub host_label: bool,
    pub event_payload: bool,
    pub required: bool,
    /// The model's default value as JSON text (Smithy `@default`), for docs.
    pub default_value: Option<String>,
    pub deprecated: Option<Deprecation>,
    /// Set by [`box_recursion`]: the field needs a `Box` to have a finite size.
    pub boxed: bool,
}

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// `error.code`; the shape name is the code when unset.
    pub code: Option<String>,
    pub http_status: Option<u16>,
    pub sender_fault: bool,
    pub retryable: bool,
    pub throttling: bool,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The key under `operations`: Rust names derive from it.
    pub key: String,
    /// The wire name (`name`, else the key).
    pub wire_name: String,
    pub doc: Option<String>,
    pub documentation_url: Option<String>,
    pub http_method: String,
    pub request_uri: String,
    pub response_code: u16,
    pub input: Option<String>,
    pub output: Option<String>,
    pub input_location_name: Option<String>,
    pub input_xml_namespace: Option<XmlNamespace>,
    pub result_wrapper: Option<String>,
    pub errors: Vec<String>,
    pub idempotent: bool,
    pub readonly: bool,
    pub host_prefix: Option<String>,
    pub auth: Vec<String>,
    pub checksum_required: bool,
    /// The model's flexible-checksum settings (`httpChecksum`), if any.
    pub http_checksum: Option<HttpChecksum>,
    pub request_compression: Vec<String>,
    pub event_stream: bool,
    pub deprecated: Option<Deprecation>,
    /// Endpoint rule-set parameters this operation supplies: static values
    /// first, then input members, then paths (botocore's precedence).
    pub context_params: Vec<ContextParam>,
}

/// `httpChecksum` (botocore) / `aws.protocols#httpChecksum` (Smithy):
/// which input members choose the request checksum and ask for response
/// validation, and the algorithms a response may carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpChecksum {
    pub request_checksum_required: bool,
    /// The input member naming the algorithm (e.g. `ChecksumAlgorithm`).
    pub request_algorithm_member: Option<String>,
    /// The input member that enables response validation (e.g. `ChecksumMode`).
    pub request_validation_mode_member: Option<String>,
    /// Upper-case algorithm names, in the model's order.
    pub response_algorithms: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Paginator {
    pub input_token: Vec<String>,
    pub output_token: Vec<String>,
    pub limit_key: Option<String>,
    pub result_key: Vec<String>,
    pub more_results: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Waiter {
    pub operation: String,
    /// botocore: seconds between attempts (fixed).
    pub delay: Option<f64>,
    /// botocore: attempt limit.
    pub max_attempts: Option<u32>,
    /// Smithy `@waitable`: exponential back-off with jitter between these
    /// delays, bounded by the caller's maximum wait time (no attempt limit).
    pub backoff: Option<Backoff>,
    pub description: Option<String>,
    /// Empty when an acceptor is malformed: the waiter is then only documented.
    pub acceptors: Vec<Acceptor>,
}

/// Smithy's waiter delays, in seconds (`minDelay` default 2, `maxDelay` default 120).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub min_delay: u64,
    pub max_delay: u64,
}

/// One `acceptors` entry of a waiter.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    pub state: WaitState,
    pub matcher: Matcher,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitState {
    Success,
    Failure,
    Retry,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    Path {
        argument: String,
        expected: Expected,
    },
    PathAll {
        argument: String,
        expected: Expected,
    },
    PathAny {
        argument: String,
        expected: Expected,
    },
    Status(u16),
    Error(String),
    /// `error` with a boolean: any error (`true`) or none (`false`).
    AnyError(bool),
    /// Smithy `inputOutput` matchers: the expression sees `{input, output}`.
    InputOutputPath {
        argument: String,
        expected: Expected,
    },
    InputOutputPathAll {
        argument: String,
        expected: Expected,
    },
    InputOutputPathAny {
        argument: String,
        expected: Expected,
    },
}

/// A path matcher's expected value.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Str(String),
    Bool(bool),
    Number(f64),
}

/// What [`Service::from_model`] needs besides the model.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Keep only these operations (by key) and the shapes they reach.
    pub operations: Option<Vec<String>>,
    /// Use this protocol instead of botocore's preference (must be listed).
    pub protocol: Option<String>,
    /// Smithy models: the service shape to generate when the model holds several.
    pub service: Option<String>,
}

impl Service {
    /// The Rust type a paginator's `page_size` takes: its limit member's
    /// (`i32` for byte/short/integer, `i64` for long, `String` for the
    /// string limits some models have); `None` without a limit member or
    /// with one of another type (then the paginator has no `page_size`).
    pub fn page_size_type(&self, op: &Operation, p: &Paginator) -> Option<&'static str> {
        let input = self.shapes.get(op.input.as_deref()?)?;
        let limit = p.limit_key.as_deref()?;
        let (ShapeKind::Structure(st) | ShapeKind::Union(st)) = &input.kind else {
            return None;
        };
        let member = st.members.iter().find(|m| m.name == limit)?;
        let target = self.shapes.get(&member.target)?;
        match &target.kind {
            ShapeKind::Integer => Some("i32"),
            ShapeKind::Long => Some("i64"),
            ShapeKind::String if target.enum_values.is_empty() => Some("String"),
            _ => None,
        }
    }

    /// Runs every pass. `file` names the model in errors.
    pub fn from_model(
        model: &model::Model,
        file: &str,
        paginators: Option<&model::Paginators>,
        waiters: Option<&model::Waiters>,
        endpoint_rules: Option<&serde_json::Value>,
        opts: &ResolveOptions,
    ) -> Result<Service, Error> {
        let mut shapes = convert_shapes(model, file)?;
        apply_input_payloads(model, &mut shapes, file)?;
        json_value_documents(&mut shapes);
        let mut operations = convert_operations(model, file, &shapes)?;
        crate::endpoints::convert_context_params(model, file, &mut operations)?;
        let operations = filter_operations(operations, opts.operations.as_deref(), file)?;
        let mut shapes = reachable_shapes(shapes, &operations);
        mark_errors(&mut shapes, &operations);
        box_recursion(&mut shapes);
        let (protocol, protocols) =
            choose_protocol(&model.metadata, file, opts.protocol.as_deref())?;
        let patterns = collect_patterns(&shapes);
        let client_context_params = crate::endpoints::convert_client_context_params(model, file)?;
        let md = &model.metadata;
        let endpoint_prefix = md.endpoint_prefix.clone().unwrap_or_default();
        let op_keys: BTreeSet<&str> = operations.iter().map(|o| o.key.as_str()).collect();
        let paginators = paginators
            .map(|p| convert_paginators(p, &op_keys))
            .unwrap_or_default();
        let waiters = waiters
            .map(|w| convert_waiters(w, &op_keys))
            .unwrap_or_default();
        let service_id = md.service_id.clone().unwrap_or_else(|| {
            md.service_abbreviation
                .clone()
                .or_else(|| md.service_full_name.clone())
                .unwrap_or_else(|| endpoint_prefix.clone())
        });
        Ok(Service {
            file: file.to_string(),
            full_name: md
                .service_full_name
                .clone()
                .unwrap_or_else(|| service_id.clone()),
            service_id,
            api_version: md.api_version.clone().unwrap_or_default(),
            doc: model.documentation.clone(),
            protocol,
            protocols,
            json_version: md.json_version.clone().unwrap_or_default(),
            target_prefix: md.target_prefix.clone().unwrap_or_default(),
            signing_name: md
                .signing_name
                .clone()
                .unwrap_or_else(|| endpoint_prefix.clone()),
            endpoint_prefix,
            global_endpoint: md.global_endpoint.clone(),
            xml_namespace: md.xml_namespace.as_ref().map(|n| n.uri().to_string()),
            aws_query_compatible: md.aws_query_compatible.is_some(),
            auth: md.auth.clone(),
            deprecated: model.deprecated.then(|| Deprecation {
                message: model.deprecated_message.clone(),
                since: None,
            }),
            shapes,
            operations,
            paginators,
            waiters,
            patterns,
            endpoint_rules: None,
            client_context_params,
        })
        .and_then(|mut svc| {
            svc.endpoint_rules = endpoint_rules.cloned();
            check_http_checksums(&svc)?;
            crate::endpoints::check(&svc)?;
            crate::endpoints::customize(&mut svc);
            Ok(svc)
        })
    }
}

fn deprecation(
    flag: bool,
    message: &Option<String>,
    since: &Option<String>,
) -> Option<Deprecation> {
    (flag || message.is_some()).then(|| Deprecation {
        message: message.clone(),
        since: since.clone(),
    })
}

fn timestamp_format(
    v: &Option<String>,
    file: &str,
    shape: &str,
) -> Result<Option<TimestampFormat>, Error> {
    Ok(match v.as_deref() {
        None => None,
        Some("iso8601") => Some(TimestampFormat::Iso8601),
        Some("rfc822") => Some(TimestampFormat::Rfc822),
        Some("unixTimestamp") => Some(TimestampFormat::UnixTimestamp),
        Some(other) => {
            return Err(Error::InvalidShape {
                file: file.into(),
                shape: shape.into(),
                message: format!("unknown timestampFormat `{other}`"),
            });
        }
    })
}

fn xml_ns(ns: &Option<model::XmlNamespace>) -> Option<XmlNamespace> {
    ns.as_ref().map(|n| XmlNamespace {
        uri: n.uri().to_string(),
        prefix: n.prefix().map(str::to_string),
    })
}

fn convert_member(
    r: &model::ShapeRef,
    name: &str,
    required: bool,
    file: &str,
    shape: &str,
    model_shapes: &BTreeMap<&str, &model::Shape>,
) -> Result<Member, Error> {
    if !model_shapes.contains_key(r.shape.as_str()) {
        return Err(Error::DanglingReference {
            file: file.into(),
            shape: shape.into(),
            member: Some(name.into()),
            target: r.shape.clone(),
        });
    }
    // Traits on the target shape itself apply under the reference's own,
    // as botocore merges them (`ShapeResolver.resolve_shape_ref`).
    let target = model_shapes[r.shape.as_str()];
    let location = match r.location.as_deref().or(target.location.as_deref()) {
        None => Location::Body,
        Some("uri") => Location::Uri,
        Some("querystring") => Location::QueryString,
        Some("header") => Location::Header,
        Some("headers") => Location::Headers,
        Some("statusCode") => Location::StatusCode,
        Some(other) => {
            return Err(Error::InvalidShape {
                file: file.into(),
                shape: shape.into(),
                message: format!("member `{name}`: unknown location `{other}`"),
            });
        }
    };
    Ok(Member {
        name: name.to_string(),
        target: r.shape.clone(),
        doc: r.documentation.clone(),
        location,
        location_name: r.location_name.clone().or_else(|| {
            // A list's (or map's, scalar's) own locationName names the
            // members that refer to it. A structure's names its XML root
            // element only: botocore's merging renames nested members too,
            // which its own suites flag as wrong (`BodyWithXmlName` is on
            // botocore's protocol-test ignore list).
            (target.shape_type != "structure")
                .then(|| target.location_name.clone())
                .flatten()
        }),
        query_name: r.query_name.clone().or_else(|| target.query_name.clone()),
        flattened: r.flattened,
        xml_attribute: r.xml_attribute,
        xml_namespace: xml_ns(&r.xml_namespace),
        timestamp_format: timestamp_format(&r.timestamp_format, file, shape)?,
        json_value: r.jsonvalue || target.jsonvalue,
        idempotency_token: r.idempotency_token,
        host_label: r.host_label,
        event_payload: r.eventpayload,
        required,
        default_value: None,
        deprecated: deprecation(r.deprecated, &r.deprecated_message, &r.deprecated_since),
        boxed: false,
    })
}

/// Pass 1: every model shape to an IR shape; checks types and references.
pub fn convert_shapes(model: &model::Model, file: &str) -> Result<BTreeMap<String, Shape>, Error> {
    let by_name: BTreeMap<&str, &model::Shape> =
        model.shapes.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut out = BTreeMap::new();
    for (name, s) in model.shapes.iter() {
        let invalid = |message: String| Error::InvalidShape {
            file: file.into(),
            shape: name.clone(),
            message,
        };
        let need = |r: &Option<model::ShapeRef>, what: &str| {
            r.clone()
                .ok_or_else(|| invalid(format!("{} shape without `{what}`", s.shape_type)))
        };
        let structure = |union: bool| -> Result<StructShape, Error> {
            let members_model = s.members.clone().unwrap_or_default();
            let mut members = Vec::with_capacity(members_model.len());
            for (m, r) in members_model.iter() {
                let required = !union && s.required.iter().any(|x| x == m);
                members.push(convert_member(r, m, required, file, name, &by_name)?);
            }
            let payload = match &s.payload {
                None => None,
                Some(p) => Some(members.iter().position(|m| &m.name == p).ok_or_else(|| {
                    invalid(format!("payload names member `{p}`, which does not exist"))
                })?),
            };
            Ok(StructShape { members, payload })
        };
        let kind = match s.shape_type.as_str() {
            "boolean" => ShapeKind::Boolean,
            "byte" | "short" | "integer" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "float" => ShapeKind::Float,
            "double" => ShapeKind::Double,
            "string" | "character" => ShapeKind::String,
            "blob" => ShapeKind::Blob,
            "timestamp" => ShapeKind::Timestamp,
            "structure" if s.document => ShapeKind::Document,
            "structure" if s.union => ShapeKind::Union(structure(true)?),
            "structure" => ShapeKind::Structure(structure(false)?),
            "list" => {
                let m = need(&s.member, "member")?;
                ShapeKind::List(Box::new(ListShape {
                    member: convert_member(&m, "member", false, file, name, &by_name)?,
                    sparse: s.sparse,
                }))
            }
            "map" => {
                let k = need(&s.key, "key")?;
                let v = need(&s.value, "value")?;
                ShapeKind::Map(Box::new(MapShape {
                    key: convert_member(&k, "key", false, file, name, &by_name)?,
                    value: convert_member(&v, "value", false, file, name, &by_name)?,
                    sparse: s.sparse,
                }))
            }
            other => {
                return Err(Error::UnknownShapeType {
                    file: file.into(),
                    shape: name.clone(),
                    shape_type: other.to_string(),
                });
            }
        };
        if let ShapeKind::Map(m) = &kind {
            let key_type = by_name
                .get(m.key.target.as_str())
                .map(|k| k.shape_type.as_str());
            if key_type != Some("string") {
                return Err(invalid(format!(
                    "map key shape `{}` is not a string",
                    m.key.target
                )));
            }
        }
        let error = (s.exception || s.error.is_some() || s.fault).then(|| ErrorInfo {
            code: s.error.as_ref().and_then(|e| e.code.clone()),
            http_status: s.error.as_ref().and_then(|e| e.http_status_code),
            sender_fault: s.error.as_ref().is_some_and(|e| e.sender_fault),
            retryable: s.retryable.is_some(),
            throttling: s.retryable.as_ref().is_some_and(|r| r.throttling),
        });
        let shape = Shape {
            name: name.clone(),
            kind,
            doc: s.documentation.clone(),
            min: s.min,
            max: s.max,
            pattern: s.pattern.clone(),
            enum_values: dedup(s.enum_values.as_deref().unwrap_or_default()),
            enum_names: Vec::new(),
            int_enum: Vec::new(),
            sensitive: s.sensitive,
            deprecated: deprecation(s.deprecated, &s.deprecated_message, &s.deprecated_since),
            location_name: s.location_name.clone(),
            flattened: s.flattened,
            xml_namespace: xml_ns(&s.xml_namespace),
            timestamp_format: timestamp_format(&s.timestamp_format, file, name)?,
            streaming: s.streaming,
            event_stream: s.eventstream,
            event: s.event,
            requires_length: s.requires_length,
            error,
        };
        out.insert(name.clone(), shape);
    }
    mark_streaming_targets(model, &mut out);
    Ok(out)
}

/// Pass 1b: botocore often states `streaming` on the member reference (S3's
/// `Body`) rather than on the blob shape; the type is a property of the
/// value, so the target shape becomes streaming. Across botocore the only
/// other reference to such a shape is an event payload, which is bytes too.
fn mark_streaming_targets(model: &model::Model, shapes: &mut BTreeMap<String, Shape>) {
    let targets: BTreeSet<&str> = model
        .shapes
        .iter()
        .flat_map(|(_, s)| s.members.iter().flat_map(|m| m.iter().map(|(_, r)| r)))
        .filter(|r| r.streaming)
        .map(|r| r.shape.as_str())
        .collect();
    for t in targets {
        if let Some(shape) = shapes.get_mut(t)
            && matches!(shape.kind, ShapeKind::Blob | ShapeKind::String)
        {
            shape.streaming = true;
        }
    }
}

/// Enum values without repeats, first occurrence kept.
/// Every `httpChecksum` member name must be a top-level member of the
/// operation's input (the runtime reads them by index).
pub fn check_http_checksums(svc: &Service) -> Result<(), Error> {
    for op in &svc.operations {
        let Some(c) = &op.http_checksum else {
            continue;
        };
        let members: Vec<&str> = match op
            .input
            .as_ref()
            .and_then(|i| svc.shapes.get(i))
            .map(|s| &s.kind)
        {
            Some(ShapeKind::Structure(st)) => st.members.iter().map(|m| m.name.as_str()).collect(),
            _ => Vec::new(),
        };
        let named = [
            ("requestAlgorithmMember", &c.request_algorithm_member),
            (
                "requestValidationModeMember",
                &c.request_validation_mode_member,
            ),
        ];
        for (key, member) in named {
            if let Some(m) = member
                && !members.contains(&m.as_str())
            {
                return Err(Error::InvalidHttpChecksum {
                    file: svc.file.clone(),
                    operation: op.key.clone(),
                    message: format!(
                        "{key} names `{m}`, which is not a member of the operation's input"
                    ),
                });
            }
        }
    }
    Ok(())
}

fn dedup(values: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    values
        .iter()
        .filter(|v| seen.insert(v.as_str()))
        .cloned()
        .collect()
}

fn auth_from_authtype(t: &str) -> String {
    match t {
        "none" => "smithy.api#noAuth".into(),
        "bearer" => "smithy.api#httpBearerAuth".into(),
        "v4" | "v4-unsigned-body" => "aws.auth#sigv4".into(),
        "v4a" => "aws.auth#sigv4a".into(),
        other => other.into(),
    }
}

/// Pass 2: operations, with input/output/error references checked.
pub fn convert_operations(
    model: &model::Model,
    file: &str,
    shapes: &BTreeMap<String, Shape>,
) -> Result<Vec<Operation>, Error> {
    let mut ops = Vec::with_capacity(model.operations.len());
    for (key, o) in model.operations.iter() {
        let check = |r: &model::ShapeRef,
                     role: &'static str,
                     must_be_struct: bool|
         -> Result<String, Error> {
            let s = shapes
                .get(&r.shape)
                .ok_or_else(|| Error::DanglingOperationReference {
                    file: file.into(),
                    operation: key.clone(),
                    role,
                    target: r.shape.clone(),
                })?;
            if must_be_struct && !matches!(s.kind, ShapeKind::Structure(_)) {
                return Err(Error::NotAStructure {
                    file: file.into(),
                    operation: key.clone(),
                    role,
                    shape: r.shape.clone(),
                });
            }
            Ok(r.shape.clone())
        };
        let input = o
            .input
            .as_ref()
            .map(|r| check(r, "input", true))
            .transpose()?;
        let output = o
            .output
            .as_ref()
            .map(|r| check(r, "output", true))
            .transpose()?;
        let mut errors = Vec::with_capacity(o.errors.len());
        for e in &o.errors {
            let name = check(e, "error", true)?;
            if !errors.contains(&name) {
                errors.push(name);
            }
        }
        let has_event_stream = |shape: &Option<String>| {
            shape
                .as_ref()
                .and_then(|s| shapes.get(s))
                .is_some_and(|s| match &s.kind {
                    ShapeKind::Structure(st) => st
                        .members
                        .iter()
                        .any(|m| shapes.get(&m.target).is_some_and(|t| t.event_stream)),
                    _ => false,
                })
        };
        let http = o.http.clone().unwrap_or_default();
        let auth = if !o.auth.is_empty() {
            o.auth.clone()
        } else if let Some(t) = &o.authtype {
            vec![auth_from_authtype(t)]
        } else {
            Vec::new()
        };
        ops.push(Operation {
            key: key.clone(),
            wire_name: o.name.clone().unwrap_or_else(|| key.clone()),
            doc: o.documentation.clone(),
            documentation_url: o.documentation_url.clone(),
            http_method: http.method.unwrap_or_else(|| "POST".into()),
            request_uri: http.request_uri.unwrap_or_else(|| "/".into()),
            response_code: http.response_code.unwrap_or(200),
            event_stream: has_event_stream(&input) || has_event_stream(&output),
            input,
            output,
            input_location_name: o.input.as_ref().and_then(|r| r.location_name.clone()),
            input_xml_namespace: o.input.as_ref().and_then(|r| xml_ns(&r.xml_namespace)),
            result_wrapper: o.output.as_ref().and_then(|r| r.result_wrapper.clone()),
            errors,
            idempotent: o.idempotent,
            readonly: o.readonly,
            host_prefix: o.endpoint.as_ref().and_then(|e| e.host_prefix.clone()),
            auth,
            checksum_required: o.http_checksum_required
                || o.http_checksum
                    .as_ref()
                    .is_some_and(|c| c.request_checksum_required),
            http_checksum: o.http_checksum.as_ref().map(|c| HttpChecksum {
                request_checksum_required: c.request_checksum_required,
                request_algorithm_member: c.request_algorithm_member.clone(),
                request_validation_mode_member: c.request_validation_mode_member.clone(),
                response_algorithms: c.response_algorithms.clone(),
            }),
            request_compression: o
                .requestcompression
                .as_ref()
                .map(|c| c.encodings.clone())
                .unwrap_or_default(),
            deprecated: deprecation(o.deprecated, &o.deprecated_message, &o.deprecated_since),
            context_params: Vec::new(),
        });
    }
    ops.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(ops)
}

/// Pass 1b: `payload` on an operation's input reference names the input
/// structure's payload member, as botocore merges reference traits over the
/// shape's (the shape's own `payload`, if any, is overridden).
fn apply_input_payloads(
    model: &model::Model,
    shapes: &mut BTreeMap<String, Shape>,
    file: &str,
) -> Result<(), Error> {
    for (key, op) in model.operations.iter() {
        let Some(input) = &op.input else { continue };
        let Some(payload) = &input.payload else {
            continue;
        };
        let Some(Shape {
            kind: ShapeKind::Structure(st),
            ..
        }) = shapes.get_mut(&input.shape)
        else {
            continue;
        };
        let index = st.members.iter().position(|m| &m.name == payload).ok_or_else(|| {
            Error::InvalidShape {
                file: file.into(),
                shape: input.shape.clone(),
                message: format!(
                    "operation `{key}`'s input reference names payload `{payload}`, which is not a member"
                ),
            }
        })?;
        st.payload = Some(index);
    }
    Ok(())
}

/// Pass 1c: a `jsonvalue` member holds JSON, so its Rust type is a
/// `Document` rather than the `String` its target says: each string shape
/// a `jsonvalue` member targets gets a document twin (`<Shape>JsonValue`),
/// and those members point to it. The runtime reads the member's
/// `json_value` flag to carry the document as JSON text (base64 in headers).
pub fn json_value_documents(shapes: &mut BTreeMap<String, Shape>) {
    let mut twins: BTreeMap<String, String> = BTreeMap::new();
    let names: Vec<String> = shapes.keys().cloned().collect();
    for name in &names {
        let targets: Vec<String> = match &shapes[name].kind {
            ShapeKind::Structure(st) | ShapeKind::Union(st) => st
                .members
                .iter()
                .filter(|m| m.json_value)
                .map(|m| m.target.clone())
                .filter(|t| matches!(shapes[t].kind, ShapeKind::String))
                .collect(),
            _ => continue,
        };
        for target in targets {
            if twins.contains_key(&target) {
                continue;
            }
            let mut twin = format!("{target}JsonValue");
            while shapes.contains_key(&twin) || twins.values().any(|t| *t == twin) {
                twin.push('_');
            }
            twins.insert(target, twin);
        }
    }
    for (target, twin) in &twins {
        let original = &shapes[target];
        let doc = Shape {
            name: twin.clone(),
            kind: ShapeKind::Document,
            doc: original.doc.clone(),
            min: None,
            max: None,
            pattern: None,
            enum_values: Vec::new(),
            enum_names: Vec::new(),
            int_enum: Vec::new(),
            sensitive: original.sensitive,
            deprecated: original.deprecated.clone(),
            location_name: None,
            flattened: false,
            xml_namespace: None,
            timestamp_format: None,
            streaming: false,
            event_stream: false,
            event: false,
            requires_length: false,
            error: None,
        };
        shapes.insert(twin.clone(), doc);
    }
    for shape in shapes.values_mut() {
        if let ShapeKind::Structure(st) | ShapeKind::Union(st) = &mut shape.kind {
            for m in st.members.iter_mut().filter(|m| m.json_value) {
                if let Some(twin) = twins.get(&m.target) {
                    m.target = twin.clone();
                }
            }
        }
    }
}

/// Up to three of `names` closest to `wanted` (case-insensitive edit
/// distance), for "did you mean" messages.
fn nearest_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let wanted = wanted.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = names
        .map(|n| (strsim::levenshtein(&wanted, &n.to_ascii_lowercase()), n))
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_owned())
        .collect()
}

/// Pass 3: `--operations` keeps only the named operations.
pub fn filter_operations(
    ops: Vec<Operation>,
    keep: Option<&[String]>,
    file: &str,
) -> Result<Vec<Operation>, Error> {
    let Some(keep) = keep else { return Ok(ops) };
    for k in keep {
        if !ops.iter().any(|o| &o.key == k) {
            return Err(Error::UnknownOperation {
                file: file.into(),
                operation: k.clone(),
                nearest: nearest_names(k, ops.iter().map(|o| o.key.as_str())),
            });
        }
    }
    Ok(ops.into_iter().filter(|o| keep.contains(&o.key)).collect())
}

/// The shapes a shape refers to directly.
pub fn targets(kind: &ShapeKind) -> Vec<&str> {
    match kind {
        ShapeKind::Structure(s) | ShapeKind::Union(s) => {
            s.members.iter().map(|m| m.target.as_str()).collect()
        }
        ShapeKind::List(l) => vec![l.member.target.as_str()],
        ShapeKind::Map(m) => vec![m.key.target.as_str(), m.value.target.as_str()],
        _ => Vec::new(),
    }
}

/// Pass 4: keeps the shapes reachable from the operations' inputs, outputs and errors.
pub fn reachable_shapes(
    mut shapes: BTreeMap<String, Shape>,
    ops: &[Operation],
) -> BTreeMap<String, Shape> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    for o in ops {
        stack.extend(o.input.iter().cloned());
        stack.extend(o.output.iter().cloned());
        stack.extend(o.errors.iter().cloned());
    }
    while let Some(name) = stack.pop() {
        if seen.contains(&name) {
            continue;
        }
        if let Some(s) = shapes.get(&name) {
            stack.extend(targets(&s.kind).into_iter().map(str::to_string));
        }
        seen.insert(name);
    }
    shapes.retain(|k, _| seen.contains(k));
    shapes
}

/// Pass 4b: a shape an operation lists as an error is an error shape even
/// without `exception`/`error` traits.
pub fn mark_errors(shapes: &mut BTreeMap<String, Shape>, ops: &[Operation]) {
    for op in ops {
        for e in &op.errors {
            if let Some(s) = shapes.get_mut(e)
                && s.error.is_none()
            {
                s.error = Some(ErrorInfo {
                    code: None,
                    http_status: None,
                    sender_fault: false,
                    retryable: false,
                    throttling: false,
                });
            }
        }
    }
}

/// Pass 5: boxes every struct/union field whose target lies on a cycle of
/// direct containment with the containing shape. Lists and maps are heap
/// allocated already, so only struct→struct edges count; an edge is boxed
/// when both ends are in the same strongly connected component (a
/// one-shape component only when the edge is a self-reference).
pub fn box_recursion(shapes: &mut BTreeMap<String, Shape>) {
    let index: BTreeMap<String, usize> = shapes
        .keys()
        .enumerate()
        .map(|(i, n)| (n.clone(), i))
        .collect();
    let is_struct = |s: &Shape| matches!(s.kind, ShapeKind::Structure(_) | ShapeKind::Union(_));
    let structs: BTreeSet<usize> = shapes
        .values()
        .filter(|s| is_struct(s))
        .filter_map(|s| index.get(&s.name).copied())
        .collect();
    let edges: Vec<Vec<usize>> = shapes
        .values()
        .map(|s| match &s.kind {
            ShapeKind::Structure(st) | ShapeKind::Union(st) => st
                .members
                .iter()
                .filter_map(|m| index.get(&m.target).copied())
                .filter(|t| structs.contains(t))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let comp = tarjan(&edges);
    let mut size = vec![0usize; comp.len()];
    for &c in &comp {
        size[c] += 1;
    }
    for (i, shape) in shapes.values_mut().enumerate() {
        if let ShapeKind::Structure(st) | ShapeKind::Union(st) = &mut shape.kind {
            for m in &mut st.members {
                m.boxed = match index.get(&m.target) {
                    Some(&t) if structs.contains(&t) => {
                        comp[t] == comp[i] && (size[comp[i]] > 1 || t == i)
                    }
                    _ => false,
                };
            }
        }
    }
}

/// Iterative Tarjan SCC; returns the component id of every node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut ncomp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = ncomp;
                        if w == v {
                            break;
                        }
                    }
                    ncomp += 1;
                }
            }
        }
    }
    comp
}

/// Pass 6: the protocol to generate for.
pub fn choose_protocol(
    md: &model::Metadata,
    file: &str,
    requested: Option<&str>,
) -> Result<(Protocol, Vec<Protocol>), Error> {
    let mut listed: Vec<Protocol> = md
        .protocols
        .iter()
        .filter_map(|p| Protocol::parse(p))
        .collect();
    if listed.is_empty()
        && let Some(p) = md.protocol.as_deref().and_then(Protocol::parse)
    {
        listed.push(p);
    }
    let mut names: Vec<&str> = md.protocols.iter().map(String::as_str).collect();
    if names.is_empty() {
        names.extend(md.protocol.as_deref());
    }
    pick_protocol(
        listed,
        &names.join(", "),
        md.protocol.as_deref().unwrap_or("<none>"),
        file,
        requested,
    )
}

/// The requested protocol (which must be listed), else the first of
/// [`Protocol::PRIORITY`] the model lists. `available` and `stated` only
/// word the error (every name the model lists; what it states it uses).
pub fn pick_protocol(
    listed: Vec<Protocol>,
    available: &str,
    stated: &str,
    file: &str,
    requested: Option<&str>,
) -> Result<(Protocol, Vec<Protocol>), Error> {
    if let Some(req) = requested {
        let p = Protocol::parse(req)
            .filter(|p| listed.contains(p))
            .ok_or_else(|| Error::UnsupportedProtocol {
                file: file.into(),
                protocol: req.into(),
                available: available.into(),
            })?;
        return Ok((p, listed));
    }
    let chosen = Protocol::PRIORITY
        .iter()
        .copied()
        .find(|p| listed.contains(p))
        .ok_or_else(|| Error::UnsupportedProtocol {
            file: file.into(),
            protocol: stated.into(),
            available: available.into(),
        })?;
    Ok((chosen, listed))
}

/// Every distinct `pattern`, in shape-name order.
pub fn collect_patterns(shapes: &BTreeMap<String, Shape>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for s in shapes.values() {
        if let Some(p) = &s.pattern
            && seen.insert(p.clone())
        {
            out.push(p.clone());
        }
    }
    out
}

fn convert_paginators(p: &model::Paginators, ops: &BTreeSet<&str>) -> BTreeMap<String, Paginator> {
    p.pagination
        .iter()
        .filter(|(k, _)| ops.contains(k.as_str()))
        .map(|(k, v)| {
            let list =
                |x: &Option<model::StrOrList>| x.as_ref().map(|x| x.to_vec()).unwrap_or_default();
            (
                k.clone(),
                Paginator {
                    input_token: list(&v.input_token),
                    output_token: list(&v.output_token),
                    limit_key: v.limit_key.clone(),
                    result_key: list(&v.result_key),
                    more_results: v.more_results.clone(),
                },
            )
        })
        .collect()
}

/// One acceptor; `None` when it is not in botocore's documented form.
fn convert_acceptor(a: &serde_json::Value) -> Option<Acceptor> {
    let state = match a.get("state")?.as_str()? {
        "success" => WaitState::Success,
        "failure" => WaitState::Failure,
        "retry" => WaitState::Retry,
        _ => return None,
    };
    let expected = a.get("expected")?;
    let argument = || {
        a.get("argument")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let path_expected = || match expected {
        serde_json::Value::String(s) => Some(Expected::Str(s.clone())),
        serde_json::Value::Bool(b) => Some(Expected::Bool(*b)),
        serde_json::Value::Number(n) => n.as_f64().map(Expected::Number),
        _ => None,
    };
    let matcher = match a.get("matcher")?.as_str()? {
        "path" => Matcher::Path {
            argument: argument()?,
            expected: path_expected()?,
        },
        "pathAll" => Matcher::PathAll {
            argument: argument()?,
            expected: path_expected()?,
        },
        "pathAny" => Matcher::PathAny {
            argument: argument()?,
            expected: path_expected()?,
        },
        "status" => Matcher::Status(u16::try_from(expected.as_u64()?).ok()?),
        "error" => match expected {
            serde_json::Value::String(s) => Matcher::Error(s.clone()),
            serde_json::Value::Bool(b) => Matcher::AnyError(*b),
            _ => return None,
        },
        _ => return None,
    };
    Some(Acceptor { state, matcher })
}

fn convert_waiters(w: &model::Waiters, ops: &BTreeSet<&str>) -> BTreeMap<String, Waiter> {
    w.waiters
        .iter()
        .filter(|(_, v)| ops.contains(v.operation.as_str()))
        .map(|(k, v)| {
            (
                k.clone(),
                Waiter {
                    operation: v.operation.clone(),
                    delay: v.delay,
                    max_attempts: v.max_attempts,
                    backoff: None,
                    description: v.description.clone(),
                    acceptors: v
                        .acceptors
                        .iter()
                        .map(convert_acceptor)
                        .collect::<Option<Vec<_>>>()
                        .unwrap_or_default(),
                },
            )
        })
        .collect()
}
