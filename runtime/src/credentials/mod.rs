//! The secret id and key a call is signed with, and the sources they come from.
//!
//! [`Credentials`] holds one key pair (and an optional session token) and never prints the
//! secret parts. [`ProvideCredentials`] is the seam for sources: explicit values, the
//! environment ([`EnvironmentProvider`]), the profile file ([`ProfileProvider`]), the default
//! chain of both ([`DefaultChain`]), or a caller's own rotating source. Every source checks its
//! values the same way ([`Credentials::check`]) and names the variable, file or key at fault in
//! its [`CredentialsError`], never the value.

mod chain;
mod env;
mod error;
mod profile;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use chain::DefaultChain;
pub use env::{EnvironmentProvider, ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN};
pub use error::CredentialsError;
pub use profile::{ProfileProvider, DEFAULT_PROFILE, ENV_PROFILE};

use crate::sensitive::Sensitive;

/// The future a [`ProvideCredentials`] implementation returns.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked once per request attempt.
///
/// Implement it to plug in credentials that rotate (temporary keys from STS, a secrets
/// manager): return the current credentials each time. The runtime caches the derived signing
/// key per secret key and day, so returning the same values again costs nothing. The
/// implementation's `Debug` is shown in the client's `Debug`, so it must not print secrets
/// (holding them as [`Credentials`] or [`Sensitive`] takes care of that).
///
/// ```
/// use tencentcloud_runtime::credentials::{CredentialsFuture, ProvideCredentials};
/// use tencentcloud_runtime::Credentials;
///
/// #[derive(Debug)]
/// struct Fixed;
///
/// impl ProvideCredentials for Fixed {
///     fn provide_credentials(&self) -> CredentialsFuture<'_> {
///         Box::pin(async { Ok(Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE")) })
///     }
/// }
/// ```
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials to sign the next request with.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// A secret id, secret key and optional session token.
///
/// `Debug` shows only the first and last four characters of a secret id that starts with `AKID`
/// and is at least twelve characters long (`AKID…MPLE`); any other id is not shown at all, so a
/// key passed as the id by mistake does not leak through it. The secret key and the token are
/// never shown. There is no `Display`.
///
/// ```
/// use tencentcloud_runtime::Credentials;
/// let c = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "secret").with_session_token("token");
/// assert_eq!(
///     format!("{c:?}"),
///     r#"Credentials { secret_id: "AKID…MPLE", secret_key: ** redacted **, session_token: Some(** redacted **) }"#
/// );
/// ```
#[derive(Clone)]
pub struct Credentials {
    secret_id: Arc<str>,
    secret_key: Sensitive<Arc<str>>,
    session_token: Option<Sensitive<Arc<str>>>,
}

impl Credentials {
    /// Long-term credentials: a secret id and its secret key.
    ///
    /// The values are checked (not empty, no surrounding whitespace, no control characters)
    /// when the client is built or, for a provider, when they are used; see [`Credentials::check`].
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credentials {
            secret_id: Arc::from(secret_id.into()),
            secret_key: Sensitive::new(Arc::from(secret_key.into())),
            session_token: None,
        }
    }

    /// Temporary credentials: a secret id, secret key and the session token that goes with them.
    pub fn with_token(secret_id: impl Into<String>, secret_key: impl Into<String>, token: impl Into<String>) -> Self {
        Credentials::new(secret_id, secret_key).with_session_token(token)
    }

    /// Adds the session token of temporary credentials, sent as `X-TC-Token`.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(Sensitive::new(Arc::from(token.into())));
        self
    }

    /// The secret id (not a secret: it names the key pair, like a user name).
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// Whether these are temporary credentials with a session token.
    pub fn has_session_token(&self) -> bool {
        self.session_token.is_some()
    }

    /// Checks every value: not empty, no leading or trailing whitespace, no control characters
    /// (which could not be sent in a header). `origin` names where the values came from and is
    /// put in the error, for example `"explicit credentials"`.
    pub fn check(&self, origin: &str) -> Result<(), CredentialsError> {
        check_value("secret_id", &self.secret_id, origin)?;
        check_value("secret_key", self.secret_key.expose_secret(), origin)?;
        if let Some(token) = &self.session_token {
            check_value("session_token", token.expose_secret(), origin)?;
        }
        Ok(())
    }

    pub(crate) fn secret_key(&self) -> &Arc<str> {
        self.secret_key.expose_secret()
    }

    pub(crate) fn session_token(&self) -> Option<&str> {
        self.session_token.as_ref().map(|t| &**t.expose_secret())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &MaskedId(&self.secret_id))
            .field("secret_key", &self.secret_key)
            .field("session_token", &self.session_token)
            .finish()
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

