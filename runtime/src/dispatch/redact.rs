//! Blanks the values of sensitive members out of a response body before any of it goes into an
//! error. A body that failed to decode can still hold a secret (a truncated answer that issues a
//! key still carries the key), so every excerpt and every decoder message passes through here.

use crate::error::excerpt;
use crate::sensitive::REDACTED;

/// How many characters of a body an error keeps.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// A body with its sensitive values blanked out, and the values that were found, so decoder
/// messages that quote them can be cleaned too.
pub(crate) struct Redacted {
    body: Vec<u8>,
    secrets: Vec<String>,
}

impl Redacted {
    /// Scans `body` for `"Field": value` where `Field` is one of `fields`, at any depth, and
    /// replaces each value (string, number or nested value, terminated or cut off) with the
    /// redaction marker.
    pub(crate) fn new(body: &[u8], fields: &[&str]) -> Self {
        let mut spans = Vec::new();
        for field in fields.iter().filter(|f| !f.is_empty()) {
            let needle = format!("\"{field}\"");
            let mut from = 0;
            while let Some(found) = find(&body[from..], needle.as_bytes()) {
                let after_key = from + found + needle.len();
                from = after_key;
                if let Some(start) = value_start(body, after_key) {
                    let end = value_end(body, start);
                    spans.push((start, end));
                    from = end.max(from);
                }
            }
        }
        spans.sort_unstable();
        let mut out = Vec::with_capacity(body.len());
        let mut secrets = Vec::new();
        let mut at = 0;
        for (start, end) in spans {
            if start < at {
                continue; // nested inside a span already blanked
            }
            out.extend_from_slice(&body[at..start]);
            out.push(b'"');
            out.extend_from_slice(REDACTED.as_bytes());
            out.push(b'"');
            collect_secret(&body[start..end], &mut secrets);
            at = end;
        }
        out.extend_from_slice(&body[at..]);
        Redacted { body: out, secrets }
    }

    /// The start of the redacted body, cut for an error message.
    pub(crate) fn excerpt(&self) -> String {
        excerpt(&self.body, EXCERPT_CHARS)
    }

    /// `message` (from a decoder, which may quote a value) with every secret found replaced.
    pub(crate) fn scrub(&self, message: &str) -> String {
        let mut out = message.to_owned();
        for secret in &self.secrets {
            out = out.replace(secret.as_str(), REDACTED);
        }
        out
    }

    /// Like [`Redacted::scrub`], for an excerpt that was cut: a secret that the cut left only
    /// the start of (at least four characters of it, before the closing `…`) is blanked too.
    pub(crate) fn scrub_excerpt(&self, excerpt: &str) -> String {
        let mut out = self.scrub(excerpt);
        let (body, ellipsis) = match out.strip_suffix('…') {
            Some(body) => (body.to_owned(), "…"),
            None => (out.clone(), ""),
        };
        for secret in &self.secrets {
            let longest = (4..secret.len())
                .rev()
                .filter(|&n| secret.is_char_boundary(n))
                .find(|&n| body.ends_with(&secret[..n]));
            if let Some(n) = longest {
                out = format!("{}{REDACTED}{ellipsis}", &body[..body.len() - n]);
                break;
            }
        }
        out
    }

    /// Whether any secret was found.
    pub(crate) fn found_any(&self) -> bool {
        !self.secrets.is_empty()
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// If a `:` follows `at` (after whitespace), where the value after it starts; a quoted name
/// not followed by `:` is a value, not a member name, and is left alone.
fn value_start(body: &[u8], at: usize) -> Option<usize> {
    let colon = skip_space(body, at);
    if body.get(colon) != Some(&b':') {
        return None;
    }
    Some(skip_space(body, colon + 1))
}

fn skip_space(body: &[u8], mut at: usize) -> usize {
    while body.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The end (exclusive) of the JSON value starting at `start`: after the closing quote of a
/// string, after the matching bracket of an object or array, before the `,`, `}` or `]` that
/// ends a scalar; the end of the body when the value is cut off.
fn value_end(body: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in body[start..].iter().enumerate() {
        let at = start + offset;
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return at + 1;
                    }
                }
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return at,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return at + 1;
                }
            }
            b',' if depth == 0 => return at,
            _ => {}
        }
    }
    body.len()
}

