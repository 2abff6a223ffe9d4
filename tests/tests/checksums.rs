//! Flexible checksums through the generated S3 client against the
//! runtime's local fake server: the default CRC32 (header for bytes,
//! `aws-chunked` trailer for a file), an algorithm the caller picks, a
//! checksum the caller computed, the `when_required` setting, and response
//! validation (the `ChecksumMode` header, a good body, a corrupted one
//! failing the stream at its end).

use botogen_runtime::client::checksums::{ChecksumAlgorithm, ChecksumMismatch, ChecksumWhen};
use botogen_runtime::test_util::{FakeResponse, FakeServer, RecordedRequest};
use botogen_s3::types::{
    ChecksumAlgorithm as ModelAlgorithm, ChecksumMode, Delete, DeleteObjectsRequest,
    GetObjectRequest, ObjectIdentifier, PutObjectRequest,
};
use botogen_s3::{ByteStream, Client, Config, S3Api, SdkError};

const BODY: &[u8] = b"Hello world";
/// CRC32 of "Hello world" (also in aws-sdk-rust's checksum tests).
const CRC32: &str = "i9aeUg==";

fn client(server: &FakeServer, config: Config) -> Client {
    Client::new(
        config
            .region("us-east-1")
            .endpoint_url(server.url())
            .credentials("AKIDEXAMPLE", "SECRET", None)
            .max_attempts(1),
    )
}

fn put(body: ByteStream) -> PutObjectRequest {
    PutObjectRequest {
        body: Some(body),
        ..PutObjectRequest::new("bucket", "key")
    }
}

async fn sent_put(config: Config, input: PutObjectRequest) -> RecordedRequest {
    let server = FakeServer::start(FakeResponse::new(200)).await.unwrap();
    client(&server, config)
        .put_object(input)
        .await
        .expect("PutObject");
    server.requests().remove(0)
}

