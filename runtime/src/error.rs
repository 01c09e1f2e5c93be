//! Every way a call can fail, as one error type generic over the action's own error enum.
//!
//! [`Error<E>`] is what `send()` returns. `E` is the generated per-action enum built from the
//! API's `Response.Error`; every other failure (validation, credentials, transport, HTTP status,
//! undecodable body) has its own variant carrying what an operator needs to act on it. No
//! variant carries a secret: bodies are cut to a short excerpt, credentials are never stored.
//! No error prints more than a bounded part of any text from the answer: see [`SHOWN_BYTES`].

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::credentials_error::CredentialsError;
use crate::pagination_error::PaginationError;
use crate::rate_limit_error::RateLimitError;
use crate::validation::ValidationError;

/// The most bytes of one text from an answer (an error code, a message, a request id, a JSON
/// decoder's reason) that an error's `Display` or `Debug` shows, and that a log line records.
///
/// A longer text is shown as its first bytes up to this limit, cut back to a character
/// boundary (so up to three bytes fewer), followed by the marker `… [cut: N bytes in all]`, where
/// `N` is the length of the whole text in bytes. A text of exactly this length is shown whole.
/// The accessors ([`ServiceError::message`] and the others) always give the whole text.
pub const SHOWN_BYTES: usize = 500;

/// A text from an answer as errors show it: whole when it fits in [`SHOWN_BYTES`], otherwise
/// cut with the marker described there. `Display` writes the text as is; `Debug` writes the
/// kept part quoted and escaped, with the marker after the closing quote.
#[derive(Clone, Copy)]
pub(crate) struct Shown<'a>(pub(crate) &'a str);

impl<'a> Shown<'a> {
    /// The part that is shown: all of the text, or its start cut on a character boundary.
    fn kept(self) -> &'a str {
        let text = self.0;
        if text.len() <= SHOWN_BYTES {
            return text;
        }
        let mut end = SHOWN_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1; // stops at 0 at the latest, which is always a boundary
        }
        &text[..end]
    }

    /// Whether the text is longer than [`SHOWN_BYTES`], so the marker follows.
    fn is_cut(self) -> bool {
        self.0.len() > SHOWN_BYTES
    }

    fn marker(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_cut() {
            write!(f, "… [cut: {} bytes in all]", self.0.len())?;
        }
        Ok(())
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kept())?;
        self.marker(f)
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.kept(), f)?;
        self.marker(f)
    }
}

/// `text` in its shown form (see [`SHOWN_BYTES`]), for a field or a log line that keeps only
/// what is shown: borrowed when it fits, a new string with the marker when it is cut.
pub(crate) fn shown(text: &str) -> Cow<'_, str> {
    if Shown(text).is_cut() {
        Cow::Owned(Shown(text).to_string())
    } else {
        Cow::Borrowed(text)
    }
}

/// What the API said when it answered with `Response.Error`.
///
/// The three texts come from the answer as they were sent, so any of them can be of any length.
/// The accessors give them whole; `Display` (`<code>: <message> (request id <id>)`) and `Debug`
/// show each cut to [`SHOWN_BYTES`], so that an error string or a log line stays small whatever
/// the server sent.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    code: String,
    message: String,
    request_id: String,
}

impl ServiceError {
    /// A service error with this code, message and request id, kept as given.
    pub fn new(code: impl Into<String>, message: impl Into<String>, request_id: impl Into<String>) -> Self {
        ServiceError {
            code: code.into(),
            message: message.into(),
            request_id: request_id.into(),
        }
    }

    /// The error code, verbatim and whole (`InvalidParameterValue`, `AuthFailure.SignatureExpire`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The human-readable message from the service, whole (`Display` may cut it).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The request id, whole, for Tencent Cloud support (empty when the answer had none).
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// Replaces the message (the send loop blanks secrets out of it this way).
    pub(crate) fn set_message(&mut self, message: String) {
        self.message = message;
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (request id {})",
            Shown(&self.code),
            Shown(&self.message),
            Shown(&self.request_id)
        )
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("code", &Shown(&self.code))
            .field("message", &Shown(&self.message))
            .field("request_id", &Shown(&self.request_id))
            .finish()
    }
}

