//! `codegen import`: adds actions from Tencent's `api.json` (and every object they reach) to
//! our spec, keeping what a person added by hand.
//!
//! Upstream owns the facts: member lists, types, the required flags of request members,
//! `nullable`, `disabled` and examples follow `api.json`, and every change to them is reported.
//! A person owns the rest: documentation, constraints, `sensitive`, whether a response member is
//! required (never inferred: see `upstream_members`), error codes, rate limits and examples of an
//! action already in the spec are kept. Each action, object and member records a fingerprint of the
//! upstream documentation it was imported from, so a re-import can say when Tencent changed a
//! text that a person translated; that documentation may come from a second description
//! ([`take_docs`](crate::doc_overlay::take_docs)), and the report then counts the texts per
//! file. New members whose names look like secrets are proposed as sensitive and listed for a
//! person to confirm.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{join, Diagnostics, Location};
use crate::doc_overlay::{DocOf, DocOrigin, DocTally};
use crate::enum_proposal::{closed_values, proposed_enum, ListedValue};
use crate::json::Json;
use crate::official::{Official, OfficialMember};
use crate::paging_proposal::{constrain_limit, propose, Proposal};
use crate::spec::*;
use crate::validate;
use crate::values::{is_date, is_iso8601};

/// Name fragments (lowercase) that mark a member as a likely secret.
const SECRET_WORDS: &[&str] = &[
    "secret",
    "token",
    "password",
    "passwd",
    "privatekey",
    "credential",
    "accesskey",
];

/// What to import.
#[derive(Debug, Default)]
pub struct Options {
    /// Action names to import.
    pub actions: Vec<String>,
    /// Import every action of `api.json`.
    pub all: bool,
    /// Error codes to merge into the imported actions.
    pub errors: Option<ErrorCodes>,
    /// The category (cargo feature) of the actions added; needed when the spec has categories.
    /// Actions already in the spec keep theirs.
    pub category: Option<String>,
}

/// Error codes from a list file: one list for every imported action, or a list per action.
#[derive(Debug)]
pub enum ErrorCodes {
    /// The same codes for every imported action.
    All(Vec<String>),
    /// Codes per action name.
    PerAction(BTreeMap<String, Vec<String>>),
}

/// What an import did and what a person should look at.
#[derive(Debug, Default)]
pub struct Report {
    /// Actions added.
    pub added_actions: Vec<String>,
    /// Actions already present and refreshed.
    pub updated_actions: Vec<String>,
    /// Objects added.
    pub added_objects: Vec<String>,
    /// Upstream changes to members already in the spec, one line each.
    pub changes: Vec<String>,
    /// Members proposed as sensitive, by JSON path.
    pub proposed_sensitive: Vec<String>,
    /// Upstream examples that do not fit the member's type or rules, and were left out.
    pub dropped_examples: Vec<String>,
    /// Object-typed members whose upstream example (text) was not imported.
    pub object_examples_skipped: usize,
    /// Error codes merged, per action.
    pub merged_errors: Vec<String>,
    /// Members of upstream's `binary` kind, imported as base64 strings.
    pub binary: Vec<String>,
    /// Members and objects given a Rust name of their own, one line each.
    pub renamed: Vec<String>,
    /// Pagination blocks proposed, one line each.
    pub pagination: Vec<String>,
    /// Actions proposed as read-only (`read_only: true`), by JSON path, with the verb that
    /// suggested it.
    pub read_only: Vec<String>,
    /// What a person must decide, one line each.
    pub questions: Vec<String>,
    /// Named enumerations proposed for new members whose documentation lists a closed set of
    /// values, one line each.
    pub enums: Vec<String>,
    /// New members whose documentation lists a closed set, awaiting their enumeration.
    enum_candidates: Vec<EnumCandidate>,
    /// Where the imported documentation came from, when a second file supplied it
    /// ([`take_docs`](crate::doc_overlay::take_docs)).
    pub docs: Option<DocTally>,
}

