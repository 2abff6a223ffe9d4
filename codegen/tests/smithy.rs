//! The Smithy JSON AST front end: the hand-written `library` model (one of
//! each construct) as a checked-in crate that must stay fresh, the IR it
//! lowers to, one small model per protocol trait, and bad input.

use botogen::ir::{self, Location, Matcher, Protocol, ShapeKind, WaitState};
use botogen::{Error, GenerateOptions, ModelFormat, ModelSource, generate, load, write_files};
use std::path::{Path, PathBuf};

/// Options as the CLI would build them from a path relative to the repo root.
fn library_opts() -> GenerateOptions {
    let mut o = GenerateOptions::new(ModelSource::Path(PathBuf::from(
        "codegen/tests/fixtures/smithy/constructs.json",
    )));
    o.runtime_path = "../../../../runtime".into();
    o.service_name = Some("library".into());
    o
}

fn in_repo<T>(f: impl FnOnce() -> T) -> T {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::set_current_dir(root).expect("repo root");
    f()
}

fn library() -> ir::Service {
    in_repo(|| load(&library_opts())).expect("the library model loads")
}

fn smithy(text: &str) -> Result<ir::Service, Error> {
    load(&GenerateOptions::new(ModelSource::Text {
        label: "test.json".into(),
        text: text.into(),
    }))
}

fn member<'a>(svc: &'a ir::Service, shape: &str, name: &str) -> &'a ir::Member {
    match &svc.shapes[shape].kind {
        ShapeKind::Structure(st) | ShapeKind::Union(st) => st
            .members
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("{shape} has no member {name}")),
        other => panic!("{shape} is not a structure: {other:?}"),
    }
}

fn op<'a>(svc: &'a ir::Service, key: &str) -> &'a ir::Operation {
    svc.operations
        .iter()
        .find(|o| o.key == key)
        .unwrap_or_else(|| panic!("no operation {key}"))
}

/// The checked-in crate (a workspace member, so CI compiles and lints it)
/// is exactly what the generator makes of the model today.
#[test]
fn library_fixture_is_fresh() {
    let crate_ = in_repo(|| generate(&library_opts())).expect("library generates");
    assert_eq!(crate_.crate_name, "botogen-library");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/library");
    let report = write_files(&dir, &crate_.files, true).expect("compare");
    assert!(
        report.is_fresh(),
        "stale fixture (regenerate with `cargo xtask codegen`): {report:?}"
    );
}

#[test]
fn service_facts_and_closure() {
    let svc = library();
    assert_eq!(svc.service_id, "Library");
    assert_eq!(svc.full_name, "Example Library");
    assert_eq!(svc.api_version, "2024-01-01");
    assert_eq!(svc.protocol, Protocol::RestJson);
    // CommonMark documentation is rendered to the HTML the IR carries.
    assert!(svc.doc.as_deref().unwrap().contains("<em>library</em>"));
    // Operations: the service's, its mixin's, and those of nested resources.
    let keys: Vec<&str> = svc.operations.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "DownloadBook",
            "GetShelf",
            "GetStatus",
            "ListShelves",
            "Ping",
            "PutBook",
            "WatchBook"
        ]
    );
    // Service errors are every operation's errors.
    assert_eq!(
        op(&svc, "GetShelf").errors,
        ["NoSuchShelf", "ServiceUnavailable"]
    );
    assert_eq!(op(&svc, "Ping").errors, ["ServiceUnavailable"]);
    // `rename` names a shape from another namespace.
    assert!(svc.shapes.contains_key("OtherNote"));
    assert!(!svc.shapes.contains_key("Note"));
}

#[test]
fn auth_traits() {
    let svc = library();
    assert_eq!(svc.auth, ["smithy.api#httpBearerAuth"]);
    // `@optionalAuth` adds anonymous calls; `@auth([])` means none.
    assert_eq!(
        op(&svc, "Ping").auth,
        ["smithy.api#httpBearerAuth", "smithy.api#noAuth"]
    );
    assert_eq!(op(&svc, "GetStatus").auth, ["smithy.api#noAuth"]);
    assert_eq!(op(&svc, "DownloadBook").auth, ["smithy.api#httpBearerAuth"]);
    assert!(op(&svc, "GetShelf").auth.is_empty());
}

