//! Trying sources in order.

use super::profile::ProfileCredentials;
use super::{ContainerCredentials, CredentialsError, CredentialsResult, EnvironmentCredentials};
use super::{ImdsCredentials, ProvideCredentials, ProvideCredentialsFuture};
use crate::env::Env;
use std::sync::OnceLock;

/// Sources tried in order: the first credentials win; a source that is not
/// configured ([`CredentialsError::not_found`]) passes to the next; any
/// other error stops the chain (a broken configuration should not silently
/// give way to another identity).
#[derive(Debug, Default)]
pub struct ChainProvider {
    providers: Vec<Box<dyn ProvideCredentials>>,
}

impl ChainProvider {
    pub fn new() -> ChainProvider {
        ChainProvider::default()
    }

    /// Adds a source after the ones already there.
    #[must_use]
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> ChainProvider {
        self.providers.push(Box::new(provider));
        self
    }

    async fn load(&self) -> CredentialsResult {
        let mut tried = Vec::with_capacity(self.providers.len());
        for p in &self.providers {
            match p.provide_credentials().await {
                Ok(c) => return Ok(c),
                Err(e) if e.is_not_found() => tried.push(e.to_string()),
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::not_found(
            "credentials chain",
            format!("no credentials found ({})", tried.join("; ")),
        ))
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }
}

/// The runtime's default chain, in botocore's order, for the sources that
/// need no AWS call:
///
/// 1. the environment ([`EnvironmentCredentials`]; skipped when a profile
///    is named with [`DefaultChain::profile`], as botocore does);
/// 2. the selected profile ([`ProfileCredentials`]: static keys,
///    `credential_process`); a role, web identity (also from
///    `AWS_WEB_IDENTITY_TOKEN_FILE`) or SSO profile is an error pointing to
///    `botogen-config`, whose chain serves them;
/// 3. the container endpoint ([`ContainerCredentials`]) when configured;
/// 4. EC2 instance metadata ([`ImdsCredentials`]).
///
/// Nothing is read before the first call. A client with no configured
/// provider uses this chain behind a cache. `botogen-config` uses it too,
/// with its own profile step ([`DefaultChain::with_profile_provider`]).
#[derive(Debug, Default)]
pub struct DefaultChain {
    env: Env,
    profile: Option<String>,
    profile_provider: Option<Box<dyn ProvideCredentials>>,
    imds: OnceLock<ImdsCredentials>,
    container: OnceLock<ContainerCredentials>,
}

impl DefaultChain {
    pub fn new() -> DefaultChain {
        DefaultChain::default()
    }

    /// Reads `env` instead of the process environment.
    #[must_use]
    pub fn with_env(mut self, env: Env) -> DefaultChain {
        self.env = env;
        self
    }

    /// Uses this profile, ignoring `AWS_PROFILE` and the environment's keys.
    #[must_use]
    pub fn profile(mut self, name: impl Into<String>) -> DefaultChain {
        self.profile = Some(name.into());
        self
    }

    /// Replaces step 2: `provider` serves the profile (and the
    /// environment's web identity variables), answering
    /// [`CredentialsError::not_found`] when the profile configures nothing.
    #[must_use]
    pub fn with_profile_provider(
        mut self,
        provider: impl ProvideCredentials + 'static,
    ) -> DefaultChain {
        self.profile_provider = Some(Box::new(provider));
        self
    }

    async fn load(&self) -> CredentialsResult {
        let mut tried = Vec::with_capacity(4);
        let mut next = |r: CredentialsResult| match r {
            Err(e) if e.is_not_found() => {
                tried.push(e.to_string());
                None
            }
            other => Some(other),
        };
        if self.profile.is_none()
            && let Some(r) = next(EnvironmentCredentials::load(&self.env))
        {
            return r;
        }
        let from_profile = match &self.profile_provider {
            Some(p) => p.provide_credentials().await,
            None => {
                let profile = match &self.profile {
                    Some(name) => ProfileCredentials::new(name.clone()),
                    None => ProfileCredentials::default(),
                };
                profile
                    .with_env(self.env.clone())
                    .provide_credentials()
                    .await
            }
        };
        if let Some(r) = next(from_profile) {
            return r;
        }
        if ContainerCredentials::is_configured(&self.env) {
            let container = self
                .container
                .get_or_init(|| ContainerCredentials::with_env(self.env.clone()));
            if let Some(r) = next(container.provide_credentials().await) {
                return r;
            }
        }
        let imds = self
            .imds
            .get_or_init(|| ImdsCredentials::with_env(&self.env));
        if let Some(r) = next(imds.provide_credentials().await) {
            return r;
        }
        Err(CredentialsError::not_found(
            "credentials chain",
            format!("no credentials found ({})", tried.join("; ")),
        ))
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Credentials, CredentialsErrorKind};
    use super::*;
    use crate::fake_http::FakeServer as Server;

