//! The workflows people automate against EdgeOne, end to end through the generated client and
//! the stand-in: ACME DNS-01 (zone by name, TXT record, list, delete), certificates bound to
//! hosts, and acceleration domains with origin groups. Every request is signature-checked.

mod common;

use common::{client, filter, stand_in};
use generated_client::models::{OriginInfo, OriginRecord, ServerCertInfo};
use generated_client::Error;
use teo_stand_in::StandIn;

fn all_signed(stand_in: &StandIn) {
    let requests = stand_in.requests();
    assert!(!requests.is_empty());
    for r in requests {
        assert!(r.verification.passed(), "{:?}: {:?}", r.action, r.verification);
    }
}

#[tokio::test]
async fn acme_dns01_record_is_added_found_and_removed() {
    let stand_in = stand_in().await;
    stand_in.add_zone("other.example");
    let zone = stand_in.add_zone("example.com");
    stand_in.add_dns_records(&zone, 30).unwrap();
    let client = client(&stand_in);

    let zones = client
        .describe_zones()
        .filters(vec![filter("zone-name", &["example.com"])])
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0].zone_id.as_deref(), Some(zone.as_str()));

    let created = client
        .create_dns_record()
        .zone_id(&zone)
        .name("_acme-challenge.example.com")
        .r#type("TXT")
        .content("gfj9Xq...Rg85nM")
        .ttl(60)
        .send()
        .await
        .unwrap();
    let record_id = created.record_id.clone().unwrap();

    let found = client
        .describe_dns_records()
        .zone_id(&zone)
        .filters(vec![
            filter("name", &["_acme-challenge.example.com"]),
            filter("type", &["TXT"]),
        ])
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].record_id.as_deref(), Some(record_id.as_str()));
    assert_eq!(found[0].content.as_deref(), Some("gfj9Xq...Rg85nM"));
    assert_eq!(found[0].ttl, Some(60));
    assert_eq!(stand_in.dns_records(&zone).len(), 31);

    client
        .delete_dns_records()
        .zone_id(&zone)
        .record_ids(vec![record_id.clone()])
        .send()
        .await
        .unwrap();
    assert_eq!(stand_in.dns_records(&zone).len(), 30);
    assert!(stand_in.dns_records(&zone).iter().all(|r| r.record_id != record_id));
    all_signed(&stand_in);
}

#[tokio::test]
async fn dns_records_are_modified_and_disabled() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    let client = client(&stand_in);
    let id = client
        .create_dns_record()
        .zone_id(&zone)
        .name("home.example.com")
        .r#type("A")
        .content("192.0.2.10")
        .send()
        .await
        .unwrap()
        .record_id
        .unwrap();

    // Dynamic DNS: the address changes.
    let listed = client.describe_dns_records().zone_id(&zone).send().await.unwrap();
    let mut record = listed.dns_records()[0].clone();
    record.content = Some("198.51.100.7".to_owned());
    client
        .modify_dns_records()
        .zone_id(&zone)
        .dns_records(vec![record])
        .send()
        .await
        .unwrap();
    client
        .modify_dns_records_status()
        .zone_id(&zone)
        .records_to_disable(vec![id.clone()])
        .send()
        .await
        .unwrap();

    let now = &stand_in.dns_records(&zone)[0];
    assert_eq!(now.content, "198.51.100.7");
    assert_eq!(now.status, "disable");
}

#[tokio::test]
async fn rules_the_spec_states_are_checked_before_sending() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    let client = client(&stand_in);
    let error = client
        .create_dns_record()
        .zone_id(&zone)
        .name("x.example.com")
        .r#type("txt")
        .content("v")
        .ttl(30)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Validation(_)));
    // `Type` is an enum (`DnsRecordType`): a value it does not list ("txt") is the service's to
    // judge, so only the TTL's range is checked here.
    assert_eq!(
        error.to_string(),
        "invalid CreateDnsRecord: TTL: must be between 60 and 86400; the request was not sent"
    );
    let error = client
        .delete_dns_records()
        .zone_id(&zone)
        .record_ids((0..1001).map(|i| format!("record-{i}")).collect::<Vec<_>>())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid DeleteDnsRecords: RecordIds: must have at most 1000 entries, got 1001; the request was not sent"
    );
    assert!(stand_in.requests().is_empty());
}

