// Shared test helpers: a tiny, separate TC3-HMAC-SHA256 signer and a `Call` describing one raw
// request, every part of which a test can bend to provoke one specific check.

#![allow(dead_code)] // Each test file uses a different subset.

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use teo_stand_in::StandIn;

pub const ZONE: &str = "zone-27q0p0bal192";
pub const KEY_A: &str = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=";

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// UTC date of a unix time, computed the slow, obviously-right way (day by day from 1970).
pub fn utc_date(unix: i64) -> String {
    let mut days = unix.div_euclid(86_400);
    let mut year = 1970;
    loop {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let length = if leap { 366 } else { 365 };
        if days < length {
            let months = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            let mut month = 1;
            for month_length in months {
                if days < month_length {
                    break;
                }
                days -= month_length;
                month += 1;
            }
            return format!("{year:04}-{month:02}-{:02}", days + 1);
        }
        days -= length;
        year += 1;
    }
}

/// One raw request; `send` signs it unless `authorization` is set.
#[derive(Clone, Debug)]
pub struct Call {
    pub action: Option<String>,
    pub version: Option<String>,
    pub timestamp: Option<String>,
    pub secret_id: String,
    pub secret_key: String,
    pub token: Option<String>,
    pub language: Option<String>,
    pub content_type: String,
    pub body: Vec<u8>,
    pub scope_date: Option<String>,
    pub scope_service: String,
    pub authorization: Option<String>,
    /// Body bytes actually sent, when they should differ from the signed ones.
    pub sent_body: Option<Vec<u8>>,
}

impl Call {
    /// A correctly signed call with the default credentials, timestamped with the server's clock.
    pub fn new(stand_in: &StandIn, action: &str, body: &str) -> Self {
        Self {
            action: Some(action.to_owned()),
            version: Some("2022-09-01".to_owned()),
            timestamp: Some(stand_in.server_time().to_string()),
            secret_id: StandIn::DEFAULT_SECRET_ID.to_owned(),
            secret_key: StandIn::DEFAULT_SECRET_KEY.to_owned(),
            token: None,
            language: Some("en-US".to_owned()),
            content_type: "application/json".to_owned(),
            body: body.as_bytes().to_vec(),
            scope_date: None,
            scope_service: "teo".to_owned(),
            authorization: None,
            sent_body: None,
        }
    }

    /// The TC3 `Authorization` header for this call, signing `content-type;host` and the body.
    pub fn signed_authorization(&self, host: &str) -> String {
        let timestamp: i64 = self.timestamp.as_deref().and_then(|t| t.parse().ok()).unwrap_or(0);
        let date = self.scope_date.clone().unwrap_or_else(|| utc_date(timestamp));
        let canonical = format!(
            "POST\n/\n\ncontent-type:{}\nhost:{host}\n\ncontent-type;host\n{}",
            self.content_type,
            hex::encode(Sha256::digest(&self.body))
        );
        let scope = format!("{date}/{}/tc3_request", self.scope_service);
        let to_sign = format!(
            "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
            hex::encode(Sha256::digest(canonical))
        );
        let k_date = hmac(format!("TC3{}", self.secret_key).as_bytes(), &date);
        let k_service = hmac(&k_date, &self.scope_service);
        let k_signing = hmac(&k_service, "tc3_request");
        let signature = hex::encode(hmac(&k_signing, &to_sign));
        format!(
            "TC3-HMAC-SHA256 Credential={}/{scope}, SignedHeaders=content-type;host, Signature={signature}",
            self.secret_id
        )
    }

