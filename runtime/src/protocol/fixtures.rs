//! Hand-written test fixtures shaped like generated code (structs, a union,
//! static shapes and operations) for the JSON-family protocol unit tests.

use crate::schema::*;
use crate::types::{Blob, DateTime, Document};
use crate::value::{Struct, Value};
use std::collections::HashMap;

pub static STRING: Shape = Shape::new("String", ShapeKind::String);
pub static INTEGER: Shape = Shape::new("Integer", ShapeKind::Integer);
pub static FLOAT: Shape = Shape::new("Float", ShapeKind::Float);
pub static BLOB: Shape = Shape::new("Blob", ShapeKind::Blob);
pub static TIMESTAMP: Shape = Shape::new("Timestamp", ShapeKind::Timestamp);
pub static DOCUMENT: Shape = Shape::new("Document", ShapeKind::Document);
pub static ISO_TIMESTAMP: Shape = Shape {
    timestamp_format: Some(TimestampFormat::Iso8601),
    ..Shape::new("IsoTimestamp", ShapeKind::Timestamp)
};

pub static STRING_LIST: Shape = Shape::new(
    "StringList",
    ShapeKind::List(&ListShape {
        member: Member::new("member", &STRING),
        sparse: false,
    }),
);
pub static SPARSE_STRING_LIST: Shape = Shape::new(
    "SparseStringList",
    ShapeKind::List(&ListShape {
        member: Member::new("member", &STRING),
        sparse: true,
    }),
);
pub static STRING_MAP: Shape = Shape::new(
    "StringMap",
    ShapeKind::Map(&MapShape {
        key: Member::new("key", &STRING),
        value: Member::new("value", &STRING),
        sparse: false,
    }),
);
pub static TIMESTAMP_LIST: Shape = Shape::new(
    "TimestampList",
    ShapeKind::List(&ListShape {
        member: Member::new("member", &TIMESTAMP),
        sparse: false,
    }),
);
pub static ATTR_LIST: Shape = Shape::new(
    "AttrList",
    ShapeKind::List(&ListShape {
        member: Member::new("member", &ATTR_VALUE),
        sparse: false,
    }),
);
pub static ATTR_MAP: Shape = Shape::new(
    "AttrMap",
    ShapeKind::Map(&MapShape {
        key: Member::new("key", &STRING),
        value: Member::new("value", &ATTR_VALUE),
        sparse: false,
    }),
);

/// A DynamoDB-like attribute value union.
pub static ATTR_VALUE: Shape = Shape::new(
    "AttrValue",
    ShapeKind::Union(&StructShape {
        members: &[
            Member::new("S", &STRING),
            Member::new("N", &STRING),
            Member::new("L", &ATTR_LIST),
            Member::new("M", &ATTR_MAP),
        ],
        payload: None,
    }),
);

#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    S(String),
    N(String),
    L(Vec<AttrValue>),
    M(HashMap<String, AttrValue>),
    Unknown(String),
}

impl Default for AttrValue {
    fn default() -> AttrValue {
        AttrValue::Unknown(String::new())
    }
}

impl crate::value::Blank for AttrValue {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for AttrValue {
    fn shape(&self) -> &'static Shape {
        &ATTR_VALUE
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match (i, self) {
            (0, AttrValue::S(v)) => v,
            (1, AttrValue::N(v)) => v,
            (2, AttrValue::L(v)) => v,
            (3, AttrValue::M(v)) => v,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        let active = matches!(
            (i, &*self),
            (0, AttrValue::S(_))
                | (1, AttrValue::N(_))
                | (2, AttrValue::L(_))
                | (3, AttrValue::M(_))
        );
        if !active {
            *self = match i {
                0 => AttrValue::S(String::new()),
                1 => AttrValue::N(String::new()),
                2 => AttrValue::L(Vec::new()),
                3 => AttrValue::M(HashMap::new()),
                _ => return None,
            };
        }
        Some(match self {
            AttrValue::S(v) | AttrValue::N(v) => v,
            AttrValue::L(v) => v,
            AttrValue::M(v) => v,
            AttrValue::Unknown(_) => return None,
        })
    }
    fn set_unknown_variant(&mut self, name: &str) {
        *self = AttrValue::Unknown(name.to_owned());
    }
}

pub static ITEM: Shape = Shape::new(
    "Item",
    ShapeKind::Structure(&StructShape {
        members: &[
            Member {
                required: true,
                ..Member::new("Name", &STRING)
            },
            Member {
                location_name: Some("count"),
                ..Member::new("Count", &INTEGER)
            },
            Member::new("Ratio", &FLOAT),
            Member::new("Data", &BLOB),
            Member::new("When", &TIMESTAMP),
            Member::new("Tags", &STRING_LIST),
            Member::new("Attrs", &ATTR_MAP),
            Member::new("Doc", &DOCUMENT),
            Member::new("Sparse", &SPARSE_STRING_LIST),
            Member::new("Child", &ITEM),
            Member::new("Iso", &ISO_TIMESTAMP),
        ],
        payload: None,
    }),
);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    pub name: String,
    pub count: Option<i32>,
    pub ratio: Option<f32>,
    pub data: Option<Blob>,
    pub when: Option<DateTime>,
    pub tags: Option<Vec<String>>,
    pub attrs: Option<HashMap<String, AttrValue>>,
    pub doc: Option<Document>,
    pub sparse: Option<Vec<Option<String>>>,
    pub child: Option<Box<Item>>,
    pub iso: Option<DateTime>,
}

