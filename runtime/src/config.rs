//! How a client is configured: the builder generated clients expose, its defaults, and the
//! checks run when it is built.
//!
//! [`ClientBuilder`] only collects settings; `build` checks them (endpoint URL, region,
//! timeouts, rate limit, credentials) and hands them to [`Handle`], which owns everything a
//! call needs in one `Arc`.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::credentials::{Credentials, ProvideCredentials};
use crate::dispatch::Handle;
use crate::error::{BuildError, ConfigError};
use crate::rate_limit::RateLimit;
use crate::retry::RetryConfig;
use crate::service::ServiceMeta;

/// Implemented by each generated client: which service it calls, and how to wrap a [`Handle`].
pub trait FromHandle {
    /// The service the client calls.
    const SERVICE: &'static ServiceMeta;
    /// Wraps a built handle.
    fn from_handle(handle: Handle) -> Self;
}

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

/// Default time allowed to open a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for one attempt, from sending the request to reading the whole answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds a generated client `C`.
///
/// Defaults: the service's mainland endpoint, credentials from the [default chain](crate::credentials::DefaultChain)
/// (environment, then profile file), no region or language header, a connect timeout of
/// [5 s](DEFAULT_CONNECT_TIMEOUT), [30 s](DEFAULT_TIMEOUT) per attempt, [`RetryConfig::default`]
/// (3 attempts) and [`RateLimit::FromSpec`].
///
/// Clones of the built client share one connection pool, one signing-key cache and one set of
/// rate limiters. `Debug` never shows a secret.
pub struct ClientBuilder<C> {
    settings: Settings,
    client: PhantomData<fn() -> C>,
}

/// Where credentials come from.
#[derive(Clone)]
pub(crate) enum CredentialSource {
    /// Resolve the default chain once, when the client is built.
    DefaultChain,
    /// Fixed credentials.
    Static(Credentials),
    /// Ask this provider before every attempt.
    Provider(Arc<dyn ProvideCredentials>),
}

impl fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::DefaultChain => f.write_str("DefaultChain"),
            CredentialSource::Static(c) => c.fmt(f),
            CredentialSource::Provider(p) => f.debug_tuple("Provider").field(p).finish(),
        }
    }
}

/// The settings a builder collects, independent of the client type.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) credentials: CredentialSource,
    pub(crate) endpoint: Option<String>,
    pub(crate) international: bool,
    pub(crate) region: Option<String>,
    pub(crate) language: Option<Language>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) retry: RetryConfig,
    pub(crate) rate_limit: RateLimit,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            credentials: CredentialSource::DefaultChain,
            endpoint: None,
            international: false,
            region: None,
            language: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            http_client: None,
            retry: RetryConfig::default(),
            rate_limit: RateLimit::default(),
        }
    }
}

impl<C: FromHandle> ClientBuilder<C> {
    /// A builder with every default.
    pub fn new() -> Self {
        ClientBuilder {
            settings: Settings::default(),
            client: PhantomData,
        }
    }

    /// Signs with these credentials. They are checked (not empty, no surrounding whitespace)
    /// by [`build`](Self::build).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.settings.credentials = CredentialSource::Static(credentials);
        self
    }

    /// Asks `provider` for credentials before every attempt, for credentials that rotate.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.settings.credentials = CredentialSource::Provider(Arc::new(provider));
        self
    }

    /// Sends requests to this URL instead of the service's endpoint: `https://host[:port]` or,
    /// for a local stand-in, `http://...`. It must have a host and no path, query or user
    /// name. Takes precedence over [`international`](Self::international).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.settings.endpoint = Some(url.into());
        self
    }

    /// Uses the international-site endpoint (`teo.intl.tencentcloudapi.com` for TEO).
    pub fn international(mut self) -> Self {
        self.settings.international = true;
        self
    }

    /// Sends `X-TC-Region`. TEO is a global service and needs none.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.settings.region = Some(region.into());
        self
    }

    /// Sends `X-TC-Language`, the language of error messages. Not sent unless set.
    pub fn language(mut self, language: Language) -> Self {
        self.settings.language = Some(language);
        self
    }

    /// Time allowed to open a connection; default 5 s. Has no effect with
    /// [`http_client`](Self::http_client), whose own settings apply.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending the request to reading the whole answer;
    /// default 30 s. Retries get a fresh allowance each.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Uses the caller's HTTP client (and its connection pool, proxy and TLS settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.settings.http_client = Some(client);
        self
    }

    /// Sets how failed attempts are retried; see [`crate::retry`] for what is retried.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.settings.retry = retry;
        self
    }

    /// Sends every call once, whatever happens.
    pub fn disable_retries(self) -> Self {
        self.retry(RetryConfig::disabled())
    }

    /// Sets the client-side pacing of requests.
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.settings.rate_limit = rate_limit;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Without [`credentials`](Self::credentials) or a [provider](Self::credentials_provider),
    /// the default chain (environment, then `~/.tencentcloud/credentials`) is resolved here,
    /// once, so a missing or malformed source fails now with a [`BuildError::Credentials`]
    /// naming it, rather than on the first call.
    pub fn build(self) -> Result<C, BuildError> {
        Handle::new(C::SERVICE, self.settings).map(C::from_handle)
    }
}

