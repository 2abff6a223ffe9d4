//! botogen: generates Rust crates from AWS service models, in botocore's
//! JSON or as Smithy 2.0 JSON AST.
//!
//! Pipeline (one module per stage): a front end — [`model`] (serde structs
//! for botocore JSON) or [`smithy`] (Smithy JSON AST: prelude, mixins,
//! `apply`, service closure) — → [`ir`] (resolved, checked, filtered,
//! recursion boxed, protocol chosen) → [`naming`] (every identifier) and [`docs`] (HTML → rustdoc
//! Markdown) → [`emit`] (token streams) → [`write`](mod@write) (prettyplease text,
//! atomic writes or freshness checks).
//!
//! # Library API
//!
//! - [`generate`]`(&GenerateOptions) -> Result<GeneratedCrate, Error>`:
//!   renders a whole crate in memory (`Cargo.toml`, `src/lib.rs`,
//!   `src/types.rs`, `src/shapes.rs`, `src/operations.rs`, `src/client.rs`).
//! - [`write_files`]`(out_dir, &files, check) -> Result<WriteReport, Error>`:
//!   writes them atomically, or with `check` only compares and reports
//!   differing / missing / extra files.
//! - [`generate_module`]`(&GenerateOptions, &ModuleOptions) -> Result<String, Error>`:
//!   the same service as one Rust file with submodules `types`, `shapes`,
//!   `operations`, `client` (to embed in another crate), optionally with a
//!   `REGISTRY` of `botogen_runtime::testing::OperationEntry` values.
//! - [`generate_test_module`]`(json, root_path)`: shorthand for the protocol
//!   compliance tests (model JSON text in memory, registry on).
//! - [`load`]`(&GenerateOptions) -> Result<ir::Service, Error>`: just the
//!   front end, e.g. for reports.
//!
//! Models come from a file ([`ModelSource::Path`], `.json` or `.json.gz`,
//! with `paginators-1.json` / `waiters-2.json` / `endpoint-rule-set-1.json`
//! picked up beside it) or from
//! memory ([`ModelSource::Json`] / [`ModelSource::Text`]).

pub mod diff;
pub mod docs;
pub mod emit;
pub mod endpoints;
pub mod error;
pub mod ir;
pub mod model;
pub mod naming;
pub mod smithy;
pub mod write;

pub use error::Error;
pub use write::{WriteReport, write_files};

use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the service model comes from.
#[derive(Debug, Clone)]
pub enum ModelSource {
    /// A `service-2.json` or `service-2.json.gz` file.
    Path(PathBuf),
    /// A parsed model; `label` names it in messages and file headers.
    Json {
        label: String,
        value: serde_json::Value,
    },
    /// Model JSON text; `label` names it in messages and file headers.
    Text { label: String, text: String },
}

impl ModelSource {
    /// The label used in errors and `@generated` headers (the path as given).
    pub fn label(&self) -> String {
        match self {
            ModelSource::Path(p) => p.display().to_string(),
            ModelSource::Json { label, .. } | ModelSource::Text { label, .. } => label.clone(),
        }
    }
}

/// Which front end reads the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ModelFormat {
    /// Smithy JSON AST when the file has a top-level `"smithy"` key, else botocore.
    #[default]
    Auto,
    /// botocore's `service-2.json`.
    Botocore,
    /// Smithy 2.0 JSON AST (`smithy build`'s `model.json`, AWS's published models).
    Smithy,
}

impl ModelFormat {
    /// `auto`, `botocore` or `smithy`.
    pub fn parse(name: &str) -> Option<ModelFormat> {
        Some(match name {
            "auto" => ModelFormat::Auto,
            "botocore" => ModelFormat::Botocore,
            "smithy" => ModelFormat::Smithy,
            _ => return None,
        })
    }
}

