//! End to end, connections that go stale, the deadline of a call and the retry budget, through
//! the generated client against the stand-in (and, for the pool's timer, a bare TCP listener):
//! a read whose keep-alive connection was dropped as it was sent succeeds; a write there fails
//! once, saying it may have run, and is never sent twice; with the pool's idle timeout below the
//! server's, writes never meet a stale connection; the deadline ends a slow call on time; and a
//! full outage costs at most 1.25 requests per call.

mod common;

use std::time::{Duration, Instant};

use common::{builder, stand_in, GATEWAY_KEY, OTHER_ZONE, ZONE};
use generated_client::errors::CreateMultiPathGatewaySecretKeyError as CreateError;
use generated_client::runtime::retry::RetryBudget;
use generated_client::{Client, Error, RateLimit, RetryConfig};
use teo_stand_in::log_capture;
use teo_stand_in::{Fault, StandIn};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn describe_zones(client: &Client) -> Result<(), String> {
    client
        .describe_zones()
        .send()
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

async fn create(client: &Client, zone: &str) -> Result<(), Error<CreateError>> {
    client
        .create_multi_path_gateway_secret_key()
        .zone_id(zone)
        .secret_key(GATEWAY_KEY)
        .send()
        .await
        .map(drop)
}

/// (fault kind, connection) of each request the stand-in saw, in order.
fn seen(stand_in: &StandIn) -> Vec<(Option<&'static str>, u64)> {
    stand_in
        .requests()
        .iter()
        .map(|r| (r.fault.as_ref().map(Fault::kind), r.connection))
        .collect()
}

#[tokio::test]
async fn a_read_on_a_connection_dropped_as_it_was_used_is_sent_again_on_a_new_one() {
    let stand_in = stand_in().await;
    stand_in.drop_requests_on_stale_connections(Some(Duration::from_millis(150)));
    let client = builder(&stand_in).rate_limit(RateLimit::Disabled).build().unwrap();

    describe_zones(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    describe_zones(&client)
        .await
        .expect("the stale read is resent and succeeds");

    let seen = seen(&stand_in);
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[0].0, None);
    assert_eq!(
        seen[1],
        (Some("DropConnection"), seen[0].1),
        "dropped on the first, reused connection"
    );
    assert_eq!(seen[2].0, None, "answered");
    assert!(
        seen[2].1 != seen[0].1,
        "the resend goes out on a new connection, not the failed one: {seen:?}"
    );
    // The failed connection is gone for good: later calls never use it again.
    describe_zones(&client).await.unwrap();
    let last = stand_in.requests().last().map(|r| r.connection);
    assert_ne!(last, Some(seen[0].1));
}

#[tokio::test]
async fn a_write_on_a_connection_dropped_as_it_was_used_fails_once_and_says_it_may_have_run() {
    let stand_in = stand_in().await;
    stand_in.drop_requests_on_stale_connections(Some(Duration::from_millis(150)));
    let client = builder(&stand_in).rate_limit(RateLimit::Disabled).build().unwrap();

    create(&client, ZONE).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let error = create(&client, OTHER_ZONE).await.expect_err("the write is not resent");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("connection failed after the request was sent, so it may have run: "),
        "{error}"
    );
    let seen = seen(&stand_in);
    assert_eq!(
        seen.len(),
        2,
        "one request for the failed write, never a second: {seen:?}"
    );
    assert_eq!(seen[1].0, Some("DropConnection"));
    assert_eq!(stand_in.zone_key(OTHER_ZONE), None, "the stand-in ran nothing");
}

