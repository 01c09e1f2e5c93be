// Cache purge and prefetch: CreatePurgeTask and CreatePrefetchTask make one task per target under
// one JobId (targets that cannot become a task go to FailedList), counted against the zone's
// content quotas; DescribePurgeTasks and DescribePrefetchTasks list them, and each answer that
// shows a task counts as one poll of it (tasks finish after a set number of polls, see
// `store::TaskRow`); DescribeContentQuota shows what today's tasks left of the quotas.

use std::borrow::Cow;

use serde_json::{json, Value};

use super::listing::{exact, fuzzy, one, FilterRule, Filters, Page, FILTERS};
use super::params::{invalid_value, members, missing, opt, req, zone_id, Field, Kind, Params, STRINGS};
use super::{unknown_zone, zone_mut, Answer, Ctx, Spec};
use crate::model::{Quota, Task, TaskKind, TaskStatus};
use crate::response::ApiError;
use crate::state::Rng;
use crate::store::{TaskRow, ZoneData};
use crate::time::{iso_utc, parse_iso};

/// The largest `Limit` DescribePurgeTasks and DescribePrefetchTasks accept.
pub(crate) const MAX_LIMIT: i64 = 1000;
/// No action here documents a zone code; the generic one it is.
const NO_ZONE: &str = "ResourceNotFound";
const PURGE_TYPES: [&str; 5] = [
    "purge_url",
    "purge_prefix",
    "purge_host",
    "purge_all",
    "purge_cache_tag",
];
/// The task (and quota) type of every prefetch task.
const PREFETCH_TYPE: &str = "prefetch_url";

const CACHE_TAG: &[Field] = &[req("Domains", STRINGS)];
const HEADER: &[Field] = &[req("Name", Kind::Str), req("Value", Kind::Str)];
const DESCRIBE_INPUT: &[Field] = &[
    req("ZoneId", Kind::Str),
    opt("StartTime", Kind::Str),
    opt("EndTime", Kind::Str),
    opt("Offset", Kind::Int),
    opt("Limit", Kind::Int),
    opt("Filters", FILTERS),
];

pub(super) const ACTIONS: &[Spec] = &[
    Spec {
        name: "CreatePurgeTask",
        input: &[
            req("ZoneId", Kind::Str),
            req("Type", Kind::Str),
            opt("Method", Kind::Str),
            opt("Targets", STRINGS),
            opt("EncodeUrl", Kind::Bool),
            opt("CacheTag", Kind::Object(CACHE_TAG)),
        ],
        run: create_purge,
    },
    Spec {
        name: "DescribePurgeTasks",
        input: DESCRIBE_INPUT,
        run: describe_purge,
    },
    Spec {
        name: "CreatePrefetchTask",
        input: &[
            req("ZoneId", Kind::Str),
            opt("Targets", STRINGS),
            opt("Mode", Kind::Str),
            opt("EncodeUrl", Kind::Bool),
            opt("Headers", Kind::List(&Kind::Object(HEADER))),
            opt("PrefetchMediaSegments", Kind::Str),
        ],
        run: create_prefetch,
    },
    Spec {
        name: "DescribePrefetchTasks",
        input: DESCRIBE_INPUT,
        run: describe_prefetch,
    },
    Spec {
        name: "DescribeContentQuota",
        input: &[req("ZoneId", Kind::Str)],
        run: describe_quota,
    },
];

const PURGE_FILTERS: &[FilterRule] = &[
    exact("job-id"),
    fuzzy("target"),
    exact("domains"),
    exact("statuses"),
    exact("type"),
];
const PREFETCH_FILTERS: &[FilterRule] = &[exact("job-id"), exact("target"), exact("domains"), exact("statuses")];

/// A task about to be created: its target and the domains it concerns.
struct Planned {
    target: String,
    domains: Vec<String>,
}

/// What one Create*Task request asks for, once read.
struct Request<'a> {
    zone: &'a str,
    kind: TaskKind,
    task_type: &'static str,
    method: Option<&'a str>,
    targets: Vec<String>,
    /// For cache-tag purges, the domains of `CacheTag`.
    tag_domains: Vec<String>,
}

