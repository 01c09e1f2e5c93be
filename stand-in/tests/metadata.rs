//! The loopback CVM metadata server over the wire: the role listing, the credentials document and
//! its fields, fresh credentials per answer, each fault mode, request counts, redaction, and the
//! TEO stand-in accepting what it issues until expiry.

mod common;

use std::time::{Duration, Instant};

use common::{error_code, Call};
use serde_json::Value;
use teo_stand_in::{MetadataFault, MetadataServer, StandIn};

fn listing_url(metadata: &MetadataServer) -> String {
    format!("{}{}", metadata.endpoint(), MetadataServer::ROLES_PATH)
}

fn role_url(metadata: &MetadataServer, role: &str) -> String {
    format!("{}{role}", listing_url(metadata))
}

async fn get(url: &str) -> reqwest::Result<reqwest::Response> {
    common::client().get(url).send().await
}

/// The credentials document of the default role; the answer must be HTTP 200.
async fn credentials(metadata: &MetadataServer) -> Value {
    let response = get(&role_url(metadata, MetadataServer::DEFAULT_ROLE))
        .await
        .expect("the metadata server answers");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("a complete body");
    serde_json::from_slice(&bytes).expect("a JSON document")
}

fn unix_now() -> i64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(elapsed.as_secs()).expect("fits")
}

/// `YYYY-MM-DDTHH:MM:SSZ`, built from the tests' own slow date routine.
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

#[tokio::test]
async fn the_listing_answers_the_role_name_as_plain_text() {
    let metadata = MetadataServer::builder()
        .role_name("edgeone-ops")
        .start()
        .await
        .expect("starts");
    let response = get(&listing_url(&metadata)).await.expect("answers");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().expect("ASCII").to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert_eq!(response.text().await.expect("text"), "edgeone-ops");
    assert_eq!(metadata.requests(), 1);
    assert_eq!(metadata.credential_requests(), 0);
    assert!(metadata.issued().is_empty(), "a listing issues nothing");
}

#[tokio::test]
async fn the_credentials_document_has_the_documented_fields() {
    let metadata = MetadataServer::builder()
        .lifetime(Duration::from_secs(900))
        .start()
        .await
        .expect("starts");
    let before = unix_now();
    let document = credentials(&metadata).await;
    let after = unix_now();

    let object = document.as_object().expect("an object");
    let mut names: Vec<&str> = object.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Code",
            "Expiration",
            "ExpiredTime",
            "TmpSecretId",
            "TmpSecretKey",
            "Token"
        ]
    );
    assert_eq!(document["Code"], "Success");
    let expired_time = document["ExpiredTime"].as_i64().expect("an integer ExpiredTime");
    assert!(document["ExpiredTime"].is_i64(), "an integer, not a float or a string");
    assert!(
        (before + 900..=after + 900).contains(&expired_time),
        "{expired_time} is 900 s after {before}..{after}"
    );
    assert_eq!(document["Expiration"], iso(expired_time));

    let issued = metadata.last_issued().expect("recorded as issued");
    assert_eq!(document["TmpSecretId"], issued.secret_id());
    assert_eq!(document["TmpSecretKey"], issued.secret_key());
    assert_eq!(document["Token"], issued.token());
    assert_eq!(issued.expired_time(), expired_time);
    assert!(issued.secret_id().starts_with("AKID"), "{issued:?}");
    assert!(!issued.token().is_empty());
    assert_eq!((metadata.requests(), metadata.credential_requests()), (1, 1));
}

#[tokio::test]
async fn each_answer_issues_fresh_credentials() {
    let metadata = MetadataServer::start().await.expect("starts");
    let first = credentials(&metadata).await;
    let second = credentials(&metadata).await;
    for member in ["TmpSecretId", "TmpSecretKey", "Token"] {
        assert_ne!(first[member], second[member], "{member}");
    }
    assert_eq!(metadata.issued().len(), 2);
    assert_eq!(metadata.credential_requests(), 2);
}

#[tokio::test]
async fn concurrent_requests_are_each_counted() {
    let metadata = MetadataServer::start().await.expect("starts");
    let url = role_url(&metadata, MetadataServer::DEFAULT_ROLE);
    let fetches: Vec<_> = (0..20).map(|_| tokio::spawn(get_status(url.clone()))).collect();
    for fetch in fetches {
        assert_eq!(fetch.await.expect("no panic"), 200);
    }
    assert_eq!(metadata.credential_requests(), 20);
    assert_eq!(metadata.requests(), 20);
}

async fn get_status(url: String) -> u16 {
    get(&url).await.expect("answers").status().as_u16()
}

