//! IR → token streams. One submodule per generated file: [`types`],
//! [`shapes`], [`operations`], [`client`] (with [`paginators`] and [`waiters`]).
//!
//! Model text reaches the tokens only as literals (`quote` escapes them);
//! identifiers come only from [`crate::naming`] through [`Names`]. Paths to
//! the generated crate's own items start at a configurable root (`crate` for
//! a crate, `super` or a full path for a module inside another crate).

pub mod client;
pub mod example;
pub mod operations;
pub mod paginators;
pub mod shapes;
pub mod types;
pub mod waiters;

use crate::docs::DocConverter;
use crate::ir::{self, Deprecation, Shape, ShapeKind};
use crate::naming::{self, Scope};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// Every identifier the generated code defines, decided once.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Shape → Rust type name (structures, unions, string enums).
    pub types: BTreeMap<String, String>,
    /// Shape → `static` name in `shapes`.
    pub statics: BTreeMap<String, String>,
    /// Structure/union shape → field (or variant) names, in member order.
    pub members: BTreeMap<String, Vec<String>>,
    /// String enum shape → variant names, in value order.
    pub enum_variants: BTreeMap<String, Vec<String>>,
    /// Operation key → names.
    pub operations: BTreeMap<String, OperationNames>,
    /// The service trait in `client`.
    pub api_trait: String,
    /// Every error shape of the service (shape-name order: the order of
    /// `Service::errors`) with its variant in the crate-level `Error` enum.
    pub service_errors: Vec<(String, String)>,
    /// Structures and unions that hold a `ByteStream` (directly or through
    /// members): a stream can be read once, so they are neither `Clone`
    /// nor `PartialEq`.
    pub holds_stream: BTreeSet<String>,
    /// Output structure → (index of its event-stream member, the error enum
    /// of the operation returning it): that field is the runtime's
    /// `EventStream<Event, OpError>`, set by the operation's client method.
    pub output_streams: BTreeMap<String, (usize, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct OperationNames {
    pub method: String,
    pub static_name: String,
    pub error_enum: String,
    /// Variant per modeled error, in `Operation::errors` order.
    pub error_variants: Vec<String>,
}

/// The field of every error structure that holds its `ErrorMetadata`
/// (the runtime's `impl_error!` names it).
pub const ERROR_META_FIELD: &str = "meta";

/// The crate-level enum of every error of the service (in `operations`,
/// re-exported from the crate root).
pub const SERVICE_ERROR_ENUM: &str = "Error";

/// Whether a shape is an error structure: it gets `meta`, `Display`,
/// `std::error::Error` and a variant in the crate-level `Error` enum.
pub fn is_error(shape: &Shape) -> bool {
    shape.error.is_some() && matches!(shape.kind, ShapeKind::Structure(_))
}

/// Whether a shape becomes a named Rust type in `types`.
pub fn has_type(shape: &Shape) -> bool {
    match shape.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => true,
        ShapeKind::String => !shape.enum_values.is_empty(),
        _ => false,
    }
}