impl Report {
    /// Human-readable lines.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(self.added_actions.iter().map(|a| format!("+ action {a}")));
        out.extend(
            self.updated_actions
                .iter()
                .map(|a| format!("= action {a} (already in the spec; refreshed)")),
        );
        out.extend(self.added_objects.iter().map(|o| format!("+ object {o}")));
        out.extend(self.changes.iter().map(|c| format!("~ {c}")));
        out.extend(self.merged_errors.iter().map(|e| format!("+ {e}")));
        out.extend(self.dropped_examples.iter().map(|e| format!("! {e}")));
        if self.object_examples_skipped > 0 {
            out.push(format!(
                "! {} object-typed member(s): the official example is free text and was not imported",
                self.object_examples_skipped
            ));
        }
        out.extend(
            self.binary
                .iter()
                .map(|p| format!("~ {p}: upstream kind binary, imported as a string with a base64 constraint")),
        );
        out.extend(self.renamed.iter().map(|r| format!("~ renamed {r}")));
        out.extend(self.pagination.iter().map(|p| format!("+ pagination {p}")));
        out.extend(self.questions.iter().map(|q| format!("? {q}")));
        out.extend(self.enums.iter().map(|e| format!("? {e}")));
        out.extend(self.read_only.iter().map(|r| {
            format!("? {r}: proposed read_only (a retry after a lost connection is safe); confirm, or set \"read_only\": false")
        }));
        out.extend(self.proposed_sensitive.iter().map(|p| {
            format!("? {p}: proposed as sensitive (name looks like a secret); confirm, or set \"sensitive\": false")
        }));
        out.extend(self.docs.iter().flat_map(DocTally::lines));
        out
    }

    fn count_doc(&mut self, of: DocOf, origin: DocOrigin, name: &str) {
        if let Some(tally) = &mut self.docs {
            tally.count(of, origin, name);
        }
    }
}

/// A new member whose documentation lists a closed set of values.
#[derive(Debug)]
struct EnumCandidate {
    /// The member's JSON path.
    path: String,
    /// Its wire name.
    member: String,
    /// Whether it is a list of strings (else a string).
    list: bool,
    /// The values listed.
    values: Vec<ListedValue>,
}

