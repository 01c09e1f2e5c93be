//! Bad input at volume, on stable: bounded property-based runs (proptest) of the response
//! decoder (arbitrary bytes and mutated example answers of shipped actions, through the same
//! code a call uses: `dispatch::read_answer`), the envelope and error parsing, the spec loader
//! and the importer (mutated specs and official descriptions). Each input must end in a value
//! or an error, never a panic, and every error must be bounded and say where.
//!
//! The same inputs are fuzzed coverage-guided by `fuzz/` (`cargo +nightly fuzz run ...`); the
//! failures it found are kept below as regression cases. `PROPTEST_CASES` raises the count.

use codegen::diag::{Diagnostics, Location};
use generated_client::models::{
    CreateMultiPathGatewaySecretKeyResponse, DescribeDnsRecordsResponse, DescribeL7AccRulesResponse,
    DescribeMultiPathGatewaySecretKeyResponse, DescribePurgeTasksResponse, DescribeZonesResponse,
};
use generated_client::runtime::dispatch::read_answer;
use generated_client::runtime::wire::WireValue;
use generated_client::runtime::{ActionMeta, Error, FromHandle, ServiceError};
use proptest::prelude::*;

/// The most an error's `Display` may print for any input (excerpts and messages are cut).
const MAX_ERROR_TEXT: usize = 4 * 1024;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

fn meta(name: &str) -> &'static ActionMeta {
    <generated_client::Client as FromHandle>::SERVICE
        .actions
        .iter()
        .find(|a| a.name == name)
        .unwrap()
}

/// A successful answer of `action` from the spec's first example, as the service sends it.
fn example_answer(action: &str) -> Vec<u8> {
    let spec: serde_json::Value = serde_json::from_str(&read("spec/teo-2022-09-01.json")).unwrap();
    let mut output = spec["actions"][action]["examples"][0]["output"].clone();
    output["RequestId"] = "ex-1".into();
    serde_json::to_vec(&serde_json::json!({ "Response": output })).unwrap()
}

