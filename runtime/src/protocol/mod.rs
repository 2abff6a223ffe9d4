//! Wire protocols: one serializer and one parser per protocol, driven by the
//! static [`crate::schema`] descriptions and the reflection traits in
//! [`crate::value`].
//!
//! The entry points here take an already-resolved [`Protocol`]; the client
//! picks it from the service's default or the user's configuration.

use crate::error::{DeserializeError, SerializeError};
use crate::schema::{Operation, Protocol, Service, Shape};
use crate::value::Struct;

pub mod cbor;
pub(crate) mod checksum;
mod compression;
mod ec2;
#[cfg(test)]
mod fixtures;
mod form;
pub mod json;
mod query;
pub mod rest;
pub mod rest_json;
mod rest_xml;
mod xml;
#[cfg(test)]
mod xml_tests;

/// An HTTP request before the endpoint, signing and transport are applied.
#[derive(Debug, Default)]
pub struct HttpRequest {
    pub method: &'static str,
    /// Path and query string, already percent-encoded (e.g. `/bucket/key?uploads`).
    pub uri: String,
    /// Header names as they should be sent; repeated names are allowed.
    pub headers: Vec<(String, String)>,
    /// The serialized body (empty when `stream` is set).
    pub body: Vec<u8>,
    /// A streaming payload member's body (`ByteStream`), sent as it is read
    /// instead of `body`.
    pub stream: Option<crate::body::SdkBody>,
    /// The operation's `hostPrefix` with its labels filled in, if any.
    pub host_prefix: Option<String>,
}

impl HttpRequest {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body's bytes when they are in memory (`body`, or an in-memory
    /// stream), `None` for a file or one-shot stream.
    pub fn body_bytes(&self) -> Option<&[u8]> {
        match &self.stream {
            Some(s) => s.bytes(),
            None => Some(&self.body),
        }
    }

    /// The body's length, if known.
    pub fn body_len(&self) -> Option<u64> {
        match &self.stream {
            Some(s) => s.content_length(),
            None => Some(self.body.len() as u64),
        }
    }
}

/// An HTTP response as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What every protocol can read from an error response before the modeled
/// error (if any) is parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// The code, stripped of namespace (`aws.foo#`) and `:`-suffix.
    pub code: String,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// S3's `HostId` (the body's copy of `x-amz-id-2`).
    pub extended_request_id: Option<String>,
    /// The error shape the code names, if any.
    pub matched: Option<ErrorMatch>,
}

/// Which error shape an error code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorMatch {
    /// Index into `Operation::errors`.
    Operation(usize),
    /// Index into `Service::errors`: an error shape of the service that the
    /// operation does not list (botocore looks codes up service-wide).
    Service(usize),
}

impl ErrorMatch {
    /// The shape matched, or `None` for an index out of range.
    pub fn shape(self, service: &Service, op: &Operation) -> Option<&'static Shape> {
        match self {
            ErrorMatch::Operation(i) => op.errors.get(i).copied(),
            ErrorMatch::Service(i) => service.errors.get(i).copied(),
        }
    }
}

/// The error shape `code` names: the operation's errors first, then the
/// service's; by wire code (`error.code`, else the shape name), then by
/// shape name (json protocols may send the shape name where an
/// `awsQueryError` code differs).
pub fn find_error(service: &Service, op: &Operation, code: &str) -> Option<ErrorMatch> {
    fn find(errors: &[&Shape], code: &str) -> Option<usize> {
        errors
            .iter()
            .position(|e| e.error.is_some_and(|info| info.code == code))
            .or_else(|| errors.iter().position(|e| e.name == code))
    }
    if code.is_empty() {
        return None;
    }
    find(op.errors, code)
        .map(ErrorMatch::Operation)
        .or_else(|| find(service.errors, code).map(ErrorMatch::Service))
}

