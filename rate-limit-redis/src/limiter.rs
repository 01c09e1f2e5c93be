//! The limiter: reservations through the Redis scripts, the connection (made on first use, kept,
//! made again after a failure), and the in-process fallback while Redis is away.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, RedisError};
use tencentcloud_runtime::rate_limit::adaptive::{DECREASE, FLOOR_PER_SECOND, RECOVERY_PER_SECOND};
use tencentcloud_runtime::rate_limit::{
    LimitKey, LocalRateLimiter, RateLimitError, RateLimiter, Reservation, ReserveFuture, Ticket,
};
use tokio::time::Instant;

use crate::scripts::Scripts;
use crate::settings::Builder;

/// Tickets of slots Redis granted.
const STORE_REDIS: u32 = 1;
/// Tickets of slots the in-process fallback granted.
const STORE_LOCAL: u32 = 2;
/// How long a key outlives its last slot, in milliseconds: longer than any adaptive recovery.
const IDLE_LIFETIME_MS: u64 = 60_000;

/// A [`RateLimiter`] whose state is in Redis, shared by every process that uses the same Redis
/// and key prefix.
///
/// Each account and action has one hash in Redis: a GCRA with a burst of one request, kept by
/// one Lua script run atomically on Redis's own clock. So however many processes ask, slots are
/// handed out one interval apart, and no one-second window holds more than the action's rate.
/// Keys are `{prefix}{service}:{account}:{action}`, the account being a digest of the SecretId
/// (or of [`account_label`](Builder::account_label)): no credential reaches Redis.
///
/// When Redis cannot be reached (or answers slower than the response timeout), requests are
/// paced in-process at the same rate, and the limiter says so once in the logs (`warn`); it tries
/// Redis again after [`retry_interval`](Builder::retry_interval) and says so once more when Redis
/// is back (`info`). With [`fail_closed`](Builder::fail_closed), calls fail instead while Redis
/// is away.
///
/// Clones share the connection and the fallback, so one limiter can serve several clients. It
/// must be used inside a Tokio runtime. `Debug` shows the server without its password.
///
/// ```no_run
/// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use tencentcloud_rate_limit_redis::RedisRateLimiter;
/// let limiter = RedisRateLimiter::builder().url("redis://127.0.0.1:6379").key_prefix("deploy:").build()?;
/// // generated_client::Client::builder().rate_limiter(limiter.clone()).build()?;
/// # drop(limiter);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RedisRateLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    client: redis::Client,
    connection_config: AsyncConnectionConfig,
    connection: tokio::sync::Mutex<Connection>,
    scripts: Scripts,
    fallback: LocalRateLimiter,
    settings: Builder,
    /// `host:port/db` or the socket path, for logs and errors.
    server: String,
    /// The URL's password, blanked out of any Redis error text before it is shown.
    password: Option<String>,
    /// True while requests are paced in-process.
    away: AtomicBool,
}

#[derive(Default)]
struct Connection {
    current: Option<MultiplexedConnection>,
    /// No new attempt before this, after a failure.
    retry_at: Option<Instant>,
}

/// Why Redis did not grant a slot.
enum Unavailable {
    /// A failure just now.
    Failed(String),
    /// A recent failure; not tried again yet.
    Waiting,
}

impl RedisRateLimiter {
    /// A builder with every default; [`url`](Builder::url) is required.
    pub fn builder() -> Builder {
        Builder::default()
    }

