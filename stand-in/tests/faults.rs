//! Failure injection as a plain HTTP client sees it: each `Fault` kind on the wire, one fault per
//! request in queue order, normal service afterwards, and replacing faults skipping the action.

mod common;

use std::time::{Duration, Instant};

use common::{error_code, Call, KEY_A, ZONE};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::Value;
use teo_stand_in::{Fault, Outcome, StandIn};

const CREATE: &str = "CreateMultiPathGatewaySecretKey";
const DESCRIBE: &str = "DescribeMultiPathGatewaySecretKey";

async fn stand_in() -> StandIn {
    StandIn::builder().zone_key(ZONE, KEY_A).start().await.expect("starts")
}

fn describe(stand_in: &StandIn) -> Call {
    Call::new(stand_in, DESCRIBE, &format!(r#"{{"ZoneId":"{ZONE}"}}"#))
}

fn create_other_zone(stand_in: &StandIn) -> Call {
    Call::new(stand_in, CREATE, r#"{"ZoneId":"zone-other"}"#)
}

async fn send(stand_in: &StandIn, call: &Call) -> reqwest::Result<reqwest::Response> {
    call.send(&common::client(), stand_in).await
}

/// The service is back to normal: a Describe succeeds.
async fn assert_normal_service(stand_in: &StandIn) {
    let answer = describe(stand_in).answer(&common::client(), stand_in).await;
    assert_eq!(answer["Response"]["SecretKey"], KEY_A, "{answer}");
}

#[tokio::test]
async fn api_error_fault_answers_any_code_without_running_the_action() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::api_error("RequestLimitExceeded", "slow down"));
    let answer = create_other_zone(&stand_in).answer(&common::client(), &stand_in).await;
    assert_eq!(error_code(&answer), Some("RequestLimitExceeded"));
    assert_eq!(answer["Response"]["Error"]["Message"], "slow down");
    assert!(answer["Response"]["RequestId"].is_string());
    assert_eq!(stand_in.zone_key("zone-other"), None);
    let recorded = &stand_in.requests()[0];
    assert!(recorded.verification.passed());
    assert_eq!(
        recorded.outcome,
        Outcome::ApiError {
            code: "RequestLimitExceeded".to_owned()
        }
    );
    assert_normal_service(&stand_in).await;
}

#[tokio::test]
async fn html_status_fault_sends_a_proxy_error_page() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::html_status(502));
    let response = send(&stand_in, &describe(&stand_in)).await.expect("a response");
    assert_eq!(response.status(), 502);
    assert!(response.headers()[CONTENT_TYPE]
        .to_str()
        .is_ok_and(|v| v.starts_with("text/html")));
    let text = response.text().await.expect("body");
    assert!(text.contains("502 Bad Gateway"), "{text}");
    assert_eq!(stand_in.requests()[0].outcome, Outcome::Injected);
    assert_normal_service(&stand_in).await;
}

#[tokio::test]
async fn http_status_fault_sends_exactly_the_given_body() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::HttpStatus {
        status: 503,
        content_type: "application/json".to_owned(),
        body: r#"{"message":"overloaded"}"#.to_owned(),
    });
    let response = send(&stand_in, &describe(&stand_in)).await.expect("a response");
    assert_eq!(response.status(), 503);
    assert_eq!(response.text().await.expect("body"), r#"{"message":"overloaded"}"#);
}

#[tokio::test]
async fn truncated_json_fault_is_complete_http_but_broken_json() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::TruncatedJson);
    let response = send(&stand_in, &describe(&stand_in)).await.expect("a response");
    assert_eq!(response.status(), 200);
    let declared: usize = response.headers()[CONTENT_LENGTH]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("length");
    let bytes = response.bytes().await.expect("the whole declared body arrives");
    assert_eq!(bytes.len(), declared);
    assert!(bytes.starts_with(br#"{"Response":{"#));
    assert!(serde_json::from_slice::<Value>(&bytes).is_err());
    assert_normal_service(&stand_in).await;
}

#[tokio::test]
async fn not_json_fault_sends_html_with_200() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::NotJson);
    let response = send(&stand_in, &describe(&stand_in)).await.expect("a response");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/html");
    let bytes = response.bytes().await.expect("body");
    assert!(serde_json::from_slice::<Value>(&bytes).is_err());
}

#[tokio::test]
async fn no_response_object_fault_sends_json_without_response() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::NoResponseObject);
    let response = send(&stand_in, &describe(&stand_in)).await.expect("a response");
    let json: Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("valid JSON");
    assert!(json.is_object());
    assert!(json.get("Response").is_none(), "{json}");
}

