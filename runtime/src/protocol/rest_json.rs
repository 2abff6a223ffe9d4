//! The `rest-json` protocol: HTTP bindings from [`super::rest`], the body as
//! a JSON object of the unbound members (or the `payload` member alone),
//! errors as in the json protocol plus header-bound error members.

use crate::error::{DeserializeError, SerializeError};
use crate::protocol::json;
use crate::protocol::rest;
use crate::protocol::{HttpRequest, HttpResponse};
use crate::schema::{Operation, ShapeKind};
use crate::value::{Struct, Value, ValueRef};

/// Builds a rest-json request.
pub fn serialize_request(
    op: &Operation,
    input: &dyn Struct,
) -> Result<HttpRequest, SerializeError> {
    let mut req = rest::serialize_bindings(op, input)?;
    let shape = input.shape();
    if let Some((i, m)) = rest::payload_member(shape) {
        let v = input.member(i).map_or(ValueRef::Null, Value::get);
        if rest::is_raw_payload(m) {
            if let Some(bytes) = rest::raw_payload_bytes(v) {
                req.body = bytes;
                rest::set_default_header(
                    &mut req,
                    "Content-Type",
                    rest::raw_payload_content_type(m),
                );
            }
        } else if let ValueRef::Stream(s) = v {
            req.body = s.as_bytes().to_vec();
            rest::set_default_header(&mut req, "Content-Type", "application/octet-stream");
        } else {
            match (v, m.target.kind) {
                // An unset union payload sends no body at all.
                (ValueRef::Null, ShapeKind::Union(_)) => {}
                // An unset structure payload is an empty object.
                (ValueRef::Null, ShapeKind::Structure(_)) => req.body = b"{}".to_vec(),
                (ValueRef::Null, _) => {}
                (v, _) => json::write_value(&mut req.body, m, v, 0)?,
            }
            if !req.body.is_empty() {
                rest::set_default_header(&mut req, "Content-Type", "application/json");
            }
        }
    } else if rest::has_body_members(shape) {
        json::write_struct(&mut req.body, input, true, 0)?;
        rest::set_default_header(&mut req, "Content-Type", "application/json");
    }
    Ok(req)
}

/// Parses a successful rest-json response into `output`.
pub fn parse_response(
    response: &HttpResponse,
    output: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    rest::parse_bindings(response, output)?;
    parse_body(response, output)
}

fn parse_body(response: &HttpResponse, output: &mut dyn Struct) -> Result<(), DeserializeError> {
    let shape = output.shape();
    match rest::payload_member(shape) {
        Some((i, m)) if rest::is_raw_payload(m) => {
            // An absent body leaves an optional payload unset.
            if !response.body.is_empty() {
                rest::parse_raw_payload(&response.body, m, i, output)?;
            }
            Ok(())
        }
        Some((i, _)) => json::parse_member(&response.body, output, i),
        None if rest::has_body_members(shape) => json::parse_struct(&response.body, output, true),
        None => Ok(()),
    }
}

/// Fills a modeled error from a rest-json error response (headers and body).
pub fn parse_error_body(
    response: &HttpResponse,
    error: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    rest::parse_bindings(response, error)?;
    parse_body(response, error)
}
