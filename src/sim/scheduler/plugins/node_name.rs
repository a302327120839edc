//! NodeName: a pod with `spec.nodeName` fits only that node.

use super::super::node_info::NodeFacts;
use super::super::pod_info::PodInfo;
use super::super::{NodeStatus, fail};

const REASON_NODE_NAME: &str = "node(s) didn't match the requested node name";

/// The filter: `None` when the node fits.
pub(in crate::sim::scheduler) fn filter(pod: &PodInfo, node: &NodeFacts) -> Option<NodeStatus> {
    if let Some(n) = &pod.node_name
        && n != node.name()
    {
        return fail(REASON_NODE_NAME, true);
    }
    None
}
