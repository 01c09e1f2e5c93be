//! Reads an HTTP answer of the API 3.0 envelope, `{"Response": {...}}`, into a success value, a
//! service error, or the failure that describes what came back instead.
//!
//! This is a pure function of status and body so every shape of answer can be tested without
//! a server. The body is parsed once: the `Response` member is kept as raw JSON, checked for an
//! `Error` member, and only then decoded as the action's output.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::redact::Redacted;
use super::AttemptError;
use crate::error::ServiceError;
use crate::wire::{Decoding, WireValue};

/// A success answer: the `Response` member, not yet decoded, and where it starts, the whole body (for an error's
/// excerpt should the output not decode) and the request id the service gave (for tracing).
#[derive(Debug)]
pub(crate) struct Success {
    pub(crate) response: Box<RawValue>,
    /// Where `response` starts in `body`, in bytes.
    pub(crate) response_at: usize,
    pub(crate) body: Vec<u8>,
    pub(crate) request_id: Option<String>,
}

/// Classifies one answer. `sensitive` lists the member names whose values must not appear in
/// any excerpt or message. Decoding the output is left to [`decode_output`], the one step that
/// depends on the action.
///
/// Any Content-Type is accepted: the body is parsed as JSON whatever the header says.
pub(crate) fn classify(status: u16, body: &[u8], sensitive: &[&str]) -> Result<Success, AttemptError> {
    if status != 200 {
        return Err(AttemptError::HttpStatus {
            status,
            body_excerpt: Redacted::new(body, sensitive).excerpt(),
        });
    }
    let decode_error = |reason: &dyn std::fmt::Display| undecodable(body, sensitive, reason);
    let missing = || AttemptError::MissingResponse {
        body_excerpt: Redacted::new(body, sensitive).excerpt(),
    };

    let envelope: Envelope<'_> = serde_json::from_slice(body).map_err(|e| match e.classify() {
        // Well-formed JSON of another shape: an array, a string, a number.
        serde_json::error::Category::Data => missing(),
        _ => decode_error(&e),
    })?;
    let response = match envelope.response {
        Some(raw) if raw.get().starts_with('{') => raw,
        _ => return Err(missing()),
    };
    // Where `Response` starts in the body, to count the reader's lines and columns from there.
    let response_at = (response.get().as_ptr() as usize).wrapping_sub(body.as_ptr() as usize);
    let probe: Probe =
        serde_json::from_str(response.get()).map_err(|e| decode_error(&located_in_body(&e, body, response_at)))?;
    if let Some(error) = probe.error {
        let code = error
            .code
            .filter(|c| !c.is_empty())
            .ok_or_else(|| decode_error(&"Response.Error has no Code"))?;
        return Err(AttemptError::Service(ServiceError::new(
            code,
            error.message.unwrap_or_default(),
            probe.request_id.unwrap_or_default(),
        )));
    }
    Ok(Success {
        response: response.to_owned(),
        response_at,
        body: body.to_vec(),
        request_id: probe.request_id,
    })
}

/// The action's output, decoded from a success; a member that does not decode is named by its
/// path inside `Response` (`Zones[3].Area`).
pub(crate) fn decode_output<O: WireValue>(success: &Success, sensitive: &[&str]) -> Result<O, AttemptError> {
    let value: serde_json::Value = serde_json::from_str(success.response.get()).map_err(|e| {
        let located = located_in_body(&e, &success.body, success.response_at);
        undecodable(&success.body, sensitive, &located)
    })?;
    crate::wire::from_value(value, Decoding::Tolerant).map_err(|e| undecodable(&success.body, sensitive, &e))
}

