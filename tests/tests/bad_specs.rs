//! Broken specs: each gets every problem reported at once, each with its JSON path, and never a
//! panic. The diagnostics are snapshotted so a change in wording is a reviewed change.

/// A valid spec with `ACTIONS` and `OBJECTS` spliced in.
fn spec(actions: &str, objects: &str) -> String {
    format!(
        r#"{{
  "service": {{
    "name": "teo", "version": "2022-09-01",
    "endpoints": {{"default": "teo.tencentcloudapi.com", "international": "teo.intl.tencentcloudapi.com"}},
    "common_errors": {{"InternalError": "Internal error."}}
  }},
  "actions": {actions},
  "objects": {objects}
}}"#
    )
}

fn diagnostics(text: &str) -> String {
    match codegen::generate(text, "bad.json") {
        Ok(_) => panic!("the spec was accepted"),
        Err(diags) => diags.to_string(),
    }
}

macro_rules! bad_spec {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), diagnostics(&$text));
        }
    };
}

bad_spec!(
    malformed_json,
    "{\n  \"service\": {\n    \"name\": \"teo\",\n    \"version\" \"2022-09-01\"\n  }\n}"
);

bad_spec!(
    unknown_type,
    spec(
        r#"{"CreateMultiPathGatewaySecretKey": {"documentation": "d", "input": {
            "ZoneId": {"type": "string", "required": true, "documentation": "d"},
            "SecretKey": {"type": "strng", "documentation": "d"},
            "Ports": {"type": {"list": "integr"}, "documentation": "d"},
            "Shape": {"type": {"map": "string"}, "documentation": "d"}}}}"#,
        "{}"
    )
);

bad_spec!(
    undefined_object,
    spec(
        r#"{"A": {"documentation": "d", "input": {
            "Rule": {"type": {"object": "RuleBranch"}, "documentation": "d"},
            "Rules": {"type": {"list": {"object": "Missing"}}, "documentation": "d"}}}}"#,
        r#"{"Known": {"documentation": "d", "members": {"Next": {"type": {"object": "Unknown"}, "documentation": "d"}}}}"#
    )
);

bad_spec!(
    duplicate_names,
    spec(
        r#"{"A": {"documentation": "d", "input": {
                "ZoneId": {"type": "string", "documentation": "d"},
                "ZoneId": {"type": "int64", "documentation": "d"}},
              "errors": {"InternalError": "x", "InternalError": "y"}},
            "A": {"documentation": "again"}}"#,
        r#"{"O": {"documentation": "d", "documentation": "twice"}}"#
    )
);

bad_spec!(
    names_that_collide_after_case_conversion,
    spec(
        r#"{"GetIPv6": {"documentation": "d", "input": {
                "ZoneId": {"type": "string", "documentation": "d"},
                "ZoneID": {"type": "string", "documentation": "d"},
                "Name": {"type": "string", "documentation": "d"},
                "SetName": {"type": "string", "documentation": "d"}},
              "errors": {"Failed.IPLimit": "a", "FailedIp.Limit": "b"}},
            "GetIpv6": {"documentation": "d"}}"#,
        r#"{"HTTP2Parameters": {"documentation": "d"}, "Http2Parameters": {"documentation": "d"},
            "Client": {"documentation": "d"}}"#
    )
);

bad_spec!(
    empty_and_invalid_names,
    spec(
        r#"{"": {"documentation": "d"},
            "A": {"documentation": "d", "input": {
                "": {"type": "string", "documentation": "d"},
                "2Fast": {"type": "string", "documentation": "d"},
                "Build": {"type": "string", "documentation": "d"}},
              "errors": {"Bad Code": "x", "Unhandled": "y"}}}"#,
        "{}"
    )
);

