//! Purge and prefetch tasks over the wire: one task per target under one JobId, progress from
//! `processing` to the end status after a set number of polls, each failure status, the daily
//! and batch quotas, listing filters, time windows and the Limit bound.

mod common;

use common::{assert_all_verified, ok, refused, strings, ZONE};
use serde_json::{json, Value};
use teo_stand_in::{StandIn, TaskKind, TaskStatus};

const PURGE: &str = "CreatePurgeTask";
const PURGES: &str = "DescribePurgeTasks";
const PREFETCH: &str = "CreatePrefetchTask";
const PREFETCHES: &str = "DescribePrefetchTasks";
const QUOTA: &str = "DescribeContentQuota";
/// The server clock of these tests: 2023-11-14T22:13:20Z.
const NOW: i64 = 1_700_000_000;

async fn stand_in() -> StandIn {
    StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .fixed_time(NOW)
        .start()
        .await
        .expect("starts")
}

/// (Target, Status) of each listed task.
fn statuses(answer: &Value) -> Vec<(String, String)> {
    answer["Tasks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|task| {
            (
                task["Target"].as_str().unwrap_or_default().to_owned(),
                task["Status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(target, status)| ((*target).to_owned(), (*status).to_owned()))
        .collect()
}

async fn purge_urls(stand_in: &StandIn, targets: &[&str]) -> Value {
    ok(
        stand_in,
        PURGE,
        json!({"ZoneId": ZONE, "Type": "purge_url", "Targets": targets}),
    )
    .await
}

#[tokio::test]
async fn purge_tasks_share_a_job_and_finish_after_two_polls() {
    let stand_in = stand_in().await;
    assert_eq!(StandIn::DEFAULT_TASK_POLLS, 2);
    let created = purge_urls(
        &stand_in,
        &[
            "https://www.example.com/a.jpg",
            "www.example.com/no-scheme",
            "http://img.example.com/b.png",
        ],
    )
    .await;
    let job = created["JobId"].as_str().expect("a JobId").to_owned();
    assert_eq!(job.len(), 12);
    assert_eq!(created["FailedList"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        created["FailedList"][0]["Targets"],
        json!(["www.example.com/no-scheme"])
    );
    assert!(created["FailedList"][0]["Reason"]
        .as_str()
        .is_some_and(|reason| reason.contains("http")));

    let tasks = stand_in.tasks(ZONE);
    assert_eq!(tasks.len(), 2, "a task per valid target");
    assert!(tasks
        .iter()
        .all(|task| task.job_id == job && task.kind == TaskKind::Purge && task.status == TaskStatus::Processing));
    assert_eq!(tasks[1].domains, ["img.example.com"]);

    let targets = ["https://www.example.com/a.jpg", "http://img.example.com/b.png"];
    let processing = pairs(&[(targets[0], "processing"), (targets[1], "processing")]);
    let first = ok(&stand_in, PURGES, json!({"ZoneId": ZONE})).await;
    assert_eq!(first["TotalCount"], 2);
    assert_eq!(statuses(&first), processing);
    let task = &first["Tasks"][0];
    assert_eq!(
        (task["JobId"].as_str(), task["Type"].as_str()),
        (Some(job.as_str()), Some("purge_url"))
    );
    assert_eq!(task["CreateTime"], "2023-11-14T22:13:20Z");
    assert!(task.get("Method").is_none() && task.get("FailType").is_none(), "{task}");
    assert_eq!(
        statuses(&ok(&stand_in, PURGES, json!({"ZoneId": ZONE})).await),
        processing
    );
    let third = ok(&stand_in, PURGES, json!({"ZoneId": ZONE})).await;
    assert_eq!(
        statuses(&third),
        pairs(&[(targets[0], "success"), (targets[1], "success")])
    );
    assert!(stand_in
        .tasks(ZONE)
        .iter()
        .all(|task| task.status == TaskStatus::Success));

    // Prefetch tasks are listed apart.
    assert_eq!(
        ok(&stand_in, PREFETCHES, json!({"ZoneId": ZONE})).await["TotalCount"],
        0
    );
    assert_all_verified(&stand_in);
}

#[tokio::test]
async fn only_the_tasks_on_the_page_count_a_poll() {
    let stand_in = stand_in().await;
    stand_in.set_task_polls(1);
    purge_urls(
        &stand_in,
        &[
            "https://example.com/1",
            "https://example.com/2",
            "https://example.com/3",
        ],
    )
    .await;
    let page = ok(&stand_in, PURGES, json!({"ZoneId": ZONE, "Offset": 1, "Limit": 1})).await;
    assert_eq!(page["TotalCount"], 3);
    assert_eq!(statuses(&page), pairs(&[("https://example.com/2", "processing")]));
    let all = ok(&stand_in, PURGES, json!({"ZoneId": ZONE})).await;
    assert_eq!(
        statuses(&all),
        pairs(&[
            ("https://example.com/1", "processing"),
            ("https://example.com/2", "success"),
            ("https://example.com/3", "processing"),
        ])
    );
}

#[tokio::test]
async fn tasks_end_in_the_status_the_test_asks_for() {
    let stand_in = stand_in().await;
    stand_in.set_task_polls(1);
    stand_in.end_next_tasks(1, TaskStatus::Failed);
    stand_in.end_next_tasks(1, TaskStatus::Timeout);
    stand_in.end_next_tasks(1, TaskStatus::Canceled);
    stand_in.end_tasks_matching("/stuck/", TaskStatus::Processing);
    let targets = [
        "https://a.example.com/1",
        "https://a.example.com/2",
        "https://a.example.com/stuck/3",
        "https://a.example.com/4",
        "https://a.example.com/5",
    ];
    purge_urls(&stand_in, &targets).await;
    let first = ok(&stand_in, PURGES, json!({"ZoneId": ZONE})).await;
    assert!(statuses(&first).iter().all(|(_, status)| status == "processing"));
    let second = ok(&stand_in, PURGES, json!({"ZoneId": ZONE})).await;
    assert_eq!(
        statuses(&second),
        pairs(&[
            (targets[0], "failed"),
            (targets[1], "timeout"),
            (targets[2], "processing"),
            (targets[3], "canceled"),
            (targets[4], "success"),
        ])
    );
    for index in [0, 1, 3] {
        let task = &second["Tasks"][index];
        assert!(
            task["FailType"].is_string() && task["FailMessage"].is_string(),
            "{task}"
        );
    }
    assert!(second["Tasks"][4].get("FailType").is_none());
    let later = ok(
        &stand_in,
        PURGES,
        json!({"ZoneId": ZONE, "Filters": [{"Name": "statuses", "Values": ["processing"]}]}),
    )
    .await;
    assert_eq!(
        statuses(&later),
        pairs(&[(targets[2], "processing")]),
        "a task told to stay processing never ends"
    );

    // Matching rules outlive the queue; clearing them restores success.
    stand_in.end_tasks_matching("broken", TaskStatus::Failed);
    stand_in.set_task_polls(0);
    purge_urls(
        &stand_in,
        &["https://a.example.com/broken", "https://a.example.com/fine"],
    )
    .await;
    let ended: Vec<TaskStatus> = stand_in.tasks(ZONE)[5..].iter().map(|task| task.status).collect();
    assert_eq!(
        ended,
        [TaskStatus::Failed, TaskStatus::Success],
        "zero polls: finished at once"
    );
    stand_in.clear_task_outcomes();
    purge_urls(&stand_in, &["https://a.example.com/broken"]).await;
    assert_eq!(stand_in.tasks(ZONE)[7].status, TaskStatus::Success);
}

#[tokio::test]
async fn each_purge_type_makes_its_tasks() {
    let stand_in = stand_in().await;
    let purge = |body: Value| ok(&stand_in, PURGE, body);
    purge(json!({"ZoneId": ZONE, "Type": "purge_prefix", "Method": "delete", "Targets": ["https://example.com/img/"]}))
        .await;
    purge(json!({"ZoneId": ZONE, "Type": "purge_host", "Targets": ["www.example.com", "https://www.example.com"]}))
        .await;
    purge(json!({"ZoneId": ZONE, "Type": "purge_all", "Targets": ["ignored"]})).await;
    purge(json!({"ZoneId": ZONE, "Type": "purge_cache_tag", "Targets": ["tag1"], "CacheTag": {"Domains": ["www.example.com"]}})).await;
    purge(json!({"ZoneId": ZONE, "Type": "purge_url", "EncodeUrl": true, "Targets": ["https://example.com/é"]})).await;
    let tasks = stand_in.tasks(ZONE);
    let summary: Vec<(&str, &str, Option<&str>)> = tasks
        .iter()
        .map(|task| (task.task_type.as_str(), task.target.as_str(), task.method.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("purge_prefix", "https://example.com/img/", Some("delete")),
            ("purge_host", "www.example.com", Some("invalidate")),
            ("purge_all", "example.com", Some("invalidate")),
            ("purge_cache_tag", "tag1", None),
            ("purge_url", "https://example.com/%C3%A9", None),
        ]
    );
    let listed = ok(&stand_in, PURGES, json!({"ZoneId": ZONE, "Limit": 1})).await;
    assert_eq!(listed["Tasks"][0]["Method"], "delete");

    let filters = |filters: Value| json!({"ZoneId": ZONE, "Filters": filters});
    for (filter, expected) in [
        (
            json!([{"Name": "type", "Values": ["purge_host"]}]),
            vec!["www.example.com"],
        ),
        (
            json!([{"Name": "target", "Values": ["IMG"], "Fuzzy": true}]),
            vec!["https://example.com/img/"],
        ),
        (
            json!([{"Name": "domains", "Values": ["www.example.com"]}]),
            vec!["www.example.com", "tag1"],
        ),
        (
            json!([{"Name": "job-id", "Values": [tasks[2].job_id.clone()]}]),
            vec!["example.com"],
        ),
    ] {
        let answer = ok(&stand_in, PURGES, filters(filter.clone())).await;
        assert_eq!(strings(&answer["Tasks"], "Target"), expected, "{filter}");
    }
    for (body, expected) in [
        (
            json!({"ZoneId": ZONE, "Type": "purge_everything", "Targets": ["x"]}),
            "InvalidParameterValue",
        ),
        (
            json!({"ZoneId": ZONE, "Type": "purge_prefix", "Method": "erase", "Targets": ["https://e.com/"]}),
            "InvalidParameterValue",
        ),
        (json!({"ZoneId": ZONE, "Type": "purge_url"}), "MissingParameter"),
        (
            json!({"ZoneId": ZONE, "Targets": ["https://e.com/"]}),
            "MissingParameter",
        ),
        (
            json!({"ZoneId": ZONE, "Type": "purge_cache_tag", "Targets": ["t"]}),
            "MissingParameter",
        ),
        (
            json!({"ZoneId": ZONE, "Type": "purge_url", "Targets": ["not a url"]}),
            "InvalidParameter.TaskNotGenerated",
        ),
        (
            json!({"ZoneId": ZONE, "Type": "purge_url", "Targets": "https://e.com/"}),
            "InvalidParameter",
        ),
        (
            json!({"ZoneId": "zone-unknown1", "Type": "purge_url", "Targets": ["https://e.com/"]}),
            "ResourceNotFound",
        ),
    ] {
        assert_eq!(refused(&stand_in, PURGE, body.clone()).await.0, expected, "{body}");
    }
    assert_eq!(stand_in.tasks(ZONE).len(), 5, "refusals create no task");
}

#[tokio::test]
async fn prefetch_tasks_walk_through() {
    let stand_in = stand_in().await;
    stand_in.set_task_polls(1);
    let created = ok(
        &stand_in,
        PREFETCH,
        json!({"ZoneId": ZONE, "Targets": ["https://example.com/a.mp4", "https://example.com/b.mp4"], "Mode": "edge", "Headers": [{"Name": "X-A", "Value": "1"}]}),
    )
    .await;
    assert_eq!(created["FailedList"], json!([]));
    let job = created["JobId"].as_str().expect("a JobId");
    let first = ok(
        &stand_in,
        PREFETCHES,
        json!({"ZoneId": ZONE, "Filters": [{"Name": "job-id", "Values": [job]}]}),
    )
    .await;
    assert_eq!(first["TotalCount"], 2);
    assert_eq!(first["Tasks"][0]["Type"], "prefetch_url");
    assert_eq!(
        statuses(&first)
            .iter()
            .filter(|(_, status)| status == "processing")
            .count(),
        2
    );
    let second = ok(&stand_in, PREFETCHES, json!({"ZoneId": ZONE})).await;
    assert_eq!(
        statuses(&second)
            .iter()
            .filter(|(_, status)| status == "success")
            .count(),
        2
    );
    assert_eq!(ok(&stand_in, PURGES, json!({"ZoneId": ZONE})).await["TotalCount"], 0);
    assert!(stand_in.tasks(ZONE).iter().all(|task| task.kind == TaskKind::Prefetch));
    for (body, expected) in [
        (json!({"ZoneId": ZONE}), "MissingParameter"),
        (
            json!({"ZoneId": ZONE, "Targets": ["https://e.com/"], "Mode": "fast"}),
            "InvalidParameterValue",
        ),
        (
            json!({"ZoneId": ZONE, "Targets": ["https://e.com/"], "Headers": [{"Name": "X"}]}),
            "MissingParameter",
        ),
        (
            json!({"ZoneId": "zone-unknown1", "Targets": ["https://e.com/"]}),
            "ResourceNotFound",
        ),
    ] {
        assert_eq!(refused(&stand_in, PREFETCH, body.clone()).await.0, expected, "{body}");
    }
    assert_all_verified(&stand_in);
}

/// (DailyAvailable, Daily, Batch) of one quota type in a DescribeContentQuota answer.
fn quota(answer: &Value, list: &str, quota_type: &str) -> Option<(i64, i64, i64)> {
    answer[list]
        .as_array()?
        .iter()
        .find(|quota| quota["Type"] == quota_type)
        .map(|quota| {
            (
                quota["DailyAvailable"].as_i64().unwrap_or(-1),
                quota["Daily"].as_i64().unwrap_or(-1),
                quota["Batch"].as_i64().unwrap_or(-1),
            )
        })
}

#[tokio::test]
async fn creating_tasks_consumes_the_daily_quota() {
    let stand_in = stand_in().await;
    let fresh = ok(&stand_in, QUOTA, json!({"ZoneId": ZONE})).await;
    assert_eq!(quota(&fresh, "PurgeQuota", "purge_url"), Some((10_000, 10_000, 2000)));
    assert_eq!(
        quota(&fresh, "PrefetchQuota", "prefetch_url"),
        Some((10_000, 10_000, 2000))
    );
    assert_eq!(fresh["PurgeQuota"].as_array().map(Vec::len), Some(5));

    purge_urls(&stand_in, &["https://e.com/1", "https://e.com/2", "bad target"]).await;
    ok(
        &stand_in,
        PREFETCH,
        json!({"ZoneId": ZONE, "Targets": ["https://e.com/v"]}),
    )
    .await;
    let used = ok(&stand_in, QUOTA, json!({"ZoneId": ZONE})).await;
    assert_eq!(
        quota(&used, "PurgeQuota", "purge_url"),
        Some((9_998, 10_000, 2000)),
        "failed targets use no quota"
    );
    assert_eq!(quota(&used, "PurgeQuota", "purge_host"), Some((10_000, 10_000, 2000)));
    assert_eq!(
        quota(&used, "PrefetchQuota", "prefetch_url"),
        Some((9_999, 10_000, 2000))
    );

    stand_in
        .set_content_quota(ZONE, "purge_url", 2, 3)
        .expect("the zone exists");
    let (code, _) = refused(
        &stand_in,
        PURGE,
        json!({"ZoneId": ZONE, "Type": "purge_url", "Targets": ["https://e.com/3", "https://e.com/4"]}),
    )
    .await;
    assert_eq!(code, "LimitExceeded.DailyQuota");
    purge_urls(&stand_in, &["https://e.com/3"]).await;
    let (code, message) = refused(
        &stand_in,
        PURGE,
        json!({"ZoneId": ZONE, "Type": "purge_url", "Targets": ["https://e.com/5"]}),
    )
    .await;
    assert_eq!(code, "LimitExceeded.DailyQuota");
    assert!(message.contains("daily"), "{message}");
    let (code, _) = refused(&stand_in, PURGE, json!({"ZoneId": ZONE, "Type": "purge_url", "Targets": ["https://e.com/6", "https://e.com/7", "https://e.com/8"]})).await;
    assert_eq!(code, "LimitExceeded.BatchQuota");
    assert_eq!(stand_in.tasks(ZONE).len(), 4, "refused requests create no task");
    let spent = stand_in.content_quota(ZONE);
    let url = spent
        .iter()
        .find(|quota| quota.quota_type == "purge_url")
        .map(|quota| quota.daily_available);
    assert_eq!(url, Some(0));
    assert_eq!(
        refused(&stand_in, QUOTA, json!({"ZoneId": "zone-unknown1"})).await.0,
        "ResourceNotFound"
    );
    assert_eq!(refused(&stand_in, QUOTA, json!({})).await.0, "MissingParameter");
}

#[tokio::test]
async fn task_listings_check_time_windows_and_the_limit() {
    let stand_in = stand_in().await;
    purge_urls(&stand_in, &["https://e.com/1"]).await;
    ok(
        &stand_in,
        PREFETCH,
        json!({"ZoneId": ZONE, "Targets": ["https://e.com/2"]}),
    )
    .await;
    for action in [PURGES, PREFETCHES] {
        let (code, message) = refused(&stand_in, action, json!({"ZoneId": ZONE, "Limit": 1001})).await;
        assert_eq!(code, "InvalidParameterValue", "{action}");
        assert!(message.contains("Limit") && message.contains("1000"), "{message}");
        assert_eq!(
            ok(&stand_in, action, json!({"ZoneId": ZONE, "Limit": 1000})).await["TotalCount"],
            1
        );
        let around =
            json!({"ZoneId": ZONE, "StartTime": "2023-11-15T06:00:00+08:00", "EndTime": "2023-11-14T23:00:00Z"});
        assert_eq!(ok(&stand_in, action, around).await["TotalCount"], 1, "{action}");
        let later = json!({"ZoneId": ZONE, "StartTime": "2023-11-14T22:13:21Z"});
        assert_eq!(ok(&stand_in, action, later).await["TotalCount"], 0, "{action}");
        let earlier = json!({"ZoneId": ZONE, "EndTime": "2023-11-14T22:13:19Z"});
        assert_eq!(ok(&stand_in, action, earlier).await["TotalCount"], 0, "{action}");
        for (body, expected) in [
            (
                json!({"ZoneId": ZONE, "StartTime": "2023-11-15T00:00:00Z", "EndTime": "2023-11-14T00:00:00Z"}),
                "InvalidParameter.ParameterError",
            ),
            (
                json!({"ZoneId": ZONE, "StartTime": "yesterday"}),
                "InvalidParameterValue",
            ),
            (json!({"ZoneId": ZONE, "Offset": -1}), "InvalidParameterValue"),
            (
                json!({"ZoneId": ZONE, "Filters": [{"Name": "owner", "Values": ["me"]}]}),
                "InvalidFilter",
            ),
            (json!({}), "MissingParameter"),
            (json!({"ZoneId": "zone-unknown1"}), "ResourceNotFound"),
        ] {
            assert_eq!(
                refused(&stand_in, action, body.clone()).await.0,
                expected,
                "{action} {body}"
            );
        }
    }
    let type_filter = json!({"ZoneId": ZONE, "Filters": [{"Name": "type", "Values": ["prefetch_url"]}]});
    assert_eq!(
        refused(&stand_in, PREFETCHES, type_filter).await.0,
        "InvalidFilter",
        "prefetch listings have no type filter"
    );
}
