//! A rule set parsed into the evaluator's form, and checked.
//!
//! Parsing resolves everything that would otherwise be looked up per call:
//! function names become [`Func`] variants, `getAttr` paths and template
//! strings are split into steps, and every `ref` and `assign` name becomes a
//! slot index. Names are checked statically: a reference must name a
//! parameter or a variable assigned earlier on the same path through the
//! rules, and an assignment may not shadow one (botocore fails at run time
//! on both), so evaluation never sees an unbound name.

use crate::{ParamType, ParamValue, RuleSetError};
use serde_json::Value as Json;
use std::collections::HashMap;

/// A parsed, checked rule set.
#[derive(Debug)]
pub struct Program {
    pub(crate) params: Vec<ParamDef>,
    pub(crate) rules: Vec<Rule>,
    /// Parameters take slots `0..params.len()`, assigned variables the rest.
    pub(crate) slots: usize,
}

/// One declared parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDef {
    pub name: String,
    pub ty: ParamType,
    /// `builtIn`: the SDK setting that supplies it (`AWS::Region`, `SDK::Endpoint`, ...).
    pub builtin: Option<String>,
    pub default: Option<ParamValue>,
    pub required: bool,
    pub deprecated: bool,
    pub documentation: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub conditions: Vec<Call>,
    pub kind: RuleKind,
}

#[derive(Debug)]
pub(crate) enum RuleKind {
    Endpoint(Box<EndpointSpec>),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug)]
pub(crate) struct EndpointSpec {
    pub url: Expr,
    pub headers: Vec<(String, Vec<Expr>)>,
    pub properties: Vec<(String, Prop)>,
}

/// A property value: only strings are templates (botocore resolves
/// nothing else inside `properties`).
#[derive(Debug)]
pub(crate) enum Prop {
    /// A subtree without templates, copied as is.
    Json(Json),
    Template(Template),
    List(Vec<Prop>),
    Object(Vec<(String, Prop)>),
}

#[derive(Debug)]
pub(crate) enum Expr {
    Lit(Lit),
    Ref(usize),
    Template(Template),
    Call(Box<Call>),
}

#[derive(Debug, Clone)]
pub(crate) enum Lit {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Array(Vec<Lit>),
}

#[derive(Debug)]
pub(crate) struct Call {
    pub func: Func,
    pub args: Vec<Expr>,
    /// The slot the result is assigned to.
    pub assign: Option<usize>,
}

#[derive(Debug)]
pub(crate) enum Func {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    /// `getAttr(value, "path")`; the literal path, pre-split.
    GetAttr(Vec<AttrStep>),
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

/// One step of a `getAttr` path or a template's `a#b` reference.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AttrStep {
    Field(String),
    /// `[n]`: ends the path (botocore stops after the first index).
    Index(usize),
}

#[derive(Debug)]
pub(crate) struct Template {
    pub parts: Vec<Part>,
}

#[derive(Debug)]
pub(crate) enum Part {
    Lit(String),
    Var { slot: usize, path: Vec<AttrStep> },
}

/// Names in scope while parsing one path through the rules.
struct Scope {
    /// name → slot, for every name ever bound (parameters, then variables).
    slot_of: HashMap<String, usize>,
    /// Slots visible on the current path.
    visible: Vec<usize>,
    next: usize,
}

impl Scope {
    fn lookup(&self, name: &str) -> Option<usize> {
        self.slot_of
            .get(name)
            .copied()
            .filter(|s| self.visible.contains(s))
    }

    fn bind(&mut self, name: &str, at: &str) -> Result<usize, RuleSetError> {
        if self.lookup(name).is_some() {
            return Err(err(
                at,
                format!("assignment to `{name}`, which is already in scope"),
            ));
        }
        let slot = match self.slot_of.get(name) {
            Some(&s) => s,
            None => {
                let s = self.next;
                self.next += 1;
                self.slot_of.insert(name.to_owned(), s);
                s
            }
        };
        self.visible.push(slot);
        Ok(slot)
    }
}

fn err(at: &str, message: impl Into<String>) -> RuleSetError {
    RuleSetError {
        path: at.to_owned(),
        message: message.into(),
    }
}

impl Program {
    /// Parses rule-set JSON text (`endpoint-rule-set-1.json`).
    pub fn parse(text: &str) -> Result<Program, RuleSetError> {
        let json: Json =
            serde_json::from_str(text).map_err(|e| err("<root>", format!("invalid JSON: {e}")))?;
        Program::from_json(&json)
    }

