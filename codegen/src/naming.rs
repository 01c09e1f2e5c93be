//! The naming policy: every Rust name the output uses, derived from a wire name in exactly one
//! function here, and the one pass that checks those names for collisions and reserved words.
//!
//! [`crate::model`] calls these functions to record each item's names; the emitters print what
//! the model holds and never derive a name. [`check`] derives the same names from the spec, so
//! a name the model would produce and a name the check looks at cannot drift apart. The items
//! the generated code names but does not define are listed once, in [`RUNTIME_ITEMS`], and both
//! the emitters (their `use` lines) and the check read that list.

use std::collections::{BTreeMap, BTreeSet};

use crate::casing::{camel, ident_text, module_name, snake};
use crate::diag::Diagnostics;

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
        /// Every runtime item generated code imports unqualified (the client and service files;
        /// the rest of the generated code writes `crate::runtime::..` paths): adding one here is
        /// the only edit needed for the emitters to import it and for [`check`] to keep spec
        /// names off it.
        pub const RUNTIME_ITEMS: &[RuntimeItem] = &[$($konst),*];
    };
}

runtime_items! {
    ACTION_META = "ActionMeta",
    SERVICE_META = "ServiceMeta",
    FROM_HANDLE = "FromHandle",
    BUILD_ERROR = "BuildError",
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
/// The answer of the actions whose answer holds only the request id.
pub const EMPTY_RESPONSE_TYPE: &str = "EmptyResponse";
const GENERATED_TYPES: &[&str] = &[
    CLIENT_TYPE,
    CLIENT_BUILDER_TYPE,
    COMMON_ERROR_TYPE,
    GENERAL_ERROR_TYPE,
    EMPTY_RESPONSE_TYPE,
    "EmptyResponseBuilder",
    "CommonErrorKind",
    "GeneralErrorKind",
];

/// Method names that builders already have.
const BUILDER_METHODS: &[&str] = &[
    "build",
    "builder",
    "send",
    "new",
    "clone",
    "fmt",
    "handle",
    "with_handle",
    "set_handle",
    "into_paginator",
    "wait",
    "min_delay",
    "max_delay",
];

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

/// The client method that starts a waiter: `wait_until_` and the waiter's name.
pub fn waiter_method(waiter: &str) -> String {
    format!("wait_until_{}", snake(waiter))
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

/// Which names a name must differ from: the items that end up in one Rust namespace.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Types in `models` (structs and their builders).
    ModelTypes,
    /// Files (modules) in `models/`.
    ModelModules,
    /// Types in `operations` (fluent builders).
    OperationTypes,
    /// Types in `errors`.
    ErrorTypes,
    /// Files (modules) in `operations/` and `errors/`, one per action.
    ActionModules,
    /// Methods of `Client`.
    ClientMethods,
    /// Types in `waiters`.
    WaiterTypes,
    /// Files (modules) in `waiters/`.
    WaiterModules,
    /// Fields and setters of one struct (by its model id) and of its builders.
    Members(usize),
    /// Variants of one error enum (by its type name).
    Variants(String),
}

/// What kind of name a claim is, which says how a problem with it is worded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A type name.
    Type,
    /// A builder's type name: it must not collide, but the names it could shadow are the
    /// struct's to avoid (`ClientBuilder` in `models` does not meet the crate's).
    Builder,
    /// A module (file) name.
    Module,
    /// A client method.
    Method,
    /// A field (and its setters) made from the member `wire`.
    Field {
        /// The member's wire name.
        wire: String,
    },
    /// The `set_*` setter of the member `wire`.
    OptionSetter {
        /// The member's wire name.
        wire: String,
    },
    /// The variant of the error code `code`.
    Variant {
        /// The wire code.
        code: String,
    },
}

/// One Rust name the model gives an item, with where it comes from.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The namespace it lives in.
    pub scope: Scope,
    /// The name, exactly as the model holds it.
    pub name: String,
    /// The JSON path of the spec item that produced it.
    pub path: String,
    /// What it is.
    pub kind: Kind,
}

/// The one pass over every name the model recorded: names that collide within their scope, and
/// names the generated code already uses, each reported at the JSON path that produced it.
pub fn check(claims: &[Claim], diags: &mut Diagnostics) {
    for problem in problems(claims) {
        diags.error(&problem.path, problem.message);
    }
}

/// A name the check rejects: the spec item to blame (and rename, if it can be renamed) and why.
#[derive(Clone, Debug)]
pub struct Problem {
    /// JSON path of the item whose name is at fault.
    pub path: String,
    /// What kind of name it is.
    pub kind: Kind,
    /// The message the check reports.
    pub message: String,
    /// Whether the name is taken by the generated code itself (rather than by another item).
    pub reserved: bool,
}

