//! A wrapper for values that must never be printed: secret keys in requests and responses.
//!
//! `Debug` always prints [`REDACTED`]; there is deliberately no `Display`. The value is read
//! only through [`Sensitive::expose_secret`], so every place that handles the secret is easy
//! to find with a text search. Serde sees straight through the wrapper, so the wire format is
//! the plain value.

use std::fmt;

/// The marker printed instead of a sensitive value.
pub const REDACTED: &str = "** redacted **";

/// A value that is sent or received but never shown.
///
/// ```
/// use tencentcloud_runtime::Sensitive;
/// let key = Sensitive::new(String::from("b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="));
/// assert_eq!(format!("{key:?}"), "** redacted **");
/// assert!(key.expose_secret().starts_with("b8sf"));
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// Gives read access to the secret. Call sites of this method are the places to audit.
    pub fn expose_secret(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret, giving up the protection of the wrapper.
    pub fn into_secret(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Sensitive(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Sensitive(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_prints_only_the_marker_even_when_nested() {
        let secret = Sensitive::from("hunter2");
        assert_eq!(format!("{secret:?}"), REDACTED);
        assert_eq!(format!("{:?}", Some(&secret)), format!("Some({REDACTED})"));
        assert_eq!(format!("{secret:#?}"), REDACTED);
    }

    #[test]
    fn serde_is_transparent() {
        let secret: Sensitive<String> = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(secret.expose_secret(), "abc");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"abc\"");
    }
}
