//! The spec as loaded: plain data, in source order, each item remembering its JSON path.
//!
//! The format is documented in `spec/README.md` and described by `spec/schema.json`. The key
//! lists below are the single source of which keys the loader accepts; a test keeps
//! `spec/schema.json` in step with them.

use crate::json::Json;

/// The member every response has; the runtime reads it and specs must not declare it.
pub const REQUEST_ID: &str = "RequestId";

/// Keys of the top-level object.
pub const SPEC_KEYS: &[&str] = &[
    "$schema",
    "service",
    "categories",
    "actions",
    "objects",
    "enums",
    "waiters",
];
/// Keys of a category.
pub const CATEGORY_KEYS: &[&str] = &["title", "documentation"];
/// Keys of `service`.
pub const SERVICE_KEYS: &[&str] = &[
    "name",
    "version",
    "title",
    "documentation",
    "endpoints",
    "common_errors",
];
/// Keys of `service.endpoints`.
pub const ENDPOINT_KEYS: &[&str] = &["default", "international"];
/// Keys of an action.
pub const ACTION_KEYS: &[&str] = &[
    "documentation",
    "category",
    "rate_limit",
    "rate_limit_assumed",
    "read_only",
    "input",
    "output",
    "errors",
    "examples",
    "pagination",
    "upstream",
];
/// Keys of an action's `pagination`.
pub const PAGINATION_KEYS: &[&str] = &["offset", "limit", "total", "items", "max_page_size"];
/// Keys of a waiter.
pub const WAITER_KEYS: &[&str] = &[
    "documentation",
    "action",
    "items",
    "status",
    "name",
    "success",
    "failure",
    "retry",
    "min_delay",
    "max_delay",
];
/// A waiter's first wait between polls when the spec sets none, in seconds.
pub const DEFAULT_MIN_DELAY: u64 = 2;
/// A waiter's longest wait between polls when the spec sets none, in seconds.
pub const DEFAULT_MAX_DELAY: u64 = 30;
/// Keys of an object.
pub const OBJECT_KEYS: &[&str] = &["documentation", "rust_name", "members", "upstream"];
/// Keys of a named enumeration.
pub const ENUM_KEYS: &[&str] = &["documentation", "values"];
/// Keys of one value of a named enumeration.
pub const ENUM_VALUE_KEYS: &[&str] = &["value", "name", "documentation"];
/// The name of the catch-all variant every generated enumeration has, which no listed value
/// may take.
pub const UNKNOWN_VARIANT: &str = "Unknown";
/// Keys of a member.
pub const MEMBER_KEYS: &[&str] = &[
    "type",
    "required",
    "documentation",
    "example",
    "sensitive",
    "nullable",
    "disabled",
    "constraints",
    "rust_name",
    "upstream",
];
/// Keys of a member's `constraints`.
pub const CONSTRAINT_KEYS: &[&str] = &["length", "base64", "pattern", "range", "enum", "count"];
/// Keys of a `{min, max}` bound.
pub const BOUND_KEYS: &[&str] = &["min", "max"];
/// Keys of an example.
pub const EXAMPLE_KEYS: &[&str] = &["title", "documentation", "input", "output"];
/// The scalar type names.
pub const SCALAR_TYPES: &[&str] = &["string", "int64", "uint64", "float", "bool", "datetime", "date"];

/// A whole spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// The `$schema` path, for editors.
    pub schema: Option<String>,
    /// The service.
    pub service: Service,
    /// The API categories, in source order; each becomes a cargo feature of the generated crate.
    /// Empty when the spec declares none (then nothing is behind a feature).
    pub categories: Vec<Category>,
    /// The actions, in source order.
    pub actions: Vec<Action>,
    /// The named objects, in source order.
    pub objects: Vec<Object>,
    /// The named enumerations, in source order.
    pub enums: Vec<Enum>,
    /// The waiters, in source order.
    pub waiters: Vec<Waiter>,
}

/// The service and the facts that hold for all its actions.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// Short name, e.g. `teo`.
    pub name: String,
    /// API version, e.g. `2022-09-01`.
    pub version: String,
    /// Product name for documentation.
    pub title: String,
    /// What the service does.
    pub documentation: String,
    /// Host of the default endpoint.
    pub endpoint: String,
    /// Host of the international endpoint.
    pub intl_endpoint: String,
    /// The API 3.0 common error codes.
    pub common_errors: Vec<ErrorCode>,
}

