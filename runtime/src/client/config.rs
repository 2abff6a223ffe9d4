//! Client settings.
//!
//! [`Config`] is a plain value with public fields and chainable setters, so
//! both `Config::new().region("eu-west-1")` and struct-update syntax work.
//! Unset fields are resolved from the environment at a client's first call,
//! as the SDKs do: the region chain ([`super::region`]) and the credentials
//! chain ([`super::credentials::DefaultChain`]). [`Config::from_env`] also
//! reads `AWS_ENDPOINT_URL`, the retry settings and the other settings the
//! README's configuration table lists. The `botogen-config`
//! crate's `load()` gives the full credentials chain (roles, web identity,
//! SSO) on top.

use super::checksums::ChecksumWhen;
use super::credentials::{self, ProvideCredentials, SharedCredentials};
use super::http::{HttpClient, SharedHttpClient};
use crate::endpoint::ParamValue;
use crate::env::Env;
use crate::schema::Protocol;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Client settings: region, endpoint, credentials, protocol, retries,
/// timeouts, the HTTP transport and validation.
#[derive(Clone, Default)]
pub struct Config {
    /// The region to call and sign for, e.g. `us-east-1`. `None`: the
    /// client resolves the region chain at its first call (`AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, the profile's `region`, EC2 instance metadata).
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
    /// Fail a request or response body that stops delivering bytes.
    pub stalled_stream: StalledStreamProtection,
    /// Settings of the built-in HTTP client (proxies, CA bundle, pool, ...).
    pub http: HttpConfig,
    /// Send requests through this client instead of the built-in one
    /// (which then is not built, and whose `http` settings do not apply).
    pub http_client: Option<SharedHttpClient>,
    pub validation: ValidationPolicy,
    /// When a flexible checksum is sent with a request: whenever the
    /// operation supports one (the default) or only when it requires one
    /// (`AWS_REQUEST_CHECKSUM_CALCULATION`, profile
    /// `request_checksum_calculation`; see [`super::checksums`]).
    pub request_checksum_calculation: ChecksumWhen,
    /// When response checksums are asked for and validated: whenever the
    /// operation supports it (the default) or only when the caller sets
    /// the validation-mode member (`AWS_RESPONSE_CHECKSUM_VALIDATION`,
    /// profile `response_checksum_validation`).
    pub response_checksum_validation: ChecksumWhen,
    /// Do not prepend operations' `hostPrefix` to the endpoint host (the SDKs'
    /// `disableHostPrefixInjection`). The prefix is never added to an IP address.
    pub disable_host_prefix: bool,
    /// Settings [`Config::from_env`] found but cannot use (the variable or
    /// profile key, its value and why): every call fails with
    /// `SdkError::Config` listing them, as botocore refuses to create such
    /// a client.
    pub invalid_settings: Vec<String>,
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
            .field("stalled_stream", &self.stalled_stream)
            .field("http", &self.http)
            .field("http_client", &self.http_client)
            .field("validation", &self.validation)
            .field(
                "request_checksum_calculation",
                &self.request_checksum_calculation,
            )
            .field(
                "response_checksum_validation",
                &self.response_checksum_validation,
            )
            .field("disable_host_prefix", &self.disable_host_prefix)
            .field("invalid_settings", &self.invalid_settings)
            .finish()
    }
}

impl Config {
    /// Default settings: standard retries; region and credentials are
    /// resolved from the environment at the first call (see the fields).
    pub fn new() -> Config {
        Config::default()
    }

    /// Settings from the environment the way the AWS SDKs and botocore read
    /// it (the README's configuration section lists every variable):
    /// `AWS_REGION` / `AWS_DEFAULT_REGION`, else the profile's `region` in
    /// the shared config file (`AWS_CONFIG_FILE`, `~/.aws/config`, profile
    /// `AWS_PROFILE`); `AWS_ENDPOINT_URL`; `AWS_RETRY_MODE` and
    /// `AWS_MAX_ATTEMPTS`, else the profile's `retry_mode` and `max_attempts`
    /// (a value botocore would reject goes to [`Config::invalid_settings`]);
    /// `AWS_CA_BUNDLE`, else the profile's `ca_bundle`;
    /// `BOTOCORE_TCP_KEEPALIVE`, else the profile's `tcp_keepalive`; and the
    /// endpoint settings, each from its environment variable, else its
    /// profile key, as botocore reads them (see the fields and
    /// [`S3Config`]). Proxies come from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`
    /// in any config unless set explicitly (see [`ProxyConfig`]).
    /// Credentials are the default chain, resolved on first use.
    pub fn from_env() -> Config {
        Config::from_env_vars(&Env::real())
    }

