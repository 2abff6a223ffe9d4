//! Choosing an auth scheme and signing requests (SigV4 via `aws-sigv4`).
//!
//! The operation's `auth` list (else the service's) is read in order and
//! the first scheme the client can serve wins: SigV4 (`aws.auth#sigv4`,
//! `v4`, `s3v4`, `v4-unsigned-body`), no auth (`smithy.api#noAuth`,
//! `none`), or a bearer token (`smithy.api#httpBearerAuth`, `bearer`) when
//! one is configured. SigV4a is not supported and is skipped. An empty list
//! means SigV4, botocore's default signature version.

use super::credentials::Credentials;
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

/// What to sign a request for.
#[derive(Debug, Clone, Copy)]
pub struct SigningContext<'a> {
    pub credentials: &'a Credentials,
    pub region: &'a str,
    /// The service's signing name (`Service::signing_name`).
    pub name: &'a str,
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
/// `X-Amz-Date`, `X-Amz-Security-Token`, and for S3 `x-amz-content-sha256`)
/// to `headers`. `url` is the full, already percent-encoded URL; `headers`
/// should hold `Host` (else it is derived from the URL).
pub fn sign_v4(
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

/// [`sign_v4`] for any [`Payload`]; returns the signature (the seed of a
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
    let mut settings = SigningSettings::default();
    let streaming = matches!(
        payload,
        Payload::StreamingSigned
            | Payload::StreamingSignedTrailer
            | Payload::StreamingUnsignedTrailer
    );
    // S3 signs the path as sent (no double encoding or normalization) and
    // wants the payload hash in a header (as does any streaming signature).
    if matches!(cx.name, "s3" | "s3-outposts" | "s3express") {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    } else if streaming {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params: SigningParams<'_> = v4::SigningParams::builder()
        .identity(&identity)
        .region(cx.region)
        .name(cx.name)
        .time(cx.time)
        .settings(settings)
        .build()
        .map_err(|e| e.to_string())?
        .into();
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
            request_compression: &[],
            event_stream: false,
            deprecated: false,
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
        let cx = SigningContext {
            credentials: &creds,
            region: "us-east-1",
            name: "service",
            // 20150830T123600Z
            time: UNIX_EPOCH + Duration::from_secs(1_440_938_160),
            unsigned_body: false,
        };
        let mut headers = vec![("host".to_owned(), "example.amazonaws.com".to_owned())];
        sign_v4(
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
        let cx = SigningContext {
            credentials: &creds,
            region: "eu-west-1",
            name: "s3",
            time: SystemTime::now(),
            unsigned_body: false,
        };
        let mut headers = vec![("host".to_owned(), "s3.eu-west-1.amazonaws.com".to_owned())];
        sign_v4(
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
}
