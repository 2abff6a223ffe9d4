//! SSO (IAM Identity Center) credentials from the AWS CLI's token cache.
//!
//! `aws sso login` writes `~/.aws/sso/cache/<sha1>.json`, keyed by the
//! `sso-session` name (or, for the legacy profile keys, the start URL). The
//! file's `accessToken` buys role credentials from SSO `GetRoleCredentials`.
//! For an `sso-session`, a token within 15 minutes of `expiresAt` is
//! refreshed first with SSO-OIDC `CreateToken` (the `refresh_token` grant,
//! with the cached client registration) and the file is rewritten, as
//! botocore does; when that fails the old token is used while it lasts.

use crate::Context;
use crate::endpoint::{SSO, SSO_OIDC, configured_endpoint};
use botogen_runtime::client::credentials::profile::SsoProfile;
use botogen_runtime::client::credentials::{Clock, Credentials, CredentialsError};
use botogen_runtime::client::credentials::{ProvideCredentials, ProvideCredentialsFuture};
use botogen_runtime::client::credentials::{format_time, parse_time};
use botogen_runtime::client::{Config, SharedCredentials};
use botogen_runtime::profile::ProfileSet;
use botogen_sso::SsoApi;
use botogen_sso::types::GetRoleCredentialsRequest;
use botogen_sso_oidc::SsoOidcApi;
use botogen_sso_oidc::types::CreateTokenRequest;
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Refresh a token this long before it expires.
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Role credentials for an SSO profile.
pub struct SsoProvider {
    profile: SsoProfile,
    cache_dir: Option<PathBuf>,
    sso: botogen_sso::Client,
    oidc: botogen_sso_oidc::Client,
    clock: Clock,
}

impl fmt::Debug for SsoProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoProvider")
            .field("profile", &self.profile)
            .field("cache_dir", &self.cache_dir)
            .finish_non_exhaustive()
    }
}

/// The cache file's name: the SHA-1 of the session name or start URL, in hex.
pub(crate) fn cache_file_name(key: &str) -> String {
    let digest = Sha1::digest(key.as_bytes());
    let mut name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    name.push_str(".json");
    name
}

impl SsoProvider {
    pub fn new(profile: SsoProfile, cx: &Context) -> SsoProvider {
        SsoProvider::with_profiles(profile, cx, None)
    }

    pub(crate) fn with_profiles(
        profile: SsoProfile,
        cx: &Context,
        set: Option<&ProfileSet>,
    ) -> SsoProvider {
        let config = |endpoint| {
            let mut config = Config::new().region(profile.region.clone());
            config.endpoint_url = endpoint;
            config.credentials = Some(SharedCredentials::anonymous());
            config
        };
        SsoProvider {
            sso: botogen_sso::Client::new(config(configured_endpoint(&cx.env, set, SSO))),
            oidc: botogen_sso_oidc::Client::new(config(configured_endpoint(
                &cx.env, set, SSO_OIDC,
            ))),
            cache_dir: cx.sso_cache_dir(),
            clock: cx.clock.clone(),
            profile,
        }
    }

    fn name(&self) -> String {
        format!("SSO {}", self.profile.origin)
    }

    fn login_hint(&self) -> String {
        match &self.profile.session {
            Some(s) => format!("run `aws sso login --sso-session {s}`"),
            None => "run `aws sso login` with this profile".to_owned(),
        }
    }

    fn cache_path(&self) -> Result<PathBuf, CredentialsError> {
        let dir = self.cache_dir.clone().ok_or_else(|| {
            CredentialsError::invalid(
                self.name(),
                "no home directory for the SSO token cache (HOME is unset)",
            )
        })?;
        let key = self
            .profile
            .session
            .as_deref()
            .unwrap_or(&self.profile.start_url);
        Ok(dir.join(cache_file_name(key)))
    }

