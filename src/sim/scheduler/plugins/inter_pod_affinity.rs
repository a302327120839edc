//! InterPodAffinity: the incoming pod's required pod affinity and anti-affinity, and the
//! required anti-affinity of the pods already placed, over topology domains.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::PodAffinityTerm;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::super::node_info::{NodeFacts, NodeInfo};
use super::super::pod_info::PodInfo;
use super::super::{Candidate, NodeStatus, fail};

const REASON_POD_AFFINITY: &str = "node(s) didn't match pod affinity rules";
const REASON_POD_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
const REASON_EXISTING_ANTI_AFFINITY: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// Whether a label selector matches a label set (`matchLabels` and `matchExpressions`).
/// An empty selector matches everything.
pub fn label_selector_matches(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    if let Some(ml) = &sel.match_labels
        && !ml.iter().all(|(k, v)| labels.get(k) == Some(v))
    {
        return false;
    }
    sel.match_expressions.iter().flatten().all(|r| {
        let values = r.values.as_deref().unwrap_or(&[]);
        let v = labels.get(&r.key);
        match r.operator.as_str() {
            "In" => v.is_some_and(|v| values.contains(v)),
            "NotIn" => v.is_none_or(|v| !values.contains(v)),
            "Exists" => v.is_some(),
            "DoesNotExist" => v.is_none(),
            _ => false,
        }
    })
}

fn affinity_term_matches(term: &PodAffinityTerm, owner: &PodInfo, other: &PodInfo) -> bool {
    let ns_ok = match &term.namespaces {
        Some(nss) if !nss.is_empty() => nss.iter().any(|n| n == other.namespace()),
        _ => term.namespace_selector.is_some() || owner.namespace() == other.namespace(),
    };
    if !ns_ok {
        return false;
    }
    term.label_selector
        .as_ref()
        .is_some_and(|s| label_selector_matches(s, other.labels()))
}

/// The whole cluster as the InterPodAffinity filter sees it.
pub(in crate::sim::scheduler) struct Cluster<'a> {
    candidates: &'a [Candidate<'a>],
    /// The candidates by name, built on first use (only pod (anti-)affinity needs it).
    nodes: OnceCell<BTreeMap<&'a str, &'a NodeFacts>>,
    infos: &'a BTreeMap<String, NodeInfo>,
    /// The preemption dry run: this node's info stands in for the cached one.
    replaced: Option<(&'a str, &'a NodeInfo)>,
}

impl<'a> Cluster<'a> {
    pub(in crate::sim::scheduler) fn new(
        candidates: &'a [Candidate<'a>],
        infos: &'a BTreeMap<String, NodeInfo>,
        replaced: Option<(&'a str, &'a NodeInfo)>,
    ) -> Cluster<'a> {
        Cluster {
            candidates,
            nodes: OnceCell::new(),
            infos,
            replaced,
        }
    }

    /// Every node info (including nodes not in the node list), with the replacement applied.
    fn infos(&self) -> impl Iterator<Item = (&'a str, &'a NodeInfo)> + '_ {
        self.infos.iter().map(|(n, i)| match self.replaced {
            Some((r, ri)) if r == n => (n.as_str(), ri),
            _ => (n.as_str(), i),
        })
    }

    fn topology_value(&self, node: &str, key: &str) -> Option<&'a str> {
        self.nodes
            .get_or_init(|| {
                self.candidates
                    .iter()
                    .map(|c| (c.node.name(), c.node))
                    .collect()
            })
            .get(node)
            .and_then(|n| n.labels.get(key))
            .map(String::as_str)
    }

    /// Live pods in the same topology domain (`key` = value of `node`). O(nodes + pods).
    fn pods_in_domain(&self, node: &NodeFacts, key: &str) -> Vec<&'a PodInfo> {
        let Some(val) = node.labels.get(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, info) in self.infos() {
            if self.topology_value(name, key) == Some(val.as_str()) {
                out.extend(info.pods.values());
            }
        }
        out
    }

    /// Existing pods with required anti-affinity terms, with their node. O(nodes) plus the
    /// pods of the nodes that hold such pods (normally none).
    pub(in crate::sim::scheduler) fn existing_anti_affinity(&self) -> Vec<(&'a str, &'a PodInfo)> {
        let mut out = Vec::new();
        for (name, info) in self.infos().filter(|(_, i)| i.anti_affinity_pods > 0) {
            out.extend(
                info.pods
                    .values()
                    .filter(|p| !p.anti_affinity_terms.is_empty())
                    .map(|p| (name, p)),
            );
        }
        out
    }
}

