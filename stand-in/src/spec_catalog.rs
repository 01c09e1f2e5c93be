// Reading our TEO spec (spec/teo-2022-09-01.json, format in spec/README.md) into what the
// stand-in needs to serve the actions it keeps no state for: each action's request members in the
// order the spec lists them (types, required flags, constraints, sensitivity), the named objects
// they reach, and the first example's output. The committed spec is compiled in and parsed once,
// lazily; a spec that does not load is a bug of ours, kept as a `CatalogError` that every generic
// answer reports (as `InternalError`) instead of a panic on a request path.

//! The spec catalog: the committed TEO spec, read once.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, OnceLock};

use regex_lite::Regex;
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

use crate::verify::VERSION;

/// Where the committed spec lives in the workspace, for messages.
pub(crate) const COMMITTED_SPEC_PATH: &str = "spec/teo-2022-09-01.json";

/// The committed spec's text, as it was when the stand-in was built.
pub(crate) const COMMITTED_SPEC: &str = include_str!("../../spec/teo-2022-09-01.json");

/// A catalog, or why the spec text did not give one.
pub(crate) type LoadedCatalog = Result<Catalog, CatalogError>;

/// The committed spec, parsed on first use and kept for the life of the process.
pub(crate) fn committed() -> &'static LoadedCatalog {
    static COMMITTED: OnceLock<LoadedCatalog> = OnceLock::new();
    COMMITTED.get_or_init(|| {
        let loaded = Catalog::parse(COMMITTED_SPEC, COMMITTED_SPEC_PATH);
        if let Err(error) = &loaded {
            tracing::error!(%error, "the stand-in cannot read its spec; generic actions answer InternalError");
        }
        loaded
    })
}

/// Which spec a stand-in answers its generic (stateless) actions from.
#[derive(Clone, Default)]
pub(crate) enum SpecSource {
    /// The committed spec, compiled in.
    #[default]
    Committed,
    /// A spec text given to the builder, parsed when the stand-in started.
    Custom(Arc<LoadedCatalog>),
}

impl SpecSource {
    /// The catalog (or the error) of this source.
    pub(crate) fn loaded(&self) -> &LoadedCatalog {
        match self {
            Self::Committed => committed(),
            Self::Custom(loaded) => loaded,
        }
    }
}

impl fmt::Debug for SpecSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Committed => f.write_str(COMMITTED_SPEC_PATH),
            Self::Custom(_) => f.write_str("custom spec"),
        }
    }
}

/// Why a spec text gave no catalog: where (the spec's name and a JSON path) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CatalogError {
    /// The spec's name (its path, or `custom spec`).
    pub(crate) source_name: String,
    /// The JSON path of the offending value (`actions.X.input.Y.type`), empty for the whole text.
    pub(crate) path: String,
    /// What is wrong there.
    pub(crate) problem: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.source_name, self.problem)
        } else {
            write!(f, "{}: {}: {}", self.source_name, self.path, self.problem)
        }
    }
}

impl std::error::Error for CatalogError {}

/// A member's type, as the spec writes it (spec/README.md, "Types").
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Type {
    /// `"string"`.
    String,
    /// `"int64"`.
    Int64,
    /// `"uint64"`.
    Uint64,
    /// `"float"`.
    Float,
    /// `"bool"`.
    Bool,
    /// `"datetime"`: ISO 8601 text, or `YYYY-MM-DD hh:mm:ss`.
    DateTime,
    /// `"date"`: `YYYY-MM-DD`.
    Date,
    /// `{"list": <type>}`.
    List(Box<Type>),
    /// `{"object": "Name"}`, a named object of the spec's `objects`.
    Object(String),
}

/// An inclusive bound pair; either end may be absent.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Bounds<T> {
    /// The least value allowed.
    pub(crate) min: Option<T>,
    /// The greatest value allowed.
    pub(crate) max: Option<T>,
}

/// A `pattern` constraint: its source text and the compiled expression.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    /// The expression as the spec writes it.
    pub(crate) source: String,
    /// The compiled expression; the whole value must match (the spec anchors it).
    pub(crate) regex: Regex,
}

