//! The ReplicaSet controller, which also runs ReplicationControllers through an
//! adapter, as upstream does.
//!
//! This is a port of `pkg/controller/replicaset/replica_set.go` (`syncReplicaSet`,
//! `manageReplicas`, `getPodsToDelete`), `replica_set_utils.go` (`calculateStatus`,
//! `updateReplicaSetStatus`) and the pod claiming in
//! `pkg/controller/controller_ref_manager.go` (`ClaimPods`). The decision is a pure
//! function: [`sync`] takes the ReplicaSet (as an [`RsLike`]), the pods in its namespace,
//! the related pods used for scale-down ranking, and the virtual time, and returns an
//! [`RsPlan`]. The engine applies the plan through the API.
//!
//! # ReplicaSet and ReplicationController
//! [`RsLike::from_rs`] and [`RsLike::from_rc`] convert both kinds to one shape. The
//! differences are the kind and apiVersion in the controllerRef (`apps/v1 ReplicaSet`
//! or `v1 ReplicationController`), the selector (an RC's label map becomes
//! `matchLabels`; an empty RC selector defaults to the template labels, as the API
//! server's defaulting does), the status type ([`RsStatus`]) and the event source
//! component ([`RsKind::event_component`]). Expectations are omitted: the engine applies
//! creates and deletes synchronously (controllers.md §0.3 "Simulator shortcut").
//!
//! # How the engine applies an [`RsPlan`]
//! Steps are in upstream order. Creates and deletes never both occur in one plan.
//! 1. **Claim.** For each name in `adopt`, patch the pod to add the controllerRef
//!    ([`adopt_pod`] does this on a pod object: strategic-merge by owner UID). For each
//!    name in `release`, patch the pod to remove every ownerReference with our UID
//!    ([`release_pod`]). A release that fails because the pod is gone or invalid is
//!    ignored. If an adopt fails for any reason, for example because the pod is gone or
//!    already has another controller, stop there. Apply no creates, deletes or status,
//!    and run [`sync`] again: requeue with rate limiting, or at once if the pod is gone.
//!    Upstream returns the claim error before `manageReplicas`. The plan assumed every
//!    adopted pod is owned, so it is stale.
//! 2. **Deletes** (`delete`, already in upstream deletion order). Delete each pod with
//!    default options (graceful). On success, record [`RsEvent::SuccessfulDelete`]. A
//!    NotFound error is silent and is not an error. Any other error records
//!    [`RsEvent::FailedDelete`]. The first such error's [`delete_error_message`] is the
//!    *manage error*.
//! 3. **Creates** (`create`: ready-to-create pods with `generateName`, namespace and
//!    controllerRef set, at most [`BURST_REPLICAS`]). Create them in slow-start batches
//!    [`slow_start_batches`] (1, 2, 4, …). Every create of a batch is attempted. On
//!    success, record [`RsEvent::SuccessfulCreate`] with the server-assigned name. An
//!    error whose cause is `NamespaceTerminating` is swallowed: no event, and it counts
//!    as a success. Any other error records [`RsEvent::FailedCreate`], and that error's
//!    text is the manage error. After a batch with a failure, skip the remaining
//!    batches. If `plan.manage_error` is already set (the template has no labels),
//!    `create` is empty and that text is the manage error.
//! 4. **Status.** With no manage error, use `plan.status` and `plan.requeue_after`.
//!    Otherwise use `plan.finish(rs, Some(err), now)`, which adds the `ReplicaFailure`
//!    condition and drops the requeue. Write the status when it is `Some` (status
//!    subresource). On a conflict, re-read the object and write again once.
//! 5. **Requeue.** With a manage error, requeue with rate limiting (upstream returns the
//!    error). Otherwise, if a requeue delay is set, requeue after it. Also, when a pod
//!    owned by this set turns Ready, requeue the set after
//!    [`requeue_after_pod_update`] (the pod-update handler's `minReadySeconds + 1s`).
//!
//! Events are recorded on the ReplicaSet/RC with source component
//! [`RsKind::event_component`]. Each [`RsEvent`] gives its type, reason and message.
//!
//! Inputs should be in a deterministic order, pods sorted by name as the store lists
//! them. The plan keeps that order, except for the scale-down ordering.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::apps::v1::{ReplicaSet, ReplicaSetCondition, ReplicaSetStatus};
use k8s_openapi::api::core::v1::{
    Pod, PodTemplateSpec, ReplicationController, ReplicationControllerCondition,
    ReplicationControllerStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, OwnerReference, Time};

use crate::api::selector::Selector;
use crate::controllers::podutil;

/// Upstream `BurstReplicas`: the most pods created or deleted in one sync.
pub const BURST_REPLICAS: usize = 500;

/// The condition type set when creating or deleting pods fails.
pub const REPLICA_FAILURE: &str = "ReplicaFailure";

/// Which API kind an [`RsLike`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsKind {
    /// `apps/v1` ReplicaSet.
    ReplicaSet,
    /// `v1` ReplicationController.
    ReplicationController,
}

impl RsKind {
    /// The kind name used in controllerRefs and messages.
    pub fn kind(self) -> &'static str {
        match self {
            RsKind::ReplicaSet => "ReplicaSet",
            RsKind::ReplicationController => "ReplicationController",
        }
    }

    /// The apiVersion used in controllerRefs.
    pub fn api_version(self) -> &'static str {
        match self {
            RsKind::ReplicaSet => "apps/v1",
            RsKind::ReplicationController => "v1",
        }
    }

    /// The event source component (`replicaset-controller` / `replication-controller`).
    pub fn event_component(self) -> &'static str {
        match self {
            RsKind::ReplicaSet => "replicaset-controller",
            RsKind::ReplicationController => "replication-controller",
        }
    }
}

/// A ReplicaSet or ReplicationController, converted to the one shape the controller
/// works on (upstream converts RCs to ReplicaSets the same way).
#[derive(Debug, Clone, PartialEq)]
pub struct RsLike {
    /// Source kind. Gives the controllerRef kind and apiVersion and the status type.
    pub kind: RsKind,
    /// metadata.namespace.
    pub namespace: String,
    /// metadata.name.
    pub name: String,
    /// metadata.uid.
    pub uid: String,
    /// metadata.generation (0 when unset).
    pub generation: i64,
    /// spec.replicas (defaulted to 1).
    pub replicas: i32,
    /// spec.selector. `None` matches nothing (a nil selector upstream).
    pub selector: Option<LabelSelector>,
    /// spec.template (empty when unset).
    pub template: PodTemplateSpec,
    /// spec.minReadySeconds (0 when unset).
    pub min_ready_seconds: i32,
    /// metadata.deletionTimestamp is set.
    pub deleting: bool,
    /// UID of this set's own controller, such as its Deployment. Used to find sibling
    /// sets for scale-down ranking.
    pub controller_uid: Option<String>,
    /// Current status (an RC's status converted to the ReplicaSet shape).
    pub status: ReplicaSetStatus,
}

impl RsLike {
    /// Converts a ReplicaSet.
    pub fn from_rs(rs: &ReplicaSet) -> RsLike {
        let spec = rs.spec.as_ref();
        RsLike {
            kind: RsKind::ReplicaSet,
            namespace: rs.metadata.namespace.clone().unwrap_or_default(),
            name: rs.metadata.name.clone().unwrap_or_default(),
            uid: rs.metadata.uid.clone().unwrap_or_default(),
            generation: rs.metadata.generation.unwrap_or(0),
            replicas: spec.and_then(|s| s.replicas).unwrap_or(1),
            selector: spec.map(|s| s.selector.clone()),
            template: spec.and_then(|s| s.template.clone()).unwrap_or_default(),
            min_ready_seconds: spec.and_then(|s| s.min_ready_seconds).unwrap_or(0),
            deleting: rs.metadata.deletion_timestamp.is_some(),
            controller_uid: podutil::controller_ref(&rs.metadata).map(|r| r.uid.clone()),
            status: rs.status.clone().unwrap_or_default(),
        }
    }

