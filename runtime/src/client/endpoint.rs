//! Where requests go.
//!
//! botocore's endpoint rule sets (`endpoint-rule-set-1.json`) are not
//! vendored, so resolution is the classic scheme, which covers the standard
//! endpoints of every region:
//!
//! - a configured `endpoint_url` wins (scheme, host, port and base path);
//! - services with a `globalEndpoint` (IAM, CloudFront, Route 53, ...) use it
//!   in the `aws` partition and sign for `us-east-1`;
//! - otherwise `https://{endpointPrefix}.{region}.{dnsSuffix}`, where the DNS
//!   suffix follows the partition (`amazonaws.com.cn` for `cn-*`, the ISO
//!   partitions' suffixes, else `amazonaws.com`).
//!
//! FIPS, dual-stack, S3 virtual-hosted buckets and other rule-set-only
//! variants need an explicit `endpoint_url`. The operation's `hostPrefix`
//! (already filled by the serializer) is prepended to the host, except for IP
//! addresses and when disabled in the config.

use crate::schema::Service;

/// A resolved endpoint: where to connect and what to sign for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http` or `https`.
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
    /// Path prefix from a custom endpoint URL, without a trailing `/` (often empty).
    pub base_path: String,
    /// The region in the SigV4 credential scope.
    pub signing_region: String,
}

