// Everything the served actions change, apart from the request log: the multi-path gateway keys
// (kept apart from zones, so those three actions accept any well-formed zone id), the zones, each
// with its DNS records, tasks, quotas, acceleration domains and origin groups, and the SSL
// Certificates service's store.

mod certificates;
mod dns;
mod table;
mod tasks;

use std::collections::HashMap;

use crate::model::{AccelerationDomain, OriginGroup, Zone};
use crate::state::Rng;

pub(crate) use certificates::{CertificateStore, Upload};
pub(crate) use dns::DnsTable;
pub(crate) use table::Table;
pub(crate) use tasks::{QuotaBook, TaskRow, TaskSettings, DEFAULT_TASK_POLLS};

/// The resource state of one stand-in.
///
/// No `Debug`: gateway keys and origin private parameters are secrets.
#[derive(Default)]
pub(crate) struct Store {
    /// Zone id → base64 multi-path gateway secret key.
    pub(crate) keys: HashMap<String, String>,
    /// Registered zones by id, in creation order.
    pub(crate) zones: Table<ZoneData>,
    /// How new purge and prefetch tasks progress.
    pub(crate) task_settings: TaskSettings,
    /// The SSL Certificates service's uploaded certificates.
    pub(crate) certificates: CertificateStore,
}

/// One zone and what lives in it.
pub(crate) struct ZoneData {
    pub(crate) zone: Zone,
    pub(crate) dns: DnsTable,
    /// Purge and prefetch tasks, oldest first (tasks are never deleted).
    pub(crate) tasks: Vec<TaskRow>,
    pub(crate) quota: QuotaBook,
    /// Acceleration domains keyed by lower-cased domain name.
    pub(crate) domains: Table<AccelerationDomain>,
    /// Origin groups keyed by group id.
    pub(crate) origin_groups: Table<OriginGroup>,
}

impl ZoneData {
    pub(crate) fn new(zone: Zone) -> Self {
        Self {
            zone,
            dns: DnsTable::default(),
            tasks: Vec::new(),
            quota: QuotaBook::default(),
            domains: Table::default(),
            origin_groups: Table::default(),
        }
    }
}

/// The key acceleration domains are stored under: names compare case-insensitively.
pub(crate) fn domain_key(name: &str) -> String {
    name.to_ascii_lowercase()
}

impl Store {
    /// Registers a zone (`full`, `active`); false when the id is taken.
    pub(crate) fn add_zone(&mut self, id: String, name: String, now: i64) -> bool {
        let zone = Zone {
            id: id.clone(),
            name,
            zone_type: "full".to_owned(),
            status: "active".to_owned(),
            created_on: now,
            modified_on: now,
        };
        self.zones.insert(id, ZoneData::new(zone)).is_ok()
    }

    /// Registers a zone under a fresh `zone-` + 12 alphanumerics id, returned.
    pub(crate) fn add_generated_zone(&mut self, rng: &mut Rng, name: String, now: i64) -> String {
        loop {
            let id = format!("zone-{}", rng.alphanumerics(12));
            if !self.zones.contains(&id) && !self.keys.contains_key(&id) {
                self.add_zone(id.clone(), name, now);
                return id;
            }
        }
    }

    pub(crate) fn zone(&self, id: &str) -> Option<&ZoneData> {
        self.zones.get(id)
    }

    pub(crate) fn zone_mut(&mut self, id: &str) -> Option<&mut ZoneData> {
        self.zones.get_mut(id)
    }

    /// The zone that holds acceleration domain `name`, if any zone does.
    pub(crate) fn zone_with_domain(&self, name: &str) -> Option<&ZoneData> {
        let key = domain_key(name);
        self.zones.iter().find(|data| data.domains.contains(&key))
    }
}
