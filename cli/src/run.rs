//! One run of `teo`: parse, build the request, call (or dry-run, or wait), print.

use std::ffi::OsString;
use std::time::Duration;

use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::calls::{Caller, PageOptions};
use crate::cmdline::{self, flag_on, flag_str, flag_u64};
use crate::credentials::CliCredentials;
use crate::failure::{self, Failure};
use crate::input::{self, Stdin};
use crate::output::{self, Format};
use crate::spec_types::{find_action, find_waiter, Action};
use crate::{debug_log, waiting};

/// Runs the command line `args` (the program's name first).
pub async fn run(args: Vec<OsString>) -> Result<(), Failure> {
    let wants_help = args.len() < 2 || matches!(args[1].to_str(), Some("-h" | "--help" | "help"));
    if wants_help {
        return output::print(&format!("{}\n", cmdline::full().render_help()));
    }
    let top = parse(cmdline::top(), args)?;
    let Some((command, sub)) = top.subcommand() else {
        return Err(Failure::usage("no command given; `teo --help` lists them"));
    };
    let rest: Vec<OsString> = sub
        .get_many::<OsString>("")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    match command {
        "completions" => completions(rest),
        "api" => api(&top, rest).await,
        "wait" => wait(&top, rest).await,
        name => match find_action(name) {
            Some(action) => call(&top, action, rest).await,
            None => Err(Failure::usage(format!(
                "unknown command {name:?}: not an action of this binary (`teo --help` lists them; \
                 `teo api {name} --cli-input-json FILE` calls an action by its wire name)"
            ))),
        },
    }
}

/// Parses with clap; help and version are printed and end the run well, other errors are
/// usage errors (clap's own message, which names the flag).
fn parse(command: clap::Command, args: impl IntoIterator<Item = OsString>) -> Result<ArgMatches, Failure> {
    command.try_get_matches_from(args).map_err(|e| {
        use clap::error::ErrorKind;
        match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                let _ = output::print(&e.render().to_string());
                Failure {
                    code: 0,
                    message: String::new(),
                }
            }
            _ => Failure::usage(
                e.render()
                    .to_string()
                    .trim_end()
                    .trim_start_matches("error: ")
                    .to_owned(),
            ),
        }
    })
}

/// A command's own argument list: its name, then the rest.
fn with_name(name: &str, rest: Vec<OsString>) -> Vec<OsString> {
    std::iter::once(OsString::from(name)).chain(rest).collect()
}

fn completions(rest: Vec<OsString>) -> Result<(), Failure> {
    let m = parse(cmdline::completions_command(), with_name("completions", rest))?;
    let shell = match m.get_one::<String>("shell").map(String::as_str) {
        Some("zsh") => clap_complete::Shell::Zsh,
        Some("fish") => clap_complete::Shell::Fish,
        Some("powershell") => clap_complete::Shell::PowerShell,
        _ => clap_complete::Shell::Bash,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmdline::full(), "teo", &mut script);
    output::print(&String::from_utf8_lossy(&script))
}

/// The settings every call shares, from the flags before and after the command.
struct Settings<'a> {
    first: &'a ArgMatches,
    second: &'a ArgMatches,
}

