//! Keys from environment variables.

use super::{Credentials, CredentialsError, CredentialsResult, ProvideCredentials};
use super::{ProvideCredentialsFuture, parse_time};
use crate::env::Env;

/// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, with optional
/// `AWS_SESSION_TOKEN` (or the older `AWS_SECURITY_TOKEN`) and
/// `AWS_CREDENTIAL_EXPIRATION` (RFC 3339), as botocore reads them.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentCredentials {
    env: Env,
}

impl EnvironmentCredentials {
    /// Reads the process environment.
    pub fn new() -> EnvironmentCredentials {
        EnvironmentCredentials::default()
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: Env) -> EnvironmentCredentials {
        EnvironmentCredentials { env }
    }

    pub(crate) fn load(env: &Env) -> CredentialsResult {
        const SOURCE: &str = "environment";
        let id = env.get("AWS_ACCESS_KEY_ID");
        let secret = env.get("AWS_SECRET_ACCESS_KEY");
        let (id, secret) = match (id, secret) {
            (Some(id), Some(secret)) => (id, secret),
            (None, None) => {
                return Err(CredentialsError::not_found(
                    SOURCE,
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
                ));
            }
            (Some(_), None) => {
                return Err(CredentialsError::invalid(
                    SOURCE,
                    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
                ));
            }
            (None, Some(_)) => {
                return Err(CredentialsError::invalid(
                    SOURCE,
                    "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
                ));
            }
        };
        let token = env
            .get("AWS_SESSION_TOKEN")
            .or_else(|| env.get("AWS_SECURITY_TOKEN"));
        let mut credentials = Credentials::new(id.trim(), secret.trim(), token);
        if let Some(expiry) = env.get("AWS_CREDENTIAL_EXPIRATION") {
            credentials.expires_at = Some(parse_time(&expiry).ok_or_else(|| {
                CredentialsError::invalid(
                    SOURCE,
                    format!("AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 time: {expiry:?}"),
                )
            })?);
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::ready(EnvironmentCredentials::load(&self.env))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::credentials::CredentialsErrorKind;

    fn load(vars: &[(&str, &str)]) -> CredentialsResult {
        EnvironmentCredentials::load(&Env::from_vars(vars.iter().copied()))
    }

    #[test]
    fn keys_tokens_expiry_and_half_set_keys() {
        let c = load(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
            ("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"),
        ])
        .unwrap();
        assert_eq!(
            c,
            Credentials::new("AKID", "SECRET", Some("TOKEN".into()))
                .expiring_at(parse_time("2030-01-01T00:00:00Z").unwrap())
        );
        let legacy = load(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SECURITY_TOKEN", "OLD"),
        ])
        .unwrap();
        assert_eq!(legacy.session_token.as_deref(), Some("OLD"));
        let missing = load(&[("AWS_ACCESS_KEY_ID", "")]).unwrap_err();
        assert!(missing.is_not_found());
        assert_eq!(missing.provider(), "environment");
        let half = load(&[("AWS_ACCESS_KEY_ID", "AKID")]).unwrap_err();
        assert_eq!(half.kind(), CredentialsErrorKind::Invalid);
        assert!(half.to_string().contains("AWS_SECRET_ACCESS_KEY is not"));
        let half = load(&[("AWS_SECRET_ACCESS_KEY", "S")]).unwrap_err();
        assert_eq!(half.kind(), CredentialsErrorKind::Invalid);
        let bad = load(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_CREDENTIAL_EXPIRATION", "tomorrow"),
        ])
        .unwrap_err();
        assert!(
            bad.to_string().contains("AWS_CREDENTIAL_EXPIRATION"),
            "{bad}"
        );
    }
}
