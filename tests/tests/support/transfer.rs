//! A large S3 object through a local server, in bounded memory: the client
//! uploads a file (`ByteStream::from_path`, signed `aws-chunked` over HTTP,
//! with the default CRC32 as a trailer) and downloads it again (`AsyncRead`
//! into a sink, the CRC32 validated as it is read); the server checks every
//! byte and the trailer as they arrive and generates the download on the
//! fly, so neither side ever holds the object. Shared by the `large_transfer` test
//! and the `transfer` example that `cargo xtask bench transfer` runs.

use botogen_runtime::client::checksums::{Checksum, ChecksumAlgorithm};
use botogen_s3::types::{GetObjectRequest, PutObjectRequest};
use botogen_s3::{ByteStream, Client, Config, S3Api};
use bytes::Bytes;
use http_body_util::BodyExt as _;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// The object's bytes repeat this many bytes of pattern (a prime, so no
/// chunk size lines up with it and a misplaced chunk is caught).
const PERIOD: usize = 1_000_003;

fn period() -> &'static [u8] {
    static P: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        let mut x: u32 = 0x9e37_79b9;
        (0..PERIOD)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect()
    })
}

/// Whether `data` is the object's bytes at `offset`.
fn matches_at(mut offset: u64, mut data: &[u8]) -> bool {
    let p = period();
    while !data.is_empty() {
        let start = (offset % PERIOD as u64) as usize;
        let n = data.len().min(PERIOD - start);
        if data[..n] != p[start..start + n] {
            return false;
        }
        data = &data[n..];
        offset += n as u64;
    }
    true
}

/// The object's bytes at `offset`, `len` of them.
fn bytes_at(mut offset: u64, len: usize) -> Vec<u8> {
    let p = period();
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let start = (offset % PERIOD as u64) as usize;
        let n = (len - out.len()).min(PERIOD - start);
        out.extend_from_slice(&p[start..start + n]);
        offset += n as u64;
    }
    out
}

/// Writes the object to `path` a period at a time.
pub fn write_object(path: &std::path::Path, size: u64) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut offset = 0;
    while offset < size {
        let n = (size - offset).min(PERIOD as u64) as usize;
        f.write_all(&bytes_at(offset, n))?;
        offset += n as u64;
    }
    f.flush()
}

/// Decodes `aws-chunked` incrementally and checks the data against the pattern.
struct ChunkedChecker {
    state: State,
    line: Vec<u8>,
    offset: u64,
    ok: bool,
    /// CRC32 of the data so far, and the trailer's value once read.
    crc: Option<Checksum>,
    trailer: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    Data(usize),
    /// CRLF bytes still expected after a chunk's data (then a header), or
    /// after the final chunk (then the end).
    Crlf(usize, bool),
    /// Trailer lines after the final chunk, until an empty line.
    Trailer,
    Done,
}

impl ChunkedChecker {
    fn feed(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            match self.state {
                State::Header | State::Trailer => match data.iter().position(|&b| b == b'\n') {
                    Some(p) => {
                        self.line.extend_from_slice(&data[..=p]);
                        data = &data[p + 1..];
                        if self.state == State::Trailer {
                            self.trailer_line();
                        } else {
                            self.header();
                        }
                    }
                    None => {
                        self.line.extend_from_slice(data);
                        data = &[];
                        if self.line.len() > 256 {
                            self.ok = false;
                        }
                    }
                },
                State::Data(n) => {
                    let take = n.min(data.len());
                    if !matches_at(self.offset, &data[..take]) {
                        self.ok = false;
                    }
                    if let Some(crc) = &mut self.crc {
                        crc.update(&data[..take]);
                    }
                    self.offset += take as u64;
                    data = &data[take..];
                    self.state = if take == n {
                        State::Crlf(2, false)
                    } else {
                        State::Data(n - take)
                    };
                }
                State::Crlf(k, last) => {
                    if data[0] != b"\r\n"[2 - k] {
                        self.ok = false;
                    }
                    data = &data[1..];
                    self.state = match (k, last) {
                        (1, false) => State::Header,
                        (1, true) => State::Done,
                        _ => State::Crlf(k - 1, last),
                    };
                }
                State::Done => {
                    self.ok = false;
                    data = &[];
                }
            }
        }
    }

    fn header(&mut self) {
        let line = String::from_utf8_lossy(&self.line).trim_end().to_owned();
        self.line.clear();
        if !line.contains(";chunk-signature=") {
            self.ok = false;
        }
        match usize::from_str_radix(line.split(';').next().unwrap_or(""), 16) {
            Ok(0) => self.state = State::Trailer,
            Ok(n) => self.state = State::Data(n),
            Err(_) => {
                self.ok = false;
                self.state = State::Done;
            }
        }
    }
}

impl ChunkedChecker {
    fn trailer_line(&mut self) {
        let line = String::from_utf8_lossy(&self.line).trim_end().to_owned();
        self.line.clear();
        if line.is_empty() {
            self.state = State::Done;
        } else if let Some(value) = line.strip_prefix("x-amz-checksum-crc32:") {
            self.trailer = Some(value.to_owned());
        } else if !line.starts_with("x-amz-trailer-signature:") {
            self.ok = false;
        }
    }
}

