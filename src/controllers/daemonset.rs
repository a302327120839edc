//! The DaemonSet controller (pkg/controller/daemon): one pod on every node that should run
//! one. A node should run the daemon pod when the template's `nodeName` (if any), its
//! `nodeSelector` and required node affinity match it and the pod, with the tolerations the
//! controller adds, tolerates its `NoSchedule`/`NoExecute` taints; a pod already there keeps
//! running unless an untolerated `NoExecute` taint says otherwise. Pods are pinned to their
//! node by a required node affinity on `metadata.name` and bound by the scheduler. A changed
//! template is a new ControllerRevision (`<ds>-<hash>`); `RollingUpdate` replaces the old pods
//! within `maxUnavailable` (delete, then create) or `maxSurge` (create, then delete);
//! `OnDelete` waits for you to delete them.
//!
//! The decisions are pure ([`node_should_run`], [`manage`], [`rolling_update`],
//! [`status_of`], [`rollout_status`]); [`DaemonSetController`] is the glue: it claims the pods,
//! builds the history (`constructHistory`), applies the plans through the API with the pod
//! control's events, trims the history and writes the status.

use super::history::{self, list_revisions, matches_revision, revision_data, revision_number};
use super::podutil::{
    controller_ref, is_pod_available, is_pod_ready, new_controller_ref, non_zero_time, phase,
    pod_from_template, pod_ready_condition,
};
use super::replicaset::{RsEvent, slow_start_batches};
use super::replication::{controller_of, write_owner_refs};
use super::{Controller, split_key};
use crate::api::Ptr;
use crate::api::errors::{ApiError, Reason};
use crate::api::kinds::KindInfo;
use crate::api::{Api, Change, DeleteOptions, Involved, Op, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds;
use crate::kinds::pod::node_affinity::node_affinity_allows;
use crate::kinds::pod::tolerated;
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetStatus};
use k8s_openapi::api::core::v1::{
    Affinity, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod,
    PodSpec, PodTemplateSpec, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

const COMPONENT: &str = "daemonset-controller";
/// `apps.DefaultDaemonSetUniqueLabelKey` (= `ControllerRevisionHashLabelKey`).
pub const HASH_LABEL: &str = "controller-revision-hash";
/// `extensions.DaemonSetTemplateGenerationKey`.
pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
/// `BurstReplicas`: creates and deletes per sync.
const BURST_REPLICAS: usize = 250;
/// The failed-pod back-off (`failedPodsBackoff`): 1 s doubling to 15 min.
const BACKOFF_INITIAL: SignedDuration = SignedDuration::from_secs(1);
const BACKOFF_MAX: SignedDuration = SignedDuration::from_secs(15 * 60);

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(Reason::InternalError, e.to_string())
}

fn ds_info() -> &'static KindInfo {
    &crate::kinds::daemonset::KIND
}

fn pod_info() -> &'static KindInfo {
    &crate::kinds::pod::KIND
}

fn cr_info() -> &'static KindInfo {
    &crate::kinds::controllerrevision::KIND
}

fn name(meta_name: &Option<String>) -> &str {
    meta_name.as_deref().unwrap_or("")
}

fn pod_name(p: &Pod) -> &str {
    name(&p.metadata.name)
}

fn ds_name(ds: &DaemonSet) -> &str {
    name(&ds.metadata.name)
}

fn node_name(n: &Node) -> &str {
    name(&n.metadata.name)
}

fn label<'a>(p: &'a Pod, key: &str) -> Option<&'a str> {
    p.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(key))
        .map(String::as_str)
}

fn min_ready_seconds(ds: &DaemonSet) -> i32 {
    ds.spec
        .as_ref()
        .and_then(|s| s.min_ready_seconds)
        .unwrap_or(0)
}

fn template(ds: &DaemonSet) -> PodTemplateSpec {
    ds.spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default()
}

fn strategy_type(ds: &DaemonSet) -> &str {
    ds.spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.type_.as_deref())
        .unwrap_or("RollingUpdate")
}

// ---------------------------------------------------------------------------
// Which nodes run a daemon pod (daemon_controller.go, util/daemonset_util.go)
// ---------------------------------------------------------------------------

/// `AddOrUpdateDaemonPodTolerations`: the tolerations every daemon pod gets, so node
/// problems neither evict it nor keep it off a node (operator `Exists`, no seconds).
pub fn add_daemon_tolerations(spec: &mut PodSpec) {
    let mut add = vec![
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if spec.host_network == Some(true) {
        add.push(("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    for (key, effect) in add {
        let t = Toleration {
            key: Some(key.into()),
            operator: Some("Exists".into()),
            effect: Some(effect.into()),
            ..Default::default()
        };
        add_or_update_toleration(spec, t);
    }
}

/// `AddOrUpdateTolerationInPodSpec`: a toleration with the same key, effect, operator and
/// value is replaced in place; otherwise the toleration is appended.
fn add_or_update_toleration(spec: &mut PodSpec, t: Toleration) {
    let list = spec.tolerations.get_or_insert_with(Vec::new);
    let same = |x: &Toleration| {
        x.key == t.key
            && x.effect == t.effect
            && x.operator.as_deref().unwrap_or("") == t.operator.as_deref().unwrap_or("")
            && x.value.as_deref().unwrap_or("") == t.value.as_deref().unwrap_or("")
    };
    match list.iter_mut().find(|x| same(x)) {
        Some(x) => *x = t,
        None => list.push(t),
    }
}

/// `NodeShouldRunDaemonPod`: (shouldRun, shouldContinueRunning) of the daemon pod on `node`.
/// Resources and ports are not looked at: the scheduler decides those (the pod may stay
/// Pending).
pub fn node_should_run(ds: &DaemonSet, node: &Node) -> (bool, bool) {
    let mut spec = template(ds).spec.unwrap_or_default();
    let name = node_name(node);
    if spec
        .node_name
        .as_deref()
        .is_some_and(|n| !n.is_empty() && n != name)
    {
        return (false, false);
    }
    add_daemon_tolerations(&mut spec);
    let empty = BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let affinity = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref());
    if !node_affinity_allows(spec.node_selector.as_ref(), affinity, labels, Some(name)) {
        return (false, false);
    }
    let tolerations = spec.tolerations.as_deref().unwrap_or(&[]);
    let taints: &[Taint] = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[]);
    let untolerated = |effects: &[&str]| {
        taints
            .iter()
            .any(|t| effects.contains(&t.effect.as_str()) && !tolerated(tolerations, t))
    };
    if untolerated(&["NoSchedule", "NoExecute"]) {
        return (false, !untolerated(&["NoExecute"]));
    }
    (true, true)
}

// ---------------------------------------------------------------------------
// Pods (CreatePodTemplate, ReplaceDaemonSetPodNodeNameNodeAffinity, GetTargetNodeName)
// ---------------------------------------------------------------------------

/// `GetTemplateGeneration`: the `deprecated.daemonset.template.generation` annotation.
pub fn template_generation(ds: &DaemonSet) -> Option<i64> {
    ds.metadata
        .annotations
        .as_ref()?
        .get(crate::kinds::daemonset::TEMPLATE_GENERATION)?
        .parse()
        .ok()
}

/// `CreatePodTemplate`: the template with the daemon tolerations and the
/// `pod-template-generation` and `controller-revision-hash` labels.
pub fn pod_template(ds: &DaemonSet, generation: Option<i64>, hash: &str) -> PodTemplateSpec {
    let mut t = template(ds);
    add_daemon_tolerations(t.spec.get_or_insert_with(Default::default));
    let labels = t
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default);
    if let Some(g) = generation {
        labels.insert(TEMPLATE_GENERATION_LABEL.into(), g.to_string());
    }
    if !hash.is_empty() {
        labels.insert(HASH_LABEL.into(), hash.into());
    }
    t
}

/// `ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node affinity becomes the one term
/// `metadata.name In [node]` (other affinity is kept).
pub fn pin_to_node(affinity: Option<Affinity>, node: &str) -> Affinity {
    let selector = NodeSelector {
        node_selector_terms: vec![NodeSelectorTerm {
            match_fields: Some(vec![NodeSelectorRequirement {
                key: "metadata.name".into(),
                operator: "In".into(),
                values: Some(vec![node.into()]),
            }]),
            ..Default::default()
        }],
    };
    let mut a = affinity.unwrap_or_default();
    let na = a.node_affinity.get_or_insert_with(NodeAffinity::default);
    na.required_during_scheduling_ignored_during_execution = Some(selector);
    a
}

