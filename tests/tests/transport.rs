//! The transport, through the generated S3 and SQS clients against local
//! servers on 127.0.0.1: streaming downloads and uploads (connection reuse
//! and release, aws-chunked over HTTP, UNSIGNED-PAYLOAD over HTTPS, retries
//! of replayable bodies only), a custom CA bundle with a host → address
//! override, HTTP proxies (forwarding and CONNECT, NO_PROXY), the read
//! timeout, stalled-stream protection both ways, S3 virtual hosts from the
//! endpoint rule set on the real host name, a user-supplied
//! `HttpClient`, HTTP/2 and the one-line transport error.

use botogen_runtime::ProvideErrorMetadata as _;
use botogen_runtime::body::SdkBody;
use botogen_runtime::client::checksums::{ChecksumAlgorithm, ChecksumWhen};
use botogen_runtime::client::{
    Config, HttpClient, HttpError, HttpFuture, ProxyConfig, StalledStreamError,
    StalledStreamProtection, StreamDirection, TimeoutError, TimeoutKind,
};
use botogen_runtime::{ByteStream, SdkError};
use botogen_s3::operations::{GetObjectError, PutObjectError};
use botogen_s3::types::{GetObjectRequest, PutObjectRequest};
use botogen_s3::{Client as S3, S3Api};
use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

const HOST: &str = "bucket.s3.us-west-2.amazonaws.com";

// ---------------------------------------------------------------------------
// Local servers.
// ---------------------------------------------------------------------------

type BoxBody = http_body_util::combinators::BoxBody<Bytes, Infallible>;
type Handler = Arc<
    dyn Fn(http::Request<Incoming>) -> Pin<Box<dyn Future<Output = http::Response<BoxBody>> + Send>>
        + Send
        + Sync,
>;

fn handler<F, Fut>(f: F) -> Handler
where
    F: Fn(http::Request<Incoming>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = http::Response<BoxBody>> + Send + 'static,
{
    Arc::new(move |r| Box::pin(f(r)))
}

fn full(status: u16, body: impl Into<Bytes>) -> http::Response<BoxBody> {
    http::Response::builder()
        .status(status)
        .body(http_body_util::Full::new(body.into()).boxed())
        .unwrap()
}

/// A stream of body chunks fed through a channel.
struct Chunks(mpsc::Receiver<Bytes>);

impl futures_core::Stream for Chunks {
    type Item = Result<Frame<Bytes>, Infallible>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b))))
    }
}

fn streamed(
    status: u16,
    rx: mpsc::Receiver<Bytes>,
    length: Option<u64>,
) -> http::Response<BoxBody> {
    let mut b = http::Response::builder().status(status);
    if let Some(n) = length {
        b = b.header("content-length", n);
    }
    b.body(BodyExt::boxed(StreamBody::new(Chunks(rx)))).unwrap()
}

struct Server {
    addr: SocketAddr,
    /// Connections accepted so far.
    accepted: Arc<AtomicUsize>,
}

/// Serves `handler` over HTTP/1.1 and HTTP/2 (plain, or TLS when `tls` is
/// given), one task per connection, until the test ends.
async fn serve(handler: Handler, tls: Option<tokio_rustls::TlsAcceptor>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let handler = handler.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |r| {
                    let h = handler.clone();
                    async move { Ok::<_, Infallible>(h(r).await) }
                });
                let builder = hyper_util::server::conn::auto::Builder::new(
                    hyper_util::rt::TokioExecutor::new(),
                );
                match tls {
                    Some(acceptor) => {
                        let Ok(stream) = acceptor.accept(tcp).await else {
                            return;
                        };
                        let io = hyper_util::rt::TokioIo::new(stream);
                        let _ = builder.serve_connection(io, service).await;
                    }
                    None => {
                        let io = hyper_util::rt::TokioIo::new(tcp);
                        let _ = builder.serve_connection(io, service).await;
                    }
                }
            });
        }
    });
    Server { addr, accepted }
}

