//! EC2 instance metadata (IMDS): the instance role's credentials and the
//! instance's region.
//!
//! IMDSv2 first: `PUT /latest/api/token` gets a session token (cached for
//! its lifetime, six hours by default, and fetched again when IMDS rejects
//! it); every `GET` carries it. When the token request is refused (403,
//! 404, 405) or unanswered — a container behind a hop limit of 1 never sees
//! the answer — the `GET`s go without a token (IMDSv1), as botocore does,
//! unless IMDSv1 is disabled.
//!
//! Settings, environment first, then the selected profile:
//! `AWS_EC2_METADATA_DISABLED`; `AWS_EC2_METADATA_SERVICE_ENDPOINT` /
//! `ec2_metadata_service_endpoint` (default `http://169.254.169.254`);
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` /
//! `ec2_metadata_service_endpoint_mode` (`IPv4`, or `IPv6` for
//! `http://[fd00:ec2::254]`); `AWS_METADATA_SERVICE_TIMEOUT` /
//! `metadata_service_timeout` (seconds per request, default 1);
//! `AWS_METADATA_SERVICE_NUM_ATTEMPTS` / `metadata_service_num_attempts`
//! (default 1); `AWS_EC2_METADATA_V1_DISABLED` / `ec2_metadata_v1_disabled`.

use super::http::{MetadataHttp, parse_credentials};
use super::{
    Clock, CredentialsError, CredentialsResult, ProvideCredentials, ProvideCredentialsFuture,
};
use crate::env::{Env, parse_bool};
use crate::profile::{Profile, ProfileFiles, ProfileSet};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

const SOURCE: &str = "IMDS";
const IPV4: &str = "http://169.254.169.254";
const IPV6: &str = "http://[fd00:ec2::254]";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// How to reach IMDS.
#[derive(Debug, Clone, PartialEq)]
pub struct ImdsSettings {
    /// Base URL, e.g. `http://169.254.169.254`.
    pub endpoint: String,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Attempts per request (at least 1).
    pub attempts: u32,
    /// Never send a request without a session token.
    pub v1_disabled: bool,
    /// `AWS_EC2_METADATA_DISABLED`: IMDS is not asked at all.
    pub disabled: bool,
    /// The session token's requested lifetime.
    pub token_ttl: Duration,
}

impl Default for ImdsSettings {
    fn default() -> ImdsSettings {
        ImdsSettings {
            endpoint: IPV4.to_owned(),
            timeout: Duration::from_secs(1),
            attempts: 1,
            v1_disabled: false,
            disabled: false,
            token_ttl: Duration::from_secs(21_600),
        }
    }
}

impl ImdsSettings {
    /// Reads the environment, then `profile`, as described in the module docs.
    pub fn from_env(env: &Env, profile: Option<&Profile>) -> Result<ImdsSettings, String> {
        let get = |var: &str, key: &str| {
            env.get(var).map(|v| (var.to_owned(), v)).or_else(|| {
                let p = profile?;
                let v = p.get_nonempty(key)?;
                Some((format!("{key} in {}", p.describe("profile")), v.to_owned()))
            })
        };
        let boolean = |var: &str, key: &str| -> Result<bool, String> {
            match get(var, key) {
                None => Ok(false),
                Some((from, v)) => {
                    parse_bool(&v).ok_or_else(|| format!("{from} must be true or false, not {v:?}"))
                }
            }
        };
        let mut settings = ImdsSettings {
            disabled: env.get_bool("AWS_EC2_METADATA_DISABLED")?.unwrap_or(false),
            v1_disabled: boolean("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled")?,
            ..ImdsSettings::default()
        };
        let mode = get(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
            "ec2_metadata_service_endpoint_mode",
        );
        if let Some((from, mode)) = &mode {
            settings.endpoint = match mode.trim().to_ascii_lowercase().as_str() {
                "ipv4" => IPV4.to_owned(),
                "ipv6" => IPV6.to_owned(),
                _ => return Err(format!("{from} must be IPv4 or IPv6, not {mode:?}")),
            };
        }
        if let Some((from, endpoint)) = get(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        ) {
            let endpoint = endpoint.trim().trim_end_matches('/').to_owned();
            match endpoint.parse::<http::Uri>() {
                Ok(uri) if uri.scheme().is_some() && uri.host().is_some() => {}
                _ => return Err(format!("{from} is not an http(s) URL: {endpoint:?}")),
            }
            settings.endpoint = endpoint;
        }
        if let Some((from, v)) = get("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout") {
            let secs: f64 = v
                .trim()
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s < 3600.0)
                .ok_or_else(|| format!("{from} must be a number of seconds, not {v:?}"))?;
            settings.timeout = Duration::from_secs_f64(secs);
        }
        if let Some((from, v)) = get(
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
            "metadata_service_num_attempts",
        ) {
            settings.attempts = v
                .trim()
                .parse()
                .ok()
                .filter(|n: &u32| (1..=100).contains(n))
                .ok_or_else(|| format!("{from} must be a whole number from 1, not {v:?}"))?;
        }
        Ok(settings)
    }
}