/// A new daemon pod for `node` from the template made by [`pod_template`].
pub fn new_pod(ds: &DaemonSet, template: &PodTemplateSpec, node: &str) -> Pod {
    let owner = new_controller_ref(
        "apps/v1",
        "DaemonSet",
        ds_name(ds),
        ds.metadata.uid.as_deref().unwrap_or(""),
    );
    let mut pod = pod_from_template(template, ds_name(ds), &owner);
    let spec = pod.spec.get_or_insert_with(Default::default);
    spec.affinity = Some(pin_to_node(spec.affinity.take(), node));
    pod
}

/// `GetTargetNodeName`: the pod's node, or the node its `metadata.name` affinity pins it to.
pub fn target_node(pod: &Pod) -> Option<&str> {
    let spec = pod.spec.as_ref()?;
    if let Some(n) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        return Some(n);
    }
    let terms = &spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    terms
        .iter()
        .flat_map(|t| t.match_fields.iter().flatten())
        .find(|r| r.key == "metadata.name" && r.operator == "In")
        .and_then(|r| match r.values.as_deref() {
            Some([one]) => Some(one.as_str()),
            _ => None,
        })
}

/// `IsPodUpdated`: the pod carries the current hash or the current template generation.
pub fn is_pod_updated(pod: &Pod, hash: &str, generation: Option<i64>) -> bool {
    let gen_matches = generation
        .is_some_and(|g| label(pod, TEMPLATE_GENERATION_LABEL) == Some(g.to_string().as_str()));
    let hash_matches = !hash.is_empty() && label(pod, HASH_LABEL) == Some(hash);
    hash_matches || gen_matches
}

fn scheduled(p: &Pod) -> bool {
    p.spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty())
}

fn created(p: &Pod) -> Option<Timestamp> {
    non_zero_time(p.metadata.creation_timestamp.as_ref())
}

/// `podByCreationTimestampAndPhase`: scheduled pods first, then the oldest, then by name.
pub fn sort_pods(pods: &mut [&Pod]) {
    pods.sort_by(|a, b| {
        scheduled(b)
            .cmp(&scheduled(a))
            .then_with(|| created(a).cmp(&created(b)))
            .then_with(|| pod_name(a).cmp(pod_name(b)))
    });
}

fn terminating(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_some()
}

// ---------------------------------------------------------------------------
// manage (podsShouldBeOnNode, getUnscheduledPodsWithoutNode)
// ---------------------------------------------------------------------------

/// The daemon pods by the node they are on or pinned to (pods with neither are left out),
/// without deleted terminal pods (`getNodesToDaemonPods(ds, false)`).
pub fn pods_by_node(pods: &[Pod]) -> BTreeMap<String, Vec<&Pod>> {
    let mut out: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
    for p in pods {
        if terminating(p) && matches!(phase(p), "Succeeded" | "Failed") {
            continue;
        }
        if let Some(n) = target_node(p) {
            out.entry(n.to_string()).or_default().push(p);
        }
    }
    out
}

/// An Event the controller records on the DaemonSet.
#[derive(Debug, Clone, PartialEq)]
pub struct DsEvent {
    pub type_: &'static str,
    pub reason: &'static str,
    pub message: String,
}

/// What a pass decides: the nodes to create a pod on, the pods to delete, the events, and
/// the failed pods held back by the back-off (`(key, node)`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub create: Vec<String>,
    pub delete: Vec<String>,
    pub events: Vec<DsEvent>,
    /// Failed pods to delete, each under its back-off key; the glue drops those in back-off.
    pub failed: Vec<(String, String)>,
}

fn allows_surge(ds: &DaemonSet) -> bool {
    surge_count(ds, 1).is_ok_and(|n| n > 0)
}

fn rolling(ds: &DaemonSet) -> Option<&k8s_openapi::api::apps::v1::RollingUpdateDaemonSet> {
    if strategy_type(ds) != "RollingUpdate" {
        return None;
    }
    ds.spec
        .as_ref()?
        .update_strategy
        .as_ref()?
        .rolling_update
        .as_ref()
}

/// `SurgeCount`: `maxSurge` scaled to `n` (rounded up); 0 without a rolling update.
pub fn surge_count(ds: &DaemonSet, n: i32) -> Result<i32, String> {
    match rolling(ds).and_then(|r| r.max_surge.as_ref()) {
        Some(v) => super::deployment::util::scaled_value(v, n, true),
        None => Ok(0),
    }
}

/// `UnavailableCount`: `maxUnavailable` scaled to `n` (rounded up).
pub fn unavailable_count(ds: &DaemonSet, n: i32) -> Result<i32, String> {
    match rolling(ds) {
        Some(r) => super::deployment::util::scaled_value(
            r.max_unavailable.as_ref().unwrap_or(&IntOrString::Int(0)),
            n,
            true,
        ),
        None => Ok(0),
    }
}

/// `podsShouldBeOnNode` for one node: what to create and delete there.
fn pods_should_be_on_node(
    ds: &DaemonSet,
    node: &Node,
    on_node: Option<&Vec<&Pod>>,
    hash: &str,
    now: Timestamp,
    plan: &mut Plan,
) {
    let (should_run, should_continue) = node_should_run(ds, node);
    let nname = node_name(node);
    let ns = ds.metadata.namespace.as_deref().unwrap_or("");
    match on_node {
        None if should_run => plan.create.push(nname.to_string()),
        Some(pods) if should_continue => {
            let mut running: Vec<&Pod> = Vec::new();
            for p in pods.iter().copied().filter(|p| !terminating(p)) {
                match phase(p) {
                    "Failed" => {
                        let key = format!(
                            "{}/{}/{nname}",
                            ds.metadata.uid.as_deref().unwrap_or(""),
                            ds.status
                                .as_ref()
                                .and_then(|s| s.observed_generation)
                                .unwrap_or(0)
                        );
                        plan.failed.push((key, pod_name(p).to_string()));
                        plan.events.push(DsEvent {
                            type_: "Warning",
                            reason: "FailedDaemonPod",
                            message: format!(
                                "Found failed daemon pod {ns}/{} on node {nname}, will try to kill it",
                                pod_name(p)
                            ),
                        });
                    }
                    "Succeeded" => {
                        plan.events.push(DsEvent {
                            type_: "Normal",
                            reason: "SucceededDaemonPod",
                            message: format!(
                                "Found succeeded daemon pod {ns}/{} on node {nname}, will try to delete it",
                                pod_name(p)
                            ),
                        });
                        plan.delete.push(pod_name(p).to_string());
                    }
                    _ => running.push(p),
                }
            }
            sort_pods(&mut running);
            if !allows_surge(ds) {
                // Keep the oldest; delete the rest.
                plan.delete
                    .extend(running.iter().skip(1).map(|p| pod_name(p).to_string()));
                return;
            }
            if running.len() <= 1 {
                if running.is_empty() && should_run {
                    plan.create.push(nname.to_string());
                }
                return;
            }
            // Surging: keep the oldest new pod and the oldest old pod; the old one goes once
            // the new one is available (or at once when it is not ready).
            let (mut oldest_new, mut oldest_old): (Option<&Pod>, Option<&Pod>) = (None, None);
            for p in running {
                let slot = if label(p, HASH_LABEL) == Some(hash) {
                    &mut oldest_new
                } else {
                    &mut oldest_old
                };
                if slot.is_none() {
                    *slot = Some(p);
                } else {
                    plan.delete.push(pod_name(p).to_string());
                }
            }
            if let (Some(new), Some(old)) = (oldest_new, oldest_old)
                && (!is_pod_ready(old) || is_pod_available(new, min_ready_seconds(ds), now))
            {
                plan.delete.push(pod_name(old).to_string());
            }
        }
        Some(pods) if !should_continue => plan.delete.extend(
            pods.iter()
                .filter(|p| !terminating(p))
                .map(|p| pod_name(p).to_string()),
        ),
        _ => {}
    }
}