    pub(crate) fn from_settings(client: redis::Client, settings: Builder) -> Self {
        let info = client.get_connection_info();
        let server = format!("{}/{}", info.addr(), info.redis_settings().db());
        let password = info
            .redis_settings()
            .password()
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        let connection_config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(settings.connect_timeout))
            .set_response_timeout(Some(settings.response_timeout));
        let fallback = if settings.adaptive {
            LocalRateLimiter::new()
        } else {
            LocalRateLimiter::new().without_adaptive()
        };
        RedisRateLimiter {
            inner: Arc::new(Inner {
                client,
                connection_config,
                connection: tokio::sync::Mutex::new(Connection::default()),
                scripts: Scripts::new(),
                fallback,
                settings,
                server,
                password,
                away: AtomicBool::new(false),
            }),
        }
    }

    /// Whether requests are paced through Redis right now: false after a failure, until Redis
    /// answers again.
    pub fn is_shared(&self) -> bool {
        !self.inner.away.load(Ordering::Acquire)
    }

    /// The Redis key that holds `key`'s pacing.
    pub fn redis_key(&self, key: &LimitKey) -> String {
        let account = self.inner.settings.account.unwrap_or(key.account);
        format!(
            "{}{}:{}:{}",
            self.inner.settings.key_prefix, key.service, account, key.action
        )
    }

    /// The connection, made if there is none and the retry interval has passed.
    async fn connection(&self) -> Result<MultiplexedConnection, Unavailable> {
        let mut state = self.inner.connection.lock().await;
        if let Some(connection) = &state.current {
            return Ok(connection.clone());
        }
        if state.retry_at.is_some_and(|at| Instant::now() < at) {
            return Err(Unavailable::Waiting);
        }
        match self
            .inner
            .client
            .get_multiplexed_async_connection_with_config(&self.inner.connection_config)
            .await
        {
            Ok(connection) => {
                state.current = Some(connection.clone());
                state.retry_at = None;
                Ok(connection)
            }
            Err(error) => {
                state.retry_at = Some(Instant::now() + self.inner.settings.retry_interval);
                Err(Unavailable::Failed(self.describe(&error)))
            }
        }
    }

    /// Forgets a connection that failed; the next attempt waits for the retry interval.
    async fn drop_connection(&self) {
        let mut state = self.inner.connection.lock().await;
        state.current = None;
        state.retry_at = Some(Instant::now() + self.inner.settings.retry_interval);
    }

    /// A Redis error as text, without the password.
    fn describe(&self, error: &RedisError) -> String {
        let text = error.to_string();
        match &self.inner.password {
            Some(password) => text.replace(password.as_str(), "<redacted>"),
            None => text,
        }
    }

    async fn reserve_in_redis(&self, key: &LimitKey) -> Result<Reservation, Unavailable> {
        let mut connection = self.connection().await?;
        let answer: Result<(u64, u64, u64, u64), RedisError> = self
            .inner
            .scripts
            .reserve
            .key(self.redis_key(key))
            .arg(key.per_second)
            .arg(RECOVERY_PER_SECOND)
            .arg(if self.inner.settings.adaptive { 1 } else { 0 })
            .arg(IDLE_LIFETIME_MS)
            .invoke_async(&mut connection)
            .await;
        match answer {
            Ok((wait_us, send_at, next, now)) => Ok(Reservation::new(
                std::time::Duration::from_micros(wait_us),
                Ticket::new(send_at, next, now).with_store(STORE_REDIS),
            )),
            Err(error) => {
                self.drop_connection().await;
                Err(Unavailable::Failed(self.describe(&error)))
            }
        }
    }

    async fn reserve(&self, key: &LimitKey) -> Result<Reservation, RateLimitError> {
        match self.reserve_in_redis(key).await {
            Ok(reservation) => {
                if self.inner.away.swap(false, Ordering::AcqRel) {
                    tracing::info!(server = %self.inner.server, "Redis answers again: pacing is shared through it once more");
                }
                Ok(reservation)
            }
            Err(unavailable) => {
                let reason = match unavailable {
                    Unavailable::Failed(reason) => reason,
                    Unavailable::Waiting => "it failed moments ago".to_owned(),
                };
                if self.inner.settings.fail_closed {
                    self.inner.away.store(true, Ordering::Release);
                    return Err(RateLimitError(format!(
                        "Redis at {} is unavailable ({reason}) and the limiter is set to fail closed",
                        self.inner.server
                    )));
                }
                if !self.inner.away.swap(true, Ordering::AcqRel) {
                    tracing::warn!(
                        server = %self.inner.server,
                        %reason,
                        "Redis is unavailable: pacing within this process at the same rates until it answers again"
                    );
                }
                let local = self.inner.fallback.reserve_now(key);
                Ok(Reservation::new(local.wait, local.ticket.with_store(STORE_LOCAL)))
            }
        }
    }

    /// Runs a script for a slot in the background; failures only reach the debug log.
    fn in_background(
        &self,
        key: &LimitKey,
        what: &'static str,
        build: fn(&Scripts) -> &redis::Script,
        args: Vec<String>,
    ) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let this = self.clone();
        let redis_key = self.redis_key(key);
        runtime.spawn(async move {
            let Ok(mut connection) = this.connection().await else {
                return;
            };
            let script = build(&this.inner.scripts);
            let mut invocation = script.key(redis_key);
            for arg in &args {
                invocation.arg(arg);
            }
            let answer: Result<i64, RedisError> = invocation.invoke_async(&mut connection).await;
            if let Err(error) = answer {
                tracing::debug!(error = %this.describe(&error), what, "a background Redis script failed");
            }
        });
    }
}

