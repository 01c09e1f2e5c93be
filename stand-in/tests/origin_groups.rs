//! Origin groups over the wire: create, list (paging, filters, references), modify, delete, and
//! the refusals, among them deleting a group an acceleration domain uses.

mod common;

use common::{assert_all_verified, ok, refused, strings, ZONE};
use serde_json::{json, Value};
use teo_stand_in::StandIn;

const CREATE: &str = "CreateOriginGroup";
const DESCRIBE: &str = "DescribeOriginGroup";
const MODIFY: &str = "ModifyOriginGroup";
const DELETE: &str = "DeleteOriginGroup";

async fn stand_in() -> StandIn {
    StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .start()
        .await
        .expect("starts")
}

async fn create(stand_in: &StandIn, name: &str, group_type: &str, records: Value) -> String {
    let body = json!({"ZoneId": ZONE, "Name": name, "Type": group_type, "Records": records});
    let answer = ok(stand_in, CREATE, body).await;
    let id = answer["OriginGroupId"].as_str().expect("an OriginGroupId").to_owned();
    assert!(id.starts_with("origin-") && id.len() == 43, "{id}");
    id
}

#[tokio::test]
async fn origin_groups_walk_through() {
    let stand_in = stand_in().await;
    let web = create(
        &stand_in,
        "web",
        "GENERAL",
        json!([{"Record": "1.1.1.1", "Weight": 40}, {"Record": "origin.example.net"}]),
    )
    .await;
    let media = create(
        &stand_in,
        "media_store",
        "http",
        json!([{"Record": "b.cos.ap-guangzhou.myqcloud.com", "Type": "COS", "Private": true,
                "PrivateParameters": [{"Name": "SecretAccessKey", "Value": "group-secret"}]}]),
    )
    .await;
    let backup = create(&stand_in, "backup-1", "GENERAL", json!([{"Record": "9.9.9.9"}])).await;

    let answer = ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE})).await;
    assert_eq!(answer["TotalCount"], 3);
    assert_eq!(
        strings(&answer["OriginGroups"], "GroupId"),
        [&web, &media, &backup].map(String::as_str)
    );
    let first = &answer["OriginGroups"][0];
    assert_eq!(
        (first["Name"].as_str(), first["Type"].as_str()),
        (Some("web"), Some("GENERAL"))
    );
    assert_eq!(first["Records"][0]["Weight"], 40);
    assert_eq!(first["Records"][0]["Type"], "IP_DOMAIN");
    assert!(first["Records"][0]["RecordId"]
        .as_str()
        .is_some_and(|id| id.starts_with("record-")));
    assert_eq!(first["References"], json!([]));
    assert_eq!(answer["OriginGroups"][1]["Type"], "HTTP", "types are stored upper case");
    assert_eq!(answer["OriginGroups"][1]["Records"][0]["Private"], true);

    let page = ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Offset": 1, "Limit": 1})).await;
    assert_eq!(
        (page["TotalCount"].as_u64(), strings(&page["OriginGroups"], "GroupId")),
        (Some(3), vec![media.clone()])
    );
    for (filters, expected) in [
        (
            json!([{"Name": "origin-group-id", "Values": [backup.clone()]}]),
            vec![backup.clone()],
        ),
        (
            json!([{"Name": "origin-group-name", "Values": ["media_store"]}]),
            vec![media.clone()],
        ),
        (
            json!([{"Name": "origin-group-name", "Values": ["B"], "Fuzzy": true}]),
            vec![web.clone(), backup.clone()],
        ),
    ] {
        let answer = ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Filters": filters.clone()})).await;
        assert_eq!(strings(&answer["OriginGroups"], "GroupId"), expected, "{filters}");
    }

    // A domain pulling from `web`, with `backup` as its secondary group, shows as a reference.
    let origin = json!({"OriginType": "ORIGIN_GROUP", "Origin": web, "BackupOrigin": backup});
    ok(
        &stand_in,
        "CreateAccelerationDomain",
        json!({"ZoneId": ZONE, "DomainName": "www.example.com", "OriginInfo": origin}),
    )
    .await;
    let listed = ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE})).await;
    let reference = &listed["OriginGroups"][0]["References"][0];
    assert_eq!(
        (reference["InstanceType"].as_str(), reference["InstanceName"].as_str()),
        (Some("AccelerationDomain"), Some("www.example.com"))
    );
    assert_eq!(reference["ZoneName"], "example.com");
    assert_eq!(
        listed["OriginGroups"][2]["References"][0]["InstanceId"],
        "www.example.com"
    );
    let domains = ok(&stand_in, "DescribeAccelerationDomains", json!({"ZoneId": ZONE})).await;
    let detail = &domains["AccelerationDomains"][0]["OriginDetail"];
    assert_eq!(
        (
            detail["OriginGroupName"].as_str(),
            detail["BackOriginGroupName"].as_str()
        ),
        (Some("web"), Some("backup-1"))
    );

    // Modify overwrites what it sends; kept record ids survive.
    let kept_id = stand_in.origin_group(ZONE, &web).expect("exists").records[0]
        .record_id
        .clone();
    let modify = json!({"ZoneId": ZONE, "GroupId": web, "Name": "web-v2", "Records": [
        {"Record": "1.1.1.1", "RecordId": kept_id, "Weight": 60}, {"Record": "3.3.3.3"},
    ]});
    ok(&stand_in, MODIFY, modify).await;
    let group = stand_in.origin_group(ZONE, &web).expect("exists");
    assert_eq!(group.name, "web-v2");
    assert_eq!(
        group.records.iter().map(|r| r.record.as_str()).collect::<Vec<_>>(),
        ["1.1.1.1", "3.3.3.3"]
    );
    assert_eq!(
        (group.records[0].record_id.as_str(), group.records[0].weight),
        (kept_id.as_str(), Some(60))
    );
    ok(
        &stand_in,
        MODIFY,
        json!({"ZoneId": ZONE, "GroupId": media, "HostHeader": "media.example.com"}),
    )
    .await;
    assert_eq!(
        stand_in.origin_group(ZONE, &media).and_then(|group| group.host_header),
        Some("media.example.com".to_owned())
    );

    // Delete: refused while used, fine once the domain has another origin.
    let (code, message) = refused(&stand_in, DELETE, json!({"ZoneId": ZONE, "GroupId": web})).await;
    assert_eq!(code, "OperationDenied.OriginGroupAccelerationDomainUsed");
    assert!(message.contains("www.example.com"), "{message}");
    assert_eq!(
        refused(&stand_in, DELETE, json!({"ZoneId": ZONE, "GroupId": backup}))
            .await
            .0,
        "OperationDenied.OriginGroupAccelerationDomainUsed"
    );
    assert_eq!(stand_in.origin_groups(ZONE).len(), 3, "nothing deleted");
    let plain = json!({"OriginType": "IP_DOMAIN", "Origin": "1.1.1.1"});
    ok(
        &stand_in,
        "ModifyAccelerationDomain",
        json!({"ZoneId": ZONE, "DomainName": "www.example.com", "OriginInfo": plain}),
    )
    .await;
    ok(&stand_in, DELETE, json!({"ZoneId": ZONE, "GroupId": web})).await;
    ok(&stand_in, DELETE, json!({"ZoneId": ZONE, "GroupId": backup})).await;
    assert_eq!(
        strings(
            &ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE})).await["OriginGroups"],
            "GroupId"
        ),
        [media.as_str()]
    );
    let debug = format!("{:?}", stand_in.origin_groups(ZONE));
    assert!(!debug.contains("group-secret"), "{debug}");
    assert_all_verified(&stand_in);
}