impl crate::value::Blank for Item {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for Item {
    fn shape(&self) -> &'static Shape {
        &ITEM
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.name,
            1 => &self.count,
            2 => &self.ratio,
            3 => &self.data,
            4 => &self.when,
            5 => &self.tags,
            6 => &self.attrs,
            7 => &self.doc,
            8 => &self.sparse,
            9 => &self.child,
            10 => &self.iso,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.name,
            1 => &mut self.count,
            2 => &mut self.ratio,
            3 => &mut self.data,
            4 => &mut self.when,
            5 => &mut self.tags,
            6 => &mut self.attrs,
            7 => &mut self.doc,
            8 => &mut self.sparse,
            9 => &mut self.child,
            10 => &mut self.iso,
            _ => return None,
        })
    }
}

/// rest-json input exercising every HTTP binding.
pub static PUT_INPUT: Shape = Shape::new(
    "PutInput",
    ShapeKind::Structure(&StructShape {
        members: &[
            Member {
                location: Location::Uri,
                location_name: Some("Bucket"),
                host_label: true,
                ..Member::new("Bucket", &STRING)
            },
            Member {
                location: Location::Uri,
                location_name: Some("Key"),
                ..Member::new("Key", &STRING)
            },
            Member {
                location: Location::Header,
                location_name: Some("X-Tags"),
                ..Member::new("Tags", &STRING_LIST)
            },
            Member {
                location: Location::Headers,
                location_name: Some("x-meta-"),
                ..Member::new("Meta", &STRING_MAP)
            },
            Member {
                location: Location::QueryString,
                location_name: Some("since"),
                ..Member::new("Since", &TIMESTAMP)
            },
            Member {
                location: Location::QueryString,
                location_name: Some("id"),
                ..Member::new("Ids", &STRING_LIST)
            },
            Member {
                location: Location::QueryString,
                ..Member::new("Extra", &STRING_MAP)
            },
            Member {
                location: Location::QueryString,
                location_name: Some("token"),
                idempotency_token: true,
                ..Member::new("Token", &STRING)
            },
            Member::new("Item", &ITEM),
            Member {
                location: Location::Header,
                location_name: Some("X-Dates"),
                ..Member::new("Dates", &TIMESTAMP_LIST)
            },
        ],
        payload: None,
    }),
);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PutInput {
    pub bucket: String,
    pub key: String,
    pub tags: Option<Vec<String>>,
    pub meta: Option<HashMap<String, String>>,
    pub since: Option<DateTime>,
    pub ids: Option<Vec<String>>,
    pub extra: Option<HashMap<String, String>>,
    pub token: Option<String>,
    pub item: Option<Item>,
    pub dates: Option<Vec<DateTime>>,
}

impl crate::value::Blank for PutInput {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for PutInput {
    fn shape(&self) -> &'static Shape {
        &PUT_INPUT
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.bucket,
            1 => &self.key,
            2 => &self.tags,
            3 => &self.meta,
            4 => &self.since,
            5 => &self.ids,
            6 => &self.extra,
            7 => &self.token,
            8 => &self.item,
            9 => &self.dates,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.bucket,
            1 => &mut self.key,
            2 => &mut self.tags,
            3 => &mut self.meta,
            4 => &mut self.since,
            5 => &mut self.ids,
            6 => &mut self.extra,
            7 => &mut self.token,
            8 => &mut self.item,
            9 => &mut self.dates,
            _ => return None,
        })
    }
}

/// Output and error shapes reuse this: header, status code, prefix headers, body.
pub static PUT_OUTPUT: Shape = Shape::new(
    "PutOutput",
    ShapeKind::Structure(&StructShape {
        members: &[
            Member {
                location: Location::Header,
                location_name: Some("ETag"),
                ..Member::new("ETag", &STRING)
            },
            Member {
                location: Location::StatusCode,
                ..Member::new("Status", &INTEGER)
            },
            Member {
                location: Location::Headers,
                location_name: Some("x-meta-"),
                ..Member::new("Meta", &STRING_MAP)
            },
            Member::new("Item", &ITEM),
            Member {
                location: Location::Header,
                location_name: Some("X-Dates"),
                ..Member::new("Dates", &TIMESTAMP_LIST)
            },
            Member {
                location: Location::Header,
                location_name: Some("X-Tags"),
                ..Member::new("Tags", &STRING_LIST)
            },
        ],
        payload: None,
    }),
);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PutOutput {
    pub etag: Option<String>,
    pub status: Option<i32>,
    pub meta: Option<HashMap<String, String>>,
    pub item: Option<Item>,
    pub dates: Option<Vec<DateTime>>,
    pub tags: Option<Vec<String>>,
}