/// A short, stable fingerprint of an upstream text (FNV-1a, 64 bits).
pub fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Imports into `spec`. On error nothing in `spec` should be trusted (the caller writes nothing).
pub fn import(spec: &mut Spec, official: &Official, opts: &Options) -> Result<Report, Diagnostics> {
    let mut diags = Diagnostics::default();
    if official.service != spec.service.name || official.version != spec.service.version {
        diags.error(
            "metadata",
            format!(
                "api.json describes {} {}, but the spec is {} {}",
                official.service, official.version, spec.service.name, spec.service.version
            ),
        );
        return Err(diags);
    }
    let names: Vec<String> = if opts.all {
        official.actions.iter().map(|a| a.name.clone()).collect()
    } else {
        opts.actions.clone()
    };
    if names.is_empty() {
        diags.error("", "nothing to import: give --action NAME (repeatable) or --all");
        return Err(diags);
    }
    let declared: Vec<&str> = spec.categories.iter().map(|c| c.name.as_str()).collect();
    let adds_any = names.iter().any(|n| !spec.actions.iter().any(|a| &a.name == n));
    match &opts.category {
        None if adds_any && !declared.is_empty() => {
            diags.error(
                "categories",
                format!(
                    "the spec groups its actions into categories (cargo features); give --category NAME for the actions added, one of: {}",
                    declared.join(", ")
                ),
            );
            return Err(diags);
        }
        Some(c) if !declared.contains(&c.as_str()) => {
            diags.error(
                "categories",
                format!(
                    "--category {c}: the spec declares no such category; declare it under \"categories\" first{}",
                    if declared.is_empty() {
                        String::new()
                    } else {
                        format!(" (it has: {})", declared.join(", "))
                    }
                ),
            );
            return Err(diags);
        }
        _ => {}
    }
    let mut report = Report {
        docs: official.doc_files.clone().map(DocTally::new),
        ..Report::default()
    };
    let mut reached: BTreeSet<String> = BTreeSet::new();
    // Every object some response of the description reaches: decoded, so none of its members
    // is imported as required.
    let mut decoded: BTreeSet<String> = BTreeSet::new();
    for a in &official.actions {
        for m in official
            .objects
            .get(&a.output)
            .map(|o| o.members.as_slice())
            .unwrap_or_default()
        {
            collect_objects(official, &m.ty, &mut decoded);
        }
    }
    for name in &names {
        let Some(up) = official.actions.iter().find(|a| &a.name == name) else {
            diags.error(join("actions", name), "no such action in api.json");
            continue;
        };
        report.count_doc(DocOf::Action, up.doc_origin, name);
        let path = join("actions", name);
        let input = upstream_members(official, &up.input, Usage::In);
        let output: Vec<_> = upstream_members(official, &up.output, Usage::Out)
            .into_iter()
            .filter(|(m, _)| m.name != REQUEST_ID)
            .collect();
        for (m, _) in input.iter().chain(&output) {
            collect_objects(official, &m.ty, &mut reached);
        }
        let existed = spec.actions.iter().any(|a| &a.name == name);
        let index = match spec.actions.iter().position(|a| &a.name == name) {
            Some(i) => {
                report.updated_actions.push(name.clone());
                i
            }
            None => {
                report.added_actions.push(name.clone());
                spec.actions.push(Action {
                    path: path.clone(),
                    name: name.clone(),
                    documentation: up.document.clone(),
                    category: opts.category.clone(),
                    rate_limit: None,
                    rate_limit_assumed: false,
                    read_only: None,
                    input: Vec::new(),
                    output: Vec::new(),
                    errors: Vec::new(),
                    examples: Vec::new(),
                    pagination: None,
                    upstream: None,
                });
                spec.actions.len() - 1
            }
        };
        let limit_doc = input
            .iter()
            .find(|(m, _)| m.name == "Limit")
            .map(|(m, _)| m.document.clone())
            .unwrap_or_default();
        let action = &mut spec.actions[index];
        note_doc_change(&mut action.upstream, &up.document, &path, &mut report);
        merge_members(&mut action.input, input, &join(&path, "input"), existed, &mut report);
        merge_members(&mut action.output, output, &join(&path, "output"), existed, &mut report);
        if let Some(codes) = &opts.errors {
            merge_errors(action, codes, &mut report);
        }
        if action.pagination.is_none() {
            propose_pagination(action, &limit_doc, &mut report);
        }
        if action.read_only.is_none() {
            if let Some(verb) = crate::read_only_proposal::read_verb(name) {
                action.read_only = Some(true);
                report
                    .read_only
                    .push(format!("{} (name starts with {verb})", join(&path, "read_only")));
            }
        }
    }
    for name in &reached {
        let Some(up) = official.objects.get(name) else {
            diags.error(
                join("objects", name),
                "referenced by an imported member but not defined in api.json",
            );
            continue;
        };
        report.count_doc(DocOf::Object, up.doc_origin, name);
        // Whether responses carry it, from what the actions reach rather than the `usage`
        // label: the label says "both" for many objects that only requests reach.
        let usage = if decoded.contains(name) { Usage::Out } else { Usage::In };
        let path = join("objects", name);
        let members = upstream_members(official, name, usage);
        let existed = spec.objects.iter().any(|o| &o.name == name);
        let index = match spec.objects.iter().position(|o| &o.name == name) {
            Some(i) => i,
            None => {
                report.added_objects.push(name.clone());
                spec.objects.push(Object {
                    path: path.clone(),
                    name: name.clone(),
                    documentation: up.document.clone(),
                    rust_name: None,
                    members: Vec::new(),
                    upstream: None,
                });
                spec.objects.len() - 1
            }
        };
        let object = &mut spec.objects[index];
        note_doc_change(&mut object.upstream, &up.document, &path, &mut report);
        merge_members(
            &mut object.members,
            members,
            &join(&path, "members"),
            existed,
            &mut report,
        );
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    propose_enums(spec, &mut report);
    drop_unfit_examples(spec, &mut report);
    rename_collisions(spec, &mut report);
    let mut check = Diagnostics::default();
    crate::check(spec, &mut check);
    if !check.is_empty() {
        return Err(check);
    }
    report.proposed_sensitive.sort();
    Ok(report)
}

/// Gives each new member whose documentation lists a closed set a named enumeration: one
/// already used by a member of the same name with the same values, or a new one named after
/// the owner and the member; each is reported for a person to confirm.
fn propose_enums(spec: &mut Spec, report: &mut Report) {
    let candidates = std::mem::take(&mut report.enum_candidates);
    for c in candidates {
        let values: Vec<&str> = c.values.iter().map(|v| v.value.as_str()).collect();
        // An enumeration a member of the same name already uses, with the same values.
        let same = |e: &Enum| e.values.iter().map(|v| v.value.as_str()).eq(values.iter().copied());
        let shared = members_of(spec)
            .filter(|m| m.name == c.member)
            .filter_map(|m| match m.ty.as_ref().map(TypeRef::element) {
                Some(TypeRef::Enum(name)) => Some(name.clone()),
                _ => None,
            })
            .find(|name| spec.enums.iter().any(|e| &e.name == name && same(e)));
        let owner = owner_of(&c.path);
        let name = match shared {
            Some(name) => {
                report.enums.push(format!(
                    "{}.type: proposed enum {name}, which a member of the same name with the same values uses; confirm, or set \"type\" back to \"string\"",
                    c.path
                ));
                name
            }
            None => {
                let base = format!("{}{}", crate::casing::camel(owner), crate::casing::camel(&c.member));
                let mut name = base.clone();
                let mut n = 2;
                // Names that differ only in case (`IPGroup…` and `IpGroup…`) make the same Rust type.
                let same_type = |a: &str, b: &str| crate::casing::camel(a) == crate::casing::camel(b);
                while spec.enums.iter().any(|e| same_type(&e.name, &name))
                    || spec.objects.iter().any(|o| same_type(&o.name, &name))
                {
                    name = format!("{base}{n}");
                    n += 1;
                }
                let position = spec.enums.partition_point(|e| e.name < name);
                spec.enums
                    .insert(position, proposed_enum(&name, owner, &c.member, &c.values));
                report.enums.push(format!(
                    "{}.type: proposed enum {name} with the values {} listed in the documentation; confirm the values, write the documentation of each in our own words (it holds upstream's text), or set \"type\" back to \"string\"",
                    c.path,
                    listed(&values)
                ));
                name
            }
        };
        let ty = if c.list {
            TypeRef::List(Box::new(TypeRef::Enum(name)))
        } else {
            TypeRef::Enum(name)
        };
        if let Some(m) = members_of_mut(spec).find(|m| m.path == c.path) {
            m.ty = Some(ty);
        }
    }
}

/// The values for a report line: the first ten, then how many more (a value is at most 64
/// characters, so the line stays short).
fn listed(values: &[&str]) -> String {
    const SHOWN: usize = 10;
    let mut text = values.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if values.len() > SHOWN {
        text.push_str(&format!(" and {} more", values.len() - SHOWN));
    }
    text
}

/// The action or object a member path (`actions.A.input.M`, `objects.O.members.M`) belongs to.
fn owner_of(path: &str) -> &str {
    path.split('.').nth(1).unwrap_or_default()
}

fn members_of(spec: &Spec) -> impl Iterator<Item = &Member> {
    let actions = spec.actions.iter().flat_map(|a| a.input.iter().chain(&a.output));
    actions.chain(spec.objects.iter().flat_map(|o| &o.members))
}

fn members_of_mut(spec: &mut Spec) -> impl Iterator<Item = &mut Member> {
    let actions = spec
        .actions
        .iter_mut()
        .flat_map(|a| a.input.iter_mut().chain(a.output.iter_mut()));
    actions.chain(spec.objects.iter_mut().flat_map(|o| o.members.iter_mut()))
}

/// How an object is used: sent in requests only, or decoded from responses (perhaps sent too).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Usage {
    In,
    Out,
}

