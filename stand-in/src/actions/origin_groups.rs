// Origin groups of a zone: CreateOriginGroup, DescribeOriginGroup (filtered, paged, creation
// order, with the acceleration domains that reference each group), ModifyOriginGroup (the
// members sent overwrite the group) and DeleteOriginGroup (refused while a domain uses the group).

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::domains::groups_used;
use super::listing::{exact, fuzzy, one, FilterRule, Filters, Page, FILTERS};
use super::params::{
    invalid_value, members, missing, opt, private_parameters, private_parameters_json, req, zone_id, Field, Kind,
    Params, PRIVATE_PARAMETERS,
};
use super::{zone_mut, zone_ref, Answer, Ctx, Spec};
use crate::model::{OriginGroup, OriginRecord};
use crate::response::ApiError;
use crate::state::Rng;
use crate::store::{Store, ZoneData};
use crate::time::iso_utc;

/// The largest `Limit` DescribeOriginGroup accepts.
pub(crate) const MAX_LIMIT: i64 = 1000;
/// Every action here answers an unknown zone with this (Modify and Delete document it).
const NO_ZONE: &str = "ResourceNotFound";
const GROUP_TYPES: [&str; 2] = ["GENERAL", "HTTP"];
const RECORD_TYPES: [&str; 3] = ["IP_DOMAIN", "COS", "AWS_S3"];

/// `OriginRecord`.
const ORIGIN_RECORD: &[Field] = &[
    req("Record", Kind::Str),
    opt("Type", Kind::Str),
    opt("RecordId", Kind::Str),
    opt("Weight", Kind::Uint),
    opt("Private", Kind::Bool),
    opt("PrivateParameters", PRIVATE_PARAMETERS),
];
const RECORDS: Kind = Kind::List(&Kind::Object(ORIGIN_RECORD));

pub(super) const ACTIONS: &[Spec] = &[
    Spec {
        name: "CreateOriginGroup",
        input: &[
            req("ZoneId", Kind::Str),
            req("Records", RECORDS),
            opt("Name", Kind::Str),
            opt("Type", Kind::Str),
            opt("HostHeader", Kind::Str),
        ],
        run: create,
    },
    Spec {
        name: "DescribeOriginGroup",
        input: &[
            // Optional in the description, "required" in its text: the stand-in requires it.
            req("ZoneId", Kind::Str),
            opt("Offset", Kind::Uint),
            opt("Limit", Kind::Uint),
            opt("Filters", FILTERS),
        ],
        run: describe,
    },
    Spec {
        name: "ModifyOriginGroup",
        input: &[
            req("ZoneId", Kind::Str),
            req("GroupId", Kind::Str),
            opt("Name", Kind::Str),
            opt("Type", Kind::Str),
            opt("Records", RECORDS),
            opt("HostHeader", Kind::Str),
        ],
        run: modify,
    },
    Spec {
        name: "DeleteOriginGroup",
        input: &[req("ZoneId", Kind::Str), req("GroupId", Kind::Str)],
        run: delete,
    },
];

const FILTER_RULES: &[FilterRule] = &[exact("origin-group-id"), fuzzy("origin-group-name")];

fn create(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let Ctx { store, rng, now } = ctx;
    let data = zone_mut(store, zone, NO_ZONE)?;
    let group_type = params
        .one_of_any_case("Type", &GROUP_TYPES)
        .map_err(invalid_group_type)?
        .ok_or_else(|| missing("Type"))?;
    let group_id = new_group_id(rng, data);
    let name = params.str("Name").unwrap_or(&group_id).to_owned();
    check_name(&name, data, None)?;
    let records = read_records(&params, group_type, &[], rng)?;
    let host_header = host_header(&params, group_type)?;
    let group = OriginGroup {
        zone_id: zone.to_owned(),
        group_id: group_id.clone(),
        name,
        group_type: group_type.to_owned(),
        records,
        host_header,
        create_time: *now,
        update_time: *now,
    };
    data.origin_groups
        .insert(group_id.clone(), group)
        .map_err(|_| ApiError::new("InternalError", "Could not store the origin group."))?;
    Ok(members(json!({ "OriginGroupId": group_id })))
}

