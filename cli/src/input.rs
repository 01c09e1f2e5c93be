//! The request, from `--cli-input-json` and the flags: each value read by its member's kind and
//! checked before anything is sent, an error naming the flag and the rule.

use std::io::Read as _;

use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::cmdline::member_flag;
use crate::failure::Failure;
use crate::spec_types::{Action, Kind, Member};

/// The most bytes read from a file or standard input for one value (request bodies are far
/// smaller): more is refused rather than held.
const MAX_INPUT_BYTES: u64 = 10 * 1024 * 1024;

/// Reads standard input at most once: `--cli-input-json -` and a secret's `@-` cannot both
/// take it.
#[derive(Default)]
pub struct Stdin {
    taken_by: Option<String>,
}

impl Stdin {
    /// The whole of standard input, for `who` (a flag, for the message when it is taken twice).
    pub fn take(&mut self, who: &str) -> Result<String, Failure> {
        if let Some(first) = &self.taken_by {
            return Err(Failure::usage(format!(
                "{who} reads standard input, but {first} already did; use a file for one of them"
            )));
        }
        self.taken_by = Some(who.to_owned());
        read_limited(std::io::stdin().lock(), who)
    }
}

fn read_limited(reader: impl std::io::Read, who: &str) -> Result<String, Failure> {
    let mut text = String::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| Failure::usage(format!("{who}: cannot read the input: {e}")))?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure::usage(format!(
            "{who}: the input is larger than {MAX_INPUT_BYTES} bytes"
        )));
    }
    Ok(text)
}

/// A file's text (or standard input's, for `-`), for `who`.
pub fn read_source(path: &str, who: &str, stdin: &mut Stdin) -> Result<String, Failure> {
    if path == "-" {
        return stdin.take(who);
    }
    let file = std::fs::File::open(path).map_err(|e| Failure::usage(format!("{who}: cannot read {path}: {e}")))?;
    read_limited(file, who)
}

/// `--cli-input-json`'s object, if given.
pub fn cli_input(path: Option<&String>, stdin: &mut Stdin) -> Result<Map<String, Value>, Failure> {
    let Some(path) = path else {
        return Ok(Map::new());
    };
    let text = read_source(path, "--cli-input-json", stdin)?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::usage("--cli-input-json: the request must be a JSON object")),
        Err(e) => Err(Failure::usage(format!("--cli-input-json: not valid JSON: {e}"))),
    }
}

/// The request: `base` (from `--cli-input-json`) with every member given as a flag set over it.
pub fn request(
    action: &Action,
    matches: &ArgMatches,
    mut base: Map<String, Value>,
    stdin: &mut Stdin,
) -> Result<Map<String, Value>, Failure> {
    for member in action.input {
        let Some(raw) = matches.get_many::<String>(member.wire) else {
            continue;
        };
        let raw: Vec<&String> = raw.collect();
        let value = member_value(member, &raw, stdin)?;
        base.insert(member.wire.to_owned(), value);
    }
    Ok(base)
}

/// Every required member is set (by a flag or `--cli-input-json`); otherwise an error naming
/// each missing one's flag, before anything is sent.
pub fn check_required(action: &Action, request: &Map<String, Value>) -> Result<(), Failure> {
    let missing: Vec<String> = action
        .input
        .iter()
        .filter(|m| m.required && request.get(m.wire).is_none_or(Value::is_null))
        .map(|m| format!("--{} ({}): is required but was not set", member_flag(m), m.wire))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "invalid input, nothing was sent:\n  {}",
            missing.join("\n  ")
        )))
    }
}

