//! `cli/src/table.rs`: the command line's per-action data, one static table.
//!
//! The `teo` binary handles every action with the same hand-written code; what differs per
//! action is data: its names (kebab-case and the wire spelling tccli uses), its request members
//! (wire name, flag, how a value is read, whether it is required or sensitive, a one-line doc
//! and a request skeleton), how it pages, and the waiters. Data compiles to a few read-only
//! arrays, so the binary stays cheap to build however many actions the spec holds, where code
//! per action would not. The types the table uses live in the CLI crate (`cli/src/spec_types.rs`).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::{FieldModel, FieldType, Model, StructId};

/// How deep a skeleton expands nested objects before it shows `{}`.
const SKELETON_DEPTH: usize = 4;

/// The longest one-line doc, in characters.
const DOC_CHARS: usize = 160;

/// The whole file, less the generated header.
pub fn emit(model: &Model) -> String {
    let mut out = String::new();
    out.push_str(
        "//! Every action and waiter of the spec as data for the command line (see `spec_types`).\n\n\
         use crate::spec_types::{Action, Kind, Member, Paging, Waiter};\n\n",
    );
    out.push_str("/// Every action, in spec order.\npub static ACTIONS: &[Action] = &[\n");
    for action in &model.actions {
        let request = model.struct_(action.request);
        let response = model.struct_(action.response);
        let _ = writeln!(out, "    Action {{");
        let _ = writeln!(out, "        name: {:?},", action.wire_name);
        let _ = writeln!(out, "        command: {:?},", action.module.replace('_', "-"));
        let _ = writeln!(out, "        doc: {:?},", one_line(&action.doc));
        out.push_str("        input: &[\n");
        for field in &request.fields {
            member(&mut out, model, field);
        }
        out.push_str("        ],\n");
        match &action.pagination {
            None => out.push_str("        paging: None,\n"),
            Some(p) => {
                let total = match p.total {
                    Some(i) => format!("Some({:?})", response.fields[i].wire_name),
                    None => "None".to_owned(),
                };
                let _ = writeln!(
                    out,
                    "        paging: Some(Paging {{ offset: {:?}, limit: {:?}, total: {total}, items: {:?}, max_page_size: {} }}),",
                    request.fields[p.offset].wire_name, request.fields[p.limit].wire_name,
                    response.fields[p.items].wire_name, p.max_page_size
                );
            }
        }
        let _ = writeln!(out, "        sensitive: &{:?},", action.sensitive_fields);
        out.push_str("    },\n");
    }
    out.push_str("];\n\n");
    out.push_str("/// Every waiter, in spec order.\npub static WAITERS: &[Waiter] = &[\n");
    for w in &model.waiters {
        let action = &model.actions[w.action.0];
        let response = model.struct_(action.response);
        let item = model.struct_(w.item);
        let items = match w.items {
            Some(i) => format!("Some({:?})", response.fields[i].wire_name),
            None => "None".to_owned(),
        };
        let names: Vec<&str> = w.names.iter().map(|&i| item.fields[i].wire_name.as_str()).collect();
        let _ = writeln!(out, "    Waiter {{");
        let _ = writeln!(out, "        name: {:?},", w.wire_name);
        let _ = writeln!(out, "        command: {:?},", w.module.replace('_', "-"));
        let _ = writeln!(out, "        doc: {:?},", one_line(&w.doc));
        let _ = writeln!(out, "        action: {:?},", action.wire_name);
        let _ = writeln!(out, "        items: {items},");
        let _ = writeln!(out, "        status: {:?},", item.fields[w.status].wire_name);
        let _ = writeln!(out, "        names: &{names:?},");
        let _ = writeln!(out, "        success: &{:?},", w.success);
        let _ = writeln!(out, "        failure: &{:?},", w.failure);
        let _ = writeln!(out, "        retry: &{:?},", w.retry);
        let _ = writeln!(out, "        min_delay: {},", w.min_delay);
        let _ = writeln!(out, "        max_delay: {},", w.max_delay);
        out.push_str("    },\n");
    }
    out.push_str("];\n");
    out
}

/// One request member's entry.
fn member(out: &mut String, model: &Model, field: &FieldModel) {
    let (kind, list) = kind(&field.ty);
    let flag = field.name.trim_start_matches("r#").replace('_', "-");
    let mut seen = BTreeSet::new();
    let skeleton = skeleton(model, &field.ty, field.required, 0, &mut seen);
    let _ = writeln!(
        out,
        "            Member {{ wire: {:?}, flag: {flag:?}, kind: Kind::{kind}, list: {list}, required: {}, sensitive: {}, doc: {:?}, skeleton: {skeleton:?} }},",
        field.wire_name,
        field.required,
        field.sensitive,
        one_line(&field.doc)
    );
}

