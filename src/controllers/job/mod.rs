//! The Job controller's decisions (pkg/controller/job, kube-controller-manager 1.33) as a pure
//! function: [`sync`] takes the Job, the pods it controls and the time, and returns a
//! [`JobPlan`] — the pods to delete and create, the status writes around the removal of the
//! tracking finalizers, the events and when to look again. The glue (`controllers::jobs`)
//! applies it through the API.
//!
//! Upstream keeps a back-off record per Job in memory; here it is rebuilt from the pods at
//! each sync (failed pods stay, so the failures since the last success are still there).

pub mod indexes;
pub mod policy;
#[cfg(test)]
mod tests;

use crate::controllers::podutil::{
    active_pods_order, is_pod_active, is_pod_ready, is_pod_terminal, pod_from_template,
};
use indexes::Indexes;
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::{Job, JobCondition, JobStatus, UncountedTerminatedPods};
use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, ObjectFieldSelector, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{OwnerReference, Time};
use policy::{Action, match_pod_failure_policy, match_success_policy};
use std::collections::{BTreeMap, BTreeSet};

pub const TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
pub const INDEX_FAILURE_COUNT: &str = "batch.kubernetes.io/job-index-failure-count";
pub const INDEX_IGNORED_FAILURE_COUNT: &str = "batch.kubernetes.io/job-index-ignored-failure-count";
pub const COMPLETION_INDEX_ENV: &str = "JOB_COMPLETION_INDEX";
/// `MaxPodCreateDeletePerSync`.
pub const MAX_POD_CREATE_DELETE_PER_SYNC: usize = 500;
/// `MaxUncountedPods`.
pub const MAX_UNCOUNTED_PODS: usize = 500;
/// The controller name a Job's `spec.managedBy` names when it is ours.
pub const MANAGED_BY_US: &str = "kubernetes.io/job-controller";

/// An Event the controller records on the Job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobEvent {
    pub warning: bool,
    pub reason: String,
    pub message: String,
}

impl JobEvent {
    fn normal(reason: &str, message: &str) -> JobEvent {
        JobEvent {
            warning: false,
            reason: reason.into(),
            message: message.into(),
        }
    }
    fn warning(reason: &str, message: &str) -> JobEvent {
        JobEvent {
            warning: true,
            reason: reason.into(),
            message: message.into(),
        }
    }
}

/// What one sync does, in the order the glue applies it.
#[derive(Debug, Default)]
pub struct JobPlan {
    /// Active pods deleted because the Job is finishing (`deleteActivePods`: finalizers kept).
    pub delete_finishing: Vec<String>,
    /// Pods `manageJob` deletes (suspended, too many, duplicate indexes): the tracking
    /// finalizer is removed before the DELETE.
    pub delete_managed: Vec<String>,
    /// Pods to create (generateName set), in order.
    pub create: Vec<Pod>,
    /// Events recorded before the status writes (Suspended, Resumed, UnknownCompletionMode).
    pub events: Vec<JobEvent>,
    /// The first status write: new uncounted pods, the interim condition.
    pub flush: Option<JobStatus>,
    /// Pods whose tracking finalizer is removed after [`Self::flush`].
    pub remove_finalizers: Vec<String>,
    /// The last status write: counters, the terminal condition.
    pub status: Option<JobStatus>,
    /// Events recorded after the last write (Completed, the failure reason).
    pub finished_events: Vec<JobEvent>,
    /// Look at the Job again after this long (back-off, active deadline).
    pub requeue_after: Option<SignedDuration>,
}

impl JobPlan {
    fn requeue(&mut self, d: SignedDuration) {
        let d = d.max(SignedDuration::from_secs(1));
        self.requeue_after = Some(self.requeue_after.map_or(d, |r| r.min(d)));
    }
}

fn uid(p: &Pod) -> &str {
    p.metadata.uid.as_deref().unwrap_or("")
}

fn pname(p: &Pod) -> String {
    p.metadata.name.clone().unwrap_or_default()
}

fn phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

pub fn has_tracking_finalizer(p: &Pod) -> bool {
    p.metadata
        .finalizers
        .iter()
        .flatten()
        .any(|f| f == TRACKING_FINALIZER)
}

/// The pod's completion index (annotation), `None` when absent or not a number.
pub fn completion_index(p: &Pod) -> Option<i32> {
    p.metadata
        .annotations
        .as_ref()?
        .get(COMPLETION_INDEX)?
        .parse::<i32>()
        .ok()
        .filter(|i| *i >= 0)
}

