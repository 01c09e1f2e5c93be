//! How a run ends badly: an exit code in aws-cli's convention and the message for stderr.

use generated_client::runtime::dynamic::DynamicError;
use generated_client::Error;
use generated_client::ServiceError;

use crate::spec_types::Action;

/// Bad usage or input; nothing was sent.
pub const USAGE: u8 = 252;
/// Configuration or credentials.
pub const CONFIG: u8 = 253;
/// The service answered with an error.
pub const SERVICE: u8 = 254;
/// Anything else (a transport failure, an answer that does not decode).
pub const OTHER: u8 = 255;
/// Interrupted (Ctrl-C).
pub const INTERRUPTED: u8 = 130;

/// A run that failed: the exit code and what to print on stderr.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// The message, without the `teo: ` prefix.
    pub message: String,
}

impl Failure {
    /// Bad usage or input (252).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: USAGE,
            message: message.into(),
        }
    }

    /// Configuration or credentials (253).
    pub fn config(message: impl Into<String>) -> Failure {
        Failure {
            code: CONFIG,
            message: message.into(),
        }
    }

    /// Anything else (255).
    pub fn other(message: impl Into<String>) -> Failure {
        Failure {
            code: OTHER,
            message: message.into(),
        }
    }
}

/// A failed call as a [`Failure`]; the library's messages name wire members, and the flag of
/// each top-level member of `action` is put beside it.
pub fn from_dynamic(error: DynamicError, action: Option<&Action>) -> Failure {
    match error {
        DynamicError::UnknownAction { action } => Failure::usage(format!("unknown action {action}")),
        DynamicError::Input { reason, .. } => Failure::usage(format!("bad input: {}", with_flags(&reason, action))),
        DynamicError::Call(e) => from_call(e, action),
        other => Failure::other(other.to_string()),
    }
}

/// A failed call of the library as a [`Failure`].
pub fn from_call(error: Error<ServiceError>, action: Option<&Action>) -> Failure {
    match error {
        Error::Service(e) => Failure {
            code: SERVICE,
            message: format!(
                "the service answered {}: {} (RequestId {})",
                e.code(),
                e.message(),
                e.request_id()
            ),
        },
        Error::Validation(v) => {
            let lines: Vec<String> = v
                .violations
                .iter()
                .map(|violation| format!("{}: {}", flag_of(&violation.member, action), violation.rule))
                .collect();
            Failure::usage(format!("invalid input, nothing was sent:\n  {}", lines.join("\n  ")))
        }
        e @ (Error::Credentials(_) | Error::Config(_)) => Failure::config(e.to_string()),
        other => Failure::other(other.to_string()),
    }
}

/// A member path (`Filters[0].Name`) with the flag of its top-level member in front:
/// `--filters (Filters[0].Name)`.
pub fn flag_of(path: &str, action: Option<&Action>) -> String {
    let top = path.split(['.', '[']).next().unwrap_or(path);
    match action.and_then(|a| a.input.iter().find(|m| m.wire == top)) {
        Some(member) => format!("--{} ({path})", member.flag),
        None => path.to_owned(),
    }
}

/// A reason from the JSON reader with `unknown member X` or a member path shown with its flag.
fn with_flags(reason: &str, action: Option<&Action>) -> String {
    match reason.strip_prefix("unknown member ") {
        Some(path) => format!("unknown member {path}"),
        None => {
            // The wire reader names the member first: `ZoneId: invalid type: ...`.
            match reason.split_once(": ") {
                Some((path, rest)) if !path.contains(' ') => format!("{}: {rest}", flag_of(path, action)),
                _ => reason.to_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_types::find_action;

    #[test]
    fn member_paths_get_their_flag() {
        let action = find_action("describe-zones");
        assert_eq!(flag_of("Filters[0].Name", action), "--filters (Filters[0].Name)");
        assert_eq!(flag_of("Limit", action), "--limit (Limit)");
        assert_eq!(flag_of("Nothing", action), "Nothing");
    }
}
