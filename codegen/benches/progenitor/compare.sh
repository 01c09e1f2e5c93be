#!/usr/bin/env bash
# This generator against progenitor, on the same API and the same machine, in one run.
#
# The whole TEO API (the scratch spec `.ci/full-api` imports) is converted to an OpenAPI 3.0
# document (to_openapi.py: one POST operation per action, one schema per object, request and
# response), and progenitor generates a client from it. Rounds alternate between the two tools
# so that a busy machine slows both alike; compare the ratios, not the absolute seconds.
# Per round it prints, for each tool: the wall time of generating the whole crate (into an empty
# directory), and the wall time and, where `perf` can count them, the instructions of
# `cargo check` of the generated crate alone (dependencies built beforehand, warnings denied, no
# incremental cache).
#
# usage: codegen/benches/progenitor/compare.sh [rounds]      (after .ci/full-api; needs network
#        once, to install cargo-progenitor into target/progenitor-compare/tools)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
here="$root/codegen/benches/progenitor"
work="$root/target/progenitor-compare"
rounds="${1:-3}"
progenitor_version=0.15.1
spec="$root/target/full-api/spec.json"
ours_crate="$root/target/full-api"
if [ ! -f "$spec" ] || [ ! -f "$ours_crate/Cargo.toml" ]; then
  echo "compare: run .ci/full-api first (it writes $spec and $ours_crate)" >&2
  exit 2
fi
mkdir -p "$work"
tools="$work/tools"
progenitor="$tools/bin/cargo-progenitor"
if [ ! -x "$progenitor" ]; then
  cargo install -q cargo-progenitor --version "$progenitor_version" --locked --root "$tools"
fi
python3 "$here/to_openapi.py" "$spec" "$work/teo-openapi.json"

cargo build -q --release -p codegen
codegen="$root/target/release/codegen"

theirs_crate="$work/teo-client"
generate_theirs() {
  rm -rf "$1"
  "$progenitor" progenitor -i "$work/teo-openapi.json" -o "$1" -n teo-client -v 0.1.0 >/dev/null
  printf '\n[workspace]\n' >> "$1/Cargo.toml"
}
generate_ours() {
  rm -rf "$1" && mkdir -p "$1"
  "$codegen" --spec "$spec" --out "$1" >/dev/null
}
generate_theirs "$theirs_crate"
echo "progenitor $progenitor_version: $(wc -l < "$theirs_crate/src/lib.rs") lines of Rust;" \
  "ours: $(cat $(find "$ours_crate/src" -name '*.rs') | wc -l) lines"

# Each crate gets its own target directory; dependencies are built once, before the timing.
(cd "$ours_crate" && CARGO_TARGET_DIR="$work/target-ours" cargo check -q -p tencentcloud-runtime)
(cd "$theirs_crate" && CARGO_TARGET_DIR="$work/target-theirs" cargo check -q)

count=""
if perf stat -x, -e instructions:u -o /dev/null true 2>/dev/null; then count=yes; fi
now() { date +%s%N; }
check() { # name crate-dir package target-dir
  local start end ins=""
  cd "$2"
  CARGO_TARGET_DIR="$4" cargo clean -q -p "$3"
  touch src/lib.rs
  start=$(now)
  if [ -n "$count" ]; then
    CARGO_TARGET_DIR="$4" CARGO_INCREMENTAL=0 perf stat -x, -e instructions:u -o "$work/perf.txt" \
      cargo rustc -q --lib --profile check -- -D warnings
    ins=", $(( $(grep instructions "$work/perf.txt" | cut -d, -f1) / 10000000 )) centi-G instructions"
  else
    CARGO_TARGET_DIR="$4" CARGO_INCREMENTAL=0 cargo rustc -q --lib --profile check -- -D warnings
  fi
  end=$(now)
  echo "  $1 cargo check: $(( (end - start) / 1000000 )) ms$ins"
}
for round in $(seq 1 "$rounds"); do
  echo "round $round"
  start=$(now); generate_ours "$work/ours-gen"; end=$(now)
  echo "  ours generation: $(( (end - start) / 1000000 )) ms"
  start=$(now); generate_theirs "$work/theirs-gen"; end=$(now)
  echo "  progenitor generation: $(( (end - start) / 1000000 )) ms"
  check ours "$ours_crate" generated-client-full-api "$work/target-ours"
  check progenitor "$theirs_crate" teo-client "$work/target-theirs"
done