    /// [`Config::from_env`] reading `env` instead of the process environment.
    pub fn from_env_vars(env: &Env) -> Config {
        // The selected profile, read once. A file that does not parse leaves
        // these settings unset here; the credentials chain reports it with
        // file and line.
        let profiles = crate::profile::ProfileSet::load(env).ok();
        let selected = profiles.as_ref().and_then(|p| p.selected());
        // `parent.key` names a nested setting (`s3 =` then `  key = value`).
        let profile = |key: &str| -> Option<String> {
            let p = selected?;
            match key.split_once('.') {
                Some((parent, sub)) => p.sub_value(parent, sub),
                None => p.get(key),
            }
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
        };
        let setting = |var: &str, key: &str| env.get(var).or_else(|| profile(key));
        // botocore's `ensure_boolean`: only "true" (any case) is true.
        let flag =
            |var: &str, key: &str| setting(var, key).map(|v| v.trim().eq_ignore_ascii_case("true"));
        // botocore's config store: the variable, else the profile key; a
        // value it would reject makes the client fail the same way.
        let mut invalid_settings = Vec::new();
        let mut retry = RetryConfig::default();
        let from = |var: &str, key: &str| match env.get(var) {
            Some(v) => Some((v, var.to_owned())),
            None => profile(key).map(|v| (v, format!("profile key {key}"))),
        };
        if let Some((v, source)) = from("AWS_RETRY_MODE", "retry_mode") {
            match v.parse::<RetryMode>() {
                Ok(mode) => retry.mode = mode,
                Err(e) => invalid_settings.push(format!("{source}: {e}")),
            }
        }
        if let Some((v, source)) = from("AWS_MAX_ATTEMPTS", "max_attempts") {
            match v.trim().parse::<u32>() {
                Ok(n) if n >= 1 => retry.max_attempts = Some(n),
                _ => invalid_settings.push(format!(
                    "{source}: invalid max attempts {v:?}: must be an integer of at least 1"
                )),
            }
        }
        let s3 = S3Config {
            force_path_style: profile("s3.addressing_style").and_then(|s| match s.trim() {
                "path" => Some(true),
                "virtual" => Some(false),
                _ => None,
            }),
            use_accelerate: profile("s3.use_accelerate_endpoint")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            use_arn_region: env
                .get("AWS_S3_USE_ARN_REGION")
                .or_else(|| profile("s3_use_arn_region"))
                .or_else(|| profile("s3.use_arn_region"))
                .map(|v| v.trim().eq_ignore_ascii_case("true")),
            disable_multi_region_access_points: env
                .get("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS")
                .or_else(|| profile("s3.s3_disable_multiregion_access_points"))
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            use_global_endpoint: env
                .get("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT")
                .or_else(|| profile("s3_us_east_1_regional_endpoint"))
                .or_else(|| profile("s3.us_east_1_regional_endpoint"))
                .map(|v| v.trim() != "regional"),
            disable_express_session_auth: flag(
                "AWS_S3_DISABLE_EXPRESS_SESSION_AUTH",
                "s3_disable_express_session_auth",
            ),
        };
        let mut http = HttpConfig {
            ca_bundle: env
                .get("AWS_CA_BUNDLE")
                .or_else(|| profile("ca_bundle"))
                .map(PathBuf::from),
            ..HttpConfig::default()
        };
        let keepalive = env
            .get("BOTOCORE_TCP_KEEPALIVE")
            .or_else(|| profile("tcp_keepalive"));
        if keepalive.is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
            http.tcp_keepalive = Some(DEFAULT_TCP_KEEPALIVE);
        }
        Config {
            region: super::region::local_region(env, None),
            endpoint_url: env.get("AWS_ENDPOINT_URL"),
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
            http,
            invalid_settings,
            request_checksum_calculation: setting(
                "AWS_REQUEST_CHECKSUM_CALCULATION",
                "request_checksum_calculation",
            )
            .map(|v| ChecksumWhen::parse(&v))
            .unwrap_or_default(),
            response_checksum_validation: setting(
                "AWS_RESPONSE_CHECKSUM_VALIDATION",
                "response_checksum_validation",
            )
            .map(|v| ChecksumWhen::parse(&v))
            .unwrap_or_default(),
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
        self.retry.max_attempts = Some(attempts.max(1));
        self
    }