#[tokio::test]
async fn unknown_roles_paths_and_methods_are_404() {
    let metadata = MetadataServer::start().await.expect("starts");
    for url in [
        role_url(&metadata, "SomeOtherRole"),
        format!("{}/latest/meta-data/instance-id", metadata.endpoint()),
        format!("{}{}", listing_url(&metadata).trim_end_matches('/'), ""),
    ] {
        let response = get(&url).await.expect("answers");
        assert_eq!(response.status(), 404, "{url}");
    }
    let post = common::client()
        .post(role_url(&metadata, MetadataServer::DEFAULT_ROLE))
        .send()
        .await
        .expect("answers");
    assert_eq!(post.status(), 404);
    assert_eq!(metadata.credential_requests(), 0, "only GETs of the bound role count");
    assert_eq!(metadata.requests(), 4);
    assert!(metadata.issued().is_empty());
}

#[tokio::test]
async fn without_a_role_the_listing_is_404_until_one_is_bound() {
    let metadata = MetadataServer::builder().without_role().start().await.expect("starts");
    assert_eq!(metadata.role_name(), None);
    assert_eq!(get(&listing_url(&metadata)).await.expect("answers").status(), 404);
    assert_eq!(
        get(&role_url(&metadata, MetadataServer::DEFAULT_ROLE))
            .await
            .expect("answers")
            .status(),
        404
    );
    metadata.set_role_name(Some("late-role".to_owned()));
    let response = get(&listing_url(&metadata)).await.expect("answers");
    assert_eq!(response.text().await.expect("text"), "late-role");
}

#[tokio::test]
async fn down_closes_connections_until_cleared() {
    let metadata = MetadataServer::builder()
        .fault(MetadataFault::Down)
        .start()
        .await
        .expect("starts");
    assert_eq!(metadata.fault(), Some(MetadataFault::Down));
    let error = get(&listing_url(&metadata)).await.expect_err("no answer while down");
    assert!(!error.is_timeout(), "closed, not slow: {error}");
    assert_eq!(metadata.requests(), 0, "no request was read");

    metadata.clear_fault();
    assert_eq!(get(&listing_url(&metadata)).await.expect("answers").status(), 200);

    // A connection kept alive from before the fault is closed on its next request.
    let client = common::client();
    let url = listing_url(&metadata);
    assert_eq!(client.get(&url).send().await.expect("answers").status(), 200);
    metadata.set_fault(MetadataFault::Down);
    assert!(client.get(&url).send().await.is_err());
    assert!(metadata.issued().is_empty());
}

#[tokio::test]
async fn slow_delays_every_answer() {
    let metadata = MetadataServer::start().await.expect("starts");
    metadata.set_fault(MetadataFault::Slow(Duration::from_secs(3)));
    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("a client");
    let started = Instant::now();
    let error = impatient
        .get(role_url(&metadata, MetadataServer::DEFAULT_ROLE))
        .send()
        .await
        .expect_err("times out");
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));

    metadata.set_fault(MetadataFault::Slow(Duration::from_millis(400)));
    let started = Instant::now();
    let listing = get(&listing_url(&metadata)).await.expect("answers");
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(listing.text().await.expect("text"), MetadataServer::DEFAULT_ROLE);
    let document = credentials(&metadata).await;
    assert_eq!(document["Code"], "Success", "served normally after the wait");
}

#[tokio::test]
async fn code_not_success_carries_no_credentials() {
    let metadata = MetadataServer::builder()
        .fault(MetadataFault::CodeNotSuccess)
        .start()
        .await
        .expect("starts");
    let listing = get(&listing_url(&metadata)).await.expect("answers");
    assert_eq!(listing.text().await.expect("text"), MetadataServer::DEFAULT_ROLE);
    let document = credentials(&metadata).await;
    assert_ne!(document["Code"], "Success");
    assert!(document["Code"].is_string());
    for member in ["TmpSecretId", "TmpSecretKey", "Token", "ExpiredTime"] {
        assert!(document.get(member).is_none(), "{member} in {document}");
    }
    assert!(metadata.issued().is_empty());
    assert_eq!(metadata.credential_requests(), 1);
}

#[tokio::test]
async fn malformed_json_is_cut_short_json() {
    let metadata = MetadataServer::start().await.expect("starts");
    metadata.set_fault(MetadataFault::MalformedJson);
    let response = get(&role_url(&metadata, MetadataServer::DEFAULT_ROLE))
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let bytes = response.bytes().await.expect("a complete body");
    assert!(bytes.starts_with(b"{"));
    assert!(serde_json::from_slice::<Value>(&bytes).is_err(), "{bytes:?}");
    assert!(metadata.issued().is_empty(), "nothing usable was issued");
    metadata.clear_fault();
    assert_eq!(credentials(&metadata).await["Code"], "Success");
}

