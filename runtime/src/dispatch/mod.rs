//! The send loop every generated call goes through: pace → credentials → sign → post →
//! classify → retry or return.
//!
//! [`Handle`] is what a generated client wraps: one `Arc` holding the HTTP client (and so the
//! connection pool), the signer and its key cache, the credentials source, the fixed headers
//! and the rate limiters, shared by every clone. The body is serialized once per call and
//! re-signed per attempt (the timestamp changes). Each call runs in a `tencentcloud.call`
//! tracing span; neither bodies nor secrets are ever logged.
//!
//! A call ends at the first of: a success, a failure the [retry policy](crate::retry) declines
//! (or the retry budget refuses), the last attempt, or the call's deadline
//! ([`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)), which bounds
//! every attempt, backoff wait and rate-limit wait together.

mod envelope;
mod lost;
mod redact;

use std::any::TypeId;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU32, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use tracing::field::Empty;
use tracing::{Instrument, Span};

use crate::config::{Checked, CredentialSource, FixedHeaders};
use crate::credentials::{Credentials, CredentialsError};
use crate::customize::{CallPlan, Customizable, Customize};
use crate::endpoint::Endpoint;
use crate::error::{shown, ActionError, BuildError, ConfigError, Error, ServiceError};
pub use crate::headers::REQUEST_CLIENT;
use crate::headers::{
    X_TC_ACTION, X_TC_LANGUAGE, X_TC_REGION, X_TC_REQUEST_CLIENT, X_TC_TIMESTAMP, X_TC_TOKEN, X_TC_VERSION,
};
use crate::rate_limit::{Pacer, RateLimitError};
use crate::retry::{is_retryable_code, AttemptFailure, RetryConfig, TokenBucket};
use crate::service::{ActionId, ActionMeta, ServiceMeta};
use crate::signing::{SignableRequest, Signer, JSON_CONTENT_TYPE};
use crate::validation::ValidationError;
use crate::wire::WireValue;

/// What a call's `send()` returns: the call, to be awaited, owning everything it needs and
/// `Send`, so it can be spawned.
///
/// It is boxed on purpose. As an `impl Future` each generated action's `send()` returned a type
/// of its own that the compiler had to check for every action (its `Send`-ness through the whole
/// attempt loop); one boxed type checks once, in this crate, and costs one allocation per call,
/// which a network round trip dwarfs.
pub type CallFuture<O, E> = std::pin::Pin<Box<dyn Future<Output = Result<O, Error<E>>> + Send + 'static>>;

/// The largest response body read; anything longer is reported as undecodable rather than
/// held in memory. API 3.0 answers are far smaller.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The timeout phases named in [`Error::Timeout`].
const PHASE_CONNECT: &str = "connect";
const PHASE_CALL: &str = "call";

/// What a call was doing, for the message of a passed deadline.
const DOING_PREPARING: u8 = 0;
const DOING_WAITING_FOR_ANSWER: u8 = 1;
const DOING_BACKOFF: u8 = 2;

/// TCP keepalive probes on every connection the client opens: a connection whose peer vanished
/// without a close is found and dropped instead of swallowing the next request.
const TCP_KEEPALIVE: Duration = Duration::from_secs(15);

/// A built client's shared state; generated clients wrap one and call [`Handle::send`].
///
/// Cloning is cheap and clones share everything. `Debug` shows the configuration without any
/// secret.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
    /// The settings of the calls made through this copy of the handle (a fluent builder's,
    /// after `customize`); `None` for the client's own.
    call: Option<Arc<Customize>>,
}

struct Inner {
    service: &'static ServiceMeta,
    endpoint: Endpoint,
    http: reqwest::Client,
    credentials: CredentialSource,
    signer: Signer,
    fixed: FixedHeaders,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryConfig,
    pacer: Pacer,
    /// The deadline of a whole call, if set.
    operation_timeout: Option<Duration>,
    /// The retry budget, shared by every clone.
    budget: Option<TokenBucket>,
    /// How to open the connection the resend of a read-only request goes out on.
    fresh: FreshConnections,
    /// The rules that answer instead of the network, for a mock client.
    #[cfg(feature = "test-util")]
    mock: Option<Arc<crate::test_util::mock::Rules>>,
}

/// Where the resend of a read-only request that lost its connection goes: a client without a
/// pool (built on first use with the main client's settings), so it opens a new connection
/// rather than taking another idle one that may be just as stale; or, for a caller's own HTTP
/// client, that client.
enum FreshConnections {
    Unpooled {
        connect_timeout: Duration,
        client: OnceLock<Option<reqwest::Client>>,
    },
    CallersClient,
}

