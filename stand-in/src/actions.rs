// The three TEO actions the stand-in serves, over the per-zone multi-path gateway keys: parameter
// validation (unknown fields, required ZoneId, zone id shape, key length) and the state changes.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::response::ApiError;
use crate::state::Rng;

/// Bounds on the decoded length, in bytes, of a caller-chosen gateway key.
const KEY_BYTES: std::ops::RangeInclusive<usize> = 32..=48;

/// An action this stand-in implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    Create,
    Refresh,
    Describe,
}

impl Action {
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name {
            "CreateMultiPathGatewaySecretKey" => Some(Self::Create),
            "RefreshMultiPathGatewaySecretKey" => Some(Self::Refresh),
            "DescribeMultiPathGatewaySecretKey" => Some(Self::Describe),
            _ => None,
        }
    }

    fn parameters(self) -> &'static [&'static str] {
        match self {
            Self::Create => &["ZoneId", "SecretKey"],
            Self::Refresh | Self::Describe => &["ZoneId"],
        }
    }
}

/// Runs `action` on `body`, returning the `Response` fields other than `RequestId`.
pub(crate) fn run(
    name: &str,
    body: &[u8],
    zones: &mut HashMap<String, String>,
    rng: &mut Rng,
) -> Result<Map<String, Value>, ApiError> {
    let action = Action::from_name(name).ok_or_else(|| {
        ApiError::new(
            "InvalidAction",
            format!("The action `{name}` is not supported by this service."),
        )
    })?;
    let params = parse_object(body)?;
    if let Some(unknown) = params.keys().find(|key| !action.parameters().contains(&key.as_str())) {
        return Err(ApiError::new(
            "UnknownParameter",
            format!("The parameter `{unknown}` is not recognized."),
        ));
    }
    let zone = zone_id(&params)?;
    let mut fields = Map::new();
    match action {
        Action::Create => {
            let chosen = secret_key_param(&params)?;
            if zones.contains_key(zone) {
                return Err(ApiError::new(
                    "OperationDenied",
                    format!("The zone `{zone}` already has a multi-path gateway secret key; refresh it instead."),
                ));
            }
            let key = chosen.unwrap_or_else(|| rng.secret_key());
            zones.insert(zone.to_owned(), key);
        }
        Action::Refresh => {
            let Some(slot) = zones.get_mut(zone) else {
                return Err(ApiError::new(
                    "OperationDenied",
                    format!("The zone `{zone}` has no multi-path gateway secret key to refresh; create one first."),
                ));
            };
            *slot = rng.secret_key();
            fields.insert("SecretKey".to_owned(), Value::String(slot.clone()));
        }
        Action::Describe => {
            let key = zones.get(zone).ok_or_else(|| {
                ApiError::new(
                    "ResourceNotFound",
                    format!("The zone `{zone}` has no multi-path gateway secret key."),
                )
            })?;
            fields.insert("SecretKey".to_owned(), Value::String(key.clone()));
        }
    }
    Ok(fields)
}

fn parse_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
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

/// A present, string-typed parameter; JSON `null` counts as absent.
fn string_param<'p>(params: &'p Map<String, Value>, name: &str) -> Result<Option<&'p str>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(ApiError::new(
            "InvalidParameter",
            format!("The parameter `{name}` must be a string."),
        )),
    }
}

/// `ZoneId`: required, `zone-` then 1 to 32 lowercase letters or digits.
fn zone_id(params: &Map<String, Value>) -> Result<&str, ApiError> {
    let zone = string_param(params, "ZoneId")?
        .ok_or_else(|| ApiError::new("MissingParameter", "The parameter `ZoneId` is missing."))?;
    let suffix = zone.strip_prefix("zone-").unwrap_or("");
    let well_formed =
        (1..=32).contains(&suffix.len()) && suffix.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if well_formed {
        Ok(zone)
    } else {
        Err(ApiError::new(
            "InvalidParameterValue",
            format!("The ZoneId `{zone}` is invalid: expected `zone-` followed by lowercase letters or digits."),
        ))
    }
}