    /// Builds and checks a program from the parsed JSON.
    pub fn from_json(json: &Json) -> Result<Program, RuleSetError> {
        let root = json
            .as_object()
            .ok_or_else(|| err("<root>", "a rule set is a JSON object"))?;
        let params_json = root
            .get("parameters")
            .and_then(Json::as_object)
            .ok_or_else(|| err("parameters", "missing or not an object"))?;
        let mut params = Vec::with_capacity(params_json.len());
        for (name, spec) in params_json {
            params.push(param_def(name, spec)?);
        }
        let mut scope = Scope {
            slot_of: HashMap::new(),
            visible: Vec::new(),
            next: params.len(),
        };
        for (i, p) in params.iter().enumerate() {
            scope.slot_of.insert(p.name.clone(), i);
            scope.visible.push(i);
        }
        let rules_json = root
            .get("rules")
            .and_then(Json::as_array)
            .ok_or_else(|| err("rules", "missing or not a list"))?;
        let rules = rules(rules_json, "rules", &mut scope)?;
        Ok(Program {
            params,
            rules,
            slots: scope.next,
        })
    }

    /// The declared parameters, in rule-set order (the order of [`Program::evaluate`]'s inputs).
    pub fn params(&self) -> &[ParamDef] {
        &self.params
    }

    /// The position of parameter `name`.
    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }
}

fn param_def(name: &str, spec: &Json) -> Result<ParamDef, RuleSetError> {
    let at = format!("parameters.{name}");
    let ty_name = spec
        .get("type")
        .and_then(Json::as_str)
        .ok_or_else(|| err(&at, "no `type`"))?;
    let ty = match ty_name.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        other => return Err(err(&at, format!("unknown parameter type `{other}`"))),
    };
    let default = match spec.get("default") {
        None | Some(Json::Null) => None,
        Some(v) => Some(
            ParamValue::from_json(v)
                .filter(|d| d.param_type() == ty)
                .ok_or_else(|| err(&at, format!("default {v} is not a {}", ty.as_str())))?,
        ),
    };
    Ok(ParamDef {
        name: name.to_owned(),
        ty,
        builtin: spec
            .get("builtIn")
            .and_then(Json::as_str)
            .map(str::to_owned),
        default,
        required: spec
            .get("required")
            .and_then(Json::as_bool)
            .unwrap_or(false),
        deprecated: spec.get("deprecated").is_some(),
        documentation: spec
            .get("documentation")
            .and_then(Json::as_str)
            .map(str::to_owned),
    })
}

fn rules(list: &[Json], at: &str, scope: &mut Scope) -> Result<Vec<Rule>, RuleSetError> {
    list.iter()
        .enumerate()
        .map(|(i, r)| rule(r, &format!("{at}[{i}]"), scope))
        .collect()
}

fn rule(json: &Json, at: &str, scope: &mut Scope) -> Result<Rule, RuleSetError> {
    let obj = json
        .as_object()
        .ok_or_else(|| err(at, "a rule is an object"))?;
    let saved = scope.visible.len();
    let conditions = obj
        .get("conditions")
        .map(|c| {
            c.as_array()
                .ok_or_else(|| err(at, "`conditions` is not a list"))
        })
        .transpose()?
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut conds = Vec::with_capacity(conditions.len());
    for (i, c) in conditions.iter().enumerate() {
        let here = format!("{at}.conditions[{i}]");
        let call = match expr(c, &here, scope, true)? {
            Expr::Call(call) => *call,
            _ => return Err(err(&here, "a condition is a function call")),
        };
        conds.push(call);
    }
    let kind = match obj.get("type").and_then(Json::as_str) {
        Some("endpoint") => {
            let e = obj
                .get("endpoint")
                .and_then(Json::as_object)
                .ok_or_else(|| err(at, "endpoint rule without `endpoint`"))?;
            let here = format!("{at}.endpoint");
            let url = expr(
                e.get("url")
                    .ok_or_else(|| err(&here, "endpoint without `url`"))?,
                &format!("{here}.url"),
                scope,
                false,
            )?;
            let mut headers = Vec::new();
            if let Some(h) = e.get("headers") {
                let h = h
                    .as_object()
                    .ok_or_else(|| err(&here, "`headers` is not an object"))?;
                for (name, values) in h {
                    let hat = format!("{here}.headers.{name}");
                    let values = values
                        .as_array()
                        .ok_or_else(|| err(&hat, "header values are a list"))?;
                    let values = values
                        .iter()
                        .map(|v| expr(v, &hat, scope, false))
                        .collect::<Result<Vec<_>, _>>()?;
                    headers.push((name.clone(), values));
                }
            }
            let mut properties = Vec::new();
            if let Some(p) = e.get("properties") {
                let p = p
                    .as_object()
                    .ok_or_else(|| err(&here, "`properties` is not an object"))?;
                for (name, value) in p {
                    properties.push((
                        name.clone(),
                        prop(value, &format!("{here}.properties.{name}"), scope)?,
                    ));
                }
            }
            RuleKind::Endpoint(Box::new(EndpointSpec {
                url,
                headers,
                properties,
            }))
        }
        Some("error") => RuleKind::Error(expr(
            obj.get("error")
                .ok_or_else(|| err(at, "error rule without `error`"))?,
            &format!("{at}.error"),
            scope,
            false,
        )?),
        Some("tree") => {
            let list = obj
                .get("rules")
                .and_then(Json::as_array)
                .ok_or_else(|| err(at, "tree rule without a `rules` list"))?;
            RuleKind::Tree(rules(list, &format!("{at}.rules"), scope)?)
        }
        Some(other) => return Err(err(at, format!("unknown rule type `{other}`"))),
        None => return Err(err(at, "rule without `type`")),
    };
    scope.visible.truncate(saved);
    Ok(Rule {
        conditions: conds,
        kind,
    })
}

