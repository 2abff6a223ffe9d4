//! `operations`: the `SERVICE` static, the crate-level `Error` enum, one
//! `Operation` static per operation and each operation's error enum.

use super::{Ctx, opt_str};
use crate::endpoints::{Path, parse_path};
use crate::ir::{
    ContextSource, EndpointParamType, EndpointValue, Operation, ShapeKind, XmlNamespace,
};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(ctx: &Ctx) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if ctx.first_part() {
        out.push(quote!(
            use ::botogen_runtime::schema as rt;
        ));
        out.push(service(ctx));
        out.push(service_error_enum(ctx));
        out.extend(endpoint_rules(ctx));
    }
    let part = ctx.part.start..ctx.part.end.min(ctx.svc.operations.len());
    for op in ctx.svc.operations.get(part).unwrap_or_default() {
        let mut item = operation(ctx, op);
        item.extend(error_enum(ctx, op));
        out.push(item);
    }
    out
}

fn protocol(p: crate::ir::Protocol) -> TokenStream {
    use crate::ir::Protocol as P;
    match p {
        P::Json => quote!(rt::Protocol::Json),
        P::RestJson => quote!(rt::Protocol::RestJson),
        P::RestXml => quote!(rt::Protocol::RestXml),
        P::SmithyRpcV2Cbor => quote!(rt::Protocol::SmithyRpcV2Cbor),
        P::Query => quote!(rt::Protocol::Query),
        P::Ec2 => quote!(rt::Protocol::Ec2),
    }
}

