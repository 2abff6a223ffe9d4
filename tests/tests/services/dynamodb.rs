// The DynamoDB service cases, included once per front end's crate (see
// `services_dynamodb.rs`), with `dynamodb` naming the crate under test,
// `string_value` building a string `AttributeValue` in that crate's form
// and `INDEX_NAME_PATTERN` the pattern its model states.

use dynamodb::types::{
    AttributeValue, BatchGetItemInput, ComparisonOperator, Condition, Get, GetItemOutput,
    KeysAndAttributes, QueryInput, ReturnConsumedCapacity, Select, TransactGetItem,
    TransactGetItemsInput,
};
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

fn key(pk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([(
        "pk".to_owned(),
        string_value(pk),
    )])
}

fn query() -> QueryInput {
    QueryInput {
        index_name: Some("by-artist_1.0".into()),
        limit: Some(1),
        select: Some(Select::AllProjectedAttributes),
        attributes_to_get: Some(vec!["Artist".into()]),
        key_conditions: Some(HashMap::from([(
            "Artist".to_owned(),
            Condition {
                attribute_value_list: Some(vec![string_value("No One You Know")]),
                comparison_operator: ComparisonOperator::Eq,
            },
        )])),
        ..QueryInput::new("Music")
    }
}

#[test]
fn query_strings_ranges_patterns_enums() {
    assert_eq!(query().validate(), Ok(()));

    let mut input = query();
    input.table_name = String::new();
    assert_only(
        input.validate(),
        "TableName",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    input.table_name = "t".repeat(1025);
    assert_only(
        input.validate(),
        "TableName",
        ViolationKind::TooLong {
            max: 1024,
            actual: 1025,
        },
    );

    // IndexName: 3..=255 characters, pattern [a-zA-Z0-9_.-]+.
    let mut input = query();
    input.index_name = Some("ix".into());
    assert_only(
        input.validate(),
        "IndexName",
        ViolationKind::TooShort { min: 3, actual: 2 },
    );
    input.index_name = Some("!!!".into());
    assert_only(
        input.validate(),
        "IndexName",
        ViolationKind::Pattern {
            pattern: INDEX_NAME_PATTERN,
        },
    );
    // botocore's pattern is not anchored, so one matching character is
    // enough; the Smithy model's is anchored and wants all of them.
    input.index_name = Some("a!!".into());
    assert_eq!(
        input.validate().is_ok(),
        !INDEX_NAME_PATTERN.starts_with('^')
    );

    let mut input = query();
    input.limit = Some(0);
    assert_only(
        input.validate(),
        "Limit",
        ViolationKind::BelowMin {
            min: 1.0,
            actual: 0.0,
        },
    );
    input.limit = Some(i32::MAX);
    assert_eq!(input.validate(), Ok(()));

    let mut input = query();
    input.select = Some(Select::from("EVERYTHING"));
    assert_only(
        input.validate(),
        "Select",
        ViolationKind::NotInEnum {
            value: "EVERYTHING".into(),
        },
    );
}

#[test]
fn query_lists_and_maps() {
    // AttributeNameList: min 1 entry; AttributeName: max 65535 characters.
    let mut input = query();
    input.attributes_to_get = Some(vec![]);
    assert_only(
        input.validate(),
        "AttributesToGet",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    input.attributes_to_get = Some(vec!["ok".into(), "a".repeat(65536)]);
    assert_only(
        input.validate(),
        "AttributesToGet[1]",
        ViolationKind::TooLong {
            max: 65535,
            actual: 65536,
        },
    );

    // A map value's member: an enum inside KeyConditions["Artist"].
    let mut input = query();
    if let Some(conditions) = input.key_conditions.as_mut()
        && let Some(condition) = conditions.get_mut("Artist")
    {
        condition.comparison_operator = ComparisonOperator::Unknown("ALMOST".into());
    }
    // Map values are addressed as ["key"].
    assert_only(
        input.validate(),
        "KeyConditions[\"Artist\"].ComparisonOperator",
        ViolationKind::NotInEnum {
            value: "ALMOST".into(),
        },
    );
}

#[test]
fn required_enum_left_empty() {
    // Condition.ComparisonOperator is required; the empty value (what a
    // parser leaves when the wire has none) is reported as not in the enum.
    let condition = Condition {
        attribute_value_list: None,
        comparison_operator: ComparisonOperator::from(""),
    };
    assert_only(
        validate(&condition),
        "ComparisonOperator",
        ViolationKind::NotInEnum {
            value: String::new(),
        },
    );
}

fn batch_get(tables: usize, keys_per_table: usize) -> BatchGetItemInput {
    BatchGetItemInput {
        request_items: (0..tables)
            .map(|t| {
                (
                    format!("table-{t}"),
                    KeysAndAttributes::new(
                        (0..keys_per_table).map(|k| key(&k.to_string())).collect(),
                    ),
                )
            })
            .collect(),
        return_consumed_capacity: Some(ReturnConsumedCapacity::Total),
    }
}

#[test]
fn map_entry_counts_and_map_value_paths() {
    // BatchGetRequestMap: 1..=100 entries.
    assert_eq!(batch_get(1, 1).validate(), Ok(()));
    assert_eq!(batch_get(100, 1).validate(), Ok(()));
    assert_only(
        batch_get(0, 1).validate(),
        "RequestItems",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    assert_only(
        batch_get(101, 1).validate(),
        "RequestItems",
        ViolationKind::TooLong {
            max: 100,
            actual: 101,
        },
    );
    // KeyList inside the map value: 1..=100 entries.
    assert_only(
        batch_get(1, 101).validate(),
        "RequestItems[\"table-0\"].Keys",
        ViolationKind::TooLong {
            max: 100,
            actual: 101,
        },
    );
}

#[test]
fn nested_list_structure_paths() {
    let get = |table: &str| TransactGetItem {
        get: Get::new(key("1"), table.to_owned()),
    };
    let mut input = TransactGetItemsInput {
        transact_items: vec![get("a"), get("b")],
        return_consumed_capacity: None,
    };
    assert_eq!(input.validate(), Ok(()));
    input.transact_items[1].get.table_name = String::new();
    assert_only(
        input.validate(),
        "TransactItems[1].Get.TableName",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    input.transact_items = vec![];
    assert_only(
        input.validate(),
        "TransactItems",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    input.transact_items = (0..101).map(|_| get("t")).collect();
    assert_only(
        input.validate(),
        "TransactItems",
        ViolationKind::TooLong {
            max: 100,
            actual: 101,
        },
    );
}

#[test]
fn string_enum_round_trips() {
    for (variant, wire) in [
        (ComparisonOperator::Eq, "EQ"),
        (ComparisonOperator::NotNull, "NOT_NULL"),
        (ComparisonOperator::BeginsWith, "BEGINS_WITH"),
        (ComparisonOperator::Between, "BETWEEN"),
    ] {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(ComparisonOperator::from(wire), variant);
        assert_eq!(wire.parse::<ComparisonOperator>(), Ok(variant.clone()));
        assert_eq!(variant.to_string(), wire);
    }
    assert_eq!(
        Select::AllProjectedAttributes.as_str(),
        "ALL_PROJECTED_ATTRIBUTES"
    );
    let Ok(unknown) = "SOMETHING_NEW".parse::<Select>();
    assert_eq!(unknown, Select::Unknown("SOMETHING_NEW".into()));
    assert_eq!(unknown.to_string(), "SOMETHING_NEW");
    assert_eq!(Select::from(String::from(unknown.clone())), unknown);
}

#[test]
fn output_defaults_are_empty() {
    let output = GetItemOutput::default();
    assert!(output.item.is_none());
    assert!(output.consumed_capacity.is_none());
    assert_eq!(validate(&output), Ok(()));
}
