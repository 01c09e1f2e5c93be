//! How long generation takes: the committed spec (three actions), and the whole TEO API
//! (238 actions) imported from `../shared/official/teo-2022-09-01/api.json` when it is there.
//!
//! `cargo bench -p codegen --bench generate`. Load, validate, model, emit and format are
//! measured; writing files is not (it depends on the disk).

use std::path::Path;

use criterion::{criterion_main, Criterion};

/// The allocator the `codegen` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn committed_spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/teo-2022-09-01.json");
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The committed spec with every action of the official description imported, or `None`
/// when `api.json` is not available (a clone without `../shared`).
fn full_api_spec(base: &str) -> Option<String> {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/official/teo-2022-09-01/api.json");
    let api = std::fs::read_to_string(api).ok()?;
    let mut diags = codegen::diag::Diagnostics::default();
    let official = codegen::official::parse(&api, &mut diags)?;
    let mut spec = codegen::load::load(base, &mut diags)?;
    let options = codegen::import::Options {
        all: true,
        ..Default::default()
    };
    codegen::import::import(&mut spec, &official, &options).ok()?;
    Some(codegen::spec_json::to_text(&spec))
}

fn bench(c: &mut Criterion) {
    let base = committed_spec();
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    group.bench_function("committed spec (3 actions)", |b| {
        b.iter(|| {
            codegen::generate(&base, "spec.json")
                .map(|files| files.len())
                .unwrap_or(0)
        })
    });
    match full_api_spec(&base) {
        Some(full) => {
            group.bench_function("full TEO API (238 actions)", |b| {
                b.iter(|| {
                    codegen::generate(&full, "spec.json")
                        .map(|files| files.len())
                        .unwrap_or(0)
                })
            });
        }
        None => eprintln!("../shared/official/teo-2022-09-01/api.json not found: full-API benchmark skipped"),
    }
    group.finish();
}

/// Holds the group in a private module: the macro's `pub fn` has no place for a doc comment.
mod group {
    criterion::criterion_group!(benches, super::bench);
}

criterion_main!(group::benches);
