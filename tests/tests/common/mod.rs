//! Shared helpers of the end-to-end tests: a stand-in per test, a client builder pointed at it,
//! and accessors for what the stand-in recorded. (Log capture is `tencentcloud_runtime::test_util::log_capture`.)

#![allow(dead_code)]

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use generated_client::models::AdvancedFilter;
use generated_client::{Client, ClientBuilder, Credentials, RetryConfig};
use teo_stand_in::{RecordedRequest, StandIn, Verification};

/// A well-formed zone id (the spec's example).
pub const ZONE: &str = "zone-27q0p0bal192";
/// A second zone, for tests that need two.
pub const OTHER_ZONE: &str = "zone-2o3h21ed8bpg";
/// A gateway key the service accepts: base64 of 32 bytes (the spec's example).
pub const GATEWAY_KEY: &str = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=";
/// Another acceptable gateway key: base64 of 48 bytes.
pub const GATEWAY_KEY_48: &str = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2";
/// The actions' names as sent in `X-TC-Action`.
pub const CREATE: &str = "CreateMultiPathGatewaySecretKey";
pub const REFRESH: &str = "RefreshMultiPathGatewaySecretKey";

/// Starts a stand-in with its default credentials.
pub async fn stand_in() -> StandIn {
    StandIn::start()
        .await
        .expect("the stand-in starts on a free loopback port")
}

/// Retries as by default (3 attempts) but with waits of a few milliseconds, so tests stay fast.
pub fn fast_retry() -> RetryConfig {
    RetryConfig::default().with_base_delay(Duration::from_millis(5))
}

/// A client builder for `stand_in`: its endpoint, its default credentials, fast retries.
pub fn builder(stand_in: &StandIn) -> ClientBuilder {
    Client::builder()
        .endpoint(stand_in.endpoint())
        .credentials(Credentials::new(
            StandIn::DEFAULT_SECRET_ID,
            StandIn::DEFAULT_SECRET_KEY,
        ))
        .retry(fast_retry())
}

/// A client for `stand_in` with the settings of [`builder`].
pub fn client(stand_in: &StandIn) -> Client {
    builder(stand_in).build().expect("the client builds")
}

/// The one request the stand-in received; fails when it received another number.
pub fn only_request(stand_in: &StandIn) -> RecordedRequest {
    let mut requests = stand_in.requests();
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
    requests.remove(0)
}

/// The error codes the stand-in answered with, `"ok"` for a success and `"injected"` for a
/// fault that replaced the answer, in arrival order.
pub fn outcomes(stand_in: &StandIn) -> Vec<String> {
    stand_in
        .requests()
        .iter()
        .map(|request| match &request.outcome {
            teo_stand_in::Outcome::Success => "ok".to_owned(),
            teo_stand_in::Outcome::ApiError { code } => code.clone(),
            _ => "injected".to_owned(),
        })
        .collect()
}

/// Fails unless every recorded request passed the stand-in's header and signature checks.
pub fn assert_all_verified(stand_in: &StandIn) {
    for request in stand_in.requests() {
        assert_eq!(request.verification, Verification::Passed, "{request:?}");
    }
}

/// How many bytes a base64 text decodes to, or `None` when it is not standard base64.
pub fn decoded_len(key: &str) -> Option<usize> {
    STANDARD.decode(key).ok().map(|bytes| bytes.len())
}

/// The `SecretId` in a request's `Authorization` credential scope.
pub fn signed_secret_id(request: &RecordedRequest) -> Option<String> {
    let authorization = request.header("authorization")?;
    let credential = authorization.split("Credential=").nth(1)?;
    credential.split('/').next().map(str::to_owned)
}

/// Whether `text` looks like the request ids the service hands out: a version-4 UUID.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<usize> = text.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

/// Fails if any of `secrets` shows up in `text`, naming where (`what`).
pub fn assert_hidden(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!secret.is_empty(), "an empty secret would match everything");
        assert!(!text.contains(secret), "{what} shows the secret {secret:?}:\n{text}");
    }
}

/// A listing filter: `name` matching any of `values`.
pub fn filter(name: &str, values: &[&str]) -> AdvancedFilter {
    AdvancedFilter::builder()
        .name(name)
        .values(values.iter().map(|v| v.to_string()).collect::<Vec<_>>())
        .build()
        .expect("a filter has a name and values")
}