impl Handle {
    /// Builds the shared state for `service` from checked settings.
    pub(crate) fn new(service: &'static ServiceMeta, settings: Checked) -> Result<Handle, BuildError> {
        let Checked {
            endpoint,
            credentials,
            headers: fixed,
            connect_timeout,
            timeout,
            http_client,
            retry,
            rate_limit,
            operation_timeout,
            pool_idle_timeout,
            rate_limiter,
            #[cfg(feature = "test-util")]
            mock,
        } = settings;
        let (http, fresh) = match http_client {
            Some(client) => (client, FreshConnections::CallersClient),
            None => (
                // reqwest runs the pool's timer on tokio, so idle connections are closed when
                // their time is up, not only when a request next looks at them.
                reqwest::Client::builder()
                    .connect_timeout(connect_timeout)
                    .pool_idle_timeout(pool_idle_timeout)
                    .tcp_keepalive(TCP_KEEPALIVE)
                    .build()
                    .map_err(|e| ConfigError(format!("cannot set up the HTTP client: {e}")))?,
                FreshConnections::Unpooled {
                    connect_timeout,
                    client: OnceLock::new(),
                },
            ),
        };
        let inner = Inner {
            service,
            signer: Signer::new(service.name),
            pacer: Pacer::new(service, rate_limit, rate_limiter)?,
            endpoint,
            http,
            credentials,
            fixed,
            timeout,
            connect_timeout,
            retry,
            operation_timeout,
            budget: retry.budget().map(TokenBucket::new),
            fresh,
            #[cfg(feature = "test-util")]
            mock,
        };
        Ok(Handle {
            inner: Arc::new(inner),
            call: None,
        })
    }

