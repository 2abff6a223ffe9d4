//! Tests of the XML-family protocols (query, ec2, rest-xml) through the
//! public entry points, with hand-written fixtures shaped like generated
//! code: static shapes plus structs implementing [`Struct`].

use super::{
    ErrorMatch, HttpResponse, parse_error_body, parse_error_envelope, parse_response,
    serialize_request,
};
use crate::schema::{
    ErrorInfo, ListShape, Location, MapShape, Member, Operation, Protocol, Service, Shape,
    ShapeKind, StructShape, TimestampFormat, XmlNamespace,
};
use crate::types::{Blob, DateTime};
use crate::value::{Struct, Value};
use std::collections::HashMap;

static STRING: Shape = Shape::new("String", ShapeKind::String);
static INTEGER: Shape = Shape::new("Integer", ShapeKind::Integer);
static BOOLEAN: Shape = Shape::new("Boolean", ShapeKind::Boolean);
static DOUBLE: Shape = Shape::new("Double", ShapeKind::Double);
static FLOAT: Shape = Shape::new("Float", ShapeKind::Float);
static BLOB: Shape = Shape::new("Blob", ShapeKind::Blob);
static TIMESTAMP: Shape = Shape::new("Timestamp", ShapeKind::Timestamp);
static EPOCH: Shape = Shape {
    timestamp_format: Some(TimestampFormat::UnixTimestamp),
    ..Shape::new("Epoch", ShapeKind::Timestamp)
};
static ITEM_LIST: Shape = Shape::new(
    "ItemList",
    ShapeKind::List(&ListShape {
        member: Member {
            location_name: Some("item"),
            ..Member::new("member", &STRING)
        },
        sparse: false,
    }),
);
static PLAIN_LIST: Shape = Shape::new(
    "PlainList",
    ShapeKind::List(&ListShape {
        member: Member::new("member", &STRING),
        sparse: false,
    }),
);
static ATTR_MAP: Shape = Shape::new(
    "AttrMap",
    ShapeKind::Map(&MapShape {
        key: Member {
            location_name: Some("Name"),
            ..Member::new("key", &STRING)
        },
        value: Member {
            location_name: Some("Value"),
            ..Member::new("value", &INTEGER)
        },
        sparse: false,
    }),
);

/// A recursive structure, boxed like the generator boxes recursion.
static NODE: Shape = Shape::new(
    "Node",
    ShapeKind::Structure(&StructShape {
        members: &[Member::new("Name", &STRING), Member::new("Next", &NODE)],
        payload: None,
    }),
);

#[derive(Debug, Default, Clone, PartialEq)]
struct Node {
    name: Option<String>,
    next: Option<Box<Node>>,
}

impl crate::value::Blank for Node {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for Node {
    fn shape(&self) -> &'static Shape {
        &NODE
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.name,
            1 => &self.next,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.name,
            1 => &mut self.next,
            _ => return None,
        })
    }
}

static RECORD: Shape = Shape::new(
    "Record",
    ShapeKind::Structure(&StructShape {
        members: &[
            Member {
                location_name: Some("name"),
                ..Member::new("Name", &STRING)
            },
            Member::new("Count", &INTEGER),
            Member::new("Enabled", &BOOLEAN),
            Member::new("Ratio", &DOUBLE),
            Member::new("Small", &FLOAT),
            Member::new("Data", &BLOB),
            Member::new("When", &TIMESTAMP),
            Member::new("Epoch", &EPOCH),
            Member::new("Items", &ITEM_LIST),
            Member {
                flattened: true,
                location_name: Some("Value"),
                ..Member::new("Values", &PLAIN_LIST)
            },
            Member::new("Attrs", &ATTR_MAP),
            Member::new("Child", &NODE),
            Member {
                idempotency_token: true,
                ..Member::new("Token", &STRING)
            },
        ],
        payload: None,
    }),
);