/// Members of an official object, each with the `required` flag the import sets: for members
/// that requests carry, upstream's `required`; for members decoded from responses, `None`. The
/// descriptions mark output members required that real answers leave out, so the importer
/// never infers that a response always has a member: a person marks it required in the spec,
/// and a re-import keeps what they chose. An object some response reaches is decoded even if
/// requests send it too, so it follows the output rule.
fn upstream_members(official: &Official, object: &str, usage: Usage) -> Vec<(OfficialMember, Option<bool>)> {
    let members = official
        .objects
        .get(object)
        .map(|o| o.members.clone())
        .unwrap_or_default();
    members
        .into_iter()
        .map(|m| {
            let required = match usage {
                Usage::In => Some(m.required),
                Usage::Out => None,
            };
            (m, required)
        })
        .collect()
}

fn collect_objects(official: &Official, ty: &TypeRef, reached: &mut BTreeSet<String>) {
    if let TypeRef::Object(name) = ty.element() {
        if reached.insert(name.clone()) {
            for m in official
                .objects
                .get(name)
                .map(|o| o.members.as_slice())
                .unwrap_or_default()
            {
                collect_objects(official, &m.ty, reached);
            }
        }
    }
}

fn note_doc_change(stored: &mut Option<String>, upstream_doc: &str, path: &str, report: &mut Report) {
    let new = fingerprint(upstream_doc);
    if stored.as_ref().is_some_and(|old| old != &new) {
        report.changes.push(format!(
            "{path}: documentation changed upstream; review the text in the spec"
        ));
    }
    *stored = Some(new);
}

