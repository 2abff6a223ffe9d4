//! `Content-MD5` for operations marked `httpChecksumRequired`, as botocore
//! computes it for the legacy trait. Operations that already carry a checksum
//! header (set by the caller or a flexible-checksum member) are left alone.

use super::HttpRequest;
use crate::schema::Operation;
use base64::Engine as _;
use md5::{Digest as _, Md5};

/// Adds `Content-MD5` (base64 of the body's MD5) when the operation requires a checksum.
pub(crate) fn add_content_md5(op: &Operation, req: &mut HttpRequest) {
    if !op.checksum_required || has_checksum(&req.headers) {
        return;
    }
    // A file or one-shot stream is not read twice for a checksum (no
    // operation that requires one streams its body).
    let Some(body) = req.body_bytes() else {
        return;
    };
    let digest = Md5::digest(body);
    let value = base64::engine::general_purpose::STANDARD.encode(digest);
    req.headers.push(("Content-MD5".to_owned(), value));
}

/// Whether a `Content-MD5` or `x-amz-checksum-*` header is already present.
pub fn has_checksum(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(k, _)| {
        k.eq_ignore_ascii_case("content-md5")
            || k.get(..14)
                .is_some_and(|p| p.eq_ignore_ascii_case("x-amz-checksum"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Shape, ShapeKind, StructShape};

    static EMPTY: Shape = Shape::new(
        "Empty",
        ShapeKind::Structure(&StructShape {
            members: &[],
            payload: None,
        }),
    );

    fn op(checksum_required: bool) -> Operation {
        Operation {
            name: "Put",
            http_method: "PUT",
            request_uri: "/",
            response_code: 200,
            input: &EMPTY,
            output: &EMPTY,
            input_location_name: None,
            input_xml_namespace: None,
            result_wrapper: None,
            errors: &[],
            idempotent: false,
            readonly: false,
            host_prefix: None,
            auth: &[],
            checksum_required,
            http_checksum: None,
            request_compression: &[],
            event_stream: false,
            deprecated: false,
            context_params: &[],
        }
    }

    fn request(body: &[u8]) -> HttpRequest {
        HttpRequest {
            body: body.to_vec(),
            ..Default::default()
        }
    }

    #[test]
    fn required_checksum_is_the_base64_md5_of_the_body() {
        let mut req = request(b"hello");
        add_content_md5(&op(true), &mut req);
        assert_eq!(req.header("content-md5"), Some("XUFAKrxLKna5cZ2REBfFkg=="));
    }

    #[test]
    fn no_checksum_unless_required_or_when_one_is_present() {
        let mut req = request(b"hello");
        add_content_md5(&op(false), &mut req);
        assert_eq!(req.header("content-md5"), None);

        let mut req = request(b"hello");
        req.headers
            .push(("x-amz-checksum-sha256".into(), "abc".into()));
        add_content_md5(&op(true), &mut req);
        assert_eq!(req.header("content-md5"), None);
    }
}
