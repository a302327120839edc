//! TaintToleration: the filter on `NoSchedule`/`NoExecute` taints (the first untolerated one is
//! reported), the score on `PreferNoSchedule` taints (fewer untolerated ones score higher), and
//! the toleration predicates the kubelet's admission shares.

use k8s_openapi::api::core::v1::{Node, Pod, Taint};

pub use crate::kinds::pod::toleration::{tolerated, toleration_tolerates};

use super::super::node_info::NodeFacts;
use super::super::pod_info::PodInfo;
use super::super::{NodeStatus, fail};

/// Whether any of the pod's tolerations tolerates the taint.
pub fn pod_tolerates(pod: &Pod, taint: &Taint) -> bool {
    pod.spec
        .as_ref()
        .and_then(|s| s.tolerations.as_deref())
        .is_some_and(|ts| tolerated(ts, taint))
}

/// The first taint with one of `effects` the pod does not tolerate.
pub fn first_untolerated_taint<'a>(
    pod: &Pod,
    node: &'a Node,
    effects: &[&str],
) -> Option<&'a Taint> {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())?
        .iter()
        .find(|t| effects.contains(&t.effect.as_str()) && !pod_tolerates(pod, t))
}

/// The filter: `None` when the pod tolerates every `NoSchedule`/`NoExecute` taint of the node.
pub(in crate::sim::scheduler) fn filter(pod: &PodInfo, node: &NodeFacts) -> Option<NodeStatus> {
    if let Some(t) = node
        .hard_taints
        .iter()
        .find(|t| !tolerated(&pod.tolerations, t))
    {
        let msg = format!(
            "node(s) had untolerated taint {{{}: {}}}",
            t.key,
            t.value.as_deref().unwrap_or("")
        );
        return fail(&msg, true);
    }
    None
}

/// The raw score (before the reversed normalization): untolerated `PreferNoSchedule` taints.
pub(in crate::sim::scheduler) fn score(pod: &PodInfo, node: &NodeFacts) -> i64 {
    node.soft_taints
        .iter()
        .filter(|t| !tolerated(&pod.tolerations, t))
        .count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::testing::*;
    use crate::sim::scheduler::{NO_NODES_AVAILABLE, schedule};
    use k8s_openapi::api::core::v1::Toleration;
    use std::collections::BTreeMap;

    #[test]
    fn tolerations_and_no_nodes() {
        let nodes = [control_plane()];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut p = pod("p", None, None);
        p.spec.as_mut().unwrap().tolerations = Some(vec![Toleration {
            key: Some("node-role.kubernetes.io/control-plane".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        }]);
        assert_eq!(
            schedule(&p, &refs, &BTreeMap::new()),
            Ok("kind-control-plane".into())
        );
        assert_eq!(
            schedule(&p, &[], &BTreeMap::new()),
            Err(NO_NODES_AVAILABLE.into())
        );
        let mut never = pod("p", Some("100"), None);
        never.spec.as_mut().unwrap().preemption_policy = Some("Never".into());
        let nodes = [node("w", "4", "8Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        assert_eq!(
            schedule(&never, &refs, &BTreeMap::new()).unwrap_err(),
            "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
        );
    }
}
