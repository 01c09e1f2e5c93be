//! The mock client (`test-util`): rules keyed by action answer calls with outputs or typed
//! service errors, in order or repeating, after the client's own checks, with no network; the
//! rules count their calls; a call no rule answers fails naming the action; paginators and
//! waiters run over it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use generated_client::credentials::CredentialsFuture;
use generated_client::errors::{DeleteZoneErrorKind, DescribeDnsRecordsErrorKind};
use generated_client::models::{DeleteZoneResponse, DescribeZonesResponse, Zone};
use generated_client::models::{DescribePurgeTasksResponse, Task};
use generated_client::{mock, mock_client, Client, Credentials, Error, ProvideCredentials, RetryConfig, RuleMode};

fn zones(names: &[&str]) -> DescribeZonesResponse {
    DescribeZonesResponse::builder()
        .total_count(names.len() as i64)
        .zones(
            names
                .iter()
                .map(|n| {
                    Zone::builder()
                        .zone_name(*n)
                        .zone_id(format!("zone-{n}"))
                        .build()
                        .unwrap()
                })
                .collect::<Vec<_>>(),
        )
        .request_id("r-zones")
        .build()
        .unwrap()
}

fn deleted() -> DeleteZoneResponse {
    DeleteZoneResponse::builder().request_id("r-delete").build().unwrap()
}

#[tokio::test]
async fn a_rule_answers_its_action_with_a_typed_output_and_counts_its_calls() {
    let list = mock!(Client::describe_zones).then_output(|| zones(&["example.com"]));
    let delete = mock!(Client::delete_zone).then_output(deleted);
    let client = mock_client!(generated_client, [&list, &delete]);

    let out = client.describe_zones().send().await.unwrap();
    assert_eq!(out.total_count, Some(1));
    assert_eq!(out.zones()[0].zone_name.as_deref(), Some("example.com"));
    assert_eq!(out.request_id, "r-zones");
    // MatchAny (the default): a rule answers as often as asked.
    client.describe_zones().send().await.unwrap();
    assert_eq!(list.num_calls(), 2);
    assert_eq!(delete.num_calls(), 0);

    let out = client.delete_zone().zone_id("zone-1").send().await.unwrap();
    assert_eq!(out.request_id, "r-delete");
    assert_eq!(delete.num_calls(), 1);
}

#[tokio::test]
async fn rules_match_on_the_typed_request_and_the_first_match_answers() {
    let refused = mock!(Client::delete_zone)
        .match_requests(|r| r.zone_id == "zone-locked")
        .then_error("OperationDenied", "the zone is locked");
    let ok = mock!(Client::delete_zone).then_output(deleted);
    let client = mock_client!(generated_client, [&refused, &ok]);

    client.delete_zone().zone_id("zone-free").send().await.unwrap();
    let error = client.delete_zone().zone_id("zone-locked").send().await.unwrap_err();
    assert_eq!((refused.num_calls(), ok.num_calls()), (1, 1));

    // The service error is typed as the action's error, as a real one would be.
    match &error {
        Error::Service(e) => {
            assert_eq!(e.kind(), DeleteZoneErrorKind::OperationDenied);
            assert_eq!(e.code(), "OperationDenied");
            assert_eq!(e.message(), "the zone is locked");
            assert_eq!(e.request_id(), "mock-request-id");
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "service error OperationDenied: the zone is locked (request id mock-request-id)"
    );
}

#[tokio::test]
async fn an_unknown_code_from_the_mock_is_the_actions_unhandled_kind() {
    let rule = mock!(Client::describe_dns_records).then_error("ResourceNotFound", "no zone");
    let odd = mock!(Client::describe_dns_records)
        .match_requests(|r| r.zone_id == "zone-odd")
        .then_error("Weird.Code", "?");
    let client = mock_client!(generated_client, [&odd, &rule]);
    let e = client
        .describe_dns_records()
        .zone_id("zone-1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Service(e) if e.kind() == DescribeDnsRecordsErrorKind::ResourceNotFound));
    let e = client
        .describe_dns_records()
        .zone_id("zone-odd")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::Service(e) if e.kind() == DescribeDnsRecordsErrorKind::Unhandled));
}

