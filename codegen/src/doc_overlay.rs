//! Documentation from a second description of the same API (`codegen import --docs-from`).
//!
//! Tencent ships the same `api.json` format twice: with tccli for the China site (Chinese text)
//! and with tccli-intl-en for the international site (English text, a few actions fewer). The
//! importer takes everything it imports from one of them; [`take_docs`] replaces that file's
//! documentation with the other's wherever the other documents the same action, object or
//! member (matched by name; an empty text counts as none), and marks each text with where it came
//! from so the import can count them. The upstream fingerprint follows the text.

use crate::diag::Diagnostics;
use crate::official::Official;

/// Where an action's, object's or member's documentation came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DocOrigin {
    /// The description itself; no documentation file was given.
    #[default]
    Own,
    /// The documentation file.
    Docs,
    /// The description, because the documentation file has no text for it.
    Fallback,
}

/// The two files' names as the user gave them, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFiles {
    /// The description imported from (`--from`).
    pub from: String,
    /// The file documentation was taken from (`--docs-from`).
    pub docs: String,
}

/// Takes `docs`' documentation into `base` (see the module docs).
///
/// Both must describe the same service and version; otherwise nothing changes and the error
/// names both files.
pub fn take_docs(base: &mut Official, docs: &Official, files: DocFiles) -> Result<(), Diagnostics> {
    if (&base.service, &base.version) != (&docs.service, &docs.version) {
        let mut diags = Diagnostics::default();
        diags.error(
            "metadata",
            format!(
                "{} describes {} {}, but {} describes {} {}; documentation can only come from a \
                 description of the same service and version",
                files.from, base.service, base.version, files.docs, docs.service, docs.version
            ),
        );
        return Err(diags);
    }
    for action in &mut base.actions {
        let text = docs
            .actions
            .iter()
            .find(|a| a.name == action.name)
            .map(|a| a.document.as_str());
        action.doc_origin = take(&mut action.document, text);
    }
    for (name, object) in &mut base.objects {
        let theirs = docs.objects.get(name);
        object.doc_origin = take(&mut object.document, theirs.map(|o| o.document.as_str()));
        for member in &mut object.members {
            let text = theirs
                .and_then(|o| o.members.iter().find(|m| m.name == member.name))
                .map(|m| m.document.as_str());
            member.doc_origin = take(&mut member.document, text);
        }
    }
    base.doc_files = Some(files);
    Ok(())
}

/// Replaces `ours` with `theirs` when that has text.
fn take(ours: &mut String, theirs: Option<&str>) -> DocOrigin {
    match theirs {
        Some(text) if !text.trim().is_empty() => {
            text.clone_into(ours);
            DocOrigin::Docs
        }
        _ => DocOrigin::Fallback,
    }
}

/// How many of the imported texts came from each file, for the import's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTally {
    /// The two files.
    pub files: DocFiles,
    /// Texts from the documentation file: actions, objects, members.
    pub from_docs: [usize; 3],
    /// Texts kept from the description: actions, objects, members.
    pub kept: [usize; 3],
    /// Imported actions the documentation file has no text for, in import order.
    pub kept_actions: Vec<String>,
}

/// What a documentation text belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocOf {
    /// An action, by name.
    Action,
    /// A named object.
    Object,
    /// A member of an action's input or output, or of an object.
    Member,
}

impl DocTally {
    /// An empty tally for documentation taken from `files.docs`.
    pub fn new(files: DocFiles) -> DocTally {
        DocTally {
            files,
            from_docs: [0; 3],
            kept: [0; 3],
            kept_actions: Vec::new(),
        }
    }

    /// Counts one imported text; `name` is the action's, listed when its text was kept.
    pub fn count(&mut self, of: DocOf, origin: DocOrigin, name: &str) {
        let slot = of as usize;
        match origin {
            DocOrigin::Docs => self.from_docs[slot] += 1,
            DocOrigin::Fallback | DocOrigin::Own => {
                self.kept[slot] += 1;
                if of == DocOf::Action {
                    self.kept_actions.push(name.to_owned());
                }
            }
        }
    }

    /// Report lines: the counts per file, then the actions whose text was kept.
    pub fn lines(&self) -> Vec<String> {
        let counts = |c: &[usize; 3]| format!("{} action(s), {} object(s), {} member(s)", c[0], c[1], c[2]);
        let mut out = vec![format!(
            "documentation: {} from {}; {} kept from {}",
            counts(&self.from_docs),
            self.files.docs,
            counts(&self.kept),
            self.files.from
        )];
        if !self.kept_actions.is_empty() {
            out.push(format!(
                "documentation: action(s) {} does not document, kept from {}: {}",
                self.files.docs,
                self.files.from,
                self.kept_actions.join(", ")
            ));
        }
        out
    }
}
