//! Client-side pacing, so a client never sends an action faster than its documented limit.
//!
//! Each action with a limit gets a GCRA limiter (the "generic cell rate algorithm"): one atomic
//! "theoretical arrival time" (TAT), in nanoseconds since the limiter's start. A request reserves
//! the slot `max(now, TAT)` with one compare-and-swap, moves the TAT one interval (`1 s / rate`)
//! further, and sleeps until its slot. The burst is one request, so requests go out at least an
//! interval apart and no one-second window holds more than `rate` of them. Calls over the rate
//! wait rather than fail. All clones of a client share the limiters.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::error::ConfigError;
use crate::service::ServiceMeta;

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
    /// No pacing: requests go out as fast as they are made.
    Disabled,
}

const NANOS_PER_SECOND: u64 = 1_000_000_000;

/// The limiters of one client, one slot per action of its service.
#[derive(Debug)]
pub(crate) struct Limiters {
    per_action: Vec<Option<Gcra>>,
}

impl Limiters {
    /// Creates the limiters `config` asks for, one per action of `service`.
    pub(crate) fn new(service: &ServiceMeta, config: RateLimit) -> Result<Self, ConfigError> {
        let start = Instant::now();
        let rate_of = |declared: Option<u32>| match config {
            RateLimit::FromSpec => declared.filter(|r| *r > 0),
            RateLimit::PerSecond(rate) => Some(rate),
            RateLimit::Disabled => None,
        };
        if config == RateLimit::PerSecond(0) {
            return Err(ConfigError(
                "rate limit must be at least 1 request per second".to_owned(),
            ));
        }
        let per_action = service
            .actions
            .iter()
            .map(|a| rate_of(a.rate_limit_per_second).map(|r| Gcra::new(r, start)))
            .collect();
        Ok(Limiters { per_action })
    }

    /// Waits for a slot to send the action at `index`; returns at once when it has no limit.
    ///
    /// A call dropped while it waits (say, by the caller's own timeout) gives its slot back when
    /// no later call has reserved one since, so abandoned calls do not push everyone's turn back.
    pub(crate) async fn acquire(&self, index: usize) {
        if let Some(limiter) = self.per_action.get(index).and_then(Option::as_ref) {
            let (wait, slot) = limiter.reserve();
            if !wait.is_zero() {
                let mut guard = GiveBack {
                    limiter,
                    slot,
                    armed: true,
                };
                tokio::time::sleep(wait).await;
                guard.armed = false;
            }
        }
    }

    #[cfg(test)]
    fn limiter(&self, index: usize) -> Option<&Gcra> {
        self.per_action.get(index).and_then(Option::as_ref)
    }
}

/// One action's limiter.
#[derive(Debug)]
struct Gcra {
    start: Instant,
    interval_ns: u64,
    tat_ns: AtomicU64,
}

impl Gcra {
    fn new(per_second: u32, start: Instant) -> Self {
        // One nanosecond over the exact interval, so `rate + 1` requests always span more than a
        // second, even counting both ends of the window.
        let interval_ns = NANOS_PER_SECOND / u64::from(per_second.max(1)) + 1;
        Gcra {
            start,
            interval_ns,
            tat_ns: AtomicU64::new(0),
        }
    }

    /// Reserves the next slot and returns how long to wait for it.
    fn reserve(&self) -> (Duration, Reservation) {
        let now = u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let mut tat = self.tat_ns.load(Ordering::Acquire);
        loop {
            let slot = schedule(tat, now, self.interval_ns);
            match self
                .tat_ns
                .compare_exchange_weak(tat, slot.next_tat, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return (Duration::from_nanos(slot.send_at - now), slot),
                Err(current) => tat = current,
            }
        }
    }

    /// Returns an unused slot: only when it is still the latest reservation.
    fn give_back(&self, slot: Reservation) {
        let _ = self
            .tat_ns
            .compare_exchange(slot.next_tat, slot.send_at, Ordering::AcqRel, Ordering::Acquire);
    }
}

/// Gives a reserved slot back if the waiting call is dropped before its turn.
struct GiveBack<'a> {
    limiter: &'a Gcra,
    slot: Reservation,
    armed: bool,
}

impl Drop for GiveBack<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.limiter.give_back(self.slot);
        }
    }
}

/// The outcome of one reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Reservation {
    /// When the request may go, in nanoseconds since the limiter's start.
    send_at: u64,
    /// The theoretical arrival time to store for the next request.
    next_tat: u64,
}

