// Acceleration domains of a zone: CreateAccelerationDomain, DescribeAccelerationDomains (filtered,
// paged, creation order; `Order`/`Direction` accepted and not applied), ModifyAccelerationDomain,
// ModifyAccelerationDomainStatuses and DeleteAccelerationDomains (an online domain is kept unless
// `Force` is true). A domain's certificate binding comes from ModifyHostsCertificate.

use std::borrow::Cow;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::certificates::certificate_json;
use super::listing::{exact, fuzzy, one, FilterRule, Filters, Page, FILTERS};
use super::params::{
    invalid_value, members, missing, opt, private_parameters, private_parameters_json, req, zone_id, Field, Kind,
    Params, PRIVATE_PARAMETERS, STRINGS,
};
use super::{zone_mut, zone_ref, Answer, Ctx, Spec};
use crate::model::{AccelerationDomain, Origin, OriginGroup, Zone};
use crate::response::ApiError;
use crate::store::{domain_key, Store};
use crate::time::iso_utc;

/// The largest `Limit` DescribeAccelerationDomains accepts.
pub(crate) const MAX_LIMIT: i64 = 200;
/// The zone code of the actions that document none.
const NO_ZONE: &str = "ResourceNotFound";
/// DeleteAccelerationDomains documents its own.
const NO_ZONE_DELETE: &str = "InvalidParameter.ZoneNotFound";
const ORIGIN_TYPES: [&str; 7] = ["IP_DOMAIN", "COS", "AWS_S3", "ORIGIN_GROUP", "VOD", "SPACE", "LB"];
const PROTOCOLS: [&str; 3] = ["FOLLOW", "HTTP", "HTTPS"];
const IPV6_STATUSES: [&str; 3] = ["follow", "on", "off"];

/// `OriginInfo`.
const ORIGIN_INFO: &[Field] = &[
    req("OriginType", Kind::Str),
    req("Origin", Kind::Str),
    opt("BackupOrigin", Kind::Str),
    opt("PrivateAccess", Kind::Str),
    opt("PrivateParameters", PRIVATE_PARAMETERS),
    opt("HostHeader", Kind::Str),
    opt("VodeoSubAppId", Kind::Int),
    opt("VodeoDistributionRange", Kind::Str),
    opt("VodeoBucketId", Kind::Str),
    opt("VodOriginScope", Kind::Str),
    opt("VodBucketId", Kind::Str),
];

pub(super) const ACTIONS: &[Spec] = &[
    Spec {
        name: "CreateAccelerationDomain",
        input: &[
            req("ZoneId", Kind::Str),
            req("DomainName", Kind::Str),
            req("OriginInfo", Kind::Object(ORIGIN_INFO)),
            opt("OriginProtocol", Kind::Str),
            opt("HttpOriginPort", Kind::Uint),
            opt("HttpsOriginPort", Kind::Uint),
            opt("IPv6Status", Kind::Str),
            opt("SharedCNAME", Kind::Str),
        ],
        run: create,
    },
    Spec {
        name: "DescribeAccelerationDomains",
        input: &[
            req("ZoneId", Kind::Str),
            opt("Offset", Kind::Int),
            opt("Limit", Kind::Int),
            opt("Filters", FILTERS),
            opt("Order", Kind::Str),
            opt("Direction", Kind::Str),
            opt("Match", Kind::Str),
        ],
        run: describe,
    },
    Spec {
        name: "ModifyAccelerationDomain",
        input: &[
            req("ZoneId", Kind::Str),
            req("DomainName", Kind::Str),
            opt("OriginInfo", Kind::Object(ORIGIN_INFO)),
            opt("OriginProtocol", Kind::Str),
            opt("HttpOriginPort", Kind::Uint),
            opt("HttpsOriginPort", Kind::Uint),
            opt("IPv6Status", Kind::Str),
        ],
        run: modify,
    },
    Spec {
        name: "ModifyAccelerationDomainStatuses",
        input: &[
            req("ZoneId", Kind::Str),
            req("DomainNames", STRINGS),
            req("Status", Kind::Str),
            opt("Force", Kind::Bool),
        ],
        run: modify_statuses,
    },
    Spec {
        name: "DeleteAccelerationDomains",
        input: &[
            req("ZoneId", Kind::Str),
            req("DomainNames", STRINGS),
            opt("Force", Kind::Bool),
        ],
        run: delete,
    },
];

