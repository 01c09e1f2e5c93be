//! DescribeZones over the wire (paging, each filter, the Limit bounds) and the gateway key's
//! ModifyMultiPathGatewaySecretKey, which needs an existing key.

mod common;

use base64::Engine as _;
use common::{assert_all_verified, ok, refused, strings, KEY_A, ZONE};
use serde_json::json;
use teo_stand_in::StandIn;

const DESCRIBE: &str = "DescribeZones";

#[tokio::test]
async fn describe_zones_pages_in_creation_order_with_filters() {
    let stand_in = StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .zone("example.org")
        .start()
        .await
        .expect("starts");
    let third = stand_in.add_zone("shop.example.net");
    let fourth = stand_in.add_zone("other.io");
    assert!(third.starts_with("zone-") && third.len() == 17, "{third}");
    assert!(third[5..].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    stand_in.set_zone_type(&fourth, "partial").expect("known zone");
    stand_in.set_zone_status(&fourth, "pending").expect("known zone");
    let org = stand_in.zone_id("example.org").expect("registered by the builder");

    let all = ok(&stand_in, DESCRIBE, json!({})).await;
    assert_eq!(all["TotalCount"], 4);
    assert_eq!(
        strings(&all["Zones"], "ZoneId"),
        [ZONE, org.as_str(), third.as_str(), fourth.as_str()]
    );
    let first = &all["Zones"][0];
    assert_eq!(first["ZoneName"], "example.com");
    assert_eq!(
        (first["Type"].as_str(), first["Status"].as_str()),
        (Some("full"), Some("active"))
    );
    assert_eq!(first["IsFake"], 0, "integers are JSON numbers");
    assert_eq!(first["Paused"], false);
    assert!(first["NSDetail"]["NameServers"].is_array());
    assert!(first["CreatedOn"].as_str().is_some_and(|time| time.ends_with('Z')));
    assert_eq!(all["Zones"][3]["CNAMEDetail"]["IsFake"], 0);

    let page = ok(&stand_in, DESCRIBE, json!({"Offset": 1, "Limit": 2})).await;
    assert_eq!(page["TotalCount"], 4, "TotalCount counts every match, not the page");
    assert_eq!(strings(&page["Zones"], "ZoneId"), [org.as_str(), third.as_str()]);
    let past_the_end = ok(&stand_in, DESCRIBE, json!({"Offset": 9})).await;
    assert_eq!(
        (
            past_the_end["TotalCount"].as_u64(),
            past_the_end["Zones"].as_array().map(Vec::len)
        ),
        (Some(4), Some(0))
    );

    for (filter, expected) in [
        (
            json!({"Name": "zone-name", "Values": ["example.org"]}),
            vec![org.clone()],
        ),
        (
            json!({"Name": "zone-name", "Values": ["EXAMPLE"], "Fuzzy": true}),
            vec![ZONE.to_owned(), org.clone(), third.clone()],
        ),
        (json!({"Name": "zone-name", "Values": ["example"]}), vec![]),
        (
            json!({"Name": "zone-id", "Values": [third.clone(), fourth.clone()]}),
            vec![third.clone(), fourth.clone()],
        ),
        (json!({"Name": "status", "Values": ["pending"]}), vec![fourth.clone()]),
        (
            json!({"Name": "zone-type", "Values": ["full"]}),
            vec![ZONE.to_owned(), org.clone(), third.clone()],
        ),
        (json!({"Name": "tag-key", "Values": ["env"]}), vec![]),
    ] {
        let answer = ok(
            &stand_in,
            DESCRIBE,
            json!({"Filters": [filter.clone()], "Order": "zone-name", "Direction": "asc"}),
        )
        .await;
        assert_eq!(strings(&answer["Zones"], "ZoneId"), expected, "{filter}");
        assert_eq!(answer["TotalCount"], expected.len(), "{filter}");
    }
    let both = json!({"Filters": [
        {"Name": "zone-type", "Values": ["full"]},
        {"Name": "zone-name", "Values": ["org"], "Fuzzy": true},
    ]});
    assert_eq!(
        strings(&ok(&stand_in, DESCRIBE, both).await["Zones"], "ZoneId"),
        [org.as_str()]
    );
    assert_eq!(stand_in.zones().len(), 4);
    assert_eq!(
        stand_in.zone(&fourth).map(|zone| zone.zone_type),
        Some("partial".to_owned())
    );
    assert_all_verified(&stand_in);
}

#[tokio::test]
async fn describe_zones_refuses_a_limit_outside_one_to_100() {
    let stand_in = StandIn::builder().zone("example.com").start().await.expect("starts");
    let (code, message) = refused(&stand_in, DESCRIBE, json!({"Limit": 101})).await;
    assert_eq!(code, "InvalidParameterValue");
    assert!(message.contains("Limit") && message.contains("100"), "{message}");
    assert_eq!(ok(&stand_in, DESCRIBE, json!({"Limit": 100})).await["TotalCount"], 1);
    for (body, expected) in [
        (json!({"Limit": 0}), "InvalidParameterValue"),
        (json!({"Offset": -1}), "InvalidParameterValue"),
        (json!({"Limit": "20"}), "InvalidParameter"),
        (json!({"Limit": 20.5}), "InvalidParameter"),
        (json!({"Filters": {"Name": "zone-id"}}), "InvalidParameter"),
        (json!({"Filters": [{"Values": ["x"]}]}), "MissingParameter"),
        (
            json!({"Filters": [{"Name": "color", "Values": ["x"]}]}),
            "InvalidFilter",
        ),
        (
            json!({"Filters": [{"Name": "zone-id", "Values": ["x"], "Exact": true}]}),
            "UnknownParameter",
        ),
        (json!({"ZoneId": ZONE}), "UnknownParameter"),
    ] {
        assert_eq!(refused(&stand_in, DESCRIBE, body.clone()).await.0, expected, "{body}");
    }
    let many: Vec<String> = (0..21).map(|n| format!("zone-{n}")).collect();
    let (code, _) = refused(
        &stand_in,
        DESCRIBE,
        json!({"Filters": [{"Name": "zone-id", "Values": many}]}),
    )
    .await;
    assert_eq!(code, "InvalidParameter.TooManyFilterValues");
}

#[tokio::test]
async fn modify_gateway_key_replaces_an_existing_key_only() {
    let stand_in = StandIn::start().await.expect("starts");
    let modify = "ModifyMultiPathGatewaySecretKey";
    let new_key = base64::engine::general_purpose::STANDARD.encode([9u8; 40]);
    let body = json!({"ZoneId": ZONE, "SecretKey": new_key});
    assert_eq!(refused(&stand_in, modify, body.clone()).await.0, "OperationDenied");
    assert_eq!(stand_in.zone_key(ZONE), None, "a refused Modify creates nothing");

    stand_in.set_zone_key(ZONE, KEY_A);
    let answer = ok(&stand_in, modify, body).await;
    assert_eq!(
        answer.as_object().map(|members| members.len()),
        Some(1),
        "only RequestId: {answer}"
    );
    assert_eq!(stand_in.zone_key(ZONE), Some(new_key.clone()));
    let described = ok(&stand_in, "DescribeMultiPathGatewaySecretKey", json!({"ZoneId": ZONE})).await;
    assert_eq!(described["SecretKey"], new_key.as_str());

    let short = base64::engine::general_purpose::STANDARD.encode([1u8; 31]);
    for (body, expected) in [
        (json!({"ZoneId": ZONE}), "MissingParameter"),
        (json!({"ZoneId": ZONE, "SecretKey": short}), "InvalidParameterValue"),
        (json!({"ZoneId": ZONE, "SecretKey": "%%%"}), "InvalidParameterValue"),
        (json!({"ZoneId": "site-1", "SecretKey": KEY_A}), "InvalidParameterValue"),
    ] {
        assert_eq!(refused(&stand_in, modify, body.clone()).await.0, expected, "{body}");
    }
    assert_eq!(stand_in.zone_key(ZONE), Some(new_key), "refusals keep the key");
    assert_all_verified(&stand_in);
}
