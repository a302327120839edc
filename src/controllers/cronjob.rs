//! The CronJob controller's decisions (pkg/controller/cronjob, v2), pure: which scheduled time
//! is due (`mostRecentScheduleTime`, `nextScheduleTime`, `nextScheduleTimeDuration` of
//! utils.go, the 100-missed-starts rule and `startingDeadlineSeconds` included), the Job made
//! from the template (`getJobFromTemplate2`), and one sync as a plan (`cleanupFinishedJobs`
//! then `syncCronJob`): events, Job deletions, the Job to create, the new status and when
//! to look again. The glue (`cronjobs.rs`) carries it out through the API.

use crate::util::cron::{Schedule, load_location, parse_standard};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::{CronJob, CronJobStatus, Job};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use std::collections::BTreeMap;

/// `nextScheduleDelta`: a requeue lands 100 ms after the scheduled time.
const NEXT_SCHEDULE_DELTA: SignedDuration = SignedDuration::from_millis(100);

/// `batchv1.CronJobScheduledTimestampAnnotation`.
pub const SCHEDULED_TIMESTAMP_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/// The zone kube-controller-manager runs in (`time.Local`): UTC.
fn local() -> TimeZone {
    TimeZone::UTC
}

/// `missedSchedulesType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missed {
    None,
    Few,
    Many,
}

/// What `mostRecentScheduleTime` returns.
#[derive(Debug, Clone, PartialEq)]
pub struct MostRecent {
    /// The last schedule time or the creation time (or `now - startingDeadlineSeconds`).
    pub earliest: Timestamp,
    /// The most recent time a Job should have been created, if any is due.
    pub time: Option<Timestamp>,
    pub missed: Missed,
    /// A schedule that parses but never comes round twice (`59 23 31 2 *`).
    pub err: Option<String>,
}

/// The schedule-relevant part of a CronJob.
#[derive(Debug, Clone, Default)]
pub struct Timing {
    pub created: Timestamp,
    pub last_schedule: Option<Timestamp>,
    pub starting_deadline: Option<i64>,
}

impl Timing {
    pub fn of(cj: &CronJob) -> Timing {
        Timing {
            created: cj
                .metadata
                .creation_timestamp
                .as_ref()
                .map_or(Timestamp::UNIX_EPOCH, |t| t.0),
            last_schedule: cj
                .status
                .as_ref()
                .and_then(|s| s.last_schedule_time.as_ref())
                .map(|t| t.0),
            starting_deadline: cj.spec.as_ref().and_then(|s| s.starting_deadline_seconds),
        }
    }
}

/// utils.go `mostRecentScheduleTime`.
pub fn most_recent_schedule_time(
    cj: &Timing,
    now: Timestamp,
    sched: &Schedule,
    include_starting_deadline: bool,
) -> MostRecent {
    let mut earliest = cj.last_schedule.unwrap_or(cj.created);
    if include_starting_deadline && let Some(d) = cj.starting_deadline {
        let deadline = now - SignedDuration::from_secs(d);
        if deadline > earliest {
            earliest = deadline;
        }
    }
    let none = |missed, err: Option<&str>| MostRecent {
        earliest,
        time: None,
        missed,
        err: err.map(str::to_string),
    };
    let tz = local();
    let t1 = sched.next(earliest, &tz);
    let t2 = t1.and_then(|t| sched.next(t, &tz));
    if let Some(t1) = t1
        && now < t1
    {
        return none(Missed::None, None);
    }
    if let (Some(t1), Some(t2)) = (t1, t2)
        && now < t2
    {
        return MostRecent {
            earliest,
            time: Some(t1),
            missed: Missed::None,
            err: None,
        };
    }
    // Go's zero time stands for "no next time": the gap between the two is not positive.
    let (Some(t1), Some(t2)) = (t1, t2) else {
        return none(
            Missed::None,
            Some("time difference between two schedules is less than 1 second"),
        );
    };
    let between = t2
        .duration_since(t1)
        .round(jiff::Unit::Second)
        .ok()
        .map_or(0, |d| d.as_secs());
    if between < 1 {
        return none(
            Missed::None,
            Some("time difference between two schedules is less than 1 second"),
        );
    }
    let elapsed = now.duration_since(t1).as_secs();
    let missed_count = elapsed / between + 1;
    // Back one interval more than the count says, and let the schedule find the times.
    let potential_earliest = t1 + SignedDuration::from_secs((missed_count - 2) * between);
    let mut most_recent = None;
    let mut t = sched.next(potential_earliest, &tz);
    while let Some(x) = t {
        if x > now {
            break;
        }
        most_recent = Some(x);
        t = sched.next(x, &tz);
    }
    let missed = if missed_count > 100 {
        Missed::Many
    } else {
        Missed::Few
    };
    MostRecent {
        earliest,
        time: most_recent,
        missed,
        err: None,
    }
}

