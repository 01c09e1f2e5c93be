//! `codegen import` against a small fixture in the official `api.json` format (written for
//! these tests; the real file stays in `../shared`): every type and shape maps, re-imports keep
//! hand edits and report upstream changes, secrets are proposed, error codes merge, and bad
//! input is reported with its JSON path.

use std::path::{Path, PathBuf};

use codegen::diag::Diagnostics;
use codegen::import::{self, Options};
use codegen::spec::{Spec, TypeRef};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/official-mini.json")).unwrap()
}

/// The committed spec cut down to its service, the three gateway-key actions and their category,
/// which reach no
/// objects: the fixture's objects (some of which the shipped spec also has, with our own
/// documentation) then come only from the fixture.
fn committed_spec() -> Spec {
    let text = std::fs::read_to_string(root().join("spec/teo-2022-09-01.json")).unwrap();
    let mut diags = Diagnostics::default();
    let spec = codegen::load::load(&text, &mut diags);
    assert!(diags.is_empty(), "{diags}");
    let mut spec = spec.unwrap();
    spec.actions
        .retain(|a| a.name.contains("MultiPathGatewaySecretKey") && a.name != "ModifyMultiPathGatewaySecretKey");
    // Their category is the only one kept; imported actions join it.
    spec.categories.retain(|c| c.name == "multi-path-gateway");
    spec.objects.clear();
    spec.enums.clear();
    spec.waiters.clear();
    spec
}

fn official(text: &str) -> Result<codegen::official::Official, Diagnostics> {
    let mut diags = Diagnostics::default();
    match codegen::official::parse(text, &mut diags) {
        Some(o) if diags.is_empty() => Ok(o),
        _ => Err(diags),
    }
}

fn import(spec: &mut Spec, api: &str, options: &Options) -> Result<import::Report, Diagnostics> {
    import::import(spec, &official(api)?, options)
}

