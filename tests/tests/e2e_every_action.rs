//! End to end, the whole API: every action of the committed spec is called through the client
//! (`Client::send_json`, which reads the request into the action's request type, validates it,
//! signs and sends it, and decodes the answer into the response type) against the stand-in,
//! which checks each request against the spec and answers it. The request is the spec's first
//! example, or, for an action without one, its required members with their own examples.

mod common;

use common::{client, stand_in};
use generated_client::runtime::dynamic::DynamicError;
use generated_client::Error;
use serde_json::{json, Map, Value};

fn spec() -> Value {
    let text = include_str!("../../spec/teo-2022-09-01.json");
    serde_json::from_str(text).expect("the committed spec is JSON")
}

/// A request for `action`: its first example's input, or its required members with their
/// example values (a plain value of the member's type where it has none).
fn request(action: &Value) -> Value {
    if let Some(input) = action["examples"].get(0).map(|e| e["input"].clone()) {
        return input;
    }
    let mut body = Map::new();
    for (name, member) in action["input"].as_object().into_iter().flatten() {
        if member["required"] != json!(true) {
            continue;
        }
        let value = match (&member["example"], &member["type"]) {
            (example, _) if !example.is_null() => example.clone(),
            (_, Value::String(t)) if t == "string" => json!("example"),
            (_, Value::String(t)) if t == "bool" => json!(false),
            (_, Value::String(t)) if t == "int64" || t == "uint64" || t == "float" => json!(1),
            (_, ty) if ty.get("list").is_some() => json!([]),
            _ => json!({}),
        };
        body.insert(name.clone(), value);
    }
    Value::Object(body)
}

#[tokio::test]
async fn every_action_is_called_and_its_answer_decoded() {
    let spec = spec();
    let actions = spec["actions"].as_object().expect("actions");
    assert_eq!(actions.len(), 238, "the spec holds the whole TEO API");
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    let (mut answered, mut refused) = (Vec::new(), Vec::new());
    for (name, action) in actions {
        let input = request(action).to_string();
        match client.send_json(name, &input).await {
            Ok(answer) => {
                let answer: Value = serde_json::from_str(&answer).expect("send_json answers JSON");
                assert!(answer["RequestId"].is_string(), "{name}: no RequestId in {answer}");
                answered.push(name.clone());
            }
            // The stateful actions check the state the stand-in holds (an empty one here): a
            // service error, decoded as such, is their answer.
            Err(DynamicError::Call(Error::Service(e))) => refused.push(format!("{name}: {}", e.code())),
            Err(other) => panic!("{name}: {other}"),
        }
    }
    assert_eq!(answered.len() + refused.len(), 238);
    // Only actions whose answers depend on state may be refused, and those are at most the 25
    // the stand-in keeps state for.
    assert!(refused.len() <= 25, "refused: {refused:#?}");
    let requests = stand_in.requests();
    assert_eq!(requests.len(), 238, "one request per action, none retried");
}

#[tokio::test]
async fn an_unknown_action_or_member_is_refused_before_sending() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    let err = client.send_json("DescribeEverything", "{}").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown action \"DescribeEverything\": not in this client (or its category's cargo feature is off)"
    );
    let err = client
        .send_json(
            "DescribeZones",
            r#"{"Limit": 10, "Filters": [{"Name": "zone-name", "Values": ["a"], "Fuzy": true}]}"#,
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "DescribeZones: the request JSON does not fit: unknown member Filters[0].Fuzy"
    );
    let err = client
        .send_json("DescribeZones", r#"{"Limit": "ten"}"#)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            DynamicError::Input {
                action: "DescribeZones",
                ..
            }
        ),
        "{err:?}"
    );
    let err = client
        .send_json("DescribeZones", r#"{"Limit": 100000}"#)
        .await
        .unwrap_err();
    assert!(matches!(err, DynamicError::Call(Error::Validation(_))), "{err:?}");
    assert!(stand_in.requests().is_empty(), "nothing was sent");
}
