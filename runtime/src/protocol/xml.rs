//! XML reading and writing shared by the query, ec2 and rest-xml protocols.
//!
//! Reading streams events from `quick-xml` straight into the reflection
//! slots of the output value (no DOM): [`XmlReader`] yields child elements
//! and text, and [`read_struct`] walks a structure shape over them. Element
//! names are matched by local name, so namespace prefixes and `xmlns`
//! declarations never matter. Unknown elements are skipped, malformed XML is
//! a [`DeserializeError`], and nesting is bounded so hostile input cannot
//! exhaust the stack.
//!
//! Writing ([`XmlWriter`], [`write_struct`]) produces compact XML with
//! `xmlns` attributes wherever the model states a namespace.

use super::rest::{BASE64, format_float, idempotency_token, is_unset_token, parse_float};
use crate::error::{DeserializeError, SerializeError};
use crate::schema::{Location, Member, ShapeKind, TimestampFormat, XmlNamespace};
use crate::value::{Struct, Value, ValueRef};
use base64::Engine as _;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// Deepest element nesting accepted; real AWS responses stay far below it.
const MAX_DEPTH: usize = 128;

fn malformed(what: impl std::fmt::Display) -> DeserializeError {
    DeserializeError::new(format!("malformed XML: {what}"))
}

/// One element start: its name, attributes and whether it was self-closing.
pub(crate) struct Elem<'a> {
    pub empty: bool,
    start: BytesStart<'a>,
}

impl<'a> Elem<'a> {
    fn new(start: BytesStart<'a>, empty: bool) -> Elem<'a> {
        Elem { empty, start }
    }

    /// The local name (without a namespace prefix).
    pub fn name(&self) -> &str {
        let full: &str = self.start.name().0;
        // After the last colon; `:` is ASCII, so that is a char boundary.
        &full[after_last_colon(full.as_bytes())..]
    }

    /// The value of the attribute with this local name (entities resolved).
    pub fn attr(&self, local: &str) -> Result<Option<Cow<'a, str>>, DeserializeError> {
        for attr in self.start.attributes() {
            let attr = attr.map_err(malformed)?;
            let key: &str = attr.key.as_ref();
            let key_local = key.rsplit_once(':').map_or(key, |(_, l)| l);
            // `xmlns:foo` declares a prefix; it is never a member attribute.
            if key_local == local && !key.starts_with("xmlns") {
                let v = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(malformed)?;
                return Ok(Some(Cow::Owned(v.into_owned())));
            }
        }
        Ok(None)
    }

    fn has_attributes(&self) -> bool {
        !self.start.attributes_raw().trim().is_empty()
    }
}

/// The index after the last `:` in `name` (0 without one). Names are short:
/// eight bytes per step with exact per-byte equality flags (no carries
/// between bytes) beats both a byte loop and a memrchr call.
#[inline]
fn after_last_colon(name: &[u8]) -> usize {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const COLONS: u64 = 0x3A3A_3A3A_3A3A_3A3A;
    let mut start = 0;
    let mut i = 0;
    while let Some(chunk) = name.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let v = u64::from_le_bytes(word) ^ COLONS;
        // High bit set exactly in the bytes of `v` that are zero.
        let zero = !(((v & LOW7) + LOW7) | v | LOW7);
        if zero != 0 {
            start = i + (63 - zero.leading_zeros() as usize) / 8 + 1;
        }
        i += 8;
    }
    for (j, &b) in name.iter().enumerate().skip(i) {
        if b == b':' {
            start = j + 1;
        }
    }
    start
}

/// A pull reader over one XML document held in memory.
pub(crate) struct XmlReader<'a> {
    reader: Reader<&'a [u8]>,
    depth: usize,
    /// Learned element order, see [`XmlReader::predict`].
    order: Vec<OrderSlot>,
}

/// "In the member list at `members`, after member `prev`, member `next`
/// came": one slot of a small direct-mapped table.
#[derive(Clone, Copy, Default)]
struct OrderSlot {
    members: usize,
    prev: u32,
    next: u32,
}

