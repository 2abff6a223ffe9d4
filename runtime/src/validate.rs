//! Validation of values against the constraints their shapes state.
//!
//! [`validate`] walks a value through its [`Shape`] — structures, unions,
//! lists and maps, recursively — and collects **every** violation rather
//! than stopping at the first:
//!
//! - `required`: a required structure member that is unset, and a union
//!   with no variant set (or only a variant this model does not know);
//! - `min` / `max` length: strings count characters (Unicode scalar
//!   values), lists and maps count entries, blobs count bytes;
//! - `min` / `max` range on integers, longs, floats and doubles;
//! - `pattern` on strings (compiled once per pattern, see
//!   [`crate::pattern`]; a pattern that cannot be compiled is not enforced);
//! - enum membership of string enums and int enums.
//!
//! Paths name the member where a violation sits, from the validated value:
//! member names as in the model joined by `.`, list elements as `[index]`,
//! map values as `["key"]` and map keys themselves as `[key "key"]`, e.g.
//! `Attachments[0].AttachmentName` or `Tags["env"]`. A violation of the
//! validated value itself has the empty path.
//!
//! Nesting deeper than [`MAX_DEPTH`] is reported as a violation instead of
//! being walked, so a pathological value cannot overflow the stack.

use crate::schema::{Constraints, Shape, ShapeKind};
use crate::value::{Struct, Value, ValueRef};
use std::fmt::{self, Write as _};

/// Deepest nesting of structures, lists and maps that is walked.
pub const MAX_DEPTH: usize = 100;

/// Checks `value` and everything it contains against the model's constraints.
pub fn validate(value: &dyn Struct) -> Result<(), ValidationErrors> {
    run(value, true)
}

/// Checks only `required` members and union variants (and nesting depth):
/// what the official SDKs enforce by default. Cheaper than [`validate`]:
/// no pattern is compiled.
pub fn validate_required(value: &dyn Struct) -> Result<(), ValidationErrors> {
    run(value, false)
}

fn run(value: &dyn Struct, full: bool) -> Result<(), ValidationErrors> {
    let mut w = Walker {
        path: Vec::new(),
        violations: Vec::new(),
        full,
    };
    w.structure(value, 0);
    if w.violations.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors {
            violations: w.violations,
        })
    }
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Path from the validated value, e.g. `Attachments[0].AttachmentName`.
    pub path: String,
    pub kind: ViolationKind,
}

