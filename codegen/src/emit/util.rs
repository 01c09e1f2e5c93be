//! Small helpers shared by the emitters: doc attributes, type tokens and literals.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::casing;
use crate::json::Json;
use crate::model::{FieldModel, FieldType};
use crate::naming::RuntimeItem;

/// Longest documentation line, in characters, before wrapping.
const DOC_WIDTH: usize = 96;

/// Starts a placeholder doc value; the number after it indexes [`DocText`]. A control character
/// that `doc_lines` never produces (every line it makes starts with a space).
pub const DOC_PLACEHOLDER: char = '\u{1}';

/// The doc text of one file being emitted, held aside by placeholder number.
///
/// Emitters write doc attributes through it: the tokens carry a short placeholder, and `format`
/// puts the lines back after `prettyplease` has run, exactly as it would have printed them. Doc
/// text needs no parsing, so holding it aside spares `syn` and `prettyplease` most of the text.
/// Each file gets its own, passed to its emitter and then to `format`.
#[derive(Debug, Default)]
pub struct DocText {
    blocks: Vec<Vec<String>>,
}

impl DocText {
    /// `#[doc = "..."]` lines for a block of documentation, long lines wrapped at word boundaries.
    pub fn doc(&mut self, text: &str) -> TokenStream {
        let lines = doc_lines(text);
        if lines.is_empty() {
            return TokenStream::new();
        }
        let placeholder = self.hold(lines);
        quote! { #[doc = #placeholder] }
    }

    /// `#![doc = "..."]` lines: a module's own documentation.
    pub fn module_doc(&mut self, text: &str) -> TokenStream {
        let lines = doc_lines(text);
        if lines.is_empty() {
            return TokenStream::new();
        }
        let placeholder = self.hold(lines);
        quote! { #![doc = #placeholder] }
    }

    fn hold(&mut self, lines: Vec<String>) -> String {
        self.blocks.push(lines);
        format!("{DOC_PLACEHOLDER}{}", self.blocks.len() - 1)
    }

    /// The lines of placeholder `value` (what follows `///` or `//!`), if it is one.
    pub fn lines_of(&self, value: &str) -> Option<&[String]> {
        let key = value.strip_prefix(DOC_PLACEHOLDER)?;
        self.blocks.get(key.parse::<usize>().ok()?).map(Vec::as_slice)
    }
}

/// The width of a Markdown list marker starting `line` (`- `, `* `, `12. `), with its indent; 0
/// when the line is not a list item.
fn list_marker_width(line: &str) -> usize {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    if rest.starts_with("- ") || rest.starts_with("* ") {
        return indent + 2;
    }
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && rest[digits..].starts_with(". ") {
        return indent + digits + 2;
    }
    0
}

pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    let mut after_item = false;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code {
            // A plain line right after a list item starts a new paragraph, as the spec's author
            // meant by the line break; Markdown would otherwise fold it into the item.
            let item = list_marker_width(line) > 0;
            if after_item && !item && !line.is_empty() && !line.starts_with(' ') {
                out.push(String::new());
            }
            after_item = item || (after_item && line.starts_with(' '));
        }
        // A Markdown table row must stay on one line.
        if in_code || line.starts_with('|') || line.chars().count() <= DOC_WIDTH {
            out.push(format!(" {line}"));
            continue;
        }
        // Continuation lines of a list item are indented under its text, so Markdown (and
        // clippy's `doc_lazy_continuation`) keeps them in the item.
        let hang = " ".repeat(list_marker_width(line));
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > DOC_WIDTH {
                out.push(format!(" {current}"));
                current.clone_from(&hang);
            }
            if !current.trim_start().is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push(format!(" {current}"));
    }
    out
}

