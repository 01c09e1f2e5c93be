//! The intermediate model: the spec with every Rust name, type and doc resolved, so emission
//! never derives a name itself.
//!
//! Built only from a spec that passed validation; it still never panics on a missing object
//! (it treats it as an empty one) so a bug in validation cannot crash the generator.

use std::collections::{BTreeSet, HashMap};

use crate::json::Json;
use crate::names::{camel, module_name, snake};
use crate::spec::{self, Constraints, Spec, TypeRef};
use crate::validate::REQUEST_ID;

/// The whole client to emit.
#[derive(Clone, Debug)]
pub struct Model {
    /// Spec path relative to the workspace, for the generated header.
    pub spec_name: String,
    /// The service.
    pub service: ServiceModel,
    /// The API 3.0 common error codes.
    pub common_errors: Vec<ErrorVariant>,
    /// Every struct: named objects first, then each action's request and response.
    pub structs: Vec<StructModel>,
    /// The actions, in spec order.
    pub actions: Vec<ActionModel>,
}

/// Facts about the service.
#[derive(Clone, Debug)]
pub struct ServiceModel {
    /// Short name (`teo`).
    pub name: String,
    /// API version.
    pub version: String,
    /// Product name.
    pub title: String,
    /// Documentation.
    pub documentation: String,
    /// Default endpoint URL.
    pub endpoint: String,
    /// International endpoint URL.
    pub intl_endpoint: String,
}

/// One error code as an enum variant.
#[derive(Clone, Debug)]
pub struct ErrorVariant {
    /// The wire code.
    pub code: String,
    /// The variant name.
    pub variant: String,
    /// The `is_*` predicate name.
    pub predicate: String,
    /// What the code means.
    pub description: String,
}

/// What a struct is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A named object of the spec.
    Object,
    /// An action's request.
    Request,
    /// An action's response (inside the envelope's `Response`).
    Response,
}

/// A struct with its builder.
#[derive(Clone, Debug)]
pub struct StructModel {
    /// Wire name (for requests and responses, `{Action}Request`/`{Action}Response`).
    pub wire_name: String,
    /// Rust type name.
    pub type_name: String,
    /// Module (file) name.
    pub module: String,
    /// Documentation.
    pub doc: String,
    /// The fields, in spec order.
    pub fields: Vec<FieldModel>,
    /// What it is for.
    pub role: Role,
    /// Whether it (or anything inside it) has constraints, so it implements `Validate`.
    pub validates: bool,
}

/// A field of a struct.
#[derive(Clone, Debug)]
pub struct FieldModel {
    /// Wire name.
    pub wire_name: String,
    /// Rust field name, before keyword escaping.
    pub name: String,
    /// Field type.
    pub ty: FieldType,
    /// Plain field (true) or `Option` (false).
    pub required: bool,
    /// Redacted in `Debug`, wrapped in `Sensitive`.
    pub sensitive: bool,
    /// Disabled by the service: kept, documented as such.
    pub disabled: bool,
    /// Documentation.
    pub doc: String,
    /// Example value.
    pub example: Option<Json>,
    /// Client-side rules.
    pub constraints: Constraints,
    /// Held in a `Box` to break a cycle of plain object fields.
    pub boxed: bool,
}

/// A resolved field type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// `String`.
    String,
    /// `i64`.
    Int64,
    /// `u64`.
    Uint64,
    /// `f64`.
    Float,
    /// `bool`.
    Bool,
    /// `DateTime`.
    DateTime,
    /// `Vec<T>`.
    List(Box<FieldType>),
    /// A generated struct.
    Object {
        /// Its Rust type name.
        type_name: String,
        /// Whether it implements `Validate`.
        validates: bool,
    },
}

impl FieldType {
    /// The innermost element type.
    pub fn element(&self) -> &FieldType {
        match self {
            FieldType::List(inner) => inner.element(),
            other => other,
        }
    }
}

