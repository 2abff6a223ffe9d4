//! Flexible checksums (the model's `httpChecksum` trait), as botocore
//! 1.44.5's `httpchecksum.py` applies them.
//!
//! Requests: an operation with a `requestAlgorithmMember` (S3's
//! `ChecksumAlgorithm`) sends the algorithm the caller chose, else CRC32
//! when [`ChecksumWhen::WhenSupported`] (the default) or when the model
//! requires a checksum (`requestChecksumRequired`, `httpChecksumRequired`).
//! A checksum header the caller set (`x-amz-checksum-crc32` from S3's
//! `ChecksumCRC32`, ...) is sent as it is. An in-memory body gets the
//! `x-amz-checksum-<algorithm>` header; a file or stream sent to S3 carries
//! it as an `aws-chunked` trailer computed as the bytes go out (see
//! [`super::aws_chunked`]); for other services such a body is read once to
//! compute the header.
//!
//! Responses: an operation with a `requestValidationModeMember` (S3's
//! `ChecksumMode`) asks for checksums (`ENABLED`) when
//! [`ChecksumWhen::WhenSupported`] or when the caller set the member, and
//! the body is checked against the first of the response's checksum headers
//! in botocore's priority order (CRC64NVME, CRC32C, CRC32, SHA1, SHA256,
//! SHA512). A whole body is checked before parsing; a streaming body as it
//! is read, and the stream fails at its end with a [`ChecksumMismatch`].
//! Composite multipart checksums (`...-3`) are not checked, as botocore.
//!
//! CRC32C and CRC64NVME need the runtime's `extra-checksums` cargo feature
//! (the `crc-fast` crate); without it a request asking for them fails with
//! an error naming the feature and responses fall back to another header,
//! as botocore without the CRT does.

use super::aws_chunked::{ChunkedTrailer, TrailerFactory};
use crate::body::{BoxError, SdkBody};
use crate::protocol::HttpRequest;
use crate::schema::{HttpChecksum, Location, Operation};
use crate::value::{Struct, ValueRef};
use base64::Engine as _;
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

/// A checksum algorithm of S3's flexible checksums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    Crc32,
    /// Needs the `extra-checksums` feature.
    Crc32c,
    /// Needs the `extra-checksums` feature.
    Crc64Nvme,
    Sha1,
    Sha256,
    Sha512,
}

/// botocore's `_ALGORITHMS_PRIORITY_LIST` (without the xxhash family, which
/// botocore also only has with the CRT): the order response headers are tried in.
const RESPONSE_PRIORITY: [ChecksumAlgorithm; 6] = [
    ChecksumAlgorithm::Crc64Nvme,
    ChecksumAlgorithm::Crc32c,
    ChecksumAlgorithm::Crc32,
    ChecksumAlgorithm::Sha1,
    ChecksumAlgorithm::Sha256,
    ChecksumAlgorithm::Sha512,
];