/// Slots of the learned-order table (a response has few distinct
/// structure shapes; collisions only cost a slower lookup).
const ORDER_SLOTS: usize = 1024;

impl<'a> XmlReader<'a> {
    pub fn new(body: &'a [u8]) -> XmlReader<'a> {
        XmlReader {
            reader: Reader::from_reader(body),
            depth: 0,
            order: Vec::new(),
        }
    }

    fn order_slot(members: &[Member], prev: usize) -> usize {
        let key = (members.as_ptr() as usize as u64).wrapping_add(prev as u64);
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize % ORDER_SLOTS
    }

    /// The member that followed member `prev` (`usize::MAX`: the start) the
    /// last time a structure with this member list was read. Services
    /// serialize a structure's members in a fixed order, which need not be
    /// the model's (EC2's is not), so repeated structures (the items of a
    /// list) find each element's member with one comparison.
    #[inline]
    fn predict(&self, members: &'static [Member], prev: usize) -> Option<usize> {
        let slot = self.order.get(Self::order_slot(members, prev))?;
        (slot.members == members.as_ptr() as usize && slot.prev as usize == prev)
            .then_some(slot.next as usize)
    }

    fn learn(&mut self, members: &'static [Member], prev: usize, next: usize) {
        if self.order.is_empty() {
            self.order = vec![OrderSlot::default(); ORDER_SLOTS];
        }
        let (Ok(prev32), Ok(next32)) = (u32::try_from(prev), u32::try_from(next)) else {
            return;
        };
        self.order[Self::order_slot(members, prev)] = OrderSlot {
            members: members.as_ptr() as usize,
            prev: prev32,
            next: next32,
        };
    }

    fn event(&mut self) -> Result<Event<'a>, DeserializeError> {
        self.reader.read_event().map_err(|e| {
            malformed(format_args!(
                "{e} (at byte {})",
                self.reader.error_position()
            ))
        })
    }

    /// The root element, or `None` for a document without one (empty body).
    pub fn root(&mut self) -> Result<Option<Elem<'a>>, DeserializeError> {
        loop {
            match self.event()? {
                Event::Start(s) => {
                    self.depth = 1;
                    return Ok(Some(Elem::new(s, false)));
                }
                Event::Empty(s) => return Ok(Some(Elem::new(s, true))),
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => return Ok(None),
                _ => return Err(malformed("content before the root element")),
            }
        }
    }

    /// Checks that nothing but comments and whitespace follows the root element.
    pub fn finish(&mut self) -> Result<(), DeserializeError> {
        loop {
            match self.event()? {
                Event::Eof => return Ok(()),
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(malformed("content after the root element")),
            }
        }
    }

    /// The next child element of `parent`, or `None` at `parent`'s end tag.
    /// Text between child elements is ignored.
    pub fn next_child(&mut self, parent: &Elem<'a>) -> Result<Option<Elem<'a>>, DeserializeError> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            match self.event()? {
                Event::Start(s) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(malformed("elements nested too deeply"));
                    }
                    return Ok(Some(Elem::new(s, false)));
                }
                Event::Empty(s) => return Ok(Some(Elem::new(s, true))),
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(None);
                }
                Event::Eof => return Err(malformed("unexpected end of document")),
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(malformed("declaration inside an element"));
                }
                // Text, CDATA, entity references, comments, PIs.
                _ => {}
            }
        }
    }

    /// Skips the rest of `elem` (after its start tag) including all children.
    pub fn skip(&mut self, elem: &Elem<'a>) -> Result<(), DeserializeError> {
        if elem.empty {
            return Ok(());
        }
        let target = self.depth - 1;
        loop {
            match self.event()? {
                Event::Start(_) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(malformed("elements nested too deeply"));
                    }
                }
                Event::End(_) => {
                    self.depth -= 1;
                    if self.depth == target {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(malformed("unexpected end of document")),
                _ => {}
            }
        }
    }

    /// The text content of `elem` (after its start tag), through its end tag:
    /// text, CDATA and entity references joined; child elements are skipped.
    pub fn text(&mut self, elem: &Elem<'a>) -> Result<Cow<'a, str>, DeserializeError> {
        if elem.empty {
            return Ok(Cow::Borrowed(""));
        }
        let mut acc: Cow<'a, str> = Cow::Borrowed("");
        fn append<'a>(acc: &mut Cow<'a, str>, piece: Cow<'a, str>) {
            if acc.is_empty() {
                *acc = piece;
            } else {
                acc.to_mut().push_str(&piece);
            }
        }
        loop {
            match self.event()? {
                Event::Text(t) => append(&mut acc, t.xml10_content()),
                Event::CData(c) => append(&mut acc, c.xml10_content()),
                Event::GeneralRef(r) => {
                    let ch = if r.is_char_ref() {
                        r.resolve_char_ref().map_err(malformed)?
                    } else {
                        match &*r {
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "amp" => Some('&'),
                            "apos" => Some('\''),
                            "quot" => Some('"'),
                            other => {
                                return Err(malformed(format_args!("unknown entity &{other};")));
                            }
                        }
                    };
                    let ch = ch.ok_or_else(|| malformed("bad character reference"))?;
                    acc.to_mut().push(ch);
                }
                Event::Start(s) => {
                    self.depth += 1;
                    let child = Elem::new(s, false);
                    self.skip(&child)?;
                }
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(acc);
                }
                Event::Eof => return Err(malformed("unexpected end of document")),
                _ => {}
            }
        }
    }
}

