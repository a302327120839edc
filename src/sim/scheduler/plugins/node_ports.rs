//! NodePorts: a pod's host ports must be free on the node (same port and protocol collide when
//! the IPs are equal or either is `0.0.0.0`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ContainerPort;

use super::super::node_info::NodeInfo;
use super::super::pod_info::PodInfo;
use super::super::{NodeStatus, fail};

const REASON_NODE_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";

/// A host port in use: `(port, protocol, host IP)`, the IP `0.0.0.0` when unset.
pub type HostPort = (i32, String, String);

/// The host ports among `ports` as `(host IP, protocol, port)`: only ports with a
/// `hostPort`, the IP `0.0.0.0` and protocol `TCP` when unset.
pub(in crate::sim::scheduler) fn host_ports_of<'a>(
    ports: impl Iterator<Item = &'a ContainerPort>,
) -> Vec<(String, String, i32)> {
    let mut out = Vec::new();
    for p in ports {
        if let Some(hp) = p.host_port.filter(|hp| *hp > 0) {
            let ip = p.host_ip.clone().unwrap_or_default();
            let ip = if ip.is_empty() {
                "0.0.0.0".to_string()
            } else {
                ip
            };
            out.push((ip, p.protocol.clone().unwrap_or_else(|| "TCP".into()), hp));
        }
    }
    out
}

/// Whether one of the wanted host ports collides with one in use on the node: same port and
/// protocol, and the same IP or either side bound to `0.0.0.0`.
fn ports_conflict(want: &[(String, String, i32)], used: &BTreeMap<HostPort, usize>) -> bool {
    want.iter().any(|(ip, proto, port)| {
        used.range((*port, proto.clone(), String::new())..)
            .take_while(|((p, pr, _), _)| p == port && pr == proto)
            .any(|((_, _, uip), _)| ip == "0.0.0.0" || uip == "0.0.0.0" || ip == uip)
    })
}

/// The filter: `None` when none of the pod's host ports is in use on the node.
pub(in crate::sim::scheduler) fn filter(pod: &PodInfo, info: &NodeInfo) -> Option<NodeStatus> {
    if !pod.ports.is_empty() && ports_conflict(&pod.ports, &info.host_ports) {
        return fail(REASON_NODE_PORTS, false);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::schedule;
    use crate::sim::scheduler::testing::*;
    use k8s_openapi::api::core::v1::Node;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    #[test]
    fn too_many_pods_and_ports() {
        let mut n = node("w", "4", "8Gi");
        n.status
            .as_mut()
            .unwrap()
            .allocatable
            .as_mut()
            .unwrap()
            .insert("pods".into(), Quantity("1".into()));
        let nodes = [n];
        let refs: Vec<&Node> = nodes.iter().collect();
        let existing = pod("e", None, None);
        let m = BTreeMap::from([("w".to_string(), vec![&existing])]);
        assert_eq!(
            schedule(&pod("p", None, None), &refs, &m).unwrap_err(),
            "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        );
        let nodes = [node("w", "4", "8Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut with_port = pod("e", None, None);
        with_port.spec.as_mut().unwrap().containers[0].ports = Some(vec![ContainerPort {
            container_port: 80,
            host_port: Some(8080),
            ..Default::default()
        }]);
        let m = BTreeMap::from([("w".to_string(), vec![&with_port])]);
        assert_eq!(
            schedule(&with_port, &refs, &m).unwrap_err(),
            "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        );
    }
}
