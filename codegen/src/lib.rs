//! The generator: turns a spec (`spec/teo-2022-09-01.json`) into the Rust sources of
//! `generated-client`.
//!
//! The pipeline reads top to bottom, one module per stage:
//! [`load`] (JSON → spec, structural errors) → `validate` (semantic errors, all at once) and
//! `naming` (every Rust name, and their collisions) → `model` (resolved names, types and links)
//! → `emit` (tokens per file, with `quote!`) → `format` (`prettyplease`, generated header) →
//! [`write`](mod@write) (only what changed, each file replaced whole).
#![forbid(unsafe_code)]

// What the binary, the tests and the benchmark use: the spec as data, loading and writing it,
// the official descriptions (and documentation from a second one), importing from them,
// diagnostics, the writer, and the decoder table the check of the official examples compiles.
pub mod decode_table;
pub mod diag;
pub mod doc_overlay;
pub mod enum_proposal;
pub mod import;
pub mod load;
pub mod manifest;
pub mod new_spec;
pub mod official;
pub mod paging_proposal;
pub mod read_only_proposal;
pub mod spec;
pub mod spec_json;
pub mod write;

// The stages behind [`generate`], private so they can change shape freely.
mod casing;
mod emit;
mod format;
mod json;
mod model;
mod naming;
mod validate;
mod values;

pub use emit::OWNED_PATHS;
pub use json::Json;

use std::collections::BTreeMap;

use diag::Diagnostics;

/// Generates every file of the client from spec text.
///
/// `spec_name` is the spec's path as shown in the generated header. On success, the map holds
/// file contents keyed by path relative to the generated crate's `src/`. On failure, every
/// problem found is returned at once.
///
/// ```
/// let spec = r#"{
///   "service": {"name": "demo", "version": "2020-01-01",
///               "endpoints": {"default": "demo.example.com", "international": "demo.intl.example.com"}},
///   "actions": {"Ping": {"documentation": "Checks the service.", "input": {}, "output": {}}}
/// }"#;
/// let files = codegen::generate(spec, "demo.json").unwrap();
/// assert!(files.contains_key("operations/ping.rs"));
/// ```
pub fn generate(text: &str, spec_name: &str) -> Result<BTreeMap<String, String>, Diagnostics> {
    generate_with(text, spec_name, &Options::default())
}

/// What to generate besides the modules every client has.
#[derive(Clone, Debug)]
pub struct Options {
    /// The library name doc examples import (`generated_client` by default).
    pub crate_name: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            crate_name: model::DEFAULT_CRATE.to_owned(),
        }
    }
}

/// [`generate`], with [`Options`].
pub fn generate_with(text: &str, spec_name: &str, options: &Options) -> Result<BTreeMap<String, String>, Diagnostics> {
    let mut checked = pipeline(text)?;
    checked.model.crate_name.clone_from(&options.crate_name);
    emit_model(&checked.model, spec_name)
}

/// A spec that passed every check, with the model the emitters read. Only [`pipeline`] makes
/// one, so whatever holds one holds a spec that generates.
pub struct Checked {
    spec: spec::Spec,
    model: model::Model,
}

impl Checked {
    /// The spec as loaded.
    pub fn spec(&self) -> &spec::Spec {
        &self.spec
    }

    /// The model the emitters read.
    pub(crate) fn model(&self) -> &model::Model {
        &self.model
    }
}

/// The one door into the generator: loads spec text, checks its semantics and the Rust names it
/// becomes, and builds the model once; every problem found is returned at once. Generation,
/// [`rust_names`] and the decoder table all start here.
pub fn pipeline(text: &str) -> Result<Checked, Diagnostics> {
    let mut diags = Diagnostics::default();
    let Some(spec) = load::load(text, &mut diags) else {
        return Err(diags);
    };
    validate::validate(&spec, &mut diags);
    let model = model::build(&spec);
    naming::check(&model.names, &mut diags);
    if diags.is_empty() {
        Ok(Checked { spec, model })
    } else {
        Err(diags)
    }
}

/// Every Rust name a valid spec becomes, one line each as `JSON path: kind name`: types,
/// client methods, fields and error variants (not the builders, modules and `set_*` setters
/// derived from them). A reviewed snapshot of this list shows any change in naming.
pub fn rust_names(text: &str) -> Result<String, Diagnostics> {
    let checked = pipeline(text)?;
    let mut out = String::new();
    for claim in &checked.model.names {
        let kind = match &claim.kind {
            naming::Kind::Type => "type",
            naming::Kind::Method => "method",
            naming::Kind::Field { .. } => "field",
            naming::Kind::Variant { .. } => "variant",
            naming::Kind::Builder | naming::Kind::Module | naming::Kind::OptionSetter { .. } => continue,
        };
        out.push_str(&format!("{}: {kind} {}\n", claim.path, claim.name));
    }
    Ok(out)
}

/// Every check a loaded spec must pass before it is generated: its semantics, then the Rust names
/// it becomes.
pub fn check(spec: &spec::Spec, diags: &mut Diagnostics) {
    validate::validate(spec, diags);
    naming::check(&model::build(spec).names, diags);
}

/// The Rust names of a spec that the naming check rejects, for `import` to rename.
pub(crate) fn name_problems(spec: &spec::Spec) -> Vec<naming::Problem> {
    naming::problems(&model::build(spec).names)
}

/// Emits every file of a model whose names passed the check.
///
/// Files are emitted and formatted on as many threads as the machine has cores (token streams
/// cannot cross threads, so each thread does both for its share); the result is keyed by path,
/// so it does not depend on which thread did what.
fn emit_model(model: &model::Model, spec_name: &str) -> Result<BTreeMap<String, String>, Diagnostics> {
    let files = emit::files(model);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let threads = threads.min(files.len() / 64 + 1);
    let work = |share: usize| -> Vec<(String, Result<String, String>)> {
        files
            .iter()
            .skip(share)
            .step_by(threads)
            .map(|(path, file)| {
                let text = match emit::emit_file(model, *file) {
                    emit::Emitted::Tokens(tokens, docs) => format::format_file(path, tokens, &docs, spec_name),
                    emit::Emitted::Text(text) => Ok(format!("{}{text}", format::header(spec_name))),
                };
                (path.clone(), text)
            })
            .collect()
    };
    let results: Vec<_> = if threads == 1 {
        work(0)
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|share| scope.spawn(move || work(share))).collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|_| vec![(String::new(), Err("a generator thread panicked".to_owned()))])
                })
                .collect()
        })
    };
    let mut out = BTreeMap::new();
    let mut diags = Diagnostics::default();
    for (path, result) in results {
        match result {
            Ok(text) => {
                if out.insert(path.clone(), text).is_some() {
                    diags.error(path, "internal error: two items generate this file");
                }
            }
            Err(message) => diags.error(path, message),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}