/// Reads the children (and attributes) of `elem` into `out`.
///
/// `wrapper`: an element name that is transparent at this level (the query
/// protocol's `<OpResult>`): its children are read into `out` as well.
pub(crate) fn read_struct<'a>(
    r: &mut XmlReader<'a>,
    elem: &Elem<'a>,
    out: &mut dyn Struct,
    wrapper: Option<&str>,
) -> Result<(), DeserializeError> {
    let shape = out.shape();
    let members = shape.members();
    let is_union = matches!(shape.kind, ShapeKind::Union(_));
    if elem.has_attributes() {
        for (i, m) in members.iter().enumerate() {
            if m.xml_attribute
                && let Some(v) = elem.attr(m.wire_name())?
                && let Some(slot) = out.member_mut(i)
            {
                set_scalar(slot, m, v)?;
            }
        }
    }
    let mut index = None;
    let mut prev = usize::MAX;
    while let Some(child) = r.next_child(elem)? {
        let name = child.name();
        let found = match r.predict(members, prev) {
            Some(i) if members.get(i).is_some_and(|m| is_element_of(m, name)) => Some(i),
            _ => {
                let index = index.get_or_insert_with(|| name_index(members));
                let found = find_member(members, index.as_ref(), name, prev.wrapping_add(1));
                if let Some(i) = found {
                    r.learn(members, prev, i);
                }
                found
            }
        };
        match found {
            Some(i) => {
                prev = i;
                let m = &members[i];
                let slot = out.member_mut(i).ok_or_else(|| {
                    DeserializeError::new(format!("no field for member {}", m.name))
                })?;
                read_member(r, &child, slot, m)?;
            }
            None if wrapper == Some(child.name()) => read_struct(r, &child, out, None)?,
            None => {
                if is_union {
                    out.set_unknown_variant(child.name());
                }
                r.skip(&child)?;
            }
        }
    }
    Ok(())
}

/// A structure's body members by wire name.
type NameIndex = Rc<HashMap<&'static str, usize, BuildHasherDefault<Fnv>>>;

/// Structures with more members than this get a name index.
const INDEX_ABOVE: usize = 8;

thread_local! {
    /// Name indexes of large structures, keyed by the address of the shape's
    /// (static) member list; built on first use, at most one per shape.
    static NAME_INDEXES: RefCell<HashMap<usize, NameIndex>> = RefCell::new(HashMap::new());
}

/// FNV-1a: element names are short, so a simple byte hash beats SipHash.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

