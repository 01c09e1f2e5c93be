// A loopback stand-in for the CVM instance metadata service's CAM role endpoints: the role name
// listing and the role's temporary credentials, with a settable lifetime, fault modes switchable
// at run time, request counters, and links to TEO stand-ins that then accept what it issues.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use hyper::http::request::Parts;
use hyper::{Method, StatusCode};
use serde_json::json;
use tokio::task::JoinHandle;

use crate::issued::{IssuedCredentials, Ledger};
use crate::loopback::{self, Decision, Handler, Reply};
use crate::state::Rng;
use crate::verify::Clock;
use crate::StandIn;

/// The path of the role listing; a role's credentials are at this path plus the role name.
const ROLES_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// A misbehaviour of the [`MetadataServer`], in force until changed or cleared.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// use teo_stand_in::{MetadataFault, MetadataServer};
///
/// let metadata = MetadataServer::start().await?;
/// metadata.set_fault(MetadataFault::Slow(Duration::from_secs(5)));
/// // ... a client with a 1 s timeout gives up ...
/// metadata.clear_fault();
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetadataFault {
    /// Every new connection is closed as soon as it is accepted, and a request arriving on a
    /// connection already open is answered by closing it: the client never gets an answer.
    Down,
    /// Every answer (listing and credentials) waits this long first.
    Slow(Duration),
    /// The credentials document says `"Code":"Failure"` and carries no credentials; the listing
    /// is unaffected.
    CodeNotSuccess,
    /// The credentials document is cut off halfway (HTTP 200, `application/json`, invalid JSON);
    /// the listing is unaffected.
    MalformedJson,
}

/// A loopback stand-in for the CVM metadata service's CAM role credentials, on `127.0.0.1`.
///
/// It answers `GET {endpoint}/latest/meta-data/cam/security-credentials/` with the role name as
/// plain text (404 when [`MetadataServerBuilder::without_role`] was set) and
/// `GET {endpoint}/latest/meta-data/cam/security-credentials/<role>` with a JSON document:
/// `TmpSecretId`, `TmpSecretKey`, `Token`, `ExpiredTime` (unix seconds), `Expiration` (ISO 8601
/// UTC, e.g. `2024-09-18T05:03:46Z`) and `Code: "Success"`. Each answer issues fresh credentials.
/// Any other path, another role name or another method is answered 404.
///
/// Dropping it stops the server. `Debug` shows the endpoint, role and counts, never credentials.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// use teo_stand_in::{MetadataServer, StandIn};
///
/// let stand_in = StandIn::start().await?;
/// let metadata = MetadataServer::builder()
///     .role_name("edgeone-automation")
///     .lifetime(Duration::from_secs(3))
///     .issue_to(&stand_in)
///     .start()
///     .await?;
/// // Point a CVM role provider at `metadata.endpoint()` and a client at `stand_in.endpoint()`:
/// // the stand-in accepts each issued key and token until its `ExpiredTime`.
/// assert_eq!(metadata.requests(), 0);
/// # Ok(())
/// # }
/// ```
pub struct MetadataServer {
    addr: SocketAddr,
    inner: Arc<Inner>,
    task: Option<JoinHandle<()>>,
}

struct Inner {
    settings: Mutex<Settings>,
    requests: AtomicU64,
    credential_requests: AtomicU64,
}

/// No `Debug`: the ledger holds issued secrets.
struct Settings {
    role_name: Option<String>,
    lifetime: Duration,
    fault: Option<MetadataFault>,
    clock: Clock,
    rng: Rng,
    ledger: Ledger,
}

impl Inner {
    fn settings(&self) -> MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl MetadataServer {
    /// The role name served unless [`MetadataServerBuilder::role_name`] says otherwise.
    pub const DEFAULT_ROLE: &'static str = "StandInCvmRole";
    /// How long issued credentials last unless [`MetadataServerBuilder::lifetime`] says otherwise.
    pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(7200);
    /// The path of the role listing (credentials are at this path plus the role name).
    pub const ROLES_PATH: &'static str = ROLES_PATH;

    /// A builder for the role, the lifetime and links to TEO stand-ins.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::builder().role_name("ci").start().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder() -> MetadataServerBuilder {
        MetadataServerBuilder::default()
    }