impl ChecksumAlgorithm {
    /// The algorithm of a model name (`CRC32`, `crc64nvme`, ...; any case).
    pub fn from_name(name: &str) -> Option<ChecksumAlgorithm> {
        let all = [
            ChecksumAlgorithm::Crc32,
            ChecksumAlgorithm::Crc32c,
            ChecksumAlgorithm::Crc64Nvme,
            ChecksumAlgorithm::Sha1,
            ChecksumAlgorithm::Sha256,
            ChecksumAlgorithm::Sha512,
        ];
        all.into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// The model's name: `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`, `SHA512`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Crc64Nvme => "CRC64NVME",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
            ChecksumAlgorithm::Sha512 => "SHA512",
        }
    }

    /// The header carrying it: `x-amz-checksum-crc32`, ...
    pub fn header_name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
            ChecksumAlgorithm::Sha512 => "x-amz-checksum-sha512",
        }
    }

    /// Whether this build computes it (CRC32C and CRC64NVME need the
    /// `extra-checksums` feature).
    pub fn is_available(self) -> bool {
        !matches!(
            self,
            ChecksumAlgorithm::Crc32c | ChecksumAlgorithm::Crc64Nvme
        ) || cfg!(feature = "extra-checksums")
    }

    /// Digest length in bytes.
    fn digest_len(self) -> usize {
        match self {
            ChecksumAlgorithm::Crc32 | ChecksumAlgorithm::Crc32c => 4,
            ChecksumAlgorithm::Crc64Nvme => 8,
            ChecksumAlgorithm::Sha1 => 20,
            ChecksumAlgorithm::Sha256 => 32,
            ChecksumAlgorithm::Sha512 => 64,
        }
    }

    /// Length of the base64 value sent on the wire.
    fn encoded_len(self) -> usize {
        self.digest_len().div_ceil(3) * 4
    }

    /// A fresh hasher, or why this build has none.
    pub fn hasher(self) -> Result<Checksum, String> {
        let state = match self {
            ChecksumAlgorithm::Crc32 => State::Crc32(crc32fast::Hasher::new()),
            #[cfg(feature = "extra-checksums")]
            ChecksumAlgorithm::Crc32c => {
                State::Crc(crc_fast::Digest::new(crc_fast::CrcAlgorithm::Crc32Iscsi))
            }
            #[cfg(feature = "extra-checksums")]
            ChecksumAlgorithm::Crc64Nvme => {
                State::Crc(crc_fast::Digest::new(crc_fast::CrcAlgorithm::Crc64Nvme))
            }
            #[cfg(not(feature = "extra-checksums"))]
            ChecksumAlgorithm::Crc32c | ChecksumAlgorithm::Crc64Nvme => {
                return Err(format!(
                    "the {} checksum needs botogen-runtime's `extra-checksums` feature",
                    self.as_str()
                ));
            }
            ChecksumAlgorithm::Sha1 => State::Sha1(<sha1::Sha1 as sha1::Digest>::new()),
            ChecksumAlgorithm::Sha256 => State::Sha256(<sha2::Sha256 as sha2::Digest>::new()),
            ChecksumAlgorithm::Sha512 => State::Sha512(<sha2::Sha512 as sha2::Digest>::new()),
        };
        Ok(Checksum {
            algorithm: self,
            state,
        })
    }

    /// The base64 checksum of `data` (what the `x-amz-checksum-*` header holds).
    pub fn checksum_of(self, data: &[u8]) -> Result<String, String> {
        let mut c = self.hasher()?;
        c.update(data);
        Ok(c.finalize_base64())
    }
}

impl fmt::Display for ChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An incremental checksum of one [`ChecksumAlgorithm`].
#[derive(Clone)]
pub struct Checksum {
    algorithm: ChecksumAlgorithm,
    state: State,
}

#[derive(Clone)]
enum State {
    Crc32(crc32fast::Hasher),
    #[cfg(feature = "extra-checksums")]
    Crc(crc_fast::Digest),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checksum")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Checksum {
    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    pub fn update(&mut self, data: &[u8]) {
        match &mut self.state {
            State::Crc32(h) => h.update(data),
            #[cfg(feature = "extra-checksums")]
            State::Crc(d) => d.update(data),
            State::Sha1(h) => sha1::Digest::update(h, data),
            State::Sha256(h) => sha2::Digest::update(h, data),
            State::Sha512(h) => sha2::Digest::update(h, data),
        }
    }

    /// The digest, big-endian for the CRCs (as S3 encodes them).
    pub fn finalize(self) -> Vec<u8> {
        match self.state {
            State::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            #[cfg(feature = "extra-checksums")]
            State::Crc(d) => {
                let width = self.algorithm.digest_len();
                d.finalize().to_be_bytes()[8 - width..].to_vec()
            }
            State::Sha1(h) => sha1::Digest::finalize(h).to_vec(),
            State::Sha256(h) => sha2::Digest::finalize(h).to_vec(),
            State::Sha512(h) => sha2::Digest::finalize(h).to_vec(),
        }
    }

