//! Client-side pacing, so a client never sends an action faster than its documented limit.
//!
//! Tencent Cloud limits each action per account (20 requests per second for most TEO actions).
//! The client asks a [`RateLimiter`] for a slot before every attempt of a paced action and waits
//! until that slot comes:
//!
//! - [`LocalRateLimiter`], the default, paces within one process (shared by a client's clones).
//! - A shared limiter, such as `tencentcloud-rate-limit-redis`'s `RedisRateLimiter`, paces a whole
//!   fleet of processes that use one account. Set one with
//!   [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter).
//!
//! Which actions are paced, and at what rate, is the client's [`RateLimit`]: the spec's rate per
//! action by default, or one rate for every action. The limiter decides *when* each request goes;
//! it is told the account (as an [`AccountKey`], a digest of the SecretId), the service, the
//! action and the rate in a [`LimitKey`].
//!
//! # Adaptive pacing
//!
//! When the service answers `RequestLimitExceeded` (or one of its sub-codes), the client tells the
//! limiter ([`RateLimiter::throttled`]). Both limiters of this project then slow that action
//! down, and bring it back up to the configured rate over a few seconds; see [`adaptive`] for
//! the rule and why it was chosen.
//!
//! # Giving a slot back
//!
//! A call dropped while it waits for its slot (say, by the caller's own timeout) hands the slot
//! back ([`RateLimiter::give_back`]); a limiter takes it back when no later call has reserved one
//! since, so abandoned calls do not push everyone's turn back.

pub mod adaptive;
mod local;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::error::ConfigError;
use crate::service::ServiceMeta;

pub use crate::rate_limit_error::RateLimitError;
pub use local::LocalRateLimiter;

/// How a client paces its requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimit {
    /// Each action at the rate its spec documents; actions
    /// without a documented rate (or with a rate of 0) are not paced. The default.
    #[default]
    FromSpec,
    /// Every action at this many requests per second, whatever the spec says. Must be at least 1.
    PerSecond(u32),
    /// No pacing: requests go out as fast as they are made, and no limiter is asked.
    Disabled,
}

/// Identifies an account to a limiter without revealing it: the first 16 bytes of a SHA-256
/// digest of the SecretId (under a fixed domain label). Never the secret key.
///
/// `Debug` and `Display` show the digest in hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountKey([u8; 16]);

impl AccountKey {
    /// The key of the account whose SecretId is `secret_id`.
    ///
    /// ```
    /// use tencentcloud_runtime::rate_limit::AccountKey;
    /// let key = AccountKey::from_secret_id("AKIDexample");
    /// assert_eq!(key.to_string().len(), 32);
    /// assert!(!key.to_string().contains("AKID"));
    /// ```
    pub fn from_secret_id(secret_id: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"tencentcloud-rate-limit/account\0");
        hasher.update(secret_id.as_bytes());
        let digest = hasher.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        AccountKey(key)
    }

    /// A key chosen by the caller, for limiters that are told the account some other way (say,
    /// every process of a fleet whose temporary SecretIds differ but share one account).
    pub fn from_label(label: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"tencentcloud-rate-limit/label\0");
        hasher.update(label.as_bytes());
        let digest = hasher.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        AccountKey(key)
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Display for AccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for AccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountKey({self})")
    }
}

/// What a limiter paces on: one account's one action, and the rate it may go at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct LimitKey {
    /// The account, as a digest of its SecretId.
    pub account: AccountKey,
    /// The service's short name, e.g. `teo`.
    pub service: &'static str,
    /// The action's name, e.g. `CreatePurgeTask`.
    pub action: &'static str,
    /// The configured rate, in requests per second (at least 1): the spec's or the client's
    /// [`RateLimit::PerSecond`]. Adaptive pacing never goes above it.
    pub per_second: u32,
}

impl LimitKey {
    /// A key; `per_second` is raised to 1 if it is 0.
    pub fn new(account: AccountKey, service: &'static str, action: &'static str, per_second: u32) -> Self {
        LimitKey {
            account,
            service,
            action,
            per_second: per_second.max(1),
        }
    }
}

/// A slot granted by a limiter: how long to wait for it, and the limiter's own record of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reservation {
    /// How long the caller waits before sending.
    pub wait: Duration,
    /// The limiter's record of the slot, handed back to [`RateLimiter::give_back`] and
    /// [`RateLimiter::throttled`] as it was.
    pub ticket: Ticket,
}

impl Reservation {
    /// A reservation to wait `wait` for, carrying `ticket`.
    pub fn new(wait: Duration, ticket: Ticket) -> Self {
        Reservation { wait, ticket }
    }
}

/// A limiter's record of one slot, in whatever time unit and origin the limiter uses (the
/// in-process limiter counts nanoseconds since it was made; the Redis one microseconds of the
/// Redis server's clock). The client never reads it, only hands it back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ticket {
    /// When the request may go.
    pub send_at: u64,
    /// The next free slot after this one, as stored when it was granted.
    pub next: u64,
    /// When the slot was granted.
    pub reserved_at: u64,
    /// Which of the limiter's stores granted it, for a limiter with more than one (the Redis
    /// limiter tells its own slots from those of its in-process fallback); 0 unless set.
    pub store: u32,
}

impl Ticket {
    /// A ticket with these times.
    pub fn new(send_at: u64, next: u64, reserved_at: u64) -> Self {
        Ticket {
            send_at,
            next,
            reserved_at,
            store: 0,
        }
    }

