// ModifyHostsCertificate: binds server certificates (and optionally edge and origin-pull mutual
// TLS) to acceleration domains of a zone. Any non-empty CertId is accepted unless the stand-in
// was told to require uploaded certificates: then each id must name a certificate of its SSL
// store, of the right type. The binding shows up in DescribeAccelerationDomains as `Certificate`.

use serde_json::{json, Map, Value};

use super::params::{invalid_value, opt, req, zone_id, Field, Kind, Params, STRINGS};
use super::{zone_mut, zone_ref, Answer, Ctx, Spec};
use crate::model::{HostCertificate, MutualTls};
use crate::response::ApiError;
use crate::store::{domain_key, CertificateStore};
use crate::time::iso_utc;

/// Most hosts one request may configure.
pub(crate) const MAX_HOSTS: usize = 100;
const MODES: [&str; 4] = ["disable", "eofreecert", "eofreecert_manual", "sslcert"];

/// `ServerCertInfo`.
const SERVER_CERT_INFO: &[Field] = &[
    req("CertId", Kind::Str),
    opt("Alias", Kind::Str),
    opt("Type", Kind::Str),
    opt("ExpireTime", Kind::Str),
    opt("DeployTime", Kind::Str),
    opt("SignAlgo", Kind::Str),
    opt("CommonName", Kind::Str),
];
/// `CertificateInfo`.
const CERTIFICATE_INFO: &[Field] = &[
    req("CertId", Kind::Str),
    opt("Alias", Kind::Str),
    opt("Type", Kind::Str),
    opt("ExpireTime", Kind::Str),
    opt("DeployTime", Kind::Str),
    opt("SignAlgo", Kind::Str),
    opt("Status", Kind::Str),
];
/// `MutualTLS`.
const MUTUAL_TLS: &[Field] = &[
    req("Switch", Kind::Str),
    opt("CertInfos", Kind::List(&Kind::Object(CERTIFICATE_INFO))),
];
/// `OriginCertificateVerify`.
const ORIGIN_CERTIFICATE_VERIFY: &[Field] = &[
    req("VerificationMode", Kind::Str),
    opt("CustomCACerts", Kind::List(&Kind::Object(CERTIFICATE_INFO))),
];
/// `UpstreamCertInfo`.
const UPSTREAM_CERT_INFO: &[Field] = &[
    opt("UpstreamMutualTLS", Kind::Object(MUTUAL_TLS)),
    opt("UpstreamCertificateVerify", Kind::Object(ORIGIN_CERTIFICATE_VERIFY)),
];

pub(super) const ACTIONS: &[Spec] = &[Spec {
    name: "ModifyHostsCertificate",
    input: &[
        req("ZoneId", Kind::Str),
        req("Hosts", STRINGS),
        opt("Mode", Kind::Str),
        opt("ServerCertInfo", Kind::List(&Kind::Object(SERVER_CERT_INFO))),
        opt("ApplyType", Kind::Str),
        opt("ClientCertInfo", Kind::Object(MUTUAL_TLS)),
        opt("UpstreamCertInfo", Kind::Object(UPSTREAM_CERT_INFO)),
    ],
    run: modify,
}];

/// What one request changes; `None` members keep each host's current setting.
struct Change {
    mode: Option<String>,
    server_cert_ids: Vec<String>,
    apply_type: Option<String>,
    client_cert: Option<MutualTls>,
    upstream_mutual_tls: Option<MutualTls>,
    /// (mode, CA certificate ids).
    upstream_verify: Option<(String, Vec<String>)>,
}

fn modify(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    params.at_most("Hosts", MAX_HOSTS)?;
    let hosts = params.strings("Hosts");
    if hosts.is_empty() {
        return Err(invalid_value("Hosts must name at least one acceleration domain."));
    }
    let change = read_change(&params)?;
    let now = ctx.now;
    let data = zone_ref(ctx.store, zone, "ResourceUnavailable.ZoneNotFound")?;
    if let Some(unknown) = hosts.iter().find(|host| !data.domains.contains(&domain_key(host))) {
        return Err(ApiError::new(
            "ResourceUnavailable.HostNotFound",
            format!("The host `{unknown}` is not an acceleration domain of the zone `{zone}`."),
        ));
    }
    if ctx.store.certificates.require_uploaded {
        check_uploaded(&change, &ctx.store.certificates)?;
    }
    let data = zone_mut(ctx.store, zone, "ResourceUnavailable.ZoneNotFound")?;
    for host in hosts {
        if let Some(domain) = data.domains.get_mut(&domain_key(host)) {
            domain.certificate = Some(apply(domain.certificate.take(), &change, now));
            domain.modified_on = now;
        }
    }
    Ok(Map::new())
}

