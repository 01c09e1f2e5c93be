//! The loopback STS over the wire: AssumeRole's `sts` signature check, member checks and answer,
//! AssumeRoleWithWebIdentity's token check, each fault mode, counts and recorded bodies,
//! redaction, and the TEO stand-in accepting issued credentials until they expire.

mod common;

use std::time::{Duration, Instant};

use common::{error_code, Call};
use serde_json::{json, Value};
use teo_stand_in::{Credentials, StandIn, StsFault, StsServer};

const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/edgeone-ops";

fn assume_role_body() -> Value {
    json!({ "RoleArn": ROLE_ARN, "RoleSessionName": "stand-in-test", "DurationSeconds": 900 })
}

fn assume_role(body: &Value) -> Call {
    Call::sts("AssumeRole", &body.to_string())
}

fn web_identity(token: &str) -> Call {
    let body = json!({
        "ProviderId": "tke-oidc",
        "WebIdentityToken": token,
        "RoleArn": ROLE_ARN,
        "RoleSessionName": "tencentcloud-rust-sdk-1",
        "DurationSeconds": 7200,
    });
    let mut call = Call::sts("AssumeRoleWithWebIdentity", &body.to_string());
    call.authorization = Some("SKIP".to_owned());
    call
}

async fn answer(sts: &StsServer, call: &Call) -> Value {
    call.answer_from(&common::client(), sts.local_addr()).await
}

fn unix_now() -> i64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(elapsed.as_secs()).expect("fits")
}

