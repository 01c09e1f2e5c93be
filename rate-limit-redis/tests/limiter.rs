//! The Redis limiter against a real redis-server: the schedule is shared by separate limiters
//! (as separate processes would hold), slots given back and throttling answers reach every
//! limiter, keys carry no credential, a lost Redis means in-process pacing (logged once) or, when
//! set, failed calls, and the limiter returns to Redis when it is back. Settings are checked.

mod common;

use std::time::Duration;

use redis::AsyncCommands;
use tencentcloud_rate_limit_redis::{BuildError, RedisRateLimiter};
use tencentcloud_runtime::rate_limit::{AccountKey, LimitKey, RateLimiter, Reservation};
use tencentcloud_runtime::test_util::log_capture;

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";

fn key(per_second: u32) -> LimitKey {
    LimitKey::new(
        AccountKey::from_secret_id(SECRET_ID),
        "teo",
        "CreatePurgeTask",
        per_second,
    )
}

fn limiter(url: &str, prefix: &str) -> RedisRateLimiter {
    RedisRateLimiter::builder()
        .url(url)
        .key_prefix(prefix)
        .build()
        .expect("valid settings")
}

async fn reserve(limiter: &RedisRateLimiter, key: &LimitKey) -> Reservation {
    limiter.reserve(key).await.expect("a slot")
}

#[test]
fn bad_settings_are_refused_with_the_setting_named() {
    let build = |b: tencentcloud_rate_limit_redis::Builder| b.build().map(drop).unwrap_err().to_string();
    let b = RedisRateLimiter::builder;
    assert_eq!(
        build(b()),
        "invalid Redis rate limiter setting `url`: no Redis URL was given"
    );
    assert_eq!(
        build(b().url("rediss://:pw@host:6380")),
        "invalid Redis rate limiter setting `url`: TLS (rediss://) is not supported by this crate; reach Redis over a trusted network or a local TLS proxy"
    );
    assert_eq!(
        build(b().url("http://host:6379")),
        "invalid Redis rate limiter setting `url`: expected redis://[[user]:password@]host[:port][/db] or redis+unix:///path"
    );
    let bad_port = build(b().url("redis://:hunter2@host:notaport"));
    assert!(
        bad_port.starts_with("invalid Redis rate limiter setting `url`: not a usable Redis URL: "),
        "{bad_port}"
    );
    assert!(!bad_port.contains("hunter2"), "{bad_port}");
    assert_eq!(
        build(b().url("redis://h").key_prefix("a b")),
        "invalid Redis rate limiter setting `key_prefix`: has the character ' ' at byte 1; whitespace and control characters are refused"
    );
    assert_eq!(
        build(b().url("redis://h").key_prefix("x".repeat(300))),
        "invalid Redis rate limiter setting `key_prefix`: 300 bytes long; at most 256 are accepted"
    );
    for (builder, setting) in [
        (b().url("redis://h").connect_timeout(Duration::ZERO), "connect_timeout"),
        (
            b().url("redis://h").response_timeout(Duration::ZERO),
            "response_timeout",
        ),
        (b().url("redis://h").retry_interval(Duration::ZERO), "retry_interval"),
    ] {
        assert_eq!(
            builder.build().map(drop).unwrap_err(),
            BuildError {
                setting,
                problem: "must be greater than zero".to_owned()
            }
        );
    }
}

