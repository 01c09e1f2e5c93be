//! The TEO actions the stand-in keeps no state for, over the wire with signed raw requests: each
//! is checked against the spec's definition of its input and answered from the spec's first
//! example. Most tests serve the small fixture spec (`tests/fixtures/generic-spec.json`) through
//! `StandInBuilder::spec_json`; the last ones serve the committed spec.

mod common;

use common::{call, client, error_code, ok, refused, request_id, Call};
use serde_json::{json, Value};
use teo_stand_in::{Outcome, StandIn};

const FIXTURE: &str = include_str!("fixtures/generic-spec.json");
const COMMITTED: &str = include_str!("../../spec/teo-2022-09-01.json");
const ZONE: &str = "zone-2o3h21ed8bpu";

async fn fixture_stand_in() -> StandIn {
    StandIn::builder().spec_json(FIXTURE).start().await.expect("starts")
}

/// A body CreateL4Proxy accepts; tests bend one member.
fn create() -> Value {
    json!({
        "ZoneId": ZONE,
        "ProxyName": "web-1",
        "Area": "overseas",
        "Limit": 10,
        "Tags": ["a", "b"],
        "Filters": [{"Name": "proxy-id", "Values": ["sid-1"]}],
    })
}

fn create_with(member: &str, value: Value) -> Value {
    let mut body = create();
    body[member] = value;
    body
}

#[tokio::test]
async fn answers_the_first_example_with_a_fresh_request_id_and_the_request_ids() {
    let stand_in = fixture_stand_in().await;
    let first = ok(&stand_in, "CreateL4Proxy", create()).await;
    let second = ok(&stand_in, "CreateL4Proxy", create()).await;
    assert_eq!(
        first,
        json!({"ProxyId": "sid-example", "ZoneId": ZONE, "RequestId": first["RequestId"]}),
        "the first example's output, with the request's ZoneId"
    );
    let (first_id, second_id) = (first["RequestId"].as_str(), second["RequestId"].as_str());
    assert!(first_id.is_some_and(|id| id.len() == 36), "{first}");
    assert_ne!(first_id, second_id, "every answer has its own RequestId");
    assert_ne!(
        first_id,
        Some("6c6bf2b7-0000-4000-8000-000000000000"),
        "not the example's"
    );

    // Ids are put back at any depth; other members are the example's.
    let listing = ok(&stand_in, "DescribeL4Proxy", json!({"ZoneId": ZONE})).await;
    assert_eq!(listing["TotalCount"], 1);
    assert_eq!(listing["L4Proxies"][0]["ZoneId"], ZONE);
    assert_eq!(listing["L4Proxies"][0]["ProxyId"], "sid-example");
    assert_eq!(listing["L4Proxies"][0]["Ports"], json!([80, 443]));

    // No example: the answer is only the RequestId.
    let bare = ok(
        &stand_in,
        "ModifyL4ProxyStatus",
        json!({"ZoneId": ZONE, "ProxyId": "sid-1"}),
    )
    .await;
    let members: Vec<&String> = bare
        .as_object()
        .map(|object| object.keys().collect())
        .unwrap_or_default();
    assert_eq!(members, ["RequestId"]);

    let requests = stand_in.requests();
    assert_eq!(requests.len(), 4);
    assert!(requests
        .iter()
        .all(|request| request.verification.passed() && request.outcome == Outcome::Success));
}

#[tokio::test]
async fn a_missing_required_member_is_named() {
    let stand_in = fixture_stand_in().await;
    let mut body = create();
    body.as_object_mut().map(|object| object.remove("ProxyName"));
    let answer = refused(&stand_in, "CreateL4Proxy", body).await;
    assert_eq!(
        answer,
        (
            "MissingParameter".to_owned(),
            "The parameter `ProxyName` is missing.".to_owned()
        )
    );
    let nested = refused(
        &stand_in,
        "CreateL4Proxy",
        create_with("Filters", json!([{"Name": "x"}])),
    )
    .await;
    assert_eq!(nested.0, "MissingParameter");
    assert!(nested.1.contains("`Filters.0.Values`"), "{}", nested.1);
    let null = refused(&stand_in, "CreateL4Proxy", create_with("ZoneId", Value::Null)).await;
    assert_eq!(null.0, "MissingParameter", "null counts as absent");
}

#[tokio::test]
async fn a_value_outside_the_enum_is_refused() {
    let stand_in = fixture_stand_in().await;
    let answer = refused(&stand_in, "CreateL4Proxy", create_with("Area", json!("moon"))).await;
    assert_eq!(
        answer,
        (
            "InvalidParameterValue".to_owned(),
            "The parameter `Area` breaks its `enum` constraint: `moon` is not one of: mainland, overseas, global."
                .to_owned()
        )
    );
}

