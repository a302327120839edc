//! The simulated `kube-scheduler` (default profile of Kubernetes 1.33), as a pure function.
//!
//! [`schedule`] takes one unscheduled pod, the nodes and the pods already assigned to each node,
//! and returns either the chosen node's name or the exact `FailedScheduling` message the real
//! scheduler would write (`0/3 nodes are available: ... preemption: ...`). It never mutates
//! anything: the engine binds the pod (`spec.nodeName`, condition `PodScheduled=True`, event
//! `Scheduled: Successfully assigned <ns>/<pod> to <node>`) or records the failure
//! (condition `PodScheduled=False` reason `Unschedulable`, Warning event `FailedScheduling`).
//! Pods the engine binds earlier in the same tick must already be in `pods_on_nodes` (the real
//! scheduler's "assumed" pods), otherwise pods of one ReplicaSet would not spread.
//!
//! # The scheduler cache
//! [`schedule`] costs O(all bound pods) per decision. A caller scheduling many pods keeps one
//! [`NodeInfo`] per node instead (like kube-scheduler's cache): [`NodeInfo::set_node`] when a
//! Node is added or changes (it parses labels, taints and allocatable once), [`NodeInfo::add`]
//! when a pod is bound/assumed or modified (an upsert by `namespace/name`; terminal pods drop
//! out), [`NodeInfo::remove`] when it is deleted. Each pod is described by a [`PodInfo`]
//! computed once (requests, host ports, tolerations, affinity, owner), straight from the API's
//! JSON by [`PodInfo::from_value`], which decodes only the fields the scheduler reads; the
//! infos keep running sums and slim copies of the pods, not the pods themselves. Then
//! [`schedule_prepared`] decides in O(nodes) in the common case (the paths that still scan
//! pods are listed there). [`schedule_cached`] is the same over typed pods and nodes, and
//! [`schedule`] (from scratch, building the infos with [`build_node_infos`]) a wrapper over it;
//! all three give identical results.
//!
//! ```ignore
//! let mut infos: BTreeMap<String, NodeInfo> = BTreeMap::new();
//! for n in &nodes { infos.entry(name(n)).or_default().set_node(n); }
//! for v in &bound_pods { infos.entry(node_name(v)).or_default().add(PodInfo::from_value(v)?); }
//! let pod = PodInfo::from_value(&unscheduled_pod)?;
//! if let Ok(node) = schedule_prepared(&pod, &infos) {
//!     // ... bind it, then "assume" it:
//!     infos.entry(node).or_default().add(pod);
//! }
//! ```
//!
//! # Filters (in the default plugin order; the first failing plugin is reported per node)
//! | plugin | reason in the message |
//! |---|---|
//! | NodeUnschedulable | `node(s) were unschedulable` (unless the pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`) |
//! | NodeName | `node(s) didn't match the requested node name` |
//! | TaintToleration | `node(s) had untolerated taint {<key>: <value>}` (first untolerated NoSchedule/NoExecute taint) |
//! | NodeAffinity | `node(s) didn't match Pod's node affinity/selector` (`nodeSelector` and required node affinity) |
//! | NodePorts | `node(s) didn't have free ports for the requested pod ports` |
//! | NodeResourcesFit | `Too many pods`, `Insufficient cpu`, `Insufficient memory`, `Insufficient ephemeral-storage`, `Insufficient <extended>` (all that apply) |
//! | VolumeBinding | `node(s) had volume node affinity conflict`, `node(s) didn't find available persistent volumes to bind`; its PreFilter's `persistentvolumeclaim "x" not found` and `pod has unbound immediate PersistentVolumeClaims` stand for every node |
//! | InterPodAffinity | `node(s) didn't match pod affinity rules`, `node(s) didn't match pod anti-affinity rules`, `node(s) didn't satisfy existing pods anti-affinity rules` |
//!
//! Requests are counted like `resourcehelper.PodRequests`: the sum over app containers (plus
//! restartable "sidecar" init containers), at least the largest init container, plus
//! `spec.overhead`; a container with a limit but no request counts its limit (API defaulting).
//! Pods in phase `Succeeded`/`Failed` on a node do not count. The message format is
//! `FitError.Error()`: reasons counted per node, rendered `"<count> <reason>"`, sorted as
//! strings, joined by `", "`, then the `DefaultPreemption` post-filter sentence: nodes that
//! failed an "unresolvable" filter (unschedulable, name, taint, affinity, or a request larger
//! than the whole node) count as `Preemption is not helpful for scheduling`, the others as
//! `No preemption victims found for incoming pod`. A pod with `preemptionPolicy: Never` gets
//! `preemption: not eligible due to preemptionPolicy=Never.` instead.
//!
//! # Scoring (highest total wins)
//! NodeResourcesFit `LeastAllocated` (weight 1), NodeResourcesBalancedAllocation (weight 1,
//! skipped for best-effort pods as in 1.33), TaintToleration on `PreferNoSchedule` taints
//! (weight 3), NodeAffinity preferred terms (weight 2) and the PodTopologySpread *system
//! default* hostname constraint (weight 2, maxSkew 3), where "matching pods" are those with the
//! same controller owner (uid) as the pod being scheduled (the real scheduler derives the same
//! set from the owner's selector). Scoring uses the non-zero requests (a container without a
//! cpu/memory request counts 100m / 200Mi). Ties, which the real scheduler breaks at random,
//! go to the node whose name sorts first.
//!
//! # Not simulated
//! Preemption itself (victims are never evicted: with lower-priority pods present the message
//! may differ from a real cluster), volume plugins other than VolumeBinding, user-written topology spread constraints,
//! ImageLocality, scheduling gates and extenders.
//!
//! Quantities are parsed by [`crate::util::quantity`] ([`parse_quantity`] and
//! [`parse_quantity_milli`] give the scheduler's units).
//!
//! # Layout
//! This module is the framework: the filter and score pipelines ([`schedule_prepared`] and
//! friends), the failure message and ties. [`pod_info`] and [`node_info`] are the cache's
//! types, [`resources`] the request arithmetic and quantity parser, [`plugins`] one module per
//! plugin. [`controller`] is the glue to the API (the [`Scheduler`] control loop) and
//! [`queue`] its unschedulable queue, `volumes` VolumeBinding's reads and PreBind writes
//! through the API; the rest is pure and takes no store or API type.

