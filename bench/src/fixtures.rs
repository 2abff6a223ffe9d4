//! Deterministic, realistic payloads for the throughput benchmarks.
//!
//! Built from a fixed-seed PRNG so every run (and both sides of a
//! comparison) sees byte-identical input without checking megabytes of
//! fixtures into the repository.

use std::fmt::Write as _;

/// SplitMix64: tiny, fast and good enough to vary field values; a fixed seed
/// keeps the fixtures reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            let _ = write!(s, "{:016x}", self.next_u64());
        }
        s.truncate(len);
        s
    }

    pub fn word(&mut self) -> &'static str {
        const WORDS: &[&str] = &[
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
            "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
        ];
        self.pick(WORDS)
    }

    pub fn sentence(&mut self, words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.word());
        }
        s
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// Standard base64 with padding (what both JSON protocols put on the wire).
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// JSON string literal (escapes quotes, backslashes and control characters).
fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An ISO 8601 UTC timestamp some time in 2024, with milliseconds.
fn iso_time(rng: &mut Rng) -> String {
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    format!(
        "2024-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rng.below(24),
        rng.below(60),
        rng.below(60),
        rng.below(1000)
    )
}

/// The body of a DynamoDB `Query` response with `items` items of mixed
/// attribute types: S, N, B, BOOL, NULL, L, M, SS, NS.
pub fn dynamodb_query_response(items: usize) -> String {
    let mut rng = Rng::new(0xD1A0);
    let mut out = String::with_capacity(items * 900);
    out.push_str("{\"Count\":");
    let _ = write!(out, "{items},\"ScannedCount\":{items},\"Items\":[");
    for i in 0..items {
        if i > 0 {
            out.push(',');
        }
        let customer = rng.below(500);
        let _ = write!(
            out,
            "{{\"pk\":{{\"S\":\"CUSTOMER#{customer:05}\"}},\"sk\":{{\"S\":\"ORDER#{}#{i:06}\"}}",
            iso_time(&mut rng)
        );
        let _ = write!(
            out,
            ",\"status\":{{\"S\":{}}}",
            js(rng.pick(&["PENDING", "SHIPPED", "DELIVERED", "CANCELLED"]))
        );
        let _ = write!(
            out,
            ",\"total\":{{\"N\":\"{}.{:02}\"}},\"quantity\":{{\"N\":\"{}\"}}",
            rng.below(10_000),
            rng.below(100),
            1 + rng.below(20)
        );
        let _ = write!(out, ",\"gift\":{{\"BOOL\":{}}}", rng.below(2) == 0);
        if rng.below(4) == 0 {
            out.push_str(",\"coupon\":{\"NULL\":true}");
        }
        let blob_len = 24 + rng.below(40) as usize;
        let blob = rng.bytes(blob_len);
        let _ = write!(out, ",\"checksum\":{{\"B\":\"{}\"}}", base64(&blob));
        let words = 4 + rng.below(8) as usize;
        let _ = write!(out, ",\"note\":{{\"S\":{}}}", js(&rng.sentence(words)));
        // SS: distinct strings, as DynamoDB requires.
        out.push_str(",\"tags\":{\"SS\":[");
        let n_tags = 1 + rng.below(4);
        for t in 0..n_tags {
            if t > 0 {
                out.push(',');
            }
            let _ = write!(out, "\"{}-{t}\"", rng.word());
        }
        out.push_str("]}");
        out.push_str(",\"ratings\":{\"NS\":[");
        for t in 0..3 {
            if t > 0 {
                out.push(',');
            }
            let _ = write!(out, "\"{}\"", t * 10 + rng.below(10));
        }
        out.push_str("]}");
        // L of M: order lines.
        out.push_str(",\"lines\":{\"L\":[");
        let n_lines = 1 + rng.below(4);
        for l in 0..n_lines {
            if l > 0 {
                out.push(',');
            }
            let _ = write!(
                out,
                "{{\"M\":{{\"sku\":{{\"S\":\"SKU-{}\"}},\"qty\":{{\"N\":\"{}\"}},\"price\":{{\"N\":\"{}.{:02}\"}},\"backorder\":{{\"BOOL\":{}}}}}}}",
                rng.hex(8).to_uppercase(),
                1 + rng.below(5),
                rng.below(500),
                rng.below(100),
                rng.below(5) == 0
            );
        }
        out.push_str("]}");
        // M: nested address with a list inside.
        let _ = write!(
            out,
            ",\"address\":{{\"M\":{{\"street\":{{\"S\":\"{} {} Street\"}},\"city\":{{\"S\":{}}},\"zip\":{{\"S\":\"{:05}\"}},\"geo\":{{\"L\":[{{\"N\":\"{}.{:06}\"}},{{\"N\":\"-{}.{:06}\"}}]}}}}}}",
            1 + rng.below(9999),
            rng.word(),
            js(rng.pick(&["Seattle", "Austin", "Boston", "Denver", "Portland"])),
            rng.below(99_999),
            rng.below(90),
            rng.below(1_000_000),
            rng.below(180),
            rng.below(1_000_000)
        );
        out.push('}');
    }
    out.push_str("],\"LastEvaluatedKey\":{\"pk\":{\"S\":\"CUSTOMER#00499\"},\"sk\":{\"S\":\"ORDER#2024-12-31T23:59:59.999Z#000999\"}}");
    out.push_str(
        ",\"ConsumedCapacity\":{\"TableName\":\"Orders\",\"CapacityUnits\":128.5,\"ReadCapacityUnits\":128.5}}",
    );
    out
}

