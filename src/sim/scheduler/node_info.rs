//! [`NodeInfo`]: the incremental per-node cache (the parsed node and running sums of its pods).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hash, Hasher};

use k8s_openapi::api::core::v1::{Node, Pod, Taint};

use super::plugins::node_affinity::node_labels;
use super::plugins::node_ports::HostPort;
use super::pod_info::{PodInfo, pod_key};
use super::resources::{Resources, amount, node_allocatable};

/// What the filters read of a Node, parsed once.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct NodeFacts {
    pub(super) name: Option<String>,
    pub(super) labels: BTreeMap<String, String>,
    pub(super) unschedulable: bool,
    /// `NoSchedule` and `NoExecute` taints, in the node's order.
    pub(super) hard_taints: Vec<Taint>,
    /// `PreferNoSchedule` taints.
    pub(super) soft_taints: Vec<Taint>,
    pub(super) has_hostname: bool,
    pub(super) allocatable: Resources,
    pub(super) alloc_cpu: i128,
    pub(super) alloc_memory: i128,
    pub(super) alloc_ephemeral: i128,
    pub(super) alloc_pods: i128,
}

impl NodeFacts {
    pub(super) fn new(node: &Node) -> NodeFacts {
        let taints = node
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or(&[]);
        let labels = node_labels(node).clone();
        let allocatable = node_allocatable(node);
        NodeFacts {
            name: node.metadata.name.clone(),
            unschedulable: node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true),
            hard_taints: taints
                .iter()
                .filter(|t| matches!(t.effect.as_str(), "NoSchedule" | "NoExecute"))
                .cloned()
                .collect(),
            soft_taints: taints
                .iter()
                .filter(|t| t.effect == "PreferNoSchedule")
                .cloned()
                .collect(),
            has_hostname: labels.contains_key("kubernetes.io/hostname"),
            labels,
            alloc_cpu: amount(&allocatable, "cpu"),
            alloc_memory: amount(&allocatable, "memory"),
            alloc_ephemeral: amount(&allocatable, "ephemeral-storage"),
            alloc_pods: amount(&allocatable, "pods"),
            allocatable,
        }
    }

    pub(super) fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
}

/// A controller owner's `namespace/uid` with its hash, computed once per pod: the owner counts
/// are looked up once per node per decision, so hashing the string each time would dominate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct OwnerKey {
    pub(super) hash: u64,
    pub(super) key: String,
}

impl OwnerKey {
    pub(super) fn new(key: String) -> OwnerKey {
        // FxHash's mixing over 8-byte words, then splitmix64's finalizer.
        let mut h = 0u64;
        for c in key.as_bytes().chunks(8) {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        h ^= key.len() as u64;
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        OwnerKey {
            hash: h ^ (h >> 31),
            key,
        }
    }
}

impl Hash for OwnerKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The hasher of [`OwnerKey`]s: their hash is already computed.
#[derive(Clone, Copy, Default)]
pub(super) struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Not used by OwnerKey; kept correct for any other input.
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Live pods by controller owner; never iterated, so its order cannot reach any output.
pub(super) type OwnerCounts = HashMap<OwnerKey, usize, BuildHasherDefault<PrehashedHasher>>;

/// What the scheduler knows about one node, kept up to date incrementally like
/// kube-scheduler's `framework.NodeInfo`: the node's parsed labels, taints and allocatable
/// resources and the aggregates of the live pods bound (or assumed) on it, as running sums.
///
/// Build one per node with [`NodeInfo::set_node`] (again whenever the Node changes) and
/// [`NodeInfo::add`] / [`NodeInfo::remove`] as pods come and go (or the typed
/// [`NodeInfo::add_pod`] / [`NodeInfo::remove_pod`]); then call [`schedule_prepared`] (or
/// [`schedule_cached`]). Pods are identified by `namespace/name`: adding is an upsert (a newer
/// version of a pod replaces the old one; a terminal version removes it), so a watch consumer
/// can add on every Added/Modified event and remove on Deleted. Both cost O(containers + log
/// pods). All aggregates are canonical (no zero entries), so two infos holding the same pods
/// compare equal whatever the order of updates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeInfo {
    /// The node as of the last `set_node` (`None`: pods on a node the cache has not seen).
    pub(super) node: Option<NodeFacts>,
    pub(super) requested: Resources,
    pub(super) non_zero_requested: Resources,
    /// `requested` / `non_zero_requested` of cpu, memory, ephemeral-storage, for the filters
    /// and scores.
    pub(super) req_cpu: i128,
    pub(super) req_memory: i128,
    pub(super) req_ephemeral: i128,
    pub(super) nz_cpu: i128,
    pub(super) nz_memory: i128,
    /// Live pods by `namespace/name`.
    pub(super) pods: BTreeMap<String, PodInfo>,
    pub(super) host_ports: BTreeMap<HostPort, usize>,
    /// Pods without a deletionTimestamp by `namespace/controller-uid`.
    pub(super) owners: OwnerCounts,
    /// Pods by `spec.priority` (0 when unset), for the preemption post-filter.
    pub(super) priorities: BTreeMap<i32, usize>,
    /// How many pods carry required pod anti-affinity terms.
    pub(super) anti_affinity_pods: usize,
}