pub mod controller;
pub mod node_info;
pub mod plugins;
pub mod pod_info;
pub mod queue;
pub mod resources;
#[cfg(test)]
pub(crate) mod testing;
mod volumes;

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

pub use controller::Scheduler;
pub use node_info::{NodeInfo, build_node_infos};
pub use plugins::inter_pod_affinity::label_selector_matches;
pub use plugins::node_affinity::node_matches_pod_affinity;
pub use plugins::node_ports::HostPort;
pub use plugins::taint_toleration::{first_untolerated_taint, pod_tolerates, toleration_tolerates};
pub use pod_info::{PodInfo, PodMeta, value_key};
pub use resources::{
    DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, Resources, node_allocatable, parse_quantity,
    parse_quantity_milli, pod_requests, resource_amount,
};

use node_info::NodeFacts;
use plugins::inter_pod_affinity::Cluster;
use plugins::{
    balanced_allocation, inter_pod_affinity, node_affinity, node_name, node_ports,
    node_resources_fit, node_unschedulable, pod_topology_spread, taint_toleration, volume_binding,
};

const MAX_NODE_SCORE: i64 = 100;
const PREEMPTION_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
const PREEMPTION_NO_VICTIMS: &str = "No preemption victims found for incoming pod";
/// Message when the cluster has no nodes at all (`ErrNoNodesAvailable`).
pub const NO_NODES_AVAILABLE: &str = "no nodes available to schedule pods";

