//! botogen's side: the checked-in generated crates driven through the
//! runtime's protocol entry points with the generated statics.
//!
//! The throughput rows time `serialize_request` / `parse_response` directly:
//! no endpoint resolution, signing, retries or transport. The aws-sdk side's
//! empty-payload call is subtracted in the report to compare like with like.
//! Endpoint resolution is timed on its own ([`Endpoint`]).

use std::collections::HashMap;

use botogen_runtime::Blob;
use botogen_runtime::protocol::{HttpResponse, parse_response, serialize_request};

use crate::fixtures::{AttrValue, SqsEntry};

/// What the botogen column measures (used in the table heading).
pub const WHAT: &str = "serialize_request / parse_response";

fn response(content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse {
        status: 200,
        headers: vec![
            ("content-type".to_owned(), content_type.to_owned()),
            ("x-amzn-requestid".to_owned(), "BENCHREQUESTID".to_owned()),
        ],
        body,
    }
}

/// Parses a DynamoDB `Query` response into `QueryOutput`.
pub struct DynamoDbQuery {
    response: HttpResponse,
}

impl DynamoDbQuery {
    pub fn new(body: Vec<u8>) -> DynamoDbQuery {
        DynamoDbQuery {
            response: response("application/x-amz-json-1.0", body),
        }
    }

    /// Parses once; returns the number of items.
    pub fn run(&self) -> Result<usize, String> {
        use botogen_dynamodb::operations::{QUERY, SERVICE};
        let mut out = botogen_dynamodb::types::QueryOutput::default();
        parse_response(&SERVICE, SERVICE.protocol, &QUERY, &self.response, &mut out)
            .map_err(|e| format!("botogen-dynamodb Query: {e}"))?;
        Ok(out.items.as_ref().map_or(0, Vec::len))
    }
}

#[cfg(feature = "botogen-ec2")]
/// Parses an EC2 `DescribeInstances` response into `DescribeInstancesResult`.
pub struct Ec2DescribeInstances {
    response: HttpResponse,
}

#[cfg(feature = "botogen-ec2")]
impl Ec2DescribeInstances {
    pub fn new(body: Vec<u8>) -> Ec2DescribeInstances {
        Ec2DescribeInstances {
            response: response("text/xml;charset=UTF-8", body),
        }
    }

    /// Parses once; returns the number of instances.
    pub fn run(&self) -> Result<usize, String> {
        use botogen_ec2::operations::{DESCRIBE_INSTANCES, SERVICE};
        let mut out = botogen_ec2::types::DescribeInstancesResult::default();
        parse_response(
            &SERVICE,
            SERVICE.protocol,
            &DESCRIBE_INSTANCES,
            &self.response,
            &mut out,
        )
        .map_err(|e| format!("botogen-ec2 DescribeInstances: {e}"))?;
        Ok(out
            .reservations
            .iter()
            .flatten()
            .map(|r| r.instances.as_ref().map_or(0, Vec::len))
            .sum())
    }
}

/// Parses an S3 `ListObjectsV2` response (rest-xml) into `ListObjectsV2Output`.
pub struct S3ListObjects {
    response: HttpResponse,
}

impl S3ListObjects {
    pub fn new(body: Vec<u8>) -> S3ListObjects {
        let mut response = response("application/xml", body);
        response
            .headers
            .push(("x-amz-request-id".to_owned(), "BENCHREQUESTID".to_owned()));
        S3ListObjects { response }
    }

    /// Parses once; returns the number of objects.
    pub fn run(&self) -> Result<usize, String> {
        use botogen_s3::operations::{LIST_OBJECTS_V2, SERVICE};
        let mut out = botogen_s3::types::ListObjectsV2Output::default();
        parse_response(
            &SERVICE,
            SERVICE.protocol,
            &LIST_OBJECTS_V2,
            &self.response,
            &mut out,
        )
        .map_err(|e| format!("botogen-s3 ListObjectsV2: {e}"))?;
        Ok(out.contents.as_ref().map_or(0, Vec::len))
    }
}

/// Parses a CloudWatch `GetMetricData` response over smithy-rpc-v2-cbor
/// into `GetMetricDataOutput`. The model lists CBOR first among the
/// service's protocols; the generated default is awsJson1_0 (what botocore
/// speaks), so the protocol is passed explicitly, as a client configured
/// for CBOR does.
pub struct CloudWatchGetMetricData {
    response: HttpResponse,
}

impl CloudWatchGetMetricData {
    pub fn new(body: Vec<u8>) -> CloudWatchGetMetricData {
        let mut response = response("application/cbor", body);
        response
            .headers
            .push(("smithy-protocol".to_owned(), "rpc-v2-cbor".to_owned()));
        CloudWatchGetMetricData { response }
    }

    /// Parses once; returns the number of data points.
    pub fn run(&self) -> Result<usize, String> {
        use botogen_cloudwatch::operations::{GET_METRIC_DATA, SERVICE};
        use botogen_runtime::schema::Protocol;
        let mut out = botogen_cloudwatch::types::GetMetricDataOutput::default();
        parse_response(
            &SERVICE,
            Protocol::SmithyRpcV2Cbor,
            &GET_METRIC_DATA,
            &self.response,
            &mut out,
        )
        .map_err(|e| format!("botogen-cloudwatch GetMetricData: {e}"))?;
        Ok(out
            .metric_data_results
            .iter()
            .flatten()
            .map(|r| {
                let v = r.values.as_ref().map_or(0, Vec::len);
                v.min(r.timestamps.as_ref().map_or(0, Vec::len))
            })
            .sum())
    }
}

