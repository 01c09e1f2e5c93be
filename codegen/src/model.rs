//! The intermediate model: the spec with every Rust name, type and doc resolved, so emission
//! never derives a name itself. Every name comes from the naming policy (`naming.rs`); links
//! between items are ids ([`StructId`], [`ActionId`]), not positions to compute or names to
//! look up.
//!
//! Built only from a spec that passed validation; it still never panics on a missing object
//! (it treats it as an empty one) so a bug in validation cannot crash the generator.

use std::collections::{BTreeSet, HashMap};

use crate::casing::is_identifier_like;
use crate::json::Json;
use crate::naming::{self, Claim, Kind, Scope};
use crate::spec::{self, Constraints, Spec, TypeRef, REQUEST_ID};

/// The whole client to emit.
#[derive(Clone, Debug)]
pub struct Model {
    /// The service.
    pub service: ServiceModel,
    /// The API 3.0 common error codes.
    pub common_errors: Vec<ErrorVariant>,
    /// Every struct: named objects first, then each action's request and response. A
    /// [`StructId`] indexes it.
    pub structs: Vec<StructModel>,
    /// The actions, in spec order. An [`ActionId`] indexes it.
    pub actions: Vec<ActionModel>,
    /// The named enumerations, in spec order.
    pub enums: Vec<EnumModel>,
    /// The waiters, in spec order.
    pub waiters: Vec<WaiterModel>,
    /// The API categories, each a cargo feature; empty when the spec has none.
    pub categories: Vec<CategoryModel>,
    /// Every name given above, with the JSON path that produced it, for the naming check.
    pub names: Vec<Claim>,
    /// The generated crate's library name, as doc examples import it.
    pub crate_name: String,
}

/// Names a struct of [`Model::structs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructId(pub usize);

/// Names an action of [`Model::actions`]; it is also the action's position in the generated
/// action table the runtime reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionId(pub usize);

impl Model {
    /// Whether a struct is an answer that holds only the request id: such answers share the
    /// generated `EmptyResponse` (each action's `{Action}Response` is an alias of it), since a
    /// struct per action would be the same code compiled once per action for nothing.
    pub fn is_empty_response(&self, id: StructId) -> bool {
        let s = self.struct_(id);
        s.role == Role::Response && s.fields.len() == 1 && s.fields[0].wire_name == "RequestId"
    }

    /// The struct `id` names.
    pub fn struct_(&self, id: StructId) -> &StructModel {
        &self.structs[id.0]
    }
}

/// An API category, behind the cargo feature of the same name.
#[derive(Clone, Debug)]
pub struct CategoryModel {
    /// The feature's name (kebab-case).
    pub name: String,
    /// Short title.
    pub title: String,
    /// What its actions cover.
    pub doc: String,
    /// How many actions it holds.
    pub actions: usize,
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
    /// Rust type name.
    pub type_name: String,
    /// Its builder's type name.
    pub builder_name: String,
    /// Module (file) name.
    pub module: String,
    /// The module as a `mod` item names it (keyword-escaped).
    pub module_ident: String,
    /// Documentation.
    pub doc: String,
    /// The fields, in spec order.
    pub fields: Vec<FieldModel>,
    /// What it is for.
    pub role: Role,
    /// Whether it (or anything inside it) has constraints, so it implements `Validate`.
    pub validates: bool,
    /// The cargo features (categories) of the actions that reach it, sorted; it is compiled
    /// when any of them is on. Empty when the spec has no categories.
    pub features: Vec<String>,
}

/// A named enumeration: a Rust enum with a variant per value and a catch-all.
#[derive(Clone, Debug)]
pub struct EnumModel {
    /// Rust type name.
    pub type_name: String,
    /// Module (file) name.
    pub module: String,
    /// The module as a `mod` item names it (keyword-escaped).
    pub module_ident: String,
    /// Documentation.
    pub doc: String,
    /// The values, in spec order.
    pub values: Vec<EnumValueModel>,
    /// The cargo features of the structs that use it, sorted; empty when something compiled
    /// always uses it (or nothing does).
    pub features: Vec<String>,
}

/// One value of an enumeration.
#[derive(Clone, Debug)]
pub struct EnumValueModel {
    /// The variant's name.
    pub variant: String,
    /// The wire string.
    pub value: String,
    /// Documentation.
    pub doc: String,
}

