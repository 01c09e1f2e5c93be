// The crate's front door: `StandIn`, a loopback stand-in for Tencent Cloud's TEO (EdgeOne) API 3.0
// service, its builder, and the handle methods tests use to inspect requests, zone keys and faults.

//! A loopback stand-in for Tencent Cloud's TEO (EdgeOne) API 3.0 service, version `2022-09-01`,
//! for end-to-end tests of API clients.
//!
//! It listens on `127.0.0.1` (a free port), answers `POST /` like the real service, and checks
//! every request the way the service does: the common `X-TC-*` headers, the content type, and
//! the TC3-HMAC-SHA256 signature, recomputed independently from the protocol rules. It serves
//! `CreateMultiPathGatewaySecretKey`, `RefreshMultiPathGatewaySecretKey` and
//! `DescribeMultiPathGatewaySecretKey` over a per-zone key store, records every request, and can
//! inject failures ([`Fault`]) one request at a time.
//!
//! It spawns tasks with `tokio::spawn`, so [`StandIn::start`] and [`StandInBuilder::start`] must
//! be awaited inside a Tokio runtime; the server stops when the [`StandIn`] is dropped.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use teo_stand_in::{Fault, StandIn};
//!
//! let stand_in = StandIn::start().await?;
//! stand_in.set_zone_key("zone-27q0p0bal192", "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=");
//! stand_in.push_fault(Fault::html_status(502));
//! // Point a client at `stand_in.endpoint()` with `StandIn::DEFAULT_SECRET_ID` / `DEFAULT_SECRET_KEY`...
//! for request in stand_in.requests() {
//!     assert!(request.verification.passed());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Error codes
//!
//! Every API error is HTTP 200 with `{"Response":{"Error":{"Code","Message"},"RequestId"}}`.
//! Checks run in this order; the first failure answers:
//!
//! | check | code |
//! | --- | --- |
//! | method other than `POST` | `UnsupportedProtocol` |
//! | path other than `/` | `InvalidParameter` |
//! | body over 10 MiB | `RequestSizeLimitExceeded` |
//! | `X-TC-Action`, `X-TC-Version` or `X-TC-Timestamp` missing | `MissingParameter` |
//! | `X-TC-Version` not `2022-09-01` | `NoSuchVersion` |
//! | `X-TC-Timestamp` not plain decimal digits | `InvalidParameter` |
//! | `X-TC-Language` not `zh-CN` / `en-US` | `InvalidParameterValue` |
//! | `Content-Type` media type not `application/json` (parameters such as `charset` are fine) | `InvalidParameter` |
//! | `Authorization` missing or malformed, algorithm not `TC3-HMAC-SHA256`, `SignedHeaders` lacking `content-type` or `host`, scope date not the timestamp's UTC date, scope service not `teo`, scope not ending in `tc3_request` | `AuthFailure.InvalidAuthorization` |
//! | timestamp more than 300 s from the server clock | `AuthFailure.SignatureExpire` |
//! | SecretId not the configured one | `AuthFailure.SecretIdNotFound` |
//! | token missing or wrong for temporary credentials, or sent with permanent ones | `AuthFailure.TokenFailure` |
//! | signature mismatch | `AuthFailure.SignatureFailure` |
//! | action not served | `InvalidAction` |
//! | body not a JSON object, or a parameter of the wrong JSON type | `InvalidParameter` |
//! | a field the action does not define | `UnknownParameter` |
//! | `ZoneId` absent or `null` | `MissingParameter` |
//! | `ZoneId` not `zone-` + 1–32 lowercase letters/digits | `InvalidParameterValue` |
//! | `SecretKey` not base64 of 32–48 bytes | `InvalidParameterValue` |
//! | Create on a zone that already has a key | `OperationDenied` |
//! | Refresh on a zone without a key | `OperationDenied` |
//! | Describe on a zone without a key | `ResourceNotFound` |
//!
//! # Faults
//!
//! Queued faults ([`StandIn::push_fault`], [`StandIn::fail_next`]) are taken one per incoming
//! request, whatever it asks for and whether or not it is correctly signed, then service is
//! normal again. Faults that replace the answer skip the action, so zone state is unchanged; the
//! request is still checked and recorded, with the fault, in [`StandIn::requests`].
//!
//! # Signature details
//!
//! The signature covers the signed headers' values as sent (trimmed), the raw query string and
//! the body bytes, or `UNSIGNED-PAYLOAD` when `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` is sent.
//! `X-TC-Token`, `X-TC-Region` and `X-TC-RequestClient` are not signed and `X-TC-Region` is not
//! checked.
//!
//! # Other decisions
//!
//! Every well-formed zone id names an existing zone. A Create whose `SecretKey` is absent, `null`
//! or empty stores a random key (32 bytes, base64); Refresh always generates one. Error messages
//! are English whatever `X-TC-Language` asks for.

