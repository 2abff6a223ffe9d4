//! S3 checksums and presigned URLs against moto's S3 (an independent
//! implementation; the shared launcher in `config/tests/support/moto.rs`
//! starts it): uploads with the default
//! CRC32 (a header for bytes, an `aws-chunked` trailer for a file) and with
//! a chosen SHA-256, downloads validated with the checksum moto stored, a
//! download corrupted on its way (through a local proxy that flips a body
//! byte) failing its stream, and presigned PUT and GET URLs used by a plain
//! HTTP/1.1 client without any SDK signing.

#[path = "../../config/tests/support/moto.rs"]
mod moto;

use botogen_runtime::client::checksums::{ChecksumAlgorithm, ChecksumMismatch};
use botogen_runtime::client::presign::PresigningConfig;
use botogen_s3::operations;
use botogen_s3::types::{
    ChecksumAlgorithm as ModelAlgorithm, CreateBucketRequest, GetObjectRequest, PutObjectRequest,
};
use botogen_s3::{ByteStream, Client, Config, S3Api};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

fn client(url: &str) -> Client {
    Client::new(
        Config::new()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials("testing", "testing", None)
            .max_attempts(1),
    )
}

/// A client of moto with a fresh bucket named `bucket`.
async fn with_bucket(bucket: &str) -> Client {
    let s3 = client(&moto::moto().url);
    s3.create_bucket(CreateBucketRequest::new(bucket))
        .await
        .expect("CreateBucket");
    s3
}

async fn get(s3: &Client, bucket: &str, key: &str) -> (Option<String>, Option<String>, Vec<u8>) {
    let out = s3
        .get_object(GetObjectRequest::new(bucket, key))
        .await
        .expect("GetObject");
    let body = out.body.unwrap().collect().await.expect("a valid body");
    (out.checksum_crc32, out.checksum_sha256, body.to_vec())
}

#[tokio::test]
async fn default_crc32_upload_then_validated_download() {
    let s3 = with_bucket("crc-default").await;
    let data = b"checksummed by default".to_vec();
    s3.put_object(PutObjectRequest {
        body: Some(ByteStream::new(data.clone())),
        ..PutObjectRequest::new("crc-default", "a.txt")
    })
    .await
    .expect("PutObject");
    let (crc32, _, body) = get(&s3, "crc-default", "a.txt").await;
    let expected = ChecksumAlgorithm::Crc32.checksum_of(&data).unwrap();
    assert_eq!(crc32.as_deref(), Some(expected.as_str()));
    assert_eq!(body, data);
}

#[tokio::test]
async fn file_upload_with_a_trailing_crc32() {
    let s3 = with_bucket("crc-trailer").await;
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let path = std::env::temp_dir().join(format!("botogen-moto-{}", std::process::id()));
    std::fs::write(&path, &data).unwrap();
    let result = s3
        .put_object(PutObjectRequest {
            body: Some(ByteStream::from_path(&path).unwrap()),
            ..PutObjectRequest::new("crc-trailer", "big.bin")
        })
        .await;
    let _ = std::fs::remove_file(&path);
    result.expect("PutObject");
    let (crc32, _, body) = get(&s3, "crc-trailer", "big.bin").await;
    let expected = ChecksumAlgorithm::Crc32.checksum_of(&data).unwrap();
    assert_eq!(crc32.as_deref(), Some(expected.as_str()));
    assert_eq!(body, data);
}

