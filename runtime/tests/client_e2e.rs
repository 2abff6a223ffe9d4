//! End-to-end tests of the client against a scripted HTTP/1.1 responder on
//! 127.0.0.1, with hand-written types shaped like generated code (see
//! ARCHITECTURE.md) and the json protocol.

use botogen_runtime::client::{
    Client, Config, RetryConfig, TimeoutConfig, TimeoutError, TimeoutKind,
};
use botogen_runtime::schema::{
    ErrorInfo, Member, Operation, Protocol, Service, Shape, ShapeKind, StructShape,
};
use botogen_runtime::{
    ErrorMetadata, ErrorShape, OperationError, ProvideErrorMetadata, SdkError, Struct, Unit,
    UnmodeledError, Value,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------
// "Generated" code for a tiny json-protocol service.
// ---------------------------------------------------------------------------

static SERVICE: Service = Service {
    service_id: "Things",
    api_version: "2020-01-01",
    protocol: Protocol::Json,
    protocols: &[Protocol::Json],
    json_version: "1.1",
    target_prefix: "Things_20200101",
    endpoint_prefix: "things",
    signing_name: "things",
    global_endpoint: None,
    xml_namespace: None,
    aws_query_compatible: false,
    auth: &["aws.auth#sigv4"],
    target_service: "",
    errors: &[],
    endpoint_rules: None,
};

static STRING: Shape = Shape::new("String", ShapeKind::String);
static INTEGER: Shape = Shape::new("Integer", ShapeKind::Integer);
static STRING_LIST: Shape = Shape::new(
    "StringList",
    ShapeKind::List(&botogen_runtime::schema::ListShape {
        member: Member::new("member", &STRING),
        sparse: false,
    }),
);

static GET_THING_INPUT: Shape = Shape::new(
    "GetThingInput",
    ShapeKind::Structure(&StructShape {
        members: &[
            Member {
                required: true,
                ..Member::new("Name", &STRING)
            },
            Member::new("Count", &INTEGER),
        ],
        payload: None,
    }),
);

static GET_THING_OUTPUT: Shape = Shape::new(
    "GetThingOutput",
    ShapeKind::Structure(&StructShape {
        members: &[
            Member::new("Value", &STRING),
            Member::new("Items", &STRING_LIST),
        ],
        payload: None,
    }),
);

static THING_NOT_FOUND: Shape = Shape {
    error: Some(ErrorInfo {
        code: "ThingNotFound",
        http_status: Some(404),
        sender_fault: true,
        retryable: false,
        throttling: false,
    }),
    ..Shape::new(
        "ThingNotFound",
        ShapeKind::Structure(&StructShape {
            members: &[
                Member::new("message", &STRING),
                Member::new("Resource", &STRING),
            ],
            payload: None,
        }),
    )
};

static BUSY: Shape = Shape {
    error: Some(ErrorInfo {
        code: "Busy",
        http_status: Some(409),
        sender_fault: false,
        retryable: true,
        throttling: false,
    }),
    ..Shape::new(
        "Busy",
        ShapeKind::Structure(&StructShape {
            members: &[Member::new("message", &STRING)],
            payload: None,
        }),
    )
};

const fn operation(
    name: &'static str,
    event_stream: bool,
    errors: &'static [&'static Shape],
) -> Operation {
    Operation {
        name,
        http_method: "POST",
        request_uri: "/",
        response_code: 200,
        input: &GET_THING_INPUT,
        output: &GET_THING_OUTPUT,
        input_location_name: None,
        input_xml_namespace: None,
        result_wrapper: None,
        errors,
        idempotent: false,
        readonly: true,
        host_prefix: None,
        auth: &[],
        checksum_required: false,
        http_checksum: None,
        request_compression: &[],
        event_stream,
        deprecated: false,
        context_params: &[],
    }
}

