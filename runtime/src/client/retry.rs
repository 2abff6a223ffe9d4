//! Retry modes as botocore 1.44.5 defines them: which failures are
//! retried, how long to wait, the client-wide retry quota (`standard`), the
//! client-side rate limiter (`adaptive`, in [`adaptive`]) and the
//! `_retry.json` policies (`legacy`, in [`legacy`]).
//!
//! The send loop in `client.rs` describes each attempt's result as an
//! [`Outcome`] and asks [`Retry::decide`] what to do; everything about
//! retrying is decided here. The tables below are botocore's
//! (`botocore/retries/standard.py` and `special.py`); the tests run cases
//! computed by botocore itself (`runtime/tests/retry/make_cases.py`).

mod adaptive;
mod legacy;

use super::config::{RetryConfig, RetryMode};
use crate::schema::{Operation, Service};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

/// Error codes the standard mode treats as throttling (botocore's
/// `ThrottledRetryableChecker`).
pub(crate) const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures (`TransientRetryableChecker`).
pub(crate) const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// HTTP statuses of transient failures.
pub(crate) const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// The status that means throttling when the code is not a modeled error
/// (`ThrottlingStatusCodeChecker`).
const THROTTLING_STATUS: u16 = 429;

/// Standard-mode attempts by default, and per service (by the hyphenated
/// service id, botocore's `_SERVICE_MAX_ATTEMPTS`).
const DEFAULT_MAX_ATTEMPTS: u32 = 3;
const SERVICE_MAX_ATTEMPTS: &[(&str, u32)] = &[("dynamodb", 4), ("dynamodb-streams", 4)];

/// The first retry's delay ceiling: 1 s after throttling, 50 ms otherwise
/// (25 ms for DynamoDB and DynamoDB Streams).
const THROTTLING_BASE: Duration = Duration::from_secs(1);
const TRANSIENT_BASE: Duration = Duration::from_millis(50);
const SERVICE_TRANSIENT_BASE: &[(&str, Duration)] = &[
    ("dynamodb", Duration::from_millis(25)),
    ("dynamodb-streams", Duration::from_millis(25)),
];

/// `x-amz-retry-after` (milliseconds) raises a delay by at most this much.
const RETRY_AFTER_HEADER: &str = "x-amz-retry-after";
const RETRY_AFTER_MAX_ADDITIONAL: Duration = Duration::from_secs(5);

/// Long-polling operations still wait the delay when the quota refuses a
/// retry, so a loop around them does not spin (botocore's
/// `_LONG_POLLING_OPERATIONS`, by hyphenated service id).
const LONG_POLLING: &[(&str, &[&str])] = &[
    ("sqs", &["ReceiveMessage"]),
    ("sfn", &["GetActivityTask"]),
    ("swf", &["PollForActivityTask", "PollForDecisionTask"]),
    (
        "kinesis",
        &["ReceiveQueueRecords", "ReceiveDeadLetterQueueRecords"],
    ),
];

/// The retry quota: capacity, and what a retry takes from it.
const QUOTA_CAPACITY: u32 = 500;
const RETRY_COST: u32 = 14;
const THROTTLING_RETRY_COST: u32 = 5;
const NO_RETRY_INCREMENT: u32 = 1;

/// How an operation's error list knows the response's error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Modeled {
    /// The code is none of the operation's modeled errors.
    No,
    /// A modeled error without the `retryable` trait.
    Plain,
    /// A modeled error marked `retryable` (and maybe `throttling`).
    Retryable { throttling: bool },
}

/// What one attempt produced, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome<'a> {
    /// The HTTP status; `None` when no response arrived (a transport error).
    /// An S3 error inside a `200` counts as a 500, as botocore has it.
    pub status: Option<u16>,
    /// The service's error code, for an error response.
    pub code: Option<&'a str>,
    pub modeled: Modeled,
    pub headers: &'a [(String, String)],
    /// No response because a timeout (or stalled stream) fired.
    pub timed_out: bool,
    /// The body does not match its `x-amz-crc32` (DynamoDB).
    pub crc32_mismatch: bool,
}

