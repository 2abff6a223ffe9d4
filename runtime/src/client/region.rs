//! Which region a client calls when [`super::Config::region`] is unset.
//!
//! The chain, as the AWS SDKs order it: `AWS_REGION`, `AWS_DEFAULT_REGION`
//! (botocore's name), the selected profile's `region`, then EC2 instance
//! metadata (`/latest/meta-data/placement/region`, with the IMDS settings
//! of [`super::credentials::imds`]). A client resolves it once, at its first
//! call; [`super::Config::from_env`] reads the first three eagerly.

/// Why a call that needs a region has none, and where it was looked for.
pub(crate) const NO_REGION: &str = "no region configured: Config::region is unset and the region \
     chain (AWS_REGION, AWS_DEFAULT_REGION, the profile's region, EC2 instance metadata) found none";

use super::credentials::imds::ImdsClient;
use crate::env::Env;
use crate::profile::{ProfileFiles, ProfileSet};

/// `AWS_REGION`, else `AWS_DEFAULT_REGION`.
pub fn env_region(env: &Env) -> Option<String> {
    env.get("AWS_REGION")
        .or_else(|| env.get("AWS_DEFAULT_REGION"))
        .map(|r| r.trim().to_owned())
}

/// The `region` of `profile` (`None`: the one the environment selects). A
/// profile file that cannot be parsed gives no region here; the
/// credentials chain reports its error.
pub fn profile_region(env: &Env, profile: Option<&str>) -> Option<String> {
    let set = load(env, profile)?;
    set.selected()?.get_nonempty("region").map(str::to_owned)
}

fn load(env: &Env, profile: Option<&str>) -> Option<ProfileSet> {
    match profile {
        None => ProfileSet::load(env).ok(),
        Some(name) => ProfileSet::load_files(&ProfileFiles::from_env(env), name).ok(),
    }
}

/// The environment, then the profile (no network).
pub fn local_region(env: &Env, profile: Option<&str>) -> Option<String> {
    env_region(env).or_else(|| profile_region(env, profile))
}

/// The whole chain: the environment, the profile, then IMDS (which answers
/// only on EC2; elsewhere it costs the IMDS timeout, 1 s by default, or
/// nothing with `AWS_EC2_METADATA_DISABLED=true`).
pub async fn default_region(env: &Env, profile: Option<&str>) -> Option<String> {
    if let Some(region) = local_region(env, profile) {
        return Some(region);
    }
    let imds = ImdsClient::for_profile(env, profile).ok()?;
    imds.region().await.ok().filter(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake_http::FakeServer as Server;

    #[tokio::test]
    async fn environment_then_profile_then_imds() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            "[default]\nregion = eu-west-3\n[profile other]\nregion = ap-east-1\n[profile none]\n",
        )
        .unwrap();
        let imds = Server::start(|req| match req.method.as_str() {
            "PUT" => Some((200, "tok".into())),
            _ if req.path == "/latest/meta-data/placement/region" => {
                Some((200, "sa-east-1".into()))
            }
            _ => Some((404, String::new())),
        })
        .await;
        let env = |extra: &[(&str, &str)]| {
            let mut vars = vec![
                ("AWS_CONFIG_FILE", config.display().to_string()),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url.clone()),
            ];
            vars.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
            Env::from_vars(vars)
        };
        let region = |extra: &'static [(&'static str, &'static str)]| {
            let env = env(extra);
            async move { default_region(&env, None).await }
        };
        assert_eq!(
            region(&[
                ("AWS_REGION", "us-west-1"),
                ("AWS_DEFAULT_REGION", "us-west-2")
            ])
            .await
            .as_deref(),
            Some("us-west-1")
        );
        assert_eq!(
            region(&[("AWS_DEFAULT_REGION", "us-west-2")])
                .await
                .as_deref(),
            Some("us-west-2")
        );
        assert_eq!(region(&[]).await.as_deref(), Some("eu-west-3"));
        assert_eq!(
            region(&[("AWS_PROFILE", "other")]).await.as_deref(),
            Some("ap-east-1")
        );
        assert!(
            imds.paths().is_empty(),
            "IMDS is asked only when nothing else answers"
        );
        assert_eq!(
            region(&[("AWS_PROFILE", "none")]).await.as_deref(),
            Some("sa-east-1")
        );
        assert_eq!(
            region(&[
                ("AWS_PROFILE", "none"),
                ("AWS_EC2_METADATA_DISABLED", "true")
            ])
            .await,
            None
        );
        assert_eq!(local_region(&env(&[("AWS_PROFILE", "none")]), None), None);
        // A named profile instead of AWS_PROFILE.
        assert_eq!(
            local_region(&env(&[("AWS_PROFILE", "none")]), Some("other")).as_deref(),
            Some("ap-east-1")
        );
    }
}
