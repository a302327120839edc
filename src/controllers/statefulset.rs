//! The StatefulSet controller (pkg/controller/statefulset): pods with stable names
//! `<set>-<ordinal>`, created in ascending order and each waited for until Running and Ready
//! (`OrderedReady`; `Parallel` does not wait), removed from the highest ordinal down, claims
//! from `volumeClaimTemplates` made before their pod, and ControllerRevisions that record each
//! template, so a changed template rolls the pods from the highest ordinal down to the
//! partition, one at a time, and `rollout history|undo` can read them.
//!
//! [`update_set`] is the pure decision of `updateStatefulSet` (stateful_set_control.go): given
//! the set, the pods it owns and its current and update revisions, the requests to make and the
//! status. [`StatefulSetController`] is the glue: claims pods, finds or makes the revisions
//! (`getStatefulSetRevisions`), applies the plan through the API, writes the status and trims
//! the history.

use super::history::{
    hash_revision, list_revisions, revision_data, revision_number, revision_template,
};
use super::podutil::{
    is_pod_available, is_pod_ready, new_controller_ref, non_zero_time, phase, pod_from_template,
};
use super::replication::{controller_of, write_owner_refs};
use super::{Controller, split_key};
use crate::api::Ptr;
use crate::api::errors::{ApiError, Reason};
use crate::api::kinds::KindInfo;
use crate::api::{Api, Change, DeleteOptions, Involved, Op, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds;
use crate::util::fields::Fields;
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::{PersistentVolumeClaimVolumeSource, Pod, PodTemplateSpec, Volume};
use serde::Deserialize;
use serde_json::{Value, json};

/// The StatefulSet controller. It keeps the views of the pods of the sets it synced during a
/// run, current from the watch events (one decode per pod change), so a sync does not decode
/// every pod of its set again: a set makes its pods one at a time and syncs a few times per
/// pod, which made reading them all at each sync quadratic in the set's size.
#[derive(Default)]
pub struct StatefulSetController {
    /// Set uid → pod name → view ([`PodView`]), for the sets synced in this run.
    pods: std::collections::HashMap<String, std::collections::BTreeMap<String, Pod>>,
    /// `namespace/pod` → the uid of the set whose entry in `pods` holds it.
    cached_in: std::collections::HashMap<String, String>,
}

const COMPONENT: &str = "statefulset-controller";
/// `apps.StatefulSetPodNameLabel`.
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// `apps.PodIndexLabel` (beta, on by default since 1.28).
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
/// `apps.StatefulSetRevisionLabel` (also `apps.DefaultDaemonSetUniqueLabelKey`).
pub const REVISION_LABEL: &str = "controller-revision-hash";
/// `history.ControllerRevisionHashLabel`.
pub const HASH_LABEL: &str = "controller.kubernetes.io/hash";

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(Reason::InternalError, e.to_string())
}

fn sts_info() -> &'static KindInfo {
    &crate::kinds::statefulset::KIND
}

fn pod_info() -> &'static KindInfo {
    &crate::kinds::pod::KIND
}

fn cr_info() -> &'static KindInfo {
    &crate::kinds::controllerrevision::KIND
}

// ---------------------------------------------------------------------------
// Names, ordinals, identity (stateful_set_utils.go)
// ---------------------------------------------------------------------------

/// `getParentNameAndOrdinal`: `web-3` → (`web`, 3); a name without a numeric suffix has
/// ordinal -1.
pub fn parent_and_ordinal(pod_name: &str) -> (&str, i64) {
    match pod_name.rsplit_once('-') {
        Some((parent, ord))
            if !ord.is_empty()
                && ord.bytes().all(|b| b.is_ascii_digit())
                && ord.parse::<i32>().is_ok() =>
        {
            (parent, ord.parse::<i64>().unwrap_or(-1))
        }
        _ => ("", -1),
    }
}

fn pod_name(p: &Pod) -> &str {
    p.metadata.name.as_deref().unwrap_or("")
}

fn ordinal(p: &Pod) -> i64 {
    parent_and_ordinal(pod_name(p)).1
}

fn set_name(set: &StatefulSet) -> &str {
    set.metadata.name.as_deref().unwrap_or("")
}

fn start_ordinal(set: &StatefulSet) -> i64 {
    set.spec
        .as_ref()
        .and_then(|s| s.ordinals.as_ref())
        .and_then(|o| o.start)
        .map_or(0, i64::from)
}

fn replicas_of(set: &StatefulSet) -> i64 {
    set.spec
        .as_ref()
        .and_then(|s| s.replicas)
        .map_or(1, i64::from)
}

fn min_ready_seconds(set: &StatefulSet) -> i32 {
    set.spec
        .as_ref()
        .and_then(|s| s.min_ready_seconds)
        .unwrap_or(0)
}

/// `isMemberOf`: the pod's name is `<set>-<ordinal>`.
pub fn is_member_of(set: &StatefulSet, pod_name: &str) -> bool {
    let (parent, ord) = parent_and_ordinal(pod_name);
    ord >= 0 && parent == set_name(set)
}

fn pod_revision(p: &Pod) -> &str {
    p.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_LABEL))
        .map_or("", String::as_str)
}

/// What the StatefulSet logic reads of a pod: the metadata, the node, the volumes (name and
/// claim) and the status the ReplicaSet's view keeps (phase, conditions). A sync reads every
/// pod of its set, and a set's pods come up one at a time, each change syncing the set
/// again: a whole pod's decode made that the bulk of `scale sts` on a big set.
#[derive(Deserialize)]
struct PodView {
    #[serde(default)]
    metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    #[serde(default)]
    spec: Option<SpecView>,
    #[serde(default)]
    status: Option<super::replication::StatusView>,
}

#[derive(Deserialize)]
struct SpecView {
    #[serde(rename = "nodeName", default)]
    node_name: Option<String>,
    #[serde(default)]
    volumes: Option<Vec<VolumeView>>,
}

#[derive(Deserialize)]
struct VolumeView {
    name: String,
    #[serde(rename = "persistentVolumeClaim", default)]
    persistent_volume_claim: Option<ClaimView>,
}

#[derive(Deserialize)]
struct ClaimView {
    #[serde(rename = "claimName")]
    claim_name: String,
}

impl From<PodView> for Pod {
    fn from(v: PodView) -> Pod {
        let spec = v.spec.map(|s| k8s_openapi::api::core::v1::PodSpec {
            node_name: s.node_name,
            volumes: s.volumes.map(|vs| {
                vs.into_iter()
                    .map(|v| Volume {
                        name: v.name,
                        persistent_volume_claim: v.persistent_volume_claim.map(|c| {
                            PersistentVolumeClaimVolumeSource {
                                claim_name: c.claim_name,
                                read_only: None,
                            }
                        }),
                        ..Default::default()
                    })
                    .collect()
            }),
            ..Default::default()
        });
        Pod {
            metadata: v.metadata,
            spec,
            status: v.status.map(Into::into),
        }
    }
}

