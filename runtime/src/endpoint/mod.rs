//! Endpoint rule sets for generated crates: the rule-set language of the
//! `botogen-endpoint` crate (re-exported here), the static data generated
//! code instantiates ([`EndpointRules`], [`ContextParam`]), and
//! [`call_params`], which assembles a call's parameter values the way
//! botocore does: the operation's bindings (static values, input members,
//! JMESPath paths over the input), then client context parameters, then
//! the built-ins (`AWS::Region`, `AWS::UseFIPS`, `SDK::Endpoint`, ...).
//!
//! A generated crate carries its service's rule set as a compact JSON
//! string in a [`RuleSet`] static (the generator checks it with the same
//! parser, then minifies it); it is parsed on first use and kept for the
//! process.

mod bindings;

pub use bindings::{ContextParam, ContextSource, PathExpr, StaticValue, eval_path};
pub use botogen_endpoint::*;

use crate::schema::Operation;
use crate::value::Struct;

/// A service's endpoint data: the rule set and the parameters a client may
/// set by name (`clientContextParams`, e.g. S3's `Accelerate`).
#[derive(Debug)]
pub struct EndpointRules {
    pub rule_set: RuleSet,
    pub client_context_params: &'static [ClientContextParam],
}

/// A parameter the client configuration may set.
#[derive(Debug)]
pub struct ClientContextParam {
    pub name: &'static str,
    pub ty: ParamType,
}

/// The rule set's inputs for one call, with botocore's precedence: the
/// operation's static context parameters, then its input members, then
/// its JMESPath parameters ([`ContextParam`], in that order), then the
/// client context parameters, then the built-ins.
pub fn call_params(
    program: &Program,
    op: &Operation,
    input: &dyn Struct,
    client_params: &[(String, ParamValue)],
    builtins: &Builtins,
) -> Vec<Option<ParamValue>> {
    let by_kind = |name: &str, want: fn(&ContextSource) -> bool| {
        op.context_params
            .iter()
            .filter(|p| p.name == name && want(&p.source))
            .find_map(|p| p.value(input))
    };
    program
        .params()
        .iter()
        .map(|def| {
            by_kind(&def.name, |s| matches!(s, ContextSource::Static(_)))
                .or_else(|| by_kind(&def.name, |s| matches!(s, ContextSource::Member(_))))
                .or_else(|| by_kind(&def.name, |s| matches!(s, ContextSource::Path(_))))
                .or_else(|| {
                    client_params
                        .iter()
                        .find(|(n, _)| *n == def.name)
                        .map(|(_, v)| v.clone())
                })
                .or_else(|| {
                    def.builtin
                        .as_deref()
                        .and_then(|b| builtins.get(b))
                        .cloned()
                })
        })
        .collect()
}