bad_spec!(
    constraints_that_do_not_fit_their_type,
    spec(
        r#"{"A": {"documentation": "d", "input": {
            "Port": {"type": "int64", "documentation": "d", "constraints": {"length": {"max": 3}, "pattern": "^a$"}},
            "Name": {"type": "string", "documentation": "d", "constraints": {"range": {"min": 1}}},
            "On": {"type": "bool", "documentation": "d", "constraints": {"enum": ["true"]}},
            "Count": {"type": "uint64", "documentation": "d", "constraints": {"range": {"min": -1, "max": 2.5}}},
            "Token": {"type": "int64", "documentation": "d", "sensitive": true},
            "Re": {"type": "string", "documentation": "d", "constraints": {"pattern": "(unclosed", "enum": []}}}}}"#,
        "{}"
    )
);

bad_spec!(
    min_above_max,
    spec(
        r#"{"A": {"documentation": "d", "input": {
            "Key": {"type": "string", "documentation": "d", "constraints": {"base64": {"min": 48, "max": 32}, "length": {"min": 9, "max": 1}}},
            "Port": {"type": "int64", "documentation": "d", "constraints": {"range": {"min": 10, "max": 1}}}}}}"#,
        "{}"
    )
);

bad_spec!(
    examples_that_violate_their_own_constraints,
    spec(
        r#"{"CreateMultiPathGatewaySecretKey": {"documentation": "d",
            "input": {
              "ZoneId": {"type": "string", "required": true, "documentation": "d", "example": 42},
              "SecretKey": {"type": "string", "documentation": "d", "sensitive": true,
                            "example": "c2hvcnQ=", "constraints": {"base64": {"min": 32, "max": 48}}},
              "Mode": {"type": "string", "documentation": "d", "example": "fast", "constraints": {"enum": ["on", "off"]}},
              "When": {"type": "datetime", "documentation": "d", "example": "yesterday"},
              "Ports": {"type": {"list": "int64"}, "documentation": "d", "example": [80, "443"],
                        "constraints": {"range": {"min": 1, "max": 65535}}}},
            "output": {"Rule": {"type": {"object": "Rule"}, "documentation": "d"}},
            "examples": [
              {"title": "t", "input": {"SecretKey": "not base64!", "Extra": 1},
               "output": {"Rule": {"Name": 5}, "RequestId": 7}}]}}"#,
        r#"{"Rule": {"documentation": "d", "members": {"Name": {"type": "string", "required": true, "documentation": "d",
              "constraints": {"length": {"min": 1, "max": 3}}, "example": "toolong"}}}}"#
    )
);

bad_spec!(
    unknown_keys_and_wrong_json_types,
    r#"{"service": {"name": "TEO", "version": 2022, "endpoints": {"default": "https://teo.tencentcloudapi.com/"}},
        "actions": {"A": {"documentation": "d", "rate_limit": 0, "examples": {},
            "input": {"ZoneId": {"type": "string", "requird": true, "documentation": "d", "sensitive": "yes"}}}},
        "object": {}}"#
);

bad_spec!(
    names_the_generated_code_already_uses,
    spec(
        r#"{"Builder": {"documentation": "d"}, "Common": {"documentation": "d"}, "Mod": {"documentation": "d"},
            "Service": {"documentation": "d"}, "Error": {"documentation": "d"},
            "A": {"documentation": "d",
                  "input": {"_2FA": {"type": "string", "documentation": "d"},
                            "A²": {"type": "string", "documentation": "d"},
                            "Handle": {"type": "string", "documentation": "d"}},
                  "output": {"RequestID": {"type": "string", "documentation": "d"},
                             "Always": {"type": "string", "required": true, "nullable": true, "documentation": "d"}},
                  "errors": {"Self": "x", "_": "y"}}}"#,
        r#"{"Default": {"documentation": "d"}, "Mod": {"documentation": "d"}}"#
    )
);