/// Merges upstream members into `current`. `existed` says whether the action or object was in
/// the spec before this import: only then are its new members worth a report line.
fn merge_members(
    current: &mut Vec<Member>,
    upstream: Vec<(OfficialMember, Option<bool>)>,
    path: &str,
    existed: bool,
    report: &mut Report,
) {
    let mut old: Vec<Member> = std::mem::take(current);
    for (up, required) in upstream {
        report.count_doc(DocOf::Member, up.doc_origin, &up.name);
        let mpath = join(path, &up.name);
        let example = convert_example(&up, &mpath, report);
        let member = match old.iter().position(|m| m.name == up.name) {
            Some(i) => {
                let mut m = old.remove(i);
                let mut change = |what: &str, from: String, to: String| {
                    if from != to {
                        report
                            .changes
                            .push(format!("{mpath}: {what} {from} -> {to} (upstream)"));
                    }
                };
                // A person's enumeration stays: upstream only knows the strings it holds.
                let keeps_enum = match (&m.ty, &up.ty) {
                    (Some(TypeRef::Enum(_)), TypeRef::String) => true,
                    (Some(TypeRef::List(inner)), TypeRef::List(up_inner)) => {
                        matches!(**inner, TypeRef::Enum(_)) && **up_inner == TypeRef::String
                    }
                    _ => false,
                };
                if !keeps_enum {
                    change(
                        "type",
                        m.ty.as_ref().map(TypeRef::describe).unwrap_or_default(),
                        up.ty.describe(),
                    );
                }
                if let Some(required) = required {
                    change("required", m.required.to_string(), required.to_string());
                    m.required = required;
                }
                // A required member is never null: the flag only matters when decoding an
                // optional one (descriptions mark request members both).
                let nullable = up.nullable && !m.required;
                change("nullable", m.nullable.to_string(), nullable.to_string());
                change("disabled", m.disabled.to_string(), up.disabled.to_string());
                if !keeps_enum {
                    m.ty = Some(up.ty.clone());
                }
                m.nullable = nullable;
                m.disabled = up.disabled;
                // An example in the spec stays (a person may have chosen it); upstream's fills a gap.
                if m.example.is_none() {
                    m.example = example;
                } else if example.is_some() && example != m.example {
                    report.changes.push(format!(
                        "{mpath}.example: upstream has another example; the spec's is kept"
                    ));
                }
                note_doc_change(&mut m.upstream, &up.document, &mpath, report);
                m
            }
            None => {
                if existed {
                    report.changes.push(format!("{mpath}: new member upstream; added"));
                }
                let sensitive = up.ty == TypeRef::String && looks_secret(&up.name);
                if sensitive {
                    report.proposed_sensitive.push(mpath.clone());
                }
                let list = match &up.ty {
                    TypeRef::String => Some(false),
                    TypeRef::List(inner) if **inner == TypeRef::String => Some(true),
                    _ => None,
                };
                if let (Some(list), false, false) = (list, sensitive, up.binary) {
                    if let Some(values) = closed_values(&up.document) {
                        report.enum_candidates.push(EnumCandidate {
                            path: mpath.clone(),
                            member: up.name.clone(),
                            list,
                            values,
                        });
                    }
                }
                let required = required.unwrap_or(false);
                let mut constraints = Constraints::default();
                if up.binary {
                    report.binary.push(mpath.clone());
                    constraints.base64 = Some(Bound { min: None, max: None });
                }
                Member {
                    path: mpath.clone(),
                    name: up.name.clone(),
                    ty: Some(up.ty.clone()),
                    required,
                    documentation: up.document.clone(),
                    example,
                    sensitive,
                    nullable: up.nullable && !required,
                    disabled: up.disabled,
                    constraints,
                    rust_name: None,
                    upstream: Some(fingerprint(&up.document)),
                }
            }
        };
        current.push(member);
    }
    for gone in old {
        report
            .changes
            .push(format!("{}: removed upstream; dropped from the spec", gone.path));
    }
}

