//! Reflection over generated values.
//!
//! Every field type of a generated struct implements [`Value`]: reading yields
//! a [`ValueRef`], writing a [`ValueMut`] (the field's storage, or a
//! container, structure or string-enum trait object), which the `set_*`
//! and container methods of `dyn Value` match on. Generated structs and unions implement [`Struct`], which maps a
//! member index (its position in the shape's [`StructShape`] members) to the
//! field. With these two traits one generic serializer and parser per
//! protocol, and one validator, serve every generated type, so generated code
//! holds no protocol logic and instantiates no per-shape generics.
//!
//! Writes that do not fit the field's type return [`TypeMismatch`]; parsers
//! turn it into a deserialization error rather than panicking.
//!
//! [`StructShape`]: crate::schema::StructShape

use crate::schema::Shape;
use crate::types::{Blob, ByteStream, DateTime, Document};
use std::collections::HashMap;
use std::fmt;

/// A borrowed view of one value.
#[derive(Clone, Copy)]
pub enum ValueRef<'a> {
    /// An unset optional value.
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    Blob(&'a [u8]),
    Timestamp(DateTime),
    Document(&'a Document),
    Stream(&'a ByteStream),
    Struct(&'a dyn Struct),
    List(&'a dyn List),
    Map(&'a dyn Map),
}

impl fmt::Debug for ValueRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueRef::Null => f.write_str("Null"),
            ValueRef::Bool(v) => write!(f, "Bool({v})"),
            ValueRef::Int(v) => write!(f, "Int({v})"),
            ValueRef::Float(v) => write!(f, "Float({v})"),
            ValueRef::Str(v) => write!(f, "Str({v:?})"),
            ValueRef::Blob(v) => write!(f, "Blob({} bytes)", v.len()),
            ValueRef::Timestamp(v) => write!(f, "Timestamp({v:?})"),
            ValueRef::Document(v) => write!(f, "Document({v:?})"),
            ValueRef::Stream(_) => f.write_str("Stream"),
            ValueRef::Struct(s) => write!(f, "Struct({})", s.shape().name),
            ValueRef::List(l) => write!(f, "List({} items)", l.len()),
            ValueRef::Map(m) => write!(f, "Map({} entries)", m.len()),
        }
    }
}

/// A writable view of one value, as [`Value::get_mut`] returns it: the
/// field's own storage for scalars, a trait object for containers,
/// structures and string enums. Protocol code writes through the typed
/// setters on `dyn Value` (`set_str`, `push`, ...), which match on this.
pub enum ValueMut<'a> {
    Bool(&'a mut bool),
    /// byte, short and integer members.
    I32(&'a mut i32),
    I64(&'a mut i64),
    F32(&'a mut f32),
    F64(&'a mut f64),
    Str(&'a mut String),
    /// A generated string enum.
    Enum(&'a mut dyn StringEnum),
    Blob(&'a mut Blob),
    Timestamp(&'a mut DateTime),
    Document(&'a mut Document),
    Stream(&'a mut ByteStream),
    Struct(&'a mut dyn Struct),
    List(&'a mut dyn List),
    Map(&'a mut dyn Map),
    /// A member the protocols never write because the client sets it (an
    /// operation's event stream); the name is for the mismatch error.
    Opaque(&'static str),
}

impl ValueMut<'_> {
    /// A short name of the Rust type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            ValueMut::Bool(_) => "boolean",
            ValueMut::I32(_) => "integer",
            ValueMut::I64(_) => "long",
            ValueMut::F32(_) => "float",
            ValueMut::F64(_) => "double",
            ValueMut::Str(_) | ValueMut::Enum(_) => "string",
            ValueMut::Blob(_) => "blob",
            ValueMut::Timestamp(_) => "timestamp",
            ValueMut::Document(_) => "document",
            ValueMut::Stream(_) => "byte stream",
            ValueMut::Struct(_) => "structure",
            ValueMut::List(_) => "list",
            ValueMut::Map(_) => "map",
            ValueMut::Opaque(name) => name,
        }
    }
}

/// A write did not fit the field's type (e.g. a string into an integer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMismatch {
    pub expected: &'static str,
    pub found: &'static str,
}

impl fmt::Display for TypeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {}", self.expected, self.found)
    }
}

impl std::error::Error for TypeMismatch {}

fn mismatch<T>(expected: &'static str, found: &'static str) -> Result<T, TypeMismatch> {
    Err(TypeMismatch { expected, found })
}

/// A field value that protocol code can read and write without knowing its
/// Rust type.
///
/// Deliberately small: every field type of every generated crate gets a
/// vtable of these three methods, so each method here is compiled once per
/// field type in each crate. The setters protocol code uses are inherent
/// methods of `dyn Value`, compiled once in the runtime.
pub trait Value {
    /// Reads the value.
    fn get(&self) -> ValueRef<'_>;
    /// The value for writing; an unset optional value is first set to its
    /// blank value (so writing a member creates it).
    fn get_mut(&mut self) -> ValueMut<'_>;
    /// Clears an optional value; a no-op for required ones.
    fn set_null(&mut self) {}
}

/// A generated string enum (known values plus `Unknown(String)`).
pub trait StringEnum {
    /// Sets the value from its wire form (unknown strings are kept).
    fn set_str(&mut self, v: &str);
    /// Like `set_str` but takes ownership, so an unknown value is not copied.
    fn set_string(&mut self, v: String);
}

impl<'a> dyn Value + 'a {
    pub fn set_bool(&mut self, v: bool) -> Result<(), TypeMismatch> {
        match self.get_mut() {
            ValueMut::Bool(b) => *b = v,
            other => return mismatch(other.type_name(), "boolean"),
        }
        Ok(())
    }
    pub fn set_int(&mut self, v: i64) -> Result<(), TypeMismatch> {
        match self.get_mut() {
            ValueMut::I32(n) => {
                *n = i32::try_from(v)
                    .or_else(|_| mismatch("32-bit integer", "out-of-range integer"))?;
            }
            ValueMut::I64(n) => *n = v,
            ValueMut::F32(f) => *f = v as f32,
            ValueMut::F64(f) => *f = v as f64,
            other => return mismatch(other.type_name(), "integer"),
        }
        Ok(())
    }
    pub fn set_float(&mut self, v: f64) -> Result<(), TypeMismatch> {
        match self.get_mut() {
            ValueMut::F32(f) => *f = v as f32,
            ValueMut::F64(f) => *f = v,
            other => return mismatch(other.type_name(), "float"),
        }
        Ok(())
    }
    pub fn set_str(&mut self, v: &str) -> Result<(), TypeMismatch> {
        match self.get_mut() {
            ValueMut::Str(s) => {
                if s.capacity() < v.len() {
                    // One exact allocation, not the growth path of `push_str`.
                    *s = v.to_owned();
                } else {
                    s.clear();
                    s.push_str(v);
                }
            }
            ValueMut::Enum(e) => e.set_str(v),
            other => return mismatch(other.type_name(), "string"),
        }
        Ok(())
    }
    /// Like `set_str` but takes ownership, avoiding a copy for `String` fields.
    pub fn set_string(&mut self, v: String) -> Result<(), TypeMismatch> {
        match self.get_mut() {
            ValueMut::Str(s) => *s = v,
            ValueMut::Enum(e) => e.set_string(v),
            other => return mismatch(other.type_name(), "string"),
        }
        Ok(())
    }
    pub fn set_blob(&mut self, v: Vec<u8>) -> Result<(), TypeMismatch> {
        match self.get_mut() {
            ValueMut::Blob(b) => *b = Blob::new(v),
            ValueMut::Stream(s) => *s = ByteStream::from(v),
            other => return mismatch(other.type_name(), "blob"),
        }
        Ok(())
    }
    pub fn set_timestamp(&mut self, v: DateTime) -> Result<(), TypeMismatch> {
        match self.get_mut() {
            ValueMut::Timestamp(t) => *t = v,
            other => return mismatch(other.type_name(), "timestamp"),
        }
        Ok(())
    }
    pub fn set_document(&mut self, v: Document) -> Result<(), TypeMismatch> {
        match self.get_mut() {
            ValueMut::Document(d) => *d = v,
            other => return mismatch(other.type_name(), "document"),
        }
        Ok(())
    }
    pub fn set_stream(&mut self, v: ByteStream) -> Result<(), TypeMismatch> {
        match self.get_mut() {
            ValueMut::Stream(s) => *s = v,
            other => return mismatch(other.type_name(), "byte stream"),
        }
        Ok(())
    }
    /// The structure or union in this field, created (blank) if unset.
    pub fn struct_mut(&mut self) -> Option<&mut dyn Struct> {
        match self.get_mut() {
            ValueMut::Struct(s) => Some(s),
            _ => None,
        }
    }
    /// Appends a blank element to this list (creating the list if unset) and returns it.
    pub fn push(&mut self) -> Option<&mut dyn Value> {
        match self.get_mut() {
            ValueMut::List(l) => Some(l.push()),
            _ => None,
        }
    }
    /// Makes an unset list field an empty list (so "present but empty" survives parsing).
    pub fn init_list(&mut self) -> bool {
        matches!(self.get_mut(), ValueMut::List(_))
    }
    /// Inserts (or replaces with) a blank value under `key` in this map and returns it.
    pub fn insert(&mut self, key: String) -> Option<&mut dyn Value> {
        match self.get_mut() {
            ValueMut::Map(m) => Some(m.insert(key)),
            _ => None,
        }
    }
    /// Makes an unset map field an empty map.
    pub fn init_map(&mut self) -> bool {
        matches!(self.get_mut(), ValueMut::Map(_))
    }
    /// Makes room for at least `additional` more list elements or map
    /// entries (a capacity hint for parsers; a no-op for other values and
    /// for an unset one, which it does not create).
    pub fn reserve(&mut self, additional: usize) {
        match self.get() {
            ValueRef::List(_) | ValueRef::Map(_) => {}
            _ => return,
        }
        match self.get_mut() {
            ValueMut::List(l) => l.reserve(additional),
            ValueMut::Map(m) => m.reserve(additional),
            _ => {}
        }
    }
}

/// The starting value parsers fill in place: every optional member unset,
/// every required one empty (`""`, `0`, an empty list, a union with no
/// member).
///
/// Generated structures with required members deliberately have no
/// `Default`, so that forgetting one is a compile error for callers
/// (`Type::new(..)` takes them). Parsers still need a value to write into
/// before the wire says what the members are; this trait gives them one
/// without offering callers a way to skip the constructor by accident. A
/// blank value of such a structure is not a valid input until filled.
pub trait Blank {
    /// The empty value.
    fn blank() -> Self;
}

/// A generated structure or union.
pub trait Struct {
    /// The shape this type was generated from.
    fn shape(&self) -> &'static Shape;
    /// Member `i` (index into the shape's members); `None` for an inactive union variant.
    fn member(&self, i: usize) -> Option<&dyn Value>;
    /// Member `i` for writing; for a union, switches to that variant (keeping it if active).
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value>;
    /// A union received a member this version of the model does not know.
    fn set_unknown_variant(&mut self, _name: &str) {}
    /// The name of the member this model does not know that a union holds
    /// (what botocore reports as `SDK_UNKNOWN_MEMBER`); `None` otherwise.
    fn unknown_variant(&self) -> Option<&str> {
        None
    }
}

/// A list of values.
#[allow(
    clippy::len_without_is_empty,
    reason = "`is_empty` is an inherent method of the trait object, outside the vtable"
)]
pub trait List {
    fn len(&self) -> usize;
    fn item(&self, i: usize) -> &dyn Value;
    /// Appends a blank element and returns it.
    fn push(&mut self) -> &mut dyn Value;
    /// Makes room for at least `additional` more elements.
    fn reserve(&mut self, additional: usize);
}

impl<'a> dyn List + 'a {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A string-keyed map of values.
#[allow(
    clippy::len_without_is_empty,
    reason = "`is_empty` is an inherent method of the trait object, outside the vtable"
)]
pub trait Map {
    fn len(&self) -> usize;
    /// Entries sorted by key, so every protocol's output is deterministic.
    fn sorted_entries(&self) -> Vec<(&str, &dyn Value)>;
    /// Inserts (or replaces with) a blank value under `key` and returns it.
    fn insert(&mut self, key: String) -> &mut dyn Value;
    /// Makes room for at least `additional` more entries.
    fn reserve(&mut self, additional: usize);
}

impl<'a> dyn Map + 'a {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The input or output of an operation that has none in the model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Unit;

/// Shape of [`Unit`].
pub static UNIT_SHAPE: Shape = Shape::new(
    "Unit",
    crate::schema::ShapeKind::Structure(&crate::schema::StructShape {
        members: &[],
        payload: None,
    }),
);

impl Blank for Unit {
    fn blank() -> Unit {
        Unit
    }
}

impl Struct for Unit {
    fn shape(&self) -> &'static Shape {
        &UNIT_SHAPE
    }
    fn member(&self, _i: usize) -> Option<&dyn Value> {
        None
    }
    fn member_mut(&mut self, _i: usize) -> Option<&mut dyn Value> {
        None
    }
}

/// Every generated struct and union is a value of its own.
impl<T: Struct> Value for T {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Struct(self)
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::Struct(self)
    }
}

impl<T: Value + Blank> Value for Option<T> {
    fn get(&self) -> ValueRef<'_> {
        match self {
            Some(v) => v.get(),
            None => ValueRef::Null,
        }
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        // Not `get_or_insert_with`: its generic body is several times the
        // size of this one, and this is instantiated per field type.
        if self.is_none() {
            *self = Some(T::blank());
        }
        match self {
            Some(v) => v.get_mut(),
            None => unreachable!("set just above"),
        }
    }
    fn set_null(&mut self) {
        *self = None;
    }
}

/// Recursive members are boxed; a box of a struct is the struct.
impl<T: Struct + ?Sized> Struct for Box<T> {
    fn shape(&self) -> &'static Shape {
        (**self).shape()
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        (**self).member(i)
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        (**self).member_mut(i)
    }
    fn set_unknown_variant(&mut self, name: &str) {
        (**self).set_unknown_variant(name)
    }
    fn unknown_variant(&self) -> Option<&str> {
        (**self).unknown_variant()
    }
}

impl<T: Value + Blank> Value for Vec<T> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::List(self)
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::List(self)
    }
}

impl<T: Value + Blank> List for Vec<T> {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
    fn item(&self, i: usize) -> &dyn Value {
        &self[i]
    }
    fn push(&mut self) -> &mut dyn Value {
        Vec::push(self, T::blank());
        let last = <[T]>::len(self) - 1;
        &mut self[last]
    }
    fn reserve(&mut self, additional: usize) {
        Vec::reserve(self, additional);
    }
}

impl<T: Value + Blank> Value for HashMap<String, T> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Map(self)
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::Map(self)
    }
}

