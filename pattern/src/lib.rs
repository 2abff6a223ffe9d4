//! Model `pattern` constraints: translation and compilation.
//!
//! A crate of its own so that both the runtime (which enforces patterns)
//! and the generator (which reports, per model, which engine takes each
//! pattern) use the same translator, without the generator building the
//! runtime's HTTP stack.
//!
//! Smithy defines `pattern` as an ECMA-262 regular expression that is **not
//! implicitly anchored**: a value is valid when the expression matches
//! somewhere in it (`find`, not a full match); models anchor with `^`/`$`
//! where they mean to. botocore models also carry Java-flavoured syntax
//! (`\p{Alnum}`, `\p{IsAlphabetic}`, `\Z`, possessive quantifiers, UTF-16
//! surrogate pairs such as `\uD800\uDC00-\uDBFF\uDFFF`, `&&` inside
//! classes). [`compile`] first rewrites a pattern into the `regex` crate's
//! syntax, then compiles it with `regex` (linear time), or with
//! `fancy-regex` when it needs look-around or backreferences.
//!
//! The translation is a small parser rather than string replacement so
//! that escapes, classes and quantifiers are each read in context. Where a
//! construct cannot be expressed exactly, it is translated so validation
//! stays *lenient*: it may accept a value the service would reject (the
//! service then rejects it), but never rejects one the service accepts.
//! Concretely:
//! - possessive quantifiers (`a*+`) become greedy ones;
//! - a class item covering UTF-16 surrogate code units (which a Rust string
//!   cannot hold) stands for every supplementary-plane character;
//! - if the fallback engine gives up on an input (backtracking limit), the
//!   value is treated as matching.

use std::fmt;

/// Which engine enforces a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The `regex` crate: linear-time matching.
    Regex,
    /// `fancy-regex`: backtracking, for look-around and backreferences.
    Fallback,
}

/// A pattern that cannot be enforced (neither engine accepts it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

