//! DNS records over the wire: create, list (paging, filters, Match), modify, enable/disable and
//! delete, the refusals (duplicates, bad content, unknown ids, unknown zone, Limit above 1000),
//! and bulk seeding paged through 1000 at a time.

mod common;

use std::time::{Duration, Instant};

use common::{assert_all_verified, ok, refused, strings, ZONE};
use serde_json::{json, Value};
use teo_stand_in::StandIn;

const CREATE: &str = "CreateDnsRecord";
const DESCRIBE: &str = "DescribeDnsRecords";
const MODIFY: &str = "ModifyDnsRecords";
const STATUS: &str = "ModifyDnsRecordsStatus";
const DELETE: &str = "DeleteDnsRecords";

async fn stand_in() -> StandIn {
    StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .start()
        .await
        .expect("starts")
}

async fn create(stand_in: &StandIn, body: Value) -> String {
    let answer = ok(stand_in, CREATE, body).await;
    let id = answer["RecordId"].as_str().expect("a RecordId").to_owned();
    assert!(id.starts_with("record-") && id.len() == 19, "{id}");
    id
}

async fn list(stand_in: &StandIn, body: Value) -> (u64, Vec<String>) {
    let answer = ok(stand_in, DESCRIBE, body).await;
    (
        answer["TotalCount"].as_u64().expect("a count"),
        strings(&answer["DnsRecords"], "RecordId"),
    )
}

#[tokio::test]
async fn dns_records_walk_through_create_list_modify_status_delete() {
    let stand_in = stand_in().await;
    let www = create(
        &stand_in,
        json!({"ZoneId": ZONE, "Name": "www.example.com", "Type": "A", "Content": "1.2.3.4", "TTL": 60}),
    )
    .await;
    let api = create(
        &stand_in,
        json!({"ZoneId": ZONE, "Name": "api.example.com", "Type": "CNAME", "Content": "lb.example.net"}),
    )
    .await;
    let mail = create(
        &stand_in,
        json!({"ZoneId": ZONE, "Name": "example.com", "Type": "mx", "Content": "mx.example.com", "Priority": 10}),
    )
    .await;
    let www6 = create(
        &stand_in,
        json!({"ZoneId": ZONE, "Name": "www.example.com", "Type": "AAAA", "Content": "2001:db8::1", "Weight": 40}),
    )
    .await;

    let answer = ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE})).await;
    assert_eq!(answer["TotalCount"], 4);
    assert_eq!(
        strings(&answer["DnsRecords"], "RecordId"),
        [&www, &api, &mail, &www6].map(String::as_str)
    );
    let first = &answer["DnsRecords"][0];
    assert_eq!(first["ZoneId"], ZONE);
    assert_eq!(
        (first["Name"].as_str(), first["Type"].as_str()),
        (Some("www.example.com"), Some("A"))
    );
    assert_eq!(
        (
            first["TTL"].as_i64(),
            first["Weight"].as_i64(),
            first["Priority"].as_i64()
        ),
        (Some(60), Some(-1), Some(0))
    );
    assert_eq!(
        (first["Location"].as_str(), first["Status"].as_str()),
        (Some("Default"), Some("enable"))
    );
    assert!(first["CreatedOn"].as_str().is_some_and(|time| time.len() == 20));
    assert_eq!(answer["DnsRecords"][2]["Type"], "MX", "types are stored upper case");
    assert_eq!(answer["DnsRecords"][1]["TTL"], 300, "the default TTL");

    // Paging and filters.
    assert_eq!(
        list(&stand_in, json!({"ZoneId": ZONE, "Offset": 1, "Limit": 2})).await,
        (4, vec![api.clone(), mail.clone()])
    );
    let filtered = |filters: Value| json!({"ZoneId": ZONE, "Filters": filters});
    for (filters, expected) in [
        (
            json!([{"Name": "name", "Values": ["www.example.com"]}]),
            vec![&www, &www6],
        ),
        (
            json!([{"Name": "name", "Values": ["WWW"], "Fuzzy": true}]),
            vec![&www, &www6],
        ),
        (json!([{"Name": "type", "Values": ["cname", "MX"]}]), vec![&api, &mail]),
        (
            json!([{"Name": "content", "Values": ["example"], "Fuzzy": true}]),
            vec![&api, &mail],
        ),
        (json!([{"Name": "ttl", "Values": ["60"]}]), vec![&www]),
        (json!([{"Name": "id", "Values": [mail.clone()]}]), vec![&mail]),
        (
            json!([{"Name": "name", "Values": ["www.example.com"]}, {"Name": "type", "Values": ["AAAA"]}]),
            vec![&www6],
        ),
    ] {
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(
            list(&stand_in, filtered(filters.clone())).await,
            (expected.len() as u64, expected),
            "{filters}"
        );
    }
    let any = json!({"ZoneId": ZONE, "Match": "any", "SortBy": "name", "SortOrder": "desc", "Filters": [
        {"Name": "ttl", "Values": ["60"]}, {"Name": "type", "Values": ["MX"]},
    ]});
    assert_eq!(list(&stand_in, any).await, (2, vec![www.clone(), mail.clone()]));

    // Modify two records at once; output-only members are ignored.
    let modified = json!({"ZoneId": ZONE, "DnsRecords": [
        {"RecordId": www, "Content": "5.6.7.8", "TTL": 600, "Status": "disable", "ZoneId": "zone-ignored"},
        {"RecordId": api, "Name": "cdn.example.com"},
    ]});
    ok(&stand_in, MODIFY, modified).await;
    let records = stand_in.dns_records(ZONE);
    assert_eq!(
        (records[0].content.as_str(), records[0].ttl, records[0].status.as_str()),
        ("5.6.7.8", 600, "enable")
    );
    assert_eq!(
        (records[1].name.as_str(), records[1].content.as_str()),
        ("cdn.example.com", "lb.example.net")
    );

    // Disable and enable.
    ok(
        &stand_in,
        STATUS,
        json!({"ZoneId": ZONE, "RecordsToDisable": [www, mail]}),
    )
    .await;
    let disabled = filtered(json!([{"Name": "id", "Values": [www.clone(), mail.clone(), api.clone()]}]));
    let answer = ok(&stand_in, DESCRIBE, disabled).await;
    let statuses: Vec<&str> = answer["DnsRecords"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["Status"].as_str())
        .collect();
    assert_eq!(statuses, ["disable", "enable", "disable"]);
    ok(
        &stand_in,
        STATUS,
        json!({"ZoneId": ZONE, "RecordsToEnable": [mail], "RecordsToDisable": [api]}),
    )
    .await;
    let now: Vec<String> = stand_in.dns_records(ZONE).into_iter().map(|r| r.status).collect();
    assert_eq!(now, ["disable", "disable", "enable", "enable"]);

    // Delete.
    ok(&stand_in, DELETE, json!({"ZoneId": ZONE, "RecordIds": [api, www6]})).await;
    assert_eq!(
        list(&stand_in, json!({"ZoneId": ZONE})).await,
        (2, vec![www.clone(), mail.clone()])
    );
    assert_all_verified(&stand_in);
}

