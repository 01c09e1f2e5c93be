//! `models/`: one file per struct (named objects, requests, responses) with its builder and,
//! when it has constraints, its `Validate` implementation.

use proc_macro2::TokenStream;
use quote::quote;

use super::util::{feature_gate, feature_note, use_runtime};
use super::util::{field_token, number_literal, rust_type, setter, stored_type, DocText};
use crate::model::{field_validates, FieldModel, FieldType, Model, Role, StructModel};
use crate::names::ident;
use crate::naming::{CHECKER, DATE, DATE_TIME, SENSITIVE, VALIDATE, VALIDATION_ERROR};

/// `models/mod.rs`: declares every struct's module and re-exports the struct and its builder.
pub fn mod_file(model: &Model, d: &mut DocText) -> TokenStream {
    let mut mods = Vec::new();
    for s in &model.structs {
        let module = ident(&s.module_ident);
        let ty = ident(&s.type_name);
        let builder = ident(&s.builder_name);
        let gate = feature_gate(&s.features);
        mods.push(quote! {
            #gate
            mod #module;
            #gate
            pub use #module::{#ty, #builder};
        });
    }
    let docs = d.module_doc(&format!(
        "Wire models of `{}` {}: every object, and each action's request and response.\n\n\
         Field names follow Rust conventions; each field's docs give its wire name, and each\n\
         struct's `WireStruct` impl (de)serializes by wire name.\n\
         Every struct is `#[non_exhaustive]` and has a builder, so new fields are not breaking\n\
         changes and tests can still construct values.",
        model.service.name, model.service.version
    ));
    quote! { #docs #(#mods)* }
}

/// One struct's file: the struct, its builder, serde and (when it has rules) `Validate`.
pub fn emit_struct(s: &StructModel, d: &mut DocText) -> TokenStream {
    let ty = ident(&s.type_name);
    let builder = ident(&s.builder_name);
    let docs = match s.role {
        Role::Response => d.doc(
            &(format!(
                "{}\n\nDecoded tolerantly: unknown members are skipped, an optional member left out \
             or sent as `null` reads as `None` (a list also reads as empty through its accessor), \
             and a number sent as a string, or the reverse, or `0`/`1` for a boolean, is accepted \
             when it converts without loss.",
                s.doc
            ) + &feature_note(&s.features)),
        ),
        _ => d.doc(&(s.doc.clone() + &feature_note(&s.features))),
    };
    let fields: Vec<_> = s.fields.iter().map(|f| struct_field(f, d)).collect();
    let builder_fields = s.fields.iter().map(|f| {
        let name = field_token(f);
        let stored = stored_type(f);
        quote!(pub(crate) #name: Option<#stored>)
    });
    let setters: Vec<_> = s.fields.iter().map(|f| builder_setter(s, f, d)).collect();
    let build = build_fn(s);
    let validate = if s.validates { validate_impl(s) } else { quote!() };
    let serde = serde_impls(s);
    let mut items = vec![VALIDATION_ERROR];
    if s.fields.iter().any(|f| f.sensitive) {
        items.push(SENSITIVE);
    }
    if s.fields.iter().any(|f| f.ty.element() == &FieldType::DateTime) {
        items.push(DATE_TIME);
    }
    if s.fields.iter().any(|f| f.ty.element() == &FieldType::Date) {
        items.push(DATE);
    }
    if s.validates {
        items.extend([CHECKER, VALIDATE]);
    }
    let uses = use_runtime(&items);
    let builder_doc = format!(" A builder for [`{}`].", s.type_name);
    let ctor_doc = format!(" Starts a [`{}`].", s.builder_name);
    let accessors = list_accessors(s);
    quote! {
        #uses

        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct #ty {
            #(#fields,)*
        }

        impl #ty {
            #[doc = #ctor_doc]
            pub fn builder() -> #builder {
                Default::default()
            }

            #(#accessors)*
        }

        #[doc = #builder_doc]
        #[derive(Clone, Debug, Default)]
        pub struct #builder {
            #(#builder_fields,)*
        }

        impl #builder {
            #(#setters)*
            #build
        }

        #serde

        #validate
    }
}

/// Methods of the traits generated structs implement: an inherent accessor of the same name
/// would shadow them in method-call syntax, so such a field gets no accessor.
const TRAIT_METHODS: &[&str] = &[
    "validate",
    "validate_into",
    "clone",
    "fmt",
    "eq",
    "ne",
    "serialize",
    "read",
];