/// The JSON reader's error on the part of `body` that starts at `offset`, with its line and
/// column counted in the whole body (as the reader gives them, they count from the part's start).
fn located_in_body(e: &serde_json::Error, body: &[u8], offset: usize) -> String {
    let text = e.to_string();
    let (line, column) = (e.line(), e.column());
    let Some(message) = text.strip_suffix(&format!(" at line {line} column {column}")) else {
        return text;
    };
    if line == 0 || offset > body.len() {
        return text;
    }
    let before = &body[..offset];
    let start_line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start_column = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1);
    let (line, column) = match line {
        1 => (start_line, start_column + column),
        _ => (start_line + line - 1, column),
    };
    format!("{message} at line {line} column {column}")
}

/// A body that could not be read, with the reason and an excerpt, sensitive values blanked out.
fn undecodable(body: &[u8], sensitive: &[&str], reason: &dyn std::fmt::Display) -> AttemptError {
    let redacted = Redacted::new(body, sensitive);
    AttemptError::Decode {
        reason: redacted.scrub(&reason.to_string()),
        body_excerpt: redacted.excerpt(),
    }
}

/// The outer object; everything but `Response` is skipped. Only an object is accepted (a derived
/// impl would also take a one-element array).
struct Envelope<'a> {
    response: Option<&'a RawValue>,
}

impl<'de> Deserialize<'de> for Envelope<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Envelope<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Envelope<'de>, A::Error> {
                let mut response = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "Response" {
                        response = map.next_value::<Option<&'de RawValue>>()?;
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Envelope { response })
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The members of `Response` the runtime itself reads.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "Error", default)]
    error: Option<ErrorBody>,
    #[serde(rename = "RequestId", default, deserialize_with = "request_id")]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code", default, deserialize_with = "error_code")]
    code: Option<String>,
    #[serde(rename = "Message", default, deserialize_with = "error_message")]
    message: Option<String>,
}

/// Reads an optional text tolerantly, for the members the runtime reads itself (`RequestId`,
/// `Error.Code`, `Error.Message`): a request id sent as a number must not fail an answer whose
/// output decodes.
///
/// A value that is not text (an object, a list) is an error that names the member by its path.
fn optional_text<'de, D: serde::Deserializer<'de>>(deserializer: D, path: &str) -> Result<Option<String>, D::Error> {
    match Option::<serde_json::Value>::deserialize(deserializer)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(value) => crate::wire::from_value(value, Decoding::Tolerant)
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format_args!("{path}: {e}"))),
    }
}

fn request_id<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    optional_text(deserializer, "RequestId")
}

fn error_code<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    optional_text(deserializer, "Error.Code")
}

fn error_message<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    optional_text(deserializer, "Error.Message")
}

#[cfg(test)]
#[allow(unexpected_cfgs, dead_code)] // `model!` gates serde impls on a `serde` feature and writes every setter.
mod tests {
    use super::*;

    crate::model! {
        /// A response with a secret.
        pub struct Output / OutputBuilder {
            /// The secret.
            req secret_key: String = "SecretKey",
            /// The request id.
            req request_id: String = "RequestId",
        }
    }

    crate::model! {
        /// A zone.
        pub struct Zone / ZoneBuilder {
            /// Its area.
            req area: u64 = "Area",
        }
    }

    crate::model! {
        /// Zones.
        pub struct Zones / ZonesBuilder {
            /// The zones.
            req zones: Vec<Zone> = "Zones",
        }
    }

    crate::model! {
        /// A secret that should be a number.
        pub struct Numeric / NumericBuilder {
            /// The secret.
            req secret_key: u64 = "SecretKey",
        }
    }

    const SENSITIVE: &[&str] = &["SecretKey"];

    fn decode<O: WireValue>(status: u16, body: &str, sensitive: &[&str]) -> Result<(O, Option<String>), AttemptError> {
        let success = classify(status, body.as_bytes(), sensitive)?;
        Ok((decode_output(&success, sensitive)?, success.request_id))
    }

    fn run(status: u16, body: &str) -> Result<(Output, Option<String>), AttemptError> {
        decode(status, body, SENSITIVE)
    }

