//! Credentials from the environment variables the official SDKs and tccli read.
//!
//! The variables are read through [`Vars`], which is either the process environment or a fixed
//! map, so tests (and embedders) can exercise this source without touching the process state.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::sync::Arc;

use super::{check_value, Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// Holds the secret id.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Holds the secret key.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Holds the session token of temporary credentials; optional.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// Another name for the session token, read when [`ENV_SESSION_TOKEN`] is not set.
pub const ENV_SECURITY_TOKEN: &str = "TENCENTCLOUD_SECURITY_TOKEN";
/// A third name for the session token, read when neither of the other two is set.
pub const ENV_TOKEN: &str = "TENCENTCLOUD_TOKEN";
/// The session-token variables, in the order they are looked at: the first one set is used.
pub const ENV_TOKEN_VARIABLES: [&str; 3] = [ENV_SESSION_TOKEN, ENV_SECURITY_TOKEN, ENV_TOKEN];

/// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and, if set, the session token
/// from the first of `TENCENTCLOUD_SESSION_TOKEN`, `TENCENTCLOUD_SECURITY_TOKEN` and
/// `TENCENTCLOUD_TOKEN` that is set (the names seen in the ecosystem).
///
/// Neither id nor key set means "not found" (the default chain then tries the profile file). Only
/// one of them set, or a set variable whose value is empty, padded with whitespace or not
/// UTF-8, is an error naming the variable. The variables are read each time credentials are
/// asked for.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    vars: Vars,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        EnvironmentProvider::default()
    }

    /// Reads the given variables instead of the process environment, for tests and embedders.
    pub fn from_vars<K: Into<String>, V: Into<OsString>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        EnvironmentProvider {
            vars: Vars::fixed(vars),
        }
    }

    pub(crate) fn with_vars(vars: Vars) -> Self {
        EnvironmentProvider { vars }
    }

    /// Reads the credentials now.
    pub fn read(&self) -> Result<Credentials, CredentialsError> {
        let id = self.vars.get(ENV_SECRET_ID);
        let key = self.vars.get(ENV_SECRET_KEY);
        let (id, key) = match (id, key) {
            (Some(id), Some(key)) => (id, key),
            (None, None) => {
                return Err(CredentialsError::NotFound {
                    tried: format!("environment variables {ENV_SECRET_ID} and {ENV_SECRET_KEY} are not set"),
                })
            }
            (Some(_), None) => {
                return Err(CredentialsError::IncompleteEnvironment {
                    set: ENV_SECRET_ID,
                    missing: ENV_SECRET_KEY,
                })
            }
            (None, Some(_)) => {
                return Err(CredentialsError::IncompleteEnvironment {
                    set: ENV_SECRET_KEY,
                    missing: ENV_SECRET_ID,
                })
            }
        };
        let credentials = Credentials::new(
            value("secret_id", ENV_SECRET_ID, id)?,
            value("secret_key", ENV_SECRET_KEY, key)?,
        );
        let token = ENV_TOKEN_VARIABLES
            .iter()
            .find_map(|name| self.vars.get(name).map(|value| (*name, value)));
        match token {
            None => Ok(credentials),
            Some((name, token)) => Ok(credentials.with_session_token(value("session_token", name, token)?)),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(self.read()))
    }
}

/// Turns a variable's raw value into a checked string.
fn value(field: &'static str, variable: &'static str, raw: OsString) -> Result<String, CredentialsError> {
    let origin = format!("environment variable {variable}");
    let text = raw.into_string().map_err(|_| CredentialsError::InvalidValue {
        field,
        origin: origin.clone(),
        problem: "is not valid UTF-8",
    })?;
    check_value(field, &text, &origin)?;
    Ok(text)
}

/// Where environment variables are read from.
#[derive(Clone, Default)]
pub(crate) enum Vars {
    /// The process environment.
    #[default]
    Process,
    /// A fixed set of variables.
    Fixed(Arc<BTreeMap<String, OsString>>),
}

impl Vars {
    pub(crate) fn fixed<K: Into<String>, V: Into<OsString>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        Vars::Fixed(Arc::new(vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect()))
    }

    pub(crate) fn get(&self, name: &str) -> Option<OsString> {
        match self {
            Vars::Process => std::env::var_os(name),
            Vars::Fixed(map) => map.get(name).cloned(),
        }
    }
}

