//! The few HTTP exchanges the temporary-credential sources make: a bounded request, a bounded
//! body, and failures described in words that never hold a credential.

use std::time::Duration;

use crate::error::ConfigError;

/// The largest answer read from the metadata service or STS; real ones are a few kilobytes.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// An HTTP client for credential requests: no idle connections kept (refreshes are minutes or
/// hours apart, and a pooled connection could belong to a Tokio runtime that is gone).
pub(crate) fn client(connect_timeout: Duration, proxies: bool) -> Result<reqwest::Client, ConfigError> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .pool_max_idle_per_host(0);
    // The instance metadata service is link-local: a proxy could not reach it.
    let builder = if proxies { builder } else { builder.no_proxy() };
    builder
        .build()
        .map_err(|e| ConfigError(format!("cannot set up the HTTP client for credentials: {e}")))
}

/// Why an exchange produced no answer.
pub(crate) enum NoAnswer {
    /// Nothing listens there, or nothing answered in time: the service is not there.
    Unreachable(String),
    /// The connection broke, or the answer was too large.
    Broken(String),
}

impl NoAnswer {
    pub(crate) fn into_problem(self) -> String {
        match self {
            NoAnswer::Unreachable(problem) | NoAnswer::Broken(problem) => problem,
        }
    }
}

/// Sends `request` with `timeout` for the whole exchange and reads the answer.
pub(crate) async fn exchange(request: reqwest::RequestBuilder, timeout: Duration) -> Result<(u16, Vec<u8>), NoAnswer> {
    let exchange = async {
        let mut response = request.send().await.map_err(|e| transport(&e, timeout))?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport(&e, timeout))? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(NoAnswer::Broken(format!(
                    "the answer is larger than {MAX_ANSWER_BYTES} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, body))
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(outcome) => outcome,
        Err(_) => Err(NoAnswer::Unreachable(format!(
            "no answer within {}",
            super::cache::seconds(timeout)
        ))),
    }
}

/// Describes a transport failure by its kind and innermost cause.
fn transport(error: &reqwest::Error, timeout: Duration) -> NoAnswer {
    if error.is_timeout() {
        return NoAnswer::Unreachable(format!("no answer within {}", super::cache::seconds(timeout)));
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if error.is_connect() {
        NoAnswer::Unreachable(format!("cannot connect: {cause}"))
    } else {
        NoAnswer::Broken(format!("the connection failed: {cause}"))
    }
}

/// Describes a JSON decoding failure by position only: serde's own message may quote a value.
pub(crate) fn json_problem(error: &serde_json::Error) -> String {
    let what = match error.classify() {
        serde_json::error::Category::Data => "JSON of the wrong shape",
        _ => "malformed JSON",
    };
    format!(
        "the answer is {what} (line {}, column {})",
        error.line(),
        error.column()
    )
}