static EMPTY_LABELS: BTreeMap<String, String> = BTreeMap::new();

// ---------------------------------------------------------------------------------------------
// Filtering
// ---------------------------------------------------------------------------------------------

/// The outcome of the filters on one node.
struct NodeStatus {
    reasons: Vec<String>,
    unresolvable: bool,
}

fn fail(reason: &str, unresolvable: bool) -> Option<NodeStatus> {
    Some(NodeStatus {
        reasons: vec![reason.to_string()],
        unresolvable,
    })
}

/// A node considered for the pod: what is known of the node and of its pods.
#[derive(Clone, Copy)]
struct Candidate<'a> {
    node: &'a NodeFacts,
    info: &'a NodeInfo,
}

/// Runs the filters in the default order; `None` means the node fits.
fn filter_node(
    pod: &PodInfo,
    node: &NodeFacts,
    info: &NodeInfo,
    cluster: &Cluster,
    existing_anti: &[(&str, &PodInfo)],
) -> Option<NodeStatus> {
    node_unschedulable::filter(pod, node)
        .or_else(|| node_name::filter(pod, node))
        .or_else(|| taint_toleration::filter(pod, node))
        .or_else(|| node_affinity::filter(pod, node))
        .or_else(|| node_ports::filter(pod, info))
        .or_else(|| node_resources_fit::filter(pod, node, info))
        .or_else(|| volume_binding::filter(pod, node))
        .or_else(|| inter_pod_affinity::filter(pod, node, cluster, existing_anti))
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/// The total scores of the feasible nodes, in their order.
fn score_nodes(pod: &PodInfo, feasible: &[Candidate]) -> Vec<i64> {
    let (cpu, memory) = (pod.cpu(), pod.memory());
    let best_effort = cpu == 0 && memory == 0;
    let n = feasible.len();
    let mut total = Vec::with_capacity(n);
    let mut taint = Vec::with_capacity(n);
    let mut affinity = Vec::with_capacity(n);
    let mut spread = Vec::with_capacity(if pod.owner_key.is_some() { n } else { 0 });
    let spread_weight = pod_topology_spread::weight(n);
    for Candidate { node, info } in feasible {
        let fit = node_resources_fit::score(pod, node, info);
        let balanced = if best_effort {
            0
        } else {
            balanced_allocation::score(node, info, cpu, memory)
        };
        total.push(fit + balanced);
        taint.push(taint_toleration::score(pod, node));
        affinity.push(node_affinity::score(pod, node));
        if let Some(key) = &pod.owner_key {
            spread.push(pod_topology_spread::score(key, node, info, spread_weight));
        }
    }
    plugins::normalize(&mut taint, true);
    plugins::normalize(&mut affinity, false);
    if pod.owner_key.is_some() {
        pod_topology_spread::normalize(&mut spread);
    }
    for (i, t) in total.iter_mut().enumerate() {
        *t += 3 * taint[i] + 2 * affinity[i] + 2 * spread.get(i).copied().unwrap_or(0);
    }
    total
}

// ---------------------------------------------------------------------------------------------
// The entry points
// ---------------------------------------------------------------------------------------------

/// Chooses a node for `pod` (filters, then scores; ties go to the first node name) or returns
/// the `FailedScheduling` message exactly as kube-scheduler 1.33 words it.
///
/// `pods_on_nodes` maps a node name to the pods bound (or assumed) there; terminal pods are
/// ignored. Nodes are considered in name order whatever the order of `nodes`.
///
/// This builds the [`NodeInfo`]s from scratch (O(pods)) and calls [`schedule_cached`]; a
/// caller scheduling many pods should keep the infos itself.
pub fn schedule(
    pod: &Pod,
    nodes: &[&Node],
    pods_on_nodes: &BTreeMap<String, Vec<&Pod>>,
) -> Result<String, String> {
    let infos = build_node_infos(nodes, pods_on_nodes);
    schedule_cached(pod, nodes, &infos)
}

/// [`schedule`] over cached [`NodeInfo`]s for their pods (by node name; a node without an
/// info counts as empty). The nodes themselves are taken from `nodes`, parsed on every call
/// (whatever [`NodeInfo::set_node`] saw); infos of names not in `nodes` only matter to pod
/// (anti-)affinity, as in `schedule`. A caller that keeps every info's node current should
/// call [`schedule_prepared`], which parses nothing.
pub fn schedule_cached(
    pod: &Pod,
    nodes: &[&Node],
    infos: &BTreeMap<String, NodeInfo>,
) -> Result<String, String> {
    let mut sorted: Vec<&Node> = nodes.to_vec();
    sorted.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let facts: Vec<NodeFacts> = sorted.iter().map(|n| NodeFacts::new(n)).collect();
    let empty = NodeInfo::default();
    let candidates: Vec<Candidate> = facts
        .iter()
        .map(|node| Candidate {
            node,
            info: infos.get(node.name()).unwrap_or(&empty),
        })
        .collect();
    decide(&PodInfo::from_pod(pod), &candidates, infos)
}

/// The scheduler's decision for `pod` over the nodes the infos hold (those that saw
/// [`NodeInfo::set_node`]; the others only carry pods for pod (anti)-affinity), in name
/// order: the node's name, or the `FailedScheduling` message. Identical to [`schedule_cached`]
/// when every info's node is current.
///
/// Cost: O(nodes) with small constants (running sums, parsed nodes, a hashed owner count);
/// these paths stay O(pods):
/// - the pod itself has required pod affinity or anti-affinity (each term scans the pods of
///   the topology domain, per node);
/// - existing pods with required anti-affinity: only those pods are scanned, per node;
/// - no node fits and some failing node holds pods of lower priority than the pod (the
///   preemption dry run rebuilds that node's aggregates from its pods).
///
/// Timing: see the ignored test `timing_100_nodes_10k_pods`.
pub fn schedule_prepared(
    pod: &PodInfo,
    infos: &BTreeMap<String, NodeInfo>,
) -> Result<String, String> {
    let mut candidates: Vec<Candidate> = Vec::with_capacity(infos.len());
    candidates.extend(
        infos
            .values()
            .filter_map(|info| info.node.as_ref().map(|node| Candidate { node, info })),
    );
    decide(pod, &candidates, infos)
}

/// Whether `pod` passes every filter on the node `name` as the cache holds the cluster now:
/// what the queueing hints of a 1.33 scheduler ask before a cluster event moves an
/// unschedulable pod back to the active queue.
pub fn fits_node(pod: &PodInfo, name: &str, infos: &BTreeMap<String, NodeInfo>) -> bool {
    let candidates: Vec<Candidate> = infos
        .values()
        .filter_map(|info| info.node.as_ref().map(|node| Candidate { node, info }))
        .collect();
    let Some(c) = candidates.iter().find(|c| c.node.name() == name) else {
        return false;
    };
    let cluster = Cluster::new(&candidates, infos, None);
    let existing_anti = cluster.existing_anti_affinity();
    filter_node(pod, c.node, c.info, &cluster, &existing_anti).is_none()
}

/// Filters, scores and the failure message over `candidates` (in name order).
fn decide(
    pod: &PodInfo,
    candidates: &[Candidate],
    infos: &BTreeMap<String, NodeInfo>,
) -> Result<String, String> {
    if candidates.is_empty() {
        return Err(NO_NODES_AVAILABLE.to_string());
    }
    let n = candidates.len();
    // A PreFilter rejection (VolumeBinding's) stands for every node: FitError prints its
    // message instead of the per-node histogram, and preemption cannot help anywhere.
    if let Some(msg) = pod.volumes.as_ref().and_then(|v| v.rejection.as_ref()) {
        let post = if pod.preemption_never {
            " preemption: not eligible due to preemptionPolicy=Never.".to_string()
        } else {
            format!(" preemption: 0/{n} nodes are available: {n} {PREEMPTION_NOT_HELPFUL}.")
        };
        return Err(format!("0/{n} nodes are available: {msg}.{post}"));
    }
    let cluster = Cluster::new(candidates, infos, None);
    let existing_anti = cluster.existing_anti_affinity();
    let mut feasible: Vec<Candidate> = Vec::with_capacity(candidates.len());
    let mut statuses: Vec<(Candidate, NodeStatus)> = Vec::new();
    for c in candidates {
        match filter_node(pod, c.node, c.info, &cluster, &existing_anti) {
            None => feasible.push(*c),
            Some(st) => statuses.push((*c, st)),
        }
    }
    if !feasible.is_empty() {
        let scores = score_nodes(pod, &feasible);
        let mut best = 0;
        for (i, s) in scores.iter().enumerate() {
            if *s > scores[best] {
                best = i;
            }
        }
        return Ok(feasible[best].node.name().to_string());
    }
    let mut msg = format!(
        "0/{n} nodes are available: {}.",
        histogram(statuses.iter().flat_map(|(_, s)| s.reasons.iter().cloned()))
    );
    if pod.preemption_never {
        msg.push_str(" preemption: not eligible due to preemptionPolicy=Never.");
        return Err(msg);
    }
    let mut post = Vec::new();
    for (c, st) in &statuses {
        if st.unresolvable {
            post.push(PREEMPTION_NOT_HELPFUL.to_string());
            continue;
        }
        if c.info.lower_priority_pods(pod.priority) == 0 {
            post.push(PREEMPTION_NO_VICTIMS.to_string());
            continue;
        }
        // Victims exist: report what still fails without them (a real cluster would preempt
        // when nothing fits; see the module docs).
        let reduced = c.info.without_lower_priority(pod.priority);
        let reduced_cluster = Cluster::new(candidates, infos, Some((c.node.name(), &reduced)));
        let anti = reduced_cluster.existing_anti_affinity();
        match filter_node(pod, c.node, &reduced, &reduced_cluster, &anti) {
            Some(s) => post.extend(s.reasons),
            None => post.push(PREEMPTION_NO_VICTIMS.to_string()),
        }
    }
    msg.push_str(&format!(
        " preemption: 0/{n} nodes are available: {}.",
        histogram(post.into_iter())
    ));
    Err(msg)
}

/// `"<count> <reason>"` per distinct reason, sorted as strings, joined by `", "`.
fn histogram(reasons: impl Iterator<Item = String>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in reasons {
        *counts.entry(r).or_insert(0) += 1;
    }
    let mut parts: Vec<String> = counts.iter().map(|(r, c)| format!("{c} {r}")).collect();
    parts.sort();
    parts.join(", ")
}

/// The distinct node names that currently hold pods matching `selector` in `namespace`;
/// a helper for callers that want to explain spreading.
pub fn nodes_with_matching_pods(
    pods_on_nodes: &BTreeMap<String, Vec<&Pod>>,
    namespace: &str,
    selector: &LabelSelector,
) -> BTreeSet<String> {
    pods_on_nodes
        .iter()
        .filter(|(_, pods)| {
            pods.iter().any(|p| {
                p.metadata.namespace.as_deref().unwrap_or("default") == namespace
                    && label_selector_matches(
                        selector,
                        p.metadata.labels.as_ref().unwrap_or(&EMPTY_LABELS),
                    )
            })
        })
        .map(|(n, _)| n.clone())
        .collect()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::testing::*;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

    #[test]
    fn histogram_sorts_as_strings() {
        let r = vec!["b".to_string(); 10]
            .into_iter()
            .chain(["a".to_string(), "a".to_string()]);
        assert_eq!(histogram(r), "10 b, 2 a");
    }

    #[test]
    fn cached_matches_from_scratch_on_random_clusters() {
        let mut totals = (0, 0);
        for seed in 1..=4 {
            let (ok, failed) = run_scenario(seed, 12, 300, schedule);
            totals = (totals.0 + ok, totals.1 + failed);
        }
        // Both outcomes are exercised.
        assert!(totals.0 > 300 && totals.1 > 100, "{totals:?}");
    }

    #[test]
    fn missing_or_stale_node_info() {
        let mut nodes = [node("a", "1", "1Gi"), node("b", "4", "8Gi")];
        let infos = BTreeMap::from([("a".to_string(), NodeInfo::new(&nodes[0]))]);
        // "a" is cached as 1 cpu, "b" has no info at all.
        let refs: Vec<&Node> = nodes.iter().collect();
        let p = pod("p", Some("2"), None);
        assert_eq!(schedule_cached(&p, &refs, &infos), Ok("b".into()));
        // "a" grew without set_node: the stale cache is not trusted.
        nodes[0]
            .status
            .as_mut()
            .unwrap()
            .allocatable
            .as_mut()
            .unwrap()
            .insert("cpu".into(), Quantity("64".into()));
        let refs: Vec<&Node> = nodes.iter().collect();
        assert_eq!(schedule_cached(&p, &refs, &infos), Ok("a".into()));
    }

    /// 100 nodes, 10,000 bound pods of 1,000 ReplicaSets: one `schedule_cached` decision.
    /// `schedule_prepared` is independent of the pod count; `schedule_cached` adds parsing the
    /// nodes; the from-scratch `schedule` is dominated by building the infos.
    /// Run with `cargo test timing_100_nodes_10k_pods -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn timing_100_nodes_10k_pods() {
        let nodes: Vec<Node> = (0..100)
            .map(|i| {
                let mut n = node(&format!("node-{i:03}"), "64", "256Gi");
                n.status
                    .as_mut()
                    .unwrap()
                    .allocatable
                    .as_mut()
                    .unwrap()
                    .insert("pods".into(), Quantity("200".into()));
                n
            })
            .collect();
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut infos: BTreeMap<String, NodeInfo> = nodes
            .iter()
            .map(|n| (n.metadata.name.clone().unwrap(), NodeInfo::new(n)))
            .collect();
        let owned = |i: usize| {
            let mut p = pod(&format!("web-{i}"), Some("10m"), Some("16Mi"));
            p.metadata.owner_references = Some(vec![OwnerReference {
                uid: format!("rs-{}", i / 10),
                controller: Some(true),
                ..Default::default()
            }]);
            p
        };
        let mut bound = Vec::new();
        for i in 0..10_000 {
            let mut p = owned(i);
            let n = format!("node-{:03}", i % 100);
            p.spec.as_mut().unwrap().node_name = Some(n.clone());
            infos.get_mut(&n).unwrap().add_pod(&p);
            bound.push(p);
        }
        let p = owned(10_001);
        let start = std::time::Instant::now();
        let rounds = 100;
        for _ in 0..rounds {
            schedule_cached(&p, &refs, &infos).unwrap();
        }
        let cached = start.elapsed() / rounds;
        let info = PodInfo::from_pod(&p);
        let start = std::time::Instant::now();
        for _ in 0..rounds {
            schedule_prepared(&info, &infos).unwrap();
        }
        let prepared = start.elapsed() / rounds;
        let mut on_nodes: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
        for q in &bound {
            on_nodes
                .entry(q.spec.as_ref().unwrap().node_name.clone().unwrap())
                .or_default()
                .push(q);
        }
        let start = std::time::Instant::now();
        let slow = schedule(&p, &refs, &on_nodes);
        let from_scratch = start.elapsed();
        assert_eq!(slow, schedule_cached(&p, &refs, &infos));
        assert_eq!(slow, schedule_prepared(&info, &infos));
        println!(
            "schedule_prepared: {prepared:?}, schedule_cached: {cached:?} per decision; \
             schedule: {from_scratch:?}"
        );
    }
}
