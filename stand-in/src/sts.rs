// A loopback stand-in for STS (`sts`, version 2018-08-13): `AssumeRole`, TC3-signed for service
// `sts` with configured base credentials, and `AssumeRoleWithWebIdentity`, unsigned
// (`Authorization: SKIP`) and checked against a configured token. Both issue fresh temporary
// credentials; fault modes, lifetimes and links to TEO stand-ins are settable at run time.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use hyper::header::AUTHORIZATION;
use hyper::http::request::Parts;
use hyper::Method;
use serde_json::{json, Map, Value};
use tokio::task::JoinHandle;

use crate::issued::{IssuedCredentials, IssuedKeys, Ledger};
use crate::loopback::{self, Decision, Handler, Reply};
use crate::response::{error_body, success_body, ApiError};
use crate::state::Rng;
use crate::verify::{check_common_headers, verify, Clock, Credentials, Inbound, KeyLookup, Service};
use crate::StandIn;

const STS: Service = Service {
    name: "sts",
    version: "2018-08-13",
};
const ASSUME_ROLE: &str = "AssumeRole";
const WEB_IDENTITY: &str = "AssumeRoleWithWebIdentity";

/// A misbehaviour of the [`StsServer`], in force for every request until changed or cleared.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use teo_stand_in::{StsFault, StsServer};
///
/// let sts = StsServer::start().await?;
/// sts.set_fault(StsFault::api_error("InternalError.SystemError", "try again"));
/// // ... a refresh fails ...
/// sts.clear_fault();
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StsFault {
    /// Every new connection is closed as soon as it is accepted, and a request arriving on a
    /// connection already open is answered by closing it.
    Down,
    /// Every answer waits this long, then the request is served normally.
    Slow(Duration),
    /// The answer the request would have had, cut off halfway (HTTP 200, `application/json`,
    /// invalid JSON). Credentials cut off this way are not issued.
    MalformedJson,
    /// The API 3.0 error envelope with this code and message, whatever the request.
    ApiError {
        /// `Response.Error.Code`, e.g. `InternalError.SystemError` or `RequestLimitExceeded`.
        code: String,
        /// `Response.Error.Message`.
        message: String,
    },
}

