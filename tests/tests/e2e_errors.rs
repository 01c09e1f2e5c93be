//! End to end, API errors and validation: every documented error code of both actions reaches
//! its own kind (with `kind()`, `code()`, `message()`, `request_id()` and a `Display` showing
//! all three), common codes produced for real by the stand-in's checks reach `Common`, an
//! unknown code is kept verbatim in `Unhandled`, texts of megabytes from the answer are whole
//! from the accessors but cut in `Display`, `Debug` and log lines, and requests that break the
//! spec's rules fail before any I/O.

mod common;

use common::{builder, client, is_uuid, only_request, stand_in, GATEWAY_KEY, ZONE};
use generated_client::errors::{
    CommonErrorKind, CreateMultiPathGatewaySecretKeyError as CreateError,
    CreateMultiPathGatewaySecretKeyErrorKind as CreateKind, RefreshMultiPathGatewaySecretKeyError as RefreshError,
    RefreshMultiPathGatewaySecretKeyErrorKind as RefreshKind,
};
use generated_client::validation::{Rule, Violation};
use generated_client::{Client, Credentials, Error, ServiceError};
use teo_stand_in::{Fault, StandIn};

/// The codes both actions document, each with its own kind in each action's error.
const DOCUMENTED: [&str; 5] = [
    "InternalError",
    "InvalidParameter",
    "InvalidParameterValue",
    "MissingParameter",
    "OperationDenied",
];

async fn create(client: &Client) -> Result<(), Error<CreateError>> {
    client
        .create_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .secret_key(GATEWAY_KEY)
        .send()
        .await
        .map(drop)
}

async fn refresh(client: &Client, zone: &str) -> Result<String, Error<RefreshError>> {
    client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(zone)
        .send()
        .await
        .map(|output| output.secret_key.map(|k| k.into_secret()).unwrap_or_default())
}

/// The service error behind a failed call, after checking that the crate-wide error agrees
/// with it: same code and request id, and a `Display` of `service error <code>: <message>
/// (request id <id>)`.
fn service_error<E>(error: &Error<E>) -> ServiceError
where
    E: generated_client::runtime::ActionError,
{
    let service = error
        .service_error()
        .unwrap_or_else(|| panic!("expected a service error, got {error:?}"))
        .clone();
    assert_eq!(error.code(), Some(service.code()));
    assert_eq!(error.request_id(), Some(service.request_id()));
    assert!(is_uuid(service.request_id()), "{}", service.request_id());
    assert_eq!(
        error.to_string(),
        format!(
            "service error {}: {} (request id {})",
            service.code(),
            service.message(),
            service.request_id()
        )
    );
    service
}

/// The kind a documented code must have in a Create error, written out (not computed by the
/// client's own code table).
fn create_kind(code: &str) -> CreateKind {
    match code {
        "InternalError" => CreateKind::InternalError,
        "InvalidParameter" => CreateKind::InvalidParameter,
        "InvalidParameterValue" => CreateKind::InvalidParameterValue,
        "MissingParameter" => CreateKind::MissingParameter,
        "OperationDenied" => CreateKind::OperationDenied,
        other => panic!("{other} is not documented"),
    }
}

fn refresh_kind(code: &str) -> RefreshKind {
    match code {
        "InternalError" => RefreshKind::InternalError,
        "InvalidParameter" => RefreshKind::InvalidParameter,
        "InvalidParameterValue" => RefreshKind::InvalidParameterValue,
        "MissingParameter" => RefreshKind::MissingParameter,
        "OperationDenied" => RefreshKind::OperationDenied,
        other => panic!("{other} is not documented"),
    }
}

#[tokio::test]
async fn every_documented_create_error_has_its_own_variant() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    for code in DOCUMENTED {
        let message = format!("stand-in says {code}");
        stand_in.push_fault(Fault::api_error(code, message.clone()));
        let error = create(&client).await.expect_err("the injected error is returned");
        let service = service_error(&error);
        let typed = error.as_service().expect("a service error");
        assert_eq!(
            typed.kind(),
            create_kind(code),
            "documented codes are not filed under Common"
        );
        assert_eq!((typed.code(), typed.message()), (code, message.as_str()));
        assert_eq!(typed.request_id(), service.request_id());
        assert_eq!(typed.to_string(), service.to_string());
        assert_eq!(typed.service_error(), &service);
    }
    assert_eq!(stand_in.requests().len(), DOCUMENTED.len(), "none of them is retried");
    assert_eq!(
        stand_in.zone_key(ZONE),
        None,
        "an error answer leaves the zone unchanged"
    );
}

