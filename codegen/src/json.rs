//! A JSON tree that keeps key order and duplicate keys.
//!
//! `serde_json::Value` silently keeps the last of two equal keys; a spec with two members of the
//! same name must be reported instead, so the loader reads this tree. Syntax errors carry the
//! line and column from `serde_json`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diag::{Diagnostic, Location};

/// A JSON value with its object entries in source order, duplicates included.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as `serde_json` read it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, entries in source order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses text, reporting malformed JSON with its line and column.
    pub fn parse(text: &str) -> Result<Json, Diagnostic> {
        serde_json::from_str(text).map_err(|e| {
            let position = format!(" at line {} column {}", e.line(), e.column());
            let message = e.to_string();
            Diagnostic {
                // serde_json gives column 0 for the end of the text just after a line break;
                // the location is 1-based, so that is column 1 of that line.
                location: Location::Text {
                    line: e.line().max(1),
                    column: e.column().max(1),
                },
                message: format!(
                    "malformed JSON: {}",
                    message.strip_suffix(&position).unwrap_or(&message)
                ),
            }
        })
    }

    /// A short name of the value's JSON type, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The entry `key` of an object (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Converts to a `serde_json::Value` (for a duplicated key, the last one wins, as in serde).
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(*b),
            Json::Number(n) => serde_json::Value::Number(n.clone()),
            Json::String(s) => serde_json::Value::String(s.clone()),
            Json::Array(items) => serde_json::Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(entries) => {
                serde_json::Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry()? {
            entries.push((k, v));
        }
        Ok(Json::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::Json;

    #[test]
    fn keeps_order_and_duplicates() {
        let j = Json::parse(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap();
        let Json::Object(entries) = j else {
            panic!("not an object")
        };
        let keys: Vec<_> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
    }

    #[test]
    fn the_end_of_the_text_after_a_line_break_is_column_one() {
        let err = Json::parse("{\n  \"a\": 1,\n").unwrap_err();
        assert_eq!(err.location, crate::diag::Location::Text { line: 3, column: 1 });
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let err = Json::parse("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!(err.location, crate::diag::Location::Text { line: 3, column: 7 });
        assert_eq!(err.location.to_string(), "line 3, column 7");
        assert!(
            err.message.starts_with("malformed JSON: expected `:`"),
            "{}",
            err.message
        );
    }
}
