//! Bad input at volume, on stable: bounded property-based runs (proptest) of the response
//! decoder of every shipped action (arbitrary bytes and mutated example answers, read through the
//! generated client's table of actions by name, `Client::visit_action`, and the same reader a
//! call uses), the envelope and error parsing, the spec loader and the importer (mutated specs
//! and official descriptions). Each input must end in a value or an error, never a panic, and
//! every error must be bounded and say where.
//!
//! The same checks (`fuzz/checks.rs`, included below) are run coverage-guided by `fuzz/`
//! (`cargo +nightly fuzz run ...`); the corpora it kept (`fuzz/corpus/`) and the failures it found
//! (`fuzz/regressions/`) are replayed here, so CI needs no nightly. `PROPTEST_CASES` raises the
//! count of cases.

#[path = "../../fuzz/checks.rs"]
mod checks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::{json, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// Every shipped action's wire name.
fn all_actions() -> Vec<&'static str> {
    checks::actions().collect()
}

/// Each action's answer as the service sends it (`{"Response": {...}}`): from the spec's first
/// example, or, for an action without one, from its output members' own examples (lists empty).
fn example_answers() -> &'static BTreeMap<String, Value> {
    static ANSWERS: OnceLock<BTreeMap<String, Value>> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        let spec: Value = serde_json::from_str(&read("spec/teo-2022-09-01.json")).unwrap();
        let actions = spec["actions"].as_object().unwrap();
        actions
            .iter()
            .map(|(name, action)| {
                let mut output = match action["examples"].get(0) {
                    Some(example) => example["output"].clone(),
                    None => Value::Object(
                        action["output"]
                            .as_object()
                            .unwrap()
                            .iter()
                            .filter_map(|(member, m)| match (&m["example"], m["type"].get("list")) {
                                (e, _) if !e.is_null() => Some((member.clone(), e.clone())),
                                (_, Some(_)) => Some((member.clone(), json!([]))),
                                _ => None,
                            })
                            .collect(),
                    ),
                };
                output["RequestId"] = "ex-1".into();
                (name.clone(), json!({ "Response": output }))
            })
            .collect()
    })
}