    /// The service this handle calls.
    pub fn service(&self) -> &'static ServiceMeta {
        self.inner.service
    }

    /// The endpoint URL requests are posted to.
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint.url.as_str()
    }

    /// Calls `action` with `input` as the JSON body and decodes the value of `Response` as `O`.
    ///
    /// The body is serialized once; each attempt waits for the action's rate limiter, gets
    /// credentials, signs and posts. `Response.Error` becomes `E` through
    /// [`ActionError::from_service_error`] once the retry policy ([`crate::retry`]) has declined
    /// to try again. The returned future owns everything it needs: it borrows neither `self`
    /// nor `input`.
    ///
    /// `action` names an entry of the service's action table; an id outside it is an
    /// [`Error::Config`] and nothing is sent.
    pub fn invoke<I, O, E>(&self, action: ActionId, input: &I) -> CallFuture<O, E>
    where
        I: WireValue + 'static,
        O: WireValue + Send + 'static,
        E: ActionError,
    {
        let prepared = self.action(action).map(|meta| (meta, encode(input)));
        self.post(action, TypeId::of::<I>(), prepared)
    }

    /// The settings of calls made through this handle: the client's, changed by any
    /// [`customize`](Customizable::customize_calls) of this copy.
    pub fn call_settings(&self) -> Option<&Customize> {
        self.call.as_deref()
    }

    /// The table entry of `action`, looked up once per call.
    fn action<E>(&self, action: ActionId) -> Result<&'static ActionMeta, Error<E>> {
        let service = self.inner.service;
        service.actions.get(action.index()).ok_or_else(|| {
            Error::Config(ConfigError(format!(
                "action id {} is not in the action table of {} (it has {})",
                action.index(),
                service.name,
                service.actions.len()
            )))
        })
    }

    /// [`Handle::invoke`] for an input that may have failed validation: an `Err` input becomes
    /// [`Error::Validation`] and nothing is sent.
    ///
    /// This is what a generated `send()` calls with its builder's `build()` result, so that the
    /// generated code holds no `async` body of its own (one fewer state machine per action for
    /// the compiler to check).
    pub fn send<I, O, E>(&self, action: ActionId, input: Result<I, ValidationError>) -> CallFuture<O, E>
    where
        I: WireValue + 'static,
        O: WireValue + Send + 'static,
        E: ActionError,
    {
        let prepared = self.action(action).and_then(|meta| match input {
            Ok(input) => Ok((meta, encode(&input))),
            Err(e) => Err(Error::Validation(e)),
        });
        self.post(action, TypeId::of::<I>(), prepared)
    }

    /// Sends a prepared call. `input` is the request's type, which a mock client's rules are
    /// keyed by.
    fn post<O, E>(
        &self,
        id: ActionId,
        input: TypeId,
        prepared: Result<(&'static ActionMeta, Bytes), Error<E>>,
    ) -> CallFuture<O, E>
    where
        O: WireValue + Send + 'static,
        E: ActionError,
    {
        let inner = Arc::clone(&self.inner);
        // Checked before anything else happens, so a setting at fault sends nothing.
        let plan = self.call.as_deref().map(Customize::check).transpose();
        Box::pin(async move {
            let (action, body) = prepared?;
            let plan = plan.map_err(Error::Config)?.unwrap_or_default();
            let header = inner.action_header(id).map_err(|e| e.into_error(&inner.endpoint))?;
            let call = Call {
                plan: &plan,
                input,
                header: &header,
            };
            inner
                .call::<O>(action, action.name, id, body, &call)
                .await
                .map_err(|e| e.into_error(&inner.endpoint))
        })
    }

    /// Sends `body` as the action named `action`, which need not be in this client's action
    /// table (an action newer than the generated code), and answers the object inside
    /// `Response` as JSON text, `RequestId` included.
    ///
    /// Nothing is checked or typed: the body goes as given (it must be a JSON object) and the
    /// answer is read as any JSON. The call otherwise runs like a generated one (credentials,
    /// signing, retries, the deadline); an action of the table keeps its rate limit, read-only
    /// resend and the blanking of its sensitive members out of error excerpts, while an unlisted
    /// action is not paced, not resent and has no members known to be sensitive. `action` must be
    /// letters and digits only; anything else is an [`Error::Config`] and nothing is sent. For
    /// tools (a command line's `api` command); programs use the generated methods.
    pub fn send_raw(&self, action: &str, body: Vec<u8>) -> impl Future<Output = Result<String, Error<ServiceError>>> {
        let inner = Arc::clone(&self.inner);
        let target = self.raw_target(action, &body);
        async move {
            let (meta, name, id, header) = target?;
            // A call by name has no per-call settings, and no request type for a mock's rules.
            let plan = CallPlan::default();
            let call = Call {
                plan: &plan,
                input: TypeId::of::<serde_json::Value>(),
                header: &header,
            };
            let value: serde_json::Value = inner
                .call(meta, &name, id, Bytes::from(body), &call)
                .await
                .map_err(|e| e.into_error(&inner.endpoint))?;
            Ok(value.to_string())
        }
    }

    /// Signs `body` as the action named `action` exactly as an attempt would (credentials from
    /// the client's source, the current time) and returns the request without sending it: the
    /// "dry run" of a command line. The signature, the SecretId in `Authorization` and the
    /// session token are replaced by [`REDACTED`](crate::REDACTED) in what is returned, so it
    /// can be printed; the body is returned as given. Nothing goes over the network (credentials
    /// from a remote source, such as the CVM role, are still fetched).
    pub fn sign_only(
        &self,
        action: &str,
        body: Vec<u8>,
    ) -> impl Future<Output = Result<SignedRequest, Error<ServiceError>>> {
        let inner = Arc::clone(&self.inner);
        let target = self.raw_target(action, &body);
        async move {
            let (_, name, _, header) = target?;
            let credentials = inner.credentials().await.map_err(|e| e.into_error(&inner.endpoint))?;
            let headers = inner
                .headers(&header, &credentials, &body, &CallPlan::default())
                .map_err(|e| e.into_error(&inner.endpoint))?;
            let headers = headers
                .iter()
                .map(|(name, value)| {
                    let shown = if name == AUTHORIZATION {
                        redacted_authorization(value.to_str().unwrap_or_default())
                    } else if value.is_sensitive() {
                        crate::REDACTED.to_owned()
                    } else {
                        String::from_utf8_lossy(value.as_bytes()).into_owned()
                    };
                    (name.as_str().to_owned(), shown)
                })
                .collect();
            Ok(SignedRequest {
                action: name,
                url: inner.endpoint.url.to_string(),
                headers,
                body,
            })
        }
    }

    /// The table entry, id and `X-TC-Action` value of an action named at run time: its own when
    /// the table has it, else an unlisted one; an error for a name that is not letters and
    /// digits, or a body that is not a JSON object.
    #[allow(clippy::type_complexity)]
    fn raw_target(
        &self,
        action: &str,
        body: &[u8],
    ) -> Result<(&'static ActionMeta, String, ActionId, HeaderValue), Error<ServiceError>> {
        let config = |m: String| Error::Config(ConfigError(m));
        if action.is_empty() || !action.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(config(format!(
                "the action name {:?} is not letters and digits",
                shown(action).as_ref()
            )));
        }
        if !matches!(
            serde_json::from_slice::<serde_json::Value>(body),
            Ok(serde_json::Value::Object(_))
        ) {
            return Err(config(format!("the request body of {action} is not a JSON object")));
        }
        let service = self.inner.service;
        let header = HeaderValue::from_str(action).map_err(|_| config(format!("bad action name {action}")))?;
        Ok(match service.actions.iter().position(|a| a.name == action) {
            Some(i) => (&service.actions[i], action.to_owned(), ActionId::new(i), header),
            None => (&UNLISTED, action.to_owned(), ActionId::new(usize::MAX), header),
        })
    }
}

/// The table entry a raw call of an action the table does not have runs with: not paced, not
/// read-only, no member known to be sensitive.
static UNLISTED: ActionMeta = ActionMeta {
    name: "(unlisted)",
    rate_limit_per_second: None,
    read_only: false,
    sensitive_fields: &[],
};

