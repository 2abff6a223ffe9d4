//! `cargo xtask quickstart`: follows the README's quick start outside the
//! repository, as a newcomer would, and fails if any step does not work.
//!
//! In a scratch directory under the system temp dir (not inside this
//! repository, so nothing resolves through the workspace): build the
//! `botogen` binary, generate the SQS crate with default flags, create a
//! binary project that depends on it by path, take `src/main.rs` verbatim
//! from the README's block marked `quickstart:main.rs`, build it, and run
//! it against a local fake SQS endpoint (a std-only responder here) with
//! settings from the environment only. The program must print the message
//! id the fake returns, and the fake must have seen a signed `SendMessage`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;

const MESSAGE_ID: &str = "5fea7756-0ea4-451a-a703-a558b933e274";

pub fn run(_args: &[String]) -> Result<(), String> {
    let root = crate::root();
    let started = std::time::Instant::now();
    let scratch = std::env::temp_dir().join(format!("botogen-quickstart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let result = steps(&root, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result?;
    println!("quickstart: ok in {:.1?}", started.elapsed());
    Ok(())
}

fn steps(root: &Path, scratch: &Path) -> Result<(), String> {
    // A target directory that survives the scratch project, so reruns are
    // incremental; outside the repository's own workspace build.
    let target = root.join("target").join("quickstart");
    step(
        Command::new("cargo")
            .args(["build", "--quiet", "-p", "botogen"])
            .current_dir(root),
        "building botogen",
    )?;
    let botogen = root.join("target/debug/botogen");
    let app = scratch.join("my-app");
    step(
        Command::new("cargo")
            .args(["new", "--quiet", "--bin", "my-app"])
            .current_dir(scratch),
        "cargo new my-app",
    )?;
    step(
        Command::new(&botogen)
            .arg("generate")
            .arg("--model")
            .arg(root.join("models/sqs/service-2.json"))
            .args(["--out", "botogen-sqs"])
            .current_dir(&app),
        "botogen generate (README defaults)",
    )?;
    let manifest = app.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    // What `cargo add --path botogen-sqs` and `cargo add tokio --features
    // macros,rt-multi-thread` write (cargo add itself would need the
    // registry index refreshed, which CI may not allow).
    text.push_str(
        "botogen-sqs = { path = \"botogen-sqs\" }\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    );
    std::fs::write(&manifest, text).map_err(|e| e.to_string())?;
    let main_rs = readme_block(&root.join("README.md"), "quickstart:main.rs")?;
    std::fs::write(app.join("src/main.rs"), main_rs).map_err(|e| e.to_string())?;
    step(
        Command::new("cargo")
            .args(["build", "--quiet"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&app),
        "building the quick-start program",
    )?;

    let (url, seen) = fake_sqs()?;
    let out = Command::new(target.join("debug/my-app"))
        .current_dir(&app)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", scratch)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_ENDPOINT_URL", &url)
        .env("QUEUE_URL", format!("{url}/123456789012/demo"))
        .output()
        .map_err(|e| format!("running the quick-start program: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !stdout.contains(MESSAGE_ID) {
        return Err(format!(
            "the quick-start program failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let request = seen
        .recv_timeout(std::time::Duration::from_secs(5))
        .map_err(|_| "the fake SQS endpoint saw no request".to_owned())?;
    for needle in [
        "x-amz-target: AmazonSQS.SendMessage",
        "authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/",
        "\"MessageBody\":\"hello from botogen\"",
    ] {
        if !request
            .to_ascii_lowercase()
            .contains(&needle.to_ascii_lowercase())
        {
            return Err(format!("the request lacks `{needle}`:\n{request}"));
        }
    }
    println!("{}", stdout.trim());
    Ok(())
}

/// The code block following the `<!-- MARKER ... -->` comment in `readme`.
fn readme_block(readme: &Path, marker: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(readme).map_err(|e| format!("{}: {e}", readme.display()))?;
    let start = text
        .find(&format!("<!-- {marker}"))
        .ok_or_else(|| format!("README.md has no `<!-- {marker}` block"))?;
    let rest = &text[start..];
    let open = rest
        .find("```rust\n")
        .ok_or("no ```rust block after the marker")?
        + 8;
    let len = rest[open..].find("```").ok_or("unterminated code block")?;
    Ok(rest[open..open + len].to_owned())
}

/// A one-request fake SQS (JSON protocol) on loopback: answers
/// `SendMessage` with a message id and hands the raw request back.
fn fake_sqs() -> Result<(String, mpsc::Receiver<String>), String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            let end = line.trim().is_empty();
            head.push_str(&line);
            if end {
                break;
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let answer = format!("{{\"MessageId\":\"{MESSAGE_ID}\",\"MD5OfMessageBody\":\"0\"}}");
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        );
        let _ = reader.get_mut().write_all(response.as_bytes());
        let _ = tx.send(format!("{head}{}", String::from_utf8_lossy(&body)));
    });
    Ok((url, rx))
}

fn step(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
