//! Waiters: poll a listing action until every item it returns reaches a final status, as
//! aws-sdk-rust's `wait_until_*` do.
//!
//! A generated waiter (from the spec's `waiters`) holds the polled action's fluent builder with
//! the caller's members (zone, filters), and its `.wait(max_wait)` calls [`wait`] with the spec's
//! [`Acceptors`]. Each poll lists every matching item (through the paginator when the action
//! pages). Then:
//!
//! - every item in a `success` status: done, the items are returned;
//! - any item in a `failure` status: [`WaitError::Failed`] at once, naming the item and status;
//! - any item in a status the spec does not list (or with none): [`WaitError::UnexpectedStatus`]
//!   at once, rather than polling on something the waiter does not understand;
//! - otherwise (some item in a `retry` status, or no item matched yet): wait and poll again.
//!
//! The wait before poll `n + 1` is drawn uniformly from `[min_delay, min(max_delay, min_delay ×
//! 2ⁿ⁻¹)]`: exponential backoff with jitter, so many waiters do not poll in lockstep, and at most
//! one poll per `min_delay`, far inside any action's rate limit (the client's limiter paces the
//! calls too). When `max_wait` has passed after a poll that was not final, the result is
//! [`WaitError::Timeout`] with the statuses last seen. A poll that fails (after the client's own
//! retries) ends the wait with [`WaitError::Poll`].

use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::error::{shown, Error};

/// What a waiter looks at in each item, and what each status means. Generated from the spec.
///
/// `S` is the status's type: `str` for a status that is plain text, or the generated enum of
/// the status member (such as `TaskStatus`), whose variants the lists then hold, so the
/// compiler checks them. A status the lists do not hold (an enum's `Unknown` included) is
/// [`WaitError::UnexpectedStatus`].
#[derive(Debug)]
pub struct Acceptors<T: 'static, S: ?Sized + 'static = str> {
    /// The waiter's name, e.g. `PurgeTasksDone`.
    pub waiter: &'static str,
    /// The item's status, if it has one.
    pub status: fn(&T) -> Option<&S>,
    /// A short name of the item for messages, from members that are not secret.
    pub name: fn(&T) -> String,
    /// Statuses meaning done.
    pub success: &'static [&'static S],
    /// Statuses meaning failed.
    pub failure: &'static [&'static S],
    /// Statuses meaning still in progress.
    pub retry: &'static [&'static S],
}

/// What a waiter's builder carries where an action's fluent builder carries the client's
/// handle: the handle, and the delays between polls. A waiter's builder is the polled action's
/// request builder holding this, so it has the action's setters without repeating them; `N`
/// tells apart the builders of two waiters that poll the same action.
pub struct Waiting<const N: usize> {
    handle: crate::Handle,
    delays: Delays,
}

impl<const N: usize> Waiting<N> {
    /// A waiter polling through `handle`, `delays` apart.
    pub fn new(handle: crate::Handle, delays: Delays) -> Self {
        Waiting { handle, delays }
    }

    /// The client's handle the polls go through.
    pub fn handle(&self) -> &crate::Handle {
        &self.handle
    }

    /// The delays between polls.
    pub fn delays(&self) -> Delays {
        self.delays
    }

    /// The delays between polls, to change.
    pub fn delays_mut(&mut self) -> &mut Delays {
        &mut self.delays
    }
}

/// A waiter's polls go out with the settings given to its `customize`.
impl<const N: usize> crate::Customizable for Waiting<N> {
    fn customize_calls(&mut self, f: impl FnOnce(crate::Customize) -> crate::Customize) {
        crate::Customizable::customize_calls(&mut self.handle, f);
    }
}

impl<const N: usize> Clone for Waiting<N> {
    fn clone(&self) -> Self {
        Waiting {
            handle: self.handle.clone(),
            delays: self.delays,
        }
    }
}

