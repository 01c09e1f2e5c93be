// A zone's DNS records, with an index of their identities (name, type, content, route) so that an
// exact duplicate is refused in constant time, however many records the zone holds.

use std::collections::{HashMap, HashSet};

use super::Table;
use crate::model::DnsRecord;
use crate::state::Rng;

/// The records of one zone by record id, oldest first.
#[derive(Default)]
pub(crate) struct DnsTable {
    rows: Table<DnsRecord>,
    /// Identity → id of the record that has it.
    identities: HashMap<String, String>,
}

/// Two records with the same identity resolve identically; the service refuses the second.
fn identity(record: &DnsRecord) -> String {
    format!(
        "{}\u{0}{}\u{0}{}\u{0}{}",
        record.name.to_ascii_lowercase(),
        record.record_type,
        record.content,
        record.location
    )
}

impl DnsTable {
    /// A fresh `record-` + 12 alphanumerics id, unused in this table.
    pub(crate) fn fresh_id(&self, rng: &mut Rng) -> String {
        loop {
            let id = format!("record-{}", rng.alphanumerics(12));
            if !self.rows.contains(&id) {
                return id;
            }
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<&DnsRecord> {
        self.rows.get(id)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut DnsRecord> {
        self.rows.get_mut(id)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &DnsRecord> {
        self.rows.iter()
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The id of a record identical to `record`, other than `record` itself.
    pub(crate) fn duplicate_of(&self, record: &DnsRecord) -> Option<&str> {
        self.identities
            .get(&identity(record))
            .map(String::as_str)
            .filter(|owner| *owner != record.record_id)
    }

    /// Adds a record; false (changing nothing) when its id or identity is taken.
    pub(crate) fn insert(&mut self, record: DnsRecord) -> bool {
        let key = identity(&record);
        if self.identities.contains_key(&key) || self.rows.contains(&record.record_id) {
            return false;
        }
        self.identities.insert(key, record.record_id.clone());
        self.rows.insert(record.record_id.clone(), record).is_ok()
    }

    /// Replaces existing records by id, all or none: refused with the position (in `updated`) of
    /// a new version that would duplicate a record that stays, or another new version.
    pub(crate) fn replace_all(&mut self, updated: Vec<DnsRecord>) -> Result<(), usize> {
        let replaced: HashSet<String> = updated.iter().map(|record| record.record_id.clone()).collect();
        let mut new_keys = HashSet::new();
        for (position, record) in updated.iter().enumerate() {
            let key = identity(record);
            let taken_by_kept = self.identities.get(&key).is_some_and(|owner| !replaced.contains(owner));
            if taken_by_kept || !new_keys.insert(key) {
                return Err(position);
            }
        }
        for record in updated {
            if let Some(old) = self.rows.get_mut(&record.record_id) {
                self.identities.remove(&identity(old));
                *old = record;
            }
        }
        // Re-index after every old identity is gone, so swaps between two records work.
        for id in replaced {
            if let Some(record) = self.rows.get(&id) {
                self.identities.insert(identity(record), id);
            }
        }
        Ok(())
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<DnsRecord> {
        let record = self.rows.remove(id)?;
        self.identities.remove(&identity(&record));
        Some(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, content: &str) -> DnsRecord {
        DnsRecord {
            zone_id: "zone-a".to_owned(),
            record_id: id.to_owned(),
            name: "www.example.com".to_owned(),
            record_type: "A".to_owned(),
            content: content.to_owned(),
            location: "Default".to_owned(),
            ttl: 300,
            weight: -1,
            priority: 0,
            status: "enable".to_owned(),
            created_on: 0,
            modified_on: 0,
        }
    }

    #[test]
    fn duplicates_are_found_by_identity() {
        let mut table = DnsTable::default();
        assert!(table.insert(record("r1", "1.1.1.1")));
        assert!(!table.insert(record("r2", "1.1.1.1")));
        assert_eq!(table.duplicate_of(&record("r9", "1.1.1.1")), Some("r1"));
        assert_eq!(table.duplicate_of(&record("r1", "1.1.1.1")), None);
        assert!(table.remove("r1").is_some());
        assert!(table.insert(record("r2", "1.1.1.1")));
    }

    #[test]
    fn replace_all_is_all_or_nothing_and_allows_swaps() {
        let mut table = DnsTable::default();
        assert!(table.insert(record("r1", "1.1.1.1")));
        assert!(table.insert(record("r2", "2.2.2.2")));
        assert!(table.insert(record("r3", "3.3.3.3")));
        // r1 cannot take r3's content while r3 keeps it; nothing changes.
        let refused = table.replace_all(vec![record("r2", "9.9.9.9"), record("r1", "3.3.3.3")]);
        assert_eq!(refused, Err(1));
        assert_eq!(table.get("r2").map(|r| r.content.as_str()), Some("2.2.2.2"));
        // Swapping two records' contents is fine.
        assert!(table
            .replace_all(vec![record("r1", "2.2.2.2"), record("r2", "1.1.1.1")])
            .is_ok());
        assert_eq!(table.duplicate_of(&record("rx", "2.2.2.2")), Some("r1"));
        assert_eq!(table.duplicate_of(&record("rx", "1.1.1.1")), Some("r2"));
        assert_eq!(table.len(), 3);
    }
}
