//! NodeAffinity: the filter on `nodeSelector` and the required node affinity, and the score of
//! the preferred terms (weight 2).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Node, NodeAffinity, NodeSelectorRequirement, NodeSelectorTerm, Pod,
};

use super::super::node_info::NodeFacts;
use super::super::pod_info::PodInfo;
use super::super::{EMPTY_LABELS, NodeStatus, fail};

const REASON_NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";

pub(in crate::sim::scheduler) fn node_labels(node: &Node) -> &BTreeMap<String, String> {
    node.metadata.labels.as_ref().unwrap_or(&EMPTY_LABELS)
}

fn requirement_matches(req: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = req.values.as_deref().unwrap_or(&[]);
    match req.operator.as_str() {
        "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), [bound]) = (value, values) else {
                return false;
            };
            let (Ok(v), Ok(bound)) = (v.parse::<i64>(), bound.parse::<i64>()) else {
                return false;
            };
            if req.operator == "Gt" {
                v > bound
            } else {
                v < bound
            }
        }
        _ => false,
    }
}

/// A node selector term against a node's labels and name (`matchFields` on `metadata.name`).
fn term_matches(
    term: &NodeSelectorTerm,
    labels: &BTreeMap<String, String>,
    name: Option<&str>,
) -> bool {
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    exprs
        .iter()
        .all(|r| requirement_matches(r, labels.get(&r.key).map(String::as_str)))
        && fields.iter().all(|r| {
            r.key == "metadata.name"
                && matches!(r.operator.as_str(), "In" | "NotIn")
                && requirement_matches(r, name)
        })
}

/// `nodeSelector` (every label equal) and the required node affinity (terms ORed,
/// requirements ANDed) against a node's labels and name.
fn node_affinity_allows(
    node_selector: Option<&BTreeMap<String, String>>,
    node_affinity: Option<&NodeAffinity>,
    labels: &BTreeMap<String, String>,
    name: Option<&str>,
) -> bool {
    if let Some(sel) = node_selector
        && !sel.iter().all(|(k, v)| labels.get(k) == Some(v))
    {
        return false;
    }
    if let Some(req) = node_affinity.and_then(|na| {
        na.required_during_scheduling_ignored_during_execution
            .as_ref()
    }) && !req
        .node_selector_terms
        .iter()
        .any(|t| term_matches(t, labels, name))
    {
        return false;
    }
    true
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
    use k8s_openapi::api::core::v1::NodeSelector;

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
