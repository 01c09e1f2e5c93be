// Reading a request body the way the service does: each action declares its members (name, JSON
// type, required), and one check refuses unknown members (UnknownParameter), wrong JSON types
// (InvalidParameter) and absent required members (MissingParameter), nested objects included.
// After that check the typed getters below cannot meet a surprise, so they never panic. Also here:
// ZoneId, origin private parameters, and the answer helpers shared by several families.

use serde_json::{Map, Value};

use crate::model::PrivateParameter;
use crate::response::ApiError;

/// The JSON type a member must have.
pub(crate) enum Kind {
    Str,
    /// A signed integer (`int64`).
    Int,
    /// An unsigned integer (`uint64`): a negative one is refused as a bad value.
    Uint,
    Bool,
    List(&'static Kind),
    Object(&'static [Field]),
}

/// One member of a request (or of an object inside it).
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) required: bool,
}

/// A required member.
pub(crate) const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: true,
    }
}

/// An optional member.
pub(crate) const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
    }
}

/// A list of strings.
pub(crate) const STRINGS: Kind = Kind::List(&Kind::Str);

/// The request body as a JSON object.
pub(crate) fn parse_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(params)) => Ok(params),
        Ok(_) => Err(ApiError::new(
            "InvalidParameter",
            "The request body must be a JSON object.",
        )),
        Err(error) => Err(ApiError::new(
            "InvalidParameter",
            format!("The request body is not valid JSON: {error}."),
        )),
    }
}

/// Checks `params` against `fields`: unknown names first, then each member in declaration order
/// (absent and required, or of the wrong type). `null` counts as absent.
pub(crate) fn check(params: &Map<String, Value>, fields: &[Field]) -> Result<(), ApiError> {
    check_object(params, fields, "")
}

fn check_object(params: &Map<String, Value>, fields: &[Field], prefix: &str) -> Result<(), ApiError> {
    if let Some(unknown) = params.keys().find(|key| !fields.iter().any(|field| field.name == *key)) {
        return Err(ApiError::new(
            "UnknownParameter",
            format!("The parameter `{prefix}{unknown}` is not recognized."),
        ));
    }
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        match params.get(field.name) {
            None | Some(Value::Null) if field.required => return Err(missing(&path)),
            None | Some(Value::Null) => {}
            Some(value) => check_value(value, &field.kind, &path)?,
        }
    }
    Ok(())
}

fn check_value(value: &Value, kind: &Kind, path: &str) -> Result<(), ApiError> {
    let wrong_type = |expected: &str| {
        ApiError::new(
            "InvalidParameter",
            format!("The parameter `{path}` must be {expected}."),
        )
    };
    match kind {
        Kind::Str if value.is_string() => Ok(()),
        Kind::Str => Err(wrong_type("a string")),
        Kind::Int if value.is_i64() || value.is_u64() => Ok(()),
        Kind::Int => Err(wrong_type("an integer")),
        Kind::Uint if value.is_u64() => Ok(()),
        Kind::Uint if value.is_i64() => Err(invalid_value(format!("The parameter `{path}` must not be negative."))),
        Kind::Uint => Err(wrong_type("a non-negative integer")),
        Kind::Bool if value.is_boolean() => Ok(()),
        Kind::Bool => Err(wrong_type("a boolean")),
        Kind::List(inner) => {
            let items = value.as_array().ok_or_else(|| wrong_type("an array"))?;
            items
                .iter()
                .enumerate()
                .try_for_each(|(index, item)| check_value(item, inner, &format!("{path}.{index}")))
        }
        Kind::Object(fields) => {
            let object = value.as_object().ok_or_else(|| wrong_type("an object"))?;
            check_object(object, fields, &format!("{path}."))
        }
    }
}

/// `MissingParameter` naming `path`.
pub(crate) fn missing(path: &str) -> ApiError {
    ApiError::new("MissingParameter", format!("The parameter `{path}` is missing."))
}

/// `InvalidParameterValue` with this message.
pub(crate) fn invalid_value(message: impl Into<String>) -> ApiError {
    ApiError::new("InvalidParameterValue", message)
}