    /// Shorthand for the retry mode (`standard`, `adaptive`, `legacy`).
    #[must_use]
    pub fn retry_mode(mut self, mode: RetryMode) -> Config {
        self.retry.mode = mode;
        self
    }

    #[must_use]
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Config {
        self.timeouts = timeouts;
        self
    }

    /// Bounds establishing a connection (TCP, proxy `CONNECT` and TLS).
    #[must_use]
    pub fn connect_timeout(mut self, after: impl Into<Option<Duration>>) -> Config {
        self.timeouts.connect = after.into();
        self
    }

    /// Bounds each attempt (see [`TimeoutConfig::attempt`]).
    #[must_use]
    pub fn attempt_timeout(mut self, after: impl Into<Option<Duration>>) -> Config {
        self.timeouts.attempt = after.into();
        self
    }

    /// Bounds the whole call, retries included (see [`TimeoutConfig::operation`]).
    #[must_use]
    pub fn operation_timeout(mut self, after: impl Into<Option<Duration>>) -> Config {
        self.timeouts.operation = after.into();
        self
    }

    /// Bounds each wait for data from the server (see [`TimeoutConfig::read`]).
    #[must_use]
    pub fn read_timeout(mut self, after: impl Into<Option<Duration>>) -> Config {
        self.timeouts.read = after.into();
        self
    }

    #[must_use]
    pub fn stalled_stream_protection(mut self, protection: StalledStreamProtection) -> Config {
        self.stalled_stream = protection;
        self
    }

    /// Settings of the built-in HTTP client.
    #[must_use]
    pub fn http(mut self, http: HttpConfig) -> Config {
        self.http = http;
        self
    }

    /// Sends requests through `client` instead of the built-in client.
    #[must_use]
    pub fn http_client(mut self, client: impl HttpClient) -> Config {
        self.http_client = Some(SharedHttpClient::new(client));
        self
    }

    /// Uses these proxies (or none) instead of the environment's.
    #[must_use]
    pub fn proxy(mut self, proxy: ProxyConfig) -> Config {
        self.http.proxy = proxy;
        self
    }

    /// Trusts the certificates in this PEM file instead of the built-in
    /// Mozilla roots (what `AWS_CA_BUNDLE` does).
    #[must_use]
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Config {
        self.http.ca_bundle = Some(path.into());
        self
    }

    /// Connects to `addr` whenever a connection to `host` is opened
    /// (curl's `--resolve`): the URL, `Host` header, TLS server name and
    /// signature still name `host`. Repeat for more hosts.
    #[must_use]
    pub fn resolve(mut self, host: impl Into<String>, addr: SocketAddr) -> Config {
        self.http
            .resolve
            .push((host.into().to_ascii_lowercase(), addr));
        self
    }

    #[must_use]
    pub fn validation(mut self, policy: ValidationPolicy) -> Config {
        self.validation = policy;
        self
    }

    /// Sets [`Config::request_checksum_calculation`].
    #[must_use]
    pub fn request_checksum_calculation(mut self, when: ChecksumWhen) -> Config {
        self.request_checksum_calculation = when;
        self
    }

