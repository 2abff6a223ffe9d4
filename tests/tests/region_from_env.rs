//! A client whose `Config::region` is unset finds the region in the process
//! environment at its first call, as the SDKs do; with nothing set, the
//! error names the places it looked.
//!
//! This binary holds one test and changes the process environment, so no
//! other test can observe the change.

use botogen_runtime::fake_http::FakeServer;
use botogen_sqs::types::ListQueuesRequest;
use botogen_sqs::{Client, Config, SqsApi};

#[tokio::test]
async fn the_region_comes_from_the_environment_at_the_first_call() {
    // SAFETY: this is the binary's only test and nothing else runs yet, so
    // no thread reads the environment while it changes. The profile files
    // point nowhere and IMDS is off, so nothing outside loopback is asked.
    unsafe {
        std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/botogen/config");
        std::env::set_var(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/botogen/credentials",
        );
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        std::env::remove_var("AWS_DEFAULT_REGION");
        std::env::set_var("AWS_REGION", "eu-west-1");
    }
    let server = FakeServer::start(|_| Some((200, "{}".into()))).await;
    let config = || {
        Config::new()
            .endpoint_url(&server.url)
            .credentials("AKIDTEST", "SECRET", None)
            .max_attempts(1)
    };
    Client::new(config())
        .list_queues(ListQueuesRequest::default())
        .await
        .expect("the call succeeds with the environment's region");
    let auth = server.requests()[0]
        .header("authorization")
        .unwrap_or_default()
        .to_owned();
    assert!(auth.contains("/eu-west-1/sqs/aws4_request"), "{auth}");

    // SAFETY: as above.
    unsafe { std::env::remove_var("AWS_REGION") };
    let e = Client::new(config())
        .list_queues(ListQueuesRequest::default())
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("no region configured"), "{e}");
    assert!(
        e.contains("AWS_REGION, AWS_DEFAULT_REGION, the profile's region, EC2 instance metadata"),
        "{e}"
    );
}
