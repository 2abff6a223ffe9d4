//! Waiters: poll an operation until the resource reaches a state
//! (botocore's `waiters-2.json`, Smithy's `@waitable`), e.g. DynamoDB
//! `TableExists` or EC2 `InstanceRunning`.
//!
//! Each generated `wait_until_<name>` method builds a [`Waiter`] from a
//! static [`WaiterSpec`]. The polling loop: call, try the acceptors in
//! order, and stop on the first `success` or `failure` match; an error
//! response no acceptor matches ends the wait; otherwise sleep and try
//! again. How long to sleep and when to give up follow the waiter's source
//! ([`Schedule`]): botocore's waiters sleep a fixed `delay` and give up
//! after `max_attempts` calls; Smithy's back off exponentially with full
//! jitter between `minDelay` and `maxDelay` and give up when the caller's
//! maximum wait time is spent ([`backoff_delay`] is the spec's formula).
//! Path matchers are JMESPath expressions evaluated (with the `jmespath`
//! crate) over the output (or, for Smithy's `inputOutput`, `{input,
//! output}`) viewed as JSON with the model's member names, as botocore sees
//! its parsed response.

use crate::client::{Client, RawError};
use crate::operation::OperationError;
use crate::schema::Operation;
use crate::value::{Blank, Struct, ValueRef};
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// One waiter of the model.
#[derive(Debug)]
pub struct WaiterSpec {
    /// The waiter's name in the model (`TableExists`).
    pub name: &'static str,
    pub schedule: Schedule,
    pub acceptors: &'static [Acceptor],
}

/// When to poll again and when to give up, as the waiter's model says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// botocore: `delay` seconds between calls, at most `max_attempts` calls.
    Fixed { delay: u64, max_attempts: u32 },
    /// Smithy: exponential back-off with full jitter from `min_delay` up to
    /// `max_delay` seconds, until the maximum wait time is spent
    /// ([`DEFAULT_MAX_WAIT`] unless the caller sets one).
    Backoff { min_delay: u64, max_delay: u64 },
}

/// The maximum wait of a Smithy waiter when the caller sets none. Smithy
/// leaves it to the caller; five minutes is the spec's worked example.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(300);

/// A rule that, when it matches a poll's result, moves the waiter to `state`.
#[derive(Debug)]
pub struct Acceptor {
    pub state: WaitState,
    pub matcher: Matcher,
}

/// What a matching acceptor means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitState {
    Success,
    Failure,
    Retry,
}