    /// The digest in base64, as the `x-amz-checksum-*` headers carry it.
    pub fn finalize_base64(self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.finalize())
    }
}

/// When checksums are computed or validated: botocore's
/// `request_checksum_calculation` / `response_checksum_validation` values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ChecksumWhen {
    /// Whenever the operation supports it (the default).
    #[default]
    WhenSupported,
    /// Only when the model requires it or the caller asked (set the
    /// algorithm or validation-mode member).
    WhenRequired,
    /// A value from the environment or profile that is neither; calls fail
    /// with [`crate::SdkError::Config`] naming it.
    Unknown(String),
}

impl ChecksumWhen {
    /// Parses `when_supported` / `when_required` (any case); anything else
    /// is kept as [`ChecksumWhen::Unknown`].
    pub fn parse(text: &str) -> ChecksumWhen {
        match text.trim().to_ascii_lowercase().as_str() {
            "when_supported" => ChecksumWhen::WhenSupported,
            "when_required" => ChecksumWhen::WhenRequired,
            _ => ChecksumWhen::Unknown(text.to_owned()),
        }
    }

    /// Whether checksums apply whenever supported; an unknown value is an
    /// error naming the setting.
    pub(crate) fn supported(&self, setting: &str) -> Result<bool, String> {
        match self {
            ChecksumWhen::WhenSupported => Ok(true),
            ChecksumWhen::WhenRequired => Ok(false),
            ChecksumWhen::Unknown(v) => Err(format!(
                "{setting} must be when_supported or when_required, not {v:?}"
            )),
        }
    }
}

/// A response body did not match the checksum the service sent. Reported
/// as [`crate::SdkError::Transport`] holding this error for a whole body,
/// and as the error a streaming body's last read returns (inside a
/// [`crate::ByteStreamError`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumMismatch {
    pub algorithm: ChecksumAlgorithm,
    /// The base64 value of the response's header.
    pub expected: String,
    /// The base64 value computed over the body received.
    pub actual: String,
}

impl fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response {} checksum mismatch: the service sent {}, the body received has {}",
            self.algorithm, self.expected, self.actual
        )
    }
}

impl std::error::Error for ChecksumMismatch {}

/// Whether a header is a flexible checksum value (`x-amz-checksum-crc32`,
/// ...), not one of the `-mode`, `-type` or `-algorithm` settings.
fn is_checksum_value_header(name: &str) -> bool {
    name.get(..15)
        .is_some_and(|p| p.eq_ignore_ascii_case("x-amz-checksum-"))
        && !["mode", "type", "algorithm"]
            .iter()
            .any(|s| name[15..].eq_ignore_ascii_case(s))
}

/// The header location name of input member `i`, if it is a header.
fn header_member(op: &Operation, i: usize) -> Option<&'static str> {
    let member = op.input.structure()?.members.get(i)?;
    (member.location == Location::Header).then_some(member.location_name?)
}

/// The string value of input member `i`, if set.
fn member_str(input: &dyn Struct, i: usize) -> Option<&str> {
    match input.member(i)?.get() {
        ValueRef::Str(s) => Some(s),
        _ => None,
    }
}

/// Whether input member `i` is set at all.
fn member_set(input: &dyn Struct, i: usize) -> bool {
    input
        .member(i)
        .is_some_and(|v| !matches!(v.get(), ValueRef::Null))
}

