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
use std::path::PathBuf;

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

// moto's launcher, shared with the workspace tests (`tests/tests/s3_wire.rs`).
mod moto;
#[allow(
    unused_imports,
    reason = "each test binary uses part of the support code"
)]
pub use moto::{Moto, moto};

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
