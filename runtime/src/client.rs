//! The HTTP client generated clients delegate to.
//!
//! A call goes: pick the protocol → validate the input (per
//! [`ValidationPolicy`]) → [`protocol::serialize_request`] → resolve the
//! endpoint ([`endpoint`]) → choose auth and sign ([`signing`]) → send
//! (`transport`), retrying per [`RetryConfig`] → on 2xx
//! [`protocol::parse_response`] into the output, otherwise
//! [`protocol::parse_error_envelope`] and, for a modeled error,
//! [`protocol::parse_error_body`] into the operation error's variant.
//!
//! All of that up to the successful response is the non-generic, boxed
//! [`Client::call_raw`]; the generic [`Client::call`] that every generated
//! operation instantiates only parses a [`RawResponse`] into a default
//! output (through `&mut dyn Struct`) or maps a [`RawError`] to the
//! operation's error enum, so hundreds of operations cost little compile time.

mod config;
pub mod credentials;
pub mod endpoint;
pub mod region;
mod retry;
pub mod signing;
mod transport;

pub use config::{Config, RetryConfig, TimeoutConfig, ValidationPolicy};
pub use credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials,
    ProvideCredentialsFuture, SharedCredentials,
};
pub use transport::{TimeoutError, TimeoutKind};

use crate::error::{DeserializeError, SdkError, UnmodeledError};
use crate::operation::OperationError;
use crate::protocol::{self, HttpResponse};
use crate::schema::{Operation, Protocol, Service};
use crate::value::{Blank, Struct, ValueRef};
use endpoint::Endpoint;
use retry::{RetryKind, RetryQuota};
use signing::{AuthScheme, SigningContext};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;
use transport::Transport;

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("botogen/", env!("CARGO_PKG_VERSION"));

/// A client for one service; cheap to clone (clones share the connection
/// pool, the credentials and the retry quota).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static Service,
    config: Config,
    credentials: SharedCredentials,
    /// The region chain's answer when `config.region` is unset, resolved once.
    region: tokio::sync::OnceCell<Option<String>>,
    transport: Transport,
    quota: RetryQuota,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.service.service_id)
            .field("config", &self.inner.config)
            .finish()
    }
}

/// Why [`Client::call_raw`] failed, before mapping to an operation's error enum.
#[derive(Debug)]
pub enum RawError {
    /// The call failed before a service error could be read.
    Sdk(SdkError),
    /// An error response whose code the operation does not model.
    Unmodeled(UnmodeledError),
    /// An error response naming one of `Operation::errors` (boxed: it holds the response).
    Modeled(Box<ModeledError>),
}

impl fmt::Display for RawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawError::Sdk(e) => e.fmt(f),
            RawError::Unmodeled(e) => e.fmt(f),
            RawError::Modeled(e) => e.envelope().fmt(f),
        }
    }
}

impl std::error::Error for RawError {}

/// A modeled error response, not yet parsed into its Rust type.
#[derive(Debug)]
pub struct ModeledError {
    /// Index into `Operation::errors`.
    pub index: usize,
    pub code: String,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub response: HttpResponse,
    service: &'static Service,
    protocol: Protocol,
    op: &'static Operation,
}

impl ModeledError {
    /// Parses the error's fields into `target` (the modeled error's struct).
    /// The envelope's message fills a `message`/`Message` member the body
    /// left unset: services spell the key either way whatever the model
    /// calls the member (STS sends `<Message>` for `message`), and the
    /// official SDKs do the same.
    pub fn parse_into(&self, target: &mut dyn Struct) -> Result<(), DeserializeError> {
        protocol::parse_error_body(
            self.service,
            self.protocol,
            self.op,
            self.index,
            &self.response,
            target,
        )?;
        if let Some(message) = &self.message {
            fill_message(target, message);
        }
        Ok(())
    }

    /// The error as an [`UnmodeledError`] (code, message, request id, status).
    pub fn envelope(&self) -> UnmodeledError {
        UnmodeledError {
            code: self.code.clone(),
            message: self.message.clone(),
            request_id: self.request_id.clone(),
            status: self.response.status,
        }
    }
}

