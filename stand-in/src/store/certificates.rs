// The SSL Certificates store: uploaded certificates in upload order, each with its private key and
// key password kept beside (never inside) the public `Certificate`, and the switch that makes TEO's
// ModifyHostsCertificate accept only ids found here.

use std::fmt;

use super::Table;
use crate::model::Certificate;
use crate::pem;
use crate::state::Rng;

/// Length of a generated certificate id.
const ID_LEN: usize = 8;

/// Text that must never be shown: `Debug` prints a placeholder.
// Kept as the service keeps it; nothing reads it back.
#[allow(dead_code)]
pub(crate) struct Secret(String);

impl Secret {
    /// Keeps `text` out of `Debug`.
    pub(crate) fn new(text: String) -> Self {
        Self(text)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One stored certificate.
#[derive(Debug)]
pub(crate) struct CertRow {
    pub(crate) certificate: Certificate,
    /// SHA-256 of the first certificate's DER, when it was readable (seeded certificates may not be).
    pub(crate) fingerprint: Option<[u8; 32]>,
    /// Kept as a service would keep it; the stand-in never reads it back.
    #[allow(dead_code)]
    pub(crate) private_key: Option<Secret>,
    /// Kept as a service would keep it; the stand-in never reads it back.
    #[allow(dead_code)]
    pub(crate) key_password: Option<Secret>,
}

/// What an upload stores, besides the id and time the store gives it.
pub(crate) struct Upload {
    pub(crate) certificate_pem: String,
    pub(crate) private_key: Option<String>,
    pub(crate) key_password: Option<String>,
    pub(crate) certificate_type: String,
    pub(crate) alias: String,
    pub(crate) project_id: u64,
    pub(crate) certificate_use: Option<String>,
    pub(crate) tags: Vec<(String, String)>,
}

/// Every uploaded certificate, by id, in upload order.
#[derive(Debug, Default)]
pub(crate) struct CertificateStore {
    pub(crate) rows: Table<CertRow>,
    /// When true, TEO's ModifyHostsCertificate refuses certificate ids not stored here.
    pub(crate) require_uploaded: bool,
}

impl CertificateStore {
    /// The first certificate with this fingerprint, if one is stored.
    pub(crate) fn find_fingerprint(&self, fingerprint: &[u8; 32]) -> Option<&CertRow> {
        self.rows
            .iter()
            .find(|row| row.fingerprint.as_ref() == Some(fingerprint))
    }

    /// Stores an upload under a fresh id, returned. The PEM is read for the listing's facts when
    /// it can be; a seeded one that cannot is stored all the same.
    pub(crate) fn insert(&mut self, rng: &mut Rng, upload: Upload, now: i64) -> String {
        let facts = pem::certificates(&upload.certificate_pem)
            .ok()
            .and_then(|ders| ders.first().map(|der| pem::facts(der)));
        let id = loop {
            let id = rng.short_id(ID_LEN);
            if !self.rows.contains(&id) {
                break id;
            }
        };
        let facts = facts.as_ref();
        let common_name = facts.and_then(|facts| facts.common_name.clone());
        let dns_names = facts.map(|facts| facts.dns_names.clone()).unwrap_or_default();
        let domain = common_name
            .clone()
            .or_else(|| dns_names.first().cloned())
            .unwrap_or_else(|| upload.alias.clone());
        let subject_alt_names = if dns_names.is_empty() {
            common_name.into_iter().collect()
        } else {
            dns_names
        };
        let certificate = Certificate {
            id: id.clone(),
            alias: upload.alias,
            certificate_type: upload.certificate_type,
            domain,
            subject_alt_names,
            not_before: facts.and_then(|facts| facts.not_before.clone()),
            not_after: facts.and_then(|facts| facts.not_after.clone()),
            project_id: upload.project_id,
            certificate_use: upload.certificate_use,
            tags: upload.tags,
            certificate_pem: upload.certificate_pem,
            has_private_key: upload.private_key.is_some(),
            has_key_password: upload.key_password.is_some(),
            inserted_at: now,
        };
        let row = CertRow {
            certificate,
            fingerprint: facts.map(|facts| facts.fingerprint),
            private_key: upload.private_key.map(Secret::new),
            key_password: upload.key_password.map(Secret::new),
        };
        // The loop above picked an id not in the table, so this cannot be refused.
        let _inserted = self.rows.insert(id.clone(), row);
        id
    }
}