impl<T: Value + Blank> Map for HashMap<String, T> {
    fn len(&self) -> usize {
        HashMap::len(self)
    }
    fn sorted_entries(&self) -> Vec<(&str, &dyn Value)> {
        let mut entries = Vec::with_capacity(HashMap::len(self));
        for (k, v) in self {
            entries.push((k.as_str(), v as &dyn Value));
        }
        sort_entries(&mut entries);
        entries
    }
    fn insert(&mut self, key: String) -> &mut dyn Value {
        use std::collections::hash_map::Entry;
        match self.entry(key) {
            Entry::Occupied(e) => {
                let slot = e.into_mut();
                *slot = T::blank();
                slot
            }
            Entry::Vacant(e) => e.insert(T::blank()),
        }
    }
    fn reserve(&mut self, additional: usize) {
        HashMap::reserve(self, additional);
    }
}

/// Sorts map entries by key. Not generic, so the sort is compiled once
/// instead of once per map value type in every generated crate.
fn sort_entries(entries: &mut [(&str, &dyn Value)]) {
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
}

/// The scalar field types: their storage is the view.
macro_rules! scalar_value {
    ($($ty:ty => $variant:ident, $get:expr;)*) => {
        $(impl Value for $ty {
            fn get(&self) -> ValueRef<'_> {
                let f: fn(&$ty) -> ValueRef<'_> = $get;
                f(self)
            }
            fn get_mut(&mut self) -> ValueMut<'_> {
                ValueMut::$variant(self)
            }
        })*
    };
}

