//! An ACME DNS-01 style workflow: find the zone by name, add a TXT record, find it again through
//! the paginator, delete it.
//!
//! ```text
//! cargo run --example dns01 -p tests
//! ```
//!
//! Without `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` it runs against the local
//! stand-in, on a zone `example.com` with 2,500 records already in it. With them set it calls the
//! real service on the zone named by `TEO_ZONE_NAME` (for example `example.com`): it adds a TXT
//! record `_acme-challenge.<zone>` and deletes it again.

mod common;

use common::{have_credentials, required_var, stand_in_client, Failure};
use generated_client::models::AdvancedFilter;
use generated_client::Client;
use teo_stand_in::StandIn;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    if have_credentials() {
        let zone_name = required_var("TEO_ZONE_NAME", "the name of a zone of yours, such as example.com")?;
        let client = Client::from_env()?;
        return challenge(&client, &zone_name, "example-acme-token").await;
    }
    let stand_in = StandIn::start().await?;
    let zone = stand_in.add_zone("example.com");
    stand_in.add_dns_records(&zone, 2500)?;
    let client = stand_in_client(&stand_in)?;
    challenge(&client, "example.com", "example-acme-token").await?;
    println!(
        "\nThe stand-in holds {} records again.",
        stand_in.dns_records(&zone).len()
    );
    Ok(())
}

fn filter(name: &str, value: &str) -> Result<AdvancedFilter, Failure> {
    Ok(AdvancedFilter::builder()
        .name(name)
        .values(vec![value.to_owned()])
        .build()?)
}

/// The DNS-01 steps for `zone_name`, publishing `token`.
async fn challenge(client: &Client, zone_name: &str, token: &str) -> Result<(), Failure> {
    // 1. The zone id, from its name: the `zone-name` filter matches names exactly.
    println!("\n1. Looking up zone {zone_name}...");
    let zones = client
        .describe_zones()
        .filters(vec![filter("zone-name", zone_name)?])
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    let zone = zones
        .iter()
        .find(|z| z.zone_name.as_deref() == Some(zone_name))
        .and_then(|z| z.zone_id.clone())
        .ok_or_else(|| Failure(format!("no zone named {zone_name}")))?;
    println!("   {zone_name} is {zone}.");

    // 2. The challenge record.
    let name = format!("_acme-challenge.{zone_name}");
    println!("\n2. Adding TXT {name}...");
    let created = client
        .create_dns_record()
        .zone_id(&zone)
        .name(&name)
        .r#type("TXT")
        .content(token)
        .ttl(60)
        .send()
        .await?;
    let record_id = created
        .record_id
        .ok_or_else(|| Failure("the answer has no RecordId".to_owned()))?;
    println!("   Created record {record_id}.");

    // 3. Every record of the zone, then the TXT records of that name, through the paginator.
    println!("\n3. Listing...");
    let mut pages = client.describe_dns_records().zone_id(&zone).into_paginator().send();
    let (mut calls, mut records) = (0, 0);
    while let Some(page) = pages.next().await {
        calls += 1;
        records += page?.dns_records().len();
    }
    println!("   The zone has {records} records, read in {calls} calls (1000 per page).");
    let found = client
        .describe_dns_records()
        .zone_id(&zone)
        .filters(vec![filter("name", &name)?, filter("type", "TXT")?])
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    for record in &found {
        println!(
            "   {} {} {:?} (id {})",
            record.name.as_deref().unwrap_or("?"),
            record.r#type.as_ref().map_or("?", |t| t.as_str()),
            record.content.as_deref().unwrap_or(""),
            record.record_id.as_deref().unwrap_or("?")
        );
    }
    if !found.iter().any(|r| r.record_id.as_deref() == Some(record_id.as_str())) {
        return Err(Failure(format!("record {record_id} is not in the listing")));
    }

    // 4. Clean up.
    println!("\n4. Deleting record {record_id}...");
    client
        .delete_dns_records()
        .zone_id(&zone)
        .record_ids(vec![record_id])
        .send()
        .await?;
    println!("   Deleted.");
    Ok(())
}
