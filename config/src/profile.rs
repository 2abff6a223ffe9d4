//! Every kind of profile: the runtime's chain resolution, executed with the
//! STS, SSO and SSO-OIDC calls it may need.

use crate::Context;
use crate::sso::SsoProvider;
use crate::sts::{AssumeRoleProvider, WebIdentityProvider};
use botogen_runtime::client::credentials::profile::{BaseCredentials, CredentialSource, resolve};
use botogen_runtime::client::credentials::{
    ContainerCredentials, CredentialsError, CredentialsErrorKind, CredentialsResult,
    EnvironmentCredentials, ImdsCredentials, ProcessCredentials, ProvideCredentials,
    ProvideCredentialsFuture,
};
use botogen_runtime::profile::{ProfileFiles, ProfileSet, selected_profile_name};

/// The selected profile's credentials, whatever kind it is (see the
/// runtime's `credentials::profile` for the order and the chain rules).
/// The files are read at every call, so edits (and `aws sso login`) are
/// picked up at the next refresh.
#[derive(Debug, Default)]
pub struct ProfileProvider {
    cx: Context,
}

impl ProfileProvider {
    pub fn new(cx: Context) -> ProfileProvider {
        ProfileProvider { cx }
    }

    /// The providers the profile asks for, innermost (base credentials) first.
    fn build(&self) -> Result<Box<dyn ProvideCredentials>, CredentialsError> {
        let cx = &self.cx;
        let files = ProfileFiles::from_env(&cx.env);
        let name = cx
            .profile
            .clone()
            .unwrap_or_else(|| selected_profile_name(&cx.env));
        let set = ProfileSet::load_files(&files, name)
            .map_err(|e| CredentialsError::invalid("profile files", e.to_string()))?;
        let chain = resolve(&set, &cx.env, cx.profile.is_none())?;
        let mut provider: Box<dyn ProvideCredentials> = match chain.base {
            BaseCredentials::Static { credentials, .. } => Box::new(credentials),
            BaseCredentials::Process { origin, command } => {
                Box::new(ProcessCredentials::new(command).with_source(origin))
            }
            BaseCredentials::Source { origin, source } => {
                let inner: Box<dyn ProvideCredentials> = match source {
                    CredentialSource::Environment => {
                        Box::new(EnvironmentCredentials::with_env(cx.env.clone()))
                    }
                    CredentialSource::Ec2InstanceMetadata => {
                        Box::new(ImdsCredentials::for_profile(&cx.env, cx.profile.as_deref()))
                    }
                    CredentialSource::EcsContainer => {
                        Box::new(ContainerCredentials::with_env(cx.env.clone()))
                    }
                };
                Box::new(Required {
                    inner,
                    what: format!("credential_source {source:?} of {origin}"),
                })
            }
            BaseCredentials::WebIdentity(w) => {
                Box::new(WebIdentityProvider::with_profiles(w, cx, Some(&set)))
            }
            BaseCredentials::Sso(s) => Box::new(SsoProvider::with_profiles(s, cx, Some(&set))),
        };
        for role in chain.roles {
            provider = Box::new(AssumeRoleProvider::with_profiles(
                role,
                provider,
                cx,
                Some(&set),
            ));
        }
        Ok(provider)
    }

    async fn load(&self) -> CredentialsResult {
        self.build()?.provide_credentials().await
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }
}

/// A source a profile names: it having nothing is an error, not a reason to
/// move on to the next source of the default chain.
#[derive(Debug)]
struct Required {
    inner: Box<dyn ProvideCredentials>,
    what: String,
}

impl ProvideCredentials for Required {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(async move {
            self.inner.provide_credentials().await.map_err(|e| {
                if e.kind() == CredentialsErrorKind::NotFound {
                    CredentialsError::invalid(
                        self.what.clone(),
                        format!("found no credentials: {e}"),
                    )
                } else {
                    e
                }
            })
        })
    }
}