/// A spec with one listing action and `WAITERS` as its top-level `waiters`.
fn listing_spec(pagination: &str, waiters: &str) -> String {
    format!(
        r#"{{
  "service": {{
    "name": "teo", "version": "2022-09-01",
    "endpoints": {{"default": "teo.tencentcloudapi.com", "international": "teo.intl.tencentcloudapi.com"}}
  }},
  "actions": {{
    "DescribeTasks": {{"documentation": "d",
      "input": {{
        "Offset": {{"type": "int64", "documentation": "d"}},
        "Limit": {{"type": "int64", "documentation": "d", "constraints": {{"range": {{"min": 1, "max": 1000}}}}}},
        "Name": {{"type": "string", "documentation": "d"}}
      }},
      "output": {{
        "TotalCount": {{"type": "uint64", "documentation": "d"}},
        "Tasks": {{"type": {{"list": {{"object": "Task"}}}}, "documentation": "d"}},
        "Names": {{"type": {{"list": "string"}}, "documentation": "d", "constraints": {{"count": {{"min": 5, "max": 2}}}}}}
      }},
      "pagination": {pagination}
    }}
  }},
  "objects": {{
    "Task": {{"documentation": "d", "members": {{
      "Status": {{"type": "string", "documentation": "d"}},
      "Code": {{"type": "int64", "documentation": "d"}},
      "Key": {{"type": "string", "documentation": "d", "sensitive": true}}
    }}}}
  }},
  "waiters": {waiters}
}}"#
    )
}

bad_spec!(
    pagination_and_waiters_that_do_not_fit,
    listing_spec(
        r#"{"offset": "Start", "limit": "Name", "total": "Tasks", "items": "TotalCount", "max_page_size": 100}"#,
        r#"{
          "TasksDone": {"documentation": "d", "action": "DescribeTasks", "items": "Names", "status": "Status",
                        "success": [], "retry": ["x"]},
          "TasksGone": {"documentation": "d", "action": "DescribeNothing", "items": "Tasks", "status": "Status",
                        "success": ["ok"]},
          "TasksFine": {"documentation": "d", "action": "DescribeTasks", "items": "Tasks", "status": "Code",
                        "name": ["Key", "Nope"], "success": ["ok"], "failure": ["bad", "ok"], "retry": ["bad"],
                        "min_delay": 0}
        }"#
    )
);

bad_spec!(
    pagination_without_a_largest_page,
    listing_spec(
        r#"{"offset": "Offset", "limit": "Limit", "items": "Tasks", "total": 3}"#,
        "{}"
    )
);

bad_spec!(
    categories_that_do_not_fit,
    r#"{
  "service": {
    "name": "teo", "version": "2022-09-01",
    "endpoints": {"default": "teo.tencentcloudapi.com", "international": "teo.intl.tencentcloudapi.com"}
  },
  "categories": {
    "Purge_Prefetch": {"title": "t", "documentation": "d"},
    "full": {"title": "t", "documentation": "d"},
    "unused": {"title": "t", "documentation": "d"},
    "dns": {"documentation": "d"}
  },
  "actions": {
    "DescribeTasks": {"documentation": "d", "category": "dns",
      "output": {"Status": {"type": "string", "documentation": "d"}}},
    "CreateTask": {"documentation": "d"},
    "DeleteTask": {"documentation": "d", "category": "purge"}
  },
  "waiters": {
    "TaskDone": {"documentation": "d", "action": "DescribeTasks", "status": "State", "success": ["ok"]}
  }
}"#
);

bad_spec!(
    a_waiter_without_items_on_a_listing,
    listing_spec(
        r#"{"offset": "Offset", "limit": "Limit", "items": "Tasks", "total": "TotalCount", "max_page_size": 1000}"#,
        r#"{"TasksDone": {"documentation": "d", "action": "DescribeTasks", "status": "Status", "success": ["ok"]}}"#
    )
);

bad_spec!(
    read_only_that_is_not_a_flag,
    spec(
        r#"{"DescribeA": {"documentation": "d", "read_only": "yes"},
            "DescribeB": {"documentation": "d", "read_only": 1}}"#,
        "{}"
    )
);

