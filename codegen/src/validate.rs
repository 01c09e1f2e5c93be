//! Semantic checks of a loaded spec, all in one pass: names that are identifiers, types,
//! constraints and examples. Whether the Rust names they become collide is the naming policy's
//! check (`naming.rs`).
//!
//! Every check appends to the diagnostics with the JSON path of the offending item, so a broken
//! spec is reported completely in one run. The model stage only runs on a spec that passed.

use std::collections::HashMap;

use base64::Engine as _;

use crate::casing::{is_identifier_like, snake};
use crate::diag::{join, Diagnostic, Diagnostics, Location};
use crate::json::Json;
use crate::spec::*;
use crate::values::{is_date, is_iso8601};

/// Feature names the generated crate declares itself, which a category cannot take.
pub const RESERVED_FEATURES: &[&str] = &["default", "full", "test-util"];

/// Runs every check.
pub fn validate(spec: &Spec, diags: &mut Diagnostics) {
    let objects: HashMap<&str, &Object> = spec.objects.iter().map(|o| (o.name.as_str(), o)).collect();
    let enums: HashMap<&str, &Enum> = spec.enums.iter().map(|e| (e.name.as_str(), e)).collect();
    let v = Validator { objects, enums };
    v.service(&spec.service, diags);
    v.categories(spec, diags);
    for action in &spec.actions {
        v.action(action, diags);
    }
    for object in &spec.objects {
        v.name(&object.path, &object.name, diags);
        v.members(&object.members, diags);
    }
    for e in &spec.enums {
        v.enumeration(e, diags);
    }
    for waiter in &spec.waiters {
        v.waiter(waiter, &spec.actions, diags);
    }
}

struct Validator<'a> {
    objects: HashMap<&'a str, &'a Object>,
    enums: HashMap<&'a str, &'a Enum>,
}

/// Whether `name` is an UpperCamelCase Rust identifier: an ASCII capital, then ASCII letters
/// and digits.
fn is_upper_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

