// DNS records of a zone: CreateDnsRecord, DescribeDnsRecords (filtered, paged, creation order;
// `SortBy`/`SortOrder` accepted and not applied), ModifyDnsRecords, ModifyDnsRecordsStatus and
// DeleteDnsRecords. Batch changes are all or nothing: one bad entry changes no record.

use std::borrow::Cow;
use std::collections::HashSet;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::{json, Map, Value};

use super::listing::{exact, fuzzy, one, FilterRule, Filters, Page, FILTERS};
use super::params::{invalid_value, members, missing, opt, req, zone_id, Field, Kind, Params, STRINGS};
use super::{zone_mut, Answer, Ctx, Spec};
use crate::model::DnsRecord;
use crate::response::ApiError;
use crate::time::iso_utc;

/// The largest `Limit` DescribeDnsRecords accepts.
pub(crate) const MAX_LIMIT: i64 = 1000;
/// Most records one ModifyDnsRecords may change.
const MAX_MODIFY: usize = 100;
/// Most ids in each of ModifyDnsRecordsStatus's lists.
const MAX_STATUS_IDS: usize = 200;
/// Most ids one DeleteDnsRecords may name.
const MAX_DELETE: usize = 1000;
/// The record types the service knows.
const RECORD_TYPES: [&str; 8] = ["A", "AAAA", "MX", "CNAME", "TXT", "NS", "CAA", "SRV"];
/// Every action here answers an unknown zone with this (DescribeDnsRecords and DeleteDnsRecords
/// document it; the others document no zone code).
const NO_ZONE: &str = "ResourceNotFound";

/// `DnsRecord`, as ModifyDnsRecords sends it (output-only members are accepted and ignored).
const DNS_RECORD: &[Field] = &[
    opt("ZoneId", Kind::Str),
    opt("RecordId", Kind::Str),
    opt("Name", Kind::Str),
    opt("Type", Kind::Str),
    opt("Location", Kind::Str),
    opt("Content", Kind::Str),
    opt("TTL", Kind::Int),
    opt("Weight", Kind::Int),
    opt("Priority", Kind::Int),
    opt("Status", Kind::Str),
    opt("CreatedOn", Kind::Str),
    opt("ModifiedOn", Kind::Str),
];

pub(super) const ACTIONS: &[Spec] = &[
    Spec {
        name: "CreateDnsRecord",
        input: &[
            req("ZoneId", Kind::Str),
            req("Name", Kind::Str),
            req("Type", Kind::Str),
            req("Content", Kind::Str),
            opt("Location", Kind::Str),
            opt("TTL", Kind::Int),
            opt("Weight", Kind::Int),
            opt("Priority", Kind::Int),
        ],
        run: create,
    },
    Spec {
        name: "DescribeDnsRecords",
        input: &[
            req("ZoneId", Kind::Str),
            opt("Offset", Kind::Int),
            opt("Limit", Kind::Int),
            opt("Filters", FILTERS),
            opt("SortBy", Kind::Str),
            opt("SortOrder", Kind::Str),
            opt("Match", Kind::Str),
        ],
        run: describe,
    },
    Spec {
        name: "ModifyDnsRecords",
        input: &[
            req("ZoneId", Kind::Str),
            opt("DnsRecords", Kind::List(&Kind::Object(DNS_RECORD))),
        ],
        run: modify,
    },
    Spec {
        name: "ModifyDnsRecordsStatus",
        input: &[
            req("ZoneId", Kind::Str),
            opt("RecordsToEnable", STRINGS),
            opt("RecordsToDisable", STRINGS),
        ],
        run: modify_status,
    },
    Spec {
        name: "DeleteDnsRecords",
        input: &[req("ZoneId", Kind::Str), req("RecordIds", STRINGS)],
        run: delete,
    },
];

const FILTER_RULES: &[FilterRule] = &[
    fuzzy("id"),
    fuzzy("name"),
    fuzzy("content"),
    exact("type"),
    exact("ttl"),
];