fn ann_count(p: &Pod, key: &str) -> i32 {
    p.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn spec(job: &Job) -> &k8s_openapi::api::batch::v1::JobSpec {
    static EMPTY: std::sync::OnceLock<k8s_openapi::api::batch::v1::JobSpec> =
        std::sync::OnceLock::new();
    job.spec
        .as_ref()
        .unwrap_or_else(|| EMPTY.get_or_init(Default::default))
}

pub fn is_indexed(job: &Job) -> bool {
    spec(job).completion_mode.as_deref() == Some("Indexed")
}

fn suspended(job: &Job) -> bool {
    spec(job).suspend == Some(true)
}

fn completions(job: &Job) -> i32 {
    spec(job).completions.unwrap_or(0)
}

fn has_backoff_limit_per_index(job: &Job) -> bool {
    spec(job).backoff_limit_per_index.is_some()
}

/// `onlyReplaceFailedPods`.
fn only_replace_failed(job: &Job) -> bool {
    spec(job).pod_replacement_policy.as_deref() == Some("Failed")
        || spec(job).pod_failure_policy.is_some()
}

/// `isPodFailed`: Failed, or (unless only failed pods are replaced) being deleted and not
/// Succeeded.
pub fn is_pod_failed(p: &Pod, job: &Job) -> bool {
    if phase(p) == "Failed" {
        return true;
    }
    if only_replace_failed(job) {
        return false;
    }
    p.metadata.deletion_timestamp.is_some() && phase(p) != "Succeeded"
}

fn condition<'a>(status: &'a JobStatus, ty: &str) -> Option<&'a JobCondition> {
    status.conditions.iter().flatten().find(|c| c.type_ == ty)
}

fn condition_true(status: &JobStatus, ty: &str) -> bool {
    condition(status, ty).is_some_and(|c| c.status == "True")
}

/// `IsJobFinished`: a Complete or Failed condition that is True.
pub fn is_finished(status: &JobStatus) -> bool {
    condition_true(status, "Complete") || condition_true(status, "Failed")
}

fn new_condition(
    ty: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: Timestamp,
) -> JobCondition {
    JobCondition {
        type_: ty.into(),
        status: status.into(),
        last_probe_time: Some(Time(now)),
        last_transition_time: Some(Time(now)),
        reason: (!reason.is_empty()).then(|| reason.into()),
        message: (!message.is_empty()).then(|| message.into()),
    }
}

fn failure_target(reason: &str, message: &str, now: Timestamp) -> JobCondition {
    new_condition("FailureTarget", "True", reason, message, now)
}

fn reason(c: &JobCondition) -> &str {
    c.reason.as_deref().unwrap_or("")
}

fn message(c: &JobCondition) -> &str {
    c.message.as_deref().unwrap_or("")
}

/// `ensureJobConditionStatus`: whether the list changed.
fn ensure_condition(
    list: &mut Vec<JobCondition>,
    ty: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: Timestamp,
) -> bool {
    if let Some(c) = list.iter_mut().find(|c| c.type_ == ty) {
        if c.status != status
            || c.reason.as_deref().unwrap_or("") != reason
            || c.message.as_deref().unwrap_or("") != message
        {
            *c = new_condition(ty, status, reason, message, now);
            return true;
        }
        return false;
    }
    if status != "False" {
        list.push(new_condition(ty, status, reason, message, now));
        return true;
    }
    false
}

/// The back-off record (`backoffRecord`) rebuilt from the pods: failures that finished after
/// the last success, and when the latest of them finished.
fn backoff_record(job: &Job, pods: &[&Pod]) -> (i32, Option<Timestamp>) {
    let last_success = pods
        .iter()
        .filter(|p| phase(p) == "Succeeded")
        .map(|p| policy::finished_time(p))
        .max();
    let mut failures = 0;
    let mut last_failure = None;
    for p in pods.iter().filter(|p| is_pod_failed(p, job)) {
        let t = policy::finished_time(p);
        if last_success.is_some_and(|s| t <= s) {
            continue;
        }
        failures += 1;
        if last_failure.is_none_or(|l| l < t) {
            last_failure = Some(t);
        }
    }
    (failures, last_failure)
}

/// Everything one sync computes about the pods.
struct Ctx<'a> {
    job: &'a Job,
    pods: Vec<&'a Pod>,
    active: Vec<&'a Pod>,
    terminating: i32,
    ready: i32,
    succeeded: i32,
    prev_succeeded_indexes: Indexes,
    succeeded_indexes: Indexes,
    failed_indexes: Option<Indexes>,
    /// Per index: the failed pod a new pod of that index replaces (for its failure counts).
    replaced: BTreeMap<i32, &'a Pod>,
    finished: Option<JobCondition>,
}