scalar_value! {
    String => Str, |v| ValueRef::Str(v);
    bool => Bool, |v| ValueRef::Bool(*v);
    i32 => I32, |v| ValueRef::Int(i64::from(*v));
    i64 => I64, |v| ValueRef::Int(*v);
    f32 => F32, |v| ValueRef::Float(f64::from(*v));
    f64 => F64, |v| ValueRef::Float(*v);
    Blob => Blob, |v| ValueRef::Blob(v.as_ref());
    DateTime => Timestamp, |v| ValueRef::Timestamp(*v);
    Document => Document, |v| ValueRef::Document(v);
    ByteStream => Stream, |v| ValueRef::Stream(v);
}

/// `Blank` for the field types that have an obvious empty value: their `Default`.
macro_rules! blank_is_default {
    ($($ty:ty),* $(,)?) => {
        $(impl Blank for $ty {
            #[inline]
            fn blank() -> Self {
                <$ty>::default()
            }
        })*
    };
}

blank_is_default!(
    String, bool, i32, i64, f32, f64, Blob, DateTime, Document, ByteStream
);

impl<T> Blank for Option<T> {
    #[inline]
    fn blank() -> Self {
        None
    }
}

impl<T> Blank for Vec<T> {
    #[inline]
    fn blank() -> Self {
        Vec::new()
    }
}

impl<T> Blank for HashMap<String, T> {
    #[inline]
    fn blank() -> Self {
        HashMap::new()
    }
}

impl<T: Blank> Blank for Box<T> {
    #[inline]
    fn blank() -> Self {
        Box::new(T::blank())
    }
}