impl StsFault {
    /// An [`StsFault::ApiError`] with this code and message.
    ///
    /// ```
    /// let fault = teo_stand_in::StsFault::api_error("RequestLimitExceeded", "slow down");
    /// assert!(matches!(fault, teo_stand_in::StsFault::ApiError { .. }));
    /// ```
    pub fn api_error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::ApiError {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// A loopback stand-in for Tencent Cloud STS (service `sts`, version `2018-08-13`) on `127.0.0.1`.
///
/// It serves `POST /` with `X-TC-Action`:
///
/// - `AssumeRole`, TC3-HMAC-SHA256-signed for service `sts` (scope `<date>/sts/tc3_request`) with
///   the base credentials, checked exactly as the TEO [`StandIn`] checks its own. Members:
///   `RoleArn` and `RoleSessionName` (required), `DurationSeconds` (default 7200, at most
///   43200), `Policy`, `ExternalId`.
/// - `AssumeRoleWithWebIdentity`, sent with `Authorization: SKIP`. Members: `ProviderId`,
///   `WebIdentityToken` (must equal the configured token), `RoleArn`, `RoleSessionName`
///   (required), `DurationSeconds`.
///
/// Both answer `{"Response":{"Credentials":{"Token","TmpSecretId","TmpSecretKey"},"ExpiredTime",
/// "Expiration","RequestId"}}` with fresh credentials; errors use the API 3.0 envelope. See the
/// crate documentation for the codes.
///
/// Dropping it stops the server. `Debug` shows the endpoint and counts, never credentials or tokens.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// use teo_stand_in::{StandIn, StsServer};
///
/// let stand_in = StandIn::start().await?;
/// let sts = StsServer::builder()
///     .credentials("AKIDbase", "base-secret")
///     .web_identity_token("eyJhbGciOi...")
///     .lifetime(Duration::from_secs(3))
///     .issue_to(&stand_in)
///     .start()
///     .await?;
/// // Point an AssumeRole provider at `sts.endpoint()` with the base credentials above ...
/// assert_eq!(sts.request_count("AssumeRole"), 0);
/// # Ok(())
/// # }
/// ```
pub struct StsServer {
    addr: SocketAddr,
    inner: Arc<Inner>,
    task: Option<JoinHandle<()>>,
}

struct Inner(Mutex<Settings>);

/// No `Debug`: it holds base credentials, the token, request bodies and issued secrets.
struct Settings {
    credentials: Credentials,
    web_identity_token: String,
    provider_id: Option<String>,
    role_arns: Vec<String>,
    lifetime: Option<Duration>,
    fault: Option<StsFault>,
    clock: Clock,
    rng: Rng,
    ledger: Ledger,
    requests: u64,
    counts: HashMap<String, u64>,
    last_bodies: HashMap<String, Vec<u8>>,
}

impl Inner {
    fn settings(&self) -> MutexGuard<'_, Settings> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl StsServer {
    /// The base SecretId `AssumeRole` requests must be signed with unless configured otherwise.
    pub const DEFAULT_SECRET_ID: &'static str = "AKIDSTSBASE0000000000000000000000000";
    /// The base SecretKey `AssumeRole` signatures are checked with unless configured otherwise.
    pub const DEFAULT_SECRET_KEY: &'static str = "sts-standin-base-key-not-a-real-secret";
    /// The `WebIdentityToken` accepted unless configured otherwise.
    pub const DEFAULT_WEB_IDENTITY_TOKEN: &'static str = "stand-in-oidc-web-identity-token";
    /// The service name expected in `AssumeRole`'s credential scope.
    pub const SERVICE: &'static str = STS.name;
    /// The API version served; any other `X-TC-Version` is answered with `NoSuchVersion`.
    pub const VERSION: &'static str = STS.version;
    /// The lifetime granted when a request sends no `DurationSeconds`.
    pub const DEFAULT_DURATION_SECS: u64 = 7200;
    /// The longest `DurationSeconds` accepted.
    pub const MAX_DURATION_SECS: u64 = 43_200;

    /// A builder for base credentials, the accepted token, lifetimes and links.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::builder().web_identity_token("jwt").start().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder() -> StsServerBuilder {
        StsServerBuilder::default()
    }

    /// Starts with the default base credentials and token, linked to no stand-in. Must be
    /// called inside a Tokio runtime.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// The base URL, `http://127.0.0.1:<port>`, with no trailing slash.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// assert!(sts.endpoint().starts_with("http://127.0.0.1:"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address (its text is the `Host` that signatures cover).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// let host = sts.local_addr().to_string();
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Puts a fault in force for every request from now on, replacing any other.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// sts.set_fault(teo_stand_in::StsFault::MalformedJson);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_fault(&self, fault: StsFault) {
        self.inner.settings().fault = Some(fault);
    }