    /// A correctly signed STS call (service `sts`, version `2018-08-13`) with the STS stand-in's
    /// default base credentials, timestamped with the system clock.
    pub fn sts(action: &str, body: &str) -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        Self {
            action: Some(action.to_owned()),
            version: Some("2018-08-13".to_owned()),
            timestamp: Some(now.to_string()),
            secret_id: teo_stand_in::StsServer::DEFAULT_SECRET_ID.to_owned(),
            secret_key: teo_stand_in::StsServer::DEFAULT_SECRET_KEY.to_owned(),
            token: None,
            language: None,
            content_type: "application/json".to_owned(),
            body: body.as_bytes().to_vec(),
            scope_date: None,
            scope_service: "sts".to_owned(),
            authorization: None,
            sent_body: None,
        }
    }

    pub async fn send(&self, client: &reqwest::Client, stand_in: &StandIn) -> reqwest::Result<reqwest::Response> {
        self.send_to(client, stand_in.local_addr()).await
    }

    /// Sends to any loopback server at `addr` (its text is the signed `Host`).
    pub async fn send_to(
        &self,
        client: &reqwest::Client,
        addr: std::net::SocketAddr,
    ) -> reqwest::Result<reqwest::Response> {
        let host = addr.to_string();
        let mut request = client
            .post(format!("http://{host}/"))
            .header("Content-Type", &self.content_type)
            .body(self.sent_body.clone().unwrap_or_else(|| self.body.clone()));
        let authorization = self
            .authorization
            .clone()
            .unwrap_or_else(|| self.signed_authorization(&host));
        request = request.header("Authorization", authorization);
        for (name, value) in [
            ("X-TC-Action", &self.action),
            ("X-TC-Version", &self.version),
            ("X-TC-Timestamp", &self.timestamp),
            ("X-TC-Token", &self.token),
            ("X-TC-Language", &self.language),
        ] {
            if let Some(value) = value {
                request = request.header(name, value);
            }
        }
        request.send().await
    }

    /// Sends and parses the answer, which must be HTTP 200 JSON.
    pub async fn answer(&self, client: &reqwest::Client, stand_in: &StandIn) -> Value {
        self.answer_from(client, stand_in.local_addr()).await
    }

    /// Like [`Call::answer`], to any loopback server.
    pub async fn answer_from(&self, client: &reqwest::Client, addr: std::net::SocketAddr) -> Value {
        let response = self.send_to(client, addr).await.expect("the server answers");
        assert_eq!(response.status(), 200);
        let bytes = response.bytes().await.expect("a complete body");
        serde_json::from_slice(&bytes).expect("a JSON body")
    }
}

/// `Response.Error.Code`, if the answer is an error.
pub fn error_code(answer: &Value) -> Option<&str> {
    answer["Response"]["Error"]["Code"].as_str()
}

/// `Response.RequestId`, which every answer carries.
pub fn request_id(answer: &Value) -> &str {
    answer["Response"]["RequestId"].as_str().expect("a RequestId")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("a client")
}

/// Sends a correctly signed `action` with this JSON body; the whole answer.
pub async fn call(stand_in: &StandIn, action: &str, body: Value) -> Value {
    Call::new(stand_in, action, &body.to_string())
        .answer(&client(), stand_in)
        .await
}

/// Like [`call`], but the answer must be a success; its `Response` object.
pub async fn ok(stand_in: &StandIn, action: &str, body: Value) -> Value {
    let answer = call(stand_in, action, body.clone()).await;
    assert_eq!(error_code(&answer), None, "{action} {body}: {answer}");
    answer["Response"].clone()
}

/// Like [`call`], but the answer must be an error; its code and message.
pub async fn refused(stand_in: &StandIn, action: &str, body: Value) -> (String, String) {
    let answer = call(stand_in, action, body.clone()).await;
    let code = error_code(&answer).unwrap_or_else(|| panic!("{action} {body} should fail: {answer}"));
    let message = answer["Response"]["Error"]["Message"].as_str().unwrap_or_default();
    (code.to_owned(), message.to_owned())
}

/// Every request so far passed the signature checks and got a normal (not injected) answer.
pub fn assert_all_verified(stand_in: &StandIn) {
    let requests = stand_in.requests();
    assert!(!requests.is_empty());
    for request in &requests {
        assert!(request.verification.passed(), "{request:?}");
    }
}

/// A string list from a JSON answer, e.g. the ids of a listing.
pub fn strings(values: &Value, member: &str) -> Vec<String> {
    values
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| item[member].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}
