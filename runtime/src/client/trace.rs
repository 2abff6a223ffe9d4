//! `tracing` spans of a call: `operation` (INFO) around the whole call and
//! `attempt` (DEBUG) around each try; retry decisions are DEBUG events
//! from `retry`.
//!
//! Fields are only ever these: service, operation, region, attempt(s),
//! HTTP status, request id, latency, and the error code or kind. Nothing
//! from a request or response body, no header but the request id, no
//! error message, no URL: credentials, signatures, session tokens, bearer
//! tokens and `@sensitive` members have no way in. Without a subscriber,
//! a span is a disabled handle and recording a field does nothing.

use super::{RawError, RawResponse, StalledStreamError, TimeoutError};
use crate::error::{ErrorMetadata, ProvideErrorMetadata, SdkError};
use crate::schema::{Operation, Service};
use tokio::time::Instant;
use tracing::Span;
use tracing::field::Empty;

/// The span of one call; `region`, `attempts`, `status`, `request_id`,
/// `error` and `latency_ms` are recorded as they become known.
pub(crate) fn operation_span(service: &Service, op: &Operation) -> Span {
    tracing::info_span!(
        "operation",
        service = service.service_id,
        operation = op.name,
        region = Empty,
        attempts = Empty,
        status = Empty,
        request_id = Empty,
        error = Empty,
        latency_ms = Empty,
    )
}

/// The span of one attempt (inside the operation's).
pub(crate) fn attempt_span(attempt: u32) -> Span {
    tracing::debug_span!(
        "attempt",
        attempt,
        status = Empty,
        request_id = Empty,
        latency_ms = Empty,
    )
}

/// Milliseconds, to the microsecond.
pub(crate) fn millis(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

fn latency_ms(started: Instant) -> f64 {
    millis(started.elapsed())
}

/// Records an attempt's result — its status (none for a transport error),
/// request id and latency — and closes its span.
pub(crate) fn finish_attempt(
    span: Span,
    started: Instant,
    status: Option<u16>,
    request_id: Option<&str>,
) {
    if span.is_disabled() {
        return;
    }
    if let Some(status) = status {
        span.record("status", status);
    }
    if let Some(id) = request_id {
        span.record("request_id", id);
    }
    span.record("latency_ms", latency_ms(started));
}

/// Records the call's result.
pub(crate) fn finish_operation(
    span: &Span,
    started: Instant,
    result: &Result<RawResponse, RawError>,
) {
    if span.is_disabled() {
        return;
    }
    span.record("latency_ms", latency_ms(started));
    match result {
        Ok(response) => {
            span.record("status", response.response.status);
            if let Some(id) = super::header_request_id(&response.response) {
                span.record("request_id", id);
            }
        }
        Err(RawError::Unmodeled(e)) => record_error(span, ProvideErrorMetadata::meta(e)),
        Err(RawError::Modeled(e)) => record_error(span, &e.meta),
        Err(RawError::Sdk(e)) => {
            span.record("error", sdk_error_kind(e));
        }
    }
}

/// An error response's status, code and request id (not its message).
fn record_error(span: &Span, meta: &ErrorMetadata) {
    if let Some(status) = meta.status() {
        span.record("status", status);
    }
    if let Some(code) = meta.code() {
        span.record("error", code);
    }
    if let Some(id) = meta.request_id() {
        span.record("request_id", id);
    }
}

/// What kind of failure an `SdkError` is, without its text (which may
/// quote the input or a proxy URL).
fn sdk_error_kind(e: &SdkError) -> &'static str {
    match e {
        SdkError::Transport(t) if t.is::<TimeoutError>() => "timeout",
        SdkError::Transport(t) if t.is::<StalledStreamError>() => "stalled stream",
        SdkError::Transport(_) => "transport",
        SdkError::Validation(_) => "validation",
        SdkError::Serialize(_) => "serialize",
        SdkError::Deserialize(_) => "deserialize",
        SdkError::Credentials(_) => "credentials",
        SdkError::Unsupported(_) => "unsupported",
        SdkError::Config(_) => "config",
        SdkError::Endpoint(_) => "endpoint",
        _ => "sdk",
    }
}
