//! The naming policy: every Rust name the output uses, derived from a wire name in exactly one
//! function here, and the one pass that checks those names for collisions and reserved words.
//!
//! [`crate::model`] calls these functions to record each item's names; the emitters print what
//! the model holds and never derive a name. [`check`] derives the same names from the spec, so
//! a name the model would produce and a name the check looks at cannot drift apart. The items
//! the generated code names but does not define are listed once, in [`RUNTIME_ITEMS`], and both
//! the emitters (their `use` lines) and the check read that list.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostics;
use crate::names::{camel, ident_text, is_identifier_like, module_name, snake};
use crate::spec::{ErrorCode, Member, Spec};

/// An item of the runtime that generated files import by name (`use crate::runtime::{..}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuntimeItem {
    /// The name as written in generated code.
    pub name: &'static str,
}

macro_rules! runtime_items {
    ($($konst:ident = $name:literal),* $(,)?) => {
        $(
            #[doc = concat!("`", $name, "` from the runtime.")]
            pub const $konst: RuntimeItem = RuntimeItem { name: $name };
        )*
        /// Every runtime item generated code names: adding one here is the only edit needed for
        /// the emitters to import it and for [`check`] to keep spec names off it.
        pub const RUNTIME_ITEMS: &[RuntimeItem] = &[$($konst),*];
    };
}

runtime_items! {
    ACTION_ERROR = "ActionError",
    ACTION_META = "ActionMeta",
    SERVICE_META = "ServiceMeta",
    FROM_HANDLE = "FromHandle",
    BUILD_ERROR = "BuildError",
    WIRE_STRUCT = "WireStruct",
    SENSITIVE = "Sensitive",
    DATE_TIME = "DateTime",
    CHECKER = "Checker",
    VALIDATE = "Validate",
    VALIDATION_ERROR = "ValidationError",
    SERVICE_ERROR = "ServiceError",
    ERROR = "Error",
    HANDLE = "Handle",
}

/// Names from Rust's prelude and derives that generated code uses unqualified.
const PRELUDE: &[&str] = &[
    "Default",
    "Into",
    "From",
    "Clone",
    "Debug",
    "PartialEq",
    "Iterator",
    "IntoIterator",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Drop",
    "ToString",
    "ToOwned",
    "String",
    "Vec",
    "Option",
    "Box",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Serialize",
    "Deserialize",
    "Self",
];

/// Type names the generator itself defines whatever the spec says.
pub const CLIENT_TYPE: &str = "Client";
/// The client builder alias.
pub const CLIENT_BUILDER_TYPE: &str = "ClientBuilder";
/// The enum of common error codes.
pub const COMMON_ERROR_TYPE: &str = "CommonError";
/// The error of actions that list no codes of their own.
pub const GENERAL_ERROR_TYPE: &str = "GeneralError";
const GENERATED_TYPES: &[&str] = &[CLIENT_TYPE, CLIENT_BUILDER_TYPE, COMMON_ERROR_TYPE, GENERAL_ERROR_TYPE];

/// Method names that builders already have.
const BUILDER_METHODS: &[&str] = &["build", "builder", "send", "new", "clone", "fmt", "as_input"];

/// Method names `Client` already has.
const CLIENT_METHODS: &[&str] = &["builder", "from_env", "from_handle", "clone", "fmt"];

/// Module names taken by the generated layout: `mod.rs` in every folder, `errors/common.rs`,
/// `errors/general.rs`.
const LAYOUT_MODULES: &[&str] = &["mod", "common", "general"];

/// Variants every error enum has.
const ERROR_VARIANTS: &[&str] = &["Common", "Unhandled", "Self"];

/// Whether `name` is a type name the generated code already uses.
fn reserved_type(name: &str) -> bool {
    PRELUDE.contains(&name) || GENERATED_TYPES.contains(&name) || RUNTIME_ITEMS.iter().any(|i| i.name == name)
}

/// The Rust type of an object, or of anything named by a wire name.
pub fn type_name(wire: &str) -> String {
    camel(wire)
}

/// The builder type of a struct type.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The wire name of an action's request struct (`{Action}Request`).
pub fn request_wire(action: &str) -> String {
    format!("{action}Request")
}

/// The wire name of an action's response struct (`{Action}Response`).
pub fn response_wire(action: &str) -> String {
    format!("{action}Response")
}

/// The error type of an action.
pub fn error_type(action: &str) -> String {
    format!("{}Error", camel(action))
}

/// The module (and file) name of an item.
pub fn module(wire: &str) -> String {
    module_name(wire)
}

/// The module's name as the `mod` item that declares it (keyword-escaped: `r#type` for
/// `type.rs`).
pub fn module_ident(wire: &str) -> String {
    ident_text(&module_name(wire))
}

/// The client method of an action, keyword-escaped.
pub fn method(action: &str) -> String {
    ident_text(&snake(action))
}

/// A field's (and its setter's) name, keyword-escaped.
pub fn field(member: &str) -> String {
    ident_text(&snake(member))
}

