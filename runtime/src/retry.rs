//! Which failed attempts are tried again, how long to wait before the next one, and the retry
//! budget that keeps a client from multiplying the load on a service that is down.
//!
//! # What is retried, and why that is safe
//!
//! The policy is an allow-list: only failures that say the service did not (or most likely did
//! not) run the request are retried; everything else is returned to the caller at once.
//!
//! Retried:
//! - `RequestLimitExceeded` and its sub-codes (`RequestLimitExceeded.UinLimitExceeded`, ...):
//!   the API rejected the request before running it.
//! - The other service codes that refuse a request without running it, for a wait that is short
//!   (see [the table below](#service-codes-that-mean-try-again-later)).
//! - Connection failures, including a connect timeout: the request never left the client.
//! - HTTP 503: the front end refused the request as unavailable, without passing it on.
//! - HTTP 502 and 504 (gateway errors): the API's front end got no answer from the service
//!   behind it. Usually the request did not run, but it may have. Turn these off with
//!   [`RetryConfig::with_gateway_retries`]`(false)` for strict at-most-once calls.
//! - A request of a **read-only** action (the spec's `read_only`, [`ActionMeta::read_only`])
//!   whose connection closed or reset before any byte of an answer came back: sent once more at
//!   once, on a new connection (see [below](#a-connection-that-closes-before-the-answer)).
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
//! - Timeouts after the request was sent and connections that broke after it was sent (for an
//!   action that is not read-only): the request may well have run, and the client cannot tell.
//!   The error says so.
//! - Every other service error: authentication (`AuthFailure.*`), parameters (`InvalidParameter*`,
//!   `MissingParameter`, `UnknownParameter`), permissions (`UnauthorizedOperation`,
//!   `OperationDenied`), `InternalError`, resource states: trying again cannot change the answer,
//!   or might do the work twice.
//! - Responses the client could not understand.
//!
//! Waits use exponential backoff with full jitter: before retry `n` (1-based) the wait is a
//! uniformly random duration in `[0, min(max_delay, base_delay × 2ⁿ⁻¹)]`. There is no wait after
//! the last attempt, and none before the immediate resend of a read-only request.
//!
//! # A connection that closes before the answer
//!
//! The client keeps idle keep-alive connections for reuse (30 s by default,
//! [`ClientBuilder::pool_idle_timeout`](crate::ClientBuilder::pool_idle_timeout)), below the idle
//! timeouts of the load balancers in front of the API (75 s for Tencent's CLB by default, 60 s
//! for AWS's). A front end that closes an idle connection just as a request is written on it
//! makes the request fail with "connection closed before message completed" or a reset, and no
//! answer. Whether the service ran the request is unknown: the front end may have passed it on
//! before closing.
//!
//! - A read-only action is sent again at once on a connection opened for it (a client built
//!   with [`http_client`](crate::ClientBuilder::http_client) uses that client's pool instead).
//!   This happens once per call, not counted in [`RetryConfig::max_attempts`], and costs
//!   [`RetryBudget::timeout_cost`] tokens. Running a read twice does no harm.
//! - Any other action fails with [`Error::Transport`](crate::Error::Transport), whose message
//!   says the request may have run. Sending it again could run a write twice (two purge tasks,
//!   two records), and API 3.0 offers no general way to make a second send harmless.
//!
//! Tencent's own SDKs draw the line elsewhere. The Go SDK retries a network failure only for a
//! request that carries a client token (`ClientToken`), which the service uses to recognise a
//! repeat; few actions have one, and TEO's have none. The Python SDK's retryer retries network
//! failures of any action when asked to, writes included. This client keeps the Go SDK's
//! caution but lets the spec vouch for reads.
//!
//! The connection that failed is never used again: the HTTP client drops a connection on any
//! error, and the resend goes out on a new one.
//!
//! # Service codes that mean "try again later"
//!
//! Besides `RequestLimitExceeded*`, TEO (2022-09-01) answers some requests with codes that
//! refuse the request because of something else in progress. A code is retried when the
//! service's documentation says the request was refused (so it did not run) **and** the wait it
//! asks for is short, so that a retry within the backoff (at most a few seconds) can succeed.
//! Codes that ask to wait for a deployment or a state change of minutes are not retried: the
//! retries would fail too and only spend the budget; a [waiter](crate::waiter) or the caller's
//! own schedule fits them.
//!
//! | code | decision | why |
//! |---|---|---|
//! | `RequestLimitExceeded`, `RequestLimitExceeded.*` | retried | the API's rate limiter refused the request |
//! | `LimitExceeded.RateLimitExceeded` | retried | "requests are coming too fast": a rate limit, refused before running |
//! | `InvalidParameter.ActionInProgress` | retried | another change to the same hosts is being applied; the request was refused (the Terraform provider retries it too) |
//! | `OperationDenied.ResourceLockedTemporary` | retried | another operation holds the resource for a moment; refused, "retry later" |
//! | `OperationDenied.ResourceHasBeenLocked` | not retried | a billing operation holds the resource; it can last longer than the backoff |
//! | `InternalError.ConfigLocked`, `OperationDenied.ConfigLocked` | not retried | documented both as "try later" and as "unlock it first": a person may have to act |
//! | `FailedOperation.FunctionDeploying` | not retried | waits for a deployment to finish (minutes) |
//! | `InvalidParameter.ZoneIsGrayPublishing`, `OperationDenied.DisableZoneNotCompleted`, `OperationDenied.EnvNotReady`, `OperationDenied.L4ProxyInProcessStatus`, `OperationDenied.AccelerationDomainStatusNotInOnline`, `InvalidParameter.LoadBalancerBindL4NotInStableStatus`, `InvalidParameter.LoadBalancerBindL7NotInStableStatus` | not retried | wait for a state change of minutes |
//! | `OperationDenied.L4LackOfResources`, `OperationDenied.L4PortLackOfResources`, `ResourcesSoldOut.L7LackOfResources` | not retried | capacity sold out: no short wait helps |
//! | `InternalError`, `InternalError.*`, `InvalidParameter.TaskSystemError`, `FailedOperation.FailedToCallDNSPod` | not retried | the service failed while running the request, which may have done part of the work |
//!
//! # The retry budget
//!
//! A client and its clones share one token bucket ([`RetryBudget`]), in the manner of the AWS
//! SDKs' standard retry strategy: a retry takes [`RetryBudget::retry_cost`] tokens (5 by
//! default), a retry after a connection failure or a lost connection takes
//! [`RetryBudget::timeout_cost`] (10), a call that succeeds at the first attempt puts
//! [`RetryBudget::success_refund`] (1) back, and a call that succeeds after retries gives back
//! what its retries took. The bucket starts full ([`RetryBudget::capacity`], 500). When it holds
//! too few tokens, a failure that would be retried is returned at once. In normal operation the
//! bucket stays full and nothing changes; in an outage where every answer is a 503, the first
//! 100 retries empty it and every later call makes one request: 1,000 calls make at most
//! 1,100 requests instead of 3,000. The call's `tencentcloud.call` span records the tokens left
//! (`retry_tokens`) and whether the budget refused a retry (`retry_refused`).
//!
//! [`ActionMeta::read_only`]: crate::ActionMeta::read_only

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
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
    budget: Option<RetryBudget>,
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

    /// Sets the retry budget shared by a client and its clones; `None` turns it off (every
    /// retryable failure is retried up to [`max_attempts`](Self::max_attempts)). See the
    /// [module docs](self#the-retry-budget).
    pub fn with_budget(mut self, budget: Option<RetryBudget>) -> Self {
        self.budget = budget;
        self
    }

    /// The retry budget, if on (it is by default).
    pub fn budget(&self) -> Option<RetryBudget> {
        self.budget
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
            budget: Some(RetryBudget::default()),
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

/// Service codes besides `RequestLimitExceeded*` that refuse a request without running it, for a
/// short wait; see the [module docs](self#service-codes-that-mean-try-again-later).
pub const TRY_AGAIN_CODES: &[&str] = &[
    "LimitExceeded.RateLimitExceeded",
    "InvalidParameter.ActionInProgress",
    "OperationDenied.ResourceLockedTemporary",
];

/// Whether a service error code means the request was rejected before it ran, so it may be
/// sent again: `RequestLimitExceeded` and its sub-codes, and [`TRY_AGAIN_CODES`].
pub fn is_retryable_code(code: &str) -> bool {
    const THROTTLED: &str = "RequestLimitExceeded";
    code == THROTTLED
        || code.strip_prefix(THROTTLED).is_some_and(|rest| rest.starts_with('.'))
        || TRY_AGAIN_CODES.contains(&code)
}

/// Whether an HTTP status is retried by default: 503 (refused), 502 and 504 (gateway errors).
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 502..=504)
}

