//! The spec loader, validator and generator: any text as a spec. Must generate or give
//! diagnostics that each say where.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::spec(data));
