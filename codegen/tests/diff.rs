//! `botogen diff` on small hand-made model pairs: one test per kind of
//! change pins what is reported (item in Rust terms, kind, level), plus the
//! text, JSON and changelog renderings and the semver verdict.

use botogen::diff::{Change, Kind, Level, Report, diff, diff_files};
use botogen::{GenerateOptions, ModelSource, load};
use serde_json::{Value, json};

/// A small json-protocol service: one operation with a structure input
/// (required and optional members, an enum, a union, a list), an output, an
/// error, a paginator and a waiter.
fn base() -> Value {
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01",
            "endpointPrefix": "things",
            "jsonVersion": "1.0",
            "protocol": "json",
            "protocols": ["json"],
            "serviceFullName": "Things Service",
            "serviceId": "Things",
            "signatureVersion": "v4",
            "targetPrefix": "Things",
            "auth": ["aws.auth#sigv4"]
        },
        "operations": {
            "GetThing": {
                "name": "GetThing",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "GetThingInput"},
                "output": {"shape": "GetThingOutput"},
                "errors": [{"shape": "NotFound"}],
                "documentation": "<p>Gets a thing.</p>"
            },
            "ListThings": {
                "name": "ListThings",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "ListThingsInput"},
                "output": {"shape": "ListThingsOutput"}
            }
        },
        "shapes": {
            "GetThingInput": {
                "type": "structure",
                "required": ["Name", "Owner"],
                "members": {
                    "Name": {"shape": "Name"},
                    "Owner": {"shape": "String"},
                    "Size": {"shape": "Size"},
                    "Color": {"shape": "Color"},
                    "Filter": {"shape": "Filter"},
                    "Tags": {"shape": "TagList"}
                }
            },
            "GetThingOutput": {
                "type": "structure",
                "members": {
                    "Name": {"shape": "Name"},
                    "State": {"shape": "String"},
                    "Count": {"shape": "Size"},
                    "Label": {"shape": "Label"}
                }
            },
            "ListThingsInput": {
                "type": "structure",
                "members": {"NextToken": {"shape": "String"}}
            },
            "ListThingsOutput": {
                "type": "structure",
                "members": {
                    "Names": {"shape": "NameList"},
                    "NextToken": {"shape": "String"}
                }
            },
            "NotFound": {
                "type": "structure",
                "members": {"Message": {"shape": "String"}},
                "exception": true
            },
            "Name": {"type": "string", "min": 1, "max": 64, "pattern": "^[a-z]+$"},
            "Label": {"type": "string", "max": 10},
            "String": {"type": "string"},
            "Size": {"type": "integer", "min": 0, "max": 100},
            "Color": {"type": "string", "enum": ["RED", "GREEN"]},
            "Filter": {
                "type": "structure",
                "union": true,
                "members": {
                    "ByName": {"shape": "Name"},
                    "BySize": {"shape": "Size"}
                }
            },
            "TagList": {"type": "list", "member": {"shape": "String"}},
            "NameList": {"type": "list", "member": {"shape": "Name"}}
        }
    })
}

fn paginators() -> Value {
    json!({"pagination": {"ListThings": {
        "input_token": "NextToken", "output_token": "NextToken", "result_key": "Names"
    }}})
}

fn waiters() -> Value {
    json!({"version": 2, "waiters": {"ThingExists": {
        "operation": "GetThing", "delay": 5, "maxAttempts": 10,
        "acceptors": [{"matcher": "status", "expected": 200, "state": "success"}]
    }}})
}

/// Writes a model (with paginators and waiters unless `None`) to a temp dir.
fn write_model(
    dir: &std::path::Path,
    model: &Value,
    pag: Option<&Value>,
    wait: Option<&Value>,
) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).expect("dir");
    let path = dir.join("service-2.json");
    std::fs::write(&path, model.to_string()).expect("model");
    if let Some(p) = pag {
        std::fs::write(dir.join("paginators-1.json"), p.to_string()).expect("paginators");
    }
    if let Some(w) = wait {
        std::fs::write(dir.join("waiters-2.json"), w.to_string()).expect("waiters");
    }
    path
}

fn svc(model: &Value, pag: Option<&Value>, wait: Option<&Value>) -> botogen::ir::Service {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_model(dir.path(), model, pag, wait);
    load(&GenerateOptions::new(ModelSource::Path(path))).expect("model loads")
}

