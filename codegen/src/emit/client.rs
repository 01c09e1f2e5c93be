//! `client.rs`: the `Client` with one method per action, each documented with a `no_run`
//! example built from the spec's first example (or the members' own examples).

use proc_macro2::TokenStream;
use quote::quote;

use super::util::{example_literal, DocText};
use super::util::{feature_cfg, feature_gate, feature_note, use_runtime};
use crate::casing::ident;
use crate::json::Json;
use crate::model::{ActionModel, Model};
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
                "`{}`: {}{rate}{}\n\n# Example\n\n{}",
                a.wire_name,
                a.doc,
                feature_note(a.feature.as_slice()),
                example(model, a)
            ));
            let gate = feature_gate(a.feature.as_slice());
            quote! {
                #docs
                #gate
                #[inline]
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
            let docs = d.doc(
                &(format!(
                    "{}\n\nSet the members of `{}` as on [`Client::{}`], then `.wait(max_wait).await`; \
             see [`crate::waiters::{}`].",
                    w.doc, model.actions[w.action.0].wire_name, model.actions[w.action.0].method, w.type_name
                ) + &feature_note(w.feature.as_slice())),
            );
            let gate = feature_gate(w.feature.as_slice());
            quote! {
                #docs
                #gate
                pub fn #method(&self) -> crate::waiters::#ty {
                    crate::waiters::#ty::new(self.handle.clone())
                }
            }
        })
        .collect::<Vec<_>>();
    let by_name = model.actions.iter().map(|a| {
        let wire = &a.wire_name;
        let index = proc_macro2::Literal::usize_unsuffixed(a.id.0);
        let request = ident(&model.struct_(a.request).type_name);
        let response = ident(&model.struct_(a.response).type_name);
        let error = ident(&a.error_type);
        let check = if model.struct_(a.request).validates {
            quote!(|r| crate::runtime::Validate::validate(r, #wire))
        } else {
            quote!(crate::runtime::dynamic::unchecked)
        };
        let gate = feature_cfg(a.feature.as_slice());
        quote! {
            #gate
            #wire => Some(visitor.visit::<
                crate::models::#request,
                crate::models::#response,
                crate::errors::#error,
            >(&crate::service::ACTIONS[#index], crate::runtime::ActionId::new(#index), #check)),
        }
    });
    let send_json_doc = d.doc(
        "Sends the action named `action` (its wire name, `DescribeZones`) with the request given \
         as JSON text, and answers the response as JSON text (the object inside `Response`, \
         members by wire name, `RequestId` included).\n\n\
         The call is the typed one: the JSON is read into the action's request type (a member it \
         does not have is an error, [`DynamicError::Input`](crate::runtime::dynamic::DynamicError::Input)), \
         checked against the spec's rules, sent with this client's credentials, retries and rate \
         limits, and the answer decoded into the response type. For tools that handle every \
         action alike, such as a command line; programs are better served by the typed methods. \
         The answer holds sensitive members as the service sent them, in the clear: it is the \
         caller's to redact before showing it.\n\n\
         ```no_run\n\
         # async fn example(client: &CRATE::Client) -> Result<(), Box<dyn std::error::Error>> {\n\
         let answer = client.send_json(\"DescribeZones\", r#\"{\"Limit\": 10}\"#).await?;\n\
         println!(\"{answer}\");\n\
         # Ok(())\n\
         # }\n\
         ```"
        .replace("CRATE", krate)
        .as_str(),
    );
    // The doc example reads an answer of the spec's first action (every spec has one).
    let first_action = model.actions.first().map_or("", |a| a.wire_name.as_str());
    let visit_doc = d.doc(
        "Finds the action named `action` (its wire name) and hands its request, response and \
         error types to `visitor`; `None` when this client has no such action (it is not in the \
         spec, or its category's cargo feature is off). The one table behind \
         [`send_json`](Self::send_json); with [`ReadAnswer`](crate::runtime::dynamic::ReadAnswer) \
         it reads a recorded answer of any action as a call would, without a network.\n\n\
         ```\n\
         use CRATE::runtime::dynamic::ReadAnswer;\n\
         let body = br#\"{\"Response\":{\"Error\":{\"Code\":\"ResourceNotFound\",\"Message\":\"m\"},\"RequestId\":\"r\"}}\"#;\n\
         let answer = CRATE::Client::visit_action(\"ACTION\", ReadAnswer::new(200, body));\n\
         assert_eq!(answer.unwrap().unwrap_err().code(), Some(\"ResourceNotFound\"));\n\
         assert!(CRATE::Client::visit_action(\"NoSuchAction\", ReadAnswer::new(200, body)).is_none());\n\
         ```"
        .replace("CRATE", krate)
        .replace("ACTION", first_action)
        .as_str(),
    );
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
    // With every category off, no method reads the handle.
    let unused = if model.categories.is_empty() {
        TokenStream::new()
    } else {
        let all = model.categories.iter().map(|c| &c.name);
        quote!(#[cfg_attr(not(any(#(feature = #all),*)), allow(dead_code))])
    };
    quote! {
        #module
        #uses

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            #unused
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

            #send_json_doc
            #[inline]
            pub fn send_json<'a>(&'a self, action: &str, input: &str) -> crate::runtime::dynamic::JsonCall<'a> {
                Self::visit_action(action, crate::runtime::dynamic::CallJson::new(&self.handle, input)).unwrap_or_else(|| {
                    let action = action.to_owned();
                    Box::pin(async move { Err(crate::runtime::dynamic::DynamicError::UnknownAction { action }) })
                })
            }

            #visit_doc
            pub fn visit_action<V: crate::runtime::dynamic::ActionVisitor>(action: &str, visitor: V) -> Option<V::Output> {
                // With every category off, no arm reads the visitor.
                let _ = &visitor;
                match action {
                    #(#by_name)*
                    _ => None,
                }
            }
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
