//! End to end, retries and pacing: throttling and gateway failures are retried until they pass
//! or the attempts run out, failures that retrying cannot fix are returned after one request,
//! retries can be turned off, and a burst from many clones of one client is held to the spec's
//! 20 requests per second, as the stand-in's arrival times show.

mod common;

use std::time::{Duration, Instant};

use common::{builder, client, outcomes, stand_in, GATEWAY_KEY, OTHER_ZONE, ZONE};
use generated_client::errors::{
    CommonErrorKind, CreateMultiPathGatewaySecretKeyError as CreateError,
    CreateMultiPathGatewaySecretKeyErrorKind as CreateKind, RefreshMultiPathGatewaySecretKeyError as RefreshError,
    RefreshMultiPathGatewaySecretKeyErrorKind as RefreshKind,
};
use generated_client::{Client, Credentials, Error, RateLimit};
use teo_stand_in::{Fault, StandIn};

/// These tests measure pacing by arrival times, which the other tests' bursts would disturb on a
/// two-core machine: they run one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn throttled() -> Fault {
    Fault::api_error("RequestLimitExceeded", "Too many requests, slow down.")
}

async fn refresh(client: &Client) -> Result<String, Error<RefreshError>> {
    client
        .refresh_multi_path_gateway_secret_key()
        .zone_id(ZONE)
        .send()
        .await
        .map(|output| output.secret_key.map(|k| k.into_secret()).unwrap_or_default())
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

#[tokio::test]
async fn throttling_once_is_retried_and_the_call_succeeds() {
    let _one_at_a_time = SERIAL.lock().await;
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(throttled());
    let key = refresh(&client(&stand_in)).await.expect("the retry succeeds");
    assert_eq!(outcomes(&stand_in), ["RequestLimitExceeded", "ok"]);
    assert_eq!(
        stand_in.zone_key(ZONE),
        Some(key),
        "the key of the attempt that ran is returned"
    );
    common::assert_all_verified(&stand_in);

    // The sub-codes are throttling too.
    stand_in.clear_requests();
    stand_in.push_fault(Fault::api_error(
        "RequestLimitExceeded.UinLimitExceeded",
        "Account limit.",
    ));
    create(&client(&stand_in), OTHER_ZONE)
        .await
        .expect("the retry succeeds");
    assert_eq!(outcomes(&stand_in), ["RequestLimitExceeded.UinLimitExceeded", "ok"]);
    assert_eq!(stand_in.zone_key(OTHER_ZONE).as_deref(), Some(GATEWAY_KEY));
}

#[tokio::test]
async fn service_unavailable_once_is_retried_and_the_call_succeeds() {
    let _one_at_a_time = SERIAL.lock().await;
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.push_fault(Fault::html_status(503));
    let key = refresh(&client(&stand_in)).await.expect("the retry succeeds");
    assert_eq!(outcomes(&stand_in), ["injected", "ok"]);
    assert_eq!(stand_in.requests()[0].fault, Some(Fault::html_status(503)));
    assert_eq!(stand_in.zone_key(ZONE), Some(key));
}

#[tokio::test]
async fn throttling_every_time_ends_with_the_throttling_error_after_three_attempts() {
    let _one_at_a_time = SERIAL.lock().await;
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    stand_in.fail_next(5, throttled());
    let error = refresh(&client(&stand_in)).await.expect_err("throttled three times");

    assert_eq!(outcomes(&stand_in), ["RequestLimitExceeded"; 3]);
    assert_eq!(stand_in.pending_faults(), 2, "no fourth attempt");
    match error.as_service() {
        Some(typed) if matches!(typed.kind(), RefreshKind::Common(CommonErrorKind::RequestLimitExceeded)) => {
            assert_eq!(typed.message(), "Too many requests, slow down.");
        }
        other => panic!("expected Common(RequestLimitExceeded), got {other:?}"),
    }
    assert_eq!(error.code(), Some("RequestLimitExceeded"));
    assert!(
        error
            .to_string()
            .starts_with("service error RequestLimitExceeded: Too many requests, slow down. (request id "),
        "{error}"
    );
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));
}

