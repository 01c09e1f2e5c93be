//! Which failed attempts are tried again, and how long to wait before the next one.
//!
//! # What is retried, and why that is safe
//!
//! The policy is an allow-list: only failures that say the service did not (or most likely did
//! not) run the request are retried; everything else is returned to the caller at once.
//!
//! Retried:
//! - `RequestLimitExceeded` and its sub-codes (`RequestLimitExceeded.UinLimitExceeded`, ...):
//!   the API rejected the request before running it.
//! - Connection failures, including a connect timeout: the request never left the client.
//! - HTTP 503: the front end refused the request as unavailable, without passing it on.
//! - HTTP 502 and 504 (gateway errors): the API's front end got no answer from the service
//!   behind it. Usually the request did not run, but it may have. Turn these off with
//!   [`RetryConfig::with_gateway_retries`]`(false)` for strict at-most-once calls.
//!
//! An example of why a gateway retry is safe for actions that are not idempotent, from the first
//! client generated on this runtime (TEO's multi-path gateway keys):
//! - `RefreshMultiPathGatewaySecretKey` replaces the zone's key. If a first attempt ran but its
//!   answer was lost (a 502/504), the retry replaces the key once more and returns the newest
//!   key, which is the one in force: the caller still ends up holding the current key. The key
//!   the lost answer carried was never seen, so nothing uses it.
//! - `CreateMultiPathGatewaySecretKey` fails with `OperationDenied` when the zone already has a
//!   key. If a first attempt ran but its answer was lost, the retry reports `OperationDenied`
//!   although the key was created; `DescribeMultiPathGatewaySecretKey` tells which happened.
//!   No second key is ever created.
//!
//! Not retried:
//! - Timeouts after the request was sent and connections that broke after it was sent: the
//!   request may well have run, and the client cannot tell.
//! - Every other service error: authentication (`AuthFailure.*`), parameters (`InvalidParameter*`,
//!   `MissingParameter`, `UnknownParameter`), permissions (`UnauthorizedOperation`,
//!   `OperationDenied`), `InternalError`, resource states: trying again cannot change the answer,
//!   or might do the work twice.
//! - Responses the client could not understand.
//!
//! Waits use exponential backoff with full jitter: before retry `n` (1-based) the wait is a
//! uniformly random duration in `[0, min(max_delay, base_delay × 2ⁿ⁻¹)]`. There is no wait after
//! the last attempt.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// How many attempts a call gets and how long to wait between them.
///
/// The default is 3 attempts in total, a 200 ms base delay and a 5 s maximum delay.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_runtime::RetryConfig;
/// let retry = RetryConfig::default().with_max_attempts(5).with_base_delay(Duration::from_millis(50));
/// assert_eq!(retry.max_attempts(), 5);
/// assert_eq!(RetryConfig::disabled().max_attempts(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    gateway_retries: bool,
}

impl RetryConfig {
    /// Default number of attempts, the first one included.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
    /// Default ceiling of the first wait.
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(200);
    /// Default largest ceiling of any wait.
    pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(5);

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        }
    }

    /// Sets the number of attempts, the first one included; 0 is taken as 1.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the ceiling of the first wait; later ceilings double from it.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the largest ceiling of any wait.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Whether HTTP 502 and 504 are retried (the default); see the [module docs](self).
    pub fn with_gateway_retries(mut self, on: bool) -> Self {
        self.gateway_retries = on;
        self
    }

    /// Whether an attempt that failed this way is tried again under this configuration.
    pub fn retries(&self, failure: AttemptFailure<'_>) -> bool {
        match failure {
            AttemptFailure::HttpStatus(502 | 504) => self.gateway_retries,
            other => is_retryable(other),
        }
    }

    /// The number of attempts, the first one included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest wait before retry `retry` (1 for the wait after the first attempt):
    /// `min(max_delay, base_delay × 2^(retry-1))`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let doubling = retry.saturating_sub(1).min(31);
        self.base_delay.saturating_mul(1 << doubling).min(self.max_delay)
    }

    /// The wait before retry `retry` for a given 64-bit random value: the ceiling scaled by
    /// `random / 2⁶⁴`, so uniform random input gives a uniform wait in `[0, ceiling)`.
    pub fn backoff(&self, retry: u32, random: u64) -> Duration {
        // Capped at u64::MAX ns (584 years) so the product fits in 128 bits.
        let ceiling = u64::try_from(self.backoff_ceiling(retry).as_nanos()).unwrap_or(u64::MAX);
        let nanos = (u128::from(ceiling) * u128::from(random)) >> 64;
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// The wait before retry `retry`, with fresh jitter.
    pub(crate) fn jittered_backoff(&self, retry: u32) -> Duration {
        self.backoff(retry, random_u64())
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            base_delay: Self::DEFAULT_BASE_DELAY,
            max_delay: Self::DEFAULT_MAX_DELAY,
            gateway_retries: true,
        }
    }
}

/// How an attempt failed, as far as the retry policy is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptFailure<'a> {
    /// The API answered with `Response.Error` and this code.
    Service {
        /// The error code.
        code: &'a str,
    },
    /// No connection could be made (refused, DNS, TLS handshake, connect timeout).
    Connect,
    /// The call timed out after the connection was made.
    Timeout,
    /// The connection broke after the request was sent.
    Transport,
    /// An HTTP status other than 200.
    HttpStatus(u16),
    /// A body the client could not understand.
    Undecodable,
    /// A failure before anything was sent (credentials, configuration).
    Local,
}

