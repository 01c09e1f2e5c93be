//! Reading a parsed JSON value into generated types, with the failing member's path.

use std::fmt;

use serde_json::{Map, Value};

use super::{Decoding, WireValue};
use crate::validation::ValidationError;

/// Why a body did not decode, and where in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The member's path from the top of the decoded value (`Zones[3].Area`), empty when the
    /// value itself is wrong (not JSON, or not an object).
    pub path: String,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// One step of a member's path.
#[derive(Clone, Copy, Debug)]
enum Step {
    Member(&'static str),
    Index(usize),
}

/// The state of one decode: the [`Decoding`], where it is, and the first problem found.
///
/// Generated code and [`WireValue`] implementations call [`Reader::fail`] when a value is
/// wrong; the first problem is kept, with the path at that moment, and decoding stops as soon
/// as it can.
#[derive(Debug)]
pub struct Reader {
    decoding: Decoding,
    path: Vec<Step>,
    error: Option<DecodeError>,
}

impl Reader {
    /// A reader at the top of a value.
    pub fn new(decoding: Decoding) -> Reader {
        Reader {
            decoding,
            path: Vec::new(),
            error: None,
        }
    }

    /// How values are read.
    pub fn decoding(&self) -> Decoding {
        self.decoding
    }

    /// Records that the value at the current path is wrong (only the first problem is kept) and
    /// returns `None`, for `return reader.fail(..)`.
    pub fn fail<T>(&mut self, message: impl fmt::Display) -> Option<T> {
        if self.error.is_none() {
            self.error = Some(DecodeError {
                path: self.path_text(),
                message: message.to_string(),
            });
        }
        None
    }

    /// Records a value of the wrong JSON type: `invalid type: string "x", expected ...`.
    pub fn wrong_type<T>(&mut self, found: &Value, expected: &str) -> Option<T> {
        self.fail(format_args!("invalid type: {}, expected {expected}", Shown(found)))
    }

    /// Records a value of the right JSON type that does not fit: `invalid value: ...`.
    pub fn wrong_value<T>(&mut self, found: &Value, expected: &str) -> Option<T> {
        self.fail(format_args!("invalid value: {}, expected {expected}", Shown(found)))
    }

    /// The members of an object value, for a struct named `name` to read; anything else is an
    /// error.
    pub fn object(&mut self, value: Value, name: &str) -> Option<ObjectReader> {
        match value {
            Value::Object(members) => Some(ObjectReader { members }),
            other => self.wrong_type(&other, &format!("a {name} object")),
        }
    }

    /// A builder's result: a missing required member becomes this reader's error.
    pub fn built<T>(&mut self, result: Result<T, ValidationError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                let missing: Vec<&str> = e.violations.iter().map(|v| v.member.as_str()).collect();
                self.fail(format_args!("{}: missing field {}", e.target, missing.join(", ")))
            }
        }
    }

    /// Reads `value` as the element at `index` of a list.
    pub(crate) fn element<T: WireValue>(&mut self, index: usize, value: Value) -> Option<T> {
        self.path.push(Step::Index(index));
        let out = T::from_wire(value, self);
        self.path.pop();
        out
    }

    fn path_text(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Step::Member(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// The decoded value, or the first problem.
    fn finish<T>(self, value: Option<T>) -> Result<T, DecodeError> {
        match (value, self.error) {
            (_, Some(error)) => Err(error),
            (Some(value), None) => Ok(value),
            // Every `None` comes with a recorded problem; should one not, say so rather than
            // lose the failure.
            (None, None) => Err(DecodeError {
                path: String::new(),
                message: "the value could not be read".to_owned(),
            }),
        }
    }
}

/// The members of one JSON object, taken out one by one by a generated struct's `from_wire`.
/// Members nobody takes are skipped.
#[derive(Debug)]
pub struct ObjectReader {
    members: Map<String, Value>,
}

impl ObjectReader {
    /// Takes member `name` and reads it as a `T`: `None` when it is missing or `null` (and when
    /// it is wrong, which `reader` records).
    pub fn get<T: WireValue>(&mut self, reader: &mut Reader, name: &'static str) -> Option<T> {
        if reader.error.is_some() {
            return None;
        }
        match self.members.remove(name)? {
            Value::Null => None,
            value => {
                reader.path.push(Step::Member(name));
                let out = T::from_wire(value, reader);
                reader.path.pop();
                out
            }
        }
    }
}

/// Decodes `text` as a `T` with `decoding`.
///
/// ```
/// use tencentcloud_runtime::wire::{from_str, Decoding};
///
/// let err = from_str::<Vec<bool>>("[true, 2]", Decoding::Tolerant).unwrap_err();
/// assert_eq!(err.path, "[1]");
/// assert_eq!(err.message, "invalid value: integer `2`, expected a boolean (or 0 or 1)");
/// ```
pub fn from_str<T: WireValue>(text: &str, decoding: Decoding) -> Result<T, DecodeError> {
    let value: Value = serde_json::from_str(text).map_err(|e| DecodeError {
        path: String::new(),
        message: e.to_string(),
    })?;
    from_value(value, decoding)
}

/// Decodes a parsed value as a `T` with `decoding`.
pub fn from_value<T: WireValue>(value: Value, decoding: Decoding) -> Result<T, DecodeError> {
    let mut reader = Reader::new(decoding);
    let out = T::from_wire(value, &mut reader);
    reader.finish(out)
}

/// Longest text of a string value quoted in an error message, in characters.
const QUOTED_CHARS: usize = 64;

/// A value as an error message names it, bounded: long strings are cut, containers are named.
struct Shown<'a>(&'a Value);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "boolean `{b}`"),
            Value::Number(n) if n.is_f64() => write!(f, "floating point `{n}`"),
            Value::Number(n) => write!(f, "integer `{n}`"),
            Value::String(s) if s.chars().count() > QUOTED_CHARS => {
                let cut: String = s.chars().take(QUOTED_CHARS).collect();
                write!(f, "string {cut:?}... ({} bytes)", s.len())
            }
            Value::String(s) => write!(f, "string {s:?}"),
            Value::Array(_) => f.write_str("sequence"),
            Value::Object(_) => f.write_str("map"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_strings_are_cut_in_messages() {
        let long = "x".repeat(10_000);
        let err = from_str::<i64>(&format!("{long:?}"), Decoding::Strict).unwrap_err();
        assert!(err.message.len() < 200, "{}", err.message);
        assert!(
            err.message.ends_with("... (10000 bytes), expected an integer"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_body_that_is_not_json_has_no_path() {
        let err = from_str::<i64>("{", Decoding::Tolerant).unwrap_err();
        assert_eq!(err.path, "");
        assert_eq!(err.message, "EOF while parsing an object at line 1 column 1");
    }

    #[test]
    fn paths_join_members_and_indexes() {
        let mut reader = Reader::new(Decoding::Tolerant);
        reader.path = vec![Step::Member("Zones"), Step::Index(3), Step::Member("Area")];
        assert_eq!(reader.path_text(), "Zones[3].Area");
        let _: Option<()> = reader.fail("first");
        let _: Option<()> = reader.fail("second");
        assert_eq!(
            reader.finish::<()>(None).unwrap_err().to_string(),
            "Zones[3].Area: first"
        );
    }
}
