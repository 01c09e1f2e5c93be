//! After a deploy: check the purge quota, purge the changed URLs, and wait until the purge is
//! done, with a typed error if a task fails or `max_wait` passes.
//!
//! ```text
//! cargo run --example purge_and_wait -p tests
//! ```
//!
//! Without `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` it runs against the local
//! stand-in, whose tasks finish after two polls. With them set it purges the URLs listed
//! (comma-separated) in `TEO_PURGE_URLS` on the zone `TEO_ZONE_ID`, on the real service.

mod common;

use std::time::Duration;

use common::{have_credentials, required_var, stand_in_client, Failure};
use generated_client::models::{AdvancedFilter, CacheTaskType};
use generated_client::waiter::WaitError;
use generated_client::Client;
use teo_stand_in::StandIn;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    if have_credentials() {
        let zone = required_var("TEO_ZONE_ID", "the zone to purge, such as zone-27q0p0bal192")?;
        let urls = required_var("TEO_PURGE_URLS", "the URLs to purge, comma-separated")?;
        let urls: Vec<String> = urls
            .split(',')
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty())
            .collect();
        let client = Client::from_env()?;
        return purge_and_wait(&client, &zone, urls, Duration::from_secs(2)).await;
    }
    let stand_in = StandIn::start().await?;
    let zone = stand_in.add_zone("example.com");
    stand_in.set_task_polls(2);
    let client = stand_in_client(&stand_in)?;
    let urls = vec![
        "https://www.example.com/index.html".to_owned(),
        "https://www.example.com/static/app.js".to_owned(),
    ];
    // The stand-in answers at once, so poll every 200 ms instead of the default 2 s.
    purge_and_wait(&client, &zone, urls, Duration::from_millis(200)).await
}

async fn purge_and_wait(client: &Client, zone: &str, urls: Vec<String>, first_delay: Duration) -> Result<(), Failure> {
    // 1. Quota: how many URL purges are left today.
    let quota = client.describe_content_quota().zone_id(zone).send().await?;
    if let Some(q) = quota
        .purge_quota()
        .iter()
        .find(|q| q.r#type == Some(CacheTaskType::PurgeUrl))
    {
        println!(
            "\n1. URL purges: {} left today of {}, at most {} per request.",
            q.daily_available.unwrap_or_default(),
            q.daily.unwrap_or_default(),
            q.batch.unwrap_or_default()
        );
    }

    // 2. Purge.
    println!("\n2. Purging {} URL(s)...", urls.len());
    let created = client
        .create_purge_task()
        .zone_id(zone)
        .r#type("purge_url")
        .targets(urls)
        .send()
        .await?;
    for failed in created.failed_list() {
        println!("   Not accepted: {:?} ({:?})", failed.targets(), failed.reason);
    }
    let job = created
        .job_id
        .ok_or_else(|| Failure("the answer has no JobId".to_owned()))?;
    println!("   Job {job}.");

    // 3. Wait for every task of the job.
    println!("\n3. Waiting for the job...");
    let job_filter = AdvancedFilter::builder()
        .name("job-id")
        .values(vec![job.clone()])
        .build()?;
    let outcome = client
        .wait_until_purge_tasks_done()
        .zone_id(zone)
        .filters(vec![job_filter])
        .min_delay(first_delay)
        .wait(Duration::from_secs(300))
        .await;
    match outcome {
        Ok(tasks) => {
            for task in &tasks {
                println!("   {} done", task.target.as_deref().unwrap_or("?"));
            }
            Ok(())
        }
        Err(WaitError::Failed { item, status, .. }) => Err(Failure(format!("{item} ended in status {status}"))),
        Err(error @ WaitError::Timeout { .. }) => Err(Failure(format!("gave up: {error}"))),
        Err(error) => Err(error.into()),
    }
}
