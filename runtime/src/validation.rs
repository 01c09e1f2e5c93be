//! Client-side checks of a request against the constraints in the spec, run before any I/O.
//!
//! Generated code walks a request with a [`Checker`], which collects every broken rule (not just
//! the first) as a [`Violation`] naming the member's path and the rule. Messages never contain
//! the member's value: the value may be a secret.

use std::fmt;
use std::sync::OnceLock;

use base64::Engine as _;

/// One broken rule: which member, and which rule it broke.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// Path of the member inside the request, with wire names: `SecretKey`, `Rules[2].Name`.
    pub member: String,
    /// The rule that failed.
    pub rule: Rule,
}

/// The rules a member can break.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// A required member was not set.
    Required,
    /// The text length in characters is outside the allowed range.
    Length {
        /// Smallest allowed length, if any.
        min: Option<u64>,
        /// Largest allowed length, if any.
        max: Option<u64>,
        /// The length that was given.
        actual: u64,
    },
    /// The text is not standard base64 (with padding).
    Base64,
    /// The base64 text decodes to a number of bytes outside the allowed range.
    DecodedLength {
        /// Smallest allowed decoded length, if any.
        min: Option<u64>,
        /// Largest allowed decoded length, if any.
        max: Option<u64>,
        /// The decoded length of the value that was given.
        actual: u64,
    },
    /// The text does not match the pattern.
    Pattern {
        /// The regular expression.
        pattern: &'static str,
    },
    /// The number is outside the allowed range.
    Range {
        /// Smallest allowed value, if any, as written in the spec.
        min: Option<String>,
        /// Largest allowed value, if any, as written in the spec.
        max: Option<String>,
    },
    /// The value is not one of the allowed values.
    OneOf {
        /// The allowed values.
        allowed: &'static [&'static str],
    },
    /// The list has a number of entries outside the allowed range.
    Count {
        /// Fewest entries allowed, if any.
        min: Option<u64>,
        /// Most entries allowed, if any.
        max: Option<u64>,
        /// The number of entries given.
        actual: u64,
    },
}

fn bounds(f: &mut fmt::Formatter<'_>, min: Option<&dyn fmt::Display>, max: Option<&dyn fmt::Display>) -> fmt::Result {
    match (min, max) {
        (Some(min), Some(max)) => write!(f, "between {min} and {max}"),
        (Some(min), None) => write!(f, "at least {min}"),
        (None, Some(max)) => write!(f, "at most {max}"),
        (None, None) => f.write_str("unbounded"),
    }
}

/// A bound as `Display`, if set. (A function rather than a closure: a closure cannot tie the
/// returned reference's lifetime to its argument's.)
fn shown<T: fmt::Display>(bound: &Option<T>) -> Option<&dyn fmt::Display> {
    bound.as_ref().map(|v| v as &dyn fmt::Display)
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("is required but was not set"),
            Rule::Length { min, max, actual } => {
                f.write_str("length must be ")?;
                bounds(f, shown(min), shown(max))?;
                write!(f, " characters, got {actual}")
            }
            Rule::Base64 => f.write_str("must be standard base64 text"),
            Rule::DecodedLength { min, max, actual } => {
                f.write_str("must be base64 whose decoded length is ")?;
                bounds(f, shown(min), shown(max))?;
                write!(f, " bytes, got {actual}")
            }
            Rule::Pattern { pattern } => write!(f, "must match the pattern {pattern}"),
            Rule::Range { min, max } => {
                f.write_str("must be ")?;
                bounds(f, shown(min), shown(max))
            }
            Rule::OneOf { allowed } => write!(f, "must be one of {}", allowed.join(", ")),
            Rule::Count { min, max, actual } => {
                f.write_str("must have ")?;
                bounds(f, shown(min), shown(max))?;
                write!(f, " entries, got {actual}")
            }
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.member, self.rule)
    }
}

/// A request that broke one or more of its spec's rules; nothing was sent.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationError {
    /// The action (or object, for a builder) being checked.
    pub target: &'static str,
    /// Every broken rule, in member order.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: ", self.target)?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A regular expression from the spec, compiled on first use.
///
/// Generated code keeps one in a `static`. The generator has already checked that the pattern
/// compiles; if it somehow does not, the value is reported as not matching rather than panicking.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regex_lite::Regex>>,
}

impl Pattern {
    /// A pattern from its source text.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern's source text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(self.source).ok())
            .as_ref()
            .is_some_and(|re| re.is_match(text))
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// A request (or part of one) that knows its own constraints. Generated for every object that
/// has a constraint somewhere inside it.
pub trait Validate {
    /// Records every broken rule of `self` into `checker`.
    fn validate_into(&self, checker: &mut Checker);

    /// Checks `self` and returns every broken rule at once.
    fn validate(&self, target: &'static str) -> Result<(), ValidationError> {
        let mut checker = Checker::default();
        self.validate_into(&mut checker);
        checker.finish(target)
    }
}

/// Runs [`Validate::validate`] on a value that was built, passing a build error through: the
/// checks a generated `send()` makes before anything is sent.
pub fn validated<T: Validate>(built: Result<T, ValidationError>, target: &'static str) -> Result<T, ValidationError> {
    let value = built?;
    value.validate(target)?;
    Ok(value)
}

/// The required members a builder lacks, collected by a generated `build()` before it
/// assembles the value, so that one error names every missing member.
#[derive(Debug)]
pub struct Missing {
    target: &'static str,
    checker: Checker,
}

impl Missing {
    /// Nothing missing yet from a value of type `target`.
    pub fn new(target: &'static str) -> Missing {
        Missing {
            target,
            checker: Checker::default(),
        }
    }

