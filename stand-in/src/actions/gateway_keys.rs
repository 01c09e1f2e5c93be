// The multi-path gateway secret key of a zone: Create, Refresh, Modify and Describe. These keep
// the stand-in's original leniency: any well-formed zone id names a zone, registered or not.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::params::{opt, req, zone_id, Kind, Params};
use super::{Answer, Ctx, Spec};
use crate::response::ApiError;

/// Bounds on the decoded length, in bytes, of a caller-chosen gateway key.
const KEY_BYTES: std::ops::RangeInclusive<usize> = 32..=48;

pub(super) const ACTIONS: &[Spec] = &[
    Spec {
        name: "CreateMultiPathGatewaySecretKey",
        input: &[req("ZoneId", Kind::Str), opt("SecretKey", Kind::Str)],
        run: create,
    },
    Spec {
        name: "RefreshMultiPathGatewaySecretKey",
        input: &[req("ZoneId", Kind::Str)],
        run: refresh,
    },
    Spec {
        name: "ModifyMultiPathGatewaySecretKey",
        input: &[req("ZoneId", Kind::Str), req("SecretKey", Kind::Str)],
        run: modify,
    },
    Spec {
        name: "DescribeMultiPathGatewaySecretKey",
        input: &[req("ZoneId", Kind::Str)],
        run: describe,
    },
];

/// Stores the given key, or a generated one when `SecretKey` is absent or empty.
fn create(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let chosen = params.str("SecretKey").filter(|key| !key.is_empty());
    let chosen = chosen.map(checked_key).transpose()?;
    if ctx.store.keys.contains_key(zone) {
        return Err(ApiError::new(
            "OperationDenied",
            format!("The zone `{zone}` already has a multi-path gateway secret key; refresh it instead."),
        ));
    }
    let key = chosen.unwrap_or_else(|| ctx.rng.secret_key());
    ctx.store.keys.insert(zone.to_owned(), key);
    Ok(Map::new())
}

/// Replaces the zone's key with a generated one and answers it.
fn refresh(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let Some(slot) = ctx.store.keys.get_mut(zone) else {
        return Err(no_key_to_change(zone, "refresh"));
    };
    *slot = ctx.rng.secret_key();
    Ok(secret_key_answer(slot))
}

/// Replaces the zone's key with the given one; the zone must already have a key.
fn modify(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let key = checked_key(params.required_str("SecretKey")?)?;
    let Some(slot) = ctx.store.keys.get_mut(zone) else {
        return Err(no_key_to_change(zone, "modify"));
    };
    *slot = key;
    Ok(Map::new())
}

fn describe(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let key = ctx.store.keys.get(zone).ok_or_else(|| {
        ApiError::new(
            "ResourceNotFound",
            format!("The zone `{zone}` has no multi-path gateway secret key."),
        )
    })?;
    Ok(secret_key_answer(key))
}

fn secret_key_answer(key: &str) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("SecretKey".to_owned(), Value::String(key.to_owned()));
    fields
}

fn no_key_to_change(zone: &str, verb: &str) -> ApiError {
    ApiError::new(
        "OperationDenied",
        format!("The zone `{zone}` has no multi-path gateway secret key to {verb}; create one first."),
    )
}