fn describe(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let page = Page::read(&params, MAX_LIMIT)?;
    let filters = Filters::read(&params, FILTER_RULES, false)?;
    let store = &*ctx.store;
    let data = zone_ref(store, zone, NO_ZONE)?;
    let matching = data
        .origin_groups
        .iter()
        .filter(|group| filters.matches(|name| field(group, name)));
    let (total, groups) = page.take(matching);
    let references = references(store);
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|group| {
            let used_by = references
                .get(&(group.zone_id.as_str(), group.group_id.as_str()))
                .map_or(&[][..], Vec::as_slice);
            group_json(group, used_by)
        })
        .collect();
    Ok(members(json!({ "TotalCount": total, "OriginGroups": groups })))
}

fn modify(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let group_id = params.required_str("GroupId")?;
    let Ctx { store, rng, now } = ctx;
    let data = zone_mut(store, zone, NO_ZONE)?;
    let mut group = data
        .origin_groups
        .get(group_id)
        .cloned()
        .ok_or_else(|| no_group(group_id))?;
    if let Some(group_type) = params
        .one_of_any_case("Type", &GROUP_TYPES)
        .map_err(invalid_group_type)?
    {
        group_type.clone_into(&mut group.group_type);
    }
    if let Some(name) = params.str("Name") {
        check_name(name, data, Some(group_id))?;
        name.clone_into(&mut group.name);
    }
    let group_type = if group.group_type == "HTTP" { "HTTP" } else { "GENERAL" };
    if params.has("Records") {
        group.records = read_records(&params, group_type, &group.records, rng)?;
    } else if let Some(record) = group
        .records
        .iter()
        .find(|record| !record_fits(group_type, &record.record_type))
    {
        return Err(record_format(format!(
            "The origin `{}` of type {} cannot stay in a {group_type} group.",
            record.record, record.record_type
        )));
    }
    // An absent HostHeader means none: the members sent overwrite the group.
    group.host_header = host_header(&params, group_type)?;
    group.update_time = *now;
    if let Some(slot) = data.origin_groups.get_mut(group_id) {
        *slot = group;
    }
    Ok(Map::new())
}

fn delete(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let group_id = params.required_str("GroupId")?;
    let store = &mut *ctx.store;
    let data = zone_ref(store, zone, NO_ZONE)?;
    if !data.origin_groups.contains(group_id) {
        return Err(no_group(group_id));
    }
    if let Some(users) = references(store).get(&(zone, group_id)) {
        let names: Vec<&str> = users.iter().map(|(_, _, domain)| *domain).collect();
        return Err(ApiError::new(
            "OperationDenied.OriginGroupAccelerationDomainUsed",
            format!(
                "The origin group `{group_id}` is the origin of the acceleration domain(s) {}; change their origin first.",
                names.join(", ")
            ),
        ));
    }
    let data = zone_mut(store, zone, NO_ZONE)?;
    data.origin_groups.remove(group_id);
    Ok(Map::new())
}

/// A unique name of 1 to 200 letters, digits, `_` and `-`; `except` is the group being renamed.
fn check_name(name: &str, data: &ZoneData, except: Option<&str>) -> Result<(), ApiError> {
    let well_formed = (1..=200).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !well_formed {
        return Err(invalid_value(format!(
            "The origin group name `{name}` must be 1 to 200 letters, digits, `_` or `-`."
        )));
    }
    let taken = data
        .origin_groups
        .iter()
        .any(|group| group.name == name && Some(group.group_id.as_str()) != except);
    if taken {
        return Err(ApiError::new(
            "InvalidParameter.OriginNameExists",
            format!("An origin group named `{name}` already exists in this zone."),
        ));
    }
    Ok(())
}

/// `Records`: at least one origin, each of a type the group type allows. A record whose
/// `RecordId` names one of `current` keeps that id; the others get a new one.
fn read_records(
    params: &Params<'_>,
    group_type: &str,
    current: &[OriginRecord],
    rng: &mut Rng,
) -> Result<Vec<OriginRecord>, ApiError> {
    let entries = params.objects("Records");
    if entries.is_empty() {
        return Err(record_format("Records must list at least one origin.".to_owned()));
    }
    let mut records = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let address = entry.str("Record").unwrap_or("").trim();
        if address.is_empty() {
            return Err(record_format(format!("Records.{index}.Record must not be empty.")));
        }
        let given_type = entry.str("Type").unwrap_or("IP_DOMAIN");
        let record_type = RECORD_TYPES
            .iter()
            .find(|known| known.eq_ignore_ascii_case(given_type))
            .filter(|known| record_fits(group_type, known))
            .ok_or_else(|| {
                record_format(format!(
                    "Records.{index}.Type `{given_type}` is not valid in a {group_type} origin group."
                ))
            })?;
        let weight = entry.int("Weight").map(i64::unsigned_abs);
        if weight.is_some_and(|weight| weight > 100) {
            return Err(ApiError::new(
                "InvalidParameter.OriginRecordWeightValue",
                format!("Records.{index}.Weight must be between 0 and 100."),
            ));
        }
        let parameters = private_parameters(
            entry,
            "PrivateParameters",
            "InvalidParameter.OriginThirdPartyParamFormatError",
        )?;
        let record_id = entry
            .str("RecordId")
            .filter(|id| current.iter().any(|record| record.record_id == *id))
            .map_or_else(|| format!("record-{}", rng.request_id()), str::to_owned);
        records.push(OriginRecord {
            record_id,
            record: address.to_owned(),
            record_type: (*record_type).to_owned(),
            weight,
            private: entry.bool("Private").unwrap_or(false),
            private_parameters: parameters,
        });
    }
    Ok(records)
}