/// The views of the pods `uid` controls (`""`: orphans).
fn views(api: &mut Api, ns: &str, uid: &str) -> Result<Vec<Pod>, ApiError> {
    Ok(api
        .decode_controlled::<PodView>(pod_info(), ns, uid)?
        .into_iter()
        .map(Pod::from)
        .collect())
}

/// `isCreated`: the API server gave it a phase.
fn is_created(p: &Pod) -> bool {
    !phase(p).is_empty()
}

fn is_failed(p: &Pod) -> bool {
    phase(p) == "Failed"
}

fn is_terminating(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_some()
}

fn is_running_and_ready(p: &Pod) -> bool {
    phase(p) == "Running" && is_pod_ready(p)
}

fn is_healthy(p: &Pod) -> bool {
    is_running_and_ready(p) && !is_terminating(p)
}

/// `getPersistentVolumeClaimName`.
fn claim_name(template_name: &str, set: &str, ordinal: i64) -> String {
    format!("{template_name}-{set}-{ordinal}")
}

/// `getPersistentVolumeClaims`: the claims the pod with `ordinal` needs, as objects to create
/// (name `<template>-<set>-<ordinal>`, the template's labels plus the selector's matchLabels),
/// sorted by template name.
pub fn claims_for(set: &StatefulSet, ordinal: i64) -> Vec<(String, Value)> {
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    let match_labels = set
        .spec
        .as_ref()
        .and_then(|s| s.selector.match_labels.clone())
        .unwrap_or_default();
    let templates = set
        .spec
        .as_ref()
        .and_then(|s| s.volume_claim_templates.as_deref())
        .unwrap_or_default();
    let mut out: Vec<(String, Value)> = templates
        .iter()
        .map(|t| {
            let mut t = t.clone();
            let tname = t.metadata.name.clone().unwrap_or_default();
            t.metadata.name = Some(claim_name(&tname, set_name(set), ordinal));
            t.metadata.namespace = Some(ns.clone());
            let labels = t.metadata.labels.get_or_insert_with(Default::default);
            for (k, v) in &match_labels {
                labels.insert(k.clone(), v.clone());
            }
            t.metadata.creation_timestamp = None;
            t.status = None;
            // A PersistentVolumeClaim serializes with its apiVersion and kind.
            (tname, serde_json::to_value(&t).unwrap_or_default())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `updateStorage`: the pod's volumes named like a claim template point at the pod's claim;
/// other volumes stay.
fn update_storage(set: &StatefulSet, pod: &mut Pod) {
    let claims = claims_for(set, ordinal(pod));
    if claims.is_empty() {
        return;
    }
    let spec = pod.spec.get_or_insert_with(Default::default);
    let current = spec.volumes.take().unwrap_or_default();
    let mut volumes: Vec<Volume> = claims
        .iter()
        .map(|(tname, claim)| Volume {
            name: tname.clone(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: name_of(claim).to_string(),
                read_only: None,
            }),
            ..Default::default()
        })
        .collect();
    volumes.extend(
        current
            .into_iter()
            .filter(|v| !claims.iter().any(|(t, _)| *t == v.name)),
    );
    spec.volumes = Some(volumes);
}

/// `storageMatches`.
fn storage_matches(set: &StatefulSet, pod: &Pod) -> bool {
    let ord = ordinal(pod);
    if ord < 0 {
        return false;
    }
    let volumes = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    claims_for(set, ord).iter().all(|(tname, claim)| {
        volumes.iter().any(|v| {
            v.name == *tname
                && v.persistent_volume_claim
                    .as_ref()
                    .is_some_and(|c| c.claim_name == name_of(claim))
        })
    })
}

/// `identityMatches`.
fn identity_matches(set: &StatefulSet, pod: &Pod) -> bool {
    let (parent, ord) = parent_and_ordinal(pod_name(pod));
    ord >= 0
        && parent == set_name(set)
        && pod.metadata.namespace == set.metadata.namespace
        && pod
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(POD_NAME_LABEL))
            .is_some_and(|n| n == pod_name(pod))
}

/// `updateIdentity` + `initIdentity`'s labels: the pod-name and pod-index labels.
fn update_identity(set: &StatefulSet, pod: &mut Pod, ordinal: i64) {
    pod.metadata.name = Some(format!("{}-{ordinal}", set_name(set)));
    pod.metadata.namespace = set.metadata.namespace.clone();
    let labels = pod.metadata.labels.get_or_insert_with(Default::default);
    labels.insert(
        POD_NAME_LABEL.to_string(),
        format!("{}-{ordinal}", set_name(set)),
    );
    labels.insert(POD_INDEX_LABEL.to_string(), ordinal.to_string());
}

/// A revision as the sync uses it: its name and the pod template it records.
#[derive(Debug, Clone)]
pub struct Rev {
    pub name: String,
    pub template: PodTemplateSpec,
}

/// `newStatefulSetPod` + `setPodRevision`: the pod with `ordinal` built from `template`.
fn new_pod(set: &StatefulSet, template: &PodTemplateSpec, revision: &str, ordinal: i64) -> Pod {
    let name = set_name(set);
    let owner = new_controller_ref(
        "apps/v1",
        "StatefulSet",
        name,
        set.metadata.uid.as_deref().unwrap_or(""),
    );
    let mut pod = pod_from_template(template, name, &owner);
    update_identity(set, &mut pod, ordinal);
    let service = set
        .spec
        .as_ref()
        .map(|s| s.service_name.clone().unwrap_or_default())
        .unwrap_or_default();
    let spec = pod.spec.get_or_insert_with(Default::default);
    spec.hostname = Some(format!("{name}-{ordinal}"));
    spec.subdomain = (!service.is_empty()).then_some(service);
    update_storage(set, &mut pod);
    pod.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert(REVISION_LABEL.to_string(), revision.to_string());
    pod
}

fn strategy_type(set: &StatefulSet) -> &str {
    set.spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.type_.as_deref())
        .unwrap_or("RollingUpdate")
}

/// `spec.updateStrategy.rollingUpdate.partition`, when the block is there.
fn partition(set: &StatefulSet) -> Option<i64> {
    let ru = set
        .spec
        .as_ref()?
        .update_strategy
        .as_ref()?
        .rolling_update
        .as_ref()?;
    Some(ru.partition.map_or(0, i64::from))
}