/// The settings of the token bucket that limits retries; see the
/// [module docs](self#the-retry-budget).
///
/// ```
/// use tencentcloud_runtime::retry::{RetryBudget, RetryConfig};
/// let budget = RetryBudget::default().with_capacity(100);
/// let retry = RetryConfig::default().with_budget(Some(budget));
/// assert_eq!(retry.budget().map(|b| b.capacity()), Some(100));
/// assert_eq!(RetryBudget::default().retry_cost(), 5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryBudget {
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_refund: u32,
}

impl RetryBudget {
    /// Default size of the bucket, which starts full.
    pub const DEFAULT_CAPACITY: u32 = 500;
    /// Default cost of a retry.
    pub const DEFAULT_RETRY_COST: u32 = 5;
    /// Default cost of a retry after a connection failure, a connect timeout or a lost connection.
    pub const DEFAULT_TIMEOUT_COST: u32 = 10;
    /// Default number of tokens a first-attempt success puts back.
    pub const DEFAULT_SUCCESS_REFUND: u32 = 1;

    /// Sets the size of the bucket (and its starting level).
    pub fn with_capacity(mut self, tokens: u32) -> Self {
        self.capacity = tokens;
        self
    }

    /// Sets the cost of a retry.
    pub fn with_retry_cost(mut self, tokens: u32) -> Self {
        self.retry_cost = tokens;
        self
    }

