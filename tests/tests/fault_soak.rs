//! The fault soak, shortened for CI: 2,000 calls through the generated client, 64 in flight,
//! against the misbehaving loopback server of `tests/soak/mod.rs` (the full 20,000 is the
//! `fault_soak` bench). Every call ends with a success or a typed error, none panics, none
//! outlives its deadline by more than a generous margin, and no write runs twice unless the
//! policy allows it (a gateway retry).

#[path = "../soak/mod.rs"]
mod soak;

use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_ends_typed_on_time_and_no_write_runs_twice_unless_allowed() {
    let report = soak::run(0x5eed_2024, 2_000, 64, &[500, 2_000], None).await;
    let text = report.lines().join("\n");
    println!("{text}");
    assert_eq!(report.panics, 0, "{text}");
    let ended: u64 = report.outcomes.values().sum();
    assert_eq!(ended, 2_000, "every call ended: {text}");
    assert!(!report.outcomes.keys().any(|k| k.starts_with("other")), "{text}");
    assert_eq!(report.writes_run_twice_not_allowed, 0, "{text}");
    // Timing on a shared machine: the deadline plus a generous margin.
    assert!(report.slowest < soak::DEADLINE + Duration::from_secs(3), "{text}");
    // Each kind of fault was met, and most calls still succeeded.
    for fault in [
        "ResetBeforeAnswer",
        "Status502",
        "Status503",
        "Throttled",
        "Truncated",
        "Garbage",
        "TooSlow",
        "Stale",
    ] {
        assert!(
            report.faults.get(fault).copied().unwrap_or(0) > 0,
            "{fault} never injected: {text}"
        );
    }
    let ok = |what: &str| report.outcomes.get(what).copied().unwrap_or(0);
    assert!(ok("read ok") + ok("write ok") > 1_600, "{text}");
    // Reads (two calls in three) are resent after a connection dropped before the answer;
    // writes are not: reads fail on the transport at a lower rate than writes.
    let (reads_lost, writes_lost) = (
        ok("read transport (may have run)"),
        ok("write transport (may have run)"),
    );
    assert!(reads_lost < 2 * writes_lost, "{text}");
    // Retries stay bounded: at most 1.5 requests a call even with a quarter of requests failing.
    assert!(report.requests <= 3_000, "{text}");
}
