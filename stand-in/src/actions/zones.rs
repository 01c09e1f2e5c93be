// DescribeZones: the registered zones, filtered and paged, in creation order. `Order` and
// `Direction` are accepted and not applied: the listing order stays stable for paginators.

use std::borrow::Cow;

use serde_json::{json, Value};

use super::listing::{exact, fuzzy, one, FilterRule, Filters, Page, FILTERS};
use super::params::{members, opt, Kind, Params};
use super::{Answer, Ctx, Spec};
use crate::model::Zone;
use crate::time::iso_utc;

/// The largest `Limit` DescribeZones accepts.
pub(crate) const MAX_LIMIT: i64 = 100;

/// The name servers every `full` zone is told to use.
const NAME_SERVERS: [&str; 2] = ["ns1.teodns.com.", "ns2.teodns.com."];

pub(super) const ACTIONS: &[Spec] = &[Spec {
    name: "DescribeZones",
    input: &[
        opt("Offset", Kind::Int),
        opt("Limit", Kind::Int),
        opt("Filters", FILTERS),
        opt("Order", Kind::Str),
        opt("Direction", Kind::Str),
    ],
    run: describe,
}];

const FILTER_RULES: &[FilterRule] = &[
    fuzzy("zone-name"),
    exact("zone-id"),
    exact("status"),
    exact("zone-type"),
    fuzzy("alias-zone-name"),
    exact("tag-key"),
    exact("tag-value"),
];

fn describe(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let page = Page::read(&params, MAX_LIMIT)?;
    let filters = Filters::read(&params, FILTER_RULES, false)?;
    let matching = ctx
        .store
        .zones
        .iter()
        .map(|data| &data.zone)
        .filter(|zone| filters.matches(|name| field(zone, name)));
    let (total, zones) = page.take(matching);
    let zones: Vec<Value> = zones.into_iter().map(zone_json).collect();
    Ok(members(json!({ "TotalCount": total, "Zones": zones })))
}

/// A zone's values for one filter name. Zones carry no alias and no tags, so those match nothing.
fn field<'z>(zone: &'z Zone, name: &str) -> Vec<Cow<'z, str>> {
    match name {
        "zone-name" => one(&zone.name),
        "zone-id" => one(&zone.id),
        "status" => one(&zone.status),
        "zone-type" => one(&zone.zone_type),
        _ => Vec::new(),
    }
}

/// `Zone`, with the details of its access type.
fn zone_json(zone: &Zone) -> Value {
    let full = zone.zone_type == "full";
    let name_servers: Vec<&str> = if full { NAME_SERVERS.to_vec() } else { Vec::new() };
    let vanity = json!({ "Switch": "off", "Servers": [] });
    let ns_detail = full.then(|| {
        json!({
            "CnameSpeedUp": "enabled",
            "IsFake": 0,
            "OriginalNameServers": [],
            "NameServers": NAME_SERVERS,
            "VanityNameServers": vanity,
            "VanityNameServersIps": [],
        })
    });
    let cname_detail = (zone.zone_type == "partial").then(|| json!({ "IsFake": 0 }));
    let dnspod_detail = (zone.zone_type == "dnsPodAccess").then(|| json!({ "IsFake": 0 }));
    let active = zone.status == "active";
    json!({
        "ZoneId": zone.id,
        "ZoneName": zone.name,
        "AliasZoneName": "",
        "Area": "global",
        "Type": zone.zone_type,
        "Tags": [],
        "Resources": [],
        "NSDetail": ns_detail,
        "CNAMEDetail": cname_detail,
        "DNSPodDetail": dnspod_detail,
        "CreatedOn": iso_utc(zone.created_on),
        "ModifiedOn": iso_utc(zone.modified_on),
        "Status": zone.status,
        "CnameStatus": if active { "finished" } else { "pending" },
        "ActiveStatus": if active { "active" } else { "inactive" },
        "LockStatus": "enable",
        "Paused": zone.status == "deactivated",
        "IsFake": 0,
        "CnameSpeedUp": "enabled",
        "OwnershipVerification": null,
        "OriginalNameServers": [],
        "NameServers": name_servers,
        "VanityNameServers": vanity,
        "VanityNameServersIps": [],
        "WorkModeInfos": [],
    })
}
