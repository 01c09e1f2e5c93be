//! How a client is configured, as data: the settings a builder collects, their defaults, and the
//! check that turns them into the form the send loop uses.
//!
//! [`crate::ClientBuilder`] collects the settings; its `build` checks them (timeouts, endpoint
//! URL, credentials, the fixed header values) and hands the checked form to the send loop
//! ([`crate::Handle`]). This module depends on neither.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::credentials::{Credentials, DefaultChain, ProvideCredentials};
pub(crate) use crate::endpoint::Endpoint;
use crate::error::{BuildError, ConfigError};
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::retry::RetryConfig;
use crate::service::ServiceMeta;
pub use crate::timeouts::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_TIMEOUT};

/// The language of the service's error messages, sent as `X-TC-Language`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// Simplified Chinese, `zh-CN` (the service's default).
    ZhCn,
    /// English, `en-US`.
    EnUs,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }
}

/// Where credentials come from: the one type both the settings and the send loop hold.
#[derive(Clone)]
pub(crate) enum CredentialSource {
    /// Fixed credentials.
    Static(Credentials),
    /// Ask this provider before every attempt.
    Provider(Arc<dyn ProvideCredentials>),
}

impl fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::Static(c) => c.fmt(f),
            CredentialSource::Provider(p) => f.debug_tuple("Provider").field(p).finish(),
        }
    }
}

/// Shows a settings' credentials: the default chain when none were given.
pub(crate) struct ShowCredentials<'a>(pub(crate) &'a Option<CredentialSource>);

impl fmt::Debug for ShowCredentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("DefaultChain"),
            Some(source) => source.fmt(f),
        }
    }
}

/// The settings a builder collects, independent of the client type.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// `None`: the default chain, resolved on the first call.
    pub(crate) credentials: Option<CredentialSource>,
    pub(crate) endpoint: Option<String>,
    pub(crate) international: bool,
    pub(crate) region: Option<String>,
    pub(crate) language: Option<Language>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) retry: RetryConfig,
    pub(crate) rate_limit: RateLimit,
    /// The deadline of a whole call; `None`: no deadline beyond the attempts' own.
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) pool_idle_timeout: Duration,
    /// `None`: a new in-process limiter for the built client.
    pub(crate) rate_limiter: Option<Arc<dyn RateLimiter>>,
    /// A mock client's rules, which answer instead of the network.
    #[cfg(feature = "test-util")]
    pub(crate) mock: Option<Arc<crate::test_util::mock::Rules>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            credentials: None,
            endpoint: None,
            international: false,
            region: None,
            language: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            http_client: None,
            retry: RetryConfig::default(),
            rate_limit: RateLimit::default(),
            operation_timeout: None,
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            rate_limiter: None,
            #[cfg(feature = "test-util")]
            mock: None,
        }
    }
}

/// Settings after [`Settings::check`]: an endpoint that parsed, credentials resolved and checked,
/// timeouts above zero, and the header values every request of the client sends, each checked
/// to fit in an HTTP header. What the send loop is built from.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) endpoint: Endpoint,
    pub(crate) credentials: CredentialSource,
    pub(crate) headers: FixedHeaders,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) retry: RetryConfig,
    pub(crate) rate_limit: RateLimit,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) rate_limiter: Option<Arc<dyn RateLimiter>>,
    #[cfg(feature = "test-util")]
    pub(crate) mock: Option<Arc<crate::test_util::mock::Rules>>,
}

/// Header values that are the same for every request of a client, checked once.
#[derive(Debug)]
pub(crate) struct FixedHeaders {
    /// `Host`, from the endpoint.
    pub(crate) host: HeaderValue,
    /// `X-TC-Version`, the service's API version.
    pub(crate) version: HeaderValue,
    /// `X-TC-Region`, if set.
    pub(crate) region: Option<HeaderValue>,
    /// `X-TC-Language`, if set.
    pub(crate) language: Option<HeaderValue>,
    /// `X-TC-Action` per entry of the service's action table.
    pub(crate) actions: Vec<HeaderValue>,
}