fn iso(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        common::utc_date(unix),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Checks the documented answer shape and that it matches what the server recorded as issued.
fn assert_credentials_answer(sts: &StsServer, answer: &Value, lifetime_secs: i64, before: i64, after: i64) {
    let response = &answer["Response"];
    assert_eq!(error_code(answer), None, "{answer}");
    let mut names: Vec<&str> = response
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Credentials", "Expiration", "ExpiredTime", "RequestId"]);
    let mut credential_names: Vec<&str> = response["Credentials"]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    credential_names.sort_unstable();
    assert_eq!(credential_names, ["TmpSecretId", "TmpSecretKey", "Token"]);
    let expired_time = response["ExpiredTime"].as_i64().expect("integer");
    assert!(
        (before + lifetime_secs..=after + lifetime_secs).contains(&expired_time),
        "{expired_time} vs {before}..{after} + {lifetime_secs}"
    );
    assert_eq!(response["Expiration"], iso(expired_time));
    let issued = sts.last_issued().expect("recorded");
    assert_eq!(response["Credentials"]["TmpSecretId"], issued.secret_id());
    assert_eq!(response["Credentials"]["TmpSecretKey"], issued.secret_key());
    assert_eq!(response["Credentials"]["Token"], issued.token());
    assert_eq!(issued.expired_time(), expired_time);
}

#[tokio::test]
async fn assume_role_with_a_correct_sts_signature_issues_credentials() {
    let sts = StsServer::start().await.expect("starts");
    let before = unix_now();
    let answer = answer(&sts, &assume_role(&assume_role_body())).await;
    assert_credentials_answer(&sts, &answer, 900, before, unix_now());
    assert_eq!(sts.request_count("AssumeRole"), 1);
    assert_eq!(sts.request_count("AssumeRoleWithWebIdentity"), 0);
    assert_eq!(sts.requests(), 1);
    let body = sts.last_body("AssumeRole").expect("recorded");
    assert_eq!(body["RoleArn"], ROLE_ARN);
    assert_eq!(body["RoleSessionName"], "stand-in-test");
    assert_eq!(body["DurationSeconds"], 900);
}

#[tokio::test]
async fn duration_defaults_to_7200_and_the_lifetime_override_wins() {
    let sts = StsServer::start().await.expect("starts");
    let body = json!({ "RoleArn": ROLE_ARN, "RoleSessionName": "no-duration", "Policy": "{}", "ExternalId": "ext-1" });
    let before = unix_now();
    let answer = answer(&sts, &assume_role(&body)).await;
    assert_credentials_answer(&sts, &answer, 7200, before, unix_now());

    sts.set_lifetime(Some(Duration::from_secs(3)));
    let before = unix_now();
    let answer = self::answer(&sts, &assume_role(&assume_role_body())).await;
    assert_credentials_answer(&sts, &answer, 3, before, unix_now());

    sts.set_lifetime(None);
    let before = unix_now();
    let answer = self::answer(&sts, &assume_role(&assume_role_body())).await;
    assert_credentials_answer(&sts, &answer, 900, before, unix_now());
    assert_eq!(sts.issued().len(), 3);
    let ids: std::collections::HashSet<String> = sts.issued().iter().map(|i| i.secret_id().to_owned()).collect();
    assert_eq!(ids.len(), 3, "fresh credentials each time");
}

#[tokio::test]
async fn assume_role_refuses_bad_signatures() {
    let sts = StsServer::start().await.expect("starts");
    let mut cases: Vec<(&str, Call, &str)> = Vec::new();

    let mut wrong_key = assume_role(&assume_role_body());
    wrong_key.secret_key = "not-the-base-key".to_owned();
    cases.push(("wrong key", wrong_key, "AuthFailure.SignatureFailure"));

    let mut tampered = assume_role(&assume_role_body());
    tampered.sent_body = Some(
        json!({ "RoleArn": ROLE_ARN, "RoleSessionName": "other-session" })
            .to_string()
            .into_bytes(),
    );
    cases.push(("body changed after signing", tampered, "AuthFailure.SignatureFailure"));

    let mut teo_scope = assume_role(&assume_role_body());
    teo_scope.scope_service = "teo".to_owned();
    cases.push(("scope for teo", teo_scope, "AuthFailure.InvalidAuthorization"));

    let mut unknown_id = assume_role(&assume_role_body());
    unknown_id.secret_id = StandIn::DEFAULT_SECRET_ID.to_owned();
    unknown_id.secret_key = StandIn::DEFAULT_SECRET_KEY.to_owned();
    cases.push(("unknown SecretId", unknown_id, "AuthFailure.SecretIdNotFound"));

    let mut stray_token = assume_role(&assume_role_body());
    stray_token.token = Some("a-token".to_owned());
    cases.push(("token with permanent base", stray_token, "AuthFailure.TokenFailure"));

    let mut old = assume_role(&assume_role_body());
    old.timestamp = Some((unix_now() - 3600).to_string());
    cases.push(("timestamp an hour old", old, "AuthFailure.SignatureExpire"));

    let mut unsigned = assume_role(&assume_role_body());
    unsigned.authorization = Some("SKIP".to_owned());
    cases.push(("unsigned", unsigned, "AuthFailure.InvalidAuthorization"));

    let mut teo_version = assume_role(&assume_role_body());
    teo_version.version = Some("2022-09-01".to_owned());
    cases.push(("TEO's version", teo_version, "NoSuchVersion"));

    for (label, call, expected) in &cases {
        let answer = answer(&sts, call).await;
        assert_eq!(error_code(&answer), Some(*expected), "{label}: {answer}");
        assert!(answer["Response"]["RequestId"].is_string(), "{label}");
    }
    assert!(sts.issued().is_empty(), "no refused request issues anything");
    assert_eq!(sts.request_count("AssumeRole"), cases.len() as u64);
}

#[tokio::test]
async fn temporary_base_credentials_need_their_token() {
    let base = Credentials::new("AKIDtemporarybase", "temporary-base-key").with_session_token("base-token");
    let sts = StsServer::builder()
        .base_credentials(base)
        .start()
        .await
        .expect("starts");
    let mut call = assume_role(&assume_role_body());
    call.secret_id = "AKIDtemporarybase".to_owned();
    call.secret_key = "temporary-base-key".to_owned();
    let answer = answer(&sts, &call).await;
    assert_eq!(error_code(&answer), Some("AuthFailure.TokenFailure"));
    call.token = Some("base-token".to_owned());
    let answer = self::answer(&sts, &call).await;
    assert_eq!(error_code(&answer), None, "{answer}");
}

#[tokio::test]
async fn assume_role_checks_its_members() {
    let sts = StsServer::builder().role_arn(ROLE_ARN).start().await.expect("starts");
    let session = "stand-in-test";
    let cases = [
        (json!({ "RoleSessionName": session }), "MissingParameter"),
        (json!({ "RoleArn": ROLE_ARN }), "MissingParameter"),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": null }),
            "MissingParameter",
        ),
        (json!({ "RoleArn": 7, "RoleSessionName": session }), "InvalidParameter"),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": session, "DurationSeconds": "900" }),
            "InvalidParameter",
        ),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": session, "DurationSeconds": -1 }),
            "InvalidParameter",
        ),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": session, "DurationSeconds": 43_201 }),
            "InvalidParameter.OverTimeError",
        ),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": session, "DurationSeconds": 0 }),
            "InvalidParameter.ParamError",
        ),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": "x" }),
            "InvalidParameter.ParamError",
        ),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": "has space" }),
            "InvalidParameter.ParamError",
        ),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": session, "ExternalId": "bad id!" }),
            "InvalidParameter.ParamError",
        ),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": session, "Policy": {} }),
            "InvalidParameter",
        ),
        (
            json!({ "RoleArn": ROLE_ARN, "RoleSessionName": session, "Region": "ap-guangzhou" }),
            "UnknownParameter",
        ),
        (
            json!({ "RoleArn": "qcs::cam::uin/1:roleName/other", "RoleSessionName": session }),
            "ResourceNotFound.RoleNotFound",
        ),
        (json!(["not", "an", "object"]), "InvalidParameter"),
    ];
    for (body, expected) in &cases {
        let answer = answer(&sts, &assume_role(body)).await;
        assert_eq!(error_code(&answer), Some(*expected), "{body}: {answer}");
    }
    let ok = json!({ "RoleArn": ROLE_ARN, "RoleSessionName": "a.b@c=d,e_f-g+h", "DurationSeconds": 43_200 });
    let answer = answer(&sts, &assume_role(&ok)).await;
    assert_eq!(error_code(&answer), None, "{answer}");
    assert_eq!(sts.issued().len(), 1);
}

