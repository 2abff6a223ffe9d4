//! Presigned requests: a SigV4 signature in the query string
//! (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
//! `X-Amz-SignedHeaders`, `X-Amz-Signature`, and `X-Amz-Security-Token` for
//! temporary credentials), so that anyone holding the URL can make that one
//! call until it expires, with any HTTP client and no credentials — what
//! boto3's `generate_presigned_url` and aws-sdk-rust's `presigned()` make.
//!
//! The request is built like a call: the input is serialized and the
//! endpoint comes from the rule set (S3 buckets as virtual hosts), then the
//! request is signed without sending it. S3 signs `UNSIGNED-PAYLOAD`, so a
//! presigned `PutObject` accepts whatever body is sent; a query-protocol
//! body moves into the URL, as botocore does; any other body is signed by
//! its hash and returned in [`PresignedRequest::body`]. Presigned requests
//! get no default checksum and no checksum mode (botocore's rule), and
//! carry none of the SDK's per-attempt headers.

use super::signing::{self, AuthScheme};
use super::{Client, NO_REGION, config_error};
use crate::error::SdkError;
use crate::schema::{Operation, Protocol};
use crate::value::Struct;
use aws_sigv4::http_request::{
    PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    UriPathNormalizationMode, sign,
};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use std::time::{Duration, SystemTime};

/// The longest validity SigV4 allows: seven days.
pub const MAX_EXPIRES_IN: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// How long a presigned request is valid, and from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresigningConfig {
    /// At most [`MAX_EXPIRES_IN`], at least one second.
    pub expires_in: Duration,
    /// The signing time (`X-Amz-Date`); `None`: now.
    pub start_time: Option<SystemTime>,
}

impl PresigningConfig {
    /// Valid for `expires_in` from now.
    pub fn expires_in(expires_in: Duration) -> PresigningConfig {
        PresigningConfig {
            expires_in,
            start_time: None,
        }
    }

    /// Signed as of `time` instead of now (tests, or a URL valid from later).
    #[must_use]
    pub fn start_time(mut self, time: SystemTime) -> PresigningConfig {
        self.start_time = Some(time);
        self
    }
}

/// A signed request to send later without credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    pub method: String,
    /// The full URL, signature included.
    pub url: String,
    /// Headers the signature covers besides `Host` (which the URL gives):
    /// whoever sends the request must send these with these values.
    pub headers: Vec<(String, String)>,
    /// The body the signature covers, for a service that signs its payload
    /// (empty for S3, whose presigned requests take any body, and for the
    /// query protocols, whose parameters are in the URL).
    pub body: Bytes,
    /// When the URL stops working.
    pub expires_at: SystemTime,
}

/// Headers a presigned request does not carry: the transport's and the
/// SDK's own (a plain HTTP client sends its own `User-Agent` and length).
fn is_transport_header(name: &str) -> bool {
    [
        "host",
        "user-agent",
        "content-length",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
    ]
    .iter()
    .any(|h| name.eq_ignore_ascii_case(h))
}

impl Client {
    /// Presigns `op` with `input` (which must be a value of `op.input`, the
    /// operation's input type): the returned URL, sent with
    /// [`PresignedRequest::method`] and [`PresignedRequest::headers`], makes
    /// the call without credentials until it expires.
    ///
    /// ```no_run
    /// # async fn f(client: &botogen_runtime::client::Client, op: &'static botogen_runtime::schema::Operation, input: &(dyn botogen_runtime::Struct + Sync)) -> Result<(), botogen_runtime::SdkError> {
    /// use botogen_runtime::client::presign::PresigningConfig;
    /// use std::time::Duration;
    /// let presigned = client
    ///     .presign(op, input, PresigningConfig::expires_in(Duration::from_secs(3600)))
    ///     .await?;
    /// println!("{} {}", presigned.method, presigned.url);
    /// # Ok(()) }
    /// ```
    pub async fn presign(
        &self,
        op: &'static Operation,
        input: &(dyn Struct + Sync),
        config: PresigningConfig,
    ) -> Result<PresignedRequest, SdkError> {
        self.presign_inner(op, input, config)
            .await
            .map_err(|e| match e {
                super::RawError::Sdk(e) => e,
                other => SdkError::Config(other.to_string()),
            })
    }

