//! Retries end to end: the generated DynamoDB client against a
//! scripted server on 127.0.0.1 that throttles and fails. Attempt counts
//! per mode and service, the delays' bounds, the retry quota stopping a
//! storm, adaptive mode slowing the send rate, legacy mode's `_retry.json`
//! delays, DynamoDB's CRC32 check and idempotency tokens across attempts
//! (the `tracing` output is checked in `tracing_output.rs`).
//!
//! Delays are measured on tokio's paused clock: the runtime jumps to the
//! next timer whenever it is idle, so the server sees each attempt at
//! exactly the time the client slept to. Every other timer (connect
//! timeout, stalled-stream protection, the pool's idle reaper) is off in
//! these clients, so the only timers are the retry delays.

#[path = "support/scripted.rs"]
mod scripted;

use botogen_dynamodb::operations::TransactWriteItemsError;
use botogen_dynamodb::types::TransactWriteItemsInput;
use botogen_dynamodb::{Client as DynamoDb, DynamoDbApi};
use botogen_runtime::SdkError;
use botogen_runtime::client::{Config, Crc32Mismatch, RetryConfig, RetryMode};
use botogen_runtime::env::Env;
use botogen_runtime::error::ProvideErrorMetadata as _;
use scripted::*;
use std::time::Duration;

// ---------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------

/// Standard mode: 4 attempts for DynamoDB (3 elsewhere), `max_attempts`
/// and `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE` override it, and a
/// non-retryable error is tried once.
#[tokio::test(start_paused = true)]
async fn attempts_follow_the_mode_the_service_and_the_settings() {
    let server = Server::start(|_| unavailable()).await;
    let client = dynamodb(&server, RetryConfig::default());
    match call(&client).await {
        Err(TransactWriteItemsError::Unmodeled(e)) => assert_eq!(e.meta().status(), Some(503)),
        other => panic!("expected the last 503, got {other:?}"),
    }
    assert_eq!(
        attempts(&server),
        [
            "attempt=1; max=4",
            "attempt=2; max=4",
            "attempt=3; max=4",
            "attempt=4; max=4"
        ]
    );

    let server = Server::start(|_| unavailable()).await;
    let env = Env::from_vars([
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_MAX_ATTEMPTS", "2"),
        ("AWS_RETRY_MODE", "adaptive"),
    ]);
    let from_env = Config::from_env_vars(&env);
    assert_eq!(from_env.retry.mode, RetryMode::Adaptive);
    let client = DynamoDb::new(quiet(from_env, &server.url));
    call(&client).await.unwrap_err();
    assert_eq!(attempts(&server), ["attempt=1; max=2", "attempt=2; max=2"]);

    // A value botocore rejects fails every call, naming the variable.
    let server = Server::start(|_| ok()).await;
    let bad = Config::from_env_vars(&Env::from_vars([
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_RETRY_MODE", "fast"),
    ]));
    match call(&DynamoDb::new(quiet(bad, &server.url))).await {
        Err(TransactWriteItemsError::Sdk(SdkError::Config(m))) => {
            assert!(
                m.contains("AWS_RETRY_MODE") && m.contains("\"fast\""),
                "{m}"
            )
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
    assert!(server.requests().is_empty());

    let server = Server::start(|_| {
        reply(
            400,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"no"}"#,
        )
    })
    .await;
    call(&dynamodb(&server, RetryConfig::default()))
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1, "a validation error is final");
}

/// Standard mode's delays: a random fraction of 25 ms (DynamoDB's base
/// after a transient error) doubling per attempt, of 1 s after throttling,
/// and `x-amz-retry-after` raising one to exactly its value.
#[tokio::test(start_paused = true)]
async fn delays_stay_within_the_standard_bounds() {
    // Per call: 500, throttled, 500 with retry-after 1500 ms, then 200.
    let server = Server::start(|i| match i % 4 {
        0 => reply(500, ""),
        1 => throttled(),
        2 => with_header(reply(500, ""), "x-amz-retry-after", "1500"),
        _ => ok(),
    })
    .await;
    let client = dynamodb(&server, RetryConfig::default());
    const CALLS: usize = 25;
    for _ in 0..CALLS {
        call(&client).await.expect("the fourth attempt succeeds");
    }
    let gaps = server.gaps();
    assert_eq!(gaps.len(), CALLS * 4 - 1);
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for call in 0..CALLS {
        let g = &gaps[call * 4..call * 4 + 3];
        // Retry 1 after a 500: [0, 25 ms]; retry 2 after throttling:
        // [0, 1 s * 2]; retry 3: max(jitter within 100 ms, 1.5 s) = 1.5 s.
        assert!(g[0] <= Duration::from_millis(25), "call {call}: {:?}", g);
        assert!(g[1] <= Duration::from_secs(2), "call {call}: {:?}", g);
        assert_eq!(g[2], Duration::from_millis(1500), "call {call}: {:?}", g);
        first.push(ms(g[0]));
        second.push(ms(g[1]));
    }
    // Full jitter: the delays spread over their range rather than sitting
    // at a bound (25 draws all below a tenth of the ceiling, or all above
    // nine tenths, would be a broken random source).
    for (name, v, ceiling) in [("first", &first, 25.0), ("second", &second, 2000.0)] {
        let max = v.iter().cloned().fold(0.0, f64::max);
        let min = v.iter().cloned().fold(f64::MAX, f64::min);
        assert!(
            max > ceiling * 0.1 && min < ceiling * 0.9,
            "{name} delays {v:?}"
        );
    }
}

