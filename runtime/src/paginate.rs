//! Paginators: repeat a list-style operation, feeding each response's
//! continuation token into the next request, until the service says there
//! is nothing more.
//!
//! A generated crate describes each paginated operation with a static
//! [`PaginatorSpec`] taken from the model's `paginators-1.json` and builds a
//! [`Paginator`] around a closure that makes one call. The token logic is
//! the same for every operation, so it lives here and works on the
//! reflection traits: tokens may be strings, numbers, maps (DynamoDB's
//! `LastEvaluatedKey`) or structures, and are copied value for value.
//!
//! Token expressions are the small language paginators use: member names
//! joined by `.`, a `[-1]` suffix for a list's last element, and `a || b`
//! for the first of several that is set (S3 `ListObjects`:
//! `NextMarker || Contents[-1].Key`). As in botocore, an empty value (empty
//! string, list or map, `false`, zero) counts as absent, a page whose tokens
//! are all absent is the last one, and a token received twice in a row ends
//! the iteration with [`SdkError::Pagination`] instead of looping forever.

use crate::error::SdkError;
use crate::operation::OperationError;
use crate::value::{Struct, Value, ValueRef};
use std::fmt::Write as _;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

/// How an operation paginates (from `paginators-1.json`).
#[derive(Debug)]
pub struct PaginatorSpec {
    /// Input members that carry the continuation token(s), by model name.
    pub input_token: &'static [&'static str],
    /// Where each input token's next value is found in the output, one
    /// expression per input token.
    pub output_token: &'static [&'static str],
    /// An output expression that must be true for another page to follow.
    pub more_results: Option<&'static str>,
    /// The input member that limits the page size, if any.
    pub limit_key: Option<&'static str>,
    /// The output members holding each page's results.
    pub result_key: &'static [&'static str],
}

/// The future one page's call returns.
pub type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, E>> + Send>>;

type CallFn<I, O, E> = Box<dyn FnMut(I) -> PageFuture<O, E> + Send>;

/// Pages of an operation's output; call [`Paginator::next`] until it returns `None`.
///
/// Created by the generated client's `<operation>_paginator` methods. `L`
/// is the Rust type of the operation's limit member (`i32`, `i64` or
/// `String`): `page_size` takes that type, and a paginator whose operation
/// has no limit member ([`NoPageSize`]) has no `page_size`.
pub struct Paginator<I, O, E, L = NoPageSize> {
    spec: &'static PaginatorSpec,
    next_input: Option<I>,
    call: CallFn<I, O, E>,
    /// The tokens sent with the page being fetched, to detect a service
    /// that returns the same token again.
    last_tokens: Option<String>,
    /// Why the pages stop early; reported by the call after the last page.
    pending: Option<SdkError>,
    limit: PhantomData<fn() -> L>,
}

/// The page-size type of a paginator whose operation has no limit member:
/// such a paginator has no `page_size` method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPageSize {}

impl<I, O, E, L> std::fmt::Debug for Paginator<I, O, E, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("spec", &self.spec)
            .field("done", &self.next_input.is_none())
            .finish_non_exhaustive()
    }
}

