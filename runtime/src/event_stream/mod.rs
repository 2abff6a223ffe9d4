//! Event streams (`application/vnd.amazon.eventstream`): typed events read
//! from a response body as its bytes arrive.
//!
//! An operation whose output has an event-stream member returns its output
//! with that member holding an [`EventStream<T, E>`]: `T` is the event union
//! (or botocore's event structure, one member set per event), `E` the
//! operation's error enum. The client reads the HTTP response's headers (and,
//! in the json and CBOR protocols, the `initial-response` event) into the
//! output as for any call, then hands the unread body to the stream, which
//! decodes one frame at a time ([`frame::FrameReader`]) and maps it:
//!
//! - `:message-type` `event`: `:event-type` names the union member; its
//!   structure's header-bound members come from the message headers, its
//!   `eventpayload` member (raw blob or string, or a structure in the
//!   protocol's body format) or else its body members from the payload;
//! - `exception`: `:exception-type` names a modeled error, returned as the
//!   operation error's variant (and the stream ends);
//! - `error`: `:error-code` / `:error-message` become an unmodeled error;
//! - a truncated or corrupt frame: `SdkError::Transport` holding a
//!   [`frame::FrameError`].
//!
//! Input streams are signed message by message with the chained SigV4
//! event signature ([`sign::EventSigner`]).
//!
//! Generated code only names the types: each event-stream operation's client
//! method passes a function that stores the stream in its output's field
//! (`Client::call_event_stream`); everything else is here, driven by the
//! schema statics.

#[cfg(feature = "event-stream")]
pub mod frame;
#[cfg(feature = "event-stream")]
pub(crate) mod read;
#[cfg(feature = "event-stream")]
pub mod sign;

/// The codec's message types (`aws-smithy-types`), for building frames
/// with [`frame::encode`] (tests, fakes).
#[cfg(feature = "event-stream")]
pub use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
#[cfg(feature = "event-stream")]
pub use read::RawEventStream;

use crate::value::{Blank, Value, ValueMut, ValueRef};
use std::fmt;
use std::marker::PhantomData;

/// Without the `event-stream` feature there is never a stream to read.
#[cfg(not(feature = "event-stream"))]
#[derive(Debug)]
pub enum RawEventStream {}

/// The events of an operation's output stream: `T` is the event type, `E`
/// the operation's error enum (modeled exception events arrive as its
/// variants). Read with [`EventStream::recv`] or as a
/// `futures_core::Stream` of `Result<T, E>`; `None` is the stream's
/// regular end. A default value (an output built in code) has no events.
pub struct EventStream<T, E> {
    raw: Option<RawEventStream>,
    types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> EventStream<T, E> {
    /// The stream over a response body, as the client builds it.
    pub fn from_raw(raw: Option<RawEventStream>) -> EventStream<T, E> {
        EventStream {
            raw,
            types: PhantomData,
        }
    }

    /// A stream that has no events (what a mock output holds).
    pub fn empty() -> EventStream<T, E> {
        EventStream::from_raw(None)
    }

    /// Whether the stream has ended (or never had a body).
    pub fn is_done(&self) -> bool {
        self.raw.is_none()
    }
}

impl<T, E> Default for EventStream<T, E> {
    fn default() -> Self {
        EventStream::empty()
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("done", &self.raw.is_none())
            .finish_non_exhaustive()
    }
}

impl<T, E> Blank for EventStream<T, E> {
    #[inline]
    fn blank() -> Self {
        EventStream::empty()
    }
}

/// The stream is a field of the output structure; the protocols see it as
/// a null member and never write or read it (the client sets it).
impl<T, E> Value for EventStream<T, E> {
    fn get(&self) -> ValueRef<'_> {
        ValueRef::Null
    }
    fn get_mut(&mut self) -> ValueMut<'_> {
        ValueMut::Opaque("event stream")
    }
}

#[cfg(feature = "event-stream")]
mod typed {
    use super::EventStream;
    use super::read::Decoded;
    use crate::error::SdkError;
    use crate::operation::OperationError;
    use crate::protocol::ErrorMatch;
    use crate::value::{Blank, Struct};
    use std::pin::Pin;
    use std::task::{Context, Poll, ready};

    impl<T: Struct + Blank, E: OperationError> EventStream<T, E> {
        /// The next event; `Ok(None)` at the end of the stream. After an
        /// error (a modeled exception, an error message, a broken frame) the
        /// stream is over.
        pub async fn recv(&mut self) -> Result<Option<T>, E> {
            std::future::poll_fn(|cx| self.poll_recv(cx)).await
        }

        /// [`EventStream::recv`] as a poll function.
        pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<T>, E>> {
            loop {
                let Some(raw) = self.raw.as_mut() else {
                    return Poll::Ready(Ok(None));
                };
                let decoded = match ready!(raw.poll_decoded(cx)) {
                    Ok(Some(d)) => d,
                    Ok(None) => {
                        self.raw = None;
                        return Poll::Ready(Ok(None));
                    }
                    Err(e) => {
                        self.raw = None;
                        return Poll::Ready(Err(E::sdk(e)));
                    }
                };
                let result = match decoded {
                    Decoded::Event { member, message } => {
                        let mut event = T::blank();
                        match raw.fill_event(&mut event, member, &message) {
                            Ok(()) => Ok(Some(event)),
                            Err(e) => Err(E::sdk(SdkError::Deserialize(e))),
                        }
                    }
                    Decoded::Unknown(name) => {
                        let mut event = T::blank();
                        if !matches!(event.shape().kind, crate::schema::ShapeKind::Union(_)) {
                            // A structure cannot say "none of mine": skip it.
                            continue;
                        }
                        event.set_unknown_variant(&name);
                        Ok(Some(event))
                    }
                    Decoded::Exception {
                        matched,
                        meta,
                        message,
                    } => {
                        let err = match matched {
                            ErrorMatch::Operation(i) => E::modeled(i),
                            ErrorMatch::Service(i) => E::unlisted(i),
                        };
                        Err(match err {
                            Some(mut err) => {
                                let parsed = match err.modeled_mut() {
                                    Some(fields) => raw.fill_exception(fields, &message, meta),
                                    None => Ok(()),
                                };
                                match parsed {
                                    Ok(()) => err,
                                    Err(e) => E::sdk(SdkError::Deserialize(e)),
                                }
                            }
                            None => E::unmodeled(crate::error::UnmodeledError::new(meta)),
                        })
                    }
                    Decoded::Error(e) => Err(E::unmodeled(e)),
                };
                if result.is_err() {
                    self.raw = None;
                }
                return Poll::Ready(result);
            }
        }
    }

    impl<T: Struct + Blank + Unpin, E: OperationError + Unpin> futures_core::Stream
        for EventStream<T, E>
    {
        type Item = Result<T, E>;

        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            self.get_mut().poll_recv(cx).map(Result::transpose)
        }
    }
}
