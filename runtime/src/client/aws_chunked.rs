//! The `aws-chunked` content encoding S3 accepts for uploads whose payload
//! hash is not known before sending: the body goes out in fixed-size chunks,
//! each either signed (SigV4 streaming, `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`,
//! every chunk's signature chained to the previous one, starting from the
//! request's "seed" signature) or unsigned, then a zero-length final chunk
//! and optional trailing headers.
//!
//! Trailers are a hook: a [`ChunkedTrailer`] sees every byte of the decoded
//! body and produces headers after the last chunk (a trailing checksum such
//! as `x-amz-checksum-crc32`). Because `Content-Length` must be sent first,
//! a trailer states its encoded length up front.

use crate::body::{BoxError, SdkBody};
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::SystemTime;

/// Decoded bytes per chunk (S3 requires at least 8 KiB for all but the last).
pub const CHUNK_SIZE: usize = 64 * 1024;

/// Length of `;chunk-signature=` plus a hex SHA-256 signature.
const SIGNATURE_EXT: u64 = 17 + 64;
/// Length of `x-amz-trailer-signature:` plus a signature and CRLF.
const TRAILER_SIGNATURE_LINE: u64 = 24 + 64 + 2;

/// Headers sent after the last chunk of an `aws-chunked` body (e.g. a
/// trailing checksum). One trailer serves one attempt; see [`TrailerFactory`].
pub trait ChunkedTrailer: Send + 'static {
    /// Sees the decoded body, in order, piece by piece.
    fn update(&mut self, data: &[u8]);
    /// The trailer names, for the request's `x-amz-trailer` header.
    fn names(&self) -> Vec<String>;
    /// The exact length of the lines [`ChunkedTrailer::finish`] will
    /// produce, each `name:value\r\n`; known before any byte is sent.
    fn encoded_len(&self) -> u64;
    /// The trailing headers, after the last byte went through `update`.
    fn finish(&mut self) -> Vec<(String, String)>;
}

/// Makes a fresh [`ChunkedTrailer`] for each attempt.
pub type TrailerFactory = Arc<dyn Fn() -> Box<dyn ChunkedTrailer> + Send + Sync>;

/// What signs the chunks of a signed `aws-chunked` body: the request's
/// credentials, scope and time, and its seed signature.
#[derive(Clone)]
pub struct ChunkSigner {
    pub(crate) identity: Identity,
    pub(crate) region: String,
    pub(crate) name: String,
    pub(crate) time: SystemTime,
    pub(crate) previous: String,
}

impl ChunkSigner {
    fn params(&self) -> Result<aws_sigv4::sign::v4::SigningParams<'_, ()>, BoxError> {
        Ok(aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name(&self.name)
            .time(self.time)
            .settings(())
            .build()?)
    }

    /// Signs `chunk` (empty for the final chunk) and chains the signature.
    fn sign_chunk(&mut self, chunk: &Bytes) -> Result<String, BoxError> {
        let params = self.params()?;
        let (_, signature) =
            aws_sigv4::sign::v4::sign_chunk(chunk, &self.previous, &params)?.into_parts();
        self.previous.clone_from(&signature);
        Ok(signature)
    }

    fn sign_trailer(&mut self, trailers: &[(String, String)]) -> Result<String, BoxError> {
        let mut headers = aws_smithy_runtime_api::http::Headers::new();
        for (k, v) in trailers {
            headers.append(k.clone(), v.clone());
        }
        let params = self.params()?;
        let (_, signature) =
            aws_sigv4::sign::v4::sign_trailer(&headers, &self.previous, &params)?.into_parts();
        self.previous.clone_from(&signature);
        Ok(signature)
    }
}

/// The encoded length of a body of `decoded` bytes: what `Content-Length`
/// says, while `x-amz-decoded-content-length` says `decoded`.
pub fn encoded_length(decoded: u64, signed: bool, trailer_len: Option<u64>) -> u64 {
    let ext = if signed { SIGNATURE_EXT } else { 0 };
    let chunk = |size: u64| format!("{size:x}").len() as u64 + ext + 2 + size + 2;
    let full = decoded / CHUNK_SIZE as u64;
    let rest = decoded % CHUNK_SIZE as u64;
    let mut total = full * chunk(CHUNK_SIZE as u64);
    if rest > 0 {
        total += chunk(rest);
    }
    // The final chunk, `0[;chunk-signature=...]\r\n`, then trailers and a CRLF.
    total += 1 + ext + 2;
    if let Some(len) = trailer_len {
        total += len;
        if signed {
            total += TRAILER_SIGNATURE_LINE;
        }
    }
    total + 2
}

