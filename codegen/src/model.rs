//! Serde structs mirroring botocore's JSON files (`service-2.json`,
//! `paginators-1.json`, `waiters-2.json`).
//!
//! This is the only module that knows botocore's layout; [`crate::ir`]
//! turns a [`Model`] into the resolved representation the emitters use.
//! Unknown keys are ignored so newer models still load; `--strict` reports
//! them through [`unknown_keys`].

use crate::error::Error;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// A JSON object whose entry order is kept (member order defines member indices).
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<V> Ordered<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

/// A whole `service-2.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    pub version: Option<String>,
    pub metadata: Metadata,
    #[serde(default)]
    pub operations: Ordered<Operation>,
    #[serde(default)]
    pub shapes: Ordered<Shape>,
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    pub client_context_params: Option<serde_json::Value>,
    pub examples: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub api_version: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub json_version: Option<String>,
    pub protocol: Option<String>,
    #[serde(default)]
    pub protocols: Vec<String>,
    pub service_id: Option<String>,
    pub service_full_name: Option<String>,
    pub service_abbreviation: Option<String>,
    pub signature_version: Option<String>,
    pub signing_name: Option<String>,
    pub target_prefix: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    pub global_endpoint: Option<String>,
    /// An (empty) object when present.
    pub aws_query_compatible: Option<serde_json::Value>,
    #[serde(default)]
    pub auth: Vec<String>,
    pub uid: Option<String>,
    pub protocol_settings: Option<serde_json::Value>,
    pub checksum_format: Option<String>,
    pub rip_service_name: Option<String>,
}

/// `xmlNamespace`: a bare URI (service metadata) or `{uri, prefix}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum XmlNamespace {
    Uri(String),
    Full {
        #[serde(default)]
        uri: String,
        prefix: Option<String>,
    },
}

impl XmlNamespace {
    pub fn uri(&self) -> &str {
        match self {
            XmlNamespace::Uri(u) => u,
            XmlNamespace::Full { uri, .. } => uri,
        }
    }
    pub fn prefix(&self) -> Option<&str> {
        match self {
            XmlNamespace::Uri(_) => None,
            XmlNamespace::Full { prefix, .. } => prefix.as_deref(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub name: Option<String>,
    pub http: Option<Http>,
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    pub documentation: Option<String>,
    pub documentation_url: Option<String>,
    #[serde(default)]
    pub idempotent: bool,
    #[serde(default)]
    pub readonly: bool,
    pub endpoint: Option<Endpoint>,
    #[serde(default)]
    pub http_checksum_required: bool,
    pub http_checksum: Option<HttpChecksum>,
    #[serde(default)]
    pub auth: Vec<String>,
    pub authtype: Option<String>,
    pub requestcompression: Option<RequestCompression>,
    pub static_context_params: Option<serde_json::Value>,
    pub operation_context_params: Option<serde_json::Value>,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    pub deprecated_since: Option<String>,
    pub endpointdiscovery: Option<serde_json::Value>,
    #[serde(default)]
    pub endpointoperation: bool,
    #[serde(default)]
    pub unsigned_payload: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    pub method: Option<String>,
    pub request_uri: Option<String>,
    pub response_code: Option<u16>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub host_prefix: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksum {
    #[serde(default)]
    pub request_checksum_required: bool,
    pub request_algorithm_member: Option<String>,
    pub request_validation_mode_member: Option<String>,
    #[serde(default)]
    pub response_algorithms: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestCompression {
    #[serde(default)]
    pub encodings: Vec<String>,
}

/// A reference to a shape with the traits stated on the reference: structure
/// members, list/map member/key/value, operation input/output/errors.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    pub shape: String,
    pub documentation: Option<String>,
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub query_name: Option<String>,
    #[serde(default)]
    pub flattened: bool,
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    pub xml_attribute: bool,
    #[serde(default)]
    pub jsonvalue: bool,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub host_label: bool,
    #[serde(default)]
    pub eventpayload: bool,
    #[serde(default, rename = "box")]
    pub boxed: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    pub deprecated_since: Option<String>,
    #[serde(default)]
    pub streaming: bool,
    pub context_param: Option<serde_json::Value>,
    pub timestamp_format: Option<String>,
    /// Output references only (query protocol).
    pub result_wrapper: Option<String>,
    /// Input references only: names the payload member, as the input
    /// shape's own `payload` would.
    pub payload: Option<String>,
    #[serde(default)]
    pub wrapper: bool,
    /// Error references repeat some shape traits; shapes are authoritative.
    #[serde(default)]
    pub exception: bool,
    pub error: Option<serde_json::Value>,
    #[serde(default)]
    pub fault: bool,
    #[serde(rename = "enum")]
    pub enum_values: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub shape_type: String,
    pub members: Option<Ordered<ShapeRef>>,
    pub member: Option<ShapeRef>,
    pub key: Option<ShapeRef>,
    pub value: Option<ShapeRef>,
    #[serde(default)]
    pub required: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    #[serde(default, rename = "box")]
    pub boxed: bool,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub document: bool,
    pub error: Option<ErrorTrait>,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    pub retryable: Option<Retryable>,
    #[serde(default)]
    pub deprecated: bool,
    pub deprecated_message: Option<String>,
    pub deprecated_since: Option<String>,
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub eventstream: bool,
    #[serde(default)]
    pub event: bool,
    pub payload: Option<String>,
    /// Serialization traits on the shape itself (older models): botocore
    /// merges them under a member reference's own, which win.
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub query_name: Option<String>,
    #[serde(default)]
    pub jsonvalue: bool,
    #[serde(default)]
    pub flattened: bool,
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default)]
    pub wrapper: bool,
    #[serde(default)]
    pub synthetic: bool,
    #[serde(default)]
    pub xml_order: Vec<String>,
    #[serde(default)]
    pub requires_length: bool,
    #[serde(default)]
    pub sparse: bool,
    pub documentation: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Retryable {
    #[serde(default)]
    pub throttling: bool,
}

/// `paginators-1.json`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Paginators {
    #[serde(default)]
    pub pagination: BTreeMap<String, Paginator>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Paginator {
    pub input_token: Option<StrOrList>,
    pub output_token: Option<StrOrList>,
    pub limit_key: Option<String>,
    pub result_key: Option<StrOrList>,
    pub more_results: Option<String>,
    pub non_aggregate_keys: Option<Vec<String>>,
}

/// A paginator key: one JMESPath-ish expression or several.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum StrOrList {
    One(String),
    Many(Vec<String>),
}

impl StrOrList {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            StrOrList::One(s) => vec![s.clone()],
            StrOrList::Many(v) => v.clone(),
        }
    }
}