/// botocore treats a string as a template only when it contains `{name}`
/// with letters and `#` only; any other string is taken literally.
fn is_template(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(open) = b[i..].iter().position(|&c| c == b'{') {
        let start = i + open + 1;
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic() || **c == b'#')
            .count();
        if len > 0 && b.get(start + len) == Some(&b'}') {
            return true;
        }
        i = start;
    }
    false
}

fn expr(json: &Json, at: &str, scope: &mut Scope, condition: bool) -> Result<Expr, RuleSetError> {
    Ok(match json {
        Json::String(s) if is_template(s) => Expr::Template(template(s, at, scope)?),
        Json::Object(o) if o.contains_key("fn") => {
            Expr::Call(Box::new(call(o, at, scope, condition)?))
        }
        Json::Object(o) if o.contains_key("ref") => {
            let name = o
                .get("ref")
                .and_then(Json::as_str)
                .ok_or_else(|| err(at, "`ref` is not a string"))?;
            Expr::Ref(
                scope
                    .lookup(name)
                    .ok_or_else(|| err(at, format!("reference to unbound name `{name}`")))?,
            )
        }
        other => Expr::Lit(lit(other, at)?),
    })
}

fn lit(json: &Json, at: &str) -> Result<Lit, RuleSetError> {
    Ok(match json {
        Json::Null => Lit::Null,
        Json::Bool(b) => Lit::Bool(*b),
        Json::Number(n) => Lit::Int(
            n.as_i64()
                .ok_or_else(|| err(at, format!("number {n} is not an integer")))?,
        ),
        Json::String(s) => Lit::Str(s.clone()),
        Json::Array(items) => {
            Lit::Array(items.iter().map(|i| lit(i, at)).collect::<Result<_, _>>()?)
        }
        Json::Object(_) => return Err(err(at, "an object is not an expression")),
    })
}

fn call(
    o: &serde_json::Map<String, Json>,
    at: &str,
    scope: &mut Scope,
    condition: bool,
) -> Result<Call, RuleSetError> {
    let name = o
        .get("fn")
        .and_then(Json::as_str)
        .ok_or_else(|| err(at, "`fn` is not a string"))?;
    let argv = o
        .get("argv")
        .and_then(Json::as_array)
        .ok_or_else(|| err(at, format!("{name}: no `argv` list")))?;
    let (mut func, arity) = match name {
        "isSet" => (Func::IsSet, 1),
        "not" => (Func::Not, 1),
        "booleanEquals" => (Func::BooleanEquals, 2),
        "stringEquals" => (Func::StringEquals, 2),
        "getAttr" => (Func::GetAttr(Vec::new()), 2),
        "substring" => (Func::Substring, 4),
        "uriEncode" => (Func::UriEncode, 1),
        "parseURL" => (Func::ParseUrl, 1),
        "isValidHostLabel" => (Func::IsValidHostLabel, 2),
        "aws.partition" => (Func::Partition, 1),
        "aws.parseArn" => (Func::ParseArn, 1),
        "aws.isVirtualHostableS3Bucket" => (Func::IsVirtualHostableS3Bucket, 2),
        other => return Err(err(at, format!("unknown function `{other}`"))),
    };
    if argv.len() != arity {
        return Err(err(
            at,
            format!("{name} takes {arity} argument(s), got {}", argv.len()),
        ));
    }
    let mut args = Vec::with_capacity(arity);
    for (i, a) in argv.iter().enumerate() {
        let here = format!("{at}.argv[{i}]");
        if let (Func::GetAttr(path), 1) = (&mut func, i) {
            let text = a
                .as_str()
                .ok_or_else(|| err(&here, "getAttr's path must be a literal string"))?;
            *path = attr_path(text, &here)?;
            continue;
        }
        args.push(expr(a, &here, scope, false)?);
    }
    let assign = match o.get("assign") {
        None => None,
        Some(Json::String(name)) if condition => Some(scope.bind(name, at)?),
        Some(Json::String(_)) => return Err(err(at, "`assign` outside a condition")),
        Some(_) => return Err(err(at, "`assign` is not a string")),
    };
    Ok(Call { func, args, assign })
}