/// An API category: a group of actions behind one cargo feature.
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    /// JSON path of the category.
    pub path: String,
    /// Its name, in kebab-case: the cargo feature's name (`purge-prefetch`).
    pub name: String,
    /// A short title (`Purge and prefetch`).
    pub title: String,
    /// What its actions cover.
    pub documentation: String,
}

/// An error code and what it means.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorCode {
    /// JSON path of the entry.
    pub path: String,
    /// The code, e.g. `InvalidParameterValue`.
    pub code: String,
    /// What it means.
    pub description: String,
}

/// One API action.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// JSON path of the action.
    pub path: String,
    /// Wire name, e.g. `CreateMultiPathGatewaySecretKey`.
    pub name: String,
    /// What it does.
    pub documentation: String,
    /// The category it belongs to (a name of [`Spec::categories`]), if the spec has categories.
    pub category: Option<String>,
    /// Documented limit, in requests per second.
    pub rate_limit: Option<u32>,
    /// Whether `rate_limit` is the service's usual limit, assumed because no reference gives
    /// the action's own.
    pub rate_limit_assumed: bool,
    /// Whether the action only reads (`read_only` in the spec): `Some(true)` lets the client
    /// send it again at once when a reused connection fails before any answer; `Some(false)`
    /// is a person's "no", which `import` keeps; `None` has not been decided (treated as no).
    pub read_only: Option<bool>,
    /// Request members.
    pub input: Vec<Member>,
    /// Response members (without `RequestId`, which every response has).
    pub output: Vec<Member>,
    /// The action's documented error codes.
    pub errors: Vec<ErrorCode>,
    /// Request and response examples.
    pub examples: Vec<Example>,
    /// How the action pages through a listing, if it does.
    pub pagination: Option<Pagination>,
    /// Fingerprint of the upstream documentation at the last import (see `import`), so a
    /// re-import can tell when Tencent changed the text a person translated.
    pub upstream: Option<String>,
}

/// How an action pages: which request members choose the page, which response members hold
/// its items and the total.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// JSON path of the block.
    pub path: String,
    /// The request member holding the index of the first item to return (an integer).
    pub offset: String,
    /// The request member holding the page size (an integer).
    pub limit: String,
    /// The response member holding the number of items in the whole listing, if there is one.
    pub total: Option<String>,
    /// The response member holding the page's items (a list).
    pub items: String,
    /// The largest page size the service accepts; `None` only when the spec left it out
    /// (already reported).
    pub max_page_size: Option<u64>,
}

/// A waiter: polls an action until the items it lists all reach a final status.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// JSON path of the waiter.
    pub path: String,
    /// Its name, e.g. `PurgeTasksDone`; the client method is `wait_until_purge_tasks_done`.
    pub name: String,
    /// What it waits for.
    pub documentation: String,
    /// The action it polls.
    pub action: String,
    /// The response member listing the items looked at (a list of objects); `None` when the
    /// status is a member of the response itself.
    pub items: Option<String>,
    /// The member of each item (or of the response) holding its status (a string).
    pub status: String,
    /// Members of each item that name it in errors (not sensitive).
    pub name_members: Vec<String>,
    /// Statuses meaning the item is done.
    pub success: Vec<String>,
    /// Statuses meaning the item failed: waiting stops with an error.
    pub failure: Vec<String>,
    /// Statuses meaning the item is still in progress: keep polling.
    pub retry: Vec<String>,
    /// First wait between polls, in seconds.
    pub min_delay: u64,
    /// Longest wait between polls, in seconds.
    pub max_delay: u64,
}

/// A named object type.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    /// JSON path of the object.
    pub path: String,
    /// Wire name, e.g. `RuleBranch`.
    pub name: String,
    /// What it holds.
    pub documentation: String,
    /// The Rust type name to use instead of the one its wire name gives (set by `import` when
    /// that one collides); the wire name is kept on the wire.
    pub rust_name: Option<String>,
    /// Its members.
    pub members: Vec<Member>,
    /// Fingerprint of the upstream documentation at the last import (see `import`), so a
    /// re-import can tell when Tencent changed the text a person translated.
    pub upstream: Option<String>,
}

