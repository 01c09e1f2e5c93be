//! The `teo-stand-in` binary: prints its endpoint first, seeds zones and records as asked, and
//! serves real signed calls until stopped.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use tencentcloud_runtime::{ClientBuilder, Credentials, FromHandle, Handle, ServiceMeta};
use teo_stand_in::StandIn;

/// A client of TEO with no generated actions: calls go by name through `Handle::send_raw`.
struct Teo;

static TEO: ServiceMeta = ServiceMeta {
    name: "teo",
    version: "2022-09-01",
    endpoint: "https://teo.tencentcloudapi.com",
    intl_endpoint: "https://teo.intl.tencentcloudapi.com",
    actions: &[],
};

impl FromHandle for Teo {
    const SERVICE: &'static ServiceMeta = &TEO;
    fn from_handle(_: Handle) -> Self {
        Teo
    }
}

#[test]
fn the_binary_prints_its_endpoint_first_and_serves_the_zones_and_records_asked_for() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_teo-stand-in"))
        .args(["--zone", "a.example", "--zone", "b.example", "--records", "7"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || lines.next().unwrap().unwrap();
    let endpoint = next().strip_prefix("endpoint ").unwrap().to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    assert_eq!(next(), format!("secret-id {}", StandIn::DEFAULT_SECRET_ID));
    assert_eq!(next(), format!("secret-key {}", StandIn::DEFAULT_SECRET_KEY));
    let first = next();
    let second = next();
    let zone = first.split(' ').nth(1).unwrap().to_owned();
    assert!(
        first.starts_with("zone zone-") && first.ends_with(" a.example"),
        "{first}"
    );
    assert!(second.ends_with(" b.example"), "{second}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (zones, records) = runtime.block_on(async {
        let handle = ClientBuilder::<Teo>::new()
            .endpoint(endpoint)
            .credentials(Credentials::new(
                StandIn::DEFAULT_SECRET_ID,
                StandIn::DEFAULT_SECRET_KEY,
            ))
            .build_handle()
            .unwrap();
        let zones = handle.send_raw("DescribeZones", b"{}".to_vec()).await.unwrap();
        let body = format!(r#"{{"ZoneId": "{zone}"}}"#).into_bytes();
        let records = handle.send_raw("DescribeDnsRecords", body).await.unwrap();
        (zones, records)
    });
    let zones: serde_json::Value = serde_json::from_str(&zones).unwrap();
    let records: serde_json::Value = serde_json::from_str(&records).unwrap();
    assert_eq!(zones["TotalCount"], 2);
    assert_eq!(records["TotalCount"], 7);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_bad_flag_is_named_and_exits_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_teo-stand-in"))
        .args(["--records", "lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("--records: expected a number, got \"lots\""));
}