/// A member's constraints (spec/README.md, "Constraints"). For a list, each applies to every
/// element except `count`, which applies to the list.
#[derive(Clone, Debug, Default)]
pub(crate) struct Constraints {
    /// Length in characters.
    pub(crate) length: Option<Bounds<u64>>,
    /// Standard base64 whose decoded length in bytes is within the bounds.
    pub(crate) base64: Option<Bounds<u64>>,
    /// A regular expression the whole value must match.
    pub(crate) pattern: Option<Pattern>,
    /// The allowed values (`enum`).
    pub(crate) allowed: Option<Vec<String>>,
    /// Whether `allowed` is compared ignoring ASCII case, with an empty string also taken: true
    /// for a named enumeration, whose values the service's own examples send in either case
    /// (`ip_domain` for `IP_DOMAIN`) or empty for "not set"; a plain `constraints.enum` is
    /// compared exactly.
    pub(crate) allowed_any_case: bool,
    /// Numeric bounds, inclusive.
    pub(crate) range: Option<Bounds<Number>>,
    /// Number of list entries.
    pub(crate) count: Option<Bounds<u64>>,
}

/// One member of a request (or of an object inside one).
#[derive(Clone, Debug)]
pub(crate) struct Member {
    /// The wire name.
    pub(crate) name: String,
    /// Its type.
    pub(crate) ty: Type,
    /// Whether a request must send it (not `null`).
    pub(crate) required: bool,
    /// Whether its value must stay out of error messages.
    pub(crate) sensitive: bool,
    /// Its constraints. A member whose type is a named enumeration (`{"enum": "Name"}`) is a
    /// string here, and the enumeration's values are its `allowed` values (in any case): the
    /// stand-in, like the service, refuses a value it does not know.
    pub(crate) constraints: Constraints,
    /// The enumeration its type names (itself or its items), filled into `constraints` once
    /// the spec's `enums` are read.
    enum_of: Option<String>,
}

/// What the stand-in knows of one action.
#[derive(Clone, Debug, Default)]
pub(crate) struct Action {
    /// The request members, in the spec's order.
    pub(crate) input: Vec<Member>,
    /// `examples[0].output`, when the action has an example with an output.
    pub(crate) example_output: Option<Map<String, Value>>,
}

/// The actions and objects of one spec.
#[derive(Clone, Debug, Default)]
pub(crate) struct Catalog {
    actions: BTreeMap<String, Action>,
    objects: HashMap<String, Vec<Member>>,
}

/// Entries of one JSON object, in the order the text lists them.
type Entries<'a> = Vec<(String, &'a RawValue)>;

impl Catalog {
    /// Reads a spec text; `source_name` names it in errors. Checks what the stand-in relies on:
    /// JSON shapes, type names, constraint shapes, that patterns compile, that every object a
    /// type names exists, and that the spec is for the version the stand-in serves. Keys the
    /// stand-in does not use are ignored, so the format may grow.
    pub(crate) fn parse(text: &str, source_name: &str) -> Result<Self, CatalogError> {
        let fail = |path: &str, problem: String| CatalogError {
            source_name: source_name.to_owned(),
            path: path.to_owned(),
            problem,
        };
        let top = serde_json::from_str::<&RawValue>(text).map_err(|error| fail("", error.to_string()))?;
        let top = entries(top, "").map_err(|(path, problem)| fail(&path, problem))?;
        let field = |name: &str| top.iter().find(|(key, _)| key == name).map(|(_, raw)| *raw);

        let service = field("service").ok_or_else(|| fail("service", "missing".to_owned()))?;
        let service: Value = parse_value(service, "service").map_err(|(path, problem)| fail(&path, problem))?;
        match service.get("version").and_then(Value::as_str) {
            Some(version) if version == VERSION => {}
            Some(version) => {
                return Err(fail(
                    "service.version",
                    format!("`{version}`, but the stand-in serves `{VERSION}`"),
                ))
            }
            None => return Err(fail("service.version", "missing or not a string".to_owned())),
        }

        let mut catalog = Catalog::default();
        let actions = field("actions").ok_or_else(|| fail("actions", "missing".to_owned()))?;
        for (name, raw) in entries(actions, "actions").map_err(|(path, problem)| fail(&path, problem))? {
            let path = format!("actions.{name}");
            let action = read_action(raw, &path).map_err(|(path, problem)| fail(&path, problem))?;
            catalog.actions.insert(name, action);
        }
        if let Some(objects) = field("objects") {
            for (name, raw) in entries(objects, "objects").map_err(|(path, problem)| fail(&path, problem))? {
                let path = format!("objects.{name}");
                let members = read_object(raw, &path).map_err(|(path, problem)| fail(&path, problem))?;
                catalog.objects.insert(name, members);
            }
        }
        let mut enums: HashMap<String, Vec<String>> = HashMap::new();
        if let Some(raw) = field("enums") {
            for (name, raw) in entries(raw, "enums").map_err(|(path, problem)| fail(&path, problem))? {
                let path = format!("enums.{name}");
                let values = read_enum(raw, &path).map_err(|(path, problem)| fail(&path, problem))?;
                enums.insert(name, values);
            }
        }
        catalog
            .fill_enums(&enums)
            .map_err(|(path, problem)| fail(&path, problem))?;
        catalog
            .check_references()
            .map_err(|(path, problem)| fail(&path, problem))?;
        Ok(catalog)
    }