    /// Ends any fault.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// sts.clear_fault();
    /// assert_eq!(sts.fault(), None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn clear_fault(&self) {
        self.inner.settings().fault = None;
    }

    /// The fault in force, if any.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// assert_eq!(sts.fault(), None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fault(&self) -> Option<StsFault> {
        self.inner.settings().fault.clone()
    }

    /// Overrides the lifetime of credentials issued from now on, whatever `DurationSeconds`
    /// asks; `None` grants what is asked again.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// sts.set_lifetime(Some(std::time::Duration::from_secs(2)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_lifetime(&self, lifetime: Option<Duration>) {
        self.inner.settings().lifetime = lifetime;
    }

    /// Replaces the base credentials `AssumeRole` must be signed with.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// sts.set_credentials(teo_stand_in::Credentials::new("AKIDrotated", "rotated-key"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_credentials(&self, credentials: Credentials) {
        self.inner.settings().credentials = credentials;
    }

    /// Replaces the accepted `WebIdentityToken`, as a rotated token file would.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// sts.set_web_identity_token("next-jwt");
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_web_identity_token(&self, token: impl Into<String>) {
        self.inner.settings().web_identity_token = token.into();
    }

    /// How many HTTP requests have been read so far, whatever they asked for and whatever the
    /// answer (connections closed on accept under [`StsFault::Down`] send none).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// assert_eq!(sts.requests(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn requests(&self) -> u64 {
        self.inner.settings().requests
    }

    /// How many requests named this `X-TC-Action` (e.g. `"AssumeRole"`), answered or not.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// assert_eq!(sts.request_count("AssumeRoleWithWebIdentity"), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn request_count(&self, action: &str) -> u64 {
        self.inner.settings().counts.get(action).copied().unwrap_or(0)
    }

    /// The body of the last request that named this `X-TC-Action`, as JSON (a body that is not
    /// JSON comes back as a JSON string of its text). It holds what the client sent, the
    /// `WebIdentityToken` included.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// if let Some(body) = sts.last_body("AssumeRole") {
    ///     assert_eq!(body["DurationSeconds"], 7200);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn last_body(&self, action: &str) -> Option<Value> {
        let settings = self.inner.settings();
        let bytes = settings.last_bodies.get(action)?;
        Some(
            serde_json::from_slice(bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned())),
        )
    }

    /// Every set of credentials issued so far, oldest first.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// assert!(sts.issued().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn issued(&self) -> Vec<IssuedCredentials> {
        self.inner.settings().ledger.issued.clone()
    }

    /// The credentials issued last, if any.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// assert!(sts.last_issued().is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn last_issued(&self) -> Option<IssuedCredentials> {
        self.inner.settings().ledger.issued.last().cloned()
    }

    /// Links one more TEO stand-in: it accepts every set of credentials issued from now on.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::start().await?;
    /// let stand_in = teo_stand_in::StandIn::start().await?;
    /// sts.issue_to(&stand_in);
    /// # Ok(())
    /// # }
    /// ```
    pub fn issue_to(&self, stand_in: &StandIn) {
        self.inner.settings().ledger.linked.push(stand_in.issued_keys());
    }

    /// Stops the server and waits until the listener is closed.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// teo_stand_in::StsServer::start().await?.shutdown().await;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for StsServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl fmt::Debug for StsServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = self.inner.settings();
        let mut counts: Vec<(&String, &u64)> = settings.counts.iter().collect();
        counts.sort();
        f.debug_struct("StsServer")
            .field("endpoint", &self.endpoint())
            .field("fault", &settings.fault.as_ref().map(fault_kind))
            .field("lifetime", &settings.lifetime)
            .field("requests", &settings.requests)
            .field("request_counts", &counts)
            .field("issued", &settings.ledger.issued.len())
            .field("linked_stand_ins", &settings.ledger.linked.len())
            .finish()
    }
}

/// A fault without its payload (an injected message might quote anything).
fn fault_kind(fault: &StsFault) -> &'static str {
    match fault {
        StsFault::Down => "Down",
        StsFault::Slow(_) => "Slow",
        StsFault::MalformedJson => "MalformedJson",
        StsFault::ApiError { .. } => "ApiError",
    }
}

/// Configures an [`StsServer`] before it starts.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let sts = teo_stand_in::StsServer::builder()
///     .credentials("AKIDbase", "base-secret")
///     .role_arn("qcs::cam::uin/100000000001:roleName/edgeone-ops")
///     .start()
///     .await?;
/// # Ok(())
/// # }
/// ```
pub struct StsServerBuilder {
    credentials: Credentials,
    web_identity_token: String,
    provider_id: Option<String>,
    role_arns: Vec<String>,
    lifetime: Option<Duration>,
    fault: Option<StsFault>,
    linked: Vec<Arc<IssuedKeys>>,
}

impl Default for StsServerBuilder {
    fn default() -> Self {
        Self {
            credentials: Credentials::new(StsServer::DEFAULT_SECRET_ID, StsServer::DEFAULT_SECRET_KEY),
            web_identity_token: StsServer::DEFAULT_WEB_IDENTITY_TOKEN.to_owned(),
            provider_id: None,
            role_arns: Vec::new(),
            lifetime: None,
            fault: None,
            linked: Vec::new(),
        }
    }
}

impl fmt::Debug for StsServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StsServerBuilder")
            .field("credentials", &self.credentials)
            .field("provider_id", &self.provider_id)
            .field("role_arns", &self.role_arns)
            .field("lifetime", &self.lifetime)
            .field("fault", &self.fault.as_ref().map(fault_kind))
            .field("linked_stand_ins", &self.linked.len())
            .finish_non_exhaustive()
    }
}

