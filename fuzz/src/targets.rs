//! What each fuzz target feeds to the runtime: an arbitrary response parsed
//! as one of several real operations of the generated crates, as a success
//! or as an error, exactly as the client does it. Shared by the cargo-fuzz
//! targets and by the regression test that replays kept inputs
//! (`tests/tests/fuzz_regressions.rs` includes this file as a module), so a
//! crash found once stays covered in `cargo test`.
//!
//! Input layout: byte 0 picks the operation (`byte >> 1`, modulo the
//! target's operation count) and success or error (bit 0 set: status 400).
//! If the rest contains a blank line (`\n\n`), the lines before it are
//! extra `name: value` response headers (REST bindings, error type
//! headers) and the bytes after it are the body; otherwise all of it is
//! the body.
//!
//! The only property checked is the one that matters for untrusted input:
//! parsing returns (Ok or Err) without panicking, overflowing the stack or
//! allocating without bound.

use botogen_runtime::error::DeserializeError;
use botogen_runtime::protocol::{self, HttpResponse};
use botogen_runtime::schema::{Operation, Protocol, Service};
use botogen_runtime::{Blank, OperationError, Struct};

/// Target names, in the order `cargo xtask fuzz` runs them.
pub const TARGETS: &[&str] = &[
    "cbor",
    "ec2",
    "event_stream",
    "json",
    "query",
    "rest_json",
    "rest_xml",
];

/// One operation a target parses responses of.
pub struct Op {
    pub service: &'static Service,
    pub op: &'static Operation,
    parse: fn(&Service, Protocol, &Operation, &HttpResponse, usize) -> Result<(), DeserializeError>,
}

macro_rules! ops {
    ($($krate:ident :: $op:ident => $out:ident, $err:ident;)*) => {
        &[$(Op {
            service: &$krate::operations::SERVICE,
            op: &$krate::operations::$op,
            parse: parse::<$krate::types::$out, $krate::operations::$err>,
        },)*]
    };
}

/// awsJson 1.0/1.1: DynamoDB (unions, recursive maps), SQS (query-compatible
/// error codes), CloudWatch over JSON (timestamps, doubles, base64 blobs).
static JSON: &[Op] = ops! {
    botogen_dynamodb::QUERY => QueryOutput, QueryError;
    botogen_dynamodb::GET_ITEM => GetItemOutput, GetItemError;
    botogen_dynamodb::BATCH_GET_ITEM => BatchGetItemOutput, BatchGetItemError;
    botogen_dynamodb::DESCRIBE_TABLE => DescribeTableOutput, DescribeTableError;
    botogen_dynamodb::SCAN => ScanOutput, ScanError;
    botogen_sqs::RECEIVE_MESSAGE => ReceiveMessageResult, ReceiveMessageError;
    botogen_sqs::GET_QUEUE_ATTRIBUTES => GetQueueAttributesResult, GetQueueAttributesError;
    botogen_cloudwatch::GET_METRIC_DATA => GetMetricDataOutput, GetMetricDataError;
    botogen_cloudwatch::GET_METRIC_WIDGET_IMAGE => GetMetricWidgetImageOutput, GetMetricWidgetImageError;
    botogen_cloudwatch::DESCRIBE_ALARMS => DescribeAlarmsOutput, DescribeAlarmsError;
};

/// restJson1: Lambda (header and status bindings, blob payload),
/// Connect Participant.
static REST_JSON: &[Op] = ops! {
    botogen_lambda::GET_FUNCTION_CONFIGURATION => FunctionConfiguration, GetFunctionConfigurationError;
    botogen_lambda::INVOKE => InvocationResponse, InvokeError;
    botogen_lambda::LIST_FUNCTIONS => ListFunctionsResponse, ListFunctionsError;
    botogen_lambda::GET_FUNCTION => GetFunctionResponse, GetFunctionError;
    botogen_lambda::GET_POLICY => GetPolicyResponse, GetPolicyError;
    botogen_lambda::GET_FUNCTION_URL_CONFIG => GetFunctionUrlConfigResponse, GetFunctionUrlConfigError;
    botogen_connectparticipant::GET_TRANSCRIPT => GetTranscriptResponse, GetTranscriptError;
    botogen_connectparticipant::CREATE_PARTICIPANT_CONNECTION => CreateParticipantConnectionResponse, CreateParticipantConnectionError;
    botogen_connectparticipant::GET_ATTACHMENT => GetAttachmentResponse, GetAttachmentError;
};

