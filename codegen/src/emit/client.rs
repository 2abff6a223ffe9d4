//! `client`: the service trait (one method per operation) and `Client`,
//! which implements it by handing each call to the runtime client.

use super::{Ctx, deprecated_attr};
use crate::ir::{Operation, ShapeKind};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(ctx: &Ctx) -> Vec<TokenStream> {
    let crate::emit::Std { result, .. } = ctx.std.clone();
    let root = &ctx.root;
    let api = Ctx::ident(&ctx.names.api_trait);
    let svc = ctx.svc;
    let mut decls = Vec::new();
    let mut impls = Vec::new();
    for op in &svc.operations {
        let names = &ctx.names.operations[&op.key];
        let method = Ctx::ident(&names.method);
        let stat = Ctx::ident(&names.static_name);
        let err = Ctx::ident(&names.error_enum);
        let input = ctx.io_type(&op.input);
        let output = ctx.io_type(&op.output);
        let doc = ctx.doc_attrs(op.doc.as_deref(), &method_notes(ctx, op));
        let doc = if doc.is_empty() {
            super::doc_lines(&format!("Calls `{}`.", op.key.replace('`', "")))
        } else {
            doc
        };
        let dep = deprecated_attr(&op.deprecated);
        decls.push(quote! {
            #doc
            #dep
            fn #method(&self, input: #input) -> impl ::std::future::Future<Output = #result<#output, #root::operations::#err>> + ::std::marker::Send;
        });
        // A plain function returning the runtime's named future: no
        // per-operation `async` state machine to type-check, borrow-check,
        // store in metadata and lay out. `#[inline]`: the wrapper (and the
        // runtime generics it instantiates) is compiled only where it is called.
        // An output event stream: the one piece of per-operation glue is
        // the function that stores the stream in the output's field.
        let stream_field = op.output.as_ref().and_then(|out| {
            let (i, _) = ctx.names.output_streams.get(out)?;
            Some(Ctx::ident(&ctx.names.members[out][*i]))
        });
        let call = match stream_field {
            Some(field) => quote! {
                self.inner.call_event_stream(&#root::operations::#stat, input, |output: &mut #output, stream| output.#field = stream)
            },
            None => quote!(self.inner.call_owned(&#root::operations::#stat, input)),
        };
        impls.push(quote! {
            #[inline]
            fn #method(&self, input: #input) -> impl ::std::future::Future<Output = #result<#output, #root::operations::#err>> + ::std::marker::Send {
                #call
            }
        });
    }
    // Only the model's text is escaped: the link is the generator's own Markdown.
    let trait_doc = format!(
        "Every operation of {} as an async method. [`Client`] implements it; \
         tests can implement it with canned responses.",
        crate::docs::escape_text(&svc.full_name)
    );
    let trait_doc = super::doc_lines(&crate::docs::sanitize(&trait_doc));
    // Paginator and waiter methods share `Client`'s namespace with its other methods.
    let mut scope = crate::naming::Scope::with_reserved(&["new", "inner", "clone"]);
    for names in ctx.names.operations.values() {
        scope.claim(names.method.clone());
    }
    let paginators = super::paginators::emit(ctx, &mut scope);
    let waiters = super::waiters::emit(ctx, &mut scope);
    vec![quote! {
        #trait_doc
        pub trait #api {
            #(#decls)*
        }

        /// A client for the service: cheap to clone, safe to share between tasks.
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: ::botogen_runtime::client::Client,
        }

        impl Client {
            /// A client with the given settings (region, endpoint, credentials, ...).
            pub fn new(config: ::botogen_runtime::client::Config) -> Self {
                Self { inner: ::botogen_runtime::client::Client::new(&#root::operations::SERVICE, config) }
            }

            /// The runtime client this client delegates to.
            pub fn inner(&self) -> &::botogen_runtime::client::Client {
                &self.inner
            }
        }

        impl #api for Client {
            #(#impls)*
        }

        #paginators
        #waiters
    }]
}

/// Notes appended to a method's docs: auto-filled members, pagination, waiters.
fn method_notes(ctx: &Ctx, op: &Operation) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(input) = &op.input
        && let ShapeKind::Structure(st) = &ctx.shape(input).kind
    {
        for m in st.members.iter().filter(|m| m.idempotency_token) {
            notes.push(format!(
                "`{}` is an idempotency token: when left empty it is filled with a fresh UUID.",
                m.name.replace('`', "")
            ));
        }
    }
    if let Some(p) = ctx.svc.paginators.get(&op.key) {
        let list = |v: &[String]| {
            v.iter()
                .map(|s| format!("`{}`", s.replace('`', "")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = format!(
            "Paginated: pass the output's {} back as the input's {} until it is empty.",
            list(&p.output_token),
            list(&p.input_token)
        );
        if !p.result_key.is_empty() {
            text.push_str(&format!(" Results are in {}.", list(&p.result_key)));
        }
        if let Some(limit) = &p.limit_key {
            text.push_str(&format!(" Page size: `{}`.", limit.replace('`', "")));
        }
        notes.push(text);
    }
    for (name, w) in ctx
        .svc
        .waiters
        .iter()
        .filter(|(_, w)| w.operation == op.key)
    {
        let mut text = format!("Waiter `{}`", name.replace('`', ""));
        if let (Some(d), Some(n)) = (w.delay, w.max_attempts) {
            text.push_str(&format!(" (every {d} s, at most {n} attempts)"));
        }
        if let Some(desc) = &w.description {
            text.push_str(": ");
            text.push_str(&crate::docs::escape_text(desc));
        } else {
            text.push('.');
        }
        notes.push(text);
    }
    notes
}