/// Builds the HTTP request for `op` with `input`, with `Content-MD5` for
/// an operation marked `httpChecksumRequired` (what botocore's protocol
/// suites expect of its serializer). [`crate::client::Client`] calls
/// [`serialize_request_unchecked`] and sends a flexible checksum instead,
/// as botocore 1.44.5 does (CRC32 unless the caller picks another).
pub fn serialize_request(
    service: &Service,
    protocol: Protocol,
    op: &Operation,
    input: &dyn Struct,
) -> Result<HttpRequest, SerializeError> {
    let mut req = serialize_request_unchecked(service, protocol, op, input)?;
    checksum::add_content_md5(op, &mut req);
    Ok(req)
}

/// [`serialize_request`] without the legacy `Content-MD5`.
pub fn serialize_request_unchecked(
    service: &Service,
    protocol: Protocol,
    op: &Operation,
    input: &dyn Struct,
) -> Result<HttpRequest, SerializeError> {
    let mut req = match protocol {
        Protocol::Json => json::serialize_request(service, op, input),
        Protocol::RestJson => rest_json::serialize_request(op, input),
        Protocol::Query => query::serialize_request(service, op, input),
        Protocol::Ec2 => ec2::serialize_request(service, op, input),
        Protocol::RestXml => rest_xml::serialize_request(op, input),
        Protocol::SmithyRpcV2Cbor => cbor::serialize_request(service, op, input),
    }?;
    // Body transformations every protocol shares, in the order the bytes go out:
    // compression first, so a checksum covers what is actually sent.
    compression::compress_request(op, &mut req)?;
    Ok(req)
}

/// Parses a successful response into `output` (a default value of the output type).
pub fn parse_response(
    service: &Service,
    protocol: Protocol,
    op: &Operation,
    response: &HttpResponse,
    output: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    let _ = (service, op);
    match protocol {
        Protocol::Json => json::parse_response(response, output),
        Protocol::RestJson => rest_json::parse_response(response, output),
        Protocol::Query => query::parse_response(op, response, output),
        Protocol::Ec2 => ec2::parse_response(response, output),
        Protocol::RestXml => rest_xml::parse_response(response, output),
        Protocol::SmithyRpcV2Cbor => cbor::parse_response(response, output),
    }
}

/// Reads the error code, message and request id of an error response and
/// finds which error shape of the operation or the service it is.
pub fn parse_error_envelope(
    service: &Service,
    protocol: Protocol,
    op: &Operation,
    response: &HttpResponse,
) -> Result<ErrorEnvelope, DeserializeError> {
    match protocol {
        Protocol::Json | Protocol::RestJson => {
            Ok(json::parse_error_envelope(service, op, response))
        }
        Protocol::Query | Protocol::Ec2 => xml::error_envelope(service, op, response),
        Protocol::RestXml => rest_xml::parse_error_envelope(service, op, response),
        Protocol::SmithyRpcV2Cbor => Ok(cbor::parse_error_envelope(service, op, response)),
    }
}

/// Parses the fields of a modeled error (its shape is `error.shape()`) into `error`.
pub fn parse_error_body(
    protocol: Protocol,
    response: &HttpResponse,
    error: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    match protocol {
        Protocol::Json => json::parse_error_body(response, error),
        Protocol::RestJson => rest_json::parse_error_body(response, error),
        Protocol::Query => query::parse_error_body(response, error),
        Protocol::Ec2 => ec2::parse_error_body(response, error),
        Protocol::RestXml => rest_xml::parse_error_body(response, error),
        Protocol::SmithyRpcV2Cbor => cbor::parse_error_body(response, error),
    }
}

