//! The generated sts crate (query): validation of AssumeRole's constraints
//! (lengths, ranges, patterns, list sizes, nested paths), Debug redaction of
//! secrets and output defaults.

use botogen_runtime::DateTime;
use botogen_runtime::validate::{ValidationErrors, Violation, ViolationKind, validate};
use botogen_sts::types::{
    AssumeRoleRequest, AssumeRoleResponse, AssumeRoleWithSamlRequest,
    AssumeRoleWithWebIdentityRequest, AssumedRoleUser, Credentials, GetCallerIdentityRequest,
    GetCallerIdentityResponse, PolicyDescriptorType, ProvidedContext, Tag,
};

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

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/demo";
const TAG_KEY_PATTERN: &str = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+";

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.to_owned(),
        value: value.to_owned(),
    }
}

fn assume_role() -> AssumeRoleRequest {
    AssumeRoleRequest {
        duration_seconds: Some(3600),
        tags: Some(vec![tag("Project", "Ünïcode value"), tag("team", "")]),
        transitive_tag_keys: Some(vec!["Project".into()]),
        policy_arns: Some(vec![PolicyDescriptorType {
            arn: Some("arn:aws:iam::aws:policy/ReadOnly".into()),
        }]),
        token_code: Some("123456".into()),
        provided_contexts: Some(vec![ProvidedContext {
            provider_arn: Some("arn:aws:iam::aws:contextProvider/IdentityCenter".into()),
            context_assertion: Some("abcd".into()),
        }]),
        ..AssumeRoleRequest::new(ROLE_ARN, "session-1")
    }
}

#[test]
fn valid_request_passes() {
    assert_eq!(assume_role().validate(), Ok(()));
    assert_eq!(GetCallerIdentityRequest::default().validate(), Ok(()));
}

#[test]
fn string_lengths() {
    let mut input = assume_role();
    input.role_session_name = "s".into();
    assert_only(
        input.validate(),
        "RoleSessionName",
        ViolationKind::TooShort { min: 2, actual: 1 },
    );
    input.role_session_name = "s".repeat(65);
    assert_only(
        input.validate(),
        "RoleSessionName",
        ViolationKind::TooLong {
            max: 64,
            actual: 65,
        },
    );

    // tokenCodeType: exactly 6 characters.
    let mut input = assume_role();
    input.token_code = Some("12345".into());
    assert_only(
        input.validate(),
        "TokenCode",
        ViolationKind::TooShort { min: 6, actual: 5 },
    );
    input.token_code = Some("1234567".into());
    assert_only(
        input.validate(),
        "TokenCode",
        ViolationKind::TooLong { max: 6, actual: 7 },
    );
}

#[test]
fn integer_range() {
    let mut input = assume_role();
    for ok in [900, 43200] {
        input.duration_seconds = Some(ok);
        assert_eq!(input.validate(), Ok(()), "{ok}");
    }
    input.duration_seconds = Some(899);
    assert_only(
        input.validate(),
        "DurationSeconds",
        ViolationKind::BelowMin {
            min: 900.0,
            actual: 899.0,
        },
    );
    input.duration_seconds = Some(43201);
    assert_only(
        input.validate(),
        "DurationSeconds",
        ViolationKind::AboveMax {
            max: 43200.0,
            actual: 43201.0,
        },
    );
}

#[test]
fn patterns() {
    // arnType allows printable and most Unicode characters, not control ones.
    let mut input = assume_role();
    input.role_arn = "\u{1}".repeat(20);
    assert_only(
        input.validate(),
        "RoleArn",
        ViolationKind::Pattern {
            pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+",
        },
    );
    input.role_arn = "arn:aws:iam::123456789012:role/é".into();
    assert_eq!(input.validate(), Ok(()));

    let mut input = assume_role();
    input.tags = Some(vec![tag("Project", "x"), tag("!!", "x")]);
    assert_only(
        input.validate(),
        "Tags[1].Key",
        ViolationKind::Pattern {
            pattern: TAG_KEY_PATTERN,
        },
    );
    // \p{Z} and \p{L} in the class: letters and spaces of any script.
    input.tags = Some(vec![tag("Ключ проекта", "x")]);
    assert_eq!(input.validate(), Ok(()));

    let mut input = assume_role();
    input.transitive_tag_keys = Some(vec!["ok".into(), "ok2".into(), "#".into()]);
    assert_only(
        input.validate(),
        "TransitiveTagKeys[2]",
        ViolationKind::Pattern {
            pattern: TAG_KEY_PATTERN,
        },
    );
}

