//! Paginators end to end against the stand-in: the default page size is the action's maximum,
//! paging stops at the total, on a short page and on an empty one, an empty page before the total
//! is an error rather than a loop, a page size out of range is refused before anything is sent,
//! and every member the caller set is sent with every page.

mod common;

use common::{builder, client, filter, stand_in};
use generated_client::{Error, RateLimit};
use teo_stand_in::Fault;

/// (Offset, Limit) of every `action` request the stand-in received, in order.
fn pages_asked(stand_in: &teo_stand_in::StandIn, action: &str) -> Vec<(i64, i64)> {
    stand_in
        .requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some(action))
        .map(|r| {
            let body = r.body_json().unwrap_or_default();
            (
                body["Offset"].as_i64().unwrap_or(-1),
                body["Limit"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

#[tokio::test]
async fn dns_records_page_at_the_maximum_and_stop_at_the_total() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    stand_in.add_dns_records(&zone, 2500).expect("the zone exists");
    let client = builder(&stand_in).rate_limit(RateLimit::Disabled).build().unwrap();

    let records = client
        .describe_dns_records()
        .zone_id(&zone)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(records.len(), 2500);
    let ids: Vec<String> = records.iter().filter_map(|r| r.record_id.clone()).collect();
    let expected: Vec<String> = stand_in.dns_records(&zone).into_iter().map(|r| r.record_id).collect();
    assert_eq!(ids, expected, "every record once, in the service's order");
    assert_eq!(
        pages_asked(&stand_in, "DescribeDnsRecords"),
        [(0, 1000), (1000, 1000), (2000, 1000)]
    );
    assert!(stand_in.requests().iter().all(|r| r.verification.passed()));
}

#[tokio::test]
async fn pages_keep_the_zone_and_filters_and_an_exact_multiple_makes_no_extra_call() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    for i in 0..6 {
        client(&stand_in)
            .create_dns_record()
            .zone_id(&zone)
            .name(format!("_acme-challenge{i}.example.com"))
            .r#type("TXT")
            .content(format!("token-{i}"))
            .send()
            .await
            .unwrap();
    }
    client(&stand_in)
        .create_dns_record()
        .zone_id(&zone)
        .name("www.example.com")
        .r#type("A")
        .content("192.0.2.1")
        .send()
        .await
        .unwrap();
    stand_in.clear_requests();

    let pages = client(&stand_in)
        .describe_dns_records()
        .zone_id(&zone)
        .filters(vec![filter("type", &["TXT"])])
        .into_paginator()
        .page_size(3)
        .send()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(pages.len(), 2, "6 TXT records in pages of 3: no third call");
    assert!(pages.iter().all(|p| p.total_count == Some(6)));
    let contents: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.dns_records())
        .filter_map(|r| r.content.as_deref())
        .collect();
    assert_eq!(
        contents,
        ["token-0", "token-1", "token-2", "token-3", "token-4", "token-5"]
    );
    for request in stand_in.requests() {
        let body = request.body_json().unwrap();
        assert_eq!(body["ZoneId"], zone.as_str());
        assert_eq!(body["Filters"][0]["Name"], "type");
        assert_eq!(body["Filters"][0]["Values"][0], "TXT");
    }
}

#[tokio::test]
async fn a_page_size_above_the_maximum_is_refused_before_sending() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    let client = client(&stand_in);

    let error = client
        .describe_zones()
        .into_paginator()
        .page_size(101)
        .send()
        .try_collect()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Validation(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "invalid DescribeZones: Limit: must be between 1 and 100; the request was not sent"
    );
    // The same rule holds for a Limit set by hand, from the spec's constraint.
    let error = client
        .describe_dns_records()
        .zone_id(&zone)
        .limit(1001)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid DescribeDnsRecords: Limit: must be between 1 and 1000; the request was not sent"
    );
    assert!(stand_in.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_short_page_ends_a_listing_without_a_total() {
    let stand_in = stand_in().await;
    // Two full pages of 2, then one of 1; no TotalCount in any answer.
    for (i, n) in [2, 2, 1].into_iter().enumerate() {
        let zones: Vec<String> = (0..n)
            .map(|j| format!(r#"{{"ZoneId":"zone-{i}{j}","ZoneName":"z{i}{j}.example"}}"#))
            .collect();
        stand_in.push_fault(json_answer(&format!(
            r#"{{"Response":{{"Zones":[{}],"RequestId":"r-{i}"}}}}"#,
            zones.join(",")
        )));
    }
    let names: Vec<String> = client(&stand_in)
        .describe_zones()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|z| z.zone_name)
        .collect();
    assert_eq!(
        names,
        [
            "z00.example",
            "z01.example",
            "z10.example",
            "z11.example",
            "z20.example"
        ]
    );
    assert_eq!(pages_asked(&stand_in, "DescribeZones"), [(0, 2), (2, 2), (4, 2)]);
}

#[tokio::test]
async fn an_empty_page_ends_a_listing_without_a_total() {
    let stand_in = stand_in().await;
    stand_in.push_fault(json_answer(
        r#"{"Response":{"Zones":[{"ZoneId":"zone-a"},{"ZoneId":"zone-b"}],"RequestId":"r-1"}}"#,
    ));
    stand_in.push_fault(json_answer(r#"{"Response":{"Zones":[],"RequestId":"r-2"}}"#));
    let pages = client(&stand_in)
        .describe_zones()
        .into_paginator()
        .page_size(2)
        .send()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.zones().len()).collect();
    assert_eq!(sizes, [2, 0]);
    assert_eq!(stand_in.requests().len(), 2);
}

#[tokio::test]
async fn an_empty_page_before_the_total_is_an_error_not_a_loop() {
    let stand_in = stand_in().await;
    stand_in.push_fault(json_answer(
        r#"{"Response":{"TotalCount":5,"Zones":[{"ZoneId":"zone-a"},{"ZoneId":"zone-b"}],"RequestId":"r-1"}}"#,
    ));
    stand_in.push_fault(json_answer(
        r#"{"Response":{"TotalCount":5,"Zones":[],"RequestId":"r-2"}}"#,
    ));
    let mut items = client(&stand_in)
        .describe_zones()
        .into_paginator()
        .page_size(2)
        .items()
        .send();
    let mut seen = Vec::new();
    let mut failure = None;
    while let Some(item) = items.next().await {
        match item {
            Ok(zone) => seen.push(zone.zone_id.unwrap_or_default()),
            Err(e) => failure = Some(e),
        }
    }
    assert_eq!(seen, ["zone-a", "zone-b"]);
    let failure = failure.expect("the empty page is reported");
    assert!(matches!(failure, Error::Pagination(_)), "{failure:?}");
    assert_eq!(
        failure.to_string(),
        "DescribeZones: the page at offset 2 came back empty although the listing reports 5 items; \
         the offset cannot advance, so paging stopped"
    );
    assert_eq!(stand_in.requests().len(), 2, "no third call");
}

#[tokio::test]
async fn zones_are_found_by_name_through_the_paginator() {
    let stand_in = stand_in().await;
    for i in 0..150 {
        stand_in.add_zone(format!("site{i}.example"));
    }
    let wanted = stand_in.add_zone("example.com");
    let client = builder(&stand_in).rate_limit(RateLimit::Disabled).build().unwrap();

    let all = client
        .describe_zones()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 151);
    assert_eq!(pages_asked(&stand_in, "DescribeZones"), [(0, 100), (100, 100)]);

    let found = client
        .describe_zones()
        .filters(vec![filter("zone-name", &["example.com"])])
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = found.iter().filter_map(|z| z.zone_id.as_deref()).collect();
    assert_eq!(ids, [wanted.as_str()]);
}

/// An answer of HTTP 200 with this JSON body, in place of the stand-in's own.
fn json_answer(body: &str) -> Fault {
    Fault::HttpStatus {
        status: 200,
        content_type: "application/json".to_owned(),
        body: body.to_owned(),
    }
}
