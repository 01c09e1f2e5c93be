//! Writing a spec back as JSON text, in one canonical layout.
//!
//! `import` edits the spec through the loaded [`Spec`] and writes it with this module, so the
//! file a person edits and the file the importer writes look the same: two-space indentation,
//! keys in a fixed order, defaults (`false`, empty constraints) left out, non-ASCII kept as is.

use crate::json::Json;
use crate::spec::*;

/// The canonical text of a spec, ending with a newline.
pub fn to_text(spec: &Spec) -> String {
    let mut out = String::new();
    write_json(&to_json(spec), 0, &mut out);
    out.push('\n');
    out
}

/// The spec as an ordered JSON tree.
pub fn to_json(spec: &Spec) -> Json {
    let mut root = Vec::new();
    if let Some(schema) = &spec.schema {
        root.push(("$schema".to_owned(), Json::String(schema.clone())));
    }
    root.push(("service".to_owned(), service(&spec.service)));
    if !spec.categories.is_empty() {
        let categories = spec.categories.iter().map(|c| {
            let fields = vec![
                ("title".to_owned(), text(&c.title)),
                ("documentation".to_owned(), text(&c.documentation)),
            ];
            (c.name.clone(), Json::Object(fields))
        });
        root.push(("categories".to_owned(), Json::Object(categories.collect())));
    }
    root.push((
        "actions".to_owned(),
        Json::Object(spec.actions.iter().map(|a| (a.name.clone(), action(a))).collect()),
    ));
    root.push((
        "objects".to_owned(),
        Json::Object(spec.objects.iter().map(|o| (o.name.clone(), object(o))).collect()),
    ));
    if !spec.enums.is_empty() {
        root.push((
            "enums".to_owned(),
            Json::Object(spec.enums.iter().map(|e| (e.name.clone(), enumeration(e))).collect()),
        ));
    }
    if !spec.waiters.is_empty() {
        root.push((
            "waiters".to_owned(),
            Json::Object(spec.waiters.iter().map(|w| (w.name.clone(), waiter(w))).collect()),
        ));
    }
    Json::Object(root)
}

fn text(s: &str) -> Json {
    Json::String(s.to_owned())
}

fn service(s: &Service) -> Json {
    let mut out = vec![
        ("name".to_owned(), text(&s.name)),
        ("version".to_owned(), text(&s.version)),
    ];
    if !s.title.is_empty() {
        out.push(("title".to_owned(), text(&s.title)));
    }
    if !s.documentation.is_empty() {
        out.push(("documentation".to_owned(), text(&s.documentation)));
    }
    out.push((
        "endpoints".to_owned(),
        Json::Object(vec![
            ("default".to_owned(), text(&s.endpoint)),
            ("international".to_owned(), text(&s.intl_endpoint)),
        ]),
    ));
    out.push(("common_errors".to_owned(), errors(&s.common_errors)));
    Json::Object(out)
}

fn errors(codes: &[ErrorCode]) -> Json {
    Json::Object(codes.iter().map(|c| (c.code.clone(), text(&c.description))).collect())
}

fn members(ms: &[Member]) -> Json {
    Json::Object(ms.iter().map(|m| (m.name.clone(), member(m))).collect())
}

fn action(a: &Action) -> Json {
    let mut out = vec![("documentation".to_owned(), text(&a.documentation))];
    if let Some(c) = &a.category {
        out.push(("category".to_owned(), text(c)));
    }
    if let Some(r) = a.rate_limit {
        out.push(("rate_limit".to_owned(), Json::Number(r.into())));
    }
    if a.rate_limit_assumed {
        out.push(("rate_limit_assumed".to_owned(), Json::Bool(true)));
    }
    if let Some(read_only) = a.read_only {
        out.push(("read_only".to_owned(), Json::Bool(read_only)));
    }
    out.push(("input".to_owned(), members(&a.input)));
    out.push(("output".to_owned(), members(&a.output)));
    out.push(("errors".to_owned(), errors(&a.errors)));
    if !a.examples.is_empty() {
        let examples = a.examples.iter().map(|e| {
            let mut ex = vec![("title".to_owned(), text(&e.title))];
            if !e.documentation.is_empty() {
                ex.push(("documentation".to_owned(), text(&e.documentation)));
            }
            ex.push(("input".to_owned(), e.input.clone()));
            ex.push(("output".to_owned(), e.output.clone()));
            Json::Object(ex)
        });
        out.push(("examples".to_owned(), Json::Array(examples.collect())));
    }
    if let Some(p) = &a.pagination {
        out.push(("pagination".to_owned(), pagination(p)));
    }
    if let Some(u) = &a.upstream {
        out.push(("upstream".to_owned(), text(u)));
    }
    Json::Object(out)
}

fn pagination(p: &Pagination) -> Json {
    let mut out = vec![
        ("offset".to_owned(), text(&p.offset)),
        ("limit".to_owned(), text(&p.limit)),
    ];
    if let Some(total) = &p.total {
        out.push(("total".to_owned(), text(total)));
    }
    out.push(("items".to_owned(), text(&p.items)));
    if let Some(max) = p.max_page_size {
        out.push(("max_page_size".to_owned(), Json::Number(max.into())));
    }
    Json::Object(out)
}

