//! What a profile asks for, and the profile credentials that need no AWS call.
//!
//! [`resolve`] turns the selected profile into a [`ProfileChain`]: base
//! credentials (static keys, `credential_process`, a `credential_source`,
//! web identity, SSO) and the roles to assume from them, in order, with
//! every `source_profile` followed and cycles reported. It is shared by the
//! runtime's [`ProfileCredentials`] (which can serve static keys and
//! `credential_process` alone) and `botogen-config` (which serves all).
//!
//! The order within a profile is botocore's: a `role_arn` (without
//! `web_identity_token_file`) first, then web identity, SSO, static keys
//! from the credentials file, `credential_process`, static keys from the
//! config file. A `source_profile` with static keys (or no `role_arn`) is
//! resolved the same way without the environment; one with only a
//! `role_arn` continues the chain.

use super::ProvideCredentialsFuture;
use super::process::ProcessCredentials;
use super::{Credentials, CredentialsError, CredentialsResult, ProvideCredentials};
use crate::env::Env;
use crate::profile::{Profile, ProfileFiles, ProfileSet};
use std::fmt;
use std::path::PathBuf;

/// A role profile's `credential_source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    /// `Environment`: the environment variables' keys.
    Environment,
    /// `Ec2InstanceMetadata`: the instance role from IMDS.
    Ec2InstanceMetadata,
    /// `EcsContainer`: the container credentials endpoint.
    EcsContainer,
}

/// `web_identity_token_file` + `role_arn`, from a profile or from
/// `AWS_WEB_IDENTITY_TOKEN_FILE` / `AWS_ROLE_ARN` / `AWS_ROLE_SESSION_NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentity {
    pub token_file: PathBuf,
    pub role_arn: String,
    pub session_name: Option<String>,
    /// `environment`, or the profile with its location.
    pub origin: String,
}

/// An SSO profile: `sso_session` (with an `[sso-session]` section) or the
/// legacy keys in the profile itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoProfile {
    pub start_url: String,
    pub region: String,
    pub account_id: String,
    pub role_name: String,
    /// The `sso-session` name; `None` for the legacy form (whose tokens the
    /// CLI does not refresh).
    pub session: Option<String>,
    /// The profile with its location.
    pub origin: String,
}

/// Credentials a profile chain starts from.
#[derive(Clone, PartialEq, Eq)]
pub enum BaseCredentials {
    /// `aws_access_key_id`, `aws_secret_access_key` (+ `aws_session_token`).
    Static {
        origin: String,
        credentials: Credentials,
    },
    /// `credential_process`.
    Process {
        origin: String,
        command: String,
    },
    /// A role profile's `credential_source`.
    Source {
        origin: String,
        source: CredentialSource,
    },
    WebIdentity(WebIdentity),
    Sso(SsoProfile),
}

/// Shows which kind and where, never keys or commands.
impl fmt::Debug for BaseCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BaseCredentials::Static {
                origin,
                credentials,
            } => f
                .debug_struct("Static")
                .field("origin", origin)
                .field("access_key_id", &credentials.access_key_id)
                .finish_non_exhaustive(),
            BaseCredentials::Process { origin, .. } => f
                .debug_struct("Process")
                .field("origin", origin)
                .finish_non_exhaustive(),
            BaseCredentials::Source { origin, source } => f
                .debug_struct("Source")
                .field("origin", origin)
                .field("source", source)
                .finish(),
            BaseCredentials::WebIdentity(w) => w.fmt(f),
            BaseCredentials::Sso(s) => s.fmt(f),
        }
    }
}

/// One role to assume (`role_arn` and its settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleLink {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
    pub duration_seconds: Option<i32>,
    /// The profile with its location.
    pub origin: String,
}

/// Base credentials, then roles to assume in order (the last is the
/// selected profile's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChain {
    pub base: BaseCredentials,
    pub roles: Vec<RoleLink>,
}

const SOURCE: &str = "profile";

fn invalid(message: impl Into<String>) -> CredentialsError {
    CredentialsError::invalid(SOURCE, message)
}

