//! Where signing keys come from.
//!
//! Providers: fixed keys ([`Credentials`] itself), the environment
//! ([`EnvironmentCredentials`]), the shared `~/.aws/credentials` and
//! `~/.aws/config` files ([`ProfileCredentials`]), [`Anonymous`] (unsigned
//! requests) and [`DefaultChain`] (environment, then profile — what a client
//! uses when none is configured). Providers are synchronous: every built-in
//! one reads memory, the environment or a local file. Not supported (yet):
//! IMDS/ECS container credentials, SSO, `role_arn` profiles and
//! `credential_process`; a profile that needs one of them is reported as such.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// AWS access keys.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Set for temporary credentials (STS).
    pub session_token: Option<String>,
}

impl Credentials {
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }
}

/// Secrets stay out of logs.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// Why a provider has no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialsError {
    /// This source has nothing; a chain moves on to the next one.
    NotFound(String),
    /// This source is configured but unusable (half-set keys, unsupported
    /// profile kind, unreadable file); a chain stops here.
    Invalid(String),
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotFound(m) | CredentialsError::Invalid(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CredentialsError {}

/// A source of credentials. `Ok(None)` means "send unsigned".
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    fn provide_credentials(&self) -> Result<Option<Credentials>, CredentialsError>;
}

/// A provider shared between clones of a client.
pub type SharedCredentials = Arc<dyn ProvideCredentials>;

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> Result<Option<Credentials>, CredentialsError> {
        Ok(Some(self.clone()))
    }
}

/// No credentials: requests go out unsigned (public buckets, local mocks).
#[derive(Debug, Clone, Copy, Default)]
pub struct Anonymous;

impl ProvideCredentials for Anonymous {
    fn provide_credentials(&self) -> Result<Option<Credentials>, CredentialsError> {
        Ok(None)
    }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentCredentials;

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> Result<Option<Credentials>, CredentialsError> {
        from_lookup(|name| std::env::var(name).ok()).map(Some)
    }
}

/// Reads the environment keys through `lookup` (separate for tests).
fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Credentials, CredentialsError> {
    let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => Ok(Credentials::new(id, secret, get("AWS_SESSION_TOKEN"))),
        (None, None) => Err(CredentialsError::NotFound(
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set".into(),
        )),
        (Some(_), None) => Err(CredentialsError::Invalid(
            "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".into(),
        )),
        (None, Some(_)) => Err(CredentialsError::Invalid(
            "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not".into(),
        )),
    }
}

/// Keys from the shared files: `[name]` in the credentials file
/// (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`), else
/// `[profile name]` (`[default]` for the default profile) in the config file
/// (`AWS_CONFIG_FILE`, default `~/.aws/config`).
#[derive(Debug, Clone, Default)]
pub struct ProfileCredentials {
    /// The profile; `None` reads `AWS_PROFILE`, else `default`.
    pub profile: Option<String>,
    /// Overrides the credentials file path.
    pub credentials_file: Option<PathBuf>,
    /// Overrides the config file path.
    pub config_file: Option<PathBuf>,
}

impl ProfileCredentials {
    pub fn new(profile: impl Into<String>) -> ProfileCredentials {
        ProfileCredentials {
            profile: Some(profile.into()),
            ..ProfileCredentials::default()
        }
    }

    fn profile_name(&self) -> String {
        self.profile.clone().unwrap_or_else(env_profile)
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> Result<Option<Credentials>, CredentialsError> {
        let name = self.profile_name();
        let creds_path = self
            .credentials_file
            .clone()
            .or_else(|| shared_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"));
        let config_path = self
            .config_file
            .clone()
            .or_else(|| shared_file("AWS_CONFIG_FILE", "config"));
        let from_creds = read_ini(creds_path)?.remove(&name);
        let from_config = read_ini(config_path)?.remove(&config_section(&name));
        profile_keys(&name, from_creds, from_config).map(Some)
    }
}

/// The default provider chain: environment, then the shared files.
/// The first credentials found are cached for the client's lifetime.
#[derive(Debug, Default)]
pub struct DefaultChain {
    cached: Mutex<Option<Credentials>>,
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> Result<Option<Credentials>, CredentialsError> {
        // A poisoned lock only means another thread panicked mid-lookup; the cache is still valid.
        let mut cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cached.as_ref() {
            return Ok(Some(c.clone()));
        }
        let found = match EnvironmentCredentials.provide_credentials() {
            Err(CredentialsError::NotFound(env)) => {
                match ProfileCredentials::default().provide_credentials() {
                    Err(CredentialsError::NotFound(profile)) => {
                        return Err(CredentialsError::NotFound(format!(
                            "no credentials found: {env}; {profile}"
                        )));
                    }
                    other => other?,
                }
            }
            other => other?,
        };
        cached.clone_from(&found);
        Ok(found)
    }
}

/// A key of the active profile in the shared config file (`region`,
/// `ca_bundle`, ...), if set.
pub(crate) fn profile_value(key: &str) -> Option<String> {
    let sections = read_ini(shared_file("AWS_CONFIG_FILE", "config")).ok()?;
    sections
        .get(&config_section(&env_profile()))?
        .get(key)
        .cloned()
        .filter(|r| !r.is_empty())
}

fn env_profile() -> String {
    std::env::var("AWS_PROFILE")
        .or_else(|_| std::env::var("AWS_DEFAULT_PROFILE"))
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "default".to_owned())
}

/// The config file names profiles `[profile x]` except `[default]`.
fn config_section(profile: &str) -> String {
    if profile == "default" {
        profile.to_owned()
    } else {
        format!("profile {profile}")
    }
}

fn shared_file(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(".aws").join(name))
}

