//! The `json` protocol (awsJson 1.0 / 1.1), plus the JSON body writer and
//! reader that rest-json shares.
//!
//! Requests are `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>` and
//! the input structure as a JSON object. Serialization writes bytes directly
//! from the reflected value (no intermediate tree); parsing is a hand-written
//! pull parser (`read`) guided by the shapes, so a response is decoded
//! straight into the output struct. Its nesting limit (127, serde_json's)
//! bounds recursion, so hostile input yields an error, not a stack overflow.

use crate::error::{DeserializeError, SerializeError};
use crate::protocol::rest::{self, BASE64};
use crate::protocol::{ErrorEnvelope, HttpRequest, HttpResponse};
use crate::schema::{Location, Member, Operation, Service, ShapeKind, TimestampFormat};
use crate::timestamp;
use crate::types::{Document, Number};
use crate::value::{Struct, Value, ValueRef};
use base64::Engine as _;
use std::fmt;

/// Deepest nesting the writer accepts (the reader's limit is 127).
const MAX_DEPTH: usize = 128;

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

fn depth_error() -> SerializeError {
    SerializeError::new(format!("input nests deeper than {MAX_DEPTH} levels"))
}

/// Appends `s` as a JSON string literal.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 15)]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn write_display(out: &mut Vec<u8>, v: impl fmt::Display) {
    use std::io::Write as _;
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{v}");
}

fn write_float(out: &mut Vec<u8>, v: f64, kind: ShapeKind) {
    if v.is_finite() {
        if matches!(kind, ShapeKind::Float) {
            write_display(out, v as f32);
        } else {
            write_display(out, v);
        }
    } else {
        // Non-finite floats travel as the strings "NaN", "Infinity", "-Infinity".
        out.push(b'"');
        out.extend_from_slice(rest::format_float(v, kind).as_bytes());
        out.push(b'"');
    }
}

