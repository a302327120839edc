//! The Job controller as a client of the API: event handlers that find the Job a pod belongs
//! to, and a sync that applies the pure plan of [`super::job`] in upstream order (delete,
//! create, the first status write, the removal of the tracking finalizers, the last status
//! write and the finish events).

use super::job::{self, JobEvent, JobPlan, TRACKING_FINALIZER};
use super::replication::controller_of;
use super::{Controller, split_key};
use crate::api::errors::{ApiError, Reason};
use crate::api::{Api, Change, DeleteOptions, Involved, Op, Ptr, name_of, namespace_of};
use crate::engine::SyncResult;
use k8s_openapi::api::batch::v1::{Job, JobStatus};
use k8s_openapi::api::core::v1::Pod;
use serde::Deserialize;
use serde_json::Value;

pub const COMPONENT: &str = "job-controller";

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(Reason::InternalError, e.to_string())
}

pub struct JobController;

impl Controller for JobController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let ns = namespace_of(&change.object);
        if change.info == &crate::kinds::job::KIND {
            if change.op == Op::Deleted {
                // `cleanupPodFinalizers`: the pods of a deleted Job lose the finalizer.
                let uid = change.object.ptr("/metadata/uid").and_then(Value::as_str);
                if let Ok(pods) =
                    api.list_controlled_ref(&crate::kinds::pod::KIND, ns, uid.unwrap_or(""))
                {
                    for p in pods.into_iter().filter(|p| has_finalizer(p)) {
                        keys.push(format!("{ORPHAN_KEY}{ns}/{}", name_of(p)));
                    }
                }
                return;
            }
            // Our own status write: a sync now would find nothing new.
            if change.verb == "status" && change.actor == COMPONENT {
                return;
            }
            keys.push(format!("{ns}/{}", name_of(&change.object)));
        } else if change.info == &crate::kinds::pod::KIND {
            // Our own pod writes (creations, finalizer removals, deletions) would only bring
            // a sync that finds nothing new, a batch period later.
            if change.actor == COMPONENT {
                return;
            }
            match controller_of(&change.object) {
                Some((kind, name, _)) if kind == crate::kinds::job::KIND.kind => {
                    keys.push(format!("{BATCH_KEY}{ns}/{name}"));
                    if change.op != Op::Deleted && has_finalizer(&change.object) {
                        let job = api.try_get_ref(&crate::kinds::job::KIND, ns, name);
                        if !matches!(job, Ok(Some(_))) {
                            keys.push(format!("{ORPHAN_KEY}{ns}/{}", name_of(&change.object)));
                        }
                    }
                }
                None if change.op != Op::Deleted => {
                    if has_finalizer(&change.object) {
                        keys.push(format!("{ORPHAN_KEY}{ns}/{}", name_of(&change.object)));
                    }
                    // An orphan: every Job whose selector matches may adopt it.
                    let labels = change.object.ptr("/metadata/labels");
                    if let Ok(jobs) = api.list_ref(&crate::kinds::job::KIND, Some(ns)) {
                        for j in jobs {
                            if selects(j, labels) {
                                keys.push(format!("{BATCH_KEY}{ns}/{}", name_of(j)));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        if let Some(job) = key.strip_prefix(BATCH_KEY) {
            // `enqueueSyncJobBatched`: pod events reach the Job a second later, together.
            return Ok(SyncResult {
                wake: vec![(job.to_string(), SYNC_JOB_BATCH_PERIOD, true)],
                ..Default::default()
            });
        }
        if let Some(pod) = key.strip_prefix(ORPHAN_KEY) {
            let (ns, name) = split_key(pod);
            sync_orphan_pod(api, ns, name)?;
            return Ok(SyncResult::default());
        }
        let (ns, name) = split_key(key);
        let (job, involved) = {
            let Some(v) = api.try_get_ref(&crate::kinds::job::KIND, ns, name)? else {
                return Ok(SyncResult::default());
            };
            (Job::deserialize(v).map_err(internal)?, Involved::of(v))
        };
        let uid = job.metadata.uid.clone().unwrap_or_default();
        let mut pods: Vec<Pod> =
            api.decode_controlled::<Pod>(&crate::kinds::pod::KIND, ns, &uid)?;
        if job.metadata.deletion_timestamp.is_none() {
            adopt_orphans(api, ns, &job, &mut pods)?;
        }
        let now = api.now();
        let plan = job::sync(&job, &pods, now);
        apply(api, ns, name, &involved, plan)
    }
}

/// Whether the Job's selector (non-empty) matches `labels`.
fn selects(job: &Value, labels: Option<&Value>) -> bool {
    let Some(sel) = job
        .ptr("/spec/selector")
        .and_then(|s| serde_json::from_value(s.clone()).ok())
    else {
        return false;
    };
    crate::api::selector::Selector::from_label_selector(&sel)
        .is_ok_and(|s| !s.is_empty() && s.matches_value(labels))
}

/// `ClaimPods` for orphans: a pod of the namespace with no controller whose labels the Job's
/// selector matches (and that is not being deleted) gets the Job as its controller and the
/// tracking finalizer.
fn adopt_orphans(api: &mut Api, ns: &str, job: &Job, pods: &mut Vec<Pod>) -> Result<(), ApiError> {
    let pod_info = &crate::kinds::pod::KIND;
    let job_value = serde_json::to_value(job).map_err(internal)?;
    let orphans: Vec<Pod> = api.decode_controlled::<Pod>(pod_info, ns, "")?;
    for o in orphans {
        let labels = serde_json::to_value(&o.metadata.labels).map_err(internal)?;
        if o.metadata.deletion_timestamp.is_some() || !selects(&job_value, Some(&labels)) {
            continue;
        }
        let name = o.metadata.name.clone().unwrap_or_default();
        let Some(mut p) = api.try_get(pod_info, ns, &name)? else {
            continue;
        };
        let owner = serde_json::json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "name": job.metadata.name.clone().unwrap_or_default(),
            "uid": job.metadata.uid.clone().unwrap_or_default(),
            "controller": true, "blockOwnerDeletion": true});
        let Some(meta) = p.get_mut("metadata").and_then(Value::as_object_mut) else {
            continue;
        };
        let refs = meta
            .entry("ownerReferences")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(a) = refs.as_array_mut() {
            a.push(owner);
        }
        let fins = meta
            .entry("finalizers")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(a) = fins.as_array_mut()
            && !a.iter().any(|f| f.as_str() == Some(TRACKING_FINALIZER))
        {
            a.push(Value::String(TRACKING_FINALIZER.into()));
        }
        meta.remove("resourceVersion");
        api.update_quiet(pod_info, ns, p.clone())?;
        let adopted: Pod = serde_json::from_value(p).map_err(internal)?;
        pods.push(adopted);
    }
    Ok(())
}

/// Work keys of Jobs a pod event concerns: synced after [`SYNC_JOB_BATCH_PERIOD`].
const BATCH_KEY: &str = "batch:";
/// `syncJobBatchPeriod`.
const SYNC_JOB_BATCH_PERIOD: jiff::SignedDuration = jiff::SignedDuration::from_secs(1);

/// Work keys of pods whose tracking finalizer may have to go (`orphanQueue`).
const ORPHAN_KEY: &str = "orphan:";

fn has_finalizer(v: &Value) -> bool {
    crate::api::finalizers(v)
        .iter()
        .any(|f| f == TRACKING_FINALIZER)
}

/// `syncOrphanPod`: a pod with the tracking finalizer and no controller, or whose Job is
/// gone or finished, loses the finalizer.
fn sync_orphan_pod(api: &mut Api, ns: &str, name: &str) -> Result<(), ApiError> {
    let Some(pod) = api.try_get_ref(&crate::kinds::pod::KIND, ns, name)? else {
        return Ok(());
    };
    if let Some((kind, job_name, uid)) = controller_of(pod) {
        if kind != crate::kinds::job::KIND.kind {
            return Ok(());
        }
        let (job_name, uid) = (job_name.to_string(), uid.to_string());
        if let Some(j) = api.try_get_ref(&crate::kinds::job::KIND, ns, &job_name)?
            && j.ptr("/metadata/uid").and_then(Value::as_str) == Some(uid.as_str())
            && !Job::deserialize(j)
                .ok()
                .and_then(|j| j.status)
                .is_some_and(|s| job::is_finished(&s))
        {
            return Ok(());
        }
    }
    remove_finalizer(api, ns, name)
}

fn event(api: &mut Api, obj: &Involved, ev: &JobEvent) {
    let ty = if ev.warning { "Warning" } else { "Normal" };
    api.record_event_for(obj, ty, &ev.reason, &ev.message, COMPONENT, None);
}

fn simple(api: &mut Api, obj: &Involved, warning: bool, reason: &str, message: String) {
    event(
        api,
        obj,
        &JobEvent {
            warning,
            reason: reason.into(),
            message,
        },
    );
}

/// Removes the tracking finalizer from a pod (a PATCH upstream); a pod already gone is fine.
fn remove_finalizer(api: &mut Api, ns: &str, pod: &str) -> Result<(), ApiError> {
    let info = &crate::kinds::pod::KIND;
    let Some(mut p) = api.try_get(info, ns, pod)? else {
        return Ok(());
    };
    let Some(fins) = p
        .get_mut("metadata")
        .and_then(|m| m.get_mut("finalizers"))
        .and_then(Value::as_array_mut)
    else {
        return Ok(());
    };
    let before = fins.len();
    fins.retain(|f| f.as_str() != Some(TRACKING_FINALIZER));
    if fins.len() == before {
        return Ok(());
    }
    if fins.is_empty()
        && let Some(m) = p.get_mut("metadata").and_then(Value::as_object_mut)
    {
        m.remove("finalizers");
    }
    if let Some(m) = p.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("resourceVersion");
    }
    match api.update_quiet(info, ns, p) {
        Err(e) if e.reason == Reason::NotFound => Ok(()),
        r => r,
    }
}

fn delete_pod(api: &mut Api, ns: &str, pod: &str, obj: &Involved) -> bool {
    match api.delete(&crate::kinds::pod::KIND, ns, pod, DeleteOptions::default()) {
        Ok(_) => {
            simple(
                api,
                obj,
                false,
                "SuccessfulDelete",
                format!("Deleted pod: {pod}"),
            );
            true
        }
        Err(e) if e.reason == Reason::NotFound => true,
        Err(e) => {
            simple(
                api,
                obj,
                true,
                "FailedDelete",
                format!("Error deleting: {}", e.message),
            );
            false
        }
    }
}

fn write_status(api: &mut Api, ns: &str, name: &str, st: &JobStatus) -> Result<(), ApiError> {
    let v = serde_json::to_value(st).map_err(internal)?;
    match api.put_status(&crate::kinds::job::KIND, ns, name, v) {
        Err(e) if e.reason == Reason::NotFound => Ok(()),
        r => r,
    }
}

/// Applies a plan through the API, in upstream order.
fn apply(
    api: &mut Api,
    ns: &str,
    name: &str,
    obj: &Involved,
    mut plan: JobPlan,
) -> Result<SyncResult, ApiError> {
    let mut res = SyncResult::default();
    for pod in &plan.delete_finishing {
        delete_pod(api, ns, pod, obj);
    }
    for pod in &plan.delete_managed {
        remove_finalizer(api, ns, pod)?;
        delete_pod(api, ns, pod, obj);
    }
    // Creates in slow-start batches; a failed batch stops the rest.
    let mut failed_creates = 0i32;
    let mut remaining = plan.create.iter();
    let total = plan.create.len();
    for size in super::replicaset::slow_start_batches(total) {
        let mut failed = false;
        for p in remaining.by_ref().take(size) {
            let v = serde_json::to_value(p).map_err(internal)?;
            match api.create_name(&crate::kinds::pod::KIND, ns, v) {
                Ok(created) => simple(
                    api,
                    obj,
                    false,
                    "SuccessfulCreate",
                    format!("Created pod: {created}"),
                ),
                Err(e)
                    if e.reason == Reason::Forbidden && e.message.contains("being terminated") =>
                {
                    failed_creates += 1;
                }
                Err(e) => {
                    simple(
                        api,
                        obj,
                        true,
                        "FailedCreate",
                        format!("Error creating: {}", e.message),
                    );
                    failed_creates += 1;
                    failed = true;
                }
            }
        }
        if failed {
            failed_creates += remaining.len() as i32;
            break;
        }
    }
    if failed_creates > 0 {
        for st in [plan.flush.as_mut(), plan.status.as_mut()]
            .into_iter()
            .flatten()
        {
            let a = st.active.unwrap_or(0) - failed_creates;
            st.active = (a > 0).then_some(a);
        }
        res.requeue_after
            .push((jiff::SignedDuration::from_secs(10), false));
    }
    for ev in &plan.events {
        event(api, obj, ev);
    }
    if let Some(st) = &plan.flush {
        write_status(api, ns, name, st)?;
    }
    for pod in &plan.remove_finalizers {
        remove_finalizer(api, ns, pod)?;
    }
    if let Some(st) = &plan.status {
        write_status(api, ns, name, st)?;
    }
    for ev in &plan.finished_events {
        event(api, obj, ev);
    }
    if let Some(d) = plan.requeue_after {
        // Back-offs and deadlines: a real cluster would be waiting for them.
        res.requeue_after.push((d, false));
    }
    Ok(res)
}
