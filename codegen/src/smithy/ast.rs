//! Reading a Smithy 2.0 JSON AST model into a flat, resolved shape table:
//! the prelude added, `apply` statements applied, mixins flattened.
//!
//! After [`Model::read`] every shape has its final members (mixin members
//! first, in the spec's depth-first order) and its final traits (mixin
//! traits overridden by the shape's own, then applied ones); mixin shapes
//! are left in the table but nothing refers to them any more.

use crate::error::Error;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Trait id → value.
pub type Traits = Map<String, Value>;

/// One member: `target` and the traits stated on the member.
#[derive(Debug, Clone)]
pub struct Member {
    pub target: String,
    pub traits: Traits,
}

/// One shape after mixins and `apply`.
#[derive(Debug, Clone)]
pub struct Shape {
    pub id: String,
    /// `structure`, `string`, `service`, ...
    pub ty: String,
    /// Structure/union/enum/intEnum members in model order; `member` for a
    /// list or set, `key` and `value` for a map.
    pub members: Vec<(String, Member)>,
    pub traits: Traits,
    /// Mixins as written (resolved already).
    pub mixins: Vec<String>,
    /// Every other property (`version`, `operations`, `input`, ...).
    pub props: Map<String, Value>,
}

impl Shape {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|(n, _)| n == name).map(|(_, m)| m)
    }

    /// A shape-reference property (`input`, `create`, ...).
    pub fn reference(&self, prop: &str) -> Option<&str> {
        self.props.get(prop).and_then(target_of)
    }

    /// A list-of-references property (`operations`, `errors`, ...).
    pub fn references(&self, prop: &str) -> Vec<&str> {
        match self.props.get(prop) {
            Some(Value::Array(items)) => items.iter().filter_map(target_of).collect(),
            _ => Vec::new(),
        }
    }
}

/// `{"target": "ns#Name"}` → `ns#Name`.
pub fn target_of(v: &Value) -> Option<&str> {
    v.get("target").and_then(Value::as_str)
}

/// The Smithy 2.0 prelude's shapes (Smithy's own traits are not needed:
/// traits are read by id). `Primitive*` shapes carry their zero default.
const PRELUDE: &str = r#"{
  "smithy.api#String": {"type": "string"},
  "smithy.api#Blob": {"type": "blob"},
  "smithy.api#BigInteger": {"type": "bigInteger"},
  "smithy.api#BigDecimal": {"type": "bigDecimal"},
  "smithy.api#Timestamp": {"type": "timestamp"},
  "smithy.api#Document": {"type": "document"},
  "smithy.api#Boolean": {"type": "boolean"},
  "smithy.api#PrimitiveBoolean": {"type": "boolean", "traits": {"smithy.api#default": false}},
  "smithy.api#Byte": {"type": "byte"},
  "smithy.api#PrimitiveByte": {"type": "byte", "traits": {"smithy.api#default": 0}},
  "smithy.api#Short": {"type": "short"},
  "smithy.api#PrimitiveShort": {"type": "short", "traits": {"smithy.api#default": 0}},
  "smithy.api#Integer": {"type": "integer"},
  "smithy.api#PrimitiveInteger": {"type": "integer", "traits": {"smithy.api#default": 0}},
  "smithy.api#Long": {"type": "long"},
  "smithy.api#PrimitiveLong": {"type": "long", "traits": {"smithy.api#default": 0}},
  "smithy.api#Float": {"type": "float"},
  "smithy.api#PrimitiveFloat": {"type": "float", "traits": {"smithy.api#default": 0}},
  "smithy.api#Double": {"type": "double"},
  "smithy.api#PrimitiveDouble": {"type": "double", "traits": {"smithy.api#default": 0}},
  "smithy.api#Unit": {"type": "structure", "traits": {"smithy.api#unitType": {}}}
}"#;

/// Whether `id` is a prelude shape.
pub fn is_prelude(id: &str) -> bool {
    id.starts_with("smithy.api#")
}

/// Shape types this reader knows.
const TYPES: &[&str] = &[
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "enum",
    "intEnum",
    "list",
    "set",
    "map",
    "structure",
    "union",
    "service",
    "resource",
    "operation",
];

/// The resolved model.
#[derive(Debug, Default)]
pub struct Model {
    pub shapes: BTreeMap<String, Shape>,
    pub metadata: Map<String, Value>,
}

/// A pending `apply`: target shape or member id and its traits.
struct Apply {
    target: String,
    traits: Traits,
}

