//! The in-process limiter: a GCRA per account and action, in memory.
//!
//! Each paced action of each account gets a GCRA (the "generic cell rate algorithm"): one
//! "theoretical arrival time" (TAT), in nanoseconds since the limiter was made. A request
//! reserves the slot `max(now, TAT)`, moves the TAT one interval (`1 s / rate`) further, and
//! sleeps until its slot. The burst is one request, so requests go out at least an interval apart
//! and no one-second window holds more than `rate` of them. Calls over the rate wait rather than
//! fail. The rate is the configured one, or lower for a while after a throttling answer
//! ([`adaptive`](super::adaptive)).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use super::adaptive::{interval_nanos, Adaptive};
use super::{AccountKey, LimitKey, RateLimiter, Reservation, ReserveFuture, Ticket};

const NANOS_PER_SECOND: f64 = 1e9;
/// Past this many (account, action) entries, idle ones are dropped when a new one is added, so a
/// long-lived process whose temporary SecretIds rotate does not grow without bound.
const PRUNE_ABOVE: usize = 4096;

/// Paces requests within one process; the default limiter of every client.
///
/// Clones share their state; so do clients given the same limiter through
/// [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter). Adaptive pacing is on
/// unless turned off with [`without_adaptive`](Self::without_adaptive).
///
/// ```
/// use tencentcloud_runtime::rate_limit::LocalRateLimiter;
/// let shared = LocalRateLimiter::new();
/// let fixed = LocalRateLimiter::new().without_adaptive();
/// assert!(format!("{fixed:?}").contains("adaptive: false"));
/// # drop(shared);
/// ```
#[derive(Clone)]
pub struct LocalRateLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    start: Instant,
    adaptive: bool,
    cells: RwLock<HashMap<CellKey, Arc<Mutex<Cell>>>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct CellKey {
    account: AccountKey,
    service: &'static str,
    action: &'static str,
}

impl From<&LimitKey> for CellKey {
    fn from(key: &LimitKey) -> Self {
        CellKey {
            account: key.account,
            service: key.service,
            action: key.action,
        }
    }
}

/// One account's one action.
#[derive(Debug, Default)]
struct Cell {
    tat: u64,
    /// The configured rate last asked for, to tell when the adaptive rate is back at it.
    max: f64,
    adaptive: Adaptive,
}

impl LocalRateLimiter {
    /// A limiter with no reservations yet, adaptive pacing on.
    pub fn new() -> Self {
        LocalRateLimiter {
            inner: Arc::new(Inner {
                start: Instant::now(),
                adaptive: true,
                cells: RwLock::new(HashMap::new()),
            }),
        }
    }

    /// The same limiter without adaptive pacing: throttling answers do not slow it down.
    pub fn without_adaptive(self) -> Self {
        LocalRateLimiter {
            inner: Arc::new(Inner {
                start: self.inner.start,
                adaptive: false,
                cells: RwLock::new(HashMap::new()),
            }),
        }
    }

    /// Reserves the next slot for `key` now; the synchronous heart of [`RateLimiter::reserve`].
    pub fn reserve_now(&self, key: &LimitKey) -> Reservation {
        let now = self.now();
        let cell = self.cell(key, now);
        let mut cell = cell.lock().unwrap_or_else(PoisonError::into_inner);
        cell.max = f64::from(key.per_second);
        let rate = cell.adaptive.rate(cell.max, seconds(now));
        let send_at = cell.tat.max(now);
        let next = send_at.saturating_add(interval_nanos(rate));
        cell.tat = next;
        Reservation::new(Duration::from_nanos(send_at - now), Ticket::new(send_at, next, now))
    }

    /// The rate `key`'s action goes at now, in requests per second: the configured rate, or less
    /// after a throttling answer.
    pub fn current_rate(&self, key: &LimitKey) -> f64 {
        let now = self.now();
        let max = f64::from(key.per_second);
        let cells = self.inner.cells.read().unwrap_or_else(PoisonError::into_inner);
        match cells.get(&CellKey::from(key)) {
            Some(cell) => cell
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .adaptive
                .rate(max, seconds(now)),
            None => max,
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.inner.start.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// The cell of `key`, made on first use.
    fn cell(&self, key: &LimitKey, now: u64) -> Arc<Mutex<Cell>> {
        let cell_key = CellKey::from(key);
        if let Some(cell) = self
            .inner
            .cells
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&cell_key)
        {
            return Arc::clone(cell);
        }
        let mut cells = self.inner.cells.write().unwrap_or_else(PoisonError::into_inner);
        if cells.len() >= PRUNE_ABOVE && !cells.contains_key(&cell_key) {
            // An idle cell (its TAT passed, its rate recovered) holds nothing a fresh one would not.
            cells.retain(|_, cell| {
                let cell = cell.lock().unwrap_or_else(PoisonError::into_inner);
                cell.tat > now || !cell.adaptive.is_recovered(cell.max, seconds(now))
            });
        }
        Arc::clone(cells.entry(cell_key).or_default())
    }

    fn existing(&self, key: &LimitKey) -> Option<Arc<Mutex<Cell>>> {
        let cells = self.inner.cells.read().unwrap_or_else(PoisonError::into_inner);
        cells.get(&CellKey::from(key)).cloned()
    }
}

impl Default for LocalRateLimiter {
    fn default() -> Self {
        LocalRateLimiter::new()
    }
}

impl fmt::Debug for LocalRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.inner.cells.read().map_or(0, |cells| cells.len());
        f.debug_struct("LocalRateLimiter")
            .field("adaptive", &self.inner.adaptive)
            .field("entries", &entries)
            .finish()
    }
}

impl RateLimiter for LocalRateLimiter {
    fn reserve<'a>(&'a self, key: &'a LimitKey) -> ReserveFuture<'a> {
        let reservation = self.reserve_now(key);
        Box::pin(std::future::ready(Ok(reservation)))
    }

    fn give_back(&self, key: &LimitKey, reservation: &Reservation) {
        if let Some(cell) = self.existing(key) {
            let mut cell = cell.lock().unwrap_or_else(PoisonError::into_inner);
            // Only the latest reservation can be returned: a later one was spaced from it.
            if cell.tat == reservation.ticket.next {
                cell.tat = reservation.ticket.send_at;
            }
        }
    }

    fn throttled(&self, key: &LimitKey, reservation: &Reservation) {
        if !self.inner.adaptive {
            return;
        }
        let now = self.now();
        let cell = self.cell(key, now);
        let mut cell = cell.lock().unwrap_or_else(PoisonError::into_inner);
        let max = f64::from(key.per_second);
        if cell
            .adaptive
            .throttled(max, seconds(reservation.ticket.reserved_at), seconds(now))
        {
            tracing::info!(
                service = key.service,
                action = key.action,
                rate = cell.adaptive.rate(max, seconds(now)),
                "throttled by the service: pacing this action slower for a while"
            );
        }
    }
}

fn seconds(nanos: u64) -> f64 {
    nanos as f64 / NANOS_PER_SECOND
}