#[tokio::test]
async fn a_number_out_of_range_is_refused() {
    let stand_in = fixture_stand_in().await;
    let answer = refused(&stand_in, "CreateL4Proxy", create_with("Limit", json!(1001))).await;
    assert_eq!(
        answer,
        (
            "InvalidParameterValue".to_owned(),
            "The parameter `Limit` breaks its `range` constraint: 1001, expected between 1 and 1000.".to_owned()
        )
    );
    let float = refused(&stand_in, "CreateL4Proxy", create_with("Ratio", json!(1.25))).await;
    assert_eq!(float.0, "InvalidParameterValue");
    assert!(
        float.1.contains("`Ratio`") && float.1.contains("`range`"),
        "{}",
        float.1
    );
    let negative = refused(&stand_in, "CreateL4Proxy", create_with("Weight", json!(-1))).await;
    assert_eq!(negative.0, "InvalidParameterValue", "uint64: {}", negative.1);
}

#[tokio::test]
async fn a_list_above_its_count_is_refused() {
    let stand_in = fixture_stand_in().await;
    let answer = refused(
        &stand_in,
        "CreateL4Proxy",
        create_with("Tags", json!(["a", "b", "c", "d"])),
    )
    .await;
    assert_eq!(
        answer,
        (
            "InvalidParameterValue".to_owned(),
            "The parameter `Tags` breaks its `count` constraint: 4 entries, expected at most 3.".to_owned()
        )
    );
    // The other constraints of a list apply to each entry.
    let entry = refused(
        &stand_in,
        "CreateL4Proxy",
        create_with("Tags", json!(["a", "much-too-long"])),
    )
    .await;
    assert_eq!(entry.0, "InvalidParameterValue");
    assert!(
        entry
            .1
            .starts_with("The parameter `Tags.1` breaks its `length` constraint"),
        "{}",
        entry.1
    );
}

#[tokio::test]
async fn strings_break_length_pattern_and_base64() {
    let stand_in = fixture_stand_in().await;
    for (member, value, rule) in [
        ("ProxyName", json!(""), "length"),
        ("ProxyName", json!("Web 1"), "pattern"),
        ("Secret", json!("%%%"), "base64"),
        ("Secret", json!("YWJjZGVmZ2hpams="), "base64"),
        ("StartTime", json!("yesterday"), "StartTime"),
        ("Day", json!("01/05/2024"), "Day"),
    ] {
        let (code, message) = refused(&stand_in, "CreateL4Proxy", create_with(member, value)).await;
        assert_eq!(code, "InvalidParameterValue", "{member}: {message}");
        assert!(
            message.contains(&format!("`{member}`")) && message.contains(rule),
            "{member}: {message}"
        );
    }
}

#[tokio::test]
async fn a_wrong_json_type_is_invalid_parameter() {
    let stand_in = fixture_stand_in().await;
    for (member, value, path, expected) in [
        ("Limit", json!("10"), "Limit", "an integer"),
        ("Limit", json!(2.5), "Limit", "an integer"),
        ("ProxyName", json!(["web"]), "ProxyName", "a string"),
        ("Enabled", json!("true"), "Enabled", "a boolean"),
        ("Tags", json!(["a", 2]), "Tags.1", "a string"),
        ("Filters", json!({"Name": "x"}), "Filters", "an array"),
    ] {
        let answer = refused(&stand_in, "CreateL4Proxy", create_with(member, value)).await;
        assert_eq!(
            answer,
            (
                "InvalidParameter".to_owned(),
                format!("The parameter `{path}` must be {expected}.")
            )
        );
    }
    let not_an_object = Call::new(&stand_in, "CreateL4Proxy", "[1]")
        .answer(&client(), &stand_in)
        .await;
    assert_eq!(error_code(&not_an_object), Some("InvalidParameter"));
}

#[tokio::test]
async fn an_unknown_member_is_unknown_parameter() {
    let stand_in = fixture_stand_in().await;
    let answer = refused(&stand_in, "CreateL4Proxy", create_with("Colour", json!("red"))).await;
    assert_eq!(
        answer,
        (
            "UnknownParameter".to_owned(),
            "The parameter `Colour` is not recognized.".to_owned()
        )
    );
    let nested = refused(
        &stand_in,
        "CreateL4Proxy",
        create_with("Filters", json!([{"Name": "x", "Values": [], "Op": "eq"}])),
    )
    .await;
    assert_eq!(nested.0, "UnknownParameter");
    assert!(nested.1.contains("`Filters.0.Op`"), "{}", nested.1);
}