impl Settings {
    /// Checks every setting that needs no network: timeouts, the endpoint for `service`,
    /// explicit credentials and the fixed header values. The default chain is not read here:
    /// it is resolved on the first call, and cached (see [`DefaultChain`]).
    pub(crate) fn check(self, service: &ServiceMeta) -> Result<Checked, BuildError> {
        check_timeouts(&self)?;
        let endpoint_text = match (&self.endpoint, self.international) {
            (Some(url), _) => url.as_str(),
            (None, true) => service.intl_endpoint,
            (None, false) => service.endpoint,
        };
        let endpoint = Endpoint::parse(endpoint_text).map_err(ConfigError)?;
        let credentials = match self.credentials {
            None => CredentialSource::Provider(Arc::new(DefaultChain::new())),
            Some(CredentialSource::Static(c)) => {
                c.check("explicit credentials")?;
                CredentialSource::Static(c)
            }
            Some(CredentialSource::Provider(p)) => CredentialSource::Provider(p),
        };
        let headers = FixedHeaders {
            host: header_value(&endpoint.host, "endpoint host")?,
            version: header_value(service.version, "service version")?,
            region: self.region.as_deref().map(region_value).transpose()?,
            language: self.language.map(|l| HeaderValue::from_static(l.as_str())),
            actions: service
                .actions
                .iter()
                .map(|a| header_value(a.name, "action name"))
                .collect::<Result<_, ConfigError>>()?,
        };
        Ok(Checked {
            endpoint,
            credentials,
            headers,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            http_client: self.http_client,
            retry: self.retry,
            rate_limit: self.rate_limit,
            operation_timeout: self.operation_timeout,
            pool_idle_timeout: self.pool_idle_timeout,
            rate_limiter: self.rate_limiter,
            #[cfg(feature = "test-util")]
            mock: self.mock,
        })
    }
}

/// Checks the timeouts.
fn check_timeouts(settings: &Settings) -> Result<(), ConfigError> {
    if settings.timeout.is_zero() {
        return Err(ConfigError("timeout must be greater than zero".to_owned()));
    }
    if settings.connect_timeout.is_zero() {
        return Err(ConfigError("connect timeout must be greater than zero".to_owned()));
    }
    if settings.operation_timeout.is_some_and(|t| t.is_zero()) {
        return Err(ConfigError("operation timeout must be greater than zero".to_owned()));
    }
    if settings.pool_idle_timeout.is_zero() {
        return Err(ConfigError(
            "pool idle timeout must be greater than zero (to keep no idle connection, pass an http_client built with pool_max_idle_per_host(0))".to_owned(),
        ));
    }
    Ok(())
}

/// `value` as a header value, or an error naming `what` it is.
fn header_value(value: &str, what: &str) -> Result<HeaderValue, ConfigError> {
    HeaderValue::from_str(value).map_err(|_| ConfigError(format!("{what} {value:?} cannot be sent in an HTTP header")))
}

fn region_value(region: &str) -> Result<HeaderValue, ConfigError> {
    if region.trim().is_empty() {
        return Err(ConfigError("region must not be empty".to_owned()));
    }
    header_value(region, "region")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_have_their_header_values() {
        assert_eq!(Language::ZhCn.as_str(), "zh-CN");
        assert_eq!(Language::EnUs.as_str(), "en-US");
    }

    #[test]
    fn zero_timeouts_are_rejected() {
        let settings = Settings {
            timeout: Duration::ZERO,
            ..Settings::default()
        };
        assert_eq!(
            check_timeouts(&settings).unwrap_err().0,
            "timeout must be greater than zero"
        );
        let settings = Settings {
            connect_timeout: Duration::ZERO,
            ..Settings::default()
        };
        assert_eq!(
            check_timeouts(&settings).unwrap_err().0,
            "connect timeout must be greater than zero"
        );
        let settings = Settings {
            operation_timeout: Some(Duration::ZERO),
            ..Settings::default()
        };
        assert_eq!(
            check_timeouts(&settings).unwrap_err().0,
            "operation timeout must be greater than zero"
        );
        let settings = Settings {
            pool_idle_timeout: Duration::ZERO,
            ..Settings::default()
        };
        assert!(check_timeouts(&settings)
            .unwrap_err()
            .0
            .starts_with("pool idle timeout must be greater than zero"));
        assert!(check_timeouts(&Settings::default()).is_ok());
    }
}
