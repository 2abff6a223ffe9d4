//! The practical ceiling: each payload decoded (or, for SQS, encoded) by a
//! plain serde format crate — `serde_json`, `quick-xml`'s serde support,
//! `ciborium` — into hand-written structs equivalent to the output types,
//! with no schema walk, no reflection and no protocol layer.
//!
//! "Equivalent" means the same members with the same value types as the
//! generated outputs: timestamps parsed into a `DateTime`, blobs decoded from
//! base64, numbers parsed, lists and maps owned. Enum members stay `String`s
//! (botogen's enums keep unknown values as strings too). Members that the
//! fixtures never send are left out; serde skips what a struct does not name,
//! just as the generated parsers skip unknown keys.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::fixtures::{AttrValue, SqsEntry};

/// Hands a borrowed (or, if escaped, decoded) string to `parse` without
/// allocating an owned copy first.
struct StrWith<T, F>(F, &'static str, PhantomData<fn() -> T>);

impl<'de, T, F: FnOnce(&str) -> Result<T, String>> Visitor<'de> for StrWith<T, F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
}

/// An ISO 8601 timestamp member.
#[derive(Debug)]
pub struct IsoTime(#[allow(dead_code)] DateTime);

impl<'de> Deserialize<'de> for IsoTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrWith(
            |s: &str| {
                DateTime::from_str(s, Format::DateTime)
                    .map(IsoTime)
                    .map_err(|e| e.to_string())
            },
            "an ISO 8601 timestamp",
            PhantomData,
        ))
    }
}

/// An epoch-seconds timestamp member (CBOR: a double inside tag 1).
#[derive(Debug)]
pub struct EpochTime(#[allow(dead_code)] DateTime);

impl<'de> Deserialize<'de> for EpochTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        f64::deserialize(d).map(|s| EpochTime(DateTime::from_secs_f64(s)))
    }
}

/// A base64 blob member.
#[derive(Debug)]
pub struct B64(#[allow(dead_code)] Vec<u8>);

impl<'de> Deserialize<'de> for B64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrWith(
            |s: &str| {
                aws_smithy_types::base64::decode(s)
                    .map(B64)
                    .map_err(|e| e.to_string())
            },
            "a base64 string",
            PhantomData,
        ))
    }
}

// ------------------------------------------------------------ DynamoDB (JSON)

