//! The non-generic half of an output event stream: body → frames →
//! classified messages, and filling event and exception structures.

use super::frame::{FrameError, FrameReader};
use crate::body::ByteStream;
use crate::error::{DeserializeError, ErrorMetadata, ErrorShape, SdkError, UnmodeledError};
use crate::protocol::{self, ErrorMatch, HttpResponse};
use crate::schema::{Location, Operation, Protocol, Service, Shape, ShapeKind};
use crate::value::{Struct, Value};
use aws_smithy_types::event_stream::{HeaderValue, Message};
use std::fmt;
use std::task::{Context, Poll, ready};

/// A response body being read as an event stream (see [`super`]).
pub struct RawEventStream {
    body: ByteStream,
    frames: FrameReader,
    /// A message read ahead while looking for `initial-response`.
    first: Option<Message>,
    body_done: bool,
    service: &'static Service,
    protocol: Protocol,
    op: &'static Operation,
    /// The event union (or botocore's event structure).
    events: &'static Shape,
    request_id: Option<String>,
}

impl fmt::Debug for RawEventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawEventStream")
            .field("operation", &self.op.name)
            .field("events", &self.events.name)
            .finish_non_exhaustive()
    }
}

/// What one message is, before it is turned into `T` or `E`.
pub(crate) enum Decoded {
    /// An event of the union's member `member`.
    Event { member: usize, message: Message },
    /// An `:event-type` the model does not know.
    Unknown(String),
    /// A modeled exception.
    Exception {
        matched: ErrorMatch,
        meta: ErrorMetadata,
        message: Message,
    },
    /// An `error` message, or an exception naming no error shape.
    Error(UnmodeledError),
}

/// The output member holding the event stream, if the output has one.
pub fn output_stream_member(op: &Operation) -> Option<(usize, &'static Shape)> {
    op.output
        .members()
        .iter()
        .enumerate()
        .find(|(_, m)| m.target.event_stream)
        .map(|(i, m)| (i, m.target))
}

/// Whether the input has an event-stream member (an input stream).
pub fn has_input_stream(op: &Operation) -> bool {
    op.input.members().iter().any(|m| m.target.event_stream)
}

fn header<'a>(message: &'a Message, name: &str) -> Option<&'a HeaderValue> {
    message
        .headers()
        .iter()
        .find(|h| h.name().as_str() == name)
        .map(|h| h.value())
}

fn header_str<'a>(message: &'a Message, name: &str) -> Option<&'a str> {
    match header(message, name) {
        Some(HeaderValue::String(s)) => Some(s.as_str()),
        _ => None,
    }
}

fn frame_error(e: FrameError) -> SdkError {
    SdkError::Transport(Box::new(e))
}

impl RawEventStream {
    /// A stream over `body` as a response of `op` (which must have an
    /// output event stream), without looking for `initial-response`: for
    /// fakes, replays and the fuzz target; the client uses `start`.
    pub fn new(
        body: ByteStream,
        service: &'static Service,
        protocol: Protocol,
        op: &'static Operation,
    ) -> Result<RawEventStream, SdkError> {
        let events = output_stream_member(op).map(|(_, s)| s).ok_or_else(|| {
            SdkError::Unsupported(format!("{} has no output event stream", op.name))
        })?;
        Ok(RawEventStream {
            body,
            frames: FrameReader::new(),
            first: None,
            body_done: false,
            service,
            protocol,
            op,
            events,
            request_id: None,
        })
    }

