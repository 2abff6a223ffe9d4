//! The generated connectparticipant crate (rest-json): validation of each
//! constraint kind its model states, string enums, Debug redaction of
//! sensitive members and output defaults.

use botogen_connectparticipant::types::{
    Attendee, ChatItemType, CompleteAttachmentUploadRequest, ConnectionType,
    CreateParticipantConnectionRequest, GetTranscriptRequest, GetTranscriptResponse, ScanDirection,
    SendMessageRequest, SendMessageResponse, SortKey, StartAttachmentUploadRequest, StartPosition,
    View, ViewContent,
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

fn send_message() -> SendMessageRequest {
    SendMessageRequest {
        client_token: Some("token-1".into()),
        connection_token: "conn-token".into(),
        content: "Hello".into(),
        content_type: "text/plain".into(),
    }
}

#[test]
fn send_message_lengths_count_characters() {
    assert_eq!(send_message().validate(), Ok(()));

    // ContentType: min 1, max 100 characters. 100 two-byte characters are fine.
    let mut input = send_message();
    input.content_type = "é".repeat(100);
    assert_eq!(input.validate(), Ok(()));
    input.content_type = "é".repeat(101);
    assert_only(
        input.validate(),
        "ContentType",
        ViolationKind::TooLong {
            max: 100,
            actual: 101,
        },
    );

    let mut input = send_message();
    input.content = String::new();
    assert_only(
        input.validate(),
        "Content",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );

    // An optional member is checked only when set.
    let mut input = send_message();
    input.client_token = Some("x".repeat(501));
    assert_only(
        input.validate(),
        "ClientToken",
        ViolationKind::TooLong {
            max: 500,
            actual: 501,
        },
    );
    input.client_token = None;
    assert_eq!(input.validate(), Ok(()));
}

#[test]
fn every_violation_is_reported() {
    let input = SendMessageRequest {
        client_token: None,
        connection_token: String::new(),
        content: String::new(),
        content_type: String::new(),
    };
    let errors = input.validate().expect_err("three empty strings");
    let mut paths: Vec<&str> = errors.violations.iter().map(|v| v.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["ConnectionToken", "Content", "ContentType"]);
    assert!(
        errors
            .violations
            .iter()
            .all(|v| v.kind == ViolationKind::TooShort { min: 1, actual: 0 })
    );
    // Display names each path.
    let text = errors.to_string();
    assert!(text.contains("ConnectionToken"), "{text}");
}

#[test]
fn long_range_on_attachment_size() {
    let mut input = StartAttachmentUploadRequest {
        attachment_name: "report.pdf".into(),
        attachment_size_in_bytes: 1,
        client_token: "ct".into(),
        connection_token: "conn".into(),
        content_type: "application/pdf".into(),
    };
    assert_eq!(input.validate(), Ok(()));
    input.attachment_size_in_bytes = 0;
    assert_only(
        input.validate(),
        "AttachmentSizeInBytes",
        ViolationKind::BelowMin {
            min: 1.0,
            actual: 0.0,
        },
    );
    input.attachment_size_in_bytes = i64::MAX;
    assert_eq!(input.validate(), Ok(()), "no max in the model");
}

#[test]
fn list_length_and_element_paths() {
    let mut input = CompleteAttachmentUploadRequest {
        attachment_ids: vec!["a-1".into()],
        client_token: "ct".into(),
        connection_token: "conn".into(),
    };
    assert_eq!(input.validate(), Ok(()));

    // AttachmentIdList: min 1, max 1 entries.
    input.attachment_ids = vec![];
    assert_only(
        input.validate(),
        "AttachmentIds",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
    input.attachment_ids = vec!["a-1".into(), "a-2".into()];
    assert_only(
        input.validate(),
        "AttachmentIds",
        ViolationKind::TooLong { max: 1, actual: 2 },
    );
    // ArtifactId: 1..=256 characters, reported with the element index.
    input.attachment_ids = vec![String::new()];
    assert_only(
        input.validate(),
        "AttachmentIds[0]",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
}

#[test]
fn integer_range_enums_and_nested_paths() {
    let mut input = GetTranscriptRequest {
        max_results: Some(100),
        scan_direction: Some(ScanDirection::Backward),
        sort_order: Some(SortKey::Ascending),
        start_position: Some(StartPosition {
            most_recent: Some(0),
            ..Default::default()
        }),
        ..GetTranscriptRequest::new("conn")
    };
    assert_eq!(input.validate(), Ok(()));

    input.max_results = Some(101);
    assert_only(
        input.validate(),
        "MaxResults",
        ViolationKind::AboveMax {
            max: 100.0,
            actual: 101.0,
        },
    );
    input.max_results = Some(-1);
    assert_only(
        input.validate(),
        "MaxResults",
        ViolationKind::BelowMin {
            min: 0.0,
            actual: -1.0,
        },
    );
    input.max_results = None;

    input.scan_direction = Some(ScanDirection::Unknown("SIDEWAYS".into()));
    assert_only(
        input.validate(),
        "ScanDirection",
        ViolationKind::NotInEnum {
            value: "SIDEWAYS".into(),
        },
    );
    // The empty value is not in the enum.
    input.scan_direction = Some(ScanDirection::from(""));
    assert_only(
        input.validate(),
        "ScanDirection",
        ViolationKind::NotInEnum {
            value: String::new(),
        },
    );
    input.scan_direction = Some(ScanDirection::Forward);

    input.start_position = Some(StartPosition {
        most_recent: Some(101),
        id: Some(String::new()),
        ..Default::default()
    });
    let errors = input.validate().expect_err("two nested violations");
    let mut got = errors.violations.clone();
    got.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(
        got,
        vec![
            Violation {
                path: "StartPosition.Id".into(),
                kind: ViolationKind::TooShort { min: 1, actual: 0 },
            },
            Violation {
                path: "StartPosition.MostRecent".into(),
                kind: ViolationKind::AboveMax {
                    max: 100.0,
                    actual: 101.0,
                },
            },
        ]
    );
}

#[test]
fn enum_list_elements() {
    let mut input = CreateParticipantConnectionRequest {
        participant_token: "p".into(),
        r#type: Some(vec![
            ConnectionType::Websocket,
            ConnectionType::WebrtcConnection,
        ]),
        connect_participant: Some(true),
    };
    assert_eq!(input.validate(), Ok(()));
    input.r#type = Some(vec![
        ConnectionType::Websocket,
        ConnectionType::from("CARRIER_PIGEON"),
    ]);
    assert_only(
        input.validate(),
        "Type[1]",
        ViolationKind::NotInEnum {
            value: "CARRIER_PIGEON".into(),
        },
    );
    // ConnectionTypeList: min 1.
    input.r#type = Some(vec![]);
    assert_only(
        input.validate(),
        "Type",
        ViolationKind::TooShort { min: 1, actual: 0 },
    );
}