#[allow(dead_code, clippy::upper_case_acronyms)]
#[derive(Debug, Deserialize)]
pub enum AttributeValue {
    S(String),
    N(String),
    B(B64),
    SS(Vec<String>),
    NS(Vec<String>),
    BS(Vec<B64>),
    M(HashMap<String, AttributeValue>),
    L(Vec<AttributeValue>),
    NULL(bool),
    BOOL(bool),
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConsumedCapacity {
    table_name: Option<String>,
    capacity_units: Option<f64>,
    read_capacity_units: Option<f64>,
    write_capacity_units: Option<f64>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryOutput {
    items: Option<Vec<HashMap<String, AttributeValue>>>,
    count: Option<i32>,
    scanned_count: Option<i32>,
    last_evaluated_key: Option<HashMap<String, AttributeValue>>,
    consumed_capacity: Option<ConsumedCapacity>,
}

/// `serde_json::from_slice` of a DynamoDB `Query` body; returns the items.
pub fn dynamodb_query(body: &[u8]) -> Result<usize, String> {
    let out: QueryOutput = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    Ok(out.items.map_or(0, |i| i.len()))
}

// ------------------------------------------------------------ EC2 (XML)

/// An EC2 list: `<xSet><item>…</item>…</xSet>`.
#[derive(Debug, Deserialize)]
pub struct Items<T> {
    #[serde(default = "Vec::new")]
    item: Vec<T>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ec2Response {
    request_id: Option<String>,
    reservation_set: Option<Items<Reservation>>,
    next_token: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    reservation_id: Option<String>,
    owner_id: Option<String>,
    requester_id: Option<String>,
    group_set: Option<Items<GroupIdentifier>>,
    instances_set: Option<Items<Instance>>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupIdentifier {
    group_id: Option<String>,
    group_name: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductCode {
    product_code: Option<String>,
    #[serde(rename = "type")]
    product_code_type: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    instance_id: Option<String>,
    image_id: Option<String>,
    instance_state: Option<InstanceState>,
    private_dns_name: Option<String>,
    dns_name: Option<String>,
    reason: Option<String>,
    key_name: Option<String>,
    ami_launch_index: Option<i32>,
    product_codes: Option<Items<ProductCode>>,
    instance_type: Option<String>,
    launch_time: Option<IsoTime>,
    placement: Option<Placement>,
    monitoring: Option<Monitoring>,
    subnet_id: Option<String>,
    vpc_id: Option<String>,
    private_ip_address: Option<String>,
    ip_address: Option<String>,
    source_dest_check: Option<bool>,
    group_set: Option<Items<GroupIdentifier>>,
    architecture: Option<String>,
    root_device_type: Option<String>,
    root_device_name: Option<String>,
    block_device_mapping: Option<Items<BlockDeviceMapping>>,
    virtualization_type: Option<String>,
    client_token: Option<String>,
    tag_set: Option<Items<Tag>>,
    hypervisor: Option<String>,
    network_interface_set: Option<Items<NetworkInterface>>,
    ebs_optimized: Option<bool>,
    ena_support: Option<bool>,
    cpu_options: Option<CpuOptions>,
    capacity_reservation_specification: Option<CapacityReservationSpecification>,
    hibernation_options: Option<HibernationOptions>,
    metadata_options: Option<MetadataOptions>,
    enclave_options: Option<EnclaveOptions>,
    platform_details: Option<String>,
    usage_operation: Option<String>,
    usage_operation_update_time: Option<IsoTime>,
    private_dns_name_options: Option<PrivateDnsNameOptions>,
    maintenance_options: Option<MaintenanceOptions>,
    current_instance_boot_mode: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceState {
    code: Option<i32>,
    name: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    availability_zone_id: Option<String>,
    availability_zone: Option<String>,
    group_name: Option<String>,
    tenancy: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Monitoring {
    state: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockDeviceMapping {
    device_name: Option<String>,
    ebs: Option<EbsInstanceBlockDevice>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EbsInstanceBlockDevice {
    volume_id: Option<String>,
    status: Option<String>,
    attach_time: Option<IsoTime>,
    delete_on_termination: Option<bool>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    key: Option<String>,
    value: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkInterface {
    network_interface_id: Option<String>,
    subnet_id: Option<String>,
    vpc_id: Option<String>,
    description: Option<String>,
    owner_id: Option<String>,
    status: Option<String>,
    mac_address: Option<String>,
    private_ip_address: Option<String>,
    private_dns_name: Option<String>,
    source_dest_check: Option<bool>,
    group_set: Option<Items<GroupIdentifier>>,
    attachment: Option<NetworkInterfaceAttachment>,
    association: Option<Association>,
    private_ip_addresses_set: Option<Items<PrivateIpAddress>>,
    ipv6_addresses_set: Option<Items<Ipv6Address>>,
    interface_type: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkInterfaceAttachment {
    attachment_id: Option<String>,
    device_index: Option<i32>,
    status: Option<String>,
    attach_time: Option<IsoTime>,
    delete_on_termination: Option<bool>,
    network_card_index: Option<i32>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Association {
    public_ip: Option<String>,
    public_dns_name: Option<String>,
    ip_owner_id: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateIpAddress {
    private_ip_address: Option<String>,
    private_dns_name: Option<String>,
    primary: Option<bool>,
    association: Option<Association>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ipv6Address {
    ipv6_address: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CpuOptions {
    core_count: Option<i32>,
    threads_per_core: Option<i32>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityReservationSpecification {
    capacity_reservation_preference: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HibernationOptions {
    configured: Option<bool>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetadataOptions {
    state: Option<String>,
    http_tokens: Option<String>,
    http_put_response_hop_limit: Option<i32>,
    http_endpoint: Option<String>,
    http_protocol_ipv6: Option<String>,
    instance_metadata_tags: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnclaveOptions {
    enabled: Option<bool>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateDnsNameOptions {
    hostname_type: Option<String>,
    enable_resource_name_dns_a_record: Option<bool>,
    #[serde(rename = "enableResourceNameDnsAAAARecord")]
    enable_resource_name_dns_aaaa_record: Option<bool>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceOptions {
    auto_recovery: Option<String>,
}

/// `quick_xml::de::from_reader` of an EC2 `DescribeInstances` body; returns
/// the instances.
#[cfg_attr(not(feature = "ec2"), allow(dead_code))]
pub fn ec2_describe_instances(body: &[u8]) -> Result<usize, String> {
    let out: Ec2Response = quick_xml::de::from_reader(body).map_err(|e| e.to_string())?;
    Ok(out
        .reservation_set
        .iter()
        .flat_map(|r| &r.item)
        .map(|r| r.instances_set.as_ref().map_or(0, |i| i.item.len()))
        .sum())
}

// ------------------------------------------------------------ S3 (rest-xml)

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListBucketResult {
    is_truncated: Option<bool>,
    #[serde(default)]
    contents: Vec<Object>,
    name: Option<String>,
    prefix: Option<String>,
    delimiter: Option<String>,
    max_keys: Option<i32>,
    #[serde(default)]
    common_prefixes: Vec<CommonPrefix>,
    encoding_type: Option<String>,
    key_count: Option<i32>,
    continuation_token: Option<String>,
    next_continuation_token: Option<String>,
    start_after: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CommonPrefix {
    prefix: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Object {
    key: Option<String>,
    last_modified: Option<IsoTime>,
    #[serde(rename = "ETag")]
    e_tag: Option<String>,
    #[serde(default)]
    checksum_algorithm: Vec<String>,
    checksum_type: Option<String>,
    size: Option<i64>,
    storage_class: Option<String>,
    owner: Option<Owner>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Owner {
    display_name: Option<String>,
    #[serde(rename = "ID")]
    id: Option<String>,
}

/// `quick_xml::de::from_reader` of an S3 `ListObjectsV2` body; returns the
/// objects.
pub fn s3_list_objects(body: &[u8]) -> Result<usize, String> {
    let out: ListBucketResult = quick_xml::de::from_reader(body).map_err(|e| e.to_string())?;
    Ok(out.contents.len())
}

// ------------------------------------------------------------ CloudWatch (CBOR)

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetMetricDataOutput {
    metric_data_results: Option<Vec<MetricDataResult>>,
    next_token: Option<String>,
    messages: Option<Vec<MessageData>>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetricDataResult {
    id: Option<String>,
    label: Option<String>,
    timestamps: Option<Vec<EpochTime>>,
    values: Option<Vec<f64>>,
    status_code: Option<String>,
    messages: Option<Vec<MessageData>>,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageData {
    code: Option<String>,
    value: Option<String>,
}

/// `ciborium::from_reader` of a CloudWatch `GetMetricData` CBOR body;
/// returns the data points.
pub fn cloudwatch_get_metric_data(body: &[u8]) -> Result<usize, String> {
    let out: GetMetricDataOutput = ciborium::from_reader(body).map_err(|e| e.to_string())?;
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

// ------------------------------------------------------------ SQS (JSON, serialize)

fn base64_opt<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(b) => s.serialize_str(&aws_smithy_types::base64::encode(b)),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageAttributeValue {
    #[serde(skip_serializing_if = "Option::is_none")]
    string_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "base64_opt")]
    binary_value: Option<Vec<u8>>,
    data_type: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendMessageBatchRequestEntry {
    id: String,
    message_body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_seconds: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_attributes: Option<HashMap<String, MessageAttributeValue>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendMessageBatchRequest {
    queue_url: String,
    entries: Vec<SendMessageBatchRequestEntry>,
}

/// The SQS input as plain serde structs, cloned and encoded by
/// `serde_json::to_vec` per call (botogen's side clones its input too).
pub struct SqsSendMessageBatch {
    input: SendMessageBatchRequest,
}

impl SqsSendMessageBatch {
    pub fn new(entries: &[SqsEntry]) -> SqsSendMessageBatch {
        let entries = entries
            .iter()
            .map(|e| {
                let attributes: HashMap<String, MessageAttributeValue> = e
                    .attributes
                    .iter()
                    .map(|(name, data_type, value)| {
                        let (string_value, binary_value) = match value {
                            AttrValue::Str(s) => (Some(s.clone()), None),
                            AttrValue::Bin(b) => (None, Some(b.clone())),
                        };
                        let v = MessageAttributeValue {
                            string_value,
                            binary_value,
                            data_type: (*data_type).to_owned(),
                        };
                        (name.clone(), v)
                    })
                    .collect();
                SendMessageBatchRequestEntry {
                    id: e.id.clone(),
                    message_body: e.body.clone(),
                    delay_seconds: Some(e.delay_seconds),
                    message_attributes: (!attributes.is_empty()).then_some(attributes),
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

    /// Clones and encodes once; returns the body length.
    pub fn run(&self) -> Result<usize, String> {
        let input = self.input.clone();
        serde_json::to_vec(&input)
            .map(|b| b.len())
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn ceilings_decode_every_fixture_item() {
        let ddb = fixtures::dynamodb_query_response(50);
        assert_eq!(dynamodb_query(ddb.as_bytes()), Ok(50));
        let ec2 = fixtures::ec2_describe_instances_response(7);
        assert_eq!(ec2_describe_instances(ec2.as_bytes()), Ok(7));
        let s3 = fixtures::s3_list_objects_response(9);
        assert_eq!(s3_list_objects(s3.as_bytes()), Ok(9));
        let cw = fixtures::cloudwatch_metric_data_response(3, 5);
        assert_eq!(cloudwatch_get_metric_data(&cw), Ok(15));
        let sqs = SqsSendMessageBatch::new(&fixtures::sqs_batch_entries());
        assert!(sqs.run().unwrap() > 1000);
    }

    #[test]
    fn ceiling_values_match_the_fixture() {
        let s3 = fixtures::s3_list_objects_response(1);
        let out: ListBucketResult = quick_xml::de::from_str(&s3).unwrap();
        let etag = out.contents[0].e_tag.as_deref().unwrap();
        assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() == 34);
        assert!(out.contents[0].last_modified.is_some());
        let ddb = fixtures::dynamodb_query_response(1);
        let out: QueryOutput = serde_json::from_str(&ddb).unwrap();
        let item = &out.items.unwrap()[0];
        assert!(matches!(item.get("checksum"), Some(AttributeValue::B(b)) if b.0.len() >= 24));
        assert!(matches!(item.get("lines"), Some(AttributeValue::L(l)) if !l.is_empty()));
        // Malformed input is an error, not a zero count.
        assert!(s3_list_objects(b"<ListBucketResult><KeyCount>x</KeyCount>").is_err());
        assert!(cloudwatch_get_metric_data(&[0xff]).is_err());
    }
}
