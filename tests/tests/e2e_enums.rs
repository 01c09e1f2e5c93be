//! Named enumerations end to end against the stand-in: a variant or a string goes out as the
//! wire string, answers come back typed, a value the spec does not list is sent (the service
//! decides) and one the service sends is kept as sent. A status the spec does not list reaching
//! a waiter is in `e2e_waiters`.

mod common;

use common::{client, stand_in};
use generated_client::models::{CompressionAlgorithm, DnsRecord, DnsRecordType, SortDirection, Switch, TimingL4Metric};
use generated_client::runtime::wire::{self, Decoding};
use serde_json::{json, Value};
use teo_stand_in::StandIn;

/// The JSON body of the last request of `action`.
fn body_of(stand_in: &StandIn, action: &str) -> Value {
    let request = stand_in
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.action.as_deref() == Some(action))
        .unwrap_or_else(|| panic!("no {action} request"));
    serde_json::from_slice(&request.body).unwrap()
}

#[tokio::test]
async fn a_variant_or_a_string_is_sent_as_the_wire_value_and_read_back_typed() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    let client = client(&stand_in);

    client
        .create_dns_record()
        .zone_id(&zone)
        .name("_check.example.com")
        .r#type(DnsRecordType::Txt)
        .content("token-1")
        .send()
        .await
        .unwrap();
    assert_eq!(body_of(&stand_in, "CreateDnsRecord")["Type"], json!("TXT"));
    // A string still works, through `From<&str>`.
    client
        .create_dns_record()
        .zone_id(&zone)
        .name("v4.example.com")
        .r#type("AAAA")
        .content("2001:db8::1")
        .send()
        .await
        .unwrap();
    assert_eq!(body_of(&stand_in, "CreateDnsRecord")["Type"], json!("AAAA"));

    let listed = client
        .describe_dns_records()
        .zone_id(&zone)
        .sort_order(SortDirection::Desc)
        .send()
        .await
        .unwrap();
    assert_eq!(body_of(&stand_in, "DescribeDnsRecords")["SortOrder"], json!("desc"));
    let type_of = |name: &str| {
        listed
            .dns_records()
            .iter()
            .find(|r| r.name.as_deref() == Some(name))
            .and_then(|r| r.r#type.clone())
    };
    assert_eq!(type_of("_check.example.com"), Some(DnsRecordType::Txt));
    assert_eq!(type_of("v4.example.com"), Some(DnsRecordType::Aaaa));
}

#[tokio::test]
async fn a_value_the_spec_does_not_list_is_sent_and_the_service_decides() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");

    let error = client(&stand_in)
        .create_dns_record()
        .zone_id(&zone)
        .name("svc.example.com")
        .r#type("HTTPS")
        .content("1 . alpn=h2")
        .send()
        .await
        .unwrap_err();

    // Not refused by the client: the request went out with the value as given, and the
    // answer is the service's.
    assert_eq!(body_of(&stand_in, "CreateDnsRecord")["Type"], json!("HTTPS"));
    assert_eq!(error.code(), Some("InvalidParameterValue"), "{error}");
    assert!(
        error.to_string().contains("The record type `HTTPS` is not valid"),
        "{error}"
    );
}

#[tokio::test]
async fn an_enum_list_takes_strings_or_variants() {
    let stand_in = stand_in().await;
    let zone = stand_in.add_zone("example.com");
    let client = client(&stand_in);

    client
        .describe_timing_l4_data()
        .zone_ids(vec![zone.clone()])
        .start_time("2024-01-01T00:00:00+08:00")
        .end_time("2024-01-01T01:00:00+08:00")
        .metric_names(["l4Flow_flux", "l4Flow_connections"])
        .send()
        .await
        .unwrap();
    assert_eq!(
        body_of(&stand_in, "DescribeTimingL4Data")["MetricNames"],
        json!(["l4Flow_flux", "l4Flow_connections"])
    );

    client
        .describe_timing_l4_data()
        .zone_ids(vec![zone])
        .start_time("2024-01-01T00:00:00+08:00")
        .end_time("2024-01-01T01:00:00+08:00")
        .metric_names(vec![TimingL4Metric::L4FlowInFlux, TimingL4Metric::L4FlowOutFlux])
        .send()
        .await
        .unwrap();
    assert_eq!(
        body_of(&stand_in, "DescribeTimingL4Data")["MetricNames"],
        json!(["l4Flow_inFlux", "l4Flow_outFlux"])
    );
}

#[test]
fn an_unlisted_value_in_an_answer_decodes_and_is_written_back_unchanged() {
    let record: DnsRecord = wire::from_str(
        r#"{"RecordId": "record-1", "Type": "HTTPS", "Name": "svc.example.com"}"#,
        Decoding::Strict,
    )
    .unwrap();
    let kind = record.r#type.clone().unwrap();
    assert!(matches!(kind, DnsRecordType::Unknown(_)), "{kind:?}");
    assert_eq!(kind.as_str(), "HTTPS");
    assert_eq!(kind.to_string(), "HTTPS");
    assert_ne!(kind, DnsRecordType::from("TXT"));
    let written = wire::to_value(&record);
    assert_eq!(written["Type"], json!("HTTPS"));
    assert_eq!(
        wire::from_value::<DnsRecord>(written, Decoding::Strict).unwrap(),
        record
    );
}

#[test]
fn builders_take_variants_or_strings_and_lists_read_typed() {
    let on: Switch = "on".parse().unwrap();
    assert_eq!(on, Switch::On);
    assert_eq!(Switch::values(), &["on", "off"]);
    let compression: generated_client::models::Compression = wire::from_str(
        r#"{"Switch": "on", "Algorithms": ["brotli", "zstd"]}"#,
        Decoding::Strict,
    )
    .unwrap();
    assert_eq!(compression.algorithms()[0], CompressionAlgorithm::Brotli);
    assert_eq!(compression.algorithms()[1].as_str(), "zstd");
    let rebuilt = generated_client::models::Compression::builder()
        .switch("on")
        .algorithms(["brotli", "zstd"])
        .build()
        .unwrap();
    assert_eq!(rebuilt, compression);
}
