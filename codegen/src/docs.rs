//! Model documentation (HTML) → rustdoc Markdown.
//!
//! `htmd` does the HTML conversion (and escapes Markdown syntax in text, so
//! `[x]` cannot become an intra-doc link); [`sanitize`] then makes the text
//! inert for rustdoc: every code fence is tagged `text` (never a doctest),
//! indentation that would start an indented code block is removed outside
//! lists, bare URLs become autolinks, and only absolute links survive. The
//! result only ever reaches generated code as a string literal.

use htmd::HtmlToMarkdown;
use htmd::element_handler::Handlers;
use std::collections::HashMap;

/// Converts and caches (models repeat the same text on many members).
pub struct DocConverter {
    html: HtmlToMarkdown,
    cache: HashMap<String, String>,
}

impl Default for DocConverter {
    fn default() -> Self {
        DocConverter::new()
    }
}

impl DocConverter {
    pub fn new() -> DocConverter {
        let html = HtmlToMarkdown::builder()
            .skip_tags(vec!["script", "style", "img"])
            .add_handler(vec!["a"], |h: &dyn Handlers, el: htmd::Element| {
                let href = el
                    .attrs
                    .iter()
                    .find(|a| &*a.name.local == "href")
                    .map(|a| a.value.to_string())
                    .unwrap_or_default();
                let absolute = href.starts_with("https://") || href.starts_with("http://");
                if absolute && !href.contains(char::is_whitespace) {
                    h.fallback(el)
                } else {
                    // Relative links would be read as (broken) intra-doc links.
                    Some(h.walk_children(el.node))
                }
            })
            .build();
        DocConverter {
            html,
            cache: HashMap::new(),
        }
    }

    /// Markdown for `html`; empty when the text has no content.
    pub fn markdown(&mut self, html: &str) -> String {
        if let Some(done) = self.cache.get(html) {
            return done.clone();
        }
        let converted = if is_plain(html) {
            html.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            self.html
                .convert(html)
                .unwrap_or_else(|_| html.split_whitespace().collect::<Vec<_>>().join(" "))
        };
        let out = sanitize(&converted);
        self.cache.insert(html.to_string(), out.clone());
        out
    }
}

/// Text that Markdown and HTML would both show verbatim: skip the parser.
fn is_plain(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_alphanumeric()
            || c == ' '
            || matches!(
                c,
                '.' | ',' | ';' | ':' | '(' | ')' | '\'' | '"' | '?' | '/' | '%' | '='
            )
    }) && !s.contains("://")
}

/// Escapes plain text (not HTML) so Markdown shows it verbatim.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

fn is_list_item(t: &str) -> bool {
    if t.starts_with("* ") || t.starts_with("- ") || t.starts_with("+ ") {
        return true;
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))
}

/// Makes converted Markdown safe for rustdoc (see the module docs).
pub fn sanitize(md: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    let mut in_list = false;
    for raw in md.lines() {
        let line = raw.replace('\t', "    ").replace('\r', "");
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) && trimmed.trim_end() == marker {
                fence = None;
            }
            out.push(line.trim_end().to_string());
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker = if trimmed.starts_with("```") {
                "```"
            } else {
                "~~~"
            };
            fence = Some(marker);
            let keep = if in_list {
                indent.min(8)
            } else {
                indent.min(3)
            };
            out.push(format!("{}{marker}text", " ".repeat(keep)));
            continue;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            continue;
        }
        let text = if indent >= 4 && in_list {
            line.trim_end().to_string()
        } else {
            if indent < 4 {
                in_list = is_list_item(trimmed);
            }
            trimmed.trim_end().to_string()
        };
        out.push(autolink(&text));
    }
    if let Some(marker) = fence {
        out.push(marker.to_string());
    }
    // Collapse runs of blank lines and trim the ends.
    let mut result = String::new();
    let mut blank = true;
    for l in out {
        if l.is_empty() {
            if !blank {
                result.push('\n');
            }
            blank = true;
        } else {
            result.push_str(&l);
            result.push('\n');
            blank = false;
        }
    }
    result.trim_end().to_string()
}

/// Wraps bare `http(s)://` URLs outside code spans and links in `<...>`.
fn autolink(line: &str) -> String {
    if !line.contains("://") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < line.len() {
        let rest = &line[i..];
        if bytes[i] == b'`' {
            in_code = !in_code;
            out.push('`');
            i += 1;
            continue;
        }
        let prev = out.chars().last();
        if !in_code
            && (rest.starts_with("https://") || rest.starts_with("http://"))
            && !matches!(prev, Some('(') | Some('<') | Some('"'))
        {
            let mut end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
                .unwrap_or(rest.len());
            while end > 0 && matches!(rest.as_bytes()[end - 1], b'.' | b',' | b';' | b':' | b'\\') {
                end -= 1;
            }
            let url: String = rest[..end].chars().filter(|&c| c != '\\').collect();
            out.push('<');
            out.push_str(&url);
            out.push('>');
            i += end;
            continue;
        }
        let ch = rest.chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(h: &str) -> String {
        DocConverter::new().markdown(h)
    }

    #[test]
    fn escapes_brackets_and_tags() {
        let out = md("<p>Use [foo] and &lt;tag&gt; with <code>a[0]</code>.</p>");
        assert_eq!(out, r"Use \[foo\] and \<tag> with `a[0]`.");
    }

    #[test]
    fn code_fences_are_text() {
        let out = md("<pre><code>fn main() {}</code></pre>");
        assert!(out.starts_with("```text\n"), "{out}");
        assert!(out.ends_with("\n```"), "{out}");
        assert_eq!(sanitize("```\nx\n"), "```text\nx\n```");
        assert_eq!(sanitize("```rust\nx\n```"), "```text\nx\n```");
    }

    #[test]
    fn indented_text_is_not_code() {
        assert_eq!(sanitize("a\n\n    let x = 1;"), "a\n\nlet x = 1;");
        // Nested list indentation survives.
        assert_eq!(sanitize("* one\n\n    * nested"), "* one\n\n    * nested");
    }

    #[test]
    fn links() {
        assert_eq!(md(r#"<p>See <a href="Foo">rel</a>.</p>"#), "See rel.");
        assert_eq!(
            md(r#"<p><a href="https://a.example/x">x</a></p>"#),
            "[x](https://a.example/x)"
        );
        assert_eq!(
            md("<p>Go to https://a.example/a_b.</p>"),
            "Go to <https://a.example/a_b>."
        );
        assert_eq!(sanitize("`https://x.example`"), "`https://x.example`");
    }

    #[test]
    fn plain_text_fast_path_matches_parser() {
        let text = "Returns the list (sorted), if any; see 'Foo'.";
        let mut c = DocConverter::new();
        assert_eq!(c.markdown(text), c.html.convert(text).unwrap());
    }
}
