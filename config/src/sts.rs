//! Credentials from STS: `AssumeRole` and `AssumeRoleWithWebIdentity`.

use crate::Context;
use crate::endpoint::{STS, configured_endpoint};
use botogen_runtime::DateTime;
use botogen_runtime::client::credentials::profile::{RoleLink, WebIdentity};
use botogen_runtime::client::credentials::{Clock, Credentials, CredentialsError};
use botogen_runtime::client::credentials::{ProvideCredentials, ProvideCredentialsFuture};
use botogen_runtime::client::{Config, SharedCredentials};
use botogen_runtime::profile::ProfileSet;
use botogen_sts::StsApi;
use botogen_sts::types::{AssumeRoleRequest, AssumeRoleWithWebIdentityRequest};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Answers an MFA device's serial number (`mfa_serial`) with its current
/// code; called on a blocking thread, so it may prompt on a terminal.
#[derive(Clone)]
pub struct MfaTokenProvider(pub(crate) Arc<MfaFn>);

/// The MFA callback: serial number in, code (or why not) out.
type MfaFn = dyn Fn(&str) -> Result<String, String> + Send + Sync;

impl MfaTokenProvider {
    pub fn new(
        f: impl Fn(&str) -> Result<String, String> + Send + Sync + 'static,
    ) -> MfaTokenProvider {
        MfaTokenProvider(Arc::new(f))
    }
}

impl fmt::Debug for MfaTokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaTokenProvider")
    }
}

/// An STS client for credential calls: the context's region, the
/// configured STS endpoint, and `credentials` to sign with.
pub(crate) fn sts_client(
    cx: &Context,
    set: Option<&ProfileSet>,
    credentials: SharedCredentials,
) -> botogen_sts::Client {
    let mut config = Config::new().region(cx.sts_region());
    config.endpoint_url = configured_endpoint(&cx.env, set, STS);
    config.credentials = Some(credentials);
    botogen_sts::Client::new(config)
}

/// botocore's default: the current time, so sessions are told apart in CloudTrail.
fn default_session_name(clock: &Clock) -> String {
    let secs = clock
        .now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    format!("botogen-session-{secs}")
}

fn system_time(t: DateTime) -> Option<SystemTime> {
    let secs = u64::try_from(t.secs()).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::new(secs, t.subsec_nanos()))
}

/// STS's credentials as the runtime's.
fn convert(
    c: Option<botogen_sts::types::Credentials>,
    provider: &str,
) -> Result<Credentials, CredentialsError> {
    let c =
        c.ok_or_else(|| CredentialsError::failed(provider, "STS answered without credentials"))?;
    let mut out = Credentials::new(c.access_key_id, c.secret_access_key, Some(c.session_token));
    out.expires_at = system_time(c.expiration);
    Ok(out)
}

/// Assumes a role with credentials from another provider (a profile's
/// `role_arn` with `source_profile` or `credential_source`).
pub struct AssumeRoleProvider {
    role: RoleLink,
    /// The STS client's credentials too (one cache).
    source: SharedCredentials,
    sts: botogen_sts::Client,
    mfa: Option<MfaTokenProvider>,
    clock: Clock,
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("role", &self.role)
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

impl AssumeRoleProvider {
    /// Assumes `role` signed with `source`'s credentials (cached separately).
    pub fn new(
        role: RoleLink,
        source: impl ProvideCredentials + 'static,
        cx: &Context,
    ) -> AssumeRoleProvider {
        AssumeRoleProvider::with_profiles(role, source, cx, None)
    }

    pub(crate) fn with_profiles(
        role: RoleLink,
        source: impl ProvideCredentials + 'static,
        cx: &Context,
        set: Option<&ProfileSet>,
    ) -> AssumeRoleProvider {
        let source = SharedCredentials::new(source);
        AssumeRoleProvider {
            sts: sts_client(cx, set, source.clone()),
            source,
            role,
            mfa: cx.mfa.clone(),
            clock: cx.clock.clone(),
        }
    }

