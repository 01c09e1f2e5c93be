//! The default timeouts of a client: connecting, one whole attempt, and how long an idle
//! connection is kept for reuse.
//!
//! Used by the client settings and by the STS providers, which take the same defaults; re-exported
//! from `config`, their public home. Depends on no other module of the crate.

use std::time::Duration;

/// Default time allowed to open a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for one attempt, from sending the request to reading the whole answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time an idle keep-alive connection is kept for reuse: below the idle timeouts of the
/// load balancers in front of the API (75 s for Tencent's CLB, 60 s for AWS's ALB), so the client
/// drops a connection before a front end does. Tencent's Go SDK uses the same 30 s.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
