//! Waiter methods on `Client`: `wait_until_<name>(input)` for every waiter
//! of the model (botocore's `waiters-2.json`, Smithy's `@waitable`) whose
//! acceptors are well formed.
//!
//! Each method carries the waiter's static `WaiterSpec` (its schedule —
//! botocore's fixed delay and attempts, or Smithy's back-off delays —
//! and acceptors with their JMESPath arguments as literals) and hands the
//! polling to `botogen_runtime::waiter::Waiter`.

use super::Ctx;
use crate::ir::{Expected, Matcher, WaitState};
use crate::naming::{self, Scope};
use proc_macro2::TokenStream;
use quote::quote;

/// `botogen_runtime::waiter::DEFAULT_MAX_WAIT` in seconds, for the docs (the
/// generator does not link the runtime); `tests/tests/smithy_service.rs` checks they agree.
pub const DEFAULT_MAX_WAIT_SECS: u64 = 300;

/// `impl Client { ... }` with one method per usable waiter, or `None`.
pub fn emit(ctx: &Ctx, scope: &mut Scope) -> Option<TokenStream> {
    let root = &ctx.root;
    let mut methods = Vec::new();
    for (name, w) in &ctx.svc.waiters {
        let Some(op) = ctx.svc.operations.iter().find(|o| o.key == w.operation) else {
            continue;
        };
        if w.acceptors.is_empty() {
            continue;
        }
        let names = &ctx.names.operations[&op.key];
        let snake = naming::snake(name);
        let method =
            Ctx::ident(&scope.claim(format!("wait_until_{}", snake.trim_start_matches("r#"))));
        let stat = Ctx::ident(&names.static_name);
        let err = Ctx::ident(&names.error_enum);
        let input = ctx.io_type(&op.input);
        let output = ctx.io_type(&op.output);
        let rt = quote!(::botogen_runtime::waiter);
        let acceptors = w.acceptors.iter().map(|a| {
            let state = match a.state {
                WaitState::Success => quote!(#rt::WaitState::Success),
                WaitState::Failure => quote!(#rt::WaitState::Failure),
                WaitState::Retry => quote!(#rt::WaitState::Retry),
            };
            let expected = |e: &Expected| match e {
                Expected::Str(s) => quote!(#rt::Expected::Str(#s)),
                Expected::Bool(b) => quote!(#rt::Expected::Bool(#b)),
                Expected::Number(n) => quote!(#rt::Expected::Number(#n)),
            };
            let matcher = match &a.matcher {
                Matcher::Path {
                    argument,
                    expected: e,
                } => {
                    let e = expected(e);
                    quote!(#rt::Matcher::Path { argument: #argument, expected: #e })
                }
                Matcher::PathAll {
                    argument,
                    expected: e,
                } => {
                    let e = expected(e);
                    quote!(#rt::Matcher::PathAll { argument: #argument, expected: #e })
                }
                Matcher::PathAny {
                    argument,
                    expected: e,
                } => {
                    let e = expected(e);
                    quote!(#rt::Matcher::PathAny { argument: #argument, expected: #e })
                }
                Matcher::Status(code) => quote!(#rt::Matcher::Status(#code)),
                Matcher::Error(code) => quote!(#rt::Matcher::Error(#code)),
                Matcher::AnyError(any) => quote!(#rt::Matcher::AnyError(#any)),
                Matcher::InputOutputPath {
                    argument,
                    expected: e,
                } => {
                    let e = expected(e);
                    quote!(#rt::Matcher::InputOutputPath { argument: #argument, expected: #e })
                }
                Matcher::InputOutputPathAll {
                    argument,
                    expected: e,
                } => {
                    let e = expected(e);
                    quote!(#rt::Matcher::InputOutputPathAll { argument: #argument, expected: #e })
                }
                Matcher::InputOutputPathAny {
                    argument,
                    expected: e,
                } => {
                    let e = expected(e);
                    quote!(#rt::Matcher::InputOutputPathAny { argument: #argument, expected: #e })
                }
            };
            quote!(#rt::Acceptor { state: #state, matcher: #matcher })
        });
        let (schedule, mut text) = match w.backoff {
            Some(b) => {
                let (min, max) = (b.min_delay, b.max_delay);
                (
                    quote!(#rt::Schedule::Backoff { min_delay: #min, max_delay: #max }),
                    format!(
                        "Waits for `{}` by polling `{}`, backing off from {min} s to {max} s \
                         between calls, for at most {} s (change with `.backoff(..)` and \
                         `.max_wait(..)`); run it with `.wait().await`.",
                        name.replace('`', ""),
                        op.key.replace('`', ""),
                        DEFAULT_MAX_WAIT_SECS,
                    ),
                )
            }
            None => {
                // botocore's defaults when a waiter leaves them out.
                let delay = w.delay.map_or(15, |d| d.max(0.0).ceil() as u64);
                let max_attempts = w.max_attempts.unwrap_or(40);
                (
                    quote!(#rt::Schedule::Fixed { delay: #delay, max_attempts: #max_attempts }),
                    format!(
                        "Waits for `{}` by polling `{}` every {delay} s, at most {max_attempts} times \
                         (change with `.delay(..)` and `.max_attempts(..)`); run it with `.wait().await`.",
                        name.replace('`', ""),
                        op.key.replace('`', ""),
                    ),
                )
            }
        };
        if let Some(desc) = &w.description {
            text.push_str("\n\n");
            text.push_str(&crate::docs::escape_text(desc));
        }
        let doc = super::doc_lines(&crate::docs::sanitize(&text));
        let name_lit = name.as_str();
        methods.push(quote! {
            #doc
            pub fn #method(&self, input: #input) -> #rt::Waiter<'_, #input, #output, #root::operations::#err> {
                static SPEC: #rt::WaiterSpec = #rt::WaiterSpec {
                    name: #name_lit,
                    schedule: #schedule,
                    acceptors: &[#(#acceptors),*],
                };
                #rt::Waiter::new(&self.inner, &#root::operations::#stat, &SPEC, input)
            }
        });
    }
    if methods.is_empty() {
        return None;
    }
    Some(quote! {
        impl Client {
            #(#methods)*
        }
    })
}