#[derive(Debug, Default, Clone, PartialEq)]
struct Record {
    name: Option<String>,
    count: Option<i32>,
    enabled: Option<bool>,
    ratio: Option<f64>,
    small: Option<f32>,
    data: Option<Blob>,
    when: Option<DateTime>,
    epoch: Option<DateTime>,
    items: Option<Vec<String>>,
    values: Option<Vec<String>>,
    attrs: Option<HashMap<String, i32>>,
    child: Option<Node>,
    token: Option<String>,
}

impl crate::value::Blank for Record {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for Record {
    fn shape(&self) -> &'static Shape {
        &RECORD
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.name,
            1 => &self.count,
            2 => &self.enabled,
            3 => &self.ratio,
            4 => &self.small,
            5 => &self.data,
            6 => &self.when,
            7 => &self.epoch,
            8 => &self.items,
            9 => &self.values,
            10 => &self.attrs,
            11 => &self.child,
            12 => &self.token,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.name,
            1 => &mut self.count,
            2 => &mut self.enabled,
            3 => &mut self.ratio,
            4 => &mut self.small,
            5 => &mut self.data,
            6 => &mut self.when,
            7 => &mut self.epoch,
            8 => &mut self.items,
            9 => &mut self.values,
            10 => &mut self.attrs,
            11 => &mut self.child,
            12 => &mut self.token,
            _ => return None,
        })
    }
}

static FAULT: Shape = Shape {
    error: Some(ErrorInfo {
        code: "Fault.Code",
        http_status: Some(400),
        sender_fault: true,
        retryable: false,
        throttling: false,
    }),
    ..Shape::new(
        "FaultShape",
        ShapeKind::Structure(&StructShape {
            members: &[
                Member::new("Message", &STRING),
                Member::new("Detail", &NODE),
                Member {
                    location: Location::Header,
                    location_name: Some("x-detail"),
                    ..Member::new("HeaderDetail", &STRING)
                },
            ],
            payload: None,
        }),
    )
};

#[derive(Debug, Default, Clone, PartialEq)]
struct Fault {
    message: Option<String>,
    detail: Option<Node>,
    header_detail: Option<String>,
}

impl crate::value::Blank for Fault {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for Fault {
    fn shape(&self) -> &'static Shape {
        &FAULT
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.message,
            1 => &self.detail,
            2 => &self.header_detail,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.message,
            1 => &mut self.detail,
            2 => &mut self.header_detail,
            _ => return None,
        })
    }
}

static OTHER_FAULT: Shape = Shape::new(
    "OtherFault",
    ShapeKind::Structure(&StructShape {
        members: &[],
        payload: None,
    }),
);

static OP: Operation = Operation {
    name: "DoThing",
    http_method: "POST",
    request_uri: "/",
    response_code: 200,
    input: &RECORD,
    output: &RECORD,
    input_location_name: None,
    input_xml_namespace: None,
    result_wrapper: Some("DoThingResult"),
    errors: &[&OTHER_FAULT, &FAULT],
    idempotent: false,
    readonly: false,
    host_prefix: None,
    auth: &[],
    checksum_required: false,
    http_checksum: None,
    request_compression: &[],
    event_stream: false,
    deprecated: false,
    context_params: &[],
};

static REST_OP: Operation = Operation {
    http_method: "PUT",
    request_uri: "/things",
    input_location_name: Some("DoThingRequest"),
    input_xml_namespace: Some(XmlNamespace {
        uri: "https://example.com/doc/",
        prefix: None,
    }),
    result_wrapper: None,
    ..OP
};

static SERVICE: Service = Service {
    service_id: "Test",
    api_version: "2020-01-08",
    protocol: Protocol::Query,
    protocols: &[Protocol::Query],
    json_version: "",
    target_prefix: "",
    endpoint_prefix: "test",
    signing_name: "test",
    global_endpoint: None,
    xml_namespace: None,
    aws_query_compatible: false,
    auth: &[],
    target_service: "",
    errors: &[],
    endpoint_rules: None,
};

fn response(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("x-detail".into(), "from header".into())],
        body: body.as_bytes().to_vec(),
    }
}

