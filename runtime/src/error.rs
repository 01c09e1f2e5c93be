//! Every way a call can fail, as one error type generic over the action's own error enum.
//!
//! [`Error<E>`] is what `send()` returns. `E` is the generated per-action enum built from the
//! API's `Response.Error`; every other failure (validation, credentials, transport, HTTP status,
//! undecodable body) has its own variant carrying what an operator needs to act on it. No
//! variant carries a secret: bodies are cut to a short excerpt, credentials are never stored.

use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;
use crate::validation::ValidationError;

/// What the API said when it answered with `Response.Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError {
    /// The error code, verbatim (`InvalidParameterValue`, `AuthFailure.SignatureExpire`).
    pub code: String,
    /// The human-readable message from the service.
    pub message: String,
    /// The request id, for Tencent Cloud support.
    pub request_id: String,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (request id {})", self.code, self.message, self.request_id)
    }
}

impl std::error::Error for ServiceError {}

/// Implemented by each generated per-action error enum.
pub trait ActionError: std::error::Error + Send + Sync + Sized + 'static {
    /// Classifies a service error by its code.
    fn from_service_error(error: ServiceError) -> Self;
    /// The underlying service error.
    fn service_error(&self) -> &ServiceError;
}

/// Why a call failed.
///
/// `Display` always says what failed and gives the details an operator needs: for a service error
/// the code, the message and the request id; for an HTTP failure the status and a body excerpt.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service answered with `Response.Error`; `E` tells which documented error it is.
    Service(E),
    /// The request broke a rule of the spec; nothing was sent.
    Validation(ValidationError),
    /// No usable credentials.
    Credentials(CredentialsError),
    /// The client configuration is unusable (bad endpoint URL, TLS setup failure).
    Config(ConfigError),
    /// The connection to the endpoint could not be made.
    Connect {
        /// The endpoint URL.
        endpoint: String,
        /// The transport's description of the failure.
        source: reqwest::Error,
    },
    /// The call took longer than the configured timeout.
    Timeout {
        /// The timeout that expired.
        after: Duration,
        /// Which phase timed out: `connect` or `call`.
        phase: &'static str,
    },
    /// The connection failed after it was made (reset, dropped, truncated body).
    Transport {
        /// The transport's description of the failure.
        source: reqwest::Error,
    },
    /// The endpoint answered with an HTTP status other than 200.
    HttpStatus {
        /// The status code.
        status: u16,
        /// The start of the body, cut to a few hundred characters.
        body_excerpt: String,
    },
    /// The body is not the JSON the API sends.
    Decode {
        /// What was wrong, from the JSON parser.
        reason: String,
        /// The start of the body, cut to a few hundred characters.
        body_excerpt: String,
    },
    /// The body is JSON but has no `Response` object.
    MissingResponse {
        /// The start of the body, cut to a few hundred characters.
        body_excerpt: String,
    },
}

/// An unusable client configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid client configuration: {0}")]
pub struct ConfigError(pub String);

/// Why `ClientBuilder::build` failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No usable credentials were given or found.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl<E: ActionError> Error<E> {
    /// The service error, when the API answered with `Response.Error`.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e.service_error()),
            _ => None,
        }
    }

    /// The action's typed error, when the API answered with `Response.Error`.
    pub fn as_service(&self) -> Option<&E> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The request id, when the service gave one.
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().map(|e| e.request_id.as_str())
    }

    /// The error code, when the service gave one.
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(|e| e.code.as_str())
    }
}

impl<E> From<BuildError> for Error<E> {
    fn from(value: BuildError) -> Self {
        match value {
            BuildError::Credentials(e) => Error::Credentials(e),
            BuildError::Config(e) => Error::Config(e),
        }
    }
}

impl<E: ActionError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => {
                let s = e.service_error();
                write!(
                    f,
                    "service error {}: {} (request id {})",
                    s.code, s.message, s.request_id
                )
            }
            Error::Validation(e) => write!(f, "{e}; the request was not sent"),
            Error::Credentials(e) => write!(f, "credentials error: {e}"),
            Error::Config(e) => write!(f, "{e}"),
            Error::Connect { endpoint, source } => write!(f, "could not connect to {endpoint}: {}", chain(source)),
            Error::Timeout { after, phase } => write!(f, "{phase} timed out after {after:?}"),
            Error::Transport { source } => write!(f, "connection failed: {}", chain(source)),
            Error::HttpStatus { status, body_excerpt } => {
                write!(f, "HTTP status {status}; body starts: {body_excerpt:?}")
            }
            Error::Decode { reason, body_excerpt } => {
                write!(f, "undecodable response ({reason}); body starts: {body_excerpt:?}")
            }
            Error::MissingResponse { body_excerpt } => {
                write!(f, "response has no \"Response\" object; body starts: {body_excerpt:?}")
            }
        }
    }
}

impl<E: ActionError> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Service(e) => Some(e),
            Error::Validation(e) => Some(e),
            Error::Credentials(e) => Some(e),
            Error::Config(e) => Some(e),
            Error::Connect { source, .. } | Error::Transport { source } => Some(source),
            _ => None,
        }
    }
}

/// The error and its sources on one line, so `Display` shows the root cause (reqwest's own
/// `Display` says only "error sending request").
fn chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        out.push_str(": ");
        out.push_str(&e.to_string());
        next = e.source();
    }
    out
}

/// Cuts a body to at most `max` characters for an error message, on a character boundary.
pub fn excerpt(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}