fn xml_item_tags(out: &mut String, rng: &mut Rng, idx: usize) {
    out.push_str("<tagSet>");
    let _ = write!(
        out,
        "<item><key>Name</key><value>{}-{idx:04}</value></item>",
        rng.pick(&["web", "api", "worker", "db", "cache"])
    );
    let _ = write!(
        out,
        "<item><key>Environment</key><value>{}</value></item>",
        rng.pick(&["prod", "staging", "dev"])
    );
    let _ = write!(
        out,
        "<item><key>Team</key><value>{}</value></item>",
        rng.word()
    );
    if rng.below(2) == 0 {
        let _ = write!(
            out,
            "<item><key>aws:cloudformation:stack-name</key><value>stack-{}</value></item>",
            rng.hex(8)
        );
    }
    out.push_str("</tagSet>");
}

fn xml_groups(out: &mut String, sg: &[(String, &str)]) {
    out.push_str("<groupSet>");
    for (id, name) in sg {
        let _ = write!(
            out,
            "<item><groupId>{id}</groupId><groupName>{name}</groupName></item>"
        );
    }
    out.push_str("</groupSet>");
}

/// The body of an EC2 `DescribeInstances` response with `instances`
/// instances (two per reservation) carrying the fields a typical
/// instance has: state, placement, tags, security groups, block devices,
/// network interfaces, timestamps, metadata and CPU options.
pub fn ec2_describe_instances_response(instances: usize) -> String {
    let mut rng = Rng::new(0xEC2);
    let mut out = String::with_capacity(instances * 6000);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">");
    let _ = write!(
        out,
        "<requestId>{}-{}-{}-{}-{}</requestId><reservationSet>",
        rng.hex(8),
        rng.hex(4),
        rng.hex(4),
        rng.hex(4),
        rng.hex(12)
    );
    let mut idx = 0;
    while idx < instances {
        let _ = write!(
            out,
            "<item><reservationId>r-{}</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>",
            rng.hex(17)
        );
        for _ in 0..2 {
            if idx == instances {
                break;
            }
            ec2_instance(&mut out, &mut rng, idx);
            idx += 1;
        }
        out.push_str("</instancesSet></item>");
    }
    out.push_str("</reservationSet></DescribeInstancesResponse>");
    out
}