impl Names {
    /// Decides every name for `svc` (deterministic: sorted inputs, fixed order).
    pub fn new(svc: &ir::Service) -> Names {
        let mut n = Names::default();
        let mut types = Scope::camel(&[]);
        let mut statics = Scope::default();
        for (name, shape) in &svc.shapes {
            if has_type(shape) {
                n.types
                    .insert(name.clone(), types.claim(naming::type_name(name)));
            }
            n.statics
                .insert(name.clone(), statics.claim(naming::screaming(name)));
            match &shape.kind {
                ShapeKind::Structure(st) => {
                    // Error structures also hold their response's metadata.
                    let mut fields = if is_error(shape) {
                        Scope::with_reserved(&[ERROR_META_FIELD])
                    } else {
                        Scope::default()
                    };
                    let names = st
                        .members
                        .iter()
                        .map(|m| fields.claim(naming::snake(&m.name)))
                        .collect();
                    n.members.insert(name.clone(), names);
                }
                ShapeKind::Union(st) => {
                    let names = naming::variants(st.members.iter().map(|m| m.name.as_str()));
                    n.members.insert(name.clone(), names);
                }
                ShapeKind::String if !shape.enum_values.is_empty() => {
                    // Smithy enums name their values; botocore's are named after the values.
                    let names = if shape.enum_names.len() == shape.enum_values.len() {
                        naming::variants(shape.enum_names.iter().map(String::as_str))
                    } else {
                        naming::variants(shape.enum_values.iter().map(String::as_str))
                    };
                    n.enum_variants.insert(name.clone(), names);
                }
                _ => {}
            }
        }
        // `new` and `inner` are inherent items of `Client`.
        let mut methods = Scope::with_reserved(&["new", "inner"]);
        let mut op_statics = Scope::with_reserved(&["SERVICE", "REGISTRY", "ENDPOINT_RULES"]);
        let mut enums = Scope::camel(&[SERVICE_ERROR_ENUM]);
        for op in &svc.operations {
            let mut variants = Scope::camel(&["Unlisted", "Unmodeled", "Sdk"]);
            n.operations.insert(
                op.key.clone(),
                OperationNames {
                    method: methods.claim(naming::snake(&op.key)),
                    static_name: op_statics.claim(naming::screaming(&op.key)),
                    error_enum: enums.claim(format!(
                        "{}Error",
                        naming::type_name(&op.key).trim_end_matches('_')
                    )),
                    error_variants: op
                        .errors
                        .iter()
                        .map(|e| variants.claim(naming::variant(e)))
                        .collect(),
                },
            );
        }
        let mut service_variants = Scope::camel(&["Unmodeled", "Sdk"]);
        n.service_errors = svc
            .shapes
            .iter()
            .filter(|(_, shape)| is_error(shape))
            .map(|(name, _)| (name.clone(), service_variants.claim(naming::variant(name))))
            .collect();
        n.holds_stream = holds_stream(svc);
        for op in &svc.operations {
            let Some(out) = &op.output else { continue };
            let Some(ShapeKind::Structure(st)) = svc.shapes.get(out).map(|s| &s.kind) else {
                continue;
            };
            let stream = st
                .members
                .iter()
                .position(|m| svc.shapes.get(&m.target).is_some_and(|t| t.event_stream));
            if let Some(i) = stream {
                let err = n.operations[&op.key].error_enum.clone();
                n.output_streams.entry(out.clone()).or_insert((i, err));
                // A stream is read once: the output is neither `Clone` nor `PartialEq`.
                n.holds_stream.insert(out.clone());
            }
        }
        let base = naming::type_name(&svc.service_id);
        let mut top = Scope::camel(&["Client"]);
        n.api_trait = top.claim(format!("{}Api", base.trim_end_matches('_')));
        n
    }
}

