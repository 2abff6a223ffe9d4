//! The generated dynamodb crates (json 1.0) — the one from botocore's
//! `service-2.json` and the one from the Smithy model in
//! `../shared/smithy-models/` — pass the same cases: validation of each
//! constraint kind the model states (strings, lists, maps, integer ranges,
//! patterns, enums, required enums), string enums and output defaults.
//!
//! `AttributeValue` is the one type the two crates spell differently: the
//! Smithy model declares it a union (a Rust enum), botocore's JSON a
//! structure of options (see `tests/smithy/EQUIVALENCE.md`); each module
//! says how to build a string value. Patterns are reported as the model
//! states them, and botocore's JSON drops the Smithy pattern's anchors.

/// The crate generated from botocore's model.
mod botocore {
    use botogen_dynamodb as dynamodb;

    const INDEX_NAME_PATTERN: &str = "[a-zA-Z0-9_.-]+";

    fn string_value(s: &str) -> dynamodb::types::AttributeValue {
        dynamodb::types::AttributeValue {
            s: Some(s.to_owned()),
            ..Default::default()
        }
    }

    include!("services/dynamodb.rs");

    #[test]
    fn attribute_value_is_a_structure_of_options() {
        assert_eq!(
            AttributeValue::default(),
            AttributeValue {
                b: None,
                bool: None,
                bs: None,
                l: None,
                m: None,
                n: None,
                ns: None,
                null: None,
                s: None,
                ss: None,
            }
        );
    }
}

/// The crate generated from the Smithy model.
mod smithy {
    use botogen_dynamodb_smithy as dynamodb;

    const INDEX_NAME_PATTERN: &str = "^[a-zA-Z0-9_.-]+$";

    fn string_value(s: &str) -> dynamodb::types::AttributeValue {
        dynamodb::types::AttributeValue::S(s.to_owned())
    }

    include!("services/dynamodb.rs");

    #[test]
    fn attribute_value_is_a_union() {
        let v = string_value("x");
        assert!(matches!(&v, dynamodb::types::AttributeValue::S(s) if s == "x"));
        assert_eq!(botogen_runtime::validate::validate(&v), Ok(()));
    }
}