/// The selected profile of `set` as a chain. `use_env`: the environment's
/// web identity variables apply (botocore ignores them, like the
/// environment's keys, when a program names the profile itself).
///
/// A missing `default` profile with nothing else configured is
/// [`CredentialsError::not_found`]; any other missing profile, a cycle,
/// half-set keys or a bad setting is an `Invalid` error naming the profile
/// and the file and line.
pub fn resolve(
    set: &ProfileSet,
    env: &Env,
    use_env: bool,
) -> Result<ProfileChain, CredentialsError> {
    let name = set.selected_name();
    let Some(profile) = set.get(name) else {
        if use_env && let Some(w) = env_web_identity(env)? {
            return Ok(ProfileChain {
                base: BaseCredentials::WebIdentity(w),
                roles: Vec::new(),
            });
        }
        let message = set.missing_profile_message(name);
        return Err(if name == "default" {
            CredentialsError::not_found(SOURCE, message)
        } else {
            invalid(message)
        });
    };
    let mut roles = Vec::new();
    let mut visited = vec![name.to_owned()];
    let base = resolve_profile(set, profile, env, use_env, &mut visited, &mut roles)?;
    roles.reverse();
    Ok(ProfileChain { base, roles })
}

fn has_role(p: &Profile) -> bool {
    p.get_nonempty("role_arn").is_some() && p.get_nonempty("web_identity_token_file").is_none()
}

fn resolve_profile(
    set: &ProfileSet,
    p: &Profile,
    env: &Env,
    use_env: bool,
    visited: &mut Vec<String>,
    roles: &mut Vec<RoleLink>,
) -> Result<BaseCredentials, CredentialsError> {
    if !has_role(p) {
        return profile_providers(set, p, env, use_env)?.ok_or_else(|| {
            CredentialsError::not_found(
                SOURCE,
                format!(
                    "{} has no credentials (no keys, role_arn, web_identity_token_file, sso_* or credential_process)",
                    p.describe("profile")
                ),
            )
        });
    }
    let origin = p.describe("profile");
    roles.push(role_link(p)?);
    match (
        p.get_nonempty("source_profile"),
        p.get_nonempty("credential_source"),
    ) {
        (Some(_), Some(_)) => Err(invalid(format!(
            "{origin} sets both source_profile and credential_source; use one"
        ))),
        (None, None) => Err(invalid(format!(
            "{origin} sets role_arn but neither source_profile nor credential_source"
        ))),
        (None, Some(source)) => {
            let source = match source {
                "Environment" => CredentialSource::Environment,
                "Ec2InstanceMetadata" => CredentialSource::Ec2InstanceMetadata,
                "EcsContainer" => CredentialSource::EcsContainer,
                other => {
                    return Err(invalid(format!(
                        "credential_source {other:?} of {origin} is not one of Environment, Ec2InstanceMetadata, EcsContainer"
                    )));
                }
            };
            Ok(BaseCredentials::Source { origin, source })
        }
        (Some(source), None) => {
            let cycle = |visited: &[String]| {
                let mut path = visited.join(" -> ");
                path.push_str(" -> ");
                path.push_str(source);
                invalid(format!("source_profile of {origin} makes a cycle: {path}"))
            };
            if source == p.name() {
                // A role profile may use its own keys.
                return match static_keys(p)? {
                    Some(credentials) => Ok(BaseCredentials::Static {
                        origin: origin.clone(),
                        credentials,
                    }),
                    None => Err(cycle(visited)),
                };
            }
            if visited.iter().any(|v| v == source) {
                return Err(cycle(visited));
            }
            let Some(next) = set.get(source) else {
                return Err(invalid(format!(
                    "source_profile {source} of {origin}: {}",
                    set.missing_profile_message(source)
                )));
            };
            visited.push(source.to_owned());
            if has_role(next) && static_keys(next)?.is_none() {
                resolve_profile(set, next, env, false, visited, roles)
            } else {
                profile_providers(set, next, env, false)?.ok_or_else(|| {
                    invalid(format!(
                        "source_profile {source} of {origin} has no credentials"
                    ))
                })
            }
        }
    }
}

fn role_link(p: &Profile) -> Result<RoleLink, CredentialsError> {
    let origin = p.describe("profile");
    let duration_seconds = match p.get_nonempty("duration_seconds") {
        None => None,
        Some(v) => Some(v.parse::<i32>().ok().filter(|d| *d > 0).ok_or_else(|| {
            invalid(format!(
                "duration_seconds of {origin} must be a number of seconds, not {v:?}"
            ))
        })?),
    };
    let get = |k: &str| p.get_nonempty(k).map(str::to_owned);
    Ok(RoleLink {
        role_arn: get("role_arn").unwrap_or_default(),
        session_name: get("role_session_name"),
        external_id: get("external_id"),
        mfa_serial: get("mfa_serial"),
        duration_seconds,
        origin,
    })
}

