//! Decodes every example of official examples files (Tencent's `examples.json` format, or the
//! project's fixtures in it) with a crate generated from the matching description, through the
//! decoder table `decode-table` writes beside this file (`table.rs`).
//!
//! `.ci/official-examples` builds this program; it is not a workspace member.
//!
//! usage: check EXAMPLES.json... [--bench]
//!
//! For each file it prints how many example requests and responses decode (tolerantly, as the
//! client reads them) out of those whose text is JSON, how many would also pass a strict decode
//! (the spec's types exactly), and why each strict failure failed; texts that are not JSON at
//! all are listed. It exits 1 when any JSON example fails to decode, or when a fixture's
//! `expect_error` does not match. `--bench` then times decoding the largest response, tolerant
//! against strict, in interleaved rounds, and prints the ratio.

mod table;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use serde::Deserialize;
use serde_json::value::RawValue;
use tencentcloud_runtime::wire::Decoding;

/// One example, as the official files hold it. `expect_error` is the project's own addition for
/// fixtures: the exact decode error the response must give.
#[derive(Deserialize)]
struct Example {
    #[serde(default)]
    input: String,
    #[serde(default)]
    output: String,
    #[serde(default)]
    expect_error: Option<String>,
}

#[derive(Deserialize)]
struct ExamplesFile {
    actions: BTreeMap<String, Vec<Example>>,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Response", borrow)]
    response: &'a RawValue,
}

#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(rename = "Error", borrow, default)]
    error: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "Code", default)]
    code: Option<String>,
}

/// Counts for one direction (requests or responses) of one file. `json` counts the examples
/// whose text is JSON (for responses: in the API's envelope, and not a fixture's expected
/// failure); each of them either decodes or is a failure.
#[derive(Default)]
struct Counts {
    json: usize,
    decoded: usize,
    strict: usize,
    error_answers: usize,
}

#[derive(Default)]
struct Tally {
    examples: usize,
    requests: Counts,
    responses: Counts,
    not_json: Vec<String>,
    not_envelope: Vec<String>,
    failures: Vec<String>,
    strict_failures: Vec<String>,
    expected: usize,
}

/// The request body of an example: the JSON after the HTTP head (some examples leave out the
/// blank line before it, so it starts at the first `{`).
fn request_body(input: &str) -> &str {
    input.find('{').map_or("", |at| &input[at..])
}

fn check_file(path: &str, largest: &mut Option<(usize, String, String)>) -> Result<Tally, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let file: ExamplesFile = serde_json::from_str(&text).map_err(|e| format!("{path}: not an examples file: {e}"))?;
    let mut t = Tally::default();
    for (action, examples) in &file.actions {
        let (Some(request), Some(response)) = (table::request(action), table::response(action)) else {
            t.failures
                .push(format!("{action}: not an action of the generated crate"));
            continue;
        };
        for (i, example) in examples.iter().enumerate() {
            t.examples += 1;
            let at = format!("{action} example {}", i + 1);
            let body = request_body(&example.input);
            match serde_json::from_str::<&RawValue>(body) {
                Err(e) => t.not_json.push(format!("{at} request: {e}")),
                Ok(_) => {
                    t.requests.json += 1;
                    match request(body, Decoding::Tolerant) {
                        Ok(()) => t.requests.decoded += 1,
                        Err(e) => t.failures.push(format!("{at} request: {e}")),
                    }
                    match request(body, Decoding::Strict) {
                        Ok(()) => t.requests.strict += 1,
                        Err(e) => t.strict_failures.push(format!("{at} request: {e}")),
                    }
                }
            }
            if let Err(e) = serde_json::from_str::<&RawValue>(&example.output) {
                t.not_json.push(format!("{at} response: {e}"));
                continue;
            }
            let envelope = match serde_json::from_str::<Envelope>(&example.output) {
                Ok(envelope) => envelope,
                Err(e) => {
                    // JSON, but not `{"Response": {...}}`: the client reports `MissingResponse`.
                    t.not_envelope.push(format!("{at} response: {e}"));
                    continue;
                }
            };
            let inner = envelope.response.get();
            if example.expect_error.is_none() {
                t.responses.json += 1;
            }
            let error = serde_json::from_str::<Probe>(inner).ok().and_then(|p| p.error);
            if let Some(error) = error {
                // An error answer: the client reads its code into a service error.
                match serde_json::from_str::<ErrorBody>(error.get()) {
                    Ok(ErrorBody { code: Some(code) }) if !code.is_empty() && example.expect_error.is_none() => {
                        t.responses.error_answers += 1;
                    }
                    Ok(_) if example.expect_error.is_some() => t
                        .failures
                        .push(format!("{at} response: expected a decode error, got an error answer")),
                    _ => t.failures.push(format!("{at} response: Response.Error has no Code")),
                }
                continue;
            }
            let tolerant = response(inner, Decoding::Tolerant);
            match (&example.expect_error, tolerant) {
                (None, Ok(())) => t.responses.decoded += 1,
                (None, Err(e)) => t.failures.push(format!("{at} response: {e}")),
                (Some(want), Err(e)) if e.to_string() == *want => t.expected += 1,
                (Some(want), got) => t.failures.push(format!(
                    "{at} response: expected the error {want:?}, got {:?}",
                    got.map_err(|e| e.to_string())
                )),
            }
            if example.expect_error.is_some() {
                continue;
            }
            match response(inner, Decoding::Strict) {
                Ok(()) => {
                    t.responses.strict += 1;
                    if largest.as_ref().map_or(true, |(len, ..)| inner.len() > *len) {
                        *largest = Some((inner.len(), action.clone(), inner.to_owned()));
                    }
                }
                Err(e) => t.strict_failures.push(format!("{at} response: {e}")),
            }
        }
    }
    Ok(t)
}

