//! Where a request goes, and what it is signed for.
//!
//! A service with an endpoint rule set (every botocore service) resolves
//! through [`crate::endpoint`] on every call: [`builtins`] turns the
//! [`Config`] into the rule set's built-in parameters the way botocore does
//! (region, FIPS, dual-stack, `SDK::Endpoint` = `endpoint_url`, the S3 and
//! STS settings, account id), [`crate::endpoint::call_params`] adds the
//! operation's own bindings and the client context parameters, and the
//! result's URL, headers and `authSchemes` become a [`ResolvedEndpoint`].
//! A custom `endpoint_url` wins as in botocore: it is `SDK::Endpoint`, and
//! the rule set returns it (S3 adds the bucket to it).
//!
//! A model without a rule set (hand-written or test models) gets the
//! classic `https://{endpointPrefix}.{region}.{dnsSuffix}` with the DNS
//! suffix of the region's partition, or its `globalEndpoint` in the `aws`
//! partition, or the `endpoint_url`.
//!
//! The operation's `hostPrefix` (already filled by the serializer) is
//! prepended to the host, except for IP addresses and when disabled in the
//! config.

use super::config::Config;
use crate::endpoint::{self, Builtins, ParamValue, ResolveError, partition::partition};
use crate::schema::{Operation, Service};
use crate::value::{Struct, ValueRef};
use serde_json::Value as Json;

/// A resolved endpoint: where to connect, extra headers, how to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// `http` or `https`.
    pub scheme: String,
    pub host: String,
    pub port: Option<u16>,
    /// The endpoint URL's path as resolved (`""`, `/`, or e.g. `/bucket`
    /// for S3 path-style addressing); request paths are joined onto it.
    pub path: String,
    /// Headers the rule set adds (the first value of each, as botocore sends).
    pub headers: Vec<(String, String)>,
    /// The rule set's `authSchemes`, in its order of preference.
    pub auth_schemes: Vec<EndpointAuth>,
}

/// One `authSchemes` entry of a resolved endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointAuth {
    /// `sigv4`, `sigv4a`, `sigv4-s3express`, ...
    pub name: String,
    pub signing_name: Option<String>,
    /// `signingRegion`, or `signingRegionSet` joined with `,` (SigV4a).
    pub signing_region: Option<String>,
    pub disable_double_encoding: Option<bool>,
}

/// Why no endpoint could be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// The rule set's verdict (an error rule's message, or no rule matched).
    Rules(ResolveError),
    /// The rule set or the configuration is unusable.
    Config(String),
}

impl std::fmt::Display for EndpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndpointError::Rules(e) => e.fmt(f),
            EndpointError::Config(m) => f.write_str(m),
        }
    }
}

/// botocore's `LEGACY_GLOBAL_STS_REGIONS`: the regions `sts_regional_endpoints
/// = legacy` sends to `sts.amazonaws.com`.
const LEGACY_GLOBAL_STS_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "aws-global",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// Does the URL name an S3 Transfer Acceleration endpoint (botocore's
/// `is_s3_accelerate_url`)?
fn is_s3_accelerate_url(url: &str) -> bool {
    let Some(u) = endpoint::url::parse_url(url) else {
        return false;
    };
    if !u.authority.ends_with("amazonaws.com") {
        return false;
    }
    let parts: Vec<&str> = u.authority.split('.').collect();
    if parts[0] != "s3-accelerate" || parts.len() < 3 {
        return false;
    }
    let features = &parts[1..parts.len() - 2];
    let mut seen = Vec::new();
    features.iter().all(|f| {
        let fresh = !seen.contains(f);
        seen.push(*f);
        fresh && *f == "dualstack"
    })
}

/// The bucket member of an S3 input, if set.
fn bucket(op: &Operation, input: &dyn Struct) -> Option<String> {
    op.context_params.iter().find_map(|p| match p.source {
        endpoint::ContextSource::Member(i) if p.name == "Bucket" => match input.member(i)?.get() {
            ValueRef::Str(s) => Some(s.to_owned()),
            _ => None,
        },
        _ => None,
    })
}

/// The built-in parameters for one call, computed from the configuration as
/// botocore's `compute_endpoint_resolver_builtin_defaults` and its S3
/// per-operation adjustments do.
pub fn builtins(
    config: &Config,
    service: &Service,
    op: &Operation,
    input: &dyn Struct,
) -> Builtins {
    builtins_in(config, config.region.as_deref(), service, op, input)
}

