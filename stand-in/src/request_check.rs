// Checking a request body against an action's input as the spec defines it, the way the service
// does, for the actions the stand-in answers from the spec: unknown members (UnknownParameter),
// then each member in the spec's order: required and absent or `null` (MissingParameter), of the
// wrong JSON type (InvalidParameter), or breaking a constraint (InvalidParameterValue, naming the
// member and the rule). Paths name list entries by index: `Filters.0.Values.2`. Nothing here
// panics, whatever the body holds.

//! Request checks driven by the spec catalog.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{Map, Number, Value};

use crate::actions::params::{invalid_value, missing};
use crate::response::ApiError;
use crate::spec_catalog::{Bounds, Catalog, Constraints, Member, Type};

/// Checks `body` against the members `input` (an action's input) of `catalog`. The first
/// problem found answers; `Ok` means the body is one the service would accept.
pub(crate) fn check_input(catalog: &Catalog, input: &[Member], body: &Map<String, Value>) -> Result<(), ApiError> {
    check_object(catalog, input, body, "")
}

fn check_object(
    catalog: &Catalog,
    members: &[Member],
    object: &Map<String, Value>,
    prefix: &str,
) -> Result<(), ApiError> {
    if let Some(unknown) = object
        .keys()
        .find(|key| !members.iter().any(|member| member.name == **key))
    {
        return Err(ApiError::new(
            "UnknownParameter",
            format!("The parameter `{prefix}{unknown}` is not recognized."),
        ));
    }
    for member in members {
        let path = format!("{prefix}{}", member.name);
        match object.get(&member.name) {
            None | Some(Value::Null) if member.required => return Err(missing(&path)),
            None | Some(Value::Null) => {}
            Some(value) => {
                let place = Place {
                    path: &path,
                    member,
                    outermost: true,
                };
                check_value(catalog, &member.ty, value, &place)?;
            }
        }
    }
    Ok(())
}

/// Where a value sits: its path, the member it belongs to (for its constraints and whether it is
/// sensitive), and whether it is the member's own value rather than an entry of its list.
struct Place<'a> {
    path: &'a str,
    member: &'a Member,
    outermost: bool,
}

impl Place<'_> {
    fn constraints(&self) -> &Constraints {
        &self.member.constraints
    }

    fn wrong_type(&self, expected: &str) -> ApiError {
        ApiError::new(
            "InvalidParameter",
            format!("The parameter `{}` must be {expected}.", self.path),
        )
    }

    /// `InvalidParameterValue` naming the member and the rule it breaks.
    fn breaks(&self, rule: &str, detail: impl std::fmt::Display) -> ApiError {
        invalid_value(format!(
            "The parameter `{}` breaks its `{rule}` constraint: {detail}.",
            self.path
        ))
    }

    /// The value, quoted, or a placeholder for sensitive members.
    fn shown(&self, value: &str) -> String {
        if self.member.sensitive {
            "the value".to_owned()
        } else {
            format!("`{value}`")
        }
    }
}