/// botocore's profile providers, in order: web identity, SSO, keys from
/// the credentials file, `credential_process`, keys from the config file.
fn profile_providers(
    set: &ProfileSet,
    p: &Profile,
    env: &Env,
    use_env: bool,
) -> Result<Option<BaseCredentials>, CredentialsError> {
    let origin = p.describe("profile");
    let env_var = |var: &str| if use_env { env.get(var) } else { None };
    if let Some(token_file) = env_var("AWS_WEB_IDENTITY_TOKEN_FILE")
        .or_else(|| p.get_nonempty("web_identity_token_file").map(str::to_owned))
    {
        let from_env = env_var("AWS_WEB_IDENTITY_TOKEN_FILE").is_some();
        let role_arn = env_var("AWS_ROLE_ARN")
            .or_else(|| p.get_nonempty("role_arn").map(str::to_owned))
            .ok_or_else(|| {
                invalid(format!(
                    "{} sets a web identity token file but no role (AWS_ROLE_ARN or role_arn)",
                    if from_env {
                        "AWS_WEB_IDENTITY_TOKEN_FILE"
                    } else {
                        origin.as_str()
                    }
                ))
            })?;
        return Ok(Some(BaseCredentials::WebIdentity(WebIdentity {
            token_file: env.expand_home(&token_file),
            role_arn,
            session_name: env_var("AWS_ROLE_SESSION_NAME")
                .or_else(|| p.get_nonempty("role_session_name").map(str::to_owned)),
            origin: if from_env {
                "environment".into()
            } else {
                origin
            },
        })));
    }
    if let Some(sso) = sso_profile(set, p)? {
        return Ok(Some(BaseCredentials::Sso(sso)));
    }
    let keys = static_keys(p)?;
    let in_credentials_file = |p: &Profile| {
        let path = p
            .property("aws_access_key_id")
            .map(|k| k.location().path.clone());
        path.is_some_and(|path| set.files().credentials.as_deref() == Some(&*path))
    };
    if let Some(credentials) = keys.clone().filter(|_| in_credentials_file(p)) {
        return Ok(Some(BaseCredentials::Static {
            origin,
            credentials,
        }));
    }
    if let Some(command) = p.get_nonempty("credential_process") {
        return Ok(Some(BaseCredentials::Process {
            origin,
            command: command.to_owned(),
        }));
    }
    Ok(keys.map(|credentials| BaseCredentials::Static {
        origin,
        credentials,
    }))
}

