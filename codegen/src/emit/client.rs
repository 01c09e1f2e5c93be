//! `client.rs`: the `Client` with one method per action, each documented with a `no_run`
//! example built from the spec's first example (or the members' own examples).

use proc_macro2::TokenStream;
use quote::quote;

use super::util::use_runtime;
use super::util::{example_literal, DocText};
use crate::json::Json;
use crate::model::{ActionModel, Model};
use crate::names::ident;
use crate::naming::{BUILD_ERROR, FROM_HANDLE, HANDLE, SERVICE_META};

pub fn emit(model: &Model, d: &mut DocText) -> TokenStream {
    let krate = model.crate_name.as_str();
    let methods: Vec<_> = model
        .actions
        .iter()
        .map(|a| {
            let method = ident(&a.method);
            let ty = ident(&a.type_name);
            let rate = match (a.rate_limit, a.rate_limit_assumed) {
                (Some(r), false) => format!(
                    "\n\nThe service accepts at most {r} requests per second; the client waits rather than exceed it."
                ),
                (Some(r), true) => format!(
                    "\n\nThe client sends at most {r} requests per second, the service's usual limit (no \
                     reference gives this action's own); it waits rather than exceed it."
                ),
                (None, _) => String::new(),
            };
            let docs = d.doc(&format!(
                "`{}`: {}{rate}\n\n# Example\n\n{}",
                a.wire_name,
                a.doc,
                example(model, a)
            ));
            quote! {
                #docs
                pub fn #method(&self) -> crate::operations::#ty {
                    crate::operations::#ty::new(self.handle.clone())
                }
            }
        })
        .collect();
    let waiters = model
        .waiters
        .iter()
        .map(|w| {
            let method = ident(&w.method);
            let ty = ident(&w.type_name);
            let operation = ident(&model.actions[w.action.0].type_name);
            let docs = d.doc(&format!(
                "{}\n\nSet the members of `{}` as on [`Client::{}`], then `.wait(max_wait).await`; \
             see [`crate::waiters::{}`].",
                w.doc, model.actions[w.action.0].wire_name, model.actions[w.action.0].method, w.type_name
            ));
            quote! {
                #docs
                pub fn #method(&self) -> crate::waiters::#ty {
                    crate::waiters::#ty::new(crate::operations::#operation::new(self.handle.clone()))
                }
            }
        })
        .collect::<Vec<_>>();
    let s = &model.service;
    let module = d.module_doc(&format!("The `{}` client.", s.name));
    let client_doc = d.doc(&format!(
        "A client for {} (`{}` {}).\n\n{}\n\n\
         Cheap to clone: clones share one connection pool, one credentials provider and one set of\n\
         rate limiters.\n\n\
         ```no_run\n\
         # fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = {krate}::Client::builder()\n    \
             .credentials({krate}::Credentials::new(\"AKIDEXAMPLE\", \"secret-key\"))\n    \
             .build()?;\n\
         # Ok(())\n\
         # }}\n\
         ```",
        s.title, s.name, s.version, s.documentation
    ));
    let uses = use_runtime(&[BUILD_ERROR, FROM_HANDLE, HANDLE, SERVICE_META]);
    quote! {
        #module
        #uses

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: Handle,
        }

        /// Configures and builds a [`Client`]; see [`Client::builder`].
        pub type ClientBuilder = crate::runtime::ClientBuilder<Client>;

        impl FromHandle for Client {
            const SERVICE: &'static ServiceMeta = &crate::service::SERVICE;

            fn from_handle(handle: Handle) -> Self {
                Client { handle }
            }
        }

        impl Client {
            /// Starts configuring a client: credentials, endpoint, timeouts, retries, rate limits.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// A client with default settings and the default credentials chain: the environment,
            /// the profile file, the CVM instance role, then TKE OIDC, resolved on the first call
            /// and refreshed before temporary credentials expire (see `credentials`).
            pub fn from_env() -> Result<Client, BuildError> {
                Self::builder().build()
            }

            #(#methods)*

            #(#waiters)*
        }
    }
}

/// A `no_run` doc example calling the action with example values.
fn example(model: &Model, a: &ActionModel) -> String {
    let s = model.struct_(a.request);
    let values = a.examples.first().map(|e| &e.input);
    let mut calls = String::new();
    for f in &s.fields {
        let value = match values {
            Some(Json::Object(entries)) => entries.iter().find(|(k, _)| k == &f.wire_name).map(|(_, v)| v),
            _ => f.example.as_ref().filter(|_| f.required),
        };
        if let Some(literal) = value.and_then(|v| example_literal(&f.ty, v)) {
            let setter = &f.name;
            calls.push_str(&format!("\n    .{setter}({literal})"));
        }
    }
    let response = model.struct_(a.response);
    let shown = response
        .fields
        .iter()
        .find(|f| !f.sensitive)
        .map(|f| f.name.clone())
        .unwrap_or_default();
    format!(
        "```no_run\n\
         # async fn example(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         let output = client\n    .{}(){calls}\n    .send()\n    .await?;\n\
         println!(\"{{:?}}\", output.{});\n\
         # Ok(())\n\
         # }}\n\
         ```",
        a.method,
        shown,
        krate = model.crate_name
    )
}
