//! A client for another service, from nothing but its official description: `import --spec`
//! creates the spec, every kind maps (`date`, `binary`, flags written 0/1), names that collide
//! get a `rust_name` the report lists, and `--crate DIR` writes a crate whose manifest and root
//! are generated. All on a description written for this test in the official format.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn codegen(args: &[&str], cwd: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .current_dir(cwd)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn member(name: &str, kind: &str, of: &str, required: &str) -> String {
    format!(
        r#"{{"name": "{name}", "type": "{kind}", "member": "{of}", "required": {required}, "document": "d", "disabled": false}}"#
    )
}

/// The description: one action whose request has a date, a binary member, flags written as
/// numbers, two members that differ only in case, a member named like a builder method, and an
/// object named `Handle` (a runtime name the generated client imports).
fn description() -> String {
    let request = [
        member("Day", "string", "date", "1"),
        member("Payload", "binary", "binary", "0"),
        member("UUI", "string", "string", "0"),
        member("Uui", "string", "string", "0"),
        member("Clone", "bool", "bool", "false"),
        member("Problem", "object", "Handle", "false"),
    ]
    .join(", ");
    format!(
        r#"{{"version": "1.0", "metadata": {{"apiVersion": "2021-01-01", "serviceShortName": "demo"}},
  "actions": {{"SendThing": {{"document": "Sends a thing.", "input": "SendThingRequest", "output": "SendThingResponse", "name": "n", "status": "online"}}}},
  "objects": {{
    "SendThingRequest": {{"document": "request", "type": "object", "members": [{request}]}},
    "SendThingResponse": {{"document": "response", "type": "object", "members": [{}]}},
    "Handle": {{"document": "A problem.", "type": "object", "usage": "in", "members": [{}]}}
  }}
}}"#,
        member("RequestId", "string", "string", "false"),
        member("Code", "string", "string", "false")
    )
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_new_service_gets_a_spec_and_a_whole_crate() {
    let scratch = Scratch(std::env::temp_dir().join(format!("codegen-new-{}", std::process::id())));
    let dir = &scratch.0;
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir.join("runtime")).unwrap();
    fs::write(
        dir.join("runtime/Cargo.toml"),
        "[package]\nname = \"tencentcloud-runtime\"\n",
    )
    .unwrap();
    fs::write(dir.join("api.json"), description()).unwrap();

    let (ok, report) = codegen(
        &[
            "import",
            "--from",
            "api.json",
            "--all",
            "--spec",
            "demo-2021-01-01.json",
        ],
        dir,
    );
    assert!(ok, "{report}");
    for line in [
        "+ new spec demo-2021-01-01.json for demo 2021-01-01 (endpoints demo.tencentcloudapi.com, demo.intl.tencentcloudapi.com; 38 common error codes)",
        "~ actions.SendThing.input.Payload: upstream kind binary, imported as a string with a base64 constraint",
        "~ renamed objects.Handle: type `HandleObject` (type name `Handle` is reserved by the generated code)",
        "~ renamed actions.SendThing.input.Uui: field `uui_2` (members \"Uui\" and \"UUI\" both become the field `uui`)",
        "~ renamed actions.SendThing.input.Clone: field `clone_value` (member name becomes `clone`, which builders already use)",
    ] {
        assert!(report.lines().any(|l| l == line), "missing {line:?} in:\n{report}");
    }
    let spec: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("demo-2021-01-01.json")).unwrap()).unwrap();
    assert_eq!(spec["service"]["name"], "demo");
    assert_eq!(spec["service"]["endpoints"]["default"], "demo.tencentcloudapi.com");
    let input = &spec["actions"]["SendThing"]["input"];
    assert_eq!(input["Day"]["type"], "date");
    assert_eq!(input["Day"]["required"], true);
    assert_eq!(input["Payload"]["constraints"]["base64"], serde_json::json!({}));
    assert_eq!(input["Uui"]["rust_name"], "uui_2");
    assert_eq!(spec["objects"]["Handle"]["rust_name"], "HandleObject");

    let (ok, out) = codegen(
        &[
            "--spec",
            "demo-2021-01-01.json",
            "--crate",
            "demo-client",
            "--runtime",
            "runtime",
        ],
        dir,
    );
    assert!(ok, "{out}");
    let manifest = fs::read_to_string(dir.join("demo-client/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"demo-client\""), "{manifest}");
    assert!(manifest.contains("name = \"demo_client\""), "{manifest}");
    assert!(
        manifest.contains("tencentcloud-runtime = { path = \"../runtime\" }"),
        "{manifest}"
    );
    assert!(
        manifest.trim_end().ends_with("[workspace]"),
        "outside a workspace it stands alone: {manifest}"
    );
    let lib = fs::read_to_string(dir.join("demo-client/src/lib.rs")).unwrap();
    assert!(lib.starts_with("// @generated"), "{lib}");
    assert!(lib.contains("pub mod operations;") && lib.contains("pub use tencentcloud_runtime as runtime;"));
    assert!(lib.contains("let client = demo_client::Client::from_env()?;"));
    let request = fs::read_to_string(dir.join("demo-client/src/models/send_thing_request.rs")).unwrap();
    for member in [
        "req day / set_day: crate::runtime::Date = \"Day\",",
        "opt uui / set_uui: String = \"UUI\",",
        // The renamed member keeps its wire name.
        "opt uui_2 / set_uui_2: String = \"Uui\",",
        "opt clone_value / set_clone_value: bool = \"Clone\",",
        "opt problem / set_problem: crate::models::HandleObject = \"Problem\",",
    ] {
        assert!(request.contains(member), "missing {member:?} in {request}");
    }
    assert!(dir.join("demo-client/src/models/handle_object.rs").is_file());

    // The crate is the generator's: `--check` passes, then fails once a generated file changes.
    let args = [
        "--spec",
        "demo-2021-01-01.json",
        "--crate",
        "demo-client",
        "--runtime",
        "runtime",
        "--check",
    ];
    let (ok, out) = codegen(&args, dir);
    assert!(ok, "{out}");
    fs::write(dir.join("demo-client/Cargo.toml"), "[package]\n").unwrap();
    let (ok, out) = codegen(&args, dir);
    assert!(!ok && out.contains("Cargo.toml"), "{out}");
}