impl<'a> Outcome<'a> {
    /// A transport error: no response.
    pub fn transport(timed_out: bool) -> Outcome<'static> {
        Outcome {
            status: None,
            code: None,
            modeled: Modeled::No,
            headers: &[],
            timed_out,
            crc32_mismatch: false,
        }
    }

    /// A response; `code` is set for an error response.
    pub fn response(
        status: u16,
        code: Option<&'a str>,
        modeled: Modeled,
        headers: &'a [(String, String)],
        crc32_mismatch: bool,
    ) -> Outcome<'a> {
        Outcome {
            status: Some(status),
            code,
            modeled,
            headers,
            timed_out: false,
            crc32_mismatch,
        }
    }

    fn success(&self) -> bool {
        matches!(self.status, Some(200..=299)) && self.code.is_none() && !self.crc32_mismatch
    }

    fn code_in(&self, codes: &[&str]) -> bool {
        self.code.is_some_and(|c| codes.contains(&c))
    }

    fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// botocore's `ThrottlingErrorDetector`: a throttling code; else what
    /// a `retryable` model trait says; else a 429 whose code the operation
    /// does not model.
    pub fn is_throttling(&self) -> bool {
        if self.code_in(THROTTLING_CODES) {
            return true;
        }
        match self.modeled {
            Modeled::Retryable { throttling } => throttling,
            Modeled::Plain => false,
            Modeled::No => self.status == Some(THROTTLING_STATUS),
        }
    }

    /// The kind of failure, for logs.
    fn kind(&self) -> &'static str {
        if self.status.is_none() {
            if self.timed_out {
                "timeout"
            } else {
                "transport"
            }
        } else if self.crc32_mismatch {
            "checksum"
        } else if self.is_throttling() {
            "throttling"
        } else {
            "error response"
        }
    }
}

/// What the send loop does after an attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Decision {
    /// The attempt succeeded: return its response.
    Success,
    /// Wait this long, then send the next attempt.
    Retry(Duration),
    /// Return this attempt's error (after waiting this long, for a
    /// long-polling operation whose retry the quota refused).
    Fail(Option<Duration>),
}

/// One call's retry state.
#[derive(Debug)]
pub(crate) struct CallState {
    /// The attempt just made, 1-based.
    pub attempt: u32,
    /// What the last retry took from the quota (released on success).
    acquired: Option<u32>,
}

impl CallState {
    pub fn new() -> CallState {
        CallState {
            attempt: 1,
            acquired: None,
        }
    }
}

/// A client's retry strategy and its shared state (quota, rate limiter).
pub(crate) struct Retry {
    mode: RetryMode,
    max_attempts: u32,
    /// `RetryConfig::initial_backoff`, replacing every mode's base delay.
    initial_backoff: Option<Duration>,
    max_backoff: Duration,
    transient_base: Duration,
    quota: Option<RetryQuota>,
    limiter: Option<adaptive::RateLimiter>,
    legacy: Option<legacy::Policy>,
    /// The service's `endpointPrefix` (botocore's special cases key on it).
    endpoint_prefix: &'static str,
    long_polling: &'static [&'static str],
}

impl fmt::Debug for Retry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Retry")
            .field("mode", &self.mode)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

/// botocore's `ServiceId.hyphenize()`: the key of its per-service tables.
fn hyphenize(service_id: &str) -> String {
    service_id.replace(' ', "-").to_ascii_lowercase()
}

fn lookup<T: Copy>(table: &[(&str, T)], key: &str) -> Option<T> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