fn report(path: &str, t: &Tally) {
    println!("{path}: {} examples", t.examples);
    println!(
        "  requests:  {}/{} decode ({} of them strictly, with the spec's types exactly)",
        t.requests.decoded, t.requests.json, t.requests.strict
    );
    println!(
        "  responses: {}/{} decode: {} into the response type ({} of them strictly), {} error answers into a service error",
        t.responses.decoded + t.responses.error_answers,
        t.responses.json,
        t.responses.decoded,
        t.responses.strict,
        t.responses.error_answers
    );
    if t.expected > 0 {
        println!(
            "  {} fixture responses fail with exactly the expected error",
            t.expected
        );
    }
    let heading = |count: usize, what: &str| format!("  {count} upstream {what}:");
    list(
        &heading(t.not_json.len(), "texts are not JSON, so there is nothing to decode"),
        &t.not_json,
    );
    list(
        &heading(
            t.not_envelope.len(),
            "responses are JSON but not the API's envelope (the client reports MissingResponse)",
        ),
        &t.not_envelope,
    );
    list(
        "  drift a strict decoder would fail on (the tolerant one reads it):",
        &t.strict_failures,
    );
    for line in &t.failures {
        println!("  FAILED {line}");
    }
}

/// Prints `heading` and then each line, indented; nothing when there are no lines.
fn list(heading: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    println!("{heading}");
    for line in lines {
        println!("    {line}");
    }
}

/// Times `rounds` rounds of `per_round` decodes each way, alternating which goes first, and
/// returns the median ratio tolerant/strict and the median nanoseconds per decode of each.
fn bench(decode: table::Decode, body: &str, rounds: usize, per_round: usize) -> (f64, f64, f64) {
    let time = |decoding: Decoding| {
        let start = Instant::now();
        for _ in 0..per_round {
            let _ = std::hint::black_box(decode(std::hint::black_box(body), decoding));
        }
        start.elapsed().as_nanos() as f64 / per_round as f64
    };
    time(Decoding::Tolerant);
    time(Decoding::Strict);
    let (mut ratios, mut tolerant, mut strict) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (t, s) = if round % 2 == 0 {
            let t = time(Decoding::Tolerant);
            (t, time(Decoding::Strict))
        } else {
            let s = time(Decoding::Strict);
            (time(Decoding::Tolerant), s)
        };
        ratios.push(t / s);
        tolerant.push(t);
        strict.push(s);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(ratios), median(tolerant), median(strict))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench_mode = args.iter().any(|a| a == "--bench");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("usage: check EXAMPLES.json... [--bench]");
        return ExitCode::from(2);
    }
    println!("decoder table: {} actions", table::ACTIONS.len());
    let mut ok = true;
    let mut largest = None;
    for path in files {
        match check_file(path, &mut largest) {
            Ok(t) => {
                report(path, &t);
                ok &= t.failures.is_empty();
            }
            Err(e) => {
                eprintln!("error: {e}");
                ok = false;
            }
        }
    }
    if bench_mode {
        match largest
            .as_ref()
            .and_then(|(len, action, body)| Some((len, action, body, table::response(action)?)))
        {
            Some((len, action, body, decode)) => {
                let (ratio, t, s) = bench(decode, body, 21, 200);
                println!(
                    "bench: {action} response ({len} bytes), the largest that decodes strictly: tolerant {:.1} µs, strict {:.1} µs, ratio {ratio:.3} (median of 21 interleaved rounds of 200)",
                    t / 1e3,
                    s / 1e3
                );
            }
            None => println!("bench: no response decodes strictly; nothing to compare"),
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