/// Everything [`generate`] needs.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub model: ModelSource,
    /// Keep only these operations (model keys) and the shapes they reach.
    pub operations: Option<Vec<String>>,
    /// Generate for this protocol instead of botocore's preferred one.
    pub protocol: Option<String>,
    /// Fail on model keys this generator does not read.
    pub strict: bool,
    /// `botogen-runtime`'s path relative to the generated crate directory.
    pub runtime_path: String,
    /// The service directory name (crate `botogen-<name>`); when unset the
    /// crate is named after the model's service id (see
    /// [`naming::service_crate_name`]).
    pub service_name: Option<String>,
    /// The crate name, overriding `service_name`.
    pub crate_name: Option<String>,
    /// Depend on the runtime from this git repository instead of `runtime_path`.
    pub runtime_git: Option<String>,
    /// With `runtime_git`: the commit, tag or branch (`rev = ...`).
    pub runtime_rev: Option<String>,
    /// The runtime version to require (`version = ...`); alone (no path, no
    /// git) it names a registry release.
    pub runtime_version: Option<String>,
    /// `paginators-1.json`; looked up beside a model file when unset.
    pub paginators: Option<PathBuf>,
    /// `waiters-2.json`; looked up beside a model file when unset.
    pub waiters: Option<PathBuf>,
    /// `endpoint-rule-set-1.json`; looked up beside a model file when unset.
    pub endpoint_rules: Option<PathBuf>,
    /// The generated crate's version (`cargo xtask update-models` bumps it
    /// per the diff's verdict and records it in `models/manifest.json`).
    pub version: String,
    /// Which front end reads the model (detected by default).
    pub format: ModelFormat,
    /// Smithy: the service shape to generate (id or name) when the model has several.
    pub service: Option<String>,
}

impl GenerateOptions {
    /// Defaults for a model file: all operations, preferred protocol, runtime at `../../runtime`.
    pub fn new(model: ModelSource) -> GenerateOptions {
        GenerateOptions {
            model,
            operations: None,
            protocol: None,
            strict: false,
            runtime_path: "../../runtime".into(),
            service_name: None,
            crate_name: None,
            runtime_git: None,
            runtime_rev: None,
            runtime_version: None,
            paginators: None,
            waiters: None,
            endpoint_rules: None,
            version: "0.1.0".into(),
            format: ModelFormat::Auto,
            service: None,
        }
    }
}

/// How [`generate_module`] embeds a service in another crate.
#[derive(Debug, Clone)]
pub struct ModuleOptions {
    /// Path of the module that will hold the output (`super` works from the
    /// submodules; a full path like `crate::suites::s3` works too).
    pub root_path: String,
    /// Also emit `pub static REGISTRY: &[botogen_runtime::testing::OperationEntry]`.
    pub registry: bool,
    /// Emit `#[cfg_attr(feature = "serde", derive(...))]` (the host crate has a `serde` feature).
    pub serde: bool,
}

impl Default for ModuleOptions {
    fn default() -> Self {
        ModuleOptions {
            root_path: "super".into(),
            registry: false,
            serde: false,
        }
    }
}

/// A rendered crate: file paths relative to the crate directory → contents.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    /// `botogen-<service>`.
    pub crate_name: String,
    pub files: BTreeMap<PathBuf, String>,
    pub stats: Stats,
}

/// Counts for progress output and reports.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub service_id: String,
    pub protocol: &'static str,
    pub shapes: usize,
    pub operations: usize,
    /// Distinct regular expressions the model uses.
    pub patterns: Vec<String>,
}

/// How the runtime will enforce a service's patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatternReport {
    /// Patterns the linear-time `regex` engine takes.
    pub regex: usize,
    /// Patterns that need the backtracking fallback (look-around, backreferences).
    pub fallback: usize,
    /// Patterns neither engine accepts, with the reason; they are not enforced.
    pub unenforceable: Vec<(String, String)>,
}

/// Classifies patterns with the runtime's own compiler (crate `botogen-pattern`).
pub fn classify_patterns(patterns: &[String]) -> PatternReport {
    use botogen_pattern::{Engine, classify};
    let mut r = PatternReport::default();
    for p in patterns {
        match classify(p) {
            Ok(Engine::Regex) => r.regex += 1,
            Ok(Engine::Fallback) => r.fallback += 1,
            Err(e) => r.unenforceable.push((p.clone(), e.to_string())),
        }
    }
    r
}