type Body = http_body_util::combinators::BoxBody<Bytes, Infallible>;

/// Generates the object as a response body, 256 KiB at a time.
struct Generated {
    offset: u64,
    size: u64,
}

impl http_body::Body for Generated {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.offset >= this.size {
            return Poll::Ready(None);
        }
        let n = (this.size - this.offset).min(256 * 1024) as usize;
        let chunk = bytes_at(this.offset, n);
        this.offset += n as u64;
        Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from(chunk)))))
    }
    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.size - self.offset)
    }
}

async fn handle(
    request: http::Request<hyper::body::Incoming>,
    size: u64,
    received: Arc<AtomicU64>,
    crc32: Arc<Mutex<Option<String>>>,
) -> http::Response<Body> {
    let status = |s: u16| {
        http::Response::builder()
            .status(s)
            .body(http_body_util::Empty::new().boxed())
            .unwrap()
    };
    if request.method() == http::Method::PUT {
        let chunked = request
            .headers()
            .get("content-encoding")
            .is_some_and(|v| v == "aws-chunked");
        let mut checker = ChunkedChecker {
            state: State::Header,
            line: Vec::new(),
            offset: 0,
            ok: chunked,
            crc: ChecksumAlgorithm::Crc32.hasher().ok(),
            trailer: None,
        };
        let mut body = request.into_body();
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                return status(400);
            };
            if let Ok(data) = frame.into_data() {
                checker.feed(&data);
            }
        }
        received.store(checker.offset, Ordering::SeqCst);
        let computed = checker.crc.take().map(Checksum::finalize_base64);
        let trailer_ok = checker.trailer.is_some() && checker.trailer == computed;
        if checker.ok && trailer_ok && checker.state == State::Done && checker.offset == size {
            // The download carries the checksum the upload proved.
            *crc32.lock().unwrap() = computed;
            status(200)
        } else {
            status(400)
        }
    } else {
        let mut response = http::Response::builder()
            .status(200)
            .header("content-length", size);
        if let Some(crc) = crc32.lock().unwrap().clone() {
            response = response.header("x-amz-checksum-crc32", crc);
        }
        response
            .body(Generated { offset: 0, size }.boxed())
            .unwrap()
    }
}

/// Checks downloaded bytes against the pattern as they are written.
struct CheckingSink {
    offset: u64,
    ok: bool,
}

impl tokio::io::AsyncWrite for CheckingSink {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if !matches_at(this.offset, buf) {
            this.ok = false;
        }
        this.offset += buf.len() as u64;
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// What one transfer measured.
pub struct Report {
    pub size: u64,
    pub upload: Duration,
    pub download: Duration,
    /// Peak resident set of the whole process (client and server), KiB.
    pub peak_rss_kib: Option<u64>,
}

/// The process's peak resident set (`VmHWM`), KiB; Linux only.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Uploads the file at `path` (`size` bytes of the pattern, see
/// [`write_object`]) and downloads it again through a local server.
pub async fn run(path: &std::path::Path, size: u64) -> Result<Report, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let received = Arc::new(AtomicU64::new(0));
    let seen = received.clone();
    let crc32 = Arc::new(Mutex::new(None));
    let server = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let seen = seen.clone();
            let crc32 = crc32.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |r| {
                    let seen = seen.clone();
                    let crc32 = crc32.clone();
                    async move { Ok::<_, Infallible>(handle(r, size, seen, crc32).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(tcp), service)
                    .await;
            });
        }
    });
    let client = Client::new(
        Config::new()
            .region("us-east-1")
            .endpoint_url(format!("http://{addr}"))
            .credentials("AKIDEXAMPLE", "SECRETKEY", None)
            .proxy(botogen_s3::ProxyConfig::Disabled)
            .max_attempts(1),
    );
    let body = ByteStream::from_path(path).map_err(|e| e.to_string())?;
    let started = Instant::now();
    client
        .put_object(PutObjectRequest {
            body: Some(body),
            ..PutObjectRequest::new("bench", "object")
        })
        .await
        .map_err(|e| {
            format!(
                "upload failed after {} bytes: {e}",
                received.load(Ordering::SeqCst)
            )
        })?;
    let upload = started.elapsed();

    let started = Instant::now();
    let out = client
        .get_object(GetObjectRequest::new("bench", "object"))
        .await
        .map_err(|e| format!("download failed: {e}"))?;
    // The server sent the upload's CRC32: the read below validates it.
    if out.checksum_crc32.is_none() {
        return Err("the download carried no CRC32 to validate".into());
    }
    let mut reader = out.body.ok_or("no body")?.into_async_read();
    let mut sink = CheckingSink {
        offset: 0,
        ok: true,
    };
    tokio::io::copy(&mut reader, &mut sink)
        .await
        .map_err(|e| format!("download failed after {} bytes: {e}", sink.offset))?;
    let download = started.elapsed();
    server.abort();
    if !sink.ok || sink.offset != size {
        return Err(format!(
            "downloaded {} of {size} bytes, {}",
            sink.offset,
            if sink.ok {
                "all matching"
            } else {
                "some wrong"
            }
        ));
    }
    Ok(Report {
        size,
        upload,
        download,
        peak_rss_kib: peak_rss_kib(),
    })
}
