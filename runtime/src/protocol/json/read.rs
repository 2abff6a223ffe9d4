//! The JSON body reader shared by `json` and `rest-json`.
//!
//! A hand-written pull parser over the body that writes each value straight
//! into the output through the reflection traits, guided by the shapes: no
//! tree, no per-value trait-object visitors. The body is checked to be UTF-8
//! once up front, so a string without escapes is a slice of the body and is
//! copied exactly once, into its field. Nesting deeper than [`MAX_DEPTH`]
//! arrays/objects is an error, never a stack overflow; every other
//! malformation is an error too, never a panic.
//!
//! Semantics (what is accepted and how it is converted) are the protocol's,
//! as described on the public functions in the parent module: `null` never
//! creates a list element, map entry or union variant (except in sparse
//! collections, where it is kept as `None`); unknown keys are skipped (a
//! union records them as an unknown variant, `__type` aside); integral
//! numbers written as floats are accepted for integer shapes if they fit;
//! non-finite floats travel as the strings `NaN`, `Infinity`, `-Infinity`.

use crate::error::DeserializeError;
use crate::protocol::rest::{self, BASE64};
use crate::schema::{ListShape, Location, MapShape, Member, Shape, ShapeKind, TimestampFormat};
use crate::timestamp;
use crate::types::DocumentMap;
use crate::types::{ByteStream, Document, Number};
use crate::value::{Struct, TypeMismatch, Value};
use base64::Engine as _;
use std::fmt;

/// Arrays and objects may nest this deep (serde_json's limit, which the
/// protocol's previous reader used).
const MAX_DEPTH: usize = 127;

type Result<T> = std::result::Result<T, DeserializeError>;

/// A JSON number as the grammar classifies it.
#[derive(Clone, Copy)]
enum Num {
    /// A non-negative integer that fits in `u64`.
    U(u64),
    /// A negative integer that fits in `i64`.
    I(i64),
    /// Anything else (fraction, exponent, `-0`, or too large for an integer).
    F(f64),
}

#[cold]
fn not_a(what: &str) -> DeserializeError {
    DeserializeError::new(format!("value is not a {what}"))
}

fn kind_name(kind: ShapeKind) -> &'static str {
    match kind {
        ShapeKind::Boolean => "boolean",
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::IntEnum => "integer",
        ShapeKind::Float | ShapeKind::Double => "number",
        ShapeKind::String => "string",
        ShapeKind::Blob => "base64 string",
        ShapeKind::Timestamp => "timestamp",
        ShapeKind::Document => "document",
        ShapeKind::Structure(_) | ShapeKind::Union(_) => "object",
        ShapeKind::List(_) => "array",
        ShapeKind::Map(_) => "object",
    }
}

fn set(r: std::result::Result<(), TypeMismatch>) -> Result<()> {
    r.map_err(DeserializeError::from)
}

/// Capacity hints remembered per map shape: the size of the last map of that
/// shape. Responses list many maps of one shape with similar sizes (items of
/// a DynamoDB query), so reserving that much up front saves the table's
/// repeated growth and rehashing. A wrong guess costs at most the previous
/// map's size once, so memory stays within twice what the entries need.
#[derive(Default)]
struct MapHints {
    entries: Vec<(*const MapShape, usize)>,
}

impl MapHints {
    /// Hints are kept for this many distinct map shapes (a response has few).
    const MAX: usize = 16;

    fn get(&self, shape: &MapShape) -> usize {
        let key: *const MapShape = shape;
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |&(_, n)| n)
    }

    fn set(&mut self, shape: &MapShape, n: usize) {
        let key: *const MapShape = shape;
        if let Some(e) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            e.1 = n;
        } else if self.entries.len() < Self::MAX {
            self.entries.push((key, n));
        }
    }
}

pub(super) struct Reader<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
    /// Unescaped text of the last string that contained escapes.
    scratch: String,
    hints: MapHints,
}

