//! A spec for a service that has none yet: what `codegen import --spec NEW.json` starts from.
//!
//! The service's short name and version come from the official description's metadata; the
//! endpoints follow the API 3.0 pattern every service shares; the common error codes, which any
//! action of any service may return, are listed here with their meanings in our own words.

use crate::official::Official;
use crate::spec::{ErrorCode, Service, Spec};

/// The API 3.0 common error codes and what each means.
pub const COMMON_ERRORS: &[(&str, &str)] = &[
    (
        "ActionOffline",
        "The action has been taken offline and can no longer be called.",
    ),
    (
        "AuthFailure.InvalidAuthorization",
        "The Authorization header is malformed or does not follow the TC3-HMAC-SHA256 rules.",
    ),
    (
        "AuthFailure.InvalidSecretId",
        "The SecretId is not a valid key id (for example, not a cloud API key).",
    ),
    ("AuthFailure.MFAFailure", "Multi-factor authentication failed."),
    (
        "AuthFailure.SecretIdNotFound",
        "The SecretId does not exist, or the key has been disabled or deleted.",
    ),
    (
        "AuthFailure.SignatureExpire",
        "The request timestamp is too far from the server's clock; check the local time.",
    ),
    (
        "AuthFailure.SignatureFailure",
        "The signature does not match; check the SecretKey and how the request was signed.",
    ),
    (
        "AuthFailure.TokenFailure",
        "The session token is invalid or has expired.",
    ),
    (
        "AuthFailure.UnauthorizedOperation",
        "The caller is not authorized (CAM) to perform this request.",
    ),
    (
        "DryRunOperation",
        "The request would have succeeded, but DryRun was set.",
    ),
    ("FailedOperation", "The operation failed."),
    ("InternalError", "The service hit an internal error."),
    ("InvalidAction", "The action does not exist."),
    ("InvalidParameter", "A parameter is wrong (name, type or format)."),
    ("InvalidParameterValue", "A parameter value is not allowed."),
    ("InvalidRequest", "The request body is malformed."),
    ("IpInBlacklist", "The caller's IP address is on a blocklist."),
    ("IpNotInWhitelist", "The caller's IP address is not on the allowlist."),
    ("LimitExceeded", "A quota was exceeded."),
    ("MissingParameter", "A required parameter is missing."),
    ("NoSuchProduct", "The product does not exist."),
    ("NoSuchVersion", "The API version does not exist."),
    (
        "RequestLimitExceeded",
        "Too many requests: the rate limit was exceeded.",
    ),
    (
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "Too many requests from this account across regions.",
    ),
    (
        "RequestLimitExceeded.IPLimitExceeded",
        "Too many requests from this IP address.",
    ),
    (
        "RequestLimitExceeded.UinLimitExceeded",
        "Too many requests from this account.",
    ),
    ("RequestSizeLimitExceeded", "The request body is too large."),
    ("ResourceInUse", "The resource is in use."),
    ("ResourceInsufficient", "Not enough resources are available."),
    ("ResourceNotFound", "The resource does not exist."),
    ("ResourceUnavailable", "The resource is not available."),
    ("ResponseSizeLimitExceeded", "The response would be too large."),
    ("ServiceUnavailable", "The service is temporarily unavailable."),
    ("UnauthorizedOperation", "The operation is not authorized."),
    (
        "UnknownParameter",
        "The request has a parameter the action does not define.",
    ),
    ("UnsupportedOperation", "The operation is not supported."),
    (
        "UnsupportedProtocol",
        "The request used an unsupported protocol (for example, HTTP where HTTPS is required).",
    ),
    (
        "UnsupportedRegion",
        "The action is not available in the requested region.",
    ),
];

/// An empty spec for the service `official` describes, ready for `import` to add actions to.
pub fn new_spec(official: &Official, schema: Option<String>) -> Spec {
    let name = official.service.clone();
    Spec {
        schema,
        categories: Vec::new(),
        service: Service {
            endpoint: format!("{name}.tencentcloudapi.com"),
            intl_endpoint: format!("{name}.intl.tencentcloudapi.com"),
            title: format!("Tencent Cloud {} ({name})", name.to_uppercase()),
            documentation: format!(
                "The Tencent Cloud API 3.0 service `{name}`, version {}.",
                official.version
            ),
            common_errors: COMMON_ERRORS
                .iter()
                .map(|(code, meaning)| ErrorCode {
                    path: format!("service.common_errors.{code}"),
                    code: (*code).to_owned(),
                    description: (*meaning).to_owned(),
                })
                .collect(),
            name,
            version: official.version.clone(),
        },
        actions: Vec::new(),
        objects: Vec::new(),
        enums: Vec::new(),
        waiters: Vec::new(),
    }
}
