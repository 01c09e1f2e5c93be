//! The check every generated action runs on the examples its spec gives: each request and
//! response decodes into the action's types and encodes back to the same JSON, each request passes
//! the spec's rules, and no sensitive value shows in `Debug`.

use std::fmt::Debug;

use crate::validation::ValidationError;
use crate::wire::{self, Decoding, WireValue};

/// One example: its title, the request and the response (JSON text, without `null` members),
/// and the sensitive values it holds, which `Debug` must not show.
pub type Example<'a> = (&'a str, &'a str, &'a str, &'a [&'a str]);

/// Checks `examples` against the request type `I` and the response type `O`; `check` is the
/// request's validation (`Validate::validate`, or a function that accepts anything for a request
/// without rules). Panics, naming the example and what failed: it is a test assertion.
pub fn check_examples<I, O>(examples: &[Example<'_>], check: fn(&I) -> Result<(), ValidationError>)
where
    I: WireValue + Debug,
    O: WireValue + Debug,
{
    for (title, input, output, secrets) in examples {
        let request: I = round_trip(title, "request", input);
        if let Err(e) = check(&request) {
            panic!("{title}: the request breaks the spec's rules: {e}");
        }
        let response: O = round_trip(title, "response", output);
        let shown = format!("{request:?} {response:?}");
        for secret in *secrets {
            assert!(!shown.contains(secret), "{title}: Debug shows a sensitive value");
        }
    }
}

/// `text` decoded as `T` and encoded back, which must give the same JSON.
fn round_trip<T: WireValue>(title: &str, what: &str, text: &str) -> T {
    let fail = |e: &dyn std::fmt::Display| -> ! { panic!("{title}: {what}: {e}") };
    let value: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| fail(&e));
    let typed: T = wire::from_value(value.clone(), Decoding::Tolerant).unwrap_or_else(|e| fail(&e));
    let again = typed.to_wire();
    assert_eq!(again, value, "{title}: {what} does not encode back to the example");
    typed
}

#[cfg(test)]
#[allow(unexpected_cfgs)] // `model!` gates serde impls on the generated crate's `serde` feature.
mod tests {
    use super::*;

    crate::model! {
        /// A request.
        pub struct Req / ReqBuilder {
            /// A name.
            req name: String = "Name",
        }
    }

    fn accept(_: &Req) -> Result<(), ValidationError> {
        Ok(())
    }

    #[test]
    fn an_example_that_round_trips_passes() {
        check_examples::<Req, Req>(&[("t", r#"{"Name":"a"}"#, r#"{"Name":"b"}"#, &["zzz"])], accept);
    }

    #[test]
    #[should_panic(expected = "t: Debug shows a sensitive value")]
    fn a_secret_in_debug_fails() {
        check_examples::<Req, Req>(&[("t", r#"{"Name":"hidden"}"#, r#"{"Name":"b"}"#, &["hidden"])], accept);
    }

    #[test]
    #[should_panic(expected = "t: request: Req: missing field Name")]
    fn a_request_that_does_not_decode_fails() {
        check_examples::<Req, Req>(&[("t", r#"{}"#, r#"{"Name":"b"}"#, &[])], accept);
    }
}
