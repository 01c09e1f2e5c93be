//! Settings for one call: what a fluent builder's `customize` takes.
//!
//! A [`Customize`] overrides, for the call (or the paginator or waiter) it is set on, the
//! client's per-attempt timeout, its deadline for the whole call, its retry policy, its region
//! and language, and adds headers of the caller's own (such as `X-TC-TraceId`). Nothing else
//! the client does changes: its credentials, endpoint, connection pool, rate limiters and retry
//! budget are shared as for any call, and the client's other calls keep its settings.
//!
//! The settings are checked when the call is sent, before anything else happens: a header the
//! signer or the send loop writes itself ([`PROTECTED_HEADERS`]), a header name or value that
//! HTTP cannot carry, an empty region or a zero timeout fails the call with
//! [`Error::Config`](crate::Error::Config) naming the setting, and nothing is sent.
//!
//! Extra headers are not signed: TC3-HMAC-SHA256 signs `content-type` and `host` only (see
//! [`crate::signing`]), and the service does not ask for more, so a header added here cannot
//! break the signature. Their values may be sensitive (a token of the caller's tracing
//! system), so `Debug` shows their names only, and they are marked sensitive for HTTP-level
//! logging.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::config::Language;
use crate::error::ConfigError;
use crate::retry::RetryConfig;
use crate::sensitive::REDACTED;

/// The headers a call cannot set through [`Customize::header`], lowercase: those the signer and
/// the send loop write (`authorization`, `host`, `content-type` and the `x-tc-*` headers of
/// API 3.0), and those HTTP itself frames the request with. Region and language have setters of
/// their own.
pub const PROTECTED_HEADERS: &[&str] = &[
    "authorization",
    "host",
    "content-type",
    "content-length",
    "transfer-encoding",
    "connection",
    "x-tc-action",
    "x-tc-timestamp",
    "x-tc-version",
    "x-tc-region",
    "x-tc-token",
    "x-tc-language",
    "x-tc-requestclient",
];

/// Settings for one call, given to a fluent builder's `customize`.
///
/// ```
/// use std::time::Duration;
/// use tencentcloud_runtime::{Customize, Language};
///
/// let call = Customize::default()
///     .timeout(Duration::from_secs(5))
///     .operation_timeout(Duration::from_secs(12))
///     .region("ap-singapore")
///     .language(Language::EnUs)
///     .header("X-TC-TraceId", "trace-7f3a");
/// // Header values may be secret: `Debug` names the header only.
/// assert_eq!(
///     format!("{call:?}"),
///     "Customize { timeout: Some(5s), operation_timeout: Some(12s), retry: None, region: \
///      Some(\"ap-singapore\"), language: Some(EnUs), headers: [(\"X-TC-TraceId\", \"** redacted **\")] }"
/// );
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Customize {
    timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    region: Option<String>,
    language: Option<Language>,
    headers: Vec<(String, String)>,
}

impl Customize {
    /// Time allowed for each attempt of this call, instead of the client's
    /// [`timeout`](crate::ClientBuilder::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A deadline for this whole call (every attempt and every wait), instead of the client's
    /// [`operation_timeout`](crate::ClientBuilder::operation_timeout), if any. For a paginator,
    /// each page is a call; for a waiter, each poll.
    pub fn operation_timeout(mut self, deadline: Duration) -> Self {
        self.operation_timeout = Some(deadline);
        self
    }

    /// How this call's failed attempts are retried, instead of the client's
    /// [`retry`](crate::ClientBuilder::retry). The retry budget stays the client's: retries of
    /// this call draw on the budget every call shares (when the client has one).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sends this call once, whatever happens.
    pub fn disable_retries(self) -> Self {
        self.retry(RetryConfig::disabled())
    }

    /// Sends `X-TC-Region: region` with this call, instead of the client's region (or none).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends `X-TC-Language` with this call, instead of the client's language (or none).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Adds a header to this call, such as `X-TC-TraceId`; the last value given for a name (in
    /// any case) is the one sent. A header in [`PROTECTED_HEADERS`] fails the call before it is
    /// sent, with an error naming it.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
        self
    }

    /// The settings checked and in the form the send loop uses; the error names the setting at
    /// fault (a header by its name, never its value).
    pub(crate) fn check(&self) -> Result<CallPlan, ConfigError> {
        if self.timeout.is_some_and(|t| t.is_zero()) {
            return Err(ConfigError("the call's timeout must be greater than zero".to_owned()));
        }
        if self.operation_timeout.is_some_and(|t| t.is_zero()) {
            return Err(ConfigError(
                "the call's operation timeout must be greater than zero".to_owned(),
            ));
        }
        let region = match &self.region {
            None => None,
            Some(r) if r.trim().is_empty() => {
                return Err(ConfigError("the call's region must not be empty".to_owned()))
            }
            Some(r) => Some(
                HeaderValue::from_str(r)
                    .map_err(|_| ConfigError(format!("the call's region {r:?} cannot be sent in an HTTP header")))?,
            ),
        };
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| extra_header(name, value))
            .collect::<Result<_, _>>()?;
        Ok(CallPlan {
            timeout: self.timeout,
            operation_timeout: self.operation_timeout,
            retry: self.retry,
            region,
            language: self.language.map(|l| HeaderValue::from_static(l.as_str())),
            headers,
        })
    }
}