/// `waiters-2.json`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Waiters {
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub waiters: BTreeMap<String, Waiter>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiter {
    pub operation: String,
    pub delay: Option<f64>,
    pub max_attempts: Option<u32>,
    pub description: Option<String>,
    #[serde(default)]
    pub acceptors: Vec<serde_json::Value>,
}

/// Reads a file, gunzipping it when it starts with gzip's magic bytes
/// (whatever its name: botocore ships `.json.gz`, people rename files).
pub fn read_text(path: &Path) -> Result<String, Error> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut out)
            .map_err(io)?;
        Ok(out)
    } else {
        String::from_utf8(bytes)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
    }
}

/// Parses JSON text as `T`, naming `file` in the error.
pub fn parse<T: for<'de> Deserialize<'de>>(text: &str, file: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|source| Error::Json {
        file: file.to_string(),
        source,
    })
}

/// Parses a service model; JSON that is valid but not a botocore model is
/// reported as such (not as "invalid JSON").
pub fn parse_model(text: &str, file: &str) -> Result<Model, Error> {
    parse(text, file).map_err(|e| match serde_json::from_str(text) {
        Ok(value) => not_a_model(&value, file).unwrap_or(e),
        Err(_) => e,
    })
}

/// Converts an in-memory JSON value into a service model (see [`parse_model`]).
pub fn model_from_value(value: &serde_json::Value, file: &str) -> Result<Model, Error> {
    from_value(value, file).map_err(|e| not_a_model(value, file).unwrap_or(e))
}

/// Why `value` is not a botocore service model, if it clearly is not one.
pub fn not_a_model(value: &serde_json::Value, file: &str) -> Option<Error> {
    let reason = match value {
        serde_json::Value::Object(o) if o.contains_key("metadata") => return None,
        serde_json::Value::Object(_) => "no `metadata`".to_owned(),
        serde_json::Value::Array(_) => "the top level is an array, not an object".to_owned(),
        _ => "the top level is not an object".to_owned(),
    };
    Some(Error::NotAModel {
        file: file.to_owned(),
        reason: format!("{reason}; botogen reads botocore's `service-2.json`"),
    })
}

/// Converts an in-memory JSON value, naming `file` in the error.
pub fn from_value<T: for<'de> Deserialize<'de>>(
    value: &serde_json::Value,
    file: &str,
) -> Result<T, Error> {
    T::deserialize(value).map_err(|source| Error::Json {
        file: file.to_string(),
        source,
    })
}

