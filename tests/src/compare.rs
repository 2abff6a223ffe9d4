//! Comparators for the protocol compliance cases, following the rules in
//! `tests/protocol/README.md` (those of botocore's own harness).
//!
//! Every comparator returns `Err` with a message naming the first difference
//! (header name, body path, byte offset) so protocol authors can act on it.

use base64::Engine as _;
use botogen_runtime::protocol::HttpRequest;
use botogen_runtime::schema::{Shape, ShapeKind};
use botogen_runtime::testing::json_equal;
use serde_json::Value as Json;

/// Compares a serialized request with a case's `serialized` object.
///
/// `client_endpoint` is the suite's `clientEndpoint` (its path is prefixed to
/// the URI and its host is where `host` is checked).
///
/// `body_shape` is the shape the body serializes (the input, or its payload
/// member's target); XML map entries under it compare in any order.
pub fn compare_request(
    protocol: &str,
    expected: &Json,
    request: &HttpRequest,
    client_endpoint: Option<&str>,
    body_shape: Option<&'static Shape>,
) -> Result<(), String> {
    let (endpoint_host, endpoint_path) = split_endpoint(client_endpoint.unwrap_or(""));

    if let Some(method) = expected.get("method").and_then(Json::as_str)
        && method != request.method
    {
        return Err(format!(
            "method: expected {method}, found {}",
            request.method
        ));
    }

    if let Some(uri) = expected.get("uri").and_then(Json::as_str) {
        let actual = format!("{}{}", endpoint_path.trim_end_matches('/'), request.uri);
        if uri != actual {
            return Err(format!("uri: expected {uri:?}, found {actual:?}"));
        }
    }

    if let Some(host) = expected.get("host").and_then(Json::as_str) {
        let actual = format!(
            "{}{}{}",
            request.host_prefix.as_deref().unwrap_or(""),
            endpoint_host,
            endpoint_path
        );
        if host != actual {
            return Err(format!(
                "host: expected {host:?}, found {actual:?} (host prefix {:?})",
                request.host_prefix
            ));
        }
    }

    // The transport adds Content-Length for a non-empty body; do the same so
    // `requireHeaders: [Content-Length]` reflects what goes on the wire.
    // A streaming payload's bytes are in `request.stream` (in memory here).
    let sent = request
        .body_bytes()
        .ok_or("the request body is not in memory")?;
    let mut headers = request.headers.clone();
    if !sent.is_empty() && request.header("content-length").is_none() {
        headers.push(("Content-Length".into(), sent.len().to_string()));
    }
    compare_headers(expected, &headers)?;

    if let Some(body) = expected.get("body").and_then(Json::as_str) {
        compare_body(protocol, body, sent, body_shape)?;
    }
    Ok(())
}

/// `https://example.com/custom` → (`example.com`, `/custom`).
fn split_endpoint(endpoint: &str) -> (&str, &str) {
    let rest = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    }
}

fn compare_headers(expected: &Json, headers: &[(String, String)]) -> Result<(), String> {
    let values = |name: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    if let Some(Json::Object(map)) = expected.get("headers") {
        for (name, want) in map {
            let want = match want {
                Json::String(s) => s.clone(),
                other => other.to_string(),
            };
            let found = values(name);
            if found.is_empty() {
                return Err(format!(
                    "header {name}: missing (expected {want:?}); headers sent: {}",
                    show_headers(headers)
                ));
            }
            let joined = found.join(", ");
            if !header_matches(name, &want, &joined) {
                return Err(format!(
                    "header {name}: expected {want:?}, found {joined:?}"
                ));
            }
        }
    }
    for name in string_list(expected.get("requireHeaders")) {
        if values(name).is_empty() {
            return Err(format!(
                "header {name}: required but missing; headers sent: {}",
                show_headers(headers)
            ));
        }
    }
    for name in string_list(expected.get("forbidHeaders")) {
        let found = values(name);
        if !found.is_empty() {
            return Err(format!(
                "header {name}: forbidden but sent as {:?}",
                found.join(", ")
            ));
        }
    }
    Ok(())
}

fn string_list(v: Option<&Json>) -> impl Iterator<Item = &str> {
    v.and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
}

fn show_headers(headers: &[(String, String)]) -> String {
    let parts: Vec<String> = headers.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("[{}]", parts.join("; "))
}

