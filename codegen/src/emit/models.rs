//! `models/`: one file per struct (named objects, requests, responses), each one invocation of
//! the runtime's `model!` macro, which writes the struct, its builder, its wire format and, when
//! it has rules, its `Validate` implementation.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::text;
use super::util::{feature_note, field_token, number_literal, rust_type};
use crate::model::{field_validates, EnumModel, FieldModel, FieldType, Model, Role, StructId, StructModel};

/// `models/mod.rs`: declares every struct's module and re-exports what it defines (the macro
/// gates each item on its features, so the modules themselves are always declared).
pub fn mod_file(model: &Model) -> String {
    let mut out = String::new();
    text::module_doc(
        &mut out,
        &format!(
            "Wire models of `{}` {}: every object, and each action's request and response.\n\n\
             Field names follow Rust conventions; each field's docs give its wire name. Every struct \
             is `#[non_exhaustive]` and has a builder, so new fields are not breaking changes and \
             tests can still construct values. Each file is one invocation of \
             [`model!`](crate::runtime::model), which writes the struct, its builder and its wire \
             format.",
            model.service.name, model.service.version
        ),
    );
    // Each file's items carry their own feature gates, so with a category off its modules
    // re-export nothing; that is expected, not an unused import.
    out.push_str("\n#![allow(unused_imports)]\n\n");
    for (i, s) in model.structs.iter().enumerate() {
        if !model.is_empty_response(StructId(i)) {
            let _ = writeln!(out, "mod {0};\npub use {0}::*;", s.module_ident);
        }
    }
    for e in &model.enums {
        let _ = writeln!(out, "mod {0};\npub use {0}::*;", e.module_ident);
    }
    let mut empty = model
        .actions
        .iter()
        .filter(|a| model.is_empty_response(a.response))
        .peekable();
    if empty.peek().is_some() {
        out.push_str("mod empty_response;\npub use empty_response::*;\n");
    }
    for a in empty {
        let s = model.struct_(a.response);
        text::doc(
            &mut out,
            "",
            &format!(
                "The answer of [`{}`](crate::Client::{}): only the request id, as [`EmptyResponse`].{}",
                a.wire_name,
                a.method,
                feature_note(a.feature.as_slice())
            ),
        );
        let cfg = cfg_attr(a.feature.as_slice());
        let _ = writeln!(out, "{cfg}pub type {} = EmptyResponse;", s.type_name);
        let _ = writeln!(
            out,
            "/// The builder of [`{}`].\n{cfg}pub type {} = EmptyResponseBuilder;",
            s.type_name, s.builder_name
        );
    }
    out
}

/// `#[cfg(feature = "...")]` and a newline, or nothing when there is no feature.
fn cfg_attr(feature: &[String]) -> String {
    match feature {
        [] => String::new(),
        [one] => format!("#[cfg(feature = {one:?})]\n"),
        many => {
            let list: Vec<String> = many.iter().map(|f| format!("feature = {f:?}")).collect();
            format!("#[cfg(any({}))]\n", list.join(", "))
        }
    }
}

/// `models/empty_response.rs`: the answer of every action whose answer holds only the request id.
pub fn empty_response() -> String {
    "crate::runtime::model! {\n    \
     /// The answer of an action that returns nothing but the request id: `{Action}Response` is this\n    \
     /// type for each such action.\n    \
     pub struct EmptyResponse / EmptyResponseBuilder {\n        \
     /// The id of the request, for Tencent Cloud support.\n        \
     req request_id: String = \"RequestId\",\n    \
     }\n}\n"
        .to_owned()
}