/// Gives each member or object whose Rust name collides (with another item's, or with a name the
/// generated code uses) a `rust_name` of its own, until the naming check passes: a member's field
/// gets `_2`, `_3`, ... (or `_value`, for a name builders already use), an object's type
/// `Object`, `Object2`, ... The wire names are unchanged. Deterministic: items are visited in
/// spec order and the later of two colliding items is the one renamed. Names of actions are
/// not renamed; their collisions stay errors.
fn rename_collisions(spec: &mut Spec, report: &mut Report) {
    // Each round renames at least one item, and a renamed item only moves to names nothing
    // claimed before; the bound only guards against a bug.
    for _ in 0..64 {
        let mut renamed_any = false;
        let mut seen = BTreeSet::new();
        for problem in crate::name_problems(spec) {
            if seen.insert(problem.path.clone()) {
                if let Some(line) = rename(spec, &problem) {
                    report.renamed.push(line);
                    renamed_any = true;
                }
            }
        }
        if !renamed_any {
            return;
        }
    }
}

/// The next name in a rename sequence: `base_2` after `base`, `base_3` after `base_2`.
fn bump(name: &str, separator: &str) -> String {
    if let Some((base, n)) = name.rsplit_once(separator) {
        if let Ok(n) = n.parse::<u32>() {
            return format!("{base}{separator}{}", n + 1);
        }
    }
    format!("{name}{separator}2")
}

