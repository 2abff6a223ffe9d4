//! The rule-set standard library's string functions, one small item each:
//! `isValidHostLabel`, `aws.isVirtualHostableS3Bucket`, `uriEncode` and
//! `substring`. (`isSet`, `not`, `booleanEquals`, `stringEquals` and
//! `getAttr` work on evaluator values and live in `eval`; `parseURL`,
//! `aws.parseArn` and `aws.partition` have their own modules.)
//!
//! Semantics are botocore's (`botocore/endpoint_provider.py`), which the
//! endpoint test cases were written against.

/// `isValidHostLabel(value, allowSubDomains)`: an RFC 1123 label of 1–63
/// ASCII letters, digits and hyphens, not starting or ending with a hyphen;
/// with `allow_subdomains`, every dot-separated part must be one.
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        value.split('.').all(single_label)
    } else {
        single_label(value)
    }
}

fn single_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: a bucket name
/// usable as a host label: at least three characters, no upper case, not an
/// IPv4 address, and a valid host label (each label, with `allow_subdomains`).
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    value.chars().count() >= 3
        && !value.chars().any(char::is_uppercase)
        && !is_ipv4_text(value)
        && is_valid_host_label(value, allow_subdomains)
}

/// Four dot-separated groups of one to three ASCII digits (botocore's
/// `IPV4_RE`, which does not check the range of each group).
pub fn is_ipv4_text(value: &str) -> bool {
    let mut groups = 0;
    for part in value.split('.') {
        groups += 1;
        if groups > 4 || !(1..=3).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_digit())
        {
            return false;
        }
    }
    groups == 4
}

/// `uriEncode(value)`: percent-encodes every byte of the UTF-8 text except
/// the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`), upper-case hex.
pub fn uri_encode(value: &str) -> String {
    percent_encode(value, b"")
}

/// Percent-encodes all but unreserved characters and the bytes in `safe`.
pub(crate) fn percent_encode(value: &str, safe: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || safe.contains(&b)
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// `substring(value, start, stop, reverse)`: characters `start..stop`
/// (counted from the end when `reverse`), or `None` when the range is empty
/// or out of bounds, or the text is not ASCII.
pub fn substring(value: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    if start < 0 || start >= stop || !value.is_ascii() {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = value.len();
    if len < stop {
        return None;
    }
    Some(if reverse {
        &value[len - stop..len - start]
    } else {
        &value[start..stop]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        for ok in ["a", "abc-123", "A1", &"x".repeat(63)] {
            assert!(is_valid_host_label(ok, false), "{ok}");
        }
        for bad in ["", "-a", "a-", "a.b", "a_b", "é", &"x".repeat(64)] {
            assert!(!is_valid_host_label(bad, false), "{bad}");
        }
        assert!(is_valid_host_label("a.b-c.d", true));
        for bad in ["a..b", ".a", "a.", "a.-b"] {
            assert!(!is_valid_host_label(bad, true), "{bad}");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(is_virtual_hostable_s3_bucket("my.bucket", true));
        for bad in ["ab", "MyBucket", "192.168.0.1", "a_b", "my.bucket", "-ab"] {
            assert!(!is_virtual_hostable_s3_bucket(bad, false), "{bad}");
        }
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
        assert!(is_virtual_hostable_s3_bucket("999.1.1.1a", true));
    }

    #[test]
    fn ipv4_text() {
        assert!(is_ipv4_text("10.0.0.1"));
        assert!(
            is_ipv4_text("999.999.999.999"),
            "no range check, as botocore"
        );
        for bad in [
            "10.0.0",
            "10.0.0.1.2",
            "10.0.0.a",
            "1000.0.0.1",
            "",
            "10..0.1",
        ] {
            assert!(!is_ipv4_text(bad), "{bad}");
        }
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(uri_encode("a b/c:d"), "a%20b%2Fc%3Ad");
        assert_eq!(uri_encode("é"), "%C3%A9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdef", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcdef", 0, 4, true), Some("cdef"));
        assert_eq!(substring("abcdef", 2, 3, true), Some("d"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abé", 0, 1, false), None);
        assert_eq!(substring("abc", -1, 2, false), None);
    }
}
