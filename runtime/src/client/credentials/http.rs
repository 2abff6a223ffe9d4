//! HTTP for the metadata endpoints (IMDS, container credentials): the
//! runtime's hyper transport with a whole-request timeout, and the JSON
//! credentials document both endpoints return.

use super::{Credentials, parse_time};
use crate::client::transport::Transport;
use crate::protocol::HttpResponse;
use std::time::Duration;

/// One HTTP client per provider; connections are pooled across refreshes.
#[derive(Debug, Clone)]
pub(crate) struct MetadataHttp {
    transport: Transport,
    timeout: Duration,
}

impl MetadataHttp {
    pub(crate) fn new(timeout: Duration) -> MetadataHttp {
        MetadataHttp {
            transport: Transport::new(Some(timeout)),
            timeout,
        }
    }

    /// Sends one request; a transport failure or timeout is a message.
    pub(crate) async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
    ) -> Result<HttpResponse, String> {
        let mut all = Vec::with_capacity(headers.len() + 1);
        all.push((
            "user-agent".to_owned(),
            crate::client::USER_AGENT.to_owned(),
        ));
        all.extend_from_slice(headers);
        match tokio::time::timeout(
            self.timeout,
            self.transport.send(method, url, &all, Vec::new()),
        )
        .await
        {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(e)) => Err(format!("{method} {url}: {}", error_chain(&*e.error))),
            Err(_) => Err(format!(
                "{method} {url}: no answer within {:?}",
                self.timeout
            )),
        }
    }
}

/// A JSON object (the runtime has no serde derive); a syntax error is its
/// line and column, so messages need not quote a body that may hold secrets.
pub(crate) fn json_object(
    body: &[u8],
) -> Result<serde_json::Map<String, serde_json::Value>, (usize, usize)> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err((1, 1)),
        Err(e) => Err((e.line(), e.column())),
    }
}

/// An error and its causes, `a: b: c` (hyper's top-level message alone is vague).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        let s = inner.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        cur = inner.source();
    }
    text
}

/// The credentials document of IMDS and the container endpoints:
/// `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`. An error
/// document (`Code`/`Message`, or `code`/`message`) becomes its message.
/// Messages never quote the body: it may hold secrets.
pub(crate) fn parse_credentials(body: &[u8]) -> Result<Credentials, String> {
    let doc = json_object(body).map_err(|(line, column)| {
        format!("the response is not a JSON credentials document (line {line}, column {column})")
    })?;
    let get = |k: &str| doc.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let code = get("Code").or_else(|| get("code"));
    if let Some(code) = code.as_deref().filter(|c| *c != "Success") {
        return Err(match get("Message").or_else(|| get("message")) {
            Some(m) => format!("{code}: {m}"),
            None => code.to_owned(),
        });
    }
    let (Some(id), Some(secret)) = (
        get("AccessKeyId").filter(|v| !v.is_empty()),
        get("SecretAccessKey").filter(|v| !v.is_empty()),
    ) else {
        return Err("the response has no AccessKeyId or SecretAccessKey".into());
    };
    let token = get("Token").filter(|t| !t.is_empty());
    let mut credentials = Credentials::new(id, secret, token);
    if let Some(expiry) = get("Expiration") {
        credentials.expires_at = Some(
            parse_time(&expiry)
                .ok_or_else(|| format!("the Expiration is not an RFC 3339 time: {expiry:?}"))?,
        );
    }
    Ok(credentials)
}

#[cfg(test)]
pub(crate) mod testing {
    //! A scripted HTTP/1.1 server on loopback for the IMDS and container tests.

    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A request as the server saw it.
    #[derive(Debug, Clone)]
    pub struct Seen {
        pub method: String,
        pub path: String,
        pub headers: Vec<(String, String)>,
    }

    impl Seen {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// `(status, body)`, or `None` to close the connection without answering.
    pub type Reply = Option<(u16, String)>;

    /// Serves until dropped; `handler` answers each request.
    pub struct Server {
        pub url: String,
        pub seen: Arc<Mutex<Vec<Seen>>>,
        task: tokio::task::JoinHandle<()>,
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.task.abort();
        }
    }

    impl Server {
        pub async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let seen = Arc::new(Mutex::new(Vec::new()));
            let handler = Arc::new(handler);
            let log = seen.clone();
            let task = tokio::spawn(async move {
                loop {
                    let Ok((mut stream, _)) = listener.accept().await else {
                        return;
                    };
                    let handler = handler.clone();
                    let log = log.clone();
                    tokio::spawn(async move {
                        // One request per connection keeps parsing trivial.
                        let mut buf = Vec::new();
                        let mut chunk = [0u8; 4096];
                        let head_end = loop {
                            let Ok(n) = stream.read(&mut chunk).await else {
                                return;
                            };
                            if n == 0 {
                                return;
                            }
                            buf.extend_from_slice(&chunk[..n]);
                            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                break i;
                            }
                        };
                        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                        let mut lines = head.split("\r\n");
                        let mut first = lines.next().unwrap_or_default().split(' ');
                        let method = first.next().unwrap_or_default().to_owned();
                        let path = first.next().unwrap_or_default().to_owned();
                        let headers = lines
                            .filter_map(|l| l.split_once(':'))
                            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                            .collect();
                        let request = Seen {
                            method,
                            path,
                            headers,
                        };
                        log.lock().unwrap().push(request.clone());
                        let Some((status, body)) = handler(&request) else {
                            return;
                        };
                        let response = format!(
                            "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = stream.write_all(response.as_bytes()).await;
                        let _ = stream.shutdown().await;
                    });
                }
            });
            Server { url, seen, task }
        }

        pub fn paths(&self) -> Vec<String> {
            self.seen
                .lock()
                .unwrap()
                .iter()
                .map(|s| format!("{} {}", s.method, s.path))
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_documents() {
        let c = parse_credentials(
            br#"{"Code": "Success", "AccessKeyId": "A", "SecretAccessKey": "S", "Token": "T", "Expiration": "2030-01-01T00:00:00Z", "RoleArn": "x"}"#,
        )
        .unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.session_token.as_deref()),
            ("A", Some("T"))
        );
        assert!(c.expires_at.is_some());
        assert_eq!(
            parse_credentials(br#"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "EC2 cannot assume the role"}"#)
                .unwrap_err(),
            "AssumeRoleUnauthorizedAccess: EC2 cannot assume the role"
        );
        assert_eq!(
            parse_credentials(br#"{"code": "InvalidToken", "message": "bad"}"#).unwrap_err(),
            "InvalidToken: bad"
        );
        let e = parse_credentials(b"SECRET{").unwrap_err();
        assert!(
            e.contains("not a JSON credentials document") && !e.contains("SECRET"),
            "{e}"
        );
        assert!(
            parse_credentials(br#"{"AccessKeyId": "A"}"#)
                .unwrap_err()
                .contains("no AccessKeyId")
        );
        assert!(
            parse_credentials(
                br#"{"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "x"}"#
            )
            .unwrap_err()
            .contains("Expiration")
        );
    }
}