fn create_purge(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let task_type = params
        .one_of_any_case("Type", &PURGE_TYPES)?
        .ok_or_else(|| missing("Type"))?;
    let method = params.one_of("Method", &["invalidate", "delete"], "invalidate")?;
    let mut tag_domains = Vec::new();
    if task_type == "purge_cache_tag" {
        let cache_tag = params.object("CacheTag").ok_or_else(|| missing("CacheTag"))?;
        tag_domains = cache_tag.strings("Domains").into_iter().map(str::to_owned).collect();
        if tag_domains.is_empty() {
            return Err(invalid_value("CacheTag.Domains must list at least one domain."));
        }
    }
    let targets = if task_type == "purge_all" {
        // A whole-zone purge has one task, whatever Targets says; its target is the zone name.
        let name = zone_name(ctx, zone)?;
        vec![name]
    } else {
        targets(&params)?
    };
    // The method applies to prefix, host and whole-zone purges only.
    let method = matches!(task_type, "purge_prefix" | "purge_host" | "purge_all").then_some(method);
    let request = Request {
        zone,
        kind: TaskKind::Purge,
        task_type,
        method,
        targets,
        tag_domains,
    };
    create(&request, ctx)
}

fn create_prefetch(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    params.one_of_any_case("Mode", &["default", "edge"])?;
    params.one_of_any_case("PrefetchMediaSegments", &["on", "off"])?;
    let targets = targets(&params)?;
    let request = Request {
        zone,
        kind: TaskKind::Prefetch,
        task_type: PREFETCH_TYPE,
        method: None,
        targets,
        tag_domains: Vec::new(),
    };
    create(&request, ctx)
}

/// `Targets`, required in practice, re-encoded when `EncodeUrl` is true.
fn targets(params: &Params<'_>) -> Result<Vec<String>, ApiError> {
    let targets = params.strings("Targets");
    if targets.is_empty() {
        return Err(missing("Targets"));
    }
    let encode = params.bool("EncodeUrl").unwrap_or(false);
    Ok(targets
        .into_iter()
        .map(|target| if encode { encode_url(target) } else { target.to_owned() })
        .collect())
}

fn zone_name(ctx: &Ctx<'_>, zone: &str) -> Result<String, ApiError> {
    ctx.store
        .zone(zone)
        .map(|data| data.zone.name.clone())
        .ok_or_else(|| unknown_zone(zone, NO_ZONE))
}

/// Checks quotas and targets, then creates the job's tasks all at once.
fn create(request: &Request<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let now = ctx.now;
    let store = &mut *ctx.store;
    let data = store
        .zones
        .get_mut(request.zone)
        .ok_or_else(|| unknown_zone(request.zone, NO_ZONE))?;
    let quota = data.quota.quota(request.task_type, now).unwrap_or(Quota {
        quota_type: request.task_type.to_owned(),
        batch: i64::MAX,
        daily: i64::MAX,
        daily_available: i64::MAX,
    });
    let submitted = i64::try_from(request.targets.len()).unwrap_or(i64::MAX);
    if submitted > quota.batch {
        return Err(ApiError::new(
            "LimitExceeded.BatchQuota",
            format!(
                "{submitted} targets exceed the batch quota of {} for {}.",
                quota.batch, request.task_type
            ),
        ));
    }

    let (planned, failed) = plan(request);
    if planned.is_empty() {
        return Err(ApiError::new(
            "InvalidParameter.TaskNotGenerated",
            format!("No task could be created: {}", failed_summary(&failed)),
        ));
    }
    let tasks = i64::try_from(planned.len()).unwrap_or(i64::MAX);
    if tasks > quota.daily_available {
        return Err(ApiError::new(
            "LimitExceeded.DailyQuota",
            format!(
                "{tasks} tasks exceed the {} left today of the daily quota of {} for {}.",
                quota.daily_available, quota.daily, request.task_type
            ),
        ));
    }

    let job_id = new_job_id(ctx.rng, data);
    data.quota.consume(request.task_type, tasks, now);
    let settings = &mut store.task_settings;
    for planned in planned {
        let task = Task {
            zone_id: request.zone.to_owned(),
            kind: request.kind,
            job_id: job_id.clone(),
            task_type: request.task_type.to_owned(),
            method: request.method.map(str::to_owned),
            status: TaskStatus::Processing,
            domains: planned.domains,
            create_time: now,
            update_time: now,
            target: planned.target,
        };
        let outcome = settings.outcome_for(&task.target);
        data.tasks.push(TaskRow::new(task, settings.polls, outcome));
    }
    let failed: Vec<Value> = failed
        .iter()
        .map(|(reason, targets)| json!({ "Reason": reason, "Targets": targets }))
        .collect();
    Ok(members(json!({ "JobId": job_id, "FailedList": failed })))
}