/// Parses an event-stream message's payload into `event` (an event or an
/// exception structure): member `payload` (`eventpayload`) takes the whole
/// payload — raw for a blob or string, else in the protocol's body format —
/// otherwise the payload is the body of `event`'s members in that format.
pub fn parse_event_payload(
    protocol: Protocol,
    payload: &[u8],
    event: &mut dyn Struct,
    payload_member: Option<usize>,
) -> Result<(), DeserializeError> {
    if let Some(i) = payload_member {
        let m = &event.shape().members()[i];
        if rest::is_raw_payload(m) {
            return rest::parse_raw_payload(payload, m, i, event);
        }
    }
    if payload.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    match (protocol, payload_member) {
        (Protocol::Json | Protocol::RestJson, Some(i)) => json::parse_member(payload, event, i),
        (Protocol::Json | Protocol::RestJson, None) => json::parse_struct(payload, event, true),
        (Protocol::RestXml | Protocol::Query | Protocol::Ec2, Some(i)) => {
            let name = event.shape().members()[i].name;
            let slot = event
                .member_mut(i)
                .ok_or_else(|| DeserializeError::new(format!("no field for payload {name}")))?;
            let s = slot.struct_mut().ok_or_else(|| {
                DeserializeError::new(format!("payload {name} is not a structure"))
            })?;
            xml::read_document(payload, s, None)
        }
        (Protocol::RestXml | Protocol::Query | Protocol::Ec2, None) => {
            xml::read_document_or_scalar_root(payload, event)
        }
        (Protocol::SmithyRpcV2Cbor, _) => cbor::parse_response(
            &HttpResponse {
                status: 200,
                headers: Vec::new(),
                body: payload.to_vec(),
            },
            event,
        ),
    }
}

#[cfg(test)]
mod error_lookup_tests {
    //! Error codes are looked up in the operation's errors, then the
    //! service's (botocore's `shape_for_error_code` is service-wide), in
    //! every protocol; an unknown code keeps its code and message.

    use super::*;
    use crate::protocol::fixtures::{JSON_SERVICE, NOT_FOUND, PUT_ITEM, STRING, THROTTLED};
    use crate::value::Value;

    static GONE: Shape = Shape {
        error: Some(crate::schema::ErrorInfo {
            code: "Gone.Away",
            http_status: Some(410),
            sender_fault: true,
            retryable: false,
            throttling: false,
        }),
        ..Shape::new(
            "GoneException",
            crate::schema::ShapeKind::Structure(&crate::schema::StructShape {
                members: &[crate::schema::Member::new("Reason", &STRING)],
                payload: None,
            }),
        )
    };

    /// Lists only `NotFound`; the service also has `Throttled` and `GoneException`.
    static OP: Operation = Operation {
        errors: &[&NOT_FOUND],
        ..PUT_ITEM
    };

    static SERVICE: Service = Service {
        errors: &[&GONE, &NOT_FOUND, &THROTTLED],
        ..JSON_SERVICE
    };