/// Appends a document as JSON.
pub fn write_document(out: &mut Vec<u8>, d: &Document, depth: usize) -> Result<(), SerializeError> {
    if depth > MAX_DEPTH {
        return Err(depth_error());
    }
    match d {
        Document::Null => out.extend_from_slice(b"null"),
        Document::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Document::Number(Number::PosInt(u)) => write_display(out, u),
        Document::Number(Number::NegInt(i)) => write_display(out, i),
        Document::Number(Number::Float(f)) => write_float(out, *f, ShapeKind::Double),
        Document::String(s) => write_str(out, s),
        Document::Array(a) => {
            out.push(b'[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_document(out, item, depth + 1)?;
            }
            out.push(b']');
        }
        Document::Object(o) => {
            out.push(b'{');
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, k);
                out.push(b':');
                write_document(out, v, depth + 1)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

/// Appends the JSON object for a structure or union. With `body_only`,
/// members bound to the URI, query string or headers are left out (REST).
pub fn write_struct(
    out: &mut Vec<u8>,
    s: &dyn Struct,
    body_only: bool,
    depth: usize,
) -> Result<(), SerializeError> {
    if depth > MAX_DEPTH {
        return Err(depth_error());
    }
    out.push(b'{');
    let mut first = true;
    let mut token = None;
    for (i, m) in s.shape().members().iter().enumerate() {
        if body_only && m.location != Location::Body {
            continue;
        }
        let mut v = s.member(i).map_or(ValueRef::Null, Value::get);
        if m.idempotency_token && rest::is_unset_token(&v) {
            v = ValueRef::Str(token.insert(rest::idempotency_token()));
        }
        if matches!(v, ValueRef::Null) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(out, m.wire_name());
        out.push(b':');
        write_value(out, m, v, depth + 1)?;
    }
    if first && matches!(s.shape().kind, ShapeKind::Union(_)) {
        // A union value must carry exactly one variant; an unknown variant
        // received from the service cannot be sent back.
        return Err(SerializeError::new(format!(
            "union {} has no variant set",
            s.shape().name
        )));
    }
    out.push(b'}');
    Ok(())
}

/// Appends one value of `member`'s target shape.
pub fn write_value(
    out: &mut Vec<u8>,
    member: &Member,
    v: ValueRef<'_>,
    depth: usize,
) -> Result<(), SerializeError> {
    if depth > MAX_DEPTH {
        return Err(depth_error());
    }
    match v {
        ValueRef::Null => out.extend_from_slice(b"null"),
        ValueRef::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        ValueRef::Int(i) => write_display(out, i),
        ValueRef::Float(f) => write_float(out, f, member.target.kind),
        ValueRef::Str(s) => write_str(out, s),
        ValueRef::Blob(b) => {
            out.push(b'"');
            out.extend_from_slice(BASE64.encode(b).as_bytes());
            out.push(b'"');
        }
        ValueRef::Stream(s) => {
            let bytes = s.bytes().ok_or_else(|| {
                SerializeError::new(format!(
                    "{}: a streaming body cannot be embedded in a JSON document",
                    member.name
                ))
            })?;
            out.push(b'"');
            out.extend_from_slice(BASE64.encode(&bytes).as_bytes());
            out.push(b'"');
        }
        ValueRef::Timestamp(t) => match member
            .timestamp_format()
            .unwrap_or(TimestampFormat::UnixTimestamp)
        {
            TimestampFormat::UnixTimestamp => {
                let mut s = String::new();
                timestamp::write(&mut s, t, TimestampFormat::UnixTimestamp);
                out.extend_from_slice(s.as_bytes());
            }
            f => write_str(out, &timestamp::format(t, f)),
        },
        // A `jsonvalue` member travels as a string holding its JSON text.
        ValueRef::Document(d) if member.json_value => write_str(out, &d.to_json_text()),
        ValueRef::Document(d) => write_document(out, d, depth)?,
        ValueRef::Struct(s) => write_struct(out, s, false, depth)?,
        ValueRef::List(list) => {
            let ShapeKind::List(ls) = member.target.kind else {
                return Err(SerializeError::new(format!(
                    "{} is not a list",
                    member.target.name
                )));
            };
            out.push(b'[');
            for i in 0..list.len() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, &ls.member, list.item(i).get(), depth + 1)?;
            }
            out.push(b']');
        }
        ValueRef::Map(map) => {
            let ShapeKind::Map(ms) = member.target.kind else {
                return Err(SerializeError::new(format!(
                    "{} is not a map",
                    member.target.name
                )));
            };
            out.push(b'{');
            for (i, (k, v)) in map.sorted_entries().into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(out, k);
                out.push(b':');
                write_value(out, &ms.value, v.get(), depth + 1)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

/// Builds a json-protocol request.
pub fn serialize_request(
    service: &Service,
    op: &Operation,
    input: &dyn Struct,
) -> Result<HttpRequest, SerializeError> {
    let mut body = Vec::with_capacity(256);
    write_struct(&mut body, input, false, 0)?;
    let version = if service.json_version.is_empty() {
        "1.0"
    } else {
        service.json_version
    };
    let mut headers = vec![
        (
            "X-Amz-Target".to_owned(),
            format!("{}.{}", service.target_prefix, op.name),
        ),
        (
            "Content-Type".to_owned(),
            format!("application/x-amz-json-{version}"),
        ),
    ];
    if service.aws_query_compatible {
        // Asks the service for query-style error codes (`x-amzn-query-error`).
        headers.push(("x-amzn-query-mode".to_owned(), "true".to_owned()));
    }
    Ok(HttpRequest {
        method: "POST",
        uri: "/".to_owned(),
        headers,
        body,
        stream: None,
        host_prefix: rest::expand_host_prefix(op, input)?,
    })
}

// ---------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------

mod read;

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// Parses a JSON object body into `target`. A blank body leaves it unchanged.
/// With `body_only`, keys of members bound elsewhere (headers, ...) are ignored.
///
/// `null` never creates a list element, map entry or union variant (except
/// in sparse collections, where it is kept as `None`); unknown keys are
/// skipped, and a union records one as an unknown variant (`__type` aside).
/// Nesting is bounded, so hostile input yields an error, not a stack overflow.
pub fn parse_struct(
    body: &[u8],
    target: &mut dyn Struct,
    body_only: bool,
) -> Result<(), DeserializeError> {
    if is_blank(body) {
        return Ok(());
    }
    read::Reader::new(body)?.top_struct(target, body_only)
}

/// Parses a JSON body as the value of member `i` of `target` (a REST payload).
/// A blank body leaves the member unset.
pub fn parse_member(
    body: &[u8],
    target: &mut dyn Struct,
    i: usize,
) -> Result<(), DeserializeError> {
    if is_blank(body) {
        return Ok(());
    }
    let member = target.shape().members().get(i).ok_or_else(|| {
        DeserializeError::new(format!("no member {i} in {}", target.shape().name))
    })?;
    read::Reader::new(body)?.top_member(member, target, i)
}

/// Parses a successful json-protocol response.
pub fn parse_response(
    response: &HttpResponse,
    output: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    parse_struct(&response.body, output, false)
}

// ---------------------------------------------------------------------------
// Errors (json and rest-json)
// ---------------------------------------------------------------------------

/// Strips a namespace (`aws.foo#Code`) and a `:`-suffix (`Code:http://...`).
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// The fields of an error body the envelope needs.
#[derive(Default)]
struct ErrorFields {
    type_: Option<String>,
    code: Option<String>,
    message: Option<String>,
}

fn read_error_fields(body: &[u8]) -> ErrorFields {
    let mut f = ErrorFields::default();
    if is_blank(body) {
        return f;
    }
    // The error path is cold; a tree keeps this simple. A malformed body
    // still yields an envelope (from headers / status) rather than failing.
    let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return f;
    };
    let text = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    f.type_ = text("__type");
    f.code = text("code").or_else(|| text("Code"));
    f.message = text("message")
        .or_else(|| text("Message"))
        .or_else(|| text("errorMessage"));
    f
}

/// Reads code, message and request id of a json / rest-json error response.
pub fn parse_error_envelope(
    service: &Service,
    op: &Operation,
    response: &HttpResponse,
) -> ErrorEnvelope {
    let fields = read_error_fields(&response.body);
    let raw = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or(fields.type_)
        .or(fields.code);
    let mut code = raw
        .as_deref()
        .map(sanitize_error_code)
        .unwrap_or_default()
        .to_owned();
    if code.is_empty() {
        code = format!("Http{}", response.status);
    }
    let mut matched = super::find_error(service, op, &code);
    if service.aws_query_compatible {
        // `x-amzn-query-error: Code;Fault` carries the query-era code, which
        // callers match on; it wins over the JSON type.
        if let Some(q) = response.header("x-amzn-query-error") {
            let qcode = q.split(';').next().unwrap_or(q).trim();
            if !qcode.is_empty() {
                code = qcode.to_owned();
                matched = super::find_error(service, op, qcode).or(matched);
            }
        }
    }
    ErrorEnvelope {
        code,
        message: fields.message,
        request_id: rest::request_id(response),
        extended_request_id: None,
        matched,
    }
}

/// Fills a modeled error from a json-protocol error body.
pub fn parse_error_body(
    response: &HttpResponse,
    error: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    parse_struct(&response.body, error, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ErrorMatch;
    use crate::protocol::fixtures::*;
    use crate::types::{Blob, DateTime};
    use std::collections::HashMap;

    fn sample() -> Item {
        let mut m = HashMap::new();
        m.insert("b".to_owned(), AttrValue::N("1".into()));
        m.insert(
            "a".to_owned(),
            AttrValue::L(vec![
                AttrValue::S("x\"y\n".into()),
                AttrValue::M(HashMap::new()),
            ]),
        );
        Item {
            name: "n\u{1}é".into(),
            count: Some(-3),
            ratio: Some(1.1),
            data: Some(Blob::from("hi")),
            when: Some(DateTime::from_secs_and_nanos(1_576_540_098, 500_000_000)),
            tags: Some(vec!["a".into(), "b".into()]),
            attrs: Some(m),
            doc: Some(Document::Array(vec![Document::Null, Document::Bool(true)])),
            sparse: Some(vec![Some("s".into()), None]),
            child: Some(Box::new(Item {
                name: "c".into(),
                ratio: Some(f32::NAN),
                ..Item::default()
            })),
            iso: Some(DateTime::from_secs(0)),
        }
    }

    fn body_of(s: &dyn Struct) -> String {
        let mut out = Vec::new();
        write_struct(&mut out, s, false, 0).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_every_kind_in_model_order() {
        assert_eq!(
            body_of(&sample()),
            concat!(
                r#"{"Name":"n\u0001é","count":-3,"Ratio":1.1,"Data":"aGk=","When":1576540098.5,"#,
                r#""Tags":["a","b"],"Attrs":{"a":{"L":[{"S":"x\"y\n"},{"M":{}}]},"b":{"N":"1"}},"#,
                r#""Doc":[null,true],"Sparse":["s",null],"Child":{"Name":"c","Ratio":"NaN"},"#,
                r#""Iso":"1970-01-01T00:00:00Z"}"#
            )
        );
        assert_eq!(body_of(&Item::default()), r#"{"Name":""}"#);
    }

    #[test]
    fn round_trips_through_the_parser() {
        let item = sample();
        let body = body_of(&item);
        let mut back = Item::default();
        parse_struct(body.as_bytes(), &mut back, false).unwrap();
        // NaN != NaN, so compare the child's ratio separately.
        let child = back.child.as_mut().unwrap();
        assert!(child.ratio.unwrap().is_nan());
        child.ratio = None;
        let mut expected = item;
        expected.child.as_mut().unwrap().ratio = None;
        assert_eq!(back, expected);
    }

    #[test]
    fn parser_is_lenient_where_the_protocol_allows() {
        let body = br#"{
            "Unknown": {"deep": [1, 2, {"x": null}]},
            "Name": "n", "count": null,
            "Tags": ["a", null, "b"],
            "Sparse": [null, "x"],
            "Attrs": {"k": {"__type": "AttrValue", "S": "v"}, "u": {"NEW": 1}, "z": null},
            "When": "2019-12-16T23:48:18Z",
            "Iso": 1576540098
        }"#;
        let mut item = Item::default();
        parse_struct(body, &mut item, false).unwrap();
        assert_eq!(item.name, "n");
        assert_eq!(item.count, None);
        assert_eq!(item.tags, Some(vec!["a".into(), "b".into()]));
        assert_eq!(item.sparse, Some(vec![None, Some("x".into())]));
        let attrs = item.attrs.unwrap();
        assert_eq!(attrs.len(), 2);
        assert_eq!(attrs["k"], AttrValue::S("v".into()));
        assert_eq!(attrs["u"], AttrValue::Unknown("NEW".into()));
        assert_eq!(item.when, Some(DateTime::from_secs(1_576_540_098)));
        assert_eq!(item.iso, Some(DateTime::from_secs(1_576_540_098)));
        // Blank and null bodies leave the output untouched.
        let mut empty = Item::default();
        parse_struct(b"  ", &mut empty, false).unwrap();
        parse_struct(b"null", &mut empty, false).unwrap();
        assert_eq!(empty, Item::default());
    }

    #[test]
    fn parser_rejects_bad_input_without_panicking() {
        let cases: &[&[u8]] = &[
            br#"{"count": 2147483648}"#,
            br#"{"count": 1.5}"#,
            br#"{"count": 1e400}"#,
            br#"{"count": "1"}"#,
            br#"{"Name": 1}"#,
            br#"{"Data": "not base64!"}"#,
            br#"{"When": "yesterday"}"#,
            br#"{"Tags": {}}"#,
            br#"{"Name": "a"} trailing"#,
            br#"{"Name": "#,
            b"[1]",
        ];
        for body in cases {
            let mut item = Item::default();
            assert!(
                parse_struct(body, &mut item, false).is_err(),
                "accepted {}",
                String::from_utf8_lossy(body)
            );
        }
        // Deep nesting hits the recursion limit, not the stack.
        let deep = format!("{}{}", r#"{"Child":"#.repeat(5000), "}".repeat(5000));
        assert!(parse_struct(deep.as_bytes(), &mut Item::default(), false).is_err());
        let doc = format!(
            r#"{{"Doc":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(parse_struct(doc.as_bytes(), &mut Item::default(), false).is_err());
    }

    #[test]
    fn corrupted_bodies_never_panic() {
        // Every truncation and a sweep of single-byte corruptions of a valid
        // body must give Ok or Err, never a panic.
        let body = body_of(&sample()).into_bytes();
        for end in 0..body.len() {
            let _ = parse_struct(&body[..end], &mut Item::default(), false);
        }
        for i in 0..body.len() {
            for b in [b'"', b'{', b']', b'0', b'\\', 0xff, b'-', b'e'] {
                let mut bad = body.clone();
                bad[i] = b;
                let _ = parse_struct(&bad, &mut Item::default(), false);
            }
        }
    }

    #[test]
    fn union_without_variant_is_an_error() {
        let item = Item {
            attrs: Some(HashMap::from([("k".to_owned(), AttrValue::default())])),
            ..Item::default()
        };
        let err = write_struct(&mut Vec::new(), &item, false, 0).unwrap_err();
        assert!(err.message.contains("AttrValue"), "{err}");
    }

    #[test]
    fn writer_bounds_depth() {
        let mut item = Item::default();
        for _ in 0..200 {
            item = Item {
                child: Some(Box::new(item)),
                ..Item::default()
            };
        }
        let mut out = Vec::new();
        assert!(write_struct(&mut out, &item, false, 0).is_err());
    }

    #[test]
    fn request_has_target_and_content_type() {
        let req = serialize_request(&JSON_SERVICE, &PUT_ITEM, &Item::default()).unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(req.uri, "/");
        assert_eq!(
            req.header("x-amz-target"),
            Some("TestService_20200101.PutItem")
        );
        assert_eq!(
            req.header("content-type"),
            Some("application/x-amz-json-1.1")
        );
        assert_eq!(req.header("x-amzn-query-mode"), None);
        assert_eq!(req.body, br#"{"Name":""}"#);
        let unit = serialize_request(&QUERY_COMPATIBLE_SERVICE, &PUT_ITEM, &crate::Unit).unwrap();
        assert_eq!(unit.body, b"{}");
        assert_eq!(
            unit.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        assert_eq!(unit.header("x-amzn-query-mode"), Some("true"));
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn error_codes_come_from_header_then_body() {
        let env = parse_error_envelope(
            &JSON_SERVICE,
            &PUT_ITEM,
            &response(
                400,
                &[
                    (
                        "X-Amzn-Errortype",
                        "aws.test#ResourceNotFound:http://internal/",
                    ),
                    ("x-amzn-RequestId", "req-1"),
                ],
                r#"{"__type": "Other", "Message": "gone"}"#,
            ),
        );
        assert_eq!(env.code, "ResourceNotFound");
        assert_eq!(env.matched, Some(ErrorMatch::Operation(0)));
        assert_eq!(env.message.as_deref(), Some("gone"));
        assert_eq!(env.request_id.as_deref(), Some("req-1"));

        let by_type = parse_error_envelope(
            &JSON_SERVICE,
            &PUT_ITEM,
            &response(
                400,
                &[],
                r#"{"__type": "com.amazon#NotFoundException", "message": "m"}"#,
            ),
        );
        assert_eq!(
            (by_type.code.as_str(), by_type.matched),
            ("NotFoundException", Some(ErrorMatch::Operation(0)))
        );

        let by_code = parse_error_envelope(
            &JSON_SERVICE,
            &PUT_ITEM,
            &response(429, &[], r#"{"code": "Throttled", "errorMessage": "slow"}"#),
        );
        assert_eq!(
            (by_code.code.as_str(), by_code.matched),
            ("Throttled", Some(ErrorMatch::Operation(1)))
        );
        assert_eq!(by_code.message.as_deref(), Some("slow"));

        let unknown = parse_error_envelope(&JSON_SERVICE, &PUT_ITEM, &response(503, &[], "<html>"));
        assert_eq!((unknown.code.as_str(), unknown.matched), ("Http503", None));
    }

    #[test]
    fn query_compatible_errors_use_the_query_code() {
        let env = parse_error_envelope(
            &QUERY_COMPATIBLE_SERVICE,
            &PUT_ITEM,
            &response(
                404,
                &[("x-amzn-query-error", "ResourceNotFound;Sender")],
                r#"{"__type": "aws#NotFoundException", "message": "Hi"}"#,
            ),
        );
        assert_eq!(
            (env.code.as_str(), env.matched),
            ("ResourceNotFound", Some(ErrorMatch::Operation(0)))
        );
        let mut err = NotFound::default();
        parse_error_body(
            &response(404, &[], r#"{"__type":"x","message":"Hi"}"#),
            &mut err,
        )
        .unwrap();
        assert_eq!(err.message.as_deref(), Some("Hi"));
    }

    #[test]
    fn sanitizes_codes() {
        assert_eq!(sanitize_error_code("aws.a#B:http://x/y"), "B");
        assert_eq!(sanitize_error_code("B"), "B");
        assert_eq!(sanitize_error_code("a#b#C"), "C");
    }
}
