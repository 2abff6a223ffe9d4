//! Endpoint data in the IR: reading botocore's binding keys, checking the
//! rule set and the bindings, and the model customizations rule-set
//! endpoints need.
//!
//! - [`convert_client_context_params`] and [`convert_context_params`] read
//!   botocore's `clientContextParams`, `staticContextParams`, members'
//!   `contextParam` and `operationContextParams` into the front-end neutral
//!   [`ir::ContextParam`]s.
//! - [`check`] parses the rule set with the runtime's own parser (so a rule
//!   set the runtime cannot evaluate is a generation error naming the JSON
//!   path) and checks every binding: the parameter is declared, static
//!   values and bound members have the declared type, and every path is in
//!   the supported JMESPath subset ([`parse_path`]) and resolves against the
//!   input shape.
//! - [`customize`] does what botocore does to models when rule sets are in
//!   charge: S3's request URIs lose their leading `/{Bucket}` (the rule set
//!   puts the bucket in the host or the endpoint path), and S3 Control's
//!   `{AccountId}.` host prefix goes where the rule set adds the account.

use crate::error::Error;
use crate::ir::{
    self, ClientContextParam, ContextParam, ContextSource, EndpointParamType, EndpointValue,
    ShapeKind,
};
use crate::model;
use botogen_endpoint::{ParamType, Program};
use serde_json::Value as Json;

fn param_type(name: &str) -> Option<EndpointParamType> {
    Some(match name.to_ascii_lowercase().as_str() {
        "string" => EndpointParamType::String,
        "boolean" => EndpointParamType::Boolean,
        "stringarray" => EndpointParamType::StringArray,
        _ => return None,
    })
}

/// `clientContextParams`: `{Name: {type, documentation}}`.
pub fn convert_client_context_params(
    m: &model::Model,
    file: &str,
) -> Result<Vec<ClientContextParam>, Error> {
    client_context_params(m.client_context_params.as_ref(), file)
}

/// `{Name: {type, documentation}}`: botocore's `clientContextParams` and
/// Smithy's `smithy.rules#clientContextParams` trait have the same form.
pub fn client_context_params(
    value: Option<&Json>,
    file: &str,
) -> Result<Vec<ClientContextParam>, Error> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let bad = |message: String| Error::InvalidEndpointRules {
        file: file.into(),
        message,
    };
    let obj = value
        .as_object()
        .ok_or_else(|| bad("clientContextParams is not an object".into()))?;
    obj.iter()
        .map(|(name, spec)| {
            let ty = spec
                .get("type")
                .and_then(Json::as_str)
                .and_then(param_type)
                .ok_or_else(|| {
                    bad(format!(
                        "clientContextParams.{name}: missing or unknown type"
                    ))
                })?;
            Ok(ClientContextParam {
                name: name.clone(),
                ty,
                doc: spec
                    .get("documentation")
                    .and_then(Json::as_str)
                    .map(str::to_owned),
            })
        })
        .collect()
}