/// One extra header, checked: a name HTTP accepts and no one else writes, and a value HTTP can
/// carry (marked sensitive).
fn extra_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), ConfigError> {
    let parsed = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        ConfigError(format!(
            "the call's header name {name:?} is not a valid HTTP header name"
        ))
    })?;
    if PROTECTED_HEADERS.contains(&parsed.as_str()) {
        let instead = match parsed.as_str() {
            "x-tc-region" => " (use `region` instead)",
            "x-tc-language" => " (use `language` instead)",
            _ => "",
        };
        return Err(ConfigError(format!(
            "the call cannot set header {name}: the client writes it itself{instead}"
        )));
    }
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        ConfigError(format!(
            "the call's header {name} has a value that cannot be sent in an HTTP header"
        ))
    })?;
    value.set_sensitive(true);
    Ok((parsed, value))
}

impl fmt::Debug for Customize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self.headers.iter().map(|(n, _)| (n.as_str(), REDACTED)).collect();
        f.debug_struct("Customize")
            .field("timeout", &self.timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("retry", &self.retry)
            .field("region", &self.region)
            .field("language", &self.language)
            .field("headers", &headers)
            .finish()
    }
}

/// [`Customize`] after its check: what the send loop overrides for one call.
#[derive(Debug, Default)]
pub(crate) struct CallPlan {
    pub(crate) timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) region: Option<HeaderValue>,
    pub(crate) language: Option<HeaderValue>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

/// What a fluent builder's client handle is, for `customize`: the client's [`Handle`](crate::Handle)
/// itself, or a waiter's [`Waiting`](crate::waiter::Waiting), which polls through one.
pub trait Customizable {
    /// Changes the settings of the calls made through this handle (and only through it).
    fn customize_calls(&mut self, f: impl FnOnce(Customize) -> Customize);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(call: Customize) -> String {
        call.check().unwrap_err().0
    }

    #[test]
    fn every_protected_header_is_refused_by_name_in_any_case() {
        for name in PROTECTED_HEADERS {
            let shouting = name.to_ascii_uppercase();
            let message = error(Customize::default().header(shouting.clone(), "x"));
            assert!(
                message.starts_with(&format!(
                    "the call cannot set header {shouting}: the client writes it itself"
                )),
                "{message}"
            );
        }
        assert_eq!(
            error(Customize::default().header("X-TC-Region", "ap-guangzhou")),
            "the call cannot set header X-TC-Region: the client writes it itself (use `region` instead)"
        );
    }

    #[test]
    fn a_bad_header_value_is_named_by_its_header_without_the_value() {
        let message = error(Customize::default().header("X-TC-TraceId", "line\nbreak-secret"));
        assert_eq!(
            message,
            "the call's header X-TC-TraceId has a value that cannot be sent in an HTTP header"
        );
        assert_eq!(
            error(Customize::default().header("Bad Name", "v")),
            "the call's header name \"Bad Name\" is not a valid HTTP header name"
        );
    }

    #[test]
    fn zero_timeouts_and_empty_regions_are_refused() {
        assert_eq!(
            error(Customize::default().timeout(Duration::ZERO)),
            "the call's timeout must be greater than zero"
        );
        assert_eq!(
            error(Customize::default().operation_timeout(Duration::ZERO)),
            "the call's operation timeout must be greater than zero"
        );
        assert_eq!(
            error(Customize::default().region(" ")),
            "the call's region must not be empty"
        );
    }

    #[test]
    fn the_last_value_of_a_header_wins_and_values_are_sensitive() {
        let plan = Customize::default()
            .header("X-TC-TraceId", "a")
            .header("x-tc-traceid", "b")
            .check()
            .unwrap();
        assert_eq!(plan.headers.len(), 1);
        assert_eq!(plan.headers[0].0.as_str(), "x-tc-traceid");
        assert_eq!(plan.headers[0].1, "b");
        assert!(plan.headers[0].1.is_sensitive());
    }
}