fn static_keys(p: &Profile) -> Result<Option<Credentials>, CredentialsError> {
    match (
        p.get_nonempty("aws_access_key_id"),
        p.get_nonempty("aws_secret_access_key"),
    ) {
        (Some(id), Some(secret)) => Ok(Some(Credentials::new(
            id,
            secret,
            p.get_nonempty("aws_session_token")
                .or_else(|| p.get_nonempty("aws_security_token"))
                .map(str::to_owned),
        ))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(invalid(format!(
            "{} sets aws_access_key_id ({}) but not aws_secret_access_key",
            p.describe("profile"),
            p.property("aws_access_key_id")
                .map(|k| k.location().to_string())
                .unwrap_or_default()
        ))),
        (None, Some(_)) => Err(invalid(format!(
            "{} sets aws_secret_access_key ({}) but not aws_access_key_id",
            p.describe("profile"),
            p.property("aws_secret_access_key")
                .map(|k| k.location().to_string())
                .unwrap_or_default()
        ))),
    }
}

const SSO_KEYS: [&str; 4] = [
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
];

fn sso_profile(set: &ProfileSet, p: &Profile) -> Result<Option<SsoProfile>, CredentialsError> {
    let origin = p.describe("profile");
    let session_name = p.get_nonempty("sso_session");
    if session_name.is_none() && SSO_KEYS.iter().all(|k| p.get_nonempty(k).is_none()) {
        return Ok(None);
    }
    let mut start_url = p.get_nonempty("sso_start_url").map(str::to_owned);
    let mut region = p.get_nonempty("sso_region").map(str::to_owned);
    if let Some(session_name) = session_name {
        let Some(session) = set.sso_session(session_name) else {
            return Err(invalid(format!(
                "{origin} names sso_session {session_name}, but the config file has no [sso-session {session_name}] section"
            )));
        };
        for (key, value) in [
            ("sso_start_url", &mut start_url),
            ("sso_region", &mut region),
        ] {
            let from_session = session.get_nonempty(key);
            match (value.as_deref(), from_session) {
                (Some(a), Some(b)) if a != b => {
                    return Err(invalid(format!(
                        "{key} of {origin} ({a}) differs from that of {} ({b})",
                        session.describe("sso-session")
                    )));
                }
                (None, Some(b)) => *value = Some(b.to_owned()),
                _ => {}
            }
        }
    }
    let account_id = p.get_nonempty("sso_account_id").map(str::to_owned);
    let role_name = p.get_nonempty("sso_role_name").map(str::to_owned);
    let missing: Vec<&str> = [
        ("sso_start_url", start_url.is_none()),
        ("sso_region", region.is_none()),
        ("sso_account_id", account_id.is_none()),
        ("sso_role_name", role_name.is_none()),
    ]
    .into_iter()
    .filter_map(|(k, missing)| missing.then_some(k))
    .collect();
    if !missing.is_empty() {
        return Err(invalid(format!(
            "{origin} is an SSO profile but lacks {}",
            missing.join(", ")
        )));
    }
    Ok(Some(SsoProfile {
        start_url: start_url.unwrap_or_default(),
        region: region.unwrap_or_default(),
        account_id: account_id.unwrap_or_default(),
        role_name: role_name.unwrap_or_default(),
        session: session_name.map(str::to_owned),
        origin,
    }))
}

/// The environment's web identity variables, if set (EKS IRSA).
pub fn env_web_identity(env: &Env) -> Result<Option<WebIdentity>, CredentialsError> {
    let Some(token_file) = env.get("AWS_WEB_IDENTITY_TOKEN_FILE") else {
        return Ok(None);
    };
    let role_arn = env.get("AWS_ROLE_ARN").ok_or_else(|| {
        CredentialsError::invalid(
            "environment",
            "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
        )
    })?;
    Ok(Some(WebIdentity {
        token_file: env.expand_home(&token_file),
        role_arn,
        session_name: env.get("AWS_ROLE_SESSION_NAME"),
        origin: "environment".into(),
    }))
}

/// What botogen-config is needed for, as the error the runtime reports.
pub(crate) fn needs_config_crate(what: &str) -> CredentialsError {
    CredentialsError::invalid(
        SOURCE,
        format!(
            "{what}, which calls AWS; the runtime alone cannot do that: use the botogen-config crate (botogen_config::load().await) for the full credentials chain"
        ),
    )
}

/// A profile's static keys or `credential_process` (the profile kinds that
/// need no AWS call). The profile is `AWS_PROFILE` (else `default`) unless
/// named; the files are those the environment names unless given.
/// A profile that assumes a role, uses web identity or SSO is an error
/// pointing to the `botogen-config` crate.
#[derive(Debug, Clone, Default)]
pub struct ProfileCredentials {
    env: Env,
    profile: Option<String>,
    files: Option<ProfileFiles>,
}

impl ProfileCredentials {
    /// This profile, whatever `AWS_PROFILE` says.
    pub fn new(profile: impl Into<String>) -> ProfileCredentials {
        ProfileCredentials {
            profile: Some(profile.into()),
            ..ProfileCredentials::default()
        }
    }

    /// Reads `env` instead of the process environment.
    #[must_use]
    pub fn with_env(mut self, env: Env) -> ProfileCredentials {
        self.env = env;
        self
    }

    /// Reads these files instead of those the environment names.
    #[must_use]
    pub fn with_files(mut self, files: ProfileFiles) -> ProfileCredentials {
        self.files = Some(files);
        self
    }

    /// The selected profile's chain, as [`resolve`] gives it.
    pub fn chain(&self) -> Result<ProfileChain, CredentialsError> {
        let files = self
            .files
            .clone()
            .unwrap_or_else(|| ProfileFiles::from_env(&self.env));
        let name = self
            .profile
            .clone()
            .unwrap_or_else(|| crate::profile::selected_profile_name(&self.env));
        let set = ProfileSet::load_files(&files, name)
            .map_err(|e| CredentialsError::invalid("profile files", e.to_string()))?;
        resolve(&set, &self.env, self.profile.is_none())
    }

    async fn load(&self) -> CredentialsResult {
        let chain = self.chain()?;
        if let Some(role) = chain.roles.last() {
            return Err(needs_config_crate(&format!(
                "{} assumes role {}",
                role.origin, role.role_arn
            )));
        }
        match chain.base {
            BaseCredentials::Static { credentials, .. } => Ok(credentials),
            BaseCredentials::Process { origin, command } => {
                ProcessCredentials::new(command)
                    .with_source(origin)
                    .provide_credentials()
                    .await
            }
            BaseCredentials::WebIdentity(w) => Err(needs_config_crate(&format!(
                "{} asks for web identity credentials (AssumeRoleWithWebIdentity for {})",
                w.origin, w.role_arn
            ))),
            BaseCredentials::Sso(s) => Err(needs_config_crate(&format!(
                "{} asks for SSO credentials",
                s.origin
            ))),
            BaseCredentials::Source { origin, .. } => Err(needs_config_crate(&format!(
                "{origin} uses credential_source"
            ))),
        }
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::credentials::CredentialsErrorKind;
    use std::path::Path;

    const CONFIG: &str = "\
[default]
aws_access_key_id = CONFIGKEY
aws_secret_access_key = CONFIGSECRET

[profile keys]
aws_access_key_id = AKID
aws_secret_access_key = SECRET
aws_session_token = TOKEN

[profile admin]
role_arn = arn:aws:iam::111111111111:role/admin
source_profile = keys
role_session_name = me
external_id = ext
mfa_serial = arn:aws:iam::111111111111:mfa/me
duration_seconds = 1800

[profile deep]
role_arn = arn:aws:iam::222222222222:role/deep
source_profile = admin

[profile self]
role_arn = arn:aws:iam::1:role/self
source_profile = self
aws_access_key_id = SELFKEY
aws_secret_access_key = SELFSECRET

[profile loop-a]
role_arn = arn:aws:iam::1:role/a
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::1:role/b
source_profile = loop-a

[profile self-loop]
role_arn = arn:aws:iam::1:role/x
source_profile = self-loop

[profile on-ec2]
role_arn = arn:aws:iam::1:role/ec2
credential_source = Ec2InstanceMetadata

[profile web]
role_arn = arn:aws:iam::1:role/web
web_identity_token_file = /var/token
role_session_name = websess

[profile proc]
credential_process = /bin/get-creds --profile x

[profile proc-and-keys]
credential_process = /bin/never-run
aws_access_key_id = CFGKEY
aws_secret_access_key = CFGSECRET

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev

[profile sso-legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Old

[profile bad-both]
role_arn = arn:aws:iam::1:role/x
source_profile = keys
credential_source = Environment

[profile bad-none]
role_arn = arn:aws:iam::1:role/x

[profile bad-source]
role_arn = arn:aws:iam::1:role/x
credential_source = Laptop

[profile bad-missing]
role_arn = arn:aws:iam::1:role/x
source_profile = nowhere

[profile half]
aws_access_key_id = ONLYID

[profile bad-duration]
role_arn = arn:aws:iam::1:role/x
source_profile = keys
duration_seconds = an hour

[profile sso-missing]
sso_session = corp

[profile sso-nosession]
sso_session = nope
sso_account_id = 1
sso_role_name = r

[profile sso-conflict]
sso_session = corp
sso_region = us-west-2
sso_account_id = 1
sso_role_name = r

[profile empty]
region = us-east-1

[profile to-empty]
role_arn = arn:aws:iam::1:role/x
source_profile = empty
";

    const CREDENTIALS: &str = "\
[proc-and-keys]
region = x

[credsfile-wins]
aws_access_key_id = CREDSKEY
aws_secret_access_key = CREDSSECRET
";

    fn set(selected: &str) -> ProfileSet {
        let mut config = CONFIG.to_owned();
        config.push_str("[profile credsfile-wins]\ncredential_process = /bin/not-this\n");
        ProfileSet::parse(
            Some((Path::new("/home/u/.aws/config"), config.as_str())),
            Some((Path::new("/home/u/.aws/credentials"), CREDENTIALS)),
            selected,
        )
        .unwrap()
    }

    fn chain(selected: &str) -> Result<ProfileChain, CredentialsError> {
        resolve(&set(selected), &Env::from_vars::<&str, &str>([]), true)
    }

    fn base_key(chain: &ProfileChain) -> &str {
        match &chain.base {
            BaseCredentials::Static { credentials, .. } => &credentials.access_key_id,
            other => panic!("not static keys: {other:?}"),
        }
    }

    #[track_caller]
    fn invalid_message(selected: &str) -> String {
        let e = chain(selected).unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid, "{e}");
        e.to_string()
    }

    #[test]
    fn static_keys_and_files() {
        let c = chain("keys").unwrap();
        assert!(c.roles.is_empty());
        match &c.base {
            BaseCredentials::Static {
                credentials,
                origin,
            } => {
                assert_eq!(
                    credentials,
                    &Credentials::new("AKID", "SECRET", Some("TOKEN".into()))
                );
                assert_eq!(origin, "profile keys (/home/u/.aws/config line 5)");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(base_key(&chain("default").unwrap()), "CONFIGKEY");
        // Keys in the credentials file come before credential_process ...
        assert_eq!(base_key(&chain("credsfile-wins").unwrap()), "CREDSKEY");
        // ... and credential_process before keys in the config file.
        assert!(matches!(
            chain("proc-and-keys").unwrap().base,
            BaseCredentials::Process { .. }
        ));
        match chain("proc").unwrap().base {
            BaseCredentials::Process { command, .. } => {
                assert_eq!(command, "/bin/get-creds --profile x")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn role_chains() {
        let c = chain("admin").unwrap();
        assert_eq!(base_key(&c), "AKID");
        assert_eq!(
            c.roles,
            [RoleLink {
                role_arn: "arn:aws:iam::111111111111:role/admin".into(),
                session_name: Some("me".into()),
                external_id: Some("ext".into()),
                mfa_serial: Some("arn:aws:iam::111111111111:mfa/me".into()),
                duration_seconds: Some(1800),
                origin: "profile admin (/home/u/.aws/config line 10)".into(),
            }]
        );
        // deep -> admin -> keys: admin's role first, then deep's.
        let c = chain("deep").unwrap();
        assert_eq!(base_key(&c), "AKID");
        let arns: Vec<&str> = c.roles.iter().map(|r| r.role_arn.as_str()).collect();
        assert_eq!(
            arns,
            [
                "arn:aws:iam::111111111111:role/admin",
                "arn:aws:iam::222222222222:role/deep"
            ]
        );
        // A role profile using its own keys.
        let c = chain("self").unwrap();
        assert_eq!((base_key(&c), c.roles.len()), ("SELFKEY", 1));
        // credential_source.
        let c = chain("on-ec2").unwrap();
        assert!(matches!(
            c.base,
            BaseCredentials::Source {
                source: CredentialSource::Ec2InstanceMetadata,
                ..
            }
        ));
        assert_eq!(c.roles.len(), 1);
    }

    #[test]
    fn cycles_and_bad_role_profiles() {
        assert_eq!(
            invalid_message("loop-a"),
            "profile: source_profile of profile loop-b (/home/u/.aws/config line 32) makes a cycle: loop-a -> loop-b -> loop-a"
        );
        assert!(invalid_message("self-loop").contains("makes a cycle: self-loop -> self-loop"));
        assert!(
            invalid_message("bad-both").contains("sets both source_profile and credential_source")
        );
        assert!(
            invalid_message("bad-none").contains("neither source_profile nor credential_source")
        );
        assert!(invalid_message("bad-source").contains(
            "credential_source \"Laptop\" of profile bad-source (/home/u/.aws/config line "
        ));
        let missing = invalid_message("bad-missing");
        assert!(
            missing.contains("source_profile nowhere of profile bad-missing")
                && missing.contains("profile nowhere is not defined"),
            "{missing}"
        );
        assert!(
            invalid_message("half").contains("sets aws_access_key_id (/home/u/.aws/config line ")
        );
        assert!(
            invalid_message("bad-duration").contains("duration_seconds of profile bad-duration")
        );
        assert!(invalid_message("to-empty").contains("source_profile empty of profile to-empty"));
    }

    #[test]
    fn web_identity_and_sso() {
        match chain("web").unwrap().base {
            BaseCredentials::WebIdentity(w) => {
                assert_eq!(w.token_file, PathBuf::from("/var/token"));
                assert_eq!(w.role_arn, "arn:aws:iam::1:role/web");
                assert_eq!(w.session_name.as_deref(), Some("websess"));
            }
            other => panic!("{other:?}"),
        }
        match chain("sso").unwrap().base {
            BaseCredentials::Sso(s) => {
                assert_eq!(s.start_url, "https://corp.awsapps.com/start");
                assert_eq!(s.region, "eu-west-1");
                assert_eq!(
                    (s.account_id.as_str(), s.role_name.as_str()),
                    ("123456789012", "Dev")
                );
                assert_eq!(s.session.as_deref(), Some("corp"));
            }
            other => panic!("{other:?}"),
        }
        match chain("sso-legacy").unwrap().base {
            BaseCredentials::Sso(s) => assert_eq!((s.session, s.role_name.as_str()), (None, "Old")),
            other => panic!("{other:?}"),
        }
        assert!(invalid_message("sso-missing").contains("lacks sso_account_id, sso_role_name"));
        assert!(invalid_message("sso-nosession").contains("no [sso-session nope] section"));
        assert!(invalid_message("sso-conflict").contains("sso_region of profile sso-conflict"));
    }

    #[test]
    fn missing_profiles_and_environment_web_identity() {
        // No default profile: nothing configured.
        let empty = ProfileSet::parse(None, None, "default").unwrap();
        let none = Env::from_vars::<&str, &str>([]);
        assert!(resolve(&empty, &none, true).unwrap_err().is_not_found());
        // A named profile that does not exist is an error.
        let e = chain("typo").unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert!(
            e.message().starts_with("profile typo is not defined"),
            "{e}"
        );
        assert!(chain("empty").unwrap_err().is_not_found());

        // EKS: no files, the environment's web identity.
        let eks = Env::from_vars([
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/token"),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"),
        ]);
        let c = resolve(&empty, &eks, true).unwrap();
        assert!(
            matches!(&c.base, BaseCredentials::WebIdentity(w) if w.origin == "environment" && w.role_arn.ends_with("pod"))
        );
        // Ignored when the program named the profile.
        assert!(resolve(&empty, &eks, false).unwrap_err().is_not_found());
        // The environment's web identity comes before a profile's keys (botocore's order) ...
        let c = resolve(&set("keys"), &eks, true).unwrap();
        assert!(matches!(c.base, BaseCredentials::WebIdentity(_)));
        // ... but after a profile's role.
        assert_eq!(
            base_key(&resolve(&set("admin"), &eks, true).unwrap()),
            "AKID"
        );
        let half = Env::from_vars([("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")]);
        assert!(
            resolve(&empty, &half, true)
                .unwrap_err()
                .message()
                .contains("AWS_ROLE_ARN is not")
        );
    }

    #[tokio::test]
    async fn the_runtime_serves_keys_and_points_elsewhere_for_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, CONFIG).unwrap();
        let files = ProfileFiles {
            config: Some(config),
            credentials: Some(dir.path().join("credentials")),
        };
        let provider = |name: &str| ProfileCredentials::new(name).with_files(files.clone());
        let c = provider("keys").provide_credentials().await.unwrap();
        assert_eq!(c.access_key_id, "AKID");
        for (name, what) in [
            ("admin", "assumes role arn:aws:iam::111111111111:role/admin"),
            ("web", "asks for web identity credentials"),
            ("sso", "asks for SSO credentials"),
        ] {
            let e = provider(name).provide_credentials().await.unwrap_err();
            assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
            assert!(
                e.message().contains(what) && e.message().contains("botogen-config"),
                "{e}"
            );
        }
        // A malformed file: the error names file and line.
        std::fs::write(dir.path().join("credentials"), "[keys]\nnot a property\n").unwrap();
        let e = provider("keys").provide_credentials().await.unwrap_err();
        assert!(
            e.to_string().ends_with(
                "credentials line 2: expected an '=' sign defining a property (key = value)"
            ),
            "{e}"
        );
        // Debug never shows keys' secrets.
        let debug = format!("{:?}", chain("keys").unwrap());
        assert!(
            !debug.contains("SECRET") && !debug.contains("TOKEN"),
            "{debug}"
        );
    }
}
