//! Cost of the credentials cache on the hot path: a whole `RefreshMultiPathGatewaySecretKey`
//! call through the generated client whose credentials come from a
//! [`CachedProvider`](generated_client::credentials::CachedProvider) holding fresh temporary
//! credentials, beside the same call with the same key pair and token given as static
//! credentials. While the cache is fresh, a call takes a read lock on the snapshot, reads the
//! clock and clones the credentials: no I/O, no wait. The ratio shows what that costs.
//!
//! Both clients talk to one minimal loopback HTTP/1.1 server (fixed answer, no checks) on one
//! current-thread Tokio runtime, over kept-alive connections; rate limits and retries are off.
//!
//! Run with `cargo bench -p tests --bench credentials`: it prints the calls per
//! second of each side, measured in interleaved rounds, and their ratio (cached / static; the
//! target is at least 0.95). Without `--bench` (as under `cargo test --benches`) it only checks
//! that both sides work.

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use generated_client::credentials::{CachedProvider, CredentialsFuture};
use generated_client::{Client, Credentials, ProvideCredentials, RateLimit};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const ZONE: &str = "zone-27q0p0bal192";
const SECRET_ID: &str = "AKIDBENCHMARKTEMPORARY0000000000";
const SECRET_KEY: &str = "benchmark-temporary-key-not-a-real-one";
const ANSWER: &str = r#"{"Response":{"SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=","RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}}"#;

/// A token as long as the ones STS issues.
fn token() -> String {
    "t".repeat(1024)
}

/// The temporary source behind the cache: counts how often it is asked (once, if the cache
/// works).
#[derive(Debug)]
struct Temporary {
    asked: Arc<AtomicUsize>,
}

impl ProvideCredentials for Temporary {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.asked.fetch_add(1, Ordering::Relaxed);
        let expiry = SystemTime::now() + Duration::from_secs(3 * 3600);
        Box::pin(async move { Ok(Credentials::with_token(SECRET_ID, SECRET_KEY, token()).with_expiry(expiry)) })
    }
}

/// Starts the loopback server and returns its base URL.
async fn start_server() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(answer_all(stream));
        }
    });
    Ok(url)
}

/// Reads each request on the connection (headers, then `Content-Length` bytes) and answers it
/// with [`ANSWER`], until the client closes the connection.
async fn answer_all(stream: TcpStream) {
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{ANSWER}",
        ANSWER.len()
    )
    .into_bytes();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        let mut length = 0usize;
        let mut seen_any = false;
        loop {
            line.clear();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let text = line.trim_end();
            if text.is_empty() {
                if seen_any {
                    break;
                }
                continue;
            }
            seen_any = true;
            if let Some(value) = text
                .split_once(':')
                .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                .map(|(_, value)| value.trim())
            {
                length = value.parse().unwrap_or(0);
            }
        }
        body.resize(length, 0);
        if reader.read_exact(&mut body).await.is_err() || reader.get_mut().write_all(&reply).await.is_err() {
            return;
        }
    }
}

/// One call; `true` when it succeeded.
async fn call(client: &Client) -> bool {
    client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(black_box(ZONE))
        .send()
        .await
        .is_ok()
}

fn build(
    url: &str,
    configure: impl FnOnce(generated_client::ClientBuilder) -> generated_client::ClientBuilder,
) -> Option<Client> {
    configure(Client::builder().endpoint(url))
        .rate_limit(RateLimit::Disabled)
        .disable_retries()
        .build()
        .map_err(|error| eprintln!("credentials bench: could not build a client: {error}"))
        .ok()
}

/// Calls per second of each client over `rounds` interleaved rounds of `calls` calls.
fn rates(rt: &tokio::runtime::Runtime, cached: &Client, fixed: &Client, rounds: u32, calls: u32) -> (f64, f64) {
    let (mut cached_time, mut fixed_time) = (Duration::ZERO, Duration::ZERO);
    let time = |client: &Client| {
        let started = Instant::now();
        rt.block_on(async {
            for _ in 0..calls {
                black_box(call(client).await);
            }
        });
        started.elapsed()
    };
    for round in 0..rounds {
        // Alternate which side goes first, so neither always runs on a warmer machine.
        if round % 2 == 0 {
            cached_time += time(cached);
            fixed_time += time(fixed);
        } else {
            fixed_time += time(fixed);
            cached_time += time(cached);
        }
    }
    let total = f64::from(rounds * calls);
    (total / cached_time.as_secs_f64(), total / fixed_time.as_secs_f64())
}

fn main() {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        eprintln!("credentials bench: could not start a Tokio runtime");
        std::process::exit(1);
    };
    let url = match rt.block_on(start_server()) {
        Ok(url) => url,
        Err(error) => {
            eprintln!("credentials bench: could not start the loopback server: {error}");
            std::process::exit(1);
        }
    };
    let asked = Arc::new(AtomicUsize::new(0));
    let provider = CachedProvider::builder(Temporary {
        asked: Arc::clone(&asked),
    })
    .name("the benchmark's temporary source")
    .build();
    let (Some(cached), Some(fixed)) = (
        build(&url, |b| b.credentials_provider(provider)),
        build(&url, |b| {
            b.credentials(Credentials::with_token(SECRET_ID, SECRET_KEY, token()))
        }),
    ) else {
        std::process::exit(1);
    };
    // Both sides must succeed, or the comparison means nothing.
    if !rt.block_on(call(&cached)) || !rt.block_on(call(&fixed)) {
        eprintln!("credentials bench: a warm-up call failed; not measuring");
        std::process::exit(1);
    }
    let bench = std::env::args().any(|arg| arg == "--bench");
    let (rounds, calls) = if bench { (20, 2_000) } else { (1, 50) };
    let (cached_rate, fixed_rate) = rates(&rt, &cached, &fixed, rounds, calls);
    if asked.load(Ordering::Relaxed) != 1 {
        eprintln!(
            "credentials bench: the cache asked its source {} times",
            asked.load(Ordering::Relaxed)
        );
        std::process::exit(1);
    }
    println!(
        "calls/s over {rounds} interleaved rounds of {calls}: cached temporary provider {cached_rate:.0}, static \
         credentials {fixed_rate:.0}; ratio cached/static {:.3}",
        cached_rate / fixed_rate
    );
}