    /// Converts a ReplicationController. Its selector map becomes `matchLabels`; an
    /// empty or missing selector defaults to the template labels.
    pub fn from_rc(rc: &ReplicationController) -> RsLike {
        let spec = rc.spec.as_ref();
        let template = spec.and_then(|s| s.template.clone()).unwrap_or_default();
        let template_labels = template.metadata.as_ref().and_then(|m| m.labels.clone());
        let selector_map = match spec.and_then(|s| s.selector.clone()) {
            Some(m) if !m.is_empty() => Some(m),
            other => template_labels.filter(|l| !l.is_empty()).or(other),
        };
        let status = rc.status.as_ref().map(|s| ReplicaSetStatus {
            available_replicas: s.available_replicas,
            conditions: s.conditions.as_ref().map(|cs| {
                cs.iter()
                    .map(|c| ReplicaSetCondition {
                        last_transition_time: c.last_transition_time.clone(),
                        message: c.message.clone(),
                        reason: c.reason.clone(),
                        status: c.status.clone(),
                        type_: c.type_.clone(),
                    })
                    .collect()
            }),
            fully_labeled_replicas: s.fully_labeled_replicas,
            observed_generation: s.observed_generation,
            ready_replicas: s.ready_replicas,
            replicas: s.replicas,
            terminating_replicas: None,
        });
        RsLike {
            kind: RsKind::ReplicationController,
            namespace: rc.metadata.namespace.clone().unwrap_or_default(),
            name: rc.metadata.name.clone().unwrap_or_default(),
            uid: rc.metadata.uid.clone().unwrap_or_default(),
            generation: rc.metadata.generation.unwrap_or(0),
            replicas: spec.and_then(|s| s.replicas).unwrap_or(1),
            selector: selector_map.map(|m| LabelSelector {
                match_labels: Some(m),
                match_expressions: None,
            }),
            template,
            min_ready_seconds: spec.and_then(|s| s.min_ready_seconds).unwrap_or(0),
            deleting: rc.metadata.deletion_timestamp.is_some(),
            controller_uid: podutil::controller_ref(&rc.metadata).map(|r| r.uid.clone()),
            status: status.unwrap_or_default(),
        }
    }

    /// The controllerRef this set puts on its pods (`controller` and
    /// `blockOwnerDeletion` true).
    pub fn controller_ref(&self) -> OwnerReference {
        podutil::new_controller_ref(
            self.kind.api_version(),
            self.kind.kind(),
            &self.name,
            &self.uid,
        )
    }

    /// Builds the selector. `Ok(None)` means "matches nothing".
    fn build_selector(&self) -> Result<Option<Selector>, String> {
        match &self.selector {
            None => Ok(None),
            Some(ls) => Selector::from_label_selector(ls).map(Some),
        }
    }

    /// Whether this set's selector matches the pod's labels. Use it to find the sets
    /// to enqueue for an orphan pod. False for an invalid or missing selector.
    pub fn selects(&self, pod: &Pod) -> bool {
        matches!(self.build_selector(), Ok(Some(s)) if s.matches(labels(pod)))
    }
}

/// A status to write, in the source kind's type.
#[derive(Debug, Clone, PartialEq)]
pub enum RsStatus {
    /// For a ReplicaSet.
    ReplicaSet(ReplicaSetStatus),
    /// For a ReplicationController.
    ReplicationController(ReplicationControllerStatus),
}

impl RsStatus {
    /// The status as JSON, with Go's `omitempty` semantics: zero counts are left out.
    pub fn to_value(&self) -> serde_json::Value {
        let v = match self {
            RsStatus::ReplicaSet(s) => serde_json::to_value(s),
            RsStatus::ReplicationController(s) => serde_json::to_value(s),
        };
        v.unwrap_or(serde_json::Value::Null)
    }
}

/// An Event the controller records on its ReplicaSet/RC, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RsEvent {
    /// Normal `SuccessfulCreate` `"Created pod: <pod>"`. `pod` is the server-assigned name.
    SuccessfulCreate {
        /// Final pod name.
        pod: String,
    },
    /// Warning `FailedCreate` `"Error creating: <error>"`.
    FailedCreate {
        /// The API error text.
        error: String,
    },
    /// Normal `SuccessfulDelete` `"Deleted pod: <pod>"`.
    SuccessfulDelete {
        /// Deleted pod name.
        pod: String,
    },
    /// Warning `FailedDelete` `"Error deleting: <error>"`.
    FailedDelete {
        /// The API error text.
        error: String,
    },
}

impl RsEvent {
    /// `Normal` or `Warning`.
    pub fn event_type(&self) -> &'static str {
        match self {
            RsEvent::SuccessfulCreate { .. } | RsEvent::SuccessfulDelete { .. } => "Normal",
            RsEvent::FailedCreate { .. } | RsEvent::FailedDelete { .. } => "Warning",
        }
    }

    /// The event reason.
    pub fn reason(&self) -> &'static str {
        match self {
            RsEvent::SuccessfulCreate { .. } => "SuccessfulCreate",
            RsEvent::FailedCreate { .. } => "FailedCreate",
            RsEvent::SuccessfulDelete { .. } => "SuccessfulDelete",
            RsEvent::FailedDelete { .. } => "FailedDelete",
        }
    }

    /// The event message.
    pub fn message(&self) -> String {
        match self {
            RsEvent::SuccessfulCreate { pod } => format!("Created pod: {pod}"),
            RsEvent::FailedCreate { error } => format!("Error creating: {error}"),
            RsEvent::SuccessfulDelete { pod } => format!("Deleted pod: {pod}"),
            RsEvent::FailedDelete { error } => format!("Error deleting: {error}"),
        }
    }
}

/// The manage error for a failed pod delete (`DeletePod`'s "unable to delete pods: %v").
pub fn delete_error_message(api_error: &str) -> String {
    format!("unable to delete pods: {api_error}")
}

/// The replica counts computed from the claimed active pods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplicaCounts {
    /// Claimed active pods.
    pub replicas: i32,
    /// Claimed pods whose labels contain all template labels.
    pub fully_labeled: i32,
    /// Claimed ready pods.
    pub ready: i32,
    /// Claimed pods available for minReadySeconds.
    pub available: i32,
}

/// What one sync decided. See the module docs for how to apply it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RsPlan {
    /// Orphan pods to adopt: patch in our controllerRef ([`adopt_pod`]).
    pub adopt: Vec<String>,
    /// Owned pods that no longer match: remove our ownerReference ([`release_pod`]).
    pub release: Vec<String>,
    /// Pods to create, at most [`BURST_REPLICAS`].
    pub create: Vec<Pod>,
    /// Pods to delete, in deletion order, at most [`BURST_REPLICAS`].
    pub delete: Vec<String>,
    /// A manage error known before applying anything ("unable to create pods, no labels").
    pub manage_error: Option<String>,
    /// The counts behind the status.
    pub counts: ReplicaCounts,
    /// The status to write when the creates and deletes succeed. `None` when unchanged.
    pub status: Option<RsStatus>,
    /// Requeue after this delay when the creates and deletes succeed.
    pub requeue_after: Option<SignedDuration>,
    /// Set when the selector is invalid. Then the plan is empty and nothing is written
    /// (upstream logs the error and drops the key).
    pub invalid_selector: Option<String>,
}

impl RsPlan {
    /// Status and requeue for the outcome of applying this plan. `manage_error` is the
    /// first create/delete error, or `plan.manage_error`, or `None`. Upstream's
    /// `calculateStatus` and `updateReplicaSetStatus`: adds the `ReplicaFailure`
    /// condition (reason `FailedCreate`/`FailedDelete`) on error, removes it on success,
    /// and returns `None` for the status when nothing changed.
    pub fn finish(
        &self,
        rs: &RsLike,
        manage_error: Option<&str>,
        now: Timestamp,
    ) -> (Option<RsStatus>, Option<SignedDuration>) {
        let status = calculate_status(rs, &self.counts, manage_error, now);
        let requeue = (manage_error.is_none()
            && rs.min_ready_seconds > 0
            && self.counts.ready == rs.replicas
            && self.counts.available != rs.replicas)
            .then(|| SignedDuration::from_secs(i64::from(rs.min_ready_seconds)));
        (status, requeue)
    }
}

fn labels(pod: &Pod) -> &BTreeMap<String, String> {
    static EMPTY: BTreeMap<String, String> = BTreeMap::new();
    pod.metadata.labels.as_ref().unwrap_or(&EMPTY)
}

fn pod_name(pod: &Pod) -> String {
    pod.metadata.name.clone().unwrap_or_default()
}

/// Upstream `syncReplicaSet` as a pure function.
///
/// - `pods_in_namespace`: every pod in the set's namespace, in any phase. The function
///   keeps the active ones and claims them.
/// - `related_pods`: for scale-down ranking, the pods of every set that shares this
///   set's controller ([`indirectly_related_pods`]). Empty when the set has no controller.
/// - `now`: the virtual time.
pub fn sync(
    rs: &RsLike,
    pods_in_namespace: &[&Pod],
    related_pods: &[&Pod],
    now: Timestamp,
) -> RsPlan {
    sync_rounds(rs, pods_in_namespace, related_pods, now).0
}

