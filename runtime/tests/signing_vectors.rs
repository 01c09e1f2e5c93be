//! Checks the TC3 signer against every vector in `tests/vectors/tc3/`, computed by the official
//! Python SDK (and the published documentation example): canonical request, string to sign,
//! signing key and `Authorization`, for POST, GET, unsigned-payload, token and
//! international-endpoint requests.

use std::path::Path;

use serde_json::Value;
use tencentcloud_runtime::signing::{
    canonical_request, derive_signing_key, string_to_sign, utc_date, Payload, SignableRequest, Signer, UNSIGNED_PAYLOAD,
};
use tencentcloud_runtime::Credentials;

/// One vector, with every field the signer needs pulled out of the file's layout.
struct Vector {
    name: String,
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    service: String,
    host: String,
    method: String,
    query: String,
    content_type: String,
    unsigned: bool,
    body: Vec<u8>,
    timestamp: u64,
    expected: Value,
}

fn text(value: &Value, path: &str) -> Option<String> {
    value.pointer(path).and_then(Value::as_str).map(str::to_owned)
}

fn load(value: &Value) -> Vector {
    let name = text(value, "/name").expect("name");
    let headers = value
        .pointer("/request/headers_sent_by_requests")
        .or_else(|| value.pointer("/request/headers_sdk_would_send"))
        .cloned()
        .unwrap_or(Value::Null);
    let body = match text(value, "/request/body_hex") {
        Some(hex) => hex::decode(hex).expect("body_hex"),
        None => text(value, "/inputs/body_utf8").expect("a body").into_bytes(),
    };
    Vector {
        secret_id: text(value, "/inputs/secret_id").expect("secret_id"),
        secret_key: text(value, "/inputs/secret_key").expect("secret_key"),
        token: text(value, "/inputs/token"),
        service: text(value, "/inputs/service").expect("service"),
        host: text(value, "/inputs/host").expect("host"),
        method: text(value, "/inputs/http_method").expect("http_method"),
        query: text(value, "/request/query_string").unwrap_or_default(),
        content_type: text(value, "/inputs/content_type")
            .or_else(|| text(&headers, "/Content-Type"))
            .expect("content type"),
        unsigned: text(&headers, "/X-TC-Content-SHA256").as_deref() == Some(UNSIGNED_PAYLOAD),
        body,
        timestamp: value
            .pointer("/inputs/timestamp")
            .and_then(Value::as_u64)
            .expect("timestamp"),
        expected: value.clone(),
        name,
    }
}

fn vectors() -> Vec<Vector> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/tc3");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("vector dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let value: Value = serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
        match value {
            Value::Array(items) => out.extend(items.iter().map(load)),
            one => out.push(load(&one)),
        }
    }
    out
}

#[test]
fn every_vector_signs_exactly_like_the_official_sdk() {
    let vectors = vectors();
    assert_eq!(
        vectors.len(),
        13,
        "all 12 files, the documentation file holding two vectors"
    );
    let mut kinds = (0, 0, 0);
    for v in &vectors {
        let payload = if v.unsigned {
            Payload::Unsigned
        } else {
            Payload::Bytes(&v.body)
        };
        let request = SignableRequest {
            method: &v.method,
            host: &v.host,
            query: &v.query,
            content_type: &v.content_type,
            payload,
        };
        let credentials = match &v.token {
            Some(token) => Credentials::with_token(&v.secret_id, &v.secret_key, token),
            None => Credentials::new(&v.secret_id, &v.secret_key),
        };
        let intermediate = |field: &str| text(&v.expected, &format!("/intermediate/{field}"));

        assert_eq!(
            Some(canonical_request(&request)),
            intermediate("canonical_request"),
            "{}",
            v.name
        );
        assert_eq!(
            Some(string_to_sign(&v.service, &request, v.timestamp)),
            intermediate("string_to_sign"),
            "{}",
            v.name
        );
        if let Some(date) = intermediate("date") {
            assert_eq!(utc_date(v.timestamp), date, "{}", v.name);
            let key = derive_signing_key(&v.secret_key, &date, &v.service);
            assert_eq!(Some(hex::encode(key)), intermediate("secret_signing_hex"), "{}", v.name);
        }
        let signer = Signer::new(v.service.clone());
        let authorization = signer.authorization(&credentials, &request, v.timestamp);
        assert_eq!(
            Some(&authorization),
            text(&v.expected, "/expected/authorization").as_ref(),
            "{}",
            v.name
        );
        // Signing again hits the cached key and must give the same answer.
        assert_eq!(
            signer.authorization(&credentials, &request, v.timestamp),
            authorization,
            "{}",
            v.name
        );

        kinds.0 += usize::from(v.method == "GET");
        kinds.1 += usize::from(v.unsigned);
        kinds.2 += usize::from(v.token.is_some());
    }
    assert_eq!(
        kinds,
        (1, 1, 2),
        "GET, unsigned-payload and token vectors were all exercised"
    );
}

#[test]
fn the_token_is_not_part_of_the_signature() {
    let request = SignableRequest::post_json("teo.tencentcloudapi.com", b"{\"ZoneId\":\"zone-27q0p0bal192\"}");
    let signer = Signer::new("teo");
    let plain = signer.authorization(
        &Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE"),
        &request,
        1_700_000_000,
    );
    let with_token = signer.authorization(
        &Credentials::with_token("AKIDEXAMPLE", "SECRETEXAMPLE", "TOKENEXAMPLE"),
        &request,
        1_700_000_000,
    );
    assert_eq!(plain, with_token);
    assert!(plain.ends_with("Signature=75c9e96c7a5a9af705211077c9b968c0f39da0541a9da024328bbe5c8e5b530e"));
}