/// Why an IMDS request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImdsError {
    /// `AWS_EC2_METADATA_DISABLED` is true.
    Disabled,
    /// No answer: not on EC2, or IMDS is off (the message says which request).
    Unreachable(String),
    /// IMDS answered 404 for this path.
    NotFound(String),
    /// Any other failure.
    Failed(String),
}

impl fmt::Display for ImdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImdsError::Disabled => f.write_str("AWS_EC2_METADATA_DISABLED is true"),
            ImdsError::Unreachable(m) => write!(f, "unreachable: {m}"),
            ImdsError::NotFound(path) => write!(f, "{path} is not found"),
            ImdsError::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ImdsError {}

struct Token {
    value: String,
    refresh_at: SystemTime,
}

/// A session token request's outcome.
enum TokenOutcome {
    Token(String),
    /// Refused or unanswered: use IMDSv1 (if allowed); the reason is kept
    /// for the error message when v1 fails too.
    Fallback(String),
}

/// An IMDS client; clones share the session token.
#[derive(Clone)]
pub struct ImdsClient {
    settings: ImdsSettings,
    http: MetadataHttp,
    clock: Clock,
    token: Arc<tokio::sync::Mutex<Option<Token>>>,
}

/// The session token is a credential: never shown.
impl fmt::Debug for ImdsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsClient")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl ImdsClient {
    pub fn new(settings: ImdsSettings) -> ImdsClient {
        ImdsClient {
            http: MetadataHttp::new(settings.timeout),
            settings,
            clock: Clock::system(),
            token: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }

    /// Settings from `env` and its selected profile.
    pub fn from_env(env: &Env) -> Result<ImdsClient, String> {
        ImdsClient::for_profile(env, None)
    }

    /// Settings from `env` and `profile` (`None`: the one `env` selects).
    pub fn for_profile(env: &Env, profile: Option<&str>) -> Result<ImdsClient, String> {
        let set = match profile {
            None => ProfileSet::load(env),
            Some(name) => ProfileSet::load_files(&ProfileFiles::from_env(env), name),
        }
        .map_err(|e| e.to_string())?;
        ImdsSettings::from_env(env, set.selected()).map(ImdsClient::new)
    }

    /// Replaces the clock that times the session token (tests).
    #[must_use]
    pub fn with_clock(mut self, clock: Clock) -> ImdsClient {
        self.clock = clock;
        self
    }

    pub fn settings(&self) -> &ImdsSettings {
        &self.settings
    }

    /// `GET path` (e.g. `/latest/meta-data/placement/region`), its body as text.
    pub async fn get(&self, path: &str) -> Result<String, ImdsError> {
        if self.settings.disabled {
            return Err(ImdsError::Disabled);
        }
        let mut token = self.token(false).await?;
        let mut renewed = false;
        loop {
            let (token_value, fallback_reason) = match &token {
                TokenOutcome::Token(t) => (Some(t.as_str()), None),
                TokenOutcome::Fallback(why) => (None, Some(why.as_str())),
            };
            if let (None, true) = (token_value, self.settings.v1_disabled) {
                return Err(ImdsError::Failed(format!(
                    "no IMDSv2 session token ({}) and IMDSv1 is disabled",
                    fallback_reason.unwrap_or_default()
                )));
            }
            match self.get_once(path, token_value).await {
                // A token IMDS no longer accepts (expired early, IMDS restarted): once more with a new one.
                Err(GetError::Unauthorized) if token_value.is_some() && !renewed => {
                    renewed = true;
                    token = self.token(true).await?;
                }
                Err(GetError::Unauthorized) => {
                    return Err(ImdsError::Failed(format!("GET {path} answered HTTP 401")));
                }
                Err(GetError::Imds(ImdsError::Unreachable(m))) if fallback_reason.is_some() => {
                    return Err(ImdsError::Unreachable(format!(
                        "{m} (the token request: {})",
                        fallback_reason.unwrap_or_default()
                    )));
                }
                Err(GetError::Imds(e)) => return Err(e),
                Ok(body) => return Ok(body),
            }
        }
    }

    /// The cached session token, or a new one (`renew`: the cached one was rejected).
    async fn token(&self, renew: bool) -> Result<TokenOutcome, ImdsError> {
        let mut cached = self.token.lock().await;
        let now = self.clock.now();
        if !renew && let Some(t) = cached.as_ref().filter(|t| now < t.refresh_at) {
            return Ok(TokenOutcome::Token(t.value.clone()));
        }
        *cached = None;
        let url = format!("{}/latest/api/token", self.settings.endpoint);
        let ttl = self.settings.token_ttl.as_secs().max(1);
        let headers = [(
            "x-aws-ec2-metadata-token-ttl-seconds".to_owned(),
            ttl.to_string(),
        )];
        let mut last = String::new();
        for _ in 0..self.settings.attempts.max(1) {
            match self.http.send("PUT", &url, &headers).await {
                Ok(r) if r.status == 200 && !r.body.is_empty() => {
                    let value = String::from_utf8_lossy(&r.body).trim().to_owned();
                    // Renew a minute early (or halfway for a short lifetime).
                    let early = Duration::from_secs(ttl.min(120) / 2);
                    *cached = Some(Token {
                        value: value.clone(),
                        refresh_at: now + Duration::from_secs(ttl) - early,
                    });
                    return Ok(TokenOutcome::Token(value));
                }
                Ok(r) if (403..=405).contains(&r.status) => {
                    return Ok(TokenOutcome::Fallback(format!(
                        "PUT {url} answered HTTP {}",
                        r.status
                    )));
                }
                Ok(r) if r.status == 400 => {
                    return Err(ImdsError::Failed(format!(
                        "PUT {url} answered HTTP 400 (bad token request)"
                    )));
                }
                Ok(r) => last = format!("PUT {url} answered HTTP {}", r.status),
                Err(m) => last = m,
            }
        }
        Ok(TokenOutcome::Fallback(last))
    }

    async fn get_once(&self, path: &str, token: Option<&str>) -> Result<String, GetError> {
        let url = format!("{}{path}", self.settings.endpoint);
        let headers: Vec<(String, String)> = token
            .map(|t| vec![("x-aws-ec2-metadata-token".to_owned(), t.to_owned())])
            .unwrap_or_default();
        let mut last = ImdsError::Failed(String::new());
        for _ in 0..self.settings.attempts.max(1) {
            match self.http.send("GET", &url, &headers).await {
                Ok(r) if r.status == 200 && !r.body.is_empty() => {
                    return String::from_utf8(r.body).map_err(|_| {
                        GetError::Imds(ImdsError::Failed(format!(
                            "GET {url}: the body is not UTF-8"
                        )))
                    });
                }
                Ok(r) if r.status == 401 => return Err(GetError::Unauthorized),
                Ok(r) if r.status == 404 => {
                    return Err(GetError::Imds(ImdsError::NotFound(path.to_owned())));
                }
                Ok(r) if r.status == 200 => {
                    last = ImdsError::Failed(format!("GET {url} answered an empty body"));
                }
                Ok(r) => last = ImdsError::Failed(format!("GET {url} answered HTTP {}", r.status)),
                Err(m) => last = ImdsError::Unreachable(m),
            }
        }
        Err(GetError::Imds(last))
    }

    /// The instance's region (`/latest/meta-data/placement/region`).
    pub async fn region(&self) -> Result<String, ImdsError> {
        let region = self.get("/latest/meta-data/placement/region").await?;
        Ok(region.trim().to_owned())
    }
}