    /// A one-member error value of any of the shapes above.
    struct Message(&'static Shape, Option<String>);

    impl Struct for Message {
        fn shape(&self) -> &'static Shape {
            self.0
        }
        fn member(&self, i: usize) -> Option<&dyn Value> {
            (i == 0).then_some(&self.1 as &dyn Value)
        }
        fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
            (i == 0).then_some(&mut self.1 as &mut dyn Value)
        }
    }

    fn cbor(type_: &str, message: &str) -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        let _ = e
            .map(3)
            .and_then(|e| e.str("__type"))
            .and_then(|e| e.str(type_));
        let _ = e.str("message").and_then(|e| e.str(message));
        let _ = e.str("Reason").and_then(|e| e.str("gravity"));
        e.into_writer()
    }

    /// An error response naming `code` with message `message` and a
    /// `Reason` member, as `protocol` sends it.
    fn response(protocol: Protocol, code: &str, message: &str) -> HttpResponse {
        let mut headers = vec![("x-amzn-requestid".to_owned(), "req-1".to_owned())];
        let body = match protocol {
            Protocol::Json => format!(
                r#"{{"__type":"com.test#{code}","message":"{message}","Reason":"gravity"}}"#
            )
            .into_bytes(),
            Protocol::RestJson => {
                headers.push(("x-amzn-errortype".to_owned(), format!("{code}:http://x/")));
                format!(r#"{{"message":"{message}","Reason":"gravity"}}"#).into_bytes()
            }
            Protocol::Query => format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
                 <Message>{message}</Message><Reason>gravity</Reason></Error>\
                 <RequestId>req-1</RequestId></ErrorResponse>"
            )
            .into_bytes(),
            Protocol::Ec2 => format!(
                "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message>\
                 <Reason>gravity</Reason></Error></Errors><RequestID>req-1</RequestID></Response>"
            )
            .into_bytes(),
            Protocol::RestXml => format!(
                "<Error><Code>{code}</Code><Message>{message}</Message><Reason>gravity</Reason>\
                 <RequestId>req-1</RequestId><HostId>host-1</HostId></Error>"
            )
            .into_bytes(),
            Protocol::SmithyRpcV2Cbor => cbor(&format!("com.test#{code}"), message),
        };
        HttpResponse {
            status: 400,
            headers,
            body,
        }
    }

    const PROTOCOLS: [Protocol; 6] = [
        Protocol::Json,
        Protocol::RestJson,
        Protocol::Query,
        Protocol::Ec2,
        Protocol::RestXml,
        Protocol::SmithyRpcV2Cbor,
    ];

    #[test]
    fn codes_the_operation_does_not_list_are_found_service_wide() {
        for protocol in PROTOCOLS {
            let p = protocol.as_str();
            // Listed by the operation: its index there.
            let r = response(protocol, "ResourceNotFound", "listed");
            let env = parse_error_envelope(&SERVICE, protocol, &OP, &r).expect(p);
            assert_eq!(env.matched, Some(ErrorMatch::Operation(0)), "{p}");

            // Not listed, but a shape of the service: by wire code ...
            let r = response(protocol, "Gone.Away", "it went");
            let env = parse_error_envelope(&SERVICE, protocol, &OP, &r).expect(p);
            assert_eq!(env.matched, Some(ErrorMatch::Service(0)), "{p}");
            assert_eq!(env.code, "Gone.Away", "{p}");
            assert_eq!(env.message.as_deref(), Some("it went"), "{p}");
            assert_eq!(env.request_id.as_deref(), Some("req-1"), "{p}");
            let shape = env.matched.and_then(|m| m.shape(&SERVICE, &OP));
            assert_eq!(shape.map(|s| s.name), Some("GoneException"), "{p}");
            let mut fields = Message(&GONE, None);
            parse_error_body(protocol, &r, &mut fields).expect(p);
            assert_eq!(fields.1.as_deref(), Some("gravity"), "{p}");

            // ... and by shape name.
            let r = response(protocol, "Throttled", "slow down");
            let env = parse_error_envelope(&SERVICE, protocol, &OP, &r).expect(p);
            assert_eq!(env.matched, Some(ErrorMatch::Service(2)), "{p}");

            // Unknown to the service: unmatched, with its code and message.
            let r = response(protocol, "NoSuchThing", "what thing");
            let env = parse_error_envelope(&SERVICE, protocol, &OP, &r).expect(p);
            assert_eq!(env.matched, None, "{p}");
            assert_eq!(env.code, "NoSuchThing", "{p}");
            assert_eq!(env.message.as_deref(), Some("what thing"), "{p}");

            // A service without the list (an older generated crate) matches listed errors only.
            let r = response(protocol, "Throttled", "slow down");
            let env = parse_error_envelope(&JSON_SERVICE, protocol, &OP, &r).expect(p);
            assert_eq!(env.matched, None, "{p}");
        }
    }

    #[test]
    fn s3_error_bodies_carry_the_extended_request_id() {
        let r = response(
            Protocol::RestXml,
            "NoSuchKey",
            "The specified key does not exist.",
        );
        let env = parse_error_envelope(&SERVICE, Protocol::RestXml, &OP, &r).expect("envelope");
        assert_eq!(env.extended_request_id.as_deref(), Some("host-1"));
        assert_eq!(env.request_id.as_deref(), Some("req-1"));
        assert_eq!(
            env.message.as_deref(),
            Some("The specified key does not exist.")
        );
    }
}
