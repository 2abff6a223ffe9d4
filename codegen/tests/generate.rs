//! End-to-end tests of the library API: snapshots of tiny models,
//! determinism, the checked-in hostile fixture's freshness, module output,
//! and one test per kind of bad input.

use botogen::{
    Error, GenerateOptions, ModelSource, ModuleOptions, generate, generate_module, write_files,
};
use expect_test::expect_file;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/models")
        .join(name)
        .join("service-2.json")
}

/// Options as the CLI would build them from a path relative to the repo root.
fn opts_for(name: &str) -> GenerateOptions {
    let mut o = GenerateOptions::new(ModelSource::Path(PathBuf::from(format!(
        "codegen/tests/fixtures/models/{name}/service-2.json"
    ))));
    o.runtime_path = "../../../../runtime".into();
    o
}

/// Runs with the repo root as working directory so model labels are relative.
fn in_repo<T>(f: impl FnOnce() -> T) -> T {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::set_current_dir(root).expect("repo root");
    f()
}

fn json_model(text: &str) -> GenerateOptions {
    GenerateOptions::new(ModelSource::Text {
        label: "test.json".into(),
        text: text.into(),
    })
}

#[test]
fn tiny_snapshot() {
    let files = in_repo(|| generate(&opts_for("tiny")))
        .expect("tiny generates")
        .files;
    for name in ["types", "shapes", "operations", "client", "lib"] {
        let text = &files[&PathBuf::from(format!("src/{name}.rs"))];
        expect_file![format!("snapshots/tiny/{name}.rs")].assert_eq(text);
    }
    expect_file!["snapshots/tiny/Cargo.toml"].assert_eq(&files[&PathBuf::from("Cargo.toml")]);
}

#[test]
fn output_is_deterministic() {
    let a = in_repo(|| generate(&opts_for("hostile")))
        .expect("first")
        .files;
    let b = in_repo(|| generate(&opts_for("hostile")))
        .expect("second")
        .files;
    assert_eq!(a, b);
}

/// The hostile fixture crate (a workspace member, so CI compiles and lints
/// it) must be exactly what the generator produces today.
#[test]
fn hostile_fixture_is_fresh() {
    let crate_ = in_repo(|| generate(&opts_for("hostile"))).expect("hostile generates");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let report = write_files(&dir, &crate_.files, true).expect("compare");
    assert!(
        report.is_fresh(),
        "stale fixture (regenerate with `cargo run -p botogen -- generate --model codegen/tests/fixtures/models/hostile/service-2.json --out codegen/tests/fixtures/hostile --runtime-path ../../../../runtime`): {report:?}"
    );
}

#[test]
fn hostile_text_stays_inert() {
    let files = in_repo(|| generate(&opts_for("hostile")))
        .expect("hostile generates")
        .files;
    let types = &files[&PathBuf::from("src/types.rs")];
    // Keywords and std names became safe identifiers.
    for needle in [
        "pub struct Option {",
        "pub struct Result {",
        "pub struct Error {",
        "pub struct Client {",
        "pub struct Self_ {",
        "pub struct Shape1foo {",
        "pub r#type: ::std::string::String,",
        "pub r#fn: ::std::option::Option<::std::vec::Vec<::std::string::String>>,",
        "pub self_: ::std::option::Option<",
        "pub self_2: crate::types::Self_,",
        "pub crate_: ",
        "pub super_: ",
        "pub foo_bar: ",
        "pub foo_bar_2: ",
        "pub foo_bar_3: ",
        "UnknownValue,",
        "UnknownValue2,",
        "UnknownValue(::std::string::String),",
    ] {
        assert!(types.contains(needle), "missing {needle:?}");
    }
    // Recursion: the required self-reference is boxed and optional; A↔B boxed.
    assert!(
        types.contains("pub next: ::std::option::Option<::std::boxed::Box<crate::types::Node>>,")
    );
    assert!(types.contains("pub b: ::std::option::Option<::std::boxed::Box<crate::types::B>>,"));
    // Lists break cycles: no box inside Vec.
    assert!(
        types.contains("pub children: ::std::option::Option<::std::vec::Vec<crate::types::Node>>,")
    );
    // Every code fence is tagged text; no doc line starts an indented code block.
    for file in files.values() {
        for line in file
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("///"))
        {
            if line.trim_start().starts_with("```") {
                assert!(
                    line.trim() == "```" || line.trim() == "```text",
                    "untagged fence: {line}"
                );
            }
            assert!(
                !line.starts_with("     "),
                "indented code block in docs: {line:?}"
            );
        }
    }
    // The unused shape is not emitted.
    assert!(!types.contains("Unused"));
}