fn read_change(params: &Params<'_>) -> Result<Change, ApiError> {
    let server_cert_ids = cert_ids(params, "ServerCertInfo", "InvalidParameter.InvalidCertInfo")?;
    // Without a Mode, certificates given mean sslcert; nothing given keeps the host's mode.
    let mode = match params.str("Mode") {
        Some(_) => Some(params.one_of("Mode", &MODES, "disable")?.to_owned()),
        None if !server_cert_ids.is_empty() => Some("sslcert".to_owned()),
        None => None,
    };
    if mode.as_deref() == Some("sslcert") && server_cert_ids.is_empty() {
        return Err(ApiError::new(
            "InvalidParameter.InvalidCertInfo",
            "Mode sslcert needs at least one certificate in ServerCertInfo.",
        ));
    }
    let apply_type = params
        .str("ApplyType")
        .map(|_| {
            params
                .one_of("ApplyType", &["none", "apply"], "none")
                .map(str::to_owned)
        })
        .transpose()?;
    let client_cert = params
        .object("ClientCertInfo")
        .map(|tls| {
            mutual_tls(
                &tls,
                "ClientCertInfo",
                "InvalidParameterValue.CertificateVerifyClientNeedCert",
            )
        })
        .transpose()?;
    let upstream = params.object("UpstreamCertInfo");
    let upstream_mutual_tls = upstream
        .and_then(|upstream| upstream.object("UpstreamMutualTLS"))
        .map(|tls| {
            mutual_tls(
                &tls,
                "UpstreamCertInfo.UpstreamMutualTLS",
                "InvalidParameterValue.CertificateVerifyUpstreamClientNeedCert",
            )
        })
        .transpose()?;
    let upstream_verify = upstream
        .and_then(|upstream| upstream.object("UpstreamCertificateVerify"))
        .map(|verify| {
            let mode = verify.one_of("VerificationMode", &["disable", "custom_ca"], "disable")?;
            let ids = cert_ids(
                &verify,
                "CustomCACerts",
                "InvalidParameter.UpstreamVerifyCertCheckError",
            )?;
            if mode == "custom_ca" && ids.is_empty() {
                return Err(ApiError::new(
                    "InvalidParameterValue.CertificateVerifyUpstreamVerifyCustomCANeedCert",
                    "VerificationMode custom_ca needs at least one certificate in CustomCACerts.",
                ));
            }
            Ok((mode.to_owned(), ids))
        })
        .transpose()?;
    Ok(Change {
        mode,
        server_cert_ids,
        apply_type,
        client_cert,
        upstream_mutual_tls,
        upstream_verify,
    })
}

