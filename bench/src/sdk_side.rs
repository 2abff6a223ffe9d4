//! The official AWS SDK for Rust side: a full `send()` through each service
//! client, with a canned in-memory HTTP response and static test
//! credentials (no network). Every call runs the SDK's whole pipeline:
//! input building, serialization, endpoint resolution, SigV4 signing, the
//! retry/stalled-stream layers, response parsing.

use aws_credential_types::Credentials;
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;

use crate::fixtures::{AttrValue, SqsEntry};

fn creds() -> Credentials {
    Credentials::new("AKIDBENCHMARK", "benchmark-secret", None, None, "bench")
}

/// An HTTP client answering every request with status 200, `content_type`
/// and `body`; the body is reference-counted, so no copy per call.
fn canned(
    content_type: &'static str,
    body: Bytes,
) -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    canned_with(content_type, &[], body)
}

/// [`canned`] with extra response headers.
fn canned_with(
    content_type: &'static str,
    extra: &'static [(&'static str, &'static str)],
    body: Bytes,
) -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    infallible_client_fn(move |req: http::Request<SdkBody>| {
        // Touch the request body so a lazily built body is still built.
        std::hint::black_box(req.body().bytes().map(<[u8]>::len));
        let mut b = http::Response::builder()
            .status(200)
            .header("content-type", content_type)
            .header("x-amzn-requestid", "BENCHREQUESTID");
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        b.body(SdkBody::from(body.clone()))
            .expect("static response parts are valid")
    })
}

/// A current-thread runtime: the canned client never waits, so this only
/// adds the future-polling cost.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread tokio runtime can always be built")
}

pub fn dynamodb_client(body: Bytes) -> aws_sdk_dynamodb::Client {
    use aws_sdk_dynamodb::config::{BehaviorVersion, Config, Region};
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(creds())
        .http_client(canned("application/x-amz-json-1.0", body))
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

/// One `Query` call; returns the number of items parsed.
pub async fn dynamodb_query(client: &aws_sdk_dynamodb::Client) -> usize {
    use aws_sdk_dynamodb::types::AttributeValue;
    let out = client
        .query()
        .table_name("Orders")
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S("CUSTOMER#00042".to_owned()))
        .send()
        .await;
    match out {
        Ok(o) => o.items().len(),
        Err(e) => panic!("aws-sdk-dynamodb Query failed on the canned response: {e:?}"),
    }
}

#[cfg(feature = "ec2")]
pub fn ec2_client(body: Bytes) -> aws_sdk_ec2::Client {
    use aws_sdk_ec2::config::{BehaviorVersion, Config, Region};
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(creds())
        .http_client(canned("text/xml;charset=UTF-8", body))
        .build();
    aws_sdk_ec2::Client::from_conf(config)
}

#[cfg(feature = "ec2")]
/// One `DescribeInstances` call; returns the number of instances parsed.
pub async fn ec2_describe_instances(client: &aws_sdk_ec2::Client) -> usize {
    match client.describe_instances().send().await {
        Ok(o) => o.reservations().iter().map(|r| r.instances().len()).sum(),
        Err(e) => panic!("aws-sdk-ec2 DescribeInstances failed on the canned response: {e:?}"),
    }
}

pub fn sqs_client(body: Bytes) -> aws_sdk_sqs::Client {
    use aws_sdk_sqs::config::{BehaviorVersion, Config, Region};
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(creds())
        .http_client(canned("application/x-amz-json-1.0", body))
        .build();
    aws_sdk_sqs::Client::from_conf(config)
}

/// Converts the neutral fixture entries into the SDK's input type.
pub fn sqs_entries(entries: &[SqsEntry]) -> Vec<aws_sdk_sqs::types::SendMessageBatchRequestEntry> {
    use aws_sdk_sqs::types::{MessageAttributeValue, SendMessageBatchRequestEntry};
    entries
        .iter()
        .map(|e| {
            let mut b = SendMessageBatchRequestEntry::builder()
                .id(&e.id)
                .message_body(&e.body)
                .delay_seconds(e.delay_seconds);
            for (name, data_type, value) in &e.attributes {
                let v = MessageAttributeValue::builder().data_type(*data_type);
                let v = match value {
                    AttrValue::Str(s) => v.string_value(s),
                    AttrValue::Bin(bytes) => {
                        v.binary_value(aws_smithy_types::Blob::new(bytes.clone()))
                    }
                };
                b = b.message_attributes(
                    name,
                    v.build().expect("fixture attributes have a data type"),
                );
            }
            b.build().expect("fixture entries have an id and body")
        })
        .collect()
}

