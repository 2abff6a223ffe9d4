//! The crate-level example: one call of this service's client, run as a
//! doctest against the runtime's local fake server, and a `compile_fail`
//! doctest proving that a forgotten required member does not compile.

use super::Ctx;
use crate::ir::{Operation, Protocol, ShapeKind};

/// Markdown for the crate docs' "Example" section.
pub fn section(ctx: &Ctx, lib_name: &str) -> String {
    let Some((op, args)) = pick(ctx) else {
        return String::new();
    };
    let names = &ctx.names.operations[&op.key];
    let method = &names.method;
    let api = &ctx.names.api_trait;
    let (input_use, input_expr, input_type) = match &op.input {
        Some(input) => {
            let ty = ctx.type_ident(input).to_string();
            let expr = if has_required(ctx, input) {
                format!("{ty}::new({})", args.join(", "))
            } else {
                format!("{ty}::default()")
            };
            (format!("use {lib_name}::types::{ty};\n"), expr, Some(ty))
        }
        None => (String::new(), "botogen_runtime::Unit".to_owned(), None),
    };
    let (headers, body) = fake_body(ctx.svc.protocol, &op.wire_name);
    let response = headers.iter().fold(
        "botogen_runtime::test_util::FakeResponse::new(200)".to_owned(),
        |acc, (k, v)| format!("{acc}.header({k:?}, {v:?})"),
    );
    let mut text = format!(
        "## Example\n\n\
         Settings come from the environment as the AWS SDKs read them \
         (`AWS_REGION`, `AWS_PROFILE`, `~/.aws/config`, ...). The hidden \
         lines of this example point the client at a local fake \
         (`botogen_runtime::test_util`, feature `test-util`) so that it \
         runs as a test.\n\n\
         ```\n\
         {input_use}\
         use {lib_name}::{{Client, Config, {api}}};\n\
         \n\
         # #[tokio::main(flavor = \"current_thread\")]\n\
         # async fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         # let fake = botogen_runtime::test_util::FakeServer::start({response}.body({body})).await?;\n\
         let config = Config::from_env();\n\
         # let config = config.region(\"us-east-1\").credentials(\"AKIDEXAMPLE\", \"SECRET\", None).endpoint_url(fake.url());\n\
         let client = Client::new(config);\n\
         let output = client.{method}({input_expr}).await?;\n\
         println!(\"{{output:?}}\");\n\
         # assert_eq!(fake.requests().len(), 1);\n\
         # Ok(())\n\
         # }}\n\
         ```\n"
    );
    if let (Some(ty), Some(input)) = (input_type, &op.input)
        && has_required(ctx, input)
    {
        text.push_str(&format!(
            "\nRequired members are checked by the compiler: `{ty}` has no \
             `Default`, so a value that leaves them out does not compile.\n\n\
             ```compile_fail,E0277\n\
             let input = {lib_name}::types::{ty} {{ ..Default::default() }};\n\
             ```\n"
        ));
    }
    text
}

fn has_required(ctx: &Ctx, shape: &str) -> bool {
    matches!(&ctx.shape(shape).kind, ShapeKind::Structure(st) if st.members.iter().any(|m| m.required))
}

/// The operation to show: callable with SigV4 or no auth, no streaming
/// input or event stream, every required member a string (so literals
/// suffice); at least one required member if possible, a reader
/// (`Get...`, `Describe...`) if possible, fewest required members, then
/// the shortest name. Returns the `new` arguments as Rust literals.
fn pick<'a>(ctx: &'a Ctx) -> Option<(&'a Operation, Vec<String>)> {
    let svc = ctx.svc;
    // (sort key, operation, arguments); the smallest key wins.
    type Candidate<'a> = (
        (bool, bool, usize, usize, &'a str),
        &'a Operation,
        Vec<String>,
    );
    let mut best: Option<Candidate> = None;
    for op in &svc.operations {
        if op.event_stream {
            continue;
        }
        let auth = if op.auth.is_empty() {
            &svc.auth
        } else {
            &op.auth
        };
        let signable = auth.is_empty()
            || auth
                .iter()
                .any(|a| a == "aws.auth#sigv4" || a == "smithy.api#noAuth");
        if !signable {
            continue;
        }
        let mut args = Vec::new();
        let mut usable = true;
        if let Some(input) = &op.input {
            let ShapeKind::Structure(st) = &ctx.shape(input).kind else {
                continue;
            };
            for m in &st.members {
                let target = ctx.shape(&m.target);
                if target.streaming {
                    usable = false;
                }
                if !m.required {
                    continue;
                }
                match (&target.kind, target.enum_values.first()) {
                    (ShapeKind::String, Some(first)) => args.push(format!("{first:?}")),
                    (ShapeKind::String, None) => {
                        args.push(format!("{:?}", format!("example-{}", m.name)))
                    }
                    _ => usable = false,
                }
            }
        }
        if !usable {
            continue;
        }
        // A reader, not `PurgeQueue`: people copy examples.
        let reads = op.readonly
            || ["Get", "Describe", "List", "Head"]
                .iter()
                .any(|p| op.key.starts_with(p));
        let key = (
            args.is_empty(),
            !reads,
            args.len(),
            op.key.len(),
            op.key.as_str(),
        );
        if best.as_ref().is_none_or(|(k, _, _)| key < *k) {
            best = Some((key, op, args));
        }
    }
    best.map(|(_, op, args)| (op, args))
}

/// A successful response with no members set, as the protocol frames it.
fn fake_body(protocol: Protocol, wire_name: &str) -> (Vec<(&'static str, String)>, String) {
    match protocol {
        Protocol::Json => (
            vec![("content-type", "application/x-amz-json-1.0".into())],
            "\"{}\"".into(),
        ),
        Protocol::RestJson => (
            vec![("content-type", "application/json".into())],
            "\"{}\"".into(),
        ),
        Protocol::RestXml => (vec![], "\"\"".into()),
        Protocol::Query | Protocol::Ec2 => (
            vec![("content-type", "text/xml".into())],
            format!(
                "{:?}",
                format!("<{wire_name}Response></{wire_name}Response>")
            ),
        ),
        Protocol::SmithyRpcV2Cbor => (
            vec![
                ("content-type", "application/cbor".into()),
                ("smithy-protocol", "rpc-v2-cbor".into()),
            ],
            // An empty CBOR map.
            "vec![0xa0_u8]".into(),
        ),
    }
}
