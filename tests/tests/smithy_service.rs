//! A service that is not AWS, end to end: the crate generated from the
//! hand-written Smithy model `codegen/tests/fixtures/smithy/constructs.json`
//! (restJson1, bearer auth, no region, its own endpoint) called against a
//! local HTTP/1.1 responder on 127.0.0.1. Checks the request on the wire
//! (labels, query, headers, prefix headers, `jsonName`, bearer token,
//! optional and absent auth), the parsed output, a modeled error, and
//! Smithy waiters' back-off and maximum wait.

use botogen_library::types::{GetShelfInput, NoSuchShelf};
use botogen_library::{Client, Config, LibraryApi};
use botogen_runtime::Unit;
use botogen_runtime::waiter::{FinalPoll, WaiterError};
use std::collections::HashMap;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A request as the responder received it: request line and headers (lower-cased names), body.
#[derive(Debug)]
struct Recorded {
    method: String,
    target: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// A canned reply: status, headers, body.
type Reply = (u16, Vec<(&'static str, &'static str)>, &'static str);

/// Answers `replies` (status, headers, body) in order, one per connection;
/// gives up after ten seconds. The handle yields the recorded requests.
async fn serve(replies: Vec<Reply>) -> (String, JoinHandle<Vec<Recorded>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let handle = tokio::spawn(async move {
        let mut recorded = Vec::new();
        let work = async {
            for (status, headers, body) in replies {
                let Ok((mut socket, _)) = listener.accept().await else {
                    break;
                };
                let Some(request) = read_request(&mut socket).await else {
                    continue;
                };
                recorded.push(request);
                let mut head = format!(
                    "HTTP/1.1 {status} Canned\r\ncontent-length: {}\r\nconnection: close\r\n",
                    body.len()
                );
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                head.push_str(body);
                let _ = socket.write_all(head.as_bytes()).await;
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
    let end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..end]).ok()?.to_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let (method, target) = (start.next()?.to_owned(), start.next()?.to_owned());
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[end + 4..].to_vec();
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

/// No region, no AWS credentials: the service's own endpoint and a bearer token.
fn client(url: &str, token: Option<&str>) -> Client {
    let mut config = Config::new().endpoint_url(url).max_attempts(1);
    if let Some(t) = token {
        config = config.bearer_token(t);
    }
    Client::new(config)
}

async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("call finished in time")
}

fn shelf_input() -> GetShelfInput {
    GetShelfInput {
        shelf_id: "fiction shelf".into(),
        region: "north".into(),
        verbose: Some(true),
        filters: Some(HashMap::from([("genre".to_owned(), "sf".to_owned())])),
        meta: Some(HashMap::from([("colour".to_owned(), "red".to_owned())])),
        token: None,
    }
}

#[tokio::test]
#[allow(
    deprecated,
    reason = "the model deprecates `etag`; the test still reads it"
)]
async fn bindings_bearer_auth_and_output_on_the_wire() {
    let (url, server) = serve(vec![(
        200,
        vec![("content-type", "application/json"), ("etag", "\"v1\"")],
        r#"{"shelf_id": "s-1", "status": "OPEN", "count": 3, "books": [{"title": "Dune", "state": "ON_SHELF"}], "extra": {"any": [1, true]}}"#,
    )])
    .await;
    let out = bounded(client(&url, Some("secret-token")).get_shelf(shelf_input()))
        .await
        .expect("GetShelf succeeds");
    // `jsonName`: the wire key `shelf_id` fills member `id`.
    assert_eq!(out.id, "s-1");
    assert_eq!(out.status.as_deref(), Some("OPEN"));
    assert_eq!(out.count, 3);
    assert_eq!(out.code, Some(200));
    assert_eq!(out.etag.as_deref(), Some("\"v1\""));
    let books = out.books.expect("books");
    assert_eq!(books[0].title.as_deref(), Some("Dune"));
    assert!(out.extra.is_some());
    let reqs = server.await.expect("server");
    let r = &reqs[0];
    assert_eq!(r.method, "GET");
    let (path, query) = r.target.split_once('?').expect("a query string");
    assert_eq!(path, "/shelves/fiction%20shelf");
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort();
    assert_eq!(pairs, ["genre=sf", "verbose=true"]);
    assert_eq!(r.headers.get("x-region").map(String::as_str), Some("north"));
    assert_eq!(
        r.headers.get("x-meta-colour").map(String::as_str),
        Some("red")
    );
    // Bearer auth, no SigV4.
    assert_eq!(
        r.headers.get("authorization").map(String::as_str),
        Some("Bearer secret-token")
    );
    assert!(!r.headers.contains_key("x-amz-date"));
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn optional_and_absent_auth_send_no_token() {
    let (url, server) = serve(vec![
        (200, vec![], ""),
        (
            200,
            vec![("content-type", "application/json")],
            r#"{"mood": "meh?", "level": 10}"#,
        ),
    ])
    .await;
    let c = client(&url, None);
    // `@optionalAuth`: without a token the call goes out anonymously.
    bounded(c.ping(Unit)).await.expect("Ping");
    // `@auth([])`: never any auth.
    let status = bounded(c.get_status(Unit)).await.expect("GetStatus");
    assert_eq!(status.mood, Some(botogen_library::types::Mood::NotSure));
    assert_eq!(status.level, Some(10));
    let reqs = server.await.expect("server");
    assert_eq!(reqs.len(), 2);
    assert!(
        reqs.iter()
            .all(|r| !r.headers.contains_key("authorization"))
    );
    assert_eq!(reqs[0].target, "/ping");
    assert_eq!(reqs[1].target, "/status");
    // An operation that needs the token fails before sending without one.
    let err = bounded(c.download_book(botogen_library::types::DownloadBookInput {
        shelf_id: "a".into(),
        book_id: "b".into(),
    }))
    .await
    .expect_err("no token");
    assert!(err.to_string().contains("bearer token"), "{err}");
}

#[tokio::test]
async fn modeled_error_maps_to_its_variant() {
    let (url, server) = serve(vec![(
        404,
        vec![
            ("content-type", "application/json"),
            ("x-amzn-errortype", "NoSuchShelf"),
        ],
        r#"{"message": "no shelf here"}"#,
    )])
    .await;
    let err = bounded(client(&url, Some("t")).get_shelf(shelf_input()))
        .await
        .expect_err("an error");
    match err {
        botogen_library::operations::GetShelfError::NoSuchShelf(NoSuchShelf {
            message, ..
        }) => {
            assert_eq!(message.as_deref(), Some("no shelf here"));
        }
        other => panic!("expected NoSuchShelf, got {other:?}"),
    }
    server.await.expect("server");
}

#[tokio::test]
async fn smithy_waiter_backs_off_until_success() {
    // `ShelfGone`: retry while the shelf answers, succeed on `NoSuchShelf`.
    let (url, server) = serve(vec![
        (
            200,
            vec![("content-type", "application/json")],
            r#"{"shelf_id": "s", "count": 0}"#,
        ),
        (
            200,
            vec![("content-type", "application/json")],
            r#"{"shelf_id": "s", "count": 0}"#,
        ),
        (404, vec![("x-amzn-errortype", "NoSuchShelf")], "{}"),
    ])
    .await;
    let c = client(&url, Some("t"));
    let done = bounded(
        c.wait_until_shelf_gone(shelf_input())
            .backoff(Duration::from_millis(1), Duration::from_millis(4))
            .wait(),
    )
    .await
    .expect("the wait succeeds");
    assert!(matches!(done, FinalPoll::Error(_)));
    assert_eq!(server.await.expect("server").len(), 3);
}

#[tokio::test]
async fn smithy_waiter_gives_up_at_its_maximum_wait() {
    let replies = (0..200)
        .map(|_| {
            (
                200,
                vec![("content-type", "application/json")],
                r#"{"shelf_id": "s", "count": 0}"#,
            )
        })
        .collect();
    let (url, server) = serve(replies).await;
    let c = client(&url, Some("t"));
    let err = bounded(
        c.wait_until_shelf_gone(shelf_input())
            .backoff(Duration::from_millis(2), Duration::from_millis(5))
            .max_wait(Duration::from_millis(60))
            .wait(),
    )
    .await
    .expect_err("never gone");
    match err {
        WaiterError::MaxWaitExceeded { waiter, waited } => {
            assert_eq!(waiter, "ShelfGone");
            assert!(waited >= Duration::from_millis(60), "{waited:?}");
        }
        other => panic!("expected MaxWaitExceeded, got {other:?}"),
    }
    server.abort();
}

/// The generator documents the runtime's default maximum wait without linking the runtime.
#[test]
fn documented_default_max_wait_is_the_runtimes() {
    assert_eq!(
        botogen::emit::waiters::DEFAULT_MAX_WAIT_SECS,
        botogen_runtime::waiter::DEFAULT_MAX_WAIT.as_secs()
    );
}
