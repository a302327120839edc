//! PodTopologySpread, the *system default* constraint only: spread over hostnames with maxSkew
//! 3 (weight 2), counting the pods with the same controller owner as the pod being scheduled.

use super::super::MAX_NODE_SCORE;
use super::super::node_info::{NodeFacts, NodeInfo, OwnerKey};

/// The weight of a topology key with `domains` candidate nodes (`log(domains + 2)`).
pub(in crate::sim::scheduler) fn weight(domains: usize) -> f64 {
    (domains as f64 + 2.0).ln()
}

/// The raw score of the node: its pods with the owner `key`, weighted.
pub(in crate::sim::scheduler) fn score(
    key: &OwnerKey,
    node: &NodeFacts,
    info: &NodeInfo,
    weight: f64,
) -> i64 {
    let cnt = info.owners.get(key).copied().unwrap_or(0) as f64;
    // scoreForCount(cnt, maxSkew=3, weight) = cnt*weight + (maxSkew-1)
    let s = if node.has_hostname {
        cnt * weight + 2.0
    } else {
        0.0
    };
    s.round() as i64
}

/// `NormalizeScore`: fewer matching pods score higher, scaled to 0–100.
pub(in crate::sim::scheduler) fn normalize(spread: &mut [i64]) {
    let min = spread.iter().copied().min().unwrap_or(0);
    let max = spread.iter().copied().max().unwrap_or(0);
    for s in spread.iter_mut() {
        *s = if max == 0 {
            MAX_NODE_SCORE
        } else {
            MAX_NODE_SCORE * (max + min - *s) / max
        };
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::scheduler::schedule;
    use crate::sim::scheduler::testing::*;
    use k8s_openapi::api::core::v1::{Node, Pod};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
    use std::collections::BTreeMap;

    #[test]
    fn replicaset_pods_spread_over_workers() {
        let nodes = kind_cluster();
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut placed: Vec<Pod> = Vec::new();
        let mut chosen = Vec::new();
        for i in 0..4 {
            let mut p = pod(&format!("web-{i}"), None, None);
            p.metadata.owner_references = Some(vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "ReplicaSet".into(),
                name: "web".into(),
                uid: "rs-uid".into(),
                controller: Some(true),
                ..Default::default()
            }]);
            let mut m: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
            for q in &placed {
                m.entry(q.spec.as_ref().unwrap().node_name.clone().unwrap())
                    .or_default()
                    .push(q);
            }
            let n = schedule(&p, &refs, &m).unwrap();
            chosen.push(n.clone());
            p.spec.as_mut().unwrap().node_name = Some(n);
            placed.push(p);
        }
        assert_eq!(
            chosen,
            ["kind-worker", "kind-worker2", "kind-worker", "kind-worker2"]
        );
    }
}