/// `calculateSucceededIndexes`: the indexes in the status and those of succeeded pods that
/// still carry the finalizer.
fn succeeded_indexes(job: &Job, status: &JobStatus, pods: &[&Pod]) -> (Indexes, Indexes) {
    let c = completions(job);
    let prev = Indexes::parse(status.completed_indexes.as_deref().unwrap_or(""), c);
    let mut all = prev.clone();
    for p in pods {
        if phase(p) == "Succeeded"
            && has_tracking_finalizer(p)
            && let Some(ix) = completion_index(p).filter(|i| *i < c)
        {
            all.0.insert(ix);
        }
    }
    (prev, all)
}

/// `isIndexFailed`.
fn is_index_failed(job: &Job, p: &Pod) -> bool {
    if !is_pod_failed(p, job) {
        return false;
    }
    let counted = match &spec(job).pod_failure_policy {
        Some(pfp) => {
            let (_, count, action) = match_pod_failure_policy(Some(pfp), p);
            if action == Some(Action::FailIndex) {
                return true;
            }
            count
        }
        None => true,
    };
    counted && ann_count(p, INDEX_FAILURE_COUNT) >= spec(job).backoff_limit_per_index.unwrap_or(0)
}

/// `calculateFailedIndexes`.
fn failed_indexes(job: &Job, status: &JobStatus, pods: &[&Pod]) -> Indexes {
    let c = completions(job);
    let mut out = Indexes::parse(status.failed_indexes.as_deref().unwrap_or(""), c);
    for p in pods {
        if is_index_failed(job, p)
            && has_tracking_finalizer(p)
            && let Some(ix) = completion_index(p).filter(|i| *i < c)
        {
            out.0.insert(ix);
        }
    }
    out
}

/// The pod each pending index replaces (`getPodsWithDelayedDeletionPerIndex`, kept without
/// delaying the finalizer removal: failed pods stay in the store, so they are found here
/// whether or not they were counted).
fn replaced_pods<'a>(ctx: &Ctx<'a>) -> BTreeMap<i32, &'a Pod> {
    let c = completions(ctx.job);
    let active: BTreeSet<i32> = ctx
        .active
        .iter()
        .filter_map(|p| completion_index(p))
        .collect();
    let failed = ctx.failed_indexes.clone().unwrap_or_default();
    let mut out: BTreeMap<i32, &Pod> = BTreeMap::new();
    for p in &ctx.pods {
        if !is_pod_failed(p, ctx.job) {
            continue;
        }
        let Some(ix) = completion_index(p).filter(|i| *i < c) else {
            continue;
        };
        if ctx.succeeded_indexes.has(ix) || failed.has(ix) || active.contains(&ix) {
            continue;
        }
        let abs =
            |q: &Pod| ann_count(q, INDEX_FAILURE_COUNT) + ann_count(q, INDEX_IGNORED_FAILURE_COUNT);
        match out.get(&ix) {
            Some(last)
                if !(abs(last) <= abs(p)
                    && policy::finished_time(p) >= policy::finished_time(last)) => {}
            _ => {
                out.insert(ix, p);
            }
        }
    }
    out
}

/// `pastBackoffLimitOnFailure`: with restartPolicy OnFailure, the container restarts of the
/// running and pending pods reach the limit.
fn past_backoff_limit_on_failure(job: &Job, pods: &[&Pod]) -> bool {
    let tspec = spec(job).template.spec.as_ref();
    if tspec.and_then(|s| s.restart_policy.as_deref()) != Some("OnFailure") {
        return false;
    }
    let mut restarts = 0;
    for p in pods {
        if matches!(phase(p), "Running" | "Pending")
            && let Some(st) = &p.status
        {
            for cs in st.init_container_statuses.iter().flatten() {
                restarts += cs.restart_count;
            }
            for cs in st.container_statuses.iter().flatten() {
                restarts += cs.restart_count;
            }
        }
    }
    let limit = spec(job).backoff_limit.unwrap_or(6);
    if limit == 0 {
        restarts > 0
    } else {
        restarts >= limit
    }
}

/// `getFailJobMessage`: the message of the first failed pod a FailJob rule matches.
fn fail_job_message(job: &Job, pods: &[&Pod]) -> Option<String> {
    let pfp = spec(job).pod_failure_policy.as_ref()?;
    pods.iter()
        .filter(|p| is_pod_failed(p, job))
        .find_map(|p| match_pod_failure_policy(Some(pfp), p).0)
}

