//! Adaptive pacing: how fast an action may go after the service throttled it.
//!
//! The rule is multiplicative decrease, additive increase over time (the shape TCP's congestion
//! control made standard):
//!
//! - On a throttling answer the action's rate becomes [`DECREASE`] (0.7) times the rate it was
//!   going at, but never less than [`FLOOR_PER_SECOND`] (or the configured rate, if that is lower).
//! - From then on the rate climbs linearly, by [`RECOVERY_PER_SECOND`] (a twentieth) of the
//!   configured rate every second, until it is back at the configured rate. From a single decrease
//!   that takes 6 seconds. (A tenth was tried first: against a service throttling at half the
//!   configured rate it let a quarter of the requests be throttled, against a fifth at a twentieth;
//!   the climb overshoots the real limit for as long as answers take to come back, and with many
//!   tasks waiting for slots that is over a second.)
//! - One decrease per round: a throttling answer to a request whose slot was granted *before* the
//!   last decrease does not count again. Requests already waiting for their slots when the
//!   service started throttling went out at the old rate, and answers to them say nothing new;
//!   counting them would cut the rate to the floor after one burst.
//!
//! If the service's real limit is `L` below the configured rate, the rate settles into a saw
//! tooth between about `0.7·L` and `L`; if the throttling came from a passing crowd (other
//! clients of the account), the rate is back at the configured one seconds after it ends.
//!
//! Why not CUBIC, as aws-sdk-rust's adaptive retry mode uses: CUBIC grows back along a cubic
//! curve around the rate of the last throttling, which pays off when the fair rate is unknown
//! and large. Here the ceiling is known (the spec's rate) and small (tens per second), so a
//! straight climb back to it is as quick, has one parameter fewer, and is easy to state as a few
//! lines of Lua, so that a shared limiter computes exactly the same rates in Redis.
//!
//! Rates here are in requests per second and times in seconds since any fixed origin.

/// The factor a throttling answer multiplies the current rate by.
pub const DECREASE: f64 = 0.7;
/// The share of the configured rate regained per second after a decrease.
pub const RECOVERY_PER_SECOND: f64 = 0.05;
/// The lowest rate a decrease goes to, in requests per second.
pub const FLOOR_PER_SECOND: f64 = 1.0;

/// The adaptive state of one action: the last decrease, if any.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Adaptive {
    last: Option<Decrease>,
}

/// A decrease: the rate it set and when.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Decrease {
    rate: f64,
    at: f64,
}

impl Adaptive {
    /// No decrease yet: the configured rate applies.
    pub fn new() -> Self {
        Adaptive::default()
    }

    /// The rate in force at `now` for an action configured at `max` requests per second.
    ///
    /// ```
    /// use tencentcloud_runtime::rate_limit::adaptive::Adaptive;
    /// let mut a = Adaptive::new();
    /// assert_eq!(a.rate(20.0, 0.0), 20.0);
    /// assert!(a.throttled(20.0, 0.0, 10.0));
    /// assert_eq!(a.rate(20.0, 10.0), 14.0);
    /// assert_eq!(a.rate(20.0, 11.0), 15.0);
    /// assert_eq!(a.rate(20.0, 20.0), 20.0);
    /// ```
    pub fn rate(&self, max: f64, now: f64) -> f64 {
        match self.last {
            None => max,
            Some(d) => recovered(d.rate, d.at, max, now),
        }
    }

    /// A throttling answer at `now` to a request whose slot was granted at `reserved_at`;
    /// returns whether the rate was cut (false when the slot predates the last cut).
    pub fn throttled(&mut self, max: f64, reserved_at: f64, now: f64) -> bool {
        if self.last.is_some_and(|d| reserved_at <= d.at) {
            return false;
        }
        self.last = Some(Decrease {
            rate: decreased(self.rate(max, now), max),
            at: now,
        });
        true
    }

    /// Whether the rate is back at `max` by `now` (the state can then be forgotten).
    pub fn is_recovered(&self, max: f64, now: f64) -> bool {
        self.rate(max, now) >= max
    }
}

/// The rate `current` becomes after a throttling answer, for an action configured at `max`.
pub fn decreased(current: f64, max: f64) -> f64 {
    (current * DECREASE).max(FLOOR_PER_SECOND.min(max))
}

/// The rate at `now` after a decrease to `rate` at `at`, for an action configured at `max`.
pub fn recovered(rate: f64, at: f64, max: f64, now: f64) -> f64 {
    let climbed = rate + max * RECOVERY_PER_SECOND * (now - at).max(0.0);
    climbed.min(max)
}

/// The spacing of requests at `rate` per second, in nanoseconds: one over the exact interval, so
/// `rate + 1` requests always span more than a second, even counting both ends of the window.
pub fn interval_nanos(rate: f64) -> u64 {
    let rate = if rate.is_finite() && rate > 0.0 {
        rate
    } else {
        FLOOR_PER_SECOND
    };
    // At most 1e9 / FLOOR_PER_SECOND-ish: fits a u64 easily; the cast saturates anyway.
    (1e9 / rate).ceil() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throttle_cuts_the_rate_and_it_climbs_back_in_six_seconds() {
        let mut a = Adaptive::new();
        assert!(a.throttled(20.0, 0.0, 100.0));
        assert_eq!(a.rate(20.0, 100.0), 14.0);
        assert!((a.rate(20.0, 101.5) - 15.5).abs() < 1e-9);
        assert_eq!(a.rate(20.0, 106.0), 20.0);
        assert!(a.is_recovered(20.0, 106.0));
        assert!(!a.is_recovered(20.0, 105.9));
    }

    #[test]
    fn answers_to_slots_granted_before_the_cut_do_not_cut_again() {
        let mut a = Adaptive::new();
        assert!(a.throttled(20.0, 9.9, 10.0));
        assert!(!a.throttled(20.0, 9.95, 10.2), "granted before the cut");
        assert!(!a.throttled(20.0, 10.0, 10.2), "granted at the cut");
        assert_eq!(a.rate(20.0, 10.0), 14.0);
        // A slot granted after the cut counts: 0.7 × the rate at that moment.
        assert!(a.throttled(20.0, 10.1, 10.5));
        assert!((a.rate(20.0, 10.5) - 0.7 * 14.5).abs() < 1e-9);
    }

    #[test]
    fn the_rate_never_goes_below_the_floor() {
        let mut a = Adaptive::new();
        for i in 0..40 {
            a.throttled(20.0, f64::from(i) + 0.5, f64::from(i) + 1.0);
        }
        assert!(a.rate(20.0, 40.0) >= FLOOR_PER_SECOND);
        assert_eq!(decreased(0.5, 20.0), 1.0);
        // A configured rate below the floor is its own floor.
        assert_eq!(decreased(0.5, 0.5), 0.5);
    }

    #[test]
    fn intervals() {
        assert_eq!(interval_nanos(20.0), 50_000_001);
        assert_eq!(interval_nanos(14.0), 71_428_573);
        assert_eq!(interval_nanos(0.0), 1_000_000_001);
        assert_eq!(interval_nanos(f64::NAN), 1_000_000_001);
    }
}
