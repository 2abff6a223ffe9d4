//! Request body compression for operations with the `requestcompression`
//! trait: a body of at least [`MIN_SIZE`] bytes is gzipped and `gzip` is
//! appended to `Content-Encoding` (after any encoding the input set), as
//! botocore does with its default settings. Applied by each protocol's
//! serializer after the body is built, so signing sees the final bytes.

use super::HttpRequest;
use crate::error::SerializeError;
use crate::schema::Operation;
use std::io::Write as _;

/// botocore's default `request_min_compression_size_bytes`.
pub(crate) const MIN_SIZE: usize = 10_240;

/// Gzips `req.body` when `op` allows gzip and the body is large enough.
pub(crate) fn compress_request(
    op: &Operation,
    req: &mut HttpRequest,
) -> Result<(), SerializeError> {
    if !op.request_compression.contains(&"gzip") || req.body.len() < MIN_SIZE {
        return Ok(());
    }
    let fail = |e: std::io::Error| SerializeError::new(format!("gzip failed: {e}"));
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(req.body.len() / 3),
        flate2::Compression::default(),
    );
    encoder.write_all(&req.body).map_err(fail)?;
    req.body = encoder.finish().map_err(fail)?;
    match req
        .headers
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-encoding"))
    {
        Some((_, v)) if !v.trim().is_empty() => v.push_str(", gzip"),
        Some((_, v)) => *v = "gzip".to_owned(),
        None => req
            .headers
            .push(("Content-Encoding".to_owned(), "gzip".to_owned())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Shape, ShapeKind, StructShape};
    use std::io::Read as _;

    static EMPTY: Shape = Shape::new(
        "Empty",
        ShapeKind::Structure(&StructShape {
            members: &[],
            payload: None,
        }),
    );

    static OP: Operation = Operation {
        name: "Put",
        http_method: "POST",
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
        checksum_required: false,
        http_checksum: None,
        request_compression: &["gzip"],
        event_stream: false,
        deprecated: false,
        context_params: &[],
    };

    fn request(len: usize, encoding: Option<&str>) -> HttpRequest {
        HttpRequest {
            method: "POST",
            uri: "/".into(),
            headers: encoding
                .map(|e| vec![("Content-Encoding".to_owned(), e.to_owned())])
                .unwrap_or_default(),
            body: (0..len).map(|i| b"abcdefgh"[i % 8]).collect(),
            stream: None,
            host_prefix: None,
        }
    }

    #[test]
    fn large_bodies_are_gzipped_and_labelled() {
        let mut req = request(MIN_SIZE, Some("custom"));
        let original = req.body.clone();
        compress_request(&OP, &mut req).expect("compresses");
        assert_eq!(req.header("content-encoding"), Some("custom, gzip"));
        assert!(req.body.len() < original.len());
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&req.body[..])
            .read_to_end(&mut back)
            .expect("valid gzip");
        assert_eq!(back, original);

        let mut req = request(MIN_SIZE + 1, None);
        compress_request(&OP, &mut req).expect("compresses");
        assert_eq!(req.header("content-encoding"), Some("gzip"));
    }

    #[test]
    fn small_bodies_and_other_operations_are_left_alone() {
        let mut req = request(MIN_SIZE - 1, None);
        compress_request(&OP, &mut req).expect("ok");
        assert_eq!(
            (req.body.len(), req.header("content-encoding")),
            (MIN_SIZE - 1, None)
        );
        let plain = Operation {
            request_compression: &[],
            ..OP
        };
        let mut req = request(MIN_SIZE * 2, None);
        compress_request(&plain, &mut req).expect("ok");
        assert_eq!(req.body.len(), MIN_SIZE * 2);
    }
}
