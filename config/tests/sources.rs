//! The chain's AWS-calling sources against fake endpoints on loopback:
//! SSO and SSO-OIDC (token cache, refresh), STS errors, MFA, credential
//! sources, concurrency, and the loader's region chain.

mod support;

use botogen_runtime::client::credentials::{CredentialsErrorKind, format_time};
use botogen_runtime::client::{Config, CredentialsError};
use botogen_runtime::fake_http::{FakeServer, Request};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};
use support::{Scenario, form_value, sts_credentials_xml};

async fn credentials(
    config: &Config,
) -> Result<botogen_runtime::client::Credentials, CredentialsError> {
    config
        .credentials
        .as_ref()
        .expect("the loader installs a provider")
        .credentials()
        .await
        .map(|c| c.expect("not anonymous"))
}

fn in_secs(secs: u64) -> String {
    format_time(SystemTime::now() + Duration::from_secs(secs))
}

const SSO_CONFIG: &str = "\
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Developer

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-1
sso_account_id = 210987654321
sso_role_name = Legacy
";

/// A fake SSO portal and SSO-OIDC in one: bearer tokens `old-token` and
/// `new-token` are valid; `CreateToken` with `refresh-1` issues `new-token`
/// unless `oidc_fails`.
fn sso_answer(req: &Request, oidc_fails: bool) -> Option<(u16, String)> {
    if req.method == "POST" && req.path == "/token" {
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(body["grantType"], "refresh_token");
        assert_eq!(body["clientId"], "client-1");
        assert_eq!(body["clientSecret"], "client-secret");
        if oidc_fails || body["refreshToken"] != "refresh-1" {
            return Some((400, r#"{"error": "invalid_grant", "__type": "InvalidGrantException", "error_description": "bad refresh token"}"#.into()));
        }
        return Some((200, r#"{"accessToken": "new-token", "tokenType": "Bearer", "expiresIn": 28800, "refreshToken": "refresh-2"}"#.into()));
    }
    assert!(
        req.path.starts_with("/federation/credentials?"),
        "{}",
        req.path
    );
    match req.header("x-amz-sso_bearer_token") {
        Some("old-token" | "new-token" | "legacy-token") => {
            let expiration = (SystemTime::now() + Duration::from_secs(3600))
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_millis();
            Some((200, format!(
                r#"{{"roleCredentials": {{"accessKeyId": "ASIASSO", "secretAccessKey": "S", "sessionToken": "T", "expiration": {expiration}}}}}"#
            )))
        }
        _ => Some((401, r#"{"__type": "UnauthorizedException", "message": "Session token not found or invalid"}"#.into())),
    }
}

struct SsoSetup {
    scenario: Scenario,
    cache_file: std::path::PathBuf,
    server: FakeServer,
}

async fn sso_setup(profile: &str, cache_key: &str, oidc_fails: bool) -> SsoSetup {
    let server = FakeServer::start(move |req| sso_answer(req, oidc_fails)).await;
    let mut scenario = Scenario::new();
    scenario.config(SSO_CONFIG);
    scenario
        .set("AWS_PROFILE", profile)
        .set("AWS_ENDPOINT_URL_SSO", server.url.clone())
        .set("AWS_ENDPOINT_URL_SSO_OIDC", server.url.clone());
    // The AWS CLI's cache file name, computed independently of the crate.
    let cache_file = scenario
        .home()
        .join(".aws/sso/cache")
        .join(format!("{}.json", sha1_hex(cache_key)));
    std::fs::create_dir_all(cache_file.parent().unwrap()).unwrap();
    SsoSetup {
        scenario,
        cache_file,
        server,
    }
}

/// SHA-1 by coreutils' `sha1sum`.
fn sha1_hex(text: &str) -> String {
    use std::io::Write as _;
    let mut child = std::process::Command::new("sha1sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha1sum");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..40].to_owned()
}

fn token_file(access: &str, expires_in: u64) -> String {
    token_file_expiring(access, &in_secs(expires_in))
}

fn token_file_expiring(access: &str, expires_at: &str) -> String {
    serde_json::json!({
        "startUrl": "https://corp.awsapps.com/start",
        "region": "eu-west-1",
        "accessToken": access,
        "expiresAt": expires_at,
        "clientId": "client-1",
        "clientSecret": "client-secret",
        "registrationExpiresAt": in_secs(30 * 86_400),
        "refreshToken": "refresh-1",
    })
    .to_string()
}

#[tokio::test]
async fn sso_session_uses_the_cached_token() {
    let s = sso_setup("dev", "corp", false).await;
    std::fs::write(&s.cache_file, token_file("old-token", 3600)).unwrap();
    let config = s.scenario.loader().region("us-west-2").load().await;
    let c = credentials(&config).await.unwrap();
    assert_eq!(c.access_key_id, "ASIASSO");
    assert!(c.expires_at.is_some());
    let reqs = s.server.requests();
    assert_eq!(reqs.len(), 1, "no refresh for a token valid for an hour");
    assert!(
        reqs[0].path.contains("role_name=Developer")
            && reqs[0].path.contains("account_id=123456789012"),
        "{}",
        reqs[0].path
    );
    assert_eq!(reqs[0].header("x-amz-sso_bearer_token"), Some("old-token"));
}

#[tokio::test]
async fn sso_session_refreshes_a_token_about_to_expire() {
    let s = sso_setup("dev", "corp", false).await;
    std::fs::write(&s.cache_file, token_file("old-token", 300)).unwrap();
    let config = s.scenario.loader().region("us-west-2").load().await;
    assert_eq!(credentials(&config).await.unwrap().access_key_id, "ASIASSO");
    assert_eq!(s.server.paths()[0], "POST /token");
    assert_eq!(
        s.server.requests()[1].header("x-amz-sso_bearer_token"),
        Some("new-token")
    );
    // The cache file now holds the new token, for the CLI and the next run.
    let cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&s.cache_file).unwrap()).unwrap();
    assert_eq!(cached["accessToken"], "new-token");
    assert_eq!(cached["refreshToken"], "refresh-2");
    assert_eq!(cached["clientId"], "client-1", "other fields are kept");
    let expires =
        botogen_runtime::client::credentials::parse_time(cached["expiresAt"].as_str().unwrap())
            .unwrap();
    assert!(expires > SystemTime::now() + Duration::from_secs(7 * 3600));
}

#[tokio::test]
async fn sso_refresh_failures() {
    // Refresh fails but the token is still valid: it is used.
    let s = sso_setup("dev", "corp", true).await;
    std::fs::write(&s.cache_file, token_file("old-token", 300)).unwrap();
    let config = s.scenario.loader().region("us-west-2").load().await;
    assert_eq!(credentials(&config).await.unwrap().access_key_id, "ASIASSO");

    // Expired and the refresh fails: an error that says what to run.
    std::fs::write(
        &s.cache_file,
        token_file_expiring("old-token", "2020-01-01T00:00:00Z"),
    )
    .unwrap();
    let config = s.scenario.loader().region("us-west-2").load().await;
    let e = credentials(&config).await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Failed);
    assert!(e.to_string().starts_with("SSO profile dev ("), "{e}");
    assert!(
        e.message()
            .contains("expired at 2020-01-01T00:00:00Z and refreshing it failed"),
        "{e}"
    );
    assert!(
        e.message().contains("aws sso login --sso-session corp"),
        "{e}"
    );
    assert!(!e.to_string().contains("old-token") && !e.to_string().contains("client-secret"));
}

#[tokio::test]
async fn sso_cache_problems() {
    let s = sso_setup("dev", "corp", false).await;
    let config = s.scenario.loader().region("us-west-2").load().await;
    let e = credentials(&config).await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(
        e.message().contains("no cached SSO token at ") && e.message().contains("aws sso login"),
        "{e}"
    );

    std::fs::write(&s.cache_file, "{ not json").unwrap();
    let e = credentials(&s.scenario.loader().region("r").load().await)
        .await
        .unwrap_err();
    assert!(
        e.message().contains("is not valid JSON (line 1, column 3)"),
        "{e}"
    );
    std::fs::write(&s.cache_file, r#"{"accessToken": "x"}"#).unwrap();
    let e = credentials(&s.scenario.loader().region("r").load().await)
        .await
        .unwrap_err();
    assert!(
        e.message().contains("has no accessToken or expiresAt"),
        "{e}"
    );
    std::fs::write(
        &s.cache_file,
        r#"{"accessToken": "x", "expiresAt": "whenever"}"#,
    )
    .unwrap();
    let e = credentials(&s.scenario.loader().region("r").load().await)
        .await
        .unwrap_err();
    assert!(e.message().contains("is not an RFC 3339 time"), "{e}");
    // A token SSO no longer accepts.
    std::fs::write(&s.cache_file, token_file("revoked-token", 3600)).unwrap();
    let e = credentials(&s.scenario.loader().region("r").load().await)
        .await
        .unwrap_err();
    assert!(
        e.message()
            .contains("GetRoleCredentials for role Developer in account 123456789012"),
        "{e}"
    );
    assert!(
        e.message().contains("the SSO session is no longer valid"),
        "{e}"
    );
    assert!(!e.to_string().contains("revoked-token"));
}

#[tokio::test]
async fn legacy_sso_profiles_read_the_start_url_s_cache_and_never_refresh() {
    let s = sso_setup("legacy", "https://old.awsapps.com/start", false).await;
    std::fs::write(
        &s.cache_file,
        serde_json::json!({"accessToken": "legacy-token", "expiresAt": in_secs(600)}).to_string(),
    )
    .unwrap();
    let config = s.scenario.loader().region("us-west-2").load().await;
    assert_eq!(credentials(&config).await.unwrap().access_key_id, "ASIASSO");
    assert_eq!(
        s.server.paths().len(),
        1,
        "no CreateToken for legacy profiles"
    );
    std::fs::write(
        &s.cache_file,
        serde_json::json!({"accessToken": "legacy-token", "expiresAt": "2020-01-01T00:00:00Z"})
            .to_string(),
    )
    .unwrap();
    let e = credentials(&s.scenario.loader().region("us-west-2").load().await)
        .await
        .unwrap_err();
    assert!(
        e.message()
            .contains("the cached SSO token expired at 2020-01-01T00:00:00Z"),
        "{e}"
    );
}

const ROLE_CONFIG: &str = "\
[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = BASESECRET

[profile denied]
role_arn = arn:aws:iam::123456789012:role/denied
source_profile = base

[profile mfa]
role_arn = arn:aws:iam::123456789012:role/mfa
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/me
role_session_name = with-mfa
duration_seconds = 900

[profile from-env]
role_arn = arn:aws:iam::123456789012:role/from-env
credential_source = Environment

[profile from-container]
role_arn = arn:aws:iam::123456789012:role/from-container
credential_source = EcsContainer

[profile from-ec2]
role_arn = arn:aws:iam::123456789012:role/from-ec2
credential_source = Ec2InstanceMetadata

[profile web]
role_arn = arn:aws:iam::123456789012:role/web
web_identity_token_file = ~/token
";

/// A fake STS: `AssumeRole` for `.../denied` is refused; the others get
/// `ASIAROLE` credentials. Counts `AssumeRole` calls.
async fn fake_sts(calls: Arc<AtomicUsize>) -> FakeServer {
    FakeServer::start(move |req| {
        let body = req.body_text();
        let action = form_value(&body, "Action").unwrap_or_default();
        calls.fetch_add(1, Ordering::SeqCst);
        let role = form_value(&body, "RoleArn").unwrap_or_default();
        if role.ends_with("/denied") {
            return Some((403, format!(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                 <Message>User: arn:aws:iam::123456789012:user/base is not authorized to perform: sts:AssumeRole on resource: {role}</Message>\
                 </Error><RequestId>req-denied</RequestId></ErrorResponse>"
            )));
        }
        Some((200, sts_credentials_xml(&action, "ASIAROLE", &in_secs(3600))))
    })
    .await
}

fn role_scenario(sts: &FakeServer) -> Scenario {
    let mut s = Scenario::new();
    s.config(ROLE_CONFIG);
    s.set("AWS_ENDPOINT_URL_STS", sts.url.clone());
    s
}

#[tokio::test]
async fn a_denied_assume_role_names_the_role_and_the_profile() {
    let calls = Arc::new(AtomicUsize::new(0));
    let sts = fake_sts(calls.clone()).await;
    let s = role_scenario(&sts);
    let config = s.loader().profile("denied").load().await;
    let e = credentials(&config).await.unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Failed);
    assert!(
        e.provider()
            .starts_with("assume role arn:aws:iam::123456789012:role/denied (profile denied ("),
        "{e}"
    );
    assert!(e.provider().ends_with("config line 5))"), "{e}");
    assert!(
        e.message().contains(
            "AccessDenied (HTTP 403): User: arn:aws:iam::123456789012:user/base is not authorized"
        ),
        "{e}"
    );
    assert!(!e.to_string().contains("BASESECRET"));
    // Signed with the source profile's keys.
    let auth = sts.requests()[0]
        .header("authorization")
        .unwrap_or_default()
        .to_owned();
    assert!(auth.contains("Credential=AKIDBASE/"), "{auth}");
}

#[tokio::test]
async fn mfa_needs_a_token_provider() {
    let calls = Arc::new(AtomicUsize::new(0));
    let sts = fake_sts(calls.clone()).await;
    let s = role_scenario(&sts);
    let e = credentials(&s.loader().profile("mfa").load().await)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(
        e.message().contains(
            "mfa_serial = arn:aws:iam::123456789012:mfa/me, but no MFA token provider is configured"
        ),
        "{e}"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "nothing is sent without a code"
    );

    let config = s
        .loader()
        .profile("mfa")
        .mfa_token_provider(|serial| {
            assert_eq!(serial, "arn:aws:iam::123456789012:mfa/me");
            Ok("123456\n".into())
        })
        .load()
        .await;
    assert_eq!(
        credentials(&config).await.unwrap().access_key_id,
        "ASIAROLE"
    );
    let body = sts.requests()[0].body_text();
    assert_eq!(
        form_value(&body, "SerialNumber").as_deref(),
        Some("arn:aws:iam::123456789012:mfa/me")
    );
    assert_eq!(form_value(&body, "TokenCode").as_deref(), Some("123456"));
    assert_eq!(
        form_value(&body, "RoleSessionName").as_deref(),
        Some("with-mfa")
    );
    assert_eq!(form_value(&body, "DurationSeconds").as_deref(), Some("900"));

    let failing = s
        .loader()
        .profile("mfa")
        .mfa_token_provider(|_| Err("no device".into()))
        .load()
        .await;
    let e = credentials(&failing).await.unwrap_err();
    assert!(
        e.message()
            .contains("no MFA code for arn:aws:iam::123456789012:mfa/me: no device"),
        "{e}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tasks_share_one_assume_role_call() {
    let calls = Arc::new(AtomicUsize::new(0));
    let sts = fake_sts(calls.clone()).await;
    let mut s = role_scenario(&sts);
    s.set("AWS_PROFILE", "mfa");
    let config = Arc::new(
        s.loader()
            .mfa_token_provider(|_| {
                // A slow prompt widens the window in which tasks pile up.
                std::thread::sleep(Duration::from_millis(100));
                Ok("123456".into())
            })
            .load()
            .await,
    );
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let config = config.clone();
            tokio::spawn(async move { credentials(&config).await.map(|c| c.access_key_id) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), "ASIAROLE");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn credential_sources() {
    let calls = Arc::new(AtomicUsize::new(0));
    let sts = fake_sts(calls.clone()).await;
    let mut s = role_scenario(&sts);

    // Environment: the keys sign the AssumeRole call; without them, an error (no fall-through).
    let e = credentials(&s.loader().profile("from-env").load().await)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(
        e.provider()
            .starts_with("credential_source Environment of profile from-env"),
        "{e}"
    );
    s.set("AWS_ACCESS_KEY_ID", "AKIDENV")
        .set("AWS_SECRET_ACCESS_KEY", "S");
    assert_eq!(
        credentials(&s.loader().profile("from-env").load().await)
            .await
            .unwrap()
            .access_key_id,
        "ASIAROLE"
    );
    let last = sts
        .requests()
        .last()
        .unwrap()
        .header("authorization")
        .unwrap_or_default()
        .to_owned();
    assert!(last.contains("Credential=AKIDENV/"), "{last}");

    // EcsContainer.
    let container = FakeServer::start(|req| {
        assert_eq!(req.header("authorization"), Some("pod-token"));
        Some((200, format!(r#"{{"AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "S", "Token": "T", "Expiration": "{}"}}"#, in_secs(3600))))
    })
    .await;
    s.set(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("{}/v1/credentials", container.url),
    )
    .set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "pod-token");
    assert_eq!(
        credentials(&s.loader().profile("from-container").load().await)
            .await
            .unwrap()
            .access_key_id,
        "ASIAROLE"
    );
    let last = sts
        .requests()
        .last()
        .unwrap()
        .header("authorization")
        .unwrap_or_default()
        .to_owned();
    assert!(last.contains("Credential=ASIACONTAINER/"), "{last}");

    // Ec2InstanceMetadata.
    let imds = FakeServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", "/latest/api/token") => Some((200, "imds-token".into())),
        (_, "/latest/meta-data/iam/security-credentials/") => Some((200, "instance-role".into())),
        (_, "/latest/meta-data/iam/security-credentials/instance-role") => Some((200, format!(
            r#"{{"Code": "Success", "AccessKeyId": "ASIAINSTANCE", "SecretAccessKey": "S", "Token": "T", "Expiration": "{}"}}"#,
            in_secs(6 * 3600)
        ))),
        _ => Some((404, String::new())),
    })
    .await;
    s.unset("AWS_EC2_METADATA_DISABLED")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url.clone());
    assert_eq!(
        credentials(&s.loader().profile("from-ec2").load().await)
            .await
            .unwrap()
            .access_key_id,
        "ASIAROLE"
    );
    let last = sts
        .requests()
        .last()
        .unwrap()
        .header("authorization")
        .unwrap_or_default()
        .to_owned();
    assert!(last.contains("Credential=ASIAINSTANCE/"), "{last}");
}

#[tokio::test]
async fn web_identity_token_file_problems() {
    let calls = Arc::new(AtomicUsize::new(0));
    let sts = fake_sts(calls.clone()).await;
    let s = role_scenario(&sts);
    let e = credentials(&s.loader().profile("web").load().await)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
    assert!(
        e.provider()
            .starts_with("web identity role arn:aws:iam::123456789012:role/web (profile web ("),
        "{e}"
    );
    assert!(
        e.message().contains("cannot read the token file ") && e.message().contains("home/token"),
        "{e}"
    );
    std::fs::write(s.home().join("token"), "  \n").unwrap();
    let e = credentials(&s.loader().profile("web").load().await)
        .await
        .unwrap_err();
    assert!(e.message().contains("is empty"), "{e}");
    std::fs::write(s.home().join("token"), "eyJhbGciOi.jwt.token\n").unwrap();
    assert_eq!(
        credentials(&s.loader().profile("web").load().await)
            .await
            .unwrap()
            .access_key_id,
        "ASIAROLE"
    );
    let req = sts.requests().pop().unwrap();
    assert_eq!(
        req.header("authorization"),
        None,
        "AssumeRoleWithWebIdentity is unsigned"
    );
    assert_eq!(
        form_value(&req.body_text(), "WebIdentityToken").as_deref(),
        Some("eyJhbGciOi.jwt.token")
    );
    assert!(
        form_value(&req.body_text(), "RoleSessionName")
            .unwrap()
            .starts_with("botogen-session-")
    );
}

#[tokio::test]
async fn bad_profile_files_stop_the_chain_with_file_and_line() {
    let mut s = Scenario::new();
    s.config("[profile ok]\nregion = x\n")
        .credentials("[default]\naws_access_key_id\n");
    s.set("AWS_ACCESS_KEY_ID", "AKIDENV")
        .set("AWS_SECRET_ACCESS_KEY", "S");
    // The environment's keys come first: the broken file is never read.
    assert_eq!(
        credentials(&s.loader().load().await)
            .await
            .unwrap()
            .access_key_id,
        "AKIDENV"
    );
    s.unset("AWS_ACCESS_KEY_ID").unset("AWS_SECRET_ACCESS_KEY");
    let e = credentials(&s.loader().load().await).await.unwrap_err();
    assert_eq!(e.provider(), "profile files");
    assert!(
        e.message().ends_with(
            ".aws/credentials line 2: expected an '=' sign defining a property (key = value)"
        ),
        "{e}"
    );
}

#[tokio::test]
async fn the_loader_resolves_the_region_chain() {
    let imds = FakeServer::start(|req| match req.method.as_str() {
        "PUT" => Some((200, "tok".into())),
        _ => Some((200, "ap-northeast-2".into())),
    })
    .await;
    let mut s = Scenario::new();
    s.config("[default]\nregion = eu-north-1\n[profile bare]\n");
    s.unset("AWS_EC2_METADATA_DISABLED")
        .set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url.clone());
    assert_eq!(
        s.loader()
            .region("us-east-2")
            .load()
            .await
            .region
            .as_deref(),
        Some("us-east-2")
    );
    assert_eq!(
        s.loader().load().await.region.as_deref(),
        Some("eu-north-1")
    );
    s.set("AWS_DEFAULT_REGION", "sa-east-1");
    assert_eq!(s.loader().load().await.region.as_deref(), Some("sa-east-1"));
    s.set("AWS_REGION", "me-south-1");
    assert_eq!(
        s.loader().load().await.region.as_deref(),
        Some("me-south-1")
    );
    s.unset("AWS_REGION").unset("AWS_DEFAULT_REGION");
    assert!(imds.paths().is_empty());
    assert_eq!(
        s.loader().profile("bare").load().await.region.as_deref(),
        Some("ap-northeast-2")
    );
    assert_eq!(
        imds.paths(),
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/placement/region"
        ]
    );
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let sso = sso_setup("dev", "corp", false).await;
    std::fs::write(&sso.cache_file, token_file("old-token", 3600)).unwrap();
    sso.scenario.credentials("[keys]\naws_access_key_id = AKIDVISIBLE\naws_secret_access_key = TOPSECRETKEY\naws_session_token = TOPSECRETTOKEN\n");
    for profile in ["dev", "keys"] {
        let config = sso
            .scenario
            .loader()
            .profile(profile)
            .region("us-west-2")
            .load()
            .await;
        credentials(&config).await.unwrap();
        let text = format!("{config:?}");
        for secret in ["TOPSECRET", "old-token", "client-secret", "refresh-1"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    let set = botogen_runtime::profile::ProfileSet::load(&sso.scenario.env()).unwrap();
    let text = format!("{set:?}");
    assert!(!text.contains("TOPSECRET"), "{text}");
}
