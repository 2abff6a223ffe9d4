//! Errors the runtime reports: failures to build a request or read a
//! response, and the error a generated client returns from a call.

use std::fmt;

/// A request could not be serialized (e.g. a URI label is empty, a union has no variant set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerializeError {
    pub message: String,
}

impl SerializeError {
    pub fn new(message: impl Into<String>) -> SerializeError {
        SerializeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot serialize request: {}", self.message)
    }
}

impl std::error::Error for SerializeError {}

/// A response could not be parsed (malformed body, wrong types, bad dates, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeserializeError {
    pub message: String,
}

impl DeserializeError {
    pub fn new(message: impl Into<String>) -> DeserializeError {
        DeserializeError {
            message: message.into(),
        }
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot parse response: {}", self.message)
    }
}

impl std::error::Error for DeserializeError {}

impl From<crate::value::TypeMismatch> for DeserializeError {
    fn from(e: crate::value::TypeMismatch) -> DeserializeError {
        DeserializeError::new(e.to_string())
    }
}

/// What an error response said about itself: its code, message, request
/// ids and HTTP status. Every service error carries one — modeled errors
/// (in their `meta` field), [`UnmodeledError`]s and the operation error
/// enums through [`ProvideErrorMetadata`] — so code that only logs or
/// classifies errors needs no `match`. Everything is `None` for an error
/// built in code (a mock) and for an [`SdkError`], which had no response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) extended_request_id: Option<String>,
    pub(crate) status: Option<u16>,
}

impl ErrorMetadata {
    /// Empty metadata, for [`SdkError`]s and errors built in code.
    pub const EMPTY: ErrorMetadata = ErrorMetadata {
        code: None,
        message: None,
        request_id: None,
        extended_request_id: None,
        status: None,
    };

    /// The error code, stripped of namespace and `:`-suffix (`NoSuchKey`,
    /// `ThrottlingException`, `AWS.SimpleQueueService.NonExistentQueue`).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The service's message, whether or not the model has a member for it.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id (`x-amzn-RequestId`, `x-amz-request-id`, or the body's `RequestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// S3's extended request id (`x-amz-id-2`, or the error body's `HostId`).
    pub fn extended_request_id(&self) -> Option<&str> {
        self.extended_request_id.as_deref()
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> ErrorMetadata {
        self.code = Some(code.into());
        self
    }

    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> ErrorMetadata {
        self.message = Some(message.into());
        self
    }

    #[must_use]
    pub fn with_request_id(mut self, id: impl Into<String>) -> ErrorMetadata {
        self.request_id = Some(id.into());
        self
    }

    #[must_use]
    pub fn with_extended_request_id(mut self, id: impl Into<String>) -> ErrorMetadata {
        self.extended_request_id = Some(id.into());
        self
    }

    #[must_use]
    pub fn with_status(mut self, status: u16) -> ErrorMetadata {
        self.status = Some(status);
        self
    }

    /// Appends ` [request id X, extended request id Y]` when they are known.
    fn fmt_ids(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.request_id, &self.extended_request_id) {
            (Some(id), Some(ext)) => write!(f, " [request id {id}, extended request id {ext}]"),
            (Some(id), None) => write!(f, " [request id {id}]"),
            (None, Some(ext)) => write!(f, " [extended request id {ext}]"),
            (None, None) => Ok(()),
        }
    }
}

impl crate::value::Blank for ErrorMetadata {
    #[inline]
    fn blank() -> Self {
        ErrorMetadata::EMPTY
    }
}

/// The one accessor API for error metadata: implemented by every modeled
/// error type, [`UnmodeledError`], [`SdkError`] (empty metadata) and every
/// generated operation error enum and crate-level `Error` enum (the
/// metadata of whichever error they hold).
pub trait ProvideErrorMetadata {
    /// The code, message, request ids and status of the response.
    fn meta(&self) -> &ErrorMetadata;

    /// Shorthand for `meta().code()`.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// Shorthand for `meta().message()`.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }

    /// Shorthand for `meta().request_id()`.
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }

    /// Shorthand for `meta().extended_request_id()`.
    fn extended_request_id(&self) -> Option<&str> {
        self.meta().extended_request_id()
    }

    /// Shorthand for `meta().status()`.
    fn status(&self) -> Option<u16> {
        self.meta().status()
    }
}

impl ProvideErrorMetadata for ErrorMetadata {
    fn meta(&self) -> &ErrorMetadata {
        self
    }
}

/// A generated error structure: its model members (through [`Struct`]) and
/// the metadata the parser fills in.
///
/// [`Struct`]: crate::value::Struct
///
/// Not a subtrait of [`ProvideErrorMetadata`], whose provided methods would
/// then be compiled into the vtable of every error type of every crate.
pub trait ErrorShape: crate::value::Struct {
    /// The metadata (what `ProvideErrorMetadata::meta` returns).
    fn error_meta(&self) -> &ErrorMetadata;
    /// The metadata, for the parser to fill.
    fn meta_mut(&mut self) -> &mut ErrorMetadata;
}

/// Writes a modeled error as `Code: message`: the code from the shape's
/// `ErrorInfo` (else its name), the message from a `message`-like string
/// member when set, else from the response's metadata (S3's `NoSuchKey`
/// has no members, but the service still says what went wrong).
#[doc(hidden)]
pub fn fmt_modeled_error(e: &dyn ErrorShape, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let shape = e.shape();
    f.write_str(shape.error.map_or(shape.name, |info| info.code))?;
    let member = shape.members().iter().position(|m| {
        m.name.eq_ignore_ascii_case("message") || m.name.eq_ignore_ascii_case("errormessage")
    });
    let from_member = member
        .and_then(|i| e.member(i))
        .and_then(|v| match v.get() {
            crate::value::ValueRef::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        });
    if let Some(m) = from_member.or(e.error_meta().message()) {
        write!(f, ": {m}")?;
    }
    Ok(())
}