fn create(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let Ctx { store, rng, now } = ctx;
    let data = zone_mut(store, zone, NO_ZONE)?;
    let mut record = DnsRecord {
        zone_id: zone.to_owned(),
        record_id: String::new(),
        name: String::new(),
        record_type: String::new(),
        content: String::new(),
        location: "Default".to_owned(),
        ttl: 300,
        weight: -1,
        priority: 0,
        status: "enable".to_owned(),
        created_on: *now,
        modified_on: *now,
    };
    apply(&mut record, &params);
    validate(&record, &data.zone.name)?;
    if let Some(existing) = data.dns.duplicate_of(&record) {
        return Err(conflict(&record, existing));
    }
    record.record_id = data.dns.fresh_id(rng);
    let id = record.record_id.clone();
    if !data.dns.insert(record) {
        return Err(ApiError::new(
            "InternalError",
            format!("Could not store record `{id}`."),
        ));
    }
    Ok(members(json!({ "RecordId": id })))
}

fn describe(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let page = Page::read(&params, MAX_LIMIT)?;
    let filters = Filters::read(&params, FILTER_RULES, true)?;
    let data = zone_mut(ctx.store, zone, NO_ZONE)?;
    let matching = data
        .dns
        .iter()
        .filter(|record| filters.matches(|name| field(record, name)));
    let (total, records) = page.take(matching);
    let records: Vec<Value> = records.into_iter().map(record_json).collect();
    Ok(members(json!({ "TotalCount": total, "DnsRecords": records })))
}

fn modify(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    params.at_most("DnsRecords", MAX_MODIFY)?;
    let now = ctx.now;
    let data = zone_mut(ctx.store, zone, NO_ZONE)?;
    let mut updated = Vec::new();
    let mut seen = HashSet::new();
    for (index, entry) in params.objects("DnsRecords").into_iter().enumerate() {
        let id = entry
            .str("RecordId")
            .ok_or_else(|| missing(&format!("DnsRecords.{index}.RecordId")))?;
        if !seen.insert(id) {
            return Err(invalid_value(format!(
                "The record `{id}` is listed twice in DnsRecords."
            )));
        }
        let mut record = data.dns.get(id).cloned().ok_or_else(|| no_record(id))?;
        apply(&mut record, &entry);
        record.modified_on = now;
        validate(&record, &data.zone.name)?;
        updated.push(record);
    }
    let offending = match data.dns.replace_all(updated.clone()) {
        Ok(()) => return Ok(Map::new()),
        Err(position) => position,
    };
    let Some(record) = updated.get(offending) else {
        return Err(ApiError::new("InternalError", "The records could not be updated."));
    };
    let existing = data
        .dns
        .duplicate_of(record)
        .unwrap_or("another record in this request");
    Err(conflict(record, existing))
}

fn modify_status(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    params.at_most("RecordsToEnable", MAX_STATUS_IDS)?;
    params.at_most("RecordsToDisable", MAX_STATUS_IDS)?;
    let (enable, disable) = (params.strings("RecordsToEnable"), params.strings("RecordsToDisable"));
    if let Some(both) = enable.iter().find(|id| disable.contains(id)) {
        return Err(invalid_value(format!(
            "The record `{both}` is in both RecordsToEnable and RecordsToDisable."
        )));
    }
    let now = ctx.now;
    let data = zone_mut(ctx.store, zone, NO_ZONE)?;
    if let Some(unknown) = enable.iter().chain(&disable).find(|id| data.dns.get(id).is_none()) {
        return Err(no_record(unknown));
    }
    for (ids, status) in [(&enable, "enable"), (&disable, "disable")] {
        for id in ids.iter() {
            if let Some(record) = data.dns.get_mut(id) {
                if record.status != status {
                    record.status = status.to_owned();
                    record.modified_on = now;
                }
            }
        }
    }
    Ok(Map::new())
}

fn delete(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    params.at_most("RecordIds", MAX_DELETE)?;
    let ids = params.strings("RecordIds");
    if ids.is_empty() {
        return Err(invalid_value("RecordIds must name at least one record."));
    }
    let data = zone_mut(ctx.store, zone, NO_ZONE)?;
    if let Some(unknown) = ids.iter().find(|id| data.dns.get(id).is_none()) {
        return Err(no_record(unknown));
    }
    for id in ids {
        data.dns.remove(id);
    }
    Ok(Map::new())
}

/// Copies the members a request sets onto `record` (types are already checked).
fn apply(record: &mut DnsRecord, params: &Params<'_>) {
    if let Some(name) = params.str("Name") {
        name.clone_into(&mut record.name);
    }
    if let Some(record_type) = params.str("Type") {
        record.record_type = record_type.to_ascii_uppercase();
    }
    if let Some(content) = params.str("Content") {
        content.clone_into(&mut record.content);
    }
    if let Some(location) = params.str("Location") {
        location.clone_into(&mut record.location);
    }
    record.ttl = params.int("TTL").unwrap_or(record.ttl);
    record.weight = params.int("Weight").unwrap_or(record.weight);
    record.priority = params.int("Priority").unwrap_or(record.priority);
}