#[tokio::test]
async fn a_group_used_from_another_zone_is_kept_too() {
    let stand_in = StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .zone_with_id("zone-second", "example.org")
        .start()
        .await
        .expect("starts");
    let shared = create(&stand_in, "shared", "HTTP", json!([{"Record": "1.1.1.1"}])).await;
    let origin = json!({"OriginType": "ORIGIN_GROUP", "Origin": format!("{shared}@{ZONE}")});
    ok(
        &stand_in,
        "CreateAccelerationDomain",
        json!({"ZoneId": "zone-second", "DomainName": "www.example.org", "OriginInfo": origin}),
    )
    .await;
    let (code, _) = refused(&stand_in, DELETE, json!({"ZoneId": ZONE, "GroupId": shared})).await;
    assert_eq!(code, "OperationDenied.OriginGroupAccelerationDomainUsed");
    let listed = ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE})).await;
    assert_eq!(listed["OriginGroups"][0]["References"][0]["ZoneId"], "zone-second");
}

#[tokio::test]
async fn origin_group_refusals_use_the_documented_codes() {
    let stand_in = stand_in().await;
    let group = create(&stand_in, "web", "GENERAL", json!([{"Record": "1.1.1.1"}])).await;
    let new = |body: Value| {
        let mut request = json!({"ZoneId": ZONE, "Type": "GENERAL", "Records": [{"Record": "2.2.2.2"}]});
        if let (Some(request), Some(extra)) = (request.as_object_mut(), body.as_object()) {
            request.extend(extra.clone());
        }
        request
    };
    for (action, body, expected) in [
        (CREATE, new(json!({"Name": "web"})), "InvalidParameter.OriginNameExists"),
        (CREATE, new(json!({"Name": "bad name!"})), "InvalidParameterValue"),
        (
            CREATE,
            new(json!({"Type": "L4"})),
            "InvalidParameter.InvalidOriginGroupType",
        ),
        (
            CREATE,
            json!({"ZoneId": ZONE, "Records": [{"Record": "2.2.2.2"}]}),
            "MissingParameter",
        ),
        (
            CREATE,
            new(json!({"Records": []})),
            "InvalidParameter.OriginRecordFormatError",
        ),
        (
            CREATE,
            new(json!({"Records": [{"Record": "b.cos.com", "Type": "COS"}]})),
            "InvalidParameter.OriginRecordFormatError",
        ),
        (
            CREATE,
            new(json!({"Records": [{"Record": "2.2.2.2", "Weight": 101}]})),
            "InvalidParameter.OriginRecordWeightValue",
        ),
        (
            CREATE,
            new(json!({"Records": [{"Record": "2.2.2.2", "Weight": -1}]})),
            "InvalidParameterValue",
        ),
        (
            CREATE,
            new(json!({"Records": [{"Record": "2.2.2.2", "PrivateParameters": [{"Name": "Token", "Value": "x"}]}]})),
            "InvalidParameter.OriginThirdPartyParamFormatError",
        ),
        (
            CREATE,
            new(json!({"HostHeader": "h.example.com"})),
            "InvalidParameter.HostHeaderInvalid",
        ),
        (CREATE, new(json!({"Records": [{"Weight": 1}]})), "MissingParameter"),
        (CREATE, new(json!({"Extra": true})), "UnknownParameter"),
        (CREATE, new(json!({"ZoneId": "zone-unknown1"})), "ResourceNotFound"),
        (DESCRIBE, json!({}), "MissingParameter"),
        (DESCRIBE, json!({"ZoneId": "zone-unknown1"}), "ResourceNotFound"),
        (DESCRIBE, json!({"ZoneId": ZONE, "Offset": -1}), "InvalidParameterValue"),
        (
            DESCRIBE,
            json!({"ZoneId": ZONE, "Filters": [{"Name": "origin-type", "Values": ["x"]}]}),
            "InvalidFilter",
        ),
        (
            MODIFY,
            json!({"ZoneId": ZONE, "GroupId": "origin-missing"}),
            "ResourceNotFound",
        ),
        (
            MODIFY,
            json!({"ZoneId": ZONE, "GroupId": group, "Type": "HTTP", "Records": [{"Record": ""}]}),
            "InvalidParameter.OriginRecordFormatError",
        ),
        (
            DELETE,
            json!({"ZoneId": ZONE, "GroupId": "origin-missing"}),
            "ResourceNotFound",
        ),
        (DELETE, json!({"ZoneId": ZONE}), "MissingParameter"),
    ] {
        assert_eq!(
            refused(&stand_in, action, body.clone()).await.0,
            expected,
            "{action} {body}"
        );
    }
    let groups = stand_in.origin_groups(ZONE);
    assert_eq!(groups.len(), 1);
    assert_eq!(
        (groups[0].name.as_str(), groups[0].records[0].record.as_str()),
        ("web", "1.1.1.1")
    );
    let second = create(&stand_in, "api", "GENERAL", json!([{"Record": "4.4.4.4"}])).await;
    let rename = json!({"ZoneId": ZONE, "GroupId": second, "Name": "web"});
    assert_eq!(
        refused(&stand_in, MODIFY, rename).await.0,
        "InvalidParameter.OriginNameExists"
    );
    ok(
        &stand_in,
        MODIFY,
        json!({"ZoneId": ZONE, "GroupId": group, "Name": "web"}),
    )
    .await;
}

#[tokio::test]
async fn describe_origin_group_refuses_a_limit_above_1000() {
    let stand_in = stand_in().await;
    create(&stand_in, "web", "GENERAL", json!([{"Record": "1.1.1.1"}])).await;
    let (code, message) = refused(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Limit": 1001})).await;
    assert_eq!(code, "InvalidParameterValue");
    assert!(message.contains("Limit") && message.contains("1000"), "{message}");
    assert_eq!(
        refused(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Limit": 0}))
            .await
            .0,
        "InvalidParameterValue"
    );
    assert_eq!(
        ok(&stand_in, DESCRIBE, json!({"ZoneId": ZONE, "Limit": 1000})).await["TotalCount"],
        1
    );
}