    /// Records `member` as missing when `present` is false.
    pub fn check(&mut self, member: &str, present: bool) {
        self.checker.required(member, present);
    }

    /// The error naming every member recorded as missing.
    pub fn into_error(self) -> ValidationError {
        self.checker.into_error(self.target)
    }
}

/// Collects violations while generated code walks a value.
#[derive(Debug, Default)]
pub struct Checker {
    prefix: String,
    violations: Vec<Violation>,
}

impl Checker {
    fn push(&mut self, member: &str, rule: Rule) {
        let member = if self.prefix.is_empty() {
            member.to_owned()
        } else {
            format!("{}.{member}", self.prefix)
        };
        self.violations.push(Violation { member, rule });
    }

    /// Turns the collected violations into a result.
    pub fn finish(self, target: &'static str) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                target,
                violations: self.violations,
            })
        }
    }

    /// Turns the collected violations into an error (used when the caller already knows one
    /// was recorded).
    pub fn into_error(self, target: &'static str) -> ValidationError {
        ValidationError {
            target,
            violations: self.violations,
        }
    }

    /// Records a missing required member when `present` is false.
    pub fn required(&mut self, member: &str, present: bool) {
        if !present {
            self.push(member, Rule::Required);
        }
    }

    /// Checks a text length, counted in Unicode characters.
    pub fn length(&mut self, member: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        let actual = value.chars().count() as u64;
        if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
            self.push(member, Rule::Length { min, max, actual });
        }
    }

    /// Checks that the text is standard base64 and that its decoded length is in range.
    pub fn base64(&mut self, member: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        match base64::engine::general_purpose::STANDARD.decode(value) {
            Err(_) => self.push(member, Rule::Base64),
            Ok(bytes) => {
                let actual = bytes.len() as u64;
                if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
                    self.push(member, Rule::DecodedLength { min, max, actual });
                }
            }
        }
    }

    /// Checks the text against a pattern.
    pub fn pattern(&mut self, member: &str, value: &str, pattern: &Pattern) {
        if !pattern.is_match(value) {
            self.push(
                member,
                Rule::Pattern {
                    pattern: pattern.source(),
                },
            );
        }
    }

    /// Checks that a number lies in `min..=max` (either bound may be absent).
    pub fn range<N: PartialOrd + fmt::Display + Copy>(
        &mut self,
        member: &str,
        value: N,
        min: Option<N>,
        max: Option<N>,
    ) {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            self.push(
                member,
                Rule::Range {
                    min: min.map(|m| m.to_string()),
                    max: max.map(|m| m.to_string()),
                },
            );
        }
    }

    /// Checks that the text is one of the allowed values.
    pub fn one_of(&mut self, member: &str, value: &str, allowed: &'static [&'static str]) {
        if !allowed.contains(&value) {
            self.push(member, Rule::OneOf { allowed });
        }
    }

    /// Checks the number of entries of a list.
    pub fn count(&mut self, member: &str, len: usize, min: Option<u64>, max: Option<u64>) {
        let actual = len as u64;
        if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
            self.push(member, Rule::Count { min, max, actual });
        }
    }

    /// Checks a nested object under `member`.
    pub fn nested<T: Validate + ?Sized>(&mut self, member: &str, value: &T) {
        let saved = self.enter(member.to_owned());
        value.validate_into(self);
        self.prefix = saved;
    }

    /// Runs `check` for every element of a list, naming each as `member[i]`.
    pub fn each<T>(&mut self, member: &str, items: &[T], mut check: impl FnMut(&mut Checker, &str, &T)) {
        for (i, item) in items.iter().enumerate() {
            check(self, &format!("{member}[{i}]"), item);
        }
    }

    fn enter(&mut self, member: String) -> String {
        let next = if self.prefix.is_empty() {
            member
        } else {
            format!("{}.{member}", self.prefix)
        };
        std::mem::replace(&mut self.prefix, next)
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, checker: &mut Checker) {
        (**self).validate_into(checker);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, checker: &mut Checker) {
        for item in self {
            item.validate_into(checker);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Inner(String);
    impl Validate for Inner {
        fn validate_into(&self, c: &mut Checker) {
            c.length("Name", &self.0, Some(1), Some(3));
        }
    }

    #[test]
    fn collects_every_violation_with_paths() {
        let mut c = Checker::default();
        c.required("ZoneId", false);
        c.base64("SecretKey", "c2hvcnQ=", Some(32), Some(48));
        c.base64("Other", "not base64!", None, None);
        c.range("Port", 70000_i64, Some(1), Some(65535));
        c.one_of("Mode", "x", &["on", "off"]);
        c.count("Hosts", 101, Some(1), Some(100));
        c.count("Targets", 3, Some(1), Some(100));
        c.pattern("Id", "zone 1", &Pattern::new("^zone-[a-z0-9]+$"));
        c.each("Rules", &[Inner("ok".into()), Inner("toolong".into())], |c, m, v| {
            c.nested(m, v)
        });
        let err = c.finish("Demo").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid Demo: ZoneId: is required but was not set; \
             SecretKey: must be base64 whose decoded length is between 32 and 48 bytes, got 5; \
             Other: must be standard base64 text; Port: must be between 1 and 65535; \
             Mode: must be one of on, off; Hosts: must have between 1 and 100 entries, got 101; Id: must match the pattern ^zone-[a-z0-9]+$; \
             Rules[1].Name: length must be between 1 and 3 characters, got 7"
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let mut c = Checker::default();
        c.length("Name", "站点", Some(2), Some(2));
        assert!(c.finish("Demo").is_ok());
    }
}
