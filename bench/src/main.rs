//! `botogen-bench`: serialize/parse throughput and per-call endpoint
//! resolution of botogen's generated crates against the official AWS SDK
//! for Rust, on identical payloads.
//!
//! Run through `cargo xtask bench throughput`, which builds this crate in
//! release mode and splices its Markdown output into BENCHMARKS.md.
//!
//! Usage: `botogen-bench throughput [--rounds N] [--batch-ms MS]`
//!        `botogen-bench fixtures DIR` (writes the payloads for inspection)
//!        `botogen-bench profile CASE [N]` (runs one case N times, for
//!        `valgrind --tool=callgrind` or `perf`; see `profile`)

mod alloc_count;
mod botogen_side;
mod ceiling;
mod fixtures;
mod sdk_side;
mod timing;

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use alloc_count::Allocs;
use bytes::Bytes;
use timing::{Case, Stats, compare, fmt_ns, mb_per_s};

#[global_allocator]
static ALLOC: alloc_count::Counting = alloc_count::Counting;

/// The CloudWatch payload: metrics × data points per metric (six hours at
/// one-minute resolution).
const CW_METRICS: usize = 100;
const CW_POINTS: usize = 360;

struct Options {
    rounds: usize,
    batch: Duration,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        rounds: 15,
        batch: Duration::from_millis(60),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match a.as_str() {
            "--rounds" => opts.rounds = value("--rounds")?.max(1) as usize,
            "--batch-ms" => opts.batch = Duration::from_millis(value("--batch-ms")?.max(1)),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(opts)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("throughput") => parse_options(&args[1..]).and_then(|o| throughput(&o)),
        Some("fixtures") => match args.get(1) {
            Some(dir) => write_fixtures(dir),
            None => Err("usage: botogen-bench fixtures DIR".to_owned()),
        },
        Some("profile") => profile(&args[1..]),
        _ => Err(
            "usage: botogen-bench throughput [--rounds N] [--batch-ms MS] | fixtures DIR \
| profile CASE [N]"
                .to_owned(),
        ),
    };
    if let Err(e) = result {
        eprintln!("botogen-bench: {e}");
        std::process::exit(1);
    }
}