#[tokio::test]
async fn every_documented_refresh_error_has_its_own_variant() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    let client = client(&stand_in);
    for code in DOCUMENTED {
        let message = format!("stand-in says {code}");
        stand_in.push_fault(Fault::api_error(code, message.clone()));
        let error = refresh(&client, ZONE)
            .await
            .expect_err("the injected error is returned");
        let service = service_error(&error);
        let typed = error.as_service().expect("a service error");
        assert_eq!(typed.kind(), refresh_kind(code));
        assert_eq!((typed.code(), typed.message()), (code, message.as_str()));
        assert_eq!(typed.request_id(), service.request_id());
        assert_eq!(typed.service_error(), &service);
    }
    assert_eq!(stand_in.requests().len(), DOCUMENTED.len(), "none of them is retried");
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));
}

#[tokio::test]
async fn operation_denied_from_the_zone_state() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);

    // Refresh before any key exists.
    let error = refresh(&client, ZONE).await.expect_err("no key to refresh");
    let service = service_error(&error);
    assert_eq!(
        error.as_service().map(RefreshError::kind),
        Some(RefreshKind::OperationDenied)
    );
    assert_eq!(
        service.message(),
        format!("The zone `{ZONE}` has no multi-path gateway secret key to refresh; create one first.")
    );

    // Create twice: the second is denied and the first key stays.
    create(&client).await.expect("the first Create succeeds");
    let error = create(&client).await.expect_err("the zone already has a key");
    let service = service_error(&error);
    assert!(matches!(&error, Error::Service(e) if e.kind() == CreateKind::OperationDenied));
    assert_eq!(
        service.message(),
        format!("The zone `{ZONE}` already has a multi-path gateway secret key; refresh it instead.")
    );
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));
    assert_eq!(stand_in.requests().len(), 3);
}

#[tokio::test]
async fn invalid_parameter_value_from_a_malformed_zone_id() {
    let stand_in = stand_in().await;
    let error = refresh(&client(&stand_in), "zone-ABC")
        .await
        .expect_err("upper-case letters are not allowed in zone ids");
    let service = service_error(&error);
    assert!(matches!(&error, Error::Service(e) if e.kind() == RefreshKind::InvalidParameterValue));
    assert_eq!(
        service.message(),
        "The ZoneId `zone-ABC` is invalid: expected `zone-` followed by lowercase letters or digits."
    );
    assert_eq!(only_request(&stand_in).body, br#"{"ZoneId":"zone-ABC"}"#);
}

#[tokio::test]
async fn wrong_secret_key_is_a_common_signature_failure() {
    let stand_in = stand_in().await;
    let client = builder(&stand_in)
        .credentials(Credentials::new(
            StandIn::DEFAULT_SECRET_ID,
            "not-the-stand-in-secret-key",
        ))
        .build()
        .expect("builds");

    let error = create(&client).await.expect_err("the signature cannot match");
    let service = service_error(&error);
    assert_eq!(service.code(), "AuthFailure.SignatureFailure");
    assert_eq!(
        service.message(),
        "The provided credentials could not be validated: the signature does not match."
    );
    let typed = error.as_service().expect("a service error");
    // Filed under Common with its own common kind, not under a documented kind of the action.
    assert_eq!(
        typed.kind(),
        CreateKind::Common(CommonErrorKind::AuthFailureSignatureFailure)
    );
    assert_ne!(
        typed.kind(),
        CreateKind::Common(CommonErrorKind::AuthFailureSignatureExpire)
    );
    assert_eq!(typed.service_error(), &service);
    assert_eq!(typed.code(), "AuthFailure.SignatureFailure");
    assert_eq!(typed.request_id(), service.request_id());
    assert_eq!((typed.code(), typed.message()), (service.code(), service.message()));

    let error = refresh(&client, ZONE).await.expect_err("Refresh too");
    assert_eq!(
        error.as_service().map(RefreshError::kind),
        Some(RefreshKind::Common(CommonErrorKind::AuthFailureSignatureFailure))
    );
    let requests = stand_in.requests();
    assert_eq!(requests.len(), 2);
    for request in requests {
        assert_eq!(request.verification.code(), Some("AuthFailure.SignatureFailure"));
    }
    assert_eq!(stand_in.zone_key(ZONE), None);
}

#[tokio::test]
async fn a_skewed_clock_is_a_common_signature_expire() {
    // The server's clock runs ten minutes ahead: the client's timestamp is 600 s stale.
    let stand_in = StandIn::builder().clock_skew(600).start().await.expect("starts");
    let error = create(&client(&stand_in)).await.expect_err("the timestamp is too old");
    let service = service_error(&error);
    assert_eq!(
        error.as_service().map(CreateError::kind),
        Some(CreateKind::Common(CommonErrorKind::AuthFailureSignatureExpire)),
        "{error:?}"
    );
    assert_eq!(service.code(), "AuthFailure.SignatureExpire");
    assert!(
        service.message().starts_with("The request's timestamp "),
        "{}",
        service.message()
    );
    assert!(
        service
            .message()
            .contains(" is more than 300 seconds away from the server time "),
        "{}",
        service.message()
    );
    assert_eq!(
        only_request(&stand_in).verification.code(),
        Some("AuthFailure.SignatureExpire")
    );
}

#[tokio::test]
async fn other_authentication_failures_are_common_errors_too() {
    let stand_in = stand_in().await;
    let unknown_id = builder(&stand_in)
        .credentials(Credentials::new(
            "AKIDNOTKNOWNTOTHESTANDIN000",
            StandIn::DEFAULT_SECRET_KEY,
        ))
        .build()
        .expect("builds");
    let error = refresh(&unknown_id, ZONE).await.expect_err("unknown SecretId");
    assert_eq!(service_error(&error).message(), "The SecretId is not found.");
    assert_eq!(
        error.as_service().map(RefreshError::kind),
        Some(RefreshKind::Common(CommonErrorKind::AuthFailureSecretIdNotFound))
    );

    // Temporary credentials at the stand-in, but the client sends no token.
    let temporary = StandIn::builder()
        .session_token("e2e-required-token-0123456789")
        .start()
        .await
        .expect("starts");
    let error = refresh(&client(&temporary), ZONE).await.expect_err("no token");
    assert_eq!(
        service_error(&error).message(),
        "The SecretId belongs to temporary credentials but X-TC-Token is missing."
    );
    assert_eq!(
        error.as_service().map(RefreshError::kind),
        Some(RefreshKind::Common(CommonErrorKind::AuthFailureTokenFailure))
    );
}

#[tokio::test]
async fn an_undocumented_common_code_is_filed_under_common() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::api_error("UnauthorizedOperation", "CAM says no."));
    let error = create(&client(&stand_in)).await.expect_err("injected");
    let service = service_error(&error);
    let typed = error.as_service().expect("a service error");
    assert_eq!(typed.kind(), CreateKind::Common(CommonErrorKind::UnauthorizedOperation));
    assert_eq!(typed.service_error(), &service);
}