impl<'a> Reader<'a> {
    /// A reader over `body`, which must be UTF-8 (as JSON requires).
    pub(super) fn new(body: &'a [u8]) -> Result<Reader<'a>> {
        let src = std::str::from_utf8(body)
            .map_err(|e| DeserializeError::new(format!("invalid JSON body: not UTF-8 ({e})")))?;
        Ok(Reader {
            src,
            pos: 0,
            depth: 0,
            scratch: String::new(),
            hints: MapHints::default(),
        })
    }

    // ------------------------------------------------------------------ errors

    /// An error at the current position (line and column as editors count them).
    #[cold]
    fn error(&self, msg: impl fmt::Display) -> DeserializeError {
        let pos = self.pos.min(self.src.len());
        let before = &self.src.as_bytes()[..pos];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = pos
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        DeserializeError::new(format!(
            "invalid JSON body: {msg} at line {line} column {column}"
        ))
    }

    #[cold]
    fn eof(&self) -> DeserializeError {
        self.error("unexpected end of input")
    }

    #[cold]
    fn mismatch(&self, member: &Member, found: u8) -> DeserializeError {
        let found = match found {
            b'"' => "string",
            b'{' => "object",
            b'[' => "array",
            b't' | b'f' => "boolean",
            b'-' | b'0'..=b'9' => "number",
            _ => return self.error("expected a value"),
        };
        self.error(format_args!(
            "expected {} for {}, found {found}",
            kind_name(member.target.kind),
            member.name
        ))
    }

    // ------------------------------------------------------------------ lexing

    /// Skips whitespace and returns the next byte without consuming it.
    #[inline]
    fn peek(&mut self) -> Result<u8> {
        match self.src.as_bytes().get(self.pos) {
            // Every byte above space is not whitespace (the common case).
            Some(&b) if b > b' ' => Ok(b),
            _ => self.peek_slow(),
        }
    }

    fn peek_slow(&mut self) -> Result<u8> {
        let bytes = self.src.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Ok(b);
            }
            self.pos += 1;
        }
        Err(self.eof())
    }

    /// Consumes `b` after optional whitespace.
    #[inline]
    fn expect(&mut self, b: u8) -> Result<()> {
        if self.peek()? == b {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format_args!("expected `{}`", b as char)))
        }
    }

    /// Consumes the keyword `word` (`true`, `false`, `null`) at the current position.
    fn keyword(&mut self, word: &str) -> Result<()> {
        if self.src.as_bytes()[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn boolean(&mut self) -> Result<bool> {
        if self.src.as_bytes()[self.pos] == b't' {
            self.keyword("true").map(|()| true)
        } else {
            self.keyword("false").map(|()| false)
        }
    }

    /// Enters an array or object at `[` / `{`.
    #[inline]
    fn enter(&mut self) -> Result<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format_args!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// After `{` / `[`: whether the container has a first element (else
    /// consumes the closing `close`).
    #[inline]
    fn first(&mut self, close: u8) -> Result<bool> {
        if self.peek()? == close {
            self.pos += 1;
            self.depth -= 1;
            Ok(false)
        } else {
            Ok(true)
        }
    }

    /// After an element: whether another follows (consumes `,`), else
    /// consumes the closing `close`.
    #[inline]
    fn more(&mut self, close: u8) -> Result<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Ok(true)
            }
            b if b == close => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            _ => Err(self.error(format_args!("expected `,` or `{}`", close as char))),
        }
    }

    /// An object key and its colon; the key is borrowed like [`Self::string`].
    #[inline(always)]
    fn key(&mut self) -> Result<&str> {
        if self.peek()? != b'"' {
            return Err(self.error("expected a string key"));
        }
        self.expect_colon_after_string()
    }

    #[inline(always)]
    fn expect_colon_after_string(&mut self) -> Result<&str> {
        let range = self.string_range()?;
        self.expect(b':')?;
        Ok(self.text(range))
    }

    /// At `"`: reads a string literal. Returns `Ok(Some(range))` of the body
    /// when it has no escapes, `Ok(None)` when its unescaped text is in
    /// `scratch`.
    #[inline(always)]
    fn string_range(&mut self) -> Result<Option<(usize, usize)>> {
        let start = self.pos + 1;
        let i = plain_run_end(self.src.as_bytes(), start);
        match self.src.as_bytes().get(i) {
            Some(b'"') => {
                self.pos = i + 1;
                Ok(Some((start, i)))
            }
            _ => self.string_slow(start, i).map(|()| None),
        }
    }

    /// The rest of [`Self::string_range`] from `i`, where the plain run from
    /// `start` ends at something other than a closing quote.
    #[cold]
    fn string_slow(&mut self, start: usize, i: usize) -> Result<()> {
        self.scratch.clear();
        self.scratch.push_str(&self.src[start..i]);
        self.unescape_rest(i)
    }

    /// The text of a string read by [`Self::string_range`].
    #[inline]
    fn text(&self, range: Option<(usize, usize)>) -> &str {
        match range {
            // Both ends are at ASCII quotes, so on character boundaries.
            Some((s, e)) => &self.src[s..e],
            None => &self.scratch,
        }
    }

    /// At `"`: reads a string literal, borrowed from the body if it has no escapes.
    #[inline(always)]
    fn string(&mut self) -> Result<&str> {
        let range = self.string_range()?;
        Ok(self.text(range))
    }

    /// Continues a string at `i` (the end of a plain run), appending its
    /// unescaped text to `scratch`.
    fn unescape_rest(&mut self, mut i: usize) -> Result<()> {
        let bytes = self.src.as_bytes();
        loop {
            match bytes.get(i) {
                None => {
                    self.pos = i;
                    return Err(self.eof());
                }
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    let Some(&e) = bytes.get(i + 1) else {
                        self.pos = i + 1;
                        return Err(self.eof());
                    };
                    i += 2;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            self.pos = i;
                            let c = self.unicode_escape()?;
                            i = self.pos;
                            c
                        }
                        _ => {
                            self.pos = i - 1;
                            return Err(self.error("invalid escape in string"));
                        }
                    };
                    self.scratch.push(c);
                }
                Some(_) => {
                    self.pos = i;
                    return Err(self.error("control character in string"));
                }
            }
            let end = plain_run_end(bytes, i);
            // Both ends are ASCII (after an escape; at `"`, `\` or a control
            // character), so on character boundaries.
            self.scratch.push_str(&self.src[i..end]);
            i = end;
        }
    }

    /// Four hex digits at the current position.
    fn hex4(&mut self) -> Result<u32> {
        let Some(digits) = self.src.as_bytes().get(self.pos..self.pos + 4) else {
            return Err(self.eof());
        };
        let mut v = 0;
        for &d in digits {
            let n = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error("invalid \\u escape")),
            };
            v = (v << 4) | u32::from(n);
        }
        self.pos += 4;
        Ok(v)
    }

    /// After `\u`: one character, combining a UTF-16 surrogate pair.
    fn unicode_escape(&mut self) -> Result<char> {
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if !self.src.as_bytes()[self.pos..].starts_with(b"\\u") {
                    return Err(self.error("lone leading surrogate in \\u escape"));
                }
                self.pos += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(self.error("invalid surrogate pair in \\u escape"));
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in \\u escape")),
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    /// At `-` or a digit: a number, following JSON's grammar strictly.
    fn number(&mut self) -> Result<Num> {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let mut i = start;
        let negative = bytes[i] == b'-';
        if negative {
            i += 1;
        }
        let int_start = i;
        let mut value: u64 = 0;
        let mut overflow = false;
        match bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while let Some(&d) = bytes.get(i) {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    match value
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(u64::from(d - b'0')))
                    {
                        Some(v) => value = v,
                        None => overflow = true,
                    }
                    i += 1;
                }
            }
            _ => {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
        }
        let mut float = overflow;
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            let digits = i;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == digits {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
            float = true;
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let digits = i;
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == digits {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
            float = true;
        }
        // A leading zero must stand alone ("01" is not JSON).
        if bytes[int_start] == b'0' && bytes.get(int_start + 1).is_some_and(u8::is_ascii_digit) {
            self.pos = int_start + 1;
            return Err(self.error("invalid number"));
        }
        self.pos = i;
        if !float {
            if !negative {
                return Ok(Num::U(value));
            }
            // -0 stays a float so its sign survives, as serde_json does.
            if value != 0 && value <= 1 << 63 {
                return Ok(Num::I((value as i64).wrapping_neg()));
            }
        }
        match self.src[start..i].parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Num::F(f)),
            _ => {
                self.pos = start;
                Err(self.error("number out of range"))
            }
        }
    }

    /// Skips one value of any kind, checking its syntax.
    fn skip(&mut self) -> Result<()> {
        match self.peek()? {
            b'"' => self.string_range().map(drop),
            b'{' => {
                self.enter()?;
                if self.first(b'}')? {
                    loop {
                        self.key()?;
                        self.skip()?;
                        if !self.more(b'}')? {
                            break;
                        }
                    }
                }
                Ok(())
            }
            b'[' => {
                self.enter()?;
                if self.first(b']')? {
                    loop {
                        self.skip()?;
                        if !self.more(b']')? {
                            break;
                        }
                    }
                }
                Ok(())
            }
            b't' | b'f' => self.boolean().map(drop),
            b'n' => self.keyword("null"),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            _ => Err(self.error("expected a value")),
        }
    }

    /// Only whitespace may follow the top-level value.
    pub(super) fn end(&mut self) -> Result<()> {
        let rest = &self.src.as_bytes()[self.pos..];
        match rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        {
            None => Ok(()),
            Some(i) => {
                self.pos += i;
                Err(self.error("trailing characters"))
            }
        }
    }

    // --------------------------------------------------------------- documents

    fn document(&mut self) -> Result<Document> {
        Ok(match self.peek()? {
            b'"' => Document::String(self.string()?.to_owned()),
            b'{' => {
                self.enter()?;
                let mut obj = DocumentMap::new();
                if self.first(b'}')? {
                    loop {
                        let k = self.key()?.to_owned();
                        let v = self.document()?;
                        obj.insert(k, v);
                        if !self.more(b'}')? {
                            break;
                        }
                    }
                }
                Document::Object(obj)
            }
            b'[' => {
                self.enter()?;
                let mut items = Vec::new();
                if self.first(b']')? {
                    loop {
                        items.push(self.document()?);
                        if !self.more(b']')? {
                            break;
                        }
                    }
                }
                Document::Array(items)
            }
            b't' | b'f' => Document::Bool(self.boolean()?),
            b'n' => {
                self.keyword("null")?;
                Document::Null
            }
            b'-' | b'0'..=b'9' => Document::Number(match self.number()? {
                Num::U(u) => Number::PosInt(u),
                Num::I(i) => Number::NegInt(i),
                Num::F(f) => Number::Float(f),
            }),
            _ => return Err(self.error("expected a value")),
        })
    }

    // ------------------------------------------------------------ shaped values

    /// The first byte of the next value, or `None` after consuming a `null`.
    /// Callers resolve where the value goes only for a non-null value, so a
    /// `null` never creates a list element, map entry or union variant
    /// (except in sparse collections, where it is kept as `None`).
    #[inline(always)]
    fn non_null(&mut self) -> Result<Option<u8>> {
        let b = self.peek()?;
        if b == b'n' {
            self.keyword("null")?;
            Ok(None)
        } else {
            Ok(Some(b))
        }
    }

    /// Reads one value of member `i` of `s`.
    #[inline]
    fn member(&mut self, s: &mut dyn Struct, i: usize, member: &'static Member) -> Result<()> {
        if let Some(b) = self.non_null()? {
            match s.member_mut(i) {
                Some(v) => self.fill(member, v, b)?,
                None => {
                    let name = s.shape().name;
                    return Err(DeserializeError::new(format!("no member {i} in {name}")));
                }
            }
        }
        Ok(())
    }

    /// Reads a non-null value (starting with byte `b`) into `v`: strings
    /// here, containers and other scalars out of line, so this stays small.
    #[inline]
    fn fill(&mut self, member: &'static Member, v: &mut dyn Value, b: u8) -> Result<()> {
        match (member.target.kind, b) {
            (ShapeKind::String, b'"') => {
                let s = self.string()?;
                set(v.set_str(s))
            }
            (ShapeKind::Structure(_) | ShapeKind::Union(_), b'{') => self.struct_value(member, v),
            (ShapeKind::Map(ms), b'{') => self.map(ms, v),
            (ShapeKind::List(ls), b'[') => self.list(ls, v),
            _ => self.scalar(member, v, b),
        }
    }

    /// At `{`: a structure or union value.
    #[inline(never)]
    fn struct_value(&mut self, member: &'static Member, v: &mut dyn Value) -> Result<()> {
        let Some(s) = v.struct_mut() else {
            return Err(self.error(format_args!("{} is not a structure", member.name)));
        };
        self.object(member.target, s, false)
    }

    /// A value other than a string, structure, list or map (or a mismatch).
    #[inline(never)]
    fn scalar(&mut self, member: &'static Member, v: &mut dyn Value, b: u8) -> Result<()> {
        match (member.target.kind, b) {
            (ShapeKind::Boolean, b't' | b'f') => {
                let x = self.boolean()?;
                set(v.set_bool(x))
            }
            (ShapeKind::Integer | ShapeKind::Long | ShapeKind::IntEnum, b'-' | b'0'..=b'9') => {
                let n = match self.number()? {
                    Num::U(u) => i64::try_from(u).map_err(|_| {
                        self.error(format_args!("integer {u} out of range for {}", member.name))
                    })?,
                    Num::I(i) => i,
                    // Accept integral values written as floats (1.0, 1e3) if they fit.
                    Num::F(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => f as i64,
                    Num::F(f) => {
                        return Err(self.error(format_args!(
                            "number {f} is not a valid integer for {}",
                            member.name
                        )));
                    }
                };
                set(v.set_int(n))
            }
            (ShapeKind::Float | ShapeKind::Double, b'-' | b'0'..=b'9') => {
                let f = match self.number()? {
                    Num::U(u) => u as f64,
                    Num::I(i) => i as f64,
                    Num::F(f) => f,
                };
                set(v.set_float(f))
            }
            (ShapeKind::Float | ShapeKind::Double, b'"') => {
                let f = match self.string()? {
                    s @ ("NaN" | "Infinity" | "-Infinity") => {
                        rest::parse_float(s).unwrap_or(f64::NAN)
                    }
                    _ => return Err(self.mismatch(member, b)),
                };
                set(v.set_float(f))
            }
            (ShapeKind::Timestamp, b'-' | b'0'..=b'9') => {
                let secs = match self.number()? {
                    Num::U(u) => u as f64,
                    Num::I(i) => i as f64,
                    Num::F(f) => f,
                };
                set(v.set_timestamp(timestamp::parse_epoch_f64(secs)?))
            }
            (ShapeKind::Timestamp, b'"') => {
                let fmt = member
                    .timestamp_format()
                    .unwrap_or(TimestampFormat::Iso8601);
                let t = timestamp::parse(self.string()?, fmt)?;
                set(v.set_timestamp(t))
            }
            (ShapeKind::Blob, b'"') => {
                let bytes = BASE64.decode(self.string()?).map_err(|e| {
                    DeserializeError::new(format!("invalid base64 for {}: {e}", member.name))
                })?;
                if member.target.streaming {
                    set(v.set_stream(ByteStream::new(bytes)))
                } else {
                    set(v.set_blob(bytes))
                }
            }
            // A `jsonvalue` member: a string holding JSON text.
            (ShapeKind::Document, b'"') if member.json_value => {
                let d = Document::from_json_text(self.string()?).map_err(|e| {
                    DeserializeError::new(format!("invalid JSON text in {}: {e}", member.name))
                })?;
                set(v.set_document(d))
            }
            (ShapeKind::Document, _) => {
                let d = self.document()?;
                set(v.set_document(d))
            }
            _ => Err(self.mismatch(member, b)),
        }
    }

    /// At `{`: the members of a structure or union. With `body_only`, keys of
    /// members bound elsewhere (headers, ...) are skipped (REST).
    ///
    /// `shape` is `s.shape()`; callers pass the member's target so that no
    /// virtual call is needed to find it.
    fn object(&mut self, shape: &'static Shape, s: &mut dyn Struct, body_only: bool) -> Result<()> {
        self.enter()?;
        if !self.first(b'}')? {
            return Ok(());
        }
        let members = shape.members();
        let is_union = matches!(shape.kind, ShapeKind::Union(_));
        // Services usually send members in model order: look after the last
        // match first, so finding a key is one comparison in the common case.
        let mut next = 0;
        loop {
            if self.peek()? != b'"' {
                return Err(self.error("expected a string key"));
            }
            let range = self.string_range()?;
            self.expect(b':')?;
            let key = match range {
                Some((start, end)) => &self.src.as_bytes()[start..end],
                None => self.scratch.as_bytes(),
            };
            match find_member(members, key, body_only, next) {
                Some(i) => {
                    next = i + 1;
                    self.member(&mut *s, i, &members[i])?;
                }
                // `__type` names the union's shape in some services; not a variant.
                None if is_union && key != b"__type" => {
                    let name = self.text(range).to_owned();
                    self.skip()?;
                    s.set_unknown_variant(&name);
                }
                None => self.skip()?,
            }
            if !self.more(b'}')? {
                return Ok(());
            }
        }
    }

    /// At `{`: a map's entries.
    #[inline(never)]
    fn map(&mut self, ms: &'static MapShape, v: &mut dyn Value) -> Result<()> {
        v.init_map();
        self.enter()?;
        if !self.first(b'}')? {
            return Ok(());
        }
        let hint = self.hints.get(ms);
        if hint > 0 {
            v.reserve(hint);
        }
        let mut n = 0;
        loop {
            let key = self.key()?.to_owned();
            match self.non_null()? {
                Some(b) => {
                    let e = v.insert(key).ok_or_else(|| not_a("map"))?;
                    self.fill(&ms.value, e, b)?;
                }
                None if ms.sparse => v.insert(key).ok_or_else(|| not_a("map"))?.set_null(),
                None => {}
            }
            n += 1;
            if !self.more(b'}')? {
                break;
            }
        }
        self.hints.set(ms, n);
        Ok(())
    }

    /// At `[`: a list's elements.
    #[inline(never)]
    fn list(&mut self, ls: &'static ListShape, v: &mut dyn Value) -> Result<()> {
        v.init_list();
        self.enter()?;
        if !self.first(b']')? {
            return Ok(());
        }
        loop {
            match self.non_null()? {
                Some(b) => {
                    let e = v.push().ok_or_else(|| not_a("list"))?;
                    self.fill(&ls.member, e, b)?;
                }
                None if ls.sparse => v.push().ok_or_else(|| not_a("list"))?.set_null(),
                None => {}
            }
            if !self.more(b']')? {
                return Ok(());
            }
        }
    }

    /// The top-level value of a body: an object into `target`, or `null`
    /// (which leaves it unchanged).
    pub(super) fn top_struct(&mut self, target: &mut dyn Struct, body_only: bool) -> Result<()> {
        match self.peek()? {
            b'{' => self.object(target.shape(), target, body_only)?,
            b'n' => self.keyword("null")?,
            _ => {
                return Err(self.error(format_args!(
                    "expected a JSON object for {}",
                    target.shape().name
                )));
            }
        }
        self.end()
    }

    /// The top-level value of a body as member `i` of `target` (a REST payload).
    pub(super) fn top_member(
        &mut self,
        member: &'static Member,
        target: &mut dyn Struct,
        i: usize,
    ) -> Result<()> {
        self.member(target, i, member)?;
        self.end()
    }
}

