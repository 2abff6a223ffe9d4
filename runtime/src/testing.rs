//! Support for data-driven tests (feature `testing`): a registry of a
//! generated service's operations, filling a value from plain JSON, and
//! reading it back as JSON or comparing it with expected JSON.
//!
//! The protocol compliance suites state inputs and expected outputs as plain
//! JSON keyed by model member names. These helpers walk the static
//! [`Shape`]s with the reflection traits, so one implementation serves every
//! generated type. JSON conventions (those of botocore's suites):
//!
//! - floats may be the strings `"NaN"`, `"Infinity"`, `"-Infinity"`;
//! - timestamps are epoch seconds (integer or fractional numbers);
//! - blobs are their UTF-8 text;
//! - `document` shapes take any JSON value.
//!
//! A generated module built for tests exposes `pub static SERVICE: Service`
//! and `pub static REGISTRY: &[OperationEntry]`.

use crate::schema::{Member, Operation, Shape, ShapeKind};
use crate::types::{DateTime, Document};
use crate::value::{Struct, Value, ValueRef};
use serde_json::Value as Json;

/// One operation of a generated service, with constructors for its values.
pub struct OperationEntry {
    /// The operation's key in the model's `operations` map (unique per service).
    pub key: &'static str,
    pub operation: &'static Operation,
    /// A blank value of the operation's input type.
    pub new_input: fn() -> Box<dyn Struct>,
    /// A blank value of the operation's output type.
    pub new_output: fn() -> Box<dyn Struct>,
    /// A blank value of the modeled error `i` (index into `Operation::errors`).
    pub new_error: fn(usize) -> Option<Box<dyn Struct>>,
    /// A blank value of the service's error `i` (index into `Service::errors`).
    pub new_service_error: fn(usize) -> Option<Box<dyn Struct>>,
}

impl std::fmt::Debug for OperationEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperationEntry")
            .field("key", &self.key)
            .field("operation", &self.operation.name)
            .finish_non_exhaustive()
    }
}

/// Sets the members of `target` named in the JSON object `json`.
///
/// Errors name the JSON path of the first value that does not fit.
pub fn fill_struct(target: &mut dyn Struct, json: &Json) -> Result<(), String> {
    fill_struct_at(target, json, "")
}

fn fill_struct_at(target: &mut dyn Struct, json: &Json, path: &str) -> Result<(), String> {
    let shape = target.shape();
    let Json::Object(fields) = json else {
        return Err(format!(
            "{}: expected an object for {}",
            show(path),
            shape.name
        ));
    };
    let members = shape.members();
    for (name, value) in fields {
        let here = format!("{path}.{name}");
        let Some(index) = members.iter().position(|m| m.name == name) else {
            return Err(format!("{here}: {} has no member {name}", shape.name));
        };
        let Some(slot) = target.member_mut(index) else {
            return Err(format!(
                "{here}: member {index} of {} is missing",
                shape.name
            ));
        };
        let member = &members[index];
        match value {
            // Cases state a `jsonvalue` member as its JSON text (botocore's
            // suites) or as the value itself; the field holds the value.
            Json::String(text) if member.json_value => {
                let parsed: Json = serde_json::from_str(text)
                    .map_err(|e| format!("{here}: not JSON text: {e}"))?;
                fill_value(slot, member.target, &parsed, &here)?;
            }
            _ => fill_value(slot, member.target, value, &here)?,
        }
    }
    Ok(())
}