/// [`sync`], and what the syncs after it will do when it creates or deletes a whole burst
/// ([`Rounds`]).
pub fn sync_rounds<'a>(
    rs: &RsLike,
    pods_in_namespace: &[&'a Pod],
    related_pods: &[&Pod],
    now: Timestamp,
) -> (RsPlan, Rounds<'a>) {
    let mut rounds = Rounds::default();
    let selector = match rs.build_selector() {
        Ok(s) => s,
        Err(e) => {
            let plan = RsPlan {
                invalid_selector: Some(e),
                ..RsPlan::default()
            };
            return (plan, rounds);
        }
    };
    let matches = |pod: &Pod| selector.as_ref().is_some_and(|s| s.matches(labels(pod)));
    let active = podutil::filter_active_pods(pods_in_namespace);

    // ClaimPods.
    let mut plan = RsPlan::default();
    let mut claimed: Vec<&Pod> = Vec::new();
    for &pod in &active {
        if let Some(cref) = podutil::controller_ref(&pod.metadata) {
            if cref.uid != rs.uid {
                continue; // owned by someone else
            }
            if matches(pod) {
                claimed.push(pod);
            } else if !rs.deleting {
                plan.release.push(pod_name(pod));
            }
            continue;
        }
        // Orphan.
        if rs.deleting || !matches(pod) || pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let pod_ns = pod.metadata.namespace.as_deref().unwrap_or(&rs.namespace);
        if !rs.namespace.is_empty() && pod_ns != rs.namespace {
            continue;
        }
        plan.adopt.push(pod_name(pod));
        claimed.push(pod);
    }

    plan.counts = count_replicas(rs, &claimed, now);
    // manageReplicas.
    if !rs.deleting {
        let diff = claimed.len() as i64 - i64::from(rs.replicas);
        if diff < 0 {
            let n = usize::try_from(-diff)
                .unwrap_or(usize::MAX)
                .min(BURST_REPLICAS);
            if template_has_labels(rs) {
                plan.create = new_pods(rs, n);
            } else {
                plan.manage_error = Some("unable to create pods, no labels".to_string());
            }
        } else if diff > 0 {
            let n = usize::try_from(diff)
                .unwrap_or(usize::MAX)
                .min(BURST_REPLICAS);
            let batch = get_pods_to_delete(&claimed, related_pods, n, now);
            plan.delete = batch.iter().map(|&i| pod_name(claimed[i])).collect();
            if n == BURST_REPLICAS {
                // More syncs will delete: keep the ranking for them.
                let mut down = ScaleDown::new(&claimed, related_pods, now);
                down.remove(&batch);
                rounds.contributions = claimed.iter().map(|p| contribution(rs, p, now)).collect();
                rounds.last_deleted = batch;
                rounds.down = Some(down);
            }
        }
    }

    let (status, requeue) = plan.finish(rs, plan.manage_error.as_deref(), now);
    plan.status = status;
    plan.requeue_after = requeue;
    rounds.counts = plan.counts;
    rounds.last_created = plan.create.len();
    (plan, rounds)
}

/// Whether a sync of `rs` over these pods deletes some (it would claim more active pods
/// than it wants): the glue looks up the related pods only then.
pub fn deletes(rs: &RsLike, pods_in_namespace: &[&Pod]) -> bool {
    if rs.deleting {
        return false;
    }
    let Ok(Some(selector)) = rs.build_selector() else {
        return false;
    };
    let claimable = pods_in_namespace
        .iter()
        .filter(|p| {
            podutil::is_pod_active(p)
                && selector.matches(labels(p))
                && podutil::controller_ref(&p.metadata).is_none_or(|c| c.uid == rs.uid)
        })
        .count();
    claimable > usize::try_from(rs.replicas).unwrap_or(0)
}

fn template_has_labels(rs: &RsLike) -> bool {
    rs.template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.as_ref())
        .is_some_and(|l| !l.is_empty())
}

fn new_pods(rs: &RsLike, n: usize) -> Vec<Pod> {
    let owner = rs.controller_ref();
    (0..n)
        .map(|_| {
            let mut pod = podutil::pod_from_template(&rs.template, &rs.name, &owner);
            pod.metadata.namespace = Some(rs.namespace.clone());
            pod
        })
        .collect()
}

/// What one claimed pod adds to the counts (replicas, fully labeled, ready, available).
fn contribution(rs: &RsLike, pod: &Pod, now: Timestamp) -> ReplicaCounts {
    count_replicas(rs, &[pod], now)
}

/// The syncs that follow one which created or deleted a whole burst, when nothing but the
/// set's own writes happens in between: in the simulator a set's queue runs before any
/// other loop's, so the next sync of the set sees exactly the pods this one made or
/// deleted. [`Rounds::next`] plans it from the counts and the ranking already at hand
/// instead of reading and sorting every pod again: scaling by N costs O(N log N), where
/// N/500 syncs each reading all N pods cost O(N²).
#[derive(Default)]
pub struct Rounds<'a> {
    counts: ReplicaCounts,
    /// Scale-down: the ranking, each claimed pod's share of the counts, and the batch the
    /// last plan deleted.
    down: Option<ScaleDown<'a>>,
    contributions: Vec<ReplicaCounts>,
    last_deleted: Vec<usize>,
    /// Scale-up: how many pods the last plan created.
    last_created: usize,
}

impl Rounds<'_> {
    /// The plan of the set's next sync, once the previous plan was applied in full (every
    /// create and delete succeeded) and `rs` is the set as it stands now (its status
    /// written). `None` when the previous plan did not create or delete a whole burst (the
    /// set's next sync reads the pods again) or when the set changed otherwise.
    pub fn next(&mut self, rs: &RsLike, now: Timestamp) -> Option<RsPlan> {
        if rs.deleting {
            return None;
        }
        let c = &mut self.counts;
        if self.last_created == BURST_REPLICAS {
            // New pods: claimed, fully labeled (the template's labels), not ready.
            c.replicas += BURST_REPLICAS as i32;
            c.fully_labeled += BURST_REPLICAS as i32;
        } else if self.last_deleted.len() == BURST_REPLICAS {
            for &i in &self.last_deleted {
                let d = self.contributions[i];
                c.replicas -= d.replicas;
                c.fully_labeled -= d.fully_labeled;
                c.ready -= d.ready;
                c.available -= d.available;
            }
        } else {
            return None;
        }
        let mut plan = RsPlan {
            counts: *c,
            ..RsPlan::default()
        };
        let diff = i64::from(c.replicas) - i64::from(rs.replicas);
        self.last_created = 0;
        self.last_deleted.clear();
        if diff < 0 && self.down.is_none() {
            let n = usize::try_from(-diff)
                .unwrap_or(usize::MAX)
                .min(BURST_REPLICAS);
            plan.create = new_pods(rs, n);
            self.last_created = n;
        } else if diff > 0
            && let Some(down) = self.down.as_mut()
            && usize::try_from(c.replicas).ok() == Some(down.remaining())
        {
            let n = usize::try_from(diff)
                .unwrap_or(usize::MAX)
                .min(BURST_REPLICAS);
            let batch = down.next_batch(n);
            plan.delete = batch.iter().map(|&i| pod_name(down.pods[i])).collect();
            self.last_deleted = batch;
        } else if diff != 0 {
            return None;
        }
        let (status, requeue) = plan.finish(rs, None, now);
        plan.status = status;
        plan.requeue_after = requeue;
        Some(plan)
    }
}

/// Counts for `calculateStatus`.
fn count_replicas(rs: &RsLike, claimed: &[&Pod], now: Timestamp) -> ReplicaCounts {
    let template_labels = rs
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.as_ref());
    let mut c = ReplicaCounts {
        replicas: i32::try_from(claimed.len()).unwrap_or(i32::MAX),
        ..ReplicaCounts::default()
    };
    for pod in claimed {
        let pl = labels(pod);
        if template_labels
            .into_iter()
            .flatten()
            .all(|(k, v)| pl.get(k) == Some(v))
        {
            c.fully_labeled += 1;
        }
        if podutil::is_pod_ready(pod) {
            c.ready += 1;
            if podutil::is_pod_available(pod, rs.min_ready_seconds, now) {
                c.available += 1;
            }
        }
    }
    c
}

