//! Evaluating a [`Program`]: the rules in order, the first endpoint or
//! error rule whose conditions all hold wins (botocore's semantics: a
//! condition fails when its function returns `false` or no value; a tree
//! rule whose sub-rules all fail falls through to the next rule).
//!
//! Values borrow from the program and the inputs; only function results
//! are allocated. The logical functions (`isSet`, `not`, `booleanEquals`,
//! `stringEquals`, `getAttr`) are small functions here; the string
//! functions are in `stdlib`.

use crate::arn::{Arn, parse_arn};
use crate::partition::{Partition, partition};
use crate::program::{
    AttrStep, Call, EndpointSpec, Expr, Func, Lit, Part, Program, Prop, Rule, RuleKind, Template,
};
use crate::url::{Url, parse_url};
use crate::{Endpoint, ParamValue, ResolveError, ResolveErrorKind, stdlib};
use serde_json::Value as Json;
use std::borrow::Cow;
use std::rc::Rc;

/// A value during evaluation.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    None,
    Bool(bool),
    Int(i64),
    Str(Cow<'a, str>),
    Array(Rc<[Val<'a>]>),
    Url(Rc<Url>),
    Arn(Rc<Arn>),
    Partition(&'static Partition),
}

impl Val<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Val::None => "no value",
            Val::Bool(_) => "a boolean",
            Val::Int(_) => "an integer",
            Val::Str(_) => "a string",
            Val::Array(_) => "a list",
            Val::Url(_) | Val::Arn(_) | Val::Partition(_) => "an object",
        }
    }
}

fn type_error(message: String) -> ResolveError {
    ResolveError {
        kind: ResolveErrorKind::Type,
        message,
    }
}

/// `isSet(value)`.
pub(crate) fn is_set(v: &Val<'_>) -> bool {
    !matches!(v, Val::None)
}

/// `not(value)`: Python truthiness, as botocore applies `not`.
pub(crate) fn not(v: &Val<'_>) -> bool {
    !match v {
        Val::None => false,
        Val::Bool(b) => *b,
        Val::Int(i) => *i != 0,
        Val::Str(s) => !s.is_empty(),
        Val::Array(a) => !a.is_empty(),
        Val::Url(_) | Val::Arn(_) | Val::Partition(_) => true,
    }
}

/// `booleanEquals(a, b)`: both must be booleans.
pub(crate) fn boolean_equals(a: &Val<'_>, b: &Val<'_>) -> Result<bool, ResolveError> {
    match (a, b) {
        (Val::Bool(a), Val::Bool(b)) => Ok(a == b),
        _ => Err(type_error(format!(
            "Both arguments must be bools, not {} and {}.",
            a.type_name(),
            b.type_name()
        ))),
    }
}

/// `stringEquals(a, b)`: both must be strings.
pub(crate) fn string_equals(a: &Val<'_>, b: &Val<'_>) -> Result<bool, ResolveError> {
    match (a, b) {
        (Val::Str(a), Val::Str(b)) => Ok(a == b),
        _ => Err(type_error(format!(
            "Both values must be strings, not {} and {}.",
            a.type_name(),
            b.type_name()
        ))),
    }
}

fn json_val(j: &'static Json) -> Val<'static> {
    match j {
        Json::Null => Val::None,
        Json::Bool(b) => Val::Bool(*b),
        Json::Number(n) => n.as_i64().map_or(Val::None, Val::Int),
        Json::String(s) => Val::Str(Cow::Borrowed(s)),
        Json::Array(items) => Val::Array(items.iter().map(json_val).collect()),
        Json::Object(_) => Val::None,
    }
}

fn field<'a>(v: &Val<'a>, name: &str) -> Val<'a> {
    let owned = |s: &str| Val::Str(Cow::Owned(s.to_owned()));
    match v {
        Val::Url(u) => match name {
            "scheme" => owned(&u.scheme),
            "authority" => owned(&u.authority),
            "path" => owned(&u.path),
            "normalizedPath" => owned(&u.normalized_path),
            "isIp" => Val::Bool(u.is_ip),
            _ => Val::None,
        },
        Val::Arn(a) => match name {
            "partition" => owned(&a.partition),
            "service" => owned(&a.service),
            "region" => owned(&a.region),
            "accountId" => owned(&a.account_id),
            "resourceId" => Val::Array(a.resource_id.iter().map(|s| owned(s)).collect()),
            _ => Val::None,
        },
        Val::Partition(p) => p.output(name).map_or(Val::None, json_val),
        _ => Val::None,
    }
}

