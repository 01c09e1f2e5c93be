//! The request checks over the wire: each common-header and signature failure gets its own error
//! code, session tokens are required exactly when configured, and a failed check never runs the
//! action.

mod common;

use common::{error_code, Call, ZONE};
use teo_stand_in::{Credentials, Outcome, StandIn};

const DESCRIBE: &str = "DescribeMultiPathGatewaySecretKey";

async fn stand_in_with_key() -> StandIn {
    StandIn::builder()
        .zone_key(ZONE, common::KEY_A)
        .start()
        .await
        .expect("starts")
}

fn describe(stand_in: &StandIn) -> Call {
    Call::new(stand_in, DESCRIBE, &format!(r#"{{"ZoneId":"{ZONE}"}}"#))
}

/// Sends `call` and returns the error code, checking the record agrees and nothing changed.
async fn code_of(stand_in: &StandIn, call: &Call) -> Option<String> {
    let answer = call.answer(&common::client(), stand_in).await;
    let code = error_code(&answer).map(str::to_owned);
    let recorded = stand_in.requests().pop().expect("recorded");
    assert_eq!(
        recorded.verification.code(),
        code.as_deref(),
        "record agrees with the answer"
    );
    assert_eq!(recorded.outcome.error_code(), code.as_deref());
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(common::KEY_A));
    code
}

#[tokio::test]
async fn a_correctly_signed_request_passes() {
    let stand_in = stand_in_with_key().await;
    let answer = describe(&stand_in).answer(&common::client(), &stand_in).await;
    assert_eq!(error_code(&answer), None, "{answer}");
    assert_eq!(answer["Response"]["SecretKey"], common::KEY_A);
    assert!(stand_in.requests()[0].verification.passed());
}

#[tokio::test]
async fn authorization_problems_are_invalid_authorization() {
    let stand_in = stand_in_with_key().await;
    let host = stand_in.local_addr().to_string();
    let good = describe(&stand_in).signed_authorization(&host);
    let mut cases: Vec<(&str, Call)> = Vec::new();

    let mut missing = describe(&stand_in);
    missing.authorization = Some(String::new());
    cases.push(("empty Authorization", missing));
    for (label, header) in [
        ("garbage", "Bearer abc".to_owned()),
        ("other algorithm", good.replace("TC3-HMAC-SHA256", "TC3-HMAC-SHA1")),
        (
            "no signature",
            good[..good.find(", Signature=").expect("signature")].to_owned(),
        ),
        (
            "host unsigned",
            good.replace("SignedHeaders=content-type;host", "SignedHeaders=content-type"),
        ),
        ("short credential", good.replace("/teo/tc3_request", "/tc3_request")),
        ("bad terminator", good.replace("/teo/tc3_request", "/teo/tc2_request")),
    ] {
        let mut call = describe(&stand_in);
        call.authorization = Some(header);
        cases.push((label, call));
    }
    let mut wrong_date = describe(&stand_in);
    wrong_date.scope_date = Some("2020-01-01".to_owned());
    cases.push(("scope date differs from the timestamp's", wrong_date));
    let mut wrong_service = describe(&stand_in);
    wrong_service.scope_service = "cvm".to_owned();
    cases.push(("scope service not teo", wrong_service));

    for (label, call) in cases {
        assert_eq!(
            code_of(&stand_in, &call).await.as_deref(),
            Some("AuthFailure.InvalidAuthorization"),
            "{label}"
        );
    }
}

#[tokio::test]
async fn an_absent_authorization_header_is_invalid_authorization() {
    let stand_in = stand_in_with_key().await;
    let call = describe(&stand_in);
    let response = common::client()
        .post(stand_in.endpoint())
        .header("Content-Type", "application/json")
        .header("X-TC-Action", DESCRIBE)
        .header("X-TC-Version", "2022-09-01")
        .header("X-TC-Timestamp", call.timestamp.clone().unwrap_or_default())
        .body(call.body.clone())
        .send()
        .await
        .expect("answered");
    let answer: serde_json::Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON");
    assert_eq!(error_code(&answer), Some("AuthFailure.InvalidAuthorization"));
}

#[tokio::test]
async fn an_unknown_secret_id_is_not_found() {
    let stand_in = stand_in_with_key().await;
    let mut call = describe(&stand_in);
    call.secret_id = "AKIDsomebodyelse".to_owned();
    assert_eq!(
        code_of(&stand_in, &call).await.as_deref(),
        Some("AuthFailure.SecretIdNotFound")
    );
}

#[tokio::test]
async fn a_wrong_key_or_changed_body_fails_the_signature() {
    let stand_in = stand_in_with_key().await;
    let mut wrong_key = describe(&stand_in);
    wrong_key.secret_key.push('x');
    assert_eq!(
        code_of(&stand_in, &wrong_key).await.as_deref(),
        Some("AuthFailure.SignatureFailure")
    );

    let mut changed_body = describe(&stand_in);
    changed_body.sent_body = Some(format!(r#"{{"ZoneId":"{ZONE}" }}"#).into_bytes());
    assert_eq!(
        code_of(&stand_in, &changed_body).await.as_deref(),
        Some("AuthFailure.SignatureFailure")
    );

    // The content type is signed: a different (still acceptable) value breaks the signature.
    let mut signed_other_type = describe(&stand_in);
    let host = stand_in.local_addr().to_string();
    signed_other_type.authorization = Some(signed_other_type.signed_authorization(&host));
    signed_other_type.content_type = "application/json; charset=utf-8".to_owned();
    assert_eq!(
        code_of(&stand_in, &signed_other_type).await.as_deref(),
        Some("AuthFailure.SignatureFailure")
    );

    let mut uppercase_hex = describe(&stand_in);
    let authorization = uppercase_hex.signed_authorization(&host);
    let (head, signature) = authorization.split_once("Signature=").expect("signature");
    uppercase_hex.authorization = Some(format!("{head}Signature={}", signature.to_ascii_uppercase()));
    assert_eq!(
        code_of(&stand_in, &uppercase_hex).await.as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
}

#[tokio::test]
async fn a_content_type_with_parameters_is_accepted_when_signed_as_sent() {
    let stand_in = stand_in_with_key().await;
    let mut call = describe(&stand_in);
    call.content_type = "application/json; charset=utf-8".to_owned();
    let answer = call.answer(&common::client(), &stand_in).await;
    assert_eq!(error_code(&answer), None, "{answer}");
}

#[tokio::test]
async fn timestamps_beyond_300_seconds_expire_either_way() {
    let stand_in = stand_in_with_key().await;
    let now = stand_in.server_time();
    for (offset, expected) in [
        (-400, Some("AuthFailure.SignatureExpire")),
        (400, Some("AuthFailure.SignatureExpire")),
        (-200, None),
        (200, None),
    ] {
        let mut call = describe(&stand_in);
        call.timestamp = Some((now + offset).to_string());
        let answer = call.answer(&common::client(), &stand_in).await;
        assert_eq!(error_code(&answer), expected, "offset {offset}: {answer}");
    }
}

#[tokio::test]
async fn a_skewed_server_clock_expires_requests_stamped_with_the_real_time() {
    let stand_in = StandIn::builder()
        .zone_key(ZONE, common::KEY_A)
        .clock_skew(3_600)
        .start()
        .await
        .expect("starts");
    let mut call = describe(&stand_in);
    call.timestamp = Some((stand_in.server_time() - 3_600).to_string());
    assert_eq!(
        code_of(&stand_in, &call).await.as_deref(),
        Some("AuthFailure.SignatureExpire")
    );

    // Following the server's clock works; so does correcting the skew at run time.
    let answer = describe(&stand_in).answer(&common::client(), &stand_in).await;
    assert_eq!(error_code(&answer), None);
    stand_in.set_clock_skew(0);
    assert_eq!(code_of(&stand_in, &call).await, None);
}

#[tokio::test]
async fn common_header_problems_have_their_own_codes() {
    let stand_in = stand_in_with_key().await;
    let mut cases: Vec<(&str, Call, &str)> = Vec::new();
    let mut no_action = describe(&stand_in);
    no_action.action = None;
    cases.push(("no action", no_action, "MissingParameter"));
    let mut no_version = describe(&stand_in);
    no_version.version = None;
    cases.push(("no version", no_version, "MissingParameter"));
    let mut old_version = describe(&stand_in);
    old_version.version = Some("2021-09-01".to_owned());
    cases.push(("old version", old_version, "NoSuchVersion"));
    let mut no_timestamp = describe(&stand_in);
    no_timestamp.timestamp = None;
    cases.push(("no timestamp", no_timestamp, "MissingParameter"));
    let mut bad_timestamp = describe(&stand_in);
    bad_timestamp.timestamp = Some("soon".to_owned());
    cases.push(("bad timestamp", bad_timestamp, "InvalidParameter"));
    let mut bad_language = describe(&stand_in);
    bad_language.language = Some("fr-FR".to_owned());
    cases.push(("bad language", bad_language, "InvalidParameterValue"));
    let mut form = describe(&stand_in);
    form.content_type = "application/x-www-form-urlencoded".to_owned();
    cases.push(("form content type", form, "InvalidParameter"));
    let mut unknown_action = describe(&stand_in);
    // An action TEO does not have (every action of the spec is served).
    unknown_action.action = Some("DescribeEverything".to_owned());
    cases.push(("unknown action", unknown_action, "InvalidAction"));

    for (label, call, expected) in cases {
        let answer = call.answer(&common::client(), &stand_in).await;
        assert_eq!(error_code(&answer), Some(expected), "{label}: {answer}");
    }
    let mut chinese = describe(&stand_in);
    chinese.language = Some("zh-CN".to_owned());
    assert_eq!(error_code(&chinese.answer(&common::client(), &stand_in).await), None);
    let mut no_language = describe(&stand_in);
    no_language.language = None;
    assert_eq!(
        error_code(&no_language.answer(&common::client(), &stand_in).await),
        None
    );
}

#[tokio::test]
async fn only_post_to_the_root_is_served() {
    let stand_in = stand_in_with_key().await;
    let get = common::client()
        .get(stand_in.endpoint())
        .send()
        .await
        .expect("answered");
    let answer: serde_json::Value = serde_json::from_slice(&get.bytes().await.expect("body")).expect("JSON");
    assert_eq!(error_code(&answer), Some("UnsupportedProtocol"));
    let other_path = common::client()
        .post(format!("{}/v2", stand_in.endpoint()))
        .send()
        .await
        .expect("answered");
    let answer: serde_json::Value = serde_json::from_slice(&other_path.bytes().await.expect("body")).expect("JSON");
    assert_eq!(error_code(&answer), Some("InvalidParameter"));
}

#[tokio::test]
async fn temporary_credentials_require_their_token() {
    let stand_in = StandIn::builder()
        .credentials("AKIDtemporary", "temporary-key")
        .session_token("the-token")
        .zone_key(ZONE, common::KEY_A)
        .start()
        .await
        .expect("starts");
    let mut call = describe(&stand_in);
    call.secret_id = "AKIDtemporary".to_owned();
    call.secret_key = "temporary-key".to_owned();
    assert_eq!(
        code_of(&stand_in, &call).await.as_deref(),
        Some("AuthFailure.TokenFailure"),
        "no token"
    );
    call.token = Some("another-token".to_owned());
    assert_eq!(
        code_of(&stand_in, &call).await.as_deref(),
        Some("AuthFailure.TokenFailure"),
        "wrong token"
    );
    call.token = Some("the-token".to_owned());
    assert_eq!(code_of(&stand_in, &call).await, None);
    assert_eq!(
        stand_in.requests().last().map(|r| r.header("x-tc-token")),
        Some(Some("the-token"))
    );
}

#[tokio::test]
async fn permanent_credentials_refuse_a_token() {
    let stand_in = stand_in_with_key().await;
    let mut call = describe(&stand_in);
    call.token = Some("stray-token".to_owned());
    assert_eq!(
        code_of(&stand_in, &call).await.as_deref(),
        Some("AuthFailure.TokenFailure")
    );
}

#[tokio::test]
async fn rotated_credentials_take_effect_immediately() {
    let stand_in = stand_in_with_key().await;
    stand_in.set_credentials(Credentials::new("AKIDnext", "next-key").with_session_token("next-token"));
    let old = describe(&stand_in);
    assert_eq!(
        code_of(&stand_in, &old).await.as_deref(),
        Some("AuthFailure.SecretIdNotFound")
    );
    let mut new = describe(&stand_in);
    new.secret_id = "AKIDnext".to_owned();
    new.secret_key = "next-key".to_owned();
    new.token = Some("next-token".to_owned());
    assert_eq!(code_of(&stand_in, &new).await, None);
    assert_eq!(
        stand_in.requests().last().map(|r| r.outcome.clone()),
        Some(Outcome::Success)
    );
}

#[tokio::test]
async fn manually_accepted_temporary_credentials_work_until_their_expiry() {
    let stand_in = stand_in_with_key().await;
    let temporary = Credentials::new("AKIDmanualtemporary", "manual-temporary-key").with_session_token("manual-token");
    stand_in.accept_temporary(temporary, stand_in.server_time() + 30);
    assert_eq!(stand_in.accepted_temporary(), 1);
    let signed = |stand_in: &StandIn| {
        let mut call = describe(stand_in);
        call.secret_id = "AKIDmanualtemporary".to_owned();
        call.secret_key = "manual-temporary-key".to_owned();
        call.token = Some("manual-token".to_owned());
        call
    };
    assert_eq!(code_of(&stand_in, &signed(&stand_in)).await, None);
    assert_eq!(
        code_of(&stand_in, &describe(&stand_in)).await,
        None,
        "the configured pair still works"
    );
    stand_in.set_clock_skew(29);
    assert_eq!(code_of(&stand_in, &signed(&stand_in)).await, None, "one second left");
    stand_in.set_clock_skew(30);
    assert_eq!(
        code_of(&stand_in, &signed(&stand_in)).await.as_deref(),
        Some("AuthFailure.TokenFailure")
    );
    let debug = format!("{stand_in:?}");
    assert!(debug.contains("accepted_temporary: 1"), "{debug}");
    assert!(
        !debug.contains("manual-temporary-key") && !debug.contains("manual-token"),
        "{debug}"
    );
}
