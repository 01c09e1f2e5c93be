//! `--debug`: the library's log (each call's span with its action, attempts, status and
//! RequestId, and its retry events) written to stderr as lines, by a minimal subscriber. The
//! library logs neither bodies nor secrets; the request and answer bodies `teo` logs itself are
//! redacted first (see `run`).

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Sends the library's log to stderr for the rest of the process.
pub fn install() {
    // Fails only when a subscriber is already set, which cannot happen in the binary.
    let _ = tracing::subscriber::set_global_default(Stderr::default());
}

/// Writes one line to stderr, prefixed `debug:`.
pub fn line(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "debug: {text}");
}

#[derive(Default)]
struct Stderr {
    next_id: AtomicU64,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }
}

impl Subscriber for Stderr {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("tencentcloud")
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(span.metadata().name().to_owned());
        span.record(&mut fields);
        line(&fields.0);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Fields(String::from("call"));
        values.record(&mut fields);
        line(&fields.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(event.metadata().level().to_string().to_lowercase());
        event.record(&mut fields);
        line(&fields.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
