//! Presigned requests: AWS's published example (the S3 SigV4 docs'
//! "Authenticating Requests: Using Query Parameters" — GET
//! `examplebucket/test.txt` signed by `AKIAIOSFODNN7EXAMPLE` at
//! 20130524T000000Z for 86400 s, whose signature the docs print), the
//! session token and signed headers, and the errors; moto's tests are in
//! `s3_moto.rs`.

use botogen_runtime::client::presign::{PresignedRequest, PresigningConfig};
use botogen_runtime::schema::Operation;
use botogen_runtime::value::Struct;
use botogen_s3::operations;
use botogen_s3::types::{GetObjectRequest, PutObjectRequest};
use botogen_s3::{Client, Config};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// 2013-05-24T00:00:00Z.
fn example_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_369_353_600)
}

fn client(token: Option<&str>) -> Client {
    Client::new(Config::new().region("us-east-1").credentials(
        "AKIAIOSFODNN7EXAMPLE",
        SECRET,
        token.map(str::to_owned),
    ))
}

async fn presign(
    client: &Client,
    op: &'static Operation,
    input: &(dyn Struct + Sync),
    expires: u64,
) -> PresignedRequest {
    client
        .inner()
        .presign(
            op,
            input,
            PresigningConfig::expires_in(Duration::from_secs(expires)).start_time(example_time()),
        )
        .await
        .expect("presign")
}

#[tokio::test]
async fn the_aws_documented_presigned_url() {
    let input = GetObjectRequest::new("examplebucket", "test.txt");
    let p = presign(&client(None), &operations::GET_OBJECT, &input, 86400).await;
    assert_eq!(p.method, "GET");
    assert_eq!(
        p.url,
        "https://examplebucket.s3.amazonaws.com/test.txt\
         ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
         &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert!(p.headers.is_empty(), "{:?}", p.headers);
    assert!(p.body.is_empty());
    assert_eq!(p.expires_at, example_time() + Duration::from_secs(86400));
}

#[tokio::test]
async fn temporary_credentials_and_signed_headers() {
    let input = PutObjectRequest {
        content_type: Some("text/plain".into()),
        ..PutObjectRequest::new("examplebucket", "dir/a b.txt")
    };
    let p = presign(
        &client(Some("TOKEN+/=")),
        &operations::PUT_OBJECT,
        &input,
        60,
    )
    .await;
    assert_eq!(p.method, "PUT");
    assert!(
        p.url
            .starts_with("https://examplebucket.s3.amazonaws.com/dir/a%20b.txt?X-Amz-Algorithm="),
        "{}",
        p.url
    );
    assert!(p.url.contains("&X-Amz-Expires=60&"), "{}", p.url);
    assert!(
        p.url.contains("X-Amz-Security-Token=TOKEN%2B%2F%3D"),
        "{}",
        p.url
    );
    assert!(
        p.url.contains("X-Amz-SignedHeaders=content-type%3Bhost&"),
        "{}",
        p.url
    );
    // No default checksum, no SDK headers: only what the caller set.
    let headers: Vec<_> = p
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str()))
        .collect();
    assert_eq!(headers, [("content-type".to_owned(), "text/plain")]);
    // Without a content type, a body-less PutObject signs only the host.
    let bare = PutObjectRequest::new("examplebucket", "k");
    let p = presign(&client(None), &operations::PUT_OBJECT, &bare, 60).await;
    assert!(p.headers.is_empty(), "{:?}", p.headers);
    assert!(p.url.contains("X-Amz-SignedHeaders=host&"), "{}", p.url);
}

#[tokio::test]
async fn presigning_rejects_what_sigv4_cannot_do() {
    let input = GetObjectRequest::new("examplebucket", "test.txt");
    let c = client(None);
    let long = c
        .inner()
        .presign(
            &operations::GET_OBJECT,
            &input,
            PresigningConfig::expires_in(Duration::from_secs(604_801)),
        )
        .await
        .unwrap_err();
    assert!(long.to_string().contains("7 days"), "{long}");
    let wrong = c
        .inner()
        .presign(
            &operations::PUT_OBJECT,
            &input,
            PresigningConfig::expires_in(Duration::from_secs(60)),
        )
        .await
        .unwrap_err();
    assert!(
        wrong
            .to_string()
            .contains("not the operation's PutObjectRequest"),
        "{wrong}"
    );
    let anonymous = Client::new(Config::new().region("us-east-1").anonymous());
    let e = anonymous
        .inner()
        .presign(
            &operations::GET_OBJECT,
            &input,
            PresigningConfig::expires_in(Duration::from_secs(60)),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("needs credentials"), "{e}");
}

#[tokio::test]
async fn query_protocol_parameters_move_into_the_url() {
    let sts = botogen_sts::Client::new(Config::new().region("us-east-1").credentials(
        "AKIAIOSFODNN7EXAMPLE",
        SECRET,
        None,
    ));
    let input = botogen_sts::types::GetCallerIdentityRequest::default();
    let p = sts
        .inner()
        .presign(
            &botogen_sts::operations::GET_CALLER_IDENTITY,
            &input,
            PresigningConfig::expires_in(Duration::from_secs(900)).start_time(example_time()),
        )
        .await
        .expect("presign");
    assert_eq!(p.method, "POST");
    assert!(
        p.url.starts_with(
            "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm="
        ),
        "{}",
        p.url
    );
    assert!(p.body.is_empty());
    assert!(p.headers.is_empty(), "{:?}", p.headers);
}
