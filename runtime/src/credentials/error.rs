//! Why credentials could not be had: each variant names the source and the variable, file or key
//! at fault, and none ever holds a credential value.

use std::path::PathBuf;

/// Why no usable credentials could be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// A value is empty, padded with whitespace or holds control characters.
    #[error("invalid {field} from {origin}: {problem}")]
    InvalidValue {
        /// Which value: `secret_id`, `secret_key` or `session_token`.
        field: &'static str,
        /// Where it came from: `environment variable TENCENTCLOUD_SECRET_KEY`, a profile file key, ...
        origin: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// One of the two required environment variables is set and the other is not.
    #[error("incomplete credentials in the environment: {set} is set but {missing} is not")]
    IncompleteEnvironment {
        /// The variable that is set.
        set: &'static str,
        /// The variable that is missing.
        missing: &'static str,
    },
    /// The profile file exists but could not be read.
    #[error("cannot read the credentials profile file {path}: {error}")]
    ProfileUnreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        error: std::io::Error,
    },
    /// A line of the profile file is neither a section header, a `key = value` pair nor a comment.
    #[error("credentials profile file {path}, line {line}: {problem}")]
    ProfileSyntax {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong with the line (the line itself is not repeated: it may hold a secret).
        problem: &'static str,
    },
    /// The profile file has no section for the chosen profile.
    #[error("credentials profile file {path} has no [{profile}] section")]
    ProfileMissing {
        /// The file.
        path: PathBuf,
        /// The profile that was looked for.
        profile: String,
    },
    /// The chosen profile lacks a required key.
    #[error("profile [{profile}] in {path} has no {key} key")]
    ProfileKeyMissing {
        /// The file.
        path: PathBuf,
        /// The profile.
        profile: String,
        /// The missing key: `secret_id` or `secret_key`.
        key: &'static str,
    },
    /// No source had credentials.
    #[error("no credentials found: {tried}")]
    NotFound {
        /// What was looked at, for example which variables and files.
        tried: String,
    },
    /// A caller-supplied provider failed.
    #[error("credentials provider failed: {message}")]
    Provider {
        /// The provider's description of the failure. It must not contain a secret.
        message: String,
    },
}

impl CredentialsError {
    /// Whether the source simply had nothing, as opposed to having something unusable. The
    /// default chain moves on to the next source only in that case.
    pub fn is_not_found(&self) -> bool {
        matches!(self, CredentialsError::NotFound { .. })
    }
}