/// Object-storage origins belong in HTTP groups only.
fn record_fits(group_type: &str, record_type: &str) -> bool {
    group_type == "HTTP" || record_type == "IP_DOMAIN"
}

/// `HostHeader`: only HTTP groups take one.
fn host_header(params: &Params<'_>, group_type: &str) -> Result<Option<String>, ApiError> {
    match params.str("HostHeader").filter(|header| !header.is_empty()) {
        Some(header) if group_type == "HTTP" => Ok(Some(header.to_owned())),
        Some(_) => Err(ApiError::new(
            "InvalidParameter.HostHeaderInvalid",
            "HostHeader applies to HTTP origin groups only.",
        )),
        None => Ok(None),
    }
}

fn invalid_group_type(error: ApiError) -> ApiError {
    ApiError::new("InvalidParameter.InvalidOriginGroupType", error.message)
}

fn record_format(message: String) -> ApiError {
    ApiError::new("InvalidParameter.OriginRecordFormatError", message)
}

fn no_group(group_id: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound",
        format!("The origin group `{group_id}` does not exist in this zone."),
    )
}

/// A fresh `origin-` + UUID id, unused in the zone.
fn new_group_id(rng: &mut Rng, data: &ZoneData) -> String {
    loop {
        let id = format!("origin-{}", rng.request_id());
        if !data.origin_groups.contains(&id) {
            return id;
        }
    }
}

/// A referencing domain: (its zone id, its zone name, its domain name).
type Reference<'s> = (&'s str, &'s str, &'s str);

/// Every origin group some acceleration domain uses, by (zone id, group id), in one pass.
fn references(store: &Store) -> HashMap<(&str, &str), Vec<Reference<'_>>> {
    let mut used: HashMap<(&str, &str), Vec<Reference<'_>>> = HashMap::new();
    for data in store.zones.iter() {
        for domain in data.domains.iter() {
            for group in groups_used(domain) {
                let entry = used.entry(group).or_default();
                let reference = (
                    data.zone.id.as_str(),
                    data.zone.name.as_str(),
                    domain.domain_name.as_str(),
                );
                if !entry.contains(&reference) {
                    entry.push(reference);
                }
            }
        }
    }
    used
}

/// A group's values for one filter name.
fn field<'g>(group: &'g OriginGroup, name: &str) -> Vec<Cow<'g, str>> {
    match name {
        "origin-group-id" => one(&group.group_id),
        "origin-group-name" => one(&group.name),
        _ => Vec::new(),
    }
}

/// `OriginGroup`.
fn group_json(group: &OriginGroup, used_by: &[Reference<'_>]) -> Value {
    let records: Vec<Value> = group
        .records
        .iter()
        .map(|record| {
            json!({
                "RecordId": record.record_id,
                "Record": record.record,
                "Type": record.record_type,
                "Weight": record.weight,
                "Private": record.private,
                "PrivateParameters": private_parameters_json(&record.private_parameters),
            })
        })
        .collect();
    let references: Vec<Value> = used_by
        .iter()
        .map(|(zone_id, zone_name, domain)| {
            json!({
                "InstanceType": "AccelerationDomain",
                "InstanceId": domain,
                "InstanceName": domain,
                "ZoneId": zone_id,
                "ZoneName": zone_name,
                "AliasZoneName": "",
            })
        })
        .collect();
    json!({
        "GroupId": group.group_id,
        "Name": group.name,
        "Type": group.group_type,
        "Records": records,
        "References": references,
        "CreateTime": iso_utc(group.create_time),
        "UpdateTime": iso_utc(group.update_time),
        "HostHeader": group.host_header.clone().unwrap_or_default(),
    })
}
