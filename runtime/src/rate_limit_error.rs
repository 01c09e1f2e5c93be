//! The error a rate limiter returns when it cannot grant a slot: a leaf module, so that
//! [`crate::error`] can name it without depending on the limiters.

/// A limiter could not grant a slot; the request was not sent.
///
/// Only a limiter that is set to fail closed returns this (the Redis limiter when Redis cannot be
/// reached and fallback is off). Its text names the limiter's store and the reason, never a key
/// or a credential.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the rate limiter could not grant a slot: {0}")]
pub struct RateLimitError(pub String);