#[tokio::test]
async fn an_unknown_code_is_kept_verbatim_in_unhandled() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    let client = client(&stand_in);
    let message = "Something new went wrong.";

    stand_in.push_fault(Fault::api_error("FailedOperation.SomethingNew", message));
    let error = create(&client).await.expect_err("injected");
    let service = service_error(&error);
    assert_eq!(service.code(), "FailedOperation.SomethingNew");
    assert_eq!(service.message(), message);
    let typed = error.as_service().expect("a service error");
    assert_eq!(typed.kind(), CreateKind::Unhandled);
    assert_eq!(typed.service_error(), &service);
    assert_eq!(typed.code(), "FailedOperation.SomethingNew");
    assert_eq!(
        typed.to_string(),
        format!(
            "FailedOperation.SomethingNew: {message} (request id {})",
            service.request_id()
        )
    );

    stand_in.push_fault(Fault::api_error("FailedOperation.SomethingNew", message));
    let error = refresh(&client, ZONE).await.expect_err("injected");
    let service = service_error(&error);
    let typed = error.as_service().expect("a service error");
    assert_eq!(typed.kind(), RefreshKind::Unhandled);
    assert_eq!(typed.service_error(), &service);
    assert_eq!(stand_in.requests().len(), 2, "unknown codes are not retried");
}

/// Every line captured, after checking that none is longer than `max` bytes.
fn short_lines(capture: &tencentcloud_runtime::test_util::log_capture::Capture, max: usize) -> Vec<String> {
    let lines = capture.lines();
    for line in &lines {
        assert!(line.len() <= max, "a {}-byte log line: {:.300}", line.len(), line);
    }
    lines
}

