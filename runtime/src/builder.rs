//! The builder generated clients expose: it collects [`Settings`](crate::config), checks them
//! when built, and hands the checked form to the send loop. It sits above both, so neither
//! configuration nor the send loop depends on the other's caller.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{CredentialSource, Language, Settings, ShowCredentials};
use crate::credentials::{Credentials, ProvideCredentials};
use crate::dispatch::Handle;
use crate::error::BuildError;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::retry::RetryConfig;
use crate::service::ServiceMeta;

/// Implemented by each generated client: which service it calls, and how to wrap a [`Handle`].
pub trait FromHandle {
    /// The service the client calls.
    const SERVICE: &'static ServiceMeta;
    /// Wraps a built handle.
    fn from_handle(handle: Handle) -> Self;
}

/// Builds a generated client `C`.
///
/// Defaults: the service's mainland endpoint, credentials from the [default chain](crate::credentials::DefaultChain)
/// (environment, profile file, CVM instance role, then TKE OIDC; resolved on the first call and
/// cached), no region or language header, a connect timeout of
/// [5 s](crate::config::DEFAULT_CONNECT_TIMEOUT), [30 s](crate::config::DEFAULT_TIMEOUT) per attempt, [`RetryConfig::default`]
/// (3 attempts, with a retry budget) and [`RateLimit::FromSpec`], no deadline for a whole call
/// beyond those, and idle connections kept for [30 s](crate::config::DEFAULT_POOL_IDLE_TIMEOUT).
///
/// Clones of the built client share one connection pool, one signing-key cache and one set of
/// rate limiters. `Debug` never shows a secret.
pub struct ClientBuilder<C> {
    settings: Settings,
    client: PhantomData<fn() -> C>,
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
        self.settings.credentials = Some(CredentialSource::Static(credentials));
        self
    }

    /// Asks `provider` for credentials before every attempt, for credentials that rotate: one
    /// of the temporary providers ([`CvmRoleProvider`](crate::credentials::CvmRoleProvider),
    /// [`AssumeRoleProvider`](crate::credentials::AssumeRoleProvider),
    /// [`OidcRoleProvider`](crate::credentials::OidcRoleProvider)), which cache, or a caller's
    /// own source (wrap it in a [`CachedProvider`](crate::credentials::CachedProvider) if
    /// asking it is costly).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.settings.credentials = Some(CredentialSource::Provider(Arc::new(provider)));
        self
    }

    /// Sends requests to this URL instead of the service's endpoint: `https://host[:port]` or,
    /// for a local stand-in, `http://...`. It must have a host and no path, query or user
    /// name. Takes precedence over [`international`](Self::international).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.settings.endpoint = Some(url.into());
        self
    }

    /// Uses the service's international-site endpoint (`<service>.intl.tencentcloudapi.com`).
    pub fn international(mut self) -> Self {
        self.settings.international = true;
        self
    }

    /// Sends `X-TC-Region`. Global services need none; regional ones want the region the
    /// resources are in.
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

    /// A deadline for the whole call: every attempt, every wait before a retry and every wait for
    /// the rate limiter together. When it passes, the call ends with
    /// [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded), which says what the call was
    /// doing; a request in flight then may have run.
    ///
    /// Off by default: a call is then bounded by its attempts' own timeouts
    /// ([`timeout`](Self::timeout), 30 s each), at most three of them, and the waits between
    /// them (at most 5 s each), so by about 100 s plus any rate-limit wait. A deadline suits a
    /// caller that has its own (a request handler answering within 10 s); no single default
    /// fits both a quick lookup and a large import, and a deadline shorter than an action needs
    /// would fail calls that would have succeeded.
    pub fn operation_timeout(mut self, deadline: Duration) -> Self {
        self.settings.operation_timeout = Some(deadline);
        self
    }

    /// How long an idle keep-alive connection is kept for reuse; default
    /// [30 s](crate::config::DEFAULT_POOL_IDLE_TIMEOUT). Keep it below the idle timeout of any
    /// proxy or load balancer on the way (Tencent's CLB: 75 s by default): a connection the
    /// other side closes while the client still holds it can swallow the next request (see
    /// [`crate::retry`]). Has no effect with [`http_client`](Self::http_client).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.settings.pool_idle_timeout = timeout;
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

    /// Sets which actions are paced and at what rate: the spec's rates (the default), one rate
    /// for all, or none. The [limiter](Self::rate_limiter) applies these rates.
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.settings.rate_limit = rate_limit;
        self
    }

    /// Paces requests with `limiter` instead of a new in-process
    /// [`LocalRateLimiter`](crate::rate_limit::LocalRateLimiter): a shared one (such as
    /// `tencentcloud-rate-limit-redis`'s `RedisRateLimiter`) so that processes using one account
    /// keep to its limits together, or one limiter for several clients (pass an `Arc` or a
    /// clone of a limiter that shares its state). The rates still come from
    /// [`rate_limit`](Self::rate_limit).
    pub fn rate_limiter(mut self, limiter: impl RateLimiter) -> Self {
        self.settings.rate_limiter = Some(Arc::new(limiter));
        self
    }

    /// Answers calls with `rules` instead of the network: a mock client.
    #[cfg(feature = "test-util")]
    pub(crate) fn with_mock(mut self, rules: Arc<crate::test_util::mock::Rules>) -> Self {
        self.settings.mock = Some(rules);
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Without [`credentials`](Self::credentials) or a [provider](Self::credentials_provider),
    /// the [default chain](crate::credentials::DefaultChain) is used. It is not read here but on
    /// the first call, and cached, so temporary credentials that rotate are picked up; with no
    /// source at all, that call fails quickly (within the 1 s metadata timeout) with an
    /// [`Error::Credentials`](crate::Error::Credentials) listing each source tried and why it
    /// had nothing. Explicit credentials are checked here, and fail with a
    /// [`BuildError::Credentials`] naming the field at fault.
    pub fn build(self) -> Result<C, BuildError> {
        let checked = self.settings.check(C::SERVICE)?;
        Handle::new(C::SERVICE, checked).map(C::from_handle)
    }

    /// Checks the settings and builds the shared state the client would wrap, without the
    /// client: for tools that call by name through [`Handle::send_raw`] or sign without sending
    /// through [`Handle::sign_only`] (a command line). Everything else is as [`build`](Self::build).
    pub fn build_handle(self) -> Result<Handle, BuildError> {
        let checked = self.settings.check(C::SERVICE)?;
        Handle::new(C::SERVICE, checked)
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
            .field("credentials", &ShowCredentials(&s.credentials))
            .field("endpoint", &s.endpoint)
            .field("international", &s.international)
            .field("region", &s.region)
            .field("language", &s.language)
            .field("connect_timeout", &s.connect_timeout)
            .field("timeout", &s.timeout)
            .field("custom_http_client", &s.http_client.is_some())
            .field("retry", &s.retry)
            .field("rate_limit", &s.rate_limit)
            .field("operation_timeout", &s.operation_timeout)
            .field("pool_idle_timeout", &s.pool_idle_timeout)
            .field("rate_limiter", &s.rate_limiter)
            .finish()
    }
}
