// Purge and prefetch tasks as they progress, the controls a test uses to decide how new tasks end,
// and each zone's daily content quotas.

use std::collections::{HashMap, VecDeque};

use crate::model::{Quota, Task, TaskStatus};

/// How many `Describe*Tasks` answers show a new task as `processing` unless told otherwise.
pub(crate) const DEFAULT_TASK_POLLS: u32 = 2;

/// The quota types a zone starts with, and their limits (those of the service's own example).
const DEFAULT_QUOTAS: [(&str, i64, i64); 6] = [
    ("purge_url", 2000, 10_000),
    ("purge_prefix", 2000, 10_000),
    ("purge_host", 2000, 10_000),
    ("purge_all", 2000, 10_000),
    ("purge_cache_tag", 2000, 10_000),
    ("prefetch_url", 2000, 10_000),
];

/// How new tasks progress: how many polls they stay `processing`, and how they end.
#[derive(Debug)]
pub(crate) struct TaskSettings {
    pub(crate) polls: u32,
    /// Ends for the next tasks created, one each, before the default `success`.
    pub(crate) queued: VecDeque<TaskStatus>,
    /// (target substring, end): a task whose target contains the text ends so; first rule wins.
    pub(crate) rules: Vec<(String, TaskStatus)>,
}

impl Default for TaskSettings {
    fn default() -> Self {
        Self {
            polls: DEFAULT_TASK_POLLS,
            queued: VecDeque::new(),
            rules: Vec::new(),
        }
    }
}

impl TaskSettings {
    /// The end of a task about to be created for `target`: a matching rule, else the next queued
    /// end, else success.
    pub(crate) fn outcome_for(&mut self, target: &str) -> TaskStatus {
        if let Some((_, status)) = self.rules.iter().find(|(text, _)| target.contains(text.as_str())) {
            return *status;
        }
        self.queued.pop_front().unwrap_or(TaskStatus::Success)
    }
}

/// A task with what is left of its progress.
#[derive(Debug)]
pub(crate) struct TaskRow {
    pub(crate) task: Task,
    /// Polls still to answer `processing`.
    polls_left: u32,
    /// The status it takes when they run out.
    outcome: TaskStatus,
}

impl TaskRow {
    /// A task that answers `processing` to `polls` polls, then `outcome` (at once when `polls` is 0).
    pub(crate) fn new(mut task: Task, polls: u32, outcome: TaskStatus) -> Self {
        task.status = if polls == 0 { outcome } else { TaskStatus::Processing };
        Self {
            task,
            polls_left: polls,
            outcome,
        }
    }

    /// The task as one poll shows it; counts the poll, so a later poll may see it finished.
    pub(crate) fn observe(&mut self, now: i64) -> Task {
        let shown = self.task.clone();
        if self.task.status == TaskStatus::Processing && self.polls_left > 0 {
            self.polls_left -= 1;
            if self.polls_left == 0 {
                self.task.status = self.outcome;
                self.task.update_time = now;
            }
        }
        shown
    }
}

/// Limits of one quota type.
#[derive(Debug)]
struct Limit {
    quota_type: String,
    batch: i64,
    daily: i64,
}

/// A zone's content quotas and what today's tasks used of them.
#[derive(Debug)]
pub(crate) struct QuotaBook {
    limits: Vec<Limit>,
    used: HashMap<String, i64>,
    /// The UTC day (unix days) `used` counts for.
    day: i64,
}

impl Default for QuotaBook {
    fn default() -> Self {
        Self {
            limits: DEFAULT_QUOTAS
                .iter()
                .map(|&(quota_type, batch, daily)| Limit {
                    quota_type: quota_type.to_owned(),
                    batch,
                    daily,
                })
                .collect(),
            used: HashMap::new(),
            day: i64::MIN,
        }
    }
}

impl QuotaBook {
    /// Starts a fresh day's count when the server clock has moved to another UTC day.
    fn roll(&mut self, now: i64) {
        let today = now.div_euclid(86_400);
        if today != self.day {
            self.day = today;
            self.used.clear();
        }
    }