    /// The action named `name`, if the spec has it.
    pub(crate) fn action(&self, name: &str) -> Option<&Action> {
        self.actions.get(name)
    }

    /// The members of the object named `name`, if the spec has it.
    pub(crate) fn object(&self, name: &str) -> Option<&[Member]> {
        self.objects.get(name).map(Vec::as_slice)
    }

    /// Every action name, in name order.
    #[cfg(test)]
    pub(crate) fn action_names(&self) -> impl Iterator<Item = &str> {
        self.actions.keys().map(String::as_str)
    }

    /// Gives each member of an enumeration type the enumeration's values as its allowed values;
    /// the enumeration must be defined.
    fn fill_enums(&mut self, enums: &HashMap<String, Vec<String>>) -> Result<(), ReadError> {
        let actions = self.actions.iter_mut().flat_map(|(name, action)| {
            action
                .input
                .iter_mut()
                .map(move |m| (format!("actions.{name}.input"), m))
        });
        let objects = self
            .objects
            .iter_mut()
            .flat_map(|(name, members)| members.iter_mut().map(move |m| (format!("objects.{name}.members"), m)));
        for (path, member) in actions.chain(objects) {
            let Some(name) = &member.enum_of else { continue };
            let values = enums.get(name).ok_or_else(|| {
                (
                    format!("{path}.{}.type", member.name),
                    format!("names the enum `{name}`, which `enums` does not define"),
                )
            })?;
            member.constraints.allowed = Some(values.clone());
            member.constraints.allowed_any_case = true;
        }
        Ok(())
    }