#[tokio::test]
async fn a_certificate_bound_to_hosts_shows_in_the_domain_listing() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    let client = client(&stand_in);
    for host in ["www.example.com", "api.example.com"] {
        client
            .create_acceleration_domain()
            .zone_id(&zone)
            .domain_name(host)
            .origin_info(
                OriginInfo::builder()
                    .origin_type("IP_DOMAIN")
                    .origin("origin.example.net")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }

    client
        .modify_hosts_certificate()
        .zone_id(&zone)
        .hosts(vec!["www.example.com".to_owned(), "api.example.com".to_owned()])
        .mode("sslcert")
        .server_cert_info(vec![ServerCertInfo::builder()
            .cert_id("teo-cert-1a2b3c")
            .build()
            .unwrap()])
        .send()
        .await
        .unwrap();

    assert_eq!(
        stand_in.host_certificates(&zone, "www.example.com"),
        ["teo-cert-1a2b3c"]
    );
    let domains = client
        .describe_acceleration_domains()
        .zone_id(&zone)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(domains.len(), 2);
    for domain in &domains {
        let certificate = domain.certificate.as_ref().expect("a certificate block");
        assert_eq!(certificate.mode.as_ref().map(|m| m.as_str()), Some("sslcert"));
        let ids: Vec<_> = certificate.list().iter().filter_map(|c| c.cert_id.as_deref()).collect();
        assert_eq!(ids, ["teo-cert-1a2b3c"], "{:?}", domain.domain_name);
    }

    // A host that is not a domain of the zone is refused by the service.
    let error = client
        .modify_hosts_certificate()
        .zone_id(&zone)
        .hosts(vec!["nope.example.com".to_owned()])
        .mode("sslcert")
        .server_cert_info(vec![ServerCertInfo::builder()
            .cert_id("teo-cert-1a2b3c")
            .build()
            .unwrap()])
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("ResourceUnavailable.HostNotFound"));
    all_signed(&stand_in);
}

#[tokio::test]
async fn domains_served_by_an_origin_group_walk_through_their_lifecycle() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    let client = client(&stand_in);

    let group = client
        .create_origin_group()
        .zone_id(&zone)
        .name("web-origins")
        .r#type("GENERAL")
        .records(vec![
            OriginRecord::builder()
                .record("192.0.2.1")
                .r#type("IP_DOMAIN")
                .weight(50_u64)
                .build()
                .unwrap(),
            OriginRecord::builder()
                .record("192.0.2.2")
                .r#type("IP_DOMAIN")
                .weight(50_u64)
                .build()
                .unwrap(),
        ])
        .send()
        .await
        .unwrap()
        .origin_group_id
        .unwrap();
    client
        .create_acceleration_domain()
        .zone_id(&zone)
        .domain_name("www.example.com")
        .origin_info(
            OriginInfo::builder()
                .origin_type("ORIGIN_GROUP")
                .origin(&group)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    // The group is in use: it cannot go.
    let error = client
        .delete_origin_group()
        .zone_id(&zone)
        .group_id(&group)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("OperationDenied.OriginGroupAccelerationDomainUsed"));

    let groups = client
        .describe_origin_group()
        .zone_id(&zone)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].records().len(), 2);
    assert_eq!(groups[0].references().len(), 1, "the domain refers to it");

    // An online domain is deleted only once offline (or forced).
    let error = client
        .delete_acceleration_domains()
        .zone_id(&zone)
        .domain_names(vec!["www.example.com".to_owned()])
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("InvalidParameterValue.InvalidDomainStatus"));
    client
        .modify_acceleration_domain_statuses()
        .zone_id(&zone)
        .domain_names(vec!["www.example.com".to_owned()])
        .status("offline")
        .send()
        .await
        .unwrap();
    client
        .delete_acceleration_domains()
        .zone_id(&zone)
        .domain_names(vec!["www.example.com".to_owned()])
        .send()
        .await
        .unwrap();
    client
        .delete_origin_group()
        .zone_id(&zone)
        .group_id(&group)
        .send()
        .await
        .unwrap();
    assert!(stand_in.acceleration_domains(&zone).is_empty());
    assert!(stand_in.origin_groups(&zone).is_empty());
    all_signed(&stand_in);
}

#[tokio::test]
async fn an_unknown_zone_is_reported_by_the_service() {
    let stand_in = stand_in().await;
    let error = client(&stand_in)
        .describe_dns_records()
        .zone_id("zone-000000000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("ResourceNotFound"));
}