/// Sets `target` (a value of `shape`) from `json`.
pub fn fill_value(
    target: &mut dyn Value,
    shape: &'static Shape,
    json: &Json,
    path: &str,
) -> Result<(), String> {
    let at = |e: crate::value::TypeMismatch| format!("{}: {e}", show(path));
    if json.is_null() && !matches!(shape.kind, ShapeKind::Document) {
        target.set_null();
        return Ok(());
    }
    match shape.kind {
        ShapeKind::Boolean => match json {
            Json::Bool(b) => target.set_bool(*b).map_err(at),
            _ => Err(wrong(path, "a boolean", json)),
        },
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::IntEnum => match json.as_i64() {
            Some(i) => target.set_int(i).map_err(at),
            None => Err(wrong(path, "an integer", json)),
        },
        ShapeKind::Float | ShapeKind::Double => match float_of(json) {
            Some(f) => target.set_float(f).map_err(at),
            None => Err(wrong(path, "a number", json)),
        },
        ShapeKind::String => match json {
            Json::String(s) => target.set_str(s).map_err(at),
            _ => Err(wrong(path, "a string", json)),
        },
        ShapeKind::Blob => match json {
            Json::String(s) => target.set_blob(s.as_bytes().to_vec()).map_err(at),
            _ => Err(wrong(path, "blob text", json)),
        },
        ShapeKind::Timestamp => {
            let time = match json {
                Json::Number(n) => match n.as_i64() {
                    Some(secs) => Some(DateTime::from_secs(secs)),
                    None => n.as_f64().and_then(DateTime::from_secs_f64),
                },
                _ => None,
            };
            match time {
                Some(t) => target.set_timestamp(t).map_err(at),
                None => Err(wrong(path, "epoch seconds", json)),
            }
        }
        ShapeKind::Document => target
            .set_document(Document::from(json.clone()))
            .map_err(at),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => match target.struct_mut() {
            Some(s) => fill_struct_at(s, json, path),
            None => Err(format!("{}: field is not a structure", show(path))),
        },
        ShapeKind::List(list) => {
            let Json::Array(items) = json else {
                return Err(wrong(path, "an array", json));
            };
            if !target.init_list() {
                return Err(format!("{}: field is not a list", show(path)));
            }
            for (i, item) in items.iter().enumerate() {
                let here = format!("{path}[{i}]");
                let Some(slot) = target.push() else {
                    return Err(format!("{here}: cannot append"));
                };
                fill_value(slot, list.member.target, item, &here)?;
            }
            Ok(())
        }
        ShapeKind::Map(map) => {
            let Json::Object(entries) = json else {
                return Err(wrong(path, "an object", json));
            };
            if !target.init_map() {
                return Err(format!("{}: field is not a map", show(path)));
            }
            for (key, item) in entries {
                let here = format!("{path}.{key}");
                let Some(slot) = target.insert(key.clone()) else {
                    return Err(format!("{here}: cannot insert"));
                };
                fill_value(slot, map.value.target, item, &here)?;
            }
            Ok(())
        }
    }
}

fn show(path: &str) -> &str {
    if path.is_empty() { "(root)" } else { path }
}

fn wrong(path: &str, expected: &str, found: &Json) -> String {
    format!("{}: expected {expected}, found {found}", show(path))
}

/// A float from a JSON number or one of the strings "NaN", "Infinity", "-Infinity".
fn float_of(json: &Json) -> Option<f64> {
    match json {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// The value as plain JSON in the suites' conventions (set members only).
pub fn to_json(value: &dyn Struct) -> Json {
    struct_to_json(value)
}

/// The key botocore reports a union's unknown member under.
const UNKNOWN_MEMBER: &str = "SDK_UNKNOWN_MEMBER";

fn struct_to_json(value: &dyn Struct) -> Json {
    let mut out = serde_json::Map::new();
    if let Some(name) = value.unknown_variant() {
        out.insert(
            UNKNOWN_MEMBER.to_owned(),
            serde_json::json!({ "name": name }),
        );
        return Json::Object(out);
    }
    for (i, member) in value.shape().members().iter().enumerate() {
        if let Some(v) = value.member(i) {
            let json = value_to_json(v.get(), member.target);
            if !json.is_null() {
                out.insert(member.name.to_owned(), json);
            }
        }
    }
    Json::Object(out)
}

fn value_to_json(value: ValueRef<'_>, shape: &'static Shape) -> Json {
    match value {
        ValueRef::Null => Json::Null,
        ValueRef::Bool(b) => Json::Bool(b),
        ValueRef::Int(i) => Json::from(i),
        ValueRef::Float(f) => float_to_json(f, matches!(shape.kind, ShapeKind::Float)),
        ValueRef::Str(s) => Json::String(s.to_owned()),
        ValueRef::Blob(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Stream(s) => {
            Json::String(String::from_utf8_lossy(&s.bytes().unwrap_or_default()).into_owned())
        }
        ValueRef::Timestamp(t) => timestamp_to_json(t),
        ValueRef::Document(d) => Json::from(d),
        ValueRef::Struct(s) => struct_to_json(s),
        ValueRef::List(l) => {
            let item = match shape.kind {
                ShapeKind::List(list) => list.member.target,
                _ => shape,
            };
            Json::Array(
                (0..l.len())
                    .map(|i| value_to_json(l.item(i).get(), item))
                    .collect(),
            )
        }
        ValueRef::Map(m) => {
            let item = match shape.kind {
                ShapeKind::Map(map) => map.value.target,
                _ => shape,
            };
            Json::Object(
                m.sorted_entries()
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), value_to_json(v.get(), item)))
                    .collect(),
            )
        }
    }
}