/// A self-signed certificate for [`HOST`], written as a PEM CA bundle; the
/// acceptor offers `h2` and `http/1.1`.
fn tls_for_host(dir: &std::path::Path) -> (tokio_rustls::TlsAcceptor, std::path::PathBuf) {
    let cert = rcgen::generate_simple_self_signed(vec![HOST.to_owned()]).unwrap();
    let pem = dir.join("ca.pem");
    std::fs::write(&pem, cert.cert.pem()).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    (tokio_rustls::TlsAcceptor::from(Arc::new(config)), pem)
}

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("botogen-transport-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn config(url: &str) -> Config {
    Config::new()
        .region("us-west-2")
        .endpoint_url(url)
        .credentials("AKIDEXAMPLE", "SECRETKEY", None)
        .proxy(ProxyConfig::Disabled)
        .max_attempts(1)
}

fn get(key: &str) -> GetObjectRequest {
    GetObjectRequest::new("bucket", key)
}

fn put(key: &str, body: ByteStream) -> PutObjectRequest {
    PutObjectRequest {
        body: Some(body),
        ..PutObjectRequest::new("bucket", key)
    }
}

async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("finished in time")
}

fn header<'a>(r: &'a http::Request<Incoming>, name: &str) -> Option<&'a str> {
    r.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Decodes an aws-chunked body: the data and the number of signed chunks.
/// Decodes an `aws-chunked` body: the data, how many chunks were signed,
/// and the trailer lines.
fn decode_chunked(mut b: &[u8]) -> (Vec<u8>, usize, Vec<String>) {
    let mut data = Vec::new();
    let mut signed = 0;
    loop {
        let end = b
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk header");
        let head = std::str::from_utf8(&b[..end]).unwrap();
        let (size, ext) = head.split_once(';').unwrap_or((head, ""));
        if ext.starts_with("chunk-signature=") && ext.len() == 16 + 64 {
            signed += 1;
        }
        let size = usize::from_str_radix(size, 16).unwrap();
        b = &b[end + 2..];
        if size == 0 {
            let text = std::str::from_utf8(b).unwrap();
            assert!(text.ends_with("\r\n\r\n") || text == "\r\n", "{text:?}");
            let trailers = text.lines().filter(|l| !l.is_empty()).map(str::to_owned);
            return (data, signed, trailers.collect());
        }
        data.extend_from_slice(&b[..size]);
        assert_eq!(&b[size..size + 2], b"\r\n");
        b = &b[size + 2..];
    }
}

// ---------------------------------------------------------------------------
// Streaming responses.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn downloads_stream_and_release_their_connection() {
    // Each GET gets a channel; the test feeds chunks one at a time.
    let (feeds_tx, feeds_rx) = mpsc::unbounded_channel::<mpsc::Sender<Bytes>>();
    let feeds_tx = Arc::new(feeds_tx);
    let server = serve(
        handler(move |_r| {
            let feeds = feeds_tx.clone();
            async move {
                let (tx, rx) = mpsc::channel(1);
                feeds.send(tx).unwrap();
                streamed(200, rx, None)
            }
        }),
        None,
    )
    .await;
    let mut feeds = feeds_rx;
    let client = S3::new(config(&format!("http://{}", server.addr)));

    // The call returns at the headers; chunks arrive as the server sends them.
    let call = tokio::spawn({
        let client = client.clone();
        async move { client.get_object(get("a")).await }
    });
    let feed = bounded(feeds.recv()).await.unwrap();
    let mut out = bounded(call).await.unwrap().expect("headers");
    let mut body = out.body.take().expect("a body");
    feed.send(Bytes::from_static(b"first ")).await.unwrap();
    assert_eq!(bounded(body.next()).await.unwrap().unwrap(), "first ");
    feed.send(Bytes::from_static(b"second")).await.unwrap();
    assert_eq!(bounded(body.next()).await.unwrap().unwrap(), "second");
    drop(feed);
    assert!(bounded(body.next()).await.is_none(), "end of body");

    // Read to the end: the next call reuses the connection.
    let call = tokio::spawn({
        let client = client.clone();
        async move { client.get_object(get("b")).await }
    });
    let feed = bounded(feeds.recv()).await.unwrap();
    feed.send(Bytes::from_static(b"small")).await.unwrap();
    drop(feed);
    let out = bounded(call).await.unwrap().expect("second call");
    let text = bounded(out.body.unwrap().collect()).await.unwrap();
    assert_eq!(text, "small");
    assert_eq!(
        server.accepted.load(Ordering::SeqCst),
        1,
        "connection reused"
    );

    // Dropped unread: that connection is closed, the next call opens another.
    let call = tokio::spawn({
        let client = client.clone();
        async move { client.get_object(get("c")).await }
    });
    let feed = bounded(feeds.recv()).await.unwrap();
    feed.send(Bytes::from(vec![7u8; 1000])).await.unwrap();
    let out = bounded(call).await.unwrap().expect("third call");
    drop(out);
    // The server sees its body's receiver go away once the connection closes.
    bounded(feed.closed()).await;
    let call = tokio::spawn({
        let client = client.clone();
        async move { client.get_object(get("d")).await }
    });
    let feed = bounded(feeds.recv()).await.unwrap();
    drop(feed);
    let out = bounded(call).await.unwrap().expect("fourth call");
    assert_eq!(bounded(out.body.unwrap().collect()).await.unwrap(), "");
    assert_eq!(
        server.accepted.load(Ordering::SeqCst),
        2,
        "a new connection"
    );
}

