//! The `smithy-rpc-v2-cbor` protocol.
//!
//! Requests are `POST /service/<ServiceName>/operation/<OperationName>`
//! (the service name is the model's `targetPrefix`, as botocore does) with
//! `smithy-protocol: rpc-v2-cbor`, `Accept: application/cbor` and, only
//! when there is a body, `Content-Type: application/cbor`. An operation
//! without input sends no body at all; any other input is one CBOR map of
//! its set members.
//!
//! Encoding: integers in their shortest form, `float` as a 32-bit and
//! `double` as a 64-bit float (NaN and infinities included), blobs as byte
//! strings, timestamps as tag 1 around 64-bit epoch seconds, structures and
//! unions as definite-length maps keyed by member name, documents as plain
//! data items. Decoding accepts what any conforming server may send:
//! definite or indefinite lengths (chunked strings too), floats of any
//! width (half precision included), integers where floats are expected and
//! integral floats where integers are, any tag around a value, and unknown
//! keys (skipped). A `null` drops the entry, except in sparse lists and maps.
//!
//! Values are written with minicbor's encoder and read with its pull
//! decoder straight into the reflected output (no intermediate tree).
//! Nesting is bounded by [`MAX_DEPTH`]; skipping unknown values is
//! iterative, so malformed or hostile input yields an error, never a panic
//! or a stack overflow.

use crate::error::{DeserializeError, SerializeError};
use crate::protocol::json::sanitize_error_code;
use crate::protocol::{ErrorEnvelope, HttpRequest, HttpResponse, rest};
use crate::schema::{Member, Operation, Service, Shape, ShapeKind};
use crate::timestamp;
use crate::types::DocumentMap;
use crate::types::{DateTime, Document, Number};
use crate::value::{Struct, UNIT_SHAPE, Value, ValueRef};
use minicbor::data::{Tag, Type};
use minicbor::{Decoder, Encoder};
use std::convert::Infallible;

/// Deepest nesting of maps and arrays accepted either way.
pub const MAX_DEPTH: usize = 128;

/// CBOR tag for epoch-based date/time.
const EPOCH_TAG: u64 = 1;

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

type Enc = Encoder<Vec<u8>>;

/// Writing into a `Vec` cannot fail; this discards the `Infallible` error.
fn done<T>(_: Result<T, minicbor::encode::Error<Infallible>>) {}

fn depth_error() -> SerializeError {
    SerializeError::new(format!("input nests deeper than {MAX_DEPTH} levels"))
}

/// The service name in the request path.
fn service_name(service: &Service) -> String {
    if !service.target_service.is_empty() {
        service.target_service.to_owned()
    } else if !service.target_prefix.is_empty() {
        service.target_prefix.to_owned()
    } else {
        service.service_id.replace(' ', "")
    }
}

/// Builds a smithy-rpc-v2-cbor request.
pub fn serialize_request(
    service: &Service,
    op: &Operation,
    input: &dyn Struct,
) -> Result<HttpRequest, SerializeError> {
    // An operation without input in the model has the shared unit shape.
    let body = if std::ptr::eq(op.input, &UNIT_SHAPE) {
        Vec::new()
    } else {
        let mut e = Encoder::new(Vec::with_capacity(256));
        write_struct(&mut e, input, 0)?;
        e.into_writer()
    };
    let mut headers = vec![
        ("smithy-protocol".to_owned(), "rpc-v2-cbor".to_owned()),
        (
            "Accept".to_owned(),
            if op.event_stream && has_event_stream(op.output) {
                "application/vnd.amazon.eventstream"
            } else {
                "application/cbor"
            }
            .to_owned(),
        ),
    ];
    if !body.is_empty() {
        let content_type = if op.event_stream && has_event_stream(op.input) {
            "application/vnd.amazon.eventstream"
        } else {
            "application/cbor"
        };
        headers.push(("Content-Type".to_owned(), content_type.to_owned()));
    }
    if service.aws_query_compatible {
        // Asks the service for query-style error codes (`x-amzn-query-error`).
        headers.push(("x-amzn-query-mode".to_owned(), "true".to_owned()));
    }
    Ok(HttpRequest {
        method: "POST",
        uri: format!("/service/{}/operation/{}", service_name(service), op.name),
        headers,
        body,
        stream: None,
        host_prefix: rest::expand_host_prefix(op, input)?,
    })
}

fn has_event_stream(shape: &Shape) -> bool {
    shape.members().iter().any(|m| m.target.event_stream)
}