#[tokio::test]
async fn chosen_sha256_upload_then_validated_download() {
    let s3 = with_bucket("sha-chosen").await;
    s3.put_object(PutObjectRequest {
        body: Some(ByteStream::from_static(b"abc")),
        checksum_algorithm: Some(ModelAlgorithm::Sha256),
        ..PutObjectRequest::new("sha-chosen", "abc")
    })
    .await
    .expect("PutObject");
    let (crc32, sha256, body) = get(&s3, "sha-chosen", "abc").await;
    assert_eq!(crc32, None);
    assert_eq!(
        sha256.as_deref(),
        Some("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    );
    assert_eq!(body, b"abc");
}

/// Forwards connections to `upstream`, flipping the first body byte of
/// every response (responses must carry `Content-Length`).
async fn corrupting_proxy(upstream: u16) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((downstream, _)) = listener.accept().await {
            let Ok(up) = TcpStream::connect(("127.0.0.1", upstream)).await else {
                continue;
            };
            let (mut down_read, mut down_write) = downstream.into_split();
            let (up_read, mut up_write) = up.into_split();
            tokio::spawn(async move {
                let _ = tokio::io::copy(&mut down_read, &mut up_write).await;
            });
            tokio::spawn(async move {
                let mut up_read = BufReader::new(up_read);
                loop {
                    let mut head = Vec::new();
                    let mut length = 0usize;
                    loop {
                        let mut line = String::new();
                        match up_read.read_line(&mut line).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        head.extend_from_slice(line.as_bytes());
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; length];
                    if up_read.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    if let Some(b) = body.first_mut() {
                        *b ^= 0x20;
                    }
                    head.extend_from_slice(&body);
                    if down_write.write_all(&head).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_download_corrupted_in_transit_fails_its_stream() {
    let s3 = with_bucket("crc-corrupt").await;
    s3.put_object(PutObjectRequest {
        body: Some(ByteStream::from_static(b"hello, checksums")),
        ..PutObjectRequest::new("crc-corrupt", "k")
    })
    .await
    .expect("PutObject");
    let port = moto::moto()
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let through_proxy = client(&corrupting_proxy(port).await);
    let out = through_proxy
        .get_object(GetObjectRequest::new("crc-corrupt", "k"))
        .await
        .expect("the headers arrive intact");
    let e = out.body.unwrap().collect().await.unwrap_err();
    let mut chain: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    let mismatch = std::iter::from_fn(|| {
        let e = chain?;
        chain = e.source();
        Some(e)
    })
    .find_map(|c| c.downcast_ref::<ChecksumMismatch>())
    .unwrap_or_else(|| panic!("no ChecksumMismatch in {e}"));
    assert_eq!(mismatch.algorithm, ChecksumAlgorithm::Crc32);
    assert_eq!(
        mismatch.expected,
        ChecksumAlgorithm::Crc32
            .checksum_of(b"hello, checksums")
            .unwrap()
    );
    assert_eq!(
        mismatch.actual,
        ChecksumAlgorithm::Crc32
            .checksum_of(b"Hello, checksums")
            .unwrap()
    );
}

/// A plain HTTP/1.1 exchange (no SDK, no signing): status and body.
async fn plain_http(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (authority, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(authority).await.expect("connect");
    let mut request = format!(
        "{method} {target} HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, response[split + 4..].to_vec())
}

#[tokio::test]
async fn presigned_put_and_get_through_a_plain_http_client() {
    let s3 = with_bucket("presigned").await;
    let week = PresigningConfig::expires_in(Duration::from_secs(3600));
    let put_input = PutObjectRequest::new("presigned", "shared/file.txt");
    let put = s3
        .inner()
        .presign(&operations::PUT_OBJECT, &put_input, week)
        .await
        .expect("presign PUT");
    assert_eq!(put.method, "PUT");
    assert!(
        put.url
            .starts_with(&format!("{}/presigned/shared/file.txt?", moto::moto().url)),
        "{}",
        put.url
    );
    assert!(put.url.contains("X-Amz-Signature="), "{}", put.url);
    let (status, _) = plain_http("PUT", &put.url, &put.headers, b"uploaded without an SDK").await;
    assert_eq!(status, 200);

    // The SDK sees what the plain client uploaded...
    let (_, _, body) = get(&s3, "presigned", "shared/file.txt").await;
    assert_eq!(body, b"uploaded without an SDK");

    // ...and a presigned GET hands it to the plain client.
    let get_input = GetObjectRequest::new("presigned", "shared/file.txt");
    let get = s3
        .inner()
        .presign(&operations::GET_OBJECT, &get_input, week)
        .await
        .expect("presign GET");
    assert_eq!(get.method, "GET");
    let (status, body) = plain_http("GET", &get.url, &get.headers, b"").await;
    assert_eq!(status, 200);
    assert_eq!(body, b"uploaded without an SDK");
}