fn check_value(catalog: &Catalog, ty: &Type, value: &Value, place: &Place<'_>) -> Result<(), ApiError> {
    match ty {
        Type::List(inner) => {
            let items = value.as_array().ok_or_else(|| place.wrong_type("an array"))?;
            if place.outermost {
                if let Some(count) = &place.constraints().count {
                    let entries = items.len() as u64;
                    if !within(entries, count) {
                        return Err(place.breaks("count", format!("{entries} entries, {}", expected(count))));
                    }
                }
            }
            for (index, item) in items.iter().enumerate() {
                let path = format!("{}.{index}", place.path);
                let entry = Place {
                    path: &path,
                    member: place.member,
                    outermost: false,
                };
                check_value(catalog, inner, item, &entry)?;
            }
            Ok(())
        }
        Type::Object(name) => {
            let object = value.as_object().ok_or_else(|| place.wrong_type("an object"))?;
            // The catalog checked every reference when it loaded.
            let members = catalog.object(name).ok_or_else(|| {
                ApiError::new(
                    "InternalError",
                    format!("The spec does not define the object `{name}`."),
                )
            })?;
            check_object(catalog, members, object, &format!("{}.", place.path))
        }
        Type::String => {
            let text = value.as_str().ok_or_else(|| place.wrong_type("a string"))?;
            check_string(text, place)
        }
        Type::Int64 => match (value.as_i64(), value.as_u64()) {
            (Some(_), _) => check_range(value, place),
            (None, Some(_)) => Err(place.breaks("int64", "it does not fit a signed 64-bit integer")),
            (None, None) => Err(place.wrong_type("an integer")),
        },
        Type::Uint64 => match (value.as_u64(), value.as_i64()) {
            (Some(_), _) => check_range(value, place),
            (None, Some(_)) => Err(invalid_value(format!(
                "The parameter `{}` must not be negative.",
                place.path
            ))),
            (None, None) => Err(place.wrong_type("a non-negative integer")),
        },
        Type::Float if value.is_number() => check_range(value, place),
        Type::Float => Err(place.wrong_type("a number")),
        Type::Bool if value.is_boolean() => Ok(()),
        Type::Bool => Err(place.wrong_type("a boolean")),
        Type::DateTime => {
            let text = value.as_str().ok_or_else(|| place.wrong_type("a string"))?;
            if is_datetime(text) {
                Ok(())
            } else {
                Err(invalid_value(format!(
                    "The parameter `{}` is {}, not a date and time (`YYYY-MM-DDThh:mm:ss`, optional fraction, optional `Z` or `±hh:mm`).",
                    place.path,
                    place.shown(text)
                )))
            }
        }
        Type::Date => {
            let text = value.as_str().ok_or_else(|| place.wrong_type("a string"))?;
            if is_date(text) {
                Ok(())
            } else {
                Err(invalid_value(format!(
                    "The parameter `{}` is {}, not a date (`YYYY-MM-DD`).",
                    place.path,
                    place.shown(text)
                )))
            }
        }
    }
}

/// `length`, `base64`, `pattern` and `enum`, in that order.
fn check_string(text: &str, place: &Place<'_>) -> Result<(), ApiError> {
    let constraints = place.constraints();
    if let Some(length) = &constraints.length {
        let characters = text.chars().count() as u64;
        if !within(characters, length) {
            return Err(place.breaks("length", format!("{characters} characters, {}", expected(length))));
        }
    }
    if let Some(bounds) = &constraints.base64 {
        match STANDARD.decode(text) {
            Err(_) => return Err(place.breaks("base64", "not standard base64")),
            Ok(bytes) if !within(bytes.len() as u64, bounds) => {
                return Err(place.breaks(
                    "base64",
                    format!("it decodes to {} bytes, {}", bytes.len(), expected(bounds)),
                ))
            }
            Ok(_) => {}
        }
    }
    if let Some(pattern) = &constraints.pattern {
        if !pattern.regex.is_match(text) {
            return Err(place.breaks(
                "pattern",
                format!("{} does not match `{}`", place.shown(text), pattern.source),
            ));
        }
    }
    if let Some(allowed) = &constraints.allowed {
        // A named enumeration also takes an empty string, which the service's examples send for
        // "not set".
        let fits = |candidate: &String| {
            candidate == text || (constraints.allowed_any_case && candidate.eq_ignore_ascii_case(text))
        };
        let unset = constraints.allowed_any_case && text.is_empty();
        if !unset && !allowed.iter().any(fits) {
            return Err(place.breaks(
                "enum",
                format!("{} is not one of: {}", place.shown(text), allowed.join(", ")),
            ));
        }
    }
    Ok(())
}

