//! Client settings.
//!
//! [`Config`] is a plain value with public fields and chainable setters, so
//! both `Config::new().region("eu-west-1")` and struct-update syntax work.
//! Unset fields are resolved from the environment at a client's first call,
//! as the SDKs do: the region chain ([`super::region`]) and the credentials
//! chain ([`super::credentials::DefaultChain`]). [`Config::from_env`] also
//! reads `AWS_ENDPOINT_URL` and `AWS_MAX_ATTEMPTS`. The `botogen-config`
//! crate's `load()` gives the full credentials chain (roles, web identity,
//! SSO) on top.

use super::credentials::{self, ProvideCredentials, SharedCredentials};
use crate::env::Env;
use crate::schema::Protocol;
use std::time::Duration;

/// Client settings: region, endpoint, credentials, protocol, retries,
/// timeouts and validation.
#[derive(Clone, Default)]
pub struct Config {
    /// The region to call and sign for, e.g. `us-east-1`. `None`: the
    /// client resolves the region chain at its first call (`AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, the profile's `region`, EC2 instance metadata).
    pub region: Option<String>,
    /// Sends every request to this URL (scheme, host, optional port and
    /// base path) instead of the resolved AWS endpoint.
    pub endpoint_url: Option<String>,
    /// Where credentials come from, cached and shared by clones; `None`
    /// means the runtime's default chain ([`credentials::DefaultChain`]:
    /// environment, profile, container endpoint, instance metadata).
    pub credentials: Option<SharedCredentials>,
    /// A bearer token for operations whose only auth scheme is `httpBearerAuth`.
    pub bearer_token: Option<String>,
    /// Use this protocol instead of the service's default; it must be one
    /// the service lists.
    pub protocol: Option<Protocol>,
    pub retry: RetryConfig,
    pub timeouts: TimeoutConfig,
    pub validation: ValidationPolicy,
    /// Do not prepend operations' `hostPrefix` to the endpoint host (the SDKs'
    /// `disableHostPrefixInjection`). The prefix is never added to an IP address.
    pub disable_host_prefix: bool,
}

/// The bearer token stays out of logs (credentials redact themselves).
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("credentials", &self.credentials)
            .field(
                "bearer_token",
                &self.bearer_token.as_ref().map(|_| "** redacted **"),
            )
            .field("protocol", &self.protocol)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("validation", &self.validation)
            .field("disable_host_prefix", &self.disable_host_prefix)
            .finish()
    }
}

impl Config {
    /// Default settings: standard retries; region and credentials are
    /// resolved from the environment at the first call (see the fields).
    pub fn new() -> Config {
        Config::default()
    }

    /// Settings from the environment the way the AWS SDKs read it, now:
    /// `AWS_REGION` / `AWS_DEFAULT_REGION`, else the profile's `region` in
    /// the shared config file (`AWS_CONFIG_FILE`, `~/.aws/config`, profile
    /// `AWS_PROFILE`); `AWS_ENDPOINT_URL`; `AWS_MAX_ATTEMPTS`. Credentials
    /// are the default chain, resolved on first use.
    pub fn from_env() -> Config {
        Config::from_env_vars(&Env::real())
    }

    /// [`Config::from_env`] reading `env` instead of the process environment.
    pub fn from_env_vars(env: &Env) -> Config {
        let mut retry = RetryConfig::default();
        if let Some(n) = env
            .get("AWS_MAX_ATTEMPTS")
            .and_then(|v| v.trim().parse::<u32>().ok())
        {
            retry.max_attempts = n.max(1);
        }
        Config {
            region: super::region::local_region(env, None),
            endpoint_url: env.get("AWS_ENDPOINT_URL"),
            retry,
            ..Config::default()
        }
    }

    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Config {
        self.region = Some(region.into());
        self
    }

