//! The one place model names become Rust identifiers.
//!
//! Rules (unit-tested below):
//! - Words are split by `heck` after every character that is not an ASCII
//!   letter or digit has been turned into a word break, so output is ASCII.
//! - Keywords become raw identifiers (`type` → `r#type`), except those that
//!   cannot be raw (`self`, `Self`, `super`, `crate`), which get a `_` suffix.
//! - A leading digit gets a prefix: `_` for snake and SCREAMING names, `V`
//!   for enum variants, `Shape` for type names.
//! - An empty result becomes a fixed word (`value`, `Value`, `VALUE`).
//! - Names that collide inside one scope are made distinct by [`Scope`]: the
//!   first claimant (in the deterministic order the caller uses) keeps the
//!   name, later ones get `2`, `3`, ... (`_2` for snake/SCREAMING names).
//!
//! Shape names never shadow std items because emitted code refers to every
//! std/runtime item by its full path (`::std::option::Option`).

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Strict and reserved keywords of Rust 2024 (`gen` is reserved there).
pub const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

fn ascii_words(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn fix_keyword(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

fn starts_with_digit(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// A field, method or module name: `snake_case`.
pub fn snake(name: &str) -> String {
    let mut s = ascii_words(name).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    } else if starts_with_digit(&s) {
        s.insert(0, '_');
    }
    fix_keyword(s)
}

/// A type name: `UpperCamelCase`.
pub fn type_name(name: &str) -> String {
    let mut s = ascii_words(name).to_upper_camel_case();
    if s.is_empty() {
        s = "Value".into();
    } else if starts_with_digit(&s) {
        s.insert_str(0, "Shape");
    }
    fix_keyword(s)
}

/// An enum variant name: `UpperCamelCase`, digits prefixed with `V`.
pub fn variant(name: &str) -> String {
    let mut s = ascii_words(name).to_upper_camel_case();
    if s.is_empty() {
        s = "Value".into();
    } else if starts_with_digit(&s) {
        s.insert(0, 'V');
    }
    fix_keyword(s)
}

/// A `static` name: `SCREAMING_SNAKE_CASE`.
pub fn screaming(name: &str) -> String {
    let mut s = ascii_words(name).to_shouty_snake_case();
    if s.is_empty() {
        s = "VALUE".into();
    } else if starts_with_digit(&s) {
        s.insert(0, '_');
    }
    fix_keyword(s)
}

/// The crate name of a service directory (`botogen-<dir>`), and its Rust path name.
pub fn crate_name(service_dir: &str) -> String {
    let mut s: String = service_dir
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        s = "service".into();
    }
    format!("botogen-{s}")
}

/// The default crate name of a service, from the model's own service id
/// (`Connect Participant` → `botogen-connectparticipant`): lower case,
/// letters and digits only, as aws-sdk-rust names its crates.
pub fn service_crate_name(service_id: &str) -> String {
    let s: String = service_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    crate_name(&s)
}

/// Checks a crate name given on the command line: what Cargo accepts as a
/// package whose library Rust can name.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if name.is_empty() || !ok_chars || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "invalid crate name `{name}`: use ASCII letters, digits, `-` and `_`, not starting with a digit"
        ));
    }
    Ok(())
}

