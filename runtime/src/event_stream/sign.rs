//! The chained SigV4 signature of input event-stream messages.
//!
//! Each message is wrapped in a frame whose payload is the message's own
//! encoded frame, with `:date` and `:chunk-signature` headers; the
//! signature covers the previous one (the HTTP request's for the first
//! message), so the service can tell a stream was not cut or reordered.
//! The stream ends with a signed empty message. The arithmetic is
//! `aws-sigv4`'s `event_stream` module; this keeps the chain.

use crate::client::Credentials;
use aws_credential_types::Credentials as SdkCredentials;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::event_stream::Message;
use std::fmt;
use std::time::SystemTime;

/// Signs the messages of one input stream, in order.
pub struct EventSigner {
    identity: Identity,
    region: String,
    name: String,
    previous: String,
}

impl fmt::Debug for EventSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSigner")
            .field("region", &self.region)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Why a message could not be signed.
#[derive(Debug)]
pub struct SigningError(String);

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "signing an event failed: {}", self.0)
    }
}

impl std::error::Error for SigningError {}

impl EventSigner {
    /// A chain starting from `seed`, the hex signature of the HTTP request
    /// that opened the stream, for service `name` in `region`.
    pub fn new(
        credentials: &Credentials,
        region: impl Into<String>,
        name: impl Into<String>,
        seed: impl Into<String>,
    ) -> EventSigner {
        EventSigner {
            identity: SdkCredentials::new(
                credentials.access_key_id.clone(),
                credentials.secret_access_key.clone(),
                credentials.session_token.clone(),
                None,
                "botogen",
            )
            .into(),
            region: region.into(),
            name: name.into(),
            previous: seed.into(),
        }
    }

    /// The last signature of the chain (hex).
    pub fn previous(&self) -> &str {
        &self.previous
    }

    /// Signs `message` at `time` (whole seconds count) and returns the
    /// signed wrapper message to send.
    pub fn sign(&mut self, message: &Message, time: SystemTime) -> Result<Message, SigningError> {
        self.chain(Some(message), time)
    }

    /// The signed empty message that ends the stream.
    pub fn sign_end(&mut self, time: SystemTime) -> Result<Message, SigningError> {
        self.chain(None, time)
    }

    fn chain(
        &mut self,
        message: Option<&Message>,
        time: SystemTime,
    ) -> Result<Message, SigningError> {
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name(&self.name)
            .time(time)
            .settings(())
            .build()
            .map_err(|e| SigningError(e.to_string()))?;
        let signed = match message {
            Some(m) => aws_sigv4::event_stream::sign_message(m, &self.previous, &params),
            None => aws_sigv4::event_stream::sign_empty_message(&self.previous, &params),
        }
        .map_err(|e| SigningError(e.to_string()))?;
        let (wrapper, signature) = signed.into_parts();
        self.previous = signature;
        Ok(wrapper)
    }
}
