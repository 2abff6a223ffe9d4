//! The shared `config` and `credentials` files (`~/.aws/config`,
//! `~/.aws/credentials`) as the AWS SDKs and CLI read them.
//!
//! # Reading a setting (the stable API for other settings)
//!
//! ```no_run
//! use botogen_runtime::env::Env;
//! use botogen_runtime::profile::ProfileSet;
//!
//! // The selected profile's `use_fips_endpoint`, from the files the
//! // environment names:
//! let fips = botogen_runtime::profile::selected_value("use_fips_endpoint")?;
//! // Or load once and read several keys, including nested ones
//! // (`s3 =` followed by indented `addressing_style = path`):
//! let set = ProfileSet::load(&Env::real())?;
//! if let Some(profile) = set.selected() {
//!     let bundle = profile.get("ca_bundle");
//!     let style = profile.sub_value("s3", "addressing_style");
//! }
//! # Ok::<(), botogen_runtime::profile::ProfileError>(())
//! ```
//!
//! Keys are case-insensitive (stored lower-case); values are trimmed, and an
//! empty value (`region =`) reads as `Some("")`.
//!
//! # Which files and which profile
//!
//! - config file: `AWS_CONFIG_FILE`, else `~/.aws/config`;
//! - credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`;
//! - profile: `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`.
//!
//! A missing file is an empty one. A leading `~` in a path is the home
//! directory (`HOME`, else `USERPROFILE`).
//!
//! # Format
//!
//! The SDKs' shared file format:
//! - config file sections are `[default]`, `[profile NAME]`,
//!   `[sso-session NAME]` and `[services NAME]`; `[profile default]` wins
//!   over `[default]`; any other section (such as `[NAME]` without
//!   `profile`) is ignored;
//! - credentials file sections are `[NAME]`; `[profile NAME]` is ignored there;
//! - a profile in both files is merged, the credentials file winning per key;
//!   a section repeated in one file is merged too, the last value winning;
//! - `key = value` lines; `#` and `;` start comment lines, and also end a
//!   value when a blank precedes them (`region = us-east-1 # home`);
//! - an indented line continues the previous value; after a key with an
//!   empty value (`s3 =`) indented lines are `key = value` sub-settings;
//! - profile, section and key names use letters, digits and `-_/.%@:+`;
//!   a section or key with another character is ignored.
//!
//! Malformed lines (text before the first section, a line without `=`, an
//! unclosed `[`, a key without a name, a stray indented line) are errors
//! naming the file and line.

use crate::env::Env;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A line in a profile file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: Arc<Path>,
    /// 1-based.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}", self.path.display(), self.line)
    }
}

/// A profile file that cannot be used: unreadable, or a malformed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// The file (and line) at fault.
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ProfileError {}

/// One `key = value` setting.
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    value: String,
    sub: BTreeMap<String, String>,
    location: Location,
}

impl Property {
    /// The value, trimmed; continuation lines are joined with `\n`.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// A nested setting (`s3 =` then indented `addressing_style = path`).
    pub fn sub(&self, key: &str) -> Option<&str> {
        self.sub.get(&key.to_ascii_lowercase()).map(String::as_str)
    }

    /// Every nested setting, sorted by key.
    pub fn sub_properties(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sub.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Where the key was set.
    pub fn location(&self) -> &Location {
        &self.location
    }
}

/// Values can be secrets (`aws_secret_access_key`): Debug shows where a key
/// is set, never its value.
impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Property")
            .field("location", &format_args!("{}", self.location))
            .field("sub_keys", &self.sub.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// A profile, `sso-session` or `services` section: its name and settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    name: String,
    location: Location,
    properties: BTreeMap<String, Property>,
}

/// A named profile (`[profile dev]`, `[dev]` in the credentials file).
pub type Profile = Section;

impl Section {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The first header line that defined the section.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// A setting's value (`key` in any case).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(Property::value)
    }

    /// A setting's value unless it is empty.
    pub fn get_nonempty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    /// A setting with its location and nested settings.
    pub fn property(&self, key: &str) -> Option<&Property> {
        match self.properties.get(key) {
            Some(p) => Some(p),
            None if key.bytes().any(|b| b.is_ascii_uppercase()) => {
                self.properties.get(&key.to_ascii_lowercase())
            }
            None => None,
        }
    }

    /// A nested setting: `sub_value("s3", "addressing_style")`.
    pub fn sub_value(&self, key: &str, sub_key: &str) -> Option<&str> {
        self.property(key)?.sub(sub_key)
    }

