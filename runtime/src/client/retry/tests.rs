//! Retry decisions against cases computed by botocore 1.44.5
//! (`runtime/tests/retry/cases.json`, written by `make_cases.py` beside
//! it), and the properties those cases do not reach.

use super::adaptive::State;
use super::*;
use crate::schema::Protocol;
use serde_json::Value;

const CASES: &str = include_str!("../../../tests/retry/cases.json");

static TEMPLATE: Service = Service {
    service_id: "Things",
    api_version: "2020-01-01",
    protocol: Protocol::Json,
    protocols: &[Protocol::Json],
    json_version: "1.1",
    target_prefix: "Things",
    endpoint_prefix: "things",
    signing_name: "things",
    global_endpoint: None,
    xml_namespace: None,
    aws_query_compatible: false,
    auth: &["aws.auth#sigv4"],
    target_service: "",
    endpoint_rules: None,
    errors: &[],
};

fn service(service_id: &str, endpoint_prefix: &str) -> &'static Service {
    Box::leak(Box::new(Service {
        service_id: Box::leak(service_id.to_owned().into_boxed_str()),
        endpoint_prefix: Box::leak(endpoint_prefix.to_owned().into_boxed_str()),
        ..TEMPLATE
    }))
}

/// The modeled errors of the cases' operation (`ERRORS` in make_cases.py):
/// `(code, retryable trait)`.
fn modeled(code: Option<&str>) -> Modeled {
    match code {
        Some("Busy") => Modeled::Retryable { throttling: false },
        Some("Slow") => Modeled::Retryable { throttling: true },
        Some("NotFound") => Modeled::Plain,
        _ => Modeled::No,
    }
}

/// A case's response as an [`Outcome`] (headers and body kept by the caller).
struct Response {
    status: Option<u16>,
    code: Option<String>,
    headers: Vec<(String, String)>,
    timed_out: bool,
}

