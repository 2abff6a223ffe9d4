//! What the runtime puts around any [`HttpClient`]: the read timeout,
//! stalled-stream protection for request and response bodies, and the
//! errors they report. The connect timeout belongs to the HTTP client (the
//! built-in one enforces [`TimeoutConfig::connect`]); attempt and operation
//! timeouts wrap the attempt loop in `client.rs`.
//!
//! [`HttpClient`]: super::HttpClient
//! [`TimeoutConfig::connect`]: super::TimeoutConfig::connect

use crate::body::{BoxError, SdkBody};
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// Which limit a [`TimeoutError`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    Connect,
    Attempt,
    Operation,
    Read,
}

/// A timeout from [`super::TimeoutConfig`] fired; found in
/// `SdkError::Transport` (downcast the boxed error) or in a
/// [`ByteStreamError`](crate::body::ByteStreamError)'s source.
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
            TimeoutKind::Read => "waiting for data from the server",
        };
        write!(f, "{what} timed out after {:?}", self.after)
    }
}

impl std::error::Error for TimeoutError {}

/// Which body stalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamDirection {
    /// The request body produced no bytes.
    Upload,
    /// The response body received no bytes.
    Download,
}

/// Stalled-stream protection ended a body that moved no bytes for its grace
/// period ([`super::StalledStreamProtection`]). Retryable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StalledStreamError {
    pub direction: StreamDirection,
    pub grace_period: Duration,
}

impl fmt::Display for StalledStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.direction {
            StreamDirection::Upload => "the request body produced",
            StreamDirection::Download => "the response body received",
        };
        write!(
            f,
            "stalled stream: {what} no data for {:?} (stalled-stream protection)",
            self.grace_period
        )
    }
}

impl std::error::Error for StalledStreamError {}

/// A failure to exchange a request and response.
#[derive(Debug)]
pub(crate) struct TransportError {
    pub error: BoxError,
    /// A timeout (any kind, or stalled-stream protection) rather than another failure.
    pub timed_out: bool,
}

/// When the request body last moved: the read timeout for the response
/// headers counts from there.
#[derive(Debug)]
pub(crate) struct Progress {
    start: Instant,
    /// Nanoseconds after `start`.
    last: AtomicU64,
}

impl Progress {
    pub fn new() -> Arc<Progress> {
        Arc::new(Progress {
            start: Instant::now(),
            last: AtomicU64::new(0),
        })
    }

    fn touch(&self) {
        let nanos = self.start.elapsed().as_nanos().min(u128::from(u64::MAX)) as u64;
        self.last.store(nanos, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_nanos(self.last.load(Ordering::Relaxed))
    }
}

/// Waits for `response` with the read timeout: fails once no request
/// bytes moved and no response arrived for `read`.
pub(crate) async fn with_read_timeout<F, T>(
    response: F,
    progress: Arc<Progress>,
    read: Option<Duration>,
) -> Result<T, TransportError>
where
    F: Future<Output = Result<T, TransportError>>,
{
    let Some(read) = read else {
        return response.await;
    };
    let mut response = std::pin::pin!(response);
    let mut timer = Box::pin(tokio::time::sleep_until(progress.last() + read));
    std::future::poll_fn(|cx| {
        if let Poll::Ready(r) = response.as_mut().poll(cx) {
            return Poll::Ready(r);
        }
        while timer.as_mut().poll(cx).is_ready() {
            let deadline = progress.last() + read;
            if deadline <= Instant::now() {
                return Poll::Ready(Err(TransportError {
                    error: Box::new(TimeoutError {
                        kind: TimeoutKind::Read,
                        after: read,
                    }),
                    timed_out: true,
                }));
            }
            timer.as_mut().reset(deadline);
        }
        Poll::Pending
    })
    .await
}

/// A request body under stalled-stream protection that also records
/// progress for the read timeout.
pub(crate) struct UploadGuard {
    inner: SdkBody,
    grace: Option<Duration>,
    timer: Pin<Box<Sleep>>,
    armed: bool,
    progress: Arc<Progress>,
}

impl UploadGuard {
    pub fn new(inner: SdkBody, grace: Option<Duration>, progress: Arc<Progress>) -> UploadGuard {
        UploadGuard {
            inner,
            grace,
            timer: Box::pin(tokio::time::sleep(Duration::ZERO)),
            armed: false,
            progress,
        }
    }
}

impl Body for UploadGuard {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                this.armed = false;
                this.progress.touch();
                Poll::Ready(frame)
            }
            Poll::Pending => {
                let Some(grace) = this.grace else {
                    return Poll::Pending;
                };
                if !this.armed {
                    this.armed = true;
                    this.timer.as_mut().reset(Instant::now() + grace);
                }
                match this.timer.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(StalledStreamError {
                        direction: StreamDirection::Upload,
                        grace_period: grace,
                    })))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A response body under the read timeout and stalled-stream protection:
/// each wait for the next chunk is bounded by the smaller of the two.
pub(crate) struct DownloadGuard {
    inner: SdkBody,
    limit: Option<(Duration, Limit)>,
    timer: Pin<Box<Sleep>>,
    armed: bool,
    failed: bool,
}

#[derive(Clone, Copy)]
enum Limit {
    Stall,
    Read,
}

impl DownloadGuard {
    pub fn new(inner: SdkBody, stall: Option<Duration>, read: Option<Duration>) -> DownloadGuard {
        let limit = match (stall, read) {
            (Some(s), Some(r)) if r < s => Some((r, Limit::Read)),
            (Some(s), _) => Some((s, Limit::Stall)),
            (None, Some(r)) => Some((r, Limit::Read)),
            (None, None) => None,
        };
        DownloadGuard {
            inner,
            limit,
            timer: Box::pin(tokio::time::sleep(Duration::ZERO)),
            armed: false,
            failed: false,
        }
    }
}

impl Body for DownloadGuard {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.failed {
            return Poll::Ready(Some(Err(
                "the response body was already ended by a timeout".into(),
            )));
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                this.armed = false;
                Poll::Ready(frame)
            }
            Poll::Pending => {
                let Some((after, kind)) = this.limit else {
                    return Poll::Pending;
                };
                if !this.armed {
                    this.armed = true;
                    this.timer.as_mut().reset(Instant::now() + after);
                }
                if this.timer.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                // Dropping the body closes its connection.
                this.failed = true;
                this.inner = SdkBody::empty();
                let error: BoxError = match kind {
                    Limit::Stall => Box::new(StalledStreamError {
                        direction: StreamDirection::Download,
                        grace_period: after,
                    }),
                    Limit::Read => Box::new(TimeoutError {
                        kind: TimeoutKind::Read,
                        after,
                    }),
                };
                Poll::Ready(Some(Err(error)))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        !self.failed && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