fn literal(v: &Json) -> Option<EndpointValue> {
    Some(match v {
        Json::Bool(b) => EndpointValue::Bool(*b),
        Json::String(s) => EndpointValue::Str(s.clone()),
        Json::Array(items) => EndpointValue::StrList(
            items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// Fills each operation's `context_params` from the model.
pub fn convert_context_params(
    m: &model::Model,
    file: &str,
    ops: &mut [ir::Operation],
) -> Result<(), Error> {
    for op in ops.iter_mut() {
        let Some(mo) = m.operations.get(&op.key) else {
            continue;
        };
        let bad = |param: &str, message: String| Error::InvalidContextParam {
            file: file.into(),
            operation: op.key.clone(),
            param: param.into(),
            message,
        };
        let members: Vec<(&str, Option<&Json>)> = match op
            .input
            .as_ref()
            .and_then(|input| m.shapes.get(input))
            .and_then(|shape| shape.members.as_ref())
        {
            Some(members) => members
                .iter()
                .map(|(name, r)| (name.as_str(), r.context_param.as_ref()))
                .collect(),
            None => Vec::new(),
        };
        let params = context_params(
            mo.static_context_params.as_ref(),
            &members,
            mo.operation_context_params.as_ref(),
            &bad,
        )?;
        op.context_params = params;
    }
    Ok(())
}

/// One operation's bindings, from the three places both model formats keep
/// them (same forms in botocore and Smithy): static values
/// (`{Name: {value}}`), input members' `contextParam` (`{name}`), and
/// JMESPath paths (`{Name: {path}}`). `bad(param, message)` names the
/// operation in errors.
pub fn context_params(
    statics: Option<&Json>,
    members: &[(&str, Option<&Json>)],
    paths: Option<&Json>,
    bad: &dyn Fn(&str, String) -> Error,
) -> Result<Vec<ContextParam>, Error> {
    let mut params = Vec::new();
    if let Some(statics) = statics {
        let obj = statics
            .as_object()
            .ok_or_else(|| bad("*", "staticContextParams is not an object".into()))?;
        for (name, spec) in obj {
            let value = spec.get("value").and_then(literal).ok_or_else(|| {
                bad(
                    name,
                    "static value is not a boolean, string or string list".into(),
                )
            })?;
            params.push(ContextParam {
                name: name.clone(),
                source: ContextSource::Static(value),
            });
        }
    }
    for (member, cp) in members {
        let Some(cp) = cp else { continue };
        let name = cp
            .get("name")
            .and_then(Json::as_str)
            .ok_or_else(|| bad(member, "contextParam without a name".into()))?;
        params.push(ContextParam {
            name: name.to_owned(),
            source: ContextSource::Member((*member).to_owned()),
        });
    }
    if let Some(paths) = paths {
        let obj = paths
            .as_object()
            .ok_or_else(|| bad("*", "operationContextParams is not an object".into()))?;
        for (name, spec) in obj {
            let path = spec
                .get("path")
                .and_then(Json::as_str)
                .ok_or_else(|| bad(name, "operation context param without a `path`".into()))?;
            params.push(ContextParam {
                name: name.clone(),
                source: ContextSource::Path(path.to_owned()),
            });
        }
    }
    Ok(params)
}

/// A JMESPath expression of the subset operation context params use.
#[derive(Debug, Clone, PartialEq)]
pub enum Path {
    Identity,
    Field(String),
    Sub(Box<Path>, Box<Path>),
    /// `lhs[*]` then `rhs` per element.
    Project(Box<Path>, Box<Path>),
    /// `lhs[]` then `rhs` per element.
    Flatten(Box<Path>, Box<Path>),
    MultiSelect(Vec<Path>),
    Keys(Box<Path>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Dot,
    Star,
    Flatten,
    LBracket,
    RBracket,
    Comma,
    LParen,
    RParen,
    Eof,
}

fn tokens(text: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' => i += 1,
            b'.' => {
                out.push(Tok::Dot);
                i += 1;
            }
            b'[' if b.get(i + 1) == Some(&b'*') && b.get(i + 2) == Some(&b']') => {
                out.push(Tok::Star);
                i += 3;
            }
            b'[' if b.get(i + 1) == Some(&b']') => {
                out.push(Tok::Flatten);
                i += 2;
            }
            b'[' => {
                out.push(Tok::LBracket);
                i += 1;
            }
            b']' => {
                out.push(Tok::RBracket);
                i += 1;
            }
            b',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            b'(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            b')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                out.push(Tok::Ident(text[start..i].to_owned()));
            }
            _ => {
                return Err(format!(
                    "unsupported character {:?} at {i} (supported: names, `.`, `[*]`, `[]`, `[a, b]`, keys())",
                    c as char
                ));
            }
        }
    }
    out.push(Tok::Eof);
    Ok(out)
}

/// A Pratt parser with JMESPath's binding powers for the subset.
struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos]
    }

    fn next(&mut self) -> Tok {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn bp(t: &Tok) -> u8 {
        match t {
            Tok::Flatten => 9,
            Tok::Dot => 40,
            Tok::Star | Tok::LBracket => 55,
            _ => 0,
        }
    }

    fn expect(&mut self, want: Tok) -> Result<(), String> {
        let got = self.next();
        if got == want {
            Ok(())
        } else {
            Err(format!("expected {want:?}, found {got:?}"))
        }
    }

    fn expression(&mut self, rbp: u8) -> Result<Path, String> {
        let mut left = self.nud()?;
        while rbp < Self::bp(self.peek()) {
            left = self.led(left)?;
        }
        Ok(left)
    }

    fn nud(&mut self) -> Result<Path, String> {
        match self.next() {
            Tok::Ident(name) if name == "keys" && self.peek() == &Tok::LParen => {
                self.next();
                let arg = self.expression(0)?;
                self.expect(Tok::RParen)?;
                Ok(Path::Keys(Box::new(arg)))
            }
            Tok::Ident(name) => Ok(Path::Field(name)),
            Tok::LBracket => self.multi_select(),
            Tok::Star => Ok(Path::Project(
                Box::new(Path::Identity),
                Box::new(self.projection_rhs(20)?),
            )),
            Tok::Flatten => Ok(Path::Flatten(
                Box::new(Path::Identity),
                Box::new(self.projection_rhs(9)?),
            )),
            other => Err(format!("unexpected {other:?}")),
        }
    }

    fn multi_select(&mut self) -> Result<Path, String> {
        let mut items = vec![self.expression(0)?];
        loop {
            match self.next() {
                Tok::Comma => items.push(self.expression(0)?),
                Tok::RBracket => return Ok(Path::MultiSelect(items)),
                other => return Err(format!("expected `,` or `]`, found {other:?}")),
            }
        }
    }

    fn led(&mut self, left: Path) -> Result<Path, String> {
        match self.next() {
            Tok::Dot => {
                let right = self.dot_rhs(40)?;
                Ok(Path::Sub(Box::new(left), Box::new(right)))
            }
            Tok::Star => Ok(Path::Project(
                Box::new(left),
                Box::new(self.projection_rhs(20)?),
            )),
            Tok::Flatten => Ok(Path::Flatten(
                Box::new(left),
                Box::new(self.projection_rhs(9)?),
            )),
            other => Err(format!(
                "unsupported {other:?} (indexes and filters are not supported)"
            )),
        }
    }

    fn dot_rhs(&mut self, bp: u8) -> Result<Path, String> {
        match self.peek() {
            Tok::LBracket => {
                self.next();
                self.multi_select()
            }
            _ => self.expression(bp),
        }
    }

    fn projection_rhs(&mut self, bp: u8) -> Result<Path, String> {
        match self.peek() {
            t if Self::bp(t) < 10 => Ok(Path::Identity),
            Tok::Star | Tok::LBracket => self.expression(bp),
            Tok::Dot => {
                self.next();
                self.dot_rhs(bp)
            }
            other => Err(format!("unexpected {other:?} after a projection")),
        }
    }
}

/// Parses an `operationContextParams` path.
pub fn parse_path(text: &str) -> Result<Path, String> {
    let mut p = Parser {
        toks: tokens(text)?,
        pos: 0,
    };
    let path = p.expression(0)?;
    match p.peek() {
        Tok::Eof => Ok(path),
        other => Err(format!("unexpected {other:?} after the expression")),
    }
}

/// What a path yields, as far as the shapes tell.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Shape(String),
    List(Box<Ty>),
    Text,
    Unknown,
}