fn sample() -> Record {
    Record {
        name: Some("a b&c".into()),
        count: Some(3),
        enabled: Some(false),
        ratio: Some(f64::NAN),
        small: Some(1.1),
        data: Some(Blob::from("value")),
        when: Some(DateTime::from_secs(1_422_172_800)),
        epoch: Some(DateTime::from_secs_and_nanos(1, 500_000_000)),
        items: Some(vec!["x".into(), "y".into()]),
        values: Some(vec![]),
        attrs: Some(HashMap::from([("b".into(), 2), ("a".into(), 1)])),
        child: Some(Node {
            name: Some("n1".into()),
            next: Some(Box::new(Node {
                name: Some("n2".into()),
                next: None,
            })),
        }),
        token: Some("tok".into()),
    }
}

fn body_text(protocol: Protocol, op: &Operation, input: &Record) -> String {
    let req = serialize_request(&SERVICE, protocol, op, input).expect("serializes");
    String::from_utf8(req.body).expect("UTF-8 body")
}

#[test]
fn query_form_body_covers_every_kind() {
    let body = body_text(Protocol::Query, &OP, &sample());
    assert_eq!(
        body,
        "Action=DoThing&Version=2020-01-08&name=a%20b%26c&Count=3&Enabled=false&Ratio=NaN\
         &Small=1.1&Data=dmFsdWU%3D&When=2015-01-25T08%3A00%3A00Z&Epoch=1.5\
         &Items.item.1=x&Items.item.2=y&Value=\
         &Attrs.entry.1.Name=a&Attrs.entry.1.Value=1&Attrs.entry.2.Name=b&Attrs.entry.2.Value=2\
         &Child.Name=n1&Child.Next.Name=n2&Token=tok"
    );
}

#[test]
fn ec2_form_body_capitalizes_and_flattens() {
    let mut input = sample();
    input.attrs = None;
    input.values = Some(vec!["v".into()]);
    let body = body_text(Protocol::Ec2, &OP, &input);
    assert_eq!(
        body,
        "Action=DoThing&Version=2020-01-08&Name=a%20b%26c&Count=3&Enabled=false&Ratio=NaN\
         &Small=1.1&Data=dmFsdWU%3D&When=2015-01-25T08%3A00%3A00Z&Epoch=1.5\
         &Items.1=x&Items.2=y&Value.1=v&Child.Name=n1&Child.Next.Name=n2&Token=tok"
    );
}

#[test]
fn form_request_line_and_headers() {
    let req = serialize_request(&SERVICE, Protocol::Query, &OP, &Record::default()).expect("ok");
    assert_eq!(req.method, "POST");
    assert_eq!(req.uri, "/");
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    let body = String::from_utf8(req.body).expect("UTF-8");
    // An unset idempotency token is filled with a UUID.
    let token = body
        .strip_prefix("Action=DoThing&Version=2020-01-08&Token=")
        .expect("only the token is set");
    assert_eq!(token.len(), 36);
}

const QUERY_RESPONSE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DoThingResponse xmlns="https://example.com/">
  <DoThingResult>
    <name>caf&#xE9; &amp; <![CDATA[<raw>]]></name>
    <Count>-7</Count>
    <Enabled>true</Enabled>
    <Ratio>-Infinity</Ratio>
    <Small>2.5</Small>
    <Data>dmFs
      dWU=</Data>
    <When>2019-12-16T22:48:18.123-01:00</When>
    <Epoch>1.5</Epoch>
    <Items><item>x</item><item/></Items>
    <Unknown><Deep><Deeper>ignored</Deeper></Deep></Unknown>
    <Value>v1</Value>
    <Value>v2</Value>
    <Attrs>
      <entry><Name>a</Name><Value>1</Value></entry>
      <entry><Name>b</Name><Value>2</Value></entry>
    </Attrs>
    <Child><Name>n1</Name><Next><Name>n2</Name></Next></Child>
  </DoThingResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</DoThingResponse>
"#;