/// Some edits of a byte string: flips, cuts, insertions of JSON-ish tokens.
#[derive(Clone, Debug)]
enum Edit {
    Flip(usize, u8),
    Cut(usize),
    Insert(usize, &'static str),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let tokens = prop::sample::select(vec![
        "null",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\u0000",
        "1e999",
        "-1",
        "18446744073709551616",
        "true",
        "\"Error\":{\"Code\":\"\"}",
        "\"Response\":",
        "{\"Response\":[]}",
        "\u{feff}",
        "\"\\ud800\"",
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        any::<usize>().prop_map(Edit::Cut),
        (any::<usize>(), tokens).prop_map(|(i, t)| Edit::Insert(i, t)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match *e {
            Edit::Flip(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % len] ^= b | 1;
                }
            }
            Edit::Cut(i) => bytes.truncate(i % len),
            Edit::Insert(i, t) => {
                let at = (i % len).min(bytes.len());
                bytes.splice(at..at, t.bytes());
            }
            Edit::Delete(i, n) => {
                let at = (i % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
        }
    }
    bytes
}

/// Reads `body` as an answer of `action` decoded as `O`, and checks the outcome is bounded.
fn check_answer<O: WireValue>(action: &str, status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    match read_answer::<O>(meta(action), status, body) {
        Ok(_) => Ok(()),
        Err(e) => check_error(&e),
    }
}

fn check_error(e: &Error<ServiceError>) -> Result<(), TestCaseError> {
    let text = e.to_string();
    prop_assert!(text.len() <= MAX_ERROR_TEXT, "{} bytes: {}", text.len(), &text[..200]);
    let debug = format!("{e:?}");
    prop_assert!(debug.len() <= 2 * MAX_ERROR_TEXT);
    match e {
        Error::Service(s) => prop_assert!(!s.code().is_empty()),
        // A member that does not decode is named by its path; the excerpt bounds the body.
        Error::Decode { body_excerpt, .. }
        | Error::MissingResponse { body_excerpt }
        | Error::HttpStatus { body_excerpt, .. } => prop_assert!(body_excerpt.chars().count() <= 1024),
        other => prop_assert!(false, "an answer cannot fail this way: {other:?}"),
    }
    Ok(())
}

/// Every diagnostic says where (a JSON path or a line and column) and is short.
fn check_diagnostics(diags: &Diagnostics) -> Result<(), TestCaseError> {
    for d in diags.iter() {
        match &d.location {
            Location::Text { line, column } => prop_assert!(*line >= 1 && *column >= 1),
            Location::Path(_) | Location::MemberExample { .. } => {}
        }
        prop_assert!(!d.message.is_empty());
        prop_assert!(d.to_string().len() <= MAX_ERROR_TEXT, "{}", &d.to_string()[..200]);
    }
    Ok(())
}

/// Decodes one body with each of a range of shipped actions' response types: the small and
/// the large (zones, DNS records, rule trees), with and without sensitive members.
fn every_type(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    check_answer::<DescribeZonesResponse>("DescribeZones", status, body)?;
    check_answer::<DescribeDnsRecordsResponse>("DescribeDnsRecords", status, body)?;
    check_answer::<DescribeL7AccRulesResponse>("DescribeL7AccRules", status, body)?;
    check_answer::<DescribePurgeTasksResponse>("DescribePurgeTasks", status, body)?;
    check_answer::<DescribeMultiPathGatewaySecretKeyResponse>("DescribeMultiPathGatewaySecretKey", status, body)?;
    check_answer::<CreateMultiPathGatewaySecretKeyResponse>("CreateMultiPathGatewaySecretKey", status, body)?;
    check_answer::<serde_json::Value>("DescribeZones", status, body)
}

const ACTIONS: &[&str] = &[
    "DescribeZones",
    "DescribeDnsRecords",
    "DescribeL7AccRules",
    "DescribePurgeTasks",
    "DescribeMultiPathGatewaySecretKey",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512), status in prop::sample::select(vec![200u16, 200, 502, 503])) {
        every_type(status, &body)?;
    }

    #[test]
    fn mutated_answers_of_shipped_actions_never_panic(
        action in prop::sample::select(ACTIONS.to_vec()),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let body = apply(example_answer(action), &edits);
        every_type(200, &body)?;
    }

    #[test]
    fn mutated_error_envelopes_never_panic(edits in prop::collection::vec(edit(), 1..6), message in ".{0,64}") {
        let body = serde_json::to_vec(&serde_json::json!({"Response": {
            "Error": {"Code": "InvalidParameter.ActionInProgress", "Message": message},
            "RequestId": "r-1"}})).unwrap();
        every_type(200, &apply(body, &edits))?;
    }

    #[test]
    fn mutated_specs_load_or_say_where(edits in prop::collection::vec(edit(), 1..4)) {
        let text = apply(read("tests/fixtures/every-feature.json").into_bytes(), &edits);
        let text = String::from_utf8_lossy(&text);
        match codegen::generate(&text, "mutated.json") {
            Ok(files) => prop_assert!(!files.is_empty()),
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                check_diagnostics(&diags)?;
            }
        }
    }

    #[test]
    fn mutated_descriptions_import_or_say_where(edits in prop::collection::vec(edit(), 1..4)) {
        let text = apply(read("tests/fixtures/official-mini.json").into_bytes(), &edits);
        let text = String::from_utf8_lossy(&text);
        let mut diags = Diagnostics::default();
        let Some(official) = codegen::official::parse(&text, &mut diags) else {
            check_diagnostics(&diags)?;
            return Ok(());
        };
        check_diagnostics(&diags)?;
        let mut spec = codegen::new_spec::new_spec(&official, None);
        let options = codegen::import::Options { all: true, ..Default::default() };
        match codegen::import::import(&mut spec, &official, &options) {
            Ok(report) => prop_assert!(report.lines().iter().all(|l| l.len() <= MAX_ERROR_TEXT)),
            Err(diags) => check_diagnostics(&diags)?,
        }
    }
}

/// Inputs the fuzzers found or that once broke a decoder: kept as regression cases.
#[test]
fn regression_cases() {
    for dir in [
        "fuzz/regressions/answer",
        "fuzz/regressions/spec",
        "fuzz/regressions/import",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for entry in entries {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            match dir {
                "fuzz/regressions/answer" => every_type(200, &bytes).unwrap(),
                "fuzz/regressions/spec" => {
                    if let Err(diags) = codegen::generate(&String::from_utf8_lossy(&bytes), "regression.json") {
                        check_diagnostics(&diags).unwrap();
                    }
                }
                _ => {
                    let mut diags = Diagnostics::default();
                    let _ = codegen::official::parse(&String::from_utf8_lossy(&bytes), &mut diags);
                    check_diagnostics(&diags).unwrap();
                }
            }
        }
    }
}