/// Writes a structure or union as a definite-length map of its set members.
fn write_struct(e: &mut Enc, s: &dyn Struct, depth: usize) -> Result<(), SerializeError> {
    if depth > MAX_DEPTH {
        return Err(depth_error());
    }
    let members = s.shape().members();
    let mut token: Option<String> = None;
    let value_of = |i: usize, m: &Member, token: &mut Option<String>| -> bool {
        let v = s.member(i).map_or(ValueRef::Null, Value::get);
        if m.idempotency_token && rest::is_unset_token(&v) {
            if token.is_none() {
                *token = Some(rest::idempotency_token());
            }
            return true;
        }
        !matches!(v, ValueRef::Null)
    };
    let count = members
        .iter()
        .enumerate()
        .filter(|(i, m)| value_of(*i, m, &mut token))
        .count();
    done(e.map(count as u64));
    for (i, m) in members.iter().enumerate() {
        let mut v = s.member(i).map_or(ValueRef::Null, Value::get);
        if m.idempotency_token
            && rest::is_unset_token(&v)
            && let Some(t) = &token
        {
            v = ValueRef::Str(t);
        }
        if matches!(v, ValueRef::Null) {
            continue;
        }
        done(e.str(m.wire_name()));
        match v {
            // A `jsonvalue` member travels as a text string of its JSON.
            ValueRef::Document(d) if m.json_value => done(e.str(&d.to_json_text())),
            v => write_value(e, m.target, v, depth + 1)?,
        }
    }
    Ok(())
}

/// Writes one value of `shape`.
fn write_value(
    e: &mut Enc,
    shape: &Shape,
    v: ValueRef<'_>,
    depth: usize,
) -> Result<(), SerializeError> {
    if depth > MAX_DEPTH {
        return Err(depth_error());
    }
    match v {
        ValueRef::Null => done(e.null()),
        ValueRef::Bool(b) => done(e.bool(b)),
        ValueRef::Int(i) => done(e.i64(i)),
        ValueRef::Float(f) => {
            if matches!(shape.kind, ShapeKind::Float) {
                done(e.f32(f as f32));
            } else {
                done(e.f64(f));
            }
        }
        ValueRef::Str(s) => done(e.str(s)),
        ValueRef::Blob(b) => done(e.bytes(b)),
        ValueRef::Stream(s) => {
            let bytes = s.bytes().ok_or_else(|| {
                SerializeError::new("a streaming body cannot be embedded in a CBOR document")
            })?;
            done(e.bytes(&bytes))
        }
        ValueRef::Timestamp(t) => {
            done(e.tag(Tag::new(EPOCH_TAG)));
            done(e.f64(timestamp::epoch_f64(t)));
        }
        ValueRef::Document(d) => write_document(e, d, depth)?,
        ValueRef::Struct(s) => write_struct(e, s, depth)?,
        ValueRef::List(list) => {
            let ShapeKind::List(ls) = shape.kind else {
                return Err(SerializeError::new(format!("{} is not a list", shape.name)));
            };
            done(e.array(list.len() as u64));
            for i in 0..list.len() {
                write_value(e, ls.member.target, list.item(i).get(), depth + 1)?;
            }
        }
        ValueRef::Map(map) => {
            let ShapeKind::Map(ms) = shape.kind else {
                return Err(SerializeError::new(format!("{} is not a map", shape.name)));
            };
            let entries = map.sorted_entries();
            done(e.map(entries.len() as u64));
            for (k, v) in entries {
                done(e.str(k));
                write_value(e, ms.value.target, v.get(), depth + 1)?;
            }
        }
    }
    Ok(())
}