/// How an acceptor looks at a poll's result.
#[derive(Debug)]
pub enum Matcher {
    /// The expression's value equals `expected`.
    Path {
        argument: &'static str,
        expected: Expected,
    },
    /// The expression yields a non-empty list whose every element equals `expected`.
    PathAll {
        argument: &'static str,
        expected: Expected,
    },
    /// The expression yields a list with at least one element equal to `expected`.
    PathAny {
        argument: &'static str,
        expected: Expected,
    },
    /// The HTTP status code equals this one.
    Status(u16),
    /// The call failed with this error code.
    Error(&'static str),
    /// `true`: the call failed with any error code; `false`: it succeeded.
    AnyError(bool),
    /// Like `Path`, over `{"input": ..., "output": ...}` (Smithy `inputOutput`).
    InputOutputPath {
        argument: &'static str,
        expected: Expected,
    },
    /// Like `PathAll`, over `{"input": ..., "output": ...}`.
    InputOutputPathAll {
        argument: &'static str,
        expected: Expected,
    },
    /// Like `PathAny`, over `{"input": ..., "output": ...}`.
    InputOutputPathAny {
        argument: &'static str,
        expected: Expected,
    },
}

/// The value a path matcher compares with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expected {
    Str(&'static str),
    Bool(bool),
    Number(f64),
}

/// How a successful wait ended: on an output, or on an error an acceptor
/// declared a success (e.g. `ResourceNotFound` for a "deleted" waiter).
#[derive(Debug)]
pub enum FinalPoll<O, E> {
    Output(O),
    Error(E),
}

/// Why a wait did not succeed.
#[derive(Debug)]
pub enum WaiterError<E> {
    /// An acceptor matched with state `failure`; the last poll's result is kept.
    FailureState {
        waiter: &'static str,
        last: Box<FinalPollOf<E>>,
    },
    /// The operation failed with an error no acceptor expects.
    Operation(E),
    /// Still not in the wanted state after the last attempt.
    MaxAttemptsExceeded { waiter: &'static str, attempts: u32 },
    /// Still not in the wanted state when the maximum wait time was spent.
    MaxWaitExceeded {
        waiter: &'static str,
        waited: Duration,
    },
    /// An acceptor's expression is not valid JMESPath (a model defect).
    InvalidExpression {
        waiter: &'static str,
        message: String,
    },
}

/// The last result of a failed wait, with the output type erased to
/// keep [`WaiterError`] generic over the error type only.
#[derive(Debug)]
pub enum FinalPollOf<E> {
    /// The output matched a failure acceptor (its Debug text).
    Output(String),
    Error(E),
}

impl<E: fmt::Display> fmt::Display for WaiterError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::FailureState { waiter, last } => match last.as_ref() {
                FinalPollOf::Error(e) => {
                    write!(f, "waiter {waiter} reached a failure state: {e}")
                }
                FinalPollOf::Output(_) => write!(f, "waiter {waiter} reached a failure state"),
            },
            WaiterError::Operation(e) => write!(f, "waiter stopped on an error: {e}"),
            WaiterError::MaxAttemptsExceeded { waiter, attempts } => {
                write!(f, "waiter {waiter} gave up after {attempts} attempts")
            }
            WaiterError::MaxWaitExceeded { waiter, waited } => {
                write!(f, "waiter {waiter} gave up after waiting {waited:?}")
            }
            WaiterError::InvalidExpression { waiter, message } => {
                write!(f, "waiter {waiter} has an invalid expression: {message}")
            }
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for WaiterError<E> {}

/// A configured wait; `wait().await` runs it.
#[must_use = "a waiter does nothing until `wait().await`"]
pub struct Waiter<'a, I, O, E> {
    client: &'a Client,
    op: &'static Operation,
    spec: &'static WaiterSpec,
    input: I,
    /// The delay before the first retry (and every retry without back-off).
    min_delay: Duration,
    /// The back-off's ceiling.
    max_delay: Duration,
    /// Exponential back-off with jitter (Smithy) rather than a fixed delay.
    backoff: bool,
    max_attempts: Option<u32>,
    max_wait: Option<Duration>,
    /// The output and error types the wait produces.
    types: PhantomData<fn() -> (O, E)>,
}

impl<I, O, E> fmt::Debug for Waiter<'_, I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("waiter", &self.spec.name)
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .field("backoff", &self.backoff)
            .field("max_attempts", &self.max_attempts)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

/// The result of one poll, before it is typed.
enum Poll<O> {
    Output { output: O, status: u16 },
    Error(RawError),
}

impl<'a, I, O, E> Waiter<'a, I, O, E>
where
    I: Struct + Sync,
    O: Struct + Blank + Send + fmt::Debug,
    E: OperationError + Send,
{
    /// A wait on the model's schedule.
    pub fn new(
        client: &'a Client,
        op: &'static Operation,
        spec: &'static WaiterSpec,
        input: I,
    ) -> Self {
        let (min_delay, max_delay, backoff, max_attempts, max_wait) = match spec.schedule {
            Schedule::Fixed {
                delay,
                max_attempts,
            } => (
                Duration::from_secs(delay),
                Duration::from_secs(delay),
                false,
                Some(max_attempts.max(1)),
                None,
            ),
            Schedule::Backoff {
                min_delay,
                max_delay,
            } => (
                Duration::from_secs(min_delay),
                Duration::from_secs(max_delay.max(min_delay)),
                true,
                None,
                Some(DEFAULT_MAX_WAIT),
            ),
        };
        Waiter {
            client,
            op,
            spec,
            input,
            min_delay,
            max_delay,
            backoff,
            max_attempts,
            max_wait,
            types: PhantomData,
        }
    }

    /// A fixed time between attempts, without back-off (botocore waiters'
    /// `delay` is the default).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self.max_delay = delay;
        self.backoff = false;
        self
    }