/// An error response whose code names no error shape of the service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnmodeledError {
    meta: ErrorMetadata,
}

impl UnmodeledError {
    /// An unmodeled error with this metadata (e.g. for a mock).
    pub fn new(meta: ErrorMetadata) -> UnmodeledError {
        UnmodeledError { meta }
    }
}

impl From<ErrorMetadata> for UnmodeledError {
    fn from(meta: ErrorMetadata) -> UnmodeledError {
        UnmodeledError { meta }
    }
}

impl ProvideErrorMetadata for UnmodeledError {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for UnmodeledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.meta;
        f.write_str(m.code().unwrap_or("unknown error"))?;
        if let Some(status) = m.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(message) = &m.message {
            write!(f, ": {message}")?;
        }
        m.fmt_ids(f)
    }
}

impl std::error::Error for UnmodeledError {}

/// Why a call failed before a service error could be read: the request was
/// invalid or unbuildable, the transport failed, or the response was unreadable.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError {
    /// The input broke the model's constraints (every violation is listed).
    Validation(crate::validate::ValidationErrors),
    Serialize(SerializeError),
    /// Connecting, sending or receiving failed, or timed out.
    Transport(Box<dyn std::error::Error + Send + Sync>),
    Deserialize(DeserializeError),
    /// Credentials could not be found or signing failed.
    Credentials(String),
    /// The operation uses a feature the runtime does not support yet (event streams).
    Unsupported(String),
    /// The client configuration cannot serve the call (no region, bad
    /// endpoint URL, a protocol the service does not list).
    Config(String),
    /// A paginator could not continue (the service repeated a continuation token).
    Pagination(String),
    /// The endpoint rule set rejected the call's settings (an error rule
    /// matched, e.g. "Invalid Configuration: FIPS and custom endpoint are not
    /// supported") or none of its rules applies.
    Endpoint(crate::endpoint::ResolveError),
}

impl fmt::Display for SdkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(e) => write!(f, "invalid input: {e}"),
            SdkError::Serialize(e) => e.fmt(f),
            SdkError::Transport(e) => {
                f.write_str("transport error: ")?;
                write_chain(f, e.as_ref())
            }
            SdkError::Deserialize(e) => e.fmt(f),
            SdkError::Credentials(e) => write!(f, "credentials error: {e}"),
            SdkError::Unsupported(e) => write!(f, "not supported: {e}"),
            SdkError::Config(e) => write!(f, "invalid client configuration: {e}"),
            SdkError::Pagination(e) => write!(f, "pagination failed: {e}"),
            SdkError::Endpoint(e) => write!(f, "endpoint resolution failed: {e}"),
        }
    }
}

impl std::error::Error for SdkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Serialize(e) => Some(e),
            SdkError::Transport(e) => Some(e.as_ref()),
            SdkError::Deserialize(e) => Some(e),
            SdkError::Endpoint(e) => Some(e),
            SdkError::Credentials(_)
            | SdkError::Unsupported(_)
            | SdkError::Config(_)
            | SdkError::Pagination(_) => None,
        }
    }
}

impl ProvideErrorMetadata for SdkError {
    /// Empty: the call failed before a service answered with an error.
    fn meta(&self) -> &ErrorMetadata {
        &EMPTY_METADATA
    }
}

/// What [`ErrorMetadata::EMPTY`] borrows as (a `static`, so it is `'static`).
pub(crate) static EMPTY_METADATA: ErrorMetadata = ErrorMetadata::EMPTY;

/// An error and its sources, outermost first.
pub(crate) fn chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |e| e.source())
}

/// Writes an error and its causes on one line (`a: b: c`), leaving out a
/// cause whose text its parent already shows (hyper and io errors often
/// repeat their source).
pub(crate) fn write_chain(
    f: &mut fmt::Formatter<'_>,
    e: &(dyn std::error::Error + 'static),
) -> fmt::Result {
    let mut shown = String::new();
    for (i, err) in chain(e).enumerate() {
        let text = err.to_string();
        if i > 0 && (text.is_empty() || shown.contains(&text)) {
            continue;
        }
        if i > 0 {
            f.write_str(": ")?;
        }
        f.write_str(&text)?;
        shown.push_str(&text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapper(
        &'static str,
        Option<Box<dyn std::error::Error + Send + Sync>>,
    );

    impl fmt::Display for Wrapper {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Wrapper {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|e| e as _)
        }
    }

    #[test]
    fn transport_errors_show_their_causes_on_one_line() {
        let refused =
            std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        let e = SdkError::Transport(Box::new(Wrapper(
            "client error (Connect)",
            Some(Box::new(Wrapper(
                "tcp connect error",
                Some(Box::new(refused)),
            ))),
        )));
        assert_eq!(
            e.to_string(),
            "transport error: client error (Connect): tcp connect error: Connection refused"
        );
        // A cause that repeats its parent's text is shown once.
        let e = SdkError::Transport(Box::new(Wrapper(
            "timed out: deadline",
            Some(Box::new(Wrapper("deadline", None))),
        )));
        assert_eq!(e.to_string(), "transport error: timed out: deadline");
    }
}
