// Request checks done before any action runs: the common headers (action, version, timestamp,
// language, content type) and the TC3-HMAC-SHA256 signature, recomputed here from the protocol
// rules alone so that the stand-in checks a client rather than agreeing with it.

use std::fmt;

use hmac::{Hmac, Mac};
use hyper::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use sha2::{Digest, Sha256};

use crate::response::ApiError;

/// The only API version the TEO stand-in serves.
pub(crate) const VERSION: &str = "2022-09-01";
/// The service name that must appear in the TEO stand-in's credential scope.
pub(crate) const SERVICE: &str = "teo";

/// The service a server checks requests for: its name in the credential scope and its version.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Service {
    pub(crate) name: &'static str,
    pub(crate) version: &'static str,
}

/// TEO (EdgeOne), `2022-09-01`.
pub(crate) const TEO: Service = Service {
    name: SERVICE,
    version: VERSION,
};

/// What a server knows about the SecretId a request names.
pub(crate) enum KeyLookup {
    /// Accepted credentials (permanent, or temporary with the token they require).
    Active(Credentials),
    /// Temporary credentials this server once accepted, expired at this unix time.
    Expired(i64),
    /// Never heard of.
    Unknown,
}
/// How far, in seconds, a request's `X-TC-Timestamp` may be from the server's clock.
pub(crate) const MAX_TIMESTAMP_DRIFT_SECS: i64 = 300;

const ALGORITHM: &str = "TC3-HMAC-SHA256";
const TERMINATOR: &str = "tc3_request";
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
const REDACTED: &str = "<redacted>";

/// The one key pair the stand-in accepts, with the session token it then requires, if any.
///
/// `Debug` never prints the secret key or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
}

impl Credentials {
    /// Permanent credentials: requests signed with them must carry no `X-TC-Token`.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
        }
    }

    /// Makes these temporary credentials: every request must then send this exact `X-TC-Token`.
    #[must_use]
    pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The SecretId requests must name in their credential scope.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey signatures are checked against.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token requests must send, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &REDACTED)
            .field("token", &self.token.as_ref().map(|_| REDACTED))
            .finish()
    }
}

/// The server's notion of "now", in unix seconds: the system clock moved by a skew, or a fixed instant.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Clock {
    pub(crate) skew_secs: i64,
    pub(crate) fixed: Option<i64>,
}

impl Clock {
    pub(crate) fn now(&self) -> i64 {
        match self.fixed {
            Some(fixed) => fixed,
            None => system_unix_secs().saturating_add(self.skew_secs),
        }
    }
}

fn system_unix_secs() -> i64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX),
        Err(before_epoch) => i64::try_from(before_epoch.duration().as_secs()).map_or(i64::MIN, |secs| -secs),
    }
}

/// What a request that passed every check asks for.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) action: String,
}

/// The parts of an HTTP request the checks look at.
pub(crate) struct Inbound<'a> {
    pub(crate) query: &'a str,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// Runs every header and signature check, in the order the service reports them; `lookup` finds
/// the credentials of the SecretId the request names.
pub(crate) fn verify(
    request: &Inbound<'_>,
    service: Service,
    lookup: impl FnOnce(&str) -> KeyLookup,
    now: i64,
) -> Result<Checked, ApiError> {
    let headers = request.headers;
    let (checked, timestamp) = check_common_headers(headers, service)?;
    check_signature(request, service, lookup, timestamp, now)?;
    Ok(checked)
}

/// The checks before the signature: action, version, timestamp, language and content type.
/// Also all that is checked for requests sent with `Authorization: SKIP`.
pub(crate) fn check_common_headers(headers: &HeaderMap, service: Service) -> Result<(Checked, i64), ApiError> {
    let action = required_header(headers, "x-tc-action")?;
    let version = required_header(headers, "x-tc-version")?;
    if version != service.version {
        return Err(ApiError::new(
            "NoSuchVersion",
            format!(
                "The API version `{version}` of service `{}` does not exist; use `{}`.",
                service.name, service.version
            ),
        ));
    }
    let timestamp = parse_timestamp(required_header(headers, "x-tc-timestamp")?)?;
    if let Some(language) = optional_header(headers, "x-tc-language")? {
        if language != "zh-CN" && language != "en-US" {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("X-TC-Language `{language}` is not supported; use `zh-CN` or `en-US`."),
            ));
        }
    }
    check_content_type(headers)?;
    Ok((
        Checked {
            action: action.to_owned(),
        },
        timestamp,
    ))
}