#[test]
fn query_response_fills_every_kind() {
    let mut out = Record::default();
    parse_response(
        &SERVICE,
        Protocol::Query,
        &OP,
        &response(200, QUERY_RESPONSE),
        &mut out,
    )
    .expect("parses");
    assert_eq!(out.name.as_deref(), Some("café & <raw>"));
    assert_eq!(out.count, Some(-7));
    assert_eq!(out.enabled, Some(true));
    assert_eq!(out.ratio, Some(f64::NEG_INFINITY));
    assert_eq!(out.small, Some(2.5));
    assert_eq!(out.data, Some(Blob::from("value")));
    assert_eq!(
        out.when,
        Some(DateTime::from_secs_and_nanos(1_576_540_098, 123_000_000))
    );
    assert_eq!(
        out.epoch,
        Some(DateTime::from_secs_and_nanos(1, 500_000_000))
    );
    assert_eq!(out.items, Some(vec!["x".to_owned(), String::new()]));
    assert_eq!(out.values, Some(vec!["v1".to_owned(), "v2".to_owned()]));
    assert_eq!(
        out.attrs,
        Some(HashMap::from([("a".into(), 1), ("b".into(), 2)]))
    );
    assert_eq!(
        out.child,
        Some(Node {
            name: Some("n1".into()),
            next: Some(Box::new(Node {
                name: Some("n2".into()),
                next: None
            })),
        })
    );
    assert_eq!(out.token, None);
}

#[test]
fn ec2_response_reads_root_children_and_empty_containers() {
    let body = "<DoThingResponse><requestId>r</requestId><Items/><Attrs></Attrs>\
                <name></name></DoThingResponse>";
    let mut out = Record::default();
    parse_response(&SERVICE, Protocol::Ec2, &OP, &response(200, body), &mut out).expect("ok");
    assert_eq!(out.items, Some(vec![]));
    assert_eq!(out.attrs, Some(HashMap::new()));
    assert_eq!(out.name.as_deref(), Some(""));
    assert_eq!(out.count, None);
}

#[test]
fn empty_bodies_leave_defaults() {
    for body in ["", "  \n", "<xml/>", "<DoThingResponse/>"] {
        let mut out = Record::default();
        for protocol in [Protocol::Query, Protocol::Ec2, Protocol::RestXml] {
            parse_response(&SERVICE, protocol, &REST_OP, &response(200, body), &mut out)
                .unwrap_or_else(|e| panic!("{body:?}: {e}"));
        }
        assert_eq!(out, Record::default(), "{body:?}");
    }
}

#[test]
fn malformed_xml_is_an_error_not_a_panic() {
    let deep = format!("<a>{}{}</a>", "<b>".repeat(10_000), "</b>".repeat(10_000));
    let cases: Vec<Vec<u8>> = vec![
        b"<DoThingResponse><name>x</nam></DoThingResponse>".to_vec(),
        b"<DoThingResponse><name>x</name>".to_vec(),
        b"<DoThingResponse><name>&bogus;</name></DoThingResponse>".to_vec(),
        b"<DoThingResponse><name>a & b</name></DoThingResponse>".to_vec(),
        b"<DoThingResponse><name>\xff\xfe</name></DoThingResponse>".to_vec(),
        b"<DoThingResponse></DoThingResponse><second/>".to_vec(),
        b"text before <DoThingResponse/>".to_vec(),
        b"<DoThingResponse><Count>12x</Count></DoThingResponse>".to_vec(),
        b"<DoThingResponse><Count>99999999999</Count></DoThingResponse>".to_vec(),
        b"<DoThingResponse><Enabled>yes</Enabled></DoThingResponse>".to_vec(),
        b"<DoThingResponse><Data>!!!</Data></DoThingResponse>".to_vec(),
        b"<DoThingResponse><When>yesterday</When></DoThingResponse>".to_vec(),
        b"<DoThingResponse><Attrs><entry><Value>1</Value></entry></Attrs></DoThingResponse>"
            .to_vec(),
        deep.into_bytes(),
    ];
    for body in cases {
        let resp = HttpResponse {
            status: 200,
            headers: vec![],
            body: body.clone(),
        };
        for protocol in [Protocol::Query, Protocol::Ec2, Protocol::RestXml] {
            let mut out = Record::default();
            let res = parse_response(&SERVICE, protocol, &REST_OP, &resp, &mut out);
            assert!(
                res.is_err(),
                "{protocol:?} accepted {:?}",
                String::from_utf8_lossy(&body)
            );
        }
    }
}

