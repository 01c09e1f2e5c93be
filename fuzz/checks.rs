//! The checks the fuzz targets make, in one file that both the targets (`fuzz_targets/*.rs`) and
//! the stable replay of the kept corpora (`tests/tests/bad_input_props.rs`) include, so the two
//! cannot drift apart. Each check panics on a broken rule: a crash for libFuzzer, a failure
//! (shrunk, for proptest) in `cargo test`.
//!
//! Rules, for any input: an answer ends in a value or an error of one of the kinds an answer can
//! give, whose text is bounded; a spec or an official description ends in output or in
//! diagnostics that each say where (a JSON path, or a line and column from 1) and are bounded.

#![allow(dead_code)] // Each includer uses its own subset.

use codegen::diag::{Diagnostics, Location};
use generated_client::runtime::dynamic::ReadAnswer;
use generated_client::runtime::{Error, FromHandle, ServiceError};

/// The most an error's or a diagnostic's `Display` may print for any input.
pub const MAX_ERROR_TEXT: usize = 4 * 1024;

/// The most characters of a body an error quotes.
pub const MAX_EXCERPT_CHARS: usize = 1024;

/// The wire names of every action the generated client ships (all categories: `full`).
pub fn actions() -> impl Iterator<Item = &'static str> {
    <generated_client::Client as FromHandle>::SERVICE
        .actions
        .iter()
        .map(|a| a.name)
}

/// An input of the `answer` target: a first line `STATUS ACTION` (`200 DescribeZones`), then
/// the body. A first line that does not parse still picks an action (by a hash of the line) and
/// status 200, so every input decodes as some action's answer.
pub fn split_answer(data: &[u8]) -> (u16, &'static str, &[u8]) {
    let (line, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&data[..0], data),
    };
    let all = <generated_client::Client as FromHandle>::SERVICE.actions;
    let text = String::from_utf8_lossy(line);
    let mut words = text.split(' ');
    let status = words.next().and_then(|s| s.parse::<u16>().ok());
    let named = words.next().and_then(|name| all.iter().find(|a| a.name == name));
    match (status, named) {
        (Some(status), Some(action)) => (status, action.name, body),
        _ => {
            let hash = line
                .iter()
                .fold(0usize, |h, &b| h.wrapping_mul(31).wrapping_add(usize::from(b)));
            (200, all[hash % all.len()].name, body)
        }
    }
}

/// The `answer` target: the input split by [`split_answer`], read as that action's answer.
pub fn answer(data: &[u8]) {
    let (status, action, body) = split_answer(data);
    answer_as(action, status, body);
}

/// Reads `body` with `status` as an answer of `action`, through the generated client's table of
/// actions by name and the runtime's reader (the code a call runs), and checks the outcome.
/// Gives the decoded output back, when there is one.
pub fn answer_as(action: &str, status: u16, body: &[u8]) -> Option<serde_json::Value> {
    let outcome = generated_client::Client::visit_action(action, ReadAnswer::new(status, body))
        .unwrap_or_else(|| panic!("{action} is not in the client's table of actions"));
    match outcome {
        Ok(output) => {
            assert_eq!(status, 200, "{action}: only a 200 answer decodes");
            Some(output)
        }
        Err(e) => {
            check_answer_error(action, &e);
            None
        }
    }
}

/// An answer's error is one an answer can give, and bounded.
pub fn check_answer_error(action: &str, e: &Error<ServiceError>) {
    let text = e.to_string();
    assert!(
        text.len() <= MAX_ERROR_TEXT,
        "{action}: an error of {} bytes: {}",
        text.len(),
        text.chars().take(200).collect::<String>()
    );
    assert!(
        format!("{e:?}").len() <= 2 * MAX_ERROR_TEXT,
        "{action}: an unbounded Debug"
    );
    match e {
        Error::Service(s) => assert!(!s.code().is_empty(), "{action}: a service error without a code"),
        Error::Decode { body_excerpt, .. }
        | Error::MissingResponse { body_excerpt }
        | Error::HttpStatus { body_excerpt, .. } => assert!(
            body_excerpt.chars().count() <= MAX_EXCERPT_CHARS,
            "{action}: an excerpt of {} characters",
            body_excerpt.chars().count()
        ),
        other => panic!("{action}: an answer cannot fail this way: {other:?}"),
    }
}

/// Every diagnostic says where (a JSON path, or a line and column from 1) and is short.
pub fn check_diagnostics(diags: &Diagnostics) {
    for d in diags.iter() {
        if let Location::Text { line, column } = d.location {
            assert!(
                line >= 1 && column >= 1,
                "a diagnostic at line {line}, column {column}: {d}"
            );
        }
        assert!(!d.message.is_empty(), "a diagnostic without a message");
        let text = d.to_string();
        assert!(
            text.len() <= MAX_ERROR_TEXT,
            "a diagnostic of {} bytes: {}",
            text.len(),
            text.chars().take(200).collect::<String>()
        );
    }
}

/// The `spec` target: any text as a spec, through the loader, validator and generator.
pub fn spec(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match codegen::generate(&text, "fuzz.json") {
        Ok(files) => assert!(!files.is_empty(), "a spec that generates nothing"),
        Err(diags) => {
            assert!(!diags.is_empty(), "a failure without a diagnostic");
            check_diagnostics(&diags);
        }
    }
}

/// The `import` target: any text as an official description (`api.json`), parsed and imported
/// whole into a new spec.
pub fn import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut diags = Diagnostics::default();
    let official = codegen::official::parse(&text, &mut diags);
    check_diagnostics(&diags);
    let Some(official) = official else {
        assert!(!diags.is_empty(), "a description refused without a diagnostic");
        return;
    };
    let mut spec = codegen::new_spec::new_spec(&official, None);
    let options = codegen::import::Options {
        all: true,
        ..Default::default()
    };
    match codegen::import::import(&mut spec, &official, &options) {
        Ok(report) => {
            for line in report.lines() {
                assert!(line.len() <= MAX_ERROR_TEXT, "a report line of {} bytes", line.len());
            }
        }
        Err(diags) => check_diagnostics(&diags),
    }
}
