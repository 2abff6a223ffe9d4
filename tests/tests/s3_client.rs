//! S3 (rest-xml) through the real client against local servers: the error
//! metadata of `NoSuchKey` — a shape without members, whose message only
//! the metadata keeps — from the runtime's `FakeServer` and from moto, a
//! code `GetObject` does not list (`NoSuchBucket`, held as `Unlisted`), the
//! crate-level `Error`, and the headers of bodiless and blob-payload
//! requests.

#[path = "../../config/tests/support/moto.rs"]
mod moto;

use botogen_runtime::test_util::{FakeResponse, FakeServer};
use botogen_s3::operations::GetObjectError;
use botogen_s3::types::{CreateBucketRequest, GetObjectRequest, PutObjectRequest};
use botogen_s3::{ByteStream, Client, Config, ProvideErrorMetadata, S3Api};
use std::time::Duration;

const NO_SUCH_KEY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing.txt</Key><RequestId>4442587FB7D0A2F9</RequestId><HostId>body-host-id</HostId></Error>"#;

fn config(url: &str) -> Config {
    Config::new()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials("AKIDEXAMPLE", "SECRETKEY", None)
        .max_attempts(1)
}

/// Runs a call with a deadline so a hung client fails the test instead of CI.
async fn bounded<F: std::future::Future>(call: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .expect("call finished in time")
}

#[tokio::test]
async fn no_such_key_keeps_the_services_message() {
    let server = FakeServer::start(
        FakeResponse::new(404)
            .header("content-type", "application/xml")
            .header("x-amz-request-id", "4442587FB7D0A2F9")
            .header("x-amz-id-2", "header-host-id")
            .body(NO_SUCH_KEY),
    )
    .await
    .expect("server");
    let client = Client::new(config(&server.url()));
    let err = bounded(client.get_object(GetObjectRequest::new("docs", "missing.txt")))
        .await
        .expect_err("NoSuchKey");
    // The same accessors on the operation's error, whatever the variant ...
    assert_eq!(err.code(), Some("NoSuchKey"));
    assert_eq!(err.message(), Some("The specified key does not exist."));
    assert_eq!(err.request_id(), Some("4442587FB7D0A2F9"));
    // (the header wins over the body's HostId)
    assert_eq!(err.extended_request_id(), Some("header-host-id"));
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.to_string(),
        "NoSuchKey: The specified key does not exist."
    );
    // ... on the modeled error itself ...
    let GetObjectError::NoSuchKey(no_such_key) = &err else {
        panic!("expected NoSuchKey, got {err:?}");
    };
    assert_eq!(no_such_key.meta, *err.meta());
    assert_eq!(
        no_such_key.to_string(),
        "NoSuchKey: The specified key does not exist."
    );
    // ... and on the crate-level error it converts into.
    let any = botogen_s3::Error::from(err);
    assert!(matches!(any, botogen_s3::Error::NoSuchKey(_)), "{any:?}");
    assert_eq!(any.message(), Some("The specified key does not exist."));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_bodiless_get_has_no_content_length_and_a_blob_put_is_octet_stream() {
    let server = FakeServer::start(FakeResponse::new(200).header("etag", "\"e1\""))
        .await
        .expect("server");
    let client = Client::new(config(&server.url()));
    bounded(client.get_object(GetObjectRequest::new("docs", "a.txt")))
        .await
        .expect("get");
    let put = |body: ByteStream, content_type: Option<&str>| PutObjectRequest {
        body: Some(body),
        content_type: content_type.map(str::to_owned),
        ..PutObjectRequest::new("docs", "a.txt")
    };
    bounded(client.put_object(put(ByteStream::from("hello"), None)))
        .await
        .expect("put");
    bounded(client.put_object(put(ByteStream::from("hi"), Some("text/plain"))))
        .await
        .expect("put with a content type");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let (get, put, typed) = (&requests[0], &requests[1], &requests[2]);
    assert_eq!(
        (get.method.as_str(), get.target.as_str()),
        ("GET", "/docs/a.txt")
    );
    assert_eq!(get.header("content-length"), None, "{get:?}");
    assert_eq!(get.header("transfer-encoding"), None, "{get:?}");
    assert!(get.body.is_empty());
    assert_eq!(put.method, "PUT");
    assert_eq!(put.header("content-type"), Some("application/octet-stream"));
    assert_eq!(put.header("content-length"), Some("5"));
    assert_eq!(put.body, b"hello");
    // A modeled Content-Type wins.
    assert_eq!(typed.header("content-type"), Some("text/plain"));
}

/// Against moto's S3: the real service's error documents, request ids and
/// `HostId`, parsed by the generated client.
#[tokio::test]
async fn errors_from_moto_s3() {
    let client = Client::new(config(&moto::moto().url));
    let bucket = format!("botogen-errors-{}", std::process::id());
    bounded(client.create_bucket(CreateBucketRequest::new(&bucket)))
        .await
        .expect("create bucket");
    let body = ByteStream::from("present");
    bounded(client.put_object(PutObjectRequest {
        body: Some(body),
        ..PutObjectRequest::new(&bucket, "present.txt")
    }))
    .await
    .expect("put object");

    match bounded(client.get_object(GetObjectRequest::new(&bucket, "missing.txt"))).await {
        Err(GetObjectError::NoSuchKey(e)) => {
            assert_eq!(e.code(), Some("NoSuchKey"));
            assert_eq!(e.message(), Some("The specified key does not exist."));
            assert!(e.request_id().is_some_and(|id| !id.is_empty()), "{e:?}");
            assert!(
                e.extended_request_id().is_some_and(|id| !id.is_empty()),
                "{e:?}"
            );
            assert_eq!(e.status(), Some(404));
            assert_eq!(
                e.to_string(),
                "NoSuchKey: The specified key does not exist."
            );
        }
        other => panic!("expected NoSuchKey, got {other:?}"),
    }

    // GetObject does not list NoSuchBucket; botocore (and botogen) look the
    // code up service-wide.
    let missing_bucket = format!("{bucket}-missing");
    match bounded(client.get_object(GetObjectRequest::new(&missing_bucket, "k"))).await {
        Err(GetObjectError::Unlisted(e)) => match *e {
            botogen_s3::Error::NoSuchBucket(e) => {
                assert_eq!(e.message(), Some("The specified bucket does not exist"));
                assert_eq!(e.status(), Some(404));
            }
            other => panic!("expected NoSuchBucket, got {other:?}"),
        },
        other => panic!("expected an unlisted NoSuchBucket, got {other:?}"),
    }

    // `?` into the crate-level error from different operations.
    async fn both(client: &Client, bucket: &str) -> Result<(), botogen_s3::Error> {
        client
            .put_object(PutObjectRequest::new(bucket, "k"))
            .await?;
        client
            .get_object(GetObjectRequest::new(bucket, "k"))
            .await?;
        Ok(())
    }
    let err = bounded(both(&client, &missing_bucket))
        .await
        .expect_err("no bucket");
    assert!(matches!(err, botogen_s3::Error::NoSuchBucket(_)), "{err:?}");
    assert_eq!(err.code(), Some("NoSuchBucket"));
}
