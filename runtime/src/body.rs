//! Bodies: [`SdkBody`], what an [`HttpClient`](crate::client::HttpClient)
//! sends and receives, and [`ByteStream`], the type of streaming blob
//! members (S3 `GetObject`'s and `PutObject`'s `Body`).
//!
//! Both are streams of byte chunks. A body made from bytes or a file can be
//! sent again (retries, hashing for the signature) without holding it in
//! memory twice; a body made from a reader or a stream is sent once. A
//! response body is read as it arrives: the connection goes back to the pool
//! when it has been read to the end, and is closed when it is dropped
//! before that.

use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};
use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, ReadBuf};

/// A boxed error that can cross threads: the error type of every body.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How much a file or reader body reads at a time.
const READ_CHUNK: usize = 128 * 1024;

type DynBody = Pin<Box<dyn Body<Data = Bytes, Error = BoxError> + Send>>;
type OpenFuture = Pin<Box<dyn Future<Output = io::Result<tokio::fs::File>> + Send>>;

/// An HTTP body: empty, in-memory bytes, a range of a file, or any
/// [`http_body::Body`] (a response arriving from the network, a reader, a
/// stream). Implements [`http_body::Body`] with `Bytes` chunks.
pub struct SdkBody {
    inner: Inner,
}

enum Inner {
    Bytes {
        data: Bytes,
        sent: bool,
    },
    File(FileBody),
    Dyn {
        body: DynBody,
        length: Option<u64>,
    },
    /// A one-shot body that was moved elsewhere (sent by an earlier attempt or call).
    Taken,
}

impl SdkBody {
    /// A body with no bytes.
    pub fn empty() -> SdkBody {
        SdkBody::from(Bytes::new())
    }

    /// Wraps any body; it is sent once (not replayable). Its size hint, if
    /// exact, is its length.
    pub fn from_body<B>(body: B) -> SdkBody
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let hint = body.size_hint();
        let length = hint.exact();
        SdkBody {
            inner: Inner::Dyn {
                body: Box::pin(MapErr { body }),
                length,
            },
        }
    }

    /// Wraps a body that must produce exactly `length` bytes; more or fewer
    /// is an error when the body is read.
    pub fn from_body_with_length<B>(body: B, length: u64) -> SdkBody
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        SdkBody {
            inner: Inner::Dyn {
                body: Box::pin(Exact {
                    body: MapErr { body },
                    expected: length,
                    seen: 0,
                }),
                length: Some(length),
            },
        }
    }

    /// `length` bytes of the file at `path` starting at `offset`, read as the
    /// body is sent; replayable (each copy opens the file again).
    pub fn from_file_range(path: impl Into<PathBuf>, offset: u64, length: u64) -> SdkBody {
        SdkBody {
            inner: Inner::File(FileBody {
                path: Arc::new(path.into()),
                offset,
                length,
                state: FileState::Start,
            }),
        }
    }

    /// A body that fails when read: a one-shot body that was already sent.
    pub(crate) fn taken() -> SdkBody {
        SdkBody {
            inner: Inner::Taken,
        }
    }

    /// The bytes of an in-memory body (`None` for files and streams).
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Bytes { data, .. } => Some(data),
            _ => None,
        }
    }

    pub(crate) fn bytes_shared(&self) -> Option<Bytes> {
        match &self.inner {
            Inner::Bytes { data, .. } => Some(data.clone()),
            _ => None,
        }
    }

    /// The length in bytes, if known before reading.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Bytes { data, .. } => Some(data.len() as u64),
            Inner::File(f) => Some(f.length),
            Inner::Dyn { length, .. } => *length,
            Inner::Taken => None,
        }
    }

    /// Whether [`SdkBody::try_clone`] succeeds: bytes and files can be sent
    /// again, streams cannot.
    pub fn is_replayable(&self) -> bool {
        matches!(self.inner, Inner::Bytes { .. } | Inner::File(_))
    }

    /// A fresh copy that reads from the start, for bytes and files.
    pub fn try_clone(&self) -> Option<SdkBody> {
        let inner = match &self.inner {
            Inner::Bytes { data, .. } => Inner::Bytes {
                data: data.clone(),
                sent: false,
            },
            Inner::File(f) => Inner::File(FileBody {
                path: f.path.clone(),
                offset: f.offset,
                length: f.length,
                state: FileState::Start,
            }),
            Inner::Dyn { .. } | Inner::Taken => return None,
        };
        Some(SdkBody { inner })
    }

    /// Whether this is a one-shot body that was already handed to a request.
    pub(crate) fn is_taken(&self) -> bool {
        matches!(self.inner, Inner::Taken)
    }
}

