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
            if rest::set_raw_payload(&mut req, v) {
                rest::set_default_header(
                    &mut req,
                    "Content-Type",
                    rest::raw_payload_content_type(m),
                );
            }
        } else if let ValueRef::Stream(s) = v {
            req.stream = Some(s.take_for_request());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ErrorMatch;
    use crate::protocol::fixtures::*;
    use crate::protocol::rest::override_idempotency_token;
    use crate::types::{Blob, DateTime};
    use std::collections::HashMap;

    fn input() -> PutInput {
        PutInput {
            bucket: "my-bucket".into(),
            key: "a b/c+d".into(),
            tags: Some(vec!["x".into(), "y,z".into(), "q\"".into()]),
            meta: Some(HashMap::from([("k".to_owned(), "v".to_owned())])),
            since: Some(DateTime::from_secs(1)),
            ids: Some(vec!["1".into(), "2".into()]),
            extra: Some(HashMap::from([
                ("id".to_owned(), "dropped".to_owned()),
                ("x-id".to_owned(), "dropped".to_owned()),
                ("more".to_owned(), "yes".to_owned()),
            ])),
            token: None,
            item: Some(Item {
                name: "n".into(),
                ..Item::default()
            }),
            dates: Some(vec![DateTime::from_secs(1_576_540_098); 2]),
        }
    }

    #[test]
    fn binds_labels_query_headers_and_body() {
        override_idempotency_token(Some("tok".into()));
        let req = serialize_request(&PUT_OBJECT, &input()).unwrap();
        override_idempotency_token(None);
        assert_eq!(req.method, "PUT");
        assert_eq!(
            req.uri,
            "/my-bucket/a%20b/c%2Bd?x-id=PutObject&since=1970-01-01T00%3A00%3A01Z&id=1&id=2&token=tok&more=yes"
        );
        assert_eq!(req.header("X-Tags"), Some(r#"x, "y,z", "q\"""#));
        assert_eq!(req.header("x-meta-k"), Some("v"));
        assert_eq!(
            req.header("X-Dates"),
            Some("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT")
        );
        assert_eq!(req.header("Content-Type"), Some("application/json"));
        assert_eq!(req.body, br#"{"Item":{"Name":"n"}}"#);
        assert_eq!(req.host_prefix.as_deref(), Some("my-bucket."));
    }

    #[test]
    fn fresh_tokens_are_uuids_and_given_tokens_kept() {
        let req = serialize_request(&PUT_OBJECT, &input()).unwrap();
        let token = req
            .uri
            .split("token=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        assert_eq!(token.len(), 36);
        assert_eq!(token.as_bytes()[14], b'4');
        let given = PutInput {
            token: Some("mine".into()),
            ..input()
        };
        assert!(
            serialize_request(&PUT_OBJECT, &given)
                .unwrap()
                .uri
                .contains("token=mine")
        );
    }

    #[test]
    fn empty_or_unsafe_labels_are_errors() {
        let empty = PutInput {
            key: String::new(),
            ..input()
        };
        assert!(serialize_request(&PUT_OBJECT, &empty).is_err());
        let bad_host = PutInput {
            bucket: "evil.com/x".into(),
            ..input()
        };
        assert!(serialize_request(&PUT_OBJECT, &bad_host).is_err());
    }

    #[test]
    fn blob_payload_is_the_body() {
        let req = serialize_request(
            &UPLOAD,
            &BlobPayload {
                content_type: None,
                body: Some(Blob::from("raw")),
            },
        )
        .unwrap();
        assert_eq!(req.body, b"raw");
        assert_eq!(req.header("content-type"), Some("application/octet-stream"));
        let typed = serialize_request(
            &UPLOAD,
            &BlobPayload {
                content_type: Some("image/jpg".into()),
                body: Some(Blob::from("raw")),
            },
        )
        .unwrap();
        assert_eq!(typed.header("content-type"), Some("image/jpg"));
        assert_eq!(typed.headers.len(), 1);
        let none = serialize_request(&UPLOAD, &BlobPayload::default()).unwrap();
        assert!(none.body.is_empty());
        assert_eq!(none.header("content-type"), None);

        let mut out = BlobPayload::default();
        let resp = HttpResponse {
            status: 200,
            headers: vec![("content-type".into(), "text/x".into())],
            body: b"bytes".to_vec(),
        };
        parse_response(&resp, &mut out).unwrap();
        assert_eq!(out.body, Some(Blob::from("bytes")));
        assert_eq!(out.content_type.as_deref(), Some("text/x"));
    }

    #[test]
    fn parses_headers_status_prefix_and_body() {
        let resp = HttpResponse {
            status: 201,
            headers: vec![
                ("etag".into(), "\"abc\"".into()),
                ("X-Meta-One".into(), "1".into()),
                ("x-meta-two".into(), "2".into()),
                (
                    "x-dates".into(),
                    "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT".into(),
                ),
                ("x-tags".into(), r#"a, "b,c", "\"d\"""#.into()),
            ],
            body: br#"{"Item":{"Name":"n"},"ETag":"ignored"}"#.to_vec(),
        };
        let mut out = PutOutput::default();
        parse_response(&resp, &mut out).unwrap();
        assert_eq!(out.etag.as_deref(), Some("\"abc\""));
        assert_eq!(out.status, Some(201));
        let meta = out.meta.unwrap();
        assert_eq!((meta["One"].as_str(), meta["two"].as_str()), ("1", "2"));
        assert_eq!(out.item.unwrap().name, "n");
        assert_eq!(out.dates, Some(vec![DateTime::from_secs(1_576_540_098); 2]));
        assert_eq!(
            out.tags,
            Some(vec!["a".into(), "b,c".into(), "\"d\"".into()])
        );
    }

    #[test]
    fn bad_header_values_are_errors() {
        let resp = HttpResponse {
            status: 200,
            headers: vec![("x-dates".into(), "not a date".into())],
            body: Vec::new(),
        };
        assert!(parse_response(&resp, &mut PutOutput::default()).is_err());
    }

    #[test]
    fn dispatch_routes_rest_json() {
        use crate::protocol as p;
        use crate::schema::Protocol;
        let req = p::serialize_request(
            &REST_SERVICE,
            Protocol::RestJson,
            &UPLOAD,
            &BlobPayload {
                content_type: None,
                body: Some(Blob::from("x")),
            },
        )
        .unwrap();
        assert_eq!((req.method, req.uri.as_str()), ("POST", "/upload"));
        let resp = HttpResponse {
            status: 404,
            headers: vec![("x-amzn-errortype".into(), "NotFoundException".into())],
            body: br#"{"message":"no"}"#.to_vec(),
        };
        let env =
            p::parse_error_envelope(&REST_SERVICE, Protocol::RestJson, &UPLOAD, &resp).unwrap();
        assert_eq!(env.matched, Some(ErrorMatch::Operation(0)));
        let mut err = NotFound::default();
        p::parse_error_body(Protocol::RestJson, &resp, &mut err).unwrap();
        assert_eq!(err.message.as_deref(), Some("no"));
    }
}