fn ec2_instance(out: &mut String, rng: &mut Rng, idx: usize) {
    let (code, state) = [(16, "running"), (80, "stopped"), (0, "pending")][rng.below(3) as usize];
    let az = rng.pick(&["us-east-1a", "us-east-1b", "us-east-1c"]);
    let subnet = format!("subnet-{}", rng.hex(17));
    let vpc = format!("vpc-{}", rng.hex(17));
    let ip = format!("10.0.{}.{}", rng.below(256), 1 + rng.below(254));
    let private_dns = format!("ip-{}.ec2.internal", ip.replace('.', "-"));
    let public_ip = format!(
        "54.{}.{}.{}",
        rng.below(256),
        rng.below(256),
        rng.below(256)
    );
    let public_dns = format!(
        "ec2-{}.compute-1.amazonaws.com",
        public_ip.replace('.', "-")
    );
    let mut groups = vec![(format!("sg-{}", rng.hex(17)), "default")];
    if rng.below(2) == 0 {
        groups.push((format!("sg-{}", rng.hex(17)), "web-tier"));
    }
    let launch = iso_time(rng);
    let _ = write!(
        out,
        "<item><instanceId>i-{}</instanceId><imageId>ami-{}</imageId>\
<instanceState><code>{code}</code><name>{state}</name></instanceState>\
<privateDnsName>{private_dns}</privateDnsName><dnsName>{public_dns}</dnsName><reason/>\
<keyName>deploy-key</keyName><amiLaunchIndex>0</amiLaunchIndex><productCodes/>\
<instanceType>{}</instanceType><launchTime>{launch}</launchTime>\
<placement><availabilityZoneId>use1-az{}</availabilityZoneId><availabilityZone>{az}</availabilityZone><groupName/><tenancy>default</tenancy></placement>\
<monitoring><state>{}</state></monitoring><subnetId>{subnet}</subnetId><vpcId>{vpc}</vpcId>\
<privateIpAddress>{ip}</privateIpAddress><ipAddress>{public_ip}</ipAddress><sourceDestCheck>true</sourceDestCheck>",
        rng.hex(17),
        rng.hex(17),
        rng.pick(&["t3.micro", "m5.large", "c6g.xlarge", "r6i.2xlarge"]),
        1 + rng.below(6),
        rng.pick(&["disabled", "enabled"]),
    );
    xml_groups(out, &groups);
    out.push_str("<architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName><blockDeviceMapping>");
    let n_vols = 1 + rng.below(3);
    for v in 0..n_vols {
        let _ = write!(
            out,
            "<item><deviceName>/dev/{}</deviceName><ebs><volumeId>vol-{}</volumeId><status>attached</status><attachTime>{}</attachTime><deleteOnTermination>{}</deleteOnTermination></ebs></item>",
            if v == 0 {
                "xvda".to_owned()
            } else {
                format!("sd{}", (b'a' + v as u8) as char)
            },
            rng.hex(17),
            launch,
            v == 0
        );
    }
    let _ = write!(
        out,
        "</blockDeviceMapping><virtualizationType>hvm</virtualizationType><clientToken>{}</clientToken>",
        rng.hex(32)
    );
    xml_item_tags(out, rng, idx);
    out.push_str("<hypervisor>xen</hypervisor><networkInterfaceSet>");
    let mac = format!(
        "0e:{}:{}:{}:{}:{}",
        rng.hex(2),
        rng.hex(2),
        rng.hex(2),
        rng.hex(2),
        rng.hex(2)
    );
    let _ = write!(
        out,
        "<item><networkInterfaceId>eni-{}</networkInterfaceId><subnetId>{subnet}</subnetId><vpcId>{vpc}</vpcId>\
<description/><ownerId>123456789012</ownerId><status>in-use</status><macAddress>{mac}</macAddress>\
<privateIpAddress>{ip}</privateIpAddress><privateDnsName>{private_dns}</privateDnsName><sourceDestCheck>true</sourceDestCheck>",
        rng.hex(17)
    );
    xml_groups(out, &groups);
    let _ = write!(
        out,
        "<attachment><attachmentId>eni-attach-{}</attachmentId><deviceIndex>0</deviceIndex><status>attached</status>\
<attachTime>{launch}</attachTime><deleteOnTermination>true</deleteOnTermination><networkCardIndex>0</networkCardIndex></attachment>\
<association><publicIp>{public_ip}</publicIp><publicDnsName>{public_dns}</publicDnsName><ipOwnerId>amazon</ipOwnerId></association>\
<privateIpAddressesSet><item><privateIpAddress>{ip}</privateIpAddress><privateDnsName>{private_dns}</privateDnsName><primary>true</primary>\
<association><publicIp>{public_ip}</publicIp><publicDnsName>{public_dns}</publicDnsName><ipOwnerId>amazon</ipOwnerId></association></item></privateIpAddressesSet>\
<ipv6AddressesSet/><interfaceType>interface</interfaceType></item></networkInterfaceSet>",
        rng.hex(17)
    );
    let _ = write!(
        out,
        "<ebsOptimized>{}</ebsOptimized><enaSupport>true</enaSupport>\
<cpuOptions><coreCount>{}</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions>\
<capacityReservationSpecification><capacityReservationPreference>open</capacityReservationPreference></capacityReservationSpecification>\
<hibernationOptions><configured>false</configured></hibernationOptions>\
<metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit>\
<httpEndpoint>enabled</httpEndpoint><httpProtocolIpv6>disabled</httpProtocolIpv6><instanceMetadataTags>disabled</instanceMetadataTags></metadataOptions>\
<enclaveOptions><enabled>false</enabled></enclaveOptions><platformDetails>Linux/UNIX</platformDetails>\
<usageOperation>RunInstances</usageOperation><usageOperationUpdateTime>{launch}</usageOperationUpdateTime>\
<privateDnsNameOptions><hostnameType>ip-name</hostnameType><enableResourceNameDnsARecord>false</enableResourceNameDnsARecord>\
<enableResourceNameDnsAAAARecord>false</enableResourceNameDnsAAAARecord></privateDnsNameOptions>\
<maintenanceOptions><autoRecovery>default</autoRecovery></maintenanceOptions><currentInstanceBootMode>legacy-bios</currentInstanceBootMode></item>",
        rng.below(2) == 0,
        1 + rng.below(4)
    );
}