/// The retry quota (500; 14 per retry after a transient error) ends a retry
/// storm: a dead service gets 35 retries in all, then every call is tried
/// once; without the quota each call makes all its attempts.
#[tokio::test(start_paused = true)]
async fn the_quota_stops_a_retry_storm() {
    const CALLS: usize = 40;
    let server = Server::start(|_| unavailable()).await;
    let client = dynamodb(&server, RetryConfig::default());
    for _ in 0..CALLS {
        call(&client).await.unwrap_err();
    }
    let seen = attempts(&server);
    assert_eq!(seen.len(), CALLS + 35, "{seen:?}");
    // 11 calls retry 3 times (462 tokens), the 12th twice (490): 10 left.
    let retried = seen.iter().filter(|a| !a.starts_with("attempt=1;")).count();
    assert_eq!(retried, 35);
    assert!(
        seen[seen.len() - 20..]
            .iter()
            .all(|a| a.starts_with("attempt=1;")),
        "{seen:?}"
    );
    // Clones share the quota: an exhausted client's clone is exhausted too.
    let clone = client.clone();
    call(&clone).await.unwrap_err();
    assert_eq!(server.requests().len(), CALLS + 35 + 1);

    // Throttling costs 5: 100 retries.
    let server = Server::start(|_| throttled()).await;
    let client = dynamodb(&server, RetryConfig::default());
    for _ in 0..CALLS {
        call(&client).await.unwrap_err();
    }
    assert_eq!(server.requests().len(), CALLS + 100);

    let server = Server::start(|_| unavailable()).await;
    let client = dynamodb(
        &server,
        RetryConfig {
            retry_quota: false,
            ..RetryConfig::default()
        },
    );
    for _ in 0..CALLS {
        call(&client).await.unwrap_err();
    }
    assert_eq!(server.requests().len(), CALLS * 4);
}

/// Adaptive mode: after throttling, attempts wait for the client-side rate
/// limiter (0.5 sends per second at first, growing back along CUBIC);
/// standard mode against the same server only waits its short back-off.
#[tokio::test(start_paused = true)]
async fn adaptive_mode_slows_the_send_rate_after_throttling() {
    // The first three requests are throttled, then everything succeeds.
    let script = |i: usize| if i < 3 { throttled() } else { ok() };
    let fast = |mode| RetryConfig {
        initial_backoff: Some(Duration::from_millis(1)),
        max_attempts: Some(5),
        ..RetryConfig::mode(mode)
    };
    let mut spans = Vec::new();
    for mode in [RetryMode::Standard, RetryMode::Adaptive] {
        let server = Server::start(script).await;
        let client = dynamodb(&server, fast(mode));
        for _ in 0..12 {
            call(&client).await.expect("succeeds after the throttling");
        }
        let seen = server.requests();
        assert_eq!(
            seen.len(),
            15,
            "{mode}: three retries, then one attempt per call"
        );
        let gaps = server.gaps();
        spans.push((mode, seen[14].at - seen[0].at, gaps));
    }
    let (_, standard_total, standard_gaps) = &spans[0];
    let (_, adaptive_total, adaptive_gaps) = &spans[1];
    // Standard: three jittered delays of at most 1, 2 and 4 ms, no limit.
    assert!(
        *standard_total <= Duration::from_millis(7),
        "{standard_gaps:?}"
    );
    // Adaptive: the first throttling turns the limiter on at its floor
    // rate, 0.5 tokens per second: each retry of the throttled call waits
    // about 2 s for a token.
    assert!(
        adaptive_gaps[0] >= Duration::from_millis(1900),
        "{adaptive_gaps:?}"
    );
    assert!(
        adaptive_gaps[..3]
            .iter()
            .all(|g| *g >= Duration::from_millis(1900)),
        "{adaptive_gaps:?}"
    );
    assert!(
        *adaptive_total >= Duration::from_secs(6),
        "{adaptive_total:?}: {adaptive_gaps:?}"
    );
    // ... and the rate grows back with the successes: the last sends come
    // several times faster than the first ones after the throttling.
    let late = adaptive_gaps[adaptive_gaps.len() - 1];
    assert!(late * 5 < adaptive_gaps[2], "{adaptive_gaps:?}");
}

