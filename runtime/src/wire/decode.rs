//! Decoding JSON text into generated types, with the failing member's path in the error.
//!
//! Tracking the path costs a little on every value, so the text is decoded without it first;
//! only when that fails is it decoded again, with tracking, to say where. A body that decodes
//! pays nothing for the path.

use std::fmt;

use serde::de::DeserializeOwned;

use super::value::{Decoding, WireValue};

/// Why a body did not decode, and where in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The member's path from the top of the decoded value (`Zones[3].Area`), empty when the
    /// value itself is wrong (not JSON, or not an object).
    pub path: String,
    /// What was wrong, from the JSON parser (with the line and column).
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

/// Decodes `text` as a `T` with `decoding`; trailing text after the value is an error.
///
/// ```
/// use tencentcloud_runtime::wire::{from_str, Decoding};
///
/// assert_eq!(from_str::<Vec<u64>>(r#"[1, "2"]"#, Decoding::Tolerant), Ok(vec![1, 2]));
/// let err = from_str::<Vec<u64>>(r#"[1, "2"]"#, Decoding::Strict).unwrap_err();
/// assert_eq!(err.to_string(), r#"[1]: invalid type: string "2", expected u64 at line 1 column 7"#);
/// ```
pub fn from_str<T: WireValue>(text: &str, decoding: Decoding) -> Result<T, DecodeError> {
    let mut de = serde_json::Deserializer::from_str(text);
    match T::read(&mut de, decoding).and_then(|value| de.end().map(|()| value)) {
        Ok(value) => Ok(value),
        Err(error) => Err(locate(text, error, |d| T::read(d, decoding).map(drop))),
    }
}

/// Decodes `text` through `T`'s own `Deserialize` (tolerant for generated types), naming the
/// failing member's path on error.
pub(crate) fn from_str_located<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    serde_json::from_str(text).map_err(|error| locate(text, error, |d| T::deserialize(d).map(drop)))
}

/// Decodes `text` again with path tracking to find where `error` happened. The tracked run
/// fails at the same place (decoding is deterministic); should it not, the error is reported
/// without a path rather than lost.
fn locate(
    text: &str,
    error: serde_json::Error,
    decode: impl FnOnce(
        serde_path_to_error::Deserializer<'_, '_, &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>>,
    ) -> Result<(), serde_json::Error>,
) -> DecodeError {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let tracked = decode(serde_path_to_error::Deserializer::new(&mut de, &mut track));
    let path = match tracked {
        Err(_) => track.path().to_string(),
        Ok(()) => String::new(),
    };
    DecodeError {
        // The crate prints the root as "."; an empty path reads better in a message.
        path: if path == "." { String::new() } else { path },
        message: error.to_string(),
    }
}
