//! The one caching layer every temporary source goes through.
//!
//! [`CachedProvider`] keeps the last credentials its source gave, with the time to refresh them
//! and the time they expire, in a snapshot behind a [`RwLock`]. A call that finds them fresh
//! takes the read lock (one uncontended atomic operation), reads the clock, clones three `Arc`s
//! and returns: no I/O, no waiting, no allocation beyond the boxed ready future the trait returns.
//!
//! A call that finds them due for refresh but still valid starts one refresh in the background
//! (a task on the current Tokio runtime; the `refreshing` flag makes it one however many calls
//! see them due) and returns the valid credentials at once. Only a call that finds none, or
//! expired ones, waits: for the refresh in flight, or for the one it starts, bounded by the
//! fetch timeout. A failed refresh is remembered with a time before which it is not tried
//! again (1 s, doubling, at most 60 s, and never past the expiry of the credentials held), so
//! a source that is down is not hammered; calls that find expired credentials in that time
//! fail at once with the last error.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use tokio::sync::Notify;

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// Credentials are refreshed this long before they expire, unless their lifetime is short.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);
/// Credentials without an expiry (from the environment or a profile file) are read again
/// after this long, so values that rotate are picked up.
pub const DEFAULT_REREAD_INTERVAL: Duration = Duration::from_secs(10);
/// The most one fetch from the source may take before it counts as failed.
pub const DEFAULT_FETCH_TIMEOUT: Duration = Duration::from_secs(60);

/// The first wait after a failed refresh; it doubles with each failure in a row.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait between refresh attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Caches the credentials of a source that hands out temporary ones, refreshing them before
/// they expire.
///
/// Credentials the source gives with an [expiry](Credentials::with_expiry) are reused until a
/// margin before it: [`DEFAULT_REFRESH_MARGIN`] (300 s, what the official SDKs use), or a
/// quarter of the lifetime they had when fetched if that is shorter, so short-lived
/// credentials are not refreshed on every call. Credentials without an expiry are read again
/// every [`DEFAULT_REREAD_INTERVAL`].
///
/// - **Single flight**: however many calls find the credentials due, one request goes to the
///   source; the others share its outcome.
/// - **Never blocking valid callers**: while a refresh runs (in a background task), calls get
///   the credentials still held if they have not expired.
/// - **Failures**: a failed refresh keeps the old credentials in service until they expire and
///   is retried with backoff (1 s doubling to 60 s). Only a call that finds no valid
///   credentials fails, with [`CredentialsError::Unavailable`] (never had any) or
///   [`CredentialsError::Expired`], each naming the provider and carrying the last failure.
/// - **Bounded**: a fetch that takes longer than the fetch timeout ([`DEFAULT_FETCH_TIMEOUT`])
///   fails; nothing panics.
///
/// Clones share the cache. The built-in providers ([`CvmRoleProvider`](super::CvmRoleProvider),
/// [`AssumeRoleProvider`](super::AssumeRoleProvider), [`OidcRoleProvider`](super::OidcRoleProvider),
/// [`DefaultChain`](super::DefaultChain)) are cached this way already; wrap your own source
/// with it:
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use tencentcloud_runtime::credentials::{CachedProvider, CredentialsFuture, ProvideCredentials};
/// use tencentcloud_runtime::Credentials;
///
/// #[derive(Debug)]
/// struct Vault;
///
/// impl ProvideCredentials for Vault {
///     fn provide_credentials(&self) -> CredentialsFuture<'_> {
///         Box::pin(async {
///             let expiry = SystemTime::now() + Duration::from_secs(3600);
///             Ok(Credentials::with_token("AKIDEXAMPLE", "SECRETEXAMPLE", "TOKEN").with_expiry(expiry))
///         })
///     }
/// }
///
/// let cached = CachedProvider::builder(Vault)
///     .name("the vault")
///     .refresh_margin(Duration::from_secs(600))
///     .build();
/// # let _ = cached;
/// ```
#[derive(Clone)]
pub struct CachedProvider {
    shared: Arc<Shared>,
}

