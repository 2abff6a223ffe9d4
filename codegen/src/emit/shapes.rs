//! `shapes`: one `static Shape` per shape, patterns as separate statics.

use super::{Ctx, numbered, opt_str};
use crate::ir::{Location, Member, Shape, ShapeKind, TimestampFormat, XmlNamespace};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

pub fn emit(ctx: &Ctx) -> Vec<TokenStream> {
    let pattern_index: BTreeMap<&str, usize> = ctx
        .svc
        .patterns
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let mut out = Vec::new();
    if ctx.first_part() {
        out.push(quote!(
            use ::botogen_runtime::schema as rt;
        ));
    }
    for (name, shape) in ctx.part_shapes() {
        out.push(shape_static(ctx, name, shape, &pattern_index));
    }
    let pats = ctx.svc.patterns.iter().enumerate().map(|(i, p)| {
        let id = numbered("P", i);
        quote!(pub static #id: rt::Pattern = rt::Pattern::new(#p);)
    });
    if ctx.svc.patterns.is_empty() || !ctx.last_part(ctx.svc.shapes.len()) {
        return out;
    }
    out.push(quote! {
        /// The model's regular expressions, shared by the shapes that use them.
        pub mod patterns {
            use ::botogen_runtime::schema as rt;
            #(#pats)*
        }
    });
    out
}

fn xml_ns(ns: &Option<XmlNamespace>) -> TokenStream {
    match ns {
        None => quote!(None),
        Some(n) => {
            let uri = &n.uri;
            let prefix = opt_str(&n.prefix);
            quote!(Some(rt::XmlNamespace { uri: #uri, prefix: #prefix }))
        }
    }
}

fn ts_format(f: Option<TimestampFormat>) -> TokenStream {
    match f {
        None => quote!(None),
        Some(TimestampFormat::Iso8601) => quote!(Some(rt::TimestampFormat::Iso8601)),
        Some(TimestampFormat::Rfc822) => quote!(Some(rt::TimestampFormat::Rfc822)),
        Some(TimestampFormat::UnixTimestamp) => {
            quote!(Some(rt::TimestampFormat::UnixTimestamp))
        }
    }
}

fn float(v: f64) -> TokenStream {
    let lit = Literal::f64_suffixed(v);
    quote!(Some(#lit))
}

/// A `Member` expression listing only the traits that differ from `Member::new`.
fn member(ctx: &Ctx, m: &Member) -> TokenStream {
    let name = &m.name;
    let target = ctx.static_ident(&m.target);
    let mut fields = Vec::new();
    let loc = match m.location {
        Location::Body => None,
        Location::Uri => Some(quote!(Uri)),
        Location::QueryString => Some(quote!(QueryString)),
        Location::Header => Some(quote!(Header)),
        Location::Headers => Some(quote!(Headers)),
        Location::StatusCode => Some(quote!(StatusCode)),
    };
    if let Some(l) = loc {
        fields.push(quote!(location: rt::Location::#l));
    }
    if m.location_name.is_some() {
        let v = opt_str(&m.location_name);
        fields.push(quote!(location_name: #v));
    }
    if m.query_name.is_some() {
        let v = opt_str(&m.query_name);
        fields.push(quote!(query_name: #v));
    }
    if m.xml_namespace.is_some() {
        let v = xml_ns(&m.xml_namespace);
        fields.push(quote!(xml_namespace: #v));
    }
    if m.timestamp_format.is_some() {
        let v = ts_format(m.timestamp_format);
        fields.push(quote!(timestamp_format: #v));
    }
    for (flag, field) in [
        (m.flattened, quote!(flattened)),
        (m.xml_attribute, quote!(xml_attribute)),
        (m.json_value, quote!(json_value)),
        (m.idempotency_token, quote!(idempotency_token)),
        (m.host_label, quote!(host_label)),
        (m.event_payload, quote!(event_payload)),
        (m.required, quote!(required)),
        (m.deprecated.is_some(), quote!(deprecated)),
    ] {
        if flag {
            fields.push(quote!(#field: true));
        }
    }
    if fields.is_empty() {
        quote!(rt::Member::new(#name, &#target))
    } else {
        quote!(rt::Member { #(#fields,)* ..rt::Member::new(#name, &#target) })
    }
}

fn shape_static(
    ctx: &Ctx,
    name: &str,
    shape: &Shape,
    patterns: &BTreeMap<&str, usize>,
) -> TokenStream {
    let id = ctx.static_ident(name);
    let kind = match &shape.kind {
        ShapeKind::Boolean => quote!(Boolean),
        ShapeKind::Integer if !shape.int_enum.is_empty() => quote!(IntEnum),
        ShapeKind::Integer => quote!(Integer),
        ShapeKind::Long => quote!(Long),
        ShapeKind::Float => quote!(Float),
        ShapeKind::Double => quote!(Double),
        ShapeKind::String => quote!(String),
        ShapeKind::Blob => quote!(Blob),
        ShapeKind::Timestamp => quote!(Timestamp),
        ShapeKind::Document => quote!(Document),
        ShapeKind::Structure(st) | ShapeKind::Union(st) => {
            let members = st.members.iter().map(|m| member(ctx, m));
            let payload = match st.payload {
                Some(i) => quote!(Some(#i)),
                None => quote!(None),
            };
            let body = quote!(&rt::StructShape { members: &[#(#members),*], payload: #payload });
            if matches!(shape.kind, ShapeKind::Union(_)) {
                quote!(Union(#body))
            } else {
                quote!(Structure(#body))
            }
        }
        ShapeKind::List(l) => {
            let m = member(ctx, &l.member);
            let sparse = l.sparse;
            quote!(List(&rt::ListShape { member: #m, sparse: #sparse }))
        }
        ShapeKind::Map(mp) => {
            let k = member(ctx, &mp.key);
            let v = member(ctx, &mp.value);
            let sparse = mp.sparse;
            quote!(Map(&rt::MapShape { key: #k, value: #v, sparse: #sparse }))
        }
    };
    let mut fields = Vec::new();
    let mut constraints = Vec::new();
    if let Some(min) = shape.min {
        let v = float(min);
        constraints.push(quote!(min: #v));
    }
    if let Some(max) = shape.max {
        let v = float(max);
        constraints.push(quote!(max: #v));
    }
    if let Some(p) = &shape.pattern {
        let pid = numbered("P", patterns[p.as_str()]);
        constraints.push(quote!(pattern: Some(&patterns::#pid)));
    }
    if !shape.enum_values.is_empty() {
        let vals = &shape.enum_values;
        constraints.push(quote!(enum_values: &[#(#vals),*]));
    }
    if !shape.int_enum.is_empty() {
        let vals = shape.int_enum.iter().map(|(_, v)| *v);
        constraints.push(quote!(int_enum_values: &[#(#vals),*]));
    }
    if !constraints.is_empty() {
        fields.push(
            quote!(constraints: rt::Constraints { #(#constraints,)* ..rt::Constraints::NONE }),
        );
    }
    if shape.location_name.is_some() {
        let v = opt_str(&shape.location_name);
        fields.push(quote!(location_name: #v));
    }
    if shape.xml_namespace.is_some() {
        let v = xml_ns(&shape.xml_namespace);
        fields.push(quote!(xml_namespace: #v));
    }
    if shape.timestamp_format.is_some() {
        let v = ts_format(shape.timestamp_format);
        fields.push(quote!(timestamp_format: #v));
    }
    for (flag, field) in [
        (shape.flattened, quote!(flattened)),
        (shape.sensitive, quote!(sensitive)),
        (shape.streaming, quote!(streaming)),
        (shape.event_stream, quote!(event_stream)),
        (shape.requires_length, quote!(requires_length)),
    ] {
        if flag {
            fields.push(quote!(#field: true));
        }
    }
    if let Some(e) = &shape.error {
        let code = e.code.clone().unwrap_or_else(|| name.to_string());
        let status = match e.http_status {
            Some(s) => quote!(Some(#s)),
            None => quote!(None),
        };
        let (sender, retryable, throttling) = (e.sender_fault, e.retryable, e.throttling);
        fields.push(quote!(error: Some(rt::ErrorInfo {
            code: #code, http_status: #status, sender_fault: #sender, retryable: #retryable, throttling: #throttling
        })));
    }
    let new = quote!(rt::Shape::new(#name, rt::ShapeKind::#kind));
    if fields.is_empty() {
        quote!(pub static #id: rt::Shape = #new;)
    } else {
        quote!(pub static #id: rt::Shape = rt::Shape { #(#fields,)* ..#new };)
    }
}