static GET_THING: Operation = operation("GetThing", false, &[&THING_NOT_FOUND, &BUSY]);
#[cfg(not(feature = "event-stream"))]
static WATCH_THING: Operation = operation("WatchThing", true, &[]);
static PUT_THING: Operation = Operation {
    checksum_required: true,
    http_checksum: None,
    auth: &["smithy.api#httpBearerAuth"],
    ..operation("PutThing", false, &[])
};

#[derive(Clone, Default, PartialEq, Debug)]
struct GetThingInput {
    name: String,
    count: Option<i32>,
}

impl botogen_runtime::Blank for GetThingInput {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for GetThingInput {
    fn shape(&self) -> &'static Shape {
        &GET_THING_INPUT
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.name,
            1 => &self.count,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.name,
            1 => &mut self.count,
            _ => return None,
        })
    }
}

#[derive(Clone, Default, PartialEq, Debug)]
struct GetThingOutput {
    value: Option<String>,
    items: Option<Vec<String>>,
}

impl botogen_runtime::Blank for GetThingOutput {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for GetThingOutput {
    fn shape(&self) -> &'static Shape {
        &GET_THING_OUTPUT
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.value,
            1 => &self.items,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.value,
            1 => &mut self.items,
            _ => return None,
        })
    }
}

#[derive(Clone, Default, PartialEq, Debug)]
struct ThingNotFound {
    message: Option<String>,
    resource: Option<String>,
    meta: ErrorMetadata,
}

impl ProvideErrorMetadata for ThingNotFound {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl ErrorShape for ThingNotFound {
    fn error_meta(&self) -> &ErrorMetadata {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut ErrorMetadata {
        &mut self.meta
    }
}

impl botogen_runtime::Blank for ThingNotFound {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for ThingNotFound {
    fn shape(&self) -> &'static Shape {
        &THING_NOT_FOUND
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.message,
            1 => &self.resource,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.message,
            1 => &mut self.resource,
            _ => return None,
        })
    }
}

#[derive(Clone, Default, PartialEq, Debug)]
struct Busy {
    message: Option<String>,
    meta: ErrorMetadata,
}

impl ProvideErrorMetadata for Busy {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl ErrorShape for Busy {
    fn error_meta(&self) -> &ErrorMetadata {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut ErrorMetadata {
        &mut self.meta
    }
}

impl botogen_runtime::Blank for Busy {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for Busy {
    fn shape(&self) -> &'static Shape {
        &BUSY
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.message,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.message,
            _ => return None,
        })
    }
}

#[derive(Debug)]
enum GetThingError {
    ThingNotFound(ThingNotFound),
    Busy(Busy),
    Unmodeled(UnmodeledError),
    Sdk(SdkError),
}

impl OperationError for GetThingError {
    fn modeled(index: usize) -> Option<Self> {
        match index {
            0 => Some(GetThingError::ThingNotFound(ThingNotFound::default())),
            1 => Some(GetThingError::Busy(Busy::default())),
            _ => None,
        }
    }
    fn unlisted(_index: usize) -> Option<Self> {
        // The service lists no errors besides the operation's.
        None
    }
    fn modeled_mut(&mut self) -> Option<&mut dyn ErrorShape> {
        match self {
            GetThingError::ThingNotFound(e) => Some(e),
            GetThingError::Busy(e) => Some(e),
            _ => None,
        }
    }
    fn sdk(error: SdkError) -> Self {
        GetThingError::Sdk(error)
    }
    fn unmodeled(error: UnmodeledError) -> Self {
        GetThingError::Unmodeled(error)
    }
}

async fn get_thing(client: &Client, name: &str) -> Result<GetThingOutput, GetThingError> {
    let input = GetThingInput {
        name: name.to_owned(),
        count: Some(2),
    };
    client.call(&GET_THING, &input).await
}

// ---------------------------------------------------------------------------
// A scripted HTTP/1.1 responder.
// ---------------------------------------------------------------------------

#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: &'static str,
    delay: Duration,
}

