// The TEO actions the stand-in keeps no state for: every action of the spec that no family module
// serves is checked against the spec's definition of its input (request_check.rs) and answered
// from the spec's first example output, with the request's own ids put back where the example
// has a member of the same name. A spec that did not load answers InternalError, naming why.

//! Answers from the spec's examples.

use std::collections::{HashMap, VecDeque};

use serde_json::{Map, Value};

use super::params::parse_object;
use super::Answer;
use crate::request_check::check_input;
use crate::response::ApiError;
use crate::spec_catalog::{Action, Catalog, LoadedCatalog};

/// Answers action `name` from the spec, or `None` when the spec has no such action. With a spec
/// that did not load, every name is answered `InternalError`.
pub(crate) fn run(loaded: &LoadedCatalog, name: &str, body: &[u8]) -> Option<Answer> {
    match loaded {
        Err(error) => Some(Err(ApiError::new(
            "InternalError",
            format!("The stand-in cannot answer `{name}`: its spec did not load ({error})."),
        ))),
        Ok(catalog) => catalog.action(name).map(|action| answer(catalog, action, body)),
    }
}

/// Checks the body, then answers the first example's output (without its `RequestId`; the
/// server adds a fresh one), with the request's ids substituted.
fn answer(catalog: &Catalog, action: &Action, body: &[u8]) -> Answer {
    let request = parse_object(body)?;
    check_input(catalog, &action.input, &request)?;
    let mut fields = action.example_output.clone().unwrap_or_default();
    fields.remove("RequestId");
    substitute_ids(&mut fields, &request_ids(&request));
    Ok(fields)
}

/// The string members of the request whose names end in `Id`, at any depth: name → value. When
/// a name occurs more than once, the shallowest occurrence wins, then the first (lists in order,
/// object members in name order).
fn request_ids(request: &Map<String, Value>) -> HashMap<String, String> {
    let mut ids = HashMap::new();
    let mut queue: VecDeque<&Map<String, Value>> = VecDeque::from([request]);
    while let Some(object) = queue.pop_front() {
        for (name, value) in object {
            match value {
                Value::String(text) if name.ends_with("Id") => {
                    ids.entry(name.clone()).or_insert_with(|| text.clone());
                }
                Value::Object(inner) => queue.push_back(inner),
                Value::Array(items) => queue.extend(items.iter().filter_map(Value::as_object)),
                _ => {}
            }
        }
    }
    ids
}