const FILTER_RULES: &[FilterRule] = &[
    fuzzy("domain-name"),
    exact("origin-type"),
    fuzzy("origin"),
    exact("backup-origin"),
    fuzzy("domain-cname"),
    exact("share-cname"),
    exact("domain-status"),
];

fn create(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone_id = zone_id(&params)?;
    let name = params.required_str("DomainName")?;
    let store = &*ctx.store;
    let zone = &zone_ref(store, zone_id, NO_ZONE)?.zone;
    check_domain_name(name, &zone.name)?;
    if let Some(holder) = store.zone_with_domain(name) {
        return Err(if holder.zone.id == zone_id {
            ApiError::new(
                "ResourceInUse",
                format!("The domain `{name}` is already an acceleration domain of this zone."),
            )
        } else {
            ApiError::new(
                "ResourceUnavailable.DomainAlreadyExists",
                format!("The domain `{name}` is already connected to EdgeOne in another zone."),
            )
        });
    }
    let origin_info = params.object("OriginInfo").ok_or_else(|| missing("OriginInfo"))?;
    let origin = read_origin(&origin_info, store, zone_id)?;
    let pending = zone.zone_type == "partial" && zone.status != "active";
    let mut domain = AccelerationDomain {
        zone_id: zone_id.to_owned(),
        domain_name: name.to_owned(),
        status: "online".to_owned(),
        cname: format!("{}.eo.dnse3.com", name.to_ascii_lowercase().replace('*', "_")),
        origin,
        origin_protocol: "FOLLOW".to_owned(),
        http_origin_port: 80,
        https_origin_port: 443,
        ipv6_status: "follow".to_owned(),
        shared_cname: params
            .str("SharedCNAME")
            .filter(|cname| !cname.is_empty())
            .map(str::to_owned),
        identification_status: if pending { "pending" } else { "finished" }.to_owned(),
        certificate: None,
        created_on: ctx.now,
        modified_on: ctx.now,
    };
    apply_settings(&mut domain, &params)?;
    let verification = pending.then(|| ownership_json(&domain));
    let data = zone_mut(ctx.store, zone_id, NO_ZONE)?;
    data.domains
        .insert(domain_key(name), domain)
        .map_err(|_| ApiError::new("ResourceInUse", format!("The domain `{name}` already exists.")))?;
    let mut answer = Map::new();
    answer.insert("OwnershipVerification".to_owned(), verification.unwrap_or(Value::Null));
    Ok(answer)
}

fn describe(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone_id = zone_id(&params)?;
    let page = Page::read(&params, MAX_LIMIT)?;
    let filters = Filters::read(&params, FILTER_RULES, true)?;
    let store = &*ctx.store;
    let data = zone_ref(store, zone_id, NO_ZONE)?;
    let matching = data
        .domains
        .iter()
        .filter(|domain| filters.matches(|name| field(domain, name)));
    let (total, domains) = page.take(matching);
    let domains: Vec<Value> = domains
        .into_iter()
        .map(|domain| domain_json(domain, &data.zone, store))
        .collect();
    Ok(members(json!({ "TotalCount": total, "AccelerationDomains": domains })))
}

fn modify(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone_id = zone_id(&params)?;
    let name = params.required_str("DomainName")?;
    let store = &*ctx.store;
    let data = zone_ref(store, zone_id, NO_ZONE)?;
    let mut domain = data
        .domains
        .get(&domain_key(name))
        .cloned()
        .ok_or_else(|| no_domain(name))?;
    if let Some(origin_info) = params.object("OriginInfo") {
        domain.origin = read_origin(&origin_info, store, zone_id)?;
    }
    apply_settings(&mut domain, &params)?;
    domain.modified_on = ctx.now;
    let data = zone_mut(ctx.store, zone_id, NO_ZONE)?;
    if let Some(slot) = data.domains.get_mut(&domain_key(name)) {
        *slot = domain;
    }
    Ok(Map::new())
}

