//! Configured endpoints for the services this crate calls.
//!
//! The SDKs' "service-specific endpoints" settings, first match wins:
//! `AWS_ENDPOINT_URL_<SERVICE>` (`STS`, `SSO`, `SSO_OIDC`), `AWS_ENDPOINT_URL`,
//! the profile's `services = NAME` section (`sts =` / `  endpoint_url = ...`),
//! the profile's `endpoint_url`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
//! (or the profile's `ignore_configured_endpoint_urls = true`) turns them off.

use botogen_runtime::env::{Env, parse_bool};
use botogen_runtime::profile::ProfileSet;

/// A service as the settings name it: the variable suffix and the
/// `services` section key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServiceKey {
    pub env_suffix: &'static str,
    pub section_key: &'static str,
}

pub(crate) const STS: ServiceKey = ServiceKey {
    env_suffix: "STS",
    section_key: "sts",
};
pub(crate) const SSO: ServiceKey = ServiceKey {
    env_suffix: "SSO",
    section_key: "sso",
};
pub(crate) const SSO_OIDC: ServiceKey = ServiceKey {
    env_suffix: "SSO_OIDC",
    section_key: "sso_oidc",
};

/// The configured endpoint for `service`, if any.
pub(crate) fn configured_endpoint(
    env: &Env,
    set: Option<&ProfileSet>,
    service: ServiceKey,
) -> Option<String> {
    let profile = set.and_then(ProfileSet::selected);
    let ignore = env
        .get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        .or_else(|| {
            profile?
                .get_nonempty("ignore_configured_endpoint_urls")
                .map(str::to_owned)
        })
        .and_then(|v| parse_bool(&v))
        .unwrap_or(false);
    if ignore {
        return None;
    }
    if let Some(url) = env.get(&format!("AWS_ENDPOINT_URL_{}", service.env_suffix)) {
        return Some(url);
    }
    if let Some(url) = env.get("AWS_ENDPOINT_URL") {
        return Some(url);
    }
    let profile = profile?;
    if let Some(section) = profile
        .get_nonempty("services")
        .and_then(|name| set?.services(name))
        && let Some(url) = section
            .sub_value(service.section_key, "endpoint_url")
            .filter(|u| !u.is_empty())
    {
        return Some(url.to_owned());
    }
    profile.get_nonempty("endpoint_url").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn precedence() {
        let set = ProfileSet::parse(
            Some((
                Path::new("/cfg"),
                "[default]\nservices = local\nendpoint_url = http://profile\n[services local]\nsts =\n  endpoint_url = http://services-sts\n[profile off]\nignore_configured_endpoint_urls = true\nendpoint_url = http://x\n",
            )),
            None,
            "default",
        )
        .unwrap();
        let none = Env::from_vars::<&str, &str>([]);
        assert_eq!(
            configured_endpoint(&none, Some(&set), STS).as_deref(),
            Some("http://services-sts")
        );
        assert_eq!(
            configured_endpoint(&none, Some(&set), SSO).as_deref(),
            Some("http://profile")
        );
        let global = Env::from_vars([("AWS_ENDPOINT_URL", "http://global")]);
        assert_eq!(
            configured_endpoint(&global, Some(&set), STS).as_deref(),
            Some("http://global")
        );
        let specific = Env::from_vars([
            ("AWS_ENDPOINT_URL", "http://global"),
            ("AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc"),
        ]);
        assert_eq!(
            configured_endpoint(&specific, Some(&set), SSO_OIDC).as_deref(),
            Some("http://oidc")
        );
        assert_eq!(
            configured_endpoint(&specific, None, STS).as_deref(),
            Some("http://global")
        );
        let ignore = Env::from_vars([
            ("AWS_ENDPOINT_URL", "http://global"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        assert_eq!(configured_endpoint(&ignore, Some(&set), STS), None);
        let off = ProfileSet::parse(
            Some((
                Path::new("/cfg"),
                "[profile off]\nignore_configured_endpoint_urls = true\nendpoint_url = http://x\n",
            )),
            None,
            "off",
        )
        .unwrap();
        assert_eq!(configured_endpoint(&none, Some(&off), STS), None);
        assert_eq!(configured_endpoint(&none, None, STS), None);
    }
}