#[tokio::test]
async fn signature_and_version_are_checked_first() {
    let stand_in = fixture_stand_in().await;
    let mut wrong_key = Call::new(&stand_in, "CreateL4Proxy", &create().to_string());
    wrong_key.secret_key = "not-the-key".to_owned();
    let answer = wrong_key.answer(&client(), &stand_in).await;
    assert_eq!(error_code(&answer), Some("AuthFailure.SignatureFailure"));

    // Checked before the body: a bad signature on a bad body is still a signature failure.
    let mut bad_both = Call::new(&stand_in, "CreateL4Proxy", "{}");
    bad_both.secret_key = "not-the-key".to_owned();
    let answer = bad_both.answer(&client(), &stand_in).await;
    assert_eq!(error_code(&answer), Some("AuthFailure.SignatureFailure"));

    let mut old_version = Call::new(&stand_in, "CreateL4Proxy", &create().to_string());
    old_version.version = Some("2020-01-01".to_owned());
    let answer = old_version.answer(&client(), &stand_in).await;
    assert_eq!(error_code(&answer), Some("NoSuchVersion"));

    // SSL Certificates calls never reach TEO's spec.
    let ssl = Call::ssl(&stand_in, "CreateL4Proxy", &create().to_string())
        .answer(&client(), &stand_in)
        .await;
    assert_eq!(error_code(&ssl), Some("InvalidAction"));
    let unknown = call(&stand_in, "DescribeEverything", json!({})).await;
    assert_eq!(error_code(&unknown), Some("InvalidAction"));
}

#[tokio::test]
async fn stateful_actions_win_over_the_spec() {
    let stand_in = StandIn::builder()
        .spec_json(FIXTURE)
        .zone_with_id(ZONE, "example.com")
        .start()
        .await
        .expect("starts");
    // The fixture's DescribeZones example says 99 zones; the stand-in has one.
    let zones = ok(&stand_in, "DescribeZones", json!({})).await;
    assert_eq!(zones["TotalCount"], 1);
    assert_eq!(zones["Zones"][0]["ZoneId"], ZONE);
    // And its checks are the stateful action's own (Filters is not in the fixture's DescribeZones).
    let filtered = ok(
        &stand_in,
        "DescribeZones",
        json!({"Filters": [{"Name": "zone-id", "Values": [ZONE]}]}),
    )
    .await;
    assert_eq!(filtered["TotalCount"], 1);
}

#[tokio::test]
async fn a_spec_that_does_not_load_answers_internal_error() {
    let stand_in = StandIn::builder()
        .spec_json(r#"{"service": {"version": "2022-09-01"}, "actions": {"A": {"input": {"X": {"type": "text"}}}}}"#)
        .zone_with_id(ZONE, "example.com")
        .start()
        .await
        .expect("starts");
    let (code, message) = refused(&stand_in, "A", json!({})).await;
    assert_eq!(code, "InternalError");
    assert!(
        message.contains("custom spec: actions.A.input.X.type: unknown type `text`"),
        "{message}"
    );
    let (code, _) = refused(&stand_in, "CreateL4Proxy", create()).await;
    assert_eq!(code, "InternalError", "every generic answer");
    // The stateful actions do not depend on the spec.
    let zones = ok(&stand_in, "DescribeZones", json!({})).await;
    assert_eq!(zones["TotalCount"], 1);
}

/// Every action of the committed spec is served: its first example input gets an answer from
/// the action (stateful ones may refuse it for their state, e.g. an unknown zone), never
/// `InvalidAction` or `InternalError`.
#[tokio::test]
async fn every_committed_action_is_served() {
    let spec: Value = serde_json::from_str(COMMITTED).expect("the committed spec is JSON");
    let actions = spec["actions"].as_object().expect("actions");
    assert!(!actions.is_empty());
    let stand_in = StandIn::start().await.expect("starts");
    for (name, action) in actions {
        let input = action["examples"][0].get("input").cloned().unwrap_or_else(|| json!({}));
        let answer = call(&stand_in, name, input.clone()).await;
        let code = error_code(&answer);
        assert!(
            !matches!(code, Some("InvalidAction" | "InternalError")),
            "{name} {input}: {answer}"
        );
        assert!(!request_id(&answer).is_empty());
    }
    assert_eq!(stand_in.requests().len(), actions.len());
}
