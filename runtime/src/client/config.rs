//! Client settings.
//!
//! [`Config`] is a plain value with public fields and chainable setters, so
//! both `Config::new().region("eu-west-1")` and struct-update syntax work.
//! [`Config::from_env`] reads the variables and shared files the official
//! SDKs read.

use super::credentials::{self, ProvideCredentials, SharedCredentials};
use crate::endpoint::ParamValue;
use crate::schema::Protocol;
use std::sync::Arc;
use std::time::Duration;

/// Client settings: region, endpoint, credentials, protocol, retries,
/// timeouts and validation.
#[derive(Clone, Default)]
pub struct Config {
    /// The region to call and sign for, e.g. `us-east-1`.
    pub region: Option<String>,
    /// A custom endpoint (scheme, host, optional port and base path): the
    /// rule set's `SDK::Endpoint`, which wins over the AWS endpoints as in
    /// botocore (S3 still adds the bucket, path style by default).
    pub endpoint_url: Option<String>,
    /// Use FIPS endpoints (`AWS_USE_FIPS_ENDPOINT`, profile `use_fips_endpoint`);
    /// ignored with an `endpoint_url`.
    pub use_fips: bool,
    /// Use dual-stack (IPv4 and IPv6) endpoints (`AWS_USE_DUALSTACK_ENDPOINT`,
    /// profile `use_dualstack_endpoint`); ignored with an `endpoint_url`.
    pub use_dual_stack: bool,
    /// The account for account-based endpoints such as DynamoDB's
    /// `https://<account>.ddb.<region>.amazonaws.com` (`AWS_ACCOUNT_ID`,
    /// profile `aws_account_id`).
    pub account_id: Option<String>,
    /// `preferred` (the default), `required` or `disabled`
    /// (`AWS_ACCOUNT_ID_ENDPOINT_MODE`, profile `account_id_endpoint_mode`).
    pub account_id_endpoint_mode: Option<String>,
    /// STS: send us-east-1 and the other legacy regions to the global
    /// `sts.amazonaws.com` (`AWS_STS_REGIONAL_ENDPOINTS=legacy`, profile
    /// `sts_regional_endpoints`); the default is regional endpoints.
    pub sts_use_global_endpoint: bool,
    /// S3 addressing and endpoint settings.
    pub s3: S3Config,
    /// Endpoint rule-set parameters by name, for the service's
    /// `clientContextParams` (e.g. S3's `DisableS3ExpressSessionAuth`);
    /// a name the service does not list is a configuration error.
    pub client_context_params: Vec<(String, ParamValue)>,
    /// Where credentials come from; `None` means the default chain
    /// (environment, then the shared credentials/config files).
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
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("account_id", &self.account_id)
            .field("account_id_endpoint_mode", &self.account_id_endpoint_mode)
            .field("sts_use_global_endpoint", &self.sts_use_global_endpoint)
            .field("s3", &self.s3)
            .field("client_context_params", &self.client_context_params)
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
    /// Empty settings: no region, default chain credentials, standard retries.
    pub fn new() -> Config {
        Config::default()
    }

