//! The command tree: global flags, one command per action built from the table, `wait`, `api`
//! and `completions`.
//!
//! A run parses twice, cheaply: first the global flags and the command's name (the rest is kept
//! as given), then the chosen action's or waiter's own flags with a command built for it alone.
//! The whole tree, every action with every flag, is built only for `--help` and `completions`.

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::spec_types::{Action, Kind, Member, Waiter};
use crate::table::{ACTIONS, WAITERS};

/// The global flags' ids, which a member's flag must not reuse.
pub const GLOBAL_FLAGS: &[&str] = &[
    "output",
    "query",
    "filter",
    "cli-input-json",
    "generate-cli-skeleton",
    "no-paginate",
    "page-size",
    "max-items",
    "profile",
    "endpoint",
    "region",
    "language",
    "international",
    "timeout",
    "dry-run",
    "debug",
    "show-secrets",
    "help",
    "version",
];

/// The flags every command takes. `wait_timeout`: in `teo wait`, `--timeout` is how long to
/// wait, not the time allowed for one request.
pub fn global_args(wait_timeout: bool) -> Vec<Arg> {
    let mut args = vec![
        Arg::new("output")
            .long("output")
            .short('o')
            .value_name("FORMAT")
            .value_parser(["json", "text", "table", "off"])
            .help("How to print the answer: json (default), text, table or off"),
        Arg::new("query")
            .long("query")
            .alias("filter")
            .value_name("JMESPATH")
            .help("A JMESPath expression applied to the answer (after paging); --filter is accepted too"),
        Arg::new("cli-input-json")
            .long("cli-input-json")
            .value_name("FILE|-")
            .help("Read the whole request as JSON from a file, or from standard input with -; flags override it"),
        Arg::new("generate-cli-skeleton")
            .long("generate-cli-skeleton")
            .action(ArgAction::SetTrue)
            .help("Print a request template with every member (required ones marked) and exit"),
        Arg::new("no-paginate")
            .long("no-paginate")
            .action(ArgAction::SetTrue)
            .help("Send one request as given instead of reading every page"),
        Arg::new("page-size")
            .long("page-size")
            .value_name("N")
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("Items asked for per page when paging (at most the action's largest page)"),
        Arg::new("max-items")
            .long("max-items")
            .value_name("N")
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("Stop paging once this many items were read, and print at most that many"),
        Arg::new("profile")
            .long("profile")
            .value_name("NAME")
            .help("The credentials profile (~/.tencentcloud/credentials, else ~/.tccli/NAME.credential)"),
        Arg::new("endpoint")
            .long("endpoint")
            .value_name("URL")
            .help("Send requests to this URL instead of the service's endpoint"),
        Arg::new("region")
            .long("region")
            .value_name("REGION")
            .help("The region header (X-TC-Region)"),
        Arg::new("language")
            .long("language")
            .value_name("LANG")
            .value_parser(["zh-CN", "en-US"])
            .help("The language of the service's messages: zh-CN or en-US"),
        Arg::new("international")
            .long("international")
            .action(ArgAction::SetTrue)
            .help("Use the international site's endpoint"),
        Arg::new("dry-run")
            .long("dry-run")
            .action(ArgAction::SetTrue)
            .help("Check and sign the request, print it (secrets and signature redacted) and send nothing"),
        Arg::new("debug")
            .long("debug")
            .action(ArgAction::SetTrue)
            .help("Log each request and answer on stderr, redacted, with the RequestId"),
        Arg::new("show-secrets")
            .long("show-secrets")
            .action(ArgAction::SetTrue)
            .help("Print sensitive members of the answer instead of redacting them"),
    ];
    args.push(if wait_timeout {
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECONDS")
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("How long to wait before giving up (default 600)")
    } else {
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECONDS")
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("Time allowed for each request attempt (default 30)")
    });
    args
}

/// The first parse: global flags, then a command and everything after it, unparsed.
pub fn top() -> Command {
    Command::new("teo")
        .about("The Tencent Cloud EdgeOne (TEO) command line: every action of the API 2022-09-01")
        .version(env!("CARGO_PKG_VERSION"))
        .args(global_args(false))
        .allow_external_subcommands(true)
        .subcommand_value_name("COMMAND")
        .after_help(
            "Commands: an action in kebab-case (describe-zones) or as tccli spells it (DescribeZones), \
                     wait WAITER, api ACTION, completions SHELL. `teo --help` lists every action.",
        )
}

