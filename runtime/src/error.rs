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

/// An error response whose code is not one of the operation's modeled errors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnmodeledError {
    /// The error code, stripped of namespace and `:`-suffix.
    pub code: String,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub status: u16,
}

impl fmt::Display for UnmodeledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.code, self.status)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
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
            SdkError::Transport(e) => write!(f, "transport error: {e}"),
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
