//! Cost of a whole call over loopback: [`Handle::invoke`] (rate limit off) against the least a
//! hand-written client must do for the same request: sign with a cached key, post with reqwest,
//! read the body and decode it. The difference is the runtime's own overhead per call.
//!
//! Both talk to the same scripted loopback server from the runtime's tests, on one
//! current-thread Tokio runtime, over a kept-alive connection.
//!
//! Run with `cargo bench -p tencentcloud-runtime --bench call`.

#[path = "../tests/support/mod.rs"]
mod support;

use std::fmt;
use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use criterion::{criterion_main, Criterion};
use reqwest::header::{HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};
use support::{Reply, Server};
use tencentcloud_runtime::signing::{SignableRequest, Signer};
use tencentcloud_runtime::{
    ActionError, ActionMeta, ClientBuilder, Credentials, FromHandle, Handle, RateLimit, ServiceError, ServiceMeta,
};

static ACTIONS: [ActionMeta; 1] = [ActionMeta {
    name: "RefreshMultiPathGatewaySecretKey",
    index: 0,
    rate_limit_per_second: Some(20),
    sensitive_fields: &["SecretKey"],
}];

static SERVICE: ServiceMeta = ServiceMeta {
    name: "teo",
    version: "2022-09-01",
    endpoint: "https://teo.tencentcloudapi.com",
    intl_endpoint: "https://teo.intl.tencentcloudapi.com",
    actions: &ACTIONS,
};

const ANSWER: &str = r#"{"Response":{"SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=","RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}}"#;

struct Client(Handle);

impl FromHandle for Client {
    const SERVICE: &'static ServiceMeta = &SERVICE;
    fn from_handle(handle: Handle) -> Self {
        Client(handle)
    }
}

#[derive(Debug)]
struct Failure(ServiceError);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Failure {}

impl ActionError for Failure {
    fn from_service_error(error: ServiceError) -> Self {
        Failure(error)
    }
    fn service_error(&self) -> &ServiceError {
        &self.0
    }
}

#[derive(Serialize)]
struct Input {
    #[serde(rename = "ZoneId")]
    zone_id: &'static str,
}

#[derive(Deserialize)]
struct Output {
    #[serde(rename = "SecretKey")]
    secret_key: String,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: Output,
}

const INPUT: Input = Input {
    zone_id: "zone-27q0p0bal192",
};

/// What a minimal hand-written client does per call.
async fn by_hand(http: &reqwest::Client, signer: &Signer, credentials: &Credentials, url: &str, host: &str) -> String {
    let body = serde_json::to_vec(&INPUT).unwrap_or_default();
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let authorization = signer.authorization(credentials, &SignableRequest::post_json(host, &body), timestamp);
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert(
        "x-tc-action",
        HeaderValue::from_static("RefreshMultiPathGatewaySecretKey"),
    );
    headers.insert("x-tc-version", HeaderValue::from_static("2022-09-01"));
    headers.insert("x-tc-timestamp", HeaderValue::from(timestamp));
    if let Ok(value) = HeaderValue::try_from(authorization) {
        headers.insert("authorization", value);
    }
    let Ok(response) = http.post(url).headers(headers).body(body).send().await else {
        return String::new();
    };
    let Ok(bytes) = response.bytes().await else {
        return String::new();
    };
    serde_json::from_slice::<Envelope>(&bytes)
        .map(|e| e.response.secret_key)
        .unwrap_or_default()
}

fn call(c: &mut Criterion) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        return;
    };
    let server = rt.block_on(Server::start_unrecorded(vec![Reply::json(ANSWER)]));
    let credentials = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE");

    let Ok(client) = ClientBuilder::<Client>::new()
        .endpoint(&server.url)
        .credentials(credentials.clone())
        .rate_limit(RateLimit::Disabled)
        .build()
    else {
        return;
    };
    c.bench_function("call_handle_invoke", |b| {
        b.iter(|| {
            rt.block_on(client.0.invoke::<_, Output, Failure>(&ACTIONS[0], black_box(&INPUT)))
                .map(|o| o.secret_key)
                .unwrap_or_default()
        })
    });

    let http = reqwest::Client::new();
    let signer = Signer::new("teo");
    let host = server.url.trim_start_matches("http://").to_owned();
    c.bench_function("call_hand_written_reqwest", |b| {
        b.iter(|| rt.block_on(by_hand(&http, &signer, &credentials, &server.url, &host)))
    });
}

/// Holds the group in a private module: the macro's `pub fn` has no place for a doc comment.
mod group {
    criterion::criterion_group!(benches, super::call);
}

criterion_main!(group::benches);