#[tokio::test]
async fn sequential_rules_answer_in_order_and_are_used_up() {
    let first = mock!(Client::describe_zones)
        .sequence()
        .output(|| zones(&["a.example"]))
        .times(2)
        .error("InternalError", "try again")
        .build();
    let then = mock!(Client::describe_zones).then_output(|| zones(&["b.example"]));
    let client = mock_client!(generated_client, RuleMode::Sequential, [&first, &then]);

    let names = |out: DescribeZonesResponse| out.zones()[0].zone_name.clone().unwrap();
    assert_eq!(names(client.describe_zones().send().await.unwrap()), "a.example");
    assert_eq!(names(client.describe_zones().send().await.unwrap()), "a.example");
    let e = client.describe_zones().send().await.unwrap_err();
    assert_eq!(e.code(), Some("InternalError"));
    assert!(first.is_exhausted());
    assert_eq!(names(client.describe_zones().send().await.unwrap()), "b.example");

    let e = client.describe_zones().send().await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid client configuration: no mock rule answers DescribeZones: the 2 rule(s) that matched the request have given all their answers"
    );
    assert_eq!((first.num_calls(), then.num_calls()), (3, 1));
}

#[tokio::test]
async fn a_sequence_under_match_any_keeps_giving_its_last_answer() {
    let rule = mock!(Client::describe_zones)
        .sequence()
        .error("InternalError", "warming up")
        .output(|| zones(&["a.example"]))
        .build();
    let client = mock_client!(generated_client, [&rule]);
    assert!(client.describe_zones().send().await.is_err());
    for _ in 0..3 {
        assert!(client.describe_zones().send().await.is_ok());
    }
    assert_eq!(rule.num_calls(), 4);
}

#[tokio::test]
async fn a_call_no_rule_answers_fails_naming_the_action() {
    let only_locked = mock!(Client::delete_zone)
        .match_requests(|r| r.zone_id == "zone-locked")
        .then_output(deleted);
    let client = mock_client!(generated_client, [&only_locked]);

    let e = client.describe_zones().send().await.unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        "invalid client configuration: no mock rule answers DescribeZones: the mock client has no rule for it"
    );
    let e = client.delete_zone().zone_id("zone-other").send().await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid client configuration: no mock rule answers DeleteZone: none of its 1 rule(s) matched the request"
    );
    assert_eq!(only_locked.num_calls(), 0);
}

#[tokio::test]
async fn the_clients_checks_run_before_the_mock() {
    let rule = mock!(Client::delete_zone).then_output(deleted);
    let client = mock_client!(generated_client, [&rule]);

    // A required member missing: a validation error, and the rule never sees the request.
    let e = client.delete_zone().send().await.unwrap_err();
    match &e {
        Error::Validation(v) => assert!(v.to_string().contains("ZoneId"), "{v}"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    // Per-call settings are checked too.
    let e = client
        .delete_zone()
        .zone_id("zone-1")
        .customize(|c| c.header("Authorization", "forged"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
    assert_eq!(rule.num_calls(), 0);
}

#[tokio::test]
async fn retries_turned_on_take_an_answer_per_attempt() {
    let rule = mock!(Client::describe_zones)
        .sequence()
        .error("RequestLimitExceeded", "slow down")
        .times(2)
        .output(|| zones(&["a.example"]))
        .build();
    let client = mock_client!(generated_client, RuleMode::Sequential, [&rule], |b| {
        b.retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)))
    });
    client
        .describe_zones()
        .send()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(rule.num_calls(), 3);
}

#[tokio::test]
async fn a_paginator_pages_through_mock_answers() {
    // Three zones, served two per page, by the request's offset.
    let page = |offset: i64| {
        mock!(Client::describe_zones)
            .match_requests(move |r| r.offset == Some(offset) && r.limit == Some(2))
            .then_output(move || {
                let names: &[&str] = if offset == 0 { &["a", "b"] } else { &["c"] };
                let mut out = zones(names);
                out.total_count = Some(3);
                out
            })
    };
    let (first, second) = (page(0), page(2));
    let client = mock_client!(generated_client, [&first, &second]);

    let all = client
        .describe_zones()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = all.iter().filter_map(|z| z.zone_name.as_deref()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
}

#[tokio::test]
async fn a_waiter_polls_mock_answers_until_done() {
    let tasks = |status: &str| {
        let task = Task::builder().job_id("job-1").status(status).build().unwrap();
        DescribePurgeTasksResponse::builder()
            .total_count(1u64)
            .tasks(vec![task])
            .request_id("r-tasks")
            .build()
            .unwrap()
    };
    let polls = mock!(Client::describe_purge_tasks)
        .sequence()
        .output(move || tasks("processing"))
        .times(2)
        .output(move || tasks("success"))
        .build();
    let client = mock_client!(generated_client, RuleMode::Sequential, [&polls]);

    let done = client
        .wait_until_purge_tasks_done()
        .zone_id("zone-1")
        .min_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(1))
        .wait(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].job_id.as_deref(), Some("job-1"));
    assert_eq!(polls.num_calls(), 3);
}