fn rename(spec: &mut Spec, problem: &crate::naming::Problem) -> Option<String> {
    use crate::naming::Kind;
    match &problem.kind {
        Kind::Field { .. } | Kind::OptionSetter { .. } => {
            let member = spec
                .actions
                .iter_mut()
                .flat_map(|a| a.input.iter_mut().chain(a.output.iter_mut()))
                .chain(spec.objects.iter_mut().flat_map(|o| o.members.iter_mut()))
                .find(|m| m.path == problem.path)?;
            let old = member
                .rust_name
                .clone()
                .unwrap_or_else(|| crate::casing::snake(&member.name));
            let new = if problem.reserved {
                format!("{old}_value")
            } else {
                bump(&old, "_")
            };
            member.rust_name = Some(new.clone());
            Some(format!("{}: field `{new}` ({})", problem.path, problem.message))
        }
        Kind::Type | Kind::Builder | Kind::Module => {
            let object = spec.objects.iter_mut().find(|o| o.path == problem.path)?;
            let old = object
                .rust_name
                .clone()
                .unwrap_or_else(|| crate::casing::camel(&object.name));
            let new = match &object.rust_name {
                None => format!("{old}Object"),
                Some(_) => {
                    let base = old.trim_end_matches(|c: char| c.is_ascii_digit());
                    let n: u32 = old[base.len()..].parse().unwrap_or(1);
                    format!("{base}{}", n + 1)
                }
            };
            object.rust_name = Some(new.clone());
            Some(format!("{}: type `{new}` ({})", problem.path, problem.message))
        }
        _ => None,
    }
}

/// Adds the `pagination` block the action's shape and docs imply, or asks for its maximum.
fn propose_pagination(action: &mut Action, limit_doc: &str, report: &mut Report) {
    match propose(action, limit_doc) {
        Proposal::None => {}
        Proposal::Block(block) => {
            report.pagination.push(format!(
                "{}: items {}, total {}, largest page {} (from the Limit docs)",
                block.path,
                block.items,
                block.total.as_deref().unwrap_or("-"),
                block.max_page_size.unwrap_or_default()
            ));
            if let (Some(limit), Some(max)) = (
                action.input.iter_mut().find(|m| m.name == block.limit),
                block.max_page_size,
            ) {
                constrain_limit(limit, max);
            }
            action.pagination = Some(block);
        }
        Proposal::Ask { path, items, total } => report.questions.push(format!(
            "{path}: the action pages with Offset/Limit (items {items}, total {total}) but its docs \
             give no largest page; add {{\"offset\": \"Offset\", \"limit\": \"Limit\", \"total\": \"{total}\", \
             \"items\": \"{items}\", \"max_page_size\": N}}"
        )),
    }
}

fn looks_secret(name: &str) -> bool {
    let lower = name.to_lowercase();
    SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// Upstream examples are text; turn them into a JSON value of the member's type, or leave them
/// out (reported) when they do not fit.
fn convert_example(m: &OfficialMember, path: &str, report: &mut Report) -> Option<Json> {
    let text = m.example.as_deref()?;
    if let TypeRef::Object(_) = m.ty.element() {
        report.object_examples_skipped += 1;
        return None;
    }
    let value = example_value(&m.ty, text);
    if value.is_none() {
        report.dropped_examples.push(format!(
            "{path}.example: {text:?} does not fit {}; left out",
            m.ty.describe()
        ));
    }
    value
}

fn example_value(ty: &TypeRef, text: &str) -> Option<Json> {
    let t = text.trim();
    match ty {
        TypeRef::String | TypeRef::Enum(_) => Some(Json::String(text.to_owned())),
        TypeRef::DateTime => is_iso8601(t).then(|| Json::String(t.to_owned())),
        TypeRef::Date => is_date(t).then(|| Json::String(t.to_owned())),
        TypeRef::Int64 => t.parse::<i64>().ok().map(|n| Json::Number(n.into())),
        TypeRef::Uint64 => t.parse::<u64>().ok().map(|n| Json::Number(n.into())),
        TypeRef::Float => t
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Json::Number),
        TypeRef::Bool => t.parse::<bool>().ok().map(Json::Bool),
        TypeRef::List(inner) => {
            let items = match Json::parse(t) {
                Ok(Json::Array(items)) => items,
                // A single value stands for a one-element list (`"97"` for a list of ids).
                _ => return example_value(inner, t).map(|v| Json::Array(vec![v])),
            };
            items
                .iter()
                .map(|item| match item {
                    Json::String(s) => example_value(inner, s),
                    other => example_value(inner, &other.to_value().to_string()),
                })
                .collect::<Option<Vec<_>>>()
                .map(Json::Array)
        }
        TypeRef::Object(_) => None,
    }
}