/// Records the forms in which a decoder message could quote this value: the raw text and, for
/// a complete string, its decoded form.
fn collect_secret(raw: &[u8], secrets: &mut Vec<String>) {
    let text = String::from_utf8_lossy(raw);
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix('"')
        .map(|s| s.strip_suffix('"').unwrap_or(s))
        .unwrap_or(trimmed);
    let mut push = |s: String| {
        if !s.is_empty() && !secrets.contains(&s) {
            secrets.push(s);
        }
    };
    if let Ok(decoded) = serde_json::from_str::<String>(trimmed) {
        push(format!("{decoded:?}").trim_matches('"').to_owned());
        push(decoded);
    }
    push(inner.to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(body: &str, fields: &[&str]) -> String {
        String::from_utf8(Redacted::new(body.as_bytes(), fields).body).unwrap()
    }

    #[test]
    fn a_secret_cut_off_at_the_end_of_an_excerpt_is_blanked() {
        let r = Redacted::new(
            br#"{"SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="}"#,
            &["SecretKey"],
        );
        assert_eq!(
            r.scrub_excerpt("<html>echo b8sfnemqzF5T…"),
            format!("<html>echo {REDACTED}…")
        );
        assert_eq!(
            r.scrub_excerpt("whole b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY= here"),
            format!("whole {REDACTED} here")
        );
        assert_eq!(
            r.scrub_excerpt("nothing secret b8s"),
            "nothing secret b8s",
            "three characters say nothing"
        );
    }

    #[test]
    fn blanks_string_values_at_any_depth() {
        let body = r#"{"Response":{"SecretKey": "c2VjcmV0LWtleQ==","Nested":{"SecretKey":"b2\"x"},"ZoneId":"zone-1"}}"#;
        assert_eq!(
            redact(body, &["SecretKey"]),
            r#"{"Response":{"SecretKey": "** redacted **","Nested":{"SecretKey":"** redacted **"},"ZoneId":"zone-1"}}"#
        );
    }

    #[test]
    fn blanks_a_value_cut_off_by_a_truncated_body() {
        let body = r#"{"Response":{"RequestId":"r1","SecretKey":"b8sfnemqzF5TNCwwts"#;
        assert_eq!(
            redact(body, &["SecretKey"]),
            r#"{"Response":{"RequestId":"r1","SecretKey":"** redacted **""#
        );
    }

    #[test]
    fn blanks_non_string_values_whole() {
        let body = r#"{"Token":{"a":[1,"x,}"],"b":2},"Pin":1234,"Other":true}"#;
        assert_eq!(
            redact(body, &["Token", "Pin"]),
            r#"{"Token":"** redacted **","Pin":"** redacted **","Other":true}"#
        );
    }

    #[test]
    fn leaves_names_used_as_values_and_other_members_alone() {
        let body = r#"{"Name":"SecretKey","SecretKeyId":"k1"}"#;
        assert_eq!(redact(body, &["SecretKey"]), body);
        assert_eq!(redact(body, &[]), body);
        assert_eq!(redact(body, &[""]), body);
    }

    #[test]
    fn excerpt_is_cut_after_redaction() {
        let padding = "x".repeat(190);
        let body = format!(r#"{{"Pad":"{padding}","SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="}}"#);
        let excerpt = Redacted::new(body.as_bytes(), &["SecretKey"]).excerpt();
        assert!(!excerpt.contains("b8sf"), "{excerpt}");
        assert!(excerpt.ends_with('…'));
        assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1);
    }

    #[test]
    fn scrubs_decoder_messages_quoting_a_secret() {
        let body = br#"{"SecretKey":"se\/cret\u00e9"}"#;
        let r = Redacted::new(body, &["SecretKey"]);
        assert_eq!(
            r.scrub("invalid type: string \"se/cret\u{e9}\", expected u64"),
            "invalid type: string \"** redacted **\", expected u64"
        );
        assert_eq!(r.scrub("raw se\\/cret\\u00e9 here"), "raw ** redacted ** here");
        assert_eq!(r.scrub("nothing to hide"), "nothing to hide");
    }
}