/// `getAttr(value, path)`: object fields by name, a list element by `[n]`;
/// no value when a step does not apply.
pub(crate) fn get_attr<'a>(v: &Val<'a>, path: &[AttrStep]) -> Val<'a> {
    let mut cur = v.clone();
    for step in path {
        cur = match step {
            AttrStep::Field(name) => field(&cur, name),
            AttrStep::Index(i) => match &cur {
                Val::Array(items) => items.get(*i).cloned().unwrap_or(Val::None),
                _ => Val::None,
            },
        };
    }
    cur
}

fn lit_val(l: &Lit) -> Val<'_> {
    match l {
        Lit::Null => Val::None,
        Lit::Bool(b) => Val::Bool(*b),
        Lit::Int(i) => Val::Int(*i),
        Lit::Str(s) => Val::Str(Cow::Borrowed(s)),
        Lit::Array(items) => Val::Array(items.iter().map(lit_val).collect()),
    }
}

fn param_val(p: &ParamValue) -> Val<'_> {
    match p {
        ParamValue::Bool(b) => Val::Bool(*b),
        ParamValue::String(s) => Val::Str(Cow::Borrowed(s)),
        ParamValue::StringArray(items) => Val::Array(
            items
                .iter()
                .map(|s| Val::Str(Cow::Borrowed(s.as_str())))
                .collect(),
        ),
    }
}

struct Eval<'a> {
    slots: Vec<Val<'a>>,
}

