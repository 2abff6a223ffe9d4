//! The rest-xml protocol: HTTP bindings from [`super::rest`], XML bodies
//! from [`super::xml`].
//!
//! The request body is either the payload member (a structure as one XML
//! element, or a blob/string sent raw) or, without a payload member, the
//! input's body members inside a root element named after the input shape.
//! Errors are `<ErrorResponse><Error>` or a bare `<Error>` root (S3).

use super::xml::{self, XmlWriter};
use super::{ErrorEnvelope, HttpRequest, HttpResponse, rest};
use crate::error::{DeserializeError, SerializeError};
use crate::schema::{Location, Member, Operation, Service};
use crate::value::{Struct, Value, ValueRef};

const XML_CONTENT_TYPE: &str = "application/xml";

pub(crate) fn serialize_request(
    op: &Operation,
    input: &dyn Struct,
) -> Result<HttpRequest, SerializeError> {
    let mut req = rest::serialize_bindings(op, input)?;
    let shape = input.shape();
    if let Some((i, m)) = rest::payload_member(shape) {
        let v = input.member(i).map_or(ValueRef::Null, Value::get);
        if rest::is_raw_payload(m) {
            if rest::set_raw_payload(&mut req, v) {
                rest::set_default_header(
                    &mut req,
                    "Content-Type",
                    rest::raw_payload_content_type(m),
                );
            }
        } else if let ValueRef::Struct(s) = v {
            let mut w = XmlWriter::default();
            xml::write_struct(&mut w, payload_element_name(m), m.xml_namespace(), s, false)?;
            req.body = w.out.into_bytes();
            rest::set_default_header(&mut req, "Content-Type", XML_CONTENT_TYPE);
        }
    } else if has_set_body_member(input) {
        let name = shape
            .location_name
            .or(op.input_location_name)
            .unwrap_or(shape.name);
        let ns = op.input_xml_namespace.or(shape.xml_namespace);
        let mut w = XmlWriter::default();
        xml::write_struct(&mut w, name, ns, input, true)?;
        req.body = w.out.into_bytes();
        rest::set_default_header(&mut req, "Content-Type", XML_CONTENT_TYPE);
    }
    Ok(req)
}

/// Whether any member without an HTTP binding is set (else no body is sent).
fn has_set_body_member(input: &dyn Struct) -> bool {
    input.shape().members().iter().enumerate().any(|(i, m)| {
        m.location == Location::Body
            && (m.idempotency_token
                || input
                    .member(i)
                    .is_some_and(|v| !matches!(v.get(), ValueRef::Null)))
    })
}

/// The root element of a structure payload.
///
/// The member's `locationName` names it when it is a real rename or an AWS
/// style (capitalized) member name, as S3's `LifecycleConfiguration` member
/// of shape `BucketLifecycleConfiguration`. A `locationName` that merely
/// repeats a camel-case member name is a converter artefact: the element is
/// named after the target shape then (its `locationName`, else its name),
/// as the compliance suites require.
fn payload_element_name(m: &Member) -> &'static str {
    let renamed = m
        .location_name
        .filter(|n| *n != m.name || n.chars().next().is_some_and(char::is_uppercase));
    renamed.or(m.target.location_name).unwrap_or(m.target.name)
}

pub(crate) fn parse_response(
    response: &HttpResponse,
    output: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    rest::parse_bindings(response, output)?;
    init_prefix_header_maps(output);
    read_body(&response.body, output)
}

/// A prefix-header map is present (empty) even when no header matched, as
/// the suites expect of an output member bound to `headers`.
fn init_prefix_header_maps(output: &mut dyn Struct) {
    for (i, m) in output.shape().members().iter().enumerate() {
        if m.location == Location::Headers
            && let Some(slot) = output.member_mut(i)
        {
            slot.init_map();
        }
    }
}

/// Reads the payload member or the body members of `output` from `body`.
fn read_body(body: &[u8], output: &mut dyn Struct) -> Result<(), DeserializeError> {
    let shape = output.shape();
    if let Some((i, m)) = rest::payload_member(shape) {
        if rest::is_raw_payload(m) {
            if !body.is_empty() {
                rest::parse_raw_payload(body, m, i, output)?;
            }
            return Ok(());
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let slot = output
            .member_mut(i)
            .ok_or_else(|| DeserializeError::new(format!("no field for payload {}", m.name)))?;
        let s = slot.struct_mut().ok_or_else(|| {
            DeserializeError::new(format!("payload {} is not a structure", m.name))
        })?;
        return xml::read_document(body, s, None);
    }
    if body.iter().all(u8::is_ascii_whitespace) || !shape.members().iter().any(xml::in_body) {
        return Ok(());
    }
    xml::read_document_or_scalar_root(body, output)
}

pub(crate) fn parse_error_envelope(
    service: &Service,
    op: &Operation,
    response: &HttpResponse,
) -> Result<ErrorEnvelope, DeserializeError> {
    let mut env = xml::error_envelope(service, op, response)?;
    if env.request_id.is_none() {
        env.request_id = rest::request_id(response);
    }
    Ok(env)
}

/// Reads the `<Error>` element's children and the header members into the
/// modeled error.
pub(crate) fn parse_error_body(
    response: &HttpResponse,
    error: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    rest::parse_bindings(response, error)?;
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    xml::read_error(&response.body, Some(error)).map(|_| ())
}
