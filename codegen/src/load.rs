//! Reads a [`Json`] tree into a [`Spec`], reporting every structural problem with its path.
//!
//! The loader never stops at the first problem: a wrong key, a missing field or a value of the
//! wrong JSON type is recorded and loading goes on with a placeholder, so one run shows them all.
//! Semantic checks (types that exist, names that collide, constraints that fit) are in
//! `validate.rs`.

use crate::diag::{join, Diagnostics};
use crate::json::Json;
use crate::spec::*;

/// Parses and loads spec text. Malformed JSON gives a single diagnostic with line and column.
pub fn load(text: &str, diags: &mut Diagnostics) -> Option<Spec> {
    match Json::parse(text) {
        Ok(json) => Some(load_json(&json, diags)),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Loads an already parsed tree.
pub fn load_json(json: &Json, diags: &mut Diagnostics) -> Spec {
    let mut l = Loader { diags };
    let root = l.object(json, "", SPEC_KEYS);
    let schema = root.get("$schema").map(|s| l.string(s, "$schema"));
    let service = match root.get("service") {
        Some(v) => l.service(v, "service"),
        None => {
            l.missing("", "service");
            Service::placeholder()
        }
    };
    let categories = match root.get("categories") {
        Some(v) => l.named_map(v, "categories", |l, name, value, path| l.category(name, value, path)),
        None => Vec::new(),
    };
    let actions = match root.get("actions") {
        Some(v) => l.named_map(v, "actions", |l, name, value, path| l.action(name, value, path)),
        None => {
            l.missing("", "actions");
            Vec::new()
        }
    };
    let objects = match root.get("objects") {
        Some(v) => l.named_map(v, "objects", |l, name, value, path| l.object_type(name, value, path)),
        None => Vec::new(),
    };
    let enums = match root.get("enums") {
        Some(v) => l.named_map(v, "enums", |l, name, value, path| l.enumeration(name, value, path)),
        None => Vec::new(),
    };
    let waiters = match root.get("waiters") {
        Some(v) => l.named_map(v, "waiters", |l, name, value, path| l.waiter(name, value, path)),
        None => Vec::new(),
    };
    Spec {
        schema,
        service,
        categories,
        actions,
        objects,
        enums,
        waiters,
    }
}

impl Service {
    fn placeholder() -> Service {
        Service {
            name: String::new(),
            version: String::new(),
            title: String::new(),
            documentation: String::new(),
            endpoint: String::new(),
            intl_endpoint: String::new(),
            common_errors: Vec::new(),
        }
    }
}

/// The entries of a JSON object, after unknown and repeated keys were reported.
struct Fields<'a> {
    entries: &'a [(String, Json)],
}

impl<'a> Fields<'a> {
    fn get(&self, key: &str) -> Option<&'a Json> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

struct Loader<'d> {
    diags: &'d mut Diagnostics,
}

impl Loader<'_> {
    fn missing(&mut self, path: &str, key: &str) {
        self.diags.error(path, format!("missing required key \"{key}\""));
    }

    fn wrong(&mut self, path: &str, expected: &str, got: &Json) {
        self.diags
            .error(path, format!("expected {expected}, found {}", got.kind()));
    }

    /// An object whose keys must come from `known`.
    fn object<'a>(&mut self, v: &'a Json, path: &str, known: &[&str]) -> Fields<'a> {
        let Json::Object(entries) = v else {
            self.wrong(path, "an object", v);
            return Fields { entries: &[] };
        };
        for (i, (key, _)) in entries.iter().enumerate() {
            if !known.contains(&key.as_str()) {
                self.diags.error(
                    join(path, key),
                    format!("unknown key \"{key}\"; expected one of: {}", known.join(", ")),
                );
            } else if entries[..i].iter().any(|(k, _)| k == key) {
                self.diags
                    .error(join(path, key), format!("key \"{key}\" appears more than once"));
            }
        }
        Fields { entries }
    }

    /// An object used as a map from names to items; each item is loaded by `item`.
    fn named_map<T>(
        &mut self,
        v: &Json,
        path: &str,
        mut item: impl FnMut(&mut Self, &str, &Json, String) -> T,
    ) -> Vec<T> {
        let Json::Object(entries) = v else {
            self.wrong(path, "an object mapping names to definitions", v);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for (i, (name, value)) in entries.iter().enumerate() {
            let item_path = join(path, name);
            if name.trim().is_empty() {
                self.diags.error(&item_path, "empty name");
            }
            if entries[..i].iter().any(|(k, _)| k == name) {
                self.diags.error(&item_path, format!("duplicate name \"{name}\""));
                continue;
            }
            out.push(item(self, name, value, item_path));
        }
        out
    }

    fn string(&mut self, v: &Json, path: &str) -> String {
        match v {
            Json::String(s) => s.clone(),
            other => {
                self.wrong(path, "a string", other);
                String::new()
            }
        }
    }

    fn required_string(&mut self, f: &Fields, path: &str, key: &str) -> String {
        match f.get(key) {
            Some(v) => self.string(v, &join(path, key)),
            None => {
                self.missing(path, key);
                String::new()
            }
        }
    }

    fn optional_string(&mut self, f: &Fields, path: &str, key: &str) -> String {
        f.get(key).map(|v| self.string(v, &join(path, key))).unwrap_or_default()
    }

    fn flag(&mut self, f: &Fields, path: &str, key: &str) -> bool {
        match f.get(key) {
            None => false,
            Some(Json::Bool(b)) => *b,
            Some(other) => {
                self.wrong(&join(path, key), "true or false", other);
                false
            }
        }
    }

    fn count(&mut self, v: &Json, path: &str) -> Option<u64> {
        match v {
            Json::Number(n) if n.as_u64().is_some() => n.as_u64(),
            other => {
                self.wrong(path, "a non-negative integer", other);
                None
            }
        }
    }

    fn service(&mut self, v: &Json, path: &str) -> Service {
        let f = self.object(v, path, SERVICE_KEYS);
        let name = self.required_string(&f, path, "name");
        let version = self.required_string(&f, path, "version");
        let title = self.optional_string(&f, path, "title");
        let documentation = self.optional_string(&f, path, "documentation");
        let (mut endpoint, mut intl_endpoint) = (String::new(), String::new());
        match f.get("endpoints") {
            Some(e) => {
                let ep = join(path, "endpoints");
                let ef = self.object(e, &ep, ENDPOINT_KEYS);
                endpoint = self.required_string(&ef, &ep, "default");
                intl_endpoint = self.required_string(&ef, &ep, "international");
            }
            None => self.missing(path, "endpoints"),
        }
        let common_errors = match f.get("common_errors") {
            Some(v) => self.error_codes(v, &join(path, "common_errors")),
            None => Vec::new(),
        };
        Service {
            name,
            version,
            title,
            documentation,
            endpoint,
            intl_endpoint,
            common_errors,
        }
    }

    fn error_codes(&mut self, v: &Json, path: &str) -> Vec<ErrorCode> {
        self.named_map(v, path, |l, code, value, path| {
            let description = l.string(value, &path);
            ErrorCode {
                path,
                code: code.to_owned(),
                description,
            }
        })
    }

    fn category(&mut self, name: &str, v: &Json, path: String) -> Category {
        let f = self.object(v, &path, CATEGORY_KEYS);
        let title = self.required_string(&f, &path, "title");
        let documentation = self.required_string(&f, &path, "documentation");
        Category {
            path,
            name: name.to_owned(),
            title,
            documentation,
        }
    }

    fn action(&mut self, name: &str, v: &Json, path: String) -> Action {
        let f = self.object(v, &path, ACTION_KEYS);
        let documentation = self.required_string(&f, &path, "documentation");
        let category = f.get("category").map(|c| self.string(c, &join(&path, "category")));
        let rate_limit = f.get("rate_limit").and_then(|r| {
            let rp = join(&path, "rate_limit");
            match self.count(r, &rp) {
                Some(0) => {
                    self.diags.error(rp, "rate_limit must be at least 1 request per second");
                    None
                }
                Some(n) => u32::try_from(n).ok().or_else(|| {
                    self.diags.error(rp, "rate_limit is too large");
                    None
                }),
                None => None,
            }
        });
        let rate_limit_assumed = self.flag(&f, &path, "rate_limit_assumed");
        if rate_limit_assumed && rate_limit.is_none() {
            self.diags.error(
                join(&path, "rate_limit_assumed"),
                "rate_limit_assumed needs a rate_limit",
            );
        }
        let read_only = f.get("read_only").and_then(|v| match v {
            Json::Bool(b) => Some(*b),
            other => {
                self.wrong(&join(&path, "read_only"), "true or false", other);
                None
            }
        });
        let input = self.members_at(&f, &path, "input");
        let output = self.members_at(&f, &path, "output");
        let errors = f
            .get("errors")
            .map(|e| self.error_codes(e, &join(&path, "errors")))
            .unwrap_or_default();
        let examples = match f.get("examples") {
            None => Vec::new(),
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, e)| self.example(e, format!("{path}.examples[{i}]")))
                .collect(),
            Some(other) => {
                self.wrong(&join(&path, "examples"), "an array", other);
                Vec::new()
            }
        };
        let pagination = f
            .get("pagination")
            .map(|p| self.pagination(p, join(&path, "pagination")));
        let upstream = f.get("upstream").map(|u| self.string(u, &join(&path, "upstream")));
        Action {
            path,
            name: name.to_owned(),
            documentation,
            category,
            rate_limit,
            rate_limit_assumed,
            read_only,
            input,
            output,
            errors,
            examples,
            pagination,
            upstream,
        }
    }

    fn pagination(&mut self, v: &Json, path: String) -> Pagination {
        let f = self.object(v, &path, PAGINATION_KEYS);
        let offset = self.required_string(&f, &path, "offset");
        let limit = self.required_string(&f, &path, "limit");
        let total = f.get("total").and_then(|t| match t {
            Json::String(name) => Some(name.clone()),
            other => {
                self.wrong(&join(&path, "total"), "a string", other);
                None
            }
        });
        let items = self.required_string(&f, &path, "items");
        let max_page_size = match f.get("max_page_size") {
            Some(m) => self.count(m, &join(&path, "max_page_size")),
            None => {
                self.missing(&path, "max_page_size");
                None
            }
        };
        Pagination {
            path,
            offset,
            limit,
            total,
            items,
            max_page_size,
        }
    }

    fn strings(&mut self, f: &Fields, path: &str, key: &str) -> Vec<String> {
        match f.get(key) {
            None => Vec::new(),
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.string(item, &format!("{path}.{key}[{i}]")))
                .collect(),
            Some(other) => {
                self.wrong(&join(path, key), "an array of strings", other);
                Vec::new()
            }
        }
    }

    fn waiter(&mut self, name: &str, v: &Json, path: String) -> Waiter {
        let f = self.object(v, &path, WAITER_KEYS);
        let documentation = self.required_string(&f, &path, "documentation");
        let action = self.required_string(&f, &path, "action");
        let items = f.get("items").map(|i| self.string(i, &join(&path, "items")));
        let status = self.required_string(&f, &path, "status");
        let name_members = self.strings(&f, &path, "name");
        let success = self.strings(&f, &path, "success");
        let failure = self.strings(&f, &path, "failure");
        let retry = self.strings(&f, &path, "retry");
        let delay = |l: &mut Self, key: &str, default: u64| match f.get(key) {
            Some(d) => l.count(d, &join(&path, key)).unwrap_or(default),
            None => default,
        };
        let min_delay = delay(self, "min_delay", DEFAULT_MIN_DELAY);
        let max_delay = delay(self, "max_delay", DEFAULT_MAX_DELAY);
        Waiter {
            path: path.clone(),
            name: name.to_owned(),
            documentation,
            action,
            items,
            status,
            name_members,
            success,
            failure,
            retry,
            min_delay,
            max_delay,
        }
    }

    fn members_at(&mut self, f: &Fields, path: &str, key: &str) -> Vec<Member> {
        match f.get(key) {
            Some(v) => self.named_map(v, &join(path, key), |l, name, value, path| l.member(name, value, path)),
            None => Vec::new(),
        }
    }

    fn object_type(&mut self, name: &str, v: &Json, path: String) -> Object {
        let f = self.object(v, &path, OBJECT_KEYS);
        let documentation = self.required_string(&f, &path, "documentation");
        let rust_name = f.get("rust_name").map(|r| self.string(r, &join(&path, "rust_name")));
        let members = self.members_at(&f, &path, "members");
        let upstream = f.get("upstream").map(|u| self.string(u, &join(&path, "upstream")));
        Object {
            path,
            name: name.to_owned(),
            documentation,
            rust_name,
            members,
            upstream,
        }
    }

    fn enumeration(&mut self, name: &str, v: &Json, path: String) -> Enum {
        let f = self.object(v, &path, ENUM_KEYS);
        let documentation = self.required_string(&f, &path, "documentation");
        let values = match f.get("values") {
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let vp = format!("{path}.values[{i}]");
                    let vf = self.object(item, &vp, ENUM_VALUE_KEYS);
                    EnumValue {
                        value: self.required_string(&vf, &vp, "value"),
                        name: self.required_string(&vf, &vp, "name"),
                        documentation: self.required_string(&vf, &vp, "documentation"),
                        path: vp,
                    }
                })
                .collect(),
            Some(other) => {
                self.wrong(&join(&path, "values"), "an array", other);
                Vec::new()
            }
            None => {
                self.missing(&path, "values");
                Vec::new()
            }
        };
        Enum {
            path,
            name: name.to_owned(),
            documentation,
            values,
        }
    }

    fn example(&mut self, v: &Json, path: String) -> Example {
        let f = self.object(v, &path, EXAMPLE_KEYS);
        let title = self.required_string(&f, &path, "title");
        let documentation = self.optional_string(&f, &path, "documentation");
        let body = |l: &mut Self, key: &str| match f.get(key) {
            Some(j @ Json::Object(_)) => j.clone(),
            Some(other) => {
                l.wrong(&join(&path, key), "an object", other);
                Json::Object(Vec::new())
            }
            None => {
                l.missing(&path, key);
                Json::Object(Vec::new())
            }
        };
        let input = body(self, "input");
        let output = body(self, "output");
        Example {
            path,
            title,
            documentation,
            input,
            output,
        }
    }

    fn member(&mut self, name: &str, v: &Json, path: String) -> Member {
        let f = self.object(v, &path, MEMBER_KEYS);
        let ty = match f.get("type") {
            Some(t) => self.type_ref(t, &join(&path, "type")),
            None => {
                self.missing(&path, "type");
                None
            }
        };
        let constraints = match f.get("constraints") {
            Some(c) => self.constraints(c, &join(&path, "constraints")),
            None => Constraints::default(),
        };
        Member {
            name: name.to_owned(),
            ty,
            required: self.flag(&f, &path, "required"),
            documentation: self.required_string(&f, &path, "documentation"),
            example: f.get("example").cloned(),
            sensitive: self.flag(&f, &path, "sensitive"),
            nullable: self.flag(&f, &path, "nullable"),
            disabled: self.flag(&f, &path, "disabled"),
            constraints,
            rust_name: f.get("rust_name").map(|r| self.string(r, &join(&path, "rust_name"))),
            upstream: f.get("upstream").map(|u| self.string(u, &join(&path, "upstream"))),
            path,
        }
    }

    /// `"string"` and the other scalars, `{"list": <type>}`, `{"object": "Name"}` or
    /// `{"enum": "Name"}`.
    fn type_ref(&mut self, v: &Json, path: &str) -> Option<TypeRef> {
        match v {
            Json::String(s) => match s.as_str() {
                "string" => Some(TypeRef::String),
                "int64" => Some(TypeRef::Int64),
                "uint64" => Some(TypeRef::Uint64),
                "float" => Some(TypeRef::Float),
                "bool" => Some(TypeRef::Bool),
                "datetime" => Some(TypeRef::DateTime),
                "date" => Some(TypeRef::Date),
                other => {
                    self.diags.error(
                        path,
                        format!(
                            "unknown type \"{other}\"; expected one of {}, {{\"list\": <type>}}, {{\"object\": \"<Name>\"}} or {{\"enum\": \"<Name>\"}}",
                            SCALAR_TYPES.join(", ")
                        ),
                    );
                    None
                }
            },
            Json::Object(entries) if entries.len() == 1 => match (&entries[0].0[..], &entries[0].1) {
                ("list", inner) => self
                    .type_ref(inner, &join(path, "list"))
                    .map(|t| TypeRef::List(Box::new(t))),
                ("object", Json::String(name)) => Some(TypeRef::Object(name.clone())),
                ("object", other) => {
                    self.wrong(&join(path, "object"), "an object name", other);
                    None
                }
                ("enum", Json::String(name)) => Some(TypeRef::Enum(name.clone())),
                ("enum", other) => {
                    self.wrong(&join(path, "enum"), "an enumeration name", other);
                    None
                }
                (key, _) => {
                    self.diags.error(
                        path,
                        format!("unknown type form \"{key}\"; expected \"list\", \"object\" or \"enum\""),
                    );
                    None
                }
            },
            other => {
                self.wrong(
                    path,
                    "a type name or {\"list\": ...}, {\"object\": ...} or {\"enum\": ...}",
                    other,
                );
                None
            }
        }
    }

    fn constraints(&mut self, v: &Json, path: &str) -> Constraints {
        let f = self.object(v, path, CONSTRAINT_KEYS);
        let mut c = Constraints::default();
        if let Some(b) = f.get("length") {
            c.length = Some(self.count_bound(b, &join(path, "length")));
        }
        if let Some(b) = f.get("base64") {
            c.base64 = Some(self.count_bound(b, &join(path, "base64")));
        }
        if let Some(p) = f.get("pattern") {
            c.pattern = Some(self.string(p, &join(path, "pattern")));
        }
        if let Some(b) = f.get("range") {
            let bp = join(path, "range");
            let bf = self.object(b, &bp, BOUND_KEYS);
            let number = |l: &mut Self, key: &str| match bf.get(key) {
                None => None,
                Some(Json::Number(n)) => Some(n.clone()),
                Some(other) => {
                    l.wrong(&join(&bp, key), "a number", other);
                    None
                }
            };
            c.range = Some(Bound {
                min: number(self, "min"),
                max: number(self, "max"),
            });
        }
        if let Some(b) = f.get("count") {
            c.count = Some(self.count_bound(b, &join(path, "count")));
        }
        if let Some(e) = f.get("enum") {
            let ep = join(path, "enum");
            match e {
                Json::Array(items) => {
                    let values = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.string(item, &format!("{ep}[{i}]")))
                        .collect();
                    c.allowed = Some(values);
                }
                other => self.wrong(&ep, "an array of strings", other),
            }
        }
        c
    }

    fn count_bound(&mut self, v: &Json, path: &str) -> Bound<u64> {
        let f = self.object(v, path, BOUND_KEYS);
        let min = f.get("min").and_then(|m| self.count(m, &join(path, "min")));
        let max = f.get("max").and_then(|m| self.count(m, &join(path, "max")));
        Bound { min, max }
    }
}