impl<'a> Eval<'a> {
    fn expr(&mut self, e: &'a Expr) -> Result<Val<'a>, ResolveError> {
        Ok(match e {
            Expr::Lit(l) => lit_val(l),
            Expr::Ref(slot) => self.slots[*slot].clone(),
            Expr::Template(t) => Val::Str(Cow::Owned(self.template(t)?)),
            Expr::Call(c) => self.call(c)?,
        })
    }

    fn template(&self, t: &Template) -> Result<String, ResolveError> {
        let mut out = String::new();
        for part in &t.parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Var { slot, path } => match get_attr(&self.slots[*slot], path) {
                    Val::Str(s) => out.push_str(&s),
                    Val::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                    Val::Int(i) => out.push_str(&i.to_string()),
                    other => {
                        return Err(type_error(format!(
                            "a template refers to {} where text is needed",
                            other.type_name()
                        )));
                    }
                },
            }
        }
        Ok(out)
    }

    fn string_arg(&mut self, e: &'a Expr) -> Result<Option<Cow<'a, str>>, ResolveError> {
        match self.expr(e)? {
            Val::None => Ok(None),
            Val::Str(s) => Ok(Some(s)),
            other => Err(type_error(format!(
                "expected a string argument, got {}",
                other.type_name()
            ))),
        }
    }

    fn bool_arg(&mut self, e: &'a Expr) -> Result<bool, ResolveError> {
        match self.expr(e)? {
            Val::Bool(b) => Ok(b),
            other => Err(type_error(format!(
                "expected a boolean argument, got {}",
                other.type_name()
            ))),
        }
    }

    fn int_arg(&mut self, e: &'a Expr) -> Result<i64, ResolveError> {
        match self.expr(e)? {
            Val::Int(i) => Ok(i),
            other => Err(type_error(format!(
                "expected an integer argument, got {}",
                other.type_name()
            ))),
        }
    }

    fn call(&mut self, c: &'a Call) -> Result<Val<'a>, ResolveError> {
        let a = &c.args;
        let result = match &c.func {
            Func::IsSet => Val::Bool(is_set(&self.expr(&a[0])?)),
            Func::Not => Val::Bool(not(&self.expr(&a[0])?)),
            Func::BooleanEquals => {
                let (x, y) = (self.expr(&a[0])?, self.expr(&a[1])?);
                Val::Bool(boolean_equals(&x, &y)?)
            }
            Func::StringEquals => {
                let (x, y) = (self.expr(&a[0])?, self.expr(&a[1])?);
                Val::Bool(string_equals(&x, &y)?)
            }
            Func::GetAttr(path) => get_attr(&self.expr(&a[0])?, path),
            Func::Substring => {
                let value = match self.expr(&a[0])? {
                    Val::Str(s) => s,
                    other => {
                        return Err(type_error(format!(
                            "Input must be a string, not {}.",
                            other.type_name()
                        )));
                    }
                };
                let (start, stop) = (self.int_arg(&a[1])?, self.int_arg(&a[2])?);
                let reverse = self.bool_arg(&a[3])?;
                match stdlib::substring(&value, start, stop, reverse) {
                    Some(s) => Val::Str(Cow::Owned(s.to_owned())),
                    None => Val::None,
                }
            }
            Func::UriEncode => match self.string_arg(&a[0])? {
                Some(s) => Val::Str(Cow::Owned(stdlib::uri_encode(&s))),
                None => Val::None,
            },
            Func::ParseUrl => match self.string_arg(&a[0])?.as_deref().and_then(parse_url) {
                Some(u) => Val::Url(Rc::new(u)),
                None => Val::None,
            },
            Func::IsValidHostLabel => {
                let value = self.string_arg(&a[0])?;
                let subdomains = self.bool_arg(&a[1])?;
                Val::Bool(value.is_some_and(|v| stdlib::is_valid_host_label(&v, subdomains)))
            }
            Func::Partition => Val::Partition(partition(self.string_arg(&a[0])?.as_deref())),
            Func::ParseArn => match self.string_arg(&a[0])?.as_deref().and_then(parse_arn) {
                Some(arn) => Val::Arn(Rc::new(arn)),
                None => Val::None,
            },
            Func::IsVirtualHostableS3Bucket => {
                let value = self.string_arg(&a[0])?;
                let subdomains = self.bool_arg(&a[1])?;
                Val::Bool(
                    value.is_some_and(|v| stdlib::is_virtual_hostable_s3_bucket(&v, subdomains)),
                )
            }
        };
        if let Some(slot) = c.assign {
            self.slots[slot] = result.clone();
        }
        Ok(result)
    }

    fn conditions_hold(&mut self, rule: &'a Rule) -> Result<bool, ResolveError> {
        for c in &rule.conditions {
            if matches!(self.call(c)?, Val::None | Val::Bool(false)) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn rules(&mut self, rules: &'a [Rule]) -> Result<Option<Endpoint>, ResolveError> {
        for rule in rules {
            if !self.conditions_hold(rule)? {
                continue;
            }
            match &rule.kind {
                RuleKind::Endpoint(spec) => return self.endpoint(spec).map(Some),
                RuleKind::Error(message) => {
                    let message = match self.expr(message)? {
                        Val::Str(s) => s.into_owned(),
                        other => format!("<error rule yielded {}>", other.type_name()),
                    };
                    return Err(ResolveError {
                        kind: ResolveErrorKind::Rule,
                        message,
                    });
                }
                RuleKind::Tree(sub) => {
                    if let Some(endpoint) = self.rules(sub)? {
                        return Ok(Some(endpoint));
                    }
                }
            }
        }
        Ok(None)
    }

    fn text(&mut self, e: &'a Expr, what: &str) -> Result<String, ResolveError> {
        match self.expr(e)? {
            Val::Str(s) => Ok(s.into_owned()),
            other => Err(type_error(format!(
                "{what} is {}, not a string",
                other.type_name()
            ))),
        }
    }

    fn endpoint(&mut self, spec: &'a EndpointSpec) -> Result<Endpoint, ResolveError> {
        let url = self.text(&spec.url, "the endpoint URL")?;
        let mut headers = Vec::with_capacity(spec.headers.len());
        for (name, values) in &spec.headers {
            let values = values
                .iter()
                .map(|v| self.text(v, "a header value"))
                .collect::<Result<_, _>>()?;
            headers.push((name.clone(), values));
        }
        let mut properties = serde_json::Map::new();
        for (name, p) in &spec.properties {
            properties.insert(name.clone(), self.prop(p)?);
        }
        Ok(Endpoint {
            url,
            headers,
            properties,
        })
    }

    fn prop(&self, p: &Prop) -> Result<Json, ResolveError> {
        Ok(match p {
            Prop::Json(j) => j.clone(),
            Prop::Template(t) => Json::String(self.template(t)?),
            Prop::List(items) => Json::Array(
                items
                    .iter()
                    .map(|i| self.prop(i))
                    .collect::<Result<_, _>>()?,
            ),
            Prop::Object(fields) => Json::Object(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.prop(v)?)))
                    .collect::<Result<_, ResolveError>>()?,
            ),
        })
    }
}

