//! Formatting: tokens to source text with `prettyplease`, behind the generated-file header.

use proc_macro2::TokenStream;

/// The first line of every generated file; `write` relies on it to recognise files it owns.
pub const MARKER: &str = "// @generated";

/// The header of a file generated from `spec_name`.
pub fn header(spec_name: &str) -> String {
    format!(
        "{MARKER} by `cargo run -p codegen` from {spec_name}.\n\
         // Do not edit: change the spec and regenerate; `cargo run -p codegen -- --check` fails on drift.\n\n"
    )
}

/// Formats one file. The tokens come from our own emitters, so a parse failure is a generator
/// bug; it is reported as an error naming the file, never a panic.
pub fn format_file(path: &str, tokens: TokenStream, spec_name: &str) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("internal error: generated {path} does not parse: {e}"))?;
    Ok(format!(
        "{}{}",
        header(spec_name),
        space_items(&prettyplease::unparse(&file))
    ))
}

/// Puts a blank line between items, which `prettyplease` leaves out: after the module docs,
/// after the `use` block, and after every closing brace that ends an item.
fn space_items(text: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///", "#[", "pub ", "fn ", "impl ", "impl<", "const ", "static ", "mod ", "enum ", "struct ", "type ",
        "async ",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev = "";
    for line in text.lines() {
        let cur = line.trim_start();
        let prev_trim = prev.trim_start();
        let after_block = prev_trim == "}" && ITEM_STARTS.iter().any(|s| cur.starts_with(s));
        let after_docs = prev_trim.starts_with("//!") && !cur.starts_with("//!");
        let after_uses = prev_trim.starts_with("use ") && !cur.starts_with("use ") && !cur.is_empty();
        let after_use_block = prev_trim == "};" && !cur.starts_with("use ") && line_is_top(prev) && !cur.is_empty();
        if after_block || after_docs || after_uses || after_use_block {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}

fn line_is_top(line: &str) -> bool {
    !line.starts_with(' ')
}
