//! `cargo run -p codegen [-- --check] [--spec PATH --crate DIR]`: regenerate the clients, or
//! check that the committed clients match their specs.

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

pub(crate) const USAGE: &str = "usage: codegen [--check] [--spec PATH --crate DIR [--runtime DIR]]
       codegen import --from API_JSON [--docs-from API_JSON] (--action NAME ... | --all)
                      [--category NAME] [--errors CODES_JSON] [--spec PATH] [--dry-run]

  (no flags)    regenerate every client crate of the workspace, whole (manifest, lib.rs and
                modules): generated-client from spec/teo-2022-09-01.json, ssl-client from
                spec/ssl-2019-12-05.json
  --check       write nothing; exit 1 and name each file that differs from what the spec produces
  --spec PATH   the spec to read; with --crate
  --crate DIR   write a whole crate for the spec into DIR: Cargo.toml (package named after DIR,
                depending on the runtime by path), src/lib.rs and every module; DIR gets its own
                [workspace] table unless the workspace's members list it
  --runtime DIR the runtime crate a --crate depends on (default: runtime/ in the workspace)

The workspace is found when the command runs, never where it was built: the one `cargo run` ran
it in (CARGO_MANIFEST_DIR), else the nearest directory at or above the current one whose
Cargo.toml has a [workspace] table.

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
  --category NAME   the category (cargo feature) the added actions belong to; required when
                    the spec declares categories (actions already there keep theirs)
  --errors PATH     error codes to merge: a JSON array (for every imported action) or an object
                    mapping action names to arrays
  --dry-run         report what would change, write nothing";

struct Args {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
    /// With `--crate`: the crate directory and its manifest.
    whole: Option<Whole>,
    /// The workspace, when one was found (for the spec's name in the generated header).
    workspace: Option<PathBuf>,
}

/// A crate generated whole.
struct Whole {
    dir: PathBuf,
    package: String,
    runtime: PathBuf,
    member: bool,
}

/// What to generate: one target as the flags say, or, with none of `--spec`, `--runtime` and
/// `--crate`, every client of the workspace, each generated whole ([`WHOLE_CRATES`]).
fn parse_targets() -> Result<Vec<Args>, String> {
    let flags: Vec<String> = std::env::args().skip(1).collect();
    let chooses = flags
        .iter()
        .any(|f| matches!(f.as_str(), "--spec" | "--crate" | "--runtime"));
    let first = parse_args(&flags)?;
    if chooses {
        return Ok(vec![first]);
    }
    let root = first
        .workspace
        .clone()
        .ok_or_else(|| workspace::not_found("--spec PATH and --crate DIR"))?;
    let mut targets = Vec::new();
    for (spec, dir) in WHOLE_CRATES {
        // A copy of the workspace without that service's spec simply has no such client.
        if !root.join(spec).is_file() {
            continue;
        }
        let mut more = flags.clone();
        more.extend([
            "--spec".to_owned(),
            root.join(spec).display().to_string(),
            "--crate".to_owned(),
            root.join(dir).display().to_string(),
        ]);
        targets.push(parse_args(&more)?);
    }
    Ok(targets)
}