struct Shared {
    name: Cow<'static, str>,
    source: Box<dyn ProvideCredentials>,
    margin: Duration,
    reread: Duration,
    fetch_timeout: Duration,
    clock: Option<Clock>,
    state: RwLock<State>,
    /// Set while a refresh runs: the single-flight gate.
    refreshing: AtomicBool,
    /// Woken when a refresh ends, however it ends.
    done: Notify,
}

#[derive(Default)]
struct State {
    current: Option<Entry>,
    failure: Option<Failure>,
}

struct Entry {
    credentials: Credentials,
    refresh_at: SystemTime,
    expires_at: Option<SystemTime>,
}

struct Failure {
    error: Arc<CredentialsError>,
    retry_at: SystemTime,
    in_a_row: u32,
}

/// What a call does after looking at the snapshot.
enum Decision {
    /// Valid credentials; `refresh` says they are due and a refresh may start.
    Serve { credentials: Credentials, refresh: bool },
    /// Nothing valid, and the last failure is recent: fail with it.
    Fail(CredentialsError),
    /// Nothing valid: wait for a refresh.
    Wait,
}

/// Builds a [`CachedProvider`]; see its documentation for the policy.
pub struct CachedProviderBuilder {
    name: Cow<'static, str>,
    source: Box<dyn ProvideCredentials>,
    margin: Duration,
    reread: Duration,
    fetch_timeout: Duration,
    clock: Option<Clock>,
}

impl CachedProvider {
    /// Caches `source` with the default policy.
    pub fn new(source: impl ProvideCredentials + 'static) -> Self {
        CachedProvider::builder(source).build()
    }

    /// Starts configuring a cache for `source`.
    pub fn builder(source: impl ProvideCredentials + 'static) -> CachedProviderBuilder {
        CachedProviderBuilder {
            name: Cow::Borrowed("the credentials provider"),
            source: Box::new(source),
            margin: DEFAULT_REFRESH_MARGIN,
            reread: DEFAULT_REREAD_INTERVAL,
            fetch_timeout: DEFAULT_FETCH_TIMEOUT,
            clock: None,
        }
    }

    /// The name errors give the provider, for example `the CVM role provider`.
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// The source's `Debug`, for the providers that wrap a cache.
    pub(crate) fn source(&self) -> &dyn ProvideCredentials {
        &*self.shared.source
    }
}

impl CachedProviderBuilder {
    /// The name errors give the provider (default `the credentials provider`).
    pub fn name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.name = name.into();
        self
    }

    /// Refreshes this long before expiry (default [`DEFAULT_REFRESH_MARGIN`]); a quarter of
    /// the credentials' lifetime is used instead when that is shorter.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Reads credentials that carry no expiry again after this long (default
    /// [`DEFAULT_REREAD_INTERVAL`]).
    pub fn reread_interval(mut self, interval: Duration) -> Self {
        self.reread = interval;
        self
    }

    /// Fails a fetch that takes longer than this (default [`DEFAULT_FETCH_TIMEOUT`]).
    pub fn fetch_timeout(mut self, timeout: Duration) -> Self {
        self.fetch_timeout = timeout;
        self
    }

    /// Reads the time from `clock` instead of [`SystemTime::now`], for tests that move time.
    pub fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// The cache, empty: the source is first asked by the first call.
    pub fn build(self) -> CachedProvider {
        CachedProvider {
            shared: Arc::new(Shared {
                name: self.name,
                source: self.source,
                margin: self.margin,
                reread: self.reread,
                fetch_timeout: self.fetch_timeout,
                clock: self.clock,
                state: RwLock::new(State::default()),
                refreshing: AtomicBool::new(false),
                done: Notify::new(),
            }),
        }
    }
}