#[tokio::test]
async fn failures_retrying_cannot_fix_are_sent_once() {
    let _one_at_a_time = SERIAL.lock().await;
    // Authentication failures, produced for real by the stand-in's checks.
    let stand_in = stand_in().await;
    let wrong_key = builder(&stand_in)
        .credentials(Credentials::new(StandIn::DEFAULT_SECRET_ID, "a-wrong-secret-key"))
        .build()
        .expect("builds");
    let error = create(&wrong_key, ZONE).await.expect_err("bad signature");
    assert_eq!(error.code(), Some("AuthFailure.SignatureFailure"));
    assert_eq!(outcomes(&stand_in), ["AuthFailure.SignatureFailure"]);

    let skewed = StandIn::builder().clock_skew(-900).start().await.expect("starts");
    let error = create(&client(&skewed), ZONE).await.expect_err("expired signature");
    assert_eq!(error.code(), Some("AuthFailure.SignatureExpire"));
    assert_eq!(outcomes(&skewed), ["AuthFailure.SignatureExpire"]);

    // A parameter error (injected) and a state conflict (for real).
    let client = client(&stand_in);
    for (fault, code) in [
        (
            Fault::api_error("InvalidParameter", "Bad parameter."),
            "InvalidParameter",
        ),
        (Fault::api_error("InternalError", "Oops."), "InternalError"),
    ] {
        stand_in.clear_requests();
        stand_in.push_fault(fault);
        let error = create(&client, ZONE).await.expect_err("injected");
        assert_eq!(error.code(), Some(code));
        assert_eq!(outcomes(&stand_in), [code], "{code} is not retried");
    }
    stand_in.clear_requests();
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    let error = create(&client, ZONE).await.expect_err("the zone has a key");
    assert!(
        matches!(&error, Error::Service(e) if e.kind() == CreateKind::OperationDenied),
        "{error:?}"
    );
    assert_eq!(outcomes(&stand_in), ["OperationDenied"]);
}

#[tokio::test]
async fn disabled_retries_send_every_call_once() {
    let _one_at_a_time = SERIAL.lock().await;
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    let client = builder(&stand_in).disable_retries().build().expect("builds");

    stand_in.push_fault(throttled());
    let error = refresh(&client).await.expect_err("not retried");
    assert_eq!(error.code(), Some("RequestLimitExceeded"));
    assert_eq!(outcomes(&stand_in), ["RequestLimitExceeded"]);

    stand_in.clear_requests();
    stand_in.push_fault(Fault::html_status(503));
    let error = refresh(&client).await.expect_err("not retried");
    assert!(matches!(error, Error::HttpStatus { status: 503, .. }), "{error:?}");
    assert_eq!(outcomes(&stand_in), ["injected"]);
    assert_eq!(stand_in.pending_faults(), 0);
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));

    // And a call that meets no failure goes through as usual.
    let key = refresh(&client).await.expect("succeeds");
    assert_eq!(stand_in.zone_key(ZONE), Some(key));
}

/// The largest number of arrivals within any closed one-second window.
fn busiest_second(arrivals: &[Instant]) -> usize {
    let mut sorted = arrivals.to_vec();
    sorted.sort();
    (0..sorted.len())
        .map(|first| {
            sorted[first..]
                .iter()
                .take_while(|at| at.duration_since(sorted[first]) <= Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// Sends `calls` Refresh calls at once, each from its own clone of `client`.
async fn burst(client: &Client, calls: usize) {
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let clone = client.clone();
            tokio::spawn(async move { refresh(&clone).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("the task finishes").expect("every call succeeds");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_from_clones_of_one_client_is_held_to_the_spec_rate() {
    let _one_at_a_time = SERIAL.lock().await;
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    let client = builder(&stand_in).disable_retries().build().expect("builds");
    let started = Instant::now();
    burst(&client, 60).await;

    let requests = stand_in.requests();
    assert_eq!(requests.len(), 60, "no call was retried or lost");
    common::assert_all_verified(&stand_in);
    let mut arrivals: Vec<Instant> = requests.iter().map(|request| request.received_at).collect();
    arrivals.sort();
    // The limiter's burst is one request: the k-th request (from 0) leaves no earlier than k
    // intervals of 50 ms after the burst started, and arrives later still. A loaded machine only
    // delays requests, so this bound holds however busy it is (counting requests per one-second
    // window of arrivals did not: a delayed request bunches with the ones after it).
    for (k, arrived) in arrivals.iter().enumerate() {
        let earliest = Duration::from_millis(50) * k as u32;
        let after = arrived.duration_since(started);
        assert!(
            after >= earliest,
            "request {k} arrived {after:?} after the burst began, before its slot at {earliest:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_rate_limit_a_burst_goes_out_at_once() {
    let _one_at_a_time = SERIAL.lock().await;
    let stand_in = stand_in().await;
    stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    let client = builder(&stand_in)
        .disable_retries()
        .rate_limit(RateLimit::Disabled)
        .build()
        .expect("builds");
    burst(&client, 60).await;

    let requests = stand_in.requests();
    assert_eq!(requests.len(), 60);
    let arrivals: Vec<Instant> = requests.iter().map(|request| request.received_at).collect();
    // Paced, no second could hold more than 20 of them (see above); unpaced, they all go at once.
    assert!(busiest_second(&arrivals) > 21, "the unpaced burst was spread out");
}