fn write_fixtures(dir: &str) -> Result<(), String> {
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let files = [
        (
            "dynamodb-query-1000.json",
            fixtures::dynamodb_query_response(1000),
        ),
        (
            "ec2-describe-instances-500.xml",
            fixtures::ec2_describe_instances_response(500),
        ),
        (
            "sqs-send-message-batch-response.json",
            fixtures::sqs_batch_response(&fixtures::sqs_batch_entries()),
        ),
    ];
    for (name, body) in files {
        std::fs::write(dir.join(name), body).map_err(|e| format!("{name}: {e}"))?;
    }
    let binary = [
        (
            "s3-list-objects-v2-1000.xml",
            fixtures::s3_list_objects_response(1000).into_bytes(),
        ),
        (
            "cloudwatch-get-metric-data.cbor",
            fixtures::cloudwatch_metric_data_response(CW_METRICS, CW_POINTS),
        ),
    ];
    for (name, body) in binary {
        std::fs::write(dir.join(name), body).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// Runs one case `n` times (default 1) and nothing else, so an instruction
/// count (callgrind, perf) divided by runs is repeatable. The difference of
/// two counts with different `n` cancels the fixture generation and setup.
/// Cases: `ddb-sdk`, `ddb-sdk-empty`, `ddb-ours`, `ddb-ours-empty`,
/// `ddb-ceiling`, `s3-sdk`, `s3-ours`, `cw-sdk`, `cw-ours`, and with
/// the `ec2` feature `ec2-sdk`, `ec2-sdk-empty`, and with `ec2` or
/// `botogen-ec2` (which builds no aws-sdk crate) `ec2-ours`, `ec2-ours-empty`.
fn profile(args: &[String]) -> Result<(), String> {
    let case = args
        .first()
        .ok_or("usage: botogen-bench profile CASE [N]")?;
    let n: usize = match args.get(1) {
        Some(v) => v.parse().map_err(|_| format!("bad count {v}"))?,
        None => 1,
    };
    let rt = sdk_side::runtime();
    let ddb_body = |full: bool| {
        if full {
            fixtures::dynamodb_query_response(1000)
        } else {
            fixtures::dynamodb_empty_response()
        }
    };
    match case.as_str() {
        "ddb-sdk" | "ddb-sdk-empty" => {
            let sdk = sdk_side::dynamodb_client(Bytes::from(ddb_body(case == "ddb-sdk")));
            for _ in 0..n {
                black_box(rt.block_on(sdk_side::dynamodb_query(&sdk)));
            }
        }
        "ddb-ours" | "ddb-ours-empty" => {
            let ours = botogen_side::DynamoDbQuery::new(ddb_body(case == "ddb-ours").into_bytes());
            for _ in 0..n {
                black_box(ours.run()?);
            }
        }
        #[cfg(feature = "ec2")]
        "ec2-sdk" | "ec2-sdk-empty" => {
            let body = if case == "ec2-sdk" {
                fixtures::ec2_describe_instances_response(500)
            } else {
                fixtures::ec2_empty_response()
            };
            let sdk = sdk_side::ec2_client(Bytes::from(body));
            for _ in 0..n {
                black_box(rt.block_on(sdk_side::ec2_describe_instances(&sdk)));
            }
        }
        #[cfg(feature = "botogen-ec2")]
        "ec2-ours" | "ec2-ours-empty" => {
            let body = if case == "ec2-ours" {
                fixtures::ec2_describe_instances_response(500)
            } else {
                fixtures::ec2_empty_response()
            };
            let ours = botogen_side::Ec2DescribeInstances::new(body.into_bytes());
            for _ in 0..n {
                black_box(ours.run()?);
            }
        }
        "ddb-ceiling" => {
            let body = ddb_body(true);
            for _ in 0..n {
                black_box(ceiling::dynamodb_query(body.as_bytes())?);
            }
        }
        "s3-sdk" => {
            let sdk = sdk_side::s3_client(Bytes::from(fixtures::s3_list_objects_response(1000)));
            for _ in 0..n {
                black_box(rt.block_on(sdk_side::s3_list_objects(&sdk)));
            }
        }
        "s3-ours" => {
            let ours = botogen_side::S3ListObjects::new(
                fixtures::s3_list_objects_response(1000).into_bytes(),
            );
            for _ in 0..n {
                black_box(ours.run()?);
            }
        }
        "cw-sdk" => {
            let body = fixtures::cloudwatch_metric_data_response(CW_METRICS, CW_POINTS);
            let sdk = sdk_side::cloudwatch_client(Bytes::from(body));
            for _ in 0..n {
                black_box(rt.block_on(sdk_side::cloudwatch_get_metric_data(&sdk)));
            }
        }
        "cw-ours" => {
            let body = fixtures::cloudwatch_metric_data_response(CW_METRICS, CW_POINTS);
            let ours = botogen_side::CloudWatchGetMetricData::new(body);
            for _ in 0..n {
                black_box(ours.run()?);
            }
        }
        other => return Err(format!("unknown profile case {other}")),
    }
    Ok(())
}

/// One comparison: the operation on each side with the full and the empty
/// payload, and the plain serde decode of the same body.
struct Contest<'a> {
    what: &'static str,
    bytes: usize,
    /// What "per item" counts (items, instances, entries, keys, points).
    unit: &'static str,
    units: usize,
    sdk: Box<dyn FnMut() + 'a>,
    sdk_empty: Box<dyn FnMut() + 'a>,
    ours: Box<dyn FnMut() + 'a>,
    ours_empty: Box<dyn FnMut() + 'a>,
    ceiling: Box<dyn FnMut() + 'a>,
    ceiling_empty: Box<dyn FnMut() + 'a>,
    /// The ceiling's crate, for the table.
    ceiling_how: &'static str,
}

/// One comparison row's raw timings and allocation counts.
struct Row {
    what: &'static str,
    bytes: usize,
    unit: &'static str,
    units: usize,
    sdk_full: Stats,
    sdk_empty: Stats,
    ours: Stats,
    ours_empty: Stats,
    ceiling: Stats,
    ceiling_how: &'static str,
    /// Allocations of one call: (full, empty) per side.
    alloc_sdk: (Allocs, Allocs),
    alloc_ours: (Allocs, Allocs),
    alloc_ceiling: (Allocs, Allocs),
}

fn find(stats: &[Stats], name: &str) -> Stats {
    stats
        .iter()
        .find(|s| s.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("case {name} was not timed"))
}

/// Counts allocations of one warm call of each closure, then times them all
/// interleaved.
fn run_contest(c: Contest<'_>, opts: &Options) -> Row {
    let Contest {
        what,
        bytes,
        unit,
        units,
        mut sdk,
        mut sdk_empty,
        mut ours,
        mut ours_empty,
        mut ceiling,
        mut ceiling_empty,
        ceiling_how,
    } = c;
    let count = |f: &mut Box<dyn FnMut() + '_>| {
        // Warm first: lazily initialised statics (endpoint caches, rule
        // sets, identity caches) are a one-time cost, not a per-call one.
        f();
        alloc_count::measure(&mut **f)
    };
    let alloc_sdk = (count(&mut sdk), count(&mut sdk_empty));
    let alloc_ours = (count(&mut ours), count(&mut ours_empty));
    let alloc_ceiling = (count(&mut ceiling), count(&mut ceiling_empty));
    let mut cases = vec![
        Case {
            name: "sdk",
            run: sdk,
        },
        Case {
            name: "sdk-empty",
            run: sdk_empty,
        },
        Case {
            name: "ours",
            run: ours,
        },
        Case {
            name: "ours-empty",
            run: ours_empty,
        },
        Case {
            name: "ceiling",
            run: ceiling,
        },
    ];
    drop(ceiling_empty);
    let stats = compare(&mut cases, opts.rounds, opts.batch);
    Row {
        what,
        bytes,
        unit,
        units,
        sdk_full: find(&stats, "sdk"),
        sdk_empty: find(&stats, "sdk-empty"),
        ours: find(&stats, "ours"),
        ours_empty: find(&stats, "ours-empty"),
        ceiling: find(&stats, "ceiling"),
        ceiling_how,
        alloc_sdk,
        alloc_ours,
        alloc_ceiling,
    }
}