/// One `SendMessageBatch` entry, independent of either SDK's types.
pub struct SqsEntry {
    pub id: String,
    pub body: String,
    pub delay_seconds: i32,
    /// (name, data type, string value or base64-free binary value)
    pub attributes: Vec<(String, &'static str, AttrValue)>,
}

pub enum AttrValue {
    Str(String),
    Bin(Vec<u8>),
}

/// Ten `SendMessageBatch` entries with a JSON body and three message
/// attributes each (String, Number, Binary).
pub fn sqs_batch_entries() -> Vec<SqsEntry> {
    let mut rng = Rng::new(0x505);
    (0..10)
        .map(|i| {
            let body = format!(
                "{{\"orderId\":\"{}\",\"customer\":\"CUSTOMER#{:05}\",\"total\":{}.{:02},\"note\":{}}}",
                rng.hex(16),
                rng.below(500),
                rng.below(10_000),
                rng.below(100),
                js(&rng.sentence(12))
            );
            SqsEntry {
                id: format!("msg-{i}"),
                body,
                delay_seconds: (rng.below(5)) as i32,
                attributes: vec![
                    (
                        "EventType".to_owned(),
                        "String",
                        AttrValue::Str(rng.pick(&["created", "updated", "deleted"]).to_owned()),
                    ),
                    (
                        "Priority".to_owned(),
                        "Number",
                        AttrValue::Str(format!("{}", rng.below(10))),
                    ),
                    (
                        "Signature".to_owned(),
                        "Binary",
                        AttrValue::Bin(rng.bytes(32)),
                    ),
                ],
            }
        })
        .collect()
}

/// The body of a successful `SendMessageBatch` response for `entries`.
pub fn sqs_batch_response(entries: &[SqsEntry]) -> String {
    let mut rng = Rng::new(0x5050);
    let mut out = String::from("{\"Successful\":[");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"Id\":{},\"MessageId\":\"{}-{}-{}-{}-{}\",\"MD5OfMessageBody\":\"{}\",\"MD5OfMessageAttributes\":\"{}\"}}",
            js(&e.id),
            rng.hex(8),
            rng.hex(4),
            rng.hex(4),
            rng.hex(4),
            rng.hex(12),
            rng.hex(32),
            rng.hex(32)
        );
    }
    out.push_str("],\"Failed\":[]}");
    out
}