/// Every rejected name, in claim order (what [`check`] reports).
pub fn problems(claims: &[Claim]) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut diags = Sink(&mut out);
    let mut first: BTreeMap<(&Scope, &str), &Claim> = BTreeMap::new();
    // One report per pair of colliding items, not one per derived name.
    let mut reported: BTreeSet<(&str, &str)> = BTreeSet::new();
    for claim in claims {
        reserved_name(claim, &mut diags);
        if claim.name.is_empty() {
            continue;
        }
        let Some(earlier) = first.get(&(&claim.scope, claim.name.as_str())).copied() else {
            first.insert((&claim.scope, &claim.name), claim);
            continue;
        };
        if earlier.path == claim.path && earlier.kind == claim.kind {
            continue;
        }
        match (&earlier.kind, &claim.kind) {
            (Kind::Field { wire: first_wire }, Kind::Field { wire }) => diags.error(
                &claim.path,
                &claim.kind,
                false,
                format!(
                    "members \"{wire}\" and \"{first_wire}\" both become the field `{}`",
                    claim.name
                ),
            ),
            // Two `set_*` setters only meet when their fields already did, which is reported.
            (Kind::OptionSetter { .. }, Kind::OptionSetter { .. }) => {}
            (Kind::OptionSetter { wire: other }, Kind::Field { .. }) => diags.error(
                &claim.path,
                &claim.kind,
                false,
                format!(
                    "setter `{}` collides with the optional setter of \"{other}\"",
                    claim.name
                ),
            ),
            (Kind::Field { .. }, Kind::OptionSetter { wire: other }) => diags.error(
                &earlier.path,
                &earlier.kind,
                false,
                format!(
                    "setter `{}` collides with the optional setter of \"{other}\"",
                    claim.name
                ),
            ),
            (Kind::Variant { code: first_code }, Kind::Variant { code }) => {
                let enum_name = match &claim.scope {
                    Scope::Variants(e) => e.as_str(),
                    _ => "",
                };
                diags.error(
                    &claim.path,
                    &claim.kind,
                    false,
                    format!(
                        "error code \"{code}\" and \"{first_code}\" both become `{enum_name}::{}`",
                        claim.name
                    ),
                );
            }
            _ => {
                if earlier.path != claim.path && reported.insert((&earlier.path, &claim.path)) {
                    let what = what(&claim.kind);
                    diags.error(
                        &claim.path,
                        &claim.kind,
                        false,
                        format!(
                            "{what} `{}` collides with the one generated for {}",
                            claim.name, earlier.path
                        ),
                    );
                }
            }
        }
    }
    out
}

/// Collects problems the way `Diagnostics` collects errors, remembering the kind of name.
struct Sink<'a>(&'a mut Vec<Problem>);

impl Sink<'_> {
    fn error(&mut self, path: &str, kind: &Kind, reserved: bool, message: String) {
        self.0.push(Problem {
            path: path.to_owned(),
            kind: kind.clone(),
            message,
            reserved,
        });
    }
}

fn what(kind: &Kind) -> &'static str {
    match kind {
        Kind::Type | Kind::Builder => "type name",
        Kind::Module => "module name",
        Kind::Method => "client method",
        Kind::Field { .. } | Kind::OptionSetter { .. } => "member name",
        Kind::Variant { .. } => "variant",
    }
}

/// Reports a claim that takes a name the generated code already uses.
fn reserved_name(claim: &Claim, diags: &mut Sink) {
    let name = claim.name.as_str();
    let taken = match (&claim.kind, &claim.scope) {
        (Kind::Type, _) => reserved_type(name),
        (Kind::Module, _) => LAYOUT_MODULES.contains(&name),
        (Kind::Method, _) => CLIENT_METHODS.contains(&name),
        (Kind::Field { .. }, _) => {
            if BUILDER_METHODS.contains(&name) {
                diags.error(
                    &claim.path,
                    &claim.kind,
                    true,
                    format!("member name becomes `{name}`, which builders already use"),
                );
            }
            false
        }
        (Kind::OptionSetter { .. } | Kind::Builder, _) => false,
        (Kind::Variant { .. }, Scope::Variants(enum_name)) => {
            if ERROR_VARIANTS.contains(&name) {
                diags.error(
                    &claim.path,
                    &claim.kind,
                    true,
                    format!("variant `{enum_name}::{name}` is reserved by the generated code"),
                );
            }
            false
        }
        (Kind::Variant { .. }, _) => false,
    };
    if taken {
        diags.error(
            &claim.path,
            &claim.kind,
            true,
            format!("{} `{name}` is reserved by the generated code", what(&claim.kind)),
        );
    }
}
