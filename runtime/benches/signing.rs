//! Cost of TC3 signing: one request with the signing key already cached (the hot path of every
//! call), one request that must derive the key first, and the key derivation alone.
//!
//! Run with `cargo bench -p tencentcloud-runtime --bench signing`.

use std::hint::black_box;

use criterion::{criterion_main, Criterion};
use tencentcloud_runtime::signing::{derive_signing_key, SignableRequest, Signer};
use tencentcloud_runtime::Credentials;

const BODY: &[u8] = br#"{"ZoneId":"zone-27q0p0bal192","SecretKey":"b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY="}"#;
const HOST: &str = "teo.tencentcloudapi.com";
const TIMESTAMP: u64 = 1_700_000_000;

fn signing(c: &mut Criterion) {
    let credentials = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE");
    let request = SignableRequest::post_json(HOST, BODY);

    let signer = Signer::new("teo");
    c.bench_function("sign_request_cached_key", |b| {
        b.iter(|| signer.authorization(black_box(&credentials), black_box(&request), black_box(TIMESTAMP)))
    });
    c.bench_function("sign_request_deriving_key", |b| {
        b.iter(|| Signer::new("teo").authorization(black_box(&credentials), black_box(&request), black_box(TIMESTAMP)))
    });
    c.bench_function("derive_signing_key", |b| {
        b.iter(|| derive_signing_key(black_box("SECRETEXAMPLE"), black_box("2023-11-14"), black_box("teo")))
    });
}

/// Holds the group in a private module: the macro's `pub fn` has no place for a doc comment.
mod group {
    criterion::criterion_group!(benches, super::signing);
}

criterion_main!(group::benches);