impl Default for SdkBody {
    fn default() -> SdkBody {
        SdkBody::empty()
    }
}

impl fmt::Debug for SdkBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Bytes { data, .. } => write!(f, "SdkBody({} bytes)", data.len()),
            Inner::File(file) => write!(
                f,
                "SdkBody(file {}, {} bytes at {})",
                file.path.display(),
                file.length,
                file.offset
            ),
            Inner::Dyn {
                length: Some(n), ..
            } => write!(f, "SdkBody(stream of {n} bytes)"),
            Inner::Dyn { length: None, .. } => f.write_str("SdkBody(stream)"),
            Inner::Taken => f.write_str("SdkBody(already sent)"),
        }
    }
}

impl From<Bytes> for SdkBody {
    fn from(data: Bytes) -> SdkBody {
        SdkBody {
            inner: Inner::Bytes { data, sent: false },
        }
    }
}

impl From<Vec<u8>> for SdkBody {
    fn from(v: Vec<u8>) -> SdkBody {
        SdkBody::from(Bytes::from(v))
    }
}

impl From<String> for SdkBody {
    fn from(v: String) -> SdkBody {
        SdkBody::from(Bytes::from(v))
    }
}

impl From<&'static [u8]> for SdkBody {
    fn from(v: &'static [u8]) -> SdkBody {
        SdkBody::from(Bytes::from_static(v))
    }
}

impl From<&'static str> for SdkBody {
    fn from(v: &'static str) -> SdkBody {
        SdkBody::from(Bytes::from_static(v.as_bytes()))
    }
}

impl Body for SdkBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.get_mut().inner {
            Inner::Bytes { data, sent } => {
                if *sent || data.is_empty() {
                    *sent = true;
                    return Poll::Ready(None);
                }
                *sent = true;
                Poll::Ready(Some(Ok(Frame::data(data.clone()))))
            }
            Inner::File(file) => file.poll_chunk(cx).map(|c| c.map(|r| r.map(Frame::data))),
            Inner::Dyn { body, .. } => body.as_mut().poll_frame(cx),
            Inner::Taken => Poll::Ready(Some(Err(
                "the body was a one-shot stream that an earlier request already sent".into(),
            ))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Bytes { data, sent } => *sent || data.is_empty(),
            Inner::File(f) => f.length == 0 || matches!(f.state, FileState::Done),
            Inner::Dyn { body, .. } => body.is_end_stream(),
            Inner::Taken => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Bytes { data, sent } => {
                SizeHint::with_exact(if *sent { 0 } else { data.len() as u64 })
            }
            Inner::File(f) => SizeHint::with_exact(f.length),
            Inner::Dyn { body, .. } => body.size_hint(),
            Inner::Taken => SizeHint::default(),
        }
    }
}

pin_project_lite::pin_project! {
    /// Maps a body's error into [`BoxError`].
    struct MapErr<B> {
        #[pin]
        body: B,
    }
}

impl<B> Body for MapErr<B>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        self.project()
            .body
            .poll_frame(cx)
            .map(|f| f.map(|r| r.map_err(Into::into)))
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

pin_project_lite::pin_project! {
    /// Checks that a body produces exactly its declared length: a short or
    /// long stream would otherwise leave the server waiting or cut the next
    /// request.
    struct Exact<B> {
        #[pin]
        body: MapErr<B>,
        expected: u64,
        seen: u64,
    }
}

impl<B> Body for Exact<B>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.project();
        match ready!(this.body.poll_frame(cx)) {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    *this.seen += data.len() as u64;
                    if *this.seen > *this.expected {
                        return Poll::Ready(Some(Err(format!(
                            "the body produced more than its declared length of {} bytes",
                            this.expected
                        )
                        .into())));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Some(Err(e)) => Poll::Ready(Some(Err(e))),
            None if *this.seen < *this.expected => Poll::Ready(Some(Err(format!(
                "the body ended after {} of its declared {} bytes",
                this.seen, this.expected
            )
            .into()))),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.seen == self.expected && self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.expected - self.seen.min(self.expected))
    }
}