/// The fluent builder's setter taking an `Option`.
pub fn option_setter(member: &str) -> String {
    format!("set_{}", snake(member))
}

/// The variant of an error code.
pub fn variant(code: &str) -> String {
    camel(code)
}

/// The `is_*` predicate of an error code.
pub fn predicate(code: &str) -> String {
    format!("is_{}", snake(code))
}

/// Checks that the names the spec produces are distinct after case conversion and clear of the
/// names the generated code already uses; every problem is reported with the JSON path of the
/// item whose name it is.
pub fn check(spec: &Spec, diags: &mut Diagnostics) {
    type_names(spec, diags);
    for action in &spec.actions {
        members(&action.input, diags);
        members(&action.output, diags);
        variants(&action.errors, &error_type(&action.name), diags);
    }
    for object in &spec.objects {
        members(&object.members, diags);
    }
    variants(&spec.service.common_errors, COMMON_ERROR_TYPE, diags);
}

fn reserved(taken: bool, name: &str, path: &str, what: &str, diags: &mut Diagnostics) {
    if taken {
        diags.error(path, format!("{what} `{name}` is reserved by the generated code"));
    }
}

/// Type, method and module names of objects and actions.
fn type_names(spec: &Spec, diags: &mut Diagnostics) {
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    // One report per pair of colliding items, not one per derived name.
    let reported = RefCell::new(BTreeSet::<(String, String)>::new());
    let claim = |table: &mut BTreeMap<String, String>, key: String, source: &str, what: &str, d: &mut Diagnostics| {
        if key.is_empty() {
            return;
        }
        if let Some(first) = table.get(&key) {
            if first != source && reported.borrow_mut().insert((first.clone(), source.to_owned())) {
                d.error(
                    source,
                    format!("{what} `{key}` collides with the one generated for {first}"),
                );
            }
        } else {
            table.insert(key, source.to_owned());
        }
    };
    for object in &spec.objects {
        let t = type_name(&object.name);
        reserved(reserved_type(&t), &t, &object.path, "type name", diags);
        claim(&mut types, t.clone(), &object.path, "type name", diags);
        claim(&mut types, builder_name(&t), &object.path, "type name", diags);
        let m = module(&object.name);
        claim(&mut modules, m.clone(), &object.path, "module name", diags);
        reserved(
            LAYOUT_MODULES.contains(&m.as_str()),
            &m,
            &object.path,
            "module name",
            diags,
        );
    }
    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    for action in &spec.actions {
        let path = &action.path;
        let t = type_name(&action.name);
        reserved(reserved_type(&t), &t, path, "type name", diags);
        let e = error_type(&action.name);
        reserved(reserved_type(&e), &e, path, "type name", diags);
        let m = module(&action.name);
        reserved(LAYOUT_MODULES.contains(&m.as_str()), &m, path, "module name", diags);
        let call = snake(&action.name);
        reserved(
            CLIENT_METHODS.contains(&call.as_str()),
            &call,
            path,
            "client method",
            diags,
        );
        for wire in [request_wire(&action.name), response_wire(&action.name)] {
            let t = type_name(&wire);
            claim(&mut types, t.clone(), path, "type name", diags);
            claim(&mut types, builder_name(&t), path, "type name", diags);
            claim(&mut modules, module(&wire), path, "module name", diags);
        }
        claim(&mut methods, call, path, "client method", diags);
    }
}

/// Field and setter names of one struct's members.
fn members(members: &[Member], diags: &mut Diagnostics) {
    let mut fields: BTreeMap<String, &str> = BTreeMap::new();
    for m in members {
        let field = snake(&m.name);
        if let Some(first) = fields.get(&field) {
            diags.error(
                &m.path,
                format!("members \"{}\" and \"{first}\" both become the field `{field}`", m.name),
            );
        } else {
            fields.insert(field.clone(), &m.name);
        }
        if BUILDER_METHODS.contains(&field.as_str()) {
            diags.error(
                &m.path,
                format!("member name becomes `{field}`, which builders already use"),
            );
        }
    }
    // `set_x` is the optional setter of `X`; a member named `SetX` would take the same name.
    for m in members {
        let field = snake(&m.name);
        if let Some(rest) = field.strip_prefix("set_") {
            if let Some(other) = fields.get(rest) {
                diags.error(
                    &m.path,
                    format!("setter `{field}` collides with the optional setter of \"{other}\""),
                );
            }
        }
    }
}

/// Variant names of one error enum.
fn variants(codes: &[ErrorCode], enum_name: &str, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for c in codes {
        if c.code.is_empty() || !c.code.split('.').all(is_identifier_like) {
            continue;
        }
        let v = variant(&c.code);
        if ERROR_VARIANTS.contains(&v.as_str()) {
            diags.error(
                &c.path,
                format!("variant `{enum_name}::{v}` is reserved by the generated code"),
            );
        } else if let Some(first) = seen.get(&v) {
            diags.error(
                &c.path,
                format!(
                    "error code \"{}\" and \"{first}\" both become `{enum_name}::{v}`",
                    c.code
                ),
            );
        } else {
            seen.insert(v, &c.code);
        }
    }
}