impl Retry {
    pub fn new(config: &RetryConfig, service: &'static Service) -> Retry {
        let name = hyphenize(service.service_id);
        let legacy = (config.mode == RetryMode::Legacy)
            .then(|| legacy::Policy::for_service(service.endpoint_prefix));
        let default_attempts = match &legacy {
            Some(policy) => policy.max_attempts,
            None => lookup(SERVICE_MAX_ATTEMPTS, &name).unwrap_or(DEFAULT_MAX_ATTEMPTS),
        };
        Retry {
            mode: config.mode,
            max_attempts: config.max_attempts.unwrap_or(default_attempts).max(1),
            initial_backoff: config.initial_backoff,
            max_backoff: config.max_backoff,
            transient_base: lookup(SERVICE_TRANSIENT_BASE, &name).unwrap_or(TRANSIENT_BASE),
            quota: (config.retry_quota && config.mode != RetryMode::Legacy)
                .then(RetryQuota::default),
            limiter: (config.mode == RetryMode::Adaptive).then(adaptive::RateLimiter::new),
            legacy,
            endpoint_prefix: service.endpoint_prefix,
            long_polling: lookup(LONG_POLLING, &name).unwrap_or(&[]),
        }
    }

    /// Total attempts per call, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Before every attempt: in adaptive mode, once a throttling response
    /// has turned the rate limiter on, wait for a send token.
    pub async fn before_attempt(&self) {
        if let Some(limiter) = &self.limiter {
            let waited = limiter.acquire().await;
            if !waited.is_zero() {
                tracing::debug!(
                    waited_ms = super::trace::millis(waited),
                    "adaptive retry mode: waited for the client-side rate limit"
                );
            }
        }
    }

    /// Decides what follows the attempt `state.attempt` with `outcome`.
    /// `replayable`: the request body can be sent again.
    pub fn decide(
        &self,
        state: &mut CallState,
        op: &Operation,
        outcome: &Outcome<'_>,
        replayable: bool,
    ) -> Decision {
        self.decide_with(state, op.name, outcome, replayable, fastrand::f64)
    }

    /// [`Retry::decide`] with the random source for jitter.
    fn decide_with(
        &self,
        state: &mut CallState,
        operation: &str,
        outcome: &Outcome<'_>,
        replayable: bool,
        random: impl Fn() -> f64,
    ) -> Decision {
        if let Some(limiter) = &self.limiter {
            limiter.on_response(outcome.is_throttling());
        }
        let attempt = state.attempt;
        if outcome.success() {
            if let Some(quota) = &self.quota {
                quota.release(state.acquired.unwrap_or(NO_RETRY_INCREMENT));
            }
            return Decision::Success;
        }
        let retryable = match &self.legacy {
            Some(policy) => policy.matches(outcome),
            None => self.standard_retryable(outcome),
        };
        let stop = |reason: &'static str| {
            tracing::debug!(attempt, reason, kind = outcome.kind(), "not retrying");
            Decision::Fail(None)
        };
        if !retryable {
            return stop("not retryable");
        }
        if attempt >= self.max_attempts {
            return stop("max attempts reached");
        }
        if !replayable {
            return stop("the request body cannot be sent again");
        }
        let throttling = outcome.is_throttling();
        let delay = match &self.legacy {
            // botocore's legacy delays have no cap; this one only matters
            // beyond its default attempts.
            Some(policy) => policy
                .delay(attempt, self.initial_backoff, random())
                .min(self.max_backoff),
            None => self.standard_delay(attempt, outcome, throttling, random()),
        };
        if let Some(quota) = &self.quota {
            let cost = if throttling {
                THROTTLING_RETRY_COST
            } else {
                RETRY_COST
            };
            if !quota.acquire(cost) {
                let long_polling = self.long_polling.contains(&operation);
                tracing::debug!(
                    attempt,
                    kind = outcome.kind(),
                    long_polling,
                    "not retrying: retry quota exhausted"
                );
                return Decision::Fail(long_polling.then_some(delay));
            }
            state.acquired = Some(cost);
        }
        tracing::debug!(
            attempt,
            kind = outcome.kind(),
            status = outcome.status,
            code = outcome.code,
            delay_ms = super::trace::millis(delay),
            "retrying"
        );
        state.attempt += 1;
        Decision::Retry(delay)
    }

    /// botocore's `StandardRetryConditions` (less the attempt count).
    fn standard_retryable(&self, o: &Outcome<'_>) -> bool {
        let transient = o.code_in(TRANSIENT_CODES)
            || o.status.is_some_and(|s| TRANSIENT_STATUSES.contains(&s))
            || o.status.is_none();
        let throttled_status = o.status == Some(THROTTLING_STATUS) && o.modeled == Modeled::No;
        let modeled = o.code.is_some() && matches!(o.modeled, Modeled::Retryable { .. });
        let special = (self.endpoint_prefix == "sts" && o.code == Some("IDPCommunicationError"))
            || (self.endpoint_prefix == "dynamodb" && o.crc32_mismatch);
        transient || o.code_in(THROTTLING_CODES) || throttled_status || modeled || special
    }

    /// Full jitter: a uniformly random fraction of
    /// `min(base * 2^(attempt-1), max_backoff)`, raised towards
    /// `x-amz-retry-after` by at most 5 s.
    fn standard_delay(
        &self,
        attempt: u32,
        outcome: &Outcome<'_>,
        throttling: bool,
        random: f64,
    ) -> Duration {
        let base = self.initial_backoff.unwrap_or(if throttling {
            THROTTLING_BASE
        } else {
            self.transient_base
        });
        let exp = 2f64.powi(attempt.saturating_sub(1).min(62) as i32);
        let ceiling = (base.as_secs_f64() * exp).min(self.max_backoff.as_secs_f64());
        let t = ceiling * random.clamp(0.0, 1.0);
        let t = match retry_after(outcome) {
            Some(after) => t.max(
                after
                    .as_secs_f64()
                    .min(RETRY_AFTER_MAX_ADDITIONAL.as_secs_f64() + t),
            ),
            None => t,
        };
        Duration::from_secs_f64(t.max(0.0))
    }
}

