//! Value types that generated structs use for model primitives without a
//! natural std counterpart: blobs, timestamps, documents and byte streams
//! (the latter defined in [`crate::body`]).

use std::fmt;

/// Binary data (`blob` shapes).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Blob(Vec<u8>);

impl Blob {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Blob {
        Blob(bytes.into())
    }
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Blob {
        Blob(v)
    }
}

impl From<&[u8]> for Blob {
    fn from(v: &[u8]) -> Blob {
        Blob(v.to_vec())
    }
}

impl From<&str> for Blob {
    fn from(v: &str) -> Blob {
        Blob(v.as_bytes().to_vec())
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

/// A point in time with nanosecond precision (`timestamp` shapes), UTC.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    /// Seconds since the Unix epoch (negative before 1970).
    secs: i64,
    /// Nanoseconds after `secs`, always below one billion.
    nanos: u32,
}

impl DateTime {
    pub const UNIX_EPOCH: DateTime = DateTime { secs: 0, nanos: 0 };

    pub const fn from_secs(secs: i64) -> DateTime {
        DateTime { secs, nanos: 0 }
    }

    /// `nanos` above one second are carried into `secs`.
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> DateTime {
        DateTime {
            secs: secs + (nanos / 1_000_000_000) as i64,
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Seconds since the epoch as a float; `None` for non-finite or out-of-range input.
    pub fn from_secs_f64(secs: f64) -> Option<DateTime> {
        if !secs.is_finite() || secs.abs() > 1e17 {
            return None;
        }
        let whole = secs.floor();
        // Round to microseconds: the wire formats carry at most millisecond
        // precision and binary fractions would otherwise print as 0.1229999.
        let mut micros = ((secs - whole) * 1e6).round() as u32;
        let mut whole = whole as i64;
        if micros >= 1_000_000 {
            micros -= 1_000_000;
            whole += 1;
        }
        Some(DateTime {
            secs: whole,
            nanos: micros * 1000,
        })
    }

    pub const fn secs(&self) -> i64 {
        self.secs
    }

    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    pub fn now() -> DateTime {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        DateTime {
            secs: d.as_secs() as i64,
            nanos: d.subsec_nanos(),
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({}.{:09})", self.secs, self.nanos)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_secs_f64())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        let secs = <f64 as serde::Deserialize>::deserialize(d)?;
        DateTime::from_secs_f64(secs)
            .ok_or_else(|| serde::de::Error::custom("timestamp out of range"))
    }
}

/// A number inside a [`Document`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(untagged)
)]
pub enum Number {
    PosInt(u64),
    NegInt(i64),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }
}

/// The members of a [`Document::Object`], in the order they were written
/// or read (an insertion-ordered map; equality ignores the order).
pub type DocumentMap = indexmap::IndexMap<String, Document>;

/// An untyped, JSON-like value (`document` shapes, and `jsonvalue` members,
/// whose value travels as JSON text).
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(untagged)
)]
pub enum Document {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Document>),
    Object(DocumentMap),
}

impl From<serde_json::Value> for Document {
    fn from(v: serde_json::Value) -> Document {
        match v {
            serde_json::Value::Null => Document::Null,
            serde_json::Value::Bool(b) => Document::Bool(b),
            serde_json::Value::Number(n) => Document::Number(if let Some(u) = n.as_u64() {
                Number::PosInt(u)
            } else if let Some(i) = n.as_i64() {
                Number::NegInt(i)
            } else {
                Number::Float(n.as_f64().unwrap_or(f64::NAN))
            }),
            serde_json::Value::String(s) => Document::String(s),
            serde_json::Value::Array(a) => {
                Document::Array(a.into_iter().map(Document::from).collect())
            }
            serde_json::Value::Object(o) => {
                Document::Object(o.into_iter().map(|(k, v)| (k, Document::from(v))).collect())
            }
        }
    }
}

impl From<&Document> for serde_json::Value {
    fn from(d: &Document) -> serde_json::Value {
        match d {
            Document::Null => serde_json::Value::Null,
            Document::Bool(b) => serde_json::Value::Bool(*b),
            Document::Number(Number::PosInt(u)) => serde_json::Value::from(*u),
            Document::Number(Number::NegInt(i)) => serde_json::Value::from(*i),
            Document::Number(Number::Float(f)) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Document::String(s) => serde_json::Value::String(s.clone()),
            Document::Array(a) => {
                serde_json::Value::Array(a.iter().map(serde_json::Value::from).collect())
            }
            Document::Object(o) => serde_json::Value::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl Document {
    /// The value as compact JSON text (members in their order), as a
    /// `jsonvalue` member carries it on the wire.
    pub fn to_json_text(&self) -> String {
        serde_json::Value::from(self).to_string()
    }

    /// Parses JSON text, as a `jsonvalue` member carries it.
    pub fn from_json_text(text: &str) -> Result<Document, serde_json::Error> {
        serde_json::from_str::<serde_json::Value>(text).map(Document::from)
    }
}

pub use crate::body::ByteStream;
