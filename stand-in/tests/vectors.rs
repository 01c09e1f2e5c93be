//! Replays the TC3 test vectors recorded from the official Python SDK (copied into tests/vectors/):
//! the stand-in must accept each POST request exactly as the SDK sent it, and reject it with
//! `AuthFailure.SignatureFailure` once one body byte or one signature character changes.

mod common;

use serde_json::Value;
use teo_stand_in::{Outcome, StandIn};

const VECTORS: [(&str, &str); 10] = [
    ("a", include_str!("vectors/a_create_mpgw_secret_key.json")),
    ("b", include_str!("vectors/b_refresh_mpgw_secret_key.json")),
    ("c", include_str!("vectors/c_refresh_mpgw_secret_key_token.json")),
    (
        "d",
        include_str!("vectors/d_create_mpgw_secret_key_omitted_optional_region_en.json"),
    ),
    ("e", include_str!("vectors/e_create_mpgw_secret_key_compact.json")),
    ("f", include_str!("vectors/f_refresh_mpgw_secret_key_compact.json")),
    (
        "g",
        include_str!("vectors/g_refresh_mpgw_secret_key_compact_token.json"),
    ),
    ("h", include_str!("vectors/h_empty_body_compact.json")),
    (
        "j",
        include_str!("vectors/j_refresh_mpgw_secret_key_intl_endpoint.json"),
    ),
    (
        "k",
        include_str!("vectors/k_refresh_mpgw_secret_key_unsigned_payload.json"),
    ),
];

/// One recorded request: its credentials, clock, body bytes and headers as sent.
struct Vector {
    name: &'static str,
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    timestamp: i64,
    action: String,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
}