/// A 3 MB message (at most 500 bytes of it shown, with the cut marker) is whole from
/// `message()`, and neither `Display`, `Debug` nor any log line carries more of it.
#[tokio::test]
async fn a_3_mb_message_is_shown_cut_and_kept_whole() {
    let (capture, _guard) = tencentcloud_runtime::test_util::log_capture::install();
    let stand_in = stand_in().await;
    let message = "m".repeat(3 * 1024 * 1024);
    stand_in.push_fault(Fault::api_error("InternalError", message.clone()));
    let error = create(&client(&stand_in)).await.expect_err("injected");

    let typed = error.as_service().expect("a service error");
    assert_eq!(typed.kind(), CreateKind::InternalError);
    assert_eq!(typed.message(), message);
    let id = typed.request_id().to_owned();
    assert!(is_uuid(&id), "{id}");
    let kept = format!("{}… [cut: 3145728 bytes in all]", "m".repeat(500));
    assert_eq!(
        error.to_string(),
        format!("service error InternalError: {kept} (request id {id})")
    );
    assert_eq!(typed.to_string(), format!("InternalError: {kept} (request id {id})"));
    let quoted = format!("\"{}\"… [cut: 3145728 bytes in all]", "m".repeat(500));
    assert_eq!(
        format!("{error:?}"),
        format!(
            "Service(CodedError {{ kind: InternalError, error: ServiceError {{ code: \"InternalError\", message: \
             {quoted}, request_id: \"{id}\" }} }})"
        )
    );
    // 3 MB from the server, well under 1 KB in the error.
    assert!(error.to_string().len() < 1024 && format!("{error:?}").len() < 1024);

    let lines = short_lines(&capture, 300);
    for expected in [
        r#"record tencentcloud.call code="InternalError""#.to_owned(),
        format!("record tencentcloud.call request_id=\"{id}\""),
    ] {
        assert!(lines.contains(&expected), "{expected} missing from {lines:#?}");
    }
    assert_eq!(stand_in.requests().len(), 1, "InternalError is not retried");
}

/// A server can send any length of code and request id too: both are cut when shown and
/// logged, and whole from `code()` and `request_id()`.
#[tokio::test]
async fn a_huge_code_and_request_id_are_shown_and_logged_cut() {
    let (capture, _guard) = tencentcloud_runtime::test_util::log_capture::install();
    let stand_in = stand_in().await;
    let code = format!("FailedOperation.{}", "X".repeat(3 * 1024 * 1024));
    let request_id = "R".repeat(3 * 1024 * 1024);
    let body = serde_json::json!({
        "Response": { "Error": { "Code": code, "Message": "m" }, "RequestId": request_id }
    });
    stand_in.push_fault(Fault::HttpStatus {
        status: 200,
        content_type: "application/json".to_owned(),
        body: body.to_string(),
    });
    let error = create(&client(&stand_in)).await.expect_err("injected");

    assert_eq!(error.code(), Some(code.as_str()));
    assert_eq!(error.request_id(), Some(request_id.as_str()));
    assert!(matches!(&error, Error::Service(e) if e.kind() == CreateKind::Unhandled));
    let shown_code = format!("FailedOperation.{}… [cut: 3145744 bytes in all]", "X".repeat(484));
    let shown_id = format!("{}… [cut: 3145728 bytes in all]", "R".repeat(500));
    assert_eq!(
        error.to_string(),
        format!("service error {shown_code}: m (request id {shown_id})")
    );
    assert_eq!(
        format!("{error:?}"),
        format!(
            "Service(CodedError {{ kind: Unhandled, error: ServiceError {{ code: \"FailedOperation.{}\"… [cut: 3145744 bytes in all], \
             message: \"m\", request_id: \"{}\"… [cut: 3145728 bytes in all] }} }})",
            "X".repeat(484),
            "R".repeat(500)
        )
    );

    let lines = short_lines(&capture, 600);
    for expected in [
        format!("record tencentcloud.call code={shown_code:?}"),
        format!("record tencentcloud.call request_id={shown_id:?}"),
    ] {
        assert!(lines.contains(&expected), "{expected:.300} missing");
    }
}

