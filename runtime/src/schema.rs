//! Static descriptions of a service's shapes and operations.
//!
//! Generated crates emit one `static` [`Shape`] per model shape and one
//! [`Operation`] per operation. They are plain data: protocol code, the
//! validator and the client read them; nothing here knows botocore's JSON
//! layout. Statics may refer to each other in cycles (recursive shapes).
//!
//! Member-level serialization traits (`location_name`, `flattened`, ...)
//! override the same trait on the target shape; helpers on [`Member`] apply
//! that precedence so every protocol resolves it the same way.

use std::sync::OnceLock;

pub use crate::endpoint::{
    ClientContextParam, ContextParam, ContextSource, EndpointRules, ParamType, PathExpr, RuleSet,
    StaticValue,
};

/// One shape of the model.
#[derive(Debug)]
pub struct Shape {
    /// The shape's name in the model (used in error messages and `__type`).
    pub name: &'static str,
    pub kind: ShapeKind,
    /// Constraints that apply to every value of this shape.
    pub constraints: Constraints,
    /// `locationName` on the shape itself (XML element name of a list member, etc.).
    pub location_name: Option<&'static str>,
    /// `flattened` on the shape itself (lists and maps in XML / query).
    pub flattened: bool,
    pub xml_namespace: Option<XmlNamespace>,
    /// `timestampFormat` on the shape.
    pub timestamp_format: Option<TimestampFormat>,
    /// Values are redacted from `Debug` output and logs.
    pub sensitive: bool,
    /// A blob or string that is the whole streaming body of a request/response.
    pub streaming: bool,
    /// An event stream (union of events); calls using it are not supported yet.
    pub event_stream: bool,
    /// Streaming body whose length must be known up front.
    pub requires_length: bool,
    /// Set on error shapes.
    pub error: Option<ErrorInfo>,
}

impl Shape {
    /// A shape with no traits; generated code uses struct-update syntax on it.
    pub const fn new(name: &'static str, kind: ShapeKind) -> Shape {
        Shape {
            name,
            kind,
            constraints: Constraints::NONE,
            location_name: None,
            flattened: false,
            xml_namespace: None,
            timestamp_format: None,
            sensitive: false,
            streaming: false,
            event_stream: false,
            requires_length: false,
            error: None,
        }
    }

    /// The members of a structure or union; empty for every other kind.
    pub fn members(&self) -> &'static [Member] {
        match self.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => s.members,
            _ => &[],
        }
    }

    /// The structure/union description, if this is one.
    pub fn structure(&self) -> Option<&'static StructShape> {
        match self.kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => Some(s),
            _ => None,
        }
    }
}