    /// Sets [`Config::response_checksum_validation`].
    #[must_use]
    pub fn response_checksum_validation(mut self, when: ChecksumWhen) -> Config {
        self.response_checksum_validation = when;
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

/// Retry behaviour, as botocore 1.44.5 defines it (see [`RetryMode`]).
///
/// Every field has botocore's default; [`Config::from_env`] reads
/// `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS` (else the profile's `retry_mode` /
/// `max_attempts`) into `mode` and `max_attempts`. Retries apply to every
/// operation, idempotent or not, as in the SDKs: the request is serialized
/// once, so an idempotency token filled in by the client is the same in
/// every attempt, and each attempt is signed afresh. A request body that
/// can only be read once (a one-shot stream) is never sent twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// `standard` (the default), `adaptive` or `legacy`.
    pub mode: RetryMode,
    /// Total attempts, the first included (1 disables retries). `None`:
    /// the mode's default for the service — 3 in standard and adaptive
    /// mode (4 for DynamoDB and DynamoDB Streams), `_retry.json`'s in
    /// legacy mode (5; 10 for DynamoDB).
    pub max_attempts: Option<u32>,
    /// Replaces the delay's base, whatever the error (for tests and
    /// special needs). `None`: the mode's — standard: the first retry waits
    /// up to 1 s after throttling, up to 50 ms otherwise (25 ms for
    /// DynamoDB); legacy: `_retry.json`'s (a random second, or 50 ms for
    /// DynamoDB), doubling each time.
    pub initial_backoff: Option<Duration>,
    /// Cap on any single delay (default 20 s; standard mode lets an
    /// `x-amz-retry-after` header exceed it by up to 5 s, as botocore does).
    pub max_backoff: Duration,
    /// Use the standard and adaptive modes' retry quota (default true).
    pub retry_quota: bool,
}

impl Default for RetryConfig {
    fn default() -> RetryConfig {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: None,
            initial_backoff: None,
            max_backoff: Duration::from_secs(20),
            retry_quota: true,
        }
    }
}

impl RetryConfig {
    /// No retries: one attempt.
    pub fn disabled() -> RetryConfig {
        RetryConfig {
            max_attempts: Some(1),
            ..RetryConfig::default()
        }
    }

    /// The default settings in this mode.
    pub fn mode(mode: RetryMode) -> RetryConfig {
        RetryConfig {
            mode,
            ..RetryConfig::default()
        }
    }
}

/// How failed attempts are retried: the SDKs' retry modes, with botocore
/// 1.44.5's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryMode {
    /// Retries transport errors and timeouts, HTTP 500/502/503/504, the
    /// SDKs' transient and throttling error codes, a 429 whose code the
    /// operation does not model, and modeled errors marked `retryable`,
    /// with exponential back-off and full jitter (each delay is a random
    /// fraction of `min(base * 2^(n-1), max_backoff)`). A client-wide retry
    /// quota of 500 stops retry storms: a retry takes 14 (5 after
    /// throttling), a success gives back what its last retry took, or 1.
    #[default]
    Standard,
    /// Standard, plus client-side rate limiting: once the service
    /// throttles, attempts wait for tokens from a bucket whose rate follows
    /// CUBIC (cut to 70 % of the measured send rate on each throttling
    /// response, growing back with successes). Shared by all calls of a client.
    Adaptive,
    /// botocore's original mode: the policies of its `_retry.json` (HTTP
    /// 429/500/502/503/504/509, connection errors, a few throttling codes
    /// with their status, and per-service entries), `rand * 2^(n-1)` second
    /// delays, no quota.
    Legacy,
}

impl RetryMode {
    /// The name botocore and the SDKs use (`AWS_RETRY_MODE`).
    pub fn as_str(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
            RetryMode::Legacy => "legacy",
        }
    }
}

impl std::fmt::Display for RetryMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RetryMode {
    type Err = String;

    /// `standard`, `adaptive` or `legacy`, as botocore accepts them.
    fn from_str(s: &str) -> Result<RetryMode, String> {
        match s.trim() {
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            "legacy" => Ok(RetryMode::Legacy),
            other => Err(format!(
                "invalid retry mode {other:?}: must be one of standard, adaptive, legacy"
            )),
        }
    }
}