/// `newVersionedStatefulSetPod`, with upstream's operator precedence: a pod below the
/// partition is made at the current revision, any other at the update revision.
fn new_versioned_pod(set: &StatefulSet, current: &Rev, update: &Rev, ordinal: i64) -> Pod {
    let start = start_ordinal(set);
    let current_replicas = set
        .status
        .as_ref()
        .and_then(|s| s.current_replicas)
        .map_or(0, i64::from);
    let at_current = match partition(set) {
        None => strategy_type(set) == "RollingUpdate" && ordinal < start + current_replicas,
        Some(p) => ordinal < start + p,
    };
    if at_current {
        new_pod(set, &current.template, &current.name, ordinal)
    } else {
        new_pod(set, &update.template, &update.name, ordinal)
    }
}

// ---------------------------------------------------------------------------
// The decision (updateStatefulSet)
// ---------------------------------------------------------------------------

/// A request the sync makes, in the order it makes them.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Delete a failed pod; the `Create` that follows makes it anew (`RecreatingFailedPod`).
    RecreateFailed(String),
    /// Create the pod (its claims first).
    Create(Box<Pod>),
    /// Delete the pod (scale-down, or an update of its revision).
    Delete(String),
    /// Give an existing pod back its identity and storage (`UpdateStatefulPod`).
    Update(Box<Pod>),
}

/// The status fields the controller writes (`apps.StatefulSetStatus` without conditions).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StsStatus {
    pub observed_generation: i64,
    pub replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    pub current_replicas: i32,
    pub updated_replicas: i32,
    pub current_revision: String,
    pub update_revision: String,
    pub collision_count: i32,
}

impl StsStatus {
    /// The status as the API writes it (Go's `omitempty` fields left out when zero).
    pub fn to_value(&self) -> Value {
        let nz = |n: i32| (n != 0).then_some(n);
        let ne = |s: &str| (!s.is_empty()).then(|| s.to_string());
        serde_json::to_value(StatefulSetStatus {
            observed_generation: (self.observed_generation != 0)
                .then_some(self.observed_generation),
            replicas: self.replicas,
            ready_replicas: nz(self.ready_replicas),
            current_replicas: nz(self.current_replicas),
            updated_replicas: nz(self.updated_replicas),
            current_revision: ne(&self.current_revision),
            update_revision: ne(&self.update_revision),
            collision_count: Some(self.collision_count),
            available_replicas: Some(self.available_replicas),
            conditions: None,
        })
        .unwrap_or_default()
    }

    /// The set's stored status in the same terms (for `inconsistentStatus`).
    fn of(set: &StatefulSet) -> StsStatus {
        let Some(s) = set.status.as_ref() else {
            return StsStatus::default();
        };
        StsStatus {
            observed_generation: s.observed_generation.unwrap_or(0),
            replicas: s.replicas,
            ready_replicas: s.ready_replicas.unwrap_or(0),
            available_replicas: s.available_replicas.unwrap_or(0),
            current_replicas: s.current_replicas.unwrap_or(0),
            updated_replicas: s.updated_replicas.unwrap_or(0),
            current_revision: s.current_revision.clone().unwrap_or_default(),
            update_revision: s.update_revision.clone().unwrap_or_default(),
            collision_count: s.collision_count.unwrap_or(0),
        }
    }

    /// `inconsistentStatus`: whether the new status must be written.
    fn differs_from(&self, old: &StsStatus) -> bool {
        self.observed_generation > old.observed_generation
            || self.replicas != old.replicas
            || self.current_replicas != old.current_replicas
            || self.ready_replicas != old.ready_replicas
            || self.updated_replicas != old.updated_replicas
            || self.current_revision != old.current_revision
            || self.available_replicas != old.available_replicas
            || self.update_revision != old.update_revision
    }

    /// `updateStatus` / `computeReplicaStatus` over the pods that exist.
    fn count<'a>(
        &mut self,
        pods: impl Iterator<Item = &'a Pod>,
        min_ready: i32,
        current: &str,
        update: &str,
        now: Timestamp,
    ) {
        self.replicas = 0;
        self.ready_replicas = 0;
        self.available_replicas = 0;
        self.current_replicas = 0;
        self.updated_replicas = 0;
        for p in pods {
            if is_created(p) {
                self.replicas += 1;
            }
            if is_running_and_ready(p) {
                self.ready_replicas += 1;
                if is_pod_available(p, min_ready, now) {
                    self.available_replicas += 1;
                }
            }
            if is_created(p) && !is_terminating(p) {
                if pod_revision(p) == current {
                    self.current_replicas += 1;
                }
                if pod_revision(p) == update {
                    self.updated_replicas += 1;
                }
            }
        }
    }
}

/// What one sync decides.
#[derive(Debug, Clone, Default)]
pub struct StsPlan {
    pub actions: Vec<Action>,
    pub status: StsStatus,
}

/// The first pod that is not healthy, by ordinal, then among the condemned from the lowest
/// ordinal; a missing pod is not healthy (its name is the set's and its ordinal).
fn first_unhealthy(
    set: &StatefulSet,
    start: i64,
    count: usize,
    replicas: &std::collections::BTreeMap<usize, Pod>,
    condemned: &[Pod],
) -> Option<String> {
    match (0..count).find(|i| !replicas.get(i).is_some_and(is_healthy)) {
        Some(i) => Some(match replicas.get(&i) {
            Some(p) => pod_name(p).to_string(),
            None => format!("{}-{}", set_name(set), start + i as i64),
        }),
        None => condemned
            .iter()
            .rev()
            .find(|p| !is_healthy(p))
            .map(|p| pod_name(p).to_string()),
    }
}