    /// Every object a member's type names must be defined.
    fn check_references(&self) -> Result<(), (String, String)> {
        let actions = self.actions.iter().flat_map(|(name, action)| {
            action
                .input
                .iter()
                .map(move |member| (format!("actions.{name}.input"), member))
        });
        let objects = self.objects.iter().flat_map(|(name, members)| {
            members
                .iter()
                .map(move |member| (format!("objects.{name}.members"), member))
        });
        for (path, member) in actions.chain(objects) {
            let mut ty = &member.ty;
            while let Type::List(inner) = ty {
                ty = inner;
            }
            if let Type::Object(object) = ty {
                if !self.objects.contains_key(object) {
                    return Err((
                        format!("{path}.{}.type", member.name),
                        format!("names the object `{object}`, which `objects` does not define"),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A failure while reading: JSON path and problem.
type ReadError = (String, String);

/// The entries of the JSON object `raw`, in text order (a repeated key keeps its last value).
fn entries<'a>(raw: &'a RawValue, path: &str) -> Result<Entries<'a>, ReadError> {
    let map: BTreeMap<String, &'a RawValue> =
        serde_json::from_str(raw.get()).map_err(|error| (path.to_owned(), format!("expected an object: {error}")))?;
    let mut entries: Entries<'a> = map.into_iter().collect();
    // Every value is a slice of the same text, so its address is its position in the text.
    entries.sort_by_key(|(_, value)| value.get().as_ptr() as usize);
    Ok(entries)
}

fn parse_value(raw: &RawValue, path: &str) -> Result<Value, ReadError> {
    serde_json::from_str(raw.get()).map_err(|error| (path.to_owned(), error.to_string()))
}

fn read_action(raw: &RawValue, path: &str) -> Result<Action, ReadError> {
    let fields = entries(raw, path)?;
    let mut action = Action::default();
    for (key, value) in fields {
        match key.as_str() {
            "input" => action.input = read_members(value, &format!("{path}.input"))?,
            "examples" => action.example_output = first_example_output(value, &format!("{path}.examples"))?,
            _ => {}
        }
    }
    Ok(action)
}

/// `examples[0].output`: `None` when there are no examples or the first has no output.
fn first_example_output(raw: &RawValue, path: &str) -> Result<Option<Map<String, Value>>, ReadError> {
    let examples = parse_value(raw, path)?;
    let examples = examples
        .as_array()
        .ok_or_else(|| (path.to_owned(), "expected a list".to_owned()))?;
    let Some(first) = examples.first() else {
        return Ok(None);
    };
    match first.get("output") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(output)) => Ok(Some(output.clone())),
        Some(_) => Err((format!("{path}[0].output"), "expected an object".to_owned())),
    }
}

fn read_object(raw: &RawValue, path: &str) -> Result<Vec<Member>, ReadError> {
    match entries(raw, path)?.into_iter().find(|(key, _)| key == "members") {
        Some((_, members)) => read_members(members, &format!("{path}.members")),
        None => Ok(Vec::new()),
    }
}

fn read_members(raw: &RawValue, path: &str) -> Result<Vec<Member>, ReadError> {
    entries(raw, path)?
        .into_iter()
        .map(|(name, raw)| {
            let member_path = format!("{path}.{name}");
            let value = parse_value(raw, &member_path)?;
            read_member(name, &value, &member_path)
        })
        .collect()
}

fn read_member(name: String, value: &Value, path: &str) -> Result<Member, ReadError> {
    let flag = |key: &str| match value.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(_) => Err((format!("{path}.{key}"), "expected a boolean".to_owned())),
    };
    let mut enum_of = None;
    let ty = value
        .get("type")
        .ok_or_else(|| (format!("{path}.type"), "missing".to_owned()))
        .and_then(|ty| read_type(ty, &format!("{path}.type"), &mut enum_of))?;
    let constraints = match value.get("constraints") {
        None | Some(Value::Null) => Constraints::default(),
        Some(constraints) => read_constraints(constraints, &format!("{path}.constraints"))?,
    };
    Ok(Member {
        name,
        ty,
        required: flag("required")?,
        sensitive: flag("sensitive")?,
        constraints,
        enum_of,
    })
}

/// The values of an enumeration (`{"values": [{"value": ...}, ...]}`).
fn read_enum(raw: &RawValue, path: &str) -> Result<Vec<String>, ReadError> {
    let value = parse_value(raw, path)?;
    let values = value
        .get("values")
        .and_then(Value::as_array)
        .ok_or_else(|| (format!("{path}.values"), "expected a list".to_owned()))?;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| match v.get("value") {
            Some(Value::String(text)) => Ok(text.clone()),
            _ => Err((format!("{path}.values[{i}].value"), "expected a string".to_owned())),
        })
        .collect()
}

/// A type; a named enumeration reads as `String`, its name kept in `enum_of`.
fn read_type(value: &Value, path: &str, enum_of: &mut Option<String>) -> Result<Type, ReadError> {
    match value {
        Value::String(name) => match name.as_str() {
            "string" => Ok(Type::String),
            "int64" => Ok(Type::Int64),
            "uint64" => Ok(Type::Uint64),
            "float" => Ok(Type::Float),
            "bool" => Ok(Type::Bool),
            "datetime" => Ok(Type::DateTime),
            "date" => Ok(Type::Date),
            other => Err((path.to_owned(), format!("unknown type `{other}`"))),
        },
        Value::Object(form) if form.len() == 1 => match (form.get("list"), form.get("object"), form.get("enum")) {
            (Some(inner), _, _) => Ok(Type::List(Box::new(read_type(
                inner,
                &format!("{path}.list"),
                enum_of,
            )?))),
            (_, Some(Value::String(object)), _) => Ok(Type::Object(object.clone())),
            (_, _, Some(Value::String(name))) => {
                *enum_of = Some(name.clone());
                Ok(Type::String)
            }
            _ => Err((
                path.to_owned(),
                "expected {\"list\": <type>}, {\"object\": \"<Name>\"} or {\"enum\": \"<Name>\"}".to_owned(),
            )),
        },
        _ => Err((path.to_owned(), "expected a type name or a one-key object".to_owned())),
    }
}

/// Reads the constraints the format defines; keys it does not define are ignored.
fn read_constraints(value: &Value, path: &str) -> Result<Constraints, ReadError> {
    let object = value
        .as_object()
        .ok_or_else(|| (path.to_owned(), "expected an object".to_owned()))?;
    let count_bounds = |key: &str| -> Result<Option<Bounds<u64>>, ReadError> {
        let Some(bounds) = object.get(key) else {
            return Ok(None);
        };
        let key_path = format!("{path}.{key}");
        let end = |end: &str| match bounds.get(end) {
            None | Some(Value::Null) => Ok(None),
            Some(number) => number.as_u64().map(Some).ok_or_else(|| {
                (
                    format!("{key_path}.{end}"),
                    "expected a non-negative integer".to_owned(),
                )
            }),
        };
        if !bounds.is_object() {
            return Err((key_path, "expected {\"min\", \"max\"}".to_owned()));
        }
        Ok(Some(Bounds {
            min: end("min")?,
            max: end("max")?,
        }))
    };
    let range = match object.get("range") {
        None => None,
        Some(bounds) if bounds.is_object() => {
            let end = |end: &str| match bounds.get(end) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(number)) => Ok(Some(number.clone())),
                Some(_) => Err((format!("{path}.range.{end}"), "expected a number".to_owned())),
            };
            Some(Bounds {
                min: end("min")?,
                max: end("max")?,
            })
        }
        Some(_) => return Err((format!("{path}.range"), "expected {\"min\", \"max\"}".to_owned())),
    };
    let pattern = match object.get("pattern") {
        None => None,
        Some(Value::String(source)) => {
            let regex = Regex::new(source)
                .map_err(|error| (format!("{path}.pattern"), format!("does not compile: {error}")))?;
            Some(Pattern {
                source: source.clone(),
                regex,
            })
        }
        Some(_) => return Err((format!("{path}.pattern"), "expected a string".to_owned())),
    };
    let allowed = match object.get("enum") {
        None => None,
        Some(Value::Array(values)) => Some(
            values
                .iter()
                .map(|value| value.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| (format!("{path}.enum"), "expected a list of strings".to_owned()))?,
        ),
        Some(_) => return Err((format!("{path}.enum"), "expected a list of strings".to_owned())),
    };
    Ok(Constraints {
        length: count_bounds("length")?,
        base64: count_bounds("base64")?,
        pattern,
        allowed,
        allowed_any_case: false,
        range,
        count: count_bounds("count")?,
    })
}