impl Model {
    /// Reads the AST, adds the prelude, applies `apply` entries and flattens mixins.
    pub fn read(raw: &Value, file: &str) -> Result<Model, Error> {
        let other = |message: String| Error::Other(format!("{file}: {message}"));
        let root = raw
            .as_object()
            .ok_or_else(|| other("a Smithy JSON AST model must be a JSON object".into()))?;
        match root.get("smithy") {
            Some(Value::String(v)) if v == "2" || v.starts_with("2.") || v.starts_with("1.") => {}
            Some(v) => return Err(other(format!("unsupported Smithy version {v}"))),
            None => return Err(other("no top-level `smithy` version".into())),
        }
        let mut shapes = BTreeMap::new();
        let mut applies = Vec::new();
        let empty = Map::new();
        let entries = match root.get("shapes") {
            None => &empty,
            Some(Value::Object(m)) => m,
            Some(_) => return Err(other("`shapes` must be an object".into())),
        };
        for (id, v) in entries {
            check_id(id, file)?;
            let invalid = |message: String| Error::InvalidShape {
                file: file.into(),
                shape: id.clone(),
                message,
            };
            let obj = v
                .as_object()
                .ok_or_else(|| invalid("a shape must be a JSON object".into()))?;
            let ty = obj
                .get("type")
                .and_then(Value::as_str)
                .ok_or_else(|| invalid("shape without a `type`".into()))?;
            let traits = traits_of(obj.get("traits"), file, id)?;
            if ty == "apply" {
                applies.push(Apply {
                    target: id.clone(),
                    traits,
                });
                continue;
            }
            if id.contains('$') {
                return Err(invalid("only `apply` may name a member id".into()));
            }
            shapes.insert(id.clone(), parse_shape(id, ty, obj, traits, file)?);
        }
        let prelude: Map<String, Value> =
            serde_json::from_str(PRELUDE).map_err(|e| Error::Other(format!("prelude: {e}")))?;
        for (id, v) in &prelude {
            if !shapes.contains_key(id) {
                let obj = v.as_object().cloned().unwrap_or_default();
                let ty = obj.get("type").and_then(Value::as_str).unwrap_or("string");
                let traits = traits_of(obj.get("traits"), "<prelude>", id)?;
                shapes.insert(id.clone(), parse_shape(id, ty, &obj, traits, "<prelude>")?);
            }
        }
        let mut model = Model {
            shapes,
            metadata: match root.get("metadata") {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            },
        };
        // Applies to shapes and declared members first; those naming a
        // member that only a mixin brings in wait until after flattening.
        let mut deferred = Vec::new();
        for a in applies {
            if !model.apply(&a, file, false)? {
                deferred.push(a);
            }
        }
        model.flatten_mixins(file)?;
        for a in deferred {
            if !model.apply(&a, file, true)? {
                return Err(Error::Other(format!(
                    "{file}: `apply` targets `{}`, which does not exist",
                    a.target
                )));
            }
        }
        Ok(model)
    }

    /// Applies traits; `false` when the target does not exist (yet).
    /// `supersede`: applied after mixins, where applied traits win over
    /// inherited ones (spec: "traits applied to shapes supersede any traits
    /// inherited from mixins").
    fn apply(&mut self, a: &Apply, file: &str, supersede: bool) -> Result<bool, Error> {
        let (shape_id, member) = match a.target.split_once('$') {
            Some((s, m)) => (s, Some(m)),
            None => (a.target.as_str(), None),
        };
        let Some(shape) = self.shapes.get_mut(shape_id) else {
            return Ok(false);
        };
        let traits = match member {
            None => &mut shape.traits,
            Some(m) => match shape.members.iter_mut().find(|(n, _)| n == m) {
                Some((_, mem)) => &mut mem.traits,
                None => return Ok(false),
            },
        };
        for (k, v) in &a.traits {
            merge_trait(traits, k, v, supersede).map_err(|message| Error::InvalidShape {
                file: file.into(),
                shape: a.target.clone(),
                message,
            })?;
        }
        Ok(true)
    }

    /// Replaces every shape that has mixins by its flattened form.
    fn flatten_mixins(&mut self, file: &str) -> Result<(), Error> {
        let ids: Vec<String> = self
            .shapes
            .values()
            .filter(|s| !s.mixins.is_empty())
            .map(|s| s.id.clone())
            .collect();
        let mut done: BTreeMap<String, Shape> = BTreeMap::new();
        for id in ids {
            let mut visiting = BTreeSet::new();
            self.flattened(&id, file, &mut done, &mut visiting)?;
        }
        for (id, s) in done {
            self.shapes.insert(id, s);
        }
        Ok(())
    }