const TOP_KEYS: &[&str] = &[
    "version",
    "metadata",
    "operations",
    "shapes",
    "documentation",
    "deprecated",
    "deprecatedMessage",
    "clientContextParams",
    "examples",
];
const METADATA_KEYS: &[&str] = &[
    "apiVersion",
    "endpointPrefix",
    "jsonVersion",
    "protocol",
    "protocols",
    "serviceId",
    "serviceFullName",
    "serviceAbbreviation",
    "signatureVersion",
    "signingName",
    "targetPrefix",
    "xmlNamespace",
    "globalEndpoint",
    "awsQueryCompatible",
    "auth",
    "uid",
    "protocolSettings",
    "checksumFormat",
    "ripServiceName",
];
const OPERATION_KEYS: &[&str] = &[
    "name",
    "http",
    "input",
    "output",
    "errors",
    "documentation",
    "documentationUrl",
    "idempotent",
    "readonly",
    "endpoint",
    "httpChecksumRequired",
    "httpChecksum",
    "auth",
    "authtype",
    "requestcompression",
    "staticContextParams",
    "operationContextParams",
    "deprecated",
    "deprecatedMessage",
    "deprecatedSince",
    "endpointdiscovery",
    "endpointoperation",
    "unsignedPayload",
];
const HTTP_KEYS: &[&str] = &["method", "requestUri", "responseCode"];
const REF_KEYS: &[&str] = &[
    "shape",
    "documentation",
    "location",
    "locationName",
    "queryName",
    "flattened",
    "xmlNamespace",
    "xmlAttribute",
    "jsonvalue",
    "idempotencyToken",
    "hostLabel",
    "eventpayload",
    "box",
    "deprecated",
    "deprecatedMessage",
    "deprecatedSince",
    "streaming",
    "contextParam",
    "timestampFormat",
    "resultWrapper",
    "payload",
    "wrapper",
    "exception",
    "error",
    "fault",
    "enum",
];
const SHAPE_KEYS: &[&str] = &[
    "type",
    "members",
    "member",
    "key",
    "value",
    "required",
    "min",
    "max",
    "pattern",
    "enum",
    "box",
    "sensitive",
    "union",
    "document",
    "error",
    "exception",
    "fault",
    "retryable",
    "deprecated",
    "deprecatedMessage",
    "deprecatedSince",
    "timestampFormat",
    "streaming",
    "eventstream",
    "event",
    "payload",
    "location",
    "locationName",
    "queryName",
    "jsonvalue",
    "flattened",
    "xmlNamespace",
    "wrapper",
    "synthetic",
    "xmlOrder",
    "requiresLength",
    "sparse",
    "documentation",
];

/// Keys of a raw `service-2.json` value that this module does not read,
/// as `path: key` strings in a stable order (used by `--strict`).
pub fn unknown_keys(raw: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let mut out = Vec::new();
    fn check(v: &Value, known: &[&str], path: &str, out: &mut Vec<String>) {
        if let Value::Object(m) = v {
            for k in m.keys() {
                if !known.contains(&k.as_str()) {
                    out.push(format!("{path}: unknown key `{k}`"));
                }
            }
        }
    }
    check(raw, TOP_KEYS, "<root>", &mut out);
    check(&raw["metadata"], METADATA_KEYS, "metadata", &mut out);
    if let Value::Object(ops) = &raw["operations"] {
        for (name, op) in ops {
            let p = format!("operations.{name}");
            check(op, OPERATION_KEYS, &p, &mut out);
            check(&op["http"], HTTP_KEYS, &format!("{p}.http"), &mut out);
            check(&op["input"], REF_KEYS, &format!("{p}.input"), &mut out);
            check(&op["output"], REF_KEYS, &format!("{p}.output"), &mut out);
            if let Value::Array(errs) = &op["errors"] {
                for (i, e) in errs.iter().enumerate() {
                    check(e, REF_KEYS, &format!("{p}.errors[{i}]"), &mut out);
                }
            }
        }
    }
    if let Value::Object(shapes) = &raw["shapes"] {
        for (name, s) in shapes {
            let p = format!("shapes.{name}");
            check(s, SHAPE_KEYS, &p, &mut out);
            for k in ["member", "key", "value"] {
                check(&s[k], REF_KEYS, &format!("{p}.{k}"), &mut out);
            }
            if let Value::Object(members) = &s["members"] {
                for (m, r) in members {
                    check(r, REF_KEYS, &format!("{p}.members.{m}"), &mut out);
                }
            }
        }
    }
    out.sort();
    out
}