/// Diffs `base()` against `base()` changed by `f` (paginators and waiters unchanged).
fn changed(f: impl FnOnce(&mut Value)) -> Report {
    let old = base();
    let mut new = base();
    f(&mut new);
    diff_full(&old, &new, Some(&paginators()), Some(&paginators()))
}

fn diff_full(old: &Value, new: &Value, pag_old: Option<&Value>, pag_new: Option<&Value>) -> Report {
    let w = waiters();
    diff(&svc(old, pag_old, Some(&w)), &svc(new, pag_new, Some(&w)))
}

/// The one change the report holds.
fn only(r: &Report) -> &Change {
    assert_eq!(
        r.changes.len(),
        1,
        "expected one change:\n{}",
        r.to_text(None)
    );
    &r.changes[0]
}

fn assert_change(r: &Report, kind: Kind, level: Level, item: &str) {
    let c = only(r);
    assert_eq!(
        (c.kind, c.level, c.item.as_str()),
        (kind, level, item),
        "{}",
        r.to_text(None)
    );
    assert_eq!(r.level, Some(level));
}

fn shape<'a>(m: &'a mut Value, name: &str) -> &'a mut Value {
    &mut m["shapes"][name]
}

#[test]
fn identical_models_report_nothing() {
    let r = changed(|_| {});
    assert!(r.changes.is_empty());
    assert_eq!(r.documentation_changes, 0);
    assert_eq!(r.level, None);
    assert!(r.is_empty());
    assert_eq!(r.next_version("0.3.1").unwrap(), "0.3.1");
    assert!(r.to_text(Some("0.3.1")).ends_with("semver: no change\n"));
}

#[test]
fn documentation_only_is_counted_not_listed() {
    let r = changed(|m| {
        m["operations"]["GetThing"]["documentation"] = json!("<p>Fetches a thing.</p>");
        shape(m, "Name")["documentation"] = json!("<p>A name.</p>");
        shape(m, "GetThingInput")["members"]["Size"]["documentation"] = json!("<p>How big.</p>");
    });
    assert!(r.changes.is_empty(), "{}", r.to_text(None));
    assert_eq!(r.documentation_changes, 3);
    assert_eq!(r.level, Some(Level::Patch));
    assert_eq!(r.next_version("0.1.0").unwrap(), "0.1.1");
    assert!(
        r.to_text(None)
            .contains("documentation: 3 item(s) changed (not listed)")
    );
}

#[test]
fn operation_added_is_minor() {
    let r = changed(|m| {
        m["operations"]["PutThing"] = json!({
            "name": "PutThing", "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "ListThingsInput"}
        });
    });
    assert_change(
        &r,
        Kind::OperationAdded,
        Level::Minor,
        "ThingsApi::put_thing",
    );
    assert!(
        only(&r).detail.contains("must add it"),
        "mock caveat stated"
    );
}

#[test]
fn operation_removed_is_major() {
    let r = changed(|m| {
        m["operations"]
            .as_object_mut()
            .unwrap()
            .remove("ListThings");
        m["shapes"]
            .as_object_mut()
            .unwrap()
            .remove("ListThingsInput");
        m["shapes"]
            .as_object_mut()
            .unwrap()
            .remove("ListThingsOutput");
    });
    // The operation, its paginator and its two structures go.
    let kinds: Vec<(Kind, &str)> = r
        .changes
        .iter()
        .map(|c| (c.kind, c.item.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (Kind::PaginatorRemoved, "Client::list_things_paginator"),
            (Kind::OperationRemoved, "ThingsApi::list_things"),
            (Kind::TypeRemoved, "types::ListThingsInput"),
            (Kind::TypeRemoved, "types::ListThingsOutput"),
        ]
    );
    assert_eq!(r.level, Some(Level::Major));
    assert_eq!(r.next_version("0.1.4").unwrap(), "0.2.0");
}

#[test]
fn operation_io_type_changes_are_major() {
    let r = changed(|m| {
        m["operations"]["ListThings"]
            .as_object_mut()
            .unwrap()
            .remove("output");
    });
    let c = r
        .changes
        .iter()
        .find(|c| c.kind == Kind::OperationOutputChanged)
        .expect("output change");
    assert_eq!(c.level, Level::Major);
    assert_eq!(c.item, "ThingsApi::list_things");
    assert!(
        c.detail.contains("`types::ListThingsOutput` -> `Unit`"),
        "{}",
        c.detail
    );
}