/// Prints a secret id as its first and last four characters, and only when it looks like one
/// (`AKID...`): a secret key passed as the id by mistake is not half shown.
struct MaskedId<'a>(&'a str);

impl fmt::Debug for MaskedId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 4;
        let count = self.0.chars().count();
        if count < 3 * SHOWN || !self.0.starts_with("AKID") {
            return f.write_str(crate::sensitive::REDACTED);
        }
        let head: String = self.0.chars().take(SHOWN).collect();
        let tail: String = self.0.chars().skip(count - SHOWN).collect();
        write!(f, "\"{head}…{tail}\"")
    }
}

/// Rejects a value that cannot be right: empty, padded with whitespace, or holding control
/// characters. The error names the field and its origin, never the value.
pub(crate) fn check_value(field: &'static str, value: &str, origin: &str) -> Result<(), CredentialsError> {
    let problem = if value.trim().is_empty() {
        "is empty"
    } else if value.trim() != value {
        "has leading or trailing whitespace"
    } else if value.chars().any(char::is_control) {
        "contains control characters"
    } else {
        return Ok(());
    };
    Err(CredentialsError::InvalidValue {
        field,
        origin: origin.to_owned(),
        problem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitive::REDACTED;

    #[test]
    fn debug_hides_key_and_token_and_masks_the_id() {
        let c = Credentials::with_token("AKIDEXAMPLE12345", "SECRETEXAMPLE", "TOKENEXAMPLE");
        let shown = format!("{c:?}");
        assert_eq!(
            shown,
            format!(
                "Credentials {{ secret_id: \"AKID…2345\", secret_key: {REDACTED}, session_token: Some({REDACTED}) }}"
            )
        );
        let pretty = format!("{c:#?}");
        assert!(
            !pretty.contains("SECRETEXAMPLE") && !pretty.contains("TOKENEXAMPLE"),
            "{pretty}"
        );
    }

    #[test]
    fn an_id_that_is_not_a_secret_id_is_not_shown_at_all() {
        // A secret key passed as the id by mistake: no part of it may show.
        let c = Credentials::new("b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=", "AKIDEXAMPLE12345");
        assert_eq!(
            format!("{c:?}"),
            format!("Credentials {{ secret_id: {REDACTED}, secret_key: {REDACTED}, session_token: None }}")
        );
    }

    #[test]
    fn short_ids_are_not_shown_at_all() {
        let c = Credentials::new("SECRETKEY", "k");
        assert_eq!(
            format!("{c:?}"),
            format!("Credentials {{ secret_id: {REDACTED}, secret_key: {REDACTED}, session_token: None }}")
        );
    }

    #[test]
    fn accessors_give_the_values_to_the_crate() {
        let c = Credentials::new("id", "key").with_session_token("tok");
        assert_eq!(c.secret_id(), "id");
        assert_eq!(&**c.secret_key(), "key");
        assert_eq!(c.session_token(), Some("tok"));
        assert!(c.has_session_token());
        assert!(!Credentials::new("id", "key").has_session_token());
    }

    #[test]
    fn check_rejects_empty_padded_and_control_values_naming_field_and_origin() {
        let cases = [
            (
                Credentials::new("", "key"),
                "invalid secret_id from explicit credentials: is empty",
            ),
            (
                Credentials::new("id", "   "),
                "invalid secret_key from explicit credentials: is empty",
            ),
            (
                Credentials::new(" id", "key"),
                "invalid secret_id from explicit credentials: has leading or trailing whitespace",
            ),
            (
                Credentials::new("id", "key\n"),
                "invalid secret_key from explicit credentials: has leading or trailing whitespace",
            ),
            (
                Credentials::new("id", "key").with_session_token("to\u{7}ken"),
                "invalid session_token from explicit credentials: contains control characters",
            ),
        ];
        for (creds, expected) in cases {
            let err = creds.check("explicit credentials").unwrap_err();
            assert_eq!(err.to_string(), expected);
        }
        assert!(Credentials::new("id", "key").with_session_token("t").check("x").is_ok());
    }

    #[tokio::test]
    async fn static_credentials_provide_themselves() {
        let c = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE");
        let got = c.provide_credentials().await.unwrap();
        assert_eq!(got.secret_id(), "AKIDEXAMPLE");
        assert!(
            Arc::ptr_eq(got.secret_key(), c.secret_key()),
            "a clone shares the key, no copy"
        );
        let shared: Arc<dyn ProvideCredentials> = Arc::new(c);
        assert_eq!(shared.provide_credentials().await.unwrap().secret_id(), "AKIDEXAMPLE");
    }
}
