// Just enough PEM and DER for the SSL stand-in: find the certificate blocks of an uploaded chain,
// check that a private key looks like one, and read from the first certificate the few facts the
// listing shows (subject common name, DNS subject alternative names, validity). No signature or
// key-pair check: that needs real cryptography and the stand-in only has to look plausible.
//
// Nothing here ever puts the text it was given into an error: the caller may have handed it a
// private key.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The facts read from the first certificate of an uploaded chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CertFacts {
    /// The subject's common name, when it has one.
    pub(crate) common_name: Option<String>,
    /// `dNSName` entries of the subject alternative name extension, in order.
    pub(crate) dns_names: Vec<String>,
    /// `notBefore` as `YYYY-MM-DD HH:MM:SS` (UTC).
    pub(crate) not_before: Option<String>,
    /// `notAfter` as `YYYY-MM-DD HH:MM:SS` (UTC).
    pub(crate) not_after: Option<String>,
    /// SHA-256 of the first certificate's DER bytes: what "the same certificate" means.
    pub(crate) fingerprint: [u8; 32],
}

/// Why a PEM text was refused; the messages never quote the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PemProblem {
    /// No `-----BEGIN …-----` / `-----END …-----` block of the wanted kind.
    NoBlock,
    /// A block's body is not base64.
    NotBase64,
    /// A block decodes to something that is not a DER `SEQUENCE`.
    NotDer,
}

impl PemProblem {
    pub(crate) fn describe(self, what: &str) -> String {
        match self {
            Self::NoBlock => format!("{what} holds no PEM block of the expected kind."),
            Self::NotBase64 => format!("{what} has a PEM block whose body is not base64."),
            Self::NotDer => format!("{what} has a PEM block that is not DER-encoded."),
        }
    }
}

/// The DER bytes of every `CERTIFICATE` block, in order; at least one.
pub(crate) fn certificates(text: &str) -> Result<Vec<Vec<u8>>, PemProblem> {
    let blocks = blocks(text, |label| label == "CERTIFICATE")?;
    if blocks.is_empty() {
        return Err(PemProblem::NoBlock);
    }
    Ok(blocks)
}

/// Whether `text` is one PEM private key (`PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`,
/// `ENCRYPTED PRIVATE KEY`, …) with a DER body.
pub(crate) fn check_private_key(text: &str) -> Result<(), PemProblem> {
    let blocks = blocks(text, |label| label.ends_with("PRIVATE KEY"))?;
    if blocks.is_empty() {
        return Err(PemProblem::NoBlock);
    }
    Ok(())
}

/// The decoded bodies of the blocks whose label `wanted` accepts, in order. Text outside blocks
/// is ignored; a block of an unwanted kind is skipped.
fn blocks(text: &str, wanted: impl Fn(&str) -> bool) -> Result<Vec<Vec<u8>>, PemProblem> {
    let mut found = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        let mut closed = false;
        for line in lines.by_ref() {
            if line == end {
                closed = true;
                break;
            }
            // Encrypted legacy keys carry `Proc-Type:` / `DEK-Info:` headers before the body.
            if !line.contains(':') {
                body.push_str(line);
            }
        }
        if !closed {
            return Err(PemProblem::NoBlock);
        }
        if !wanted(label) {
            continue;
        }
        let der = STANDARD.decode(body.as_bytes()).map_err(|_| PemProblem::NotBase64)?;
        if der.first() != Some(&0x30) || read_tlv(&der).is_none() {
            return Err(PemProblem::NotDer);
        }
        found.push(der);
    }
    Ok(found)
}

/// One DER element: its tag, its contents, and what follows it.
struct Tlv<'a> {
    tag: u8,
    contents: &'a [u8],
    rest: &'a [u8],
}