    /// Sets the cost of a retry after a connection failure or a lost connection.
    pub fn with_timeout_cost(mut self, tokens: u32) -> Self {
        self.timeout_cost = tokens;
        self
    }

    /// Sets how many tokens a call that succeeds at its first attempt puts back.
    pub fn with_success_refund(mut self, tokens: u32) -> Self {
        self.success_refund = tokens;
        self
    }

    /// The size of the bucket.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// The cost of a retry.
    pub fn retry_cost(&self) -> u32 {
        self.retry_cost
    }

    /// The cost of a retry after a connection failure or a lost connection.
    pub fn timeout_cost(&self) -> u32 {
        self.timeout_cost
    }

    /// The tokens a first-attempt success puts back.
    pub fn success_refund(&self) -> u32 {
        self.success_refund
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget {
            capacity: Self::DEFAULT_CAPACITY,
            retry_cost: Self::DEFAULT_RETRY_COST,
            timeout_cost: Self::DEFAULT_TIMEOUT_COST,
            success_refund: Self::DEFAULT_SUCCESS_REFUND,
        }
    }
}

/// The live bucket of a client, shared by its clones.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    config: RetryBudget,
    tokens: Mutex<u32>,
}

impl TokenBucket {
    /// A full bucket.
    pub(crate) fn new(config: RetryBudget) -> Self {
        TokenBucket {
            config,
            tokens: Mutex::new(config.capacity),
        }
    }

    /// The bucket's settings.
    pub(crate) fn config(&self) -> &RetryBudget {
        &self.config
    }

    fn level(&self) -> std::sync::MutexGuard<'_, u32> {
        // A panic while holding the lock cannot leave the count invalid.
        self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes `cost` tokens if the bucket holds that many: `Ok(left)`, or `Err(left)` with
    /// nothing taken.
    pub(crate) fn try_take(&self, cost: u32) -> Result<u32, u32> {
        let mut tokens = self.level();
        if *tokens >= cost {
            *tokens -= cost;
            Ok(*tokens)
        } else {
            Err(*tokens)
        }
    }

    /// Puts `tokens` back, up to the capacity; the level after.
    pub(crate) fn put_back(&self, tokens: u32) -> u32 {
        let mut level = self.level();
        *level = level.saturating_add(tokens).min(self.config.capacity);
        *level
    }

    /// The tokens in the bucket now.
    pub(crate) fn available(&self) -> u32 {
        *self.level()
    }
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
            AttemptFailure::Service {
                code: "LimitExceeded.RateLimitExceeded",
            },
            AttemptFailure::Service {
                code: "InvalidParameter.ActionInProgress",
            },
            AttemptFailure::Service {
                code: "OperationDenied.ResourceLockedTemporary",
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
            AttemptFailure::Service {
                code: "InternalError.ConfigLocked",
            },
            AttemptFailure::Service {
                code: "OperationDenied.ConfigLocked",
            },
            AttemptFailure::Service {
                code: "OperationDenied.ResourceHasBeenLocked",
            },
            AttemptFailure::Service {
                code: "FailedOperation.FunctionDeploying",
            },
            AttemptFailure::Service {
                code: "InvalidParameter.ZoneIsGrayPublishing",
            },
            AttemptFailure::Service {
                code: "InvalidParameter.ActionInProgress.X",
            },
            AttemptFailure::Service { code: "LimitExceeded" },
            AttemptFailure::Service {
                code: "ResourcesSoldOut.L7LackOfResources",
            },
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

    #[test]
    fn the_bucket_takes_refuses_and_refills_up_to_its_capacity() {
        let bucket = TokenBucket::new(RetryBudget::default().with_capacity(12));
        assert_eq!(bucket.try_take(5), Ok(7));
        assert_eq!(bucket.try_take(5), Ok(2));
        assert_eq!(bucket.try_take(5), Err(2), "too few tokens: nothing is taken");
        assert_eq!(bucket.available(), 2);
        assert_eq!(bucket.put_back(1), 3);
        assert_eq!(bucket.put_back(100), 12, "never above the capacity");
        assert_eq!(bucket.try_take(0), Ok(12));
    }

    #[test]
    fn a_full_outage_spends_the_default_budget_in_one_hundred_retries() {
        let config = RetryBudget::default();
        let bucket = TokenBucket::new(config);
        let retries = std::iter::from_fn(|| bucket.try_take(config.retry_cost()).ok()).count();
        assert_eq!(retries, 100);
        assert_eq!(RetryConfig::default().budget(), Some(config));
        assert_eq!(RetryConfig::default().with_budget(None).budget(), None);
    }
}
