//! `codegen import --docs-from`: documentation from a second description of the same API (the
//! international site's English `api.json`), on two small fixtures written for these tests in the
//! official format. `official-mini.intl-en.json` mirrors how the real English file differs from
//! the China one: an action fewer, objects and members fewer, an empty text, a member the other
//! file lacks, and a type that disagrees.

use std::path::{Path, PathBuf};

use codegen::diag::Diagnostics;
use codegen::doc_overlay::{take_docs, DocFiles};
use codegen::import::{self, fingerprint, Options, Report};
use codegen::official::Official;
use codegen::spec::{Member, Spec, TypeRef};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

fn china() -> String {
    read("tests/fixtures/official-mini.json")
}

fn english() -> String {
    read("tests/fixtures/official-mini.intl-en.json")
}

fn official(text: &str) -> Official {
    let mut diags = Diagnostics::default();
    let official = codegen::official::parse(text, &mut diags);
    assert!(diags.is_empty(), "{diags}");
    official.unwrap()
}

fn files() -> DocFiles {
    DocFiles {
        from: "api.json".into(),
        docs: "api.intl-en.json".into(),
    }
}

/// The China fixture with the English fixture's documentation.
fn combined() -> Official {
    let mut base = official(&china());
    take_docs(&mut base, &official(&english()), files()).unwrap();
    base
}

/// The committed spec cut down to its service, the three gateway-key actions and their category,
/// which reach no
/// objects: the fixture's objects (some of which the shipped spec also has, with our own
/// documentation) then come only from the fixture.
fn committed_spec() -> Spec {
    let mut diags = Diagnostics::default();
    let spec = codegen::load::load(&read("spec/teo-2022-09-01.json"), &mut diags);
    assert!(diags.is_empty(), "{diags}");
    let mut spec = spec.unwrap();
    spec.actions
        .retain(|a| a.name.contains("MultiPathGatewaySecretKey") && a.name != "ModifyMultiPathGatewaySecretKey");
    // Their category is the only one kept; imported actions join it.
    spec.categories.retain(|c| c.name == "multi-path-gateway");
    spec.objects.clear();
    spec.waiters.clear();
    spec
}

fn all() -> Options {
    Options {
        category: Some("multi-path-gateway".into()),
        all: true,
        ..Default::default()
    }
}

fn import_into(spec: &mut Spec, official: &Official, options: &Options) -> Report {
    import::import(spec, official, options).unwrap_or_else(|d| panic!("{d}"))
}

fn action_doc(spec: &Spec, name: &str) -> (String, Option<String>) {
    let a = spec.actions.iter().find(|a| a.name == name).unwrap();
    (a.documentation.clone(), a.upstream.clone())
}

fn object_doc(spec: &Spec, name: &str) -> (String, Option<String>) {
    let o = spec.objects.iter().find(|o| o.name == name).unwrap();
    (o.documentation.clone(), o.upstream.clone())
}

fn member<'a>(spec: &'a Spec, path: &str) -> &'a Member {
    let mut members = spec
        .actions
        .iter()
        .flat_map(|a| a.input.iter().chain(&a.output))
        .chain(spec.objects.iter().flat_map(|o| &o.members));
    members
        .find(|m| m.path == path)
        .unwrap_or_else(|| panic!("no member {path}"))
}

fn member_doc(spec: &Spec, path: &str) -> (String, Option<String>) {
    let m = member(spec, path);
    (m.documentation.clone(), m.upstream.clone())
}

/// A text and the fingerprint the spec records for it.
fn doc(text: &str) -> (String, Option<String>) {
    (text.to_owned(), Some(fingerprint(text)))
}

