//! Names from real TEO wire names: keywords still generate, and acronyms read well.

fn generated() -> std::collections::BTreeMap<String, String> {
    let spec = r#"{
      "service": {"name": "teo", "version": "2022-09-01",
                  "endpoints": {"default": "teo.tencentcloudapi.com", "international": "teo.intl.tencentcloudapi.com"}},
      "actions": {"ModifyHTTP2Settings": {"documentation": "d", "input": {
          "Type": {"type": "string", "required": true, "documentation": "Kind of rule."},
          "Match": {"type": {"list": "string"}, "documentation": "What to match."},
          "IPv6": {"type": {"object": "IPv6"}, "documentation": "d"},
          "HTTP2Parameters": {"type": {"object": "HTTP2Parameters"}, "documentation": "d"},
          "AWSS3": {"type": {"object": "AWSS3"}, "documentation": "d"},
          "QUICParameters": {"type": {"object": "QUICParameters"}, "documentation": "d"},
          "BlockRuleIDs": {"type": {"list": "int64"}, "documentation": "d"},
          "Self": {"type": "bool", "documentation": "d"}}}},
      "objects": {
        "IPv6": {"documentation": "d", "members": {"Switch": {"type": "string", "documentation": "d"}}},
        "HTTP2Parameters": {"documentation": "d", "members": {"Switch": {"type": "string", "documentation": "d"}}},
        "AWSS3": {"documentation": "d", "members": {"Region": {"type": "string", "documentation": "d"}}},
        "QUICParameters": {"documentation": "d", "members": {"Switch": {"type": "string", "documentation": "d"}}}
      }
    }"#;
    codegen::generate(spec, "naming.json").unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn keywords_become_raw_identifiers_and_keep_their_wire_names() {
    let files = generated();
    // The request builder is the fluent builder: `model!` writes each member's setter under the
    // member's name and its `set_*` setter under the second name.
    let request = &files["models/modify_http2_settings_request.rs"];
    for expected in [
        "pub struct ModifyHttp2SettingsRequest / ModifyHttp2SettingsRequestBuilder request {",
        "/// Kind of rule.\n        req r#type / set_type: String = \"Type\",",
        "/// What to match.\n        opt r#match / set_match: Vec<String> = \"Match\",",
        "opt self_ / set_self: bool = \"Self\",",
    ] {
        assert!(request.contains(expected), "missing {expected:?} in:\n{request}");
    }
    let fluent = &files["operations/modify_http2_settings.rs"];
    assert!(
        fluent.contains("pub type ModifyHttp2Settings = crate::models::ModifyHttp2SettingsRequestBuilder<"),
        "{fluent}"
    );
}

/// The members above, written as the generator writes them, compile through `model!` into raw
/// identifiers and setters that keep their wire names.
#[allow(unexpected_cfgs)] // `model!` gates serde impls on a generated crate's `serde` feature.
mod keyword_members {
    use tencentcloud_runtime::wire::{self, Decoding};