/// The rules a record must keep, in the order the service reports them.
fn validate(record: &DnsRecord, zone_name: &str) -> Result<(), ApiError> {
    if !valid_name(&record.name, zone_name) {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidDNSName",
            format!(
                "The record name `{}` is not a valid name inside the zone `{zone_name}`.",
                record.name
            ),
        ));
    }
    if !RECORD_TYPES.contains(&record.record_type.as_str()) {
        return Err(invalid_value(format!(
            "The record type `{}` is not valid; use one of: {}.",
            record.record_type,
            RECORD_TYPES.join(", ")
        )));
    }
    let content_ok = match record.record_type.as_str() {
        "A" => record.content.parse::<Ipv4Addr>().is_ok(),
        "AAAA" => record.content.parse::<Ipv6Addr>().is_ok(),
        _ => !record.content.trim().is_empty(),
    };
    if !content_ok {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidDNSContent",
            format!(
                "The content `{}` is not valid for a {} record.",
                record.content, record.record_type
            ),
        ));
    }
    if record.record_type == "CNAME" && record.content.trim_end_matches('.').eq_ignore_ascii_case(&record.name) {
        return Err(ApiError::new(
            "InvalidParameterValue.ContentSameAsName",
            "A CNAME record cannot point to its own name.",
        ));
    }
    if record.location.is_empty() {
        return Err(invalid_value("The parameter `Location` must not be empty."));
    }
    for (name, value, range) in [
        ("TTL", record.ttl, 60..=86_400),
        ("Weight", record.weight, -1..=100),
        ("Priority", record.priority, 0..=50),
    ] {
        if !range.contains(&value) {
            return Err(invalid_value(format!(
                "The parameter `{name}` must be between {} and {}; got {value}.",
                range.start(),
                range.end()
            )));
        }
    }
    Ok(())
}

/// The zone name itself or a name under it, made of DNS labels (a leading `*` label is allowed).
fn valid_name(name: &str, zone_name: &str) -> bool {
    let (lower, zone) = (name.to_ascii_lowercase(), zone_name.to_ascii_lowercase());
    let inside = lower == zone || lower.strip_suffix(&zone).is_some_and(|head| head.ends_with('.'));
    let labels_ok = lower.split('.').enumerate().all(|(index, label)| {
        (index == 0 && label == "*")
            || ((1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    });
    inside && labels_ok
}

fn no_record(id: &str) -> ApiError {
    ApiError::new("ResourceNotFound", format!("The DNS record `{id}` does not exist."))
}

fn conflict(record: &DnsRecord, existing: &str) -> ApiError {
    ApiError::new(
        "InvalidParameterValue.ConflictRecord",
        format!(
            "The {} record `{}` -> `{}` conflicts with the existing record `{existing}`.",
            record.record_type, record.name, record.content
        ),
    )
}

/// A record's values for one filter name.
fn field<'r>(record: &'r DnsRecord, name: &str) -> Vec<Cow<'r, str>> {
    match name {
        "id" => one(&record.record_id),
        "name" => one(&record.name),
        "content" => one(&record.content),
        "type" => one(&record.record_type),
        "ttl" => vec![Cow::Owned(record.ttl.to_string())],
        _ => Vec::new(),
    }
}

/// `DnsRecord`.
pub(crate) fn record_json(record: &DnsRecord) -> Value {
    json!({
        "ZoneId": record.zone_id,
        "RecordId": record.record_id,
        "Name": record.name,
        "Type": record.record_type,
        "Location": record.location,
        "Content": record.content,
        "TTL": record.ttl,
        "Weight": record.weight,
        "Priority": record.priority,
        "Status": record.status,
        "CreatedOn": iso_utc(record.created_on),
        "ModifiedOn": iso_utc(record.modified_on),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_sit_inside_the_zone() {
        for (name, ok) in [
            ("example.com", true),
            ("www.example.com", true),
            ("WWW.Example.COM", true),
            ("*.example.com", true),
            ("_dmarc.example.com", true),
            ("wwwexample.com", false),
            ("www.example.org", false),
            ("a..example.com", false),
            ("a b.example.com", false),
            ("www.*.example.com", false),
        ] {
            assert_eq!(valid_name(name, "example.com"), ok, "{name}");
        }
    }
}
