// Connection-level misbehaviour a test can switch on: closing keep-alive connections that sat
// idle, dropping a request that arrives on a connection idle too long (what a front end does
// when its idle timer fires as a request comes in), and refusing every request with 503 for a
// while. Each connection keeps its own activity record for these checks.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The switches, kept in the shared state.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ConnectionFaults {
    /// Close a connection once it has been idle this long (checked for connections accepted
    /// while it is set).
    pub(crate) close_idle_after: Option<Duration>,
    /// Close, without answering or running it, a request that arrives on a connection that
    /// has been idle at least this long since its last answer.
    pub(crate) drop_stale_after: Option<Duration>,
    /// Answer every request with 503 until then.
    pub(crate) unavailable_until: Option<Instant>,
}

/// One connection's activity: requests in flight, answers given and when the last one ended.
#[derive(Debug)]
pub(crate) struct Activity(Mutex<ActivityState>);

#[derive(Debug)]
struct ActivityState {
    in_flight: u32,
    answered: u64,
    idle_since: Instant,
}

impl Activity {
    pub(crate) fn new() -> Self {
        Activity(Mutex::new(ActivityState {
            in_flight: 0,
            answered: 0,
            idle_since: Instant::now(),
        }))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ActivityState> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A request arrived: whether the connection had already answered one and then sat idle
    /// for at least `stale_after`. The request counts as in flight either way.
    pub(crate) fn begin(&self, stale_after: Option<Duration>) -> bool {
        let mut state = self.state();
        let stale = state.in_flight == 0
            && state.answered > 0
            && stale_after.is_some_and(|limit| state.idle_since.elapsed() >= limit);
        state.in_flight += 1;
        stale
    }

    /// A request ended (answered or dropped).
    pub(crate) fn end(&self) {
        let mut state = self.state();
        state.in_flight = state.in_flight.saturating_sub(1);
        state.answered += 1;
        state.idle_since = Instant::now();
    }

    /// How long the connection has been idle, or `None` while a request is in flight.
    pub(crate) fn idle_for(&self) -> Option<Duration> {
        let state = self.state();
        (state.in_flight == 0).then(|| state.idle_since.elapsed())
    }
}

/// Ends the activity's request when dropped, however the handler leaves.
pub(crate) struct InFlight<'a>(pub(crate) &'a Activity);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_request_after_an_idle_answer_is_stale() {
        let activity = Activity::new();
        assert!(
            !activity.begin(Some(Duration::ZERO)),
            "the first request is never stale"
        );
        assert_eq!(activity.idle_for(), None, "busy");
        activity.end();
        assert!(activity.idle_for().is_some());
        assert!(
            activity.begin(Some(Duration::ZERO)),
            "idle at least zero after an answer"
        );
        assert!(
            !activity.begin(Some(Duration::ZERO)),
            "a pipelined request is not stale"
        );
        activity.end();
        activity.end();
        assert!(!activity.begin(None), "off");
        assert!(!activity.begin(Some(Duration::from_secs(3600))), "not idle long enough");
    }
}
