//! Calls by action name, with the request and the response as JSON text: what a generated
//! client's `send_json` runs for each action, for tools that handle every action alike (a command
//! line, a test that walks the whole API).
//!
//! The call is the typed one: the JSON is read into the action's request type (so it must have
//! the members and types the spec gives), checked against the spec's rules, sent like any call,
//! and the answer decoded into the response type before it is written back as JSON. A member the
//! request type does not know is an error rather than silently dropped.

use std::fmt;
use std::future::Future;

use crate::dispatch::{read_answer, Handle};
use crate::error::{ActionError, Error, ServiceError};
use crate::service::{ActionId, ActionMeta};
use crate::validation::ValidationError;
use crate::wire::{self, Decoding, WireValue};

/// Why a call by name failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum DynamicError {
    /// The client has no action of that name (it is not in the spec, or its category's cargo
    /// feature is off).
    UnknownAction {
        /// The name asked for.
        action: String,
    },
    /// The request JSON does not fit the action's request type; nothing was sent.
    Input {
        /// The action.
        action: &'static str,
        /// What is wrong, from the JSON reader (with its line and column), or the path of a
        /// member the request type does not have.
        reason: String,
    },
    /// The call was made and failed, or the request broke a rule and was not sent.
    Call(Error<ServiceError>),
}

impl fmt::Display for DynamicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DynamicError::UnknownAction { action } => write!(
                f,
                "unknown action {:?}: not in this client (or its category's cargo feature is off)",
                crate::error::Shown(action)
            ),
            DynamicError::Input { action, reason } => write!(
                f,
                "{action}: the request JSON does not fit: {}",
                crate::error::Shown(reason)
            ),
            DynamicError::Call(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for DynamicError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DynamicError::Call(e) => Some(e),
            _ => None,
        }
    }
}

/// The boxed future a generated `send_json` returns.
pub type JsonCall<'a> = std::pin::Pin<Box<dyn Future<Output = Result<String, DynamicError>> + Send + 'a>>;

/// Reads `input` as the request `I` of `action`, checks it with `check`, sends it and writes the
/// decoded response `O` back as JSON (members by wire name; sensitive members as the service
/// sent them, since the caller asked for the data).
pub fn call_json<'a, I, O, E>(
    handle: &'a Handle,
    id: ActionId,
    action: &'static str,
    input: &str,
    check: fn(&I) -> Result<(), ValidationError>,
) -> JsonCall<'a>
where
    I: WireValue + Send + 'static,
    O: WireValue + Send + 'static,
    E: ActionError,
{
    let request = read_request::<I>(action, input);
    Box::pin(async move {
        let request = request?;
        let checked = check(&request).map(|()| request);
        let output: O = handle
            .send::<I, O, E>(id, checked)
            .await
            .map_err(|e| DynamicError::Call(e.into_untyped()))?;
        Ok(output.to_wire().to_string())
    })
}

/// Something done with one action's types once the action is found by name: the generated
/// `Client::visit_action(name, visitor)` calls [`visit`](ActionVisitor::visit) with the action's
/// request type `I`, response type `O` and error type `E`. Nothing is compiled for a visitor that
/// is never used.
pub trait ActionVisitor {
    /// What a visit gives back.
    type Output;

    /// Runs on the action found: `action` is its entry in the service's table, `id` its position
    /// there, `check` its request's validation.
    fn visit<I, O, E>(
        self,
        action: &'static ActionMeta,
        id: ActionId,
        check: fn(&I) -> Result<(), ValidationError>,
    ) -> Self::Output
    where
        I: WireValue + Send + 'static,
        O: WireValue + Send + 'static,
        E: ActionError;
}

/// Sends the call with its request given as JSON text: the visitor behind a generated
/// `send_json` (see [`call_json`]). The request is read before the call starts, so `input` need
/// not outlive it.
#[derive(Debug)]
pub struct CallJson<'a, 'i> {
    handle: &'a Handle,
    input: &'i str,
}

impl<'a, 'i> CallJson<'a, 'i> {
    /// A call through `handle` with `input` as the request.
    pub fn new(handle: &'a Handle, input: &'i str) -> Self {
        CallJson { handle, input }
    }
}

impl<'a> ActionVisitor for CallJson<'a, '_> {
    type Output = JsonCall<'a>;

    fn visit<I, O, E>(
        self,
        action: &'static ActionMeta,
        id: ActionId,
        check: fn(&I) -> Result<(), ValidationError>,
    ) -> JsonCall<'a>
    where
        I: WireValue + Send + 'static,
        O: WireValue + Send + 'static,
        E: ActionError,
    {
        call_json::<I, O, E>(self.handle, id, action.name, self.input, check)
    }
}