/// The body of an S3 `ListObjectsV2` response (rest-xml) listing `keys`
/// objects, as S3 sends it: quoted ETags escaped as `&quot;`, an owner per
/// object (`fetch-owner=true`) and a continuation token.
pub fn s3_list_objects_response(keys: usize) -> String {
    let mut rng = Rng::new(0x53);
    let mut out = String::with_capacity(keys * 420 + 512);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">",
    );
    let _ = write!(
        out,
        "<Name>bench-bucket</Name><Prefix>photos/</Prefix><KeyCount>{keys}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>"
    );
    for i in 0..keys {
        let _ = write!(
            out,
            "<Contents><Key>photos/{}/{}-{i:06}.{}</Key><LastModified>{}</LastModified>\
<ETag>&quot;{}&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>\
<Size>{}</Size><Owner><DisplayName>owner-{}</DisplayName><ID>{}</ID></Owner><StorageClass>{}</StorageClass></Contents>",
            2020 + rng.below(5),
            rng.word(),
            rng.pick(&["jpg", "png", "heic", "mov"]),
            iso_time(&mut rng),
            rng.hex(32),
            rng.below(50_000_000),
            rng.word(),
            rng.hex(64),
            rng.pick(&[
                "STANDARD",
                "STANDARD_IA",
                "INTELLIGENT_TIERING",
                "GLACIER_IR"
            ]),
        );
    }
    let _ = write!(
        out,
        "<NextContinuationToken>{}</NextContinuationToken><StartAfter>photos/</StartAfter></ListBucketResult>",
        base64(&rng.bytes(60))
    );
    out
}

/// A minimal CBOR writer (RFC 8949): just the items the CloudWatch fixture
/// needs, so that the payload does not come from either side's encoder.
struct Cbor(Vec<u8>);