/// A file range read in [`READ_CHUNK`] pieces through tokio's blocking pool.
struct FileBody {
    path: Arc<PathBuf>,
    offset: u64,
    length: u64,
    state: FileState,
}

enum FileState {
    Start,
    Opening(OpenFuture),
    Reading {
        file: tokio::fs::File,
        remaining: u64,
        buf: BytesMut,
    },
    Done,
}

impl FileBody {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, BoxError>>> {
        loop {
            match &mut self.state {
                FileState::Start => {
                    if self.length == 0 {
                        self.state = FileState::Done;
                        continue;
                    }
                    let path = self.path.clone();
                    let offset = self.offset;
                    self.state = FileState::Opening(Box::pin(async move {
                        use tokio::io::AsyncSeekExt as _;
                        let mut file = tokio::fs::File::open(&*path).await?;
                        if offset > 0 {
                            file.seek(io::SeekFrom::Start(offset)).await?;
                        }
                        Ok(file)
                    }));
                }
                FileState::Opening(open) => match ready!(open.as_mut().poll(cx)) {
                    Ok(file) => {
                        self.state = FileState::Reading {
                            file,
                            remaining: self.length,
                            buf: BytesMut::new(),
                        }
                    }
                    Err(e) => {
                        let path = self.path.display().to_string();
                        self.state = FileState::Done;
                        return Poll::Ready(Some(Err(format!("cannot read {path}: {e}").into())));
                    }
                },
                FileState::Reading {
                    file,
                    remaining,
                    buf,
                } => {
                    if *remaining == 0 {
                        self.state = FileState::Done;
                        continue;
                    }
                    let want = (*remaining).min(READ_CHUNK as u64) as usize;
                    if buf.capacity() < want {
                        buf.reserve(want);
                    }
                    let mut limited = Pin::new(&mut *file);
                    let n = {
                        let spare = &mut buf.spare_capacity_mut()[..want];
                        let mut read = ReadBuf::uninit(spare);
                        match ready!(limited.as_mut().poll_read(cx, &mut read)) {
                            Ok(()) => read.filled().len(),
                            Err(e) => {
                                let path = self.path.display().to_string();
                                self.state = FileState::Done;
                                return Poll::Ready(Some(Err(
                                    format!("cannot read {path}: {e}").into()
                                )));
                            }
                        }
                    };
                    if n == 0 {
                        let (path, len) = (self.path.display().to_string(), self.length);
                        self.state = FileState::Done;
                        return Poll::Ready(Some(Err(format!(
                            "{path} ended before the {len} bytes the body was created with"
                        )
                        .into())));
                    }
                    // SAFETY: `poll_read` initialized the first `n` spare bytes.
                    unsafe { buf.set_len(buf.len() + n) };
                    *remaining -= n as u64;
                    return Poll::Ready(Some(Ok(buf.split().freeze())));
                }
                FileState::Done => return Poll::Ready(None),
            }
        }
    }
}

/// Reading a [`ByteStream`] failed: the connection broke, a timeout or the
/// stalled-stream protection fired, a file could not be read, ...
#[derive(Debug)]
pub struct ByteStreamError {
    source: BoxError,
}

impl ByteStreamError {
    pub(crate) fn new(source: BoxError) -> ByteStreamError {
        ByteStreamError { source }
    }