fn check_signature(
    request: &Inbound<'_>,
    service: Service,
    lookup: impl FnOnce(&str) -> KeyLookup,
    timestamp: i64,
    now: i64,
) -> Result<(), ApiError> {
    let headers = request.headers;
    let authorization = headers
        .get(AUTHORIZATION)
        .ok_or_else(|| invalid_authorization("The Authorization header is missing."))?;
    let authorization = authorization
        .to_str()
        .map_err(|_| invalid_authorization("The Authorization header is not visible ASCII."))?;
    let authorization = Authorization::parse(authorization)?;
    authorization.check_scope(timestamp, service.name)?;

    if now.abs_diff(timestamp) > MAX_TIMESTAMP_DRIFT_SECS.unsigned_abs() {
        return Err(ApiError::new(
            "AuthFailure.SignatureExpire",
            format!(
                "The request's timestamp {timestamp} is more than {MAX_TIMESTAMP_DRIFT_SECS} seconds \
                 away from the server time {now}."
            ),
        ));
    }
    let credentials = match lookup(authorization.secret_id) {
        KeyLookup::Active(credentials) => credentials,
        KeyLookup::Expired(expired_time) => {
            return Err(ApiError::new(
                "AuthFailure.TokenFailure",
                format!("The temporary credentials expired at {expired_time}; the token is no longer valid."),
            ))
        }
        KeyLookup::Unknown => {
            return Err(ApiError::new(
                "AuthFailure.SecretIdNotFound",
                "The SecretId is not found.",
            ))
        }
    };
    check_token(headers, &credentials)?;

    let expected = signature(request, &authorization, timestamp, &credentials.secret_key)?;
    if !signatures_match(authorization.signature, &expected) {
        return Err(ApiError::new(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated: the signature does not match.",
        ));
    }
    Ok(())
}

fn invalid_authorization(message: impl Into<String>) -> ApiError {
    ApiError::new("AuthFailure.InvalidAuthorization", message)
}

fn optional_header<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, ApiError> {
    match headers.get(name) {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(|text| Some(text.trim()))
            .map_err(|_| ApiError::new("InvalidParameter", format!("The header `{name}` is not visible ASCII."))),
    }
}

fn required_header<'h>(headers: &'h HeaderMap, name: &str) -> Result<&'h str, ApiError> {
    match optional_header(headers, name)? {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(ApiError::new(
            "MissingParameter",
            format!("The request is missing the header `{name}`."),
        )),
    }
}

fn parse_timestamp(text: &str) -> Result<i64, ApiError> {
    let well_formed = !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<i64>() {
        Ok(secs) if well_formed => Ok(secs),
        _ => Err(ApiError::new(
            "InvalidParameter",
            format!("X-TC-Timestamp `{text}` is not a unix time in seconds."),
        )),
    }
}

/// `application/json`, in any letter case, optionally followed by parameters such as `charset`.
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let value = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let media_type = value.split(';').next().unwrap_or("").trim();
    if media_type.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameter",
            format!("Content-Type `{value}` is not supported; send `application/json`."),
        ))
    }
}

fn check_token(headers: &HeaderMap, credentials: &Credentials) -> Result<(), ApiError> {
    let sent = headers
        .get("x-tc-token")
        .map(|value| value.as_bytes())
        .filter(|value| !value.is_empty());
    match (credentials.token.as_deref(), sent) {
        (None, None) => Ok(()),
        (Some(expected), Some(sent)) if expected.as_bytes() == sent => Ok(()),
        (Some(_), None) => Err(ApiError::new(
            "AuthFailure.TokenFailure",
            "The SecretId belongs to temporary credentials but X-TC-Token is missing.",
        )),
        (Some(_), Some(_)) => Err(ApiError::new(
            "AuthFailure.TokenFailure",
            "The X-TC-Token is invalid or expired.",
        )),
        (None, Some(_)) => Err(ApiError::new(
            "AuthFailure.TokenFailure",
            "X-TC-Token was sent with permanent credentials, which take no token.",
        )),
    }
}

/// The parsed `Authorization` header.
#[derive(Debug)]
struct Authorization<'a> {
    secret_id: &'a str,
    date: &'a str,
    service: &'a str,
    terminator: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

