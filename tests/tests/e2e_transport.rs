//! End to end, everything that can go wrong below the API: slow answers, HTTP error pages,
//! bodies that are not the API's JSON, connections that break, and an endpoint nobody listens
//! on. Each becomes its own `Error` variant with the details an operator needs, and only the
//! failures that mean "the request did not run" are retried.

mod common;

use std::time::Duration;

use common::{builder, client, fast_retry, only_request, outcomes, stand_in, GATEWAY_KEY, ZONE};
use generated_client::errors::RefreshMultiPathGatewaySecretKeyError as RefreshError;
use generated_client::models::RefreshMultiPathGatewaySecretKeyResponse;
use generated_client::{Client, Error};
use teo_stand_in::Fault;

async fn refresh(client: &Client) -> Result<RefreshMultiPathGatewaySecretKeyResponse, Error<RefreshError>> {
    client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
}

/// The body an HTML error page fault sends.
fn html_body(status: u16) -> String {
    match Fault::html_status(status) {
        Fault::HttpStatus { body, .. } => body,
        other => panic!("html_status built {other:?}"),
    }
}

/// An error and all its sources on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_not_retried() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    // Two slow answers queued: a retry would take the second. The stand-in takes a fault as
    // soon as a request's body has arrived, before the delay.
    stand_in.fail_next(2, Fault::Delay(Duration::from_millis(600)));
    let client = builder(&stand_in)
        .timeout(Duration::from_millis(100))
        .build()
        .expect("builds");

    let error = refresh(&client).await.expect_err("the answer comes too late");
    match &error {
        Error::Timeout { after, phase } => {
            assert_eq!(*after, Duration::from_millis(100));
            assert_eq!(*phase, "call");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(error.to_string(), "call timed out after 100ms");
    assert_eq!(error.code(), None);
    assert_eq!(
        stand_in.pending_faults(),
        1,
        "exactly one request arrived: a timed-out request may have run, so it is not retried"
    );
}

/// The stand-in documents `requests()` as every request received; one whose client gave up
/// during an injected delay should be there too, with its fault.
#[tokio::test]
async fn a_timed_out_request_is_still_recorded_by_the_stand_in() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(Fault::Delay(Duration::from_millis(300)));
    let client = builder(&stand_in)
        .timeout(Duration::from_millis(100))
        .build()
        .expect("builds");
    let error = refresh(&client).await.expect_err("the answer comes too late");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");

    // Give the stand-in until well after the delay to finish with the request.
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while stand_in.requests().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let request = only_request(&stand_in);
    assert_eq!(request.fault, Some(Fault::Delay(Duration::from_millis(300))));
    assert!(request.verification.passed());
    // And, like the real service, it ran the action: the zone's key was replaced.
    assert_ne!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));
}

#[tokio::test]
async fn an_html_error_page_is_an_http_status_error_with_an_excerpt() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(Fault::html_status(500));
    let error = refresh(&client(&stand_in)).await.expect_err("500 is an error");
    let body = html_body(500);
    match &error {
        Error::HttpStatus { status, body_excerpt } => {
            assert_eq!(*status, 500);
            assert_eq!(body_excerpt, &body, "a short page is kept whole");
        }
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
    assert!(body.contains("<h1>500 Internal Server Error</h1>"), "{body}");
    assert_eq!(error.to_string(), format!("HTTP status 500; body starts: {body:?}"));
    assert_eq!(outcomes(&stand_in), ["injected"], "500 is not retried");
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));
}