impl StsServerBuilder {
    /// The permanent base key pair `AssumeRole` must be signed with.
    ///
    /// ```no_run
    /// let builder = teo_stand_in::StsServer::builder().credentials("AKIDbase", "base-secret");
    /// ```
    #[must_use]
    pub fn credentials(mut self, secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        self.credentials = Credentials::new(secret_id, secret_key);
        self
    }

    /// Base credentials of any kind, e.g. temporary ones whose token `AssumeRole` must then send
    /// as `X-TC-Token`.
    ///
    /// ```no_run
    /// use teo_stand_in::Credentials;
    /// let base = Credentials::new("AKIDtmp", "tmp-key").with_session_token("tmp-token");
    /// let builder = teo_stand_in::StsServer::builder().base_credentials(base);
    /// ```
    #[must_use]
    pub fn base_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// The `WebIdentityToken` `AssumeRoleWithWebIdentity` must send.
    ///
    /// ```no_run
    /// let builder = teo_stand_in::StsServer::builder().web_identity_token("eyJhbGciOi...");
    /// ```
    #[must_use]
    pub fn web_identity_token(mut self, token: impl Into<String>) -> Self {
        self.web_identity_token = token.into();
        self
    }

    /// The `ProviderId` `AssumeRoleWithWebIdentity` must send (any non-empty one otherwise).
    ///
    /// ```no_run
    /// let builder = teo_stand_in::StsServer::builder().provider_id("tke-oidc-provider");
    /// ```
    #[must_use]
    pub fn provider_id(mut self, provider_id: impl Into<String>) -> Self {
        self.provider_id = Some(provider_id.into());
        self
    }

    /// Adds a role that may be assumed; once one is added, any other `RoleArn` is answered
    /// `ResourceNotFound.RoleNotFound` (with none, every non-empty ARN is accepted).
    ///
    /// ```no_run
    /// let builder = teo_stand_in::StsServer::builder().role_arn("qcs::cam::uin/1:roleName/ops");
    /// ```
    #[must_use]
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arns.push(role_arn.into());
        self
    }

    /// Grants this lifetime whatever `DurationSeconds` asks (rounded up to whole seconds), e.g.
    /// a few seconds for refresh tests.
    ///
    /// ```no_run
    /// let builder = teo_stand_in::StsServer::builder().lifetime(std::time::Duration::from_secs(2));
    /// ```
    #[must_use]
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = Some(lifetime);
        self
    }

    /// Starts with this fault in force.
    ///
    /// ```no_run
    /// let builder = teo_stand_in::StsServer::builder().fault(teo_stand_in::StsFault::Down);
    /// ```
    #[must_use]
    pub fn fault(mut self, fault: StsFault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// Links a TEO stand-in: it accepts every set of credentials this server issues, until the
    /// credentials' `ExpiredTime`. May be called for several stand-ins.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let stand_in = teo_stand_in::StandIn::start().await?;
    /// let sts = teo_stand_in::StsServer::builder().issue_to(&stand_in).start().await?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn issue_to(mut self, stand_in: &StandIn) -> Self {
        self.linked.push(stand_in.issued_keys());
        self
    }

    /// Binds `127.0.0.1:0` and starts serving. Must be called inside a Tokio runtime.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sts = teo_stand_in::StsServer::builder().start().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start(self) -> io::Result<StsServer> {
        let inner = Arc::new(Inner(Mutex::new(Settings {
            credentials: self.credentials,
            web_identity_token: self.web_identity_token,
            provider_id: self.provider_id,
            role_arns: self.role_arns,
            lifetime: self.lifetime,
            fault: self.fault,
            clock: Clock::default(),
            rng: Rng::from_entropy(),
            ledger: Ledger {
                issued: Vec::new(),
                linked: self.linked,
            },
            requests: 0,
            counts: HashMap::new(),
            last_bodies: HashMap::new(),
        })));
        let (addr, task) = loopback::spawn(Arc::clone(&inner) as Arc<dyn Handler>).await?;
        tracing::debug!(%addr, "STS stand-in listening");
        Ok(StsServer {
            addr,
            inner,
            task: Some(task),
        })
    }
}

impl Handler for Inner {
    fn down(&self) -> bool {
        self.settings().fault == Some(StsFault::Down)
    }