/// `manage`: the pods to create and delete so that every node that should run the daemon
/// pod runs exactly one (nodes in name order).
pub fn manage(
    ds: &DaemonSet,
    nodes: &[Node],
    by_node: &BTreeMap<String, Vec<&Pod>>,
    hash: &str,
    now: Timestamp,
) -> Plan {
    let mut plan = Plan::default();
    for node in nodes {
        pods_should_be_on_node(ds, node, by_node.get(node_name(node)), hash, now, &mut plan);
    }
    // Unscheduled pods pinned to nodes that no longer exist.
    for (n, pods) in by_node {
        if !nodes.iter().any(|x| node_name(x) == n) {
            plan.delete.extend(
                pods.iter()
                    .filter(|p| !scheduled(p))
                    .map(|p| pod_name(p).to_string()),
            );
        }
    }
    plan
}

// ---------------------------------------------------------------------------
// rollingUpdate (update.go)
// ---------------------------------------------------------------------------

/// `findUpdatedPodsOnNode`: the node's (new, old) pod, `None` when it has more than one of
/// either (manage prunes those first).
fn updated_pods_on_node<'a>(
    pods: &[&'a Pod],
    hash: &str,
    generation: Option<i64>,
) -> Option<(Option<&'a Pod>, Option<&'a Pod>)> {
    let (mut new, mut old) = (None, None);
    for p in pods.iter().copied().filter(|p| !terminating(p)) {
        let slot = if is_pod_updated(p, hash, generation) {
            &mut new
        } else {
            &mut old
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(p);
    }
    Some((new, old))
}

/// The daemon pods by node name.
pub type ByNode<'a> = BTreeMap<String, Vec<&'a Pod>>;

/// `updatedDesiredNodeCounts`: (maxSurge, maxUnavailable, desired), and the node map with an
/// empty entry for every node that should run a pod and has none.
fn desired_counts<'a>(
    ds: &DaemonSet,
    nodes: &[Node],
    by_node: &BTreeMap<String, Vec<&'a Pod>>,
) -> Result<(i32, i32, i32, ByNode<'a>), String> {
    let mut map = by_node.clone();
    let mut desired = 0;
    for node in nodes {
        if node_should_run(ds, node).0 {
            desired += 1;
            map.entry(node_name(node).to_string()).or_default();
        }
    }
    let mut max_unavailable = unavailable_count(ds, desired)
        .map_err(|e| format!("invalid value for MaxUnavailable: {e}"))?;
    let max_surge =
        surge_count(ds, desired).map_err(|e| format!("invalid value for MaxSurge: {e}"))?;
    if desired > 0 && max_unavailable == 0 && max_surge == 0 {
        max_unavailable = 1;
    }
    Ok((max_surge, max_unavailable, desired, map))
}

/// `rollingUpdate`: the old pods to delete (and, when surging, the nodes to create a new pod
/// on), within `maxUnavailable` / `maxSurge`; nodes in name order.
pub fn rolling_update(
    ds: &DaemonSet,
    nodes: &[Node],
    by_node: &BTreeMap<String, Vec<&Pod>>,
    hash: &str,
    now: Timestamp,
) -> Result<Plan, String> {
    let (max_surge, max_unavailable, desired, map) = desired_counts(ds, nodes, by_node)?;
    let generation = template_generation(ds);
    let min_ready = min_ready_seconds(ds);
    let available = |p: &Pod| is_pod_available(p, min_ready, now);
    let mut plan = Plan::default();
    if max_surge == 0 {
        let mut num_unavailable = 0;
        let mut candidates: Vec<String> = Vec::new();
        for pods in map.values() {
            let Some((new, old)) = updated_pods_on_node(pods, hash, generation) else {
                num_unavailable += 1;
                continue;
            };
            match (new, old) {
                (None, None) | (Some(_), Some(_)) => num_unavailable += 1,
                (Some(new), None) => {
                    if !available(new) {
                        num_unavailable += 1;
                    }
                }
                (None, Some(old)) => {
                    if !available(old) {
                        plan.delete.push(pod_name(old).to_string());
                        num_unavailable += 1;
                    } else if num_unavailable < max_unavailable {
                        candidates.push(pod_name(old).to_string());
                    }
                }
            }
        }
        let room = (max_unavailable - num_unavailable).max(0) as usize;
        plan.delete.extend(candidates.into_iter().take(room));
        return Ok(plan);
    }
    surge_update(ds, nodes, &map, (max_surge, desired), hash, now)
}

/// The surging half of `rollingUpdate`: new pods first, old ones deleted once replaced.
fn surge_update(
    ds: &DaemonSet,
    nodes: &[Node],
    map: &BTreeMap<String, Vec<&Pod>>,
    (max_surge, desired): (i32, i32),
    hash: &str,
    now: Timestamp,
) -> Result<Plan, String> {
    let generation = template_generation(ds);
    let min_ready = min_ready_seconds(ds);
    let available = |p: &Pod| is_pod_available(p, min_ready, now);
    let should_run = |n: &str| {
        nodes
            .iter()
            .find(|x| node_name(x) == n)
            .is_some_and(|x| node_should_run(ds, x).0)
    };
    let mut plan = Plan::default();
    let (mut should_not_run, mut candidates, mut allowed) = (vec![], vec![], vec![]);
    let (mut num_surge, mut num_available) = (0, 0);
    for (nname, pods) in map {
        let Some((new, old)) = updated_pods_on_node(pods, hash, generation) else {
            num_surge += 1;
            continue;
        };
        if let Some(p) = old.or(new)
            && available(p)
        {
            num_available += 1;
        }
        match (new, old) {
            (_, None) => {}
            (None, Some(old)) => {
                if !available(old) {
                    if !should_run(nname) {
                        plan.delete.push(pod_name(old).to_string());
                        continue;
                    }
                    allowed.push(nname.clone());
                } else {
                    if !should_run(nname) {
                        should_not_run.push(pod_name(old).to_string());
                        continue;
                    }
                    if num_surge >= max_surge {
                        continue;
                    }
                    candidates.push(nname.clone());
                }
            }
            (Some(new), Some(old)) => {
                if !available(new) {
                    num_surge += 1;
                    continue;
                }
                plan.delete.push(pod_name(old).to_string());
            }
        }
    }
    let deletable = (num_available - desired).max(0) as usize;
    plan.delete
        .extend(should_not_run.into_iter().take(deletable));
    let room = (max_surge - num_surge).max(0) as usize;
    plan.create = allowed;
    plan.create.extend(candidates.into_iter().take(room));
    Ok(plan)
}

// ---------------------------------------------------------------------------
// Status (updateDaemonSetStatus) and kubectl's rollout status
// ---------------------------------------------------------------------------

/// The status the controller writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DsStatus {
    pub desired: i32,
    pub current: i32,
    pub misscheduled: i32,
    pub ready: i32,
    pub updated: i32,
    pub available: i32,
    pub unavailable: i32,
}

/// `updateDaemonSetStatus`'s counts over every node (the oldest pod of a node counts).
pub fn status_of(
    ds: &DaemonSet,
    nodes: &[Node],
    by_node: &BTreeMap<String, Vec<&Pod>>,
    hash: &str,
    now: Timestamp,
) -> DsStatus {
    let mut st = DsStatus::default();
    let generation = template_generation(ds);
    for node in nodes {
        let (should_run, _) = node_should_run(ds, node);
        let pods = by_node.get(node_name(node)).filter(|p| !p.is_empty());
        match (should_run, pods) {
            (true, None) => st.desired += 1,
            (true, Some(pods)) => {
                st.desired += 1;
                st.current += 1;
                let mut pods = pods.clone();
                sort_pods(&mut pods);
                let p = pods[0];
                if is_pod_ready(p) {
                    st.ready += 1;
                    if is_pod_available(p, min_ready_seconds(ds), now) {
                        st.available += 1;
                    }
                }
                if is_pod_updated(p, hash, generation) {
                    st.updated += 1;
                }
            }
            (false, Some(_)) => st.misscheduled += 1,
            (false, None) => {}
        }
    }
    st.unavailable = st.desired - st.available;
    st
}