/// Fails unless `got` is `want` (each side must really parse the payload).
fn expect(side: &str, got: usize, want: usize, unit: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{side} produced {got} {unit}, expected {want}"))
    }
}

fn throughput(opts: &Options) -> Result<(), String> {
    let rt = sdk_side::runtime();
    let mut rows = Vec::new();
    let ok = |r: Result<usize, String>| black_box(r.ok());

    // DynamoDB Query, 1,000 items (parse).
    {
        let body = fixtures::dynamodb_query_response(1000);
        let empty = fixtures::dynamodb_empty_response();
        let sdk = sdk_side::dynamodb_client(Bytes::from(body.clone()));
        let sdk_empty = sdk_side::dynamodb_client(Bytes::from(empty.clone()));
        let ours = botogen_side::DynamoDbQuery::new(body.clone().into_bytes());
        let ours_empty = botogen_side::DynamoDbQuery::new(empty.clone().into_bytes());
        let items = rt.block_on(sdk_side::dynamodb_query(&sdk));
        expect("aws-sdk-dynamodb", items, 1000, "items")?;
        expect("botogen-dynamodb", ours.run()?, 1000, "items")?;
        expect(
            "serde_json",
            ceiling::dynamodb_query(body.as_bytes())?,
            1000,
            "items",
        )?;
        rows.push(run_contest(
            Contest {
                what: "DynamoDB `Query` response, 1,000 items (parse)",
                bytes: body.len(),
                unit: "item",
                units: 1000,
                sdk: Box::new(|| {
                    black_box(rt.block_on(sdk_side::dynamodb_query(&sdk)));
                }),
                sdk_empty: Box::new(|| {
                    black_box(rt.block_on(sdk_side::dynamodb_query(&sdk_empty)));
                }),
                ours: Box::new(|| {
                    ok(ours.run());
                }),
                ours_empty: Box::new(|| {
                    ok(ours_empty.run());
                }),
                ceiling: Box::new(|| {
                    ok(ceiling::dynamodb_query(body.as_bytes()));
                }),
                ceiling_empty: Box::new(|| {
                    ok(ceiling::dynamodb_query(empty.as_bytes()));
                }),
                ceiling_how: "serde_json",
            },
            opts,
        ));
    }

    // EC2 DescribeInstances, 500 instances (parse).
    #[cfg(feature = "ec2")]
    {
        let body = fixtures::ec2_describe_instances_response(500);
        let empty = fixtures::ec2_empty_response();
        let sdk = sdk_side::ec2_client(Bytes::from(body.clone()));
        let sdk_empty = sdk_side::ec2_client(Bytes::from(empty.clone()));
        let ours = botogen_side::Ec2DescribeInstances::new(body.clone().into_bytes());
        let ours_empty = botogen_side::Ec2DescribeInstances::new(empty.clone().into_bytes());
        let n = rt.block_on(sdk_side::ec2_describe_instances(&sdk));
        expect("aws-sdk-ec2", n, 500, "instances")?;
        expect("botogen-ec2", ours.run()?, 500, "instances")?;
        expect(
            "quick-xml",
            ceiling::ec2_describe_instances(body.as_bytes())?,
            500,
            "instances",
        )?;
        rows.push(run_contest(
            Contest {
                what: "EC2 `DescribeInstances` response, 500 instances (parse)",
                bytes: body.len(),
                unit: "instance",
                units: 500,
                sdk: Box::new(|| {
                    black_box(rt.block_on(sdk_side::ec2_describe_instances(&sdk)));
                }),
                sdk_empty: Box::new(|| {
                    black_box(rt.block_on(sdk_side::ec2_describe_instances(&sdk_empty)));
                }),
                ours: Box::new(|| {
                    ok(ours.run());
                }),
                ours_empty: Box::new(|| {
                    ok(ours_empty.run());
                }),
                ceiling: Box::new(|| {
                    ok(ceiling::ec2_describe_instances(body.as_bytes()));
                }),
                ceiling_empty: Box::new(|| {
                    ok(ceiling::ec2_describe_instances(empty.as_bytes()));
                }),
                ceiling_how: "quick-xml (serde)",
            },
            opts,
        ));
    }

    // S3 ListObjectsV2, 1,000 keys (rest-xml parse).
    {
        let body = fixtures::s3_list_objects_response(1000);
        let empty = fixtures::s3_empty_response();
        let sdk = sdk_side::s3_client(Bytes::from(body.clone()));
        let sdk_empty = sdk_side::s3_client(Bytes::from(empty.clone()));
        let ours = botogen_side::S3ListObjects::new(body.clone().into_bytes());
        let ours_empty = botogen_side::S3ListObjects::new(empty.clone().into_bytes());
        expect(
            "aws-sdk-s3",
            rt.block_on(sdk_side::s3_list_objects(&sdk)),
            1000,
            "objects",
        )?;
        expect("botogen-s3", ours.run()?, 1000, "objects")?;
        expect(
            "quick-xml",
            ceiling::s3_list_objects(body.as_bytes())?,
            1000,
            "objects",
        )?;
        rows.push(run_contest(
            Contest {
                what: "S3 `ListObjectsV2` response, 1,000 keys (rest-xml parse)",
                bytes: body.len(),
                unit: "key",
                units: 1000,
                sdk: Box::new(|| {
                    black_box(rt.block_on(sdk_side::s3_list_objects(&sdk)));
                }),
                sdk_empty: Box::new(|| {
                    black_box(rt.block_on(sdk_side::s3_list_objects(&sdk_empty)));
                }),
                ours: Box::new(|| {
                    ok(ours.run());
                }),
                ours_empty: Box::new(|| {
                    ok(ours_empty.run());
                }),
                ceiling: Box::new(|| {
                    ok(ceiling::s3_list_objects(body.as_bytes()));
                }),
                ceiling_empty: Box::new(|| {
                    ok(ceiling::s3_list_objects(empty.as_bytes()));
                }),
                ceiling_how: "quick-xml (serde)",
            },
            opts,
        ));
    }

    // CloudWatch GetMetricData over smithy-rpc-v2-cbor (parse).
    {
        let (metrics, points) = (CW_METRICS, CW_POINTS);
        let body = fixtures::cloudwatch_metric_data_response(metrics, points);
        let empty = fixtures::cloudwatch_empty_response();
        let sdk = sdk_side::cloudwatch_client(Bytes::from(body.clone()));
        let sdk_empty = sdk_side::cloudwatch_client(Bytes::from(empty.clone()));
        let ours = botogen_side::CloudWatchGetMetricData::new(body.clone());
        let ours_empty = botogen_side::CloudWatchGetMetricData::new(empty.clone());
        let want = metrics * points;
        expect(
            "aws-sdk-cloudwatch",
            rt.block_on(sdk_side::cloudwatch_get_metric_data(&sdk)),
            want,
            "data points",
        )?;
        expect("botogen-cloudwatch", ours.run()?, want, "data points")?;
        expect(
            "ciborium",
            ceiling::cloudwatch_get_metric_data(&body)?,
            want,
            "data points",
        )?;
        rows.push(run_contest(
            Contest {
                what: "CloudWatch `GetMetricData` response, 100 metrics × 360 points (smithy-rpc-v2-cbor parse)",
                bytes: body.len(),
                unit: "point",
                units: want,
                sdk: Box::new(|| {
                    black_box(rt.block_on(sdk_side::cloudwatch_get_metric_data(&sdk)));
                }),
                sdk_empty: Box::new(|| {
                    black_box(rt.block_on(sdk_side::cloudwatch_get_metric_data(&sdk_empty)));
                }),
                ours: Box::new(|| {
                    ok(ours.run());
                }),
                ours_empty: Box::new(|| {
                    ok(ours_empty.run());
                }),
                ceiling: Box::new(|| {
                    ok(ceiling::cloudwatch_get_metric_data(&body));
                }),
                ceiling_empty: Box::new(|| {
                    ok(ceiling::cloudwatch_get_metric_data(&empty));
                }),
                ceiling_how: "ciborium",
            },
            opts,
        ));
    }

    // SQS SendMessageBatch, 10 entries with attributes (serialize).
    {
        let entries = fixtures::sqs_batch_entries();
        let minimal = fixtures::sqs_minimal_entries();
        let response = Bytes::from(fixtures::sqs_batch_response(&entries));
        let response_min = Bytes::from(fixtures::sqs_batch_response(&minimal));
        let sdk = sdk_side::sqs_client(response);
        let sdk_min = sdk_side::sqs_client(response_min);
        let sdk_entries = sdk_side::sqs_entries(&entries);
        let sdk_minimal = sdk_side::sqs_entries(&minimal);
        expect(
            "aws-sdk-sqs",
            rt.block_on(sdk_side::sqs_send_message_batch(&sdk, &sdk_entries)),
            10,
            "successful entries",
        )?;
        let ours = botogen_side::SqsSendMessageBatch::new(&entries);
        let ours_min = botogen_side::SqsSendMessageBatch::new(&minimal);
        let ceil = ceiling::SqsSendMessageBatch::new(&entries);
        let ceil_min = ceiling::SqsSendMessageBatch::new(&minimal);
        let bytes = ours.run()?;
        rows.push(run_contest(
            Contest {
                what: "SQS `SendMessageBatch` request, 10 entries × 3 attributes (serialize)",
                bytes,
                unit: "entry",
                units: 10,
                sdk: Box::new(|| {
                    black_box(rt.block_on(sdk_side::sqs_send_message_batch(&sdk, &sdk_entries)));
                }),
                sdk_empty: Box::new(|| {
                    black_box(
                        rt.block_on(sdk_side::sqs_send_message_batch(&sdk_min, &sdk_minimal)),
                    );
                }),
                ours: Box::new(|| {
                    ok(ours.run());
                }),
                ours_empty: Box::new(|| {
                    ok(ours_min.run());
                }),
                ceiling: Box::new(|| {
                    ok(ceil.run());
                }),
                ceiling_empty: Box::new(|| {
                    ok(ceil_min.run());
                }),
                ceiling_how: "serde_json",
            },
            opts,
        ));
    }

    if cfg!(not(feature = "ec2")) {
        eprintln!("botogen-bench: built without the `ec2` feature: EC2 DescribeInstances skipped");
    }
    print!("{}", render(&rows, opts));
    print!("{}", endpoints(opts)?);
    Ok(())
}

