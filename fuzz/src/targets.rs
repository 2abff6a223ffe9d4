//! What each fuzz target feeds to the runtime: an arbitrary body (and, for the
//! first byte, a choice of status code) parsed as a realistic operation's
//! response, both as success and as error. Shared by the cargo-fuzz targets
//! and by the regression test that replays kept crash inputs
//! (`tests/tests/fuzz_regressions.rs` includes this file), so a crash found
//! once stays covered in `cargo test`.
//!
//! The only property checked is the one that matters for untrusted input:
//! parsing returns (Ok or Err) without panicking, overflowing the stack or
//! allocating without bound.

use botogen_runtime::{OperationError, Struct};
use botogen_runtime::protocol::{self, HttpResponse};
use botogen_runtime::schema::{Operation, Protocol, Service};

/// Target names, in the order `cargo xtask fuzz` lists them.
pub const TARGETS: &[&str] = &["cbor", "ec2", "json", "query", "rest_json", "rest_xml"];

/// Parses `data` as the response of the target's operation.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "json" => parse::<botogen_dynamodb::types::QueryOutput, botogen_dynamodb::operations::QueryError>(
            &botogen_dynamodb::operations::SERVICE,
            Protocol::Json,
            &botogen_dynamodb::operations::QUERY,
            data,
        ),
        "rest_json" => parse::<botogen_lambda::types::FunctionConfiguration, botogen_lambda::operations::GetFunctionConfigurationError>(
            &botogen_lambda::operations::SERVICE,
            Protocol::RestJson,
            &botogen_lambda::operations::GET_FUNCTION_CONFIGURATION,
            data,
        ),
        "query" => parse::<botogen_sts::types::AssumeRoleResponse, botogen_sts::operations::AssumeRoleError>(
            &botogen_sts::operations::SERVICE,
            Protocol::Query,
            &botogen_sts::operations::ASSUME_ROLE,
            data,
        ),
        "ec2" => parse::<botogen_ec2::types::DescribeInstancesResult, botogen_ec2::operations::DescribeInstancesError>(
            &botogen_ec2::operations::SERVICE,
            Protocol::Ec2,
            &botogen_ec2::operations::DESCRIBE_INSTANCES,
            data,
        ),
        "rest_xml" => parse::<botogen_s3::types::ListObjectsV2Output, botogen_s3::operations::ListObjectsV2Error>(
            &botogen_s3::operations::SERVICE,
            Protocol::RestXml,
            &botogen_s3::operations::LIST_OBJECTS_V2,
            data,
        ),
        "cbor" => parse::<botogen_cloudwatch::types::GetMetricDataOutput, botogen_cloudwatch::operations::GetMetricDataError>(
            &botogen_cloudwatch::operations::SERVICE,
            Protocol::SmithyRpcV2Cbor,
            &botogen_cloudwatch::operations::GET_METRIC_DATA,
            data,
        ),
        _ => {}
    }
}

fn parse<O: Struct + Default, E: OperationError>(service: &Service, protocol: Protocol, op: &Operation, data: &[u8]) {
    // The first byte picks a success or an error status, so both paths get fuzzed.
    let (status, body) = match data.split_first() {
        Some((b, rest)) if b % 2 == 1 => (400, rest),
        Some((_, rest)) => (200, rest),
        None => (200, data),
    };
    let response = HttpResponse {
        status,
        headers: vec![
            ("x-amzn-requestid".into(), "fuzz".into()),
            ("content-type".into(), "application/octet-stream".into()),
        ],
        body: body.to_vec(),
    };
    if status == 200 {
        let mut out = O::default();
        let _ = protocol::parse_response(service, protocol, op, &response, &mut out);
    } else if let Ok(envelope) = protocol::parse_error_envelope(service, protocol, op, &response) {
        // A modeled error's fields are parsed exactly as the client would.
        if let Some(mut error) = envelope.modeled.and_then(E::modeled) {
            if let (Some(index), Some(fields)) = (envelope.modeled, error.modeled_mut()) {
                let _ = protocol::parse_error_body(service, protocol, op, index, &response, fields);
            }
        }
    }
}