/// utils.go `nextScheduleTimeDuration`: how long until the sync after the next scheduled
/// time (`None`: the schedule has no next time at all).
pub fn next_schedule_time_duration(
    cj: &Timing,
    now: Timestamp,
    sched: &Schedule,
) -> Option<SignedDuration> {
    let m = most_recent_schedule_time(cj, now, sched, false);
    let from = if m.err.is_some() {
        now
    } else {
        match m.time {
            Some(t) => t,
            None if m.missed == Missed::None => m.earliest,
            None => now,
        }
    };
    let next = sched.next(from, &local())?;
    Some(now.duration_until(next + NEXT_SCHEDULE_DELTA))
}

/// utils.go `nextScheduleTime`: the time to run now, whether too many starts were missed
/// (the `TooManyMissedTimes` warning), and the error of an impossible schedule.
pub fn next_schedule_time(
    cj: &Timing,
    now: Timestamp,
    sched: &Schedule,
) -> (Option<Timestamp>, bool, Option<String>) {
    let m = most_recent_schedule_time(cj, now, sched, true);
    match m.time {
        Some(t) if t <= now => (Some(t), m.missed == Missed::Many, m.err),
        _ => (None, false, m.err),
    }
}

/// `getTimeHashInMinutes`: a Job's name is `<cronjob>-<minutes since the epoch>`.
pub fn job_name(cronjob: &str, scheduled: Timestamp) -> String {
    format!("{cronjob}-{}", scheduled.as_second().div_euclid(60))
}

