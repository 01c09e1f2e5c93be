//! Every zone-resource action is signature-checked like the gateway-key ones: a request signed
//! with the wrong key, or an expired one, is refused before the action runs and changes nothing.

mod common;

use common::{error_code, Call, ZONE};
use serde_json::json;
use teo_stand_in::{Outcome, StandIn};

/// One request per served zone-resource action, each of which would succeed if signed correctly.
fn one_per_action() -> Vec<(&'static str, serde_json::Value)> {
    let origin = json!({"OriginType": "IP_DOMAIN", "Origin": "1.1.1.1"});
    vec![
        ("DescribeZones", json!({})),
        (
            "ModifyMultiPathGatewaySecretKey",
            json!({"ZoneId": ZONE, "SecretKey": common::KEY_A}),
        ),
        (
            "CreateDnsRecord",
            json!({"ZoneId": ZONE, "Name": "a.example.com", "Type": "A", "Content": "1.1.1.1"}),
        ),
        ("DescribeDnsRecords", json!({"ZoneId": ZONE})),
        ("ModifyDnsRecords", json!({"ZoneId": ZONE, "DnsRecords": []})),
        ("ModifyDnsRecordsStatus", json!({"ZoneId": ZONE})),
        ("DeleteDnsRecords", json!({"ZoneId": ZONE, "RecordIds": ["record-x"]})),
        ("CreatePurgeTask", json!({"ZoneId": ZONE, "Type": "purge_all"})),
        ("DescribePurgeTasks", json!({"ZoneId": ZONE})),
        (
            "CreatePrefetchTask",
            json!({"ZoneId": ZONE, "Targets": ["https://example.com/a"]}),
        ),
        ("DescribePrefetchTasks", json!({"ZoneId": ZONE})),
        ("DescribeContentQuota", json!({"ZoneId": ZONE})),
        (
            "ModifyHostsCertificate",
            json!({"ZoneId": ZONE, "Hosts": ["www.example.com"], "Mode": "disable"}),
        ),
        (
            "CreateAccelerationDomain",
            json!({"ZoneId": ZONE, "DomainName": "a.example.com", "OriginInfo": origin}),
        ),
        ("DescribeAccelerationDomains", json!({"ZoneId": ZONE})),
        (
            "ModifyAccelerationDomain",
            json!({"ZoneId": ZONE, "DomainName": "www.example.com"}),
        ),
        (
            "ModifyAccelerationDomainStatuses",
            json!({"ZoneId": ZONE, "DomainNames": ["www.example.com"], "Status": "offline"}),
        ),
        (
            "DeleteAccelerationDomains",
            json!({"ZoneId": ZONE, "DomainNames": ["www.example.com"], "Force": true}),
        ),
        (
            "CreateOriginGroup",
            json!({"ZoneId": ZONE, "Type": "GENERAL", "Records": [{"Record": "1.1.1.1"}]}),
        ),
        ("DescribeOriginGroup", json!({"ZoneId": ZONE})),
        ("ModifyOriginGroup", json!({"ZoneId": ZONE, "GroupId": "origin-x"})),
        ("DeleteOriginGroup", json!({"ZoneId": ZONE, "GroupId": "origin-x"})),
    ]
}

#[tokio::test]
async fn badly_signed_requests_never_reach_the_actions() {
    let stand_in = StandIn::builder()
        .zone_with_id(ZONE, "example.com")
        .zone_key(ZONE, common::KEY_A)
        .start()
        .await
        .expect("starts");
    common::ok(
        &stand_in,
        "CreateAccelerationDomain",
        json!({"ZoneId": ZONE, "DomainName": "www.example.com", "OriginInfo": {"OriginType": "IP_DOMAIN", "Origin": "1.1.1.1"}}),
    )
    .await;
    stand_in.clear_requests();
    let client = common::client();
    for (action, body) in one_per_action() {
        let mut wrong_key = Call::new(&stand_in, action, &body.to_string());
        wrong_key.secret_key = "not-the-key".to_owned();
        let answer = wrong_key.answer(&client, &stand_in).await;
        assert_eq!(error_code(&answer), Some("AuthFailure.SignatureFailure"), "{action}");
        let mut stale = Call::new(&stand_in, action, &body.to_string());
        stale.timestamp = Some((stand_in.server_time() - 3_600).to_string());
        let answer = stale.answer(&client, &stand_in).await;
        assert_eq!(error_code(&answer), Some("AuthFailure.SignatureExpire"), "{action}");
    }
    let requests = stand_in.requests();
    assert_eq!(requests.len(), 44);
    assert!(requests.iter().all(|request| !request.verification.passed()
        && matches!(&request.outcome, Outcome::ApiError { code } if code.starts_with("AuthFailure."))));
    assert!(
        stand_in.dns_records(ZONE).is_empty()
            && stand_in.tasks(ZONE).is_empty()
            && stand_in.origin_groups(ZONE).is_empty()
    );
    let domains = stand_in.acceleration_domains(ZONE);
    assert_eq!((domains.len(), domains[0].status.as_str()), (1, "online"));
    assert_eq!(stand_in.zone_key(ZONE).as_deref(), Some(common::KEY_A));

    // The same requests, signed correctly, all succeed.
    for (action, body) in one_per_action() {
        if matches!(action, "ModifyOriginGroup" | "DeleteOriginGroup" | "DeleteDnsRecords") {
            continue; // They name resources that do not exist.
        }
        common::ok(&stand_in, action, body).await;
    }
}
