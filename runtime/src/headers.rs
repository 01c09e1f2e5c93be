//! The API 3.0 request headers this crate sends (`X-TC-*`) and the `X-TC-RequestClient` value
//! naming it.
//!
//! Shared by the send loop (`dispatch`) and the STS credential providers, which call
//! STS themselves; it depends on no other module of the crate. [`REQUEST_CLIENT`] is re-exported
//! as `dispatch::REQUEST_CLIENT`, its public home.

use reqwest::header::HeaderName;

/// `X-TC-RequestClient`: this crate and its version.
pub const REQUEST_CLIENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// `X-TC-Action`: the action called.
pub(crate) const X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
/// `X-TC-Version`: the service's API version.
pub(crate) const X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
/// `X-TC-Timestamp`: the Unix time the request was signed at.
pub(crate) const X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
/// `X-TC-Token`: the session token of temporary credentials.
pub(crate) const X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
/// `X-TC-Region`: the region the request is for.
pub(crate) const X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
/// `X-TC-Language`: the language of error messages.
pub(crate) const X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
/// `X-TC-RequestClient`: carries [`REQUEST_CLIENT`].
pub(crate) const X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");
