//! Providers written for the official AWS SDK for Rust.

use super::ProvideCredentialsFuture;
use super::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials};
use aws_credential_types::provider::error::CredentialsError as SdkError;
use std::error::Error as _;

/// Any `aws_credential_types::provider::ProvideCredentials` (for example
/// `aws-config`'s default chain, or `aws_credential_types::Credentials`) as a
/// botogen provider:
///
/// ```ignore
/// let chain = aws_config::default_provider::credentials::default_provider().await;
/// let config = Config::new().credentials_provider(AwsSdkCredentials::new(chain));
/// ```
///
/// botogen does not depend on `aws-config`; this only needs the trait
/// crate, which the runtime already uses for signing.
#[derive(Debug, Clone)]
pub struct AwsSdkCredentials<P>(pub P);

impl<P> AwsSdkCredentials<P> {
    pub fn new(provider: P) -> AwsSdkCredentials<P> {
        AwsSdkCredentials(provider)
    }
}

fn convert(c: &aws_credential_types::Credentials) -> Credentials {
    Credentials {
        access_key_id: c.access_key_id().to_owned(),
        secret_access_key: c.secret_access_key().to_owned(),
        session_token: c.session_token().map(str::to_owned),
        expires_at: c.expiry(),
    }
}

/// The SDK's error kinds mapped onto botogen's: "not loaded" lets a chain
/// continue, the others stop it. The message includes the error's causes.
fn convert_error(e: &SdkError) -> CredentialsError {
    let kind = match e {
        SdkError::CredentialsNotLoaded(_) => CredentialsErrorKind::NotFound,
        SdkError::InvalidConfiguration(_) => CredentialsErrorKind::Invalid,
        _ => CredentialsErrorKind::Failed,
    };
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    CredentialsError::new(kind, "aws-credential-types provider", message)
}

impl<P> ProvideCredentials for AwsSdkCredentials<P>
where
    P: aws_credential_types::provider::ProvideCredentials,
{
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(async move {
            match self.0.provide_credentials().await {
                Ok(c) => Ok(convert(&c)),
                Err(e) => Err(convert_error(&e)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_credential_types::provider::future;
    use std::time::{Duration, SystemTime};

    /// A provider written against the SDK's trait, as a user would.
    #[derive(Debug)]
    struct Custom(bool);

    impl aws_credential_types::provider::ProvideCredentials for Custom {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::new(async move {
                if self.0 {
                    Ok(aws_credential_types::Credentials::new(
                        "AKIDSDK",
                        "SECRET",
                        Some("TOKEN".into()),
                        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000)),
                        "custom",
                    ))
                } else {
                    Err(SdkError::not_loaded("nothing here"))
                }
            })
        }
    }

    #[tokio::test]
    async fn sdk_providers_plug_in() {
        let c = AwsSdkCredentials::new(Custom(true))
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_key_id, "AKIDSDK");
        assert_eq!(c.session_token.as_deref(), Some("TOKEN"));
        assert_eq!(
            c.expires_at,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000))
        );
        let e = AwsSdkCredentials::new(Custom(false))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(e.is_not_found());
        assert!(e.message().contains("nothing here"), "{e}");
        // The SDK's own Credentials type is a provider too.
        let fixed = aws_credential_types::Credentials::new("AKIDFIXED", "S", None, None, "fixed");
        let c = AwsSdkCredentials(fixed)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(
            (c.access_key_id.as_str(), c.expires_at),
            ("AKIDFIXED", None)
        );
    }
}