impl<const N: usize> fmt::Debug for Waiting<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiting")
            .field("delays", &self.delays)
            .finish_non_exhaustive()
    }
}

/// How long to wait between polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delays {
    /// The first wait, and the least any wait is.
    pub min: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Delays {
    /// The bounds of the wait before poll `poll + 1`: `min` to `min × 2^(poll-1)`, capped at
    /// `max` (and never below `min`).
    pub fn bounds(&self, poll: u32) -> (Duration, Duration) {
        let factor = 1u32 << poll.saturating_sub(1).min(20);
        let ceiling = self.min.saturating_mul(factor).min(self.max).max(self.min);
        (self.min, ceiling)
    }

    /// The wait before poll `poll + 1` for a 64-bit random value, uniform within [`bounds`](Self::bounds).
    pub fn delay(&self, poll: u32, random: u64) -> Duration {
        let (low, high) = self.bounds(poll);
        let span = (high - low).as_nanos();
        let offset = (span * u128::from(random)) >> 64;
        low + Duration::from_nanos(u64::try_from(offset).unwrap_or(u64::MAX))
    }
}

/// One item as last seen: its name and status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// The item's name (from the spec's `name` members).
    pub item: String,
    /// Its status, or `None` when the answer had none.
    pub status: Option<String>,
}

/// Why waiting ended without success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<E> {
    /// An item reached a status that means it failed.
    Failed {
        /// The waiter.
        waiter: &'static str,
        /// The item's name.
        item: String,
        /// Its status.
        status: String,
    },
    /// An item is in a status the waiter does not know, or has none.
    UnexpectedStatus {
        /// The waiter.
        waiter: &'static str,
        /// The item's name.
        item: String,
        /// Its status, if it had one.
        status: Option<String>,
    },
    /// `max_wait` passed before every item was done.
    Timeout {
        /// The waiter.
        waiter: &'static str,
        /// The `max_wait` given.
        max_wait: Duration,
        /// How many polls were made.
        polls: u32,
        /// Every item of the last poll, with its status (empty when none matched).
        last_seen: Vec<Seen>,
    },
    /// A poll failed.
    Poll(Error<E>),
}

/// How many items a timeout's `Display` lists before summing up the rest.
pub const SHOWN_ITEMS: usize = 10;

impl<E: crate::ActionError> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Failed { waiter, item, status } => {
                write!(f, "{waiter}: {} ended in status {}", shown(item), shown(status))
            }
            WaitError::UnexpectedStatus { waiter, item, status } => match status {
                Some(status) => write!(
                    f,
                    "{waiter}: {} is in status {}, which the waiter does not know",
                    shown(item),
                    shown(status)
                ),
                None => write!(f, "{waiter}: {} has no status", shown(item)),
            },
            WaitError::Timeout {
                waiter,
                max_wait,
                polls,
                last_seen,
            } => {
                write!(f, "{waiter}: not done after {max_wait:?} ({polls} polls); ")?;
                if last_seen.is_empty() {
                    return f.write_str("no item matched the request");
                }
                f.write_str("last seen: ")?;
                for (i, seen) in last_seen.iter().take(SHOWN_ITEMS).enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let status = seen.status.as_deref().unwrap_or("(none)");
                    write!(f, "{} {}", shown(&seen.item), shown(status))?;
                }
                if last_seen.len() > SHOWN_ITEMS {
                    write!(f, " and {} more", last_seen.len() - SHOWN_ITEMS)?;
                }
                Ok(())
            }
            WaitError::Poll(e) => write!(f, "{e}"),
        }
    }
}

impl<E: crate::ActionError> std::error::Error for WaitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Poll(e) => Some(e),
            _ => None,
        }
    }
}

impl<E> WaitError<E> {
    /// Whether the wait ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, WaitError::Timeout { .. })
    }
}

/// What one poll showed.
enum Verdict<T> {
    Done(Vec<T>),
    Pending(Vec<Seen>),
}