/// Legacy mode: `_retry.json`'s policies and delays. DynamoDB's entry:
/// 10 attempts, `0.05 * 2^(n-1)` seconds (no jitter), and its
/// `ReplicatedWriteConflictException` (409), which standard mode does not
/// retry.
#[tokio::test(start_paused = true)]
async fn legacy_mode_follows_retry_json() {
    let conflict = || {
        reply(
            409,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ReplicatedWriteConflictException","message":"x"}"#,
        )
    };
    let server = Server::start(move |_| conflict()).await;
    call(&dynamodb(&server, RetryConfig::mode(RetryMode::Legacy)))
        .await
        .unwrap_err();
    let gaps: Vec<u128> = server.gaps().iter().map(Duration::as_millis).collect();
    assert_eq!(gaps, [50, 100, 200, 400, 800, 1600, 3200, 6400, 12800]);
    assert_eq!(attempts(&server)[9], "attempt=10; max=10");

    let server = Server::start(move |_| conflict()).await;
    call(&dynamodb(&server, RetryConfig::default()))
        .await
        .unwrap_err();
    assert_eq!(
        server.requests().len(),
        1,
        "standard mode does not retry it"
    );

    // A 509 is retried in legacy mode only.
    let server = Server::start(|_| reply(509, "")).await;
    call(&dynamodb(&server, RetryConfig::mode(RetryMode::Legacy)))
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 10);
}

/// A DynamoDB response whose body does not match its `x-amz-crc32` is
/// retried, and reported as [`Crc32Mismatch`] when every attempt fails.
#[tokio::test(start_paused = true)]
async fn dynamodb_crc32_mismatches_are_retried() {
    let good = crc32fast::hash(b"{}");
    let server = Server::start(move |i| match i {
        0 => with_header(ok(), "x-amz-crc32", "12345"),
        1 => with_header(ok(), "x-amz-crc32", good.to_string()),
        _ => with_header(ok(), "x-amz-crc32", "1"),
    })
    .await;
    let client = dynamodb(&server, RetryConfig::default());
    call(&client)
        .await
        .expect("the second attempt's body matches");
    assert_eq!(server.requests().len(), 2);
    match call(&client).await {
        Err(TransactWriteItemsError::Sdk(SdkError::Transport(e))) => {
            let m = e.downcast_ref::<Crc32Mismatch>().expect("a CRC32 mismatch");
            assert_eq!((m.expected, m.actual), (1, good));
        }
        other => panic!("expected a CRC32 mismatch, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2 + 4);
}

/// The request is serialized once: an idempotency token the client fills
/// in is the same in every attempt (and so is the invocation id), while
/// each attempt is signed afresh.
#[tokio::test(start_paused = true)]
async fn idempotency_tokens_are_the_same_in_every_attempt() {
    let server = Server::start(|i| match i {
        0 => reply(500, ""),
        1 => throttled(),
        2 => unavailable(),
        _ => ok(),
    })
    .await;
    let client = dynamodb(&server, RetryConfig::default());
    call(&client).await.expect("the fourth attempt succeeds");
    let seen = server.requests();
    assert_eq!(seen.len(), 4);
    let token = |s: &Seen| {
        let body: serde_json::Value = serde_json::from_str(&s.body).expect("a JSON body");
        body["ClientRequestToken"]
            .as_str()
            .expect("a filled idempotency token")
            .to_owned()
    };
    let first = token(&seen[0]);
    assert_eq!(first.len(), 36, "a UUID: {first}");
    assert!(seen.iter().all(|s| token(s) == first));
    let ids: Vec<_> = seen
        .iter()
        .map(|s| s.header("amz-sdk-invocation-id").unwrap().to_owned())
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]));
    // A second call gets a new token.
    call(&client).await.unwrap();
    assert_ne!(token(&server.requests()[4]), first);
    // A token the caller sets is kept, in every attempt.
    let server = Server::start(|i| if i == 0 { reply(500, "") } else { ok() }).await;
    let client = dynamodb(&server, RetryConfig::default());
    client
        .transact_write_items(TransactWriteItemsInput {
            client_request_token: Some("my-token".into()),
            ..TransactWriteItemsInput::new(vec![])
        })
        .await
        .unwrap();
    assert!(server.requests().iter().all(|s| token(s) == "my-token"));
}