fn type_of(svc: &ir::Service, path: &Path, cur: &Ty) -> Result<Ty, String> {
    let shape_kind = |t: &Ty| match t {
        Ty::Shape(name) => svc.shapes.get(name).map(|s| &s.kind),
        _ => None,
    };
    let elements = |t: &Ty| -> Result<Ty, String> {
        match t {
            Ty::List(inner) => Ok((**inner).clone()),
            Ty::Unknown => Ok(Ty::Unknown),
            t => match shape_kind(t) {
                Some(ShapeKind::List(l)) => Ok(Ty::Shape(l.member.target.clone())),
                _ => Err(format!("{t:?} is not a list")),
            },
        }
    };
    Ok(match path {
        Path::Identity => cur.clone(),
        Path::Field(name) => match shape_kind(cur) {
            Some(ShapeKind::Structure(st) | ShapeKind::Union(st)) => Ty::Shape(
                st.members
                    .iter()
                    .find(|m| &m.name == name)
                    .ok_or_else(|| format!("no member `{name}` in {cur:?}"))?
                    .target
                    .clone(),
            ),
            _ if *cur == Ty::Unknown => Ty::Unknown,
            _ => return Err(format!("`{name}` is not a member of {cur:?}")),
        },
        Path::Sub(a, b) => type_of(svc, b, &type_of(svc, a, cur)?)?,
        Path::Project(lhs, rhs) => {
            let elem = elements(&type_of(svc, lhs, cur)?)?;
            Ty::List(Box::new(type_of(svc, rhs, &elem)?))
        }
        Path::Flatten(lhs, rhs) => {
            let elem = elements(&type_of(svc, lhs, cur)?)?;
            let flat = elements(&elem).unwrap_or(elem);
            Ty::List(Box::new(type_of(svc, rhs, &flat)?))
        }
        Path::MultiSelect(items) => {
            let tys = items
                .iter()
                .map(|i| type_of(svc, i, cur))
                .collect::<Result<Vec<_>, _>>()?;
            let same = tys.windows(2).all(|w| w[0] == w[1]);
            Ty::List(Box::new(match tys.into_iter().next() {
                Some(t) if same => t,
                _ => Ty::Unknown,
            }))
        }
        Path::Keys(inner) => match shape_kind(&type_of(svc, inner, cur)?) {
            Some(ShapeKind::Map(_) | ShapeKind::Structure(_)) => Ty::List(Box::new(Ty::Text)),
            _ => return Err("keys() of something that is not a map".into()),
        },
    })
}