/// How a member's value is read from a flag: the kind of one value, and whether the member is a
/// list of them (a list of lists or of objects is read as JSON, one entry per flag).
///
/// One case per member type of the spec: a new type is one more line here (a closed set of
/// strings, say, reads as `Str`).
fn kind(ty: &FieldType) -> (&'static str, bool) {
    let scalar = |ty: &FieldType| match ty {
        FieldType::String | FieldType::DateTime | FieldType::Date | FieldType::Enum { .. } => "Str",
        FieldType::Int64 => "Int",
        FieldType::Uint64 => "Uint",
        FieldType::Float => "Float",
        FieldType::Bool => "Bool",
        FieldType::List(_) | FieldType::Object { .. } => "Json",
    };
    match ty {
        FieldType::List(inner) => (scalar(inner), true),
        other => (scalar(other), false),
    }
}

/// A placeholder value for a member, as JSON text: the type's name (with `required` when it is)
/// for a scalar, one entry for a list, every member for an object (to [`SKELETON_DEPTH`], and
/// `{}` for an object already being expanded).
fn skeleton(model: &Model, ty: &FieldType, required: bool, depth: usize, seen: &mut BTreeSet<usize>) -> String {
    let mark = |name: &str| {
        let text = if required {
            format!("{name} (required)")
        } else {
            name.to_owned()
        };
        serde_json::Value::String(text).to_string()
    };
    match ty {
        FieldType::String => mark("string"),
        FieldType::DateTime => mark("datetime"),
        FieldType::Date => mark("date"),
        FieldType::Int64 => mark("int64"),
        FieldType::Uint64 => mark("uint64"),
        FieldType::Float => mark("float"),
        FieldType::Bool => mark("bool"),
        FieldType::Enum { type_name } => {
            // The listed values, so a template shows what to write (others are sent as given).
            let values = model
                .enums
                .iter()
                .find(|e| &e.type_name == type_name)
                .map(|e| e.values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>().join("|"))
                .unwrap_or_default();
            mark(&format!("string: {values}"))
        }
        FieldType::List(inner) => format!("[{}]", skeleton(model, inner, required, depth, seen)),
        FieldType::Object { id, .. } => object_skeleton(model, *id, depth, seen),
    }
}

fn object_skeleton(model: &Model, id: StructId, depth: usize, seen: &mut BTreeSet<usize>) -> String {
    if depth >= SKELETON_DEPTH || !seen.insert(id.0) {
        return "{}".to_owned();
    }
    let fields = &model.struct_(id).fields;
    let parts: Vec<String> = fields
        .iter()
        .map(|f| {
            let key = serde_json::Value::String(f.wire_name.clone()).to_string();
            format!("{key}: {}", skeleton(model, &f.ty, f.required, depth + 1, seen))
        })
        .collect();
    seen.remove(&id.0);
    format!("{{{}}}", parts.join(", "))
}

/// The first sentence of a doc (or its first [`DOC_CHARS`] characters), on one line.
fn one_line(doc: &str) -> String {
    let flat: String = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = flat.find(". ").map_or(flat.len(), |i| i + 1);
    let sentence = &flat[..end];
    if sentence.chars().count() <= DOC_CHARS {
        return sentence.to_owned();
    }
    let cut: String = sentence.chars().take(DOC_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doc_becomes_its_first_sentence_on_one_line() {
        assert_eq!(one_line("Lists the zones.\nEach zone has a name."), "Lists the zones.");
        assert_eq!(one_line("No full stop"), "No full stop");
        let long = "word ".repeat(60);
        let line = one_line(&long);
        assert_eq!(line.chars().count(), DOC_CHARS);
        assert!(line.ends_with('…'));
    }

    #[test]
    fn every_member_type_has_a_flag_kind() {
        assert_eq!(kind(&FieldType::String), ("Str", false));
        assert_eq!(kind(&FieldType::Uint64), ("Uint", false));
        assert_eq!(kind(&FieldType::List(Box::new(FieldType::Int64))), ("Int", true));
        let nested = FieldType::List(Box::new(FieldType::List(Box::new(FieldType::Bool))));
        assert_eq!(kind(&nested), ("Json", true));
    }
}