/// Reads one definite-length DER element (single-byte tags, lengths up to 4 bytes).
fn read_tlv(input: &[u8]) -> Option<Tlv<'_>> {
    let (&tag, input) = input.split_first()?;
    let (&first, mut input) = input.split_first()?;
    let length = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || input.len() < count {
            return None;
        }
        let (bytes, rest) = input.split_at(count);
        input = rest;
        bytes
            .iter()
            .fold(0usize, |length, &byte| (length << 8) | usize::from(byte))
    };
    if input.len() < length {
        return None;
    }
    let (contents, rest) = input.split_at(length);
    Some(Tlv { tag, contents, rest })
}

/// The elements inside a constructed element's contents, in order (stops at the first bad one).
fn children(contents: &[u8]) -> Vec<Tlv<'_>> {
    let mut items = Vec::new();
    let mut input = contents;
    while !input.is_empty() {
        let Some(item) = read_tlv(input) else { break };
        input = item.rest;
        items.push(item);
    }
    items
}

const SEQUENCE: u8 = 0x30;
const OID_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const OID_SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];

/// What the listing shows of a certificate, read from its DER; fields it cannot find stay empty.
pub(crate) fn facts(der: &[u8]) -> CertFacts {
    let mut facts = CertFacts {
        fingerprint: Sha256::digest(der).into(),
        ..CertFacts::default()
    };
    let Some(certificate) = read_tlv(der).filter(|tlv| tlv.tag == SEQUENCE) else {
        return facts;
    };
    let Some(tbs) = children(certificate.contents)
        .into_iter()
        .next()
        .filter(|tlv| tlv.tag == SEQUENCE)
    else {
        return facts;
    };
    let mut fields = children(tbs.contents).into_iter().peekable();
    // `[0] version` is optional; then serial, signature algorithm, issuer, validity, subject.
    if fields.peek().is_some_and(|field| field.tag == 0xa0) {
        fields.next();
    }
    let mut fields = fields.skip(3);
    if let Some(validity) = fields.next() {
        let times = children(validity.contents);
        facts.not_before = times.first().and_then(der_time);
        facts.not_after = times.get(1).and_then(der_time);
    }
    if let Some(subject) = fields.next() {
        facts.common_name = common_name(subject.contents);
    }
    // subjectPublicKeyInfo, then optional [1], [2] unique ids and [3] extensions.
    if let Some(extensions) = fields.find(|field| field.tag == 0xa3) {
        facts.dns_names = dns_names(extensions.contents);
    }
    facts
}

/// The last `CN` of a `Name` (RDNs run from the most general to the most specific).
fn common_name(name: &[u8]) -> Option<String> {
    let mut found = None;
    for rdn in children(name) {
        for attribute in children(rdn.contents) {
            let parts = children(attribute.contents);
            if let [oid, value] = parts.as_slice() {
                if oid.tag == 0x06 && oid.contents == OID_COMMON_NAME {
                    found = text(value);
                }
            }
        }
    }
    found
}

/// The `dNSName`s of the subject alternative name extension inside `[3] { SEQUENCE OF Extension }`.
fn dns_names(explicit: &[u8]) -> Vec<String> {
    let Some(list) = read_tlv(explicit) else {
        return Vec::new();
    };
    for extension in children(list.contents) {
        let parts = children(extension.contents);
        let Some(oid) = parts.first() else { continue };
        if oid.tag != 0x06 || oid.contents != OID_SUBJECT_ALT_NAME {
            continue;
        }
        // An optional BOOLEAN `critical` sits between the OID and the OCTET STRING.
        let Some(value) = parts.iter().skip(1).find(|part| part.tag == 0x04) else {
            continue;
        };
        let Some(names) = read_tlv(value.contents) else {
            continue;
        };
        return children(names.contents)
            .iter()
            .filter(|name| name.tag == 0x82)
            .filter_map(|name| std::str::from_utf8(name.contents).ok().map(str::to_owned))
            .collect();
    }
    Vec::new()
}