/// `calculateStatus` plus the no-op check of `updateReplicaSetStatus`.
fn calculate_status(
    rs: &RsLike,
    counts: &ReplicaCounts,
    manage_error: Option<&str>,
    now: Timestamp,
) -> Option<RsStatus> {
    let old = &rs.status;
    let old_conditions: Vec<ReplicaSetCondition> = old.conditions.clone().unwrap_or_default();
    let mut conditions = old_conditions.clone();
    let has_failure = conditions.iter().any(|c| c.type_ == REPLICA_FAILURE);
    match manage_error {
        Some(err) if !has_failure => {
            let diff = i64::from(counts.replicas) - i64::from(rs.replicas);
            let reason = match diff.signum() {
                -1 => "FailedCreate",
                1 => "FailedDelete",
                _ => "",
            };
            conditions.push(ReplicaSetCondition {
                type_: REPLICA_FAILURE.to_string(),
                status: "True".to_string(),
                last_transition_time: Some(Time(now)),
                reason: (!reason.is_empty()).then(|| reason.to_string()),
                message: (!err.is_empty()).then(|| err.to_string()),
            });
        }
        None if has_failure => conditions.retain(|c| c.type_ != REPLICA_FAILURE),
        _ => {}
    }

    let unchanged = old.replicas == counts.replicas
        && old.fully_labeled_replicas.unwrap_or(0) == counts.fully_labeled
        && old.ready_replicas.unwrap_or(0) == counts.ready
        && old.available_replicas.unwrap_or(0) == counts.available
        && old.terminating_replicas.is_none()
        && old.observed_generation.unwrap_or(0) == rs.generation
        && old_conditions == conditions;
    if unchanged {
        return None;
    }
    let nz = |n: i32| (n != 0).then_some(n);
    let status = ReplicaSetStatus {
        replicas: counts.replicas,
        fully_labeled_replicas: nz(counts.fully_labeled),
        ready_replicas: nz(counts.ready),
        available_replicas: nz(counts.available),
        observed_generation: (rs.generation != 0).then_some(rs.generation),
        conditions: (!conditions.is_empty()).then_some(conditions),
        terminating_replicas: None,
    };
    Some(match rs.kind {
        RsKind::ReplicaSet => RsStatus::ReplicaSet(status),
        RsKind::ReplicationController => {
            RsStatus::ReplicationController(ReplicationControllerStatus {
                replicas: status.replicas,
                fully_labeled_replicas: status.fully_labeled_replicas,
                ready_replicas: status.ready_replicas,
                available_replicas: status.available_replicas,
                observed_generation: status.observed_generation,
                conditions: status.conditions.map(|cs| {
                    cs.into_iter()
                        .map(|c| ReplicationControllerCondition {
                            last_transition_time: c.last_transition_time,
                            message: c.message,
                            reason: c.reason,
                            status: c.status,
                            type_: c.type_,
                        })
                        .collect()
                }),
            })
        }
    })
}

/// `getPodsRankedByRelatedPodsOnSameNode`: the rank of each pod is the number of
/// active `related` pods on the same node. Unscheduled pods share the node name `""`.
pub fn ranks_by_related_pods_on_same_node(pods: &[&Pod], related: &[&Pod]) -> Vec<i32> {
    let node = |p: &Pod| {
        p.spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default()
    };
    let mut on_node: BTreeMap<String, i32> = BTreeMap::new();
    for p in related.iter().filter(|p| podutil::is_pod_active(p)) {
        *on_node.entry(node(p)).or_default() += 1;
    }
    pods.iter()
        .map(|p| on_node.get(&node(p)).copied().unwrap_or(0))
        .collect()
}

/// `getPodsToDelete`: indices of the `diff` pods to delete first. When `diff` is less
/// than the number of pods they are ranked with [`podutil::rank_pods_for_deletion`]'s
/// order; otherwise the first `diff` are taken in input order, as upstream does.
pub fn get_pods_to_delete(
    pods: &[&Pod],
    related: &[&Pod],
    diff: usize,
    now: Timestamp,
) -> Vec<usize> {
    if diff < pods.len() {
        let ranks = ranks_by_related_pods_on_same_node(pods, related);
        let mut order = podutil::rank_pods_for_deletion(pods, &ranks, now);
        order.truncate(diff);
        order
    } else {
        (0..pods.len()).collect()
    }
}

#[cfg(test)]
thread_local! {
    /// Comparisons the scale-down ranking made (tests count work with it, not the clock).
    static COMPARISONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn count_comparison() {
    #[cfg(test)]
    COMPARISONS.with(|c| c.set(c.get() + 1));
}

/// A set's scale-down over upstream's successive syncs, each deleting at most
/// [`BURST_REPLICAS`] ([`get_pods_to_delete`] on the pods not deleted yet, ranked by the
/// related pods still active on their node), without sorting every pod again for each
/// batch: each node's pods are sorted once (on one node the rank is the same for all, so
/// their order does not depend on it); a batch merges the nodes' sorted lists by the
/// comparator with the ranks as they stand, and a deletion lowers only its node's rank.
/// So deleting N pods costs O(N log N) comparisons, not O(N²/500).
///
/// Where upstream's comparator is not a strict order (equal ready times skip rule 6, while
/// different times in one log2 bucket compare uids), the order of a set depends on the
/// sorting algorithm (Go's pdqsort and [`podutil::rank_pods_for_deletion`]'s merge sort
/// already differ there); batches after a sync's first may then pick other pods than a
/// merge sort of every pod left would. Each sync's first batch is that merge sort's.
pub struct ScaleDown<'a> {
    pods: Vec<&'a Pod>,
    now: Timestamp,
    /// Per node: its pods (indices into `pods`) in deletion order, and how many of them
    /// are gone from its front.
    nodes: Vec<(Vec<usize>, usize)>,
    node_of: Vec<usize>,
    /// Per node: the active related pods on it (the rank of its pods).
    rank: Vec<i32>,
    /// Whether a pod counts in its node's rank (active and among the related pods).
    in_rank: Vec<bool>,
    deleted: Vec<bool>,
    remaining: usize,
}

/// A node's next pod, ordered as upstream's `ActivePodsWithRanks` (then name, then input
/// position): the smallest is the next to delete.
struct Head<'a> {
    pod: &'a Pod,
    rank: i32,
    index: usize,
    node: usize,
    now: Timestamp,
}

impl Head<'_> {
    fn order(&self, other: &Self) -> std::cmp::Ordering {
        count_comparison();
        podutil::compare_active_pods_with_ranks(
            self.pod, self.rank, other.pod, other.rank, self.now,
        )
        .then_with(|| self.pod.metadata.name.cmp(&other.pod.metadata.name))
        .then(self.index.cmp(&other.index))
    }
}

impl PartialEq for Head<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}
impl Eq for Head<'_> {}
impl PartialOrd for Head<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head<'_> {
    /// Reversed: `BinaryHeap` pops the greatest, and the next to delete is the least.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.order(self)
    }
}

impl<'a> ScaleDown<'a> {
    /// `pods`: the set's claimed active pods, in input order; `related`: the pods whose
    /// activity ranks a node ([`ranks_by_related_pods_on_same_node`]).
    pub fn new(pods: &[&'a Pod], related: &[&Pod], now: Timestamp) -> ScaleDown<'a> {
        let node = |p: &Pod| -> String {
            p.spec
                .as_ref()
                .and_then(|s| s.node_name.clone())
                .unwrap_or_default()
        };
        let mut ids: BTreeMap<String, usize> = BTreeMap::new();
        let node_of: Vec<usize> = pods
            .iter()
            .map(|p| {
                let n = ids.len();
                *ids.entry(node(p)).or_insert(n)
            })
            .collect();
        let mut rank = vec![0; ids.len()];
        let mut active_related: BTreeSet<&str> = BTreeSet::new();
        for p in related.iter().filter(|p| podutil::is_pod_active(p)) {
            if let Some(&id) = ids.get(&node(p)) {
                rank[id] += 1;
            }
            active_related.insert(p.metadata.name.as_deref().unwrap_or(""));
        }
        let in_rank = pods
            .iter()
            .map(|p| {
                podutil::is_pod_active(p)
                    && active_related.contains(p.metadata.name.as_deref().unwrap_or(""))
            })
            .collect();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
        for (i, &n) in node_of.iter().enumerate() {
            members[n].push(i);
        }
        let nodes = members
            .into_iter()
            .map(|m| {
                // One rank for the whole node: the order within it is the comparator's
                // without rule 5.
                let order = podutil::merge_sort_indices(m.len(), |i, j| {
                    count_comparison();
                    let (a, b) = (pods[m[i]], pods[m[j]]);
                    podutil::compare_active_pods_with_ranks(a, 0, b, 0, now)
                        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
                        .then(m[i].cmp(&m[j]))
                });
                (order.into_iter().map(|k| m[k]).collect(), 0)
            })
            .collect();
        ScaleDown {
            pods: pods.to_vec(),
            now,
            nodes,
            node_of,
            rank,
            in_rank,
            deleted: vec![false; pods.len()],
            remaining: pods.len(),
        }
    }

    /// How many pods are not deleted yet.
    pub fn remaining(&self) -> usize {
        self.remaining
    }

    fn head(&self, node: usize) -> Option<Head<'a>> {
        let (order, gone) = &self.nodes[node];
        let &index = order.get(*gone)?;
        Some(Head {
            pod: self.pods[index],
            rank: self.rank[node],
            index,
            node,
            now: self.now,
        })
    }

    /// The next `n` pods to delete (indices into the pods given to [`Self::new`]), as
    /// [`get_pods_to_delete`] picks them among the pods not deleted yet; they count as
    /// deleted afterwards (no longer active: their nodes rank lower).
    pub fn next_batch(&mut self, n: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(n.min(self.remaining));
        if n >= self.remaining {
            // Every pod left, in input order (upstream takes them unsorted).
            out.extend((0..self.pods.len()).filter(|&i| !self.deleted[i]));
        } else {
            // The ranks stay as they were when the batch began (upstream ranks once per sync).
            let mut heap: std::collections::BinaryHeap<Head<'a>> =
                (0..self.nodes.len()).filter_map(|k| self.head(k)).collect();
            while out.len() < n {
                let Some(h) = heap.pop() else { break };
                out.push(h.index);
                self.nodes[h.node].1 += 1;
                if let Some(next) = self.head(h.node) {
                    heap.push(Head {
                        rank: h.rank,
                        ..next
                    });
                }
            }
        }
        self.remove(&out);
        out
    }

    /// Counts `batch` (indices into the pods given to [`Self::new`]) as deleted: a batch
    /// picked elsewhere ([`get_pods_to_delete`] for a sync's first), or by
    /// [`Self::next_batch`].
    pub fn remove(&mut self, batch: &[usize]) {
        for &i in batch {
            if std::mem::replace(&mut self.deleted[i], true) {
                continue;
            }
            self.remaining -= 1;
            if self.in_rank[i] {
                self.rank[self.node_of[i]] -= 1;
            }
        }
        // Move each node's front past its deleted pods.
        for (order, gone) in &mut self.nodes {
            while order.get(*gone).is_some_and(|&i| self.deleted[i]) {
                *gone += 1;
            }
        }
    }
}

/// `getIndirectlyRelatedPods`: the pods selected by every set in `all_sets` that has the
/// same controller as `rs` (normally `rs` itself is in `all_sets`), deduplicated by UID.
/// This is the `related_pods` input of [`sync`]. It is empty when `rs` has no
/// controller. Sets with an invalid selector are skipped.
pub fn indirectly_related_pods<'a>(
    rs: &RsLike,
    all_sets: &[&RsLike],
    pods_in_namespace: &[&'a Pod],
) -> Vec<&'a Pod> {
    let Some(owner) = rs.controller_uid.as_deref() else {
        return Vec::new();
    };
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for set in all_sets
        .iter()
        .filter(|s| s.controller_uid.as_deref() == Some(owner))
    {
        let Ok(Some(selector)) = set.build_selector() else {
            continue;
        };
        for &pod in pods_in_namespace {
            if pod
                .metadata
                .namespace
                .as_deref()
                .is_some_and(|ns| ns != set.namespace)
            {
                continue;
            }
            if !selector.matches(labels(pod)) {
                continue;
            }
            let key = pod
                .metadata
                .uid
                .clone()
                .unwrap_or_else(|| format!("name:{}", pod_name(pod)));
            if seen.insert(key) {
                out.push(pod);
            }
        }
    }
    out
}

