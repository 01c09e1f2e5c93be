//! `cargo run --release -p codegen --bin all-services -- DIR... [--crates OUT --sample NAME...]`:
//! for every official description (`api.json`) found under the given directories, creates a new
//! spec with every action (as `codegen import --from <api.json> --all --spec <new>` does) and
//! generates its client in memory, timing each; prints the renames, a failure per description
//! that does not import or generate, the total and the slowest. With `--crates OUT`, writes a
//! whole crate (as `codegen --crate`) for each sampled service (`NAME` as `<service>-<version>`,
//! e.g. `cvm-v20170312`) under OUT, for CI to compile. Exits 1 if any description failed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use codegen::diag::Diagnostics;
use codegen::import::{self, Options};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Every `api.json` under `dir`, sorted.
fn descriptions(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            descriptions(&path, out);
        } else if path.file_name().is_some_and(|n| n == "api.json") {
            out.push(path);
        }
    }
}

struct Done {
    name: String,
    actions: usize,
    files: usize,
    took: Duration,
    renamed: Vec<String>,
    spec_text: String,
}

/// Imports every action of one description into a new spec and generates it.
fn one(path: &Path) -> Result<Done, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let official = codegen::official::parse(&text, &mut diags)
        .filter(|_| diags.is_empty())
        .ok_or_else(|| diags.to_string())?;
    let mut spec = codegen::new_spec::new_spec(&official, None);
    let options = Options {
        all: true,
        ..Options::default()
    };
    let report = import::import(&mut spec, &official, &options).map_err(|d| d.to_string())?;
    let spec_text = codegen::spec_json::to_text(&spec);
    let name = format!("{}-v{}", spec.service.name, spec.service.version.replace('-', ""));
    let files = codegen::generate(&spec_text, &format!("{name}.json")).map_err(|d| d.to_string())?;
    Ok(Done {
        name,
        actions: spec.actions.len(),
        files: files.len(),
        took: started.elapsed(),
        renamed: report.renamed,
        spec_text,
    })
}

fn main() -> ExitCode {
    let mut dirs = Vec::new();
    let mut crates: Option<PathBuf> = None;
    let mut sample: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    let mut in_sample = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--crates" => crates = args.next().map(PathBuf::from),
            "--sample" => in_sample = true,
            _ if in_sample => sample.push(arg),
            _ => dirs.push(PathBuf::from(arg)),
        }
    }
    let mut paths = Vec::new();
    for dir in &dirs {
        descriptions(dir, &mut paths);
    }
    if paths.is_empty() {
        eprintln!("no api.json under {dirs:?}");
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let (mut failed, mut done) = (Vec::new(), Vec::new());
    for path in &paths {
        match one(path) {
            Ok(d) => done.push(d),
            Err(e) => failed.push((path.clone(), e)),
        }
    }
    let total = started.elapsed();
    for d in &done {
        for r in &d.renamed {
            println!("{}: renamed {r}", d.name);
        }
    }
    for (path, e) in &failed {
        println!(
            "FAILED {}:\n{}",
            path.display(),
            e.lines().take(20).collect::<Vec<_>>().join("\n")
        );
    }
    let actions: usize = done.iter().map(|d| d.actions).sum();
    let files: usize = done.iter().map(|d| d.files).sum();
    let renames: usize = done.iter().map(|d| d.renamed.len()).sum();
    println!(
        "all-services: {} of {} descriptions imported and generated ({actions} actions, {files} files, {renames} names renamed) in {:.1} s",
        done.len(),
        paths.len(),
        total.as_secs_f64()
    );
    let mut slowest: Vec<&Done> = done.iter().collect();
    slowest.sort_by_key(|d| std::cmp::Reverse(d.took));
    for d in slowest.iter().take(3) {
        println!(
            "  slowest: {} ({} actions) {:.0} ms",
            d.name,
            d.actions,
            d.took.as_secs_f64() * 1e3
        );
    }
    if let Some(out) = crates {
        for name in &sample {
            let Some(d) = done.iter().find(|d| &d.name == name) else {
                println!("FAILED sample {name}: no such description");
                failed.push((PathBuf::from(name), "not found".into()));
                continue;
            };
            if let Err(e) = write_crate(&out, d) {
                println!("FAILED sample {name}: {e}");
                failed.push((PathBuf::from(name), e));
            }
        }
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Writes `OUT/<name>/` as `codegen --crate` would (its own workspace, the runtime by path from
/// `TENCENTCLOUD_RUNTIME`, default `runtime` beside the current directory).
fn write_crate(out: &Path, d: &Done) -> Result<(), String> {
    let dir = out.join(&d.name);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
    let package = d.name.clone();
    let options = codegen::Options {
        crate_name: codegen::manifest::lib_name(&package),
    };
    let files =
        codegen::generate_with(&d.spec_text, &format!("{}.json", d.name), &options).map_err(|e| e.to_string())?;
    let runtime = std::env::var("TENCENTCLOUD_RUNTIME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("runtime"));
    let runtime = runtime
        .canonicalize()
        .map_err(|e| format!("runtime {}: {e}", runtime.display()))?;
    let dir_abs = dir.canonicalize().map_err(|e| e.to_string())?;
    let manifest = codegen::manifest::Manifest {
        package,
        service_title: d.name.clone(),
        spec_name: format!("{}.json", d.name),
        runtime: codegen::manifest::relative(&dir_abs, &runtime),
        member: false,
        features: Vec::new(),
    };
    std::fs::write(dir.join("Cargo.toml"), manifest.text()).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("spec.json"), &d.spec_text).map_err(|e| e.to_string())?;
    let drift = codegen::write::diff(&src, &files, codegen::OWNED_PATHS).map_err(|e| e.to_string())?;
    codegen::write::apply(&src, &files, &drift).map_err(|e| e.to_string())
}