#[tokio::test]
async fn other_actions_are_invalid_action() {
    let sts = StsServer::start().await.expect("starts");
    let answer = answer(&sts, &Call::sts("GetFederationToken", "{}")).await;
    assert_eq!(error_code(&answer), Some("InvalidAction"));
    assert_eq!(sts.request_count("GetFederationToken"), 1);
}

#[tokio::test]
async fn web_identity_checks_the_token_and_is_sent_unsigned() {
    let sts = StsServer::builder()
        .web_identity_token("the-projected-jwt")
        .provider_id("tke-oidc")
        .start()
        .await
        .expect("starts");
    let before = unix_now();
    let good = answer(&sts, &web_identity("the-projected-jwt")).await;
    assert_credentials_answer(&sts, &good, 7200, before, unix_now());
    let body = sts.last_body("AssumeRoleWithWebIdentity").expect("recorded");
    assert_eq!(body["WebIdentityToken"], "the-projected-jwt");
    assert_eq!(body["ProviderId"], "tke-oidc");

    let wrong = answer(&sts, &web_identity("a-stale-jwt")).await;
    assert_eq!(error_code(&wrong), Some("InvalidParameter.WebIdentityTokenError"));

    let mut signed = web_identity("the-projected-jwt");
    signed.authorization = None;
    let answer_signed = answer(&sts, &signed).await;
    assert_eq!(error_code(&answer_signed), Some("AuthFailure.InvalidAuthorization"));

    let mut other_provider = web_identity("the-projected-jwt");
    other_provider.body = json!({
        "ProviderId": "someone-else", "WebIdentityToken": "the-projected-jwt",
        "RoleArn": ROLE_ARN, "RoleSessionName": "s1",
    })
    .to_string()
    .into_bytes();
    assert_eq!(
        error_code(&answer(&sts, &other_provider).await),
        Some("InvalidParameter.ParamError")
    );

    for missing in ["ProviderId", "WebIdentityToken", "RoleArn", "RoleSessionName"] {
        let mut call = web_identity("the-projected-jwt");
        let mut body: Value = serde_json::from_slice(&call.body).expect("JSON");
        body.as_object_mut().expect("object").remove(missing);
        call.body = body.to_string().into_bytes();
        assert_eq!(
            error_code(&answer(&sts, &call).await),
            Some("MissingParameter"),
            "{missing}"
        );
    }

    // A rotated token file: the new token is accepted, the old one no longer.
    sts.set_web_identity_token("the-rotated-jwt");
    assert_eq!(
        error_code(&answer(&sts, &web_identity("the-projected-jwt")).await),
        Some("InvalidParameter.WebIdentityTokenError")
    );
    assert_eq!(error_code(&answer(&sts, &web_identity("the-rotated-jwt")).await), None);
    assert_eq!(sts.issued().len(), 2);
    assert_eq!(sts.request_count("AssumeRoleWithWebIdentity"), 10);
}

