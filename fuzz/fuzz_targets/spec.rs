//! The spec loader, validator and generator: any text as a spec. Must generate or give
//! diagnostics that each say where.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(diags) = codegen::generate(&text, "fuzz.json") {
        assert!(!diags.is_empty());
        for d in diags.iter() {
            if let codegen::diag::Location::Text { line, column } = d.location {
                assert!(line >= 1 && column >= 1, "{d}");
            }
            assert!(d.to_string().len() <= 4096);
        }
    }
});
