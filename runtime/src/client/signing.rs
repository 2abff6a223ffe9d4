//! Choosing an auth scheme and signing requests (SigV4 and, with the
//! `sigv4a` feature, SigV4a, via `aws-sigv4`).
//!
//! The operation's `auth` list (else the service's) is read in order and
//! the first scheme the client can serve wins: SigV4 (`aws.auth#sigv4`,
//! `v4`, `s3v4`, `v4-unsigned-body`), no auth (`smithy.api#noAuth`,
//! `none`), or a bearer token (`smithy.api#httpBearerAuth`, `bearer`) when
//! one is configured. An empty list means SigV4, botocore's default
//! signature version. For a signed request the resolved endpoint's
//! `authSchemes` then decide the algorithm, signing name, region and
//! encoding ([`signing_plan`]).

use super::credentials::Credentials;
use super::endpoint::ResolvedEndpoint;
use crate::schema::{Operation, Service};
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningParams,
    SigningSettings, UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use std::time::SystemTime;

/// How a request is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// SigV4; `unsigned_body` sends `UNSIGNED-PAYLOAD` as the payload hash.
    SigV4 { unsigned_body: bool },
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// Unsigned.
    None,
}

/// Picks the scheme for `op`. `has_token`: a bearer token is configured.
pub fn choose_auth(
    service: &Service,
    op: &Operation,
    has_token: bool,
) -> Result<AuthScheme, String> {
    let list = if op.auth.is_empty() {
        service.auth
    } else {
        op.auth
    };
    if list.is_empty() {
        return Ok(AuthScheme::SigV4 {
            unsigned_body: false,
        });
    }
    let mut wanted_token = false;
    for name in list {
        match *name {
            "aws.auth#sigv4" | "v4" | "s3v4" | "s3" | "sigv4" => {
                return Ok(AuthScheme::SigV4 {
                    unsigned_body: false,
                });
            }
            "v4-unsigned-body" => {
                return Ok(AuthScheme::SigV4 {
                    unsigned_body: true,
                });
            }
            "smithy.api#noAuth" | "none" => return Ok(AuthScheme::None),
            "smithy.api#httpBearerAuth" | "bearer" => {
                if has_token {
                    return Ok(AuthScheme::Bearer);
                }
                wanted_token = true;
            }
            _ => {}
        }
    }
    Err(if wanted_token {
        format!("{} needs a bearer token (Config::bearer_token)", op.name)
    } else {
        format!(
            "{} uses auth schemes botogen does not support: {}",
            op.name,
            list.join(", ")
        )
    })
}

/// The signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// `AWS4-HMAC-SHA256`, for one region.
    SigV4,
    /// `AWS4-ECDSA-P256-SHA256`, for a region set (needs the `sigv4a` feature).
    SigV4a,
}

/// How to sign a request: what the endpoint's auth scheme (or the
/// service's defaults) say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningPlan {
    pub algorithm: Algorithm,
    /// The signing name (`signingName`, else the service's).
    pub name: String,
    /// The credential scope's region (SigV4) or the region set (SigV4a).
    pub region: String,
    /// Sign the path as sent: no second percent-encoding, no dot-segment
    /// normalization (`disableDoubleEncoding`; S3 always).
    pub single_encode: bool,
    /// Send the payload hash as `x-amz-content-sha256` (S3).
    pub payload_hash_header: bool,
}

fn is_s3_name(name: &str) -> bool {
    matches!(
        name,
        "s3" | "s3-outposts" | "s3express" | "s3-object-lambda"
    )
}