#[test]
fn sensitive_values_are_redacted() {
    let files = in_repo(|| generate(&opts_for("hostile")))
        .expect("hostile generates")
        .files;
    let types = &files[&PathBuf::from("src/types.rs")];
    assert!(types.contains(r#".field("foo_bar", &"*** Sensitive Data Redacted ***")"#));
}

#[test]
fn operations_filter_keeps_reachable_shapes() {
    let mut o = opts_for("hostile");
    o.operations = Some(vec!["fn".into()]);
    let svc = in_repo(|| botogen::load(&o)).expect("load");
    let ops: Vec<&str> = svc.operations.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(ops, ["fn"]);
    let shapes: Vec<&str> = svc.shapes.keys().map(String::as_str).collect();
    assert_eq!(
        shapes,
        [
            "1Foo", "A", "B", "Blank", "Blob", "Boolean", "Default", "Double", "Err", "Float",
            "Integer", "Ok", "Output", "Secret", "Self", "Some", "String", "Vec"
        ]
    );
    o.operations = Some(vec!["Missing".into()]);
    let err = in_repo(|| botogen::load(&o)).expect_err("unknown op");
    assert!(err.to_string().contains("`Missing`"), "{err}");
}

#[test]
fn wire_name_and_key() {
    let files = in_repo(|| generate(&opts_for("hostile")))
        .expect("hostile")
        .files;
    let ops = &files[&PathBuf::from("src/operations.rs")];
    // Two keys share the wire name `Shared`; statics are named from the keys.
    assert!(ops.contains("pub static SERVICE_2: rt::Operation"));
    assert!(ops.contains("pub static NEW: rt::Operation"));
    assert_eq!(ops.matches("name: \"Shared\"").count(), 2);
    let client = &files[&PathBuf::from("src/client.rs")];
    assert!(client.contains("fn new_2(") && client.contains("fn service("));
}

#[test]
fn protocol_choice_and_override() {
    let mut o = in_repo(|| opts_for("tiny"));
    let svc = in_repo(|| botogen::load(&o)).expect("load");
    assert_eq!(svc.protocol.as_str(), "json");
    o.protocol = Some("query".into());
    assert_eq!(
        in_repo(|| botogen::load(&o))
            .expect("load")
            .protocol
            .as_str(),
        "query"
    );
    o.protocol = Some("rest-xml".into());
    let err = in_repo(|| botogen::load(&o)).expect_err("not listed");
    assert!(matches!(err, Error::UnsupportedProtocol { .. }), "{err}");
}

#[test]
fn module_output_with_registry() {
    let text = std::fs::read_to_string(fixture("tiny")).expect("read");
    let code = botogen::generate_test_module(&text, "crate::generated::tiny").expect("module");
    assert!(code.starts_with("// @generated by botogen from "));
    assert!(code.contains("pub mod types {"));
    assert!(code.contains("pub static REGISTRY: &[::botogen_runtime::testing::OperationEntry]"));
    assert!(code.contains("crate::generated::tiny::shapes::GET_THING_INPUT"));
    assert!(code.contains("pub use self::operations::SERVICE;"));
    syn::parse_file(&code).expect("module parses");
    let plain = generate_module(&json_model(&text), &ModuleOptions::default()).expect("module");
    assert!(plain.contains("super::shapes::GET_THING_INPUT") && !plain.contains("REGISTRY"));
}

#[test]
fn strict_reports_unknown_keys() {
    let text = std::fs::read_to_string(fixture("tiny")).expect("read");
    let text = text.replacen(
        "\"documentation\": \"<p>Gets",
        "\"newTrait\": 1, \"documentation\": \"<p>Gets",
        1,
    );
    let mut o = json_model(&text);
    assert!(
        botogen::load(&o).is_ok(),
        "unknown keys are ignored by default"
    );
    o.strict = true;
    let err = botogen::load(&o).expect_err("strict");
    assert!(
        err.to_string()
            .contains("operations.GetThing: unknown key `newTrait`"),
        "{err}"
    );
}

fn load_err(text: &str) -> String {
    botogen::load(&json_model(text))
        .expect_err("must fail")
        .to_string()
}

const META: &str = r#""metadata": {"protocol": "json", "serviceId": "X", "endpointPrefix": "x"}"#;

#[test]
fn invalid_json() {
    let e = load_err("{ not json");
    assert!(e.starts_with("test.json: invalid JSON"), "{e}");
}

#[test]
fn dangling_reference() {
    let e = load_err(&format!(
        r#"{{{META}, "operations": {{}}, "shapes": {{"S": {{"type": "structure", "members": {{"M": {{"shape": "Nope"}}}}}}}}}}"#
    ));
    assert_eq!(
        e,
        "test.json: shape `S`, member `M`: refers to shape `Nope`, which does not exist"
    );
    let e = load_err(&format!(
        r#"{{{META}, "operations": {{"Op": {{"input": {{"shape": "Gone"}}}}}}, "shapes": {{}}}}"#
    ));
    assert_eq!(
        e,
        "test.json: operation `Op` (input): refers to shape `Gone`, which does not exist"
    );
}

#[test]
fn unknown_shape_type() {
    let e = load_err(&format!(
        r#"{{{META}, "operations": {{}}, "shapes": {{"S": {{"type": "bigDecimal"}}}}}}"#
    ));
    assert_eq!(e, "test.json: shape `S`: unknown shape type `bigDecimal`");
}

#[test]
fn input_not_a_structure() {
    let e = load_err(&format!(
        r#"{{{META}, "operations": {{"Op": {{"input": {{"shape": "S"}}}}}}, "shapes": {{"S": {{"type": "string"}}}}}}"#
    ));
    assert_eq!(
        e,
        "test.json: operation `Op`: input shape `S` is not a structure"
    );
}

#[test]
fn bad_traits_are_named() {
    let e = load_err(&format!(
        r#"{{{META}, "operations": {{}}, "shapes": {{"S": {{"type": "structure", "members": {{"M": {{"shape": "S", "location": "cookie"}}}}}}}}}}"#
    ));
    assert_eq!(
        e,
        "test.json: shape `S`: member `M`: unknown location `cookie`"
    );
    let e = load_err(&format!(
        r#"{{{META}, "operations": {{}}, "shapes": {{"S": {{"type": "structure", "members": {{}}, "payload": "P"}}}}}}"#
    ));
    assert_eq!(
        e,
        "test.json: shape `S`: payload names member `P`, which does not exist"
    );
}

#[test]
fn http_checksum_members_must_exist() {
    let model = |member: &str| {
        format!(
            r#"{{{META}, "operations": {{"Put": {{"input": {{"shape": "In"}}, "httpChecksum": {{"requestAlgorithmMember": "{member}", "responseAlgorithms": ["CRC32", "SHA256"]}}}}}}, "shapes": {{"In": {{"type": "structure", "members": {{"Algo": {{"shape": "S", "location": "header", "locationName": "x-amz-sdk-checksum-algorithm"}}}}}}, "S": {{"type": "string"}}}}}}"#
        )
    };
    let e = load_err(&model("Missing"));
    assert_eq!(
        e,
        "test.json: operation `Put`, httpChecksum: requestAlgorithmMember names `Missing`, which is not a member of the operation's input"
    );
    let svc = botogen::load(&json_model(&model("Algo"))).expect("valid model");
    let c = svc.operations[0]
        .http_checksum
        .as_ref()
        .expect("httpChecksum");
    assert_eq!(c.request_algorithm_member.as_deref(), Some("Algo"));
    assert_eq!(c.response_algorithms, ["CRC32", "SHA256"]);
    assert!(!c.request_checksum_required);
}

#[test]
fn unreadable_file() {
    let o = GenerateOptions::new(ModelSource::Path("/nonexistent/dir/service-2.json".into()));
    let e = botogen::load(&o).expect_err("missing").to_string();
    assert!(e.starts_with("/nonexistent/dir/service-2.json: "), "{e}");
}

#[test]
fn gzipped_model_loads() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("service-2.json.gz");
    let text = std::fs::read(fixture("tiny")).expect("read");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&text).expect("gzip");
    std::fs::write(&path, gz.finish().expect("gzip")).expect("write");
    let svc = botogen::load(&GenerateOptions::new(ModelSource::Path(path))).expect("load gz");
    assert_eq!(svc.service_id, "Tiny");
}