impl DsStatus {
    /// The stored status in the same terms.
    pub fn of(ds: &DaemonSet) -> DsStatus {
        let Some(s) = ds.status.as_ref() else {
            return DsStatus::default();
        };
        DsStatus {
            desired: s.desired_number_scheduled,
            current: s.current_number_scheduled,
            misscheduled: s.number_misscheduled,
            ready: s.number_ready,
            updated: s.updated_number_scheduled.unwrap_or(0),
            available: s.number_available.unwrap_or(0),
            unavailable: s.number_unavailable.unwrap_or(0),
        }
    }

    /// The status as the API writes it (Go's `omitempty` fields left out when zero).
    pub fn to_value(&self, observed_generation: i64, collision_count: Option<i32>) -> Value {
        let nz = |n: i32| (n != 0).then_some(n);
        serde_json::to_value(DaemonSetStatus {
            collision_count,
            conditions: None,
            current_number_scheduled: self.current,
            desired_number_scheduled: self.desired,
            number_available: nz(self.available),
            number_misscheduled: self.misscheduled,
            number_ready: self.ready,
            number_unavailable: nz(self.unavailable),
            observed_generation: (observed_generation != 0).then_some(observed_generation),
            updated_number_scheduled: nz(self.updated),
        })
        .unwrap_or_default()
    }
}

/// kubectl's `DaemonSetStatusViewer`: the line to print, whether the rollout is done, and
/// the error that ends the watch.
pub fn rollout_status(ds: &DaemonSet) -> (String, bool, Option<String>) {
    if strategy_type(ds) != "RollingUpdate" {
        return (
            String::new(),
            true,
            Some("rollout status is only available for RollingUpdate strategy type".into()),
        );
    }
    let generation = ds.metadata.generation.unwrap_or(0);
    let observed = ds
        .status
        .as_ref()
        .and_then(|s| s.observed_generation)
        .unwrap_or(0);
    if generation > observed {
        return (
            "Waiting for daemon set spec update to be observed...\n".into(),
            false,
            None,
        );
    }
    let st = DsStatus::of(ds);
    let n = ds_name(ds);
    if st.updated < st.desired {
        return (
            format!(
                "Waiting for daemon set {n:?} rollout to finish: {} out of {} new pods have been updated...\n",
                st.updated, st.desired
            ),
            false,
            None,
        );
    }
    if st.available < st.desired {
        return (
            format!(
                "Waiting for daemon set {n:?} rollout to finish: {} of {} updated pods are available...\n",
                st.available, st.desired
            ),
            false,
            None,
        );
    }
    (
        format!("daemon set {n:?} successfully rolled out\n"),
        true,
        None,
    )
}

// ---------------------------------------------------------------------------
// The controller
// ---------------------------------------------------------------------------

/// The DaemonSet controller. It remembers, for this process, what it last saw of each node's
/// labels and taints (a node update that changes neither, such as a status report, wakes no
/// DaemonSet); its failed-pod back-offs are kept in the state (`Api::backoff_entry`), so
/// one command and several back off alike.
#[derive(Default)]
pub struct DaemonSetController {
    nodes_seen: HashMap<String, Value>,
}

fn selects(ds: &Value, labels: Option<&Value>) -> bool {
    history::selects(ds, labels)
}

fn event(api: &mut Api, ds: &Involved, type_: &str, reason: &str, message: &str) {
    api.record_event_for(ds, type_, reason, message, COMPONENT, None);
}

/// What of a node decides where daemon pods run: its labels and taints.
fn node_facts(node: &Value) -> Value {
    json!([node.ptr("/metadata/labels"), node.ptr("/spec/taints")])
}

impl DaemonSetController {
    fn enqueue_all(api: &mut Api, keys: &mut Vec<String>) {
        if let Ok(all) = api.list_ref(ds_info(), None) {
            keys.extend(
                all.into_iter()
                    .map(|d| format!("{}/{}", namespace_of(d), name_of(d))),
            );
        }
    }

    /// `IsInBackOffSinceUpdate`, then `Next` when not: whether a failed pod under `key` may
    /// be deleted now, else how long to wait.
    fn backoff_allows(api: &mut Api, key: &str, now: Timestamp) -> Result<(), SignedDuration> {
        let entry = api.backoff_entry(COMPONENT, key);
        if let Some((last, delay)) = entry
            && now.duration_since(last) < delay
        {
            return Err(delay - now.duration_since(last));
        }
        let next = match entry {
            Some((last, delay)) if now.duration_since(last) <= BACKOFF_MAX * 2 => {
                (delay * 2).min(BACKOFF_MAX)
            }
            _ => BACKOFF_INITIAL,
        };
        // Entries unused for twice the longest delay start over anyway (upstream's GC).
        api.set_backoff_entry(COMPONENT, key, now, next, now - BACKOFF_MAX * 2);
        Ok(())
    }
}

