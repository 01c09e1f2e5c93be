//! Diagnostics: what is wrong with a spec and where, as a JSON path.
//!
//! Every stage appends to one list so a user sees every problem of a broken spec at once.

use std::fmt;

/// Where a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A place in text that is not valid JSON.
    Text {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A dotted JSON path such as `actions.CreateFoo.input.SecretKey.type`; empty for the root.
    Path(String),
    /// A member's own `example` value, or a place inside it: stages that treat example values
    /// apart (the importer leaves out an upstream example that breaks a rule) match on this.
    MemberExample {
        /// The member's JSON path.
        member: String,
        /// What follows `.example` in the full path (`[2]`, `.Name`), empty for the value itself.
        within: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { line, column } => write!(f, "line {line}, column {column}"),
            Location::Path(path) if path.is_empty() => f.write_str("(root)"),
            Location::Path(path) => f.write_str(path),
            Location::MemberExample { member, within } => write!(f, "{member}.example{within}"),
        }
    }
}

/// One problem in the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where.
    pub location: Location,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem found in a spec, in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem at the JSON path `path`.
    pub fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic {
            location: Location::Path(path.into()),
            message: message.into(),
        });
    }

    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems were recorded.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "error: {d}")?;
        }
        write!(f, "{} error(s); nothing was written", self.0.len())
    }
}

impl std::error::Error for Diagnostics {}

/// Joins a JSON path and a key.
pub fn join(path: &str, key: &str) -> String {
    if key.is_empty() {
        format!("{path}.\"\"")
    } else if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}