impl Validator<'_> {
    fn service(&self, s: &Service, diags: &mut Diagnostics) {
        if !s.name.is_empty() && !(s.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())) {
            diags.error(
                "service.name",
                format!("service name \"{}\" must be lowercase letters and digits", s.name),
            );
        }
        for (key, host) in [("default", &s.endpoint), ("international", &s.intl_endpoint)] {
            // An empty host is a missing key, already reported by the loader.
            let ok = host.is_empty()
                || host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') && !host.starts_with('.');
            if !ok {
                diags.error(
                    format!("service.endpoints.{key}"),
                    format!("\"{host}\" is not a host name (give the host only, without scheme or path)"),
                );
            }
        }
        self.codes(&s.common_errors, diags);
    }

    /// Category names are cargo feature names in kebab-case; when a spec declares categories,
    /// every action names one of them and every category has an action.
    fn categories(&self, spec: &Spec, diags: &mut Diagnostics) {
        for c in &spec.categories {
            let kebab = c.name.starts_with(|ch: char| ch.is_ascii_lowercase())
                && c.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
                && !c.name.ends_with('-')
                && !c.name.contains("--");
            if !kebab {
                diags.error(
                    &c.path,
                    format!(
                        "category \"{}\" must be kebab-case (lowercase ASCII letters, digits and single hyphens, starting with a letter): it becomes a cargo feature",
                        c.name
                    ),
                );
            } else if RESERVED_FEATURES.contains(&c.name.as_str()) {
                diags.error(
                    &c.path,
                    format!(
                        "category \"{}\" is a feature name the generated crate uses for itself",
                        c.name
                    ),
                );
            }
            if !spec
                .actions
                .iter()
                .any(|a| a.category.as_deref() == Some(c.name.as_str()))
            {
                diags.error(&c.path, format!("no action belongs to category \"{}\"", c.name));
            }
        }
        for a in &spec.actions {
            match &a.category {
                None if !spec.categories.is_empty() => diags.error(
                    &a.path,
                    "missing required key \"category\": the spec has categories, so every action names its own",
                ),
                Some(name) if !spec.categories.iter().any(|c| &c.name == name) => diags.error(
                    join(&a.path, "category"),
                    if spec.categories.is_empty() {
                        format!("category \"{name}\" is not declared: the spec has no top-level \"categories\"")
                    } else {
                        format!(
                            "category \"{name}\" is not declared; expected one of: {}",
                            spec.categories
                                .iter()
                                .map(|c| c.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                ),
                _ => {}
            }
        }
    }

    fn name(&self, path: &str, name: &str, diags: &mut Diagnostics) {
        if !name.is_empty() && !is_identifier_like(name) {
            diags.error(
                path,
                format!("name \"{name}\" must start with an ASCII letter and hold only ASCII letters, digits and _"),
            );
        }
    }

    /// A named enumeration: a name of its own (not an object's), documentation, and values
    /// that are unique, each with a variant name that is UpperCamelCase, unique and not the
    /// catch-all's, and documentation.
    fn enumeration(&self, e: &Enum, diags: &mut Diagnostics) {
        self.name(&e.path, &e.name, diags);
        if self.objects.contains_key(e.name.as_str()) {
            diags.error(
                &e.path,
                format!(
                    "enum \"{}\" has the name of an object; enums and objects share one namespace of model types",
                    e.name
                ),
            );
        }
        if e.documentation.trim().is_empty() {
            diags.error(join(&e.path, "documentation"), "an enum needs documentation");
        }
        if e.values.is_empty() {
            diags.error(join(&e.path, "values"), "an enum needs at least one value");
        }
        for (i, v) in e.values.iter().enumerate() {
            let earlier = &e.values[..i];
            // The empty string may be a value: some services send it for "not set".
            if earlier.iter().any(|x| x.value == v.value) {
                diags.error(
                    join(&v.path, "value"),
                    format!("value \"{}\" is listed more than once", v.value),
                );
            }
            if v.name == "Self" {
                diags.error(join(&v.path, "name"), "\"Self\" cannot name a variant");
            } else if v.name == UNKNOWN_VARIANT {
                diags.error(
                    join(&v.path, "name"),
                    format!(
                        "\"{UNKNOWN_VARIANT}\" is the name of the variant holding values the spec does not list; name this value otherwise (a value \"unknown\" is named UnknownValue)"
                    ),
                );
            } else if !v.name.is_empty() && !is_upper_camel(&v.name) {
                diags.error(
                    join(&v.path, "name"),
                    format!(
                        "variant name \"{}\" must be UpperCamelCase: an ASCII capital letter, then ASCII letters and digits",
                        v.name
                    ),
                );
            } else if earlier.iter().any(|x| x.name == v.name) {
                diags.error(
                    join(&v.path, "name"),
                    format!("variant name \"{}\" is used more than once", v.name),
                );
            }
            if v.documentation.trim().is_empty() {
                diags.error(join(&v.path, "documentation"), "every value needs documentation");
            }
        }
    }

    fn action(&self, a: &Action, diags: &mut Diagnostics) {
        self.name(&a.path, &a.name, diags);
        self.members(&a.input, diags);
        self.members(&a.output, diags);
        if let Some(m) = a.output.iter().find(|m| snake(&m.name) == snake(REQUEST_ID)) {
            diags.error(&m.path, "RequestId is part of every response; do not declare it");
        }
        self.codes(&a.errors, diags);
        for ex in &a.examples {
            self.value_object(
                &ex.input,
                &a.input,
                &join(&ex.path, "input"),
                false,
                Unlisted::Allowed,
                diags,
            );
            self.value_object(
                &ex.output,
                &a.output,
                &join(&ex.path, "output"),
                true,
                Unlisted::Allowed,
                diags,
            );
        }
        if let Some(p) = &a.pagination {
            self.pagination(a, p, diags);
        }
    }

    /// The members a `pagination` block names exist, with the types paging needs, and the
    /// largest page agrees with the limit member's own range.
    fn pagination(&self, a: &Action, p: &Pagination, diags: &mut Diagnostics) {
        let integer = |ty: &TypeRef| matches!(ty, TypeRef::Int64 | TypeRef::Uint64);
        let find = |members: &[Member],
                    key: &str,
                    name: &str,
                    side: &str,
                    wants: &str,
                    fits: &dyn Fn(&TypeRef) -> bool,
                    diags: &mut Diagnostics| {
            let path = join(&p.path, key);
            match members.iter().find(|m| m.name == name) {
                None => diags.error(path, format!("\"{name}\" is not a member of the action's {side}")),
                Some(m) => {
                    if let Some(ty) = &m.ty {
                        if !fits(ty) {
                            diags.error(
                                path,
                                format!("{side} member \"{name}\" is {}, but {key} needs {wants}", ty.describe()),
                            );
                        }
                    }
                }
            }
        };
        find(&a.input, "offset", &p.offset, "input", "an integer", &integer, diags);
        find(&a.input, "limit", &p.limit, "input", "an integer", &integer, diags);
        if let Some(total) = &p.total {
            find(&a.output, "total", total, "output", "an integer", &integer, diags);
        }
        let list = |ty: &TypeRef| matches!(ty, TypeRef::List(_));
        find(&a.output, "items", &p.items, "output", "a list", &list, diags);
        if p.offset == p.limit {
            diags.error(join(&p.path, "limit"), "offset and limit must be different members");
        }
        let Some(max_page_size) = p.max_page_size else { return };
        if max_page_size == 0 {
            diags.error(join(&p.path, "max_page_size"), "max_page_size must be at least 1");
        } else if max_page_size > i64::MAX as u64 {
            diags.error(join(&p.path, "max_page_size"), "max_page_size is too large");
        }
        let range_max = a
            .input
            .iter()
            .find(|m| m.name == p.limit)
            .and_then(|m| m.constraints.range.as_ref())
            .and_then(|r| r.max.as_ref())
            .and_then(serde_json::Number::as_u64);
        if let Some(max) = range_max {
            if max != max_page_size {
                diags.error(
                    join(&p.path, "max_page_size"),
                    format!(
                        "max_page_size {max_page_size} differs from the range max {max} of the limit member \"{}\"",
                        p.limit
                    ),
                );
            }
        }
    }

    /// A waiter polls an action that exists, looks at a list of objects whose status member is
    /// a string, and sorts each status into exactly one of its three lists.
    fn waiter(&self, w: &Waiter, actions: &[Action], diags: &mut Diagnostics) {
        self.name(&w.path, &w.name, diags);
        if w.documentation.trim().is_empty() {
            diags.error(join(&w.path, "documentation"), "a waiter needs documentation");
        }
        let Some(a) = actions.iter().find(|a| a.name == w.action) else {
            diags.error(
                join(&w.path, "action"),
                format!("no action \"{}\" in the spec", w.action),
            );
            return;
        };
        // The members the status and names are read from: each listed item's, or the response's.
        let (members, owner): (&[Member], &str) = match &w.items {
            None => {
                if let Some(p) = &a.pagination {
                    diags.error(
                        join(&w.path, "items"),
                        format!(
                            "the action pages through \"{}\", so the waiter must name that list as items",
                            p.items
                        ),
                    );
                    return;
                }
                (&a.output, a.name.as_str())
            }
            Some(items) => match self.waiter_items(w, a, items, diags) {
                Some(item) => (&item.members, item.name.as_str()),
                None => return,
            },
        };
        let member = |name: &str, key: &str, diags: &mut Diagnostics| -> bool {
            match members.iter().find(|m| m.name == name) {
                None => {
                    diags.error(join(&w.path, key), format!("\"{name}\" is not a member of {owner}"));
                    false
                }
                Some(m)
                    if m.ty
                        .as_ref()
                        .is_some_and(|t| !matches!(t, TypeRef::String | TypeRef::Enum(_)))
                        || m.sensitive =>
                {
                    diags.error(
                        join(&w.path, key),
                        format!("\"{name}\" must be a string or enum member that is not sensitive"),
                    );
                    false
                }
                Some(_) => true,
            }
        };
        if member(&w.status, "status", diags) {
            self.waiter_statuses(w, members, diags);
        }
        for (i, name) in w.name_members.iter().enumerate() {
            member(name, &format!("name[{i}]"), diags);
        }
        if w.success.is_empty() {
            diags.error(join(&w.path, "success"), "list at least one status that means done");
        }
        let lists = [("success", &w.success), ("failure", &w.failure), ("retry", &w.retry)];
        for (li, (key, values)) in lists.iter().enumerate() {
            for (i, value) in values.iter().enumerate() {
                let earlier = values[..i].contains(value) || lists[..li].iter().any(|(_, other)| other.contains(value));
                if earlier {
                    diags.error(
                        format!("{}.{key}[{i}]", w.path),
                        format!("status \"{value}\" is listed more than once"),
                    );
                }
            }
        }
        if w.min_delay == 0 {
            diags.error(join(&w.path, "min_delay"), "min_delay must be at least 1 second");
        }
        if w.max_delay < w.min_delay {
            diags.error(
                join(&w.path, "max_delay"),
                format!("max_delay {} is below min_delay {}", w.max_delay, w.min_delay),
            );
        }
    }

    /// When a waiter's status member is an enum, the statuses it lists are values of that enum.
    fn waiter_statuses(&self, w: &Waiter, members: &[Member], diags: &mut Diagnostics) {
        let Some(TypeRef::Enum(name)) = members.iter().find(|m| m.name == w.status).and_then(|m| m.ty.as_ref()) else {
            return;
        };
        let Some(e) = self.enums.get(name.as_str()) else { return };
        for (key, values) in [("success", &w.success), ("failure", &w.failure), ("retry", &w.retry)] {
            for (i, value) in values.iter().enumerate() {
                if !e.values.iter().any(|v| &v.value == value) {
                    diags.error(
                        format!("{}.{key}[{i}]", w.path),
                        format!(
                            "status \"{value}\" is not a value of enum {name}, the type of the status member \"{}\"",
                            w.status
                        ),
                    );
                }
            }
        }
    }

    /// The object each item of a waiter's `items` list is, after checking the list is the
    /// paginated one (if the action pages) and a list of objects.
    fn waiter_items(&self, w: &Waiter, a: &Action, items: &str, diags: &mut Diagnostics) -> Option<&Object> {
        if let Some(p) = &a.pagination {
            if p.items != items {
                diags.error(
                    join(&w.path, "items"),
                    format!(
                        "the action pages through \"{}\", so the waiter must look at that list",
                        p.items
                    ),
                );
            }
        }
        match a.output.iter().find(|m| m.name == items).and_then(|m| m.ty.as_ref()) {
            Some(TypeRef::List(inner)) => match inner.as_ref() {
                TypeRef::Object(name) => self.objects.get(name.as_str()).copied(),
                other => {
                    diags.error(
                        join(&w.path, "items"),
                        format!(
                            "\"{items}\" is a list of {}; a waiter needs a list of objects",
                            other.describe()
                        ),
                    );
                    None
                }
            },
            Some(other) => {
                diags.error(
                    join(&w.path, "items"),
                    format!("\"{items}\" is {}; a waiter needs a list of objects", other.describe()),
                );
                None
            }
            None => {
                diags.error(
                    join(&w.path, "items"),
                    format!("\"{items}\" is not an output member of {}", w.action),
                );
                None
            }
        }
    }

    fn codes(&self, codes: &[ErrorCode], diags: &mut Diagnostics) {
        for c in codes {
            if !c.code.is_empty() && !c.code.split('.').all(is_identifier_like) {
                diags.error(
                    &c.path,
                    format!("error code \"{}\" must be dot-separated identifiers", c.code),
                );
            }
        }
    }

    fn members(&self, members: &[Member], diags: &mut Diagnostics) {
        for m in members {
            self.name(&m.path, &m.name, diags);
            self.member(m, diags);
        }
    }

    fn member(&self, m: &Member, diags: &mut Diagnostics) {
        if m.required && m.nullable {
            diags.error(
                &m.path,
                "a member cannot be both required and nullable: a null would fail to decode; make it optional",
            );
        }
        let Some(ty) = &m.ty else { return };
        match ty.element() {
            TypeRef::Object(name) if !self.objects.contains_key(name.as_str()) => diags.error(
                join(&m.path, "type"),
                format!("reference to undefined object \"{name}\""),
            ),
            TypeRef::Enum(name) if !self.enums.contains_key(name.as_str()) => {
                diags.error(join(&m.path, "type"), format!("reference to undefined enum \"{name}\""))
            }
            _ => {}
        }
        let elem = ty.element();
        let is_text = *elem == TypeRef::String;
        let is_number = matches!(elem, TypeRef::Int64 | TypeRef::Uint64 | TypeRef::Float);
        let c = &m.constraints;
        let cp = join(&m.path, "constraints");
        let mismatch = |key: &str, wants: &str, d: &mut Diagnostics| {
            let article = if key.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            d.error(
                join(&cp, key),
                format!(
                    "{article} {key} constraint needs {wants}, but the member is {}",
                    ty.describe()
                ),
            );
        };
        if let Some(b) = &c.length {
            if !is_text {
                mismatch("length", "a string", diags);
            }
            bound_order(b, &join(&cp, "length"), diags);
        }
        if let Some(b) = &c.base64 {
            if !is_text {
                mismatch("base64", "a string", diags);
            }
            bound_order(b, &join(&cp, "base64"), diags);
        }
        if let Some(p) = &c.pattern {
            if !is_text {
                mismatch("pattern", "a string", diags);
            }
            if let Err(e) = regex_lite::Regex::new(p) {
                diags.error(join(&cp, "pattern"), format!("pattern does not compile: {e}"));
            }
        }
        if let Some(values) = &c.allowed {
            if let TypeRef::Enum(name) = elem {
                diags.error(
                    join(&cp, "enum"),
                    format!("the member's type is enum {name}, which lists its values; remove constraints.enum"),
                );
            } else if !is_text {
                mismatch("enum", "a string", diags);
            }
            if values.is_empty() {
                diags.error(join(&cp, "enum"), "enum must list at least one value");
            }
            for (i, v) in values.iter().enumerate() {
                if values[..i].contains(v) {
                    diags.error(format!("{cp}.enum[{i}]"), format!("value \"{v}\" is listed twice"));
                }
            }
        }
        if let Some(r) = &c.range {
            if !is_number {
                mismatch("range", "a number", diags);
            } else {
                self.range(r, elem, &join(&cp, "range"), diags);
            }
        }
        if let Some(b) = &c.count {
            if !matches!(ty, TypeRef::List(_)) {
                mismatch("count", "a list", diags);
            }
            bound_order(b, &join(&cp, "count"), diags);
        }
        if m.sensitive && *ty != TypeRef::String {
            diags.error(
                join(&m.path, "sensitive"),
                format!("sensitive is supported on string members, not {}", ty.describe()),
            );
        }
        if let Some(example) = &m.example {
            // Reported as `Location::MemberExample`, so stages that treat example values apart
            // can tell these from every other problem without reading paths back.
            let prefix = join(&m.path, "example");
            let mut found = Diagnostics::default();
            self.value(example, m, &prefix, Unlisted::Refused, &mut found);
            for d in found.iter() {
                let within = match &d.location {
                    Location::Path(p) => p.strip_prefix(prefix.as_str()).map(str::to_owned),
                    _ => None,
                };
                let location = match within {
                    Some(within) => Location::MemberExample {
                        member: m.path.clone(),
                        within,
                    },
                    None => d.location.clone(),
                };
                diags.push(Diagnostic {
                    location,
                    message: d.message.clone(),
                });
            }
        }
    }

    fn range(&self, r: &Bound<serde_json::Number>, elem: &TypeRef, path: &str, diags: &mut Diagnostics) {
        for (key, n) in [("min", &r.min), ("max", &r.max)] {
            let Some(n) = n else { continue };
            let fits = match elem {
                TypeRef::Int64 => n.as_i64().is_some(),
                TypeRef::Uint64 => n.as_u64().is_some(),
                _ => n.as_f64().is_some(),
            };
            if !fits {
                diags.error(join(path, key), format!("{n} does not fit {}", elem.describe()));
            }
        }
        if let (Some(min), Some(max)) = (&r.min, &r.max) {
            if min.as_f64().zip(max.as_f64()).is_some_and(|(a, b)| a > b) {
                diags.error(path, format!("min {min} is above max {max}"));
            }
        }
    }

    /// Checks a JSON value against a member's type and constraints.
    fn value(&self, v: &Json, m: &Member, path: &str, unlisted: Unlisted, diags: &mut Diagnostics) {
        let Some(ty) = &m.ty else { return };
        if matches!(v, Json::Null) {
            if m.required && !m.nullable {
                diags.error(path, "null given for a required member");
            }
            return;
        }
        self.typed_value(v, ty, &m.constraints, path, unlisted, diags);
    }

    fn typed_value(
        &self,
        v: &Json,
        ty: &TypeRef,
        c: &Constraints,
        path: &str,
        unlisted: Unlisted,
        diags: &mut Diagnostics,
    ) {
        let ok = match (ty, v) {
            (TypeRef::String, Json::String(s)) => {
                check_text(s, c, path, diags);
                true
            }
            (TypeRef::Date, Json::String(s)) => {
                if !is_date(s) {
                    diags.error(path, format!("\"{s}\" is not a date (YYYY-MM-DD)"));
                }
                true
            }
            (TypeRef::DateTime, Json::String(s)) => {
                if !is_iso8601(s) {
                    diags.error(path, format!("\"{s}\" is not an ISO 8601 date-time"));
                }
                true
            }
            (TypeRef::Int64, Json::Number(n)) => check_number(n.as_i64().map(|x| x as f64), n, c, path, diags),
            (TypeRef::Uint64, Json::Number(n)) => check_number(n.as_u64().map(|x| x as f64), n, c, path, diags),
            (TypeRef::Float, Json::Number(n)) => check_number(n.as_f64(), n, c, path, diags),
            (TypeRef::Bool, Json::Bool(_)) => true,
            (TypeRef::Enum(name), Json::String(s)) => {
                // An empty string is allowed everywhere, as the service's "not set".
                if let Some(e) = self
                    .enums
                    .get(name.as_str())
                    .filter(|_| !s.is_empty() && unlisted == Unlisted::Refused)
                {
                    if !e.values.iter().any(|v| &v.value == s) {
                        diags.error(path, format!("example \"{s}\" is not a value of enum {name}"));
                    }
                }
                true
            }
            (TypeRef::List(inner), Json::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.typed_value(item, inner, c, &format!("{path}[{i}]"), unlisted, diags);
                }
                true
            }
            (TypeRef::Object(name), Json::Object(_)) => {
                if let Some(o) = self.objects.get(name.as_str()) {
                    self.value_object(v, &o.members, path, false, unlisted, diags);
                }
                true
            }
            _ => false,
        };
        if !ok {
            diags.error(
                path,
                format!("example is {}, which does not fit type {}", v.kind(), ty.describe()),
            );
        }
    }

    /// Checks an example object against members: known keys, required ones present, each value.
    fn value_object(
        &self,
        v: &Json,
        members: &[Member],
        path: &str,
        is_response: bool,
        unlisted: Unlisted,
        diags: &mut Diagnostics,
    ) {
        let Json::Object(entries) = v else {
            diags.error(path, format!("expected an object, found {}", v.kind()));
            return;
        };
        for (key, value) in entries {
            let p = join(path, key);
            match members.iter().find(|m| &m.name == key) {
                Some(m) => self.value(value, m, &p, unlisted, diags),
                None if is_response && key == REQUEST_ID => {
                    if !matches!(value, Json::String(_)) {
                        diags.error(p, "RequestId must be a string");
                    }
                }
                None => diags.error(p, format!("\"{key}\" is not a member here")),
            }
        }
        for m in members.iter().filter(|m| m.required) {
            if !entries.iter().any(|(k, _)| k == &m.name) {
                diags.error(path, format!("required member \"{}\" is missing", m.name));
            }
        }
    }
}

fn bound_order(b: &Bound<u64>, path: &str, diags: &mut Diagnostics) {
    if let (Some(min), Some(max)) = (b.min, b.max) {
        if min > max {
            diags.error(path, format!("min {min} is above max {max}"));
        }
    }
}

fn outside(value: f64, min: Option<f64>, max: Option<f64>) -> bool {
    min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m)
}