/// A field of a struct.
#[derive(Clone, Debug)]
pub struct FieldModel {
    /// Wire name.
    pub wire_name: String,
    /// Rust field name, keyword-escaped; the model builder's setter and the fluent builder's
    /// setter have the same name.
    pub name: String,
    /// The fluent builder's setter that takes an `Option` (`set_*`).
    pub option_setter: String,
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
    /// `Date`.
    Date,
    /// `Vec<T>`.
    List(Box<FieldType>),
    /// A generated struct.
    Object {
        /// The struct.
        id: StructId,
        /// Its Rust type name, as [`StructModel::type_name`].
        type_name: String,
        /// Whether it implements `Validate`.
        validates: bool,
    },
    /// A generated enum (a string on the wire).
    Enum {
        /// Its Rust type name, as [`EnumModel::type_name`].
        type_name: String,
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
    /// Its id: its position in [`Model::actions`] and in the generated action table.
    pub id: ActionId,
    /// Client method name, keyword-escaped.
    pub method: String,
    /// Module (file) name of its fluent builder and error enum.
    pub module: String,
    /// The module as a `mod` item names it (keyword-escaped).
    pub module_ident: String,
    /// Fluent builder type name.
    pub type_name: String,
    /// Error enum name.
    pub error_type: String,
    /// Documentation.
    pub doc: String,
    /// Requests per second.
    pub rate_limit: Option<u32>,
    /// Whether that limit is assumed rather than documented.
    pub rate_limit_assumed: bool,
    /// Whether the action only reads (the spec's `read_only`, `false` when unset).
    pub read_only: bool,
    /// Documented error codes.
    pub errors: Vec<ErrorVariant>,
    /// Examples.
    pub examples: Vec<spec::Example>,
    /// Wire names of sensitive members reachable from the request or response.
    pub sensitive_fields: Vec<String>,
    /// The request struct.
    pub request: StructId,
    /// The response struct.
    pub response: StructId,
    /// How it pages, when it does.
    pub pagination: Option<PagingModel>,
    /// The cargo feature (its category) it is behind, if the spec has categories.
    pub feature: Option<String>,
}

/// How an action pages; fields are positions in the request's or response's `fields`.
#[derive(Clone, Debug)]
pub struct PagingModel {
    /// The request's offset field.
    pub offset: usize,
    /// The request's limit field.
    pub limit: usize,
    /// The response's total-count field, if any.
    pub total: Option<usize>,
    /// The response's items field (a list).
    pub items: usize,
    /// The largest page the service accepts.
    pub max_page_size: u64,
}

/// A waiter: a fluent builder over the polled action's request with `wait(max_wait)`.
#[derive(Clone, Debug)]
pub struct WaiterModel {
    /// Wire (spec) name, e.g. `PurgeTasksDone`.
    pub wire_name: String,
    /// Rust type name.
    pub type_name: String,
    /// Module (file) name in `waiters/`.
    pub module: String,
    /// The module as a `mod` item names it.
    pub module_ident: String,
    /// The client method (`wait_until_*`).
    pub method: String,
    /// Documentation.
    pub doc: String,
    /// The action polled.
    pub action: ActionId,
    /// The response's items field; `None` when the status is a field of the response itself.
    pub items: Option<usize>,
    /// The struct of one item (the response's struct when there is no items field).
    pub item: StructId,
    /// The item's status field.
    pub status: usize,
    /// The item's fields that name it.
    pub names: Vec<usize>,
    /// Statuses meaning done.
    pub success: Vec<String>,
    /// Statuses meaning failed.
    pub failure: Vec<String>,
    /// Statuses meaning keep waiting.
    pub retry: Vec<String>,
    /// First wait between polls, in seconds.
    pub min_delay: u64,
    /// Longest wait between polls, in seconds.
    pub max_delay: u64,
    /// The cargo feature of the polled action, if any.
    pub feature: Option<String>,
}

/// Builds the model of a validated spec.
pub fn build(spec: &Spec) -> Model {
    let objects: HashMap<&str, &spec::Object> = spec.objects.iter().map(|o| (o.name.as_str(), o)).collect();
    let ids: HashMap<&str, StructId> = spec
        .objects
        .iter()
        .enumerate()
        .map(|(i, o)| (o.name.as_str(), StructId(i)))
        .collect();
    let validates = validating_objects(spec);
    let types = Types {
        objects: &objects,
        ids: &ids,
        validates: &validates,
    };
    let mut names = Vec::new();
    let mut enums: Vec<EnumModel> = spec.enums.iter().map(enum_model).collect();
    for (e, model) in spec.enums.iter().zip(&enums) {
        claim(&mut names, Scope::ModelTypes, &model.type_name, &e.path, Kind::Type);
        claim(&mut names, Scope::ModelModules, &model.module, &e.path, Kind::Module);
    }
    let fields = |members: &[spec::Member], owner: Option<&str>| -> Vec<FieldModel> {
        members.iter().map(|m| field(m, owner, &types)).collect()
    };
    let mut structs = Vec::new();
    for o in &spec.objects {
        let model = struct_model(
            o.rust_name.as_deref().unwrap_or(&o.name),
            o.documentation.clone(),
            fields(&o.members, Some(&o.name)),
            Role::Object,
            validates.contains(o.name.as_str()),
        );
        claim_struct(&mut names, &model, StructId(structs.len()), &o.path, &o.members);
        structs.push(model);
    }
    let mut actions = Vec::new();
    for (index, a) in spec.actions.iter().enumerate() {
        let method = naming::method(&a.name);
        let request_fields = fields(&a.input, None);
        let request_validates = request_fields.iter().any(field_validates);
        let request = StructId(structs.len());
        let model = struct_model(
            &naming::request_wire(&a.name),
            format!("The request of [`{}`](crate::Client::{method}).", a.name),
            request_fields,
            Role::Request,
            request_validates,
        );
        claim_struct(&mut names, &model, request, &a.path, &a.input);
        structs.push(model);
        let mut response_fields = fields(&a.output, None);
        response_fields.push(request_id_field());
        let response = StructId(structs.len());
        let model = struct_model(
            &naming::response_wire(&a.name),
            format!("The response of [`{}`](crate::Client::{method}).", a.name),
            response_fields,
            Role::Response,
            false,
        );
        claim_struct(&mut names, &model, response, &a.path, &a.output);
        structs.push(model);
        let action = ActionModel {
            wire_name: a.name.clone(),
            id: ActionId(index),
            method,
            module: naming::module(&a.name),
            module_ident: naming::module_ident(&a.name),
            type_name: naming::type_name(&a.name),
            error_type: naming::error_type(&a.name),
            doc: a.documentation.clone(),
            rate_limit: a.rate_limit,
            rate_limit_assumed: a.rate_limit_assumed,
            read_only: a.read_only == Some(true),
            errors: a.errors.iter().map(variant).collect(),
            examples: a.examples.clone(),
            sensitive_fields: sensitive_fields(a, &objects),
            request,
            response,
            pagination: a.pagination.as_ref().and_then(|p| paging(p, a)),
            feature: a.category.clone(),
        };
        claim_action(&mut names, &action, a);
        actions.push(action);
    }
    assign_features(&mut structs, &actions);
    assign_enum_features(&mut enums, &structs);
    let categories = spec
        .categories
        .iter()
        .map(|c| CategoryModel {
            name: c.name.clone(),
            title: c.title.clone(),
            doc: c.documentation.clone(),
            actions: spec
                .actions
                .iter()
                .filter(|a| a.category.as_ref() == Some(&c.name))
                .count(),
        })
        .collect();
    let waiters = spec
        .waiters
        .iter()
        .filter_map(|w| waiter(w, spec, &actions, &structs, &mut names))
        .collect();
    let s = &spec.service;
    let common_errors: Vec<ErrorVariant> = s.common_errors.iter().map(variant).collect();
    claim_variants(&mut names, naming::COMMON_ERROR_TYPE, &s.common_errors, &common_errors);
    Model {
        service: ServiceModel {
            name: s.name.clone(),
            version: s.version.clone(),
            title: s.title.clone(),
            documentation: s.documentation.clone(),
            endpoint: format!("https://{}", s.endpoint),
            intl_endpoint: format!("https://{}", s.intl_endpoint),
        },
        common_errors,
        structs,
        actions,
        enums,
        waiters,
        categories,
        names,
        crate_name: DEFAULT_CRATE.to_owned(),
    }
}

/// The library name of the crate the default output directory belongs to (`generated-client`).
pub const DEFAULT_CRATE: &str = "generated_client";

/// Positions of the members a `pagination` block names (validation made sure they exist).
fn paging(p: &spec::Pagination, a: &spec::Action) -> Option<PagingModel> {
    let at = |members: &[spec::Member], name: &str| members.iter().position(|m| m.name == name);
    Some(PagingModel {
        offset: at(&a.input, &p.offset)?,
        limit: at(&a.input, &p.limit)?,
        total: p.total.as_ref().and_then(|t| at(&a.output, t)),
        items: at(&a.output, &p.items)?,
        max_page_size: p.max_page_size?,
    })
}

/// A waiter's model, with its names claimed; `None` only if validation missed a broken link.
fn waiter(
    w: &spec::Waiter,
    spec: &Spec,
    actions: &[ActionModel],
    structs: &[StructModel],
    names: &mut Vec<Claim>,
) -> Option<WaiterModel> {
    let index = spec.actions.iter().position(|a| a.name == w.action)?;
    let action = &actions[index];
    let response = &structs[action.response.0];
    let (items, item) = match &w.items {
        None => (None, action.response),
        Some(name) => {
            let items = response.fields.iter().position(|f| &f.wire_name == name)?;
            let FieldType::Object { id: item, .. } = response.fields[items].ty.element() else {
                return None;
            };
            (Some(items), *item)
        }
    };
    let item_struct = &structs[item.0];
    let at = |name: &str| item_struct.fields.iter().position(|f| f.wire_name == name);
    let model = WaiterModel {
        wire_name: w.name.clone(),
        type_name: naming::type_name(&w.name),
        module: naming::module(&w.name),
        module_ident: naming::module_ident(&w.name),
        method: naming::waiter_method(&w.name),
        doc: w.documentation.clone(),
        action: ActionId(index),
        items,
        item,
        status: at(&w.status)?,
        names: w.name_members.iter().filter_map(|n| at(n)).collect(),
        success: w.success.clone(),
        failure: w.failure.clone(),
        retry: w.retry.clone(),
        min_delay: w.min_delay,
        max_delay: w.max_delay,
        feature: action.feature.clone(),
    };
    claim(names, Scope::WaiterTypes, &model.type_name, &w.path, Kind::Type);
    claim(names, Scope::WaiterModules, &model.module, &w.path, Kind::Module);
    claim(names, Scope::ClientMethods, &model.method, &w.path, Kind::Method);
    Some(model)
}

fn claim(names: &mut Vec<Claim>, scope: Scope, name: &str, path: &str, kind: Kind) {
    names.push(Claim {
        scope,
        name: name.to_owned(),
        path: path.to_owned(),
        kind,
    });
}

/// A struct with every name its wire name gives.
fn struct_model(wire: &str, doc: String, fields: Vec<FieldModel>, role: Role, validates: bool) -> StructModel {
    let type_name = naming::type_name(wire);
    StructModel {
        builder_name: naming::builder_name(&type_name),
        type_name,
        module: naming::module(wire),
        module_ident: naming::module_ident(wire),
        doc,
        fields,
        role,
        validates,
        features: Vec::new(),
    }
}

/// Gives each struct the features of the actions whose request or response reaches it, so a
/// struct is compiled exactly when some action that uses it is.
fn assign_features(structs: &mut [StructModel], actions: &[ActionModel]) {
    for a in actions {
        let Some(feature) = &a.feature else { continue };
        let mut stack = vec![a.request, a.response];
        while let Some(id) = stack.pop() {
            let s = &mut structs[id.0];
            if s.features.contains(feature) {
                continue;
            }
            s.features.push(feature.clone());
            for f in &s.fields {
                if let FieldType::Object { id, .. } = f.ty.element() {
                    stack.push(*id);
                }
            }
        }
    }
    for s in structs {
        s.features.sort();
    }
}

fn enum_model(e: &spec::Enum) -> EnumModel {
    EnumModel {
        type_name: naming::type_name(&e.name),
        module: naming::module(&e.name),
        module_ident: naming::module_ident(&e.name),
        doc: e.documentation.clone(),
        values: e
            .values
            .iter()
            .map(|v| EnumValueModel {
                variant: v.name.clone(),
                value: v.value.clone(),
                doc: v.documentation.clone(),
            })
            .collect(),
        features: Vec::new(),
    }
}

/// Gives each enum the features of the structs that use it; an enum that a struct compiled
/// always uses, or that nothing uses, is compiled always.
fn assign_enum_features(enums: &mut [EnumModel], structs: &[StructModel]) {
    let mut users: HashMap<&str, Vec<&StructModel>> = HashMap::new();
    for s in structs {
        for f in &s.fields {
            if let FieldType::Enum { type_name } = f.ty.element() {
                users.entry(type_name.as_str()).or_default().push(s);
            }
        }
    }
    for e in enums {
        let Some(users) = users.get(e.type_name.as_str()) else {
            continue;
        };
        if users.iter().any(|s| s.features.is_empty()) {
            continue;
        }
        let mut features: Vec<String> = users.iter().flat_map(|s| s.features.iter().cloned()).collect();
        features.sort();
        features.dedup();
        e.features = features;
    }
}

/// Records the names a struct holds (type, builder, module) for the spec item at `path`, and
/// its fields' names for the members they came from (`members` lines up with `s.fields`).
fn claim_struct(names: &mut Vec<Claim>, s: &StructModel, id: StructId, path: &str, members: &[spec::Member]) {
    claim(names, Scope::ModelTypes, &s.type_name, path, Kind::Type);
    claim(names, Scope::ModelTypes, &s.builder_name, path, Kind::Builder);
    claim(names, Scope::ModelModules, &s.module, path, Kind::Module);
    for (m, f) in members.iter().zip(&s.fields) {
        let wire = f.wire_name.clone();
        claim(
            names,
            Scope::Members(id.0),
            &f.name,
            &m.path,
            Kind::Field { wire: wire.clone() },
        );
        claim(
            names,
            Scope::Members(id.0),
            &f.option_setter,
            &m.path,
            Kind::OptionSetter { wire },
        );
    }
}

/// Records the names an action holds.
fn claim_action(names: &mut Vec<Claim>, action: &ActionModel, a: &spec::Action) {
    claim(names, Scope::OperationTypes, &action.type_name, &a.path, Kind::Type);
    claim(names, Scope::ErrorTypes, &action.error_type, &a.path, Kind::Type);
    claim(names, Scope::ActionModules, &action.module, &a.path, Kind::Module);
    claim(names, Scope::ClientMethods, &action.method, &a.path, Kind::Method);
    claim_variants(names, &action.error_type, &a.errors, &action.errors);
}

/// An error enum's variants (`variants` lines up with `codes`); codes that are not identifiers
/// are the validator's to report.
fn claim_variants(names: &mut Vec<Claim>, enum_name: &str, codes: &[spec::ErrorCode], variants: &[ErrorVariant]) {
    for (c, v) in codes.iter().zip(variants) {
        if c.code.is_empty() || !c.code.split('.').all(is_identifier_like) {
            continue;
        }
        claim(
            names,
            Scope::Variants(enum_name.to_owned()),
            &v.variant,
            &c.path,
            Kind::Variant { code: c.code.clone() },
        );
    }
}

/// What resolving a member's type needs: the objects by wire name, their struct ids, and which
/// of them validate.
struct Types<'a> {
    objects: &'a HashMap<&'a str, &'a spec::Object>,
    ids: &'a HashMap<&'a str, StructId>,
    validates: &'a BTreeSet<&'a str>,
}

