//! `application/x-www-form-urlencoded` request bodies for the query and ec2
//! protocols, which share everything but member naming and list layout.
//!
//! Keys are dotted paths (`Nested.List.member.1.Field`); values are percent
//! encoded with the RFC 3986 unreserved set, as botocore does. Members are
//! written in model order, map entries sorted by key, list items 1-based.

use super::rest::{idempotency_token, is_unset_token, percent_encode_into};
use super::xml::scalar_text;
use crate::error::SerializeError;
use crate::schema::{Member, Operation, ShapeKind};
use crate::value::{Struct, ValueRef};

/// The two form dialects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// awsQuery: `locationName` names, `member`/`entry` wrappers unless
    /// flattened, empty lists sent as `Name=`.
    Query,
    /// ec2: `queryName` or capitalized names, lists always flattened, empty
    /// lists omitted.
    Ec2,
}

/// A form body under construction.
pub(crate) struct Form {
    body: String,
    dialect: Dialect,
}

impl Form {
    /// Starts `Action=<op>&Version=<api version>`.
    pub fn new(dialect: Dialect, action: &str, version: &str) -> Form {
        let mut body = String::with_capacity(256);
        body.push_str("Action=");
        percent_encode_into(&mut body, action, false);
        body.push_str("&Version=");
        percent_encode_into(&mut body, version, false);
        Form { body, dialect }
    }

    pub fn into_body(self) -> String {
        self.body
    }

    fn push(&mut self, key: &str, value: &str) {
        self.body.push('&');
        percent_encode_into(&mut self.body, key, false);
        self.body.push('=');
        percent_encode_into(&mut self.body, value, false);
    }

    /// Writes every set member of `s` under `prefix` (empty at top level).
    /// Idempotency-token members left unset are filled with a fresh UUID.
    pub fn write_struct(&mut self, prefix: &str, s: &dyn Struct) -> Result<(), SerializeError> {
        let top = prefix.is_empty();
        for (i, m) in s.shape().members().iter().enumerate() {
            let Some(v) = s.member(i) else { continue };
            let v = v.get();
            let token;
            let v = if m.idempotency_token && is_unset_token(&v) {
                token = idempotency_token();
                ValueRef::Str(&token)
            } else {
                v
            };
            if matches!(v, ValueRef::Null) {
                continue;
            }
            let name = self.member_name(m);
            let key = if top {
                name.into_owned()
            } else {
                format!("{prefix}.{name}")
            };
            self.write_value(&key, m, v)?;
        }
        Ok(())
    }

    /// The name a structure member takes in a key.
    fn member_name(&self, m: &Member) -> std::borrow::Cow<'static, str> {
        match self.dialect {
            Dialect::Query => match m.target.kind {
                // A flattened list without a name of its own takes its items' name
                // (botocore: `Attribute.1` for a `Attributes` list of `Attribute`).
                ShapeKind::List(l) if m.is_flattened() && m.location_name.is_none() => {
                    l.member.location_name.unwrap_or(m.name).into()
                }
                _ => m.wire_name().into(),
            },
            Dialect::Ec2 => match m.query_name {
                Some(q) => q.into(),
                None => capitalize(m.location_name.unwrap_or(m.name)),
            },
        }
    }

    fn write_value(
        &mut self,
        key: &str,
        m: &Member,
        v: ValueRef<'_>,
    ) -> Result<(), SerializeError> {
        match v {
            ValueRef::Null => Ok(()),
            ValueRef::Struct(s) => self.write_struct(key, s),
            ValueRef::List(items) => {
                let ShapeKind::List(l) = m.target.kind else {
                    return Err(not_formable(m));
                };
                if items.is_empty() {
                    if self.dialect == Dialect::Query {
                        self.push(key, "");
                    }
                    return Ok(());
                }
                let item_prefix = if self.dialect == Dialect::Ec2 || m.is_flattened() {
                    key.to_owned()
                } else {
                    format!("{key}.{}", l.member.location_name.unwrap_or("member"))
                };
                for i in 0..items.len() {
                    let item_key = format!("{item_prefix}.{}", i + 1);
                    self.write_value(&item_key, &l.member, items.item(i).get())?;
                }
                Ok(())
            }
            ValueRef::Map(map) => {
                let ShapeKind::Map(mp) = m.target.kind else {
                    return Err(not_formable(m));
                };
                let entry_prefix = if m.is_flattened() {
                    key.to_owned()
                } else {
                    format!("{key}.entry")
                };
                let key_name = mp.key.location_name.unwrap_or("key");
                let value_name = mp.value.location_name.unwrap_or("value");
                for (n, (k, val)) in map.sorted_entries().into_iter().enumerate() {
                    let base = format!("{entry_prefix}.{}", n + 1);
                    self.push(&format!("{base}.{key_name}"), k);
                    self.write_value(&format!("{base}.{value_name}"), &mp.value, val.get())?;
                }
                Ok(())
            }
            _ => {
                let text = scalar_text(m, v).ok_or_else(|| not_formable(m))?;
                self.push(key, &text);
                Ok(())
            }
        }
    }
}

fn not_formable(m: &Member) -> SerializeError {
    SerializeError::new(format!("member {} cannot be sent in a form body", m.name))
}

/// `name` with its first letter upper-cased (ec2 member names).
fn capitalize(name: &'static str) -> std::borrow::Cow<'static, str> {
    match name.chars().next() {
        Some(c) if c.is_lowercase() => {
            let mut s = String::with_capacity(name.len());
            s.extend(c.to_uppercase());
            s.push_str(&name[c.len_utf8()..]);
            s.into()
        }
        _ => name.into(),
    }
}

/// The whole request for a query or ec2 operation.
pub(crate) fn serialize(
    dialect: Dialect,
    api_version: &str,
    op: &Operation,
    input: &dyn Struct,
) -> Result<super::HttpRequest, SerializeError> {
    let mut form = Form::new(dialect, op.name, api_version);
    form.write_struct("", input)?;
    Ok(super::HttpRequest {
        method: "POST",
        uri: "/".to_owned(),
        headers: vec![(
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded; charset=utf-8".to_owned(),
        )],
        body: form.into_body().into_bytes(),
        stream: None,
        host_prefix: super::rest::expand_host_prefix(op, input)?,
    })
}
