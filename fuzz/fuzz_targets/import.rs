//! The official-description parser and the importer: any text as `api.json`, imported whole
//! into a new spec. Must import or give diagnostics that each say where.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::import(data));
