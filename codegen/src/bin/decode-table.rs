//! `cargo run -p codegen --bin decode-table -- --spec PATH --crate NAME --out FILE`: writes the
//! decoder table of the crate generated from `PATH` (see `codegen::decode_table`), for the
//! check of the official examples.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: decode-table --spec PATH --crate NAME --out FILE

  --spec PATH   the spec the crate was generated from
  --crate NAME  the generated crate's library name (generated_client)
  --out FILE    where to write the table's Rust source";

fn main() -> ExitCode {
    let (mut spec, mut krate, mut out) = (None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--spec" => &mut spec,
            "--crate" => &mut krate,
            "--out" => &mut out,
            _ => {
                eprintln!("unknown argument {arg:?}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        *slot = args.next();
    }
    let (Some(spec), Some(krate), Some(out)) = (spec, krate, out) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read spec {spec}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let table = match codegen::decode_table::generate(&text, &spec, &krate) {
        Ok(t) => t,
        Err(diags) => {
            eprintln!("{spec}:\n{diags}");
            return ExitCode::FAILURE;
        }
    };
    let out = PathBuf::from(out);
    if let Err(e) = std::fs::write(&out, table) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