/// Picks the first of the endpoint's `authSchemes` this build can sign
/// with (none listed: SigV4 for the service's name and `region`).
pub fn signing_plan(
    service: &Service,
    endpoint: &ResolvedEndpoint,
    region: Option<&str>,
) -> Result<SigningPlan, String> {
    let s3 = is_s3_name(service.signing_name);
    // A global service (IAM, STS, Route 53, ...) signs for us-east-1 when
    // no region is set, as botocore does.
    let region = region.or(service.global_endpoint.map(|_| "us-east-1"));
    let no_region = || super::region::NO_REGION.to_owned();
    if endpoint.auth_schemes.is_empty() {
        return Ok(SigningPlan {
            algorithm: Algorithm::SigV4,
            name: service.signing_name.to_owned(),
            region: region.ok_or_else(no_region)?.to_owned(),
            single_encode: s3,
            payload_hash_header: s3,
        });
    }
    for scheme in &endpoint.auth_schemes {
        let algorithm = match scheme.name.as_str() {
            "sigv4" => Algorithm::SigV4,
            "sigv4a" if cfg!(feature = "sigv4a") => Algorithm::SigV4a,
            _ => continue,
        };
        let name = scheme
            .signing_name
            .clone()
            .unwrap_or_else(|| service.signing_name.to_owned());
        let s3 = s3 || is_s3_name(&name);
        let region = match &scheme.signing_region {
            Some(r) => r.clone(),
            None => region.ok_or_else(no_region)?.to_owned(),
        };
        return Ok(SigningPlan {
            algorithm,
            single_encode: scheme.disable_double_encoding.unwrap_or(s3),
            payload_hash_header: s3,
            name,
            region,
        });
    }
    let names: Vec<&str> = endpoint
        .auth_schemes
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    Err(if names.contains(&"sigv4a") {
        "this endpoint requires SigV4a signing; build botogen-runtime with its `sigv4a` feature"
            .to_owned()
    } else if names.contains(&"sigv4-s3express") {
        "S3 Express One Zone session auth (sigv4-s3express) is not supported yet; set \
         Config::s3.disable_express_session_auth to sign directory-bucket requests with SigV4"
            .to_owned()
    } else {
        format!(
            "the endpoint's auth schemes are not supported: {}",
            names.join(", ")
        )
    })
}

/// What to sign a request for.
#[derive(Debug, Clone, Copy)]
pub struct SigningContext<'a> {
    pub credentials: &'a Credentials,
    pub plan: &'a SigningPlan,
    pub time: SystemTime,
    pub unsigned_body: bool,
}