#[test]
fn english_documentation_is_taken_wherever_the_docs_file_has_it() {
    let mut spec = committed_spec();
    let report = import_into(&mut spec, &combined(), &all());
    let lines = report.lines();
    assert_eq!(
        lines[lines.len() - 2..],
        [
            "documentation: 2 action(s), 4 object(s), 28 member(s) from api.intl-en.json; \
             1 action(s), 3 object(s), 11 member(s) kept from api.json",
            "documentation: action(s) api.intl-en.json does not document, kept from api.json: ModifyRules",
        ]
    );
    // From the English file, fingerprints included.
    assert_eq!(
        action_doc(&spec, "CreateWidget"),
        doc("Adds one widget to a zone (English fixture).")
    );
    assert_eq!(
        action_doc(&spec, "DescribeWidgets"),
        doc("Returns the widgets that match the filters (English fixture).")
    );
    assert_eq!(object_doc(&spec, "Widget"), doc("One widget."));
    assert_eq!(
        member_doc(&spec, "actions.CreateWidget.input.ZoneId"),
        doc("ID of the zone that will hold the widget.")
    );
    assert_eq!(
        member_doc(&spec, "actions.DescribeWidgets.output.Widgets"),
        doc("The matching widgets.")
    );
    assert_eq!(
        member_doc(&spec, "objects.AdvancedFilter.members.Fuzzy"),
        doc("Whether to match loosely.")
    );
    // Kept from the China file: an action, an object and members the English file lacks, and a
    // member whose English text is empty.
    assert_eq!(action_doc(&spec, "ModifyRules"), doc("Replaces rules (fixture)."));
    assert_eq!(object_doc(&spec, "HTTP2Parameters"), doc("HTTP/2 switch."));
    assert_eq!(
        member_doc(&spec, "objects.RuleBranch.members.Condition"),
        doc("When it applies.")
    );
    assert_eq!(member_doc(&spec, "objects.Widget.members.Tags"), doc("Tags."));
    assert_eq!(
        member_doc(&spec, "actions.CreateWidget.input.Offset"),
        doc("Paging offset.")
    );
    assert_eq!(
        member_doc(&spec, "actions.CreateWidget.input.Legacy"),
        doc("An old switch.")
    );
    // Everything else still follows --from: its member list and its types.
    let input = &spec.actions.iter().find(|a| a.name == "CreateWidget").unwrap().input;
    assert!(
        input.iter().all(|m| m.name != "Region"),
        "a member only the docs file has"
    );
    assert_eq!(
        member(&spec, "actions.CreateWidget.input.Port").ty,
        Some(TypeRef::Int64)
    );
    assert_eq!(spec.actions.len(), 3 + 3, "the committed three and the fixture's three");
}

#[test]
fn the_counts_cover_only_what_was_imported() {
    let mut spec = committed_spec();
    let options = Options {
        category: Some("multi-path-gateway".into()),
        actions: vec!["ModifyRules".into()],
        ..Default::default()
    };
    let report = import_into(&mut spec, &combined(), &options);
    assert_eq!(
        report.lines(),
        [
            "+ action ModifyRules",
            "+ object RuleBranch",
            "+ object RuleEngineSubRule",
            "documentation: 0 action(s), 0 object(s), 0 member(s) from api.intl-en.json; \
             1 action(s), 2 object(s), 6 member(s) kept from api.json",
            "documentation: action(s) api.intl-en.json does not document, kept from api.json: ModifyRules",
        ]
    );
    let mut spec = committed_spec();
    let options = Options {
        category: Some("multi-path-gateway".into()),
        actions: vec!["DescribeWidgets".into()],
        ..Default::default()
    };
    let report = import_into(&mut spec, &combined(), &options);
    assert_eq!(
        report.lines().last().map(String::as_str),
        Some(
            "documentation: 1 action(s), 4 object(s), 13 member(s) from api.intl-en.json; \
             0 action(s), 0 object(s), 1 member(s) kept from api.json"
        )
    );
}

#[test]
fn the_english_file_alone_imports_like_the_china_one() {
    let mut spec = committed_spec();
    let report = import_into(&mut spec, &official(&english()), &all());
    assert_eq!(
        report.lines(),
        [
            "+ action CreateWidget",
            "+ action DescribeWidgets",
            "+ object AdvancedFilter",
            "+ object IPv6Setting",
            "+ object Widget",
            "! 1 object-typed member(s): the official example is free text and was not imported",
            "? actions.DescribeWidgets.read_only (name starts with Describe): proposed read_only (a retry after a lost connection is safe); confirm, or set \"read_only\": false",
            "? actions.CreateWidget.input.ApiToken: proposed as sensitive (name looks like a secret); confirm, or set \"sensitive\": false",
            "? actions.CreateWidget.output.Secret: proposed as sensitive (name looks like a secret); confirm, or set \"sensitive\": false",
        ]
    );
    assert_eq!(
        action_doc(&spec, "CreateWidget"),
        doc("Adds one widget to a zone (English fixture).")
    );
    assert_eq!(
        member(&spec, "actions.CreateWidget.input.Port").ty,
        Some(TypeRef::Uint64)
    );
    assert_eq!(
        member_doc(&spec, "actions.CreateWidget.input.Region"),
        doc("Region of the widget (English file only).")
    );
}