/// awsQuery: STS, CloudWatch over query (timestamps, doubles, base64 blobs).
static QUERY: &[Op] = ops! {
    botogen_sts::ASSUME_ROLE => AssumeRoleResponse, AssumeRoleError;
    botogen_sts::GET_CALLER_IDENTITY => GetCallerIdentityResponse, GetCallerIdentityError;
    botogen_sts::GET_FEDERATION_TOKEN => GetFederationTokenResponse, GetFederationTokenError;
    botogen_sts::DECODE_AUTHORIZATION_MESSAGE => DecodeAuthorizationMessageResponse, DecodeAuthorizationMessageError;
    botogen_cloudwatch::GET_METRIC_DATA => GetMetricDataOutput, GetMetricDataError;
    botogen_cloudwatch::GET_METRIC_WIDGET_IMAGE => GetMetricWidgetImageOutput, GetMetricWidgetImageError;
    botogen_cloudwatch::DESCRIBE_ALARMS => DescribeAlarmsOutput, DescribeAlarmsError;
    botogen_cloudwatch::GET_METRIC_STATISTICS => GetMetricStatisticsOutput, GetMetricStatisticsError;
};

/// ec2: deep `...Set`/`item` lists, timestamps, blobs.
static EC2: &[Op] = ops! {
    botogen_ec2::DESCRIBE_INSTANCES => DescribeInstancesResult, DescribeInstancesError;
    botogen_ec2::DESCRIBE_IMAGES => DescribeImagesResult, DescribeImagesError;
    botogen_ec2::DESCRIBE_SECURITY_GROUPS => DescribeSecurityGroupsResult, DescribeSecurityGroupsError;
    botogen_ec2::DESCRIBE_SPOT_PRICE_HISTORY => DescribeSpotPriceHistoryResult, DescribeSpotPriceHistoryError;
    botogen_ec2::DESCRIBE_BUNDLE_TASKS => DescribeBundleTasksResult, DescribeBundleTasksError;
    botogen_ec2::DESCRIBE_INSTANCE_ATTRIBUTE => InstanceAttribute, DescribeInstanceAttributeError;
    botogen_ec2::DESCRIBE_LAUNCH_TEMPLATE_VERSIONS => DescribeLaunchTemplateVersionsResult, DescribeLaunchTemplateVersionsError;
    botogen_ec2::GET_CONSOLE_OUTPUT => GetConsoleOutputResult, GetConsoleOutputError;
};

/// restXml: S3 (header, prefix-header and payload bindings, scalar root
/// documents, flattened lists, attributes).
static REST_XML: &[Op] = ops! {
    botogen_s3::LIST_OBJECTS_V2 => ListObjectsV2Output, ListObjectsV2Error;
    botogen_s3::GET_OBJECT => GetObjectOutput, GetObjectError;
    botogen_s3::HEAD_OBJECT => HeadObjectOutput, HeadObjectError;
    botogen_s3::GET_BUCKET_LOCATION => GetBucketLocationOutput, GetBucketLocationError;
    botogen_s3::GET_BUCKET_POLICY => GetBucketPolicyOutput, GetBucketPolicyError;
    botogen_s3::GET_OBJECT_ACL => GetObjectAclOutput, GetObjectAclError;
    botogen_s3::LIST_BUCKETS => ListBucketsOutput, ListBucketsError;
    botogen_s3::GET_BUCKET_LIFECYCLE_CONFIGURATION => GetBucketLifecycleConfigurationOutput, GetBucketLifecycleConfigurationError;
    botogen_s3::GET_OBJECT_ATTRIBUTES => GetObjectAttributesOutput, GetObjectAttributesError;
    botogen_s3::LIST_PARTS => ListPartsOutput, ListPartsError;
    botogen_s3::COMPLETE_MULTIPART_UPLOAD => CompleteMultipartUploadOutput, CompleteMultipartUploadError;
    botogen_s3::GET_OBJECT_TAGGING => GetObjectTaggingOutput, GetObjectTaggingError;
};

/// smithy-rpc-v2-cbor: CloudWatch.
static CBOR: &[Op] = ops! {
    botogen_cloudwatch::GET_METRIC_DATA => GetMetricDataOutput, GetMetricDataError;
    botogen_cloudwatch::GET_METRIC_WIDGET_IMAGE => GetMetricWidgetImageOutput, GetMetricWidgetImageError;
    botogen_cloudwatch::DESCRIBE_ALARMS => DescribeAlarmsOutput, DescribeAlarmsError;
    botogen_cloudwatch::DESCRIBE_ALARM_HISTORY => DescribeAlarmHistoryOutput, DescribeAlarmHistoryError;
    botogen_cloudwatch::LIST_METRICS => ListMetricsOutput, ListMetricsError;
    botogen_cloudwatch::GET_METRIC_STATISTICS => GetMetricStatisticsOutput, GetMetricStatisticsError;
};