/// Sets the error's message member (any capitalisation) to `message` when it
/// is unset or empty (a required member's default).
fn fill_message(target: &mut dyn Struct, message: &str) {
    let Some(i) = target
        .shape()
        .members()
        .iter()
        .position(|m| m.name.eq_ignore_ascii_case("message"))
    else {
        return;
    };
    let unset = match target.member(i).map(|v| v.get()) {
        Some(ValueRef::Null) => true,
        Some(ValueRef::Str(s)) => s.is_empty(),
        _ => false,
    };
    if unset && let Some(field) = target.member_mut(i) {
        // A non-string message member keeps its default.
        let _ = field.set_str(message);
    }
}

/// Maps a [`RawError`] to a generated error enum. Kept out of `call`'s
/// async body so the per-operation state machine stays small.
pub(crate) fn operation_error<E: OperationError>(raw: RawError) -> E {
    match raw {
        RawError::Sdk(e) => E::sdk(e),
        RawError::Unmodeled(e) => E::unmodeled(e),
        RawError::Modeled(m) => match E::modeled(m.index) {
            Some(mut err) => match err.modeled_mut().map(|fields| m.parse_into(fields)) {
                Some(Err(e)) => E::sdk(SdkError::Deserialize(e)),
                _ => err,
            },
            None => E::unmodeled(m.envelope()),
        },
    }
}

/// S3 can answer `200 OK` and still fail: `CopyObject`, `UploadPartCopy`,
/// `CompleteMultipartUpload` (and, per botocore, any S3 call without a
/// streaming output) may send an `<Error>` document after the status line.
/// Like botocore, such a response is treated as an error response.
fn is_s3_error_in_200(
    service: &Service,
    protocol: Protocol,
    op: &Operation,
    response: &HttpResponse,
) -> bool {
    if protocol != Protocol::RestXml || service.signing_name != "s3" {
        return false;
    }
    let streaming_output = op.output.structure().is_some_and(|st| {
        st.payload
            .is_some_and(|i| st.members[i].target.streaming || st.members[i].target.event_stream)
    });
    if streaming_output {
        return false;
    }
    let body = response.body.trim_ascii_start();
    // Skip an XML declaration, then look at the root element's name.
    let body = match body.strip_prefix(b"<?xml") {
        Some(rest) => match rest.windows(2).position(|w| w == b"?>") {
            Some(end) => rest[end + 2..].trim_ascii_start(),
            None => return false,
        },
        None => body,
    };
    body.starts_with(b"<Error>") || body.starts_with(b"<Error ")
}

/// The boxed future of [`Client::call_raw`].
pub type RawFuture<'a> = Pin<Box<dyn Future<Output = Result<RawResponse, RawError>> + Send + 'a>>;

impl Client {
    /// A client for `service`. Nothing is read or connected until the first call.
    pub fn new(service: &'static Service, config: Config) -> Client {
        let credentials = config
            .credentials
            .clone()
            .unwrap_or_else(|| SharedCredentials::new(credentials::DefaultChain::default()));
        let transport = Transport::new(config.timeouts.connect);
        Client {
            inner: Arc::new(Inner {
                service,
                config,
                credentials,
                region: tokio::sync::OnceCell::new(),
                transport,
                quota: RetryQuota::default(),
            }),
        }
    }

    pub fn service(&self) -> &'static Service {
        self.inner.service
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Calls `op` with `input` and parses the response into `O` or the error into `E`.
    pub async fn call<O, E>(
        &self,
        op: &'static Operation,
        input: &(dyn Struct + Sync),
    ) -> Result<O, E>
    where
        O: Struct + Blank + Send,
        E: OperationError + Send,
    {
        // Only the boxed non-generic future is held across the await, so
        // this per-operation state machine stays a few words large.
        match self.call_raw(op, input).await {
            Ok(response) => {
                let mut output = O::blank();
                match response.parse_into(&mut output) {
                    Ok(()) => Ok(output),
                    Err(e) => Err(E::sdk(SdkError::Deserialize(e))),
                }
            }
            Err(e) => Err(operation_error(e)),
        }
    }