/// The request checksum this call sends, if any (botocore's
/// `resolve_request_checksum_algorithm`); adds the algorithm member's
/// header when the default is chosen (`by_default`: the setting is
/// `when_supported`).
pub(crate) fn request_algorithm(
    op: &Operation,
    input: &dyn Struct,
    request: &mut HttpRequest,
    by_default: bool,
) -> Result<Option<ChecksumAlgorithm>, String> {
    if request
        .headers
        .iter()
        .any(|(k, _)| is_checksum_value_header(k))
    {
        return Ok(None);
    }
    let spec = op.http_checksum;
    let member = spec.and_then(|c| c.request_algorithm_member);
    let required =
        op.checksum_required || spec.is_some_and(|c: &HttpChecksum| c.request_checksum_required);
    if let Some(i) = member
        && let Some(name) = member_str(input, i)
    {
        let algorithm = ChecksumAlgorithm::from_name(name)
            .ok_or_else(|| format!("unsupported checksum algorithm: {name}"))?;
        if !algorithm.is_available() {
            return Err(format!(
                "the {algorithm} checksum needs botogen-runtime's `extra-checksums` feature"
            ));
        }
        return Ok(Some(algorithm));
    }
    let by_default = member.is_some() && by_default;
    if !(required || by_default) {
        return Ok(None);
    }
    if let Some(header) = member.and_then(|i| header_member(op, i)) {
        request
            .headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case(header));
        request.headers.push((
            header.to_owned(),
            ChecksumAlgorithm::Crc32.as_str().to_owned(),
        ));
    }
    Ok(Some(ChecksumAlgorithm::Crc32))
}

/// Puts `algorithm`'s checksum of the request body in its header, reading
/// a file body once (a one-shot stream is held in memory for it). For a
/// body `trailer_ok` lets the transport send as `aws-chunked`, returns the
/// trailer instead.
pub(crate) async fn apply_request(
    algorithm: ChecksumAlgorithm,
    request: &mut HttpRequest,
    trailer_ok: bool,
) -> Result<Option<TrailerFactory>, BoxError> {
    let header = |request: &mut HttpRequest, value: String| {
        request
            .headers
            .push((algorithm.header_name().to_owned(), value));
    };
    if let Some(bytes) = request.body_bytes() {
        let value = algorithm.checksum_of(bytes)?;
        header(request, value);
        return Ok(None);
    }
    if trailer_ok {
        // Probe once so a missing feature fails before anything is sent.
        algorithm.hasher()?;
        return Ok(Some(trailer_factory(algorithm)));
    }
    let Some(stream) = request.stream.take() else {
        return Ok(None);
    };
    use http_body_util::BodyExt as _;
    let mut hasher = algorithm.hasher()?;
    match stream.try_clone() {
        Some(mut copy) => {
            while let Some(frame) = copy.frame().await {
                if let Ok(data) = frame?.into_data() {
                    hasher.update(&data);
                }
            }
            request.stream = Some(stream);
        }
        None => {
            let bytes = stream.collect().await?.to_bytes();
            hasher.update(&bytes);
            request.stream = Some(SdkBody::from(bytes));
        }
    }
    header(request, hasher.finalize_base64());
    Ok(None)
}

/// A trailer factory computing `algorithm` over an `aws-chunked` body.
pub fn trailer_factory(algorithm: ChecksumAlgorithm) -> TrailerFactory {
    Arc::new(move || {
        Box::new(ChecksumTrailer {
            algorithm,
            hasher: algorithm.hasher().ok(),
        })
    })
}

/// The `x-amz-checksum-*` trailer of an `aws-chunked` upload.
struct ChecksumTrailer {
    algorithm: ChecksumAlgorithm,
    /// `None` only for an algorithm this build lacks, which
    /// [`apply_request`] rejects before a trailer is made.
    hasher: Option<Checksum>,
}

impl ChunkedTrailer for ChecksumTrailer {
    fn update(&mut self, data: &[u8]) {
        if let Some(h) = &mut self.hasher {
            h.update(data);
        }
    }

    fn names(&self) -> Vec<String> {
        vec![self.algorithm.header_name().to_owned()]
    }

    fn encoded_len(&self) -> u64 {
        // `name:value\r\n`
        (self.algorithm.header_name().len() + 1 + self.algorithm.encoded_len() + 2) as u64
    }

    fn finish(&mut self) -> Vec<(String, String)> {
        let value = self
            .hasher
            .take()
            .map(Checksum::finalize_base64)
            .unwrap_or_default();
        vec![(self.algorithm.header_name().to_owned(), value)]
    }
}

