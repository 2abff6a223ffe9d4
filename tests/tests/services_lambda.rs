//! The generated lambda crate (rest-json): blob lengths in bytes, map entry
//! counts, map keys and values, patterns on URI labels, ranges on query
//! parameters, enums, Debug redaction of payloads and environment variables,
//! output defaults.

use botogen_lambda::types::{
    EndPointType, Environment, FunctionCode, InvocationRequest, InvocationResponse, InvocationType,
    ListFunctionsRequest, LogType, Runtime, SelfManagedEventSource,
    SendDurableExecutionCallbackSuccessRequest,
};
use botogen_runtime::Blob;
use botogen_runtime::validate::{ValidationErrors, Violation, ViolationKind, validate};
use std::collections::HashMap;

/// Asserts that `result` holds exactly one violation, at `path`, of `kind`.
#[track_caller]
fn assert_only(result: Result<(), ValidationErrors>, path: &str, kind: ViolationKind) {
    let errors = result.expect_err("validation should fail");
    assert_eq!(
        errors.violations,
        vec![Violation {
            path: path.to_owned(),
            kind
        }]
    );
}

fn invoke() -> InvocationRequest {
    InvocationRequest {
        invocation_type: Some(InvocationType::RequestResponse),
        log_type: Some(LogType::Tail),
        qualifier: Some("$LATEST".into()),
        payload: Some(Blob::from(&b"{\"hello\":\"world\"}"[..])),
        ..InvocationRequest::new("my-function")
    }
}

#[test]
fn function_name_length_and_pattern() {
    assert_eq!(invoke().validate(), Ok(()));
    let mut input = invoke();
    input.function_name = "arn:aws:lambda:us-west-2:123456789012:function:my-function:prod".into();
    assert_eq!(input.validate(), Ok(()));
    input.function_name = String::new();
    let errors = input.validate().expect_err("empty name");
    assert!(
        errors.violations.contains(&Violation {
            path: "FunctionName".into(),
            kind: ViolationKind::TooShort { min: 1, actual: 0 },
        }),
        "{errors:?}"
    );
    input.function_name = "f".repeat(257);
    assert_only(
        input.validate(),
        "FunctionName",
        ViolationKind::TooLong {
            max: 256,
            actual: 257,
        },
    );
    input.function_name = "!!!".into();
    let errors = input.validate().expect_err("no name characters");
    assert_eq!(errors.violations.len(), 1, "{errors:?}");
    assert_eq!(errors.violations[0].path, "FunctionName");
    assert!(matches!(
        errors.violations[0].kind,
        ViolationKind::Pattern { .. }
    ));
}

#[test]
fn enums_in_headers() {
    let mut input = invoke();
    input.invocation_type = Some(InvocationType::from("Sometime"));
    assert_only(
        input.validate(),
        "InvocationType",
        ViolationKind::NotInEnum {
            value: "Sometime".into(),
        },
    );
}

#[test]
fn blob_lengths_count_bytes() {
    // BinaryOperationPayload: 0..=1048576 bytes.
    let mut input = SendDurableExecutionCallbackSuccessRequest {
        callback_id: "Y2FsbGJhY2s=".into(),
        result: Some(Blob::new(vec![0u8; 1_048_576])),
    };
    assert_eq!(input.validate(), Ok(()));
    input.result = Some(Blob::new(vec![0u8; 1_048_577]));
    assert_only(
        input.validate(),
        "Result",
        ViolationKind::TooLong {
            max: 1_048_576,
            actual: 1_048_577,
        },
    );
    input.result = Some(Blob::default());
    assert_eq!(input.validate(), Ok(()));
    // CallbackId: [A-Za-z0-9+/]+={0,2}
    input.callback_id = "===".into();
    assert_only(
        input.validate(),
        "CallbackId",
        ViolationKind::Pattern {
            pattern: "[A-Za-z0-9+/]+={0,2}",
        },
    );
}

#[test]
fn query_parameter_range_and_pattern() {
    let mut input = ListFunctionsRequest {
        max_items: Some(50),
        master_region: Some("ALL".into()),
        ..Default::default()
    };
    assert_eq!(input.validate(), Ok(()));
    input.max_items = Some(0);
    assert_only(
        input.validate(),
        "MaxItems",
        ViolationKind::BelowMin {
            min: 1.0,
            actual: 0.0,
        },
    );
    input.max_items = Some(10001);
    assert_only(
        input.validate(),
        "MaxItems",
        ViolationKind::AboveMax {
            max: 10000.0,
            actual: 10001.0,
        },
    );
    input.max_items = None;
    input.master_region = Some("moon".into());
    assert_only(
        input.validate(),
        "MasterRegion",
        ViolationKind::Pattern {
            pattern: "ALL|(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}",
        },
    );
}

