//! The `legacy` retry mode: botocore's `_retry.json` policies (botocore
//! 1.44.5's file, vendored beside this module, Apache-2.0, Copyright
//! Amazon.com, Inc. or its affiliates).
//!
//! A service's policy is the file's `__default__` with the entry for its
//! `endpointPrefix` merged on top key by key (botocore's
//! `translate.build_retry_config`): attempts, the exponential delay and the
//! checks — an HTTP status, a status with an error code, a DynamoDB body
//! whose CRC32 does not match, or a connection error. No quota, no jitter
//! beyond a `rand` base.

use super::Outcome;
use serde_json::{Map, Value};
use std::sync::OnceLock;
use std::time::Duration;

const RETRY_JSON: &str = include_str!("_retry.json");

/// The vendored file, parsed once per process.
fn data() -> &'static Value {
    static DATA: OnceLock<Value> = OnceLock::new();
    // The file is checked by this module's tests; a failure here would be a
    // build of a corrupted source tree.
    DATA.get_or_init(|| serde_json::from_str(RETRY_JSON).expect("the vendored _retry.json parses"))
}

/// One service's legacy retry policy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Policy {
    /// Total attempts (`max_attempts` in the file counts the first).
    pub max_attempts: u32,
    base: Base,
    growth_factor: f64,
    checks: Vec<Check>,
}

/// The delay's base: `rand` (uniform in [0, 1) seconds) or fixed seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Base {
    Rand,
    Seconds(f64),
}

/// When a policy applies.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Check {
    /// This HTTP status, whatever the code.
    Status(u16),
    /// This status with this error code.
    Code { status: u16, code: String },
    /// The body does not match the CRC32 in this header.
    Crc32 { header: String },
    /// A connection error (`GENERAL_CONNECTION_ERROR`): any transport
    /// failure, timeouts included, as botocore maps it.
    Connection,
}

impl Policy {
    /// The policy for the service with this `endpointPrefix`.
    pub fn for_service(endpoint_prefix: &str) -> Policy {
        // Every key is read from the vendored file, which the tests check
        // against every service's policy; a malformed entry is a bug there.
        build(data(), endpoint_prefix).expect("the vendored _retry.json has valid policies")
    }

    /// Whether any check applies to `outcome`.
    pub fn matches(&self, outcome: &Outcome<'_>) -> bool {
        self.checks.iter().any(|check| match check {
            Check::Status(s) => outcome.status == Some(*s),
            Check::Code { status, code } => {
                outcome.status == Some(*status) && outcome.code == Some(code.as_str())
            }
            Check::Crc32 { .. } => outcome.crc32_mismatch,
            Check::Connection => outcome.status.is_none(),
        })
    }

    /// `base * growth_factor^(attempt-1)` after attempt `attempt` (1-based);
    /// `initial` replaces the base (`rand` becomes `random * initial`).
    pub fn delay(&self, attempt: u32, initial: Option<Duration>, random: f64) -> Duration {
        let random = random.clamp(0.0, 1.0);
        let base = match (self.base, initial) {
            (Base::Rand, Some(d)) => random * d.as_secs_f64(),
            (Base::Seconds(_), Some(d)) => d.as_secs_f64(),
            (Base::Rand, None) => random,
            (Base::Seconds(s), None) => s,
        };
        let exp = attempt.saturating_sub(1).min(1000) as i32;
        let seconds = base * self.growth_factor.powi(exp);
        Duration::try_from_secs_f64(seconds.max(0.0)).unwrap_or(Duration::MAX)
    }
}

/// botocore's `build_retry_config` and `create_retry_handler` over `data`.
fn build(data: &Value, endpoint_prefix: &str) -> Result<Policy, String> {
    let definitions = data
        .get("definitions")
        .and_then(Value::as_object)
        .ok_or("no definitions")?;
    let retry = data.get("retry").ok_or("no retry section")?;
    let mut config = retry.get("__default__").cloned().ok_or("no __default__")?;
    resolve(&mut config, definitions)?;
    if let Some(service) = retry
        .get(endpoint_prefix)
        .and_then(|s| s.get("__default__"))
    {
        let mut service = service.clone();
        resolve(&mut service, definitions)?;
        merge(&mut config, service);
    }
    let max_attempts = config
        .get("max_attempts")
        .and_then(Value::as_u64)
        .ok_or("no max_attempts")?;
    let delay = config.get("delay").ok_or("no delay")?;
    if delay.get("type").and_then(Value::as_str) != Some("exponential") {
        return Err(format!("unknown delay type in {delay}"));
    }
    let base = match delay.get("base") {
        Some(Value::String(s)) if s == "rand" => Base::Rand,
        Some(Value::Number(n)) => Base::Seconds(n.as_f64().ok_or("bad base")?),
        other => return Err(format!("bad delay base {other:?}")),
    };
    let growth_factor = delay
        .get("growth_factor")
        .and_then(Value::as_f64)
        .ok_or("no growth_factor")?;
    let mut checks = Vec::new();
    let policies = config
        .get("policies")
        .and_then(Value::as_object)
        .ok_or("no policies")?;
    for (name, policy) in policies {
        let applies = policy
            .get("applies_when")
            .ok_or_else(|| format!("policy {name}: no applies_when"))?;
        checks.push(check(applies).map_err(|e| format!("policy {name}: {e}"))?);
    }
    Ok(Policy {
        max_attempts: u32::try_from(max_attempts).map_err(|e| e.to_string())?,
        base,
        growth_factor,
        checks,
    })
}

