//! `types`: structures, unions, string enums and error types.

use super::{Ctx, deprecated_attr};
use crate::ir::{Member, Shape, ShapeKind, StructShape};
use proc_macro2::TokenStream;
use quote::quote;

const SERDE: &str = "serde";

/// Every type of the service, in shape-name order.
pub fn emit(ctx: &Ctx) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if ctx.first_part() {
        // The impl macros name each type's static as `shapes::NAME`.
        let root = &ctx.root;
        out.push(quote!(use #root::shapes;));
    }
    for (name, shape) in ctx.part_shapes() {
        match &shape.kind {
            ShapeKind::Structure(st) => out.push(structure(ctx, name, shape, st)),
            ShapeKind::Union(st) => out.push(union(ctx, name, shape, st)),
            ShapeKind::String if !shape.enum_values.is_empty() => {
                out.push(string_enum(ctx, name, shape))
            }
            _ => {}
        }
    }
    out
}

fn serde_derive(ctx: &Ctx) -> TokenStream {
    if !ctx.serde {
        return TokenStream::new();
    }
    quote!(#[cfg_attr(feature = #SERDE, derive(::serde::Serialize, ::serde::Deserialize))])
}

fn member_doc(ctx: &Ctx, m: &Member, union: bool) -> TokenStream {
    let mut extra = Vec::new();
    if m.required && !union {
        extra.push("Required.".to_string());
    }
    if let Some(d) = &m.default_value {
        extra.push(format!("The service's default: `{}`.", d.replace('`', "'")));
    }
    let target = ctx.shape(&m.target);
    if !target.int_enum.is_empty() {
        let values: Vec<String> = target
            .int_enum
            .iter()
            .map(|(n, v)| format!("`{v}` ({})", crate::docs::escape_text(n)))
            .collect();
        extra.push(format!("Values: {}.", values.join(", ")));
    }
    if m.idempotency_token {
        extra.push("Idempotency token: filled with a fresh UUID when left empty.".to_string());
    }
    let target_doc = ctx.shape(&m.target).doc.as_deref();
    // Member docs usually restate the shape; fall back to the shape's text when missing.
    let html = m
        .doc
        .as_deref()
        .or(if ctx.shape(&m.target).kind_is_named() {
            None
        } else {
            target_doc
        });
    let docs = ctx.doc_attrs(html, &extra);
    if docs.is_empty() {
        let text = format!("`{}` member.", m.name.replace('`', ""));
        super::doc_lines(&text)
    } else {
        docs
    }
}

trait NamedKind {
    fn kind_is_named(&self) -> bool;
}

impl NamedKind for Shape {
    /// Named types carry their own docs; repeating them on fields would bloat the crate.
    fn kind_is_named(&self) -> bool {
        super::has_type(self)
    }
}

fn shape_doc(ctx: &Ctx, name: &str, shape: &Shape) -> TokenStream {
    let docs = ctx.doc_attrs(shape.doc.as_deref(), &[]);
    if docs.is_empty() {
        super::doc_lines(&format!("The `{}` shape.", name.replace('`', "")))
    } else {
        docs
    }
}

/// Field type: required members are plain values, others `Option`; recursive ones `Option<Box<_>>`.
fn field_type(ctx: &Ctx, m: &Member) -> TokenStream {
    let crate::emit::Std { option, boxed, .. } = ctx.std.clone();
    let t = ctx.rust_type(&m.target);
    if m.boxed {
        // A recursive member stays `Option<Box<_>>` even when required, so a
        // blank value terminates; `new()` still demands it.
        quote!(#option<#boxed<#t>>)
    } else if m.required {
        t
    } else {
        quote!(#option<#t>)
    }
}

/// An operation output's event-stream member: the runtime's typed stream
/// of the event type, with the operation's error enum for its exceptions.
fn event_stream_field(ctx: &Ctx, name: &str, index: usize, m: &Member) -> Option<TokenStream> {
    let (i, err) = ctx.names.output_streams.get(name)?;
    if index != *i {
        return None;
    }
    let root = &ctx.root;
    let event = ctx.rust_type(&m.target);
    let err = Ctx::ident(err);
    Some(quote!(::botogen_runtime::event_stream::EventStream<#event, #root::operations::#err>))
}

fn structure(ctx: &Ctx, name: &str, shape: &Shape, st: &StructShape) -> TokenStream {
    let crate::emit::Std { result, .. } = ctx.std.clone();
    let ty = ctx.type_ident(name);
    let fields: Vec<_> = ctx.names.members[name]
        .iter()
        .map(|f| Ctx::ident(f))
        .collect();
    let error = super::is_error(shape);
    let redact_all = shape.sensitive;
    let sensitive: Vec<bool> = st
        .members
        .iter()
        .map(|m| redact_all || ctx.sensitive(&m.target))
        .collect();
    let manual_debug = sensitive.iter().any(|s| *s);
    // A structure with required members has no `Default`: callers build it
    // with `new(required...)`, so a forgotten required member does not compile.
    // One holding a `ByteStream` is neither `Clone` nor `PartialEq` (a
    // stream can be read once).
    // An output's event stream is set by the client, never by `new`.
    let stream = ctx.names.output_streams.get(name).map(|(i, _)| *i);
    let has_required = st
        .members
        .iter()
        .enumerate()
        .any(|(i, m)| m.required && Some(i) != stream);
    let mut derives = if ctx.names.holds_stream.contains(name) {
        Vec::new()
    } else {
        vec![quote!(Clone), quote!(PartialEq)]
    };
    if !has_required {
        derives.insert(derives.len().min(1), quote!(Default));
    }
    if !manual_debug {
        derives.insert(0, quote!(Debug));
    }
    let mut defs: Vec<TokenStream> = st
        .members
        .iter()
        .zip(&fields)
        .enumerate()
        .map(|(index, (m, f))| {
            let doc = member_doc(ctx, m, false);
            let dep = deprecated_attr(&m.deprecated);
            if let Some(t) = event_stream_field(ctx, name, index, m) {
                let skip = if ctx.serde {
                    quote!(#[cfg_attr(feature = #SERDE, serde(skip))])
                } else {
                    TokenStream::new()
                };
                return quote!(#doc #dep #skip pub #f: #t,);
            }
            let t = field_type(ctx, m);
            quote!(#doc #dep pub #f: #t,)
        })
        .collect();
    let meta = Ctx::ident(super::ERROR_META_FIELD);
    if error {
        let skip = if ctx.serde {
            quote!(#[cfg_attr(feature = #SERDE, serde(skip))])
        } else {
            TokenStream::new()
        };
        defs.push(quote! {
            /// The code, message, request ids and HTTP status of the response
            /// this error came from (empty for a value built in code).
            #skip
            pub #meta: ::botogen_runtime::ErrorMetadata,
        });
    }
    let derive_attr = if derives.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[derive(#(#derives),*)])
    };
    let doc = shape_doc(ctx, name, shape);
    let dep = deprecated_attr(&shape.deprecated);
    let serde = serde_derive(ctx);
    let stat = ctx.static_ident(name);
    let idx: Vec<_> = (0..fields.len())
        .map(proc_macro2::Literal::usize_unsuffixed)
        .collect();
    // Error structures get `Display`, `std::error::Error` and the metadata
    // accessors from the same macro.
    let impls = if error {
        quote!(::botogen_runtime::impl_error!(#ty, shapes::#stat, { #(#idx => #fields),* });)
    } else {
        quote!(::botogen_runtime::impl_struct!(#ty, shapes::#stat, { #(#idx => #fields),* });)
    };
    let mut out = quote! {
        #doc
        #dep
        #derive_attr
        #serde
        pub struct #ty { #(#defs)* }

        #impls
    };
    if manual_debug {
        let label = name.to_string();
        let body = if redact_all {
            quote!(f.write_str("*** Sensitive Data Redacted ***"))
        } else {
            let entries = st
                .members
                .iter()
                .zip(&fields)
                .zip(&sensitive)
                .map(|((m, f), s)| {
                    let n = m.name.as_str();
                    if *s {
                        quote!(.field(#n, &"*** Sensitive Data Redacted ***"))
                    } else {
                        quote!(.field(#n, &self.#f))
                    }
                });
            // The metadata's message repeats what may be a sensitive member.
            let finish = if error {
                quote!(.finish_non_exhaustive())
            } else {
                quote!(.finish())
            };
            quote!(f.debug_struct(#label) #(#entries)* #finish)
        };
        out.extend(quote! {
            impl ::std::fmt::Debug for #ty {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { #body }
            }
        });
    }
    let mut methods = Vec::new();
    if has_required {
        methods.push(constructor(ctx, name, st, &fields, error));
    }
    if ctx.inputs.contains(name) {
        methods.push(quote! {
            /// Checks this input against the model's constraints (lengths, ranges, patterns, enums, required members).
            pub fn validate(&self) -> #result<(), ::botogen_runtime::validate::ValidationErrors> {
                ::botogen_runtime::validate::validate(self)
            }
        });
    }
    if !methods.is_empty() {
        out.extend(quote! {
            impl #ty {
                #(#methods)*
            }
        });
    }
    out
}

/// `new(required...)`: the required members in model order; optional
/// members start unset (the rest of the value comes from `Blank`). Inline
/// and mostly generic, so it is compiled only where it is called.
fn constructor(
    ctx: &Ctx,
    name: &str,
    st: &StructShape,
    fields: &[proc_macro2::Ident],
    error: bool,
) -> TokenStream {
    let crate::emit::Std {
        some, boxed, into, ..
    } = ctx.std.clone();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let stream = ctx.names.output_streams.get(name).map(|(i, _)| *i);
    for (_, (m, f)) in st
        .members
        .iter()
        .zip(fields)
        .enumerate()
        .filter(|(i, (m, _))| m.required && Some(*i) != stream)
    {
        let t = ctx.rust_type(&m.target);
        // `impl Into` where conversions are the point (`&str` → `String` or
        // an enum, bytes → `Blob`); other types are taken as they are, so
        // `iter.collect()` and integer literals still infer.
        let converts = matches!(
            ctx.shape(&m.target).kind,
            ShapeKind::String | ShapeKind::Blob
        );
        let (param, value) = if converts {
            (quote!(impl #into<#t>), quote!(#f.into()))
        } else {
            (t, quote!(#f))
        };
        params.push(quote!(#f: #param));
        inits.push(if m.boxed {
            quote!(#f: #some(#boxed::new(#value)),)
        } else if converts {
            quote!(#f: #value,)
        } else {
            quote!(#f,)
        });
    }
    // An error structure's metadata starts blank too.
    let rest = if params.len() < st.members.len() || error {
        quote!(..::botogen_runtime::Blank::blank())
    } else {
        TokenStream::new()
    };
    let ty = name.replace('`', "");
    let doc = super::doc_lines(&format!(
        "Takes the required members; set optional ones with \
         `{ty} {{ member: Some(..), ..{ty}::new(..) }}`."
    ));
    // Long parameter lists are the model's: one argument per required member.
    let allow = if params.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        TokenStream::new()
    };
    quote! {
        #doc
        #allow
        #[must_use]
        #[inline]
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits)* #rest }
        }
    }
}

fn union(ctx: &Ctx, name: &str, shape: &Shape, st: &StructShape) -> TokenStream {
    let crate::emit::Std { string, boxed, .. } = ctx.std.clone();
    let ty = ctx.type_ident(name);
    let variants: Vec<_> = ctx.names.members[name]
        .iter()
        .map(|v| Ctx::ident(v))
        .collect();
    let manual_debug = shape.sensitive || st.members.iter().any(|m| ctx.sensitive(&m.target));
    let mut derives = if ctx.names.holds_stream.contains(name) {
        Vec::new()
    } else {
        vec![quote!(Clone), quote!(PartialEq)]
    };
    if !manual_debug {
        derives.insert(0, quote!(Debug));
    }
    let defs = st.members.iter().zip(&variants).map(|(m, v)| {
        let doc = member_doc(ctx, m, true);
        let dep = deprecated_attr(&m.deprecated);
        let t = ctx.rust_type(&m.target);
        let t = if m.boxed { quote!(#boxed<#t>) } else { t };
        quote!(#doc #dep #v(#t),)
    });
    let derive_attr = if derives.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[derive(#(#derives),*)])
    };
    let doc = shape_doc(ctx, name, shape);
    let dep = deprecated_attr(&shape.deprecated);
    let serde = serde_derive(ctx);
    let stat = ctx.static_ident(name);
    let idx: Vec<_> = (0..variants.len())
        .map(proc_macro2::Literal::usize_unsuffixed)
        .collect();
    let mut out = quote! {
        #doc
        #dep
        #derive_attr
        #serde
        // Variants hold their members inline; boxing all of them would cost every user an allocation.
        #[allow(clippy::large_enum_variant)]
        // Model updates add members; callers' matches must not break then.
        #[non_exhaustive]
        pub enum #ty {
            #(#defs)*
            /// A member this version of the model does not know (its name), or no member set yet.
            Unknown(#string),
        }

        ::botogen_runtime::impl_union!(#ty, shapes::#stat, { #(#idx => #variants),* });
    };
    if manual_debug {
        let label = name.to_string();
        out.extend(quote! {
            impl ::std::fmt::Debug for #ty {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        Self::Unknown(n) => f.debug_tuple(#label).field(n).finish(),
                        _ => f.write_str("*** Sensitive Data Redacted ***"),
                    }
                }
            }
        });
    }
    out
}

fn string_enum(ctx: &Ctx, name: &str, shape: &Shape) -> TokenStream {
    let crate::emit::Std { string, .. } = ctx.std.clone();
    let ty = ctx.type_ident(name);
    let variants: Vec<_> = ctx.names.enum_variants[name]
        .iter()
        .map(|v| Ctx::ident(v))
        .collect();
    let values = &shape.enum_values;
    let docs = values
        .iter()
        .map(|v| super::doc_lines(&format!("`{}`", v.replace('`', "'"))));
    let doc = shape_doc(ctx, name, shape);
    let dep = deprecated_attr(&shape.deprecated);
    let debug = if shape.sensitive {
        quote! {
            impl ::std::fmt::Debug for #ty {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("*** Sensitive Data Redacted ***")
                }
            }
        }
    } else {
        TokenStream::new()
    };
    let derive_debug = if shape.sensitive {
        TokenStream::new()
    } else {
        quote!(Debug,)
    };
    let serde = if ctx.serde {
        quote! {
            #[cfg_attr(feature = #SERDE, derive(::serde::Serialize, ::serde::Deserialize))]
            #[cfg_attr(feature = #SERDE, serde(from = "::std::string::String", into = "::std::string::String"))]
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #doc
        #dep
        #[derive(#derive_debug Clone, PartialEq, Eq, Hash)]
        #serde
        // Model updates add values; callers' matches must not break then.
        #[non_exhaustive]
        pub enum #ty {
            #(#docs #variants,)*
            /// A value this version of the model does not know.
            Unknown(#string),
        }

        ::botogen_runtime::string_enum_impls!(#ty { #(#variants = #values),* });

        #debug
    }
}
