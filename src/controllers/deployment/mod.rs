//! The Deployment controller, as a pure function, plus kubectl's client-side rollout
//! helpers (history, undo, status).
//!
//! # Controller
//! [`sync_deployment`] is one pass of upstream `syncDeployment`
//! (`pkg/controller/deployment/deployment_controller.go`): given the Deployment, every
//! ReplicaSet and Pod of its namespace (from the informer cache) and the virtual time,
//! it returns a [`Plan`] — the ordered writes the Go controller would make in that pass.
//! The engine applies the actions in order through the API and re-runs the sync
//! whenever the Deployment, one of its ReplicaSets or (for Recreate) its pods change,
//! and after `plan.requeue_after`. Creates and updates are assumed to be applied
//! synchronously (the controller sees its own writes), so there are no expectations.
//!
//! Order of a pass (controllers.md §1.4): claim ReplicaSets (adopt/release); empty
//! selector → `SelectingAll`; deleting → status only; paused-condition bookkeeping;
//! paused → scale only (`sync`); legacy `deprecated.deployment.rollback.to` rollback;
//! scaling event → proportional scaling; else the Recreate or RollingUpdate rollout,
//! revision-history cleanup, and the status/conditions write.
//!
//! ## Applying a plan (engine contract)
//! - [`Action::CreateReplicaSet`]: create the object as given (name `<deployment>-<hash>`,
//!   ownerReference set). If the create fails, **stop applying the rest of the plan**
//!   (upstream returns the error) and:
//!   - on `AlreadyExists`, call [`on_create_conflict`] with the Deployment as now stored
//!     and the existing ReplicaSet, and apply that plan (it bumps
//!     `status.collisionCount`, so the next sync computes a new hash/name);
//!   - on any other error except "namespace is terminating", call [`on_create_error`]
//!     (Progressing=False `ReplicaSetCreateError` plus a Warning event).
//! - [`Action::UpdateReplicaSet`]: the full desired ReplicaSet, identified by
//!   namespace/name; the controller only changes `spec.replicas`,
//!   `spec.minReadySeconds` and `metadata.annotations`, so an unconditional update (or a
//!   merge of those three fields) is correct.
//! - [`Action::DeleteReplicaSet`]: delete by name (NotFound is not an error).
//! - [`Action::AdoptReplicaSet`] / [`Action::ReleaseReplicaSet`]: add / remove the
//!   controllerRef `{apiVersion: apps/v1, kind: Deployment, name, uid, controller: true,
//!   blockOwnerDeletion: true}` of this Deployment on the named ReplicaSet.
//! - [`Action::UpdateDeployment`]: a normal update of metadata and spec (status ignored).
//!   Emitted when the revision annotation changes (upstream writes it through the status
//!   subresource, whose strategy keeps annotations) and by the legacy rollback.
//! - [`Action::UpdateDeploymentStatus`]: replace `status` (zero counts are unset, like
//!   the API's `omitempty`).
//! - [`Action::Event`]: an Event on the Deployment, source `deployment-controller`.
//!
//! # kubectl helpers
//! [`history`], [`history_table`], [`history_revision`] (`kubectl rollout history`),
//! [`rollback`] (`kubectl rollout undo`) and [`rollout_status`] (`kubectl rollout
//! status`) port `staging/src/k8s.io/kubectl/pkg/polymorphichelpers`.
//!
//! # Hashes
//! [`compute_hash`] is FNV-32a over the template's canonical JSON (not Go's `spew`
//! print), so `pod-template-hash` values differ from a real cluster's but are stable.

use k8s_openapi::api::apps::v1::{Deployment, DeploymentStatus, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::api::selector::Selector;

mod history;
mod progress;
mod recreate;
mod rollback;
mod rolling;
mod sync;
pub mod util;

pub use history::{
    HistoryEntry, history, history_revision, history_table, rollout_status,
    rollout_status_at_revision,
};
pub use rollback::{RollbackOutcome, kubectl_replica_sets, rollback, rollback_template};
pub use util::{compute_hash, equal_ignore_hash};

/// One write the controller wants made, in plan order.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Create this ReplicaSet (name `<deployment>-<pod-template-hash>`).
    CreateReplicaSet(ReplicaSet),
    /// Update this ReplicaSet (scale and/or annotations, minReadySeconds); full object.
    UpdateReplicaSet(ReplicaSet),
    /// Delete the named ReplicaSet (revision-history cleanup).
    DeleteReplicaSet(String),
    /// Add this Deployment's controllerRef to the named orphan ReplicaSet.
    AdoptReplicaSet(String),
    /// Remove this Deployment's controllerRef from the named ReplicaSet.
    ReleaseReplicaSet(String),
    /// Update the Deployment's metadata (annotations) and spec.
    UpdateDeployment(Deployment),
    /// Replace the Deployment's status.
    UpdateDeploymentStatus(DeploymentStatus),
    /// Record an Event on the Deployment.
    Event {
        /// `Normal` or `Warning`.
        type_: &'static str,
        /// Event reason, e.g. `ScalingReplicaSet`.
        reason: String,
        /// Event message.
        message: String,
    },
}

