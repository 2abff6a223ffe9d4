//! The awsQuery protocol: form-encoded requests, XML responses wrapped in
//! `<OpResponse><OpResult>`, errors as `<ErrorResponse><Error>`.

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
    form::serialize(Dialect::Query, service.api_version, op, input)
}

/// Reads `<OpResponse><OpResult>...</OpResult></OpResponse>` into `output`.
/// The result wrapper is the operation's `resultWrapper`, else `<Op>Result`.
pub(crate) fn parse_response(
    op: &Operation,
    response: &HttpResponse,
    output: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    let default_wrapper;
    let wrapper = match op.result_wrapper {
        Some(w) => w,
        None => {
            default_wrapper = format!("{}Result", op.name);
            &default_wrapper
        }
    };
    xml::read_document(&response.body, output, Some(wrapper))
}

/// Reads the `<Error>` element's children into the modeled error.
pub(crate) fn parse_error_body(
    response: &HttpResponse,
    error: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    xml::read_error(&response.body, Some(error)).map(|_| ())
}
