//! Reading Tencent's machine-readable API description (the `api.json` shipped with tccli, for
//! the China site with Chinese text, and with tccli-intl-en, for the international site with
//! English text; the two share the format).
//!
//! The format: `metadata` (`serviceShortName`, `apiVersion`), `actions` (name → `input`,
//! `output` object names, `document`, `status`), and `objects` (name → `members`, each with
//! `name`, `type` (`string`, `int`, `float`, `bool`, `object`, `list`), `member` (the scalar
//! kind or object name), `required`, `output_required`, `value_allowed_null`, `disabled`,
//! `document`, `example`; named objects also carry `usage`: `in`, `out` or `both`). Anything
//! unexpected is reported with its JSON path; nothing here panics.

use std::collections::BTreeMap;

use crate::diag::{join, Diagnostics};
use crate::doc_overlay::{DocFiles, DocOrigin};
use crate::json::Json;
use crate::spec::TypeRef;

/// The parts of `api.json` the importer uses.
#[derive(Debug, Default)]
pub struct Official {
    /// `metadata.serviceShortName`.
    pub service: String,
    /// `metadata.apiVersion`.
    pub version: String,
    /// Actions by name, in file order.
    pub actions: Vec<OfficialAction>,
    /// Objects by name.
    pub objects: BTreeMap<String, OfficialObject>,
    /// Set when the documentation was taken from a second file
    /// ([`take_docs`](crate::doc_overlay::take_docs)).
    pub doc_files: Option<DocFiles>,
}

/// One action.
#[derive(Debug)]
pub struct OfficialAction {
    /// Wire name.
    pub name: String,
    /// Upstream documentation.
    pub document: String,
    /// Which file `document` came from.
    pub doc_origin: DocOrigin,
    /// Name of the request object.
    pub input: String,
    /// Name of the response object.
    pub output: String,
}

/// One object.
#[derive(Debug)]
pub struct OfficialObject {
    /// Upstream documentation.
    pub document: String,
    /// Which file `document` came from.
    pub doc_origin: DocOrigin,
    /// `in`, `out`, `both`, or empty for request/response objects.
    pub usage: String,
    /// Members, in file order.
    pub members: Vec<OfficialMember>,
}

/// One member.
#[derive(Debug, Clone)]
pub struct OfficialMember {
    /// Wire name.
    pub name: String,
    /// Mapped type.
    pub ty: TypeRef,
    /// `required` (inputs).
    pub required: bool,
    /// `output_required` (outputs). Read but not imported: answers leave out members it marks,
    /// so only a person marks a response member required (see `import::upstream_members`).
    pub output_required: bool,
    /// `value_allowed_null`.
    pub nullable: bool,
    /// `disabled`.
    pub disabled: bool,
    /// Upstream documentation.
    pub document: String,
    /// Which file `document` came from.
    pub doc_origin: DocOrigin,
    /// Upstream example, always text in this format.
    pub example: Option<String>,
    /// Upstream's `binary` kind: base64 text on the wire.
    pub binary: bool,
}

