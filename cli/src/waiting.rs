//! `teo wait <waiter>`: polls the waiter's action (every page) until every item it lists has a
//! success status, one has a failure status, or `--timeout` passes; the runtime's waiter loop
//! (`tencentcloud_runtime::waiter::wait`) does the polling and backoff.

use std::cell::{Cell, RefCell};
use std::io::{IsTerminal as _, Write as _};
use std::time::{Duration, Instant};

use generated_client::runtime::waiter::{self, Acceptors, Delays, WaitError};
use generated_client::runtime::ConfigError;
use generated_client::{Error, ServiceError};
use serde_json::{Map, Value};

use crate::calls::{Caller, PageOptions};
use crate::failure::{self, Failure};
use crate::spec_types::{Action, Waiter};

/// Exit code: an item reached a failure status (or one the waiter does not know).
pub const FAILED: u8 = 1;
/// Exit code: `--timeout` passed first (as `timeout(1)`).
pub const TIMED_OUT: u8 = 124;
/// How long a wait lasts without `--timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// One item as the waiter looks at it.
struct Item {
    status: Option<String>,
    name: String,
    value: Value,
}

/// Waits; the items of the last poll on success.
pub async fn wait(
    caller: &Caller,
    waiter: &'static Waiter,
    action: &'static Action,
    request: Map<String, Value>,
    timeout: Duration,
) -> Result<Value, Failure> {
    let acceptors = Acceptors::<Item> {
        waiter: waiter.name,
        status: |item| item.status.as_deref(),
        name: |item| item.name.clone(),
        success: waiter.success,
        failure: waiter.failure,
        retry: waiter.retry,
    };
    let delays = Delays {
        min: Duration::from_secs(waiter.min_delay),
        max: Duration::from_secs(waiter.max_delay),
    };
    let progress = std::io::stderr().is_terminal();
    let started = Instant::now();
    // A poll that fails ends the wait; its failure (exit code and message) is kept here, and the
    // waiter loop gets a stand-in error.
    let failed_poll: RefCell<Option<Failure>> = RefCell::new(None);
    let polls = Cell::new(0u32);
    let poll = || {
        polls.set(polls.get() + 1);
        let request = request.clone();
        let failed_poll = &failed_poll;
        let poll_number = polls.get();
        async move {
            let answer = match caller.paged(action, request, PageOptions::default()).await {
                Ok(answer) => answer,
                Err(failure) => {
                    *failed_poll.borrow_mut() = Some(failure);
                    return Err(Error::Config(ConfigError("the poll failed".to_owned())));
                }
            };
            let items = items_of(waiter, answer);
            if progress {
                show_progress(waiter, &items, poll_number, started);
            }
            Ok(items)
        }
    };
    let result: Result<Vec<Item>, WaitError<ServiceError>> = waiter::wait(poll, &acceptors, delays, timeout).await;
    if progress {
        let _ = writeln!(std::io::stderr());
    }
    match result {
        Ok(items) => Ok(Value::Array(items.into_iter().map(|i| i.value).collect())),
        Err(WaitError::Poll(e)) => Err(failed_poll
            .borrow_mut()
            .take()
            .unwrap_or_else(|| failure::from_call(e, Some(action)))),
        Err(e @ WaitError::Timeout { .. }) => Err(Failure {
            code: TIMED_OUT,
            message: e.to_string(),
        }),
        Err(e) => Err(Failure {
            code: FAILED,
            message: e.to_string(),
        }),
    }
}

/// The items of one poll's answer: the listed items, or the answer itself when the status is
/// the response's own.
fn items_of(waiter: &Waiter, answer: Value) -> Vec<Item> {
    let values = match waiter.items {
        Some(member) => match answer.get(member) {
            Some(Value::Array(list)) => list.clone(),
            _ => Vec::new(),
        },
        None => vec![answer],
    };
    values
        .into_iter()
        .map(|value| {
            let status = value.get(waiter.status).and_then(Value::as_str).map(str::to_owned);
            let parts: Vec<String> = waiter
                .names
                .iter()
                .filter_map(|n| value.get(*n).and_then(Value::as_str).map(|v| format!("{n} {v}")))
                .collect();
            let name = if parts.is_empty() {
                "the item".to_owned()
            } else {
                parts.join(", ")
            };
            Item { status, name, value }
        })
        .collect()
}

/// The progress line on stderr (a terminal): the poll, the count per status, the time so far.
fn show_progress(waiter: &Waiter, items: &[Item], poll: u32, started: Instant) {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for item in items {
        let status = item.status.clone().unwrap_or_else(|| "(none)".to_owned());
        match counts.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => counts.push((status, 1)),
        }
    }
    let summary: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    let summary = if summary.is_empty() {
        "no items yet".to_owned()
    } else {
        summary.join(", ")
    };
    let _ = write!(
        std::io::stderr(),
        "\r\x1b[Kwaiting for {}: poll {poll}, {summary} ({}s)",
        waiter.command,
        started.elapsed().as_secs()
    );
}
