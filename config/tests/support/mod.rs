//! Test support: a scratch home with profile files, a fixed environment,
//! and moto's server (for STS) on a free loopback port.
//!
//! moto runs from `target/moto-venv`, which `install-moto.sh` creates on
//! first use (`.ci/run` installs it up front). One server per test binary;
//! it exits by itself when the test process does (a watchdog thread polls
//! its parent), so no server outlives the tests.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use botogen_config::ConfigLoader;
use botogen_runtime::env::Env;
use std::io::Read as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A temp home directory with `.aws/config` and `.aws/credentials`, and the
/// variables a test sets. IMDS is disabled unless a test points it at a fake.
pub struct Scenario {
    pub dir: tempfile::TempDir,
    vars: Vec<(String, String)>,
}

impl Scenario {
    pub fn new() -> Scenario {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("home/.aws")).expect("create .aws");
        let home = dir.path().join("home");
        let mut s = Scenario {
            vars: Vec::new(),
            dir,
        };
        s.set("HOME", home.display().to_string());
        s.set("AWS_EC2_METADATA_DISABLED", "true");
        s
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn config(&self, text: &str) -> &Scenario {
        std::fs::write(self.home().join(".aws/config"), text).expect("write config");
        self
    }

    pub fn credentials(&self, text: &str) -> &Scenario {
        std::fs::write(self.home().join(".aws/credentials"), text).expect("write credentials");
        self
    }

    /// A file in the scratch directory.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, text).expect("write file");
        path
    }

    /// Sets (or replaces) a variable.
    pub fn set(&mut self, key: &str, value: impl Into<String>) -> &mut Scenario {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.to_owned(), value.into()));
        self
    }

    pub fn unset(&mut self, key: &str) -> &mut Scenario {
        self.vars.retain(|(k, _)| k != key);
        self
    }

    pub fn vars(&self) -> Vec<(String, String)> {
        self.vars.clone()
    }

    pub fn env(&self) -> Env {
        Env::from_vars(self.vars.clone())
    }

    pub fn loader(&self) -> ConfigLoader {
        ConfigLoader::new().env(self.env())
    }
}

/// moto's server, shared by the tests of one binary.
pub struct Moto {
    pub url: String,
    /// Kept, never waited for: the watchdog ends it with the test process.
    _server: std::sync::Mutex<std::process::Child>,
}

/// Starts moto (installing it first if needed) once per test binary.
pub fn moto() -> &'static Moto {
    static MOTO: OnceLock<Moto> = OnceLock::new();
    MOTO.get_or_init(start_moto)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Exits with the test process: moto's server has no such option.
const WATCHDOG: &str = r#"
import os, sys, threading, time
parent = os.getppid()
def watch():
    while os.getppid() == parent:
        time.sleep(0.3)
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
from moto.server import main
main(["-H", "127.0.0.1", "-p", sys.argv[1]])
"#;

fn start_moto() -> Moto {
    let venv = target_dir().join("moto-venv");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/install-moto.sh");
    let status = Command::new("bash")
        .arg(&script)
        .arg(&venv)
        .status()
        .expect("run install-moto.sh");
    assert!(
        status.success(),
        "installing moto into {} failed",
        venv.display()
    );
    let python = venv.join("bin/python");
    for _ in 0..3 {
        // A free port: bind, read it, release (another process could take
        // it in between; then moto fails to bind and we try another).
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = tempfile::NamedTempFile::new().expect("log file");
        let mut child = Command::new(&python)
            .args(["-c", WATCHDOG, &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("log handle"))
            .spawn()
            .expect("start moto");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Moto {
                    url: format!("http://127.0.0.1:{port}"),
                    _server: std::sync::Mutex::new(child),
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                let mut text = String::new();
                let _ = log.reopen().and_then(|mut f| f.read_to_string(&mut text));
                eprintln!("moto exited ({status}) on port {port}: {text}");
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("moto's server did not start");
}

/// An STS XML answer with credentials, as `AssumeRole*` return them.
pub fn sts_credentials_xml(action: &str, access_key_id: &str, expiration: &str) -> String {
    format!(
        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result><Credentials>\
         <AccessKeyId>{access_key_id}</AccessKeyId><SecretAccessKey>SECRET</SecretAccessKey>\
         <SessionToken>TOKEN</SessionToken><Expiration>{expiration}</Expiration></Credentials>\
         </{action}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></{action}Response>"
    )
}

/// A form-encoded body's value for `key`.
pub fn form_value(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
