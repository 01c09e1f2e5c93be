//! `cargo run -p codegen [-- --check] [--spec PATH] [--out DIR]`: regenerate the client, or
//! check that the committed client matches the spec.

#![forbid(unsafe_code)]

mod import_cmd;
mod workspace;

/// Generation allocates and frees many small token and string buffers; mimalloc makes that
/// cheaper than the system allocator (see the crate comment in `Cargo.toml`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub(crate) const USAGE: &str = "usage: codegen [--check] [--spec PATH] [--out DIR]
       codegen import --from API_JSON [--docs-from API_JSON] (--action NAME ... | --all)
                      [--errors CODES_JSON] [--spec PATH] [--dry-run]

  (no flags)    regenerate generated-client/src from spec/teo-2022-09-01.json
  --check       write nothing; exit 1 and name each file that differs from what the spec produces
  --spec PATH   the spec to read (default: spec/teo-2022-09-01.json in the workspace)
  --out DIR     the crate source directory to write (default: generated-client/src in the workspace)

The workspace is found when the command runs, never where it was built: the one `cargo run` ran
it in (CARGO_MANIFEST_DIR), else the nearest directory at or above the current one whose
Cargo.toml has a [workspace] table. With both --spec and --out given, none is needed.

import adds actions (and every object they reach) from Tencent's api.json to the spec:
  --from PATH       the official description the actions, members and types come from: the
                    api.json of tccli (China site, Chinese text) or of tccli-intl-en
                    (international site, English text)
  --docs-from PATH  another api.json of the same service and version to take documentation from:
                    each action, object and member it documents gets its text (and upstream
                    fingerprint) from there, the rest keeps --from's; the report counts both.
                    `--from <tccli's> --docs-from <tccli-intl-en's>` imports every China-site
                    action with English text wherever there is one
  --action NAME     an action to import; repeat for more
  --all             import every action
  --errors PATH     error codes to merge: a JSON array (for every imported action) or an object
                    mapping action names to arrays
  --dry-run         report what would change, write nothing";

struct Args {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
    /// The workspace, when one was found (for the spec's name in the generated header).
    workspace: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut check = false;
    let mut spec: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec = Some(it.next().ok_or("--spec needs a path")?.into()),
            "--out" => out = Some(it.next().ok_or("--out needs a directory")?.into()),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    // With both paths given no workspace is needed; one found is still used for the spec's name.
    let found = workspace::find();
    let (spec, out) = match (spec, out) {
        (Some(spec), Some(out)) => (spec, out),
        (spec, out) => {
            let root = found
                .clone()?
                .ok_or_else(|| workspace::not_found("both --spec PATH and --out DIR"))?;
            (
                spec.unwrap_or_else(|| root.join(DEFAULT_SPEC)),
                out.unwrap_or_else(|| root.join(DEFAULT_OUT)),
            )
        }
    };
    Ok(Args {
        check,
        spec,
        out,
        workspace: found.ok().flatten(),
    })
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("import") {
        return import_cmd::run(std::env::args().skip(2).collect());
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let text = match std::fs::read_to_string(&args.spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read spec {}: {e}", args.spec.display());
            return ExitCode::FAILURE;
        }
    };
    let spec_name = workspace::display_name(&args.spec, args.workspace.as_deref());
    let files = match codegen::generate(&text, &spec_name) {
        Ok(f) => f,
        Err(diags) => {
            eprintln!("{spec_name}:\n{diags}");
            return ExitCode::FAILURE;
        }
    };
    let drift = match codegen::write::diff(&args.out, &files, codegen::OWNED_PATHS) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.out.display());
            return ExitCode::FAILURE;
        }
    };
    if args.check {
        if drift.is_empty() {
            println!("{} generated files match {spec_name}", files.len());
            return ExitCode::SUCCESS;
        }
        for line in drift.lines() {
            eprintln!("{line}");
        }
        eprintln!("the generated client is out of date; run `cargo run -p codegen`");
        return ExitCode::FAILURE;
    }
    if let Err(e) = codegen::write::apply(&args.out, &files, &drift) {
        eprintln!(
            "error: writing the generated client failed: {e}; files are replaced whole, so fix the cause and run the generator again"
        );
        return ExitCode::FAILURE;
    }
    let changed = drift.missing.len() + drift.changed.len();
    println!(
        "{} files from {spec_name}: {changed} written, {} removed, {} unchanged ({:.1} ms)",
        files.len(),
        drift.stale.len(),
        files.len() - changed,
        started.elapsed().as_secs_f64() * 1e3
    );
    ExitCode::SUCCESS
}

/// The default spec, relative to the workspace.
pub(crate) const DEFAULT_SPEC: &str = "spec/teo-2022-09-01.json";

/// The default output directory, relative to the workspace.
const DEFAULT_OUT: &str = "generated-client/src";