type Sections = HashMap<String, HashMap<String, String>>;

/// A missing file is an empty one; an unreadable one is an error.
fn read_ini(path: Option<PathBuf>) -> Result<Sections, CredentialsError> {
    let Some(path) = path else {
        return Ok(Sections::new());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(parse_ini(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Sections::new()),
        Err(e) => Err(CredentialsError::Invalid(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

/// The subset of INI the AWS shared files use: `[section]`, `key = value`,
/// `#`/`;` comments. Indented lines (sub-settings such as `s3 =` blocks) are skipped.
fn parse_ini(text: &str) -> Sections {
    let mut sections = Sections::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest.split(']').next().unwrap_or_default();
            // `[profile   x]` and `[ x ]` are common hand-edits.
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            sections.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        if let (Some(section), Some((k, v))) = (&current, line.split_once('=')) {
            sections
                .entry(section.clone())
                .or_default()
                .insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    sections
}

fn profile_keys(
    name: &str,
    from_creds: Option<HashMap<String, String>>,
    from_config: Option<HashMap<String, String>>,
) -> Result<Credentials, CredentialsError> {
    let mut unsupported = None;
    for section in [&from_creds, &from_config].into_iter().flatten() {
        let get = |k: &str| section.get(k).filter(|v| !v.is_empty()).cloned();
        match (get("aws_access_key_id"), get("aws_secret_access_key")) {
            (Some(id), Some(secret)) => {
                return Ok(Credentials::new(id, secret, get("aws_session_token")));
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(CredentialsError::Invalid(format!(
                    "profile {name} has only one of aws_access_key_id and aws_secret_access_key"
                )));
            }
            (None, None) => {}
        }
        for key in [
            "role_arn",
            "sso_session",
            "sso_start_url",
            "credential_process",
            "web_identity_token_file",
        ] {
            if section.contains_key(key) && unsupported.is_none() {
                unsupported = Some(key);
            }
        }
    }
    if let Some(key) = unsupported {
        return Err(CredentialsError::Invalid(format!(
            "profile {name} uses {key}, which botogen does not support yet; use static keys or the environment"
        )));
    }
    Err(CredentialsError::NotFound(format!(
        "no keys for profile {name} in the shared credentials/config files"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_keys_and_half_set_keys() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let c = from_lookup(vars(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ]))
        .unwrap();
        assert_eq!(c, Credentials::new("AKID", "SECRET", Some("TOKEN".into())));
        assert!(matches!(
            from_lookup(vars(&[])),
            Err(CredentialsError::NotFound(_))
        ));
        assert!(matches!(
            from_lookup(vars(&[("AWS_ACCESS_KEY_ID", "AKID")])),
            Err(CredentialsError::Invalid(_))
        ));
    }

    #[test]
    fn ini_profiles_credentials_file_wins_over_config() {
        let dir = std::env::temp_dir().join(format!("botogen-creds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let creds = dir.join("credentials");
        let config = dir.join("config");
        std::fs::write(
            &creds,
            "# comment\n[default]\naws_access_key_id = A1\naws_secret_access_key=S1\n\n[dev]\naws_access_key_id = A2\naws_secret_access_key = S2\naws_session_token = T2\n",
        )
        .unwrap();
        std::fs::write(
            &config,
            "[default]\nregion = eu-west-1\n[profile dev]\naws_access_key_id = IGNORED\naws_secret_access_key = IGNORED\ns3 =\n  max_concurrent_requests = 4\n[profile cfgonly]\naws_access_key_id = A3\naws_secret_access_key = S3\n[profile role]\nrole_arn = arn:aws:iam::1:role/x\n",
        )
        .unwrap();
        let provider = |name: &str| ProfileCredentials {
            profile: Some(name.into()),
            credentials_file: Some(creds.clone()),
            config_file: Some(config.clone()),
        };
        let get = |name: &str| provider(name).provide_credentials();
        assert_eq!(
            get("dev").unwrap(),
            Some(Credentials::new("A2", "S2", Some("T2".into())))
        );
        assert_eq!(
            get("default").unwrap(),
            Some(Credentials::new("A1", "S1", None))
        );
        assert_eq!(
            get("cfgonly").unwrap(),
            Some(Credentials::new("A3", "S3", None))
        );
        assert!(matches!(get("role"), Err(CredentialsError::Invalid(m)) if m.contains("role_arn")));
        assert!(matches!(get("nope"), Err(CredentialsError::NotFound(_))));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn debug_redacts_secrets() {
        let text = format!(
            "{:?}",
            Credentials::new("AKID", "SECRETKEY", Some("TOKENVALUE".into()))
        );
        assert!(text.contains("AKID"));
        assert!(!text.contains("SECRETKEY") && !text.contains("TOKENVALUE"));
    }
}
