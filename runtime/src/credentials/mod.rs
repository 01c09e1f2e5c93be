//! The secret id and key a call is signed with, and the sources they come from.
//!
//! [`Credentials`] holds one key pair (and an optional session token and expiry) and never
//! prints the secret parts. [`ProvideCredentials`] is the seam for sources:
//!
//! - explicit values ([`Credentials`] itself);
//! - the environment ([`EnvironmentProvider`]) and the profile file ([`ProfileProvider`]);
//! - temporary credentials for code running inside Tencent Cloud: the CVM instance role
//!   ([`CvmRoleProvider`]), STS `AssumeRole` ([`AssumeRoleProvider`]) and TKE OIDC
//!   ([`OidcRoleProvider`]), each cached by [`CachedProvider`];
//! - the default chain of all four kinds ([`DefaultChain`]): environment, profile file, CVM
//!   role, then TKE OIDC, resolved on first use and cached;
//! - or a caller's own rotating source, which [`CachedProvider`] can cache too.
//!
//! Every source checks its values the same way ([`Credentials::check`]) and names the variable,
//! file, key or request at fault in its [`CredentialsError`], never the value.
//!
//! # Refresh policy
//!
//! Temporary credentials are reused until a margin before they expire (300 s by default, a
//! quarter of their lifetime when that is shorter), then refreshed by one background request
//! while callers go on using the still-valid ones. A failed refresh is retried with backoff
//! (1 s, doubling, at most 60 s) and the old credentials keep being served until they expire;
//! only then do calls fail, with an error naming the provider and the last failure. See
//! [`CachedProvider`].

mod cache;
mod chain;
mod cvm;
mod env;
mod error;
mod http;
mod profile;
mod sts;
#[cfg(test)]
mod test_server;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

pub use cache::{
    CachedProvider, CachedProviderBuilder, DEFAULT_FETCH_TIMEOUT, DEFAULT_REFRESH_MARGIN, DEFAULT_REREAD_INTERVAL,
};
pub use chain::{DefaultChain, ENV_METADATA_ENDPOINT};
pub use cvm::{CvmRoleProvider, CvmRoleProviderBuilder, DEFAULT_METADATA_ENDPOINT, DEFAULT_METADATA_TIMEOUT};
pub use env::{
    EnvironmentProvider, ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SECURITY_TOKEN, ENV_SESSION_TOKEN, ENV_TOKEN,
    ENV_TOKEN_VARIABLES,
};
pub use error::CredentialsError;
pub use profile::{ProfileProvider, DEFAULT_PROFILE, ENV_PROFILE};
pub use sts::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, OidcRoleProvider, OidcRoleProviderBuilder, DEFAULT_DURATION,
    DEFAULT_STS_REGION, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN, ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
    STS_ENDPOINT, STS_INTL_ENDPOINT, STS_VERSION,
};

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
    /// Set by [`CachedProvider`] once [`Credentials::check`] passed, so the send loop does not
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

    /// Marks when temporary credentials stop working. [`CachedProvider`] refreshes them a
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
