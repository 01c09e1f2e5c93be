//! TC3-HMAC-SHA256, the request signature of Tencent Cloud API 3.0.
//!
//! The signature covers the method, the canonical query string, the `content-type` and `host`
//! headers and the SHA-256 of the exact body bytes sent. The signing key is an HMAC chain over
//! the secret key, the UTC date, the service name and `tc3_request`; it changes once a day, so
//! [`Signer`] derives it once per secret key and date and keeps the keyed HMAC state. Signing a
//! request is then three SHA-256 passes over short inputs, hashed piece by piece, with the hex
//! digests in stack buffers and one allocation for the `Authorization` value.
//!
//! [`canonical_request`] and [`string_to_sign`] build the same intermediate strings as text, for
//! tests and debugging; the hot path feeds the very same pieces to the hashers.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::credential_values::Credentials;

/// The algorithm name at the head of the string to sign and of `Authorization`.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The value of `X-TC-Content-SHA256` for a request signed with [`Payload::Unsigned`].
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The only headers TC3 signs, in canonical order.
pub const SIGNED_HEADERS: &str = "content-type;host";
/// The content type of every JSON API call.
pub const JSON_CONTENT_TYPE: &str = "application/json";

type HmacSha256 = Hmac<Sha256>;

/// The parts of a request the signature covers.
#[derive(Clone, Copy, Debug)]
pub struct SignableRequest<'a> {
    /// `POST` (what the runtime sends) or `GET`.
    pub method: &'a str,
    /// The `Host` header exactly as sent: the host name, plus `:port` when it is not the
    /// scheme's default.
    pub host: &'a str,
    /// The canonical query string: empty for `POST`; for `GET` the URL-encoded query exactly as
    /// sent.
    pub query: &'a str,
    /// The `Content-Type` header exactly as sent.
    pub content_type: &'a str,
    /// The body, or the marker for an unsigned body.
    pub payload: Payload<'a>,
}

impl<'a> SignableRequest<'a> {
    /// A `POST` of a JSON body to `host`: what every API call of the runtime is.
    pub fn post_json(host: &'a str, body: &'a [u8]) -> Self {
        SignableRequest {
            method: "POST",
            host,
            query: "",
            content_type: JSON_CONTENT_TYPE,
            payload: Payload::Bytes(body),
        }
    }
}

/// What the signature says about the body.
#[derive(Clone, Copy)]
pub enum Payload<'a> {
    /// The exact body bytes sent; their SHA-256 is signed.
    Bytes(&'a [u8]),
    /// The body is not signed: the SHA-256 of `UNSIGNED-PAYLOAD` stands in for it, and the
    /// request must carry `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`.
    Unsigned,
}

/// Shows only the body's length: a body may hold a secret.
impl fmt::Debug for Payload<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Bytes(body) => write!(f, "Bytes({} bytes)", body.len()),
            Payload::Unsigned => f.write_str("Unsigned"),
        }
    }
}

impl Payload<'_> {
    /// Lowercase hex SHA-256 of what the signature covers.
    fn hashed(&self) -> Hex64 {
        match self {
            Payload::Bytes(body) => Hex64::of(&Sha256::digest(body).into()),
            Payload::Unsigned => Hex64::of(&Sha256::digest(UNSIGNED_PAYLOAD).into()),
        }
    }
}

/// Signs requests for one service, caching the signing key.
///
/// One `Signer` lives in each client and is shared by its clones. It remembers the signing key
/// of the last (secret key, date) pair it saw, and the hash state of the last canonical-request
/// prefix (method, query, content type and host: the same for every call of a client); a new
/// day, a rotated key or another host computes them again. Its `Debug` shows only the service
/// name.
pub struct Signer {
    service: Cow<'static, str>,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    key: Option<CachedKey>,
    prefix: Option<CachedPrefix>,
}

/// The keyed HMAC state for one secret key and one UTC day.
struct CachedKey {
    day: u64,
    secret_key: Arc<str>,
    mac: HmacSha256,
}

impl CachedKey {
    fn matches(&self, secret_key: &Arc<str>, day: u64) -> bool {
        self.day == day && (Arc::ptr_eq(&self.secret_key, secret_key) || self.secret_key == *secret_key)
    }
}

/// SHA-256 state after the canonical request's parts that precede the hashed payload.
struct CachedPrefix {
    method: String,
    query: String,
    content_type: String,
    host: String,
    hasher: Sha256,
}

