//! HTTP bindings shared by the REST protocols (rest-json and rest-xml):
//! URI labels, query string, headers, prefix headers, host prefix and
//! status code. Each REST protocol calls [`serialize_bindings`] for
//! everything outside the body and writes the body itself; on the way back
//! it calls [`parse_bindings`] and reads the body itself.
//!
//! Semantics follow botocore's `BaseRestSerializer` / `BaseRestParser` and
//! the Smithy HTTP binding rules the compliance suites encode.

use crate::error::{DeserializeError, SerializeError};
use crate::protocol::{HttpRequest, HttpResponse};
use crate::schema::{Location, Member, Operation, Shape, ShapeKind, TimestampFormat};
use crate::timestamp;
use crate::value::{Struct, Value, ValueRef};
use base64::Engine as _;
use std::cell::RefCell;

/// Standard base64 (with padding), used for blobs in headers and `jsonvalue` headers.
pub(crate) const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

thread_local! {
    static TOKEN_OVERRIDE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Makes [`idempotency_token`] return `token` on this thread (or a fresh
/// UUID again with `None`), so tests can compare requests byte for byte.
pub fn override_idempotency_token(token: Option<String>) {
    TOKEN_OVERRIDE.with(|t| *t.borrow_mut() = token);
}

/// A fresh idempotency token: a random UUID v4, unless overridden for tests.
pub fn idempotency_token() -> String {
    TOKEN_OVERRIDE
        .with(|t| t.borrow().clone())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Whether a value counts as "not set" for idempotency-token filling:
/// absent, or an empty string (required members cannot be `None`).
pub fn is_unset_token(v: &ValueRef<'_>) -> bool {
    matches!(v, ValueRef::Null) || matches!(v, ValueRef::Str(s) if s.is_empty())
}

/// Appends `s` percent-encoded the way AWS signs it: unreserved characters
/// (`A-Za-z0-9-_.~`) stay, everything else becomes `%XX` (uppercase);
/// `keep_slash` keeps `/` (greedy labels).
pub fn percent_encode_into(out: &mut String, s: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

/// `s` percent-encoded (see [`percent_encode_into`]).
pub fn percent_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s, keep_slash);
    out
}

/// A float as text on the wire: `NaN`, `Infinity`, `-Infinity` for the
/// special values; `f32` members print at their own precision (1.1, not
/// 1.100000023841858).
pub fn format_float(v: f64, kind: ShapeKind) -> String {
    if v.is_nan() {
        "NaN".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if matches!(kind, ShapeKind::Float) {
        (v as f32).to_string()
    } else {
        v.to_string()
    }
}

/// Parses a float from text, accepting the special-value spellings.
pub fn parse_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

/// A scalar value as text for a URI label, query value or header, or
/// `None` if the value is unset. `default_ts` is the location's default
/// timestamp format.
fn scalar_text(
    member: &Member,
    value: ValueRef<'_>,
    default_ts: TimestampFormat,
) -> Result<Option<String>, SerializeError> {
    Ok(Some(match value {
        ValueRef::Null => return Ok(None),
        ValueRef::Str(s) => {
            if member.json_value {
                BASE64.encode(s)
            } else {
                s.to_owned()
            }
        }
        ValueRef::Bool(b) => b.to_string(),
        ValueRef::Int(i) => i.to_string(),
        ValueRef::Float(f) => format_float(f, member.target.kind),
        ValueRef::Timestamp(t) => {
            timestamp::format(t, member.timestamp_format().unwrap_or(default_ts))
        }
        ValueRef::Blob(b) => BASE64.encode(b),
        // A `jsonvalue` header: the value's JSON text, base64-encoded.
        ValueRef::Document(d) if member.json_value => BASE64.encode(d.to_json_text()),
        ValueRef::Document(_)
        | ValueRef::Stream(_)
        | ValueRef::Struct(_)
        | ValueRef::List(_)
        | ValueRef::Map(_) => {
            return Err(SerializeError::new(format!(
                "member {} cannot be bound to the URI, query string or a header",
                member.name
            )));
        }
    }))
}

/// Quotes a string list element for a header when it holds `,` or `"`.
fn quote_header_item(s: &str) -> String {
    if s.contains([',', '"']) {
        let mut q = String::with_capacity(s.len() + 2);
        q.push('"');
        for c in s.chars() {
            if c == '"' || c == '\\' {
                q.push('\\');
            }
            q.push(c);
        }
        q.push('"');
        q
    } else {
        s.to_owned()
    }
}

/// The value of member `i`, with an idempotency token filled in when unset.
fn member_value<'a>(
    input: &'a dyn Struct,
    i: usize,
    m: &Member,
    token: &'a mut Option<String>,
) -> ValueRef<'a> {
    let v = input.member(i).map_or(ValueRef::Null, Value::get);
    if m.idempotency_token && is_unset_token(&v) {
        return ValueRef::Str(token.insert(idempotency_token()));
    }
    v
}

/// Builds method, URI (path labels and query string), headers and host
/// prefix for `op` from `input`. The body is left empty for the protocol.
pub fn serialize_bindings(
    op: &Operation,
    input: &dyn Struct,
) -> Result<HttpRequest, SerializeError> {
    let shape = input.shape();
    let members = shape.members();
    let (path_template, literal_query) = match op.request_uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (op.request_uri, None),
    };

    // Path with labels.
    let mut uri = String::with_capacity(path_template.len() + 32);
    let mut rest = path_template;
    while let Some(open) = rest.find('{') {
        uri.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            SerializeError::new(format!("unterminated label in {:?}", op.request_uri))
        })?;
        let label = &after[..close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        let (i, m) = members
            .iter()
            .enumerate()
            .find(|(_, m)| m.location == Location::Uri && m.wire_name() == name)
            .ok_or_else(|| {
                SerializeError::new(format!("no member is bound to URI label {name}"))
            })?;
        let mut token = None;
        let text = scalar_text(
            m,
            member_value(input, i, m, &mut token),
            TimestampFormat::Iso8601,
        )?
        .ok_or_else(|| {
            SerializeError::new(format!("URI label {} ({}) is not set", name, m.name))
        })?;
        if text.is_empty() {
            return Err(SerializeError::new(format!(
                "URI label {} ({}) is empty",
                name, m.name
            )));
        }
        percent_encode_into(&mut uri, &text, greedy);
        rest = &after[close + 1..];
    }
    uri.push_str(rest);

    // Query string: literal part of the request URI, then named members in
    // model order, then map members (a key already present wins).
    let mut query: Vec<(String, String)> = Vec::new();
    let mut literal_keys: Vec<&str> = Vec::new();
    let mut query_text = String::new();
    if let Some(q) = literal_query.filter(|q| !q.is_empty()) {
        query_text.push_str(q);
        literal_keys.extend(
            q.split('&')
                .map(|kv| kv.split_once('=').map_or(kv, |(k, _)| k)),
        );
    }
    let mut maps: Vec<usize> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let mut token = None;
        match m.location {
            Location::QueryString => {
                let v = member_value(input, i, m, &mut token);
                match v {
                    ValueRef::Map(_) => maps.push(i),
                    ValueRef::List(list) => {
                        let item_member = list_item_member(m.target)?;
                        for j in 0..list.len() {
                            if let Some(t) = scalar_text(
                                item_member,
                                list.item(j).get(),
                                TimestampFormat::Iso8601,
                            )? {
                                query.push((m.wire_name().to_owned(), t));
                            }
                        }
                    }
                    v => {
                        if let Some(t) = scalar_text(m, v, TimestampFormat::Iso8601)? {
                            query.push((m.wire_name().to_owned(), t));
                        }
                    }
                }
            }
            Location::Header => {
                let v = member_value(input, i, m, &mut token);
                match v {
                    // An empty list sends no header at all (not `X: `), as in botocore.
                    ValueRef::List(list) if list.is_empty() => {}
                    ValueRef::List(list) => {
                        let item_member = list_item_member(m.target)?;
                        let mut joined = String::new();
                        for j in 0..list.len() {
                            let item = list.item(j).get();
                            let Some(t) = scalar_text(item_member, item, TimestampFormat::Rfc822)?
                            else {
                                continue;
                            };
                            if !joined.is_empty() {
                                joined.push_str(", ");
                            }
                            if matches!(item, ValueRef::Str(_)) {
                                joined.push_str(&quote_header_item(&t));
                            } else {
                                joined.push_str(&t);
                            }
                        }
                        headers.push((m.wire_name().to_owned(), joined));
                    }
                    v => {
                        if let Some(t) = scalar_text(m, v, TimestampFormat::Rfc822)? {
                            headers.push((m.wire_name().to_owned(), t));
                        }
                    }
                }
            }
            Location::Headers => {
                if let Some(ValueRef::Map(map)) = input.member(i).map(Value::get) {
                    let value_member = map_value_member(m.target)?;
                    for (k, v) in map.sorted_entries() {
                        if let Some(t) =
                            scalar_text(value_member, v.get(), TimestampFormat::Rfc822)?
                        {
                            headers.push((format!("{}{}", m.wire_name(), k), t));
                        }
                    }
                }
            }
            Location::Body | Location::Uri | Location::StatusCode => {}
        }
    }
    for i in maps {
        let m = &members[i];
        let Some(ValueRef::Map(map)) = input.member(i).map(Value::get) else {
            continue;
        };
        let value_member = map_value_member(m.target)?;
        for (k, v) in map.sorted_entries() {
            if literal_keys.contains(&k) || query.iter().any(|(qk, _)| qk == k) {
                continue;
            }
            match v.get() {
                ValueRef::List(list) => {
                    let item_member = list_item_member(value_member.target)?;
                    for j in 0..list.len() {
                        if let Some(t) =
                            scalar_text(item_member, list.item(j).get(), TimestampFormat::Iso8601)?
                        {
                            query.push((k.to_owned(), t));
                        }
                    }
                }
                v => {
                    if let Some(t) = scalar_text(value_member, v, TimestampFormat::Iso8601)? {
                        query.push((k.to_owned(), t));
                    }
                }
            }
        }
    }
    for (k, v) in &query {
        if !query_text.is_empty() {
            query_text.push('&');
        }
        percent_encode_into(&mut query_text, k, false);
        query_text.push('=');
        percent_encode_into(&mut query_text, v, false);
    }
    if !query_text.is_empty() {
        uri.push('?');
        uri.push_str(&query_text);
    }

    Ok(HttpRequest {
        method: op.http_method,
        uri,
        headers,
        body: Vec::new(),
        stream: None,
        host_prefix: expand_host_prefix(op, input)?,
    })
}