/// `range`, for a value known to be a number.
fn check_range(value: &Value, place: &Place<'_>) -> Result<(), ApiError> {
    let (Some(range), Value::Number(number)) = (&place.constraints().range, value) else {
        return Ok(());
    };
    let below = range.min.as_ref().is_some_and(|min| compare(number, min).is_lt());
    let above = range.max.as_ref().is_some_and(|max| compare(number, max).is_gt());
    if below || above {
        let bounds = Bounds {
            min: range.min.as_ref().map(ToString::to_string),
            max: range.max.as_ref().map(ToString::to_string),
        };
        return Err(place.breaks("range", format!("{number}, {}", expected(&bounds))));
    }
    Ok(())
}

/// Orders two JSON numbers: exactly when both are integers, as `f64` otherwise.
fn compare(left: &Number, right: &Number) -> std::cmp::Ordering {
    let integer = |number: &Number| {
        number
            .as_i64()
            .map(i128::from)
            .or_else(|| number.as_u64().map(i128::from))
    };
    match (integer(left), integer(right)) {
        (Some(left), Some(right)) => left.cmp(&right),
        _ => {
            let float = |number: &Number| number.as_f64().unwrap_or(f64::NAN);
            float(left).total_cmp(&float(right))
        }
    }
}

fn within(value: u64, bounds: &Bounds<u64>) -> bool {
    bounds.min.is_none_or(|min| value >= min) && bounds.max.is_none_or(|max| value <= max)
}

/// "expected between 1 and 5", "expected at least 1", "expected at most 5".
fn expected<T: std::fmt::Display>(bounds: &Bounds<T>) -> String {
    match (&bounds.min, &bounds.max) {
        (Some(min), Some(max)) => format!("expected between {min} and {max}"),
        (Some(min), None) => format!("expected at least {min}"),
        (None, Some(max)) => format!("expected at most {max}"),
        (None, None) => "expected anything".to_owned(),
    }
}

/// `YYYY-MM-DD`, digits and dashes (the generator's rule for `date` examples).
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| {
            if index == 4 || index == 7 {
                *byte == b'-'
            } else {
                byte.is_ascii_digit()
            }
        })
}