/// Parses `api.json` text.
pub fn parse(text: &str, diags: &mut Diagnostics) -> Option<Official> {
    let json = match Json::parse(text) {
        Ok(j) => j,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut out = Official::default();
    let Json::Object(_) = &json else {
        diags.error("", format!("expected an object, found {}", json.kind()));
        return None;
    };
    match json.get("metadata") {
        Some(m) => {
            out.service = string(m.get("serviceShortName"), "metadata.serviceShortName", diags);
            out.version = string(m.get("apiVersion"), "metadata.apiVersion", diags);
        }
        None => diags.error("metadata", "missing; expected serviceShortName and apiVersion"),
    }
    match json.get("objects") {
        Some(Json::Object(entries)) => {
            for (name, o) in entries {
                let path = join("objects", name);
                out.objects.insert(name.clone(), object(o, &path, diags));
            }
        }
        Some(other) => diags.error("objects", format!("expected an object, found {}", other.kind())),
        None => diags.error("objects", "missing"),
    }
    match json.get("actions") {
        Some(Json::Object(entries)) => {
            for (name, a) in entries {
                let path = join("actions", name);
                out.actions.push(OfficialAction {
                    name: name.clone(),
                    document: string(a.get("document"), &join(&path, "document"), diags),
                    doc_origin: DocOrigin::Own,
                    input: string(a.get("input"), &join(&path, "input"), diags),
                    output: string(a.get("output"), &join(&path, "output"), diags),
                });
            }
        }
        Some(other) => diags.error("actions", format!("expected an object, found {}", other.kind())),
        None => diags.error("actions", "missing"),
    }
    for a in &out.actions {
        for (key, obj) in [("input", &a.input), ("output", &a.output)] {
            if !obj.is_empty() && !out.objects.contains_key(obj) {
                diags.error(
                    format!("actions.{}.{key}", a.name),
                    format!("refers to undefined object \"{obj}\""),
                );
            }
        }
    }
    Some(out)
}

fn string(v: Option<&Json>, path: &str, diags: &mut Diagnostics) -> String {
    match v {
        Some(Json::String(s)) => s.clone(),
        Some(other) => {
            diags.error(path, format!("expected a string, found {}", other.kind()));
            String::new()
        }
        None => {
            diags.error(path, "missing");
            String::new()
        }
    }
}

fn flag(v: Option<&Json>, path: &str, diags: &mut Diagnostics) -> bool {
    match v {
        None => false,
        Some(Json::Bool(b)) => *b,
        // A few descriptions write flags as 0 and 1.
        Some(Json::Number(n)) if n.as_u64() == Some(0) => false,
        Some(Json::Number(n)) if n.as_u64() == Some(1) => true,
        Some(other) => {
            diags.error(path, format!("expected true, false, 0 or 1, found {}", other.kind()));
            false
        }
    }
}

fn object(o: &Json, path: &str, diags: &mut Diagnostics) -> OfficialObject {
    let document = match o.get("document") {
        Some(_) => string(o.get("document"), &join(path, "document"), diags),
        None => String::new(),
    };
    let usage = match o.get("usage") {
        Some(_) => string(o.get("usage"), &join(path, "usage"), diags),
        None => String::new(),
    };
    let members = match o.get("members") {
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, m)| member(m, &format!("{path}.members[{i}]"), diags))
            .collect(),
        Some(other) => {
            diags.error(
                join(path, "members"),
                format!("expected an array, found {}", other.kind()),
            );
            Vec::new()
        }
        None => {
            diags.error(join(path, "members"), "missing");
            Vec::new()
        }
    };
    OfficialObject {
        document,
        doc_origin: DocOrigin::Own,
        usage,
        members,
    }
}

fn member(m: &Json, path: &str, diags: &mut Diagnostics) -> Option<OfficialMember> {
    let name = string(m.get("name"), &join(path, "name"), diags);
    let kind = string(m.get("type"), &join(path, "type"), diags);
    let inner = string(m.get("member"), &join(path, "member"), diags);
    let ty = map_type(&kind, &inner, path, diags)?;
    let binary = kind == "binary";
    let example = match m.get("example") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_value().to_string()),
    };
    Some(OfficialMember {
        name,
        ty,
        required: flag(m.get("required"), &join(path, "required"), diags),
        output_required: flag(m.get("output_required"), &join(path, "output_required"), diags),
        nullable: flag(m.get("value_allowed_null"), &join(path, "value_allowed_null"), diags),
        disabled: flag(m.get("disabled"), &join(path, "disabled"), diags),
        document: match m.get("document") {
            Some(_) => string(m.get("document"), &join(path, "document"), diags),
            None => String::new(),
        },
        doc_origin: DocOrigin::Own,
        example,
        binary,
    })
}

fn scalar(member: &str) -> Option<TypeRef> {
    Some(match member {
        "string" => TypeRef::String,
        "int64" => TypeRef::Int64,
        "uint64" => TypeRef::Uint64,
        "float" => TypeRef::Float,
        "bool" => TypeRef::Bool,
        "datetime_iso" | "datetime" => TypeRef::DateTime,
        "date" => TypeRef::Date,
        _ => return None,
    })
}

/// Maps the official `type` + `member` pair to a spec type.
fn map_type(kind: &str, member: &str, path: &str, diags: &mut Diagnostics) -> Option<TypeRef> {
    let element = || scalar(member).unwrap_or_else(|| TypeRef::Object(member.to_owned()));
    let ty = match kind {
        "string" | "int" | "float" | "bool" => match scalar(member) {
            Some(t) => t,
            None => {
                diags.error(
                    join(path, "member"),
                    format!("\"{member}\" is not a scalar kind for type \"{kind}\""),
                );
                return None;
            }
        },
        "object" => TypeRef::Object(member.to_owned()),
        // Bytes travel as base64 text in API 3.0 JSON; `import` adds a `base64` constraint.
        "binary" => TypeRef::String,
        "list" => TypeRef::List(Box::new(element())),
        other => {
            diags.error(join(path, "type"), format!("unknown type \"{other}\""));
            return None;
        }
    };
    if member.is_empty() {
        diags.error(join(path, "member"), "empty member type");
        return None;
    }
    Some(ty)
}
