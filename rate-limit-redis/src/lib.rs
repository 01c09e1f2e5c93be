//! Fleet-wide rate limiting for Tencent Cloud API clients built on `tencentcloud-runtime`.
//!
//! Tencent Cloud limits each action per account. A client paces itself within its process; a
//! fleet of processes using one account (several pods, CI runners, workers) needs one pacer for
//! all of them. [`RedisRateLimiter`] is that pacer: a GCRA per account and action, kept in Redis
//! by one atomic script on Redis's clock, so every process sees the same schedule.
//!
//! ```no_run
//! # fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use tencentcloud_rate_limit_redis::RedisRateLimiter;
//! let limiter = RedisRateLimiter::builder().url("redis://127.0.0.1:6379").build()?;
//! // let client = generated_client::Client::builder().rate_limiter(limiter).build()?;
//! # drop(limiter);
//! # Ok(())
//! # }
//! ```
//!
//! The client still decides which actions are paced and at what rate (the spec's, or its
//! `RateLimit::PerSecond`); the limiter keeps every process to it. Throttling answers
//! (`RequestLimitExceeded*`) slow the action down for the whole fleet (the runtime's
//! `rate_limit::adaptive` rule, computed in Redis). When Redis is away, each process paces on its
//! own at the same rate (logged once), or fails its calls if set to
//! [`fail_closed`](Builder::fail_closed).
#![forbid(unsafe_code)]

mod limiter;
mod scripts;
mod settings;

pub use limiter::RedisRateLimiter;
pub use settings::{
    BuildError, Builder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_KEY_PREFIX, DEFAULT_RESPONSE_TIMEOUT, DEFAULT_RETRY_INTERVAL,
    MAX_KEY_PREFIX_BYTES,
};