/// Reads one answer (HTTP status and body) of the action found, exactly as a call reads it
/// ([`read_answer`]), and gives the decoded response back as JSON (members by wire name,
/// sensitive members in the clear, as the caller asked for the data). No network, no client.
///
/// ```
/// use tencentcloud_runtime::dynamic::{ActionVisitor, ReadAnswer};
/// use tencentcloud_runtime::{ActionId, ActionMeta};
/// static PING: ActionMeta =
///     ActionMeta { name: "Ping", rate_limit_per_second: None, read_only: true, sensitive_fields: &[] };
/// // What a generated `visit_action("Ping", ...)` does for an action whose response is any JSON.
/// let read = ReadAnswer::new(200, br#"{"Response":{"RequestId":"r"}}"#);
/// let answer = read.visit::<serde_json::Value, serde_json::Value, tencentcloud_runtime::ServiceError>(
///     &PING,
///     ActionId::new(0),
///     |_| Ok(()),
/// );
/// assert_eq!(answer.unwrap()["RequestId"], "r");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ReadAnswer<'a> {
    status: u16,
    body: &'a [u8],
}

impl<'a> ReadAnswer<'a> {
    /// An answer with this HTTP status and body.
    pub fn new(status: u16, body: &'a [u8]) -> Self {
        ReadAnswer { status, body }
    }
}

impl ActionVisitor for ReadAnswer<'_> {
    type Output = Result<serde_json::Value, Error<ServiceError>>;

    fn visit<I, O, E>(
        self,
        action: &'static ActionMeta,
        _id: ActionId,
        _check: fn(&I) -> Result<(), ValidationError>,
    ) -> Self::Output
    where
        I: WireValue + Send + 'static,
        O: WireValue + Send + 'static,
        E: ActionError,
    {
        read_answer::<O>(action, self.status, self.body).map(|output| output.to_wire())
    }
}

/// Reads `input` as the request `I` of `action` and checks it with `check`, as [`call_json`]
/// does before sending, and answers the body that would be sent (members by wire name, in the
/// request type's order), sending nothing: what a generated `check_json` runs, for a dry run.
pub fn check_json<I: WireValue>(
    action: &'static str,
    input: &str,
    check: fn(&I) -> Result<(), ValidationError>,
) -> Result<String, DynamicError> {
    let request = read_request::<I>(action, input)?;
    check(&request).map_err(|e| DynamicError::Call(Error::Validation(e)))?;
    Ok(request.to_wire().to_string())
}

/// No rule to check: for requests whose spec has no constraints.
pub fn unchecked<I>(_: &I) -> Result<(), ValidationError> {
    Ok(())
}

/// `input` as the request type, refusing members the type does not have.
fn read_request<I: WireValue>(action: &'static str, input: &str) -> Result<I, DynamicError> {
    let fail = |reason: String| DynamicError::Input { action, reason };
    let given: serde_json::Value = serde_json::from_str(input).map_err(|e| fail(e.to_string()))?;
    let request: I = wire::from_value(given.clone(), Decoding::Tolerant).map_err(|e| fail(e.to_string()))?;
    // The struct readers skip unknown members, as a response must; a request must not lose one.
    let kept = request.to_wire();
    if let Some(path) = first_unknown(&given, &kept, String::new()) {
        return Err(fail(format!("unknown member {path}")));
    }
    Ok(request)
}

/// The path of the first member of `given` that `kept` (the same value after a round trip
/// through the request type) lost.
fn first_unknown(given: &serde_json::Value, kept: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value;
    match (given, kept) {
        (Value::Object(g), Value::Object(k)) => g.iter().find_map(|(name, value)| {
            let at = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            match k.get(name) {
                None if !value.is_null() => Some(at),
                None => None,
                Some(kept) => first_unknown(value, kept, at),
            }
        }),
        (Value::Array(g), Value::Array(k)) => g
            .iter()
            .zip(k)
            .enumerate()
            .find_map(|(i, (g, k))| first_unknown(g, k, format!("{path}[{i}]"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_members_are_found_at_any_depth() {
        let kept = json!({"ZoneId": "z", "Filters": [{"Name": "a"}]});
        assert_eq!(first_unknown(&kept, &kept, String::new()), None);
        let given = json!({"ZoneId": "z", "Filters": [{"Name": "a", "Nmae": "b"}]});
        assert_eq!(
            first_unknown(&given, &kept, String::new()).as_deref(),
            Some("Filters[0].Nmae")
        );
        let given = json!({"Zone": "z"});
        assert_eq!(first_unknown(&given, &kept, String::new()).as_deref(), Some("Zone"));
        // A member sent as null is the same as left out.
        let given = json!({"ZoneId": "z", "Extra": null});
        assert_eq!(first_unknown(&given, &kept, String::new()), None);
    }

    #[test]
    fn unknown_action_names_the_action_and_the_feature() {
        let e = DynamicError::UnknownAction {
            action: "DescribeZonez".into(),
        };
        assert_eq!(
            e.to_string(),
            "unknown action \"DescribeZonez\": not in this client (or its category's cargo feature is off)"
        );
    }
}
