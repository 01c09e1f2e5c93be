//! What `import` proposes for a string member whose documentation lists a closed set of values:
//! a named enumeration, for a person to confirm (as pagination and `read_only` are proposed).
//!
//! Tencent's descriptions list such sets as HTML list items, one value each followed by a colon
//! and its meaning (`<li>on: enable;</li><li>off: disable.</li>`, or with a full-width colon in
//! Chinese). When every list item of a new member's documentation has that shape and there are
//! at least two distinct values, the member gets `{"enum": Name}` and the spec an enumeration
//! of those values, each documented with its item's text. The name is the owner's (object or
//! action) followed by the member's (`Zone` + `Status` → `ZoneStatus`); members with the same
//! name and the same values share one. A person then confirms the values, writes the
//! documentation in our own words (the proposal carries upstream's text, as imported members
//! do), and may rename it.

use crate::casing::camel;
use crate::spec::{Enum, EnumValue, UNKNOWN_VARIANT};

/// One value of a proposed enumeration: the wire value and the text upstream gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedValue {
    /// The value as sent.
    pub value: String,
    /// What the documentation says it means (may be empty).
    pub meaning: String,
}

/// The closed set of values a documentation lists, in its order: `None` unless every `<li>`
/// item is `value: meaning` (ASCII or full-width colon) and there are at least two distinct
/// values. A value is letters, digits and `_ - . /`.
///
/// ```
/// use codegen::enum_proposal::closed_values;
/// let values = closed_values("Switch. Values:<li>on: enabled;</li><li>off: disabled.</li>").unwrap();
/// assert_eq!(values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(), ["on", "off"]);
/// assert_eq!(values[0].meaning, "enabled");
/// assert_eq!(closed_values("Such as <li>zone-1</li><li>zone-2</li>"), None);
/// assert_eq!(closed_values("Only one:<li>on: enabled.</li>"), None);
/// ```
pub fn closed_values(doc: &str) -> Option<Vec<ListedValue>> {
    let mut out: Vec<ListedValue> = Vec::new();
    let mut rest = doc;
    while let Some(start) = rest.find("<li>") {
        let after = &rest[start + "<li>".len()..];
        let end = after.find("</li>").unwrap_or(after.len());
        let item = after[..end].trim();
        rest = &after[end..];
        let (value, meaning) = split_item(item)?;
        if out.iter().any(|v| v.value == value) {
            return None;
        }
        out.push(ListedValue {
            value: value.to_owned(),
            meaning: meaning.to_owned(),
        });
    }
    (out.len() >= 2).then_some(out)
}

/// `value: meaning` → (`value`, `meaning` without its final punctuation).
fn split_item(item: &str) -> Option<(&str, &str)> {
    let colon = item.find([':', '：'])?;
    let value = item[..colon].trim().trim_matches('`');
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    if !ok {
        return None;
    }
    let meaning = item[colon..].trim_start_matches([':', '：']).trim();
    let meaning = meaning.trim_end_matches(['.', ';', '；', '。', ',', '，']).trim();
    Some((value, meaning))
}

/// The variant name a value gets: UpperCamelCase of it; `V` before one that starts with a digit
/// (`5min` → `V5min`, for a person to rename `FiveMinutes`), `UnknownValue` for `unknown`, and a
/// number after a name already taken (`A` and `a` → `A`, `A2`).
pub fn variant_names(values: &[ListedValue]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let mut name = camel(&v.value);
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            name = format!("V{name}");
        }
        if name == UNKNOWN_VARIANT {
            name = "UnknownValue".to_owned();
        }
        if name == "Self" {
            name = "SelfValue".to_owned();
        }
        let base = name.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// The enumeration proposed for the member `member` of `owner` at `path`, named `name`.
pub fn proposed_enum(name: &str, owner: &str, member: &str, values: &[ListedValue]) -> Enum {
    let path = format!("enums.{name}");
    let names = variant_names(values);
    Enum {
        documentation: format!("The values of {owner}.{member} (proposed by import from its documentation)."),
        values: values
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, (v, variant))| EnumValue {
                path: format!("{path}.values[{i}]"),
                value: v.value.clone(),
                name: variant,
                documentation: if v.meaning.is_empty() {
                    format!("The value `{}`.", v.value)
                } else {
                    v.meaning.clone()
                },
            })
            .collect(),
        path,
        name: name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(doc: &str) -> Option<Vec<String>> {
        closed_values(doc).map(|v| v.into_iter().map(|v| v.value).collect())
    }

    #[test]
    fn lists_of_values_with_meanings_are_closed_sets() {
        assert_eq!(
            values("取值有：<li>on：开启；</li><li>off：关闭。</li>"),
            Some(vec!["on".into(), "off".into()])
        );
        assert_eq!(
            values("Type. <li>`A`: IPv4;</li> <li>AAAA: IPv6</li><li>l7-access-logs: logs</li>"),
            Some(vec!["A".into(), "AAAA".into(), "l7-access-logs".into()])
        );
        // An item that is not `value: meaning` makes the list open (examples, prose).
        assert_eq!(values("<li>on: enabled</li><li>anything else you like</li>"), None);
        assert_eq!(values("<li>www.example.com: a host</li><li>a b: two words</li>"), None);
        // A value twice is not a clean set.
        assert_eq!(values("<li>on: a</li><li>on: b</li>"), None);
        assert_eq!(values("No list at all: on or off."), None);
    }

    #[test]
    fn variant_names_are_identifiers_and_unique() {
        let listed = |vs: &[&str]| -> Vec<ListedValue> {
            vs.iter()
                .map(|v| ListedValue {
                    value: (*v).to_owned(),
                    meaning: String::new(),
                })
                .collect()
        };
        assert_eq!(
            variant_names(&listed(&["on", "5min", "unknown", "A", "a", "l7-access-logs"])),
            ["On", "V5min", "UnknownValue", "A", "A2", "L7AccessLogs"]
        );
        let e = proposed_enum("ZoneStatus", "Zone", "Status", &listed(&["active", "paused"]));
        assert_eq!(e.path, "enums.ZoneStatus");
        assert_eq!(e.values[1].path, "enums.ZoneStatus.values[1]");
        assert_eq!(e.values[1].documentation, "The value `paused`.");
    }
}