/// Slow-start batch sizes for creating `count` pods: 1, 2, 4, … (each batch at most
/// twice the previous one and at most the remainder).
pub fn slow_start_batches(count: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut remaining = count;
    let mut size = remaining.min(1);
    while size > 0 {
        out.push(size);
        remaining -= size;
        size = (2 * size).min(remaining);
    }
    out
}

/// Applies an adoption to a pod object: strategic-merge our controllerRef into
/// `ownerReferences`, keyed by UID (an existing entry with our UID is replaced, or the
/// ref is appended). Returns an error if the pod already has a different controller,
/// which the API server's validation would reject.
pub fn adopt_pod(pod: &mut Pod, rs: &RsLike) -> Result<(), String> {
    let ours = rs.controller_ref();
    let refs = pod.metadata.owner_references.get_or_insert_with(Vec::new);
    if refs
        .iter()
        .any(|r| r.controller == Some(true) && r.uid != ours.uid)
    {
        return Err("Only one reference can have Controller set to true".to_string());
    }
    match refs.iter_mut().find(|r| r.uid == ours.uid) {
        Some(r) => *r = ours,
        None => refs.push(ours),
    }
    Ok(())
}

/// Applies a release to a pod object: removes every ownerReference with our UID.
pub fn release_pod(pod: &mut Pod, rs: &RsLike) {
    if let Some(refs) = pod.metadata.owner_references.as_mut() {
        refs.retain(|r| r.uid != rs.uid);
        if refs.is_empty() {
            pod.metadata.owner_references = None;
        }
    }
}

