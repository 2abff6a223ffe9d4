//! A program's own credentials provider, and one written for the official
//! SDK's `aws-credential-types`, used by a generated client: requests are
//! signed with their keys, and the client's cache asks the provider once.

use botogen_runtime::client::credentials::{AwsSdkCredentials, ProvideCredentialsFuture};
use botogen_runtime::client::{Credentials, CredentialsError, ProvideCredentials};
use botogen_runtime::fake_http::FakeServer;
use botogen_sqs::types::ListQueuesRequest;
use botogen_sqs::{Client, Config, SqsApi};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

/// Keys from "a vault": counted, expiring in an hour.
#[derive(Debug, Default)]
struct Vault {
    calls: AtomicUsize,
}

impl ProvideCredentials for Vault {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            if n > 1 {
                return Err(CredentialsError::failed("vault", "asked twice"));
            }
            Ok(
                Credentials::new("AKIDVAULT", "VAULTSECRET", Some("VAULTTOKEN".into()))
                    .expiring_at(SystemTime::now() + Duration::from_secs(3600)),
            )
        })
    }
}

fn signed_with(server: &FakeServer, index: usize) -> String {
    server.requests()[index]
        .header("authorization")
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn own_provider_is_cached_by_the_client() {
    let server = FakeServer::start(|_| Some((200, "{}".into()))).await;
    let vault = Arc::new(Vault::default());
    let client = Client::new(
        Config::new()
            .region("eu-west-1")
            .endpoint_url(&server.url)
            .credentials_provider(vault.clone()),
    );
    for _ in 0..3 {
        client
            .list_queues(ListQueuesRequest::default())
            .await
            .unwrap();
    }
    assert_eq!(vault.calls.load(Ordering::SeqCst), 1);
    for i in 0..3 {
        assert!(signed_with(&server, i).contains("Credential=AKIDVAULT/"));
    }
    assert_eq!(
        server.requests()[0].header("x-amz-security-token"),
        Some("VAULTTOKEN")
    );
    // A clone of the client shares the cache.
    client
        .clone()
        .list_queues(ListQueuesRequest::default())
        .await
        .unwrap();
    assert_eq!(vault.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn aws_credential_types_providers_fit_through_the_adapter() {
    let server = FakeServer::start(|_| Some((200, "{}".into()))).await;
    let sdk_keys = aws_credential_types::Credentials::new("AKIDFROMSDK", "S", None, None, "test");
    let client = Client::new(
        Config::new()
            .region("eu-west-1")
            .endpoint_url(&server.url)
            .credentials_provider(AwsSdkCredentials::new(sdk_keys)),
    );
    client
        .list_queues(ListQueuesRequest::default())
        .await
        .unwrap();
    assert!(signed_with(&server, 0).contains("Credential=AKIDFROMSDK/"));
}

#[tokio::test]
async fn a_failing_provider_fails_the_call_with_its_reason() {
    #[derive(Debug)]
    struct Down;
    impl ProvideCredentials for Down {
        fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
            ProvideCredentialsFuture::ready(Err(CredentialsError::failed("vault", "sealed")))
        }
    }
    let server = FakeServer::start(|_| Some((200, "{}".into()))).await;
    let client = Client::new(
        Config::new()
            .region("eu-west-1")
            .endpoint_url(&server.url)
            .credentials_provider(Down),
    );
    let e = client
        .list_queues(ListQueuesRequest::default())
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "credentials error: vault: sealed");
    assert!(server.requests().is_empty(), "nothing is sent unsigned");
}