/// Splits the targets into tasks and (reason, targets) failures.
fn plan(request: &Request<'_>) -> (Vec<Planned>, Vec<(&'static str, Vec<String>)>) {
    let mut planned = Vec::new();
    let mut failed: Vec<(&'static str, Vec<String>)> = Vec::new();
    for target in &request.targets {
        let domains = match request.task_type {
            "purge_all" => Ok(vec![target.clone()]),
            "purge_host" => host_name(target).map(|host| vec![host]),
            "purge_cache_tag" if target.trim().is_empty() => Err("A cache tag must not be empty."),
            "purge_cache_tag" => Ok(request.tag_domains.clone()),
            _ => url_host(target).map(|host| vec![host]),
        };
        match domains {
            Ok(domains) => planned.push(Planned {
                target: target.clone(),
                domains,
            }),
            Err(reason) => match failed.iter_mut().find(|(known, _)| *known == reason) {
                Some((_, targets)) => targets.push(target.clone()),
                None => failed.push((reason, vec![target.clone()])),
            },
        }
    }
    (planned, failed)
}

fn failed_summary(failed: &[(&str, Vec<String>)]) -> String {
    failed
        .iter()
        .map(|(reason, targets)| format!("{reason} ({})", targets.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The host of an `http://` or `https://` URL.
fn url_host(target: &str) -> Result<String, &'static str> {
    const REASON: &str = "The target must be a URL that starts with http:// or https:// and names a host.";
    let lower = target.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or(REASON)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once(':').map_or(authority, |(host, _port)| host);
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(REASON);
    }
    Ok(host.to_owned())
}

/// A bare host name, as purge_host takes.
fn host_name(target: &str) -> Result<String, &'static str> {
    let valid = !target.is_empty()
        && target
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'*'));
    if valid {
        Ok(target.to_ascii_lowercase())
    } else {
        Err("The target must be a host name without a scheme or path.")
    }
}

/// Percent-encodes what RFC 3986 does not allow as is (non-ASCII bytes, spaces, controls).
fn encode_url(target: &str) -> String {
    let mut encoded = String::with_capacity(target.len());
    for byte in target.bytes() {
        if byte.is_ascii_graphic() {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// A fresh 12-character job id, unused in the zone.
fn new_job_id(rng: &mut Rng, data: &ZoneData) -> String {
    loop {
        let id = rng.alphanumerics(12);
        if !data.tasks.iter().any(|row| row.task.job_id == id) {
            return id;
        }
    }
}

fn describe_purge(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    describe(params, ctx, TaskKind::Purge, PURGE_FILTERS)
}

fn describe_prefetch(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    describe(params, ctx, TaskKind::Prefetch, PREFETCH_FILTERS)
}

/// Lists tasks of one kind; the tasks on the page count this answer as a poll.
fn describe(params: Params<'_>, ctx: &mut Ctx<'_>, kind: TaskKind, rules: &[FilterRule]) -> Answer {
    let zone = zone_id(&params)?;
    let start = time_param(&params, "StartTime")?;
    let end = time_param(&params, "EndTime")?;
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            return Err(ApiError::new(
                "InvalidParameter.ParameterError",
                "EndTime must not be earlier than StartTime.",
            ));
        }
    }
    let page = Page::read(&params, MAX_LIMIT)?;
    let filters = Filters::read(&params, rules, false)?;
    let now = ctx.now;
    let data = zone_mut(ctx.store, zone, NO_ZONE)?;
    let matching = data.tasks.iter().enumerate().filter(|(_, row)| {
        let task = &row.task;
        task.kind == kind
            && start.is_none_or(|start| task.create_time >= start)
            && end.is_none_or(|end| task.create_time <= end)
            && filters.matches(|name| field(task, name))
    });
    let (total, shown) = page.take(matching.map(|(index, _)| index));
    let mut tasks = Vec::with_capacity(shown.len());
    for index in shown {
        if let Some(row) = data.tasks.get_mut(index) {
            tasks.push(task_json(&row.observe(now)));
        }
    }
    Ok(members(json!({ "TotalCount": total, "Tasks": tasks })))
}

fn time_param(params: &Params<'_>, name: &str) -> Result<Option<i64>, ApiError> {
    params
        .str(name)
        .map(|text| {
            parse_iso(text).ok_or_else(|| {
                invalid_value(format!(
                    "The parameter `{name}` must be an ISO 8601 date-time such as 2022-02-09T00:00:00+08:00; got `{text}`."
                ))
            })
        })
        .transpose()
}

/// A task's values for one filter name.
fn field<'t>(task: &'t Task, name: &str) -> Vec<Cow<'t, str>> {
    match name {
        "job-id" => one(&task.job_id),
        "target" => one(&task.target),
        "domains" => task
            .domains
            .iter()
            .map(|domain| Cow::Borrowed(domain.as_str()))
            .collect(),
        "statuses" => one(task.status.as_str()),
        "type" => one(&task.task_type),
        _ => Vec::new(),
    }
}