/// Names the variables but never shows their values.
impl fmt::Debug for Vars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Vars::Process => f.write_str("ProcessEnvironment"),
            Vars::Fixed(map) => f
                .debug_tuple("FixedVariables")
                .field(&map.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(vars: &[(&str, &str)]) -> EnvironmentProvider {
        EnvironmentProvider::from_vars(vars.iter().map(|(k, v)| (*k, *v)))
    }

    #[test]
    fn reads_id_key_and_optional_token() {
        let c = provider(&[(ENV_SECRET_ID, "AKIDEXAMPLE"), (ENV_SECRET_KEY, "SECRETEXAMPLE")])
            .read()
            .unwrap();
        assert_eq!(c.secret_id(), "AKIDEXAMPLE");
        assert_eq!(&**c.secret_key(), "SECRETEXAMPLE");
        assert_eq!(c.session_token(), None);

        let c = provider(&[
            (ENV_SECRET_ID, "AKIDEXAMPLE"),
            (ENV_SECRET_KEY, "SECRETEXAMPLE"),
            (ENV_SESSION_TOKEN, "TOK"),
        ])
        .read()
        .unwrap();
        assert_eq!(c.session_token(), Some("TOK"));
    }

    #[test]
    fn every_token_variable_is_read_the_first_set_one_winning() {
        let base = [(ENV_SECRET_ID, "AKIDEXAMPLE"), (ENV_SECRET_KEY, "SECRETEXAMPLE")];
        for name in [ENV_SECURITY_TOKEN, ENV_TOKEN] {
            let vars: Vec<_> = base.iter().copied().chain([(name, "TOK")]).collect();
            assert_eq!(provider(&vars).read().unwrap().session_token(), Some("TOK"), "{name}");
        }
        let vars: Vec<_> = base
            .iter()
            .copied()
            .chain([
                (ENV_TOKEN, "THIRD"),
                (ENV_SECURITY_TOKEN, "SECOND"),
                (ENV_SESSION_TOKEN, "FIRST"),
            ])
            .collect();
        assert_eq!(provider(&vars).read().unwrap().session_token(), Some("FIRST"));
        let vars: Vec<_> = base.iter().copied().chain([(ENV_TOKEN, " padded")]).collect();
        assert_eq!(
            provider(&vars).read().unwrap_err().to_string(),
            "invalid session_token from environment variable TENCENTCLOUD_TOKEN: has leading or trailing whitespace"
        );
    }

    #[test]
    fn nothing_set_is_not_found() {
        let err = provider(&[("HOME", "/home/x")]).read().unwrap_err();
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            "no credentials found: environment variables TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set"
        );
    }

    #[test]
    fn half_set_is_an_error_naming_both_variables() {
        let err = provider(&[(ENV_SECRET_ID, "AKIDEXAMPLE")]).read().unwrap_err();
        assert_eq!(
            err.to_string(),
            "incomplete credentials in the environment: TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not"
        );
        let err = provider(&[(ENV_SECRET_KEY, "SECRETEXAMPLE")]).read().unwrap_err();
        assert_eq!(
            err.to_string(),
            "incomplete credentials in the environment: TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not"
        );
    }

    #[test]
    fn bad_values_are_rejected_naming_the_variable_not_the_value() {
        let cases = [
            (
                [(ENV_SECRET_ID, ""), (ENV_SECRET_KEY, "SECRETEXAMPLE"), ("X", "")],
                "invalid secret_id from environment variable TENCENTCLOUD_SECRET_ID: is empty",
            ),
            (
                [(ENV_SECRET_ID, "AKIDEXAMPLE"), (ENV_SECRET_KEY, " SECRETEXAMPLE"), ("X", "")],
                "invalid secret_key from environment variable TENCENTCLOUD_SECRET_KEY: has leading or trailing whitespace",
            ),
            (
                [(ENV_SECRET_ID, "AKIDEXAMPLE"), (ENV_SECRET_KEY, "SECRETEXAMPLE"), (ENV_SESSION_TOKEN, "TOKEN\n")],
                "invalid session_token from environment variable TENCENTCLOUD_SESSION_TOKEN: has leading or trailing whitespace",
            ),
        ];
        for (vars, expected) in cases {
            let err = provider(&vars).read().unwrap_err();
            let text = err.to_string();
            assert_eq!(text, expected);
            assert!(!text.contains("SECRETEXAMPLE") && !text.contains("TOKEN\n"));
        }
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_values_are_rejected() {
        use std::os::unix::ffi::OsStringExt;
        let p = EnvironmentProvider::from_vars([
            (ENV_SECRET_ID, OsString::from("AKIDEXAMPLE")),
            (ENV_SECRET_KEY, OsString::from_vec(vec![0xff, 0xfe])),
        ]);
        assert_eq!(
            p.read().unwrap_err().to_string(),
            "invalid secret_key from environment variable TENCENTCLOUD_SECRET_KEY: is not valid UTF-8"
        );
    }

    #[test]
    fn debug_names_variables_without_values() {
        let p = provider(&[(ENV_SECRET_ID, "AKIDEXAMPLE"), (ENV_SECRET_KEY, "SECRETEXAMPLE")]);
        assert_eq!(
            format!("{p:?}"),
            r#"EnvironmentProvider { vars: FixedVariables(["TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"]) }"#
        );
        assert_eq!(
            format!("{:?}", EnvironmentProvider::new()),
            "EnvironmentProvider { vars: ProcessEnvironment }"
        );
    }

    #[tokio::test]
    async fn provides_through_the_trait() {
        let p = provider(&[(ENV_SECRET_ID, "AKIDEXAMPLE"), (ENV_SECRET_KEY, "SECRETEXAMPLE")]);
        assert_eq!(p.provide_credentials().await.unwrap().secret_id(), "AKIDEXAMPLE");
    }
}