impl Settings<'_> {
    fn str(&self, id: &str) -> Option<&String> {
        flag_str(self.first, Some(self.second), id)
    }

    fn on(&self, id: &str) -> bool {
        flag_on(self.first, Some(self.second), id)
    }

    fn u64(&self, id: &str) -> Option<u64> {
        flag_u64(self.first, Some(self.second), id)
    }

    /// The client's builder: credentials, endpoint, region, language, timeout.
    fn builder(&self, attempt_timeout: Option<u64>) -> generated_client::ClientBuilder {
        let mut b = generated_client::Client::builder()
            .credentials_provider(CliCredentials::new(self.str("profile").map(String::as_str)));
        if let Some(url) = self.str("endpoint") {
            b = b.endpoint(url.clone());
        }
        if self.on("international") {
            b = b.international();
        }
        if let Some(region) = self.str("region") {
            b = b.region(region.clone());
        }
        match self.str("language").map(String::as_str) {
            Some("en-US") => b = b.language(generated_client::Language::EnUs),
            Some("zh-CN") => b = b.language(generated_client::Language::ZhCn),
            _ => {}
        }
        if let Some(secs) = attempt_timeout {
            b = b.timeout(Duration::from_secs(secs));
        }
        b
    }

    fn caller(&self, attempt_timeout: Option<u64>) -> Result<Caller, Failure> {
        let client = self
            .builder(attempt_timeout)
            .build()
            .map_err(|e| Failure::config(e.to_string()))?;
        Ok(Caller {
            client,
            debug: self.on("debug"),
        })
    }

    fn pages(&self) -> PageOptions {
        PageOptions {
            no_paginate: self.on("no-paginate"),
            page_size: self.u64("page-size"),
            max_items: self.u64("max-items"),
        }
    }

    /// Redacts (unless `--show-secrets`), queries and prints an answer.
    fn finish(&self, mut answer: Value, sensitive: &[&str]) -> Result<(), Failure> {
        if !self.on("show-secrets") {
            output::redact(&mut answer, sensitive);
        }
        if let Some(expression) = self.str("query") {
            answer = output::query(answer, expression)?;
        }
        let format = Format::parse(self.str("output").map(String::as_str));
        output::print(&output::render(&answer, format))
    }

    /// `--dry-run`: the request checked (typed, when the action is known), signed and printed.
    async fn dry_run(&self, name: &str, body: String, known: Option<&Action>) -> Result<(), Failure> {
        let body = match known {
            Some(action) => {
                let client = self
                    .builder(self.u64("timeout"))
                    .build()
                    .map_err(|e| Failure::config(e.to_string()))?;
                client
                    .check_json(action.name, &body)
                    .map_err(|e| failure::from_dynamic(e, Some(action)))?
            }
            None => body,
        };
        let handle = self
            .builder(self.u64("timeout"))
            .build_handle()
            .map_err(|e| Failure::config(e.to_string()))?;
        let signed = handle
            .sign_only(name, body.into_bytes())
            .await
            .map_err(|e| failure::from_call(e, known))?;
        let mut shown: Value = serde_json::from_slice(&signed.body).unwrap_or(Value::Null);
        output::redact(&mut shown, known.map(|a| a.sensitive).unwrap_or(&[]));
        let mut text = format!("POST {}\n", signed.url);
        for (name, value) in &signed.headers {
            text.push_str(&format!("{name}: {value}\n"));
        }
        text.push('\n');
        text.push_str(&serde_json::to_string_pretty(&shown).unwrap_or_default());
        text.push_str("\n(dry run: nothing was sent)\n");
        output::print(&text)
    }

    fn start_debug(&self) {
        if self.on("debug") {
            debug_log::install();
        }
    }
}

/// What an action's command and a waiter's share before sending: the skeleton, the request read
/// from `--cli-input-json` and the flags and checked, the debug log, the dry run. `None` when the
/// command is done already (a skeleton printed, a dry run shown).
async fn start(
    s: &Settings<'_>,
    action: &'static Action,
    sub: &ArgMatches,
) -> Result<Option<serde_json::Map<String, Value>>, Failure> {
    if s.on("generate-cli-skeleton") {
        output::print(&output::render(&input::skeleton(action), Format::Json))?;
        return Ok(None);
    }
    let mut stdin = Stdin::default();
    let base = input::cli_input(s.str("cli-input-json"), &mut stdin)?;
    let request = input::request(action, sub, base, &mut stdin)?;
    input::check_required(action, &request)?;
    s.start_debug();
    if s.on("dry-run") {
        s.dry_run(action.name, Value::Object(request).to_string(), Some(action))
            .await?;
        return Ok(None);
    }
    Ok(Some(request))
}