fn name_index(members: &'static [Member]) -> Option<NameIndex> {
    if members.len() <= INDEX_ABOVE {
        return None;
    }
    NAME_INDEXES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let index = cache.entry(members.as_ptr() as usize).or_insert_with(|| {
            let mut names = HashMap::with_capacity_and_hasher(members.len(), Default::default());
            // Reverse, so the first of two members with one wire name wins.
            for (i, m) in members.iter().enumerate().rev() {
                if in_body(m) && !m.xml_attribute {
                    names.insert(m.wire_name(), i);
                }
            }
            Rc::new(names)
        });
        Some(Rc::clone(index))
    })
}

/// Whether a body element named `name` is member `m` (by wire name).
#[inline]
fn is_element_of(m: &Member, name: &str) -> bool {
    in_body(m) && !m.xml_attribute && same_name(m.wire_name(), name)
}

/// String equality that rejects most mismatches without calling `memcmp`.
#[inline]
fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.first() == b.first() && a.last() == b.last() && a == b
}

/// The member an element of this name fills: by wire name; a flattened
/// list also answers to its item's `locationName` (botocore model style,
/// e.g. SQS `<Message>` items of a `Messages` member).
///
/// Services send members in about model order, so the previous match
/// (`hint`) and its successor are tried first; then the name index of a
/// large structure, else a scan.
fn find_member(
    members: &[Member],
    index: Option<&NameIndex>,
    name: &str,
    hint: usize,
) -> Option<usize> {
    let matches = |m: &Member| is_element_of(m, name);
    if members.get(hint).is_some_and(matches) {
        return Some(hint);
    }
    let found = match index {
        Some(index) => index.get(name).copied(),
        None => members.iter().position(matches),
    };
    if found.is_some() {
        return found;
    }
    members.iter().position(|m| match m.target.kind {
        ShapeKind::List(l) => {
            in_body(m)
                && m.is_flattened()
                && m.location_name.is_none()
                && l.member.location_name == Some(name)
        }
        _ => false,
    })
}

/// Whether a member is read from the body of a response: URI and query
/// bindings mean nothing in a response, so such members are body members.
pub(crate) fn in_body(m: &Member) -> bool {
    matches!(
        m.location,
        Location::Body | Location::Uri | Location::QueryString
    )
}

/// Reads a structure member's element into its slot, handling flattened
/// lists and maps (one element per item / entry).
fn read_member<'a>(
    r: &mut XmlReader<'a>,
    elem: &Elem<'a>,
    slot: &mut dyn Value,
    m: &Member,
) -> Result<(), DeserializeError> {
    match m.target.kind {
        ShapeKind::List(l) if m.is_flattened() => {
            let item = slot
                .push()
                .ok_or_else(|| DeserializeError::new(format!("member {} is not a list", m.name)))?;
            read_value(r, elem, item, &l.member)
        }
        ShapeKind::Map(mp) if m.is_flattened() => {
            slot.init_map();
            read_map_entry(r, elem, slot, mp)
        }
        _ => read_value(r, elem, slot, m),
    }
}

/// Reads one element holding a value of `m`'s target shape into `slot`.
pub(crate) fn read_value<'a>(
    r: &mut XmlReader<'a>,
    elem: &Elem<'a>,
    slot: &mut dyn Value,
    m: &Member,
) -> Result<(), DeserializeError> {
    match m.target.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let s = slot.struct_mut().ok_or_else(|| {
                DeserializeError::new(format!("member {} is not a structure", m.name))
            })?;
            read_struct(r, elem, s, None)
        }
        ShapeKind::List(l) => {
            if !slot.init_list() {
                return Err(DeserializeError::new(format!(
                    "member {} is not a list",
                    m.name
                )));
            }
            while let Some(child) = r.next_child(elem)? {
                // Items are matched by position, whatever their element name
                // (`member`, `item`, or the model's locationName).
                let item = slot.push().ok_or_else(|| {
                    DeserializeError::new(format!("member {} is not a list", m.name))
                })?;
                read_value(r, &child, item, &l.member)?;
            }
            Ok(())
        }
        ShapeKind::Map(mp) => {
            if !slot.init_map() {
                return Err(DeserializeError::new(format!(
                    "member {} is not a map",
                    m.name
                )));
            }
            while let Some(entry) = r.next_child(elem)? {
                read_map_entry(r, &entry, slot, mp)?;
            }
            Ok(())
        }
        ShapeKind::Document => r.skip(elem),
        _ => {
            let text = r.text(elem)?;
            set_scalar(slot, m, text)
        }
    }
}