/// Serializes an SQS `SendMessageBatch` request.
pub struct SqsSendMessageBatch {
    input: botogen_sqs::types::SendMessageBatchRequest,
}

impl SqsSendMessageBatch {
    pub fn new(entries: &[SqsEntry]) -> SqsSendMessageBatch {
        use botogen_sqs::types::{
            MessageAttributeValue, SendMessageBatchRequest, SendMessageBatchRequestEntry,
        };
        let entries = entries
            .iter()
            .map(|e| {
                let attributes: HashMap<String, MessageAttributeValue> = e
                    .attributes
                    .iter()
                    .map(|(name, data_type, value)| {
                        let (string_value, binary_value) = match value {
                            AttrValue::Str(s) => (Some(s.clone()), None),
                            AttrValue::Bin(b) => (None, Some(Blob::new(b.clone()))),
                        };
                        let v = MessageAttributeValue {
                            string_value,
                            binary_value,
                            ..MessageAttributeValue::new((*data_type).to_owned())
                        };
                        (name.clone(), v)
                    })
                    .collect();
                SendMessageBatchRequestEntry {
                    delay_seconds: Some(e.delay_seconds),
                    message_attributes: (!attributes.is_empty()).then_some(attributes),
                    ..SendMessageBatchRequestEntry::new(e.id.clone(), e.body.clone())
                }
            })
            .collect();
        SqsSendMessageBatch {
            input: SendMessageBatchRequest {
                queue_url: "https://sqs.us-east-1.amazonaws.com/123456789012/orders".to_owned(),
                entries,
            },
        }
    }

    /// Clones the input (as the aws-sdk side must, since `send()` takes
    /// ownership) and serializes it; returns the body length.
    pub fn run(&self) -> Result<usize, String> {
        use botogen_sqs::operations::{SEND_MESSAGE_BATCH, SERVICE};
        let input = self.input.clone();
        let req = serialize_request(&SERVICE, SERVICE.protocol, &SEND_MESSAGE_BATCH, &input)
            .map_err(|e| format!("botogen-sqs SendMessageBatch: {e}"))?;
        Ok(req.body.len())
    }
}

/// One call's endpoint resolution as the client does it: the config's
/// built-ins, the operation's bindings read from the input, the rule set
/// evaluated, the result's URL parsed (`client::endpoint::{builtins,
/// client_params, resolve}`).
pub struct Endpoint<I: botogen_runtime::Struct + 'static> {
    service: &'static botogen_runtime::schema::Service,
    op: &'static botogen_runtime::schema::Operation,
    input: I,
    config: botogen_runtime::client::Config,
}

impl<I: botogen_runtime::Struct + 'static> Endpoint<I> {
    pub fn new(
        service: &'static botogen_runtime::schema::Service,
        op: &'static botogen_runtime::schema::Operation,
        input: I,
        region: &str,
    ) -> Endpoint<I> {
        Endpoint {
            service,
            op,
            input,
            config: botogen_runtime::client::Config::new().region(region),
        }
    }

    /// Resolves once; returns the host's length (so the work is used).
    pub fn run(&self) -> Result<usize, String> {
        use botogen_runtime::client::endpoint::{builtins, client_params, resolve};
        let b = builtins(&self.config, self.service, self.op, &self.input);
        let params = client_params(&self.config, self.service).map_err(|e| e.to_string())?;
        let e =
            resolve(self.service, self.op, &self.input, &b, &params).map_err(|e| e.to_string())?;
        Ok(e.host.len())
    }

    /// The host it resolves to.
    pub fn host(&self) -> Result<String, String> {
        use botogen_runtime::client::endpoint::{builtins, client_params, resolve};
        let b = builtins(&self.config, self.service, self.op, &self.input);
        let params = client_params(&self.config, self.service).map_err(|e| e.to_string())?;
        Ok(resolve(self.service, self.op, &self.input, &b, &params)
            .map_err(|e| e.to_string())?
            .host)
    }
}

pub fn dynamodb_get_item() -> Endpoint<botogen_dynamodb::types::GetItemInput> {
    use botogen_dynamodb::operations::{GET_ITEM, SERVICE};
    Endpoint::new(
        &SERVICE,
        &GET_ITEM,
        botogen_dynamodb::types::GetItemInput::new("Orders", HashMap::new()),
        "us-east-1",
    )
}

pub fn s3_get_object() -> Endpoint<botogen_s3::types::GetObjectRequest> {
    use botogen_s3::operations::{GET_OBJECT, SERVICE};
    Endpoint::new(
        &SERVICE,
        &GET_OBJECT,
        botogen_s3::types::GetObjectRequest::new("my-bucket", "photos/cat.jpg"),
        "us-west-2",
    )
}

pub fn s3_access_point() -> Endpoint<botogen_s3::types::GetObjectRequest> {
    use botogen_s3::operations::{GET_OBJECT, SERVICE};
    let bucket = "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap";
    Endpoint::new(
        &SERVICE,
        &GET_OBJECT,
        botogen_s3::types::GetObjectRequest::new(bucket, "k"),
        "us-west-2",
    )
}

/// Parses S3's rule set (what the first S3 call of a process does once).
pub fn s3_parse_rule_set() -> Result<usize, String> {
    let rules = botogen_s3::operations::SERVICE
        .endpoint_rules
        .ok_or("no rule set")?;
    let program = botogen_runtime::endpoint::Program::parse(rules.rule_set.source())
        .map_err(|e| e.to_string())?;
    Ok(program.params().len())
}

/// The S3 rule set's size in bytes.
pub fn s3_rule_set_bytes() -> usize {
    botogen_s3::operations::SERVICE
        .endpoint_rules
        .map_or(0, |r| r.rule_set.source().len())
}
