//! Port of upstream `pkg/controller/deployment/progress.go`: the status write at the
//! end of a rollout pass, with the Progressing condition (progress, completion,
//! progress deadline) and ReplicaFailure promotion, and the requeue that lets a stuck
//! rollout time out.

use k8s_openapi::api::apps::v1::{DeploymentCondition, DeploymentStatus, ReplicaSet};

use super::Ctx;
use super::sync::calculate_status;
use super::util::*;

/// `getReplicaFailures`: the new RS's ReplicaFailure conditions, else any RS's.
fn replica_failures(all: &[ReplicaSet], new: Option<&ReplicaSet>) -> Vec<DeploymentCondition> {
    let failures = |rs: &ReplicaSet| -> Vec<DeploymentCondition> {
        rs.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .into_iter()
            .flatten()
            .filter(|c| c.type_ == CONDITION_REPLICA_FAILURE)
            .map(rs_to_deployment_condition)
            .collect()
    };
    let from_new = new.map(failures).unwrap_or_default();
    if !from_new.is_empty() {
        return from_new;
    }
    all.iter().flat_map(failures).collect()
}

impl Ctx<'_> {
    /// `syncRolloutStatus`.
    pub(crate) fn sync_rollout_status(&mut self, all: &[ReplicaSet], new: Option<&ReplicaSet>) {
        let refs: Vec<&ReplicaSet> = all.iter().collect();
        let mut new_status = calculate_status(&self.d, &refs, new, self.now);
        let d = &self.d;
        if !has_progress_deadline(d) {
            remove_condition(&mut new_status, CONDITION_PROGRESSING);
        }
        let current = get_condition(d.status.as_ref(), CONDITION_PROGRESSING).cloned();
        let is_complete = new_status.replicas == new_status.updated_replicas
            && current
                .as_ref()
                .is_some_and(|c| c.reason.as_deref() == Some(REASON_NEW_RS_AVAILABLE));
        if has_progress_deadline(d) && !is_complete {
            let name = d.metadata.name.clone().unwrap_or_default();
            let subject = match new {
                Some(rs) => format!(
                    "ReplicaSet {:?}",
                    rs.metadata.name.as_deref().unwrap_or_default()
                ),
                None => format!("Deployment {name:?}"),
            };
            if deployment_complete(d, &new_status) {
                let c = new_condition(
                    CONDITION_PROGRESSING,
                    "True",
                    REASON_NEW_RS_AVAILABLE,
                    format!("{subject} has successfully progressed."),
                    self.now,
                );
                set_condition(&mut new_status, c);
            } else if deployment_progressing(d, &new_status) {
                let mut c = new_condition(
                    CONDITION_PROGRESSING,
                    "True",
                    REASON_RS_UPDATED,
                    format!("{subject} is progressing."),
                    self.now,
                );
                if let Some(cur) = &current {
                    if cur.status == "True" {
                        c.last_transition_time = cur.last_transition_time.clone();
                    }
                    remove_condition(&mut new_status, CONDITION_PROGRESSING);
                }
                set_condition(&mut new_status, c);
            } else if deployment_timed_out(d, &new_status, self.now) {
                let c = new_condition(
                    CONDITION_PROGRESSING,
                    "False",
                    REASON_TIMED_OUT,
                    format!("{subject} has timed out progressing."),
                    self.now,
                );
                set_condition(&mut new_status, c);
            }
        }
        let failures = replica_failures(all, new);
        if let Some(f) = failures.into_iter().next() {
            set_condition(&mut new_status, f);
        } else {
            remove_condition(&mut new_status, CONDITION_REPLICA_FAILURE);
        }
        let new_status = normalize_status(&new_status);
        if normalize_status(&self.status()) == new_status {
            self.requeue_stuck_deployment(&new_status);
            return;
        }
        self.update_status(new_status);
    }

    /// `requeueStuckDeployment`: when nothing changed, come back when the progress
    /// deadline would expire (lastUpdateTime + deadline − now + 1s). Upstream requeues
    /// immediately (rate-limited) when less than a second is left; on the virtual
    /// clock that is the next second.
    fn requeue_stuck_deployment(&mut self, new_status: &DeploymentStatus) {
        let d = &self.d;
        let Some(cur) = get_condition(d.status.as_ref(), CONDITION_PROGRESSING) else {
            return;
        };
        if !has_progress_deadline(d)
            || deployment_complete(d, new_status)
            || cur.reason.as_deref() == Some(REASON_TIMED_OUT)
        {
            return;
        }
        let deadline = d
            .spec
            .as_ref()
            .and_then(|s| s.progress_deadline_seconds)
            .unwrap_or(0);
        let from = cur
            .last_update_time
            .as_ref()
            .map_or(jiff::Timestamp::UNIX_EPOCH, |t| t.0);
        let second = jiff::SignedDuration::from_secs(1);
        let after = from
            .checked_add(jiff::SignedDuration::from_secs(i64::from(deadline)))
            .map_or(jiff::SignedDuration::ZERO, |t| t.duration_since(self.now));
        self.plan.requeue_after = Some(if after < second {
            second
        } else {
            after + second
        });
    }
}