/// An upstream example may still break a rule a person added (say, a base64 length): such
/// examples are left out and reported, so an import never produces a spec that fails validation
/// because of upstream sample text.
fn drop_unfit_examples(spec: &mut Spec, report: &mut Report) {
    let mut diags = Diagnostics::default();
    validate::validate(spec, &mut diags);
    let bad: BTreeSet<String> = diags
        .iter()
        .filter_map(|d| match &d.location {
            Location::MemberExample { member, .. } => Some(member.clone()),
            _ => None,
        })
        .collect();
    if bad.is_empty() {
        return;
    }
    let members = spec
        .actions
        .iter_mut()
        .flat_map(|a| a.input.iter_mut().chain(a.output.iter_mut()))
        .chain(spec.objects.iter_mut().flat_map(|o| o.members.iter_mut()));
    for m in members {
        let path = m.path.clone();
        if bad.contains(&path) && m.example.take().is_some() {
            report
                .dropped_examples
                .push(format!("{path}.example: breaks the member's rules; left out"));
        }
    }
}

fn merge_errors(action: &mut Action, codes: &ErrorCodes, report: &mut Report) {
    let list = match codes {
        ErrorCodes::All(list) => list.as_slice(),
        ErrorCodes::PerAction(map) => map.get(&action.name).map(Vec::as_slice).unwrap_or_default(),
    };
    let mut added = 0;
    for code in list {
        if !action.errors.iter().any(|e| &e.code == code) {
            action.errors.push(ErrorCode {
                path: format!("{}.errors.{code}", action.path),
                code: code.clone(),
                description: String::new(),
            });
            added += 1;
        }
    }
    if added > 0 {
        report
            .merged_errors
            .push(format!("{added} error code(s) merged into {}", action.name));
    }
}

/// Reads an error-code list file: a JSON array of codes, or an object of action → array.
pub fn parse_error_codes(text: &str, diags: &mut Diagnostics) -> Option<ErrorCodes> {
    let json = match Json::parse(text) {
        Ok(j) => j,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let list = |v: &Json, path: &str, diags: &mut Diagnostics| -> Vec<String> {
        match v {
            Json::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| match item {
                    Json::String(s) => Some(s.clone()),
                    other => {
                        diags.error(
                            format!("{path}[{i}]"),
                            format!("expected an error code string, found {}", other.kind()),
                        );
                        None
                    }
                })
                .collect(),
            other => {
                diags.error(
                    path,
                    format!("expected an array of error codes, found {}", other.kind()),
                );
                Vec::new()
            }
        }
    };
    let codes = match &json {
        Json::Array(_) => ErrorCodes::All(list(&json, "", diags)),
        Json::Object(entries) => {
            ErrorCodes::PerAction(entries.iter().map(|(k, v)| (k.clone(), list(v, k, diags))).collect())
        }
        other => {
            diags.error("", format!("expected an array or an object, found {}", other.kind()));
            return None;
        }
    };
    diags.is_empty().then_some(codes)
}

#[cfg(test)]
mod tests {
    use super::listed;

    #[test]
    fn a_long_value_list_is_cut_in_report_lines() {
        assert_eq!(listed(&["on", "off"]), "on, off");
        let many: Vec<String> = (0..25).map(|i| format!("v{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(listed(&many), "v0, v1, v2, v3, v4, v5, v6, v7, v8, v9 and 15 more");
    }
}
