//! `operations/`: one fluent builder per action. It holds a client handle and the request
//! builder; `send()` checks the request, then hands it to the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::util::use_runtime;
use super::util::{field_token, setter, stored_type, DocText};
use crate::json::Json;
use crate::model::{ActionModel, FieldType, Model};
use crate::names::ident;
use crate::naming::{DATE_TIME, ERROR, HANDLE, SENSITIVE};

/// `operations/mod.rs`: declares each action's fluent builder.
pub fn mod_file(model: &Model, d: &mut DocText) -> TokenStream {
    let mut mods = Vec::new();
    for a in &model.actions {
        let module = ident(&a.module_ident);
        let ty = ident(&a.type_name);
        mods.push(quote! { mod #module; pub use #module::#ty; });
    }
    let docs = d.module_doc(
        "Fluent builders, one per action, returned by the `Client` methods.\n\n\
         Set members with the methods named after them, then `send().await`.",
    );
    quote! { #docs #(#mods)* }
}

/// `operations/{action}.rs`: one action's fluent builder.
pub fn operation(model: &Model, a: &ActionModel, d: &mut DocText) -> TokenStream {
    let s = model.struct_(a.request);
    let response_struct = model.struct_(a.response);
    let ty = ident(&a.type_name);
    let request = ident(&s.type_name);
    let request_builder = ident(&s.builder_name);
    let response = ident(&response_struct.type_name);
    let error = ident(&a.error_type);
    let index = proc_macro2::Literal::usize_unsuffixed(a.id.0);
    let wire = &a.wire_name;
    let setters: Vec<_> = s
        .fields
        .iter()
        .map(|f| {
            let name = field_token(f);
            let set = ident(&f.option_setter);
            let stored = stored_type(f);
            let (param, _) = setter(f);
            let docs = d.doc(&f.doc);
            let set_doc = format!(" Sets or clears `{}`.", f.wire_name);
            quote! {
                #docs
                pub fn #name(mut self, value: #param) -> Self {
                    self.input = self.input.#name(value);
                    self
                }
                #[doc = #set_doc]
                pub fn #set(mut self, value: Option<#stored>) -> Self {
                    self.input.#name = value;
                    self
                }
            }
        })
        .collect();
    let input = if s.validates {
        quote!(crate::runtime::validation::validated(self.input.build(), #wire))
    } else {
        quote!(self.input.build())
    };
    let docs = d.doc(&format!(
        "Sends `{wire}`: {}\n\nStart it with [`Client::{}`](crate::Client::{}).",
        a.doc, a.method, a.method
    ));
    let module = d.module_doc(&format!("The fluent builder of `{wire}`."));
    let mut items = vec![ERROR, HANDLE];
    if s.fields.iter().any(|f| f.sensitive) {
        items.push(SENSITIVE);
    }
    if s.fields.iter().any(|f| f.ty.element() == &FieldType::DateTime) {
        items.push(DATE_TIME);
    }
    let tests = example_tests(model, a);
    let uses = use_runtime(&items);
    quote! {
        #module
        use crate::errors::#error;
        use crate::models::{#request, #request_builder, #response};
        #uses

        #docs
        #[derive(Clone, Debug)]
        pub struct #ty {
            handle: Handle,
            input: #request_builder,
        }

        impl #ty {
            pub(crate) fn new(handle: Handle) -> Self {
                Self { handle, input: #request::builder() }
            }

            #(#setters)*

            /// The request as set so far.
            pub fn as_input(&self) -> &#request_builder {
                &self.input
            }

            /// Checks the request against the spec's rules, then sends it.
            ///
            /// Nothing is sent when a required member is missing or a rule is broken: the error
            /// is [`Error::Validation`] and names each member and rule.
            ///
            /// The returned future owns what it needs (it borrows nothing) and is `Send`.
            pub fn send(self) -> impl std::future::Future<Output = Result<#response, Error<#error>>> {
                self.handle.send(crate::runtime::ActionId::new(#index), #input)
            }
        }

        #tests
    }
}

/// A test that every example of the action round-trips through the models, passes the
/// request's own validation, and that `Debug` hides each sensitive example value.
fn example_tests(model: &Model, a: &ActionModel) -> TokenStream {
    if a.examples.is_empty() {
        return quote!();
    }
    let (request, response) = (model.struct_(a.request), model.struct_(a.response));
    let request_type = ident(&request.type_name);
    let response_type = ident(&response.type_name);
    let rows = a.examples.iter().map(|e| {
        let title = &e.title;
        let input = e.input.to_value().to_string();
        let output = e.output.to_value().to_string();
        let mut secrets = Vec::new();
        collect_secrets(model, request, &e.input, &mut secrets);
        collect_secrets(model, response, &e.output, &mut secrets);
        quote!((#title, #input, #output, &[#(#secrets),*]))
    });
    let validate = if request.validates {
        quote!(crate::runtime::validation::Validate::validate(&request, "example").unwrap();)
    } else {
        quote!()
    };
    quote! {
        #[cfg(test)]
        mod tests {
            use super::*;

            #[test]
            fn spec_examples_round_trip_and_hide_secrets() {
                let examples: &[(&str, &str, &str, &[&str])] = &[#(#rows),*];
                for (title, input, output, secrets) in examples {
                    let input: serde_json::Value = serde_json::from_str(input).unwrap();
                    let request: #request_type = serde_json::from_value(input.clone()).unwrap();
                    assert_eq!(serde_json::to_value(&request).unwrap(), input, "{title}: request");
                    #validate
                    let output: serde_json::Value = serde_json::from_str(output).unwrap();
                    let response: #response_type = serde_json::from_value(output.clone()).unwrap();
                    assert_eq!(serde_json::to_value(&response).unwrap(), output, "{title}: response");
                    let shown = format!("{request:?} {response:?}");
                    for secret in *secrets {
                        assert!(!shown.contains(secret), "{title}: Debug shows a sensitive value");
                    }
                }
            }
        }
    }
}

/// The example's string values at sensitive members, looking through nested objects and lists.
fn collect_secrets(model: &Model, s: &crate::model::StructModel, value: &Json, out: &mut Vec<String>) {
    let Json::Object(entries) = value else { return };
    for f in &s.fields {
        let Some((_, v)) = entries.iter().find(|(k, _)| k == &f.wire_name) else {
            continue;
        };
        if f.sensitive {
            if let Json::String(secret) = v {
                out.push(secret.clone());
            }
        }
        if let FieldType::Object { id, .. } = f.ty.element() {
            let inner = model.struct_(*id);
            {
                match v {
                    Json::Array(items) => items.iter().for_each(|i| collect_secrets(model, inner, i, out)),
                    other => collect_secrets(model, inner, other, out),
                }
            }
        }
    }
}
