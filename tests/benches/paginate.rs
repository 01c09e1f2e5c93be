//! Cost of listing 10,000 DNS records through the generated paginator
//! (`describe_dns_records().into_paginator().items().send().try_collect()`) against the same
//! calls written by hand (`.offset(n).limit(1000).send()` in a loop, items appended, stopping at
//! `TotalCount`). Both make the same ten calls to the same stand-in (which checks every
//! signature), over one kept-alive connection, with rate limiting off; the difference is what the
//! paginator adds: cloning the request per page, its stop checks, moving items out of pages.
//!
//! Run with `cargo bench -p tests --bench paginate`. It prints the time per listing
//! of each side, measured in interleaved rounds, and their ratio.

use std::time::{Duration, Instant};

use generated_client::models::DnsRecord;
use generated_client::{Client, Credentials, RateLimit};
use teo_stand_in::StandIn;

const RECORDS: usize = 10_000;
const ROUNDS: usize = 30;

async fn by_paginator(client: &Client, zone: &str) -> Vec<DnsRecord> {
    client
        .describe_dns_records()
        .zone_id(zone)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .expect("the listing succeeds")
}

async fn by_hand(client: &Client, zone: &str) -> Vec<DnsRecord> {
    let mut records = Vec::new();
    let mut offset = 0_i64;
    loop {
        let page = client
            .describe_dns_records()
            .zone_id(zone)
            .offset(offset)
            .limit(1000)
            .send()
            .await
            .expect("the page arrives");
        let got = page.dns_records.unwrap_or_default();
        offset += got.len() as i64;
        let done = got.is_empty() || page.total_count.is_some_and(|total| offset >= total);
        records.extend(got);
        if done {
            return records;
        }
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let stand_in = StandIn::start().await.expect("the stand-in starts");
        let zone = stand_in.add_zone("example.com");
        stand_in.add_dns_records(&zone, RECORDS).expect("the zone exists");
        let client = Client::builder()
            .endpoint(stand_in.endpoint())
            .credentials(Credentials::new(
                StandIn::DEFAULT_SECRET_ID,
                StandIn::DEFAULT_SECRET_KEY,
            ))
            .rate_limit(RateLimit::Disabled)
            .build()
            .expect("the client builds");
        // Warm up both paths (connection, signing key, allocator).
        assert_eq!(by_paginator(&client, &zone).await.len(), RECORDS);
        assert_eq!(by_hand(&client, &zone).await.len(), RECORDS);
        stand_in.clear_requests();

        let (mut paginator, mut hand) = (Duration::ZERO, Duration::ZERO);
        for round in 0..ROUNDS {
            // Alternate which side goes first, so neither always finds the machine warmer.
            for side in [round % 2, 1 - round % 2] {
                let start = Instant::now();
                let listed = if side == 0 {
                    by_paginator(&client, &zone).await
                } else {
                    by_hand(&client, &zone).await
                };
                let took = start.elapsed();
                assert_eq!(listed.len(), RECORDS);
                if side == 0 {
                    paginator += took;
                } else {
                    hand += took;
                }
                stand_in.clear_requests();
            }
        }
        let per = |total: Duration| total.as_secs_f64() * 1000.0 / ROUNDS as f64;
        println!(
            "listing {RECORDS} records (10 calls of 1000), {ROUNDS} interleaved rounds: \
             paginator {:.2} ms, by hand {:.2} ms per listing; paginator / hand = {:.3}",
            per(paginator),
            per(hand),
            paginator.as_secs_f64() / hand.as_secs_f64()
        );
    });
}
