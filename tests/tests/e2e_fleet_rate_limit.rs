//! End to end, a fleet sharing one account's quota through Redis, and pacing that adapts to
//! throttling: four processes with 16 tasks each keep one action within its 20 requests per
//! second in every one-second window while using at least 90 % of it (and, as a control, without
//! the shared limiter they exceed it); Redis stopped mid-run means the calls go on under the
//! in-process fallback and return to the shared limit once Redis is back; against a stand-in
//! that throttles above a rate it does not announce, adaptive pacing cuts the throttling answers
//! in-process and across limiters sharing Redis.
//!
//! The fleet's processes are this test binary run again with `--ignored --exact fleet_member`
//! and the settings in environment variables. Tests that need Redis skip (saying so) unless
//! `TENCENTCLOUD_TEST_REDIS_URL` (a running Redis) or `TENCENTCLOUD_TEST_REDIS_SERVER` (the
//! `redis-server` binary, for the test that stops and starts its own) is set; `.ci/run` sets both.
//! Each test prints its figures (run with `--nocapture` to see them).

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use generated_client::{Client, Credentials, Error};
use tencentcloud_rate_limit_redis::RedisRateLimiter;
use tencentcloud_runtime::rate_limit::{LocalRateLimiter, RateLimiter};
use tencentcloud_runtime::test_util::log_capture;
use teo_stand_in::{Outcome, StandIn};

/// These tests measure rates by arrival times: they run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

const URL_VAR: &str = "TENCENTCLOUD_TEST_REDIS_URL";
const SERVER_VAR: &str = "TENCENTCLOUD_TEST_REDIS_SERVER";
/// Set in a fleet member's environment: the stand-in's endpoint.
const MEMBER_ENDPOINT: &str = "FLEET_MEMBER_ENDPOINT";
const MEMBER_REDIS: &str = "FLEET_MEMBER_REDIS";
const MEMBER_PREFIX: &str = "FLEET_MEMBER_PREFIX";
const MEMBER_MILLIS: &str = "FLEET_MEMBER_MILLIS";

/// The spec's rate of `DescribeZones`, the action every test calls.
const SPEC_RATE: usize = 20;
const TASKS: usize = 16;
const PROCESSES: usize = 4;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn skip(test: &str, var: &str) {
    eprintln!("SKIPPED {test}: {var} is not set (.ci/run starts a redis-server and sets it)");
}

fn unique_prefix(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("e2e:{test}:{}:{nanos}:", std::process::id())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

fn client(endpoint: &str, limiter: Option<impl RateLimiter>) -> Client {
    let builder = Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new(
            StandIn::DEFAULT_SECRET_ID,
            StandIn::DEFAULT_SECRET_KEY,
        ))
        .disable_retries();
    match limiter {
        Some(limiter) => builder.rate_limiter(limiter),
        None => builder,
    }
    .build()
    .expect("the client builds")
}

/// `tasks` tasks calling `DescribeZones` on clones of `client` until `until`; returns how many
/// calls succeeded and how many were throttled. Any other failure fails the test.
async fn call_until(client: &Client, tasks: usize, until: Instant) -> (usize, usize) {
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let (mut ok, mut throttled) = (0, 0);
                while Instant::now() < until {
                    match client.describe_zones().send().await {
                        Ok(_) => ok += 1,
                        Err(error) if error.code() == Some("RequestLimitExceeded") => throttled += 1,
                        Err(Error::Service(e)) => panic!("unexpected service error {e}"),
                        Err(error) => panic!("the call failed: {error}"),
                    }
                }
                (ok, throttled)
            })
        })
        .collect();
    let mut totals = (0, 0);
    for handle in handles {
        let (ok, throttled) = handle.await.expect("the task finishes");
        totals.0 += ok;
        totals.1 += throttled;
    }
    totals
}

/// One process of the fleet: run by [`four_processes_share_one_limit_through_redis`], not alone.
#[test]
#[ignore = "a fleet member, started by the fleet tests with its settings in the environment"]
fn fleet_member() {
    let endpoint = env(MEMBER_ENDPOINT).expect("FLEET_MEMBER_ENDPOINT is set by the fleet test");
    let millis: u64 = env(MEMBER_MILLIS)
        .and_then(|m| m.parse().ok())
        .expect("FLEET_MEMBER_MILLIS");
    runtime().block_on(async {
        let client = match env(MEMBER_REDIS) {
            Some(url) => {
                let prefix = env(MEMBER_PREFIX).expect("FLEET_MEMBER_PREFIX");
                let limiter = RedisRateLimiter::builder()
                    .url(url)
                    .key_prefix(prefix)
                    .build()
                    .expect("valid");
                client(&endpoint, Some(limiter))
            }
            None => client(&endpoint, None::<LocalRateLimiter>),
        };
        let (ok, throttled) = call_until(&client, TASKS, Instant::now() + Duration::from_millis(millis)).await;
        assert_eq!(throttled, 0);
        assert!(ok > 0);
        println!("fleet member {}: {ok} calls", std::process::id());
    });
}

