//! The full AWS credentials and region chain for botogen clients.
//!
//! ```no_run
//! # async fn demo() {
//! let config = botogen_config::load().await;
//! // let client = botogen_sqs::Client::new(config);
//! # let _ = config;
//! # }
//! ```
//!
//! [`load`] resolves the region (explicit, `AWS_REGION`,
//! `AWS_DEFAULT_REGION`, the profile, EC2 instance metadata) and installs
//! [`DefaultChain`], the credentials chain in botocore's order:
//!
//! 1. environment keys (`AWS_ACCESS_KEY_ID`, ...; skipped when the program
//!    names a profile with [`ConfigLoader::profile`]);
//! 2. the profile (`AWS_PROFILE`, else `default`, in `~/.aws/config` and
//!    `~/.aws/credentials`): `role_arn` with `source_profile` (chains
//!    followed, cycles reported) or `credential_source`; web identity
//!    (`web_identity_token_file`, or `AWS_WEB_IDENTITY_TOKEN_FILE` +
//!    `AWS_ROLE_ARN` as EKS sets them); SSO (`sso_session` or the legacy
//!    `sso_start_url` keys, reading the AWS CLI's token cache and refreshing
//!    the token through SSO-OIDC); static keys; `credential_process`;
//! 3. the container endpoint (ECS, EKS Pod Identity);
//! 4. EC2 instance metadata (IMDSv2, IMDSv1 fallback).
//!
//! The calls this needs (STS `AssumeRole` and `AssumeRoleWithWebIdentity`,
//! SSO `GetRoleCredentials`, SSO-OIDC `CreateToken`) use botogen's own
//! generated crates. Their endpoints follow the configured-endpoint
//! settings: `AWS_ENDPOINT_URL_STS` (`_SSO`, `_SSO_OIDC`), then
//! `AWS_ENDPOINT_URL`, then the profile's `services` section and
//! `endpoint_url` (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`).
//!
//! The sources that need no AWS call live in `botogen-runtime`
//! ([`botogen_runtime::client::credentials`]); a program with static keys
//! does not need this crate.

mod endpoint;
mod profile;
mod sso;
mod sts;

pub use profile::ProfileProvider;
pub use sso::SsoProvider;
pub use sts::{AssumeRoleProvider, MfaTokenProvider, WebIdentityProvider};

use botogen_runtime::client::credentials::ProvideCredentialsFuture;
use botogen_runtime::client::credentials::{self as rt, Clock, ProvideCredentials};
use botogen_runtime::client::{Config, SharedCredentials, region};
use botogen_runtime::env::Env;
use std::path::PathBuf;
use std::sync::Arc;

/// Settings every provider of this crate shares: the environment, the
/// profile (when the program names one), the region for STS, the MFA
/// prompt, the SSO token cache and the clock.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub env: Env,
    /// `None`: `AWS_PROFILE`, else `default`.
    pub profile: Option<String>,
    /// The region STS is called in (`None`: the environment's or the
    /// profile's, else `us-east-1`).
    pub region: Option<String>,
    pub mfa: Option<MfaTokenProvider>,
    /// Where the AWS CLI caches SSO tokens (`None`: `~/.aws/sso/cache`).
    pub sso_cache_dir: Option<PathBuf>,
    pub clock: Clock,
}

impl Context {
    /// The region for calls made while resolving credentials.
    pub(crate) fn sts_region(&self) -> String {
        self.region
            .clone()
            .or_else(|| region::local_region(&self.env, self.profile.as_deref()))
            .unwrap_or_else(|| "us-east-1".to_owned())
    }

    pub(crate) fn sso_cache_dir(&self) -> Option<PathBuf> {
        self.sso_cache_dir
            .clone()
            .or_else(|| Some(self.env.home_dir()?.join(".aws").join("sso").join("cache")))
    }
}

/// The default chain with every source: the runtime's
/// [`rt::DefaultChain`] with [`ProfileProvider`] as its profile step.
#[derive(Debug)]
pub struct DefaultChain(rt::DefaultChain);

impl DefaultChain {
    pub fn new(cx: Context) -> DefaultChain {
        let mut chain = rt::DefaultChain::new().with_env(cx.env.clone());
        if let Some(name) = &cx.profile {
            chain = chain.profile(name.clone());
        }
        DefaultChain(chain.with_profile_provider(ProfileProvider::new(cx)))
    }
}

impl Default for DefaultChain {
    fn default() -> DefaultChain {
        DefaultChain::new(Context::default())
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        self.0.provide_credentials()
    }
}

/// Builds a [`Config`] from the environment, the profile and instance
/// metadata.
#[derive(Debug, Default)]
pub struct ConfigLoader {
    cx: Context,
}

impl ConfigLoader {
    pub fn new() -> ConfigLoader {
        ConfigLoader::default()
    }

    /// Reads `env` instead of the process environment.
    #[must_use]
    pub fn env(mut self, env: Env) -> ConfigLoader {
        self.cx.env = env;
        self
    }

    /// Uses this profile; `AWS_PROFILE` and the environment's keys are then
    /// ignored, as botocore ignores them for `Session(profile_name=...)`.
    #[must_use]
    pub fn profile(mut self, name: impl Into<String>) -> ConfigLoader {
        self.cx.profile = Some(name.into());
        self
    }

    /// Uses this region instead of resolving one.
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> ConfigLoader {
        self.cx.region = Some(region.into());
        self
    }

    /// Asked for the current code of an MFA device when a role profile sets
    /// `mfa_serial` (called off the async threads, so it may block reading
    /// a terminal).
    #[must_use]
    pub fn mfa_token_provider(
        mut self,
        provider: impl Fn(&str) -> Result<String, String> + Send + Sync + 'static,
    ) -> ConfigLoader {
        self.cx.mfa = Some(MfaTokenProvider(Arc::new(provider)));
        self
    }

    /// Reads SSO tokens from this directory instead of `~/.aws/sso/cache`.
    #[must_use]
    pub fn sso_cache_dir(mut self, dir: impl Into<PathBuf>) -> ConfigLoader {
        self.cx.sso_cache_dir = Some(dir.into());
        self
    }

    /// The settings, with the region resolved now (IMDS is asked only when
    /// neither the environment nor the profile names one) and credentials
    /// resolved at the first call.
    pub async fn load(self) -> Config {
        let mut cx = self.cx;
        let region = match cx.region.clone() {
            Some(r) => Some(r),
            None => region::default_region(&cx.env, cx.profile.as_deref()).await,
        };
        cx.region.clone_from(&region);
        let mut config = Config::from_env_vars(&cx.env);
        config.region = region;
        config.credentials = Some(SharedCredentials::new(DefaultChain::new(cx)));
        config
    }
}

/// [`ConfigLoader::new`]`.load()`: the environment's settings.
pub async fn load() -> Config {
    ConfigLoader::new().load().await
}
