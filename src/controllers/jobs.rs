//! The Job controller as a client of the API: event handlers that find the Job a pod belongs
//! to, and a sync that applies the pure plan of [`super::job`] in upstream order (delete,
//! create, the first status write, the removal of the tracking finalizers, the last status
//! write and the finish events).

use super::job::{self, JobEvent, JobPlan, TRACKING_FINALIZER};
use super::replication::controller_of;
use super::{Controller, split_key};
use crate::api::errors::{ApiError, Reason};
use crate::api::{Api, Change, DeleteOptions, Involved, name_of, namespace_of};
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

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let ns = namespace_of(&change.object);
        if change.info == &crate::kinds::job::KIND {
            // Our own status write: a sync now would find nothing new.
            if change.verb == "status" && change.actor == COMPONENT {
                return;
            }
            keys.push(format!("{ns}/{}", name_of(&change.object)));
        } else if change.info == &crate::kinds::pod::KIND
            && let Some((kind, name, _)) = controller_of(&change.object)
            && kind == crate::kinds::job::KIND.kind
        {
            keys.push(format!("{ns}/{name}"));
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = split_key(key);
        let (job, involved) = {
            let Some(v) = api.try_get_ref(&crate::kinds::job::KIND, ns, name)? else {
                return Ok(SyncResult::default());
            };
            (Job::deserialize(v).map_err(internal)?, Involved::of(v))
        };
        let uid = job.metadata.uid.clone().unwrap_or_default();
        let pods: Vec<Pod> = api.decode_controlled::<Pod>(&crate::kinds::pod::KIND, ns, &uid)?;
        let now = api.now();
        let plan = job::sync(&job, &pods, now);
        apply(api, ns, name, &involved, plan)
    }
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