/// The flag of a member: its kebab-case name, unless a global flag has it.
pub fn member_flag(member: &Member) -> String {
    if GLOBAL_FLAGS.contains(&member.flag) {
        format!("{}-member", member.flag)
    } else {
        member.flag.to_owned()
    }
}

/// The flag of one request member, with tccli's spelling (`--ZoneId`) as an alias.
fn member_arg(member: &'static Member) -> Arg {
    let mut help = member.doc.to_owned();
    if member.required {
        help.insert_str(0, "[required] ");
    }
    if member.sensitive {
        help.push_str(" (secret: pass @PATH or @- for standard input)");
    } else if member.list {
        help.push_str(" (repeat the flag, or give a JSON list)");
    }
    let arg = Arg::new(member.wire)
        .long(member_flag(member))
        .alias(member.wire)
        .value_name(match member.kind {
            Kind::Str => "TEXT",
            Kind::Int | Kind::Uint => "INT",
            Kind::Float => "NUMBER",
            Kind::Bool => "BOOL",
            Kind::Json => "JSON",
        })
        .allow_hyphen_values(true)
        .help(help);
    match (member.kind, member.list) {
        (_, true) => arg.action(ArgAction::Append),
        (Kind::Bool, false) => arg.num_args(0..=1).default_missing_value("true").action(ArgAction::Set),
        _ => arg.action(ArgAction::Set),
    }
}

/// The command of one action, with the global flags (they may come after the action's name).
pub fn action_command(action: &'static Action) -> Command {
    Command::new(action.command)
        .about(action.doc)
        .alias(action.name)
        .args(global_args(false))
        .args(action.input.iter().map(member_arg))
}

/// `teo wait <waiter>`: the polled action's flags with the wait's `--timeout`.
pub fn waiter_command(waiter: &'static Waiter) -> Command {
    let members = crate::spec_types::find_action(waiter.action)
        .map(|a| a.input)
        .unwrap_or(&[]);
    Command::new(waiter.command)
        .about(waiter.doc)
        .alias(waiter.name)
        .args(global_args(true))
        .args(members.iter().map(member_arg))
}

/// `teo api <Action>`: an action by its wire name, known to this binary or not.
pub fn api_command() -> Command {
    Command::new("api")
        .about("Call any action by its wire name with --cli-input-json (for actions newer than this binary)")
        .arg(Arg::new("action").required(true).value_name("ACTION"))
        .args(global_args(false))
}

/// `teo completions <shell>`.
pub fn completions_command() -> Command {
    Command::new("completions")
        .about("Print a shell completion script: bash, zsh, fish or powershell")
        .arg(
            Arg::new("shell")
                .required(true)
                .value_parser(["bash", "zsh", "fish", "powershell"]),
        )
}

/// The whole tree: every action and waiter with every flag, for help and completions.
pub fn full() -> Command {
    let wait = Command::new("wait")
        .about("Wait until a condition holds: exit 0 done, 1 failed, 124 timed out")
        .subcommand_required(true)
        .subcommands(WAITERS.iter().map(waiter_command));
    top()
        .allow_external_subcommands(false)
        .subcommands(ACTIONS.iter().map(action_command))
        .subcommand(wait)
        .subcommand(api_command())
        .subcommand(completions_command())
}

/// What a global flag holds, whether it came before or after the command.
pub fn flag_str<'a>(first: &'a ArgMatches, second: Option<&'a ArgMatches>, id: &str) -> Option<&'a String> {
    second
        .and_then(|m| m.try_get_one::<String>(id).ok().flatten())
        .or_else(|| first.try_get_one::<String>(id).ok().flatten())
}

/// Whether a global switch is on, before or after the command.
pub fn flag_on(first: &ArgMatches, second: Option<&ArgMatches>, id: &str) -> bool {
    let on = |m: &ArgMatches| m.try_get_one::<bool>(id).ok().flatten().copied().unwrap_or(false);
    second.is_some_and(on) || on(first)
}

/// A global number, before or after the command.
pub fn flag_u64(first: &ArgMatches, second: Option<&ArgMatches>, id: &str) -> Option<u64> {
    second
        .and_then(|m| m.try_get_one::<u64>(id).ok().flatten().copied())
        .or_else(|| first.try_get_one::<u64>(id).ok().flatten().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_tree_is_consistent() {
        // clap checks a command's definition (duplicate flags, bad ids) in debug builds.
        full().debug_assert();
    }
}
