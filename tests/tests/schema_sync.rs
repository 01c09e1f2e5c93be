//! `spec/schema.json` describes exactly the keys the generator's loader accepts, and the
//! committed spec uses only what the schema allows.

use std::collections::BTreeSet;
use std::path::Path;

use codegen::spec;
use serde_json::Value;

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v["properties"].as_object().unwrap().keys().cloned().collect()
}

fn set(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn schema_keys_match_the_loader() {
    let s = schema();
    let defs = &s["$defs"];
    let pairs = [
        ("top level", keys(&s), set(spec::SPEC_KEYS)),
        ("service", keys(&defs["service"]), set(spec::SERVICE_KEYS)),
        ("endpoints", keys(&defs["endpoints"]), set(spec::ENDPOINT_KEYS)),
        ("action", keys(&defs["action"]), set(spec::ACTION_KEYS)),
        ("object", keys(&defs["object"]), set(spec::OBJECT_KEYS)),
        ("enum", keys(&defs["enum"]), set(spec::ENUM_KEYS)),
        ("enum value", keys(&defs["enumValue"]), set(spec::ENUM_VALUE_KEYS)),
        ("member", keys(&defs["member"]), set(spec::MEMBER_KEYS)),
        ("constraints", keys(&defs["constraints"]), set(spec::CONSTRAINT_KEYS)),
        ("bound", keys(&defs["bound"]), set(spec::BOUND_KEYS)),
        (
            "range",
            keys(&defs["constraints"]["properties"]["range"]),
            set(spec::BOUND_KEYS),
        ),
        ("example", keys(&defs["example"]), set(spec::EXAMPLE_KEYS)),
        ("pagination", keys(&defs["pagination"]), set(spec::PAGINATION_KEYS)),
        ("waiter", keys(&defs["waiter"]), set(spec::WAITER_KEYS)),
        (
            "count",
            keys(&defs["constraints"]["properties"]["count"]),
            set(spec::BOUND_KEYS),
        ),
    ];
    for (what, schema_keys, loader_keys) in pairs {
        assert_eq!(schema_keys, loader_keys, "{what}: schema.json and the loader disagree");
    }
}

#[test]
fn schema_closes_every_object_and_lists_the_scalar_types() {
    let s = schema();
    assert_eq!(s["additionalProperties"], Value::Bool(false));
    for (name, def) in s["$defs"].as_object().unwrap() {
        if def.get("properties").is_some() {
            assert_eq!(
                def["additionalProperties"],
                Value::Bool(false),
                "$defs.{name} must reject unknown keys"
            );
        }
    }
    let scalars: BTreeSet<String> = s["$defs"]["type"]["oneOf"][0]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(scalars, set(spec::SCALAR_TYPES));
    // The type forms besides the scalars: list, object and enum.
    let forms: BTreeSet<String> = s["$defs"]["type"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .skip(1)
        .map(|form| form["required"][0].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(forms, set(&["list", "object", "enum"]));
    assert_eq!(
        s["$defs"]["enumValue"]["properties"]["name"]["not"]["enum"][0],
        Value::from(spec::UNKNOWN_VARIANT)
    );
}