#[tokio::test]
async fn debug_shows_counts_never_credentials() {
    let metadata = MetadataServer::start().await.expect("starts");
    let _ = credentials(&metadata).await;
    let issued = metadata.last_issued().expect("issued");
    for debug in [
        format!("{metadata:?}"),
        format!("{issued:?}"),
        format!("{:?}", metadata.issued()),
    ] {
        assert!(!debug.contains(issued.secret_key()), "{debug}");
        assert!(!debug.contains(issued.token()), "{debug}");
    }
    let debug = format!("{metadata:?}");
    assert!(debug.contains(&metadata.endpoint()), "{debug}");
    assert!(debug.contains("credential_requests: 1"), "{debug}");
    assert!(
        !debug.contains(issued.secret_id()),
        "the server prints counts only: {debug}"
    );
}

/// A TEO call signed with issued credentials.
fn teo_call(stand_in: &StandIn, document: &Value) -> Call {
    let mut call = Call::new(stand_in, "DescribeZones", "{}");
    call.secret_id = document["TmpSecretId"].as_str().expect("id").to_owned();
    call.secret_key = document["TmpSecretKey"].as_str().expect("key").to_owned();
    call.token = document["Token"].as_str().map(str::to_owned);
    call
}

#[tokio::test]
async fn the_linked_stand_in_accepts_issued_credentials_until_they_expire() {
    let stand_in = StandIn::start().await.expect("starts");
    let metadata = MetadataServer::builder()
        .lifetime(Duration::from_secs(60))
        .issue_to(&stand_in)
        .start()
        .await
        .expect("starts");
    let document = credentials(&metadata).await;
    assert_eq!(stand_in.accepted_temporary(), 1);
    let client = common::client();

    let answer = teo_call(&stand_in, &document).answer(&client, &stand_in).await;
    assert_eq!(error_code(&answer), None, "{answer}");

    let mut no_token = teo_call(&stand_in, &document);
    no_token.token = None;
    let answer = no_token.answer(&client, &stand_in).await;
    assert_eq!(error_code(&answer), Some("AuthFailure.TokenFailure"));

    let mut wrong_token = teo_call(&stand_in, &document);
    wrong_token.token = Some("not-the-issued-token".to_owned());
    let answer = wrong_token.answer(&client, &stand_in).await;
    assert_eq!(error_code(&answer), Some("AuthFailure.TokenFailure"));

    let mut wrong_key = teo_call(&stand_in, &document);
    wrong_key.secret_key.push('x');
    let answer = wrong_key.answer(&client, &stand_in).await;
    assert_eq!(error_code(&answer), Some("AuthFailure.SignatureFailure"));

    // The stand-in's own credentials keep working alongside.
    let answer = Call::new(&stand_in, "DescribeZones", "{}")
        .answer(&client, &stand_in)
        .await;
    assert_eq!(error_code(&answer), None, "{answer}");

    // Sixty seconds later (by the stand-in's clock, which signs the calls' timestamps too).
    stand_in.set_clock_skew(60);
    let answer = teo_call(&stand_in, &document).answer(&client, &stand_in).await;
    assert_eq!(error_code(&answer), Some("AuthFailure.TokenFailure"));
    let message = answer["Response"]["Error"]["Message"].as_str().unwrap_or_default();
    assert!(message.contains("expired"), "{message}");
    let answer = Call::new(&stand_in, "DescribeZones", "{}")
        .answer(&client, &stand_in)
        .await;
    assert_eq!(error_code(&answer), None, "permanent credentials do not expire");

    // New credentials from the server are accepted again.
    stand_in.set_clock_skew(0);
    let fresh = credentials(&metadata).await;
    let answer = teo_call(&stand_in, &fresh).answer(&client, &stand_in).await;
    assert_eq!(error_code(&answer), None, "{answer}");
    assert_eq!(stand_in.accepted_temporary(), 2);
}

#[tokio::test]
async fn an_unlinked_stand_in_does_not_know_issued_credentials() {
    let stand_in = StandIn::start().await.expect("starts");
    let metadata = MetadataServer::start().await.expect("starts");
    let document = credentials(&metadata).await;
    let answer = teo_call(&stand_in, &document)
        .answer(&common::client(), &stand_in)
        .await;
    assert_eq!(error_code(&answer), Some("AuthFailure.SecretIdNotFound"));

    // Linking later covers what is issued from then on.
    metadata.issue_to(&stand_in);
    let document = credentials(&metadata).await;
    let answer = teo_call(&stand_in, &document)
        .answer(&common::client(), &stand_in)
        .await;
    assert_eq!(error_code(&answer), None, "{answer}");
}