impl ProvideCredentials for CachedProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        match self.shared.decide() {
            Decision::Serve { credentials, refresh } => {
                if refresh {
                    self.shared.refresh_in_background();
                }
                Box::pin(std::future::ready(Ok(credentials)))
            }
            Decision::Fail(error) => Box::pin(std::future::ready(Err(error))),
            Decision::Wait => Box::pin(Arc::clone(&self.shared).wait()),
        }
    }
}

impl Shared {
    fn now(&self) -> SystemTime {
        match &self.clock {
            Some(clock) => clock(),
            None => SystemTime::now(),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The hot path: one look at the snapshot.
    fn decide(&self) -> Decision {
        let now = self.now();
        let state = self.read();
        let retry_allowed = state.failure.as_ref().is_none_or(|f| now >= f.retry_at);
        if let Some(entry) = &state.current {
            if entry.expires_at.is_none_or(|at| now < at) {
                return Decision::Serve {
                    credentials: entry.credentials.clone(),
                    refresh: now >= entry.refresh_at && retry_allowed,
                };
            }
        }
        match &state.failure {
            Some(failure) if !retry_allowed => Decision::Fail(self.failed(&state, failure)),
            _ => Decision::Wait,
        }
    }

    /// The error a call gets when nothing valid is held and `failure` was the last attempt.
    fn failed(&self, state: &State, failure: &Failure) -> CredentialsError {
        let provider = self.name.to_string();
        let source = Arc::clone(&failure.error);
        if state.current.is_some() {
            CredentialsError::Expired { provider, source }
        } else {
            CredentialsError::Unavailable { provider, source }
        }
    }

    /// Starts a refresh in a background task unless one runs already (or no Tokio runtime is
    /// there to run it: the credentials held are still valid, and the call that finds them
    /// expired refreshes them itself).
    fn refresh_in_background(self: &Arc<Self>) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            if let Some(refresh) = self.claim_refresh() {
                runtime.spawn(refresh);
            }
        }
    }

    /// The refresh to run, if this caller is the one to run it (single flight).
    fn claim_refresh(self: &Arc<Self>) -> Option<impl Future<Output = ()> + Send + 'static> {
        self.refreshing
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .ok()?;
        let shared = Arc::clone(self);
        Some(async move {
            // Clears the flag and wakes the waiters however the refresh ends, dropped included.
            let _release = Release(&shared);
            shared.refresh().await;
        })
    }

    /// Waits for valid credentials: joins the refresh in flight or runs one.
    async fn wait(self: Arc<Self>) -> Result<Credentials, CredentialsError> {
        let deadline = tokio::time::Instant::now() + self.fetch_timeout + Duration::from_secs(1);
        loop {
            let notified = self.done.notified();
            let mut notified = std::pin::pin!(notified);
            // Registered before the state is read, so the end of a refresh is never missed.
            notified.as_mut().enable();
            match self.decide() {
                Decision::Serve { credentials, .. } => return Ok(credentials),
                Decision::Fail(error) => return Err(error),
                Decision::Wait => {}
            }
            if let Some(refresh) = self.claim_refresh() {
                // This caller waits anyway, so it runs the refresh itself; were it dropped,
                // the release guard would hand the job to the next waiter.
                refresh.await;
                continue;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(CredentialsError::Unavailable {
                    provider: self.name.to_string(),
                    source: Arc::new(CredentialsError::Remote {
                        request: "waiting for the refresh in flight".to_owned(),
                        problem: format!("it did not end within {}", seconds(self.fetch_timeout)),
                    }),
                });
            }
        }
    }

    /// Asks the source once and records the outcome.
    async fn refresh(&self) {
        let outcome = match tokio::time::timeout(self.fetch_timeout, self.source.provide_credentials()).await {
            Ok(outcome) => outcome,
            Err(_) => Err(CredentialsError::Remote {
                request: format!("asking {}", self.name),
                problem: format!("no credentials within {}", seconds(self.fetch_timeout)),
            }),
        };
        let now = self.now();
        let outcome = outcome
            .and_then(|credentials| credentials.checked(&self.name))
            .and_then(|credentials| match credentials.expiry() {
                Some(at) if at <= now => Err(CredentialsError::Remote {
                    request: format!("asking {}", self.name),
                    problem: format!(
                        "the credentials it gave expired at Unix time {}, before they were received",
                        super::unix_seconds(at)
                    ),
                }),
                _ => Ok(credentials),
            });
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        match outcome {
            Ok(credentials) => {
                let expires_at = credentials.expiry();
                let refresh_at = match expires_at {
                    Some(at) => {
                        let lifetime = at.duration_since(now).unwrap_or_default();
                        at - self.margin.min(lifetime / 4)
                    }
                    None => now + self.reread,
                };
                tracing::debug!(provider = %self.name, "credentials refreshed");
                state.current = Some(Entry {
                    credentials,
                    refresh_at,
                    expires_at,
                });
                state.failure = None;
            }
            Err(error) => {
                let in_a_row = state.failure.as_ref().map_or(0, |f| f.in_a_row).saturating_add(1);
                let backoff = FIRST_BACKOFF
                    .saturating_mul(1 << in_a_row.saturating_sub(1).min(16))
                    .min(MAX_BACKOFF);
                let mut retry_at = now + backoff;
                // Credentials still held are tried again before they expire, not after.
                if let Some(at) = state.current.as_ref().and_then(|e| e.expires_at) {
                    if at > now {
                        retry_at = retry_at.min(at);
                    }
                }
                tracing::warn!(provider = %self.name, error = %error, "refreshing credentials failed");
                state.failure = Some(Failure {
                    error: Arc::new(error),
                    retry_at,
                    in_a_row,
                });
            }
        }
    }
}

