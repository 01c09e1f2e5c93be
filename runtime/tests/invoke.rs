//! The send loop end to end against a scripted loopback server: the exact headers and
//! signature sent, every kind of answer and failure, retries, pacing, credentials providers,
//! and that no secret reaches an error, a `Debug` or a log line.

mod support;

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::{closed_port_url, Reply, Server};
use tencentcloud_runtime::credentials::{CredentialsFuture, EnvironmentProvider};
use tencentcloud_runtime::signing::{SignableRequest, Signer};
use tencentcloud_runtime::test_util::log_capture;
use tencentcloud_runtime::{
    ActionError, ActionId, ActionMeta, BuildError, ClientBuilder, Credentials, Error, FromHandle, Handle, Language,
    ProvideCredentials, RateLimit, RetryConfig, ServiceError, ServiceMeta, REDACTED,
};

static ACTIONS: [ActionMeta; 2] = [
    ActionMeta {
        name: "CreateMultiPathGatewaySecretKey",
        rate_limit_per_second: Some(20),
        read_only: false,
        sensitive_fields: &["SecretKey"],
    },
    ActionMeta {
        name: "RefreshMultiPathGatewaySecretKey",
        rate_limit_per_second: Some(20),
        read_only: false,
        sensitive_fields: &["SecretKey"],
    },
];

static SERVICE: ServiceMeta = ServiceMeta {
    name: "teo",
    version: "2022-09-01",
    endpoint: "https://teo.tencentcloudapi.com",
    intl_endpoint: "https://teo.intl.tencentcloudapi.com",
    actions: &ACTIONS,
};

const CREATE: ActionId = ActionId::new(0);
const REFRESH: ActionId = ActionId::new(1);

const SECRET_ID: &str = "AKIDEXAMPLE1234567890";
const SECRET_KEY: &str = "SECRETEXAMPLEKEYVALUE";
const TOKEN: &str = "TOKENEXAMPLEVALUE";
const GATEWAY_KEY: &str = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=";

/// What a generated client looks like to the runtime.
#[derive(Clone, Debug)]
struct Client(Handle);

impl FromHandle for Client {
    const SERVICE: &'static ServiceMeta = &SERVICE;
    fn from_handle(handle: Handle) -> Self {
        Client(handle)
    }
}

/// What a generated per-action error looks like to the runtime.
#[derive(Debug)]
struct ActionFailure(ServiceError);

impl fmt::Display for ActionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for ActionFailure {}

impl ActionError for ActionFailure {
    fn from_service_error(error: ServiceError) -> Self {
        ActionFailure(error)
    }
    fn service_error(&self) -> &ServiceError {
        &self.0
    }
}

/// What generated request and response models look like to the runtime.
#[allow(unexpected_cfgs)] // `model!` gates serde impls on a generated crate's `serde` feature.
mod models {
    tencentcloud_runtime::model! {
        /// The request of these tests.
        pub struct Input / InputBuilder {
            /// The zone.
            req zone_id: String = "ZoneId",
            /// A sensitive member.
            opt secret_key: String = "SecretKey",
        }
    }

    tencentcloud_runtime::model! {
        /// The response of these tests.
        pub struct Output / OutputBuilder {
            /// A sensitive member.
            req secret_key: String = "SecretKey",
            /// The request id.
            req request_id: String = "RequestId",
        }
    }
}

use models::{Input, Output};

/// The request most tests send: a zone id and no secret.
fn input() -> Input {
    Input::builder().zone_id("zone-27q0p0bal192").build().unwrap()
}

/// A request that carries the sensitive member.
fn input_with_secret(zone_id: &str) -> Input {
    Input::builder()
        .zone_id(zone_id)
        .secret_key(GATEWAY_KEY)
        .build()
        .unwrap()
}

fn success_body() -> String {
    format!(r#"{{"Response":{{"SecretKey":"{GATEWAY_KEY}","RequestId":"req-ok"}}}}"#)
}

fn builder(url: &str) -> ClientBuilder<Client> {
    ClientBuilder::<Client>::new()
        .endpoint(url)
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)))
}