/// The operation's `hostPrefix` with `{Label}`s replaced by `hostLabel` members.
pub fn expand_host_prefix(
    op: &Operation,
    input: &dyn Struct,
) -> Result<Option<String>, SerializeError> {
    let Some(template) = op.host_prefix else {
        return Ok(None);
    };
    let members = input.shape().members();
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| {
            SerializeError::new(format!("unterminated label in host prefix {template:?}"))
        })?;
        let name = &after[..close];
        let i = members
            .iter()
            .position(|m| m.name == name)
            .ok_or_else(|| SerializeError::new(format!("no member for host label {name}")))?;
        let value = match input.member(i).map(Value::get) {
            Some(ValueRef::Str(s)) => s,
            _ => return Err(SerializeError::new(format!("host label {name} is not set"))),
        };
        // A label must be a valid DNS label so it cannot redirect the request.
        if value.is_empty()
            || !value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            return Err(SerializeError::new(format!(
                "host label {name} must be a non-empty host name part, got {value:?}"
            )));
        }
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(Some(out))
}

fn list_item_member(shape: &'static Shape) -> Result<&'static Member, SerializeError> {
    match shape.kind {
        ShapeKind::List(l) => Ok(&l.member),
        _ => Err(SerializeError::new(format!("{} is not a list", shape.name))),
    }
}

fn map_value_member(shape: &'static Shape) -> Result<&'static Member, SerializeError> {
    match shape.kind {
        ShapeKind::Map(m) => Ok(&m.value),
        _ => Err(SerializeError::new(format!("{} is not a map", shape.name))),
    }
}

/// The structure's `payload` member, if any: (index, member).
pub fn payload_member(shape: &'static Shape) -> Option<(usize, &'static Member)> {
    let s = shape.structure()?;
    let i = s.payload?;
    s.members.get(i).map(|m| (i, m))
}

/// Whether the structure has members that go in the body (no HTTP binding).
pub fn has_body_members(shape: &'static Shape) -> bool {
    shape.members().iter().any(|m| m.location == Location::Body)
}

/// Whether a payload member is sent raw (blob or string, streaming or not)
/// rather than serialized by the protocol.
pub fn is_raw_payload(m: &Member) -> bool {
    matches!(m.target.kind, ShapeKind::Blob | ShapeKind::String)
}

/// Sets the body of `req` to a blob/string payload value, or its stream to
/// a streaming one. Returns whether the value was a raw payload.
pub fn set_raw_payload(req: &mut HttpRequest, v: ValueRef<'_>) -> bool {
    match v {
        ValueRef::Blob(b) => req.body = b.to_vec(),
        ValueRef::Str(s) => req.body = s.as_bytes().to_vec(),
        ValueRef::Stream(s) => req.stream = Some(s.take_for_request()),
        _ => return false,
    }
    true
}

/// Content-Type for a raw payload member: text for strings, octet-stream for blobs.
pub fn raw_payload_content_type(m: &Member) -> &'static str {
    if matches!(m.target.kind, ShapeKind::String) {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

/// Adds `name: value` unless a header with that name is already present
/// (a modeled member such as `Content-Type` wins).
pub fn set_default_header(req: &mut HttpRequest, name: &str, value: &str) {
    if req.header(name).is_none() {
        req.headers.push((name.to_owned(), value.to_owned()));
    }
}

/// Splits a header list value into items: comma-separated, whitespace
/// trimmed, double-quoted items may contain commas and `\"` escapes.
pub fn split_header_list(s: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            item.push(n);
                        }
                    }
                    '"' => break,
                    c => item.push(c),
                }
            }
            // Skip anything up to the separator.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
            items.push(item);
            if chars.peek().is_none() {
                break;
            }
        } else {
            let mut ended = true;
            for c in chars.by_ref() {
                if c == ',' {
                    ended = false;
                    break;
                }
                item.push(c);
            }
            items.push(item.trim_end().to_owned());
            if ended {
                break;
            }
        }
    }
    items
}

