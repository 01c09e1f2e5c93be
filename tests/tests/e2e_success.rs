//! End to end, successful calls: the generated client against the TEO stand-in. Both actions
//! change the stand-in's zone state as documented, the client returns what the stand-in holds,
//! and every request carries exactly the documented headers and a body without unset members.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::{
    assert_all_verified, builder, client, decoded_len, is_uuid, only_request, stand_in, CREATE, GATEWAY_KEY,
    GATEWAY_KEY_48, OTHER_ZONE, REFRESH, ZONE,
};
use generated_client::{Credentials, Language, Sensitive};
use serde_json::json;
use teo_stand_in::{Outcome, RecordedRequest, StandIn, Verification};

/// `tencentcloud-runtime/<version>`, read from the runtime's own manifest rather than from the
/// runtime's code, so the test checks the header against the crate it names.
fn expected_request_client() -> String {
    let manifest = include_str!("../../runtime/Cargo.toml");
    let field = |key: &str| {
        manifest
            .lines()
            .find_map(|line| line.strip_prefix(key))
            .map(|rest| rest.trim().trim_start_matches('=').trim().trim_matches('"').to_owned())
            .expect("the runtime manifest has the field")
    };
    format!("{}/{}", field("name"), field("version"))
}

/// Checks the headers every request carries, whatever the client settings.
fn assert_common_headers(request: &RecordedRequest, stand_in: &StandIn, action: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(request.action.as_deref(), Some(action));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("x-tc-action"), Some(action));
    assert_eq!(request.header("x-tc-version"), Some("2022-09-01"));
    assert_eq!(request.header("host"), Some(stand_in.local_addr().to_string().as_str()));
    assert_eq!(
        request.header("x-tc-requestclient"),
        Some(expected_request_client().as_str())
    );
    assert_eq!(expected_request_client(), "tencentcloud-runtime/0.1.0");

    let timestamp: u64 = request
        .header("x-tc-timestamp")
        .expect("X-TC-Timestamp is sent")
        .parse()
        .expect("X-TC-Timestamp is decimal seconds");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs();
    assert!(now.abs_diff(timestamp) <= 60, "timestamp {timestamp}, now {now}");

    // The exact shape of TC3-HMAC-SHA256, with the scope date of the timestamp; the stand-in
    // recomputed the signature independently and accepted it.
    let authorization = request.header("authorization").expect("Authorization is sent");
    let prefix = format!(
        "TC3-HMAC-SHA256 Credential={}/{}/teo/tc3_request, SignedHeaders=content-type;host, Signature=",
        StandIn::DEFAULT_SECRET_ID,
        tencentcloud_runtime::signing::utc_date(timestamp)
    );
    let signature = authorization
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{authorization:?} does not start with {prefix:?}"));
    assert_eq!(signature.len(), 64, "{signature}");
    assert!(signature
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(request.verification, Verification::Passed);
    assert_eq!(request.outcome, Outcome::Success);
}

#[tokio::test]
async fn create_stores_the_given_key_in_the_zone() {
    let stand_in = stand_in().await;
    let output = client(&stand_in)
        .create_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .secret_key(GATEWAY_KEY)
        .send()
        .await
        .expect("Create succeeds");

    assert!(is_uuid(&output.request_id), "{}", output.request_id);
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));
    let request = only_request(&stand_in);
    assert_eq!(
        request.body,
        // The client writes an object's members in alphabetical order.
        format!(r#"{{"SecretKey":"{GATEWAY_KEY}","ZoneId":"{ZONE}"}}"#).as_bytes()
    );
    assert_common_headers(&request, &stand_in, CREATE);
}

#[tokio::test]
async fn create_accepts_a_key_at_the_upper_length_bound() {
    let stand_in = stand_in().await;
    assert_eq!(decoded_len(GATEWAY_KEY_48), Some(48));
    client(&stand_in)
        .create_multi_path_gateway_secret_key()
        .zone_id(OTHER_ZONE)
        .secret_key(GATEWAY_KEY_48)
        .send()
        .await
        .expect("a 48-byte key is accepted by the client and the service");
    assert_eq!(stand_in.zone_key(OTHER_ZONE).as_deref(), Some(GATEWAY_KEY_48));
}