/// `Authorization` with the SecretId and the signature replaced by [`crate::REDACTED`]: the
/// algorithm, the rest of the credential scope and the signed headers stay.
fn redacted_authorization(value: &str) -> String {
    value
        .split(", ")
        .map(|part| {
            if let Some(rest) = part.strip_prefix("TC3-HMAC-SHA256 Credential=") {
                let scope = rest.split_once('/').map_or("", |(_, scope)| scope);
                format!("TC3-HMAC-SHA256 Credential={}/{scope}", crate::REDACTED)
            } else if part.starts_with("Signature=") {
                format!("Signature={}", crate::REDACTED)
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A request signed and not sent ([`Handle::sign_only`]), with its secrets redacted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedRequest {
    /// The action (`X-TC-Action`).
    pub action: String,
    /// The URL it would be posted to.
    pub url: String,
    /// Every header, in the order sent; `Authorization`'s SecretId and signature, and the
    /// session token, redacted.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Vec<u8>,
}

impl Inner {
    /// One call through the send loop, in its tracing span, bounded by the call's deadline,
    /// with the answer decoded as `O`.
    async fn call<O: WireValue>(
        &self,
        action: &'static ActionMeta,
        name: &str,
        id: ActionId,
        body: Bytes,
        call: &Call<'_>,
    ) -> Result<O, AttemptError> {
        let span = tracing::info_span!(
            "tencentcloud.call",
            service = self.service.name,
            action = name,
            attempt = Empty,
            request_id = Empty,
            latency_ms = Empty,
            status = Empty,
            code = Empty,
            retry_tokens = Empty,
            retry_refused = Empty,
        );
        let started = Instant::now();
        let progress = Progress::default();
        // The attempts are the same code for every action: only the output's type differs,
        // and it is decoded once they are over (an answer that does not decode is not retried).
        let run = self.run(action, id, body, &span, &progress, call);
        let result = match call.plan.operation_timeout.or(self.operation_timeout) {
            None => run.instrument(span.clone()).await,
            Some(deadline) => match tokio::time::timeout(deadline, run).instrument(span.clone()).await {
                Ok(result) => result,
                Err(_) => {
                    let failure = AttemptError::DeadlineExceeded {
                        after: deadline,
                        attempts: progress.attempts.load(Ordering::Relaxed),
                        doing: progress.doing.load(Ordering::Relaxed),
                    };
                    span.record("status", failure.label());
                    if let Some(budget) = &self.budget {
                        span.record("retry_tokens", budget.available());
                    }
                    Err(failure)
                }
            },
        }
        .and_then(|success| envelope::decode_output::<O>(&success, action.sensitive_fields));
        if let Err(failure @ AttemptError::Decode { .. }) = &result {
            span.record("status", failure.label());
        }
        span.record(
            "latency_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
        result
    }
}

/// Reads one answer of `action` (HTTP status and body) exactly as a call does, without a
/// network: the envelope, `Response.Error`, then the value of `Response` decoded as `O`, with
/// sensitive members kept out of every excerpt. For fuzzing and tests of the decoder.
///
/// ```
/// use tencentcloud_runtime::dispatch::read_answer;
/// use tencentcloud_runtime::{ActionMeta, Error};
/// static PING: ActionMeta =
///     ActionMeta { name: "Ping", rate_limit_per_second: None, read_only: true, sensitive_fields: &[] };
/// let ok: serde_json::Value = read_answer(&PING, 200, br#"{"Response":{"RequestId":"r"}}"#).unwrap();
/// assert_eq!(ok["RequestId"], "r");
/// let throttled = read_answer::<serde_json::Value>(
///     &PING,
///     200,
///     br#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"m"},"RequestId":"r"}}"#,
/// );
/// assert_eq!(throttled.unwrap_err().code(), Some("RequestLimitExceeded"));
/// assert!(matches!(read_answer::<serde_json::Value>(&PING, 502, b"<html>"), Err(Error::HttpStatus { status: 502, .. })));
/// ```
pub fn read_answer<O: WireValue>(action: &ActionMeta, status: u16, body: &[u8]) -> Result<O, Error<ServiceError>> {
    let outcome = envelope::classify(status, body, action.sensitive_fields)
        .and_then(|success| envelope::decode_output::<O>(&success, action.sensitive_fields));
    match outcome {
        Ok(output) => Ok(output),
        Err(AttemptError::Service(e)) => Err(Error::Service(e)),
        Err(other) => {
            let endpoint = Endpoint::parse("http://127.0.0.1").map_err(|e| Error::Config(ConfigError(e)))?;
            Err(other.into_error(&endpoint))
        }
    }
}

/// What one call changes of the client's settings, and the type of its request.
struct Call<'a> {
    plan: &'a CallPlan,
    /// The `X-TC-Action` value.
    header: &'a HeaderValue,
    /// Read by a mock client only.
    #[cfg_attr(not(feature = "test-util"), allow(dead_code))]
    input: TypeId,
}

impl Customizable for Handle {
    fn customize_calls(&mut self, f: impl FnOnce(Customize) -> Customize) {
        let current = self.call.as_deref().cloned().unwrap_or_default();
        self.call = Some(Arc::new(f(current)));
    }
}

/// The JSON body of a request.
fn encode<I: WireValue>(input: &I) -> Bytes {
    Bytes::from(crate::wire::to_vec(input))
}

impl Inner {
    /// Attempts the call until it succeeds, fails for good, or runs out of attempts (or budget).
    async fn run(
        &self,
        action: &'static ActionMeta,
        id: ActionId,
        body: Bytes,
        span: &Span,
        progress: &Progress,
        call: &Call<'_>,
    ) -> Result<envelope::Success, AttemptError> {
        let retry = call.plan.retry.as_ref().unwrap_or(&self.retry);
        let mut attempt = 1;
        // Attempts counted against `max_attempts`: the resend of a lost read-only request is not.
        let mut counted = 1;
        let mut resent = false;
        let mut fresh_connection = false;
        let mut spent = 0u32;
        loop {
            span.record("attempt", attempt);
            progress.attempts.store(attempt, Ordering::Relaxed);
            let result = self.attempt(action, id, &body, fresh_connection, progress, call).await;
            let mut failure = match result {
                Ok(success) => {
                    if let Some(id) = &success.request_id {
                        span.record("request_id", shown(id).as_ref());
                    }
                    span.record("status", "ok");
                    if let Some(budget) = &self.budget {
                        let refund = if attempt == 1 {
                            budget.config().success_refund()
                        } else {
                            spent
                        };
                        span.record("retry_tokens", budget.put_back(refund));
                    }
                    return Ok(success);
                }
                Err(failure) => failure,
            };
            if let AttemptError::Service(e) = &failure {
                // Texts from the answer are recorded cut, like errors show them.
                span.record("request_id", shown(e.request_id()).as_ref());
                span.record("code", shown(e.code()).as_ref());
            }
            if !action.sensitive_fields.is_empty() {
                // A message or a body that quotes a sensitive request member (say, the key a
                // Create sent, echoed by an error page) must not carry it into the error.
                let request = redact::Redacted::new(&body, action.sensitive_fields);
                if request.found_any() {
                    failure.scrub_with(&request);
                }
            }
            // A read-only request whose connection closed before any answer goes out again at
            // once, on a new connection, once per call.
            let resend_now = action.read_only && !resent && matches!(failure, AttemptError::Lost(_));
            let wanted = resend_now || (counted < retry.max_attempts() && retry.retries(failure.kind()));
            if !wanted {
                span.record("status", failure.label());
                self.record_tokens(span);
                return Err(failure);
            }
            if let Some(budget) = &self.budget {
                let cost = match failure.kind() {
                    AttemptFailure::Connect | AttemptFailure::Transport => budget.config().timeout_cost(),
                    _ => budget.config().retry_cost(),
                };
                match budget.try_take(cost) {
                    Ok(left) => {
                        spent = spent.saturating_add(cost);
                        span.record("retry_tokens", left);
                    }
                    Err(left) => {
                        span.record("retry_tokens", left);
                        span.record("retry_refused", true);
                        span.record("status", failure.label());
                        tracing::debug!(
                            reason = failure.label(),
                            tokens = left,
                            "retry budget empty: not retrying"
                        );
                        return Err(failure);
                    }
                }
            }
            if resend_now {
                tracing::debug!(
                    attempt,
                    "connection lost before any answer: sending the read-only request again"
                );
                resent = true;
                fresh_connection = true;
            } else {
                let delay = retry.jittered_backoff(counted);
                tracing::debug!(
                    attempt,
                    reason = failure.label(),
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "retrying"
                );
                progress.doing.store(DOING_BACKOFF, Ordering::Relaxed);
                tokio::time::sleep(delay).await;
                counted += 1;
                fresh_connection = false;
            }
            attempt += 1;
        }
    }

    /// Records the budget's level on the span, when there is a budget.
    fn record_tokens(&self, span: &Span) {
        if let Some(budget) = &self.budget {
            span.record("retry_tokens", budget.available());
        }
    }

    /// The client the attempt goes out on: the pooled one, or one that opens a new connection.
    fn client(&self, fresh_connection: bool) -> &reqwest::Client {
        match (&self.fresh, fresh_connection) {
            (
                FreshConnections::Unpooled {
                    connect_timeout,
                    client,
                },
                true,
            ) => client
                .get_or_init(|| {
                    reqwest::Client::builder()
                        .connect_timeout(*connect_timeout)
                        .pool_max_idle_per_host(0)
                        .tcp_keepalive(TCP_KEEPALIVE)
                        .build()
                        .ok()
                })
                .as_ref()
                .unwrap_or(&self.http),
            _ => &self.http,
        }
    }

    /// One attempt: pace, sign, post, read, classify.
    async fn attempt(
        &self,
        action: &'static ActionMeta,
        id: ActionId,
        body: &Bytes,
        fresh_connection: bool,
        progress: &Progress,
        call: &Call<'_>,
    ) -> Result<envelope::Success, AttemptError> {
        progress.doing.store(DOING_PREPARING, Ordering::Relaxed);
        // A mock client: its rules answer, with no credentials, signing, pacing or network.
        #[cfg(feature = "test-util")]
        if let Some(mock) = &self.mock {
            progress.doing.store(DOING_WAITING_FOR_ANSWER, Ordering::Relaxed);
            let (status, answer) = mock
                .answer(action.name, call.input, body)
                .map_err(AttemptError::Config)?;
            return envelope::classify(status, &answer, action.sensitive_fields);
        }
        let timeout = call.plan.timeout.unwrap_or(self.timeout);
        // Credentials first: a shared limiter paces per account (a digest of the SecretId).
        let credentials = self.credentials().await?;
        let paced = self
            .pacer
            .acquire(id.index(), action.name, credentials.secret_id())
            .await
            .map_err(AttemptError::RateLimit)?;
        let headers = self.headers(call.header, &credentials, body, call.plan)?;
        let mut request = reqwest::Request::new(reqwest::Method::POST, self.endpoint.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = Some(body.clone().into());

        progress.doing.store(DOING_WAITING_FOR_ANSWER, Ordering::Relaxed);
        let exchange = async {
            let response = self
                .client(fresh_connection)
                .execute(request)
                .await
                .map_err(|e| self.sending_error(e, timeout))?;
            let status = response.status().as_u16();
            let body = read_body(response, action)
                .await
                .map_err(|e| e.map_transport(|e| self.transport_error(e, timeout)))?;
            Ok::<_, AttemptError>((status, body))
        };
        let (status, body) = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| AttemptError::Timeout {
                after: timeout,
                phase: PHASE_CALL,
            })??;
        let outcome = envelope::classify(status, &body, action.sensitive_fields);
        if let (Err(AttemptError::Service(e)), Some(paced)) = (&outcome, &paced) {
            if is_retryable_code(e.code()) {
                paced.throttled();
            }
        }
        outcome
    }

    async fn credentials(&self) -> Result<Credentials, AttemptError> {
        match &self.credentials {
            CredentialSource::Static(c) => Ok(c.clone()),
            CredentialSource::Provider(p) => {
                let c = p.provide_credentials().await.map_err(AttemptError::Credentials)?;
                // A caching provider checked these values when it fetched them.
                if !c.is_checked() {
                    c.check("the credentials provider").map_err(AttemptError::Credentials)?;
                }
                Ok(c)
            }
        }
    }

    /// Every header of one attempt, `Authorization` signed over exactly `body` and the `Host`
    /// that is sent, with the call's own region, language and extra headers (which the signer
    /// does not cover: TC3 signs `content-type` and `host`).
    fn headers(
        &self,
        action: &HeaderValue,
        credentials: &Credentials,
        body: &[u8],
        plan: &CallPlan,
    ) -> Result<HeaderMap, AttemptError> {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let signable = SignableRequest::post_json(&self.endpoint.host, body);
        let authorization = self.signer.authorization(credentials, &signable, timestamp);

        let fixed = &self.fixed;
        let mut headers = HeaderMap::with_capacity(12 + plan.headers.len());
        // The caller's headers first: none of them has a name written below (the check refused
        // those), so nothing of the client's can be replaced.
        for (name, value) in &plan.headers {
            headers.insert(name.clone(), value.clone());
        }
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
        headers.insert(HOST, fixed.host.clone());
        headers.insert(X_TC_ACTION, action.clone());
        headers.insert(X_TC_VERSION, fixed.version.clone());
        headers.insert(X_TC_TIMESTAMP, HeaderValue::from(timestamp));
        headers.insert(AUTHORIZATION, secret_header(authorization, "secret_id")?);
        if let Some(token) = credentials.session_token() {
            headers.insert(X_TC_TOKEN, secret_header(token.to_owned(), "session_token")?);
        }
        if let Some(region) = plan.region.as_ref().or(fixed.region.as_ref()) {
            headers.insert(X_TC_REGION, region.clone());
        }
        if let Some(language) = plan.language.as_ref().or(fixed.language.as_ref()) {
            headers.insert(X_TC_LANGUAGE, language.clone());
        }
        headers.insert(X_TC_REQUEST_CLIENT, HeaderValue::from_static(REQUEST_CLIENT));
        Ok(headers)
    }

    /// `X-TC-Action`, prepared at build time for every entry of the action table (`id` was
    /// looked up in that same table when the call started).
    fn action_header(&self, id: ActionId) -> Result<HeaderValue, AttemptError> {
        self.fixed.actions.get(id.index()).cloned().ok_or_else(|| {
            AttemptError::Config(ConfigError(format!("action id {} has no prepared header", id.index())))
        })
    }

    /// Sorts a failure before the answer's head arrived: a connection that closed or reset with
    /// no answer is [`AttemptError::Lost`]; the rest as [`Inner::transport_error`].
    fn sending_error(&self, error: reqwest::Error, timeout: Duration) -> AttemptError {
        if !error.is_timeout() && !error.is_connect() && lost::before_answer(&error) {
            AttemptError::Lost(error)
        } else {
            self.transport_error(error, timeout)
        }
    }

    /// Sorts a transport failure into connect, timeout or broken connection; `timeout` is the
    /// attempt's.
    fn transport_error(&self, error: reqwest::Error, timeout: Duration) -> AttemptError {
        if error.is_timeout() {
            if error.is_connect() {
                AttemptError::Timeout {
                    after: self.connect_timeout,
                    phase: PHASE_CONNECT,
                }
            } else {
                AttemptError::Timeout {
                    after: timeout,
                    phase: PHASE_CALL,
                }
            }
        } else if error.is_connect() {
            AttemptError::Connect(error)
        } else {
            AttemptError::Transport(error)
        }
    }
}

/// How far a call got, shared with the deadline that may end it.
#[derive(Default)]
struct Progress {
    /// The attempt under way (1-based).
    attempts: AtomicU32,
    /// What it is doing: one of the `DOING_*` values.
    doing: AtomicU8,
}

/// Reads the whole body, refusing one over [`MAX_BODY_BYTES`].
async fn read_body(mut response: reqwest::Response, action: &ActionMeta) -> Result<Vec<u8>, BodyError> {
    let expected = response.content_length().unwrap_or(0).min(MAX_BODY_BYTES as u64);
    let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            let redacted = redact::Redacted::new(&body, action.sensitive_fields);
            return Err(BodyError::TooLarge(AttemptError::Decode {
                reason: format!("the response body is larger than {MAX_BODY_BYTES} bytes"),
                body_excerpt: redacted.excerpt(),
            }));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Why a body could not be read.
enum BodyError {
    Transport(reqwest::Error),
    TooLarge(AttemptError),
}

impl BodyError {
    fn map_transport(self, f: impl FnOnce(reqwest::Error) -> AttemptError) -> AttemptError {
        match self {
            BodyError::Transport(e) => f(e),
            BodyError::TooLarge(e) => e,
        }
    }
}

/// A header carrying a secret, marked sensitive so HTTP-level logging hides it. The error
/// names the credential field at fault, never the value.
fn secret_header(value: String, field: &'static str) -> Result<HeaderValue, AttemptError> {
    let mut header = HeaderValue::try_from(value).map_err(|_| {
        AttemptError::Credentials(CredentialsError::InvalidValue {
            field,
            origin: "the configured credentials".to_owned(),
            problem: "cannot be sent in an HTTP header",
        })
    })?;
    header.set_sensitive(true);
    Ok(header)
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let credentials: &dyn fmt::Debug = match &inner.credentials {
            CredentialSource::Static(c) => c,
            CredentialSource::Provider(p) => p,
        };
        let mut shown = f.debug_struct("Handle");
        shown
            .field("service", &inner.service.name)
            .field("endpoint", &inner.endpoint.url.as_str())
            .field("credentials", credentials)
            .field("region", &inner.fixed.region)
            .field("language", &inner.fixed.language)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("retry", &inner.retry)
            .field("operation_timeout", &inner.operation_timeout);
        // A customized call's settings (never a header's value); a client's handle has none.
        if let Some(call) = &self.call {
            shown.field("call", call);
        }
        shown.finish_non_exhaustive()
    }
}

/// How one attempt failed, before the retry decision and before it becomes an [`Error<E>`].
#[derive(Debug)]
pub(crate) enum AttemptError {
    Service(ServiceError),
    Connect(reqwest::Error),
    Timeout {
        after: Duration,
        phase: &'static str,
    },
    Transport(reqwest::Error),
    /// The connection closed or reset after the request was written and before any answer.
    Lost(reqwest::Error),
    /// The call's deadline passed.
    DeadlineExceeded {
        after: Duration,
        attempts: u32,
        doing: u8,
    },
    HttpStatus {
        status: u16,
        body_excerpt: String,
    },
    Decode {
        reason: String,
        body_excerpt: String,
    },
    MissingResponse {
        body_excerpt: String,
    },
    Credentials(CredentialsError),
    Config(ConfigError),
    RateLimit(RateLimitError),
}

impl AttemptError {
    /// Blanks the request's secrets out of every text this failure carries.
    fn scrub_with(&mut self, request: &redact::Redacted) {
        match self {
            AttemptError::Service(e) => e.set_message(request.scrub(e.message())),
            AttemptError::HttpStatus { body_excerpt, .. } | AttemptError::MissingResponse { body_excerpt } => {
                *body_excerpt = request.scrub_excerpt(body_excerpt);
            }
            AttemptError::Decode { reason, body_excerpt } => {
                *reason = request.scrub(reason);
                *body_excerpt = request.scrub_excerpt(body_excerpt);
            }
            _ => {}
        }
    }

    /// What the retry policy looks at.
    fn kind(&self) -> AttemptFailure<'_> {
        match self {
            AttemptError::Service(e) => AttemptFailure::Service { code: e.code() },
            AttemptError::Connect(_) => AttemptFailure::Connect,
            // A connect timeout means the request never left, like any connect failure.
            AttemptError::Timeout { phase, .. } if *phase == PHASE_CONNECT => AttemptFailure::Connect,
            AttemptError::Timeout { .. } => AttemptFailure::Timeout,
            AttemptError::Transport(_) | AttemptError::Lost(_) => AttemptFailure::Transport,
            AttemptError::DeadlineExceeded { .. } => AttemptFailure::Timeout,
            AttemptError::HttpStatus { status, .. } => AttemptFailure::HttpStatus(*status),
            AttemptError::Decode { .. } | AttemptError::MissingResponse { .. } => AttemptFailure::Undecodable,
            AttemptError::Credentials(_) | AttemptError::Config(_) | AttemptError::RateLimit(_) => {
                AttemptFailure::Local
            }
        }
    }

    /// The `status` recorded on the call's span.
    fn label(&self) -> &'static str {
        match self {
            AttemptError::Service(_) => "service_error",
            AttemptError::Connect(_) => "connect_error",
            AttemptError::Timeout { .. } => "timeout",
            AttemptError::Transport(_) => "transport_error",
            AttemptError::Lost(_) => "connection_lost",
            AttemptError::DeadlineExceeded { .. } => "deadline_exceeded",
            AttemptError::HttpStatus { .. } => "http_status",
            AttemptError::Decode { .. } => "decode_error",
            AttemptError::MissingResponse { .. } => "missing_response",
            AttemptError::Credentials(_) => "credentials_error",
            AttemptError::Config(_) => "config_error",
            AttemptError::RateLimit(_) => "rate_limit_error",
        }
    }

    fn into_error<E: ActionError>(self, endpoint: &Endpoint) -> Error<E> {
        match self {
            AttemptError::Service(e) => Error::Service(E::from_service_error(e)),
            AttemptError::Connect(source) => Error::Connect {
                endpoint: endpoint.url.to_string(),
                source,
            },
            AttemptError::Timeout { after, phase } => Error::Timeout { after, phase },
            AttemptError::Transport(source) | AttemptError::Lost(source) => Error::Transport { source },
            AttemptError::DeadlineExceeded { after, attempts, doing } => Error::DeadlineExceeded {
                after,
                attempts,
                during: match doing {
                    DOING_WAITING_FOR_ANSWER => "waiting for an answer",
                    DOING_BACKOFF => "waiting to retry",
                    _ => "waiting to send (rate limit or credentials)",
                },
            },
            AttemptError::HttpStatus { status, body_excerpt } => Error::HttpStatus { status, body_excerpt },
            // Cut only now, after `scrub_with` has seen the whole reason: a secret that a cut
            // left only the start of would not be recognised.
            AttemptError::Decode { reason, body_excerpt } => Error::Decode {
                reason: shown(&reason).into_owned(),
                body_excerpt,
            },
            AttemptError::MissingResponse { body_excerpt } => Error::MissingResponse { body_excerpt },
            AttemptError::Credentials(e) => Error::Credentials(e),
            AttemptError::Config(e) => Error::Config(e),
            AttemptError::RateLimit(e) => Error::RateLimit(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::tests::Failure;

    fn endpoint() -> Endpoint {
        Endpoint::parse("https://teo.tencentcloudapi.com").unwrap()
    }

    #[test]
    fn a_request_secret_is_blanked_out_of_a_reason_before_it_is_cut() {
        let secret = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=";
        let request = redact::Redacted::new(format!(r#"{{"SecretKey":"{secret}"}}"#).as_bytes(), &["SecretKey"]);
        // The secret starts 10 bytes before the limit: cut first, its first 10 bytes would show.
        let mut failure = AttemptError::Decode {
            reason: format!("{}{secret} tail", "x".repeat(490)),
            body_excerpt: String::new(),
        };
        failure.scrub_with(&request);
        let error: Error<Failure> = failure.into_error(&endpoint());
        match error {
            Error::Decode { reason, .. } => assert_eq!(
                reason,
                format!("{}** redacte… [cut: 509 bytes in all]", "x".repeat(490))
            ),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn a_signed_request_shows_neither_the_secret_id_nor_the_signature() {
        let header = "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2026-12-06/teo/tc3_request, \
                      SignedHeaders=content-type;host, Signature=0123abcd";
        assert_eq!(
            redacted_authorization(header),
            "TC3-HMAC-SHA256 Credential=** redacted **/2026-12-06/teo/tc3_request, \
             SignedHeaders=content-type;host, Signature=** redacted **"
        );
    }

    #[test]
    fn a_raw_call_needs_a_plain_action_name_and_an_object_body() {
        static SERVICE: ServiceMeta = ServiceMeta {
            name: "teo",
            version: "2022-09-01",
            endpoint: "https://teo.tencentcloudapi.com",
            intl_endpoint: "https://teo.intl.tencentcloudapi.com",
            actions: &[],
        };
        let settings = crate::config::Settings {
            credentials: Some(CredentialSource::Static(Credentials::new("AKIDEXAMPLE", "key"))),
            ..crate::config::Settings::default()
        };
        let handle = Handle::new(&SERVICE, settings.check(&SERVICE).unwrap()).unwrap();
        let e = handle.raw_target("Describe Zones", b"{}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid client configuration: the action name \"Describe Zones\" is not letters and digits"
        );
        let e = handle.raw_target("DescribeZones", b"[]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid client configuration: the request body of DescribeZones is not a JSON object"
        );
        let (meta, name, id, _) = handle.raw_target("DescribeZones", b"{}").unwrap();
        assert_eq!(
            (meta.name, name.as_str(), id.index()),
            ("(unlisted)", "DescribeZones", usize::MAX)
        );
    }

    #[test]
    fn a_service_error_reaches_the_caller_whole() {
        let message = "m".repeat(3 * 1024 * 1024);
        let failure = AttemptError::Service(ServiceError::new("InternalError", message.clone(), "r-1"));
        let error: Error<Failure> = failure.into_error(&endpoint());
        assert_eq!(error.service_error().map(ServiceError::message), Some(message.as_str()));
        assert_eq!(
            error.to_string(),
            format!(
                "service error InternalError: {}… [cut: 3145728 bytes in all] (request id r-1)",
                "m".repeat(500)
            )
        );
    }
}
