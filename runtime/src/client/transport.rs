//! Sending requests: hyper 1 (HTTP/1.1) over plain TCP or rustls (ring
//! crypto, Mozilla roots from `webpki-roots`), with pooled connections.

use crate::protocol::HttpResponse;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Which limit a [`TimeoutError`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    Connect,
    Attempt,
    Operation,
}

/// A timeout from [`super::TimeoutConfig`] fired; found in
/// `SdkError::Transport` (downcast the boxed error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutError {
    pub kind: TimeoutKind,
    pub after: Duration,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connecting",
            TimeoutKind::Attempt => "the attempt",
            TimeoutKind::Operation => "the operation",
        };
        write!(f, "{what} timed out after {:?}", self.after)
    }
}

impl std::error::Error for TimeoutError {}

/// A failure to exchange a request and response.
#[derive(Debug)]
pub struct TransportError {
    pub error: Box<dyn std::error::Error + Send + Sync>,
    /// A timeout (connect or attempt) rather than another I/O failure.
    pub timed_out: bool,
}

type Inner = HyperClient<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The HTTP client shared by all calls of a [`super::Client`].
#[derive(Clone)]
pub struct Transport {
    // Building the TLS configuration cannot fail with the bundled provider,
    // but if it ever does the error is reported by the first call instead of
    // making `Client::new` fallible.
    client: Result<Inner, Arc<str>>,
    connect_timeout: Option<Duration>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport").finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(connect_timeout: Option<Duration>) -> Transport {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(connect_timeout);
        http.set_nodelay(true);
        let client = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map(|b| {
                let connector = b.https_or_http().enable_http1().wrap_connector(http);
                HyperClient::builder(TokioExecutor::new())
                    .pool_timer(TokioTimer::new())
                    .pool_idle_timeout(Duration::from_secs(60))
                    .build(connector)
            })
            .map_err(|e| Arc::from(format!("cannot set up TLS: {e}")));
        Transport {
            client,
            connect_timeout,
        }
    }

    /// Sends one request and reads the whole response.
    pub async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: Vec<u8>,
    ) -> Result<HttpResponse, TransportError> {
        let client = self.client.as_ref().map_err(|e| TransportError {
            error: e.to_string().into(),
            timed_out: false,
        })?;
        let invalid = |e: String| TransportError {
            error: e.into(),
            timed_out: false,
        };
        let mut builder = hyper::Request::builder()
            .method(
                hyper::Method::from_bytes(method.as_bytes())
                    .map_err(|e| invalid(format!("invalid method {method:?}: {e}")))?,
            )
            .uri(url);
        for (k, v) in headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let request = builder
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| invalid(format!("invalid request: {e}")))?;
        let response = client.request(request).await.map_err(|e| {
            let timed_out = is_timeout(&e);
            TransportError {
                error: match (timed_out, self.connect_timeout) {
                    (true, Some(after)) if e.is_connect() => Box::new(TimeoutError {
                        kind: TimeoutKind::Connect,
                        after,
                    }),
                    _ => Box::new(e),
                },
                timed_out,
            }
        })?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| TransportError {
                error: Box::new(e),
                timed_out: false,
            })?
            .to_bytes()
            .to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// Whether an error (or one it wraps) is an I/O timeout.
fn is_timeout(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return true;
        }
        cur = err.source();
    }
    false
}