/// The type of a list element or plain field, without `Option`.
pub fn rust_type(ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::String => quote!(String),
        FieldType::Int64 => quote!(i64),
        FieldType::Uint64 => quote!(u64),
        FieldType::Float => quote!(f64),
        FieldType::Bool => quote!(bool),
        FieldType::DateTime => quote!(DateTime),
        FieldType::Date => quote!(Date),
        FieldType::List(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        FieldType::Object { type_name, .. } | FieldType::Enum { type_name } => {
            let t = casing::ident(type_name);
            quote!(crate::models::#t)
        }
    }
}

/// The token of the field's name (which the model holds keyword-escaped).
pub fn field_token(f: &FieldModel) -> proc_macro2::Ident {
    casing::ident(&f.name)
}

/// A Rust expression building `value` for a setter call in a doc example, or `None` when the
/// value cannot be written simply (objects).
pub fn example_literal(ty: &FieldType, value: &Json) -> Option<String> {
    match (ty, value) {
        (FieldType::String | FieldType::DateTime | FieldType::Date | FieldType::Enum { .. }, Json::String(s)) => {
            Some(format!("{s:?}"))
        }
        (FieldType::Int64, Json::Number(n)) => Some(n.to_string()),
        // `impl Into<u64>` takes no `i32`, the type an unsuffixed literal defaults to.
        (FieldType::Uint64, Json::Number(n)) => Some(format!("{n}_u64")),
        (FieldType::Float, Json::Number(n)) => {
            let text = n.to_string();
            Some(if text.contains(['.', 'e', 'E']) {
                text
            } else {
                format!("{text}.0")
            })
        }
        (FieldType::Bool, Json::Bool(b)) => Some(b.to_string()),
        (FieldType::List(inner), Json::Array(items)) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| {
                    example_literal(inner, i).map(|s| {
                        if **inner == FieldType::String {
                            format!("{s}.to_string()")
                        } else {
                            s
                        }
                    })
                })
                .collect();
            parts.map(|p| format!("vec![{}]", p.join(", ")))
        }
        _ => None,
    }
}

/// A suffixed numeric literal for a range bound.
pub fn number_literal(ty: &FieldType, n: &serde_json::Number) -> TokenStream {
    match ty {
        FieldType::Int64 => n.as_i64().map(Literal::i64_suffixed),
        FieldType::Uint64 => n.as_u64().map(Literal::u64_suffixed),
        _ => n.as_f64().map(Literal::f64_suffixed),
    }
    .map(|l| quote!(#l))
    .unwrap_or_else(|| quote!(0))
}

/// `use crate::runtime::{..};` for the runtime items a file names unqualified, in a fixed order.
/// Every such item comes from [`crate::naming::RUNTIME_ITEMS`], which the collision check reads
/// too, so a spec name can never shadow one. Generated code reaches the runtime only through
/// the crate's `runtime` re-export.
pub fn use_runtime(items: &[RuntimeItem]) -> TokenStream {
    let mut names: Vec<&str> = items.iter().map(|i| i.name).collect();
    names.sort_unstable();
    names.dedup();
    let idents = names.iter().map(|n| casing::ident(n));
    match names.len() {
        0 => TokenStream::new(),
        1 => quote!(use crate::runtime::#(#idents)*;),
        _ => quote!(use crate::runtime::{#(#idents),*};),
    }
}

/// `#[cfg(...)]` for an item compiled when any of `features` is on, with the `doc(cfg)` that
/// shows it on docs.rs; nothing when `features` is empty (a spec without categories).
pub fn feature_gate(features: &[String]) -> TokenStream {
    let predicate = match features {
        [] => return TokenStream::new(),
        [one] => quote!(feature = #one),
        many => quote!(any(#(feature = #many),*)),
    };
    quote! {
        #[cfg(#predicate)]
        #[cfg_attr(docsrs, doc(cfg(#predicate)))]
    }
}

/// `#[cfg(...)]` alone, for places a doc attribute cannot go (match arms).
pub fn feature_cfg(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// A sentence naming the cargo features an item needs, for its documentation; empty when none.
pub fn feature_note(features: &[String]) -> String {
    let quoted: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => format!("\n\nNeeds the cargo feature {one} (on by default, through `full`)."),
        many => format!(
            "\n\nNeeds one of the cargo features {} (all on by default, through `full`).",
            many.join(", ")
        ),
    }
}
