//! The CronJob controller (v2) as a client of the API: a CronJob change or a change of a Job
//! it controls wakes it; a sync reads the CronJob and its Jobs, asks the pure
//! [`super::cronjob::sync`] for a plan and carries it out in order (events, Job deletions
//! with background propagation, the new Job, one status write), then asks to be woken
//! 100 ms after the next scheduled time. That wake-up is a patient timer: `advance` runs
//! every schedule on the way, `settle` stops before the next one.
//!
//! A practice state catching up with the wall clock (`Api::catch_up_until`) is a controller
//! that was down: the sync waits for the end of the catch-up and then follows the rules on
//! missed starts (only the most recent runs; more than 100 missed → `TooManyMissedTimes`).

use super::cronjob::{self, Step};
use super::replication::controller_of;
use super::{Controller, split_key};
use crate::api::errors::{ApiError, Reason};
use crate::api::{Api, Change, DeleteOptions, Involved, Propagation, name_of, namespace_of};
use crate::engine::SyncResult;
use k8s_openapi::api::batch::v1::{CronJob, CronJobStatus, Job};
use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde::Deserialize;
use serde_json::Value;

pub struct CronJobController;

const COMPONENT: &str = "cronjob-controller";

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(Reason::InternalError, e.to_string())
}

impl Controller for CronJobController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let ns = namespace_of(&change.object);
        if change.info == &crate::kinds::cronjob::KIND {
            // Our own status write needs no sync.
            if !(change.verb == "status" && change.actor == COMPONENT) {
                keys.push(format!("{ns}/{}", name_of(&change.object)));
            }
        } else if change.info == &crate::kinds::job::KIND
            && let Some(("CronJob", cj, _)) = controller_of(&change.object)
        {
            keys.push(format!("{ns}/{cj}"));
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let now = api.now();
        if let Some(until) = api.catch_up_until
            && until > now
        {
            return Ok(requeue(now.duration_until(until)));
        }
        let (ns, name) = split_key(key);
        let cj_info = &crate::kinds::cronjob::KIND;
        let job_info = &crate::kinds::job::KIND;
        let (cj, involved) = {
            let Some(v) = api.try_get_ref(cj_info, ns, name)? else {
                return Ok(SyncResult::default());
            };
            (CronJob::deserialize(v).map_err(internal)?, Involved::of(v))
        };
        let uid = cj.metadata.uid.clone().unwrap_or_default();
        let jobs: Vec<Job> = api
            .list_controlled_ref(job_info, ns, &uid)?
            .into_iter()
            .filter_map(|v| Job::deserialize(v).ok())
            .collect();
        // The live GET for active Jobs the list lacks.
        let mut existing = std::collections::BTreeSet::new();
        for r in cj.status.iter().flat_map(|s| s.active.iter().flatten()) {
            let n = r.name.as_deref().unwrap_or_default();
            if api.try_get_ref(job_info, ns, n)?.is_some() {
                existing.insert(n.to_string());
            }
        }
        let plan = cronjob::sync(&cj, &jobs, now, &|n| existing.contains(n));
        let event = |api: &mut Api, warning: bool, reason: &str, msg: &str| {
            let t = if warning { "Warning" } else { "Normal" };
            api.record_event_for(&involved, t, reason, msg, COMPONENT, None);
        };
        for step in &plan.steps {
            match step {
                Step::Event {
                    warning,
                    reason,
                    message,
                } => event(api, *warning, reason, message),
                Step::DeleteJob(n) => {
                    let opts = DeleteOptions {
                        propagation: Some(Propagation::Background),
                        grace_period: None,
                    };
                    match api.delete_if_present(job_info, ns, n, opts) {
                        Ok(()) => {
                            event(api, false, "SuccessfulDelete", &format!("Deleted job {n}"))
                        }
                        Err(e) => event(api, true, "FailedDelete", &format!("Deleted job: {e}")),
                    }
                }
            }
        }
        let mut status = plan.status;
        let mut update_status = plan.update_status;
        let mut requeue_after = plan.requeue;
        let mut failed = None;
        if let Some((job, scheduled)) = plan.create {
            let job_name = job.metadata.name.clone().unwrap_or_default();
            let body = serde_json::to_value(&job).map_err(internal)?;
            let created = match api.create(job_info, ns, body) {
                Ok(v) => {
                    event(
                        api,
                        false,
                        "SuccessfulCreate",
                        &format!("Created job {job_name}"),
                    );
                    Some(v)
                }
                Err(e) if e.reason == Reason::AlreadyExists => {
                    // Ours but not in the list (a status write lost): take it back in;
                    // another actor's: leave it to them.
                    let found = api.try_get(job_info, ns, &job_name)?;
                    match found {
                        Some(v)
                            if controller_of(&v).is_some_and(|(_, _, u)| u == uid)
                                && !status.active.iter().flatten().any(|r| {
                                    r.uid.as_deref()
                                        == v.pointer("/metadata/uid").and_then(Value::as_str)
                                }) =>
                        {
                            Some(v)
                        }
                        _ => {
                            requeue_after = None;
                            None
                        }
                    }
                }
                Err(e) => {
                    event(
                        api,
                        true,
                        "FailedCreate",
                        &format!("Error creating job: {e}"),
                    );
                    requeue_after = None;
                    failed = Some(e);
                    None
                }
            };
            if let Some(v) = created {
                status
                    .active
                    .get_or_insert_with(Vec::new)
                    .push(object_reference(&v));
                status.last_schedule_time = Some(Time(scheduled));
                update_status = true;
            }
        }
        if update_status {
            write_status(api, ns, name, status)?;
        }
        if let Some(e) = failed {
            return Err(e);
        }
        Ok(requeue_after.map(requeue).unwrap_or_default())
    }
}