fn service(ctx: &Ctx) -> TokenStream {
    let s = ctx.svc;
    let (id, api, jv, tp, ep, sn) = (
        &s.service_id,
        &s.api_version,
        &s.json_version,
        &s.target_prefix,
        &s.endpoint_prefix,
        &s.signing_name,
    );
    let proto = protocol(s.protocol);
    let protos = s.protocols.iter().map(|p| protocol(*p));
    let ge = opt_str(&s.global_endpoint);
    let xn = opt_str(&s.xml_namespace);
    let aqc = s.aws_query_compatible;
    let auth = &s.auth;
    let root = &ctx.root;
    let errors = ctx.names.service_errors.iter().map(|(shape, _)| {
        let id = ctx.static_ident(shape);
        quote!(&#root::shapes::#id)
    });
    let target_service = if s.target_prefix.is_empty() {
        s.service_id.replace(' ', "")
    } else {
        s.target_prefix.clone()
    };
    let doc = format!(
        "The {} service ({} API version {}).",
        s.full_name, s.service_id, s.api_version
    );
    let rules = if s.endpoint_rules.is_some() {
        quote!(Some(&ENDPOINT_RULES))
    } else {
        quote!(None)
    };
    quote! {
        #[doc = #doc]
        pub static SERVICE: rt::Service = rt::Service {
            service_id: #id,
            api_version: #api,
            protocol: #proto,
            protocols: &[#(#protos),*],
            json_version: #jv,
            target_prefix: #tp,
            endpoint_prefix: #ep,
            signing_name: #sn,
            global_endpoint: #ge,
            xml_namespace: #xn,
            aws_query_compatible: #aqc,
            auth: &[#(#auth),*],
            target_service: #target_service,
            errors: &[#(#errors),*],
            endpoint_rules: #rules,
        };
    }
}

/// The crate-level `Error`: every error shape of the service, so that a
/// caller can hold any operation's error in one type (`?` converts), and
/// so that an operation's `Unlisted` variant can hold a shape it does not
/// list.
fn service_error_enum(ctx: &Ctx) -> TokenStream {
    let ty = Ctx::ident(super::SERVICE_ERROR_ENUM);
    let (shapes, variants): (Vec<_>, Vec<_>) = ctx
        .names
        .service_errors
        .iter()
        .map(|(shape, variant)| (ctx.rust_type(shape), Ctx::ident(variant)))
        .unzip();
    let docs = ctx.names.service_errors.iter().map(|(shape, _)| {
        super::doc_lines(&format!(
            "The modeled `{}` error; its type describes when it occurs.",
            shape.replace('`', "")
        ))
    });
    let idx: Vec<_> = (0..variants.len())
        .map(proc_macro2::Literal::usize_unsuffixed)
        .collect();
    let doc = format!(
        "Any error of the {} service: every error shape of the model, then \
         `Unmodeled` and `Sdk`. Every operation's error converts into it \
         (`From`, so `?` works in a function returning this type); its \
         metadata (code, message, request ids, status) is available through \
         `ProvideErrorMetadata` whichever the variant.",
        ctx.svc.service_id
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        // Modeled errors are stored inline so callers can match on them directly.
        #[allow(clippy::large_enum_variant)]
        // Model updates add errors; callers' matches must not break then.
        #[non_exhaustive]
        pub enum #ty {
            #(#docs #variants(#shapes),)*
            /// An error whose code names no error shape of the service.
            Unmodeled(::botogen_runtime::UnmodeledError),
            /// The call failed before a service error could be read.
            Sdk(::botogen_runtime::SdkError),
        }

        ::botogen_runtime::service_error_impls!(#ty { #(#idx => #variants),* });
    }
}

/// The rule set as minified JSON without documentation (parsed once per process by the runtime;
/// `crate::endpoints::check` has already parsed it with the same parser)
/// and the client context parameters.
fn endpoint_rules(ctx: &Ctx) -> Option<TokenStream> {
    let s = ctx.svc;
    let rules = s.endpoint_rules.as_ref()?;
    let text = serde_json::to_string(&crate::endpoints::compact(rules)).unwrap_or_default();
    let params = s.client_context_params.iter().map(|p| {
        let name = &p.name;
        let ty = param_type(p.ty);
        quote!(rt::ClientContextParam { name: #name, ty: #ty })
    });
    Some(quote! {
        /// The service's endpoint rule set (`endpoint-rule-set-1.json`, minified) and client context parameters.
        pub static ENDPOINT_RULES: rt::EndpointRules = rt::EndpointRules {
            rule_set: rt::RuleSet::new(#text),
            client_context_params: &[#(#params),*],
        };
    })
}

fn param_type(t: EndpointParamType) -> TokenStream {
    match t {
        EndpointParamType::String => quote!(rt::ParamType::String),
        EndpointParamType::Boolean => quote!(rt::ParamType::Boolean),
        EndpointParamType::StringArray => quote!(rt::ParamType::StringArray),
    }
}

/// An operation's rule-set bindings as `rt::ContextParam`s.
/// `Some(&rt::HttpChecksum { .. })` with the members as input member
/// indices (`ir::check_http_checksums` made sure they exist).
fn http_checksum(ctx: &Ctx, op: &Operation) -> TokenStream {
    let Some(c) = &op.http_checksum else {
        return quote!(None);
    };
    let members = match op.input.as_ref().map(|i| &ctx.shape(i).kind) {
        Some(ShapeKind::Structure(st)) => st.members.as_slice(),
        _ => &[],
    };
    let index = |name: &Option<String>| match name
        .as_ref()
        .and_then(|n| members.iter().position(|m| &m.name == n))
    {
        Some(i) => {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(Some(#i))
        }
        None => quote!(None),
    };
    let required = c.request_checksum_required;
    let algorithm = index(&c.request_algorithm_member);
    let mode = index(&c.request_validation_mode_member);
    let responses = &c.response_algorithms;
    quote! {
        Some(&rt::HttpChecksum {
            request_checksum_required: #required,
            request_algorithm_member: #algorithm,
            request_validation_mode_member: #mode,
            response_algorithms: &[#(#responses),*],
        })
    }
}

fn context_params(ctx: &Ctx, op: &Operation) -> TokenStream {
    let input = op.input.as_ref().map(|i| ctx.shape(i));
    let items = op.context_params.iter().filter_map(|cp| {
        let name = &cp.name;
        let source = match &cp.source {
            ContextSource::Static(EndpointValue::Bool(b)) => {
                quote!(rt::ContextSource::Static(rt::StaticValue::Bool(#b)))
            }
            ContextSource::Static(EndpointValue::Str(v)) => {
                quote!(rt::ContextSource::Static(rt::StaticValue::Str(#v)))
            }
            ContextSource::Static(EndpointValue::StrList(v)) => {
                quote!(rt::ContextSource::Static(rt::StaticValue::StrList(&[#(#v),*])))
            }
            ContextSource::Member(m) => {
                let members = match input.map(|s| &s.kind) {
                    Some(ShapeKind::Structure(st)) => &st.members,
                    _ => return None,
                };
                let i = members.iter().position(|x| &x.name == m)?;
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(rt::ContextSource::Member(#i))
            }
            // `endpoints::check` parsed every path already.
            ContextSource::Path(text) => {
                let path = path_tokens(&parse_path(text).ok()?);
                quote!(rt::ContextSource::Path(&#path))
            }
        };
        Some(quote!(rt::ContextParam { name: #name, source: #source }))
    });
    quote!(&[#(#items),*])
}

fn path_tokens(p: &Path) -> TokenStream {
    match p {
        Path::Identity => quote!(rt::PathExpr::Identity),
        Path::Field(name) => quote!(rt::PathExpr::Field(#name)),
        Path::Sub(a, b) => {
            let (a, b) = (path_tokens(a), path_tokens(b));
            quote!(rt::PathExpr::Sub(&#a, &#b))
        }
        Path::Project(a, b) => {
            let (a, b) = (path_tokens(a), path_tokens(b));
            quote!(rt::PathExpr::Project(&#a, &#b))
        }
        Path::Flatten(a, b) => {
            let (a, b) = (path_tokens(a), path_tokens(b));
            quote!(rt::PathExpr::Flatten(&#a, &#b))
        }
        Path::MultiSelect(items) => {
            let items = items.iter().map(path_tokens);
            quote!(rt::PathExpr::MultiSelect(&[#(#items),*]))
        }
        Path::Keys(a) => {
            let a = path_tokens(a);
            quote!(rt::PathExpr::Keys(&#a))
        }
    }
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

fn shape_ref(ctx: &Ctx, shape: &Option<String>) -> TokenStream {
    match shape {
        Some(s) => {
            let id = ctx.static_ident(s);
            let root = &ctx.root;
            quote!(&#root::shapes::#id)
        }
        None => quote!(&::botogen_runtime::value::UNIT_SHAPE),
    }
}

fn operation(ctx: &Ctx, op: &Operation) -> TokenStream {
    let names = &ctx.names.operations[&op.key];
    let id = Ctx::ident(&names.static_name);
    let root = &ctx.root;
    let (wire, method, uri, code) = (
        &op.wire_name,
        &op.http_method,
        &op.request_uri,
        op.response_code,
    );
    let input = shape_ref(ctx, &op.input);
    let output = shape_ref(ctx, &op.output);
    let iln = opt_str(&op.input_location_name);
    let ixn = xml_ns(&op.input_xml_namespace);
    let rw = opt_str(&op.result_wrapper);
    let errors = op.errors.iter().map(|e| {
        let id = ctx.static_ident(e);
        quote!(&#root::shapes::#id)
    });
    let (idem, ro, cr, es, dep) = (
        op.idempotent,
        op.readonly,
        op.checksum_required,
        op.event_stream,
        op.deprecated.is_some(),
    );
    let hp = opt_str(&op.host_prefix);
    let auth = &op.auth;
    let rc = &op.request_compression;
    let doc = format!("The `{}` operation.", op.key.replace('`', ""));
    let cps = context_params(ctx, op);
    let hc = http_checksum(ctx, op);
    quote! {
        #[doc = #doc]
        pub static #id: rt::Operation = rt::Operation {
            name: #wire,
            http_method: #method,
            request_uri: #uri,
            response_code: #code,
            input: #input,
            output: #output,
            input_location_name: #iln,
            input_xml_namespace: #ixn,
            result_wrapper: #rw,
            errors: &[#(#errors),*],
            idempotent: #idem,
            readonly: #ro,
            host_prefix: #hp,
            auth: &[#(#auth),*],
            checksum_required: #cr,
            http_checksum: #hc,
            request_compression: &[#(#rc),*],
            event_stream: #es,
            deprecated: #dep,
            context_params: #cps,
        };
    }
}

fn error_enum(ctx: &Ctx, op: &Operation) -> TokenStream {
    let names = &ctx.names.operations[&op.key];
    let ty = Ctx::ident(&names.error_enum);
    let variants: Vec<_> = names.error_variants.iter().map(|v| Ctx::ident(v)).collect();
    let types: Vec<_> = op.errors.iter().map(|e| ctx.rust_type(e)).collect();
    // Each listed error's variant in the crate-level enum (names are
    // decided per scope, so they can differ when model names collide).
    // (`ir` makes every listed error an error structure, so each is found.)
    let service_variants: Vec<_> = op
        .errors
        .iter()
        .zip(&names.error_variants)
        .map(|(e, own)| {
            let found = ctx
                .names
                .service_errors
                .iter()
                .find(|(shape, _)| shape == e);
            Ctx::ident(found.map_or(own, |(_, v)| v))
        })
        .collect();
    // The error's description lives on its type (which the variant links
    // to); repeating it on every operation that can return it would copy
    // the same text dozens of times.
    let docs = op.errors.iter().map(|e| {
        super::doc_lines(&format!(
            "The modeled `{}` error; its type describes when it occurs.",
            e.replace('`', "")
        ))
    });
    let idx: Vec<_> = (0..variants.len())
        .map(proc_macro2::Literal::usize_unsuffixed)
        .collect();
    let doc = format!("Errors of the `{}` operation.", op.key.replace('`', ""));
    // Defined in this module; no other item here takes the name.
    let service = Ctx::ident(super::SERVICE_ERROR_ENUM);
    let boxed = &ctx.std.boxed;
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        // Modeled errors are stored inline so callers can match on them directly.
        #[allow(clippy::large_enum_variant)]
        // Model updates add errors to operations; callers' matches must not break then.
        #[non_exhaustive]
        pub enum #ty {
            #(#docs #variants(#types),)*
            /// An error shape of the service that this operation does not
            /// list (always one of the modeled variants).
            Unlisted(#boxed<#service>),
            /// An error whose code names no error shape of the service.
            Unmodeled(::botogen_runtime::UnmodeledError),
            /// The call failed before a service error could be read.
            Sdk(::botogen_runtime::SdkError),
        }

        ::botogen_runtime::operation_error_impls!(
            #ty, #service, { #(#idx => #variants => #service_variants),* }
        );
    }
}