impl<C: FromHandle> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            settings: self.settings.clone(),
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.settings;
        f.debug_struct("ClientBuilder")
            .field("credentials", &s.credentials)
            .field("endpoint", &s.endpoint)
            .field("international", &s.international)
            .field("region", &s.region)
            .field("language", &s.language)
            .field("connect_timeout", &s.connect_timeout)
            .field("timeout", &s.timeout)
            .field("custom_http_client", &s.http_client.is_some())
            .field("retry", &s.retry)
            .field("rate_limit", &s.rate_limit)
            .finish()
    }
}

/// A checked endpoint: the URL to post to and the `Host` header value signed and sent.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    pub(crate) url: Url,
    pub(crate) host: String,
}

impl Endpoint {
    /// Checks `text` is an `http` or `https` URL with a host and nothing the signature cannot
    /// cover (TC3 signs the path `/` and, for POST, an empty query).
    pub(crate) fn parse(text: &str) -> Result<Self, ConfigError> {
        let bad = |why: &str| ConfigError(format!("endpoint {text:?} {why}"));
        let url = Url::parse(text).map_err(|e| bad(&format!("is not a valid URL: {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ConfigError(
                "endpoint URL must not contain a user name or password".to_owned(),
            ));
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("must start with https:// or http://"));
        }
        let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
            return Err(bad("has no host"));
        };
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad("must not have a path, query or fragment"));
        }
        // The same `host[:port]` an HTTP/1 client puts in `Host`: the port only when it is not
        // the scheme's default (which the URL parser already dropped).
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(Endpoint { url, host })
    }
}

/// Checks the settings that need no I/O; used by [`Handle::new`].
pub(crate) fn check_timeouts(settings: &Settings) -> Result<(), ConfigError> {
    if settings.timeout.is_zero() {
        return Err(ConfigError("timeout must be greater than zero".to_owned()));
    }
    if settings.connect_timeout.is_zero() {
        return Err(ConfigError("connect timeout must be greater than zero".to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_give_the_host_header_that_is_sent() {
        for (url, host) in [
            ("https://teo.tencentcloudapi.com", "teo.tencentcloudapi.com"),
            ("https://teo.intl.tencentcloudapi.com/", "teo.intl.tencentcloudapi.com"),
            ("https://TEO.TencentCloudAPI.com:443", "teo.tencentcloudapi.com"),
            ("http://127.0.0.1:8080", "127.0.0.1:8080"),
            ("http://localhost:80/", "localhost"),
            ("http://[::1]:9000", "[::1]:9000"),
            ("https://example.com:8443", "example.com:8443"),
        ] {
            assert_eq!(Endpoint::parse(url).unwrap().host, host, "{url}");
        }
    }

    #[test]
    fn bad_endpoints_are_named_in_the_error() {
        for (url, why) in [
            (
                "teo.tencentcloudapi.com",
                "is not a valid URL: relative URL without a base",
            ),
            ("ftp://teo.tencentcloudapi.com", "must start with https:// or http://"),
            (
                "https://teo.tencentcloudapi.com/v3",
                "must not have a path, query or fragment",
            ),
            (
                "https://teo.tencentcloudapi.com/?a=b",
                "must not have a path, query or fragment",
            ),
            ("unix:/run/socket", "must start with https:// or http://"),
        ] {
            assert_eq!(Endpoint::parse(url).unwrap_err().0, format!("endpoint {url:?} {why}"));
        }
        let err = Endpoint::parse("https://user:hunter2@teo.tencentcloudapi.com").unwrap_err();
        assert_eq!(err.0, "endpoint URL must not contain a user name or password");
    }

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
        assert!(check_timeouts(&Settings::default()).is_ok());
    }
}