    fn decide(&self, parts: &Parts, body: &[u8]) -> Decision {
        let mut settings = self.settings();
        settings.requests += 1;
        if let Some(action) = parts.headers.get("x-tc-action").and_then(|value| value.to_str().ok()) {
            let action = action.trim().to_owned();
            *settings.counts.entry(action.clone()).or_insert(0) += 1;
            settings.last_bodies.insert(action, body.to_vec());
        }
        match settings.fault {
            Some(StsFault::Down) => Decision::Close,
            Some(StsFault::Slow(duration)) => Decision::Delay(duration),
            _ => Decision::Go,
        }
    }

    fn answer(&self, parts: &Parts, body: &[u8]) -> Reply {
        let mut settings = self.settings();
        let settings = &mut *settings;
        let request_id = settings.rng.request_id();
        if let Some(StsFault::ApiError { code, message }) = &settings.fault {
            let error = ApiError {
                code: code.clone(),
                message: message.clone(),
            };
            return Reply::json(error_body(&error, &request_id));
        }
        let malformed = settings.fault == Some(StsFault::MalformedJson);
        match serve(parts, body, settings) {
            Ok(issued) => {
                let mut fields = Map::new();
                fields.insert(
                    "Credentials".to_owned(),
                    json!({
                        "Token": issued.token(),
                        "TmpSecretId": issued.secret_id(),
                        "TmpSecretKey": issued.secret_key(),
                    }),
                );
                fields.insert("ExpiredTime".to_owned(), json!(issued.expired_time()));
                fields.insert(
                    "Expiration".to_owned(),
                    json!(crate::time::iso_utc(issued.expired_time())),
                );
                let body = success_body(fields, &request_id);
                if malformed {
                    return Reply::json(body[..body.len() / 2].to_vec());
                }
                settings.ledger.record(&issued);
                Reply::json(body)
            }
            Err(error) => {
                let body = error_body(&error, &request_id);
                if malformed {
                    return Reply::json(body[..body.len() / 2].to_vec());
                }
                Reply::json(body)
            }
        }
    }
}

/// The checks, in order, then fresh credentials (not yet recorded as issued).
fn serve(parts: &Parts, body: &[u8], settings: &mut Settings) -> Result<IssuedCredentials, ApiError> {
    if parts.method != Method::POST {
        return Err(ApiError::new(
            "UnsupportedProtocol",
            format!(
                "The HTTP method {} is not supported; STS is served over POST.",
                parts.method
            ),
        ));
    }
    if parts.uri.path() != "/" {
        return Err(ApiError::new(
            "InvalidParameter",
            format!("The request path `{}` must be `/`.", parts.uri.path()),
        ));
    }
    let (checked, _timestamp) = check_common_headers(&parts.headers, STS)?;
    let now = settings.clock.now();
    if checked.action == WEB_IDENTITY {
        let skipped = parts
            .headers
            .get(AUTHORIZATION)
            .is_some_and(|value| value.as_bytes() == b"SKIP");
        if !skipped {
            return Err(ApiError::new(
                "AuthFailure.InvalidAuthorization",
                "AssumeRoleWithWebIdentity is sent unsigned, with `Authorization: SKIP`.",
            ));
        }
    } else {
        let inbound = Inbound {
            query: parts.uri.query().unwrap_or(""),
            headers: &parts.headers,
            body,
        };
        let base = &settings.credentials;
        let lookup = |secret_id: &str| {
            if secret_id == base.secret_id() {
                KeyLookup::Active(base.clone())
            } else {
                KeyLookup::Unknown
            }
        };
        verify(&inbound, STS, lookup, now)?;
    }
    if checked.action != ASSUME_ROLE && checked.action != WEB_IDENTITY {
        return Err(ApiError::new(
            "InvalidAction",
            format!("The action `{}` is not served by this STS stand-in.", checked.action),
        ));
    }
    let members = Members::parse(body)?;
    let granted_secs = if checked.action == ASSUME_ROLE {
        members.only(&["RoleArn", "RoleSessionName", "DurationSeconds", "Policy", "ExternalId"])?;
        check_role(&members, settings)?;
        let duration = members.duration()?;
        members.optional_string("Policy")?;
        if let Some(external_id) = members.optional_string("ExternalId")? {
            check_name("ExternalId", external_id, |c| "=,.@:/-_+".contains(c))?;
        }
        duration
    } else {
        members.only(&[
            "ProviderId",
            "WebIdentityToken",
            "RoleArn",
            "RoleSessionName",
            "DurationSeconds",
        ])?;
        let provider_id = members.required_string("ProviderId")?;
        let token = members.required_string("WebIdentityToken")?;
        check_role(&members, settings)?;
        let duration = members.duration()?;
        if settings
            .provider_id
            .as_deref()
            .is_some_and(|expected| expected != provider_id)
            || provider_id.is_empty()
        {
            return Err(ApiError::new(
                "InvalidParameter.ParamError",
                format!("The ProviderId `{provider_id}` is not an identity provider of this account."),
            ));
        }
        if token != settings.web_identity_token {
            return Err(ApiError::new(
                "InvalidParameter.WebIdentityTokenError",
                "The WebIdentityToken is invalid or expired.",
            ));
        }
        duration
    };
    let lifetime = settings.lifetime.unwrap_or(Duration::from_secs(granted_secs));
    Ok(IssuedCredentials::mint(&mut settings.rng, now, lifetime))
}