/// Exact, or equal as lists split on `,` (joined by `,` or `, `), or a
/// Content-Type with an extra `; charset=utf-8`.
fn header_matches(name: &str, want: &str, found: &str) -> bool {
    if want == found {
        return true;
    }
    let items = |s: &str| -> Vec<String> { s.split(',').map(|p| p.trim().to_owned()).collect() };
    if items(want) == items(found) {
        return true;
    }
    if name.eq_ignore_ascii_case("content-type") {
        let base = found.split(';').next().unwrap_or(found).trim().to_owned();
        let charset_only = found
            .split(';')
            .skip(1)
            .all(|p| p.trim().eq_ignore_ascii_case("charset=utf-8"));
        return charset_only && base == want;
    }
    false
}

/// Compares a body by the protocol's rules.
///
/// With `shape`, XML map entries compare in any order: maps are unordered in
/// the runtime (their entries serialize sorted by key), while the cases list
/// them in the order the test's params were written.
pub fn compare_body(
    protocol: &str,
    expected: &str,
    actual: &[u8],
    shape: Option<&'static Shape>,
) -> Result<(), String> {
    if expected.is_empty() {
        return if actual.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "body: expected empty, found {:?}",
                String::from_utf8_lossy(actual)
            ))
        };
    }
    match protocol {
        "json" | "rest-json" => match serde_json::from_str::<Json>(expected) {
            Ok(want) => {
                let found: Json = serde_json::from_slice(actual).map_err(|e| {
                    format!(
                        "body: not JSON ({e}): {:?}; expected {expected}",
                        String::from_utf8_lossy(actual)
                    )
                })?;
                json_diff(&want, &found, "body")
            }
            // A raw payload (blob/string member) compares as bytes.
            Err(_) => compare_bytes(expected.as_bytes(), actual),
        },
        "rest-xml" if expected.trim_start().starts_with('<') => {
            compare_xml(expected, actual, shape)
        }
        "smithy-rpc-v2-cbor" => {
            let want = base64::engine::general_purpose::STANDARD
                .decode(expected)
                .map_err(|e| format!("case body is not base64: {e}"))?;
            compare_cbor(&want, actual)
        }
        _ => compare_bytes(expected.as_bytes(), actual),
    }
}

/// A case's body text as bytes on the wire (CBOR bodies are base64 in the cases).
pub fn decode_body(protocol: &str, text: &str) -> Result<Vec<u8>, String> {
    if protocol == "smithy-rpc-v2-cbor" {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| format!("case body is not base64: {e}"))
    } else {
        Ok(text.as_bytes().to_vec())
    }
}

fn compare_bytes(expected: &[u8], actual: &[u8]) -> Result<(), String> {
    if expected == actual {
        return Ok(());
    }
    let at = expected
        .iter()
        .zip(actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    Err(format!(
        "body differs at byte {at}: expected {:?}, found {:?}",
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual)
    ))
}

/// JSON values compared structurally (numbers by value); `Err` names the path.
pub fn json_diff(expected: &Json, actual: &Json, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Json::Object(e), Json::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(w) => json_diff(v, w, &format!("{path}.{k}"))?,
                    None => return Err(format!("{path}.{k}: missing (expected {v})")),
                }
            }
            if let Some((k, v)) = a.iter().find(|(k, _)| !e.contains_key(*k)) {
                return Err(format!("{path}.{k}: unexpected {v}"));
            }
            Ok(())
        }
        (Json::Array(e), Json::Array(a)) => {
            for (i, (v, w)) in e.iter().zip(a).enumerate() {
                json_diff(v, w, &format!("{path}[{i}]"))?;
            }
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} items, found {}: {actual}",
                    e.len(),
                    a.len()
                ));
            }
            Ok(())
        }
        _ if json_equal(expected, actual) => Ok(()),
        _ => Err(format!("{path}: expected {expected}, found {actual}")),
    }
}

/// An XML element reduced to what matters for equality.
#[derive(Debug, Default, PartialEq)]
struct XmlNode {
    /// `{namespace}local`.
    name: String,
    /// The local name alone (matched against member wire names).
    local: String,
    /// Sorted `({namespace}local, value)`.
    attributes: Vec<(String, String)>,
    /// Concatenated text of direct children, `None` if whitespace only.
    text: Option<String>,
    children: Vec<XmlNode>,
}

fn canonical(node: roxmltree::Node<'_, '_>) -> XmlNode {
    let qualified = |ns: Option<&str>, local: &str| match ns {
        Some(ns) => format!("{{{ns}}}{local}"),
        None => local.to_owned(),
    };
    let mut attributes: Vec<(String, String)> = node
        .attributes()
        .map(|a| (qualified(a.namespace(), a.name()), a.value().to_owned()))
        .collect();
    attributes.sort();
    let text: String = node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    XmlNode {
        name: qualified(node.tag_name().namespace(), node.tag_name().name()),
        local: node.tag_name().name().to_owned(),
        attributes,
        text: if text.trim().is_empty() {
            None
        } else {
            Some(text)
        },
        children: node
            .children()
            .filter(|c| c.is_element())
            .map(canonical)
            .collect(),
    }
}