/// Whether `list` holds `status`.
fn listed<S: ?Sized + PartialEq>(list: &[&S], status: &S) -> bool {
    list.contains(&status)
}

/// A status as text, for errors.
fn text<S: ?Sized + AsRef<str>>(status: &S) -> String {
    status.as_ref().to_owned()
}

fn judge<T, S, E>(items: Vec<T>, acceptors: &Acceptors<T, S>) -> Result<Verdict<T>, WaitError<E>>
where
    S: ?Sized + PartialEq + AsRef<str>,
{
    let mut pending = false;
    for item in &items {
        let status = (acceptors.status)(item);
        match status {
            Some(s) if listed(acceptors.success, s) => {}
            Some(s) if listed(acceptors.retry, s) => pending = true,
            Some(s) if listed(acceptors.failure, s) => {
                return Err(WaitError::Failed {
                    waiter: acceptors.waiter,
                    item: (acceptors.name)(item),
                    status: text(s),
                })
            }
            other => {
                return Err(WaitError::UnexpectedStatus {
                    waiter: acceptors.waiter,
                    item: (acceptors.name)(item),
                    status: other.map(text),
                })
            }
        }
    }
    if pending || items.is_empty() {
        let seen = items
            .iter()
            .map(|item| Seen {
                item: (acceptors.name)(item),
                status: (acceptors.status)(item).map(text),
            })
            .collect();
        Ok(Verdict::Pending(seen))
    } else {
        Ok(Verdict::Done(items))
    }
}

/// Polls with `poll` until the items are all done, one fails, or `max_wait` passes.
pub async fn wait<T, S, E, F, Fut>(
    mut poll: F,
    acceptors: &Acceptors<T, S>,
    delays: Delays,
    max_wait: Duration,
) -> Result<Vec<T>, WaitError<E>>
where
    S: ?Sized + PartialEq + AsRef<str>,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Vec<T>, Error<E>>>,
{
    let start = tokio::time::Instant::now();
    let mut polls = 0u32;
    loop {
        polls = polls.saturating_add(1);
        let items = poll().await.map_err(WaitError::Poll)?;
        let last_seen = match judge(items, acceptors)? {
            Verdict::Done(items) => return Ok(items),
            Verdict::Pending(seen) => seen,
        };
        let elapsed = start.elapsed();
        if elapsed >= max_wait {
            return Err(WaitError::Timeout {
                waiter: acceptors.waiter,
                max_wait,
                polls,
                last_seen,
            });
        }
        let delay = delays.delay(polls, crate::retry::random_u64()).min(max_wait - elapsed);
        tokio::time::sleep(delay).await;
    }
}

// The enum of the typed test has serde impls behind a `serde` feature the runtime lacks.
#[cfg(test)]
#[allow(unexpected_cfgs)]
mod tests {
    use super::*;
    use crate::error::tests::Failure;
    use std::sync::atomic::{AtomicU32, Ordering};

    type Task = (&'static str, Option<&'static str>);

    static ACCEPTORS: Acceptors<Task> = Acceptors {
        waiter: "TasksDone",
        status: |t| t.1,
        name: |t| format!("task {}", t.0),
        success: &["success"],
        failure: &["failed", "timeout", "canceled"],
        retry: &["processing"],
    };

    const FAST: Delays = Delays {
        min: Duration::from_millis(1),
        max: Duration::from_millis(4),
    };