/// Endpoint resolution per call: botogen's rule-set evaluation as the
/// client runs it, against aws-sdk-dynamodb's generated resolver.
fn endpoints(opts: &Options) -> Result<String, String> {
    let rt = sdk_side::runtime();
    let ddb = botogen_side::dynamodb_get_item();
    let s3 = botogen_side::s3_get_object();
    let ap = botogen_side::s3_access_point();
    for (what, host, want) in [
        ("DynamoDB", ddb.host()?, "dynamodb.us-east-1.amazonaws.com"),
        ("S3", s3.host()?, "my-bucket.s3.us-west-2.amazonaws.com"),
        (
            "S3 access point",
            ap.host()?,
            "my-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com",
        ),
    ] {
        if host != want {
            return Err(format!("{what} resolved to {host}, expected {want}"));
        }
    }
    let resolver = aws_sdk_dynamodb::config::endpoint::DefaultResolver::new();
    let params = sdk_side::dynamodb_endpoint_params();
    let mut cases = vec![
        Case {
            name: "ddb-sdk",
            run: Box::new(|| {
                black_box(sdk_side::dynamodb_resolve(&rt, &resolver, &params));
            }),
        },
        Case {
            name: "ddb-ours",
            run: Box::new(|| {
                black_box(ddb.run().ok());
            }),
        },
        Case {
            name: "s3-ours",
            run: Box::new(|| {
                black_box(s3.run().ok());
            }),
        },
        Case {
            name: "ap-ours",
            run: Box::new(|| {
                black_box(ap.run().ok());
            }),
        },
        Case {
            name: "s3-parse",
            run: Box::new(|| {
                black_box(botogen_side::s3_parse_rule_set().ok());
            }),
        },
    ];
    let stats = compare(&mut cases, opts.rounds, opts.batch);
    let row = |s: &Stats| {
        format!(
            "{} (p25–p75 {}–{})",
            fmt_ns(s.median_ns),
            fmt_ns(s.p25_ns),
            fmt_ns(s.p75_ns)
        )
    };
    let mut out = String::new();
    out.push_str("\n### Endpoint resolution per call\n\n");
    out.push_str(
        "botogen: `client::endpoint::{builtins, client_params, resolve}` — built-ins from the config, \
the operation's bindings read from the input, the rule set evaluated (parsed once per process \
beforehand), the URL parsed — as the client does for every call. aws-sdk: \
`DefaultResolver::resolve_endpoint` of aws-sdk-dynamodb with the parameters its client passes \
(compiled rule set; it caches the last parameters' endpoint, so repeated identical calls are \
cache hits), driven by `block_on` on a current-thread runtime.\n\n",
    );
    out.push_str("| what | median per call |\n|---|---:|\n");
    for (what, name) in [
        ("aws-sdk-dynamodb `GetItem` endpoint (us-east-1)", "ddb-sdk"),
        (
            "botogen-dynamodb `GetItem` endpoint (us-east-1)",
            "ddb-ours",
        ),
        (
            "botogen-s3 `GetObject`, virtual-hosted bucket (us-west-2)",
            "s3-ours",
        ),
        (
            "botogen-s3 `GetObject`, access point ARN (us-west-2)",
            "ap-ours",
        ),
    ] {
        let _ = writeln!(out, "| {what} | {} |", row(&find(&stats, name)));
    }
    let _ = writeln!(
        out,
        "| botogen-s3 rule set parse ({} bytes of JSON; once per process, on the first S3 call) | {} |",
        botogen_side::s3_rule_set_bytes(),
        row(&find(&stats, "s3-parse"))
    );
    Ok(out)
}