impl<I, O, E, L> Paginator<I, O, E, L>
where
    I: Struct + Clone + Send,
    O: Struct,
    E: OperationError,
{
    /// A paginator that starts with `input` and makes each call with `call`.
    pub fn new<F>(spec: &'static PaginatorSpec, input: I, call: F) -> Self
    where
        F: FnMut(I) -> PageFuture<O, E> + Send + 'static,
    {
        Paginator {
            spec,
            next_input: Some(input),
            call: Box::new(call),
            last_tokens: None,
            pending: None,
            limit: PhantomData,
        }
    }

    /// Sets the limit member on the requests still to be made. The
    /// generator gives `L` the member's own type, so `set` cannot mismatch.
    fn set_limit(
        mut self,
        set: impl FnOnce(&mut dyn Value) -> Result<(), crate::TypeMismatch>,
    ) -> Self {
        if let (Some(input), Some(name)) = (self.next_input.as_mut(), self.spec.limit_key)
            && let Some(field) = member_mut(input, name)
        {
            let _ = set(field);
        }
        self
    }

    /// The next page: `None` after the last page or after an error.
    ///
    /// A page whose continuation token cannot be followed (the same token
    /// again) is still returned; the following call reports the error.
    pub async fn next(&mut self) -> Option<Result<O, E>> {
        if let Some(e) = self.pending.take() {
            return Some(Err(E::sdk(e)));
        }
        let input = self.next_input.take()?;
        let mut following = input.clone();
        let output = match (self.call)(input).await {
            Ok(output) => output,
            Err(e) => return Some(Err(e)),
        };
        match self.advance(&mut following, &output) {
            Ok(true) => self.next_input = Some(following),
            Ok(false) => {}
            Err(e) => self.pending = Some(e),
        }
        Some(Ok(output))
    }

    /// Every remaining page, stopping at the first error.
    pub async fn collect(mut self) -> Result<Vec<O>, E> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// Moves the output's tokens into `input`; false when there is no next page.
    fn advance(&mut self, input: &mut I, output: &O) -> Result<bool, SdkError> {
        if let Some(expr) = self.spec.more_results
            && !truthy(eval(output, expr))
        {
            return Ok(false);
        }
        let tokens: Vec<ValueRef<'_>> = self
            .spec
            .output_token
            .iter()
            .map(|expr| eval(output, expr))
            .map(|v| if truthy(v) { v } else { ValueRef::Null })
            .collect();
        if tokens.iter().all(|t| matches!(t, ValueRef::Null)) {
            return Ok(false);
        }
        let mut fingerprint = String::new();
        for t in &tokens {
            write_fingerprint(&mut fingerprint, *t);
            fingerprint.push('\u{1f}');
        }
        if self.last_tokens.as_deref() == Some(fingerprint.as_str()) {
            return Err(SdkError::Pagination(format!(
                "the service returned the same continuation token twice ({})",
                self.spec.output_token.join(", ")
            )));
        }
        for (name, token) in self.spec.input_token.iter().zip(&tokens) {
            let Some(field) = member_mut(input, name) else {
                return Err(SdkError::Pagination(format!(
                    "input has no member `{name}` for the continuation token"
                )));
            };
            copy_value(*token, field).map_err(|e| {
                SdkError::Pagination(format!("cannot set continuation token `{name}`: {e}"))
            })?;
        }
        self.last_tokens = Some(fingerprint);
        Ok(true)
    }
}

impl<I: Struct + Clone + Send, O: Struct, E: OperationError> Paginator<I, O, E, i32> {
    /// Sets the page size (the operation's limit member, e.g. `MaxResults`)
    /// on the requests still to be made.
    pub fn page_size(self, size: i32) -> Self {
        self.set_limit(|field| field.set_int(size.into()))
    }
}

impl<I: Struct + Clone + Send, O: Struct, E: OperationError> Paginator<I, O, E, i64> {
    /// Sets the page size (the operation's `long` limit member) on the
    /// requests still to be made.
    pub fn page_size(self, size: i64) -> Self {
        self.set_limit(|field| field.set_int(size))
    }
}

impl<I: Struct + Clone + Send, O: Struct, E: OperationError> Paginator<I, O, E, String> {
    /// Sets the page size on the requests still to be made; the operation's
    /// limit member is a string (CloudFront's `MaxItems`, API Gateway v2's
    /// `MaxResults`), so the size is too, e.g. `"50"`.
    pub fn page_size(self, size: impl Into<String>) -> Self {
        let size = size.into();
        self.set_limit(|field| field.set_str(&size))
    }
}

/// The field of `s` for the member with model name `name`.
fn member_mut<'a>(s: &'a mut dyn Struct, name: &str) -> Option<&'a mut dyn Value> {
    let index = s.shape().members().iter().position(|m| m.name == name)?;
    s.member_mut(index)
}

/// Evaluates a token expression against an output; `Null` when any step is missing.
pub fn eval<'a>(root: &'a dyn Struct, expr: &str) -> ValueRef<'a> {
    for alternative in expr.split("||") {
        let v = eval_path(root, alternative.trim());
        if truthy(v) {
            return v;
        }
    }
    ValueRef::Null
}

fn eval_path<'a>(root: &'a dyn Struct, path: &str) -> ValueRef<'a> {
    let mut current = ValueRef::Struct(root);
    for segment in path.split('.') {
        let (name, last) = match segment.strip_suffix("[-1]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        let ValueRef::Struct(s) = current else {
            return ValueRef::Null;
        };
        let Some(index) = s.shape().members().iter().position(|m| m.name == name) else {
            return ValueRef::Null;
        };
        current = match s.member(index) {
            Some(v) => v.get(),
            None => ValueRef::Null,
        };
        if last {
            current = match current {
                ValueRef::List(l) if !l.is_empty() => l.item(l.len() - 1).get(),
                _ => ValueRef::Null,
            };
        }
    }
    current
}

