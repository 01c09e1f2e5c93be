//! The default timeouts of a client: connecting, and one whole attempt.
//!
//! Used by the client settings and by the STS providers, which take the same defaults; re-exported
//! from `config`, their public home. Depends on no other module of the crate.

use std::time::Duration;

/// Default time allowed to open a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for one attempt, from sending the request to reading the whole answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
