//! Cost of a whole `RefreshMultiPathGatewaySecretKey` call through the generated client
//! (`client.refresh_multi_path_gateway_secret_key().zone_id(..).send().await`, rate limit and
//! retries off) beside the least a hand-written client must do for the same request: serialize
//! the body, sign it with the runtime's TC3 signer (cached signing key), post it with reqwest,
//! read the answer and decode `Response.SecretKey`. The difference is what the generated layer
//! and the runtime add per call: validation, the typed builder, credentials lookup, the fixed
//! headers, the retry loop, tracing span, envelope classification and redaction-ready decoding.
//!
//! Both sides talk to the same minimal loopback HTTP/1.1 server (fixed answer, no checks), on one
//! current-thread Tokio runtime, over a kept-alive connection, so the server's cost is the same
//! for both.
//!
//! Run with `cargo bench -p tests --bench call`. After criterion's figures it prints
//! the calls per second of each side, measured in interleaved rounds, and their ratio.

use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::Criterion;
use generated_client::runtime::signing::{SignableRequest, Signer};
use generated_client::{Client, Credentials, RateLimit};
use reqwest::header::{HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const ZONE: &str = "zone-27q0p0bal192";
const SECRET_ID: &str = "AKIDBENCHMARK0000000000000000000";
const SECRET_KEY: &str = "benchmark-secret-key-not-a-real-one";
const ANSWER: &str = r#"{"Response":{"SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=","RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}}"#;

/// Starts the loopback server and returns its base URL.
async fn start_server() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(serve(stream));
        }
    });
    Ok(url)
}

/// Answers every request on one connection with [`ANSWER`] until the client closes it.
async fn serve(stream: TcpStream) {
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{ANSWER}",
        ANSWER.len()
    )
    .into_bytes();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        // Request line and headers, up to the blank line; only Content-Length matters.
        let mut length = 0usize;
        let mut first = true;
        loop {
            line.clear();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = line.trim_end();
            if header.is_empty() {
                if first {
                    continue;
                }
                break;
            }
            first = false;
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        body.resize(length, 0);
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        if reader.get_mut().write_all(&response).await.is_err() {
            return;
        }
    }
}

#[derive(Serialize)]
struct Input<'a> {
    #[serde(rename = "ZoneId")]
    zone_id: &'a str,
}

#[derive(Deserialize)]
struct Output {
    #[serde(rename = "SecretKey")]
    secret_key: String,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: Output,
}

/// What the hand-written side keeps between calls: the HTTP client, the signer and its key cache.
struct ByHand {
    http: reqwest::Client,
    signer: Signer,
    credentials: Credentials,
    url: String,
    host: String,
}

impl ByHand {
    /// One call: body, signature, headers, post, read, decode.
    async fn call(&self) -> Option<String> {
        let body = serde_json::to_vec(&Input { zone_id: ZONE }).ok()?;
        let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
        let authorization = self.signer.authorization(
            &self.credentials,
            &SignableRequest::post_json(&self.host, &body),
            timestamp,
        );
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert(
            "x-tc-action",
            HeaderValue::from_static("RefreshMultiPathGatewaySecretKey"),
        );
        headers.insert("x-tc-version", HeaderValue::from_static("2022-09-01"));
        headers.insert("x-tc-timestamp", HeaderValue::from(timestamp));
        headers.insert("authorization", HeaderValue::try_from(authorization).ok()?);
        let response = self
            .http
            .post(&self.url)
            .headers(headers)
            .body(body)
            .send()
            .await
            .ok()?;
        let bytes = response.bytes().await.ok()?;
        serde_json::from_slice::<Envelope>(&bytes)
            .ok()
            .map(|envelope| envelope.response.secret_key)
    }
}

/// One call through the generated client.
async fn generated(client: &Client) -> Option<String> {
    client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(black_box(ZONE))
        .send()
        .await
        .ok()
        .and_then(|output| output.secret_key)
        .map(|key| key.into_secret())
}

/// Calls per second of each side over `rounds` interleaved rounds of `calls` calls.
fn calls_per_second(
    rt: &tokio::runtime::Runtime,
    client: &Client,
    by_hand: &ByHand,
    rounds: u32,
    calls: u32,
) -> (f64, f64) {
    let (mut generated_time, mut by_hand_time) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        let started = Instant::now();
        rt.block_on(async {
            for _ in 0..calls {
                black_box(generated(client).await);
            }
        });
        generated_time += started.elapsed();
        let started = Instant::now();
        rt.block_on(async {
            for _ in 0..calls {
                black_box(by_hand.call().await);
            }
        });
        by_hand_time += started.elapsed();
    }
    let total = f64::from(rounds * calls);
    (total / generated_time.as_secs_f64(), total / by_hand_time.as_secs_f64())
}

fn main() {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        eprintln!("call bench: could not start a Tokio runtime");
        return;
    };
    let url = match rt.block_on(start_server()) {
        Ok(url) => url,
        Err(error) => {
            eprintln!("call bench: could not start the loopback server: {error}");
            return;
        }
    };
    let credentials = Credentials::new(SECRET_ID, SECRET_KEY);
    let client = match Client::builder()
        .endpoint(&url)
        .credentials(credentials.clone())
        .rate_limit(RateLimit::Disabled)
        .disable_retries()
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            eprintln!("call bench: could not build the client: {error}");
            return;
        }
    };
    let by_hand = ByHand {
        http: reqwest::Client::new(),
        signer: Signer::new("teo"),
        credentials,
        host: url.trim_start_matches("http://").to_owned(),
        url,
    };
    // Both sides must actually succeed, or the comparison means nothing.
    let expected = Some("b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=".to_owned());
    if rt.block_on(generated(&client)) != expected || rt.block_on(by_hand.call()) != expected {
        eprintln!("call bench: a warm-up call failed; not measuring");
        std::process::exit(1);
    }

    let mut criterion = Criterion::default().configure_from_args();
    criterion.bench_function("call_generated_client_refresh", |b| {
        b.iter(|| rt.block_on(generated(&client)))
    });
    criterion.bench_function("call_hand_written_reqwest", |b| b.iter(|| rt.block_on(by_hand.call())));
    criterion.final_summary();

    // `cargo bench` passes `--bench`; `cargo test --benches` does not and only checks the
    // benchmarks run, so the extra measurement is skipped there.
    if std::env::args().any(|arg| arg == "--bench") {
        let (generated_rate, by_hand_rate) = calls_per_second(&rt, &client, &by_hand, 10, 2_000);
        println!(
            "calls/s over 10 interleaved rounds of 2000: generated client {generated_rate:.0}, \
             hand-written reqwest {by_hand_rate:.0}; ratio generated/hand-written {:.3}",
            generated_rate / by_hand_rate
        );
    }
}