/// Starts the fleet members; `redis` is `(url, prefix)`, or `None` for in-process pacing only.
fn start_fleet(endpoint: &str, redis: Option<(&str, &str)>, millis: u64) -> Vec<Child> {
    let exe = std::env::current_exe().expect("the test binary");
    (0..PROCESSES)
        .map(|_| {
            let mut command = Command::new(&exe);
            command
                .args(["--ignored", "--exact", "fleet_member", "--test-threads", "1"])
                .env(MEMBER_ENDPOINT, endpoint)
                .env(MEMBER_MILLIS, millis.to_string())
                .env_remove(MEMBER_REDIS)
                .stdout(Stdio::null());
            if let Some((url, prefix)) = redis {
                command.env(MEMBER_REDIS, url).env(MEMBER_PREFIX, prefix);
            }
            command.spawn().expect("a fleet member starts")
        })
        .collect()
}

fn wait_for(children: Vec<Child>) {
    for mut child in children {
        let status = child.wait().expect("the member ends");
        assert!(status.success(), "a fleet member failed: {status}");
    }
}

/// The largest number of arrivals within any one-second window `[t, t + 1 s)`.
fn busiest_second(arrivals: &[Instant]) -> usize {
    let mut sorted = arrivals.to_vec();
    sorted.sort();
    (0..sorted.len())
        .map(|first| {
            sorted[first..]
                .iter()
                .take_while(|at| at.duration_since(sorted[first]) < Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// Requests per second from the first arrival to the last.
fn mean_rate(arrivals: &[Instant]) -> f64 {
    let first = arrivals.iter().min().copied();
    let last = arrivals.iter().max().copied();
    match (first, last) {
        (Some(first), Some(last)) if last > first => (arrivals.len() - 1) as f64 / (last - first).as_secs_f64(),
        _ => 0.0,
    }
}

/// Runs the fleet against a fresh stand-in for `millis` and returns the arrival times.
fn run_fleet(redis: Option<(&str, &str)>, millis: u64) -> Vec<Instant> {
    let rt = runtime();
    let stand_in = rt.block_on(StandIn::start()).expect("the stand-in starts");
    wait_for(start_fleet(&stand_in.endpoint(), redis, millis));
    let requests = stand_in.requests();
    assert!(requests
        .iter()
        .all(|r| r.verification.passed() && r.outcome == Outcome::Success));
    requests.iter().map(|r| r.received_at).collect()
}

#[test]
fn four_processes_share_one_limit_through_redis() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(url) = env(URL_VAR) else {
        return skip("four_processes_share_one_limit_through_redis", URL_VAR);
    };
    let prefix = unique_prefix("fleet");
    let arrivals = run_fleet(Some((&url, &prefix)), 6_000);
    let (busiest, rate) = (busiest_second(&arrivals), mean_rate(&arrivals));
    eprintln!(
        "FIGURE shared through Redis: {PROCESSES} processes x {TASKS} tasks, {} requests, busiest second {busiest}, mean {rate:.2}/s (limit {SPEC_RATE}/s)",
        arrivals.len()
    );
    assert!(busiest <= SPEC_RATE + 1, "{busiest} requests within one second");
    assert!(rate >= 0.9 * SPEC_RATE as f64, "only {rate:.2} requests per second");
}

#[test]
fn four_processes_without_a_shared_limiter_exceed_the_limit() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let arrivals = run_fleet(None, 3_000);
    let (busiest, rate) = (busiest_second(&arrivals), mean_rate(&arrivals));
    eprintln!(
        "FIGURE paced per process only: {PROCESSES} processes x {TASKS} tasks, {} requests, busiest second {busiest}, mean {rate:.2}/s (limit {SPEC_RATE}/s)",
        arrivals.len()
    );
    // Each process keeps to 20 per second on its own; together they go well past it.
    assert!(busiest > 2 * SPEC_RATE, "{busiest} requests within one second");
}

/// A redis-server of the test's own on a free loopback port, killed on drop.
struct OwnRedis {
    binary: String,
    port: u16,
    child: Option<Child>,
}

impl OwnRedis {
    fn start(binary: String) -> OwnRedis {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut redis = OwnRedis {
            binary,
            port,
            child: None,
        };
        redis.resume();
        redis
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn resume(&mut self) {
        let port = self.port.to_string();
        let child = Command::new(&self.binary)
            .args([
                "--port",
                &port,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not listen within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[test]
fn redis_stopped_mid_run_means_fallback_then_the_shared_limit_again() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(binary) = env(SERVER_VAR) else {
        return skip(
            "redis_stopped_mid_run_means_fallback_then_the_shared_limit_again",
            SERVER_VAR,
        );
    };
    let mut redis = OwnRedis::start(binary);
    let url = format!("redis://127.0.0.1:{}", redis.port);
    let (capture, _guard) = log_capture::install();
    // The runtime's worker threads log to the capture too.
    let rt = {
        let capture = capture.clone();
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .on_thread_start(move || std::mem::forget(tracing::subscriber::set_default(capture.clone())))
            .build()
            .expect("a runtime")
    };
    let stand_in = rt.block_on(StandIn::start()).expect("the stand-in starts");
    // Two limiters with connections and fallbacks of their own, as two processes would have.
    let clients: Vec<Client> = (0..2)
        .map(|_| {
            let limiter = RedisRateLimiter::builder()
                .url(&url)
                .retry_interval(Duration::from_millis(200))
                .build()
                .expect("valid");
            client(&stand_in.endpoint(), Some(limiter))
        })
        .collect();
    let started = Instant::now();
    let phase = Duration::from_secs(3);
    let end = started + 3 * phase;
    let callers: Vec<_> = clients
        .iter()
        .map(|c| {
            let c = c.clone();
            rt.spawn(async move { call_until(&c, TASKS, end).await })
        })
        .collect();
    std::thread::sleep(phase);
    redis.stop();
    let stopped = Instant::now();
    std::thread::sleep(phase);
    redis.resume();
    let resumed = Instant::now();
    let mut calls = 0;
    for caller in callers {
        let (ok, throttled) = rt.block_on(caller).expect("the callers finish");
        assert_eq!(throttled, 0);
        calls += ok;
    }
    let arrivals: Vec<Instant> = stand_in.requests().iter().map(|r| r.received_at).collect();
    assert_eq!(arrivals.len(), calls, "every call succeeded");
    let within = |from: Instant, to: Instant| -> Vec<Instant> {
        arrivals.iter().copied().filter(|t| *t >= from && *t < to).collect()
    };
    let before = within(started, stopped);
    let during = within(stopped, resumed);
    // Back on Redis: after the retry interval, and after the slots the fallback had already
    // handed out (up to 16 per limiter, 0.8 s) have gone.
    let after = within(resumed + Duration::from_millis(1_500), end);
    eprintln!(
        "FIGURE Redis stopped mid-run: shared {} req ({:.1}/s, busiest {}), fallback {} req ({:.1}/s), shared again {} req ({:.1}/s, busiest {})",
        before.len(),
        mean_rate(&before),
        busiest_second(&before),
        during.len(),
        mean_rate(&during),
        after.len(),
        mean_rate(&after),
        busiest_second(&after)
    );
    assert!(busiest_second(&before) <= SPEC_RATE + 1);
    // Under the fallback each of the two paces on its own at the same rate: the calls go on.
    assert!(
        mean_rate(&during) >= 0.9 * SPEC_RATE as f64,
        "{:.1}/s",
        mean_rate(&during)
    );
    assert!(busiest_second(&after) <= SPEC_RATE + 1, "back to the shared limit");
    assert!(after.len() >= 20, "calls went on after Redis returned");
    let lines = capture.lines();
    assert_eq!(
        lines.iter().filter(|l| l.contains("Redis is unavailable")).count(),
        2,
        "once per limiter"
    );
    assert_eq!(lines.iter().filter(|l| l.contains("Redis answers again")).count(), 2);
}

/// Runs `tasks` callers on each client against a stand-in throttling above `hidden` per second
/// for `run`; returns (succeeded, throttled).
fn throttled_run(
    clients: &[Client],
    stand_in: &StandIn,
    rt: &tokio::runtime::Runtime,
    run: Duration,
) -> (usize, usize) {
    stand_in.clear_requests();
    let until = Instant::now() + run;
    let tasks = TASKS / clients.len();
    let handles: Vec<_> = clients
        .iter()
        .map(|c| {
            let c = c.clone();
            rt.spawn(async move { call_until(&c, tasks, until).await })
        })
        .collect();
    handles.into_iter().fold((0, 0), |acc, h| {
        let (ok, throttled) = rt.block_on(h).expect("finishes");
        (acc.0 + ok, acc.1 + throttled)
    })
}

const HIDDEN_RATE: u32 = 10;
const THROTTLE_RUN: Duration = Duration::from_secs(8);

#[test]
fn adaptive_pacing_cuts_throttling_in_process() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let rt = runtime();
    let stand_in = rt.block_on(StandIn::start()).expect("the stand-in starts");
    stand_in.throttle_above(Some(HIDDEN_RATE));
    let fixed = [client(
        &stand_in.endpoint(),
        Some(LocalRateLimiter::new().without_adaptive()),
    )];
    let (fixed_ok, fixed_throttled) = throttled_run(&fixed, &stand_in, &rt, THROTTLE_RUN);
    std::thread::sleep(Duration::from_secs(1));
    let adaptive = [client(&stand_in.endpoint(), None::<LocalRateLimiter>)];
    let (ok, throttled) = throttled_run(&adaptive, &stand_in, &rt, THROTTLE_RUN);
    let secs = THROTTLE_RUN.as_secs_f64();
    eprintln!(
        "FIGURE in-process, hidden limit {HIDDEN_RATE}/s, spec {SPEC_RATE}/s, {TASKS} tasks, {secs} s: fixed pacing {fixed_ok} ok / {fixed_throttled} throttled, adaptive {ok} ok / {throttled} throttled"
    );
    assert_outcomes((fixed_ok, fixed_throttled), (ok, throttled));
}

/// Fixed pacing at twice the hidden rate has about half its requests throttled; adaptive pacing
/// at most 60 % as many (measured: about 40 % as many), while getting at least 70 % of the hidden rate through.
fn assert_outcomes(fixed: (usize, usize), adaptive: (usize, usize)) {
    let share = |(ok, throttled): (usize, usize)| throttled as f64 / (ok + throttled).max(1) as f64;
    assert!(
        share(fixed) > 0.3,
        "fixed pacing at twice the hidden rate is throttled often: {fixed:?}"
    );
    assert!(
        share(adaptive) < share(fixed) * 0.6,
        "adaptive {adaptive:?} against fixed {fixed:?}"
    );
    let floor = 0.7 * f64::from(HIDDEN_RATE) * THROTTLE_RUN.as_secs_f64();
    assert!(adaptive.0 as f64 >= floor, "only {} calls got through", adaptive.0);
}

#[test]
fn adaptive_pacing_is_shared_through_redis() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(url) = env(URL_VAR) else {
        return skip("adaptive_pacing_is_shared_through_redis", URL_VAR);
    };
    let rt = runtime();
    let stand_in = rt.block_on(StandIn::start()).expect("the stand-in starts");
    stand_in.throttle_above(Some(HIDDEN_RATE));
    let clients = |adaptive: bool| -> Vec<Client> {
        let prefix = unique_prefix(if adaptive { "adaptive" } else { "fixed" });
        (0..2)
            .map(|_| {
                let limiter = RedisRateLimiter::builder()
                    .url(&url)
                    .key_prefix(&prefix)
                    .adaptive(adaptive)
                    .build()
                    .expect("valid");
                client(&stand_in.endpoint(), Some(limiter))
            })
            .collect()
    };
    let fixed = throttled_run(&clients(false), &stand_in, &rt, THROTTLE_RUN);
    std::thread::sleep(Duration::from_secs(1));
    let adaptive = throttled_run(&clients(true), &stand_in, &rt, THROTTLE_RUN);
    eprintln!(
        "FIGURE shared through Redis, two limiters, hidden limit {HIDDEN_RATE}/s, spec {SPEC_RATE}/s, {TASKS} tasks, {} s: fixed pacing {} ok / {} throttled, adaptive {} ok / {} throttled",
        THROTTLE_RUN.as_secs_f64(),
        fixed.0,
        fixed.1,
        adaptive.0,
        adaptive.1
    );
    assert_outcomes(fixed, adaptive);
}