fn requeue(d: jiff::SignedDuration) -> SyncResult {
    SyncResult {
        requeue_after: vec![(d, false)],
        ..Default::default()
    }
}

/// `ref.GetReference` of the created Job, as `status.active` holds it.
fn object_reference(job: &Value) -> ObjectReference {
    let s = |p: &str| job.pointer(p).and_then(Value::as_str).map(str::to_string);
    ObjectReference {
        api_version: Some("batch/v1".into()),
        kind: Some("Job".into()),
        name: s("/metadata/name"),
        namespace: s("/metadata/namespace"),
        resource_version: s("/metadata/resourceVersion"),
        uid: s("/metadata/uid"),
        ..Default::default()
    }
}

/// One status write; an empty `active` is left out, as Go's `omitempty` leaves it.
fn write_status(
    api: &mut Api,
    ns: &str,
    name: &str,
    mut status: CronJobStatus,
) -> Result<(), ApiError> {
    if status.active.as_ref().is_some_and(Vec::is_empty) {
        status.active = None;
    }
    let v = serde_json::to_value(&status).map_err(internal)?;
    api.put_status(&crate::kinds::cronjob::KIND, ns, name, v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::bootstrap;
    use crate::engine::{self, Plane};
    use jiff::{SignedDuration, Timestamp};
    use serde_json::json;

    const T0: &str = "2026-01-01T00:00:00Z";

    const CRON_ONLY: Plane = Plane {
        controllers: || vec![Box::new(CronJobController)],
        untraced: |_| false,
    };

    fn api(name: &str) -> (Api, std::path::PathBuf) {
        let d = std::env::temp_dir().join(format!("kubesim-cron-{name}-{}", std::process::id()));
        let mut api = bootstrap::scratch_api(&d, T0);
        bootstrap::default_cluster(&mut api).unwrap();
        api.trace = true;
        // The events stay readable in the watch log after dispatch.
        api.keep_changes = true;
        let cj = json!({"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "hello"},
            "spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure",
                "containers": [{"name": "hello", "image": "busybox:1.28"}]}}}}}});
        api.create(&crate::kinds::cronjob::KIND, "default", cj)
            .unwrap();
        (api, d)
    }

    fn at(secs: i64) -> Timestamp {
        T0.parse::<Timestamp>().unwrap() + SignedDuration::from_secs(secs)
    }

    fn jobs(api: &mut Api) -> Vec<String> {
        api.list(&crate::kinds::job::KIND, Some("default"))
            .unwrap()
            .iter()
            .map(|j| name_of(j).to_string())
            .collect()
    }

    fn reasons(api: &Api) -> Vec<String> {
        api.changes
            .iter()
            .filter(|c| c.info == &crate::kinds::event::KIND)
            .map(|c| c.object["reason"].as_str().unwrap_or("").to_string())
            .collect()
    }

    /// Settling stops before the next schedule (a patient timer); advancing runs every
    /// schedule on the way.
    #[test]
    fn settle_waits_and_advance_runs_every_schedule() {
        let (mut api, d) = api("advance");
        engine::settle(&mut api, &CRON_ONLY, 3600).unwrap();
        assert_eq!(api.now(), at(0));
        assert!(jobs(&mut api).is_empty());
        engine::advance_to(&mut api, &CRON_ONLY, at(180)).unwrap();
        assert_eq!(
            jobs(&mut api),
            ["hello-29453761", "hello-29453762", "hello-29453763"]
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    /// A practice state idle for three hours catches up as a controller that was down: one
    /// Job, for the most recent schedule, and the too-many-missed warning (180 > 100).
    #[test]
    fn a_wall_clock_catch_up_runs_only_the_latest_missed_schedule() {
        let (mut api, d) = api("catch-up");
        engine::settle(&mut api, &CRON_ONLY, 3600).unwrap();
        api.catch_up_until = Some(at(3 * 3600 + 20));
        engine::advance_to(&mut api, &CRON_ONLY, at(3 * 3600 + 20)).unwrap();
        api.catch_up_until = None;
        assert_eq!(jobs(&mut api), ["hello-29453940"]);
        let r = reasons(&api);
        assert_eq!(r, ["TooManyMissedTimes", "SuccessfulCreate"]);
        // Afterwards the schedule runs normally again.
        engine::advance_to(&mut api, &CRON_ONLY, at(3 * 3600 + 60)).unwrap();
        assert_eq!(jobs(&mut api), ["hello-29453940", "hello-29453941"]);
        let _ = std::fs::remove_dir_all(&d);
    }
}