impl Endpoint {
    /// The endpoint of `service` for `region` (or the configured `endpoint_url`).
    pub fn resolve(
        service: &Service,
        region: Option<&str>,
        endpoint_url: Option<&str>,
    ) -> Result<Endpoint, String> {
        if let Some(region) = region
            && (region.is_empty()
                || !region
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        {
            return Err(format!("invalid region {region:?}"));
        }
        if let Some(url) = endpoint_url {
            let (scheme, host, port, base_path) = parse_url(url)?;
            // A service without SigV4 (a non-AWS Smithy service) needs no
            // region; signing checks for one when it needs it.
            let signing_region = region
                .map(str::to_owned)
                .or_else(|| service.global_endpoint.map(|_| "us-east-1".to_owned()))
                .unwrap_or_default();
            return Ok(Endpoint {
                scheme,
                host,
                port,
                base_path,
                signing_region,
            });
        }
        let suffix = region.map_or("amazonaws.com", dns_suffix);
        let in_aws_partition =
            region.is_none_or(|r| suffix == "amazonaws.com" && !r.starts_with("us-gov-"));
        if let Some(global) = service.global_endpoint
            && in_aws_partition
        {
            return Ok(Endpoint {
                scheme: "https".into(),
                host: global.to_owned(),
                port: None,
                base_path: String::new(),
                signing_region: "us-east-1".into(),
            });
        }
        let region = region.ok_or("no region configured (set Config::region or AWS_REGION)")?;
        Ok(Endpoint {
            scheme: "https".into(),
            host: format!("{}.{region}.{suffix}", service.endpoint_prefix),
            port: None,
            base_path: String::new(),
            signing_region: region.to_owned(),
        })
    }

    /// Prepends an operation's host prefix (e.g. `data-` or `bucket.`), unless
    /// the host is an IP address, where a prefix cannot resolve.
    pub fn with_host_prefix(&mut self, prefix: &str) {
        if prefix.is_empty() || is_ip(&self.host) {
            return;
        }
        self.host.insert_str(0, prefix);
    }

    /// `host` or `host:port`, leaving out the scheme's default port — the
    /// value of the `Host` header (what SigV4 signs).
    pub fn authority(&self) -> String {
        match self.port {
            Some(p) if !is_default_port(&self.scheme, p) => format!("{}:{p}", self.host),
            _ => self.host.clone(),
        }
    }

    /// The full URL for a request path (which starts with `/`, may have a query).
    pub fn url(&self, path_and_query: &str) -> String {
        let path = if path_and_query.starts_with('/') {
            path_and_query.to_owned()
        } else {
            format!("/{path_and_query}")
        };
        format!(
            "{}://{}{}{}",
            self.scheme,
            self.authority(),
            self.base_path,
            path
        )
    }
}

fn is_default_port(scheme: &str, port: u16) -> bool {
    matches!((scheme, port), ("http", 80) | ("https", 443))
}

fn is_ip(host: &str) -> bool {
    host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The DNS suffix of a region's partition.
pub fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else if region.starts_with("us-isof-") {
        "csp.hci.ic.gov"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else if region.starts_with("eu-isoe-") {
        "cloud.adc-e.uk"
    } else {
        "amazonaws.com"
    }
}

/// Splits `scheme://host[:port][/base]`; a URL without a scheme is https.
fn parse_url(url: &str) -> Result<(String, String, Option<u16>, String), String> {
    let bad = |why: &str| format!("invalid endpoint URL {url:?}: {why}");
    let (scheme, rest) = match url.split_once("://") {
        Some((s, rest)) => (s.to_ascii_lowercase(), rest),
        None => ("https".to_owned(), url),
    };
    if scheme != "http" && scheme != "https" {
        return Err(bad("scheme must be http or https"));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.contains('@') {
        return Err(bad("user info is not supported"));
    }
    if path.contains(['?', '#']) {
        return Err(bad("query and fragment are not allowed"));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (addr, after) = v6.split_once(']').ok_or_else(|| bad("unclosed ["))?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err(bad("unexpected text after ]")),
        };
        (format!("[{addr}]"), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (authority.to_owned(), None),
        }
    };
    if host.is_empty() || host == "[]" {
        return Err(bad("no host"));
    }
    let port = port
        .map(|p| p.parse::<u16>().map_err(|_| bad("bad port")))
        .transpose()?;
    Ok((
        scheme,
        host.to_ascii_lowercase(),
        port,
        path.trim_end_matches('/').to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Protocol;

    fn service(prefix: &'static str, global: Option<&'static str>) -> Service {
        Service {
            service_id: "Test",
            api_version: "2020-01-01",
            protocol: Protocol::Json,
            protocols: &[Protocol::Json],
            json_version: "1.1",
            target_prefix: "Test",
            endpoint_prefix: prefix,
            signing_name: prefix,
            global_endpoint: global,
            xml_namespace: None,
            aws_query_compatible: false,
            auth: &[],
            target_service: "",
            errors: &[],
        }
    }

    #[test]
    fn regional_endpoints_follow_the_partition() {
        let sqs = service("sqs", None);
        let e = Endpoint::resolve(&sqs, Some("eu-west-1"), None).unwrap();
        assert_eq!(e.url("/"), "https://sqs.eu-west-1.amazonaws.com/");
        assert_eq!(e.signing_region, "eu-west-1");
        let cn = Endpoint::resolve(&sqs, Some("cn-north-1"), None).unwrap();
        assert_eq!(cn.host, "sqs.cn-north-1.amazonaws.com.cn");
        let iso = Endpoint::resolve(&sqs, Some("us-isob-east-1"), None).unwrap();
        assert_eq!(iso.host, "sqs.us-isob-east-1.sc2s.sgov.gov");
        assert!(Endpoint::resolve(&sqs, None, None).is_err());
        assert!(Endpoint::resolve(&sqs, Some("evil.com/x"), None).is_err());
    }

    #[test]
    fn global_endpoints_sign_for_us_east_1_in_the_aws_partition_only() {
        let iam = service("iam", Some("iam.amazonaws.com"));
        let e = Endpoint::resolve(&iam, Some("eu-central-1"), None).unwrap();
        assert_eq!(e.host, "iam.amazonaws.com");
        assert_eq!(e.signing_region, "us-east-1");
        assert_eq!(
            Endpoint::resolve(&iam, None, None).unwrap().host,
            "iam.amazonaws.com"
        );
        let cn = Endpoint::resolve(&iam, Some("cn-north-1"), None).unwrap();
        assert_eq!(cn.host, "iam.cn-north-1.amazonaws.com.cn");
        assert_eq!(cn.signing_region, "cn-north-1");
    }

    #[test]
    fn custom_endpoint_url_keeps_port_and_base_path() {
        let sqs = service("sqs", None);
        let e = Endpoint::resolve(&sqs, Some("us-east-1"), Some("http://127.0.0.1:4566/base/"))
            .unwrap();
        assert_eq!(
            (e.scheme.as_str(), e.host.as_str(), e.port),
            ("http", "127.0.0.1", Some(4566))
        );
        assert_eq!(e.url("/x?y=1"), "http://127.0.0.1:4566/base/x?y=1");
        let d =
            Endpoint::resolve(&sqs, Some("us-east-1"), Some("https://Example.com:443")).unwrap();
        assert_eq!(d.authority(), "example.com");
        let v6 = Endpoint::resolve(&sqs, Some("us-east-1"), Some("http://[::1]:8080")).unwrap();
        assert_eq!(v6.authority(), "[::1]:8080");
        for bad in [
            "ftp://x",
            "http://",
            "http://h:99999",
            "http://u@h",
            "http://h/?q",
        ] {
            assert!(
                Endpoint::resolve(&sqs, Some("us-east-1"), Some(bad)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn host_prefix_is_prepended_except_to_ip_addresses() {
        let sd = service("servicediscovery", None);
        let mut e = Endpoint::resolve(&sd, Some("us-east-1"), None).unwrap();
        e.with_host_prefix("data-");
        assert_eq!(e.host, "data-servicediscovery.us-east-1.amazonaws.com");
        let mut ip = Endpoint::resolve(&sd, Some("us-east-1"), Some("http://127.0.0.1:1")).unwrap();
        ip.with_host_prefix("data-");
        assert_eq!(ip.host, "127.0.0.1");
        let mut local =
            Endpoint::resolve(&sd, Some("us-east-1"), Some("http://localhost:1")).unwrap();
        local.with_host_prefix("data-");
        assert_eq!(local.host, "data-localhost");
    }
}