#[test]
fn switching_to_english_reports_each_text_whose_upstream_changed() {
    let mut spec = committed_spec();
    import_into(
        &mut spec,
        &official(&china()),
        &Options {
            category: Some("multi-path-gateway".into()),
            actions: vec!["DescribeWidgets".into()],
            ..Default::default()
        },
    );
    let report = import_into(
        &mut spec,
        &combined(),
        &Options {
            category: Some("multi-path-gateway".into()),
            actions: vec!["DescribeWidgets".into()],
            ..Default::default()
        },
    );
    let changed: Vec<_> = report.changes.iter().map(String::as_str).collect();
    assert_eq!(
        changed,
        [
            "actions.DescribeWidgets: documentation changed upstream; review the text in the spec",
            "actions.DescribeWidgets.input.Filters: documentation changed upstream; review the text in the spec",
            "actions.DescribeWidgets.input.Limit: documentation changed upstream; review the text in the spec",
            "actions.DescribeWidgets.output.TotalCount: documentation changed upstream; review the text in the spec",
            "actions.DescribeWidgets.output.Widgets: documentation changed upstream; review the text in the spec",
            "objects.AdvancedFilter: documentation changed upstream; review the text in the spec",
            "objects.AdvancedFilter.members.Name: documentation changed upstream; review the text in the spec",
            "objects.AdvancedFilter.members.Values: documentation changed upstream; review the text in the spec",
            "objects.AdvancedFilter.members.Fuzzy: documentation changed upstream; review the text in the spec",
            "objects.IPv6Setting: documentation changed upstream; review the text in the spec",
            "objects.IPv6Setting.members.Switch: documentation changed upstream; review the text in the spec",
            "objects.Tag: documentation changed upstream; review the text in the spec",
            "objects.Tag.members.Key: documentation changed upstream; review the text in the spec",
            "objects.Tag.members.Value: documentation changed upstream; review the text in the spec",
            "objects.Widget: documentation changed upstream; review the text in the spec",
            "objects.Widget.members.WidgetId: documentation changed upstream; review the text in the spec",
            "objects.Widget.members.CreatedOn: documentation changed upstream; review the text in the spec",
            "objects.Widget.members.Setting: documentation changed upstream; review the text in the spec",
        ]
    );
    // The text already in the spec is a person's and stays; only the fingerprint moves.
    assert_eq!(
        action_doc(&spec, "DescribeWidgets"),
        (
            "Lists widgets (fixture).".to_owned(),
            Some(fingerprint(
                "Returns the widgets that match the filters (English fixture)."
            ))
        )
    );
    assert_eq!(
        member_doc(&spec, "objects.Widget.members.Tags"),
        doc("Tags."),
        "a text kept from --from is not reported"
    );
}

#[test]
fn descriptions_of_different_apis_do_not_combine() {
    let mut base = official(&china());
    for (text, expected) in [
        (
            english().replace(r#""serviceShortName": "teo""#, r#""serviceShortName": "cvm""#),
            "error: metadata: api.json describes teo 2022-09-01, but api.intl-en.json describes cvm 2022-09-01; \
             documentation can only come from a description of the same service and version\n\
             1 error(s); nothing was written",
        ),
        (
            english().replace(r#""apiVersion": "2022-09-01""#, r#""apiVersion": "2022-01-06""#),
            "error: metadata: api.json describes teo 2022-09-01, but api.intl-en.json describes teo 2022-01-06; \
             documentation can only come from a description of the same service and version\n\
             1 error(s); nothing was written",
        ),
    ] {
        let other = official(&text);
        let diags = take_docs(&mut base, &other, files()).unwrap_err();
        assert_eq!(diags.to_string(), expected);
    }
    assert!(base.doc_files.is_none());
    assert_eq!(base.actions[0].document, "Creates a widget (fixture).");
}

/// Tencent's own files when `../shared` has them (not committed here), else the fixtures: the
/// combination imports every China-site action and names the ones the English file lacks, and
/// the English file alone imports each of its actions.
#[test]
fn the_real_files_combine_when_present() {
    let dir = root().join("../shared/official/teo-2022-09-01");
    let real = (
        std::fs::read_to_string(dir.join("api.json")),
        std::fs::read_to_string(dir.join("api.intl-en.json")),
    );
    let (china, english, actions, english_actions, counts, kept) = match real {
        (Ok(china), Ok(english)) => (
            china,
            english,
            238,
            232,
            "documentation: 232 action(s), 398 object(s), 2840 member(s) from api.intl-en.json; \
             6 action(s), 22 object(s), 134 member(s) kept from api.json",
            "CreateInferenceDomain, DescribeAvailableOriginACLFamily, DescribeInferenceDomains, \
             DescribeLogAnalysisStatistics, DummyParseZoneFullConfig, OperateInferenceDomain",
        ),
        _ => (
            self::china(),
            self::english(),
            3,
            2,
            "documentation: 2 action(s), 4 object(s), 28 member(s) from api.intl-en.json; \
             1 action(s), 3 object(s), 11 member(s) kept from api.json",
            "ModifyRules",
        ),
    };
    let mut base = official(&china);
    take_docs(&mut base, &official(&english), files()).unwrap();
    let mut spec = committed_spec();
    let report = import_into(&mut spec, &base, &all());
    assert_eq!(report.added_actions.len() + report.updated_actions.len(), actions);
    let lines = report.lines();
    assert_eq!(
        lines[lines.len() - 2..],
        [
            counts.to_owned(),
            format!("documentation: action(s) api.intl-en.json does not document, kept from api.json: {kept}"),
        ]
    );
    let mut spec = committed_spec();
    let report = import_into(&mut spec, &official(&english), &all());
    assert_eq!(
        report.added_actions.len() + report.updated_actions.len(),
        english_actions
    );
    assert!(report.docs.is_none());
}
