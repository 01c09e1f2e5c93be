//! `lib.rs`, for a crate generated whole (`--crate DIR`): the service's documentation, the
//! generated modules, and the re-exports a user needs, so the crate depends on nothing
//! hand-written.

use proc_macro2::TokenStream;
use quote::quote;

use super::util::DocText;
use crate::model::Model;

/// What the crate re-exports from the runtime, one `use` each and in the order rustfmt sorts
/// them, so `cargo fmt` leaves the generated root as it is.
const REEXPORTS: &[&str] = &[
    "credentials",
    "paginator",
    "validation",
    "waiter",
    "BuildError",
    "Credentials",
    "CredentialsError",
    "Customize",
    "Date",
    "DateTime",
    "Error",
    "Language",
    "ProvideCredentials",
    "RateLimit",
    "RetryConfig",
    "Sensitive",
    "ServiceError",
    "REDACTED",
];

pub fn emit(model: &Model, d: &mut DocText) -> TokenStream {
    let s = &model.service;
    let krate = &model.crate_name;
    let docs = d.module_doc(&format!(
        "A typed client for {} (`{}` API {}), generated from its spec by `codegen`.\n\n{}\n\n\
         ```no_run\n\
         # fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = {krate}::Client::from_env()?;\n\
         # let _ = client;\n\
         # Ok(())\n\
         # }}\n\
         ```\n\n\
         The HTTP, signing, credentials, retry and rate-limit layer is `tencentcloud-runtime`, \
         re-exported as [`runtime`].{}",
        s.title,
        s.name,
        s.version,
        s.documentation,
        features_doc(model)
    ));
    let docsrs = if model.categories.is_empty() {
        TokenStream::new()
    } else {
        quote!(#![cfg_attr(docsrs, feature(doc_cfg))])
    };
    // Modules first, then types, each group in the order rustfmt sorts them.
    let reexports = REEXPORTS.iter().map(|name| {
        let ident = crate::casing::ident(name);
        let item = quote!(pub use tencentcloud_runtime::#ident;);
        // rustfmt sorts the mock's types by their path, `test_util` after `paginator`.
        if *name == "paginator" {
            quote! {
                #item
                #[cfg(feature = "test-util")]
                pub use tencentcloud_runtime::test_util::mock::{Rule, RuleMode};
            }
        } else {
            item
        }
    });
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #docsrs

        // Formatted by prettyplease, not rustfmt: `rustfmt::skip` keeps `cargo fmt` off them.
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
        /// The runtime crate, for what the re-exports below do not cover. The generated modules
        /// reach the runtime only through this path.
        pub use tencentcloud_runtime as runtime;
        #(#reexports)*
        /// A mock client for unit tests, with the `test-util` feature: see
        /// [`runtime::test_util::mock`].
        #[cfg(feature = "test-util")]
        pub use tencentcloud_runtime::{mock, mock_client};
    }
}

/// The crate docs' table of cargo features, one per category; empty when the spec has none.
fn features_doc(model: &Model) -> String {
    if model.categories.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n\n# Cargo features\n\n\
         Each API category is a feature: its actions, and every type only they reach, are compiled \
         only when it is on. `full`, the default, turns on all of them; a program that calls a few \
         actions can build just their categories with `default-features = false, features = \
         [\"{}\"]`. Every item's documentation names the feature it needs.\n\n\
         | feature | actions | what it covers |\n|---|---|---|",
        model.categories[0].name
    );
    for c in &model.categories {
        out.push_str(&format!(
            "\n| `{}` | {} | {}: {} |",
            c.name,
            c.actions,
            c.title.replace('|', "\\|"),
            c.doc.replace('\n', " ").replace('|', "\\|")
        ));
    }
    out
}