    /// Back off exponentially, with jitter, from `min` up to `max` between
    /// attempts (Smithy waiters' `minDelay`/`maxDelay` are the default).
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.min_delay = min;
        self.max_delay = max.max(min);
        self.backoff = true;
        self
    }

    /// How many calls at most (botocore waiters' `maxAttempts` is the
    /// default; Smithy waiters have no attempt limit unless set here).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// Give up once this much time has passed (Smithy waiters default to
    /// [`DEFAULT_MAX_WAIT`]; botocore waiters have no time limit unless set here).
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = Some(max_wait);
        self
    }

    /// The delay before retry number `attempt` (1-based), or `None` when the
    /// wait must give up first. `elapsed`: time since the wait started.
    fn next_delay(&self, attempt: u32, elapsed: Duration) -> Option<Duration> {
        if self.max_attempts.is_some_and(|m| attempt >= m) {
            return None;
        }
        let mut delay = if self.backoff {
            let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
            Duration::from_millis(backoff_delay(
                attempt,
                ms(self.min_delay),
                ms(self.max_delay),
                |lo, hi| fastrand::u64(lo..=hi),
            ))
        } else {
            self.min_delay
        };
        if let Some(max_wait) = self.max_wait {
            let remaining = max_wait.checked_sub(elapsed).filter(|r| !r.is_zero())?;
            // One last call at the deadline rather than a sleep past it.
            if remaining.saturating_sub(delay) <= self.min_delay {
                delay = remaining;
            }
        }
        Some(delay)
    }

    /// Polls until an acceptor decides, or the attempts run out.
    pub async fn wait(self) -> Result<FinalPoll<O, E>, WaiterError<E>> {
        let name = self.spec.name;
        let started = tokio::time::Instant::now();
        let mut attempt = 0u32;
        loop {
            attempt = attempt.saturating_add(1);
            let poll = match self.client.call_raw(self.op, &self.input).await {
                Ok(mut raw) => {
                    let mut output = O::blank();
                    match raw.parse_into(&mut output) {
                        Ok(()) => Poll::Output {
                            output,
                            status: raw.response.status,
                        },
                        Err(e) => Poll::Error(RawError::Sdk(crate::SdkError::Deserialize(e))),
                    }
                }
                Err(e) => Poll::Error(e),
            };
            let state = match matching_state(self.spec, &self.input, &poll) {
                Ok(state) => state,
                Err(message) => {
                    return Err(WaiterError::InvalidExpression {
                        waiter: name,
                        message,
                    });
                }
            };
            match (state, poll) {
                (Some(WaitState::Success), Poll::Output { output, .. }) => {
                    return Ok(FinalPoll::Output(output));
                }
                (Some(WaitState::Success), Poll::Error(e)) => {
                    return Ok(FinalPoll::Error(crate::client::operation_error(e)));
                }
                (Some(WaitState::Failure), Poll::Output { output, .. }) => {
                    return Err(WaiterError::FailureState {
                        waiter: name,
                        last: Box::new(FinalPollOf::Output(format!("{output:?}"))),
                    });
                }
                (Some(WaitState::Failure), Poll::Error(e)) => {
                    return Err(WaiterError::FailureState {
                        waiter: name,
                        last: Box::new(FinalPollOf::Error(crate::client::operation_error(e))),
                    });
                }
                // An error nothing expects ends the wait, as in botocore.
                (None, Poll::Error(e)) => {
                    return Err(WaiterError::Operation(crate::client::operation_error(e)));
                }
                (Some(WaitState::Retry), _) | (None, Poll::Output { .. }) => {}
            }
            match self.next_delay(attempt, started.elapsed()) {
                Some(delay) => tokio::time::sleep(delay).await,
                None if self.max_attempts.is_some_and(|m| attempt >= m) => {
                    return Err(WaiterError::MaxAttemptsExceeded {
                        waiter: name,
                        attempts: attempt,
                    });
                }
                None => {
                    return Err(WaiterError::MaxWaitExceeded {
                        waiter: name,
                        waited: started.elapsed(),
                    });
                }
            }
        }
    }
}

