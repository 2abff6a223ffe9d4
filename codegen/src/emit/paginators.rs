//! Paginator methods on `Client`: `<operation>_paginator(input)` for every
//! operation the model's `paginators-1.json` describes.
//!
//! The token handling is generic and lives in the runtime
//! (`botogen_runtime::paginate`); each method only carries the operation's
//! static `PaginatorSpec` and a closure that makes one call. Token
//! expressions are checked against the input and output shapes here, so a
//! paginator whose paths do not resolve is left out (and its operation's
//! docs keep describing the tokens) rather than failing at run time.

use super::Ctx;
use crate::ir::{Operation, Paginator, ShapeKind};
use crate::naming::Scope;
use proc_macro2::TokenStream;
use quote::quote;

/// Whether `p` resolves against `op`'s input and output shapes.
pub fn resolves(ctx: &Ctx, op: &Operation, p: &Paginator) -> bool {
    let (Some(input), Some(output)) = (&op.input, &op.output) else {
        return false;
    };
    let input_has = |name: &str| member_target(ctx, input, name).is_some();
    !p.input_token.is_empty()
        && p.input_token.len() == p.output_token.len()
        && p.input_token.iter().all(|t| input_has(t))
        && p.limit_key.as_deref().is_none_or(input_has)
        && p.output_token.iter().all(|e| expr_resolves(ctx, output, e))
        && p.more_results
            .as_deref()
            .is_none_or(|e| expr_resolves(ctx, output, e))
}

/// The target shape of member `name` of structure `shape`.
fn member_target<'a>(ctx: &Ctx<'a>, shape: &str, name: &str) -> Option<&'a str> {
    match &ctx.shape(shape).kind {
        ShapeKind::Structure(st) | ShapeKind::Union(st) => st
            .members
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.target.as_str()),
        _ => None,
    }
}

/// Checks a token expression (`a.b`, `a[-1].b`, `x || y`) the way the
/// runtime evaluates it.
fn expr_resolves(ctx: &Ctx, root: &str, expr: &str) -> bool {
    expr.split("||").all(|path| {
        let mut shape = root.to_string();
        for segment in path.trim().split('.') {
            let (name, last) = match segment.strip_suffix("[-1]") {
                Some(name) => (name, true),
                None => (segment, false),
            };
            let Some(target) = member_target(ctx, &shape, name) else {
                return false;
            };
            shape = target.to_string();
            if last {
                match &ctx.shape(&shape).kind {
                    ShapeKind::List(l) => shape = l.member.target.clone(),
                    _ => return false,
                }
            }
        }
        true
    })
}

/// `impl Client { ... }` with one paginator method per resolvable paginator.
pub fn emit(ctx: &Ctx, scope: &mut Scope) -> Option<TokenStream> {
    let root = &ctx.root;
    let api = Ctx::ident(&ctx.names.api_trait);
    let mut methods = Vec::new();
    for op in &ctx.svc.operations {
        let Some(p) = ctx.svc.paginators.get(&op.key) else {
            continue;
        };
        if !resolves(ctx, op, p) {
            continue;
        }
        let names = &ctx.names.operations[&op.key];
        let call = Ctx::ident(&names.method);
        let base = names.method.trim_start_matches("r#");
        let method = Ctx::ident(&scope.claim(format!("{base}_paginator")));
        let err = Ctx::ident(&names.error_enum);
        let input = ctx.io_type(&op.input);
        let output = ctx.io_type(&op.output);
        let strs = |v: &[String]| {
            let v = v.iter().map(String::as_str);
            quote!(&[#(#v),*])
        };
        let opt = |v: &Option<String>| match v {
            Some(s) => quote!(::std::option::Option::Some(#s)),
            None => quote!(::std::option::Option::None),
        };
        let (input_token, output_token, result_key) = (
            strs(&p.input_token),
            strs(&p.output_token),
            strs(&p.result_key),
        );
        let (more_results, limit_key) = (opt(&p.more_results), opt(&p.limit_key));
        // `page_size` takes the limit member's type; without one the
        // paginator has none (the runtime's default `NoPageSize`).
        let page_size = ctx.svc.page_size_type(op, p).map(|t| match t {
            "i32" => quote!(, i32),
            "i64" => quote!(, i64),
            _ => quote!(, ::std::string::String),
        });
        let doc = format!(
            "Pages of `{}`: repeats the call with each response's continuation token \
             until the last page. See [`{}::{}`].",
            op.key.replace('`', ""),
            ctx.names.api_trait,
            names.method,
        );
        // The generator's own Markdown (a code span and an intra-doc link):
        // not escaped; the operation key has no backticks left to break out.
        let doc = super::doc_lines(&doc);
        // `#[inline]`: the per-operation closure and future are compiled
        // only in crates that call the paginator, not in the generated crate.
        methods.push(quote! {
            #doc
            #[inline]
            pub fn #method(&self, input: #input) -> ::botogen_runtime::paginate::Paginator<#input, #output, #root::operations::#err #page_size> {
                static SPEC: ::botogen_runtime::paginate::PaginatorSpec = ::botogen_runtime::paginate::PaginatorSpec {
                    input_token: #input_token,
                    output_token: #output_token,
                    more_results: #more_results,
                    limit_key: #limit_key,
                    result_key: #result_key,
                };
                let client = self.clone();
                ::botogen_runtime::paginate::Paginator::new(&SPEC, input, move |input| {
                    let client = client.clone();
                    ::std::boxed::Box::pin(async move { #api::#call(&client, input).await })
                })
            }
        });
    }
    if methods.is_empty() {
        return None;
    }
    Some(quote! {
        /// Paginators: each returns a [`Paginator`](::botogen_runtime::paginate::Paginator)
        /// whose `next().await` yields one page at a time.
        impl Client {
            #(#methods)*
        }
    })
}
