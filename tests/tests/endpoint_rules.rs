//! Every endpoint test case of the vendored services (`../shared/endpoint-tests`;
//! for the crates generated from Smithy models, the model's own
//! `smithy.rules#endpointTests`):
//! provider cases against each generated crate's rule set, operation cases
//! through the generated `Operation` statics — the input is built from the
//! case's `operationParams` with the runtime's `testing` support, the
//! rule-set parameters come from the operation's own bindings, and the URL
//! is the resolved endpoint joined with the serialized request, as the
//! client builds it (host prefixes off, as in botocore's test).
//!
//! `cargo test -p botogen-tests --test endpoint_rules [-- FILTER...]`:
//! one line per case, a summary per service, skipped cases with reasons.

use botogen_runtime::client::endpoint::{self, EndpointError};
use botogen_runtime::schema::Service;
use botogen_runtime::testing::{OperationEntry, fill_struct};
use botogen_tests::endpoints::{
    OperationInput, OperationRunner, builtins_of, client_params_of, default_cases_dir, load_cases,
    run_service, smithy_cases,
};
use std::process::ExitCode;

/// Where a crate's cases come from.
enum Cases {
    Botocore,
    Smithy(std::path::PathBuf),
}

/// `../shared` (the endpoint cases' parent).
fn shared_dir() -> std::path::PathBuf {
    default_cases_dir()
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default()
}

struct Generated {
    service: &'static Service,
    registry: &'static [OperationEntry],
}

impl OperationRunner for Generated {
    fn request_url(&self, input: &OperationInput) -> Result<String, (String, bool)> {
        let entry = self
            .registry
            .iter()
            .find(|e| e.key == input.operation_name)
            .ok_or_else(|| (format!("no operation {}", input.operation_name), false))?;
        let mut value = (entry.new_input)();
        fill_struct(value.as_mut(), &input.operation_params).map_err(|e| (e, false))?;
        let builtins = builtins_of(input).map_err(|e| (e, false))?;
        let client = client_params_of(input).map_err(|e| (e, false))?;
        let resolved = endpoint::resolve(
            self.service,
            entry.operation,
            value.as_ref(),
            &builtins,
            &client,
        )
        .map_err(|e| match e {
            EndpointError::Rules(r) => (r.message, true),
            EndpointError::Config(m) => (m, false),
        })?;
        let request = botogen_runtime::protocol::serialize_request(
            self.service,
            self.service.protocol,
            entry.operation,
            value.as_ref(),
        )
        .map_err(|e| (e.to_string(), false))?;
        Ok(resolved.url(&request.uri))
    }
}

fn main() -> ExitCode {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    // botocore's cases (../shared/endpoint-tests/<service>) for the crates
    // generated from botocore models; the Smithy model's own
    // `smithy.rules#endpointTests` for the crates generated from Smithy.
    let smithy_models = shared_dir().join("smithy-models/aws-sdk-models-2026-06");
    let services: Vec<(&str, Cases, &'static Service, &'static [OperationEntry])> = vec![
        (
            "bedrock-runtime",
            Cases::Botocore,
            &botogen_bedrock_runtime::operations::SERVICE,
            botogen_bedrock_runtime::registry::REGISTRY,
        ),
        (
            "cloudwatch",
            Cases::Botocore,
            &botogen_cloudwatch::operations::SERVICE,
            botogen_cloudwatch::registry::REGISTRY,
        ),
        (
            "connectparticipant",
            Cases::Botocore,
            &botogen_connectparticipant::operations::SERVICE,
            botogen_connectparticipant::registry::REGISTRY,
        ),
        (
            "dynamodb",
            Cases::Botocore,
            &botogen_dynamodb::operations::SERVICE,
            botogen_dynamodb::registry::REGISTRY,
        ),
        (
            "ec2",
            Cases::Botocore,
            &botogen_ec2::operations::SERVICE,
            botogen_ec2::registry::REGISTRY,
        ),
        (
            "kinesis",
            Cases::Botocore,
            &botogen_kinesis::operations::SERVICE,
            botogen_kinesis::registry::REGISTRY,
        ),
        (
            "lambda",
            Cases::Botocore,
            &botogen_lambda::operations::SERVICE,
            botogen_lambda::registry::REGISTRY,
        ),
        (
            "s3",
            Cases::Botocore,
            &botogen_s3::operations::SERVICE,
            botogen_s3::registry::REGISTRY,
        ),
        (
            "sqs",
            Cases::Botocore,
            &botogen_sqs::operations::SERVICE,
            botogen_sqs::registry::REGISTRY,
        ),
        (
            "sso",
            Cases::Botocore,
            &botogen_sso::operations::SERVICE,
            botogen_sso::registry::REGISTRY,
        ),
        (
            "sso-oidc",
            Cases::Botocore,
            &botogen_sso_oidc::operations::SERVICE,
            botogen_sso_oidc::registry::REGISTRY,
        ),
        (
            "sts",
            Cases::Botocore,
            &botogen_sts::operations::SERVICE,
            botogen_sts::registry::REGISTRY,
        ),
        (
            "dynamodb-smithy",
            Cases::Smithy(smithy_models.join("dynamodb.json")),
            &botogen_dynamodb_smithy::operations::SERVICE,
            botogen_dynamodb_smithy::registry::REGISTRY,
        ),
        (
            "sqs-smithy",
            Cases::Smithy(smithy_models.join("sqs.json")),
            &botogen_sqs_smithy::operations::SERVICE,
            botogen_sqs_smithy::registry::REGISTRY,
        ),
    ];
    let dir = default_cases_dir();
    let mut reports = Vec::new();
    for (name, source, service, registry) in services {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let rules = service
            .endpoint_rules
            .expect("vendored services carry their rule set");
        let program = match rules.rule_set.program() {
            Ok(p) => p,
            Err(e) => {
                println!("FAILED  {name}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let loaded = match &source {
            Cases::Botocore => load_cases(&dir, name),
            Cases::Smithy(path) => std::fs::read_to_string(path)
                .map_err(|e| format!("{}: {e}", path.display()))
                .and_then(|text| {
                    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
                })
                .and_then(|model| smithy_cases(&model, &path.display().to_string())),
        };
        let cases = match loaded {
            Ok(c) => c,
            Err(e) => {
                println!("FAILED  {name}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let runner = Generated { service, registry };
        let report = run_service(name, program, &cases, Some(&runner), "", &mut |line| {
            println!("{line}")
        });
        println!("{}", report.summary());
        reports.push(report);
    }
    println!();
    for r in &reports {
        println!("{}", r.summary());
    }
    let passed: usize = reports.iter().map(|r| r.passed).sum();
    let failed: usize = reports.iter().map(|r| r.failed.len()).sum();
    let skipped: Vec<&(String, String)> = reports.iter().flat_map(|r| &r.skipped).collect();
    for (name, why) in &skipped {
        println!("skipped {name}: {why}");
    }
    println!(
        "{passed} passed, {failed} failed, {} skipped",
        skipped.len()
    );
    if failed == 0 && skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