#[tokio::test]
async fn a_bad_gateway_page_is_retried_until_the_attempts_run_out() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.fail_next(4, Fault::html_status(502));
    let error = refresh(&client(&stand_in)).await.expect_err("502 three times");
    match &error {
        Error::HttpStatus { status, body_excerpt } => {
            assert_eq!(*status, 502);
            assert_eq!(body_excerpt, &html_body(502));
        }
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
    assert_eq!(outcomes(&stand_in), ["injected"; 3], "three attempts in all");
    assert_eq!(stand_in.pending_faults(), 1, "no fourth attempt");

    // With gateway retries off, a 502 is returned at once.
    stand_in.clear_requests();
    let strict = builder(&stand_in)
        .retry(fast_retry().with_gateway_retries(false))
        .build()
        .expect("builds");
    let error = refresh(&strict).await.expect_err("502 once");
    assert!(matches!(error, Error::HttpStatus { status: 502, .. }), "{error:?}");
    assert_eq!(outcomes(&stand_in), ["injected"]);
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(Fault::TruncatedJson);
    let error = refresh(&client(&stand_in)).await.expect_err("half a document");
    // The fault sends the first half of `{"Response":{"RequestId":"<36-character uuid>"}}`.
    match &error {
        Error::Decode { reason, body_excerpt } => {
            assert_eq!(reason, "EOF while parsing a string at line 1 column 32");
            assert_eq!(body_excerpt.len(), 32, "{body_excerpt}");
            assert!(
                body_excerpt.starts_with(r#"{"Response":{"RequestId":""#),
                "{body_excerpt}"
            );
            assert_eq!(
                error.to_string(),
                format!("undecodable response ({reason}); body starts: {body_excerpt:?}")
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(outcomes(&stand_in), ["injected"], "undecodable answers are not retried");
}

#[tokio::test]
async fn a_page_that_is_not_json_is_a_decode_error() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(Fault::NotJson);
    let error = refresh(&client(&stand_in)).await.expect_err("HTML with status 200");
    match &error {
        Error::Decode { reason, body_excerpt } => {
            assert_eq!(reason, "expected value at line 1 column 1");
            assert_eq!(
                body_excerpt,
                "<!DOCTYPE html><html><body><h1>Welcome</h1><p>This is not the API.</p></body></html>"
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(outcomes(&stand_in), ["injected"]);
}

#[tokio::test]
async fn json_without_a_response_object_is_missing_response() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(Fault::NoResponseObject);
    let error = refresh(&client(&stand_in)).await.expect_err("no Response member");
    match &error {
        Error::MissingResponse { body_excerpt } => {
            let id = body_excerpt
                .strip_prefix(r#"{"RequestId":""#)
                .and_then(|rest| rest.strip_suffix(r#""}"#))
                .unwrap_or_else(|| panic!("unexpected excerpt {body_excerpt}"));
            assert!(common::is_uuid(id), "{id}");
            assert_eq!(
                error.to_string(),
                format!("response has no \"Response\" object; body starts: {body_excerpt:?}")
            );
        }
        other => panic!("expected a missing-response error, got {other:?}"),
    }
    assert_eq!(outcomes(&stand_in), ["injected"]);
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_and_is_not_retried() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(Fault::DropConnection);
    let client = client(&stand_in);
    let error = refresh(&client).await.expect_err("no answer at all");
    let Error::Transport { source } = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(
        chain(source).ends_with("connection closed before message completed"),
        "{}",
        chain(source)
    );
    assert_eq!(
        error.to_string(),
        format!(
            "connection failed after the request was sent, so it may have run: {}",
            chain(source)
        )
    );
    assert_eq!(
        outcomes(&stand_in),
        ["injected"],
        "the request may have run: not retried"
    );
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));

    // The client recovers on a fresh connection.
    let output = refresh(&client).await.expect("the next call succeeds");
    assert_eq!(
        stand_in.zone_key(ZONE).as_ref(),
        output.secret_key.as_ref().map(|k| k.expose_secret())
    );
}

#[tokio::test]
async fn a_body_cut_short_is_a_transport_error_and_is_not_retried() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(Fault::BodyCutShort);
    let client = client(&stand_in);
    let error = refresh(&client).await.expect_err("the body ends early");
    let Error::Transport { source } = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(
        chain(source).ends_with("end of file before message length reached"),
        "{}",
        chain(source)
    );
    assert_eq!(
        error.to_string(),
        format!(
            "connection failed after the request was sent, so it may have run: {}",
            chain(source)
        )
    );
    assert_eq!(outcomes(&stand_in), ["injected"]);

    let output = refresh(&client).await.expect("the next call succeeds");
    assert_eq!(
        stand_in.zone_key(ZONE).as_ref(),
        output.secret_key.as_ref().map(|k| k.expose_secret())
    );
}

#[tokio::test]
async fn a_json_content_type_with_parameters_still_parses() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(Fault::ContentTypeWithParams);
    let output = refresh(&client(&stand_in))
        .await
        .expect("application/json; charset=utf-8 is JSON");
    assert_eq!(
        stand_in.zone_key(ZONE).as_ref(),
        output.secret_key.as_ref().map(|k| k.expose_secret())
    );
    assert_ne!(
        output.secret_key.as_ref().map(|k| k.expose_secret().as_str()),
        Some(GATEWAY_KEY)
    );
    let request = only_request(&stand_in);
    assert_eq!(request.fault, Some(Fault::ContentTypeWithParams));
    assert_eq!(request.outcome, teo_stand_in::Outcome::Success);
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error_after_every_attempt() {
    // Bind a port, then free it: nothing listens there.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    drop(listener);

    let (capture, _guard) = tencentcloud_runtime::test_util::log_capture::install();
    let client = Client::builder()
        .endpoint(&endpoint)
        .credentials(generated_client::Credentials::new(
            "AKIDE2ECONNECT0000000000",
            "e2e-connect-key",
        ))
        .retry(fast_retry())
        .build()
        .expect("builds");
    let error = refresh(&client).await.expect_err("nobody listens");

    match &error {
        Error::Connect { endpoint: named, .. } => assert_eq!(named, &format!("{endpoint}/")),
        other => panic!("expected a connect error, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!("could not connect to {endpoint}/: ")),
        "{shown}"
    );
    assert!(shown.to_lowercase().contains("connection refused"), "{shown}");

    let retries: Vec<String> = capture
        .lines()
        .into_iter()
        .filter(|line| line.contains("message=retrying"))
        .collect();
    assert_eq!(retries.len(), 2, "three attempts, two retries: {retries:#?}");
    assert!(
        retries.iter().all(|line| line.contains(r#"reason="connect_error""#)),
        "{retries:#?}"
    );
}