/// One sync of the Job (`syncJob`). `pods` are the pods the Job controls.
// Long because: syncJob is one long sequence of upstream steps whose order matters (counting,
// failure checks, deleting or managing, completion, suspend bookkeeping, status tracking).
pub fn sync(job: &Job, pods: &[Pod], now: Timestamp) -> JobPlan {
    let mut plan = JobPlan::default();
    let mut status = job.status.clone().unwrap_or_default();
    if is_finished(&status) {
        return plan;
    }
    if spec(job)
        .managed_by
        .as_deref()
        .is_some_and(|m| m != MANAGED_BY_US)
    {
        return plan;
    }
    if !matches!(
        spec(job).completion_mode.as_deref(),
        None | Some("NonIndexed" | "Indexed")
    ) {
        plan.events.push(JobEvent::warning(
            "UnknownCompletionMode",
            "Skipped Job sync because completion mode is unknown",
        ));
        return plan;
    }
    let original = status.clone();
    let mut uncounted = status.uncounted_terminated_pods.clone().unwrap_or_default();
    let mut pods: Vec<&Pod> = pods.iter().collect();
    pods.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let active: Vec<&Pod> = pods.iter().copied().filter(|p| is_pod_active(p)).collect();
    let terminating = pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_some() && !is_pod_terminal(p))
        .count() as i32;
    let ready = active.iter().filter(|p| is_pod_ready(p)).count() as i32;
    let indexed = is_indexed(job);
    let c = completions(job);
    let un_s: BTreeSet<String> = uncounted.succeeded.iter().flatten().cloned().collect();
    let un_f: BTreeSet<String> = uncounted.failed.iter().flatten().cloned().collect();
    // getValidPodsWithFilter
    let valid = |p: &Pod, un: &BTreeSet<String>| {
        has_tracking_finalizer(p)
            && !un.contains(uid(p))
            && (!indexed || completion_index(p).is_some_and(|i| i < c))
    };
    let new_succeeded = pods
        .iter()
        .filter(|p| valid(p, &un_s) && phase(p) == "Succeeded")
        .count() as i32;
    let new_failed: Vec<&Pod> = pods
        .iter()
        .copied()
        .filter(|p| valid(p, &un_f) && is_pod_failed(p, job))
        .collect();
    let pfp = spec(job).pod_failure_policy.as_ref();
    let non_ignored = new_failed
        .iter()
        .filter(|p| match_pod_failure_policy(pfp, p).1)
        .count() as i32;
    let succeeded = status.succeeded.unwrap_or(0) + new_succeeded + un_s.len() as i32;
    let failed = status.failed.unwrap_or(0) + non_ignored + un_f.len() as i32;
    if status.start_time.is_none() && !suspended(job) {
        status.start_time = Some(Time(now));
    }
    let mut ctx = Ctx {
        job,
        pods,
        active,
        terminating,
        ready,
        succeeded,
        prev_succeeded_indexes: Indexes::default(),
        succeeded_indexes: Indexes::default(),
        failed_indexes: None,
        replaced: BTreeMap::new(),
        finished: None,
    };
    let backoff_limit = spec(job).backoff_limit.unwrap_or(6);
    ctx.finished = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "SuccessCriteriaMet" && c.status == "True")
        .cloned();
    if ctx.finished.is_none() {
        if let Some(ft) = condition(&status, "FailureTarget").filter(|c| c.status == "True") {
            ctx.finished = Some(new_condition(
                "Failed",
                "True",
                reason(ft),
                message(ft),
                now,
            ));
        } else if let Some(msg) = fail_job_message(job, &ctx.pods) {
            ctx.finished = Some(failure_target("PodFailurePolicy", &msg, now));
        }
    }
    if ctx.finished.is_none() {
        if failed > backoff_limit || past_backoff_limit_on_failure(job, &ctx.pods) {
            ctx.finished = Some(failure_target(
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
                now,
            ));
        } else if let Some(ads) = spec(job)
            .active_deadline_seconds
            .filter(|_| !suspended(job))
        {
            let start = status.start_time.as_ref().map(|t| t.0).unwrap_or(now);
            let left = SignedDuration::from_secs(ads) - now.duration_since(start);
            if left <= SignedDuration::ZERO {
                ctx.finished = Some(failure_target(
                    "DeadlineExceeded",
                    "Job was active longer than specified deadline",
                    now,
                ));
            } else {
                plan.requeue(left);
            }
        }
    }
    if indexed {
        let (prev, all) = succeeded_indexes(job, &status, &ctx.pods);
        ctx.prev_succeeded_indexes = prev;
        ctx.succeeded_indexes = all;
        ctx.succeeded = ctx.succeeded_indexes.total() as i32;
        if has_backoff_limit_per_index(job) {
            let fi = failed_indexes(job, &status, &ctx.pods);
            if ctx.finished.is_none() {
                if spec(job)
                    .max_failed_indexes
                    .is_some_and(|m| fi.total() as i64 > i64::from(m))
                {
                    ctx.finished = Some(failure_target(
                        "MaxFailedIndexesExceeded",
                        "Job has exceeded the specified maximal number of failed indexes",
                        now,
                    ));
                } else if fi.total() > 0
                    && (fi.total() + ctx.succeeded_indexes.total()) as i64 >= i64::from(c)
                {
                    ctx.finished = Some(failure_target(
                        "FailedIndexes",
                        "Job has failed indexes",
                        now,
                    ));
                }
            }
            ctx.failed_indexes = Some(fi);
            ctx.replaced = replaced_pods(&ctx);
        }
        if ctx.finished.is_none()
            && let Some(msg) =
                match_success_policy(spec(job).success_policy.as_ref(), c, &ctx.succeeded_indexes)
        {
            ctx.finished = Some(new_condition(
                "SuccessCriteriaMet",
                "True",
                "SuccessPolicy",
                &msg,
                now,
            ));
        }
    }
    let mut active_count = ctx.active.len() as i32;
    let mut conditions = status.conditions.clone().unwrap_or_default();
    if ctx.finished.is_some() {
        plan.delete_finishing = ctx.active.iter().map(|p| pname(p)).collect();
        let deleted_ready = ctx.active.iter().filter(|p| is_pod_ready(p)).count() as i32;
        ctx.terminating += active_count;
        ctx.ready -= deleted_ready;
        active_count = 0;
    } else {
        let mut managed = false;
        if job.metadata.deletion_timestamp.is_none() {
            active_count = manage(&ctx, &mut plan, now);
            managed = true;
            // Pods deleted by manageJob are terminating from now on.
            let deleted: Vec<&&Pod> = ctx
                .active
                .iter()
                .filter(|p| plan.delete_managed.contains(&pname(p)))
                .collect();
            ctx.terminating += deleted.len() as i32;
            ctx.ready -= deleted.iter().filter(|p| is_pod_ready(p)).count() as i32;
        }
        let complete = match spec(job).completions {
            None => ctx.succeeded > 0 && active_count == 0,
            Some(want) => ctx.succeeded >= want && active_count == 0,
        };
        if complete {
            ctx.finished = Some(new_condition(
                "SuccessCriteriaMet",
                "True",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
                now,
            ));
        } else if managed {
            if suspended(job) {
                if ensure_condition(
                    &mut conditions,
                    "Suspended",
                    "True",
                    "JobSuspended",
                    "Job suspended",
                    now,
                ) {
                    plan.events
                        .push(JobEvent::normal("Suspended", "Job suspended"));
                }
            } else if ensure_condition(
                &mut conditions,
                "Suspended",
                "False",
                "JobResumed",
                "Job resumed",
                now,
            ) {
                plan.events.push(JobEvent::normal("Resumed", "Job resumed"));
                status.start_time = Some(Time(now));
            }
        }
    }
    status.conditions = (!conditions.is_empty()).then_some(conditions);
    status.active = Some(active_count);
    status.ready = Some(ctx.ready);
    status.terminating = Some(ctx.terminating);
    track_status(&mut ctx, &mut plan, status, &mut uncounted, original, now);
    plan
}

