//! `service.rs`: the static facts the runtime needs: endpoints, version, and per action its
//! wire name, rate limit, whether it only reads, and sensitive members.

use proc_macro2::TokenStream;
use quote::quote;

use super::util::{use_runtime, DocText};
use crate::model::Model;
use crate::naming::{ACTION_META, SERVICE_META};

pub fn emit(model: &Model, d: &mut DocText) -> TokenStream {
    let s = &model.service;
    let (name, version, endpoint, intl) = (&s.name, &s.version, &s.endpoint, &s.intl_endpoint);
    let count = proc_macro2::Literal::usize_unsuffixed(model.actions.len());
    let actions = model.actions.iter().map(|a| {
        let wire = &a.wire_name;
        let rate = match a.rate_limit {
            Some(r) => {
                let r = proc_macro2::Literal::u32_unsuffixed(r);
                quote!(Some(#r))
            }
            None => quote!(None),
        };
        let sensitive = &a.sensitive_fields;
        let read_only = a.read_only;
        quote! {
            ActionMeta {
                name: #wire,
                rate_limit_per_second: #rate,
                read_only: #read_only,
                sensitive_fields: &[#(#sensitive),*],
            }
        }
    });
    let docs = d.module_doc(&format!(
        "What the runtime needs to know about `{name}` {version} and its actions."
    ));
    let uses = use_runtime(&[ACTION_META, SERVICE_META]);
    quote! {
        #docs
        #uses

        /// The service: endpoints, version, and the action table.
        pub static SERVICE: ServiceMeta = ServiceMeta {
            name: #name,
            version: #version,
            endpoint: #endpoint,
            intl_endpoint: #intl,
            actions: &ACTIONS,
        };

        /// Every action, in spec order: an `ActionId` is a position here.
        pub static ACTIONS: [ActionMeta; #count] = [#(#actions),*];
    }
}
