//! Writing macro invocations as text.
//!
//! The per-item parts of generated files are invocations of the runtime's macros (`model!`,
//! ...), whose bodies `prettyplease` cannot lay out (it prints a macro's tokens as one run of
//! text). These helpers write them line by line instead: documentation as `///` lines wrapped
//! like the rest of the generated docs, types as Rust source, and any plain Rust a body needs
//! (a `validate` block) formatted by `prettyplease` on its own and indented into place.

use proc_macro2::TokenStream;
use quote::quote;

use super::util::doc_lines;
use crate::model::FieldType;

/// Appends `text` as `///` lines at `indent`.
pub fn doc(out: &mut String, indent: &str, text: &str) {
    doc_with(out, indent, "///", text);
}

/// Appends `text` as a module's `//!` lines.
pub fn module_doc(out: &mut String, text: &str) {
    doc_with(out, "", "//!", text);
}

fn doc_with(out: &mut String, indent: &str, marker: &str, text: &str) {
    for line in doc_lines(text) {
        out.push_str(indent);
        out.push_str(marker);
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// A member's Rust type as source text (`Vec<crate::models::Zone>`).
pub fn type_text(ty: &FieldType) -> String {
    match ty {
        FieldType::String => "String".to_owned(),
        FieldType::Int64 => "i64".to_owned(),
        FieldType::Uint64 => "u64".to_owned(),
        FieldType::Float => "f64".to_owned(),
        FieldType::Bool => "bool".to_owned(),
        FieldType::DateTime => "crate::runtime::DateTime".to_owned(),
        FieldType::Date => "crate::runtime::Date".to_owned(),
        FieldType::List(inner) => format!("Vec<{}>", type_text(inner)),
        FieldType::Object { type_name, .. } | FieldType::Enum { type_name } => {
            format!("crate::models::{type_name}")
        }
    }
}

/// `[predicate]` for an item compiled when any of `features` is on; empty when there are none.
pub fn gate(features: &[String]) -> String {
    match features {
        [] => String::new(),
        [one] => format!(" [feature = {one:?}]"),
        many => {
            let list: Vec<String> = many.iter().map(|f| format!("feature = {f:?}")).collect();
            format!(" [any({})]", list.join(", "))
        }
    }
}

/// Statements formatted by `prettyplease`, as lines indented by `indent`: the body of a block a
/// macro invocation carries. `None` when the tokens are not statements (a generator bug, which
/// the caller reports).
pub fn statements(tokens: TokenStream, indent: &str) -> Option<Vec<String>> {
    let file: syn::File = syn::parse2(quote! { fn __body() { #tokens } }).ok()?;
    let text = prettyplease::unparse(&file);
    let lines: Vec<&str> = text.lines().collect();
    // `fn __body() {`, the statements indented by four spaces, `}`.
    let body = lines.get(1..lines.len().saturating_sub(1))?;
    Some(
        body.iter()
            .map(|line| {
                let line = line.strip_prefix("    ").unwrap_or(line);
                if line.is_empty() {
                    String::new()
                } else {
                    format!("{indent}{line}")
                }
            })
            .collect(),
    )
}