/// `SecretKey`: optional (absent, `null` or empty means "generate one"); else base64 of 32 to 48 bytes.
fn secret_key_param(params: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    let Some(key) = string_param(params, "SecretKey")?.filter(|key| !key.is_empty()) else {
        return Ok(None);
    };
    match STANDARD.decode(key) {
        Ok(bytes) if KEY_BYTES.contains(&bytes.len()) => Ok(Some(key.to_owned())),
        Ok(bytes) => Err(ApiError::new(
            "InvalidParameterValue",
            format!(
                "The SecretKey decodes to {} bytes; it must decode to 32 to 48 bytes.",
                bytes.len()
            ),
        )),
        Err(_) => Err(ApiError::new(
            "InvalidParameterValue",
            "The SecretKey is not valid base64.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(action: &str, body: &str, zones: &mut HashMap<String, String>) -> Result<Map<String, Value>, String> {
        run(action, body.as_bytes(), zones, &mut Rng::from_entropy()).map_err(|error| error.code)
    }

    #[test]
    fn create_refresh_describe_move_the_zone_key() {
        let mut zones = HashMap::new();
        let key = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=";
        let body = format!(r#"{{"ZoneId":"zone-a1","SecretKey":"{key}"}}"#);
        assert_eq!(
            call("CreateMultiPathGatewaySecretKey", &body, &mut zones),
            Ok(Map::new())
        );
        assert_eq!(zones.get("zone-a1").map(String::as_str), Some(key));

        let refreshed = call(
            "RefreshMultiPathGatewaySecretKey",
            r#"{"ZoneId":"zone-a1"}"#,
            &mut zones,
        );
        let new_key = refreshed.ok().and_then(|fields| fields.get("SecretKey").cloned());
        assert_ne!(new_key, Some(Value::String(key.to_owned())));
        assert_eq!(
            new_key.as_ref().and_then(Value::as_str),
            zones.get("zone-a1").map(String::as_str)
        );

        let described = call(
            "DescribeMultiPathGatewaySecretKey",
            r#"{"ZoneId":"zone-a1"}"#,
            &mut zones,
        );
        assert_eq!(
            described.ok().and_then(|fields| fields.get("SecretKey").cloned()),
            new_key
        );
    }

    #[test]
    fn parameter_errors_use_the_documented_codes() {
        let mut zones = HashMap::new();
        let create = "CreateMultiPathGatewaySecretKey";
        for (body, code) in [
            ("", "InvalidParameter"),
            ("[1]", "InvalidParameter"),
            ("{\"ZoneId\":", "InvalidParameter"),
            ("{}", "MissingParameter"),
            (r#"{"ZoneId":null}"#, "MissingParameter"),
            (r#"{"ZoneId":7}"#, "InvalidParameter"),
            (r#"{"ZoneId":"27q0p0bal192"}"#, "InvalidParameterValue"),
            (r#"{"ZoneId":"zone-"}"#, "InvalidParameterValue"),
            (r#"{"ZoneId":"zone-ABC"}"#, "InvalidParameterValue"),
            (r#"{"ZoneId":"zone-a","Extra":1}"#, "UnknownParameter"),
            (r#"{"ZoneId":"zone-a","zoneid":1}"#, "UnknownParameter"),
            (r#"{"ZoneId":"zone-a","SecretKey":5}"#, "InvalidParameter"),
            (
                r#"{"ZoneId":"zone-a","SecretKey":"not base64!"}"#,
                "InvalidParameterValue",
            ),
            (r#"{"ZoneId":"zone-a","SecretKey":"c2hvcnQ="}"#, "InvalidParameterValue"),
        ] {
            assert_eq!(call(create, body, &mut zones).err().as_deref(), Some(code), "{body}");
        }
        assert!(zones.is_empty());
        let refresh_with_key = r#"{"ZoneId":"zone-a","SecretKey":"x"}"#;
        assert_eq!(
            call("RefreshMultiPathGatewaySecretKey", refresh_with_key, &mut zones)
                .err()
                .as_deref(),
            Some("UnknownParameter")
        );
        assert_eq!(
            call("DescribeZones", "{}", &mut zones).err().as_deref(),
            Some("InvalidAction")
        );
    }

    #[test]
    fn key_length_bounds_are_inclusive() {
        let mut zones = HashMap::new();
        for (zone, bytes, accepted) in [
            ("zone-a", 31, false),
            ("zone-b", 32, true),
            ("zone-c", 48, true),
            ("zone-d", 49, false),
        ] {
            let key = STANDARD.encode(vec![7u8; bytes]);
            let body = format!(r#"{{"ZoneId":"{zone}","SecretKey":"{key}"}}"#);
            let result = call("CreateMultiPathGatewaySecretKey", &body, &mut zones);
            assert_eq!(result.is_ok(), accepted, "{bytes} bytes");
        }
    }

    #[test]
    fn state_conflicts_are_refused() {
        let mut zones = HashMap::new();
        let zone = r#"{"ZoneId":"zone-a"}"#;
        assert_eq!(
            call("RefreshMultiPathGatewaySecretKey", zone, &mut zones)
                .err()
                .as_deref(),
            Some("OperationDenied")
        );
        assert_eq!(
            call("DescribeMultiPathGatewaySecretKey", zone, &mut zones)
                .err()
                .as_deref(),
            Some("ResourceNotFound")
        );
        assert!(call("CreateMultiPathGatewaySecretKey", zone, &mut zones).is_ok());
        let generated = zones.get("zone-a").cloned();
        assert_eq!(
            generated.as_deref().map(|key| STANDARD.decode(key).map(|b| b.len())),
            Some(Ok(32))
        );
        assert_eq!(
            call("CreateMultiPathGatewaySecretKey", zone, &mut zones)
                .err()
                .as_deref(),
            Some("OperationDenied")
        );
        assert_eq!(zones.get("zone-a"), generated.as_ref());
    }
}