fn actions(names: &[&str]) -> Options {
    Options {
        category: Some("multi-path-gateway".into()),
        actions: names.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn member_type(spec: &Spec, action: &str, side: &str, name: &str) -> TypeRef {
    let a = spec.actions.iter().find(|a| a.name == action).unwrap();
    let members = if side == "input" { &a.input } else { &a.output };
    members.iter().find(|m| m.name == name).unwrap().ty.clone().unwrap()
}

#[test]
fn importing_everything_maps_every_type_and_the_result_generates() {
    let mut spec = committed_spec();
    let report = import(
        &mut spec,
        &fixture(),
        &Options {
            category: Some("multi-path-gateway".into()),
            all: true,
            ..Default::default()
        },
    )
    .unwrap();
    insta::assert_snapshot!("import_all_report", report.lines().join("\n"));
    let list = |t: TypeRef| TypeRef::List(Box::new(t));
    let obj = |n: &str| TypeRef::Object(n.to_owned());
    for (name, expected) in [
        ("ZoneId", TypeRef::String),
        ("Match", list(TypeRef::String)),
        ("Weight", TypeRef::Float),
        ("Port", TypeRef::Int64),
        ("Quota", TypeRef::Uint64),
        ("Enabled", TypeRef::Bool),
        ("StartTime", TypeRef::DateTime),
        ("Ids", list(TypeRef::Int64)),
        ("Ratios", list(TypeRef::Float)),
        ("IPv6", obj("IPv6Setting")),
    ] {
        assert_eq!(member_type(&spec, "CreateWidget", "input", name), expected, "{name}");
    }
    assert_eq!(
        member_type(&spec, "DescribeWidgets", "output", "Widgets"),
        list(obj("Widget"))
    );
    // The whole imported spec, as written: flags, examples, fingerprints.
    insta::assert_snapshot!("import_all_spec", codegen::spec_json::to_text(&spec));
    let files =
        codegen::generate(&codegen::spec_json::to_text(&spec), "fixture.json").unwrap_or_else(|d| panic!("{d}"));
    let branch = &files["models/rule_branch.rs"];
    assert!(
        branch.contains("list sub_rules: crate::models::RuleEngineSubRule = \"SubRules\","),
        "{branch}"
    );
    let sub = &files["models/rule_engine_sub_rule.rs"];
    assert!(
        sub.contains("list branches: crate::models::RuleBranch = \"Branches\","),
        "{sub}"
    );
    // A response's optional list is a `list` member, which `model!` gives an accessor reading it
    // as a slice; requests, which the caller fills, have plain optional `Vec`s and no accessor.
    let listing = &files["models/describe_widgets_response.rs"];
    assert!(
        listing.contains("list widgets: crate::models::Widget = \"Widgets\","),
        "{listing}"
    );
    let request = &files["models/describe_widgets_request.rs"];
    assert!(
        request.contains("opt filters / set_filters: Vec<crate::models::AdvancedFilter> = \"Filters\","),
        "{request}"
    );
    assert!(!request.contains("list "), "{request}");
    let widget = &files["models/create_widget_request.rs"];
    assert!(
        widget.contains("opt api_token / set_api_token: crate::runtime::Sensitive<String> = \"ApiToken\","),
        "secret-like names are proposed as sensitive"
    );
    assert!(
        widget.contains("The service has disabled this member"),
        "disabled members are kept and documented"
    );
}

#[test]
fn required_is_imported_for_request_members_only() {
    let mut spec = committed_spec();
    let all = Options {
        category: Some("multi-path-gateway".into()),
        all: true,
        ..Default::default()
    };
    import(&mut spec, &fixture(), &all).unwrap();
    let object = |spec: &Spec, name: &str| spec.objects.iter().find(|o| o.name == name).cloned().unwrap();
    let required =
        |spec: &Spec, o: &str, m: &str| object(spec, o).members.iter().find(|x| x.name == m).unwrap().required;
    // `in`: what the request must carry, as upstream says.
    assert!(required(&spec, "AdvancedFilter", "Name"));
    assert!(!required(&spec, "AdvancedFilter", "Fuzzy"));
    // Reached from a response (labelled `out` or `both`): decoded, and responses may leave out
    // what upstream marks `output_required`, so the importer never makes them required.
    assert!(!required(&spec, "Widget", "WidgetId"));
    assert!(!required(&spec, "Widget", "Setting"));
    assert!(!required(&spec, "Tag", "Key"));
    assert!(!required(&spec, "Tag", "Value"));
    // Labelled `both`, but only a request reaches it: what the request must carry, as upstream says.
    assert!(required(&spec, "HTTP2Parameters", "Switch"));
    let a = spec.actions.iter().find(|a| a.name == "CreateWidget").unwrap();
    assert!(a.output.iter().all(|m| !m.required), "no response member is required");
    let notes = a.output.iter().find(|m| m.name == "Notes").unwrap();
    assert!(notes.nullable);
    assert!(
        a.output.iter().all(|m| m.name != "RequestId"),
        "RequestId is implied, not imported"
    );

    // A person who knows the service always sends a member marks it; a re-import keeps that,
    // and reports nothing about it.
    let widget = spec.objects.iter_mut().find(|o| o.name == "Widget").unwrap();
    widget
        .members
        .iter_mut()
        .find(|m| m.name == "WidgetId")
        .unwrap()
        .required = true;
    let report = import(&mut spec, &fixture(), &all).unwrap();
    assert!(required(&spec, "Widget", "WidgetId"));
    assert!(
        report.changes.iter().all(|c| !c.contains("required")),
        "{:?}",
        report.changes
    );
}

#[test]
fn reimport_keeps_hand_edits_and_reports_upstream_changes() {
    let mut spec = committed_spec();
    import(&mut spec, &fixture(), &actions(&["CreateWidget"])).unwrap();
    // A person completes the action.
    {
        let a = spec.actions.iter_mut().find(|a| a.name == "CreateWidget").unwrap();
        a.documentation = "Creates a widget in a zone.".into();
        a.rate_limit = Some(20);
        a.errors.push(codegen::spec::ErrorCode {
            path: String::new(),
            code: "OperationDenied".into(),
            description: "The zone cannot take more widgets.".into(),
        });
        let zone = a.input.iter_mut().find(|m| m.name == "ZoneId").unwrap();
        zone.documentation = "ID of the zone.".into();
        zone.constraints.length = Some(codegen::spec::Bound {
            min: Some(1),
            max: Some(64),
        });
        let token = a.input.iter_mut().find(|m| m.name == "ApiToken").unwrap();
        token.sensitive = false;
    }
    // Upstream changes: a type, a documentation text, a removed member.
    let changed = fixture()
        .replace(
            r#""member": "int64",
          "name": "Port",
          "type": "int""#,
            r#""member": "uint64",
          "name": "Port",
          "type": "int""#,
        )
        .replace("Zone of the widget.", "The zone the widget belongs to.")
        .replace(r#""name": "Legacy""#, r#""name": "LegacyMode""#);
    assert_ne!(changed, fixture(), "the fixture edits must apply");
    let report = import(&mut spec, &changed, &actions(&["CreateWidget"])).unwrap();
    insta::assert_snapshot!("reimport_report", report.lines().join("\n"));
    let a = spec.actions.iter().find(|a| a.name == "CreateWidget").unwrap();
    assert_eq!(a.documentation, "Creates a widget in a zone.");
    assert_eq!(a.rate_limit, Some(20));
    assert_eq!(a.errors.len(), 1);
    let zone = a.input.iter().find(|m| m.name == "ZoneId").unwrap();
    assert_eq!(zone.documentation, "ID of the zone.");
    assert!(zone.constraints.length.is_some());
    assert!(
        !a.input.iter().find(|m| m.name == "ApiToken").unwrap().sensitive,
        "a person's `false` stays"
    );
    assert_eq!(member_type(&spec, "CreateWidget", "input", "Port"), TypeRef::Uint64);
    assert!(a.input.iter().any(|m| m.name == "LegacyMode") && a.input.iter().all(|m| m.name != "Legacy"));
}

#[test]
fn error_codes_merge_from_a_list_or_a_map() {
    let mut diags = Diagnostics::default();
    let list = import::parse_error_codes(r#"["InternalError", "LimitExceeded"]"#, &mut diags).unwrap();
    let map = import::parse_error_codes(r#"{"ModifyRules": ["ResourceNotFound"]}"#, &mut diags).unwrap();
    assert!(diags.is_empty());
    let mut spec = committed_spec();
    let report = import(
        &mut spec,
        &fixture(),
        &Options {
            category: Some("multi-path-gateway".into()),
            actions: vec!["CreateWidget".into(), "ModifyRules".into()],
            errors: Some(list),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        report.merged_errors,
        [
            "2 error code(s) merged into CreateWidget",
            "2 error code(s) merged into ModifyRules"
        ]
    );
    import(
        &mut spec,
        &fixture(),
        &Options {
            category: Some("multi-path-gateway".into()),
            actions: vec!["ModifyRules".into()],
            errors: Some(map),
            ..Default::default()
        },
    )
    .unwrap();
    let codes: Vec<_> = spec
        .actions
        .iter()
        .find(|a| a.name == "ModifyRules")
        .unwrap()
        .errors
        .iter()
        .map(|e| e.code.clone())
        .collect();
    assert_eq!(codes, ["InternalError", "LimitExceeded", "ResourceNotFound"]);
    assert!(import::parse_error_codes("[1]", &mut diags).is_none());
    assert_eq!(
        diags.to_string(),
        "error: [0]: expected an error code string, found a number\n1 error(s); nothing was written"
    );
}

#[test]
fn bad_official_files_are_reported_with_their_json_paths() {
    let cases = [
        ("not json", "{\n  \"actions\": ,\n}".to_owned()),
        (
            "no actions",
            r#"{"metadata": {"apiVersion": "2022-09-01", "serviceShortName": "teo"}, "objects": {}}"#.to_owned(),
        ),
        (
            "bad member",
            fixture()
                .replacen(r#""type": "float""#, r#""type": "decimal""#, 1)
                .replacen(r#""name": "Port""#, r#""name": 7"#, 1),
        ),
        (
            "dangling input",
            fixture().replace(r#""input": "ModifyRulesRequest""#, r#""input": "NoSuchRequest""#),
        ),
        (
            "other service",
            fixture().replace(r#""serviceShortName": "teo""#, r#""serviceShortName": "cvm""#),
        ),
    ];
    let mut out = String::new();
    for (name, text) in cases {
        let mut spec = committed_spec();
        let result = import(
            &mut spec,
            &text,
            &Options {
                category: Some("multi-path-gateway".into()),
                all: true,
                ..Default::default()
            },
        );
        let diags = result.expect_err(name);
        out.push_str(&format!("== {name}\n{diags}\n"));
    }
    let mut spec = committed_spec();
    let diags = import(&mut spec, &fixture(), &actions(&["NoSuchAction", "CreateWidget"])).unwrap_err();
    out.push_str(&format!("== unknown action\n{diags}\n"));
    insta::assert_snapshot!("bad_official_files", out);
}

/// An official description with two listings: one whose `Limit` docs give the largest page, one
/// whose docs do not.
fn listings() -> String {
    let member = |name: &str, kind: &str, doc: &str| {
        format!(
            r#"{{"name": "{name}", "type": "{kind}", "member": "{}", "required": false, "document": "{doc}", "disabled": false}}"#,
            if kind == "int" {
                "int64"
            } else if kind == "list" {
                "Thing"
            } else {
                "string"
            }
        )
    };
    let request = |limit_doc: &str| {
        format!(
            r#"{{"document": "request", "type": "object", "members": [{}, {}, {}]}}"#,
            member("ZoneId", "string", "Zone."),
            member("Offset", "int", "Offset. Default value: 0."),
            member("Limit", "int", limit_doc)
        )
    };
    let response = format!(
        r#"{{"document": "response", "type": "object", "members": [{}, {}, {}]}}"#,
        member("TotalCount", "int", "Total."),
        member("Things", "list", "The things."),
        member("RequestId", "string", "Request id.")
    );
    format!(
        r#"{{"version": "1.0", "metadata": {{"apiVersion": "2022-09-01", "serviceShortName": "teo"}},
  "actions": {{
    "DescribeThings": {{"document": "Lists things.", "input": "DescribeThingsRequest", "output": "DescribeThingsResponse", "name": "n", "status": "online"}},
    "DescribeOthers": {{"document": "Lists others.", "input": "DescribeOthersRequest", "output": "DescribeOthersResponse", "name": "n", "status": "online"}}
  }},
  "objects": {{
    "DescribeThingsRequest": {},
    "DescribeThingsResponse": {response},
    "DescribeOthersRequest": {},
    "DescribeOthersResponse": {response},
    "Thing": {{"document": "A thing.", "type": "object", "usage": "out", "members": [{}]}}
  }}
}}"#,
        request("Page size. Default value: 20. Maximum value: 50."),
        request("Page size. Default value: 20."),
        member("Name", "string", "Its name.")
    )
}

#[test]
fn pagination_is_proposed_with_the_documented_maximum_or_asked_for() {
    let mut spec = committed_spec();
    let report = import(&mut spec, &listings(), &actions(&["DescribeThings", "DescribeOthers"])).unwrap();
    let lines = report.lines();
    assert!(
        lines.contains(
            &"+ pagination actions.DescribeThings.pagination: items Things, total TotalCount, largest page 50 (from the Limit docs)"
                .to_owned()
        ),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "? actions.DescribeOthers.pagination: the action pages with Offset/Limit (items Things, total TotalCount) \
             but its docs give no largest page"
        )),
        "{lines:#?}"
    );
    let things = spec.actions.iter().find(|a| a.name == "DescribeThings").unwrap();
    let block = things.pagination.as_ref().expect("a block");
    assert_eq!(
        (
            block.offset.as_str(),
            block.limit.as_str(),
            block.total.as_deref(),
            block.items.as_str(),
            block.max_page_size
        ),
        ("Offset", "Limit", Some("TotalCount"), "Things", Some(50))
    );
    let limit = things.input.iter().find(|m| m.name == "Limit").unwrap();
    let range = limit.constraints.range.as_ref().expect("Limit gets the block's range");
    assert_eq!(
        (
            range.min.as_ref().and_then(|n| n.as_u64()),
            range.max.as_ref().and_then(|n| n.as_u64())
        ),
        (Some(1), Some(50))
    );
    assert!(spec
        .actions
        .iter()
        .find(|a| a.name == "DescribeOthers")
        .unwrap()
        .pagination
        .is_none());

    // A person's block is kept on a re-import, even one that differs from the proposal.
    spec.actions
        .iter_mut()
        .find(|a| a.name == "DescribeThings")
        .unwrap()
        .pagination
        .as_mut()
        .unwrap()
        .max_page_size = Some(40);
    spec.actions
        .iter_mut()
        .find(|a| a.name == "DescribeThings")
        .unwrap()
        .input
        .iter_mut()
        .find(|m| m.name == "Limit")
        .unwrap()
        .constraints
        .range = None;
    let report = import(&mut spec, &listings(), &actions(&["DescribeThings"])).unwrap();
    assert!(
        !report.lines().iter().any(|l| l.contains("pagination")),
        "{:#?}",
        report.lines()
    );
    let things = spec.actions.iter().find(|a| a.name == "DescribeThings").unwrap();
    assert_eq!(things.pagination.as_ref().unwrap().max_page_size, Some(40));
    // And the result generates a paginator.
    let text = codegen::spec_json::to_text(&spec);
    let files = codegen::generate(&text, "spec.json").unwrap_or_else(|d| panic!("{d}"));
    assert!(files["operations/describe_things.rs"].contains("pub fn into_paginator(self)"));
}

/// The fixture with closed sets listed in some descriptions: `IPv6Setting.Switch` and
/// `HTTP2Parameters.Switch` (the same name and values), `CreateWidget`'s `Type` and its list
/// `Match`.
fn fixture_with_closed_sets() -> String {
    let mut api: serde_json::Value = serde_json::from_str(&fixture()).unwrap();
    let set_doc = |api: &mut serde_json::Value, object: &str, member: &str, doc: &str| {
        let members = api["objects"][object]["members"].as_array_mut().unwrap();
        let m = members.iter_mut().find(|m| m["name"] == member).unwrap();
        m["document"] = serde_json::Value::from(doc);
    };
    let switch = "Whether it is on:<li>on: turned on;</li><li>off: turned off.</li>";
    set_doc(&mut api, "IPv6Setting", "Switch", switch);
    set_doc(&mut api, "HTTP2Parameters", "Switch", switch);
    set_doc(
        &mut api,
        "CreateWidgetRequest",
        "Type",
        "Kind of widget. Values:<li>small：a small one；</li><li>large：a big one。</li>",
    );
    set_doc(
        &mut api,
        "CreateWidgetRequest",
        "Match",
        "How hosts match:<li>exact: the whole name;</li><li>suffix: its end.</li>",
    );
    // Not a closed set: an example list.
    set_doc(&mut api, "Tag", "Key", "A key, such as <li>env</li><li>team</li>");
    api.to_string()
}

#[test]
fn closed_sets_in_descriptions_are_proposed_as_enums_and_kept_on_reimport() {
    let mut spec = committed_spec();
    let options = Options {
        category: Some("multi-path-gateway".into()),
        all: true,
        ..Default::default()
    };
    let report = import(&mut spec, &fixture_with_closed_sets(), &options).unwrap();
    let proposals: Vec<String> = report
        .lines()
        .into_iter()
        .filter(|l| l.contains("proposed enum"))
        .collect();
    assert_eq!(
        proposals,
        [
            "? actions.CreateWidget.input.Type.type: proposed enum CreateWidgetType with the values small, large listed in the documentation; confirm the values, write the documentation of each in our own words (it holds upstream's text), or set \"type\" back to \"string\"",
            "? actions.CreateWidget.input.Match.type: proposed enum CreateWidgetMatch with the values exact, suffix listed in the documentation; confirm the values, write the documentation of each in our own words (it holds upstream's text), or set \"type\" back to \"string\"",
            "? objects.HTTP2Parameters.members.Switch.type: proposed enum Http2ParametersSwitch with the values on, off listed in the documentation; confirm the values, write the documentation of each in our own words (it holds upstream's text), or set \"type\" back to \"string\"",
            "? objects.IPv6Setting.members.Switch.type: proposed enum Http2ParametersSwitch, which a member of the same name with the same values uses; confirm, or set \"type\" back to \"string\"",
        ]
    );
    let enum_type = |n: &str| TypeRef::Enum(n.to_owned());
    assert_eq!(
        member_type(&spec, "CreateWidget", "input", "Type"),
        enum_type("CreateWidgetType")
    );
    assert_eq!(
        member_type(&spec, "CreateWidget", "input", "Match"),
        TypeRef::List(Box::new(enum_type("CreateWidgetMatch")))
    );
    let names: Vec<&str> = spec.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["CreateWidgetMatch", "CreateWidgetType", "Http2ParametersSwitch"]
    );
    let kind = spec.enums.iter().find(|e| e.name == "CreateWidgetType").unwrap();
    let values: Vec<(&str, &str, &str)> = kind
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.name.as_str(), v.documentation.as_str()))
        .collect();
    assert_eq!(
        values,
        [("small", "Small", "a small one"), ("large", "Large", "a big one")]
    );
    // Open lists stay strings.
    let tag = spec.objects.iter().find(|o| o.name == "Tag").unwrap();
    assert_eq!(tag.members[0].ty, Some(TypeRef::String));
    // The proposal generates (the import itself checked the whole spec).
    let files =
        codegen::generate(&codegen::spec_json::to_text(&spec), "fixture.json").unwrap_or_else(|d| panic!("{d}"));
    assert!(files["models/create_widget_type.rs"].contains("Small = \"small\","));

    // A re-import keeps the enums without reporting a type change, and proposes nothing for
    // members already in the spec: a person who set one back to a string keeps it.
    let widget = spec.actions.iter_mut().find(|a| a.name == "CreateWidget").unwrap();
    widget.input.iter_mut().find(|m| m.name == "Match").unwrap().ty = Some(TypeRef::List(Box::new(TypeRef::String)));
    let again = import(&mut spec, &fixture_with_closed_sets(), &options).unwrap();
    assert!(
        again.changes.iter().all(|c| !c.contains(": type ")),
        "{:?}",
        again.changes
    );
    assert!(again.enums.is_empty(), "{:?}", again.enums);
    assert_eq!(
        member_type(&spec, "CreateWidget", "input", "Type"),
        enum_type("CreateWidgetType")
    );
    assert_eq!(
        member_type(&spec, "CreateWidget", "input", "Match"),
        TypeRef::List(Box::new(TypeRef::String))
    );
}
