//! End-to-end tests: each generated client, built with `Client::new(config)`
//! and called through its service trait, talks to a local HTTP/1.1 responder
//! on 127.0.0.1 that records the request and answers with a canned
//! response. One or more operations per protocol: rest-json
//! (connectparticipant, lambda), json (dynamodb, sqs with
//! awsQueryCompatible), query (sts), ec2, rest-xml (s3) and
//! smithy-rpc-v2-cbor (cloudwatch with a protocol override; its default is
//! json). Each checks the request on the wire (method, path, key headers,
//! SigV4 scope, body), the parsed output, a modeled error mapped to its
//! variant with its fields and metadata, an error code the operation does
//! not list but the service models (as `Unlisted`, and through the
//! crate-level `Error`), and an unmodeled error's code, message and
//! request id.

use botogen_runtime::client::Config;
use botogen_runtime::schema::Protocol;
use botogen_runtime::{Blob, ByteStream, DateTime, ProvideErrorMetadata, SdkError};
use minicbor::data::{Tag, Token};
use serde_json::{Value as Json, json};
use std::collections::HashMap;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

// ---------------------------------------------------------------------------
// The local responder.
// ---------------------------------------------------------------------------

/// A canned HTTP response.
struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn canned(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Canned {
    Canned {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.into(),
    }
}

/// A request as the responder received it.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    /// Path and query string, as sent.
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// Query parameters, decoded, sorted (their order carries no meaning).
    fn query(&self) -> Vec<(String, String)> {
        let mut pairs = self
            .target
            .split_once('?')
            .map(|(_, q)| form_pairs(q))
            .unwrap_or_default();
        pairs.sort();
        pairs
    }

    fn json(&self) -> Json {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "request body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as `application/x-www-form-urlencoded` pairs.
    fn form(&self) -> HashMap<String, String> {
        form_pairs(&String::from_utf8_lossy(&self.body))
            .into_iter()
            .collect()
    }

    /// Checks a SigV4 `Authorization` header for these keys, region and service.
    #[track_caller]
    fn assert_sigv4(&self, region: &str, service: &str) {
        let auth = self.header("authorization").expect("Authorization header");
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
            "{auth}"
        );
        assert!(
            auth.contains(&format!("/{region}/{service}/aws4_request")),
            "{auth}"
        );
        assert!(auth.contains("SignedHeaders="), "{auth}");
        assert!(auth.contains("host"), "{auth}");
        assert!(auth.contains("Signature="), "{auth}");
        assert!(self.header("x-amz-date").is_some(), "x-amz-date");
        assert_eq!(self.header("x-amz-security-token"), Some("SESSIONTOKEN"));
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn form_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Starts a responder answering `replies` in order, one per connection,
/// then stops; it also gives up after ten seconds. The handle yields the
/// recorded requests.
async fn serve(replies: Vec<Canned>) -> (String, JoinHandle<Vec<Recorded>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let handle = tokio::spawn(async move {
        let mut recorded = Vec::new();
        let work = async {
            for reply in replies {
                let Ok((mut socket, _)) = listener.accept().await else {
                    break;
                };
                let Some(request) = read_request(&mut socket).await else {
                    continue;
                };
                recorded.push(request);
                let mut head = format!(
                    "HTTP/1.1 {} Canned\r\ncontent-length: {}\r\nconnection: close\r\n",
                    reply.status,
                    reply.body.len()
                );
                for (k, v) in &reply.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let mut bytes = head.into_bytes();
                bytes.extend_from_slice(&reply.body);
                let _ = socket.write_all(&bytes).await;
                let _ = socket.shutdown().await;
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(10), work).await;
        recorded
    });
    (url, handle)
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end]).ok()?;
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_owned();
    let target = start.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}

/// Settings every test uses: the responder's URL, fixed keys, one attempt.
fn config(url: &str) -> Config {
    Config::new()
        .region("us-west-2")
        .endpoint_url(url)
        .credentials("AKIDEXAMPLE", "SECRETKEY", Some("SESSIONTOKEN".into()))
        .max_attempts(1)
}

/// Runs a call with a deadline so a hung client fails the test instead of CI.
async fn bounded<F: std::future::Future>(call: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("call finished in time")
}

async fn recorded(handle: JoinHandle<Vec<Recorded>>) -> Vec<Recorded> {
    handle.await.expect("responder task")
}

/// Checks an error's metadata (the same accessors for every kind of error).
#[track_caller]
fn assert_meta<E: ProvideErrorMetadata + std::fmt::Debug + ?Sized>(
    e: &E,
    code: &str,
    message: &str,
    request_id: &str,
    status: u16,
) {
    assert_eq!(e.code(), Some(code), "{e:?}");
    assert_eq!(e.message(), Some(message), "{e:?}");
    assert_eq!(e.request_id(), Some(request_id), "{e:?}");
    assert_eq!(e.status(), Some(status), "{e:?}");
}

#[track_caller]
fn assert_unmodeled(
    e: &botogen_runtime::UnmodeledError,
    code: &str,
    message: &str,
    request_id: &str,
    status: u16,
) {
    assert_meta(e, code, message, request_id, status);
}

// ---------------------------------------------------------------------------
// rest-json: connectparticipant
// ---------------------------------------------------------------------------

mod rest_json_connectparticipant {
    use super::*;
    use botogen_connectparticipant::operations::SendMessageError;
    use botogen_connectparticipant::types::SendMessageRequest;
    use botogen_connectparticipant::{Client, ConnectParticipantApi};

    fn input() -> SendMessageRequest {
        SendMessageRequest {
            client_token: Some("token-1".into()),
            connection_token: "conn-token".into(),
            content: "Hello, \"agent\" ✓".into(),
            content_type: "text/plain".into(),
        }
    }

    #[tokio::test]
    async fn send_message() {
        let (url, server) = serve(vec![canned(
            200,
            &[
                ("content-type", "application/json"),
                ("x-amzn-requestid", "REQ-CP"),
            ],
            r#"{"Id":"msg-1","AbsoluteTime":"2024-01-02T03:04:05.000Z"}"#,
        )])
        .await;
        let client = Client::new(config(&url));
        let output = bounded(client.send_message(input()))
            .await
            .expect("success");
        assert_eq!(output.id.as_deref(), Some("msg-1"));
        assert_eq!(
            output.absolute_time.as_deref(),
            Some("2024-01-02T03:04:05.000Z")
        );

        let requests = recorded(server).await;
        assert_eq!(requests.len(), 1);
        let r = &requests[0];
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/participant/message");
        assert_eq!(r.header("x-amz-bearer"), Some("conn-token"));
        assert!(
            r.header("content-type")
                .is_some_and(|v| v.starts_with("application/json")),
            "{:?}",
            r.header("content-type")
        );
        r.assert_sigv4("us-west-2", "execute-api");
        // The header-bound member is not repeated in the body.
        assert_eq!(
            r.json(),
            json!({"ContentType": "text/plain", "Content": "Hello, \"agent\" ✓", "ClientToken": "token-1"})
        );
    }

    #[tokio::test]
    async fn idempotency_token_is_filled() {
        let (url, server) = serve(vec![canned(200, &[], "{}")]).await;
        let client = Client::new(config(&url));
        let input = SendMessageRequest {
            client_token: None,
            ..input()
        };
        bounded(client.send_message(input)).await.expect("success");
        let requests = recorded(server).await;
        let body = requests[0].json();
        let token = body["ClientToken"].as_str().unwrap_or_default();
        assert_eq!(token.len(), 36, "a UUID: {body}");
        assert_eq!(token.matches('-').count(), 4, "{token}");
    }

    #[tokio::test]
    async fn errors() {
        let (url, server) = serve(vec![
            canned(
                403,
                &[
                    ("x-amzn-errortype", "AccessDeniedException"),
                    ("x-amzn-requestid", "REQ-CP-403"),
                    ("content-type", "application/json"),
                ],
                r#"{"Message":"You do not have access"}"#,
            ),
            canned(
                403,
                &[
                    ("x-amzn-errortype", "AccessDeniedException"),
                    ("x-amzn-requestid", "REQ-CP-403b"),
                ],
                r#"{"message":"lower-case key"}"#,
            ),
            canned(
                400,
                &[("x-amzn-requestid", "REQ-CP-400")],
                r#"{"__type":"com.amazonaws.connectparticipant#ChatEndedException","message":"The chat has ended"}"#,
            ),
            canned(
                404,
                &[
                    ("x-amzn-errortype", "ResourceNotFoundException"),
                    ("x-amzn-requestid", "REQ-CP-404"),
                ],
                r#"{"Message":"No such contact","ResourceId":"c-1","ResourceType":"CONTACT"}"#,
            ),
        ])
        .await;
        let client = Client::new(config(&url));
        match bounded(client.send_message(input())).await {
            Err(SendMessageError::AccessDeniedException(e)) => {
                assert_eq!(e.message, "You do not have access");
                assert_meta(
                    &e,
                    "AccessDeniedException",
                    "You do not have access",
                    "REQ-CP-403",
                    403,
                );
            }
            other => panic!("expected AccessDeniedException, got {other:?}"),
        }
        // The member is `Message`; services also send `message`. As the
        // official SDKs do, the envelope's message fills an unset message member.
        match bounded(client.send_message(input())).await {
            Err(SendMessageError::AccessDeniedException(e)) => {
                assert_eq!(e.message, "lower-case key");
            }
            other => panic!("expected AccessDeniedException, got {other:?}"),
        }
        match bounded(client.send_message(input())).await {
            Err(SendMessageError::Unmodeled(e)) => {
                assert_unmodeled(
                    &e,
                    "ChatEndedException",
                    "The chat has ended",
                    "REQ-CP-400",
                    400,
                );
            }
            other => panic!("expected an unmodeled error, got {other:?}"),
        }
        // SendMessage does not list ResourceNotFoundException; the service does.
        let err = bounded(client.send_message(input())).await.unwrap_err();
        assert_meta(
            &err,
            "ResourceNotFoundException",
            "No such contact",
            "REQ-CP-404",
            404,
        );
        match botogen_connectparticipant::Error::from(err) {
            botogen_connectparticipant::Error::ResourceNotFoundException(e) => {
                assert_eq!(e.resource_id.as_deref(), Some("c-1"));
                assert_eq!(e.message.as_deref(), Some("No such contact"));
                assert_eq!(e.to_string(), "ResourceNotFoundException: No such contact");
            }
            other => panic!("expected ResourceNotFoundException, got {other:?}"),
        }
        assert_eq!(recorded(server).await.len(), 4);
    }

    #[tokio::test]
    async fn default_validation_rejects_nothing_but_required() {
        // ValidationPolicy::Required (the default) lets a too-long content
        // type through to the service; Full stops it before sending.
        let (url, server) = serve(vec![canned(200, &[], "{}")]).await;
        let mut long = input();
        long.content_type = "x".repeat(101);
        let client = Client::new(config(&url));
        bounded(client.send_message(long.clone()))
            .await
            .expect("sent despite the length");
        let strict =
            Client::new(config(&url).validation(botogen_runtime::client::ValidationPolicy::Full));
        match bounded(strict.send_message(long)).await {
            Err(SendMessageError::Sdk(SdkError::Validation(errors))) => {
                assert_eq!(errors.violations.len(), 1, "{errors:?}");
                assert_eq!(errors.violations[0].path, "ContentType");
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
        assert_eq!(
            recorded(server).await.len(),
            1,
            "the strict call sent nothing"
        );
    }
}

// ---------------------------------------------------------------------------
// rest-json: lambda (URI label, query string, headers, blob payload, status code)
// ---------------------------------------------------------------------------

mod rest_json_lambda {
    use super::*;
    use botogen_lambda::operations::InvokeError;
    use botogen_lambda::types::{InvocationRequest, InvocationType, LogType};
    use botogen_lambda::{Client, LambdaApi};

    fn input() -> InvocationRequest {
        InvocationRequest {
            qualifier: Some("prod".into()),
            invocation_type: Some(InvocationType::RequestResponse),
            log_type: Some(LogType::Tail),
            payload: Some(Blob::from(r#"{"hello":"world"}"#)),
            ..InvocationRequest::new("my-function")
        }
    }

    #[tokio::test]
    async fn invoke() {
        let (url, server) = serve(vec![canned(
            200,
            &[
                ("content-type", "application/json"),
                ("x-amz-executed-version", "7"),
                ("x-amz-function-error", "Unhandled"),
                ("x-amz-log-result", "bG9nIGxpbmU="),
                ("x-amzn-requestid", "REQ-L"),
            ],
            r#"{"errorMessage":"boom"}"#,
        )])
        .await;
        let client = Client::new(config(&url));
        let output = bounded(client.invoke(input())).await.expect("success");
        assert_eq!(output.status_code, Some(200));
        assert_eq!(output.executed_version.as_deref(), Some("7"));
        assert_eq!(output.function_error.as_deref(), Some("Unhandled"));
        assert_eq!(output.log_result.as_deref(), Some("bG9nIGxpbmU="));
        assert_eq!(
            output.payload.as_ref().map(|b| b.as_ref()),
            Some(&br#"{"errorMessage":"boom"}"#[..])
        );

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!(r.method, "POST");
        assert_eq!(r.path(), "/2015-03-31/functions/my-function/invocations");
        assert_eq!(r.query(), vec![("Qualifier".to_owned(), "prod".to_owned())]);
        assert_eq!(r.header("x-amz-invocation-type"), Some("RequestResponse"));
        assert_eq!(r.header("x-amz-log-type"), Some("Tail"));
        r.assert_sigv4("us-west-2", "lambda");
        // The blob payload is the whole body, unencoded.
        assert_eq!(r.body, br#"{"hello":"world"}"#);
    }

    #[tokio::test]
    async fn errors() {
        let (url, server) = serve(vec![
            canned(
                404,
                &[
                    (
                        "x-amzn-errortype",
                        "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/",
                    ),
                    ("x-amzn-requestid", "REQ-L-404"),
                ],
                r#"{"Type":"User","Message":"Function not found: my-function"}"#,
            ),
            canned(
                403,
                &[
                    ("x-amzn-errortype", "UnrecognizedClientException"),
                    ("x-amzn-requestid", "REQ-L-403"),
                ],
                r#"{"message":"The security token included in the request is invalid."}"#,
            ),
        ])
        .await;
        let client = Client::new(config(&url));
        match bounded(client.invoke(input())).await {
            Err(InvokeError::ResourceNotFoundException(e)) => {
                assert_eq!(e.r#type.as_deref(), Some("User"));
                assert_eq!(
                    e.message.as_deref(),
                    Some("Function not found: my-function")
                );
                // The code without its `:` suffix, as callers match on it.
                assert_meta(
                    &e,
                    "ResourceNotFoundException",
                    "Function not found: my-function",
                    "REQ-L-404",
                    404,
                );
            }
            other => panic!("expected ResourceNotFoundException, got {other:?}"),
        }
        match bounded(client.invoke(input())).await {
            Err(InvokeError::Unmodeled(e)) => assert_unmodeled(
                &e,
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
                "REQ-L-403",
                403,
            ),
            other => panic!("expected an unmodeled error, got {other:?}"),
        }
        recorded(server).await;
    }
}

// ---------------------------------------------------------------------------
// json: dynamodb
// ---------------------------------------------------------------------------

mod json_dynamodb {
    use super::*;
    use botogen_dynamodb::operations::GetItemError;
    use botogen_dynamodb::types::{AttributeValue, GetItemInput};
    use botogen_dynamodb::{Client, DynamoDbApi};

    fn s(v: &str) -> AttributeValue {
        AttributeValue {
            s: Some(v.to_owned()),
            ..Default::default()
        }
    }

    fn input() -> GetItemInput {
        GetItemInput {
            consistent_read: Some(true),
            projection_expression: Some("#a, Cover".into()),
            expression_attribute_names: Some(HashMap::from([(
                "#a".to_owned(),
                "Artist".to_owned(),
            )])),
            ..GetItemInput::new(
                "Music",
                HashMap::from([("Artist".to_owned(), s("No One You Know"))]),
            )
        }
    }

    #[tokio::test]
    async fn get_item() {
        let (url, server) = serve(vec![canned(
            200,
            &[
                ("content-type", "application/x-amz-json-1.0"),
                ("x-amzn-requestid", "REQ-DDB"),
            ],
            r#"{"Item":{"Artist":{"S":"No One You Know"},"Year":{"N":"2024"},"Tags":{"SS":["a","b"]},"Cover":{"B":"aGVsbG8="},"Gone":{"NULL":true},"Nested":{"M":{"Inner":{"L":[{"BOOL":false}]}}}},"ConsumedCapacity":{"TableName":"Music","CapacityUnits":0.5}}"#,
        )])
        .await;
        let client = Client::new(config(&url));
        let output = bounded(client.get_item(input())).await.expect("success");
        let item = output.item.expect("item");
        assert_eq!(item["Artist"].s.as_deref(), Some("No One You Know"));
        assert_eq!(item["Year"].n.as_deref(), Some("2024"));
        assert_eq!(
            item["Tags"].ss.as_deref(),
            Some(&["a".to_owned(), "b".to_owned()][..])
        );
        assert_eq!(
            item["Cover"].b.as_ref().map(|b| b.as_ref()),
            Some(&b"hello"[..])
        );
        assert_eq!(item["Gone"].null, Some(true));
        let inner = item["Nested"]
            .m
            .as_ref()
            .and_then(|m| m.get("Inner"))
            .and_then(|v| v.l.as_ref())
            .expect("nested list");
        assert_eq!(inner[0].bool, Some(false));
        let capacity = output.consumed_capacity.expect("capacity");
        assert_eq!(capacity.table_name.as_deref(), Some("Music"));
        assert_eq!(capacity.capacity_units, Some(0.5));

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/");
        assert_eq!(r.header("x-amz-target"), Some("DynamoDB_20120810.GetItem"));
        assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
        r.assert_sigv4("us-west-2", "dynamodb");
        assert_eq!(
            r.json(),
            json!({
                "TableName": "Music",
                "Key": {"Artist": {"S": "No One You Know"}},
                "ConsistentRead": true,
                "ProjectionExpression": "#a, Cover",
                "ExpressionAttributeNames": {"#a": "Artist"}
            })
        );
    }

    #[tokio::test]
    async fn errors() {
        let (url, server) = serve(vec![
            canned(
                400,
                &[
                    ("content-type", "application/x-amz-json-1.0"),
                    ("x-amzn-requestid", "REQ-DDB-404"),
                ],
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#,
            ),
            canned(
                400,
                &[("x-amzn-requestid", "REQ-DDB-400")],
                r#"{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected"}"#,
            ),
            canned(
                400,
                &[("x-amzn-requestid", "REQ-DDB-CCF")],
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"Artist":{"S":"x"}}}"#,
            ),
        ])
        .await;
        let client = Client::new(config(&url));
        match bounded(client.get_item(input())).await {
            Err(GetItemError::ResourceNotFoundException(e)) => {
                assert_eq!(e.message.as_deref(), Some("Requested resource not found"));
                assert_meta(
                    &e,
                    "ResourceNotFoundException",
                    "Requested resource not found",
                    "REQ-DDB-404",
                    400,
                );
            }
            other => panic!("expected ResourceNotFoundException, got {other:?}"),
        }
        match bounded(client.get_item(input())).await {
            Err(GetItemError::Unmodeled(e)) => assert_unmodeled(
                &e,
                "ValidationException",
                "1 validation error detected",
                "REQ-DDB-400",
                400,
            ),
            other => panic!("expected an unmodeled error, got {other:?}"),
        }
        // GetItem does not list ConditionalCheckFailedException; the service does.
        match bounded(client.get_item(input())).await {
            Err(GetItemError::Unlisted(e)) => match *e {
                botogen_dynamodb::Error::ConditionalCheckFailedException(e) => {
                    assert!(e.item.as_ref().is_some_and(|i| i.contains_key("Artist")));
                    assert_meta(
                        &e,
                        "ConditionalCheckFailedException",
                        "The conditional request failed",
                        "REQ-DDB-CCF",
                        400,
                    );
                }
                other => panic!("expected ConditionalCheckFailedException, got {other:?}"),
            },
            other => panic!("expected an unlisted error, got {other:?}"),
        }
        recorded(server).await;
    }
}

// ---------------------------------------------------------------------------
// json with awsQueryCompatible: sqs
// ---------------------------------------------------------------------------

mod json_sqs {
    use super::*;
    use botogen_sqs::operations::SendMessageError;
    use botogen_sqs::types::{MessageAttributeValue, SendMessageRequest};
    use botogen_sqs::{Client, SqsApi};

    const QUEUE: &str = "https://sqs.us-west-2.amazonaws.com/123456789012/demo";

    fn input() -> SendMessageRequest {
        SendMessageRequest {
            delay_seconds: Some(5),
            message_attributes: Some(HashMap::from([(
                "colour".to_owned(),
                MessageAttributeValue {
                    string_value: Some("blue".into()),
                    ..MessageAttributeValue::new("String")
                },
            )])),
            ..SendMessageRequest::new(QUEUE, "hello")
        }
    }

    #[tokio::test]
    async fn send_message() {
        let (url, server) = serve(vec![canned(
            200,
            &[("content-type", "application/x-amz-json-1.0")],
            r#"{"MessageId":"5fea7756-0ea4-451a-a703-a558b933e274","MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592"}"#,
        )])
        .await;
        let client = Client::new(config(&url));
        let output = bounded(client.send_message(input()))
            .await
            .expect("success");
        assert_eq!(
            output.message_id.as_deref(),
            Some("5fea7756-0ea4-451a-a703-a558b933e274")
        );
        assert_eq!(
            output.md5_of_message_body.as_deref(),
            Some("5d41402abc4b2a76b9719d911017c592")
        );

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/"));
        assert_eq!(r.header("x-amz-target"), Some("AmazonSQS.SendMessage"));
        assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
        assert_eq!(r.header("x-amzn-query-mode"), Some("true"));
        r.assert_sigv4("us-west-2", "sqs");
        assert_eq!(
            r.json(),
            json!({
                "QueueUrl": QUEUE,
                "MessageBody": "hello",
                "DelaySeconds": 5,
                "MessageAttributes": {"colour": {"DataType": "String", "StringValue": "blue"}}
            })
        );
    }

    #[tokio::test]
    async fn query_compatible_errors() {
        let (url, server) = serve(vec![
            canned(
                400,
                &[
                    (
                        "x-amzn-query-error",
                        "AWS.SimpleQueueService.NonExistentQueue;Sender",
                    ),
                    ("x-amzn-requestid", "REQ-SQS-1"),
                ],
                r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#,
            ),
            canned(
                400,
                &[
                    ("x-amzn-query-error", "InvalidParameterValue;Sender"),
                    ("x-amzn-requestid", "REQ-SQS-2"),
                ],
                r#"{"__type":"com.amazonaws.sqs#InvalidParameterValueException","message":"Value for parameter DelaySeconds is invalid."}"#,
            ),
            canned(
                400,
                &[
                    (
                        "x-amzn-query-error",
                        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct;Sender",
                    ),
                    ("x-amzn-requestid", "REQ-SQS-3"),
                ],
                r#"{"__type":"com.amazonaws.sqs#BatchEntryIdsNotDistinct","message":"Id repeated"}"#,
            ),
        ])
        .await;
        let client = Client::new(config(&url));
        match bounded(client.send_message(input())).await {
            Err(SendMessageError::QueueDoesNotExist(e)) => {
                assert_eq!(
                    e.message.as_deref(),
                    Some("The specified queue does not exist.")
                );
                assert_meta(
                    &e,
                    "AWS.SimpleQueueService.NonExistentQueue",
                    "The specified queue does not exist.",
                    "REQ-SQS-1",
                    400,
                );
            }
            other => panic!("expected QueueDoesNotExist, got {other:?}"),
        }
        // The query-era code from the header is the one callers see.
        match bounded(client.send_message(input())).await {
            Err(SendMessageError::Unmodeled(e)) => assert_unmodeled(
                &e,
                "InvalidParameterValue",
                "Value for parameter DelaySeconds is invalid.",
                "REQ-SQS-2",
                400,
            ),
            other => panic!("expected an unmodeled error, got {other:?}"),
        }
        // Not listed by SendMessage: found by its JSON type, shown with the query code.
        match bounded(client.send_message(input())).await {
            Err(SendMessageError::Unlisted(e)) => {
                assert!(
                    matches!(*e, botogen_sqs::Error::BatchEntryIdsNotDistinct(_)),
                    "{e:?}"
                );
                assert_meta(
                    &*e,
                    "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                    "Id repeated",
                    "REQ-SQS-3",
                    400,
                );
            }
            other => panic!("expected an unlisted error, got {other:?}"),
        }
        recorded(server).await;
    }
}

// ---------------------------------------------------------------------------
// query: sts
// ---------------------------------------------------------------------------

mod query_sts {
    use super::*;
    use botogen_sts::operations::AssumeRoleError;
    use botogen_sts::types::{AssumeRoleRequest, GetCallerIdentityRequest, Tag};
    use botogen_sts::{Client, StsApi};

    const ROLE: &str = "arn:aws:iam::123456789012:role/demo";

    fn input() -> AssumeRoleRequest {
        AssumeRoleRequest {
            duration_seconds: Some(3600),
            tags: Some(vec![
                Tag {
                    key: "Project".into(),
                    value: "a&b=c".into(),
                },
                Tag {
                    key: "Team".into(),
                    value: "Ops".into(),
                },
            ]),
            ..AssumeRoleRequest::new(ROLE, "session one")
        }
    }

    #[tokio::test]
    async fn assume_role() {
        let (url, server) = serve(vec![canned(
            200,
            &[("content-type", "text/xml")],
            r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>dev</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/session one</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:session one</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLE</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <SessionTokenUtilization>42</SessionTokenUtilization>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>"#,
        )])
        .await;
        let client = Client::new(config(&url));
        let output = bounded(client.assume_role(input())).await.expect("success");
        let credentials = output.credentials.expect("credentials");
        assert_eq!(credentials.access_key_id, "ASIAIOSFODNN7EXAMPLE");
        assert_eq!(
            credentials.secret_access_key,
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
        );
        assert_eq!(credentials.session_token, "AQoDYXdzEPT//////////wEXAMPLE");
        assert_eq!(credentials.expiration, DateTime::from_secs(1_573_306_481));
        let user = output.assumed_role_user.expect("user");
        assert_eq!(user.assumed_role_id, "ARO123EXAMPLE123:session one");
        assert_eq!(output.session_token_utilization, Some(42));
        assert_eq!(output.source_identity.as_deref(), Some("dev"));

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/"));
        assert!(
            r.header("content-type")
                .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded")),
            "{:?}",
            r.header("content-type")
        );
        r.assert_sigv4("us-west-2", "sts");
        let form = r.form();
        let expected: HashMap<String, String> = [
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            ("RoleArn", ROLE),
            ("RoleSessionName", "session one"),
            ("DurationSeconds", "3600"),
            ("Tags.member.1.Key", "Project"),
            ("Tags.member.1.Value", "a&b=c"),
            ("Tags.member.2.Key", "Team"),
            ("Tags.member.2.Value", "Ops"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(form, expected);
    }

    #[tokio::test]
    async fn get_caller_identity() {
        let (url, server) = serve(vec![canned(
            200,
            &[],
            r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/Alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#,
        )])
        .await;
        let client = Client::new(config(&url));
        let output = bounded(client.get_caller_identity(GetCallerIdentityRequest::default()))
            .await
            .expect("success");
        assert_eq!(output.account.as_deref(), Some("123456789012"));
        assert_eq!(output.user_id.as_deref(), Some("AIDAEXAMPLE"));
        assert_eq!(
            output.arn.as_deref(),
            Some("arn:aws:iam::123456789012:user/Alice")
        );
        let requests = recorded(server).await;
        let form = requests[0].form();
        assert_eq!(
            form.get("Action").map(String::as_str),
            Some("GetCallerIdentity")
        );
        assert_eq!(form.get("Version").map(String::as_str), Some("2011-06-15"));
        assert_eq!(form.len(), 2, "{form:?}");
    }

    #[tokio::test]
    async fn errors() {
        let (url, server) = serve(vec![
            canned(
                400,
                &[("content-type", "text/xml")],
                r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>MalformedPolicyDocument</Code><Message>The policy is not in the valid JSON format.</Message></Error><RequestId>REQ-STS-1</RequestId></ErrorResponse>"#,
            ),
            canned(
                403,
                &[("content-type", "text/xml")],
                r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>REQ-STS-2</RequestId></ErrorResponse>"#,
            ),
            canned(
                400,
                &[("content-type", "text/xml")],
                r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>IDPRejectedClaim</Code><Message>Claim rejected</Message></Error><RequestId>REQ-STS-3</RequestId></ErrorResponse>"#,
            ),
        ])
        .await;
        let client = Client::new(config(&url));
        match bounded(client.assume_role(input())).await {
            Err(AssumeRoleError::MalformedPolicyDocumentException(e)) => {
                // STS sends <Message>; the member is `message`. The official
                // SDKs fill an unset message member from the error envelope.
                assert_eq!(
                    e.message.as_deref(),
                    Some("The policy is not in the valid JSON format.")
                );
                // The awsQueryError code, not the shape name.
                assert_meta(
                    &e,
                    "MalformedPolicyDocument",
                    "The policy is not in the valid JSON format.",
                    "REQ-STS-1",
                    400,
                );
            }
            other => panic!("expected MalformedPolicyDocumentException, got {other:?}"),
        }
        match bounded(client.assume_role(input())).await {
            Err(AssumeRoleError::Unmodeled(e)) => assert_unmodeled(
                &e,
                "AccessDenied",
                "User is not authorized to perform: sts:AssumeRole",
                "REQ-STS-2",
                403,
            ),
            other => panic!("expected an unmodeled error, got {other:?}"),
        }
        // AssumeRole does not list IDPRejectedClaim (AssumeRoleWithWebIdentity does).
        match bounded(client.assume_role(input())).await {
            Err(AssumeRoleError::Unlisted(e)) => match *e {
                botogen_sts::Error::IdpRejectedClaimException(e) => {
                    assert_eq!(e.message.as_deref(), Some("Claim rejected"));
                    assert_meta(&e, "IDPRejectedClaim", "Claim rejected", "REQ-STS-3", 400);
                }
                other => panic!("expected IdpRejectedClaimException, got {other:?}"),
            },
            other => panic!("expected an unlisted error, got {other:?}"),
        }
        recorded(server).await;
    }
}

// ---------------------------------------------------------------------------
// ec2
// ---------------------------------------------------------------------------

mod ec2 {
    use super::*;
    use botogen_ec2::operations::DescribeInstancesError;
    use botogen_ec2::types::{DescribeInstancesRequest, Filter, InstanceStateName, InstanceType};
    use botogen_ec2::{Client, Ec2Api};

    fn input() -> DescribeInstancesRequest {
        DescribeInstancesRequest {
            instance_ids: Some(vec!["i-1".into(), "i-2".into()]),
            filters: Some(vec![Filter {
                name: Some("instance-state-name".into()),
                values: Some(vec!["running".into(), "pending".into()]),
            }]),
            max_results: Some(5),
            dry_run: Some(false),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn describe_instances() {
        let (url, server) = serve(vec![canned(
            200,
            &[("content-type", "text/xml;charset=UTF-8")],
            r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>REQ-EC2</requestId>
  <reservationSet>
    <item>
      <reservationId>r-1</reservationId>
      <ownerId>123456789012</ownerId>
      <instancesSet>
        <item>
          <instanceId>i-1</instanceId>
          <instanceType>t3.micro</instanceType>
          <instanceState><code>16</code><name>running</name></instanceState>
          <privateIpAddress>10.0.0.5</privateIpAddress>
          <launchTime>2024-01-02T03:04:05.000Z</launchTime>
          <tagSet><item><key>Name</key><value>web &amp; api</value></item></tagSet>
        </item>
        <item>
          <instanceId>i-2</instanceId>
          <instanceType>x9.future</instanceType>
          <instanceState><code>0</code><name>pending</name></instanceState>
        </item>
      </instancesSet>
    </item>
  </reservationSet>
  <nextToken>page-2</nextToken>
</DescribeInstancesResponse>"#,
        )])
        .await;
        let client = Client::new(config(&url));
        let output = bounded(client.describe_instances(input()))
            .await
            .expect("success");
        assert_eq!(output.next_token.as_deref(), Some("page-2"));
        let reservations = output.reservations.expect("reservations");
        assert_eq!(reservations.len(), 1);
        assert_eq!(reservations[0].reservation_id.as_deref(), Some("r-1"));
        assert_eq!(reservations[0].owner_id.as_deref(), Some("123456789012"));
        let instances = reservations[0].instances.as_ref().expect("instances");
        assert_eq!(instances.len(), 2);
        let first = &instances[0];
        assert_eq!(first.instance_id.as_deref(), Some("i-1"));
        assert_eq!(first.instance_type, Some(InstanceType::T3Micro));
        let state = first.state.as_ref().expect("state");
        assert_eq!(state.code, Some(16));
        assert_eq!(state.name, Some(InstanceStateName::Running));
        assert_eq!(first.private_ip_address.as_deref(), Some("10.0.0.5"));
        assert_eq!(first.launch_time, Some(DateTime::from_secs(1_704_164_645)));
        let tags = first.tags.as_ref().expect("tags");
        assert_eq!(tags[0].key.as_deref(), Some("Name"));
        assert_eq!(tags[0].value.as_deref(), Some("web & api"));
        // A value newer than the model is kept.
        assert_eq!(
            instances[1].instance_type,
            Some(InstanceType::Unknown("x9.future".into()))
        );

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/"));
        r.assert_sigv4("us-west-2", "ec2");
        let expected: HashMap<String, String> = [
            ("Action", "DescribeInstances"),
            ("Version", "2016-11-15"),
            ("InstanceId.1", "i-1"),
            ("InstanceId.2", "i-2"),
            ("Filter.1.Name", "instance-state-name"),
            ("Filter.1.Value.1", "running"),
            ("Filter.1.Value.2", "pending"),
            ("MaxResults", "5"),
            ("DryRun", "false"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(r.form(), expected);
    }

    #[tokio::test]
    async fn unmodeled_error() {
        let (url, server) = serve(vec![canned(
            400,
            &[("content-type", "text/xml;charset=UTF-8")],
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1' does not exist</Message></Error></Errors><RequestID>REQ-EC2-ERR</RequestID></Response>"#,
        )])
        .await;
        let client = Client::new(config(&url));
        match bounded(client.describe_instances(input())).await {
            Err(DescribeInstancesError::Unmodeled(e)) => assert_unmodeled(
                &e,
                "InvalidInstanceID.NotFound",
                "The instance ID 'i-1' does not exist",
                "REQ-EC2-ERR",
                400,
            ),
            other => panic!("expected an unmodeled error, got {other:?}"),
        }
        recorded(server).await;
    }
}

// ---------------------------------------------------------------------------
// rest-xml: s3
// ---------------------------------------------------------------------------

mod rest_xml_s3 {
    use super::*;
    use botogen_s3::operations::{GetObjectError, ListObjectsV2Error};
    use botogen_s3::types::{
        GetObjectRequest, ListObjectsV2Request, ObjectStorageClass, PutObjectRequest,
    };
    use botogen_s3::{Client, S3Api};

    #[tokio::test]
    async fn get_object() {
        let (url, server) = serve(vec![canned(
            200,
            &[
                ("content-type", "image/jpeg"),
                ("etag", "\"etag-1\""),
                ("last-modified", "Wed, 21 Oct 2015 07:28:00 GMT"),
                ("x-amz-meta-owner", "alice"),
                ("x-amz-version-id", "v3"),
                ("x-amz-request-id", "REQ-S3"),
            ],
            &b"\xff\xd8\xff\xe0JPEG"[..],
        )])
        .await;
        let client = Client::new(config(&url));
        let input = GetObjectRequest {
            range: Some("bytes=0-7".into()),
            version_id: Some("v3".into()),
            ..GetObjectRequest::new("photos", "2024/cat one.jpg")
        };
        let mut output = bounded(client.get_object(input)).await.expect("success");
        // The body streams: it is read after the call returned.
        let body = output.body.take().expect("body").collect();
        assert_eq!(
            bounded(body).await.expect("read"),
            &b"\xff\xd8\xff\xe0JPEG"[..]
        );
        assert_eq!(output.content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(output.e_tag.as_deref(), Some("\"etag-1\""));
        assert_eq!(output.content_length, Some(8));
        assert_eq!(output.version_id.as_deref(), Some("v3"));
        assert_eq!(
            output.last_modified,
            Some(DateTime::from_secs(1_445_412_480))
        );
        assert_eq!(
            output.metadata,
            Some(HashMap::from([("owner".to_owned(), "alice".to_owned())]))
        );

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!(r.method, "GET");
        // Path-style with an endpoint URL; the greedy key keeps its '/'.
        assert_eq!(r.path(), "/photos/2024/cat%20one.jpg");
        assert_eq!(r.query(), vec![("versionId".to_owned(), "v3".to_owned())]);
        assert_eq!(r.header("range"), Some("bytes=0-7"));
        assert!(r.header("x-amz-content-sha256").is_some());
        r.assert_sigv4("us-west-2", "s3");
    }

    #[tokio::test]
    async fn put_object() {
        let (url, server) = serve(vec![canned(
            200,
            &[("etag", "\"etag-put\""), ("x-amz-version-id", "v9")],
            "",
        )])
        .await;
        let client = Client::new(config(&url));
        let input = PutObjectRequest {
            body: Some(ByteStream::from("hello world")),
            content_type: Some("text/plain".into()),
            metadata: Some(HashMap::from([("author".to_owned(), "bob".to_owned())])),
            ..PutObjectRequest::new("docs", "notes.txt")
        };
        let output = bounded(client.put_object(input)).await.expect("success");
        assert_eq!(output.e_tag.as_deref(), Some("\"etag-put\""));
        assert_eq!(output.version_id.as_deref(), Some("v9"));

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!(r.method, "PUT");
        assert_eq!(r.target, "/docs/notes.txt");
        assert_eq!(r.body, b"hello world");
        assert_eq!(r.header("content-type"), Some("text/plain"));
        assert_eq!(r.header("x-amz-meta-author"), Some("bob"));
        assert!(r.header("x-amz-content-sha256").is_some());
        r.assert_sigv4("us-west-2", "s3");
    }

    #[tokio::test]
    async fn default_policy_stops_a_union_without_variant() {
        use botogen_s3::operations::UpdateObjectEncryptionError;
        use botogen_s3::types::UpdateObjectEncryptionRequest;
        // Nothing listens: the call must fail before connecting.
        let client = Client::new(config("http://127.0.0.1:9"));
        // A union with no member set (`Unknown("")`) is what a caller could
        // still pass; the default validation policy stops it.
        let input = UpdateObjectEncryptionRequest::new(
            "b",
            "k",
            botogen_s3::types::ObjectEncryption::Unknown(String::new()),
        );
        match bounded(client.update_object_encryption(input)).await {
            Err(UpdateObjectEncryptionError::Sdk(SdkError::Validation(errors))) => {
                assert_eq!(errors.violations.len(), 1, "{errors:?}");
                assert_eq!(errors.violations[0].path, "ObjectEncryption");
                assert_eq!(
                    errors.violations[0].kind,
                    botogen_runtime::validate::ViolationKind::Required
                );
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn list_objects_v2() {
        let (url, server) = serve(vec![canned(
            200,
            &[("content-type", "application/xml")],
            r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>photos</Name><Prefix>2024/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated><NextContinuationToken>token-2</NextContinuationToken>
  <Contents><Key>2024/a.jpg</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;aaa&quot;</ETag><Size>1024</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>2024/b.jpg</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>&quot;bbb&quot;</ETag><Size>2048</Size><StorageClass>GLACIER</StorageClass></Contents>
  <CommonPrefixes><Prefix>2024/raw/</Prefix></CommonPrefixes>
</ListBucketResult>"#,
        )])
        .await;
        let client = Client::new(config(&url));
        let input = ListObjectsV2Request {
            prefix: Some("2024/".into()),
            max_keys: Some(2),
            delimiter: Some("/".into()),
            ..ListObjectsV2Request::new("photos")
        };
        let output = bounded(client.list_objects_v2(input))
            .await
            .expect("success");
        assert_eq!(output.name.as_deref(), Some("photos"));
        assert_eq!(output.key_count, Some(2));
        assert_eq!(output.is_truncated, Some(true));
        assert_eq!(output.next_continuation_token.as_deref(), Some("token-2"));
        let contents = output.contents.expect("contents");
        assert_eq!(contents.len(), 2);
        assert_eq!(contents[0].key.as_deref(), Some("2024/a.jpg"));
        assert_eq!(contents[0].e_tag.as_deref(), Some("\"aaa\""));
        assert_eq!(contents[0].size, Some(1024));
        assert_eq!(
            contents[0].last_modified,
            Some(DateTime::from_secs(1_704_164_645))
        );
        assert_eq!(contents[1].storage_class, Some(ObjectStorageClass::Glacier));
        let prefixes = output.common_prefixes.expect("common prefixes");
        assert_eq!(prefixes[0].prefix.as_deref(), Some("2024/raw/"));

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!(r.method, "GET");
        assert_eq!(r.path(), "/photos");
        let expected: Vec<(String, String)> = [
            ("delimiter", "/"),
            ("list-type", "2"),
            ("max-keys", "2"),
            ("prefix", "2024/"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(r.query(), expected);
    }

    #[tokio::test]
    async fn errors() {
        let (url, server) = serve(vec![
            canned(
                404,
                &[
                    ("content-type", "application/xml"),
                    ("x-amz-request-id", "REQ-S3-404"),
                    ("x-amz-id-2", "EXT-S3-404"),
                ],
                r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing.txt</Key><RequestId>REQ-S3-404</RequestId><HostId>EXT-S3-404</HostId></Error>"#,
            ),
            canned(
                403,
                &[("content-type", "application/xml")],
                r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>REQ-S3-403</RequestId><HostId>host</HostId></Error>"#,
            ),
            canned(
                404,
                &[("content-type", "application/xml")],
                r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>nope</BucketName><RequestId>REQ-S3-NB</RequestId></Error>"#,
            ),
        ])
        .await;
        let client = Client::new(config(&url));
        let get = |key: &str| GetObjectRequest::new("docs", key);
        match bounded(client.get_object(get("missing.txt"))).await {
            Err(GetObjectError::NoSuchKey(e)) => {
                // NoSuchKey has no members: the message lives in its metadata.
                assert_meta(
                    &e,
                    "NoSuchKey",
                    "The specified key does not exist.",
                    "REQ-S3-404",
                    404,
                );
                assert_eq!(e.extended_request_id(), Some("EXT-S3-404"));
                assert_eq!(
                    e.to_string(),
                    "NoSuchKey: The specified key does not exist."
                );
            }
            other => panic!("expected NoSuchKey, got {other:?}"),
        }
        // AccessDenied is an S3 error shape, though GetObject does not list it.
        match bounded(client.get_object(get("secret.txt"))).await {
            Err(GetObjectError::Unlisted(e)) => {
                assert!(matches!(*e, botogen_s3::Error::AccessDenied(_)), "{e:?}");
                assert_meta(&*e, "AccessDenied", "Access Denied", "REQ-S3-403", 403);
                // Without an `x-amz-id-2` header, the body's HostId.
                assert_eq!(e.extended_request_id(), Some("host"));
            }
            other => panic!("expected an unlisted error, got {other:?}"),
        }
        let list = ListObjectsV2Request::new("nope");
        match bounded(client.list_objects_v2(list)).await {
            Err(ListObjectsV2Error::NoSuchBucket(e)) => {
                assert_meta(
                    &e,
                    "NoSuchBucket",
                    "The specified bucket does not exist",
                    "REQ-S3-NB",
                    404,
                );
            }
            other => panic!("expected NoSuchBucket, got {other:?}"),
        }
        assert_eq!(recorded(server).await.len(), 3);
    }

    /// `CopyObject` answered `200 OK` with an `<Error>` body is an error
    /// (retried like a 500), never a parsed output.
    #[tokio::test]
    async fn error_inside_200_is_an_error_and_retried() {
        let error_200 = || {
            canned(
                200,
                &[("content-type", "application/xml")],
                r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>REQ-200</RequestId></Error>"#,
            )
        };
        let ok = canned(
            200,
            &[("content-type", "application/xml")],
            r#"<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><ETag>"e1"</ETag></CopyObjectResult>"#,
        );
        let (url, server) = serve(vec![error_200(), error_200(), ok]).await;
        let input = || botogen_s3::types::CopyObjectRequest::new("dst", "src/orig.txt", "copy.txt");
        // One attempt: the error surfaces with its code and the 200 status.
        let once = Client::new(config(&url));
        match bounded(once.copy_object(input())).await {
            Err(botogen_s3::operations::CopyObjectError::Unmodeled(e)) => assert_unmodeled(
                &e,
                "InternalError",
                "We encountered an internal error.",
                "REQ-200",
                200,
            ),
            other => panic!("expected the error inside the 200, got {other:?}"),
        }
        // With retries the next 200-error is retried and the real result parsed.
        let retrying = Client::new(config(&url).retry(botogen_runtime::client::RetryConfig {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(1),
            ..Default::default()
        }));
        let output = bounded(retrying.copy_object(input()))
            .await
            .expect("retried");
        let etag = output.copy_object_result.and_then(|r| r.e_tag);
        assert_eq!(etag.as_deref(), Some("\"e1\""));
        assert_eq!(recorded(server).await.len(), 3);
    }
}

// ---------------------------------------------------------------------------
// smithy-rpc-v2-cbor (override) and json (default): cloudwatch
// ---------------------------------------------------------------------------

mod cloudwatch {
    use super::*;
    use botogen_cloudwatch::operations::GetMetricDataError;
    use botogen_cloudwatch::types::{
        Dimension, GetMetricDataInput, Metric, MetricDataQuery, MetricStat, StatusCode,
    };
    use botogen_cloudwatch::{Client, CloudWatchApi};

    fn input() -> GetMetricDataInput {
        GetMetricDataInput::new(
            vec![MetricDataQuery {
                metric_stat: Some(MetricStat {
                    metric: Metric {
                        namespace: Some("AWS/EC2".into()),
                        metric_name: Some("CPUUtilization".into()),
                        dimensions: Some(vec![Dimension {
                            name: "InstanceId".into(),
                            value: "i-1".into(),
                        }]),
                    },
                    period: 300,
                    stat: "Average".into(),
                    unit: None,
                }),
                return_data: Some(true),
                ..MetricDataQuery::new("m1")
            }],
            DateTime::from_secs(1_700_000_000),
            DateTime::from_secs(1_700_003_600),
        )
    }

    fn cbor_response() -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        let encoded: Result<(), minicbor::encode::Error<std::convert::Infallible>> = (|| {
            e.map(1)?.str("MetricDataResults")?.array(1)?;
            e.map(5)?;
            e.str("Id")?.str("m1")?;
            e.str("Label")?.str("CPUUtilization")?;
            e.str("Timestamps")?.array(2)?;
            e.tag(Tag::new(1))?.u64(1_700_000_000)?;
            e.tag(Tag::new(1))?.f64(1_700_000_300.5)?;
            e.str("Values")?.array(2)?.f64(1.5)?.f64(2.25)?;
            e.str("StatusCode")?.str("Complete")?;
            Ok(())
        })();
        encoded.expect("encode");
        e.into_writer()
    }

    fn cbor_error(type_: &str, message: &str) -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        let encoded: Result<(), minicbor::encode::Error<std::convert::Infallible>> = (|| {
            e.map(2)?;
            e.str("__type")?.str(type_)?;
            e.str("message")?.str(message)?;
            Ok(())
        })();
        encoded.expect("encode");
        e.into_writer()
    }

    fn check_output(output: &botogen_cloudwatch::types::GetMetricDataOutput) {
        let results = output.metric_data_results.as_ref().expect("results");
        assert_eq!(results.len(), 1);
        let r = &results[0];
        assert_eq!(r.id.as_deref(), Some("m1"));
        assert_eq!(r.label.as_deref(), Some("CPUUtilization"));
        assert_eq!(r.values.as_deref(), Some(&[1.5, 2.25][..]));
        assert_eq!(r.status_code, Some(StatusCode::Complete));
        let ts = r.timestamps.as_ref().expect("timestamps");
        assert_eq!(ts[0], DateTime::from_secs(1_700_000_000));
        assert_eq!(
            ts[1],
            DateTime::from_secs_and_nanos(1_700_000_300, 500_000_000)
        );
    }

    #[tokio::test]
    async fn get_metric_data_cbor() {
        let (url, server) = serve(vec![canned(
            200,
            &[
                ("smithy-protocol", "rpc-v2-cbor"),
                ("content-type", "application/cbor"),
            ],
            cbor_response(),
        )])
        .await;
        let client = Client::new(config(&url).protocol(Protocol::SmithyRpcV2Cbor));
        let output = bounded(client.get_metric_data(input()))
            .await
            .expect("success");
        check_output(&output);

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!(r.method, "POST");
        assert_eq!(
            r.target,
            "/service/GraniteServiceVersion20100801/operation/GetMetricData"
        );
        assert_eq!(r.header("smithy-protocol"), Some("rpc-v2-cbor"));
        assert_eq!(r.header("content-type"), Some("application/cbor"));
        assert_eq!(r.header("accept"), Some("application/cbor"));
        assert!(r.header("x-amz-target").is_none());
        r.assert_sigv4("us-west-2", "monitoring");
        let mut decoder = minicbor::Decoder::new(&r.body);
        let tokens: Vec<Token<'_>> = decoder
            .tokens()
            .collect::<Result<_, _>>()
            .expect("well-formed CBOR");
        let has_str = |s: &str| tokens.contains(&Token::String(s));
        for s in [
            "MetricDataQueries",
            "m1",
            "MetricStat",
            "AWS/EC2",
            "CPUUtilization",
            "InstanceId",
            "i-1",
            "Average",
            "StartTime",
            "EndTime",
        ] {
            assert!(has_str(s), "{s} missing from {tokens:?}");
        }
        // Timestamps are tag 1 (epoch seconds).
        let mut tagged: Vec<f64> = tokens
            .windows(2)
            .filter(|w| w[0] == Token::Tag(Tag::new(1)))
            .filter_map(|w| match w[1] {
                Token::U32(n) => Some(f64::from(n)),
                Token::U64(n) => Some(n as f64),
                Token::F64(f) => Some(f),
                Token::F32(f) => Some(f64::from(f)),
                _ => None,
            })
            .collect();
        // Map entry order carries no meaning.
        tagged.sort_by(f64::total_cmp);
        assert_eq!(tagged, vec![1_700_000_000.0, 1_700_003_600.0]);
    }

    #[tokio::test]
    async fn get_metric_data_json_default() {
        let (url, server) = serve(vec![canned(
            200,
            &[("content-type", "application/x-amz-json-1.0")],
            r#"{"MetricDataResults":[{"Id":"m1","Label":"CPUUtilization","Timestamps":[1700000000,1700000300.5],"Values":[1.5,2.25],"StatusCode":"Complete"}]}"#,
        )])
        .await;
        let client = Client::new(config(&url));
        let output = bounded(client.get_metric_data(input()))
            .await
            .expect("success");
        check_output(&output);

        let requests = recorded(server).await;
        let r = &requests[0];
        assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/"));
        assert_eq!(
            r.header("x-amz-target"),
            Some("GraniteServiceVersion20100801.GetMetricData")
        );
        assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
        r.assert_sigv4("us-west-2", "monitoring");
        let body = r.json();
        assert_eq!(body["StartTime"].as_f64(), Some(1_700_000_000.0));
        assert_eq!(body["EndTime"].as_f64(), Some(1_700_003_600.0));
        assert_eq!(
            body["MetricDataQueries"],
            json!([{
                "Id": "m1",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/EC2",
                        "MetricName": "CPUUtilization",
                        "Dimensions": [{"Name": "InstanceId", "Value": "i-1"}]
                    },
                    "Period": 300,
                    "Stat": "Average"
                },
                "ReturnData": true
            }])
        );
    }

    #[tokio::test]
    async fn errors_cbor() {
        let (url, server) = serve(vec![
            canned(
                400,
                &[
                    ("smithy-protocol", "rpc-v2-cbor"),
                    ("content-type", "application/cbor"),
                    ("x-amzn-query-error", "InvalidNextToken;Sender"),
                    ("x-amzn-requestid", "REQ-CW-1"),
                ],
                cbor_error("com.amazonaws.cloudwatch#InvalidNextToken", "bad token"),
            ),
            canned(
                403,
                &[
                    ("smithy-protocol", "rpc-v2-cbor"),
                    ("content-type", "application/cbor"),
                    ("x-amzn-requestid", "REQ-CW-2"),
                ],
                cbor_error(
                    "com.amazon.coral.service#AccessDeniedException",
                    "no access",
                ),
            ),
            canned(
                404,
                &[
                    ("smithy-protocol", "rpc-v2-cbor"),
                    ("content-type", "application/cbor"),
                    ("x-amzn-query-error", "ResourceNotFound;Sender"),
                    ("x-amzn-requestid", "REQ-CW-4"),
                ],
                cbor_error(
                    "com.amazonaws.cloudwatch#DashboardNotFoundError",
                    "no dashboard",
                ),
            ),
        ])
        .await;
        let client = Client::new(config(&url).protocol(Protocol::SmithyRpcV2Cbor));
        match bounded(client.get_metric_data(input())).await {
            Err(GetMetricDataError::InvalidNextToken(e)) => {
                assert_eq!(e.message.as_deref(), Some("bad token"));
                assert_meta(&e, "InvalidNextToken", "bad token", "REQ-CW-1", 400);
            }
            other => panic!("expected InvalidNextToken, got {other:?}"),
        }
        match bounded(client.get_metric_data(input())).await {
            Err(GetMetricDataError::Unmodeled(e)) => {
                assert_unmodeled(&e, "AccessDeniedException", "no access", "REQ-CW-2", 403);
            }
            other => panic!("expected an unmodeled error, got {other:?}"),
        }
        // GetMetricData does not list DashboardNotFoundError (code ResourceNotFound).
        let err = bounded(client.get_metric_data(input())).await.unwrap_err();
        assert!(
            matches!(&err, GetMetricDataError::Unlisted(e)
                if matches!(**e, botogen_cloudwatch::Error::DashboardNotFoundError(_))),
            "{err:?}"
        );
        assert_meta(&err, "ResourceNotFound", "no dashboard", "REQ-CW-4", 404);
        recorded(server).await;
    }

    #[tokio::test]
    async fn errors_json() {
        let (url, server) = serve(vec![canned(
            400,
            &[
                ("content-type", "application/x-amz-json-1.0"),
                ("x-amzn-query-error", "InvalidNextToken;Sender"),
                ("x-amzn-requestid", "REQ-CW-3"),
            ],
            r#"{"__type":"com.amazonaws.cloudwatch#InvalidNextToken","message":"stale token"}"#,
        )])
        .await;
        let client = Client::new(config(&url));
        match bounded(client.get_metric_data(input())).await {
            Err(GetMetricDataError::InvalidNextToken(e)) => {
                assert_eq!(e.message.as_deref(), Some("stale token"));
            }
            other => panic!("expected InvalidNextToken, got {other:?}"),
        }
        recorded(server).await;
    }

    #[tokio::test]
    async fn unlisted_protocol_is_a_config_error() {
        // Nothing listens: the call must fail before connecting.
        let client = Client::new(config("http://127.0.0.1:9").protocol(Protocol::RestXml));
        match bounded(client.get_metric_data(input())).await {
            Err(GetMetricDataError::Sdk(SdkError::Config(message))) => {
                assert!(message.contains("rest-xml"), "{message}");
            }
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Paginators: continuation tokens carried from page to page.
// ---------------------------------------------------------------------------

mod paginators {
    use super::*;

    const JSON_10: (&str, &str) = ("content-type", "application/x-amz-json-1.0");

    /// SQS `ListQueues`: string token, page size, stops when the token is absent.
    #[tokio::test]
    async fn sqs_list_queues_follows_next_token() {
        let (url, server) = serve(vec![
            canned(
                200,
                &[JSON_10],
                r#"{"QueueUrls":["q1","q2"],"NextToken":"t-1"}"#,
            ),
            canned(200, &[JSON_10], r#"{"QueueUrls":["q3"],"NextToken":""}"#),
        ])
        .await;
        let client = botogen_sqs::Client::new(config(&url));
        let input = botogen_sqs::types::ListQueuesRequest {
            queue_name_prefix: Some("demo".into()),
            ..Default::default()
        };
        let pages = bounded(client.list_queues_paginator(input).page_size(2).collect())
            .await
            .expect("two pages");
        let urls: Vec<_> = pages
            .iter()
            .flat_map(|p| p.queue_urls.clone().unwrap_or_default())
            .collect();
        assert_eq!(urls, ["q1", "q2", "q3"]);

        let requests = recorded(server).await;
        assert_eq!(requests.len(), 2);
        assert_eq!(
            requests[0].json(),
            json!({"QueueNamePrefix": "demo", "MaxResults": 2})
        );
        assert_eq!(
            requests[1].json(),
            json!({"QueueNamePrefix": "demo", "MaxResults": 2, "NextToken": "t-1"})
        );
    }

    /// DynamoDB `Query`: the token is a map of attribute values, copied whole.
    #[tokio::test]
    async fn dynamodb_query_copies_last_evaluated_key() {
        let key = json!({"Artist": {"S": "Acme"}, "SongTitle": {"S": "Zed"}});
        let (url, server) =
            serve(vec![
            canned(
                200,
                &[JSON_10],
                json!({"Count": 1, "Items": [{"Artist": {"S": "Acme"}}], "LastEvaluatedKey": key})
                    .to_string(),
            ),
            canned(200, &[JSON_10], r#"{"Count":0,"Items":[],"LastEvaluatedKey":{}}"#),
        ])
            .await;
        let client = botogen_dynamodb::Client::new(config(&url));
        let input = botogen_dynamodb::types::QueryInput::new("Music");
        let mut pages = client.query_paginator(input);
        let first = bounded(pages.next()).await.expect("a page").expect("ok");
        assert_eq!(first.count, Some(1));
        let second = bounded(pages.next()).await.expect("a page").expect("ok");
        assert_eq!(second.count, Some(0));
        // An empty LastEvaluatedKey ends the iteration, as in botocore.
        assert!(pages.next().await.is_none());

        let requests = recorded(server).await;
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].json(), json!({"TableName": "Music"}));
        assert_eq!(
            requests[1].json(),
            json!({"TableName": "Music", "ExclusiveStartKey": key})
        );
    }

    /// S3 `ListObjects`: `NextMarker || Contents[-1].Key`, gated by `IsTruncated`.
    #[tokio::test]
    async fn s3_list_objects_uses_last_key_when_no_next_marker() {
        let page = |truncated: bool, keys: &[&str]| {
            let contents: String = keys
                .iter()
                .map(|k| format!("<Contents><Key>{k}</Key></Contents>"))
                .collect();
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
                 <ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
                 <Name>photos</Name><IsTruncated>{truncated}</IsTruncated>{contents}</ListBucketResult>"
            )
        };
        let xml = ("content-type", "application/xml");
        let (url, server) = serve(vec![
            canned(200, &[xml], page(true, &["a.jpg", "b.jpg"])),
            canned(200, &[xml], page(false, &["c.jpg"])),
        ])
        .await;
        let client = botogen_s3::Client::new(config(&url));
        let input = botogen_s3::types::ListObjectsRequest::new("photos");
        let pages = bounded(client.list_objects_paginator(input).collect())
            .await
            .expect("two pages");
        let keys: Vec<_> = pages
            .iter()
            .flat_map(|p| p.contents.clone().unwrap_or_default())
            .filter_map(|o| o.key)
            .collect();
        assert_eq!(keys, ["a.jpg", "b.jpg", "c.jpg"]);

        let requests = recorded(server).await;
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].query(), vec![]);
        assert_eq!(
            requests[1].query(),
            vec![("marker".to_owned(), "b.jpg".to_owned())]
        );
    }

    /// A service that repeats its token ends the iteration with an error, not a loop.
    #[tokio::test]
    async fn repeated_token_is_an_error() {
        let (url, server) = serve(vec![
            canned(
                200,
                &[JSON_10],
                r#"{"QueueUrls":["q1"],"NextToken":"same"}"#,
            ),
            canned(
                200,
                &[JSON_10],
                r#"{"QueueUrls":["q1"],"NextToken":"same"}"#,
            ),
        ])
        .await;
        let client = botogen_sqs::Client::new(config(&url));
        let mut pages = client.list_queues_paginator(Default::default());
        assert!(bounded(pages.next()).await.expect("page").is_ok());
        // The page with the repeated token is delivered, then the error.
        assert!(bounded(pages.next()).await.expect("page").is_ok());
        match bounded(pages.next()).await {
            Some(Err(botogen_sqs::operations::ListQueuesError::Sdk(SdkError::Pagination(m)))) => {
                assert!(m.contains("same continuation token"), "{m}")
            }
            other => panic!("expected a pagination error, got {other:?}"),
        }
        assert!(pages.next().await.is_none());
        recorded(server).await;
    }
}

// ---------------------------------------------------------------------------
// Waiters: polling until an acceptor decides.
// ---------------------------------------------------------------------------

mod waiters {
    use super::*;
    use botogen_runtime::waiter::{FinalPoll, WaiterError};

    const JSON_10: (&str, &str) = ("content-type", "application/x-amz-json-1.0");

    fn table(status: &str) -> String {
        json!({"Table": {"TableName": "Music", "TableStatus": status}}).to_string()
    }

    /// DynamoDB `TableExists`: a not-found error retries, CREATING retries
    /// (no acceptor matches), ACTIVE succeeds.
    #[tokio::test]
    async fn dynamodb_table_exists_retries_until_active() {
        let (url, server) = serve(vec![
            canned(
                400,
                &[JSON_10],
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}"#,
            ),
            canned(200, &[JSON_10], table("CREATING")),
            canned(200, &[JSON_10], table("ACTIVE")),
        ])
        .await;
        let client = botogen_dynamodb::Client::new(config(&url));
        let input = botogen_dynamodb::types::DescribeTableInput {
            table_name: "Music".into(),
        };
        let waiter = client
            .wait_until_table_exists(input)
            .delay(Duration::from_millis(1));
        match bounded(waiter.wait()).await {
            Ok(FinalPoll::Output(out)) => {
                let table = out.table.expect("table");
                assert_eq!(table.table_name.as_deref(), Some("Music"));
            }
            other => panic!("expected success, got {other:?}"),
        }
        let requests = recorded(server).await;
        assert_eq!(requests.len(), 3);
        assert!(
            requests
                .iter()
                .all(|r| r.header("x-amz-target") == Some("DynamoDB_20120810.DescribeTable"))
        );
    }

    /// The attempt limit ends the wait.
    #[tokio::test]
    async fn attempts_run_out() {
        let (url, server) = serve(vec![
            canned(200, &[JSON_10], table("CREATING")),
            canned(200, &[JSON_10], table("CREATING")),
        ])
        .await;
        let client = botogen_dynamodb::Client::new(config(&url));
        let waiter = client
            .wait_until_table_exists(botogen_dynamodb::types::DescribeTableInput {
                table_name: "Music".into(),
            })
            .delay(Duration::from_millis(1))
            .max_attempts(2);
        match bounded(waiter.wait()).await {
            Err(WaiterError::MaxAttemptsExceeded { waiter, attempts }) => {
                assert_eq!((waiter, attempts), ("TableExists", 2));
            }
            other => panic!("expected max attempts, got {other:?}"),
        }
        assert_eq!(recorded(server).await.len(), 2);
    }

    fn instances(states: &[&str]) -> String {
        let items: String = states
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "<item><instanceId>i-{i}</instanceId><instanceState><name>{s}</name></instanceState></item>"
                )
            })
            .collect();
        format!(
            "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
             <reservationSet><item><instancesSet>{items}</instancesSet></item></reservationSet>\
             </DescribeInstancesResponse>"
        )
    }

    /// EC2 `InstanceRunning`: `pathAll` over a projection succeeds only when
    /// every instance runs; `pathAny` fails as soon as one is terminated.
    #[tokio::test]
    async fn ec2_instance_running_path_all_and_failure() {
        let xml = ("content-type", "text/xml");
        let (url, server) = serve(vec![
            canned(200, &[xml], instances(&["pending", "running"])),
            canned(200, &[xml], instances(&["running", "running"])),
            canned(200, &[xml], instances(&["running", "terminated"])),
        ])
        .await;
        let client = botogen_ec2::Client::new(config(&url));
        let input = botogen_ec2::types::DescribeInstancesRequest {
            instance_ids: Some(vec!["i-0".into(), "i-1".into()]),
            ..Default::default()
        };
        let first = client
            .wait_until_instance_running(input.clone())
            .delay(Duration::from_millis(1));
        assert!(matches!(
            bounded(first.wait()).await,
            Ok(FinalPoll::Output(_))
        ));
        let second = client.wait_until_instance_running(input);
        match bounded(second.wait()).await {
            Err(e @ WaiterError::FailureState { .. }) => {
                assert!(e.to_string().contains("InstanceRunning"), "{e}")
            }
            other => panic!("expected a failure state, got {other:?}"),
        }
        assert_eq!(recorded(server).await.len(), 3);
    }

    /// An error no acceptor names ends the wait with that error.
    #[tokio::test]
    async fn unexpected_error_stops() {
        let (url, server) = serve(vec![canned(
            400,
            &[JSON_10],
            r#"{"__type":"AccessDeniedException","message":"no"}"#,
        )])
        .await;
        let client = botogen_dynamodb::Client::new(config(&url));
        let waiter = client.wait_until_table_exists(botogen_dynamodb::types::DescribeTableInput {
            table_name: "Music".into(),
        });
        match bounded(waiter.wait()).await {
            Err(WaiterError::Operation(
                botogen_dynamodb::operations::DescribeTableError::Unmodeled(e),
            )) => {
                assert_eq!(e.code(), Some("AccessDeniedException"))
            }
            other => panic!("expected the operation's error, got {other:?}"),
        }
        recorded(server).await;
    }

    /// Every waiter argument in the vendored models is valid JMESPath.
    #[test]
    fn vendored_waiter_expressions_compile() {
        let models = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
        let mut checked = 0;
        for entry in std::fs::read_dir(&models).expect("models dir") {
            let path = entry.expect("entry").path().join("waiters-2.json");
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let doc: Json = serde_json::from_str(&text).expect("waiters JSON");
            for (name, waiter) in doc["waiters"].as_object().expect("waiters") {
                for acceptor in waiter["acceptors"].as_array().expect("acceptors") {
                    if let Some(arg) = acceptor["argument"].as_str() {
                        botogen_runtime::waiter::search(arg, &json!({}))
                            .unwrap_or_else(|e| panic!("{}: {name}: {arg}: {e}", path.display()));
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "only {checked} expressions found");
    }
}