/// One member's value from its flag's occurrences.
fn member_value(member: &Member, raw: &[&String], stdin: &mut Stdin) -> Result<Value, Failure> {
    let flag = format!("--{}", member_flag(member));
    let mut texts = Vec::with_capacity(raw.len());
    for text in raw {
        texts.push(if member.sensitive {
            secret(&flag, text, stdin)?
        } else {
            (*text).clone()
        });
    }
    if member.list {
        if let [only] = texts.as_slice() {
            if only.trim_start().starts_with('[') {
                return match serde_json::from_str::<Value>(only) {
                    Ok(list @ Value::Array(_)) => Ok(list),
                    Ok(_) => Err(Failure::usage(format!("{flag}: expected a JSON list"))),
                    Err(e) => Err(Failure::usage(format!("{flag}: not a valid JSON list: {e}"))),
                };
            }
        }
        let values = texts
            .iter()
            .map(|t| scalar(&flag, member.kind, t))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::Array(values));
    }
    match texts.as_slice() {
        [one] => scalar(&flag, member.kind, one),
        _ => Err(Failure::usage(format!("{flag} takes one value"))),
    }
}

/// A secret from `@PATH` or `@-`; a literal is refused before anything is sent.
fn secret(flag: &str, text: &str, stdin: &mut Stdin) -> Result<String, Failure> {
    let Some(source) = text.strip_prefix('@') else {
        return Err(Failure::usage(format!(
            "{flag} is a secret and is not taken on the command line (where the shell's history and the \
             process list would keep it): pass {flag} @PATH to read it from a file, or {flag} @- to read it \
             from standard input"
        )));
    };
    let value = read_source(source, flag, stdin)?;
    // A file written with `echo` ends with a line break that is not part of the secret.
    Ok(value
        .strip_suffix('\n')
        .map(|v| v.strip_suffix('\r').unwrap_or(v))
        .unwrap_or(&value)
        .to_owned())
}

/// One value of `kind` from its text.
fn scalar(flag: &str, kind: Kind, text: &str) -> Result<Value, Failure> {
    let bad = |rule: &str| Failure::usage(format!("{flag}: expected {rule}, got {text:?}"));
    match kind {
        Kind::Str => Ok(Value::String(text.to_owned())),
        Kind::Int => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad(kind.describe())),
        Kind::Uint => text
            .trim()
            .parse::<u64>()
            .map(Value::from)
            .map_err(|_| bad(kind.describe())),
        Kind::Float => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| bad("a finite number")),
        Kind::Bool => match text.trim() {
            "true" | "True" | "TRUE" => Ok(Value::Bool(true)),
            "false" | "False" | "FALSE" => Ok(Value::Bool(false)),
            _ => Err(bad(kind.describe())),
        },
        Kind::Json => serde_json::from_str(text).map_err(|e| Failure::usage(format!("{flag}: not valid JSON: {e}"))),
    }
}

/// `--generate-cli-skeleton`: every member with a placeholder of its type, `(required)` marking
/// the required ones.
pub fn skeleton(action: &Action) -> Value {
    let mut map = Map::new();
    for member in action.input {
        let value = serde_json::from_str(member.skeleton).unwrap_or(Value::Null);
        map.insert(member.wire.to_owned(), value);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_read_by_kind_and_errors_name_the_flag() {
        assert_eq!(scalar("--limit", Kind::Int, "20").unwrap(), Value::from(20));
        let e = scalar("--limit", Kind::Int, "twenty").unwrap_err();
        assert_eq!(e.message, "--limit: expected an integer, got \"twenty\"");
        assert_eq!(e.code, crate::failure::USAGE);
        assert_eq!(scalar("--fuzzy", Kind::Bool, "false").unwrap(), Value::Bool(false));
        assert!(scalar("--x", Kind::Float, "NaN").is_err());
        assert_eq!(
            scalar("--x", Kind::Uint, "-1").unwrap_err().message,
            "--x: expected a non-negative integer, got \"-1\""
        );
    }

    #[test]
    fn a_literal_secret_is_refused_with_how_to_pass_it() {
        let e = secret("--secret-key", "hunter2", &mut Stdin::default()).unwrap_err();
        assert!(e.message.contains("--secret-key @PATH"), "{}", e.message);
        assert!(!e.message.contains("hunter2"));
    }

    #[test]
    fn the_skeleton_marks_required_members() {
        let action = crate::spec_types::find_action("create-dns-record").unwrap();
        let s = skeleton(action);
        assert_eq!(s["ZoneId"], "string (required)");
        assert_eq!(s["TTL"], "int64");
    }
}
