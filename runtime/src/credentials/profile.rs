//! Credentials from the INI profile file that tccli and the official SDKs share,
//! `~/.tencentcloud/credentials`:
//!
//! ```ini
//! [default]
//! secret_id = AKIDEXAMPLE
//! secret_key = SECRETEXAMPLE
//! # token = ... (only for temporary credentials)
//! ```
//!
//! The INI reader is a few lines on purpose: sections, `key = value` pairs, `#` and `;` comment
//! lines. Its errors give a line number but never the line, which may hold a secret.

use std::path::{Path, PathBuf};

use super::env::Vars;
use super::{check_value, Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// Chooses the profile (section) to read; `default` when unset or empty.
pub const ENV_PROFILE: &str = "TENCENTCLOUD_PROFILE";
/// The profile read when `TENCENTCLOUD_PROFILE` is not set.
pub const DEFAULT_PROFILE: &str = "default";

/// The profile file's place under the home directory.
const FILE_UNDER_HOME: &str = ".tencentcloud/credentials";
/// The system-wide file the official SDKs fall back to.
#[cfg(unix)]
const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";

/// Reads `secret_id`, `secret_key` and optionally `token` from one profile of the profile file.
///
/// [`ProfileProvider::new`] looks at `~/.tencentcloud/credentials`, then (on Unix)
/// `/etc/tencentcloud/credentials`, like the official SDKs, and reads the profile named by
/// `TENCENTCLOUD_PROFILE` (`default` when unset or empty). No file at all means "not found";
/// a file without the profile, a profile without a key, a malformed line or a bad value is an
/// error naming the file, profile and key. The file is read each time credentials are asked for.
#[derive(Clone, Debug)]
pub struct ProfileProvider {
    /// Files to try, first existing one wins.
    paths: Vec<PathBuf>,
    profile: String,
}

impl ProfileProvider {
    /// The files the official SDKs read, with the profile chosen by `TENCENTCLOUD_PROFILE`,
    /// both taken from the process environment.
    pub fn new() -> Self {
        let mut provider = ProfileProvider::from_vars(&Vars::Process);
        #[cfg(unix)]
        provider.paths.push(PathBuf::from(SYSTEM_FILE));
        provider
    }

    /// `.tencentcloud/credentials` under `home`, and the given profile (`default` when `None`).
    pub fn from_home(home: impl AsRef<Path>, profile: Option<&str>) -> Self {
        ProfileProvider::from_file(home.as_ref().join(FILE_UNDER_HOME), profile)
    }

    /// One given file and profile (`default` when `None`).
    pub fn from_file(path: impl Into<PathBuf>, profile: Option<&str>) -> Self {
        ProfileProvider {
            paths: vec![path.into()],
            profile: profile_name(profile.map(str::to_owned)),
        }
    }

    /// The file under the home directory named by `HOME` (`USERPROFILE` on Windows) and the
    /// profile named by `TENCENTCLOUD_PROFILE`, both read from `vars`.
    pub(crate) fn from_vars(vars: &Vars) -> Self {
        let home = vars
            .get("HOME")
            .or_else(|| if cfg!(windows) { vars.get("USERPROFILE") } else { None });
        let paths = home
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(FILE_UNDER_HOME))
            .into_iter()
            .collect();
        let profile = vars.get(ENV_PROFILE).map(|p| p.to_string_lossy().into_owned());
        ProfileProvider {
            paths,
            profile: profile_name(profile),
        }
    }

    /// The profile this provider reads.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// Reads the credentials now.
    pub fn read(&self) -> Result<Credentials, CredentialsError> {
        for path in &self.paths {
            match std::fs::read_to_string(path) {
                Ok(text) => return credentials_from_ini(path, &text, &self.profile),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(error) => {
                    return Err(CredentialsError::ProfileUnreadable {
                        path: path.clone(),
                        error,
                    })
                }
            }
        }
        let tried = if self.paths.is_empty() {
            format!("no home directory (HOME is not set) to find ~/{FILE_UNDER_HOME} in")
        } else {
            let names: Vec<String> = self.paths.iter().map(|p| p.display().to_string()).collect();
            format!("no credentials profile file at {}", names.join(" or "))
        };
        Err(CredentialsError::NotFound { tried })
    }
}