#![forbid(unsafe_code)]

mod actions;
mod faults;
mod handle;
mod model;
mod record;
mod response;
mod server;
mod state;
mod store;
mod time;
mod verify;

/// Log capture for tests: [`tencentcloud_runtime::test_util::log_capture`], re-exported.
pub use tencentcloud_runtime::test_util::log_capture;

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use faults::Fault;
pub use model::{
    AccelerationDomain, DnsRecord, HostCertificate, MutualTls, Origin, OriginGroup, OriginRecord, PrivateParameter,
    Quota, Task, TaskKind, TaskStatus, UnknownZone, Zone,
};
pub use record::{Outcome, RecordedRequest, Verification};
pub use verify::Credentials;

use state::{Rng, Shared, State};
use store::Store;
use verify::Clock;

/// A running stand-in server on `127.0.0.1`.
///
/// Dropping it (or calling [`StandIn::shutdown`]) stops the server and closes open connections.
/// `Debug` shows the endpoint and SecretId, never the secret key, the token or zone keys.
pub struct StandIn {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: Option<JoinHandle<()>>,
}

impl StandIn {
    /// The SecretId [`StandIn::start`] accepts.
    pub const DEFAULT_SECRET_ID: &'static str = "AKIDSTANDIN00000000000000000000000000";
    /// The SecretKey [`StandIn::start`] checks signatures with.
    pub const DEFAULT_SECRET_KEY: &'static str = "standin-secret-key-not-a-real-secret";
    /// The API version served; any other `X-TC-Version` is answered with `NoSuchVersion`.
    pub const VERSION: &'static str = verify::VERSION;
    /// The service name expected in the credential scope.
    pub const SERVICE: &'static str = verify::SERVICE;
    /// How far, in seconds, `X-TC-Timestamp` may be from the server clock.
    pub const MAX_TIMESTAMP_DRIFT_SECS: i64 = verify::MAX_TIMESTAMP_DRIFT_SECS;
    /// How many `Describe*Tasks` answers show a new task as `processing` until
    /// [`StandIn::set_task_polls`] says otherwise.
    pub const DEFAULT_TASK_POLLS: u32 = store::DEFAULT_TASK_POLLS;

    /// A builder for custom credentials, clock or preloaded zone keys.
    pub fn builder() -> StandInBuilder {
        StandInBuilder::default()
    }

    /// Starts a stand-in with the default credentials and the system clock.
    ///
    /// Must be called inside a Tokio runtime.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// The base URL, `http://127.0.0.1:<port>`, with no trailing slash.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().records.clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.shared.lock().records.clear();
    }

    /// The zone's current multi-path gateway secret key, if it has one.
    pub fn zone_key(&self, zone_id: &str) -> Option<String> {
        self.shared.lock().store.keys.get(zone_id).cloned()
    }

    /// Sets a zone's key directly, as if it had been created. The key is stored as given, unchecked.
    pub fn set_zone_key(&self, zone_id: impl Into<String>, key: impl Into<String>) {
        self.shared.lock().store.keys.insert(zone_id.into(), key.into());
    }

    /// Deletes a zone's key, returning it.
    pub fn remove_zone_key(&self, zone_id: &str) -> Option<String> {
        self.shared.lock().store.keys.remove(zone_id)
    }

    /// Queues one fault for the next request that has none queued before it.
    pub fn push_fault(&self, fault: Fault) {
        self.shared.lock().faults.push_back(fault);
    }

    /// Queues `count` copies of `fault`: the next `count` requests get it, then service is normal.
    pub fn fail_next(&self, count: usize, fault: Fault) {
        self.shared.lock().faults.extend(std::iter::repeat(fault).take(count));
    }

    /// How many queued faults are still waiting for a request.
    pub fn pending_faults(&self) -> usize {
        self.shared.lock().faults.len()
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Replaces the accepted credentials, e.g. to test a client's credential rotation.
    pub fn set_credentials(&self, credentials: Credentials) {
        self.shared.lock().credentials = credentials;
    }

    /// Moves the server clock to the system clock plus `skew_secs` (which may be negative).
    pub fn set_clock_skew(&self, skew_secs: i64) {
        self.shared.lock().clock = Clock { skew_secs, fixed: None };
    }

    /// The server's current unix time, the one `X-TC-Timestamp` is checked against.
    pub fn server_time(&self) -> i64 {
        self.shared.lock().clock.now()
    }

    /// Stops the server and waits until the listener is closed.
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            // The only possible error is the cancellation just requested.
            let _ = task.await;
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl fmt::Debug for StandIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.lock();
        f.debug_struct("StandIn")
            .field("endpoint", &self.endpoint())
            .field("credentials", &state.credentials)
            .field("zone_keys", &state.store.keys.len())
            .field("zones", &state.store.zones.len())
            .field("pending_faults", &state.faults.len())
            .field("recorded_requests", &state.records.len())
            .finish()
    }
}