#[test]
fn cli_bad_model_exits_1_without_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = dir.path().join("service-2.json");
    std::fs::write(
        &model,
        "{\"metadata\": {}, \"shapes\": {\"S\": {\"type\": \"list\"}}}",
    )
    .expect("write");
    let out = dir.path().join("out");
    let res = std::process::Command::new(env!("CARGO_BIN_EXE_botogen"))
        .args(["generate", "--model"])
        .arg(&model)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run botogen");
    assert_eq!(res.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains("shape `S`: list shape without `member`"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "no output on failure");
}

#[test]
fn check_mode_reports_stale_missing_and_extra() {
    let dir = tempfile::tempdir().expect("tempdir");
    let crate_ = in_repo(|| generate(&opts_for("tiny"))).expect("tiny");
    let r = write_files(dir.path(), &crate_.files, true).expect("check");
    assert_eq!(r.missing.len(), crate_.files.len());
    assert!(
        dir.path().read_dir().expect("dir").next().is_none(),
        "check writes nothing"
    );
    write_files(dir.path(), &crate_.files, false).expect("write");
    assert!(
        write_files(dir.path(), &crate_.files, true)
            .expect("check")
            .is_fresh()
    );
    std::fs::write(dir.path().join("src/types.rs"), "// edited").expect("edit");
    std::fs::write(dir.path().join("src/old.rs"), "").expect("extra");
    let r = write_files(dir.path(), &crate_.files, true).expect("check");
    assert_eq!(r.differing, [PathBuf::from("src/types.rs")]);
    assert_eq!(r.extra, [PathBuf::from("src/old.rs")]);
    // Writing again leaves no temporary files behind.
    write_files(dir.path(), &crate_.files, false).expect("write");
    let names: Vec<_> = std::fs::read_dir(dir.path().join("src"))
        .expect("src")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
}