#[test]
fn http_bindings() {
    let svc = library();
    let get = op(&svc, "GetShelf");
    assert_eq!(
        (
            get.http_method.as_str(),
            get.request_uri.as_str(),
            get.response_code
        ),
        ("GET", "/shelves/{shelfId}", 200)
    );
    assert_eq!(get.host_prefix.as_deref(), Some("{region}.data."));
    let input = get.input.as_deref().unwrap();
    let m = |n| member(&svc, input, n);
    assert_eq!(
        (m("shelfId").location, m("shelfId").location_name.as_deref()),
        (Location::Uri, Some("shelfId"))
    );
    assert_eq!(
        (m("verbose").location, m("verbose").location_name.as_deref()),
        (Location::QueryString, Some("verbose"))
    );
    assert_eq!(
        (m("filters").location, m("filters").location_name.as_deref()),
        (Location::QueryString, None)
    );
    assert_eq!(
        (m("meta").location, m("meta").location_name.as_deref()),
        (Location::Headers, Some("x-meta-"))
    );
    assert_eq!(
        (m("region").location, m("region").location_name.as_deref()),
        (Location::Header, Some("x-region"))
    );
    assert!(m("region").host_label);
    let out = get.output.as_deref().unwrap();
    assert_eq!(member(&svc, out, "code").location, Location::StatusCode);
    assert_eq!(
        member(&svc, out, "id").location_name.as_deref(),
        Some("shelf_id")
    );
    let put = op(&svc, "PutBook");
    assert_eq!((put.http_method.as_str(), put.response_code), ("PUT", 204));
    assert!(put.idempotent);
    assert_eq!(put.request_compression, ["gzip"]);
    // `requestChecksumRequired` defaults to false.
    assert!(!put.checksum_required);
    let checksum = put.http_checksum.as_ref().expect("httpChecksum");
    assert_eq!(
        checksum.request_algorithm_member.as_deref(),
        Some("checksumAlgorithm")
    );
    assert!(!checksum.request_checksum_required && checksum.response_algorithms.is_empty());
    assert!(put.deprecated.is_some());
    let st = match &svc.shapes["PutBookInput"].kind {
        ShapeKind::Structure(st) => st,
        _ => unreachable!(),
    };
    assert_eq!(
        st.payload.map(|i| st.members[i].name.as_str()),
        Some("book")
    );
    assert!(member(&svc, "PutBookInput", "clientToken").idempotency_token);
}

#[test]
fn mixins_apply_and_member_constraints() {
    let svc = library();
    let id = member(&svc, "GetShelfInput", "shelfId");
    // Mixed in first, with the mixin's docs; `apply` gave it a length, which
    // makes a shape of its own named as botocore names such shapes.
    assert_eq!(id.target, "GetShelfInputShelfIdString");
    assert_eq!(
        id.doc.as_deref(),
        Some("<p>The shelf (from a mixin).</p>\n")
    );
    let t = &svc.shapes["GetShelfInputShelfIdString"];
    assert_eq!((t.min, t.max), (Some(3.0), Some(63.0)));
    assert_eq!(svc.shapes["String"].min, None);
    let names: Vec<&str> = match &svc.shapes["GetShelfInput"].kind {
        ShapeKind::Structure(st) => st.members.iter().map(|m| m.name.as_str()).collect(),
        _ => unreachable!(),
    };
    assert_eq!(names[0], "shelfId");
    assert!(!svc.shapes.contains_key("ShelfIdMixin"));
}

#[test]
fn nullability() {
    let svc = library();
    let m = |n| member(&svc, "GetShelfOutput", n);
    assert!(m("id").required);
    // Required with a default: still required (it is always on the wire).
    assert!(m("count").required);
    assert_eq!(m("count").default_value.as_deref(), Some("0"));
    // A default alone: the caller may omit it.
    assert!(!m("capacity").required);
    assert_eq!(m("capacity").default_value.as_deref(), Some("100"));
    // `@clientOptional` wins over `@required`.
    assert!(!m("owner").required);
    assert!(!m("status").required);
    // `@input` does not loosen `@required` (see ARCHITECTURE.md).
    assert!(member(&svc, "GetShelfInput", "region").required);
    // The prelude's primitive shapes carry their zero default.
    assert_eq!(
        member(&svc, "GetShelfInput", "verbose")
            .default_value
            .as_deref(),
        Some("false")
    );
}