/// Whether a value counts as present, by botocore's rule (Python truthiness).
fn truthy(v: ValueRef<'_>) -> bool {
    match v {
        ValueRef::Null => false,
        ValueRef::Bool(b) => b,
        ValueRef::Int(i) => i != 0,
        ValueRef::Float(f) => f != 0.0,
        ValueRef::Str(s) => !s.is_empty(),
        ValueRef::Blob(b) => !b.is_empty(),
        ValueRef::List(l) => !l.is_empty(),
        ValueRef::Map(m) => !m.is_empty(),
        ValueRef::Timestamp(_)
        | ValueRef::Document(_)
        | ValueRef::Stream(_)
        | ValueRef::Struct(_) => true,
    }
}

/// A canonical text form of a token, to notice the same token twice.
fn write_fingerprint(out: &mut String, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => out.push('~'),
        ValueRef::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ValueRef::Int(i) => {
            let _ = write!(out, "{i}");
        }
        ValueRef::Float(f) => {
            let _ = write!(out, "{f:?}");
        }
        ValueRef::Str(s) => {
            let _ = write!(out, "{s:?}");
        }
        ValueRef::Blob(b) => {
            let _ = write!(out, "{b:?}");
        }
        ValueRef::Timestamp(t) => {
            let _ = write!(out, "{t:?}");
        }
        ValueRef::Document(d) => {
            let _ = write!(out, "{d:?}");
        }
        ValueRef::Stream(_) => out.push('?'),
        ValueRef::Struct(s) => {
            out.push('{');
            for i in 0..s.shape().members().len() {
                if let Some(m) = s.member(i) {
                    let _ = write!(out, "{i}:");
                    write_fingerprint(out, m.get());
                    out.push(',');
                }
            }
            out.push('}');
        }
        ValueRef::List(l) => {
            out.push('[');
            for i in 0..l.len() {
                write_fingerprint(out, l.item(i).get());
                out.push(',');
            }
            out.push(']');
        }
        ValueRef::Map(m) => {
            out.push('{');
            for (k, v) in m.sorted_entries() {
                let _ = write!(out, "{k:?}:");
                write_fingerprint(out, v.get());
                out.push(',');
            }
            out.push('}');
        }
    }
}