#[test]
fn a_rule_shows_its_request_type_and_counts() {
    let rule = mock!(Client::delete_zone).then_output(deleted);
    assert_eq!(
        format!("{rule:?}"),
        "Rule { request: \"DeleteZoneRequest\", answers: 1, calls: 0, .. }"
    );
}

/// Counts how often credentials are asked for.
#[derive(Debug, Default)]
struct Counting(Arc<AtomicUsize>);

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Credentials::new("AKIDcounted", "counted-key")) })
    }
}

#[tokio::test]
async fn the_mock_asks_for_no_credentials_and_opens_no_connection() {
    let asked = Arc::new(AtomicUsize::new(0));
    let provider = Counting(Arc::clone(&asked));
    let rule = mock!(Client::describe_zones).then_output(|| zones(&["a.example"]));
    // Port 1 on loopback: nothing listens, so any connection attempt would fail the call.
    let client = mock_client!(generated_client, RuleMode::MatchAny, [&rule], |b| {
        b.endpoint("http://127.0.0.1:1").credentials_provider(provider)
    });
    client.describe_zones().send().await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 0);
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn the_ssl_client_has_the_same_mock() {
    use ssl_client::errors::DeleteCertificateErrorKind;
    use ssl_client::models::DeleteCertificateResponse;

    let bound = ssl_client::mock!(ssl_client::Client::delete_certificate)
        .match_requests(|r| r.certificate_id == "cert-bound")
        .then_error("FailedOperation.BoundResources", "still bound");
    let ok = ssl_client::mock!(ssl_client::Client::delete_certificate).then_output(|| {
        DeleteCertificateResponse::builder()
            .delete_result(true)
            .request_id("r-ssl")
            .build()
            .unwrap()
    });
    let ssl = ssl_client::mock_client!(ssl_client, ssl_client::RuleMode::MatchAny, [&bound, &ok]);

    let out = ssl
        .delete_certificate()
        .certificate_id("cert-free")
        .send()
        .await
        .unwrap();
    assert_eq!(out.delete_result, Some(true));
    match ssl.delete_certificate().certificate_id("cert-bound").send().await {
        Err(ssl_client::Error::Service(e)) => {
            assert_eq!(e.kind(), DeleteCertificateErrorKind::FailedOperationBoundResources)
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    let e = ssl.describe_certificates().send().await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid client configuration: no mock rule answers DescribeCertificates: the mock client has no rule for it"
    );
    assert_eq!((bound.num_calls(), ok.num_calls()), (1, 1));
}

#[tokio::test]
async fn an_output_can_be_computed_from_the_request() {
    let echo = mock!(Client::describe_zones).then_compute_output(|request| {
        let filters = request.filters.as_deref().unwrap_or_default();
        let names: Vec<&str> = filters
            .iter()
            .flat_map(|f| f.values.iter().map(String::as_str))
            .collect();
        zones(&names)
    });
    let client = mock_client!(generated_client, [&echo]);
    let by_name = generated_client::models::AdvancedFilter::builder()
        .name("zone-name")
        .values(vec!["x.example".to_owned(), "y.example".to_owned()])
        .build()
        .unwrap();
    let out = client.describe_zones().filters(vec![by_name]).send().await.unwrap();
    let names: Vec<_> = out.zones().iter().filter_map(|z| z.zone_name.as_deref()).collect();
    assert_eq!(names, ["x.example", "y.example"]);
}

#[tokio::test]
async fn an_http_answer_fails_the_call_as_a_real_one_would() {
    let rule = mock!(Client::describe_zones)
        .sequence()
        .http_response(502, "<html>bad gateway</html>")
        .http_response(200, "not json")
        .build();
    let client = mock_client!(generated_client, RuleMode::Sequential, [&rule]);
    match client.describe_zones().send().await.unwrap_err() {
        Error::HttpStatus { status, body_excerpt } => {
            assert_eq!(status, 502);
            assert_eq!(body_excerpt, "<html>bad gateway</html>");
        }
        other => panic!("expected an HTTP status error, got {other:?}"),
    }
    assert!(matches!(
        client.describe_zones().send().await,
        Err(Error::Decode { .. })
    ));

    // With retries on, a 502 is retried like any gateway failure.
    let flaky = mock!(Client::describe_zones)
        .sequence()
        .http_response(502, "")
        .output(|| zones(&["a.example"]))
        .build();
    let client = mock_client!(generated_client, RuleMode::Sequential, [&flaky], |b| {
        b.retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)))
    });
    client.describe_zones().send().await.unwrap();
    assert_eq!(flaky.num_calls(), 2);
}
