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
mod http;
mod profile;
mod sts;
#[cfg(test)]
mod test_server;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use cache::{
    CachedProvider, CachedProviderBuilder, DEFAULT_FETCH_TIMEOUT, DEFAULT_REFRESH_MARGIN, DEFAULT_REREAD_INTERVAL,
};
pub use chain::{DefaultChain, ENV_METADATA_ENDPOINT};
pub use cvm::{CvmRoleProvider, CvmRoleProviderBuilder, DEFAULT_METADATA_ENDPOINT, DEFAULT_METADATA_TIMEOUT};
pub use env::{
    EnvironmentProvider, ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SECURITY_TOKEN, ENV_SESSION_TOKEN, ENV_TOKEN,
    ENV_TOKEN_VARIABLES,
};
pub use profile::{ProfileProvider, DEFAULT_PROFILE, ENV_PROFILE};
pub use sts::{
    AssumeRoleProvider, AssumeRoleProviderBuilder, OidcRoleProvider, OidcRoleProviderBuilder, DEFAULT_DURATION,
    DEFAULT_STS_REGION, ENV_TKE_PROVIDER_ID, ENV_TKE_REGION, ENV_TKE_ROLE_ARN, ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
    STS_ENDPOINT, STS_INTL_ENDPOINT, STS_VERSION,
};

pub use crate::credential_values::Credentials;
pub(crate) use crate::credential_values::{check_value, unix_seconds};
pub use crate::credentials_error::CredentialsError;

/// The future a [`ProvideCredentials`] implementation returns.
pub type CredentialsFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked once per request attempt.
///
/// Implement it to plug in credentials that rotate (temporary keys from STS, a secrets
/// manager): return the current credentials each time. The runtime caches the derived signing
/// key per secret key and day, so returning the same values again costs nothing. The
/// implementation's `Debug` is shown in the client's `Debug`, so it must not print secrets
/// (holding them as [`Credentials`] or [`Sensitive`](crate::Sensitive) takes care of that).
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

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