#[test]
fn query_error_envelope_and_body() {
    let body = "<ErrorResponse><Error><Type>Sender</Type><Code>Fault.Code</Code>\
                <Message>bad thing</Message><Detail><Name>d</Name></Detail></Error>\
                <RequestId>req-9</RequestId></ErrorResponse>";
    let resp = response(400, body);
    let env = parse_error_envelope(&SERVICE, Protocol::Query, &OP, &resp).expect("envelope");
    assert_eq!(env.code, "Fault.Code");
    assert_eq!(env.message.as_deref(), Some("bad thing"));
    assert_eq!(env.request_id.as_deref(), Some("req-9"));
    assert_eq!(env.matched, Some(ErrorMatch::Operation(1)));
    let mut fault = Fault::default();
    parse_error_body(Protocol::Query, &resp, &mut fault).expect("body");
    assert_eq!(fault.message.as_deref(), Some("bad thing"));
    assert_eq!(fault.detail.and_then(|d| d.name).as_deref(), Some("d"));
    // Headers are not part of the query protocol.
    assert_eq!(fault.header_detail, None);
}

#[test]
fn ec2_error_envelope_and_body() {
    let body = "<Response><Errors><Error><Code>OtherFault</Code><Message>m</Message>\
                </Error></Errors><RequestID>req-2</RequestID></Response>";
    let resp = response(400, body);
    let env = parse_error_envelope(&SERVICE, Protocol::Ec2, &OP, &resp).expect("envelope");
    assert_eq!(env.code, "OtherFault");
    assert_eq!(env.matched, Some(ErrorMatch::Operation(0)));
    assert_eq!(env.request_id.as_deref(), Some("req-2"));
    let unknown = "<Response><Errors><Error><Code>Nope</Code></Error></Errors></Response>";
    let env = parse_error_envelope(&SERVICE, Protocol::Ec2, &OP, &response(400, unknown))
        .expect("envelope");
    assert_eq!((env.code.as_str(), env.matched), ("Nope", None));
}

#[test]
fn rest_xml_errors_s3_style_and_empty() {
    let body = "<Error><Code>Fault.Code</Code><Message>m</Message><RequestId>r3</RequestId>\
                <Detail><Name>d</Name></Detail></Error>";
    let resp = response(404, body);
    let env = parse_error_envelope(&SERVICE, Protocol::RestXml, &REST_OP, &resp).expect("env");
    assert_eq!(
        (env.code.as_str(), env.request_id.as_deref(), env.matched),
        ("Fault.Code", Some("r3"), Some(ErrorMatch::Operation(1)))
    );
    let mut fault = Fault::default();
    parse_error_body(Protocol::RestXml, &resp, &mut fault).expect("body");
    assert_eq!(fault.header_detail.as_deref(), Some("from header"));
    assert_eq!(fault.detail.and_then(|d| d.name).as_deref(), Some("d"));

    let mut empty = response(404, "");
    empty
        .headers
        .push(("x-amz-request-id".into(), "hdr-id".into()));
    let env = parse_error_envelope(&SERVICE, Protocol::RestXml, &REST_OP, &empty).expect("env");
    assert_eq!(env.code, "404");
    assert_eq!(env.request_id.as_deref(), Some("hdr-id"));
}

