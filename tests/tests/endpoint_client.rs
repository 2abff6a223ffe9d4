//! Endpoint resolution as the client does it for real calls: the
//! configuration's built-ins, the generated operations' bindings, the rule
//! set's URL and `authSchemes`, and the signature that follows from them.
//!
//! The S3 cases check the resolved URL and the signed request (Host,
//! credential scope) for AWS hosts without sending; the client cases send
//! to the runtime's local fake server (`endpoint_url`, i.e. `SDK::Endpoint`).

use botogen_runtime::SdkError;
use botogen_runtime::client::endpoint::{self, ResolvedEndpoint};
use botogen_runtime::client::signing::{self, SigningContext};
use botogen_runtime::client::{Config, Credentials, S3Config};
use botogen_runtime::schema::{Operation, Service};
use botogen_runtime::test_util::{FakeResponse, FakeServer};
use botogen_runtime::value::Struct;
use std::time::SystemTime;

fn resolve(
    service: &Service,
    op: &Operation,
    input: &dyn Struct,
    config: &Config,
) -> ResolvedEndpoint {
    let builtins = endpoint::builtins(config, service, op, input);
    let client = endpoint::client_params(config, service).expect("client params");
    endpoint::resolve(service, op, input, &builtins, &client).expect("an endpoint")
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Signs a request for `url` as the client would: Host from the endpoint,
/// the plan from its auth schemes.
fn sign(service: &Service, e: &ResolvedEndpoint, region: &str, url: &str) -> Vec<(String, String)> {
    let plan = signing::signing_plan(service, e, Some(region)).expect("a signing plan");
    let creds = Credentials::new("AKIDEXAMPLE", "SECRET", None);
    let cx = SigningContext {
        credentials: &creds,
        plan: &plan,
        time: SystemTime::now(),
        unsigned_body: false,
    };
    let mut headers = vec![("host".to_owned(), e.authority())];
    signing::sign_request(&cx, "GET", url, &mut headers, b"").expect("signed");
    headers
}

#[test]
fn s3_get_object_in_us_west_2_is_virtual_hosted_and_signed_for_the_region() {
    use botogen_s3::operations::{GET_OBJECT, SERVICE};
    let input = botogen_s3::types::GetObjectRequest::new("my-bucket", "photos/cat 1.jpg");
    let config = Config::new().region("us-west-2");
    let e = resolve(&SERVICE, &GET_OBJECT, &input, &config);
    let request = botogen_runtime::protocol::serialize_request(
        &SERVICE,
        SERVICE.protocol,
        &GET_OBJECT,
        &input,
    )
    .unwrap();
    let url = e.url(&request.uri);
    assert_eq!(
        url,
        "https://my-bucket.s3.us-west-2.amazonaws.com/photos/cat%201.jpg"
    );
    let headers = sign(&SERVICE, &e, "us-west-2", &url);
    assert_eq!(
        header(&headers, "host"),
        Some("my-bucket.s3.us-west-2.amazonaws.com")
    );
    let auth = header(&headers, "authorization").unwrap();
    assert!(auth.contains("/us-west-2/s3/aws4_request"), "{auth}");
    assert!(header(&headers, "x-amz-content-sha256").is_some());

    // us-east-1 goes to the global endpoint by default, as in botocore.
    let east = resolve(
        &SERVICE,
        &GET_OBJECT,
        &input,
        &Config::new().region("us-east-1"),
    );
    assert_eq!(east.url("/k"), "https://my-bucket.s3.amazonaws.com/k");
    // Names that cannot be host labels, and forced path style, use the path.
    let dotted = botogen_s3::types::GetObjectRequest::new("my.bucket", "k");
    let path = resolve(&SERVICE, &GET_OBJECT, &dotted, &config);
    assert_eq!(
        path.url("/k"),
        "https://s3.us-west-2.amazonaws.com/my.bucket/k"
    );
    let forced = Config {
        s3: S3Config {
            force_path_style: Some(true),
            ..S3Config::default()
        },
        ..config.clone()
    };
    assert_eq!(
        resolve(&SERVICE, &GET_OBJECT, &input, &forced).url("/k"),
        "https://s3.us-west-2.amazonaws.com/my-bucket/k"
    );
    // FIPS and dual-stack from the configuration.
    let fips = resolve(
        &SERVICE,
        &GET_OBJECT,
        &input,
        &config.clone().use_fips(true).use_dual_stack(true),
    );
    assert_eq!(
        fips.host,
        "my-bucket.s3-fips.dualstack.us-west-2.amazonaws.com"
    );
}

#[test]
fn s3_access_point_arns_are_signed_for_the_arn_region() {
    use botogen_s3::operations::{GET_OBJECT, SERVICE};
    let input = botogen_s3::types::GetObjectRequest::new(
        "arn:aws:s3:eu-west-1:123456789012:accesspoint/my-ap",
        "k",
    );
    let e = resolve(
        &SERVICE,
        &GET_OBJECT,
        &input,
        &Config::new().region("us-west-2"),
    );
    assert_eq!(
        e.host,
        "my-ap-123456789012.s3-accesspoint.eu-west-1.amazonaws.com"
    );
    let headers = sign(&SERVICE, &e, "us-west-2", &e.url("/k"));
    assert!(
        header(&headers, "authorization")
            .unwrap()
            .contains("/eu-west-1/s3/aws4_request")
    );
    // Refusing the ARN's region is the rule set's error.
    let config = Config {
        s3: S3Config {
            use_arn_region: Some(false),
            ..S3Config::default()
        },
        ..Config::new().region("us-west-2")
    };
    let builtins = endpoint::builtins(&config, &SERVICE, &GET_OBJECT, &input);
    let err = endpoint::resolve(&SERVICE, &GET_OBJECT, &input, &builtins, &[]).unwrap_err();
    assert!(err.to_string().contains("region"), "{err}");
}

#[test]
fn s3_express_needs_session_auth_or_its_opt_out() {
    use botogen_s3::operations::{GET_OBJECT, SERVICE};
    let input = botogen_s3::types::GetObjectRequest::new("mybucket--usw2-az1--x-s3", "k");
    let config = Config::new().region("us-west-2");
    let e = resolve(&SERVICE, &GET_OBJECT, &input, &config);
    assert_eq!(
        e.host,
        "mybucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com"
    );
    let err = signing::signing_plan(&SERVICE, &e, Some("us-west-2")).unwrap_err();
    assert!(err.contains("disable_express_session_auth"), "{err}");
    let opt_out = Config {
        s3: S3Config {
            disable_express_session_auth: Some(true),
            ..S3Config::default()
        },
        ..config.clone()
    };
    let e = resolve(&SERVICE, &GET_OBJECT, &input, &opt_out);
    let plan = signing::signing_plan(&SERVICE, &e, Some("us-west-2")).unwrap();
    assert_eq!(
        (plan.name.as_str(), plan.region.as_str()),
        ("s3express", "us-west-2")
    );
    // The same through the client context parameter.
    let by_param = config.client_context_param("DisableS3ExpressSessionAuth", true);
    assert_eq!(
        resolve(&SERVICE, &GET_OBJECT, &input, &by_param).auth_schemes,
        e.auth_schemes
    );
}

#[test]
fn host_prefixes_apply_to_rule_set_hosts() {
    use botogen_s3::operations::{SERVICE, WRITE_GET_OBJECT_RESPONSE};
    let input = botogen_s3::types::WriteGetObjectResponseRequest::new("route", "token");
    let mut e = resolve(
        &SERVICE,
        &WRITE_GET_OBJECT_RESPONSE,
        &input,
        &Config::new().region("us-west-2"),
    );
    let request = botogen_runtime::protocol::serialize_request(
        &SERVICE,
        SERVICE.protocol,
        &WRITE_GET_OBJECT_RESPONSE,
        &input,
    )
    .unwrap();
    e.with_host_prefix(request.host_prefix.as_deref().unwrap());
    assert_eq!(
        e.url(&request.uri),
        "https://route.s3-object-lambda.us-west-2.amazonaws.com/WriteGetObjectResponse"
    );
    let plan = signing::signing_plan(&SERVICE, &e, Some("us-west-2")).unwrap();
    assert_eq!(plan.name, "s3-object-lambda");
}

#[test]
fn sts_dynamodb_and_account_endpoints() {
    use botogen_dynamodb::operations as ddb;
    use botogen_sts::operations as sts;
    let who = botogen_sts::types::GetCallerIdentityRequest::default();
    let regional = resolve(
        &sts::SERVICE,
        &sts::GET_CALLER_IDENTITY,
        &who,
        &Config::new().region("eu-west-1"),
    );
    assert_eq!(regional.host, "sts.eu-west-1.amazonaws.com");
    let legacy = Config {
        sts_use_global_endpoint: true,
        ..Config::new().region("eu-west-1")
    };
    let global = resolve(&sts::SERVICE, &sts::GET_CALLER_IDENTITY, &who, &legacy);
    assert_eq!(global.host, "sts.amazonaws.com");
    let plan = signing::signing_plan(&sts::SERVICE, &global, Some("eu-west-1")).unwrap();
    assert_eq!(plan.region, "us-east-1");

    let get = botogen_dynamodb::types::GetItemInput::new("Music", Default::default());
    let plain = resolve(
        &ddb::SERVICE,
        &ddb::GET_ITEM,
        &get,
        &Config::new().region("us-east-1"),
    );
    assert_eq!(plain.host, "dynamodb.us-east-1.amazonaws.com");
    let account = resolve(
        &ddb::SERVICE,
        &ddb::GET_ITEM,
        &get,
        &Config::new().region("us-east-1").account_id("111122223333"),
    );
    assert_eq!(account.host, "111122223333.ddb.us-east-1.amazonaws.com");
    // A table ARN's account wins (operation binding), and GovCloud has its own suffix.
    let by_arn = botogen_dynamodb::types::GetItemInput::new(
        "arn:aws:dynamodb:us-east-1:222233334444:table/Music",
        Default::default(),
    );
    assert_eq!(
        resolve(
            &ddb::SERVICE,
            &ddb::GET_ITEM,
            &by_arn,
            &Config::new().region("us-east-1")
        )
        .host,
        "222233334444.ddb.us-east-1.amazonaws.com"
    );
    assert_eq!(
        resolve(
            &ddb::SERVICE,
            &ddb::GET_ITEM,
            &get,
            &Config::new().region("us-gov-west-1")
        )
        .host,
        "dynamodb.us-gov-west-1.amazonaws.com"
    );
    let cn = resolve(
        &ddb::SERVICE,
        &ddb::GET_ITEM,
        &get,
        &Config::new().region("cn-north-1").use_dual_stack(true),
    );
    assert_eq!(cn.host, "dynamodb.cn-north-1.api.amazonwebservices.com.cn");
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn client_sends_s3_calls_through_the_rule_set_to_a_custom_endpoint() {
    rt().block_on(async {
        use botogen_s3::S3Api;
        let server = FakeServer::start(FakeResponse::new(200).body("hello"))
            .await
            .unwrap();
        let client = botogen_s3::Client::new(
            Config::new()
                .region("us-west-2")
                .endpoint_url(server.url())
                .credentials("AKID", "SECRET", None),
        );
        let out = client
            .get_object(botogen_s3::types::GetObjectRequest::new(
                "my-bucket",
                "a/b.txt",
            ))
            .await;
        assert!(out.is_ok(), "{out:?}");
        let list = client
            .list_objects_v2(botogen_s3::types::ListObjectsV2Request::new("my-bucket"))
            .await;
        assert!(
            list.is_ok() || matches!(list, Err(ref e) if format!("{e:?}").contains("Deserialize")),
            "{list:?}"
        );
        let requests = server.requests();
        // A custom endpoint means path style (botocore's default), bucket once.
        assert_eq!(requests[0].target, "/my-bucket/a/b.txt");
        assert_eq!(requests[1].target, "/my-bucket?list-type=2");
        let auth = requests[0].header("authorization").unwrap();
        assert!(auth.contains("/us-west-2/s3/aws4_request"), "{auth}");
        assert_eq!(
            requests[0].header("host"),
            Some(server.addr().to_string().as_str())
        );
    });
}

#[test]
fn client_reports_rule_set_errors_before_sending() {
    rt().block_on(async {
        use botogen_s3::S3Api;
        let server = FakeServer::start(FakeResponse::new(200)).await.unwrap();
        let config = Config {
            s3: S3Config {
                use_accelerate: true,
                ..S3Config::default()
            },
            ..Config::new()
                .region("us-west-2")
                .use_fips(true)
                .credentials("AKID", "SECRET", None)
        };
        let client = botogen_s3::Client::new(config);
        let err = client
            .get_object(botogen_s3::types::GetObjectRequest::new("my-bucket", "k"))
            .await
            .unwrap_err();
        match err {
            botogen_s3::operations::GetObjectError::Sdk(SdkError::Endpoint(e)) => {
                assert_eq!(e.message, "Accelerate cannot be used with FIPS");
            }
            other => panic!("{other:?}"),
        }
        // FIPS with a custom endpoint is dropped, as botocore drops it.
        let custom = botogen_s3::Client::new(
            Config::new()
                .region("us-west-2")
                .use_fips(true)
                .endpoint_url(server.url())
                .credentials("AKID", "SECRET", None),
        );
        assert!(
            custom
                .get_object(botogen_s3::types::GetObjectRequest::new("b", "k"))
                .await
                .is_ok()
        );
        assert_eq!(server.requests().len(), 1);
        // A client context parameter the service does not have.
        let odd = botogen_s3::Client::new(
            Config::new()
                .region("us-west-2")
                .client_context_param("Nope", true)
                .anonymous(),
        );
        let err = odd
            .get_object(botogen_s3::types::GetObjectRequest::new("b", "k"))
            .await
            .unwrap_err();
        assert!(format!("{err}").contains("Nope"), "{err}");
    });
}

/// `operationContextParams` paths compiled by the generator give what
/// JMESPath gives over the same input as JSON (botocore's semantics).
#[test]
fn compiled_operation_context_paths_match_jmespath() {
    use botogen_runtime::endpoint::{ContextSource, ParamValue};
    use botogen_runtime::testing::fill_struct;
    let inputs = [
        (
            "TransactWriteItems",
            serde_json::json!({"TransactItems": [
                {"Put": {"TableName": "arn:aws:dynamodb:us-east-1:111122223333:table/a", "Item": {}}},
                {"Delete": {"TableName": "b", "Key": {}}},
                {"ConditionCheck": {"TableName": "c", "Key": {}, "ConditionExpression": "x"}},
                {"Update": {"TableName": "d", "Key": {}, "UpdateExpression": "y"}},
                {}
            ]}),
        ),
        (
            "TransactGetItems",
            serde_json::json!({"TransactItems": [
                {"Get": {"TableName": "arn:aws:dynamodb:us-east-1:222233334444:table/a", "Key": {}}},
                {"Get": {"TableName": "e", "Key": {}}}
            ]}),
        ),
        (
            "BatchGetItem",
            serde_json::json!({"RequestItems": {"t2": {"Keys": []}, "t1": {"Keys": []}}}),
        ),
        (
            "BatchWriteItem",
            serde_json::json!({"RequestItems": {"only": []}}),
        ),
        (
            "RestoreTableFromBackup",
            serde_json::json!({"TargetTableName": "t", "BackupArn": "arn:b"}),
        ),
        (
            "ImportTable",
            serde_json::json!({"InputFormat": "CSV", "S3BucketSource": {"S3Bucket": "b"}, "TableCreationParameters": {"TableName": "imported", "AttributeDefinitions": [], "KeySchema": []}}),
        ),
    ];
    let mut paths = 0;
    for (name, json) in inputs {
        let entry = botogen_dynamodb::registry::REGISTRY
            .iter()
            .find(|e| e.key == name)
            .unwrap();
        let mut input = (entry.new_input)();
        fill_struct(input.as_mut(), &json).unwrap();
        for cp in entry.operation.context_params {
            let ContextSource::Path(_) = cp.source else {
                continue;
            };
            paths += 1;
            let text = match name {
                "TransactWriteItems" => {
                    "TransactItems[*].[ConditionCheck.TableName, Put.TableName, Delete.TableName, Update.TableName][]"
                }
                "TransactGetItems" => "TransactItems[*].Get.TableName",
                "BatchGetItem" | "BatchWriteItem" => "keys(RequestItems)",
                "ImportTable" => "TableCreationParameters.TableName",
                other => panic!("unexpected path parameter on {other}"),
            };
            let want = match botogen_runtime::waiter::search(text, &json).unwrap() {
                serde_json::Value::Array(items) => {
                    let mut v: Vec<String> = items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_owned))
                        .collect();
                    // A map's keys come out sorted here (HashMap fields), in insertion order in botocore.
                    if text.starts_with("keys(") {
                        v.sort();
                    }
                    Some(ParamValue::StringArray(v))
                }
                other => ParamValue::from_json(&other),
            };
            assert_eq!(cp.value(input.as_ref()), want, "{name}: {text}");
        }
    }
    assert_eq!(paths, 5, "every DynamoDB path parameter was exercised");
    // The first table's account picks the endpoint.
    let entry = botogen_dynamodb::registry::REGISTRY
        .iter()
        .find(|e| e.key == "TransactWriteItems")
        .unwrap();
    let mut input = (entry.new_input)();
    fill_struct(input.as_mut(), &serde_json::json!({"TransactItems": [{"Put": {"TableName": "arn:aws:dynamodb:us-east-1:111122223333:table/a", "Item": {}}}]})).unwrap();
    let e = resolve(
        &botogen_dynamodb::operations::SERVICE,
        entry.operation,
        input.as_ref(),
        &Config::new().region("us-east-1"),
    );
    assert_eq!(e.host, "111122223333.ddb.us-east-1.amazonaws.com");
}