impl Vector {
    fn parse(name: &'static str, text: &str) -> Self {
        let json: Value = serde_json::from_str(text).expect("vector JSON");
        let inputs = &json["inputs"];
        let request = &json["request"];
        let headers = request
            .get("headers_sent_by_requests")
            .or_else(|| request.get("headers_sdk_would_send"))
            .and_then(Value::as_object)
            .expect("vector headers");
        let text = |value: &Value| value.as_str().expect("a string").to_owned();
        Self {
            name,
            secret_id: text(&inputs["secret_id"]),
            secret_key: text(&inputs["secret_key"]),
            token: inputs["token"].as_str().map(str::to_owned),
            timestamp: inputs["timestamp"].as_i64().expect("timestamp"),
            action: text(&inputs["action"]),
            body: hex::decode(text(&request["body_hex"])).expect("body hex"),
            headers: headers
                .iter()
                .map(|(name, value)| (name.clone(), text(value)))
                .collect(),
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .unwrap_or("")
    }

    async fn stand_in(&self) -> StandIn {
        let mut builder = StandIn::builder()
            .credentials(&self.secret_id, &self.secret_key)
            .fixed_time(self.timestamp);
        if let Some(token) = &self.token {
            builder = builder.session_token(token);
        }
        if self.action == "RefreshMultiPathGatewaySecretKey" {
            builder = builder.zone_key(common::ZONE, common::KEY_A);
        }
        builder.start().await.expect("stand-in starts")
    }

    /// Sends the recorded request, with `body` and `authorization` in place of the recorded ones.
    async fn send(&self, stand_in: &StandIn, body: Vec<u8>, authorization: &str) -> Value {
        let mut request = common::client().post(format!("{}/", stand_in.endpoint())).body(body);
        for (name, value) in &self.headers {
            match name.to_ascii_lowercase().as_str() {
                // reqwest frames the body itself.
                "content-length" => {}
                "authorization" => request = request.header("Authorization", authorization),
                _ => request = request.header(name, value),
            }
        }
        let response = request.send().await.expect("the stand-in answers");
        assert_eq!(response.status(), 200, "{}", self.name);
        serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON answer")
    }
}

fn vectors() -> Vec<Vector> {
    VECTORS.iter().map(|(name, text)| Vector::parse(name, text)).collect()
}

#[tokio::test]
async fn every_recorded_sdk_request_is_accepted_as_sent() {
    for vector in vectors() {
        let stand_in = vector.stand_in().await;
        let answer = vector
            .send(&stand_in, vector.body.clone(), vector.header("Authorization"))
            .await;

        let requests = stand_in.requests();
        assert_eq!(requests.len(), 1, "{}", vector.name);
        let recorded = &requests[0];
        assert!(
            recorded.verification.passed(),
            "{}: {:?}",
            vector.name,
            recorded.verification
        );
        assert_eq!(
            recorded.body, vector.body,
            "{}: body recorded byte for byte",
            vector.name
        );
        assert_eq!(recorded.header("host"), Some(vector.header("Host")), "{}", vector.name);
        // Every vector's action is served now (the empty-body one is DescribeZones).
        assert_eq!(recorded.outcome, Outcome::Success, "{}: {answer}", vector.name);
        assert_eq!(common::error_code(&answer), None, "{}", vector.name);
    }
}

#[tokio::test]
async fn create_vectors_store_the_key_they_carry() {
    let vector = Vector::parse(VECTORS[0].0, VECTORS[0].1);
    let stand_in = vector.stand_in().await;
    vector
        .send(&stand_in, vector.body.clone(), vector.header("Authorization"))
        .await;
    assert_eq!(stand_in.zone_key(common::ZONE).as_deref(), Some(common::KEY_A));
}

#[tokio::test]
async fn one_changed_body_byte_breaks_every_vector() {
    // The unsigned-payload vector is excluded: its signature does not cover the body (tested below).
    for vector in vectors()
        .into_iter()
        .filter(|vector| vector.header("X-TC-Content-SHA256").is_empty())
    {
        let stand_in = vector.stand_in().await;
        let last = vector.body.len() - 1;
        for position in [0, last / 2, last] {
            let mut body = vector.body.clone();
            body[position] ^= 0x01;
            let answer = vector.send(&stand_in, body, vector.header("Authorization")).await;
            let code = common::error_code(&answer);
            assert_eq!(
                code,
                Some("AuthFailure.SignatureFailure"),
                "{} byte {position}",
                vector.name
            );
        }
        // Nothing reached the action.
        assert!(
            stand_in.requests().iter().all(|request| !request.verification.passed()),
            "{}",
            vector.name
        );
        assert_eq!(
            stand_in.zone_key(common::ZONE).is_some(),
            vector.action.starts_with("Refresh"),
            "{}",
            vector.name
        );
    }
}

#[tokio::test]
async fn one_changed_signature_character_breaks_every_vector() {
    for vector in vectors() {
        let stand_in = vector.stand_in().await;
        let authorization = vector.header("Authorization");
        let signature_at = authorization.find("Signature=").expect("a signature") + "Signature=".len();
        for position in [signature_at, authorization.len() - 1] {
            let mut changed = authorization.to_owned().into_bytes();
            changed[position] = if changed[position] == b'0' { b'1' } else { b'0' };
            let changed = String::from_utf8(changed).expect("ASCII");
            let answer = vector.send(&stand_in, vector.body.clone(), &changed).await;
            assert_eq!(
                common::error_code(&answer),
                Some("AuthFailure.SignatureFailure"),
                "{} at {position}",
                vector.name
            );
        }
    }
}

#[tokio::test]
async fn unsigned_payload_vector_does_not_cover_the_body() {
    // With `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` the signature deliberately ignores the body.
    let (name, text) = VECTORS[9];
    let vector = Vector::parse(name, text);
    assert_eq!(vector.header("X-TC-Content-SHA256"), "UNSIGNED-PAYLOAD");
    let stand_in = vector.stand_in().await;
    let other_zone = br#"{"ZoneId": "zone-27q0p0bal193"}"#.to_vec();
    let answer = vector.send(&stand_in, other_zone, vector.header("Authorization")).await;
    assert_eq!(
        common::error_code(&answer),
        Some("OperationDenied"),
        "signature passed, zone has no key"
    );
    assert!(stand_in.requests()[0].verification.passed());
}

#[tokio::test]
async fn the_vectors_are_rejected_as_expired_against_the_real_clock() {
    let vector = Vector::parse(VECTORS[0].0, VECTORS[0].1);
    let stand_in = StandIn::builder()
        .credentials(&vector.secret_id, &vector.secret_key)
        .start()
        .await
        .expect("starts");
    let answer = vector
        .send(&stand_in, vector.body.clone(), vector.header("Authorization"))
        .await;
    assert_eq!(common::error_code(&answer), Some("AuthFailure.SignatureExpire"));
}