/// Which constraint was broken.
#[derive(Debug, Clone, PartialEq)]
pub enum ViolationKind {
    /// A required member is unset (or a union has no variant).
    Required,
    /// Length (characters, entries or bytes) below `min`.
    TooShort { min: u64, actual: u64 },
    /// Length above `max`.
    TooLong { max: u64, actual: u64 },
    /// Number below `min`.
    BelowMin { min: f64, actual: f64 },
    /// Number above `max`.
    AboveMax { max: f64, actual: f64 },
    /// Does not match `pattern`.
    Pattern { pattern: &'static str },
    /// Not one of the enum's values (redacted for sensitive shapes).
    NotInEnum { value: String },
    /// The value nests deeper than [`MAX_DEPTH`]; it was not checked below here.
    TooDeep { max: usize },
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViolationKind::Required => f.write_str("a value is required"),
            ViolationKind::TooShort { min, actual } => {
                write!(f, "length {actual} is below the minimum {min}")
            }
            ViolationKind::TooLong { max, actual } => {
                write!(f, "length {actual} is above the maximum {max}")
            }
            ViolationKind::BelowMin { min, actual } => {
                write!(f, "value {actual} is below the minimum {min}")
            }
            ViolationKind::AboveMax { max, actual } => {
                write!(f, "value {actual} is above the maximum {max}")
            }
            ViolationKind::Pattern { pattern } => {
                write!(f, "value does not match the pattern {pattern}")
            }
            ViolationKind::NotInEnum { value } => {
                write!(f, "value {value:?} is not one of the allowed values")
            }
            ViolationKind::TooDeep { max } => {
                write!(f, "value nests deeper than {max} levels")
            }
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

/// All violations found in one value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValidationErrors {
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

enum Segment<'a> {
    Member(&'static str),
    Index(usize),
    Value(&'a str),
    Key(&'a str),
}

struct Walker<'a> {
    path: Vec<Segment<'a>>,
    violations: Vec<Violation>,
    /// Check every constraint, not just `required`.
    full: bool,
}

impl<'a> Walker<'a> {
    fn report(&mut self, kind: ViolationKind) {
        let mut path = String::new();
        for seg in &self.path {
            match seg {
                Segment::Member(name) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                }
                Segment::Index(i) => {
                    let _ = write!(path, "[{i}]");
                }
                Segment::Value(k) => {
                    let _ = write!(path, "[{k:?}]");
                }
                Segment::Key(k) => {
                    let _ = write!(path, "[key {k:?}]");
                }
            }
        }
        self.violations.push(Violation { path, kind });
    }

    fn structure(&mut self, s: &'a dyn Struct, depth: usize) {
        if depth > MAX_DEPTH {
            self.report(ViolationKind::TooDeep { max: MAX_DEPTH });
            return;
        }
        let shape = s.shape();
        let is_union = matches!(shape.kind, ShapeKind::Union(_));
        let mut active = false;
        for (i, m) in shape.members().iter().enumerate() {
            let v = s.member(i).map_or(ValueRef::Null, Value::get);
            if matches!(v, ValueRef::Null) {
                if m.required && !is_union {
                    self.path.push(Segment::Member(m.name));
                    self.report(ViolationKind::Required);
                    self.path.pop();
                }
                continue;
            }
            active = true;
            self.path.push(Segment::Member(m.name));
            self.value(m.target, v, depth + 1);
            self.path.pop();
        }
        if is_union && !active {
            self.report(ViolationKind::Required);
        }
    }

    fn value(&mut self, shape: &'static Shape, v: ValueRef<'a>, depth: usize) {
        let c = if self.full {
            &shape.constraints
        } else {
            &Constraints::NONE
        };
        match v {
            ValueRef::Null
            | ValueRef::Bool(_)
            | ValueRef::Timestamp(_)
            | ValueRef::Document(_)
            | ValueRef::Stream(_) => {}
            ValueRef::Int(i) => {
                if !c.int_enum_values.is_empty()
                    && !i32::try_from(i).is_ok_and(|i| c.int_enum_values.contains(&i))
                {
                    let value = if shape.sensitive {
                        "*** Sensitive Data Redacted ***".to_owned()
                    } else {
                        i.to_string()
                    };
                    self.report(ViolationKind::NotInEnum { value });
                }
                self.range(c, i as f64);
            }
            ValueRef::Float(f) => self.range(c, f),
            ValueRef::Str(s) => {
                if !c.enum_values.is_empty() && !c.enum_values.contains(&s) {
                    let value = if shape.sensitive {
                        "*** Sensitive Data Redacted ***".to_owned()
                    } else {
                        s.to_owned()
                    };
                    self.report(ViolationKind::NotInEnum { value });
                }
                if c.min.is_some() || c.max.is_some() {
                    self.length(c, s.chars().count());
                }
                if let Some(p) = c.pattern
                    && let Ok(compiled) = p.compiled()
                    && !compiled.is_match(s)
                {
                    self.report(ViolationKind::Pattern { pattern: p.source });
                }
            }
            ValueRef::Blob(b) => self.length(c, b.len()),
            ValueRef::Struct(s) => self.structure(s, depth),
            ValueRef::List(list) => {
                self.length(c, list.len());
                let ShapeKind::List(ls) = shape.kind else {
                    return;
                };
                if depth > MAX_DEPTH {
                    self.report(ViolationKind::TooDeep { max: MAX_DEPTH });
                    return;
                }
                for i in 0..list.len() {
                    self.path.push(Segment::Index(i));
                    self.value(ls.member.target, list.item(i).get(), depth + 1);
                    self.path.pop();
                }
            }
            ValueRef::Map(map) => {
                self.length(c, map.len());
                let ShapeKind::Map(ms) = shape.kind else {
                    return;
                };
                if depth > MAX_DEPTH {
                    self.report(ViolationKind::TooDeep { max: MAX_DEPTH });
                    return;
                }
                for (k, v) in map.sorted_entries() {
                    self.path.push(Segment::Key(k));
                    self.value(ms.key.target, ValueRef::Str(k), depth + 1);
                    self.path.pop();
                    self.path.push(Segment::Value(k));
                    self.value(ms.value.target, v.get(), depth + 1);
                    self.path.pop();
                }
            }
        }
    }

    fn length(&mut self, c: &Constraints, len: usize) {
        let actual = len as u64;
        if let Some(min) = c.min
            && (actual as f64) < min
        {
            self.report(ViolationKind::TooShort {
                min: min.ceil() as u64,
                actual,
            });
        }
        if let Some(max) = c.max
            && (actual as f64) > max
        {
            self.report(ViolationKind::TooLong {
                max: max.floor() as u64,
                actual,
            });
        }
    }

    fn range(&mut self, c: &Constraints, actual: f64) {
        if let Some(min) = c.min
            && actual < min
        {
            self.report(ViolationKind::BelowMin { min, actual });
        }
        if let Some(max) = c.max
            && actual > max
        {
            self.report(ViolationKind::AboveMax { max, actual });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::*;
    use crate::types::Blob;
    use std::collections::HashMap;

    // Fixtures written the way the generator emits them.
    static NAME_PATTERN: Pattern = Pattern::new("^[a-z]+$");
    static NAME: Shape = Shape {
        constraints: Constraints {
            min: Some(1.0),
            max: Some(5.0),
            pattern: Some(&NAME_PATTERN),
            ..Constraints::NONE
        },
        ..Shape::new("Name", ShapeKind::String)
    };
    static COUNT: Shape = Shape {
        constraints: Constraints {
            min: Some(1.0),
            max: Some(10.0),
            ..Constraints::NONE
        },
        ..Shape::new("Count", ShapeKind::Integer)
    };
    static RATIO: Shape = Shape {
        constraints: Constraints {
            min: Some(0.0),
            max: Some(1.0),
            ..Constraints::NONE
        },
        ..Shape::new("Ratio", ShapeKind::Double)
    };
    static DATA: Shape = Shape {
        constraints: Constraints {
            max: Some(3.0),
            ..Constraints::NONE
        },
        ..Shape::new("Data", ShapeKind::Blob)
    };
    static COLOR: Shape = Shape {
        constraints: Constraints {
            enum_values: &["red", "green"],
            ..Constraints::NONE
        },
        ..Shape::new("Color", ShapeKind::String)
    };
    static LEVEL: Shape = Shape {
        constraints: Constraints {
            int_enum_values: &[1, 2],
            ..Constraints::NONE
        },
        ..Shape::new("Level", ShapeKind::IntEnum)
    };
    static ATTACHMENT: Shape = Shape::new(
        "Attachment",
        ShapeKind::Structure(&StructShape {
            members: &[Member {
                required: true,
                ..Member::new("AttachmentName", &NAME)
            }],
            payload: None,
        }),
    );
    static ATTACHMENTS: Shape = Shape {
        constraints: Constraints {
            max: Some(2.0),
            ..Constraints::NONE
        },
        ..Shape::new(
            "Attachments",
            ShapeKind::List(&ListShape {
                member: Member::new("member", &ATTACHMENT),
                sparse: false,
            }),
        )
    };
    static TAGS: Shape = Shape {
        constraints: Constraints {
            min: Some(1.0),
            ..Constraints::NONE
        },
        ..Shape::new(
            "Tags",
            ShapeKind::Map(&MapShape {
                key: Member::new("key", &NAME),
                value: Member::new("value", &COUNT),
                sparse: false,
            }),
        )
    };
    static CHOICE: Shape = Shape::new(
        "Choice",
        ShapeKind::Union(&StructShape {
            members: &[Member::new("A", &NAME), Member::new("B", &COUNT)],
            payload: None,
        }),
    );
    static REQUEST: Shape = Shape::new(
        "Request",
        ShapeKind::Structure(&StructShape {
            members: &[
                Member {
                    required: true,
                    ..Member::new("Name", &NAME)
                },
                Member::new("Count", &COUNT),
                Member::new("Ratio", &RATIO),
                Member::new("Data", &DATA),
                Member::new("Color", &COLOR),
                Member::new("Level", &LEVEL),
                Member::new("Attachments", &ATTACHMENTS),
                Member::new("Tags", &TAGS),
                Member {
                    required: true,
                    ..Member::new("Choice", &CHOICE)
                },
                Member::new("Next", &REQUEST),
            ],
            payload: None,
        }),
    );

    #[derive(Debug, Clone, PartialEq)]
    enum Color {
        Red,
        Green,
        Unknown(String),
    }
    impl Default for Color {
        fn default() -> Color {
            Color::Unknown(String::new())
        }
    }
    impl crate::value::Blank for Color {
        fn blank() -> Self {
            Self::default()
        }
    }

    impl Value for Color {
        fn get(&self) -> ValueRef<'_> {
            ValueRef::Str(match self {
                Color::Red => "red",
                Color::Green => "green",
                Color::Unknown(s) => s,
            })
        }
        fn get_mut(&mut self) -> crate::value::ValueMut<'_> {
            crate::value::ValueMut::Enum(self)
        }
    }
    impl crate::value::StringEnum for Color {
        fn set_str(&mut self, v: &str) {
            *self = match v {
                "red" => Color::Red,
                "green" => Color::Green,
                other => Color::Unknown(other.to_owned()),
            };
        }
        fn set_string(&mut self, v: String) {
            self.set_str(&v);
        }
    }

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Attachment {
        attachment_name: String,
    }
    impl crate::value::Blank for Attachment {
        fn blank() -> Self {
            Self::default()
        }
    }

    impl Struct for Attachment {
        fn shape(&self) -> &'static Shape {
            &ATTACHMENT
        }
        fn member(&self, i: usize) -> Option<&dyn Value> {
            (i == 0).then_some(&self.attachment_name as &dyn Value)
        }
        fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
            (i == 0).then_some(&mut self.attachment_name as &mut dyn Value)
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Choice {
        A(String),
        B(i32),
        Unknown(String),
    }
    impl Default for Choice {
        fn default() -> Choice {
            Choice::Unknown(String::new())
        }
    }
    impl crate::value::Blank for Choice {
        fn blank() -> Self {
            Self::default()
        }
    }

    impl Struct for Choice {
        fn shape(&self) -> &'static Shape {
            &CHOICE
        }
        fn member(&self, i: usize) -> Option<&dyn Value> {
            match (i, self) {
                (0, Choice::A(v)) => Some(v),
                (1, Choice::B(v)) => Some(v),
                _ => None,
            }
        }
        fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
            match i {
                0 if !matches!(self, Choice::A(_)) => *self = Choice::A(String::new()),
                1 if !matches!(self, Choice::B(_)) => *self = Choice::B(0),
                _ => {}
            }
            match (i, self) {
                (0, Choice::A(v)) => Some(v),
                (1, Choice::B(v)) => Some(v),
                _ => None,
            }
        }
        fn set_unknown_variant(&mut self, name: &str) {
            *self = Choice::Unknown(name.to_owned());
        }
    }

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Request {
        name: String,
        count: Option<i32>,
        ratio: Option<f64>,
        data: Option<Blob>,
        color: Option<Color>,
        level: Option<i32>,
        attachments: Option<Vec<Attachment>>,
        tags: Option<HashMap<String, i32>>,
        choice: Option<Choice>,
        next: Option<Box<Request>>,
    }
    impl crate::value::Blank for Request {
        fn blank() -> Self {
            Self::default()
        }
    }

