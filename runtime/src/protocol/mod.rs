//! Wire protocols: one serializer and one parser per protocol, driven by the
//! static [`crate::schema`] descriptions and the reflection traits in
//! [`crate::value`].
//!
//! The entry points here take an already-resolved [`Protocol`]; the client
//! picks it from the service's default or the user's configuration.

use crate::error::{DeserializeError, SerializeError};
use crate::schema::{Operation, Protocol, Service};
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
    /// Index into `Operation::errors` of the modeled error this code names.
    pub modeled: Option<usize>,
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
/// finds which of the operation's modeled errors it is.
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
        Protocol::Query => query::parse_error_envelope(op, response),
        Protocol::Ec2 => ec2::parse_error_envelope(op, response),
        Protocol::RestXml => rest_xml::parse_error_envelope(op, response),
        Protocol::SmithyRpcV2Cbor => Ok(cbor::parse_error_envelope(service, op, response)),
    }
}

/// Parses the fields of a modeled error (`op.errors[index]`) into `error`.
pub fn parse_error_body(
    service: &Service,
    protocol: Protocol,
    op: &Operation,
    index: usize,
    response: &HttpResponse,
    error: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    let _ = (service, index);
    let _ = json::error_shape(op, index)?;
    match protocol {
        Protocol::Json => json::parse_error_body(response, error),
        Protocol::RestJson => rest_json::parse_error_body(response, error),
        Protocol::Query => query::parse_error_body(response, error),
        Protocol::Ec2 => ec2::parse_error_body(response, error),
        Protocol::RestXml => rest_xml::parse_error_body(response, error),
        Protocol::SmithyRpcV2Cbor => cbor::parse_error_body(response, error),
    }
}