/// Timeouts; `None` means no limit. The defaults are the AWS SDKs':
/// connect 3.1 s, the others unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Establishing a connection: TCP, a proxy's `CONNECT` and the TLS
    /// handshake (default 3.1 s). Applies to the built-in HTTP client.
    pub connect: Option<Duration>,
    /// One attempt: sending the request and receiving the response, with
    /// its whole body unless the output streams (then up to the headers).
    pub attempt: Option<Duration>,
    /// The whole call, including every retry and backoff delay (for a
    /// streaming output, up to its headers).
    pub operation: Option<Duration>,
    /// Each wait for data from the server: for the response headers
    /// (counted from the last byte of the request the server took), and for
    /// each chunk of a response body. botocore's `read_timeout`.
    pub read: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> TimeoutConfig {
        TimeoutConfig {
            connect: Some(Duration::from_millis(3100)),
            attempt: None,
            operation: None,
            read: None,
        }
    }
}

/// Stalled-stream protection (aws-sdk-rust's, on by default since 2024):
/// a request body that produces no bytes, or a response body that receives
/// none, for `grace_period` fails with a [`StalledStreamError`]
/// (retried like a timeout when the body can be sent again; for a
/// streaming output the error comes from reading its [`ByteStream`]).
///
/// [`StalledStreamError`]: super::StalledStreamError
/// [`ByteStream`]: crate::ByteStream
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StalledStreamProtection {
    pub enabled: bool,
    /// How long a body may deliver nothing (default 5 s).
    pub grace_period: Duration,
}

impl Default for StalledStreamProtection {
    fn default() -> StalledStreamProtection {
        StalledStreamProtection {
            enabled: true,
            grace_period: Duration::from_secs(5),
        }
    }
}

impl StalledStreamProtection {
    pub fn disabled() -> StalledStreamProtection {
        StalledStreamProtection {
            enabled: false,
            ..StalledStreamProtection::default()
        }
    }

    pub fn grace_period(grace_period: Duration) -> StalledStreamProtection {
        StalledStreamProtection {
            enabled: true,
            grace_period,
        }
    }

    pub(crate) fn limit(&self) -> Option<Duration> {
        self.enabled.then_some(self.grace_period)
    }
}

/// The TCP keep-alive idle time `tcp_keepalive = true` turns on.
pub const DEFAULT_TCP_KEEPALIVE: Duration = Duration::from_secs(60);

/// Settings of the built-in HTTP client ([`super::DefaultHttpClient`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Which proxies to use (default: the environment's).
    pub proxy: ProxyConfig,
    /// A PEM file of CA certificates to trust instead of the built-in
    /// Mozilla roots (`AWS_CA_BUNDLE`, profile `ca_bundle`).
    pub ca_bundle: Option<PathBuf>,
    /// Host → socket address overrides, consulted before DNS for every
    /// connection (see [`Config::resolve`]). Host names are lower case.
    pub resolve: Vec<(String, SocketAddr)>,
    /// Close pooled connections idle for longer than this (default 60 s;
    /// `None` keeps them).
    pub pool_idle_timeout: Option<Duration>,
    /// Keep at most this many idle connections per host (default: no limit).
    pub pool_max_idle_per_host: usize,
    /// Reuse HTTP/1.1 connections (keep-alive; default true). `false`
    /// opens a new connection for every request.
    pub keep_alive: bool,
    /// Enable TCP keep-alive probes after this idle time (default off;
    /// `BOTOCORE_TCP_KEEPALIVE=true` / profile `tcp_keepalive = true` turn
    /// it on with [`DEFAULT_TCP_KEEPALIVE`]).
    pub tcp_keepalive: Option<Duration>,
    /// Speak HTTP/2 without negotiating it (h2c "prior knowledge" on
    /// `http://`); needs the `http2` feature. Without it, HTTP/2 is used
    /// over TLS when the `http2` feature is on and the server picks `h2`.
    pub http2_prior_knowledge: bool,
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        HttpConfig {
            proxy: ProxyConfig::default(),
            ca_bundle: None,
            resolve: Vec::new(),
            pool_idle_timeout: Some(Duration::from_secs(60)),
            pool_max_idle_per_host: usize::MAX,
            keep_alive: true,
            tcp_keepalive: None,
            http2_prior_knowledge: false,
        }
    }
}