/// Reads one map entry (`<entry><key/><value/></entry>` or a flattened
/// entry element) into `map`.
fn read_map_entry<'a>(
    r: &mut XmlReader<'a>,
    entry: &Elem<'a>,
    map: &mut dyn Value,
    mp: &crate::schema::MapShape,
) -> Result<(), DeserializeError> {
    let key_name = mp.key.location_name.unwrap_or("key");
    let value_name = mp.value.location_name.unwrap_or("value");
    let mut key: Option<String> = None;
    let mut filled = false;
    while let Some(child) = r.next_child(entry)? {
        if child.name() == key_name {
            key = Some(r.text(&child)?.into_owned());
        } else if child.name() == value_name {
            let k = key
                .clone()
                .ok_or_else(|| DeserializeError::new("map value before its key"))?;
            let slot = map
                .insert(k)
                .ok_or_else(|| DeserializeError::new("value is not a map"))?;
            read_value(r, &child, slot, &mp.value)?;
            filled = true;
        } else {
            r.skip(&child)?;
        }
    }
    if let (Some(k), false) = (key, filled) {
        // A key without a value: present with the default (null for sparse maps).
        map.insert(k)
            .ok_or_else(|| DeserializeError::new("value is not a map"))?;
    }
    Ok(())
}

/// Parses scalar text for `m`'s target shape and stores it.
pub(crate) fn set_scalar(
    slot: &mut dyn Value,
    m: &Member,
    text: Cow<'_, str>,
) -> Result<(), DeserializeError> {
    let bad = |what: &str, text: &str| {
        DeserializeError::new(format!("member {}: invalid {what} {text:?}", m.name))
    };
    match m.target.kind {
        ShapeKind::String => match text {
            Cow::Borrowed(s) => slot.set_str(s)?,
            Cow::Owned(s) => slot.set_string(s)?,
        },
        ShapeKind::Boolean => match text.trim() {
            "true" => slot.set_bool(true)?,
            "false" => slot.set_bool(false)?,
            other => return Err(bad("boolean", other)),
        },
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::IntEnum => {
            let t = text.trim();
            let v: i64 = t.parse().map_err(|_| bad("integer", t))?;
            slot.set_int(v)?;
        }
        ShapeKind::Float | ShapeKind::Double => {
            let t = text.trim();
            let v = parse_float(t).ok_or_else(|| bad("number", t))?;
            slot.set_float(v)?;
        }
        ShapeKind::Blob => {
            let bytes = decode_base64(&text).ok_or_else(|| bad("base64", &text))?;
            slot.set_blob(bytes)?;
        }
        ShapeKind::Timestamp => {
            let format = m.timestamp_format().unwrap_or(TimestampFormat::Iso8601);
            slot.set_timestamp(crate::timestamp::parse(&text, format)?)?;
        }
        ShapeKind::Document
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List(_)
        | ShapeKind::Map(_) => {
            return Err(DeserializeError::new(format!(
                "member {} is not a scalar",
                m.name
            )));
        }
    }
    Ok(())
}

/// Base64 text to bytes; whitespace (line breaks in long values) is ignored.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let t = text.trim();
    if t.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: String = t.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        BASE64.decode(compact).ok()
    } else {
        BASE64.decode(t).ok()
    }
}

/// A scalar value as text in an XML body or form (not headers/URIs).
/// `None` for values that have no text form (documents, streams, containers).
pub(crate) fn scalar_text<'v>(m: &Member, v: ValueRef<'v>) -> Option<Cow<'v, str>> {
    Some(match v {
        ValueRef::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
        ValueRef::Int(i) => Cow::Owned(i.to_string()),
        ValueRef::Float(f) => Cow::Owned(format_float(f, m.target.kind)),
        ValueRef::Str(s) => Cow::Borrowed(s),
        ValueRef::Blob(b) => Cow::Owned(BASE64.encode(b)),
        ValueRef::Timestamp(t) => Cow::Owned(crate::timestamp::format(
            t,
            m.timestamp_format().unwrap_or(TimestampFormat::Iso8601),
        )),
        _ => return None,
    })
}