fn example_answer(action: &str) -> Vec<u8> {
    serde_json::to_vec(&example_answers()[action]).unwrap()
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

/// Wrong values put in place of a member: other types, out-of-range numbers, odd text.
const WRONG_VALUES: &[&str] = &[
    "null",
    "\"\\u0000x\"",
    "{}",
    "[{}]",
    "[[1]]",
    "-1",
    "1.5",
    "1e999",
    "18446744073709551616",
    "true",
    "\"\"",
];

/// The table of actions by name holds exactly the spec's actions, and every one of them reads
/// its own example answer back to the same JSON.
#[test]
fn every_action_reads_its_example_answer() {
    let actions = all_actions();
    assert_eq!(actions.len(), 238, "the client ships the whole TEO API");
    assert_eq!(
        actions.iter().copied().collect::<std::collections::BTreeSet<_>>(),
        example_answers().keys().map(String::as_str).collect(),
    );
    for action in actions {
        let answer = &example_answers()[action];
        let output = checks::answer_as(action, 200, &example_answer(action))
            .unwrap_or_else(|| panic!("{action}: its example answer does not decode"));
        // The output holds what the example holds; members the example gives as null are left
        // out, as are members it does not give.
        assert_eq!(
            without_nulls(output),
            without_nulls(answer["Response"].clone()),
            "{action}: the example answer does not read back"
        );
    }
}

/// `value` without the object members that are null, at any depth.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// For every action and every member of its example answer: a wrong value in the member's place
/// is read (tolerantly) or refused with an error that names the member; the body cut short is
/// refused. Deterministic, so each of the 238 actions is covered on every run.
#[test]
fn every_action_refuses_wrong_members_by_name() {
    let (mut read_anyway, mut refused, mut cut) = (0, 0, 0);
    for action in all_actions() {
        let answer = &example_answers()[action];
        let members: Vec<&String> = answer["Response"].as_object().unwrap().keys().collect();
        for member in members {
            for wrong in WRONG_VALUES {
                let mut broken = answer.clone();
                broken["Response"][member.as_str()] = serde_json::from_str(wrong).unwrap_or(Value::Null);
                let mut body = serde_json::to_vec(&broken).unwrap();
                if *wrong == "1e999" {
                    // Out of range for serde_json's own numbers: put the literal text in.
                    body = serde_json::to_string(&broken)
                        .unwrap()
                        .replacen(&format!("\"{member}\":null"), &format!("\"{member}\":{wrong}"), 1)
                        .into_bytes();
                }
                let read = generated_client::Client::visit_action(
                    action,
                    generated_client::runtime::dynamic::ReadAnswer::new(200, &body),
                )
                .unwrap();
                match read {
                    Ok(_) => read_anyway += 1,
                    Err(e) => {
                        checks::check_answer_error(action, &e);
                        let text = e.to_string();
                        if *wrong == "1e999" {
                            // The JSON reader refuses the number itself: the error gives its
                            // line and column in the body.
                            let text_body = String::from_utf8_lossy(&body);
                            let at = text_body.find(&format!("\"{member}\":1e999")).unwrap() + member.len() + 3;
                            let column =
                                (at + 1..=at + wrong.len()).find(|c| text.contains(&format!("line 1 column {c})")));
                            assert!(column.is_some(), "{action}: {member} = {wrong}: not located: {text}");
                        } else {
                            // A member is named by its path inside `Response`.
                            assert!(
                                text.contains(member.as_str()),
                                "{action}: {member} = {wrong}: the error does not name the member: {text}"
                            );
                        }
                        refused += 1;
                    }
                }
            }
        }
        let whole = example_answer(action);
        for at in [1, whole.len() / 3, whole.len() / 2, whole.len() - 1] {
            let read = checks::answer_as(action, 200, &whole[..at]);
            assert!(read.is_none(), "{action}: a body cut at {at} of {} read", whole.len());
            cut += 1;
        }
    }
    // Both outcomes happen: tolerant reading (numbers as text and back) and refusals.
    assert!(read_anyway > 0 && refused > 0, "{read_anyway} read, {refused} refused");
    println!(
        "FIGURE {} actions: {} answers with a wrong member ({read_anyway} read, {refused} refused naming it), {cut} cut short and refused",
        all_actions().len(),
        read_anyway + refused,
    );
}

/// Cases per property: 512, or `PROPTEST_CASES` when set.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

fn statuses() -> impl Strategy<Value = u16> {
    prop::sample::select(vec![200u16, 200, 200, 400, 502, 503, 504])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_as_any_actions_answer(
        action in prop::sample::select(all_actions()),
        status in statuses(),
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        checks::answer_as(action, status, &body);
    }

    #[test]
    fn mutated_answers_of_every_action(
        action in prop::sample::select(all_actions()),
        // The answer of one action is also read as another's: shapes that nearly fit.
        other in prop::sample::select(all_actions()),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let body = apply(example_answer(action), &edits);
        checks::answer_as(action, 200, &body);
        checks::answer_as(other, 200, &body);
    }

    #[test]
    fn mutated_error_envelopes_of_every_action(
        action in prop::sample::select(all_actions()),
        edits in prop::collection::vec(edit(), 1..6),
        message in ".{0,64}",
    ) {
        let body = serde_json::to_vec(&json!({"Response": {
            "Error": {"Code": "InvalidParameter.ActionInProgress", "Message": message},
            "RequestId": "r-1"}})).unwrap();
        checks::answer_as(action, 200, &apply(body, &edits));
    }

    #[test]
    fn mutated_specs_load_or_say_where(edits in prop::collection::vec(edit(), 1..4)) {
        checks::spec(&apply(read("tests/fixtures/every-feature.json").into_bytes(), &edits));
    }

    #[test]
    fn mutated_descriptions_import_or_say_where(edits in prop::collection::vec(edit(), 1..4)) {
        checks::import(&apply(read("tests/fixtures/official-mini.json").into_bytes(), &edits));
    }
}

/// The files of one kept directory, sorted; none when it does not exist.
fn files(dir: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

/// Runs `check` on every file of `dirs`, naming the file should it fail; gives the count.
fn replay(dirs: &[&str], check: fn(&[u8])) -> usize {
    let mut count = 0;
    for dir in dirs {
        for path in files(dir) {
            let bytes = std::fs::read(&path).unwrap();
            if let Err(panic) = std::panic::catch_unwind(|| check(&bytes)) {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                panic!("{}: {why}", path.display());
            }
            count += 1;
        }
    }
    count
}

/// The corpora the fuzzers kept (minimized) and the failures they found, through the same checks
/// the fuzz targets make: CI replays them on stable.
#[test]
fn kept_corpora_and_regressions_replay() {
    for (target, check) in [
        ("answer", checks::answer as fn(&[u8])),
        ("spec", checks::spec),
        ("import", checks::import),
    ] {
        let corpus = format!("fuzz/corpus/{target}");
        let replayed = replay(&[&corpus, &format!("fuzz/regressions/{target}")], check);
        // The kept corpora are committed, minimized and capped (`fuzz/cap-corpus.py`): an empty
        // directory means they were lost, a big one that they grew without being minimized.
        let kept = files(&corpus);
        let bytes: u64 = kept.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
        assert!(
            (100..=300).contains(&kept.len()) && bytes <= 1_000_000,
            "{corpus}: {} files, {bytes} bytes",
            kept.len()
        );
        assert!(replayed > kept.len(), "{target}: the regressions were not replayed");
        println!(
            "FIGURE {target}: {replayed} kept inputs replayed ({} corpus files, {bytes} bytes)",
            kept.len()
        );
    }
}

/// A failure found by a fuzzer that was a body alone (before inputs named their action) is read
/// as every action's answer.
#[test]
fn regressions_read_as_every_actions_answer() {
    for path in files("fuzz/regressions/answer") {
        let bytes = std::fs::read(&path).unwrap();
        let (_, _, body) = checks::split_answer(&bytes);
        for action in all_actions() {
            checks::answer_as(action, 200, &bytes);
            checks::answer_as(action, 200, body);
        }
    }
}