/// Adds (`up`) or subtracts `v` into `acc[k]`, dropping the entry when it becomes 0. Wrapping
/// arithmetic keeps add-then-remove exact even for absurd quantities.
pub(super) fn merge_one(acc: &mut Resources, k: &str, v: i128, up: bool) {
    if v == 0 {
        return;
    }
    let e = match acc.get_mut(k) {
        Some(e) => e,
        None => acc.entry(k.to_string()).or_insert(0),
    };
    *e = if up {
        e.wrapping_add(v)
    } else {
        e.wrapping_sub(v)
    };
    if *e == 0 {
        acc.remove(k);
    }
}

pub(super) fn bump<K: Ord>(m: &mut BTreeMap<K, usize>, k: K, up: bool) {
    if up {
        *m.entry(k).or_insert(0) += 1;
    } else if let Some(c) = m.get_mut(&k) {
        *c -= 1;
        if *c == 0 {
            m.remove(&k);
        }
    }
}

pub(super) static EMPTY_RESOURCES: Resources = BTreeMap::new();

impl NodeInfo {
    /// An info for `node` with no pods.
    pub fn new(node: &Node) -> NodeInfo {
        let mut info = NodeInfo::default();
        info.set_node(node);
        info
    }

    /// Records the node: labels, taints and allocatable resources (parsed once here, not per
    /// scheduling decision).
    pub fn set_node(&mut self, node: &Node) {
        self.node = Some(NodeFacts::new(node));
    }

    /// Adds (or replaces, by `namespace/name`) a pod bound or assumed on this node. A pod in
    /// phase `Succeeded`/`Failed` is not counted (an older live version of it is removed).
    pub fn add(&mut self, pod: PodInfo) {
        let key = pod.key();
        self.remove(&key);
        if pod.terminal {
            return;
        }
        let pod = pod.into_stored();
        self.account(&pod, true);
        self.pods.insert(key, pod);
    }

