//! The handle itself: what `requests()` records, keep-alive connection reuse, secrets kept out of
//! `Debug`, the request size cap, and shutdown by `shutdown()` or by drop.

mod common;

use std::time::Duration;

use common::{Call, KEY_A, ZONE};
use teo_stand_in::{StandIn, Verification};

const DESCRIBE: &str = "DescribeMultiPathGatewaySecretKey";

fn describe(stand_in: &StandIn) -> Call {
    Call::new(stand_in, DESCRIBE, &format!(r#"{{"ZoneId":"{ZONE}"}}"#))
}

#[tokio::test]
async fn requests_are_recorded_as_sent_in_arrival_order() {
    let stand_in = StandIn::builder().zone_key(ZONE, KEY_A).start().await.expect("starts");
    let client = common::client();
    let first = describe(&stand_in);
    first.answer(&client, &stand_in).await;
    let mut second = describe(&stand_in);
    second.language = Some("zh-CN".to_owned());
    second.secret_key = "wrong".to_owned();
    second.answer(&client, &stand_in).await;

    let requests = stand_in.requests();
    assert_eq!(requests.len(), 2);
    let recorded = &requests[0];
    assert_eq!(recorded.action.as_deref(), Some(DESCRIBE));
    assert_eq!((recorded.method.as_str(), recorded.path.as_str()), ("POST", "/"));
    assert_eq!(recorded.body, first.body);
    assert_eq!(
        recorded
            .body_json()
            .and_then(|json| json["ZoneId"].as_str().map(str::to_owned))
            .as_deref(),
        Some(ZONE)
    );
    assert_eq!(recorded.header("X-TC-Version"), Some("2022-09-01"));
    assert_eq!(recorded.header("x-tc-language"), Some("en-US"));
    assert_eq!(recorded.header("X-TC-Timestamp"), first.timestamp.as_deref());
    assert!(recorded
        .header("authorization")
        .is_some_and(|value| value.starts_with("TC3-HMAC-SHA256 ")));
    assert_eq!(recorded.verification, Verification::Passed);
    assert_eq!(recorded.fault, None);

    assert_eq!(requests[1].header("X-TC-Language"), Some("zh-CN"));
    assert_eq!(requests[1].verification.code(), Some("AuthFailure.SignatureFailure"));
    assert!(requests[1].received_at >= requests[0].received_at);

    stand_in.clear_requests();
    assert!(stand_in.requests().is_empty());
}

#[tokio::test]
async fn a_client_reuses_one_kept_alive_connection() {
    let stand_in = StandIn::builder().zone_key(ZONE, KEY_A).start().await.expect("starts");
    let client = common::client();
    for _ in 0..3 {
        describe(&stand_in).answer(&client, &stand_in).await;
    }
    let other_client = common::client();
    describe(&stand_in).answer(&other_client, &stand_in).await;
    let connections: Vec<u64> = stand_in.requests().iter().map(|request| request.connection).collect();
    assert_eq!(connections, [1, 1, 1, 2]);
}

#[tokio::test]
async fn debug_output_never_shows_secrets() {
    let stand_in = StandIn::builder()
        .credentials("AKIDshown", "the-secret-key")
        .session_token("the-session-token")
        .zone_key(ZONE, KEY_A)
        .start()
        .await
        .expect("starts");
    let debug = format!("{stand_in:?}");
    assert!(
        debug.contains("AKIDshown") && debug.contains(&stand_in.endpoint()),
        "{debug}"
    );
    for secret in ["the-secret-key", "the-session-token", KEY_A] {
        assert!(!debug.contains(secret), "{secret} leaked: {debug}");
    }
    let builder = format!(
        "{:?}",
        StandIn::builder()
            .credentials("AKIDb", "builder-key")
            .zone_key(ZONE, KEY_A)
    );
    assert!(
        !builder.contains("builder-key") && !builder.contains(KEY_A),
        "{builder}"
    );

    // A recorded request hides the token it carried and the body (here, a zone key).
    let mut create = Call::new(
        &stand_in,
        "CreateMultiPathGatewaySecretKey",
        &format!(r#"{{"ZoneId":"zone-new","SecretKey":"{KEY_A}"}}"#),
    );
    create.token = Some("the-session-token".to_owned());
    create.answer(&common::client(), &stand_in).await;
    let recorded = format!("{:?}", stand_in.requests());
    assert!(
        !recorded.contains("the-session-token") && !recorded.contains(KEY_A),
        "{recorded}"
    );
    assert!(
        recorded.contains("x-tc-token"),
        "the header's presence still shows: {recorded}"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_without_a_crash() {
    let stand_in = StandIn::builder().zone_key(ZONE, KEY_A).start().await.expect("starts");
    let huge = format!(r#"{{"ZoneId":"{ZONE}","Pad":"{}"}}"#, "x".repeat(10 * 1024 * 1024));
    let answer = Call::new(&stand_in, DESCRIBE, &huge)
        .answer(&common::client(), &stand_in)
        .await;
    assert_eq!(common::error_code(&answer), Some("RequestSizeLimitExceeded"));
    describe(&stand_in).answer(&common::client(), &stand_in).await;
    assert_eq!(stand_in.requests().len(), 2, "still serving");
}

#[tokio::test]
async fn start_uses_the_default_credentials_and_a_local_port() {
    let stand_in = StandIn::start().await.expect("starts");
    assert!(stand_in.local_addr().ip().is_loopback());
    assert_eq!(
        stand_in.endpoint(),
        format!("http://127.0.0.1:{}", stand_in.local_addr().port())
    );
    assert!(stand_in.server_time().abs_diff(common_now()) <= 2);
    let answer = describe(&stand_in).answer(&common::client(), &stand_in).await;
    assert_eq!(
        common::error_code(&answer),
        Some("ResourceNotFound"),
        "signed with the defaults and served"
    );
}

fn common_now() -> i64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(elapsed.as_secs()).expect("fits")
}

#[tokio::test]
async fn shutdown_closes_the_listener_and_open_connections() {
    let stand_in = StandIn::builder().zone_key(ZONE, KEY_A).start().await.expect("starts");
    let client = common::client();
    describe(&stand_in).answer(&client, &stand_in).await;
    let endpoint = stand_in.endpoint();
    stand_in.shutdown().await;
    let error = client.post(&endpoint).send().await.expect_err("nothing listens");
    assert!(error.is_connect() || error.is_request(), "{error:?}");
    let fresh = common::client()
        .post(&endpoint)
        .send()
        .await
        .expect_err("nothing listens");
    assert!(fresh.is_connect(), "{fresh:?}");
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let stand_in = StandIn::start().await.expect("starts");
    let endpoint = stand_in.endpoint();
    drop(stand_in);
    // The abort lands at the accept loop's next poll; give it a few chances.
    let mut refused = false;
    for _ in 0..50 {
        if common::client()
            .post(&endpoint)
            .send()
            .await
            .is_err_and(|error| error.is_connect())
        {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "the port is closed after drop");
}