#[tokio::test]
async fn down_closes_connections() {
    let sts = StsServer::builder()
        .fault(StsFault::Down)
        .start()
        .await
        .expect("starts");
    let error = assume_role(&assume_role_body())
        .send_to(&common::client(), sts.local_addr())
        .await
        .expect_err("no answer");
    assert!(!error.is_timeout(), "{error}");
    assert_eq!(sts.requests(), 0);
    sts.clear_fault();
    assert_eq!(error_code(&answer(&sts, &assume_role(&assume_role_body())).await), None);
}

#[tokio::test]
async fn slow_waits_then_serves() {
    let sts = StsServer::start().await.expect("starts");
    sts.set_fault(StsFault::Slow(Duration::from_millis(400)));
    let started = Instant::now();
    let answer = answer(&sts, &assume_role(&assume_role_body())).await;
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(error_code(&answer), None, "{answer}");

    sts.set_fault(StsFault::Slow(Duration::from_secs(5)));
    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("a client");
    let error = assume_role(&assume_role_body())
        .send_to(&impatient, sts.local_addr())
        .await
        .expect_err("times out");
    assert!(error.is_timeout(), "{error}");
    assert_eq!(sts.request_count("AssumeRole"), 2);
}

#[tokio::test]
async fn malformed_json_and_api_errors() {
    let sts = StsServer::start().await.expect("starts");
    sts.set_fault(StsFault::MalformedJson);
    let response = assume_role(&assume_role_body())
        .send_to(&common::client(), sts.local_addr())
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(b"{\"Response\""), "{bytes:?}");
    assert!(serde_json::from_slice::<Value>(&bytes).is_err());
    assert!(sts.issued().is_empty());

    sts.set_fault(StsFault::api_error("InternalError.SystemError", "try again later"));
    for call in [
        assume_role(&assume_role_body()),
        web_identity(StsServer::DEFAULT_WEB_IDENTITY_TOKEN),
    ] {
        let answer = answer(&sts, &call).await;
        assert_eq!(error_code(&answer), Some("InternalError.SystemError"));
        assert_eq!(answer["Response"]["Error"]["Message"], "try again later");
    }
    assert!(sts.issued().is_empty());
    assert_eq!(sts.request_count("AssumeRole"), 2);
    assert_eq!(sts.request_count("AssumeRoleWithWebIdentity"), 1);

    sts.clear_fault();
    let answer = answer(&sts, &web_identity(StsServer::DEFAULT_WEB_IDENTITY_TOKEN)).await;
    assert_eq!(error_code(&answer), None, "{answer}");
}

