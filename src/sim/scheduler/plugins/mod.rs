//! The default profile's plugins, one module each as upstream's
//! `pkg/scheduler/framework/plugins/*`: each holds its filter and/or score, its reasons and
//! its tests. The framework ([`super`]) runs them in the default order.

pub mod balanced_allocation;
pub mod inter_pod_affinity;
pub mod node_affinity;
pub mod node_name;
pub mod node_ports;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod pod_topology_spread;
pub mod taint_toleration;
pub mod volume_binding;

use super::MAX_NODE_SCORE;

/// `helper.DefaultNormalizeScore`: scale to 0–100 by the maximum (optionally reversed).
pub(super) fn normalize(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0);
    if max == 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = MAX_NODE_SCORE);
        }
        return;
    }
    for s in scores.iter_mut() {
        let mut v = MAX_NODE_SCORE * *s / max;
        if reverse {
            v = MAX_NODE_SCORE - v;
        }
        *s = v;
    }
}