/// Non-finite floats as the suites' strings; `f32` values through their
/// shortest decimal form so 1.1f32 reads back as 1.1.
fn float_to_json(f: f64, single: bool) -> Json {
    if f.is_nan() {
        return Json::String("NaN".into());
    }
    if f.is_infinite() {
        return Json::String(if f > 0.0 { "Infinity" } else { "-Infinity" }.into());
    }
    let f = if single {
        (f as f32).to_string().parse::<f64>().unwrap_or(f)
    } else {
        f
    };
    serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
}

fn timestamp_to_json(t: DateTime) -> Json {
    if t.subsec_nanos() == 0 {
        return Json::from(t.secs());
    }
    // Through decimal text so 946845296.123 stays exactly that literal.
    let text = format!("{}.{:09}", t.secs(), t.subsec_nanos());
    let f = text.parse::<f64>().unwrap_or_else(|_| t.as_secs_f64());
    serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
}

/// Compares `actual` with the expected plain JSON; `Err` names the first
/// differing member path with both values.
///
/// A member missing from `expected` must be unset in `actual`, except a
/// required member (a non-`Option` field) holding its type's default value.
pub fn compare_struct(expected: &Json, actual: &dyn Struct) -> Result<(), String> {
    compare_struct_at(expected, actual, "")
}

fn compare_struct_at(expected: &Json, actual: &dyn Struct, path: &str) -> Result<(), String> {
    let shape = actual.shape();
    let Json::Object(fields) = expected else {
        return Err(format!(
            "{}: expected {expected}, found structure {}",
            show(path),
            shape.name
        ));
    };
    if let Some(unknown) = fields.get(UNKNOWN_MEMBER) {
        let want = unknown.get("name").and_then(Json::as_str);
        return match (want, actual.unknown_variant()) {
            (Some(w), Some(found)) if w == found => Ok(()),
            (_, found) => Err(format!(
                "{path}: expected unknown member {want:?}, found {found:?}"
            )),
        };
    }
    for name in fields.keys() {
        if shape
            .structure()
            .and_then(|s| s.member_index(name))
            .is_none()
        {
            return Err(format!(
                "{path}.{name}: {} has no member {name}",
                shape.name
            ));
        }
    }
    for (i, member) in shape.members().iter().enumerate() {
        let here = format!("{path}.{}", member.name);
        let found = actual.member(i).map_or(ValueRef::Null, |v| v.get());
        match fields.get(member.name) {
            Some(Json::String(text)) if member.json_value => {
                let parsed: Json = serde_json::from_str(text)
                    .map_err(|e| format!("{here}: expected value is not JSON text: {e}"))?;
                compare_value(&parsed, found, member.target, &here)?;
            }
            Some(e) => compare_value(e, found, member.target, &here)?,
            None if matches!(found, ValueRef::Null) => {}
            None if member.required && is_zero(found) => {}
            None => {
                return Err(format!(
                    "{here}: expected absent, found {}",
                    value_to_json(found, member.target)
                ));
            }
        }
    }
    Ok(())
}

