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
//!
//! Bytes move through an [`HttpClient`] (the built-in
//! [`DefaultHttpClient`] unless [`Config::http_client`] sets another) as
//! [`SdkBody`] streams: a streaming input member is sent as it is read
//! (S3 over HTTPS with `UNSIGNED-PAYLOAD`, over HTTP as signed
//! `aws-chunked`; other services hash a file body before sending it), and
//! a streaming output member receives the response body unread, so its
//! size never has to fit in memory.

pub mod aws_chunked;
pub mod checksums;
mod config;
pub mod credentials;
pub mod endpoint;
mod http;
#[cfg(feature = "default-client")]
mod hyper_client;
pub mod presign;
pub mod region;
mod retry;
pub mod signing;
mod trace;
mod transport;

pub use config::{
    Config, DEFAULT_TCP_KEEPALIVE, HttpConfig, ProxyConfig, RetryConfig, RetryMode, S3Config,
    StalledStreamProtection, TimeoutConfig, ValidationPolicy,
};
pub use credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials,
    ProvideCredentialsFuture, SharedCredentials,
};
pub use http::{HttpClient, HttpError, HttpErrorKind, HttpFuture, SharedHttpClient};
#[cfg(feature = "default-client")]
pub use hyper_client::DefaultHttpClient;
pub use retry::Crc32Mismatch;
pub use transport::{StalledStreamError, StreamDirection, TimeoutError, TimeoutKind};

use crate::body::{BoxError, ByteStream, SdkBody};
use crate::error::{
    DeserializeError, ErrorMetadata, ErrorShape, ProvideErrorMetadata, SdkError, UnmodeledError,
};
use crate::operation::OperationError;
use crate::protocol::{self, ErrorMatch, HttpResponse};
use crate::schema::{Operation, Protocol, Service};
use crate::value::{Blank, Struct, ValueRef};
use endpoint::ResolvedEndpoint;
use retry::{Decision, Modeled, Outcome};
use signing::{AuthScheme, SigningContext};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;
use tracing::Instrument as _;
use transport::{DownloadGuard, Progress, TransportError, UploadGuard};

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("botogen/", env!("CARGO_PKG_VERSION"));

/// A client for one service; cheap to clone (clones share the connection
/// pool, the credentials, the retry quota and the adaptive rate limiter).
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
    /// The HTTP client, or why it could not be built (reported by every
    /// call rather than making `Client::new` fallible).
    http: Result<SharedHttpClient, String>,
    /// The retry mode with its client-wide state (quota, rate limiter).
    retry: retry::Retry,
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
    /// An error response whose code names no error shape of the service.
    Unmodeled(UnmodeledError),
    /// An error response naming an error shape of the operation or the
    /// service (boxed: it holds the response).
    Modeled(Box<ModeledError>),
}

impl RawError {
    /// The error's metadata (empty for an [`SdkError`]).
    pub fn meta(&self) -> &ErrorMetadata {
        match self {
            RawError::Sdk(e) => e.meta(),
            RawError::Unmodeled(e) => e.meta(),
            RawError::Modeled(e) => &e.meta,
        }
    }
}

impl fmt::Display for RawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawError::Sdk(e) => e.fmt(f),
            RawError::Unmodeled(e) => e.fmt(f),
            RawError::Modeled(e) => UnmodeledError::new(e.meta.clone()).fmt(f),
        }
    }
}

impl std::error::Error for RawError {}

/// A modeled error response, not yet parsed into its Rust type.
#[derive(Debug)]
pub struct ModeledError {
    /// The error shape the code names.
    pub matched: ErrorMatch,
    /// Code, message, request ids and status.
    pub meta: ErrorMetadata,
    pub response: HttpResponse,
    protocol: Protocol,
}