/// Which HTTP proxies the built-in client uses. Only `http://` proxy URLs
/// are supported (optionally with `user:password@` for basic auth); HTTPS
/// requests go through them with `CONNECT`, plain HTTP requests in
/// absolute form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxyConfig {
    /// `HTTPS_PROXY` for https URLs, `HTTP_PROXY` for http URLs (either
    /// falls back to `ALL_PROXY`), except hosts matching `NO_PROXY`; each
    /// also in lower case, read when the client is created (the default).
    #[default]
    FromEnv,
    /// No proxy, whatever the environment says.
    Disabled,
    /// These proxies; `no_proxy` uses `NO_PROXY` syntax (comma-separated
    /// hosts, `.domain` suffixes, IPs, CIDR blocks, `*`).
    Custom {
        http: Option<String>,
        https: Option<String>,
        no_proxy: Option<String>,
    },
}

impl ProxyConfig {
    /// The same proxy for http and https URLs.
    pub fn all(url: impl Into<String>) -> ProxyConfig {
        let url = url.into();
        ProxyConfig::Custom {
            http: Some(url.clone()),
            https: Some(url),
            no_proxy: None,
        }
    }

    /// Resolves [`ProxyConfig::FromEnv`] with a variable lookup (e.g.
    /// `|n| std::env::var(n).ok()`), for an HTTP client of your own.
    pub fn resolve_with(&self, env: &dyn Fn(&str) -> Option<String>) -> ProxyConfig {
        if *self != ProxyConfig::FromEnv {
            return self.clone();
        }
        let first = |names: &[&str]| names.iter().find_map(|n| env(n).filter(|v| !v.is_empty()));
        let all = first(&["ALL_PROXY", "all_proxy"]);
        // In a CGI program HTTP_PROXY can be set by a request header
        // ("httpoxy"), so only the lower-case name counts there.
        let http = if env("REQUEST_METHOD").is_some() {
            first(&["http_proxy"])
        } else {
            first(&["HTTP_PROXY", "http_proxy"])
        };
        ProxyConfig::Custom {
            http: http.or_else(|| all.clone()),
            https: first(&["HTTPS_PROXY", "https_proxy"]).or(all),
            no_proxy: first(&["NO_PROXY", "no_proxy"]),
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
        assert_eq!(c.retry.max_attempts, Some(1), "at least one attempt");
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
        assert_eq!(Config::new().retry, RetryConfig::default());
        assert_eq!(Config::new().retry.max_attempts, None, "the mode's default");
        assert_eq!(Config::new().retry.mode, RetryMode::Standard);
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
        assert_eq!(c.retry.max_attempts, Some(5));
        assert!(c.invalid_settings.is_empty());
        let c = Config::from_env_vars(&Env::from_vars([("AWS_CONFIG_FILE", "/nonexistent")]));
        assert_eq!((c.region, c.endpoint_url), (None, None));
        assert_eq!(c.retry, RetryConfig::default());
    }

    /// botocore's config store: `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS`, else
    /// the profile's `retry_mode` / `max_attempts`; values botocore rejects
    /// are reported, naming where they came from.
    #[test]
    fn retry_settings_from_environment_then_profile() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config_file = dir.path().join("config");
        std::fs::write(
            &config_file,
            "[default]\nretry_mode = adaptive\nmax_attempts = 7\n\
             [profile bad]\nretry_mode = Standard\nmax_attempts = 0\n",
        )
        .expect("write config");
        let files = vec![
            ("AWS_CONFIG_FILE", config_file.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.path().join("none").display().to_string(),
            ),
        ];
        let with = |extra: &[(&'static str, &str)]| {
            let mut vars = files.clone();
            vars.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
            Config::from_env_vars(&Env::from_vars(vars))
        };
        let c = with(&[]);
        assert_eq!(
            (c.retry.mode, c.retry.max_attempts),
            (RetryMode::Adaptive, Some(7))
        );
        assert!(c.invalid_settings.is_empty(), "{:?}", c.invalid_settings);
        let c = with(&[("AWS_RETRY_MODE", "legacy"), ("AWS_MAX_ATTEMPTS", " 2 ")]);
        assert_eq!(
            (c.retry.mode, c.retry.max_attempts),
            (RetryMode::Legacy, Some(2))
        );
        let c = with(&[("AWS_PROFILE", "bad")]);
        assert_eq!(c.retry, RetryConfig::default());
        assert_eq!(
            c.invalid_settings,
            [
                "profile key retry_mode: invalid retry mode \"Standard\": must be one of \
                 standard, adaptive, legacy",
                "profile key max_attempts: invalid max attempts \"0\": must be an integer of \
                 at least 1",
            ]
        );
        let c = with(&[("AWS_MAX_ATTEMPTS", "three")]);
        assert_eq!(c.retry.max_attempts, None);
        assert_eq!(
            c.invalid_settings,
            ["AWS_MAX_ATTEMPTS: invalid max attempts \"three\": must be an integer of at least 1"]
        );
        assert_eq!("adaptive".parse::<RetryMode>(), Ok(RetryMode::Adaptive));
        assert_eq!(RetryMode::Legacy.to_string(), "legacy");
        assert_eq!(
            Config::new().retry_mode(RetryMode::Legacy).retry,
            RetryConfig::mode(RetryMode::Legacy)
        );
    }

    #[test]
    fn environment_and_profile_settings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config_file = dir.path().join("config");
        std::fs::write(
            &config_file,
            "[default]\nca_bundle = /profile/ca.pem\nregion = ap-south-1\n",
        )
        .expect("write config");
        let files = [
            ("AWS_CONFIG_FILE", config_file.display().to_string()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.path().join("none").display().to_string(),
            ),
        ];
        let mut vars: Vec<(&str, String)> = files.to_vec();
        vars.extend([
            ("AWS_CA_BUNDLE", "/etc/bundle.pem".to_owned()),
            ("BOTOCORE_TCP_KEEPALIVE", "true".to_owned()),
            ("AWS_REGION", "eu-west-3".to_owned()),
        ]);
        let c = Config::from_env_vars(&Env::from_vars(vars));
        assert_eq!(c.region.as_deref(), Some("eu-west-3"));
        assert_eq!(c.http.ca_bundle, Some(PathBuf::from("/etc/bundle.pem")));
        assert_eq!(c.http.tcp_keepalive, Some(DEFAULT_TCP_KEEPALIVE));
        // The profile fills what the environment leaves out.
        let c = Config::from_env_vars(&Env::from_vars(files));
        assert_eq!(c.region.as_deref(), Some("ap-south-1"));
        assert_eq!(c.http.ca_bundle, Some(PathBuf::from("/profile/ca.pem")));
        assert_eq!(c.http.tcp_keepalive, None);
        let d = Config::new();
        assert_eq!(d.timeouts.connect, Some(Duration::from_millis(3100)));
        assert_eq!(
            (d.timeouts.attempt, d.timeouts.operation, d.timeouts.read),
            (None, None, None)
        );
        assert_eq!(d.stalled_stream.limit(), Some(Duration::from_secs(5)));
        assert_eq!(d.http.proxy, ProxyConfig::FromEnv);
    }