/// What the signature covers of the body (the `x-amz-content-sha256` value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// These bytes, hashed.
    Bytes(&'a [u8]),
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// A SHA-256 computed beforehand (lower-case hex), e.g. of a file.
    Precomputed(&'a str),
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: signed aws-chunked.
    StreamingSigned,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: signed aws-chunked with trailers.
    StreamingSignedTrailer,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: unsigned aws-chunked with trailers.
    StreamingUnsignedTrailer,
}

/// Signs a request and appends the signing headers (`Authorization`,
/// `X-Amz-Date`, `X-Amz-Security-Token`, `x-amz-content-sha256` when the
/// plan says so, `X-Amz-Region-Set` for SigV4a) to `headers`. `url` is the
/// full, already percent-encoded URL; `headers` should hold `Host` (else it
/// is derived from the URL).
pub fn sign_request(
    cx: &SigningContext<'_>,
    method: &str,
    url: &str,
    headers: &mut Vec<(String, String)>,
    body: &[u8],
) -> Result<(), String> {
    let payload = if cx.unsigned_body {
        Payload::Unsigned
    } else {
        Payload::Bytes(body)
    };
    sign_v4_payload(cx, method, url, headers, payload).map(drop)
}

/// [`sign_request`] for any [`Payload`]; returns the signature (the seed of a
/// signed aws-chunked body).
pub fn sign_v4_payload(
    cx: &SigningContext<'_>,
    method: &str,
    url: &str,
    headers: &mut Vec<(String, String)>,
    payload: Payload<'_>,
) -> Result<String, String> {
    let identity = aws_credential_types::Credentials::new(
        cx.credentials.access_key_id.clone(),
        cx.credentials.secret_access_key.clone(),
        cx.credentials.session_token.clone(),
        None,
        "botogen",
    )
    .into();
    let plan = cx.plan;
    let mut settings = SigningSettings::default();
    let streaming = matches!(
        payload,
        Payload::StreamingSigned
            | Payload::StreamingSignedTrailer
            | Payload::StreamingUnsignedTrailer
    );
    if plan.single_encode {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    }
    // S3 wants the payload hash in a header, as does any streaming signature.
    if plan.payload_hash_header || streaming {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params: SigningParams<'_> = match plan.algorithm {
        Algorithm::SigV4 => v4::SigningParams::builder()
            .identity(&identity)
            .region(&plan.region)
            .name(&plan.name)
            .time(cx.time)
            .settings(settings)
            .build()
            .map_err(|e| e.to_string())?
            .into(),
        #[cfg(feature = "sigv4a")]
        Algorithm::SigV4a => aws_sigv4::sign::v4a::SigningParams::builder()
            .identity(&identity)
            .region_set(&plan.region)
            .name(&plan.name)
            .time(cx.time)
            .settings(settings)
            .build()
            .map_err(|e| e.to_string())?
            .into(),
        #[cfg(not(feature = "sigv4a"))]
        Algorithm::SigV4a => {
            return Err("SigV4a signing needs botogen-runtime's `sigv4a` feature".to_owned());
        }
    };
    let signable_body = match payload {
        Payload::Bytes(b) => SignableBody::Bytes(b),
        Payload::Unsigned => SignableBody::UnsignedPayload,
        Payload::Precomputed(h) => SignableBody::Precomputed(h.to_owned()),
        Payload::StreamingSigned => {
            SignableBody::Precomputed("STREAMING-AWS4-HMAC-SHA256-PAYLOAD".to_owned())
        }
        Payload::StreamingSignedTrailer => SignableBody::StreamingSignedPayloadTrailer,
        Payload::StreamingUnsignedTrailer => SignableBody::StreamingUnsignedPayloadTrailer,
    };
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        signable_body,
    )
    .map_err(|e| e.to_string())?;
    let (instructions, signature) = sign(request, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let (signed, _query) = instructions.into_parts();
    for h in signed {
        headers.push((h.name().to_owned(), h.value().to_owned()));
    }
    Ok(signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Protocol, Shape};
    use crate::value::UNIT_SHAPE;
    use std::time::{Duration, UNIX_EPOCH};

    static SERVICE: Service = Service {
        service_id: "Example",
        api_version: "2020-01-01",
        protocol: Protocol::Json,
        protocols: &[Protocol::Json],
        json_version: "1.1",
        target_prefix: "Example",
        endpoint_prefix: "example",
        signing_name: "example",
        global_endpoint: None,
        xml_namespace: None,
        aws_query_compatible: false,
        auth: &["aws.auth#sigv4"],
        target_service: "",
        errors: &[],
        endpoint_rules: None,
    };

    fn op(auth: &'static [&'static str]) -> Operation {
        let unit: &'static Shape = &UNIT_SHAPE;
        Operation {
            name: "Op",
            http_method: "POST",
            request_uri: "/",
            response_code: 200,
            input: unit,
            output: unit,
            input_location_name: None,
            input_xml_namespace: None,
            result_wrapper: None,
            errors: &[],
            idempotent: false,
            readonly: false,
            host_prefix: None,
            auth,
            checksum_required: false,
            http_checksum: None,
            request_compression: &[],
            event_stream: false,
            deprecated: false,
            context_params: &[],
        }
    }

    #[test]
    fn auth_scheme_choice_follows_the_lists() {
        let signed = AuthScheme::SigV4 {
            unsigned_body: false,
        };
        assert_eq!(choose_auth(&SERVICE, &op(&[]), false), Ok(signed));
        assert_eq!(
            choose_auth(&SERVICE, &op(&["none"]), false),
            Ok(AuthScheme::None)
        );
        assert_eq!(
            choose_auth(&SERVICE, &op(&["v4-unsigned-body"]), false),
            Ok(AuthScheme::SigV4 {
                unsigned_body: true
            })
        );
        assert_eq!(
            choose_auth(&SERVICE, &op(&["aws.auth#sigv4a", "aws.auth#sigv4"]), false),
            Ok(signed)
        );
        assert_eq!(
            choose_auth(&SERVICE, &op(&["smithy.api#httpBearerAuth"]), true),
            Ok(AuthScheme::Bearer)
        );
        let no_token = choose_auth(&SERVICE, &op(&["smithy.api#httpBearerAuth"]), false);
        assert!(no_token.unwrap_err().contains("bearer token"));
        assert!(choose_auth(&SERVICE, &op(&["aws.auth#sigv4a"]), false).is_err());
    }

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The AWS SigV4 test suite's `get-vanilla` case: known keys, time and
    /// request give a known signature.
    #[test]
    fn matches_the_sigv4_suite_vanilla_case() {
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        );
        let plan = SigningPlan {
            algorithm: Algorithm::SigV4,
            name: "service".into(),
            region: "us-east-1".into(),
            single_encode: false,
            payload_hash_header: false,
        };
        let cx = SigningContext {
            credentials: &creds,
            plan: &plan,
            // 20150830T123600Z
            time: UNIX_EPOCH + Duration::from_secs(1_440_938_160),
            unsigned_body: false,
        };
        let mut headers = vec![("host".to_owned(), "example.amazonaws.com".to_owned())];
        sign_request(
            &cx,
            "GET",
            "https://example.amazonaws.com/",
            &mut headers,
            b"",
        )
        .unwrap();
        assert_eq!(header(&headers, "x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(
            header(&headers, "authorization"),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            )
        );
    }

    #[test]
    fn session_token_and_s3_payload_hash_headers() {
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".into()));
        let endpoint = ResolvedEndpoint {
            scheme: "https".into(),
            host: "s3.eu-west-1.amazonaws.com".into(),
            port: None,
            path: String::new(),
            headers: Vec::new(),
            auth_schemes: Vec::new(),
        };
        let s3 = Service {
            signing_name: "s3",
            ..SERVICE
        };
        let plan = signing_plan(&s3, &endpoint, Some("eu-west-1")).unwrap();
        let cx = SigningContext {
            credentials: &creds,
            plan: &plan,
            time: SystemTime::now(),
            unsigned_body: false,
        };
        let mut headers = vec![("host".to_owned(), "s3.eu-west-1.amazonaws.com".to_owned())];
        sign_request(
            &cx,
            "PUT",
            "https://s3.eu-west-1.amazonaws.com/b/k",
            &mut headers,
            b"",
        )
        .unwrap();
        assert_eq!(header(&headers, "x-amz-security-token"), Some("TOKEN"));
        // SHA-256 of the empty body.
        assert_eq!(
            header(&headers, "x-amz-content-sha256"),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        let auth = header(&headers, "authorization").unwrap();
        assert!(auth.contains("/eu-west-1/s3/aws4_request"), "{auth}");
        assert!(auth.contains("x-amz-security-token"), "{auth}");
    }

    /// `(name, signingName, signingRegion, disableDoubleEncoding)`.
    type Scheme<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<bool>);

    fn endpoint_with(schemes: &[Scheme<'_>]) -> ResolvedEndpoint {
        ResolvedEndpoint {
            scheme: "https".into(),
            host: "h".into(),
            port: None,
            path: String::new(),
            headers: Vec::new(),
            auth_schemes: schemes
                .iter()
                .map(
                    |(n, name, region, dde)| super::super::endpoint::EndpointAuth {
                        name: (*n).into(),
                        signing_name: name.map(Into::into),
                        signing_region: region.map(Into::into),
                        disable_double_encoding: *dde,
                    },
                )
                .collect(),
        }
    }

    #[test]
    fn plans_follow_the_endpoint_auth_schemes() {
        let plain = signing_plan(&SERVICE, &endpoint_with(&[]), Some("eu-west-1")).unwrap();
        assert_eq!(
            plain,
            SigningPlan {
                algorithm: Algorithm::SigV4,
                name: "example".into(),
                region: "eu-west-1".into(),
                single_encode: false,
                payload_hash_header: false
            }
        );
        assert!(signing_plan(&SERVICE, &endpoint_with(&[]), None).is_err());
        let global = endpoint_with(&[("sigv4", Some("iam"), Some("us-east-1"), None)]);
        let p = signing_plan(&SERVICE, &global, Some("eu-west-1")).unwrap();
        assert_eq!((p.name.as_str(), p.region.as_str()), ("iam", "us-east-1"));
        let s3 = endpoint_with(&[("sigv4", Some("s3"), None, Some(true))]);
        let p = signing_plan(&SERVICE, &s3, Some("us-west-2")).unwrap();
        assert!(p.single_encode && p.payload_hash_header);
        assert_eq!(p.region, "us-west-2");
        let both = endpoint_with(&[
            ("sigv4a", Some("s3"), Some("*"), None),
            ("sigv4", Some("s3"), Some("us-east-1"), None),
        ]);
        let p = signing_plan(&SERVICE, &both, Some("us-east-1")).unwrap();
        if cfg!(feature = "sigv4a") {
            assert_eq!((p.algorithm, p.region.as_str()), (Algorithm::SigV4a, "*"));
        } else {
            assert_eq!(
                (p.algorithm, p.region.as_str()),
                (Algorithm::SigV4, "us-east-1")
            );
        }
        let only_a = endpoint_with(&[("sigv4a", Some("s3"), Some("*"), None)]);
        if !cfg!(feature = "sigv4a") {
            let e = signing_plan(&SERVICE, &only_a, Some("us-east-1")).unwrap_err();
            assert!(e.contains("`sigv4a` feature"), "{e}");
        }
        let express = endpoint_with(&[(
            "sigv4-s3express",
            Some("s3express"),
            Some("us-east-1"),
            None,
        )]);
        let e = signing_plan(&SERVICE, &express, Some("us-east-1")).unwrap_err();
        assert!(e.contains("disable_express_session_auth"), "{e}");
        let odd = endpoint_with(&[("sigv9", None, None, None)]);
        assert!(
            signing_plan(&SERVICE, &odd, Some("us-east-1"))
                .unwrap_err()
                .contains("sigv9")
        );
    }

    #[cfg(feature = "sigv4a")]
    #[test]
    fn sigv4a_signs_for_a_region_set() {
        let creds = Credentials::new("AKID", "SECRET", None);
        let plan = SigningPlan {
            algorithm: Algorithm::SigV4a,
            name: "s3".into(),
            region: "*".into(),
            single_encode: true,
            payload_hash_header: true,
        };
        let cx = SigningContext {
            credentials: &creds,
            plan: &plan,
            time: SystemTime::now(),
            unsigned_body: false,
        };
        let mut headers = vec![(
            "host".to_owned(),
            "mrap.accesspoint.s3-global.amazonaws.com".to_owned(),
        )];
        sign_request(
            &cx,
            "GET",
            "https://mrap.accesspoint.s3-global.amazonaws.com/k",
            &mut headers,
            b"",
        )
        .unwrap();
        let auth = header(&headers, "authorization").unwrap();
        assert!(
            auth.starts_with("AWS4-ECDSA-P256-SHA256 Credential=AKID/"),
            "{auth}"
        );
        assert!(auth.contains("/s3/aws4_request"), "{auth}");
        assert_eq!(header(&headers, "x-amz-region-set"), Some("*"));
    }
}