/// Hands out distinct identifiers within one Rust scope.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// Suffixes are appended bare (`Foo2`) rather than as `_2`.
    camel: bool,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Scope {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            camel: false,
        }
    }

    /// A scope of CamelCase names (types, variants): suffixes without `_`.
    pub fn camel(reserved: &[&str]) -> Scope {
        Scope {
            camel: true,
            ..Scope::with_reserved(reserved)
        }
    }

    /// `ident` if free, else `ident` with the lowest free numeric suffix.
    /// Raw identifiers lose their `r#` when a suffix makes them ordinary.
    pub fn claim(&mut self, ident: String) -> String {
        if self.taken.insert(ident.clone()) {
            return ident;
        }
        // `self_` + `_2` would be `self__2`, which is not snake case.
        let base = ident
            .strip_prefix("r#")
            .unwrap_or(&ident)
            .trim_end_matches('_')
            .to_string();
        let sep = if self.camel { "" } else { "_" };
        let mut n = 2;
        loop {
            let candidate = format!("{base}{sep}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Whether `ident` is already taken.
    pub fn contains(&self, ident: &str) -> bool {
        self.taken.contains(ident)
    }
}

/// Variant names for an enum's values or a union's members, plus the name
/// of the catch-all `Unknown` variant. A value that converts to `Unknown`
/// becomes `UnknownValue` so the catch-all keeps its contract name.
pub fn variants<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut scope = Scope::camel(&["Unknown"]);
    names
        .into_iter()
        .map(|n| {
            let v = variant(n);
            if v == "Unknown" {
                scope.claim("UnknownValue".into())
            } else {
                scope.claim(v)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_or_suffixed() {
        for kw in KEYWORDS {
            let out = snake(kw);
            if NOT_RAW.contains(kw) {
                assert_eq!(out, format!("{}_", kw.to_lowercase()));
            } else if kw.chars().all(|c| c.is_ascii_lowercase()) {
                assert_eq!(out, format!("r#{kw}"), "{kw}");
            }
            // Every output must parse as an identifier.
            let parsed: Result<syn::Ident, _> = syn::parse_str(&out);
            assert!(parsed.is_ok(), "{kw} -> {out}");
        }
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(snake("gen"), "r#gen");
    }

    #[test]
    fn case_conversion() {
        assert_eq!(snake("ConnectionToken"), "connection_token");
        assert_eq!(snake("fooBar"), "foo_bar");
        assert_eq!(snake("S3Key"), "s3_key");
        assert_eq!(type_name("send_messageRequest"), "SendMessageRequest");
        assert_eq!(variant("t2.micro"), "T2Micro");
        assert_eq!(variant("ACTIVE"), "Active");
        assert_eq!(screaming("SendMessageRequest"), "SEND_MESSAGE_REQUEST");
    }

    #[test]
    fn digits_symbols_and_unicode() {
        assert_eq!(type_name("1Foo"), "Shape1foo");
        assert_eq!(snake("1Foo"), "_1foo");
        assert_eq!(variant("1x"), "V1x");
        assert_eq!(screaming("9lives"), "_9LIVES");
        assert_eq!(variant("*"), "Value");
        assert_eq!(snake("é"), "value");
        assert_eq!(type_name("Grüße"), "GrE");
        for s in ["1Foo", "*", "a-b", "é", "Option", "fn"] {
            for out in [snake(s), type_name(s), variant(s), screaming(s)] {
                assert!(syn::parse_str::<syn::Ident>(&out).is_ok(), "{s} -> {out}");
            }
        }
    }

    #[test]
    fn scope_disambiguates_deterministically() {
        let mut s = Scope::default();
        assert_eq!(s.claim(snake("fooBar")), "foo_bar");
        assert_eq!(s.claim(snake("FooBar")), "foo_bar_2");
        assert_eq!(s.claim(snake("foo_bar")), "foo_bar_3");
        let mut t = Scope::camel(&["Unknown"]);
        assert_eq!(t.claim(variant("UNKNOWN")), "Unknown2");
        assert_eq!(
            variants(["UNKNOWN", "unknown", "a-b", "a_b"]),
            ["UnknownValue", "UnknownValue2", "AB", "AB2"]
        );
        let mut u = Scope::default();
        assert_eq!(u.claim(snake("type")), "r#type");
        assert_eq!(u.claim(snake("Type")), "type_2");
        assert_eq!(u.claim(snake("self")), "self_");
        assert_eq!(u.claim(snake("Self")), "self_2");
        let mut v = Scope::with_reserved(&["SERVICE"]);
        assert_eq!(v.claim(screaming("Service")), "SERVICE_2");
    }

    #[test]
    fn crate_names() {
        assert_eq!(
            crate_name("connectparticipant"),
            "botogen-connectparticipant"
        );
        assert_eq!(crate_name("s3_control"), "botogen-s3-control");
    }
}