/// Splits a header list of HTTP dates, whose own commas (`Mon, 16 Dec ...`)
/// are not separators: every second comma is.
fn split_http_date_list(s: &str) -> Vec<String> {
    let parts: Vec<&str> = s.split(',').collect();
    parts
        .chunks(2)
        .map(|c| c.iter().map(|p| p.trim()).collect::<Vec<_>>().join(", "))
        .collect()
}

/// Sets `slot` from header text according to `member`'s target type.
fn set_from_text(
    member: &Member,
    text: &str,
    slot: &mut dyn Value,
    default_ts: TimestampFormat,
) -> Result<(), DeserializeError> {
    let bad =
        |what: &str| DeserializeError::new(format!("invalid {what} {text:?} for {}", member.name));
    match member.target.kind {
        ShapeKind::String => {
            if member.json_value {
                let bytes = BASE64
                    .decode(text.trim())
                    .map_err(|_| bad("base64 JSON value"))?;
                let s = String::from_utf8(bytes).map_err(|_| bad("UTF-8 JSON value"))?;
                slot.set_string(s)?;
            } else {
                slot.set_str(text)?;
            }
        }
        ShapeKind::Document if member.json_value => {
            let bytes = BASE64
                .decode(text.trim())
                .map_err(|_| bad("base64 JSON value"))?;
            let json = std::str::from_utf8(&bytes).map_err(|_| bad("UTF-8 JSON value"))?;
            let doc =
                crate::types::Document::from_json_text(json).map_err(|_| bad("JSON value"))?;
            slot.set_document(doc)?;
        }
        ShapeKind::Boolean => match text.trim() {
            "true" => slot.set_bool(true)?,
            "false" => slot.set_bool(false)?,
            _ => return Err(bad("boolean")),
        },
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::IntEnum => {
            let v: i64 = text.trim().parse().map_err(|_| bad("integer"))?;
            slot.set_int(v)?;
        }
        ShapeKind::Float | ShapeKind::Double => {
            slot.set_float(parse_float(text.trim()).ok_or_else(|| bad("number"))?)?;
        }
        ShapeKind::Timestamp => {
            let fmt = member.timestamp_format().unwrap_or(default_ts);
            slot.set_timestamp(timestamp::parse(text, fmt)?)?;
        }
        ShapeKind::Blob => {
            slot.set_blob(BASE64.decode(text.trim()).map_err(|_| bad("base64"))?)?;
        }
        _ => {
            return Err(DeserializeError::new(format!(
                "member {} cannot be read from a header",
                member.name
            )));
        }
    }
    Ok(())
}