/// `Task`, with a failure type and message for tasks that did not succeed.
fn task_json(task: &Task) -> Value {
    let mut value = json!({
        "JobId": task.job_id,
        "Target": task.target,
        "Type": task.task_type,
        "Status": task.status.as_str(),
        "CreateTime": iso_utc(task.create_time),
        "UpdateTime": iso_utc(task.update_time),
    });
    let failure = match task.status {
        TaskStatus::Failed => Some(("taskFailed", "The task failed.")),
        TaskStatus::Timeout => Some(("taskFailed", "The task timed out.")),
        TaskStatus::Canceled => Some(("taskFailed", "The task was canceled.")),
        TaskStatus::Processing | TaskStatus::Success | TaskStatus::Unlisted => None,
    };
    if let Some(object) = value.as_object_mut() {
        if let Some(method) = &task.method {
            object.insert("Method".to_owned(), Value::String(method.clone()));
        }
        if let Some((fail_type, message)) = failure {
            object.insert("FailType".to_owned(), Value::String(fail_type.to_owned()));
            object.insert("FailMessage".to_owned(), Value::String(message.to_owned()));
        }
    }
    value
}

fn describe_quota(params: Params<'_>, ctx: &mut Ctx<'_>) -> Answer {
    let zone = zone_id(&params)?;
    let now = ctx.now;
    let data = zone_mut(ctx.store, zone, NO_ZONE)?;
    let (mut purge, mut prefetch) = (Vec::new(), Vec::new());
    for quota in data.quota.quotas(now) {
        let entry = json!({
            "Type": quota.quota_type,
            "Batch": quota.batch,
            "Daily": quota.daily,
            "DailyAvailable": quota.daily_available,
        });
        if quota.quota_type.starts_with("prefetch") {
            prefetch.push(entry);
        } else {
            purge.push(entry);
        }
    }
    Ok(members(json!({ "PurgeQuota": purge, "PrefetchQuota": prefetch })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_targets_need_a_scheme_and_a_host() {
        assert_eq!(
            url_host("https://www.Example.com/a.jpg"),
            Ok("www.example.com".to_owned())
        );
        assert_eq!(url_host("http://example.com:8080?x=1"), Ok("example.com".to_owned()));
        assert!(url_host("www.example.com/a.jpg").is_err());
        assert!(url_host("https:///a.jpg").is_err());
        assert!(url_host("ftp://example.com/").is_err());
    }

    #[test]
    fn host_targets_are_bare_names() {
        assert_eq!(host_name("WWW.example.com"), Ok("www.example.com".to_owned()));
        assert!(host_name("https://www.example.com").is_err());
        assert!(host_name("").is_err());
    }

    #[test]
    fn encode_url_escapes_only_what_needs_it() {
        assert_eq!(encode_url("https://a.com/é x"), "https://a.com/%C3%A9%20x");
        assert_eq!(encode_url("https://a.com/a?b=c"), "https://a.com/a?b=c");
    }
}
