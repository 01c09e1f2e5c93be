// The SSL Certificates service (`ssl`, 2019-12-05), served on the same endpoint as TEO:
// UploadCertificate, DescribeCertificates and DeleteCertificate over the stand-in's certificate
// store. Private keys and key passwords are stored apart from what is listed, and no message here
// quotes them.

use serde_json::{json, Value};

use super::listing::Page;
use super::params::{members, missing, opt, req, Field, Kind, Params, STRINGS};
use super::{Answer, Ctx, Spec};
use crate::model::Certificate;
use crate::pem;
use crate::response::ApiError;
use crate::store::Upload;
use crate::time::plain_utc;

/// `DescribeCertificates.Limit` maximum.
pub(crate) const MAX_LIMIT: i64 = 1000;
/// `DescribeCertificates.Limit` when absent.
const DEFAULT_LIMIT: i64 = 10;
/// The two certificate types, as the service spells them.
const TYPES: [&str; 2] = ["SVR", "CA"];
/// `Certificates.Status` of a valid uploaded certificate ("approved").
const STATUS_VALID: u64 = 1;
/// `Certificates.Status` of a certificate past its `notAfter`.
const STATUS_EXPIRED: u64 = 3;
/// How close to `notAfter` a certificate counts as expiring (`IsExpiring`).
const EXPIRING_SECS: i64 = 30 * 86_400;

/// `Tags`.
const TAG: &[Field] = &[req("TagKey", Kind::Str), req("TagValue", Kind::Str)];
const TAGS: Kind = Kind::List(&Kind::Object(TAG));

pub(super) const ACTIONS: &[Spec] = &[
    Spec {
        name: "UploadCertificate",
        input: &[
            req("CertificatePublicKey", Kind::Str),
            opt("CertificatePrivateKey", Kind::Str),
            opt("CertificateType", Kind::Str),
            opt("Alias", Kind::Str),
            opt("ProjectId", Kind::Uint),
            opt("CertificateUse", Kind::Str),
            opt("Tags", TAGS),
            opt("Repeatable", Kind::Bool),
            // In the Chinese description of the same version, not (yet) in the English one.
            opt("KeyPassword", Kind::Str),
        ],
        run: upload,
    },
    Spec {
        name: "DescribeCertificates",
        input: &[
            opt("Offset", Kind::Uint),
            opt("Limit", Kind::Uint),
            opt("SearchKey", Kind::Str),
            opt("CertificateType", Kind::Str),
            opt("ProjectId", Kind::Uint),
            opt("ExpirationSort", Kind::Str),
            opt("CertificateStatus", Kind::List(&Kind::Uint)),
            opt("Deployable", Kind::Uint),
            opt("Upload", Kind::Int),
            opt("Renew", Kind::Int),
            opt("FilterSource", Kind::Str),
            opt("IsSM", Kind::Int),
            opt("FilterExpiring", Kind::Uint),
            opt("Hostable", Kind::Uint),
            opt("Tags", TAGS),
            opt("IsPendingIssue", Kind::Int),
            opt("CertIds", STRINGS),
        ],
        run: describe,
    },
    Spec {
        name: "DeleteCertificate",
        input: &[req("CertificateId", Kind::Str), opt("IsCheckResource", Kind::Bool)],
        run: delete,
    },
];

fn certificate_invalid(message: String) -> ApiError {
    ApiError::new("FailedOperation.CertificateInvalid", message)
}

