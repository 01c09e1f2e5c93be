// Failure injection: the `Fault` kinds a test can queue, and what each one makes the server send
// (or not send) in place of, or on top of, the normal answer.

use std::time::Duration;

use hyper::StatusCode;

/// One injected misbehaviour, applied to one incoming request (whatever it asks for).
///
/// Queue them with [`StandIn::push_fault`](crate::StandIn::push_fault) or
/// [`StandIn::fail_next`](crate::StandIn::fail_next). Faults that replace the answer
/// (everything but [`Fault::Delay`] and [`Fault::ContentTypeWithParams`]) skip the action, so
/// zone state does not change.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// HTTP 200 with the API error envelope carrying this code and message (any code, e.g.
    /// `RequestLimitExceeded` or `InternalError`).
    ApiError {
        /// The `Response.Error.Code` to send.
        code: String,
        /// The `Response.Error.Message` to send.
        message: String,
    },
    /// A non-200 HTTP status with an arbitrary body, as a proxy or load balancer would send.
    HttpStatus {
        /// The HTTP status code; a value outside 100..=999 is sent as 500.
        status: u16,
        /// The `Content-Type` header value.
        content_type: String,
        /// The body bytes, as text.
        body: String,
    },
    /// HTTP 200, `application/json`, a correct `Content-Length`, but the JSON stops halfway.
    TruncatedJson,
    /// HTTP 200 with a `text/html` page instead of JSON.
    NotJson,
    /// HTTP 200 with a JSON object that has no `Response` member.
    NoResponseObject,
    /// Waits this long, then serves the request normally (checks and action included).
    Delay(Duration),
    /// Closes the connection without sending any response bytes.
    DropConnection,
    /// Sends the status line and headers with a `Content-Length` larger than the body bytes that
    /// follow, then closes the connection.
    BodyCutShort,
    /// Serves normally but labels the answer `Content-Type: application/json; charset=utf-8`.
    ContentTypeWithParams,
}

impl Fault {
    /// The fault's kind without its payload (an injected message or body may quote a key).
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::ApiError { .. } => "ApiError",
            Fault::HttpStatus { .. } => "HttpStatus",
            Fault::TruncatedJson => "TruncatedJson",
            Fault::NotJson => "NotJson",
            Fault::NoResponseObject => "NoResponseObject",
            Fault::Delay(_) => "Delay",
            Fault::DropConnection => "DropConnection",
            Fault::BodyCutShort => "BodyCutShort",
            Fault::ContentTypeWithParams => "ContentTypeWithParams",
        }
    }

    /// An API error answer with this code and message.
    pub fn api_error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::ApiError {
            code: code.into(),
            message: message.into(),
        }
    }

    /// A status with a small HTML error page, like a reverse proxy's `502 Bad Gateway`.
    pub fn html_status(status: u16) -> Self {
        let reason = StatusCode::from_u16(status)
            .ok()
            .and_then(|code| code.canonical_reason())
            .unwrap_or("Error");
        Self::HttpStatus {
            status,
            content_type: "text/html; charset=utf-8".to_owned(),
            body: format!(
                "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n\
                 <center><h1>{status} {reason}</h1></center>\r\n<hr><center>stand-in</center>\r\n</body>\r\n</html>\r\n"
            ),
        }
    }
}

/// How the server turns a fault into bytes on the wire.
pub(crate) enum Plan {
    /// Send this instead of the normal answer.
    Replace(Canned),
    /// Close the connection with nothing sent.
    Drop,
    /// Wait, then serve normally.
    Delay(Duration),
    /// Serve normally with a parameterised JSON content type.
    ContentTypeWithParams,
}

/// A complete replacement answer.
pub(crate) struct Canned {
    pub(crate) status: StatusCode,
    pub(crate) content_type: String,
    pub(crate) body: Vec<u8>,
    /// Declare a `Content-Length` larger than `body` and close after it.
    pub(crate) cut_short: bool,
}

impl Canned {
    fn json(body: Vec<u8>) -> Self {
        Self {
            status: StatusCode::OK,
            content_type: "application/json".to_owned(),
            body,
            cut_short: false,
        }
    }
}

impl Fault {
    /// What to do for this fault; `request_id` fills the bodies that carry one.
    pub(crate) fn plan(&self, request_id: &str) -> Plan {
        let complete = format!("{{\"Response\":{{\"RequestId\":\"{request_id}\"}}}}").into_bytes();
        match self {
            Self::ApiError { code, message } => {
                let error = crate::response::ApiError {
                    code: code.clone(),
                    message: message.clone(),
                };
                Plan::Replace(Canned::json(crate::response::error_body(&error, request_id)))
            }
            Self::HttpStatus {
                status,
                content_type,
                body,
            } => Plan::Replace(Canned {
                status: StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                content_type: content_type.clone(),
                body: body.clone().into_bytes(),
                cut_short: false,
            }),
            Self::TruncatedJson => {
                let half = complete.len() / 2;
                Plan::Replace(Canned::json(complete[..half].to_vec()))
            }
            Self::NotJson => Plan::Replace(Canned {
                status: StatusCode::OK,
                content_type: "text/html".to_owned(),
                body: b"<!DOCTYPE html><html><body><h1>Welcome</h1><p>This is not the API.</p></body></html>".to_vec(),
                cut_short: false,
            }),
            Self::NoResponseObject => {
                Plan::Replace(Canned::json(format!("{{\"RequestId\":\"{request_id}\"}}").into_bytes()))
            }
            Self::Delay(duration) => Plan::Delay(*duration),
            Self::DropConnection => Plan::Drop,
            Self::BodyCutShort => Plan::Replace(Canned {
                cut_short: true,
                ..Canned::json(complete)
            }),
            Self::ContentTypeWithParams => Plan::ContentTypeWithParams,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_json_is_half_of_a_valid_document() {
        let Plan::Replace(canned) = Fault::TruncatedJson.plan("rid") else {
            panic!("TruncatedJson replaces the answer");
        };
        assert!(serde_json::from_slice::<serde_json::Value>(&canned.body).is_err());
        assert_eq!(canned.body.as_slice(), &br#"{"Response":{"RequestId":"rid"}}"#[..16]);
    }

    #[test]
    fn html_status_names_the_reason() {
        let Fault::HttpStatus {
            status,
            content_type,
            body,
        } = Fault::html_status(502)
        else {
            panic!("html_status builds HttpStatus");
        };
        assert_eq!(status, 502);
        assert!(content_type.starts_with("text/html"));
        assert!(body.contains("502 Bad Gateway"), "{body}");
    }

    #[test]
    fn out_of_range_status_falls_back_to_500() {
        let fault = Fault::HttpStatus {
            status: 42,
            content_type: "text/plain".to_owned(),
            body: String::new(),
        };
        let Plan::Replace(canned) = fault.plan("rid") else {
            panic!("HttpStatus replaces the answer");
        };
        assert_eq!(canned.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
