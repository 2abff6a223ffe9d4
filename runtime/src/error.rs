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