    /// The keys set in this section, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }

    /// `name` and where it is, for messages: `profile dev (~/.aws/config line 3)`.
    pub fn describe(&self, kind: &str) -> String {
        format!("{kind} {} ({})", self.name, self.location)
    }
}

/// The two files' paths; `None` means the file is not read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFiles {
    pub config: Option<PathBuf>,
    pub credentials: Option<PathBuf>,
}

impl ProfileFiles {
    /// `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, else the files in `~/.aws/`.
    pub fn from_env(env: &Env) -> ProfileFiles {
        let file = |var: &str, name: &str| match env.get(var) {
            Some(path) => Some(env.expand_home(&path)),
            None => env.home_dir().map(|h| h.join(".aws").join(name)),
        };
        ProfileFiles {
            config: file("AWS_CONFIG_FILE", "config"),
            credentials: file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        }
    }
}

/// The profile the environment selects: `AWS_PROFILE`, else
/// `AWS_DEFAULT_PROFILE`, else `default`.
pub fn selected_profile_name(env: &Env) -> String {
    env.get("AWS_PROFILE")
        .or_else(|| env.get("AWS_DEFAULT_PROFILE"))
        .map(|p| p.trim().to_owned())
        .unwrap_or_else(|| "default".to_owned())
}

/// The selected profile's value for `key`, read from the files the process
/// environment names (`None` if the profile or the key is absent). Parses
/// the files at each call; load a [`ProfileSet`] to read several keys.
pub fn selected_value(key: &str) -> Result<Option<String>, ProfileError> {
    let set = ProfileSet::load(&Env::real())?;
    Ok(set.selected().and_then(|p| p.get(key)).map(str::to_owned))
}

/// A section the parser skipped, kept to explain a missing profile.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ignored {
    location: Location,
    header: String,
    reason: &'static str,
}

/// Both files parsed and merged, with the selected profile's name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    files: ProfileFiles,
    selected: String,
    profiles: BTreeMap<String, Section>,
    sso_sessions: BTreeMap<String, Section>,
    services: BTreeMap<String, Section>,
    ignored: Vec<Ignored>,
}

impl ProfileSet {
    /// The files and profile the environment names.
    pub fn load(env: &Env) -> Result<ProfileSet, ProfileError> {
        ProfileSet::load_files(&ProfileFiles::from_env(env), selected_profile_name(env))
    }

    /// These files; `selected` is the profile [`ProfileSet::selected`] returns.
    pub fn load_files(
        files: &ProfileFiles,
        selected: impl Into<String>,
    ) -> Result<ProfileSet, ProfileError> {
        let config = files.config.as_deref().map(read).transpose()?.flatten();
        let credentials = files
            .credentials
            .as_deref()
            .map(read)
            .transpose()?
            .flatten();
        let mut set = ProfileSet::parse(
            config.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
            credentials.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
            selected,
        )?;
        // Missing files are named in messages too.
        set.files = files.clone();
        Ok(set)
    }

    /// Parses file contents (`(path for messages, text)`) directly.
    pub fn parse(
        config: Option<(&Path, &str)>,
        credentials: Option<(&Path, &str)>,
        selected: impl Into<String>,
    ) -> Result<ProfileSet, ProfileError> {
        let mut set = ProfileSet {
            files: ProfileFiles {
                config: config.map(|(p, _)| p.to_path_buf()),
                credentials: credentials.map(|(p, _)| p.to_path_buf()),
            },
            selected: selected.into(),
            ..ProfileSet::default()
        };
        if let Some((path, text)) = config {
            let sections = parse_file(path, text)?;
            let has_prefixed_default = sections.iter().any(|s| s.header == "profile default");
            for raw in sections {
                set.add_config_section(raw, has_prefixed_default);
            }
        }
        if let Some((path, text)) = credentials {
            for raw in parse_file(path, text)? {
                set.add_credentials_section(raw);
            }
        }
        Ok(set)
    }

    /// The profile selected when the set was loaded.
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// The selected profile, if either file defines it.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// A profile by name.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Every profile, sorted by name.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }

    /// An `[sso-session NAME]` section of the config file.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// A `[services NAME]` section of the config file (per-service settings
    /// such as `endpoint_url`, as nested keys: `s3 =` / `  endpoint_url = ...`).
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// The files this set was read from.
    pub fn files(&self) -> &ProfileFiles {
        &self.files
    }