    impl Struct for Request {
        fn shape(&self) -> &'static Shape {
            &REQUEST
        }
        fn member(&self, i: usize) -> Option<&dyn Value> {
            Some(match i {
                0 => &self.name,
                1 => &self.count,
                2 => &self.ratio,
                3 => &self.data,
                4 => &self.color,
                5 => &self.level,
                6 => &self.attachments,
                7 => &self.tags,
                8 => &self.choice,
                9 => &self.next,
                _ => return None,
            })
        }
        fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
            Some(match i {
                0 => &mut self.name,
                1 => &mut self.count,
                2 => &mut self.ratio,
                3 => &mut self.data,
                4 => &mut self.color,
                5 => &mut self.level,
                6 => &mut self.attachments,
                7 => &mut self.tags,
                8 => &mut self.choice,
                9 => &mut self.next,
                _ => return None,
            })
        }
    }

    fn valid() -> Request {
        Request {
            name: "abc".into(),
            count: Some(10),
            ratio: Some(0.5),
            data: Some(Blob::from("xyz")),
            color: Some(Color::Green),
            level: Some(2),
            attachments: Some(vec![Attachment {
                attachment_name: "file".into(),
            }]),
            tags: Some(HashMap::from([("env".to_owned(), 1)])),
            choice: Some(Choice::B(3)),
            next: None,
        }
    }

    fn violations(r: &Request) -> Vec<(String, ViolationKind)> {
        match validate(r) {
            Ok(()) => Vec::new(),
            Err(e) => e.violations.into_iter().map(|v| (v.path, v.kind)).collect(),
        }
    }

    fn one(path: &str, kind: ViolationKind) -> Vec<(String, ViolationKind)> {
        vec![(path.to_owned(), kind)]
    }

    #[test]
    fn a_valid_value_passes() {
        assert_eq!(validate(&valid()), Ok(()));
        // Boundaries are inclusive.
        let mut r = valid();
        r.name = "abcde".into();
        r.count = Some(1);
        r.ratio = Some(1.0);
        assert_eq!(validate(&r), Ok(()));
    }

    #[test]
    fn required_members() {
        let mut r = valid();
        r.choice = None;
        assert_eq!(violations(&r), one("Choice", ViolationKind::Required));
        // A union with no variant, or only an unknown one.
        r.choice = Some(Choice::default());
        assert_eq!(violations(&r), one("Choice", ViolationKind::Required));
        r.choice = Some(Choice::Unknown("C".into()));
        assert_eq!(violations(&r), one("Choice", ViolationKind::Required));
        r.choice = Some(Choice::A("ok".into()));
        assert_eq!(violations(&r), vec![]);
    }

    #[test]
    fn string_length_counts_characters() {
        let mut r = valid();
        r.name = String::new();
        assert_eq!(
            violations(&r),
            vec![
                ("Name".into(), ViolationKind::TooShort { min: 1, actual: 0 }),
                (
                    "Name".into(),
                    ViolationKind::Pattern {
                        pattern: "^[a-z]+$"
                    }
                ),
            ]
        );
        r.name = "abcdef".into();
        assert_eq!(
            violations(&r),
            one("Name", ViolationKind::TooLong { max: 5, actual: 6 })
        );
        // Five characters, ten bytes: within `max`, but not the pattern.
        r.name = "ééééé".into();
        assert_eq!(
            violations(&r),
            one(
                "Name",
                ViolationKind::Pattern {
                    pattern: "^[a-z]+$"
                }
            )
        );
    }

    #[test]
    fn blob_length_counts_bytes() {
        let mut r = valid();
        r.data = Some(Blob::from("abcd"));
        assert_eq!(
            violations(&r),
            one("Data", ViolationKind::TooLong { max: 3, actual: 4 })
        );
    }

    #[test]
    fn numeric_ranges() {
        let mut r = valid();
        r.count = Some(0);
        r.ratio = Some(1.5);
        assert_eq!(
            violations(&r),
            vec![
                (
                    "Count".into(),
                    ViolationKind::BelowMin {
                        min: 1.0,
                        actual: 0.0
                    }
                ),
                (
                    "Ratio".into(),
                    ViolationKind::AboveMax {
                        max: 1.0,
                        actual: 1.5
                    }
                ),
            ]
        );
        r.count = Some(11);
        r.ratio = Some(-0.1);
        assert_eq!(violations(&r).len(), 2);
    }

    #[test]
    fn enums() {
        let mut r = valid();
        r.color = Some(Color::Unknown("blue".into()));
        r.level = Some(3);
        assert_eq!(
            violations(&r),
            vec![
                (
                    "Color".into(),
                    ViolationKind::NotInEnum {
                        value: "blue".into()
                    }
                ),
                (
                    "Level".into(),
                    ViolationKind::NotInEnum { value: "3".into() }
                ),
            ]
        );
        // The generated `Default` of an enum is not a valid value.
        r.color = Some(Color::default());
        r.level = Some(1);
        assert_eq!(
            violations(&r),
            one("Color", ViolationKind::NotInEnum { value: "".into() })
        );
    }

    #[test]
    fn lists_and_maps_with_paths() {
        let mut r = valid();
        r.attachments = Some(vec![
            Attachment {
                attachment_name: "ok".into(),
            },
            Attachment::default(),
            Attachment {
                attachment_name: "x".into(),
            },
        ]);
        r.tags = Some(HashMap::from([
            ("env".to_owned(), 0),
            ("BAD".to_owned(), 1),
        ]));
        let got = violations(&r);
        assert_eq!(
            got,
            vec![
                (
                    "Attachments".into(),
                    ViolationKind::TooLong { max: 2, actual: 3 }
                ),
                (
                    "Attachments[1].AttachmentName".into(),
                    ViolationKind::TooShort { min: 1, actual: 0 }
                ),
                (
                    "Attachments[1].AttachmentName".into(),
                    ViolationKind::Pattern {
                        pattern: "^[a-z]+$"
                    }
                ),
                (
                    "Tags[key \"BAD\"]".into(),
                    ViolationKind::Pattern {
                        pattern: "^[a-z]+$"
                    }
                ),
                (
                    "Tags[\"env\"]".into(),
                    ViolationKind::BelowMin {
                        min: 1.0,
                        actual: 0.0
                    }
                ),
            ]
        );
        r.tags = Some(HashMap::new());
        r.attachments = None;
        assert_eq!(
            violations(&r),
            one("Tags", ViolationKind::TooShort { min: 1, actual: 0 })
        );
    }

    #[test]
    fn nested_structures_and_display() {
        let mut r = valid();
        let mut inner = valid();
        inner.choice = None;
        inner.attachments = Some(vec![Attachment::default()]);
        r.next = Some(Box::new(inner));
        let err = validate(&r).expect_err("invalid");
        assert_eq!(
            err.to_string(),
            "Next.Attachments[0].AttachmentName: length 0 is below the minimum 1; \
             Next.Attachments[0].AttachmentName: value does not match the pattern ^[a-z]+$; \
             Next.Choice: a value is required"
        );
    }

    #[test]
    fn required_only_mode() {
        let mut r = valid();
        r.name = String::new();
        r.count = Some(99);
        r.color = Some(Color::Unknown("blue".into()));
        r.attachments = Some(vec![Attachment::default(); 5]);
        assert_eq!(validate_required(&r), Ok(()));
        assert!(validate(&r).is_err());
        let mut inner = valid();
        inner.choice = None;
        r.next = Some(Box::new(inner));
        let err = validate_required(&r).expect_err("missing");
        assert_eq!(err.to_string(), "Next.Choice: a value is required");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut r = valid();
        for _ in 0..(MAX_DEPTH + 10) {
            r = Request {
                next: Some(Box::new(r)),
                ..valid()
            };
        }
        let err = validate(&r).expect_err("too deep");
        assert!(matches!(
            err.violations.last().map(|v| &v.kind),
            Some(ViolationKind::TooDeep { .. })
        ));
        // Dropping such a chain recursively is fine at this depth.
    }
}