/// Decides whether this call validates the response (botocore's
/// `_handle_request_validation_mode_member` and
/// `resolve_response_checksum_algorithms`): with
/// [`ChecksumWhen::WhenSupported`] an unset validation-mode member is sent
/// as `ENABLED` (its header is added to `request`). Returns the usable
/// algorithms in priority order (empty: no validation).
pub(crate) fn response_algorithms(
    op: &Operation,
    input: &dyn Struct,
    request: &mut HttpRequest,
    by_default: bool,
) -> Vec<ChecksumAlgorithm> {
    let Some(spec) = op.http_checksum else {
        return Vec::new();
    };
    let Some(i) = spec.request_validation_mode_member else {
        return Vec::new();
    };
    let enabled = if member_set(input, i) {
        true
    } else if !by_default {
        false
    } else {
        // The member is a header in every model that has one; another
        // location cannot be added after serialization, so such a model
        // validates only when the caller sets it.
        match header_member(op, i) {
            Some(header) => {
                request.headers.push((header.to_owned(), "ENABLED".into()));
                true
            }
            None => false,
        }
    };
    if !enabled {
        return Vec::new();
    }
    RESPONSE_PRIORITY
        .into_iter()
        .filter(|a| a.is_available())
        .filter(|a| {
            spec.response_algorithms
                .iter()
                .any(|r| r.eq_ignore_ascii_case(a.as_str()))
        })
        .collect()
}

/// Checks a successful response against the first checksum header of
/// `algorithms` it carries: a whole body now, a streaming body as it is read.
pub(crate) fn validate_response(
    algorithms: &[ChecksumAlgorithm],
    response: &crate::protocol::HttpResponse,
    stream: Option<crate::ByteStream>,
) -> Result<Option<crate::ByteStream>, ChecksumMismatch> {
    let Some((algorithm, expected)) = expected_checksum(algorithms, &response.headers) else {
        return Ok(stream);
    };
    match stream {
        Some(stream) => Ok(Some(crate::ByteStream::from_body(SdkBody::from_body(
            ValidatingBody::new(stream.into_body(), algorithm, expected),
        )))),
        None => validate_bytes(algorithm, &expected, &response.body).map(|()| None),
    }
}

/// The first of `algorithms` whose header the response carries with a
/// whole-object value (a `-N` suffix marks a composite multipart checksum).
pub(crate) fn expected_checksum(
    algorithms: &[ChecksumAlgorithm],
    headers: &[(String, String)],
) -> Option<(ChecksumAlgorithm, String)> {
    algorithms.iter().find_map(|&a| {
        let value = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(a.header_name()))
            .map(|(_, v)| v.trim())?;
        (!value.contains('-')).then(|| (a, value.to_owned()))
    })
}

/// Checks a whole body against the expected value.
pub(crate) fn validate_bytes(
    algorithm: ChecksumAlgorithm,
    expected: &str,
    body: &[u8],
) -> Result<(), ChecksumMismatch> {
    let mut hasher = match algorithm.hasher() {
        Ok(h) => h,
        // `response_algorithms` offers only algorithms this build has.
        Err(_) => return Ok(()),
    };
    hasher.update(body);
    check(algorithm, expected, hasher)
}

fn check(
    algorithm: ChecksumAlgorithm,
    expected: &str,
    hasher: Checksum,
) -> Result<(), ChecksumMismatch> {
    let actual = hasher.finalize();
    let matches = base64::engine::general_purpose::STANDARD
        .decode(expected)
        .is_ok_and(|e| e == actual);
    if matches {
        Ok(())
    } else {
        Err(ChecksumMismatch {
            algorithm,
            expected: expected.to_owned(),
            actual: base64::engine::general_purpose::STANDARD.encode(actual),
        })
    }
}

