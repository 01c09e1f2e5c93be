//! Finding the workspace the command works on, at run time.
//!
//! The binary may be shared between clones (one `CARGO_TARGET_DIR` for several checkouts), so
//! the workspace is never the one the binary was compiled in. It is, in order:
//!
//! 1. the workspace of the package `cargo run` started: cargo sets `CARGO_MANIFEST_DIR` for the
//!    process it runs (`<workspace>/codegen`), and the workspace is the nearest directory at or
//!    above it whose `Cargo.toml` has a `[workspace]` table;
//! 2. otherwise the nearest such directory at or above the current directory.
//!
//! Without either, only explicit paths work (`--spec`, `--crate` and `--runtime`).

use std::path::{Path, PathBuf};

/// The variable cargo sets for `cargo run`, `cargo test` and build scripts.
const MANIFEST_DIR: &str = "CARGO_MANIFEST_DIR";

/// Finds the workspace from this process's environment and current directory.
///
/// `Ok(None)` when there is none; `Err` when a manifest on the way cannot be read.
pub(crate) fn find() -> Result<Option<PathBuf>, String> {
    let manifest_dir = std::env::var_os(MANIFEST_DIR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let cwd = std::env::current_dir().map_err(|e| format!("error: cannot read the current directory: {e}"))?;
    find_from(manifest_dir.as_deref(), &cwd)
}

/// [`find`] with its inputs given: the value of `CARGO_MANIFEST_DIR`, if set, then `cwd`.
pub(crate) fn find_from(manifest_dir: Option<&Path>, cwd: &Path) -> Result<Option<PathBuf>, String> {
    if let Some(dir) = manifest_dir {
        if let Some(root) = nearest_workspace(dir)? {
            return Ok(Some(root));
        }
    }
    nearest_workspace(cwd)
}

/// The message for a command that needs the workspace and found none; `flags` names the paths
/// that would have made it unnecessary.
pub(crate) fn not_found(flags: &str) -> String {
    format!(
        "error: no workspace found: no Cargo.toml with a [workspace] table in the current directory or above it \
         (nor above {MANIFEST_DIR}, which `cargo run` sets); run codegen inside the workspace, or pass {flags}"
    )
}

/// The nearest directory at or above `start` whose `Cargo.toml` declares a workspace.
fn nearest_workspace(start: &Path) -> Result<Option<PathBuf>, String> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if !manifest.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&manifest).map_err(|e| {
            format!(
                "error: cannot read {} while looking for the workspace: {e}",
                manifest.display()
            )
        })?;
        if declares_workspace(&text) {
            return Ok(Some(dir.to_path_buf()));
        }
    }
    Ok(None)
}

/// Whether manifest text has a `[workspace]` table (or one of its sub-tables, such as
/// `[workspace.package]`, which makes the table exist too). A line-level look, not a TOML
/// parser: a table header stands on a line of its own.
fn declares_workspace(manifest: &str) -> bool {
    manifest.lines().any(|line| {
        let line = line.trim_start();
        let Some(rest) = line.strip_prefix('[').filter(|r| !r.starts_with('[')) else {
            return false;
        };
        let Some((header, _)) = rest.split_once(']') else {
            return false;
        };
        let header = header.trim();
        header == "workspace"
            || header
                .strip_prefix("workspace")
                .is_some_and(|r| r.trim_start().starts_with('.'))
    })
}

/// `path` relative to `root` when it lies inside it (with `/` separators), else `path` as given:
/// the spec's name in the generated header is then the same whichever directory the command ran
/// from.
pub(crate) fn display_name(path: &Path, root: Option<&Path>) -> String {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let relative = root.and_then(canon).zip(canon(path)).and_then(|(r, p)| {
        p.strip_prefix(&r)
            .ok()
            .map(|rel| rel.to_string_lossy().replace('\\', "/"))
    });
    relative.unwrap_or_else(|| path.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory tree, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir().join(format!("codegen-ws-unit-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn file(&self, rel: &str, text: &str) -> PathBuf {
            let path = self.0.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        }

        fn dir(&self, rel: &str) -> PathBuf {
            let path = self.0.join(rel);
            std::fs::create_dir_all(&path).unwrap();
            path
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn workspace_tables_are_recognised_and_others_are_not() {
        for yes in [
            "[workspace]\nmembers = []\n",
            "[package]\nname = \"x\"\n\n  [ workspace ] # comment\n",
            "[workspace.package]\nedition = \"2021\"\n",
            "[workspace .dependencies]\n",
        ] {
            assert!(declares_workspace(yes), "{yes:?}");
        }
        for no in [
            "[package]\nname = \"x\"\n",
            "[package]\nworkspace = \"..\"\n",
            "[[workspace]]\n",
            "[workspaces]\n",
            "# [workspace]\n",
            "[dependencies]\nworkspace-hack = \"1\"\n",
            "[workspace",
        ] {
            assert!(!declares_workspace(no), "{no:?}");
        }
    }

    #[test]
    fn the_manifest_dir_wins_over_the_current_directory() {
        let s = Scratch::new("manifest-wins");
        s.file("a/Cargo.toml", "[workspace]\n");
        s.file("a/codegen/Cargo.toml", "[package]\nname = \"codegen\"\n");
        s.file("b/Cargo.toml", "[workspace]\n");
        let cwd = s.dir("b/spec");
        let a = s.0.join("a");
        assert_eq!(find_from(Some(&a.join("codegen")), &cwd), Ok(Some(a.clone())));
        // The manifest directory need not exist: cargo names it, the walk goes up from there.
        assert_eq!(find_from(Some(&a.join("gone/codegen")), &cwd), Ok(Some(a)));
        assert_eq!(find_from(None, &cwd), Ok(Some(s.0.join("b"))));
    }

    #[test]
    fn a_manifest_dir_outside_any_workspace_falls_back_to_the_current_directory() {
        let s = Scratch::new("fallback");
        s.file("lone/Cargo.toml", "[package]\nname = \"lone\"\n");
        s.file("ws/Cargo.toml", "[workspace]\nmembers = [\"m\"]\n");
        s.file("ws/m/Cargo.toml", "[package]\nname = \"m\"\n");
        let cwd = s.dir("ws/m/src");
        let found = find_from(Some(&s.0.join("lone")), &cwd).unwrap();
        // Unless the temporary directory itself sits in a workspace, `lone` has none above it.
        if nearest_workspace(&s.0).unwrap().is_none() {
            assert_eq!(found, Some(s.0.join("ws")));
            assert_eq!(find_from(None, &s.0.join("lone")), Ok(None));
        }
    }

    #[test]
    fn display_names_are_relative_to_the_workspace_when_inside_it() {
        let s = Scratch::new("display");
        let spec = s.file("ws/spec/x.json", "{}");
        let outside = s.file("other/x.json", "{}");
        let ws = s.0.join("ws");
        assert_eq!(display_name(&spec, Some(&ws)), "spec/x.json");
        assert_eq!(display_name(&outside, Some(&ws)), outside.to_string_lossy());
        assert_eq!(display_name(&spec, None), spec.to_string_lossy());
        // A path that does not exist is shown as given.
        let missing = ws.join("spec/missing.json");
        assert_eq!(display_name(&missing, Some(&ws)), missing.to_string_lossy());
    }

    #[test]
    fn the_not_found_message_says_what_to_do() {
        assert_eq!(
            not_found("--spec PATH"),
            "error: no workspace found: no Cargo.toml with a [workspace] table in the current directory or \
             above it (nor above CARGO_MANIFEST_DIR, which `cargo run` sets); run codegen inside the \
             workspace, or pass --spec PATH"
        );
    }
}
