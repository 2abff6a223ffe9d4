//! Waiters: poll an operation until the resource reaches a state
//! (`waiters-2.json`), e.g. DynamoDB `TableExists` or EC2 `InstanceRunning`.
//!
//! Each generated `wait_until_<name>` method builds a [`Waiter`] from a
//! static [`WaiterSpec`]. The polling loop is botocore's: call, try the
//! acceptors in order, and stop on the first `success` or `failure` match;
//! an error response no acceptor matches ends the wait; otherwise sleep
//! `delay` and try again, at most `max_attempts` times. Path matchers are
//! JMESPath expressions evaluated (with the `jmespath` crate) over the
//! output viewed as JSON with the model's member names, as botocore sees
//! its parsed response.

use crate::client::{Client, RawError};
use crate::error::UnmodeledError;
use crate::operation::OperationError;
use crate::schema::Operation;
use crate::value::{Blank, Struct, ValueRef};
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// One waiter from `waiters-2.json`.
#[derive(Debug)]
pub struct WaiterSpec {
    /// The waiter's name in the model (`TableExists`).
    pub name: &'static str,
    /// Seconds between attempts.
    pub delay: u64,
    pub max_attempts: u32,
    pub acceptors: &'static [Acceptor],
}

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
    delay: Duration,
    max_attempts: u32,
    /// The output and error types the wait produces.
    types: PhantomData<fn() -> (O, E)>,
}

impl<I, O, E> fmt::Debug for Waiter<'_, I, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("waiter", &self.spec.name)
            .field("delay", &self.delay)
            .field("max_attempts", &self.max_attempts)
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
    /// A wait with the model's delay and attempt limit.
    pub fn new(
        client: &'a Client,
        op: &'static Operation,
        spec: &'static WaiterSpec,
        input: I,
    ) -> Self {
        Waiter {
            client,
            op,
            spec,
            input,
            delay: Duration::from_secs(spec.delay),
            max_attempts: spec.max_attempts.max(1),
            types: PhantomData,
        }
    }

    /// Time between attempts (the model's `delay` by default).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// How many calls at most (the model's `maxAttempts` by default).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Polls until an acceptor decides, or the attempts run out.
    pub async fn wait(self) -> Result<FinalPoll<O, E>, WaiterError<E>> {
        let name = self.spec.name;
        for attempt in 1..=self.max_attempts {
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
            let state = match matching_state(self.spec, &poll) {
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
            if attempt < self.max_attempts {
                tokio::time::sleep(self.delay).await;
            }
        }
        Err(WaiterError::MaxAttemptsExceeded {
            waiter: name,
            attempts: self.max_attempts,
        })
    }
}

/// The state of the first acceptor that matches, if any.
fn matching_state<O: Struct>(
    spec: &WaiterSpec,
    poll: &Poll<O>,
) -> Result<Option<WaitState>, String> {
    // The output as JSON, built at most once per poll and only for path matchers.
    let mut json: Option<serde_json::Value> = None;
    for acceptor in spec.acceptors {
        let matched = match (&acceptor.matcher, poll) {
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
                    Matcher::PathAll { .. } => match &result {
                        serde_json::Value::Array(items) => {
                            !items.is_empty() && items.iter().all(|v| equals(v, expected))
                        }
                        _ => false,
                    },
                    _ => match &result {
                        serde_json::Value::Array(items) => {
                            items.iter().any(|v| equals(v, expected))
                        }
                        _ => false,
                    },
                }
            }
            // Path matchers never match an error response.
            (
                Matcher::Path { .. } | Matcher::PathAll { .. } | Matcher::PathAny { .. },
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
    match e {
        RawError::Sdk(_) => None,
        RawError::Unmodeled(UnmodeledError { code, .. }) => Some(code),
        RawError::Modeled(m) => Some(&m.code),
    }
}

fn error_status(e: &RawError) -> Option<u16> {
    match e {
        RawError::Sdk(_) => None,
        RawError::Unmodeled(u) => Some(u.status),
        RawError::Modeled(m) => Some(m.response.status),
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