impl std::error::Error for ServiceError {}

/// What [`Error::Service`] holds: an action's error, classified from the service's answer.
/// Generated clients use [`CodedError`](crate::CodedError); any type that keeps the
/// [`ServiceError`] will do.
pub trait ActionError: std::error::Error + Send + Sync + Sized + 'static {
    /// Classifies a service error by its code.
    fn from_service_error(error: ServiceError) -> Self;
    /// The underlying service error.
    fn service_error(&self) -> &ServiceError;
}

/// Why a call failed.
///
/// `Display` always says what failed and gives the details an operator needs: for a service error
/// the code, the message and the request id (each cut to [`SHOWN_BYTES`], as in `Debug`); for an
/// HTTP failure the status and a body excerpt.
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
    /// The connection failed after it was made (reset, dropped, truncated body). The request may
    /// have run: the message says so.
    Transport {
        /// The transport's description of the failure.
        source: reqwest::Error,
    },
    /// The call's own deadline
    /// ([`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)) passed
    /// before it ended. Unlike [`Error::Timeout`], which is one attempt's, it bounds the whole
    /// call: every attempt, backoff and rate-limit wait.
    DeadlineExceeded {
        /// The deadline.
        after: Duration,
        /// The attempt under way when it passed (1 for the first).
        attempts: u32,
        /// What the call was doing: `waiting for an answer` (the request may have run),
        /// `waiting to retry`, or `waiting to send (rate limit or credentials)`.
        during: &'static str,
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
        /// What was wrong, from the JSON parser (which may quote a value of the body), cut to
        /// [`SHOWN_BYTES`] with the marker described there.
        reason: String,
        /// The start of the body, cut to a few hundred characters.
        body_excerpt: String,
    },
    /// The body is JSON but has no `Response` object.
    MissingResponse {
        /// The start of the body, cut to a few hundred characters.
        body_excerpt: String,
    },
    /// A paginator could not go on: a page came back empty before the listing's reported total.
    Pagination(PaginationError),
    /// The client's rate limiter could not grant a slot (a shared limiter set to fail closed
    /// whose store is unreachable); nothing was sent.
    RateLimit(RateLimitError),
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
        self.service_error().map(ServiceError::request_id)
    }

    /// The error code, when the service gave one.
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(ServiceError::code)
    }

    /// The same failure with the action's typed error replaced by the plain [`ServiceError`]
    /// it was read from: what callers that handle every action alike (such as
    /// `Client::send_json`) hold.
    pub fn into_untyped(self) -> Error<ServiceError> {
        match self {
            Error::Service(e) => Error::Service(e.service_error().clone()),
            Error::Validation(e) => Error::Validation(e),
            Error::Credentials(e) => Error::Credentials(e),
            Error::Config(e) => Error::Config(e),
            Error::Connect { endpoint, source } => Error::Connect { endpoint, source },
            Error::Timeout { after, phase } => Error::Timeout { after, phase },
            Error::Transport { source } => Error::Transport { source },
            Error::DeadlineExceeded {
                after,
                attempts,
                during,
            } => Error::DeadlineExceeded {
                after,
                attempts,
                during,
            },
            Error::HttpStatus { status, body_excerpt } => Error::HttpStatus { status, body_excerpt },
            Error::Decode { reason, body_excerpt } => Error::Decode { reason, body_excerpt },
            Error::MissingResponse { body_excerpt } => Error::MissingResponse { body_excerpt },
            Error::Pagination(e) => Error::Pagination(e),
            Error::RateLimit(e) => Error::RateLimit(e),
        }
    }
}

/// A service error is its own untyped action error: `Error<ServiceError>` is the error of a call
/// made by action name.
impl ActionError for ServiceError {
    fn from_service_error(error: ServiceError) -> Self {
        error
    }

