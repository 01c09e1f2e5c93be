//! Waiters end to end against the stand-in: purge and prefetch tasks that finish, fail in each
//! way, or outlast `max_wait`; each outcome typed and its message exact.

mod common;

use std::time::Duration;

use common::{client, stand_in};
use generated_client::models::{AdvancedFilter, CacheTaskStatus};
use generated_client::waiter::WaitError;
use teo_stand_in::{StandIn, TaskStatus};

fn job_filter(job: &str) -> Vec<AdvancedFilter> {
    vec![common::filter("job-id", &[job])]
}

const FAST: Duration = Duration::from_millis(5);

async fn purge(stand_in: &StandIn, zone: &str, targets: &[&str]) -> String {
    let out = client(stand_in)
        .create_purge_task()
        .zone_id(zone)
        .r#type("purge_url")
        .targets(targets.iter().map(|t| t.to_string()).collect::<Vec<_>>())
        .send()
        .await
        .expect("the purge task is created");
    assert!(out.failed_list().is_empty(), "{out:?}");
    out.job_id.expect("a job id")
}

fn polls(stand_in: &StandIn, action: &str) -> usize {
    stand_in
        .requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some(action))
        .count()
}

#[tokio::test]
async fn purge_waiter_returns_once_every_task_succeeded() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    stand_in.set_task_polls(2);
    let job = purge(
        &stand_in,
        &zone,
        &["https://www.example.com/app.js", "https://www.example.com/app.css"],
    )
    .await;
    // Another job's task, never done, must not hold this wait up.
    stand_in.end_next_tasks(1, TaskStatus::Processing);
    purge(&stand_in, &zone, &["https://www.example.com/other.js"]).await;

    let tasks = client(&stand_in)
        .wait_until_purge_tasks_done()
        .zone_id(&zone)
        .filters(job_filter(&job))
        .min_delay(FAST)
        .max_delay(FAST)
        .wait(Duration::from_secs(10))
        .await
        .unwrap();

    let mut targets: Vec<&str> = tasks.iter().filter_map(|t| t.target.as_deref()).collect();
    targets.sort_unstable();
    assert_eq!(
        targets,
        ["https://www.example.com/app.css", "https://www.example.com/app.js"]
    );
    // The statuses are typed: the waiter compared enum values.
    assert!(tasks.iter().all(|t| t.status == Some(CacheTaskStatus::Success)));
    assert_eq!(
        polls(&stand_in, "DescribePurgeTasks"),
        3,
        "two processing answers, then success"
    );
    assert!(stand_in.requests().iter().all(|r| r.verification.passed()));
}

#[tokio::test]
async fn a_failed_task_ends_the_wait_at_once_naming_it() {
    for (status, wire) in [
        (TaskStatus::Failed, "failed"),
        (TaskStatus::Timeout, "timeout"),
        (TaskStatus::Canceled, "canceled"),
    ] {
        let stand_in = stand_in().await;
        let zone = stand_in.add_zone("example.com");
        stand_in.set_task_polls(1);
        stand_in.end_tasks_matching("broken", status);
        let job = purge(
            &stand_in,
            &zone,
            &["https://www.example.com/ok.js", "https://www.example.com/broken.js"],
        )
        .await;

        let error = client(&stand_in)
            .wait_until_purge_tasks_done()
            .zone_id(&zone)
            .filters(job_filter(&job))
            .min_delay(FAST)
            .max_delay(FAST)
            .wait(Duration::from_secs(10))
            .await
            .unwrap_err();

        let WaitError::Failed { item, status: seen, .. } = &error else {
            panic!("not a failure: {error:?}");
        };
        assert_eq!(seen, wire);
        assert!(item.contains("https://www.example.com/broken.js"), "{item}");
        assert_eq!(
            error.to_string(),
            format!("PurgeTasksDone: JobId {job}, Target https://www.example.com/broken.js ended in status {wire}")
        );
        assert_eq!(
            polls(&stand_in, "DescribePurgeTasks"),
            2,
            "{wire}: stops at the first final answer"
        );
    }
}