/// What kind of value a shape holds.
#[derive(Debug, Clone, Copy)]
pub enum ShapeKind {
    Boolean,
    /// `byte`, `short` and `integer` (i32 in Rust).
    Integer,
    /// i64.
    Long,
    /// f32.
    Float,
    /// f64.
    Double,
    /// UTF-8 text; with `constraints.enum_values` a string enum.
    String,
    /// An integer enum (i32) with known values in `constraints.int_enum_values`.
    IntEnum,
    Blob,
    Timestamp,
    /// An untyped JSON-like document.
    Document,
    Structure(&'static StructShape),
    Union(&'static StructShape),
    List(&'static ListShape),
    Map(&'static MapShape),
}

/// Members of a structure or union, in model order.
#[derive(Debug)]
pub struct StructShape {
    pub members: &'static [Member],
    /// Index of the member bound with `payload` (REST protocols).
    pub payload: Option<usize>,
}

impl StructShape {
    /// Finds a member by its model name.
    pub fn member_index(&self, name: &str) -> Option<usize> {
        self.members.iter().position(|m| m.name == name)
    }
}

#[derive(Debug)]
pub struct ListShape {
    pub member: Member,
    /// `sparse`: elements may be null (`Vec<Option<T>>`).
    pub sparse: bool,
}

#[derive(Debug)]
pub struct MapShape {
    pub key: Member,
    pub value: Member,
    /// `sparse`: values may be null (`HashMap<String, Option<T>>`).
    pub sparse: bool,
}

/// A reference from a structure, list or map to its target shape, with the
/// serialization traits stated on the reference.
#[derive(Debug)]
pub struct Member {
    /// The member's name in the model (the JSON key in `params`/`result`).
    pub name: &'static str,
    pub target: &'static Shape,
    pub location: Location,
    /// `locationName`: header name, query key, URI label, or wire name in the body.
    pub location_name: Option<&'static str>,
    /// `queryName` (ec2 protocol).
    pub query_name: Option<&'static str>,
    pub flattened: bool,
    pub xml_attribute: bool,
    pub xml_namespace: Option<XmlNamespace>,
    pub timestamp_format: Option<TimestampFormat>,
    /// A string member carried as base64-encoded JSON in a header.
    pub json_value: bool,
    /// Filled with a fresh UUID when the caller leaves it empty.
    pub idempotency_token: bool,
    /// Substituted into the endpoint's `hostPrefix`.
    pub host_label: bool,
    /// The member of an event that carries the event's payload.
    pub event_payload: bool,
    /// The member must be set (structures) — validation and error correction.
    pub required: bool,
    pub deprecated: bool,
}

impl Member {
    /// A body member with no traits; generated code uses struct-update syntax on it.
    pub const fn new(name: &'static str, target: &'static Shape) -> Member {
        Member {
            name,
            target,
            location: Location::Body,
            location_name: None,
            query_name: None,
            flattened: false,
            xml_attribute: false,
            xml_namespace: None,
            timestamp_format: None,
            json_value: false,
            idempotency_token: false,
            host_label: false,
            event_payload: false,
            required: false,
            deprecated: false,
        }
    }

    /// The name on the wire: the member's `locationName`, else the member name.
    pub fn wire_name(&self) -> &'static str {
        self.location_name.unwrap_or(self.name)
    }

    /// Whether this list/map member is flattened (member trait or target trait).
    pub fn is_flattened(&self) -> bool {
        self.flattened || self.target.flattened
    }

    /// The timestamp format stated on the member, else on the target shape.
    pub fn timestamp_format(&self) -> Option<TimestampFormat> {
        self.timestamp_format.or(self.target.timestamp_format)
    }

    /// The XML namespace on the member, else on the target shape.
    pub fn xml_namespace(&self) -> Option<XmlNamespace> {
        self.xml_namespace.or(self.target.xml_namespace)
    }
}

/// Where an input/output member lives in the HTTP message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Body,
    Uri,
    QueryString,
    Header,
    /// A map of headers sharing the prefix in `location_name`.
    Headers,
    StatusCode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlNamespace {
    pub uri: &'static str,
    /// `xmlns:prefix` when set, else a default namespace.
    pub prefix: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    Iso8601,
    Rfc822,
    UnixTimestamp,
}

/// Constraints a value must satisfy; checked by [`crate::validate`].
#[derive(Debug)]
pub struct Constraints {
    /// `min`: characters (strings), entries (lists, maps), bytes (blobs), or the lowest number.
    pub min: Option<f64>,
    /// `max`, with the same units as `min`.
    pub max: Option<f64>,
    pub pattern: Option<&'static Pattern>,
    /// Allowed values of a string enum (empty: not an enum).
    pub enum_values: &'static [&'static str],
    /// Allowed values of an int enum (empty: not an enum).
    pub int_enum_values: &'static [i32],
}

impl Constraints {
    pub const NONE: Constraints = Constraints {
        min: None,
        max: None,
        pattern: None,
        enum_values: &[],
        int_enum_values: &[],
    };
}

/// A regular expression from the model, compiled on first use and cached.
pub struct Pattern {
    pub source: &'static str,
    /// Filled on first use by [`Pattern::compiled`] (see `crate::pattern`).
    pub compiled: OnceLock<Result<crate::pattern::Compiled, crate::pattern::PatternError>>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled pattern, compiled on first use and cached in the static.
    pub fn compiled(&self) -> Result<&crate::pattern::Compiled, &crate::pattern::PatternError> {
        self.compiled
            .get_or_init(|| crate::pattern::compile(self.source))
            .as_ref()
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Facts about an error shape.
#[derive(Debug, Clone, Copy)]
pub struct ErrorInfo {
    /// The error code on the wire (`error.code`, else the shape name).
    pub code: &'static str,
    pub http_status: Option<u16>,
    /// `senderFault`: the caller's fault (a client error) rather than the service's.
    pub sender_fault: bool,
    /// The model marks the error retryable.
    pub retryable: bool,
    /// `retryable.throttling`.
    pub throttling: bool,
}

/// Wire protocols botocore models use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    RestJson,
    /// `json` with the service's `jsonVersion` (1.0 or 1.1).
    Json,
    Query,
    Ec2,
    RestXml,
    SmithyRpcV2Cbor,
}

impl Protocol {
    /// The name used in botocore's `metadata.protocols`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::RestJson => "rest-json",
            Protocol::Json => "json",
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
            Protocol::RestXml => "rest-xml",
            Protocol::SmithyRpcV2Cbor => "smithy-rpc-v2-cbor",
        }
    }

    pub fn parse(name: &str) -> Option<Protocol> {
        Some(match name {
            "rest-json" => Protocol::RestJson,
            "json" => Protocol::Json,
            "query" => Protocol::Query,
            "ec2" => Protocol::Ec2,
            "rest-xml" => Protocol::RestXml,
            "smithy-rpc-v2-cbor" => Protocol::SmithyRpcV2Cbor,
            _ => return None,
        })
    }
}

/// Service-wide facts from the model's metadata.
#[derive(Debug)]
pub struct Service {
    /// `serviceId`, e.g. "DynamoDB".
    pub service_id: &'static str,
    pub api_version: &'static str,
    /// The protocol used unless the client is configured otherwise.
    pub protocol: Protocol,
    /// Every protocol the model lists, in the model's order.
    pub protocols: &'static [Protocol],
    /// `jsonVersion` ("1.0" / "1.1") for the json protocol.
    pub json_version: &'static str,
    /// `targetPrefix` for `X-Amz-Target` (json protocol).
    pub target_prefix: &'static str,
    /// `endpointPrefix`: the host label of the service's endpoints.
    pub endpoint_prefix: &'static str,
    /// SigV4 signing name (`signingName`, else `endpointPrefix`).
    pub signing_name: &'static str,
    /// `globalEndpoint`, for services with one endpoint for all regions.
    pub global_endpoint: Option<&'static str>,
    /// `xmlNamespace` of a query / rest-xml service.
    pub xml_namespace: Option<&'static str>,
    /// `awsQueryCompatible`: errors carry query-style codes in a header.
    pub aws_query_compatible: bool,
    /// Service-wide `auth` list (e.g. "aws.auth#sigv4").
    pub auth: &'static [&'static str],
    /// `smithy-rpc-v2-cbor` service name for its URI (`targetPrefix`-like).
    pub target_service: &'static str,
    /// Every error shape of the service, by name: an error code is looked up
    /// here when the operation does not list it (as botocore does).
    pub errors: &'static [&'static Shape],
    /// The endpoint rule set and client context parameters; `None` for a
    /// model without one (then `{endpointPrefix}.{region}.{dnsSuffix}`).
    pub endpoint_rules: Option<&'static EndpointRules>,
}

