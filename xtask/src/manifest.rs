//! `models/manifest.json`: where each vendored model came from (botocore
//! version, API version), a SHA-256 per file, and the version of the crate
//! generated from it. `cargo xtask update-models` writes it; `cargo xtask
//! codegen` reads the crate versions from it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

pub const FILE: &str = "manifest.json";

const ABOUT: &str = "Written by `cargo xtask update-models`; do not edit by hand. Per service: the botocore release and API version the files in models/<service>/ come from, the SHA-256 of each file as vendored (decompressed), and the version of generated-client/<service>.";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    #[serde(default)]
    pub about: String,
    pub services: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub botocore_version: String,
    pub api_version: String,
    pub crate_version: String,
    /// File name → `sha256:<hex>`.
    pub files: BTreeMap<String, String>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            about: ABOUT.into(),
            services: BTreeMap::new(),
        }
    }
}

impl Manifest {
    /// Reads `<models>/manifest.json`; an absent file is an empty manifest.
    pub fn read(models: &Path) -> Result<Manifest, String> {
        let path = models.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// The text as written (pretty, sorted keys, trailing newline).
    pub fn to_text(&self) -> String {
        let mut m = self.clone();
        m.about = ABOUT.into();
        let mut s = serde_json::to_string_pretty(&m).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn crate_version(&self, service: &str) -> Option<&str> {
        self.services.get(service).map(|e| e.crate_version.as_str())
    }
}

/// `sha256:<hex>` of `bytes`.
pub fn checksum(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::from("sha256:");
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_sha256() {
        assert_eq!(
            checksum(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn round_trip() {
        let mut m = Manifest::default();
        m.services.insert(
            "sqs".into(),
            Entry {
                botocore_version: "1.44.5".into(),
                api_version: "2012-11-05".into(),
                crate_version: "0.1.0".into(),
                files: [("service-2.json".to_string(), checksum(b"{}"))].into(),
            },
        );
        let text = m.to_text();
        let back: Manifest = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.crate_version("sqs"), Some("0.1.0"));
        assert_eq!(back.crate_version("s3"), None);
    }
}