/// A named enumeration: a closed set of string values a member can refer to by name, as it
/// refers to an object. The generated enum has a variant per value and a catch-all for values
/// the spec does not list.
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    /// JSON path of the enumeration.
    pub path: String,
    /// Its name, e.g. `DnsRecordType`: the Rust type's name (it shares the namespace of objects).
    pub name: String,
    /// What its values stand for.
    pub documentation: String,
    /// The values, in source order.
    pub values: Vec<EnumValue>,
}

/// One value of a named enumeration.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// JSON path of the value's entry.
    pub path: String,
    /// The exact string on the wire, e.g. `TXT`.
    pub value: String,
    /// The Rust variant's name, UpperCamelCase, e.g. `Txt`.
    pub name: String,
    /// What the value means.
    pub documentation: String,
}

/// A member of a request, response or object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// JSON path of the member.
    pub path: String,
    /// Wire name, e.g. `ZoneId`.
    pub name: String,
    /// Its type; `None` when the spec's type could not be read (already reported).
    pub ty: Option<TypeRef>,
    /// Whether it must be present.
    pub required: bool,
    /// What it means.
    pub documentation: String,
    /// An example value.
    pub example: Option<Json>,
    /// Whether the value is a secret: redacted in `Debug`, read through `expose_secret()`.
    pub sensitive: bool,
    /// Whether the service may send `null` for it.
    pub nullable: bool,
    /// Whether the service has disabled it (kept for completeness, marked deprecated).
    pub disabled: bool,
    /// Client-side rules checked before sending.
    pub constraints: Constraints,
    /// The Rust field name to use instead of the one its wire name gives (set by `import` when
    /// that one collides); the wire name is kept on the wire.
    pub rust_name: Option<String>,
    /// Fingerprint of the upstream documentation at the last import (see `import`), so a
    /// re-import can tell when Tencent changed the text a person translated.
    pub upstream: Option<String>,
}

/// A member's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// UTF-8 text.
    String,
    /// Signed 64-bit integer.
    Int64,
    /// Unsigned 64-bit integer.
    Uint64,
    /// 64-bit float.
    Float,
    /// Boolean.
    Bool,
    /// ISO 8601 timestamp text.
    DateTime,
    /// A calendar date (`YYYY-MM-DD`) as text.
    Date,
    /// A list of values of one type.
    List(Box<TypeRef>),
    /// A named object.
    Object(String),
    /// A named enumeration (a string on the wire).
    Enum(String),
}

impl TypeRef {
    /// The innermost type of a list (or the type itself).
    pub fn element(&self) -> &TypeRef {
        match self {
            TypeRef::List(inner) => inner.element(),
            other => other,
        }
    }

    /// The type as written in the spec, for messages.
    pub fn describe(&self) -> String {
        match self {
            TypeRef::String => "string".into(),
            TypeRef::Int64 => "int64".into(),
            TypeRef::Uint64 => "uint64".into(),
            TypeRef::Float => "float".into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::DateTime => "datetime".into(),
            TypeRef::Date => "date".into(),
            TypeRef::List(inner) => format!("list of {}", inner.describe()),
            TypeRef::Object(name) => format!("object {name}"),
            TypeRef::Enum(name) => format!("enum {name}"),
        }
    }
}

/// An inclusive range with optional ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound<T> {
    /// Smallest allowed value.
    pub min: Option<T>,
    /// Largest allowed value.
    pub max: Option<T>,
}

/// Client-side rules of a member; for a list, they apply to each element, except `count`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// Text length in characters.
    pub length: Option<Bound<u64>>,
    /// The text is base64 and its decoded length in bytes lies in this range.
    pub base64: Option<Bound<u64>>,
    /// The text matches this regular expression.
    pub pattern: Option<String>,
    /// The number lies in this range.
    pub range: Option<Bound<serde_json::Number>>,
    /// The text is one of these values.
    pub allowed: Option<Vec<String>>,
    /// The list has this many entries (the only rule that applies to a list itself).
    pub count: Option<Bound<u64>>,
}

impl Constraints {
    /// Whether any rule is set.
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }
}

/// A documented request and response.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// JSON path of the example.
    pub path: String,
    /// Short title.
    pub title: String,
    /// What it shows.
    pub documentation: String,
    /// The request body.
    pub input: Json,
    /// The object inside the response envelope's `Response`.
    pub output: Json,
}