    tencentcloud_runtime::model! {
        /// A request with keyword members.
        pub struct KeywordRequest / KeywordRequestBuilder request {
            /// Kind of rule.
            req r#type / set_type: String = "Type",
            /// What to match.
            opt r#match / set_match: Vec<String> = "Match",
            /// A member named like `self`.
            opt self_ / set_self: bool = "Self",
            /// A member named like the checker.
            req checker / set_checker: String = "Checker",
        }
        validate(self, checker) {
            checker.one_of("Type", &self.r#type, &["a", "b"]);
        }
    }

    #[test]
    fn keyword_members_build_write_and_read_under_their_wire_names() {
        let request = KeywordRequest::builder()
            .r#type("a")
            .set_match(Some(vec!["x".to_owned()]))
            .self_(true)
            .checker("c")
            .build()
            .unwrap();
        assert_eq!(request.r#type, "a");
        assert_eq!(request.r#match.as_deref(), Some(&["x".to_owned()][..]));
        assert_eq!(request.self_, Some(true));
        let text = String::from_utf8(wire::to_vec(&request)).unwrap();
        assert_eq!(text, r#"{"Checker":"c","Match":["x"],"Self":true,"Type":"a"}"#);
        assert_eq!(
            wire::from_str::<KeywordRequest>(&text, Decoding::Strict),
            Ok(request.clone())
        );

        let cleared = KeywordRequest::builder()
            .r#type("a")
            .r#match(vec!["x".to_owned()])
            .set_match(None)
            .set_checker(Some("c".to_owned()))
            .build()
            .unwrap();
        assert_eq!(cleared.r#match, None);
        assert_eq!(
            String::from_utf8(wire::to_vec(&cleared)).unwrap(),
            r#"{"Checker":"c","Type":"a"}"#
        );

        let err = KeywordRequest::builder().r#type("a").build().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid KeywordRequest: Checker: is required but was not set"
        );
        let err = wire::from_str::<KeywordRequest>(r#"{"Type":"a"}"#, Decoding::Tolerant).unwrap_err();
        assert_eq!(err.to_string(), "KeywordRequest: missing field Checker");
    }

    #[test]
    fn a_member_named_like_the_checker_does_not_shadow_it() {
        use tencentcloud_runtime::validation::Validate;

        let request = KeywordRequest::builder().r#type("z").checker("c").build().unwrap();
        let err = request.validate("KeywordRequest").unwrap_err();
        assert_eq!(err.violations.len(), 1, "{err}");
        assert_eq!(err.violations[0].member, "Type");
        let fine = KeywordRequest::builder().r#type("b").checker("c").build().unwrap();
        assert!(fine.validate("KeywordRequest").is_ok());
    }
}

#[test]
fn acronyms_give_readable_type_field_and_module_names() {
    let files = generated();
    for (module, ty) in [
        ("ipv6", "Ipv6"),
        ("http2_parameters", "Http2Parameters"),
        ("aws_s3", "AwsS3"),
        ("quic_parameters", "QuicParameters"),
    ] {
        let file = files
            .get(&format!("models/{module}.rs"))
            .unwrap_or_else(|| panic!("no models/{module}.rs"));
        assert!(
            file.contains(&format!("pub struct {ty} / {ty}Builder {{")),
            "models/{module}.rs lacks struct {ty}"
        );
    }
    let request = &files["models/modify_http2_settings_request.rs"];
    for field in [
        "opt ipv6 / set_ipv6: crate::models::Ipv6 = \"IPv6\",",
        "opt http2_parameters / set_http2_parameters: crate::models::Http2Parameters = \"HTTP2Parameters\",",
        "opt aws_s3 / set_aws_s3: crate::models::AwsS3 = \"AWSS3\",",
        "opt quic_parameters / set_quic_parameters: crate::models::QuicParameters = \"QUICParameters\",",
        "opt block_rule_ids / set_block_rule_ids: Vec<i64> = \"BlockRuleIDs\",",
    ] {
        assert!(request.contains(field), "missing {field:?}");
    }
    assert!(files["client.rs"].contains("pub fn modify_http2_settings(&self)"));
}

#[test]
fn keyword_action_and_object_names_generate_raw_modules_and_methods() {
    let spec = r#"{
      "service": {"name": "teo", "version": "2022-09-01",
                  "endpoints": {"default": "teo.tencentcloudapi.com", "international": "teo.intl.tencentcloudapi.com"}},
      "actions": {"Match": {"documentation": "d", "input": {
          "Rule": {"type": {"object": "Type"}, "required": true, "documentation": "d"},
          "Checker": {"type": "string", "required": true, "documentation": "A member named like a local."}}}},
      "objects": {"Type": {"documentation": "d", "members": {"Self": {"type": "string", "documentation": "d"}}}}
    }"#;
    let files = codegen::generate(spec, "keywords.json").unwrap_or_else(|d| panic!("{d}"));
    assert!(files["client.rs"].contains("pub fn r#match(&self) -> crate::operations::Match"));
    assert!(files["operations/mod.rs"].contains("mod r#match;"));
    assert!(files["models/mod.rs"].contains("mod r#type;"));
    assert!(files.contains_key("operations/match.rs") && files.contains_key("models/type.rs"));
    assert!(files["models/type.rs"].contains("pub struct Type / TypeBuilder {"));
    assert!(files["models/type.rs"].contains("opt self_: String = \"Self\","));
    // A member named like the validation's checker keeps its name (see `keyword_members`).
    assert!(files["models/match_request.rs"].contains("req checker / set_checker: String = \"Checker\","));
}

/// An action that lists no codes gets `GeneralError` under its own name instead of an enum of
/// its own; one that lists codes keeps its own enum and module.
#[test]
fn a_code_less_action_aliases_the_general_error() {
    let files = generated();
    assert!(!files.contains_key("errors/modify_http2_settings.rs"));
    let errors = &files["errors/mod.rs"];
    assert!(
        errors.contains("pub type ModifyHttp2SettingsError = GeneralError;"),
        "{errors}"
    );
    assert!(
        errors.contains("pub type ModifyHttp2SettingsErrorKind = GeneralErrorKind;"),
        "{errors}"
    );
    assert!(files["errors/general.rs"].contains("pub enum GeneralErrorKind for GeneralError {}"));
    assert!(files["operations/modify_http2_settings.rs"].contains("crate::errors::ModifyHttp2SettingsError"));
}
