//! A typed client for Tencent Cloud EdgeOne (TEO), API version 2022-09-01.
//!
//! ```no_run
//! # async fn example(secret_id: String, secret_key: String) -> Result<(), Box<dyn std::error::Error>> {
//! let client = generated_client::Client::builder()
//!     .credentials(generated_client::Credentials::new(secret_id, secret_key))
//!     .endpoint("http://127.0.0.1:8080") // optional; default https://teo.tencentcloudapi.com
//!     .build()?;
//! let out = client.create_multi_path_gateway_secret_key()
//!     .zone_id("zone-27q0p0bal192")
//!     .secret_key("b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=")
//!     .send().await?;
//! println!("{}", out.request_id);
//! let out = client.refresh_multi_path_gateway_secret_key().zone_id("zone-27q0p0bal192").send().await?;
//! // Response members are `Option`: an answer may leave any of them out.
//! if let Some(key) = &out.secret_key {
//!     let key: &str = key.expose_secret();
//!     # let _ = key;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! This file is written by hand and stays small. The modules below are generated from
//! `spec/teo-2022-09-01.json` by `cargo run -p codegen`; the signing, transport, credentials,
//! retries and rate limits come from the `tencentcloud-runtime` crate, re-exported here so this is
//! the only crate to depend on.
#![forbid(unsafe_code)]

// The generated modules are formatted by prettyplease, not rustfmt; `rustfmt::skip` keeps
// `cargo fmt` from rewriting them (which `codegen --check` would then report as drift).
#[rustfmt::skip]
mod client;
#[rustfmt::skip]
pub mod errors;
#[rustfmt::skip]
pub mod models;
#[rustfmt::skip]
pub mod operations;
#[rustfmt::skip]
mod service;
#[rustfmt::skip]
pub mod waiters;

pub use client::{Client, ClientBuilder};
pub use tencentcloud_runtime::{
    credentials, paginator, validation, waiter, BuildError, Credentials, CredentialsError, Date, DateTime, Error,
    Language, ProvideCredentials, RateLimit, RetryConfig, Sensitive, ServiceError, REDACTED,
};

/// The runtime crate, for what the re-exports above do not cover. The generated modules reach
/// the runtime only through this path.
pub use tencentcloud_runtime as runtime;