impl CachedPrefix {
    fn new(request: &SignableRequest<'_>) -> Self {
        let mut hasher = Sha256::new();
        canonical_prefix_pieces(request, |piece| hasher.update(piece));
        CachedPrefix {
            method: request.method.to_owned(),
            query: request.query.to_owned(),
            content_type: request.content_type.to_owned(),
            host: request.host.to_owned(),
            hasher,
        }
    }

    fn matches(&self, request: &SignableRequest<'_>) -> bool {
        self.host == request.host
            && self.method == request.method
            && self.content_type == request.content_type
            && self.query == request.query
    }
}

impl Signer {
    /// A signer for `service`, the name in the credential scope (for example `teo`), whatever
    /// the host.
    pub fn new(service: impl Into<Cow<'static, str>>) -> Self {
        Signer {
            service: service.into(),
            cache: Mutex::new(Cache::default()),
        }
    }

    /// The service name signed into the credential scope.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The `Authorization` header value for `request`, sent at `timestamp` (seconds since the
    /// Unix epoch, the value of `X-TC-Timestamp`).
    pub fn authorization(&self, credentials: &Credentials, request: &SignableRequest<'_>, timestamp: u64) -> String {
        let date = UtcDate::from_timestamp(timestamp);
        let hashed_payload = request.payload.hashed();
        let (mut mac, mut canonical) =
            self.prepared(credentials.secret_key(), timestamp / SECONDS_PER_DAY, &date, request);
        canonical.update(hashed_payload.as_bytes());
        let canonical_hash = Hex64::of(&canonical.finalize().into());
        string_to_sign_pieces(&self.service, &date, timestamp, &canonical_hash, |piece| {
            mac.update(piece)
        });
        let signature = Hex64::of(&mac.finalize().into_bytes().into());

        let id = credentials.secret_id();
        let mut out = String::with_capacity(160 + id.len() + self.service.len());
        out.push_str(ALGORITHM);
        out.push_str(" Credential=");
        out.push_str(id);
        out.push('/');
        out.push_str(date.as_str());
        out.push('/');
        out.push_str(&self.service);
        out.push_str("/tc3_request, SignedHeaders=");
        out.push_str(SIGNED_HEADERS);
        out.push_str(", Signature=");
        out.push_str(signature.as_str());
        out
    }