async fn call(client: &Client, action: ActionId) -> Result<Output, Error<ActionFailure>> {
    client.0.invoke::<_, Output, ActionFailure>(action, &input()).await
}

/// Fails if any secret of these tests shows in `text`.
fn assert_no_secret(text: &str) {
    for secret in [SECRET_KEY, TOKEN, GATEWAY_KEY, "b8sfnemqzF5TNCwwts"] {
        assert!(!text.contains(secret), "secret {secret:?} leaked into {text:?}");
    }
}

#[tokio::test]
async fn sends_exactly_the_signed_request() {
    let server = Server::start(vec![Reply::json(&success_body())]).await;
    let client = builder(&server.url)
        .credentials(Credentials::with_token(SECRET_ID, SECRET_KEY, TOKEN))
        .region("ap-guangzhou")
        .language(Language::EnUs)
        .build()
        .unwrap();
    let input = input_with_secret("zone-27q0p0bal192");
    let output: Output = client.0.invoke::<_, _, ActionFailure>(CREATE, &input).await.unwrap();
    assert_eq!(
        output,
        Output::builder()
            .secret_key(GATEWAY_KEY)
            .request_id("req-ok")
            .build()
            .unwrap()
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    let host = server.url.trim_start_matches("http://");
    assert_eq!((sent.method.as_str(), sent.path.as_str()), ("POST", "/"));
    assert_eq!(
        sent.body,
        // Members go out in alphabetical order (the wire object is a sorted map).
        format!(r#"{{"SecretKey":"{GATEWAY_KEY}","ZoneId":"zone-27q0p0bal192"}}"#).as_bytes()
    );
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.header("host"), Some(host));
    assert_eq!(sent.header("x-tc-action"), Some("CreateMultiPathGatewaySecretKey"));
    assert_eq!(sent.header("x-tc-version"), Some("2022-09-01"));
    assert_eq!(sent.header("x-tc-token"), Some(TOKEN));
    assert_eq!(sent.header("x-tc-region"), Some("ap-guangzhou"));
    assert_eq!(sent.header("x-tc-language"), Some("en-US"));
    assert_eq!(
        sent.header("x-tc-requestclient"),
        Some(concat!("tencentcloud-runtime/", env!("CARGO_PKG_VERSION")))
    );

    let timestamp: u64 = sent.header("x-tc-timestamp").unwrap().parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(now.abs_diff(timestamp) < 60);
    let expected = Signer::new("teo").authorization(
        &Credentials::new(SECRET_ID, SECRET_KEY),
        &SignableRequest::post_json(host, &sent.body),
        timestamp,
    );
    assert_eq!(sent.header("authorization"), Some(expected.as_str()));
    assert!(expected.starts_with(&format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/")));
    assert!(expected.contains("/teo/tc3_request, SignedHeaders=content-type;host, Signature="));
}

#[tokio::test]
async fn optional_headers_are_left_out_unless_configured() {
    let server = Server::start(vec![Reply::json(&success_body())]).await;
    let client = builder(&server.url).build().unwrap();
    call(&client, REFRESH).await.unwrap();
    let sent = &server.requests()[0];
    for header in ["x-tc-token", "x-tc-region", "x-tc-language"] {
        assert_eq!(sent.header(header), None, "{header}");
    }
    assert_eq!(sent.header("x-tc-action"), Some("RefreshMultiPathGatewaySecretKey"));
    assert_eq!(sent.body, br#"{"ZoneId":"zone-27q0p0bal192"}"#);
}

#[tokio::test]
async fn service_errors_reach_the_action_error_with_code_message_and_request_id() {
    let server = Server::start(vec![Reply::service_error("AuthFailure.SignatureFailure")]).await;
    let client = builder(&server.url).build().unwrap();
    let err = call(&client, CREATE).await.unwrap_err();
    assert_eq!(err.code(), Some("AuthFailure.SignatureFailure"));
    assert_eq!(err.request_id(), Some("req-AuthFailure.SignatureFailure"));
    assert_eq!(
        err.as_service().map(|e| e.0.message()),
        Some("scripted AuthFailure.SignatureFailure")
    );
    assert_eq!(
        err.to_string(),
        "service error AuthFailure.SignatureFailure: scripted AuthFailure.SignatureFailure \
         (request id req-AuthFailure.SignatureFailure)"
    );
    assert_eq!(server.requests().len(), 1, "authentication failures are not retried");
}

#[tokio::test]
async fn a_service_message_quoting_a_sensitive_request_member_is_scrubbed() {
    let echo = format!(
        r#"{{"Response":{{"Error":{{"Code":"InvalidParameterValue","Message":"SecretKey {GATEWAY_KEY} is weak"}},"RequestId":"r"}}}}"#
    );
    let server = Server::start(vec![Reply::json(&echo)]).await;
    let client = builder(&server.url).build().unwrap();
    let input = input_with_secret("zone-27q0p0bal192");
    let err = client
        .0
        .invoke::<_, Output, ActionFailure>(CREATE, &input)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("service error InvalidParameterValue: SecretKey {REDACTED} is weak (request id r)")
    );
    assert_no_secret(&format!("{err:?}"));
}

#[tokio::test]
async fn throttling_is_retried_until_it_passes() {
    let server = Server::start(vec![
        Reply::service_error("RequestLimitExceeded"),
        Reply::service_error("RequestLimitExceeded.UinLimitExceeded"),
        Reply::json(&success_body()),
    ])
    .await;
    let client = builder(&server.url).build().unwrap();
    assert_eq!(call(&client, CREATE).await.unwrap().request_id, "req-ok");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn retries_stop_after_the_last_attempt_without_a_final_wait() {
    let server = Server::start(vec![Reply::service_error("RequestLimitExceeded")]).await;
    let retry = RetryConfig::default()
        .with_max_attempts(2)
        .with_base_delay(Duration::from_secs(1));
    let client = builder(&server.url).retry(retry).build().unwrap();
    let started = Instant::now();
    let err = call(&client, CREATE).await.unwrap_err();
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert_eq!(server.requests().len(), 2);
    // One wait of at most 1 s between the two attempts, none after the second.
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn disabled_retries_send_once() {
    let server = Server::start(vec![
        Reply::service_error("RequestLimitExceeded"),
        Reply::json(&success_body()),
    ])
    .await;
    let client = builder(&server.url).disable_retries().build().unwrap();
    assert_eq!(
        call(&client, CREATE).await.unwrap_err().code(),
        Some("RequestLimitExceeded")
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn gateway_errors_are_retried_unless_turned_off() {
    let server = Server::start(vec![
        Reply::status(503, "text/html", "busy"),
        Reply::json(&success_body()),
    ])
    .await;
    let client = builder(&server.url).build().unwrap();
    assert!(call(&client, REFRESH).await.is_ok());
    assert_eq!(server.requests().len(), 2);

    for status in [502, 504] {
        let server = Server::start(vec![
            Reply::status(status, "text/html", "<html>gateway</html>"),
            Reply::json(&success_body()),
        ])
        .await;
        let client = builder(&server.url).build().unwrap();
        assert!(call(&client, REFRESH).await.is_ok(), "{status} is retried by default");
        assert_eq!(server.requests().len(), 2);

        let server = Server::start(vec![Reply::status(status, "text/html", "<html>gateway</html>")]).await;
        let client = builder(&server.url)
            .retry(
                RetryConfig::default()
                    .with_base_delay(std::time::Duration::from_millis(1))
                    .with_gateway_retries(false),
            )
            .build()
            .unwrap();
        match call(&client, REFRESH).await {
            Err(Error::HttpStatus {
                status: got,
                body_excerpt,
            }) => {
                assert_eq!(got, status);
                assert_eq!(body_excerpt, "<html>gateway</html>");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            server.requests().len(),
            1,
            "{status} is not retried when gateway retries are off"
        );
    }
}

#[tokio::test]
async fn connection_refused_is_a_connect_error_after_retries() {
    let (capture, _guard) = log_capture::install();
    let url = closed_port_url().await;
    let client = builder(&url).build().unwrap();
    let err = call(&client, CREATE).await.unwrap_err();
    let retries = capture
        .lines()
        .iter()
        .filter(|l| l.contains("retrying") && l.contains("connect_error"))
        .count();
    assert_eq!(retries, 2, "the request never left, so all three attempts were made");
    match &err {
        Error::Connect { endpoint, .. } => assert_eq!(endpoint, &format!("{url}/")),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().starts_with(&format!("could not connect to {url}/: ")),
        "{err}"
    );
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_not_retried() {
    let slow = Reply::Delay(Duration::from_millis(500), Box::new(Reply::json(&success_body())));
    let server = Server::start(vec![slow]).await;
    let client = builder(&server.url)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    match call(&client, REFRESH).await {
        Err(Error::Timeout { after, phase }) => assert_eq!((after, phase), (Duration::from_millis(100), "call")),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_and_is_not_retried() {
    let server = Server::start(vec![Reply::Close]).await;
    let client = builder(&server.url).build().unwrap();
    assert!(matches!(call(&client, REFRESH).await, Err(Error::Transport { .. })));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn any_content_type_is_parsed_and_non_json_is_a_decode_error() {
    let server = Server::start(vec![
        Reply::status(200, "text/plain; charset=UTF-8", &success_body()),
        Reply::status(200, "text/html", "<html>maintenance</html>"),
        Reply::json(r#"{"Result":{}}"#),
    ])
    .await;
    let client = builder(&server.url).disable_retries().build().unwrap();
    assert!(call(&client, CREATE).await.is_ok());
    match call(&client, CREATE).await {
        Err(Error::Decode { body_excerpt, .. }) => assert_eq!(body_excerpt, "<html>maintenance</html>"),
        other => panic!("{other:?}"),
    }
    match call(&client, CREATE).await {
        Err(Error::MissingResponse { body_excerpt }) => assert_eq!(body_excerpt, r#"{"Result":{}}"#),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_broken_success_body_never_shows_the_new_key() {
    let truncated = format!(
        r#"{{"Response":{{"RequestId":"req-1","SecretKey":"{}"#,
        &GATEWAY_KEY[..18]
    );
    let mismatched = format!(r#"{{"Response":{{"SecretKey":"{GATEWAY_KEY}"}}}}"#);
    let server = Server::start(vec![
        Reply::json(&truncated),
        Reply::status(500, "application/json", &mismatched),
    ])
    .await;
    let client = builder(&server.url).disable_retries().build().unwrap();
    for _ in 0..2 {
        let err = call(&client, REFRESH).await.unwrap_err();
        assert!(
            matches!(err, Error::Decode { .. } | Error::HttpStatus { .. }),
            "{err:?}"
        );
        assert!(format!("{err}").contains(REDACTED), "{err}");
        assert_no_secret(&format!("{err}"));
        assert_no_secret(&format!("{err:?}"));
    }
}

#[tokio::test]
async fn calls_are_paced_and_clones_share_the_limiter() {
    let server = Server::start(vec![Reply::json(&success_body())]).await;
    let client = builder(&server.url)
        .rate_limit(RateLimit::PerSecond(20))
        .build()
        .unwrap();
    let clone = client.clone();
    let started = Instant::now();
    for i in 0..5 {
        let c = if i % 2 == 0 { &client } else { &clone };
        call(c, CREATE).await.unwrap();
    }
    // Five calls at 20 per second: four full intervals of 50 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );

    let unpaced = builder(&server.url).rate_limit(RateLimit::Disabled).build().unwrap();
    let started = Instant::now();
    for _ in 0..5 {
        call(&unpaced, CREATE).await.unwrap();
    }
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
}

/// Hands out credentials and counts how often it was asked.
#[derive(Debug)]
struct Counting {
    calls: Arc<AtomicUsize>,
    credentials: Credentials,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let credentials = self.credentials.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

#[tokio::test]
async fn a_provider_is_asked_before_every_attempt_and_its_values_are_checked() {
    let server = Server::start(vec![
        Reply::service_error("RequestLimitExceeded"),
        Reply::json(&success_body()),
    ])
    .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let provider = Counting {
        calls: Arc::clone(&calls),
        credentials: Credentials::with_token(SECRET_ID, SECRET_KEY, TOKEN),
    };
    let client = builder(&server.url).credentials_provider(provider).build().unwrap();
    call(&client, CREATE).await.unwrap();
    assert_eq!(calls.load(Ordering::Relaxed), 2);
    assert!(server.requests().iter().all(|r| r.header("x-tc-token") == Some(TOKEN)));

    let bad = Counting {
        calls,
        credentials: Credentials::new(SECRET_ID, format!(" {SECRET_KEY}")),
    };
    let client = builder(&server.url).credentials_provider(bad).build().unwrap();
    let before = server.requests().len();
    let err = call(&client, CREATE).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "credentials error: invalid secret_key from the credentials provider: has leading or trailing whitespace"
    );
    assert_eq!(
        server.requests().len(),
        before,
        "nothing is sent without usable credentials"
    );
}

#[tokio::test]
async fn the_environment_provider_plugs_in() {
    let server = Server::start(vec![Reply::json(&success_body())]).await;
    let env = EnvironmentProvider::from_vars([
        ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
    ]);
    let client = builder(&server.url).credentials_provider(env).build().unwrap();
    call(&client, CREATE).await.unwrap();
    let auth = server.requests()[0]
        .header("authorization")
        .unwrap_or_default()
        .to_owned();
    assert!(
        auth.starts_with(&format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/")),
        "{auth}"
    );
}

#[test]
fn build_checks_every_setting() {
    let err = |b: ClientBuilder<Client>| b.build().map(|_| ()).unwrap_err().to_string();
    assert_eq!(
        err(builder("teo.tencentcloudapi.com")),
        "invalid client configuration: endpoint \"teo.tencentcloudapi.com\" is not a valid URL: relative URL without a base"
    );
    assert_eq!(
        err(builder("http://127.0.0.1:1").credentials(Credentials::new(SECRET_ID, ""))),
        "invalid secret_key from explicit credentials: is empty"
    );
    assert_eq!(
        err(builder("http://127.0.0.1:1").rate_limit(RateLimit::PerSecond(0))),
        "invalid client configuration: rate limit must be at least 1 request per second"
    );
    assert_eq!(
        err(builder("http://127.0.0.1:1").region("ap guangzhou\n")),
        "invalid client configuration: region \"ap guangzhou\\n\" cannot be sent in an HTTP header"
    );
    assert_eq!(
        err(builder("http://127.0.0.1:1").region(" ")),
        "invalid client configuration: region must not be empty"
    );
    assert_eq!(
        err(builder("http://127.0.0.1:1").timeout(Duration::ZERO)),
        "invalid client configuration: timeout must be greater than zero"
    );
    let credentials_error = builder("http://127.0.0.1:1")
        .credentials(Credentials::new("", "k"))
        .build()
        .unwrap_err();
    assert!(matches!(credentials_error, BuildError::Credentials(_)));
}

#[test]
fn endpoints_default_to_the_service_and_international_switches_site() {
    let with_creds = || ClientBuilder::<Client>::new().credentials(Credentials::new(SECRET_ID, SECRET_KEY));
    assert_eq!(
        with_creds().build().unwrap().0.endpoint(),
        "https://teo.tencentcloudapi.com/"
    );
    assert_eq!(
        with_creds().international().build().unwrap().0.endpoint(),
        "https://teo.intl.tencentcloudapi.com/"
    );
    let explicit = with_creds()
        .international()
        .endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(
        explicit.0.endpoint(),
        "http://127.0.0.1:9/",
        "an explicit endpoint wins"
    );
}

#[test]
fn debug_of_builder_and_handle_shows_no_secret() {
    let b = ClientBuilder::<Client>::new()
        .endpoint("http://127.0.0.1:9")
        .credentials(Credentials::with_token(SECRET_ID, SECRET_KEY, TOKEN))
        .region("ap-guangzhou")
        .language(Language::ZhCn);
    let creds =
        format!(r#"Credentials {{ secret_id: "AKID…7890", secret_key: {REDACTED}, session_token: Some({REDACTED}) }}"#);
    assert_eq!(
        format!("{b:?}"),
        format!(
            "ClientBuilder {{ credentials: {creds}, endpoint: Some(\"http://127.0.0.1:9\"), international: false, \
             region: Some(\"ap-guangzhou\"), language: Some(ZhCn), connect_timeout: 5s, timeout: 30s, \
             custom_http_client: false, retry: RetryConfig {{ max_attempts: 3, base_delay: 200ms, max_delay: 5s, gateway_retries: true, \
             budget: Some(RetryBudget {{ capacity: 500, retry_cost: 5, timeout_cost: 10, success_refund: 1 }}) }}, \
             rate_limit: FromSpec, operation_timeout: None, pool_idle_timeout: 30s, rate_limiter: None }}"
        )
    );
    let handle = b.build().unwrap().0;
    assert_eq!(
        format!("{handle:?}"),
        format!(
            "Handle {{ service: \"teo\", endpoint: \"http://127.0.0.1:9/\", credentials: {creds}, \
             region: Some(\"ap-guangzhou\"), language: Some(\"zh-CN\"), timeout: 30s, connect_timeout: 5s, \
             retry: RetryConfig {{ max_attempts: 3, base_delay: 200ms, max_delay: 5s, gateway_retries: true, \
             budget: Some(RetryBudget {{ capacity: 500, retry_cost: 5, timeout_cost: 10, success_refund: 1 }}) }}, \
             operation_timeout: None, .. }}"
        )
    );
    assert_no_secret(&format!("{handle:#?}"));
}

#[tokio::test]
async fn the_call_span_has_its_fields_and_no_log_line_holds_a_secret() {
    let (capture, _guard) = log_capture::install();
    let server = Server::start(vec![
        Reply::service_error("RequestLimitExceeded"),
        Reply::json(&success_body()),
    ])
    .await;
    let client = builder(&server.url)
        .credentials(Credentials::with_token(SECRET_ID, SECRET_KEY, TOKEN))
        .build()
        .unwrap();
    let input = input_with_secret("zone-1");
    client
        .0
        .invoke::<_, Output, ActionFailure>(CREATE, &input)
        .await
        .unwrap();

    let lines = capture.lines();
    let text = lines.join("\n");
    assert!(
        text.contains(r#"tencentcloud.call service="teo" action="CreateMultiPathGatewaySecretKey""#),
        "{text}"
    );
    for expected in [
        "record tencentcloud.call attempt=1",
        "record tencentcloud.call attempt=2",
        r#"record tencentcloud.call request_id="req-ok""#,
        r#"record tencentcloud.call status="ok""#,
        "record tencentcloud.call latency_ms=",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("event DEBUG") && l.contains("attempt=1") && l.contains("retrying")),
        "{text}"
    );
    assert_no_secret(&text);
    assert!(!text.contains("zone-1"), "bodies are not logged: {text}");
}

#[test]
fn the_call_future_is_send_and_owns_its_data() {
    fn assert_send_static<T: Send + 'static>(_: T) {}
    let client = ClientBuilder::<Client>::new()
        .endpoint("http://127.0.0.1:9")
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .build()
        .unwrap();
    let future = client.0.invoke::<_, Output, ActionFailure>(CREATE, &input());
    // The future holds an `Arc` of the client, not a borrow: the client can go first.
    drop(client);
    assert_send_static(future);
}

#[tokio::test]
async fn an_action_id_outside_the_table_is_a_config_error_and_sends_nothing() {
    let server = Server::start(vec![Reply::json(&success_body())]).await;
    let client = builder(&server.url).build().unwrap();
    let err = call(&client, ActionId::new(7)).await.unwrap_err();
    match err {
        Error::Config(e) => assert_eq!(e.0, "action id 7 is not in the action table of teo (it has 2)"),
        other => panic!("expected a config error, got {other:?}"),
    }
    // The listed actions still work on the same client.
    assert!(call(&client, REFRESH).await.is_ok());
    assert_eq!(
        server.requests().len(),
        1,
        "only the call with a listed action was sent"
    );
}