fn check_number(
    value: Option<f64>,
    n: &serde_json::Number,
    c: &Constraints,
    path: &str,
    diags: &mut Diagnostics,
) -> bool {
    let Some(value) = value else { return false };
    if let Some(r) = &c.range {
        if outside(
            value,
            r.min.as_ref().and_then(|m| m.as_f64()),
            r.max.as_ref().and_then(|m| m.as_f64()),
        ) {
            diags.error(path, format!("example {n} breaks its own range constraint"));
        }
    }
    true
}

fn check_text(s: &str, c: &Constraints, path: &str, diags: &mut Diagnostics) {
    let as_f = |b: &Bound<u64>| (b.min.map(|m| m as f64), b.max.map(|m| m as f64));
    if let Some(b) = &c.length {
        let (min, max) = as_f(b);
        let n = s.chars().count();
        if outside(n as f64, min, max) {
            diags.error(
                path,
                format!("example has {n} characters, breaking its own length constraint"),
            );
        }
    }
    if let Some(b) = &c.base64 {
        match base64::engine::general_purpose::STANDARD.decode(s) {
            Err(_) => diags.error(path, "example is not base64, breaking its own base64 constraint"),
            Ok(bytes) => {
                let (min, max) = as_f(b);
                if outside(bytes.len() as f64, min, max) {
                    diags.error(
                        path,
                        format!(
                            "example decodes to {} bytes, breaking its own base64 constraint",
                            bytes.len()
                        ),
                    );
                }
            }
        }
    }
    if let Some(p) = &c.pattern {
        if regex_lite::Regex::new(p).is_ok_and(|re| !re.is_match(s)) {
            diags.error(path, format!("example does not match its own pattern {p}"));
        }
    }
    if let Some(values) = &c.allowed {
        if !values.iter().any(|v| v == s) {
            diags.error(path, format!("example \"{s}\" is not one of its own enum values"));
        }
    }
}

/// Whether an example may hold a value its enum does not list. A member's own `example` may not.
/// An action's examples are real traffic: the service also sends values an enum does not list
/// (another spelling), which decode into the catch-all and are sent back unchanged.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unlisted {
    Allowed,
    Refused,
}
