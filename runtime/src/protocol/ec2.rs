//! The ec2 protocol: the query protocol's form encoding with ec2 naming
//! (`queryName`, capitalized names, flattened lists), responses whose root
//! element holds the output members directly, and errors as
//! `<Response><Errors><Error>` with a `<RequestID>`.

use super::form::{self, Dialect};
use super::{HttpRequest, HttpResponse, xml};
use crate::error::{DeserializeError, SerializeError};
use crate::schema::{Operation, Service};
use crate::value::Struct;

pub(crate) fn serialize_request(
    service: &Service,
    op: &Operation,
    input: &dyn Struct,
) -> Result<HttpRequest, SerializeError> {
    form::serialize(Dialect::Ec2, service.api_version, op, input)
}

/// Reads the root element's children (`<OpResponse>`) into `output`.
pub(crate) fn parse_response(
    response: &HttpResponse,
    output: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    xml::read_document(&response.body, output, None)
}

/// Reads `<Errors><Error>`'s children into the modeled error.
pub(crate) fn parse_error_body(
    response: &HttpResponse,
    error: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    xml::read_error(&response.body, Some(error)).map(|_| ())
}