/// A checked object's members, read by type. Absent, `null` and (impossible after [`check`])
/// mistyped members all read as absent.
#[derive(Clone, Copy)]
pub(crate) struct Params<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Params<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>) -> Self {
        Self { map }
    }

    fn value(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|value| !value.is_null())
    }

    /// Whether the member is present and not `null`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    pub(crate) fn str(&self, name: &str) -> Option<&'a str> {
        self.value(name).and_then(Value::as_str)
    }

    /// A required string member (present after [`check`]; `MissingParameter` otherwise).
    pub(crate) fn required_str(&self, name: &str) -> Result<&'a str, ApiError> {
        self.str(name).ok_or_else(|| missing(name))
    }

    /// An integer member; values beyond `i64` saturate.
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        let value = self.value(name)?;
        value
            .as_i64()
            .or_else(|| value.as_u64().map(|big| i64::try_from(big).unwrap_or(i64::MAX)))
    }

    pub(crate) fn bool(&self, name: &str) -> Option<bool> {
        self.value(name).and_then(Value::as_bool)
    }

    /// A list of strings; empty when absent.
    pub(crate) fn strings(&self, name: &str) -> Vec<&'a str> {
        self.value(name)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// A list of integers; empty when absent.
    pub(crate) fn ints(&self, name: &str) -> Vec<i64> {
        self.value(name)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| {
                        item.as_i64()
                            .or_else(|| item.as_u64().map(|big| i64::try_from(big).unwrap_or(i64::MAX)))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn object(&self, name: &str) -> Option<Params<'a>> {
        self.value(name).and_then(Value::as_object).map(Params::new)
    }

    /// A list of objects; empty when absent.
    pub(crate) fn objects(&self, name: &str) -> Vec<Params<'a>> {
        self.value(name)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_object).map(Params::new).collect())
            .unwrap_or_default()
    }

    /// A string member that must be one of `allowed` (compared exactly); `default` when absent.
    pub(crate) fn one_of(&self, name: &str, allowed: &[&str], default: &'static str) -> Result<&'a str, ApiError> {
        match self.str(name) {
            None => Ok(default),
            Some(value) if allowed.contains(&value) => Ok(value),
            Some(value) => Err(not_one_of(name, value, allowed)),
        }
    }

    /// Like [`Params::one_of`] but ignoring ASCII case; answers the spelling in `allowed`.
    pub(crate) fn one_of_any_case(
        &self,
        name: &str,
        allowed: &[&'static str],
    ) -> Result<Option<&'static str>, ApiError> {
        match self.str(name) {
            None => Ok(None),
            Some(value) => allowed
                .iter()
                .find(|candidate| candidate.eq_ignore_ascii_case(value))
                .map(|candidate| Some(*candidate))
                .ok_or_else(|| not_one_of(name, value, allowed)),
        }
    }

    /// A list member with more than `max` items is refused.
    pub(crate) fn at_most(&self, name: &str, max: usize) -> Result<(), ApiError> {
        let count = self.value(name).and_then(Value::as_array).map_or(0, Vec::len);
        if count > max {
            return Err(invalid_value(format!(
                "The parameter `{name}` lists {count} items; at most {max} are allowed."
            )));
        }
        Ok(())
    }
}

fn not_one_of(name: &str, value: &str, allowed: &[&str]) -> ApiError {
    invalid_value(format!(
        "The value `{value}` of `{name}` is not valid; use one of: {}.",
        allowed.join(", ")
    ))
}

/// `ZoneId`: required, `zone-` then 1 to 32 lowercase letters or digits.
pub(crate) fn zone_id<'a>(params: &Params<'a>) -> Result<&'a str, ApiError> {
    let zone = params.required_str("ZoneId")?;
    if well_formed_zone_id(zone) {
        Ok(zone)
    } else {
        Err(invalid_value(format!(
            "The ZoneId `{zone}` is invalid: expected `zone-` followed by lowercase letters or digits."
        )))
    }
}

