//! Black-box tests of the `teo` binary against the stand-in: each runs the built binary as a
//! process and checks its stdout, stderr, exit code and what reached the stand-in.

mod common;

use common::{json, start, stderr, stdout, StandIn, TaskStatus, GATEWAY_KEY, ZONE};
use serde_json::json;

// 1. Every action, in kebab-case or tccli's spelling.

#[test]
fn an_action_prints_the_answer_without_the_envelope() {
    let env = start();
    let out = env.teo().arg("describe-zones").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert!(v.get("Response").is_none());
    assert_eq!(v["Zones"][0]["ZoneId"], ZONE);
    assert_eq!(v["TotalCount"], 1);
    assert!(v["RequestId"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(env.actions(), ["DescribeZones"]);
}

#[test]
fn tccli_spelling_of_actions_and_flags_is_accepted() {
    let env = start();
    env.stand_in.add_dns_records(ZONE, 3).unwrap();
    let out = env
        .teo()
        .args(["DescribeDnsRecords", "--ZoneId", ZONE])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["DnsRecords"].as_array().unwrap().len(), 3);
}

// 2. Input.

#[test]
fn a_value_of_the_wrong_kind_is_refused_naming_the_flag_and_nothing_is_sent() {
    let env = start();
    let out = env
        .teo()
        .args([
            "create-dns-record",
            "--zone-id",
            ZONE,
            "--name",
            "a.example.com",
            "--type",
            "A",
        ])
        .args(["--content", "10.0.0.1", "--ttl", "soon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(stderr(&out), "teo: --ttl: expected an integer, got \"soon\"\n");
    assert!(env.actions().is_empty());
}

#[test]
fn missing_required_members_and_broken_rules_name_the_flags() {
    let env = start();
    let out = env
        .teo()
        .args(["create-dns-record", "--zone-id", ZONE, "--type", "TXT"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(
        stderr(&out),
        "teo: invalid input, nothing was sent:\n  --name (Name): is required but was not set\n  \
         --content (Content): is required but was not set\n"
    );
    // A rule of the spec, checked by the library: the flag is put beside the member.
    let out = env
        .teo()
        .args(["describe-zones", "--no-paginate", "--limit", "1000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(
        stderr(&out),
        "teo: invalid input, nothing was sent:\n  --limit (Limit): must be between 1 and 100\n"
    );
    assert!(env.actions().is_empty());
}

#[test]
fn lists_repeat_the_flag_or_come_as_json_and_objects_as_json() {
    let env = start();
    env.teo()
        .args(["create-purge-task", "--zone-id", ZONE, "--type", "purge_url"])
        .args([
            "--targets",
            "https://example.com/a",
            "--targets",
            "https://example.com/b",
        ])
        .assert()
        .success();
    env.teo()
        .args(["create-purge-task", "--zone-id", ZONE, "--type", "purge_url"])
        .args(["--targets", r#"["https://example.com/a", "https://example.com/b"]"#])
        .assert()
        .success();
    env.teo()
        .args(["describe-purge-tasks", "--zone-id", ZONE])
        .args([
            "--filters",
            r#"{"Name": "target", "Values": ["https://example.com/a"]}"#,
        ])
        .assert()
        .success();
    let bodies: Vec<_> = env.stand_in.requests().iter().map(|r| r.body_json().unwrap()).collect();
    assert_eq!(
        bodies[0]["Targets"],
        json!(["https://example.com/a", "https://example.com/b"])
    );
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(
        bodies[2]["Filters"],
        json!([{"Name": "target", "Values": ["https://example.com/a"]}])
    );
}

#[test]
fn cli_input_json_reads_a_file_or_stdin_and_flags_override_it() {
    let env = start();
    let file = env.home.join("request.json");
    std::fs::write(&file, r#"{"ZoneId": "zone-other", "Limit": 7}"#).unwrap();
    env.teo()
        .args(["describe-dns-records", "--no-paginate", "--cli-input-json"])
        .arg(&file)
        .args(["--zone-id", ZONE])
        .assert()
        .success();
    env.teo()
        .args(["describe-dns-records", "--no-paginate", "--cli-input-json", "-"])
        .write_stdin(format!(r#"{{"ZoneId": "{ZONE}", "Limit": 9}}"#))
        .assert()
        .success();
    let bodies: Vec<_> = env.stand_in.requests().iter().map(|r| r.body_json().unwrap()).collect();
    assert_eq!(bodies[0], json!({"ZoneId": ZONE, "Limit": 7}));
    assert_eq!(bodies[1], json!({"ZoneId": ZONE, "Limit": 9}));
    // Not an object: refused before sending.
    let out = env
        .teo()
        .args(["describe-zones", "--cli-input-json", "-"])
        .write_stdin("[1]")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(
        stderr(&out),
        "teo: --cli-input-json: the request must be a JSON object\n"
    );
}

#[test]
fn the_skeleton_lists_every_member_and_marks_the_required_ones() {
    let env = start();
    let out = env
        .teo()
        .args(["create-dns-record", "--generate-cli-skeleton"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&out),
        json!({
            "ZoneId": "string (required)", "Name": "string (required)", "Type": "string: A|AAAA|MX|CNAME|TXT|NS|CAA|SRV (required)",
            "Content": "string (required)", "Location": "string", "TTL": "int64", "Weight": "int64",
            "Priority": "int64"
        })
    );
    assert!(env.actions().is_empty());
}

// 3. Output.

#[test]
fn query_filter_text_table_and_off() {
    let env = start();
    env.stand_in.add_dns_records(ZONE, 2).unwrap();
    let names: Vec<String> = env.stand_in.dns_records(ZONE).into_iter().map(|r| r.name).collect();
    let out = env
        .teo()
        .args([
            "describe-dns-records",
            "--zone-id",
            ZONE,
            "--query",
            "DnsRecords[].Name",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out), json!(names));
    let out = env
        .teo()
        .args([
            "describe-dns-records",
            "--zone-id",
            ZONE,
            "--filter",
            "DnsRecords[].Name",
            "-o",
            "text",
        ])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), format!("{}\t{}\n", names[0], names[1]));
    let out = env
        .teo()
        .args([
            "describe-dns-records",
            "--zone-id",
            ZONE,
            "--query",
            "DnsRecords[].{N: Name, T: Type}",
        ])
        .args(["--output", "table"])
        .output()
        .unwrap();
    let table = stdout(&out);
    assert!(table.contains("| N "), "{table}");
    assert!(table.contains(&format!("| {} | A |", names[0])), "{table}");
    let out = env.teo().args(["describe-zones", "-o", "off"]).output().unwrap();
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), String::new()));
}

#[test]
fn sensitive_members_are_redacted_unless_show_secrets() {
    let env = start();
    env.stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    let out = env
        .teo()
        .args(["describe-multi-path-gateway-secret-key", "--zone-id", ZONE])
        .output()
        .unwrap();
    assert_eq!(json(&out)["SecretKey"], "** redacted **");
    assert!(!stdout(&out).contains(GATEWAY_KEY));
    let out = env
        .teo()
        .args([
            "describe-multi-path-gateway-secret-key",
            "--zone-id",
            ZONE,
            "--show-secrets",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out)["SecretKey"], GATEWAY_KEY);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = start();
    env.stand_in.add_dns_records(ZONE, 200).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("teo"))
        .env("TENCENTCLOUD_SECRET_ID", StandIn::DEFAULT_SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", StandIn::DEFAULT_SECRET_KEY)
        .env("HOME", &env.home)
        .args([
            "describe-dns-records",
            "--zone-id",
            ZONE,
            "--endpoint",
            &env.stand_in.endpoint(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away, as `| head` does
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
}

// 4. Paging.

#[test]
fn every_page_is_read_and_merged_by_default() {
    let env = start();
    env.stand_in.add_dns_records(ZONE, 25).unwrap();
    let out = env
        .teo()
        .args(["describe-dns-records", "--zone-id", ZONE, "--page-size", "10"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["DnsRecords"].as_array().unwrap().len(), 25);
    assert_eq!(v["TotalCount"], 25);
    let offsets: Vec<_> = env
        .stand_in
        .requests()
        .iter()
        .map(|r| r.body_json().unwrap()["Offset"].clone())
        .collect();
    assert_eq!(offsets, [json!(0), json!(10), json!(20)]);
}

#[test]
fn max_items_and_no_paginate() {
    let env = start();
    env.stand_in.add_dns_records(ZONE, 25).unwrap();
    let out = env
        .teo()
        .args([
            "describe-dns-records",
            "--zone-id",
            ZONE,
            "--page-size",
            "10",
            "--max-items",
            "12",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out)["DnsRecords"].as_array().unwrap().len(), 12);
    assert_eq!(env.stand_in.requests().len(), 2);
    env.stand_in.clear_requests();
    let out = env
        .teo()
        .args([
            "describe-dns-records",
            "--zone-id",
            ZONE,
            "--no-paginate",
            "--limit",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(json(&out)["DnsRecords"].as_array().unwrap().len(), 5);
    let requests = env.stand_in.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body_json().unwrap(), json!({"ZoneId": ZONE, "Limit": 5}));
    // A page larger than the action allows is refused before sending.
    let out = env
        .teo()
        .args(["describe-dns-records", "--zone-id", ZONE, "--page-size", "5000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(
        stderr(&out),
        "teo: --page-size: must be at most 1000 for describe-dns-records, got 5000\n"
    );
}

// 4. Waiting.

fn purge(env: &common::Env, target: &str) -> String {
    let out = env
        .teo()
        .args([
            "create-purge-task",
            "--zone-id",
            ZONE,
            "--type",
            "purge_url",
            "--targets",
            target,
        ])
        .args(["--query", "JobId", "--output", "text"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out).trim().to_owned()
}

fn job_filter(job: &str) -> String {
    format!(r#"{{"Name": "job-id", "Values": ["{job}"]}}"#)
}

#[test]
fn wait_ends_with_zero_when_done() {
    let env = start();
    env.stand_in.set_task_polls(1);
    let job = purge(&env, "https://example.com/app.js");
    let out = env
        .teo()
        .args([
            "wait",
            "purge-tasks-done",
            "--zone-id",
            ZONE,
            "--filters",
            &job_filter(&job),
            "--timeout",
            "60",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)[0]["Status"], "success");
    // Not a terminal: no progress line.
    assert_eq!(stderr(&out), "");
    let polls = env.actions().iter().filter(|a| *a == "DescribePurgeTasks").count();
    assert_eq!(polls, 2);
}

#[test]
fn wait_exit_codes_say_failed_and_timed_out() {
    let env = start();
    env.stand_in.set_task_polls(0);
    env.stand_in.end_tasks_matching("/broken", TaskStatus::Failed);
    let job = purge(&env, "https://example.com/broken.js");
    let out = env
        .teo()
        .args([
            "wait",
            "purge-tasks-done",
            "--zone-id",
            ZONE,
            "--filters",
            &job_filter(&job),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("ended in status failed"), "{}", stderr(&out));

    env.stand_in.set_task_polls(1000);
    let job = purge(&env, "https://example.com/slow.js");
    let out = env
        .teo()
        .args([
            "wait",
            "PurgeTasksDone",
            "--zone-id",
            ZONE,
            "--filters",
            &job_filter(&job),
            "--timeout",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(124));
    assert!(stderr(&out).contains("not done after 1s"), "{}", stderr(&out));
}

#[test]
fn every_waiter_of_the_spec_is_a_wait_command() {
    let env = start();
    for waiter in [
        "purge-tasks-done",
        "prefetch-tasks-done",
        "log-analysis-download-tasks-done",
        "config-group-version-deployed",
        "zone-config-import-done",
    ] {
        let out = env.bare().args(["wait", waiter, "--help"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{waiter}: {}", stderr(&out));
        assert!(stdout(&out).contains("--timeout"), "{waiter}");
    }
    let out = env.bare().args(["wait", "nothing-done"]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
}

// 5. Credentials and secrets.

#[test]
fn tccli_credential_files_are_read_when_ours_has_none() {
    let env = start();
    let dir = env.home.join(".tccli");
    std::fs::create_dir_all(&dir).unwrap();
    let file = |profile: &str| {
        std::fs::write(
            dir.join(format!("{profile}.credential")),
            json!({"secretId": StandIn::DEFAULT_SECRET_ID, "secretKey": StandIn::DEFAULT_SECRET_KEY}).to_string(),
        )
        .unwrap()
    };
    file("work");
    let endpoint = env.stand_in.endpoint();
    // No credentials for `default` anywhere: a configuration error.
    let out = env
        .bare()
        .args(["describe-zones", "--endpoint", &endpoint])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(253), "{}", stderr(&out));
    env.bare()
        .args(["describe-zones", "--endpoint", &endpoint, "--profile", "work"])
        .assert()
        .success();
    file("default");
    env.bare()
        .args(["describe-zones", "--endpoint", &endpoint])
        .assert()
        .success();
    // Our own profile file wins over tccli's.
    std::fs::create_dir_all(env.home.join(".tencentcloud")).unwrap();
    std::fs::write(
        env.home.join(".tencentcloud/credentials"),
        "[default]\nsecret_id = AKIDWRONG0000000000000000000000000000\nsecret_key = wrong\n",
    )
    .unwrap();
    let out = env
        .bare()
        .args(["describe-zones", "--endpoint", &endpoint])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(254), "{}", stderr(&out));
    assert!(stderr(&out).contains("AuthFailure"), "{}", stderr(&out));
}

#[test]
fn a_secret_is_taken_from_a_file_or_stdin_never_the_command_line() {
    let env = start();
    let out = env
        .teo()
        .args([
            "modify-multi-path-gateway-secret-key",
            "--zone-id",
            ZONE,
            "--secret-key",
            GATEWAY_KEY,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(
        stderr(&out),
        "teo: --secret-key is a secret and is not taken on the command line (where the shell's history and \
         the process list would keep it): pass --secret-key @PATH to read it from a file, or --secret-key @- \
         to read it from standard input\n"
    );
    assert!(env.actions().is_empty());
    env.stand_in
        .set_zone_key(ZONE, "c2VjcmV0LWtleS1vZi1leGFjdGx5LTMyLWJ5dGVzISE=");
    let path = env.home.join("key");
    std::fs::write(&path, format!("{GATEWAY_KEY}\n")).unwrap();
    env.teo()
        .args([
            "modify-multi-path-gateway-secret-key",
            "--zone-id",
            ZONE,
            "--secret-key",
        ])
        .arg(format!("@{}", path.display()))
        .assert()
        .success();
    assert_eq!(env.stand_in.zone_key(ZONE).as_deref(), Some(GATEWAY_KEY));
    env.teo()
        .args(["ModifyMultiPathGatewaySecretKey", "--ZoneId", ZONE, "--SecretKey", "@-"])
        .write_stdin("ZmVlZGZhY2VmZWVkZmFjZWZlZWRmYWNlZmVlZGZhY2U=")
        .assert()
        .success();
    assert_eq!(
        env.stand_in.zone_key(ZONE).as_deref(),
        Some("ZmVlZGZhY2VmZWVkZmFjZWZlZWRmYWNlZmVlZGZhY2U=")
    );
}

// 6. Everything else.

#[test]
fn dry_run_prints_the_signed_request_redacted_and_sends_nothing() {
    let env = start();
    let out = env
        .teo()
        .args([
            "modify-multi-path-gateway-secret-key",
            "--zone-id",
            ZONE,
            "--secret-key",
            "@-",
            "--dry-run",
        ])
        .args(["--region", "ap-guangzhou", "--language", "en-US"])
        .write_stdin(GATEWAY_KEY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(env.stand_in.requests().is_empty());
    assert!(
        text.starts_with(&format!("POST {}/\n", env.stand_in.endpoint())),
        "{text}"
    );
    assert!(
        text.contains("x-tc-action: ModifyMultiPathGatewaySecretKey\n"),
        "{text}"
    );
    assert!(text.contains("x-tc-region: ap-guangzhou\n"), "{text}");
    assert!(text.contains("x-tc-language: en-US\n"), "{text}");
    assert!(
        text.contains("authorization: TC3-HMAC-SHA256 Credential=** redacted **/"),
        "{text}"
    );
    assert!(text.contains(", Signature=** redacted **\n"), "{text}");
    assert!(text.contains("\"SecretKey\": \"** redacted **\""), "{text}");
    assert!(
        !text.contains(GATEWAY_KEY) && !text.contains(StandIn::DEFAULT_SECRET_ID),
        "{text}"
    );
    // The library's rules apply to a dry run too.
    let out = env
        .teo()
        .args(["describe-zones", "--limit", "0", "--no-paginate", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
}

#[test]
fn international_changes_the_endpoint() {
    let env = start();
    let out = env
        .bare()
        .env("TENCENTCLOUD_SECRET_ID", StandIn::DEFAULT_SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", StandIn::DEFAULT_SECRET_KEY)
        .args(["describe-zones", "--international", "--dry-run"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).starts_with("POST https://teo.intl.tencentcloudapi.com/\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn region_and_language_reach_the_service() {
    let env = start();
    env.teo()
        .args(["describe-zones", "--region", "ap-singapore", "--language", "en-US"])
        .assert()
        .success();
    let request = &env.stand_in.requests()[0];
    assert_eq!(request.header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(request.header("x-tc-language"), Some("en-US"));
}

#[test]
fn debug_logs_the_call_with_its_request_id_and_no_secret() {
    let env = start();
    env.stand_in.set_zone_key(ZONE, GATEWAY_KEY);
    let out = env
        .teo()
        .args(["describe-multi-path-gateway-secret-key", "--zone-id", ZONE, "--debug"])
        .output()
        .unwrap();
    let log = stderr(&out);
    let id = json(&out)["RequestId"].as_str().unwrap().to_owned();
    assert!(log.contains(&format!("debug: call request_id={id}\n")), "{log}");
    assert!(log.contains("action=DescribeMultiPathGatewaySecretKey"), "{log}");
    assert!(log.contains("\"SecretKey\":\"** redacted **\""), "{log}");
    assert!(
        !log.contains(GATEWAY_KEY) && !log.contains(StandIn::DEFAULT_SECRET_KEY),
        "{log}"
    );
}

#[test]
fn completions_for_every_shell() {
    let env = start();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = env.bare().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        assert!(script.contains("describe-dns-records"), "{shell}");
        assert!(script.contains("purge-tasks-done"), "{shell}");
    }
}

#[test]
fn api_calls_any_action_by_name() {
    let env = start();
    let out = env
        .teo()
        .args(["api", "DescribeZones", "--cli-input-json", "-"])
        .write_stdin("{}")
        .output()
        .unwrap();
    assert_eq!(json(&out)["Zones"][0]["ZoneId"], ZONE);
    // An action this binary does not know goes out as given; here the service does not know it
    // either, and says so.
    let out = env
        .teo()
        .args(["api", "DescribeZonesOfTomorrow", "--cli-input-json", "-"])
        .write_stdin(r#"{"Limit": 1}"#)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(254));
    let requests = env.stand_in.requests();
    assert_eq!(requests[1].action.as_deref(), Some("DescribeZonesOfTomorrow"));
    assert!(requests[1].verification.passed());
    assert_eq!(requests[1].body_json().unwrap(), json!({"Limit": 1}));
}

#[test]
fn exit_codes_follow_aws_cli() {
    let env = start();
    // 254: the service's code, message and RequestId on stderr.
    let out = env
        .teo()
        .args(["describe-dns-records", "--zone-id", "zone-missing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(254));
    let err = stderr(&out);
    let id = env.stand_in.requests()[0].clone();
    assert!(err.starts_with("teo: the service answered ResourceNotFound: "), "{err}");
    assert!(err.contains("(RequestId "), "{err} {id:?}");
    // 252: bad usage.
    assert_eq!(
        env.teo().args(["describe-zonez"]).output().unwrap().status.code(),
        Some(252)
    );
    assert_eq!(
        env.teo()
            .args(["describe-zones", "--nope"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(252)
    );
    // 253: configuration (an endpoint that is not a URL).
    let out = env
        .bare()
        .args(["describe-zones", "--endpoint", "not a url"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(253), "{}", stderr(&out));
    // 255: anything else (nothing listens there).
    let out = env
        .teo()
        .args(["describe-zones", "--endpoint", "http://127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_130() {
    let env = start();
    env.stand_in.set_task_polls(1000);
    let job = purge(&env, "https://example.com/forever.js");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("teo"))
        .env("TENCENTCLOUD_SECRET_ID", StandIn::DEFAULT_SECRET_ID)
        .env("TENCENTCLOUD_SECRET_KEY", StandIn::DEFAULT_SECRET_KEY)
        .env("HOME", &env.home)
        .args([
            "wait",
            "purge-tasks-done",
            "--zone-id",
            ZONE,
            "--filters",
            &job_filter(&job),
        ])
        .args(["--endpoint", &env.stand_in.endpoint()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Once it has polled, it is inside the wait.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !env.actions().iter().any(|a| a == "DescribePurgeTasks") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert_eq!(stderr(&out), "teo: interrupted\n");
}

#[test]
fn the_readme_dns01_workflow_adds_and_removes_the_txt_record() {
    let env = start();
    let out = env
        .teo()
        .args([
            "describe-zones",
            "--filters",
            r#"{"Name":"zone-name","Values":["example.com"]}"#,
        ])
        .args(["--query", "Zones[0].ZoneId", "-o", "text"])
        .output()
        .unwrap();
    let zone = stdout(&out).trim().to_owned();
    assert_eq!(zone, ZONE);
    let out = env
        .teo()
        .args([
            "create-dns-record",
            "--zone-id",
            &zone,
            "--type",
            "TXT",
            "--name",
            "_acme-challenge.example.com",
        ])
        .args([
            "--content",
            "token-123",
            "--ttl",
            "60",
            "--query",
            "RecordId",
            "-o",
            "text",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let record = stdout(&out).trim().to_owned();
    let records = env.stand_in.dns_records(ZONE);
    assert_eq!(records.len(), 1);
    assert_eq!(
        (records[0].record_type.as_str(), records[0].content.as_str()),
        ("TXT", "token-123")
    );
    env.teo()
        .args(["delete-dns-records", "--zone-id", &zone, "--record-ids", &record])
        .assert()
        .success();
    assert!(env.stand_in.dns_records(ZONE).is_empty());
}

#[test]
fn timeout_bounds_each_attempt() {
    let env = start();
    env.stand_in
        .fail_next(3, teo_stand_in::Fault::Delay(std::time::Duration::from_secs(3)));
    let out = env.teo().args(["describe-zones", "--timeout", "1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));
    assert!(stderr(&out).contains("1s"), "{}", stderr(&out));
}