#[tokio::test]
async fn keep_alive_off_opens_a_connection_per_request() {
    let server = serve(handler(|_r| async { full(200, "x") }), None).await;
    let http = botogen_runtime::client::HttpConfig {
        keep_alive: false,
        proxy: ProxyConfig::Disabled,
        ..Default::default()
    };
    let client = S3::new(config(&format!("http://{}", server.addr)).http(http));
    for key in ["a", "b", "c"] {
        let out = bounded(client.get_object(get(key))).await.unwrap();
        assert_eq!(bounded(out.body.unwrap().collect()).await.unwrap(), "x");
    }
    assert_eq!(server.accepted.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn downloads_read_as_async_read() {
    let data: Vec<u8> = (0..500_000u32).map(|i| (i % 239) as u8).collect();
    let served = Bytes::from(data.clone());
    let server = serve(
        handler(move |_r| {
            let body = served.clone();
            async move { full(200, body) }
        }),
        None,
    )
    .await;
    let client = S3::new(config(&format!("http://{}", server.addr)));
    let out = bounded(client.get_object(get("k"))).await.unwrap();
    assert_eq!(out.content_length, Some(500_000));
    let mut reader = out.body.unwrap().into_async_read();
    let mut got = Vec::new();
    bounded(reader.read_to_end(&mut got)).await.unwrap();
    assert_eq!(got, data);
}

// ---------------------------------------------------------------------------
// Streaming uploads.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn file_uploads_over_http_are_signed_aws_chunked_and_retried() {
    let dir = scratch_dir("upload");
    let path = dir.join("object.bin");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let server = serve(
        handler(move |r| {
            let log = log.clone();
            async move {
                let h = |n: &str| header(&r, n).map(str::to_owned);
                let headers = (
                    h("content-encoding"),
                    h("x-amz-content-sha256"),
                    h("x-amz-decoded-content-length"),
                    h("content-length"),
                );
                let body = r.into_body().collect().await.unwrap().to_bytes();
                let mut log = log.lock().unwrap();
                log.push((headers, body));
                // The first attempt fails, the retry succeeds.
                if log.len() == 1 {
                    full(500, "")
                } else {
                    full(200, "")
                }
            }
        }),
        None,
    )
    .await;
    let client = S3::new(config(&format!("http://{}", server.addr)).max_attempts(2));
    let body = ByteStream::from_path(&path).unwrap();
    bounded(client.put_object(put("big", body)))
        .await
        .expect("retried upload");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "a file body is sent again for the retry");
    for ((encoding, sha, decoded, length), body) in seen.iter() {
        assert_eq!(encoding.as_deref(), Some("aws-chunked"));
        // The default CRC32 rides as a signed trailer.
        assert_eq!(
            sha.as_deref(),
            Some("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
        );
        assert_eq!(decoded.as_deref(), Some("200000"));
        assert_eq!(length.as_deref(), Some(body.len().to_string().as_str()));
        let (decoded, signed, trailers) = decode_chunked(body);
        assert_eq!(decoded, data);
        assert_eq!(signed, 5, "four data chunks and the final one, each signed");
        let crc = ChecksumAlgorithm::Crc32.checksum_of(&data).unwrap();
        assert_eq!(trailers[0], format!("x-amz-checksum-crc32:{crc}"));
        assert!(trailers[1].starts_with("x-amz-trailer-signature:"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn one_shot_streams_are_sent_once() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let count = attempts.clone();
    let server = serve(
        handler(move |r| {
            count.fetch_add(1, Ordering::SeqCst);
            async move {
                let _ = r.into_body().collect().await;
                full(503, "")
            }
        }),
        None,
    )
    .await;
    let client = S3::new(config(&format!("http://{}", server.addr)).max_attempts(3));
    let body = ByteStream::from_reader(&b"streamed once"[..], 13);
    let err = bounded(client.put_object(put("k", body)))
        .await
        .unwrap_err();
    assert!(
        matches!(err, PutObjectError::Unmodeled(ref e) if e.status() == Some(503)),
        "{err:?}"
    );
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        1,
        "a one-shot body is not retried"
    );
}

// ---------------------------------------------------------------------------
// TLS: custom CA bundle and host → address override; proxies.
// ---------------------------------------------------------------------------

/// A PUT as the server saw it: Host, path, `x-amz-content-sha256`, body.
type PutLog = Arc<Mutex<Vec<(String, String, Option<String>, Bytes)>>>;

/// Records what an S3 PUT looked like at the server.
fn put_recorder(log: PutLog) -> Handler {
    handler(move |r| {
        let log = log.clone();
        async move {
            let host = header(&r, "host").unwrap_or_default().to_owned();
            let sha = header(&r, "x-amz-content-sha256").map(str::to_owned);
            let path = r.uri().path().to_owned();
            let body = r.into_body().collect().await.unwrap().to_bytes();
            log.lock().unwrap().push((host, path, sha, body));
            full(200, "")
        }
    })
}

#[tokio::test]
async fn https_to_a_named_host_through_a_resolve_override_and_custom_ca() {
    let dir = scratch_dir("tls");
    let (acceptor, ca) = tls_for_host(&dir);
    let log = Arc::new(Mutex::new(Vec::new()));
    let server = serve(put_recorder(log.clone()), Some(acceptor)).await;
    let url = format!("https://{HOST}");
    let client = S3::new(config(&url).ca_bundle(&ca).resolve(HOST, server.addr));
    let body = ByteStream::from_stream(
        StreamOf(vec![Ok::<_, std::io::Error>("hello "), Ok("tls")].into_iter()),
        9,
    );
    bounded(client.put_object(put("greeting", body)))
        .await
        .expect("put over TLS");
    {
        let log = log.lock().unwrap();
        let (host, path, sha, body) = &log[0];
        assert_eq!(host, HOST);
        assert_eq!(path, "/bucket/greeting");
        assert_eq!(
            sha.as_deref(),
            Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
            "S3 over HTTPS streams unsigned chunks with the checksum trailer"
        );
        let (data, signed, trailers) = decode_chunked(body);
        assert_eq!(data, b"hello tls");
        assert_eq!(signed, 0);
        let crc = ChecksumAlgorithm::Crc32.checksum_of(b"hello tls").unwrap();
        assert_eq!(trailers, [format!("x-amz-checksum-crc32:{crc}")]);
    }
    // Without a checksum the stream goes as it is, UNSIGNED-PAYLOAD.
    let plain = S3::new(
        config(&url)
            .ca_bundle(&ca)
            .resolve(HOST, server.addr)
            .request_checksum_calculation(ChecksumWhen::WhenRequired),
    );
    let body = ByteStream::from_reader(&b"hello tls"[..], 9);
    bounded(plain.put_object(put("greeting", body)))
        .await
        .expect("put over TLS");
    {
        let log = log.lock().unwrap();
        let (_, _, sha, body) = &log[1];
        assert_eq!(sha.as_deref(), Some("UNSIGNED-PAYLOAD"));
        assert_eq!(body, "hello tls");
    }
    // Without the bundle the self-signed certificate is rejected.
    let untrusted = S3::new(config(&url).resolve(HOST, server.addr));
    let err = bounded(untrusted.get_object(get("x"))).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("certificate"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// No `endpoint_url`: the S3 rule set puts the bucket in the host name
/// (`bucket.s3.us-west-2.amazonaws.com`), the path loses it, and the
/// signature is scoped to the rule set's signing region and name. The
/// host resolves to a local TLS server whose certificate is trusted
/// through the CA bundle, so the real virtual-hosted name goes over the
/// wire.
#[tokio::test]
async fn virtual_hosted_buckets_from_the_rule_set_reach_the_named_host() {
    let dir = scratch_dir("virtual-host");
    let (acceptor, ca) = tls_for_host(&dir);
    let seen = Arc::new(Mutex::new(Vec::<(String, String, String)>::new()));
    let log = seen.clone();
    let server = serve(
        handler(move |r| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push((
                    header(&r, "host").unwrap_or_default().to_owned(),
                    r.uri().path().to_owned(),
                    header(&r, "authorization").unwrap_or_default().to_owned(),
                ));
                full(200, "virtual")
            }
        }),
        Some(acceptor),
    )
    .await;
    let config = Config::new()
        .region("us-west-2")
        .credentials("AKIDEXAMPLE", "SECRETKEY", None)
        .proxy(ProxyConfig::Disabled)
        .max_attempts(1)
        .ca_bundle(&ca)
        .resolve(HOST, server.addr);
    let client = S3::new(config);
    let out = bounded(client.get_object(get("a/key.txt")))
        .await
        .expect("GET through the virtual host");
    let body = out.body.unwrap_or_default().collect().await.unwrap();
    assert_eq!(&body[..], b"virtual");
    let seen = seen.lock().unwrap();
    let (host, path, auth) = &seen[0];
    assert_eq!(host, HOST, "the bucket is in the host name");
    assert_eq!(path, "/a/key.txt", "and not in the path");
    assert!(
        auth.contains("/us-west-2/s3/aws4_request"),
        "signed for the rule set's region and name: {auth}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn https_through_a_connect_proxy_and_http_through_a_forwarding_proxy() {
    let dir = scratch_dir("proxy");
    let (acceptor, ca) = tls_for_host(&dir);
    let log = Arc::new(Mutex::new(Vec::new()));
    let origin = serve(put_recorder(log.clone()), Some(acceptor)).await;

    // A CONNECT proxy that tunnels anything to the origin, recording the request head.
    let proxy = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_addr = proxy.local_addr().unwrap();
    let heads = Arc::new(Mutex::new(Vec::<String>::new()));
    let proxy_log = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = proxy.accept().await {
            let log = proxy_log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                log.lock().unwrap().push(text.clone());
                if text.starts_with("CONNECT ") {
                    let mut upstream = TcpStream::connect(origin.addr).await.unwrap();
                    client
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await
                        .unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                } else {
                    // A forwarding proxy: answer for the origin.
                    let _ = client
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                        .await;
                }
            });
        }
    });
    let proxy_url = format!("http://user:secret@{proxy_addr}");
    let via_proxy = ProxyConfig::Custom {
        http: Some(proxy_url.clone()),
        https: Some(proxy_url),
        no_proxy: Some("direct.example,localhost".into()),
    };

    // HTTPS: CONNECT to the named host; TLS runs end to end through the tunnel.
    let client = S3::new(
        config(&format!("https://{HOST}"))
            .ca_bundle(&ca)
            .proxy(via_proxy.clone()),
    );
    let body = ByteStream::from("tunnelled");
    bounded(client.put_object(put("t", body)))
        .await
        .expect("put through CONNECT");
    assert_eq!(log.lock().unwrap()[0].3, "tunnelled");
    let connect = heads.lock().unwrap()[0].clone();
    assert!(
        connect.starts_with(&format!("CONNECT {HOST}:443 HTTP/1.1\r\n")),
        "{connect}"
    );
    // "user:secret" in base64.
    assert!(
        connect.contains("Proxy-Authorization: Basic dXNlcjpzZWNyZXQ="),
        "{connect}"
    );

    // HTTP: the request goes to the proxy in absolute form, with the credentials.
    let client = S3::new(config("http://unresolvable.invalid:8080").proxy(via_proxy.clone()));
    bounded(client.put_object(put("f", ByteStream::from("x"))))
        .await
        .expect("forwarded");
    let forwarded = heads.lock().unwrap()[1].clone();
    assert!(
        forwarded.starts_with("PUT http://unresolvable.invalid:8080/bucket/f HTTP/1.1\r\n"),
        "{forwarded}"
    );
    assert!(
        forwarded
            .to_ascii_lowercase()
            .contains("proxy-authorization: basic dxnlcjpzzwnyzxq="),
        "{forwarded}"
    );

    // NO_PROXY: a matching host is reached directly (here through the override).
    let direct = S3::new(
        config("https://direct.example")
            .ca_bundle(&ca)
            .proxy(via_proxy)
            .resolve("direct.example", origin.addr),
    );
    let err = bounded(direct.get_object(get("n"))).await.unwrap_err();
    // The origin's certificate names only HOST: reaching it directly fails
    // verification, which shows the proxy was bypassed.
    assert!(err.to_string().contains("certificate"), "{err}");
    assert_eq!(
        heads.lock().unwrap().len(),
        2,
        "the proxy saw no third request"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------
// Timeouts and stalled streams.
// ---------------------------------------------------------------------------

fn transport_error(e: &GetObjectError) -> &(dyn std::error::Error + Send + Sync + 'static) {
    match e {
        GetObjectError::Sdk(SdkError::Transport(t)) => t.as_ref(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn read_timeout_bounds_the_wait_for_headers() {
    let server = serve(
        handler(|_r| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            full(200, "")
        }),
        None,
    )
    .await;
    let client = S3::new(
        config(&format!("http://{}", server.addr)).read_timeout(Duration::from_millis(300)),
    );
    let started = std::time::Instant::now();
    let err = bounded(client.get_object(get("slow"))).await.unwrap_err();
    let timeout = transport_error(&err)
        .downcast_ref::<TimeoutError>()
        .copied();
    assert_eq!(
        timeout,
        Some(TimeoutError {
            kind: TimeoutKind::Read,
            after: Duration::from_millis(300)
        })
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A response whose body sends `first`, then nothing until the test ends.
fn stalling(first: &'static [u8]) -> Handler {
    handler(move |_r| async move {
        let (tx, rx) = mpsc::channel(1);
        tx.send(Bytes::from_static(first)).await.unwrap();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(60)).await;
            drop(tx);
        });
        streamed(200, rx, Some(1_000_000))
    })
}

#[tokio::test]
async fn a_stalled_download_fails_the_stream() {
    let server = serve(stalling(b"partial"), None).await;
    let client = S3::new(
        config(&format!("http://{}", server.addr)).stalled_stream_protection(
            StalledStreamProtection::grace_period(Duration::from_millis(300)),
        ),
    );
    let out = bounded(client.get_object(get("k"))).await.unwrap();
    let mut body = out.body.unwrap();
    assert_eq!(bounded(body.next()).await.unwrap().unwrap(), "partial");
    let err = bounded(body.next()).await.unwrap().unwrap_err();
    assert!(err.is_timeout(), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("stalled stream: the response body received no data"),
        "{text}"
    );
    let stalled = std::error::Error::source(&err)
        .and_then(|e| e.downcast_ref::<StalledStreamError>())
        .copied();
    assert_eq!(
        stalled,
        Some(StalledStreamError {
            direction: StreamDirection::Download,
            grace_period: Duration::from_millis(300)
        })
    );
}

#[tokio::test]
async fn a_stalled_response_body_is_retried_when_the_output_does_not_stream() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let count = attempts.clone();
    let stall = stalling(b"<ListAllMyBucketsResult>");
    let server = serve(
        handler(move |r| {
            count.fetch_add(1, Ordering::SeqCst);
            stall(r)
        }),
        None,
    )
    .await;
    let client = S3::new(
        config(&format!("http://{}", server.addr))
            .max_attempts(2)
            .stalled_stream_protection(StalledStreamProtection::grace_period(
                Duration::from_millis(200),
            )),
    );
    let err = bounded(client.list_buckets(Default::default()))
        .await
        .unwrap_err();
    assert_eq!(attempts.load(Ordering::SeqCst), 2, "retried once");
    let botogen_s3::operations::ListBucketsError::Sdk(SdkError::Transport(t)) = &err else {
        panic!("{err:?}");
    };
    assert!(t.downcast_ref::<StalledStreamError>().is_some(), "{t}");
}

#[tokio::test]
async fn a_stalled_upload_fails_with_a_clear_error() {
    let server = serve(
        handler(|r| async move {
            let _ = r.into_body().collect().await;
            full(200, "")
        }),
        None,
    )
    .await;
    let client = S3::new(
        config(&format!("http://{}", server.addr)).stalled_stream_protection(
            StalledStreamProtection::grace_period(Duration::from_millis(300)),
        ),
    );
    // One chunk, then the source never produces again.
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    tx.send(Ok(Bytes::from_static(b"begin"))).await.unwrap();
    let body = ByteStream::from_stream(Receiver(rx), 100);
    let started = std::time::Instant::now();
    let err = bounded(client.put_object(put("k", body)))
        .await
        .unwrap_err();
    let PutObjectError::Sdk(SdkError::Transport(t)) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        t.downcast_ref::<StalledStreamError>(),
        Some(&StalledStreamError {
            direction: StreamDirection::Upload,
            grace_period: Duration::from_millis(300)
        }),
        "{t}"
    );
    assert!(
        err.to_string()
            .contains("the request body produced no data"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(tx);
}

// ---------------------------------------------------------------------------
// A user-supplied HTTP client.
// ---------------------------------------------------------------------------

/// Method, URI, headers and body of a request the mock received.
type Recorded = (String, String, Vec<(String, String)>, Bytes);

/// Records every request and answers from a script.
#[derive(Debug, Default)]
struct Recorder {
    requests: Mutex<Vec<Recorded>>,
}

impl HttpClient for Recorder {
    fn send(&self, request: http::Request<SdkBody>) -> HttpFuture<'_> {
        Box::pin(async move {
            let (head, body) = request.into_parts();
            let body = body.collect().await.map_err(HttpError::io)?.to_bytes();
            let headers = head
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
                .collect();
            let is_get = head.method == http::Method::GET;
            self.requests.lock().unwrap().push((
                head.method.to_string(),
                head.uri.to_string(),
                headers,
                body,
            ));
            let response = http::Response::builder()
                .status(200)
                .header("etag", "\"e1\"");
            let body = if is_get {
                // A streaming body from the mock's own "stack".
                let (tx, rx) = mpsc::channel(2);
                tx.send(Ok::<_, std::io::Error>(Bytes::from_static(b"mocked ")))
                    .await
                    .unwrap();
                tx.send(Ok(Bytes::from_static(b"object"))).await.unwrap();
                SdkBody::from_body(StreamBody::new(FrameReceiver(rx)))
            } else {
                SdkBody::empty()
            };
            response.body(body).map_err(HttpError::other)
        })
    }
}

#[tokio::test]
async fn a_user_supplied_http_client_sees_every_request() {
    let recorder = Arc::new(Recorder::default());
    #[derive(Debug)]
    struct Shared(Arc<Recorder>);
    impl HttpClient for Shared {
        fn send(&self, request: http::Request<SdkBody>) -> HttpFuture<'_> {
            self.0.send(request)
        }
    }
    let client =
        S3::new(config("https://s3.us-west-2.amazonaws.com").http_client(Shared(recorder.clone())));
    let out = bounded(client.put_object(put("k", ByteStream::from("payload"))))
        .await
        .unwrap();
    assert_eq!(out.e_tag.as_deref(), Some("\"e1\""));
    let out = bounded(client.get_object(get("k"))).await.unwrap();
    assert_eq!(
        bounded(out.body.unwrap().collect()).await.unwrap(),
        "mocked object"
    );
    let requests = recorder.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    let (method, uri, headers, body) = &requests[0];
    assert_eq!(method, "PUT");
    assert_eq!(uri, "https://s3.us-west-2.amazonaws.com/bucket/k");
    assert_eq!(body, "payload");
    let auth = headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .map(|(_, v)| v.as_str());
    assert!(auth.is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")));
    assert_eq!(requests[1].0, "GET");
}

// ---------------------------------------------------------------------------
// HTTP/2 and error text.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn http2_is_negotiated_over_tls() {
    let dir = scratch_dir("h2");
    let (acceptor, ca) = tls_for_host(&dir);
    let versions = Arc::new(Mutex::new(Vec::new()));
    let seen = versions.clone();
    let server = serve(
        handler(move |r| {
            seen.lock().unwrap().push(r.version());
            async { full(200, "over h2") }
        }),
        Some(acceptor),
    )
    .await;
    let client = S3::new(
        config(&format!("https://{HOST}"))
            .ca_bundle(&ca)
            .resolve(HOST, server.addr),
    );
    for key in ["a", "b"] {
        let out = bounded(client.get_object(get(key))).await.unwrap();
        assert_eq!(
            bounded(out.body.unwrap().collect()).await.unwrap(),
            "over h2"
        );
    }
    assert_eq!(
        *versions.lock().unwrap(),
        [http::Version::HTTP_2, http::Version::HTTP_2]
    );
    assert_eq!(
        server.accepted.load(Ordering::SeqCst),
        1,
        "one multiplexed connection"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn transport_errors_name_their_cause() {
    // A port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = S3::new(config(&format!("http://127.0.0.1:{port}")));
    let err = bounded(client.get_object(get("k"))).await.unwrap_err();
    // One line, outermost first, each cause once: today
    // `transport error: cannot connect: client error (Connect): tcp connect
    // error: Connection refused (os error 111)`.
    let text = err.to_string();
    assert!(text.starts_with("transport error: "), "{text}");
    assert!(!text.contains('\n'), "one line: {text}");
    let position = |part: &str| {
        text.find(part)
            .unwrap_or_else(|| panic!("{part:?} missing from {text:?}"))
    };
    assert!(position("client error (Connect)") < position("tcp connect error"));
    assert!(position("tcp connect error") < position("Connection refused"));
    assert_eq!(text.matches("Connection refused").count(), 1, "{text}");
    // The causes stay reachable as `source()`s, down to the io::Error.
    let refused = std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::ConnectionRefused);
    assert!(
        refused,
        "no ConnectionRefused io::Error among the sources of {err:?}"
    );
}

// ---------------------------------------------------------------------------
// Small stream adapters (the test avoids a futures dependency).
// ---------------------------------------------------------------------------

struct StreamOf<I>(I);

impl<I: Iterator + Unpin> futures_core::Stream for StreamOf<I> {
    type Item = I::Item;
    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.get_mut().0.next())
    }
}

struct Receiver<T>(mpsc::Receiver<T>);

impl<T> futures_core::Stream for Receiver<T> {
    type Item = T;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}

struct FrameReceiver(mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl futures_core::Stream for FrameReceiver {
    type Item = Result<Frame<Bytes>, std::io::Error>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|o| o.map(|r| r.map(Frame::data)))
    }
}
