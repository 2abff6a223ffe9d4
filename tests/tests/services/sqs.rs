// The SQS service cases, included once per front end's crate (see
// `services_sqs.rs`), with `sqs` naming the crate under test.

use botogen_runtime::validate::{ValidationErrors, Violation, ViolationKind, validate};
use sqs::types::{
    MessageAttributeValue, MessageSystemAttributeName, MessageSystemAttributeNameForSends,
    MessageSystemAttributeValue, QueueAttributeName, ReceiveMessageRequest, ReceiveMessageResult,
    SendMessageRequest, SendMessageResult,
};
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

const QUEUE: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/demo";

#[test]
fn list_elements_of_enums() {
    let mut input = ReceiveMessageRequest {
        message_system_attribute_names: Some(vec![
            MessageSystemAttributeName::SenderId,
            MessageSystemAttributeName::AwsTraceHeader,
        ]),
        max_number_of_messages: Some(10),
        ..ReceiveMessageRequest::new(QUEUE)
    };
    assert_eq!(input.validate(), Ok(()));
    input.message_system_attribute_names = Some(vec![
        MessageSystemAttributeName::SenderId,
        MessageSystemAttributeName::from("Colour"),
    ]);
    assert_only(
        input.validate(),
        "MessageSystemAttributeNames[1]",
        ViolationKind::NotInEnum {
            value: "Colour".into(),
        },
    );
    // No numeric constraints in the model: any count is accepted here.
    input.message_system_attribute_names = None;
    input.max_number_of_messages = Some(1000);
    assert_eq!(input.validate(), Ok(()));
}

#[test]
fn map_keys_of_an_enum() {
    let value = MessageSystemAttributeValue {
        string_value: Some("Root=1-5759e988-bd862e3fe1be46a994272793".into()),
        ..MessageSystemAttributeValue::new("String")
    };
    let mut input = SendMessageRequest {
        message_attributes: Some(HashMap::from([(
            "colour".to_owned(),
            MessageAttributeValue {
                string_value: Some("blue".into()),
                ..MessageAttributeValue::new("String")
            },
        )])),
        message_system_attributes: Some(HashMap::from([(
            "AWSTraceHeader".to_owned(),
            value.clone(),
        )])),
        ..SendMessageRequest::new(QUEUE, "hello")
    };
    assert_eq!(input.validate(), Ok(()));

    // MessageBodySystemAttributeMap's key shape is the enum
    // MessageSystemAttributeNameForSends (only AWSTraceHeader).
    input.message_system_attributes = Some(HashMap::from([("TraceHeader".to_owned(), value)]));
    // A map key is addressed as [key "..."].
    assert_only(
        input.validate(),
        "MessageSystemAttributes[key \"TraceHeader\"]",
        ViolationKind::NotInEnum {
            value: "TraceHeader".into(),
        },
    );
}

#[test]
fn string_enum_round_trips() {
    for (variant, wire) in [
        (QueueAttributeName::All, "All"),
        (
            QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
            "ApproximateNumberOfMessagesNotVisible",
        ),
        (QueueAttributeName::FifoQueue, "FifoQueue"),
        (
            QueueAttributeName::SqsManagedSseEnabled,
            "SqsManagedSseEnabled",
        ),
    ] {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(QueueAttributeName::from(wire), variant);
        assert_eq!(wire.parse::<QueueAttributeName>(), Ok(variant.clone()));
        assert_eq!(variant.to_string(), wire);
    }
    assert_eq!(
        MessageSystemAttributeNameForSends::AwsTraceHeader.as_str(),
        "AWSTraceHeader"
    );
    assert_eq!(
        MessageSystemAttributeNameForSends::from("AWSTraceHeader"),
        MessageSystemAttributeNameForSends::AwsTraceHeader
    );
    let unknown = QueueAttributeName::from("SOMETHING_NEW");
    assert_eq!(unknown, QueueAttributeName::Unknown("SOMETHING_NEW".into()));
    assert_eq!(unknown.as_str(), "SOMETHING_NEW");
    assert_eq!(
        QueueAttributeName::from(String::from(unknown.clone())),
        unknown
    );
    // Wire values are case sensitive.
    assert!(matches!(
        QueueAttributeName::from("all"),
        QueueAttributeName::Unknown(_)
    ));
}

#[test]
fn output_defaults() {
    assert_eq!(
        SendMessageResult::default(),
        SendMessageResult {
            md5_of_message_attributes: None,
            md5_of_message_body: None,
            md5_of_message_system_attributes: None,
            message_id: None,
            sequence_number: None,
        }
    );
    let received = ReceiveMessageResult::default();
    assert!(received.messages.is_none());
    assert_eq!(validate(&received), Ok(()));
}