    /// Whether the stalled-stream protection or a read timeout ended the
    /// stream (worth retrying the request).
    pub fn is_timeout(&self) -> bool {
        crate::error::chain(&*self.source).any(|e| {
            e.is::<crate::client::TimeoutError>()
                || e.is::<crate::client::StalledStreamError>()
                || e.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::TimedOut)
        })
    }

    /// The underlying error.
    pub fn into_source(self) -> BoxError {
        self.source
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("reading the body failed: ")?;
        crate::error::write_chain(f, &*self.source)
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

impl From<ByteStreamError> for io::Error {
    fn from(e: ByteStreamError) -> io::Error {
        let kind = if e.is_timeout() {
            io::ErrorKind::TimedOut
        } else {
            io::ErrorKind::Other
        };
        io::Error::new(kind, e)
    }
}

/// The body of a streaming operation (`streaming` blob members): a stream
/// of byte chunks, read as it arrives.
///
/// - Read a response: [`ByteStream::next`] chunk by chunk,
///   [`tokio::io::AsyncRead`] (e.g. `tokio::io::copy(&mut body, &mut file)`),
///   [`futures_core::Stream`], or [`ByteStream::collect`] for small bodies.
///   The connection is released when the stream is read to the end or
///   dropped.
/// - Send a request: [`ByteStream::new`] / `From` for bytes,
///   [`ByteStream::from_path`] for a file (its length is read up front and
///   the file is read again for a retry), [`ByteStream::from_reader`] and
///   [`ByteStream::from_stream`] for anything else of a known length (sent
///   once: such a request is not retried after its body went out).
///
/// Not `Clone`: a stream can be consumed once. [`ByteStream::try_clone`]
/// copies bytes and file bodies.
pub struct ByteStream {
    // A mutex so a request can take the body out of a borrowed input (the
    // client serializes `&input`); `&mut` access never locks.
    body: Mutex<SdkBody>,
    /// What an `AsyncRead` caller's buffer could not hold of the last chunk.
    pending: Bytes,
}

impl ByteStream {
    /// A stream of these bytes (in memory, replayable).
    pub fn new(bytes: impl Into<Bytes>) -> ByteStream {
        ByteStream::from_body(SdkBody::from(bytes.into()))
    }

    /// A stream of a static byte string, without copying it.
    pub fn from_static(bytes: &'static [u8]) -> ByteStream {
        ByteStream::new(Bytes::from_static(bytes))
    }

    /// Wraps an [`SdkBody`].
    pub fn from_body(body: SdkBody) -> ByteStream {
        ByteStream {
            body: Mutex::new(body),
            pending: Bytes::new(),
        }
    }

    /// The whole file at `path`; its length is read now, its bytes as the
    /// request is sent (and again for a retry or to sign it).
    pub fn from_path(path: impl AsRef<Path>) -> io::Result<ByteStream> {
        let path = path.as_ref();
        let length = std::fs::metadata(path)?.len();
        Ok(ByteStream::from_body(SdkBody::from_file_range(
            path, 0, length,
        )))
    }

    /// `length` bytes of the file at `path` starting at `offset` (a part of
    /// a multipart upload, say). Fails if the file is shorter than that.
    pub fn from_path_range(
        path: impl AsRef<Path>,
        offset: u64,
        length: u64,
    ) -> io::Result<ByteStream> {
        let path = path.as_ref();
        let size = std::fs::metadata(path)?.len();
        if offset.checked_add(length).is_none_or(|end| end > size) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} has {size} bytes, fewer than {length} from offset {offset}",
                    path.display()
                ),
            ));
        }
        Ok(ByteStream::from_body(SdkBody::from_file_range(
            path, offset, length,
        )))
    }

    /// Exactly `length` bytes from `reader`, sent once.
    pub fn from_reader<R>(reader: R, length: u64) -> ByteStream
    where
        R: AsyncRead + Send + 'static,
    {
        let stream = tokio_util::io::ReaderStream::with_capacity(reader, READ_CHUNK);
        ByteStream::from_stream(stream, length)
    }

    /// Exactly `length` bytes from a stream of chunks, sent once.
    pub fn from_stream<S, B, E>(stream: S, length: u64) -> ByteStream
    where
        S: futures_core::Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        let body = http_body_util::StreamBody::new(StreamFrames { stream });
        ByteStream::from_body(SdkBody::from_body_with_length(body, length))
    }

    /// The length in bytes, if known (a response's `Content-Length`, a file's size, ...).
    pub fn content_length(&self) -> Option<u64> {
        let pending = self.pending.len() as u64;
        lock(&self.body).content_length().map(|n| n + pending)
    }

    /// The bytes of an in-memory stream that has not been read from.
    pub fn bytes(&self) -> Option<Bytes> {
        if !self.pending.is_empty() {
            return None;
        }
        lock(&self.body).bytes_shared()
    }

    /// A copy reading from the start, for in-memory and file streams.
    pub fn try_clone(&self) -> Option<ByteStream> {
        lock(&self.body).try_clone().map(ByteStream::from_body)
    }

    /// The next chunk, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// Reads everything into one buffer (for small bodies).
    pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
        if let Some(b) = self.bytes() {
            return Ok(b);
        }
        let mut first: Option<Bytes> = None;
        let mut all = BytesMut::new();
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            match first.take() {
                None if all.is_empty() => first = Some(chunk),
                None => all.extend_from_slice(&chunk),
                Some(f) => {
                    all.reserve(f.len() + chunk.len());
                    all.extend_from_slice(&f);
                    all.extend_from_slice(&chunk);
                }
            }
        }
        Ok(first.unwrap_or_else(|| all.freeze()))
    }

    /// The stream as a [`tokio::io::AsyncRead`] (it is one already; this is
    /// for call chains).
    pub fn into_async_read(self) -> impl AsyncRead + Send + Sync + Unpin {
        self
    }

    /// The underlying body.
    pub fn into_body(self) -> SdkBody {
        self.body.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    /// The body to send in a request: a copy of a replayable body, else the
    /// stream itself (leaving a body that reports it was already sent).
    pub(crate) fn take_for_request(&self) -> SdkBody {
        let mut body = lock(&self.body);
        match body.try_clone() {
            Some(copy) => copy,
            None => std::mem::replace(&mut *body, SdkBody::taken()),
        }
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        if !self.pending.is_empty() {
            return Poll::Ready(Some(Ok(std::mem::take(&mut self.pending))));
        }
        let body = self.body.get_mut().unwrap_or_else(|p| p.into_inner());
        loop {
            match ready!(Pin::new(&mut *body).poll_frame(cx)) {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(ByteStreamError::new(e)))),
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) if !data.is_empty() => return Poll::Ready(Some(Ok(data))),
                    // Empty chunks and trailers carry no bytes.
                    _ => continue,
                },
            }
        }
    }
}