fn sibling(model: &Path, name: &str) -> Option<PathBuf> {
    let dir = model.parent()?;
    [name.to_string(), format!("{name}.gz")]
        .into_iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// The newest API version's model in a botocore service directory
/// (`<service>/<api-version>/service-2.json[.gz]`).
pub fn newest_model(service_dir: &Path) -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir(service_dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    versions.sort();
    versions.into_iter().rev().find_map(|v| {
        ["service-2.json", "service-2.json.gz"]
            .iter()
            .map(|n| v.join(n))
            .find(|p| p.is_file())
    })
}

/// Whether JSON text is a Smithy JSON AST: a top-level `"smithy"` key
/// (found without building the document).
fn text_is_smithy(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        smithy: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_str::<Probe>(text).is_ok_and(|p| p.smithy.is_some())
}

/// Loads and resolves the model (the front end only): Smithy JSON AST or
/// botocore, as [`GenerateOptions::format`] says or the file shows.
pub fn load(opts: &GenerateOptions) -> Result<ir::Service, Error> {
    let label = opts.model.label();
    let resolve = ir::ResolveOptions {
        operations: opts.operations.clone(),
        protocol: opts.protocol.clone(),
        service: opts.service.clone(),
    };
    let text = match &opts.model {
        ModelSource::Path(p) => Some(std::borrow::Cow::Owned(model::read_text(p)?)),
        ModelSource::Text { text, .. } => Some(std::borrow::Cow::Borrowed(text.as_str())),
        ModelSource::Json { .. } => None,
    };
    let smithy = match opts.format {
        ModelFormat::Smithy => true,
        ModelFormat::Botocore => false,
        ModelFormat::Auto => match (&text, &opts.model) {
            (Some(t), _) => text_is_smithy(t),
            (None, ModelSource::Json { value, .. }) => smithy::is_smithy(value),
            (None, _) => false,
        },
    };
    if smithy {
        let owned;
        let raw: &serde_json::Value = match (&text, &opts.model) {
            (Some(t), _) => {
                owned = model::parse::<serde_json::Value>(t, &label)?;
                &owned
            }
            (None, ModelSource::Json { value, .. }) => value,
            (None, _) => unreachable!("text is read for every source but Json"),
        };
        return smithy::to_service(raw, &label, &resolve);
    }
    let text = text.as_deref();
    let m: model::Model = if opts.strict {
        let raw: serde_json::Value = match (text, &opts.model) {
            (Some(t), _) => model::parse(t, &label)?,
            (None, ModelSource::Json { value, .. }) => value.clone(),
            (None, _) => unreachable!("text is read for every source but Json"),
        };
        if let Some(e) = model::not_a_model(&raw, &label) {
            return Err(e);
        }
        let keys = model::unknown_keys(&raw);
        if !keys.is_empty() {
            return Err(Error::UnknownKeys {
                file: label,
                count: keys.len(),
                keys,
            });
        }
        model::model_from_value(&raw, &label)?
    } else {
        // Straight into the typed model: one parse instead of two.
        match (text, &opts.model) {
            (Some(t), _) => model::parse_model(t, &label)?,
            (None, ModelSource::Json { value, .. }) => model::model_from_value(value, &label)?,
            (None, _) => unreachable!("text is read for every source but Json"),
        }
    };
    let model_path = match &opts.model {
        ModelSource::Path(p) => Some(p.as_path()),
        _ => None,
    };
    let pag_path = opts
        .paginators
        .clone()
        .or_else(|| model_path.and_then(|p| sibling(p, "paginators-1.json")));
    let wait_path = opts
        .waiters
        .clone()
        .or_else(|| model_path.and_then(|p| sibling(p, "waiters-2.json")));
    let paginators: Option<model::Paginators> = match &pag_path {
        Some(p) => Some(model::parse(
            &model::read_text(p)?,
            &p.display().to_string(),
        )?),
        None => None,
    };
    let waiters: Option<model::Waiters> = match &wait_path {
        Some(p) => Some(model::parse(
            &model::read_text(p)?,
            &p.display().to_string(),
        )?),
        None => None,
    };
    let rules_path = opts
        .endpoint_rules
        .clone()
        .or_else(|| model_path.and_then(|p| sibling(p, "endpoint-rule-set-1.json")));
    let endpoint_rules: Option<serde_json::Value> = match &rules_path {
        Some(p) => Some(model::parse(
            &model::read_text(p)?,
            &p.display().to_string(),
        )?),
        None => None,
    };
    ir::Service::from_model(
        &m,
        &label,
        paginators.as_ref(),
        waiters.as_ref(),
        endpoint_rules.as_ref(),
        &resolve,
    )
}

fn stats(svc: &ir::Service) -> Stats {
    Stats {
        service_id: svc.service_id.clone(),
        protocol: svc.protocol.as_str(),
        shapes: svc.shapes.len(),
        operations: svc.operations.len(),
        patterns: svc.patterns.clone(),
    }
}

/// Inner attributes every generated module carries, with the reason.
fn module_attrs() -> TokenStream {
    quote! {
        #![allow(deprecated, reason = "the model deprecates items; the generated glue still has to use them")]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, reason = "docs are converted from the model's HTML")]
    }
}

/// The four generated modules: file stem and module doc.
const MODULES: [(&str, &str); 4] = [
    (
        "types",
        "Structures, unions, enums and errors of the service.",
    ),
    (
        "shapes",
        "One static description per model shape, read by the runtime.",
    ),
    (
        "operations",
        "The service and operation descriptions and each operation's error type.",
    ),
    (
        "client",
        "The service trait and the client that implements it.",
    ),
];

fn root_tokens(root: &str) -> Result<TokenStream, Error> {
    syn::parse_str::<syn::Path>(root)
        .map(|p| quote!(#p))
        .map_err(|e| Error::Other(format!("invalid root path `{root}`: {e}")))
}

/// Shapes or operations per part when a module is emitted in parts: large
/// enough that a part's fresh context and doc cache cost little, small
/// enough that ec2's modules spread over every core.
const PART_UNITS: usize = 384;

/// Emits and formats the four modules. Each module is cut into parts of
/// consecutive shapes or operations (see [`emit::Ctx::part`]) that rayon
/// renders in parallel; token streams are not `Send`, so each part builds
/// its own context and returns text, and the texts of a module are joined in
/// order. `nested` wraps each module in `pub mod name { ... }` for
/// single-file output (one part per module).
fn render_modules(
    svc: &ir::Service,
    names: &emit::Names,
    root: &str,
    label: &str,
    nested: bool,
    serde: bool,
) -> Result<Vec<String>, Error> {
    use rayon::prelude::*;
    let mut parts: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for (m, &(name, _)) in MODULES.iter().enumerate() {
        let units = match name {
            "types" | "shapes" => svc.shapes.len(),
            "operations" => svc.operations.len(),
            _ => 0,
        };
        if nested || units <= PART_UNITS {
            parts.push((m, 0..usize::MAX));
            continue;
        }
        let mut start = 0;
        while start < units {
            let end = if start + PART_UNITS >= units {
                usize::MAX
            } else {
                start + PART_UNITS
            };
            parts.push((m, start..end));
            start += PART_UNITS;
        }
    }
    let texts: Vec<String> = parts
        .par_iter()
        .map(|(m, part)| -> Result<String, Error> {
            let (name, doc) = MODULES[*m];
            let mut ctx =
                emit::Ctx::with_names(svc, root_tokens(root)?, std::borrow::Cow::Borrowed(names));
            ctx.serde = serde;
            ctx.part = part.clone();
            let items = match name {
                "types" => emit::types::emit(&ctx),
                "shapes" => emit::shapes::emit(&ctx),
                "operations" => emit::operations::emit(&ctx),
                _ => emit::client::emit(&ctx),
            };
            let attrs = module_attrs();
            let doc = format!(" {doc}");
            if nested {
                let id = emit::Ctx::ident(name);
                let file = quote! {
                    #[doc = #doc]
                    pub mod #id {
                        #attrs
                        #(#items)*
                    }
                };
                return write::format_tokens(file, label, name);
            }
            let mut out = String::new();
            if ctx.first_part() {
                out = write::format_tokens(
                    quote! {
                        #![doc = #doc]
                        #attrs
                    },
                    label,
                    name,
                )?;
            }
            // Formatting in chunks keeps the syntax tree (and memory) small;
            // prettyplease separates items the same way either way, so the
            // text does not depend on where parts or chunks are cut.
            for chunk in items.chunks(32) {
                out.push_str(&write::format_tokens(quote!(#(#chunk)*), label, name)?);
            }
            Ok(out)
        })
        .collect::<Result<_, _>>()?;
    let mut modules = vec![String::new(); MODULES.len()];
    for ((m, _), text) in parts.iter().zip(texts) {
        modules[*m].push_str(&text);
    }
    Ok(modules)
}

fn crate_doc(ctx: &emit::Ctx, lib_name: &str) -> TokenStream {
    let svc = ctx.svc;
    let mut extra = vec![format!(
        "Generated by botogen from the {} model (API version {}, protocol {}). \
         Start with [`Client`] and the [`{}`] trait. Each operation returns its own \
         error enum (in [`operations`]); [`Error`] holds an error of any operation, and \
         [`ProvideErrorMetadata`] gives every error's code, message, request ids and HTTP \
         status.",
        docs::escape_text(&svc.service_id),
        docs::escape_text(&svc.api_version),
        svc.protocol.as_str(),
        ctx.names.api_trait
    )];
    if let Some(d) = &svc.deprecated {
        extra.push(format!(
            "This service is deprecated{}",
            d.message
                .as_deref()
                .map(|m| format!(": {}", docs::escape_text(m)))
                .unwrap_or_else(|| ".".into())
        ));
    }
    let text = {
        let body = svc
            .doc
            .as_deref()
            .map(|h| ctx.docs.borrow_mut().markdown(h))
            .unwrap_or_default();
        let mut t = format!("# {}\n\n", docs::escape_text(&svc.full_name));
        if !body.is_empty() {
            t.push_str(&body);
            t.push_str("\n\n");
        }
        t.push_str(&extra.join("\n\n"));
        let example = emit::example::section(ctx, lib_name);
        if !example.is_empty() {
            t.push_str("\n\n");
            t.push_str(&example);
        }
        t
    };
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#( #![doc = #lines] )*)
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The generated `Cargo.toml`'s `botogen-runtime = ...` value. The normal
/// dependency turns the runtime's default features off: the crate's own
/// `default-client` feature decides whether the built-in HTTP client is in.
fn runtime_dependency(opts: &GenerateOptions, feature: Option<&str>) -> String {
    let mut fields = Vec::new();
    if let Some(url) = &opts.runtime_git {
        fields.push(format!("git = {}", toml_str(url)));
        if let Some(rev) = &opts.runtime_rev {
            fields.push(format!("rev = {}", toml_str(rev)));
        }
    } else if !opts.runtime_path.is_empty() {
        fields.push(format!("path = {}", toml_str(&opts.runtime_path)));
    }
    if let Some(v) = &opts.runtime_version {
        fields.push(format!("version = {}", toml_str(v)));
    }
    match feature {
        Some(f) => fields.push(format!("features = [{}]", toml_str(f))),
        None => fields.push("default-features = false".to_owned()),
    }
    format!("{{ {} }}", fields.join(", "))
}

/// Checks that a path dependency on the runtime will resolve from the crate
/// directory `out`: `<out>/<runtime_path>/Cargo.toml` must be the runtime's.
pub fn check_runtime_path(out: &Path, runtime_path: &str) -> Result<(), Error> {
    // Resolved lexically: `out` may not exist yet, and the OS cannot walk
    // `..` out of a directory that does not exist.
    let mut dir = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    for part in Path::new(runtime_path).components() {
        match part {
            std::path::Component::ParentDir => {
                dir.pop();
            }
            std::path::Component::CurDir => {}
            other => dir.push(other),
        }
    }
    let manifest = dir.join("Cargo.toml");
    let found =
        std::fs::read_to_string(&manifest).is_ok_and(|t| t.contains("name = \"botogen-runtime\""));
    if found {
        return Ok(());
    }
    Err(Error::Other(format!(
        "the runtime is not at {} (--runtime-path {runtime_path:?}, relative to --out {}); \
         pass --runtime-path with the path of botogen's `runtime/` directory (absolute, or \
         relative to the output directory), or --runtime-git URL to depend on it from git",
        dir.display(),
        out.display()
    )))
}

/// Renders a whole crate in memory.
pub fn generate(opts: &GenerateOptions) -> Result<GeneratedCrate, Error> {
    let t0 = std::time::Instant::now();
    let svc = load(opts)?;
    let names = emit::Names::new(&svc);
    let t_load = t0.elapsed();
    let label = opts.model.label();
    let crate_name = match (&opts.crate_name, &opts.service_name) {
        (Some(name), _) => {
            naming::check_crate_name(name).map_err(Error::Other)?;
            name.clone()
        }
        (None, Some(service)) => naming::crate_name(service),
        (None, None) => naming::service_crate_name(&svc.service_id),
    };
    let rendered = render_modules(&svc, &names, "crate", &label, false, true)?;
    let t_emit = t0.elapsed();
    let header = write::header(&label);
    let mut files = BTreeMap::new();
    for ((name, _), text) in MODULES.iter().zip(rendered) {
        files.insert(
            PathBuf::from(format!("src/{name}.rs")),
            format!("{header}{text}"),
        );
    }
    let ctx = emit::Ctx::with_names(&svc, quote!(crate), std::borrow::Cow::Owned(names));
    let doc = crate_doc(&ctx, &crate_name.replace('-', "_"));
    // In rustfmt's order (`BedrockRuntimeApi` sorts before `Client`).
    let mut client_exports = [ctx.names.api_trait.as_str(), "Client"];
    client_exports.sort_unstable();
    let client_exports = client_exports.map(emit::Ctx::ident);
    // The modules are laid out by prettyplease; `#[rustfmt::skip]` keeps
    // `cargo fmt` from reflowing them so the freshness check stays stable.
    // lib.rs itself is emitted in the order rustfmt would keep.
    let lib = quote! {
        #doc
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod shapes;
        #[rustfmt::skip]
        pub mod types;

        /// The runtime this crate is built on, for everything not re-exported
        /// here (bodies, the HTTP client trait's types, credentials providers).
        pub use ::botogen_runtime as runtime;
        // Short lines in rustfmt's order, so prettyplease and rustfmt agree.
        pub use ::botogen_runtime::client::ValidationPolicy;
        pub use ::botogen_runtime::client::checksums::{ChecksumMismatch, ChecksumWhen};
        pub use ::botogen_runtime::client::presign::{PresignedRequest, PresigningConfig};
        pub use ::botogen_runtime::client::{Config, HttpClient, HttpConfig, ProxyConfig};
        pub use ::botogen_runtime::client::{RetryConfig, RetryMode, StalledStreamProtection};
        pub use ::botogen_runtime::client::{TimeoutConfig, TimeoutError, TimeoutKind};
        pub use ::botogen_runtime::paginate::Paginator;
        pub use ::botogen_runtime::waiter::{Waiter, WaiterError};
        pub use ::botogen_runtime::{Blob, ByteStream, ByteStreamError, Bytes, DateTime};
        pub use ::botogen_runtime::{Document, Number, SdkError, UnmodeledError};
        pub use ::botogen_runtime::{ErrorMetadata, ProvideErrorMetadata};
        pub use client::{#(#client_exports),*};
        pub use operations::Error;

        /// Every operation with constructors for its values, for data-driven tests.
        #[cfg(feature = "testing")]
        #[rustfmt::skip]
        pub mod registry;
    };
    files.insert(
        PathBuf::from("src/lib.rs"),
        write::format_file(lib, &label, "lib")?,
    );
    let reg = registry(&ctx, &quote!(crate::operations));
    let attrs = module_attrs();
    files.insert(
        PathBuf::from("src/registry.rs"),
        write::format_file(
            quote! {
                #![doc = " Every operation with constructors for its values (feature `testing`)."]
                #attrs
                #reg
            },
            &label,
            "registry",
        )?,
    );
    if std::env::var_os("BOTOGEN_TIMING").is_some() {
        eprintln!(
            "{label}: load {t_load:.2?}, modules {:.2?}, rest {:.2?}",
            t_emit - t_load,
            t0.elapsed() - t_emit
        );
    }
    let description = format!("{} client generated by botogen", svc.full_name);
    let cargo = format!(
        "# @generated by botogen from {}, do not edit by hand.\n\
         [package]\n\
         name = \"{crate_name}\"\n\
         description = {}\n\
         version = {}\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [features]\n\
         # The built-in HTTP client (hyper + rustls); off when the program\n\
         # brings its own `HttpClient` (`Config::http_client`).\n\
         default = [{default_features}]\n\
         default-client = [\"botogen-runtime/default-client\"]\n\
         # HTTP/2 in the built-in client.\n\
         http2 = [\"botogen-runtime/http2\"]\n\
         # CRC32C and CRC64NVME flexible checksums (CRC32 and SHA need no feature).\n\
         extra-checksums = [\"botogen-runtime/extra-checksums\"]\n\
         # Event streams (the frame codec and event signing); on by default\n\
         # in crates with event-stream operations.\n\
         event-stream = [\"botogen-runtime/event-stream\"]\n\
         serde = [\"dep:serde\", \"botogen-runtime/serde\"]\n\
         # An operation registry (`registry::REGISTRY`) for data-driven tests.\n\
         testing = [\"botogen-runtime/testing\"]\n\
         \n\
         [dependencies]\n\
         botogen-runtime = {runtime}\n\
         serde = {{ version = \"1\", features = [\"derive\"], optional = true }}\n\
         \n\
         # The crate docs' example runs against the runtime's local fake server.\n\
         [dev-dependencies]\n\
         botogen-runtime = {runtime_dev}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n",
        label.replace(['\n', '\r'], " "),
        toml_str(&description),
        toml_str(&opts.version),
        runtime = runtime_dependency(opts, None),
        runtime_dev = runtime_dependency(opts, Some("test-util")),
        default_features = if svc.operations.iter().any(|o| o.event_stream) {
            "\"default-client\", \"event-stream\""
        } else {
            "\"default-client\""
        },
    );
    files.insert(PathBuf::from("Cargo.toml"), cargo);
    Ok(GeneratedCrate {
        crate_name,
        files,
        stats: stats(&svc),
    })
}

/// Renders the service as one Rust file of submodules (see [`ModuleOptions`]).
pub fn generate_module(opts: &GenerateOptions, module: &ModuleOptions) -> Result<String, Error> {
    let svc = load(opts)?;
    let names = emit::Names::new(&svc);
    let label = opts.model.label();
    let mut out = write::header(&label);
    for text in render_modules(&svc, &names, &module.root_path, &label, true, module.serde)? {
        out.push_str(&text);
    }
    let ctx = emit::Ctx::with_names(
        &svc,
        root_tokens(&module.root_path)?,
        std::borrow::Cow::Owned(names),
    );
    let registry = if module.registry {
        registry(&ctx, &quote!(self::operations))
    } else {
        TokenStream::new()
    };
    let api = emit::Ctx::ident(&ctx.names.api_trait);
    let file = quote! {
        pub use self::client::{Client, #api};
        pub use self::operations::SERVICE;
        #registry
    };
    out.push_str(&write::format_tokens(file, &label, "module")?);
    Ok(out)
}

/// The protocol tests' entry point: model JSON text → module with `SERVICE` and `REGISTRY`.
pub fn generate_test_module(model_json: &str, root_path: &str) -> Result<String, Error> {
    let opts = GenerateOptions::new(ModelSource::Text {
        label: format!("in-memory model for {root_path}"),
        text: model_json.to_string(),
    });
    generate_module(
        &opts,
        &ModuleOptions {
            root_path: root_path.to_string(),
            registry: true,
            serde: false,
        },
    )
}

/// `REGISTRY`; `ops` is the path of the `operations` module from where it is emitted.
fn registry(ctx: &emit::Ctx, ops: &TokenStream) -> TokenStream {
    let blank_error = |i: usize, shape: &str| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let t = ctx.rust_type(shape);
        quote!(#i => ::std::option::Option::Some(::std::boxed::Box::new(<#t as ::botogen_runtime::Blank>::blank())),)
    };
    let entries = ctx.svc.operations.iter().map(|op| {
        let names = &ctx.names.operations[&op.key];
        let key = &op.key;
        let stat = emit::Ctx::ident(&names.static_name);
        let input = ctx.io_type(&op.input);
        let output = ctx.io_type(&op.output);
        let errs = op.errors.iter().enumerate().map(|(i, e)| blank_error(i, e));
        let new_error = if op.errors.is_empty() {
            quote!(|_| ::std::option::Option::None)
        } else {
            quote!(|i| match i { #(#errs)* _ => ::std::option::Option::None })
        };
        quote! {
            ::botogen_runtime::testing::OperationEntry {
                key: #key,
                operation: &#ops::#stat,
                new_input: || ::std::boxed::Box::new(<#input as ::botogen_runtime::Blank>::blank()),
                new_output: || ::std::boxed::Box::new(<#output as ::botogen_runtime::Blank>::blank()),
                new_error: #new_error,
                new_service_error,
            }
        }
    });
    let service_errors = ctx
        .names
        .service_errors
        .iter()
        .enumerate()
        .map(|(i, (shape, _))| blank_error(i, shape));
    let (param, new_service_error) = if ctx.names.service_errors.is_empty() {
        (quote!(_i), quote!(::std::option::Option::None))
    } else {
        (
            quote!(i),
            quote!(match i { #(#service_errors)* _ => ::std::option::Option::None }),
        )
    };
    quote! {
        /// Every operation with constructors for its values (data-driven tests).
        pub static REGISTRY: &[::botogen_runtime::testing::OperationEntry] = &[#(#entries),*];

        /// A blank value of the service's error `i` (index into `SERVICE.errors`).
        fn new_service_error(#param: usize) -> ::std::option::Option<::std::boxed::Box<dyn ::botogen_runtime::Struct>> {
            #new_service_error
        }
    }
}