    #[test]
    fn success_decodes_the_response_member() {
        let (output, request_id) = run(200, r#"{"Response":{"SecretKey":"abc=","RequestId":"r-1"}}"#).unwrap();
        assert_eq!(
            output,
            Output::builder().secret_key("abc=").request_id("r-1").build().unwrap()
        );
        assert_eq!(request_id.as_deref(), Some("r-1"));
    }

    #[test]
    fn error_member_becomes_a_service_error_even_if_the_output_would_fit() {
        let body =
            r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad sig"},"RequestId":"r-2"}}"#;
        match run(200, body) {
            Err(AttemptError::Service(e)) => {
                assert_eq!(e, ServiceError::new("AuthFailure.SignatureFailure", "bad sig", "r-2"))
            }
            other => panic!("expected a service error, got {other:?}"),
        }
        assert!(matches!(
            classify(200, body.as_bytes(), &[]),
            Err(AttemptError::Service(_))
        ));
    }

    #[test]
    fn members_the_runtime_reads_are_named_when_they_are_not_text() {
        for (body, reason) in [
            (
                r#"{"Response":{"RequestId":{}}}"#,
                "RequestId: invalid type: map, expected a string at line 1 column 28",
            ),
            (
                r#"{"Response":{"Error":{"Code":[1]},"RequestId":"r"}}"#,
                "Error.Code: invalid type: sequence, expected a string at line 1 column 33",
            ),
            (
                r#"{"Response":{"Error":{"Code":"C","Message":{}},"RequestId":"r"}}"#,
                "Error.Message: invalid type: map, expected a string at line 1 column 46",
            ),
            // Lines after the first keep their column; the line is counted from the body's start.
            (
                "{\n  \"Response\": {\n    \"RequestId\": 1e999}}",
                "number out of range at line 3 column 22",
            ),
        ] {
            match run(200, body) {
                Err(AttemptError::Decode { reason: got, .. }) => assert_eq!(got, reason),
                other => panic!("{body}: expected a decode error, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_number_out_of_range_in_the_output_is_located_in_the_body() {
        match decode::<Zones>(200, "{\"Response\":\n{\"Zones\":[{\"Area\":1e999}]}}", &[]) {
            Err(AttemptError::Decode { reason, .. }) => {
                assert_eq!(reason, "number out of range at line 2 column 23")
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        match decode::<Zones>(200, r#"{"Response":{"Zones":[{"Area":1e999}]}}"#, &[]) {
            Err(AttemptError::Decode { reason, .. }) => {
                assert_eq!(reason, "number out of range at line 1 column 35")
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn error_without_a_code_is_undecodable() {
        match run(200, r#"{"Response":{"Error":{"Message":"?"}}}"#) {
            Err(AttemptError::Decode { reason, .. }) => assert_eq!(reason, "Response.Error has no Code"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_without_a_response_object_is_missing_response() {
        for body in [
            r#"{"Other":1}"#,
            r#"{"Response":null}"#,
            r#"{"Response":"text"}"#,
            r#"{"Response":[1]}"#,
            r#"[{"Response":{}}]"#,
            "[1,2]",
            "42",
        ] {
            match run(200, body) {
                Err(AttemptError::MissingResponse { body_excerpt }) => assert_eq!(body_excerpt, body),
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn non_json_is_undecodable() {
        for body in ["", "<html>oops</html>", r#"{"Response":{"#, r#"{"Response":{}"#] {
            match run(200, body) {
                Err(AttemptError::Decode { body_excerpt, .. }) => assert_eq!(body_excerpt, body),
                other => panic!("{body:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn other_statuses_keep_an_excerpt_of_the_body() {
        let html = format!("<html><body>{}</body></html>", "Internal Server Error ".repeat(20));
        match run(500, &html) {
            Err(AttemptError::HttpStatus { status, body_excerpt }) => {
                assert_eq!(status, 500);
                assert_eq!(body_excerpt.chars().count(), 201);
                assert!(html.starts_with(body_excerpt.trim_end_matches('…')));
            }
            other => panic!("{other:?}"),
        }
        // A JSON error envelope with a non-200 status is still an HTTP failure.
        let body = r#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r"}}"#;
        assert!(matches!(
            run(502, body),
            Err(AttemptError::HttpStatus { status: 502, .. })
        ));
    }

    #[test]
    fn the_members_the_runtime_reads_are_tolerant_too() {
        let body = r#"{"Response":{"Error":{"Code":"InternalError","Message":7},"RequestId":123}}"#;
        match run(200, body) {
            Err(AttemptError::Service(e)) => {
                assert_eq!((e.code(), e.message(), e.request_id()), ("InternalError", "7", "123"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_member_that_does_not_decode_is_named_by_its_path_in_response() {
        let body = r#"{"Response":{"Zones":[{"Area":1},{"Area":2},{"Area":3},{"Area":"global"}],"RequestId":"r"}}"#;
        match decode::<Zones>(200, body, &[]) {
            Err(AttemptError::Decode { reason, .. }) => assert_eq!(
                reason,
                "Zones[3].Area: invalid value: string \"global\", expected a non-negative integer (or a string holding one)"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn output_mismatch_is_undecodable_without_leaking_the_secret() {
        // The secret is present but another member is missing; serde names the missing field.
        let body = r#"{"Response":{"SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="}}"#;
        match run(200, body) {
            Err(AttemptError::Decode { reason, body_excerpt }) => {
                assert_eq!(reason, "Output: missing field RequestId");
                assert_eq!(body_excerpt, r#"{"Response":{"SecretKey":"** redacted **"}}"#);
            }
            other => panic!("{other:?}"),
        }
        // A decoder message that quotes the secret is scrubbed.
        match decode::<Numeric>(200, body, SENSITIVE) {
            Err(AttemptError::Decode { reason, body_excerpt }) => {
                assert!(
                    !reason.contains("b8sf") && !body_excerpt.contains("b8sf"),
                    "{reason} / {body_excerpt}"
                );
                assert!(reason.contains("** redacted **"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_3_mb_message_is_kept_whole_and_shown_cut() {
        let message = "m".repeat(3 * 1024 * 1024);
        let body = serde_json::json!({
            "Response": { "Error": { "Code": "InternalError", "Message": message }, "RequestId": "r-big" }
        })
        .to_string();
        match run(200, &body) {
            Err(AttemptError::Service(e)) => {
                assert_eq!(e.message(), message);
                assert_eq!(
                    e.to_string(),
                    format!(
                        "InternalError: {}… [cut: 3145728 bytes in all] (request id r-big)",
                        "m".repeat(500)
                    )
                );
            }
            other => panic!("expected a service error, got {other:?}"),
        }
    }

    #[test]
    fn a_decoder_message_quoting_a_huge_string_is_kept_whole_until_the_error_is_made() {
        // `Error` must be an object; serde quotes the whole string it found instead.
        let value = "v".repeat(3 * 1024 * 1024);
        let body = format!(r#"{{"Response":{{"Error":"{value}","RequestId":"r"}}}}"#);
        match run(200, &body) {
            Err(AttemptError::Decode { reason, body_excerpt }) => {
                // Cut in `into_error`, after the request's secrets are scrubbed out of it.
                assert_eq!(
                    reason,
                    format!("invalid type: string \"{value}\", expected struct ErrorBody at line 1 column 3145751")
                );
                assert_eq!(body_excerpt, format!(r#"{{"Response":{{"Error":"{}…"#, "v".repeat(178)));
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn truncated_success_body_does_not_leak_the_secret() {
        let body = r#"{"Response":{"RequestId":"r-3","SecretKey":"b8sfnemqzF5TNCwwtshVmG/gy"#;
        match run(200, body) {
            Err(AttemptError::Decode { reason, body_excerpt }) => {
                assert_eq!(
                    body_excerpt,
                    r#"{"Response":{"RequestId":"r-3","SecretKey":"** redacted **""#
                );
                assert!(reason.contains("EOF"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}