/// A response body checked as it is read: after the last byte, a mismatch
/// becomes the body's error (botocore's `StreamingChecksumBody`).
pub(crate) struct ValidatingBody {
    inner: SdkBody,
    hasher: Option<Checksum>,
    algorithm: ChecksumAlgorithm,
    expected: String,
}

impl ValidatingBody {
    pub(crate) fn new(inner: SdkBody, algorithm: ChecksumAlgorithm, expected: String) -> Self {
        ValidatingBody {
            inner,
            hasher: algorithm.hasher().ok(),
            algorithm,
            expected,
        }
    }
}

impl Body for ValidatingBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
            Some(Ok(frame)) => {
                if let (Some(data), Some(h)) = (frame.data_ref(), this.hasher.as_mut()) {
                    h.update(data);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Some(Err(e)) => {
                this.hasher = None;
                Poll::Ready(Some(Err(e)))
            }
            None => match this.hasher.take() {
                Some(h) => match check(this.algorithm, &this.expected, h) {
                    Ok(()) => Poll::Ready(None),
                    Err(e) => Poll::Ready(Some(Err(Box::new(e)))),
                },
                None => Poll::Ready(None),
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        // The end is where the check happens: only after it is done.
        self.hasher.is_none() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known-answer values. CRC32/CRC32C/CRC64NVME of "123456789" are the
    /// CRC catalogue's check values; "Hello world" and the empty string
    /// and the empty string also appear in aws-sdk-rust's
    /// `aws-smithy-checksums` tests (all checked here against an
    /// independent bitwise CRC); SHA of "abc" are FIPS 180's examples.
    fn vectors() -> Vec<(ChecksumAlgorithm, &'static [u8], &'static str)> {
        vec![
            (ChecksumAlgorithm::Crc32, b"123456789", "y/Q5Jg=="),
            (ChecksumAlgorithm::Crc32, b"Hello world", "i9aeUg=="),
            (ChecksumAlgorithm::Crc32, b"", "AAAAAA=="),
            (ChecksumAlgorithm::Crc32c, b"123456789", "4waSgw=="),
            (ChecksumAlgorithm::Crc32c, b"Hello world", "crUfeA=="),
            (ChecksumAlgorithm::Crc64Nvme, b"123456789", "rosUhgp5mIg="),
            (ChecksumAlgorithm::Crc64Nvme, b"Hello world", "OOJZ0D8xKts="),
            (
                ChecksumAlgorithm::Sha1,
                b"abc",
                "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=",
            ),
            (
                ChecksumAlgorithm::Sha256,
                b"abc",
                "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
            ),
            (
                ChecksumAlgorithm::Sha512,
                b"abc",
                "3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==",
            ),
        ]
    }

    #[test]
    fn published_checksum_values() {
        let mut passed = 0;
        let mut skipped = 0;
        for (algorithm, data, expected) in vectors() {
            let shown = String::from_utf8_lossy(data);
            if !algorithm.is_available() {
                println!("skip {algorithm} {shown:?}: needs the extra-checksums feature");
                skipped += 1;
                continue;
            }
            // Byte by byte, so the incremental state is exercised too.
            let mut h = algorithm.hasher().unwrap();
            for b in data {
                h.update(std::slice::from_ref(b));
            }
            assert_eq!(h.finalize_base64(), expected, "{algorithm} of {shown:?}");
            assert_eq!(algorithm.checksum_of(data).unwrap(), expected);
            assert_eq!(algorithm.encoded_len(), expected.len());
            println!("ok {algorithm} {shown:?} = {expected}");
            passed += 1;
        }
        println!("{passed} passed, 0 failed, {skipped} skipped");
        if cfg!(feature = "extra-checksums") {
            assert_eq!(skipped, 0);
        }
    }

    #[test]
    fn names_and_headers() {
        assert_eq!(
            ChecksumAlgorithm::from_name("crc64nvme"),
            Some(ChecksumAlgorithm::Crc64Nvme)
        );
        assert_eq!(ChecksumAlgorithm::from_name("MD5"), None);
        assert_eq!(
            ChecksumAlgorithm::Sha256.header_name(),
            "x-amz-checksum-sha256"
        );
        assert!(is_checksum_value_header("X-Amz-Checksum-CRC32"));
        assert!(!is_checksum_value_header("x-amz-checksum-mode"));
        assert!(!is_checksum_value_header("x-amz-checksum-type"));
        assert!(!is_checksum_value_header("content-md5"));
        assert_eq!(
            ChecksumWhen::parse("WHEN_REQUIRED"),
            ChecksumWhen::WhenRequired
        );
        assert_eq!(
            ChecksumWhen::parse("sometimes"),
            ChecksumWhen::Unknown("sometimes".into())
        );
        assert!(
            ChecksumWhen::parse("sometimes")
                .supported("request_checksum_calculation")
                .unwrap_err()
                .contains("\"sometimes\"")
        );
    }

    #[test]
    #[cfg(not(feature = "extra-checksums"))]
    fn crc32c_without_the_feature_names_it() {
        let e = ChecksumAlgorithm::Crc32c.hasher().unwrap_err();
        assert!(e.contains("extra-checksums"), "{e}");
    }

    #[test]
    fn composite_checksums_are_not_checked() {
        let headers = vec![
            ("x-amz-checksum-crc32".to_owned(), "i9aeUg==-3".to_owned()),
            ("x-amz-checksum-sha256".to_owned(), "abc=".to_owned()),
        ];
        let algorithms = [ChecksumAlgorithm::Crc32, ChecksumAlgorithm::Sha256];
        assert_eq!(
            expected_checksum(&algorithms, &headers),
            Some((ChecksumAlgorithm::Sha256, "abc=".to_owned()))
        );
        assert_eq!(expected_checksum(&algorithms[..1], &headers), None);
    }

    #[test]
    fn whole_bodies_are_checked() {
        assert_eq!(
            validate_bytes(ChecksumAlgorithm::Crc32, "i9aeUg==", b"Hello world"),
            Ok(())
        );
        let e = validate_bytes(ChecksumAlgorithm::Crc32, "i9aeUg==", b"Hello World").unwrap_err();
        assert_eq!(e.expected, "i9aeUg==");
        assert_ne!(e.actual, e.expected);
        assert!(e.to_string().contains("CRC32 checksum mismatch"), "{e}");
    }

    fn collect(body: ValidatingBody) -> Result<Vec<u8>, BoxError> {
        use http_body_util::BodyExt as _;
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async { Ok(body.collect().await?.to_bytes().to_vec()) })
    }

    #[test]
    fn streaming_bodies_fail_at_the_end_on_a_mismatch() {
        let ok = ValidatingBody::new(
            SdkBody::from("Hello world"),
            ChecksumAlgorithm::Crc32,
            "i9aeUg==".into(),
        );
        assert_eq!(collect(ok).unwrap(), b"Hello world");
        let bad = ValidatingBody::new(
            SdkBody::from("Hello World"),
            ChecksumAlgorithm::Crc32,
            "i9aeUg==".into(),
        );
        let e = collect(bad).unwrap_err();
        let mismatch = e
            .downcast_ref::<ChecksumMismatch>()
            .expect("a ChecksumMismatch");
        assert_eq!(mismatch.algorithm, ChecksumAlgorithm::Crc32);
    }

    #[test]
    fn trailer_states_its_length() {
        for algorithm in [
            ChecksumAlgorithm::Crc32,
            ChecksumAlgorithm::Sha1,
            ChecksumAlgorithm::Sha256,
        ] {
            let mut t = trailer_factory(algorithm)();
            t.update(b"Hello ");
            t.update(b"world");
            let len = t.encoded_len();
            let lines = t.finish();
            let (name, value) = &lines[0];
            assert_eq!((name.len() + 1 + value.len() + 2) as u64, len);
            assert_eq!(value, &algorithm.checksum_of(b"Hello world").unwrap());
        }
    }
}