    #[must_use]
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Config {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses this credentials provider behind a cache (see
    /// [`super::credentials`] for the built-in ones; any
    /// `aws-credential-types` provider fits through
    /// [`credentials::AwsSdkCredentials`]).
    #[must_use]
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Config {
        self.credentials = Some(SharedCredentials::new(provider));
        self
    }

    /// Uses fixed keys (and an optional session token).
    #[must_use]
    pub fn credentials(
        self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Config {
        self.credentials_provider(credentials::Credentials::new(
            access_key_id,
            secret_access_key,
            session_token,
        ))
    }

    /// Sends requests unsigned.
    #[must_use]
    pub fn anonymous(mut self) -> Config {
        self.credentials = Some(SharedCredentials::anonymous());
        self
    }

    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<String>) -> Config {
        self.bearer_token = Some(token.into());
        self
    }

    #[must_use]
    pub fn protocol(mut self, protocol: Protocol) -> Config {
        self.protocol = Some(protocol);
        self
    }

    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Config {
        self.retry = retry;
        self
    }

    /// Shorthand for the total number of attempts (1 disables retries).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Config {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    #[must_use]
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Config {
        self.timeouts = timeouts;
        self
    }

    #[must_use]
    pub fn validation(mut self, policy: ValidationPolicy) -> Config {
        self.validation = policy;
        self
    }

    #[must_use]
    pub fn disable_host_prefix(mut self, disable: bool) -> Config {
        self.disable_host_prefix = disable;
        self
    }
}

/// Retry behaviour: the AWS SDKs' "standard" mode.
///
/// A failed attempt is retried when it is a transport error or timeout, an
/// HTTP 500/502/503/504, a throttling or transient error code, or a modeled
/// error marked retryable — for every operation, idempotent or not, as the
/// standard mode does (idempotency tokens are generated once per call, so a
/// retried request carries the same token). The delay before retry `n`
/// (1-based) is a uniformly random fraction of
/// `min(initial_backoff * 2^(n-1), max_backoff)` ("full jitter"). A
/// client-wide retry quota (500 tokens; a retry costs 5, a retry after a
/// timeout 10, a success refunds 1) stops retry storms when a service is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Total attempts, including the first (default 3; 1 disables retries).
    pub max_attempts: u32,
    /// Upper bound of the first retry's delay (default 1 s).
    pub initial_backoff: Duration,
    /// Cap on any single delay (default 20 s).
    pub max_backoff: Duration,
    /// Use the retry quota (default true).
    pub retry_quota: bool,
}

impl Default for RetryConfig {
    fn default() -> RetryConfig {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            retry_quota: true,
        }
    }
}

impl RetryConfig {
    /// No retries: one attempt.
    pub fn disabled() -> RetryConfig {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }
}

/// Timeouts; `None` means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Establishing a TCP (and TLS) connection (default 3.1 s, as the SDKs).
    pub connect: Option<Duration>,
    /// One attempt: sending the request and reading the whole response.
    pub attempt: Option<Duration>,
    /// The whole call, including every retry and backoff delay.
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> TimeoutConfig {
        TimeoutConfig {
            connect: Some(Duration::from_millis(3100)),
            attempt: None,
            operation: None,
        }
    }
}

/// How much of the model's constraints the client checks before sending.
///
/// The official SDKs check only that required members are set: services
/// relax `max`/`pattern`/enum constraints over time while old clients keep
/// the old model, and the service validates anyway. So does the default here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValidationPolicy {
    /// Required members set and unions have a variant (default).
    #[default]
    Required,
    /// Every constraint: lengths, ranges, patterns, enum values.
    Full,
    /// Nothing; the service decides.
    Off,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn builder_sets_fields_and_debug_hides_secrets() {
        let c = Config::new()
            .region("eu-north-1")
            .endpoint_url("http://localhost:4566")
            .credentials("AKID", "SECRETKEY", Some("SESSIONTOKEN".into()))
            .bearer_token("BEARERTOKEN")
            .protocol(Protocol::Query)
            .max_attempts(0)
            .validation(ValidationPolicy::Full);
        assert_eq!(c.region.as_deref(), Some("eu-north-1"));
        assert_eq!(c.endpoint_url.as_deref(), Some("http://localhost:4566"));
        assert_eq!(c.protocol, Some(Protocol::Query));
        assert_eq!(c.retry.max_attempts, 1, "at least one attempt");
        assert_eq!(c.validation, ValidationPolicy::Full);
        let creds = c.credentials.as_ref().unwrap().credentials().await.unwrap();
        assert_eq!(
            creds.unwrap().session_token.as_deref(),
            Some("SESSIONTOKEN")
        );
        let text = format!("{c:?}");
        assert!(text.contains("AKID") && text.contains("eu-north-1"));
        for secret in ["SECRETKEY", "SESSIONTOKEN", "BEARERTOKEN"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert_eq!(Config::new().validation, ValidationPolicy::Required);
        assert_eq!(Config::new().retry.max_attempts, 3);
        assert!(
            Config::new()
                .anonymous()
                .credentials
                .unwrap()
                .is_anonymous()
        );
    }

    #[test]
    fn from_env_reads_region_endpoint_and_attempts() {
        let env = Env::from_vars([
            ("AWS_DEFAULT_REGION", "ca-central-1"),
            ("AWS_ENDPOINT_URL", "http://localhost:4566"),
            ("AWS_MAX_ATTEMPTS", "5"),
            ("AWS_CONFIG_FILE", "/nonexistent"),
        ]);
        let c = Config::from_env_vars(&env);
        assert_eq!(c.region.as_deref(), Some("ca-central-1"));
        assert_eq!(c.endpoint_url.as_deref(), Some("http://localhost:4566"));
        assert_eq!(c.retry.max_attempts, 5);
        let c = Config::from_env_vars(&Env::from_vars([("AWS_CONFIG_FILE", "/nonexistent")]));
        assert_eq!((c.region, c.endpoint_url), (None, None));
    }
}