enum GetError {
    Unauthorized,
    Imds(ImdsError),
}

/// The instance profile role's credentials from IMDS.
///
/// Credentials that IMDS hands out already expired, or about to (an IMDS
/// outage), are used for another 15–25 minutes rather than failing every
/// call, as botocore does; the service decides whether they still work.
#[derive(Debug, Clone)]
pub struct ImdsCredentials {
    client: Result<ImdsClient, String>,
}

impl Default for ImdsCredentials {
    fn default() -> ImdsCredentials {
        ImdsCredentials::with_env(&Env::real())
    }
}

impl ImdsCredentials {
    pub fn new() -> ImdsCredentials {
        ImdsCredentials::default()
    }

    /// Settings from `env` and its selected profile; a bad setting is
    /// reported when credentials are asked for.
    pub fn with_env(env: &Env) -> ImdsCredentials {
        ImdsCredentials::for_profile(env, None)
    }

    /// Settings from `env` and `profile` (`None`: the one `env` selects).
    pub fn for_profile(env: &Env, profile: Option<&str>) -> ImdsCredentials {
        ImdsCredentials {
            client: ImdsClient::for_profile(env, profile),
        }
    }

    pub fn with_client(client: ImdsClient) -> ImdsCredentials {
        ImdsCredentials { client: Ok(client) }
    }