fn tags(params: &Params<'_>) -> Vec<(String, String)> {
    params
        .objects("Tags")
        .iter()
        .map(|tag| {
            (
                tag.str("TagKey").unwrap_or_default().to_owned(),
                tag.str("TagValue").unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn upload(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let certificate_type = params.one_of_any_case("CertificateType", &TYPES)?.unwrap_or("SVR");
    let public_key = params.required_str("CertificatePublicKey")?;
    let ders = pem::certificates(public_key).map_err(|problem| {
        certificate_invalid(format!(
            "{} Send a PEM `CERTIFICATE` block (a chain may follow).",
            problem.describe("CertificatePublicKey")
        ))
    })?;
    let private_key = params.str("CertificatePrivateKey").filter(|key| !key.trim().is_empty());
    match private_key {
        None if certificate_type == "SVR" => {
            let mut error = missing("CertificatePrivateKey");
            error.message = "The parameter `CertificatePrivateKey` is required for an SVR certificate.".to_owned();
            return Err(error);
        }
        None => {}
        Some(key) => pem::check_private_key(key).map_err(|problem| {
            certificate_invalid(format!(
                "{} Send a PEM `PRIVATE KEY` block.",
                problem.describe("CertificatePrivateKey")
            ))
        })?,
    }
    let store = &mut ctx.store.certificates;
    if params.bool("Repeatable") == Some(false) {
        let fingerprint = ders.first().map(|der| pem::facts(der).fingerprint);
        if let Some(existing) = fingerprint.and_then(|fingerprint| store.find_fingerprint(&fingerprint)) {
            let id = existing.certificate.id.clone();
            return Ok(members(json!({ "CertificateId": id, "RepeatCertId": id })));
        }
    }
    let upload = Upload {
        certificate_pem: public_key.to_owned(),
        private_key: private_key.map(str::to_owned),
        key_password: params
            .str("KeyPassword")
            .filter(|password| !password.is_empty())
            .map(str::to_owned),
        certificate_type: certificate_type.to_owned(),
        alias: params.str("Alias").unwrap_or_default().to_owned(),
        project_id: params
            .int("ProjectId")
            .and_then(|id| u64::try_from(id).ok())
            .unwrap_or(0),
        certificate_use: params.str("CertificateUse").map(str::to_owned),
        tags: tags(&params),
    };
    let id = store.insert(ctx.rng, upload, ctx.now);
    Ok(members(json!({ "CertificateId": id, "RepeatCertId": null })))
}

fn describe(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let page = Page::read_with_default(&params, DEFAULT_LIMIT, MAX_LIMIT)?;
    let search = params
        .str("SearchKey")
        .map(str::to_ascii_lowercase)
        .filter(|key| !key.is_empty());
    let certificate_type = params.one_of_any_case("CertificateType", &TYPES)?;
    let project = params.int("ProjectId");
    let statuses: Vec<i64> = params.ints("CertificateStatus");
    let cert_ids = params.strings("CertIds");
    let wanted_tags = tags(&params);
    let source = match params.str("FilterSource").filter(|source| !source.is_empty()) {
        None => None,
        Some(_) => Some(params.one_of("FilterSource", &["upload", "buy"], "upload")?),
    };
    let sort = match params.str("ExpirationSort").filter(|sort| !sort.is_empty()) {
        None => None,
        Some(_) => Some(
            params
                .one_of_any_case("ExpirationSort", &["ASC", "DESC"])?
                .unwrap_or("ASC"),
        ),
    };
    let now = ctx.now;
    let matches = |certificate: &Certificate| {
        let text_hit = search.as_deref().is_none_or(|key| {
            [&certificate.id, &certificate.alias, &certificate.domain]
                .into_iter()
                .chain(&certificate.subject_alt_names)
                .any(|field| field.to_ascii_lowercase().contains(key))
        });
        text_hit
            && certificate_type.is_none_or(|wanted| certificate.certificate_type == wanted)
            && project.is_none_or(|wanted| i64::try_from(certificate.project_id).ok() == Some(wanted))
            && (statuses.is_empty() || statuses.contains(&(status(certificate, now) as i64)))
            && (cert_ids.is_empty() || cert_ids.contains(&certificate.id.as_str()))
            && wanted_tags.iter().all(|tag| certificate.tags.contains(tag))
            && source != Some("buy")
    };
    let mut listed: Vec<&Certificate> = ctx
        .store
        .certificates
        .rows
        .iter()
        .map(|row| &row.certificate)
        .filter(|certificate| matches(certificate))
        .collect();
    if let Some(order) = sort {
        // Unreadable end times sort last either way; the sort is stable, so ties keep upload order.
        listed.sort_by(|a, b| match (&a.not_after, &b.not_after) {
            (Some(a), Some(b)) if order == "DESC" => b.cmp(a),
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    let (total, shown) = page.take(listed.into_iter());
    let certificates: Vec<Value> = shown
        .into_iter()
        .map(|certificate| certificate_json(certificate, now))
        .collect();
    Ok(members(json!({ "TotalCount": total, "Certificates": certificates })))
}

fn delete(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let id = params.required_str("CertificateId")?;
    if ctx.store.certificates.rows.remove(id).is_none() {
        return Err(ApiError::new(
            "FailedOperation.CertificateNotFound",
            format!("The certificate `{id}` does not exist."),
        ));
    }
    Ok(members(json!({ "DeleteResult": true, "TaskId": null })))
}

/// `Certificates.Status`: approved until `notAfter`, then expired.
fn status(certificate: &Certificate, now: i64) -> u64 {
    match &certificate.not_after {
        Some(end) if *end < plain_utc(now) => STATUS_EXPIRED,
        _ => STATUS_VALID,
    }
}

/// One `Certificates` object.
fn certificate_json(certificate: &Certificate, now: i64) -> Value {
    let status = status(certificate, now);
    let expiring = certificate
        .not_after
        .as_ref()
        .is_some_and(|end| status == STATUS_VALID && *end < plain_utc(now.saturating_add(EXPIRING_SECS)));
    let tags: Vec<Value> = certificate
        .tags
        .iter()
        .map(|(key, value)| json!({ "TagKey": key, "TagValue": value }))
        .collect();
    json!({
        "CertificateId": certificate.id,
        "Alias": certificate.alias,
        "CertificateType": certificate.certificate_type,
        "Domain": certificate.domain,
        "SubjectAltName": certificate.subject_alt_names,
        "CertSANs": certificate.subject_alt_names,
        "From": "upload",
        "ProjectId": certificate.project_id.to_string(),
        "Status": status,
        "StatusName": if status == STATUS_VALID { "Approved" } else { "Expired" },
        "InsertTime": plain_utc(certificate.inserted_at),
        "CertBeginTime": certificate.not_before,
        "CertEndTime": certificate.not_after,
        "Tags": tags,
        "Deployable": status == STATUS_VALID,
        "IsWildcard": certificate.domain.starts_with("*."),
        "IsExpiring": expiring,
        "IsDv": false,
        "IsVip": false,
        "IsSM": false,
        "RenewAble": false,
        "AllowDownload": true,
        "KeyPasswordCustomFlag": certificate.has_key_password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::{run, Api};
    use crate::state::Rng;
    use crate::store::Store;

    const WWW: &str = include_str!("../../tests/fixtures/www.pem");
    const WWW_KEY: &str = include_str!("../../tests/fixtures/www.key");

    fn call(store: &mut Store, action: &str, body: Value) -> Answer {
        let mut rng = Rng::from_entropy();
        let mut ctx = Ctx {
            store,
            rng: &mut rng,
            now: 1_800_000_000,
        };
        run(Api::Ssl, action, body.to_string().as_bytes(), &mut ctx)
    }

    #[test]
    fn refusals_never_quote_the_private_key() {
        let mut store = Store::default();
        let secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXNhdWNl!!\n-----END PRIVATE KEY-----";
        let error = call(
            &mut store,
            "UploadCertificate",
            json!({ "CertificatePublicKey": WWW, "CertificatePrivateKey": secret, "KeyPassword": "pw-hunter2" }),
        )
        .err()
        .map(|error| (error.code, error.message));
        let (code, message) = error.unwrap_or_default();
        assert_eq!(code, "FailedOperation.CertificateInvalid");
        assert!(
            !message.contains("c2VjcmV0") && !message.contains("hunter2"),
            "{message}"
        );
    }

    #[test]
    fn an_uploaded_certificate_lists_with_its_facts() {
        let mut store = Store::default();
        let answer = call(
            &mut store,
            "UploadCertificate",
            json!({ "CertificatePublicKey": WWW, "CertificatePrivateKey": WWW_KEY, "Alias": "site" }),
        );
        let id = answer
            .ok()
            .and_then(|fields| fields["CertificateId"].as_str().map(str::to_owned));
        assert_eq!(id.as_ref().map(String::len), Some(8));
        let listed = call(&mut store, "DescribeCertificates", json!({})).unwrap_or_default();
        let first = &listed["Certificates"][0];
        assert_eq!(first["Domain"], "www.example.com");
        assert_eq!(first["CertEndTime"], "2036-11-29 18:21:36");
        assert_eq!(first["InsertTime"], plain_utc(1_800_000_000));
        assert_eq!(first["Status"], 1);
    }
}