#[test]
fn errors_added_minor_removed_major() {
    let r = changed(|m| {
        m["operations"]["ListThings"]["errors"] = json!([{"shape": "NotFound"}]);
    });
    assert_change(
        &r,
        Kind::ErrorAdded,
        Level::Minor,
        "operations::ListThingsError::NotFound",
    );
    let r = changed(|m| {
        m["operations"]["GetThing"]["errors"] = json!([]);
        m["shapes"].as_object_mut().unwrap().remove("NotFound");
    });
    let kinds: Vec<(Kind, Level)> = r.changes.iter().map(|c| (c.kind, c.level)).collect();
    assert_eq!(
        kinds,
        [
            (Kind::ErrorRemoved, Level::Major),
            (Kind::TypeRemoved, Level::Major)
        ]
    );
    assert_eq!(r.changes[0].item, "operations::GetThingError::NotFound");
}

#[test]
fn optional_member_added_is_minor_required_is_major() {
    let r = changed(|m| {
        shape(m, "GetThingInput")["members"]["Note"] = json!({"shape": "String"});
    });
    assert_change(
        &r,
        Kind::MemberAdded,
        Level::Minor,
        "types::GetThingInput.note",
    );
    assert!(
        only(&r).detail.contains("GetThingInput::new(..)"),
        "{}",
        only(&r).detail
    );
    let r = changed(|m| {
        shape(m, "GetThingInput")["members"]["Note"] = json!({"shape": "String"});
        shape(m, "GetThingInput")["required"] = json!(["Name", "Owner", "Note"]);
    });
    assert_change(
        &r,
        Kind::MemberAdded,
        Level::Major,
        "types::GetThingInput.note",
    );
    // Output structures are built by trait implementations (mocks): the same rule.
    let r = changed(|m| {
        shape(m, "GetThingOutput")["members"]["Id"] = json!({"shape": "String"});
        shape(m, "GetThingOutput")["required"] = json!(["Id"]);
    });
    assert_change(
        &r,
        Kind::MemberAdded,
        Level::Major,
        "types::GetThingOutput.id",
    );
}

#[test]
fn member_removed_is_major() {
    let r = changed(|m| {
        shape(m, "GetThingOutput")["members"]
            .as_object_mut()
            .unwrap()
            .remove("State");
    });
    assert_change(
        &r,
        Kind::MemberRemoved,
        Level::Major,
        "types::GetThingOutput.state",
    );
}

#[test]
fn member_retyped_is_major() {
    let r = changed(|m| {
        shape(m, "GetThingOutput")["members"]["State"] = json!({"shape": "Size"});
    });
    assert_change(
        &r,
        Kind::MemberRetyped,
        Level::Major,
        "types::GetThingOutput.state",
    );
    assert!(
        only(&r)
            .detail
            .contains("`Option<String>` -> `Option<i32>`")
    );
}

#[test]
fn requiredness_changes_are_major() {
    let r = changed(|m| {
        shape(m, "GetThingInput")["required"] = json!(["Name"]);
    });
    assert_change(
        &r,
        Kind::MemberBecameOptional,
        Level::Major,
        "types::GetThingInput.owner",
    );
    let r = changed(|m| {
        shape(m, "GetThingInput")["required"] = json!(["Name", "Owner", "Size"]);
    });
    assert_change(
        &r,
        Kind::MemberBecameRequired,
        Level::Major,
        "types::GetThingInput.size",
    );
    assert!(only(&r).detail.contains("`Option<i32>` -> `i32`"));
}

#[test]
fn reordering_required_members_is_major_and_optional_ones_nothing() {
    let reorder = |first: &'static str| {
        move |m: &mut Value| {
            let members = shape(m, "GetThingInput")["members"]
                .as_object()
                .unwrap()
                .clone();
            let mut out = serde_json::Map::new();
            out.insert(first.to_string(), members[first].clone());
            for (k, v) in members {
                out.entry(k).or_insert(v);
            }
            shape(m, "GetThingInput")["members"] = Value::Object(out);
        }
    };
    let r = changed(reorder("Owner"));
    assert_change(
        &r,
        Kind::RequiredOrderChanged,
        Level::Major,
        "types::GetThingInput",
    );
    // Moving an optional member changes no signature.
    let r = changed(reorder("Tags"));
    assert!(r.is_empty(), "{}", r.to_text(None));
}

