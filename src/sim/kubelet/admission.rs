//! Admission (`lifecycle.PredicateAdmitHandler`): on its first sync a pod that does not fit
//! the node (pods, cpu, memory against what the other pods use), does not match its node
//! selector/affinity or does not tolerate a NoExecute taint is rejected.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Node, Pod, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::{KEvent, PodSync};

use crate::sim::scheduler::{
    first_untolerated_taint, node_allocatable, node_matches_pod_affinity, pod_requests,
};

/// What admission counts of the other pods on a node: the live ones (phase neither
/// `Succeeded` nor `Failed`) and the sum of their cpu and memory requests
/// ([`pod_requests`], millicores and bytes), the only resources the kubelet checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeUsage {
    /// Live pods.
    pub pods: i128,
    /// Their cpu requests, in millicores.
    pub cpu: i128,
    /// Their memory requests, in bytes.
    pub memory: i128,
}

impl NodeUsage {
    /// Counts one pod with these cpu and memory requests, unless it has finished.
    pub fn add(&mut self, cpu: i128, memory: i128, terminal: bool) {
        if !terminal {
            self.pods += 1;
            self.cpu += cpu;
            self.memory += memory;
        }
    }

    /// The usage of `pods` (typed; terminal ones are skipped).
    pub fn of_pods(pods: &[&Pod]) -> NodeUsage {
        let mut u = NodeUsage::default();
        for p in pods {
            let (cpu, memory) = cpu_memory_requests(p);
            u.add(cpu, memory, pod_terminal(p));
        }
        u
    }
}

/// A pod's cpu and memory requests as admission counts them ([`pod_requests`]).
pub fn cpu_memory_requests(pod: &Pod) -> (i128, i128) {
    let r = pod_requests(pod, false);
    (
        r.get("cpu").copied().unwrap_or(0),
        r.get("memory").copied().unwrap_or(0),
    )
}

/// Whether the pod's phase is `Succeeded` or `Failed`.
pub fn pod_terminal(pod: &Pod) -> bool {
    matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

pub(super) fn admission_failure(
    pod: &Pod,
    node: &Node,
    usage: &NodeUsage,
) -> Option<(String, String, String)> {
    let alloc = node_allocatable(node);
    let pods_cap = alloc.get("pods").copied().unwrap_or(0);
    if !alloc.is_empty() && usage.pods + 1 > pods_cap {
        let msg = format!(
            "Node didn't have enough resource: pods, requested: 1, used: {}, capacity: {pods_cap}",
            usage.pods
        );
        return Some(("OutOfpods".into(), msg.clone(), msg));
    }
    let (want_cpu, want_memory) = cpu_memory_requests(pod);
    for (r, want, u) in [
        ("cpu", want_cpu, usage.cpu),
        ("memory", want_memory, usage.memory),
    ] {
        if want == 0 {
            continue;
        }
        let cap = alloc.get(r).copied().unwrap_or(0);
        if want > cap - u {
            let msg = format!(
                "Node didn't have enough resource: {r}, requested: {want}, used: {u}, capacity: {cap}"
            );
            return Some((format!("OutOf{r}"), msg.clone(), msg));
        }
    }
    if !node_matches_pod_affinity(pod, node) {
        let m = "Predicate NodeAffinity failed".to_string();
        return Some(("NodeAffinity".into(), m.clone(), m));
    }
    if first_untolerated_taint(pod, node, &["NoExecute"]).is_some() {
        let m = "Predicate TaintToleration failed".to_string();
        return Some(("TaintToleration".into(), m.clone(), m));
    }
    None
}

/// The first sync of a pod admission rejects: phase `Failed` with the reason, `Pod was
/// rejected: ...`, and a Warning event with the same reason.
pub(super) fn rejection(
    (reason, ev_msg, msg): (String, String, String),
    old: &PodStatus,
    now: Timestamp,
) -> PodSync {
    let mut out = PodSync::default();
    out.events.push(KEvent {
        type_: "Warning".into(),
        reason: reason.clone(),
        message: ev_msg,
        field_path: None,
        at: now,
        repeat: 0,
    });
    let mut st = PodStatus {
        phase: Some("Failed".into()),
        reason: Some(reason),
        message: Some(format!("Pod was rejected: {msg}")),
        qos_class: old.qos_class.clone(),
        start_time: Some(Time(now)),
        ..Default::default()
    };
    st.conditions = old.conditions.clone();
    out.status = Some(st);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kubelet::testing::*;
    use crate::sim::kubelet::{KubeletCtx, sync_pod};
    use k8s_openapi::api::core::v1::PodStatus;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    #[test]
    fn admission_rejects_oversized_pod() {
        let mut c = container("c", "nginx", &[]);
        c.resources = Some(k8s_openapi::api::core::v1::ResourceRequirements {
            requests: Some([("cpu".to_string(), Quantity("8".into()))].into()),
            ..Default::default()
        });
        let p = pod(vec![c], "Always");
        let r = sync_pod(&p, &node(), t(0), &KubeletCtx::default());
        let st = r.status.unwrap();
        assert_eq!(st.phase.as_deref(), Some("Failed"));
        assert_eq!(st.reason.as_deref(), Some("OutOfcpu"));
        assert_eq!(
            st.message.as_deref(),
            Some(
                "Pod was rejected: Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000"
            )
        );
        assert_eq!(r.events[0].reason, "OutOfcpu");
    }

    #[test]
    fn admission_counts_the_other_pods() {
        let with_cpu = |cpu: &str| {
            let mut c = container("c", "nginx", &[]);
            c.resources = Some(k8s_openapi::api::core::v1::ResourceRequirements {
                requests: Some([("cpu".to_string(), Quantity(cpu.into()))].into()),
                ..Default::default()
            });
            pod(vec![c], "Always")
        };
        let (a, b) = (with_cpu("1500m"), with_cpu("2"));
        let mut done = with_cpu("3");
        done.status = Some(PodStatus {
            phase: Some("Succeeded".into()),
            ..Default::default()
        });
        let usage = NodeUsage::of_pods(&[&a, &b, &done]);
        assert_eq!(
            usage,
            NodeUsage {
                pods: 2,
                cpu: 3500,
                memory: 0
            }
        );
        let ctx = KubeletCtx {
            pod_ip: "10.244.1.5".into(),
            node_usage: usage,
            ..Default::default()
        };
        let st = sync_pod(&with_cpu("600m"), &node(), t(0), &ctx)
            .status
            .unwrap();
        assert_eq!(
            st.message.as_deref(),
            Some(
                "Pod was rejected: Node didn't have enough resource: cpu, requested: 600, used: 3500, capacity: 4000"
            )
        );
        let st = sync_pod(&with_cpu("500m"), &node(), t(0), &ctx)
            .status
            .unwrap();
        assert_eq!(st.phase.as_deref(), Some("Pending"));
        let full = KubeletCtx {
            node_usage: NodeUsage {
                pods: 110,
                ..Default::default()
            },
            ..Default::default()
        };
        let st = sync_pod(&with_cpu("1"), &node(), t(0), &full)
            .status
            .unwrap();
        assert_eq!(st.reason.as_deref(), Some("OutOfpods"));
        assert_eq!(
            st.message.as_deref(),
            Some(
                "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 110, capacity: 110"
            )
        );
    }
}
