//! The generated s3 crate (rest-xml): a required union left without a
//! variant, lengths, ranges, patterns and enums, string enums, union
//! unknown variants, Debug redaction of SSE keys and output defaults.

use botogen_runtime::validate::{ValidationErrors, Violation, ViolationKind, validate};
use botogen_runtime::{Struct, Value, ValueRef};
use botogen_s3::types::{
    ChecksumMode, CopyObjectRequest, GetObjectOutput, GetObjectRequest, ListBucketsRequest,
    ListObjectsV2Output, ObjectCannedAcl, ObjectEncryption, PutObjectRequest, SsekmsEncryption,
    StorageClass, UpdateObjectEncryptionRequest,
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

const KMS_ARN: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KMS_PATTERN: &str = "arn:aws[a-zA-Z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+";

fn update_encryption() -> UpdateObjectEncryptionRequest {
    UpdateObjectEncryptionRequest::new(
        "bucket",
        "photos/cat.jpg",
        ObjectEncryption::Ssekms(SsekmsEncryption {
            kms_key_arn: KMS_ARN.into(),
            bucket_key_enabled: Some(true),
        }),
    )
}

#[test]
fn required_union_without_a_variant() {
    assert_eq!(update_encryption().validate(), Ok(()));
    let mut input = update_encryption();
    input.object_encryption = ObjectEncryption::Unknown(String::new());
    assert_only(
        input.validate(),
        "ObjectEncryption",
        ViolationKind::Required,
    );
    // A variant this model does not know is still no variant it can send.
    input.object_encryption = ObjectEncryption::Unknown("SSE-QUANTUM".into());
    let errors = input.validate().expect_err("unknown variant");
    assert_eq!(errors.violations.len(), 1, "{errors:?}");
    assert_eq!(errors.violations[0].path, "ObjectEncryption");
}

#[test]
fn union_member_paths_and_patterns() {
    let mut input = update_encryption();
    input.object_encryption = ObjectEncryption::Ssekms(SsekmsEncryption {
        kms_key_arn: "arn:aws:kms:us-east-1:123456789012:alias/mine".into(),
        bucket_key_enabled: None,
    });
    assert_only(
        input.validate(),
        "ObjectEncryption.SSEKMS.KMSKeyArn",
        ViolationKind::Pattern {
            pattern: KMS_PATTERN,
        },
    );
    input.object_encryption = ObjectEncryption::Ssekms(SsekmsEncryption {
        kms_key_arn: "arn:aws:kms".into(),
        bucket_key_enabled: None,
    });
    let errors = input.validate().expect_err("too short and no match");
    let mut kinds: Vec<_> = errors.violations.iter().map(|v| v.kind.clone()).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(
        kinds,
        vec![
            ViolationKind::Pattern {
                pattern: KMS_PATTERN
            },
            ViolationKind::TooShort {
                min: 20,
                actual: 11
            },
        ]
    );
    assert!(
        errors
            .violations
            .iter()
            .all(|v| v.path == "ObjectEncryption.SSEKMS.KMSKeyArn")
    );
}

#[test]
fn union_reflection_and_unknown_variants() {
    let mut union = <ObjectEncryption as botogen_runtime::Blank>::blank();
    let sse_kms = union
        .shape()
        .structure()
        .and_then(|s| s.member_index("SSEKMS"))
        .expect("SSEKMS member");
    assert!(union.member(sse_kms).is_none(), "no variant when blank");
    // Writing the member switches to that variant.
    if let Some(field) = union.member_mut(sse_kms)
        && let Some(inner) = field.struct_mut()
        && let Some(i) = inner
            .shape()
            .structure()
            .and_then(|s| s.member_index("KMSKeyArn"))
        && let Some(arn) = inner.member_mut(i)
    {
        arn.set_str(KMS_ARN).expect("string member");
    }
    match &union {
        ObjectEncryption::Ssekms(e) => assert_eq!(e.kms_key_arn, KMS_ARN),
        other => panic!("expected SSEKMS, got {other:?}"),
    }
    assert!(matches!(
        union.member(sse_kms).map(Value::get),
        Some(ValueRef::Struct(_))
    ));
    // A parser meeting a member this model lacks keeps its name.
    union.set_unknown_variant("SSE-FUTURE");
    assert_eq!(union, ObjectEncryption::Unknown("SSE-FUTURE".into()));
    assert!(union.member(sse_kms).is_none());
}

#[test]
fn lengths_ranges_patterns_enums() {
    // ObjectKey: min 1.
    let mut get = GetObjectRequest {
        checksum_mode: Some(ChecksumMode::Enabled),
        ..GetObjectRequest::new("b", "k")
    };
    assert_eq!(get.validate(), Ok(()));
    get.key = String::new();
    assert_only(
        get.validate(),
        "Key",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    get.key = "k".into();
    get.checksum_mode = Some(ChecksumMode::from("DISABLED"));
    assert_only(
        get.validate(),
        "ChecksumMode",
        ViolationKind::NotInEnum {
            value: "DISABLED".into(),
        },
    );

    // MaxBuckets: 1..=10000.
    let mut list = ListBucketsRequest {
        max_buckets: Some(10000),
        ..Default::default()
    };
    assert_eq!(list.validate(), Ok(()));
    list.max_buckets = Some(10001);
    assert_only(
        list.validate(),
        "MaxBuckets",
        ViolationKind::AboveMax {
            max: 10000.0,
            actual: 10001.0,
        },
    );

    // CopySource: \/?.+\/.+ (bucket/key).
    let mut copy = CopyObjectRequest {
        storage_class: Some(StorageClass::Glacier),
        acl: Some(ObjectCannedAcl::BucketOwnerFullControl),
        ..CopyObjectRequest::new("dest", "src-bucket/original.txt", "copy.txt")
    };
    assert_eq!(copy.validate(), Ok(()));
    copy.copy_source = "no-slash-here".into();
    assert_only(
        copy.validate(),
        "CopySource",
        ViolationKind::Pattern {
            pattern: "\\/?.+\\/.+",
        },
    );
}

#[test]
fn string_enum_round_trips() {
    for (variant, wire) in [
        (StorageClass::StandardIa, "STANDARD_IA"),
        (StorageClass::IntelligentTiering, "INTELLIGENT_TIERING"),
        (StorageClass::DeepArchive, "DEEP_ARCHIVE"),
    ] {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(StorageClass::from(wire), variant);
        assert_eq!(wire.parse::<StorageClass>(), Ok(variant.clone()));
        assert_eq!(variant.to_string(), wire);
    }
    // Values with punctuation.
    assert_eq!(
        ObjectCannedAcl::PublicReadWrite.as_str(),
        "public-read-write"
    );
    assert_eq!(
        ObjectCannedAcl::from("bucket-owner-full-control"),
        ObjectCannedAcl::BucketOwnerFullControl
    );
    let unknown = StorageClass::from("SOMETHING_NEW");
    assert_eq!(unknown, StorageClass::Unknown("SOMETHING_NEW".into()));
    assert_eq!(unknown.to_string(), "SOMETHING_NEW");
}

#[test]
fn sse_customer_keys_are_redacted_in_debug() {
    let get = GetObjectRequest {
        sse_customer_key: Some("c2VjcmV0LWN1c3RvbWVyLWtleQ==".into()),
        ..GetObjectRequest::new("visible-bucket", "k")
    };
    let text = format!("{get:?}");
    assert!(text.contains("visible-bucket"), "{text}");
    assert!(!text.contains("c2VjcmV0LWN1c3RvbWVyLWtleQ=="), "{text}");

    let put = PutObjectRequest {
        ssekms_key_id: Some(KMS_ARN.into()),
        ssekms_encryption_context: Some("eyJjb250ZXh0IjoidmFsdWUifQ==".into()),
        ..PutObjectRequest::new("b", "k")
    };
    let text = format!("{put:?}");
    assert!(!text.contains("1234abcd-12ab"), "{text}");
    assert!(!text.contains("eyJjb250ZXh0"), "{text}");
    let union = ObjectEncryption::Ssekms(SsekmsEncryption {
        kms_key_arn: KMS_ARN.into(),
        bucket_key_enabled: None,
    });
    assert!(!format!("{union:?}").contains("1234abcd-12ab"));
}

#[test]
fn output_defaults() {
    let output = GetObjectOutput::default();
    assert!(output.body.is_none() && output.content_length.is_none() && output.e_tag.is_none());
    assert_eq!(validate(&output), Ok(()));
    let list = ListObjectsV2Output::default();
    assert!(list.contents.is_none() && list.is_truncated.is_none());
}
