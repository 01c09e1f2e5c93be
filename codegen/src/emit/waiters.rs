//! `waiters/`: one fluent builder per waiter of the spec: the polled action's request builder,
//! holding the client's handle and the delays (`runtime::waiter::Waiting`) where the action's
//! own fluent builder holds the handle alone, so it has the action's setters without repeating
//! them; `wait(max_wait)` hands the request, with the spec's statuses, to `waiter::wait`.

use proc_macro2::TokenStream;
use quote::quote;

use super::util::{feature_gate, feature_note, field_token, DocText};
use crate::casing::ident;
use crate::model::{FieldType, Model, WaiterModel};
use crate::spec::UNKNOWN_VARIANT;

/// `waiters/mod.rs`: declares each waiter (the module exists, empty, when the spec has none).
pub fn mod_file(model: &Model, d: &mut DocText) -> TokenStream {
    let mods = model.waiters.iter().map(|w| {
        let module = ident(&w.module_ident);
        let ty = ident(&w.type_name);
        let gate = feature_gate(w.feature.as_slice());
        quote! { #gate mod #module; #gate pub use #module::#ty; }
    });
    let docs = d.module_doc(
        "Waiters, one per `wait_until_*` method of `Client`: set the members of the polled action, \
         then `wait(max_wait).await`.\n\nSee `tencentcloud_runtime::waiter` for how they poll and \
         when they stop.",
    );
    quote! { #docs #(#mods)* }
}

/// `waiters/{waiter}.rs`: one waiter's fluent builder.
pub fn waiter(model: &Model, w: &WaiterModel, d: &mut DocText) -> TokenStream {
    let action = &model.actions[w.action.0];
    let request = model.struct_(action.request);
    let response = model.struct_(action.response);
    let item = model.struct_(w.item);
    let ty = ident(&w.type_name);
    let operation = ident(&action.type_name);
    let error = ident(&action.error_type);
    let item_type = ident(&item.type_name);
    let status_field = &item.fields[w.status];
    let status_name = field_token(status_field);
    // A status member that is an enum: the lists hold its variants, and the statuses compared
    // are enum values.
    let status_enum = match &status_field.ty {
        FieldType::Enum { type_name } => model.enums.iter().find(|e| &e.type_name == type_name),
        _ => None,
    };
    let status = match (status_enum.is_some(), status_field.required) {
        (false, true) => quote!(Some(item.#status_name.as_str())),
        (false, false) => quote!(item.#status_name.as_deref()),
        (true, true) => quote!(Some(&item.#status_name)),
        (true, false) => quote!(item.#status_name.as_ref()),
    };
    let statuses = |values: &[String]| -> Vec<TokenStream> {
        values
            .iter()
            .map(|v| match status_enum {
                Some(e) => {
                    let ty = ident(&e.type_name);
                    // Validation made sure every status is a value of the enum.
                    let variant = e.values.iter().find(|x| &x.value == v).map(|x| x.variant.as_str());
                    let variant = ident(variant.unwrap_or(UNKNOWN_VARIANT));
                    quote!(&crate::models::#ty::#variant)
                }
                None => quote!(#v),
            })
            .collect()
    };
    let status_type = match status_enum {
        Some(e) => {
            let ty = ident(&e.type_name);
            quote!(, crate::models::#ty)
        }
        None => quote!(),
    };
    let name_parts = w.names.iter().map(|&i| {
        let f = &item.fields[i];
        let name = field_token(f);
        let wire = &f.wire_name;
        let shape = format!("{wire} {{}}");
        if f.required {
            quote!(parts.push(format!(#shape, item.#name));)
        } else {
            quote! {
                if let Some(value) = &item.#name {
                    parts.push(format!(#shape, value));
                }
            }
        }
    });
    let poll = match w.items.map(|i| &response.fields[i]) {
        // The status is the response's own: each poll yields a list of one response.
        None => quote! {{
            let call = request.clone().send();
            async move { call.await.map(|output| vec![output]) }
        }},
        Some(_) if action.pagination.is_some() => {
            quote!(request.clone().into_paginator().items().send().try_collect())
        }
        Some(items_field) => {
            let items_name = field_token(items_field);
            if items_field.required {
                quote! {{
                    let call = request.clone().send();
                    async move { call.await.map(|output| output.#items_name) }
                }}
            } else {
                quote! {{
                    let call = request.clone().send();
                    async move { call.await.map(|output| output.#items_name.unwrap_or_default()) }
                }}
            }
        }
    };
    // With no naming members the closure does not read the item.
    let item_param = if w.names.is_empty() {
        quote!(_item)
    } else {
        quote!(item)
    };
    let waiter_wire = &w.wire_name;
    let (success, failure, retry) = (statuses(&w.success), statuses(&w.failure), statuses(&w.retry));
    let (min, max) = (
        proc_macro2::Literal::u64_unsuffixed(w.min_delay),
        proc_macro2::Literal::u64_unsuffixed(w.max_delay),
    );
    let item_wire = &item.type_name;
    // Who the statuses belong to: each listed item, or the one response.
    let (all, one, any) = match w.items {
        Some(_) => (format!("every `{item_wire}` listed is"), "one is", "any is"),
        None => ("the response is".to_owned(), "it is", "it is"),
    };
    let docs = d.doc(
        &(format!(
            "{}\n\nPolls `{}`{}; done when {all} in status {}; fails as soon as {one} in \
         status {}; keeps polling while {any} in status {}, from {} s apart growing to {} s, with \
         jitter. Start it with [`Client::{}`](crate::Client::{}).",
            w.doc,
            action.wire_name,
            if action.pagination.is_some() {
                " (every page)"
            } else {
                ""
            },
            quoted(&w.success),
            quoted(&w.failure),
            quoted(&w.retry),
            w.min_delay,
            w.max_delay,
            w.method,
            w.method
        ) + &feature_note(w.feature.as_slice())),
    );
    let module = d.module_doc(&format!("The `{waiter_wire}` waiter."));
    let request_type = ident(&request.type_name);
    let request_builder = ident(&request.builder_name);
    // Tells this waiter's builder from another's on the same action.
    let position = model.waiters.iter().position(|x| std::ptr::eq(x, w)).unwrap_or(0);
    let index = proc_macro2::Literal::usize_unsuffixed(position);
    quote! {
        #module
        use std::time::Duration;

        static ACCEPTORS: crate::runtime::waiter::Acceptors<crate::models::#item_type #status_type> = crate::runtime::waiter::Acceptors {
            waiter: #waiter_wire,
            status: |item| #status,
            name: |#item_param| {
                let mut parts: Vec<String> = Vec::new();
                #(#name_parts)*
                if parts.is_empty() {
                    parts.push(#item_wire.to_owned());
                }
                parts.join(", ")
            },
            success: &[#(#success),*],
            failure: &[#(#failure),*],
            retry: &[#(#retry),*],
        };

        #docs
        pub type #ty = crate::models::#request_builder<crate::runtime::waiter::Waiting<#index>>;

        impl #ty {
            pub(crate) fn new(handle: crate::runtime::Handle) -> Self {
                let delays = crate::runtime::waiter::Delays {
                    min: Duration::from_secs(#min),
                    max: Duration::from_secs(#max),
                };
                crate::models::#request_type::builder().with_handle(crate::runtime::waiter::Waiting::new(handle, delays))
            }

            /// The first wait between polls, and the least any wait is.
            pub fn min_delay(mut self, delay: Duration) -> Self {
                self.handle.delays_mut().min = delay;
                self
            }

            /// The longest wait between polls.
            pub fn max_delay(mut self, delay: Duration) -> Self {
                self.handle.delays_mut().max = delay;
                self
            }

            /// Polls until every item is done (returning them as last seen), one fails, or
            /// `max_wait` has passed ([`WaitError::Timeout`](crate::runtime::waiter::WaitError::Timeout), with the statuses last seen).
            pub async fn wait(
                self,
                max_wait: Duration,
            ) -> Result<Vec<crate::models::#item_type>, crate::runtime::waiter::WaitError<crate::errors::#error>> {
                let delays = self.handle.delays();
                let handle = self.handle.handle().clone();
                let request: crate::operations::#operation = self.with_handle(handle);
                crate::runtime::waiter::wait(move || #poll, &ACCEPTORS, delays, max_wait).await
            }
        }
    }
}

fn quoted(values: &[String]) -> String {
    if values.is_empty() {
        return "(none)".to_owned();
    }
    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}
