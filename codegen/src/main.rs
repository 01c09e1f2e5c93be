//! `cargo run -p codegen [-- --check] [--spec PATH] [--out DIR]`: regenerate the client, or
//! check that the committed client matches the spec.

mod import_cmd;

/// Generation allocates and frees many small token and string buffers; mimalloc makes that
/// cheaper than the system allocator (see the crate comment in `Cargo.toml`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub(crate) const USAGE: &str = "usage: codegen [--check] [--spec PATH] [--out DIR]
       codegen import --from API_JSON (--action NAME ... | --all) [--errors CODES_JSON] [--spec PATH] [--dry-run]

  (no flags)    regenerate generated-client/src from spec/teo-2022-09-01.json
  --check       write nothing; exit 1 and name each file that differs from what the spec produces
  --spec PATH   the spec to read (default: spec/teo-2022-09-01.json in the workspace)
  --out DIR     the crate source directory to write (default: generated-client/src)

import adds actions (and every object they reach) from Tencent's api.json to the spec:
  --from PATH       the official description (tccli's api.json)
  --action NAME     an action to import; repeat for more
  --all             import every action
  --errors PATH     error codes to merge: a JSON array (for every imported action) or an object
                    mapping action names to arrays
  --dry-run         report what would change, write nothing";

struct Args {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let root = workspace();
    let mut args = Args {
        check: false,
        spec: root.join("spec/teo-2022-09-01.json"),
        out: root.join("generated-client/src"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => args.check = true,
            "--spec" => args.spec = it.next().ok_or("--spec needs a path")?.into(),
            "--out" => args.out = it.next().ok_or("--out needs a directory")?.into(),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    Ok(args)
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
    let spec_name = display_name(&args.spec);
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

/// The spec path relative to the workspace when it is inside it, for the generated header:
/// the same bytes whichever directory the command ran from.
pub(crate) fn display_name(path: &std::path::Path) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let canon = |p: &std::path::Path| std::fs::canonicalize(p).ok();
    match (canon(path), canon(&root)) {
        (Some(p), Some(r)) => match p.strip_prefix(&r) {
            Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
            Err(_) => path.to_string_lossy().into_owned(),
        },
        _ => path.to_string_lossy().into_owned(),
    }
}

/// The workspace root, from this crate's location.
pub(crate) fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}