/// Replaces, at any depth, each string member named like one of `ids` with its value.
fn substitute_ids(object: &mut Map<String, Value>, ids: &HashMap<String, String>) {
    if ids.is_empty() {
        return;
    }
    for (name, value) in object.iter_mut() {
        match value {
            Value::String(text) => {
                if let Some(id) = ids.get(name) {
                    id.clone_into(text);
                }
            }
            Value::Object(inner) => substitute_ids(inner, ids),
            Value::Array(items) => items
                .iter_mut()
                .filter_map(Value::as_object_mut)
                .for_each(|inner| substitute_ids(inner, ids)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{find, Api};
    use crate::spec_catalog::{committed, FIXTURE};
    use serde_json::json;

    fn fixture() -> LoadedCatalog {
        Catalog::parse(FIXTURE, "fixture")
    }

    fn answer_json(loaded: &LoadedCatalog, name: &str, body: Value) -> Option<Result<Value, ApiError>> {
        run(loaded, name, body.to_string().as_bytes()).map(|answer| answer.map(Value::Object))
    }

    #[test]
    fn the_first_example_answers_with_the_request_ids() {
        let loaded = fixture();
        let answer = answer_json(
            &loaded,
            "CreateL4Proxy",
            json!({"ZoneId": "zone-mine", "ProxyName": "web", "Area": "global"}),
        );
        assert_eq!(
            answer,
            Some(Ok(json!({"ProxyId": "sid-example", "ZoneId": "zone-mine"})))
        );
        let answer = answer_json(
            &loaded,
            "DescribeL4Proxy",
            json!({"ZoneId": "zone-mine", "ProxyIds": ["sid-1"]}),
        );
        assert_eq!(
            answer,
            Some(Ok(json!({
                "TotalCount": 1,
                "L4Proxies": [{"ZoneId": "zone-mine", "ProxyId": "sid-example", "Area": "overseas", "Ports": [80, 443]}],
            })))
        );
    }

    #[test]
    fn an_action_without_example_answers_nothing_more() {
        let loaded = fixture();
        let answer = answer_json(&loaded, "ModifyL4ProxyStatus", json!({"ZoneId": "z", "ProxyId": "p"}));
        assert_eq!(answer, Some(Ok(json!({}))));
        let answer = answer_json(
            &loaded,
            "ModifyL4ProxyStatus",
            json!({"ZoneId": "z", "ProxyId": "p", "Status": "paused"}),
        );
        assert!(matches!(answer, Some(Err(error)) if error.code == "InvalidParameterValue"));
    }

    #[test]
    fn unknown_actions_are_left_to_the_caller() {
        assert!(run(&fixture(), "DescribeEverything", b"{}").is_none());
    }

    #[test]
    fn a_spec_that_did_not_load_answers_internal_error() {
        let broken = Catalog::parse(r#"{"service": {"version": "2022-09-01"}, "actions": 3}"#, "broken spec");
        let Some(Err(error)) = run(&broken, "DescribeL4Proxy", b"{}") else {
            panic!("a broken spec answers an error");
        };
        assert_eq!(error.code, "InternalError");
        assert!(
            error.message.contains("broken spec: actions: expected an object"),
            "{}",
            error.message
        );
    }

    #[test]
    fn ids_come_from_any_depth_shallowest_first() {
        let request = json!({
            "ZoneId": "zone-top",
            "Limit": 5,
            "Origin": {"OriginId": "o-1", "ZoneId": "zone-deep", "Count": 3},
            "Rules": [{"RuleId": "r-1"}, {"RuleId": "r-2"}],
            "ProxyIds": ["not", "strings", "members"],
            "Valid": "no-suffix",
        });
        let ids = request_ids(request.as_object().unwrap_or(&Map::new()));
        let expected: HashMap<String, String> = [("ZoneId", "zone-top"), ("OriginId", "o-1"), ("RuleId", "r-1")]
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        assert_eq!(ids, expected);

        let mut answer = json!({
            "ZoneId": "x",
            "Items": [{"RuleId": "y", "ZoneId": 7, "Nested": {"OriginId": "z"}}],
            "Valid": "kept",
        });
        if let Some(object) = answer.as_object_mut() {
            substitute_ids(object, &ids);
        }
        assert_eq!(
            answer,
            json!({
                "ZoneId": "zone-top",
                "Items": [{"RuleId": "r-1", "ZoneId": 7, "Nested": {"OriginId": "o-1"}}],
                "Valid": "kept",
            })
        );
    }

    /// Every member of every fixture action, set to values of every JSON type, gets an answer.
    #[test]
    fn odd_values_never_panic() {
        let samples = [
            json!(null),
            json!(true),
            json!(-1),
            json!(u64::MAX),
            json!(1.5),
            json!(""),
            json!("ü\u{0}"),
            json!([]),
            json!([null]),
            json!([{}]),
            json!({}),
            json!({"Name": "x", "Children": [{"Name": "y"}]}),
        ];
        let loaded = fixture();
        let Ok(catalog) = &loaded else {
            panic!("the fixture loads");
        };
        let mut answered = 0;
        for name in catalog.action_names() {
            let members = catalog
                .action(name)
                .map(|action| action.input.clone())
                .unwrap_or_default();
            for member in &members {
                for sample in &samples {
                    let mut body = Map::new();
                    body.insert(member.name.clone(), sample.clone());
                    let _answer = run(&loaded, name, Value::Object(body).to_string().as_bytes());
                    answered += 1;
                }
            }
        }
        assert!(answered > 100, "{answered}");
    }

    /// The committed spec: every action is served, statefully or from the spec. Each generic
    /// action's first example input passes the checks and gets its example output back; one
    /// without examples is still answered from the spec (an empty body may lack required members).
    #[test]
    fn every_committed_action_is_served() {
        let loaded = committed();
        let Ok(catalog) = loaded else {
            panic!("the committed spec loads");
        };
        let spec: Value = serde_json::from_str(crate::spec_catalog::COMMITTED_SPEC).unwrap_or_default();
        let mut generic = 0;
        for name in catalog.action_names() {
            if find(Api::Teo, name).is_some() {
                continue;
            }
            generic += 1;
            let Some(example) = spec["actions"][name]["examples"].get(0) else {
                let answer = run(loaded, name, b"{}");
                assert!(
                    matches!(&answer, Some(Ok(_)))
                        || matches!(&answer, Some(Err(error)) if error.code == "MissingParameter"),
                    "{name}: {answer:?}"
                );
                continue;
            };
            let input = example.get("input").cloned().unwrap_or_else(|| json!({}));
            let answer = run(loaded, name, input.to_string().as_bytes());
            let Some(Ok(fields)) = answer else {
                panic!("{name}: the example input {input} should be accepted: {answer:?}");
            };
            let mut expected = example
                .get("output")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            expected.remove("RequestId");
            if let Some(input) = input.as_object() {
                substitute_ids(&mut expected, &request_ids(input));
            }
            assert_eq!(fields, expected, "{name}");
        }
        // Every stateful TEO action is an action of the spec.
        let stateful: Vec<&str> = super::super::FAMILIES
            .iter()
            .flat_map(|family| family.iter())
            .map(|spec| spec.name)
            .collect();
        for name in &stateful {
            assert!(catalog.action(name).is_some(), "{name} is stateful but not in the spec");
        }
        assert_eq!(stateful.len() + generic, catalog.action_names().count());
    }

    /// The committed spec's own actions, renamed so that none is stateful: every example input
    /// (which the generator already checked against the spec) passes the checks, and the first
    /// example's output comes back. This holds the checks to the generator's reading of the spec.
    #[test]
    fn every_committed_example_passes_the_checks() {
        let mut spec: Value = serde_json::from_str(crate::spec_catalog::COMMITTED_SPEC).unwrap_or_default();
        let actions = spec["actions"].as_object().cloned().unwrap_or_default();
        assert!(!actions.is_empty());
        spec["actions"] = actions
            .iter()
            .map(|(name, action)| (format!("Generic{name}"), action.clone()))
            .collect::<Map<String, Value>>()
            .into();
        let loaded = Catalog::parse(&spec.to_string(), "renamed committed spec");
        let mut checked = 0;
        for (name, action) in &actions {
            let examples = action["examples"].as_array().cloned().unwrap_or_default();
            for (index, example) in examples.iter().enumerate() {
                let input = example.get("input").cloned().unwrap_or_else(|| json!({}));
                let answer = run(&loaded, &format!("Generic{name}"), input.to_string().as_bytes());
                let Some(Ok(fields)) = answer else {
                    panic!("{name} example {index}: {input} should be accepted: {answer:?}");
                };
                if index == 0 {
                    let mut expected = example["output"].as_object().cloned().unwrap_or_default();
                    expected.remove("RequestId");
                    if let Some(input) = input.as_object() {
                        substitute_ids(&mut expected, &request_ids(input));
                    }
                    assert_eq!(fields, expected, "{name}");
                }
                checked += 1;
            }
        }
        assert!(checked >= actions.len(), "{checked}");
    }
}