fn compare_value(
    expected: &Json,
    actual: ValueRef<'_>,
    shape: &'static Shape,
    path: &str,
) -> Result<(), String> {
    let differ = || {
        Err(format!(
            "{path}: expected {expected}, found {}",
            value_to_json(actual, shape)
        ))
    };
    let same = match (expected, actual) {
        (Json::Null, ValueRef::Null) => true,
        (_, ValueRef::Struct(s)) => return compare_struct_at(expected, s, path),
        (Json::Array(items), ValueRef::List(l)) => {
            if items.len() != l.len() {
                return Err(format!(
                    "{path}: expected {} items, found {}: {}",
                    items.len(),
                    l.len(),
                    value_to_json(actual, shape)
                ));
            }
            let item_shape = match shape.kind {
                ShapeKind::List(list) => list.member.target,
                _ => shape,
            };
            for (i, e) in items.iter().enumerate() {
                compare_value(e, l.item(i).get(), item_shape, &format!("{path}[{i}]"))?;
            }
            return Ok(());
        }
        (Json::Object(entries), ValueRef::Map(m)) => {
            let found = m.sorted_entries();
            let value_shape = match shape.kind {
                ShapeKind::Map(map) => map.value.target,
                _ => shape,
            };
            for (k, _) in &found {
                if !entries.contains_key(*k) {
                    return Err(format!("{path}: unexpected map key {k:?}"));
                }
            }
            for (k, e) in entries {
                let here = format!("{path}.{k}");
                match found.iter().find(|(fk, _)| fk == k) {
                    Some((_, v)) => compare_value(e, v.get(), value_shape, &here)?,
                    None => return Err(format!("{here}: missing map key")),
                }
            }
            return Ok(());
        }
        (Json::Bool(e), ValueRef::Bool(a)) => *e == a,
        (Json::Number(_), ValueRef::Int(a)) => expected.as_i64() == Some(a),
        (_, ValueRef::Float(a)) => match float_of(expected) {
            Some(e) if e.is_nan() => a.is_nan(),
            Some(e) if matches!(shape.kind, ShapeKind::Float) => e as f32 == a as f32,
            Some(e) => e == a,
            None => false,
        },
        (Json::String(e), ValueRef::Str(a)) => e == a,
        (Json::String(e), ValueRef::Blob(a)) => e.as_bytes() == a,
        (Json::String(e), ValueRef::Stream(a)) => a.bytes().is_some_and(|a| e.as_bytes() == a),
        (Json::Number(n), ValueRef::Timestamp(t)) => n
            .as_f64()
            .is_some_and(|e| (e - t.as_secs_f64()).abs() < 1e-5),
        (_, ValueRef::Document(d)) => json_equal(expected, &Json::from(d)),
        _ => false,
    };
    if same { Ok(()) } else { differ() }
}

/// JSON equality with numbers compared by value (1 == 1.0).
pub fn json_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Whether a value is its type's default (what an unset required field holds).
fn is_zero(value: ValueRef<'_>) -> bool {
    match value {
        ValueRef::Null => true,
        ValueRef::Bool(b) => !b,
        ValueRef::Int(i) => i == 0,
        ValueRef::Float(f) => f == 0.0,
        ValueRef::Str(s) => s.is_empty(),
        ValueRef::Blob(b) => b.is_empty(),
        ValueRef::Stream(s) => s.bytes().is_some_and(|b| b.is_empty()),
        ValueRef::Timestamp(t) => t == DateTime::UNIX_EPOCH,
        ValueRef::Document(d) => *d == Document::Null,
        ValueRef::Struct(s) => {
            (0..s.shape().members().len()).all(|i| s.member(i).is_none_or(|v| is_zero(v.get())))
        }
        ValueRef::List(l) => l.is_empty(),
        ValueRef::Map(m) => m.is_empty(),
    }
}