fn modify_statuses(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone_id = zone_id(&params)?;
    // Required, so present here; the default is never used.
    let status = params.one_of("Status", &["online", "offline"], "online")?;
    let names = domain_names(&params)?;
    let now = ctx.now;
    let data = zone_mut(ctx.store, zone_id, NO_ZONE)?;
    if let Some(unknown) = names.iter().find(|name| !data.domains.contains(&domain_key(name))) {
        return Err(no_domain(unknown));
    }
    for name in names {
        if let Some(domain) = data.domains.get_mut(&domain_key(name)) {
            if domain.status != status {
                status.clone_into(&mut domain.status);
                domain.modified_on = now;
            }
        }
    }
    Ok(Map::new())
}

fn delete(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone_id = zone_id(&params)?;
    let names = domain_names(&params)?;
    let force = params.bool("Force").unwrap_or(false);
    let data = zone_mut(ctx.store, zone_id, NO_ZONE_DELETE)?;
    for name in &names {
        let domain = data.domains.get(&domain_key(name)).ok_or_else(|| no_domain(name))?;
        if domain.status == "online" && !force {
            return Err(ApiError::new(
                "InvalidParameterValue.InvalidDomainStatus",
                format!("The domain `{name}` is online; take it offline first, or delete it with Force set to true."),
            ));
        }
    }
    for name in names {
        data.domains.remove(&domain_key(name));
    }
    Ok(Map::new())
}

/// `DomainNames`: at least one.
fn domain_names<'a>(params: &Params<'a>) -> Result<Vec<&'a str>, ApiError> {
    let names = params.strings("DomainNames");
    if names.is_empty() {
        return Err(invalid_value("DomainNames must name at least one domain."));
    }
    Ok(names)
}

/// Labels of letters, digits and inner hyphens (a leading `*` label allowed), inside the zone.
fn check_domain_name(name: &str, zone_name: &str) -> Result<(), ApiError> {
    let lower = name.to_ascii_lowercase();
    let labels: Vec<&str> = lower.split('.').collect();
    let well_formed = name.len() <= 253
        && labels.len() >= 2
        && labels.iter().enumerate().all(|(index, label)| {
            (index == 0 && *label == "*")
                || ((1..=63).contains(&label.len())
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-'))
        });
    if !well_formed {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidDomainName",
            format!("The domain name `{name}` is not valid."),
        ));
    }
    let zone = zone_name.to_ascii_lowercase();
    let inside = lower == zone || lower.strip_suffix(&zone).is_some_and(|head| head.ends_with('.'));
    if !inside {
        return Err(ApiError::new(
            "InvalidParameterValue.DomainNotMatchZone",
            format!("The domain `{name}` does not belong to the zone `{zone_name}`."),
        ));
    }
    Ok(())
}

/// `OriginInfo` → [`Origin`]; origin groups must exist (in this zone, or `id@zone-…`).
fn read_origin(info: &Params<'_>, store: &Store, zone_id: &str) -> Result<Origin, ApiError> {
    let invalid_origin = |message: String| ApiError::new("InvalidParameter.InvalidOrigin", message);
    let given_type = info.str("OriginType").unwrap_or("");
    let origin_type = ORIGIN_TYPES
        .iter()
        .find(|known| known.eq_ignore_ascii_case(given_type))
        .ok_or_else(|| {
            invalid_origin(format!(
                "The OriginType `{given_type}` is not valid; use one of: {}.",
                ORIGIN_TYPES.join(", ")
            ))
        })?;
    let address = info.str("Origin").unwrap_or("").trim();
    if address.is_empty() {
        return Err(invalid_origin("OriginInfo.Origin must not be empty.".to_owned()));
    }
    let backup = info.str("BackupOrigin").filter(|backup| !backup.is_empty());
    if *origin_type == "ORIGIN_GROUP" {
        for group in std::iter::once(address).chain(backup) {
            if resolve_group(store, zone_id, group).is_none() {
                return Err(ApiError::new(
                    "InvalidParameterValue.OriginGroupNotExists",
                    format!("The origin group `{group}` does not exist."),
                ));
            }
        }
    }
    let private_access = info
        .str("PrivateAccess")
        .map(|access| {
            ["on", "off"]
                .into_iter()
                .find(|known| known.eq_ignore_ascii_case(access))
                .ok_or_else(|| {
                    ApiError::new(
                        "InvalidParameter.InvalidPrivateAccessSwitch",
                        format!("PrivateAccess `{access}` is not valid; use on or off."),
                    )
                })
        })
        .transpose()?;
    let private_parameters =
        private_parameters(info, "PrivateParameters", "InvalidParameter.InvalidPrivateAccessParams")?;
    let text = |name: &str| info.str(name).map(str::to_owned);
    Ok(Origin {
        origin_type: (*origin_type).to_owned(),
        origin: address.to_owned(),
        backup_origin: backup.map(str::to_owned),
        private_access: private_access.map(str::to_owned),
        private_parameters,
        host_header: text("HostHeader"),
        vodeo_sub_app_id: info.int("VodeoSubAppId"),
        vodeo_distribution_range: text("VodeoDistributionRange"),
        vodeo_bucket_id: text("VodeoBucketId"),
        vod_origin_scope: text("VodOriginScope"),
        vod_bucket_id: text("VodBucketId"),
    })
}