    /// The flattened form of `id` (memoised in `done`).
    fn flattened(
        &self,
        id: &str,
        file: &str,
        done: &mut BTreeMap<String, Shape>,
        visiting: &mut BTreeSet<String>,
    ) -> Result<Shape, Error> {
        if let Some(s) = done.get(id) {
            return Ok(s.clone());
        }
        let invalid = |message: String| Error::InvalidShape {
            file: file.into(),
            shape: id.into(),
            message,
        };
        let own = self
            .shapes
            .get(id)
            .ok_or_else(|| invalid("mixin does not exist".into()))?
            .clone();
        if own.mixins.is_empty() {
            return Ok(own);
        }
        if !visiting.insert(id.to_string()) {
            return Err(invalid("mixins form a cycle".into()));
        }
        let mut members: Vec<(String, Member)> = Vec::new();
        let mut traits = Traits::new();
        let mut props = Map::new();
        for mixin_id in &own.mixins {
            let mixin = self
                .shapes
                .get(mixin_id)
                .ok_or_else(|| Error::DanglingReference {
                    file: file.into(),
                    shape: id.into(),
                    member: None,
                    target: mixin_id.clone(),
                })?;
            if !mixin.traits.contains_key("smithy.api#mixin") {
                return Err(invalid(format!(
                    "`{mixin_id}` is used as a mixin but has no `smithy.api#mixin` trait"
                )));
            }
            if mixin.ty != own.ty {
                return Err(invalid(format!(
                    "a {} cannot use the {} mixin `{mixin_id}`",
                    own.ty, mixin.ty
                )));
            }
            let local: Vec<String> = mixin
                .traits
                .get("smithy.api#mixin")
                .and_then(|m| m.get("localTraits"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let resolved = self.flattened(mixin_id, file, done, visiting)?;
            for (k, v) in &resolved.traits {
                if k != "smithy.api#mixin" && !local.contains(k) {
                    traits.insert(k.clone(), v.clone());
                }
            }
            for (name, m) in resolved.members {
                match members.iter().position(|(n, _)| *n == name) {
                    Some(i) if members[i].1.target != m.target => {
                        return Err(invalid(format!(
                            "mixins define member `{name}` with different targets"
                        )));
                    }
                    // The later mixin's member traits win.
                    Some(i) => members[i].1.traits.extend(m.traits),
                    None => members.push((name, m)),
                }
            }
            merge_props(&mut props, &resolved.props);
        }
        for (k, v) in own.traits {
            traits.insert(k, v);
        }
        for (name, m) in own.members {
            match members.iter().position(|(n, _)| *n == name) {
                Some(i) if members[i].1.target != m.target => {
                    return Err(invalid(format!(
                        "member `{name}` redefines a mixin member with a different target"
                    )));
                }
                Some(i) => members[i].1.traits.extend(m.traits),
                None => members.push((name, m)),
            }
        }
        // Local scalar properties are kept; lists and maps are merged after the mixins'.
        let mut local_props = own.props;
        for (k, v) in std::mem::take(&mut local_props) {
            match (props.get_mut(&k), v) {
                (Some(Value::Array(a)), Value::Array(b)) => {
                    for item in b {
                        if !a.contains(&item) {
                            a.push(item);
                        }
                    }
                }
                (Some(Value::Object(a)), Value::Object(b)) => a.extend(b),
                (_, v) => {
                    props.insert(k, v);
                }
            }
        }
        visiting.remove(id);
        let flat = Shape {
            id: own.id,
            ty: own.ty,
            members,
            traits,
            mixins: own.mixins,
            props,
        };
        done.insert(id.to_string(), flat.clone());
        Ok(flat)
    }
}

/// Merges a mixin's non-member properties into `into` (earlier mixins first).
fn merge_props(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (k, v) in from {
        match (into.get_mut(k), v) {
            (Some(Value::Array(a)), Value::Array(b)) => {
                for item in b {
                    if !a.contains(item) {
                        a.push(item.clone());
                    }
                }
            }
            (Some(Value::Object(a)), Value::Object(b)) => {
                for (bk, bv) in b {
                    a.insert(bk.clone(), bv.clone());
                }
            }
            (_, v) => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Adds an applied trait: arrays concatenate, equal values are fine, other
/// values conflict (unless `supersede`).
fn merge_trait(
    traits: &mut Traits,
    id: &str,
    value: &Value,
    supersede: bool,
) -> Result<(), String> {
    match traits.get_mut(id) {
        None => {
            traits.insert(id.to_string(), value.clone());
        }
        Some(Value::Array(have)) if value.is_array() => {
            have.extend(value.as_array().into_iter().flatten().cloned());
        }
        Some(have) if have == value => {}
        Some(have) if supersede => *have = value.clone(),
        Some(_) => return Err(format!("trait `{id}` is applied with a conflicting value")),
    }
    Ok(())
}

fn check_id(id: &str, file: &str) -> Result<(), Error> {
    let ok = match id.split_once('#') {
        Some((ns, name)) => {
            !ns.is_empty()
                && !name.is_empty()
                && !name.contains('#')
                && ns
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidShape {
            file: file.into(),
            shape: id.into(),
            message: "not an absolute shape id (`namespace#Name`)".into(),
        })
    }
}

fn traits_of(v: Option<&Value>, file: &str, id: &str) -> Result<Traits, Error> {
    match v {
        None => Ok(Traits::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(_) => Err(Error::InvalidShape {
            file: file.into(),
            shape: id.into(),
            message: "`traits` must be an object".into(),
        }),
    }
}

fn parse_member(v: &Value, file: &str, id: &str, name: &str) -> Result<Member, Error> {
    let invalid = |message: String| Error::InvalidShape {
        file: file.into(),
        shape: id.into(),
        message: format!("member `{name}`: {message}"),
    };
    let obj = v
        .as_object()
        .ok_or_else(|| invalid("a member must be a JSON object".into()))?;
    let target = obj
        .get("target")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("member without a `target`".into()))?;
    Ok(Member {
        target: target.to_string(),
        traits: traits_of(obj.get("traits"), file, &format!("{id}${name}"))?,
    })
}

fn parse_shape(
    id: &str,
    ty: &str,
    obj: &Map<String, Value>,
    traits: Traits,
    file: &str,
) -> Result<Shape, Error> {
    if !TYPES.contains(&ty) {
        return Err(Error::UnknownShapeType {
            file: file.into(),
            shape: id.into(),
            shape_type: ty.into(),
        });
    }
    let mut members = Vec::new();
    match ty {
        "list" | "set" => {
            if let Some(m) = obj.get("member") {
                members.push(("member".to_string(), parse_member(m, file, id, "member")?));
            }
        }
        "map" => {
            for k in ["key", "value"] {
                if let Some(m) = obj.get(k) {
                    members.push((k.to_string(), parse_member(m, file, id, k)?));
                }
            }
        }
        _ => match obj.get("members") {
            None => {}
            Some(Value::Object(ms)) => {
                for (name, m) in ms {
                    members.push((name.clone(), parse_member(m, file, id, name)?));
                }
            }
            Some(_) => {
                return Err(Error::InvalidShape {
                    file: file.into(),
                    shape: id.into(),
                    message: "`members` must be an object".into(),
                });
            }
        },
    }
    let mixins = match obj.get("mixins") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|m| {
                target_of(m)
                    .map(str::to_owned)
                    .ok_or_else(|| Error::InvalidShape {
                        file: file.into(),
                        shape: id.into(),
                        message: "a mixin must be a shape reference".into(),
                    })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(Error::InvalidShape {
                file: file.into(),
                shape: id.into(),
                message: "`mixins` must be an array".into(),
            });
        }
    };
    let props = obj
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "type" | "traits" | "members" | "member" | "key" | "value" | "mixins"
            )
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Shape {
        id: id.to_string(),
        ty: ty.to_string(),
        members,
        traits,
        mixins,
        props,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(v: Value) -> Model {
        Model::read(&v, "t.json").expect("reads")
    }

    #[test]
    fn mixin_members_come_first_in_depth_first_order() {
        let m = read(serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "a#Filter": {"type": "structure", "traits": {"smithy.api#mixin": {}},
                    "members": {"nameFilter": {"target": "smithy.api#String"}}},
                "a#Paged": {"type": "structure", "traits": {"smithy.api#mixin": {}, "smithy.api#documentation": "paged"},
                    "members": {"nextToken": {"target": "smithy.api#String"}, "pageSize": {"target": "smithy.api#Integer"}}},
                "a#List": {"type": "structure", "mixins": [{"target": "a#Paged"}, {"target": "a#Filter"}],
                    "members": {"sizeFilter": {"target": "smithy.api#Integer"}}}
            }
        }));
        let s = &m.shapes["a#List"];
        let names: Vec<&str> = s.members.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["nextToken", "pageSize", "nameFilter", "sizeFilter"]);
        assert_eq!(s.traits["smithy.api#documentation"], "paged");
        assert!(!s.traits.contains_key("smithy.api#mixin"));
    }

