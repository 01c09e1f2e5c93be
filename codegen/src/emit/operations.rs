//! `operations/`: one fluent builder per action. It holds a client handle and the request
//! builder; `send()` checks the request, then hands it to the runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::util::{doc, field_ident, module_doc, setter, stored_type};
use crate::json::Json;
use crate::model::{ActionModel, FieldType, Model};

/// `operations/mod.rs`: declares each action's fluent builder.
pub fn mod_file(model: &Model) -> TokenStream {
    let mut mods = Vec::new();
    for a in &model.actions {
        let module = crate::names::ident(&a.module);
        let ty = format_ident!("{}", a.type_name);
        mods.push(quote! { mod #module; pub use #module::#ty; });
    }
    let docs = module_doc(
        "Fluent builders, one per action, returned by the `Client` methods.\n\n\
         Set members with the methods named after them, then `send().await`.",
    );
    quote! { #docs #(#mods)* }
}

/// `operations/{action}.rs`: one action's fluent builder.
pub fn operation(model: &Model, a: &ActionModel) -> TokenStream {
    let s = &model.structs[a.request];
    let ty = format_ident!("{}", a.type_name);
    let request = format_ident!("{}", a.request_type);
    let request_builder = format_ident!("{}Builder", a.request_type);
    let response = format_ident!("{}", a.response_type);
    let error = format_ident!("{}", a.error_type);
    let index = proc_macro2::Literal::usize_unsuffixed(a.index);
    let wire = &a.wire_name;
    let setters = s.fields.iter().map(|f| {
        let name = field_ident(f);
        let set = format_ident!("set_{}", f.name);
        let stored = stored_type(f);
        let (param, _) = setter(f);
        let docs = doc(&f.doc);
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
    });
    let input = if s.validates {
        quote!(crate::validation::validated(self.input.build(), #wire))
    } else {
        quote!(self.input.build())
    };
    let docs = doc(&format!(
        "Sends `{wire}`: {}\n\nStart it with [`Client::{}`](crate::Client::{}).",
        a.doc,
        crate::names::ident(&a.method),
        crate::names::ident(&a.method)
    ));
    let module = module_doc(&format!("The fluent builder of `{wire}`."));
    let uses_sensitive = s.fields.iter().any(|f| f.sensitive);
    let sensitive_use = if uses_sensitive {
        quote!(
            use crate::Sensitive;
        )
    } else {
        quote!()
    };
    let uses_datetime = s
        .fields
        .iter()
        .any(|f| f.ty.element() == &crate::model::FieldType::DateTime);
    let datetime_use = if uses_datetime {
        quote!(
            use crate::DateTime;
        )
    } else {
        quote!()
    };
    let tests = example_tests(model, a);
    quote! {
        #module
        use crate::errors::#error;
        use crate::models::{#request, #request_builder, #response};
        use crate::{Error, Handle};
        #sensitive_use
        #datetime_use

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
                self.handle.send(&crate::service::ACTIONS[#index], #input)
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
    let request = format_ident!("{}", a.request_type);
    let response = format_ident!("{}", a.response_type);
    let rows = a.examples.iter().map(|e| {
        let title = &e.title;
        let input = e.input.to_value().to_string();
        let output = e.output.to_value().to_string();
        let mut secrets = Vec::new();
        collect_secrets(model, &model.structs[a.request], &e.input, &mut secrets);
        collect_secrets(model, &model.structs[a.request + 1], &e.output, &mut secrets);
        quote!((#title, #input, #output, &[#(#secrets),*]))
    });
    let validate = if model.structs[a.request].validates {
        quote!(crate::validation::Validate::validate(&request, "example").unwrap();)
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
                    let request: #request = serde_json::from_value(input.clone()).unwrap();
                    assert_eq!(serde_json::to_value(&request).unwrap(), input, "{title}: request");
                    #validate
                    let output: serde_json::Value = serde_json::from_str(output).unwrap();
                    let response: #response = serde_json::from_value(output.clone()).unwrap();
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
        if let FieldType::Object { type_name, .. } = f.ty.element() {
            if let Some(inner) = model.structs.iter().find(|s| &s.type_name == type_name) {
                match v {
                    Json::Array(items) => items.iter().for_each(|i| collect_secrets(model, inner, i, out)),
                    other => collect_secrets(model, inner, other, out),
                }
            }
        }
    }
}