#[test]
fn enum_values_added_minor_removed_major() {
    let r = changed(|m| shape(m, "Color")["enum"] = json!(["RED", "GREEN", "BLUE"]));
    assert_change(&r, Kind::EnumValueAdded, Level::Minor, "types::Color::Blue");
    let r = changed(|m| shape(m, "Color")["enum"] = json!(["RED"]));
    assert_change(
        &r,
        Kind::EnumValueRemoved,
        Level::Major,
        "types::Color::Green",
    );
}

#[test]
fn union_members_added_minor_removed_major() {
    let r = changed(|m| shape(m, "Filter")["members"]["ByOwner"] = json!({"shape": "String"}));
    assert_change(
        &r,
        Kind::VariantAdded,
        Level::Minor,
        "types::Filter::ByOwner",
    );
    let r = changed(|m| {
        shape(m, "Filter")["members"]
            .as_object_mut()
            .unwrap()
            .remove("BySize");
    });
    assert_change(
        &r,
        Kind::VariantRemoved,
        Level::Major,
        "types::Filter::BySize",
    );
    let r = changed(|m| shape(m, "Filter")["members"]["BySize"] = json!({"shape": "String"}));
    assert_change(
        &r,
        Kind::VariantRetyped,
        Level::Major,
        "types::Filter::BySize",
    );
}

#[test]
fn constraints_tightened_on_inputs_minor_relaxed_patch() {
    // `Name` is used by the input (and the output): tightened is minor.
    let r = changed(|m| shape(m, "Name")["max"] = json!(32));
    let c = only(&r);
    assert_eq!((c.kind, c.level), (Kind::ConstraintTightened, Level::Minor));
    assert_eq!(c.item, "types::Filter::ByName");
    assert_eq!(
        c.used_by,
        [
            "types::GetThingInput.name",
            "types::GetThingOutput.name",
            "types::ListThingsOutput.names[]"
        ]
    );
    assert!(c.detail.contains("length max 64 -> 32"), "{}", c.detail);
    let r = changed(|m| shape(m, "Name")["min"] = json!(0));
    assert_eq!(
        (only(&r).kind, only(&r).level),
        (Kind::ConstraintRelaxed, Level::Patch)
    );
    // A different pattern may reject what the old one accepted.
    let r = changed(|m| shape(m, "Name")["pattern"] = json!("^[a-z0-9]+$"));
    assert_eq!(
        (only(&r).kind, only(&r).level),
        (Kind::ConstraintTightened, Level::Minor)
    );
    let r = changed(|m| {
        shape(m, "Name").as_object_mut().unwrap().remove("pattern");
    });
    assert_eq!(only(&r).kind, Kind::ConstraintRelaxed);
    // Ranges of numbers.
    let r = changed(|m| shape(m, "Size")["max"] = json!(50));
    assert!(only(&r).detail.contains("range max 100 -> 50"));
    // `Label` is output-only: never validated on the client.
    let r = changed(|m| shape(m, "Label")["max"] = json!(5));
    assert_change(
        &r,
        Kind::ConstraintTightened,
        Level::Patch,
        "types::GetThingOutput.label",
    );
}

#[test]
fn retargeted_member_with_same_type_compares_constraints() {
    let r = changed(|m| shape(m, "GetThingInput")["members"]["Owner"] = json!({"shape": "Name"}));
    let c = only(&r);
    assert_eq!((c.kind, c.level), (Kind::ConstraintTightened, Level::Minor));
    assert_eq!(c.item, "types::GetThingInput.owner");
    assert!(
        c.detail.contains("target shape String -> Name"),
        "{}",
        c.detail
    );
}

