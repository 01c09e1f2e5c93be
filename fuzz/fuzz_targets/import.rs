//! The official-description parser and the importer: any text as `api.json`, imported whole
//! into a new spec. Must import or give diagnostics that each say where.
#![no_main]

use codegen::diag::{Diagnostics, Location};
use libfuzzer_sys::fuzz_target;

fn check(diags: &Diagnostics) {
    for d in diags.iter() {
        if let Location::Text { line, column } = d.location {
            assert!(line >= 1 && column >= 1, "{d}");
        }
        assert!(d.to_string().len() <= 4096);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut diags = Diagnostics::default();
    let official = codegen::official::parse(&text, &mut diags);
    check(&diags);
    if let Some(official) = official {
        let mut spec = codegen::new_spec::new_spec(&official, None);
        let options = codegen::import::Options {
            all: true,
            ..Default::default()
        };
        if let Err(diags) = codegen::import::import(&mut spec, &official, &options) {
            check(&diags);
        }
    }
});
