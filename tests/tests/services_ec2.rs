//! The generated ec2 crate (ec2 protocol): anchored and look-ahead patterns,
//! string lengths, list sizes, integer ranges, a required enum, string enum
//! round trips, Debug redaction and output defaults.

use botogen_ec2::types::{
    CreateNetworkInsightsPathRequest, DescribeCarrierGatewaysRequest, DescribeInstancesRequest,
    DescribeInstancesResult, EnableInstanceSqlHaStandbyDetectionsRequest, Filter,
    GetPasswordDataResult, InstanceStateName, InstanceType, Protocol,
};
use botogen_runtime::validate::{ValidationErrors, Violation, ViolationKind, validate};

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

const IP_PATTERN: &str = "^([0-9]{1,3}.){3}[0-9]{1,3}$";

fn insights_path() -> CreateNetworkInsightsPathRequest {
    CreateNetworkInsightsPathRequest {
        source_ip: Some("10.0.0.1".into()),
        destination_ip: Some("192.168.100.200".into()),
        destination_port: Some(443),
        ..CreateNetworkInsightsPathRequest::new("igw-0123456789abcdef0", Protocol::Tcp, "token")
    }
}

#[test]
fn anchored_pattern_length_and_port_range() {
    assert_eq!(insights_path().validate(), Ok(()));

    let mut input = insights_path();
    input.source_ip = Some("10.0.0.1 ".into());
    assert_only(
        input.validate(),
        "SourceIp",
        ViolationKind::Pattern {
            pattern: IP_PATTERN,
        },
    );
    // IpAddress: max 15 characters, and the pattern still holds.
    input.source_ip = Some("1000.1000.1000.1".into());
    let errors = input.validate().expect_err("16 characters");
    let mut kinds: Vec<_> = errors.violations.iter().map(|v| v.kind.clone()).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(
        kinds,
        vec![
            ViolationKind::Pattern {
                pattern: IP_PATTERN
            },
            ViolationKind::TooLong {
                max: 15,
                actual: 16
            },
        ]
    );
    assert!(errors.violations.iter().all(|v| v.path == "SourceIp"));

    let mut input = insights_path();
    input.destination_port = Some(65536);
    assert_only(
        input.validate(),
        "DestinationPort",
        ViolationKind::AboveMax {
            max: 65535.0,
            actual: 65536.0,
        },
    );
    input.destination_port = Some(-1);
    assert_only(
        input.validate(),
        "DestinationPort",
        ViolationKind::BelowMin {
            min: 0.0,
            actual: -1.0,
        },
    );
}

#[test]
fn required_enum() {
    let mut input = insights_path();
    input.protocol = Protocol::from("icmp");
    assert_only(
        input.validate(),
        "Protocol",
        ViolationKind::NotInEnum {
            value: "icmp".into(),
        },
    );
    input.protocol = Protocol::from("");
    assert_only(
        input.validate(),
        "Protocol",
        ViolationKind::NotInEnum {
            value: String::new(),
        },
    );
}

#[test]
fn list_sizes_and_lookahead_pattern() {
    let mut input = EnableInstanceSqlHaStandbyDetectionsRequest {
        instance_ids: vec!["i-0123456789abcdef0".into()],
        sql_server_credentials: Some(
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:sql-creds-AbCdEf".into(),
        ),
        dry_run: Some(true),
    };
    assert_eq!(input.validate(), Ok(()));
    input.instance_ids = vec![];
    assert_only(
        input.validate(),
        "InstanceIds",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    input.instance_ids = (0..31).map(|i| format!("i-{i:017x}")).collect();
    assert_only(
        input.validate(),
        "InstanceIds",
        ViolationKind::TooLong {
            max: 30,
            actual: 31,
        },
    );
    input.instance_ids = vec!["i-1".into()];
    // SecretArn uses a look-ahead for its length: (?=.{20,2048}$)
    input.sql_server_credentials = Some("arn:aws:s3:::a-bucket-with-a-long-name".into());
    let errors = input.validate().expect_err("not a secret ARN");
    assert_eq!(errors.violations.len(), 1, "{errors:?}");
    assert_eq!(errors.violations[0].path, "SqlServerCredentials");
    assert!(matches!(
        errors.violations[0].kind,
        ViolationKind::Pattern { .. }
    ));
    // A one-letter region still satisfies the pattern and its look-ahead.
    input.sql_server_credentials = Some("arn:aws:secretsmanager:a:123456789012:secret:x".into());
    assert_eq!(input.validate(), Ok(()), "46 characters are enough");
}

#[test]
fn max_results_range() {
    let mut input = DescribeCarrierGatewaysRequest {
        max_results: Some(5),
        filters: Some(vec![Filter {
            name: Some("state".into()),
            values: Some(vec!["available".into()]),
        }]),
        ..Default::default()
    };
    assert_eq!(input.validate(), Ok(()));
    input.max_results = Some(4);
    assert_only(
        input.validate(),
        "MaxResults",
        ViolationKind::BelowMin {
            min: 5.0,
            actual: 4.0,
        },
    );
    input.max_results = Some(1001);
    assert_only(
        input.validate(),
        "MaxResults",
        ViolationKind::AboveMax {
            max: 1000.0,
            actual: 1001.0,
        },
    );
    // DescribeInstances has no constraints beyond its types.
    let describe = DescribeInstancesRequest {
        max_results: Some(1_000_000),
        ..Default::default()
    };
    assert_eq!(describe.validate(), Ok(()));
}

#[test]
fn string_enum_round_trips() {
    for (variant, wire) in [
        (InstanceType::A1Medium, "a1.medium"),
        (InstanceType::A12xlarge, "a1.2xlarge"),
        (InstanceType::A1Metal, "a1.metal"),
    ] {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(InstanceType::from(wire), variant);
        assert_eq!(wire.parse::<InstanceType>(), Ok(variant.clone()));
        assert_eq!(variant.to_string(), wire);
    }
    assert_eq!(InstanceStateName::ShuttingDown.as_str(), "shutting-down");
    assert_eq!(
        InstanceStateName::from("stopped"),
        InstanceStateName::Stopped
    );
    let unknown = InstanceType::from("z9.colossal");
    assert_eq!(unknown, InstanceType::Unknown("z9.colossal".into()));
    assert_eq!(unknown.to_string(), "z9.colossal");
    assert!(InstanceType::VALUES.len() > 500);
    assert!(InstanceType::VALUES.contains(&"t3.micro"));
}

#[test]
fn password_data_is_redacted_in_debug() {
    let result = GetPasswordDataResult {
        instance_id: Some("i-0123456789abcdef0".into()),
        password_data: Some("ZW5jcnlwdGVkLXBhc3N3b3Jk".into()),
        timestamp: None,
    };
    let text = format!("{result:?}");
    assert!(text.contains("i-0123456789abcdef0"), "{text}");
    assert!(!text.contains("ZW5jcnlwdGVkLXBhc3N3b3Jk"), "{text}");
}

#[test]
fn output_defaults() {
    assert_eq!(
        DescribeInstancesResult::default(),
        DescribeInstancesResult {
            next_token: None,
            reservations: None,
        }
    );
    assert_eq!(validate(&DescribeInstancesResult::default()), Ok(()));
}