/// The result of one sync pass.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Writes to apply, in order.
    pub actions: Vec<Action>,
    /// Re-run the sync after this long (progress-deadline checks), if set.
    pub requeue_after: Option<jiff::SignedDuration>,
    /// The error upstream's sync would return (the engine requeues with backoff;
    /// informational, the actions before it still apply).
    pub error: Option<String>,
}

/// Working state of one pass: the Deployment and its owned ReplicaSets as upstream's
/// in-memory copies evolve while it writes.
pub(crate) struct Ctx<'a> {
    pub(crate) d: Deployment,
    /// Owned (claimed) ReplicaSets, latest versions; ReplicaSets created in this pass
    /// are appended.
    pub(crate) rss: Vec<ReplicaSet>,
    /// Pods controlled by `rss[i]` (parallel to `rss` for the claimed ones).
    pub(crate) pods: Vec<Vec<&'a Pod>>,
    pub(crate) now: jiff::Timestamp,
    pub(crate) plan: Plan,
    /// The Deployment's annotations changed and were not written yet.
    pub(crate) annotations_dirty: bool,
}

impl Ctx<'_> {
    pub(crate) fn event(&mut self, type_: &'static str, reason: &str, message: String) {
        self.plan.actions.push(Action::Event {
            type_,
            reason: reason.to_string(),
            message,
        });
    }

    /// The stored status (or an empty one).
    pub(crate) fn status(&self) -> DeploymentStatus {
        self.d.status.clone().unwrap_or_default()
    }

    /// Upstream `UpdateStatus(d)`: writes pending annotation changes, then the status.
    pub(crate) fn update_status(&mut self, status: DeploymentStatus) {
        if self.annotations_dirty {
            self.plan
                .actions
                .push(Action::UpdateDeployment(self.d.clone()));
            self.annotations_dirty = false;
        }
        let status = util::normalize_status(&status);
        self.plan
            .actions
            .push(Action::UpdateDeploymentStatus(status.clone()));
        self.d.status = Some(status);
    }

    /// Upstream `client.Update(rs)`.
    pub(crate) fn update_rs(&mut self, idx: usize, rs: ReplicaSet) {
        self.plan.actions.push(Action::UpdateReplicaSet(rs.clone()));
        self.rss[idx] = rs;
    }

    fn run(&mut self) -> Result<(), String> {
        if self.d.metadata.deletion_timestamp.is_some() {
            return self.sync_status_only();
        }
        self.check_paused_conditions();
        if util::is_paused(&self.d) {
            return self.sync();
        }
        if rollback::rollback_to(&self.d).is_some() {
            return self.rollback_legacy();
        }
        if self.is_scaling_event()? {
            return self.sync();
        }
        match util::strategy_type(&self.d) {
            "Recreate" => self.rollout_recreate(),
            "RollingUpdate" => self.rollout_rolling(),
            other => Err(format!("unexpected deployment strategy type: {other}")),
        }
    }
}

/// The controllerRef of an object (the ownerReference with `controller: true`).
pub(crate) fn controller_ref(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
}

/// The controllerRef this Deployment puts on its ReplicaSets.
pub(crate) fn deployment_controller_ref(d: &Deployment) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_string(),
        kind: "Deployment".to_string(),
        name: d.metadata.name.clone().unwrap_or_default(),
        uid: d.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

fn uid(meta: &ObjectMeta) -> &str {
    meta.uid.as_deref().unwrap_or_default()
}