/// `YYYY-MM-DDThh:mm:ss` (or a space for `T`), an optional fraction, an optional `Z` or
/// `±hh:mm` (the generator's rule for `datetime` examples).
fn is_datetime(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|slice| slice.iter().all(u8::is_ascii_digit))
    };
    let at = |index: usize, allowed: &[u8]| bytes.get(index).is_some_and(|byte| allowed.contains(byte));
    let head = text.get(..10).is_some_and(is_date)
        && at(10, b"T ")
        && digits(11..13)
        && at(13, b":")
        && digits(14..16)
        && at(16, b":")
        && digits(17..19);
    if !head {
        return false;
    }
    let mut rest = bytes.get(19..).unwrap_or_default();
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|byte| byte.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = fraction.get(count..).unwrap_or_default();
    }
    match rest {
        [] | [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] => {
            (*sign == b'+' || *sign == b'-') && [h1, h2, m1, m2].iter().all(|byte| byte.is_ascii_digit())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_catalog::FIXTURE;
    use serde_json::json;

    fn catalog() -> Catalog {
        match Catalog::parse(FIXTURE, "fixture") {
            Ok(catalog) => catalog,
            Err(error) => panic!("the fixture loads: {error}"),
        }
    }

    /// The answer to `body` for the fixture's `action`: `None` when accepted, else code and message.
    fn refusal(action: &str, body: Value) -> Option<(String, String)> {
        let catalog = catalog();
        let input = catalog
            .action(action)
            .map(|action| action.input.clone())
            .unwrap_or_default();
        let body = body.as_object().cloned().unwrap_or_default();
        check_input(&catalog, &input, &body)
            .err()
            .map(|error| (error.code, error.message))
    }

    fn valid_create() -> Value {
        json!({
            "ZoneId": "zone-2o3h21ed8bpu",
            "ProxyName": "web-1",
            "Area": "overseas",
            "Weight": 10,
            "Ratio": 0.5,
            "Secret": "c2VjcmV0",
            "Tags": ["a", "b"],
            "Enabled": true,
            "StartTime": "2024-05-01T10:00:00+08:00",
            "Day": "2024-05-01",
            "Filters": [{"Name": "proxy-id", "Values": ["sid-1"], "Fuzzy": false}],
            "Tree": {"Name": "root", "Children": [{"Name": "leaf", "Children": []}]},
        })
    }

    fn with(member: &str, value: Value) -> Value {
        let mut body = valid_create();
        body[member] = value;
        body
    }

    fn without(member: &str) -> Value {
        let mut body = valid_create();
        body.as_object_mut().map(|object| object.remove(member));
        body
    }

    #[test]
    fn a_valid_body_passes() {
        assert_eq!(refusal("CreateL4Proxy", valid_create()), None);
        assert_eq!(
            refusal("CreateL4Proxy", with("StartTime", json!("2024-05-01 10:00:00"))),
            None
        );
        assert_eq!(refusal("CreateL4Proxy", with("Secret", Value::Null)), None);
        assert_eq!(
            refusal("ModifyL4ProxyStatus", json!({"ZoneId": "z", "ProxyId": "p"})),
            None
        );
    }

    #[test]
    fn missing_members_are_named() {
        for (body, path) in [
            (without("ProxyName"), "ProxyName"),
            (with("Area", Value::Null), "Area"),
            (with("Filters", json!([{"Values": []}])), "Filters.0.Name"),
            (
                with("Tree", json!({"Name": "root", "Children": [{"Children": []}]})),
                "Tree.Children.0.Name",
            ),
        ] {
            let answer = refusal("CreateL4Proxy", body);
            assert_eq!(
                answer,
                Some((
                    "MissingParameter".to_owned(),
                    format!("The parameter `{path}` is missing.")
                ))
            );
        }
        // The spec's order decides which of two missing members is named.
        let answer = refusal("CreateL4Proxy", json!({}));
        assert!(answer.is_some_and(|(_, message)| message.contains("`ZoneId`")));
    }

    #[test]
    fn unknown_members_are_named() {
        for (body, path) in [
            (with("Colour", json!("red")), "Colour"),
            (
                with("Filters", json!([{"Name": "a", "Values": [], "Op": 1}])),
                "Filters.0.Op",
            ),
        ] {
            let answer = refusal("CreateL4Proxy", body);
            assert_eq!(
                answer,
                Some((
                    "UnknownParameter".to_owned(),
                    format!("The parameter `{path}` is not recognized.")
                ))
            );
        }
    }

    #[test]
    fn wrong_json_types_are_invalid_parameter() {
        for (member, value, path, expected) in [
            ("ProxyName", json!(5), "ProxyName", "a string"),
            ("Weight", json!("10"), "Weight", "a non-negative integer"),
            ("Weight", json!(2.5), "Weight", "a non-negative integer"),
            ("Offset", json!(1.5), "Offset", "an integer"),
            ("Ratio", json!("0.5"), "Ratio", "a number"),
            ("Enabled", json!(1), "Enabled", "a boolean"),
            ("Tags", json!("a"), "Tags", "an array"),
            ("Tags", json!(["a", 1]), "Tags.1", "a string"),
            ("Tags", json!([null]), "Tags.0", "a string"),
            ("Filters", json!({}), "Filters", "an array"),
            ("Filters", json!(["x"]), "Filters.0", "an object"),
            ("StartTime", json!(0), "StartTime", "a string"),
            ("Day", json!(true), "Day", "a string"),
        ] {
            let answer = refusal("CreateL4Proxy", with(member, value));
            assert_eq!(
                answer,
                Some((
                    "InvalidParameter".to_owned(),
                    format!("The parameter `{path}` must be {expected}.")
                )),
                "{member}"
            );
        }
        let answer = refusal("CreateL4Proxy", json!([]));
        assert!(answer.is_some());
    }

    #[test]
    fn constraints_are_invalid_parameter_value_naming_member_and_rule() {
        for (member, value, path, rule) in [
            ("ProxyName", json!(""), "ProxyName", "length"),
            ("ProxyName", json!("x".repeat(51)), "ProxyName", "length"),
            ("ProxyName", json!("Web 1"), "ProxyName", "pattern"),
            ("Area", json!("moon"), "Area", "enum"),
            ("Area", json!("Overseas"), "Area", "enum"),
            ("Offset", json!(-1), "Offset", "range"),
            ("Offset", json!(u64::MAX), "Offset", "int64"),
            ("Limit", json!(1001), "Limit", "range"),
            ("Limit", json!(0), "Limit", "range"),
            ("Weight", json!(101), "Weight", "range"),
            ("Ratio", json!(1.5), "Ratio", "range"),
            ("Ratio", json!(-0.1), "Ratio", "range"),
            ("Secret", json!("not base64!"), "Secret", "base64"),
            ("Secret", json!("YWJj"), "Secret", "base64"),
            ("Tags", json!(["a", "b", "c", "d"]), "Tags", "count"),
            ("Tags", json!(["a", "far-too-long-tag"]), "Tags.1", "length"),
            ("Filters", json!([]), "Filters", "count"),
        ] {
            let answer = refusal("CreateL4Proxy", with(member, value.clone()));
            let Some((code, message)) = answer else {
                panic!("{member} = {value} should be refused");
            };
            assert_eq!(code, "InvalidParameterValue", "{message}");
            assert!(
                message.starts_with(&format!("The parameter `{path}` breaks its `{rule}` constraint: ")),
                "{message}"
            );
        }
        let answer = refusal("CreateL4Proxy", with("Area", json!("moon")));
        assert_eq!(
            answer.map(|(_, message)| message).as_deref(),
            Some(
                "The parameter `Area` breaks its `enum` constraint: `moon` is not one of: mainland, overseas, global."
            )
        );
        let answer = refusal("CreateL4Proxy", with("Limit", json!(1001)));
        assert_eq!(
            answer.map(|(_, message)| message).as_deref(),
            Some("The parameter `Limit` breaks its `range` constraint: 1001, expected between 1 and 1000.")
        );
    }

    #[test]
    fn sensitive_values_stay_out_of_messages() {
        let answer = refusal("CreateL4Proxy", with("Secret", json!("hunter2 hunter2")));
        let message = answer.map(|(_, message)| message).unwrap_or_default();
        assert!(
            message.contains("`Secret`") && !message.contains("hunter2"),
            "{message}"
        );
    }

    #[test]
    fn bad_dates_and_times_are_invalid_parameter_value() {
        for (member, value) in [
            ("StartTime", "2024-05-01"),
            ("StartTime", "2024-05-01T10:00:00+0800"),
            ("StartTime", "now"),
            ("Day", "2024/05/01"),
            ("Day", "2024-05-01T00:00:00Z"),
        ] {
            let answer = refusal("CreateL4Proxy", with(member, json!(value)));
            assert!(
                answer.as_ref().is_some_and(
                    |(code, message)| code == "InvalidParameterValue" && message.contains(&format!("`{member}`"))
                ),
                "{member} = {value}: {answer:?}"
            );
        }
        for ok in [
            "2024-05-01T10:00:00Z",
            "2024-05-01T10:00:00.123Z",
            "2024-05-01T10:00:00-05:00",
        ] {
            assert_eq!(refusal("CreateL4Proxy", with("StartTime", json!(ok))), None, "{ok}");
        }
    }

    #[test]
    fn numbers_compare_exactly() {
        let a = Number::from(i64::MAX);
        let b = Number::from(u64::MAX);
        assert!(compare(&a, &b).is_lt());
        assert!(compare(&Number::from(-1), &Number::from(0u64)).is_lt());
        let half = Number::from_f64(0.5).unwrap_or_else(|| Number::from(0));
        assert!(compare(&half, &Number::from(1)).is_lt());
        assert!(compare(&Number::from(1), &half).is_gt());
    }
}