fn parse_args(flags: &[String]) -> Result<Args, String> {
    let mut check = false;
    let mut spec: Option<PathBuf> = None;
    let mut whole_dir: Option<PathBuf> = None;
    let mut runtime: Option<PathBuf> = None;
    let mut it = flags.iter().cloned();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec = Some(it.next().ok_or("--spec needs a path")?.into()),
            "--crate" => whole_dir = Some(it.next().ok_or("--crate needs a directory")?.into()),
            "--runtime" => runtime = Some(it.next().ok_or("--runtime needs a directory")?.into()),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    if runtime.is_some() && whole_dir.is_none() {
        return Err(format!("--runtime only goes with --crate\n\n{USAGE}"));
    }
    // With both paths given no workspace is needed; one found is still used for the spec's name.
    let found = workspace::find();
    let whole = match whole_dir {
        None => None,
        Some(dir) => Some(whole_crate(dir, runtime, found.clone().ok().flatten(), !check)?),
    };
    let out = whole.as_ref().map(|w| w.dir.join("src"));
    let (spec, out) = match (spec, out) {
        (Some(spec), Some(out)) => (spec, out),
        (spec, out) => {
            let root = found
                .clone()?
                .ok_or_else(|| workspace::not_found("--spec PATH and --crate DIR"))?;
            // The default output belongs to the default spec: another spec written there would
            // replace the TEO client's modules under its manifest and root.
            if spec.is_some() && out.is_none() {
                return Err(format!(
                    "--spec PATH needs --crate DIR (the crate to write); without --spec, every client of \
                     the workspace is regenerated\n\n{USAGE}"
                ));
            }
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
        whole,
        workspace: found.ok().flatten(),
    })
}