/// [`builtins`] for `region` (the client's resolved region: the
/// configured one, else the region chain's).
pub fn builtins_in(
    config: &Config,
    region: Option<&str>,
    service: &Service,
    op: &Operation,
    input: &dyn Struct,
) -> Builtins {
    let mut b = Builtins::default();
    if let Some(r) = region {
        b.set("AWS::Region", r);
    }
    let custom = config.endpoint_url.as_deref();
    // A custom endpoint cannot be combined with FIPS or dual-stack.
    b.set("AWS::UseFIPS", custom.is_none() && config.use_fips);
    b.set(
        "AWS::UseDualStack",
        custom.is_none() && config.use_dual_stack,
    );
    if let Some(url) = custom {
        b.set("SDK::Endpoint", url);
    }
    b.set(
        "AWS::STS::UseGlobalEndpoint",
        config.sts_use_global_endpoint
            && region.is_some_and(|r| LEGACY_GLOBAL_STS_REGIONS.contains(&r)),
    );
    let s3 = &config.s3;
    b.set(
        "AWS::S3::UseGlobalEndpoint",
        s3.use_global_endpoint.unwrap_or(true) && region.is_none_or(|r| r == "us-east-1"),
    );
    b.set("AWS::S3::Accelerate", s3.use_accelerate);
    let mut path_style = if s3.use_accelerate {
        false
    } else if custom.is_some_and(|u| !is_s3_accelerate_url(u)) {
        s3.force_path_style.unwrap_or(true)
    } else {
        s3.force_path_style.unwrap_or(false)
    };
    if service.service_id == "S3" {
        // GetBucketLocation's caller may not know the bucket's region, and a
        // virtual host would then be signed for the wrong one; ARN buckets
        // cannot be addressed by path.
        if op.name == "GetBucketLocation" {
            path_style = true;
        } else if bucket(op, input).is_some_and(|b| endpoint::arn::parse_arn(&b).is_some()) {
            path_style = false;
        }
    }
    b.set("AWS::S3::ForcePathStyle", path_style);
    b.set("AWS::S3::UseArnRegion", s3.use_arn_region.unwrap_or(true));
    b.set(
        "AWS::S3Control::UseArnRegion",
        s3.use_arn_region.unwrap_or(false),
    );
    b.set(
        "AWS::S3::DisableMultiRegionAccessPoints",
        s3.disable_multi_region_access_points,
    );
    if let Some(v) = s3.disable_express_session_auth {
        b.set("AWS::S3::DisableS3ExpressSessionAuth", v);
    }
    if let Some(id) = &config.account_id {
        b.set("AWS::Auth::AccountId", id.as_str());
    }
    b.set(
        "AWS::Auth::AccountIdEndpointMode",
        config
            .account_id_endpoint_mode
            .as_deref()
            .unwrap_or("preferred"),
    );
    b
}

