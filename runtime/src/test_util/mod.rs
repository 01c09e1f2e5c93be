//! Helpers for testing code built on this runtime, compiled only with the `test-util` cargo
//! feature: add `tencentcloud-runtime = { ..., features = ["test-util"] }` to your
//! `[dev-dependencies]`.
//!
//! - [`log_capture`]: a tracing subscriber that turns every span, span record and event into a
//!   line of text, to check what a client logs and that no secret is among it.
//! - [`examples`]: the check each generated action's test runs on its spec examples.
//! - [`mock`]: rules that answer a generated client's calls instead of the network, for unit
//!   tests of code that takes a `Client` ([`mock!`](crate::mock), [`mock_client!`](crate::mock_client)).

pub mod examples;
pub mod log_capture;
pub mod mock;

pub use examples::check_examples;
