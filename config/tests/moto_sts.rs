//! Assume-role and web identity against moto's STS server, and the end to
//! end: one unchanged program (`botogen-whoami`) on an EC2-like host (fake
//! instance metadata) and on an EKS-like pod (a web identity token) gets
//! working credentials, proved by a signed `GetCallerIdentity` call.

mod support;

use botogen_runtime::client::Config;
use botogen_runtime::fake_http::FakeServer;
use botogen_sts::StsApi;
use botogen_sts::types::GetCallerIdentityRequest;
use support::{Scenario, moto};

/// The ARN moto reports for the credentials `config` resolves.
async fn caller_arn(config: Config) -> String {
    let url = moto().url.clone();
    let sts = botogen_sts::Client::new(config.endpoint_url(url));
    sts.get_caller_identity(GetCallerIdentityRequest::default())
        .await
        .expect("GetCallerIdentity")
        .arn
        .unwrap_or_default()
}

const CONFIG: &str = "\
[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = BASESECRET

[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
role_session_name = tester
external_id = outside
region = us-west-2

[profile deep]
role_arn = arn:aws:iam::123456789012:role/deep
source_profile = admin
role_session_name = deeper

[profile web]
role_arn = arn:aws:iam::123456789012:role/web
web_identity_token_file = ~/web-token
role_session_name = web-session

[profile web-then-role]
role_arn = arn:aws:iam::123456789012:role/after-web
source_profile = web
role_session_name = after-web
";

fn scenario() -> Scenario {
    let mut s = Scenario::new();
    s.config(CONFIG);
    s.file("home/web-token", "header.payload.signature\n");
    s.set("AWS_ENDPOINT_URL_STS", moto().url.clone());
    s
}

#[tokio::test]
async fn assume_role_from_a_source_profile() {
    let s = scenario();
    let config = s.loader().profile("admin").load().await;
    assert_eq!(config.region.as_deref(), Some("us-west-2"));
    let c = config
        .credentials
        .as_ref()
        .unwrap()
        .credentials()
        .await
        .unwrap()
        .unwrap();
    assert!(c.access_key_id.starts_with("ASIA"), "{c:?}");
    assert!(c.session_token.is_some() && c.expires_at.is_some());
    assert_eq!(
        caller_arn(config).await,
        "arn:aws:sts::123456789012:assumed-role/admin/tester"
    );
}

#[tokio::test]
async fn role_chains_assume_each_role_in_turn() {
    let s = scenario();
    let config = s.loader().profile("deep").load().await;
    assert_eq!(
        caller_arn(config).await,
        "arn:aws:sts::123456789012:assumed-role/deep/deeper"
    );
    let config = s.loader().profile("web-then-role").load().await;
    assert_eq!(
        caller_arn(config).await,
        "arn:aws:sts::123456789012:assumed-role/after-web/after-web"
    );
}

#[tokio::test]
async fn web_identity_from_the_profile_and_from_the_environment() {
    let mut s = scenario();
    let config = s.loader().profile("web").load().await;
    assert_eq!(
        caller_arn(config).await,
        "arn:aws:sts::123456789012:assumed-role/web/web-session"
    );

    let token = s.file("pod-token", "eks.issued.token");
    s.set("AWS_WEB_IDENTITY_TOKEN_FILE", token.display().to_string())
        .set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod")
        .set("AWS_ROLE_SESSION_NAME", "pod-session");
    assert_eq!(
        caller_arn(s.loader().load().await).await,
        "arn:aws:sts::123456789012:assumed-role/pod/pod-session"
    );
}

/// Runs `botogen-whoami` with only `vars` in its environment.
fn whoami(vars: &[(String, String)]) -> (bool, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_botogen-whoami"));
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.envs(vars.iter().map(|(k, v)| (k, v)));
    let out = cmd.output().expect("run botogen-whoami");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A port nothing listens on, so a stray IMDS request fails on loopback.
fn dead_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", l.local_addr().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_program_on_an_ec2_like_host_and_an_eks_like_pod() {
    let moto_url = moto().url.clone();

    // EC2: no keys, no files; instance metadata has a role and the region.
    let imds = FakeServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", "/latest/api/token") => Some((200, "session-token".into())),
        (_, _) if req.header("x-aws-ec2-metadata-token") != Some("session-token") => Some((401, String::new())),
        (_, "/latest/meta-data/placement/region") => Some((200, "eu-west-1".into())),
        (_, "/latest/meta-data/iam/security-credentials/") => Some((200, "web-server-role".into())),
        (_, "/latest/meta-data/iam/security-credentials/web-server-role") => Some((200, format!(
            r#"{{"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIAEC2INSTANCE", "SecretAccessKey": "S", "Token": "T", "Expiration": "{}"}}"#,
            botogen_runtime::client::credentials::format_time(std::time::SystemTime::now() + std::time::Duration::from_secs(6 * 3600))
        ))),
        _ => Some((404, String::new())),
    })
    .await;
    let ec2 = Scenario::new();
    let mut vars = ec2.vars();
    vars.retain(|(k, _)| k != "AWS_EC2_METADATA_DISABLED");
    vars.push(("AWS_EC2_METADATA_SERVICE_ENDPOINT".into(), imds.url.clone()));
    vars.push(("AWS_ENDPOINT_URL".into(), moto_url.clone()));
    let (ok, stdout, stderr) = tokio::task::spawn_blocking(move || whoami(&vars))
        .await
        .unwrap();
    assert!(ok, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("region: eu-west-1\n"), "{stdout}");
    assert!(
        stdout.contains("access_key_id: ASIAEC2INSTANCE\n"),
        "{stdout}"
    );
    assert!(stdout.contains("account: 123456789012\n"), "{stdout}");
    let paths = imds.paths();
    assert!(
        paths
            .contains(&"GET /latest/meta-data/iam/security-credentials/web-server-role".to_owned()),
        "{paths:?}"
    );

    // EKS (IRSA): the token file and role the pod identity webhook sets.
    let eks = Scenario::new();
    let token = eks.file(
        "var/run/secrets/eks.amazonaws.com/serviceaccount/token",
        "eks.oidc.jwt",
    );
    let mut vars = eks.vars();
    vars.extend([
        (
            "AWS_WEB_IDENTITY_TOKEN_FILE".to_owned(),
            token.display().to_string(),
        ),
        (
            "AWS_ROLE_ARN".to_owned(),
            "arn:aws:iam::123456789012:role/eks-pod".to_owned(),
        ),
        ("AWS_REGION".to_owned(), "us-east-2".to_owned()),
        ("AWS_ENDPOINT_URL".to_owned(), moto_url),
        (
            "AWS_EC2_METADATA_SERVICE_ENDPOINT".to_owned(),
            dead_port_url(),
        ),
    ]);
    let (ok, stdout, stderr) = tokio::task::spawn_blocking(move || whoami(&vars))
        .await
        .unwrap();
    assert!(ok, "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("region: us-east-2\n"), "{stdout}");
    assert!(stdout.contains("access_key_id: ASIA"), "{stdout}");
    assert!(
        stdout.contains("arn: arn:aws:sts::123456789012:assumed-role/eks-pod/botogen-session-"),
        "{stdout}"
    );

    // Nothing configured anywhere: the error lists what was tried.
    let none = Scenario::new();
    let (ok, _, stderr) = whoami(&none.vars());
    assert!(!ok);
    assert!(
        stderr.contains("no credentials found") && stderr.contains("AWS_EC2_METADATA_DISABLED"),
        "{stderr}"
    );
}