#[tokio::test]
async fn dns_refusals_change_nothing() {
    let stand_in = stand_in().await;
    let www = create(
        &stand_in,
        json!({"ZoneId": ZONE, "Name": "www.example.com", "Type": "A", "Content": "1.2.3.4"}),
    )
    .await;
    let other = create(
        &stand_in,
        json!({"ZoneId": ZONE, "Name": "www.example.com", "Type": "A", "Content": "1.2.3.5"}),
    )
    .await;
    let before = stand_in.dns_records(ZONE);
    let record = |name: &str, record_type: &str, content: &str| json!({"ZoneId": ZONE, "Name": name, "Type": record_type, "Content": content});
    for (action, body, expected) in [
        (
            CREATE,
            record("www.example.com", "A", "1.2.3.4"),
            "InvalidParameterValue.ConflictRecord",
        ),
        (
            CREATE,
            record("www.example.org", "A", "1.2.3.4"),
            "InvalidParameterValue.InvalidDNSName",
        ),
        (
            CREATE,
            record("www.example.com", "A", "1.2.3"),
            "InvalidParameterValue.InvalidDNSContent",
        ),
        (
            CREATE,
            record("www.example.com", "AAAA", "1.2.3.4"),
            "InvalidParameterValue.InvalidDNSContent",
        ),
        (
            CREATE,
            record("a.example.com", "CNAME", "a.example.com"),
            "InvalidParameterValue.ContentSameAsName",
        ),
        (CREATE, record("www.example.com", "PTR", "x"), "InvalidParameterValue"),
        (
            CREATE,
            json!({"ZoneId": ZONE, "Name": "a.example.com", "Type": "A", "Content": "1.1.1.1", "TTL": 59}),
            "InvalidParameterValue",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "Name": "a.example.com", "Type": "A", "Content": "1.1.1.1", "Weight": 101}),
            "InvalidParameterValue",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "Name": "a.example.com", "Type": "A"}),
            "MissingParameter",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "Name": "a.example.com", "Type": "A", "Content": "1.1.1.1", "TTL": "600"}),
            "InvalidParameter",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "Name": "a.example.com", "Type": "A", "Content": "1.1.1.1", "Proxied": true}),
            "UnknownParameter",
        ),
        (
            CREATE,
            json!({"ZoneId": "zone-unknown1", "Name": "a.example.com", "Type": "A", "Content": "1.1.1.1"}),
            "ResourceNotFound",
        ),
        (DESCRIBE, json!({"ZoneId": "zone-unknown1"}), "ResourceNotFound"),
        (
            DESCRIBE,
            json!({"ZoneId": ZONE, "Match": "most"}),
            "InvalidParameterValue",
        ),
        (
            DESCRIBE,
            json!({"ZoneId": ZONE, "Filters": [{"Name": "location", "Values": ["x"]}]}),
            "InvalidFilter",
        ),
        (
            MODIFY,
            json!({"ZoneId": ZONE, "DnsRecords": [{"Content": "9.9.9.9"}]}),
            "MissingParameter",
        ),
        (
            MODIFY,
            json!({"ZoneId": ZONE, "DnsRecords": [{"RecordId": "record-nosuchrecord"}]}),
            "ResourceNotFound",
        ),
        (
            MODIFY,
            json!({"ZoneId": ZONE, "DnsRecords": [{"RecordId": www, "Content": "1.2.3.5"}, {"RecordId": other, "TTL": 600}]}),
            "InvalidParameterValue.ConflictRecord",
        ),
        (
            MODIFY,
            json!({"ZoneId": ZONE, "DnsRecords": [{"RecordId": www, "TTL": 90000}]}),
            "InvalidParameterValue",
        ),
        (
            MODIFY,
            json!({"ZoneId": ZONE, "DnsRecords": [{"RecordId": www, "Bogus": 1}]}),
            "UnknownParameter",
        ),
        (
            STATUS,
            json!({"ZoneId": ZONE, "RecordsToEnable": [www], "RecordsToDisable": [www]}),
            "InvalidParameterValue",
        ),
        (
            STATUS,
            json!({"ZoneId": ZONE, "RecordsToDisable": [www, "record-nosuchrecord"]}),
            "ResourceNotFound",
        ),
        (
            DELETE,
            json!({"ZoneId": ZONE, "RecordIds": [www, "record-nosuchrecord"]}),
            "ResourceNotFound",
        ),
        (
            DELETE,
            json!({"ZoneId": ZONE, "RecordIds": []}),
            "InvalidParameterValue",
        ),
        (DELETE, json!({"ZoneId": ZONE}), "MissingParameter"),
    ] {
        assert_eq!(
            refused(&stand_in, action, body.clone()).await.0,
            expected,
            "{action} {body}"
        );
    }
    assert_eq!(
        stand_in.dns_records(ZONE),
        before,
        "every refusal left the records alone"
    );
    let too_many: Vec<Value> = (0..101).map(|_| json!({"RecordId": www})).collect();
    assert_eq!(
        refused(&stand_in, MODIFY, json!({"ZoneId": ZONE, "DnsRecords": too_many}))
            .await
            .0,
        "InvalidParameterValue"
    );
    let swap = json!({"ZoneId": ZONE, "DnsRecords": [{"RecordId": www, "Content": "1.2.3.5"}, {"RecordId": other, "Content": "1.2.3.4"}]});
    ok(&stand_in, MODIFY, swap).await;
    let contents: Vec<String> = stand_in.dns_records(ZONE).into_iter().map(|r| r.content).collect();
    assert_eq!(
        contents,
        ["1.2.3.5", "1.2.3.4"],
        "two records may swap contents in one request"
    );
}

