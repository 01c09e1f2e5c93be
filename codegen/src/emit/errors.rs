//! `errors/`: the kinds of the API 3.0 common errors, and for each action a fieldless enum of the
//! codes it documents, with `Common` for the common codes and `Unhandled` for any other code.
//! The action's error type is the runtime's `CodedError` of that enum; each action file is one
//! invocation of the runtime's `error_kind!` macro.
//!
//! An action that documents no codes of its own gets no enum of its own: its `{Action}Error` is
//! an alias of `GeneralError`, whose kind has the same `Common` and `Unhandled` variants.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::text;
use super::util::{feature_cfg, DocText};
use crate::casing::ident;
use crate::model::{ActionModel, ErrorVariant, Model};

/// `errors/mod.rs`: declares the common and general errors, and each action's error module or
/// aliases.
pub fn mod_file(model: &Model) -> String {
    let mut out = String::new();
    text::module_doc(
        &mut out,
        "Typed errors: for each action, the kinds of error it documents and its error type, built \
         from the `Response.Error` the service returns.\n\n\
         `{Action}ErrorKind` has a variant per code the action documents, `Common` for the API 3.0 \
         common codes, and `Unhandled` for any other code; `{Action}Error` is \
         [`CodedError`](crate::runtime::CodedError) of it, which keeps the whole answer (code, \
         message, request id). An action that documents no codes has [`GeneralError`], under its \
         own name.",
    );
    // Each action's file gates its own items, so with a category off its module re-exports
    // nothing; that is expected, not an unused import.
    out.push_str("\n#![allow(unused_imports)]\n\nmod common;\npub use common::CommonErrorKind;\nmod general;\npub use general::{GeneralError, GeneralErrorKind};\n");
    for a in &model.actions {
        if a.errors.is_empty() {
            let cfg = feature_cfg(a.feature.as_slice())
                .to_string()
                .replace(' ', "")
                .replace("feature=", "feature = ");
            text::doc(
                &mut out,
                "",
                &format!(
                    "Why [`{}`](crate::Client::{}) failed, when the service answered with an error: the \
                     spec lists no codes of its own for this action, so this is [`GeneralError`].",
                    a.wire_name, a.method
                ),
            );
            let _ = writeln!(out, "{cfg}\npub type {} = GeneralError;", a.error_type);
            let _ = writeln!(
                out,
                "/// The kinds of [`{}`].\n{cfg}\npub type {}Kind = GeneralErrorKind;",
                a.error_type, a.error_type
            );
        } else {
            let _ = writeln!(out, "mod {0};\npub use {0}::*;", a.module_ident);
        }
    }
    out
}

fn variant_doc(v: &ErrorVariant) -> String {
    if v.description.trim().is_empty() {
        format!("`{}` (the spec does not say more).", v.code)
    } else {
        format!("`{}`: {}", v.code, v.description)
    }
}

/// `errors/common.rs`: the kinds of the API 3.0 common errors.
pub fn common(model: &Model, d: &mut DocText) -> TokenStream {
    let vs = &model.common_errors;
    let variants = vs.iter().map(|v| {
        let docs = d.doc(&variant_doc(v));
        let name = ident(&v.variant);
        quote!(#docs #name)
    });
    let variants: Vec<_> = variants.collect();
    let from_arms = vs.iter().map(|v| {
        let code = &v.code;
        let name = ident(&v.variant);
        quote!(#code => Some(Self::#name))
    });
    let docs = d.module_doc("The API 3.0 common error codes, which any action can return.");
    quote! {
        #docs

        /// An API 3.0 common error: a code any action of any service can return.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CommonErrorKind {
            #(#variants,)*
        }

        impl CommonErrorKind {
            /// The kind of `code`, when it is a common code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    #(#from_arms,)*
                    _ => None,
                }
            }
        }
    }
}

/// `errors/general.rs`: the error of every action that lists no codes of its own.
pub fn general() -> String {
    let mut out = String::new();
    text::module_doc(&mut out, "The error of the actions that list no codes of their own.");
    out.push_str("\ncrate::runtime::error_kind! {\n");
    text::doc(
        &mut out,
        "    ",
        "The kinds of error of an action whose spec lists no codes of its own: `{Action}ErrorKind` \
         is this type for each such action.",
    );
    out.push_str("    pub enum GeneralErrorKind for GeneralError {}\n}\n");
    out
}

/// `errors/{action}.rs`: one action's error kinds (only for an action that lists codes).
pub fn action(a: &ActionModel) -> String {
    let mut out = String::from("crate::runtime::error_kind! {\n");
    text::doc(
        &mut out,
        "    ",
        &format!(
            "Which error [`{}`](crate::Client::{}) failed with, when the service answered with one: \
             match on [`{}::kind`](crate::runtime::CodedError::kind).",
            a.wire_name, a.method, a.error_type
        ),
    );
    let _ = writeln!(
        out,
        "    pub enum {}Kind for {}{} {{",
        a.error_type,
        a.error_type,
        text::gate(a.feature.as_slice())
    );
    for v in &a.errors {
        text::doc(&mut out, "        ", &variant_doc(v));
        let _ = writeln!(out, "        {} = {:?},", v.variant, v.code);
    }
    out.push_str("    }\n}\n");
    out
}
