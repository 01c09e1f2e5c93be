// The handle methods tests use to seed and read the zone resources: zones, DNS records, purge and
// prefetch tasks (and how they progress), content quotas, certificate bindings, acceleration
// domains and origin groups. Every method takes the state lock briefly and returns copies.

use crate::model::{
    AccelerationDomain, DnsRecord, HostCertificate, OriginGroup, Quota, Task, TaskStatus, UnknownZone, Zone,
};
use crate::store::{domain_key, ZoneData};
use crate::StandIn;

impl StandIn {
    /// Registers a zone (`full` access, `active`) named `name` and returns its new id,
    /// `zone-` followed by 12 lowercase letters and digits.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let stand_in = teo_stand_in::StandIn::start().await?;
    /// let zone_id = stand_in.add_zone("example.com");
    /// assert_eq!(stand_in.zone_id("example.com"), Some(zone_id));
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_zone(&self, name: impl Into<String>) -> String {
        let mut state = self.shared.lock();
        let state = &mut *state;
        let now = state.clock.now();
        state.store.add_generated_zone(&mut state.rng, name.into(), now)
    }

    /// Registers a zone under a chosen id (which requests can only name if it is `zone-` and 1 to
    /// 32 lowercase letters or digits). Returns false, changing nothing, when the id is taken.
    pub fn add_zone_with_id(&self, zone_id: impl Into<String>, name: impl Into<String>) -> bool {
        let mut state = self.shared.lock();
        let now = state.clock.now();
        state.store.add_zone(zone_id.into(), name.into(), now)
    }

    /// Every registered zone, oldest first.
    pub fn zones(&self) -> Vec<Zone> {
        let state = self.shared.lock();
        state.store.zones.iter().map(|data| data.zone.clone()).collect()
    }

    /// One zone, by id.
    pub fn zone(&self, zone_id: &str) -> Option<Zone> {
        self.with_zone(zone_id, |data| data.zone.clone())
    }

    /// The id of the oldest zone named `name`.
    pub fn zone_id(&self, name: &str) -> Option<String> {
        let state = self.shared.lock();
        let found = state.store.zones.iter().find(|data| data.zone.name == name);
        found.map(|data| data.zone.id.clone())
    }

    /// Sets a zone's access type (`Zone.Type`, e.g. `partial` for CNAME access), as stored.
    ///
    /// In a `partial` zone that is not `active`, new acceleration domains await ownership
    /// verification and CreateAccelerationDomain answers `OwnershipVerification`.
    pub fn set_zone_type(&self, zone_id: &str, zone_type: impl Into<String>) -> Result<(), UnknownZone> {
        let zone_type = zone_type.into();
        self.with_zone_mut(zone_id, |data, now| {
            data.zone.zone_type = zone_type;
            data.zone.modified_on = now;
        })
    }

    /// Sets a zone's status (`Zone.Status`, e.g. `pending`), as stored.
    pub fn set_zone_status(&self, zone_id: &str, status: impl Into<String>) -> Result<(), UnknownZone> {
        let status = status.into();
        self.with_zone_mut(zone_id, |data, now| {
            data.zone.status = status;
            data.zone.modified_on = now;
        })
    }