/// Whether a value of `ty` can be a parameter of type `want`.
fn fits(svc: &ir::Service, ty: &Ty, want: ParamType) -> bool {
    let kind = |t: &Ty| match t {
        Ty::Shape(name) => svc.shapes.get(name).map(|s| &s.kind),
        _ => None,
    };
    let is_text =
        |t: &Ty| *t == Ty::Text || *t == Ty::Unknown || matches!(kind(t), Some(ShapeKind::String));
    match want {
        ParamType::String => is_text(ty),
        ParamType::Boolean => *ty == Ty::Unknown || matches!(kind(ty), Some(ShapeKind::Boolean)),
        ParamType::StringArray => match ty {
            Ty::List(inner) => is_text(inner),
            Ty::Unknown => true,
            t => {
                matches!(kind(t), Some(ShapeKind::List(l)) if is_text(&Ty::Shape(l.member.target.clone())))
            }
        },
    }
}

/// Checks the rule set and every operation's bindings against it.
pub fn check(svc: &ir::Service) -> Result<(), Error> {
    let Some(rules) = &svc.endpoint_rules else {
        return Ok(());
    };
    let program = Program::from_json(rules).map_err(|e| Error::InvalidEndpointRules {
        file: svc.file.clone(),
        message: format!("{}: {}", e.path, e.message),
    })?;
    for cp in &svc.client_context_params {
        if program.param_index(&cp.name).is_none() {
            return Err(Error::InvalidEndpointRules {
                file: svc.file.clone(),
                message: format!(
                    "client context parameter `{}` is not a rule-set parameter",
                    cp.name
                ),
            });
        }
    }
    for op in &svc.operations {
        for cp in &op.context_params {
            let bad = |message: String| Error::InvalidContextParam {
                file: svc.file.clone(),
                operation: op.key.clone(),
                param: cp.name.clone(),
                message,
            };
            let def = program
                .params()
                .iter()
                .find(|p| p.name == cp.name)
                .ok_or_else(|| bad("the rule set declares no such parameter".into()))?;
            let input = Ty::Shape(op.input.clone().unwrap_or_default());
            let ok = match &cp.source {
                ContextSource::Static(v) => matches!(
                    (v, def.ty),
                    (EndpointValue::Bool(_), ParamType::Boolean)
                        | (EndpointValue::Str(_), ParamType::String)
                        | (EndpointValue::StrList(_), ParamType::StringArray)
                ),
                ContextSource::Member(m) => {
                    let ty = type_of(svc, &Path::Field(m.clone()), &input).map_err(&bad)?;
                    fits(svc, &ty, def.ty)
                }
                ContextSource::Path(text) => {
                    let path = parse_path(text).map_err(|e| bad(format!("path `{text}`: {e}")))?;
                    let ty = type_of(svc, &path, &input)
                        .map_err(|e| bad(format!("path `{text}`: {e}")))?;
                    fits(svc, &ty, def.ty)
                }
            };
            if !ok {
                return Err(bad(format!(
                    "{:?} cannot give a {} value",
                    cp.source,
                    def.ty.as_str()
                )));
            }
        }
    }
    Ok(())
}