    fn service_error(&self) -> &ServiceError {
        self
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
            Error::Service(e) => write!(f, "service error {}", e.service_error()),
            Error::Validation(e) => write!(f, "{e}; the request was not sent"),
            Error::Credentials(e) => write!(f, "credentials error: {e}"),
            Error::Config(e) => write!(f, "{e}"),
            Error::Connect { endpoint, source } => write!(f, "could not connect to {endpoint}: {}", chain(source)),
            Error::Timeout { after, phase } => write!(f, "{phase} timed out after {after:?}"),
            Error::Transport { source } => write!(
                f,
                "connection failed after the request was sent, so it may have run: {}",
                chain(source)
            ),
            Error::DeadlineExceeded {
                after,
                attempts,
                during,
            } => write!(
                f,
                "the call's deadline of {after:?} passed during attempt {attempts}, {during}"
            ),
            Error::HttpStatus { status, body_excerpt } => {
                write!(f, "HTTP status {status}; body starts: {body_excerpt:?}")
            }
            Error::Decode { reason, body_excerpt } => {
                write!(f, "undecodable response ({reason}); body starts: {body_excerpt:?}")
            }
            Error::MissingResponse { body_excerpt } => {
                write!(f, "response has no \"Response\" object; body starts: {body_excerpt:?}")
            }
            Error::Pagination(e) => write!(f, "{e}"),
            Error::RateLimit(e) => write!(f, "{e}; the request was not sent"),
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
            Error::Pagination(e) => Some(e),
            Error::RateLimit(e) => Some(e),
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A generated per-action error in miniature (the dispatch tests use it too).
    #[derive(Debug)]
    pub(crate) struct Failure(pub(crate) ServiceError);

    impl fmt::Display for Failure {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Display::fmt(&self.0, f)
        }
    }

    impl std::error::Error for Failure {}

    impl ActionError for Failure {
        fn from_service_error(error: ServiceError) -> Self {
            Failure(error)
        }
        fn service_error(&self) -> &ServiceError {
            &self.0
        }
    }

    const THREE_MB: usize = 3 * 1024 * 1024;

    #[test]
    fn the_limit_is_500_bytes() {
        assert_eq!(SHOWN_BYTES, 500);
    }

    #[test]
    fn a_3_mb_message_is_cut_in_display_and_debug_and_kept_whole() {
        let message = "m".repeat(THREE_MB);
        let error = ServiceError::new("InternalError", message.clone(), "r-1");
        let kept = "m".repeat(500);

        let display = error.to_string();
        assert_eq!(
            display,
            format!("InternalError: {kept}… [cut: 3145728 bytes in all] (request id r-1)")
        );
        assert_eq!(display.len(), 563, "3 MB of message make a 563-byte Display");
        let debug = format!("{error:?}");
        assert_eq!(
            debug,
            format!(
                "ServiceError {{ code: \"InternalError\", message: \"{kept}\"… [cut: 3145728 bytes in all], \
                 request_id: \"r-1\" }}"
            )
        );
        assert_eq!(debug.len(), 601);

        assert_eq!(error.message().len(), THREE_MB);
        assert_eq!(error.message(), message);
        assert_eq!((error.code(), error.request_id()), ("InternalError", "r-1"));
    }

    #[test]
    fn error_service_shows_the_cut_message_and_keeps_it_whole() {
        let message = "m".repeat(THREE_MB);
        let error: Error<Failure> = Error::Service(Failure::from_service_error(ServiceError::new(
            "InternalError",
            message.clone(),
            "r-1",
        )));
        let kept = "m".repeat(500);
        assert_eq!(
            error.to_string(),
            format!("service error InternalError: {kept}… [cut: 3145728 bytes in all] (request id r-1)")
        );
        assert_eq!(
            format!("{error:?}"),
            format!(
                "Service(Failure(ServiceError {{ code: \"InternalError\", message: \"{kept}\"… [cut: 3145728 \
                 bytes in all], request_id: \"r-1\" }}))"
            )
        );
        assert_eq!(error.service_error().map(ServiceError::message), Some(message.as_str()));
    }