/// One action.
#[derive(Clone, Debug)]
pub struct ActionModel {
    /// Wire name.
    pub wire_name: String,
    /// Position in the service's action table.
    pub index: usize,
    /// Client method name, before keyword escaping.
    pub method: String,
    /// Module (file) name of its fluent builder and error enum.
    pub module: String,
    /// Fluent builder type name.
    pub type_name: String,
    /// Request struct name.
    pub request_type: String,
    /// Response struct name.
    pub response_type: String,
    /// Error enum name.
    pub error_type: String,
    /// Documentation.
    pub doc: String,
    /// Requests per second.
    pub rate_limit: Option<u32>,
    /// Documented error codes.
    pub errors: Vec<ErrorVariant>,
    /// Examples.
    pub examples: Vec<spec::Example>,
    /// Wire names of sensitive members reachable from the request or response.
    pub sensitive_fields: Vec<String>,
    /// Index into `Model::structs` of the request.
    pub request: usize,
}

/// Builds the model of a validated spec.
pub fn build(spec: &Spec, spec_name: &str) -> Model {
    let objects: HashMap<&str, &spec::Object> = spec.objects.iter().map(|o| (o.name.as_str(), o)).collect();
    let validates = validating_objects(spec);
    let fields = |members: &[spec::Member], owner: Option<&str>| -> Vec<FieldModel> {
        members.iter().map(|m| field(m, owner, &objects, &validates)).collect()
    };
    let mut structs = Vec::new();
    for o in &spec.objects {
        structs.push(StructModel {
            wire_name: o.name.clone(),
            type_name: camel(&o.name),
            module: module_name(&o.name),
            doc: o.documentation.clone(),
            fields: fields(&o.members, Some(&o.name)),
            role: Role::Object,
            validates: validates.contains(o.name.as_str()),
        });
    }
    let mut actions = Vec::new();
    for (index, a) in spec.actions.iter().enumerate() {
        let type_name = camel(&a.name);
        let request_fields = fields(&a.input, None);
        let request_validates = request_fields.iter().any(field_validates);
        let request = structs.len();
        structs.push(StructModel {
            wire_name: format!("{}Request", a.name),
            type_name: format!("{type_name}Request"),
            module: module_name(&format!("{}Request", a.name)),
            doc: format!("The request of [`{}`](crate::Client::{}).", a.name, snake(&a.name)),
            fields: request_fields,
            role: Role::Request,
            validates: request_validates,
        });
        let mut response_fields = fields(&a.output, None);
        response_fields.push(request_id_field());
        structs.push(StructModel {
            wire_name: format!("{}Response", a.name),
            type_name: format!("{type_name}Response"),
            module: module_name(&format!("{}Response", a.name)),
            doc: format!("The response of [`{}`](crate::Client::{}).", a.name, snake(&a.name)),
            fields: response_fields,
            role: Role::Response,
            validates: false,
        });
        actions.push(ActionModel {
            wire_name: a.name.clone(),
            index,
            method: snake(&a.name),
            module: module_name(&a.name),
            type_name: type_name.clone(),
            request_type: format!("{type_name}Request"),
            response_type: format!("{type_name}Response"),
            error_type: format!("{type_name}Error"),
            doc: a.documentation.clone(),
            rate_limit: a.rate_limit,
            errors: a.errors.iter().map(variant).collect(),
            examples: a.examples.clone(),
            sensitive_fields: sensitive_fields(a, &objects),
            request,
        });
    }
    let s = &spec.service;
    Model {
        spec_name: spec_name.to_owned(),
        service: ServiceModel {
            name: s.name.clone(),
            version: s.version.clone(),
            title: s.title.clone(),
            documentation: s.documentation.clone(),
            endpoint: format!("https://{}", s.endpoint),
            intl_endpoint: format!("https://{}", s.intl_endpoint),
        },
        common_errors: s.common_errors.iter().map(variant).collect(),
        structs,
        actions,
    }
}

fn variant(e: &spec::ErrorCode) -> ErrorVariant {
    ErrorVariant {
        code: e.code.clone(),
        variant: camel(&e.code),
        predicate: format!("is_{}", snake(&e.code)),
        description: e.description.clone(),
    }
}

