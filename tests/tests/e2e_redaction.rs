//! End to end, secrets stay secret: while calls succeed and fail in every way that could carry a
//! secret (a Refresh answer cut off inside the new key, an API error quoting the key it
//! rejected, an error page holding a key, retries, bad signatures), a subscriber captures every
//! span, record and event at every level. Neither the credentials' secret key, the session
//! token nor any gateway key may appear in a captured line, nor in the `Debug` of the client,
//! its builders, requests, responses and errors, nor in the `Display` of errors. The exact
//! `Debug` of the fluent builder and of the responses is checked too.

mod common;

use common::{assert_hidden, GATEWAY_KEY, GATEWAY_KEY_48, OTHER_ZONE, ZONE};
use generated_client::credentials::{EnvironmentProvider, ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SESSION_TOKEN};
use generated_client::errors::{
    CommonErrorKind, CreateMultiPathGatewaySecretKeyErrorKind as CreateErrorKind,
    RefreshMultiPathGatewaySecretKeyErrorKind as RefreshErrorKind,
};
use generated_client::models::{CreateMultiPathGatewaySecretKeyRequest, RefreshMultiPathGatewaySecretKeyRequest};
use generated_client::{Client, ClientBuilder, Credentials, Error, REDACTED};
use teo_stand_in::{Fault, StandIn};

const SECRET_ID: &str = "AKIDE2EREDACTION00000000000000";
const SECRET_KEY: &str = "e2e-redaction-credential-secret-key";
const TOKEN: &str = "e2e-redaction-session-token-value";
/// The key of a client with the wrong credentials.
const WRONG_KEY: &str = "e2e-redaction-wrong-secret-key";
/// A key that only ever travels inside a broken answer.
const LOST_KEY: &str = "ZTJlLXJlZGFjdGlvbi1sb3N0LWtleS0zMmJ5dGVzISE=";
/// A key that only ever travels in an error page.
const PAGE_KEY: &str = "ZTJlLXJlZGFjdGlvbi1wYWdlLWtleS0zMmJ5dGVzISE=";

/// The handle part of a client's `Debug`, for the stand-in at `endpoint`.
fn handle_debug(endpoint: &str) -> String {
    format!(
        "Handle {{ service: \"teo\", endpoint: \"{endpoint}/\", credentials: Credentials {{ secret_id: \"AKID…0000\", \
         secret_key: {REDACTED}, session_token: Some({REDACTED}) }}, region: None, language: None, timeout: 30s, \
         connect_timeout: 5s, retry: RetryConfig {{ max_attempts: 3, base_delay: 5ms, max_delay: 5s, \
         gateway_retries: true, budget: Some(RetryBudget {{ capacity: 500, retry_cost: 5, timeout_cost: 10, \
         success_refund: 1 }}) }}, operation_timeout: None, .. }}"
    )
}

fn client_builder(stand_in: &StandIn) -> ClientBuilder {
    Client::builder()
        .endpoint(stand_in.endpoint())
        .credentials(Credentials::with_token(SECRET_ID, SECRET_KEY, TOKEN))
        .retry(common::fast_retry())
}

/// Everything shown about the values of one test, to search for secrets in.
#[derive(Default)]
struct Shown(Vec<(String, String)>);

impl Shown {
    fn debug(&mut self, what: &str, value: &dyn std::fmt::Debug) {
        self.0.push((format!("Debug of {what}"), format!("{value:?}")));
        self.0.push((format!("pretty Debug of {what}"), format!("{value:#?}")));
    }

    fn display(&mut self, what: &str, value: &dyn std::fmt::Display) {
        self.0.push((format!("Display of {what}"), value.to_string()));
    }
}