fn compare_xml(expected: &str, actual: &[u8], shape: Option<&'static Shape>) -> Result<(), String> {
    let want_doc =
        roxmltree::Document::parse(expected).map_err(|e| format!("case body is not XML: {e}"))?;
    let text = std::str::from_utf8(actual).map_err(|e| format!("body: not UTF-8: {e}"))?;
    let found_doc = roxmltree::Document::parse(text)
        .map_err(|e| format!("body: not XML ({e}): {text:?}; expected {expected:?}"))?;
    let mut want = canonical(want_doc.root_element());
    let mut found = canonical(found_doc.root_element());
    if let Some(shape) = shape {
        sort_maps(&mut want, shape);
        sort_maps(&mut found, shape);
    }
    xml_diff(&want, &found, "")
        .map_err(|e| format!("{e}\n    expected: {expected:?}\n    found:    {text:?}"))
}

/// Puts the entries of every map under `node` (an element of `shape`) in a
/// canonical order, walking the shape to know which elements are maps.
fn sort_maps(node: &mut XmlNode, shape: &'static Shape) {
    match shape.kind {
        ShapeKind::Structure(s) | ShapeKind::Union(s) => {
            for member in s.members.iter().filter(|m| !m.xml_attribute) {
                let wire = member.wire_name();
                let here: Vec<usize> = (0..node.children.len())
                    .filter(|&i| node.children[i].local == wire)
                    .collect();
                match member.target.kind {
                    ShapeKind::Map(_) | ShapeKind::List(_) if member.is_flattened() => {
                        for &i in &here {
                            sort_entry_or_item(&mut node.children[i], member.target);
                        }
                        if matches!(member.target.kind, ShapeKind::Map(_)) {
                            sort_group(&mut node.children, &here);
                        }
                    }
                    _ => {
                        for &i in &here {
                            sort_maps(&mut node.children[i], member.target);
                        }
                    }
                }
            }
        }
        ShapeKind::List(list) => {
            for child in &mut node.children {
                sort_maps(child, list.member.target);
            }
        }
        ShapeKind::Map(_) => {
            for child in &mut node.children {
                sort_entry_or_item(child, shape);
            }
            let all: Vec<usize> = (0..node.children.len()).collect();
            sort_group(&mut node.children, &all);
        }
        _ => {}
    }
}

/// `node` is one map entry (key and value elements) or one flattened list item.
fn sort_entry_or_item(node: &mut XmlNode, shape: &'static Shape) {
    match shape.kind {
        ShapeKind::Map(map) => {
            let value = map.value.location_name.unwrap_or("value");
            for child in node.children.iter_mut().filter(|c| c.local == value) {
                sort_maps(child, map.value.target);
            }
        }
        ShapeKind::List(list) => sort_maps(node, list.member.target),
        _ => {}
    }
}

/// Sorts the elements at positions `at` among themselves.
fn sort_group(children: &mut [XmlNode], at: &[usize]) {
    let mut group: Vec<XmlNode> = at
        .iter()
        .map(|&i| std::mem::take(&mut children[i]))
        .collect();
    group.sort_by_cached_key(|n| format!("{n:?}"));
    for (&i, n) in at.iter().zip(group) {
        children[i] = n;
    }
}

fn xml_diff(want: &XmlNode, found: &XmlNode, parent: &str) -> Result<(), String> {
    let path = format!("{parent}/{}", want.name);
    if want.name != found.name {
        return Err(format!(
            "body {parent}/: expected element {}, found {}",
            want.name, found.name
        ));
    }
    if want.attributes != found.attributes {
        return Err(format!(
            "body {path}: expected attributes {:?}, found {:?}",
            want.attributes, found.attributes
        ));
    }
    if want.text != found.text {
        return Err(format!(
            "body {path}: expected text {:?}, found {:?}",
            want.text, found.text
        ));
    }
    for (i, (w, f)) in want.children.iter().zip(&found.children).enumerate() {
        xml_diff(w, f, &format!("{path}[{i}]"))?;
    }
    if want.children.len() != found.children.len() {
        let names =
            |n: &XmlNode| -> Vec<String> { n.children.iter().map(|c| c.name.clone()).collect() };
        return Err(format!(
            "body {path}: expected children {:?}, found {:?}",
            names(want),
            names(found)
        ));
    }
    Ok(())
}

