// Temporary credentials: what the loopback metadata server and STS hand out (`IssuedCredentials`),
// how they are minted, and the registry (`IssuedKeys`) a TEO stand-in consults so that it accepts
// every key and token they issued until it expires.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::state::Rng;
use crate::verify::{Credentials, KeyLookup};

/// One set of temporary credentials issued by a [`MetadataServer`](crate::MetadataServer) or an
/// [`StsServer`](crate::StsServer): a key pair, its session token and its expiry.
///
/// `Debug` shows the SecretId and the expiry only.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let metadata = teo_stand_in::MetadataServer::start().await?;
/// // ... a client fetches credentials from `metadata.endpoint()` ...
/// if let Some(issued) = metadata.last_issued() {
///     assert!(issued.secret_id().starts_with("AKID"));
///     assert!(issued.expired_time() > 0);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedCredentials {
    credentials: Credentials,
    expired_time: i64,
}

impl IssuedCredentials {
    /// The temporary SecretId (`TmpSecretId`).
    pub fn secret_id(&self) -> &str {
        self.credentials.secret_id()
    }

    /// The temporary SecretKey (`TmpSecretKey`).
    pub fn secret_key(&self) -> &str {
        self.credentials.secret_key()
    }

    /// The session token (`Token`), to be sent as `X-TC-Token`.
    pub fn token(&self) -> &str {
        self.credentials.session_token().unwrap_or_default()
    }

    /// When they stop being accepted, in unix seconds (`ExpiredTime`).
    pub fn expired_time(&self) -> i64 {
        self.expired_time
    }

    /// The same key pair and token as [`Credentials`], e.g. for [`StandIn::set_credentials`](crate::StandIn::set_credentials).
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub(crate) fn new(credentials: Credentials, expired_time: i64) -> Self {
        Self {
            credentials,
            expired_time,
        }
    }

    /// Fresh random credentials valid for `lifetime` (rounded up to whole seconds) from `now`.
    pub(crate) fn mint(rng: &mut Rng, now: i64, lifetime: Duration) -> Self {
        let secret_id = format!("AKID{}", rng.alphanumerics(32).to_ascii_uppercase());
        let secret_key = rng.alphanumerics(32);
        let token = rng.alphanumerics(128);
        let whole_secs = lifetime.as_secs() + u64::from(lifetime.subsec_nanos() > 0);
        let expired_time = now.saturating_add(i64::try_from(whole_secs).unwrap_or(i64::MAX));
        Self {
            credentials: Credentials::new(secret_id, secret_key).with_session_token(token),
            expired_time,
        }
    }
}

impl fmt::Debug for IssuedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedCredentials")
            .field("secret_id", &self.credentials.secret_id())
            .field("expired_time", &self.expired_time)
            .finish_non_exhaustive()
    }
}

/// Temporary credentials a TEO stand-in accepts besides its own, by SecretId. Issuers linked to
/// the stand-in hold a clone of its `Arc` and add to it.
#[derive(Default)]
pub(crate) struct IssuedKeys(Mutex<HashMap<String, IssuedCredentials>>);

impl IssuedKeys {
    pub(crate) fn insert(&self, issued: IssuedCredentials) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(issued.secret_id().to_owned(), issued);
    }

    /// Active until `now` reaches the expiry, then expired; unknown if never accepted.
    pub(crate) fn lookup(&self, secret_id: &str, now: i64) -> KeyLookup {
        let keys = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match keys.get(secret_id) {
            None => KeyLookup::Unknown,
            Some(issued) if now >= issued.expired_time => KeyLookup::Expired(issued.expired_time),
            Some(issued) => KeyLookup::Active(issued.credentials.clone()),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

/// Where an issuing server records what it hands out: its own list, and every linked stand-in.
#[derive(Default)]
pub(crate) struct Ledger {
    pub(crate) issued: Vec<IssuedCredentials>,
    pub(crate) linked: Vec<Arc<IssuedKeys>>,
}

impl Ledger {
    pub(crate) fn record(&mut self, issued: &IssuedCredentials) {
        for keys in &self.linked {
            keys.insert(issued.clone());
        }
        self.issued.push(issued.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_credentials_are_fresh_and_expire_on_time() {
        let mut rng = Rng::from_entropy();
        let first = IssuedCredentials::mint(&mut rng, 1_000, Duration::from_millis(1_500));
        let second = IssuedCredentials::mint(&mut rng, 1_000, Duration::from_secs(60));
        assert_eq!(first.expired_time(), 1_002, "rounded up to whole seconds");
        assert_eq!(second.expired_time(), 1_060);
        assert_ne!(first.secret_id(), second.secret_id());
        assert_ne!(first.secret_key(), second.secret_key());
        assert_ne!(first.token(), second.token());
        let debug = format!("{first:?}");
        assert!(debug.contains(first.secret_id()), "{debug}");
        assert!(
            !debug.contains(first.secret_key()) && !debug.contains(first.token()),
            "{debug}"
        );
    }

    #[test]
    fn lookups_see_expiry() {
        let keys = IssuedKeys::default();
        let issued = IssuedCredentials::mint(&mut Rng::from_entropy(), 100, Duration::from_secs(10));
        keys.insert(issued.clone());
        assert!(matches!(keys.lookup(issued.secret_id(), 109), KeyLookup::Active(c) if c == *issued.credentials()));
        assert!(matches!(keys.lookup(issued.secret_id(), 110), KeyLookup::Expired(110)));
        assert!(matches!(keys.lookup("AKIDother", 100), KeyLookup::Unknown));
    }
}