#[test]
fn patterns_on_output_structures() {
    // ViewId: ^[a-zA-Z0-9\_\-:\/$]+$ (anchored in the model).
    let mut view = View {
        id: Some("view-1:v2".into()),
        name: Some("Checkout form".into()),
        ..Default::default()
    };
    assert_eq!(validate(&view), Ok(()));
    view.id = Some("view 1".into());
    assert_only(
        validate(&view),
        "Id",
        ViolationKind::Pattern {
            pattern: "^[a-zA-Z0-9\\_\\-:\\/$]+$",
        },
    );
    view.id = Some("view-1".into());
    // ViewActions elements: a sensitive string with a pattern.
    view.content = Some(ViewContent {
        actions: Some(vec!["Submit".into(), "#!".into()]),
        ..Default::default()
    });
    let errors = validate(&view).expect_err("bad action");
    assert_eq!(errors.violations.len(), 1, "{errors:?}");
    assert_eq!(errors.violations[0].path, "Content.Actions[1]");
    assert!(matches!(
        errors.violations[0].kind,
        ViolationKind::Pattern { .. }
    ));
}

#[test]
fn string_enum_round_trips() {
    for (variant, wire) in [
        (ChatItemType::Typing, "TYPING"),
        (ChatItemType::ParticipantJoined, "PARTICIPANT_JOINED"),
        (ChatItemType::ConnectionAck, "CONNECTION_ACK"),
        (ChatItemType::MessageRead, "MESSAGE_READ"),
    ] {
        assert_eq!(variant.as_str(), wire);
        assert_eq!(ChatItemType::from(wire), variant);
        assert_eq!(wire.parse::<ChatItemType>(), Ok(variant.clone()));
        assert_eq!(variant.to_string(), wire);
        assert_eq!(String::from(variant), wire);
    }
    assert_eq!(
        ConnectionType::WebrtcConnection.as_str(),
        "WEBRTC_CONNECTION"
    );

    let unknown = ChatItemType::from("SOMETHING_NEW");
    assert_eq!(unknown, ChatItemType::Unknown("SOMETHING_NEW".into()));
    assert_eq!(unknown.as_str(), "SOMETHING_NEW");
    assert_eq!(unknown.to_string(), "SOMETHING_NEW");
    assert_eq!(String::from(unknown.clone()), "SOMETHING_NEW");
    assert_eq!(ChatItemType::from(unknown.as_str()), unknown);
    // Case matters on the wire.
    assert_eq!(
        ChatItemType::from("typing"),
        ChatItemType::Unknown("typing".into())
    );
    assert!(ChatItemType::VALUES.contains(&"ATTACHMENT"));
    assert_eq!(ChatItemType::VALUES.len(), 12);
}

#[test]
fn sensitive_members_are_redacted_in_debug() {
    let attendee = Attendee {
        attendee_id: Some("attendee-42".into()),
        join_token: Some("super-secret-join-token".into()),
    };
    let text = format!("{attendee:?}");
    assert!(text.contains("attendee-42"), "{text}");
    assert!(!text.contains("super-secret-join-token"), "{text}");
    let view = View {
        name: Some("secret-view-name".into()),
        content: Some(ViewContent {
            template: Some("<secret template>".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let text = format!("{view:?}");
    assert!(!text.contains("secret-view-name"), "{text}");
    assert!(!text.contains("<secret template>"), "{text}");
    // Non-sensitive members still show.
    let request = send_message();
    assert!(format!("{request:?}").contains("conn-token"));
}

#[test]
fn output_defaults_are_empty() {
    assert_eq!(
        SendMessageResponse::default(),
        SendMessageResponse {
            absolute_time: None,
            id: None,
            message_metadata: None,
        }
    );
    let transcript = GetTranscriptResponse::default();
    assert!(transcript.transcript.is_none() && transcript.next_token.is_none());
    assert_eq!(validate(&transcript), Ok(()));
}
