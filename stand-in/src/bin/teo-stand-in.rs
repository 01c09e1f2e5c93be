//! `teo-stand-in`: the loopback TEO stand-in as a program, for the command line, shell scripts
//! and other tools to try without an account.
//!
//! ```text
//! teo-stand-in [--port N] [--zone NAME]... [--records N] [--task-polls N]
//! ```
//!
//! It prints `endpoint http://127.0.0.1:N` as its first line, then the credentials it accepts
//! (`secret-id ...`, `secret-key ...`, fixed values that are not secrets) and one `zone ID NAME`
//! line per zone, and serves until it is stopped (Ctrl-C or a signal). Without `--zone` it has
//! one zone, `example.com`. `--records N` seeds N DNS records in the first zone; `--task-polls N`
//! sets how many `Describe*Tasks` answers show a new purge or prefetch task as `processing`.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::process::ExitCode;

use teo_stand_in::StandIn;

const USAGE: &str = "usage: teo-stand-in [--port N] [--zone NAME]... [--records N] [--task-polls N]";

/// The parsed command line.
#[derive(Debug, Default)]
struct Options {
    port: u16,
    zones: Vec<String>,
    records: usize,
    task_polls: Option<u32>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = |what: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs {what}\n{USAGE}"))
        };
        let number = |text: String, flag: &str| format!("{flag}: expected a number, got {text:?}\n{USAGE}");
        match flag.as_str() {
            "--port" => {
                let v = value("a port number")?;
                options.port = v.parse().map_err(|_| number(v, "--port"))?;
            }
            "--zone" => options.zones.push(value("a zone name")?),
            "--records" => {
                let v = value("a count")?;
                options.records = v.parse().map_err(|_| number(v, "--records"))?;
            }
            "--task-polls" => {
                let v = value("a count")?;
                options.task_polls = Some(v.parse().map_err(|_| number(v, "--task-polls"))?);
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if options.zones.is_empty() {
        options.zones.push("example.com".to_owned());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(o) => o,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "teo-stand-in: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "teo-stand-in: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: Options) -> Result<(), String> {
    let stand_in = StandIn::builder()
        .port(options.port)
        .start()
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", options.port))?;
    let mut lines = vec![
        format!("endpoint {}", stand_in.endpoint()),
        format!("secret-id {}", StandIn::DEFAULT_SECRET_ID),
        format!("secret-key {}", StandIn::DEFAULT_SECRET_KEY),
    ];
    let mut first = None;
    for name in &options.zones {
        let id = stand_in.add_zone(name.clone());
        lines.push(format!("zone {id} {name}"));
        first.get_or_insert(id);
    }
    if let (Some(zone), true) = (&first, options.records > 0) {
        stand_in
            .add_dns_records(zone, options.records)
            .map_err(|e| format!("cannot seed records: {e}"))?;
    }
    if let Some(polls) = options.task_polls {
        stand_in.set_task_polls(polls);
    }
    {
        let mut out = std::io::stdout().lock();
        for line in &lines {
            writeln!(out, "{line}").map_err(|e| format!("cannot write to stdout: {e}"))?;
        }
        out.flush().map_err(|e| format!("cannot write to stdout: {e}"))?;
    }
    // Serves until the process is stopped.
    std::future::pending::<()>().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn flags_are_read_and_bad_ones_named() {
        let o = parse(&args(&[
            "--port",
            "8080",
            "--zone",
            "a.com",
            "--zone",
            "b.com",
            "--records",
            "3",
        ]))
        .unwrap();
        assert_eq!(
            (o.port, o.zones.clone(), o.records),
            (8080, vec!["a.com".to_owned(), "b.com".to_owned()], 3)
        );
        assert_eq!(parse(&[]).unwrap().zones, vec!["example.com".to_owned()]);
        let e = parse(&args(&["--records", "many"])).unwrap_err();
        assert!(e.starts_with("--records: expected a number, got \"many\""), "{e}");
        assert!(parse(&args(&["--port"]))
            .unwrap_err()
            .starts_with("--port needs a port number"));
    }
}