    /// Starts a server with [`Self::DEFAULT_ROLE`] and [`Self::DEFAULT_LIFETIME`], linked to no
    /// stand-in. Must be called inside a Tokio runtime.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// assert!(metadata.endpoint().starts_with("http://127.0.0.1:"));
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
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// let listing = format!("{}/latest/meta-data/cam/security-credentials/", metadata.endpoint());
    /// # Ok(())
    /// # }
    /// ```
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// assert!(metadata.local_addr().ip().is_loopback());
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The role name served, or `None` when no role is bound.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// assert_eq!(metadata.role_name().as_deref(), Some(teo_stand_in::MetadataServer::DEFAULT_ROLE));
    /// # Ok(())
    /// # }
    /// ```
    pub fn role_name(&self) -> Option<String> {
        self.inner.settings().role_name.clone()
    }

    /// Binds another role (or, with `None`, unbinds it: the listing then answers 404).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// metadata.set_role_name(Some("other-role".to_owned()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_role_name(&self, role_name: Option<String>) {
        self.inner.settings().role_name = role_name;
    }

    /// Changes the lifetime of credentials issued from now on.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// metadata.set_lifetime(std::time::Duration::from_secs(2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_lifetime(&self, lifetime: Duration) {
        self.inner.settings().lifetime = lifetime;
    }

    /// Puts a fault in force for every request from now on, replacing any other.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// metadata.set_fault(teo_stand_in::MetadataFault::Down);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_fault(&self, fault: MetadataFault) {
        self.inner.settings().fault = Some(fault);
    }

    /// Ends any fault: service is normal again.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// metadata.clear_fault();
    /// assert_eq!(metadata.fault(), None);
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
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// assert_eq!(metadata.fault(), None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fault(&self) -> Option<MetadataFault> {
        self.inner.settings().fault
    }

    /// How many HTTP requests have been read so far (listings, credentials, anything else, with
    /// or without a fault; connections closed on accept under [`MetadataFault::Down`] send none).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// assert_eq!(metadata.requests(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn requests(&self) -> u64 {
        self.inner.requests.load(Ordering::SeqCst)
    }

    /// How many of [`Self::requests`] asked for the bound role's credentials: the number to
    /// check for single flight.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// assert_eq!(metadata.credential_requests(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn credential_requests(&self) -> u64 {
        self.inner.credential_requests.load(Ordering::SeqCst)
    }

    /// Every set of credentials issued so far, oldest first.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// assert!(metadata.issued().is_empty());
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
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// assert!(metadata.last_issued().is_none());
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
    /// let metadata = teo_stand_in::MetadataServer::start().await?;
    /// let stand_in = teo_stand_in::StandIn::start().await?;
    /// metadata.issue_to(&stand_in);
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
    /// teo_stand_in::MetadataServer::start().await?.shutdown().await;
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

impl Drop for MetadataServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl fmt::Debug for MetadataServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = self.inner.settings();
        f.debug_struct("MetadataServer")
            .field("endpoint", &self.endpoint())
            .field("role_name", &settings.role_name)
            .field("lifetime", &settings.lifetime)
            .field("fault", &settings.fault)
            .field("requests", &self.requests())
            .field("credential_requests", &self.credential_requests())
            .field("issued", &settings.ledger.issued.len())
            .field("linked_stand_ins", &settings.ledger.linked.len())
            .finish()
    }
}

/// Configures a [`MetadataServer`] before it starts.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// let stand_in = teo_stand_in::StandIn::start().await?;
/// let metadata = teo_stand_in::MetadataServer::builder()
///     .role_name("ci")
///     .lifetime(Duration::from_secs(5))
///     .issue_to(&stand_in)
///     .start()
///     .await?;
/// # Ok(())
/// # }
/// ```
pub struct MetadataServerBuilder {
    role_name: Option<String>,
    lifetime: Duration,
    fault: Option<MetadataFault>,
    linked: Vec<Arc<crate::issued::IssuedKeys>>,
}

impl Default for MetadataServerBuilder {
    fn default() -> Self {
        Self {
            role_name: Some(MetadataServer::DEFAULT_ROLE.to_owned()),
            lifetime: MetadataServer::DEFAULT_LIFETIME,
            fault: None,
            linked: Vec::new(),
        }
    }
}

impl fmt::Debug for MetadataServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetadataServerBuilder")
            .field("role_name", &self.role_name)
            .field("lifetime", &self.lifetime)
            .field("fault", &self.fault)
            .field("linked_stand_ins", &self.linked.len())
            .finish()
    }
}

impl MetadataServerBuilder {
    /// The role name the listing answers and whose credentials are served.
    ///
    /// ```no_run
    /// let builder = teo_stand_in::MetadataServer::builder().role_name("edgeone-ops");
    /// ```
    #[must_use]
    pub fn role_name(mut self, role_name: impl Into<String>) -> Self {
        self.role_name = Some(role_name.into());
        self
    }