    /// Removes the pod stored under `key` (`namespace/name`), subtracting what it
    /// contributed. Returns whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        match self.pods.remove(key) {
            Some(old) => {
                self.account(&old, false);
                true
            }
            None => false,
        }
    }

    /// Whether a pod is stored under `key` (`namespace/name`).
    pub fn contains(&self, key: &str) -> bool {
        self.pods.contains_key(key)
    }

    /// [`NodeInfo::add`] for a typed pod.
    pub fn add_pod(&mut self, pod: &Pod) {
        self.add(PodInfo::from_pod(pod));
    }

    /// Removes the pod with this pod's `namespace/name`, subtracting what the stored version
    /// contributed (so any version of the pod may be passed). Returns whether it was there.
    pub fn remove_pod(&mut self, pod: &Pod) -> bool {
        self.remove(&pod_key(pod))
    }

    pub(super) fn account(&mut self, pod: &PodInfo, up: bool) {
        for (k, v) in &pod.requests {
            merge_one(&mut self.requested, k, *v, up);
            if k != "cpu" && k != "memory" {
                merge_one(&mut self.non_zero_requested, k, *v, up);
            }
        }
        merge_one(&mut self.non_zero_requested, "cpu", pod.nz_cpu, up);
        merge_one(&mut self.non_zero_requested, "memory", pod.nz_memory, up);
        self.req_cpu = amount(&self.requested, "cpu");
        self.req_memory = amount(&self.requested, "memory");
        self.req_ephemeral = amount(&self.requested, "ephemeral-storage");
        self.nz_cpu = amount(&self.non_zero_requested, "cpu");
        self.nz_memory = amount(&self.non_zero_requested, "memory");
        for (ip, proto, port) in &pod.ports {
            bump(&mut self.host_ports, (*port, proto.clone(), ip.clone()), up);
        }
        if !pod.deleting
            && let Some(k) = &pod.owner_key
        {
            if up {
                match self.owners.get_mut(k) {
                    Some(c) => *c += 1,
                    None => {
                        self.owners.insert(k.clone(), 1);
                    }
                }
            } else if let Some(c) = self.owners.get_mut(k) {
                *c -= 1;
                if *c == 0 {
                    self.owners.remove(k);
                }
            }
        }
        bump(&mut self.priorities, pod.priority, up);
        if !pod.anti_affinity_terms.is_empty() {
            if up {
                self.anti_affinity_pods += 1;
            } else {
                self.anti_affinity_pods -= 1;
            }
        }
    }

    /// The node's allocatable resources as of the last [`NodeInfo::set_node`] (empty before).
    pub fn allocatable(&self) -> &Resources {
        self.node
            .as_ref()
            .map_or(&EMPTY_RESOURCES, |n| &n.allocatable)
    }

    /// Sum of the live pods' requests (`pod_requests(p, false)`), as NodeResourcesFit filters.
    pub fn requested(&self) -> &Resources {
        &self.requested
    }

    /// Sum of the live pods' non-zero requests (`pod_requests(p, true)`), as the scorers use.
    pub fn non_zero_requested(&self) -> &Resources {
        &self.non_zero_requested
    }

    /// Number of live pods on the node.
    pub fn pod_count(&self) -> usize {
        self.pods.len()
    }

    /// The live pods (as the info keeps them), in `namespace/name` order.
    pub fn pods(&self) -> impl Iterator<Item = &PodInfo> {
        self.pods.values()
    }

    /// The host ports in use, with how many pods use each.
    pub fn host_ports(&self) -> &BTreeMap<HostPort, usize> {
        &self.host_ports
    }

    /// How many live, not-being-deleted pods in `namespace` have the controller owner `uid`.
    pub fn owner_pod_count(&self, namespace: &str, uid: &str) -> usize {
        self.owners
            .get(&OwnerKey::new(format!("{namespace}/{uid}")))
            .copied()
            .unwrap_or(0)
    }

    /// Live pods with a priority lower than `priority` (preemption candidates).
    pub(super) fn lower_priority_pods(&self, priority: i32) -> usize {
        self.priorities.range(..priority).map(|(_, c)| c).sum()
    }

    /// A copy of the pod aggregates holding only the pods with at least `priority` (the
    /// preemption dry run; the node itself is not copied).
    pub(super) fn without_lower_priority(&self, priority: i32) -> NodeInfo {
        let mut out = NodeInfo::default();
        for p in self.pods.values().filter(|p| p.priority >= priority) {
            out.add(p.clone());
        }
        out
    }
}

/// Builds the [`NodeInfo`]s [`schedule_cached`] needs from scratch: one per key of
/// `pods_on_nodes` (with its pods) and one per node (with the node). Pods listed twice on one
/// node under the same `namespace/name` count once.
pub fn build_node_infos(
    nodes: &[&Node],
    pods_on_nodes: &BTreeMap<String, Vec<&Pod>>,
) -> BTreeMap<String, NodeInfo> {
    let mut infos: BTreeMap<String, NodeInfo> = BTreeMap::new();
    for (name, pods) in pods_on_nodes {
        let info = infos.entry(name.clone()).or_default();
        for p in pods {
            info.add_pod(p);
        }
    }
    for n in nodes {
        infos
            .entry(n.metadata.name.clone().unwrap_or_default())
            .or_default()
            .set_node(n);
    }
    infos
}