/// One operation: everything the client needs to put it on the wire.
#[derive(Debug)]
pub struct Operation {
    /// The operation's wire name (`Action=`, `X-Amz-Target`).
    pub name: &'static str,
    pub http_method: &'static str,
    /// `requestUri`, with `{Label}` / `{Label+}` placeholders and maybe a query part.
    pub request_uri: &'static str,
    /// `responseCode` for a successful response.
    pub response_code: u16,
    pub input: &'static Shape,
    pub output: &'static Shape,
    /// `input.locationName` (rest-xml root element name).
    pub input_location_name: Option<&'static str>,
    /// `input.xmlNamespace` (rest-xml root namespace).
    pub input_xml_namespace: Option<XmlNamespace>,
    /// `output.resultWrapper` (query protocol).
    pub result_wrapper: Option<&'static str>,
    pub errors: &'static [&'static Shape],
    pub idempotent: bool,
    pub readonly: bool,
    /// `endpoint.hostPrefix`, e.g. "{Bucket}." or "data-".
    pub host_prefix: Option<&'static str>,
    /// `auth` list, else `authtype` mapped ("v4", "none", "bearer", ...).
    pub auth: &'static [&'static str],
    /// A checksum of the body is required (`httpChecksumRequired` or `httpChecksum.requestChecksumRequired`).
    pub checksum_required: bool,
    /// Flexible checksums (`httpChecksum`): see [`crate::client::checksums`].
    pub http_checksum: Option<&'static HttpChecksum>,
    /// `requestcompression.encodings`.
    pub request_compression: &'static [&'static str],
    /// The input or output is an event stream.
    pub event_stream: bool,
    pub deprecated: bool,
    /// The endpoint rule-set parameters this operation supplies
    /// (`staticContextParams`, members' `contextParam`, `operationContextParams`).
    pub context_params: &'static [ContextParam],
}

/// An operation's `httpChecksum` trait: which input members choose the
/// request checksum's algorithm and enable response validation, and the
/// algorithms a response may be checked with.
#[derive(Debug)]
pub struct HttpChecksum {
    /// `requestChecksumRequired`: a checksum is sent even when
    /// `request_checksum_calculation` is `when_required`.
    pub request_checksum_required: bool,
    /// Index of the input member naming the algorithm (S3's `ChecksumAlgorithm`).
    pub request_algorithm_member: Option<usize>,
    /// Index of the input member that enables response validation (S3's `ChecksumMode`).
    pub request_validation_mode_member: Option<usize>,
    /// Upper-case names (`CRC32`, `SHA256`, ...) in the model's order.
    pub response_algorithms: &'static [&'static str],
}

#[cfg(test)]
mod pattern_cache_tests {
    use super::Pattern;

    #[test]
    fn compiled_once_per_static() {
        static P: Pattern = Pattern::new("^x+$");
        let first = P.compiled().map(|c| c as *const _);
        let second = P.compiled().map(|c| c as *const _);
        assert_eq!(first, second);
        assert!(P.compiled().is_ok_and(|c| c.is_match("xx")));
    }
}