impl<'a> Authorization<'a> {
    /// `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=<h1;h2>, Signature=<hex>`.
    fn parse(header: &'a str) -> Result<Self, ApiError> {
        let (algorithm, rest) = header
            .trim()
            .split_once(' ')
            .ok_or_else(|| invalid_authorization("The Authorization header is malformed."))?;
        if algorithm != ALGORITHM {
            return Err(invalid_authorization(format!(
                "The signing algorithm `{algorithm}` is not supported; use `{ALGORITHM}`."
            )));
        }
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for part in rest.split(',') {
            let (key, value) = part.trim().split_once('=').ok_or_else(|| {
                invalid_authorization(format!("The Authorization part `{}` is malformed.", part.trim()))
            })?;
            let slot = match key {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => {
                    return Err(invalid_authorization(format!(
                        "The Authorization part `{key}` is not recognized."
                    )))
                }
            };
            if slot.replace(value).is_some() {
                return Err(invalid_authorization(format!(
                    "The Authorization part `{key}` appears twice."
                )));
            }
        }
        let missing = |name: &str| invalid_authorization(format!("The Authorization header has no `{name}`."));
        let credential = credential.ok_or_else(|| missing("Credential"))?;
        let signed_headers = signed_headers.ok_or_else(|| missing("SignedHeaders"))?;
        let signature = signature.ok_or_else(|| missing("Signature"))?;

        let mut scope = credential.rsplitn(4, '/');
        let (Some(terminator), Some(service), Some(date), Some(secret_id)) =
            (scope.next(), scope.next(), scope.next(), scope.next())
        else {
            return Err(invalid_authorization(
                "The Credential must be <SecretId>/<YYYY-MM-DD>/<service>/tc3_request.",
            ));
        };
        if secret_id.is_empty() {
            return Err(invalid_authorization("The Credential names no SecretId."));
        }
        let names: Vec<&str> = signed_headers.split(';').collect();
        let well_formed = names
            .iter()
            .all(|name| !name.is_empty() && !name.bytes().any(|b| b.is_ascii_uppercase()));
        if !well_formed || !names.contains(&"content-type") || !names.contains(&"host") {
            return Err(invalid_authorization(format!(
                "SignedHeaders `{signed_headers}` must be lowercase names including `content-type` and `host`."
            )));
        }
        Ok(Self {
            secret_id,
            date,
            service,
            terminator,
            signed_headers,
            signature,
        })
    }

    /// The credential scope must be `<UTC date of the timestamp>/<service>/tc3_request`.
    fn check_scope(&self, timestamp: i64, service: &str) -> Result<(), ApiError> {
        let date = utc_date(timestamp);
        if self.date != date {
            return Err(invalid_authorization(format!(
                "The credential scope date `{}` does not match the UTC date `{date}` of X-TC-Timestamp.",
                self.date
            )));
        }
        if self.service != service {
            return Err(invalid_authorization(format!(
                "The credential scope service `{}` is not `{service}`.",
                self.service
            )));
        }
        if self.terminator != TERMINATOR {
            return Err(invalid_authorization(format!(
                "The credential scope must end in `{TERMINATOR}`, not `{}`.",
                self.terminator
            )));
        }
        Ok(())
    }
}