fn reply(status: u16, body: &'static str) -> Reply {
    Reply {
        status,
        headers: vec![("x-amzn-RequestId", "req-1")],
        body,
        delay: Duration::ZERO,
    }
}

#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Server {
    url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

/// Serves `replies` in order, one per connection (`Connection: close`),
/// and records every request. Extra requests get a 599.
async fn serve(replies: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let replies = Arc::new(Mutex::new(replies.into_iter()));
    let recorded = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let recorded = recorded.clone();
            let next = replies.lock().unwrap().next();
            tokio::spawn(async move {
                let Some(request) = read_request(&mut socket).await else {
                    return;
                };
                recorded.lock().unwrap().push(request);
                let r = next.unwrap_or_else(|| reply(599, "no more replies"));
                tokio::time::sleep(r.delay).await;
                let mut head = format!(
                    "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                    r.status,
                    r.body.len()
                );
                for (k, v) in &r.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                head.push_str(r.body);
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    Server { url, requests }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
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
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_owned();
    let path = start.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Recorded {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn config(server: &Server) -> Config {
    Config::new()
        .region("us-west-2")
        .endpoint_url(&server.url)
        .credentials("AKIDTEST", "SECRET", Some("SESSION".into()))
        .retry(RetryConfig {
            initial_backoff: Some(Duration::from_millis(1)),
            max_backoff: Duration::from_millis(5),
            ..RetryConfig::default()
        })
}

fn transport_timeout(e: &GetThingError) -> Option<TimeoutError> {
    match e {
        GetThingError::Sdk(SdkError::Transport(t)) => t.downcast_ref::<TimeoutError>().copied(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[tokio::test]
async fn success_parses_output_and_request_is_signed() {
    let server = serve(vec![reply(200, r#"{"Value":"v1","Items":["a","b"]}"#)]).await;
    let client = Client::new(&SERVICE, config(&server));
    let out = get_thing(&client, "thing-1").await.unwrap();
    assert_eq!(
        out,
        GetThingOutput {
            value: Some("v1".into()),
            items: Some(vec!["a".into(), "b".into()]),
        }
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
    assert_eq!(r.header("x-amz-target"), Some("Things_20200101.GetThing"));
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body, serde_json::json!({"Name": "thing-1", "Count": 2}));
    assert!(r.header("user-agent").unwrap().starts_with("botogen/"));
    assert_eq!(r.header("x-amz-security-token"), Some("SESSION"));
    assert_eq!(r.header("amz-sdk-request"), Some("attempt=1; max=3"));
    let host = server.url.trim_start_matches("http://");
    assert_eq!(r.header("host"), Some(host));
    let auth = r.header("authorization").unwrap();
    let date = &r.header("x-amz-date").unwrap()[..8];
    assert!(
        auth.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential=AKIDTEST/{date}/us-west-2/things/aws4_request, SignedHeaders="
        )),
        "{auth}"
    );
    for signed in ["host", "x-amz-date", "x-amz-target", "x-amz-security-token"] {
        assert!(auth.contains(signed), "{signed} not signed: {auth}");
    }
}

#[tokio::test]
async fn modeled_error_maps_to_its_variant_with_fields() {
    let server = serve(vec![reply(
        404,
        r#"{"__type":"com.example#ThingNotFound","message":"gone","Resource":"r1"}"#,
    )])
    .await;
    let client = Client::new(&SERVICE, config(&server));
    match get_thing(&client, "x").await {
        Err(GetThingError::ThingNotFound(e)) => assert_eq!(
            e,
            ThingNotFound {
                message: Some("gone".into()),
                resource: Some("r1".into()),
                meta: ErrorMetadata::default()
                    .with_code("ThingNotFound")
                    .with_message("gone")
                    .with_request_id("req-1")
                    .with_status(404),
            }
        ),
        other => panic!("expected ThingNotFound, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "a 404 is not retried");
}

#[tokio::test]
async fn unmodeled_error_carries_code_message_and_request_id() {
    let server = serve(vec![reply(
        400,
        r#"{"__type":"AccessDeniedException","message":"nope"}"#,
    )])
    .await;
    let client = Client::new(&SERVICE, config(&server));
    match get_thing(&client, "x").await {
        Err(GetThingError::Unmodeled(e)) => {
            assert_eq!(
                e,
                UnmodeledError::new(
                    ErrorMetadata::default()
                        .with_code("AccessDeniedException")
                        .with_message("nope")
                        .with_request_id("req-1")
                        .with_status(400)
                )
            );
            assert_eq!(
                e.to_string(),
                "AccessDeniedException (HTTP 400): nope [request id req-1]"
            );
        }
        other => panic!("expected an unmodeled error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "a 400 is not retried");
}

#[tokio::test]
async fn retries_server_errors_throttling_and_retryable_modeled_errors() {
    let server = serve(vec![
        reply(500, r#"{"__type":"InternalFailure"}"#),
        reply(
            400,
            r#"{"__type":"ThrottlingException","message":"slow down"}"#,
        ),
        reply(409, r#"{"__type":"Busy","message":"busy"}"#),
        reply(200, r#"{"Value":"finally"}"#),
    ])
    .await;
    let client = Client::new(&SERVICE, config(&server).max_attempts(4));
    let out = get_thing(&client, "x").await.unwrap();
    assert_eq!(out.value.as_deref(), Some("finally"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 4);
    let attempts: Vec<_> = reqs
        .iter()
        .map(|r| r.header("amz-sdk-request").unwrap().to_owned())
        .collect();
    assert_eq!(
        attempts,
        [
            "attempt=1; max=4",
            "attempt=2; max=4",
            "attempt=3; max=4",
            "attempt=4; max=4"
        ]
    );
    // One invocation id for the whole call; each attempt signed afresh.
    let ids: Vec<_> = reqs
        .iter()
        .map(|r| r.header("amz-sdk-invocation-id").unwrap())
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]));
    assert!(reqs.iter().all(|r| r.header("authorization").is_some()));
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = serve(vec![reply(503, ""); 5]).await;
    let client = Client::new(&SERVICE, config(&server).max_attempts(2));
    match get_thing(&client, "x").await {
        Err(GetThingError::Unmodeled(e)) => assert_eq!(e.status(), Some(503)),
        other => panic!("expected the last 503, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2);

    let server = serve(vec![reply(500, ""); 5]).await;
    let client = Client::new(&SERVICE, config(&server).retry(RetryConfig::disabled()));
    assert!(get_thing(&client, "x").await.is_err());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::new(
        &SERVICE,
        Config::new()
            .region("us-west-2")
            .endpoint_url(url)
            .anonymous()
            .retry(RetryConfig {
                max_attempts: Some(2),
                initial_backoff: Some(Duration::from_millis(1)),
                ..RetryConfig::default()
            }),
    );
    match get_thing(&client, "x").await {
        Err(GetThingError::Sdk(SdkError::Transport(_))) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn attempt_timeout_fires_and_is_retried() {
    let slow = Reply {
        delay: Duration::from_secs(5),
        ..reply(200, "{}")
    };
    let server = serve(vec![slow.clone(), slow]).await;
    let client = Client::new(
        &SERVICE,
        config(&server).max_attempts(2).timeouts(TimeoutConfig {
            attempt: Some(Duration::from_millis(100)),
            ..TimeoutConfig::default()
        }),
    );
    let started = std::time::Instant::now();
    let err = get_thing(&client, "x").await.unwrap_err();
    assert_eq!(
        transport_timeout(&err),
        Some(TimeoutError {
            kind: TimeoutKind::Attempt,
            after: Duration::from_millis(100)
        })
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    // Give the responder a moment to record the second connection.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn connect_timeout_fires_when_the_server_does_not_accept() {
    // A listener with a one-slot backlog that never accepts: once the queue
    // is full, the kernel drops further SYNs and connecting hangs.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(Ok(s)) => fillers.push(s),
            _ => break,
        }
    }
    let client = Client::new(
        &SERVICE,
        Config::new()
            .region("us-west-2")
            .endpoint_url(format!("http://{addr}"))
            .anonymous()
            .retry(RetryConfig::disabled())
            .timeouts(TimeoutConfig {
                connect: Some(Duration::from_millis(200)),
                ..TimeoutConfig::default()
            }),
    );
    let started = std::time::Instant::now();
    let err = get_thing(&client, "x").await.unwrap_err();
    assert_eq!(
        transport_timeout(&err),
        Some(TimeoutError {
            kind: TimeoutKind::Connect,
            after: Duration::from_millis(200)
        }),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    drop((fillers, listener));
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call() {
    let slow = Reply {
        delay: Duration::from_secs(5),
        ..reply(200, "{}")
    };
    let server = serve(vec![slow]).await;
    let client = Client::new(
        &SERVICE,
        config(&server).timeouts(TimeoutConfig {
            operation: Some(Duration::from_millis(150)),
            ..TimeoutConfig::default()
        }),
    );
    let err = get_thing(&client, "x").await.unwrap_err();
    assert_eq!(
        transport_timeout(&err).map(|t| t.kind),
        Some(TimeoutKind::Operation)
    );
}

#[tokio::test]
async fn endpoint_base_path_anonymous_and_unsupported_requests() {
    let server = serve(vec![reply(200, "{}")]).await;
    let client = Client::new(
        &SERVICE,
        Config::new()
            .region("us-west-2")
            .endpoint_url(format!("{}/prefix/", server.url))
            .anonymous(),
    );
    get_thing(&client, "x").await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].path, "/prefix/");
    assert_eq!(
        reqs[0].header("authorization"),
        None,
        "anonymous is unsigned"
    );

    // Event streams without the `event-stream` feature (with it, the
    // workspace's event-stream suite covers them) and unlisted protocols
    // fail before anything is sent.
    #[cfg(not(feature = "event-stream"))]
    {
        let input = GetThingInput::default();
        let r: Result<Unit, GetThingError> = client.call(&WATCH_THING, &input).await;
        assert!(
            matches!(r, Err(GetThingError::Sdk(SdkError::Unsupported(m))) if m.contains("event-stream"))
        );
    }
    let xml = Client::new(&SERVICE, config(&server).protocol(Protocol::RestXml));
    let r = get_thing(&xml, "x").await;
    assert!(matches!(r, Err(GetThingError::Sdk(SdkError::Config(m))) if m.contains("rest-xml")));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn bearer_auth_and_required_checksum() {
    let server = serve(vec![reply(200, "{}")]).await;
    let input = GetThingInput {
        name: "n".into(),
        count: None,
    };
    let no_token = Client::new(&SERVICE, config(&server));
    let r: Result<Unit, GetThingError> = no_token.call(&PUT_THING, &input).await;
    assert!(
        matches!(r, Err(GetThingError::Sdk(SdkError::Credentials(m))) if m.contains("bearer token"))
    );
    let client = Client::new(&SERVICE, config(&server).bearer_token("tok-1"));
    let _: Unit = client
        .call::<Unit, GetThingError>(&PUT_THING, &input)
        .await
        .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(
        r.header("x-amz-date"),
        None,
        "bearer requests are not SigV4-signed"
    );
    // The body checksum the operation requires: a CRC32 (base64 of the
    // big-endian value), as botocore 1.44.5 sends instead of Content-MD5.
    let crc = crc32fast::hash(r.body.as_bytes()).to_be_bytes();
    assert_eq!(
        r.header("x-amz-checksum-crc32"),
        Some(base64(&crc).as_str())
    );
    assert_eq!(r.header("content-md5"), None);
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn call_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(&SERVICE, Config::new().region("us-east-1"));
    let input = GetThingInput::default();
    let fut = client.call::<GetThingOutput, GetThingError>(&GET_THING, &input);
    assert_send(&fut);
}