    /// The HMAC keyed with the signing key for `secret_key` on `day`, and the hash state of
    /// the request's canonical prefix, from the cache when it holds them.
    fn prepared(
        &self,
        secret_key: &Arc<str>,
        day: u64,
        date: &UtcDate,
        request: &SignableRequest<'_>,
    ) -> (HmacSha256, Sha256) {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let mac = match &cache.key {
            Some(cached) if cached.matches(secret_key, day) => cached.mac.clone(),
            _ => {
                let mac = hmac_keyed(&derive_signing_key(secret_key, date.as_str(), &self.service));
                cache.key = Some(CachedKey {
                    day,
                    secret_key: Arc::clone(secret_key),
                    mac: mac.clone(),
                });
                mac
            }
        };
        let canonical = match &cache.prefix {
            Some(cached) if cached.matches(request) => cached.hasher.clone(),
            _ => {
                let prefix = CachedPrefix::new(request);
                let hasher = prefix.hasher.clone();
                cache.prefix = Some(prefix);
                hasher
            }
        };
        (mac, canonical)
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

/// Derives the signing key: HMAC-SHA256 chained over `date`, `service` and `tc3_request`,
/// starting from the key `TC3` + `secret_key`.
pub fn derive_signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let mut first = hmac_keyed_parts(&[b"TC3", secret_key.as_bytes()]);
    first.update(date.as_bytes());
    let secret_date: [u8; 32] = first.finalize().into_bytes().into();
    let secret_service = hmac_once(&secret_date, service.as_bytes());
    hmac_once(&secret_service, b"tc3_request")
}

/// The canonical request as text.
pub fn canonical_request(request: &SignableRequest<'_>) -> String {
    let mut out = Vec::with_capacity(256);
    canonical_request_pieces(request, &request.payload.hashed(), |piece| out.extend_from_slice(piece));
    String::from_utf8_lossy(&out).into_owned()
}

/// The string to sign as text.
pub fn string_to_sign(service: &str, request: &SignableRequest<'_>, timestamp: u64) -> String {
    let mut out = Vec::with_capacity(160);
    let date = UtcDate::from_timestamp(timestamp);
    string_to_sign_pieces(service, &date, timestamp, &canonical_request_hash(request), |piece| {
        out.extend_from_slice(piece)
    });
    String::from_utf8_lossy(&out).into_owned()
}

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp, as signed into the credential scope.
pub fn utc_date(timestamp: u64) -> String {
    UtcDate::from_timestamp(timestamp).as_str().to_owned()
}

const SECONDS_PER_DAY: u64 = 86_400;

/// Feeds the canonical request to `sink`, piece by piece:
/// `METHOD\n/\nQUERY\ncontent-type:TYPE\nhost:HOST\n\ncontent-type;host\nHASHED_PAYLOAD`.
fn canonical_request_pieces(request: &SignableRequest<'_>, hashed_payload: &Hex64, mut sink: impl FnMut(&[u8])) {
    canonical_prefix_pieces(request, &mut sink);
    sink(hashed_payload.as_bytes());
}

/// Everything of the canonical request before the hashed payload.
fn canonical_prefix_pieces(request: &SignableRequest<'_>, mut sink: impl FnMut(&[u8])) {
    for piece in [
        request.method.as_bytes(),
        b"\n/\n",
        request.query.as_bytes(),
        b"\ncontent-type:",
        request.content_type.as_bytes(),
        b"\nhost:",
        request.host.as_bytes(),
        b"\n\n",
        SIGNED_HEADERS.as_bytes(),
        b"\n",
    ] {
        sink(piece);
    }
}

fn canonical_request_hash(request: &SignableRequest<'_>) -> Hex64 {
    let mut hasher = Sha256::new();
    canonical_request_pieces(request, &request.payload.hashed(), |piece| hasher.update(piece));
    Hex64::of(&hasher.finalize().into())
}

/// Feeds the string to sign to `sink`:
/// `TC3-HMAC-SHA256\nTIMESTAMP\nDATE/SERVICE/tc3_request\nHASHED_CANONICAL_REQUEST`.
fn string_to_sign_pieces(
    service: &str,
    date: &UtcDate,
    timestamp: u64,
    canonical_hash: &Hex64,
    mut sink: impl FnMut(&[u8]),
) {
    let mut digits = [0u8; 20];
    for piece in [
        ALGORITHM.as_bytes(),
        b"\n",
        decimal(timestamp, &mut digits),
        b"\n",
        date.as_str().as_bytes(),
        b"/",
        service.as_bytes(),
        b"/tc3_request\n",
        canonical_hash.as_bytes(),
    ] {
        sink(piece);
    }
}

/// HMAC-SHA256 keyed with the concatenation of `parts`.
///
/// HMAC takes a key of any length: a key longer than the hash's block is hashed first, a
/// shorter one is zero-padded. Doing that here gives exactly one block-sized key, so the
/// infallible constructor applies.
fn hmac_keyed_parts(parts: &[&[u8]]) -> HmacSha256 {
    const BLOCK: usize = 64;
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let mut block = [0u8; BLOCK];
    if total > BLOCK {
        let mut hasher = Sha256::new();
        parts.iter().for_each(|p| hasher.update(p));
        block[..32].copy_from_slice(&hasher.finalize());
    } else {
        let mut at = 0;
        for part in parts {
            block[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
    }
    <HmacSha256 as KeyInit>::new(&block.into())
}

fn hmac_keyed(key: &[u8]) -> HmacSha256 {
    hmac_keyed_parts(&[key])
}

fn hmac_once(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = hmac_keyed(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Writes `n` in decimal at the end of `buf` and returns the digits.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

/// A 32-byte digest as 64 lowercase hex digits, on the stack.
struct Hex64([u8; 64]);

impl Hex64 {
    fn of(bytes: &[u8; 32]) -> Self {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (pair, byte) in out.chunks_exact_mut(2).zip(bytes) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
        }
        Hex64(out)
    }

    fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    fn as_str(&self) -> &str {
        // Hex digits are ASCII, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// A UTC date as `YYYY-MM-DD`, on the stack.
struct UtcDate([u8; 10]);

impl UtcDate {
    fn from_timestamp(timestamp: u64) -> Self {
        let (year, month, day) = civil_from_days(timestamp / SECONDS_PER_DAY);
        let mut out = *b"0000-00-00";
        let mut put = |range: std::ops::Range<usize>, mut value: u64| {
            for at in range.rev() {
                out[at] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0..4, year);
        put(5..7, month);
        put(8..10, day);
        UtcDate(out)
    }

    fn as_str(&self) -> &str {
        // Digits and dashes are ASCII, so this never falls back.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Converts a count of days since 1970-01-01 to a proleptic Gregorian (year, month, day).
///
/// Counts in 400-year eras of 146 097 days, with years starting on 1 March so the leap day
/// falls at the end of a year; see Howard Hinnant's "chrono-Compatible Low-Level Date
/// Algorithms" for the derivation.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01, a start of an era.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_match_the_calendar() {
        for (timestamp, date) in [
            (0, "1970-01-01"),
            (1_700_000_000, "2023-11-14"),
            (1_551_113_065, "2019-02-25"),
            (951_782_400, "2000-02-29"),
            (951_868_799, "2000-02-29"),
            (951_868_800, "2000-03-01"),
            (1_709_164_800, "2024-02-29"),
            (4_102_444_799, "2099-12-31"),
            (253_402_300_799, "9999-12-31"),
        ] {
            assert_eq!(utc_date(timestamp), date, "{timestamp}");
        }
    }

    #[test]
    fn decimal_writes_every_digit() {
        let mut buf = [0u8; 20];
        assert_eq!(decimal(0, &mut buf), b"0");
        assert_eq!(decimal(1_700_000_000, &mut buf), b"1700000000");
        assert_eq!(decimal(u64::MAX, &mut buf), b"18446744073709551615");
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2: a short key.
        assert_eq!(
            Hex64::of(&hmac_once(b"Jefe", b"what do ya want for nothing?")).as_str(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block, hashed first.
        assert_eq!(
            Hex64::of(&hmac_once(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ))
            .as_str(),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn cache_is_reused_for_the_same_key_and_day_and_replaced_otherwise() {
        let signer = Signer::new("teo");
        let creds = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE");
        let request = SignableRequest::post_json("teo.tencentcloudapi.com", b"{}");
        let first = signer.authorization(&creds, &request, 1_700_000_000);
        assert_eq!(signer.authorization(&creds, &request, 1_700_000_000), first);
        let day = |s: &Signer| s.cache.lock().unwrap().key.as_ref().map(|c| c.day);
        assert_eq!(day(&signer), Some(1_700_000_000 / SECONDS_PER_DAY));

        // A rotated key is noticed even on the same day.
        let rotated = Credentials::new("AKIDEXAMPLE", "OTHERSECRET");
        let other = signer.authorization(&rotated, &request, 1_700_000_000);
        assert_ne!(other, first);
        let fresh = Signer::new("teo").authorization(&rotated, &request, 1_700_000_000);
        assert_eq!(other, fresh);

        // Another host (or method, query, content type) is hashed afresh, then cached in turn.
        let intl = SignableRequest::post_json("teo.intl.tencentcloudapi.com", b"{}");
        let expected = Signer::new("teo").authorization(&rotated, &intl, 1_700_000_000);
        assert_eq!(signer.authorization(&rotated, &intl, 1_700_000_000), expected);
        assert_eq!(signer.authorization(&rotated, &request, 1_700_000_000), other);
        let get = SignableRequest {
            method: "GET",
            query: "ZoneId=z",
            ..intl
        };
        assert_ne!(signer.authorization(&rotated, &get, 1_700_000_000), expected);
        assert_eq!(
            signer.authorization(&rotated, &get, 1_700_000_000),
            Signer::new("teo").authorization(&rotated, &get, 1_700_000_000)
        );

        // The next day derives again.
        signer.authorization(&rotated, &request, 1_700_000_000 + SECONDS_PER_DAY);
        assert_eq!(day(&signer), Some(1_700_000_000 / SECONDS_PER_DAY + 1));
    }

    #[test]
    fn debug_shows_no_key_material() {
        let signer = Signer::new("teo");
        let creds = Credentials::new("AKIDEXAMPLE", "SECRETEXAMPLE");
        signer.authorization(&creds, &SignableRequest::post_json("h", b"{\"SecretKey\":\"abc\"}"), 1);
        assert_eq!(format!("{signer:?}"), r#"Signer { service: "teo", .. }"#);
        let request = SignableRequest::post_json("h", b"{\"SecretKey\":\"abc\"}");
        assert_eq!(
            format!("{request:?}"),
            r#"SignableRequest { method: "POST", host: "h", query: "", content_type: "application/json", payload: Bytes(19 bytes) }"#
        );
    }
}