/// GCRA with a burst of one: a request arriving at `now` goes at the later of `now` and the
/// stored TAT, and the next one no sooner than an interval after it.
fn schedule(tat: u64, now: u64, interval: u64) -> Reservation {
    let send_at = tat.max(now);
    Reservation {
        send_at,
        next_tat: send_at.saturating_add(interval),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::ActionMeta;

    const MS: u64 = 1_000_000;

    static ACTIONS: [ActionMeta; 3] = [
        ActionMeta {
            name: "Limited",
            rate_limit_per_second: Some(20),
            read_only: false,
            sensitive_fields: &[],
        },
        ActionMeta {
            name: "Unlimited",
            rate_limit_per_second: None,
            read_only: false,
            sensitive_fields: &[],
        },
        ActionMeta {
            name: "Zero",
            rate_limit_per_second: Some(0),
            read_only: false,
            sensitive_fields: &[],
        },
    ];
    static SERVICE: ServiceMeta = ServiceMeta {
        name: "demo",
        version: "v",
        endpoint: "https://e",
        intl_endpoint: "https://i",
        actions: &ACTIONS,
    };

    #[test]
    fn idle_limiter_lets_a_request_go_at_once() {
        assert_eq!(
            schedule(0, 5 * MS, 50 * MS),
            Reservation {
                send_at: 5 * MS,
                next_tat: 55 * MS
            }
        );
        // Long idle: the TAT is in the past, no credit is banked beyond one request.
        assert_eq!(
            schedule(55 * MS, 10_000 * MS, 50 * MS),
            Reservation {
                send_at: 10_000 * MS,
                next_tat: 10_050 * MS
            }
        );
    }

    #[test]
    fn a_burst_is_spread_one_interval_apart() {
        let interval = Gcra::new(20, Instant::now()).interval_ns;
        let (mut tat, now) = (0, 1_000 * MS);
        let mut sends = Vec::new();
        for _ in 0..41 {
            let slot = schedule(tat, now, interval);
            sends.push(slot.send_at);
            tat = slot.next_tat;
        }
        assert!(sends.windows(2).all(|w| w[1] - w[0] == interval));
        // No closed one-second window holds more than 20 sends.
        for (i, start) in sends.iter().enumerate() {
            let in_window = sends[i..]
                .iter()
                .take_while(|t| **t <= start + NANOS_PER_SECOND)
                .count();
            assert!(in_window <= 20, "{in_window} sends in the second from {start}");
        }
    }

    #[test]
    fn a_late_request_does_not_wait() {
        let slot = schedule(100 * MS, 130 * MS, 50 * MS);
        assert_eq!(
            slot,
            Reservation {
                send_at: 130 * MS,
                next_tat: 180 * MS
            }
        );
    }

    #[test]
    fn limiters_follow_the_config() {
        let from_spec = Limiters::new(&SERVICE, RateLimit::FromSpec).unwrap();
        assert_eq!(from_spec.limiter(0).map(|l| l.interval_ns), Some(50 * MS + 1));
        assert!(from_spec.limiter(1).is_none());
        assert!(
            from_spec.limiter(2).is_none(),
            "a declared rate of 0 is taken as no limit"
        );

        let fixed = Limiters::new(&SERVICE, RateLimit::PerSecond(4)).unwrap();
        assert!((0..3).all(|i| fixed.limiter(i).map(|l| l.interval_ns) == Some(250 * MS + 1)));

        let off = Limiters::new(&SERVICE, RateLimit::Disabled).unwrap();
        assert!((0..3).all(|i| off.limiter(i).is_none()));

        let err = Limiters::new(&SERVICE, RateLimit::PerSecond(0)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid client configuration: rate limit must be at least 1 request per second"
        );
    }

    #[test]
    fn reservations_from_many_threads_never_share_a_slot() {
        let limiters = Limiters::new(&SERVICE, RateLimit::PerSecond(1_000)).unwrap();
        let limiter = limiters.limiter(0).unwrap();
        let waits: Vec<Duration> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| (0..50).map(|_| limiter.reserve().0).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(waits.len(), 200);
        // 200 slots 1 ms apart: the TAT moved by exactly 200 intervals from the first slot.
        let tat = limiter.tat_ns.load(Ordering::Acquire);
        assert!(tat >= 200 * MS, "{tat}");
        assert!(
            waits.iter().any(|w| *w >= Duration::from_millis(150)),
            "later callers were told to wait"
        );
    }

    #[tokio::test]
    async fn a_call_dropped_while_waiting_gives_its_slot_back() {
        let limiters = Limiters::new(&SERVICE, RateLimit::PerSecond(1)).unwrap();
        limiters.acquire(0).await; // takes the free slot; the next one is a second away
        let limiter = limiters.limiter(0).unwrap();
        let before = limiter.tat_ns.load(Ordering::Acquire);
        // Three callers give up after 10 ms, in the order that lets each give its slot back.
        for _ in 0..3 {
            let waited = tokio::time::timeout(Duration::from_millis(10), limiters.acquire(0)).await;
            assert!(waited.is_err(), "the caller should still be waiting");
        }
        assert_eq!(
            limiter.tat_ns.load(Ordering::Acquire),
            before,
            "every abandoned slot was returned"
        );
        // A slot that a later call has built on stays taken: only the latest can be returned.
        let (_, first) = limiter.reserve();
        let (_, _second) = limiter.reserve();
        limiter.give_back(first);
        assert_eq!(limiter.tat_ns.load(Ordering::Acquire), before + 2 * limiter.interval_ns);
    }

    #[tokio::test]
    async fn acquire_paces_real_calls() {
        let limiters = Limiters::new(&SERVICE, RateLimit::PerSecond(100)).unwrap();
        let started = Instant::now();
        for _ in 0..6 {
            limiters.acquire(0).await;
        }
        // Five waits of 10 ms after the first, free call.
        assert!(
            started.elapsed() >= Duration::from_millis(50),
            "{:?}",
            started.elapsed()
        );
        // Out-of-range indexes and unlimited actions do not wait.
        let started = Instant::now();
        limiters.acquire(99).await;
        Limiters::new(&SERVICE, RateLimit::Disabled).unwrap().acquire(0).await;
        assert!(started.elapsed() < Duration::from_millis(50));
    }
}