fn endpoints(keys: &[&str], servers: &[&str]) -> SelfManagedEventSource {
    SelfManagedEventSource {
        endpoints: Some(
            keys.iter()
                .map(|k| {
                    (
                        (*k).to_owned(),
                        servers.iter().map(|s| (*s).to_owned()).collect(),
                    )
                })
                .collect(),
        ),
    }
}

#[test]
fn map_entries_keys_and_values() {
    let ok = endpoints(&["KAFKA_BOOTSTRAP_SERVERS"], &["broker-1.example.com:9092"]);
    assert_eq!(validate(&ok), Ok(()));
    // Endpoints: 1..=2 entries.
    assert_only(
        validate(&endpoints(&[], &[])),
        "Endpoints",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    // The key shape is the enum EndPointType.
    assert_only(
        validate(&endpoints(&["ZOOKEEPER"], &["zk:2181"])),
        "Endpoints[key \"ZOOKEEPER\"]",
        ViolationKind::NotInEnum {
            value: "ZOOKEEPER".into(),
        },
    );
    // The value: EndpointLists, 1..=10 entries.
    assert_only(
        validate(&endpoints(&["KAFKA_BOOTSTRAP_SERVERS"], &[])),
        "Endpoints[\"KAFKA_BOOTSTRAP_SERVERS\"]",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    let eleven: Vec<String> = (0..11).map(|i| format!("b{i}.example.com:9092")).collect();
    let eleven: Vec<&str> = eleven.iter().map(String::as_str).collect();
    assert_only(
        validate(&endpoints(&["KAFKA_BOOTSTRAP_SERVERS"], &eleven)),
        "Endpoints[\"KAFKA_BOOTSTRAP_SERVERS\"]",
        ViolationKind::TooLong {
            max: 10,
            actual: 11,
        },
    );
    assert_eq!(
        EndPointType::KafkaBootstrapServers.as_str(),
        "KAFKA_BOOTSTRAP_SERVERS"
    );
}

#[test]
fn sensitive_map_keys_are_validated() {
    // EnvironmentVariableName: [a-zA-Z]([a-zA-Z0-9_])+
    let mut env = Environment {
        variables: Some(HashMap::from([(
            "LOG_LEVEL".to_owned(),
            "debug".to_owned(),
        )])),
    };
    assert_eq!(validate(&env), Ok(()));
    env.variables = Some(HashMap::from([("9".to_owned(), "x".to_owned())]));
    let errors = validate(&env).expect_err("bad variable name");
    assert_eq!(errors.violations.len(), 1, "{errors:?}");
    assert_eq!(errors.violations[0].path, "Variables[key \"9\"]");
    assert!(matches!(
        errors.violations[0].kind,
        ViolationKind::Pattern { .. }
    ));
}

#[test]
fn string_enum_round_trips() {
    for (variant, wire) in [
        (Runtime::Nodejs43, "nodejs4.3"),
        (Runtime::Nodejs10X, "nodejs10.x"),
        (Runtime::Nodejs22X, "nodejs22.x"),
    ] {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(Runtime::from(wire), variant);
        assert_eq!(wire.parse::<Runtime>(), Ok(variant.clone()));
        assert_eq!(variant.to_string(), wire);
    }
    assert_eq!(InvocationType::DryRun.as_str(), "DryRun");
    assert_eq!(LogType::from("None"), LogType::None);
    let unknown = Runtime::from("cobol85");
    assert_eq!(unknown, Runtime::Unknown("cobol85".into()));
    assert_eq!(unknown.as_str(), "cobol85");
    assert_eq!(Runtime::from(unknown.to_string()), unknown);
}

#[test]
fn payloads_and_environment_are_redacted_in_debug() {
    let input = InvocationRequest {
        payload: Some(Blob::from("{\"card\":\"4111111111111111\"}")),
        ..invoke()
    };
    let text = format!("{input:?}");
    assert!(text.contains("my-function"), "{text}");
    // Blob's own Debug shows only a length; a sensitive blob shows not even that.
    assert!(
        !text.contains("4111111111111111") && !text.contains("Blob("),
        "{text}"
    );

    let env = Environment {
        variables: Some(HashMap::from([(
            "DB_PASSWORD".to_owned(),
            "hunter2-secret".to_owned(),
        )])),
    };
    let text = format!("{env:?}");
    assert!(!text.contains("hunter2-secret"), "{text}");
    assert!(!text.contains("DB_PASSWORD"), "{text}");

    let code = FunctionCode {
        zip_file: Some(Blob::from("PK\u{3}\u{4}zip-secret")),
        s3_bucket: Some("code-bucket".into()),
        ..Default::default()
    };
    let text = format!("{code:?}");
    assert!(text.contains("code-bucket"), "{text}");
    assert!(
        !text.contains("zip-secret") && !text.contains("Blob("),
        "{text}"
    );
}

#[test]
fn output_defaults() {
    assert_eq!(
        InvocationResponse::default(),
        InvocationResponse {
            durable_execution_arn: None,
            executed_version: None,
            function_error: None,
            log_result: None,
            payload: None,
            status_code: None,
        }
    );
}
