//! `credential_process`: an external command that prints credentials as JSON.

use super::http::json_object;
use super::{Credentials, CredentialsError, CredentialsResult, ProvideCredentials};
use super::{ProvideCredentialsFuture, parse_time};
use std::fmt;
use std::process::{Command, Stdio};

/// Runs a command and reads the JSON it prints:
/// `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...,
/// "SessionToken": ..., "Expiration": "RFC 3339"}` (token and expiration
/// optional). The command line is split like a POSIX shell would (quotes,
/// backslashes) but not run through one, as botocore does; standard input
/// is inherited so the command can prompt, standard error is captured for
/// the error message.
#[derive(Clone)]
pub struct ProcessCredentials {
    command: String,
    /// Names the source in errors, e.g. `profile dev`.
    source: String,
}

/// The command line may carry secrets in its arguments: only the program is shown.
impl fmt::Debug for ProcessCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let program = self.command.split_whitespace().next().unwrap_or("");
        f.debug_struct("ProcessCredentials")
            .field("program", &program)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ProcessCredentials {
    pub fn new(command: impl Into<String>) -> ProcessCredentials {
        ProcessCredentials {
            command: command.into(),
            source: "credential_process".into(),
        }
    }

    /// Names the source in errors (`profile dev (~/.aws/config line 4)`).
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> ProcessCredentials {
        self.source = format!("credential_process of {}", source.into());
        self
    }

    async fn run(&self) -> CredentialsResult {
        let failed = |m: String| CredentialsError::failed(self.source.clone(), m);
        let Some(argv) = shlex::split(&self.command).filter(|a| !a.is_empty()) else {
            return Err(CredentialsError::invalid(
                self.source.clone(),
                "the command is empty or has an unclosed quote",
            ));
        };
        let program = argv[0].clone();
        let output = tokio::task::spawn_blocking(move || {
            Command::new(&argv[0])
                .args(&argv[1..])
                .stdin(Stdio::inherit())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .output()
        })
        .await
        .map_err(|e| failed(format!("running {program}: {e}")))?
        .map_err(|e| failed(format!("cannot run {program}: {e}")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stderr: String = stderr.trim().chars().take(1024).collect();
            return Err(failed(format!(
                "{program} exited with {}{}",
                output.status,
                if stderr.is_empty() {
                    String::new()
                } else {
                    format!(": {stderr}")
                }
            )));
        }
        parse_output(&output.stdout).map_err(|m| failed(format!("{program} printed {m}")))
    }
}

/// The process's JSON; errors never quote the output (it holds secrets).
fn parse_output(stdout: &[u8]) -> Result<Credentials, String> {
    let out = json_object(stdout)
        .map_err(|(line, column)| format!("invalid JSON (line {line}, column {column})"))?;
    let get = |k: &str| out.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    match out.get("Version") {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(v) => return Err(format!("Version {v}; only Version 1 is supported")),
        None => return Err("no Version (expected 1)".into()),
    }
    let (Some(id), Some(secret)) = (
        get("AccessKeyId").filter(|v| !v.is_empty()),
        get("SecretAccessKey").filter(|v| !v.is_empty()),
    ) else {
        return Err("no AccessKeyId or SecretAccessKey".into());
    };
    let mut credentials =
        Credentials::new(id, secret, get("SessionToken").filter(|t| !t.is_empty()));
    if let Some(expiry) = get("Expiration") {
        credentials.expires_at = Some(
            parse_time(&expiry)
                .ok_or_else(|| format!("an Expiration that is not RFC 3339: {expiry:?}"))?,
        );
    }
    Ok(credentials)
}

impl ProvideCredentials for ProcessCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        ProvideCredentialsFuture::new(self.run())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::client::credentials::CredentialsErrorKind;

    /// A shell script in a temp dir that prints `stdout` and exits with `code`.
    fn script(dir: &std::path::Path, name: &str, stdout: &str, code: i32) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(
            &path,
            format!("#!/bin/sh\ncat <<'EOF'\n{stdout}\nEOF\necho \"arg: $1\" >&2\nexit {code}\n"),
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.display().to_string()
    }

    #[tokio::test]
    async fn runs_the_command_and_reads_its_json() {
        let dir = tempfile::tempdir().unwrap();
        let ok = script(
            dir.path(),
            "ok",
            r#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "SECRET", "SessionToken": "TOKEN", "Expiration": "2030-01-01T00:00:00Z"}"#,
            0,
        );
        let c = ProcessCredentials::new(format!("{ok} 'quoted arg'"))
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_key_id, "AKID");
        assert_eq!(c.session_token.as_deref(), Some("TOKEN"));
        assert_eq!(c.expires_at, parse_time("2030-01-01T00:00:00Z"));
        let long_lived = script(
            dir.path(),
            "ll",
            r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S"}"#,
            0,
        );
        let c = ProcessCredentials::new(long_lived)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!((c.session_token, c.expires_at), (None, None));
    }

    #[tokio::test]
    async fn failures_say_what_went_wrong_without_printing_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let fail = script(dir.path(), "fail", "SECRETOUTPUT", 3);
        let e = ProcessCredentials::new(format!("{fail} \"some arg\""))
            .with_source("profile dev")
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Failed);
        assert_eq!(e.provider(), "credential_process of profile dev");
        assert!(
            e.message()
                .contains("exited with exit status: 3: arg: some arg"),
            "{e}"
        );
        assert!(!e.to_string().contains("SECRETOUTPUT"));

        for (name, json, expected) in [
            (
                "notjson",
                "SECRET not json",
                "printed invalid JSON (line 1, column 1)",
            ),
            (
                "v2",
                r#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "SECRET"}"#,
                "Version 2; only Version 1",
            ),
            (
                "nov",
                r#"{"AccessKeyId": "A", "SecretAccessKey": "SECRET"}"#,
                "no Version",
            ),
            (
                "nokeys",
                r#"{"Version": 1, "AccessKeyId": "A"}"#,
                "no AccessKeyId or SecretAccessKey",
            ),
            (
                "badexp",
                r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "SECRET", "Expiration": "later"}"#,
                "Expiration that is not RFC 3339",
            ),
        ] {
            let cmd = script(dir.path(), name, json, 0);
            let e = ProcessCredentials::new(cmd)
                .provide_credentials()
                .await
                .unwrap_err();
            assert!(e.message().contains(expected), "{name}: {e}");
            assert!(!e.to_string().contains("SECRET"), "{name}: {e}");
        }

        let missing = ProcessCredentials::new("/no/such/program --flag")
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            missing.message().starts_with("cannot run /no/such/program"),
            "{missing}"
        );
        let unclosed = ProcessCredentials::new("prog 'unclosed")
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(unclosed.kind(), CredentialsErrorKind::Invalid);
        let debug = format!(
            "{:?}",
            ProcessCredentials::new("get-creds --password hunter2")
        );
        assert!(
            debug.contains("get-creds") && !debug.contains("hunter2"),
            "{debug}"
        );
    }
}