/// The (zone id, group id) an origin-group reference names: `group` alone is in `zone_id`,
/// `group@zone-…` in that zone.
pub(crate) fn group_reference<'a>(zone_id: &'a str, reference: &'a str) -> (&'a str, &'a str) {
    match reference.split_once('@') {
        Some((group, zone)) => (zone, group),
        None => (zone_id, reference),
    }
}

/// The origin group a reference names, if it exists.
fn resolve_group<'s>(store: &'s Store, zone_id: &str, reference: &str) -> Option<&'s OriginGroup> {
    let (zone, group) = group_reference(zone_id, reference);
    store.zone(zone)?.origin_groups.get(group)
}

/// The origin groups (zone id, group id) a domain's origin uses, primary and backup.
pub(crate) fn groups_used(domain: &AccelerationDomain) -> Vec<(&str, &str)> {
    if domain.origin.origin_type != "ORIGIN_GROUP" {
        return Vec::new();
    }
    std::iter::once(domain.origin.origin.as_str())
        .chain(domain.origin.backup_origin.as_deref())
        .map(|reference| group_reference(&domain.zone_id, reference))
        .collect()
}

/// Protocol, ports and IPv6 switch, from whichever of them the request sets.
fn apply_settings(domain: &mut AccelerationDomain, params: &Params<'_>) -> Result<(), ApiError> {
    if let Some(protocol) = params.one_of_any_case("OriginProtocol", &PROTOCOLS)? {
        protocol.clone_into(&mut domain.origin_protocol);
    }
    for (name, slot) in [
        ("HttpOriginPort", &mut domain.http_origin_port),
        ("HttpsOriginPort", &mut domain.https_origin_port),
    ] {
        if let Some(port) = params.int(name) {
            if !(1..=65_535).contains(&port) {
                return Err(invalid_value(format!(
                    "The parameter `{name}` must be between 1 and 65535; got {port}."
                )));
            }
            *slot = port.unsigned_abs();
        }
    }
    if let Some(ipv6) = params.str("IPv6Status") {
        if !IPV6_STATUSES.contains(&ipv6) {
            return Err(ApiError::new(
                "InvalidParameter.InvalidIpv6Switch",
                format!("IPv6Status `{ipv6}` is not valid; use follow, on or off."),
            ));
        }
        ipv6.clone_into(&mut domain.ipv6_status);
    }
    Ok(())
}

fn no_domain(name: &str) -> ApiError {
    ApiError::new(
        "ResourceUnavailable.DomainNotFound",
        format!("The acceleration domain `{name}` does not exist in this zone."),
    )
}

/// A domain's values for one filter name.
fn field<'d>(domain: &'d AccelerationDomain, name: &str) -> Vec<Cow<'d, str>> {
    match name {
        "domain-name" => one(&domain.domain_name),
        "origin-type" => one(&domain.origin.origin_type),
        "origin" => one(&domain.origin.origin),
        "backup-origin" => domain.origin.backup_origin.as_deref().map(one).unwrap_or_default(),
        "domain-cname" => one(&domain.cname),
        "share-cname" => domain.shared_cname.as_deref().map(one).unwrap_or_default(),
        "domain-status" => one(&domain.status),
        _ => Vec::new(),
    }
}

/// The token a pending domain proves ownership with: stable for a zone and domain.
fn ownership_token(domain: &AccelerationDomain) -> String {
    let digest = Sha256::digest(format!(
        "{}/{}",
        domain.zone_id,
        domain.domain_name.to_ascii_lowercase()
    ));
    hex::encode(&digest[..10])
}