impl Response {
    fn from(case: &Value) -> Response {
        let r = &case["response"];
        Response {
            status: r["status"].as_u64().map(|s| s as u16),
            code: r["code"].as_str().map(str::to_owned),
            headers: r["headers"]
                .as_object()
                .map(|h| {
                    h.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
            timed_out: r["transport"] == "timeout",
        }
    }

    fn outcome(&self, service: &Service, body: &[u8]) -> Outcome<'_> {
        match self.status {
            None => Outcome::transport(self.timed_out),
            Some(status) => Outcome::response(
                status,
                self.code.as_deref(),
                modeled(self.code.as_deref()),
                &self.headers,
                crc32_mismatch(service, &self.headers, body).is_some(),
            ),
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn secs(d: Decision) -> Option<f64> {
    match d {
        Decision::Retry(d) => Some(d.as_secs_f64()),
        _ => None,
    }
}

fn standard_case(case: &Value, body: &[u8]) -> Result<(), String> {
    let service = service(
        case["service_id"].as_str().unwrap_or_default(),
        case["endpoint_prefix"].as_str().unwrap_or_default(),
    );
    let expect = &case["expect"];
    let response = Response::from(case);
    let outcome = response.outcome(service, body);
    let throttling = expect["throttling"].as_bool() == Some(true);
    if outcome.is_throttling() != throttling {
        return Err(format!("throttling: {}", outcome.is_throttling()));
    }
    let config = RetryConfig {
        max_attempts: case["max_attempts"].as_u64().map(|n| n as u32),
        ..RetryConfig::default()
    };
    for (key, random) in [("delay_at_1", 1.0), ("delay_at_quarter", 0.25)] {
        let retry = Retry::new(&config, service);
        let mut state = CallState {
            attempt: case["attempt"].as_u64().unwrap_or(1) as u32,
            acquired: None,
        };
        let decision = retry.decide_with(&mut state, "GetThing", &outcome, true, || random);
        let quota = retry.quota.as_ref().map(RetryQuota::available);
        match (expect["retry"].as_bool() == Some(true), secs(decision)) {
            (false, None) => return Ok(()),
            (true, Some(delay)) => {
                let want = expect[key].as_f64().unwrap_or(f64::NAN);
                if !close(delay, want) {
                    return Err(format!("{key}: delay {delay}, botocore {want}"));
                }
                let cost = expect["cost"].as_u64().unwrap_or(0) as u32;
                if quota != Some(QUOTA_CAPACITY - cost) {
                    return Err(format!("quota left {quota:?}, botocore's cost {cost}"));
                }
            }
            (want, _) => return Err(format!("decision {decision:?}, botocore retries: {want}")),
        }
    }
    Ok(())
}

fn legacy_case(case: &Value, body: &[u8]) -> Result<(), String> {
    let service = service(
        "Legacy",
        case["endpoint_prefix"].as_str().unwrap_or_default(),
    );
    let config = RetryConfig {
        mode: RetryMode::Legacy,
        max_attempts: case["max_attempts"].as_u64().map(|n| n as u32),
        ..RetryConfig::default()
    };
    let retry = Retry::new(&config, service);
    let response = Response::from(case);
    let mut state = CallState {
        attempt: case["attempt"].as_u64().unwrap_or(1) as u32,
        acquired: None,
    };
    let outcome = response.outcome(service, body);
    let decision = retry.decide_with(&mut state, "GetThing", &outcome, true, || 0.5);
    match (case["expect"]["delay"].as_f64(), secs(decision)) {
        (None, None) => Ok(()),
        (Some(want), Some(delay)) if close(want, delay) => Ok(()),
        (want, _) => Err(format!("decision {decision:?}, botocore's delay {want:?}")),
    }
}

fn adaptive_case(case: &Value) -> Result<(), String> {
    let mut state = State::new(0.0);
    for (i, step) in case["steps"].as_array().into_iter().flatten().enumerate() {
        let t = step["t"].as_f64().unwrap_or_default();
        match step["event"].as_str() {
            Some("acquire") => {
                let acquired = state.try_acquire(t).is_ok();
                if Some(acquired) != step["acquired"].as_bool() {
                    return Err(format!("step {i} (t={t}): acquired {acquired}"));
                }
            }
            Some(event) => state.on_response(t, event == "throttle"),
            None => return Err(format!("step {i}: no event")),
        }
        if Some(state.enabled) != step["enabled"].as_bool() {
            return Err(format!("step {i} (t={t}): enabled {}", state.enabled));
        }
        for (name, value) in [
            ("fill_rate", state.fill_rate),
            ("max_capacity", state.max_capacity),
            ("capacity", state.capacity),
            ("measured_rate", state.measured_rate),
            ("w_max", state.w_max),
            ("k", state.k),
            ("last_fail", state.last_fail),
        ] {
            let want = step[name].as_f64().unwrap_or(f64::NAN);
            if !close(value, want) {
                return Err(format!("step {i} (t={t}): {name} {value}, botocore {want}"));
            }
        }
    }
    Ok(())
}

/// Every case of `cases.json`, one line each, then the summary.
#[test]
fn botocore_retry_cases() {
    let cases: Value = serde_json::from_str(CASES).expect("cases.json parses");
    let body = cases["body"].as_str().expect("body").as_bytes();
    let (mut passed, mut failed) = (0, 0);
    for (kind, run) in [
        (
            "standard",
            &(|c: &Value| standard_case(c, body)) as &dyn Fn(&Value) -> Result<(), String>,
        ),
        ("legacy", &|c: &Value| legacy_case(c, body)),
        ("adaptive", &adaptive_case),
    ] {
        let list = cases[kind].as_array().expect("a case list");
        assert!(list.len() >= 3, "{kind}: {} cases", list.len());
        for case in list {
            let name = case["name"].as_str().unwrap_or("?");
            match run(case) {
                Ok(()) => {
                    passed += 1;
                    println!("ok     {kind}: {name}");
                }
                Err(e) => {
                    failed += 1;
                    println!("FAILED {kind}: {name}: {e}");
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed, 0 skipped");
    assert_eq!(failed, 0, "see the FAILED lines");
}

/// The retry quota stops a storm: 500 tokens are 35 retries after
/// transient errors or 100 after throttling, and successes refill it.
#[test]
fn quota_drains_and_refills() {
    let q = RetryQuota::default();
    let transient = std::iter::from_fn(|| q.acquire(RETRY_COST).then_some(())).count();
    assert_eq!((transient, q.available()), (35, 10));
    let q = RetryQuota::default();
    let throttled = std::iter::from_fn(|| q.acquire(THROTTLING_RETRY_COST).then_some(())).count();
    assert_eq!((throttled, q.available()), (100, 0));
    q.release(14);
    q.release(NO_RETRY_INCREMENT);
    assert_eq!(q.available(), 15);
    q.release(1000);
    assert_eq!(q.available(), QUOTA_CAPACITY);
}

fn failure() -> Outcome<'static> {
    Outcome::response(503, Some("503"), Modeled::No, &[], false)
}

/// A call that succeeds after retries gives back what its last retry took.
#[test]
fn success_after_retries_returns_the_last_cost() {
    let retry = Retry::new(&RetryConfig::default(), &TEMPLATE);
    let mut state = CallState::new();
    let throttled = Outcome::response(400, Some("Throttling"), Modeled::No, &[], false);
    assert!(matches!(
        retry.decide_with(&mut state, "GetThing", &failure(), true, || 0.0),
        Decision::Retry(_)
    ));
    assert!(matches!(
        retry.decide_with(&mut state, "GetThing", &throttled, true, || 0.0),
        Decision::Retry(_)
    ));
    let quota = retry.quota.as_ref().expect("quota");
    assert_eq!(quota.available(), 500 - 14 - 5);
    let ok = Outcome::response(200, None, Modeled::No, &[], false);
    assert_eq!(
        retry.decide_with(&mut state, "GetThing", &ok, true, || 0.0),
        Decision::Success
    );
    assert_eq!(quota.available(), 500 - 14);
}

/// With the quota empty, a long-polling operation still waits its delay
/// before failing (so a polling loop does not spin); others fail at once.
#[test]
fn exhausted_quota_fails_and_long_polling_waits() {
    let sqs = service("SQS", "sqs");
    let retry = Retry::new(&RetryConfig::default(), sqs);
    let quota = retry.quota.as_ref().expect("quota");
    while quota.acquire(1) {}
    let decide = |op: &str| retry.decide_with(&mut CallState::new(), op, &failure(), true, || 1.0);
    assert_eq!(decide("SendMessage"), Decision::Fail(None));
    assert_eq!(
        decide("ReceiveMessage"),
        Decision::Fail(Some(Duration::from_millis(50)))
    );
    let off = Retry::new(
        &RetryConfig {
            retry_quota: false,
            ..RetryConfig::default()
        },
        sqs,
    );
    assert!(off.quota.is_none());
    assert!(matches!(
        off.decide_with(
            &mut CallState::new(),
            "SendMessage",
            &failure(),
            true,
            || 1.0
        ),
        Decision::Retry(_)
    ));
}

#[test]
fn attempts_bodies_and_overrides() {
    let retry = Retry::new(&RetryConfig::default(), &TEMPLATE);
    assert_eq!(retry.max_attempts(), 3);
    assert_eq!(
        Retry::new(&RetryConfig::default(), service("DynamoDB", "dynamodb")).max_attempts(),
        4
    );
    let legacy = RetryConfig::mode(RetryMode::Legacy);
    assert_eq!(Retry::new(&legacy, &TEMPLATE).max_attempts(), 5);
    assert_eq!(
        Retry::new(&legacy, service("DynamoDB", "dynamodb")).max_attempts(),
        10
    );
    assert_eq!(
        Retry::new(&RetryConfig::disabled(), &TEMPLATE).max_attempts(),
        1
    );
    assert!(Retry::new(&legacy, &TEMPLATE).quota.is_none());
    // A body that cannot be sent again ends the retries.
    let mut state = CallState::new();
    assert_eq!(
        retry.decide_with(&mut state, "GetThing", &failure(), false, || 1.0),
        Decision::Fail(None)
    );
    assert_eq!(state.attempt, 1);
    // `initial_backoff` replaces every base; `max_backoff` caps the delay.
    let fast = Retry::new(
        &RetryConfig {
            initial_backoff: Some(Duration::from_millis(2)),
            max_backoff: Duration::from_millis(5),
            max_attempts: Some(10),
            ..RetryConfig::default()
        },
        &TEMPLATE,
    );
    let mut state = CallState::new();
    let mut delays = Vec::new();
    while let Decision::Retry(d) =
        fast.decide_with(&mut state, "GetThing", &failure(), true, || 1.0)
    {
        delays.push(d.as_millis());
    }
    assert_eq!(delays, [2, 4, 5, 5, 5, 5, 5, 5, 5]);
    let legacy_fast = Retry::new(
        &RetryConfig {
            initial_backoff: Some(Duration::from_millis(10)),
            ..RetryConfig::mode(RetryMode::Legacy)
        },
        &TEMPLATE,
    );
    let mut state = CallState {
        attempt: 3,
        acquired: None,
    };
    assert_eq!(
        legacy_fast.decide_with(&mut state, "GetThing", &failure(), true, || 0.5),
        Decision::Retry(Duration::from_millis(20))
    );
}

/// `_retry.json` (the legacy mode's data) against the standard mode's
/// tables: every code and status the file retries is retried in standard
/// mode too, except these, as in botocore 1.44.5 (whose standard mode has
/// no per-service code lists): 509 and `BadDigest` (S3) and
/// `ReplicatedWriteConflictException` (DynamoDB) are legacy only.
#[test]
fn legacy_policies_compared_with_the_standard_tables() {
    let data: Value = serde_json::from_str(include_str!("_retry.json")).expect("parses");
    let legacy_only = [
        (Some(509), None),
        (Some(400), Some("BadDigest")),
        (Some(409), Some("ReplicatedWriteConflictException")),
    ];
    let mut seen = 0;
    let mut visit = |applies: &Value, prefix: &str| {
        let Some(response) = applies.get("response") else {
            return;
        };
        let Some(status) = response["http_status_code"].as_u64().map(|s| s as u16) else {
            return;
        };
        let code = response["service_error_code"].as_str();
        seen += 1;
        let code_or_status = code.map(str::to_owned).unwrap_or(status.to_string());
        let outcome = Outcome::response(status, Some(&code_or_status), Modeled::No, &[], false);
        let retry = Retry::new(&RetryConfig::default(), service("X", prefix));
        let standard = retry.standard_retryable(&outcome);
        let expected = !legacy_only.contains(&(Some(status), code));
        assert_eq!(standard, expected, "{prefix}: {status} {code:?}");
    };
    for (name, def) in data["definitions"].as_object().expect("definitions") {
        let _ = name;
        visit(&def["applies_when"], "things");
    }
    for (prefix, entry) in data["retry"].as_object().expect("retry") {
        for policy in entry["__default__"]["policies"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.values())
        {
            visit(&policy["applies_when"], prefix);
        }
    }
    assert!(seen > 20, "{seen}");
}