#[tokio::test]
async fn no_secret_reaches_logs_debug_or_display_through_success_and_failure() {
    let (capture, _guard) = tencentcloud_runtime::test_util::log_capture::install();
    let stand_in = StandIn::builder()
        .credentials(SECRET_ID, SECRET_KEY)
        .session_token(TOKEN)
        .start()
        .await
        .expect("the stand-in starts");
    let builder = client_builder(&stand_in);
    let client = builder.clone().build().expect("builds");
    let mut shown = Shown::default();
    shown.debug("the client builder", &builder);
    shown.debug("the client", &client);
    shown.debug("the stand-in", &stand_in);

    // 1. Create with a chosen key, after one throttled attempt (so a retry is logged).
    stand_in.push_fault(Fault::api_error("RequestLimitExceeded", "Slow down."));
    let create = client
        .create_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .secret_key(GATEWAY_KEY);
    shown.debug("the Create fluent builder", &create);
    // The fluent builder is the request builder; what it builds is shown too.
    shown.debug("the Create request", &create.clone().build().expect("complete"));
    let created = create.send().await.expect("Create succeeds");
    shown.debug("the Create response", &created);
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));

    // 2. Refresh: the answer carries the new key.
    let refresh = client.refresh_multi_path_gateway_secret_key().zone_id(ZONE);
    shown.debug("the Refresh fluent builder", &refresh);
    let refreshed = refresh.send().await.expect("Refresh succeeds");
    let new_key = refreshed
        .secret_key
        .as_ref()
        .expect("the answer has a key")
        .expose_secret()
        .clone();
    assert_eq!(stand_in.zone_key(ZONE).as_ref(), Some(&new_key));
    shown.debug("the Refresh response", &refreshed);

    // 3. A Refresh answer cut off in the middle of the new key.
    let cut = format!(
        r#"{{"Response":{{"RequestId":"e2e-truncated","SecretKey":"{}"#,
        &LOST_KEY[..24]
    );
    stand_in.push_fault(Fault::HttpStatus {
        status: 200,
        content_type: "application/json".to_owned(),
        body: cut.clone(),
    });
    let error = client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect_err("the answer is cut off");
    match &error {
        Error::Decode { reason, body_excerpt } => {
            assert_eq!(
                reason,
                &format!("EOF while parsing a string at line 1 column {}", cut.len())
            );
            assert_eq!(
                body_excerpt,
                &format!(r#"{{"Response":{{"RequestId":"e2e-truncated","SecretKey":"{REDACTED}""#)
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    shown.debug("the truncated-answer error", &error);
    shown.display("the truncated-answer error", &error);

    // 4. An API error whose message quotes the key the request carried.
    stand_in.push_fault(Fault::api_error(
        "InvalidParameterValue",
        format!("The SecretKey `{GATEWAY_KEY_48}` is too weak."),
    ));
    let error = client
        .create_multi_path_gateway_secret_key()
        .zone_id(OTHER_ZONE)
        .secret_key(GATEWAY_KEY_48)
        .send()
        .await
        .expect_err("injected");
    let request_id = error.request_id().expect("a service error").to_owned();
    assert_eq!(
        error.to_string(),
        format!(
            "service error InvalidParameterValue: The SecretKey `{REDACTED}` is too weak. (request id {request_id})"
        )
    );
    assert_eq!(
        format!("{error:?}"),
        format!(
            "Service(CodedError {{ kind: InvalidParameterValue, error: ServiceError {{ code: \"InvalidParameterValue\", message: \"The SecretKey \
             `{REDACTED}` is too weak.\", request_id: \"{request_id}\" }} }})"
        )
    );
    assert!(matches!(&error, Error::Service(e) if e.kind() == CreateErrorKind::InvalidParameterValue));
    shown.debug("the quoting error", &error);
    shown.display("the quoting error", &error);

    // 5. An error page (HTTP 500) holding a key.
    stand_in.push_fault(Fault::HttpStatus {
        status: 500,
        content_type: "application/json".to_owned(),
        body: format!(r#"{{"Response":{{"SecretKey":"{PAGE_KEY}","RequestId":"e2e-page"}}}}"#),
    });
    let error = client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect_err("500");
    match &error {
        Error::HttpStatus { status, body_excerpt } => {
            assert_eq!(*status, 500);
            assert_eq!(
                body_excerpt,
                &format!(r#"{{"Response":{{"SecretKey":"{REDACTED}","RequestId":"e2e-page"}}}}"#)
            );
        }
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
    shown.debug("the error-page error", &error);
    shown.display("the error-page error", &error);

    // 5b. An HTML error page that echoes the key the request sent, as plain text, long enough
    // that the excerpt cuts it: neither the whole key nor the part before the cut may show.
    stand_in.push_fault(Fault::HttpStatus {
        status: 500,
        content_type: "text/html".to_owned(),
        body: format!(
            "<html><body>{}rejected key {GATEWAY_KEY}</body></html>",
            " ".repeat(160)
        ),
    });
    let error = client
        .create_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .secret_key(GATEWAY_KEY)
        .send()
        .await
        .expect_err("500");
    match &error {
        Error::HttpStatus { body_excerpt, .. } => {
            assert!(
                body_excerpt.ends_with(&format!("rejected key {REDACTED}…")),
                "{body_excerpt}"
            );
        }
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
    shown.debug("the echoing error page", &error);
    shown.display("the echoing error page", &error);

    // 6. A signature the stand-in rejects.
    let wrong = Client::builder()
        .endpoint(stand_in.endpoint())
        .credentials(Credentials::with_token(SECRET_ID, WRONG_KEY, TOKEN))
        .build()
        .expect("builds");
    shown.debug("the wrong-key client", &wrong);
    let error = wrong
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect_err("bad signature");
    assert_eq!(error.code(), Some("AuthFailure.SignatureFailure"));
    assert!(matches!(
        &error,
        Error::Service(e) if e.kind() == RefreshErrorKind::Common(CommonErrorKind::AuthFailureSignatureFailure)
    ));
    shown.debug("the signature error", &error);
    shown.display("the signature error", &error);

    // 7. A client whose provider reads the credentials from given variables.
    let from_env = Client::builder()
        .endpoint(stand_in.endpoint())
        .credentials_provider(EnvironmentProvider::from_vars([
            (ENV_SECRET_ID, SECRET_ID),
            (ENV_SECRET_KEY, SECRET_KEY),
            (ENV_SESSION_TOKEN, TOKEN),
        ]))
        .build()
        .expect("builds");
    shown.debug("the provider client", &from_env);
    let again = from_env
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect("Refresh succeeds");
    let newest_key = again
        .secret_key
        .as_ref()
        .expect("the answer has a key")
        .expose_secret()
        .clone();
    shown.debug("the second Refresh response", &again);

    // The stand-in's records hide the token and the body; a record's injected fault is shown
    // as the test wrote it (it is the test's own text), so those records are left out.
    for request in stand_in.requests().iter().filter(|request| request.fault.is_none()) {
        shown.debug("a recorded request", request);
    }
    shown.debug("the stand-in", &stand_in);

    let secrets = [
        SECRET_KEY,
        TOKEN,
        WRONG_KEY,
        GATEWAY_KEY,
        GATEWAY_KEY_48,
        &LOST_KEY[..24],
        PAGE_KEY,
        &new_key,
        &newest_key,
    ];
    for (what, text) in &shown.0 {
        assert_hidden(what, text, &secrets);
    }
    let lines = capture.lines();
    for line in &lines {
        assert_hidden("a log line", line, &secrets);
    }

    // The capture saw the calls, their outcomes and the retry: it is not vacuous.
    let log = lines.join("\n");
    for expected in [
        r#"span tencentcloud_runtime::dispatch tencentcloud.call service="teo" action="CreateMultiPathGatewaySecretKey""#,
        r#"span tencentcloud_runtime::dispatch tencentcloud.call service="teo" action="RefreshMultiPathGatewaySecretKey""#,
        r#"reason="service_error""#,
        "message=retrying",
        r#"record tencentcloud.call status="ok""#,
        r#"record tencentcloud.call status="decode_error""#,
        r#"record tencentcloud.call code="InvalidParameterValue""#,
        r#"record tencentcloud.call status="http_status""#,
        r#"record tencentcloud.call code="AuthFailure.SignatureFailure""#,
        "stand-in answered",
    ] {
        assert!(log.contains(expected), "{expected:?} was not logged:\n{log}");
    }
}

#[tokio::test]
async fn exact_debug_of_builders_requests_and_responses() {
    let stand_in = StandIn::builder()
        .credentials(SECRET_ID, SECRET_KEY)
        .session_token(TOKEN)
        .start()
        .await
        .expect("the stand-in starts");
    let client = client_builder(&stand_in).build().expect("builds");
    let handle = handle_debug(&stand_in.endpoint());

    assert_eq!(format!("{client:?}"), format!("Client {{ handle: {handle} }}"));

    let create = client
        .create_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .secret_key(GATEWAY_KEY);
    assert_eq!(
        format!("{create:?}"),
        format!(
            "CreateMultiPathGatewaySecretKeyRequestBuilder {{ handle: {handle}, zone_id: Some(\"{ZONE}\"), \
             secret_key: Some({REDACTED}) }}"
        )
    );
    let refresh = client.refresh_multi_path_gateway_secret_key().zone_id(ZONE);
    assert_eq!(
        format!("{refresh:?}"),
        format!("RefreshMultiPathGatewaySecretKeyRequestBuilder {{ handle: {handle}, zone_id: Some(\"{ZONE}\") }}")
    );

    let request = CreateMultiPathGatewaySecretKeyRequest::builder()
        .zone_id(ZONE)
        .secret_key(GATEWAY_KEY)
        .build()
        .expect("complete");
    assert_eq!(
        format!("{request:?}"),
        format!("CreateMultiPathGatewaySecretKeyRequest {{ zone_id: \"{ZONE}\", secret_key: Some({REDACTED}) }}")
    );
    let request = RefreshMultiPathGatewaySecretKeyRequest::builder()
        .zone_id(ZONE)
        .build()
        .expect("complete");
    assert_eq!(
        format!("{request:?}"),
        format!("RefreshMultiPathGatewaySecretKeyRequest {{ zone_id: \"{ZONE}\" }}")
    );

    let created = create.send().await.expect("Create succeeds");
    assert_eq!(
        format!("{created:?}"),
        format!(
            // An answer holding only the request id is the shared `EmptyResponse`.
            "EmptyResponse {{ request_id: {:?} }}",
            created.request_id
        )
    );
    let refreshed = refresh.send().await.expect("Refresh succeeds");
    assert_eq!(
        format!("{refreshed:?}"),
        format!(
            "RefreshMultiPathGatewaySecretKeyResponse {{ secret_key: Some({REDACTED}), request_id: {:?} }}",
            refreshed.request_id
        )
    );
    assert_eq!(
        format!("{refreshed:?}"),
        format!(
            "RefreshMultiPathGatewaySecretKeyResponse {{ secret_key: Some(** redacted **), request_id: \"{}\" }}",
            refreshed.request_id
        )
    );
    assert_eq!(format!("{:?}", refreshed.secret_key), format!("Some({REDACTED})"));
    // The key itself is there for whoever asks for it explicitly.
    assert_eq!(
        stand_in.zone_key(ZONE).as_ref(),
        refreshed.secret_key.as_ref().map(|k| k.expose_secret())
    );
}
