//! The three served actions over the wire: Create stores a key, Refresh replaces it, Describe
//! reads it; parameter and state errors come back with their codes and change nothing.

mod common;

use base64::Engine as _;
use common::{error_code, request_id, Call, KEY_A, ZONE};
use serde_json::Value;
use teo_stand_in::{Outcome, StandIn};

const CREATE: &str = "CreateMultiPathGatewaySecretKey";
const REFRESH: &str = "RefreshMultiPathGatewaySecretKey";
const DESCRIBE: &str = "DescribeMultiPathGatewaySecretKey";

async fn call(stand_in: &StandIn, action: &str, body: &str) -> Value {
    Call::new(stand_in, action, body)
        .answer(&common::client(), stand_in)
        .await
}

fn zone_body() -> String {
    format!(r#"{{"ZoneId":"{ZONE}"}}"#)
}

#[tokio::test]
async fn create_refresh_describe_walk_through_the_zone_key() {
    let stand_in = StandIn::start().await.expect("starts");

    let created = call(
        &stand_in,
        CREATE,
        &format!(r#"{{"ZoneId":"{ZONE}","SecretKey":"{KEY_A}"}}"#),
    )
    .await;
    assert_eq!(error_code(&created), None, "{created}");
    assert_eq!(
        created["Response"].as_object().map(|fields| fields.len()),
        Some(1),
        "only RequestId: {created}"
    );
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(KEY_A));

    let described = call(&stand_in, DESCRIBE, &zone_body()).await;
    assert_eq!(described["Response"]["SecretKey"], KEY_A);

    let refreshed = call(&stand_in, REFRESH, &zone_body()).await;
    let new_key = refreshed["Response"]["SecretKey"]
        .as_str()
        .expect("a new key")
        .to_owned();
    assert_ne!(new_key, KEY_A);
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&new_key)
        .expect("base64");
    assert_eq!(decoded.len(), 32);
    assert_eq!(stand_in.zone_key(ZONE), Some(new_key.clone()));

    let described = call(&stand_in, DESCRIBE, &zone_body()).await;
    assert_eq!(described["Response"]["SecretKey"], new_key.as_str());

    let ids: Vec<String> = stand_in
        .requests()
        .iter()
        .map(|r| r.action.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, [CREATE, DESCRIBE, REFRESH, DESCRIBE]);
    assert!(stand_in.requests().iter().all(|r| r.outcome == Outcome::Success));
}

#[tokio::test]
async fn create_without_a_key_generates_one() {
    let stand_in = StandIn::start().await.expect("starts");
    let created = call(&stand_in, CREATE, &zone_body()).await;
    assert_eq!(error_code(&created), None);
    let key = stand_in.zone_key(ZONE).expect("generated");
    let decoded = base64::engine::general_purpose::STANDARD.decode(&key).expect("base64");
    assert_eq!(decoded.len(), 32);
    let empty = call(&stand_in, CREATE, r#"{"ZoneId":"zone-other","SecretKey":""}"#).await;
    assert_eq!(error_code(&empty), None, "an empty SecretKey also means generate");
    assert_ne!(stand_in.zone_key("zone-other"), Some(key));
}

#[tokio::test]
async fn state_conflicts_answer_operation_denied_or_not_found() {
    let stand_in = StandIn::start().await.expect("starts");
    assert_eq!(
        error_code(&call(&stand_in, REFRESH, &zone_body()).await),
        Some("OperationDenied")
    );
    assert_eq!(
        error_code(&call(&stand_in, DESCRIBE, &zone_body()).await),
        Some("ResourceNotFound")
    );
    assert_eq!(stand_in.zone_key(ZONE), None, "refusals create nothing");

    stand_in.set_zone_key(ZONE, KEY_A);
    let again = call(&stand_in, CREATE, &zone_body()).await;
    assert_eq!(error_code(&again), Some("OperationDenied"));
    assert_eq!(
        stand_in.zone_key(ZONE).as_deref(),
        Some(KEY_A),
        "the existing key survives"
    );

    assert_eq!(stand_in.remove_zone_key(ZONE).as_deref(), Some(KEY_A));
    assert_eq!(
        error_code(&call(&stand_in, DESCRIBE, &zone_body()).await),
        Some("ResourceNotFound")
    );
}

#[tokio::test]
async fn parameter_errors_change_nothing() {
    let stand_in = StandIn::builder().zone_key(ZONE, KEY_A).start().await.expect("starts");
    let short_key = base64::engine::general_purpose::STANDARD.encode([1u8; 31]);
    let cases = [
        (CREATE, String::new(), "InvalidParameter"),
        (CREATE, "null".to_owned(), "InvalidParameter"),
        (CREATE, r#"["zone-a"]"#.to_owned(), "InvalidParameter"),
        (CREATE, r#"{"ZoneId":"zone-a""#.to_owned(), "InvalidParameter"),
        (CREATE, "{}".to_owned(), "MissingParameter"),
        (CREATE, r#"{"ZoneId":["zone-a"]}"#.to_owned(), "InvalidParameter"),
        (CREATE, r#"{"ZoneId":"site-a"}"#.to_owned(), "InvalidParameterValue"),
        (
            CREATE,
            r#"{"ZoneId":"zone-a","Force":true}"#.to_owned(),
            "UnknownParameter",
        ),
        (
            CREATE,
            format!(r#"{{"ZoneId":"zone-a","SecretKey":"{short_key}"}}"#),
            "InvalidParameterValue",
        ),
        (
            CREATE,
            r#"{"ZoneId":"zone-a","SecretKey":"%%%"}"#.to_owned(),
            "InvalidParameterValue",
        ),
        (
            REFRESH,
            format!(r#"{{"ZoneId":"{ZONE}","SecretKey":"{KEY_A}"}}"#),
            "UnknownParameter",
        ),
        (REFRESH, "{}".to_owned(), "MissingParameter"),
        (
            DESCRIBE,
            r#"{"ZoneId":"zone_27q0p0bal192"}"#.to_owned(),
            "InvalidParameterValue",
        ),
    ];
    for (action, body, expected) in cases {
        let answer = call(&stand_in, action, &body).await;
        assert_eq!(error_code(&answer), Some(expected), "{action} {body}: {answer}");
        assert!(!request_id(&answer).is_empty());
        assert!(answer["Response"]["Error"]["Message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(KEY_A));
    assert_eq!(stand_in.zone_key("zone-a"), None);
    assert!(
        stand_in.requests().iter().all(|r| r.verification.passed()),
        "these are signed correctly"
    );
}

#[tokio::test]
async fn zones_are_independent() {
    let stand_in = StandIn::start().await.expect("starts");
    call(&stand_in, CREATE, r#"{"ZoneId":"zone-one"}"#).await;
    call(&stand_in, CREATE, r#"{"ZoneId":"zone-two"}"#).await;
    let before = stand_in.zone_key("zone-two");
    call(&stand_in, REFRESH, r#"{"ZoneId":"zone-one"}"#).await;
    assert_eq!(stand_in.zone_key("zone-two"), before);
    assert_ne!(stand_in.zone_key("zone-one"), stand_in.zone_key("zone-two"));
}

#[tokio::test]
async fn request_ids_are_fresh_uuid_shaped_strings() {
    let stand_in = StandIn::start().await.expect("starts");
    let first = call(&stand_in, DESCRIBE, &zone_body()).await;
    let second = call(&stand_in, DESCRIBE, &zone_body()).await;
    let (first, second) = (request_id(&first), request_id(&second));
    assert_ne!(first, second);
    assert_eq!(first.split('-').map(str::len).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
}