/// One `applies_when`, as `_create_single_checker` reads it.
fn check(applies: &Value) -> Result<Check, String> {
    if let Some(response) = applies.get("response") {
        let status = || {
            response
                .get("http_status_code")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .ok_or_else(|| format!("no http_status_code in {response}"))
        };
        if let Some(code) = response.get("service_error_code") {
            let code = code.as_str().ok_or("service_error_code is not a string")?;
            return Ok(Check::Code {
                status: status()?,
                code: code.to_owned(),
            });
        }
        if response.get("http_status_code").is_some() {
            return Ok(Check::Status(status()?));
        }
        if let Some(header) = response.get("crc32body").and_then(Value::as_str) {
            return Ok(Check::Crc32 {
                header: header.to_owned(),
            });
        }
        return Err(format!("unknown response check {response}"));
    }
    match applies.get("socket_errors").and_then(Value::as_array) {
        Some(errors)
            if errors
                .iter()
                .all(|e| e.as_str() == Some("GENERAL_CONNECTION_ERROR")) =>
        {
            Ok(Check::Connection)
        }
        _ => Err(format!("unknown check {applies}")),
    }
}

/// Replaces `{"$ref": name}` objects by the definition (`resolve_references`).
fn resolve(value: &mut Value, definitions: &Map<String, Value>) -> Result<(), String> {
    if let Value::Object(map) = value {
        if map.len() == 1
            && let Some(Value::String(name)) = map.get("$ref")
        {
            let target = definitions
                .get(name)
                .ok_or_else(|| format!("unknown $ref {name}"))?;
            *value = target.clone();
            return Ok(());
        }
        for v in map.values_mut() {
            resolve(v, definitions)?;
        }
    }
    Ok(())
}

/// botocore's `merge_dicts`: objects merge key by key, anything else replaces.
fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (into, from) => *into = from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every service entry of the vendored file builds, and the one header a
    /// CRC32 check names is DynamoDB's (the client computes that one).
    #[test]
    fn every_policy_in_the_file_builds() {
        let retry = data()["retry"].as_object().expect("retry section");
        assert!(retry.len() > 5, "{}", retry.len());
        for prefix in retry.keys() {
            let policy = build(data(), prefix).unwrap_or_else(|e| panic!("{prefix}: {e}"));
            for check in &policy.checks {
                if let Check::Crc32 { header } = check {
                    assert_eq!(
                        (prefix.as_str(), header.as_str()),
                        ("dynamodb", "x-amz-crc32")
                    );
                }
            }
        }
        let default = Policy::for_service("no-such-service");
        assert_eq!(default.max_attempts, 5);
        assert_eq!(default.base, Base::Rand);
        assert_eq!(default.checks.len(), 12);
        let ddb = Policy::for_service("dynamodb");
        assert_eq!((ddb.max_attempts, ddb.base), (10, Base::Seconds(0.05)));
        assert_eq!(ddb.delay(3, None, 0.9), Duration::from_millis(200));
        // organizations redefines the default's 429 policy by its key.
        let org = Policy::for_service("organizations");
        assert!(!org.checks.contains(&Check::Status(429)));
        assert!(org.checks.contains(&Check::Code {
            status: 400,
            code: "TooManyRequestsException".into()
        }));
    }

    #[test]
    fn malformed_entries_are_errors() {
        let bad = |text: &str| build(&serde_json::from_str(text).unwrap(), "x").unwrap_err();
        let base = r#"{"max_attempts": 2, "delay": {"type": "exponential", "base": 1, "growth_factor": 2}"#;
        assert!(bad(r#"{"retry": {}}"#).contains("definitions"));
        assert!(
            bad(&format!(
                r#"{{"definitions": {{}}, "retry": {{"__default__": {base}, "policies": {{"p": {{"$ref": "nope"}}}}}}}}}}"#
            ))
            .contains("unknown $ref nope")
        );
        assert!(
            bad(&format!(
                r#"{{"definitions": {{}}, "retry": {{"__default__": {base}, "policies": {{"p": {{"applies_when": {{"response": {{"x": 1}}}}}}}}}}}}}}"#
            ))
            .contains("policy p: unknown response check")
        );
    }
}