/// Each certificate id of `change` must name a certificate of `store` of the type its place needs
/// (server and origin-client certificates `SVR`, edge-client and origin CA certificates `CA`).
fn check_uploaded(change: &Change, store: &CertificateStore) -> Result<(), ApiError> {
    fn ids_of(tls: Option<&MutualTls>) -> &[String] {
        tls.map_or(&[], |tls| tls.cert_ids.as_slice())
    }
    let places: [(&[String], &str, &str, &str); 4] = [
        (
            &change.server_cert_ids,
            "ServerCertInfo",
            "SVR",
            "InvalidParameter.InvalidCertInfo",
        ),
        (
            ids_of(change.client_cert.as_ref()),
            "ClientCertInfo.CertInfos",
            "CA",
            "InvalidParameterValue.CertificateVerifyClientMustCa",
        ),
        (
            ids_of(change.upstream_mutual_tls.as_ref()),
            "UpstreamCertInfo.UpstreamMutualTLS.CertInfos",
            "SVR",
            "InvalidParameterValue.CertificateVerifyUpstreamClientMustSVR",
        ),
        (
            change.upstream_verify.as_ref().map_or(&[], |(_, ids)| ids.as_slice()),
            "UpstreamCertInfo.UpstreamCertificateVerify.CustomCACerts",
            "CA",
            "InvalidParameterValue.CertificateVerifyUpstreamVerifyCustomCAMustCA",
        ),
    ];
    for (ids, place, wanted_type, wrong_type) in places {
        for (index, id) in ids.iter().enumerate() {
            let Some(row) = store.rows.get(id) else {
                return Err(ApiError::new(
                    "FailedOperation.CertificateNotFound",
                    format!("`{place}.{index}.CertId` `{id}` names no uploaded certificate."),
                ));
            };
            let found_type = &row.certificate.certificate_type;
            if found_type != wanted_type {
                return Err(ApiError::new(
                    wrong_type,
                    format!(
                        "`{place}.{index}.CertId` `{id}` is a {found_type} certificate; {place} needs {wanted_type}."
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The `CertId`s of a certificate list; an empty id is refused with `code`.
fn cert_ids(params: &Params<'_>, name: &str, code: &str) -> Result<Vec<String>, ApiError> {
    params
        .objects(name)
        .into_iter()
        .enumerate()
        .map(|(index, cert)| match cert.str("CertId").map(str::trim) {
            Some(id) if !id.is_empty() => Ok(id.to_owned()),
            _ => Err(ApiError::new(
                code,
                format!("`{name}.{index}.CertId` must not be empty."),
            )),
        })
        .collect()
}

/// A `MutualTLS` setting; switching it on needs certificates (refused with `need_cert` otherwise).
fn mutual_tls(tls: &Params<'_>, path: &str, need_cert: &str) -> Result<MutualTls, ApiError> {
    let switch = tls.one_of("Switch", &["on", "off"], "off")?;
    let cert_ids = cert_ids(tls, "CertInfos", "InvalidParameter.InvalidCertInfo")?;
    if switch == "on" && cert_ids.is_empty() {
        return Err(ApiError::new(
            need_cert,
            format!("{path}.Switch on needs at least one certificate in CertInfos."),
        ));
    }
    Ok(MutualTls {
        switch: switch.to_owned(),
        cert_ids,
    })
}

/// A host's binding after `change`.
fn apply(current: Option<HostCertificate>, change: &Change, now: i64) -> HostCertificate {
    let mut binding = current.unwrap_or(HostCertificate {
        mode: "disable".to_owned(),
        server_cert_ids: Vec::new(),
        apply_type: "none".to_owned(),
        client_cert: None,
        upstream_mutual_tls: None,
        upstream_verification_mode: None,
        upstream_ca_cert_ids: Vec::new(),
        deploy_time: now,
    });
    if let Some(mode) = &change.mode {
        mode.clone_into(&mut binding.mode);
        binding.server_cert_ids = if mode == "sslcert" {
            change.server_cert_ids.clone()
        } else {
            Vec::new()
        };
    }
    if let Some(apply_type) = &change.apply_type {
        apply_type.clone_into(&mut binding.apply_type);
    }
    if let Some(client) = &change.client_cert {
        binding.client_cert = Some(client.clone());
    }
    if let Some(upstream) = &change.upstream_mutual_tls {
        binding.upstream_mutual_tls = Some(upstream.clone());
    }
    if let Some((mode, ids)) = &change.upstream_verify {
        binding.upstream_verification_mode = Some(mode.clone());
        binding.upstream_ca_cert_ids.clone_from(ids);
    }
    binding.deploy_time = now;
    binding
}

/// `AccelerationDomainCertificate`; a host never configured shows mode `disable`.
pub(crate) fn certificate_json(binding: Option<&HostCertificate>) -> Value {
    let Some(binding) = binding else {
        return json!({ "Mode": "disable", "List": [] });
    };
    let deployed = |id: &String| {
        json!({
            "CertId": id,
            "Type": "upload",
            "Status": "deployed",
            "DeployTime": iso_utc(binding.deploy_time),
        })
    };
    let tls_json = |tls: &MutualTls| {
        json!({
            "Switch": tls.switch,
            "CertInfos": tls.cert_ids.iter().map(deployed).collect::<Vec<_>>(),
        })
    };
    let mut value = json!({
        "Mode": binding.mode,
        "List": binding.server_cert_ids.iter().map(deployed).collect::<Vec<_>>(),
    });
    if let Some(object) = value.as_object_mut() {
        if let Some(client) = &binding.client_cert {
            object.insert("ClientCertInfo".to_owned(), tls_json(client));
        }
        let mut upstream = Map::new();
        if let Some(tls) = &binding.upstream_mutual_tls {
            upstream.insert("UpstreamMutualTLS".to_owned(), tls_json(tls));
        }
        if let Some(mode) = &binding.upstream_verification_mode {
            let verify = json!({
                "VerificationMode": mode,
                "CustomCACerts": binding.upstream_ca_cert_ids.iter().map(deployed).collect::<Vec<_>>(),
            });
            upstream.insert("UpstreamCertificateVerify".to_owned(), verify);
        }
        if !upstream.is_empty() {
            object.insert("UpstreamCertInfo".to_owned(), Value::Object(upstream));
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(mode: Option<&str>, ids: &[&str]) -> Change {
        Change {
            mode: mode.map(str::to_owned),
            server_cert_ids: ids.iter().map(|id| (*id).to_owned()).collect(),
            apply_type: None,
            client_cert: None,
            upstream_mutual_tls: None,
            upstream_verify: None,
        }
    }

    #[test]
    fn a_binding_keeps_what_a_change_leaves_out() {
        let bound = apply(None, &change(Some("sslcert"), &["c1", "c2"]), 5);
        assert_eq!((bound.mode.as_str(), bound.server_cert_ids.len()), ("sslcert", 2));
        let mut client_only = change(None, &[]);
        client_only.client_cert = Some(MutualTls {
            switch: "on".to_owned(),
            cert_ids: vec!["ca".to_owned()],
        });
        let kept = apply(Some(bound), &client_only, 6);
        assert_eq!(kept.server_cert_ids, ["c1", "c2"]);
        assert_eq!(kept.client_cert.map(|tls| tls.cert_ids), Some(vec!["ca".to_owned()]));
        let disabled = apply(None, &change(Some("disable"), &[]), 7);
        assert!(disabled.server_cert_ids.is_empty());
    }

    #[test]
    fn the_answer_lists_bound_ids() {
        let bound = apply(None, &change(Some("sslcert"), &["J2JqATrsx"]), 0);
        let value = certificate_json(Some(&bound));
        assert_eq!(value["Mode"], "sslcert");
        assert_eq!(value["List"][0]["CertId"], "J2JqATrsx");
        assert_eq!(certificate_json(None)["Mode"], "disable");
    }
}
