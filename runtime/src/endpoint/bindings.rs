//! How an operation feeds the rule set: static descriptions generated code
//! instantiates, and reading them against an input value.
//!
//! - `staticContextParams` → [`ContextSource::Static`];
//! - a member's `contextParam` → [`ContextSource::Member`] (member index in
//!   the input shape);
//! - `operationContextParams` → [`ContextSource::Path`], a JMESPath
//!   expression the generator compiled into a [`PathExpr`] tree (only the
//!   subset botocore's models use: fields, `a.b`, `[*]`, `[]`, `[a, b]`
//!   and `keys(...)`), evaluated over the input through the reflection
//!   traits: no JSON, no expression parsing per call.

use super::ParamValue;
use crate::value::{Struct, Value, ValueRef};

/// One rule-set parameter an operation supplies.
#[derive(Debug)]
pub struct ContextParam {
    /// The rule-set parameter's name (`Bucket`).
    pub name: &'static str,
    pub source: ContextSource,
}

/// Where an operation's parameter value comes from.
#[derive(Debug)]
pub enum ContextSource {
    /// A fixed value (`staticContextParams`).
    Static(StaticValue),
    /// Input member `i` (a member with `contextParam`).
    Member(usize),
    /// A JMESPath expression over the input (`operationContextParams`).
    Path(&'static PathExpr),
}

#[derive(Debug)]
pub enum StaticValue {
    Bool(bool),
    Str(&'static str),
    StrList(&'static [&'static str]),
}

/// A compiled JMESPath expression (the subset operation context params use).
#[derive(Debug)]
pub enum PathExpr {
    /// `@`: the current value.
    Identity,
    /// `name`: a member of the current structure, by model name.
    Field(&'static str),
    /// `lhs.rhs`.
    Sub(&'static PathExpr, &'static PathExpr),
    /// `lhs[*]` followed by `rhs` per element; null results are dropped.
    Project(&'static PathExpr, &'static PathExpr),
    /// `lhs[]` (one level of nested lists merged) followed by `rhs` per
    /// element; null results are dropped.
    Flatten(&'static PathExpr, &'static PathExpr),
    /// `[a, b, ...]` on the current value (null when it is null).
    MultiSelect(&'static [PathExpr]),
    /// `keys(expr)`: the keys of a map (or the set members of a structure).
    Keys(&'static PathExpr),
}

/// An intermediate JMESPath result.
#[derive(Clone)]
enum Pv<'a> {
    Null,
    Struct(&'a dyn Struct),
    Value(&'a dyn Value),
    Text(&'a str),
    List(Vec<Pv<'a>>),
}

impl<'a> Pv<'a> {
    /// Unset optionals read as null.
    fn of(v: &'a dyn Value) -> Pv<'a> {
        match v.get() {
            ValueRef::Null => Pv::Null,
            ValueRef::Struct(s) => Pv::Struct(s),
            _ => Pv::Value(v),
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Pv::Null)
    }

    /// The elements, when this is a list.
    fn items(&self) -> Option<Vec<Pv<'a>>> {
        match self {
            Pv::List(items) => Some(items.clone()),
            Pv::Value(v) => match v.get() {
                ValueRef::List(l) => Some((0..l.len()).map(|i| Pv::of(l.item(i))).collect()),
                _ => None,
            },
            _ => None,
        }
    }
}

fn is_set(s: &dyn Struct, i: usize) -> bool {
    s.member(i)
        .is_some_and(|v| !matches!(v.get(), ValueRef::Null))
}

fn project<'a>(base: Vec<Pv<'a>>, rhs: &PathExpr) -> Pv<'a> {
    Pv::List(
        base.into_iter()
            .map(|item| eval(rhs, item))
            .filter(|r| !r.is_null())
            .collect(),
    )
}

fn eval<'a>(e: &PathExpr, cur: Pv<'a>) -> Pv<'a> {
    match e {
        PathExpr::Identity => cur,
        PathExpr::Field(name) => match cur {
            Pv::Struct(s) => match s.shape().members().iter().position(|m| m.name == *name) {
                Some(i) => s.member(i).map_or(Pv::Null, Pv::of),
                None => Pv::Null,
            },
            _ => Pv::Null,
        },
        PathExpr::Sub(a, b) => match eval(a, cur) {
            Pv::Null => Pv::Null,
            left => eval(b, left),
        },
        PathExpr::Project(lhs, rhs) => match eval(lhs, cur).items() {
            Some(items) => project(items, rhs),
            None => Pv::Null,
        },
        PathExpr::Flatten(lhs, rhs) => match eval(lhs, cur).items() {
            Some(items) => {
                let mut merged = Vec::with_capacity(items.len());
                for item in items {
                    match item.items() {
                        Some(inner) => merged.extend(inner),
                        None => merged.push(item),
                    }
                }
                project(merged, rhs)
            }
            None => Pv::Null,
        },
        PathExpr::MultiSelect(exprs) => match cur {
            Pv::Null => Pv::Null,
            cur => Pv::List(exprs.iter().map(|e| eval(e, cur.clone())).collect()),
        },
        PathExpr::Keys(inner) => match eval(inner, cur) {
            Pv::Value(v) => match v.get() {
                ValueRef::Map(m) => Pv::List(
                    m.sorted_entries()
                        .into_iter()
                        .map(|(k, _)| Pv::Text(k))
                        .collect(),
                ),
                _ => Pv::Null,
            },
            Pv::Struct(s) => Pv::List(
                s.shape()
                    .members()
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| is_set(s, *i))
                    .map(|(_, m)| Pv::Text(m.name))
                    .collect(),
            ),
            _ => Pv::Null,
        },
    }
}

fn scalar(pv: &Pv<'_>) -> Option<ParamValue> {
    match pv {
        Pv::Text(s) => Some(ParamValue::String((*s).to_owned())),
        Pv::Value(v) => match v.get() {
            ValueRef::Str(s) => Some(ParamValue::String(s.to_owned())),
            ValueRef::Bool(b) => Some(ParamValue::Bool(b)),
            _ => None,
        },
        _ => None,
    }
}

/// A value as a rule-set parameter: a string, a boolean, or a list whose
/// string elements form a `stringArray`; anything else is no value.
fn to_param(pv: &Pv<'_>) -> Option<ParamValue> {
    match pv.items() {
        Some(items) => Some(ParamValue::StringArray(
            items
                .iter()
                .filter_map(|i| match scalar(i) {
                    Some(ParamValue::String(s)) => Some(s),
                    _ => None,
                })
                .collect(),
        )),
        None => scalar(pv),
    }
}

/// Evaluates a path over `input` as a rule-set parameter value.
pub fn eval_path(expr: &PathExpr, input: &dyn Struct) -> Option<ParamValue> {
    to_param(&eval(expr, Pv::Struct(input)))
}

impl ContextParam {
    /// This parameter's value for `input`, if it has one.
    pub fn value(&self, input: &dyn Struct) -> Option<ParamValue> {
        match &self.source {
            ContextSource::Static(StaticValue::Bool(b)) => Some(ParamValue::Bool(*b)),
            ContextSource::Static(StaticValue::Str(s)) => Some(ParamValue::String((*s).to_owned())),
            ContextSource::Static(StaticValue::StrList(items)) => Some(ParamValue::StringArray(
                items.iter().map(|s| (*s).to_owned()).collect(),
            )),
            ContextSource::Member(i) => to_param(&Pv::of(input.member(*i)?)),
            ContextSource::Path(expr) => eval_path(expr, input),
        }
    }
}
