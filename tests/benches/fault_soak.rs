//! The fault soak at full size: 20,000 calls through the generated client, 64 in flight, reads
//! and writes mixed, against a loopback server that misbehaves at random from a fixed seed (see
//! `tests/soak/mod.rs`). Prints the accounting; exits non-zero if a call panicked or a write ran
//! twice where the policy does not allow it.
//!
//! `cargo bench -p tests --bench fault_soak`

#[path = "../soak/mod.rs"]
mod soak;

use std::alloc::System;

use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

// Counts the bytes allocated and freed, so the report can tell memory the program still uses
// (a leak would grow it) from memory the allocator keeps after it was freed (resident memory
// counts both).
#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated and not freed so far.
fn live_heap() -> u64 {
    let stats = GLOBAL.stats();
    // A reallocation is counted in these two as well, by how much it grew or shrank.
    u64::try_from(stats.bytes_allocated.saturating_sub(stats.bytes_deallocated)).unwrap_or(0)
}

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench` flag: a short run then.
    let full = std::env::args().any(|a| a == "--bench");
    let calls = if full { 20_000 } else { 500 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let checkpoints = [2_000.min(calls), 10_000.min(calls), calls];
    let report = runtime.block_on(soak::run(0x5eed_2024, calls, 64, &checkpoints, Some(live_heap)));
    for line in report.lines() {
        println!("{line}");
    }
    if report.panics > 0 || report.writes_run_twice_not_allowed > 0 {
        std::process::exit(1);
    }
}