    /// The zone's DNS records, oldest first (empty for an unknown zone).
    pub fn dns_records(&self, zone_id: &str) -> Vec<DnsRecord> {
        self.with_zone(zone_id, |data| data.dns.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Seeds `count` distinct `A` records (TTL 300, enabled) named `host-<id>.<zone name>` and
    /// returns their ids in creation order. Cheap enough for tens of thousands of records.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let stand_in = teo_stand_in::StandIn::start().await?;
    /// let zone_id = stand_in.add_zone("example.com");
    /// let ids = stand_in.add_dns_records(&zone_id, 10_000).expect("the zone exists");
    /// assert_eq!(stand_in.dns_records(&zone_id).len(), ids.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_dns_records(&self, zone_id: &str, count: usize) -> Result<Vec<String>, UnknownZone> {
        let mut state = self.shared.lock();
        let state = &mut *state;
        let now = state.clock.now();
        let data = state
            .store
            .zone_mut(zone_id)
            .ok_or_else(|| UnknownZone(zone_id.to_owned()))?;
        let mut ids = Vec::with_capacity(count);
        for _ in 0..count {
            let id = data.dns.fresh_id(&mut state.rng);
            let serial = data.dns.len();
            let record = DnsRecord {
                zone_id: zone_id.to_owned(),
                record_id: id.clone(),
                // The id makes the name, and so the record, unique.
                name: format!("host-{}.{}", id.trim_start_matches("record-"), data.zone.name),
                record_type: "A".to_owned(),
                content: format!(
                    "10.{}.{}.{}",
                    (serial >> 16) & 0xff,
                    (serial >> 8) & 0xff,
                    serial & 0xff
                ),
                location: "Default".to_owned(),
                ttl: 300,
                weight: -1,
                priority: 0,
                status: "enable".to_owned(),
                created_on: now,
                modified_on: now,
            };
            if data.dns.insert(record) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// How many `Describe*Tasks` answers show each task created from now on as `processing`
    /// before it takes its end status (default 2; 0 makes tasks finish at once).
    pub fn set_task_polls(&self, polls: u32) {
        self.shared.lock().store.task_settings.polls = polls;
    }

    /// Makes the next `count` tasks created (in any zone, purge or prefetch, one per target) end
    /// in `status` instead of `success`, in creation order. [`TaskStatus::Processing`] makes tasks
    /// that never finish.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use teo_stand_in::{StandIn, TaskStatus};
    /// let stand_in = StandIn::start().await?;
    /// stand_in.set_task_polls(1);
    /// stand_in.end_next_tasks(1, TaskStatus::Timeout);
    /// // CreatePurgeTask with two targets: the first task times out, the second succeeds.
    /// # Ok(())
    /// # }
    /// ```
    pub fn end_next_tasks(&self, count: usize, status: TaskStatus) {
        let mut state = self.shared.lock();
        state
            .store
            .task_settings
            .queued
            .extend(std::iter::repeat_n(status, count));
    }

    /// Makes every task created from now on whose target contains `target_contains` end in
    /// `status`. Rules are tried in the order added and win over [`StandIn::end_next_tasks`].
    pub fn end_tasks_matching(&self, target_contains: impl Into<String>, status: TaskStatus) {
        let mut state = self.shared.lock();
        state.store.task_settings.rules.push((target_contains.into(), status));
    }

    /// Forgets the ends set by [`StandIn::end_next_tasks`] and [`StandIn::end_tasks_matching`];
    /// new tasks succeed again. Tasks already created keep their end.
    pub fn clear_task_outcomes(&self) {
        let mut state = self.shared.lock();
        state.store.task_settings.queued.clear();
        state.store.task_settings.rules.clear();
    }

    /// The zone's purge and prefetch tasks, oldest first, as they stand (reading them here does
    /// not count as a poll).
    pub fn tasks(&self, zone_id: &str) -> Vec<Task> {
        self.with_zone(zone_id, |data| data.tasks.iter().map(|row| row.task.clone()).collect())
            .unwrap_or_default()
    }

    /// The zone's content quotas with what is left today (empty for an unknown zone).
    pub fn content_quota(&self, zone_id: &str) -> Vec<Quota> {
        let mut state = self.shared.lock();
        let now = state.clock.now();
        state
            .store
            .zone_mut(zone_id)
            .map(|data| data.quota.quotas(now))
            .unwrap_or_default()
    }

    /// Sets the batch and daily limits of one quota type (`purge_url`, `purge_prefix`,
    /// `purge_host`, `purge_all`, `purge_cache_tag` or `prefetch_url`) for a zone. Tasks already
    /// created today still count against the new daily limit.
    pub fn set_content_quota(
        &self,
        zone_id: &str,
        quota_type: &str,
        batch: i64,
        daily: i64,
    ) -> Result<(), UnknownZone> {
        self.with_zone_mut(zone_id, |data, _| data.quota.set(quota_type, batch, daily))
    }

    /// The server certificate ids bound to `host` by ModifyHostsCertificate (empty when none).
    pub fn host_certificates(&self, zone_id: &str, host: &str) -> Vec<String> {
        self.host_certificate(zone_id, host)
            .map(|binding| binding.server_cert_ids)
            .unwrap_or_default()
    }

    /// The whole certificate binding of `host`, once ModifyHostsCertificate configured it.
    pub fn host_certificate(&self, zone_id: &str, host: &str) -> Option<HostCertificate> {
        self.acceleration_domain(zone_id, host)
            .and_then(|domain| domain.certificate)
    }

    /// The zone's acceleration domains, oldest first. `Debug` of the result hides origin secrets.
    pub fn acceleration_domains(&self, zone_id: &str) -> Vec<AccelerationDomain> {
        self.with_zone(zone_id, |data| data.domains.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// One acceleration domain, by name (case-insensitively).
    pub fn acceleration_domain(&self, zone_id: &str, domain_name: &str) -> Option<AccelerationDomain> {
        self.with_zone(zone_id, |data| data.domains.get(&domain_key(domain_name)).cloned())
            .flatten()
    }

    /// The zone's origin groups, oldest first. `Debug` of the result hides private parameters.
    pub fn origin_groups(&self, zone_id: &str) -> Vec<OriginGroup> {
        self.with_zone(zone_id, |data| data.origin_groups.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// One origin group, by id.
    pub fn origin_group(&self, zone_id: &str, group_id: &str) -> Option<OriginGroup> {
        self.with_zone(zone_id, |data| data.origin_groups.get(group_id).cloned())
            .flatten()
    }

    fn with_zone<T>(&self, zone_id: &str, read: impl FnOnce(&ZoneData) -> T) -> Option<T> {
        let state = self.shared.lock();
        state.store.zone(zone_id).map(read)
    }

    fn with_zone_mut<T>(&self, zone_id: &str, change: impl FnOnce(&mut ZoneData, i64) -> T) -> Result<T, UnknownZone> {
        let mut state = self.shared.lock();
        let now = state.clock.now();
        let data = state
            .store
            .zone_mut(zone_id)
            .ok_or_else(|| UnknownZone(zone_id.to_owned()))?;
        Ok(change(data, now))
    }
}