fn lock(m: &Mutex<SdkBody>) -> std::sync::MutexGuard<'_, SdkBody> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Default for ByteStream {
    fn default() -> ByteStream {
        ByteStream::from_body(SdkBody::empty())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.body.try_lock() {
            Ok(body) => match (body.bytes(), body.content_length()) {
                (Some(b), _) => write!(f, "ByteStream({} bytes)", b.len()),
                (None, Some(n)) => write!(f, "ByteStream(stream of {n} bytes)"),
                (None, None) => f.write_str("ByteStream(stream)"),
            },
            Err(_) => f.write_str("ByteStream(..)"),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(v: Vec<u8>) -> ByteStream {
        ByteStream::new(v)
    }
}

impl From<Bytes> for ByteStream {
    fn from(v: Bytes) -> ByteStream {
        ByteStream::new(v)
    }
}

impl From<String> for ByteStream {
    fn from(v: String) -> ByteStream {
        ByteStream::new(v)
    }
}

impl From<&[u8]> for ByteStream {
    fn from(v: &[u8]) -> ByteStream {
        ByteStream::new(Bytes::copy_from_slice(v))
    }
}

impl From<&str> for ByteStream {
    fn from(v: &str) -> ByteStream {
        ByteStream::new(Bytes::copy_from_slice(v.as_bytes()))
    }
}

impl From<SdkBody> for ByteStream {
    fn from(body: SdkBody) -> ByteStream {
        ByteStream::from_body(body)
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, None)
    }
}