/// Whether `zone` looks like a zone id: `zone-` then 1 to 32 lowercase letters or digits.
pub(crate) fn well_formed_zone_id(zone: &str) -> bool {
    let suffix = zone.strip_prefix("zone-").unwrap_or("");
    (1..=32).contains(&suffix.len()) && suffix.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// `PrivateParameter`: an origin's private authentication parameter.
const PRIVATE_PARAMETER: &[Field] = &[req("Name", Kind::Str), req("Value", Kind::Str)];
/// A list of `PrivateParameter`.
pub(crate) const PRIVATE_PARAMETERS: Kind = Kind::List(&Kind::Object(PRIVATE_PARAMETER));
/// The parameter names object-storage authentication knows.
const PRIVATE_PARAMETER_NAMES: [&str; 4] = ["AccessKeyId", "SecretAccessKey", "SignatureVersion", "Region"];

/// Reads the `PrivateParameter` list `name`; an unknown parameter name is refused with `code`.
pub(crate) fn private_parameters(
    params: &Params<'_>,
    name: &str,
    code: &str,
) -> Result<Vec<PrivateParameter>, ApiError> {
    params
        .objects(name)
        .into_iter()
        .enumerate()
        .map(|(index, entry)| {
            let key = entry.str("Name").unwrap_or("");
            if !PRIVATE_PARAMETER_NAMES.contains(&key) {
                return Err(ApiError::new(
                    code,
                    format!(
                        "`{name}.{index}.Name` is `{key}`; use one of: {}.",
                        PRIVATE_PARAMETER_NAMES.join(", ")
                    ),
                ));
            }
            Ok(PrivateParameter::new(key, entry.str("Value").unwrap_or("")))
        })
        .collect()
}

/// A list of `PrivateParameter` for an answer.
pub(crate) fn private_parameters_json(parameters: &[PrivateParameter]) -> Value {
    parameters
        .iter()
        .map(|parameter| serde_json::json!({ "Name": parameter.name, "Value": parameter.value }))
        .collect()
}

/// The members of a JSON object built with `json!`; anything else gives no members.
pub(crate) fn members(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INNER: &[Field] = &[req("Name", Kind::Str), opt("Count", Kind::Uint)];
    const FIELDS: &[Field] = &[
        req("ZoneId", Kind::Str),
        opt("Limit", Kind::Int),
        opt("Items", Kind::List(&Kind::Object(INNER))),
        opt("Flag", Kind::Bool),
    ];

    fn code(body: &str) -> Option<String> {
        let map = parse_object(body.as_bytes()).map_err(|error| error.code);
        match map {
            Ok(map) => check(&map, FIELDS).err().map(|error| error.code),
            Err(code) => Some(code),
        }
    }

    #[test]
    fn each_kind_of_mistake_has_its_code() {
        assert_eq!(code(r#"{"ZoneId":"z"}"#), None);
        assert_eq!(
            code(r#"{"ZoneId":"z","Items":[{"Name":"a","Count":3}],"Flag":true}"#),
            None
        );
        for (body, expected) in [
            ("[]", "InvalidParameter"),
            ("{}", "MissingParameter"),
            (r#"{"ZoneId":null}"#, "MissingParameter"),
            (r#"{"ZoneId":"z","Other":1}"#, "UnknownParameter"),
            (r#"{"ZoneId":"z","Limit":"20"}"#, "InvalidParameter"),
            (r#"{"ZoneId":"z","Limit":2.5}"#, "InvalidParameter"),
            (r#"{"ZoneId":"z","Flag":1}"#, "InvalidParameter"),
            (r#"{"ZoneId":"z","Items":{}}"#, "InvalidParameter"),
            (r#"{"ZoneId":"z","Items":[{}]}"#, "MissingParameter"),
            (r#"{"ZoneId":"z","Items":[{"Name":"a","Extra":1}]}"#, "UnknownParameter"),
            (
                r#"{"ZoneId":"z","Items":[{"Name":"a","Count":-1}]}"#,
                "InvalidParameterValue",
            ),
            (
                r#"{"ZoneId":"z","Items":[{"Name":"a","Count":"1"}]}"#,
                "InvalidParameter",
            ),
        ] {
            assert_eq!(code(body).as_deref(), Some(expected), "{body}");
        }
    }

    #[test]
    fn nested_problems_name_their_path() {
        let map = parse_object(br#"{"ZoneId":"z","Items":[{"Name":"a"},{"Name":5}]}"#).unwrap_or_default();
        let message = check(&map, FIELDS).err().map(|error| error.message);
        assert!(
            message.as_deref().is_some_and(|m| m.contains("`Items.1.Name`")),
            "{message:?}"
        );
    }
}