    fn source_name(&self) -> String {
        format!("assume role {} ({})", self.role.role_arn, self.role.origin)
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        // The source's own error (which source, why) rather than the STS
        // call's "cannot sign"; the answer is cached for the call below.
        self.source.credentials().await?;
        let name = self.source_name();
        let mut token_code = None;
        if let Some(serial) = &self.role.mfa_serial {
            let Some(mfa) = self.mfa.clone() else {
                return Err(CredentialsError::invalid(
                    name,
                    format!(
                        "the profile sets mfa_serial = {serial}, but no MFA token provider is configured (ConfigLoader::mfa_token_provider)"
                    ),
                ));
            };
            let serial_owned = serial.clone();
            let code = tokio::task::spawn_blocking(move || (mfa.0)(&serial_owned))
                .await
                .map_err(|e| {
                    CredentialsError::failed(
                        name.clone(),
                        format!("the MFA token provider panicked: {e}"),
                    )
                })?
                .map_err(|e| {
                    CredentialsError::failed(name.clone(), format!("no MFA code for {serial}: {e}"))
                })?;
            token_code = Some(code.trim().to_owned());
        }
        let session_name = self
            .role
            .session_name
            .clone()
            .unwrap_or_else(|| default_session_name(&self.clock));
        let request = AssumeRoleRequest {
            duration_seconds: self.role.duration_seconds,
            external_id: self.role.external_id.clone(),
            serial_number: token_code.as_ref().and(self.role.mfa_serial.clone()),
            token_code,
            ..AssumeRoleRequest::new(self.role.role_arn.clone(), session_name)
        };
        let response = self
            .sts
            .assume_role(request)
            .await
            .map_err(|e| CredentialsError::failed(name.clone(), e.to_string()))?;
        convert(response.credentials, &name)
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }
}

/// `AssumeRoleWithWebIdentity` with a token read from a file at every
/// refresh (EKS rotates it): the `web_identity_token_file` profile key or
/// `AWS_WEB_IDENTITY_TOKEN_FILE`.
pub struct WebIdentityProvider {
    identity: WebIdentity,
    sts: botogen_sts::Client,
    clock: Clock,
}

impl fmt::Debug for WebIdentityProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityProvider")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

impl WebIdentityProvider {
    pub fn new(identity: WebIdentity, cx: &Context) -> WebIdentityProvider {
        WebIdentityProvider::with_profiles(identity, cx, None)
    }

    pub(crate) fn with_profiles(
        identity: WebIdentity,
        cx: &Context,
        set: Option<&ProfileSet>,
    ) -> WebIdentityProvider {
        WebIdentityProvider {
            sts: sts_client(cx, set, SharedCredentials::anonymous()),
            identity,
            clock: cx.clock.clone(),
        }
    }

    /// A provider for this token file and role.
    pub fn from_file(
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
        cx: &Context,
    ) -> WebIdentityProvider {
        WebIdentityProvider::new(
            WebIdentity {
                token_file: token_file.into(),
                role_arn: role_arn.into(),
                session_name: None,
                origin: "web identity".into(),
            },
            cx,
        )
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let name = format!(
            "web identity role {} ({})",
            self.identity.role_arn, self.identity.origin
        );
        let path = &self.identity.token_file;
        let token = std::fs::read_to_string(path).map_err(|e| {
            CredentialsError::invalid(
                name.clone(),
                format!("cannot read the token file {}: {e}", path.display()),
            )
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::invalid(
                name,
                format!("the token file {} is empty", path.display()),
            ));
        }
        let session_name = self
            .identity
            .session_name
            .clone()
            .unwrap_or_else(|| default_session_name(&self.clock));
        let request = AssumeRoleWithWebIdentityRequest::new(
            self.identity.role_arn.clone(),
            session_name,
            token,
        );
        let response = self
            .sts
            .assume_role_with_web_identity(request)
            .await
            .map_err(|e| CredentialsError::failed(name.clone(), e.to_string()))?;
        convert(response.credentials, &name)
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }
}