#[test]
fn enums_and_simple_types() {
    let svc = library();
    let mood = &svc.shapes["Mood"];
    assert_eq!(mood.enum_values, ["happy", "meh?", "Self"]);
    assert_eq!(mood.enum_names, ["HAPPY", "NOT_SURE", "Self"]);
    let legacy = &svc.shapes["LegacyColour"];
    assert_eq!(legacy.enum_values, ["rgb(255,0,0)", "blue"]);
    assert_eq!(legacy.enum_names, ["RED", "BLUE"]);
    let level = &svc.shapes["Level"];
    assert!(matches!(level.kind, ShapeKind::Integer));
    assert_eq!(
        level.int_enum,
        [("LOW".to_string(), 1), ("HIGH".to_string(), 10)]
    );
    assert!(matches!(svc.shapes["BigInteger"].kind, ShapeKind::Long));
    assert!(matches!(svc.shapes["TagSet"].kind, ShapeKind::List(_)));
    assert!(matches!(&svc.shapes["ShelfList"].kind, ShapeKind::List(l) if l.sparse));
    assert!(matches!(svc.shapes["Document"].kind, ShapeKind::Document));
    assert_eq!(
        member(&svc, "GetStatusOutput", "since").timestamp_format,
        Some(ir::TimestampFormat::Iso8601)
    );
    let secret = &svc.shapes["Secret"];
    assert!(secret.sensitive);
    assert_eq!(secret.pattern.as_deref(), Some("^[a-z]+$"));
    assert!(member(&svc, "GetShelfOutput", "etag").deprecated.is_some());
    // A union's unit member targets the (empty) Unit structure.
    assert!(matches!(&svc.shapes["Unit"].kind, ShapeKind::Structure(st) if st.members.is_empty()));
    // Recursion through a structure is boxed.
    assert!(member(&svc, "BookSummary", "related").boxed);
}

#[test]
fn streaming_and_event_streams() {
    let svc = library();
    let content = &svc.shapes["Content"];
    assert!(content.streaming && content.requires_length);
    let events = &svc.shapes["BookEvents"];
    assert!(events.event_stream && matches!(events.kind, ShapeKind::Union(_)));
    assert!(svc.shapes["Moved"].event);
    assert!(member(&svc, "Moved", "body").event_payload);
    assert!(op(&svc, "WatchBook").event_stream);
    assert!(!op(&svc, "DownloadBook").event_stream);
}

#[test]
fn errors() {
    let svc = library();
    let e = svc.shapes["NoSuchShelf"].error.as_ref().unwrap();
    assert_eq!(
        (e.http_status, e.sender_fault, e.retryable),
        (Some(404), true, false)
    );
    let e = svc.shapes["ServiceUnavailable"].error.as_ref().unwrap();
    assert_eq!(
        (e.http_status, e.sender_fault, e.retryable, e.throttling),
        (Some(503), false, true, true)
    );
}

#[test]
fn paginators_merge_the_service_defaults() {
    let svc = library();
    let p = &svc.paginators["ListShelves"];
    assert_eq!(p.input_token, ["nextToken"]);
    assert_eq!(p.output_token, ["nextToken"]);
    assert_eq!(p.limit_key.as_deref(), Some("maxResults"));
    assert_eq!(p.result_key, ["shelves"]);
}

