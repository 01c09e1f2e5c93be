//! `errors/`: the enum of API 3.0 common errors, and one error enum per action with a variant
//! per documented code, `Common` for the common codes and `Unhandled` for any other code.
//!
//! An action that documents no codes of its own gets no enum of its own: its `{Action}Error` is
//! an alias of `GeneralError`, which has the same `Common` and `Unhandled` variants and methods.
//! A code-less enum per action would be identical code, compiled once per action for nothing
//! (most actions of a freshly imported service list no codes).

use proc_macro2::TokenStream;
use quote::quote;

use super::util::DocText;
use super::util::{feature_gate, use_runtime};
use crate::model::{ActionModel, ErrorVariant, Model};
use crate::names::ident;
use crate::naming::{ACTION_ERROR, COMMON_ERROR_TYPE, GENERAL_ERROR_TYPE, SERVICE_ERROR};

/// `errors/mod.rs`: declares the common and general errors, and each action's error module or
/// alias.
pub fn mod_file(model: &Model, d: &mut DocText) -> TokenStream {
    let mut mods = vec![quote! {
        mod common;
        pub use common::CommonError;
        mod general;
        pub use general::GeneralError;
    }];
    for a in &model.actions {
        let ty = ident(&a.error_type);
        let gate = feature_gate(a.feature.as_slice());
        if a.errors.is_empty() {
            let alias_doc = d.doc(&format!(
                "Why [`{}`](crate::Client::{}) failed, when the service answered with an error.\n\n\
                 The spec lists no codes of its own for this action, so this is [`GeneralError`]: a\n\
                 common code (`Common`) or any other code, kept verbatim (`Unhandled`). Once the spec\n\
                 lists codes for it, it becomes an enum of its own with those two variants and one per\n\
                 code, so code matching on `Common` and `Unhandled` keeps compiling.",
                a.wire_name, a.method
            ));
            mods.push(quote! { #alias_doc #gate pub type #ty = GeneralError; });
        } else {
            let module = ident(&a.module_ident);
            mods.push(quote! { #gate mod #module; #gate pub use #module::#ty; });
        }
    }
    let docs = d.module_doc(
        "Typed errors: one enum per action, built from the `Response.Error` the service returns.\n\n\
         Each enum has a variant per code the action documents, `Common` for the API 3.0 common\n\
         codes, and `Unhandled`, which keeps any other code verbatim. An action that documents no\n\
         codes has [`GeneralError`], under its own name.",
    );
    quote! { #docs #(#mods)* }
}

fn variant_doc(v: &ErrorVariant, d: &mut DocText) -> TokenStream {
    if v.description.trim().is_empty() {
        d.doc(&format!("`{}` (the spec does not say more).", v.code))
    } else {
        d.doc(&format!("`{}`: {}", v.code, v.description))
    }
}

/// `Code(ServiceError)` with its docs, per code.
fn variant_items(codes: &[ErrorVariant], d: &mut DocText) -> Vec<TokenStream> {
    codes
        .iter()
        .map(|v| {
            let docs = variant_doc(v, d);
            let name = ident(&v.variant);
            quote!(#docs #name(ServiceError))
        })
        .collect()
}

fn predicates(variants: &[ErrorVariant]) -> impl Iterator<Item = TokenStream> + '_ {
    variants.iter().map(|v| {
        let name = ident(&v.predicate);
        let variant = ident(&v.variant);
        let d = format!(" Whether this is `{}`.", v.code);
        quote! {
            #[doc = #d]
            pub fn #name(&self) -> bool {
                matches!(self, Self::#variant(_))
            }
        }
    })
}

/// `code()`, `message()`, `request_id()`, `Display` and `Error`, shared by both kinds of enum:
/// one line, the runtime's `action_error!`, which writes them through `ActionError`.
fn accessors(ty: &proc_macro2::Ident) -> TokenStream {
    quote! { crate::runtime::action_error!(#ty); }
}

/// `errors/common.rs`: the API 3.0 common errors.
pub fn common(model: &Model, d: &mut DocText) -> TokenStream {
    let vs = &model.common_errors;
    let variants = variant_items(vs, d);
    let arms = vs.iter().map(|v| {
        let code = &v.code;
        let name = ident(&v.variant);
        quote!(#code => Ok(Self::#name(error)))
    });
    let names: Vec<_> = vs.iter().map(|v| ident(&v.variant)).collect();
    let preds = predicates(vs);
    let ty = ident(COMMON_ERROR_TYPE);
    // `CommonError` is no action's error (it has no `ActionError` impl), so it gets the same
    // accessors written out.
    let shared = quote! {
        impl #ty {
            /// The error code, verbatim and whole.
            pub fn code(&self) -> &str {
                self.service_error().code()
            }
            /// The message the service gave, whole (`Display` and `Debug` show it cut to a
            /// bounded length, as [`ServiceError`] does).
            pub fn message(&self) -> &str {
                self.service_error().message()
            }
            /// The request id, whole, for Tencent Cloud support.
            pub fn request_id(&self) -> &str {
                self.service_error().request_id()
            }
        }

        impl std::fmt::Display for #ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(self.service_error(), f)
            }
        }

        impl std::error::Error for #ty {}
    };
    let docs = d.module_doc("The API 3.0 common error codes, which any action can return.");
    let common_uses = use_runtime(&[SERVICE_ERROR]);
    let service_error = if names.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(Self::#names(e))|* => e })
    };
    quote! {
        #docs
        #common_uses

        /// An API 3.0 common error: a code any action of any service can return.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum CommonError {
            #(#variants,)*
        }

        impl CommonError {
            /// Classifies `error` as a common error, or gives it back when its code is not one.
            pub fn from_service_error(error: ServiceError) -> Result<Self, ServiceError> {
                match error.code() {
                    #(#arms,)*
                    _ => Err(error),
                }
            }

            /// The underlying service error.
            pub fn service_error(&self) -> &ServiceError {
                #service_error
            }

            #(#preds)*
        }

        #shared
    }
}

/// `errors/general.rs`: the error of every action that lists no codes of its own.
pub fn general(d: &mut DocText) -> TokenStream {
    let module = d.module_doc("The error of the actions that list no codes of their own.");
    let enum_doc = d.doc(
        "Why a call failed, when the service answered with an error, for an action whose spec\n\
         lists no codes of its own: `{Action}Error` is this type for each such action.\n\n\
         Match on the variant; `code()`, `message()` and `request_id()` work on both.",
    );
    let body = error_enum(&ident(GENERAL_ERROR_TYPE), enum_doc, &[], d);
    quote! { #module #body }
}

/// `errors/{action}.rs`: one action's error enum (only for an action that lists codes).
pub fn action(a: &ActionModel, d: &mut DocText) -> TokenStream {
    let module = d.module_doc(&format!("The errors of `{}`.", a.wire_name));
    let enum_doc = d.doc(&format!(
        "Why [`{}`](crate::Client::{}) failed, when the service answered with an error.\n\n\
         Match on the variant, or use the `is_*` methods; `code()`, `message()` and `request_id()`\n\
         work on every variant.",
        a.wire_name, a.method
    ));
    let body = error_enum(&ident(&a.error_type), enum_doc, &a.errors, d);
    quote! { #module #body }
}

/// An error enum: a variant per code in `codes`, then `Common` and `Unhandled`, with
/// `ActionError`, the `is_*` predicates, the accessors, `Display` and `Error`.
fn error_enum(ty: &proc_macro2::Ident, enum_doc: TokenStream, codes: &[ErrorVariant], d: &mut DocText) -> TokenStream {
    let variants = variant_items(codes, d);
    let names: Vec<_> = codes.iter().map(|v| ident(&v.variant)).collect();
    let common_or_unhandled = quote! {
        match CommonError::from_service_error(error) {
            Ok(common) => Self::Common(common),
            Err(error) => Self::Unhandled(error),
        }
    };
    let classify = if codes.is_empty() {
        common_or_unhandled
    } else {
        let arms = codes.iter().zip(&names).map(|(v, name)| {
            let code = &v.code;
            quote!(#code => Self::#name(error))
        });
        quote! {
            match error.code() {
                #(#arms,)*
                _ => #common_or_unhandled,
            }
        }
    };
    let predicates = if codes.is_empty() {
        quote!()
    } else {
        let preds = predicates(codes);
        quote! { impl #ty { #(#preds)* } }
    };
    let common_doc = if codes.is_empty() {
        " An API 3.0 common error."
    } else {
        " An API 3.0 common error that this action does not list."
    };
    let shared = accessors(ty);
    let uses = use_runtime(&[ACTION_ERROR, SERVICE_ERROR]);
    quote! {
        use crate::errors::CommonError;
        #uses

        #enum_doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #ty {
            #(#variants,)*
            #[doc = #common_doc]
            Common(CommonError),
            /// A code this client's spec does not know, kept verbatim.
            Unhandled(ServiceError),
        }

        #predicates

        impl ActionError for #ty {
            fn from_service_error(error: ServiceError) -> Self {
                #classify
            }

            fn service_error(&self) -> &ServiceError {
                match self {
                    #(Self::#names(e) |)* Self::Unhandled(e) => e,
                    Self::Common(common) => common.service_error(),
                }
            }
        }

        #shared
    }
}