#[tokio::test]
async fn writes_never_meet_a_stale_connection_when_the_pool_lets_go_first() {
    let stand_in = stand_in().await;
    stand_in.drop_requests_on_stale_connections(Some(Duration::from_millis(600)));
    let client = builder(&stand_in)
        .rate_limit(RateLimit::Disabled)
        .pool_idle_timeout(Duration::from_millis(150))
        .build()
        .unwrap();

    create(&client, ZONE).await.unwrap();
    tokio::time::sleep(Duration::from_millis(900)).await;
    create(&client, OTHER_ZONE)
        .await
        .expect("a new connection, so nothing is dropped");
    let seen = seen(&stand_in);
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen.iter().all(|(fault, _)| fault.is_none()), "{seen:?}");
    assert_ne!(seen[0].1, seen[1].1, "the idle connection was let go");
    assert_eq!(stand_in.zone_key(OTHER_ZONE).as_deref(), Some(GATEWAY_KEY));
}

/// The pool's timer runs: an idle connection is closed by the client once its idle time is up,
/// with no request to look at it. A bare listener answers one request and waits for the close.
#[tokio::test]
async fn the_pool_closes_an_idle_connection_on_its_own() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        // Headers, then a body of Content-Length bytes.
        loop {
            let n = socket.read(&mut buf).await.unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).to_lowercase();
            if let Some(end) = text.find("\r\n\r\n") {
                let length: usize = text
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse().unwrap());
                if request.len() >= end + 4 + length {
                    break;
                }
            }
        }
        let body = r#"{"Response":{"TotalCount":0,"Zones":[],"RequestId":"r-1"}}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(body.as_bytes()).await.unwrap();
        let answered = Instant::now();
        // The client closes the idle connection: end of stream.
        let n = tokio::time::timeout(Duration::from_secs(20), socket.read(&mut buf))
            .await
            .expect("the client closed the idle connection")
            .unwrap_or(0);
        (n, answered.elapsed())
    });
    let client = Client::builder()
        .endpoint(endpoint)
        .credentials(generated_client::Credentials::new(
            StandIn::DEFAULT_SECRET_ID,
            StandIn::DEFAULT_SECRET_KEY,
        ))
        .pool_idle_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    describe_zones(&client).await.unwrap();
    let (n, after) = server.await.unwrap();
    assert_eq!(n, 0, "end of stream");
    assert!(
        after >= Duration::from_millis(250),
        "not before its idle time: {after:?}"
    );
    drop(client);
}

