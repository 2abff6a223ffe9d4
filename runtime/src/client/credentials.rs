//! Where signing keys come from.
//!
//! A source implements [`ProvideCredentials`] (async: some sources are
//! HTTP endpoints). [`SharedCredentials`] wraps one in a [`CredentialsCache`],
//! which refreshes credentials with an expiry shortly before it, once for
//! all the tasks asking at that moment.
//!
//! Sources here need no AWS API: fixed keys ([`Credentials`] itself), the
//! environment ([`EnvironmentCredentials`]), profiles with static keys or
//! `credential_process` ([`ProfileCredentials`], [`ProcessCredentials`]),
//! the ECS/EKS container endpoint ([`ContainerCredentials`]) and EC2
//! instance metadata ([`ImdsCredentials`]). [`DefaultChain`] tries them in
//! botocore's order; what a client uses when none is configured.
//!
//! Sources that call AWS — `role_arn` profiles, web identity (EKS IRSA),
//! SSO — live in the `botogen-config` crate, above the generated STS, SSO
//! and SSO-OIDC crates, so a program with static keys compiles none of
//! them. Without it, a profile or environment asking for one of them is an
//! error that says so (never a silent fall-through to another identity).
//!
//! Providers written for the official SDK (anything implementing
//! `aws-credential-types`' `ProvideCredentials`, such as `aws-config`'s
//! chain) plug in through [`AwsSdkCredentials`].

mod adapter;
mod cache;
mod chain;
mod container;
mod environment;
pub(crate) mod http;
pub mod imds;
mod process;
pub mod profile;

pub use adapter::AwsSdkCredentials;
pub use cache::{CacheSettings, CredentialsCache};
pub use chain::{ChainProvider, DefaultChain};
pub use container::ContainerCredentials;
pub use environment::EnvironmentCredentials;
pub use imds::ImdsCredentials;
pub use process::ProcessCredentials;
pub use profile::ProfileCredentials;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;

/// AWS access keys.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Set for temporary credentials (STS).
    pub session_token: Option<String>,
    /// When temporary credentials stop working; `None` for long-lived keys.
    pub expires_at: Option<SystemTime>,
}

impl Credentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expires_at: None,
        }
    }

    /// The same keys, expiring at `at`.
    #[must_use]
    pub fn expiring_at(mut self, at: SystemTime) -> Credentials {
        self.expires_at = Some(at);
        self
    }
}

/// Secrets stay out of logs.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// What kind of failure a [`CredentialsError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// This source is not configured; a chain moves on to the next one.
    NotFound,
    /// This source is configured but unusable (a malformed file, half-set
    /// keys, a profile cycle); a chain stops here.
    Invalid,
    /// The source was tried and failed (an endpoint down, a role denied,
    /// a process exiting non-zero); a chain stops here.
    Failed,
}

/// Why a source has no credentials: which source, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    provider: String,
    message: String,
}

impl CredentialsError {
    pub fn new(
        kind: CredentialsErrorKind,
        provider: impl Into<String>,
        message: impl Into<String>,
    ) -> CredentialsError {
        CredentialsError {
            kind,
            provider: provider.into(),
            message: message.into(),
        }
    }

    /// The source has nothing (a chain continues).
    pub fn not_found(provider: impl Into<String>, message: impl Into<String>) -> CredentialsError {
        CredentialsError::new(CredentialsErrorKind::NotFound, provider, message)
    }

    /// The source is configured wrongly (a chain stops).
    pub fn invalid(provider: impl Into<String>, message: impl Into<String>) -> CredentialsError {
        CredentialsError::new(CredentialsErrorKind::Invalid, provider, message)
    }

    /// The source failed (a chain stops).
    pub fn failed(provider: impl Into<String>, message: impl Into<String>) -> CredentialsError {
        CredentialsError::new(CredentialsErrorKind::Failed, provider, message)
    }

    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    pub fn is_not_found(&self) -> bool {
        self.kind == CredentialsErrorKind::NotFound
    }

    /// The source that failed, e.g. `environment`, `profile dev`, `IMDS`.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.provider, self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// What a provider returns.
pub type CredentialsResult = Result<Credentials, CredentialsError>;

/// The future [`ProvideCredentials::provide_credentials`] returns: either
/// an answer already known (no allocation) or a boxed future.
#[must_use = "futures do nothing unless polled"]
pub struct ProvideCredentialsFuture<'a>(FutureState<'a>);

enum FutureState<'a> {
    Ready(Option<CredentialsResult>),
    Pending(Pin<Box<dyn Future<Output = CredentialsResult> + Send + 'a>>),
}

impl<'a> ProvideCredentialsFuture<'a> {
    /// An answer known without waiting.
    pub fn ready(result: CredentialsResult) -> ProvideCredentialsFuture<'a> {
        ProvideCredentialsFuture(FutureState::Ready(Some(result)))
    }

    /// Wraps an async computation.
    pub fn new(
        future: impl Future<Output = CredentialsResult> + Send + 'a,
    ) -> ProvideCredentialsFuture<'a> {
        ProvideCredentialsFuture(FutureState::Pending(Box::pin(future)))
    }
}

