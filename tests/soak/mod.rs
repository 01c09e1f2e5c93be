//! The fault soak shared by `benches/fault_soak.rs` (20,000 calls) and `tests/fault_soak.rs`
//! (fewer, in CI): a loopback HTTP/1.1 server written on bare TCP that misbehaves at random from
//! a fixed seed, driven through the generated client with many calls in flight, reads and writes
//! mixed, and the accounting of what came back and what the server ran.
//!
//! The server runs a write (`CreateMultiPathGatewaySecretKey`, keyed by its `ZoneId`, unique per
//! call) before the faults that lose its answer, so a retry the policy should not make shows as
//! a second execution. Its faults, per request:
//! - reset before the answer (the write ran), reset after a complete answer;
//! - idle drop: the connection is closed after a complete answer without saying so, and a
//!   request that arrives on a connection idle longer than [`STALE_AFTER`] is dropped unrun;
//! - 502 and 504 (the write ran, a gateway lost the answer), 503 (nothing ran);
//! - `RequestLimitExceeded` (nothing ran);
//! - slow answers (a short wait, or longer than the attempt timeout);
//! - a body cut short of its `Content-Length`, and garbage with status 200 (the write ran).

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use generated_client::errors::CreateMultiPathGatewaySecretKeyError;
use generated_client::{Client, Credentials, Error, RateLimit, RetryConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request arriving on a connection idle this long since its last answer is dropped.
pub const STALE_AFTER: Duration = Duration::from_millis(150);
/// The client's time for one attempt.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(800);
/// The client's deadline for a whole call.
pub const DEADLINE: Duration = Duration::from_millis(1500);
/// A valid gateway key for the writes.
const KEY: &str = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=";

/// What the server does with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    None,
    ResetBeforeAnswer,
    ResetAfterAnswer,
    CloseAfterAnswer,
    Status502,
    Status503,
    Status504,
    Throttled,
    Slow,
    TooSlow,
    Truncated,
    Garbage,
    /// Dropped because it arrived on a stale connection (not drawn: decided by idle time).
    Stale,
}

impl Fault {
    /// Whether the server runs the action before this fault.
    fn runs(self) -> bool {
        !matches!(self, Fault::Status503 | Fault::Throttled | Fault::Stale)
    }

    /// Whether the policy may run a write again after this fault: only a gateway error, whose
    /// retry the policy allows knowingly (see the runtime's `retry` docs).
    fn allows_rerun(self) -> bool {
        matches!(self, Fault::Status502 | Fault::Status504)
    }
}

/// Draws faults from a fixed seed: about a quarter of the requests misbehave.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn fault(&mut self) -> Fault {
        // Per mille.
        const TABLE: &[(u64, Fault)] = &[
            (30, Fault::ResetBeforeAnswer),
            (20, Fault::ResetAfterAnswer),
            (30, Fault::CloseAfterAnswer),
            (20, Fault::Status502),
            (30, Fault::Status503),
            (20, Fault::Status504),
            (30, Fault::Throttled),
            (30, Fault::Slow),
            (5, Fault::TooSlow),
            (20, Fault::Truncated),
            (20, Fault::Garbage),
        ];
        let mut roll = self.next() % 1000;
        for (weight, fault) in TABLE {
            if roll < *weight {
                return *fault;
            }
            roll -= weight;
        }
        Fault::None
    }
}

/// What the server saw and did.
#[derive(Default)]
pub struct Ledger {
    /// Faults injected, by kind.
    pub faults: BTreeMap<String, u64>,
    /// Per write key, the fault of each execution, in order.
    pub executions: HashMap<String, Vec<Fault>>,
    /// Requests received.
    pub requests: u64,
}

/// The loopback server.
pub struct Server {
    pub endpoint: String,
    pub ledger: Arc<Mutex<Ledger>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    pub async fn start(seed: u64) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("address"));
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        let draw = Arc::new(Mutex::new(Draw(seed)));
        let shared = Arc::clone(&ledger);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((socket, _)) = accepted else { continue };
                        let _ = socket.set_nodelay(true);
                        connections.spawn(serve(socket, Arc::clone(&shared), Arc::clone(&draw)));
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Server { endpoint, ledger, task }
    }
}

