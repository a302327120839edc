//! NodeAffinity: the filter on `nodeSelector` and the required node affinity, and the score of
//! the preferred terms (weight 2).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod};

use crate::kinds::pod::node_affinity::{node_affinity_allows, term_matches};

use super::super::node_info::NodeFacts;
use super::super::pod_info::PodInfo;
use super::super::{EMPTY_LABELS, NodeStatus, fail};

const REASON_NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";

pub(in crate::sim::scheduler) fn node_labels(node: &Node) -> &BTreeMap<String, String> {
    node.metadata.labels.as_ref().unwrap_or(&EMPTY_LABELS)
}

/// NodeAffinity filter: `nodeSelector` (every label equal) and the required node affinity
/// (terms ORed, requirements ANDed).
pub fn node_matches_pod_affinity(pod: &Pod, node: &Node) -> bool {
    let Some(spec) = &pod.spec else {
        return true;
    };
    node_affinity_allows(
        spec.node_selector.as_ref(),
        spec.affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref()),
        node_labels(node),
        node.metadata.name.as_deref(),
    )
}

/// The filter: `None` when the node matches the pod's selector and required affinity.
pub(in crate::sim::scheduler) fn filter(pod: &PodInfo, node: &NodeFacts) -> Option<NodeStatus> {
    if (pod.node_selector.is_some() || pod.node_affinity.is_some())
        && !node_affinity_allows(
            pod.node_selector.as_ref(),
            pod.node_affinity.as_ref(),
            &node.labels,
            node.name.as_deref(),
        )
    {
        return fail(REASON_NODE_AFFINITY, true);
    }
    None
}

/// The raw score: the weights of the preferred terms the node matches.
pub(in crate::sim::scheduler) fn score(pod: &PodInfo, node: &NodeFacts) -> i64 {
    pod.node_affinity
        .as_ref()
        .and_then(|na| {
            na.preferred_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .map(|terms| {
            terms
                .iter()
                .filter(|t| term_matches(&t.preference, &node.labels, node.name.as_deref()))
                .map(|t| i64::from(t.weight))
                .sum()
        })
        .unwrap_or(0)
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::schedule;
    use crate::sim::scheduler::testing::*;
    use k8s_openapi::api::core::v1::{
        NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
    };

    #[test]
    fn node_affinity_required() {
        let mut a = node("a", "4", "8Gi");
        a.metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("zone".into(), "east".into());
        let b = node("b", "4", "8Gi");
        let nodes = [a, b];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut p = pod("p", None, None);
        p.spec.as_mut().unwrap().affinity = Some(k8s_openapi::api::core::v1::Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: vec![NodeSelectorTerm {
                        match_expressions: Some(vec![NodeSelectorRequirement {
                            key: "zone".into(),
                            operator: "In".into(),
                            values: Some(vec!["east".into()]),
                        }]),
                        ..Default::default()
                    }],
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(schedule(&p, &refs, &BTreeMap::new()), Ok("a".into()));
    }
}