    /// A valid access token: from the cache, refreshed when due.
    async fn access_token(&self) -> Result<String, CredentialsError> {
        let name = self.name();
        let path = self.cache_path()?;
        let invalid = |m: String| CredentialsError::invalid(name.clone(), m);
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(invalid(format!(
                    "no cached SSO token at {}; {}",
                    path.display(),
                    self.login_hint()
                )));
            }
            Err(e) => return Err(invalid(format!("cannot read {}: {e}", path.display()))),
        };
        let mut token: Map<String, Value> = match serde_json::from_slice(&text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(invalid(format!("{} is not a JSON object", path.display()))),
            Err(e) => {
                return Err(invalid(format!(
                    "{} is not valid JSON (line {}, column {})",
                    path.display(),
                    e.line(),
                    e.column()
                )));
            }
        };
        let get =
            |t: &Map<String, Value>, k: &str| t.get(k).and_then(Value::as_str).map(str::to_owned);
        let (Some(access), Some(expires)) = (get(&token, "accessToken"), get(&token, "expiresAt"))
        else {
            return Err(invalid(format!(
                "{} has no accessToken or expiresAt",
                path.display()
            )));
        };
        let expires_at = parse_time(&expires).ok_or_else(|| {
            invalid(format!(
                "expiresAt in {} is not an RFC 3339 time: {expires:?}",
                path.display()
            ))
        })?;
        let now = self.clock.now();
        if self.profile.session.is_some() && now + REFRESH_WINDOW >= expires_at {
            match self.refresh(&token, now).await {
                Ok(Some((new_access, new_expiry, new_refresh))) => {
                    token.insert("accessToken".into(), Value::String(new_access.clone()));
                    token.insert("expiresAt".into(), Value::String(format_time(new_expiry)));
                    if let Some(r) = new_refresh {
                        token.insert("refreshToken".into(), Value::String(r));
                    }
                    write_atomically(&path, &token)
                        .map_err(|e| invalid(format!("cannot update {}: {e}", path.display())))?;
                    return Ok(new_access);
                }
                Ok(None) => {}
                // Still valid: use it; the next refresh tries again.
                Err(_) if now < expires_at => {}
                Err(e) => {
                    return Err(CredentialsError::failed(
                        name,
                        format!(
                            "the SSO token expired at {} and refreshing it failed: {e}; {}",
                            format_time(expires_at),
                            self.login_hint()
                        ),
                    ));
                }
            }
        }
        if now >= expires_at {
            return Err(invalid(format!(
                "the cached SSO token expired at {}; {}",
                format_time(expires_at),
                self.login_hint()
            )));
        }
        Ok(access)
    }

    /// `CreateToken` with the refresh token; `Ok(None)` when the cache has
    /// no usable registration (nothing to refresh with).
    async fn refresh(
        &self,
        token: &Map<String, Value>,
        now: SystemTime,
    ) -> Result<Option<(String, SystemTime, Option<String>)>, String> {
        let get = |k: &str| token.get(k).and_then(Value::as_str).map(str::to_owned);
        let (Some(refresh), Some(client_id), Some(client_secret)) =
            (get("refreshToken"), get("clientId"), get("clientSecret"))
        else {
            return Ok(None);
        };
        if get("registrationExpiresAt")
            .and_then(|t| parse_time(&t))
            .is_none_or(|t| t <= now)
        {
            return Ok(None);
        }
        let response = self
            .oidc
            .create_token(CreateTokenRequest {
                refresh_token: Some(refresh),
                ..CreateTokenRequest::new(client_id, client_secret, "refresh_token")
            })
            .await
            .map_err(|e| format!("SSO-OIDC CreateToken: {e}"))?;
        let (Some(access), Some(expires_in)) = (response.access_token, response.expires_in) else {
            return Err("SSO-OIDC CreateToken answered without accessToken or expiresIn".into());
        };
        let expires_in = u64::try_from(expires_in).unwrap_or(0);
        Ok(Some((
            access,
            now + Duration::from_secs(expires_in),
            response.refresh_token,
        )))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let access_token = self.access_token().await?;
        let name = self.name();
        let response = self
            .sso
            .get_role_credentials(GetRoleCredentialsRequest::new(
                self.profile.role_name.clone(),
                self.profile.account_id.clone(),
                access_token,
            ))
            .await
            .map_err(|e| {
                let hint = match &e {
                    botogen_sso::operations::GetRoleCredentialsError::UnauthorizedException(_) => {
                        format!(
                            " (the SSO session is no longer valid; {})",
                            self.login_hint()
                        )
                    }
                    _ => String::new(),
                };
                CredentialsError::failed(
                    name.clone(),
                    format!(
                        "GetRoleCredentials for role {} in account {}: {e}{hint}",
                        self.profile.role_name, self.profile.account_id
                    ),
                )
            })?;
        let role = response.role_credentials.ok_or_else(|| {
            CredentialsError::failed(name.clone(), "SSO answered without roleCredentials")
        })?;
        let (Some(id), Some(secret)) = (role.access_key_id, role.secret_access_key) else {
            return Err(CredentialsError::failed(
                name,
                "SSO answered without an access key",
            ));
        };
        let mut credentials = Credentials::new(id, secret, role.session_token);
        credentials.expires_at = role
            .expiration
            .and_then(|ms| u64::try_from(ms).ok())
            .map(|ms| SystemTime::UNIX_EPOCH + Duration::from_millis(ms));
        Ok(credentials)
    }
}

/// Writes next to the file and renames, so a reader never sees half a token.
fn write_atomically(path: &Path, value: &Map<String, Value>) -> std::io::Result<()> {
    let text = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("json.botogen-tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_file_names_are_the_cli_s() {
        // SHA-1 in lower-case hex, as the AWS CLI names them ("abc" is a FIPS 180 test vector).
        assert_eq!(
            cache_file_name("abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d.json"
        );
    }
}