/// Copies `src` into `dst` through the reflection traits (deep copy for
/// structures, lists and maps).
pub fn copy_value(src: ValueRef<'_>, dst: &mut dyn Value) -> Result<(), crate::TypeMismatch> {
    let unsupported = |found| crate::TypeMismatch {
        expected: "a continuation token value",
        found,
    };
    match src {
        ValueRef::Null => {
            dst.set_null();
            Ok(())
        }
        ValueRef::Bool(b) => dst.set_bool(b),
        ValueRef::Int(i) => dst.set_int(i),
        ValueRef::Float(f) => dst.set_float(f),
        ValueRef::Str(s) => dst.set_str(s),
        ValueRef::Blob(b) => dst.set_blob(b.to_vec()),
        ValueRef::Timestamp(t) => dst.set_timestamp(t),
        ValueRef::Document(d) => dst.set_document(d.clone()),
        ValueRef::Stream(_) => Err(unsupported("byte stream")),
        ValueRef::Struct(s) => {
            let target = dst.struct_mut().ok_or_else(|| unsupported("structure"))?;
            for i in 0..s.shape().members().len() {
                if let Some(v) = s.member(i) {
                    let v = v.get();
                    if !matches!(v, ValueRef::Null) {
                        let field = target
                            .member_mut(i)
                            .ok_or_else(|| unsupported("structure member"))?;
                        copy_value(v, field)?;
                    }
                }
            }
            Ok(())
        }
        ValueRef::List(l) => {
            dst.set_null();
            if !dst.init_list() {
                return Err(unsupported("list"));
            }
            for i in 0..l.len() {
                let item = dst.push().ok_or_else(|| unsupported("list"))?;
                copy_value(l.item(i).get(), item)?;
            }
            Ok(())
        }
        ValueRef::Map(m) => {
            dst.set_null();
            if !dst.init_map() {
                return Err(unsupported("map"));
            }
            for (k, v) in m.sorted_entries() {
                let entry = dst.insert(k.to_owned()).ok_or_else(|| unsupported("map"))?;
                copy_value(v.get(), entry)?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UnmodeledError;
    use crate::schema::{Member, Shape, ShapeKind, StructShape};
    use std::sync::{Arc, Mutex};

    static INTEGER: Shape = Shape::new("Integer", ShapeKind::Integer);
    static LONG: Shape = Shape::new("Long", ShapeKind::Long);
    static STRING: Shape = Shape::new("String", ShapeKind::String);
    static INPUT: Shape = Shape::new(
        "Input",
        ShapeKind::Structure(&StructShape {
            members: &[
                Member::new("IntLimit", &INTEGER),
                Member::new("LongLimit", &LONG),
                Member::new("StrLimit", &STRING),
                Member::new("Token", &STRING),
            ],
            payload: None,
        }),
    );
    static OUTPUT: Shape = Shape::new(
        "Output",
        ShapeKind::Structure(&StructShape {
            members: &[Member::new("Next", &STRING)],
            payload: None,
        }),
    );

    #[derive(Debug, Clone, PartialEq)]
    struct Input {
        int_limit: Option<i32>,
        long_limit: Option<i64>,
        str_limit: Option<String>,
        token: Option<String>,
    }
    crate::impl_struct!(Input, INPUT, { 0 => int_limit, 1 => long_limit, 2 => str_limit, 3 => token });

    #[derive(Debug)]
    struct Output {
        next: Option<String>,
    }
    crate::impl_struct!(Output, OUTPUT, { 0 => next });

    #[derive(Debug)]
    struct Error;
    impl OperationError for Error {
        fn modeled(_: usize) -> Option<Self> {
            None
        }
        fn unlisted(_: usize) -> Option<Self> {
            None
        }
        fn modeled_mut(&mut self) -> Option<&mut dyn crate::error::ErrorShape> {
            None
        }
        fn sdk(_: SdkError) -> Self {
            Error
        }
        fn unmodeled(_: UnmodeledError) -> Self {
            Error
        }
    }

    const fn spec(limit_key: &'static str) -> PaginatorSpec {
        PaginatorSpec {
            input_token: &["Token"],
            output_token: &["Next"],
            more_results: None,
            limit_key: Some(limit_key),
            result_key: &[],
        }
    }
    static INT_SPEC: PaginatorSpec = spec("IntLimit");
    static LONG_SPEC: PaginatorSpec = spec("LongLimit");
    static STR_SPEC: PaginatorSpec = spec("StrLimit");

    type Seen = Arc<Mutex<Vec<Input>>>;

    /// A paginator over two pages that records the inputs it is called with.
    fn pages<L>(spec: &'static PaginatorSpec) -> (Paginator<Input, Output, Error, L>, Seen) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let input = Input {
            int_limit: None,
            long_limit: None,
            str_limit: None,
            token: None,
        };
        let paginator = Paginator::new(spec, input, move |input: Input| {
            let next = input.token.is_none().then(|| "page-2".to_owned());
            log.lock().unwrap().push(input);
            Box::pin(async move { Ok(Output { next }) }) as PageFuture<Output, Error>
        });
        (paginator, seen)
    }

    /// `page_size` takes the limit member's own type and sets it on every
    /// request.
    #[tokio::test]
    async fn page_size_takes_the_limit_members_type() {
        let (p, seen) = pages::<i32>(&INT_SPEC);
        assert_eq!(p.page_size(25).collect().await.unwrap().len(), 2);
        {
            let seen = seen.lock().unwrap();
            assert!(seen.iter().all(|i| i.int_limit == Some(25)), "{seen:?}");
            assert_eq!(seen[1].token.as_deref(), Some("page-2"));
        }

        let (p, seen) = pages::<i64>(&LONG_SPEC);
        p.page_size(5_000_000_000).collect().await.unwrap();
        assert!(
            seen.lock()
                .unwrap()
                .iter()
                .all(|i| i.long_limit == Some(5_000_000_000))
        );

        let (p, seen) = pages::<String>(&STR_SPEC);
        p.page_size("50").collect().await.unwrap();
        assert!(
            seen.lock()
                .unwrap()
                .iter()
                .all(|i| i.str_limit.as_deref() == Some("50"))
        );
    }
}
