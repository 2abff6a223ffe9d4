//! `application/vnd.amazon.eventstream` framing: bytes in, whole messages out.
//!
//! The codec is `aws-smithy-eventstream` (AWS's own: header types, the
//! message CRC). On top of it this reader checks each prelude as soon as its
//! 12 bytes arrive — length bounds and the prelude CRC — so a corrupt length
//! is reported at once instead of waiting for gigabytes that never come, and
//! it says how many bytes a truncated stream was missing.

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use aws_smithy_types::event_stream::Message;
use bytes::{Buf, Bytes, BytesMut};
use std::fmt;

/// Prelude: total length, headers length, prelude CRC (4 bytes each).
const PRELUDE_LEN: usize = 12;
/// Prelude plus the trailing message CRC: the smallest possible frame.
const MIN_FRAME_LEN: usize = PRELUDE_LEN + 4;
/// The largest frame accepted (AWS's limit is 16 MiB of payload plus
/// 128 KiB of headers).
pub const MAX_FRAME_LEN: usize = 16 * 1024 * 1024 + 128 * 1024 + MIN_FRAME_LEN;

/// Why the bytes of an event stream are not a sequence of valid frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// The body ended inside a frame.
    Truncated {
        /// Bytes of the unfinished frame received.
        have: usize,
        /// Bytes that frame needs (`None` when the prelude itself was cut).
        need: Option<usize>,
    },
    /// The prelude's CRC does not match its first 8 bytes.
    PreludeChecksum { expected: u32, computed: u32 },
    /// The prelude names an impossible length.
    InvalidLength { total: usize, headers: usize },
    /// The rest of the frame is invalid (message CRC, header encoding, ...).
    Invalid(String),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Truncated {
                have,
                need: Some(need),
            } => write!(
                f,
                "event stream truncated: the last frame has {have} of its {need} bytes"
            ),
            FrameError::Truncated { have, need: None } => write!(
                f,
                "event stream truncated: {have} bytes of a frame's 12-byte prelude"
            ),
            FrameError::PreludeChecksum { expected, computed } => write!(
                f,
                "corrupt event stream frame: prelude CRC32 {computed:#010x} does not match {expected:#010x}"
            ),
            FrameError::InvalidLength { total, headers } => write!(
                f,
                "corrupt event stream frame: total length {total} with {headers} bytes of headers"
            ),
            FrameError::Invalid(why) => write!(f, "corrupt event stream frame: {why}"),
        }
    }
}

impl std::error::Error for FrameError {}

/// Splits bytes, pushed as they arrive, into messages.
#[derive(Debug, Default)]
pub struct FrameReader {
    buf: BytesMut,
    /// The checked total length of the frame at the front of `buf`.
    next_len: Option<usize>,
}

impl FrameReader {
    pub fn new() -> FrameReader {
        FrameReader::default()
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole message, `Ok(None)` when more bytes are needed.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        let total = match self.next_len {
            Some(n) => n,
            None => {
                if self.buf.len() < PRELUDE_LEN {
                    return Ok(None);
                }
                let n = check_prelude(&self.buf[..PRELUDE_LEN])?;
                self.next_len = Some(n);
                n
            }
        };
        if self.buf.len() < total {
            return Ok(None);
        }
        self.next_len = None;
        let mut frame: Bytes = self.buf.split_to(total).freeze();
        let message =
            read_message_from(&mut frame).map_err(|e| FrameError::Invalid(e.to_string()))?;
        if frame.has_remaining() {
            return Err(FrameError::Invalid(
                "frame longer than its headers and payload".into(),
            ));
        }
        Ok(Some(message))
    }

    /// Called at the end of the body: an unfinished frame is an error.
    pub fn finish(&self) -> Result<(), FrameError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        Err(FrameError::Truncated {
            have: self.buf.len(),
            need: self.next_len,
        })
    }
}

/// Checks a prelude and returns the frame's total length.
fn check_prelude(prelude: &[u8]) -> Result<usize, FrameError> {
    let word =
        |i: usize| u32::from_be_bytes([prelude[i], prelude[i + 1], prelude[i + 2], prelude[i + 3]]);
    let expected = word(8);
    let computed = crc32fast::hash(&prelude[..8]);
    if expected != computed {
        return Err(FrameError::PreludeChecksum { expected, computed });
    }
    let total = word(0) as usize;
    let headers = word(4) as usize;
    if !(MIN_FRAME_LEN..=MAX_FRAME_LEN).contains(&total) || headers > total - MIN_FRAME_LEN {
        return Err(FrameError::InvalidLength { total, headers });
    }
    Ok(total)
}

/// Encodes a message as one frame (both CRCs computed by the codec).
pub fn encode(message: &Message) -> Result<Vec<u8>, FrameError> {
    let mut out = Vec::new();
    write_message_to(message, &mut out).map_err(|e| FrameError::Invalid(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::event_stream::{Header, HeaderValue};

    fn sample() -> Message {
        Message::new(&b"{\"hello\":1}"[..])
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String("event".into()),
            ))
            .add_header(Header::new(
                ":event-type",
                HeaderValue::String("chunk".into()),
            ))
            .add_header(Header::new("n", HeaderValue::Int64(-7)))
    }

    #[test]
    fn messages_come_out_whatever_the_chunking() {
        let mut bytes = encode(&sample()).unwrap();
        bytes.extend(encode(&sample()).unwrap());
        for step in [1, 3, 12, 50, bytes.len()] {
            let mut reader = FrameReader::new();
            let mut got = Vec::new();
            for chunk in bytes.chunks(step) {
                reader.push(chunk);
                while let Some(m) = reader.next_message().unwrap() {
                    got.push(m);
                }
            }
            reader.finish().unwrap();
            assert_eq!(got, vec![sample(), sample()], "chunks of {step}");
        }
    }

    #[test]
    fn a_flipped_bit_anywhere_is_an_error() {
        let bytes = encode(&sample()).unwrap();
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x10;
            let mut reader = FrameReader::new();
            reader.push(&bad);
            let result = reader.next_message();
            // A length that grew waits for more bytes; the end then reports truncation.
            match result {
                Err(_) => {}
                Ok(None) => assert!(reader.finish().is_err(), "byte {i}"),
                Ok(Some(m)) => panic!("byte {i} flipped still decoded {m:?}"),
            }
        }
    }

    #[test]
    fn truncation_says_how_much_is_missing() {
        let bytes = encode(&sample()).unwrap();
        let mut reader = FrameReader::new();
        reader.push(&bytes[..bytes.len() - 3]);
        assert_eq!(reader.next_message(), Ok(None));
        assert_eq!(
            reader.finish(),
            Err(FrameError::Truncated {
                have: bytes.len() - 3,
                need: Some(bytes.len())
            })
        );
        let mut reader = FrameReader::new();
        reader.push(&bytes[..5]);
        assert_eq!(reader.next_message(), Ok(None));
        assert!(matches!(
            reader.finish(),
            Err(FrameError::Truncated {
                have: 5,
                need: None
            })
        ));
    }

    #[test]
    fn an_absurd_length_fails_at_the_prelude() {
        let mut prelude = Vec::new();
        prelude.extend(u32::MAX.to_be_bytes());
        prelude.extend(0u32.to_be_bytes());
        prelude.extend(crc32fast::hash(&prelude).to_be_bytes());
        let mut reader = FrameReader::new();
        reader.push(&prelude);
        assert!(matches!(
            reader.next_message(),
            Err(FrameError::InvalidLength { .. })
        ));
    }
}