/// `manageJob`: deletes or creates pods toward the wanted number of active ones; returns the
/// new active count.
fn manage(ctx: &Ctx, plan: &mut JobPlan, now: Timestamp) -> i32 {
    let job = ctx.job;
    let mut active = ctx.active.len() as i32;
    let parallelism = spec(job).parallelism.unwrap_or(1);
    if suspended(job) {
        let rm = active_pods_for_removal(job, &ctx.active, ctx.active.len());
        active -= rm.len() as i32;
        plan.delete_managed = rm;
        return active;
    }
    let want = match spec(job).completions {
        None if ctx.succeeded > 0 => active,
        None => parallelism,
        Some(c) => (c - ctx.succeeded).min(parallelism).max(0),
    };
    let rm_at_least = (active - want).max(0) as usize;
    let mut rm = active_pods_for_removal(job, &ctx.active, rm_at_least);
    rm.truncate(MAX_POD_CREATE_DELETE_PER_SYNC);
    if !rm.is_empty() {
        active -= rm.len() as i32;
        plan.delete_managed = rm;
        return active;
    }
    let terminating = if only_replace_failed(job) {
        ctx.terminating
    } else {
        0
    };
    let mut diff = want - terminating - active;
    if diff <= 0 {
        return active;
    }
    if !has_backoff_limit_per_index(job) {
        let (failures, last) = backoff_record(job, &ctx.pods);
        let left = policy::remaining_backoff(
            now,
            policy::DEFAULT_BACKOFF,
            policy::MAX_BACKOFF,
            failures,
            last,
        );
        if left > SignedDuration::ZERO {
            plan.requeue(left);
            return 0;
        }
    }
    diff = diff.min(MAX_POD_CREATE_DELETE_PER_SYNC as i32);
    let mut indexes: Vec<Option<i32>> = vec![None; diff as usize];
    if is_indexed(job) {
        let mut pending = first_pending_indexes(ctx, diff as usize);
        if has_backoff_limit_per_index(job) {
            let mut now_ok = Vec::new();
            let mut min_left: Option<SignedDuration> = None;
            for ix in pending {
                let left = match ctx.replaced.get(&ix) {
                    None => SignedDuration::ZERO,
                    Some(p) => policy::remaining_backoff(
                        now,
                        policy::DEFAULT_BACKOFF,
                        policy::MAX_BACKOFF,
                        ann_count(p, INDEX_FAILURE_COUNT)
                            + ann_count(p, INDEX_IGNORED_FAILURE_COUNT)
                            + 1,
                        Some(policy::finished_time(p)),
                    ),
                };
                if left == SignedDuration::ZERO {
                    now_ok.push(ix);
                } else if min_left.is_none_or(|m| left < m) {
                    min_left = Some(left);
                }
            }
            if now_ok.is_empty()
                && let Some(left) = min_left
            {
                plan.requeue(left);
                return 0;
            }
            pending = now_ok;
        }
        indexes = pending.into_iter().map(Some).collect();
    }
    for ix in indexes {
        plan.create.push(new_pod(ctx, ix));
        active += 1;
    }
    active
}