/// Every way a named enumeration, a member of an enum type or a waiter on one can be wrong:
/// each reported once, exactly, at its JSON path.
#[test]
fn enums_that_do_not_fit() {
    let text = r#"{
  "service": {
    "name": "teo", "version": "2022-09-01",
    "endpoints": {"default": "teo.tencentcloudapi.com", "international": "teo.intl.tencentcloudapi.com"}
  },
  "actions": {
    "DescribeTasks": {"documentation": "d",
      "input": {
        "Kind": {"type": {"enum": "Missing"}, "documentation": "d"},
        "Kinds": {"type": {"list": {"enum": "Nowhere"}}, "documentation": "d"},
        "Order": {"type": {"enum": "Order"}, "documentation": "d", "constraints": {"enum": ["asc"]}},
        "Orders": {"type": {"list": {"enum": "Order"}}, "documentation": "d",
                   "constraints": {"length": {"max": 3}, "count": {"max": 2}}},
        "Picked": {"type": {"enum": "Order"}, "documentation": "d", "example": "sideways"}
      },
      "output": {"Tasks": {"type": {"list": {"object": "Task"}}, "documentation": "d"}}}
  },
  "objects": {
    "Task": {"documentation": "d", "members": {
      "Status": {"type": {"enum": "TaskStatus"}, "documentation": "d"}}}
  },
  "enums": {
    "Order": {"documentation": "Sort order.", "values": [
      {"value": "asc", "name": "Asc", "documentation": "Up."},
      {"value": "asc", "name": "Ascending", "documentation": "Up again."},
      {"value": "desc", "name": "Asc", "documentation": "Down."},
      {"value": "unknown", "name": "Unknown", "documentation": "Neither."},
      {"value": "random", "name": "random_order", "documentation": " "}
    ]},
    "Task": {"documentation": "A clash.", "values": [{"value": "a", "name": "A", "documentation": "A."}]},
    "TaskStatus": {"documentation": "", "values": [
      {"value": "done", "name": "Done", "documentation": "Done."},
      {"value": "running", "name": "Running", "documentation": "Running."}
    ]},
    "Empty": {"documentation": "Nothing.", "values": []}
  },
  "waiters": {
    "TasksDone": {"documentation": "d", "action": "DescribeTasks", "items": "Tasks", "status": "Status",
                  "success": ["done"], "failure": ["failed"], "retry": ["running", "queued"]}
  }
}"#;
    let expected = [
        r#"error: actions.DescribeTasks.input.Kind.type: reference to undefined enum "Missing""#,
        r#"error: actions.DescribeTasks.input.Kinds.type: reference to undefined enum "Nowhere""#,
        r#"error: actions.DescribeTasks.input.Order.constraints.enum: the member's type is enum Order, which lists its values; remove constraints.enum"#,
        r#"error: actions.DescribeTasks.input.Orders.constraints.length: a length constraint needs a string, but the member is list of enum Order"#,
        r#"error: actions.DescribeTasks.input.Picked.example: example "sideways" is not a value of enum Order"#,
        r#"error: enums.Order.values[1].value: value "asc" is listed more than once"#,
        r#"error: enums.Order.values[2].name: variant name "Asc" is used more than once"#,
        r#"error: enums.Order.values[3].name: "Unknown" is the name of the variant holding values the spec does not list; name this value otherwise (a value "unknown" is named UnknownValue)"#,
        r#"error: enums.Order.values[4].name: variant name "random_order" must be UpperCamelCase: an ASCII capital letter, then ASCII letters and digits"#,
        r#"error: enums.Order.values[4].documentation: every value needs documentation"#,
        r#"error: enums.Task: enum "Task" has the name of an object; enums and objects share one namespace of model types"#,
        r#"error: enums.TaskStatus.documentation: an enum needs documentation"#,
        r#"error: enums.Empty.values: an enum needs at least one value"#,
        r#"error: waiters.TasksDone.failure[0]: status "failed" is not a value of enum TaskStatus, the type of the status member "Status""#,
        r#"error: waiters.TasksDone.retry[1]: status "queued" is not a value of enum TaskStatus, the type of the status member "Status""#,
        // The naming check sees the same clash from the object's side.
        r#"error: objects.Task: type name `Task` collides with the one generated for enums.Task"#,
    ];
    let got = diagnostics(text);
    let got_lines: Vec<&str> = got.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(got_lines, expected, "{got}");
}
