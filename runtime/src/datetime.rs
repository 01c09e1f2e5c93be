//! The `datetime` and `date` spec types: a timestamp or a calendar date kept as the text the
//! service sent.
//!
//! The runtime does not parse timestamps: the service is the authority on what it returns, and
//! keeping the text means a response is never rejected for a format the client did not expect.
//! Callers that need arithmetic parse [`DateTime::as_str`] with the date library they already use.

use std::fmt;

/// An ISO 8601 timestamp as text, for example `2023-09-07T10:00:00+08:00`.
///
/// ```
/// use tencentcloud_runtime::DateTime;
/// let t = DateTime::from("2023-09-07T10:00:00Z");
/// assert_eq!(t.as_str(), "2023-09-07T10:00:00Z");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct DateTime(String);

impl DateTime {
    /// The timestamp text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for DateTime {
    fn from(value: String) -> Self {
        DateTime(value)
    }
}

impl From<&str> for DateTime {
    fn from(value: &str) -> Self {
        DateTime(value.to_owned())
    }
}

/// A calendar date as text, for example `2023-09-07` (the spec's `date` type).
///
/// Kept as sent, like [`DateTime`].
///
/// ```
/// use tencentcloud_runtime::Date;
/// let d = Date::from("2023-09-07");
/// assert_eq!(d.as_str(), "2023-09-07");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Date(String);

impl Date {
    /// The date text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Date {
    fn from(value: String) -> Self {
        Date(value)
    }
}

impl From<&str> for Date {
    fn from(value: &str) -> Self {
        Date(value.to_owned())
    }
}