impl AsyncRead for ByteStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        let mut chunk = match ready!(this.poll_chunk(cx)) {
            None => return Poll::Ready(Ok(())),
            Some(Err(e)) => return Poll::Ready(Err(e.into())),
            Some(Ok(chunk)) => chunk,
        };
        let n = chunk.len().min(buf.remaining());
        buf.put_slice(&chunk[..n]);
        if n < chunk.len() {
            this.pending = chunk.split_off(n);
        }
        Poll::Ready(Ok(()))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ByteStream {
    /// In-memory streams serialize as bytes; others cannot be.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.bytes() {
            Some(b) => s.serialize_bytes(&b),
            None => Err(serde::ser::Error::custom(
                "a streaming ByteStream cannot be serialized; collect() it first",
            )),
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ByteStream {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ByteStream, D::Error> {
        <Vec<u8> as serde::Deserialize>::deserialize(d).map(ByteStream::new)
    }
}

pin_project_lite::pin_project! {
    /// A stream of `Result<impl Into<Bytes>, _>` as a stream of body frames.
    struct StreamFrames<S> {
        #[pin]
        stream: S,
    }
}

impl<S, B, E> futures_core::Stream for StreamFrames<S>
where
    S: futures_core::Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
    E: Into<BoxError>,
{
    type Item = Result<Frame<Bytes>, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.project()
            .stream
            .poll_next(cx)
            .map(|o| o.map(|r| r.map(|b| Frame::data(b.into())).map_err(Into::into)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt as _;

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn bytes_stream_reads_once_and_clones_fresh() {
        rt().block_on(async {
            let mut s = ByteStream::from("hello");
            assert_eq!(s.content_length(), Some(5));
            assert_eq!(s.bytes().as_deref(), Some(&b"hello"[..]));
            let copy = s.try_clone().unwrap();
            assert_eq!(s.next().await.unwrap().unwrap(), "hello");
            assert!(s.next().await.is_none());
            assert_eq!(copy.collect().await.unwrap(), "hello");
        });
    }

    #[test]
    fn file_ranges_stream_in_chunks_and_replay() {
        let dir = std::env::temp_dir().join(format!("botogen-body-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("data.bin");
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        rt().block_on(async {
            let s = ByteStream::from_path(&path).unwrap();
            assert_eq!(s.content_length(), Some(300_000));
            assert!(s.bytes().is_none(), "a file is not read up front");
            let again = s.try_clone().unwrap();
            let mut s = s;
            let mut chunks = 0;
            let mut all = Vec::new();
            while let Some(c) = s.next().await {
                let c = c.unwrap();
                assert!(c.len() <= READ_CHUNK);
                all.extend_from_slice(&c);
                chunks += 1;
            }
            assert_eq!(all, data);
            assert!(chunks >= 3, "{chunks} chunks");
            assert_eq!(again.collect().await.unwrap(), &data[..]);
            let part = ByteStream::from_path_range(&path, 1000, 10).unwrap();
            assert_eq!(part.collect().await.unwrap(), &data[1000..1010]);
            assert!(ByteStream::from_path_range(&path, 299_995, 10).is_err());
            // A file that shrank after the stream was made fails loudly.
            let s = ByteStream::from_path(&path).unwrap();
            std::fs::write(&path, &data[..100]).unwrap();
            let e = s.collect().await.unwrap_err();
            assert!(e.to_string().contains("ended before"), "{e}");
        });
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn readers_and_streams_must_match_their_length() {
        rt().block_on(async {
            let s = ByteStream::from_reader(&b"abcdef"[..], 6);
            assert!(s.try_clone().is_none(), "one-shot");
            assert_eq!(s.content_length(), Some(6));
            assert_eq!(s.collect().await.unwrap(), "abcdef");
            let short = ByteStream::from_reader(&b"abc"[..], 6);
            let e = short.collect().await.unwrap_err();
            assert!(
                e.to_string().contains("ended after 3 of its declared 6"),
                "{e}"
            );
            let chunks = vec![Ok::<_, io::Error>("ab"), Ok("cd"), Ok("ef")];
            let long = ByteStream::from_stream(Iter(chunks.into_iter()), 4);
            let e = long.collect().await.unwrap_err();
            assert!(e.to_string().contains("more than its declared"), "{e}");
        });
    }

    #[test]
    fn async_read_keeps_what_a_small_buffer_cannot_hold() {
        rt().block_on(async {
            let mut s = ByteStream::from("0123456789");
            let mut buf = [0u8; 4];
            let mut out = Vec::new();
            loop {
                let n = s.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            assert_eq!(out, b"0123456789");
        });
    }

    #[test]
    fn a_taken_stream_reports_it_was_sent() {
        rt().block_on(async {
            let s = ByteStream::from_reader(&b"xy"[..], 2);
            let sent = s.take_for_request();
            assert!(!sent.is_taken());
            let e = s.collect().await.unwrap_err();
            assert!(e.to_string().contains("already sent"), "{e}");
            let bytes = ByteStream::from("z");
            let _ = bytes.take_for_request();
            assert_eq!(bytes.collect().await.unwrap(), "z", "bytes are copied");
        });
    }

    /// A stream over an iterator (futures' `stream::iter`, without the dependency).
    struct Iter<I>(I);

    impl<I: Iterator + Unpin> futures_core::Stream for Iter<I> {
        type Item = I::Item;
        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
            Poll::Ready(self.get_mut().0.next())
        }
    }
}