/// Smithy's waiter delay before retry `attempt` (1-based), in any unit:
/// `min * 2^(attempt-1)` capped at `max` (past the attempt where it would
/// exceed `max`), then a random value between `min` and that, inclusive
/// (`random(lo, hi)`).
pub fn backoff_delay(
    attempt: u32,
    min: u64,
    max: u64,
    random: impl FnOnce(u64, u64) -> u64,
) -> u64 {
    let min = min.max(1);
    let max = max.max(min);
    let ceiling = ((max as f64 / min as f64).ln() / std::f64::consts::LN_2) + 1.0;
    let delay = if f64::from(attempt) > ceiling {
        max
    } else {
        let factor = 1u64
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u64::MAX);
        min.saturating_mul(factor).min(max)
    };
    random(min, delay).clamp(min, delay)
}

/// The state of the first acceptor that matches, if any.
fn matching_state<I: Struct, O: Struct>(
    spec: &WaiterSpec,
    input: &I,
    poll: &Poll<O>,
) -> Result<Option<WaitState>, String> {
    // The output (and `{input, output}`) as JSON, built at most once per
    // poll and only for path matchers.
    let mut json: Option<serde_json::Value> = None;
    let mut both: Option<serde_json::Value> = None;
    for acceptor in spec.acceptors {
        let matched = match (&acceptor.matcher, poll) {
            (
                Matcher::InputOutputPath { argument, expected }
                | Matcher::InputOutputPathAll { argument, expected }
                | Matcher::InputOutputPathAny { argument, expected },
                Poll::Output { output, .. },
            ) => {
                let data = both.get_or_insert_with(|| {
                    serde_json::json!({
                        "input": to_json(ValueRef::Struct(input)),
                        "output": to_json(ValueRef::Struct(output)),
                    })
                });
                let result = search(argument, data)?;
                match acceptor.matcher {
                    Matcher::InputOutputPath { .. } => equals(&result, expected),
                    Matcher::InputOutputPathAll { .. } => all_equal(&result, expected),
                    _ => any_equal(&result, expected),
                }
            }
            (Matcher::Status(code), Poll::Output { status, .. }) => status == code,
            (Matcher::Status(code), Poll::Error(e)) => error_status(e) == Some(*code),
            (Matcher::Error(code), Poll::Error(e)) => error_code(e) == Some(code),
            (Matcher::AnyError(any), Poll::Error(e)) => *any && error_code(e).is_some(),
            (Matcher::AnyError(any), Poll::Output { .. }) => !*any,
            (Matcher::Error(_), Poll::Output { .. }) => false,
            (
                Matcher::Path { argument, expected }
                | Matcher::PathAll { argument, expected }
                | Matcher::PathAny { argument, expected },
                Poll::Output { output, .. },
            ) => {
                let data = json.get_or_insert_with(|| to_json(ValueRef::Struct(output)));
                let result = search(argument, data)?;
                match acceptor.matcher {
                    Matcher::Path { .. } => equals(&result, expected),
                    Matcher::PathAll { .. } => all_equal(&result, expected),
                    _ => any_equal(&result, expected),
                }
            }
            // Path matchers never match an error response.
            (
                Matcher::Path { .. }
                | Matcher::PathAll { .. }
                | Matcher::PathAny { .. }
                | Matcher::InputOutputPath { .. }
                | Matcher::InputOutputPathAll { .. }
                | Matcher::InputOutputPathAny { .. },
                Poll::Error(_),
            ) => false,
        };
        if matched {
            return Ok(Some(acceptor.state));
        }
    }
    Ok(None)
}

/// The service's error code; `None` when the call failed before a response.
fn error_code(e: &RawError) -> Option<&str> {
    e.meta().code()
}

fn error_status(e: &RawError) -> Option<u16> {
    e.meta().status()
}

/// A non-empty array whose every element equals `expected`.
fn all_equal(v: &serde_json::Value, expected: &Expected) -> bool {
    match v {
        serde_json::Value::Array(items) => {
            !items.is_empty() && items.iter().all(|v| equals(v, expected))
        }
        _ => false,
    }
}

