//! The AWS "standard" retry mode: which failures are retried, how long to
//! wait, and the client-wide retry quota (see [`super::RetryConfig`]).

use super::config::RetryConfig;
use std::sync::Mutex;
use std::time::Duration;

/// Error codes the SDKs treat as throttling.
const THROTTLING_CODES: &[&str] = &[
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

/// Error codes of transient service-side failures.
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

/// HTTP statuses of transient service-side failures.
const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// Connection failure or I/O error: retry.
    Transport,
    /// The attempt timed out: retry (costs more quota).
    Timeout,
    /// Throttled by the service: retry.
    Throttling,
    /// A transient server error: retry.
    Transient,
    /// Not retryable.
    Never,
}

impl RetryKind {
    pub fn retryable(self) -> bool {
        self != RetryKind::Never
    }
}

/// Classifies an error response by its status, code and (for modeled
/// errors) the model's `retryable` trait.
pub fn classify_response(status: u16, code: &str, modeled: Option<(bool, bool)>) -> RetryKind {
    if let Some((retryable, throttling)) = modeled {
        if throttling {
            return RetryKind::Throttling;
        }
        if retryable {
            return RetryKind::Transient;
        }
    }
    if THROTTLING_CODES.contains(&code) {
        RetryKind::Throttling
    } else if TRANSIENT_CODES.contains(&code) || TRANSIENT_STATUSES.contains(&status) {
        RetryKind::Transient
    } else {
        RetryKind::Never
    }
}

/// The delay before retry number `retry` (1 for the first retry): a uniformly
/// random duration in `[0, min(initial * 2^(retry-1), max))`.
pub fn backoff(config: &RetryConfig, retry: u32, random: f64) -> Duration {
    let exp = 2f64.powi(retry.saturating_sub(1).min(62) as i32);
    let ceiling =
        (config.initial_backoff.as_secs_f64() * exp).min(config.max_backoff.as_secs_f64());
    Duration::from_secs_f64((ceiling * random.clamp(0.0, 1.0)).max(0.0))
}

const INITIAL_TOKENS: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const SUCCESS_REFUND: u32 = 1;

/// The standard mode's token bucket, shared by all calls of a client.
#[derive(Debug)]
pub struct RetryQuota {
    tokens: Mutex<u32>,
}

impl Default for RetryQuota {
    fn default() -> RetryQuota {
        RetryQuota {
            tokens: Mutex::new(INITIAL_TOKENS),
        }
    }
}

impl RetryQuota {
    /// Takes the cost of a retry; `None` when the quota is exhausted.
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = if kind == RetryKind::Timeout {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        *tokens = tokens.checked_sub(cost)?;
        Some(cost)
    }

    /// A call succeeded: give back what its retries took, or one token.
    pub fn release(&self, spent: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let refund = if spent == 0 { SUCCESS_REFUND } else { spent };
        *tokens = (*tokens + refund).min(INITIAL_TOKENS);
    }

    #[cfg(test)]
    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(
            classify_response(400, "ThrottlingException", None),
            RetryKind::Throttling
        );
        assert_eq!(
            classify_response(400, "SlowDown", None),
            RetryKind::Throttling
        );
        assert_eq!(
            classify_response(503, "Whatever", None),
            RetryKind::Transient
        );
        assert_eq!(
            classify_response(400, "RequestTimeout", None),
            RetryKind::Transient
        );
        assert_eq!(
            classify_response(400, "ValidationException", None),
            RetryKind::Never
        );
        assert_eq!(
            classify_response(501, "NotImplemented", None),
            RetryKind::Never
        );
        assert_eq!(
            classify_response(404, "NotFound", Some((false, false))),
            RetryKind::Never
        );
        assert_eq!(
            classify_response(400, "X", Some((true, false))),
            RetryKind::Transient
        );
        assert_eq!(
            classify_response(400, "X", Some((true, true))),
            RetryKind::Throttling
        );
    }

    #[test]
    fn backoff_is_capped_exponential_with_jitter() {
        let c = RetryConfig::default();
        assert_eq!(backoff(&c, 1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(&c, 3, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(&c, 10, 1.0), Duration::from_secs(20));
        assert_eq!(backoff(&c, 1000, 1.0), Duration::from_secs(20));
        assert_eq!(backoff(&c, 3, 0.5), Duration::from_secs(2));
        assert_eq!(backoff(&c, 3, 0.0), Duration::ZERO);
    }

    #[test]
    fn quota_drains_and_refills() {
        let q = RetryQuota::default();
        let mut spent = 0;
        while let Some(c) = q.acquire(RetryKind::Transient) {
            spent += c;
        }
        assert_eq!(spent, 500);
        assert_eq!(q.acquire(RetryKind::Timeout), None);
        q.release(10);
        assert_eq!(q.available(), 10);
        assert_eq!(q.acquire(RetryKind::Timeout), Some(10));
        q.release(0);
        assert_eq!(q.available(), 1);
    }
}
