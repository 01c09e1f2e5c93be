//! Per-call settings end to end: what `customize` sets (attempt timeout, deadline, retry policy,
//! region, language, extra headers) is what the stand-in sees for that call, and for every page
//! or poll of a paginator or waiter made from the builder; the client's other calls keep its
//! own settings; headers the client writes itself are refused before anything is sent.

mod common;

use std::time::Duration;

use common::{builder, client, only_request, stand_in, GATEWAY_KEY, ZONE};
use generated_client::models::CacheTaskStatus;
use generated_client::{Error, Language, RetryConfig};
use teo_stand_in::Fault;

const TRACE: &str = "X-TC-TraceId";

#[tokio::test]
async fn region_language_and_headers_reach_the_stand_in_and_the_signature_still_verifies() {
    let stand_in = stand_in().await;
    stand_in.add_zone("example.com");
    let client = builder(&stand_in).region("ap-guangzhou").build().unwrap();

    client
        .describe_zones()
        .customize(|c| {
            c.region("ap-singapore")
                .language(Language::EnUs)
                .header(TRACE, "trace-1")
                .header("X-Team", "edge")
        })
        .send()
        .await
        .unwrap();

    let request = only_request(&stand_in);
    assert!(request.verification.passed(), "{request:?}");
    assert_eq!(request.header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(request.header("x-tc-language"), Some("en-US"));
    assert_eq!(request.header("x-tc-traceid"), Some("trace-1"));
    assert_eq!(request.header("x-team"), Some("edge"));
    // The extra headers are not signed: TC3 signs content-type and host.
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains("SignedHeaders=content-type;host,"),
        "{authorization}"
    );
}

#[tokio::test]
async fn a_customized_call_leaves_the_clients_other_calls_alone() {
    let stand_in = stand_in().await;
    stand_in.add_zone("example.com");
    let client = builder(&stand_in).region("ap-guangzhou").build().unwrap();

    let customized = client
        .describe_zones()
        .customize(|c| c.region("ap-singapore").header(TRACE, "trace-2"));
    // Another builder made before the customized one is sent, and one made after.
    let before = client.describe_zones();
    customized.send().await.unwrap();
    before.send().await.unwrap();
    client.describe_zones().send().await.unwrap();

    let requests = stand_in.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(requests[0].header("x-tc-traceid"), Some("trace-2"));
    for plain in &requests[1..] {
        assert_eq!(plain.header("x-tc-region"), Some("ap-guangzhou"));
        assert_eq!(plain.header("x-tc-traceid"), None);
        assert_eq!(plain.header("x-tc-language"), None);
    }
}