/// `teo <action> [flags]`.
async fn call(top: &ArgMatches, action: &'static Action, rest: Vec<OsString>) -> Result<(), Failure> {
    let sub = parse(cmdline::action_command(action), with_name(action.command, rest))?;
    let s = Settings {
        first: top,
        second: &sub,
    };
    let Some(request) = start(&s, action, &sub).await? else {
        return Ok(());
    };
    let caller = s.caller(s.u64("timeout"))?;
    let answer = caller.paged(action, request, s.pages()).await?;
    s.finish(answer, action.sensitive)
}

/// `teo wait <waiter> [flags]`.
async fn wait(top: &ArgMatches, mut rest: Vec<OsString>) -> Result<(), Failure> {
    let name = if rest.is_empty() { None } else { Some(rest.remove(0)) };
    let name = name.as_ref().and_then(|n| n.to_str());
    let Some(name) = name.filter(|n| !n.starts_with('-')) else {
        let help = cmdline::full()
            .find_subcommand_mut("wait")
            .map(|c| c.render_help().to_string())
            .unwrap_or_default();
        return Err(Failure::usage(format!("wait needs a waiter\n\n{help}")));
    };
    let Some(waiter) = find_waiter(name) else {
        let known: Vec<&str> = crate::table::WAITERS.iter().map(|w| w.command).collect();
        return Err(Failure::usage(format!(
            "unknown waiter {name:?}; the waiters are {}",
            known.join(", ")
        )));
    };
    let Some(action) = find_action(waiter.action) else {
        return Err(Failure::other(format!(
            "the waiter {} polls an action this binary lacks",
            waiter.name
        )));
    };
    let sub = parse(cmdline::waiter_command(waiter), with_name(waiter.command, rest))?;
    let s = Settings {
        first: top,
        second: &sub,
    };
    let Some(request) = start(&s, action, &sub).await? else {
        return Ok(());
    };
    // Before `wait`, --timeout is each attempt's; after it, the wait's.
    let attempt_timeout = flag_u64(top, None, "timeout");
    let max_wait = sub
        .try_get_one::<u64>("timeout")
        .ok()
        .flatten()
        .map_or(waiting::DEFAULT_TIMEOUT, |s| Duration::from_secs(*s));
    let caller = s.caller(attempt_timeout)?;
    let items = waiting::wait(&caller, waiter, action, request, max_wait).await?;
    s.finish(items, action.sensitive)
}

/// `teo api <Action> --cli-input-json <file|->`: any action by its wire name.
async fn api(top: &ArgMatches, rest: Vec<OsString>) -> Result<(), Failure> {
    let sub = parse(cmdline::api_command(), with_name("api", rest))?;
    let s = Settings {
        first: top,
        second: &sub,
    };
    let name = sub.get_one::<String>("action").cloned().unwrap_or_default();
    let mut stdin = Stdin::default();
    let request: Map<String, Value> = input::cli_input(s.str("cli-input-json"), &mut stdin)?;
    s.start_debug();
    let known = find_action(&name).filter(|a| a.name == name);
    let body = Value::Object(request.clone()).to_string();
    if s.on("dry-run") {
        return s.dry_run(&name, body, known).await;
    }
    match known {
        Some(action) => {
            let caller = s.caller(s.u64("timeout"))?;
            let answer = caller.once(action, &request).await?;
            s.finish(answer, action.sensitive)
        }
        None => {
            let handle = s
                .builder(s.u64("timeout"))
                .build_handle()
                .map_err(|e| Failure::config(e.to_string()))?;
            if s.on("debug") {
                debug_log::line(&format!("request {name} {body}"));
            }
            let answer = handle
                .send_raw(&name, body.into_bytes())
                .await
                .map_err(|e| failure::from_call(e, None))?;
            let answer: Value = serde_json::from_str(&answer)
                .map_err(|e| Failure::other(format!("the answer of {name} is not JSON: {e}")))?;
            s.finish(answer, &[])
        }
    }
}