/// `OwnershipVerification` for a domain whose ownership is not verified yet.
fn ownership_json(domain: &AccelerationDomain) -> Value {
    let token = ownership_token(domain);
    json!({
        "DnsVerification": {
            "Subdomain": "_teo",
            "RecordType": "TXT",
            "RecordValue": format!("teo-verification={token}"),
        },
        "FileVerification": {
            "Path": format!("/.well-known/teo-verification/{token}.txt"),
            "Content": token,
        },
    })
}

/// `AccelerationDomain`.
fn domain_json(domain: &AccelerationDomain, zone: &Zone, store: &Store) -> Value {
    let origin = &domain.origin;
    let group_name = |reference: Option<&str>| -> String {
        reference
            .filter(|_| origin.origin_type == "ORIGIN_GROUP")
            .and_then(|reference| resolve_group(store, &zone.id, reference))
            .map(|group| group.name.clone())
            .unwrap_or_default()
    };
    let mut detail = json!({
        "OriginType": origin.origin_type,
        "Origin": origin.origin,
        "BackupOrigin": origin.backup_origin.clone().unwrap_or_default(),
        "OriginGroupName": group_name(Some(&origin.origin)),
        "BackOriginGroupName": group_name(origin.backup_origin.as_deref()),
        "PrivateAccess": origin.private_access.clone().unwrap_or_default(),
        "PrivateParameters": private_parameters_json(&origin.private_parameters),
        "HostHeader": origin.host_header,
    });
    if let Some(object) = detail.as_object_mut() {
        let optional = [
            ("VodeoSubAppId", origin.vodeo_sub_app_id.map(Value::from)),
            (
                "VodeoDistributionRange",
                origin.vodeo_distribution_range.clone().map(Value::from),
            ),
            ("VodeoBucketId", origin.vodeo_bucket_id.clone().map(Value::from)),
            ("VodOriginScope", origin.vod_origin_scope.clone().map(Value::from)),
            ("VodBucketId", origin.vod_bucket_id.clone().map(Value::from)),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                object.insert(name.to_owned(), value);
            }
        }
    }
    let verification = (domain.identification_status == "pending").then(|| ownership_json(domain));
    json!({
        "ZoneId": domain.zone_id,
        "DomainName": domain.domain_name,
        "DomainStatus": domain.status,
        "Cname": domain.cname,
        "IPv6Status": domain.ipv6_status,
        "IdentificationStatus": domain.identification_status,
        "OwnershipVerification": verification,
        "OriginDetail": detail,
        "OriginProtocol": domain.origin_protocol,
        "HttpOriginPort": domain.http_origin_port,
        "HttpsOriginPort": domain.https_origin_port,
        "Certificate": certificate_json(domain.certificate.as_ref()),
        "CreatedOn": iso_utc(domain.created_on),
        "ModifiedOn": iso_utc(domain.modified_on),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names_must_be_well_formed_and_inside_the_zone() {
        assert!(check_domain_name("www.example.com", "example.com").is_ok());
        assert!(check_domain_name("example.com", "example.com").is_ok());
        assert!(check_domain_name("*.Example.com", "example.com").is_ok());
        let code = |name: &str| check_domain_name(name, "example.com").err().map(|error| error.code);
        assert_eq!(
            code("-www.example.com").as_deref(),
            Some("InvalidParameterValue.InvalidDomainName")
        );
        assert_eq!(
            code("www_1.example.com").as_deref(),
            Some("InvalidParameterValue.InvalidDomainName")
        );
        assert_eq!(code("com").as_deref(), Some("InvalidParameterValue.InvalidDomainName"));
        assert_eq!(
            code("www.example.org").as_deref(),
            Some("InvalidParameterValue.DomainNotMatchZone")
        );
        assert_eq!(
            code("wwwexample.com").as_deref(),
            Some("InvalidParameterValue.DomainNotMatchZone")
        );
    }

    #[test]
    fn group_references_may_name_another_zone() {
        assert_eq!(group_reference("zone-a", "og-1"), ("zone-a", "og-1"));
        assert_eq!(group_reference("zone-a", "og-1@zone-b"), ("zone-b", "og-1"));
    }
}