/// The `x-amz-retry-after` header in milliseconds, when it is a
/// non-negative integer.
fn retry_after(outcome: &Outcome<'_>) -> Option<Duration> {
    let ms = outcome
        .header(RETRY_AFTER_HEADER)?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(Duration::from_millis(ms))
}

/// The computed CRC32 of a DynamoDB response body whose `x-amz-crc32`
/// header states another value (botocore retries those).
pub(crate) fn crc32_mismatch(
    service: &Service,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<Crc32Mismatch> {
    if service.endpoint_prefix != "dynamodb" {
        return None;
    }
    let expected = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-crc32"))?
        .1
        .trim()
        .parse::<u64>()
        .ok()?;
    let actual = crc32fast::hash(body);
    (u64::from(actual) != expected).then_some(Crc32Mismatch { expected, actual })
}

/// A response body that does not match its `x-amz-crc32` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crc32Mismatch {
    pub expected: u64,
    pub actual: u32,
}

impl fmt::Display for Crc32Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response body CRC32 is {}, its x-amz-crc32 header says {}",
            self.actual, self.expected
        )
    }
}

impl std::error::Error for Crc32Mismatch {}

/// The standard mode's retry quota, shared by all calls of a client: a
/// retry takes 14 (5 after throttling); a call that succeeds gives back
/// what its last retry took, or 1 when it needed none.
#[derive(Debug)]
struct RetryQuota {
    available: Mutex<u32>,
}

impl Default for RetryQuota {
    fn default() -> RetryQuota {
        RetryQuota {
            available: Mutex::new(QUOTA_CAPACITY),
        }
    }
}

impl RetryQuota {
    fn acquire(&self, cost: u32) -> bool {
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        match available.checked_sub(cost) {
            Some(rest) => {
                *available = rest;
                true
            }
            None => false,
        }
    }

    fn release(&self, amount: u32) {
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        *available = (*available + amount).min(QUOTA_CAPACITY);
    }

    #[cfg(test)]
    fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests;