#[tokio::test]
async fn a_status_the_spec_does_not_list_decodes_and_stops_the_wait() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    stand_in.set_task_polls(0);
    stand_in.end_next_tasks(1, TaskStatus::Unlisted);
    let job = purge(&stand_in, &zone, &["https://www.example.com/odd.js"]).await;

    // Read directly, the unlisted status is kept as sent.
    let listed = client(&stand_in)
        .describe_purge_tasks()
        .zone_id(&zone)
        .filters(job_filter(&job))
        .send()
        .await
        .unwrap();
    let status = listed.tasks()[0].status.clone().expect("a status");
    assert!(matches!(status, CacheTaskStatus::Unknown(_)), "{status:?}");
    assert_eq!(status.as_str(), "paused");
    assert!(!CacheTaskStatus::values().contains(&"paused"));

    // The waiter knows no such status: it stops at once rather than poll on.
    let error = client(&stand_in)
        .wait_until_purge_tasks_done()
        .zone_id(&zone)
        .filters(job_filter(&job))
        .min_delay(FAST)
        .max_delay(FAST)
        .wait(Duration::from_secs(10))
        .await
        .unwrap_err();
    let WaitError::UnexpectedStatus { status: seen, .. } = &error else {
        panic!("not an unexpected status: {error:?}");
    };
    assert_eq!(seen.as_deref(), Some("paused"));
    assert_eq!(
        error.to_string(),
        format!(
            "PurgeTasksDone: JobId {job}, Target https://www.example.com/odd.js is in status paused, which the waiter does not know"
        )
    );
}

#[tokio::test]
async fn a_task_that_never_finishes_times_out_with_the_statuses_last_seen() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    stand_in.end_next_tasks(1, TaskStatus::Processing);
    let job = purge(&stand_in, &zone, &["https://www.example.com/slow.js"]).await;

    let error = client(&stand_in)
        .wait_until_purge_tasks_done()
        .zone_id(&zone)
        .filters(job_filter(&job))
        .min_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(20))
        .wait(Duration::from_millis(120))
        .await
        .unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    let WaitError::Timeout {
        polls: made,
        last_seen,
        max_wait,
        ..
    } = &error
    else {
        unreachable!("checked above");
    };
    assert_eq!(*max_wait, Duration::from_millis(120));
    assert_eq!(*made as usize, polls(&stand_in, "DescribePurgeTasks"));
    assert!(*made >= 3, "polled {made} times in 120 ms with waits of 10-20 ms");
    assert_eq!(last_seen.len(), 1);
    assert_eq!(last_seen[0].status.as_deref(), Some("processing"));
    assert_eq!(
        error.to_string(),
        format!(
            "PurgeTasksDone: not done after 120ms ({made} polls); last seen: JobId {job}, \
             Target https://www.example.com/slow.js processing"
        )
    );
}

#[tokio::test]
async fn prefetch_waiter_follows_the_prefetch_tasks() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    stand_in.set_task_polls(1);
    let out = client(&stand_in)
        .create_prefetch_task()
        .zone_id(&zone)
        .targets(vec!["https://www.example.com/big.bin".to_owned()])
        .send()
        .await
        .unwrap();
    let job = out.job_id.unwrap();

    let tasks = client(&stand_in)
        .wait_until_prefetch_tasks_done()
        .zone_id(&zone)
        .filters(job_filter(&job))
        .min_delay(FAST)
        .max_delay(FAST)
        .wait(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].target.as_deref(), Some("https://www.example.com/big.bin"));
    assert_eq!(polls(&stand_in, "DescribePrefetchTasks"), 2);
    // Purge's waiter sees none of them: no purge task matches, so it waits until max_wait.
    let error = client(&stand_in)
        .wait_until_purge_tasks_done()
        .zone_id(&zone)
        .filters(job_filter(&job))
        .min_delay(FAST)
        .max_delay(FAST)
        .wait(Duration::from_millis(30))
        .await
        .unwrap_err();
    assert!(
        error.to_string().ends_with("polls); no item matched the request"),
        "{error}"
    );
}

#[tokio::test]
async fn a_poll_that_fails_ends_the_wait_with_the_call_error() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    let job = purge(&stand_in, &zone, &["https://www.example.com/a.js"]).await;
    stand_in.push_fault(teo_stand_in::Fault::api_error(
        "UnauthorizedOperation.CamUnauthorized",
        "not allowed",
    ));
    let error = client(&stand_in)
        .wait_until_purge_tasks_done()
        .zone_id(&zone)
        .filters(job_filter(&job))
        .min_delay(FAST)
        .wait(Duration::from_secs(5))
        .await
        .unwrap_err();
    let WaitError::Poll(inner) = &error else {
        panic!("not a poll error: {error:?}");
    };
    assert_eq!(inner.code(), Some("UnauthorizedOperation.CamUnauthorized"));
}