    #[test]
    fn later_mixin_traits_win_and_local_traits_stay_local() {
        let m = read(serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "a#A": {"type": "structure", "traits": {"smithy.api#mixin": {}, "x#foo": 1, "x#one": {}}},
                "a#B": {"type": "structure", "traits": {"smithy.api#mixin": {"localTraits": ["x#private"]}, "x#foo": 2, "x#private": {}}},
                "a#C": {"type": "structure", "traits": {"smithy.api#mixin": {}, "x#three": {}}, "mixins": [{"target": "a#A"}, {"target": "a#B"}]},
                "a#D": {"type": "structure", "traits": {"smithy.api#documentation": "D"}, "mixins": [{"target": "a#C"}]}
            }
        }));
        let t = &m.shapes["a#D"].traits;
        assert_eq!(t["x#foo"], 2);
        assert!(t.contains_key("x#one") && t.contains_key("x#three"));
        assert!(!t.contains_key("x#private"));
    }

    #[test]
    fn apply_reaches_members_copied_from_mixins() {
        let m = read(serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "a#M": {"type": "structure", "traits": {"smithy.api#mixin": {}},
                    "members": {"m": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "generic"}}}},
                "a#S": {"type": "structure", "mixins": [{"target": "a#M"}]},
                "a#S$m": {"type": "apply", "traits": {"smithy.api#documentation": "specific"}},
                "a#T": {"type": "structure", "members": {"t": {"target": "smithy.api#String"}}},
                "a#T$t": {"type": "apply", "traits": {"smithy.api#required": {}}}
            }
        }));
        let docs = |id: &str, member: &str| m.shapes[id].member(member).unwrap().traits.clone();
        assert_eq!(docs("a#S", "m")["smithy.api#documentation"], "specific");
        // The mixin itself keeps its own text.
        assert_eq!(docs("a#M", "m")["smithy.api#documentation"], "generic");
        assert!(docs("a#T", "t").contains_key("smithy.api#required"));
    }

    #[test]
    fn applied_lists_concatenate_and_conflicts_are_errors() {
        let tags = read(serde_json::json!({
            "smithy": "2.0",
            "shapes": {
                "a#S": {"type": "structure", "traits": {"smithy.api#tags": ["a"], "smithy.api#documentation": "x"}}
            }
        }));
        assert_eq!(
            tags.shapes["a#S"].traits["smithy.api#tags"],
            serde_json::json!(["a"])
        );
        let mut traits = tags.shapes["a#S"].traits.clone();
        merge_trait(
            &mut traits,
            "smithy.api#tags",
            &serde_json::json!(["b"]),
            false,
        )
        .unwrap();
        assert_eq!(traits["smithy.api#tags"], serde_json::json!(["a", "b"]));
        merge_trait(
            &mut traits,
            "smithy.api#documentation",
            &serde_json::json!("x"),
            false,
        )
        .unwrap();
        let conflict = merge_trait(
            &mut traits,
            "smithy.api#documentation",
            &serde_json::json!("y"),
            false,
        );
        assert!(conflict.is_err());
        merge_trait(
            &mut traits,
            "smithy.api#documentation",
            &serde_json::json!("y"),
            true,
        )
        .unwrap();
        assert_eq!(traits["smithy.api#documentation"], "y");
        let missing = Model::read(
            &serde_json::json!({"smithy": "2.0", "shapes": {"a#S$nope": {"type": "apply", "traits": {}}}}),
            "t.json",
        )
        .unwrap_err()
        .to_string();
        assert!(missing.contains("a#S$nope"), "{missing}");
    }

    #[test]
    fn mixin_cycles_and_type_mismatches_are_errors() {
        let cycle = Model::read(
            &serde_json::json!({"smithy": "2.0", "shapes": {
                "a#A": {"type": "structure", "traits": {"smithy.api#mixin": {}}, "mixins": [{"target": "a#B"}]},
                "a#B": {"type": "structure", "traits": {"smithy.api#mixin": {}}, "mixins": [{"target": "a#A"}]}
            }}),
            "t.json",
        )
        .unwrap_err()
        .to_string();
        assert!(cycle.contains("cycle"), "{cycle}");
        let mismatch = Model::read(
            &serde_json::json!({"smithy": "2.0", "shapes": {
                "a#A": {"type": "string", "traits": {"smithy.api#mixin": {}}},
                "a#B": {"type": "blob", "mixins": [{"target": "a#A"}]}
            }}),
            "t.json",
        )
        .unwrap_err()
        .to_string();
        assert!(
            mismatch.contains("a#B") && mismatch.contains("mixin"),
            "{mismatch}"
        );
    }
}