    /// The same ticket, marked as granted by `store`.
    pub fn with_store(self, store: u32) -> Self {
        Ticket { store, ..self }
    }
}

/// The future [`RateLimiter::reserve`] returns.
pub type ReserveFuture<'a> = Pin<Box<dyn Future<Output = Result<Reservation, RateLimitError>> + Send + 'a>>;

/// Decides when each request of a paced action may go.
///
/// The client calls [`reserve`](Self::reserve) before every attempt and sleeps for the
/// reservation's `wait`; then it either sends, or (when the call is dropped while waiting) calls
/// [`give_back`](Self::give_back). After a throttling answer it calls
/// [`throttled`](Self::throttled) with the reservation the attempt went out on.
///
/// Implementations are shared by every clone of a client, and may be shared by several clients
/// (wrap one in an [`Arc`]: `Arc<L>` is a limiter too). `give_back` and `throttled` must not
/// block: a limiter that needs a round trip for them starts it in the background.
pub trait RateLimiter: fmt::Debug + Send + Sync + 'static {
    /// Grants the next slot for `key`: at most `key.per_second` requests (less after a
    /// throttling answer) go out in any one-second window.
    fn reserve<'a>(&'a self, key: &'a LimitKey) -> ReserveFuture<'a>;

    /// Returns a slot whose call was dropped before sending, if no later slot was granted since.
    fn give_back(&self, key: &LimitKey, reservation: &Reservation);

    /// The attempt sent in `reservation`'s slot was answered with `RequestLimitExceeded*`.
    fn throttled(&self, key: &LimitKey, reservation: &Reservation);
}

impl<T: RateLimiter + ?Sized> RateLimiter for Arc<T> {
    fn reserve<'a>(&'a self, key: &'a LimitKey) -> ReserveFuture<'a> {
        (**self).reserve(key)
    }

    fn give_back(&self, key: &LimitKey, reservation: &Reservation) {
        (**self).give_back(key, reservation);
    }

    fn throttled(&self, key: &LimitKey, reservation: &Reservation) {
        (**self).throttled(key, reservation);
    }
}

/// The pacing of one client: the rate of each action of its service and the limiter to ask.
#[derive(Debug)]
pub(crate) struct Pacer {
    service: &'static str,
    per_action: Vec<Option<u32>>,
    limiter: Arc<dyn RateLimiter>,
}

impl Pacer {
    /// The pacing `config` asks for, one rate per action of `service`, with `limiter` (or a new
    /// [`LocalRateLimiter`] when `None`).
    pub(crate) fn new(
        service: &ServiceMeta,
        config: RateLimit,
        limiter: Option<Arc<dyn RateLimiter>>,
    ) -> Result<Self, ConfigError> {
        if config == RateLimit::PerSecond(0) {
            return Err(ConfigError(
                "rate limit must be at least 1 request per second".to_owned(),
            ));
        }
        let rate_of = |declared: Option<u32>| match config {
            RateLimit::FromSpec => declared.filter(|r| *r > 0),
            RateLimit::PerSecond(rate) => Some(rate),
            RateLimit::Disabled => None,
        };
        Ok(Pacer {
            service: service.name,
            per_action: service
                .actions
                .iter()
                .map(|a| rate_of(a.rate_limit_per_second))
                .collect(),
            limiter: limiter.unwrap_or_else(|| Arc::new(LocalRateLimiter::new())),
        })
    }

    /// Waits for a slot to send the action at `index` (named `action`) for the account whose
    /// SecretId is `secret_id`; returns `None` at once when the action is not paced.
    ///
    /// A call dropped while it waits gives its slot back.
    pub(crate) async fn acquire(
        &self,
        index: usize,
        action: &'static str,
        secret_id: &str,
    ) -> Result<Option<Paced<'_>>, RateLimitError> {
        let Some(per_second) = self.per_action.get(index).copied().flatten() else {
            return Ok(None);
        };
        let key = LimitKey::new(AccountKey::from_secret_id(secret_id), self.service, action, per_second);
        let reservation = self.limiter.reserve(&key).await?;
        let paced = Paced {
            limiter: &*self.limiter,
            key,
            reservation,
        };
        if !reservation.wait.is_zero() {
            let mut guard = GiveBack {
                paced: &paced,
                armed: true,
            };
            tokio::time::sleep(reservation.wait).await;
            guard.armed = false;
        }
        Ok(Some(paced))
    }

    #[cfg(test)]
    pub(crate) fn rate(&self, index: usize) -> Option<u32> {
        self.per_action.get(index).copied().flatten()
    }
}

/// A slot an attempt went out on.
pub(crate) struct Paced<'a> {
    limiter: &'a dyn RateLimiter,
    key: LimitKey,
    reservation: Reservation,
}

impl Paced<'_> {
    /// Tells the limiter that the service throttled the attempt sent in this slot.
    pub(crate) fn throttled(&self) {
        self.limiter.throttled(&self.key, &self.reservation);
    }
}

/// Gives a reserved slot back if the waiting call is dropped before its turn.
struct GiveBack<'a, 'b> {
    paced: &'b Paced<'a>,
    armed: bool,
}

impl Drop for GiveBack<'_, '_> {
    fn drop(&mut self) {
        if self.armed {
            self.paced.limiter.give_back(&self.paced.key, &self.paced.reservation);
        }
    }
}

#[cfg(test)]
mod tests;