#[tokio::test]
async fn uploads_carry_a_crc32_header_by_default() {
    let r = sent_put(Config::new(), put(ByteStream::from_static(BODY))).await;
    assert_eq!(r.header("x-amz-checksum-crc32"), Some(CRC32));
    assert_eq!(r.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    assert_eq!(r.header("content-md5"), None);
    assert_eq!(r.body, BODY);
    // The checksum header is signed with the rest.
    let auth = r.header("authorization").unwrap();
    assert!(auth.contains("x-amz-checksum-crc32"), "{auth}");
}

#[tokio::test]
async fn the_callers_algorithm_and_the_callers_value_win() {
    let input = PutObjectRequest {
        checksum_algorithm: Some(ModelAlgorithm::Sha256),
        ..put(ByteStream::from_static(b"abc"))
    };
    let r = sent_put(Config::new(), input).await;
    assert_eq!(
        r.header("x-amz-checksum-sha256"),
        Some("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    );
    assert_eq!(r.header("x-amz-sdk-checksum-algorithm"), Some("SHA256"));
    assert_eq!(r.header("x-amz-checksum-crc32"), None);

    for (algorithm, expected) in [
        (ModelAlgorithm::Crc32c, "crUfeA=="),
        (ModelAlgorithm::Crc64nvme, "OOJZ0D8xKts="),
        (ModelAlgorithm::Sha1, "e1AsOh9IyGCa4hLN+2Od7jlnP14="),
    ] {
        let header = format!("x-amz-checksum-{}", algorithm.as_str().to_lowercase());
        let input = PutObjectRequest {
            checksum_algorithm: Some(algorithm),
            ..put(ByteStream::from_static(BODY))
        };
        let r = sent_put(Config::new(), input).await;
        assert_eq!(r.header(&header), Some(expected), "{header}");
    }

    // A value the caller computed is sent as it is, and nothing else.
    let input = PutObjectRequest {
        checksum_crc32: Some("AAAAAA==".into()),
        ..put(ByteStream::from_static(BODY))
    };
    let r = sent_put(Config::new(), input).await;
    assert_eq!(r.header("x-amz-checksum-crc32"), Some("AAAAAA=="));
    assert_eq!(r.header("x-amz-sdk-checksum-algorithm"), None);
}

#[tokio::test]
async fn an_algorithm_botogen_cannot_compute_fails_before_sending() {
    let server = FakeServer::start(FakeResponse::new(200)).await.unwrap();
    let e = client(&server, Config::new())
        .put_object(PutObjectRequest {
            checksum_algorithm: Some(ModelAlgorithm::Md5),
            ..put(ByteStream::from_static(BODY))
        })
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("unsupported checksum algorithm: MD5"),
        "{e}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn when_required_sends_checksums_only_where_the_model_requires_them() {
    let config = || Config::new().request_checksum_calculation(ChecksumWhen::WhenRequired);
    let r = sent_put(config(), put(ByteStream::from_static(BODY))).await;
    assert_eq!(r.header("x-amz-checksum-crc32"), None);
    assert_eq!(r.header("x-amz-sdk-checksum-algorithm"), None);

    // DeleteObjects has requestChecksumRequired: CRC32 (botocore 1.44.5
    // sends no Content-MD5 any more).
    let server = FakeServer::start(FakeResponse::new(200).body("<DeleteResult/>"))
        .await
        .unwrap();
    let delete = Delete::new(vec![ObjectIdentifier::new("a")]);
    client(&server, config())
        .delete_objects(DeleteObjectsRequest::new("bucket", delete))
        .await
        .expect("DeleteObjects");
    let r = server.requests().remove(0);
    let expected = ChecksumAlgorithm::Crc32.checksum_of(&r.body).unwrap();
    assert_eq!(r.header("x-amz-checksum-crc32"), Some(expected.as_str()));
    assert_eq!(r.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    assert_eq!(r.header("content-md5"), None);
}

#[tokio::test]
async fn an_invalid_setting_is_a_configuration_error() {
    let server = FakeServer::start(FakeResponse::new(200)).await.unwrap();
    let config = Config::new().request_checksum_calculation(ChecksumWhen::parse("sometimes"));
    let e = client(&server, config)
        .put_object(put(ByteStream::from_static(BODY)))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, botogen_s3::operations::PutObjectError::Sdk(SdkError::Config(m))
            if m.contains("request_checksum_calculation") && m.contains("sometimes")),
        "{e}"
    );
}

/// Decodes a signed `aws-chunked` body: the data and the trailer lines.
fn decode_chunked(mut body: &[u8]) -> (Vec<u8>, Vec<String>) {
    let mut data = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let line = std::str::from_utf8(&body[..end]).unwrap();
        let size = usize::from_str_radix(line.split(';').next().unwrap(), 16).unwrap();
        body = &body[end + 2..];
        if size == 0 {
            break;
        }
        data.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
    let text = std::str::from_utf8(body).unwrap();
    let trailers = text
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    (data, trailers)
}

#[tokio::test]
async fn a_file_upload_carries_its_crc32_as_a_trailer() {
    let path = std::env::temp_dir().join(format!("botogen-checksum-{}", std::process::id()));
    // More than one 64 KiB chunk.
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &content).unwrap();
    let r = sent_put(Config::new(), put(ByteStream::from_path(&path).unwrap())).await;
    let _ = std::fs::remove_file(&path);
    assert_eq!(r.header("content-encoding"), Some("aws-chunked"));
    assert_eq!(r.header("x-amz-trailer"), Some("x-amz-checksum-crc32"));
    assert_eq!(
        r.header("x-amz-content-sha256"),
        Some("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
    );
    assert_eq!(r.header("x-amz-decoded-content-length"), Some("200000"));
    assert_eq!(r.header("x-amz-checksum-crc32"), None);
    let (data, trailers) = decode_chunked(&r.body);
    assert_eq!(data, content);
    let expected = ChecksumAlgorithm::Crc32.checksum_of(&content).unwrap();
    assert_eq!(trailers[0], format!("x-amz-checksum-crc32:{expected}"));
    assert!(
        trailers[1].starts_with("x-amz-trailer-signature:"),
        "{trailers:?}"
    );
}

#[tokio::test]
async fn an_unsigned_stream_upload_gets_a_header_checksum() {
    // Trailers go on the aws-chunked bodies S3 signs; an anonymous client
    // reads a one-shot stream into memory for the header instead.
    let server = FakeServer::start(FakeResponse::new(200)).await.unwrap();
    let anonymous = Client::new(
        Config::new()
            .region("us-east-1")
            .endpoint_url(server.url())
            .anonymous()
            .max_attempts(1),
    );
    let reader = std::io::Cursor::new(BODY.to_vec());
    anonymous
        .put_object(put(ByteStream::from_reader(reader, BODY.len() as u64)))
        .await
        .expect("PutObject");
    let r = server.requests().remove(0);
    assert_eq!(r.header("x-amz-checksum-crc32"), Some(CRC32));
    assert_eq!(r.body, BODY);
}

fn object(checksum: &str, body: &[u8]) -> FakeResponse {
    FakeResponse::new(200)
        .header("x-amz-checksum-crc32", checksum)
        .body(body.to_vec())
}

#[tokio::test]
async fn downloads_are_validated_as_they_are_read() {
    let server = FakeServer::with_responses(vec![
        object(CRC32, BODY),
        object(CRC32, b"Hello World"),
        object(CRC32, b"Hello World"),
    ])
    .await
    .unwrap();
    let s3 = client(&server, Config::new());
    let good = s3
        .get_object(GetObjectRequest::new("bucket", "key"))
        .await
        .expect("GetObject");
    assert_eq!(good.checksum_crc32.as_deref(), Some(CRC32));
    let bytes = good.body.unwrap().collect().await.expect("a valid body");
    assert_eq!(&bytes[..], BODY);
    assert_eq!(
        server.requests()[0].header("x-amz-checksum-mode"),
        Some("ENABLED")
    );

    // One byte differs: the stream fails at its end.
    let bad = s3
        .get_object(GetObjectRequest::new("bucket", "key"))
        .await
        .expect("the headers are fine");
    let e = bad.body.unwrap().collect().await.unwrap_err();
    let mut chain: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    let mismatch = std::iter::from_fn(|| {
        let e = chain?;
        chain = e.source();
        Some(e)
    })
    .find_map(|c| c.downcast_ref::<ChecksumMismatch>())
    .unwrap_or_else(|| panic!("no ChecksumMismatch in {e}"));
    assert_eq!(mismatch.algorithm, ChecksumAlgorithm::Crc32);
    assert_eq!(mismatch.expected, CRC32);

    // when_required: no mode header and nothing checked, unless asked.
    let lax = client(
        &server,
        Config::new().response_checksum_validation(ChecksumWhen::WhenRequired),
    );
    let unchecked = lax
        .get_object(GetObjectRequest::new("bucket", "key"))
        .await
        .expect("GetObject");
    assert_eq!(server.requests()[2].header("x-amz-checksum-mode"), None);
    let bytes = unchecked.body.unwrap().collect().await.expect("unchecked");
    assert_eq!(&bytes[..], b"Hello World");
    let asked = lax
        .get_object(GetObjectRequest {
            checksum_mode: Some(ChecksumMode::Enabled),
            ..GetObjectRequest::new("bucket", "key")
        })
        .await
        .expect("GetObject");
    assert_eq!(
        server.requests()[3].header("x-amz-checksum-mode"),
        Some("ENABLED")
    );
    assert!(asked.body.unwrap().collect().await.is_err());
}

#[tokio::test]
async fn composite_multipart_checksums_are_not_validated() {
    let server = FakeServer::start(object("i9aeUg==-3", b"parts"))
        .await
        .unwrap();
    let out = client(&server, Config::new())
        .get_object(GetObjectRequest::new("bucket", "key"))
        .await
        .expect("GetObject");
    let bytes = out.body.unwrap().collect().await.expect("not checked");
    assert_eq!(&bytes[..], b"parts");
}