/// The pod-update handler's delayed requeue: when a pod owned by `rs` turns Ready and
/// `minReadySeconds > 0`, requeue the set after `minReadySeconds + 1s`.
pub fn requeue_after_pod_update(rs: &RsLike, old: &Pod, new: &Pod) -> Option<SignedDuration> {
    (!podutil::is_pod_ready(old) && podutil::is_pod_ready(new) && rs.min_ready_seconds > 0)
        .then(|| SignedDuration::from_secs(i64::from(rs.min_ready_seconds) + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::ReplicaSetSpec;
    use k8s_openapi::api::core::v1::{
        Container, PodCondition, PodSpec, PodStatus, ReplicationControllerSpec,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use serde_json::json;

    const RS_UID: &str = "rs-uid";

    fn now() -> Timestamp {
        "2024-03-15T12:00:00Z".parse().unwrap()
    }

    fn map(kv: &[(&str, &str)]) -> BTreeMap<String, String> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Upstream `newReplicaSet`: template labels name=foo,type=production.
    fn new_rs(replicas: i32, selector: &[(&str, &str)]) -> ReplicaSet {
        ReplicaSet {
            metadata: ObjectMeta {
                name: Some("foobar".into()),
                namespace: Some("default".into()),
                uid: Some(RS_UID.into()),
                generation: Some(1),
                owner_references: Some(vec![OwnerReference {
                    uid: "123".into(),
                    controller: Some(true),
                    ..Default::default()
                }]),
                ..Default::default()
            },
            spec: Some(ReplicaSetSpec {
                replicas: Some(replicas),
                selector: LabelSelector {
                    match_labels: Some(map(selector)),
                    match_expressions: None,
                },
                template: Some(PodTemplateSpec {
                    metadata: Some(ObjectMeta {
                        labels: Some(map(&[("name", "foo"), ("type", "production")])),
                        ..Default::default()
                    }),
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            name: "c".into(),
                            image: Some("foo/bar".into()),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }),
                }),
                min_ready_seconds: None,
            }),
            status: None,
        }
    }

    /// Upstream `newPod`: Running pods get a Ready=True condition.
    fn new_pod(name: &str, phase: &str, labels: &[(&str, &str)], owned: bool) -> Pod {
        let conditions = (phase == "Running").then(|| {
            vec![PodCondition {
                type_: "Ready".into(),
                status: "True".into(),
                ..Default::default()
            }]
        });
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                uid: Some(format!("uid-{name}")),
                labels: Some(map(labels)),
                owner_references: owned.then(|| {
                    vec![OwnerReference {
                        api_version: "apps/v1".into(),
                        kind: "ReplicaSet".into(),
                        name: "foobar".into(),
                        uid: RS_UID.into(),
                        controller: Some(true),
                        ..Default::default()
                    }]
                }),
                ..Default::default()
            },
            spec: Some(PodSpec::default()),
            status: Some(PodStatus {
                phase: Some(phase.into()),
                conditions,
                ..Default::default()
            }),
        }
    }

    fn with_node(mut p: Pod, node: &str) -> Pod {
        p.spec.as_mut().unwrap().node_name = Some(node.into());
        p
    }

    fn with_ready(mut p: Pod, ready: bool, since: Option<&str>) -> Pod {
        p.status.as_mut().unwrap().conditions = Some(vec![PodCondition {
            type_: "Ready".into(),
            status: if ready { "True" } else { "False" }.into(),
            last_transition_time: since.map(|s| Time(s.parse().unwrap())),
            ..Default::default()
        }]);
        p
    }

    fn refs(pods: &[Pod]) -> Vec<&Pod> {
        pods.iter().collect()
    }

    fn rs_status(plan: &RsPlan) -> &ReplicaSetStatus {
        match plan.status.as_ref().expect("status") {
            RsStatus::ReplicaSet(s) => s,
            other => panic!("unexpected {other:?}"),
        }
    }

    const FOO_BAR: &[(&str, &str)] = &[("foo", "bar")];

    /// `n` owned pods spread over `nodes` nodes (a few unscheduled), in varied states:
    /// pending, ready at different times, restarted, created at different times.
    fn mixed_pods(n: usize, nodes: usize) -> Vec<Pod> {
        (0..n)
            .map(|i| {
                let h = (i * 7919 + 13) % 97;
                let name = format!("p{i:05}");
                let mut p = if h % 11 == 0 {
                    new_pod(&name, "Pending", FOO_BAR, true)
                } else {
                    // Distinct times: equal ones make the comparator a non-strict order.
                    let since = format!(
                        "2024-03-15T{:02}:{:02}:{:02}Z",
                        1 + h % 10,
                        i / 60 % 60,
                        i % 60
                    );
                    with_ready(
                        new_pod(&name, "Running", FOO_BAR, true),
                        h % 5 != 0,
                        Some(&since),
                    )
                };
                let created = format!(
                    "2024-03-{:02}T00:{:02}:{:02}Z",
                    1 + h % 14,
                    i / 60 % 60,
                    i % 60
                );
                p.metadata.creation_timestamp = Some(Time(created.parse().unwrap()));
                p.status.as_mut().unwrap().container_statuses =
                    Some(vec![k8s_openapi::api::core::v1::ContainerStatus {
                        restart_count: (h % 3) as i32,
                        ..Default::default()
                    }]);
                if h % 13 == 0 {
                    p
                } else {
                    with_node(p, &format!("node-{}", (i * 31 + h) % nodes))
                }
            })
            .collect()
    }

    /// Upstream's successive syncs as they were computed before [`ScaleDown`]: each ranks
    /// every pod left (relatedPods = all of them, the deleted ones no longer active) and
    /// deletes the first `burst`.
    fn naive_batches(pods: &[Pod], total: usize, burst: usize) -> Vec<Vec<usize>> {
        let mut deleted = vec![false; pods.len()];
        let mut out = Vec::new();
        let mut left = total;
        while left > 0 {
            let live: Vec<usize> = (0..pods.len()).filter(|&i| !deleted[i]).collect();
            let live_refs: Vec<&Pod> = live.iter().map(|&i| &pods[i]).collect();
            let n = left.min(burst);
            let batch: Vec<usize> = if n < live.len() {
                let ranks = ranks_by_related_pods_on_same_node(&live_refs, &live_refs);
                let mut order = podutil::rank_pods_for_deletion(&live_refs, &ranks, now());
                order.truncate(n);
                order.into_iter().map(|k| live[k]).collect()
            } else {
                live.clone()
            };
            for &i in &batch {
                deleted[i] = true;
            }
            left -= batch.len();
            out.push(batch);
        }
        out
    }

    /// Guards that the scale-down ranking kept per node picks, batch after batch, exactly
    /// the pods upstream's successive syncs pick (each ranking every pod left).
    #[test]
    fn scale_down_batches_match_ranking_every_pod_again() {
        for (n, nodes, total, burst) in [
            (300, 7, 290, 40),
            (120, 3, 120, 50),
            (257, 20, 200, 9),
            (64, 1, 63, 10),
        ] {
            let pods = mixed_pods(n, nodes);
            let r = refs(&pods);
            let mut down = ScaleDown::new(&r, &r, now());
            let mut left = total;
            let mut got = Vec::new();
            while left > 0 {
                let b = down.next_batch(left.min(burst));
                left -= b.len();
                got.push(b);
            }
            assert_eq!(
                got,
                naive_batches(&pods, total, burst),
                "{n} pods on {nodes} nodes"
            );
        }
    }

    fn comparisons_to_scale_down(n: usize) -> u64 {
        let pods = mixed_pods(n, 50);
        let r = refs(&pods);
        COMPARISONS.with(|c| c.set(0));
        let mut down = ScaleDown::new(&r, &r, now());
        while down.remaining() > 0 {
            down.next_batch(BURST_REPLICAS);
        }
        COMPARISONS.with(|c| c.get())
    }

    /// Guards that a scale-down to zero costs O(N log N) comparisons, not N/500 full sorts
    /// (O(N²)): twice the pods may cost at most 2.4× the comparisons (a full sort per
    /// batch costs 4×). Counts work, not the clock.
    #[test]
    fn scale_down_work_grows_linearly() {
        let (a, b) = (
            comparisons_to_scale_down(10_000),
            comparisons_to_scale_down(20_000),
        );
        assert!(a > 10_000, "{a}");
        assert!(
            (b as f64) < 2.4 * a as f64,
            "10,000 pods: {a} comparisons; 20,000: {b}"
        );
    }

    #[test]
    fn does_nothing_when_in_sync() {
        // TestSyncReplicaSetDoesNothing.
        let mut rs = RsLike::from_rs(&new_rs(2, FOO_BAR));
        let pods = [
            new_pod("pod0", "Running", FOO_BAR, true),
            new_pod("pod1", "Running", FOO_BAR, true),
        ];
        let plan = sync(&rs, &refs(&pods), &refs(&pods), now());
        assert!(plan.adopt.is_empty() && plan.release.is_empty());
        assert!(plan.create.is_empty() && plan.delete.is_empty());
        // First sync writes the status (observedGeneration moves).
        let s = rs_status(&plan).clone();
        assert_eq!(
            RsStatus::ReplicaSet(s.clone()).to_value(),
            json!({"replicas": 2, "readyReplicas": 2, "availableReplicas": 2, "observedGeneration": 1})
        );
        // Second sync with that status: nothing at all.
        rs.status = s;
        let plan = sync(&rs, &refs(&pods), &refs(&pods), now());
        assert_eq!(
            plan,
            RsPlan {
                counts: plan.counts,
                ..RsPlan::default()
            }
        );
    }

    #[test]
    fn scale_up_from_zero() {
        let rs = RsLike::from_rs(&new_rs(3, &[("name", "foo")]));
        let plan = sync(&rs, &[], &[], now());
        assert_eq!(plan.create.len(), 3);
        let v = serde_json::to_value(&plan.create[0]).unwrap();
        assert_eq!(
            v["metadata"],
            json!({
                "generateName": "foobar-",
                "namespace": "default",
                "labels": {"name": "foo", "type": "production"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "foobar",
                    "uid": RS_UID, "controller": true, "blockOwnerDeletion": true}]
            })
        );
        assert_eq!(v["spec"]["containers"][0]["image"], "foo/bar");
        assert_eq!(
            plan.status.as_ref().unwrap().to_value(),
            json!({"replicas": 0, "observedGeneration": 1})
        );
        assert_eq!(plan.requeue_after, None);
    }

    #[test]
    fn burst_cap() {
        let rs = RsLike::from_rs(&new_rs(600, FOO_BAR));
        let plan = sync(&rs, &[], &[], now());
        assert_eq!(plan.create.len(), BURST_REPLICAS);
        let pods: Vec<Pod> = (0..700)
            .map(|i| new_pod(&format!("p{i:03}"), "Running", FOO_BAR, true))
            .collect();
        let rs = RsLike::from_rs(&new_rs(100, FOO_BAR));
        let plan = sync(&rs, &refs(&pods), &refs(&pods), now());
        assert_eq!(plan.delete.len(), BURST_REPLICAS);
    }

    #[test]
    fn ignores_pods_controlled_by_others() {
        // TestDoNotPatchPodWithOtherControlRef: 2 creates, no patches.
        let rs = RsLike::from_rs(&new_rs(2, FOO_BAR));
        let mut pod = new_pod("pod", "Running", FOO_BAR, true);
        pod.metadata.owner_references.as_mut().unwrap()[0].uid = "other".into();
        let plan = sync(&rs, &[&pod], &[], now());
        assert!(plan.adopt.is_empty() && plan.release.is_empty());
        assert_eq!(plan.create.len(), 2);
    }

    #[test]
    fn adopts_matching_orphans() {
        // TestPatchPodFails setup: two matching orphans -> two adoption patches, no creates.
        let rs = RsLike::from_rs(&new_rs(2, FOO_BAR));
        let pods = [
            new_pod("pod1", "Running", FOO_BAR, false),
            new_pod("pod2", "Running", FOO_BAR, false),
            new_pod("other", "Running", &[("foo", "baz")], false),
        ];
        let plan = sync(&rs, &refs(&pods), &[], now());
        assert_eq!(plan.adopt, ["pod1", "pod2"]);
        assert!(plan.create.is_empty() && plan.delete.is_empty());
        assert_eq!(rs_status(&plan).replicas, 2);

        let mut p = pods[0].clone();
        adopt_pod(&mut p, &rs).unwrap();
        assert_eq!(p.metadata.owner_references, Some(vec![rs.controller_ref()]));
        let mut q = new_pod("q", "Running", FOO_BAR, true);
        q.metadata.owner_references.as_mut().unwrap()[0].uid = "other".into();
        assert!(adopt_pod(&mut q, &rs).is_err());
    }

    #[test]
    fn no_adoption_or_creation_while_deleting() {
        // TestDoNotAdoptOrCreateIfBeingDeleted.
        let mut rs = new_rs(2, FOO_BAR);
        rs.metadata.deletion_timestamp = Some(Time(now()));
        let rs = RsLike::from_rs(&rs);
        let pods = [
            new_pod("pod1", "Running", FOO_BAR, false),
            new_pod("stale", "Running", &[("foo", "no")], true),
        ];
        let plan = sync(&rs, &refs(&pods), &[], now());
        assert!(plan.adopt.is_empty() && plan.release.is_empty());
        assert!(plan.create.is_empty() && plan.delete.is_empty());
        // Status is still computed (0 claimed).
        assert_eq!(rs_status(&plan).replicas, 0);
    }

    #[test]
    fn releases_pods_whose_labels_changed() {
        let rs = RsLike::from_rs(&new_rs(1, FOO_BAR));
        let pods = [new_pod("pod1", "Running", &[("foo", "changed")], true)];
        let plan = sync(&rs, &refs(&pods), &[], now());
        assert_eq!(plan.release, ["pod1"]);
        assert_eq!(plan.create.len(), 1);
        let mut p = pods[0].clone();
        release_pod(&mut p, &rs);
        assert_eq!(p.metadata.owner_references, None);
    }

    #[test]
    fn terminating_and_finished_pods_do_not_count() {
        let rs = RsLike::from_rs(&new_rs(2, FOO_BAR));
        let mut terminating = new_pod("a", "Running", FOO_BAR, true);
        terminating.metadata.deletion_timestamp = Some(Time(now()));
        let done = new_pod("b", "Succeeded", FOO_BAR, true);
        let failed_orphan = new_pod("c", "Failed", FOO_BAR, false);
        let live = new_pod("d", "Running", FOO_BAR, true);
        let pods = [terminating, done, failed_orphan, live];
        let plan = sync(&rs, &refs(&pods), &[], now());
        assert!(plan.adopt.is_empty());
        assert_eq!(plan.create.len(), 1);
        assert_eq!(rs_status(&plan).replicas, 1);
    }

    #[test]
    fn scale_down_prefers_unscheduled_not_ready_newest() {
        let rs = RsLike::from_rs(&new_rs(1, FOO_BAR));
        let ready_old = with_ready(
            with_node(new_pod("ready-old", "Running", FOO_BAR, true), "n1"),
            true,
            Some("2024-03-01T00:00:00Z"),
        );
        let ready_new = with_ready(
            with_node(new_pod("ready-new", "Running", FOO_BAR, true), "n2"),
            true,
            Some("2024-03-15T11:59:00Z"),
        );
        let not_ready = with_ready(
            with_node(new_pod("not-ready", "Running", FOO_BAR, true), "n1"),
            false,
            None,
        );
        let unscheduled = new_pod("unscheduled", "Pending", FOO_BAR, true);
        let pods = [ready_old, ready_new, not_ready, unscheduled];
        let plan = sync(&rs, &refs(&pods), &[], now());
        assert_eq!(plan.delete, ["unscheduled", "not-ready", "ready-new"]);
        // Scale to zero: all, in input order (no sorting upstream).
        let rs0 = RsLike::from_rs(&new_rs(0, FOO_BAR));
        let plan = sync(&rs0, &refs(&pods), &[], now());
        assert_eq!(
            plan.delete,
            ["ready-old", "ready-new", "not-ready", "unscheduled"]
        );
    }

    /// Port of `TestGetPodsToDelete`.
    #[test]
    fn get_pods_to_delete_vectors() {
        let l = &[("name", "foo")];
        let unscheduled_pending = new_pod("unscheduled-pending-pod", "Pending", l, true);
        let scheduled_pending = with_node(
            new_pod("scheduled-pending-pod", "Pending", l, true),
            "fake-node",
        );
        let not_ready = with_ready(
            with_node(
                new_pod("scheduled-running-not-ready-pod", "Running", l, true),
                "fake-node",
            ),
            false,
            None,
        );
        let ready1 = with_ready(
            with_node(
                new_pod("scheduled-running-ready-pod-on-node-1", "Running", l, true),
                "fake-node-1",
            ),
            true,
            None,
        );
        let ready2 = with_ready(
            with_node(
                new_pod("scheduled-running-ready-pod-on-node-2", "Running", l, true),
                "fake-node-2",
            ),
            true,
            None,
        );
        type Case<'a> = (Vec<&'a Pod>, Option<Vec<&'a Pod>>, usize, Vec<&'a Pod>);
        let cases: Vec<Case> = vec![
            (vec![], None, 0, vec![]),
            (
                vec![&not_ready, &ready1],
                None,
                2,
                vec![&not_ready, &ready1],
            ),
            (vec![&ready1, &not_ready], None, 1, vec![&not_ready]),
            (
                vec![
                    &ready1,
                    &ready1,
                    &ready2,
                    &not_ready,
                    &scheduled_pending,
                    &unscheduled_pending,
                ],
                None,
                6,
                vec![
                    &ready1,
                    &ready1,
                    &ready2,
                    &not_ready,
                    &scheduled_pending,
                    &unscheduled_pending,
                ],
            ),
            (
                vec![
                    &ready1,
                    &ready1,
                    &ready2,
                    &not_ready,
                    &scheduled_pending,
                    &unscheduled_pending,
                ],
                Some(vec![]),
                6,
                vec![
                    &ready1,
                    &ready1,
                    &ready2,
                    &not_ready,
                    &scheduled_pending,
                    &unscheduled_pending,
                ],
            ),
            (
                vec![&scheduled_pending, &unscheduled_pending],
                None,
                1,
                vec![&unscheduled_pending],
            ),
            (
                vec![&ready1, &not_ready, &not_ready],
                None,
                2,
                vec![&not_ready, &not_ready],
            ),
            (
                vec![&ready1, &ready2],
                Some(vec![&ready1, &ready2, &ready2]),
                1,
                vec![&ready2],
            ),
            (
                vec![&scheduled_pending, &not_ready],
                None,
                1,
                vec![&scheduled_pending],
            ),
            (
                vec![
                    &ready1,
                    &ready2,
                    &not_ready,
                    &scheduled_pending,
                    &unscheduled_pending,
                ],
                None,
                3,
                vec![&unscheduled_pending, &scheduled_pending, &not_ready],
            ),
        ];
        for (i, (pods, related, diff, want)) in cases.into_iter().enumerate() {
            let related = related.unwrap_or_else(|| pods.clone());
            let got: Vec<&str> = get_pods_to_delete(&pods, &related, diff, now())
                .into_iter()
                .map(|j| pods[j].metadata.name.as_deref().unwrap())
                .collect();
            let want: Vec<&str> = want
                .iter()
                .map(|p| p.metadata.name.as_deref().unwrap())
                .collect();
            assert_eq!(got, want, "case {i}");
        }
    }

    #[test]
    fn status_counts_with_min_ready_seconds() {
        let mut rs = new_rs(3, FOO_BAR);
        rs.spec.as_mut().unwrap().min_ready_seconds = Some(10);
        rs.spec
            .as_mut()
            .unwrap()
            .template
            .as_mut()
            .unwrap()
            .metadata = Some(ObjectMeta {
            labels: Some(map(&[("foo", "bar"), ("extra", "x")])),
            ..Default::default()
        });
        let rs = RsLike::from_rs(&rs);
        let full = &[("foo", "bar"), ("extra", "x")];
        let pods = [
            with_ready(
                new_pod("a", "Running", full, true),
                true,
                Some("2024-03-15T11:59:55Z"),
            ),
            with_ready(
                new_pod("b", "Running", full, true),
                true,
                Some("2024-03-15T11:59:40Z"),
            ),
            with_ready(
                new_pod("c", "Running", FOO_BAR, true),
                true,
                Some("2024-03-15T11:59:50Z"),
            ),
        ];
        let plan = sync(&rs, &refs(&pods), &[], now());
        // c: 11:59:50 + 10s is not strictly before 12:00:00 -> not available.
        assert_eq!(
            plan.counts,
            ReplicaCounts {
                replicas: 3,
                fully_labeled: 2,
                ready: 3,
                available: 1
            }
        );
        assert_eq!(
            plan.status.as_ref().unwrap().to_value(),
            json!({"replicas": 3, "fullyLabeledReplicas": 2, "readyReplicas": 3,
                   "availableReplicas": 1, "observedGeneration": 1})
        );
        assert_eq!(plan.requeue_after, Some(SignedDuration::from_secs(10)));
        // Not all ready -> no requeue.
        let plan = sync(&rs, &refs(&pods[..2]), &[], now());
        assert_eq!(plan.requeue_after, None);
        assert_eq!(plan.create.len(), 1);
        // Pod-update handler requeue.
        let before = with_ready(new_pod("a", "Running", full, true), false, None);
        assert_eq!(
            requeue_after_pod_update(&rs, &before, &pods[0]),
            Some(SignedDuration::from_secs(11))
        );
        assert_eq!(requeue_after_pod_update(&rs, &pods[0], &pods[0]), None);
    }

    #[test]
    fn replica_failure_condition() {
        let mut rs = RsLike::from_rs(&new_rs(2, FOO_BAR));
        let plan = sync(&rs, &[], &[], now());
        let (status, requeue) = plan.finish(
            &rs,
            Some("pods \"foobar-x\" is forbidden: exceeded quota"),
            now(),
        );
        assert_eq!(requeue, None);
        let status = status.unwrap();
        assert_eq!(
            status.to_value(),
            json!({"replicas": 0, "observedGeneration": 1, "conditions": [{
                "type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                "message": "pods \"foobar-x\" is forbidden: exceeded quota",
                "lastTransitionTime": "2024-03-15T12:00:00Z"}]})
        );
        // An existing failure condition is kept as is while errors continue...
        let RsStatus::ReplicaSet(s) = status else {
            unreachable!()
        };
        rs.status = s;
        let (again, _) = plan.finish(&rs, Some("other error"), now());
        assert_eq!(again, None);
        // ...and removed on the first error-free sync.
        let plan = sync(&rs, &[], &[], now());
        assert_eq!(
            plan.status.unwrap().to_value(),
            json!({"replicas": 0, "observedGeneration": 1})
        );
        // Too many pods -> FailedDelete.
        let rs1 = RsLike::from_rs(&new_rs(0, FOO_BAR));
        let pods = [new_pod("p", "Running", FOO_BAR, true)];
        let plan = sync(&rs1, &refs(&pods), &[], now());
        assert_eq!(plan.delete, ["p"]);
        let (s, _) = plan.finish(&rs1, Some(&delete_error_message("boom")), now());
        let v = s.unwrap().to_value();
        assert_eq!(v["conditions"][0]["reason"], "FailedDelete");
        assert_eq!(v["conditions"][0]["message"], "unable to delete pods: boom");
    }

    #[test]
    fn template_without_labels_is_a_manage_error() {
        let mut rs = new_rs(1, FOO_BAR);
        rs.spec
            .as_mut()
            .unwrap()
            .template
            .as_mut()
            .unwrap()
            .metadata = None;
        let rs = RsLike::from_rs(&rs);
        let plan = sync(&rs, &[], &[], now());
        assert!(plan.create.is_empty());
        assert_eq!(
            plan.manage_error.as_deref(),
            Some("unable to create pods, no labels")
        );
        let v = plan.status.unwrap().to_value();
        assert_eq!(v["conditions"][0]["reason"], "FailedCreate");
        assert_eq!(plan.requeue_after, None);
    }

    #[test]
    fn invalid_or_missing_selector() {
        let mut rs = new_rs(1, FOO_BAR);
        rs.spec.as_mut().unwrap().selector.match_expressions = Some(vec![
            k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement {
                key: "k".into(),
                operator: "Bogus".into(),
                values: None,
            },
        ]);
        let plan = sync(&RsLike::from_rs(&rs), &[], &[], now());
        assert!(plan.invalid_selector.is_some());
        assert!(plan.create.is_empty() && plan.status.is_none());
        // A ReplicaSet without spec: nil selector matches nothing, replicas default 1.
        let bare = ReplicaSet {
            metadata: ObjectMeta {
                name: Some("bare".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let r = RsLike::from_rs(&bare);
        assert_eq!(r.replicas, 1);
        let pods = [new_pod("p", "Running", FOO_BAR, false)];
        let plan = sync(&r, &refs(&pods), &[], now());
        assert!(plan.adopt.is_empty());
        assert_eq!(
            plan.manage_error.as_deref(),
            Some("unable to create pods, no labels")
        );
    }

    #[test]
    fn replication_controller_adapter() {
        let rc = ReplicationController {
            metadata: ObjectMeta {
                name: Some("web".into()),
                namespace: Some("ns".into()),
                uid: Some("rc-uid".into()),
                generation: Some(2),
                ..Default::default()
            },
            spec: Some(ReplicationControllerSpec {
                replicas: Some(2),
                selector: None, // defaulted from the template labels
                template: Some(PodTemplateSpec {
                    metadata: Some(ObjectMeta {
                        labels: Some(map(&[("app", "web")])),
                        ..Default::default()
                    }),
                    spec: Some(PodSpec::default()),
                }),
                min_ready_seconds: None,
            }),
            status: Some(ReplicationControllerStatus {
                replicas: 1,
                observed_generation: Some(1),
                ..Default::default()
            }),
        };
        let rs = RsLike::from_rc(&rc);
        assert_eq!(rs.kind, RsKind::ReplicationController);
        assert_eq!(rs.kind.event_component(), "replication-controller");
        assert_eq!(
            rs.selector,
            Some(LabelSelector {
                match_labels: Some(map(&[("app", "web")])),
                match_expressions: None
            })
        );
        let mut orphan = new_pod("web-a", "Running", &[("app", "web")], false);
        orphan.metadata.namespace = Some("ns".into());
        let mut elsewhere = new_pod("web-b", "Running", &[("app", "web")], false);
        elsewhere.metadata.namespace = Some("other".into());
        let plan = sync(&rs, &[&orphan, &elsewhere], &[], now());
        assert_eq!(plan.adopt, ["web-a"]);
        assert_eq!(plan.create.len(), 1);
        let v = serde_json::to_value(&plan.create[0]).unwrap();
        assert_eq!(
            v["metadata"]["ownerReferences"],
            json!([{"apiVersion": "v1", "kind": "ReplicationController", "name": "web",
                    "uid": "rc-uid", "controller": true, "blockOwnerDeletion": true}])
        );
        assert_eq!(v["metadata"]["generateName"], "web-");
        match plan.status.unwrap() {
            RsStatus::ReplicationController(s) => {
                assert_eq!(s.replicas, 1);
                assert_eq!(s.ready_replicas, Some(1));
                assert_eq!(s.observed_generation, Some(2));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn related_pods_lookup() {
        // TestRelatedPodsLookup.
        let mk = |name: &str, sel: &str, owner: &str| {
            let mut r = new_rs(1, &[("foo", sel)]);
            r.metadata.name = Some(name.into());
            r.metadata.uid = Some(format!("uid-{name}"));
            r.metadata.owner_references.as_mut().unwrap()[0].uid = owner.into();
            RsLike::from_rs(&r)
        };
        let some = mk("foo1", "bar", "123");
        let related = mk("foo2", "baz", "123");
        let unrelated = mk("bar1", "quux", "456");
        let pods = [
            new_pod("pod1", "Running", &[("foo", "bar")], true),
            new_pod("pod2", "Running", &[("foo", "bar")], true),
            new_pod("pod3", "Running", &[("foo", "baz")], true),
            new_pod("pod4", "Running", &[("foo", "quux")], true),
        ];
        let names = |v: Vec<&Pod>| -> Vec<String> { v.iter().map(|p| pod_name(p)).collect() };
        assert_eq!(
            names(indirectly_related_pods(
                &some,
                &[&some, &unrelated],
                &refs(&pods)
            )),
            ["pod1", "pod2"]
        );
        assert_eq!(
            names(indirectly_related_pods(
                &some,
                &[&some, &related, &unrelated],
                &refs(&pods)
            )),
            ["pod1", "pod2", "pod3"]
        );
        let mut orphan_rs = some.clone();
        orphan_rs.controller_uid = None;
        assert!(indirectly_related_pods(&orphan_rs, &[&orphan_rs], &refs(&pods)).is_empty());
        // Ranks count active related pods per node.
        let a = with_node(pods[0].clone(), "n1");
        let b = with_node(pods[1].clone(), "n2");
        let c = with_node(pods[2].clone(), "n2");
        assert_eq!(
            ranks_by_related_pods_on_same_node(&[&a, &b], &[&a, &b, &c]),
            [1, 2]
        );
    }

    #[test]
    fn slow_start_batch_sizes() {
        assert_eq!(slow_start_batches(0), Vec::<usize>::new());
        assert_eq!(slow_start_batches(1), [1]);
        assert_eq!(slow_start_batches(10), [1, 2, 4, 3]);
        assert_eq!(slow_start_batches(500), [1, 2, 4, 8, 16, 32, 64, 128, 245]);
    }

    #[test]
    fn events() {
        let cases = [
            (
                RsEvent::SuccessfulCreate {
                    pod: "web-abcde".into(),
                },
                "Normal",
                "SuccessfulCreate",
                "Created pod: web-abcde",
            ),
            (
                RsEvent::FailedCreate {
                    error: "boom".into(),
                },
                "Warning",
                "FailedCreate",
                "Error creating: boom",
            ),
            (
                RsEvent::SuccessfulDelete {
                    pod: "web-abcde".into(),
                },
                "Normal",
                "SuccessfulDelete",
                "Deleted pod: web-abcde",
            ),
            (
                RsEvent::FailedDelete {
                    error: "boom".into(),
                },
                "Warning",
                "FailedDelete",
                "Error deleting: boom",
            ),
        ];
        for (e, t, r, m) in cases {
            assert_eq!(
                (e.event_type(), e.reason(), e.message().as_str()),
                (t, r, m)
            );
        }
    }
}