#[test]
fn member_order_follows_the_model_on_every_path() {
    let strict = in_repo(|| {
        let mut o = opts_for("tiny");
        o.strict = true;
        generate(&o)
    })
    .expect("strict")
    .files;
    let plain = in_repo(|| generate(&opts_for("tiny")))
        .expect("plain")
        .files;
    assert_eq!(strict, plain);
    let types = &plain[&PathBuf::from("src/types.rs")];
    let name = types.find("pub name:").expect("name");
    let color = types.find("pub color:").expect("color");
    assert!(name < color, "model order is Name, Color");
}

#[test]
fn valid_json_that_is_not_a_botocore_model() {
    assert_eq!(
        load_err("{}"),
        "test.json: not a botocore model: no `metadata`; botogen reads botocore's `service-2.json`"
    );
    assert!(
        load_err("[1,2]").contains("not a botocore model: the top level is an array"),
        "{}",
        load_err("[1,2]")
    );
    let mut strict = json_model(r#"{"foo": 1}"#);
    strict.strict = true;
    let e = botogen::load(&strict).expect_err("strict").to_string();
    assert!(e.contains("not a botocore model: no `metadata`"), "{e}");
}

#[test]
fn gzip_is_detected_by_content_not_name() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("service-2.json");
    let text = std::fs::read(fixture("tiny")).expect("read");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&text).expect("gzip");
    std::fs::write(&path, gz.finish().expect("gzip")).expect("write");
    let svc = botogen::load(&GenerateOptions::new(ModelSource::Path(path))).expect("load");
    assert_eq!(svc.service_id, "Tiny");
}