impl Program {
    /// Resolves an endpoint. `inputs[i]` is the value of parameter `i`
    /// ([`Program::params`] order); unset parameters take their default.
    pub fn evaluate(&self, inputs: &[Option<ParamValue>]) -> Result<Endpoint, ResolveError> {
        if inputs.len() != self.params.len() {
            return Err(ResolveError {
                kind: ResolveErrorKind::Param,
                message: format!(
                    "{} parameter values given for {} parameters",
                    inputs.len(),
                    self.params.len()
                ),
            });
        }
        let mut slots = Vec::with_capacity(self.slots);
        for (def, given) in self.params.iter().zip(inputs) {
            let value = match given.as_ref().or(def.default.as_ref()) {
                Some(v) if v.param_type() != def.ty => {
                    return Err(ResolveError {
                        kind: ResolveErrorKind::Param,
                        message: format!(
                            "Value ({}) is the wrong type. Must be {}.",
                            def.name,
                            def.ty.as_str()
                        ),
                    });
                }
                Some(v) => param_val(v),
                None if def.required => {
                    return Err(ResolveError {
                        kind: ResolveErrorKind::Param,
                        message: format!("Cannot find value for required parameter {}", def.name),
                    });
                }
                None => Val::None,
            };
            slots.push(value);
        }
        slots.resize(self.slots, Val::None);
        let mut eval = Eval { slots };
        match eval.rules(&self.rules)? {
            Some(endpoint) => Ok(endpoint),
            None => {
                let set: Vec<String> = self
                    .params
                    .iter()
                    .zip(&eval.slots)
                    .filter(|(_, v)| is_set(v))
                    .map(|(d, v)| format!("{}: {v:?}", d.name))
                    .collect();
                Err(ResolveError {
                    kind: ResolveErrorKind::NoMatch,
                    message: format!("No endpoint found for parameters:\n{}", set.join("\n")),
                })
            }
        }
    }

