// What the stand-in remembers about each request it received, so tests can assert what a client
// sent, when, whether it passed the checks, and how it was answered.

use std::fmt;
use std::time::Instant;

use crate::faults::Fault;

/// One request as received, with the verdict of the checks and the kind of answer it got.
///
/// `Debug` redacts `X-TC-Token` and prints only the body's length (bodies can carry secret keys).
#[derive(Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The `X-TC-Action` header, when present (lossily decoded as UTF-8).
    pub action: Option<String>,
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The request target: path and query, e.g. `/`.
    pub path: String,
    /// Every header in arrival order, names lowercase, values lossily decoded as UTF-8.
    pub headers: Vec<(String, String)>,
    /// The body bytes exactly as received.
    pub body: Vec<u8>,
    /// When the request head arrived.
    pub received_at: Instant,
    /// Which TCP connection carried it: 1 for the first the server accepted, 2 for the next, …
    /// Equal numbers mean the client reused a kept-alive connection.
    pub connection: u64,
    /// Whether the header and signature checks passed.
    pub verification: Verification,
    /// The fault injected into this request, if one was queued.
    pub fault: Option<Fault>,
    /// What kind of answer was sent.
    pub outcome: Outcome,
}

impl RecordedRequest {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if name.eq_ignore_ascii_case("x-tc-token") {
                    "<redacted>"
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("action", &self.action)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("received_at", &self.received_at)
            .field("connection", &self.connection)
            .field("verification", &self.verification)
            .field("fault", &self.fault.as_ref().map(Fault::kind))
            .field("outcome", &self.outcome)
            .finish()
    }
}

/// The verdict of the header and signature checks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verification {
    /// Every check passed: common headers, credential scope, timestamp, SecretId, token, signature.
    Passed,
    /// A check failed; the code and message are those of the error answer.
    Failed {
        /// The error code, e.g. `AuthFailure.SignatureFailure`.
        code: String,
        /// The human-readable reason.
        message: String,
    },
}

impl Verification {
    /// True when every check passed.
    pub fn passed(&self) -> bool {
        matches!(self, Self::Passed)
    }

    /// The error code of a failed check.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Passed => None,
            Self::Failed { code, .. } => Some(code),
        }
    }
}

/// The kind of answer a request got.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The action ran and a success response was sent.
    Success,
    /// An API error response was sent: a check or the action failed, or a [`Fault::ApiError`] was injected.
    ApiError {
        /// The error code sent.
        code: String,
    },
    /// An injected fault answered in place of the service (see [`RecordedRequest::fault`]).
    Injected,
}

impl Outcome {
    /// The error code of an API error answer.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Self::ApiError { code } => Some(code),
            Self::Success | Self::Injected => None,
        }
    }
}