#[test]
fn naming_collisions_that_rename_existing_items_are_major() {
    // `Get-Thing-Input` sorts before `GetThingInput` and claims its Rust name.
    let r = changed(|m| {
        shape(m, "Get-Thing-Input").clone_from(&json!({"type": "structure", "members": {}}));
        shape(m, "GetThingOutput")["members"]["Extra"] = json!({"shape": "Get-Thing-Input"});
    });
    let renamed = r
        .changes
        .iter()
        .find(|c| c.kind == Kind::TypeRenamed)
        .expect("rename reported");
    assert_eq!(renamed.level, Level::Major);
    assert_eq!(renamed.item, "types::GetThingInput");
    assert!(renamed.detail.contains("now `types::GetThingInput2`"));
    // Enum values: `GREEN` and a new `green` both want `Green`; the old one keeps it.
    let r = changed(|m| shape(m, "Color")["enum"] = json!(["RED", "GREEN", "green"]));
    assert_change(
        &r,
        Kind::EnumValueAdded,
        Level::Minor,
        "types::Color::Green2",
    );
    let r = changed(|m| shape(m, "Color")["enum"] = json!(["RED", "green", "GREEN"]));
    assert!(
        r.changes
            .iter()
            .any(|c| c.kind == Kind::EnumVariantRenamed && c.level == Level::Major),
        "{}",
        r.to_text(None)
    );
}

#[test]
fn type_kind_changed_is_major() {
    let r = changed(|m| {
        shape(m, "Filter").as_object_mut().unwrap().remove("union");
    });
    assert_change(&r, Kind::TypeKindChanged, Level::Major, "types::Filter");
    // A plain string becoming an enum: a new type, and its fields retyped.
    let r = changed(|m| shape(m, "String")["enum"] = json!(["A"]));
    assert!(
        r.changes
            .iter()
            .any(|c| c.kind == Kind::TypeAdded && c.item == "types::String")
    );
    assert!(
        r.changes
            .iter()
            .any(|c| c.kind == Kind::MemberRetyped && c.item == "types::GetThingInput.owner")
    );
    assert_eq!(r.level, Some(Level::Major));
}

/// `page_size` takes the limit member's type, which is part of the
/// paginator's type: a change of it (or gaining or losing one) is major.
#[test]
fn page_size_type_changes_are_major() {
    let mut old = base();
    old["shapes"]["ListThingsInput"]["members"]["MaxResults"] = json!({"shape": "Size"});
    let mut p = paginators();
    p["pagination"]["ListThings"]["limit_key"] = json!("MaxResults");
    let mut new = old.clone();
    new["shapes"]["Big"] = json!({"type": "long"});
    new["shapes"]["ListThingsInput"]["members"]["MaxResults"] = json!({"shape": "Big"});
    let r = diff_full(&old, &new, Some(&p), Some(&p));
    let c = r
        .changes
        .iter()
        .find(|c| c.kind == Kind::PaginatorChanged)
        .unwrap_or_else(|| panic!("{}", r.to_text(None)));
    assert_eq!(c.level, Level::Major);
    assert!(
        c.detail.contains("`page_size(i32)` -> `page_size(i64)`"),
        "{}",
        c.detail
    );
    // Gaining a limit member: the paginator's type changes too.
    let r = diff_full(&old, &old, Some(&paginators()), Some(&p));
    let levels: Vec<(Kind, Level)> = r.changes.iter().map(|c| (c.kind, c.level)).collect();
    assert_eq!(
        levels,
        [
            (Kind::PaginatorChanged, Level::Major),
            (Kind::PaginatorChanged, Level::Patch)
        ],
        "{}",
        r.to_text(None)
    );
}