    async fn presign_inner(
        &self,
        op: &'static Operation,
        input: &(dyn Struct + Sync),
        config: PresigningConfig,
    ) -> Result<PresignedRequest, super::RawError> {
        let inner = &*self.inner;
        let service = inner.service;
        if !std::ptr::eq(input.shape(), op.input) {
            return Err(config_error(format!(
                "presigning {}: the input is a {}, not the operation's {}",
                op.name,
                input.shape().name,
                op.input.name
            )));
        }
        if config.expires_in > MAX_EXPIRES_IN || config.expires_in < Duration::from_secs(1) {
            return Err(config_error(format!(
                "a presigned request is valid for 1 s to 7 days, not {:?}",
                config.expires_in
            )));
        }
        if op.event_stream {
            return Err(super::RawError::Sdk(SdkError::Unsupported(format!(
                "{} uses event streams, which cannot be presigned",
                op.name
            ))));
        }
        let protocol = inner.protocol()?;
        inner.validate(input)?;
        let mut request =
            crate::protocol::serialize_request_unchecked(service, protocol, op, input)
                .map_err(|e| super::RawError::Sdk(SdkError::Serialize(e)))?;
        // A streaming member's body is whatever the holder of the URL sends.
        request.stream = None;
        let region = inner.region().await;
        let mut endpoint = inner.resolve_endpoint(op, input, region)?;
        if let Some(prefix) = &request.host_prefix
            && !inner.config.disable_host_prefix
        {
            endpoint.with_host_prefix(prefix);
        }
        let mut target = request.uri.clone();
        let mut body = Bytes::from(std::mem::take(&mut request.body));
        // The query protocols' parameters go into the URL (botocore's
        // `_get_body_as_dict`), and their form content type with them.
        if matches!(protocol, Protocol::Query | Protocol::Ec2) && !body.is_empty() {
            let form = String::from_utf8_lossy(&body).into_owned();
            target.push(if target.contains('?') { '&' } else { '?' });
            target.push_str(&form);
            body = Bytes::new();
            request
                .headers
                .retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
        }
        let url = endpoint.url(&target);

        let unsigned_body = match signing::choose_auth(service, op, false)
            .map_err(|e| super::RawError::Sdk(SdkError::Credentials(e)))?
        {
            AuthScheme::SigV4 { unsigned_body } => unsigned_body,
            _ => {
                return Err(config_error(format!(
                    "{} is not signed with SigV4, so it cannot be presigned",
                    op.name
                )));
            }
        };
        let creds = inner
            .credentials
            .credentials()
            .await
            .map_err(|e| super::RawError::Sdk(SdkError::Credentials(e.to_string())))?
            .ok_or_else(|| {
                super::RawError::Sdk(SdkError::Credentials(
                    "presigning needs credentials (the client is anonymous)".into(),
                ))
            })?;
        let plan = signing::signing_plan(service, &endpoint, region).map_err(|e| {
            if region.is_none() && e.contains(NO_REGION) {
                config_error(e)
            } else {
                config_error(format!("cannot presign {}: {e}", op.name))
            }
        })?;
        if plan.algorithm != signing::Algorithm::SigV4 {
            return Err(config_error(format!(
                "{}: only SigV4 requests can be presigned, this endpoint signs with SigV4a",
                op.name
            )));
        }

        let mut headers = super::base_headers(&endpoint, &request);
        headers.retain(|(k, _)| !is_transport_header(k) || k.eq_ignore_ascii_case("host"));
        let identity = aws_credential_types::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.clone(),
            creds.session_token.clone(),
            None,
            "botogen",
        )
        .into();
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(config.expires_in);
        if plan.single_encode {
            settings.percent_encoding_mode = PercentEncodingMode::Single;
            settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        }
        let time = config.start_time.unwrap_or_else(SystemTime::now);
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&plan.region)
            .name(&plan.name)
            .time(time)
            .settings(settings)
            .build()
            .map_err(|e| config_error(format!("cannot presign: {e}")))?
            .into();
        // S3 (the `x-amz-content-sha256` services) presigns UNSIGNED-PAYLOAD.
        let signable_body = if plan.payload_hash_header || unsigned_body {
            SignableBody::UnsignedPayload
        } else {
            SignableBody::Bytes(&body)
        };
        let signable = SignableRequest::new(
            request.method,
            &url,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            signable_body,
        )
        .map_err(|e| config_error(format!("cannot presign: {e}")))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| config_error(format!("cannot presign: {e}")))?
            .into_parts();
        let (extra_headers, query) = instructions.into_parts();
        let mut url = url;
        for (i, (name, value)) in query.iter().enumerate() {
            let first = i == 0 && !url.contains('?');
            url.push(if first { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            crate::protocol::rest::percent_encode_into(&mut url, value, false);
        }
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case("host"));
        headers.extend(
            extra_headers
                .into_iter()
                .map(|h| (h.name().to_owned(), h.value().to_owned())),
        );
        Ok(PresignedRequest {
            method: request.method.to_owned(),
            url,
            headers,
            body,
            expires_at: time + config.expires_in,
        })
    }
}