#[test]
fn list_sizes_and_nested_members() {
    let mut input = assume_role();
    input.tags = Some((0..51).map(|i| tag(&format!("k{i}"), "v")).collect());
    assert_only(
        input.validate(),
        "Tags",
        ViolationKind::TooLong {
            max: 50,
            actual: 51,
        },
    );
    input.tags = Some((0..50).map(|i| tag(&format!("k{i}"), "v")).collect());
    assert_eq!(input.validate(), Ok(()));

    let mut input = assume_role();
    input.tags = Some(vec![tag("k", &"v".repeat(257))]);
    assert_only(
        input.validate(),
        "Tags[0].Value",
        ViolationKind::TooLong {
            max: 256,
            actual: 257,
        },
    );

    // ProvidedContextsListType: 1..=5 entries.
    let mut input = assume_role();
    input.provided_contexts = Some(vec![]);
    assert_only(
        input.validate(),
        "ProvidedContexts",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    input.provided_contexts = Some(vec![ProvidedContext {
        provider_arn: None,
        context_assertion: Some("abc".into()),
    }]);
    assert_only(
        input.validate(),
        "ProvidedContexts[0].ContextAssertion",
        ViolationKind::TooShort { min: 4, actual: 3 },
    );

    let mut input = assume_role();
    input.policy_arns = Some(vec![
        PolicyDescriptorType {
            arn: Some(ROLE_ARN.into()),
        },
        PolicyDescriptorType {
            arn: Some("arn:short".into()),
        },
    ]);
    assert_only(
        input.validate(),
        "PolicyArns[1].arn",
        ViolationKind::TooShort { min: 20, actual: 9 },
    );
}

#[test]
fn secrets_are_redacted_in_debug() {
    let credentials = Credentials {
        access_key_id: "ASIAEXAMPLEKEYID1234".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        session_token: "session-token".into(),
        expiration: DateTime::from_secs(1_700_000_000),
    };
    let text = format!("{credentials:?}");
    assert!(text.contains("ASIAEXAMPLEKEYID1234"), "{text}");
    assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
    // Redaction survives nesting in the output.
    let output = AssumeRoleResponse {
        credentials: Some(credentials),
        assumed_role_user: Some(AssumedRoleUser {
            arn: ROLE_ARN.into(),
            assumed_role_id: "AROA:session-1".into(),
        }),
        ..Default::default()
    };
    let text = format!("{output:?}");
    assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
    assert!(text.contains("AROA:session-1"), "{text}");

    let saml = AssumeRoleWithSamlRequest::new(
        ROLE_ARN,
        "arn:aws:iam::123456789012:saml-provider/idp",
        "PHNhbWw+c2VjcmV0PC9zYW1sPg==",
    );
    assert!(!format!("{saml:?}").contains("PHNhbWw+c2VjcmV0"));
    let web = AssumeRoleWithWebIdentityRequest::new(ROLE_ARN, "web", "eyJhbGciOiJSUzI1NiJ9.secret");
    assert!(!format!("{web:?}").contains("eyJhbGciOiJSUzI1NiJ9"));
}

#[test]
fn output_defaults() {
    assert_eq!(
        GetCallerIdentityResponse::default(),
        GetCallerIdentityResponse {
            account: None,
            arn: None,
            user_id: None,
        }
    );
    let output = AssumeRoleResponse::default();
    assert!(output.credentials.is_none() && output.session_token_size.is_none());
    assert_eq!(validate(&output), Ok(()));
}