impl Controller for DaemonSetController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let ns = namespace_of(&change.object).to_string();
        match change.info.kind {
            kinds::daemonset::NAME if change.verb == "status" && change.actor == COMPONENT => {}
            kinds::daemonset::NAME => keys.push(format!("{ns}/{}", name_of(&change.object))),
            kinds::node::NAME => {
                let n = name_of(&change.object).to_string();
                if change.op == Op::Deleted {
                    self.nodes_seen.remove(&n);
                    Self::enqueue_all(api, keys);
                    return;
                }
                let facts = node_facts(&change.object);
                if self.nodes_seen.get(&n) != Some(&facts) {
                    self.nodes_seen.insert(n, facts);
                    Self::enqueue_all(api, keys);
                }
            }
            kinds::pod::NAME | kinds::controllerrevision::NAME => {
                match controller_of(&change.object) {
                    Some((kinds::daemonset::NAME, n, _)) => keys.push(format!("{ns}/{n}")),
                    Some(_) => {}
                    None if change.op != Op::Deleted => {
                        // An orphan: every DaemonSet whose selector matches may adopt it.
                        let labels = change.object.ptr("/metadata/labels");
                        if let Ok(all) = api.list_ref(ds_info(), Some(&ns)) {
                            for d in all {
                                if selects(d, labels) {
                                    keys.push(format!("{ns}/{}", name_of(d)));
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
        let (ds_value, ds, involved) = {
            let Some(v) = api.try_get_ref(ds_info(), ns, name)? else {
                return Ok(SyncResult::default());
            };
            (
                v.clone(),
                DaemonSet::deserialize(v).map_err(internal)?,
                Involved::of(v),
            )
        };
        let empty_selector = ds.spec.as_ref().is_none_or(|s| {
            s.selector
                .match_labels
                .as_ref()
                .is_none_or(|m| m.is_empty())
                && s.selector
                    .match_expressions
                    .as_ref()
                    .is_none_or(|m| m.is_empty())
        });
        if empty_selector {
            event(
                api,
                &involved,
                "Warning",
                "SelectingAll",
                "This daemon set is selecting all pods. A non-empty selector is required.",
            );
            return Ok(SyncResult::default());
        }
        if ds.metadata.deletion_timestamp.is_some() {
            return Ok(SyncResult::default());
        }
        let now = api.now();
        let nodes: Vec<Node> = api
            .list_ref(&crate::kinds::node::KIND, None)?
            .into_iter()
            .map(|n| Node::deserialize(n).map_err(internal))
            .collect::<Result<_, _>>()?;
        let (cur, old) = construct_history(api, &ds_value, &ds)?;
        let hash = cur
            .ptr("/metadata/labels")
            .and_then(|l| l.get(HASH_LABEL))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();

        // manage; the rolling update only when manage had nothing to do (upstream waits for
        // the expectations of its creates and deletes to be observed).
        let pods = claim_pods(api, &ds_value, &ds)?;
        let by_node = pods_by_node(&pods);
        let plan = manage(&ds, &nodes, &by_node, &hash, now);
        let mut res = SyncResult::default();
        let mut acted = self.apply(api, &ds, &involved, &plan, &hash, now, &mut res)?;
        if !acted && strategy_type(&ds) == "RollingUpdate" {
            match rolling_update(&ds, &nodes, &by_node, &hash, now) {
                Ok(plan) => acted = self.apply(api, &ds, &involved, &plan, &hash, now, &mut res)?,
                Err(e) => return Err(ApiError::new(Reason::Invalid, e)),
            }
        }
        let _ = acted;
        cleanup_history(api, &ds, &old)?;

        // Status, from the pods as they are now.
        let pods: Vec<Pod> =
            api.decode_controlled::<Pod>(pod_info(), ns, ds.metadata.uid.as_deref().unwrap_or(""))?;
        let by_node = pods_by_node(&pods);
        let st = status_of(&ds, &nodes, &by_node, &hash, now);
        let generation = ds.metadata.generation.unwrap_or(0);
        let observed = ds
            .status
            .as_ref()
            .and_then(|s| s.observed_generation)
            .unwrap_or(0);
        if st != DsStatus::of(&ds) || observed < generation {
            let collision = api
                .try_get_ref(ds_info(), ns, name)?
                .and_then(|v| v.ptr("/status/collisionCount"))
                .and_then(Value::as_i64)
                .map(|c| c as i32);
            match api.put_status(ds_info(), ns, name, st.to_value(generation, collision)) {
                Err(e) if e.reason == Reason::NotFound => {}
                r => r?,
            }
        }
        let min_ready = min_ready_seconds(&ds);
        if min_ready > 0 && st.ready != st.available {
            let wait = pods
                .iter()
                .filter_map(|p| {
                    let c = pod_ready_condition(p)?;
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
        Ok(res)
    }
}

impl DaemonSetController {
    /// `syncNodes`: deletes, then creates (in slow-start batches), at most 250 of each, with
    /// the pod control's events; failed pods in back-off are left for later. Whether it
    /// asked for anything.
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        api: &mut Api,
        ds: &DaemonSet,
        involved: &Involved,
        plan: &Plan,
        hash: &str,
        now: Timestamp,
        res: &mut SyncResult,
    ) -> Result<bool, ApiError> {
        let ns = ds.metadata.namespace.clone().unwrap_or_default();
        let mut delete: Vec<String> = plan.delete.clone();
        for (key, pod) in &plan.failed {
            match Self::backoff_allows(api, key, now) {
                Ok(()) => delete.push(pod.clone()),
                Err(wait) => res.requeue_after.push((wait, false)),
            }
        }
        for e in &plan.events {
            let failed_in_backoff = e.reason == "FailedDaemonPod"
                && !plan
                    .failed
                    .iter()
                    .any(|(_, p)| delete.contains(p) && e.message.contains(p.as_str()));
            if !failed_in_backoff {
                event(api, involved, e.type_, e.reason, &e.message);
            }
        }
        let create: Vec<&String> = plan.create.iter().take(BURST_REPLICAS).collect();
        let acted = !create.is_empty() || !delete.is_empty();
        if !create.is_empty() {
            let template = pod_template(ds, template_generation(ds), hash);
            let mut remaining = create.into_iter();
            for size in slow_start_batches(remaining.len()) {
                let mut failed = false;
                for node in remaining.by_ref().take(size) {
                    let v = serde_json::to_value(new_pod(ds, &template, node)).map_err(internal)?;
                    let ev = match api.create_name(pod_info(), &ns, v) {
                        Ok(created) => RsEvent::SuccessfulCreate { pod: created },
                        Err(e)
                            if e.reason == Reason::Forbidden
                                && e.message.contains("being terminated") =>
                        {
                            continue;
                        }
                        Err(e) => {
                            failed = true;
                            RsEvent::FailedCreate { error: e.message }
                        }
                    };
                    event(api, involved, ev.event_type(), ev.reason(), &ev.message());
                }
                if failed {
                    res.requeue_after
                        .push((SignedDuration::from_secs(10), false));
                    break;
                }
            }
        }
        for pod in delete.iter().take(BURST_REPLICAS) {
            let ev = match api.delete(pod_info(), &ns, pod, DeleteOptions::default()) {
                Ok(_) => RsEvent::SuccessfulDelete { pod: pod.clone() },
                Err(e) if e.reason == Reason::NotFound => continue,
                Err(e) => RsEvent::FailedDelete { error: e.message },
            };
            event(api, involved, ev.event_type(), ev.reason(), &ev.message());
        }
        Ok(acted)
    }
}

/// `getDaemonPods` (`ClaimPods`): the pods the DaemonSet controls whose labels it still
/// selects, after adopting matching orphans and releasing the pods it no longer selects.
fn claim_pods(api: &mut Api, ds_value: &Value, ds: &DaemonSet) -> Result<Vec<Pod>, ApiError> {
    let ns = ds.metadata.namespace.clone().unwrap_or_default();
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let labels_of = |p: &Pod| serde_json::to_value(&p.metadata.labels).ok();
    let mut pods: Vec<Pod> = api.decode_controlled::<Pod>(pod_info(), &ns, &uid)?;
    let owner = new_controller_ref("apps/v1", "DaemonSet", ds_name(ds), &uid);
    let orphans: Vec<Pod> = api.decode_controlled::<Pod>(pod_info(), &ns, "")?;
    for o in orphans {
        if terminating(&o) || !selects(ds_value, labels_of(&o).as_ref()) {
            continue;
        }
        let adopted = write_owner_refs(api, &ns, pod_name(&o), |p| {
            if controller_ref(&p.metadata).is_some() {
                return Err("owned".into());
            }
            p.metadata
                .owner_references
                .get_or_insert_with(Vec::new)
                .push(owner.clone());
            Ok(())
        })?;
        if adopted {
            pods.push(
                api.get(pod_info(), &ns, pod_name(&o))
                    .and_then(|v| Pod::deserialize(&v).map_err(internal))?,
            );
        }
    }
    let mut kept = Vec::with_capacity(pods.len());
    for p in pods {
        if selects(ds_value, labels_of(&p).as_ref()) {
            kept.push(p);
        } else if !terminating(&p) {
            write_owner_refs(api, &ns, pod_name(&p), |p| {
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
    kept.sort_by(|a, b| pod_name(a).cmp(pod_name(b)));
    Ok(kept)
}

/// `snapshot`'s revision before it is created: the template's labels and the hash label,
/// the DaemonSet's annotations, the controller reference, the data and the number.
fn new_revision(ds_value: &Value, ds: &DaemonSet, hash: &str, revision: i64) -> Value {
    let mut labels = ds_value
        .ptr("/spec/template/metadata/labels")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}));
    if let Some(l) = labels.as_object_mut() {
        l.insert(HASH_LABEL.into(), json!(hash));
    }
    let owner = new_controller_ref(
        "apps/v1",
        "DaemonSet",
        ds_name(ds),
        ds.metadata.uid.as_deref().unwrap_or(""),
    );
    let mut meta = json!({
        "name": format!("{}-{hash}", ds_name(ds)),
        "labels": labels,
        "ownerReferences": [owner],
    });
    if let Some(a) = ds_value
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
        "data": revision_data(ds_value),
        "revision": revision,
    })
}

/// `constructHistory`: the current revision (made, renumbered after a rollback, or
/// deduplicated) and the old ones.
fn construct_history(
    api: &mut Api,
    ds_value: &Value,
    ds: &DaemonSet,
) -> Result<(Value, Vec<Value>), ApiError> {
    let ns = ds.metadata.namespace.clone().unwrap_or_default();
    adopt_revisions(api, ds_value, ds, &ns)?;
    let mut current: Vec<Value> = Vec::new();
    let mut old: Vec<Value> = Vec::new();
    for mut h in list_revisions(api, ds_value)? {
        if h.ptr("/metadata/labels")
            .and_then(|l| l.get(HASH_LABEL))
            .is_none()
        {
            let n = name_of(&h).to_string();
            if let Some(l) = h
                .get_mut("metadata")
                .and_then(|m| m.get_mut("labels"))
                .and_then(Value::as_object_mut)
            {
                l.insert(HASH_LABEL.into(), json!(n));
            }
            h = api.update(cr_info(), &ns, h)?;
        }
        if matches_revision(ds_value, &h) {
            current.push(h);
        } else {
            old.push(h);
        }
    }
    let next = old.iter().map(revision_number).max().unwrap_or(0) + 1;
    let cur = if current.is_empty() {
        let collision = ds.status.as_ref().and_then(|s| s.collision_count);
        let hash = super::deployment::util::compute_hash(&template(ds), collision);
        let rev = new_revision(ds_value, ds, &hash, next);
        match api.create(cr_info(), &ns, rev) {
            Ok(created) => created,
            Err(e) if e.reason == Reason::AlreadyExists => {
                let existing = api.get(cr_info(), &ns, &format!("{}-{hash}", ds_name(ds)))?;
                if matches_revision(ds_value, &existing) {
                    existing
                } else {
                    // A hash collision: bump collisionCount and try again next sync.
                    let mut status = ds_value.get("status").cloned().unwrap_or(json!({}));
                    if let Some(s) = status.as_object_mut() {
                        s.insert("collisionCount".into(), json!(collision.unwrap_or(0) + 1));
                    }
                    api.put_status(ds_info(), &ns, ds_name(ds), status)?;
                    return Err(e);
                }
            }
            Err(e) => return Err(e),
        }
    } else {
        let keep = dedup_current(api, ds, &ns, current)?;
        if revision_number(&keep) < next {
            let mut r = keep;
            if let Some(o) = r.as_object_mut() {
                o.insert("revision".into(), json!(next));
            }
            api.update(cr_info(), &ns, r)?
        } else {
            keep
        }
    };
    Ok((cur, old))
}

/// `ClaimControllerRevisions`' adoption: orphan revisions the selector matches get the
/// DaemonSet as their controller (a DaemonSet deleted with `--cascade=orphan` and made again
/// keeps its history).
fn adopt_revisions(
    api: &mut Api,
    ds_value: &Value,
    ds: &DaemonSet,
    ns: &str,
) -> Result<(), ApiError> {
    let orphans: Vec<Value> = api
        .list_controlled_ref(cr_info(), ns, "")?
        .into_iter()
        .filter(|r| {
            r.ptr("/metadata/deletionTimestamp").is_none()
                && selects(ds_value, r.ptr("/metadata/labels"))
        })
        .cloned()
        .collect();
    if orphans.is_empty() {
        return Ok(());
    }
    let owner = serde_json::to_value(new_controller_ref(
        "apps/v1",
        "DaemonSet",
        ds_name(ds),
        ds.metadata.uid.as_deref().unwrap_or(""),
    ))
    .map_err(internal)?;
    for mut r in orphans {
        if let Some(md) = r.get_mut("metadata").and_then(Value::as_object_mut) {
            let refs = md.entry("ownerReferences").or_insert_with(|| json!([]));
            if let Some(a) = refs.as_array_mut() {
                a.push(owner.clone());
            }
        }
        api.update_quiet(cr_info(), ns, r)?;
    }
    Ok(())
}

/// `dedupCurHistories`: of several revisions equal to the template, the highest stays; the
/// pods of the others are relabelled to its hash and the others deleted.
fn dedup_current(
    api: &mut Api,
    ds: &DaemonSet,
    ns: &str,
    mut current: Vec<Value>,
) -> Result<Value, ApiError> {
    history::sort_revisions(&mut current);
    let keep = current.pop().expect("non-empty");
    if current.is_empty() {
        return Ok(keep);
    }
    let hash = keep
        .ptr("/metadata/labels")
        .and_then(|l| l.get(HASH_LABEL))
        .cloned()
        .unwrap_or(Value::Null);
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let pods: Vec<Value> = api.list_controlled(pod_info(), ns, &uid)?;
    for mut p in pods {
        if p.ptr("/metadata/labels").and_then(|l| l.get(HASH_LABEL)) != Some(&hash)
            && let Some(l) = p
                .get_mut("metadata")
                .and_then(|m| m.get_mut("labels"))
                .and_then(Value::as_object_mut)
        {
            l.insert(HASH_LABEL.into(), hash.clone());
            api.update(pod_info(), ns, p)?;
        }
    }
    for dup in current {
        api.delete_if_present(cr_info(), ns, name_of(&dup), DeleteOptions::default())?;
    }
    Ok(keep)
}

/// `cleanupHistory`: old revisions beyond `revisionHistoryLimit`, oldest first, except
/// those whose hash a pod (even a deleted terminal one) still carries.
fn cleanup_history(api: &mut Api, ds: &DaemonSet, old: &[Value]) -> Result<(), ApiError> {
    let limit = ds
        .spec
        .as_ref()
        .and_then(|s| s.revision_history_limit)
        .unwrap_or(10)
        .max(0) as usize;
    if old.len() <= limit {
        return Ok(());
    }
    let mut to_kill = old.len() - limit;
    let ns = ds.metadata.namespace.clone().unwrap_or_default();
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let pods: Vec<Pod> = api.decode_controlled::<Pod>(pod_info(), &ns, &uid)?;
    let live: Vec<&str> = pods.iter().filter_map(|p| label(p, HASH_LABEL)).collect();
    let mut old: Vec<&Value> = old.iter().collect();
    old.sort_by_key(|r| revision_number(r));
    for r in old {
        if to_kill == 0 {
            break;
        }
        let h = r
            .ptr("/metadata/labels")
            .and_then(|l| l.get(HASH_LABEL))
            .and_then(Value::as_str)
            .unwrap_or("");
        if live.contains(&h) {
            continue;
        }
        api.delete_if_present(cr_info(), &ns, name_of(r), DeleteOptions::default())?;
        to_kill -= 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-01-01T00:10:00Z".parse().unwrap()
    }

    fn ds(extra: Value) -> DaemonSet {
        let mut v = json!({
            "metadata": {"name": "foo", "namespace": "default", "uid": "u-foo", "generation": 1,
                         "annotations": {"deprecated.daemonset.template.generation": "1"}},
            "spec": {
                "selector": {"matchLabels": {"name": "simple-daemon"}},
                "template": {"metadata": {"labels": {"name": "simple-daemon"}},
                             "spec": {"containers": [{"name": "c", "image": "img:1"}]}},
                "updateStrategy": {"type": "RollingUpdate",
                                   "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
            }
        });
        crate::api::patch::merge_patch(&mut v, &extra);
        DaemonSet::deserialize(&v).unwrap()
    }

    fn node(name: &str, extra: Value) -> Node {
        let mut v = json!({"metadata": {"name": name, "labels": {"color": "blue"}}, "spec": {}});
        crate::api::patch::merge_patch(&mut v, &extra);
        Node::deserialize(&v).unwrap()
    }

    fn nodes(n: usize) -> Vec<Node> {
        (0..n)
            .map(|i| node(&format!("node-{i}"), json!({})))
            .collect()
    }

    /// A daemon pod on `node` with `hash`, Running and ready since `ready_secs_ago` (None: not
    /// ready).
    fn pod(name: &str, node: &str, hash: &str, ready_secs_ago: Option<i64>) -> Pod {
        let ready = ready_secs_ago.map(|s| {
            let t = now() - SignedDuration::from_secs(s);
            json!([{"type": "Ready", "status": "True", "lastTransitionTime": t.to_string()}])
        });
        Pod::deserialize(json!({
            "metadata": {"name": name, "namespace": "default",
                         "labels": {"name": "simple-daemon", HASH_LABEL: hash},
                         "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"nodeName": node, "containers": [{"name": "c", "image": "img:1"}]},
            "status": {"phase": "Running", "conditions": ready.unwrap_or(json!([]))}
        }))
        .unwrap()
    }

    fn taint(key: &str, effect: &str) -> Value {
        json!({"spec": {"taints": [{"key": key, "effect": effect}]}})
    }

    // daemon_controller_test.go TestNodeShouldRunDaemonPod and the taint tests
    // (TestTaintedNodeDaemonDoesNotLaunchIntolerantPod, TestTaintPressureNodeDaemonLaunchesPod,
    // TestNotReadyNodeDaemonLaunchesPod, TestNetworkUnavailableNodeDaemonLaunchesPod,
    // TestNodeAffinityDaemonLaunchesPods).
    #[test]
    fn which_nodes_run_a_daemon_pod() {
        let plain = ds(json!({}));
        let cases: Vec<(&str, DaemonSet, Node, (bool, bool))> = vec![
            (
                "ShouldRunDaemonPod",
                plain.clone(),
                node("n", json!({})),
                (true, true),
            ),
            (
                "ErrPodNotMatchHostName",
                ds(json!({"spec": {"template": {"spec": {"nodeName": "other"}}}})),
                node("n", json!({})),
                (false, false),
            ),
            (
                "ErrNodeSelectorNotMatch",
                ds(json!({"spec": {"template": {"spec": {"nodeSelector": {"color": "red"}}}}})),
                node("n", json!({})),
                (false, false),
            ),
            (
                "ShouldRunDaemonPodOnNodeWithMatchingNodeSelector",
                ds(json!({"spec": {"template": {"spec": {"nodeSelector": {"color": "blue"}}}}})),
                node("n", json!({})),
                (true, true),
            ),
            (
                "ErrPodAffinityNotMatch",
                ds(
                    json!({"spec": {"template": {"spec": {"affinity": {"nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "type", "operator": "In", "values": ["test"]}]}
                    ]}}}}}}}),
                ),
                node("n", json!({})),
                (false, false),
            ),
            (
                "ShouldRunDaemonPodWithNodeAffinityMatch",
                ds(
                    json!({"spec": {"template": {"spec": {"affinity": {"nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n"]}]}
                    ]}}}}}}}),
                ),
                node("n", json!({})),
                (true, true),
            ),
            (
                "ShouldRunDaemonPodOnUnschedulableNode",
                plain.clone(),
                node(
                    "n",
                    json!({"spec": {"unschedulable": true, "taints": [
                    {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}}),
                ),
                (true, true),
            ),
            (
                "IntolerantNoSchedule",
                plain.clone(),
                node("n", taint("dedicated", "NoSchedule")),
                (false, true),
            ),
            (
                "IntolerantNoExecute",
                plain.clone(),
                node("n", taint("dedicated", "NoExecute")),
                (false, false),
            ),
            (
                "PreferNoSchedule",
                plain.clone(),
                node("n", taint("dedicated", "PreferNoSchedule")),
                (true, true),
            ),
            (
                "Tolerated",
                ds(json!({"spec": {"template": {"spec": {"tolerations": [
                    {"key": "dedicated", "operator": "Exists"}]}}}})),
                node("n", taint("dedicated", "NoExecute")),
                (true, true),
            ),
            (
                "NotReady",
                plain.clone(),
                node("n", taint("node.kubernetes.io/not-ready", "NoExecute")),
                (true, true),
            ),
            (
                "Unreachable",
                plain.clone(),
                node("n", taint("node.kubernetes.io/unreachable", "NoExecute")),
                (true, true),
            ),
            (
                "DiskPressure",
                plain.clone(),
                node("n", taint("node.kubernetes.io/disk-pressure", "NoSchedule")),
                (true, true),
            ),
            (
                "MemoryPressure",
                plain.clone(),
                node(
                    "n",
                    taint("node.kubernetes.io/memory-pressure", "NoSchedule"),
                ),
                (true, true),
            ),
            (
                "PIDPressure",
                plain.clone(),
                node("n", taint("node.kubernetes.io/pid-pressure", "NoSchedule")),
                (true, true),
            ),
            (
                "NetworkUnavailableNoHostNetwork",
                plain.clone(),
                node(
                    "n",
                    taint("node.kubernetes.io/network-unavailable", "NoSchedule"),
                ),
                (false, true),
            ),
            (
                "NetworkUnavailableHostNetwork",
                ds(json!({"spec": {"template": {"spec": {"hostNetwork": true}}}})),
                node(
                    "n",
                    taint("node.kubernetes.io/network-unavailable", "NoSchedule"),
                ),
                (true, true),
            ),
            (
                "ControlPlane",
                plain,
                node(
                    "n",
                    taint("node-role.kubernetes.io/control-plane", "NoSchedule"),
                ),
                (false, true),
            ),
        ];
        for (name, d, n, want) in cases {
            assert_eq!(node_should_run(&d, &n), want, "{name}");
        }
    }

    // daemonset_util_test.go TestCreatePodTemplate / TestIsPodUpdated / TestGetTargetNodeName /
    // TestReplaceDaemonSetPodNodeNameNodeAffinity.
    #[test]
    fn pod_template_labels_tolerations_and_pinning() {
        let d = ds(json!({"spec": {"template": {"spec": {"tolerations": [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 10}]}}}}));
        let t = pod_template(&d, Some(3), "abc");
        let labels = t.metadata.as_ref().unwrap().labels.as_ref().unwrap();
        assert_eq!(labels[TEMPLATE_GENERATION_LABEL], "3");
        assert_eq!(labels[HASH_LABEL], "abc");
        let tols = t.spec.as_ref().unwrap().tolerations.as_ref().unwrap();
        // The user's not-ready toleration (same key, effect, operator) is replaced in place.
        assert_eq!(tols.len(), 6);
        assert_eq!(tols[0].key.as_deref(), Some("node.kubernetes.io/not-ready"));
        assert_eq!(tols[0].toleration_seconds, None);
        assert_eq!(
            pod_template(&d, None, "")
                .metadata
                .unwrap()
                .labels
                .unwrap()
                .len(),
            1
        );

        let p = new_pod(&d, &t, "node-1");
        assert_eq!(target_node(&p), Some("node-1"));
        assert_eq!(p.metadata.generate_name.as_deref(), Some("foo-"));
        let mut bound = p.clone();
        bound.spec.as_mut().unwrap().node_name = Some("node-2".into());
        assert_eq!(target_node(&bound), Some("node-2"));
        let mut none = p.clone();
        none.spec.as_mut().unwrap().affinity = None;
        assert_eq!(target_node(&none), None);

        // Pinning replaces the required terms and keeps the rest.
        let a = Affinity::deserialize(json!({"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "k", "operator": "In", "values": ["v"]}]}]},
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 1, "preference": {"matchExpressions": [{"key": "k", "operator": "Exists"}]}}]
        }}))
        .unwrap();
        let pinned = serde_json::to_value(pin_to_node(Some(a), "n")).unwrap();
        assert_eq!(
            pinned["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"],
            json!({"nodeSelectorTerms": [{"matchFields": [
                {"key": "metadata.name", "operator": "In", "values": ["n"]}]}]})
        );
        assert!(
            pinned["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"].is_array()
        );

        let p = pod("p", "n", "h1", Some(60));
        assert!(is_pod_updated(&p, "h1", None));
        assert!(!is_pod_updated(&p, "h2", Some(1)));
        let mut g = p.clone();
        g.metadata
            .labels
            .as_mut()
            .unwrap()
            .insert(TEMPLATE_GENERATION_LABEL.into(), "2".into());
        assert!(is_pod_updated(&g, "h2", Some(2)));
        assert!(!is_pod_updated(&g, "", None));
    }

    #[test]
    fn manage_creates_on_missing_nodes_and_prunes() {
        let d = ds(json!({}));
        let ns = nodes(3);
        let pods = [
            pod("a", "node-0", "h", Some(60)),
            pod("b", "node-0", "h", Some(30)),
            pod("ghost", "gone", "h", None),
        ];
        let mut pods = pods.to_vec();
        // The ghost is pinned to a node that is gone and never scheduled.
        pods[2].spec.as_mut().unwrap().node_name = None;
        pods[2].spec.as_mut().unwrap().affinity = Some(pin_to_node(None, "gone"));
        // The newer of the two pods on node-0 goes; node-1 and node-2 get one.
        pods[1].metadata.creation_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(now()));
        let by = pods_by_node(&pods);
        let plan = manage(&d, &ns, &by, "h", now());
        assert_eq!(plan.create, ["node-1", "node-2"]);
        assert_eq!(plan.delete, ["b", "ghost"]);

        // A node that should no longer run it loses its pods; failed and succeeded pods go
        // with an event.
        let tainted = vec![node("node-0", taint("x", "NoExecute"))];
        let plan = manage(&d, &tainted, &pods_by_node(&pods[..1]), "h", now());
        assert_eq!(plan.delete, ["a"]);
        let mut failed = pod("f", "node-0", "h", None);
        failed.status.as_mut().unwrap().phase = Some("Failed".into());
        let plan = manage(&d, &ns[..1], &pods_by_node(&[failed]), "h", now());
        assert_eq!(plan.failed.len(), 1);
        assert_eq!(plan.events[0].reason, "FailedDaemonPod");
        assert_eq!(
            plan.events[0].message,
            "Found failed daemon pod default/f on node node-0, will try to kill it"
        );
    }

    // update_test.go TestDaemonSetUpdatesPods (maxUnavailable), TestGetUnavailableNumbers.
    #[test]
    fn rolling_update_within_max_unavailable() {
        let ns = nodes(5);
        let old: Vec<Pod> = (0..5)
            .map(|i| pod(&format!("p{i}"), &format!("node-{i}"), "old", Some(60)))
            .collect();
        let d2 = ds(json!({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": 2}}}}));
        let plan = rolling_update(&d2, &ns, &pods_by_node(&old), "new", now()).unwrap();
        assert_eq!(plan.delete, ["p0", "p1"]);
        assert!(plan.create.is_empty());
        // An unavailable new pod counts against the budget; an unavailable old pod always goes.
        let mut mixed = old.clone();
        mixed[0] = pod("n0", "node-0", "new", None);
        mixed[4] = pod("p4", "node-4", "old", None);
        let plan = rolling_update(&d2, &ns, &pods_by_node(&mixed), "new", now()).unwrap();
        assert_eq!(plan.delete, ["p4"]);
        // Percentages round up: 30% of 5 is 2.
        let d30 =
            ds(json!({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": "30%"}}}}));
        let plan = rolling_update(&d30, &ns, &pods_by_node(&old), "new", now()).unwrap();
        assert_eq!(plan.delete.len(), 2);
        // maxUnavailable 0 and maxSurge 0: one at a time anyway.
        let d0 = ds(json!({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}}}}));
        let plan = rolling_update(&d0, &ns, &pods_by_node(&old), "new", now()).unwrap();
        assert_eq!(plan.delete, ["p0"]);
        // A node without its pod counts as unavailable.
        let plan =
            rolling_update(&ds(json!({})), &ns, &pods_by_node(&old[1..]), "new", now()).unwrap();
        assert!(plan.delete.is_empty());
    }

    // update_test.go TestDaemonSetUpdatesPodsWithMaxSurge.
    #[test]
    fn rolling_update_with_max_surge() {
        let ns = nodes(5);
        let d = ds(
            json!({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 2}}}}),
        );
        let old: Vec<Pod> = (0..5)
            .map(|i| pod(&format!("p{i}"), &format!("node-{i}"), "old", Some(60)))
            .collect();
        let plan = rolling_update(&d, &ns, &pods_by_node(&old), "new", now()).unwrap();
        assert_eq!(plan.create, ["node-0", "node-1"]);
        assert!(plan.delete.is_empty());
        // A surged node whose new pod is available loses its old pod; one still starting
        // uses the surge.
        let mut pods = old.clone();
        pods.push(pod("n0", "node-0", "new", Some(5)));
        pods.push(pod("n1", "node-1", "new", None));
        let plan = rolling_update(&d, &ns, &pods_by_node(&pods), "new", now()).unwrap();
        assert_eq!(plan.delete, ["p0"]);
        assert_eq!(plan.create, ["node-2"]);
        // manage keeps both pods on a surged node until the new one is available.
        let plan = manage(&d, &ns, &pods_by_node(&pods), "new", now());
        assert_eq!(plan.delete, ["p0"]);
    }

    #[test]
    fn status_counts_and_rollout_status_lines() {
        let d = ds(json!({"spec": {"template": {"spec": {"nodeSelector": {"color": "blue"}}}}}));
        let ns = vec![
            node("node-0", json!({})),
            node("node-1", json!({})),
            node("node-2", json!({})),
            node("red", json!({"metadata": {"labels": {"color": "red"}}})),
        ];
        let pods = [
            pod("a", "node-0", "new", Some(60)),
            pod("b", "node-1", "old", Some(60)),
            pod("c", "red", "new", Some(60)),
        ];
        let st = status_of(&d, &ns, &pods_by_node(&pods), "new", now());
        assert_eq!(
            st,
            DsStatus {
                desired: 3,
                current: 2,
                misscheduled: 1,
                ready: 2,
                updated: 1,
                available: 2,
                unavailable: 1
            }
        );
        let v = st.to_value(2, None);
        assert_eq!(
            v,
            json!({"currentNumberScheduled": 2, "desiredNumberScheduled": 3, "numberAvailable": 2,
                   "numberMisscheduled": 1, "numberReady": 2, "numberUnavailable": 1,
                   "observedGeneration": 2, "updatedNumberScheduled": 1})
        );
        let with = |status: Value| {
            let mut d = serde_json::to_value(ds(json!({}))).unwrap();
            d["status"] = status;
            rollout_status(&DaemonSet::deserialize(&d).unwrap())
        };
        assert_eq!(
            with(json!({"observedGeneration": 0, "currentNumberScheduled": 0, "desiredNumberScheduled": 0,
                        "numberMisscheduled": 0, "numberReady": 0})).0,
            "Waiting for daemon set spec update to be observed...\n"
        );
        let base = |u: i32, a: i32| {
            json!({"observedGeneration": 1, "currentNumberScheduled": 3, "desiredNumberScheduled": 3,
                   "numberMisscheduled": 0, "numberReady": 3, "updatedNumberScheduled": u,
                   "numberAvailable": a})
        };
        assert_eq!(
            with(base(1, 3)).0,
            "Waiting for daemon set \"foo\" rollout to finish: 1 out of 3 new pods have been updated...\n"
        );
        assert_eq!(
            with(base(3, 2)).0,
            "Waiting for daemon set \"foo\" rollout to finish: 2 of 3 updated pods are available...\n"
        );
        assert_eq!(
            with(base(3, 3)),
            (
                "daemon set \"foo\" successfully rolled out\n".into(),
                true,
                None
            )
        );
        let on_delete =
            ds(json!({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": null}}}));
        assert_eq!(
            rollout_status(&on_delete).2.as_deref(),
            Some("rollout status is only available for RollingUpdate strategy type")
        );
    }

    /// Guards the failed-pod back-off (1 s doubling to 15 min, `IsInBackOffSinceUpdate`)
    /// and that it is kept in the state's manifest: the next command, whose controller
    /// remembers nothing, backs off where the last one left off; entries unused for twice the
    /// cap are forgotten.
    #[test]
    fn the_failed_pod_back_off_outlives_the_command() {
        let d = std::env::temp_dir().join(format!("kubesim-ds-backoff-{}", std::process::id()));
        let mut api = crate::api::bootstrap::scratch_api(&d, "2026-01-01T00:00:00Z");
        let t = |ms: i64| now() + SignedDuration::from_millis(ms);
        let allows = DaemonSetController::backoff_allows;
        assert_eq!(allows(&mut api, "default/foo/n1", t(0)), Ok(()));
        assert_eq!(
            allows(&mut api, "default/foo/n1", t(400)),
            Err(SignedDuration::from_millis(600))
        );
        assert_eq!(allows(&mut api, "default/foo/n1", t(1000)), Ok(()));
        // The next command: a controller that has seen nothing yet, over the manifest's
        // simulator state as this command leaves it.
        let engine = api.store.meta.engine.clone();
        drop(api);
        let mut api = crate::api::bootstrap::scratch_api(&d, "2026-01-01T00:00:00Z");
        api.store.meta.engine = engine;
        // The delay doubled to 2 s in the last command.
        assert_eq!(
            allows(&mut api, "default/foo/n1", t(2500)),
            Err(SignedDuration::from_millis(500))
        );
        assert_eq!(allows(&mut api, "default/foo/n1", t(3000)), Ok(()));
        assert_eq!(
            api.backoff_entry(COMPONENT, "default/foo/n1"),
            Some((t(3000), SignedDuration::from_secs(4)))
        );
        // Half an hour later another key's back-off forgets this one; it starts over.
        assert_eq!(
            allows(&mut api, "default/foo/n2", t(3000 + 1_800_001)),
            Ok(())
        );
        assert_eq!(api.backoff_entry(COMPONENT, "default/foo/n1"), None);
        let _ = std::fs::remove_dir_all(&d);
    }
}