fn waiter(w: &Waiter) -> Json {
    let list = |values: &[String]| Json::Array(values.iter().map(|v| text(v)).collect());
    let mut out = vec![
        ("documentation".to_owned(), text(&w.documentation)),
        ("action".to_owned(), text(&w.action)),
    ];
    if let Some(items) = &w.items {
        out.push(("items".to_owned(), text(items)));
    }
    out.push(("status".to_owned(), text(&w.status)));
    if !w.name_members.is_empty() {
        out.push(("name".to_owned(), list(&w.name_members)));
    }
    out.push(("success".to_owned(), list(&w.success)));
    out.push(("failure".to_owned(), list(&w.failure)));
    out.push(("retry".to_owned(), list(&w.retry)));
    if w.min_delay != DEFAULT_MIN_DELAY {
        out.push(("min_delay".to_owned(), Json::Number(w.min_delay.into())));
    }
    if w.max_delay != DEFAULT_MAX_DELAY {
        out.push(("max_delay".to_owned(), Json::Number(w.max_delay.into())));
    }
    Json::Object(out)
}

fn object(o: &Object) -> Json {
    let mut out = vec![("documentation".to_owned(), text(&o.documentation))];
    if let Some(r) = &o.rust_name {
        out.push(("rust_name".to_owned(), text(r)));
    }
    out.push(("members".to_owned(), members(&o.members)));
    if let Some(u) = &o.upstream {
        out.push(("upstream".to_owned(), text(u)));
    }
    Json::Object(out)
}

fn enumeration(e: &Enum) -> Json {
    let values = e.values.iter().map(|v| {
        Json::Object(vec![
            ("value".to_owned(), text(&v.value)),
            ("name".to_owned(), text(&v.name)),
            ("documentation".to_owned(), text(&v.documentation)),
        ])
    });
    Json::Object(vec![
        ("documentation".to_owned(), text(&e.documentation)),
        ("values".to_owned(), Json::Array(values.collect())),
    ])
}

/// A type as written in the spec.
pub fn type_json(t: &TypeRef) -> Json {
    match t {
        TypeRef::String => text("string"),
        TypeRef::Int64 => text("int64"),
        TypeRef::Uint64 => text("uint64"),
        TypeRef::Float => text("float"),
        TypeRef::Bool => text("bool"),
        TypeRef::DateTime => text("datetime"),
        TypeRef::Date => text("date"),
        TypeRef::List(inner) => Json::Object(vec![("list".to_owned(), type_json(inner))]),
        TypeRef::Object(name) => Json::Object(vec![("object".to_owned(), text(name))]),
        TypeRef::Enum(name) => Json::Object(vec![("enum".to_owned(), text(name))]),
    }
}

fn member(m: &Member) -> Json {
    let mut out = Vec::new();
    if let Some(t) = &m.ty {
        out.push(("type".to_owned(), type_json(t)));
    }
    let flag = |out: &mut Vec<(String, Json)>, key: &str, on: bool| {
        if on {
            out.push((key.to_owned(), Json::Bool(true)));
        }
    };
    flag(&mut out, "required", m.required);
    out.push(("documentation".to_owned(), text(&m.documentation)));
    if let Some(e) = &m.example {
        out.push(("example".to_owned(), e.clone()));
    }
    flag(&mut out, "sensitive", m.sensitive);
    flag(&mut out, "nullable", m.nullable);
    flag(&mut out, "disabled", m.disabled);
    if !m.constraints.is_empty() {
        out.push(("constraints".to_owned(), constraints(&m.constraints)));
    }
    if let Some(r) = &m.rust_name {
        out.push(("rust_name".to_owned(), text(r)));
    }
    if let Some(u) = &m.upstream {
        out.push(("upstream".to_owned(), text(u)));
    }
    Json::Object(out)
}

fn bound<T: Clone + Into<serde_json::Number>>(b: &Bound<T>) -> Json {
    let mut out = Vec::new();
    if let Some(min) = &b.min {
        out.push(("min".to_owned(), Json::Number(min.clone().into())));
    }
    if let Some(max) = &b.max {
        out.push(("max".to_owned(), Json::Number(max.clone().into())));
    }
    Json::Object(out)
}

fn constraints(c: &Constraints) -> Json {
    let mut out = Vec::new();
    if let Some(b) = &c.length {
        out.push(("length".to_owned(), bound(b)));
    }
    if let Some(b) = &c.base64 {
        out.push(("base64".to_owned(), bound(b)));
    }
    if let Some(p) = &c.pattern {
        out.push(("pattern".to_owned(), text(p)));
    }
    if let Some(b) = &c.range {
        out.push(("range".to_owned(), bound(b)));
    }
    if let Some(values) = &c.allowed {
        out.push(("enum".to_owned(), Json::Array(values.iter().map(|v| text(v)).collect())));
    }
    if let Some(b) = &c.count {
        out.push(("count".to_owned(), bound(b)));
    }
    Json::Object(out)
}

/// Pretty-prints with two-space indentation; empty objects and arrays stay on one line.
pub fn write_json(v: &Json, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.to_string()),
        Json::String(s) => out.push_str(&serde_json::Value::String(s.clone()).to_string()),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Json::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_json(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Json::Object(entries) => {
            out.push_str("{\n");
            for (i, (k, val)) in entries.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&serde_json::Value::String(k.clone()).to_string());
                out.push_str(": ");
                write_json(val, indent + 1, out);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
    }
}