#[test]
fn rest_xml_body_round_trips() {
    let mut input = sample();
    input.ratio = Some(0.25);
    input.values = Some(vec!["v1".into(), "v2".into()]);
    let req = serialize_request(&SERVICE, Protocol::RestXml, &REST_OP, &input).expect("ok");
    assert_eq!(req.method, "PUT");
    assert_eq!(req.uri, "/things");
    assert_eq!(req.header("Content-Type"), Some("application/xml"));
    let text = String::from_utf8(req.body.clone()).expect("UTF-8");
    assert!(
        text.starts_with(
            "<DoThingRequest xmlns=\"https://example.com/doc/\"><name>a b&amp;c</name>"
        ),
        "{text}"
    );
    assert!(
        text.contains("<Value>v1</Value><Value>v2</Value>"),
        "{text}"
    );
    assert!(
        text.contains("<Attrs><entry><Name>a</Name><Value>1</Value></entry>"),
        "{text}"
    );
    let mut back = Record::default();
    let resp = HttpResponse {
        status: 200,
        headers: vec![],
        body: req.body,
    };
    parse_response(&SERVICE, Protocol::RestXml, &REST_OP, &resp, &mut back).expect("parses");
    assert_eq!(back, input);
}

#[test]
fn rest_xml_sends_no_body_without_body_members() {
    // The token is a body member and would always be sent; check a struct
    // whose only set member is bound elsewhere instead.
    let req = serialize_request(&SERVICE, Protocol::RestXml, &REST_OP, &Node::default());
    let req = req.expect("ok");
    assert!(req.body.is_empty());
    assert_eq!(req.header("Content-Type"), None);
}

#[test]
fn unreadable_error_bodies_fall_back_to_the_status() {
    for body in ["<html><body>Bad gateway</body>", "Service Unavailable"] {
        for protocol in [Protocol::Query, Protocol::Ec2, Protocol::RestXml] {
            let env = parse_error_envelope(&SERVICE, protocol, &OP, &response(502, body))
                .expect("an envelope");
            assert_eq!((env.code.as_str(), env.matched), ("502", None));
        }
    }
}

/// Mutated documents (bytes flipped, cut short, duplicated) must parse or
/// fail cleanly, never panic.
#[test]
fn mutated_documents_never_panic() {
    let base = QUERY_RESPONSE.as_bytes();
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let specials = [b'<', b'>', b'/', b'&', b';', b'"', b'=', 0xff, 0xc3, b'#'];
    let mut failures = 0;
    for round in 0..1000 {
        let mut doc = base.to_vec();
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % doc.len();
            match next() % 4 {
                0 => doc[at] = specials[(next() as usize) % specials.len()],
                1 => doc.truncate(at.max(1)),
                2 => {
                    let len = (next() as usize % 40).min(doc.len() - at);
                    let piece = doc[at..at + len].to_vec();
                    doc.splice(at..at, piece);
                }
                _ => {
                    doc.remove(at);
                }
            }
            if doc.is_empty() {
                break;
            }
        }
        let resp = HttpResponse {
            status: if round % 2 == 0 { 200 } else { 400 },
            headers: vec![],
            body: doc,
        };
        for protocol in [Protocol::Query, Protocol::Ec2, Protocol::RestXml] {
            let mut out = Record::default();
            failures +=
                usize::from(parse_response(&SERVICE, protocol, &OP, &resp, &mut out).is_err());
            let _ = parse_error_envelope(&SERVICE, protocol, &OP, &resp);
            let mut fault = Fault::default();
            let _ = parse_error_body(protocol, &resp, &mut fault);
        }
    }
    // Most mutations break the document; the parser must have noticed.
    assert!(
        failures > 1000,
        "only {failures} mutated documents were rejected"
    );
}

#[test]
fn rest_xml_root_named_after_a_scalar_member_is_its_value() {
    let body = "<name xmlns=\"https://example.com/\">eu-west-1</name>";
    let mut out = Record::default();
    parse_response(
        &SERVICE,
        Protocol::RestXml,
        &REST_OP,
        &response(200, body),
        &mut out,
    )
    .expect("parses");
    assert_eq!(out.name.as_deref(), Some("eu-west-1"));
    // A structure root is still read as the structure, not as a member.
    let body = "<Child><name>inner</name></Child>";
    let mut out = Record::default();
    parse_response(
        &SERVICE,
        Protocol::RestXml,
        &REST_OP,
        &response(200, body),
        &mut out,
    )
    .expect("parses");
    assert_eq!((out.name.as_deref(), out.child), (Some("inner"), None));
}