/// Reads header, prefix-header and status-code members of `output` from `response`.
pub fn parse_bindings(
    response: &HttpResponse,
    output: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    let shape = output.shape();
    for (i, m) in shape.members().iter().enumerate() {
        match m.location {
            Location::Header => {
                let Some(text) = response.header(m.wire_name()) else {
                    continue;
                };
                let Some(slot) = output.member_mut(i) else {
                    continue;
                };
                if let ShapeKind::List(list) = m.target.kind {
                    let item = &list.member;
                    let is_http_date = matches!(item.target.kind, ShapeKind::Timestamp)
                        && item.timestamp_format().unwrap_or(TimestampFormat::Rfc822)
                            == TimestampFormat::Rfc822;
                    let items = if is_http_date {
                        split_http_date_list(text)
                    } else {
                        split_header_list(text)
                    };
                    slot.init_list();
                    for t in items {
                        let elem = slot.push().ok_or_else(|| {
                            DeserializeError::new(format!("member {} is not a list", m.name))
                        })?;
                        set_from_text(item, &t, elem, TimestampFormat::Rfc822)?;
                    }
                } else {
                    set_from_text(m, text, slot, TimestampFormat::Rfc822)?;
                }
            }
            Location::Headers => {
                let ShapeKind::Map(map) = m.target.kind else {
                    continue;
                };
                // Without a `locationName` the map takes every header (botocore
                // reads the prefix as empty; it writes the member name).
                let prefix = m.location_name.unwrap_or("");
                let Some(slot) = output.member_mut(i) else {
                    continue;
                };
                for (name, value) in &response.headers {
                    let matches = name.len() >= prefix.len()
                        && name.is_char_boundary(prefix.len())
                        && name[..prefix.len()].eq_ignore_ascii_case(prefix);
                    if !matches {
                        continue;
                    }
                    let entry = slot
                        .insert(name[prefix.len()..].to_owned())
                        .ok_or_else(|| {
                            DeserializeError::new(format!("member {} is not a map", m.name))
                        })?;
                    set_from_text(&map.value, value, entry, TimestampFormat::Rfc822)?;
                }
            }
            Location::StatusCode => {
                if let Some(slot) = output.member_mut(i) {
                    slot.set_int(i64::from(response.status))?;
                }
            }
            Location::Body | Location::Uri | Location::QueryString => {}
        }
    }
    Ok(())
}

