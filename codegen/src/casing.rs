//! Rust names from wire names: an acronym-aware word splitter, heck for the casing, and the
//! keyword rule.
//!
//! heck alone splits `IPv6` into `i_pv6` and runs `AWSS3` together; the splitter here first cuts
//! a wire name into words (`IPv6`, `HTTP2`+`Parameters`, `AWS`+`S3`), lowercases them, and hands
//! the words to heck. Keywords become raw identifiers (`r#type`, `r#match`), except the few that
//! cannot be raw (`self`, `Self`, `super`, `crate`), which get a trailing underscore.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Mixed-case or run-together acronyms that are one word each. Matched case-sensitively, and only
/// when not followed by a lowercase letter (so `AWSome` is not `AWS` + `ome`).
const KNOWN_WORDS: &[&str] = &["IPv4", "IPv6", "AWS", "DDoS", "DDos"];

/// Keywords of Rust 2021 (strict and reserved) that a field or method name must not be.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Splits a wire name into words.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_alphanumeric() {
            flush(&mut words, &mut current);
            i += 1;
            continue;
        }
        if let Some(known) = known_word_at(&chars, i) {
            flush(&mut words, &mut current);
            words.push(known.to_owned());
            i += known.chars().count();
            continue;
        }
        if !current.is_empty() && starts_word(&chars, i) {
            flush(&mut words, &mut current);
        }
        current.push(c);
        i += 1;
    }
    flush(&mut words, &mut current);
    words
}

fn flush(words: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        words.push(std::mem::take(current));
    }
}

fn known_word_at(chars: &[char], i: usize) -> Option<&'static str> {
    // Only at a word start: the previous character is not a lowercase letter or digit run
    // inside the same word (`SourceIPv6` qualifies, `xIPv6` too since `I` follows lowercase).
    KNOWN_WORDS.iter().copied().find(|w| {
        let n = w.chars().count();
        chars.len() >= i + n
            && chars[i..i + n].iter().copied().eq(w.chars())
            && !chars.get(i + n).is_some_and(|c| c.is_lowercase())
    })
}

/// Whether `chars[i]` begins a new word, given that a word is in progress.
fn starts_word(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let prev = chars[i - 1];
    let next = chars.get(i + 1).copied();
    if c.is_uppercase() {
        // `fooBar`, `HTTP2Parameters` (digit then upper), or the last capital of an acronym
        // followed by lowercase: `HTTPParameters` -> `HTTP` + `Parameters`.
        // A plural acronym stays whole: `IDs`, `IPs`, `URLs` (an `s` that ends the word).
        let plural = next == Some('s') && !chars.get(i + 2).is_some_and(|n| n.is_lowercase());
        prev.is_lowercase()
            || prev.is_ascii_digit()
            || (prev.is_uppercase() && next.is_some_and(|n| n.is_lowercase()) && !plural)
    } else {
        // Digits stay with the word before them (`HTTP2`, `S3`, `Ipv6`).
        false
    }
}

fn phrase(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `snake_case` for fields, methods and modules, without keyword handling.
pub fn snake(name: &str) -> String {
    phrase(name).to_snake_case()
}

/// `UpperCamelCase` for types and enum variants.
pub fn camel(name: &str) -> String {
    phrase(name).to_upper_camel_case()
}

/// Already-cased text as an identifier the output can hold: keywords become `r#kw`, or `kw_`
/// for the few that cannot be raw.
pub fn ident_text(text: &str) -> String {
    if NOT_RAW.contains(&text) {
        format!("{text}_")
    } else if KEYWORDS.contains(&text) {
        format!("r#{text}")
    } else {
        text.to_owned()
    }
}

/// The token for a name the model holds (`r#type` is printed as a raw identifier). It derives
/// nothing: the text is already the final name.
pub fn ident(text: &str) -> proc_macro2::Ident {
    let span = proc_macro2::Span::call_site();
    match text.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, span),
        None => proc_macro2::Ident::new(text, span),
    }
}

/// Whether a wire name can become Rust names: ASCII, a letter first, then letters, digits or `_`.
/// (A leading `_` or digit, or a non-ASCII letter, would not survive case conversion.)
pub fn is_identifier_like(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The module (and file) name for a wire name: snake case, with `_` added to the keywords that
/// cannot be raw identifiers (`self.rs` could not be declared as a module).
pub fn module_name(name: &str) -> String {
    let snake = snake(name);
    if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_give_readable_names() {
        let cases = [
            ("IPv6", "ipv6", "Ipv6"),
            ("HTTP2Parameters", "http2_parameters", "Http2Parameters"),
            ("AWSS3", "aws_s3", "AwsS3"),
            ("QUICParameters", "quic_parameters", "QuicParameters"),
            ("ZoneId", "zone_id", "ZoneId"),
            ("SourceIPv6Status", "source_ipv6_status", "SourceIpv6Status"),
            ("BlockRuleIDs", "block_rule_ids", "BlockRuleIds"),
            ("IPs", "ips", "Ips"),
            ("HTTPSettings", "http_settings", "HttpSettings"),
            ("CNAMEDetail", "cname_detail", "CnameDetail"),
            ("L7Cache", "l7_cache", "L7Cache"),
            (
                "RequestLimitExceeded.IPLimitExceeded",
                "request_limit_exceeded_ip_limit_exceeded",
                "RequestLimitExceededIpLimitExceeded",
            ),
        ];
        for (wire, s, c) in cases {
            assert_eq!((snake(wire).as_str(), camel(wire).as_str()), (s, c), "{wire}");
        }
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        let field = |wire: &str| ident(&ident_text(&snake(wire))).to_string();
        assert_eq!(field("Type"), "r#type");
        assert_eq!(field("Match"), "r#match");
        assert_eq!(field("Self"), "self_");
        assert_eq!(field("ZoneId"), "zone_id");
    }
}