fn render(rows: &[Row], opts: &Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Timing: hand-rolled loop (bench/src/timing.rs): each case is calibrated to a batch of \
≥ {} ms, then {} rounds run the cases interleaved in rotating order; the table shows the \
median per-operation time (p25–p75 in the detail table).\n",
        opts.batch.as_millis(),
        opts.rounds
    );
    let _ = writeln!(
        out,
        "| payload | bytes | aws-sdk full call | aws-sdk call, empty payload | aws-sdk payload cost (difference) | botogen {} | ratio aws-sdk payload cost / botogen | botogen MB/s | aws-sdk MB/s (payload cost) | ratio aws-sdk full call / botogen | ceiling: plain serde decode | ceiling MB/s | botogen time / ceiling time |",
        botogen_side::WHAT
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in rows {
        let marginal = (r.sdk_full.median_ns - r.sdk_empty.median_ns).max(0.0);
        let ours = r.ours.median_ns;
        let ceil = r.ceiling.median_ns;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | **{:.2}×** | {:.0} | {:.0} | {:.2}× | {} ({}) | {:.0} | {:.2}× |",
            r.what,
            r.bytes,
            fmt_ns(r.sdk_full.median_ns),
            fmt_ns(r.sdk_empty.median_ns),
            fmt_ns(marginal),
            fmt_ns(ours),
            marginal / ours,
            mb_per_s(r.bytes, ours),
            mb_per_s(r.bytes, marginal),
            r.sdk_full.median_ns / ours,
            fmt_ns(ceil),
            r.ceiling_how,
            mb_per_s(r.bytes, ceil),
            ours / ceil,
        );
    }
    out.push_str(
        "\nCeiling: the same body decoded (SQS: the same input cloned and encoded) by the plain \
serde crate named in the cell into hand-written structs with the output's members and value \
types (timestamps parsed, blobs base64-decoded, enums as strings; bench/src/ceiling.rs) — \
no protocol layer, no schema. The last column is how many times longer botogen takes than \
that decode (1.00× = at the ceiling).\n",
    );
    out.push_str("\n### Allocations per item\n\n");
    out.push_str(
        "A counting global allocator (bench/src/alloc_count.rs) counts heap allocation calls \
(alloc, alloc_zeroed, growing realloc) and the bytes they request during one warm call. Per \
item = (call with the full payload − call with the empty payload) ÷ items, on every side, so \
the fixed per-call cost (aws-sdk's pipeline, request building) is left out as in the timing \
table.\n\n",
    );
    out.push_str(
        "| payload | item | aws-sdk allocations / item | botogen allocations / item | ceiling allocations / item | aws-sdk bytes / item | botogen bytes / item | ceiling bytes / item | aws-sdk call, empty payload: allocations | botogen, empty payload: allocations |\n\
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let per = |a: &(Allocs, Allocs)| {
            let n = r.units.max(1) as f64;
            (
                a.0.calls.saturating_sub(a.1.calls) as f64 / n,
                a.0.bytes.saturating_sub(a.1.bytes) as f64 / n,
            )
        };
        let (sc, sb) = per(&r.alloc_sdk);
        let (oc, ob) = per(&r.alloc_ours);
        let (cc, cb) = per(&r.alloc_ceiling);
        let _ = writeln!(
            out,
            "| {} | {} | {sc:.1} | {oc:.1} | {cc:.1} | {sb:.0} | {ob:.0} | {cb:.0} | {} | {} |",
            r.what, r.unit, r.alloc_sdk.1.calls, r.alloc_ours.1.calls
        );
    }
    out.push_str(
        "\n<details><summary>Per-case detail (median, p25–p75, iterations per batch)</summary>\n\n",
    );
    out.push_str(
        "| payload | case | median | p25 | p75 | iters/batch |\n|---|---|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let cases = [
            ("aws-sdk full call", &r.sdk_full),
            ("aws-sdk full call, empty payload", &r.sdk_empty),
            ("botogen", &r.ours),
            ("botogen, empty payload", &r.ours_empty),
            ("ceiling", &r.ceiling),
        ];
        for (name, s) in cases {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                r.what,
                name,
                fmt_ns(s.median_ns),
                fmt_ns(s.p25_ns),
                fmt_ns(s.p75_ns),
                s.iters_per_round
            );
        }
    }
    out.push_str("\n</details>\n");
    out
}