    fn run<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a current-thread runtime")
            .block_on(future)
    }

    /// Polls that answer `script[i]` on poll `i` (the last one repeating).
    fn scripted(
        script: Vec<Vec<Task>>,
        polls: &AtomicU32,
    ) -> impl FnMut() -> std::future::Ready<Result<Vec<Task>, Error<Failure>>> + '_ {
        move || {
            let i = polls.fetch_add(1, Ordering::SeqCst) as usize;
            let answer = script.get(i).or(script.last()).cloned().unwrap_or_default();
            std::future::ready(Ok(answer))
        }
    }

    #[test]
    fn done_when_every_item_succeeds_after_processing() {
        let polls = AtomicU32::new(0);
        let script = vec![
            vec![("a", Some("processing")), ("b", Some("processing"))],
            vec![("a", Some("success")), ("b", Some("processing"))],
            vec![("a", Some("success")), ("b", Some("success"))],
        ];
        let done = run(wait(scripted(script, &polls), &ACCEPTORS, FAST, Duration::from_secs(5))).unwrap();
        assert_eq!(done, [("a", Some("success")), ("b", Some("success"))]);
        assert_eq!(polls.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_failed_item_ends_the_wait_at_once_naming_it() {
        for status in ["failed", "timeout", "canceled"] {
            let polls = AtomicU32::new(0);
            let script = vec![vec![("a", Some("processing")), ("b", Some(status))]];
            let error = run(wait(scripted(script, &polls), &ACCEPTORS, FAST, Duration::from_secs(5))).unwrap_err();
            assert_eq!(error.to_string(), format!("TasksDone: task b ended in status {status}"));
            assert_eq!(polls.load(Ordering::SeqCst), 1);
        }
    }

    #[test]
    fn an_unknown_or_missing_status_is_reported_not_polled_on() {
        let polls = AtomicU32::new(0);
        let error = run(wait(
            scripted(vec![vec![("a", Some("queued"))]], &polls),
            &ACCEPTORS,
            FAST,
            Duration::from_secs(5),
        ))
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "TasksDone: task a is in status queued, which the waiter does not know"
        );
        let error = run(wait(
            scripted(vec![vec![("a", None)]], &polls),
            &ACCEPTORS,
            FAST,
            Duration::from_secs(5),
        ))
        .unwrap_err();
        assert_eq!(error.to_string(), "TasksDone: task a has no status");
    }

    #[test]
    fn times_out_with_the_last_statuses_seen() {
        let polls = AtomicU32::new(0);
        let script = vec![vec![("a", Some("success")), ("b", Some("processing"))]];
        let error = run(wait(
            scripted(script, &polls),
            &ACCEPTORS,
            FAST,
            Duration::from_millis(30),
        ))
        .unwrap_err();
        assert!(error.is_timeout());
        let WaitError::Timeout {
            polls: made, last_seen, ..
        } = &error
        else {
            panic!("not a timeout: {error}");
        };
        assert!(*made >= 2, "polled {made} times");
        assert_eq!(*made, polls.load(Ordering::SeqCst));
        assert_eq!(
            error.to_string(),
            format!("TasksDone: not done after 30ms ({made} polls); last seen: task a success, task b processing")
        );
        assert_eq!(last_seen.len(), 2);
    }

    #[test]
    fn no_matching_item_keeps_waiting_and_says_so_on_timeout() {
        let polls = AtomicU32::new(0);
        let error = run(wait(
            scripted(vec![vec![]], &polls),
            &ACCEPTORS,
            FAST,
            Duration::from_millis(10),
        ))
        .unwrap_err();
        assert!(
            error.to_string().ends_with("polls); no item matched the request"),
            "{error}"
        );
    }

    crate::string_enum! {
        /// A task's status, for the typed waiter test.
        pub enum Status {
            /// Done.
            Done = "done",
            /// Broken.
            Broken = "broken",
            /// Running.
            Running = "running",
        }
    }

    type TypedTask = (&'static str, Option<Status>);

    static TYPED: Acceptors<TypedTask, Status> = Acceptors {
        waiter: "TypedDone",
        status: |t| t.1.as_ref(),
        name: |t| format!("task {}", t.0),
        success: &[&Status::Done],
        failure: &[&Status::Broken],
        retry: &[&Status::Running],
    };

    fn typed(
        script: Vec<Vec<TypedTask>>,
        polls: &AtomicU32,
    ) -> impl FnMut() -> std::future::Ready<Result<Vec<TypedTask>, Error<Failure>>> + '_ {
        move || {
            let i = polls.fetch_add(1, Ordering::SeqCst) as usize;
            let answer = script.get(i).or(script.last()).cloned().unwrap_or_default();
            std::future::ready(Ok(answer))
        }
    }

    #[test]
    fn typed_statuses_are_compared_as_enum_values() {
        let polls = AtomicU32::new(0);
        let script = vec![
            vec![("a", Some(Status::from("running")))],
            vec![("a", Some(Status::from("done")))],
        ];
        let done = run(wait(typed(script, &polls), &TYPED, FAST, Duration::from_secs(5))).unwrap();
        assert_eq!(done, [("a", Some(Status::Done))]);
        assert_eq!(Status::values(), &["done", "broken", "running"]);
        assert_eq!(polls.load(Ordering::SeqCst), 2);

        let script = vec![vec![("a", Some(Status::Done)), ("b", Some(Status::Broken))]];
        let error = run(wait(typed(script, &polls), &TYPED, FAST, Duration::from_secs(5))).unwrap_err();
        assert_eq!(error.to_string(), "TypedDone: task b ended in status broken");

        // A value the enum does not list is unexpected, and named as sent.
        let script = vec![vec![("a", Some(Status::from("paused")))]];
        let error = run(wait(typed(script, &polls), &TYPED, FAST, Duration::from_secs(5))).unwrap_err();
        assert_eq!(
            error.to_string(),
            "TypedDone: task a is in status paused, which the waiter does not know"
        );
    }

    #[test]
    fn a_long_timeout_list_is_cut() {
        let names: Vec<&'static str> = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"].to_vec();
        let seen: Vec<Seen> = names
            .iter()
            .map(|n| Seen {
                item: format!("task {n}"),
                status: Some("processing".into()),
            })
            .collect();
        let error: WaitError<Failure> = WaitError::Timeout {
            waiter: "TasksDone",
            max_wait: Duration::from_secs(60),
            polls: 9,
            last_seen: seen,
        };
        let shown = error.to_string();
        assert!(shown.ends_with("task 9 processing and 2 more"), "{shown}");
        assert!(!shown.contains("task 10"));
    }

    #[test]
    fn delays_grow_from_min_to_max_with_jitter_inside() {
        let delays = Delays {
            min: Duration::from_secs(2),
            max: Duration::from_secs(30),
        };
        assert_eq!(delays.bounds(1), (Duration::from_secs(2), Duration::from_secs(2)));
        assert_eq!(delays.bounds(2), (Duration::from_secs(2), Duration::from_secs(4)));
        assert_eq!(delays.bounds(4), (Duration::from_secs(2), Duration::from_secs(16)));
        assert_eq!(delays.bounds(9), (Duration::from_secs(2), Duration::from_secs(30)));
        assert_eq!(
            delays.bounds(u32::MAX),
            (Duration::from_secs(2), Duration::from_secs(30))
        );
        assert_eq!(delays.delay(3, 0), Duration::from_secs(2));
        assert_eq!(
            delays.delay(3, u64::MAX / 2),
            Duration::from_secs(5) - Duration::from_nanos(1)
        );
        assert!(delays.delay(3, u64::MAX) < Duration::from_secs(8));
    }

    #[test]
    fn a_failing_poll_ends_the_wait_with_its_error() {
        let poll = || {
            std::future::ready(Err::<Vec<Task>, _>(Error::<Failure>::Timeout {
                after: Duration::from_secs(3),
                phase: "call",
            }))
        };
        let error = run(wait(poll, &ACCEPTORS, FAST, Duration::from_secs(1))).unwrap_err();
        assert!(matches!(error, WaitError::Poll(Error::Timeout { .. })));
        assert_eq!(error.to_string(), "call timed out after 3s");
    }
}