#[tokio::test]
async fn the_deadline_ends_a_slow_answer_on_time() {
    let stand_in = stand_in().await;
    stand_in.push_fault(Fault::Delay(Duration::from_secs(20)));
    let client = builder(&stand_in)
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.describe_zones().send().await.expect_err("too slow");
    let took = started.elapsed();
    match &error {
        Error::DeadlineExceeded {
            after,
            attempts,
            during,
        } => {
            assert_eq!(*after, Duration::from_millis(300));
            assert_eq!(*attempts, 1);
            assert_eq!(*during, "waiting for an answer");
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "the call's deadline of 300ms passed during attempt 1, waiting for an answer"
    );
    assert!(took >= Duration::from_millis(300), "{took:?}");
    // Generous: the 30 s attempt timeout and the 20 s delay are far above this.
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test]
async fn the_deadline_covers_the_waits_between_attempts() {
    let stand_in = stand_in().await;
    stand_in.fail_next(5, Fault::html_status(503));
    let client = builder(&stand_in)
        .retry(
            RetryConfig::default()
                .with_max_attempts(5)
                .with_base_delay(Duration::from_secs(20))
                .with_max_delay(Duration::from_secs(20)),
        )
        .operation_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.describe_zones().send().await.expect_err("deadline");
    let took = started.elapsed();
    // The first wait is uniform in [0, 20 s): it ends the call unless the draw was below 400 ms,
    // in which case the deadline found the call in its second wait or answer.
    match &error {
        Error::DeadlineExceeded { attempts, .. } => assert!(*attempts >= 1),
        other => panic!("expected the deadline, got {other:?}"),
    }
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test]
async fn a_full_outage_costs_at_most_one_and_a_quarter_requests_per_call() {
    let (capture, _guard) = log_capture::install();
    let stand_in = stand_in().await;
    stand_in.unavailable_for(Duration::from_secs(3600));
    let client = builder(&stand_in)
        .rate_limit(RateLimit::Disabled)
        .retry(RetryConfig::default().with_base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    const CALLS: usize = 1000;
    let mut tasks = tokio::task::JoinSet::new();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for _ in 0..32 {
        let client = client.clone();
        let next = next.clone();
        tasks.spawn(async move {
            let mut failed = 0;
            while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < CALLS {
                match client.describe_zones().send().await {
                    Err(Error::HttpStatus { status: 503, .. }) => failed += 1,
                    other => panic!("expected a 503, got {other:?}"),
                }
            }
            failed
        });
    }
    let failed: usize = tasks.join_all().await.into_iter().sum();
    assert_eq!(failed, CALLS);
    let requests = stand_in.requests().len();
    // 500 tokens at 5 a retry: 100 retries, then one request a call.
    assert_eq!(requests, CALLS + 100, "requests made");
    assert!(requests * 4 <= CALLS * 5);
    let text = capture.lines().join("\n");
    assert!(text.contains("retry_refused=true"), "the span says the budget refused");
    assert!(text.contains("retry_tokens=0"), "and that it is empty");

    // The outage ends: calls succeed at once, and each puts a token back.
    stand_in.unavailable_for(Duration::ZERO);
    stand_in.clear_requests();
    for _ in 0..10 {
        describe_zones(&client).await.unwrap();
    }
    assert_eq!(stand_in.requests().len(), 10);
}

#[tokio::test]
async fn in_normal_operation_the_budget_changes_nothing() {
    let stand_in = stand_in().await;
    // Two 503s, then an answer: three attempts, as without a budget.
    stand_in.fail_next(2, Fault::html_status(503));
    let client = builder(&stand_in).build().unwrap();
    describe_zones(&client).await.unwrap();
    assert_eq!(stand_in.requests().len(), 3);

    // A tiny budget refuses the second retry: two requests, and the 503 comes back.
    stand_in.clear_requests();
    stand_in.fail_next(3, Fault::html_status(503));
    let client = builder(&stand_in)
        .retry(common::fast_retry().with_budget(Some(RetryBudget::default().with_capacity(5))))
        .build()
        .unwrap();
    let error = client.describe_zones().send().await.expect_err("refused");
    assert!(matches!(error, Error::HttpStatus { status: 503, .. }), "{error:?}");
    assert_eq!(stand_in.requests().len(), 2);
    // Its clones share the empty bucket.
    stand_in.clear_requests();
    stand_in.clear_faults();
    stand_in.fail_next(1, Fault::html_status(503));
    let clone = client.clone();
    assert!(clone.describe_zones().send().await.is_err());
    assert_eq!(stand_in.requests().len(), 1, "no token left for a retry");
}

#[tokio::test]
async fn a_try_again_code_is_retried_and_a_wait_for_a_deployment_is_not() {
    let stand_in = stand_in().await;
    let client = builder(&stand_in).build().unwrap();
    stand_in.push_fault(Fault::api_error(
        "InvalidParameter.ActionInProgress",
        "Another change is being applied.",
    ));
    describe_zones(&client).await.unwrap();
    assert_eq!(stand_in.requests().len(), 2);

    stand_in.clear_requests();
    stand_in.push_fault(Fault::api_error(
        "FailedOperation.FunctionDeploying",
        "A deployment is in progress.",
    ));
    let error = describe_zones(&client).await.expect_err("not retried");
    assert!(error.contains("FailedOperation.FunctionDeploying"), "{error}");
    assert_eq!(stand_in.requests().len(), 1);
}

#[tokio::test]
async fn the_stand_in_closes_idle_connections_when_asked() {
    let stand_in = stand_in().await;
    stand_in.close_idle_connections_after(Some(Duration::from_millis(100)));
    let client = builder(&stand_in).build().unwrap();
    describe_zones(&client).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    describe_zones(&client).await.unwrap();
    let seen = seen(&stand_in);
    assert_eq!(seen.len(), 2, "the client saw the close: no request lost: {seen:?}");
    assert_ne!(seen[0].1, seen[1].1, "a new connection");
}