#[test]
fn debug_never_shows_the_password() {
    let builder = RedisRateLimiter::builder().url("redis://ops:hunter2@10.0.0.5:6380/3");
    assert_eq!(
        format!("{builder:?}"),
        "Builder { url: Some(\"redis://ops:<redacted>@10.0.0.5:6380/3\"), key_prefix: \"tencentcloud:rate-limit:\", \
         account_label: false, fail_closed: false, adaptive: true, connect_timeout: 500ms, response_timeout: 500ms, \
         retry_interval: 1s }"
    );
    let limiter = builder.build().expect("valid");
    assert_eq!(
        format!("{limiter:?}"),
        "RedisRateLimiter { server: \"10.0.0.5:6380/3\", key_prefix: \"tencentcloud:rate-limit:\", account_label: false, \
         fail_closed: false, adaptive: true, shared: true }"
    );
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn an_unreachable_redis_means_in_process_pacing_logged_once() {
    let (capture, _guard) = log_capture::install();
    let url = format!("redis://:hunter2@127.0.0.1:{}", closed_port());
    let limiter = RedisRateLimiter::builder().url(&url).build().unwrap();
    let k = key(20);
    let first = reserve(&limiter, &k).await;
    assert!(!limiter.is_shared());
    assert_eq!(first.wait, Duration::ZERO);
    // Paced in-process at the same rate: the next slots are 50 ms apart.
    let second = reserve(&limiter, &k).await;
    let third = reserve(&limiter, &k).await;
    assert!(
        (Duration::from_millis(45)..=Duration::from_millis(50)).contains(&second.wait),
        "{:?}",
        second.wait
    );
    assert_eq!(third.ticket.send_at - second.ticket.send_at, 50_000_001);
    let lines = capture.lines();
    let notices: Vec<&String> = lines.iter().filter(|l| l.contains("Redis is unavailable")).collect();
    assert_eq!(notices.len(), 1, "{lines:#?}");
    assert!(notices[0].contains("WARN"), "{}", notices[0]);
    assert!(
        notices[0].contains(&format!("server=127.0.0.1:{}/0", url.rsplit(':').next().unwrap())),
        "{}",
        notices[0]
    );
    assert!(
        lines.iter().all(|l| !l.contains("hunter2") && !l.contains(SECRET_ID)),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn fail_closed_refuses_the_call_when_redis_is_unreachable() {
    let port = closed_port();
    let limiter = RedisRateLimiter::builder()
        .url(format!("redis://:hunter2@127.0.0.1:{port}"))
        .fail_closed(true)
        .build()
        .unwrap();
    let error = limiter.reserve(&key(20)).await.expect_err("fails closed");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!(
            "the rate limiter could not grant a slot: Redis at 127.0.0.1:{port}/0 is unavailable ("
        )),
        "{text}"
    );
    assert!(text.ends_with(") and the limiter is set to fail closed"), "{text}");
    assert!(!text.contains("hunter2"));
    // Within the retry interval it does not try again, and says so.
    let again = limiter.reserve(&key(20)).await.expect_err("still closed").to_string();
    assert_eq!(
        again,
        format!(
            "the rate limiter could not grant a slot: Redis at 127.0.0.1:{port}/0 is unavailable (it failed moments ago) \
             and the limiter is set to fail closed"
        )
    );
}

#[tokio::test]
async fn separate_limiters_share_one_schedule_in_redis() {
    let Some(url) = common::redis_url("separate_limiters_share_one_schedule_in_redis") else {
        return;
    };
    let prefix = common::unique_prefix("shared");
    let (a, b) = (limiter(&url, &prefix), limiter(&url, &prefix));
    let k = key(20);
    let mut slots = Vec::new();
    for i in 0..10 {
        let limiter = if i % 2 == 0 { &a } else { &b };
        slots.push(reserve(limiter, &k).await.ticket);
    }
    assert!(a.is_shared() && b.is_shared());
    // One schedule: each slot is one interval (50 ms + 1 µs) after the one before, whichever
    // limiter asked.
    for pair in slots.windows(2) {
        assert_eq!(pair[1].send_at - pair[0].send_at, 50_001, "{pair:?}");
    }

    // The key is the prefix, service, account digest and action: no SecretId.
    let redis_key = a.redis_key(&k);
    assert_eq!(
        redis_key,
        format!("{prefix}teo:{}:CreatePurgeTask", AccountKey::from_secret_id(SECRET_ID))
    );
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = connection.keys(format!("{prefix}*")).await.unwrap();
    assert_eq!(keys, std::slice::from_ref(&redis_key));
    let tat: u64 = connection.hget(&redis_key, "tat").await.unwrap();
    assert_eq!(tat, slots[9].next);
    let ttl: i64 = connection.pttl(&redis_key).await.unwrap();
    assert!(
        ttl > 60_000 && ttl <= 61_000,
        "expires a minute after its last slot: {ttl}"
    );

    // Another account, or another action, has a schedule of its own.
    let other = LimitKey::new(AccountKey::from_secret_id("AKIDother"), "teo", "CreatePurgeTask", 20);
    assert_eq!(reserve(&b, &other).await.wait, Duration::ZERO);
    // An account label puts every SecretId on one schedule.
    let labelled = |secret_id: &str| {
        let l = RedisRateLimiter::builder()
            .url(&url)
            .key_prefix(&prefix)
            .account_label("prod")
            .build()
            .unwrap();
        (
            l,
            LimitKey::new(AccountKey::from_secret_id(secret_id), "teo", "CreatePurgeTask", 20),
        )
    };
    let (l1, k1) = labelled("AKIDtemporary1");
    let (l2, k2) = labelled("AKIDtemporary2");
    assert_eq!(l1.redis_key(&k1), l2.redis_key(&k2));
    let s1 = reserve(&l1, &k1).await.ticket;
    let s2 = reserve(&l2, &k2).await.ticket;
    assert_eq!(s2.send_at - s1.send_at, 50_001);
}

#[tokio::test]
async fn a_slot_given_back_is_reused_and_a_throttle_slows_every_limiter() {
    let Some(url) = common::redis_url("a_slot_given_back_is_reused_and_a_throttle_slows_every_limiter") else {
        return;
    };
    let prefix = common::unique_prefix("giveback");
    let (a, b) = (limiter(&url, &prefix), limiter(&url, &prefix));
    let k = key(20);
    let first = reserve(&a, &k).await;
    let second = reserve(&a, &k).await;
    a.give_back(&k, &second);
    // Given back in the background: wait until Redis holds the returned slot as the next one.
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let mut tat = 0;
    for _ in 0..100 {
        tat = connection.hget(a.redis_key(&k), "tat").await.unwrap();
        if tat == second.ticket.send_at {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(tat, second.ticket.send_at, "the slot was taken back");
    let again = reserve(&b, &k).await;
    assert_eq!(
        again.ticket.send_at, second.ticket.send_at,
        "the returned slot is handed out again"
    );
    // A slot that a later one was spaced from cannot be given back.
    a.give_back(&k, &first);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let tat: u64 = connection.hget(a.redis_key(&k), "tat").await.unwrap();
    assert_eq!(tat, again.ticket.next);

    // A throttling answer seen by `a` cuts the rate for `b` too: slots 1/14 s apart.
    a.throttled(&k, &again);
    let mut rate: Option<f64> = None;
    for _ in 0..50 {
        rate = connection.hget(a.redis_key(&k), "rate").await.unwrap();
        if rate.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(rate, Some(14.0));
    let x = reserve(&b, &k).await.ticket;
    let y = reserve(&b, &k).await.ticket;
    let spacing = y.send_at - x.send_at;
    assert!(
        (71_000..72_500).contains(&spacing),
        "about 1/14 s apart, climbing back: {spacing} µs"
    );
    // An answer to a slot granted before the cut does not cut again.
    a.throttled(&k, &Reservation::new(Duration::ZERO, first.ticket));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let still: f64 = connection.hget(a.redis_key(&k), "rate").await.unwrap();
    assert_eq!(still, 14.0);
    assert!(first.ticket.send_at < again.ticket.send_at);
}

#[tokio::test]
async fn redis_stopped_and_started_again_means_fallback_then_shared_pacing() {
    let Some(mut redis) = common::OwnRedis::start("redis_stopped_and_started_again_means_fallback_then_shared_pacing")
    else {
        return;
    };
    let (capture, _guard) = log_capture::install();
    let limiter = RedisRateLimiter::builder()
        .url(redis.url())
        .retry_interval(Duration::from_millis(200))
        .build()
        .unwrap();
    let k = key(50);
    reserve(&limiter, &k).await;
    assert!(limiter.is_shared());
    redis.stop();
    let during = reserve(&limiter, &k).await;
    assert!(!limiter.is_shared(), "paced in-process while Redis is away");
    let next = reserve(&limiter, &k).await;
    assert_eq!(
        next.ticket.send_at - during.ticket.send_at,
        20_000_001,
        "at the same rate, in-process"
    );
    redis.resume();
    let mut back = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        reserve(&limiter, &k).await;
        if limiter.is_shared() {
            back = true;
            break;
        }
    }
    assert!(back, "back on Redis after it returned");
    let lines = capture.lines();
    assert_eq!(
        lines.iter().filter(|l| l.contains("Redis is unavailable")).count(),
        1,
        "{lines:#?}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains("Redis answers again")).count(),
        1,
        "{lines:#?}"
    );
}