impl ModeledError {
    /// Parses the error's fields into `target` (the modeled error's struct)
    /// and gives it the response's metadata. The envelope's message fills
    /// a `message`/`Message` member the body left unset: services spell the
    /// key either way whatever the model calls the member (STS sends
    /// `<Message>` for `message`), and the official SDKs do the same.
    pub fn parse_into(&self, target: &mut dyn ErrorShape) -> Result<(), DeserializeError> {
        protocol::parse_error_body(self.protocol, &self.response, &mut *target)?;
        if let Some(message) = self.meta.message() {
            fill_message(&mut *target, message);
        }
        *target.meta_mut() = self.meta.clone();
        Ok(())
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
        RawError::Modeled(m) => {
            let err = match m.matched {
                ErrorMatch::Operation(i) => E::modeled(i),
                ErrorMatch::Service(i) => E::unlisted(i),
            };
            match err {
                Some(mut err) => match err.modeled_mut().map(|fields| m.parse_into(fields)) {
                    Some(Err(e)) => E::sdk(SdkError::Deserialize(e)),
                    _ => err,
                },
                // An error enum without that variant (hand-written, or
                // built against other statics): keep code and message.
                None => E::unmodeled(UnmodeledError::new(m.meta)),
            }
        }
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
        let http = match &config.http_client {
            Some(client) => Ok(client.clone()),
            None => default_http_client(&config),
        };
        let retry = retry::Retry::new(&config.retry, service);
        Client {
            inner: Arc::new(Inner {
                service,
                config,
                credentials,
                region: tokio::sync::OnceCell::new(),
                http,
                retry,
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
            Ok(mut response) => {
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

    /// [`Client::call_owned`] for an operation whose output has an event
    /// stream: `set` (generated, one line per operation) stores the stream
    /// in the output's field once the response's headers (and any
    /// `initial-response` event) are parsed.
    #[inline]
    pub fn call_event_stream<I, O, T, E>(
        &self,
        op: &'static Operation,
        input: I,
        set: fn(&mut O, crate::event_stream::EventStream<T, E>),
    ) -> EventCall<'_, O, T, E>
    where
        I: Struct + Send + Sync + 'static,
        O: Struct + Blank,
        E: OperationError,
    {
        EventCall {
            raw: self.call_raw_boxed(op, Box::new(input)),
            set,
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
    /// Runs in the call's `operation` span (see [`trace`]).
    async fn execute_with_timeout(
        &self,
        op: &'static Operation,
        input: &(dyn Struct + Sync),
    ) -> Result<RawResponse, RawError> {
        let span = trace::operation_span(self.service, op);
        let started = tokio::time::Instant::now();
        let execute = self.execute(op, input, &span);
        let result = match self.config.timeouts.operation {
            Some(after) => tokio::time::timeout(after, execute)
                .instrument(span.clone())
                .await
                .unwrap_or_else(|_| {
                    Err(RawError::Sdk(SdkError::Transport(Box::new(TimeoutError {
                        kind: TimeoutKind::Operation,
                        after,
                    }))))
                }),
            None => execute.instrument(span.clone()).await,
        };
        trace::finish_operation(&span, started, &result);
        result
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

/// The future returned by [`Client::call_event_stream`]: [`Call`], then the
/// output's event stream is stored in its field.
#[must_use = "futures do nothing unless polled"]
pub struct EventCall<'a, O, T, E> {
    raw: RawFuture<'a>,
    set: fn(&mut O, crate::event_stream::EventStream<T, E>),
}

impl<O, T, E> fmt::Debug for EventCall<'_, O, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventCall").finish_non_exhaustive()
    }
}

impl<O: Struct + Blank, T, E: OperationError> Future for EventCall<'_, O, T, E> {
    type Output = Result<O, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.raw.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(mut response)) => {
                let events = response.take_events();
                let mut output = finish::<O, E>(Ok(response))?;
                (self.set)(
                    &mut output,
                    crate::event_stream::EventStream::from_raw(events),
                );
                Poll::Ready(Ok(output))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(operation_error(e))),
        }
    }
}

/// Parses a successful response into `O`, or maps the error onto `E`.
fn finish<O: Struct + Blank, E: OperationError>(
    result: Result<RawResponse, RawError>,
) -> Result<O, E> {
    match result {
        Ok(mut response) => {
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
    /// Status, headers and (unless the output streams) the whole body.
    pub response: HttpResponse,
    /// The unread body of an operation whose output streams its payload.
    stream: Option<ByteStream>,
    /// The body of an output event stream, being read.
    events: Option<crate::event_stream::RawEventStream>,
    service: &'static Service,
    protocol: Protocol,
    op: &'static Operation,
}

impl RawResponse {
    /// Parses the response into `output` (a default value of the
    /// operation's output type); a streaming payload member receives the
    /// body unread (so a second call leaves it empty).
    pub fn parse_into(&mut self, output: &mut dyn Struct) -> Result<(), DeserializeError> {
        protocol::parse_response(self.service, self.protocol, self.op, &self.response, output)?;
        if let (Some(stream), Some(i)) = (self.stream.take(), streaming_output_member(self.op))
            && let Some(slot) = output.member_mut(i)
        {
            slot.set_stream(stream)?;
        }
        Ok(())
    }
}

impl RawResponse {
    /// The output's event stream (once; see [`Client::call_event_stream`]).
    pub fn take_events(&mut self) -> Option<crate::event_stream::RawEventStream> {
        self.events.take()
    }
}

/// Fails an event-stream operation this build cannot run.
fn event_stream_supported(op: &Operation) -> Result<(), RawError> {
    #[cfg(feature = "event-stream")]
    {
        if crate::event_stream::read::has_input_stream(op) {
            return Err(RawError::Sdk(SdkError::Unsupported(format!(
                "{} sends an input event stream, which botogen does not support yet",
                op.name
            ))));
        }
        Ok(())
    }
    #[cfg(not(feature = "event-stream"))]
    {
        Err(RawError::Sdk(SdkError::Unsupported(format!(
            "{} uses event streams: enable the `event-stream` feature of botogen-runtime \
             (on by default in crates with event-stream operations)",
            op.name
        ))))
    }
}

/// For an output event stream: hands the body to the stream reader (which
/// reads an `initial-response` event into `response.body` in the json
/// protocols); any other response is returned as it was.
async fn start_events(
    service: &'static Service,
    protocol: Protocol,
    op: &'static Operation,
    response: &mut HttpResponse,
    stream: Option<ByteStream>,
) -> Result<
    (
        Option<ByteStream>,
        Option<crate::event_stream::RawEventStream>,
    ),
    RawError,
> {
    #[cfg(feature = "event-stream")]
    if op.event_stream
        && let Some(body) = stream
    {
        let raw = crate::event_stream::RawEventStream::start(body, service, protocol, op, response)
            .await
            .map_err(RawError::Sdk)?;
        return Ok((None, Some(raw)));
    }
    let _ = (service, protocol, op, response);
    Ok((stream, None))
}

use region::NO_REGION;

/// The output's payload member if it is a streaming blob.
fn streaming_output_member(op: &Operation) -> Option<usize> {
    let st = op.output.structure()?;
    let i = st.payload?;
    st.members[i].target.streaming.then_some(i)
}

/// The built-in HTTP client, or why there is none.
fn default_http_client(config: &Config) -> Result<SharedHttpClient, String> {
    #[cfg(feature = "default-client")]
    {
        DefaultHttpClient::new(config)
            .map(SharedHttpClient::new)
            .map_err(|e| error_text(&e))
    }
    #[cfg(not(feature = "default-client"))]
    {
        let _ = config;
        Err(
            "no HTTP client: set Config::http_client, or enable botogen-runtime's \
             `default-client` feature"
                .to_owned(),
        )
    }
}

/// An error and its causes on one line.
fn error_text(e: &(dyn std::error::Error + 'static)) -> String {
    struct Chain<'a>(&'a (dyn std::error::Error + 'static));
    impl fmt::Display for Chain<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            crate::error::write_chain(f, self.0)
        }
    }
    Chain(e).to_string()
}

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

    /// The endpoint for this call: the configuration's built-ins, the
    /// client context parameters and the operation's bindings through the
    /// service's rule set (see [`endpoint`]).
    fn resolve_endpoint(
        &self,
        op: &'static Operation,
        input: &dyn Struct,
        region: Option<&str>,
    ) -> Result<ResolvedEndpoint, RawError> {
        // Rule sets put the region into host names: only host-label text.
        if let Some(region) = region
            && (region.is_empty()
                || !region
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        {
            return Err(config_error(format!("invalid region {region:?}")));
        }
        // Without a region, say where it was looked for.
        let endpoint_error = |e: endpoint::EndpointError| match e {
            endpoint::EndpointError::Rules(mut r) => {
                if region.is_none() {
                    r.message = format!("{}; {NO_REGION}", r.message);
                }
                RawError::Sdk(SdkError::Endpoint(r))
            }
            endpoint::EndpointError::Config(m) => config_error(m),
        };
        let builtins = endpoint::builtins_in(&self.config, region, self.service, op, input);
        let client_params =
            endpoint::client_params(&self.config, self.service).map_err(endpoint_error)?;
        endpoint::resolve(self.service, op, input, &builtins, &client_params)
            .map_err(endpoint_error)
    }

    /// The request checksum to send and the response checksums to check
    /// (see [`checksums`]); adds the algorithm and validation-mode headers
    /// the defaults call for.
    fn checksum_plan(
        &self,
        op: &'static Operation,
        input: &dyn Struct,
        request: &mut protocol::HttpRequest,
    ) -> Result<
        (
            Option<checksums::ChecksumAlgorithm>,
            Vec<checksums::ChecksumAlgorithm>,
        ),
        RawError,
    > {
        if op.http_checksum.is_none() && !op.checksum_required {
            return Ok((None, Vec::new()));
        }
        let request_default = self
            .config
            .request_checksum_calculation
            .supported("request_checksum_calculation")
            .map_err(config_error)?;
        let response_default = self
            .config
            .response_checksum_validation
            .supported("response_checksum_validation")
            .map_err(config_error)?;
        let algorithm =
            checksums::request_algorithm(op, input, request, request_default).map_err(|e| {
                RawError::Sdk(SdkError::Serialize(crate::error::SerializeError::new(e)))
            })?;
        let validate = checksums::response_algorithms(op, input, request, response_default);
        Ok((algorithm, validate))
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
        span: &tracing::Span,
    ) -> Result<RawResponse, RawError> {
        if !self.config.invalid_settings.is_empty() {
            return Err(config_error(format!(
                "invalid settings: {}",
                self.config.invalid_settings.join("; ")
            )));
        }
        if op.event_stream {
            event_stream_supported(op)?;
        }
        let service = self.service;
        let protocol = self.protocol()?;
        self.validate(input)?;
        let mut request = protocol::serialize_request_unchecked(service, protocol, op, input)
            .map_err(|e| RawError::Sdk(SdkError::Serialize(e)))?;
        let (checksum, validate) = self.checksum_plan(op, input, &mut request)?;

        let region = self.region().await;
        if let Some(region) = region {
            span.record("region", region);
        }
        let mut endpoint = self.resolve_endpoint(op, input, region)?;
        if let Some(prefix) = &request.host_prefix
            && !self.config.disable_host_prefix
        {
            endpoint.with_host_prefix(prefix);
        }
        let url = endpoint.url(&request.uri);

        let auth = signing::choose_auth(service, op, self.config.bearer_token.is_some())
            .map_err(|e| RawError::Sdk(SdkError::Credentials(e)))?;
        let (credentials, plan) = match auth {
            AuthScheme::SigV4 { .. } => {
                let creds = self
                    .credentials
                    .credentials()
                    .await
                    .map_err(|e| RawError::Sdk(SdkError::Credentials(e.to_string())))?;
                let plan = match &creds {
                    Some(_) => Some(
                        signing::signing_plan(service, &endpoint, region).map_err(config_error)?,
                    ),
                    None => None,
                };
                (creds, plan)
            }
            _ => (None, None),
        };

        let http = self.http.as_ref().map_err(|e| config_error(e.clone()))?;
        // S3 takes a trailing checksum on the aws-chunked bodies it signs.
        let trailer_ok = matches!(service.signing_name, "s3" | "s3-outposts" | "s3express")
            && matches!(auth, AuthScheme::SigV4 { .. })
            && credentials.is_some();
        let trailer = match checksum {
            Some(algorithm) => checksums::apply_request(algorithm, &mut request, trailer_ok)
                .await
                .map_err(|e| {
                    RawError::Sdk(SdkError::Serialize(crate::error::SerializeError::new(
                        format!("request checksum: {}", error_text(&*e)),
                    )))
                })?,
            None => None,
        };
        let mut headers = base_headers(&endpoint, &request);
        if let (AuthScheme::Bearer, Some(token)) = (auth, &self.config.bearer_token) {
            headers.push(("authorization".into(), format!("Bearer {token}")));
        }
        let invocation_id = uuid::Uuid::new_v4().to_string();
        headers.push(("amz-sdk-invocation-id".into(), invocation_id));

        let body = match request.stream.take() {
            Some(stream) => stream,
            None => SdkBody::from(std::mem::take(&mut request.body)),
        };
        let signing = match (auth, &credentials, &plan) {
            (AuthScheme::SigV4 { unsigned_body }, Some(creds), Some(plan)) => {
                Some((unsigned_body, creds, plan))
            }
            _ => None,
        };
        let (plan, mut source) = plan_payload(
            service,
            signing.map(|(unsigned, _, _)| unsigned),
            endpoint.scheme == "https",
            trailer,
            body,
        )
        .await?;
        plan.add_headers(&mut headers, &source);
        let streaming_output = streaming_output_member(op).is_some() || op.event_stream;

        let max_attempts = self.retry.max_attempts();
        let mut state = retry::CallState::new();
        loop {
            let attempt = state.attempt;
            // Adaptive mode: wait for the client-side rate limit (before
            // signing, so the signature's time is the sending time).
            self.retry.before_attempt().await;
            let mut attempt_headers = headers.clone();
            attempt_headers.push((
                "amz-sdk-request".into(),
                format!("attempt={attempt}; max={max_attempts}"),
            ));
            // A replayable body is copied for each attempt; a one-shot
            // stream goes out once (and rules out retries).
            let send_body = match &source {
                Some(b) if b.is_replayable() => b.try_clone().unwrap_or_default(),
                Some(_) => source.take().unwrap_or_default(),
                None => SdkBody::taken(),
            };
            let mut chunk_signer = None;
            if let Some((_, creds, signing_plan)) = signing {
                let time = SystemTime::now();
                let cx = SigningContext {
                    credentials: creds,
                    plan: signing_plan,
                    time,
                    unsigned_body: false,
                };
                let payload = plan.signing_payload(&send_body);
                let seed = signing::sign_v4_payload(
                    &cx,
                    request.method,
                    &url,
                    &mut attempt_headers,
                    payload,
                )
                .map_err(|e| {
                    RawError::Sdk(SdkError::Credentials(format!("signing failed: {e}")))
                })?;
                if matches!(plan, PayloadPlan::Chunked { signed: true, .. }) {
                    chunk_signer = Some(aws_chunked::ChunkSigner {
                        identity: aws_credential_types::Credentials::new(
                            creds.access_key_id.clone(),
                            creds.secret_access_key.clone(),
                            creds.session_token.clone(),
                            None,
                            "botogen",
                        )
                        .into(),
                        region: signing_plan.region.clone(),
                        name: signing_plan.name.clone(),
                        time,
                        previous: seed,
                    });
                }
            }
            let send_body = plan
                .encode(send_body, chunk_signer)
                .map_err(|e| RawError::Sdk(SdkError::Serialize(e)))?;
            let attempt_span = trace::attempt_span(attempt);
            let started = tokio::time::Instant::now();
            let received = self
                .attempt(
                    http,
                    request.method,
                    &url,
                    &attempt_headers,
                    send_body,
                    streaming_output,
                )
                .instrument(attempt_span.clone())
                .await;
            let replayable = source.is_some();
            let (error, decision) = match received {
                Ok(exchange) => {
                    let response = &exchange.response;
                    let crc32 = match exchange.stream {
                        None => retry::crc32_mismatch(service, &response.headers, &response.body),
                        Some(_) => None,
                    };
                    let s3_error = is_s3_error_in_200(service, protocol, op, response);
                    if (200..300).contains(&response.status) && !s3_error && crc32.is_none() {
                        trace::finish_attempt(
                            attempt_span,
                            started,
                            Some(response.status),
                            header_request_id(response),
                        );
                        let outcome =
                            Outcome::response(response.status, None, Modeled::No, &[], false);
                        let decision = self.retry.decide(&mut state, op, &outcome, replayable);
                        debug_assert_eq!(decision, Decision::Success);
                        span.record("attempts", attempt);
                        // A mismatch is not retried (botocore raises it as is).
                        let stream = checksums::validate_response(
                            &validate,
                            &exchange.response,
                            exchange.stream,
                        )
                        .map_err(|e| RawError::Sdk(SdkError::Transport(Box::new(e))))?;
                        let mut response = exchange.response;
                        // An output event stream reads its body from here on.
                        let (stream, events) =
                            start_events(service, protocol, op, &mut response, stream).await?;
                        return Ok(RawResponse {
                            response,
                            stream,
                            events,
                            service,
                            protocol,
                            op,
                        });
                    }
                    let response = exchange.response;
                    // botocore retries an S3 error inside a 200 as it would a 500.
                    let status = if s3_error { 500 } else { response.status };
                    let headers = response.headers.clone();
                    let id_header = header_request_id(&response).map(str::to_owned);
                    let (error, code, modeled) = match crc32 {
                        Some(mismatch) if (200..300).contains(&response.status) => (
                            RawError::Sdk(SdkError::Transport(Box::new(mismatch))),
                            None,
                            Modeled::No,
                        ),
                        _ => error_response(service, protocol, op, response),
                    };
                    trace::finish_attempt(
                        attempt_span,
                        started,
                        Some(status),
                        raw_request_id(&error).or(id_header.as_deref()),
                    );
                    let outcome = Outcome::response(
                        status,
                        code.as_deref(),
                        modeled,
                        &headers,
                        crc32.is_some(),
                    );
                    let decision = self.retry.decide(&mut state, op, &outcome, replayable);
                    (error, decision)
                }
                Err(e) => {
                    trace::finish_attempt(attempt_span, started, None, None);
                    let outcome = Outcome::transport(e.timed_out);
                    let decision = self.retry.decide(&mut state, op, &outcome, replayable);
                    (RawError::Sdk(SdkError::Transport(e.error)), decision)
                }
            };
            match decision {
                Decision::Retry(delay) => tokio::time::sleep(delay).await,
                Decision::Fail(wait) => {
                    if let Some(delay) = wait {
                        tokio::time::sleep(delay).await;
                    }
                    span.record("attempts", attempt);
                    return Err(error);
                }
                // Only a successful response succeeds; it returned above.
                Decision::Success => {
                    span.record("attempts", attempt);
                    return Err(error);
                }
            }
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

    /// One attempt, bounded by the attempt timeout: send, wait for the
    /// headers (read timeout), then read the whole body unless a successful
    /// response's body is the output's stream.
    async fn attempt(
        &self,
        http: &SharedHttpClient,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: SdkBody,
        streaming_output: bool,
    ) -> Result<Exchange, TransportError> {
        let exchange = self.exchange(http, method, url, headers, body, streaming_output);
        match self.config.timeouts.attempt {
            Some(after) => tokio::time::timeout(after, exchange)
                .await
                .unwrap_or_else(|_| {
                    Err(TransportError {
                        error: Box::new(TimeoutError {
                            kind: TimeoutKind::Attempt,
                            after,
                        }),
                        timed_out: true,
                    })
                }),
            None => exchange.await,
        }
    }

    async fn exchange(
        &self,
        http: &SharedHttpClient,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: SdkBody,
        streaming_output: bool,
    ) -> Result<Exchange, TransportError> {
        let invalid = |e: String| TransportError {
            error: e.into(),
            timed_out: false,
        };
        let timeouts = self.config.timeouts;
        let stall = self.config.stalled_stream.limit();
        let progress = Progress::new();
        // In-memory bodies cannot stall; only the read timeout needs to see them move.
        let body = if body.bytes().is_none() || timeouts.read.is_some() {
            SdkBody::from_body(UploadGuard::new(body, stall, progress.clone()))
        } else {
            body
        };
        let mut builder = ::http::Request::builder()
            .method(
                ::http::Method::from_bytes(method.as_bytes())
                    .map_err(|e| invalid(format!("invalid method {method:?}: {e}")))?,
            )
            .uri(url);
        for (k, v) in headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let request = builder
            .body(body)
            .map_err(|e| invalid(format!("invalid request: {e}")))?;
        let send = async {
            http.send(request).await.map_err(|e| TransportError {
                timed_out: e.is_timeout(),
                error: surface(Box::new(e)),
            })
        };
        let response = transport::with_read_timeout(send, progress, timeouts.read).await?;
        let (head, body) = response.into_parts();
        let mut response = HttpResponse {
            status: head.status.as_u16(),
            headers: head
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: Vec::new(),
        };
        let body = DownloadGuard::new(body, stall, timeouts.read);
        if streaming_output && (200..300).contains(&response.status) {
            return Ok(Exchange {
                response,
                stream: Some(ByteStream::from_body(SdkBody::from_body(body))),
            });
        }
        response.body = http_body_util::BodyExt::collect(body)
            .await
            .map_err(|e| TransportError {
                timed_out: is_timeout_error(&*e),
                error: surface(e),
            })?
            .to_bytes()
            .to_vec();
        Ok(Exchange {
            response,
            stream: None,
        })
    }
}

/// A response as one attempt received it.
struct Exchange {
    response: HttpResponse,
    stream: Option<ByteStream>,
}

/// A timeout or stalled stream anywhere in `e`'s causes becomes the error
/// itself, so callers can downcast `SdkError::Transport` to it directly.
fn surface(e: BoxError) -> BoxError {
    let found = crate::error::chain(&*e).find_map(|c| {
        if let Some(t) = c.downcast_ref::<TimeoutError>() {
            Some(Box::new(*t) as BoxError)
        } else {
            c.downcast_ref::<StalledStreamError>()
                .map(|s| Box::new(*s) as BoxError)
        }
    });
    found.unwrap_or(e)
}

/// Whether an error (or one it wraps) is a timeout or a stalled stream.
fn is_timeout_error(e: &(dyn std::error::Error + 'static)) -> bool {
    crate::error::chain(e).any(|e| {
        e.is::<TimeoutError>()
            || e.is::<StalledStreamError>()
            || e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
    })
}

/// How a request body is sent and what its signature covers.
enum PayloadPlan {
    /// Unsigned requests: the body as it is.
    Plain,
    /// The bytes are in memory: sign their hash (or `UNSIGNED-PAYLOAD` for
    /// `v4-unsigned-body` operations).
    Bytes { unsigned: bool },
    /// A stream S3 accepts unsigned (HTTPS): `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// A file whose hash was computed by reading it once.
    Precomputed(String),
    /// `aws-chunked`, chunks signed over plain HTTP.
    Chunked {
        signed: bool,
        trailer: Option<aws_chunked::TrailerFactory>,
    },
}

/// Decides how to send `body`. `signing`: SigV4 with this `unsigned_body`
/// flag, `None` for unsigned requests.
async fn plan_payload(
    service: &Service,
    signing: Option<bool>,
    https: bool,
    trailer: Option<aws_chunked::TrailerFactory>,
    body: SdkBody,
) -> Result<(PayloadPlan, Option<SdkBody>), RawError> {
    let Some(unsigned_body) = signing else {
        return Ok((PayloadPlan::Plain, Some(body)));
    };
    if body.bytes().is_some() && trailer.is_none() {
        return Ok((
            PayloadPlan::Bytes {
                unsigned: unsigned_body,
            },
            Some(body),
        ));
    }
    if body.is_taken() {
        // Send it anyway: reading it reports that it was sent already.
        return Ok((PayloadPlan::Unsigned, Some(body)));
    }
    if body.content_length().is_none() {
        return Err(RawError::Sdk(SdkError::Serialize(
            crate::error::SerializeError::new(
                "a streaming request body needs a known length (ByteStream::from_reader / \
                 from_stream take one)",
            ),
        )));
    }
    let s3 = matches!(service.signing_name, "s3" | "s3-outposts" | "s3express");
    if s3 {
        return Ok(match (https, trailer) {
            (true, None) => (PayloadPlan::Unsigned, Some(body)),
            (true, trailer @ Some(_)) => (
                PayloadPlan::Chunked {
                    signed: false,
                    trailer,
                },
                Some(body),
            ),
            (false, trailer) => (
                PayloadPlan::Chunked {
                    signed: true,
                    trailer,
                },
                Some(body),
            ),
        });
    }
    if unsigned_body {
        return Ok((PayloadPlan::Unsigned, Some(body)));
    }
    let read_failed = |e: BoxError| {
        RawError::Sdk(SdkError::Transport(
            format!("cannot read the request body: {}", error_text(&*e)).into(),
        ))
    };
    // Other services sign the payload hash: read a file once for it; a
    // one-shot stream has to be held in memory.
    match body.try_clone() {
        Some(copy) => {
            let hash = sha256_hex(copy).await.map_err(read_failed)?;
            Ok((PayloadPlan::Precomputed(hash), Some(body)))
        }
        None => {
            let bytes = http_body_util::BodyExt::collect(body)
                .await
                .map_err(read_failed)?
                .to_bytes();
            Ok((
                PayloadPlan::Bytes { unsigned: false },
                Some(SdkBody::from(bytes)),
            ))
        }
    }
}

async fn sha256_hex(mut body: SdkBody) -> Result<String, BoxError> {
    use http_body_util::BodyExt as _;
    use sha2::Digest as _;
    let mut hash = sha2::Sha256::new();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            hash.update(&data);
        }
    }
    Ok(hex::encode(hash.finalize()))
}

impl PayloadPlan {
    /// Headers the plan needs, before signing (they are signed).
    fn add_headers(&self, headers: &mut Vec<(String, String)>, body: &Option<SdkBody>) {
        let PayloadPlan::Chunked { signed, trailer } = self else {
            return;
        };
        let decoded = body.as_ref().and_then(SdkBody::content_length).unwrap_or(0);
        let trailer = trailer.as_ref().map(|f| f());
        let encoded = aws_chunked::encoded_length(
            decoded,
            *signed,
            trailer.as_ref().map(|t| t.encoded_len()),
        );
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-length"));
        headers.push(("content-length".into(), encoded.to_string()));
        headers.push(("x-amz-decoded-content-length".into(), decoded.to_string()));
        match headers
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-encoding"))
        {
            Some((_, v)) if !v.trim().is_empty() => *v = format!("aws-chunked, {v}"),
            Some((_, v)) => *v = "aws-chunked".into(),
            None => headers.push(("content-encoding".into(), "aws-chunked".into())),
        }
        if let Some(t) = trailer {
            headers.push(("x-amz-trailer".into(), t.names().join(",")));
        }
    }

    fn signing_payload<'a>(&'a self, body: &'a SdkBody) -> signing::Payload<'a> {
        match self {
            PayloadPlan::Plain | PayloadPlan::Unsigned => signing::Payload::Unsigned,
            PayloadPlan::Bytes { unsigned: true } => signing::Payload::Unsigned,
            PayloadPlan::Bytes { unsigned: false } => {
                signing::Payload::Bytes(body.bytes().unwrap_or_default())
            }
            PayloadPlan::Precomputed(hash) => signing::Payload::Precomputed(hash),
            PayloadPlan::Chunked {
                signed: true,
                trailer: None,
            } => signing::Payload::StreamingSigned,
            PayloadPlan::Chunked {
                signed: true,
                trailer: Some(_),
            } => signing::Payload::StreamingSignedTrailer,
            PayloadPlan::Chunked { signed: false, .. } => {
                signing::Payload::StreamingUnsignedTrailer
            }
        }
    }

    /// The body as sent: `aws-chunked` encoded when the plan says so.
    fn encode(
        &self,
        body: SdkBody,
        signer: Option<aws_chunked::ChunkSigner>,
    ) -> Result<SdkBody, crate::error::SerializeError> {
        match self {
            PayloadPlan::Chunked { trailer, .. } => {
                aws_chunked::AwsChunkedBody::new(body, signer, trailer.as_ref().map(|f| f()))
                    .map(SdkBody::from_body)
                    .map_err(|e| crate::error::SerializeError::new(error_text(&*e)))
            }
            _ => Ok(body),
        }
    }
}

/// Host, User-Agent and Content-Length, then the serializer's headers,
/// then the endpoint's (which replace a serializer header of the same name).
fn base_headers(
    endpoint: &ResolvedEndpoint,
    request: &protocol::HttpRequest,
) -> Vec<(String, String)> {
    let mut headers = Vec::with_capacity(request.headers.len() + 6);
    headers.push(("host".to_owned(), endpoint.authority()));
    headers.push(("user-agent".to_owned(), USER_AGENT.to_owned()));
    let has_length = request.header("content-length").is_some();
    let length = request.body_len();
    // hyper omits Content-Length for an empty body, which some services
    // reject on POST/PUT; state it (it is also what gets signed).
    if !has_length
        && let Some(length) = length
        && (length > 0 || matches!(request.method, "POST" | "PUT" | "PATCH"))
    {
        headers.push(("content-length".to_owned(), length.to_string()));
    }
    headers.extend(
        request
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
            .filter(|(k, _)| {
                !endpoint
                    .headers
                    .iter()
                    .any(|(e, _)| e.eq_ignore_ascii_case(k))
            })
            .cloned(),
    );
    headers.extend(endpoint.headers.iter().cloned());
    headers
}

/// The request id a response's headers carry.
fn header_request_id(response: &HttpResponse) -> Option<&str> {
    ["x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"]
        .iter()
        .find_map(|h| response.header(h))
}

/// The request id of an error response.
fn raw_request_id(error: &RawError) -> Option<&str> {
    match error {
        RawError::Sdk(_) => None,
        RawError::Unmodeled(e) => e.meta().request_id(),
        RawError::Modeled(e) => e.meta.request_id(),
    }
}

/// Reads an error response into a [`RawError`], with the error code and
/// how the operation models it (for retry decisions).
fn error_response(
    service: &'static Service,
    protocol: Protocol,
    op: &'static Operation,
    response: HttpResponse,
) -> (RawError, Option<String>, Modeled) {
    let header_request_id = || header_request_id(&response).map(str::to_owned);
    let status = response.status;
    let extended_request_id = response.header("x-amz-id-2").map(str::to_owned);
    let Ok(envelope) = protocol::parse_error_envelope(service, protocol, op, &response) else {
        // Not a service error body (a proxy's HTML page, an empty 503, ...):
        // like botocore, the status stands in for the code.
        let message = std::str::from_utf8(&response.body)
            .ok()
            .map(|b| b.trim().chars().take(512).collect::<String>())
            .filter(|m| !m.is_empty());
        let error = UnmodeledError::new(ErrorMetadata {
            code: Some(status.to_string()),
            message,
            request_id: header_request_id(),
            extended_request_id,
            status: Some(status),
        });
        let code = Some(status.to_string());
        return (RawError::Unmodeled(error), code, Modeled::No);
    };
    let code = if envelope.code.is_empty() {
        status.to_string()
    } else {
        envelope.code
    };
    let meta = ErrorMetadata {
        code: Some(code),
        message: envelope.message,
        request_id: envelope.request_id.or_else(header_request_id),
        extended_request_id: extended_request_id.or(envelope.extended_request_id),
        status: Some(status),
    };
    let matched = envelope
        .matched
        .and_then(|m| Some((m, m.shape(service, op)?)));
    // Retries know only the operation's own errors, as botocore's
    // `ModeledRetryErrorDetector` does (a service-wide match counts as unmodeled).
    let retry = match matched {
        Some((ErrorMatch::Operation(_), shape)) => match shape.error {
            Some(i) if i.retryable || i.throttling => Modeled::Retryable {
                throttling: i.throttling,
            },
            _ => Modeled::Plain,
        },
        _ => Modeled::No,
    };
    let retry_code = meta.code.clone();
    let error = match matched {
        Some((matched, _)) => RawError::Modeled(Box::new(ModeledError {
            matched,
            meta,
            response,
            protocol,
        })),
        None => RawError::Unmodeled(UnmodeledError::new(meta)),
    };
    (error, retry_code, retry)
}
