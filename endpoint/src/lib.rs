//! The AWS endpoint rule-set language (`endpoint-rule-set-1.json`), which
//! botocore and the official SDKs resolve endpoints with: a parser and
//! checker ([`Program::parse`]) and an evaluator ([`Program::evaluate`]).
//!
//! A crate of its own so that the runtime (which resolves an endpoint for
//! every call) and the generator (which checks each rule set it embeds in a
//! generated crate) use the same parser, without the generator building
//! the runtime's HTTP stack. The runtime re-exports it as
//! `botogen_runtime::endpoint`, with the operation bindings on top.
//!
//! Parsing resolves everything that would otherwise be looked up per call
//! (function names, `getAttr` paths, template strings, variable slots), so
//! evaluation parses no JSON and compiles no regex; the partitions' region
//! patterns compile once per process. Semantics are botocore's
//! (`botocore/endpoint_provider.py`), which the endpoint test cases were
//! written against.
//!
//! The standard library: `isSet`, `not`, `booleanEquals`, `stringEquals`,
//! `getAttr` (in `eval`), `substring`, `uriEncode`, `isValidHostLabel`,
//! `aws.isVirtualHostableS3Bucket` ([`stdlib`]), `parseURL` ([`url`]),
//! `aws.parseArn` ([`arn`]), `aws.partition` ([`partition`], botocore's
//! `partitions.json`).

pub mod arn;
mod eval;
pub mod partition;
mod program;
pub mod stdlib;
pub mod url;

pub use program::{ParamDef, Program};

use serde_json::Value as Json;
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

/// A rule set as static data, parsed on first use.
pub struct RuleSet {
    source: &'static str,
    program: OnceLock<Result<Program, RuleSetError>>,
}

impl RuleSet {
    /// `source` is the rule set's JSON text.
    pub const fn new(source: &'static str) -> RuleSet {
        RuleSet {
            source,
            program: OnceLock::new(),
        }
    }

    /// The JSON text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The parsed program (parsed once per process).
    pub fn program(&self) -> Result<&Program, &RuleSetError> {
        self.program
            .get_or_init(|| Program::parse(self.source))
            .as_ref()
    }
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleSet")
            .field("bytes", &self.source.len())
            .field("parsed", &self.program.get().map(Result::is_ok))
            .finish()
    }
}

/// A rule-set parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    Boolean,
    StringArray,
}

impl ParamType {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "stringArray",
        }
    }
}

/// A parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    Bool(bool),
    String(String),
    StringArray(Vec<String>),
}

impl ParamValue {
    pub fn param_type(&self) -> ParamType {
        match self {
            ParamValue::Bool(_) => ParamType::Boolean,
            ParamValue::String(_) => ParamType::String,
            ParamValue::StringArray(_) => ParamType::StringArray,
        }
    }

    /// A JSON boolean, string or list of strings.
    pub fn from_json(json: &Json) -> Option<ParamValue> {
        Some(match json {
            Json::Bool(b) => ParamValue::Bool(*b),
            Json::String(s) => ParamValue::String(s.clone()),
            Json::Array(items) => ParamValue::StringArray(
                items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ParamValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            ParamValue::String(s) => Some(s),
            _ => None,
        }
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> ParamValue {
        ParamValue::Bool(b)
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> ParamValue {
        ParamValue::String(s.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> ParamValue {
        ParamValue::String(s)
    }
}

/// What a rule set resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub url: String,
    /// Headers to add to the request (botocore sends the first value of each).
    pub headers: Vec<(String, Vec<String>)>,
    /// `authSchemes`, `backend`, `metricValues`, ...
    pub properties: serde_json::Map<String, Json>,
}

/// A rule set that cannot be evaluated: the JSON path and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "endpoint rule set, {}: {}", self.path, self.message)
    }
}

impl std::error::Error for RuleSetError {}

/// Why no endpoint was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    pub kind: ResolveErrorKind,
    /// For [`ResolveErrorKind::Rule`], the rule set's own message.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolveErrorKind {
    /// An error rule matched (an invalid combination of settings).
    Rule,
    /// No rule matched.
    NoMatch,
    /// A parameter is missing or has the wrong type.
    Param,
    /// A function got a value of the wrong type.
    Type,
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ResolveError {}

/// Built-in parameter values by their `builtIn` name (`AWS::Region`, ...).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Builtins {
    values: Vec<(Cow<'static, str>, ParamValue)>,
}

impl Builtins {
    /// Sets (or replaces) a built-in.
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<ParamValue>) {
        let (name, value) = (name.into(), value.into());
        match self.values.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => *v = value,
            None => self.values.push((name, value)),
        }
    }

    /// Removes a built-in.
    pub fn unset(&mut self, name: &str) {
        self.values.retain(|(n, _)| n != name);
    }

    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_set_parses_once_and_reports_errors() {
        static GOOD: RuleSet = RuleSet::new(
            r#"{"parameters":{},"rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"https://x"}}]}"#,
        );
        static BAD: RuleSet = RuleSet::new(r#"{"parameters":{}}"#);
        let a = GOOD.program().unwrap() as *const Program;
        let b = GOOD.program().unwrap() as *const Program;
        assert_eq!(a, b);
        assert_eq!(
            GOOD.program().unwrap().evaluate(&[]).unwrap().url,
            "https://x"
        );
        let e = BAD.program().unwrap_err();
        assert_eq!(e.path, "rules");
        assert!(format!("{GOOD:?}").contains("parsed: Some(true)"));
    }

    #[test]
    fn param_values_from_json() {
        assert_eq!(
            ParamValue::from_json(&serde_json::json!(true)),
            Some(true.into())
        );
        assert_eq!(
            ParamValue::from_json(&serde_json::json!("x")),
            Some("x".into())
        );
        assert_eq!(
            ParamValue::from_json(&serde_json::json!(["a", "b"])),
            Some(ParamValue::StringArray(vec!["a".into(), "b".into()]))
        );
        assert_eq!(ParamValue::from_json(&serde_json::json!([1])), None);
        assert_eq!(ParamValue::from_json(&serde_json::json!(1)), None);
    }

    #[test]
    fn builtins_set_replace_unset() {
        let mut b = Builtins::default();
        b.set("AWS::Region", "us-east-1");
        b.set("AWS::Region", "eu-west-1");
        b.set("AWS::UseFIPS", true);
        assert_eq!(b.get("AWS::Region"), Some(&"eu-west-1".into()));
        b.unset("AWS::Region");
        assert_eq!(b.get("AWS::Region"), None);
        assert_eq!(b.get("AWS::UseFIPS"), Some(&true.into()));
    }
}