    /// Starts reading `body`. In the json and CBOR protocols the output's
    /// other members travel in a first `initial-response` event: its
    /// payload becomes `response.body` for the usual output parser.
    pub(crate) async fn start(
        body: ByteStream,
        service: &'static Service,
        protocol: Protocol,
        op: &'static Operation,
        response: &mut HttpResponse,
    ) -> Result<RawEventStream, SdkError> {
        let mut raw = RawEventStream::new(body, service, protocol, op)?;
        raw.request_id = protocol::rest::request_id(response);
        if matches!(protocol, Protocol::Json | Protocol::SmithyRpcV2Cbor) {
            let first = std::future::poll_fn(|cx| raw.poll_message(cx)).await?;
            if let Some(m) = first {
                if header_str(&m, ":event-type") == Some("initial-response") {
                    response.body = m.payload().to_vec();
                } else {
                    raw.first = Some(m);
                }
            }
        }
        Ok(raw)
    }

    /// The next whole message, reading the body as needed.
    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Message>, SdkError>> {
        if let Some(m) = self.first.take() {
            return Poll::Ready(Ok(Some(m)));
        }
        loop {
            if let Some(m) = self.frames.next_message().map_err(frame_error)? {
                return Poll::Ready(Ok(Some(m)));
            }
            if self.body_done {
                self.frames.finish().map_err(frame_error)?;
                return Poll::Ready(Ok(None));
            }
            match ready!(futures_core::Stream::poll_next(
                std::pin::Pin::new(&mut self.body),
                cx
            )) {
                Some(Ok(chunk)) => self.frames.push(&chunk),
                Some(Err(e)) => return Poll::Ready(Err(SdkError::Transport(e.into_source()))),
                None => self.body_done = true,
            }
        }
    }