/// Compact XML text output.
#[derive(Default)]
pub(crate) struct XmlWriter {
    pub out: String,
}

impl XmlWriter {
    /// Writes `<name` plus an `xmlns` attribute for `ns`; finish with [`Self::close_start`].
    pub fn open(&mut self, name: &str, ns: Option<XmlNamespace>) {
        self.out.push('<');
        self.out.push_str(name);
        if let Some(ns) = ns {
            match ns.prefix {
                Some(p) => {
                    self.out.push_str(" xmlns:");
                    self.out.push_str(p);
                }
                None => self.out.push_str(" xmlns"),
            }
            self.out.push_str("=\"");
            escape_into(&mut self.out, ns.uri, true);
            self.out.push('"');
        }
    }

    pub fn attr(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    pub fn close_start(&mut self) {
        self.out.push('>');
    }

    pub fn end(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    pub fn text(&mut self, s: &str) {
        escape_into(&mut self.out, s, false);
    }
}

/// Escapes markup characters; carriage returns (and, in attributes, other
/// whitespace) become character references so they survive parsing.
fn escape_into(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}

fn no_text(m: &Member) -> SerializeError {
    SerializeError::new(format!("member {} cannot be written as XML text", m.name))
}

/// Writes `s` as element `name`: attributes from `xmlAttribute` members,
/// then one child per set member. `body_only` skips members bound to HTTP
/// headers, URI, query string or status (top-level input structures).
pub(crate) fn write_struct(
    w: &mut XmlWriter,
    name: &str,
    ns: Option<XmlNamespace>,
    s: &dyn Struct,
    body_only: bool,
) -> Result<(), SerializeError> {
    let members = s.shape().members();
    w.open(name, ns);
    for (i, m) in members.iter().enumerate() {
        if !m.xml_attribute || (body_only && m.location != Location::Body) {
            continue;
        }
        if let Some(v) = s.member(i) {
            let v = v.get();
            if matches!(v, ValueRef::Null) {
                continue;
            }
            let text = scalar_text(m, v).ok_or_else(|| no_text(m))?;
            w.attr(m.wire_name(), &text);
        }
    }
    w.close_start();
    for (i, m) in members.iter().enumerate() {
        if m.xml_attribute || (body_only && m.location != Location::Body) {
            continue;
        }
        let Some(v) = s.member(i) else { continue };
        let v = v.get();
        let token;
        let v = if body_only && m.idempotency_token && is_unset_token(&v) {
            token = idempotency_token();
            ValueRef::Str(&token)
        } else {
            v
        };
        if matches!(v, ValueRef::Null) {
            continue;
        }
        write_member(w, m, v)?;
    }
    w.end(name);
    Ok(())
}

/// Writes one structure member (flattened lists/maps as repeated elements).
pub(crate) fn write_member(
    w: &mut XmlWriter,
    m: &Member,
    v: ValueRef<'_>,
) -> Result<(), SerializeError> {
    let name = m.wire_name();
    let ns = m.xml_namespace();
    match (m.target.kind, v) {
        (ShapeKind::List(l), ValueRef::List(items)) if m.is_flattened() => {
            for i in 0..items.len() {
                write_value(
                    w,
                    name,
                    l.member.xml_namespace(),
                    &l.member,
                    items.item(i).get(),
                )?;
            }
            Ok(())
        }
        (ShapeKind::Map(mp), ValueRef::Map(map)) if m.is_flattened() => {
            for (k, val) in map.sorted_entries() {
                w.open(name, ns);
                w.close_start();
                write_entry(w, mp, k, val.get())?;
                w.end(name);
            }
            Ok(())
        }
        _ => write_value(w, name, ns, m, v),
    }
}

fn write_entry(
    w: &mut XmlWriter,
    mp: &crate::schema::MapShape,
    k: &str,
    v: ValueRef<'_>,
) -> Result<(), SerializeError> {
    let key_name = mp.key.location_name.unwrap_or("key");
    w.open(key_name, mp.key.xml_namespace());
    w.close_start();
    w.text(k);
    w.end(key_name);
    if !matches!(v, ValueRef::Null) {
        write_value(
            w,
            mp.value.location_name.unwrap_or("value"),
            mp.value.xml_namespace(),
            &mp.value,
            v,
        )?;
    }
    Ok(())
}

/// Writes a value of `m`'s target shape as element `name`.
pub(crate) fn write_value(
    w: &mut XmlWriter,
    name: &str,
    ns: Option<XmlNamespace>,
    m: &Member,
    v: ValueRef<'_>,
) -> Result<(), SerializeError> {
    match v {
        ValueRef::Struct(s) => write_struct(w, name, ns, s, false),
        ValueRef::List(items) => {
            let ShapeKind::List(l) = m.target.kind else {
                return Err(no_text(m));
            };
            let item_name = l.member.location_name.unwrap_or("member");
            let item_ns = l.member.xml_namespace();
            w.open(name, ns);
            w.close_start();
            for i in 0..items.len() {
                write_value(w, item_name, item_ns, &l.member, items.item(i).get())?;
            }
            w.end(name);
            Ok(())
        }
        ValueRef::Map(map) => {
            let ShapeKind::Map(mp) = m.target.kind else {
                return Err(no_text(m));
            };
            w.open(name, ns);
            w.close_start();
            for (k, val) in map.sorted_entries() {
                w.open("entry", None);
                w.close_start();
                write_entry(w, mp, k, val.get())?;
                w.end("entry");
            }
            w.end(name);
            Ok(())
        }
        ValueRef::Null => {
            // A null item of a sparse list keeps its position as an empty element.
            w.open(name, ns);
            w.out.push_str("/>");
            Ok(())
        }
        _ => {
            let text = scalar_text(m, v).ok_or_else(|| no_text(m))?;
            w.open(name, ns);
            w.close_start();
            w.text(&text);
            w.end(name);
            Ok(())
        }
    }
}

/// Reads a whole response body into `out`; an empty body leaves it as is.
pub(crate) fn read_document(
    body: &[u8],
    out: &mut dyn Struct,
    wrapper: Option<&str>,
) -> Result<(), DeserializeError> {
    let mut r = XmlReader::new(body);
    if let Some(root) = r.root()? {
        read_struct(&mut r, &root, out, wrapper)?;
    }
    r.finish()
}

/// Like [`read_document`], but a root element named after a scalar member
/// of `out` is that member's value: S3's `GetBucketLocation` answers
/// `<LocationConstraint>eu-west-1</LocationConstraint>` for an output
/// structure whose member is `LocationConstraint`.
pub(crate) fn read_document_or_scalar_root(
    body: &[u8],
    out: &mut dyn Struct,
) -> Result<(), DeserializeError> {
    let mut r = XmlReader::new(body);
    if let Some(root) = r.root()? {
        let members = out.shape().members();
        let scalar = find_member(members, None, root.name(), 0).filter(|&i| {
            !matches!(
                members[i].target.kind,
                ShapeKind::Structure(_)
                    | ShapeKind::Union(_)
                    | ShapeKind::List(_)
                    | ShapeKind::Map(_)
                    | ShapeKind::Document
            )
        });
        match scalar.and_then(|i| Some((i, out.member_mut(i)?))) {
            Some((i, slot)) => {
                let text = r.text(&root)?;
                set_scalar(slot, &members[i], text)?;
            }
            None => read_struct(&mut r, &root, out, None)?,
        }
    }
    r.finish()
}

/// What an XML error response says about itself.
#[derive(Debug, Default)]
pub(crate) struct ErrorFields {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// S3's `HostId`.
    pub host_id: Option<String>,
}

/// Finds the `<Error>` element of an error response — the root (S3 style),
/// a child of the root (`<ErrorResponse>`), or inside `<Errors>` (ec2) — and
/// either reads its code, message and request id, or, with `out`, reads its
/// children into the modeled error structure.
pub(crate) fn read_error(
    body: &[u8],
    mut out: Option<&mut dyn Struct>,
) -> Result<ErrorFields, DeserializeError> {
    let mut fields = ErrorFields::default();
    let mut r = XmlReader::new(body);
    let Some(root) = r.root()? else {
        return Ok(fields);
    };
    if root.name() == "Error" {
        read_error_element(&mut r, &root, &mut fields, out)?;
        return r.finish().map(|()| fields);
    }
    let mut seen = false;
    while let Some(child) = r.next_child(&root)? {
        match child.name() {
            "Error" if !seen => {
                seen = true;
                read_error_element(&mut r, &child, &mut fields, out.take())?;
            }
            "Errors" if !seen => {
                while let Some(e) = r.next_child(&child)? {
                    if e.name() == "Error" && !seen {
                        seen = true;
                        read_error_element(&mut r, &e, &mut fields, out.take())?;
                    } else {
                        r.skip(&e)?;
                    }
                }
            }
            "RequestId" | "RequestID" => fields.request_id = Some(r.text(&child)?.into_owned()),
            _ => r.skip(&child)?,
        }
    }
    r.finish().map(|()| fields)
}

fn read_error_element<'a>(
    r: &mut XmlReader<'a>,
    elem: &Elem<'a>,
    fields: &mut ErrorFields,
    out: Option<&mut dyn Struct>,
) -> Result<(), DeserializeError> {
    if let Some(out) = out {
        return read_struct(r, elem, out, None);
    }
    while let Some(child) = r.next_child(elem)? {
        let slot = match child.name() {
            "Code" => &mut fields.code,
            "Message" | "message" => &mut fields.message,
            "RequestId" | "RequestID" => &mut fields.request_id,
            "HostId" => &mut fields.host_id,
            _ => {
                r.skip(&child)?;
                continue;
            }
        };
        *slot = Some(r.text(&child)?.into_owned());
    }
    Ok(())
}

/// Builds the envelope of an XML error response. An empty or unreadable
/// body yields the HTTP status as the code (botocore's behaviour, e.g. S3
/// `HEAD` 404s).
pub(crate) fn error_envelope(
    service: &crate::schema::Service,
    op: &crate::schema::Operation,
    response: &super::HttpResponse,
) -> Result<super::ErrorEnvelope, DeserializeError> {
    // A body that is not XML (a proxy's HTML page, a truncated response)
    // still yields an error named by the status, as botocore does.
    let fields = read_error(&response.body, None).unwrap_or_default();
    let code = match fields.code {
        Some(c) => sanitize_code(&c).to_owned(),
        None => response.status.to_string(),
    };
    let matched = super::find_error(service, op, &code);
    Ok(super::ErrorEnvelope {
        code,
        message: fields.message,
        request_id: fields
            .request_id
            .or_else(|| response.header("x-amz-request-id").map(str::to_owned)),
        extended_request_id: fields.host_id,
        matched,
    })
}

/// Strips a `namespace#` prefix and a `:detail` suffix from an error code.
fn sanitize_code(code: &str) -> &str {
    let code = code.trim();
    let code = code.rsplit_once('#').map_or(code, |(_, c)| c);
    code.split_once(':').map_or(code, |(c, _)| c)
}

#[cfg(test)]
mod name_tests {
    use super::after_last_colon;

    #[test]
    fn local_name_starts_after_the_last_colon() {
        for name in [
            "",
            ":",
            "a",
            "a:b",
            "ns:item",
            "abcdefgh:i",
            "abcdefg:hi",
            "a:b:c",
            "x:abcdefghijklmnop",
            "abcdefghijklmnop:x",
            "abcdefghijklmno:",
            "::::::::::",
            "é:ü",
            "noprefixatallhere",
        ] {
            let expected = name.rfind(':').map_or(0, |i| i + 1);
            assert_eq!(after_last_colon(name.as_bytes()), expected, "{name:?}");
        }
    }
}