    /// Like [`Client::call`], but takes the input by value and returns a
    /// named future instead of an `async` state machine. Generated clients
    /// use this: their methods are then plain functions, so a generated
    /// crate compiles no per-operation coroutine, and the only
    /// per-operation generic code (`Call::poll`) is instantiated where an
    /// operation is actually awaited. The input is boxed, one allocation
    /// per call.
    #[inline]
    pub fn call_owned<I, O, E>(&self, op: &'static Operation, input: I) -> Call<'_, O, E>
    where
        I: Struct + Send + Sync + 'static,
        O: Struct + Blank,
        E: OperationError,
    {
        Call {
            raw: self.call_raw_boxed(op, Box::new(input)),
            types: PhantomData,
        }
    }

    /// The non-generic core of [`Client::call`]: everything up to a
    /// successful response, which the caller parses with
    /// [`RawResponse::parse_into`].
    pub fn call_raw<'a>(
        &'a self,
        op: &'static Operation,
        input: &'a (dyn Struct + Sync),
    ) -> RawFuture<'a> {
        Box::pin(self.inner.execute_with_timeout(op, input))
    }

    /// [`Client::call_raw`] owning its input.
    pub fn call_raw_boxed(
        &self,
        op: &'static Operation,
        input: Box<dyn Struct + Send + Sync>,
    ) -> RawFuture<'_> {
        Box::pin(async move { self.inner.execute_with_timeout(op, &*input).await })
    }
}

impl Inner {
    /// [`Inner::execute`] bounded by the configured operation timeout.
    async fn execute_with_timeout(
        &self,
        op: &'static Operation,
        input: &(dyn Struct + Sync),
    ) -> Result<RawResponse, RawError> {
        match self.config.timeouts.operation {
            Some(after) => tokio::time::timeout(after, self.execute(op, input))
                .await
                .unwrap_or_else(|_| {
                    Err(RawError::Sdk(SdkError::Transport(Box::new(TimeoutError {
                        kind: TimeoutKind::Operation,
                        after,
                    }))))
                }),
            None => self.execute(op, input).await,
        }
    }
}

/// The future returned by [`Client::call_owned`]: polls the boxed,
/// non-generic [`RawFuture`], then parses the response into `O` or maps the
/// error onto `E`.
#[must_use = "futures do nothing unless polled"]
pub struct Call<'a, O, E> {
    raw: RawFuture<'a>,
    types: PhantomData<fn() -> (O, E)>,
}

impl<O, E> fmt::Debug for Call<'_, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

impl<O: Struct + Blank, E: OperationError> Future for Call<'_, O, E> {
    type Output = Result<O, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.raw.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(result) => Poll::Ready(finish(result)),
        }
    }
}

/// Parses a successful response into `O`, or maps the error onto `E`.
fn finish<O: Struct + Blank, E: OperationError>(
    result: Result<RawResponse, RawError>,
) -> Result<O, E> {
    match result {
        Ok(response) => {
            let mut output = O::blank();
            match response.parse_into(&mut output) {
                Ok(()) => Ok(output),
                Err(e) => Err(E::sdk(SdkError::Deserialize(e))),
            }
        }
        Err(e) => Err(operation_error(e)),
    }
}

/// A successful (2xx) response, not yet parsed into the output type.
#[derive(Debug)]
pub struct RawResponse {
    pub response: HttpResponse,
    service: &'static Service,
    protocol: Protocol,
    op: &'static Operation,
}

impl RawResponse {
    /// Parses the response into `output` (a default value of the operation's output type).
    pub fn parse_into(&self, output: &mut dyn Struct) -> Result<(), DeserializeError> {
        protocol::parse_response(self.service, self.protocol, self.op, &self.response, output)
    }
}

/// Why a call that needs a region has none, and where it was looked for.
const NO_REGION: &str = "no region configured: Config::region is unset and the region chain \
     (AWS_REGION, AWS_DEFAULT_REGION, the profile's region, EC2 instance metadata) found none";

/// A configuration problem, reported as the SDK error for it.
fn config_error(message: String) -> RawError {
    RawError::Sdk(SdkError::Config(message))
}

