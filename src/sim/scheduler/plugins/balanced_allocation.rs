//! NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory fractions stay close
//! (weight 1; skipped for best-effort pods, as in 1.33).

use super::super::MAX_NODE_SCORE;
use super::super::node_info::{NodeFacts, NodeInfo};

/// NodeResourcesBalancedAllocation over cpu and memory: `(cap, in use, wanted)` each.
fn balanced_allocation(resources: [(i128, i128, i128); 2]) -> i64 {
    let mut fractions = [0f64; 2];
    let mut n = 0;
    for (cap, used, want) in resources {
        if cap == 0 {
            continue;
        }
        let requested = used.saturating_add(want);
        fractions[n] = (requested as f64 / cap as f64).min(1.0);
        n += 1;
    }
    let std = if n == 2 {
        ((fractions[0] - fractions[1]) / 2.0).abs()
    } else {
        0.0
    };
    ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
}

/// The score of the node for a pod requesting `cpu` and `memory` (its plain requests).
pub(in crate::sim::scheduler) fn score(
    node: &NodeFacts,
    info: &NodeInfo,
    cpu: i128,
    memory: i128,
) -> i64 {
    balanced_allocation([
        (node.alloc_cpu, info.req_cpu, cpu),
        (node.alloc_memory, info.req_memory, memory),
    ])
}
