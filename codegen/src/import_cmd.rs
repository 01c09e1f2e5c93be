//! The `import` subcommand: argument parsing, file I/O and the report; the merge itself is
//! `codegen::import`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::diag::Diagnostics;
use codegen::doc_overlay::{take_docs, DocFiles};
use codegen::import::{self, Options};
use codegen::official::Official;

struct Args {
    from: PathBuf,
    docs_from: Option<PathBuf>,
    spec: PathBuf,
    /// The workspace, when one was found (for the spec's name in messages).
    workspace: Option<PathBuf>,
    errors: Option<PathBuf>,
    dry_run: bool,
    options: Options,
}

fn parse(args: Vec<String>) -> Result<Args, String> {
    let mut from = None;
    let mut spec = None;
    let mut out = Args {
        from: PathBuf::new(),
        docs_from: None,
        spec: PathBuf::new(),
        workspace: None,
        errors: None,
        dry_run: false,
        options: Options::default(),
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--from" => from = Some(PathBuf::from(it.next().ok_or("--from needs a path")?)),
            "--docs-from" => out.docs_from = Some(it.next().ok_or("--docs-from needs a path")?.into()),
            "--spec" => spec = Some(PathBuf::from(it.next().ok_or("--spec needs a path")?)),
            "--errors" => out.errors = Some(it.next().ok_or("--errors needs a path")?.into()),
            "--action" => out.options.actions.push(it.next().ok_or("--action needs a name")?),
            "--all" => out.options.all = true,
            "--category" => out.options.category = Some(it.next().ok_or("--category needs a name")?),
            "--dry-run" => out.dry_run = true,
            "-h" | "--help" => return Err(super::USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n\n{}", super::USAGE)),
        }
    }
    out.from = from.ok_or_else(|| format!("import needs --from <api.json>\n\n{}", super::USAGE))?;
    if out.options.all != out.options.actions.is_empty() {
        return Err(format!(
            "give either --all or one or more --action NAME\n\n{}",
            super::USAGE
        ));
    }
    // The same discovery as regeneration: with --spec given no workspace is needed.
    let found = crate::workspace::find();
    out.spec = match spec {
        Some(path) => path,
        None => found
            .clone()?
            .ok_or_else(|| crate::workspace::not_found("--spec PATH"))?
            .join(super::DEFAULT_SPEC),
    };
    out.workspace = found.ok().flatten();
    Ok(out)
}

fn read(path: &Path, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("error: cannot read {what} {}: {e}", path.display()))
}

fn fail(file: &str, diags: &Diagnostics) -> ExitCode {
    eprintln!("{file}:\n{diags}");
    ExitCode::FAILURE
}

/// Reads `--docs-from` and takes its documentation into `official`; on failure, says why.
fn docs_from(official: &mut Official, from_name: &str, path: &Path) -> Result<(), ExitCode> {
    let docs_name = path.display().to_string();
    let text = read(path, "documentation file").map_err(|message| {
        eprintln!("{message}");
        ExitCode::FAILURE
    })?;
    let mut diags = Diagnostics::default();
    let docs = codegen::official::parse(&text, &mut diags).filter(|_| diags.is_empty());
    let docs = docs.ok_or_else(|| fail(&docs_name, &diags))?;
    let files = DocFiles {
        from: from_name.to_owned(),
        docs: docs_name.clone(),
    };
    take_docs(official, &docs, files).map_err(|d| fail(&format!("{from_name} and {docs_name}"), &d))
}

/// Runs `codegen import ...`.
pub fn run(args: Vec<String>) -> ExitCode {
    let mut args = match parse(args) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    // A spec that does not exist yet is created from the description (see `new_spec`).
    let creating = !args.spec.exists();
    let spec_text = if creating {
        Ok(String::new())
    } else {
        read(&args.spec, "spec")
    };
    let texts = read(&args.from, "api.json").and_then(|a| spec_text.map(|s| (a, s)));
    let (api_text, spec_text) = match texts {
        Ok(t) => t,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let from_name = args.from.display().to_string();
    let spec_name = crate::workspace::display_name(&args.spec, args.workspace.as_deref());
    let mut diags = Diagnostics::default();
    if let Some(path) = &args.errors {
        let text = match read(path, "error-code list") {
            Ok(t) => t,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        };
        match import::parse_error_codes(&text, &mut diags) {
            Some(codes) => args.options.errors = Some(codes),
            None => return fail(&path.display().to_string(), &diags),
        }
    }
    let Some(mut official) = codegen::official::parse(&api_text, &mut diags).filter(|_| diags.is_empty()) else {
        return fail(&from_name, &diags);
    };
    if let Some(path) = &args.docs_from {
        if let Err(code) = docs_from(&mut official, &from_name, path) {
            return code;
        }
    }
    let spec = if creating {
        // Editors find the schema beside the project's own specs; elsewhere there is none to name.
        let schema = args.spec.parent().map(|d| d.join("schema.json")).filter(|p| p.exists());
        let spec = codegen::new_spec::new_spec(&official, schema.map(|_| "./schema.json".to_owned()));
        println!(
            "+ new spec {spec_name} for {} {} (endpoints {}, {}; {} common error codes)",
            spec.service.name,
            spec.service.version,
            spec.service.endpoint,
            spec.service.intl_endpoint,
            spec.service.common_errors.len()
        );
        Some(spec)
    } else {
        codegen::load::load(&spec_text, &mut diags)
    };
    let Some(mut spec) = spec.filter(|_| diags.is_empty()) else {
        return fail(&spec_name, &diags);
    };
    codegen::check(&spec, &mut diags);
    if !diags.is_empty() {
        return fail(&spec_name, &diags);
    }
    let report = match import::import(&mut spec, &official, &args.options) {
        Ok(r) => r,
        Err(d) => return fail(&format!("importing from {from_name} into {spec_name}"), &d),
    };
    for line in report.lines() {
        println!("{line}");
    }
    let new_text = codegen::spec_json::to_text(&spec);
    let summary = format!(
        "{} action(s) added, {} refreshed, {} object(s) added",
        report.added_actions.len(),
        report.updated_actions.len(),
        report.added_objects.len()
    );
    if args.dry_run {
        println!("dry run: {summary}; {spec_name} left as it was");
        return ExitCode::SUCCESS;
    }
    if new_text == spec_text {
        println!("{summary}; {spec_name} unchanged");
        return ExitCode::SUCCESS;
    }
    let tmp = args.spec.with_extension("json.import-tmp");
    let written = std::fs::write(&tmp, &new_text).and_then(|()| std::fs::rename(&tmp, &args.spec));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        eprintln!("error: cannot write {spec_name}: {e}; it was left as it was");
        return ExitCode::FAILURE;
    }
    println!("{summary}; wrote {spec_name}. Next: review the lines above, then `cargo run -p codegen`.");
    ExitCode::SUCCESS
}