impl RateLimiter for RedisRateLimiter {
    fn reserve<'a>(&'a self, key: &'a LimitKey) -> ReserveFuture<'a> {
        Box::pin(RedisRateLimiter::reserve(self, key))
    }

    fn give_back(&self, key: &LimitKey, reservation: &Reservation) {
        let ticket = reservation.ticket;
        match ticket.store {
            STORE_REDIS => self.in_background(
                key,
                "give back",
                |s| &s.give_back,
                vec![ticket.next.to_string(), ticket.send_at.to_string()],
            ),
            _ => {
                let local = Reservation::new(
                    reservation.wait,
                    Ticket::new(ticket.send_at, ticket.next, ticket.reserved_at),
                );
                self.inner.fallback.give_back(key, &local);
            }
        }
    }

    fn throttled(&self, key: &LimitKey, reservation: &Reservation) {
        if !self.inner.settings.adaptive {
            return;
        }
        let ticket = reservation.ticket;
        match ticket.store {
            STORE_REDIS => self.in_background(
                key,
                "throttled",
                |s| &s.throttled,
                vec![
                    key.per_second.to_string(),
                    RECOVERY_PER_SECOND.to_string(),
                    DECREASE.to_string(),
                    FLOOR_PER_SECOND.to_string(),
                    ticket.reserved_at.to_string(),
                    IDLE_LIFETIME_MS.to_string(),
                ],
            ),
            _ => {
                let local = Reservation::new(
                    reservation.wait,
                    Ticket::new(ticket.send_at, ticket.next, ticket.reserved_at),
                );
                self.inner.fallback.throttled(key, &local);
            }
        }
    }
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.inner.settings;
        f.debug_struct("RedisRateLimiter")
            .field("server", &self.inner.server)
            .field("key_prefix", &s.key_prefix)
            .field("account_label", &s.account.is_some())
            .field("fail_closed", &s.fail_closed)
            .field("adaptive", &s.adaptive)
            .field("shared", &self.is_shared())
            .finish()
    }
}

/// `url` with any password replaced by `<redacted>`: the user-info password and a `password=`
/// query value.
pub(crate) fn without_password(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        let authority_end = out[rest_start..]
            .find(['/', '?', '#'])
            .map_or(out.len(), |i| rest_start + i);
        if let Some(at) = out[rest_start..authority_end].rfind('@') {
            let userinfo_end = rest_start + at;
            if let Some(colon) = out[rest_start..userinfo_end].find(':') {
                out.replace_range(rest_start + colon + 1..userinfo_end, "<redacted>");
            }
        }
    }
    if let Some(query) = out.find('?') {
        let (head, tail) = out.split_at(query);
        let redacted: Vec<String> = tail[1..]
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if name.eq_ignore_ascii_case("password") => format!("{name}=<redacted>"),
                _ => pair.to_owned(),
            })
            .collect();
        out = format!("{head}?{}", redacted.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_blanked_out_of_urls() {
        assert_eq!(without_password("redis://127.0.0.1:6379/0"), "redis://127.0.0.1:6379/0");
        assert_eq!(
            without_password("redis://user:s3cr%40t@host:6379/2"),
            "redis://user:<redacted>@host:6379/2"
        );
        assert_eq!(without_password("redis://:pw@host"), "redis://:<redacted>@host");
        assert_eq!(without_password("redis://user@host"), "redis://user@host");
        assert_eq!(
            without_password("redis+unix:///tmp/r.sock?db=1&password=pw"),
            "redis+unix:///tmp/r.sock?db=1&password=<redacted>"
        );
    }
}
