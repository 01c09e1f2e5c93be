use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use super::*;
use crate::service::ActionMeta;

const MS: u64 = 1_000_000;

static ACTIONS: [ActionMeta; 3] = [
    ActionMeta {
        name: "Limited",
        rate_limit_per_second: Some(20),
        read_only: false,
        sensitive_fields: &[],
    },
    ActionMeta {
        name: "Unlimited",
        rate_limit_per_second: None,
        read_only: false,
        sensitive_fields: &[],
    },
    ActionMeta {
        name: "Zero",
        rate_limit_per_second: Some(0),
        read_only: false,
        sensitive_fields: &[],
    },
];
static SERVICE: ServiceMeta = ServiceMeta {
    name: "demo",
    version: "v",
    endpoint: "https://e",
    intl_endpoint: "https://i",
    actions: &ACTIONS,
};

fn key(per_second: u32) -> LimitKey {
    LimitKey::new(AccountKey::from_secret_id("AKIDtest"), "demo", "Limited", per_second)
}

#[test]
fn account_keys_are_digests_of_the_secret_id() {
    let a = AccountKey::from_secret_id("AKIDexampleexampleexample");
    assert_eq!(a, AccountKey::from_secret_id("AKIDexampleexampleexample"));
    assert_ne!(a, AccountKey::from_secret_id("AKIDexampleexampleexamplf"));
    assert_ne!(
        a,
        AccountKey::from_label("AKIDexampleexampleexample"),
        "labels are keyed apart"
    );
    let shown = format!("{a} {a:?}");
    assert!(!shown.contains("AKID") && !shown.contains("example"), "{shown}");
    assert_eq!(a.to_string().len(), 32);
    assert!(a.to_string().bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(format!("{a:?}"), format!("AccountKey({a})"));
}

#[test]
fn an_idle_limiter_lets_a_request_go_at_once_and_spaces_the_next() {
    let limiter = LocalRateLimiter::new().without_adaptive();
    let first = limiter.reserve_now(&key(20));
    assert_eq!(first.wait, Duration::ZERO);
    assert_eq!(first.ticket.next - first.ticket.send_at, 50 * MS + 1);
    let second = limiter.reserve_now(&key(20));
    assert_eq!(second.ticket.send_at, first.ticket.next);
    assert!(second.wait > Duration::from_millis(45), "{:?}", second.wait);
}

#[test]
fn a_burst_is_spread_one_interval_apart_and_no_second_holds_more_than_the_rate() {
    let limiter = LocalRateLimiter::new();
    let sends: Vec<u64> = (0..41).map(|_| limiter.reserve_now(&key(20)).ticket.send_at).collect();
    assert!(sends.windows(2).all(|w| w[1] - w[0] == 50 * MS + 1));
    for (i, start) in sends.iter().enumerate() {
        let in_window = sends[i..].iter().take_while(|t| **t <= start + 1_000 * MS).count();
        assert!(in_window <= 20, "{in_window} sends in the second from {start}");
    }
}

#[test]
fn accounts_and_actions_are_paced_apart() {
    let limiter = LocalRateLimiter::new();
    let a = key(1);
    let b = LimitKey::new(AccountKey::from_secret_id("AKIDother"), "demo", "Limited", 1);
    let c = LimitKey::new(a.account, "demo", "Other", 1);
    assert_eq!(limiter.reserve_now(&a).wait, Duration::ZERO);
    assert_eq!(limiter.reserve_now(&b).wait, Duration::ZERO);
    assert_eq!(limiter.reserve_now(&c).wait, Duration::ZERO);
    assert!(limiter.reserve_now(&a).wait > Duration::from_millis(900));
}

#[test]
fn pacing_follows_the_config() {
    let from_spec = Pacer::new(&SERVICE, RateLimit::FromSpec, None).unwrap();
    assert_eq!(from_spec.rate(0), Some(20));
    assert_eq!(from_spec.rate(1), None);
    assert_eq!(from_spec.rate(2), None, "a declared rate of 0 is taken as no limit");

    let fixed = Pacer::new(&SERVICE, RateLimit::PerSecond(4), None).unwrap();
    assert!((0..3).all(|i| fixed.rate(i) == Some(4)));

    let off = Pacer::new(&SERVICE, RateLimit::Disabled, None).unwrap();
    assert!((0..3).all(|i| off.rate(i).is_none()));

    let err = Pacer::new(&SERVICE, RateLimit::PerSecond(0), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid client configuration: rate limit must be at least 1 request per second"
    );
}

#[test]
fn reservations_from_many_threads_never_share_a_slot() {
    let limiter = LocalRateLimiter::new();
    let k = key(1_000);
    let mut slots: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    (0..50)
                        .map(|_| limiter.reserve_now(&k).ticket.send_at)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    slots.sort_unstable();
    assert_eq!(slots.len(), 200);
    assert!(slots.windows(2).all(|w| w[1] - w[0] >= MS), "slots at least 1 ms apart");
}

#[tokio::test]
async fn a_call_dropped_while_waiting_gives_its_slot_back() {
    let limiter = Arc::new(LocalRateLimiter::new());
    let pacer = Pacer::new(&SERVICE, RateLimit::PerSecond(1), Some(limiter.clone())).unwrap();
    pacer.acquire(0, "Limited", "AKIDtest").await.unwrap(); // the free slot; the next is 1 s away
    let k = LimitKey::new(AccountKey::from_secret_id("AKIDtest"), "demo", "Limited", 1);
    // Three callers give up after 10 ms, in the order that lets each give its slot back.
    for _ in 0..3 {
        let waited = tokio::time::timeout(Duration::from_millis(10), pacer.acquire(0, "Limited", "AKIDtest")).await;
        assert!(waited.is_err(), "the caller should still be waiting");
    }
    let next = limiter.reserve_now(&k);
    assert!(
        next.wait <= Duration::from_secs(1) && next.wait > Duration::from_millis(900),
        "every abandoned slot was returned: the next is one interval after the first, {:?}",
        next.wait
    );
    // A slot that a later call has built on stays taken: only the latest can be returned.
    let second = limiter.reserve_now(&k);
    limiter.give_back(&k, &next);
    let third = limiter.reserve_now(&k);
    assert_eq!(third.ticket.send_at, second.ticket.next);
}

#[tokio::test(start_paused = true)]
async fn acquire_paces_real_calls() {
    let pacer = Pacer::new(&SERVICE, RateLimit::PerSecond(100), None).unwrap();
    let started = tokio::time::Instant::now();
    for _ in 0..6 {
        pacer.acquire(0, "Limited", "AKIDtest").await.unwrap();
    }
    // Five waits of 10 ms after the first, free call (the paused clock advances exactly).
    assert!(
        started.elapsed() >= Duration::from_millis(49),
        "{:?}",
        started.elapsed()
    );
    // Out-of-range indexes and actions the spec sets no rate for are not paced.
    assert!(pacer.acquire(99, "Limited", "AKIDtest").await.unwrap().is_none());
    let from_spec = Pacer::new(&SERVICE, RateLimit::FromSpec, None).unwrap();
    assert!(from_spec.acquire(1, "Unlimited", "AKIDtest").await.unwrap().is_none());
    assert!(from_spec.acquire(0, "Limited", "AKIDtest").await.unwrap().is_some());
    let off = Pacer::new(&SERVICE, RateLimit::Disabled, None).unwrap();
    assert!(off.acquire(0, "Limited", "AKIDtest").await.unwrap().is_none());
}

#[test]
fn a_throttling_answer_slows_the_action_and_it_recovers() {
    let limiter = LocalRateLimiter::new();
    let k = key(20);
    let first = limiter.reserve_now(&k);
    assert_eq!(limiter.current_rate(&k), 20.0);
    limiter.throttled(&k, &first);
    let rate = limiter.current_rate(&k);
    assert!((14.0..14.1).contains(&rate), "{rate}");
    // The slots after the cut are spaced for about 14 per second.
    let a = limiter.reserve_now(&k);
    let b = limiter.reserve_now(&k);
    let spacing = b.ticket.send_at - a.ticket.send_at;
    assert!((70 * MS..72 * MS).contains(&spacing), "{spacing}");
    // A second answer to a slot granted before the cut changes nothing.
    limiter.throttled(&k, &first);
    assert!(limiter.current_rate(&k) >= rate);
    // An answer to a slot granted after it cuts again.
    limiter.throttled(&k, &b);
    assert!(limiter.current_rate(&k) < 10.0);

    // Without adaptive pacing the rate stays.
    let fixed = LocalRateLimiter::new().without_adaptive();
    let r = fixed.reserve_now(&k);
    fixed.throttled(&k, &r);
    assert_eq!(fixed.current_rate(&k), 20.0);
}

/// A limiter that records what the client asks of it.
#[derive(Debug, Default)]
struct Recording {
    reserved: AtomicUsize,
    throttled: AtomicUsize,
    given_back: AtomicUsize,
    fail: bool,
}

impl RateLimiter for Recording {
    fn reserve<'a>(&'a self, key: &'a LimitKey) -> ReserveFuture<'a> {
        Box::pin(async move {
            assert_eq!((key.service, key.action, key.per_second), ("demo", "Limited", 7));
            self.reserved.fetch_add(1, Ordering::SeqCst);
            if self.fail {
                return Err(RateLimitError("store unreachable".to_owned()));
            }
            Ok(Reservation::new(Duration::from_secs(5), Ticket::new(5, 6, 0)))
        })
    }

    fn give_back(&self, _key: &LimitKey, reservation: &Reservation) {
        assert_eq!(reservation.ticket, Ticket::new(5, 6, 0));
        self.given_back.fetch_add(1, Ordering::SeqCst);
    }

    fn throttled(&self, _key: &LimitKey, _reservation: &Reservation) {
        self.throttled.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test(start_paused = true)]
async fn a_custom_limiter_is_asked_waited_for_and_told() {
    let recording = Arc::new(Recording::default());
    let pacer = Pacer::new(&SERVICE, RateLimit::PerSecond(7), Some(recording.clone())).unwrap();
    let started = tokio::time::Instant::now();
    let paced = pacer.acquire(0, "Limited", "AKIDtest").await.unwrap().expect("paced");
    assert_eq!(started.elapsed(), Duration::from_secs(5), "the client waited as told");
    paced.throttled();
    assert_eq!(recording.throttled.load(Ordering::SeqCst), 1);

    let dropped = tokio::time::timeout(Duration::from_secs(1), pacer.acquire(0, "Limited", "AKIDtest")).await;
    assert!(dropped.is_err());
    assert_eq!(
        recording.given_back.load(Ordering::SeqCst),
        1,
        "the dropped call gave its slot back"
    );
    assert_eq!(recording.reserved.load(Ordering::SeqCst), 2);

    let failing = Arc::new(Recording {
        fail: true,
        ..Recording::default()
    });
    let pacer = Pacer::new(&SERVICE, RateLimit::PerSecond(7), Some(failing)).unwrap();
    let err = pacer
        .acquire(0, "Limited", "AKIDtest")
        .await
        .err()
        .expect("fails closed");
    assert_eq!(
        err.to_string(),
        "the rate limiter could not grant a slot: store unreachable"
    );
}

#[test]
fn idle_entries_are_pruned_past_the_bound() {
    let limiter = LocalRateLimiter::new();
    let actions: Vec<&'static str> = (0..PRUNE_TEST)
        .map(|i| &*Box::leak(format!("A{i}").into_boxed_str()))
        .collect();
    let start = Instant::now();
    for action in &actions {
        let k = LimitKey::new(AccountKey::from_secret_id("AKIDtest"), "demo", action, 1_000_000);
        limiter.reserve_now(&k);
    }
    // Each reservation's 1 µs slot is long past by now (unless the machine stalled for longer
    // than this loop took), so adding more pruned the idle ones.
    assert!(start.elapsed() > Duration::from_micros(1));
    let shown = format!("{limiter:?}");
    let entries: usize = shown
        .split("entries: ")
        .nth(1)
        .and_then(|s| s.trim_end_matches(" }").parse().ok())
        .expect("entries shown");
    assert!(entries < PRUNE_TEST, "{shown}");
}

const PRUNE_TEST: usize = 5_000;