    #[test]
    fn a_huge_code_and_request_id_are_cut_too() {
        let error = ServiceError::new("C".repeat(THREE_MB), "short", "R".repeat(THREE_MB + 1));
        let (code, id) = ("C".repeat(500), "R".repeat(500));
        assert_eq!(
            error.to_string(),
            format!("{code}… [cut: 3145728 bytes in all]: short (request id {id}… [cut: 3145729 bytes in all])")
        );
        assert_eq!(
            format!("{error:?}"),
            format!(
                "ServiceError {{ code: \"{code}\"… [cut: 3145728 bytes in all], message: \"short\", \
                 request_id: \"{id}\"… [cut: 3145729 bytes in all] }}"
            )
        );
        let wrapped: Error<Failure> = Error::Service(Failure(error));
        assert_eq!(wrapped.code().map(str::len), Some(THREE_MB));
        assert_eq!(wrapped.request_id().map(str::len), Some(THREE_MB + 1));
    }

    #[test]
    fn a_text_of_exactly_the_limit_is_shown_whole() {
        let at_limit = "x".repeat(500);
        let error = ServiceError::new("Code", at_limit.clone(), "r");
        assert_eq!(error.to_string(), format!("Code: {at_limit} (request id r)"));
        assert_eq!(
            format!("{error:?}"),
            format!("ServiceError {{ code: \"Code\", message: \"{at_limit}\", request_id: \"r\" }}")
        );

        let one_more = "x".repeat(501);
        assert_eq!(
            ServiceError::new("Code", one_more, "r").to_string(),
            format!("Code: {at_limit}… [cut: 501 bytes in all] (request id r)")
        );
    }

    #[test]
    fn multi_byte_characters_at_the_cut_are_left_out_whole() {
        let cases = [
            // "é" takes bytes 499 and 500: only the 499 bytes before it are kept.
            (format!("{}{}", "a".repeat(499), "é".repeat(10)), "a".repeat(499), 519),
            // "€" takes bytes 498 to 500.
            (format!("{}{}", "a".repeat(498), "€".repeat(10)), "a".repeat(498), 528),
            // The first "😀" takes bytes 497 to 500.
            (format!("{}{}", "a".repeat(497), "😀".repeat(2)), "a".repeat(497), 505),
            // The first "😀" ends exactly at the limit and is kept.
            (
                format!("{}{}", "a".repeat(496), "😀".repeat(2)),
                format!("{}😀", "a".repeat(496)),
                504,
            ),
            // 166 whole "€" are 498 bytes; the 167th would cross the limit.
            ("€".repeat(200), "€".repeat(166), 600),
        ];
        for (text, kept, total) in cases {
            assert_eq!(
                Shown(&text).to_string(),
                format!("{kept}… [cut: {total} bytes in all]"),
                "{kept}"
            );
            assert_eq!(
                format!("{:?}", Shown(&text)),
                format!("{kept:?}… [cut: {total} bytes in all]")
            );
        }
    }

    #[test]
    fn debug_escapes_the_kept_part() {
        let text = format!("{}\n", "\"".repeat(600));
        assert_eq!(
            format!("{:?}", Shown(&text)),
            format!("\"{}\"… [cut: 601 bytes in all]", "\\\"".repeat(500))
        );
        assert_eq!(format!("{:?}", Shown("a\"b\n")), r#""a\"b\n""#);
    }

    #[test]
    fn shown_borrows_what_fits_and_cuts_the_rest() {
        assert!(matches!(shown("fits"), Cow::Borrowed("fits")));
        assert!(matches!(shown(""), Cow::Borrowed("")));
        let long = "z".repeat(THREE_MB);
        assert_eq!(
            shown(&long),
            Cow::<str>::Owned(format!("{}… [cut: 3145728 bytes in all]", "z".repeat(500)))
        );
    }
}