#[tokio::test]
async fn debug_shows_counts_never_secrets() {
    let builder = StsServer::builder()
        .credentials("AKIDbase-visible", "base-secret-hidden")
        .web_identity_token("jwt-hidden");
    let builder_debug = format!("{builder:?}");
    assert!(
        !builder_debug.contains("base-secret-hidden") && !builder_debug.contains("jwt-hidden"),
        "{builder_debug}"
    );
    let sts = builder
        .fault(StsFault::api_error("InternalError", "message-hidden"))
        .start()
        .await
        .expect("starts");
    sts.clear_fault();
    let mut call = web_identity("jwt-hidden");
    call.secret_id = "AKIDbase-visible".to_owned();
    let _ = answer(&sts, &call).await;
    let issued = sts.last_issued().expect("issued");
    let debug = format!("{sts:?}");
    for secret in [
        "base-secret-hidden",
        "jwt-hidden",
        "message-hidden",
        issued.secret_key(),
        issued.token(),
        issued.secret_id(),
    ] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(
        debug.contains(&sts.endpoint()) && debug.contains("AssumeRoleWithWebIdentity"),
        "{debug}"
    );
}

fn teo_call_with(stand_in: &StandIn, answer: &Value) -> Call {
    let credentials = &answer["Response"]["Credentials"];
    let mut call = Call::new(stand_in, "DescribeZones", "{}");
    call.secret_id = credentials["TmpSecretId"].as_str().expect("id").to_owned();
    call.secret_key = credentials["TmpSecretKey"].as_str().expect("key").to_owned();
    call.token = credentials["Token"].as_str().map(str::to_owned);
    call
}

#[tokio::test]
async fn the_linked_stand_in_accepts_issued_credentials_until_they_expire() {
    let stand_in = StandIn::start().await.expect("starts");
    let sts = StsServer::builder()
        .lifetime(Duration::from_secs(2))
        .issue_to(&stand_in)
        .start()
        .await
        .expect("starts");
    let client = common::client();
    let assumed = answer(&sts, &assume_role(&assume_role_body())).await;
    let oidc = answer(&sts, &web_identity(StsServer::DEFAULT_WEB_IDENTITY_TOKEN)).await;
    assert_eq!(stand_in.accepted_temporary(), 2);
    for issued in [&assumed, &oidc] {
        let answer = teo_call_with(&stand_in, issued).answer(&client, &stand_in).await;
        assert_eq!(error_code(&answer), None, "{answer}");
        let mut tokenless = teo_call_with(&stand_in, issued);
        tokenless.token = None;
        let answer = tokenless.answer(&client, &stand_in).await;
        assert_eq!(error_code(&answer), Some("AuthFailure.TokenFailure"));
    }
    let other_token = {
        let mut call = teo_call_with(&stand_in, &assumed);
        call.token = oidc["Response"]["Credentials"]["Token"].as_str().map(str::to_owned);
        call
    };
    let answer = other_token.answer(&client, &stand_in).await;
    assert_eq!(
        error_code(&answer),
        Some("AuthFailure.TokenFailure"),
        "tokens are per key"
    );

    // Wait out the two-second lifetime on the real clock.
    let expired_time = assumed["Response"]["ExpiredTime"].as_i64().expect("integer");
    while stand_in.server_time() < expired_time {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let answer = teo_call_with(&stand_in, &assumed).answer(&client, &stand_in).await;
    assert_eq!(error_code(&answer), Some("AuthFailure.TokenFailure"), "{answer}");
    let answer = Call::new(&stand_in, "DescribeZones", "{}")
        .answer(&client, &stand_in)
        .await;
    assert_eq!(error_code(&answer), None, "the stand-in's own credentials keep working");
}
