//! Writing generated files: only what changed, each file replaced whole.
//!
//! Every new or changed file is first written to a temporary file beside its target; only when
//! all of them were written are they renamed into place, so a failed write (a full disk, a
//! read-only folder) changes nothing. The renames themselves are not one atomic step: if one
//! fails, the files renamed before it are new and the rest old, and running the generator again
//! finishes the job; no file is ever left half-written. Files that were generated before (they
//! start with the `@generated` marker) but are no longer produced are removed. `--check` runs the
//! same comparison and reports instead of writing.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::format::MARKER;

/// How the files on disk differ from the generated ones.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Generated files missing on disk.
    pub missing: Vec<PathBuf>,
    /// Files whose content differs.
    pub changed: Vec<PathBuf>,
    /// Generated files on disk that the spec no longer produces.
    pub stale: Vec<PathBuf>,
}

impl Drift {
    /// Whether disk and spec agree.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.stale.is_empty()
    }

    /// One line per differing file.
    pub fn lines(&self) -> Vec<String> {
        let show = |what: &str, list: &[PathBuf]| -> Vec<String> {
            list.iter().map(|p| format!("{what}: {}", p.display())).collect()
        };
        let mut out = show("missing", &self.missing);
        out.extend(show("out of date", &self.changed));
        out.extend(show("no longer generated", &self.stale));
        out
    }
}

/// Compares generated `files` (paths relative to `root`) with what is on disk under `root`.
/// Only the folders and files in `owned` are looked at for stale generated files.
pub fn diff(root: &Path, files: &BTreeMap<String, String>, owned: &[&str]) -> io::Result<Drift> {
    let mut drift = Drift::default();
    for (rel, content) in files {
        let path = root.join(rel);
        match fs::read(&path) {
            Ok(existing) if existing == content.as_bytes() => {}
            Ok(_) => drift.changed.push(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => drift.missing.push(path),
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
        }
    }
    for entry in owned {
        for path in generated_files_under(&root.join(entry))? {
            let rel = path.strip_prefix(root).map(|p| p.to_string_lossy().replace('\\', "/"));
            if rel.is_ok_and(|rel| !files.contains_key(&rel)) {
                drift.stale.push(path);
            }
        }
    }
    drift.stale.sort();
    Ok(drift)
}

/// Applies a drift: writes every missing and changed file through a temporary file, renames them
/// into place once all are written, then removes stale files. On a write error, the temporary
/// files are removed and nothing is renamed.
pub fn apply(root: &Path, files: &BTreeMap<String, String>, drift: &Drift) -> io::Result<()> {
    let targets: Vec<&PathBuf> = drift.missing.iter().chain(&drift.changed).collect();
    let mut staged: Vec<(PathBuf, &PathBuf)> = Vec::new();
    let mut made_dirs: Vec<&Path> = Vec::new();
    let result = (|| -> io::Result<()> {
        for target in &targets {
            let rel = target
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let content = files.get(&rel).map(String::as_str).unwrap_or_default();
            if let Some(parent) = target.parent() {
                if !made_dirs.contains(&parent) {
                    fs::create_dir_all(parent)?;
                    made_dirs.push(parent);
                }
            }
            let tmp = target.with_extension("rs.codegen-tmp");
            fs::write(&tmp, content).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", tmp.display())))?;
            staged.push((tmp, target));
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (tmp, target) in &staged {
        fs::rename(tmp, target)?;
    }
    for path in &drift.stale {
        fs::remove_file(path)?;
    }
    Ok(())
}

/// Generated `.rs` files at `path` (a file) or below it (a folder).
fn generated_files_under(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if dir.is_file() {
        if dir.extension().is_some_and(|e| e == "rs") && is_generated(dir) {
            out.push(dir.to_path_buf());
        }
        return Ok(out);
    }
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(generated_files_under(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") && is_generated(&path) {
            out.push(path);
        }
    }
    Ok(out)
}

fn is_generated(path: &Path) -> bool {
    fs::read(path).is_ok_and(|bytes| bytes.starts_with(MARKER.as_bytes()))
}