/// A decoded CBOR data item; maps keep their entries for unordered comparison.
#[derive(Debug, Clone)]
pub enum Cbor {
    Int(i128),
    Float(f64),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Tag(u64, Box<Cbor>),
    Bool(bool),
    Null,
    Undefined,
    Simple(u8),
}

impl PartialEq for Cbor {
    fn eq(&self, other: &Cbor) -> bool {
        match (self, other) {
            (Cbor::Int(a), Cbor::Int(b)) => a == b,
            (Cbor::Float(a), Cbor::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Cbor::Bytes(a), Cbor::Bytes(b)) => a == b,
            (Cbor::Text(a), Cbor::Text(b)) => a == b,
            (Cbor::Array(a), Cbor::Array(b)) => a == b,
            (Cbor::Map(a), Cbor::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && v == v2))
            }
            (Cbor::Tag(t, a), Cbor::Tag(u, b)) => t == u && a == b,
            (Cbor::Bool(a), Cbor::Bool(b)) => a == b,
            (Cbor::Null, Cbor::Null) | (Cbor::Undefined, Cbor::Undefined) => true,
            (Cbor::Simple(a), Cbor::Simple(b)) => a == b,
            _ => false,
        }
    }
}

/// Decodes one CBOR data item (definite or indefinite lengths).
pub fn decode_cbor(bytes: &[u8]) -> Result<Cbor, String> {
    let mut tokens = minicbor::decode::Tokenizer::new(bytes);
    let item = cbor_item(&mut tokens)?;
    if tokens.next().is_some() {
        return Err("trailing data after the first CBOR item".into());
    }
    Ok(item)
}

/// Reads the next item; `Ok(None)` for a `break` (end of an indefinite container).
fn cbor_next(tokens: &mut minicbor::decode::Tokenizer<'_, '_>) -> Result<Option<Cbor>, String> {
    use minicbor::data::Token;
    let token = match tokens.next() {
        Some(Ok(t)) => t,
        Some(Err(e)) => return Err(format!("invalid CBOR: {e}")),
        None => return Err("CBOR ends early".into()),
    };
    Ok(Some(match token {
        Token::Break => return Ok(None),
        Token::Bool(b) => Cbor::Bool(b),
        Token::U8(n) => Cbor::Int(n.into()),
        Token::U16(n) => Cbor::Int(n.into()),
        Token::U32(n) => Cbor::Int(n.into()),
        Token::U64(n) => Cbor::Int(n.into()),
        Token::I8(n) => Cbor::Int(n.into()),
        Token::I16(n) => Cbor::Int(n.into()),
        Token::I32(n) => Cbor::Int(n.into()),
        Token::I64(n) => Cbor::Int(n.into()),
        Token::Int(n) => Cbor::Int(i128::from(n)),
        Token::F16(f) => Cbor::Float(f.into()),
        Token::F32(f) => Cbor::Float(f.into()),
        Token::F64(f) => Cbor::Float(f),
        Token::Bytes(b) => Cbor::Bytes(b.to_vec()),
        Token::String(s) => Cbor::Text(s.to_owned()),
        Token::Null => Cbor::Null,
        Token::Undefined => Cbor::Undefined,
        Token::Simple(s) => Cbor::Simple(s),
        Token::Tag(t) => Cbor::Tag(u64::from(t), Box::new(cbor_item(tokens)?)),
        Token::Array(n) => {
            let mut items = Vec::new();
            for _ in 0..n {
                items.push(cbor_item(tokens)?);
            }
            Cbor::Array(items)
        }
        Token::Map(n) => {
            let mut entries = Vec::new();
            for _ in 0..n {
                entries.push((cbor_item(tokens)?, cbor_item(tokens)?));
            }
            Cbor::Map(entries)
        }
        Token::BeginArray => {
            let mut items = Vec::new();
            while let Some(item) = cbor_next(tokens)? {
                items.push(item);
            }
            Cbor::Array(items)
        }
        Token::BeginMap => {
            let mut entries = Vec::new();
            while let Some(key) = cbor_next(tokens)? {
                entries.push((key, cbor_item(tokens)?));
            }
            Cbor::Map(entries)
        }
        Token::BeginBytes => {
            let mut all = Vec::new();
            while let Some(part) = cbor_next(tokens)? {
                match part {
                    Cbor::Bytes(b) => all.extend(b),
                    other => return Err(format!("byte string chunk is {other:?}")),
                }
            }
            Cbor::Bytes(all)
        }
        Token::BeginString => {
            let mut all = String::new();
            while let Some(part) = cbor_next(tokens)? {
                match part {
                    Cbor::Text(s) => all.push_str(&s),
                    other => return Err(format!("text string chunk is {other:?}")),
                }
            }
            Cbor::Text(all)
        }
    }))
}