    /// Why `name` is not a profile: which files were read, and any section
    /// that looks like it but was ignored (`[dev]` in the config file).
    pub fn missing_profile_message(&self, name: &str) -> String {
        let shown = |p: &Option<PathBuf>| match p {
            Some(p) => p.display().to_string(),
            None => "(none)".to_owned(),
        };
        let mut message = format!(
            "profile {name} is not defined in the config file {} or the credentials file {}",
            shown(&self.files.config),
            shown(&self.files.credentials)
        );
        for ignored in &self.ignored {
            let words: Vec<&str> = ignored.header.split_whitespace().collect();
            if words.last() == Some(&name) {
                message.push_str(&format!(
                    "; [{}] at {} is ignored: {}",
                    ignored.header, ignored.location, ignored.reason
                ));
            }
        }
        message
    }

    fn add_config_section(&mut self, raw: RawSection, has_prefixed_default: bool) {
        let words: Vec<&str> = raw.header.split_whitespace().collect();
        let (map, name) = match words.as_slice() {
            ["default"] if has_prefixed_default => {
                return self.ignore(raw, "[profile default] in the same file takes precedence");
            }
            ["default"] => (Kind::Profile, "default"),
            ["profile", name] => (Kind::Profile, *name),
            ["sso-session", name] => (Kind::SsoSession, *name),
            ["services", name] => (Kind::Services, *name),
            [name] if valid_name(name) => {
                return self.ignore(
                    raw,
                    "profiles in the config file are written [profile NAME] (only [default] has no prefix)",
                );
            }
            _ => return self.ignore(raw, "not a profile, sso-session or services section"),
        };
        if !valid_name(name) {
            return self.ignore(
                raw,
                "the name has a character other than letters, digits and -_/.%@:+",
            );
        }
        let name = name.to_owned();
        self.merge(map, name, raw);
    }

    fn add_credentials_section(&mut self, raw: RawSection) {
        let words: Vec<&str> = raw.header.split_whitespace().collect();
        match words.as_slice() {
            ["profile", _] => self.ignore(
                raw,
                "profiles in the credentials file are written [NAME], without `profile`",
            ),
            [name] if valid_name(name) => {
                let name = (*name).to_owned();
                self.merge(Kind::Profile, name, raw);
            }
            _ => self.ignore(
                raw,
                "the name has a character other than letters, digits and -_/.%@:+",
            ),
        }
    }

    fn ignore(&mut self, raw: RawSection, reason: &'static str) {
        self.ignored.push(Ignored {
            location: raw.location,
            header: raw.header,
            reason,
        });
    }

    fn merge(&mut self, kind: Kind, name: String, raw: RawSection) {
        let map = match kind {
            Kind::Profile => &mut self.profiles,
            Kind::SsoSession => &mut self.sso_sessions,
            Kind::Services => &mut self.services,
        };
        let section = map.entry(name.clone()).or_insert_with(|| Section {
            name,
            location: raw.location.clone(),
            properties: BTreeMap::new(),
        });
        section.properties.extend(raw.properties);
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Profile,
    SsoSession,
    Services,
}

/// Letters, digits and `-_/.%@:+`: the SDKs' profile and key characters.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_/.%@:+".contains(&b))
}

/// `None` for a missing file; an unreadable or non-UTF-8 file is an error.
fn read(path: &Path) -> Result<Option<(PathBuf, String)>, ProfileError> {
    let error = |message: String| ProfileError {
        path: path.to_path_buf(),
        line: None,
        message,
    };
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some((path.to_path_buf(), text))),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                Err(ProfileError {
                    path: path.to_path_buf(),
                    line: Some(line),
                    message: "the file is not valid UTF-8".into(),
                })
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
            Err(error("is a directory, not a profile file".into()))
        }
        Err(e) => Err(error(format!("cannot read: {e}"))),
    }
}

/// A section as written, before it is classified.
struct RawSection {
    /// The text between the brackets, trimmed.
    header: String,
    location: Location,
    properties: Vec<(String, Property)>,
}

/// What an indented line continues.
enum Continues {
    Nothing,
    /// The last property of the current section (index); `nested` when its
    /// value was empty, so indented lines are sub-settings.
    Property {
        nested: bool,
    },
    /// A property with an invalid name: its continuation lines are dropped.
    Ignored,
}