    #[tokio::test]
    async fn chains_stop_at_the_first_answer_or_a_real_error() {
        let none = || EnvironmentCredentials::with_env(Env::from_vars::<&str, &str>([]));
        let keys = Credentials::new("A", "S", None);
        let chain = ChainProvider::new().or_else(none()).or_else(keys.clone());
        assert_eq!(chain.provide_credentials().await, Ok(keys.clone()));
        let broken = EnvironmentCredentials::with_env(Env::from_vars([("AWS_ACCESS_KEY_ID", "A")]));
        let chain = ChainProvider::new().or_else(broken).or_else(keys);
        assert_eq!(
            chain.provide_credentials().await.unwrap_err().kind(),
            CredentialsErrorKind::Invalid
        );
        let e = ChainProvider::new()
            .or_else(none())
            .or_else(none())
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(e.is_not_found());
        assert_eq!(
            e.message()
                .matches("environment: AWS_ACCESS_KEY_ID")
                .count(),
            2,
            "{e}"
        );
    }

    /// The chain in botocore's order, each source shadowing the later ones.
    #[tokio::test]
    async fn default_chain_order() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "[default]\naws_access_key_id = PROFILEKEY\naws_secret_access_key = S\n[profile role]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n").unwrap();
        let imds = Server::start(|req| match (req.method.as_str(), req.path.as_str()) {
            ("PUT", _) => Some((200, "tok".into())),
            (_, "/latest/meta-data/iam/security-credentials/") => Some((200, "r".into())),
            _ => Some((200, r#"{"AccessKeyId": "IMDSKEY", "SecretAccessKey": "S", "Token": "T", "Expiration": "2030-01-01T00:00:00Z"}"#.into())),
        })
        .await;
        let container = Server::start(|_| {
            Some((200, r#"{"AccessKeyId": "CONTAINERKEY", "SecretAccessKey": "S", "Token": "T", "Expiration": "2030-01-01T00:00:00Z"}"#.into()))
        })
        .await;
        let base = vec![
            ("HOME", dir.path().display().to_string()),
            ("AWS_CONFIG_FILE", config.display().to_string()),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url.clone()),
        ];
        let key = |extra: &[(&str, &str)], profile: Option<&str>| {
            let mut vars = base.clone();
            vars.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
            let mut chain = DefaultChain::new().with_env(Env::from_vars(vars));
            if let Some(p) = profile {
                chain = chain.profile(p);
            }
            async move { chain.provide_credentials().await.map(|c| c.access_key_id) }
        };
        let env_keys = [
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
        ];
        assert_eq!(key(&env_keys, None).await.unwrap(), "ENVKEY");
        // A named profile skips the environment's keys.
        assert_eq!(key(&env_keys, Some("default")).await.unwrap(), "PROFILEKEY");
        assert_eq!(key(&[], None).await.unwrap(), "PROFILEKEY");
        // No profile with keys: the container endpoint, then IMDS.
        let container_uri = format!("{}/creds", container.url);
        let no_profile = [
            ("AWS_PROFILE", "default"),
            ("AWS_CONFIG_FILE", "/nonexistent"),
        ];
        let with_container = [
            no_profile[0],
            no_profile[1],
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_uri.as_str()),
        ];
        assert_eq!(key(&with_container, None).await.unwrap(), "CONTAINERKEY");
        assert_eq!(key(&no_profile, None).await.unwrap(), "IMDSKEY");
        // A role profile stops the chain with a pointer to botogen-config.
        let e = key(&[("AWS_PROFILE", "role")], None).await.unwrap_err();
        assert!(e.message().contains("botogen-config"), "{e}");
        // EKS IRSA variables too, instead of falling through to the node's IMDS role.
        let irsa = [
            no_profile[0],
            no_profile[1],
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"),
        ];
        let e = key(&irsa, None).await.unwrap_err();
        assert!(
            e.message().contains("web identity") && e.message().contains("botogen-config"),
            "{e}"
        );
        // Nothing anywhere: one error listing every source.
        let nothing = [
            no_profile[0],
            no_profile[1],
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ];
        let e = key(&nothing, None).await.unwrap_err();
        assert!(e.is_not_found());
        for source in ["environment: ", "profile: ", "IMDS: "] {
            assert!(e.message().contains(source), "{source} missing from {e}");
        }
    }
}