fn variant(e: &spec::ErrorCode) -> ErrorVariant {
    ErrorVariant {
        code: e.code.clone(),
        variant: naming::variant(&e.code),
        description: e.description.clone(),
    }
}

fn request_id_field() -> FieldModel {
    FieldModel {
        wire_name: REQUEST_ID.to_owned(),
        name: naming::field(REQUEST_ID),
        option_setter: naming::option_setter(REQUEST_ID),
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

fn field_type(ty: &TypeRef, types: &Types) -> FieldType {
    match ty {
        TypeRef::String => FieldType::String,
        TypeRef::Int64 => FieldType::Int64,
        TypeRef::Uint64 => FieldType::Uint64,
        TypeRef::Float => FieldType::Float,
        TypeRef::Bool => FieldType::Bool,
        TypeRef::DateTime => FieldType::DateTime,
        TypeRef::Date => FieldType::Date,
        TypeRef::List(inner) => FieldType::List(Box::new(field_type(inner, types))),
        TypeRef::Object(name) => FieldType::Object {
            // Validation guarantees the object exists; the fallback only keeps a bug there
            // from becoming a panic here.
            id: types.ids.get(name.as_str()).copied().unwrap_or(StructId(0)),
            type_name: naming::type_name(
                types
                    .objects
                    .get(name.as_str())
                    .and_then(|o| o.rust_name.as_deref())
                    .unwrap_or(name),
            ),
            validates: types.validates.contains(name.as_str()),
        },
        TypeRef::Enum(name) => FieldType::Enum {
            type_name: naming::type_name(name),
        },
    }
}

fn field(m: &spec::Member, owner: Option<&str>, types: &Types) -> FieldModel {
    let ty = m.ty.as_ref().map(|t| field_type(t, types)).unwrap_or(FieldType::String);
    let boxed = match (&m.ty, owner) {
        (Some(TypeRef::Object(target)), Some(owner)) => reaches(target, owner, types.objects),
        _ => false,
    };
    let rust = m.rust_name.as_deref().unwrap_or(&m.name);
    FieldModel {
        wire_name: m.name.clone(),
        name: naming::field(rust),
        option_setter: naming::option_setter(rust),
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