#[test]
fn unknown_operation_suggests_the_nearest_names() {
    let mut o = opts_for("tiny");
    o.operations = Some(vec!["getthing".into()]);
    let e = in_repo(|| botogen::load(&o))
        .expect_err("unknown")
        .to_string();
    assert!(e.contains("names are the model's operation names"), "{e}");
    assert!(e.contains("nearest: GetThing"), "{e}");
}

#[test]
fn crate_name_defaults_to_the_service_id_and_can_be_set() {
    let o = opts_for("tiny");
    let c = in_repo(|| generate(&o)).expect("tiny");
    assert_eq!(c.crate_name, "botogen-tiny");
    let mut o = opts_for("hostile");
    o.crate_name = Some("my_client".into());
    let c = in_repo(|| generate(&o)).expect("hostile");
    assert_eq!(c.crate_name, "my_client");
    assert!(c.files[&PathBuf::from("Cargo.toml")].contains("name = \"my_client\""));
    o.crate_name = Some("has space".into());
    let e = in_repo(|| generate(&o)).expect_err("bad name").to_string();
    assert!(e.contains("invalid crate name `has space`"), "{e}");
}

/// Runs the CLI in `dir` with `args`.
fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_botogen"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run botogen")
}

#[test]
fn cli_usage_errors_exit_non_zero() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = fixture("tiny");
    let res = cli(
        dir.path(),
        &["generate", "--model", model.to_str().expect("utf-8")],
    );
    assert_eq!(res.status.code(), Some(2), "missing --out is a usage error");
    assert!(String::from_utf8_lossy(&res.stderr).contains("--out <DIR>"));
    let res = cli(dir.path(), &["generate", "--modle", "x"]);
    assert_eq!(res.status.code(), Some(2));
}