/// One request read off the wire: its action and the write key, if any.
struct Request {
    action: String,
    key: Option<String>,
}

/// Reads one request; `None` at the end of the stream or on anything malformed.
async fn read_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            let action = head
                .lines()
                .find_map(|l| l.strip_prefix("x-tc-action:"))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default();
            while buffer.len() < end + 4 + length {
                let n = socket.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            let body: serde_json::Value = serde_json::from_slice(&buffer[end + 4..end + 4 + length]).ok()?;
            buffer.drain(..end + 4 + length);
            let key = body.get("ZoneId").and_then(|v| v.as_str()).map(str::to_owned);
            return Some(Request { action, key });
        }
        if buffer.len() > 1 << 20 {
            return None;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

fn answer(status: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

// Linger zero: closing sends a reset instead of an orderly end of stream, at once (the warning
// is about a non-zero linger blocking the thread on drop).
#[allow(deprecated)]
fn reset(socket: TcpStream) {
    let _ = socket.set_linger(Some(Duration::ZERO));
    drop(socket);
}

async fn serve(mut socket: TcpStream, ledger: Arc<Mutex<Ledger>>, draw: Arc<Mutex<Draw>>) {
    static IDS: AtomicU64 = AtomicU64::new(0);
    let mut buffer = Vec::new();
    let mut answered_at: Option<Instant> = None;
    loop {
        let Some(request) = read_request(&mut socket, &mut buffer).await else {
            return;
        };
        let fault = if answered_at.is_some_and(|t| t.elapsed() >= STALE_AFTER) {
            Fault::Stale
        } else {
            draw.lock().expect("draw").fault()
        };
        let write = request.action == "createmultipathgatewaysecretkey";
        {
            let mut ledger = ledger.lock().expect("ledger");
            ledger.requests += 1;
            *ledger.faults.entry(format!("{fault:?}")).or_default() += 1;
            if write && fault.runs() {
                if let Some(key) = &request.key {
                    ledger.executions.entry(key.clone()).or_default().push(fault);
                }
            }
        }
        let id = IDS.fetch_add(1, Ordering::Relaxed);
        let ok = if write {
            format!(r#"{{"Response":{{"RequestId":"r-{id}"}}}}"#)
        } else {
            format!(r#"{{"Response":{{"TotalCount":0,"Zones":[],"RequestId":"r-{id}"}}}}"#)
        };
        let bytes = match fault {
            Fault::Stale => return drop(socket),
            Fault::ResetBeforeAnswer => return reset(socket),
            Fault::Status502 => answer("502 Bad Gateway", "<html>bad gateway</html>"),
            Fault::Status503 => answer("503 Service Unavailable", "<html>unavailable</html>"),
            Fault::Status504 => answer("504 Gateway Timeout", "<html>gateway timeout</html>"),
            Fault::Throttled => answer(
                "200 OK",
                &format!(
                    r#"{{"Response":{{"Error":{{"Code":"RequestLimitExceeded","Message":"slow down"}},"RequestId":"r-{id}"}}}}"#
                ),
            ),
            Fault::Garbage => answer("200 OK", "\u{0}\u{1}garbage{{[\"not json"),
            Fault::Truncated => {
                let mut bytes = answer("200 OK", &ok);
                bytes.truncate(bytes.len() - ok.len() / 2);
                let _ = socket.write_all(&bytes).await;
                return drop(socket);
            }
            Fault::Slow => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                answer("200 OK", &ok)
            }
            Fault::TooSlow => {
                tokio::time::sleep(ATTEMPT_TIMEOUT + Duration::from_millis(400)).await;
                answer("200 OK", &ok)
            }
            Fault::None | Fault::ResetAfterAnswer | Fault::CloseAfterAnswer => answer("200 OK", &ok),
        };
        if socket.write_all(&bytes).await.is_err() {
            return;
        }
        match fault {
            Fault::ResetAfterAnswer => return reset(socket),
            Fault::CloseAfterAnswer => return drop(socket),
            _ => answered_at = Some(Instant::now()),
        }
    }
}

/// How one call ended.
fn kind<E: generated_client::runtime::ActionError>(result: &Result<(), Error<E>>) -> String {
    match result {
        Ok(()) => "ok".to_owned(),
        Err(Error::Service(e)) => format!("service {}", e.service_error().code()),
        Err(Error::HttpStatus { status, .. }) => format!("http_status {status}"),
        Err(Error::Transport { .. }) => "transport (may have run)".to_owned(),
        Err(Error::Timeout { phase, .. }) => format!("timeout ({phase})"),
        Err(Error::DeadlineExceeded { .. }) => "deadline".to_owned(),
        Err(Error::Decode { .. }) => "decode".to_owned(),
        Err(Error::MissingResponse { .. }) => "missing_response".to_owned(),
        Err(Error::Connect { .. }) => "connect".to_owned(),
        Err(other) => format!("other: {other}"),
    }
}

/// The accounting of a soak.
#[derive(Debug, Default)]
pub struct Report {
    pub calls: usize,
    pub outcomes: BTreeMap<String, u64>,
    pub panics: usize,
    pub slowest: Duration,
    pub requests: u64,
    pub faults: BTreeMap<String, u64>,
    /// Writes the server ran more than once, and whether every rerun followed a gateway error.
    pub writes_run_twice: u64,
    pub writes_run_twice_not_allowed: u64,
    /// What memory held after each checkpoint, by calls done.
    pub checkpoints: Vec<Checkpoint>,
    pub elapsed: Duration,
}

impl Report {
    /// Lines for a person.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{} calls ({} requests) in {:.1} s, 64 in flight; server faults: {:?}",
            self.calls,
            self.requests,
            self.elapsed.as_secs_f64(),
            self.faults
        )];
        for (kind, n) in &self.outcomes {
            out.push(format!("  {kind}: {n}"));
        }
        out.push(format!("  panics: {}", self.panics));
        out.push(format!(
            "  slowest call: {} ms (deadline {} ms)",
            self.slowest.as_millis(),
            DEADLINE.as_millis()
        ));
        out.push(format!(
            "  writes the server ran more than once: {} (each after a 502/504, which the policy allows: {}; not allowed: {})",
            self.writes_run_twice,
            self.writes_run_twice - self.writes_run_twice_not_allowed,
            self.writes_run_twice_not_allowed
        ));
        for point in &self.checkpoints {
            let heap = match point.live_heap {
                Some(bytes) => format!("{} kB live on the heap", bytes / 1024),
                None => "live heap not measured".to_string(),
            };
            out.push(format!(
                "  after {} calls: {} kB resident, {heap}, {} write keys in the server's ledger",
                point.calls, point.rss_kb, point.ledger_keys
            ));
        }
        out
    }
}