#[tokio::test]
async fn headers_the_client_writes_are_refused_by_name_and_nothing_is_sent() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    for name in [
        "Authorization",
        "Host",
        "Content-Type",
        "X-TC-Action",
        "X-TC-Timestamp",
        "X-TC-Version",
        "X-TC-Token",
        "X-TC-RequestClient",
        "x-tc-action",
    ] {
        let error = client
            .describe_zones()
            .customize(|c| c.header(name, "forged"))
            .send()
            .await
            .unwrap_err();
        match &error {
            Error::Config(e) => assert_eq!(
                e.0,
                format!("the call cannot set header {name}: the client writes it itself")
            ),
            other => panic!("expected a configuration error, got {other:?}"),
        }
        assert!(!error.to_string().contains("forged"), "{error}");
    }
    let error = client
        .describe_zones()
        .customize(|c| c.header("X-TC-Language", "en-US"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid client configuration: the call cannot set header X-TC-Language: the client writes it itself (use `language` instead)"
    );
    assert!(stand_in.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn the_calls_attempt_timeout_replaces_the_clients() {
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.fail_next(1, Fault::Delay(Duration::from_millis(800)));
    let client = client(&stand_in); // 30 s per attempt

    let error = client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .customize(|c| c.timeout(Duration::from_millis(100)))
        .send()
        .await
        .unwrap_err();
    match error {
        Error::Timeout { after, phase } => {
            assert_eq!(after, Duration::from_millis(100));
            assert_eq!(phase, "call");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn the_calls_deadline_bounds_it_where_the_client_has_none() {
    let stand_in = stand_in().await;
    stand_in.add_zone("example.com");
    stand_in.fail_next(1, Fault::Delay(Duration::from_millis(800)));
    let client = client(&stand_in); // no deadline, 30 s per attempt

    let error = client
        .describe_zones()
        .customize(|c| c.operation_timeout(Duration::from_millis(250)))
        .send()
        .await
        .unwrap_err();
    match error {
        Error::DeadlineExceeded {
            after,
            attempts,
            during,
        } => {
            assert_eq!(after, Duration::from_millis(250));
            assert_eq!(attempts, 1);
            assert_eq!(during, "waiting for an answer");
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
}

fn throttled() -> Fault {
    Fault::ApiError {
        code: "RequestLimitExceeded".into(),
        message: "slow down".into(),
    }
}

#[tokio::test]
async fn the_calls_retry_policy_replaces_the_clients_both_ways() {
    let stand_in = stand_in().await;
    stand_in.add_zone("example.com");

    // A client that never retries, and a call that does.
    let once = builder(&stand_in).disable_retries().build().unwrap();
    stand_in.fail_next(2, throttled());
    once.describe_zones()
        .customize(|c| c.retry(RetryConfig::default().with_base_delay(Duration::from_millis(5))))
        .send()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(
        common::outcomes(&stand_in),
        ["RequestLimitExceeded", "RequestLimitExceeded", "ok"]
    );

    // A client that retries, and a call that does not.
    stand_in.clear_requests();
    let retrying = client(&stand_in);
    stand_in.fail_next(1, throttled());
    let error = retrying
        .describe_zones()
        .customize(|c| c.disable_retries())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("RequestLimitExceeded"));
    assert_eq!(stand_in.requests().len(), 1);
}

#[tokio::test]
async fn every_page_of_a_paginator_made_from_a_customized_builder_carries_its_settings() {
    let stand_in = stand_in().await;
    for name in ["a.example", "b.example", "c.example"] {
        stand_in.add_zone(name);
    }
    let client = client(&stand_in);

    let zones = client
        .describe_zones()
        .customize(|c| c.header(TRACE, "paged").language(Language::EnUs))
        .into_paginator()
        .page_size(1)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(zones.len(), 3);
    let requests = stand_in.requests();
    assert_eq!(requests.len(), 3, "one request per page");
    for request in &requests {
        assert_eq!(request.header("x-tc-traceid"), Some("paged"));
        assert_eq!(request.header("x-tc-language"), Some("en-US"));
    }
}

#[tokio::test]
async fn every_poll_of_a_customized_waiter_carries_its_settings() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    stand_in.set_task_polls(2);
    let client = client(&stand_in);
    let job = client
        .create_purge_task()
        .zone_id(&zone)
        .r#type("purge_url")
        .targets(vec!["https://www.example.com/app.js".to_owned()])
        .send()
        .await
        .unwrap()
        .job_id
        .unwrap();
    stand_in.clear_requests();

    let fast = Duration::from_millis(5);
    let tasks = client
        .wait_until_purge_tasks_done()
        .zone_id(&zone)
        .filters(vec![common::filter("job-id", &[&job])])
        .customize(|c| c.header(TRACE, "waiting").region("ap-hongkong"))
        .min_delay(fast)
        .max_delay(fast)
        .wait(Duration::from_secs(10))
        .await
        .unwrap();

    assert!(tasks.iter().all(|t| t.status == Some(CacheTaskStatus::Success)));
    let requests = stand_in.requests();
    assert_eq!(requests.len(), 3, "two polls see the task processing, the third done");
    for request in &requests {
        assert_eq!(request.header("x-tc-traceid"), Some("waiting"));
        assert_eq!(request.header("x-tc-region"), Some("ap-hongkong"));
    }
}

#[tokio::test]
async fn a_customized_builder_shows_header_names_but_never_their_values() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    let builder = client
        .describe_zones()
        .customize(|c| c.header(TRACE, "s3cr3t-trace-token").region("ap-singapore"));
    let shown = format!("{builder:?}");
    assert!(!shown.contains("s3cr3t-trace-token"), "{shown}");
    assert!(
        shown.contains(
            "operation_timeout: None, call: Customize { timeout: None, operation_timeout: None, retry: None, \
             region: Some(\"ap-singapore\"), language: None, headers: [(\"X-TC-TraceId\", \"** redacted **\")] }, .. }"
        ),
        "{shown}"
    );
}

#[tokio::test]
async fn the_ssl_client_has_the_same_per_call_settings() {
    let stand_in = stand_in().await;
    let ssl = ssl_client::Client::builder()
        .endpoint(stand_in.endpoint())
        .credentials(ssl_client::Credentials::new(
            teo_stand_in::StandIn::DEFAULT_SECRET_ID,
            teo_stand_in::StandIn::DEFAULT_SECRET_KEY,
        ))
        .build()
        .unwrap();

    ssl.describe_certificates()
        .customize(|c| c.header(TRACE, "ssl-trace").language(ssl_client::Language::EnUs))
        .send()
        .await
        .unwrap();
    let request = only_request(&stand_in);
    assert!(request.verification.passed(), "{request:?}");
    assert_eq!(request.header("x-tc-traceid"), Some("ssl-trace"));
    assert_eq!(request.header("x-tc-language"), Some("en-US"));

    let error = ssl
        .describe_certificates()
        .customize(|c| c.header("X-TC-Timestamp", "0"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, ssl_client::Error::Config(_)), "{error:?}");
    assert_eq!(stand_in.requests().len(), 1, "the refused call sent nothing");
}

#[tokio::test]
async fn header_values_never_reach_the_logs_or_errors() {
    let stand_in = stand_in().await;
    stand_in.add_zone("example.com");
    stand_in.fail_next(1, Fault::html_status(502));
    let client = builder(&stand_in).disable_retries().build().unwrap();
    let (capture, _guard) = tencentcloud_runtime::test_util::log_capture::install();

    let error = client
        .describe_zones()
        .customize(|c| c.header("X-Internal-Token", "tok-5ecret-value"))
        .send()
        .await
        .unwrap_err();
    client
        .describe_zones()
        .customize(|c| c.header("X-Internal-Token", "tok-5ecret-value"))
        .send()
        .await
        .unwrap();

    assert_eq!(
        only_header_values(&stand_in, "x-internal-token"),
        ["tok-5ecret-value", "tok-5ecret-value"],
        "the header was sent"
    );
    let lines = capture.lines();
    assert!(!lines.is_empty(), "the calls were logged");
    for line in &lines {
        assert!(!line.contains("tok-5ecret-value"), "{line}");
    }
    assert!(!format!("{error} {error:?}").contains("tok-5ecret-value"));
}

/// The values of one header in every recorded request.
fn only_header_values(stand_in: &teo_stand_in::StandIn, name: &str) -> Vec<String> {
    stand_in
        .requests()
        .iter()
        .filter_map(|r| r.header(name).map(str::to_owned))
        .collect()
}
