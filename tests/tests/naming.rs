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
    let request = &files["models/modify_http2_settings_request.rs"];
    for expected in [
        "/// Wire name: `Type`.\n    pub r#type: String,",
        "/// Wire name: `Match`.\n    pub r#match: Option<Vec<String>>,",
        "out.required(\"Type\", &self.r#type);",
        "\"Match\" => &mut builder.r#match,",
        "pub self_: Option<bool>,",
        "pub fn r#type(mut self, value: impl Into<String>) -> Self",
    ] {
        assert!(request.contains(expected), "missing {expected:?} in:\n{request}");
    }
    let fluent = &files["operations/modify_http2_settings.rs"];
    for expected in [
        "pub fn r#type(mut self, value: impl Into<String>) -> Self",
        "pub fn set_match(mut self, value: Option<Vec<String>>) -> Self {\n        self.input.r#match = value;",
    ] {
        assert!(fluent.contains(expected), "missing {expected:?} in:\n{fluent}");
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
            file.contains(&format!("pub struct {ty} {{")),
            "models/{module}.rs lacks struct {ty}"
        );
    }
    let request = &files["models/modify_http2_settings_request.rs"];
    for field in [
        "pub ipv6: Option<crate::models::Ipv6>",
        "pub http2_parameters: Option<crate::models::Http2Parameters>",
        "pub aws_s3: Option<crate::models::AwsS3>",
        "pub quic_parameters: Option<crate::models::QuicParameters>",
        "pub block_rule_ids: Option<Vec<i64>>",
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
    assert!(files["models/type.rs"].contains("pub self_: Option<String>"));
    assert!(files["models/match_request.rs"].contains("__checker.required(\"Checker\", checker.is_some());"));
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
    assert!(files["errors/general.rs"].contains("pub enum GeneralError {"));
    assert!(files["operations/modify_http2_settings.rs"].contains("Error<ModifyHttp2SettingsError>"));
}
