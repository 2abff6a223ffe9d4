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

mod botogen_side;
mod fixtures;
mod sdk_side;
mod timing;

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use timing::{Case, Stats, compare, fmt_ns, mb_per_s};

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
    Ok(())
}

/// Runs one case `n` times (default 1) and nothing else, so an instruction
/// count (callgrind, perf) divided by runs is repeatable. The difference of
/// two counts with different `n` cancels the fixture generation and setup.
/// Cases: `ddb-sdk`, `ddb-sdk-empty`, `ddb-ours`, `ddb-ours-empty`, and with
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
        other => return Err(format!("unknown profile case {other}")),
    }
    Ok(())
}

/// One comparison row's raw timings.
struct Row {
    what: &'static str,
    bytes: usize,
    sdk_full: Stats,
    sdk_empty: Stats,
    ours: Stats,
    ours_empty: Stats,
    ours_full: Option<Stats>,
}

fn find(stats: &[Stats], name: &str) -> Stats {
    stats
        .iter()
        .find(|s| s.name == name)
        .cloned()
        .unwrap_or_else(|| panic!("case {name} was not timed"))
}

fn throughput(opts: &Options) -> Result<(), String> {
    let rt = sdk_side::runtime();
    let mut rows = Vec::new();

    // DynamoDB Query, 1,000 items (parse).
    {
        let body = fixtures::dynamodb_query_response(1000);
        let empty = fixtures::dynamodb_empty_response();
        let sdk = sdk_side::dynamodb_client(Bytes::from(body.clone()));
        let sdk_empty = sdk_side::dynamodb_client(Bytes::from(empty.clone()));
        let n = rt.block_on(sdk_side::dynamodb_query(&sdk));
        if n != 1000 {
            return Err(format!("aws-sdk-dynamodb parsed {n} items, expected 1000"));
        }
        let ours = botogen_side::DynamoDbQuery::new(body.clone().into_bytes());
        let ours_empty = botogen_side::DynamoDbQuery::new(empty.into_bytes());
        let n = ours.run()?;
        if n != 1000 {
            return Err(format!("botogen-dynamodb parsed {n} items, expected 1000"));
        }
        let mut cases = vec![
            Case {
                name: "sdk",
                run: Box::new(|| {
                    black_box(rt.block_on(sdk_side::dynamodb_query(&sdk)));
                }),
            },
            Case {
                name: "sdk-empty",
                run: Box::new(|| {
                    black_box(rt.block_on(sdk_side::dynamodb_query(&sdk_empty)));
                }),
            },
            Case {
                name: "ours",
                run: Box::new(|| {
                    black_box(ours.run().ok());
                }),
            },
            Case {
                name: "ours-empty",
                run: Box::new(|| {
                    black_box(ours_empty.run().ok());
                }),
            },
        ];
        let stats = compare(&mut cases, opts.rounds, opts.batch);
        rows.push(Row {
            what: "DynamoDB `Query` response, 1,000 items (parse)",
            bytes: body.len(),
            sdk_full: find(&stats, "sdk"),
            sdk_empty: find(&stats, "sdk-empty"),
            ours: find(&stats, "ours"),
            ours_empty: find(&stats, "ours-empty"),
            ours_full: None,
        });
    }

    // EC2 DescribeInstances, 500 instances (parse).
    #[cfg(feature = "ec2")]
    {
        let body = fixtures::ec2_describe_instances_response(500);
        let empty = fixtures::ec2_empty_response();
        let sdk = sdk_side::ec2_client(Bytes::from(body.clone()));
        let sdk_empty = sdk_side::ec2_client(Bytes::from(empty.clone()));
        let n = rt.block_on(sdk_side::ec2_describe_instances(&sdk));
        if n != 500 {
            return Err(format!("aws-sdk-ec2 parsed {n} instances, expected 500"));
        }
        let ours = botogen_side::Ec2DescribeInstances::new(body.clone().into_bytes());
        let ours_empty = botogen_side::Ec2DescribeInstances::new(empty.into_bytes());
        let n = ours.run()?;
        if n != 500 {
            return Err(format!("botogen-ec2 parsed {n} instances, expected 500"));
        }
        let mut cases = vec![
            Case {
                name: "sdk",
                run: Box::new(|| {
                    black_box(rt.block_on(sdk_side::ec2_describe_instances(&sdk)));
                }),
            },
            Case {
                name: "sdk-empty",
                run: Box::new(|| {
                    black_box(rt.block_on(sdk_side::ec2_describe_instances(&sdk_empty)));
                }),
            },
            Case {
                name: "ours",
                run: Box::new(|| {
                    black_box(ours.run().ok());
                }),
            },
            Case {
                name: "ours-empty",
                run: Box::new(|| {
                    black_box(ours_empty.run().ok());
                }),
            },
        ];
        let stats = compare(&mut cases, opts.rounds, opts.batch);
        rows.push(Row {
            what: "EC2 `DescribeInstances` response, 500 instances (parse)",
            bytes: body.len(),
            sdk_full: find(&stats, "sdk"),
            sdk_empty: find(&stats, "sdk-empty"),
            ours: find(&stats, "ours"),
            ours_empty: find(&stats, "ours-empty"),
            ours_full: None,
        });
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
        let n = rt.block_on(sdk_side::sqs_send_message_batch(&sdk, &sdk_entries));
        if n != 10 {
            return Err(format!(
                "aws-sdk-sqs reported {n} successful entries, expected 10"
            ));
        }
        let ours = botogen_side::SqsSendMessageBatch::new(&entries);
        let ours_min = botogen_side::SqsSendMessageBatch::new(&minimal);
        let bytes = ours.run()?;
        let mut cases = vec![
            Case {
                name: "sdk",
                run: Box::new(|| {
                    black_box(rt.block_on(sdk_side::sqs_send_message_batch(&sdk, &sdk_entries)));
                }),
            },
            Case {
                name: "sdk-empty",
                run: Box::new(|| {
                    black_box(
                        rt.block_on(sdk_side::sqs_send_message_batch(&sdk_min, &sdk_minimal)),
                    );
                }),
            },
            Case {
                name: "ours",
                run: Box::new(|| {
                    black_box(ours.run().ok());
                }),
            },
            Case {
                name: "ours-empty",
                run: Box::new(|| {
                    black_box(ours_min.run().ok());
                }),
            },
        ];
        let stats = compare(&mut cases, opts.rounds, opts.batch);
        rows.push(Row {
            what: "SQS `SendMessageBatch` request, 10 entries × 3 attributes (serialize)",
            bytes,
            sdk_full: find(&stats, "sdk"),
            sdk_empty: find(&stats, "sdk-empty"),
            ours: find(&stats, "ours"),
            ours_empty: find(&stats, "ours-empty"),
            ours_full: None,
        });
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
        "| payload | bytes | aws-sdk full call | aws-sdk call, empty payload | aws-sdk payload cost (difference) | botogen {} | ratio aws-sdk payload cost / botogen | ratio aws-sdk full call / botogen | botogen MB/s | aws-sdk MB/s (payload cost) |",
        botogen_side::WHAT
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in rows {
        let marginal = (r.sdk_full.median_ns - r.sdk_empty.median_ns).max(0.0);
        let ours = r.ours_full.as_ref().unwrap_or(&r.ours).median_ns;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.2}× | {:.2}× | {:.0} | {:.0} |",
            r.what,
            r.bytes,
            fmt_ns(r.sdk_full.median_ns),
            fmt_ns(r.sdk_empty.median_ns),
            fmt_ns(marginal),
            fmt_ns(ours),
            marginal / ours,
            r.sdk_full.median_ns / ours,
            mb_per_s(r.bytes, ours),
            mb_per_s(r.bytes, marginal),
        );
    }
    out.push_str(
        "\n<details><summary>Per-case detail (median, p25–p75, iterations per batch)</summary>\n\n",
    );
    out.push_str(
        "| payload | case | median | p25 | p75 | iters/batch |\n|---|---|---:|---:|---:|---:|\n",
    );
    for r in rows {
        let mut cases = vec![
            ("aws-sdk full call", &r.sdk_full),
            ("aws-sdk full call, empty payload", &r.sdk_empty),
            ("botogen", &r.ours),
            ("botogen, empty payload", &r.ours_empty),
        ];
        if let Some(f) = &r.ours_full {
            cases.push(("botogen full call", f));
        }
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