#[test]
fn waiters_back_off() {
    let svc = library();
    let w = &svc.waiters["ShelfExists"];
    assert_eq!(w.operation, "GetShelf");
    // `maxDelay` defaults to 120 s; there is no fixed delay or attempt count.
    assert_eq!(
        w.backoff,
        Some(ir::Backoff {
            min_delay: 3,
            max_delay: 120
        })
    );
    assert_eq!((w.delay, w.max_attempts), (None, None));
    assert_eq!(
        w.description.as_deref(),
        Some("Waits until the shelf exists.")
    );
    let m: Vec<(&WaitState, &Matcher)> =
        w.acceptors.iter().map(|a| (&a.state, &a.matcher)).collect();
    assert_eq!(
        m,
        [
            (
                &WaitState::Success,
                &Matcher::Path {
                    argument: "status".into(),
                    expected: ir::Expected::Str("OPEN".into())
                }
            ),
            (
                &WaitState::Success,
                &Matcher::InputOutputPath {
                    argument: "input.shelfId == output.id".into(),
                    expected: ir::Expected::Bool(true)
                }
            ),
            (
                &WaitState::Failure,
                &Matcher::PathAny {
                    argument: "books[].state".into(),
                    expected: ir::Expected::Str("LOST".into())
                }
            ),
            // An absolute error shape id matches on its name.
            (&WaitState::Retry, &Matcher::Error("NoSuchShelf".into())),
        ]
    );
    let gone = &svc.waiters["ShelfGone"];
    assert_eq!(
        gone.backoff,
        Some(ir::Backoff {
            min_delay: 2,
            max_delay: 8
        })
    );
    // `success: true` is "no error".
    assert_eq!(gone.acceptors[1].matcher, Matcher::AnyError(false));
}

/// A one-operation service with `traits` on the service shape.
fn protocol_model(service_traits: &str, extra: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
            "p.q#Svc": {{"type": "service", "version": "2020-01-01", "operations": [{{"target": "p.q#DoIt"}}],
                        "traits": {{"aws.api#service": {{"sdkId": "Svc", "endpointPrefix": "svc"}}, "aws.auth#sigv4": {{"name": "svcsign"}}, {service_traits}}}}},
            "p.q#DoIt": {{"type": "operation", "input": {{"target": "p.q#In"}}, "output": {{"target": "p.q#Out"}}, "errors": [{{"target": "p.q#Bad"}}]}},
            "p.q#In": {{"type": "structure", "members": {{
                "name": {{"target": "smithy.api#String", "traits": {{"smithy.api#xmlName": "Label", "smithy.api#jsonName": "nm", "aws.protocols#ec2QueryName": "NaMe"}}}},
                "items": {{"target": "p.q#Items", "traits": {{"smithy.api#xmlFlattened": {{}}}}}},
                "attr": {{"target": "smithy.api#String", "traits": {{"smithy.api#xmlAttribute": {{}}, "smithy.api#xmlNamespace": {{"uri": "urn:x", "prefix": "x"}}}}}},
                "header": {{"target": "smithy.api#String", "traits": {{"smithy.api#httpHeader": "x-h"}}}}
                {extra}
            }}}},
            "p.q#Items": {{"type": "list", "member": {{"target": "smithy.api#String", "traits": {{"smithy.api#xmlName": "item"}}}}}},
            "p.q#Out": {{"type": "structure", "members": {{}}}},
            "p.q#Bad": {{"type": "structure", "members": {{}}, "traits": {{"smithy.api#error": "client", "aws.protocols#awsQueryError": {{"code": "Bad.Thing", "httpResponseCode": 409}}}}}}
        }}}}"#
    )
}

