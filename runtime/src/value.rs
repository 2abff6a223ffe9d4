//! Reflection over generated values.
//!
//! Every field type of a generated struct implements [`Value`]: reading yields
//! a [`ValueRef`], writing goes through `set_*` methods and container
//! accessors. Generated structs and unions implement [`Struct`], which maps a
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

/// A field value that protocol code can read and write without knowing its Rust type.
pub trait Value {
    /// Reads the value.
    fn get(&self) -> ValueRef<'_>;
    /// A short name of the Rust type, for error messages.
    fn type_name(&self) -> &'static str;
    /// Clears an optional value; a no-op for required ones.
    fn set_null(&mut self) {}
    fn set_bool(&mut self, _v: bool) -> Result<(), TypeMismatch> {
        mismatch(self.type_name(), "boolean")
    }
    fn set_int(&mut self, _v: i64) -> Result<(), TypeMismatch> {
        mismatch(self.type_name(), "integer")
    }
    fn set_float(&mut self, _v: f64) -> Result<(), TypeMismatch> {
        mismatch(self.type_name(), "float")
    }
    fn set_str(&mut self, _v: &str) -> Result<(), TypeMismatch> {
        mismatch(self.type_name(), "string")
    }
    /// Like `set_str` but takes ownership, avoiding a copy for `String` fields.
    fn set_string(&mut self, v: String) -> Result<(), TypeMismatch> {
        self.set_str(&v)
    }
    fn set_blob(&mut self, _v: Vec<u8>) -> Result<(), TypeMismatch> {
        mismatch(self.type_name(), "blob")
    }
    fn set_timestamp(&mut self, _v: DateTime) -> Result<(), TypeMismatch> {
        mismatch(self.type_name(), "timestamp")
    }
    fn set_document(&mut self, _v: Document) -> Result<(), TypeMismatch> {
        mismatch(self.type_name(), "document")
    }
    fn set_stream(&mut self, _v: ByteStream) -> Result<(), TypeMismatch> {
        mismatch(self.type_name(), "byte stream")
    }
    /// The structure or union in this field, created (blank) if unset.
    fn struct_mut(&mut self) -> Option<&mut dyn Struct> {
        None
    }
    /// Appends a blank element to this list (creating the list if unset) and returns it.
    fn push(&mut self) -> Option<&mut dyn Value> {
        None
    }
    /// Makes an unset list field an empty list (so "present but empty" survives parsing).
    fn init_list(&mut self) -> bool {
        false
    }
    /// Inserts (or replaces with) a blank value under `key` in this map and returns it.
    fn insert(&mut self, _key: String) -> Option<&mut dyn Value> {
        None
    }
    /// Makes an unset map field an empty map.
    fn init_map(&mut self) -> bool {
        false
    }
    /// Makes room for at least `additional` more list elements or map
    /// entries (a capacity hint for parsers; a no-op for other values).
    fn reserve(&mut self, _additional: usize) {}
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
pub trait List {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn item(&self, i: usize) -> &dyn Value;
}

/// A string-keyed map of values.
pub trait Map {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Entries sorted by key, so every protocol's output is deterministic.
    fn sorted_entries(&self) -> Vec<(&str, &dyn Value)>;
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
    fn type_name(&self) -> &'static str {
        "structure"
    }
    fn struct_mut(&mut self) -> Option<&mut dyn Struct> {
        Some(self)
    }
}

impl<T: Value + Blank> Value for Option<T> {
    fn get(&self) -> ValueRef<'_> {
        match self {
            Some(v) => v.get(),
            None => ValueRef::Null,
        }
    }
    fn type_name(&self) -> &'static str {
        match self {
            Some(v) => v.type_name(),
            None => T::blank().type_name(),
        }
    }
    fn set_null(&mut self) {
        *self = None;
    }
    fn set_bool(&mut self, v: bool) -> Result<(), TypeMismatch> {
        self.get_or_insert_with(T::blank).set_bool(v)
    }
    fn set_int(&mut self, v: i64) -> Result<(), TypeMismatch> {
        self.get_or_insert_with(T::blank).set_int(v)
    }
    fn set_float(&mut self, v: f64) -> Result<(), TypeMismatch> {
        self.get_or_insert_with(T::blank).set_float(v)
    }
    fn set_str(&mut self, v: &str) -> Result<(), TypeMismatch> {
        self.get_or_insert_with(T::blank).set_str(v)
    }
    fn set_string(&mut self, v: String) -> Result<(), TypeMismatch> {
        self.get_or_insert_with(T::blank).set_string(v)
    }
    fn set_blob(&mut self, v: Vec<u8>) -> Result<(), TypeMismatch> {
        self.get_or_insert_with(T::blank).set_blob(v)
    }
    fn set_timestamp(&mut self, v: DateTime) -> Result<(), TypeMismatch> {
        self.get_or_insert_with(T::blank).set_timestamp(v)
    }
    fn set_document(&mut self, v: Document) -> Result<(), TypeMismatch> {
        self.get_or_insert_with(T::blank).set_document(v)
    }
    fn set_stream(&mut self, v: ByteStream) -> Result<(), TypeMismatch> {
        self.get_or_insert_with(T::blank).set_stream(v)
    }
    fn struct_mut(&mut self) -> Option<&mut dyn Struct> {
        self.get_or_insert_with(T::blank).struct_mut()
    }
    fn push(&mut self) -> Option<&mut dyn Value> {
        self.get_or_insert_with(T::blank).push()
    }
    fn init_list(&mut self) -> bool {
        self.get_or_insert_with(T::blank).init_list()
    }
    fn insert(&mut self, key: String) -> Option<&mut dyn Value> {
        self.get_or_insert_with(T::blank).insert(key)
    }
    fn init_map(&mut self) -> bool {
        self.get_or_insert_with(T::blank).init_map()
    }
    fn reserve(&mut self, additional: usize) {
        if let Some(v) = self {
            v.reserve(additional);
        }
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
    fn type_name(&self) -> &'static str {
        "list"
    }
    fn push(&mut self) -> Option<&mut dyn Value> {
        self.push(T::blank());
        self.last_mut().map(|v| v as &mut dyn Value)
    }
    fn init_list(&mut self) -> bool {
        true
    }
    fn reserve(&mut self, additional: usize) {
        Vec::reserve(self, additional);
    }
}