impl Default for ProfileProvider {
    fn default() -> Self {
        ProfileProvider::new()
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.read()))
    }
}

fn profile_name(name: Option<String>) -> String {
    name.filter(|n| !n.is_empty())
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned())
}

/// Picks one profile's credentials out of the file's text.
fn credentials_from_ini(path: &Path, text: &str, profile: &str) -> Result<Credentials, CredentialsError> {
    let syntax = |(line, problem)| CredentialsError::ProfileSyntax {
        path: path.to_owned(),
        line,
        problem,
    };
    let ini = Ini::parse(text).map_err(syntax)?;
    if !ini.has_section(profile) {
        return Err(CredentialsError::ProfileMissing {
            path: path.to_owned(),
            profile: profile.to_owned(),
        });
    }
    let get = |key: &'static str, required: bool| -> Result<Option<String>, CredentialsError> {
        match ini.get(profile, key).map_err(syntax)? {
            Some(value) => {
                let origin = format!(
                    "credentials profile file {}, profile [{profile}], key {key}",
                    path.display()
                );
                check_value(key, value, &origin)?;
                Ok(Some(value.to_owned()))
            }
            None if required => Err(CredentialsError::ProfileKeyMissing {
                path: path.to_owned(),
                profile: profile.to_owned(),
                key,
            }),
            None => Ok(None),
        }
    };
    let id = get("secret_id", true)?.unwrap_or_default();
    let key = get("secret_key", true)?.unwrap_or_default();
    let credentials = Credentials::new(id, key);
    Ok(match get("token", false)? {
        Some(token) => credentials.with_session_token(token),
        None => credentials,
    })
}

/// A parsed INI file. Deliberately not `Debug`: values are secrets.
struct Ini<'a> {
    sections: Vec<&'a str>,
    entries: Vec<Entry<'a>>,
}

struct Entry<'a> {
    section: &'a str,
    key: &'a str,
    value: &'a str,
    line: usize,
}

/// A line number and what is wrong with that line.
type SyntaxError = (usize, &'static str);

impl<'a> Ini<'a> {
    fn parse(text: &'a str) -> Result<Self, SyntaxError> {
        let mut ini = Ini {
            sections: Vec::new(),
            entries: Vec::new(),
        };
        let mut section = None;
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if let Some(header) = trimmed.strip_prefix('[') {
                let name = header
                    .strip_suffix(']')
                    .ok_or((line, "section header has no closing `]`"))?
                    .trim();
                ini.sections.push(name);
                section = Some(name);
                continue;
            }
            let (key, value) = trimmed
                .split_once('=')
                .ok_or((line, "expected `key = value`, a `[section]` or a comment"))?;
            let section = section.ok_or((line, "`key = value` before any `[section]`"))?;
            ini.entries.push(Entry {
                section,
                key: key.trim(),
                value: unquote(value.trim()),
                line,
            });
        }
        Ok(ini)
    }

    fn has_section(&self, name: &str) -> bool {
        self.sections.contains(&name)
    }

    /// The value of `key` (case-insensitive) in `section`; a key given twice is an error
    /// rather than a guess.
    fn get(&self, section: &str, key: &str) -> Result<Option<&'a str>, SyntaxError> {
        let mut found = self
            .entries
            .iter()
            .filter(|e| e.section == section && e.key.eq_ignore_ascii_case(key));
        let first = found.next();
        if let Some(second) = found.next() {
            return Err((second.line, "key given twice in the same section"));
        }
        Ok(first.map(|e| e.value))
    }
}