/// An array with at least one element equal to `expected`.
fn any_equal(v: &serde_json::Value, expected: &Expected) -> bool {
    match v {
        serde_json::Value::Array(items) => items.iter().any(|v| equals(v, expected)),
        _ => false,
    }
}

fn equals(v: &serde_json::Value, expected: &Expected) -> bool {
    match (v, expected) {
        (serde_json::Value::String(s), Expected::Str(e)) => s == e,
        (serde_json::Value::Bool(b), Expected::Bool(e)) => b == e,
        (serde_json::Value::Number(n), Expected::Number(e)) => n.as_f64() == Some(*e),
        _ => false,
    }
}

/// Evaluates a JMESPath expression; the result converted back to JSON.
///
/// An expression that does not parse is an error. One that fails while
/// evaluating (e.g. `length(Reservations[])` on a response without
/// reservations) yields `null`, which no matcher accepts.
pub fn search(expression: &str, data: &serde_json::Value) -> Result<serde_json::Value, String> {
    let expr = jmespath::compile(expression).map_err(|e| e.to_string())?;
    match expr.search(data.clone()) {
        Ok(result) => Ok(serde_json::to_value(&*result).unwrap_or(serde_json::Value::Null)),
        Err(_) => Ok(serde_json::Value::Null),
    }
}

/// A value as botocore's parsed response would hold it: structures as
/// objects keyed by model member name (unset members left out), timestamps
/// as RFC 3339 text, blobs as base64.
pub fn to_json(v: ValueRef<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        ValueRef::Null => J::Null,
        ValueRef::Bool(b) => J::Bool(b),
        ValueRef::Int(i) => J::from(i),
        ValueRef::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        ValueRef::Str(s) => J::String(s.to_owned()),
        ValueRef::Blob(b) => {
            use base64::Engine as _;
            J::String(base64::engine::general_purpose::STANDARD.encode(b))
        }
        ValueRef::Timestamp(t) => J::String(crate::timestamp::format(
            t,
            crate::schema::TimestampFormat::Iso8601,
        )),
        ValueRef::Document(d) => J::from(d),
        ValueRef::Stream(_) => J::Null,
        ValueRef::Struct(s) => {
            let mut map = serde_json::Map::new();
            for (i, member) in s.shape().members().iter().enumerate() {
                if let Some(value) = s.member(i) {
                    let value = value.get();
                    if !matches!(value, ValueRef::Null) {
                        map.insert(member.name.to_owned(), to_json(value));
                    }
                }
            }
            J::Object(map)
        }
        ValueRef::List(l) => J::Array((0..l.len()).map(|i| to_json(l.item(i).get())).collect()),
        ValueRef::Map(m) => J::Object(
            m.sorted_entries()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), to_json(v.get())))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_delay;

    /// The upper bound of each retry's delay with Smithy's defaults (2, 120).
    #[test]
    fn backoff_doubles_up_to_the_ceiling() {
        let highest: Vec<u64> = (1..=9)
            .map(|a| backoff_delay(a, 2, 120, |_, hi| hi))
            .collect();
        assert_eq!(highest, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
        let lowest: Vec<u64> = (1..=9)
            .map(|a| backoff_delay(a, 2, 120, |lo, _| lo))
            .collect();
        assert_eq!(lowest, [2; 9]);
    }

    #[test]
    fn backoff_stays_in_range_with_jitter_and_equal_bounds_are_linear() {
        for attempt in 1..50 {
            let d = backoff_delay(attempt, 5, 300, |lo, hi| fastrand::u64(lo..=hi));
            assert!((5..=300).contains(&d), "attempt {attempt}: {d}");
            // A random source out of range is clamped.
            assert_eq!(backoff_delay(attempt, 5, 300, |_, _| 0), 5);
            assert_eq!(backoff_delay(attempt, 7, 7, |_, hi| hi), 7);
        }
        // Huge attempt numbers neither overflow nor exceed the maximum.
        assert_eq!(backoff_delay(u32::MAX, 1, u64::MAX, |_, hi| hi), u64::MAX);
    }
}
