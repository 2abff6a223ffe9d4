//! HTTP for the metadata endpoints (IMDS, container credentials): one
//! request through an [`HttpClient`] with a whole-request timeout, and the
//! JSON credentials document both endpoints return.

use super::{Credentials, parse_time};
use crate::body::SdkBody;
use crate::client::{HttpClient, SharedHttpClient};
use crate::protocol::HttpResponse;
use std::time::Duration;

/// One HTTP client per provider; connections are pooled across refreshes.
#[derive(Debug, Clone)]
pub(crate) struct MetadataHttp {
    /// The client, or why there is none (reported by each request).
    client: Result<SharedHttpClient, String>,
    timeout: Duration,
}

impl MetadataHttp {
    /// The built-in client, without proxies (metadata endpoints are
    /// link-local or loopback addresses a proxy cannot reach).
    pub(crate) fn new(timeout: Duration) -> MetadataHttp {
        MetadataHttp {
            client: default_client(timeout),
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
        let client = self
            .client
            .as_ref()
            .map_err(|e| format!("{method} {url}: {e}"))?;
        let mut request = http::Request::builder()
            .method(method)
            .uri(url)
            .header("user-agent", crate::client::USER_AGENT);
        for (k, v) in headers {
            request = request.header(k.as_str(), v.as_str());
        }
        let request = request
            .body(SdkBody::empty())
            .map_err(|e| format!("{method} {url}: {e}"))?;
        let exchange = async {
            let response = client.send(request).await.map_err(|e| error_chain(&e))?;
            let (head, body) = response.into_parts();
            let body = http_body_util::BodyExt::collect(body)
                .await
                .map_err(|e| error_chain(&*e))?
                .to_bytes();
            Ok::<_, String>(HttpResponse {
                status: head.status.as_u16(),
                headers: head
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().to_owned(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body: body.to_vec(),
            })
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(e)) => Err(format!("{method} {url}: {e}")),
            Err(_) => Err(format!(
                "{method} {url}: no answer within {:?}",
                self.timeout
            )),
        }
    }
}

#[cfg(feature = "default-client")]
fn default_client(timeout: Duration) -> Result<SharedHttpClient, String> {
    let config = crate::client::Config {
        http: crate::client::HttpConfig {
            proxy: crate::client::ProxyConfig::Disabled,
            ..Default::default()
        },
        ..crate::client::Config::default()
    }
    .connect_timeout(timeout);
    crate::client::DefaultHttpClient::new(&config)
        .map(SharedHttpClient::new)
        .map_err(|e| error_chain(&e))
}

#[cfg(not(feature = "default-client"))]
fn default_client(_timeout: Duration) -> Result<SharedHttpClient, String> {
    Err("the metadata endpoints need botogen-runtime's `default-client` feature".to_owned())
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