    #[test]
    fn proxies_from_the_environment() {
        let lookup = |vars: &'static [(&'static str, &'static str)]| {
            move |n: &str| {
                vars.iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let env = lookup(&[
            ("HTTPS_PROXY", "http://secure:3128"),
            ("http_proxy", "http://plain:8080"),
            ("no_proxy", "localhost,.internal"),
        ]);
        assert_eq!(
            ProxyConfig::FromEnv.resolve_with(&env),
            ProxyConfig::Custom {
                http: Some("http://plain:8080".into()),
                https: Some("http://secure:3128".into()),
                no_proxy: Some("localhost,.internal".into()),
            }
        );
        let all = lookup(&[("ALL_PROXY", "http://all:1"), ("HTTP_PROXY", "http://h:2")]);
        assert_eq!(
            ProxyConfig::FromEnv.resolve_with(&all),
            ProxyConfig::Custom {
                http: Some("http://h:2".into()),
                https: Some("http://all:1".into()),
                no_proxy: None,
            }
        );
        let cgi = lookup(&[("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://evil:1")]);
        assert_eq!(
            ProxyConfig::FromEnv.resolve_with(&cgi),
            ProxyConfig::Custom {
                http: None,
                https: None,
                no_proxy: None
            }
        );
        // Explicit settings ignore the environment.
        assert_eq!(
            ProxyConfig::Disabled.resolve_with(&env),
            ProxyConfig::Disabled
        );
    }

    #[test]
    fn checksum_settings_from_environment_then_profile() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config_file = dir.path().join("config");
        std::fs::write(
            &config_file,
            "[default]\nrequest_checksum_calculation = when_required\n\
             response_checksum_validation = WHEN_REQUIRED\n",
        )
        .expect("write config");
        let file = ("AWS_CONFIG_FILE", config_file.display().to_string());
        let none = ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent".to_owned());
        let c = Config::from_env_vars(&Env::from_vars([file.clone(), none.clone()]));
        assert_eq!(c.request_checksum_calculation, ChecksumWhen::WhenRequired);
        assert_eq!(c.response_checksum_validation, ChecksumWhen::WhenRequired);
        let c = Config::from_env_vars(&Env::from_vars([
            file,
            none,
            ("AWS_REQUEST_CHECKSUM_CALCULATION", "when_supported".into()),
            ("AWS_RESPONSE_CHECKSUM_VALIDATION", "often".into()),
        ]));
        assert_eq!(c.request_checksum_calculation, ChecksumWhen::WhenSupported);
        assert_eq!(
            c.response_checksum_validation,
            ChecksumWhen::Unknown("often".into())
        );
        let c = Config::from_env_vars(&Env::from_vars([(
            "AWS_CONFIG_FILE",
            "/nonexistent".to_owned(),
        )]));
        assert_eq!(c.request_checksum_calculation, ChecksumWhen::WhenSupported);
        assert_eq!(c.response_checksum_validation, ChecksumWhen::WhenSupported);
    }