#[tokio::test]
async fn delay_fault_answers_late_and_then_normally() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::Delay(Duration::from_millis(300)));
    let started = Instant::now();
    let answer = create_other_zone(&stand_in).answer(&common::client(), &stand_in).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(error_code(&answer), None, "served normally after the wait: {answer}");
    assert!(stand_in.zone_key("zone-other").is_some(), "the action ran");
    let recorded = &stand_in.requests()[0];
    assert_eq!(recorded.fault, Some(Fault::Delay(Duration::from_millis(300))));
    assert_eq!(recorded.outcome, Outcome::Success);
}

#[tokio::test]
async fn delay_fault_lets_a_client_timeout_fire() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::Delay(Duration::from_secs(5)));
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let error = describe(&stand_in)
        .send(&client, &stand_in)
        .await
        .expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn drop_connection_fault_gives_the_client_a_connection_error() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::DropConnection);
    let client = common::client();
    let error = create_other_zone(&stand_in)
        .send(&client, &stand_in)
        .await
        .expect_err("no response");
    assert!(
        error.is_request() && !error.is_timeout() && error.status().is_none(),
        "{error:?}"
    );
    let requests = stand_in.requests();
    assert_eq!(requests.len(), 1, "received once, not retried by the client");
    assert_eq!(requests[0].outcome, Outcome::Injected);
    assert_eq!(stand_in.zone_key("zone-other"), None, "the action did not run");
    // The same client recovers on a fresh connection.
    let answer = describe(&stand_in).answer(&client, &stand_in).await;
    assert_eq!(answer["Response"]["SecretKey"], KEY_A);
}

#[tokio::test]
async fn body_cut_short_fault_promises_more_bytes_than_it_sends() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::BodyCutShort);
    let response = send(&stand_in, &describe(&stand_in)).await.expect("headers arrive");
    assert_eq!(response.status(), 200);
    let declared: usize = response.headers()[CONTENT_LENGTH]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("length");
    assert!(declared > 0);
    let error = response.bytes().await.expect_err("the body ends early");
    assert!(error.is_decode(), "{error:?}");
    let mut source = std::error::Error::source(&error);
    let mut early_eof = false;
    while let Some(cause) = source {
        early_eof |= cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::UnexpectedEof);
        source = cause.source();
    }
    assert!(
        early_eof,
        "the client saw the connection end inside the body: {error:?}"
    );
    assert_normal_service(&stand_in).await;
}

#[tokio::test]
async fn content_type_with_params_fault_serves_normally_with_charset() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::ContentTypeWithParams);
    let response = send(&stand_in, &describe(&stand_in)).await.expect("a response");
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json; charset=utf-8");
    let json: Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON");
    assert_eq!(json["Response"]["SecretKey"], KEY_A);
    // Without the fault the type carries no parameters.
    let plain = send(&stand_in, &describe(&stand_in)).await.expect("a response");
    assert_eq!(plain.headers()[CONTENT_TYPE], "application/json");
}

#[tokio::test]
async fn faults_are_consumed_one_per_request_in_order() {
    let stand_in = stand_in().await;
    stand_in.fail_next(2, Fault::api_error("InternalError", "boom"));
    stand_in.push_fault(Fault::NoResponseObject);
    assert_eq!(stand_in.pending_faults(), 3);
    let client = common::client();
    for _ in 0..2 {
        let answer = describe(&stand_in).answer(&client, &stand_in).await;
        assert_eq!(error_code(&answer), Some("InternalError"));
    }
    let answer = describe(&stand_in).answer(&client, &stand_in).await;
    assert!(answer.get("Response").is_none());
    assert_eq!(stand_in.pending_faults(), 0);
    assert_normal_service(&stand_in).await;
}

#[tokio::test]
async fn faults_hit_badly_signed_requests_too_and_record_the_verdict() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::html_status(503));
    let mut bad = describe(&stand_in);
    bad.secret_key = "wrong".to_owned();
    let response = send(&stand_in, &bad).await.expect("a response");
    assert_eq!(response.status(), 503);
    assert_eq!(
        stand_in.requests()[0].verification.code(),
        Some("AuthFailure.SignatureFailure")
    );
}

#[tokio::test]
async fn cleared_faults_never_fire() {
    let stand_in = stand_in().await;
    stand_in.fail_next(3, Fault::DropConnection);
    stand_in.clear_faults();
    assert_eq!(stand_in.pending_faults(), 0);
    assert_normal_service(&stand_in).await;
}