#[test]
fn each_protocol_trait() {
    for (trait_, protocol, json_version) in [
        ("aws.protocols#awsJson1_0", Protocol::Json, "1.0"),
        ("aws.protocols#awsJson1_1", Protocol::Json, "1.1"),
        ("aws.protocols#restJson1", Protocol::RestJson, ""),
        ("aws.protocols#restXml", Protocol::RestXml, ""),
        ("aws.protocols#awsQuery", Protocol::Query, ""),
        ("aws.protocols#ec2Query", Protocol::Ec2, ""),
        ("smithy.protocols#rpcv2Cbor", Protocol::SmithyRpcV2Cbor, ""),
    ] {
        let text = protocol_model(
            &format!(
                r#""{trait_}": {{}}, "smithy.api#xmlNamespace": {{"uri": "https://svc/doc/"}}"#
            ),
            "",
        );
        let svc = smithy(&text).unwrap_or_else(|e| panic!("{trait_}: {e}"));
        assert_eq!(
            (svc.protocol, svc.protocols.as_slice()),
            (protocol, &[protocol][..]),
            "{trait_}"
        );
        assert_eq!(svc.json_version, json_version, "{trait_}");
        assert_eq!(
            (svc.endpoint_prefix.as_str(), svc.signing_name.as_str()),
            ("svc", "svcsign")
        );
        assert_eq!(svc.auth, ["aws.auth#sigv4"]);
        let name = member(&svc, "In", "name");
        let items = member(&svc, "In", "items");
        let attr = member(&svc, "In", "attr");
        let header = member(&svc, "In", "header");
        let xml = matches!(
            protocol,
            Protocol::RestXml | Protocol::Query | Protocol::Ec2
        );
        let rest = matches!(protocol, Protocol::RestJson | Protocol::RestXml);
        // Wire names: jsonName for restJson1, xmlName for the XML protocols,
        // neither for awsJson and CBOR.
        let expected_name = match protocol {
            Protocol::RestJson => Some("nm"),
            _ if xml => Some("Label"),
            _ => None,
        };
        assert_eq!(name.location_name.as_deref(), expected_name, "{trait_}");
        assert_eq!(name.query_name.as_deref(), Some("NaMe"));
        assert_eq!(
            (
                items.flattened,
                attr.xml_attribute,
                attr.xml_namespace.is_some()
            ),
            (xml, xml, xml),
            "{trait_}"
        );
        // HTTP bindings only for the REST protocols.
        assert_eq!(header.location == Location::Header, rest, "{trait_}");
        let o = op(&svc, "DoIt");
        assert_eq!(
            o.result_wrapper.as_deref(),
            (protocol == Protocol::Query).then_some("DoItResult")
        );
        assert_eq!(
            svc.target_prefix,
            if protocol == Protocol::Json {
                "Svc"
            } else {
                ""
            }
        );
        let err = svc.shapes["Bad"].error.as_ref().unwrap();
        // The query error code only where the query protocol is spoken.
        assert_eq!(
            err.code.as_deref(),
            (protocol == Protocol::Query).then_some("Bad.Thing")
        );
        assert_eq!(
            svc.xml_namespace.as_deref(),
            matches!(protocol, Protocol::Query | Protocol::Ec2).then_some("https://svc/doc/")
        );
        if protocol == Protocol::RestXml {
            assert_eq!(o.input_location_name.as_deref(), Some("In"));
            assert_eq!(
                o.input_xml_namespace.as_ref().map(|n| n.uri.as_str()),
                Some("https://svc/doc/")
            );
        }
    }
    let both = protocol_model(
        r#""aws.protocols#awsJson1_0": {}, "aws.protocols#awsQuery": {}, "aws.protocols#awsQueryCompatible": {}"#,
        "",
    );
    let svc = smithy(&both).unwrap();
    assert_eq!(svc.protocol, Protocol::Json);
    assert_eq!(svc.protocols, [Protocol::Json, Protocol::Query]);
    assert!(svc.aws_query_compatible);
    let mut opts = GenerateOptions::new(ModelSource::Text {
        label: "t.json".into(),
        text: both,
    });
    opts.protocol = Some("query".into());
    assert_eq!(load(&opts).unwrap().protocol, Protocol::Query);
}

#[test]
fn format_detection_and_forcing() {
    let text = protocol_model(r#""aws.protocols#restJson1": {}"#, "");
    let mut opts = GenerateOptions::new(ModelSource::Text {
        label: "t.json".into(),
        text: text.clone(),
    });
    assert_eq!(load(&opts).unwrap().service_id, "Svc");
    // Forced to botocore, the same file is not a botocore model.
    opts.format = ModelFormat::Botocore;
    assert!(load(&opts).unwrap_err().to_string().contains("t.json"));
    // A parsed value is detected too, and the crate is named after the SDK id.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let crate_ = generate(&GenerateOptions::new(ModelSource::Json {
        label: "v".into(),
        value,
    }))
    .unwrap();
    assert_eq!(crate_.crate_name, "botogen-svc");
}

fn err(text: &str) -> String {
    smithy(text).expect_err("must fail").to_string()
}