    /// [`Program::evaluate`] with values by parameter name (names the rule
    /// set does not declare are ignored, as botocore ignores them).
    pub fn evaluate_named(&self, values: &[(&str, ParamValue)]) -> Result<Endpoint, ResolveError> {
        let inputs: Vec<Option<ParamValue>> = self
            .params
            .iter()
            .map(|p| {
                values
                    .iter()
                    .find(|(n, _)| *n == p.name)
                    .map(|(_, v)| v.clone())
            })
            .collect();
        self.evaluate(&inputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Val<'_> {
        Val::Str(Cow::Borrowed(v))
    }

    #[test]
    fn logical_functions() {
        assert!(is_set(&Val::Bool(false)) && is_set(&s("")) && !is_set(&Val::None));
        assert!(not(&Val::None) && not(&Val::Bool(false)) && not(&s("")));
        assert!(!not(&Val::Bool(true)) && !not(&s("x")));
        assert!(boolean_equals(&Val::Bool(true), &Val::Bool(true)).unwrap());
        assert!(!boolean_equals(&Val::Bool(true), &Val::Bool(false)).unwrap());
        assert_eq!(
            boolean_equals(&Val::None, &Val::Bool(true))
                .unwrap_err()
                .kind,
            ResolveErrorKind::Type
        );
        assert!(string_equals(&s("a"), &s("a")).unwrap());
        assert!(!string_equals(&s("a"), &s("b")).unwrap());
        assert!(string_equals(&s("a"), &Val::Bool(true)).is_err());
    }

    #[test]
    fn get_attr_walks_objects_and_lists() {
        let arn = Val::Arn(Rc::new(
            parse_arn("arn:aws:s3:us-west-2:123:accesspoint/ap").unwrap(),
        ));
        let path = |p: &[&str], i: Option<usize>| {
            let mut v: Vec<AttrStep> = p.iter().map(|f| AttrStep::Field((*f).into())).collect();
            v.extend(i.map(AttrStep::Index));
            v
        };
        assert!(
            matches!(get_attr(&arn, &path(&["region"], None)), Val::Str(r) if r == "us-west-2")
        );
        assert!(
            matches!(get_attr(&arn, &path(&["resourceId"], Some(1))), Val::Str(r) if r == "ap")
        );
        assert!(matches!(
            get_attr(&arn, &path(&["resourceId"], Some(2))),
            Val::None
        ));
        assert!(matches!(get_attr(&arn, &path(&["nope"], None)), Val::None));
        let url = Val::Url(Rc::new(parse_url("https://10.0.0.1:8443/p").unwrap()));
        assert!(matches!(
            get_attr(&url, &path(&["isIp"], None)),
            Val::Bool(true)
        ));
        assert!(
            matches!(get_attr(&url, &path(&["authority"], None)), Val::Str(a) if a == "10.0.0.1:8443")
        );
        let p = Val::Partition(partition(Some("cn-north-1")));
        assert!(matches!(get_attr(&p, &path(&["name"], None)), Val::Str(n) if n == "aws-cn"));
        assert!(matches!(
            get_attr(&p, &path(&["supportsFIPS"], None)),
            Val::Bool(true)
        ));
        let list = Val::Array(Rc::from(vec![s("a"), s("b")]));
        assert!(matches!(get_attr(&list, &path(&[], Some(0))), Val::Str(x) if x == "a"));
        assert!(matches!(
            get_attr(&Val::None, &path(&["x"], None)),
            Val::None
        ));
    }

    const RULES: &str = r#"{
      "version": "1.0",
      "parameters": {
        "Region": {"type": "String", "builtIn": "AWS::Region"},
        "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
        "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"},
        "Arns": {"type": "stringArray"}
      },
      "rules": [
        {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
         "endpoint": {"url": {"ref": "Endpoint"}, "headers": {"x-h": ["{Endpoint}"]}}},
        {"type": "error", "conditions": [{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]}],
         "error": "Invalid Configuration: Missing Region"},
        {"type": "tree", "conditions": [
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"},
            {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
         "rules": [
            {"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [false, {"fn": "getAttr", "argv": [{"ref": "p"}, "supportsFIPS"]}]}],
             "error": "no FIPS in {p#name}"},
            {"type": "endpoint", "conditions": [],
             "endpoint": {"url": "https://svc-fips.{Region}.{p#dnsSuffix}",
                          "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}", "disableDoubleEncoding": true}]}}}
         ]},
        {"type": "endpoint", "conditions": [{"fn": "getAttr", "argv": [{"ref": "Arns"}, "[0]"], "assign": "first"}],
         "endpoint": {"url": "https://{first}.example"}},
        {"type": "endpoint", "conditions": [],
         "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}"}}
      ]
    }"#;

    #[test]
    fn rules_in_order_with_defaults_errors_and_trees() {
        // The last rule reads `p` outside the tree that assigns it.
        let err = Program::parse(RULES).unwrap_err();
        assert!(err.message.contains("unbound name `p`"), "{err}");
        let fixed = RULES.replace(
            "https://svc.{Region}.{p#dnsSuffix}",
            "https://svc.{Region}.amazonaws.com",
        );
        let program = Program::parse(&fixed).unwrap();
        let named = |v: &[(&str, ParamValue)]| program.evaluate_named(v);
        let e = named(&[("Region", "cn-north-1".into()), ("UseFIPS", true.into())]).unwrap();
        assert_eq!(e.url, "https://svc-fips.cn-north-1.amazonaws.com.cn");
        assert_eq!(
            Json::Object(e.properties),
            serde_json::json!({"authSchemes": [{"name": "sigv4", "signingRegion": "cn-north-1", "disableDoubleEncoding": true}]})
        );
        // UseFIPS defaults to false: the tree's condition fails and falls through.
        let plain = named(&[("Region", "us-west-2".into())]).unwrap();
        assert_eq!(plain.url, "https://svc.us-west-2.amazonaws.com");
        let custom = named(&[("Endpoint", "https://x.test".into())]).unwrap();
        assert_eq!(custom.url, "https://x.test");
        assert_eq!(
            custom.headers,
            vec![("x-h".to_owned(), vec!["https://x.test".to_owned()])]
        );
        let missing = named(&[]).unwrap_err();
        assert_eq!(
            (missing.kind, missing.message.as_str()),
            (
                ResolveErrorKind::Rule,
                "Invalid Configuration: Missing Region"
            )
        );
        let first = named(&[
            ("Region", "us-west-2".into()),
            (
                "Arns",
                ParamValue::StringArray(vec!["a1".into(), "a2".into()]),
            ),
        ])
        .unwrap();
        assert_eq!(first.url, "https://a1.example");
        let wrong = named(&[("Region", true.into())]).unwrap_err();
        assert_eq!(wrong.kind, ResolveErrorKind::Param);
        assert!(program.evaluate(&[]).is_err());
    }

    #[test]
    fn required_parameters_without_default_must_be_given() {
        let p = Program::parse(
            r#"{"parameters":{"X":{"type":"string","required":true}},
                "rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"https://{X}"}}]}"#,
        )
        .unwrap();
        let e = p.evaluate(&[None]).unwrap_err();
        assert_eq!(e.message, "Cannot find value for required parameter X");
        assert_eq!(p.evaluate(&[Some("h".into())]).unwrap().url, "https://h");
        let none = Program::parse(r#"{"parameters":{},"rules":[]}"#).unwrap();
        assert_eq!(
            none.evaluate(&[]).unwrap_err().kind,
            ResolveErrorKind::NoMatch
        );
    }
}