/// One enumeration's file: a `string_enum!` invocation.
pub fn emit_enum(e: &EnumModel) -> String {
    let mut out = String::new();
    out.push_str("crate::runtime::string_enum! {\n");
    text::doc(
        &mut out,
        "    ",
        &format!("{}{}", e.doc.trim(), feature_note(&e.features)),
    );
    let _ = writeln!(out, "    pub enum {}{} {{", e.type_name, text::gate(&e.features));
    for v in &e.values {
        text::doc(&mut out, "        ", v.doc.trim());
        let _ = writeln!(out, "        {} = {:?},", v.variant, v.value);
    }
    out.push_str("    }\n}\n");
    out
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
    "deserialize",
    "to_wire",
    "from_wire",
    "builder",
];

/// One struct's file: a `model!` invocation.
pub fn emit_struct(s: &StructModel) -> String {
    let mut out = String::new();
    out.push_str("crate::runtime::model! {\n");
    let mut doc = s.doc.clone();
    if s.role == Role::Response {
        doc.push_str(
            "\n\nDecoded tolerantly: unknown members are skipped, and a value of another JSON type is \
             accepted when it converts without loss (see [`crate::runtime::wire::scalars`]).",
        );
    }
    doc.push_str(&feature_note(&s.features));
    text::doc(&mut out, "    ", &doc);
    let request = if s.role == Role::Request { " request" } else { "" };
    let _ = writeln!(
        out,
        "    pub struct {} / {}{}{request} {{",
        s.type_name,
        s.builder_name,
        text::gate(&s.features)
    );
    for f in &s.fields {
        member(&mut out, s, f);
    }
    out.push_str("    }\n");
    if s.validates {
        match text::statements(validate_body(s), "        ") {
            Some(lines) => {
                out.push_str("    validate(self, checker) {\n");
                for line in lines {
                    out.push_str(&line);
                    out.push('\n');
                }
                out.push_str("    }\n");
            }
            // Our own tokens always parse; should they not, the file fails to compile and says why.
            None => out.push_str("    compile_error!(\"internal error: the checks do not parse\")\n"),
        }
    }
    out.push_str("}\n");
    out
}

/// One member line, with its documentation.
fn member(out: &mut String, s: &StructModel, f: &FieldModel) {
    let mut doc = f.doc.trim().to_owned();
    if f.disabled {
        doc.push_str("\n\nThe service has disabled this member; it is kept for completeness.");
    }
    if f.sensitive {
        doc.push_str("\n\nSensitive: `Debug` prints a redaction marker; read it with `expose_secret()`.");
    }
    text::doc(out, "        ", &doc);
    let base = text::type_text(&f.ty);
    // A list of enums has a setter taking any iterable of values that convert into the enum.
    let enums = matches!(&f.ty, FieldType::List(inner) if matches!(**inner, FieldType::Enum { .. }));
    let suffix = if enums { "_enums" } else { "" };
    let (kind, ty) = if f.required {
        ("req", stored(f, base))
    } else if let (FieldType::List(inner), true) = (&f.ty, has_accessor(s, f)) {
        ("list", text::type_text(inner))
    } else {
        ("opt", stored(f, base))
    };
    let set = if s.role == Role::Request {
        format!(" / {}", f.option_setter)
    } else {
        String::new()
    };
    let _ = writeln!(out, "        {kind}{suffix} {}{set}: {ty} = {:?},", f.name, f.wire_name);
}

/// The stored type: sensitive text and boxed objects wrapped.
fn stored(f: &FieldModel, base: String) -> String {
    if f.sensitive {
        format!("crate::runtime::Sensitive<{base}>")
    } else if f.boxed {
        format!("Box<{base}>")
    } else {
        base
    }
}

/// Whether an optional list gets a slice accessor (as in aws-sdk-rust, a list the service left
/// out reads as empty): on responses and objects, not on requests, which the caller fills.
fn has_accessor(s: &StructModel, f: &FieldModel) -> bool {
    s.role != Role::Request && !f.sensitive && !f.boxed && !TRAIT_METHODS.contains(&f.name.as_str())
}

/// The statements of the struct's `Validate` body: `self` is the value, `checker` the checker.
fn validate_body(s: &StructModel) -> TokenStream {
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
    quote! { #(#checks)* }
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