#[test]
fn paginators_and_waiters() {
    let none = json!({"pagination": {}});
    let r = diff_full(&base(), &base(), Some(&none), Some(&paginators()));
    assert_change(
        &r,
        Kind::PaginatorAdded,
        Level::Minor,
        "Client::list_things_paginator",
    );
    let r = diff_full(&base(), &base(), Some(&paginators()), Some(&none));
    assert_change(
        &r,
        Kind::PaginatorRemoved,
        Level::Major,
        "Client::list_things_paginator",
    );
    let mut p2 = paginators();
    p2["pagination"]["ListThings"]["result_key"] = json!("NextToken");
    let r = diff_full(&base(), &base(), Some(&paginators()), Some(&p2));
    assert_change(
        &r,
        Kind::PaginatorChanged,
        Level::Patch,
        "Client::list_things_paginator",
    );
    let w = waiters();
    let mut w2 = waiters();
    w2["waiters"]["ThingExists"]["delay"] = json!(10);
    w2["waiters"]["ThingGone"] = json!({
        "operation": "GetThing", "delay": 5, "maxAttempts": 10,
        "acceptors": [{"matcher": "error", "expected": "NotFound", "state": "success"}]
    });
    let p = paginators();
    let r = diff(
        &svc(&base(), Some(&p), Some(&w)),
        &svc(&base(), Some(&p), Some(&w2)),
    );
    let kinds: Vec<(Kind, Level, &str)> = r
        .changes
        .iter()
        .map(|c| (c.kind, c.level, c.item.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                Kind::WaiterAdded,
                Level::Minor,
                "Client::wait_until_thing_gone"
            ),
            (
                Kind::WaiterChanged,
                Level::Patch,
                "Client::wait_until_thing_exists"
            ),
        ]
    );
    let r = diff(
        &svc(&base(), Some(&p), Some(&w2)),
        &svc(&base(), Some(&p), Some(&w)),
    );
    assert!(
        r.changes
            .iter()
            .any(|c| c.kind == Kind::WaiterRemoved && c.level == Level::Major)
    );
}

#[test]
fn protocol_changes() {
    // json stays botocore's first choice: only a new option.
    let r = changed(|m| {
        m["metadata"]["protocols"] = json!(["smithy-rpc-v2-cbor", "json"]);
    });
    assert_change(&r, Kind::ProtocolAdded, Level::Minor, "service");
    // query -> json as the default (the model lists both).
    let old = {
        let mut m = base();
        m["metadata"]["protocols"] = json!(["query"]);
        m
    };
    let mut new = base();
    new["metadata"]["protocols"] = json!(["json", "query"]);
    let r = diff_full(&old, &new, Some(&paginators()), Some(&paginators()));
    let kinds: Vec<(Kind, Level)> = r.changes.iter().map(|c| (c.kind, c.level)).collect();
    assert_eq!(
        kinds,
        [
            (Kind::ProtocolChanged, Level::Minor),
            (Kind::ProtocolAdded, Level::Minor)
        ]
    );
    let old = {
        let mut m = base();
        m["metadata"]["protocols"] = json!(["json", "query"]);
        m
    };
    let r = diff_full(&old, &base(), Some(&paginators()), Some(&paginators()));
    assert_change(&r, Kind::ProtocolRemoved, Level::Major, "service");
}

#[test]
fn auth_changes() {
    let r = changed(|m| m["metadata"]["auth"] = json!(["aws.auth#sigv4a", "aws.auth#sigv4"]));
    assert_change(&r, Kind::AuthAdded, Level::Minor, "service");
    let r = changed(|m| m["metadata"]["auth"] = json!(["smithy.api#httpBearerAuth"]));
    let kinds: Vec<(Kind, Level)> = r.changes.iter().map(|c| (c.kind, c.level)).collect();
    assert_eq!(
        kinds,
        [
            (Kind::AuthRemoved, Level::Major),
            (Kind::AuthAdded, Level::Minor)
        ]
    );
    // No `auth` means SigV4 to the runtime: naming it changes nothing.
    let r = changed(|m| {
        m["metadata"].as_object_mut().unwrap().remove("auth");
    });
    assert!(r.is_empty(), "{}", r.to_text(None));
    // Per operation.
    let r = changed(|m| m["operations"]["ListThings"]["auth"] = json!(["smithy.api#noAuth"]));
    assert!(
        r.changes
            .iter()
            .any(|c| c.kind == Kind::AuthRemoved && c.item == "ThingsApi::list_things")
    );
}

#[test]
fn service_level_changes() {
    let r = changed(|m| m["metadata"]["serviceId"] = json!("Thing Store"));
    assert_change(&r, Kind::ServiceRenamed, Level::Major, "ThingsApi");
    let r = changed(|m| m["metadata"]["targetPrefix"] = json!("ThingsV2"));
    assert_change(&r, Kind::ServiceWireChanged, Level::Patch, "service");
    let r = changed(|m| m["metadata"]["apiVersion"] = json!("2025-01-01"));
    assert_change(&r, Kind::ApiVersionChanged, Level::Patch, "service");
}

