//! The response decoder of shipped actions: any bytes as the body of a 200 (or a gateway
//! status), read as a call reads them. Must end in a value or a bounded error.
#![no_main]

use generated_client::models::{
    DescribeDnsRecordsResponse, DescribeL7AccRulesResponse, DescribeMultiPathGatewaySecretKeyResponse,
    DescribePurgeTasksResponse, DescribeZonesResponse,
};
use generated_client::runtime::dispatch::read_answer;
use generated_client::runtime::{ActionMeta, Error, FromHandle, ServiceError};
use libfuzzer_sys::fuzz_target;

fn meta(name: &str) -> &'static ActionMeta {
    <generated_client::Client as FromHandle>::SERVICE
        .actions
        .iter()
        .find(|a| a.name == name)
        .expect("a shipped action")
}

fn check(result: Result<(), Error<ServiceError>>) {
    if let Err(e) = result {
        assert!(e.to_string().len() <= 4096, "an unbounded error");
    }
}

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data.split_first() {
        Some((b, rest)) if *b < 8 => (502, rest),
        _ => (200, data),
    };
    check(read_answer::<DescribeZonesResponse>(meta("DescribeZones"), status, body).map(drop));
    check(read_answer::<DescribeDnsRecordsResponse>(meta("DescribeDnsRecords"), status, body).map(drop));
    check(read_answer::<DescribeL7AccRulesResponse>(meta("DescribeL7AccRules"), status, body).map(drop));
    check(read_answer::<DescribePurgeTasksResponse>(meta("DescribePurgeTasks"), status, body).map(drop));
    check(
        read_answer::<DescribeMultiPathGatewaySecretKeyResponse>(
            meta("DescribeMultiPathGatewaySecretKey"),
            status,
            body,
        )
        .map(drop),
    );
});