/// `RoleArn` (known, when roles are configured) and `RoleSessionName` (2–128 of `[\w+=,.@-]`).
fn check_role(members: &Members, settings: &Settings) -> Result<(), ApiError> {
    let role_arn = members.required_string("RoleArn")?;
    let session_name = members.required_string("RoleSessionName")?;
    if role_arn.is_empty() {
        return Err(ApiError::new("InvalidParameter.ParamError", "RoleArn is empty."));
    }
    if !settings.role_arns.is_empty() && !settings.role_arns.iter().any(|known| known == role_arn) {
        return Err(ApiError::new(
            "ResourceNotFound.RoleNotFound",
            format!("The role `{role_arn}` does not exist."),
        ));
    }
    check_name("RoleSessionName", session_name, |c| "=,.@-_+".contains(c))
}

/// 2 to 128 ASCII letters, digits or the allowed punctuation.
fn check_name(member: &str, value: &str, punctuation: impl Fn(char) -> bool) -> Result<(), ApiError> {
    let length_ok = (2..=128).contains(&value.chars().count());
    if length_ok && value.chars().all(|c| c.is_ascii_alphanumeric() || punctuation(c)) {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameter.ParamError",
            format!("{member} `{value}` must be 2 to 128 letters, digits or allowed punctuation."),
        ))
    }
}

/// The request body's members, checked one by one.
struct Members(Map<String, Value>);

impl Members {
    fn parse(body: &[u8]) -> Result<Self, ApiError> {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(members)) => Ok(Self(members)),
            _ => Err(ApiError::new(
                "InvalidParameter",
                "The request body is not a JSON object.",
            )),
        }
    }

    fn only(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.keys().find(|name| !known.contains(&name.as_str())) {
            Some(name) => Err(ApiError::new(
                "UnknownParameter",
                format!("The parameter `{name}` is not recognized."),
            )),
            None => Ok(()),
        }
    }

    fn present(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|value| !value.is_null())
    }

    fn optional_string(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(ApiError::new(
                "InvalidParameter",
                format!("The parameter `{name}` must be a string."),
            )),
        }
    }

    fn required_string(&self, name: &str) -> Result<&str, ApiError> {
        self.optional_string(name)?.ok_or_else(|| {
            ApiError::new(
                "MissingParameter",
                format!("The request is missing the required parameter `{name}`."),
            )
        })
    }

    /// `DurationSeconds`: an unsigned integer from 1 to 43200, 7200 when absent.
    fn duration(&self) -> Result<u64, ApiError> {
        let Some(value) = self.present("DurationSeconds") else {
            return Ok(StsServer::DEFAULT_DURATION_SECS);
        };
        let secs = value.as_u64().ok_or_else(|| {
            ApiError::new(
                "InvalidParameter",
                "The parameter `DurationSeconds` must be an unsigned integer.",
            )
        })?;
        if secs == 0 {
            return Err(ApiError::new(
                "InvalidParameter.ParamError",
                "DurationSeconds must be at least 1.",
            ));
        }
        if secs > StsServer::MAX_DURATION_SECS {
            return Err(ApiError::new(
                "InvalidParameter.OverTimeError",
                format!(
                    "DurationSeconds {secs} exceeds the maximum of {} seconds.",
                    StsServer::MAX_DURATION_SECS
                ),
            ));
        }
        Ok(secs)
    }
}
