//! The `tracing` output of calls, captured at TRACE level from every crate:
//! the runtime's `operation` and `attempt` spans carry service, operation,
//! region, attempts, status, request id and latency, retries are events,
//! and no credential, signature, token or `@sensitive` member appears.
//! Alone in its test binary: a subscriber set for one thread sees every
//! event only while no other test registers the same callsites at once.

#[path = "support/scripted.rs"]
mod scripted;

use botogen_runtime::client::{Config, RetryConfig};
use botogen_sso_oidc::types::CreateTokenRequest;
use botogen_sso_oidc::{Client as SsoOidc, SsoOidcApi};
use scripted::*;
use std::sync::{Arc, Mutex};

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

/// Everything every crate traces at TRACE level during a retried, signed
/// DynamoDB call and an SSO-OIDC call with `@sensitive` members both ways:
/// the operation and attempt spans carry service, operation, region,
/// attempts, status, request id and latency, retries are events with their
/// delay, and no credential, signature, token or sensitive value appears.
#[tokio::test(start_paused = true)]
async fn tracing_records_calls_and_attempts_but_no_secrets() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(capture.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::start(|i| match i {
        0 => with_header(reply(500, ""), "x-amzn-requestid", "REQ-FAILED-1"),
        1 => with_header(throttled(), "x-amzn-requestid", "REQ-THROTTLED-2"),
        2 => with_header(ok(), "x-amzn-requestid", "REQ-OK-3"),
        _ => with_header(
            reply(
                200,
                r#"{"accessToken":"ACCESSTOKENSECRETVALUE","refreshToken":"REFRESHSECRETVALUE","idToken":"IDTOKENSECRETVALUE","tokenType":"Bearer","expiresIn":3600}"#,
            ),
            "x-amzn-requestid",
            "REQ-OIDC-4",
        ),
    })
    .await;
    call(&dynamodb(&server, RetryConfig::default()))
        .await
        .expect("the third attempt succeeds");
    let oidc = SsoOidc::new(quiet(Config::new(), &server.url));
    let token = oidc
        .create_token(CreateTokenRequest {
            refresh_token: Some("INPUTREFRESHSECRET".into()),
            ..CreateTokenRequest::new("client-id", "CLIENTSECRETVALUE", "refresh_token")
        })
        .await
        .expect("a token");
    assert_eq!(
        token.access_token.as_deref(),
        Some("ACCESSTOKENSECRETVALUE")
    );
    drop(_guard);

    let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // `SHOW_TRACE=1 cargo test ... -- --nocapture` shows what was captured.
    if std::env::var_os("SHOW_TRACE").is_some() {
        println!("{text}");
    }
    let find = |parts: &[&str]| {
        lines
            .iter()
            .find(|l| parts.iter().all(|p| l.contains(p)))
            .unwrap_or_else(|| panic!("no line with {parts:?} in:\n{text}"))
    };
    // The operation spans, when they close, with everything recorded.
    let op = lines
        .iter()
        .find(|l| {
            l.contains("operation{service=\"DynamoDB\"")
                && l.contains("close")
                && !l.contains("attempt{")
        })
        .unwrap_or_else(|| panic!("no operation span closing in:\n{text}"));
    for field in [
        "operation=\"TransactWriteItems\"",
        "region=\"us-east-1\"",
        "attempts=3",
        "status=200",
        "request_id=\"REQ-OK-3\"",
        "latency_ms=",
    ] {
        assert!(op.contains(field), "{field} missing: {op}");
    }
    find(&[
        "operation{",
        "service=\"SSO OIDC\"",
        "operation=\"CreateToken\"",
        "request_id=\"REQ-OIDC-4\"",
        "close",
    ]);
    assert!(
        lines.iter().any(|l| l.contains("service=\"SSO OIDC\"")
            && l.contains("close")
            && !l.contains("attempt{")),
        "{text}"
    );
    // Each attempt's span, with its own status and request id.
    find(&[
        "attempt{attempt=1",
        "status=500",
        "request_id=\"REQ-FAILED-1\"",
        "close",
    ]);
    find(&[
        "attempt{attempt=2",
        "status=400",
        "request_id=\"REQ-THROTTLED-2\"",
        "close",
    ]);
    find(&[
        "attempt{attempt=3",
        "status=200",
        "request_id=\"REQ-OK-3\"",
        "close",
    ]);
    // The retry events.
    find(&[
        "retrying",
        "attempt=1",
        "kind=\"error response\"",
        "delay_ms=",
    ]);
    find(&[
        "retrying",
        "attempt=2",
        "kind=\"throttling\"",
        "code=\"ThrottlingException\"",
    ]);

    let signatures: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|s| s.header("authorization"))
        .filter_map(|a| a.split("Signature=").nth(1))
        .map(str::to_owned)
        .collect();
    assert_eq!(signatures.len(), 3, "every DynamoDB attempt is signed");
    let mut secrets = vec![
        SECRET_KEY,
        SESSION_TOKEN,
        "Signature=",
        "CLIENTSECRETVALUE",
        "INPUTREFRESHSECRET",
        "ACCESSTOKENSECRETVALUE",
        "REFRESHSECRETVALUE",
        "IDTOKENSECRETVALUE",
    ];
    secrets.extend(signatures.iter().map(String::as_str));
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} was traced:\n{text}");
    }
    // botogen's own output does not name the access key either (aws-sigv4's
    // TRACE events are checked above for the secret parts only).
    for line in lines.iter().filter(|l| l.contains("botogen_runtime")) {
        assert!(!line.contains(ACCESS_KEY), "{line}");
    }
}