impl Inner {
    fn protocol(&self) -> Result<Protocol, RawError> {
        match self.config.protocol {
            None => Ok(self.service.protocol),
            Some(p) if self.service.protocols.contains(&p) || p == self.service.protocol => Ok(p),
            Some(p) => Err(config_error(format!(
                "{} does not support the {} protocol (it lists: {})",
                self.service.service_id,
                p.as_str(),
                self.service
                    .protocols
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    fn validate(&self, input: &dyn Struct) -> Result<(), RawError> {
        let result = match self.config.validation {
            ValidationPolicy::Off => return Ok(()),
            ValidationPolicy::Full => crate::validate::validate(input),
            // Only presence is checked by default, without compiling any pattern.
            ValidationPolicy::Required => crate::validate::validate_required(input),
        };
        result.map_err(|e| RawError::Sdk(SdkError::Validation(e)))
    }

    async fn execute(
        &self,
        op: &'static Operation,
        input: &(dyn Struct + Sync),
    ) -> Result<RawResponse, RawError> {
        if op.event_stream {
            return Err(RawError::Sdk(SdkError::Unsupported(format!(
                "{} uses event streams, which botogen does not support yet",
                op.name
            ))));
        }
        let service = self.service;
        let protocol = self.protocol()?;
        self.validate(input)?;
        let request = protocol::serialize_request(service, protocol, op, input)
            .map_err(|e| RawError::Sdk(SdkError::Serialize(e)))?;

        let region = self.region().await;
        let mut endpoint = Endpoint::resolve(service, region, self.config.endpoint_url.as_deref())
            .map_err(|e| match region {
                None => config_error(format!("{e}; {NO_REGION}")),
                Some(_) => config_error(e),
            })?;
        if let Some(prefix) = &request.host_prefix
            && !self.config.disable_host_prefix
        {
            endpoint.with_host_prefix(prefix);
        }
        let url = endpoint.url(&request.uri);

        let auth = signing::choose_auth(service, op, self.config.bearer_token.is_some())
            .map_err(|e| RawError::Sdk(SdkError::Credentials(e)))?;
        if matches!(auth, AuthScheme::SigV4 { .. }) && endpoint.signing_region.is_empty() {
            return Err(config_error(NO_REGION.into()));
        }
        let credentials = match auth {
            AuthScheme::SigV4 { .. } => self
                .credentials
                .credentials()
                .await
                .map_err(|e| RawError::Sdk(SdkError::Credentials(e.to_string())))?,
            _ => None,
        };

        let mut headers = base_headers(&endpoint, &request);
        if let (AuthScheme::Bearer, Some(token)) = (auth, &self.config.bearer_token) {
            headers.push(("authorization".into(), format!("Bearer {token}")));
        }
        let invocation_id = uuid::Uuid::new_v4().to_string();
        headers.push(("amz-sdk-invocation-id".into(), invocation_id));

        let retry = self.config.retry;
        let max_attempts = retry.max_attempts.max(1);
        let mut spent = 0;
        let mut attempt = 1;
        loop {
            let mut attempt_headers = headers.clone();
            attempt_headers.push((
                "amz-sdk-request".into(),
                format!("attempt={attempt}; max={max_attempts}"),
            ));
            if let (AuthScheme::SigV4 { unsigned_body }, Some(creds)) = (auth, &credentials) {
                let cx = SigningContext {
                    credentials: creds,
                    region: &endpoint.signing_region,
                    name: service.signing_name,
                    time: SystemTime::now(),
                    unsigned_body,
                };
                signing::sign_v4(
                    &cx,
                    request.method,
                    &url,
                    &mut attempt_headers,
                    &request.body,
                )
                .map_err(|e| {
                    RawError::Sdk(SdkError::Credentials(format!("signing failed: {e}")))
                })?;
            }
            let (error, kind) = match self
                .send(request.method, &url, &attempt_headers, request.body.clone())
                .await
            {
                Ok(response)
                    if (200..300).contains(&response.status)
                        && !is_s3_error_in_200(service, protocol, op, &response) =>
                {
                    if retry.retry_quota {
                        self.quota.release(spent);
                    }
                    return Ok(RawResponse {
                        response,
                        service,
                        protocol,
                        op,
                    });
                }
                Ok(response) => {
                    let in_200 = (200..300).contains(&response.status);
                    let (error, kind) = error_response(service, protocol, op, response);
                    // botocore retries an error inside a 200 as it would a 500.
                    if in_200 && !kind.retryable() {
                        (error, RetryKind::Transient)
                    } else {
                        (error, kind)
                    }
                }
                Err(e) => {
                    let kind = if e.timed_out {
                        RetryKind::Timeout
                    } else {
                        RetryKind::Transport
                    };
                    (RawError::Sdk(SdkError::Transport(e.error)), kind)
                }
            };
            if !kind.retryable() || attempt >= max_attempts {
                return Err(error);
            }
            if retry.retry_quota {
                match self.quota.acquire(kind) {
                    Some(cost) => spent += cost,
                    None => return Err(error),
                }
            }
            tokio::time::sleep(retry::backoff(&retry, attempt, fastrand::f64())).await;
            attempt += 1;
        }
    }

    /// The configured region, else the region chain's (resolved once).
    async fn region(&self) -> Option<&str> {
        if let Some(region) = &self.config.region {
            return Some(region);
        }
        self.region
            .get_or_init(|| async { region::default_region(&crate::env::Env::real(), None).await })
            .await
            .as_deref()
    }

    /// One attempt, bounded by the attempt timeout.
    async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: Vec<u8>,
    ) -> Result<HttpResponse, transport::TransportError> {
        let send = self.transport.send(method, url, headers, body);
        match self.config.timeouts.attempt {
            Some(after) => tokio::time::timeout(after, send).await.unwrap_or_else(|_| {
                Err(transport::TransportError {
                    error: Box::new(TimeoutError {
                        kind: TimeoutKind::Attempt,
                        after,
                    }),
                    timed_out: true,
                })
            }),
            None => send.await,
        }
    }
}

/// Host, User-Agent and Content-Length, then the serializer's headers.
fn base_headers(endpoint: &Endpoint, request: &protocol::HttpRequest) -> Vec<(String, String)> {
    let mut headers = Vec::with_capacity(request.headers.len() + 6);
    headers.push(("host".to_owned(), endpoint.authority()));
    headers.push(("user-agent".to_owned(), USER_AGENT.to_owned()));
    let has_length = request.header("content-length").is_some();
    // hyper omits Content-Length for an empty body, which some services
    // reject on POST/PUT; state it (it is also what gets signed).
    if !has_length
        && (!request.body.is_empty() || matches!(request.method, "POST" | "PUT" | "PATCH"))
    {
        headers.push(("content-length".to_owned(), request.body.len().to_string()));
    }
    headers.extend(
        request
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
            .cloned(),
    );
    headers
}

/// Reads an error response into a [`RawError`] and classifies it for retries.
fn error_response(
    service: &'static Service,
    protocol: Protocol,
    op: &'static Operation,
    response: HttpResponse,
) -> (RawError, RetryKind) {
    let header_request_id = || {
        ["x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"]
            .iter()
            .find_map(|h| response.header(h))
            .map(str::to_owned)
    };
    let status = response.status;
    let Ok(envelope) = protocol::parse_error_envelope(service, protocol, op, &response) else {
        // Not a service error body (a proxy's HTML page, an empty 503, ...):
        // like botocore, the status stands in for the code.
        let message = std::str::from_utf8(&response.body)
            .ok()
            .map(|b| b.trim().chars().take(512).collect::<String>())
            .filter(|m| !m.is_empty());
        let error = UnmodeledError {
            code: status.to_string(),
            message,
            request_id: header_request_id(),
            status,
        };
        let kind = retry::classify_response(status, "", None);
        return (RawError::Unmodeled(error), kind);
    };
    let code = if envelope.code.is_empty() {
        status.to_string()
    } else {
        envelope.code
    };
    let request_id = envelope.request_id.or_else(header_request_id);
    let modeled = envelope.modeled.filter(|&i| i < op.errors.len());
    let info = modeled.and_then(|i| op.errors[i].error);
    let kind = retry::classify_response(status, &code, info.map(|i| (i.retryable, i.throttling)));
    let error = match modeled {
        Some(index) => RawError::Modeled(Box::new(ModeledError {
            index,
            code,
            message: envelope.message,
            request_id,
            response,
            service,
            protocol,
            op,
        })),
        None => RawError::Unmodeled(UnmodeledError {
            code,
            message: envelope.message,
            request_id,
            status,
        }),
    };
    (error, kind)
}