/// Memory after a number of calls: what the process holds, and how much of it the soak's own
/// bookkeeping (the server's ledger, which keeps every write's key) accounts for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Checkpoint {
    pub calls: usize,
    /// Resident memory in kB, from `/proc/self/status`.
    pub rss_kb: u64,
    /// Bytes allocated and not yet freed, where the caller's global allocator counts them.
    pub live_heap: Option<u64>,
    /// Entries in the server's ledger of writes (one per write it ran).
    pub ledger_keys: usize,
}

/// Resident memory of this process in kB, from `/proc/self/status` (0 where there is none).
pub fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Runs `calls` calls, `in_flight` at a time, every third a write, against a server seeded with
/// `seed`; memory is read when `checkpoints` calls have finished (the live heap with
/// `live_heap`, where the caller counts allocations).
pub async fn run(
    seed: u64,
    calls: usize,
    in_flight: usize,
    checkpoints: &[usize],
    live_heap: Option<fn() -> u64>,
) -> Report {
    let server = Server::start(seed).await;
    let client = Client::builder()
        .endpoint(server.endpoint.clone())
        .credentials(Credentials::new(
            "AKIDSOAK0000000000000000000000000000",
            "soak-secret-key",
        ))
        .rate_limit(RateLimit::Disabled)
        .retry(RetryConfig::default().with_base_delay(Duration::from_millis(20)))
        .timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(DEADLINE)
        .build()
        .expect("the client builds");
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let outcomes: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    let slowest = Arc::new(Mutex::new(Duration::ZERO));
    let memory: Arc<Mutex<Vec<Checkpoint>>> = Arc::default();
    let checkpoints: Arc<Vec<usize>> = Arc::new(checkpoints.to_vec());
    let pause: Arc<Mutex<Option<Instant>>> = Arc::default();
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..in_flight {
        let pause = Arc::clone(&pause);
        let ledger = Arc::clone(&server.ledger);
        let (client, next, done, outcomes, slowest, memory, checkpoints) = (
            client.clone(),
            Arc::clone(&next),
            Arc::clone(&done),
            Arc::clone(&outcomes),
            Arc::clone(&slowest),
            Arc::clone(&memory),
            Arc::clone(&checkpoints),
        );
        workers.spawn(async move {
            let mut panics = 0;
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= calls {
                    return panics;
                }
                // Every 1,000 calls, all workers pause for twice the server's stale limit, so
                // the pooled connections sit idle and the next requests meet its idle drop.
                if n % 1_000 == 999 {
                    *pause.lock().expect("pause") = Some(Instant::now() + STALE_AFTER * 2);
                }
                let until = *pause.lock().expect("pause");
                if let Some(until) = until {
                    tokio::time::sleep_until(until.into()).await;
                }
                let client = client.clone();
                let call_started = Instant::now();
                // Each call in a task of its own, so a panic is counted, not fatal.
                let call = tokio::spawn(async move {
                    if n % 3 == 0 {
                        let r = client
                            .create_multi_path_gateway_secret_key()
                            .zone_id(format!("zone-{n:08}"))
                            .secret_key(KEY)
                            .send()
                            .await
                            .map(drop);
                        format!("write {}", kind::<CreateMultiPathGatewaySecretKeyError>(&r))
                    } else {
                        let r = client.describe_zones().send().await.map(drop);
                        format!("read {}", kind(&r))
                    }
                });
                match call.await {
                    Ok(kind) => *outcomes.lock().expect("outcomes").entry(kind).or_default() += 1,
                    Err(_) => panics += 1,
                }
                let took = call_started.elapsed();
                {
                    let mut slowest = slowest.lock().expect("slowest");
                    *slowest = (*slowest).max(took);
                }
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if checkpoints.contains(&finished) {
                    let ledger_keys = ledger.lock().expect("ledger").executions.len();
                    memory.lock().expect("memory").push(Checkpoint {
                        calls: finished,
                        rss_kb: rss_kb(),
                        live_heap: live_heap.map(|read| read()),
                        ledger_keys,
                    });
                }
            }
        });
    }
    let panics = workers.join_all().await.into_iter().sum();
    let elapsed = started.elapsed();
    let ledger = server.ledger.lock().expect("ledger");
    let mut twice = 0;
    let mut not_allowed = 0;
    for runs in ledger.executions.values() {
        if runs.len() > 1 {
            twice += 1;
            // Every run before the last must have lost its answer to a gateway error.
            if !runs[..runs.len() - 1].iter().all(|f| f.allows_rerun()) {
                not_allowed += 1;
            }
        }
    }
    let mut checkpoints = memory.lock().expect("memory").clone();
    checkpoints.sort();
    let outcomes = outcomes.lock().expect("outcomes").clone();
    let slowest = *slowest.lock().expect("slowest");
    Report {
        calls,
        outcomes,
        panics,
        slowest,
        requests: ledger.requests,
        faults: ledger.faults.clone(),
        writes_run_twice: twice,
        writes_run_twice_not_allowed: not_allowed,
        checkpoints,
        elapsed,
    }
}