#[test]
fn wire_details_are_patch() {
    let r = changed(|m| {
        shape(m, "GetThingInput")["members"]["Size"]["locationName"] = json!("size");
    });
    assert_change(
        &r,
        Kind::MemberWireChanged,
        Level::Patch,
        "types::GetThingInput.size",
    );
    let r = changed(|m| m["operations"]["GetThing"]["http"]["requestUri"] = json!("/things"));
    assert_change(
        &r,
        Kind::OperationWireChanged,
        Level::Patch,
        "ThingsApi::get_thing",
    );
    let r = changed(|m| shape(m, "NotFound")["error"] = json!({"httpStatusCode": 404}));
    assert_change(&r, Kind::ErrorInfoChanged, Level::Patch, "types::NotFound");
}

#[test]
fn deprecation_and_sensitivity() {
    let r = changed(|m| {
        shape(m, "GetThingOutput")["members"]["State"]["deprecated"] = json!(true);
    });
    assert_change(
        &r,
        Kind::Deprecated,
        Level::Minor,
        "types::GetThingOutput.state",
    );
    let r = changed(|m| m["operations"]["GetThing"]["deprecated"] = json!(true));
    assert_change(&r, Kind::Deprecated, Level::Minor, "ThingsApi::get_thing");
    let r = changed(|m| shape(m, "Name")["sensitive"] = json!(true));
    assert_eq!(
        (only(&r).kind, only(&r).level),
        (Kind::RedactionChanged, Level::Patch)
    );
}

#[test]
fn inputs_and_errors_gain_or_lose_impls() {
    // `ListThingsInput` stops being an input (the operation takes another one).
    let r = changed(|m| {
        m["operations"]["ListThings"]["input"] = json!({"shape": "ListThingsRequest"});
        shape(m, "ListThingsRequest").clone_from(&json!({
            "type": "structure", "members": {"Next": {"shape": "ListThingsInput"}}
        }));
    });
    let c = r
        .changes
        .iter()
        .find(|c| c.kind == Kind::ValidateRemoved)
        .expect("validate removed");
    assert_eq!(
        (c.level, c.item.as_str()),
        (Level::Major, "types::ListThingsInput")
    );
    assert!(
        r.changes
            .iter()
            .any(|c| c.kind == Kind::OperationInputChanged)
    );
    let r = changed(|m| {
        m["operations"]["GetThing"]["errors"] =
            json!([{"shape": "NotFound"}, {"shape": "ListThingsOutput"}]);
    });
    assert!(
        r.changes
            .iter()
            .any(|c| c.kind == Kind::ErrorTraitsAdded && c.level == Level::Minor)
    );
}

#[test]
fn endpoint_rule_sets_are_compared_beside_the_models() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = |params: Value| json!({"version": "1.0", "parameters": params, "rules": []});
    let old = write_model(&dir.path().join("old"), &base(), None, None);
    let new = write_model(&dir.path().join("new"), &base(), None, None);
    std::fs::write(
        dir.path().join("old/endpoint-rule-set-1.json"),
        rules(json!({"Region": {"type": "String"}})).to_string(),
    )
    .unwrap();
    // Same JSON, other formatting and gzipped: no change.
    let same = serde_json::to_string_pretty(&rules(json!({"Region": {"type": "String"}}))).unwrap();
    let gz = dir.path().join("new/endpoint-rule-set-1.json.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, same.as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    assert!(diff_files(&old, &new).unwrap().is_empty());
    std::fs::remove_file(&gz).unwrap();
    std::fs::write(
        dir.path().join("new/endpoint-rule-set-1.json"),
        rules(json!({"Region": {"type": "String"}, "UseFIPS": {"type": "Boolean"}})).to_string(),
    )
    .unwrap();
    let r = diff_files(&old, &new).unwrap();
    assert_change(
        &r,
        Kind::EndpointRulesChanged,
        Level::Patch,
        "endpoint rule set",
    );
    assert!(only(&r).detail.contains("parameters added: `UseFIPS`"));
}