/// A `getAttr` path: `.`-separated names, an optional final `[n]`.
fn attr_path(text: &str, at: &str) -> Result<Vec<AttrStep>, RuleSetError> {
    let mut steps = Vec::new();
    for part in text.split('.') {
        if let Some(open) = part.find('[') {
            let (name, index) = part.split_at(open);
            let index = index
                .strip_prefix('[')
                .and_then(|i| i.strip_suffix(']'))
                .and_then(|i| i.parse::<usize>().ok())
                .ok_or_else(|| err(at, format!("bad index in getAttr path `{text}`")))?;
            if !name.is_empty() {
                steps.push(AttrStep::Field(name.to_owned()));
            }
            steps.push(AttrStep::Index(index));
            // botocore returns at the first index; nothing may follow it.
            if !text.ends_with(part) || text.matches('[').count() > 1 {
                return Err(err(
                    at,
                    format!("getAttr path `{text}` continues after an index"),
                ));
            }
            break;
        }
        if part.is_empty() {
            return Err(err(at, format!("empty name in getAttr path `{text}`")));
        }
        steps.push(AttrStep::Field(part.to_owned()));
    }
    Ok(steps)
}

/// Python `str.format` syntax as botocore uses it: `{{`/`}}` escape braces,
/// `{name#attr}` substitutes a variable's (attribute's) value.
fn template(s: &str, at: &str, scope: &Scope) -> Result<Template, RuleSetError> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|p| p.1) == Some('{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek().map(|p| p.1) == Some('}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let close = s[i..]
                    .find('}')
                    .ok_or_else(|| err(at, format!("unclosed `{{` in template {s:?}")))?;
                let field = &s[i + 1..i + close];
                if field.is_empty() || field.contains(['{', ':', '!', '[']) {
                    return Err(err(
                        at,
                        format!("unsupported template field `{field}` in {s:?}"),
                    ));
                }
                let mut names = field.split('#');
                let var = names.next().unwrap_or_default();
                let slot = scope
                    .lookup(var)
                    .ok_or_else(|| err(at, format!("template {s:?} uses unbound name `{var}`")))?;
                let path = names
                    .map(|n| {
                        if n.is_empty() {
                            Err(err(at, format!("empty attribute in template {s:?}")))
                        } else {
                            Ok(AttrStep::Field(n.to_owned()))
                        }
                    })
                    .collect::<Result<_, _>>()?;
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                parts.push(Part::Var { slot, path });
                while chars.peek().is_some_and(|(j, _)| *j < i + close + 1) {
                    chars.next();
                }
            }
            '}' => return Err(err(at, format!("single `}}` in template {s:?}"))),
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    Ok(Template { parts })
}

fn prop(json: &Json, at: &str, scope: &Scope) -> Result<Prop, RuleSetError> {
    if !has_template(json) {
        return Ok(Prop::Json(json.clone()));
    }
    Ok(match json {
        Json::String(s) => Prop::Template(template(s, at, scope)?),
        Json::Array(items) => Prop::List(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| prop(v, &format!("{at}[{i}]"), scope))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(o) => Prop::Object(
            o.iter()
                .map(|(k, v)| Ok((k.clone(), prop(v, &format!("{at}.{k}"), scope)?)))
                .collect::<Result<_, RuleSetError>>()?,
        ),
        _ => Prop::Json(json.clone()),
    })
}