impl crate::value::Blank for PutOutput {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for PutOutput {
    fn shape(&self) -> &'static Shape {
        &PUT_OUTPUT
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.etag,
            1 => &self.status,
            2 => &self.meta,
            3 => &self.item,
            4 => &self.dates,
            5 => &self.tags,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.etag,
            1 => &mut self.status,
            2 => &mut self.meta,
            3 => &mut self.item,
            4 => &mut self.dates,
            5 => &mut self.tags,
            _ => return None,
        })
    }
}

/// A blob-payload structure (`payload: Body`).
pub static BLOB_PAYLOAD: Shape = Shape::new(
    "BlobPayload",
    ShapeKind::Structure(&StructShape {
        members: &[
            Member {
                location: Location::Header,
                location_name: Some("Content-Type"),
                ..Member::new("ContentType", &STRING)
            },
            Member::new("Body", &BLOB),
        ],
        payload: Some(1),
    }),
);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct BlobPayload {
    pub content_type: Option<String>,
    pub body: Option<Blob>,
}

impl crate::value::Blank for BlobPayload {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for BlobPayload {
    fn shape(&self) -> &'static Shape {
        &BLOB_PAYLOAD
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        Some(match i {
            0 => &self.content_type,
            1 => &self.body,
            _ => return None,
        })
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        Some(match i {
            0 => &mut self.content_type,
            1 => &mut self.body,
            _ => return None,
        })
    }
}

/// A modeled error with a custom wire code.
pub static NOT_FOUND: Shape = Shape {
    error: Some(ErrorInfo {
        code: "ResourceNotFound",
        http_status: Some(404),
        sender_fault: true,
        retryable: false,
        throttling: false,
    }),
    ..Shape::new(
        "NotFoundException",
        ShapeKind::Structure(&StructShape {
            members: &[Member::new("message", &STRING)],
            payload: None,
        }),
    )
};

pub static THROTTLED: Shape = Shape {
    error: Some(ErrorInfo {
        code: "Throttled",
        http_status: Some(429),
        sender_fault: false,
        retryable: true,
        throttling: true,
    }),
    ..Shape::new(
        "Throttled",
        ShapeKind::Structure(&StructShape {
            members: &[Member::new("message", &STRING)],
            payload: None,
        }),
    )
};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NotFound {
    pub message: Option<String>,
}

impl crate::value::Blank for NotFound {
    fn blank() -> Self {
        Self::default()
    }
}

impl Struct for NotFound {
    fn shape(&self) -> &'static Shape {
        &NOT_FOUND
    }
    fn member(&self, i: usize) -> Option<&dyn Value> {
        (i == 0).then_some(&self.message as &dyn Value)
    }
    fn member_mut(&mut self, i: usize) -> Option<&mut dyn Value> {
        (i == 0).then_some(&mut self.message as &mut dyn Value)
    }
}

pub static JSON_SERVICE: Service = Service {
    service_id: "Test",
    api_version: "2020-01-01",
    protocol: Protocol::Json,
    protocols: &[Protocol::Json],
    json_version: "1.1",
    target_prefix: "TestService_20200101",
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

pub static REST_SERVICE: Service = Service {
    protocol: Protocol::RestJson,
    protocols: &[Protocol::RestJson],
    ..JSON_SERVICE
};

pub static QUERY_COMPATIBLE_SERVICE: Service = Service {
    json_version: "1.0",
    aws_query_compatible: true,
    ..JSON_SERVICE
};

static ERRORS: &[&Shape] = &[&NOT_FOUND, &THROTTLED];

const fn op(
    name: &'static str,
    method: &'static str,
    uri: &'static str,
    input: &'static Shape,
    output: &'static Shape,
) -> Operation {
    Operation {
        name,
        http_method: method,
        request_uri: uri,
        response_code: 200,
        input,
        output,
        input_location_name: None,
        input_xml_namespace: None,
        result_wrapper: None,
        errors: ERRORS,
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
    }
}

pub static PUT_ITEM: Operation = op("PutItem", "POST", "/", &ITEM, &ITEM);
pub static PUT_OBJECT: Operation = Operation {
    host_prefix: Some("{Bucket}."),
    ..op(
        "PutObject",
        "PUT",
        "/{Bucket}/{Key+}?x-id=PutObject",
        &PUT_INPUT,
        &PUT_OUTPUT,
    )
};
pub static UPLOAD: Operation = op("Upload", "POST", "/upload", &BLOB_PAYLOAD, &BLOB_PAYLOAD);