#[tokio::test]
async fn describe_dns_records_refuses_a_limit_above_1000() {
    let stand_in = stand_in().await;
    let (code, message) = refused(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Limit": 1001})).await;
    assert_eq!(code, "InvalidParameterValue");
    assert!(message.contains("Limit") && message.contains("1000"), "{message}");
    assert_eq!(
        refused(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Offset": -5}))
            .await
            .0,
        "InvalidParameterValue"
    );
    assert_eq!(
        list(&stand_in, json!({"ZoneId": ZONE, "Limit": 1000})).await,
        (0, vec![])
    );
}

#[tokio::test]
async fn ten_thousand_seeded_records_page_through_in_creation_order() {
    let stand_in = stand_in().await;
    let started = Instant::now();
    let seeded = stand_in.add_dns_records(ZONE, 10_000).expect("the zone exists");
    assert_eq!(seeded.len(), 10_000);
    let mut listed = Vec::new();
    let mut offset = 0;
    loop {
        let (total, page) = list(&stand_in, json!({"ZoneId": ZONE, "Offset": offset, "Limit": 1000})).await;
        assert_eq!(total, 10_000);
        if page.is_empty() {
            break;
        }
        offset += page.len();
        listed.extend(page);
    }
    assert_eq!(listed, seeded);
    // Generous even for a debug build on a busy machine; a quadratic listing takes far longer.
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
    let records = stand_in.dns_records(ZONE);
    assert!(records[42].name.ends_with(".example.com") && records[42].record_type == "A");
    assert!(stand_in.add_dns_records("zone-nosuchzone", 1).is_err());
}