/// event_stream: the frame decoder and the typed decode of output event
/// streams (rest-json Bedrock and Lambda, rest-xml S3 Select, json Kinesis).
static EVENT_STREAM: &[Op] = &[
    Op {
        service: &botogen_bedrock_runtime::operations::SERVICE,
        op: &botogen_bedrock_runtime::operations::CONVERSE_STREAM,
        parse: events::<
            botogen_bedrock_runtime::types::ConverseStreamOutput,
            botogen_bedrock_runtime::operations::ConverseStreamError,
        >,
    },
    Op {
        service: &botogen_bedrock_runtime::operations::SERVICE,
        op: &botogen_bedrock_runtime::operations::INVOKE_MODEL_WITH_RESPONSE_STREAM,
        parse: events::<
            botogen_bedrock_runtime::types::ResponseStream,
            botogen_bedrock_runtime::operations::InvokeModelWithResponseStreamError,
        >,
    },
    Op {
        service: &botogen_lambda::operations::SERVICE,
        op: &botogen_lambda::operations::INVOKE_WITH_RESPONSE_STREAM,
        parse: events::<
            botogen_lambda::types::InvokeWithResponseStreamResponseEvent,
            botogen_lambda::operations::InvokeWithResponseStreamError,
        >,
    },
    Op {
        service: &botogen_s3::operations::SERVICE,
        op: &botogen_s3::operations::SELECT_OBJECT_CONTENT,
        parse: events::<
            botogen_s3::types::SelectObjectContentEventStream,
            botogen_s3::operations::SelectObjectContentError,
        >,
    },
    Op {
        service: &botogen_kinesis::operations::SERVICE,
        op: &botogen_kinesis::operations::SUBSCRIBE_TO_SHARD,
        parse: events::<
            botogen_kinesis::types::SubscribeToShardEventStream,
            botogen_kinesis::operations::SubscribeToShardError,
        >,
    },
];

/// The protocol and operations of a target (`None` for an unknown name).
pub fn operations(target: &str) -> Option<(Protocol, &'static [Op])> {
    Some(match target {
        // Each operation's own protocol is used (see `events`).
        "event_stream" => (Protocol::RestJson, EVENT_STREAM),
        "json" => (Protocol::Json, JSON),
        "rest_json" => (Protocol::RestJson, REST_JSON),
        "query" => (Protocol::Query, QUERY),
        "ec2" => (Protocol::Ec2, EC2),
        "rest_xml" => (Protocol::RestXml, REST_XML),
        "cbor" => (Protocol::SmithyRpcV2Cbor, CBOR),
        _ => return None,
    })
}

/// Parses `data` (see the module docs for its layout) as a response of one
/// of the target's operations. The result says whether it parsed cleanly
/// (the fuzzers ignore it; the regression test expects it of the seeds).
/// Unknown targets and empty input are errors.
pub fn run(target: &str, data: &[u8]) -> Result<(), String> {
    let (protocol, ops) = operations(target).ok_or("unknown target")?;
    let (&pick, rest) = data.split_first().ok_or("empty input")?;
    let choice = usize::from(pick >> 1);
    let op = &ops[choice % ops.len()];
    let status = if pick & 1 == 1 { 400 } else { 200 };
    let mut headers = vec![("x-amzn-requestid".to_owned(), "fuzz".to_owned())];
    let body = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(end) => {
            for line in rest[..end].split(|&b| b == b'\n') {
                let line = String::from_utf8_lossy(line);
                if let Some((name, value)) = line.split_once(':') {
                    headers.push((name.trim().to_owned(), value.trim().to_owned()));
                }
            }
            &rest[end + 2..]
        }
        None => rest,
    };
    let response = HttpResponse {
        status,
        headers,
        body: body.to_vec(),
    };
    (op.parse)(op.service, protocol, op.op, &response, choice / ops.len())
        .map_err(|e| format!("{} ({}): {e}", op.op.name, op.service.service_id))
}

