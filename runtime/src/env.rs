//! The environment variables credentials, region and profile lookups read.
//!
//! [`Env::real`] reads the process environment at each lookup;
//! [`Env::from_vars`] is a fixed set, so tests and embedders can describe an
//! environment without touching the process's (which is shared by every
//! thread and `unsafe` to change).

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where variables come from: the process environment or a fixed map.
#[derive(Clone, Default)]
pub struct Env {
    /// `None`: the process environment.
    fixed: Option<Arc<HashMap<String, String>>>,
}

/// Values may be secrets (`AWS_SECRET_ACCESS_KEY`): only names are shown.
impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Env(process)"),
            Some(vars) => {
                let mut names: Vec<&str> = vars.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_tuple("Env").field(&names).finish()
            }
        }
    }
}

impl Env {
    /// The process environment.
    pub fn real() -> Env {
        Env { fixed: None }
    }

    /// A fixed environment holding only these variables.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Env {
        Env {
            fixed: Some(Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
        }
    }

    /// The variable's value; unset, empty and all-blank values are `None`
    /// (the SDKs treat `AWS_PROFILE=` as unset).
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            None => std::env::var(name).ok(),
            Some(vars) => vars.get(name).cloned(),
        };
        value.filter(|v| !v.trim().is_empty())
    }

    /// A boolean setting: `true`/`false` in any case; anything else is an
    /// error naming the variable.
    pub fn get_bool(&self, name: &str) -> Result<Option<bool>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => parse_bool(&v)
                .map(Some)
                .ok_or_else(|| format!("{name} must be true or false, not {v:?}")),
        }
    }

    /// The user's home directory: `HOME`, else `USERPROFILE`, else
    /// `HOMEDRIVE` + `HOMEPATH` (Windows).
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = self.get("HOME").or_else(|| self.get("USERPROFILE")) {
            return Some(PathBuf::from(home));
        }
        match (self.get("HOMEDRIVE"), self.get("HOMEPATH")) {
            (Some(drive), Some(path)) => Some(PathBuf::from(format!("{drive}{path}"))),
            _ => None,
        }
    }

    /// `path` with a leading `~` (alone or before a separator) replaced by
    /// the home directory, as the SDKs expand `AWS_CONFIG_FILE=~/x`.
    pub fn expand_home(&self, path: &str) -> PathBuf {
        let rest = match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with(['/', '\\']) => rest,
            _ => return PathBuf::from(path),
        };
        match self.home_dir() {
            Some(home) => {
                let rest = rest.trim_start_matches(['/', '\\']);
                if rest.is_empty() {
                    home
                } else {
                    home.join(rest)
                }
            }
            None => PathBuf::from(path),
        }
    }
}

/// `true`/`false`, case-insensitive, surrounding blanks ignored.
pub fn parse_bool(v: &str) -> Option<bool> {
    let v = v.trim();
    if v.eq_ignore_ascii_case("true") {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_values_blank_is_unset_and_debug_hides_values() {
        let env = Env::from_vars([("A", "1"), ("B", "  "), ("AWS_SECRET_ACCESS_KEY", "hush")]);
        assert_eq!(env.get("A").as_deref(), Some("1"));
        assert_eq!(env.get("B"), None);
        assert_eq!(env.get("C"), None);
        let text = format!("{env:?}");
        assert!(
            text.contains("AWS_SECRET_ACCESS_KEY") && !text.contains("hush"),
            "{text}"
        );
    }

    #[test]
    fn booleans_and_home_expansion() {
        let env = Env::from_vars([("T", "TRUE"), ("F", "false"), ("X", "yes"), ("HOME", "/h")]);
        assert_eq!(env.get_bool("T"), Ok(Some(true)));
        assert_eq!(env.get_bool("F"), Ok(Some(false)));
        assert_eq!(env.get_bool("NONE"), Ok(None));
        assert!(
            env.get_bool("X")
                .unwrap_err()
                .contains("X must be true or false")
        );
        assert_eq!(
            env.expand_home("~/.aws/config"),
            PathBuf::from("/h/.aws/config")
        );
        assert_eq!(env.expand_home("~"), PathBuf::from("/h"));
        assert_eq!(env.expand_home("~user/x"), PathBuf::from("~user/x"));
        assert_eq!(env.expand_home("/abs"), PathBuf::from("/abs"));
        let windows = Env::from_vars([("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\me")]);
        assert_eq!(windows.home_dir(), Some(PathBuf::from("C:\\Users\\me")));
        assert_eq!(Env::from_vars::<&str, &str>([]).home_dir(), None);
    }
}