/// `updateStatefulSet`: the requests that bring `set` one step nearer its desired state and
/// the status it then has. `pods` are the pods the set owns; `current` and `update` its
/// revisions (the same one unless a rollout is under way).
pub fn update_set(
    set: &StatefulSet,
    current: &Rev,
    update: &Rev,
    collision_count: i32,
    pods: &[Pod],
    now: Timestamp,
) -> StsPlan {
    let min_ready = min_ready_seconds(set);
    let mut status = StsStatus {
        observed_generation: set.metadata.generation.unwrap_or(0),
        current_revision: current.name.clone(),
        update_revision: update.name.clone(),
        collision_count,
        ..Default::default()
    };
    status.count(pods.iter(), min_ready, &current.name, &update.name, now);

    let start = start_ordinal(set);
    let count = replicas_of(set).max(0);
    // The pods each ordinal wants; a missing one is made from the template only when the
    // plan reaches it (upstream makes every one up front: 10,000 replicas made 10,000 pods
    // at each sync of a set that makes one pod at a time).
    let count = count as usize;
    let mut replicas: std::collections::BTreeMap<usize, Pod> = Default::default();
    let mut condemned: Vec<Pod> = Vec::new();
    for p in pods {
        let ord = ordinal(p);
        if ord >= start && ord < start + count as i64 {
            replicas.insert((ord - start) as usize, p.clone());
        } else if ord >= 0 {
            condemned.push(p.clone());
        }
    }
    let slot = |replicas: &mut std::collections::BTreeMap<usize, Pod>, i: usize| -> Pod {
        replicas
            .entry(i)
            .or_insert_with(|| new_versioned_pod(set, current, update, start + i as i64))
            .clone()
    };
    // Descending ordinal, ties (impossible for real names) by name.
    condemned.sort_by(|a, b| {
        ordinal(b)
            .cmp(&ordinal(a))
            .then(pod_name(a).cmp(pod_name(b)))
    });

    let first_unhealthy = first_unhealthy(set, start, count, &replicas, &condemned);

    let mut actions = Vec::new();
    // Pods not made yet count for nothing (they have no phase).
    let finish = |status: &mut StsStatus,
                  replicas: &std::collections::BTreeMap<usize, Pod>,
                  condemned: &[Pod]| {
        status.count(
            replicas.values().chain(condemned.iter()),
            min_ready,
            &current.name,
            &update.name,
            now,
        );
    };
    if set.metadata.deletion_timestamp.is_some() {
        return StsPlan { actions, status };
    }
    let monotonic = set
        .spec
        .as_ref()
        .and_then(|s| s.pod_management_policy.as_deref())
        != Some("Parallel");

    // processReplica, in ascending ordinal.
    for i in 0..count {
        let ord = start + i as i64;
        if replicas.get(&i).is_some_and(is_failed) {
            let failed = slot(&mut replicas, i);
            actions.push(Action::RecreateFailed(pod_name(&failed).to_string()));
            replicas.insert(i, new_versioned_pod(set, current, update, ord));
        }
        let p = slot(&mut replicas, i);
        if !is_created(&p) {
            actions.push(Action::Create(Box::new(p)));
            if monotonic {
                finish(&mut status, &replicas, &condemned);
                return StsPlan { actions, status };
            }
            continue;
        }
        if monotonic
            && (is_terminating(&p)
                || !is_running_and_ready(&p)
                || !is_pod_available(&p, min_ready, now))
        {
            finish(&mut status, &replicas, &condemned);
            return StsPlan { actions, status };
        }
        if !identity_matches(set, &p) || !storage_matches(set, &p) {
            let mut fixed = p;
            update_identity(set, &mut fixed, ord);
            update_storage(set, &mut fixed);
            actions.push(Action::Update(Box::new(fixed)));
        }
    }

    // processCondemned, from the highest ordinal down.
    for p in &condemned {
        if is_terminating(p) {
            if monotonic {
                finish(&mut status, &replicas, &condemned);
                return StsPlan { actions, status };
            }
            continue;
        }
        let first = first_unhealthy.as_deref() == Some(pod_name(p));
        if monotonic && !first && (!is_running_and_ready(p) || !is_pod_available(p, min_ready, now))
        {
            finish(&mut status, &replicas, &condemned);
            return StsPlan { actions, status };
        }
        actions.push(Action::Delete(pod_name(p).to_string()));
        if monotonic {
            finish(&mut status, &replicas, &condemned);
            return StsPlan { actions, status };
        }
    }
    finish(&mut status, &replicas, &condemned);

    if strategy_type(set) == "OnDelete" {
        return StsPlan { actions, status };
    }
    // The rolling update: from the highest ordinal down to the partition, one pod at a time.
    let update_min = partition(set).unwrap_or(0).max(0) as usize;
    for target in (update_min..count).rev() {
        let p = slot(&mut replicas, target);
        if pod_revision(&p) != update.name && !is_terminating(&p) {
            actions.push(Action::Delete(pod_name(&p).to_string()));
            status.current_replicas -= 1;
            return StsPlan { actions, status };
        }
        if !is_healthy(&p) {
            break;
        }
    }
    StsPlan { actions, status }
}

/// kubectl's `StatefulSetStatusViewer`: the line to print, whether the rollout is done, and
/// the error that ends the watch.
pub fn rollout_status(sts: &StatefulSet) -> (String, bool, Option<String>) {
    if strategy_type(sts) != "RollingUpdate" {
        return (
            String::new(),
            true,
            Some("rollout status is only available for RollingUpdate strategy type".into()),
        );
    }
    let st = StsStatus::of(sts);
    let generation = sts.metadata.generation.unwrap_or(0);
    if st.observed_generation == 0 || generation > st.observed_generation {
        return (
            "Waiting for statefulset spec update to be observed...\n".into(),
            false,
            None,
        );
    }
    let replicas = sts.spec.as_ref().and_then(|s| s.replicas);
    if let Some(r) = replicas
        && st.ready_replicas < r
    {
        return (
            format!(
                "Waiting for {} pods to be ready...\n",
                r - st.ready_replicas
            ),
            false,
            None,
        );
    }
    let ru = sts
        .spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.rolling_update.as_ref());
    if let Some(ru) = ru {
        if let (Some(r), Some(p)) = (replicas, ru.partition)
            && st.updated_replicas < r - p
        {
            return (
                format!(
                    "Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...\n",
                    st.updated_replicas,
                    r - p
                ),
                false,
                None,
            );
        }
        return (
            format!(
                "partitioned roll out complete: {} new pods have been updated...\n",
                st.updated_replicas
            ),
            true,
            None,
        );
    }
    if st.update_revision != st.current_revision {
        return (
            format!(
                "waiting for statefulset rolling update to complete {} pods at revision {}...\n",
                st.updated_replicas, st.update_revision
            ),
            false,
            None,
        );
    }
    (
        format!(
            "statefulset rolling update complete {} pods at revision {}...\n",
            st.current_replicas, st.current_revision
        ),
        true,
        None,
    )
}

/// `completeRollingUpdate`: once every pod is updated and ready, the update revision becomes
/// the current one.
pub fn complete_rolling_update(set: &StatefulSet, status: &mut StsStatus) {
    if strategy_type(set) == "RollingUpdate"
        && status.updated_replicas == status.replicas
        && status.ready_replicas == status.replicas
    {
        status.current_replicas = status.updated_replicas;
        status.current_revision = status.update_revision.clone();
    }
}

// ---------------------------------------------------------------------------
// Revisions (controller_history.go, getPatch / newRevision / ApplyRevision)
// ---------------------------------------------------------------------------

/// `newRevision` (before naming): labels of the template, the set's annotations, the
/// controller reference, the data and the revision number.
fn new_revision(set_value: &Value, set: &StatefulSet, revision: i64) -> Value {
    let mut labels = set_value
        .ptr("/spec/template/metadata/labels")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let data = revision_data(set_value);
    let hash = hash_revision(&data, 0);
    labels.insert(HASH_LABEL.into(), json!(hash));
    let owner = new_controller_ref(
        "apps/v1",
        "StatefulSet",
        set_name(set),
        set.metadata.uid.as_deref().unwrap_or(""),
    );
    let mut meta = json!({
        "labels": labels,
        "ownerReferences": [owner],
    });
    if let Some(a) = set_value
        .ptr("/metadata/annotations")
        .filter(|a| a.as_object().is_some_and(|m| !m.is_empty()))
        && let Some(m) = meta.as_object_mut()
    {
        m.insert("annotations".into(), a.clone());
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": meta,
        "data": data,
        "revision": revision,
    })
}

