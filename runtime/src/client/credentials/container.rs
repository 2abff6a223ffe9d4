//! Container credentials: the ECS task role endpoint and EKS Pod Identity.

use super::http::{MetadataHttp, parse_credentials};
use super::{CredentialsError, CredentialsResult, ProvideCredentials, ProvideCredentialsFuture};
use crate::env::Env;
use std::net::IpAddr;
use std::time::Duration;

const SOURCE: &str = "container credentials";
/// The ECS agent's address for `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`.
const ECS_BASE: &str = "http://169.254.170.2";

/// Credentials from the endpoint the container runtime names:
///
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS): a path on
///   `http://169.254.170.2`;
/// - else `AWS_CONTAINER_CREDENTIALS_FULL_URI` (EKS Pod Identity, Greengrass,
///   local tools): any `https` URL, or `http` to a loopback address,
///   `localhost`, `169.254.170.2`, or EKS Pod Identity's `169.254.170.23`
///   and `[fd00:ec2::23]`;
/// - with `Authorization` from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
///   (re-read at every refresh, as EKS rotates it), else
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// Each attempt has a 2 s timeout; transport errors, timeouts and 5xx
/// answers are tried 3 times, 1 s apart, as botocore does.
#[derive(Debug, Clone)]
pub struct ContainerCredentials {
    env: Env,
    http: MetadataHttp,
    attempts: u32,
    retry_delay: Duration,
    /// Replaces `http://169.254.170.2` (tests).
    pub(crate) relative_base: Option<String>,
}

impl Default for ContainerCredentials {
    fn default() -> ContainerCredentials {
        ContainerCredentials::with_env(Env::real())
    }
}

impl ContainerCredentials {
    pub fn new() -> ContainerCredentials {
        ContainerCredentials::default()
    }

    pub fn with_env(env: Env) -> ContainerCredentials {
        ContainerCredentials {
            env,
            http: MetadataHttp::new(Duration::from_secs(2)),
            attempts: 3,
            retry_delay: Duration::from_secs(1),
            relative_base: None,
        }
    }

    /// Per-attempt timeout, attempts and the pause between them.
    #[must_use]
    pub fn retries(
        mut self,
        timeout: Duration,
        attempts: u32,
        delay: Duration,
    ) -> ContainerCredentials {
        self.http = MetadataHttp::new(timeout);
        self.attempts = attempts.max(1);
        self.retry_delay = delay;
        self
    }

    /// Whether the environment names a container endpoint.
    pub fn is_configured(env: &Env) -> bool {
        env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_some()
            || env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some()
    }

    fn url(&self) -> Result<String, CredentialsError> {
        if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let base = self.relative_base.as_deref().unwrap_or(ECS_BASE);
            let sep = if relative.starts_with('/') { "" } else { "/" };
            return Ok(format!("{base}{sep}{}", relative.trim()));
        }
        let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Err(CredentialsError::not_found(
                SOURCE,
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            ));
        };
        let full = full.trim().to_owned();
        check_full_uri(&full).map_err(|m| CredentialsError::invalid(SOURCE, m))?;
        Ok(full)
    }

    fn authorization(&self) -> Result<Option<String>, CredentialsError> {
        let token = match self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => Some(std::fs::read_to_string(&path).map_err(|e| {
                CredentialsError::invalid(
                    SOURCE,
                    format!("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"),
                )
            })?),
            None => self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        let Some(token) = token else {
            return Ok(None);
        };
        let token = token.trim().to_owned();
        if token.contains(['\r', '\n']) || token.is_empty() {
            return Err(CredentialsError::invalid(
                SOURCE,
                "the container authorization token is empty or spans several lines",
            ));
        }
        Ok(Some(token))
    }

    async fn load(&self) -> CredentialsResult {
        let url = self.url()?;
        let mut headers = vec![("accept".to_owned(), "application/json".to_owned())];
        if let Some(token) = self.authorization()? {
            headers.push(("authorization".to_owned(), token));
        }
        let failed = |m: String| CredentialsError::failed(SOURCE, m);
        let mut attempt = 1;
        loop {
            let retry = match self.http.send("GET", &url, &headers).await {
                Ok(r) if r.status == 200 => {
                    return parse_credentials(&r.body).map_err(|m| failed(format!("{url}: {m}")));
                }
                Ok(r) => {
                    let error = parse_credentials(&r.body)
                        .err()
                        .filter(|m| !m.starts_with("the response"))
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default();
                    let message = format!("{url} answered HTTP {}{error}", r.status);
                    if r.status < 500 {
                        return Err(failed(message));
                    }
                    message
                }
                Err(message) => message,
            };
            if attempt >= self.attempts {
                return Err(failed(format!("{retry} (after {attempt} attempts)")));
            }
            attempt += 1;
            tokio::time::sleep(self.retry_delay).await;
        }
    }
}