/// What the client does with a response: a success is parsed into a
/// default output; an error's envelope is read, then its body is parsed
/// into the modeled error it names, or else into the error `error_pick`
/// selects, so every error shape gets fuzzed without guessing its code.
fn parse<O: Struct + Blank, E: OperationError>(
    service: &Service,
    protocol: Protocol,
    op: &Operation,
    response: &HttpResponse,
    error_pick: usize,
) -> Result<(), DeserializeError> {
    if response.status < 300 {
        let mut out = O::blank();
        return protocol::parse_response(service, protocol, op, response, &mut out);
    }
    let envelope = protocol::parse_error_envelope(service, protocol, op, response)?;
    let mut error = match envelope.matched {
        Some(protocol::ErrorMatch::Operation(i)) => E::modeled(i),
        Some(protocol::ErrorMatch::Service(i)) => E::unlisted(i),
        None if op.errors.is_empty() => return Ok(()),
        None => E::modeled(error_pick % op.errors.len()),
    }
    .ok_or_else(|| DeserializeError::new("no such error"))?;
    let fields = error
        .modeled_mut()
        .ok_or_else(|| DeserializeError::new("error has no fields"))?;
    protocol::parse_error_body(protocol, response, &mut *fields)
}

/// The body as an event stream of `op`: first the frame reader alone, fed
/// in chunks of a size taken from the body's first byte, must yield the
/// same messages as from one buffer; then every event is decoded into `T`
/// or `E` until the end or the first error. Clean means every frame was
/// valid and every event decoded.
fn events<T: Struct + Blank, E: OperationError + std::fmt::Debug>(
    service: &Service,
    _protocol: Protocol,
    op: &Operation,
    response: &HttpResponse,
    _error_pick: usize,
) -> Result<(), DeserializeError> {
    use botogen_runtime::event_stream::frame::FrameReader;
    use botogen_runtime::event_stream::{EventStream, RawEventStream};
    let body = &response.body;
    let whole = {
        let mut r = FrameReader::new();
        r.push(body);
        let mut all = Vec::new();
        loop {
            match r.next_message() {
                Ok(Some(m)) => all.push(m),
                Ok(None) => break Ok(all).and_then(|all| r.finish().map(|()| all)),
                Err(e) => break Err(e),
            }
        }
    };
    let step = usize::from(body.first().copied().unwrap_or(1)).max(1);
    let chunked = {
        let mut r = FrameReader::new();
        let mut all = Vec::new();
        let mut failed = None;
        'outer: for chunk in body.chunks(step) {
            r.push(chunk);
            loop {
                match r.next_message() {
                    Ok(Some(m)) => all.push(m),
                    Ok(None) => break,
                    Err(e) => {
                        failed = Some(e);
                        break 'outer;
                    }
                }
            }
        }
        match failed {
            Some(e) => Err(e),
            None => r.finish().map(|()| all),
        }
    };
    // Errors may be noticed at different points (a prelude checked before
    // the frame is whole), but the messages and the verdict must agree.
    match (&whole, &chunked) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "chunked decoding differs"),
        (Err(_), Err(_)) => {}
        _ => panic!("whole {whole:?} vs chunked {chunked:?}"),
    }
    // `op` is one of the statics above, so it lives for 'static.
    let op: &'static Operation = EVENT_STREAM
        .iter()
        .find(|o| std::ptr::eq(o.op, op))
        .map(|o| o.op)
        .ok_or_else(|| DeserializeError::new("not an event-stream operation"))?;
    let service: &'static Service = EVENT_STREAM
        .iter()
        .find(|o| std::ptr::eq(o.service, service))
        .map(|o| o.service)
        .ok_or_else(|| DeserializeError::new("unknown service"))?;
    let raw = RawEventStream::new(
        botogen_runtime::ByteStream::new(body.clone()),
        service,
        service.protocol,
        op,
    )
    .map_err(|e| DeserializeError::new(e.to_string()))?;
    let mut stream = EventStream::<T, E>::from_raw(Some(raw));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    // An in-memory body is always ready; the bound only guards the loop.
    for _ in 0..=body.len() {
        match stream.poll_recv(&mut cx) {
            std::task::Poll::Ready(Ok(Some(_))) => {}
            std::task::Poll::Ready(Ok(None)) => return Ok(()),
            std::task::Poll::Ready(Err(e)) => {
                return Err(DeserializeError::new(format!("{e:?}")));
            }
            std::task::Poll::Pending => {
                return Err(DeserializeError::new("an in-memory body was pending"));
            }
        }
    }
    Err(DeserializeError::new("more events than bytes"))
}
