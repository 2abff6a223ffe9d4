//! `parseURL`: a custom endpoint URL split into the parts rule sets use.
//!
//! botocore parses with Python's `urllib.parse.urlparse`; this follows the
//! same splitting rules for the URLs an endpoint can be (scheme, `//`
//! authority up to the first `/ ? #`, fragment dropped, `;params` split off
//! the path), so the authority and path come out as botocore's do.

use crate::stdlib::{is_ipv4_text, percent_encode};

/// The parts of an endpoint URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https` (lower case).
    pub scheme: String,
    /// Host and port as written (`example.com:8443`).
    pub authority: String,
    /// The path as written (may be empty).
    pub path: String,
    /// The path without dot segments or repeated slashes, percent-encoded,
    /// ending in `/`.
    pub normalized_path: String,
    /// The host is an IPv4 or (bracketed) IPv6 address.
    pub is_ip: bool,
}

/// Parses `value`; `None` when the scheme is not http(s), there is a query,
/// or the port is not a number in 0–65535.
pub fn parse_url(value: &str) -> Option<Url> {
    // urlsplit drops leading C0 controls and spaces, and tabs/newlines anywhere.
    let cleaned: String = value
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut rest = cleaned.as_str();
    let mut scheme = String::new();
    if let Some(i) = rest.find(':')
        && i > 0
        && rest.as_bytes()[0].is_ascii_alphabetic()
        && rest[..i]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        scheme = rest[..i].to_ascii_lowercase();
        rest = &rest[i + 1..];
    }
    let mut authority = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        authority = &after[..end];
        rest = &after[end..];
        if authority.contains('[') != authority.contains(']') {
            return None;
        }
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    // `;params` on the last path segment is not part of the path.
    let path = match path.rfind('/') {
        Some(slash) => match path[slash..].find(';') {
            Some(semi) => &path[..slash + semi],
            None => path,
        },
        None => path.split_once(';').map_or(path, |(p, _)| p),
    };
    if !(scheme == "http" || scheme == "https") || !query.is_empty() {
        return None;
    }
    let (host, port) = host_and_port(authority);
    if let Some(port) = port
        && !(port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok())
    {
        return None;
    }
    let host = host.to_ascii_lowercase();
    let is_ip = is_ipv4_text(&host) || (!value.contains(['\t', '\r', '\n']) && is_ipv6(&host));
    let mut normalized_path = percent_encode(&remove_dot_segments(path), b"/");
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme,
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

/// Host (brackets removed) and port text of an authority, user info dropped.
fn host_and_port(authority: &str) -> (&str, Option<&str>) {
    let hostinfo = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = hostinfo.strip_prefix('[') {
        match v6.split_once(']') {
            Some((host, after)) => (host, after.split_once(':').map(|(_, p)| p)),
            None => (v6, None),
        }
    } else {
        match hostinfo.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostinfo, None),
        }
    };
    (host, port.filter(|p| !p.is_empty()))
}

/// An IPv6 address with an optional zone id (`%25eth0` or `%eth0`).
fn is_ipv6(host: &str) -> bool {
    let (addr, zone) = match host.split_once('%') {
        Some((a, z)) => (a, Some(z.strip_prefix("25").unwrap_or(z))),
        None => (host, None),
    };
    let zone_ok = zone.is_none_or(|z| {
        !z.is_empty()
            && z.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'!' | b'-' | b'~' | b'%')
            })
    });
    zone_ok && addr.parse::<std::net::Ipv6Addr>().is_ok()
}

/// RFC 3986 dot-segment removal that also collapses repeated slashes
/// (botocore's `normalize_url_path`; an empty path becomes `/`).
fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let mut text = String::with_capacity(path.len());
    if path.starts_with('/') {
        text.push('/');
    }
    text.push_str(&out.join("/"));
    if path.ends_with('/') && !out.is_empty() {
        text.push('/');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_scheme_authority_and_path() {
        let u = parse_url("http://beta.example.com:1234/path").unwrap();
        assert_eq!(u.scheme, "http");
        assert_eq!(u.authority, "beta.example.com:1234");
        assert_eq!(u.path, "/path");
        assert_eq!(u.normalized_path, "/path/");
        assert!(!u.is_ip);
        let bare = parse_url("HTTPS://Example.com").unwrap();
        assert_eq!(
            (bare.scheme.as_str(), bare.authority.as_str()),
            ("https", "Example.com")
        );
        assert_eq!(
            (bare.path.as_str(), bare.normalized_path.as_str()),
            ("", "/")
        );
        let frag = parse_url("https://example.com/a#frag").unwrap();
        assert_eq!(frag.path, "/a");
    }

    #[test]
    fn normalizes_paths() {
        let u = parse_url("https://h/a//b/./c/../d e/").unwrap();
        assert_eq!(u.normalized_path, "/a/b/d%20e/");
        assert_eq!(u.path, "/a//b/./c/../d e/");
        assert_eq!(parse_url("https://h/;p").unwrap().path, "/");
    }

    #[test]
    fn recognises_ip_hosts() {
        for ip in [
            "https://10.0.0.1",
            "https://10.0.1.12:433",
            "http://[::1]:8080/x",
            "http://[fe80::1%25eth0]",
        ] {
            assert!(parse_url(ip).unwrap().is_ip, "{ip}");
        }
        for host in ["https://example.com", "https://10.0.0.1.example.com"] {
            assert!(!parse_url(host).unwrap().is_ip, "{host}");
        }
    }

    #[test]
    fn rejects_what_botocore_rejects() {
        for bad in [
            "kinesis-pod1.us-east-1.amazonaws.com",
            "abcde://nota#url",
            "ftp://example.com",
            "https://example.com?x=1",
            "https://example.com:port",
            "https://example.com:70000",
            "https://[::1",
        ] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
        assert!(
            parse_url("https://example.com:").is_some(),
            "empty port is no port"
        );
    }
}