/// A slice accessor, named like its field, for each optional list of a response or an object: a
/// member the service left out reads as an empty list, as in aws-sdk-rust. Request structs,
/// which the caller fills, have none.
fn list_accessors(s: &StructModel) -> Vec<TokenStream> {
    if s.role == Role::Request {
        return Vec::new();
    }
    s.fields
        .iter()
        .filter(|f| !f.required && !f.sensitive && !f.boxed && !TRAIT_METHODS.contains(&f.name.as_str()))
        .filter_map(|f| {
            let FieldType::List(inner) = &f.ty else {
                return None;
            };
            let name = field_token(f);
            let item = rust_type(inner);
            let doc = format!(
                " [`{0}`](Self#structfield.{0}) as a slice: empty when the service left `{1}` out or \
                 sent `null`.",
                f.name.trim_start_matches("r#"),
                f.wire_name
            );
            Some(quote! {
                #[doc = #doc]
                pub fn #name(&self) -> &[#item] {
                    self.#name.as_deref().unwrap_or_default()
                }
            })
        })
        .collect()
}

/// `Serialize` and `Deserialize` through `runtime::wire`: each struct lists its fields and hands
/// out its builder's fields by wire name, both without generics, so the per-struct code is small
/// and cheap to type-check; the generic serde plumbing is written once in the runtime.
fn serde_impls(s: &StructModel) -> TokenStream {
    let ty = ident(&s.type_name);
    let builder = ident(&s.builder_name);
    let name = &s.type_name;
    let writes = s.fields.iter().map(|f| {
        let field = field_token(f);
        let wire = &f.wire_name;
        if f.required {
            quote!(out.required(#wire, &self.#field);)
        } else {
            quote!(out.optional(#wire, &self.#field);)
        }
    });
    let write_fields = if s.fields.is_empty() {
        quote! {
            fn write_fields<'a>(&'a self, _out: &mut crate::runtime::wire::Fields<'a>) {}
        }
    } else {
        quote! {
            fn write_fields<'a>(&'a self, out: &mut crate::runtime::wire::Fields<'a>) {
                #(#writes)*
            }
        }
    };
    let slots = s.fields.iter().map(|f| {
        let field = field_token(f);
        let wire = &f.wire_name;
        quote!(#wire => &mut builder.#field)
    });
    let slot = if s.fields.is_empty() {
        quote! {
            fn slot<'b>(_builder: &'b mut #builder, _key: &str) -> Option<&'b mut dyn crate::runtime::wire::Slot> {
                None
            }
        }
    } else {
        quote! {
            fn slot<'b>(builder: &'b mut #builder, key: &str) -> Option<&'b mut dyn crate::runtime::wire::Slot> {
                let slot: &mut dyn crate::runtime::wire::Slot = match key {
                    #(#slots,)*
                    _ => return None,
                };
                Some(slot)
            }
        }
    };
    quote! {
        crate::runtime::wire_serde!(#ty);

        impl crate::runtime::wire::WireStruct for #ty {
            type Builder = #builder;
            const NAME: &'static str = #name;

            #write_fields

            #slot

            fn finish(builder: #builder) -> Result<Self, ValidationError> {
                builder.build()
            }
        }
    }
}

fn struct_field(f: &FieldModel, d: &mut DocText) -> TokenStream {
    let name = field_token(f);
    let stored = stored_type(f);
    let mut text = f.doc.trim().to_owned();
    text.push_str(&format!("\n\nWire name: `{}`.", f.wire_name));
    if f.disabled {
        text.push_str("\n\nThe service has disabled this member; it is kept for completeness.");
    }
    if f.sensitive {
        text.push_str("\n\nSensitive: `Debug` prints a redaction marker; read it with `expose_secret()`.");
    }
    let docs = d.doc(&text);
    if f.required {
        quote! {
            #docs
            pub #name: #stored
        }
    } else {
        quote! {
            #docs
            pub #name: Option<#stored>
        }
    }
}

/// The builder's setter of a field. Its doc points at the field rather than repeating its text,
/// which would double the generated docs. There is no `set_*` taking an `Option` here: the
/// fluent builders of requests have one, and a second copy on every model builder would cost
/// compile time for a setter tests seldom need.
fn builder_setter(s: &StructModel, f: &FieldModel, d: &mut DocText) -> TokenStream {
    let name = field_token(f);
    let (param, convert) = setter(f);
    let mut text = format!("Sets [`{}::{}`] (`{}`).", s.type_name, name, f.wire_name);
    if f.sensitive {
        text.push_str(" Sensitive: kept out of `Debug`.");
    }
    let docs = d.doc(&text);
    quote! {
        #docs
        pub fn #name(mut self, value: #param) -> Self {
            self.#name = Some(#convert);
            self
        }
    }
}

fn build_fn(s: &StructModel) -> TokenStream {
    let ty = ident(&s.type_name);
    let target = &s.type_name;
    let required: Vec<&FieldModel> = s.fields.iter().filter(|f| f.required).collect();
    let all = s.fields.iter().map(|f| {
        let name = field_token(f);
        if f.required {
            quote!(#name)
        } else {
            quote!(#name: self.#name)
        }
    });
    let doc = if required.is_empty() {
        " Builds the value; this struct has no required members, so it cannot fail.".to_owned()
    } else {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire_name)).collect();
        format!(
            " Builds the value, or names every missing required member ({}).",
            names.join(", ")
        )
    };
    if required.is_empty() {
        return quote! {
            #[doc = #doc]
            pub fn build(self) -> Result<#ty, ValidationError> {
                Ok(#ty { #(#all,)* })
            }
        };
    }
    let names: Vec<_> = required.iter().map(|f| field_token(f)).collect();
    let wires: Vec<_> = required.iter().map(|f| f.wire_name.as_str()).collect();
    let (scrutinee, ok_pat, err_pat) = if names.len() == 1 {
        let n = &names[0];
        (quote!(self.#n), quote!(Some(#n)), quote!(#n))
    } else {
        (
            quote!((#(self.#names,)*)),
            quote!((#(Some(#names),)*)),
            quote!((#(#names,)*)),
        )
    };
    quote! {
        #[doc = #doc]
        pub fn build(self) -> Result<#ty, ValidationError> {
            match #scrutinee {
                #ok_pat => Ok(#ty { #(#all,)* }),
                #err_pat => {
                    // `__checker` cannot be a field's name (fields never hold `__`), so it shadows none.
                    let mut __checker = crate::runtime::validation::Checker::default();
                    #( __checker.required(#wires, #names.is_some()); )*
                    Err(__checker.into_error(#target))
                }
            }
        }
    }
}

fn validate_impl(s: &StructModel) -> TokenStream {
    let ty = ident(&s.type_name);
    let checks = s.fields.iter().filter(|f| field_validates(f)).map(|f| {
        let name = field_token(f);
        let wire = &f.wire_name;
        let value = if f.sensitive {
            quote!(value.expose_secret())
        } else {
            quote!(value)
        };
        let mut body = TokenStream::new();
        if let Some(b) = &f.constraints.count {
            let (min, max) = (opt_u64(b.min), opt_u64(b.max));
            body.extend(quote!(checker.count(#wire, #value.len(), #min, #max);));
        }
        body.extend(element_checks(f, &f.ty, quote!(#wire), value));
        if f.required {
            quote! { { let value = &self.#name; #body } }
        } else {
            quote! { if let Some(value) = &self.#name { #body } }
        }
    });
    quote! {
        impl Validate for #ty {
            fn validate_into(&self, checker: &mut Checker) {
                #(#checks)*
            }
        }
    }
}

/// The checks of one value (`value` is a reference) named `member`; lists recurse per element.
fn element_checks(f: &FieldModel, ty: &FieldType, member: TokenStream, value: TokenStream) -> TokenStream {
    let c = &f.constraints;
    match ty {
        FieldType::List(inner) => {
            let inner_checks = element_checks(f, inner, quote!(member), quote!(item));
            if inner_checks.is_empty() {
                return inner_checks;
            }
            quote! {
                checker.each(#member, #value, |checker, member, item| { #inner_checks });
            }
        }
        FieldType::Object { validates: true, .. } => quote!(checker.nested(#member, #value);),
        FieldType::String => {
            let mut out = TokenStream::new();
            if let Some(b) = &c.length {
                let (min, max) = (opt_u64(b.min), opt_u64(b.max));
                out.extend(quote!(checker.length(#member, #value, #min, #max);));
            }
            if let Some(b) = &c.base64 {
                let (min, max) = (opt_u64(b.min), opt_u64(b.max));
                out.extend(quote!(checker.base64(#member, #value, #min, #max);));
            }
            if let Some(p) = &c.pattern {
                out.extend(quote! {
                    static PATTERN: crate::runtime::validation::Pattern = crate::runtime::validation::Pattern::new(#p);
                    checker.pattern(#member, #value, &PATTERN);
                });
            }
            if let Some(values) = &c.allowed {
                out.extend(quote!(checker.one_of(#member, #value, &[#(#values),*]);));
            }
            out
        }
        FieldType::Int64 | FieldType::Uint64 | FieldType::Float => match &c.range {
            Some(r) => {
                let bound = |n: &Option<serde_json::Number>| match n {
                    Some(n) => {
                        let lit = number_literal(ty, n);
                        quote!(Some(#lit))
                    }
                    None => {
                        let t = rust_type(ty);
                        quote!(None::<#t>)
                    }
                };
                let (min, max) = (bound(&r.min), bound(&r.max));
                quote!(checker.range(#member, *#value, #min, #max);)
            }
            None => quote!(),
        },
        _ => quote!(),
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let lit = proc_macro2::Literal::u64_unsuffixed(n);
            quote!(Some(#lit))
        }
        None => quote!(None),
    }
}
