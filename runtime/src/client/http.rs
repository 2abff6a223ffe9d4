//! The pluggable HTTP client: [`HttpClient`] sends one request and returns
//! the response head with a streaming body.
//!
//! The runtime does everything around it (serialization, signing, retries,
//! the attempt/operation/read timeouts and stalled-stream protection), so an
//! implementation only moves bytes: a test double, a mock that records
//! requests, another TLS stack. The built-in one is
//! [`DefaultHttpClient`](super::DefaultHttpClient) (feature
//! `default-client`, on by default); a program that sets its own client
//! with [`Config::http_client`](super::Config::http_client) can turn that
//! feature off and compiles no hyper, rustls or socket code.

use crate::body::{BoxError, SdkBody};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What an [`HttpClient`] returns: a boxed future of the response.
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<SdkBody>, HttpError>> + Send + 'a>>;

/// Sends HTTP requests.
///
/// The request carries an absolute URI (`https://host/path?query`), every
/// header to send (including `host`, `content-length` and the signature) and
/// its body as an [`SdkBody`]; the response's body may stream (wrap your
/// stack's body with [`SdkBody::from_body`]). Return the response for any
/// status: error statuses are the runtime's business. Errors before a
/// response are [`HttpError`]s; all of them are retried per the retry
/// settings, so classify connect failures and timeouts when you can.
///
/// ```
/// use botogen_runtime::body::SdkBody;
/// use botogen_runtime::client::{HttpClient, HttpError, HttpFuture};
///
/// /// Answers every request with `204 No Content`.
/// #[derive(Debug)]
/// struct NoContent;
///
/// impl HttpClient for NoContent {
///     fn send(&self, _request: http::Request<SdkBody>) -> HttpFuture<'_> {
///         Box::pin(async {
///             http::Response::builder()
///                 .status(204)
///                 .body(SdkBody::empty())
///                 .map_err(HttpError::other)
///         })
///     }
/// }
/// ```
pub trait HttpClient: Send + Sync + fmt::Debug + 'static {
    fn send(&self, request: http::Request<SdkBody>) -> HttpFuture<'_>;
}

/// A shared [`HttpClient`]; cloning shares the client (and its connections).
#[derive(Clone)]
pub struct SharedHttpClient(Arc<dyn HttpClient>);

impl SharedHttpClient {
    pub fn new(client: impl HttpClient) -> SharedHttpClient {
        SharedHttpClient(Arc::new(client))
    }
}

impl fmt::Debug for SharedHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl HttpClient for SharedHttpClient {
    fn send(&self, request: http::Request<SdkBody>) -> HttpFuture<'_> {
        self.0.send(request)
    }
}

/// What kind of failure an [`HttpError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpErrorKind {
    /// No connection could be made (DNS, TCP, TLS, proxy).
    Connect,
    /// A timeout of the client's own fired.
    Timeout,
    /// The connection failed while the request or response was in flight.
    Io,
    /// Anything else (an invalid request, a closed client, ...).
    Other,
}

/// An [`HttpClient`] could not exchange the request and response.
#[derive(Debug)]
pub struct HttpError {
    kind: HttpErrorKind,
    source: BoxError,
}

impl HttpError {
    pub fn new(kind: HttpErrorKind, source: impl Into<BoxError>) -> HttpError {
        HttpError {
            kind,
            source: source.into(),
        }
    }
    pub fn connect(source: impl Into<BoxError>) -> HttpError {
        HttpError::new(HttpErrorKind::Connect, source)
    }
    pub fn timeout(source: impl Into<BoxError>) -> HttpError {
        HttpError::new(HttpErrorKind::Timeout, source)
    }
    pub fn io(source: impl Into<BoxError>) -> HttpError {
        HttpError::new(HttpErrorKind::Io, source)
    }
    pub fn other(source: impl Into<BoxError>) -> HttpError {
        HttpError::new(HttpErrorKind::Other, source)
    }

    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }

    /// Whether this is a timeout (the client's, or an I/O timeout anywhere
    /// in the cause chain).
    pub fn is_timeout(&self) -> bool {
        self.kind == HttpErrorKind::Timeout
            || crate::error::chain(&*self.source).any(|e| {
                e.is::<super::TimeoutError>()
                    || e.is::<super::StalledStreamError>()
                    || e.downcast_ref::<std::io::Error>()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            })
    }

    pub fn into_source(self) -> BoxError {
        self.source
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            HttpErrorKind::Connect => "cannot connect",
            HttpErrorKind::Timeout => "timed out",
            HttpErrorKind::Io => "connection failed",
            HttpErrorKind::Other => "request failed",
        })
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}