    /// No role bound: the listing and every credentials path answer 404.
    ///
    /// ```no_run
    /// let builder = teo_stand_in::MetadataServer::builder().without_role();
    /// ```
    #[must_use]
    pub fn without_role(mut self) -> Self {
        self.role_name = None;
        self
    }

    /// How long issued credentials last (rounded up to whole seconds, since `ExpiredTime` is).
    ///
    /// ```no_run
    /// let builder = teo_stand_in::MetadataServer::builder().lifetime(std::time::Duration::from_secs(2));
    /// ```
    #[must_use]
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// Starts with this fault in force.
    ///
    /// ```no_run
    /// let builder = teo_stand_in::MetadataServer::builder().fault(teo_stand_in::MetadataFault::Down);
    /// ```
    #[must_use]
    pub fn fault(mut self, fault: MetadataFault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// Links a TEO stand-in: it accepts every set of credentials this server issues, until the
    /// credentials' `ExpiredTime`. May be called for several stand-ins.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let stand_in = teo_stand_in::StandIn::start().await?;
    /// let metadata = teo_stand_in::MetadataServer::builder().issue_to(&stand_in).start().await?;
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
    /// let metadata = teo_stand_in::MetadataServer::builder().start().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start(self) -> io::Result<MetadataServer> {
        let inner = Arc::new(Inner {
            settings: Mutex::new(Settings {
                role_name: self.role_name,
                lifetime: self.lifetime,
                fault: self.fault,
                clock: Clock::default(),
                rng: Rng::from_entropy(),
                ledger: Ledger {
                    issued: Vec::new(),
                    linked: self.linked,
                },
            }),
            requests: AtomicU64::new(0),
            credential_requests: AtomicU64::new(0),
        });
        let (addr, task) = loopback::spawn(Arc::clone(&inner) as Arc<dyn Handler>).await?;
        tracing::debug!(%addr, "metadata stand-in listening");
        Ok(MetadataServer {
            addr,
            inner,
            task: Some(task),
        })
    }
}

/// What a request asks for.
enum Route {
    Listing,
    Role,
    NotFound,
}

fn route(parts: &Parts, role_name: Option<&str>) -> Route {
    if parts.method != Method::GET {
        return Route::NotFound;
    }
    let Some(rest) = parts.uri.path().strip_prefix(ROLES_PATH) else {
        return Route::NotFound;
    };
    match role_name {
        None => Route::NotFound,
        Some(_) if rest.is_empty() => Route::Listing,
        Some(role) if rest == role => Route::Role,
        Some(_) => Route::NotFound,
    }
}

impl Handler for Inner {
    fn down(&self) -> bool {
        self.settings().fault == Some(MetadataFault::Down)
    }

    fn decide(&self, parts: &Parts, _body: &[u8]) -> Decision {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let settings = self.settings();
        if matches!(route(parts, settings.role_name.as_deref()), Route::Role) {
            self.credential_requests.fetch_add(1, Ordering::SeqCst);
        }
        match settings.fault {
            Some(MetadataFault::Down) => Decision::Close,
            Some(MetadataFault::Slow(duration)) => Decision::Delay(duration),
            _ => Decision::Go,
        }
    }

    fn answer(&self, parts: &Parts, _body: &[u8]) -> Reply {
        let mut settings = self.settings();
        let settings = &mut *settings;
        match route(parts, settings.role_name.as_deref()) {
            Route::NotFound => Reply::text(StatusCode::NOT_FOUND, "Not Found"),
            Route::Listing => Reply::text(StatusCode::OK, settings.role_name.clone().unwrap_or_default()),
            Route::Role => match settings.fault {
                Some(MetadataFault::CodeNotSuccess) => {
                    let body = json!({ "Code": "Failure", "Message": "The role credentials could not be issued." });
                    Reply::json(body.to_string().into_bytes())
                }
                fault => {
                    let now = settings.clock.now();
                    let issued = IssuedCredentials::mint(&mut settings.rng, now, settings.lifetime);
                    let body = json!({
                        "TmpSecretId": issued.secret_id(),
                        "TmpSecretKey": issued.secret_key(),
                        "Token": issued.token(),
                        "ExpiredTime": issued.expired_time(),
                        "Expiration": crate::time::iso_utc(issued.expired_time()),
                        "Code": "Success",
                    })
                    .to_string()
                    .into_bytes();
                    if fault == Some(MetadataFault::MalformedJson) {
                        // Nothing usable left the server, so nothing counts as issued.
                        return Reply::json(body[..body.len() / 2].to_vec());
                    }
                    settings.ledger.record(&issued);
                    Reply::json(body)
                }
            },
        }
    }
}