/// The fixture spec the unit tests read (also served by the wire tests in `tests/from_spec.rs`).
#[cfg(test)]
pub(crate) const FIXTURE: &str = include_str!("../tests/fixtures/generic-spec.json");

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Catalog {
        match Catalog::parse(FIXTURE, "fixture") {
            Ok(catalog) => catalog,
            Err(error) => panic!("the fixture loads: {error}"),
        }
    }

    #[test]
    fn the_committed_spec_loads() {
        if let Err(error) = committed() {
            panic!("{error}");
        }
        let catalog = committed().as_ref().ok();
        assert!(catalog.is_some_and(|catalog| catalog.action("DescribeZones").is_some()));
    }

    #[test]
    fn members_keep_the_spec_order() {
        let catalog = fixture();
        let action = catalog.action("CreateL4Proxy");
        let names: Vec<&str> = action
            .map(|action| action.input.iter().map(|member| member.name.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names.first().copied(), Some("ZoneId"));
        assert_eq!(names.get(1).copied(), Some("ProxyName"));
        assert_eq!(names.get(2).copied(), Some("Area"));
        let filter: Vec<&str> = catalog
            .object("AdvancedFilter")
            .map(|members| members.iter().map(|member| member.name.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(filter, ["Name", "Values", "Fuzzy"]);
    }

    #[test]
    fn types_constraints_and_examples_are_read() {
        let catalog = fixture();
        let Some(action) = catalog.action("CreateL4Proxy") else {
            panic!("CreateL4Proxy is in the fixture");
        };
        let member = |name: &str| action.input.iter().find(|member| member.name == name);
        let area = member("Area").map(|member| (&member.ty, member.required, &member.constraints.allowed));
        assert!(matches!(area, Some((Type::String, true, Some(values))) if values.len() == 3));
        let tags = member("Tags").map(|member| (&member.ty, &member.constraints.count));
        assert!(
            matches!(tags, Some((Type::List(inner), Some(Bounds { min: None, max: Some(3) }))) if **inner == Type::String)
        );
        assert!(member("Secret").is_some_and(|member| member.sensitive));
        assert!(member("ProxyName").is_some_and(|member| member
            .constraints
            .pattern
            .as_ref()
            .is_some_and(|pattern| pattern.regex.is_match("web-1") && !pattern.regex.is_match("Web 1"))));
        assert!(action
            .example_output
            .as_ref()
            .is_some_and(|output| output.contains_key("ProxyId")));
        assert!(catalog
            .action("ModifyL4ProxyStatus")
            .is_some_and(|action| action.example_output.is_none()));
    }

    #[test]
    fn spec_mistakes_are_reported_with_their_path() {
        let spec = |actions: &str, objects: &str| {
            format!(
                r#"{{"service": {{"name": "teo", "version": "2022-09-01"}}, "actions": {actions}, "objects": {objects}}}"#
            )
        };
        let cases = [
            ("{".to_owned(), ""),
            (
                r#"{"service": {"version": "2019-12-05"}, "actions": {}}"#.to_owned(),
                "service.version",
            ),
            (r#"{"service": {"version": "2022-09-01"}}"#.to_owned(), "actions"),
            (
                spec(r#"{"A": {"input": {"X": {"type": "text"}}}}"#, "{}"),
                "actions.A.input.X.type",
            ),
            (spec(r#"{"A": {"input": {"X": {}}}}"#, "{}"), "actions.A.input.X.type"),
            (
                spec(r#"{"A": {"input": {"X": {"type": {"object": "Nope"}}}}}"#, "{}"),
                "actions.A.input.X.type",
            ),
            (
                spec(
                    r#"{"A": {"input": {"X": {"type": "string", "constraints": {"pattern": "("}}}}}"#,
                    "{}",
                ),
                "actions.A.input.X.constraints.pattern",
            ),
            (
                spec(
                    r#"{"A": {"input": {"X": {"type": "string", "constraints": {"length": {"max": -1}}}}}}"#,
                    "{}",
                ),
                "actions.A.input.X.constraints.length.max",
            ),
            (
                spec(r#"{"A": {"examples": [{"output": []}]}}"#, "{}"),
                "actions.A.examples[0].output",
            ),
            (
                spec("{}", r#"{"O": {"members": {"Y": {"type": {"list": 3}}}}}"#),
                "objects.O.members.Y.type.list",
            ),
        ];
        for (text, path) in cases {
            match Catalog::parse(&text, "test spec") {
                Ok(_) => panic!("{text} should not load"),
                Err(error) => {
                    assert_eq!(error.path, path, "{error}");
                    assert!(error.to_string().starts_with("test spec: "), "{error}");
                }
            }
        }
    }

    #[test]
    fn a_minimal_spec_loads() {
        let catalog = Catalog::parse(r#"{"service": {"version": "2022-09-01"}, "actions": {"A": {}}}"#, "min");
        assert!(catalog.is_ok_and(|catalog| catalog
            .action("A")
            .is_some_and(|action| action.input.is_empty() && action.example_output.is_none())));
    }
}