/// The client context parameters of `config` the service declares; an
/// unknown name is an error naming the declared ones. For S3, the
/// [`S3Config`](super::S3Config) settings botocore passes as client context
/// (`disable_express_session_auth`, `use_arn_region`) are added and win,
/// as in botocore.
pub fn client_params(
    config: &Config,
    service: &Service,
) -> Result<Vec<(String, ParamValue)>, EndpointError> {
    let declared = service
        .endpoint_rules
        .map_or(&[][..], |r| r.client_context_params);
    for (name, _) in &config.client_context_params {
        if !declared.iter().any(|d| d.name == name) {
            return Err(EndpointError::Config(format!(
                "{} has no client context parameter {name} (it has: {})",
                service.service_id,
                declared
                    .iter()
                    .map(|d| d.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let mut params = config.client_context_params.clone();
    if service.service_id == "S3" {
        let s3 = &config.s3;
        for (name, value) in [
            (
                "DisableS3ExpressSessionAuth",
                s3.disable_express_session_auth,
            ),
            ("UseArnRegion", s3.use_arn_region),
        ] {
            if let Some(v) = value
                && declared.iter().any(|d| d.name == name)
            {
                params.retain(|(n, _)| n != name);
                params.push((name.to_owned(), v.into()));
            }
        }
    }
    Ok(params)
}

/// Resolves the endpoint of one call of `op` with `input`.
pub fn resolve(
    service: &Service,
    op: &Operation,
    input: &dyn Struct,
    builtins: &Builtins,
    client_params: &[(String, ParamValue)],
) -> Result<ResolvedEndpoint, EndpointError> {
    let Some(rules) = service.endpoint_rules else {
        return classic(service, builtins);
    };
    let program = rules
        .rule_set
        .program()
        .map_err(|e| EndpointError::Config(format!("{}: {e}", service.service_id)))?;
    let inputs = endpoint::call_params(program, op, input, client_params, builtins);
    let resolved = program.evaluate(&inputs).map_err(EndpointError::Rules)?;
    from_rule_set(resolved)
}

/// Turns a rule set's result into a [`ResolvedEndpoint`].
pub fn from_rule_set(e: endpoint::Endpoint) -> Result<ResolvedEndpoint, EndpointError> {
    let (scheme, host, port, path) = parse_url(&e.url).map_err(EndpointError::Config)?;
    let headers = e
        .headers
        .into_iter()
        .filter_map(|(name, mut values)| {
            (!values.is_empty()).then(|| (name, values.swap_remove(0)))
        })
        .collect();
    let auth_schemes = match e.properties.get("authSchemes") {
        Some(Json::Array(list)) => list.iter().filter_map(auth_scheme).collect(),
        _ => Vec::new(),
    };
    Ok(ResolvedEndpoint {
        scheme,
        host,
        port,
        path,
        headers,
        auth_schemes,
    })
}

fn auth_scheme(json: &Json) -> Option<EndpointAuth> {
    let text = |k: &str| json.get(k).and_then(Json::as_str).map(str::to_owned);
    let region_set = json
        .get("signingRegionSet")
        .and_then(Json::as_array)
        .map(|set| {
            set.iter()
                .filter_map(Json::as_str)
                .collect::<Vec<_>>()
                .join(",")
        });
    Some(EndpointAuth {
        name: text("name")?,
        signing_name: text("signingName"),
        signing_region: text("signingRegion").or(region_set.filter(|s| !s.is_empty())),
        disable_double_encoding: json.get("disableDoubleEncoding").and_then(Json::as_bool),
    })
}

/// Without a rule set: `endpoint_url`, else the `globalEndpoint` in the
/// `aws` partition (signed for us-east-1), else
/// `https://{endpointPrefix}.{region}.{dnsSuffix}`.
fn classic(service: &Service, builtins: &Builtins) -> Result<ResolvedEndpoint, EndpointError> {
    let region = builtins.get("AWS::Region").and_then(ParamValue::as_str);
    let no_region = || EndpointError::Config(super::region::NO_REGION.into());
    let signed = |region: &str| {
        vec![EndpointAuth {
            name: "sigv4".into(),
            signing_name: None,
            signing_region: Some(region.to_owned()),
            disable_double_encoding: None,
        }]
    };
    if let Some(url) = builtins.get("SDK::Endpoint").and_then(ParamValue::as_str) {
        let (scheme, host, port, path) = parse_url(url).map_err(EndpointError::Config)?;
        // A service without SigV4 (a non-AWS Smithy service) needs no
        // region here; signing asks for one when it needs it.
        let region = region.or(service.global_endpoint.map(|_| "us-east-1"));
        return Ok(ResolvedEndpoint {
            scheme,
            host,
            port,
            path,
            headers: Vec::new(),
            auth_schemes: region.map(signed).unwrap_or_default(),
        });
    }
    let part = partition(region);
    if let Some(global) = service.global_endpoint
        && part.id == "aws"
    {
        return Ok(ResolvedEndpoint {
            scheme: "https".into(),
            host: global.to_owned(),
            port: None,
            path: String::new(),
            headers: Vec::new(),
            auth_schemes: signed("us-east-1"),
        });
    }
    let region = region.ok_or_else(no_region)?;
    let suffix = part
        .output("dnsSuffix")
        .and_then(Json::as_str)
        .unwrap_or("amazonaws.com");
    Ok(ResolvedEndpoint {
        scheme: "https".into(),
        host: format!("{}.{region}.{suffix}", service.endpoint_prefix),
        port: None,
        path: String::new(),
        headers: Vec::new(),
        auth_schemes: signed(region),
    })
}

impl ResolvedEndpoint {
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

    /// The full URL for a serialized request target (`path[?query]`; the
    /// path may be empty, e.g. S3's bucket-only operations). Joined as
    /// botocore joins: an empty or `/` path keeps the endpoint's path (or
    /// `/`), otherwise the two are concatenated without doubling a `/`.
    pub fn url(&self, target: &str) -> String {
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (target, None),
        };
        let joined = if path.is_empty() || path == "/" {
            if self.path.is_empty() {
                "/".to_owned()
            } else {
                self.path.clone()
            }
        } else if self.path.ends_with('/') && path.starts_with('/') {
            format!("{}{path}", &self.path[..self.path.len() - 1])
        } else if !self.path.is_empty() || path.starts_with('/') {
            format!("{}{path}", self.path)
        } else {
            format!("/{path}")
        };
        let mut url = format!("{}://{}{joined}", self.scheme, self.authority());
        if let Some(q) = query {
            url.push('?');
            url.push_str(q);
        }
        url
    }
}

fn is_default_port(scheme: &str, port: u16) -> bool {
    matches!((scheme, port), ("http", 80) | ("https", 443))
}

fn is_ip(host: &str) -> bool {
    host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// Splits `scheme://host[:port][/path]`; a URL without a scheme is https.
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
    // The host reaches the Host header and the connection: only host-name
    // characters (an IPv6 literal keeps its brackets and colons).
    let host_ok = host.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_')
            || (host.starts_with('[') && matches!(b, b'[' | b']' | b':' | b'%'))
    });
    if !host_ok {
        return Err(bad("the host has characters a host name cannot have"));
    }
    let port = port
        .map(|p| p.parse::<u16>().map_err(|_| bad("bad port")))
        .transpose()?;
    // The host keeps its case: botocore sends rule-set hosts (`myQueueId.`)
    // as written, and DNS does not care.
    Ok((scheme, host, port, path.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{ClientContextParam, EndpointRules, ParamType, RuleSet};
    use crate::schema::Protocol;
    use crate::value::{UNIT_SHAPE, Unit};

    fn service(
        prefix: &'static str,
        global: Option<&'static str>,
        rules: Option<&'static EndpointRules>,
    ) -> Service {
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
            endpoint_rules: rules,
        }
    }

    static OP: Operation = Operation {
        name: "Op",
        http_method: "POST",
        request_uri: "/",
        response_code: 200,
        input: &UNIT_SHAPE,
        output: &UNIT_SHAPE,
        input_location_name: None,
        input_xml_namespace: None,
        result_wrapper: None,
        errors: &[],
        idempotent: false,
        readonly: false,
        host_prefix: None,
        auth: &[],
        checksum_required: false,
        http_checksum: None,
        request_compression: &[],
        event_stream: false,
        deprecated: false,
        context_params: &[],
    };

    fn resolve_with(svc: &Service, config: &Config) -> Result<ResolvedEndpoint, EndpointError> {
        let b = builtins(config, svc, &OP, &Unit);
        let params = client_params(config, svc)?;
        resolve(svc, &OP, &Unit, &b, &params)
    }

    #[test]
    fn classic_endpoints_follow_the_partition() {
        let sqs = service("sqs", None, None);
        let e = resolve_with(&sqs, &Config::new().region("eu-west-1")).unwrap();
        assert_eq!(e.url("/"), "https://sqs.eu-west-1.amazonaws.com/");
        assert_eq!(
            e.auth_schemes[0].signing_region.as_deref(),
            Some("eu-west-1")
        );
        let cn = resolve_with(&sqs, &Config::new().region("cn-north-1")).unwrap();
        assert_eq!(cn.host, "sqs.cn-north-1.amazonaws.com.cn");
        let iso = resolve_with(&sqs, &Config::new().region("us-isob-east-1")).unwrap();
        assert_eq!(iso.host, "sqs.us-isob-east-1.sc2s.sgov.gov");
        assert!(resolve_with(&sqs, &Config::new()).is_err());
        let iam = service("iam", Some("iam.amazonaws.com"), None);
        let g = resolve_with(&iam, &Config::new().region("eu-central-1")).unwrap();
        assert_eq!(
            (g.host.as_str(), g.auth_schemes[0].signing_region.as_deref()),
            ("iam.amazonaws.com", Some("us-east-1"))
        );
        let gcn = resolve_with(&iam, &Config::new().region("cn-north-1")).unwrap();
        assert_eq!(gcn.host, "iam.cn-north-1.amazonaws.com.cn");
        let custom = resolve_with(
            &sqs,
            &Config::new()
                .region("us-east-1")
                .endpoint_url("http://127.0.0.1:4566/base/"),
        )
        .unwrap();
        assert_eq!(custom.url("/x?y=1"), "http://127.0.0.1:4566/base/x?y=1");
    }

    static RULES: EndpointRules = EndpointRules {
        rule_set: RuleSet::new(
            r#"{"parameters":{
                "Region":{"type":"string","builtIn":"AWS::Region"},
                "UseFIPS":{"type":"boolean","builtIn":"AWS::UseFIPS","required":true,"default":false},
                "Endpoint":{"type":"string","builtIn":"SDK::Endpoint"},
                "Flavor":{"type":"string"}},
              "rules":[
                {"type":"error","conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]},{"fn":"booleanEquals","argv":[{"ref":"UseFIPS"},true]}],
                 "error":"Invalid Configuration: FIPS and custom endpoint are not supported"},
                {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"endpoint":{"url":{"ref":"Endpoint"}}},
                {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Flavor"}]}],
                 "endpoint":{"url":"https://{Flavor}.test.{Region}.example","headers":{"x-flavor":["{Flavor}","ignored"]},
                   "properties":{"authSchemes":[{"name":"sigv4a","signingName":"t","signingRegionSet":["*"]},{"name":"sigv4","signingName":"t","signingRegion":"{Region}","disableDoubleEncoding":true}]}}},
                {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],"endpoint":{"url":"https://test.{Region}.example/base/"}},
                {"type":"error","conditions":[],"error":"Invalid Configuration: Missing Region"}]}"#,
        ),
        client_context_params: &[ClientContextParam {
            name: "Flavor",
            ty: ParamType::String,
        }],
    };

    #[test]
    fn rule_sets_decide_and_custom_endpoints_win() {
        let svc = service("test", None, Some(&RULES));
        let e = resolve_with(&svc, &Config::new().region("us-west-2")).unwrap();
        assert_eq!(e.url("/a"), "https://test.us-west-2.example/base/a");
        assert_eq!(e.url(""), "https://test.us-west-2.example/base/");
        assert!(e.auth_schemes.is_empty());
        let custom = resolve_with(
            &svc,
            &Config::new()
                .region("us-west-2")
                .endpoint_url("http://localhost:8000"),
        )
        .unwrap();
        assert_eq!(custom.url("/a"), "http://localhost:8000/a");
        // botocore drops FIPS when an endpoint URL is configured.
        let both = resolve_with(
            &svc,
            &Config::new()
                .use_fips(true)
                .endpoint_url("http://localhost:8000"),
        )
        .unwrap();
        assert_eq!(both.host, "localhost");
        let missing = resolve_with(&svc, &Config::new()).unwrap_err();
        assert!(
            matches!(missing, EndpointError::Rules(ref r) if r.message == "Invalid Configuration: Missing Region"),
            "{missing:?}"
        );
        let flavored = resolve_with(
            &svc,
            &Config::new()
                .region("eu-west-1")
                .client_context_param("Flavor", "blue"),
        )
        .unwrap();
        assert_eq!(flavored.host, "blue.test.eu-west-1.example");
        assert_eq!(
            flavored.headers,
            vec![("x-flavor".to_owned(), "blue".to_owned())]
        );
        assert_eq!(
            flavored.auth_schemes,
            vec![
                EndpointAuth {
                    name: "sigv4a".into(),
                    signing_name: Some("t".into()),
                    signing_region: Some("*".into()),
                    disable_double_encoding: None
                },
                EndpointAuth {
                    name: "sigv4".into(),
                    signing_name: Some("t".into()),
                    signing_region: Some("eu-west-1".into()),
                    disable_double_encoding: Some(true)
                },
            ]
        );
        let unknown = resolve_with(
            &svc,
            &Config::new()
                .region("eu-west-1")
                .client_context_param("Nope", true),
        )
        .unwrap_err();
        assert!(
            matches!(unknown, EndpointError::Config(ref m) if m.contains("Nope") && m.contains("Flavor")),
            "{unknown:?}"
        );
    }

    #[test]
    fn builtins_follow_botocore_defaults() {
        let svc = service("s3", None, None);
        let get = |c: &Config, name: &str| builtins(c, &svc, &OP, &Unit).get(name).cloned();
        let plain = Config::new().region("us-east-1");
        assert_eq!(get(&plain, "AWS::S3::UseGlobalEndpoint"), Some(true.into()));
        assert_eq!(get(&plain, "AWS::S3::ForcePathStyle"), Some(false.into()));
        assert_eq!(
            get(&plain, "AWS::STS::UseGlobalEndpoint"),
            Some(false.into())
        );
        assert_eq!(
            get(&plain, "AWS::Auth::AccountIdEndpointMode"),
            Some("preferred".into())
        );
        assert_eq!(get(&plain, "SDK::Endpoint"), None);
        let west = Config::new().region("us-west-2");
        assert_eq!(get(&west, "AWS::S3::UseGlobalEndpoint"), Some(false.into()));
        let custom = Config::new()
            .region("us-west-2")
            .endpoint_url("http://localhost:9000")
            .use_fips(true);
        assert_eq!(get(&custom, "AWS::S3::ForcePathStyle"), Some(true.into()));
        assert_eq!(get(&custom, "AWS::UseFIPS"), Some(false.into()));
        let accel_url = Config::new().endpoint_url("https://s3-accelerate.dualstack.amazonaws.com");
        assert_eq!(
            get(&accel_url, "AWS::S3::ForcePathStyle"),
            Some(false.into())
        );
        let accel = Config {
            s3: crate::client::S3Config {
                use_accelerate: true,
                force_path_style: Some(true),
                ..Default::default()
            },
            ..Config::new()
        };
        assert_eq!(get(&accel, "AWS::S3::ForcePathStyle"), Some(false.into()));
        let legacy_sts = Config {
            sts_use_global_endpoint: true,
            ..Config::new().region("eu-west-1")
        };
        assert_eq!(
            get(&legacy_sts, "AWS::STS::UseGlobalEndpoint"),
            Some(true.into())
        );
        let new_region = Config {
            sts_use_global_endpoint: true,
            ..Config::new().region("ap-east-1")
        };
        assert_eq!(
            get(&new_region, "AWS::STS::UseGlobalEndpoint"),
            Some(false.into())
        );
        assert_eq!(
            get(&Config::new().account_id("123"), "AWS::Auth::AccountId"),
            Some("123".into())
        );
        assert_eq!(get(&plain, "AWS::S3::UseArnRegion"), Some(true.into()));
        assert_eq!(
            get(&plain, "AWS::S3Control::UseArnRegion"),
            Some(false.into())
        );
    }

    #[test]
    fn urls_join_like_botocore() {
        let e = |path: &str| ResolvedEndpoint {
            scheme: "https".into(),
            host: "h".into(),
            port: Some(443),
            path: path.into(),
            headers: Vec::new(),
            auth_schemes: Vec::new(),
        };
        assert_eq!(e("").url("/k"), "https://h/k");
        assert_eq!(e("").url("?list-type=2"), "https://h/?list-type=2");
        assert_eq!(
            e("/bucket").url("?list-type=2"),
            "https://h/bucket?list-type=2"
        );
        assert_eq!(e("/bucket").url("/a/b"), "https://h/bucket/a/b");
        assert_eq!(e("/base/").url("/a"), "https://h/base/a");
        assert_eq!(e("/base/").url("/"), "https://h/base/");
        assert_eq!(e("").url(""), "https://h/");
    }

    #[test]
    fn endpoint_urls_are_checked() {
        for bad in [
            "ftp://x",
            "http://",
            "http://h:99999",
            "http://u@h",
            "http://h/?q",
            "http://a b",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
        let (s, h, p, path) = parse_url("https://Example.com:8443/p/").unwrap();
        assert_eq!(
            (s.as_str(), h.as_str(), p, path.as_str()),
            ("https", "Example.com", Some(8443), "/p/")
        );
        assert_eq!(parse_url("http://[::1]:8080").unwrap().1, "[::1]");
    }

    #[test]
    fn host_prefix_is_prepended_except_to_ip_addresses() {
        let sd = service("servicediscovery", None, None);
        let mut e = resolve_with(&sd, &Config::new().region("us-east-1")).unwrap();
        e.with_host_prefix("data-");
        assert_eq!(e.host, "data-servicediscovery.us-east-1.amazonaws.com");
        let mut ip = resolve_with(
            &sd,
            &Config::new()
                .region("us-east-1")
                .endpoint_url("http://127.0.0.1:1"),
        )
        .unwrap();
        ip.with_host_prefix("data-");
        assert_eq!(ip.host, "127.0.0.1");
        let mut local = resolve_with(
            &sd,
            &Config::new()
                .region("us-east-1")
                .endpoint_url("http://localhost:1"),
        )
        .unwrap();
        local.with_host_prefix("data-");
        assert_eq!(local.host, "data-localhost");
    }
}