/// Whether an attempt that failed this way is tried again; see the [module docs](self).
pub fn is_retryable(failure: AttemptFailure<'_>) -> bool {
    match failure {
        AttemptFailure::Service { code } => is_retryable_code(code),
        AttemptFailure::Connect => true,
        AttemptFailure::HttpStatus(status) => is_retryable_status(status),
        AttemptFailure::Timeout | AttemptFailure::Transport | AttemptFailure::Undecodable | AttemptFailure::Local => {
            false
        }
    }
}

/// Whether a service error code means the request was rejected before it ran, so it may be
/// sent again: `RequestLimitExceeded` and its sub-codes.
pub fn is_retryable_code(code: &str) -> bool {
    const THROTTLED: &str = "RequestLimitExceeded";
    code == THROTTLED || code.strip_prefix(THROTTLED).is_some_and(|rest| rest.starts_with('.'))
}

/// Whether an HTTP status is retried by default: 503 (refused), 502 and 504 (gateway errors).
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 502..=504)
}

/// A fast non-cryptographic random number for jitter: SplitMix64 over a process-wide counter
/// seeded from the clock and an address, so clients and threads do not retry in lockstep.
pub(crate) fn random_u64() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let here = &COUNTER as *const AtomicU64 as u64;
        (now.as_nanos() as u64) ^ here.rotate_left(32)
    });
    let mut z = seed.wrapping_add(COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_table() {
        let retried = [
            AttemptFailure::Service {
                code: "RequestLimitExceeded",
            },
            AttemptFailure::Service {
                code: "RequestLimitExceeded.UinLimitExceeded",
            },
            AttemptFailure::Service {
                code: "RequestLimitExceeded.IPLimitExceeded",
            },
            AttemptFailure::Service {
                code: "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            },
            AttemptFailure::Connect,
            AttemptFailure::HttpStatus(502),
            AttemptFailure::HttpStatus(503),
            AttemptFailure::HttpStatus(504),
        ];
        let not_retried = [
            AttemptFailure::Service {
                code: "RequestLimitExceededX",
            },
            AttemptFailure::Service {
                code: "AuthFailure.SignatureExpire",
            },
            AttemptFailure::Service {
                code: "AuthFailure.SignatureFailure",
            },
            AttemptFailure::Service {
                code: "InvalidParameter",
            },
            AttemptFailure::Service {
                code: "InvalidParameterValue",
            },
            AttemptFailure::Service {
                code: "MissingParameter",
            },
            AttemptFailure::Service {
                code: "UnknownParameter",
            },
            AttemptFailure::Service {
                code: "OperationDenied",
            },
            AttemptFailure::Service {
                code: "UnauthorizedOperation",
            },
            AttemptFailure::Service { code: "InternalError" },
            AttemptFailure::Service { code: "ResourceInUse" },
            AttemptFailure::Service { code: "LimitExceeded" },
            AttemptFailure::Service { code: "" },
            AttemptFailure::Timeout,
            AttemptFailure::Transport,
            AttemptFailure::HttpStatus(500),
            AttemptFailure::HttpStatus(501),
            AttemptFailure::HttpStatus(505),
            AttemptFailure::HttpStatus(429),
            AttemptFailure::HttpStatus(404),
            AttemptFailure::Undecodable,
            AttemptFailure::Local,
        ];
        for failure in retried {
            assert!(is_retryable(failure), "{failure:?} should be retried");
            assert!(
                RetryConfig::default().retries(failure),
                "{failure:?} should be retried by default"
            );
        }
        let strict = RetryConfig::default().with_gateway_retries(false);
        assert!(!strict.retries(AttemptFailure::HttpStatus(502)));
        assert!(!strict.retries(AttemptFailure::HttpStatus(504)));
        assert!(strict.retries(AttemptFailure::HttpStatus(503)));
        for failure in not_retried {
            assert!(!is_retryable(failure), "{failure:?} should not be retried");
        }
    }

    #[test]
    fn ceiling_doubles_then_caps() {
        let c = RetryConfig::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_secs(1));
        let ceilings: Vec<u128> = (1..=6).map(|n| c.backoff_ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(
            c.backoff_ceiling(u32::MAX),
            Duration::from_secs(1),
            "huge retry counts do not overflow"
        );
        let huge = RetryConfig::default()
            .with_base_delay(Duration::MAX)
            .with_max_delay(Duration::MAX);
        assert_eq!(huge.backoff_ceiling(40), Duration::MAX);
        assert!(
            huge.backoff(40, u64::MAX) < Duration::from_nanos(u64::MAX),
            "no overflow with huge delays"
        );
    }

    #[test]
    fn full_jitter_stays_within_zero_and_the_ceiling() {
        let c = RetryConfig::default();
        assert_eq!(c.backoff(1, 0), Duration::ZERO);
        assert!(c.backoff(1, u64::MAX) < c.backoff_ceiling(1));
        assert!(c.backoff(1, u64::MAX) > c.backoff_ceiling(1) - Duration::from_nanos(2));
        assert_eq!(c.backoff(2, 1 << 63), c.backoff_ceiling(2) / 2);
        for retry in 1..=5 {
            for _ in 0..200 {
                let wait = c.jittered_backoff(retry);
                assert!(
                    wait <= c.backoff_ceiling(retry),
                    "{wait:?} over the ceiling for retry {retry}"
                );
            }
        }
    }

    #[test]
    fn random_values_vary() {
        let values: std::collections::HashSet<u64> = (0..1000).map(|_| random_u64()).collect();
        assert_eq!(values.len(), 1000);
    }

    #[test]
    fn attempts_are_at_least_one() {
        assert_eq!(RetryConfig::default().max_attempts(), 3);
        assert_eq!(RetryConfig::default().with_max_attempts(0).max_attempts(), 1);
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
    }
}