/// `getStatefulSetRevisions`: the current and update revisions, creating the update revision
/// (or renumbering an equal older one: a rollback) as needed; the collision count it used.
fn get_revisions(
    api: &mut Api,
    set_value: &Value,
    set: &StatefulSet,
    revisions: &mut Vec<Value>,
) -> Result<(Value, Value, i32), ApiError> {
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    let mut collision = set
        .status
        .as_ref()
        .and_then(|s| s.collision_count)
        .unwrap_or(0);
    let next = revisions.last().map_or(1, |r| revision_number(r) + 1);
    let mut candidate = new_revision(set_value, set, next);
    let data = candidate["data"].clone();
    let equal: Vec<usize> = (0..revisions.len())
        .filter(|&i| revisions[i].get("data") == Some(&data))
        .collect();
    let update = match equal.last() {
        Some(&i) if i + 1 == revisions.len() => revisions[i].clone(),
        Some(&i) => {
            let mut r = revisions[i].clone();
            r.set("/revision", json!(next))?;
            let updated = api.update(cr_info(), &ns, r)?;
            revisions[i] = updated.clone();
            updated
        }
        None => loop {
            let hash = hash_revision(&data, collision);
            candidate.set("/metadata/name", json!(format!("{}-{hash}", set_name(set))))?;
            match api.create(cr_info(), &ns, candidate.clone()) {
                Ok(created) => {
                    revisions.push(created.clone());
                    break created;
                }
                Err(e) if e.reason == Reason::AlreadyExists => {
                    let existing = api.get(cr_info(), &ns, name_of(&candidate))?;
                    if existing.get("data") == Some(&data) {
                        break existing;
                    }
                    collision += 1;
                }
                Err(e) => return Err(e),
            }
        },
    };
    let current_name = set
        .status
        .as_ref()
        .and_then(|s| s.current_revision.clone())
        .unwrap_or_default();
    let current = revisions
        .iter()
        .find(|r| name_of(r) == current_name)
        .cloned()
        .unwrap_or_else(|| update.clone());
    Ok((current, update, collision))
}

