//! The `adaptive` retry mode's client-side rate limiter, as botocore's
//! `retries/adaptive.py`, `bucket.py` and `throttling.py` define it.
//!
//! Every attempt's result updates the send rate: a throttling response
//! turns the limiter on and cuts the rate to 70 % of what was being sent
//! (CUBIC's multiplicative decrease); other results grow it again along
//! CUBIC's curve. While on, each attempt first takes a token from a bucket
//! filled at that rate. Time is tokio's clock (seconds since the limiter
//! was created), so tests can run it on a paused clock.

use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// CUBIC's scaling constant and multiplicative decrease.
const SCALE_CONSTANT: f64 = 0.4;
const BETA: f64 = 0.7;
/// The bucket never fills slower than this (tokens per second).
const MIN_FILL_RATE: f64 = 0.5;
/// The new rate is at most this many times the measured send rate.
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;
/// The measured rate: exponential smoothing over half-second buckets.
const SMOOTHING: f64 = 0.8;
const TIME_BUCKET_SCALE: f64 = 2.0;

/// The limiter's state: token bucket, CUBIC and the send-rate clock. Each
/// method takes the time `t` in seconds, so the arithmetic is tested
/// against botocore's on the same timeline.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct State {
    pub enabled: bool,
    // Token bucket (`TokenBucket`).
    pub fill_rate: f64,
    pub max_capacity: f64,
    pub capacity: f64,
    last_refill: Option<f64>,
    // `CubicCalculator`.
    pub w_max: f64,
    pub k: f64,
    pub last_fail: f64,
    // `RateClocker`.
    pub measured_rate: f64,
    last_bucket: f64,
    count: f64,
}

impl State {
    /// A limiter created at time `t`: off, bucket at rate 1 and empty.
    pub fn new(t: f64) -> State {
        let mut state = State {
            enabled: false,
            fill_rate: 0.0,
            max_capacity: 0.0,
            capacity: 0.0,
            last_refill: None,
            w_max: 0.0,
            k: 0.0,
            last_fail: t,
            measured_rate: 0.0,
            last_bucket: t.floor(),
            count: 0.0,
        };
        state.k = state.zero_point();
        state.set_max_rate(t, 1.0);
        state
    }

    fn refill(&mut self, t: f64) {
        let Some(last) = self.last_refill else {
            self.last_refill = Some(t);
            return;
        };
        let filled = (t - last) * self.fill_rate;
        self.capacity = self.max_capacity.min(self.capacity + filled);
        self.last_refill = Some(t);
    }

    /// `TokenBucket.max_rate = value`.
    pub fn set_max_rate(&mut self, t: f64, value: f64) {
        self.refill(t);
        self.fill_rate = value.max(MIN_FILL_RATE);
        self.max_capacity = if value >= 1.0 { value } else { 1.0 };
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Takes one token, or says how long until there is one.
    pub fn try_acquire(&mut self, t: f64) -> Result<(), f64> {
        self.refill(t);
        if self.capacity >= 1.0 {
            self.capacity -= 1.0;
            Ok(())
        } else {
            Err((1.0 - self.capacity) / self.fill_rate)
        }
    }

    /// `RateClocker.record`: counts a response, returns the measured rate.
    fn record(&mut self, t: f64) -> f64 {
        let bucket = (t * TIME_BUCKET_SCALE).floor() / TIME_BUCKET_SCALE;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.measured_rate = current * SMOOTHING + self.measured_rate * (1.0 - SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured_rate
    }

    fn zero_point(&self) -> f64 {
        // Python's `x ** (1 / 3.0)`, for the same rounding.
        (self.w_max * (1.0 - BETA) / SCALE_CONSTANT).powf(1.0 / 3.0)
    }

    /// `ClientRateLimiter.on_receiving_response`.
    pub fn on_response(&mut self, t: f64, throttling: bool) {
        let measured = self.record(t);
        let new_rate = if throttling {
            let rate = if self.enabled {
                measured.min(self.fill_rate)
            } else {
                measured
            };
            self.w_max = rate;
            self.k = self.zero_point();
            self.last_fail = t;
            self.enabled = true;
            rate * BETA
        } else {
            SCALE_CONSTANT * (t - self.last_fail - self.k).powi(3) + self.w_max
        };
        self.set_max_rate(t, new_rate.min(MAX_RATE_ADJUST_SCALE * measured));
    }
}

/// A client's rate limiter, shared by all its calls.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    start: Instant,
    state: Mutex<State>,
    /// Wakes waiting attempts when the rate changes.
    changed: Notify,
}

impl RateLimiter {
    pub fn new() -> RateLimiter {
        RateLimiter {
            start: Instant::now(),
            state: Mutex::new(State::new(0.0)),
            changed: Notify::new(),
        }
    }

    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for a send token while the limiter is on; returns how long.
    pub async fn acquire(&self) -> Duration {
        let started = Instant::now();
        loop {
            let notified = self.changed.notified();
            let wait = {
                let mut state = self.lock();
                if !state.enabled {
                    break;
                }
                match state.try_acquire(self.now()) {
                    Ok(()) => break,
                    Err(wait) => wait,
                }
            };
            // A rate change may shorten the wait: look again then.
            let wait = Duration::try_from_secs_f64(wait).unwrap_or(Duration::from_secs(2));
            let _ = tokio::time::timeout(wait, notified).await;
        }
        started.elapsed()
    }

    /// Updates the rate after an attempt's result.
    pub fn on_response(&self, throttling: bool) {
        let t = self.now();
        let (enabled, rate) = {
            let mut state = self.lock();
            state.on_response(t, throttling);
            (state.enabled, state.fill_rate)
        };
        if throttling {
            tracing::debug!(
                send_rate = rate,
                "adaptive retry mode: throttled, send rate lowered"
            );
        }
        if enabled {
            self.changed.notify_waiters();
        }
    }
}
