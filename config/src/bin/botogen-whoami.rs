//! `botogen-whoami`: the region and identity botogen resolves here, like
//! `aws sts get-caller-identity` (the chain of `botogen_config::load`, then
//! STS `GetCallerIdentity` with the credentials found).
//!
//! Prints `region`, `access_key_id`, `expires_at`, `account` and `arn`, one
//! `key: value` a line; exits 1 with the error when a step fails.

use botogen_sts::StsApi;
use botogen_sts::types::GetCallerIdentityRequest;
use std::process::ExitCode;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("botogen-whoami: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(whoami()) {
        Ok(lines) => {
            print!("{lines}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("botogen-whoami: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn whoami() -> Result<String, String> {
    let config = botogen_config::load().await;
    let mut out = format!("region: {}\n", config.region.as_deref().unwrap_or("(none)"));
    let credentials = config
        .credentials
        .as_ref()
        .ok_or("no credentials provider")?
        .credentials()
        .await
        .map_err(|e| e.to_string())?
        .ok_or("anonymous")?;
    // The key id is not secret (it is in every signed request); the rest is.
    out.push_str(&format!("access_key_id: {}\n", credentials.access_key_id));
    if let Some(at) = credentials.expires_at {
        out.push_str(&format!(
            "expires_at: {}\n",
            botogen_runtime::client::credentials::format_time(at)
        ));
    }
    let sts = botogen_sts::Client::new(config);
    let identity = sts
        .get_caller_identity(GetCallerIdentityRequest::default())
        .await
        .map_err(|e| format!("GetCallerIdentity: {e}"))?;
    out.push_str(&format!(
        "account: {}\narn: {}\n",
        identity.account.unwrap_or_default(),
        identity.arn.unwrap_or_default()
    ));
    Ok(out)
}