impl Cbor {
    fn head(&mut self, major: u8, n: u64) {
        let m = major << 5;
        match n {
            0..=23 => self.0.push(m | n as u8),
            24..=0xff => self.0.extend([m | 24, n as u8]),
            0x100..=0xffff => {
                self.0.push(m | 25);
                self.0.extend((n as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                self.0.push(m | 26);
                self.0.extend((n as u32).to_be_bytes());
            }
            _ => {
                self.0.push(m | 27);
                self.0.extend(n.to_be_bytes());
            }
        }
    }

    fn text(&mut self, s: &str) {
        self.head(3, s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn array(&mut self, len: usize) {
        self.head(4, len as u64);
    }

    fn map(&mut self, len: usize) {
        self.head(5, len as u64);
    }

    fn f64(&mut self, v: f64) {
        self.0.push(0xfb);
        self.0.extend(v.to_bits().to_be_bytes());
    }

    /// Tag 1 (epoch seconds) around a double, as smithy-rpc-v2-cbor sends
    /// timestamps.
    fn epoch(&mut self, secs: f64) {
        self.head(6, 1);
        self.f64(secs);
    }
}

/// The body of a CloudWatch `GetMetricData` response over
/// smithy-rpc-v2-cbor: `metrics` results of `points` data points each
/// (timestamps a minute apart, double values), as one dashboard refresh
/// returns.
pub fn cloudwatch_metric_data_response(metrics: usize, points: usize) -> Vec<u8> {
    let mut rng = Rng::new(0xC10D);
    let mut c = Cbor(Vec::with_capacity(metrics * points * 20 + 256));
    c.map(if metrics > 0 { 3 } else { 1 });
    c.text("MetricDataResults");
    c.array(metrics);
    let start = 1_733_000_000.0_f64;
    for m in 0..metrics {
        c.map(5);
        c.text("Id");
        c.text(&format!("m{m}"));
        c.text("Label");
        c.text(&format!(
            "{} {} {}",
            rng.pick(&["CPUUtilization", "NetworkIn", "Latency", "Errors"]),
            rng.word(),
            rng.hex(6)
        ));
        c.text("Timestamps");
        c.array(points);
        for p in 0..points {
            c.epoch(start - 60.0 * p as f64);
        }
        c.text("Values");
        c.array(points);
        for _ in 0..points {
            c.f64(rng.below(1_000_000) as f64 / 1000.0);
        }
        c.text("StatusCode");
        c.text("Complete");
    }
    if metrics > 0 {
        c.text("NextToken");
        c.text(&base64(&rng.bytes(48)));
        c.text("Messages");
        c.array(0);
    }
    c.0
}

/// The empty-result counterparts, used to subtract each side's fixed
/// per-call cost from the full-call timings.
pub fn dynamodb_empty_response() -> String {
    dynamodb_query_response(0)
}

#[cfg_attr(not(feature = "botogen-ec2"), allow(dead_code))]
pub fn ec2_empty_response() -> String {
    ec2_describe_instances_response(0)
}

pub fn s3_empty_response() -> String {
    s3_list_objects_response(0)
}

pub fn cloudwatch_empty_response() -> Vec<u8> {
    cloudwatch_metric_data_response(0, 0)
}

/// A single minimal entry (id and a one-byte body, no attributes).
pub fn sqs_minimal_entries() -> Vec<SqsEntry> {
    vec![SqsEntry {
        id: "m".to_owned(),
        body: "x".to_owned(),
        delay_seconds: 0,
        attributes: Vec::new(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn fixtures_are_deterministic_and_sized() {
        let a = dynamodb_query_response(1000);
        assert_eq!(a, dynamodb_query_response(1000));
        assert_eq!(a.matches("\"pk\":").count(), 1001); // items + LastEvaluatedKey
        let x = ec2_describe_instances_response(500);
        assert_eq!(x.matches("<instanceId>").count(), 500);
        assert_eq!(sqs_batch_entries().len(), 10);
        let s3 = s3_list_objects_response(1000);
        assert_eq!(s3.matches("<Contents>").count(), 1000);
        assert_eq!(s3, s3_list_objects_response(1000));
        let cw = cloudwatch_metric_data_response(2, 3);
        // map(3), "MetricDataResults", array(2), then the first result map(5).
        assert_eq!(&cw[..3], &[0xa3, 0x71, b'M']);
        assert_eq!(&cw[2 + 17..2 + 17 + 2], &[0x82, 0xa5]);
    }

    #[test]
    fn cbor_heads_use_the_shortest_form() {
        let mut c = Cbor(Vec::new());
        c.head(0, 23);
        c.head(0, 24);
        c.head(4, 300);
        c.head(0, 70_000);
        c.head(0, 1 << 40);
        assert_eq!(
            c.0,
            [
                0x17, 0x18, 24, 0x99, 0x01, 0x2c, 0x1a, 0x00, 0x01, 0x11, 0x70, 0x1b, 0, 0, 1, 0,
                0, 0, 0, 0
            ]
        );
    }
}
