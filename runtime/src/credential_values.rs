//! The credential values a request is signed with: [`Credentials`] and the checks every source
//! applies to them.
//!
//! Sources of credentials, the `ProvideCredentials` trait and the caching around them are in
//! `credentials`, which re-exports [`Credentials`] as its public home; this module holds only the
//! values, so the signer can use them without depending on the sources (the STS providers sign
//! their own requests).

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::credentials_error::CredentialsError;
use crate::sensitive::Sensitive;

/// A secret id, secret key, optional session token and optional expiry.
///
/// `Debug` shows only the first and last four characters of a secret id that starts with `AKID`
/// and is at least twelve characters long (`AKID…MPLE`); any other id is not shown at all, so a
/// key passed as the id by mistake does not leak through it. The secret key and the token are
/// never shown. The expiry, when set, is shown as Unix seconds. There is no `Display`.
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
    expiry: Option<SystemTime>,
    /// Set by [`CachedProvider`](crate::credentials::CachedProvider) once [`Credentials::check`] passed, so the send loop does not
    /// check the same values again on every call.
    checked: bool,
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
            expiry: None,
            checked: false,
        }
    }

    /// Temporary credentials: a secret id, secret key and the session token that goes with them.
    pub fn with_token(secret_id: impl Into<String>, secret_key: impl Into<String>, token: impl Into<String>) -> Self {
        Credentials::new(secret_id, secret_key).with_session_token(token)
    }

    /// Adds the session token of temporary credentials, sent as `X-TC-Token`.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(Sensitive::new(Arc::from(token.into())));
        self.checked = false;
        self
    }

    /// Marks when temporary credentials stop working. [`CachedProvider`](crate::credentials::CachedProvider) refreshes them a
    /// margin before this time; without an expiry it re-reads its source now and then.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use tencentcloud_runtime::Credentials;
    /// let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// let c = Credentials::with_token("AKIDEXAMPLE12345", "key", "token").with_expiry(at);
    /// assert_eq!(c.expiry(), Some(at));
    /// assert_eq!(
    ///     format!("{c:?}"),
    ///     r#"Credentials { secret_id: "AKID…2345", secret_key: ** redacted **, session_token: Some(** redacted **), expires_at_unix: 1700000000 }"#
    /// );
    /// ```
    pub fn with_expiry(mut self, at: SystemTime) -> Self {
        self.expiry = Some(at);
        self
    }

    /// When these credentials stop working, if known.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
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

    /// Whether [`Credentials::check`] already passed for these values (set by the cache).
    pub(crate) fn is_checked(&self) -> bool {
        self.checked
    }

    /// Checks the values and remembers that they passed.
    pub(crate) fn checked(mut self, origin: &str) -> Result<Self, CredentialsError> {
        self.check(origin)?;
        self.checked = true;
        Ok(self)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = f.debug_struct("Credentials");
        shown
            .field("secret_id", &MaskedId(&self.secret_id))
            .field("secret_key", &self.secret_key)
            .field("session_token", &self.session_token);
        if let Some(at) = self.expiry {
            shown.field("expires_at_unix", &unix_seconds(at));
        }
        shown.finish()
    }
}

/// Whole seconds since the Unix epoch (0 for a time before it).
pub(crate) fn unix_seconds(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
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
}
