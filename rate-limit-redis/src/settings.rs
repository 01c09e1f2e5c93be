//! The builder of a [`RedisRateLimiter`](crate::RedisRateLimiter): its settings, their defaults,
//! and the checks `build` runs on them.

use std::time::Duration;

use tencentcloud_runtime::rate_limit::AccountKey;

use crate::limiter::RedisRateLimiter;

/// How long a connection attempt to Redis may take, by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
/// How long one script may take to answer, by default.
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_millis(500);
/// How long the limiter paces in-process after Redis failed before it tries Redis again, by default.
pub const DEFAULT_RETRY_INTERVAL: Duration = Duration::from_secs(1);
/// The prefix of every key, by default.
pub const DEFAULT_KEY_PREFIX: &str = "tencentcloud:rate-limit:";
/// The longest key prefix accepted.
pub const MAX_KEY_PREFIX_BYTES: usize = 256;

/// A setting `build` refused: which one and why. Never quotes a password.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid Redis rate limiter setting `{setting}`: {problem}")]
pub struct BuildError {
    /// The setting's builder method, e.g. `url`.
    pub setting: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

impl BuildError {
    fn new(setting: &'static str, problem: impl Into<String>) -> Self {
        BuildError {
            setting,
            problem: problem.into(),
        }
    }
}

/// Builds a [`RedisRateLimiter`]; start with [`RedisRateLimiter::builder`].
///
/// `Debug` never shows the URL's password.
#[derive(Clone)]
pub struct Builder {
    pub(crate) url: Option<String>,
    pub(crate) key_prefix: String,
    pub(crate) account: Option<AccountKey>,
    pub(crate) fail_closed: bool,
    pub(crate) adaptive: bool,
    pub(crate) connect_timeout: Duration,
    pub(crate) response_timeout: Duration,
    pub(crate) retry_interval: Duration,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            url: None,
            key_prefix: DEFAULT_KEY_PREFIX.to_owned(),
            account: None,
            fail_closed: false,
            adaptive: true,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            response_timeout: DEFAULT_RESPONSE_TIMEOUT,
            retry_interval: DEFAULT_RETRY_INTERVAL,
        }
    }
}

impl Builder {
    /// The Redis server: `redis://[[user]:password@]host[:port][/db]` or
    /// `redis+unix:///path/to.sock`. Required. TLS (`rediss://`) is not built in.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Puts `prefix` before every key (default [`DEFAULT_KEY_PREFIX`]), to keep several
    /// deployments apart in one Redis database. At most [`MAX_KEY_PREFIX_BYTES`] bytes, no
    /// whitespace or control characters.
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }

    /// Keys every request on `label` instead of a digest of its SecretId: for a fleet whose
    /// processes hold different temporary SecretIds (instance roles, STS sessions) of one
    /// account, so that they still share one quota. The label is hashed before it is used.
    pub fn account_label(mut self, label: &str) -> Self {
        self.account = Some(AccountKey::from_label(label));
        self
    }

    /// When Redis cannot be reached, fail each call with a rate-limit error instead of pacing
    /// within the process (the default is to fall back).
    pub fn fail_closed(mut self, fail_closed: bool) -> Self {
        self.fail_closed = fail_closed;
        self
    }

    /// Whether throttling answers slow the action down for the whole fleet (default true).
    pub fn adaptive(mut self, adaptive: bool) -> Self {
        self.adaptive = adaptive;
        self
    }

    /// How long a connection attempt may take (default 500 ms).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long Redis may take to answer one script (default 500 ms); past it the call is paced
    /// in-process (or fails, when [`fail_closed`](Self::fail_closed)).
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = timeout;
        self
    }

    /// After a failure, how long to pace in-process before trying Redis again (default 1 s).
    pub fn retry_interval(mut self, interval: Duration) -> Self {
        self.retry_interval = interval;
        self
    }

    /// Checks the settings and builds the limiter. It connects on first use, not here.
    pub fn build(self) -> Result<RedisRateLimiter, BuildError> {
        let url = self
            .url
            .as_deref()
            .ok_or_else(|| BuildError::new("url", "no Redis URL was given"))?;
        let lower = url.trim().to_ascii_lowercase();
        if lower.starts_with("rediss://") || lower.starts_with("valkeys://") {
            return Err(BuildError::new(
                "url",
                "TLS (rediss://) is not supported by this crate; reach Redis over a trusted network or a local TLS proxy",
            ));
        }
        if !["redis://", "valkey://", "redis+unix://", "unix://"]
            .iter()
            .any(|scheme| lower.starts_with(scheme))
        {
            return Err(BuildError::new(
                "url",
                "expected redis://[[user]:password@]host[:port][/db] or redis+unix:///path",
            ));
        }
        // The parser's message does not quote the URL, so it cannot show a password.
        let client = redis::Client::open(url).map_err(|e| {
            BuildError::new(
                "url",
                format!("not a usable Redis URL: {}", e.detail().unwrap_or("cannot be parsed")),
            )
        })?;
        check_prefix(&self.key_prefix)?;
        for (setting, value) in [
            ("connect_timeout", self.connect_timeout),
            ("response_timeout", self.response_timeout),
            ("retry_interval", self.retry_interval),
        ] {
            if value.is_zero() {
                return Err(BuildError::new(setting, "must be greater than zero"));
            }
        }
        Ok(RedisRateLimiter::from_settings(client, self))
    }
}

fn check_prefix(prefix: &str) -> Result<(), BuildError> {
    if prefix.len() > MAX_KEY_PREFIX_BYTES {
        return Err(BuildError::new(
            "key_prefix",
            format!(
                "{} bytes long; at most {MAX_KEY_PREFIX_BYTES} are accepted",
                prefix.len()
            ),
        ));
    }
    if let Some((at, c)) = prefix.char_indices().find(|(_, c)| c.is_whitespace() || c.is_control()) {
        return Err(BuildError::new(
            "key_prefix",
            format!("has the character {c:?} at byte {at}; whitespace and control characters are refused"),
        ));
    }
    Ok(())
}

impl std::fmt::Debug for Builder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("url", &self.url.as_deref().map(crate::limiter::without_password))
            .field("key_prefix", &self.key_prefix)
            .field("account_label", &self.account.is_some())
            .field("fail_closed", &self.fail_closed)
            .field("adaptive", &self.adaptive)
            .field("connect_timeout", &self.connect_timeout)
            .field("response_timeout", &self.response_timeout)
            .field("retry_interval", &self.retry_interval)
            .finish()
    }
}
