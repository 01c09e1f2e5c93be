//! The hand-written runtime behind generated Tencent Cloud API 3.0 clients.
//!
//! Nothing here varies with the spec: TC3-HMAC-SHA256 signing, the HTTP transport, credentials,
//! retries, client-side rate limits, error classification, request validation helpers and the
//! [`Sensitive`] wrapper. Generated crates (such as `generated-client`) call into it and
//! re-export what their users need, so users depend on one crate.
//!
//! # Cargo features
//!
//! - `test-util` (off by default): [`test_util`], helpers for tests, such as
//!   [`test_util::log_capture`], which captures every tracing line, and
//!   [`test_util::mock`], a mock client whose rules answer calls without a network.
#![forbid(unsafe_code)]

mod builder;
mod coded_error;
pub mod config;
mod credential_values;
pub mod credentials;
mod credentials_error;
pub mod customize;
pub mod datetime;
pub mod dispatch;
pub mod dynamic;
mod endpoint;
pub mod error;
mod headers;
mod model_macro;
mod pagination_error;
pub mod paginator;
pub mod rate_limit;
mod rate_limit_error;
pub mod retry;
pub mod sensitive;
pub mod service;
pub mod signing;
mod string_enum;
#[cfg(feature = "test-util")]
pub mod test_util;
mod timeouts;
pub mod validation;
pub mod waiter;
pub mod wire;

pub use builder::{ClientBuilder, FromHandle};
pub use coded_error::{CodedError, ErrorKind};
pub use config::Language;
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use customize::{Customizable, Customize};
pub use datetime::{Date, DateTime};
pub use dispatch::{CallFuture, Handle};
pub use error::{ActionError, BuildError, ConfigError, Error, ServiceError};
pub use rate_limit::{LocalRateLimiter, RateLimit, RateLimitError, RateLimiter};
pub use retry::RetryConfig;
pub use sensitive::{Sensitive, REDACTED};
pub use service::{ActionId, ActionMeta, ServiceMeta};
pub use string_enum::UnknownValue;
pub use validation::{Checker, Pattern, Rule, Validate, ValidationError, Violation};