    async fn load(&self) -> CredentialsResult {
        let client = self
            .client
            .as_ref()
            .map_err(|m| CredentialsError::invalid(SOURCE, m.clone()))?;
        let error = |e: ImdsError| match e {
            ImdsError::Disabled | ImdsError::Unreachable(_) => {
                CredentialsError::not_found(SOURCE, e.to_string())
            }
            ImdsError::NotFound(_) => CredentialsError::not_found(
                SOURCE,
                "the instance has no IAM role (no instance profile is attached)",
            ),
            ImdsError::Failed(m) => CredentialsError::failed(SOURCE, m),
        };
        let roles = client.get(CREDENTIALS_PATH).await.map_err(error)?;
        let Some(role) = roles.lines().map(str::trim).find(|l| !l.is_empty()) else {
            return Err(CredentialsError::not_found(
                SOURCE,
                "the instance has no IAM role",
            ));
        };
        let body = client
            .get(&format!("{CREDENTIALS_PATH}{role}"))
            .await
            .map_err(error)?;
        let mut credentials = parse_credentials(body.as_bytes())
            .map_err(|m| CredentialsError::failed(SOURCE, format!("role {role}: {m}")))?;
        if credentials.session_token.is_none() || credentials.expires_at.is_none() {
            return Err(CredentialsError::failed(
                SOURCE,
                format!("role {role}: the response has no Token or Expiration"),
            ));
        }
        let now = client.clock.now();
        let soon = now + Duration::from_secs(15 * 60);
        if credentials.expires_at.is_some_and(|at| at < soon) {
            let jitter = Duration::from_secs(fastrand::u64(120..=600));
            credentials.expires_at = Some(soon + jitter);
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for ImdsCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::credentials::{CredentialsErrorKind, parse_time};
    use crate::fake_http::{FakeServer as Server, Reply, Request as Seen};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

    const ROLE_DOC: &str = r#"{"Code": "Success", "LastUpdated": "2030-01-01T00:00:00Z", "Type": "AWS-HMAC", "AccessKeyId": "ASIAIMDS", "SecretAccessKey": "S", "Token": "T", "Expiration": "2030-01-01T06:00:00Z"}"#;

    /// A fake IMDS: issues tokens `tok-1`, `tok-2`, ..., accepts only the
    /// newest (or none when `v2` is false: the token PUT gets `token_status`).
    struct Fake {
        tokens: AtomicUsize,
        v2: bool,
        token_status: u16,
        require_token: bool,
        role_doc: Mutex<String>,
    }

    impl Fake {
        fn new(v2: bool, token_status: u16, require_token: bool) -> Arc<Fake> {
            Arc::new(Fake {
                tokens: AtomicUsize::new(0),
                v2,
                token_status,
                require_token,
                role_doc: Mutex::new(ROLE_DOC.to_owned()),
            })
        }

        fn answer(&self, req: &Seen) -> Reply {
            if req.method == "PUT" && req.path == "/latest/api/token" {
                if !self.v2 {
                    return Some((self.token_status, String::new()));
                }
                assert!(req.header("x-aws-ec2-metadata-token-ttl-seconds").is_some());
                let n = self.tokens.fetch_add(1, Ordering::SeqCst) + 1;
                return Some((200, format!("tok-{n}")));
            }
            let current = format!("tok-{}", self.tokens.load(Ordering::SeqCst));
            match req.header("x-aws-ec2-metadata-token") {
                Some(t) if t != current => return Some((401, String::new())),
                None if self.require_token => return Some((401, String::new())),
                _ => {}
            }
            match req.path.as_str() {
                "/latest/meta-data/iam/security-credentials/" => Some((200, "my-role\n".into())),
                "/latest/meta-data/iam/security-credentials/my-role" => {
                    Some((200, self.role_doc.lock().unwrap().clone()))
                }
                "/latest/meta-data/placement/region" => Some((200, "eu-central-1".into())),
                _ => Some((404, String::new())),
            }
        }
    }

    async fn serve(fake: Arc<Fake>) -> Server {
        Server::start(move |req| fake.answer(req)).await
    }

    fn settings(url: &str) -> ImdsSettings {
        ImdsSettings {
            endpoint: url.to_owned(),
            ..ImdsSettings::default()
        }
    }

    #[tokio::test]
    async fn v2_token_then_role_then_credentials_and_the_region() {
        let fake = Fake::new(true, 200, true);
        let server = serve(fake.clone()).await;
        let client = ImdsClient::new(settings(&server.url));
        let c = ImdsCredentials::with_client(client.clone())
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_key_id, "ASIAIMDS");
        assert_eq!(c.expires_at, parse_time("2030-01-01T06:00:00Z"));
        assert_eq!(client.region().await.unwrap(), "eu-central-1");
        // One token for all three requests.
        assert_eq!(
            server.paths(),
            [
                "PUT /latest/api/token",
                "GET /latest/meta-data/iam/security-credentials/",
                "GET /latest/meta-data/iam/security-credentials/my-role",
                "GET /latest/meta-data/placement/region"
            ]
        );
        let seen = server.requests();
        assert_eq!(
            seen[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
            Some("21600")
        );
        assert!(
            seen[1..]
                .iter()
                .all(|s| s.header("x-aws-ec2-metadata-token") == Some("tok-1"))
        );
        assert!(!format!("{client:?}").contains("tok-1"));
    }

    #[tokio::test]
    async fn an_expired_token_is_replaced() {
        let fake = Fake::new(true, 200, true);
        let server = serve(fake.clone()).await;
        let now = Arc::new(AtomicU64::new(1_000_000));
        let clock_now = now.clone();
        let client = ImdsClient::new(settings(&server.url)).with_clock(Clock::from_fn(move || {
            SystemTime::UNIX_EPOCH + Duration::from_secs(clock_now.load(Ordering::SeqCst))
        }));
        client.region().await.unwrap();
        client.region().await.unwrap();
        assert_eq!(fake.tokens.load(Ordering::SeqCst), 1);
        // Six hours later the token's lifetime is over: a new one is fetched first.
        now.fetch_add(21_600, Ordering::SeqCst);
        client.region().await.unwrap();
        assert_eq!(fake.tokens.load(Ordering::SeqCst), 2);
        // IMDS forgets the token early (it issued a newer one elsewhere):
        // the 401 makes the client fetch a new token and try again, once.
        fake.tokens.fetch_add(1, Ordering::SeqCst);
        assert_eq!(client.region().await.unwrap(), "eu-central-1");
        assert_eq!(fake.tokens.load(Ordering::SeqCst), 4);
        let tail: Vec<String> = server.paths().into_iter().rev().take(3).collect();
        assert_eq!(
            tail,
            [
                "GET /latest/meta-data/placement/region",
                "PUT /latest/api/token",
                "GET /latest/meta-data/placement/region"
            ]
        );
    }

    #[tokio::test]
    async fn falls_back_to_v1_when_tokens_are_refused_unless_v1_is_disabled() {
        for status in [403, 404, 405] {
            let server = serve(Fake::new(false, status, false)).await;
            let client = ImdsClient::new(settings(&server.url));
            let c = ImdsCredentials::with_client(client)
                .provide_credentials()
                .await
                .unwrap();
            assert_eq!(c.access_key_id, "ASIAIMDS", "token PUT answered {status}");
            let seen = server.requests();
            assert!(
                seen[1..]
                    .iter()
                    .all(|s| s.header("x-aws-ec2-metadata-token").is_none())
            );
        }
        let server = serve(Fake::new(false, 403, false)).await;
        let client = ImdsClient::new(ImdsSettings {
            v1_disabled: true,
            ..settings(&server.url)
        });
        let e = ImdsCredentials::with_client(client)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Failed);
        assert!(e.message().contains("IMDSv1 is disabled"), "{e}");
        assert!(e.message().contains("answered HTTP 403"), "{e}");
        // A bad token request (400) is an error, not a fallback.
        let server = serve(Fake::new(false, 400, false)).await;
        let e = ImdsClient::new(settings(&server.url))
            .region()
            .await
            .unwrap_err();
        assert!(e.to_string().contains("HTTP 400"), "{e}");
    }

    #[tokio::test]
    async fn an_unanswered_token_request_falls_back_to_v1() {
        // The token PUT gets no answer (hop limit); the GETs do.
        let server = Server::start(|req| match req.method.as_str() {
            "PUT" => None,
            _ => Some((200, "us-west-2".to_owned())),
        })
        .await;
        let client = ImdsClient::new(settings(&server.url));
        assert_eq!(client.region().await.unwrap(), "us-west-2");
    }

    #[tokio::test]
    async fn attempts_retries_and_failures() {
        // Two 500s, then success: three attempts are enough.
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let server = Server::start(move |req| match req.method.as_str() {
            "PUT" => Some((200, "tok".to_owned())),
            _ if counter.fetch_add(1, Ordering::SeqCst) < 2 => Some((500, String::new())),
            _ => Some((200, "ap-south-1".to_owned())),
        })
        .await;
        let client = ImdsClient::new(ImdsSettings {
            attempts: 3,
            ..settings(&server.url)
        });
        assert_eq!(client.region().await.unwrap(), "ap-south-1");
        let one_attempt = ImdsClient::new(settings(&server.url));
        calls.store(0, Ordering::SeqCst);
        assert!(
            one_attempt
                .region()
                .await
                .unwrap_err()
                .to_string()
                .contains("HTTP 500")
        );

        // Nothing listening: unreachable, which a chain treats as "not on EC2".
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let e = ImdsCredentials::with_client(ImdsClient::new(settings(&url)))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(e.is_not_found(), "{e}");
        assert!(e.message().starts_with("unreachable: GET "), "{e}");

        // Disabled: nothing is sent.
        let server = serve(Fake::new(true, 200, true)).await;
        let e = ImdsCredentials::with_client(ImdsClient::new(ImdsSettings {
            disabled: true,
            ..settings(&server.url)
        }))
        .provide_credentials()
        .await
        .unwrap_err();
        assert!(e.is_not_found() && e.message().contains("AWS_EC2_METADATA_DISABLED"));
        assert!(server.paths().is_empty());
    }

    #[tokio::test]
    async fn no_role_error_documents_and_stale_credentials() {
        // No instance profile: the listing is 404.
        let server = Server::start(|req| match req.method.as_str() {
            "PUT" => Some((200, "tok".to_owned())),
            _ => Some((404, String::new())),
        })
        .await;
        let e = ImdsCredentials::with_client(ImdsClient::new(settings(&server.url)))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            e.is_not_found() && e.message().contains("no IAM role"),
            "{e}"
        );

        let fake = Fake::new(true, 200, true);
        let server = serve(fake.clone()).await;
        let provider = ImdsCredentials::with_client(ImdsClient::new(settings(&server.url)));
        *fake.role_doc.lock().unwrap() =
            r#"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "EC2 cannot assume the role my-role"}"#.into();
        let e = provider.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Failed);
        assert_eq!(
            e.to_string(),
            "IMDS: role my-role: AssumeRoleUnauthorizedAccess: EC2 cannot assume the role my-role"
        );
        *fake.role_doc.lock().unwrap() = "not json".into();
        assert!(
            provider
                .provide_credentials()
                .await
                .unwrap_err()
                .message()
                .contains("not a JSON")
        );
        *fake.role_doc.lock().unwrap() = r#"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#.into();
        assert!(
            provider
                .provide_credentials()
                .await
                .unwrap_err()
                .message()
                .contains("no Token or Expiration")
        );