/// An `aws-chunked` encoder over a request body.
pub struct AwsChunkedBody {
    inner: SdkBody,
    signer: Option<ChunkSigner>,
    trailer: Option<Box<dyn ChunkedTrailer>>,
    buf: BytesMut,
    remaining_len: u64,
    state: State,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Reading,
    Done,
}

impl AwsChunkedBody {
    /// Encodes `inner` (whose length must be known); signs chunks with
    /// `signer` when given, appends `trailer`'s headers when given.
    pub fn new(
        inner: SdkBody,
        signer: Option<ChunkSigner>,
        trailer: Option<Box<dyn ChunkedTrailer>>,
    ) -> Result<AwsChunkedBody, BoxError> {
        let decoded = inner
            .content_length()
            .ok_or("aws-chunked needs a body of known length")?;
        let trailer_len = trailer.as_ref().map(|t| t.encoded_len());
        Ok(AwsChunkedBody {
            remaining_len: encoded_length(decoded, signer.is_some(), trailer_len),
            inner,
            signer,
            trailer,
            buf: BytesMut::new(),
            state: State::Reading,
        })
    }

    fn encode_chunk(&mut self, data: Bytes) -> Result<Bytes, BoxError> {
        if let Some(t) = &mut self.trailer {
            t.update(&data);
        }
        let mut out = BytesMut::with_capacity(data.len() + 100);
        out.extend_from_slice(format!("{:x}", data.len()).as_bytes());
        if let Some(signer) = &mut self.signer {
            let sig = signer.sign_chunk(&data)?;
            out.extend_from_slice(b";chunk-signature=");
            out.extend_from_slice(sig.as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\r\n");
        Ok(out.freeze())
    }

    fn encode_final(&mut self) -> Result<Bytes, BoxError> {
        let mut out = BytesMut::new();
        out.extend_from_slice(b"0");
        if let Some(signer) = &mut self.signer {
            let sig = signer.sign_chunk(&Bytes::new())?;
            out.extend_from_slice(b";chunk-signature=");
            out.extend_from_slice(sig.as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        if let Some(t) = &mut self.trailer {
            let expected = t.encoded_len();
            let trailers = t.finish();
            let start = out.len();
            for (k, v) in &trailers {
                out.extend_from_slice(k.as_bytes());
                out.extend_from_slice(b":");
                out.extend_from_slice(v.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            if (out.len() - start) as u64 != expected {
                return Err(format!(
                    "the trailer's lines take {} bytes, not the {expected} it announced",
                    out.len() - start
                )
                .into());
            }
            if let Some(signer) = &mut self.signer {
                let sig = signer.sign_trailer(&trailers)?;
                out.extend_from_slice(b"x-amz-trailer-signature:");
                out.extend_from_slice(sig.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
        }
        out.extend_from_slice(b"\r\n");
        Ok(out.freeze())
    }

    fn emit(
        &mut self,
        bytes: Result<Bytes, BoxError>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match bytes {
            Ok(b) => {
                self.remaining_len = self.remaining_len.saturating_sub(b.len() as u64);
                Poll::Ready(Some(Ok(Frame::data(b))))
            }
            Err(e) => {
                self.state = State::Done;
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

impl Body for AwsChunkedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.state == State::Done {
            return Poll::Ready(None);
        }
        loop {
            if this.buf.len() >= CHUNK_SIZE {
                let chunk = this.buf.split_to(CHUNK_SIZE).freeze();
                let encoded = this.encode_chunk(chunk);
                return this.emit(encoded);
            }
            match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        this.buf.extend_from_slice(&data);
                    }
                }
                Some(Err(e)) => {
                    this.state = State::Done;
                    return Poll::Ready(Some(Err(e)));
                }
                None => {
                    if !this.buf.is_empty() {
                        let chunk = this.buf.split().freeze();
                        let encoded = this.encode_chunk(chunk);
                        return this.emit(encoded);
                    }
                    let last = this.encode_final();
                    let polled = this.emit(last);
                    this.state = State::Done;
                    return polled;
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.state == State::Done
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt as _;

    fn collect(body: AwsChunkedBody) -> Vec<u8> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(body.collect())
            .unwrap()
            .to_bytes()
            .to_vec()
    }

    /// AWS's published example of a chunked upload signature
    /// ("Signature Calculations for the Authorization Header: Transferring
    /// Payload in Multiple Chunks", S3 API reference): 66,560 bytes of `a`
    /// in 64 KiB chunks, seed signature from the request headers.
    #[test]
    fn signed_chunks_match_aws_example() {
        let creds = aws_credential_types::Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        );
        // 2013-05-24T00:00:00Z
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_369_353_600);
        let signer = ChunkSigner {
            identity: creds.into(),
            region: "us-east-1".into(),
            name: "s3".into(),
            time,
            previous: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9".into(),
        };
        let body =
            AwsChunkedBody::new(SdkBody::from(vec![b'a'; 66_560]), Some(signer), None).unwrap();
        assert_eq!(
            body.size_hint().exact(),
            Some(66_824),
            "the example's Content-Length"
        );
        let out = collect(body);
        assert_eq!(out.len(), 66_824);
        let text = String::from_utf8_lossy(&out);
        let heads: Vec<&str> = text
            .split("\r\n")
            .filter(|l| l.contains(";chunk-signature="))
            .collect();
        assert_eq!(
            heads,
            [
                "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
                "400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
                "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
            ]
        );
        assert!(out.ends_with(b"\r\n\r\n"));
    }

    /// Counts bytes and sends the count as a trailer; its line has a fixed
    /// width so the length is known up front.
    struct CountTrailer(u64);

    impl ChunkedTrailer for CountTrailer {
        fn update(&mut self, data: &[u8]) {
            self.0 += data.len() as u64;
        }
        fn names(&self) -> Vec<String> {
            vec!["x-count".into()]
        }
        fn encoded_len(&self) -> u64 {
            "x-count:".len() as u64 + 12 + 2
        }
        fn finish(&mut self) -> Vec<(String, String)> {
            vec![("x-count".into(), format!("{:012}", self.0))]
        }
    }

    /// Decodes an unsigned aws-chunked body: (data, trailer lines).
    fn decode(mut b: &[u8]) -> (Vec<u8>, Vec<String>) {
        let mut data = Vec::new();
        loop {
            let end = b.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&b[..end]).unwrap(), 16).unwrap();
            b = &b[end + 2..];
            if size == 0 {
                break;
            }
            data.extend_from_slice(&b[..size]);
            assert_eq!(&b[size..size + 2], b"\r\n");
            b = &b[size + 2..];
        }
        let text = std::str::from_utf8(b).unwrap();
        assert!(text.ends_with("\r\n\r\n") || text == "\r\n", "{text:?}");
        let lines = text
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        (data, lines)
    }

    #[test]
    fn unsigned_chunks_carry_trailers_and_match_their_length() {
        for len in [0usize, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE * 3 + 17] {
            let input: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
            let body = AwsChunkedBody::new(
                SdkBody::from(input.clone()),
                None,
                Some(Box::new(CountTrailer(0))),
            )
            .unwrap();
            let announced = body.size_hint().exact().unwrap();
            let out = collect(body);
            assert_eq!(out.len() as u64, announced, "length {len}");
            let (data, trailers) = decode(&out);
            assert_eq!(data, input);
            assert_eq!(trailers, [format!("x-count:{len:012}")]);
        }
        let plain = AwsChunkedBody::new(SdkBody::from(vec![1u8; 70_000]), None, None).unwrap();
        let announced = plain.size_hint().exact().unwrap();
        let out = collect(plain);
        assert_eq!(out.len() as u64, announced);
        assert_eq!(decode(&out), (vec![1u8; 70_000], vec![]));
    }

    #[test]
    fn a_trailer_that_misstates_its_length_fails() {
        struct Liar;
        impl ChunkedTrailer for Liar {
            fn update(&mut self, _: &[u8]) {}
            fn names(&self) -> Vec<String> {
                vec!["x-a".into()]
            }
            fn encoded_len(&self) -> u64 {
                3
            }
            fn finish(&mut self) -> Vec<(String, String)> {
                vec![("x-a".into(), "long value".into())]
            }
        }
        let body = AwsChunkedBody::new(SdkBody::from("abc"), None, Some(Box::new(Liar))).unwrap();
        let e = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(body.collect())
            .unwrap_err();
        assert!(e.to_string().contains("not the 3 it announced"), "{e}");
    }
}