/// The filter: `None` when the pod's terms and the existing pods' anti-affinity allow the node.
/// `existing_anti` is [`Cluster::existing_anti_affinity`], computed once per decision.
pub(in crate::sim::scheduler) fn filter(
    pod: &PodInfo,
    node: &NodeFacts,
    cluster: &Cluster,
    existing_anti: &[(&str, &PodInfo)],
) -> Option<NodeStatus> {
    if pod.affinity_terms.is_empty()
        && pod.anti_affinity_terms.is_empty()
        && existing_anti.is_empty()
    {
        return None;
    }
    required_terms(pod, node, cluster, existing_anti)
}

fn required_terms(
    pod: &PodInfo,
    node: &NodeFacts,
    cluster: &Cluster,
    existing_anti: &[(&str, &PodInfo)],
) -> Option<NodeStatus> {
    for t in &pod.affinity_terms {
        let in_domain = cluster.pods_in_domain(node, &t.topology_key);
        if !in_domain.iter().any(|p| affinity_term_matches(t, pod, p)) {
            // A pod matching its own term may go first anywhere the topology key exists,
            // provided no pod anywhere matches yet (the "first pod of a group" rule).
            let any_anywhere = cluster
                .infos()
                .flat_map(|(_, i)| i.pods.values())
                .any(|p| affinity_term_matches(t, pod, p));
            let self_match = affinity_term_matches(t, pod, pod);
            let has_key = node.labels.contains_key(&t.topology_key);
            if !(self_match && !any_anywhere && has_key) {
                return fail(REASON_POD_AFFINITY, true);
            }
        }
    }
    for t in &pod.anti_affinity_terms {
        let in_domain = cluster.pods_in_domain(node, &t.topology_key);
        if in_domain.iter().any(|p| affinity_term_matches(t, pod, p)) {
            return fail(REASON_POD_ANTI_AFFINITY, false);
        }
    }
    // Existing pods' required anti-affinity against the incoming pod.
    for (other_node, other) in existing_anti {
        for t in &other.anti_affinity_terms {
            let same_domain = match (
                cluster.topology_value(other_node, &t.topology_key),
                node.labels.get(&t.topology_key),
            ) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            };
            if same_domain && affinity_term_matches(t, other, pod) {
                return fail(REASON_EXISTING_ANTI_AFFINITY, false);
            }
        }
    }
    None
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::schedule;
    use crate::sim::scheduler::testing::*;
    use k8s_openapi::api::core::v1::Node;

    #[test]
    fn pod_anti_affinity() {
        use k8s_openapi::api::core::v1::{Affinity, PodAntiAffinity};
        let nodes = [node("a", "4", "8Gi"), node("b", "4", "8Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut p = pod("p", None, None);
        p.metadata.labels = Some([("app".to_string(), "x".to_string())].into());
        p.spec.as_mut().unwrap().affinity = Some(Affinity {
            pod_anti_affinity: Some(PodAntiAffinity {
                required_during_scheduling_ignored_during_execution: Some(vec![PodAffinityTerm {
                    label_selector: Some(LabelSelector {
                        match_labels: Some([("app".to_string(), "x".to_string())].into()),
                        ..Default::default()
                    }),
                    topology_key: "kubernetes.io/hostname".into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        });
        let m = BTreeMap::from([("a".to_string(), vec![&p]), ("b".to_string(), vec![&p])]);
        assert_eq!(
            schedule(&p, &refs, &m).unwrap_err(),
            "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
        );
        let m = BTreeMap::from([("a".to_string(), vec![&p])]);
        assert_eq!(schedule(&p, &refs, &m), Ok("b".into()));
    }
}