fn write_document(e: &mut Enc, d: &Document, depth: usize) -> Result<(), SerializeError> {
    if depth > MAX_DEPTH {
        return Err(depth_error());
    }
    match d {
        Document::Null => done(e.null()),
        Document::Bool(b) => done(e.bool(*b)),
        Document::Number(Number::PosInt(u)) => done(e.u64(*u)),
        Document::Number(Number::NegInt(i)) => done(e.i64(*i)),
        Document::Number(Number::Float(f)) => done(e.f64(*f)),
        Document::String(s) => done(e.str(s)),
        Document::Array(items) => {
            done(e.array(items.len() as u64));
            for item in items {
                write_document(e, item, depth + 1)?;
            }
        }
        Document::Object(map) => {
            done(e.map(map.len() as u64));
            for (k, v) in map {
                done(e.str(k));
                write_document(e, v, depth + 1)?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------

fn cbor_error(e: minicbor::decode::Error) -> DeserializeError {
    DeserializeError::new(format!("invalid CBOR: {e}"))
}

fn parse_depth_error() -> DeserializeError {
    DeserializeError::new(format!("response nests deeper than {MAX_DEPTH} levels"))
}

/// A pull reader over one CBOR body.
struct Reader<'b> {
    d: Decoder<'b>,
}

impl<'b> Reader<'b> {
    fn new(body: &'b [u8]) -> Reader<'b> {
        Reader {
            d: Decoder::new(body),
        }
    }

    /// The type of the next item, after skipping any tags in front of it.
    fn peek(&mut self) -> Result<Type, DeserializeError> {
        loop {
            match self.d.datatype().map_err(cbor_error)? {
                Type::Tag => {
                    self.d.tag().map_err(cbor_error)?;
                }
                t => return Ok(t),
            }
        }
    }

    fn skip(&mut self) -> Result<(), DeserializeError> {
        self.d.skip().map_err(cbor_error)
    }

    /// Consumes a `null`/`undefined` if that is what comes next.
    fn take_null(&mut self) -> Result<bool, DeserializeError> {
        if matches!(self.peek()?, Type::Null | Type::Undefined) {
            self.skip()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// A text string, definite or chunked.
    fn text(&mut self) -> Result<String, DeserializeError> {
        match self.peek()? {
            Type::String => self.d.str().map(str::to_owned).map_err(cbor_error),
            Type::StringIndef => {
                let mut s = String::new();
                for chunk in self.d.str_iter().map_err(cbor_error)? {
                    s.push_str(chunk.map_err(cbor_error)?);
                }
                Ok(s)
            }
            t => Err(mismatch("text string", t)),
        }
    }

    /// A map key: borrowed from the body unless it is chunked.
    fn key(&mut self) -> Result<std::borrow::Cow<'b, str>, DeserializeError> {
        match self.peek()? {
            Type::String => self
                .d
                .str()
                .map(std::borrow::Cow::Borrowed)
                .map_err(cbor_error),
            _ => self.text().map(std::borrow::Cow::Owned),
        }
    }

    /// A byte string, definite or chunked.
    fn bytes(&mut self) -> Result<Vec<u8>, DeserializeError> {
        match self.peek()? {
            Type::Bytes => self.d.bytes().map(<[u8]>::to_vec).map_err(cbor_error),
            Type::BytesIndef => {
                let mut v = Vec::new();
                for chunk in self.d.bytes_iter().map_err(cbor_error)? {
                    v.extend_from_slice(chunk.map_err(cbor_error)?);
                }
                Ok(v)
            }
            t => Err(mismatch("byte string", t)),
        }
    }

    /// Any number, as a float.
    fn float(&mut self) -> Result<f64, DeserializeError> {
        match self.peek()? {
            Type::F16 | Type::F32 | Type::F64 => self.d.f64().map_err(cbor_error),
            t if is_int(t) => {
                let i = self.d.int().map_err(cbor_error)?;
                Ok(i128::from(i) as f64)
            }
            t => Err(mismatch("number", t)),
        }
    }

    /// An integer (an integral float is accepted too).
    fn int(&mut self) -> Result<i64, DeserializeError> {
        match self.peek()? {
            t if is_int(t) => {
                let i = i128::from(self.d.int().map_err(cbor_error)?);
                i64::try_from(i)
                    .map_err(|_| DeserializeError::new(format!("integer {i} out of range")))
            }
            Type::F16 | Type::F32 | Type::F64 => {
                let f = self.d.f64().map_err(cbor_error)?;
                if f.fract() == 0.0 && f.abs() < 9.2e18 {
                    Ok(f as i64)
                } else {
                    Err(DeserializeError::new(format!(
                        "expected an integer, found {f}"
                    )))
                }
            }
            t => Err(mismatch("integer", t)),
        }
    }

    /// Opens a map; `None` length means indefinite.
    fn map(&mut self) -> Result<Option<u64>, DeserializeError> {
        match self.peek()? {
            Type::Map | Type::MapIndef => self.d.map().map_err(cbor_error),
            t => Err(mismatch("map", t)),
        }
    }

    fn array(&mut self) -> Result<Option<u64>, DeserializeError> {
        match self.peek()? {
            Type::Array | Type::ArrayIndef => self.d.array().map_err(cbor_error),
            t => Err(mismatch("array", t)),
        }
    }

    /// Whether another entry follows in a container opened with `len`
    /// (`remaining` counts down definite lengths; a break ends indefinite ones).
    fn has_next(&mut self, remaining: &mut Option<u64>) -> Result<bool, DeserializeError> {
        match remaining {
            Some(0) => Ok(false),
            Some(n) => {
                *n -= 1;
                Ok(true)
            }
            None => {
                if self.d.datatype().map_err(cbor_error)? == Type::Break {
                    self.skip_break()?;
                    Ok(false)
                } else {
                    Ok(true)
                }
            }
        }
    }

    /// A capacity to reserve for a container declaring `len` items (`None`:
    /// indefinite), each taking at least `min_bytes` of the body: never more
    /// than the rest of the body could hold, nor more than a modest bound,
    /// so a hostile length cannot make the reader allocate without limit.
    fn capacity(&self, len: Option<u64>, min_bytes: usize) -> usize {
        const MAX: usize = 1024;
        let left = self.d.input().len().saturating_sub(self.d.position()) / min_bytes;
        len.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
            .min(left)
            .min(MAX)
    }

    fn skip_break(&mut self) -> Result<(), DeserializeError> {
        // A break is the single byte 0xff.
        let pos = self.d.position();
        if self.d.input().get(pos) == Some(&0xff) {
            self.d.set_position(pos + 1);
            Ok(())
        } else {
            Err(DeserializeError::new("invalid CBOR: expected a break"))
        }
    }

    /// Reads a structure or union into `s`.
    fn read_struct(&mut self, s: &mut dyn Struct, depth: usize) -> Result<(), DeserializeError> {
        if depth > MAX_DEPTH {
            return Err(parse_depth_error());
        }
        let shape = s.shape();
        let is_union = matches!(shape.kind, ShapeKind::Union(_));
        let members = shape.members();
        let mut remaining = self.map()?;
        // Services usually send members in model order: look after the last
        // match first, so finding a key is one comparison in the common case.
        let mut next = 0;
        while self.has_next(&mut remaining)? {
            let key = self.key()?;
            let Some(i) = find_member(members, &key, next) else {
                if is_union && !self.take_null()? {
                    s.set_unknown_variant(&key);
                    self.skip()?;
                } else if !is_union {
                    self.skip()?;
                }
                continue;
            };
            next = i + 1;
            if self.take_null()? {
                continue;
            }
            let target = members[i].target;
            let name = shape.name;
            let json_value = members[i].json_value && matches!(target.kind, ShapeKind::Document);
            let slot = s
                .member_mut(i)
                .ok_or_else(|| DeserializeError::new(format!("no member {i} in {name}")))?;
            if json_value {
                let text = self.text()?;
                let doc = Document::from_json_text(&text).map_err(|e| {
                    DeserializeError::new(format!("invalid JSON text in {}: {e}", members[i].name))
                })?;
                slot.set_document(doc)?;
            } else {
                self.read_value(target, slot, depth + 1)?;
            }
        }
        Ok(())
    }

    /// Reads one non-null value of `shape` into `slot`.
    fn read_value(
        &mut self,
        shape: &Shape,
        slot: &mut dyn Value,
        depth: usize,
    ) -> Result<(), DeserializeError> {
        if depth > MAX_DEPTH {
            return Err(parse_depth_error());
        }
        match shape.kind {
            ShapeKind::Boolean => match self.peek()? {
                Type::Bool => slot.set_bool(self.d.bool().map_err(cbor_error)?)?,
                t => return Err(mismatch("boolean", t)),
            },
            ShapeKind::Integer | ShapeKind::Long | ShapeKind::IntEnum => {
                slot.set_int(self.int()?)?
            }
            ShapeKind::Float | ShapeKind::Double => slot.set_float(self.float()?)?,
            ShapeKind::String => slot.set_string(self.text()?)?,
            ShapeKind::Blob => slot.set_blob(self.bytes()?)?,
            ShapeKind::Timestamp => {
                // `peek` has stepped over tag 1 (and any other tag).
                let t = match self.peek()? {
                    t if is_int(t) => DateTime::from_secs(self.int()?),
                    _ => timestamp::parse_epoch_f64(self.float()?)?,
                };
                slot.set_timestamp(t)?;
            }
            ShapeKind::Document => {
                let d = self.read_document(depth)?;
                slot.set_document(d)?;
            }
            ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                let s = slot.struct_mut().ok_or_else(|| {
                    DeserializeError::new(format!("{} is not a structure", shape.name))
                })?;
                self.read_struct(s, depth)?;
            }
            ShapeKind::List(ls) => {
                let mut remaining = self.array()?;
                slot.init_list();
                slot.reserve(self.capacity(remaining, 1));
                while self.has_next(&mut remaining)? {
                    if self.take_null()? {
                        if ls.sparse {
                            // The pushed default of a sparse element is `None`.
                            slot.push().ok_or_else(not_a_list)?;
                        }
                        continue;
                    }
                    let item = slot.push().ok_or_else(not_a_list)?;
                    self.read_value(ls.member.target, item, depth + 1)?;
                }
            }
            ShapeKind::Map(ms) => {
                let mut remaining = self.map()?;
                slot.init_map();
                slot.reserve(self.capacity(remaining, 2));
                while self.has_next(&mut remaining)? {
                    let key = self.text()?;
                    if self.take_null()? {
                        if ms.sparse {
                            slot.insert(key).ok_or_else(not_a_map)?;
                        }
                        continue;
                    }
                    let v = slot.insert(key).ok_or_else(not_a_map)?;
                    self.read_value(ms.value.target, v, depth + 1)?;
                }
            }
        }
        Ok(())
    }

    fn read_document(&mut self, depth: usize) -> Result<Document, DeserializeError> {
        if depth > MAX_DEPTH {
            return Err(parse_depth_error());
        }
        Ok(match self.peek()? {
            Type::Null | Type::Undefined => {
                self.skip()?;
                Document::Null
            }
            Type::Bool => Document::Bool(self.d.bool().map_err(cbor_error)?),
            t if is_int(t) => {
                let i = i128::from(self.d.int().map_err(cbor_error)?);
                Document::Number(if let Ok(u) = u64::try_from(i) {
                    Number::PosInt(u)
                } else if let Ok(n) = i64::try_from(i) {
                    Number::NegInt(n)
                } else {
                    Number::Float(i as f64)
                })
            }
            Type::F16 | Type::F32 | Type::F64 => {
                Document::Number(Number::Float(self.d.f64().map_err(cbor_error)?))
            }
            Type::String | Type::StringIndef => Document::String(self.text()?),
            Type::Array | Type::ArrayIndef => {
                let mut remaining = self.array()?;
                let mut items = Vec::new();
                while self.has_next(&mut remaining)? {
                    items.push(self.read_document(depth + 1)?);
                }
                Document::Array(items)
            }
            Type::Map | Type::MapIndef => {
                let mut remaining = self.map()?;
                let mut map = DocumentMap::new();
                while self.has_next(&mut remaining)? {
                    let k = self.text()?;
                    let v = self.read_document(depth + 1)?;
                    map.insert(k, v);
                }
                Document::Object(map)
            }
            t => return Err(mismatch("document value", t)),
        })
    }
}

/// The index of the member whose wire name is `key`, trying `from..` first;
/// lengths and first bytes rule out most members without a memcmp call.
fn find_member(members: &[Member], key: &str, from: usize) -> Option<usize> {
    let matches = |m: &Member| {
        let w = m.wire_name();
        w.len() == key.len() && w.as_bytes().first() == key.as_bytes().first() && w == key
    };
    let n = members.len();
    let mut i = from;
    for _ in 0..n {
        if i >= n {
            i = 0;
        }
        if matches(&members[i]) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn is_int(t: Type) -> bool {
    matches!(
        t,
        Type::U8
            | Type::U16
            | Type::U32
            | Type::U64
            | Type::I8
            | Type::I16
            | Type::I32
            | Type::I64
            | Type::Int
    )
}

fn mismatch(expected: &str, found: Type) -> DeserializeError {
    DeserializeError::new(format!("expected a CBOR {expected}, found {found}"))
}

fn not_a_list() -> DeserializeError {
    DeserializeError::new("value is not a list")
}

fn not_a_map() -> DeserializeError {
    DeserializeError::new("value is not a map")
}

fn is_blank(body: &[u8]) -> bool {
    body.is_empty()
}

/// Reads a structure body into `out`; an empty body leaves it untouched.
fn parse_struct(body: &[u8], out: &mut dyn Struct) -> Result<(), DeserializeError> {
    if is_blank(body) {
        return Ok(());
    }
    let mut r = Reader::new(body);
    if r.take_null()? {
        return Ok(());
    }
    r.read_struct(out, 0)
}

/// Parses a successful response into `output`.
pub fn parse_response(
    response: &HttpResponse,
    output: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    parse_struct(&response.body, output)
}

/// `__type` and the message of an error body; malformed bodies yield nothing.
fn read_error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
    let mut type_ = None;
    let mut message = None;
    if is_blank(body) {
        return (type_, message);
    }
    let mut r = Reader::new(body);
    let Ok(mut remaining) = r.map() else {
        return (type_, message);
    };
    while let Ok(true) = r.has_next(&mut remaining) {
        let Ok(key) = r.text() else { break };
        let wanted = matches!(
            key.as_str(),
            "__type" | "message" | "Message" | "errorMessage"
        );
        if wanted && matches!(r.peek(), Ok(Type::String | Type::StringIndef)) {
            let Ok(v) = r.text() else { break };
            if key == "__type" {
                type_ = Some(v);
            } else if message.is_none() {
                message = Some(v);
            }
        } else if r.skip().is_err() {
            break;
        }
    }
    (type_, message)
}

/// Reads the code (from `__type`, or the query-compatible
/// `x-amzn-query-error` header), message and request id of an error.
pub fn parse_error_envelope(
    service: &Service,
    op: &Operation,
    response: &HttpResponse,
) -> ErrorEnvelope {
    let (type_, message) = read_error_fields(&response.body);
    let mut code = type_
        .as_deref()
        .map(sanitize_error_code)
        .unwrap_or_default()
        .to_owned();
    if code.is_empty() {
        code = format!("Http{}", response.status);
    }
    let mut matched = super::find_error(service, op, &code);
    if service.aws_query_compatible
        && let Some(q) = response.header("x-amzn-query-error")
    {
        // `Code;Fault`: the query-era code callers match on wins.
        let qcode = q.split(';').next().unwrap_or(q).trim();
        if !qcode.is_empty() {
            code = qcode.to_owned();
            matched = super::find_error(service, op, qcode).or(matched);
        }
    }
    ErrorEnvelope {
        code,
        message,
        request_id: rest::request_id(response),
        extended_request_id: None,
        matched,
    }
}

/// Fills a modeled error from its CBOR body (`__type` is skipped as unknown).
pub fn parse_error_body(
    response: &HttpResponse,
    error: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    parse_struct(&response.body, error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ErrorMatch;
    use crate::protocol::fixtures::*;
    use crate::schema::Protocol;
    use crate::types::Blob;
    use std::collections::HashMap;

    static CBOR_SERVICE: Service = Service {
        protocol: Protocol::SmithyRpcV2Cbor,
        protocols: &[Protocol::SmithyRpcV2Cbor],
        target_service: "TestService",
        endpoint_rules: None,
        ..JSON_SERVICE
    };

    static NO_INPUT: Operation = Operation {
        name: "Ping",
        http_method: "POST",
        request_uri: "/",
        response_code: 200,
        input: &UNIT_SHAPE,
        output: &UNIT_SHAPE,
        input_location_name: None,
        input_xml_namespace: None,
        result_wrapper: None,
        errors: &[&NOT_FOUND, &THROTTLED],
        idempotent: false,
        readonly: false,
        host_prefix: None,
        auth: &[],
        checksum_required: false,
        http_checksum: None,
        request_compression: &[],
        event_stream: false,
        deprecated: false,
        context_params: &[],
    };

    fn sample() -> Item {
        let doc = Document::Object(DocumentMap::from([
            ("n".to_owned(), Document::Number(Number::NegInt(-3))),
            ("p".to_owned(), Document::Number(Number::PosInt(7))),
            ("f".to_owned(), Document::Number(Number::Float(1.5))),
            (
                "a".to_owned(),
                Document::Array(vec![Document::Null, Document::Bool(true)]),
            ),
            ("s".to_owned(), Document::String("x".into())),
        ]));
        Item {
            name: "n1".into(),
            count: Some(-20),
            ratio: Some(0.25),
            data: Some(Blob::from(&b"\x00\xff"[..])),
            when: Some(DateTime::from_secs_and_nanos(1_398_796_238, 123_000_000)),
            tags: Some(vec!["a".into(), "b".into()]),
            attrs: Some(HashMap::from([
                ("s".to_owned(), AttrValue::S("v".into())),
                ("l".to_owned(), AttrValue::L(vec![AttrValue::N("1".into())])),
            ])),
            doc: Some(doc),
            sparse: Some(vec![Some("x".into()), None]),
            child: Some(Box::new(Item {
                name: "child".into(),
                ..Item::default()
            })),
            iso: None,
        }
    }

    fn response(body: Vec<u8>) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: vec![],
            body,
        }
    }

    fn enc() -> Enc {
        Encoder::new(Vec::new())
    }

    #[test]
    fn request_line_and_headers() {
        let req = serialize_request(&CBOR_SERVICE, &PUT_ITEM, &sample()).expect("serializes");
        assert_eq!(req.method, "POST");
        assert_eq!(req.uri, "/service/TestService/operation/PutItem");
        assert_eq!(req.header("smithy-protocol"), Some("rpc-v2-cbor"));
        assert_eq!(req.header("accept"), Some("application/cbor"));
        assert_eq!(req.header("content-type"), Some("application/cbor"));
        assert_eq!(req.header("x-amz-target"), None);
        assert_eq!(req.header("x-amzn-query-mode"), None);

        let none = serialize_request(&CBOR_SERVICE, &NO_INPUT, &crate::Unit).expect("ok");
        assert!(none.body.is_empty());
        assert_eq!(none.header("content-type"), None);

        // An empty (but modeled) input is an empty map.
        let empty = serialize_request(&CBOR_SERVICE, &PUT_ITEM, &Item::default()).expect("ok");
        let mut d = Decoder::new(&empty.body);
        assert_eq!(d.map().ok(), Some(Some(1))); // the required `Name` is always present
    }

    #[test]
    fn encodes_scalars_with_their_cbor_types() {
        let item = Item {
            name: "n".into(),
            count: Some(5),
            ratio: Some(0.5),
            when: Some(DateTime::from_secs(10)),
            ..Item::default()
        };
        let req = serialize_request(&CBOR_SERVICE, &PUT_ITEM, &item).expect("ok");
        let mut e = enc();
        done(e.map(4));
        done(e.str("Name"));
        done(e.str("n"));
        done(e.str("count")); // locationName is the key
        done(e.u8(5));
        done(e.str("Ratio"));
        done(e.f32(0.5)); // `float` shapes are single precision
        done(e.str("When"));
        done(e.tag(Tag::new(1)));
        done(e.f64(10.0));
        assert_eq!(req.body, e.into_writer());
    }

    #[test]
    fn round_trip_of_every_value_kind() {
        let item = sample();
        let req = serialize_request(&CBOR_SERVICE, &PUT_ITEM, &item).expect("ok");
        let mut back = Item::default();
        parse_response(&response(req.body), &mut back).expect("parses");
        assert_eq!(back, item);
    }

    #[test]
    fn special_floats_round_trip() {
        for f in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let item = Item {
                ratio: Some(f),
                ..Item::default()
            };
            let req = serialize_request(&CBOR_SERVICE, &PUT_ITEM, &item).expect("ok");
            let mut back = Item::default();
            parse_response(&response(req.body), &mut back).expect("parses");
            let r = back.ratio.expect("set");
            assert!(r == f || (r.is_nan() && f.is_nan()));
        }
    }

    #[test]
    fn decodes_indefinite_lengths_tags_and_width_changes() {
        let mut e = enc();
        done(e.begin_map());
        done(e.begin_str());
        done(e.str("Na"));
        done(e.str("me"));
        done(e.end());
        done(e.begin_str());
        done(e.str("chu"));
        done(e.str("nked"));
        done(e.end());
        done(e.str("count"));
        done(e.f64(3.0)); // an integral float for an integer
        done(e.str("Ratio"));
        done(e.f16(1.5)); // half precision
        done(e.str("When"));
        done(e.tag(Tag::new(1)));
        done(e.u32(1_000_000)); // integer epoch seconds
        done(e.str("Data"));
        done(e.begin_bytes());
        done(e.bytes(b"ab"));
        done(e.bytes(b"c"));
        done(e.end());
        done(e.str("Tags"));
        done(e.begin_array());
        done(e.str("x"));
        done(e.null()); // dropped: the list is dense
        done(e.str("y"));
        done(e.end());
        done(e.str("Sparse"));
        done(e.array(2));
        done(e.null()); // kept: the list is sparse
        done(e.str("z"));
        done(e.str("Unknown"));
        done(e.begin_map());
        done(e.str("deep"));
        done(e.begin_array());
        done(e.begin_map());
        done(e.end());
        done(e.end());
        done(e.end());
        done(e.str("Attrs"));
        done(e.map(2));
        done(e.str("k"));
        done(e.map(1));
        done(e.str("Z"));
        done(e.u8(1)); // a variant this model does not know
        done(e.str("gone"));
        done(e.null()); // dropped: the map is dense
        done(e.str("Iso"));
        done(e.null());
        done(e.end());
        let mut out = Item::default();
        parse_response(&response(e.into_writer()), &mut out).expect("parses");
        assert_eq!(out.name, "chunked");
        assert_eq!(out.count, Some(3));
        assert_eq!(out.ratio, Some(1.5));
        assert_eq!(out.when, Some(DateTime::from_secs(1_000_000)));
        assert_eq!(out.data, Some(Blob::from("abc")));
        assert_eq!(out.tags, Some(vec!["x".into(), "y".into()]));
        assert_eq!(out.sparse, Some(vec![None, Some("z".into())]));
        assert_eq!(
            out.attrs,
            Some(HashMap::from([(
                "k".to_owned(),
                AttrValue::Unknown("Z".into())
            )]))
        );
        assert_eq!(out.iso, None);
    }

    #[test]
    fn rejects_wrong_types_and_fractional_integers() {
        for build in [
            |e: &mut Enc| {
                done(e.str("count"));
                done(e.str("five"));
            },
            |e: &mut Enc| {
                done(e.str("count"));
                done(e.f64(1.5));
            },
            |e: &mut Enc| {
                done(e.str("Tags"));
                done(e.str("not a list"));
            },
        ] {
            let mut e = enc();
            done(e.map(1));
            build(&mut e);
            let mut out = Item::default();
            assert!(parse_response(&response(e.into_writer()), &mut out).is_err());
        }
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        let body = serialize_request(&CBOR_SERVICE, &PUT_ITEM, &sample())
            .expect("ok")
            .body;
        // Every truncation of a valid body.
        for n in 1..body.len() {
            let mut out = Item::default();
            assert!(parse_response(&response(body[..n].to_vec()), &mut out).is_err());
        }
        // Assorted garbage.
        for junk in [
            &[0xff][..],
            &[0x1c],
            &[0xbf, 0x61],
            &[0x5f, 0x01],
            &[0x7f, 0x41, 0x00, 0xff],
            &[0xa1, 0x64, b'N', b'a', b'm', b'e', 0x62, 0xc3, 0x28],
            &[0xc1; 64],
        ] {
            let mut out = Item::default();
            assert!(parse_response(&response(junk.to_vec()), &mut out).is_err());
        }
    }

    #[test]
    fn declared_lengths_do_not_size_allocations() {
        // {"Tags": array(2^62)} and {"Attrs": map(2^62)} with no items: the
        // capacity reserved up front is bounded by the body, not the header.
        for (key, header) in [("Tags", 0x9b), ("Attrs", 0xbb)] {
            let mut body = vec![0xa1, 0x60 + key.len() as u8];
            body.extend_from_slice(key.as_bytes());
            body.push(header);
            body.extend_from_slice(&(1u64 << 62).to_be_bytes());
            let mut out = Item::default();
            assert!(parse_response(&response(body), &mut out).is_err());
        }
    }

    #[test]
    fn nesting_is_bounded() {
        // Deeply nested children.
        let mut deep = Vec::new();
        for _ in 0..(MAX_DEPTH + 5) {
            deep.extend_from_slice(&[0xa1, 0x65]);
            deep.extend_from_slice(b"Child");
        }
        deep.push(0xa0);
        let mut out = Item::default();
        let err = parse_response(&response(deep), &mut out).expect_err("too deep");
        assert!(err.message.contains("deeper"), "{err}");

        // A deeply nested document.
        let mut doc = vec![0xa1, 0x63, b'D', b'o', b'c'];
        doc.extend(std::iter::repeat_n(0x81, 100_000));
        doc.push(0x00);
        let mut out = Item::default();
        assert!(parse_response(&response(doc), &mut out).is_err());

        // A deep unknown value is skipped without recursion.
        let mut unknown = vec![0xa1, 0x61, b'?'];
        unknown.extend(std::iter::repeat_n(0x9f, 100_000));
        unknown.extend(std::iter::repeat_n(0xff, 100_000));
        let mut out = Item::default();
        assert!(parse_response(&response(unknown), &mut out).is_ok());
    }

    #[test]
    fn empty_and_null_bodies_leave_defaults() {
        for body in [vec![], vec![0xf6], vec![0xa0], vec![0xbf, 0xff]] {
            let mut out = Item::default();
            parse_response(&response(body), &mut out).expect("parses");
            assert_eq!(out, Item::default());
        }
    }

    fn error_response(type_: &str, headers: Vec<(String, String)>) -> HttpResponse {
        let mut e = enc();
        done(e.map(3));
        done(e.str("__type"));
        done(e.str(type_));
        done(e.str("message"));
        done(e.str("no such item"));
        done(e.str("Extra"));
        done(e.array(1));
        done(e.u8(1));
        HttpResponse {
            status: 400,
            headers,
            body: e.into_writer(),
        }
    }

    #[test]
    fn error_envelopes() {
        let r = error_response(
            "aws.test#ResourceNotFound",
            vec![("x-amzn-requestid".into(), "req-1".into())],
        );
        let env = parse_error_envelope(&CBOR_SERVICE, &PUT_ITEM, &r);
        assert_eq!(env.code, "ResourceNotFound");
        assert_eq!(env.message.as_deref(), Some("no such item"));
        assert_eq!(env.request_id.as_deref(), Some("req-1"));
        assert_eq!(env.matched, Some(ErrorMatch::Operation(0)));
        let mut body = NotFound::default();
        parse_error_body(&r, &mut body).expect("parses");
        assert_eq!(body.message.as_deref(), Some("no such item"));

        // By shape name, too.
        let r = error_response("Throttled", vec![]);
        assert_eq!(
            parse_error_envelope(&CBOR_SERVICE, &PUT_ITEM, &r).matched,
            Some(ErrorMatch::Operation(1))
        );

        // The query-compatible header wins, on query-compatible services only.
        let q = vec![(
            "x-amzn-query-error".to_owned(),
            "Throttled;Sender".to_owned(),
        )];
        let r = error_response("aws.test#Other", q);
        let env = parse_error_envelope(&CBOR_SERVICE, &PUT_ITEM, &r);
        assert_eq!((env.code.as_str(), env.matched), ("Other", None));
        let compat = Service {
            aws_query_compatible: true,
            ..CBOR_SERVICE
        };
        let env = parse_error_envelope(&compat, &PUT_ITEM, &r);
        assert_eq!(
            (env.code.as_str(), env.matched),
            ("Throttled", Some(ErrorMatch::Operation(1)))
        );

        // No body: the status stands in for the code.
        let env = parse_error_envelope(&CBOR_SERVICE, &PUT_ITEM, &response(vec![0x1c]));
        assert_eq!(env.code, "Http200");
    }
}