fn cbor_item(tokens: &mut minicbor::decode::Tokenizer<'_, '_>) -> Result<Cbor, String> {
    cbor_next(tokens)?.ok_or_else(|| "unexpected CBOR break".to_owned())
}

fn compare_cbor(expected: &[u8], actual: &[u8]) -> Result<(), String> {
    let want = decode_cbor(expected).map_err(|e| format!("case body: {e}"))?;
    let found = decode_cbor(actual).map_err(|e| {
        format!(
            "body: {e}; bytes {}",
            base64::engine::general_purpose::STANDARD.encode(actual)
        )
    })?;
    cbor_diff(&want, &found, "body")
}

fn cbor_diff(want: &Cbor, found: &Cbor, path: &str) -> Result<(), String> {
    match (want, found) {
        (Cbor::Map(w), Cbor::Map(f)) => {
            for (k, v) in w {
                let here = format!("{path}.{}", cbor_key(k));
                match f.iter().find(|(k2, _)| k2 == k) {
                    Some((_, v2)) => cbor_diff(v, v2, &here)?,
                    None => return Err(format!("{here}: missing (expected {v:?})")),
                }
            }
            if let Some((k, v)) = f.iter().find(|(k, _)| !w.iter().any(|(k2, _)| k2 == k)) {
                return Err(format!("{path}.{}: unexpected {v:?}", cbor_key(k)));
            }
            Ok(())
        }
        (Cbor::Array(w), Cbor::Array(f)) => {
            for (i, (v, v2)) in w.iter().zip(f).enumerate() {
                cbor_diff(v, v2, &format!("{path}[{i}]"))?;
            }
            if w.len() != f.len() {
                return Err(format!(
                    "{path}: expected {} items, found {}",
                    w.len(),
                    f.len()
                ));
            }
            Ok(())
        }
        _ if want == found => Ok(()),
        _ => Err(format!("{path}: expected {want:?}, found {found:?}")),
    }
}

fn cbor_key(k: &Cbor) -> String {
    match k {
        Cbor::Text(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_allow_list_spacing_and_charset() {
        assert!(header_matches("X-List", "a, b, c", "a,b,c"));
        assert!(header_matches(
            "Content-Type",
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=utf-8"
        ));
        assert!(!header_matches(
            "Content-Type",
            "application/json",
            "text/xml"
        ));
        assert!(!header_matches("X-A", "1", "2"));
    }

    #[test]
    fn xml_ignores_whitespace_and_attribute_order() {
        let want = "<A b=\"1\" c=\"2\">\n  <B>x</B>\n</A>";
        assert!(compare_xml(want, b"<A c=\"2\" b=\"1\"><B>x</B></A>", None).is_ok());
        let err = compare_xml(want, b"<A b=\"1\" c=\"2\"><B>y</B></A>", None).unwrap_err();
        assert!(err.contains("/A[0]/B"), "{err}");
    }

    #[test]
    fn cbor_maps_are_unordered_and_nan_equals_nan() {
        // {"a": 1, "b": NaN} in two orders, the NaN as f16 and f64.
        let one = [0xa2, 0x61, b'a', 0x01, 0x61, b'b', 0xf9, 0x7e, 0x00];
        let two = [
            0xbf, 0x61, b'b', 0xfb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0, 0x61, b'a', 0x01, 0xff,
        ];
        assert!(compare_cbor(&one, &two).is_ok());
        let three = [0xa1, 0x61, b'a', 0x02];
        assert!(compare_cbor(&one, &three).is_err());
    }

    #[test]
    fn json_diff_names_the_path() {
        let want: Json = serde_json::json!({"a": [1, {"b": 2}]});
        let found: Json = serde_json::json!({"a": [1.0, {"b": 3}]});
        let err = json_diff(&want, &found, "body").unwrap_err();
        assert!(err.starts_with("body.a[1].b"), "{err}");
    }

    #[test]
    fn endpoint_path_and_host_split() {
        assert_eq!(
            split_endpoint("https://example.com/custom"),
            ("example.com", "/custom")
        );
        assert_eq!(split_endpoint("https://example.com"), ("example.com", ""));
    }
}