fn request_id_field() -> FieldModel {
    FieldModel {
        wire_name: REQUEST_ID.to_owned(),
        name: snake(REQUEST_ID),
        ty: FieldType::String,
        required: true,
        sensitive: false,
        disabled: false,
        doc: "The unique id the service gave this request; quote it when asking Tencent Cloud for help.".to_owned(),
        example: None,
        constraints: Constraints::default(),
        boxed: false,
    }
}

fn field_type(ty: &TypeRef, validates: &BTreeSet<&str>) -> FieldType {
    match ty {
        TypeRef::String => FieldType::String,
        TypeRef::Int64 => FieldType::Int64,
        TypeRef::Uint64 => FieldType::Uint64,
        TypeRef::Float => FieldType::Float,
        TypeRef::Bool => FieldType::Bool,
        TypeRef::DateTime => FieldType::DateTime,
        TypeRef::List(inner) => FieldType::List(Box::new(field_type(inner, validates))),
        TypeRef::Object(name) => FieldType::Object {
            type_name: camel(name),
            validates: validates.contains(name.as_str()),
        },
    }
}

fn field(
    m: &spec::Member,
    owner: Option<&str>,
    objects: &HashMap<&str, &spec::Object>,
    validates: &BTreeSet<&str>,
) -> FieldModel {
    let ty =
        m.ty.as_ref()
            .map(|t| field_type(t, validates))
            .unwrap_or(FieldType::String);
    let boxed = match (&m.ty, owner) {
        (Some(TypeRef::Object(target)), Some(owner)) => reaches(target, owner, objects),
        _ => false,
    };
    FieldModel {
        wire_name: m.name.clone(),
        name: snake(&m.name),
        ty,
        required: m.required,
        sensitive: m.sensitive,
        disabled: m.disabled,
        doc: m.documentation.clone(),
        example: m.example.clone(),
        constraints: m.constraints.clone(),
        boxed,
    }
}

/// Whether a field needs `Validate` calls: its own rules, or a validating object inside.
pub fn field_validates(f: &FieldModel) -> bool {
    !f.constraints.is_empty() || matches!(f.ty.element(), FieldType::Object { validates: true, .. })
}

/// Whether `owner` can be reached from `from` through plain (non-list) object fields: then a
/// field of type `from` inside `owner` must be boxed.
fn reaches(from: &str, owner: &str, objects: &HashMap<&str, &spec::Object>) -> bool {
    let mut stack = vec![from];
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if name == owner {
            return true;
        }
        if !seen.insert(name) {
            continue;
        }
        for m in objects.get(name).map(|o| o.members.as_slice()).unwrap_or_default() {
            if let Some(TypeRef::Object(next)) = &m.ty {
                stack.push(next);
            }
        }
    }
    false
}

/// Objects with a constraint somewhere inside them (a fixpoint, so recursion is fine).
fn validating_objects(spec: &Spec) -> BTreeSet<&str> {
    let mut set: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = set.len();
        for o in &spec.objects {
            let inner = o.members.iter().any(|m| {
                !m.constraints.is_empty()
                    || matches!(m.ty.as_ref().map(TypeRef::element), Some(TypeRef::Object(n)) if set.contains(n.as_str()))
            });
            if inner {
                set.insert(o.name.as_str());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

/// Sensitive wire names reachable from an action's members.
fn sensitive_fields(a: &spec::Action, objects: &HashMap<&str, &spec::Object>) -> Vec<String> {
    let mut names = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&[spec::Member]> = vec![&a.input, &a.output];
    while let Some(members) = stack.pop() {
        for m in members {
            if m.sensitive {
                names.insert(m.name.clone());
            }
            if let Some(TypeRef::Object(n)) = m.ty.as_ref().map(TypeRef::element) {
                if seen.insert(n.clone()) {
                    if let Some(o) = objects.get(n.as_str()) {
                        stack.push(&o.members);
                    }
                }
            }
        }
    }
    names.into_iter().collect()
}
