//! `operations/`: one fluent builder per action. It holds a client handle and the request
//! builder; `send()` checks the request, then hands it to the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::util::{feature_gate, feature_note};
use super::util::{field_token, rust_type, DocText};
use crate::casing::ident;
use crate::json::Json;
use crate::model::{ActionModel, FieldModel, FieldType, Model};

/// `operations/mod.rs`: declares each action's fluent builder.
pub fn mod_file(model: &Model, d: &mut DocText) -> TokenStream {
    let mut mods = Vec::new();
    for a in &model.actions {
        let module = ident(&a.module_ident);
        let ty = ident(&a.type_name);
        let gate = feature_gate(a.feature.as_slice());
        mods.push(quote! { #gate mod #module; #gate pub use #module::#ty; });
    }
    let docs = d.module_doc(
        "Fluent builders, one per action, returned by the `Client` methods.\n\n\
         Set members with the methods named after them, then `send().await`.",
    );
    quote! { #docs #(#mods)* }
}

/// `operations/{action}.rs`: one action's fluent builder, which is the request's builder holding
/// the client's handle: the setters are the request builder's own, written once.
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
    let input = if s.validates {
        quote!(crate::runtime::validation::validated(self.build(), #wire))
    } else {
        quote!(self.build())
    };
    let docs = d.doc(&format!(
        "Sends `{wire}`: {}\n\nStart it with [`Client::{}`](crate::Client::{}), set the members with \
         the setters of [`{}`](crate::models::{}), then `send().await`.{}",
        a.doc,
        a.method,
        a.method,
        s.builder_name,
        s.builder_name,
        feature_note(a.feature.as_slice())
    ));
    let module = d.module_doc(&format!("The fluent builder of `{wire}`."));
    let paging = paging(model, a, d);
    let tests = example_tests(model, a);
    quote! {
        #module

        #docs
        pub type #ty = crate::models::#request_builder<crate::runtime::Handle>;

        impl #ty {
            #[inline]
            pub(crate) fn new(handle: crate::runtime::Handle) -> Self {
                crate::models::#request::builder().with_handle(handle)
            }

            /// Checks the request against the spec's rules, then sends it.
            ///
            /// Nothing is sent when a required member is missing or a rule is broken: the error
            /// is [`Error`](crate::runtime::Error)`::Validation` and names each member and rule.
            ///
            /// The returned future owns what it needs (it borrows nothing) and is `Send`.
            #[inline]
            pub fn send(self) -> crate::runtime::CallFuture<crate::models::#response, crate::errors::#error> {
                let handle = self.handle.clone();
                handle.send(crate::runtime::ActionId::new(#index), #input)
            }
        }

        #paging

        #tests
    }
}

/// For an action with a `pagination` block: `into_paginator()` and the runtime's
/// `PagedRequest` implementation, which says where the offset, limit, total and items are.
fn paging(model: &Model, a: &ActionModel, d: &mut DocText) -> TokenStream {
    let Some(p) = &a.pagination else {
        return quote!();
    };
    let (request, response) = (model.struct_(a.request), model.struct_(a.response));
    let (offset, limit) = (&request.fields[p.offset], &request.fields[p.limit]);
    let items = &response.fields[p.items];
    let ty = ident(&a.type_name);
    let response_type = ident(&response.type_name);
    let response_type = quote!(crate::models::#response_type);
    let error = ident(&a.error_type);
    let error = quote!(crate::errors::#error);
    let wire = &a.wire_name;
    let limit_wire = &limit.wire_name;
    let max = proc_macro2::Literal::u64_unsuffixed(p.max_page_size);
    let item_type = match &items.ty {
        FieldType::List(inner) => rust_type(inner),
        other => rust_type(other),
    };
    // Request integers are i64 or u64; the paginator counts in u64.
    let read = |f: &FieldModel| {
        let name = field_token(f);
        match f.ty {
            FieldType::Uint64 => quote!(self.#name),
            _ => quote!(self.#name.and_then(|v| u64::try_from(v).ok())),
        }
    };
    let write = |f: &FieldModel, value: TokenStream| {
        let name = field_token(f);
        match f.ty {
            FieldType::Uint64 => quote!(self.#name = Some(#value);),
            _ => quote!(self.#name = Some(i64::try_from(#value).unwrap_or(i64::MAX));),
        }
    };
    let (read_offset, read_limit) = (read(offset), read(limit));
    let (write_offset, write_limit) = (write(offset, quote!(offset)), write(limit, quote!(limit)));
    let total = match p.total.map(|i| &response.fields[i]) {
        None => quote!(None),
        Some(f) => {
            let name = field_token(f);
            match (f.required, &f.ty) {
                (true, FieldType::Uint64) => quote!(Some(output.#name)),
                (true, _) => quote!(u64::try_from(output.#name).ok()),
                (false, FieldType::Uint64) => quote!(output.#name),
                (false, _) => quote!(output.#name.and_then(|v| u64::try_from(v).ok())),
            }
        }
    };
    let items_name = field_token(items);
    let (len, take) = if items.required {
        (quote!(output.#items_name.len()), quote!(output.#items_name))
    } else {
        (
            quote!(output.#items_name.as_ref().map_or(0, Vec::len)),
            quote!(output.#items_name.unwrap_or_default()),
        )
    };
    let docs = d.doc(&format!(
        "Pages through `{wire}`: `.send()` yields each response and `.items().send()` each of \
         `{}`, with `next().await` or `try_collect().await`. Every member set here is sent with \
         every page; the page size defaults to the largest the service accepts ({}), and \
         `.page_size(n)` chooses another. See [`crate::runtime::paginator`] for when paging stops.",
        items.wire_name, p.max_page_size
    ));
    quote! {
        impl #ty {
            #docs
            #[inline]
            pub fn into_paginator(self) -> crate::runtime::paginator::Paginator<Self> {
                crate::runtime::paginator::Paginator::new(self)
            }
        }

        impl crate::runtime::paginator::PagedRequest for #ty {
            type Output = #response_type;
            type Item = #item_type;
            type Error = #error;
            const ACTION: &'static str = #wire;
            const LIMIT_MEMBER: &'static str = #limit_wire;
            const MAX_PAGE_SIZE: u64 = #max;

            #[inline]
            fn offset(&self) -> Option<u64> {
                #read_offset
            }

            #[inline]
            fn limit(&self) -> Option<u64> {
                #read_limit
            }

            #[inline]
            fn with_page(mut self, offset: u64, limit: u64) -> Self {
                #write_offset
                #write_limit
                self
            }

            #[inline]
            fn send_page(self) -> crate::runtime::CallFuture<#response_type, #error> {
                self.send()
            }

            #[inline]
            fn total(output: &#response_type) -> Option<u64> {
                #total
            }

            #[inline]
            fn page_len(output: &#response_type) -> usize {
                #len
            }

            #[inline]
            fn into_items(output: #response_type) -> Vec<#item_type> {
                #take
            }
        }
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
        // A member the example gives as `null` is `None`, which is written by leaving it out.
        let input = without_nulls(e.input.to_value()).to_string();
        let output = without_nulls(e.output.to_value()).to_string();
        let mut secrets = Vec::new();
        let mut plain = Vec::new();
        collect_secrets(model, request, &e.input, &mut secrets, &mut plain);
        collect_secrets(model, response, &e.output, &mut secrets, &mut plain);
        // A secret whose text also stands in a member that is not secret (a region inside a
        // host name) is rightly shown there; only the others can be looked for in `Debug`.
        secrets.retain(|secret| !plain.iter().any(|text| text.contains(secret.as_str())));
        quote!((#title, #input, #output, &[#(#secrets),*]))
    });
    let check = if request.validates {
        quote!(|r| crate::runtime::validation::Validate::validate(r, "example"))
    } else {
        quote!(|_| Ok(()))
    };
    quote! {
        #[cfg(test)]
        mod tests {
            #[test]
            fn spec_examples_round_trip_and_hide_secrets() {
                crate::runtime::test_util::check_examples::<crate::models::#request_type, crate::models::#response_type>(&[#(#rows),*], #check);
            }
        }
    }
}

/// The value with every `null` object member removed, at any depth.
fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(entries) => entries
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k, without_nulls(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        serde_json::Value::Array(items) => items.into_iter().map(without_nulls).collect(),
        other => other,
    }
}

/// The example's string values at sensitive members (`secrets`) and at the others (`plain`),
/// looking through nested objects and lists.
fn collect_secrets(
    model: &Model,
    s: &crate::model::StructModel,
    value: &Json,
    secrets: &mut Vec<String>,
    plain: &mut Vec<String>,
) {
    let Json::Object(entries) = value else { return };
    for f in &s.fields {
        let Some((_, v)) = entries.iter().find(|(k, _)| k == &f.wire_name) else {
            continue;
        };
        let texts = match v {
            Json::String(text) => vec![text.clone()],
            Json::Array(items) => items
                .iter()
                .filter_map(|i| match i {
                    Json::String(text) => Some(text.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        if f.sensitive {
            secrets.extend(texts);
        } else {
            plain.extend(texts);
        }
        if let FieldType::Object { id, .. } = f.ty.element() {
            let inner = model.struct_(*id);
            match v {
                Json::Array(items) => items
                    .iter()
                    .for_each(|i| collect_secrets(model, inner, i, secrets, plain)),
                other => collect_secrets(model, inner, other, secrets, plain),
            }
        }
    }
}