/// One pass of the Deployment controller's `syncDeployment` for `d`.
///
/// `rss_in_namespace` / `pods_in_namespace`: all ReplicaSets / Pods of the Deployment's
/// namespace, owned or not (orphans may be adopted, stale ones released). `now` is the
/// virtual time used for condition timestamps and the progress deadline.
pub fn sync_deployment(
    d: &Deployment,
    rss_in_namespace: &[&ReplicaSet],
    pods_in_namespace: &[&Pod],
    now: jiff::Timestamp,
) -> Plan {
    let mut plan = Plan::default();
    let selector = d
        .spec
        .as_ref()
        .map(|s| s.selector.clone())
        .unwrap_or_default();
    if selector.match_labels.is_none() && selector.match_expressions.is_none() {
        plan.actions.push(Action::Event {
            type_: "Warning",
            reason: "SelectingAll".to_string(),
            message: "This deployment is selecting all pods. A non-empty selector is required."
                .to_string(),
        });
        let generation = d.metadata.generation.unwrap_or(0);
        let mut status = d.status.clone().unwrap_or_default();
        if status.observed_generation.unwrap_or(0) < generation {
            status.observed_generation = Some(generation);
            plan.actions
                .push(Action::UpdateDeploymentStatus(util::normalize_status(
                    &status,
                )));
        }
        return plan;
    }
    let sel = match Selector::from_label_selector(&selector) {
        Ok(s) => s,
        Err(e) => {
            plan.error = Some(format!(
                "deployment {}/{} has invalid label selector: {e}",
                d.metadata.namespace.as_deref().unwrap_or_default(),
                d.metadata.name.as_deref().unwrap_or_default()
            ));
            return plan;
        }
    };

    // ClaimReplicaSets (controller_ref_manager.go ClaimObject), in name order.
    let deleting = d.metadata.deletion_timestamp.is_some();
    let mut candidates: Vec<&ReplicaSet> = rss_in_namespace.to_vec();
    candidates.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let mut owned: Vec<ReplicaSet> = Vec::new();
    for rs in candidates {
        let name = rs.metadata.name.clone().unwrap_or_default();
        let labels = rs.metadata.labels.clone().unwrap_or_default();
        let matches = sel.matches(&labels);
        match controller_ref(&rs.metadata) {
            Some(r) => {
                if r.uid != uid(&d.metadata) {
                    continue;
                }
                if matches {
                    owned.push(rs.clone());
                } else if !deleting {
                    plan.actions.push(Action::ReleaseReplicaSet(name));
                }
            }
            None => {
                if deleting || !matches || rs.metadata.deletion_timestamp.is_some() {
                    continue;
                }
                if rs.metadata.namespace != d.metadata.namespace {
                    continue;
                }
                plan.actions.push(Action::AdoptReplicaSet(name));
                let mut rs = rs.clone();
                rs.metadata
                    .owner_references
                    .get_or_insert_with(Vec::new)
                    .push(deployment_controller_ref(d));
                owned.push(rs);
            }
        }
    }

    // Pods controlled by the owned ReplicaSets, grouped per ReplicaSet.
    let mut pods: Vec<Vec<&Pod>> = vec![Vec::new(); owned.len()];
    for pod in pods_in_namespace {
        let labels = pod.metadata.labels.clone().unwrap_or_default();
        if !sel.matches(&labels) {
            continue;
        }
        let Some(r) = controller_ref(&pod.metadata) else {
            continue;
        };
        if let Some(i) = owned.iter().position(|rs| uid(&rs.metadata) == r.uid) {
            pods[i].push(pod);
        }
    }

    let mut cx = Ctx {
        d: d.clone(),
        rss: owned,
        pods,
        now,
        plan,
        annotations_dirty: false,
    };
    if let Err(e) = cx.run() {
        cx.plan.error = Some(e);
    }
    cx.plan
}

/// Report that a [`Action::CreateReplicaSet`] of this plan failed with AlreadyExists.
///
/// `d` is the Deployment as currently stored, `existing` the ReplicaSet that holds the
/// name. If it is controlled by `d` and has `d`'s template (ignoring the hash label) it
/// is the new ReplicaSet already: nothing to do but sync again (`requeue_after` 0).
/// Otherwise it is a hash collision: `status.collisionCount` is incremented (nil → 1)
/// and written, and the plan carries the error, so the next sync uses a new hash.
pub fn on_create_conflict(d: &Deployment, existing: &ReplicaSet, now: jiff::Timestamp) -> Plan {
    let _ = now;
    let mut plan = Plan::default();
    let ours = controller_ref(&existing.metadata).is_some_and(|r| r.uid == uid(&d.metadata));
    let template = d
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    if ours && util::equal_ignore_hash(&template, &util::rs_template(existing)) {
        plan.requeue_after = Some(jiff::SignedDuration::ZERO);
        return plan;
    }
    let mut status = d.status.clone().unwrap_or_default();
    status.collision_count = Some(status.collision_count.unwrap_or(0) + 1);
    plan.actions
        .push(Action::UpdateDeploymentStatus(util::normalize_status(
            &status,
        )));
    plan.error = Some(format!(
        "replicasets.apps {:?} already exists",
        existing.metadata.name.as_deref().unwrap_or_default()
    ));
    plan
}

/// Report that a [`Action::CreateReplicaSet`] failed with another error `err` (not
/// AlreadyExists, not "namespace terminating"): with a progress deadline, Progressing
/// becomes False `ReplicaSetCreateError`; a Warning event
/// `Failed to create new replica set "<name>": <err>` is recorded either way.
pub fn on_create_error(d: &Deployment, rs_name: &str, err: &str, now: jiff::Timestamp) -> Plan {
    let mut plan = Plan::default();
    let msg = format!("Failed to create new replica set {rs_name:?}: {err}");
    if util::has_progress_deadline(d) {
        let mut status = d.status.clone().unwrap_or_default();
        util::set_condition(
            &mut status,
            util::new_condition(
                util::CONDITION_PROGRESSING,
                "False",
                util::REASON_FAILED_RS_CREATE,
                msg.clone(),
                now,
            ),
        );
        plan.actions
            .push(Action::UpdateDeploymentStatus(util::normalize_status(
                &status,
            )));
    }
    plan.actions.push(Action::Event {
        type_: "Warning",
        reason: util::REASON_FAILED_RS_CREATE.to_string(),
        message: msg,
    });
    plan.error = Some(err.to_string());
    plan
}

#[cfg(test)]
mod tests;