        // Already expired (an IMDS outage): served with a short extension.
        *fake.role_doc.lock().unwrap() =
            ROLE_DOC.replace("2030-01-01T06:00:00Z", "2001-01-01T00:00:00Z");
        let c = provider.provide_credentials().await.unwrap();
        let left = c
            .expires_at
            .unwrap()
            .duration_since(SystemTime::now())
            .unwrap();
        assert!(
            left >= Duration::from_secs(16 * 60) && left <= Duration::from_secs(26 * 60),
            "{left:?}"
        );
    }

    #[test]
    fn settings_from_the_environment_and_profile() {
        let none = Env::from_vars::<&str, &str>([]);
        assert_eq!(
            ImdsSettings::from_env(&none, None).unwrap(),
            ImdsSettings::default()
        );
        let env = Env::from_vars([
            (
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "http://127.0.0.1:1338/",
            ),
            ("AWS_METADATA_SERVICE_TIMEOUT", "2.5"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3"),
            ("AWS_EC2_METADATA_V1_DISABLED", "true"),
        ]);
        let s = ImdsSettings::from_env(&env, None).unwrap();
        assert_eq!(s.endpoint, "http://127.0.0.1:1338");
        assert_eq!(
            (s.timeout, s.attempts, s.v1_disabled),
            (Duration::from_millis(2500), 3, true)
        );
        let v6 = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]);
        assert_eq!(
            ImdsSettings::from_env(&v6, None).unwrap().endpoint,
            "http://[fd00:ec2::254]"
        );
        let off = Env::from_vars([("AWS_EC2_METADATA_DISABLED", "TRUE")]);
        assert!(ImdsSettings::from_env(&off, None).unwrap().disabled);

        let set = ProfileSet::parse(
            Some((std::path::Path::new("/cfg"), "[default]\nec2_metadata_service_endpoint_mode = ipv6\nmetadata_service_num_attempts = 2\nec2_metadata_v1_disabled = true\n[profile bad]\nmetadata_service_timeout = soon\n")),
            None,
            "default",
        )
        .unwrap();
        let s = ImdsSettings::from_env(&none, set.get("default")).unwrap();
        assert_eq!(
            (s.endpoint.as_str(), s.attempts, s.v1_disabled),
            ("http://[fd00:ec2::254]", 2, true)
        );
        // The environment wins over the profile.
        let s = ImdsSettings::from_env(
            &Env::from_vars([("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "4")]),
            set.get("default"),
        )
        .unwrap();
        assert_eq!(s.attempts, 4);
        let e = ImdsSettings::from_env(&none, set.get("bad")).unwrap_err();
        assert_eq!(
            e,
            "metadata_service_timeout in profile bad (/cfg line 5) must be a number of seconds, not \"soon\""
        );
        for (var, value) in [
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0"),
            ("AWS_EC2_METADATA_DISABLED", "maybe"),
            ("AWS_EC2_METADATA_V1_DISABLED", "1"),
        ] {
            let e = ImdsSettings::from_env(&Env::from_vars([(var, value)]), None).unwrap_err();
            assert!(e.starts_with(var), "{var}: {e}");
        }
    }
}
