//! A local fake service for tests and examples (feature `test-util`).
//!
//! [`FakeServer`] listens on `127.0.0.1` on a free port, records every
//! request it receives and answers each with a canned [`FakeResponse`]
//! (the next one of a list, repeating the last). Point a client at it with
//! `Config::endpoint_url(server.url())`. It speaks just enough HTTP/1.1 for
//! a client: keep-alive connections, `Content-Length` and chunked request
//! bodies.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A canned response: status, headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl FakeResponse {
    /// A response with this status, no headers and an empty body.
    pub fn new(status: u16) -> FakeResponse {
        FakeResponse {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> FakeResponse {
        self.headers.push((name.into(), value.into()));
        self
    }

    #[must_use]
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> FakeResponse {
        self.body = body.into();
        self
    }
}

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query string, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct State {
    responses: Vec<FakeResponse>,
    requests: Vec<RecordedRequest>,
}

/// A local HTTP server answering with canned responses; stops when dropped.
pub struct FakeServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// Starts a server answering every request with `response`.
    pub async fn start(response: FakeResponse) -> io::Result<FakeServer> {
        FakeServer::with_responses(vec![response]).await
    }

    /// Starts a server answering with `responses` in order; once they run
    /// out, the last one is repeated (an empty list answers `404`).
    pub async fn with_responses(responses: Vec<FakeResponse>) -> io::Result<FakeServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State {
            responses,
            requests: Vec::new(),
        }));
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&shared)));
            }
        });
        Ok(FakeServer { addr, state, task })
    }

    /// `http://127.0.0.1:<port>`, for `Config::endpoint_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The state stays usable even if a connection task panicked holding it.
fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// Answers requests on one connection until the client closes it.
async fn serve(stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut stream = BufReader::new(stream);
    loop {
        let request = match read_request(&mut stream).await {
            Ok(Some(r)) => r,
            Ok(None) | Err(_) => return,
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let response = {
            let mut s = lock(&state);
            s.requests.push(request);
            match s.responses.len() {
                0 => FakeResponse::new(404),
                1 => s.responses[0].clone(),
                _ => s.responses.remove(0),
            }
        };
        if write_response(stream.get_mut(), &response).await.is_err() || close {
            return;
        }
    }
}

async fn read_request<R: tokio::io::AsyncBufRead + Unpin>(
    r: &mut R,
) -> io::Result<Option<RecordedRequest>> {
    let mut line = String::new();
    if r.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "bad request line",
        ));
    };
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _): &&(String, String)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            line.clear();
            r.read_line(&mut line).await?;
            let size = line.trim().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size, 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
            if size == 0 {
                // Trailers, then the blank line.
                loop {
                    line.clear();
                    if r.read_line(&mut line).await? == 0 || line.trim().is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            r.read_exact(&mut body[start..]).await?;
            line.clear();
            r.read_line(&mut line).await?;
        }
    } else if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(len, 0);
        r.read_exact(&mut body).await?;
    }
    Ok(Some(RecordedRequest {
        method,
        target,
        headers,
        body,
    }))
}

async fn write_response(w: &mut TcpStream, response: &FakeResponse) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} Fake\r\n", response.status);
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", response.body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    w.write_all(&bytes).await?;
    w.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn records_requests_and_answers_in_order() {
        let server = FakeServer::with_responses(vec![
            FakeResponse::new(500),
            FakeResponse::new(200).header("x-a", "1").body("ok"),
        ])
        .await
        .expect("bind");
        let mut s = BufReader::new(TcpStream::connect(server.addr()).await.expect("connect"));
        // Reads one response: status line, headers, `content-length` bytes.
        async fn response(s: &mut BufReader<TcpStream>) -> (String, Vec<u8>) {
            let mut status = String::new();
            s.read_line(&mut status).await.expect("status");
            let mut len = 0;
            loop {
                let mut line = String::new();
                s.read_line(&mut line).await.expect("header");
                if line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().expect("length");
                }
            }
            let mut body = vec![0; len];
            s.read_exact(&mut body).await.expect("body");
            (status, body)
        }
        for (i, expect) in ["HTTP/1.1 500", "HTTP/1.1 200", "HTTP/1.1 200"]
            .iter()
            .enumerate()
        {
            let req = format!("POST /p{i}?q=1 HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n\r\nabc");
            s.get_mut().write_all(req.as_bytes()).await.expect("write");
            let (status, _) = response(&mut s).await;
            assert!(status.starts_with(expect), "{status}");
        }
        let chunked =
            "PUT /c HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        s.get_mut()
            .write_all(chunked.as_bytes())
            .await
            .expect("write");
        assert_eq!(response(&mut s).await.1, b"ok");
        let requests = server.requests();
        assert_eq!(requests.len(), 4);
        assert_eq!(requests[0].method, "POST");
        assert_eq!(requests[1].target, "/p1?q=1");
        assert_eq!(requests[2].body, b"abc");
        assert_eq!(requests[3].body, b"abcde");
        assert_eq!(requests[3].header("Transfer-Encoding"), Some("chunked"));
    }
}