/// utils.go `getJobFromTemplate2`: labels and annotations of the template, the
/// scheduled-timestamp annotation (RFC 3339 in the CronJob's zone), the controller reference,
/// the template's spec.
pub fn job_from_template(cj: &CronJob, scheduled: Timestamp) -> Job {
    let tmpl = cj.spec.as_ref().map(|s| &s.job_template);
    let tmeta = tmpl.and_then(|t| t.metadata.as_ref());
    let name = cj.metadata.name.clone().unwrap_or_default();
    let mut annotations: BTreeMap<String, String> = tmeta
        .and_then(|m| m.annotations.clone())
        .unwrap_or_default();
    let tz = cj
        .spec
        .as_ref()
        .and_then(|s| s.time_zone.as_deref())
        .and_then(|z| load_location(z).ok())
        .unwrap_or_else(local);
    annotations.insert(
        SCHEDULED_TIMESTAMP_ANNOTATION.to_string(),
        rfc3339(&scheduled.to_zoned(tz)),
    );
    Job {
        metadata: ObjectMeta {
            name: Some(job_name(&name, scheduled)),
            labels: Some(tmeta.and_then(|m| m.labels.clone()).unwrap_or_default()),
            annotations: Some(annotations),
            creation_timestamp: Some(Time(scheduled)),
            owner_references: Some(vec![OwnerReference {
                api_version: "batch/v1".into(),
                kind: "CronJob".into(),
                name,
                uid: cj.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: tmpl.and_then(|t| t.spec.clone()),
        status: None,
    }
}

/// Go's `time.RFC3339` (`2006-01-02T15:04:05Z07:00`): `Z` for UTC, else `+hh:mm`.
fn rfc3339(z: &jiff::Zoned) -> String {
    if z.offset().seconds() == 0 {
        z.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// A Job's terminal condition (`getFinishedStatus`): `Complete` or `Failed`, when `True`.
pub fn finished_status(j: &Job) -> Option<&'static str> {
    j.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find_map(|c| match (c.type_.as_str(), c.status.as_str()) {
            ("Complete", "True") => Some("Complete"),
            ("Failed", "True") => Some("Failed"),
            _ => None,
        })
}

/// One thing the glue does, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Event {
        warning: bool,
        reason: &'static str,
        message: String,
    },
    /// Delete the Job (background propagation) and, once it is gone, say `SuccessfulDelete`
    /// and drop it from `status.active`.
    DeleteJob(String),
}

/// What one sync decided.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// The Job to create last, for this scheduled time; on success the glue adds it to
    /// `status.active`, sets `lastScheduleTime` and says `SuccessfulCreate`.
    pub create: Option<(Job, Timestamp)>,
    /// The status as the steps before `create` leave it.
    pub status: CronJobStatus,
    pub update_status: bool,
    /// When to sync again (the next scheduled time, 100 ms late).
    pub requeue: Option<SignedDuration>,
    /// Whether the schedule parsed: without it the glue does not requeue after a create.
    pub schedule: Option<Schedule>,
}

fn event(plan: &mut Plan, warning: bool, reason: &'static str, message: String) {
    plan.steps.push(Step::Event {
        warning,
        reason,
        message,
    });
}

fn active_names(st: &CronJobStatus) -> impl Iterator<Item = &str> {
    st.active.iter().flatten().filter_map(|r| r.name.as_deref())
}

fn remove_active(st: &mut CronJobStatus, uid: Option<&str>) {
    if let Some(a) = st.active.as_mut() {
        a.retain(|r| r.uid.as_deref() != uid);
    }
}

fn in_active(st: &CronJobStatus, uid: Option<&str>) -> bool {
    st.active.iter().flatten().any(|r| r.uid.as_deref() == uid)
}

/// `cleanupFinishedJobs`: finished Jobs beyond each history limit go, oldest first (by
/// `status.startTime`, unset last, ties by name).
fn cleanup_finished_jobs(cj: &CronJob, jobs: &[Job], plan: &mut Plan) {
    let spec = cj.spec.as_ref();
    let limits = [
        (
            "Complete",
            spec.and_then(|s| s.successful_jobs_history_limit),
        ),
        ("Failed", spec.and_then(|s| s.failed_jobs_history_limit)),
    ];
    for (status, limit) in limits {
        let Some(limit) = limit else { continue };
        let mut finished: Vec<&Job> = jobs
            .iter()
            .filter(|j| finished_status(j) == Some(status))
            .collect();
        let excess = finished
            .len()
            .saturating_sub(usize::try_from(limit).unwrap_or(0));
        if excess == 0 {
            continue;
        }
        let start = |j: &Job| {
            j.status
                .as_ref()
                .and_then(|s| s.start_time.as_ref())
                .map(|t| t.0)
        };
        finished.sort_by(|a, b| {
            let key = |j: &Job| (start(j).is_none(), start(j), j.metadata.name.clone());
            key(a).cmp(&key(b))
        });
        for j in finished.into_iter().take(excess) {
            plan.steps
                .push(Step::DeleteJob(j.metadata.name.clone().unwrap_or_default()));
            remove_active(&mut plan.status, j.metadata.uid.as_deref());
            plan.update_status = true;
        }
    }
}

/// `formatSchedule`: the schedule with `TZ=<timeZone> ` in front when the zone loads; a
/// `TZ` already in the schedule wins (and is warned about).
fn format_schedule(cj: &CronJob, plan: &mut Plan) -> String {
    let spec = cj.spec.as_ref();
    let schedule = spec.map_or("", |s| s.schedule.as_str());
    if schedule.contains("TZ") {
        event(
            plan,
            true,
            "UnsupportedSchedule",
            format!(
                "CRON_TZ or TZ used in schedule {} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
                crate::util::go_quote(schedule)
            ),
        );
        return schedule.to_string();
    }
    match spec.and_then(|s| s.time_zone.as_deref()) {
        Some(tz) if load_location(tz).is_ok() => format!("TZ={tz} {schedule}"),
        _ => schedule.to_string(),
    }
}

/// One sync (`sync`: `cleanupFinishedJobs`, then `syncCronJob`) of `cj` with the Jobs it
/// controls, at `now`. `job_exists` answers the live GET for an active Job missing from
/// the list.
// Long because: syncCronJob is one long function of early returns, kept in its order so it
// reads against the Go.
pub fn sync(cj: &CronJob, jobs: &[Job], now: Timestamp, job_exists: &dyn Fn(&str) -> bool) -> Plan {
    let mut plan = Plan {
        status: cj.status.clone().unwrap_or_default(),
        ..Default::default()
    };
    cleanup_finished_jobs(cj, jobs, &mut plan);
    let deleted: Vec<String> = plan
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::DeleteJob(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    for j in jobs {
        let uid = j.metadata.uid.as_deref();
        let name = j.metadata.name.clone().unwrap_or_default();
        let found = in_active(&plan.status, uid);
        let finished = finished_status(j);
        match finished {
            None if !found => event(
                &mut plan,
                true,
                "UnexpectedJob",
                format!("Saw a job that the controller did not create or forgot: {name}"),
            ),
            Some(status) if found => {
                remove_active(&mut plan.status, uid);
                event(
                    &mut plan,
                    false,
                    "SawCompletedJob",
                    format!("Saw completed job: {name}, status: {status}"),
                );
                plan.update_status = true;
            }
            Some("Complete") => {
                let done = j.status.as_ref().and_then(|s| s.completion_time.clone());
                let last = plan.status.last_successful_time.as_ref().map(|t| t.0);
                if last.is_none() {
                    plan.status.last_successful_time = done.clone();
                    plan.update_status = true;
                }
                if let (Some(d), Some(l)) = (&done, last)
                    && d.0 > l
                {
                    plan.status.last_successful_time = done;
                    plan.update_status = true;
                }
            }
            _ => {}
        }
    }
    // Active entries whose Job is gone.
    let listed: Vec<Option<&str>> = jobs.iter().map(|j| j.metadata.uid.as_deref()).collect();
    let gone: Vec<(Option<String>, String)> = plan
        .status
        .active
        .iter()
        .flatten()
        .filter(|r| !listed.contains(&r.uid.as_deref()))
        .map(|r| (r.uid.clone(), r.name.clone().unwrap_or_default()))
        .filter(|(_, n)| !deleted.contains(n) && !job_exists(n))
        .collect();
    for (uid, name) in gone {
        event(
            &mut plan,
            false,
            "MissingJob",
            format!("Active job went missing: {name}"),
        );
        remove_active(&mut plan.status, uid.as_deref());
        plan.update_status = true;
    }
    if cj.metadata.deletion_timestamp.is_some() {
        return plan;
    }
    let spec = cj.spec.clone().unwrap_or_default();
    if let Some(tz) = spec.time_zone.as_deref()
        && let Err(e) = load_location(tz)
    {
        event(
            &mut plan,
            true,
            "UnknownTimeZone",
            format!("invalid timeZone: {}: {e}", crate::util::go_quote(tz)),
        );
        return plan;
    }
    if spec.suspend == Some(true) {
        return plan;
    }
    let sched = match parse_standard(&format_schedule(cj, &mut plan)) {
        Ok(s) => s,
        Err(e) => {
            event(
                &mut plan,
                true,
                "UnparseableSchedule",
                format!(
                    "unparseable schedule: {} : {e}",
                    crate::util::go_quote(&spec.schedule)
                ),
            );
            return plan;
        }
    };
    let mut timing = Timing::of(cj);
    let (scheduled, many, err) = next_schedule_time(&timing, now, &sched);
    if many {
        event(
            &mut plan,
            true,
            "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew".into(),
        );
    }
    if let Some(e) = err {
        event(
            &mut plan,
            true,
            "InvalidSchedule",
            format!("invalid schedule: {} : {e}", spec.schedule),
        );
        return plan;
    }
    plan.requeue = next_schedule_time_duration(&timing, now, &sched);
    plan.schedule = Some(sched.clone());
    let Some(scheduled) = scheduled else {
        return plan;
    };
    if let Some(d) = spec.starting_deadline_seconds
        && scheduled + SignedDuration::from_secs(d) < now
    {
        event(
            &mut plan,
            true,
            "MissSchedule",
            format!(
                "Missed scheduled time to start a job: {}",
                scheduled.strftime("%a, %d %b %Y %H:%M:%S +0000")
            ),
        );
        return plan;
    }
    let name = cj.metadata.name.as_deref().unwrap_or_default();
    let job = job_name(name, scheduled);
    if active_names(&plan.status).any(|n| n == job) || timing.last_schedule == Some(scheduled) {
        return plan;
    }
    let policy = spec.concurrency_policy.as_deref().unwrap_or("Allow");
    let active: Vec<String> = active_names(&plan.status).map(str::to_string).collect();
    if policy == "Forbid" && !active.is_empty() {
        event(
            &mut plan,
            false,
            "JobAlreadyActive",
            "Not starting job because prior execution is running and concurrency policy is Forbid"
                .into(),
        );
        return plan;
    }
    if policy == "Replace" {
        for n in active {
            plan.steps.push(Step::DeleteJob(n));
            plan.update_status = true;
        }
        plan.status.active = Some(Vec::new());
    }
    plan.create = Some((job_from_template(cj, scheduled), scheduled));
    // The requeue as it will be once `lastScheduleTime` is the new time.
    timing.last_schedule = Some(scheduled);
    plan.requeue = next_schedule_time_duration(&timing, now, &sched);
    plan
}

#[cfg(test)]
mod tests;