#[test]
fn cli_checks_the_runtime_path_before_writing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = fixture("tiny");
    let model = model.to_str().expect("utf-8");
    let res = cli(
        dir.path(),
        &[
            "generate",
            "--model",
            model,
            "--out",
            "out",
            "--runtime-path",
            "../../runtime",
        ],
    );
    assert_eq!(res.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(stderr.contains("the runtime is not at"), "{stderr}");
    assert!(stderr.contains("--runtime-path"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing written");

    // By default a crate outside the repository depends on this checkout's
    // runtime by absolute path, which resolves from anywhere.
    let res = cli(dir.path(), &["generate", "--model", model, "--out", "out"]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let manifest = std::fs::read_to_string(dir.path().join("out/Cargo.toml")).expect("manifest");
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .join("runtime");
    assert!(
        manifest.contains(&format!("path = \"{}\"", runtime.display())),
        "{manifest}"
    );
    let res = cli(
        dir.path(),
        &[
            "generate",
            "--model",
            model,
            "--out",
            "git",
            "--runtime-git",
            "https://example.com/botogen.git",
            "--runtime-rev",
            "v1",
        ],
    );
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let manifest = std::fs::read_to_string(dir.path().join("git/Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains(
            r#"botogen-runtime = { git = "https://example.com/botogen.git", rev = "v1", default-features = false }"#
        ),
        "{manifest}"
    );
}

#[test]
fn generator_markdown_is_not_escaped() {
    let files = in_repo(|| generate(&opts_for("tiny"))).expect("tiny").files;
    let client = &files[&PathBuf::from("src/client.rs")];
    assert!(
        client.contains("as an async method. [`Client`] implements it"),
        "{client}"
    );
    assert!(client.contains("See [`TinyApi::get_thing`]."), "{client}");
    assert!(!client.contains("\\["), "{client}");
    // Model text is still escaped: the hostile service name cannot open a link.
    let files = in_repo(|| generate(&opts_for("hostile")))
        .expect("hostile")
        .files;
    let client = &files[&PathBuf::from("src/client.rs")];
    assert!(client.contains(r#"Hostile \*/ "\] \#\[ } Service as an async method. [`Client`]"#));
}

/// Loads `model` with `rules` as its `endpoint-rule-set-1.json` (a temp file).
fn with_rules(model: &str, rules: &str) -> Result<botogen::ir::Service, Error> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("endpoint-rule-set-1.json");
    std::fs::write(&path, rules).expect("write rules");
    let mut o = json_model(model);
    o.endpoint_rules = Some(path);
    botogen::load(&o)
}

const BOUND_MODEL: &str = r#"{"metadata": {"protocol": "rest-json", "serviceId": "X", "endpointPrefix": "x"},
  "clientContextParams": {"Flavor": {"type": "string", "documentation": "d"}},
  "operations": {"Op": {"http": {"method": "GET", "requestUri": "/{Name}"}, "input": {"shape": "In"},
     "staticContextParams": {"Fixed": {"value": true}},
     "operationContextParams": {"Names": {"path": "Items[*].Name"}}}},
  "shapes": {"In": {"type": "structure", "required": ["Name"], "members": {
       "Name": {"shape": "Str", "location": "uri", "locationName": "Name", "contextParam": {"name": "Name"}},
       "Items": {"shape": "Items"}}},
     "Items": {"type": "list", "member": {"shape": "Item"}},
     "Item": {"type": "structure", "members": {"Name": {"shape": "Str"}}},
     "Str": {"type": "string"}}}"#;

fn rules_with(params: &str) -> String {
    format!(
        r#"{{"version": "1.0", "parameters": {{{params}}},
            "rules": [{{"type": "endpoint", "conditions": [], "endpoint": {{"url": "https://x.example"}}}}]}}"#
    )
}

const GOOD_PARAMS: &str = r#""Flavor": {"type": "string"}, "Fixed": {"type": "boolean"},
    "Name": {"type": "string"}, "Names": {"type": "stringArray"}"#;

#[test]
fn endpoint_bindings_reach_the_ir_and_the_statics() {
    use botogen::ir::{ContextSource, EndpointValue};
    let svc = with_rules(BOUND_MODEL, &rules_with(GOOD_PARAMS)).expect("loads");
    assert!(svc.endpoint_rules.is_some());
    assert_eq!(svc.client_context_params[0].name, "Flavor");
    let sources: Vec<_> = svc.operations[0]
        .context_params
        .iter()
        .map(|c| (c.name.as_str(), &c.source))
        .collect();
    assert_eq!(
        sources,
        [
            ("Fixed", &ContextSource::Static(EndpointValue::Bool(true))),
            ("Name", &ContextSource::Member("Name".into())),
            ("Names", &ContextSource::Path("Items[*].Name".into())),
        ]
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("endpoint-rule-set-1.json");
    std::fs::write(&path, rules_with(GOOD_PARAMS)).expect("write");
    let mut o = json_model(BOUND_MODEL);
    o.endpoint_rules = Some(path);
    let files = generate(&o).expect("generates").files;
    let text = &files[&PathBuf::from("src/operations.rs")];
    let ops: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        ops.contains("endpoint_rules:Some(&ENDPOINT_RULES)"),
        "{text}"
    );
    assert!(ops.contains("rt::ContextSource::Member(0)"), "{text}");
    assert!(
        ops.contains(
            "rt::PathExpr::Project(&rt::PathExpr::Field(\"Items\"),&rt::PathExpr::Field(\"Name\"),)"
        ),
        "{text}"
    );
    assert!(ops.contains("rt::StaticValue::Bool(true)"), "{text}");
    assert!(!ops.contains("documentation"), "rule-set docs are stripped");
}

#[test]
fn bad_endpoint_data_is_named() {
    let cases = [
        (BOUND_MODEL.to_owned(), "{".to_owned(), "invalid JSON"),
        (
            BOUND_MODEL.to_owned(),
            r#"{"parameters": {}, "rules": [{"type": "endpoint", "conditions": [{"fn": "nope", "argv": []}], "endpoint": {"url": "u"}}]}"#.to_owned(),
            "test.json: endpoint rule set: rules[0].conditions[0]: unknown function `nope`",
        ),
        (
            BOUND_MODEL.to_owned(),
            rules_with(r#""Flavor": {"type": "string"}, "Fixed": {"type": "boolean"}, "Names": {"type": "stringArray"}"#),
            "test.json: operation `Op`, endpoint parameter `Name`: the rule set declares no such parameter",
        ),
        (
            BOUND_MODEL.to_owned(),
            rules_with(r#""Flavor": {"type": "string"}, "Fixed": {"type": "string"}, "Name": {"type": "string"}, "Names": {"type": "stringArray"}"#),
            "test.json: operation `Op`, endpoint parameter `Fixed`: Static(Bool(true)) cannot give a string value",
        ),
        (
            BOUND_MODEL.replace("Items[*].Name", "Items[0].Name"),
            rules_with(GOOD_PARAMS),
            "test.json: operation `Op`, endpoint parameter `Names`: path `Items[0].Name`",
        ),
        (
            BOUND_MODEL.replace("Items[*].Name", "Items[*].Nope"),
            rules_with(GOOD_PARAMS),
            "no member `Nope`",
        ),
        (
            BOUND_MODEL.to_owned(),
            rules_with(r#""Fixed": {"type": "boolean"}, "Name": {"type": "string"}, "Names": {"type": "stringArray"}"#),
            "test.json: endpoint rule set: client context parameter `Flavor` is not a rule-set parameter",
        ),
    ];
    for (model, rules, want) in cases {
        let e = with_rules(&model, &rules)
            .expect_err("must fail")
            .to_string();
        assert!(e.contains(want), "{want:?} not in {e:?}");
    }
}

#[test]
fn s3_models_lose_the_bucket_path_with_a_rule_set() {
    let model = r#"{"metadata": {"protocol": "rest-xml", "serviceId": "S3", "endpointPrefix": "s3"},
      "operations": {
        "GetObject": {"http": {"method": "GET", "requestUri": "/{Bucket}/{Key+}"}, "input": {"shape": "In"}},
        "ListObjectsV2": {"http": {"method": "GET", "requestUri": "/{Bucket}?list-type=2"}, "input": {"shape": "In"}},
        "ListBuckets": {"http": {"method": "GET", "requestUri": "/"}},
        "Other": {"http": {"method": "GET", "requestUri": "/{BucketName}"}, "input": {"shape": "In"}}},
      "shapes": {"In": {"type": "structure", "members": {
          "Bucket": {"shape": "S", "location": "uri", "locationName": "Bucket"},
          "Key": {"shape": "S", "location": "uri", "locationName": "Key"},
          "BucketName": {"shape": "S", "location": "uri", "locationName": "BucketName"}}},
        "S": {"type": "string"}}}"#;
    let uris = |svc: &botogen::ir::Service| -> Vec<String> {
        svc.operations
            .iter()
            .map(|o| o.request_uri.clone())
            .collect()
    };
    let with = with_rules(model, &rules_with("")).expect("loads");
    assert_eq!(
        uris(&with),
        ["/{Key+}", "/", "?list-type=2", "/{BucketName}"]
    );
    let without = botogen::load(&json_model(model)).expect("loads");
    assert_eq!(
        uris(&without),
        [
            "/{Bucket}/{Key+}",
            "/",
            "/{Bucket}?list-type=2",
            "/{BucketName}"
        ]
    );
}

/// `page_size` takes the limit member's own type: the paginator's fourth
/// type parameter is `i32`, `i64` or `String`, and left at the runtime's
/// default (no `page_size`) without a limit member.
#[test]
fn paginators_take_the_limit_members_type() {
    let dir = tempfile::tempdir().expect("tempdir");
    let op = |name: &str| {
        serde_json::json!({
            "name": name, "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": format!("{name}Input")}, "output": {"shape": "PageOutput"}
        })
    };
    let input = |limit: Option<&str>| {
        let mut members = serde_json::json!({"Token": {"shape": "String"}});
        if let Some(shape) = limit {
            members["Limit"] = serde_json::json!({"shape": shape});
        }
        serde_json::json!({"type": "structure", "members": members})
    };
    let model = serde_json::json!({
        "version": "2.0",
        "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "pages", "protocol": "json",
                     "jsonVersion": "1.1", "serviceId": "Pages", "signatureVersion": "v4",
                     "targetPrefix": "Pages", "uid": "pages-2020-01-01"},
        "operations": {"ListInts": op("ListInts"), "ListLongs": op("ListLongs"),
                       "ListStrings": op("ListStrings"), "ListAll": op("ListAll")},
        "shapes": {
            "ListIntsInput": input(Some("Int")), "ListLongsInput": input(Some("Long")),
            "ListStringsInput": input(Some("String")), "ListAllInput": input(None),
            "PageOutput": {"type": "structure", "members": {"Next": {"shape": "String"}}},
            "Int": {"type": "integer"}, "Long": {"type": "long"}, "String": {"type": "string"}
        }
    });
    let page = |limit: bool| {
        let mut p = serde_json::json!({"input_token": "Token", "output_token": "Next"});
        if limit {
            p["limit_key"] = serde_json::json!("Limit");
        }
        p
    };
    let paginators = serde_json::json!({"pagination": {
        "ListInts": page(true), "ListLongs": page(true), "ListStrings": page(true), "ListAll": page(false)
    }});
    std::fs::write(dir.path().join("service-2.json"), model.to_string()).expect("model");
    std::fs::write(dir.path().join("paginators-1.json"), paginators.to_string())
        .expect("paginators");
    let files = generate(&GenerateOptions::new(ModelSource::Path(
        dir.path().join("service-2.json"),
    )))
    .expect("generates")
    .files;
    let client = files[&PathBuf::from("src/client.rs")]
        .replace(char::is_whitespace, "")
        .replace(",>", ">");
    for (method, ty) in [
        (
            "list_ints_paginator",
            "crate::operations::ListIntsError,i32>",
        ),
        (
            "list_longs_paginator",
            "crate::operations::ListLongsError,i64>",
        ),
        (
            "list_strings_paginator",
            "crate::operations::ListStringsError,::std::string::String>",
        ),
        ("list_all_paginator", "crate::operations::ListAllError>"),
    ] {
        let at = client
            .find(&format!("pubfn{method}("))
            .unwrap_or_else(|| panic!("no {method}"));
        let signature = &client[at..at + client[at..].find('{').expect("a body")];
        assert!(signature.ends_with(ty), "{method}: {signature}");
    }
}