/// Configures a [`StandIn`] before it starts.
///
/// `Debug` hides the secret key, the token and zone keys.
pub struct StandInBuilder {
    credentials: Credentials,
    clock: Clock,
    /// Zone id → gateway key.
    keys: HashMap<String, String>,
    /// Zones to register: (chosen id, name).
    zones: Vec<(Option<String>, String)>,
}

impl Default for StandInBuilder {
    fn default() -> Self {
        Self {
            credentials: Credentials::new(StandIn::DEFAULT_SECRET_ID, StandIn::DEFAULT_SECRET_KEY),
            clock: Clock::default(),
            keys: HashMap::new(),
            zones: Vec::new(),
        }
    }
}

impl fmt::Debug for StandInBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandInBuilder")
            .field("credentials", &self.credentials)
            .field("clock", &self.clock)
            .field("zone_keys", &self.keys.len())
            .field("zones", &self.zones.len())
            .finish()
    }
}

impl StandInBuilder {
    /// The one SecretId/SecretKey pair to accept (a session token set earlier is kept).
    #[must_use]
    pub fn credentials(mut self, secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        let token = self.credentials.session_token().map(str::to_owned);
        self.credentials = Credentials::new(secret_id, secret_key);
        if let Some(token) = token {
            self.credentials = self.credentials.with_session_token(token);
        }
        self
    }

    /// Makes the credentials temporary: every request must send this `X-TC-Token`.
    #[must_use]
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = self.credentials.with_session_token(token);
        self
    }

    /// Runs the server clock `skew_secs` ahead of the system clock (behind, if negative).
    #[must_use]
    pub fn clock_skew(mut self, skew_secs: i64) -> Self {
        self.clock = Clock { skew_secs, fixed: None };
        self
    }

    /// Freezes the server clock at this unix time, e.g. to replay recorded requests.
    #[must_use]
    pub fn fixed_time(mut self, unix_secs: i64) -> Self {
        self.clock = Clock {
            skew_secs: 0,
            fixed: Some(unix_secs),
        };
        self
    }

    /// Gives a zone a key before the server starts.
    #[must_use]
    pub fn zone_key(mut self, zone_id: impl Into<String>, key: impl Into<String>) -> Self {
        self.keys.insert(zone_id.into(), key.into());
        self
    }

    /// Registers a zone named `name` (`full` access, `active`) under a generated id; read the id
    /// back with [`StandIn::zone_id`] or [`StandIn::zones`].
    #[must_use]
    pub fn zone(mut self, name: impl Into<String>) -> Self {
        self.zones.push((None, name.into()));
        self
    }

    /// Registers a zone under a chosen id, which requests can name when it is `zone-` and 1 to 32
    /// lowercase letters or digits. A second zone with the same id is ignored.
    #[must_use]
    pub fn zone_with_id(mut self, zone_id: impl Into<String>, name: impl Into<String>) -> Self {
        self.zones.push((Some(zone_id.into()), name.into()));
        self
    }

    /// Binds `127.0.0.1:0` and starts serving. Must be called inside a Tokio runtime.
    pub async fn start(self) -> io::Result<StandIn> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let mut rng = Rng::from_entropy();
        let now = self.clock.now();
        let mut store = Store {
            keys: self.keys,
            ..Store::default()
        };
        for (zone_id, name) in self.zones {
            match zone_id {
                Some(zone_id) => {
                    store.add_zone(zone_id, name, now);
                }
                None => {
                    store.add_generated_zone(&mut rng, name, now);
                }
            }
        }
        let shared = Arc::new(Shared::new(State {
            credentials: self.credentials,
            clock: self.clock,
            store,
            faults: VecDeque::new(),
            records: Vec::new(),
            rng,
        }));
        let task = tokio::spawn(server::accept_loop(listener, Arc::clone(&shared)));
        tracing::debug!(%addr, "stand-in listening");
        Ok(StandIn {
            addr,
            shared,
            task: Some(task),
        })
    }
}