impl NodeInfo {
    /// Whether `node` differs from the node last recorded in what the filters read (labels,
    /// taints, unschedulable, allocatable): a status write that only moves heartbeats or lists
    /// images does not.
    pub fn node_differs(&self, node: &Node) -> bool {
        self.node.as_ref() != Some(&NodeFacts::new(node))
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::DEFAULT_MEMORY_REQUEST;
    use crate::sim::scheduler::testing::*;
    use k8s_openapi::api::core::v1::{ContainerPort, PodStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

    #[test]
    fn add_remove_round_trip() {
        let mut rng = Rng::new(42);
        let nodes = random_nodes(&mut rng, 1);
        let pods: Vec<Pod> = (0..200).map(|i| random_pod(&mut rng, i)).collect();
        let mut info = NodeInfo::new(&nodes[0]);
        let empty = info.clone();
        for p in &pods[..100] {
            info.add_pod(p);
        }
        let half = info.clone();
        for p in &pods[100..] {
            info.add_pod(p);
        }
        // Re-adding is an upsert, not a double count.
        let full = info.clone();
        info.add_pod(&pods[150]);
        assert_eq!(info, full);
        for p in pods[100..].iter().rev() {
            assert!(info.remove_pod(p));
        }
        assert_eq!(info, half);
        assert!(!info.remove_pod(&pods[150]));
        // The same pods added in another order give the same aggregates.
        let mut other = NodeInfo::new(&nodes[0]);
        for p in pods[..100].iter().rev() {
            other.add_pod(p);
        }
        assert_eq!(other, half);
        for p in &pods[..100] {
            info.remove_pod(p);
        }
        assert_eq!(info, empty);
        assert!(info.requested().is_empty() && info.non_zero_requested().is_empty());
        assert!(info.host_ports().is_empty());
    }

    #[test]
    fn node_info_aggregates() {
        let n = node("w", "4", "8Gi");
        let mut info = NodeInfo::new(&n);
        assert_eq!(info.allocatable()["cpu"], 4000);
        assert_eq!(info.allocatable()["pods"], 110);
        let mut a = pod("a", Some("250m"), None);
        a.metadata.owner_references = Some(vec![OwnerReference {
            uid: "rs".into(),
            controller: Some(true),
            ..Default::default()
        }]);
        a.spec.as_mut().unwrap().containers[0].ports = Some(vec![ContainerPort {
            container_port: 80,
            host_port: Some(8080),
            ..Default::default()
        }]);
        info.add_pod(&a);
        info.add_pod(&pod("b", None, Some("1Gi")));
        assert_eq!(
            info.requested(),
            &Resources::from([("cpu".into(), 250), ("memory".into(), 1 << 30)])
        );
        assert_eq!(
            info.non_zero_requested(),
            &Resources::from([
                ("cpu".into(), 350),
                ("memory".into(), DEFAULT_MEMORY_REQUEST + (1 << 30))
            ])
        );
        assert_eq!(info.pod_count(), 2);
        assert_eq!(info.owner_pod_count("default", "rs"), 1);
        assert_eq!(info.owner_pod_count("other", "rs"), 0);
        assert_eq!(
            info.host_ports().keys().collect::<Vec<_>>(),
            [&(8080, "TCP".to_string(), "0.0.0.0".to_string())]
        );
        // A terminal version removes the pod.
        a.status = Some(PodStatus {
            phase: Some("Failed".into()),
            ..Default::default()
        });
        info.add_pod(&a);
        assert_eq!(info.pod_count(), 1);
        assert_eq!(info.owner_pod_count("default", "rs"), 0);
        assert!(info.host_ports().is_empty());
        assert_eq!(
            info.pods()
                .map(|p| p.metadata.name.as_deref())
                .collect::<Vec<_>>(),
            [Some("b")]
        );
    }
}