/// A caller-chosen key: base64 of 32 to 48 bytes.
fn checked_key(key: &str) -> Result<String, ApiError> {
    match STANDARD.decode(key) {
        Ok(bytes) if KEY_BYTES.contains(&bytes.len()) => Ok(key.to_owned()),
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
    use crate::state::Rng;
    use crate::store::Store;

    fn call(action: &str, body: &str, store: &mut Store) -> Result<Map<String, Value>, String> {
        let mut rng = Rng::from_entropy();
        let mut ctx = Ctx {
            store,
            rng: &mut rng,
            now: 0,
        };
        super::super::run(super::super::Api::Teo, action, body.as_bytes(), &mut ctx).map_err(|error| error.code)
    }

    fn key_of<'s>(store: &'s Store, zone: &str) -> Option<&'s str> {
        store.keys.get(zone).map(String::as_str)
    }

    #[test]
    fn create_refresh_modify_describe_move_the_zone_key() {
        let mut store = Store::default();
        let key = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=";
        let body = format!(r#"{{"ZoneId":"zone-a1","SecretKey":"{key}"}}"#);
        assert_eq!(
            call("CreateMultiPathGatewaySecretKey", &body, &mut store),
            Ok(Map::new())
        );
        assert_eq!(key_of(&store, "zone-a1"), Some(key));

        let refreshed = call(
            "RefreshMultiPathGatewaySecretKey",
            r#"{"ZoneId":"zone-a1"}"#,
            &mut store,
        );
        let new_key = refreshed.ok().and_then(|fields| fields.get("SecretKey").cloned());
        assert_ne!(new_key, Some(Value::String(key.to_owned())));
        assert_eq!(new_key.as_ref().and_then(Value::as_str), key_of(&store, "zone-a1"));

        let described = call(
            "DescribeMultiPathGatewaySecretKey",
            r#"{"ZoneId":"zone-a1"}"#,
            &mut store,
        );
        assert_eq!(
            described.ok().and_then(|fields| fields.get("SecretKey").cloned()),
            new_key
        );

        assert_eq!(
            call("ModifyMultiPathGatewaySecretKey", &body, &mut store),
            Ok(Map::new())
        );
        assert_eq!(key_of(&store, "zone-a1"), Some(key));
    }

    #[test]
    fn parameter_errors_use_the_documented_codes() {
        let mut store = Store::default();
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
            assert_eq!(call(create, body, &mut store).err().as_deref(), Some(code), "{body}");
        }
        assert!(store.keys.is_empty());
        let refresh_with_key = r#"{"ZoneId":"zone-a","SecretKey":"x"}"#;
        assert_eq!(
            call("RefreshMultiPathGatewaySecretKey", refresh_with_key, &mut store)
                .err()
                .as_deref(),
            Some("UnknownParameter")
        );
        let modify = "ModifyMultiPathGatewaySecretKey";
        assert_eq!(
            call(modify, r#"{"ZoneId":"zone-a"}"#, &mut store).err().as_deref(),
            Some("MissingParameter")
        );
        assert_eq!(
            call(modify, r#"{"ZoneId":"zone-a","SecretKey":""}"#, &mut store)
                .err()
                .as_deref(),
            Some("InvalidParameterValue"),
            "Modify has no generate-on-empty"
        );
    }

    #[test]
    fn key_length_bounds_are_inclusive() {
        let mut store = Store::default();
        for (zone, bytes, accepted) in [
            ("zone-a", 31, false),
            ("zone-b", 32, true),
            ("zone-c", 48, true),
            ("zone-d", 49, false),
        ] {
            let key = STANDARD.encode(vec![7u8; bytes]);
            let body = format!(r#"{{"ZoneId":"{zone}","SecretKey":"{key}"}}"#);
            let result = call("CreateMultiPathGatewaySecretKey", &body, &mut store);
            assert_eq!(result.is_ok(), accepted, "{bytes} bytes");
        }
    }

    #[test]
    fn state_conflicts_are_refused() {
        let mut store = Store::default();
        let zone = r#"{"ZoneId":"zone-a"}"#;
        let key = format!(r#"{{"ZoneId":"zone-a","SecretKey":"{}"}}"#, STANDARD.encode([1u8; 40]));
        assert_eq!(
            call("RefreshMultiPathGatewaySecretKey", zone, &mut store)
                .err()
                .as_deref(),
            Some("OperationDenied")
        );
        assert_eq!(
            call("ModifyMultiPathGatewaySecretKey", &key, &mut store)
                .err()
                .as_deref(),
            Some("OperationDenied")
        );
        assert_eq!(
            call("DescribeMultiPathGatewaySecretKey", zone, &mut store)
                .err()
                .as_deref(),
            Some("ResourceNotFound")
        );
        assert!(store.keys.is_empty(), "refusals store nothing");
        assert!(call("CreateMultiPathGatewaySecretKey", zone, &mut store).is_ok());
        let generated = store.keys.get("zone-a").cloned();
        assert_eq!(
            generated.as_deref().map(|key| STANDARD.decode(key).map(|b| b.len())),
            Some(Ok(32))
        );
        assert_eq!(
            call("CreateMultiPathGatewaySecretKey", zone, &mut store)
                .err()
                .as_deref(),
            Some("OperationDenied")
        );
        assert_eq!(store.keys.get("zone-a"), generated.as_ref());
    }
}