impl fmt::Debug for ProvideCredentialsFuture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProvideCredentialsFuture")
            .finish_non_exhaustive()
    }
}

impl Future for ProvideCredentialsFuture<'_> {
    type Output = CredentialsResult;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<CredentialsResult> {
        match &mut self.0 {
            FutureState::Ready(result) => Poll::Ready(
                result
                    .take()
                    .expect("ProvideCredentialsFuture polled after completion"),
            ),
            FutureState::Pending(future) => future.as_mut().poll(cx),
        }
    }
}

/// A source of credentials. Implement it to plug in your own; the client
/// caches what it returns (see [`CredentialsCache`]), so a provider should
/// fetch fresh credentials each time it is asked.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::ready(Ok(self.clone()))
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Arc<P> {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for Box<P> {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// The credentials of a [`super::Config`]: a cached provider shared by
/// every clone of the config and the clients made from it, or "anonymous"
/// (requests go out unsigned).
#[derive(Clone)]
pub struct SharedCredentials(Option<Arc<CredentialsCache>>);

impl SharedCredentials {
    /// `provider` behind a [`CredentialsCache`] with default settings.
    pub fn new(provider: impl ProvideCredentials + 'static) -> SharedCredentials {
        SharedCredentials(Some(Arc::new(CredentialsCache::new(provider))))
    }

    /// An already configured cache.
    pub fn from_cache(cache: CredentialsCache) -> SharedCredentials {
        SharedCredentials(Some(Arc::new(cache)))
    }

    /// No credentials: requests are sent unsigned (public buckets, local fakes).
    pub fn anonymous() -> SharedCredentials {
        SharedCredentials(None)
    }

    pub fn is_anonymous(&self) -> bool {
        self.0.is_none()
    }

    /// Current credentials (`None` when anonymous), from the cache or the
    /// provider.
    pub async fn credentials(&self) -> Result<Option<Credentials>, CredentialsError> {
        match &self.0 {
            None => Ok(None),
            Some(cache) => cache.provide_credentials().await.map(Some),
        }
    }
}

impl fmt::Debug for SharedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("SharedCredentials(anonymous)"),
            Some(cache) => f.debug_tuple("SharedCredentials").field(cache).finish(),
        }
    }
}

/// What "now" is for expiry checks; replaceable so tests can move time.
#[derive(Clone)]
pub struct Clock(Option<Arc<dyn Fn() -> SystemTime + Send + Sync>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock reading `now` (tests).
    pub fn from_fn(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Clock {
        Clock(Some(Arc::new(now)))
    }

    pub fn now(&self) -> SystemTime {
        match &self.0 {
            None => SystemTime::now(),
            Some(now) => now(),
        }
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Clock(custom)"
        } else {
            "Clock(system)"
        })
    }
}

/// An RFC 3339 / ISO 8601 time (as IMDS, containers, `credential_process`
/// and the SSO cache write them) as a [`SystemTime`].
pub fn parse_time(text: &str) -> Option<SystemTime> {
    let t = crate::timestamp::parse_iso8601(text.trim()).ok()?;
    let secs = u64::try_from(t.secs()).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::new(secs, t.subsec_nanos()))
}

/// A [`SystemTime`] as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_time(t: SystemTime) -> String {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let dt = crate::DateTime::from_secs(i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    crate::timestamp::format(dt, crate::schema::TimestampFormat::Iso8601)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn debug_redacts_secrets() {
        let text = format!(
            "{:?}",
            Credentials::new("AKID", "SECRETKEY", Some("TOKENVALUE".into()))
        );
        assert!(text.contains("AKID"));
        assert!(!text.contains("SECRETKEY") && !text.contains("TOKENVALUE"));
    }

    #[test]
    fn errors_name_their_source() {
        let e = CredentialsError::invalid("profile dev", "half-set keys");
        assert_eq!(e.to_string(), "profile dev: half-set keys");
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert!(!e.is_not_found() && CredentialsError::not_found("x", "y").is_not_found());
    }

    #[test]
    fn times_round_trip() {
        let t = parse_time("2030-01-02T03:04:05Z").unwrap();
        assert_eq!(format_time(t), "2030-01-02T03:04:05Z");
        assert_eq!(
            parse_time("2030-01-02T04:04:05+01:00"),
            Some(t),
            "offsets are honoured"
        );
        assert_eq!(
            parse_time("2030-01-02T03:04:05.5Z"),
            Some(t + Duration::from_millis(500))
        );
        assert_eq!(parse_time("soon"), None);
        assert_eq!(parse_time("1960-01-01T00:00:00Z"), None);
    }

    #[tokio::test]
    async fn static_keys_and_anonymous() {
        let keys = Credentials::new("AKID", "SECRET", None);
        assert_eq!(keys.provide_credentials().await, Ok(keys.clone()));
        let shared = SharedCredentials::new(keys.clone());
        assert_eq!(shared.credentials().await, Ok(Some(keys)));
        assert!(!shared.is_anonymous());
        assert_eq!(SharedCredentials::anonymous().credentials().await, Ok(None));
        assert!(format!("{:?}", SharedCredentials::anonymous()).contains("anonymous"));
    }
}