/// Drops one pair of matching surrounding quotes, as in the SDKs' documented example
/// `secret_id = "AKID..."`.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempHome(PathBuf);

    impl TempHome {
        fn with_file(contents: &str) -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("tc-runtime-profile-{}-{n}", std::process::id()));
            std::fs::create_dir_all(dir.join(".tencentcloud")).unwrap();
            std::fs::write(dir.join(FILE_UNDER_HOME), contents).unwrap();
            TempHome(dir)
        }

        fn file(&self) -> PathBuf {
            self.0.join(FILE_UNDER_HOME)
        }
    }

    impl Drop for TempHome {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const FILE: &str = "\
# written by hand
[default]
secret_id = AKIDDEFAULT
secret_key=SECRETDEFAULT

; temporary credentials
[prod]
  SECRET_ID   =   \"AKIDPROD\"
secret_key = 'SECRETPROD'
token = TOKENPROD
";

    #[test]
    fn reads_the_default_profile_from_a_home_directory() {
        let home = TempHome::with_file(FILE);
        let c = ProfileProvider::from_home(&home.0, None).read().unwrap();
        assert_eq!(c.secret_id(), "AKIDDEFAULT");
        assert_eq!(&**c.secret_key(), "SECRETDEFAULT");
        assert_eq!(c.session_token(), None);
    }

    #[test]
    fn profile_is_chosen_by_the_variable_and_quotes_and_key_case_are_tolerated() {
        let home = TempHome::with_file(FILE);
        let vars = Vars::fixed([("HOME", home.0.as_os_str().to_owned()), (ENV_PROFILE, "prod".into())]);
        let provider = ProfileProvider::from_vars(&vars);
        assert_eq!(provider.profile(), "prod");
        let c = provider.read().unwrap();
        assert_eq!(c.secret_id(), "AKIDPROD");
        assert_eq!(&**c.secret_key(), "SECRETPROD");
        assert_eq!(c.session_token(), Some("TOKENPROD"));
    }

    #[test]
    fn empty_profile_variable_means_default() {
        let vars = Vars::fixed([("HOME", "/nonexistent"), (ENV_PROFILE, "")]);
        assert_eq!(ProfileProvider::from_vars(&vars).profile(), "default");
    }

    #[test]
    fn missing_file_or_home_is_not_found() {
        let err = ProfileProvider::from_home("/nonexistent-home", None)
            .read()
            .unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            "no credentials found: no credentials profile file at /nonexistent-home/.tencentcloud/credentials"
        );
        let err = ProfileProvider::from_vars(&Vars::fixed::<&str, &str>([]))
            .read()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "no credentials found: no home directory (HOME is not set) to find ~/.tencentcloud/credentials in"
        );
    }

    #[test]
    fn errors_name_file_profile_and_key_but_never_values() {
        let cases = [
            (FILE, Some("staging"), "has no [staging] section".to_owned()),
            (
                "[default]\nsecret_id = AKIDX\n",
                None,
                "profile [default] in FILE has no secret_key key".to_owned(),
            ),
            (
                "[default]\nsecret_id = AKIDX\nsecret_key = \n",
                None,
                "invalid secret_key from credentials profile file FILE, profile [default], key secret_key: is empty"
                    .to_owned(),
            ),
            (
                "[default]\nsecret_id = AKIDX\nsecret_key = \" SECRETPADDED\"\n",
                None,
                "key secret_key: has leading or trailing whitespace".to_owned(),
            ),
            (
                "[default]\nSECRETLINE\n",
                None,
                "FILE, line 2: expected `key = value`, a `[section]` or a comment".to_owned(),
            ),
            (
                "secret_key = SECRETX\n[default]\n",
                None,
                "line 1: `key = value` before any `[section]`".to_owned(),
            ),
            (
                "[default\n",
                None,
                "line 1: section header has no closing `]`".to_owned(),
            ),
            (
                "[default]\nsecret_id=a\nsecret_key=SECRETONE\nsecret_key=SECRETTWO\n",
                None,
                "line 4: key given twice in the same section".to_owned(),
            ),
        ];
        for (contents, profile, expected) in cases {
            let home = TempHome::with_file(contents);
            let err = ProfileProvider::from_home(&home.0, profile).read().unwrap_err();
            let text = err.to_string();
            let expected = expected.replace("FILE", &home.file().display().to_string());
            assert!(text.contains(&expected), "{text:?} should contain {expected:?}");
            assert!(!text.contains("SECRET"), "{text}");
            assert!(!err.is_not_found());
        }
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_file_is_an_error_not_a_fallthrough() {
        // A directory where the file should be cannot be read as text.
        let home = TempHome::with_file("");
        std::fs::remove_file(home.file()).unwrap();
        std::fs::create_dir(home.file()).unwrap();
        let err = ProfileProvider::from_home(&home.0, None).read().unwrap_err();
        assert!(matches!(err, CredentialsError::ProfileUnreadable { .. }), "{err:?}");
        assert!(err.to_string().starts_with("cannot read the credentials profile file "));
    }
}