/// Where a `--crate` goes, what its package is called, which runtime it uses, and whether the
/// workspace has it as a member.
fn whole_crate(
    dir: PathBuf,
    runtime: Option<PathBuf>,
    workspace: Option<PathBuf>,
    create: bool,
) -> Result<Whole, String> {
    // `--check` writes nothing, so a crate directory that is not there is reported, not made.
    if create {
        std::fs::create_dir_all(&dir).map_err(|e| format!("error: cannot create {}: {e}", dir.display()))?;
    }
    let dir = dir
        .canonicalize()
        .map_err(|e| format!("error: cannot resolve {}: {e}", dir.display()))?;
    let package = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !codegen::manifest::valid_package(&package) {
        return Err(format!(
            "error: --crate {}: the directory's name {package:?} becomes the package name, so it must start \
             with a letter and hold only ASCII letters, digits, - and _",
            dir.display()
        ));
    }
    let runtime = match (runtime, &workspace) {
        (Some(r), _) => r,
        (None, Some(root)) => root.join("runtime"),
        (None, None) => return Err(workspace::not_found("--runtime DIR")),
    };
    let runtime = runtime
        .canonicalize()
        .map_err(|e| format!("error: the runtime crate {}: {e}", runtime.display()))?;
    if !runtime.join("Cargo.toml").is_file() {
        return Err(format!(
            "error: {} has no Cargo.toml; --runtime names the runtime crate's directory",
            runtime.display()
        ));
    }
    let member = workspace
        .as_ref()
        .and_then(|root| root.canonicalize().ok())
        .is_some_and(|root| {
            dir.strip_prefix(&root)
                .is_ok_and(|rel| codegen::manifest::is_member(&root, &rel.to_string_lossy().replace('\\', "/")))
        });
    Ok(Whole {
        dir,
        package,
        runtime,
        member,
    })
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("import") {
        return import_cmd::run(std::env::args().skip(2).collect());
    }
    let targets = match parse_targets() {
        Ok(t) => t,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut code = ExitCode::SUCCESS;
    // The command line's table belongs to the TEO client's generation: written (or checked)
    // whenever that client is, into `cli/src/table.rs` when the workspace has the `cli` crate.
    let cli = targets
        .iter()
        .find(|t| t.whole.is_some() && t.spec.ends_with(DEFAULT_SPEC))
        .and_then(|t| t.workspace.as_ref().map(|root| (root.clone(), t.check, t.spec.clone())));
    for args in targets {
        if run(&args) != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    if let Some((root, check, spec)) = cli {
        if root.join(CLI_DIR).join("Cargo.toml").is_file() && run_cli_table(&root, check, &spec) != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    code
}

/// The crate of the `teo` command line, relative to the workspace; its table is generated into
/// `src/table.rs`.
const CLI_DIR: &str = "cli";

/// Generates (or checks) the command line's table from the TEO spec.
fn run_cli_table(root: &std::path::Path, check: bool, spec: &std::path::Path) -> ExitCode {
    let text = match std::fs::read_to_string(spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read spec {}: {e}", spec.display());
            return ExitCode::FAILURE;
        }
    };
    let spec_name = workspace::display_name(spec, Some(root));
    let table = match codegen::cli_table(&text, &spec_name) {
        Ok(t) => t,
        Err(diags) => {
            eprintln!("{spec_name}:\n{diags}");
            return ExitCode::FAILURE;
        }
    };
    let out = root.join(CLI_DIR).join("src");
    let files = std::collections::BTreeMap::from([("table.rs".to_owned(), table)]);
    let drift = match codegen::write::diff(&out, &files, &["table.rs"]) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", out.display());
            return ExitCode::FAILURE;
        }
    };
    if check {
        if drift.is_empty() {
            println!("the command line's table matches {spec_name}");
            return ExitCode::SUCCESS;
        }
        for line in drift.lines() {
            eprintln!("{line}");
        }
        eprintln!("the command line's table is out of date; run `cargo run -p codegen`");
        return ExitCode::FAILURE;
    }
    if let Err(e) = codegen::write::apply(&out, &files, &drift) {
        eprintln!("error: writing the command line's table failed: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "the command line's table from {spec_name}: {}",
        if drift.is_empty() { "unchanged" } else { "written" }
    );
    ExitCode::SUCCESS
}

/// Generates (or checks) one target.
fn run(args: &Args) -> ExitCode {
    let started = Instant::now();
    let text = match std::fs::read_to_string(&args.spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read spec {}: {e}", args.spec.display());
            return ExitCode::FAILURE;
        }
    };
    let spec_name = workspace::display_name(&args.spec, args.workspace.as_deref());
    let options = match &args.whole {
        Some(w) => codegen::Options {
            crate_name: codegen::manifest::lib_name(&w.package),
        },
        None => codegen::Options::default(),
    };
    let files = match codegen::generate_with(&text, &spec_name, &options) {
        Ok(f) => f,
        Err(diags) => {
            eprintln!("{spec_name}:\n{diags}");
            return ExitCode::FAILURE;
        }
    };
    let mut files = files;
    let mut owned: Vec<&str> = codegen::OWNED_PATHS.to_vec();
    if let Some(w) = &args.whole {
        // The manifest sits beside `src/`; `lib.rs` is the generator's too in a whole crate.
        let (title, features) = manifest_facts(&text);
        let manifest = codegen::manifest::Manifest {
            package: w.package.clone(),
            service_title: title,
            spec_name: spec_name.clone(),
            runtime: codegen::manifest::relative(&w.dir, &w.runtime),
            member: w.member,
            features,
        };
        files.insert("../Cargo.toml".to_owned(), manifest.text());
        owned.push("lib.rs");
    }
    let drift = match codegen::write::diff(&args.out, &files, &owned) {
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

/// The service's title and the categories (name, title) of spec text already validated by
/// generation, for the manifest.
fn manifest_facts(text: &str) -> (String, Vec<(String, String)>) {
    let mut diags = codegen::diag::Diagnostics::default();
    match codegen::load::load(text, &mut diags) {
        Some(spec) => (
            spec.service.title,
            spec.categories.into_iter().map(|c| (c.name, c.title)).collect(),
        ),
        None => (String::new(), Vec::new()),
    }
}

/// The default spec, relative to the workspace.
pub(crate) const DEFAULT_SPEC: &str = "spec/teo-2022-09-01.json";

/// The default output directory, relative to the workspace.
const DEFAULT_OUT: &str = "generated-client/src";

/// The workspace's crates generated whole: spec and crate directory, relative to the workspace.
const WHOLE_CRATES: &[(&str, &str)] = &[
    (DEFAULT_SPEC, "generated-client"),
    ("spec/ssl-2019-12-05.json", "ssl-client"),
];