fn err<T>(message: impl Into<String>) -> Result<T, PatternError> {
    Err(PatternError {
        message: message.into(),
    })
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Compiled {
    inner: Inner,
    exact: bool,
}

#[derive(Debug, Clone)]
enum Inner {
    Regex(regex::Regex),
    Fallback(Box<fancy_regex::Regex>),
}

impl Compiled {
    pub fn engine(&self) -> Engine {
        match self.inner {
            Inner::Regex(_) => Engine::Regex,
            Inner::Fallback(_) => Engine::Fallback,
        }
    }

    /// False when repetition counts had to be relaxed to compile (see [`compile`]).
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// Whether the pattern matches anywhere in `text` (Smithy semantics).
    pub fn is_match(&self, text: &str) -> bool {
        match &self.inner {
            Inner::Regex(r) => r.is_match(text),
            // The backtracking engine can give up (step limit); be lenient.
            Inner::Fallback(r) => r.is_match(text).unwrap_or(true),
        }
    }
}

/// Regex programs for long bounded repetitions of Unicode classes (e.g.
/// `[\p{L}\p{N}]{1,1024}`) outgrow the crate's 10 MiB default.
const SIZE_LIMIT: usize = 64 << 20;

/// Repetition counts above this are relaxed (see [`compile`]).
const RELAXED_COUNT: u32 = 100;

/// Translates and compiles a model pattern.
///
/// When the exact translation is too large to compile (`.{1,100000}`), it
/// is retried with every repetition count above 100 relaxed: `X{n,m}`
/// becomes `X{min(n,100),}`, which accepts a superset. Length limits are
/// normally also stated as `min`/`max` and checked separately.
pub fn compile(source: &str) -> Result<Compiled, PatternError> {
    let exact = translate_with(source, None)?;
    let mut last = match build(&exact, true) {
        Ok(c) => return Ok(c),
        Err(e) => e,
    };
    let relaxed = translate_with(source, Some(RELAXED_COUNT))?;
    if relaxed != exact {
        match build(&relaxed, false) {
            Ok(c) => return Ok(c),
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn build(t: &Translated, exact: bool) -> Result<Compiled, PatternError> {
    if !t.needs_fallback {
        let built = regex::RegexBuilder::new(&t.pattern)
            .size_limit(SIZE_LIMIT)
            .build();
        if let Ok(r) = built {
            return Ok(Compiled {
                inner: Inner::Regex(r),
                exact,
            });
        }
    }
    match fancy_regex::RegexBuilder::new(&t.pattern)
        .delegate_size_limit(SIZE_LIMIT)
        .build()
    {
        Ok(r) => Ok(Compiled {
            inner: Inner::Fallback(Box::new(r)),
            exact,
        }),
        Err(e) => err(format!("cannot compile {:?}: {e}", t.pattern)),
    }
}

/// Which engine [`compile`] would use for `source` (for the generator's report).
pub fn classify(source: &str) -> Result<Engine, PatternError> {
    compile(source).map(|c| c.engine())
}

/// The result of [`translate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// The pattern in `regex` / `fancy-regex` syntax.
    pub pattern: String,
    /// It uses look-around or backreferences.
    pub needs_fallback: bool,
}

/// Rewrites an ECMA-262 / Java-flavoured pattern into `regex` crate syntax.
pub fn translate(source: &str) -> Result<Translated, PatternError> {
    translate_with(source, None)
}

fn translate_with(source: &str, relax: Option<u32>) -> Result<Translated, PatternError> {
    let mut t = Translator {
        chars: source.chars().collect(),
        pos: 0,
        out: String::with_capacity(source.len() + 16),
        needs_fallback: false,
        groups: Vec::new(),
        relax,
    };
    t.run()?;
    Ok(Translated {
        pattern: t.out,
        needs_fallback: t.needs_fallback,
    })
}

/// `.` in ECMA-262 excludes every line terminator, not just `\n`.
const DOT: &str = r"[^\n\r\x{2028}\x{2029}]";
const ASCII_WORD: &str = "0-9A-Za-z_";

struct Translator {
    chars: Vec<char>,
    pos: usize,
    out: String,
    needs_fallback: bool,
    /// Open groups, innermost last; index 0 is never popped (the top level).
    groups: Vec<Group>,
    /// Relax repetition counts above this (see [`compile`]).
    relax: Option<u32>,
}

#[derive(Clone, Copy, Default)]
struct Group {
    /// `.` matches line terminators (`s` flag).
    dotall: bool,
    /// A look-around assertion: where its text starts in the output.
    assertion_start: Option<usize>,
}

/// One item of a character class, or a single-character atom.
enum ClassItem {
    Char(u32),
    /// A predefined set, written so it is valid both inside and outside a
    /// bracketed class (e.g. `[0-9]`, `\p{L}`).
    Set(String),
}

impl Translator {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        (self.pos..)
            .zip(s.chars())
            .all(|(i, c)| self.chars.get(i) == Some(&c))
    }

    fn dotall(&self) -> bool {
        self.groups.last().is_some_and(|g| g.dotall)
    }

    fn run(&mut self) -> Result<(), PatternError> {
        self.groups.push(Group::default());
        // Whether the previous item can take a quantifier.
        let mut atom = false;
        // Output offset of a look-around group that just closed.
        let mut after_assertion: Option<usize> = None;
        while let Some(c) = self.peek() {
            self.pos += 1;
            if let Some(start) = after_assertion.take() {
                // ECMA-262 (Annex B) lets a look-ahead take a quantifier:
                // with a minimum of one it means the assertion itself, with
                // zero it always succeeds (so the assertion is dropped).
                let min = match c {
                    '*' | '?' => Some(0),
                    '+' => Some(1),
                    '{' => self.braced_quantifier().map(|(lo, _)| lo),
                    _ => None,
                };
                if let Some(min) = min {
                    if c != '{' {
                        self.quantifier_suffix_skip();
                    }
                    if min == 0 {
                        self.out.truncate(start);
                    }
                    continue;
                }
            }
            match c {
                '\\' => {
                    atom = self.escape_outside()?;
                }
                '[' => {
                    self.class()?;
                    atom = true;
                }
                '(' => {
                    self.group_open()?;
                    atom = false;
                }
                ')' => {
                    self.out.push(')');
                    if self.groups.len() > 1
                        && let Some(g) = self.groups.pop()
                        && let Some(start) = g.assertion_start
                    {
                        after_assertion = Some(start);
                        atom = false;
                    } else {
                        atom = true;
                    }
                }
                '|' | '^' | '$' => {
                    self.out.push(c);
                    atom = false;
                }
                '.' => {
                    let any = if self.dotall() {
                        r"[\x{0}-\x{10FFFF}]"
                    } else {
                        DOT
                    };
                    self.out.push_str(any);
                    atom = true;
                }
                '*' | '+' | '?' => {
                    if atom {
                        self.out.push(c);
                        self.quantifier_suffix();
                        atom = false;
                    } else {
                        // A quantifier with nothing to repeat: read it literally.
                        push_literal(&mut self.out, c as u32);
                        atom = true;
                    }
                }
                '{' => {
                    if let (true, Some((_, q))) = (atom, self.braced_quantifier()) {
                        self.out.push_str(&q);
                        self.quantifier_suffix();
                        atom = false;
                    } else {
                        push_literal(&mut self.out, '{' as u32);
                        atom = true;
                    }
                }
                _ => {
                    push_literal(&mut self.out, c as u32);
                    atom = true;
                }
            }
        }
        Ok(())
    }

    /// After a quantifier: keep a lazy `?`, drop a possessive `+`.
    fn quantifier_suffix(&mut self) {
        match self.peek() {
            Some('?') => {
                self.pos += 1;
                self.out.push('?');
            }
            Some('+') => self.pos += 1,
            _ => {}
        }
    }

    /// Skips a lazy or possessive marker without emitting it.
    fn quantifier_suffix_skip(&mut self) {
        if matches!(self.peek(), Some('?' | '+')) {
            self.pos += 1;
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` (and `{,m}` read as `{0,m}`) at the cursor,
    /// just after the `{`; consumes it (and a lazy/possessive suffix when
    /// `relax` rewrites it) when valid. Returns the minimum and the text.
    fn braced_quantifier(&mut self) -> Option<(u32, String)> {
        let start = self.pos;
        let mut i = start;
        let mut lo = String::new();
        while let Some(c) = self.chars.get(i).filter(|c| c.is_ascii_digit()) {
            lo.push(*c);
            i += 1;
        }
        let mut hi = None;
        if self.chars.get(i) == Some(&',') {
            i += 1;
            let mut h = String::new();
            while let Some(c) = self.chars.get(i).filter(|c| c.is_ascii_digit()) {
                h.push(*c);
                i += 1;
            }
            hi = Some(h);
        }
        if self.chars.get(i) != Some(&'}')
            || (lo.is_empty() && hi.as_deref().unwrap_or("").is_empty())
        {
            return None;
        }
        let lo_n: u32 = if lo.is_empty() { 0 } else { lo.parse().ok()? };
        let hi_n: Option<Option<u32>> = match &hi {
            None => Some(Some(lo_n)),
            Some(h) if h.is_empty() => Some(None),
            Some(h) => Some(Some(h.parse().ok()?)),
        };
        self.pos = i + 1;
        if let Some(limit) = self.relax
            && (lo_n > limit || hi_n.flatten().is_some_and(|h| h > limit))
        {
            return Some((lo_n, format!("{{{},}}", lo_n.min(limit))));
        }
        Some((
            lo_n,
            match hi_n.flatten() {
                Some(h) if hi.is_none() => format!("{{{h}}}"),
                Some(h) => format!("{{{lo_n},{h}}}"),
                None => format!("{{{lo_n},}}"),
            },
        ))
    }

    fn group_open(&mut self) -> Result<(), PatternError> {
        let inherited = self.dotall();
        let plain = Group {
            dotall: inherited,
            assertion_start: None,
        };
        if self.peek() != Some('?') {
            self.groups.push(plain);
            self.out.push('(');
            return Ok(());
        }
        for look in ["?=", "?!", "?<=", "?<!", "?>"] {
            if self.starts_with(look) {
                self.pos += look.len();
                self.needs_fallback = true;
                self.groups.push(Group {
                    dotall: inherited,
                    assertion_start: (look != "?>").then_some(self.out.len()),
                });
                self.out.push('(');
                self.out.push_str(look);
                return Ok(());
            }
        }
        if self.starts_with("?<") || self.starts_with("?P<") {
            // Named group: `(?<name>` / `(?P<name>`.
            self.pos += if self.starts_with("?<") { 2 } else { 3 };
            let mut name = String::new();
            while let Some(c) = self.peek() {
                self.pos += 1;
                if c == '>' {
                    self.groups.push(plain);
                    self.out.push_str("(?P<");
                    self.out.push_str(&name);
                    self.out.push('>');
                    return Ok(());
                }
                if !(c.is_ascii_alphanumeric() || c == '_') {
                    break;
                }
                name.push(c);
            }
            return err("malformed group name");
        }
        // Inline flags `(?i)`, `(?i-s:`, non-capturing `(?:`.
        let mut flags = String::new();
        let mut i = self.pos + 1;
        let mut dotall = inherited;
        let mut on = true;
        while let Some(&c) = self.chars.get(i) {
            if c == ')' || c == ':' {
                if c == ':' {
                    self.groups.push(Group {
                        dotall,
                        assertion_start: None,
                    });
                } else if let Some(top) = self.groups.last_mut() {
                    top.dotall = dotall;
                }
                self.out.push_str("(?");
                self.out.push_str(&flags);
                self.out.push(c);
                self.pos = i + 1;
                return Ok(());
            }
            if !matches!(c, 'i' | 'm' | 's' | 'x' | 'U' | 'u' | '-') {
                break;
            }
            match c {
                '-' => on = false,
                's' => dotall = on,
                _ => {}
            }
            // Java's `u` (Unicode case folding) is the regex crate's default.
            if c != 'u' {
                flags.push(c);
            }
            i += 1;
        }
        err("unsupported group syntax `(?`")
    }

    /// An escape outside a class; returns whether it is quantifiable.
    fn escape_outside(&mut self) -> Result<bool, PatternError> {
        let Some(c) = self.peek() else {
            return err("pattern ends with a backslash");
        };
        match c {
            'b' | 'B' | 'A' | 'z' => {
                self.pos += 1;
                self.out.push('\\');
                self.out.push(c);
                Ok(false)
            }
            'Z' => {
                self.pos += 1;
                self.out.push_str(r"(?:\n?\z)");
                Ok(false)
            }
            '1'..='9' => {
                // A backreference (group numbers up to two digits).
                self.pos += 1;
                self.needs_fallback = true;
                self.out.push('\\');
                self.out.push(c);
                if let Some(d) = self.peek().filter(|d| d.is_ascii_digit()) {
                    self.pos += 1;
                    self.out.push(d);
                }
                Ok(true)
            }
            'k' if self.peek_at(1) == Some('<') => {
                self.pos += 2;
                let mut name = String::new();
                while let Some(n) = self.peek() {
                    self.pos += 1;
                    if n == '>' {
                        self.needs_fallback = true;
                        self.out.push_str(&format!("\\k<{name}>"));
                        return Ok(true);
                    }
                    name.push(n);
                }
                err("malformed named backreference")
            }
            'Q' => {
                self.pos += 1;
                // Java quoting: literal up to `\E` or the end.
                self.out.push_str("(?:");
                while self.pos < self.chars.len() && !self.starts_with("\\E") {
                    push_literal(&mut self.out, self.chars[self.pos] as u32);
                    self.pos += 1;
                }
                if self.starts_with("\\E") {
                    self.pos += 2;
                }
                self.out.push(')');
                Ok(true)
            }
            'R' => {
                self.pos += 1;
                self.out
                    .push_str(r"(?:\r\n|[\n\x0B\x0C\r\x{85}\x{2028}\x{2029}])");
                Ok(true)
            }
            _ => {
                match self.class_escape(false)? {
                    ClassItem::Char(cp) => push_char_atom(&mut self.out, cp),
                    ClassItem::Set(s) => self.out.push_str(&s),
                }
                Ok(true)
            }
        }
    }

    /// An escape that denotes one character or a set, after the backslash.
    fn class_escape(&mut self, in_class: bool) -> Result<ClassItem, PatternError> {
        let Some(c) = self.peek() else {
            return err("pattern ends with a backslash");
        };
        self.pos += 1;
        let set = |s: &str| Ok(ClassItem::Set(s.to_string()));
        match c {
            'd' => set("[0-9]"),
            'D' => set("[^0-9]"),
            'w' => Ok(ClassItem::Set(format!("[{ASCII_WORD}]"))),
            'W' => Ok(ClassItem::Set(format!("[^{ASCII_WORD}]"))),
            's' => set(r"\s"),
            'S' => set(r"\S"),
            'h' => set(r"[\t\x20\xA0\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]"),
            'H' => set(r"[^\t\x20\xA0\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]"),
            'p' | 'P' => self.property(c == 'P'),
            't' => Ok(ClassItem::Char(0x09)),
            'n' => Ok(ClassItem::Char(0x0A)),
            'v' => Ok(ClassItem::Char(0x0B)),
            'f' => Ok(ClassItem::Char(0x0C)),
            'r' => Ok(ClassItem::Char(0x0D)),
            'a' => Ok(ClassItem::Char(0x07)),
            'e' => Ok(ClassItem::Char(0x1B)),
            'b' if in_class => Ok(ClassItem::Char(0x08)),
            '0' => {
                // `\0` (NUL) or a Java octal escape `\0nnn`.
                let mut v = 0u32;
                let mut n = 0;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(8)) {
                    if n == 3 || v * 8 + d > 0xFF {
                        break;
                    }
                    v = v * 8 + d;
                    n += 1;
                    self.pos += 1;
                }
                Ok(ClassItem::Char(v))
            }
            'c' => match self.peek().filter(|l| l.is_ascii_alphabetic()) {
                Some(l) => {
                    self.pos += 1;
                    Ok(ClassItem::Char(l as u32 % 32))
                }
                None => Ok(ClassItem::Char('c' as u32)),
            },
            'x' => {
                if self.peek() == Some('{') {
                    self.braced_hex()
                } else {
                    self.fixed_hex(2).map(ClassItem::Char)
                }
            }
            'u' => {
                if self.peek() == Some('{') {
                    return self.braced_hex();
                }
                let hi = self.fixed_hex(4)?;
                // A UTF-16 surrogate pair written as two escapes is one character.
                if (0xD800..0xDC00).contains(&hi)
                    && self.starts_with("\\u")
                    && let Some(lo) = self.hex_at(self.pos + 2, 4)
                    && (0xDC00..0xE000).contains(&lo)
                {
                    self.pos += 6;
                    return Ok(ClassItem::Char(
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                    ));
                }
                Ok(ClassItem::Char(hi))
            }
            // Identity escapes (`\.`, `\/`, `\-`, ...) and unknown letters.
            _ => Ok(ClassItem::Char(c as u32)),
        }
    }

    fn hex_at(&self, at: usize, n: usize) -> Option<u32> {
        let digits = self.chars.get(at..at + n)?;
        let mut v = 0u32;
        for d in digits {
            v = v * 16 + d.to_digit(16)?;
        }
        Some(v)
    }

    fn fixed_hex(&mut self, n: usize) -> Result<u32, PatternError> {
        match self.hex_at(self.pos, n) {
            Some(v) => {
                self.pos += n;
                Ok(v)
            }
            None => err("malformed hexadecimal escape"),
        }
    }

    fn braced_hex(&mut self) -> Result<ClassItem, PatternError> {
        self.pos += 1; // `{`
        let mut v = 0u32;
        let mut n = 0;
        while let Some(d) = self.peek().and_then(|d| d.to_digit(16)) {
            v = v.saturating_mul(16).saturating_add(d);
            n += 1;
            self.pos += 1;
        }
        if n == 0 || self.peek() != Some('}') || v > 0x10FFFF {
            return err("malformed braced hexadecimal escape");
        }
        self.pos += 1;
        Ok(ClassItem::Char(v))
    }

    /// `\p{Name}`, `\pL` (after the `p`/`P`).
    fn property(&mut self, negated: bool) -> Result<ClassItem, PatternError> {
        let name: String = if self.peek() == Some('{') {
            let mut name = String::new();
            self.pos += 1;
            loop {
                match self.peek() {
                    Some('}') => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        name.push(c);
                        self.pos += 1;
                    }
                    None => return err("unterminated \\p{...}"),
                }
            }
            name
        } else {
            match self.peek() {
                Some(c) => {
                    self.pos += 1;
                    c.to_string()
                }
                None => return err("unterminated \\p"),
            }
        };
        let body = property_class(&name);
        let Some(body) = body else {
            // Unicode categories, scripts and binary properties the regex
            // crate knows by the same name (`L`, `Lu`, `Greek`, ...).
            let stripped = name.strip_prefix("Is").unwrap_or(&name);
            let check = format!("\\p{{{stripped}}}");
            if regex_syntax_ok(&check) {
                let p = if negated { 'P' } else { 'p' };
                return Ok(ClassItem::Set(format!("\\{p}{{{stripped}}}")));
            }
            return err(format!("unknown character property {name:?}"));
        };
        Ok(ClassItem::Set(if negated {
            format!("[^{body}]")
        } else {
            format!("[{body}]")
        }))
    }

    /// A bracketed class, after the `[`.
    fn class(&mut self) -> Result<(), PatternError> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        if self.peek() == Some(']') {
            // ECMA-262: `[]` matches nothing, `[^]` any character.
            self.pos += 1;
            self.out.push_str(if negated {
                r"[\x{0}-\x{10FFFF}]"
            } else {
                r"[^\x{0}-\x{10FFFF}]"
            });
            return Ok(());
        }
        let mut body = String::new();
        loop {
            let Some(c) = self.peek() else {
                return err("unterminated character class");
            };
            if c == ']' {
                self.pos += 1;
                break;
            }
            // Java class intersection `[a&&[^b]]`.
            if self.starts_with("&&") {
                self.pos += 2;
                let rhs = if self.peek() == Some('[') {
                    self.pos += 1;
                    let mut sub = Translator {
                        chars: self.chars.clone(),
                        pos: self.pos,
                        out: String::new(),
                        needs_fallback: false,
                        groups: Vec::new(),
                        relax: self.relax,
                    };
                    sub.class()?;
                    self.pos = sub.pos;
                    sub.out
                } else {
                    return err("unsupported class intersection");
                };
                body = format!("[{body}]&&{rhs}");
                continue;
            }
            let lo = self.class_atom()?;
            // A range `a-z`, unless `-` is the last item or follows/precedes a set.
            if let ClassItem::Char(lo_cp) = lo
                && self.peek() == Some('-')
                && self.peek_at(1).is_some_and(|n| n != ']')
            {
                let save = self.pos;
                self.pos += 1;
                match self.class_atom()? {
                    ClassItem::Char(hi_cp) => {
                        if hi_cp < lo_cp {
                            return err("character class range out of order");
                        }
                        push_class_range(&mut body, lo_cp, hi_cp, negated);
                        continue;
                    }
                    ClassItem::Set(_) => {
                        self.pos = save;
                    }
                }
            }
            match lo {
                ClassItem::Char(cp) => push_class_range(&mut body, cp, cp, negated),
                ClassItem::Set(s) => body.push_str(&s),
            }
        }
        if body.is_empty() {
            // Only surrogates in a negated class: any character will do.
            self.out.push_str(r"[\x{0}-\x{10FFFF}]");
            return Ok(());
        }
        self.out.push('[');
        if negated {
            self.out.push('^');
        }
        self.out.push_str(&body);
        self.out.push(']');
        Ok(())
    }

    fn class_atom(&mut self) -> Result<ClassItem, PatternError> {
        let Some(c) = self.peek() else {
            return err("unterminated character class");
        };
        self.pos += 1;
        if c == '\\' {
            return self.class_escape(true);
        }
        Ok(ClassItem::Char(c as u32))
    }
}

/// Whether the regex crate accepts a small pattern (used to vet property names).
fn regex_syntax_ok(pattern: &str) -> bool {
    regex::RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .build()
        .is_ok()
}

/// Class bodies for POSIX / Java property names (ASCII-only as in Java).
fn property_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => r"\x00-\x7F",
        "Alpha" => "A-Za-z",
        "Digit" => "0-9",
        "Alnum" => "0-9A-Za-z",
        "Punct" => r"\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E",
        "Graph" => r"\x21-\x7E",
        "Print" => r"\x20-\x7E",
        "Blank" => r"\x20\t",
        "Cntrl" => r"\x00-\x1F\x7F",
        "XDigit" => "0-9A-Fa-f",
        "Space" => r"\t\n\x0B\x0C\r\x20",
        "all" => r"\x{0}-\x{10FFFF}",
        // Java: letter or digit.
        "LD" => r"\p{L}\p{Nd}",
        "IsWhitespace" | "IsWhite_Space" | "javaWhitespace" => r"\s",
        "javaLetter" => r"\p{L}",
        "javaDigit" => r"\p{Nd}",
        "javaLetterOrDigit" => r"\p{L}\p{Nd}",
        "javaLowerCase" => r"\p{Lowercase}",
        "javaUpperCase" => r"\p{Uppercase}",
        _ => return None,
    })
}

fn is_surrogate(cp: u32) -> bool {
    (0xD800..0xE000).contains(&cp)
}

/// Appends `lo-hi` to a class body, with surrogates mapped (see module
/// docs). In a negated class they map to nothing, so that the class still
/// admits supplementary characters (lenient either way).
fn push_class_range(body: &mut String, lo: u32, hi: u32, negated: bool) {
    let mut emit = |lo: u32, hi: u32| {
        if lo == hi {
            body.push_str(&format!("\\x{{{lo:X}}}"));
        } else {
            body.push_str(&format!("\\x{{{lo:X}}}-\\x{{{hi:X}}}"));
        }
    };
    if hi < 0xD800 || lo > 0xDFFF {
        emit(lo, hi);
        return;
    }
    if lo < 0xD800 {
        emit(lo, 0xD7FF);
    }
    if hi > 0xDFFF {
        emit(0xE000, hi);
    }
    // Surrogate code units stand for the supplementary characters they encode.
    if !negated {
        emit(0x10000, 0x10FFFF);
    }
}

/// Appends one character as a standalone atom.
fn push_char_atom(out: &mut String, cp: u32) {
    if is_surrogate(cp) {
        out.push_str(r"[\x{10000}-\x{10FFFF}]");
    } else {
        push_literal(out, cp);
    }
}

/// Appends one literal character outside a class, escaped when needed.
fn push_literal(out: &mut String, cp: u32) {
    match char::from_u32(cp) {
        Some(c) if c.is_alphanumeric() || c == '_' || c == ' ' => out.push(c),
        Some(c) if !c.is_control() && !c.is_ascii_punctuation() && !c.is_whitespace() => {
            out.push(c)
        }
        _ => out.push_str(&format!("\\x{{{cp:X}}}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        compile(p)
            .unwrap_or_else(|e| panic!("{p}: {e}"))
            .is_match(s)
    }

    #[test]
    fn not_implicitly_anchored() {
        assert!(m("[a-z]+", "123abc"));
        assert!(!m("^[a-z]+$", "123abc"));
        assert!(m("^[a-z]+$", "abc"));
    }

    #[test]
    fn surrogate_pair_ranges() {
        let p = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*$";
        assert_eq!(classify(p), Ok(Engine::Regex));
        assert!(m(p, "hello 😀 wörld"));
        assert!(!m(p, "bell\u{7}"));
        // A garbled pair (`high high - low low`) still admits supplementary characters.
        // In a negated class surrogates admit supplementary characters too.
        assert!(m(r"^[^\uD800-\uDFFF]+$", "a😀"));
        assert!(m(r"^[^\uD800-\uDFFFa]+$", "b😀"));
        assert!(!m(r"^[^\uD800-\uDFFFa]+$", "a"));
        let q = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\r\n\t]*$";
        assert!(m(q, "x😀y"));
        assert!(!m(q, "\u{1}"));
        assert!(m(r"^\uD83D\uDE00$", "😀"));
    }

    #[test]
    fn ecma_escapes_and_classes() {
        assert!(m(r"^\u0041\x42\u{43}$", "ABC"));
        assert!(m(r"^[^]$", "\n"));
        assert!(!m(r"a[]", "a"));
        // `\w` and `\d` are ASCII in ECMA-262 and Java.
        assert!(!m(r"^\w+$", "é"));
        assert!(!m(r"^\d$", "٣"));
        // `.` does not match line terminators.
        assert!(!m(r"^.$", "\r"));
        assert!(m(r"^[a-z[]+$", "a[b"));
        assert!(m(r"^[*+]$", "+"));
        assert!(m(r"^a{,2}$", "aa"));
        assert!(m(r"^{literal}$", "{literal}"));
        assert!(m(r"^\Qa.b\E$", "a.b"));
        assert!(!m(r"^\Qa.b\E$", "axb"));
        assert!(m(r"abc\Z", "abc\n"));
    }

    #[test]
    fn java_properties() {
        assert!(m(r"^\p{Alnum}+$", "abC9"));
        assert!(!m(r"^\p{Alnum}+$", "é"));
        assert!(m(r"^[\p{Print}&&[^|:/]]+$", "abc"));
        assert!(!m(r"^[\p{Print}&&[^|:/]]+$", "a:b"));
        assert!(m(r"^\p{IsAlphabetic}+$", "éa"));
        assert!(m(r"^\p{L}\P{N}$", "éx"));
        assert!(!m(r"^\p{L}\P{N}$", "é3"));
        assert!(m(r"^(\p{LD}|\p{Punct}| )+$", "a1 !"));
    }

    #[test]
    fn possessive_and_lazy() {
        assert!(m(r"^a*+b$", "aab"));
        assert!(m(r"^a+?b$", "aab"));
        assert!(m(r"^a{1,3}+b$", "aab"));
    }

    #[test]
    fn fallback_for_lookaround_and_backrefs() {
        let p = r"^(?!.*--)[a-z-]+$";
        assert_eq!(classify(p), Ok(Engine::Fallback));
        assert!(m(p, "a-b"));
        assert!(!m(p, "a--b"));
        let b = r"^(?!.*?(.)\1{3})[a-z]*$";
        assert!(m(b, "aaab"));
        assert!(!m(b, "aaaab"));
        assert_eq!(classify(r"(?<=x)y"), Ok(Engine::Fallback));
    }

    #[test]
    fn quantified_lookahead() {
        let p = r"^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$";
        assert!(m(p, "/a/b"));
        assert!(!m(p, "/.a"));
        // A zero-minimum quantifier makes the assertion vacuous.
        assert!(m(r"^(?!a)*a$", "a"));
    }

    #[test]
    fn huge_counts_are_relaxed() {
        let c = compile(r"^.{1,100000}$").expect("relaxed");
        assert!(!c.is_exact());
        assert!(c.is_match("abc"));
        assert!(!c.is_match(""));
        assert!(!c.is_match("a\nb"));
        assert!(compile(r"^a{1,5}$").is_ok_and(|c| c.is_exact()));
    }

    #[test]
    fn inline_flags() {
        assert!(m(r"(?i)^all$", "ALL"));
        assert!(m(r"(?s)^.+$", "a\nb"));
        assert!(m(r"^(?!(?i)AWS_)[A-Z_]+$", "FOO"));
        assert!(!m(r"^(?!(?i)AWS_)[A-Za-z_]+$", "aws_x"));
    }

    #[test]
    fn unenforceable_is_an_error() {
        assert!(compile(r"[z-a]").is_err());
        assert!(compile(r"abc\").is_err());
        assert!(compile(r"[abc").is_err());
        assert!(compile(r"\p{NoSuchProperty}").is_err());
    }
}