#[test]
fn renderings() {
    let r = changed(|m| {
        shape(m, "Color")["enum"] = json!(["RED", "GREEN", "BLUE"]);
        shape(m, "GetThingOutput")["members"]
            .as_object_mut()
            .unwrap()
            .remove("State");
        shape(m, "Name")["documentation"] = json!("<p>A name.</p>");
    });
    let text = r.to_text(Some("0.4.2"));
    assert!(
        text.contains(
            "breaking (major): 1\n  ! types::GetThingOutput.state: field removed [member_removed]"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "compatible additions (minor): 1\n  + types::Color::Blue: new value \"BLUE\""
        ),
        "{text}"
    );
    assert!(
        text.ends_with(
            "documentation: 1 item(s) changed (not listed)\nsemver: major (0.4.2 -> 0.5.0)\n"
        ),
        "{text}"
    );
    let json: Value = serde_json::from_str(&r.to_json()).expect("JSON");
    assert_eq!(json["level"], "major");
    assert_eq!(json["counts"], json!({"major": 1, "minor": 1, "patch": 0}));
    assert_eq!(json["documentation_changes"], 1);
    assert_eq!(json["changes"][0]["kind"], "member_removed");
    assert_eq!(json["changes"][0]["item"], "types::GetThingOutput.state");
    assert_eq!(json["changes"][0]["model"], "GetThingOutput$State");
    assert_eq!(json["changes"][1]["level"], "minor");
    let entry = r.changelog_entry("0.5.0", "2026-12-03", "Models from botocore 1.44.5.");
    assert!(
        entry.starts_with(
            "## 0.5.0 (2026-12-03)\n\nModels from botocore 1.44.5.\n\nSemver: breaking (major)"
        ),
        "{entry}"
    );
    assert!(
        entry.contains("### Breaking\n\n- `types::GetThingOutput.state`: field removed\n"),
        "{entry}"
    );
    assert!(
        entry.contains("### Added\n\n- `types::Color::Blue`: new value \"BLUE\""),
        "{entry}"
    );
    assert!(entry.contains("Documentation changed for 1 item(s)."));
}

/// The compat fixture (`codegen/tests/fixtures/compat`): every change in it
/// is non-breaking, it has one of each non-breaking kind, and its probe is
/// fresh. The workspace builds `probe-old` and `probe-new` from that probe,
/// which is the compiler's check of these verdicts.
#[test]
fn compat_fixture_is_non_breaking_covers_each_kind_and_is_fresh() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compat");
    let model = |side: &str| dir.join("models").join(side).join("service-2.json");
    let r = diff_files(&model("old"), &model("new")).expect("pair diffs");
    assert_eq!(r.counts.major, 0, "{}", r.to_text(None));
    let kinds: std::collections::BTreeSet<Kind> = r.changes.iter().map(|c| c.kind).collect();
    for k in [
        Kind::OperationAdded,
        Kind::PaginatorAdded,
        Kind::WaiterAdded,
        Kind::WaiterChanged,
        Kind::ErrorAdded,
        Kind::TypeAdded,
        Kind::MemberAdded,
        Kind::EnumValueAdded,
        Kind::VariantAdded,
        Kind::ConstraintTightened,
        Kind::ConstraintRelaxed,
        Kind::Deprecated,
        Kind::MemberWireChanged,
        Kind::RedactionChanged,
        Kind::ErrorInfoChanged,
        Kind::ProtocolAdded,
        Kind::AuthAdded,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing:\n{}", r.to_text(None));
    }
    assert!(r.documentation_changes > 0);
    let old = load(&GenerateOptions::new(ModelSource::Path(model("old")))).unwrap();
    let opts = botogen::diff::probe::ProbeOptions {
        alias: "svc".into(),
        skip: botogen::diff::probe::breaking_items(&r),
        note: "Built by `probe-old` against the old model's crate and by `probe-new` against the new one's.".into(),
        invert: false,
    };
    assert!(opts.skip.is_empty());
    // Labels are relative to the repository root, as `cargo xtask codegen` gives them.
    let label = "codegen/tests/fixtures/compat/models/old/service-2.json";
    let probe = botogen::diff::probe::probe_file(&old, &opts, label).unwrap();
    let on_disk = std::fs::read_to_string(dir.join("probe.rs")).unwrap();
    assert_eq!(
        probe.source, on_disk,
        "stale probe: run `cargo xtask codegen`"
    );
    // Every item of the old API is probed: service, 11 types, 3 operations, a paginator, a waiter.
    assert_eq!(
        probe.functions.len(),
        1 + 11 + 3 + 1 + 1,
        "{:?}",
        probe.functions
    );
}