/// Stores a raw (blob/string) payload body in member `i` of `output`.
pub fn parse_raw_payload(
    body: &[u8],
    m: &Member,
    i: usize,
    output: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    let Some(slot) = output.member_mut(i) else {
        return Ok(());
    };
    if matches!(m.target.kind, ShapeKind::String) {
        let s = std::str::from_utf8(body)
            .map_err(|_| DeserializeError::new(format!("payload {} is not UTF-8", m.name)))?;
        slot.set_str(s)?;
    } else if m.target.streaming {
        slot.set_stream(crate::types::ByteStream::new(body.to_vec()))?;
    } else {
        slot.set_blob(body.to_vec())?;
    }
    Ok(())
}

/// The request id of a response, from the headers AWS services use for it.
pub fn request_id(response: &HttpResponse) -> Option<String> {
    response
        .header("x-amzn-requestid")
        .or_else(|| response.header("x-amz-request-id"))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_only_unreserved() {
        assert_eq!(
            percent_encode(" %:/?#[]@!$&'()*+,;=😹", false),
            "%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9"
        );
        assert_eq!(percent_encode("a/b c~", true), "a/b%20c~");
    }

    #[test]
    fn header_lists_split_with_quotes() {
        assert_eq!(split_header_list("a, b, c"), ["a", "b", "c"]);
        assert_eq!(
            split_header_list(r#""b,c", "\"def\"", a"#),
            ["b,c", "\"def\"", "a"]
        );
        assert_eq!(split_header_list("1,2"), ["1", "2"]);
        assert_eq!(
            split_http_date_list("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Mon, 16 Dec 2019 23:48:18 GMT"
            ]
        );
        assert_eq!(quote_header_item("b,c"), "\"b,c\"");
        assert_eq!(quote_header_item("\"def\""), r#""\"def\"""#);
        assert_eq!(quote_header_item("a"), "a");
    }

    #[test]
    fn floats_print_at_their_precision() {
        assert_eq!(format_float(f64::from(1.1f32), ShapeKind::Float), "1.1");
        assert_eq!(format_float(1.1, ShapeKind::Double), "1.1");
        assert_eq!(
            format_float(f64::NEG_INFINITY, ShapeKind::Double),
            "-Infinity"
        );
        assert!(parse_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_float("x"), None);
    }

    #[test]
    fn token_override_is_used() {
        override_idempotency_token(Some("fixed".into()));
        assert_eq!(idempotency_token(), "fixed");
        override_idempotency_token(None);
        let t = idempotency_token();
        assert_eq!(t.len(), 36);
        assert_ne!(t, idempotency_token());
    }
}
