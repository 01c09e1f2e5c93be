//! A tracing subscriber for tests, yours and ours: every span, span record and event, at every
//! level, becomes a line of text, so a test can check what a client logs and that no secret is
//! among it. Lines look like `span <target> tencentcloud.call service="teo" ...`,
//! `record tencentcloud.call status="ok"` and `event DEBUG <target> ... message=retrying`.
//!
//! Use [`install`], not `tracing::subscriber::set_default` alone. Tracing caches, per callsite,
//! whether anyone is interested in it, and while only one dispatcher exists it asks just the
//! default of the thread that happens to reach the callsite first. When that is a parallel test
//! without a capture, the callsite is cached as "never" for the whole process and a capture set
//! up later sees nothing from it. [`install`] first sets a process-wide sink that answers
//! "sometimes", so every callsite is checked call by call against the current thread's
//! subscriber.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::{DefaultGuard, Interest};
use tracing::{Event, Metadata, Subscriber};

/// Captures everything logged on this thread until the guard is dropped. Tests using it must
/// run on a current-thread runtime (the `#[tokio::test]` default), so that the client's and the
/// stand-in's tasks log here.
///
/// ```
/// let (capture, _guard) = tencentcloud_runtime::test_util::log_capture::install();
/// tracing::info!(zone = "zone-1", "hello");
/// assert!(capture.lines().iter().any(|l| l.contains("hello")));
/// ```
pub fn install() -> (Capture, DefaultGuard) {
    static SINK: OnceLock<()> = OnceLock::new();
    SINK.get_or_init(|| {
        // Fails only if another global default was set first, which does the same job.
        let _ = tracing::subscriber::set_global_default(Sink);
    });
    let capture = Capture::default();
    let guard = tracing::subscriber::set_default(capture.clone());
    (capture, guard)
}

/// The process-wide default: interested in every callsite "sometimes", enabled for none.
struct Sink;

impl Subscriber for Sink {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Collects lines such as `span tencentcloud.call service="teo" action="..."`,
/// `record tencentcloud.call status="ok"` and `event DEBUG ... message=retrying`.
#[derive(Clone, Default)]
pub struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    spans: Arc<Mutex<HashMap<u64, &'static str>>>,
    next_id: Arc<AtomicU64>,
}

impl Capture {
    /// Everything captured so far, one line each.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn push(&self, line: String) {
        self.lines.lock().unwrap_or_else(PoisonError::into_inner).push(line);
    }
}

/// Writes ` name=value` for every field, values in their `Debug` form (what a formatter prints).
struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        // What a formatting subscriber would print: the error and its whole chain.
        let _ = write!(self.0, " {}={}", field.name(), value);
        let mut source = value.source();
        while let Some(cause) = source {
            let _ = write!(self.0, ": {cause}");
            source = cause.source();
        }
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let name = span.metadata().name();
        let mut fields = Fields(format!("span {} {name}", span.metadata().target()));
        span.record(&mut fields);
        self.push(fields.0);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        self.spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, name);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let name = self
            .spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&span.into_u64())
            .copied()
            .unwrap_or("?");
        let mut fields = Fields(format!("record {name}"));
        values.record(&mut fields);
        self.push(fields.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let metadata = event.metadata();
        let mut fields = Fields(format!("event {} {}", metadata.level(), metadata.target()));
        event.record(&mut fields);
        self.push(fields.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