/// Every shape whose values contain a streaming blob, by fixed point over
/// member, list and map edges.
fn holds_stream(svc: &ir::Service) -> BTreeSet<String> {
    fn targets(shape: &Shape) -> Vec<&str> {
        match &shape.kind {
            ShapeKind::Structure(st) | ShapeKind::Union(st) => {
                st.members.iter().map(|m| m.target.as_str()).collect()
            }
            ShapeKind::List(l) => vec![l.member.target.as_str()],
            ShapeKind::Map(m) => vec![m.value.target.as_str()],
            _ => Vec::new(),
        }
    }
    let mut set: BTreeSet<String> = svc
        .shapes
        .iter()
        .filter(|(_, s)| matches!(s.kind, ShapeKind::Blob) && s.streaming)
        .map(|(n, _)| n.clone())
        .collect();
    loop {
        let before = set.len();
        for (name, shape) in &svc.shapes {
            if !set.contains(name) && targets(shape).iter().any(|t| set.contains(*t)) {
                set.insert(name.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// Paths of the std items generated code names. Short prelude names are
/// used unless a generated type in `types` takes that name, in which case
/// every use goes through the full path.
#[derive(Clone)]
pub struct Std {
    pub option: TokenStream,
    pub some: TokenStream,
    pub none: TokenStream,
    pub string: TokenStream,
    pub boxed: TokenStream,
    pub vec: TokenStream,
    pub result: TokenStream,
    pub ok: TokenStream,
    pub into: TokenStream,
}

impl Std {
    /// Names that, as a generated type, would shadow the prelude item we use.
    pub const PRELUDE: &[&str] = &[
        "Option", "Some", "None", "String", "Box", "Vec", "Result", "Ok", "Into",
    ];

    pub fn qualified() -> Std {
        Std {
            option: quote!(::std::option::Option),
            some: quote!(::std::option::Option::Some),
            none: quote!(::std::option::Option::None),
            string: quote!(::std::string::String),
            boxed: quote!(::std::boxed::Box),
            vec: quote!(::std::vec::Vec),
            result: quote!(::std::result::Result),
            ok: quote!(::std::result::Result::Ok),
            into: quote!(::std::convert::Into),
        }
    }

    pub fn short() -> Std {
        Std {
            option: quote!(Option),
            some: quote!(Some),
            none: quote!(None),
            string: quote!(String),
            boxed: quote!(Box),
            vec: quote!(Vec),
            result: quote!(Result),
            ok: quote!(Ok),
            into: quote!(Into),
        }
    }

    /// Short names when no generated type collides with any of them.
    pub fn for_names(names: &Names) -> Std {
        if names
            .types
            .values()
            .any(|t| Std::PRELUDE.contains(&t.as_str()))
        {
            Std::qualified()
        } else {
            Std::short()
        }
    }
}

/// Shared state of one service's emission.
pub struct Ctx<'a> {
    pub svc: &'a ir::Service,
    pub names: Cow<'a, Names>,
    /// The part of its module this context emits: indices into the shapes
    /// (`types`, `shapes`) or operations (`operations`) in IR order. A large
    /// module is emitted in consecutive parts on several threads and the
    /// texts are concatenated; items that belong to no unit (imports, the
    /// service description, the patterns module) go with the first or last
    /// part.
    pub part: Range<usize>,
    /// Path of the generated crate/module root (`crate`, `super`, ...).
    pub root: TokenStream,
    pub docs: RefCell<DocConverter>,
    /// Shapes used as an operation input (they get `validate`).
    pub inputs: BTreeSet<String>,
    pub std: Std,
    /// Emit `cfg_attr(feature = "serde", ...)` derives (the host crate has a `serde` feature).
    pub serde: bool,
}

impl<'a> Ctx<'a> {
    pub fn new(svc: &'a ir::Service, root: TokenStream) -> Ctx<'a> {
        Ctx::with_names(svc, root, Cow::Owned(Names::new(svc)))
    }

    /// A context reusing names already decided for `svc`.
    pub fn with_names(svc: &'a ir::Service, root: TokenStream, names: Cow<'a, Names>) -> Ctx<'a> {
        Ctx {
            svc,
            std: Std::for_names(&names),
            serde: true,
            names,
            part: 0..usize::MAX,
            root,
            docs: RefCell::new(DocConverter::new()),
            inputs: svc
                .operations
                .iter()
                .filter_map(|o| o.input.clone())
                .collect(),
        }
    }

    /// Whether this context's part starts at the beginning of its module.
    pub fn first_part(&self) -> bool {
        self.part.start == 0
    }

    /// Whether this context's part reaches the end of a module of `units` units.
    pub fn last_part(&self, units: usize) -> bool {
        self.part.end >= units
    }

    /// The shapes of this context's part, in IR order.
    pub fn part_shapes(&self) -> impl Iterator<Item = (&'a String, &'a Shape)> + use<'a> {
        let part = self.part.clone();
        self.svc
            .shapes
            .iter()
            .skip(part.start)
            .take(part.end.saturating_sub(part.start))
    }

    pub fn shape(&self, name: &str) -> &'a Shape {
        // Every reference was checked in `ir`; reachability keeps targets.
        &self.svc.shapes[name]
    }

    pub fn ident(s: &str) -> Ident {
        match s.strip_prefix("r#") {
            Some(raw) => Ident::new_raw(raw, Span::call_site()),
            None => Ident::new(s, Span::call_site()),
        }
    }

    pub fn type_ident(&self, shape: &str) -> Ident {
        Self::ident(&self.names.types[shape])
    }

    pub fn static_ident(&self, shape: &str) -> Ident {
        Self::ident(&self.names.statics[shape])
    }

    /// The Rust type of a value of `shape` (without Option/Box).
    pub fn rust_type(&self, name: &str) -> TokenStream {
        let crate::emit::Std {
            option,
            string,
            vec,
            ..
        } = self.std.clone();
        let shape = self.shape(name);
        let root = &self.root;
        match &shape.kind {
            ShapeKind::Boolean => quote!(bool),
            ShapeKind::Integer => quote!(i32),
            ShapeKind::Long => quote!(i64),
            ShapeKind::Float => quote!(f32),
            ShapeKind::Double => quote!(f64),
            ShapeKind::String if shape.enum_values.is_empty() => quote!(#string),
            ShapeKind::Blob if shape.streaming => quote!(::botogen_runtime::ByteStream),
            ShapeKind::Blob => quote!(::botogen_runtime::Blob),
            ShapeKind::Timestamp => quote!(::botogen_runtime::DateTime),
            ShapeKind::Document => quote!(::botogen_runtime::Document),
            ShapeKind::String | ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                let id = self.type_ident(name);
                quote!(#root::types::#id)
            }
            ShapeKind::List(l) => {
                let t = self.rust_type(&l.member.target);
                if l.sparse {
                    quote!(#vec<#option<#t>>)
                } else {
                    quote!(#vec<#t>)
                }
            }
            ShapeKind::Map(m) => {
                let t = self.rust_type(&m.value.target);
                if m.sparse {
                    quote!(::std::collections::HashMap<#string, #option<#t>>)
                } else {
                    quote!(::std::collections::HashMap<#string, #t>)
                }
            }
        }
    }

    /// The type of an operation's input/output (`Unit` when absent).
    pub fn io_type(&self, shape: &Option<String>) -> TokenStream {
        match shape {
            Some(s) => self.rust_type(s),
            None => quote!(::botogen_runtime::Unit),
        }
    }

    /// `#[doc]` attributes for model HTML plus extra Markdown paragraphs.
    pub fn doc_attrs(&self, html: Option<&str>, extra: &[String]) -> TokenStream {
        let mut text = html
            .map(|h| self.docs.borrow_mut().markdown(h))
            .unwrap_or_default();
        for e in extra {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(e);
        }
        doc_lines(&text)
    }

    /// Whether values of this shape hide in `Debug` (directly or as list/map elements).
    pub fn sensitive(&self, name: &str) -> bool {
        let s = self.shape(name);
        s.sensitive
            || match &s.kind {
                ShapeKind::List(l) => self.shape(&l.member.target).sensitive,
                ShapeKind::Map(m) => self.shape(&m.value.target).sensitive,
                _ => false,
            }
    }
}

/// `#[doc = " line"]` per line; nothing for empty text.
pub fn doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#( #[doc = #lines] )*)
}

/// `#[deprecated(note = "...")]` for a deprecation.
pub fn deprecated_attr(d: &Option<Deprecation>) -> TokenStream {
    match d {
        None => TokenStream::new(),
        Some(d) => {
            let note = match (&d.message, &d.since) {
                (Some(m), Some(s)) => format!("{m} (since {s})"),
                (Some(m), None) => m.clone(),
                (None, Some(s)) => format!("deprecated since {s}"),
                (None, None) => String::new(),
            };
            if note.is_empty() {
                quote!(#[deprecated])
            } else {
                quote!(#[deprecated(note = #note)])
            }
        }
    }
}

/// An `Option<&str>` literal.
pub fn opt_str(v: &Option<String>) -> TokenStream {
    match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// Ident for a numbered item (`P0`, `P1`, ...).
pub fn numbered(prefix: &str, i: usize) -> Ident {
    format_ident!("{}{}", prefix, i)
}