    /// The next message, classified.
    pub(crate) fn poll_decoded(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Option<Decoded>, SdkError>> {
        loop {
            let Some(message) = ready!(self.poll_message(cx))? else {
                return Poll::Ready(Ok(None));
            };
            match self.classify(message) {
                Some(d) => return Poll::Ready(Ok(Some(d))),
                None => continue,
            }
        }
    }

    fn meta(&self, code: Option<&str>, message: Option<String>) -> ErrorMetadata {
        let mut meta = ErrorMetadata::EMPTY;
        if let Some(code) = code {
            meta = meta.with_code(code);
        }
        if let Some(m) = message {
            meta = meta.with_message(m);
        }
        if let Some(id) = &self.request_id {
            meta = meta.with_request_id(id.clone());
        }
        meta
    }

    /// `None` for messages that carry nothing for the caller (a repeated
    /// `initial-response`).
    fn classify(&self, message: Message) -> Option<Decoded> {
        let kind = header_str(&message, ":message-type").unwrap_or("event");
        match kind {
            "event" => {
                let name = header_str(&message, ":event-type").unwrap_or("");
                if name == "initial-response" {
                    return None;
                }
                let members = self.events.members();
                match members
                    .iter()
                    .position(|m| m.name == name && m.target.error.is_none())
                {
                    Some(member) => Some(Decoded::Event { member, message }),
                    None => Some(Decoded::Unknown(name.to_owned())),
                }
            }
            "exception" => {
                let name = header_str(&message, ":exception-type").unwrap_or("");
                let text = exception_message(self.protocol, message.payload());
                let meta = self.meta(Some(name), text);
                // The union's member names the error shape; look that shape
                // up in the operation's, then the service's, error lists.
                let shape = self
                    .events
                    .members()
                    .iter()
                    .find(|m| m.name == name && m.target.error.is_some())
                    .map(|m| m.target);
                let matched = match shape {
                    Some(s) => self
                        .op
                        .errors
                        .iter()
                        .position(|e| std::ptr::eq(*e, s))
                        .map(ErrorMatch::Operation)
                        .or_else(|| {
                            self.service
                                .errors
                                .iter()
                                .position(|e| std::ptr::eq(*e, s))
                                .map(ErrorMatch::Service)
                        }),
                    None => None,
                }
                .or_else(|| protocol::find_error(self.service, self.op, name));
                Some(match matched {
                    Some(matched) => Decoded::Exception {
                        matched,
                        meta,
                        message,
                    },
                    None => Decoded::Error(UnmodeledError::new(meta)),
                })
            }
            _ => {
                let code = header_str(&message, ":error-code").unwrap_or(kind);
                let text = header_str(&message, ":error-message").map(str::to_owned);
                Some(Decoded::Error(UnmodeledError::new(
                    self.meta(Some(code), text),
                )))
            }
        }
    }

    /// Fills member `member` of `event` (the union, or botocore's event
    /// structure) from `message`.
    pub(crate) fn fill_event(
        &self,
        event: &mut dyn Struct,
        member: usize,
        message: &Message,
    ) -> Result<(), DeserializeError> {
        let name = event.shape().members()[member].name;
        let slot = event
            .member_mut(member)
            .ok_or_else(|| DeserializeError::new(format!("no field for event {name}")))?;
        let target = slot
            .struct_mut()
            .ok_or_else(|| DeserializeError::new(format!("event {name} is not a structure")))?;
        fill_struct(self.protocol, target, message)
    }

    /// Fills a modeled exception's fields and metadata from `message`.
    pub(crate) fn fill_exception(
        &self,
        error: &mut dyn ErrorShape,
        message: &Message,
        meta: ErrorMetadata,
    ) -> Result<(), DeserializeError> {
        fill_struct(self.protocol, &mut *error, message)?;
        *error.meta_mut() = meta;
        Ok(())
    }
}

/// Header-bound members from the message headers, then the payload.
fn fill_struct(
    protocol: Protocol,
    target: &mut dyn Struct,
    message: &Message,
) -> Result<(), DeserializeError> {
    let shape = target.shape();
    let members = shape.members();
    for (i, m) in members.iter().enumerate() {
        if m.location != Location::Header {
            continue;
        }
        let (Some(value), Some(slot)) = (header(message, m.wire_name()), target.member_mut(i))
        else {
            continue;
        };
        set_header(slot, value, m.target)?;
    }
    let payload_member = members
        .iter()
        .position(|m| m.event_payload)
        .or_else(|| shape.structure().and_then(|s| s.payload));
    protocol::parse_event_payload(protocol, message.payload(), target, payload_member)
}

/// Stores a typed header value in a member.
fn set_header(
    slot: &mut dyn Value,
    value: &HeaderValue,
    target: &Shape,
) -> Result<(), DeserializeError> {
    match value {
        HeaderValue::Bool(b) => slot.set_bool(*b)?,
        HeaderValue::Byte(v) => slot.set_int(i64::from(*v))?,
        HeaderValue::Int16(v) => slot.set_int(i64::from(*v))?,
        HeaderValue::Int32(v) => slot.set_int(i64::from(*v))?,
        HeaderValue::Int64(v) => slot.set_int(*v)?,
        HeaderValue::ByteArray(b) => match target.kind {
            ShapeKind::String => slot.set_str(
                std::str::from_utf8(b)
                    .map_err(|_| DeserializeError::new("event header is not UTF-8"))?,
            )?,
            _ => slot.set_blob(b.to_vec())?,
        },
        HeaderValue::String(s) => slot.set_str(s.as_str())?,
        HeaderValue::Timestamp(t) => {
            let secs = t.secs() as f64 + f64::from(t.subsec_nanos()) / 1e9;
            slot.set_timestamp(crate::timestamp::parse_epoch_f64(secs)?)?
        }
        HeaderValue::Uuid(u) => slot.set_str(&format!("{u:032x}"))?,
        _ => return Err(DeserializeError::new("unknown event header type")),
    }
    Ok(())
}

/// The `message` (any capitalisation) of an exception's JSON payload; XML
/// and CBOR payloads leave it to the parsed member.
fn exception_message(protocol: Protocol, payload: &[u8]) -> Option<String> {
    if !matches!(protocol, Protocol::Json | Protocol::RestJson) {
        return None;
    }
    let serde_json::Value::Object(map) = serde_json::from_slice(payload).ok()? else {
        return None;
    };
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("message"))
        .and_then(|(_, v)| v.as_str().map(str::to_owned))
}
