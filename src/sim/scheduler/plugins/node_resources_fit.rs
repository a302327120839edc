//! NodeResourcesFit: the filter (`Too many pods`, `Insufficient <resource>`; a request larger
//! than the whole node is unresolvable) and the `LeastAllocated` score over cpu and memory
//! (weight 1), on the non-zero requests.

use super::super::node_info::{NodeFacts, NodeInfo};
use super::super::pod_info::PodInfo;
use super::super::resources::amount;
use super::super::{MAX_NODE_SCORE, NodeStatus};

/// A resource NodeResourcesFit checks, with the well-known ones read from dedicated fields.
#[derive(Clone, Debug, PartialEq)]
pub(in crate::sim::scheduler) enum Res {
    Cpu,
    Memory,
    EphemeralStorage,
    Other(String),
}

impl Res {
    pub(in crate::sim::scheduler) fn name(&self) -> &str {
        match self {
            Res::Cpu => "cpu",
            Res::Memory => "memory",
            Res::EphemeralStorage => "ephemeral-storage",
            Res::Other(n) => n,
        }
    }
}

/// The filter: `None` when the pod's requests fit what the node has left.
pub(in crate::sim::scheduler) fn filter(
    pod: &PodInfo,
    node: &NodeFacts,
    info: &NodeInfo,
) -> Option<NodeStatus> {
    let mut reasons = Vec::new();
    let mut unresolvable = false;
    if info.pods.len() as i128 + 1 > node.alloc_pods {
        reasons.push("Too many pods".to_string());
    }
    for (r, want) in &pod.fit {
        // Native resources the node does not list count as 0; extended ones must be listed.
        let (cap, in_use) = match r {
            Res::Cpu => (node.alloc_cpu, info.req_cpu),
            Res::Memory => (node.alloc_memory, info.req_memory),
            Res::EphemeralStorage => (node.alloc_ephemeral, info.req_ephemeral),
            Res::Other(k) => (amount(&node.allocatable, k), amount(&info.requested, k)),
        };
        if *want > cap.saturating_sub(in_use) {
            reasons.push(format!("Insufficient {}", r.name()));
            if *want > cap {
                unresolvable = true;
            }
        }
    }
    if reasons.is_empty() {
        None
    } else {
        Some(NodeStatus {
            reasons,
            unresolvable,
        })
    }
}

/// `a / b`, truncating, without the slow 128-bit division when both fit in 64 bits.
fn div(a: i128, b: i128) -> i128 {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(x), Ok(y)) if y != -1 => i128::from(x / y),
        _ => a / b,
    }
}

/// NodeResourcesFit `LeastAllocated` over cpu and memory: `(cap, in use, wanted)` each.
pub(in crate::sim::scheduler) fn least_allocated(resources: [(i128, i128, i128); 2]) -> i64 {
    let mut score = 0i128;
    let mut weights = 0i128;
    for (cap, used, want) in resources {
        if cap == 0 {
            continue;
        }
        let requested = used.saturating_add(want);
        let s = if requested > cap {
            0
        } else {
            div(
                (cap - requested).saturating_mul(i128::from(MAX_NODE_SCORE)),
                cap,
            )
        };
        score += s;
        weights += 1;
    }
    if weights == 0 {
        0
    } else {
        (score / weights) as i64
    }
}

/// The `LeastAllocated` score of the node for the pod (its non-zero requests).
pub(in crate::sim::scheduler) fn score(pod: &PodInfo, node: &NodeFacts, info: &NodeInfo) -> i64 {
    least_allocated([
        (node.alloc_cpu, info.nz_cpu, pod.nz_cpu),
        (node.alloc_memory, info.nz_memory, pod.nz_memory),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::schedule;
    use crate::sim::scheduler::testing::*;
    use k8s_openapi::api::core::v1::{Node, PodStatus};
    use std::collections::BTreeMap;

    #[test]
    fn insufficient_cpu_message() {
        let nodes = kind_cluster();
        let refs: Vec<&Node> = nodes.iter().collect();
        let p = pod("big", Some("5"), None);
        let err = schedule(&p, &refs, &BTreeMap::new()).unwrap_err();
        assert_eq!(
            err,
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        );
    }

    #[test]
    fn insufficient_cpu_resolvable_message() {
        let nodes = kind_cluster();
        let refs: Vec<&Node> = nodes.iter().collect();
        let filler = pod("filler", Some("3"), Some("100Mi"));
        let mut m = BTreeMap::new();
        m.insert("kind-worker".to_string(), vec![&filler]);
        m.insert("kind-worker2".to_string(), vec![&filler]);
        let p = pod("p", Some("2"), Some("10Gi"));
        let err = schedule(&p, &refs, &m).unwrap_err();
        assert_eq!(
            err,
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu, 2 Insufficient memory. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        );
        let p = pod("p", Some("2"), Some("1Gi"));
        let err = schedule(&p, &refs, &m).unwrap_err();
        assert_eq!(
            err,
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
    }

    #[test]
    fn terminal_pods_do_not_count() {
        let nodes = [node("w", "1", "1Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut done = pod("done", Some("1"), None);
        done.status = Some(PodStatus {
            phase: Some("Succeeded".into()),
            ..Default::default()
        });
        let m = BTreeMap::from([("w".to_string(), vec![&done])]);
        assert_eq!(
            schedule(&pod("p", Some("1"), None), &refs, &m),
            Ok("w".into())
        );
    }

    #[test]
    fn least_allocated_prefers_emptier_node() {
        let nodes = [node("a", "4", "8Gi"), node("b", "4", "8Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        let heavy = pod("h", Some("2"), Some("2Gi"));
        let m = BTreeMap::from([("a".to_string(), vec![&heavy])]);
        assert_eq!(
            schedule(&pod("p", Some("100m"), None), &refs, &m),
            Ok("b".into())
        );
    }

    #[test]
    fn division_fast_path() {
        for (a, b) in [
            (7, 2),
            (-7, 2),
            (i128::MAX, 3),
            (1 << 70, 1 << 65),
            (i128::from(i64::MIN), -1),
        ] {
            assert_eq!(div(a, b), a / b, "{a} / {b}");
        }
    }
}
