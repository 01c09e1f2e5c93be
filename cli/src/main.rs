//! `teo`, the Tencent Cloud EdgeOne (TEO) command line.
//!
//! Every action of the spec is a command (`teo describe-zones`, or tccli's `DescribeZones`), its
//! request members flags (`--zone-id`, or `--ZoneId`). What differs per action is data, in the
//! generated `table` (`cargo run -p codegen` writes it from the spec); the code here is the same
//! for every action and calls through the client's call-by-name door (`send_json`), so the
//! library's validation, signing, retries and redaction apply. See `docs/cli.md`.
#![forbid(unsafe_code)]

mod calls;
mod cmdline;
mod credentials;
mod debug_log;
mod failure;
mod input;
mod output;
mod run;
mod spec_types;
#[rustfmt::skip]
mod table;
mod waiting;

use std::io::Write as _;
use std::process::ExitCode;

use failure::Failure;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => return report(Failure::other(format!("cannot start the async runtime: {e}"))),
    };
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let outcome = runtime.block_on(async {
        tokio::select! {
            outcome = run::run(args) => outcome,
            _ = tokio::signal::ctrl_c() => Err(Failure {
                code: failure::INTERRUPTED,
                message: "interrupted".to_owned(),
            }),
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => report(f),
    }
}

/// Prints a failure's message on stderr and turns its code into the exit code.
fn report(failure: Failure) -> ExitCode {
    if !failure.message.is_empty() {
        let _ = writeln!(std::io::stderr().lock(), "teo: {}", failure.message);
    }
    ExitCode::from(failure.code)
}