/// `truncateHistory`: deletes the oldest revisions that no pod uses and that are neither the
/// current nor the update revision, beyond `revisionHistoryLimit`.
fn truncate_history(
    api: &mut Api,
    set: &StatefulSet,
    pods: &[Pod],
    revisions: &[Value],
    live: &[&str],
) -> Result<(), ApiError> {
    let limit = set
        .spec
        .as_ref()
        .and_then(|s| s.revision_history_limit)
        .unwrap_or(10)
        .max(0) as usize;
    let history: Vec<&Value> = revisions
        .iter()
        .filter(|r| {
            let n = name_of(r);
            !live.contains(&n) && !pods.iter().any(|p| pod_revision(p) == n)
        })
        .collect();
    if history.len() <= limit {
        return Ok(());
    }
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    for r in &history[..history.len() - limit] {
        api.delete_if_present(cr_info(), &ns, name_of(r), DeleteOptions::default())?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The controller
// ---------------------------------------------------------------------------

fn selects(set: &StatefulSet, labels: Option<&Value>) -> bool {
    let Some(sel) = set.spec.as_ref().map(|s| &s.selector) else {
        return false;
    };
    match crate::api::selector::Selector::from_label_selector(sel) {
        Ok(s) => !s.is_empty() && s.matches_value(labels),
        Err(_) => false,
    }
}

fn event(api: &mut Api, set: &Involved, type_: &str, reason: &str, message: &str) {
    api.record_event_for(set, type_, reason, message, COMPONENT, None);
}

impl StatefulSetController {
    /// Keeps the cached views current with a pod's watch event.
    fn track(&mut self, change: &Change) {
        let o = &change.object;
        let key = format!("{}/{}", namespace_of(o), name_of(o));
        let owner = match controller_of(o) {
            Some(("StatefulSet", _, uid)) if change.op != Op::Deleted => Some(uid),
            _ => None,
        };
        if let Some(old) = self.cached_in.get(&key)
            && Some(old.as_str()) != owner
        {
            if let Some(m) = self.pods.get_mut(old) {
                m.remove(name_of(o));
            }
            self.cached_in.remove(&key);
        }
        let Some(uid) = owner else { return };
        if let Some(m) = self.pods.get_mut(uid)
            && let Ok(v) = PodView::deserialize(&**o)
        {
            m.insert(name_of(o).to_string(), Pod::from(v));
            self.cached_in.insert(key, uid.to_string());
        }
    }

    /// The views of the pods the set `uid` controls: decoded from the store on the set's
    /// first sync in this run, then kept by [`Self::track`].
    fn set_pods(&mut self, api: &mut Api, ns: &str, uid: &str) -> Result<Vec<Pod>, ApiError> {
        if let Some(m) = self.pods.get(uid) {
            return Ok(m.values().cloned().collect());
        }
        let pods = views(api, ns, uid)?;
        let mut m = std::collections::BTreeMap::new();
        for p in &pods {
            let name = pod_name(p).to_string();
            self.cached_in
                .insert(format!("{ns}/{name}"), uid.to_string());
            m.insert(name, p.clone());
        }
        self.pods.insert(uid.to_string(), m);
        Ok(pods)
    }
}

impl Controller for StatefulSetController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        if change.info == &crate::kinds::pod::KIND {
            self.track(change);
        }
        let ns = namespace_of(&change.object);
        match change.info.kind {
            kinds::statefulset::NAME if change.verb == "status" && change.actor == COMPONENT => {}
            kinds::statefulset::NAME => keys.push(format!("{ns}/{}", name_of(&change.object))),
            kinds::pod::NAME | kinds::controllerrevision::NAME => {
                match controller_of(&change.object) {
                    Some((kinds::statefulset::NAME, n, _)) => keys.push(format!("{ns}/{n}")),
                    Some(_) => {}
                    None if change.op != Op::Deleted && change.info == &crate::kinds::pod::KIND => {
                        let ns = ns.to_string();
                        // An orphan: a set whose selector matches and whose name it bears may
                        // adopt it.
                        let pname = name_of(&change.object);
                        let labels = change.object.ptr("/metadata/labels");
                        if let Ok(sets) = api.list_ref(sts_info(), Some(&ns)) {
                            for s in sets {
                                if let Ok(set) = StatefulSet::deserialize(s)
                                    && is_member_of(&set, pname)
                                    && selects(&set, labels)
                                {
                                    keys.push(format!("{ns}/{}", name_of(s)));
                                }
                            }
                        }
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = split_key(key);
        let (set_value, set, involved) = {
            let Some(v) = api.try_get_ref(sts_info(), ns, name)? else {
                return Ok(SyncResult::default());
            };
            (
                v.clone(),
                StatefulSet::deserialize(v).map_err(internal)?,
                Involved::of(v),
            )
        };
        let uid = set.metadata.uid.clone().unwrap_or_default();
        let now = api.now();

        // Claim: adopt orphans that match and bear the set's name; release pods that no
        // longer match.
        let mut pods: Vec<Pod> = self.set_pods(api, ns, &uid)?;
        if set.metadata.deletion_timestamp.is_none() {
            let owner = new_controller_ref("apps/v1", "StatefulSet", name, &uid);
            let orphans: Vec<Pod> = views(api, ns, "")?;
            for o in orphans {
                let labels = serde_json::to_value(&o.metadata.labels).ok();
                if o.metadata.deletion_timestamp.is_none()
                    && is_member_of(&set, pod_name(&o))
                    && selects(&set, labels.as_ref())
                {
                    let adopted = write_owner_refs(api, ns, pod_name(&o), |p| {
                        p.metadata
                            .owner_references
                            .get_or_insert_with(Vec::new)
                            .push(owner.clone());
                        Ok(())
                    })?;
                    if adopted {
                        pods.push(
                            api.get(pod_info(), ns, pod_name(&o))
                                .and_then(|v| Pod::deserialize(&v).map_err(internal))?,
                        );
                    }
                }
            }
            let mut kept = Vec::with_capacity(pods.len());
            for p in pods {
                let labels = serde_json::to_value(&p.metadata.labels).ok();
                if is_member_of(&set, pod_name(&p)) && selects(&set, labels.as_ref()) {
                    kept.push(p);
                } else {
                    write_owner_refs(api, ns, pod_name(&p), |p| {
                        if let Some(refs) = p.metadata.owner_references.as_mut() {
                            refs.retain(|r| r.uid != uid);
                            if refs.is_empty() {
                                p.metadata.owner_references = None;
                            }
                        }
                        Ok(())
                    })?;
                }
            }
            pods = kept;
        }
        pods.sort_by(|a, b| pod_name(a).cmp(pod_name(b)));

        // Revisions.
        let mut revisions = list_revisions(api, &set_value)?;
        let (current_v, update_v, collision) =
            get_revisions(api, &set_value, &set, &mut revisions)?;
        let current = Rev {
            name: name_of(&current_v).to_string(),
            template: revision_template(&current_v)?,
        };
        let update = Rev {
            name: name_of(&update_v).to_string(),
            template: revision_template(&update_v)?,
        };

        let plan = update_set(&set, &current, &update, collision, &pods, now);
        let mut failed = false;
        for action in &plan.actions {
            if !apply(api, &set, &involved, action)? {
                failed = true;
                break;
            }
        }
        let mut status = plan.status;
        complete_rolling_update(&set, &mut status);
        if status.differs_from(&StsStatus::of(&set)) {
            match api.put_status(sts_info(), ns, name, status.to_value()) {
                Err(e) if e.reason == Reason::NotFound => {}
                r => r?,
            }
        }
        let revisions = list_revisions(api, &set_value)?;
        truncate_history(api, &set, &pods, &revisions, &[&current.name, &update.name])?;

        let mut res = SyncResult::default();
        let min_ready = min_ready_seconds(&set);
        if min_ready > 0 && i64::from(status.available_replicas) != replicas_of(&set) {
            // Pods ready but not yet available: look again once they may be.
            let wait = pods
                .iter()
                .filter_map(|p| {
                    let c = super::podutil::pod_ready_condition(p)?;
                    (c.status == "True").then_some(())?;
                    let t = non_zero_time(c.last_transition_time.as_ref())?;
                    let at = t
                        .checked_add(SignedDuration::from_secs(i64::from(min_ready) + 1))
                        .ok()?;
                    (at > now).then(|| at.duration_since(now))
                })
                .min()
                .unwrap_or(SignedDuration::from_secs(i64::from(min_ready)));
            res.requeue_after.push((wait, true));
        }
        if failed {
            res.requeue_after
                .push((SignedDuration::from_secs(10), false));
        }
        Ok(res)
    }
}

/// Makes one request of the plan with its events (`StatefulPodControl`); `false` when it
/// failed (the sync stops there, as upstream returns the error).
fn apply(
    api: &mut Api,
    set: &StatefulSet,
    involved: &Involved,
    action: &Action,
) -> Result<bool, ApiError> {
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    let sname = set_name(set).to_string();
    match action {
        Action::RecreateFailed(pod) => {
            event(
                api,
                involved,
                "Warning",
                "RecreatingFailedPod",
                &format!("StatefulSet {ns}/{sname} is recreating failed Pod {pod}"),
            );
            delete_pod(api, involved, &ns, &sname, pod)
        }
        Action::Delete(pod) => delete_pod(api, involved, &ns, &sname, pod),
        Action::Create(pod) => {
            let pname = pod_name(pod).to_string();
            let claim_info = &crate::kinds::persistentvolumeclaim::KIND;
            for (_, claim) in claims_for(set, ordinal(pod)) {
                let cname = name_of(&claim).to_string();
                if api.try_get_ref(claim_info, &ns, &cname)?.is_some() {
                    continue;
                }
                match api.create_name(claim_info, &ns, claim) {
                    Ok(_) => event(
                        api,
                        involved,
                        "Normal",
                        "SuccessfulCreate",
                        &format!("create Claim {cname} Pod {pname} in StatefulSet {sname} success"),
                    ),
                    Err(e) => {
                        event(
                            api,
                            involved,
                            "Warning",
                            "FailedCreate",
                            &format!(
                                "create Claim {cname} for Pod {pname} in StatefulSet {sname} failed error: {}",
                                e.message
                            ),
                        );
                        return Ok(false);
                    }
                }
            }
            let v = serde_json::to_value(pod.as_ref()).map_err(internal)?;
            match api.create_name(pod_info(), &ns, v) {
                Ok(_) => {
                    event(
                        api,
                        involved,
                        "Normal",
                        "SuccessfulCreate",
                        &format!("create Pod {pname} in StatefulSet {sname} successful"),
                    );
                    Ok(true)
                }
                Err(e) if e.reason == Reason::AlreadyExists => Ok(false),
                Err(e) => {
                    event(
                        api,
                        involved,
                        "Warning",
                        "FailedCreate",
                        &format!(
                            "create Pod {pname} in StatefulSet {sname} failed error: {}",
                            e.message
                        ),
                    );
                    Ok(false)
                }
            }
        }
        Action::Update(pod) => {
            let pname = pod_name(pod).to_string();
            let mut full = api.get(pod_info(), &ns, &pname)?;
            full.set(
                "/metadata/labels",
                serde_json::to_value(&pod.metadata.labels).map_err(internal)?,
            )?;
            if pod.spec.as_ref().is_some_and(|s| s.volumes.is_some()) {
                // The plan's pod is a view (volumes as name and claim): the claims are put
                // on the whole pod's volumes, the others kept as they are.
                let mut whole = Pod::deserialize(&full).map_err(internal)?;
                update_storage(set, &mut whole);
                if let Some(vols) = whole.spec.as_ref().and_then(|s| s.volumes.as_ref()) {
                    full.set(
                        "/spec/volumes",
                        serde_json::to_value(vols).map_err(internal)?,
                    )?;
                }
            }
            let r = api.update_quiet(pod_info(), &ns, full);
            let (type_, reason, msg) = match &r {
                Ok(()) => (
                    "Normal",
                    "SuccessfulUpdate",
                    format!("update Pod {pname} in StatefulSet {sname} successful"),
                ),
                Err(e) => (
                    "Warning",
                    "FailedUpdate",
                    format!(
                        "update Pod {pname} in StatefulSet {sname} failed error: {}",
                        e.message
                    ),
                ),
            };
            event(api, involved, type_, reason, &msg);
            Ok(r.is_ok())
        }
    }
}

fn delete_pod(
    api: &mut Api,
    involved: &Involved,
    ns: &str,
    sname: &str,
    pod: &str,
) -> Result<bool, ApiError> {
    match api.delete(pod_info(), ns, pod, DeleteOptions::default()) {
        Ok(_) => {
            event(
                api,
                involved,
                "Normal",
                "SuccessfulDelete",
                &format!("delete Pod {pod} in StatefulSet {sname} successful"),
            );
            Ok(true)
        }
        Err(e) if e.reason == Reason::NotFound => Ok(true),
        Err(e) => {
            event(
                api,
                involved,
                "Warning",
                "FailedDelete",
                &format!(
                    "delete Pod {pod} in StatefulSet {sname} failed error: {}",
                    e.message
                ),
            );
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-01-01T00:10:00Z".parse().unwrap()
    }

    fn set(replicas: i32, extra: Value) -> StatefulSet {
        let mut v = json!({
            "metadata": {"name": "web", "namespace": "default", "uid": "u-web", "generation": 1},
            "spec": {
                "replicas": replicas,
                "serviceName": "web",
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                             "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}},
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            }
        });
        crate::api::patch::merge_patch(&mut v, &extra);
        StatefulSet::deserialize(&v).unwrap()
    }

    fn rev(name: &str, image: &str) -> Rev {
        Rev {
            name: name.into(),
            template: PodTemplateSpec::deserialize(&json!({
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]}
            }))
            .unwrap(),
        }
    }

    /// A pod of the set at `revision`: `state` is "ready", "pending", "failed" or
    /// "terminating".
    fn pod(ord: i64, revision: &str, state: &str) -> Pod {
        let (phase, ready) = match state {
            "ready" | "terminating" => ("Running", "True"),
            "failed" => ("Failed", "False"),
            _ => ("Pending", "False"),
        };
        let mut v = json!({
            "metadata": {"name": format!("web-{ord}"), "namespace": "default",
                         "labels": {"app": "web", REVISION_LABEL: revision,
                                    POD_NAME_LABEL: format!("web-{ord}")}},
            "spec": {"containers": [{"name": "nginx", "image": "x"}]},
            "status": {"phase": phase, "conditions": [
                {"type": "Ready", "status": ready, "lastTransitionTime": "2026-01-01T00:00:00Z"}]}
        });
        if state == "terminating" {
            v.set("/metadata/deletionTimestamp", json!("2026-01-01T00:09:00Z"))
                .unwrap();
        }
        Pod::deserialize(&v).unwrap()
    }

    /// Pods `web-0`, `web-1`, ... with (revision, state) each.
    fn in_order(specs: &[(&str, &str)]) -> Vec<Pod> {
        specs
            .iter()
            .enumerate()
            .map(|(i, (rev, state))| pod(i as i64, rev, state))
            .collect()
    }

    fn names(plan: &StsPlan) -> Vec<String> {
        plan.actions
            .iter()
            .map(|a| match a {
                Action::Create(p) => format!("create {}", pod_name(p)),
                Action::Delete(n) => format!("delete {n}"),
                Action::RecreateFailed(n) => format!("recreate {n}"),
                Action::Update(p) => format!("update {}", pod_name(p)),
            })
            .collect()
    }

    #[test]
    fn ordinals_from_names() {
        assert_eq!(parent_and_ordinal("web-0"), ("web", 0));
        assert_eq!(parent_and_ordinal("my-db-12"), ("my-db", 12));
        assert_eq!(parent_and_ordinal("web"), ("", -1));
        assert_eq!(parent_and_ordinal("web-x1"), ("", -1));
        assert_eq!(parent_and_ordinal("web-"), ("", -1));
    }

    #[test]
    fn ordered_ready_creates_one_pod_at_a_time_in_ascending_order() {
        let s = set(3, json!({}));
        let r = rev("web-1", "nginx:1.25");
        let plan = update_set(&s, &r, &r, 0, &[], now());
        assert_eq!(names(&plan), ["create web-0"]);
        // web-0 not Ready yet: nothing more.
        let pods = [pod(0, "web-1", "pending")];
        assert!(update_set(&s, &r, &r, 0, &pods, now()).actions.is_empty());
        let pods = [pod(0, "web-1", "ready")];
        let plan = update_set(&s, &r, &r, 0, &pods, now());
        assert_eq!(names(&plan), ["create web-1"]);
        assert_eq!(plan.status.replicas, 1);
        assert_eq!(plan.status.ready_replicas, 1);
    }

    #[test]
    fn parallel_creates_every_missing_pod_at_once() {
        let s = set(3, json!({"spec": {"podManagementPolicy": "Parallel"}}));
        let r = rev("web-1", "nginx:1.25");
        let pods = [pod(1, "web-1", "pending")];
        let plan = update_set(&s, &r, &r, 0, &pods, now());
        assert_eq!(names(&plan), ["create web-0", "create web-2"]);
    }

    #[test]
    fn new_pods_carry_identity_storage_and_revision() {
        let s = set(
            1,
            json!({"spec": {"volumeClaimTemplates": [
                {"metadata": {"name": "www"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]}}),
        );
        let r = rev("web-abc", "nginx:1.25");
        let plan = update_set(&s, &r, &r, 0, &[], now());
        let Action::Create(p) = &plan.actions[0] else {
            panic!("{:?}", plan.actions)
        };
        let v = serde_json::to_value(p.as_ref()).unwrap();
        assert_eq!(v["metadata"]["name"], "web-0");
        assert_eq!(v["metadata"]["generateName"], "web-");
        assert_eq!(v["metadata"]["labels"][REVISION_LABEL], "web-abc");
        assert_eq!(v["metadata"]["labels"][POD_NAME_LABEL], "web-0");
        assert_eq!(v["metadata"]["labels"][POD_INDEX_LABEL], "0");
        assert_eq!(v["metadata"]["ownerReferences"][0]["kind"], "StatefulSet");
        assert_eq!(v["spec"]["hostname"], "web-0");
        assert_eq!(v["spec"]["subdomain"], "web");
        assert_eq!(
            v["spec"]["volumes"],
            json!([{"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}}])
        );
        let claims = claims_for(&s, 0);
        assert_eq!(claims.len(), 1);
        assert_eq!(claims[0].1["metadata"]["name"], "www-web-0");
        assert_eq!(claims[0].1["metadata"]["labels"], json!({"app": "web"}));
    }

    #[test]
    fn scale_down_removes_the_highest_ordinal_first_one_at_a_time() {
        let s = set(1, json!({}));
        let r = rev("web-1", "nginx:1.25");
        let pods = in_order(&[("web-1", "ready"), ("web-1", "ready"), ("web-1", "ready")]);
        let plan = update_set(&s, &r, &r, 0, &pods, now());
        assert_eq!(names(&plan), ["delete web-2"]);
        // While web-2 terminates, web-1 waits.
        let pods = in_order(&[
            ("web-1", "ready"),
            ("web-1", "ready"),
            ("web-1", "terminating"),
        ]);
        assert!(update_set(&s, &r, &r, 0, &pods, now()).actions.is_empty());
        // An unhealthy pod is not removed while a lower one is unhealthy too; the first
        // unhealthy one (the lowest) is.
        let s3 = set(0, json!({}));
        let pods = in_order(&[
            ("web-1", "ready"),
            ("web-1", "pending"),
            ("web-1", "pending"),
        ]);
        assert!(update_set(&s3, &r, &r, 0, &pods, now()).actions.is_empty());
        let pods = [pod(0, "web-1", "ready"), pod(1, "web-1", "pending")];
        assert_eq!(
            names(&update_set(&s3, &r, &r, 0, &pods, now())),
            ["delete web-1"]
        );
    }

    #[test]
    fn rolling_update_goes_from_the_highest_ordinal_down_to_the_partition() {
        let s = set(3, json!({}));
        let cur = rev("web-1", "nginx:1.25");
        let upd = rev("web-2", "nginx:1.26");
        let pods = in_order(&[("web-1", "ready"), ("web-1", "ready"), ("web-1", "ready")]);
        let plan = update_set(&s, &cur, &upd, 0, &pods, now());
        assert_eq!(names(&plan), ["delete web-2"]);
        assert_eq!(plan.status.current_replicas, 2);
        assert_eq!(plan.status.updated_replicas, 0);
        // web-2 updated but not ready yet: wait.
        let pods = in_order(&[("web-1", "ready"), ("web-1", "ready"), ("web-2", "pending")]);
        assert!(
            update_set(&s, &cur, &upd, 0, &pods, now())
                .actions
                .is_empty()
        );
        let pods = in_order(&[("web-1", "ready"), ("web-1", "ready"), ("web-2", "ready")]);
        assert_eq!(
            names(&update_set(&s, &cur, &upd, 0, &pods, now())),
            ["delete web-1"]
        );
        // A partition of 2 leaves web-0 and web-1 at the current revision.
        let sp = set(
            3,
            json!({"spec": {"updateStrategy": {"rollingUpdate": {"partition": 2}}}}),
        );
        assert!(
            update_set(&sp, &cur, &upd, 0, &pods, now())
                .actions
                .is_empty()
        );
        // A pod re-created below the partition gets the current revision.
        let pods = [pod(1, "web-1", "ready"), pod(2, "web-2", "ready")];
        let plan = update_set(&sp, &cur, &upd, 0, &pods, now());
        let Action::Create(p) = &plan.actions[0] else {
            panic!()
        };
        assert_eq!(pod_revision(p), "web-1");
        // OnDelete never deletes for an update.
        let so = set(
            3,
            json!({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": null}}}),
        );
        let pods = in_order(&[("web-1", "ready"), ("web-1", "ready"), ("web-1", "ready")]);
        assert!(
            update_set(&so, &cur, &upd, 0, &pods, now())
                .actions
                .is_empty()
        );
    }

    #[test]
    fn failed_pods_are_deleted_and_made_again() {
        let s = set(2, json!({}));
        let r = rev("web-1", "nginx:1.25");
        let pods = [pod(0, "web-1", "failed"), pod(1, "web-1", "ready")];
        let plan = update_set(&s, &r, &r, 0, &pods, now());
        assert_eq!(names(&plan), ["recreate web-0", "create web-0"]);
        // The failed pod no longer counts.
        assert_eq!(plan.status.replicas, 1);
    }

    #[test]
    fn rolling_update_completes_when_every_pod_is_updated_and_ready() {
        let s = set(2, json!({}));
        let mut st = StsStatus {
            replicas: 2,
            ready_replicas: 2,
            updated_replicas: 2,
            current_replicas: 0,
            current_revision: "web-1".into(),
            update_revision: "web-2".into(),
            ..Default::default()
        };
        complete_rolling_update(&s, &mut st);
        assert_eq!(st.current_revision, "web-2");
        assert_eq!(st.current_replicas, 2);
        let v = st.to_value();
        assert_eq!(v["collisionCount"], 0);
        assert_eq!(v["availableReplicas"], 0);
        assert!(v.get("observedGeneration").is_none());
    }

    #[test]
    fn rollout_status_lines_as_kubectl() {
        let mut s = set(
            3,
            json!({"status": {"observedGeneration": 1, "replicas": 3,
            "readyReplicas": 2, "updatedReplicas": 1, "currentRevision": "web-1",
            "updateRevision": "web-2"}}),
        );
        assert_eq!(rollout_status(&s).0, "Waiting for 1 pods to be ready...\n");
        s.status.as_mut().unwrap().ready_replicas = Some(3);
        assert_eq!(
            rollout_status(&s).0,
            "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...\n"
        );
        s.status.as_mut().unwrap().updated_replicas = Some(3);
        assert_eq!(
            rollout_status(&s),
            (
                "partitioned roll out complete: 3 new pods have been updated...\n".into(),
                true,
                None
            )
        );
        s.metadata.generation = Some(2);
        assert_eq!(
            rollout_status(&s).0,
            "Waiting for statefulset spec update to be observed...\n"
        );
        let od = set(
            1,
            json!({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": null}}}),
        );
        assert_eq!(
            rollout_status(&od).2.as_deref(),
            Some("rollout status is only available for RollingUpdate strategy type")
        );
    }
}