/// Ends a refresh: clears the single-flight flag and wakes every waiter.
struct Release<'a>(&'a Shared);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.0.refreshing.store(false, Ordering::Release);
        self.0.done.notify_waiters();
    }
}

/// `3s`, `1.5s`: a duration for an error message.
pub(crate) fn seconds(d: Duration) -> String {
    format!("{}s", d.as_secs_f64())
}

/// Names the provider and shows its source and policy; never a credential.
impl fmt::Debug for CachedProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared;
        f.debug_struct("CachedProvider")
            .field("name", &s.name)
            .field("source", &s.source)
            .field("refresh_margin", &s.margin)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for CachedProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedProviderBuilder")
            .field("name", &self.name)
            .field("source", &self.source)
            .field("refresh_margin", &self.margin)
            .finish_non_exhaustive()
    }
}

/// Boxes a future as the trait's future type (for sources written as `async` blocks).
pub(crate) fn boxed<'a>(
    future: impl Future<Output = Result<Credentials, CredentialsError>> + Send + 'a,
) -> CredentialsFuture<'a> {
    Box::pin(future) as Pin<Box<_>>
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Mutex;

    const START: u64 = 1_700_000_000;

    /// A source that counts its fetches and gives what it is told, after an optional delay.
    #[derive(Clone)]
    struct Fake(Arc<FakeState>);

    struct FakeState {
        fetches: AtomicUsize,
        delay: Mutex<Duration>,
        /// `Ok((id, lifetime from the fake clock's now))` or the problem of a failure.
        outcome: Mutex<Result<(&'static str, Option<u64>), &'static str>>,
        clock: Arc<Mutex<SystemTime>>,
    }

    impl fmt::Debug for Fake {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("Fake")
        }
    }

    impl Fake {
        fn new(clock: &Arc<Mutex<SystemTime>>, id: &'static str, lifetime: Option<u64>) -> Self {
            Fake(Arc::new(FakeState {
                fetches: AtomicUsize::new(0),
                delay: Mutex::new(Duration::ZERO),
                outcome: Mutex::new(Ok((id, lifetime))),
                clock: Arc::clone(clock),
            }))
        }
        fn fetches(&self) -> usize {
            self.0.fetches.load(Ordering::SeqCst)
        }
        fn set(&self, outcome: Result<(&'static str, Option<u64>), &'static str>) {
            *self.0.outcome.lock().unwrap() = outcome;
        }
        fn delay(&self, delay: Duration) {
            *self.0.delay.lock().unwrap() = delay;
        }
    }

    impl ProvideCredentials for Fake {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            self.0.fetches.fetch_add(1, Ordering::SeqCst);
            let delay = *self.0.delay.lock().unwrap();
            let outcome = *self.0.outcome.lock().unwrap();
            let now = *self.0.clock.lock().unwrap();
            Box::pin(async move {
                tokio::time::sleep(delay).await;
                match outcome {
                    Ok((id, lifetime)) => {
                        let c = Credentials::with_token(id, "SECRETFAKEKEY", "SECRETFAKETOKEN");
                        Ok(match lifetime {
                            Some(s) => c.with_expiry(now + Duration::from_secs(s)),
                            None => c,
                        })
                    }
                    Err(problem) => Err(CredentialsError::Remote {
                        request: "GET http://fake/".to_owned(),
                        problem: problem.to_owned(),
                    }),
                }
            })
        }
    }

    struct Setup {
        clock: Arc<Mutex<SystemTime>>,
        fake: Fake,
        cache: CachedProvider,
    }

    impl Setup {
        fn new(lifetime: Option<u64>) -> Self {
            let clock = Arc::new(Mutex::new(UNIX_EPOCH_PLUS(START)));
            let fake = Fake::new(&clock, "AKIDFIRST0000000", lifetime);
            let ticks = Arc::clone(&clock);
            let cache = CachedProvider::builder(fake.clone())
                .name("the fake provider")
                .clock(move || *ticks.lock().unwrap())
                .fetch_timeout(Duration::from_millis(500))
                .build();
            Setup { clock, fake, cache }
        }
        fn advance(&self, secs: u64) {
            *self.clock.lock().unwrap() += Duration::from_secs(secs);
        }
        async fn id(&self) -> Result<String, String> {
            self.cache
                .provide_credentials()
                .await
                .map(|c| c.secret_id().to_owned())
                .map_err(|e| e.to_string())
        }
    }

    #[allow(non_snake_case)]
    fn UNIX_EPOCH_PLUS(secs: u64) -> SystemTime {
        std::time::UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// Lets background refreshes run.
    async fn settle() {
        tokio::time::sleep(Duration::from_millis(30)).await;
    }

    #[tokio::test]
    async fn fresh_credentials_are_reused_without_asking_the_source() {
        let s = Setup::new(Some(3600));
        for _ in 0..10 {
            assert_eq!(s.id().await.unwrap(), "AKIDFIRST0000000");
        }
        assert_eq!(s.fake.fetches(), 1);
        let c = s.cache.provide_credentials().await.unwrap();
        assert!(c.is_checked(), "checked once, at fetch");
        assert_eq!(c.expiry(), Some(UNIX_EPOCH_PLUS(START + 3600)));
    }

    #[tokio::test]
    async fn refresh_starts_a_margin_before_expiry_and_old_ones_are_served_meanwhile() {
        let s = Setup::new(Some(3600));
        s.id().await.unwrap();
        s.fake.set(Ok(("AKIDSECOND000000", Some(3600))));
        s.advance(3600 - 301);
        assert_eq!(s.id().await.unwrap(), "AKIDFIRST0000000");
        settle().await;
        assert_eq!(s.fake.fetches(), 1, "not due before the 300 s margin");
        s.advance(2);
        assert_eq!(
            s.id().await.unwrap(),
            "AKIDFIRST0000000",
            "due: the valid ones are served"
        );
        settle().await;
        assert_eq!(s.fake.fetches(), 2, "and one refresh ran in the background");
        assert_eq!(s.id().await.unwrap(), "AKIDSECOND000000");
    }

    #[tokio::test]
    async fn short_lifetimes_get_a_quarter_of_their_lifetime_as_margin() {
        let s = Setup::new(Some(40));
        s.id().await.unwrap();
        s.advance(29);
        s.id().await.unwrap();
        settle().await;
        assert_eq!(s.fake.fetches(), 1, "due only 10 s (a quarter of 40 s) before expiry");
        s.advance(2);
        s.id().await.unwrap();
        settle().await;
        assert_eq!(s.fake.fetches(), 2);
    }

    #[tokio::test]
    async fn credentials_without_expiry_are_read_again_after_the_interval() {
        let s = Setup::new(None);
        s.id().await.unwrap();
        s.fake.set(Ok(("AKIDROTATED00000", None)));
        s.advance(DEFAULT_REREAD_INTERVAL.as_secs() - 1);
        assert_eq!(s.id().await.unwrap(), "AKIDFIRST0000000");
        s.advance(1);
        s.id().await.unwrap();
        settle().await;
        assert_eq!(s.id().await.unwrap(), "AKIDROTATED00000");
        assert_eq!(s.fake.fetches(), 2);
    }

    #[tokio::test]
    async fn a_hundred_callers_on_an_empty_cache_make_one_request() {
        let s = Setup::new(Some(3600));
        s.fake.delay(Duration::from_millis(100));
        let calls: Vec<_> = (0..100)
            .map(|_| {
                let cache = s.cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await.map(|c| c.secret_id().to_owned()) })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap(), "AKIDFIRST0000000");
        }
        assert_eq!(s.fake.fetches(), 1);
    }

    #[tokio::test]
    async fn a_hundred_callers_finding_them_due_make_one_request_and_none_waits() {
        let s = Setup::new(Some(3600));
        s.id().await.unwrap();
        s.fake.set(Ok(("AKIDSECOND000000", Some(3600))));
        s.fake.delay(Duration::from_millis(300));
        s.advance(3400);
        let started = std::time::Instant::now();
        let calls: Vec<_> = (0..100)
            .map(|_| {
                let cache = s.cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await.map(|c| c.secret_id().to_owned()) })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap(), "AKIDFIRST0000000");
        }
        assert!(
            started.elapsed() < Duration::from_millis(200),
            "{:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(s.fake.fetches(), 2, "one refresh for the hundred");
        assert_eq!(s.id().await.unwrap(), "AKIDSECOND000000");
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_serving_valid_credentials_and_backs_off() {
        let s = Setup::new(Some(3600));
        s.id().await.unwrap();
        s.fake.set(Err("the service is down"));
        s.advance(3400);
        assert_eq!(s.id().await.unwrap(), "AKIDFIRST0000000");
        settle().await;
        assert_eq!(s.fake.fetches(), 2);
        // Within the 1 s backoff nothing is asked; after it, one more try (then 2 s, ...).
        assert_eq!(s.id().await.unwrap(), "AKIDFIRST0000000");
        settle().await;
        assert_eq!(s.fake.fetches(), 2);
        s.advance(1);
        assert_eq!(s.id().await.unwrap(), "AKIDFIRST0000000");
        settle().await;
        assert_eq!(s.fake.fetches(), 3);
        s.advance(1);
        s.id().await.unwrap();
        settle().await;
        assert_eq!(s.fake.fetches(), 3, "the second backoff is 2 s");
        // The source comes back: the next try succeeds and the failure is forgotten.
        s.fake.set(Ok(("AKIDSECOND000000", Some(3600))));
        s.advance(1);
        s.id().await.unwrap();
        settle().await;
        assert_eq!(s.id().await.unwrap(), "AKIDSECOND000000");
    }

    #[tokio::test]
    async fn expired_credentials_that_cannot_be_refreshed_fail_calls_with_a_typed_error() {
        let s = Setup::new(Some(3600));
        s.id().await.unwrap();
        s.fake.set(Err("the service is down"));
        s.advance(3600);
        let error = s.cache.provide_credentials().await.unwrap_err();
        assert!(matches!(error, CredentialsError::Expired { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "the credentials from the fake provider have expired and could not be refreshed: GET http://fake/: \
             the service is down"
        );
        assert!(std::error::Error::source(&error).is_some());
        // Within the backoff, calls fail at once with the same error and ask nothing.
        assert_eq!(s.id().await.unwrap_err(), error.to_string());
        assert_eq!(s.fake.fetches(), 2);
        // Back up: the next call after the backoff gets new credentials.
        s.fake.set(Ok(("AKIDSECOND000000", Some(3600))));
        s.advance(1);
        assert_eq!(s.id().await.unwrap(), "AKIDSECOND000000");
    }

    #[tokio::test]
    async fn a_source_that_never_answered_gives_an_unavailable_error() {
        let s = Setup::new(Some(3600));
        s.fake.set(Err("cannot connect"));
        let error = s.cache.provide_credentials().await.unwrap_err();
        assert!(matches!(error, CredentialsError::Unavailable { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "no credentials from the fake provider: GET http://fake/: cannot connect"
        );
        assert!(!error.is_not_found());
    }

    #[tokio::test]
    async fn a_hanging_source_fails_within_the_fetch_timeout_and_does_not_wedge_the_cache() {
        let s = Setup::new(Some(3600));
        s.fake.delay(Duration::from_secs(30));
        let started = std::time::Instant::now();
        let error = s.cache.provide_credentials().await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        assert_eq!(
            error.to_string(),
            "no credentials from the fake provider: asking the fake provider: no credentials within 0.5s"
        );
        // A caller that gives up mid-refresh hands the job on.
        s.advance(1);
        let gave_up = tokio::time::timeout(Duration::from_millis(50), s.cache.provide_credentials()).await;
        assert!(gave_up.is_err());
        s.fake.delay(Duration::ZERO);
        assert_eq!(s.id().await.unwrap(), "AKIDFIRST0000000");
    }

    #[tokio::test]
    async fn credentials_already_expired_when_received_are_a_failure() {
        let s = Setup::new(Some(0));
        assert_eq!(
            s.id().await.unwrap_err(),
            "no credentials from the fake provider: asking the fake provider: the credentials it gave expired at \
             Unix time 1700000000, before they were received"
        );
    }

    #[tokio::test]
    async fn unusable_values_from_the_source_are_refused_naming_the_provider() {
        #[derive(Debug)]
        struct Padded;
        impl ProvideCredentials for Padded {
            fn provide_credentials(&self) -> CredentialsFuture<'_> {
                Box::pin(async { Ok(Credentials::with_token("AKIDX", "SECRETKEY", " SECRETTOKEN")) })
            }
        }
        let cache = CachedProvider::builder(Padded).name("the padded provider").build();
        let error = cache.provide_credentials().await.unwrap_err().to_string();
        assert_eq!(
            error,
            "no credentials from the padded provider: invalid session_token from the padded provider: has leading \
             or trailing whitespace"
        );
    }

    #[tokio::test]
    async fn debug_names_the_provider_and_never_shows_a_secret() {
        let s = Setup::new(Some(3600));
        s.id().await.unwrap();
        assert_eq!(
            format!("{:?}", s.cache),
            r#"CachedProvider { name: "the fake provider", source: Fake, refresh_margin: 300s, .. }"#
        );
        let c = s.cache.provide_credentials().await.unwrap();
        assert_eq!(
            format!("{c:?}"),
            "Credentials { secret_id: \"AKID…0000\", secret_key: ** redacted **, session_token: Some(** redacted **), \
             expires_at_unix: 1700003600 }"
        );
    }
}