/// The member of `shape` with this model name.
pub fn member_named(shape: &'static Shape, name: &str) -> Option<&'static Member> {
    shape.members().iter().find(|m| m.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ListShape, MapShape, StructShape};
    use crate::types::Blob;
    use std::collections::HashMap;

    static STRING: Shape = Shape::new("String", ShapeKind::String);
    static INT: Shape = Shape::new("Integer", ShapeKind::Integer);
    static FLOAT: Shape = Shape::new("Float", ShapeKind::Float);
    static TIME: Shape = Shape::new("Time", ShapeKind::Timestamp);
    static BLOB: Shape = Shape::new("Blob", ShapeKind::Blob);
    static TAGS: Shape = Shape::new(
        "Tags",
        ShapeKind::List(&ListShape {
            member: Member::new("member", &STRING),
            sparse: false,
        }),
    );
    static ATTRS: Shape = Shape::new(
        "Attrs",
        ShapeKind::Map(&MapShape {
            key: Member::new("key", &STRING),
            value: Member::new("value", &STRING),
            sparse: false,
        }),
    );
    static THING: Shape = Shape::new(
        "Thing",
        ShapeKind::Structure(&StructShape {
            members: &[
                Member {
                    required: true,
                    ..Member::new("Name", &STRING)
                },
                Member::new("Count", &INT),
                Member::new("Ratio", &FLOAT),
                Member::new("When", &TIME),
                Member::new("Data", &BLOB),
                Member::new("Tags", &TAGS),
                Member::new("Attrs", &ATTRS),
            ],
            payload: None,
        }),
    );

    /// Written the way the generator writes structs.
    #[derive(Default)]
    struct Thing {
        name: String,
        count: Option<i32>,
        ratio: Option<f32>,
        when: Option<DateTime>,
        data: Option<Blob>,
        tags: Option<Vec<String>>,
        attrs: Option<HashMap<String, String>>,
    }

    impl crate::value::Blank for Thing {
        fn blank() -> Self {
            Self::default()
        }
    }

    impl Struct for Thing {
        fn shape(&self) -> &'static Shape {
            &THING
        }
        fn member(&self, i: usize) -> Option<&dyn Value> {
            Some(match i {
                0 => &self.name,
                1 => &self.count,
                2 => &self.ratio,
                3 => &self.when,
                4 => &self.data,
                5 => &self.tags,
                6 => &self.attrs,
                _ => return None,
            })
        }
        fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
            Some(match i {
                0 => &mut self.name,
                1 => &mut self.count,
                2 => &mut self.ratio,
                3 => &mut self.when,
                4 => &mut self.data,
                5 => &mut self.tags,
                6 => &mut self.attrs,
                _ => return None,
            })
        }
    }

    #[test]
    fn fill_then_compare_round_trips_the_suite_conventions() {
        let params = serde_json::json!({
            "Name": "n", "Count": 3, "Ratio": "NaN", "When": 946845296.123,
            "Data": "bytes", "Tags": ["a", "b"], "Attrs": {"k": "v"}
        });
        let mut thing = Thing::default();
        fill_struct(&mut thing, &params).unwrap();
        assert_eq!(thing.count, Some(3));
        assert!(thing.ratio.is_some_and(f32::is_nan));
        assert_eq!(thing.data.as_ref().map(|b| b.as_ref()), Some(&b"bytes"[..]));
        assert_eq!(thing.when.map(|t| t.subsec_nanos()), Some(123_000_000));
        assert!(compare_struct(&params, &thing).is_ok());
        assert_eq!(to_json(&thing)["When"], serde_json::json!(946845296.123));
    }

    #[test]
    fn compare_names_the_first_difference() {
        let mut thing = Thing::default();
        fill_struct(
            &mut thing,
            &serde_json::json!({"Name": "n", "Tags": ["a", "b"]}),
        )
        .unwrap();
        let err = compare_struct(
            &serde_json::json!({"Name": "n", "Tags": ["a", "c"]}),
            &thing,
        )
        .unwrap_err();
        assert!(err.starts_with(".Tags[1]"), "{err}");
        // A set optional member the expectation lacks is a difference ...
        let err = compare_struct(&serde_json::json!({"Name": "n"}), &thing).unwrap_err();
        assert!(err.starts_with(".Tags: expected absent"), "{err}");
        // ... but an untouched required member is not.
        let empty = Thing::default();
        assert!(compare_struct(&serde_json::json!({}), &empty).is_ok());
    }

    #[test]
    fn float_members_compare_at_single_precision() {
        let mut thing = Thing::default();
        fill_struct(&mut thing, &serde_json::json!({"Ratio": 1.1})).unwrap();
        assert!(compare_struct(&serde_json::json!({"Ratio": 1.1}), &thing).is_ok());
        assert!(compare_struct(&serde_json::json!({"Ratio": 1.2}), &thing).is_err());
        assert_eq!(to_json(&thing)["Ratio"], serde_json::json!(1.1));
    }

    #[test]
    fn bad_params_report_their_path() {
        let mut thing = Thing::default();
        let err = fill_struct(&mut thing, &serde_json::json!({"Tags": [1]})).unwrap_err();
        assert!(err.starts_with(".Tags[0]"), "{err}");
        let err = fill_struct(&mut thing, &serde_json::json!({"Nope": 1})).unwrap_err();
        assert!(err.contains("no member Nope"), "{err}");
    }
}