/// The rule set without what evaluation never reads: `documentation` of
/// the set, its parameters and its rules (S3's shrinks by a fifth).
pub fn compact(rules: &Json) -> Json {
    fn strip_rules(list: &mut Json) {
        for rule in list.as_array_mut().into_iter().flatten() {
            if let Some(o) = rule.as_object_mut() {
                o.remove("documentation");
                if let Some(sub) = o.get_mut("rules") {
                    strip_rules(sub);
                }
            }
        }
    }
    let mut out = rules.clone();
    if let Some(root) = out.as_object_mut() {
        root.remove("documentation");
        if let Some(params) = root.get_mut("parameters").and_then(Json::as_object_mut) {
            for spec in params.values_mut() {
                if let Some(o) = spec.as_object_mut() {
                    o.remove("documentation");
                }
            }
        }
        if let Some(list) = root.get_mut("rules") {
            strip_rules(list);
        }
    }
    out
}

/// botocore's model changes for rule-set endpoints (`handlers.py`:
/// `remove_bucket_from_url_paths_from_model`,
/// `remove_accid_host_prefix_from_model`); only with a rule set.
pub fn customize(svc: &mut ir::Service) {
    if svc.endpoint_rules.is_none() {
        return;
    }
    match svc.service_id.as_str() {
        "S3" => {
            for op in &mut svc.operations {
                if let Some(rest) = op.request_uri.strip_prefix("/{Bucket}")
                    && (rest.is_empty() || rest.starts_with(['/', '?']))
                {
                    op.request_uri = rest.to_owned();
                }
            }
        }
        "S3 Control" => {
            for op in &mut svc.operations {
                let requires_account = op.context_params.iter().any(|p| {
                    p.name == "RequiresAccountId"
                        && p.source == ContextSource::Static(EndpointValue::Bool(true))
                });
                if requires_account && op.host_prefix.as_deref() == Some("{AccountId}.") {
                    op.host_prefix = None;
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Box<Path> {
        Box::new(Path::Field(s.into()))
    }

    #[test]
    fn parses_the_paths_botocore_models_use() {
        assert_eq!(
            parse_path("TableName").unwrap(),
            Path::Field("TableName".into())
        );
        assert_eq!(
            parse_path("TableCreationParameters.TableName").unwrap(),
            Path::Sub(f("TableCreationParameters"), f("TableName"))
        );
        assert_eq!(
            parse_path("keys(RequestItems)").unwrap(),
            Path::Keys(f("RequestItems"))
        );
        assert_eq!(
            parse_path("TransactItems[*].Get.TableName").unwrap(),
            Path::Project(
                f("TransactItems"),
                Box::new(Path::Sub(f("Get"), f("TableName")))
            )
        );
        let multi = parse_path(
            "TransactItems[*].[ConditionCheck.TableName, Put.TableName, Delete.TableName, Update.TableName][]",
        )
        .unwrap();
        let Path::Flatten(lhs, rhs) = multi else {
            panic!("{multi:?}")
        };
        assert_eq!(*rhs, Path::Identity);
        let Path::Project(items, select) = *lhs else {
            panic!("{lhs:?}")
        };
        assert_eq!(items, f("TransactItems"));
        assert!(matches!(*select, Path::MultiSelect(ref v) if v.len() == 4));
        assert_eq!(
            parse_path("a[*].b[*].c").unwrap(),
            Path::Project(f("a"), Box::new(Path::Project(f("b"), f("c"))))
        );
    }

    #[test]
    fn rejects_what_it_does_not_support() {
        for bad in [
            "a[0]",
            "a[?b]",
            "a | b",
            "a.",
            "length(a)x",
            "[a, b",
            "'lit'",
        ] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }
}