fn has_template(json: &Json) -> bool {
    match json {
        Json::String(s) => is_template(s),
        Json::Array(items) => items.iter().any(has_template),
        Json::Object(o) => o.values().any(has_template),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(rules: &str) -> Result<Program, RuleSetError> {
        Program::parse(&format!(
            r#"{{"version":"1.0","parameters":{{"Region":{{"type":"String","builtIn":"AWS::Region"}},
               "UseFIPS":{{"type":"boolean","default":false,"required":true}}}},"rules":{rules}}}"#
        ))
    }

    #[test]
    fn templates_split_into_literals_and_variables() {
        assert!(is_template("https://{Region}.x"));
        assert!(is_template("{a#b}"));
        assert!(!is_template("no {1} here {}"));
        let scope = Scope {
            slot_of: HashMap::from([("Region".to_owned(), 0), ("p".to_owned(), 1)]),
            visible: vec![0, 1],
            next: 2,
        };
        let t = template("a{{b}}{Region}.{p#dnsSuffix}", "t", &scope).unwrap();
        assert!(matches!(&t.parts[0], Part::Lit(s) if s == "a{b}"));
        assert!(matches!(&t.parts[1], Part::Var { slot: 0, path } if path.is_empty()));
        assert!(matches!(&t.parts[2], Part::Lit(s) if s == "."));
        assert!(
            matches!(&t.parts[3], Part::Var { slot: 1, path } if path == &[AttrStep::Field("dnsSuffix".into())])
        );
        assert!(template("{Nope}", "t", &scope).is_err());
        assert!(template("{Region", "t", &scope).is_err());
        assert!(template("a}b {Region}", "t", &scope).is_err());
    }

    #[test]
    fn attr_paths() {
        assert_eq!(
            attr_path("resourceId[1]", "x").unwrap(),
            [AttrStep::Field("resourceId".into()), AttrStep::Index(1)]
        );
        assert_eq!(attr_path("[0]", "x").unwrap(), [AttrStep::Index(0)]);
        assert_eq!(
            attr_path("a.b", "x").unwrap(),
            [AttrStep::Field("a".into()), AttrStep::Field("b".into())]
        );
        for bad in ["a[x]", "a..b", "a[0].b", "a[0][1]"] {
            assert!(attr_path(bad, "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn scopes_are_checked() {
        let ok = parse(
            r#"[{"type":"tree","conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"}],
                "rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"https://{p#dnsSuffix}"}}]},
               {"type":"tree","conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"}],
                "rules":[{"type":"error","conditions":[],"error":"in {p#name}"}]}]"#,
        )
        .unwrap();
        // The same name in sibling rules shares one slot.
        assert_eq!(ok.slots, 3);
        let sibling = parse(
            r#"[{"type":"tree","conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"}],"rules":[]},
               {"type":"error","conditions":[],"error":"{p#name}"}]"#,
        )
        .unwrap_err();
        assert!(sibling.message.contains("unbound name `p`"), "{sibling}");
        let shadow = parse(
            r#"[{"type":"error","conditions":[{"fn":"isSet","argv":[{"ref":"Region"}],"assign":"Region"}],"error":"x"}]"#,
        )
        .unwrap_err();
        assert!(shadow.message.contains("already in scope"), "{shadow}");
        assert_eq!(shadow.path, "rules[0].conditions[0]");
    }

    #[test]
    fn bad_rule_sets_name_the_place() {
        let cases = [
            (
                r#"[{"type":"tree","conditions":[{"fn":"nope","argv":[]}],"rules":[]}]"#,
                "unknown function",
            ),
            (
                r#"[{"type":"error","conditions":[{"fn":"not","argv":[1,2]}],"error":"x"}]"#,
                "takes 1",
            ),
            (r#"[{"type":"bogus","conditions":[]}]"#, "unknown rule type"),
            (
                r#"[{"type":"endpoint","conditions":[]}]"#,
                "without `endpoint`",
            ),
            (
                r#"[{"type":"error","conditions":[{"fn":"getAttr","argv":[{"ref":"Region"},{"ref":"Region"}]}],"error":"x"}]"#,
                "literal string",
            ),
        ];
        for (rules, want) in cases {
            let e = parse(rules).unwrap_err();
            assert!(e.message.contains(want), "{rules}: {e}");
            assert!(e.path.starts_with("rules[0]"), "{e}");
        }
        assert!(Program::parse("{").is_err());
        let bad_default =
            Program::parse(r#"{"parameters":{"X":{"type":"boolean","default":"yes"}},"rules":[]}"#)
                .unwrap_err();
        assert_eq!(bad_default.path, "parameters.X");
    }
}