/// One `SendMessageBatch` call with `entries` (cloned, as a caller keeping
/// its data would); returns the number of successful entries parsed.
pub async fn sqs_send_message_batch(
    client: &aws_sdk_sqs::Client,
    entries: &[aws_sdk_sqs::types::SendMessageBatchRequestEntry],
) -> usize {
    let out = client
        .send_message_batch()
        .queue_url("https://sqs.us-east-1.amazonaws.com/123456789012/orders")
        .set_entries(Some(entries.to_vec()))
        .send()
        .await;
    match out {
        Ok(o) => o.successful().len(),
        Err(e) => panic!("aws-sdk-sqs SendMessageBatch failed on the canned response: {e:?}"),
    }
}

pub fn s3_client(body: Bytes) -> aws_sdk_s3::Client {
    use aws_sdk_s3::config::{BehaviorVersion, Config, Region};
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(creds())
        .http_client(canned_with(
            "application/xml",
            &[("x-amz-request-id", "BENCHREQUESTID")],
            body,
        ))
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// One `ListObjectsV2` call; returns the number of objects parsed.
pub async fn s3_list_objects(client: &aws_sdk_s3::Client) -> usize {
    let out = client
        .list_objects_v2()
        .bucket("bench-bucket")
        .prefix("photos/")
        .fetch_owner(true)
        .send()
        .await;
    match out {
        Ok(o) => o.contents().len(),
        Err(e) => panic!("aws-sdk-s3 ListObjectsV2 failed on the canned response: {e:?}"),
    }
}

pub fn cloudwatch_client(body: Bytes) -> aws_sdk_cloudwatch::Client {
    use aws_sdk_cloudwatch::config::{BehaviorVersion, Config, Region};
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(creds())
        .http_client(canned_with(
            "application/cbor",
            &[("smithy-protocol", "rpc-v2-cbor")],
            body,
        ))
        .build();
    aws_sdk_cloudwatch::Client::from_conf(config)
}

/// One `GetMetricData` call (over smithy-rpc-v2-cbor); returns the number
/// of data points parsed.
pub async fn cloudwatch_get_metric_data(client: &aws_sdk_cloudwatch::Client) -> usize {
    use aws_sdk_cloudwatch::primitives::DateTime;
    use aws_sdk_cloudwatch::types::MetricDataQuery;
    let out = client
        .get_metric_data()
        .metric_data_queries(
            MetricDataQuery::builder()
                .id("m")
                .expression("SEARCH('{AWS/EC2,InstanceId} CPUUtilization', 'Average', 60)")
                .build(),
        )
        .start_time(DateTime::from_secs(1_732_978_400))
        .end_time(DateTime::from_secs(1_733_000_000))
        .send()
        .await;
    match out {
        Ok(o) => o
            .metric_data_results()
            .iter()
            .map(|r| r.values().len().min(r.timestamps().len()))
            .sum(),
        Err(e) => panic!("aws-sdk-cloudwatch GetMetricData failed on the canned response: {e:?}"),
    }
}

/// aws-sdk-dynamodb's generated endpoint resolver for a `GetItem` on table
/// `Orders` in us-east-1 (the parameters its client would pass).
pub fn dynamodb_endpoint_params() -> aws_sdk_dynamodb::config::endpoint::Params {
    aws_sdk_dynamodb::config::endpoint::Params::builder()
        .region("us-east-1")
        .use_fips(false)
        .use_dual_stack(false)
        .account_id_endpoint_mode("preferred")
        .resource_arn("Orders")
        .build()
        .expect("valid endpoint parameters")
}

/// One resolution with aws-sdk-dynamodb's `DefaultResolver`; returns the URL length.
pub fn dynamodb_resolve(
    rt: &tokio::runtime::Runtime,
    resolver: &aws_sdk_dynamodb::config::endpoint::DefaultResolver,
    params: &aws_sdk_dynamodb::config::endpoint::Params,
) -> usize {
    use aws_sdk_dynamodb::config::endpoint::ResolveEndpoint;
    match rt.block_on(resolver.resolve_endpoint(params)) {
        Ok(e) => e.url().len(),
        Err(e) => panic!("aws-sdk-dynamodb endpoint resolution failed: {e}"),
    }
}