fn parse_file(path: &Path, text: &str) -> Result<Vec<RawSection>, ProfileError> {
    let path: Arc<Path> = Arc::from(path);
    let mut sections: Vec<RawSection> = Vec::new();
    let mut continues = Continues::Nothing;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let error = |message: &str| ProfileError {
            path: path.to_path_buf(),
            line: Some(number),
            message: message.to_owned(),
        };
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        let location = Location {
            path: path.clone(),
            line: number,
        };
        if line.starts_with([' ', '\t']) {
            let Some(section) = sections.last_mut() else {
                return Err(error(
                    "expected a profile definition ([profile NAME]) before this indented line",
                ));
            };
            match continues {
                Continues::Nothing => {
                    return Err(error(
                        "expected a property definition (key = value), found an indented continuation line",
                    ));
                }
                Continues::Ignored => {}
                Continues::Property { nested } => {
                    let (_, property) = section
                        .properties
                        .last_mut()
                        .expect("a property precedes its continuation");
                    if nested {
                        let Some((key, value)) = trimmed.split_once('=') else {
                            return Err(error(
                                "expected an '=' sign defining a sub-property (key = value)",
                            ));
                        };
                        let key = key.trim();
                        if key.is_empty() {
                            return Err(error("sub-property did not have a name"));
                        }
                        property
                            .sub
                            .insert(key.to_ascii_lowercase(), strip_comment(value).to_owned());
                    }
                    property.value.push('\n');
                    property.value.push_str(trimmed);
                }
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            let Some((header, after)) = rest.split_once(']') else {
                return Err(error("profile definition must end with ']'"));
            };
            let after = after.trim_start();
            if !after.is_empty() && !after.starts_with(['#', ';']) {
                return Err(error(
                    "unexpected text after ']' (only a comment may follow)",
                ));
            }
            sections.push(RawSection {
                header: header.split_whitespace().collect::<Vec<_>>().join(" "),
                location,
                properties: Vec::new(),
            });
            continues = Continues::Nothing;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(error(
                "expected a profile definition ([profile NAME]) before the first property",
            ));
        };
        let Some((key, value)) = trimmed.split_once('=') else {
            return Err(error(
                "expected an '=' sign defining a property (key = value)",
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(error("property did not have a name"));
        }
        if !valid_name(key) {
            continues = Continues::Ignored;
            continue;
        }
        let value = strip_comment(value).to_owned();
        continues = Continues::Property {
            nested: value.is_empty(),
        };
        section.properties.push((
            key.to_ascii_lowercase(),
            Property {
                value,
                sub: BTreeMap::new(),
                location,
            },
        ));
    }
    Ok(sections)
}

/// The value without a trailing ` # comment` / ` ; comment` (a `#` or `;`
/// right after a character is part of the value), trimmed.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    let end = (1..bytes.len())
        .find(|&i| matches!(bytes[i], b'#' | b';') && matches!(bytes[i - 1], b' ' | b'\t'))
        .unwrap_or(bytes.len());
    let end = if matches!(bytes.first(), Some(b'#' | b';')) {
        0
    } else {
        end
    };
    value[..end].trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(config: &str, credentials: &str) -> Result<ProfileSet, ProfileError> {
        ProfileSet::parse(
            Some((Path::new("/cfg"), config)),
            Some((Path::new("/creds"), credentials)),
            "default",
        )
    }

    /// Every profile as `name: k=v, k=v` lines, for compact assertions.
    fn dump(set: &ProfileSet) -> Vec<String> {
        set.profiles()
            .map(|p| {
                let kv: Vec<String> = p
                    .keys()
                    .map(|k| format!("{k}={}", p.get(k).unwrap()))
                    .collect();
                format!("{}: {}", p.name(), kv.join(", "))
            })
            .collect()
    }

    #[track_caller]
    fn profiles(config: &str, credentials: &str) -> Vec<String> {
        dump(&parse(config, credentials).unwrap())
    }

    #[track_caller]
    fn error(config: &str) -> String {
        parse(config, "").unwrap_err().to_string()
    }

    #[test]
    fn sections_and_names() {
        assert!(profiles("", "").is_empty());
        assert_eq!(profiles("[profile foo]", ""), ["foo: "]);
        assert_eq!(profiles("[default]\nregion = x", ""), ["default: region=x"]);
        // Trimmed names, tabs after the prefix, odd but valid characters.
        assert_eq!(
            profiles("[profile \tfoo \t]\n[profile\tbar]", ""),
            ["bar: ", "foo: "]
        );
        assert_eq!(profiles("[   profile   baz   ]", ""), ["baz: "]);
        assert_eq!(
            profiles("[profile a-b:c/d_e%f.g@h+]", ""),
            ["a-b:c/d_e%f.g@h+: "]
        );
        // Invalid names, missing prefixes and unknown sections are ignored.
        assert!(profiles("[profile in valid]\nx = 1\n[profile foo!bar]\n[foo]\n[profilefoo]\n[preview]\ny = 2", "").is_empty());
        // The credentials file has no prefix; a prefixed section there is ignored.
        assert_eq!(
            profiles("", "[foo]\na = 1\n[profile bar]\nb = 2\n[ sso-sessionx ]"),
            ["foo: a=1", "sso-sessionx: "]
        );
    }

    #[test]
    fn values_comments_and_continuations() {
        let text = "# leading comment\n; another\n[profile foo] # trailing\n\
                    a = value # comment\nb = value ; comment\nc = value;kept\nd = value#kept\n\
                    e = val=ue\nF =\ng = multi\n  line\n\tmore # kept\nh = \u{1F600}\n";
        assert_eq!(
            profiles(text, ""),
            [
                "foo: a=value, b=value, c=value;kept, d=value#kept, e=val=ue, f=, g=multi\nline\nmore # kept, h=\u{1F600}"
            ]
        );
        assert_eq!(
            profiles("[profile foo]\r\nname = value\r\n", ""),
            ["foo: name=value"]
        );
        // Blank lines anywhere; the last duplicate wins, keys case-insensitive.
        assert_eq!(
            profiles(
                "\n \t\n[profile foo]\n\nName = 1\nname = 2\n\t\n[profile foo]\nNAME = 3\nx = 4",
                ""
            ),
            ["foo: name=3, x=4"]
        );
        // A key with an invalid name is dropped with its continuation lines.
        assert_eq!(
            profiles("[profile foo]\nin valid = 1\n  more\nok = 2", ""),
            ["foo: ok=2"]
        );
    }

    #[test]
    fn nested_settings() {
        let set = parse(
            "[profile foo]\ns3 =\n  addressing_style = path\n\n  Max_Concurrent_Requests = 4 # c\n  in valid = kept\nregion = r\n",
            "",
        )
        .unwrap();
        let foo = set.get("foo").unwrap();
        assert_eq!(foo.sub_value("s3", "addressing_style"), Some("path"));
        assert_eq!(foo.sub_value("S3", "max_concurrent_requests"), Some("4"));
        assert_eq!(foo.sub_value("s3", "in valid"), Some("kept"));
        assert_eq!(foo.sub_value("s3", "nope"), None);
        assert_eq!(foo.get("region"), Some("r"));
        assert_eq!(
            foo.get("s3"),
            Some("\naddressing_style = path\nMax_Concurrent_Requests = 4 # c\nin valid = kept")
        );
        assert_eq!(foo.property("s3").unwrap().sub_properties().count(), 3);
    }

    #[test]
    fn merging_and_default_precedence() {
        // [profile default] beats [default] in the config file, wherever it is.
        assert_eq!(
            profiles(
                "[profile default]\na = 1\n[default]\nb = 2\n[profile default]\nc = 3",
                ""
            ),
            ["default: a=1, c=3"]
        );
        assert_eq!(
            profiles("[default]\nb = 2\n[profile default]\na = 1", ""),
            ["default: a=1"]
        );
        // Both files merge; the credentials file wins per key.
        assert_eq!(
            profiles(
                "[profile foo]\na = config\nb = config\n[default]\nx = 1",
                "[foo]\nb = creds\n[default]\ny = 2"
            ),
            ["default: x=1, y=2", "foo: a=config, b=creds"]
        );
        let set = parse("[profile foo]\na = 1", "[foo]\na = 2").unwrap();
        assert_eq!(
            set.get("foo")
                .unwrap()
                .property("a")
                .unwrap()
                .location()
                .to_string(),
            "/creds line 2"
        );
    }

    #[test]
    fn sso_sessions_and_services() {
        let set = parse(
            "[sso-session corp]\nsso_region = us-east-1\n[sso-sesion typo]\n[services local]\ns3 =\n  endpoint_url = http://localhost:9000\n[profile dev]\nsso_session = corp\nservices = local",
            "[sso-session x]",
        )
        .unwrap();
        assert_eq!(
            set.sso_session("corp").unwrap().get("sso_region"),
            Some("us-east-1")
        );
        assert!(set.sso_session("typo").is_none());
        assert_eq!(
            set.services("local")
                .unwrap()
                .sub_value("s3", "endpoint_url"),
            Some("http://localhost:9000")
        );
        // In the credentials file `[sso-session x]` is neither (a space: invalid profile name).
        assert!(set.sso_session("x").is_none() && set.get("sso-session x").is_none());
        assert_eq!(dump(&set), ["dev: services=local, sso_session=corp"]);
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        assert_eq!(
            error("name = value"),
            "/cfg line 1: expected a profile definition ([profile NAME]) before the first property"
        );
        assert_eq!(
            error("\n[profile foo"),
            "/cfg line 2: profile definition must end with ']'"
        );
        assert_eq!(
            error("[profile foo] junk"),
            "/cfg line 1: unexpected text after ']' (only a comment may follow)"
        );
        assert_eq!(
            error("[profile foo]\n= value"),
            "/cfg line 2: property did not have a name"
        );
        assert_eq!(
            error("[profile foo]\nkey : value"),
            "/cfg line 2: expected an '=' sign defining a property (key = value)"
        );
        assert_eq!(
            error(" -continued"),
            "/cfg line 1: expected a profile definition ([profile NAME]) before this indented line"
        );
        assert_eq!(
            error("[profile foo]\n -continued"),
            "/cfg line 2: expected a property definition (key = value), found an indented continuation line"
        );
        // A new section resets continuation.
        assert!(
            error("[profile foo]\na = b\n[profile foo]\n -continued")
                .starts_with("/cfg line 4: expected a property definition")
        );
        assert_eq!(
            error("[profile foo]\ns3 =\n invalid"),
            "/cfg line 3: expected an '=' sign defining a sub-property (key = value)"
        );
        assert_eq!(
            error("[profile foo]\ns3 =\n = value"),
            "/cfg line 3: sub-property did not have a name"
        );
        let creds =
            ProfileSet::parse(None, Some((Path::new("/creds"), "[a]\nb\n")), "a").unwrap_err();
        assert_eq!(
            creds.to_string(),
            "/creds line 2: expected an '=' sign defining a property (key = value)"
        );
    }

    #[test]
    fn files_from_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join(".aws")).unwrap();
        std::fs::write(
            home.join(".aws/config"),
            "[profile dev]\nregion = eu-west-1\n[dev]\n",
        )
        .unwrap();
        std::fs::write(
            home.join(".aws/credentials"),
            "[dev]\naws_access_key_id = AKID\n",
        )
        .unwrap();
        let env = Env::from_vars([("HOME", home.to_str().unwrap()), ("AWS_PROFILE", "dev")]);
        let set = ProfileSet::load(&env).unwrap();
        assert_eq!(set.selected_name(), "dev");
        let dev = set.selected().unwrap();
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        assert_eq!(dev.get("aws_access_key_id"), Some("AKID"));
        assert!(dev.describe("profile").starts_with("profile dev ("));
        // Debug shows where a key is, not its value.
        assert!(!format!("{set:?}").contains("AKID"));

        // Explicit paths (with ~) and AWS_DEFAULT_PROFILE; missing files are empty.
        std::fs::write(dir.path().join("other"), "[profile x]\nregion = r\n[x]\n").unwrap();
        let env = Env::from_vars([
            ("HOME", dir.path().to_str().unwrap()),
            ("AWS_CONFIG_FILE", "~/other"),
            ("AWS_SHARED_CREDENTIALS_FILE", "~/missing"),
            ("AWS_DEFAULT_PROFILE", "x"),
        ]);
        let set = ProfileSet::load(&env).unwrap();
        assert_eq!(set.selected().unwrap().get("region"), Some("r"));
        let message = set.missing_profile_message("dev");
        assert!(
            message.contains("other") && message.contains("missing"),
            "{message}"
        );
        // The ignored `[x]` in the config file is pointed out when x is looked up.
        let hint = set.missing_profile_message("x");
        assert!(
            hint.contains("[x] at ")
                && hint.contains(
                    "line 3 is ignored: profiles in the config file are written [profile NAME]"
                ),
            "{hint}"
        );

        // Unreadable and non-UTF-8 files are errors naming the file.
        std::fs::write(dir.path().join("bad"), b"[profile a]\nx = \xff\n").unwrap();
        let files = ProfileFiles {
            config: Some(dir.path().join("bad")),
            credentials: None,
        };
        let e = ProfileSet::load_files(&files, "a").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            e.to_string()
                .ends_with("bad line 2: the file is not valid UTF-8"),
            "{e}"
        );
        let files = ProfileFiles {
            config: Some(dir.path().to_path_buf()),
            credentials: None,
        };
        assert!(
            ProfileSet::load_files(&files, "a")
                .unwrap_err()
                .message
                .contains("directory")
        );
    }
}
