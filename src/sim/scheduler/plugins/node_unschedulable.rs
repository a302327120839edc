//! NodeUnschedulable: a node with `spec.unschedulable` takes only pods that tolerate
//! `node.kubernetes.io/unschedulable:NoSchedule`.

use super::super::node_info::NodeFacts;
use super::super::pod_info::PodInfo;
use super::super::{NodeStatus, fail};

const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";

/// The filter: `None` when the node fits.
pub(in crate::sim::scheduler) fn filter(pod: &PodInfo, node: &NodeFacts) -> Option<NodeStatus> {
    if node.unschedulable && !pod.tolerates_unschedulable {
        return fail(REASON_UNSCHEDULABLE, true);
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::sim::scheduler::schedule;
    use crate::sim::scheduler::testing::*;
    use k8s_openapi::api::core::v1::Node;
    use std::collections::BTreeMap;

    #[test]
    fn unschedulable_and_selector_messages() {
        let mut a = node("a", "4", "8Gi");
        a.spec.as_mut().unwrap().unschedulable = Some(true);
        let b = node("b", "4", "8Gi");
        let nodes = [a, b];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut p = pod("p", None, None);
        p.spec.as_mut().unwrap().node_selector =
            Some([("disk".to_string(), "ssd".to_string())].into());
        let err = schedule(&p, &refs, &BTreeMap::new()).unwrap_err();
        assert_eq!(
            err,
            "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        );
    }
}