    #[test]
    fn endpoint_settings_from_environment_then_profile() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config_file = dir.path().join("config");
        std::fs::write(
            &config_file,
            "[default]\nregion = eu-west-3\nuse_fips_endpoint = false\n\
             use_dualstack_endpoint = true\naws_account_id = 999999999999\n\
             account_id_endpoint_mode = disabled\nsts_regional_endpoints = legacy\n\
             s3 =\n  addressing_style = path\n  use_accelerate_endpoint = true\n\
             s3_us_east_1_regional_endpoint = regional\n\
             s3_disable_express_session_auth = true\n\
             [profile virtual]\ns3 =\n  addressing_style = virtual\n",
        )
        .expect("write config");
        let file = ("AWS_CONFIG_FILE", config_file.display().to_string());
        let no_credentials = (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("none").display().to_string(),
        );
        let env = Env::from_vars([
            file.clone(),
            no_credentials.clone(),
            ("AWS_USE_FIPS_ENDPOINT", "TRUE".to_owned()),
            ("AWS_S3_USE_ARN_REGION", "false".to_owned()),
            ("AWS_ACCOUNT_ID", "111122223333".to_owned()),
        ]);
        let c = Config::from_env_vars(&env);
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
        let empty = Config::from_env_vars(&Env::from_vars([
            (
                "AWS_CONFIG_FILE",
                dir.path().join("none").display().to_string(),
            ),
            no_credentials.clone(),
        ]));
        assert!(!empty.use_fips && !empty.use_dual_stack && !empty.sts_use_global_endpoint);
        assert_eq!(empty.s3, S3Config::default());
        let virtual_hosts = Config::from_env_vars(&Env::from_vars([
            file,
            no_credentials,
            ("AWS_PROFILE", "virtual".to_owned()),
        ]));
        assert_eq!(virtual_hosts.s3.force_path_style, Some(false));
    }
}