#[test]
fn bad_input_names_file_shape_and_member() {
    let dangling = err(r#"{"smithy": "2.0", "shapes": {
        "a#S": {"type": "service", "operations": [{"target": "a#Op"}], "traits": {"aws.protocols#restJson1": {}}},
        "a#Op": {"type": "operation", "input": {"target": "a#In"}},
        "a#In": {"type": "structure", "members": {"x": {"target": "a#Nope"}}}}}"#);
    assert!(
        dangling.contains("test.json") && dangling.contains("a#In") && dangling.contains("a#Nope"),
        "{dangling}"
    );
    let member = err(r#"{"smithy": "2.0", "shapes": {
        "a#S": {"type": "service", "operations": [{"target": "a#Op"}], "traits": {"aws.protocols#restJson1": {}}},
        "a#Op": {"type": "operation", "input": {"target": "a#In"}},
        "a#In": {"type": "structure", "members": {"when": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#timestampFormat": "someday"}}}}}}"#);
    assert!(
        member.contains("a#In$when") && member.contains("someday"),
        "{member}"
    );
    let unknown = err(r#"{"smithy": "2.0", "shapes": {"a#X": {"type": "tuple"}}}"#);
    assert!(
        unknown.contains("a#X") && unknown.contains("tuple"),
        "{unknown}"
    );
    let no_service = err(r#"{"smithy": "2.0", "shapes": {"a#X": {"type": "string"}}}"#);
    assert!(no_service.contains("no service"), "{no_service}");
    let two = err(
        r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "service"}, "a#T": {"type": "service"}}}"#,
    );
    assert!(
        two.contains("a#S") && two.contains("a#T") && two.contains("--service"),
        "{two}"
    );
    let clash = err(r#"{"smithy": "2.0", "shapes": {
        "a#S": {"type": "service", "operations": [{"target": "a#Op"}], "traits": {"aws.protocols#restJson1": {}}},
        "a#Op": {"type": "operation", "input": {"target": "a#In"}},
        "a#In": {"type": "structure", "members": {"x": {"target": "a#Thing"}, "y": {"target": "b#Thing"}}},
        "a#Thing": {"type": "string"}, "b#Thing": {"type": "string"}}}"#);
    assert!(
        clash.contains("a#Thing") && clash.contains("b#Thing") && clash.contains("rename"),
        "{clash}"
    );
    let no_protocol = err(r#"{"smithy": "2.0", "shapes": {"a#S": {"type": "service"}}}"#);
    assert!(no_protocol.contains("protocol"), "{no_protocol}");
    let bad_enum = err(r#"{"smithy": "2.0", "shapes": {
        "a#S": {"type": "service", "operations": [{"target": "a#Op"}], "traits": {"aws.protocols#restJson1": {}}},
        "a#Op": {"type": "operation", "input": {"target": "a#In"}},
        "a#In": {"type": "structure", "members": {"x": {"target": "a#E"}}},
        "a#E": {"type": "intEnum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "one"}}}}}}"#);
    assert!(
        bad_enum.contains("a#E") && bad_enum.contains("`A`"),
        "{bad_enum}"
    );
    let mixin_target = err(r#"{"smithy": "2.0", "shapes": {
        "a#S": {"type": "service", "operations": [{"target": "a#Op"}], "traits": {"aws.protocols#restJson1": {}}},
        "a#Op": {"type": "operation", "input": {"target": "a#M"}},
        "a#M": {"type": "structure", "traits": {"smithy.api#mixin": {}}}}}"#);
    assert!(mixin_target.contains("mixin"), "{mixin_target}");
    let not_json = err("{\"smithy\": \"2.0\", ");
    assert!(not_json.contains("test.json"), "{not_json}");
}

/// A bad Smithy model through the CLI: exit code 1, a message, nothing written.
#[test]
fn cli_bad_smithy_model_exits_1_without_output() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    std::fs::write(
        &model,
        r#"{"smithy": "2.0", "shapes": {"a#X": {"type": "tuple"}}}"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_botogen"))
        .args(["generate", "--model"])
        .arg(&model)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(
        stderr.contains("a#X") && stderr.contains("tuple"),
        "{stderr}"
    );
    assert!(!out.exists());
    // `--format` is checked and forwarded.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_botogen"))
        .args(["generate", "--format", "yaml", "--model"])
        .arg(&model)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_ne!(bad.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("yaml"));
}