/// `https`, or `http` to a host the container runtime owns.
fn check_full_uri(url: &str) -> Result<(), String> {
    let uri: http::Uri = url
        .parse()
        .map_err(|e| format!("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL ({e}): {url}"))?;
    let host = uri.host().unwrap_or_default();
    match uri.scheme_str() {
        Some("https") => return Ok(()),
        Some("http") => {}
        _ => {
            return Err(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http or https URL: {url}"
            ));
        }
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let allowed = match bare.parse::<IpAddr>() {
        Ok(ip) => {
            ip.is_loopback()
                || ip == IpAddr::from([169, 254, 170, 2])
                || ip == IpAddr::from([169, 254, 170, 23])
                || ip == "fd00:ec2::23".parse::<IpAddr>().expect("a valid address")
        }
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    };
    if allowed {
        Ok(())
    } else {
        Err(format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI uses http to {host}; plain http is only allowed to a loopback address, localhost, 169.254.170.2, 169.254.170.23 or fd00:ec2::23"
        ))
    }
}

impl ProvideCredentials for ContainerCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::credentials::CredentialsErrorKind;
    use crate::fake_http::FakeServer as Server;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const DOC: &str = r#"{"AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "S", "Token": "T", "Expiration": "2030-01-01T00:00:00Z", "AccountId": "123"}"#;

    fn fast(env: Env) -> ContainerCredentials {
        ContainerCredentials::with_env(env).retries(
            Duration::from_secs(2),
            3,
            Duration::from_millis(10),
        )
    }

    #[test]
    fn full_uri_hosts() {
        for ok in [
            "https://example.com/creds",
            "http://127.0.0.1:8080/x",
            "http://127.1.2.3/x",
            "http://localhost/x",
            "http://[::1]:9/x",
            "http://169.254.170.2/x",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
        ] {
            assert_eq!(check_full_uri(ok), Ok(()), "{ok}");
        }
        for bad in [
            "http://example.com/x",
            "http://10.0.0.1/x",
            "ftp://localhost/x",
            "not a url",
        ] {
            assert!(check_full_uri(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn relative_uri_the_ecs_way() {
        let server = Server::start(|req| {
            assert_eq!(req.header("authorization"), None);
            Some((200, DOC.to_owned()))
        })
        .await;
        let mut p = fast(Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/credentials/abc",
        )]));
        p.relative_base = Some(server.url.clone());
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(c.access_key_id, "ASIACONTAINER");
        assert_eq!(server.paths(), ["GET /v2/credentials/abc"]);
        // The real base when nothing overrides it.
        let p = ContainerCredentials::with_env(Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/x",
        )]));
        assert_eq!(p.url().unwrap(), "http://169.254.170.2/v2/x");
    }

    #[tokio::test]
    async fn full_uri_with_a_rotating_token_file_the_eks_pod_identity_way() {
        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, "first-token\n").unwrap();
        let server = Server::start(|req| match req.header("authorization") {
            Some("first-token" | "second-token") => Some((200, DOC.to_owned())),
            _ => Some((
                401,
                r#"{"code": "AccessDenied", "message": "bad token"}"#.to_owned(),
            )),
        })
        .await;
        let env = Env::from_vars([
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                format!("{}/v1/credentials", server.url),
            ),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                token_file.display().to_string(),
            ),
            // The file wins over the variable.
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored".to_owned()),
        ]);
        let p = fast(env);
        p.provide_credentials().await.unwrap();
        std::fs::write(&token_file, "second-token").unwrap();
        p.provide_credentials().await.unwrap();
        let seen = server.requests();
        assert_eq!(seen[0].header("authorization"), Some("first-token"));
        assert_eq!(seen[1].header("authorization"), Some("second-token"));

        // A wrong token: 4xx is not retried, and the error says what the endpoint said.
        std::fs::write(&token_file, "wrong").unwrap();
        let e = p.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Failed);
        assert!(e.to_string().starts_with("container credentials: "), "{e}");
        assert!(
            e.message()
                .ends_with("answered HTTP 401: AccessDenied: bad token"),
            "{e}"
        );
        assert_eq!(server.paths().len(), 3);

        // A token with a line break cannot become a header.
        std::fs::write(&token_file, "a\r\nInjected: yes").unwrap();
        assert_eq!(
            p.provide_credentials().await.unwrap_err().kind(),
            CredentialsErrorKind::Invalid
        );
        std::fs::remove_file(&token_file).unwrap();
        let e = p.provide_credentials().await.unwrap_err();
        assert!(
            e.message()
                .contains("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn server_errors_are_retried_then_reported() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let server = Server::start(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
            0 => Some((503, String::new())),
            1 => None,
            _ => Some((200, DOC.to_owned())),
        })
        .await;
        let env = Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/c", server.url),
        )]);
        assert_eq!(
            fast(env.clone())
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id,
            "ASIACONTAINER"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 3);

        let down = Server::start(|_| Some((500, "SECRET-ish body".to_owned()))).await;
        let env = Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/c", down.url),
        )]);
        let e = fast(env).provide_credentials().await.unwrap_err();
        assert!(
            e.message()
                .ends_with("answered HTTP 500 (after 3 attempts)"),
            "{e}"
        );
        assert!(!e.to_string().contains("SECRET"));

        let garbage = Server::start(|_| Some((200, "<html>".to_owned()))).await;
        let env = Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/c", garbage.url),
        )]);
        let e = fast(env).provide_credentials().await.unwrap_err();
        assert!(
            e.message().contains("not a JSON credentials document"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn not_configured_and_forbidden_hosts() {
        let e = fast(Env::from_vars::<&str, &str>([]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(e.is_not_found());
        let e = fast(Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://192.0.2.1/creds",
        )]))
        .provide_credentials()
        .await
        .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert!(e.message().contains("plain http is only allowed"), "{e}");
    }
}