/// A `UTF8String`, `PrintableString`, `IA5String` or `T61String` as text.
fn text(value: &Tlv<'_>) -> Option<String> {
    matches!(value.tag, 0x0c | 0x13 | 0x16 | 0x14).then(|| String::from_utf8_lossy(value.contents).into_owned())
}

/// `UTCTime` (`YYMMDDHHMMSSZ`) or `GeneralizedTime` (`YYYYMMDDHHMMSSZ`) as `YYYY-MM-DD HH:MM:SS`.
fn der_time(value: &Tlv<'_>) -> Option<String> {
    let text = std::str::from_utf8(value.contents).ok()?;
    let digits = text.strip_suffix('Z')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let full = match (value.tag, digits.len()) {
        (0x17, 12) => {
            // RFC 5280: two-digit years 50–99 are 19xx, 00–49 are 20xx.
            let century = if digits < "50" { "20" } else { "19" };
            format!("{century}{digits}")
        }
        (0x18, 14) => digits.to_owned(),
        _ => return None,
    };
    Some(format!(
        "{}-{}-{} {}:{}:{}",
        &full[0..4],
        &full[4..6],
        &full[6..8],
        &full[8..10],
        &full[10..12],
        &full[12..14]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WWW: &str = include_str!("../tests/fixtures/www.pem");
    const WWW_KEY: &str = include_str!("../tests/fixtures/www.key");
    const CA: &str = include_str!("../tests/fixtures/ca.pem");

    #[test]
    fn a_server_certificate_gives_its_name_sans_and_validity() {
        let ders = certificates(WWW).expect("one certificate");
        assert_eq!(ders.len(), 1);
        let facts = facts(&ders[0]);
        assert_eq!(facts.common_name.as_deref(), Some("www.example.com"));
        assert_eq!(facts.dns_names, ["www.example.com", "example.com"]);
        assert_eq!(facts.not_before.as_deref(), Some("2026-12-02 18:21:36"));
        assert_eq!(facts.not_after.as_deref(), Some("2036-11-29 18:21:36"));
    }

    #[test]
    fn the_subject_common_name_wins_over_other_attributes() {
        let ders = certificates(CA).expect("one certificate");
        let facts = facts(&ders[0]);
        assert_eq!(facts.common_name.as_deref(), Some("Stand-in Test CA"));
        assert!(facts.dns_names.is_empty());
    }

    #[test]
    fn chains_keep_every_certificate_and_keys_are_not_certificates() {
        let chain = format!("{WWW}\n{CA}");
        assert_eq!(certificates(&chain).map(|ders| ders.len()), Ok(2));
        assert_eq!(certificates(WWW_KEY).err(), Some(PemProblem::NoBlock));
        assert_eq!(check_private_key(WWW_KEY), Ok(()));
        assert_eq!(check_private_key(WWW).err(), Some(PemProblem::NoBlock));
    }

    #[test]
    fn malformed_blocks_are_refused() {
        for (text, problem) in [
            ("", PemProblem::NoBlock),
            ("not a certificate", PemProblem::NoBlock),
            ("-----BEGIN CERTIFICATE-----\nMIIB\n", PemProblem::NoBlock),
            (
                "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----",
                PemProblem::NotBase64,
            ),
            (
                "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----",
                PemProblem::NotDer,
            ),
        ] {
            assert_eq!(certificates(text).err(), Some(problem), "{text:?}");
        }
        let message = PemProblem::NotBase64.describe("CertificatePrivateKey");
        assert!(message.starts_with("CertificatePrivateKey"), "{message}");
    }

    #[test]
    fn odd_der_never_panics() {
        for der in [
            &[][..],
            &[0x30],
            &[0x30, 0x85, 1, 2, 3, 4, 5],
            &[0x30, 0x03, 0x30, 0x01],
            &[0x30, 0x82, 0xff],
        ] {
            let _facts = facts(der);
        }
    }
}
