//! Why credentials could not be had: each variant names the source and the variable, file or key
//! at fault, and none ever holds a credential value.
//!
//! Depends on no other module of the crate, so the error types (`error`) and the credential values
//! can hold it without depending on the credential sources. Re-exported as
//! `credentials::CredentialsError`, its public home.

use std::path::PathBuf;
use std::sync::Arc;

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
    /// A request for temporary credentials (to the instance metadata service or to STS) failed
    /// or was answered with something unusable.
    #[error("{request}: {problem}")]
    Remote {
        /// The request: method and URL, and for STS the action.
        request: String,
        /// What went wrong: no connection, no answer in time, an HTTP status, an error code,
        /// malformed JSON, a missing member. Never a credential value.
        problem: String,
    },
    /// The web identity token file of TKE OIDC could not be read.
    #[error("cannot read the web identity token file {path}: {error}")]
    TokenFileUnreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        error: std::io::Error,
    },
    /// A caching provider never got credentials from its source: the last attempt failed.
    #[error("no credentials from {provider}: {source}")]
    Unavailable {
        /// The provider, for example `the CVM role provider`.
        provider: String,
        /// Why its last attempt failed.
        #[source]
        source: Arc<CredentialsError>,
    },
    /// A caching provider's credentials expired and refreshing them failed.
    #[error("the credentials from {provider} have expired and could not be refreshed: {source}")]
    Expired {
        /// The provider, for example `the CVM role provider`.
        provider: String,
        /// Why the last refresh failed.
        #[source]
        source: Arc<CredentialsError>,
    },
}

impl CredentialsError {
    /// Whether the source simply had nothing, as opposed to having something unusable. The
    /// default chain moves on to the next source only in that case.
    pub fn is_not_found(&self) -> bool {
        match self {
            CredentialsError::NotFound { .. } => true,
            CredentialsError::Unavailable { source, .. } => source.is_not_found(),
            _ => false,
        }
    }
}
