//! A scripted HTTP/1.1 server on 127.0.0.1 for the retry tests: request
//! `i` (0-based, across connections) gets `script(i)`; every request is
//! recorded with the (tokio) time it arrived. Shared by the `retries` and
//! `tracing_output` test binaries, which use different parts of it.
#![allow(dead_code)]

use botogen_dynamodb::operations::TransactWriteItemsError;
use botogen_dynamodb::types::TransactWriteItemsInput;
use botogen_dynamodb::{Client as DynamoDb, DynamoDbApi};
use botogen_runtime::client::{
    Config, HttpConfig, ProxyConfig, RetryConfig, StalledStreamProtection,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub struct Seen {
    pub at: Instant,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

pub fn reply(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body: body.to_owned(),
    }
}

pub fn with_header(mut r: Reply, name: &'static str, value: impl Into<String>) -> Reply {
    r.headers.push((name, value.into()));
    r
}

pub fn throttled() -> Reply {
    reply(
        400,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}"#,
    )
}

pub fn unavailable() -> Reply {
    reply(503, "")
}

pub fn ok() -> Reply {
    reply(200, "{}")
}

pub type Script = Arc<dyn Fn(usize) -> Reply + Send + Sync>;

pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Answers request `i` (0-based, across connections) with `script(i)`.
    pub async fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script: Script = Arc::new(script);
        let log = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, script.clone(), log.clone()));
            }
        });
        Server { url, seen, task }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The time between consecutive requests.
    pub fn gaps(&self) -> Vec<Duration> {
        let seen = self.requests();
        seen.windows(2).map(|w| w[1].at - w[0].at).collect()
    }
}

async fn serve(stream: tokio::net::TcpStream, script: Script, log: Arc<Mutex<Vec<Seen>>>) {
    let mut stream = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let mut headers = Vec::new();
        loop {
            line.clear();
            if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
        }
        let len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if stream.read_exact(&mut body).await.is_err() {
            return;
        }
        let index = {
            let mut log = log.lock().unwrap();
            log.push(Seen {
                at: Instant::now(),
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            log.len() - 1
        };
        let r = script(index);
        let mut out = format!("HTTP/1.1 {} X\r\n", r.status);
        for (k, v) in &r.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str(&format!(
            "content-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\n\r\n{}",
            r.body.len(),
            r.body
        ));
        if stream.get_mut().write_all(out.as_bytes()).await.is_err() {
            return;
        }
    }
}

pub const ACCESS_KEY: &str = "AKIDRETRYTEST";
pub const SECRET_KEY: &str = "SECRETKEYRETRYTEST";
pub const SESSION_TOKEN: &str = "SESSIONTOKENRETRYTEST";

/// Settings with no timer but the retry delays (see the module docs).
pub fn quiet(config: Config, url: &str) -> Config {
    config
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(ACCESS_KEY, SECRET_KEY, Some(SESSION_TOKEN.into()))
        .connect_timeout(None)
        .stalled_stream_protection(StalledStreamProtection::disabled())
        .http(HttpConfig {
            pool_idle_timeout: None,
            proxy: ProxyConfig::Disabled,
            ..HttpConfig::default()
        })
}

pub fn dynamodb(server: &Server, retry: RetryConfig) -> DynamoDb {
    DynamoDb::new(quiet(Config::new().retry(retry), &server.url))
}

pub async fn call(client: &DynamoDb) -> Result<(), TransactWriteItemsError> {
    client
        .transact_write_items(TransactWriteItemsInput::new(vec![]))
        .await
        .map(drop)
}

pub fn attempts(server: &Server) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-request").unwrap_or_default().to_owned())
        .collect()
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
