// The handle methods for the SSL Certificates side: seeding and reading the certificate store, and
// the switch that makes TEO's ModifyHostsCertificate accept only certificates found there.

use crate::model::Certificate;
use crate::store::Upload;
use crate::StandIn;

impl StandIn {
    /// Every certificate in the SSL store, in upload order. `Debug` of the result shows no
    /// private key or key password: the store never hands them out.
    pub fn certificates(&self) -> Vec<Certificate> {
        let state = self.shared.lock();
        state
            .store
            .certificates
            .rows
            .iter()
            .map(|row| row.certificate.clone())
            .collect()
    }

    /// One certificate of the SSL store, by id.
    pub fn certificate(&self, certificate_id: &str) -> Option<Certificate> {
        let state = self.shared.lock();
        let row = state.store.certificates.rows.get(certificate_id);
        row.map(|row| row.certificate.clone())
    }

    /// Stores a certificate as if `UploadCertificate` had, and returns its new id (8 letters and
    /// digits). It is an `SVR` certificate when a private key is given, else `CA`. Nothing is
    /// checked: the PEM is read for the domain and validity when it can be, and a text that is
    /// not a certificate is stored too (its domain is then the alias).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let stand_in = teo_stand_in::StandIn::builder().require_uploaded_certificates(true).start().await?;
    /// let id = stand_in.upload_certificate("-----BEGIN CERTIFICATE-----\n…", Some("-----BEGIN PRIVATE KEY-----\n…"), "site");
    /// assert_eq!(stand_in.certificate(&id).map(|c| c.certificate_type), Some("SVR".to_owned()));
    /// // ModifyHostsCertificate now accepts `id` and refuses ids never uploaded.
    /// # Ok(())
    /// # }
    /// ```
    pub fn upload_certificate(&self, certificate_pem: &str, private_key_pem: Option<&str>, alias: &str) -> String {
        let mut state = self.shared.lock();
        let state = &mut *state;
        let now = state.clock.now();
        let upload = Upload {
            certificate_pem: certificate_pem.to_owned(),
            private_key: private_key_pem.map(str::to_owned),
            key_password: None,
            certificate_type: if private_key_pem.is_some() { "SVR" } else { "CA" }.to_owned(),
            alias: alias.to_owned(),
            project_id: 0,
            certificate_use: None,
            tags: Vec::new(),
        };
        state.store.certificates.insert(&mut state.rng, upload, now)
    }

    /// Removes a certificate from the SSL store, as `DeleteCertificate` would; false when no
    /// certificate has this id. Bindings made with it in TEO are left as they are.
    pub fn delete_certificate(&self, certificate_id: &str) -> bool {
        let mut state = self.shared.lock();
        state.store.certificates.rows.remove(certificate_id).is_some()
    }

    /// When `require` is true, TEO's `ModifyHostsCertificate` refuses every certificate id that
    /// is not in the SSL store (`FailedOperation.CertificateNotFound`) or is there with the wrong
    /// type for its place; when false (the default) any non-empty id binds. Takes effect for the
    /// next request.
    pub fn require_uploaded_certificates(&self, require: bool) {
        self.shared.lock().store.certificates.require_uploaded = require;
    }

    /// Whether `ModifyHostsCertificate` currently requires uploaded certificates.
    pub fn requires_uploaded_certificates(&self) -> bool {
        self.shared.lock().store.certificates.require_uploaded
    }
}