#[tokio::test]
async fn create_without_a_secret_key_sends_no_such_member_and_gets_a_generated_key() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    client
        .create_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect("Create without a key succeeds");
    // A key set and then cleared is not sent either.
    client
        .create_multi_path_gateway_secret_key()
        .zone_id(OTHER_ZONE)
        .secret_key(GATEWAY_KEY)
        .set_secret_key(None)
        .send()
        .await
        .expect("Create with a cleared key succeeds");

    let requests = stand_in.requests();
    assert_eq!(requests.len(), 2);
    for (request, zone) in requests.iter().zip([ZONE, OTHER_ZONE]) {
        // No `"SecretKey":null`: the member is left out entirely.
        assert_eq!(request.body, format!(r#"{{"ZoneId":"{zone}"}}"#).as_bytes());
        assert_eq!(request.body_json(), Some(json!({ "ZoneId": zone })));
        assert_common_headers(request, &stand_in, CREATE);
    }
    let generated = stand_in.zone_key(ZONE).expect("the service generated a key");
    assert_eq!(decoded_len(&generated), Some(32), "{generated}");
    let other = stand_in.zone_key(OTHER_ZONE).expect("the service generated a key");
    assert_ne!(generated, other, "each zone gets its own key");
    assert_ne!(other, GATEWAY_KEY, "the cleared key was not used");
}

#[tokio::test]
async fn refresh_returns_a_new_key_that_is_the_one_in_force() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    let client = client(&stand_in);

    let first = client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect("Refresh succeeds");
    let first_key = first
        .secret_key
        .as_ref()
        .expect("the answer has a key")
        .expose_secret()
        .clone();
    assert_ne!(first_key, GATEWAY_KEY, "the key changed");
    assert_eq!(
        stand_in.zone_key(ZONE),
        Some(first_key.clone()),
        "the returned key is in force"
    );
    assert_eq!(decoded_len(&first_key), Some(32));
    assert!(is_uuid(&first.request_id), "{}", first.request_id);

    // `send()` borrows nothing and its future is `Send + 'static`: it can run on another task
    // after the builder and the client handle it came from are gone.
    let pending = client.refresh_multi_path_gateway_secret_key().zone_id(ZONE).send();
    let second = tokio::spawn(pending)
        .await
        .expect("the task ran")
        .expect("a second Refresh succeeds");
    assert_ne!(second.secret_key.as_ref().map(|k| k.expose_secret()), Some(&first_key));
    assert_eq!(
        stand_in.zone_key(ZONE).as_ref(),
        second.secret_key.as_ref().map(|k| k.expose_secret())
    );
    assert_ne!(second.request_id, first.request_id);

    let requests = stand_in.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body, format!(r#"{{"ZoneId":"{ZONE}"}}"#).as_bytes());
        assert_common_headers(request, &stand_in, REFRESH);
    }
}

#[tokio::test]
async fn create_then_refresh_through_one_client() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    client
        .create_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .secret_key(GATEWAY_KEY)
        .send()
        .await
        .expect("Create succeeds");
    let refreshed = client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect("Refresh succeeds");
    assert_eq!(
        stand_in.zone_key(ZONE).as_ref(),
        refreshed.secret_key.as_ref().map(|k| k.expose_secret())
    );
    assert_ne!(refreshed.secret_key, Some(Sensitive::from(GATEWAY_KEY)));
    let actions: Vec<Option<String>> = stand_in.requests().into_iter().map(|r| r.action).collect();
    assert_eq!(actions, [Some(CREATE.to_owned()), Some(REFRESH.to_owned())]);
    assert_all_verified(&stand_in);
}

#[tokio::test]
async fn optional_headers_are_sent_only_when_configured() {
    // Nothing configured: no token, region or language.
    let stand_in = stand_in().await;
    client(&stand_in)
        .create_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect("Create succeeds");
    let request = only_request(&stand_in);
    for header in ["x-tc-token", "x-tc-region", "x-tc-language", "x-tc-content-sha256"] {
        assert_eq!(request.header(header), None, "{header} is not sent unless configured");
    }

    // Temporary credentials, a region and a language: each header is sent, and the stand-in,
    // which requires the token, accepts the request.
    let token = "e2e-session-token-value-0123456789";
    let temporary = StandIn::builder()
        .session_token(token)
        .start()
        .await
        .expect("stand-in starts");
    temporary.set_zone_key(ZONE, GATEWAY_KEY);
    let client = builder(&temporary)
        .credentials(Credentials::with_token(
            StandIn::DEFAULT_SECRET_ID,
            StandIn::DEFAULT_SECRET_KEY,
            token,
        ))
        .region("ap-guangzhou")
        .language(Language::EnUs)
        .build()
        .expect("the client builds");
    let output = client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect("Refresh with temporary credentials succeeds");
    assert_eq!(
        temporary.zone_key(ZONE).as_ref(),
        output.secret_key.as_ref().map(|k| k.expose_secret())
    );
    let request = only_request(&temporary);
    assert_common_headers(&request, &temporary, REFRESH);
    assert_eq!(request.header("x-tc-token"), Some(token));
    assert_eq!(request.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(request.header("x-tc-language"), Some("en-US"));

    // The other language, and a region without a language.
    let chinese = stand_in.requests().len();
    let zh = builder(&stand_in).language(Language::ZhCn).build().expect("builds");
    zh.refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect("Refresh succeeds");
    let region_only = builder(&stand_in).region("ap-singapore").build().expect("builds");
    region_only
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .expect("Refresh succeeds");
    let requests = stand_in.requests();
    assert_eq!(requests[chinese].header("x-tc-language"), Some("zh-CN"));
    assert_eq!(requests[chinese].header("x-tc-region"), None);
    assert_eq!(requests[chinese + 1].header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(requests[chinese + 1].header("x-tc-language"), None);
    assert_all_verified(&stand_in);
}