/// A JSON decoder message that quotes a 3 MB string of the answer is cut in `Error::Decode`.
#[tokio::test]
async fn a_decoder_message_quoting_a_huge_value_is_cut() {
    let stand_in = stand_in().await;
    let value = "v".repeat(3 * 1024 * 1024);
    stand_in.push_fault(Fault::HttpStatus {
        status: 200,
        content_type: "application/json".to_owned(),
        body: format!(r#"{{"Response":{{"Error":"{value}","RequestId":"r"}}}}"#),
    });
    let error = create(&client(&stand_in)).await.expect_err("injected");
    let reason = format!(
        "invalid type: string \"{}… [cut: 3145803 bytes in all]",
        "v".repeat(478)
    );
    let excerpt = format!(r#"{{"Response":{{"Error":"{}…"#, "v".repeat(178));
    match &error {
        Error::Decode {
            reason: got,
            body_excerpt,
        } => assert_eq!((got, body_excerpt), (&reason, &excerpt)),
        other => panic!("expected a decode error, got {:.300}", format!("{other:?}")),
    }
    assert_eq!(
        error.to_string(),
        format!("undecodable response ({reason}); body starts: {excerpt:?}")
    );
}

/// The error of actions that list no codes: common codes under `Common`, the rest verbatim.
#[test]
fn the_general_error_files_common_and_unknown_codes() {
    use generated_client::errors::{GeneralError, GeneralErrorKind};
    use generated_client::runtime::ActionError;

    let error = |code: &str| ServiceError::new(code, "m", "r-1");
    let common = GeneralError::from_service_error(error("RequestLimitExceeded"));
    assert_eq!(
        common.kind(),
        GeneralErrorKind::Common(CommonErrorKind::RequestLimitExceeded)
    );
    assert_eq!(common.service_error(), &error("RequestLimitExceeded"));
    assert_eq!(common.code(), "RequestLimitExceeded");
    assert_eq!(common.request_id(), "r-1");
    let unknown = GeneralError::from_service_error(error("ResourceNotFound.Zone"));
    assert_eq!(unknown.kind(), GeneralErrorKind::Unhandled);
    assert_eq!(unknown.service_error(), &error("ResourceNotFound.Zone"));
    assert_eq!(unknown.to_string(), "ResourceNotFound.Zone: m (request id r-1)");
}

/// A missing ZoneId, a SecretKey that is not base64, and keys that decode to too few or too many
/// bytes: `Error::Validation` naming the member and rule (never the value), and no request.
#[tokio::test]
async fn requests_that_break_the_spec_fail_before_any_io() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);

    let error = client
        .create_multi_path_gateway_secret_key()
        .secret_key(GATEWAY_KEY)
        .send()
        .await
        .expect_err("ZoneId is required");
    let Error::Validation(validation) = &error else {
        panic!("expected a validation error, got {error:?}");
    };
    assert_eq!(validation.target, "CreateMultiPathGatewaySecretKeyRequest");
    assert_eq!(
        validation.violations,
        [Violation {
            member: "ZoneId".to_owned(),
            rule: Rule::Required
        }]
    );
    assert_eq!(
        error.to_string(),
        "invalid CreateMultiPathGatewaySecretKeyRequest: ZoneId: is required but was not set; \
         the request was not sent"
    );
    assert_eq!(error.code(), None);
    assert_eq!(error.request_id(), None);

    let error = client
        .refresh_multi_path_gateway_secret_key()
        .send()
        .await
        .expect_err("ZoneId is required");
    assert!(matches!(error, Error::Validation(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "invalid RefreshMultiPathGatewaySecretKeyRequest: ZoneId: is required but was not set; \
         the request was not sent"
    );

    for (key, expected_rule, expected) in [
        (
            "not base64!",
            Rule::Base64,
            "invalid CreateMultiPathGatewaySecretKey: SecretKey: must be standard base64 text; \
             the request was not sent",
        ),
        (
            // base64 of the 12 bytes "short-key-12".
            "c2hvcnQta2V5LTEy",
            Rule::DecodedLength {
                min: Some(32),
                max: Some(48),
                actual: 12,
            },
            "invalid CreateMultiPathGatewaySecretKey: SecretKey: must be base64 whose decoded length \
             is between 32 and 48 bytes, got 12; the request was not sent",
        ),
        (
            // base64 of 49 bytes, one over the limit.
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMA==",
            Rule::DecodedLength {
                min: Some(32),
                max: Some(48),
                actual: 49,
            },
            "invalid CreateMultiPathGatewaySecretKey: SecretKey: must be base64 whose decoded length \
             is between 32 and 48 bytes, got 49; the request was not sent",
        ),
    ] {
        let error = client
            .create_multi_path_gateway_secret_key()
            .zone_id(ZONE)
            .secret_key(key)
            .send()
            .await
            .expect_err("the key breaks the spec");
        let Error::Validation(validation) = &error else {
            panic!("expected a validation error for {key:?}, got {error:?}");
        };
        assert_eq!(validation.target, "CreateMultiPathGatewaySecretKey");
        assert_eq!(
            validation.violations,
            [Violation {
                member: "SecretKey".to_owned(),
                rule: expected_rule
            }]
        );
        assert_eq!(error.to_string(), expected);
        assert!(!format!("{error} {error:?}").contains(key), "the value is not echoed");
    }

    assert!(stand_in.requests().is_empty(), "nothing reached the stand-in");
    assert_eq!(stand_in.zone_key(ZONE), None);
}
