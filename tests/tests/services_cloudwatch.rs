//! The generated cloudwatch crate (smithy-rpc-v2-cbor, also json and query):
//! unions with and without a variant, union unknown variants, lengths,
//! ranges, patterns, enums (including a required one), Debug redaction and
//! output defaults.

use botogen_cloudwatch::types::{
    AlarmPromQlCriteria, ComparisonOperator, Dimension, EvaluationCriteria, EvaluationWindow,
    GetMetricDataOutput, PutMetricAlarmInput, PutMetricDataQueryDefinitionInput, QueryType,
    SlidingWindow, StandardUnit, Statistic, WallClockWindow, WarmUpConfiguration,
};
use botogen_runtime::Struct;
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

fn dimension(name: &str, value: &str) -> Dimension {
    Dimension {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

fn alarm() -> PutMetricAlarmInput {
    PutMetricAlarmInput {
        namespace: Some("AWS/EC2".into()),
        metric_name: Some("CPUUtilization".into()),
        statistic: Some(Statistic::Average),
        unit: Some(StandardUnit::Percent),
        period: Some(60),
        evaluation_periods: Some(3),
        threshold: Some(90.0),
        comparison_operator: Some(ComparisonOperator::GreaterThanThreshold),
        dimensions: Some(vec![dimension("InstanceId", "i-0123456789abcdef0")]),
        evaluation_window: Some(EvaluationWindow::SlidingWindow(SlidingWindow {})),
        evaluation_interval: Some(60),
        ..PutMetricAlarmInput::new("high-cpu")
    }
}

#[test]
fn valid_alarm_passes() {
    assert_eq!(alarm().validate(), Ok(()));
    let mut input = alarm();
    input.evaluation_window = Some(EvaluationWindow::WallClockWindow(WallClockWindow {
        timezone: Some("Europe/Paris".into()),
    }));
    input.evaluation_criteria = Some(EvaluationCriteria::PromQlCriteria(AlarmPromQlCriteria {
        query: "up == 0".into(),
        pending_period: Some(0),
        recovery_period: Some(86400),
    }));
    assert_eq!(input.validate(), Ok(()));
}

#[test]
fn union_without_variant_is_required() {
    let mut input = alarm();
    input.evaluation_criteria = Some(EvaluationCriteria::Unknown(String::new()));
    assert_only(
        input.validate(),
        "EvaluationCriteria",
        ViolationKind::Required,
    );
    input.evaluation_criteria = None;
    input.evaluation_window = Some(EvaluationWindow::Unknown(String::new()));
    assert_only(
        input.validate(),
        "EvaluationWindow",
        ViolationKind::Required,
    );
}

#[test]
fn constraints_inside_union_variants() {
    let mut input = alarm();
    input.evaluation_criteria = Some(EvaluationCriteria::PromQlCriteria(AlarmPromQlCriteria {
        query: String::new(),
        pending_period: None,
        recovery_period: None,
    }));
    assert_only(
        input.validate(),
        "EvaluationCriteria.PromQLCriteria.Query",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    input.evaluation_criteria = Some(EvaluationCriteria::PromQlCriteria(AlarmPromQlCriteria {
        query: "up".into(),
        pending_period: Some(86401),
        recovery_period: None,
    }));
    assert_only(
        input.validate(),
        "EvaluationCriteria.PromQLCriteria.PendingPeriod",
        ViolationKind::AboveMax {
            max: 86400.0,
            actual: 86401.0,
        },
    );
    input.evaluation_criteria = None;
    input.evaluation_window = Some(EvaluationWindow::WallClockWindow(WallClockWindow {
        timezone: Some("x".repeat(51)),
    }));
    assert_only(
        input.validate(),
        "EvaluationWindow.WallClockWindow.Timezone",
        ViolationKind::TooLong {
            max: 50,
            actual: 51,
        },
    );
}

#[test]
fn union_unknown_variants_round_trip() {
    let mut window = EvaluationWindow::WallClockWindow(WallClockWindow::default());
    window.set_unknown_variant("LunarWindow");
    assert_eq!(window, EvaluationWindow::Unknown("LunarWindow".into()));
    let members = window.shape().members().len();
    assert_eq!(members, 2);
    assert!((0..members).all(|i| window.member(i).is_none()));
    // Still "no variant this model can send".
    let errors = validate(&PutMetricAlarmInput {
        evaluation_window: Some(window),
        ..alarm()
    })
    .expect_err("unknown variant");
    assert_eq!(errors.violations.len(), 1, "{errors:?}");
    assert_eq!(errors.violations[0].path, "EvaluationWindow");
}

#[test]
fn lengths_ranges_patterns() {
    let mut input = alarm();
    input.alarm_name = "a".repeat(256);
    assert_only(
        input.validate(),
        "AlarmName",
        ViolationKind::TooLong {
            max: 255,
            actual: 256,
        },
    );

    let mut input = alarm();
    input.evaluation_interval = Some(9);
    assert_only(
        input.validate(),
        "EvaluationInterval",
        ViolationKind::BelowMin {
            min: 10.0,
            actual: 9.0,
        },
    );
    input.evaluation_interval = Some(3601);
    assert_only(
        input.validate(),
        "EvaluationInterval",
        ViolationKind::AboveMax {
            max: 3600.0,
            actual: 3601.0,
        },
    );

    // Namespace: [^:].* — some character other than ':'.
    let mut input = alarm();
    input.namespace = Some("::".into());
    assert_only(
        input.validate(),
        "Namespace",
        ViolationKind::Pattern { pattern: "[^:].*" },
    );

    // Dimensions: max 30 entries; DimensionName 1..=255.
    let mut input = alarm();
    input.dimensions = Some((0..31).map(|i| dimension(&format!("d{i}"), "v")).collect());
    assert_only(
        input.validate(),
        "Dimensions",
        ViolationKind::TooLong {
            max: 30,
            actual: 31,
        },
    );
    input.dimensions = Some(vec![dimension("a", "b"), dimension("", "b")]);
    assert_only(
        input.validate(),
        "Dimensions[1].Name",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );

    // A required integer inside an optional structure (0 < min 1).
    let mut input = alarm();
    input.warm_up_configuration = Some(WarmUpConfiguration::new(0));
    assert_only(
        input.validate(),
        "WarmUpConfiguration.WarmUpPeriodDurationInMinutes",
        ViolationKind::BelowMin {
            min: 1.0,
            actual: 0.0,
        },
    );
}

#[test]
fn required_enum_and_patterns_on_query_definitions() {
    let mut input = PutMetricDataQueryDefinitionInput {
        id: Some("def-1".into()),
        path: "team/cpu dashboards".into(),
        expression: "SELECT AVG(CPUUtilization) FROM SCHEMA(\"AWS/EC2\")".into(),
        r#type: QueryType::Sql,
        tags: None,
    };
    assert_eq!(input.validate(), Ok(()));
    input.id = Some("___".into());
    assert_only(
        input.validate(),
        "Id",
        ViolationKind::Pattern {
            pattern: "[a-zA-Z0-9-]{1,64}",
        },
    );
    input.id = None;
    input.r#type = QueryType::from("GRAPHQL");
    assert_only(
        input.validate(),
        "Type",
        ViolationKind::NotInEnum {
            value: "GRAPHQL".into(),
        },
    );
    // The empty value (what a parser leaves when the wire has none): not in the enum.
    input.r#type = QueryType::from("");
    assert_only(
        input.validate(),
        "Type",
        ViolationKind::NotInEnum {
            value: String::new(),
        },
    );
}

#[test]
fn string_enum_round_trips() {
    for (variant, wire) in [
        (StandardUnit::BytesSecond, "Bytes/Second"),
        (StandardUnit::CountSecond, "Count/Second"),
        (StandardUnit::None, "None"),
        (StandardUnit::Percent, "Percent"),
    ] {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(StandardUnit::from(wire), variant);
        assert_eq!(wire.parse::<StandardUnit>(), Ok(variant.clone()));
        assert_eq!(variant.to_string(), wire);
    }
    assert_eq!(QueryType::MetricMath.as_str(), "METRIC_MATH");
    let unknown = StandardUnit::from("Furlongs/Fortnight");
    assert_eq!(unknown, StandardUnit::Unknown("Furlongs/Fortnight".into()));
    assert_eq!(StandardUnit::from(unknown.to_string()), unknown);
}

#[test]
fn sensitive_expression_is_redacted_in_debug() {
    let input = PutMetricDataQueryDefinitionInput::new(
        "visible/path",
        "SELECT secret_metric FROM hidden",
        QueryType::Sql,
    );
    let text = format!("{input:?}");
    assert!(text.contains("visible/path"), "{text}");
    assert!(!text.contains("secret_metric"), "{text}");
}

#[test]
fn output_defaults() {
    let output = GetMetricDataOutput::default();
    assert!(output.metric_data_results.is_none());
    assert!(output.messages.is_none() && output.next_token.is_none());
    assert_eq!(validate(&output), Ok(()));
}