/// Recomputes the signature the client should have sent, as lowercase hex.
fn signature(
    request: &Inbound<'_>,
    authorization: &Authorization<'_>,
    timestamp: i64,
    secret_key: &str,
) -> Result<String, ApiError> {
    let hashed_payload = match request.headers.get("x-tc-content-sha256") {
        Some(value) if value.as_bytes() == UNSIGNED_PAYLOAD.as_bytes() => sha256_hex(UNSIGNED_PAYLOAD.as_bytes()),
        _ => sha256_hex(request.body),
    };
    let canonical = canonical_request(request, authorization.signed_headers, &hashed_payload);
    let scope = format!("{}/{}/{TERMINATOR}", authorization.date, authorization.service);
    let string_to_sign = format!(
        "{ALGORITHM}\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    sign(secret_key, authorization.date, authorization.service, &string_to_sign)
}

/// `POST\n/\n<query>\n<name:value\n per signed header>\n<signed headers>\n<hashed payload>`.
fn canonical_request(request: &Inbound<'_>, signed_headers: &str, hashed_payload: &str) -> String {
    let mut canonical = format!("POST\n/\n{}\n", request.query);
    for name in signed_headers.split(';') {
        let value = request
            .headers
            .get(name)
            .map(|value| String::from_utf8_lossy(value.as_bytes()));
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(value.as_deref().unwrap_or("").trim());
        canonical.push('\n');
    }
    canonical.push('\n');
    canonical.push_str(signed_headers);
    canonical.push('\n');
    canonical.push_str(hashed_payload);
    canonical
}

/// The TC3 key chain (`"TC3" + key` → date → service → `tc3_request`) applied to `string_to_sign`.
pub(crate) fn sign(secret_key: &str, date: &str, service: &str, string_to_sign: &str) -> Result<String, ApiError> {
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes())?;
    let secret_service = hmac_sha256(&secret_date, service.as_bytes())?;
    let secret_signing = hmac_sha256(&secret_service, TERMINATOR.as_bytes())?;
    Ok(hex::encode(hmac_sha256(&secret_signing, string_to_sign.as_bytes())?))
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Result<[u8; 32], ApiError> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .map_err(|_| ApiError::new("InternalError", "HMAC rejected the signing key."))?;
    mac.update(data);
    Ok(mac.finalize().into_bytes().into())
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Compares without stopping at the first differing byte, so timing tells nothing.
fn signatures_match(sent: &str, expected: &str) -> bool {
    let (sent, expected) = (sent.as_bytes(), expected.as_bytes());
    sent.len() == expected.len() && sent.iter().zip(expected).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
}

/// The UTC calendar date (`YYYY-MM-DD`) of a unix time, by Howard Hinnant's days-to-civil algorithm.
pub(crate) fn utc_date(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates_cover_epoch_leap_days_and_the_vectors() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(86_399), "1970-01-01");
        assert_eq!(utc_date(86_400), "1970-01-02");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(951_868_799), "2000-02-29");
        assert_eq!(utc_date(951_868_800), "2000-03-01");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(utc_date(1_700_000_000), "2023-11-14");
        assert_eq!(utc_date(4_107_542_400), "2100-03-01");
        assert_eq!(utc_date(-1), "1969-12-31");
    }

    /// The published "Signature v3" documentation example (a CVM request).
    #[test]
    fn key_chain_reproduces_the_documentation_example() {
        let string_to_sign = "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
                              5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031";
        let signature = sign("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "2019-02-25", "cvm", string_to_sign);
        assert_eq!(
            signature.as_deref(),
            Ok("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
        );
    }

    #[test]
    fn authorization_parsing_rejects_malformed_headers() {
        let good =
            "TC3-HMAC-SHA256 Credential=AKID/2023-11-14/teo/tc3_request, SignedHeaders=content-type;host, Signature=ab";
        let parsed = Authorization::parse(good).expect("well-formed header");
        assert_eq!(
            (parsed.secret_id, parsed.date, parsed.service),
            ("AKID", "2023-11-14", "teo")
        );
        for bad in [
            "",
            "TC3-HMAC-SHA256",
            "HMAC-SHA1 Credential=AKID/2023-11-14/teo/tc3_request, SignedHeaders=content-type;host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=AKID/2023-11-14/teo, SignedHeaders=content-type;host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=/2023-11-14/teo/tc3_request, SignedHeaders=content-type;host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=AKID/2023-11-14/teo/tc3_request, SignedHeaders=host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=AKID/2023-11-14/teo/tc3_request, SignedHeaders=Content-Type;Host, Signature=ab",
            "TC3-HMAC-SHA256 Credential=AKID/2023-11-14/teo/tc3_request, SignedHeaders=content-type;host",
            "TC3-HMAC-SHA256 Credential=AKID/2023-11-14/teo/tc3_request, Signature=ab, Signature=ab",
            "TC3-HMAC-SHA256 Credential=A/2023-11-14/teo/tc3_request, SignedHeaders=host;content-type, Signature=a,X=1",
        ] {
            let error = Authorization::parse(bad).err().map(|error| error.code);
            assert_eq!(error.as_deref(), Some("AuthFailure.InvalidAuthorization"), "{bad:?}");
        }
    }

    #[test]
    fn timestamps_must_be_plain_digits() {
        assert_eq!(parse_timestamp("1700000000"), Ok(1_700_000_000));
        for bad in ["", "+1700000000", "-5", "17e8", "1700000000.5", "99999999999999999999"] {
            assert_eq!(
                parse_timestamp(bad).map_err(|e| e.code).err().as_deref(),
                Some("InvalidParameter"),
                "{bad}"
            );
        }
    }

    #[test]
    fn credentials_debug_hides_key_and_token() {
        let credentials = Credentials::new("AKIDvisible", "hidden-key").with_session_token("hidden-token");
        let debug = format!("{credentials:?}");
        assert!(debug.contains("AKIDvisible"), "{debug}");
        assert!(
            !debug.contains("hidden-key") && !debug.contains("hidden-token"),
            "{debug}"
        );
    }
}