/// The pod `manageJob` creates for completion index `ix` (`None`: NonIndexed).
fn new_pod(ctx: &Ctx, ix: Option<i32>) -> Pod {
    let job = ctx.job;
    let name = job.metadata.name.as_deref().unwrap_or("");
    let owner = OwnerReference {
        api_version: "batch/v1".into(),
        kind: "Job".into(),
        name: name.into(),
        uid: job.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    };
    let mut template = spec(job).template.clone();
    if ix.is_some()
        && let Some(ps) = template.spec.as_mut()
    {
        for c in ps
            .init_containers
            .iter_mut()
            .flatten()
            .chain(ps.containers.iter_mut())
        {
            let env = c.env.get_or_insert_with(Vec::new);
            if !env.iter().any(|e| e.name == COMPLETION_INDEX_ENV) {
                env.push(EnvVar {
                    name: COMPLETION_INDEX_ENV.into(),
                    value_from: Some(EnvVarSource {
                        field_ref: Some(ObjectFieldSelector {
                            api_version: None,
                            field_path: format!("metadata.labels['{COMPLETION_INDEX}']"),
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                });
            }
        }
    }
    let meta = template.metadata.get_or_insert_with(Default::default);
    let fins = meta.finalizers.get_or_insert_with(Vec::new);
    if !fins.iter().any(|f| f == TRACKING_FINALIZER) {
        fins.push(TRACKING_FINALIZER.into());
    }
    if let Some(ix) = ix {
        meta.annotations
            .get_or_insert_with(Default::default)
            .insert(COMPLETION_INDEX.into(), ix.to_string());
        meta.labels
            .get_or_insert_with(Default::default)
            .insert(COMPLETION_INDEX.into(), ix.to_string());
        if has_backoff_limit_per_index(job) {
            let (failures, ignored) = match ctx.replaced.get(&ix) {
                None => (0, 0),
                Some(p) => {
                    let (f, i) = (
                        ann_count(p, INDEX_FAILURE_COUNT),
                        ann_count(p, INDEX_IGNORED_FAILURE_COUNT),
                    );
                    let counts = match &spec(job).pod_failure_policy {
                        Some(pfp) => match_pod_failure_policy(Some(pfp), p).1,
                        None => true,
                    };
                    if counts { (f + 1, i) } else { (f, i + 1) }
                }
            };
            let ann = meta.annotations.get_or_insert_with(Default::default);
            ann.insert(INDEX_FAILURE_COUNT.into(), failures.to_string());
            if ignored > 0 {
                ann.insert(INDEX_IGNORED_FAILURE_COUNT.into(), ignored.to_string());
            }
        }
        if let Some(ps) = template.spec.as_mut() {
            ps.hostname = Some(format!("{name}-{ix}"));
        }
    }
    let mut pod = pod_from_template(&template, name, &owner);
    if let Some(ix) = ix {
        let suffix = format!("-{ix}-");
        let max = 58usize;
        let prefix = if name.len() + suffix.len() > max {
            format!("{}{suffix}", &name[..max - suffix.len()])
        } else {
            format!("{name}{suffix}")
        };
        pod.metadata.generate_name = Some(prefix);
    }
    pod
}

/// `firstPendingIndexes`: the lowest indexes neither succeeded, failed, nor held by an active
/// (or, when only failed pods are replaced, a terminating) pod.
fn first_pending_indexes(ctx: &Ctx, count: usize) -> Vec<i32> {
    let c = completions(ctx.job);
    let mut taken: BTreeSet<i32> = ctx.succeeded_indexes.0.clone();
    taken.extend(ctx.active.iter().filter_map(|p| completion_index(p)));
    if let Some(f) = &ctx.failed_indexes {
        taken.extend(f.0.iter().copied());
    }
    if only_replace_failed(ctx.job) {
        taken.extend(
            ctx.pods
                .iter()
                .filter(|p| p.metadata.deletion_timestamp.is_some() && !is_pod_terminal(p))
                .filter_map(|p| completion_index(p)),
        );
    }
    (0..c).filter(|i| !taken.contains(i)).take(count).collect()
}

/// `activePodsForRemoval`: for Indexed Jobs the pods with a duplicate, missing or
/// out-of-range index first; then the `ActivePods` order.
fn active_pods_for_removal(job: &Job, pods: &[&Pod], rm_at_least: usize) -> Vec<String> {
    let mut rm: Vec<&Pod> = Vec::new();
    let mut left: Vec<&Pod> = Vec::new();
    if is_indexed(job) {
        let c = completions(job);
        let mut by_index: BTreeMap<Option<i32>, Vec<&Pod>> = BTreeMap::new();
        for p in pods {
            by_index.entry(completion_index(p)).or_default().push(p);
        }
        for (ix, group) in by_index {
            match ix {
                Some(i) if i < c => {
                    if group.len() == 1 {
                        left.push(group[0]);
                    } else {
                        let order = active_pods_order(&group);
                        let keep = *order.last().expect("non-empty");
                        rm.extend(order.iter().filter(|&&k| k != keep).map(|&k| group[k]));
                        left.push(group[keep]);
                    }
                }
                _ => rm.extend(group),
            }
        }
    } else {
        left = pods.to_vec();
    }
    if rm.len() < rm_at_least {
        let order = active_pods_order(&left);
        let need = rm_at_least - rm.len();
        rm.extend(order.into_iter().take(need).map(|k| left[k]));
    }
    rm.into_iter().map(pname).collect()
}

/// `trackJobStatusAndRemoveFinalizers` (with `flushUncountedAndRemoveFinalizers` and
/// `enactJobFinished`): counts finished pods once, through the uncounted lists, and adds the
/// interim then the terminal condition.
// Long because: upstream's two-phase status tracking (uncounted flush, finalizer removal,
// counters, terminal condition) reads best as one sequence.
fn track_status(
    ctx: &mut Ctx,
    plan: &mut JobPlan,
    mut status: JobStatus,
    uncounted: &mut UncountedTerminatedPods,
    original: JobStatus,
    now: Timestamp,
) {
    let job = ctx.job;
    let indexed = is_indexed(job);
    let c = completions(job);
    let pfp = spec(job).pod_failure_policy.as_ref();
    let mut un_s: Vec<String> = uncounted.succeeded.clone().unwrap_or_default();
    let mut un_f: Vec<String> = uncounted.failed.clone().unwrap_or_default();
    let with_finalizer: BTreeSet<String> = ctx
        .pods
        .iter()
        .filter(|p| has_tracking_finalizer(p))
        .map(|p| uid(p).to_string())
        .collect();
    // cleanUncountedPodsWithoutFinalizers (pods counted in an earlier sync).
    let clean = |status: &mut JobStatus,
                 un_s: &mut Vec<String>,
                 un_f: &mut Vec<String>,
                 with: &BTreeSet<String>| {
        let before = (un_s.len(), un_f.len());
        un_s.retain(|u| with.contains(u));
        un_f.retain(|u| with.contains(u));
        status.succeeded = Some(status.succeeded.unwrap_or(0) + (before.0 - un_s.len()) as i32);
        status.failed = Some(status.failed.unwrap_or(0) + (before.1 - un_f.len()) as i32);
    };
    clean(&mut status, &mut un_s, &mut un_f, &with_finalizer);
    let mut remove: Vec<&Pod> = Vec::new();
    let mut new_succeeded_indexes: Vec<i32> = Vec::new();
    let mut pods = ctx.pods.clone();
    if indexed {
        pods.sort_by_key(|p| completion_index(p).unwrap_or(-1));
    }
    let finishing_not_success = ctx
        .finished
        .as_ref()
        .is_some_and(|f| f.type_ != "SuccessCriteriaMet");
    let mut reached_max = false;
    for p in pods {
        if !has_tracking_finalizer(p) {
            continue;
        }
        let failed = is_pod_failed(p, job);
        // canRemoveFinalizer
        let can_remove = job.metadata.deletion_timestamp.is_some()
            || ctx.finished.is_some()
            || phase(p) == "Succeeded"
            || failed;
        if !can_remove {
            continue;
        }
        remove.push(p);
        let u = uid(p).to_string();
        if phase(p) == "Succeeded" && !un_f.contains(&u) {
            if indexed {
                if let Some(ix) = completion_index(p).filter(|i| *i < c)
                    && !ctx.prev_succeeded_indexes.has(ix)
                {
                    new_succeeded_indexes.push(ix);
                }
            } else if !un_s.contains(&u) {
                un_s.push(u);
            }
        } else if (failed || finishing_not_success)
            && !un_f.contains(&u)
            && (!indexed || completion_index(p).is_some_and(|i| i < c))
            && match_pod_failure_policy(pfp, p).1
        {
            un_f.push(u);
        }
        if new_succeeded_indexes.len() + un_s.len() + un_f.len() >= MAX_UNCOUNTED_PODS {
            reached_max = true;
            break;
        }
    }
    if indexed {
        ctx.succeeded_indexes.0.extend(new_succeeded_indexes);
        status.succeeded = Some(ctx.succeeded_indexes.total() as i32);
        let s = ctx.succeeded_indexes.to_string();
        status.completed_indexes = (!s.is_empty()).then_some(s);
        status.failed_indexes = ctx.failed_indexes.as_ref().map(|f| f.to_string());
    }
    let mut conditions = status.conditions.take().unwrap_or_default();
    let mut final_cond = ctx.finished.clone();
    if let Some(f) = &ctx.finished {
        if f.type_ == "FailureTarget" {
            conditions.push(f.clone());
            final_cond = Some(new_condition("Failed", "True", reason(f), message(f), now));
        } else if f.type_ == "SuccessCriteriaMet" {
            if !conditions
                .iter()
                .any(|c| c.type_ == "SuccessCriteriaMet" && c.status == "True")
            {
                conditions.push(f.clone());
            }
            final_cond = Some(new_condition(
                "Complete",
                "True",
                reason(f),
                message(f),
                now,
            ));
        }
    }
    status.conditions = (!conditions.is_empty()).then_some(conditions);
    let set_uncounted = |status: &mut JobStatus, s: &[String], f: &[String]| {
        status.uncounted_terminated_pods = Some(UncountedTerminatedPods {
            succeeded: (!s.is_empty()).then(|| s.to_vec()),
            failed: (!f.is_empty()).then(|| f.to_vec()),
        });
    };
    set_uncounted(&mut status, &un_s, &un_f);
    let normal = |s: &JobStatus| normalize(s.clone());
    let mut last_written = normal(&original);
    if normal(&status) != last_written
        && (!remove.is_empty() || status.conditions != original.conditions)
    {
        plan.flush = Some(normal(&status));
        last_written = normal(&status);
    }
    plan.remove_finalizers = remove.iter().map(|p| pname(p)).collect();
    // The finalizers are gone: the uncounted pods move into the counters.
    let mut still: BTreeSet<String> = with_finalizer;
    for p in &remove {
        still.remove(uid(p));
    }
    clean(&mut status, &mut un_s, &mut un_f, &still);
    set_uncounted(&mut status, &un_s, &un_f);
    // enactJobFinished
    let mut finished_now = false;
    if let Some(fc) = final_cond.filter(|_| !reached_max)
        && un_s.is_empty()
        && un_f.is_empty()
        && ctx.terminating == 0
    {
        let mut conds = status.conditions.take().unwrap_or_default();
        ensure_condition(
            &mut conds,
            &fc.type_,
            &fc.status,
            reason(&fc),
            message(&fc),
            now,
        );
        status.conditions = Some(conds);
        if fc.type_ == "Complete" {
            status.completion_time = Some(Time(now));
            if spec(job)
                .completions
                .is_some_and(|want| status.succeeded.unwrap_or(0) > want)
            {
                plan.finished_events.push(JobEvent::warning(
                    "TooManySucceededPods",
                    "Too many succeeded pods running after completion count reached",
                ));
            }
            plan.finished_events
                .push(JobEvent::normal("Completed", "Job completed"));
        } else {
            plan.finished_events
                .push(JobEvent::warning(reason(&fc), message(&fc)));
        }
        finished_now = true;
    }
    let status = normal(&status);
    if status != last_written || finished_now {
        plan.status = Some(status);
    }
}

/// The status as the API server stores it: Go's `omitempty` on the counters and lists.
fn normalize(mut s: JobStatus) -> JobStatus {
    for v in [&mut s.active, &mut s.succeeded, &mut s.failed] {
        if *v == Some(0) {
            *v = None;
        }
    }
    if let Some(u) = s.uncounted_terminated_pods.as_mut() {
        if u.succeeded.as_ref().is_some_and(Vec::is_empty) {
            u.succeeded = None;
        }
        if u.failed.as_ref().is_some_and(Vec::is_empty) {
            u.failed = None;
        }
    }
    if s.completed_indexes.as_deref() == Some("") {
        s.completed_indexes = None;
    }
    s
}
