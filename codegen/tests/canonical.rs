//! Loading a spec and writing it back gives the same text.

#[test]
fn load_then_write_is_the_identity_on_the_committed_spec() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/teo-2022-09-01.json");
    let text = std::fs::read_to_string(path).unwrap();
    let mut diags = codegen::diag::Diagnostics::default();
    let spec = codegen::load::load(&text, &mut diags).unwrap();
    assert!(diags.is_empty(), "{diags}");
    let written = codegen::spec_json::to_text(&spec);
    if written != text {
        let first = written.lines().zip(text.lines()).position(|(a, b)| a != b);
        panic!("differs at line {:?}:\n{}", first.map(|i| i + 1), written);
    }
}