impl<T: Value> List for Vec<T> {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
    fn item(&self, i: usize) -> &dyn Value {
        &self[i]
    }
}

impl<T: Value + Blank> Value for HashMap<String, T> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Map(self)
    }
    fn type_name(&self) -> &'static str {
        "map"
    }
    fn insert(&mut self, key: String) -> Option<&mut dyn Value> {
        use std::collections::hash_map::Entry;
        Some(match self.entry(key) {
            Entry::Occupied(e) => {
                let slot = e.into_mut();
                *slot = T::blank();
                slot
            }
            Entry::Vacant(e) => e.insert(T::blank()),
        })
    }
    fn init_map(&mut self) -> bool {
        true
    }
    fn reserve(&mut self, additional: usize) {
        HashMap::reserve(self, additional);
    }
}

impl<T: Value> Map for HashMap<String, T> {
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
}

/// Sorts map entries by key. Not generic, so the sort is compiled once
/// instead of once per map value type in every generated crate.
fn sort_entries(entries: &mut [(&str, &dyn Value)]) {
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
}

impl Value for String {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Str(self)
    }
    fn type_name(&self) -> &'static str {
        "string"
    }
    fn set_str(&mut self, v: &str) -> Result<(), TypeMismatch> {
        if self.capacity() < v.len() {
            // One exact allocation, not the growth path of `push_str`.
            *self = v.to_owned();
        } else {
            self.clear();
            self.push_str(v);
        }
        Ok(())
    }
    fn set_string(&mut self, v: String) -> Result<(), TypeMismatch> {
        *self = v;
        Ok(())
    }
}

impl Value for bool {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Bool(*self)
    }
    fn type_name(&self) -> &'static str {
        "boolean"
    }
    fn set_bool(&mut self, v: bool) -> Result<(), TypeMismatch> {
        *self = v;
        Ok(())
    }
}

impl Value for i32 {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Int(i64::from(*self))
    }
    fn type_name(&self) -> &'static str {
        "integer"
    }
    fn set_int(&mut self, v: i64) -> Result<(), TypeMismatch> {
        *self = i32::try_from(v).or_else(|_| mismatch("32-bit integer", "out-of-range integer"))?;
        Ok(())
    }
}

impl Value for i64 {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Int(*self)
    }
    fn type_name(&self) -> &'static str {
        "long"
    }
    fn set_int(&mut self, v: i64) -> Result<(), TypeMismatch> {
        *self = v;
        Ok(())
    }
}

impl Value for f32 {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Float(f64::from(*self))
    }
    fn type_name(&self) -> &'static str {
        "float"
    }
    fn set_float(&mut self, v: f64) -> Result<(), TypeMismatch> {
        *self = v as f32;
        Ok(())
    }
    fn set_int(&mut self, v: i64) -> Result<(), TypeMismatch> {
        *self = v as f32;
        Ok(())
    }
}

impl Value for f64 {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Float(*self)
    }
    fn type_name(&self) -> &'static str {
        "double"
    }
    fn set_float(&mut self, v: f64) -> Result<(), TypeMismatch> {
        *self = v;
        Ok(())
    }
    fn set_int(&mut self, v: i64) -> Result<(), TypeMismatch> {
        *self = v as f64;
        Ok(())
    }
}

impl Value for Blob {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Blob(self.as_ref())
    }
    fn type_name(&self) -> &'static str {
        "blob"
    }
    fn set_blob(&mut self, v: Vec<u8>) -> Result<(), TypeMismatch> {
        *self = Blob::new(v);
        Ok(())
    }
}

impl Value for DateTime {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Timestamp(*self)
    }
    fn type_name(&self) -> &'static str {
        "timestamp"
    }
    fn set_timestamp(&mut self, v: DateTime) -> Result<(), TypeMismatch> {
        *self = v;
        Ok(())
    }
}

impl Value for Document {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Document(self)
    }
    fn type_name(&self) -> &'static str {
        "document"
    }
    fn set_document(&mut self, v: Document) -> Result<(), TypeMismatch> {
        *self = v;
        Ok(())
    }
}

impl Value for ByteStream {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Stream(self)
    }
    fn type_name(&self) -> &'static str {
        "byte stream"
    }
    fn set_stream(&mut self, v: ByteStream) -> Result<(), TypeMismatch> {
        *self = v;
        Ok(())
    }
    fn set_blob(&mut self, v: Vec<u8>) -> Result<(), TypeMismatch> {
        *self = ByteStream::from(v);
        Ok(())
    }
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