/// The index of the member whose wire name is `key`, trying `from..` first.
#[inline]
fn find_member(members: &[Member], key: &[u8], body_only: bool, from: usize) -> Option<usize> {
    let matches = |m: &Member| {
        let w = m.wire_name().as_bytes();
        // Lengths and first bytes rule out most members without a memcmp call.
        w.len() == key.len()
            && w.first() == key.first()
            && short_eq(w, key)
            && (!body_only || m.location == Location::Body)
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

/// `a == b` for slices of equal length, without a library call for the short
/// keys member names are.
#[inline]
fn short_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() > 16 {
        return a == b;
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// The index of the first byte at or after `i` that ends a plain run inside
/// a string literal (`"`, `\` or a control character), or `bytes.len()`.
///
/// Scans eight bytes per step with word arithmetic: for each byte `b` of a
/// word, `(b - k) & !b & 0x80` is set when `b < k` (and `b ^ c` is zero
/// exactly when `b == c`). A borrow between bytes only starts at a byte that
/// satisfies the test, so bytes above a match may be flagged spuriously but
/// the lowest flagged byte is always a true match.
#[inline]
fn plain_run_end(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const BACKSLASHES: u64 = ONES * b'\\' as u64;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(word);
        let q = w ^ QUOTES;
        let b = w ^ BACKSLASHES;
        let hits = (q.wrapping_sub(ONES) & !q
            | b.wrapping_sub(ONES) & !b
            | w.wrapping_sub(ONES * 0x20) & !w)
            & HIGH;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    //! The reader against serde_json (with `float_roundtrip`, so both round
    //! floats correctly) as an oracle: the same inputs must be accepted or
    //! rejected alike and give the same values.

    use super::*;
    use crate::protocol::fixtures::*;
    use crate::protocol::json::parse_struct;

    /// `{"Name": lit}` through our reader, `lit` through serde_json.
    fn check_string(lit: &str) {
        let body = format!(r#"{{"Name":{lit}}}"#);
        let mut item = Item::default();
        let ours = parse_struct(body.as_bytes(), &mut item, false).map(|()| item.name);
        let theirs = serde_json::from_str::<String>(lit);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{lit:?}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{lit:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    /// `{"Doc": lit}` through our reader, `lit` through serde_json.
    fn check_document(lit: &[u8]) {
        let mut body = br#"{"Doc":"#.to_vec();
        body.extend_from_slice(lit);
        body.push(b'}');
        let mut item = Item::default();
        let ours = parse_struct(&body, &mut item, false).map(|()| item.doc);
        let theirs = serde_json::from_slice::<serde_json::Value>(lit);
        match (&ours, theirs) {
            // A top-level `null` is "no value" for a document member.
            (Ok(a), Ok(serde_json::Value::Null)) => assert_eq!(a, &None, "{lit:?}"),
            (Ok(a), Ok(b)) => assert_eq!(
                a.as_ref(),
                Some(&Document::from(b)),
                "{}",
                String::from_utf8_lossy(lit)
            ),
            (Err(_), Err(_)) => {}
            (_, theirs) => panic!(
                "{}: ours {ours:?}, serde_json {theirs:?}",
                String::from_utf8_lossy(lit)
            ),
        }
    }

    #[test]
    fn strings_match_serde_json() {
        let cases = [
            r#""""#,
            r#""a""#,
            r#""plain ascii text""#,
            r#""é ü 日本 🎉""#,
            r#""\"\\\/\b\f\n\r\t""#,
            r#""\u0041\u00e9\u65e5""#,
            r#""\ud83c\udf89""#,
            r#""\uD83C\uDF89 upper""#,
            r#""\ud83c""#,
            r#""\ud83cx""#,
            r#""\ud83c\u0041""#,
            r#""\udf89""#,
            r#""\u12""#,
            r#""\u12g4""#,
            r#""\x""#,
            r#""\"#,
            r#""abc"#,
            "\"tab\there\"",
            "\"nl\nhere\"",
            "\"\u{7f} del is fine\"",
        ];
        for lit in cases {
            check_string(lit);
        }
        // Every special byte at every offset of strings longer than a word,
        // so the eight-byte scan and its tail both see each of them.
        for len in 0..24 {
            for pos in 0..len {
                for special in ["\\\"", "\\\\", "\\n", "\\u0001", "é", "\u{1}", "\"", "\\"] {
                    let mut s: String = "abcdefghijklmnopqrstuvwxyz".chars().take(len).collect();
                    s.replace_range(pos..=pos, special);
                    check_string(&format!("\"{s}\""));
                }
            }
        }
    }

    #[test]
    fn numbers_match_serde_json() {
        let cases = [
            "0",
            "-0",
            "1",
            "-1",
            "01",
            "-01",
            "00",
            "1.",
            ".5",
            "1.5",
            "-1.5",
            "1e",
            "1e+",
            "1e-",
            "1E5",
            "1e+5",
            "1e-5",
            "-",
            "+1",
            "0x10",
            "1.0e0",
            "0.0",
            "-0.0",
            "18446744073709551615",
            "18446744073709551616",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e400",
            "-1e400",
            "1e-400",
            "123456789.12345679",
            "0.1",
            "0.30000000000000004",
            "2.2250738585072014e-308",
            "4.9e-324",
            "1.7976931348623157e308",
            "12345678901234567890123456789",
            "1.5 ",
            " 7",
            "7x",
            "Infinity",
            "NaN",
        ];
        for lit in cases {
            check_document(lit.as_bytes());
        }
    }

    #[test]
    fn documents_match_serde_json() {
        let cases: &[&[u8]] = &[
            b"null",
            b"true",
            b"false",
            b"nul",
            b"tru",
            b"falsey",
            b"[]",
            b"{}",
            b"[1,2,[3]]",
            b"[1,]",
            b"[,1]",
            b"{\"a\":1,}",
            b"{\"a\" 1}",
            b"{1:2}",
            b"{\"a\":1 \"b\":2}",
            b"{\"a\":1,\"a\":2}",
            b" [ 1 , { \"b\" : [ ] } ] ",
            b"[\"\xff\"]",
            b"[\"\xc3\xa9\"]",
            b"\t\r\n[1]\n",
            b"[1]]",
            b"{\"a\":[}]",
        ];
        for lit in cases {
            check_document(lit);
        }
        // The nesting limit is serde_json's, counting the body's own object.
        for depth in 124..130 {
            let body = format!(r#"{{"Doc":{}{}}}"#, "[".repeat(depth), "]".repeat(depth));
            let ours = parse_struct(body.as_bytes(), &mut Item::default(), false);
            let theirs = serde_json::from_str::<serde_json::Value>(&body);
            assert_eq!(ours.is_ok(), theirs.is_ok(), "depth {depth}: {ours:?}");
        }
    }

    #[test]
    fn mutated_documents_match_serde_json() {
        // Single-byte corruptions and truncations of a document exercising
        // every token kind.
        let base: &[u8] =
            br#"{"k":[1,-2.5e3,"s\u00e9\n",true,false,null,{"x":{}},[]],"u":"\ud83c\udf89"}"#;
        for end in 0..=base.len() {
            check_document(&base[..end]);
        }
        for i in 0..base.len() {
            for b in [
                b'"', b'{', b'}', b'[', b']', b',', b':', b'0', b'-', b'e', b'.', b'\\', b' ',
                0xff, b'u', b'n',
            ] {
                let mut bad = base.to_vec();
                bad[i] = b;
                check_document(&bad);
            }
        }
    }

    #[test]
    fn bytes_after_the_value_are_an_error() {
        for (body, ok) in [
            (&b"{} \n\t\r"[..], true),
            (b"{}x", false),
            (b"{} {}", false),
            (b"null", true),
            (b"nullx", false),
            (b"\"x\"", false),
            (b"[]", false),
        ] {
            let r = parse_struct(body, &mut Item::default(), false);
            assert_eq!(r.is_ok(), ok, "{}: {r:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn errors_name_line_and_column() {
        let err = parse_struct(b"{\n  \"Name\": 1\n}", &mut Item::default(), false).unwrap_err();
        assert!(
            err.message
                .contains("expected string for Name, found number at line 2 column 11"),
            "{err}"
        );
    }

    #[test]
    fn map_hints_only_reserve() {
        // Maps of one shape with very different sizes, in both orders: the
        // capacity hint from one must not leak entries into the next.
        let big: Vec<String> = (0..50).map(|i| format!(r#""k{i}":{{"S":"v"}}"#)).collect();
        let body = format!(
            r#"{{"Attrs":{{"a":{{"M":{{{}}}}},"b":{{"M":{{"one":{{"S":"1"}}}}}},"c":{{"M":{{}}}}}}}}"#,
            big.join(",")
        );
        let mut item = Item::default();
        parse_struct(body.as_bytes(), &mut item, false).unwrap();
        let attrs = item.attrs.unwrap();
        let len = |k: &str| match &attrs[k] {
            AttrValue::M(m) => m.len(),
            other => panic!("{other:?}"),
        };
        assert_eq!((len("a"), len("b"), len("c")), (50, 1, 0));
    }
}