    /// Sets (or adds) the limits of one quota type; what was used today stays used.
    pub(crate) fn set(&mut self, quota_type: &str, batch: i64, daily: i64) {
        match self.limits.iter_mut().find(|limit| limit.quota_type == quota_type) {
            Some(limit) => {
                limit.batch = batch;
                limit.daily = daily;
            }
            None => self.limits.push(Limit {
                quota_type: quota_type.to_owned(),
                batch,
                daily,
            }),
        }
    }

    /// Every quota with today's remainder, in a fixed order.
    pub(crate) fn quotas(&mut self, now: i64) -> Vec<Quota> {
        self.roll(now);
        self.limits
            .iter()
            .map(|limit| Quota {
                quota_type: limit.quota_type.clone(),
                batch: limit.batch,
                daily: limit.daily,
                daily_available: limit
                    .daily
                    .saturating_sub(self.used.get(&limit.quota_type).copied().unwrap_or(0))
                    .max(0),
            })
            .collect()
    }

    /// One quota type with today's remainder.
    pub(crate) fn quota(&mut self, quota_type: &str, now: i64) -> Option<Quota> {
        self.quotas(now)
            .into_iter()
            .find(|quota| quota.quota_type == quota_type)
    }

    /// Counts `tasks` against today's quota of `quota_type`.
    pub(crate) fn consume(&mut self, quota_type: &str, tasks: i64, now: i64) {
        self.roll(now);
        let used = self.used.entry(quota_type.to_owned()).or_insert(0);
        *used = used.saturating_add(tasks);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TaskKind;

    fn task() -> Task {
        Task {
            zone_id: "zone-a".to_owned(),
            kind: TaskKind::Purge,
            job_id: "job".to_owned(),
            target: "https://example.com/a".to_owned(),
            task_type: "purge_url".to_owned(),
            method: None,
            status: TaskStatus::Processing,
            domains: vec!["example.com".to_owned()],
            create_time: 10,
            update_time: 10,
        }
    }

    #[test]
    fn a_task_answers_processing_to_its_polls_then_its_end() {
        let mut row = TaskRow::new(task(), 2, TaskStatus::Timeout);
        assert_eq!(row.observe(11).status, TaskStatus::Processing);
        assert_eq!(row.observe(12).status, TaskStatus::Processing);
        let finished = row.observe(13);
        assert_eq!((finished.status, finished.update_time), (TaskStatus::Timeout, 12));
        assert_eq!(row.observe(14).status, TaskStatus::Timeout);
        assert_eq!(
            TaskRow::new(task(), 0, TaskStatus::Failed).task.status,
            TaskStatus::Failed
        );
    }

    #[test]
    fn rules_win_over_the_queue_which_wins_over_success() {
        let mut settings = TaskSettings::default();
        settings.queued.push_back(TaskStatus::Canceled);
        settings.rules.push(("/slow".to_owned(), TaskStatus::Timeout));
        assert_eq!(settings.outcome_for("https://a/slow/1"), TaskStatus::Timeout);
        assert_eq!(settings.outcome_for("https://a/1"), TaskStatus::Canceled);
        assert_eq!(settings.outcome_for("https://a/2"), TaskStatus::Success);
    }

    #[test]
    fn quotas_are_consumed_and_reset_daily() {
        let mut book = QuotaBook::default();
        book.set("purge_url", 5, 8);
        book.consume("purge_url", 3, 86_400 * 7 + 5);
        let quota = book
            .quota("purge_url", 86_400 * 7 + 9)
            .map(|q| (q.batch, q.daily, q.daily_available));
        assert_eq!(quota, Some((5, 8, 5)));
        let tomorrow = book.quota("purge_url", 86_400 * 8).map(|q| q.daily_available);
        assert_eq!(tomorrow, Some(8));
        assert_eq!(book.quotas(0).len(), 6);
    }
}