    /// Settings from the environment the way the AWS SDKs read it:
    /// `AWS_REGION` / `AWS_DEFAULT_REGION`, else the profile's `region` in
    /// the shared config file (`AWS_CONFIG_FILE`, `~/.aws/config`, profile
    /// `AWS_PROFILE`); `AWS_ENDPOINT_URL`; `AWS_MAX_ATTEMPTS`; and the
    /// endpoint settings, each from its environment variable, else its
    /// profile key, as botocore reads them (see the fields and
    /// [`S3Config`]). Credentials are the default chain, resolved on first use.
    pub fn from_env() -> Config {
        Config::from_lookup(
            |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()),
            credentials::profile_setting,
        )
    }

    /// [`Config::from_env`] over given environment and profile lookups.
    fn from_lookup(
        env: impl Fn(&str) -> Option<String>,
        profile: impl Fn(&str) -> Option<String>,
    ) -> Config {
        let setting = |var: &str, key: &str| env(var).or_else(|| profile(key));
        // botocore's `ensure_boolean`: only "true" (any case) is true.
        let flag =
            |var: &str, key: &str| setting(var, key).map(|v| v.trim().eq_ignore_ascii_case("true"));
        let region = env("AWS_REGION")
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .or_else(|| profile("region"));
        let mut retry = RetryConfig::default();
        if let Some(n) = env("AWS_MAX_ATTEMPTS").and_then(|v| v.trim().parse::<u32>().ok()) {
            retry.max_attempts = n.max(1);
        }
        let s3 = S3Config {
            force_path_style: profile("s3.addressing_style").and_then(|s| match s.trim() {
                "path" => Some(true),
                "virtual" => Some(false),
                _ => None,
            }),
            use_accelerate: profile("s3.use_accelerate_endpoint")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            use_arn_region: env("AWS_S3_USE_ARN_REGION")
                .or_else(|| profile("s3_use_arn_region"))
                .or_else(|| profile("s3.use_arn_region"))
                .map(|v| v.trim().eq_ignore_ascii_case("true")),
            disable_multi_region_access_points: env("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS")
                .or_else(|| profile("s3.s3_disable_multiregion_access_points"))
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            use_global_endpoint: env("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT")
                .or_else(|| profile("s3_us_east_1_regional_endpoint"))
                .or_else(|| profile("s3.us_east_1_regional_endpoint"))
                .map(|v| v.trim() != "regional"),
            disable_express_session_auth: flag(
                "AWS_S3_DISABLE_EXPRESS_SESSION_AUTH",
                "s3_disable_express_session_auth",
            ),
        };
        Config {
            region,
            endpoint_url: env("AWS_ENDPOINT_URL"),
            use_fips: flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint").unwrap_or(false),
            use_dual_stack: flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
                .or_else(|| {
                    profile("s3.use_dualstack_endpoint")
                        .map(|v| v.trim().eq_ignore_ascii_case("true"))
                })
                .unwrap_or(false),
            account_id: setting("AWS_ACCOUNT_ID", "aws_account_id"),
            account_id_endpoint_mode: setting(
                "AWS_ACCOUNT_ID_ENDPOINT_MODE",
                "account_id_endpoint_mode",
            ),
            sts_use_global_endpoint: setting(
                "AWS_STS_REGIONAL_ENDPOINTS",
                "sts_regional_endpoints",
            )
            .is_some_and(|v| v.trim() == "legacy"),
            s3,
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

    /// Uses this credentials provider (see [`super::credentials`] for the built-in ones).
    #[must_use]
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Config {
        self.credentials = Some(Arc::new(provider));
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
    pub fn anonymous(self) -> Config {
        self.credentials_provider(credentials::Anonymous)
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

    #[must_use]
    pub fn use_fips(mut self, on: bool) -> Config {
        self.use_fips = on;
        self
    }

    #[must_use]
    pub fn use_dual_stack(mut self, on: bool) -> Config {
        self.use_dual_stack = on;
        self
    }

    #[must_use]
    pub fn account_id(mut self, account_id: impl Into<String>) -> Config {
        self.account_id = Some(account_id.into());
        self
    }

    #[must_use]
    pub fn s3(mut self, s3: S3Config) -> Config {
        self.s3 = s3;
        self
    }

    /// Sets one of the service's `clientContextParams` by its rule-set name.
    #[must_use]
    pub fn client_context_param(
        mut self,
        name: impl Into<String>,
        value: impl Into<ParamValue>,
    ) -> Config {
        let name = name.into();
        self.client_context_params.retain(|(n, _)| *n != name);
        self.client_context_params.push((name, value.into()));
        self
    }
}

/// S3 endpoint settings (botocore's `Config(s3={...})` and the `s3`
/// block of a profile).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Config {
    /// `Some(true)`: path-style URLs (`https://s3.<region>.amazonaws.com/<bucket>`);
    /// `Some(false)`: virtual hosts (`https://<bucket>.s3.<region>.amazonaws.com`);
    /// `None` (botocore's `auto`): virtual hosts, but path style with an
    /// `endpoint_url` (profile `s3.addressing_style` = `path`/`virtual`/`auto`).
    /// Bucket names that cannot be host names always use path style.
    pub force_path_style: Option<bool>,
    /// S3 Transfer Acceleration (profile `s3.use_accelerate_endpoint`).
    pub use_accelerate: bool,
    /// Send requests for an ARN bucket to the ARN's region (default: yes for
    /// S3, no for S3 Control; `AWS_S3_USE_ARN_REGION`, profile `s3_use_arn_region`).
    pub use_arn_region: Option<bool>,
    /// Refuse multi-region access points (`AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS`,
    /// profile `s3.s3_disable_multiregion_access_points`).
    pub disable_multi_region_access_points: bool,
    /// us-east-1 uses the global `s3.amazonaws.com` (`None` = yes, botocore's
    /// `legacy` default; `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT=regional`, profile
    /// `s3_us_east_1_regional_endpoint`, turns it off).
    pub use_global_endpoint: Option<bool>,
    /// Sign S3 Express One Zone requests with plain SigV4 instead of session
    /// auth (`AWS_S3_DISABLE_EXPRESS_SESSION_AUTH`, profile
    /// `s3_disable_express_session_auth`). Session auth is not supported
    /// yet, so directory buckets need this set.
    pub disable_express_session_auth: Option<bool>,
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

    #[test]
    fn builder_sets_fields_and_debug_hides_secrets() {
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
        let creds = c
            .credentials
            .as_ref()
            .unwrap()
            .provide_credentials()
            .unwrap();
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
    }

    #[test]
    fn endpoint_settings_from_environment_then_profile() {
        use std::collections::HashMap;
        let env: HashMap<&str, &str> = HashMap::from([
            ("AWS_USE_FIPS_ENDPOINT", "TRUE"),
            ("AWS_S3_USE_ARN_REGION", "false"),
            ("AWS_ACCOUNT_ID", "111122223333"),
        ]);
        let profile: HashMap<&str, &str> = HashMap::from([
            ("region", "eu-west-3"),
            ("use_fips_endpoint", "false"),
            ("use_dualstack_endpoint", "true"),
            ("aws_account_id", "999999999999"),
            ("account_id_endpoint_mode", "disabled"),
            ("sts_regional_endpoints", "legacy"),
            ("s3.addressing_style", "path"),
            ("s3.use_accelerate_endpoint", "true"),
            ("s3_us_east_1_regional_endpoint", "regional"),
            ("s3_disable_express_session_auth", "true"),
        ]);
        let c = Config::from_lookup(
            |k| env.get(k).map(|v| (*v).to_owned()),
            |k| profile.get(k).map(|v| (*v).to_owned()),
        );
        assert_eq!(c.region.as_deref(), Some("eu-west-3"));
        assert!(c.use_fips, "the environment wins over the profile");
        assert!(c.use_dual_stack);
        assert_eq!(c.account_id.as_deref(), Some("111122223333"));
        assert_eq!(c.account_id_endpoint_mode.as_deref(), Some("disabled"));
        assert!(c.sts_use_global_endpoint);
        assert_eq!(
            c.s3,
            S3Config {
                force_path_style: Some(true),
                use_accelerate: true,
                use_arn_region: Some(false),
                disable_multi_region_access_points: false,
                use_global_endpoint: Some(false),
                disable_express_session_auth: Some(true),
            }
        );
        let empty = Config::from_lookup(|_| None, |_| None);
        assert!(!empty.use_fips && !empty.use_dual_stack && !empty.sts_use_global_endpoint);
        assert_eq!(empty.s3, S3Config::default());
        let virtual_hosts = Config::from_lookup(
            |_| None,
            |k| (k == "s3.addressing_style").then(|| "virtual".to_owned()),
        );
        assert_eq!(virtual_hosts.s3.force_path_style, Some(false));
    }
}
