//! The node side of a kubelet: the status it reports for a node applied without one, whether
//! it is alive, and the Lease it renews.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{
    DaemonEndpoint, Node, NodeAddress, NodeCondition, NodeDaemonEndpoints, NodeStatus,
    NodeSystemInfo,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use serde_json::Value;

use super::{KUBELET_VERSION, fnv, hex64};

// ---------------------------------------------------------------------------------------------
// Node status
// ---------------------------------------------------------------------------------------------

/// Capacity reported for a node that has none: 4 cpu, 8039144Ki memory (~7.7Gi), 110 pods,
/// 102687672Ki ephemeral-storage, no hugepages; allocatable is the same.
pub fn default_node_capacity() -> BTreeMap<String, Quantity> {
    [
        ("cpu", "4"),
        ("ephemeral-storage", "102687672Ki"),
        ("hugepages-1Gi", "0"),
        ("hugepages-2Mi", "0"),
        ("memory", "8039144Ki"),
        ("pods", "110"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
    .collect()
}

pub(super) fn node_condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: Timestamp,
) -> NodeCondition {
    NodeCondition {
        type_: type_.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_heartbeat_time: Some(Time(now)),
        last_transition_time: Some(Time(now)),
    }
}

/// Fills in what a kubelet reports for a node whose status lacks it (KWOK-style nodes applied
/// from a manifest): capacity/allocatable ([`default_node_capacity`]), conditions
/// MemoryPressure/DiskPressure/PIDPressure False and Ready True (`KubeletReady`, "kubelet is
/// posting ready status", heartbeat and transition at `now`), addresses InternalIP
/// (`172.18.0.N`, N derived from the name) and Hostname, nodeInfo (kubelet v1.33.1,
/// containerd://2.1.1, Debian GNU/Linux 12 (bookworm), kernel 6.8.0-1027-gcp, linux/amd64)
/// and the kubelet endpoint port 10250. Existing fields are kept. `None` when nothing is missing.
pub fn node_status(node: &Node, now: Timestamp) -> Option<NodeStatus> {
    let old = node.status.clone().unwrap_or_default();
    let mut s = old.clone();
    let name = node.metadata.name.clone().unwrap_or_default();
    if s.capacity.as_ref().is_none_or(|c| c.is_empty()) {
        s.capacity = Some(
            s.allocatable
                .clone()
                .filter(|a| !a.is_empty())
                .unwrap_or_else(default_node_capacity),
        );
    }
    if s.allocatable.as_ref().is_none_or(|a| a.is_empty()) {
        s.allocatable = s.capacity.clone();
    }
    if s.conditions.as_ref().is_none_or(|c| c.is_empty()) {
        s.conditions = Some(vec![
            node_condition(
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
                now,
            ),
            node_condition(
                "DiskPressure",
                "False",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
                now,
            ),
            node_condition(
                "PIDPressure",
                "False",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
                now,
            ),
            node_condition(
                "Ready",
                "True",
                "KubeletReady",
                "kubelet is posting ready status",
                now,
            ),
        ]);
    }
    if s.addresses.as_ref().is_none_or(|a| a.is_empty()) {
        let n = 2 + fnv(name.as_bytes(), 11) % 250;
        s.addresses = Some(vec![
            NodeAddress {
                type_: "InternalIP".into(),
                address: format!("172.18.0.{n}"),
            },
            NodeAddress {
                type_: "Hostname".into(),
                address: name.clone(),
            },
        ]);
    }
    if s.node_info.is_none() {
        let uuid = |salt: &str| {
            let h = hex64(&format!("{salt}:{name}"));
            format!(
                "{}-{}-{}-{}-{}",
                &h[0..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..32]
            )
        };
        s.node_info = Some(NodeSystemInfo {
            architecture: "amd64".into(),
            boot_id: uuid("boot"),
            container_runtime_version: "containerd://2.1.1".into(),
            kernel_version: "6.8.0-1027-gcp".into(),
            kube_proxy_version: String::new(),
            kubelet_version: KUBELET_VERSION.into(),
            machine_id: hex64(&format!("machine:{name}"))[..32].to_string(),
            operating_system: "linux".into(),
            os_image: "Debian GNU/Linux 12 (bookworm)".into(),
            system_uuid: uuid("system"),
            ..Default::default()
        });
    }
    if s.daemon_endpoints.is_none() {
        s.daemon_endpoints = Some(NodeDaemonEndpoints {
            kubelet_endpoint: Some(DaemonEndpoint { port: 10250 }),
        });
    }
    if s == old { None } else { Some(s) }
}

/// How often a kubelet reports an unchanged node status (nodeStatusReportFrequency, 5m).
pub const NODE_STATUS_REPORT_SECS: i64 = 300;

/// The namespace of the nodes' heartbeat Leases.
pub const NODE_LEASE_NS: &str = "kube-node-lease";

/// A node Lease's `leaseDurationSeconds` (the kubelet's nodeLeaseDurationSeconds).
pub const NODE_LEASE_DURATION_SECS: i64 = 40;

/// How often a kubelet renews its node's Lease: a quarter of its duration
/// (`nodeLeaseRenewIntervalFraction`, 0.25 × 40 s).
pub const NODE_LEASE_RENEW_SECS: i64 = 10;

/// A `MicroTime` as the API server writes it (`2026-01-01T00:00:10.000000Z`).
pub(super) fn fmt_micro(t: Timestamp) -> String {
    format!(
        "{}.{:06}Z",
        t.strftime("%Y-%m-%dT%H:%M:%S"),
        t.subsec_microsecond()
    )
}

/// The Lease a kubelet keeps for its node (`component-helpers/apimachinery/lease`: holder =
/// the node's name, owned by the Node, renewed every 10 s).
pub(super) fn node_lease(node: &str, node_uid: &str, now: Timestamp) -> Value {
    serde_json::json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {
            "name": node,
            "namespace": NODE_LEASE_NS,
            "ownerReferences": [
                {"apiVersion": "v1", "kind": "Node", "name": node, "uid": node_uid}
            ],
        },
        "spec": {
            "holderIdentity": node,
            "leaseDurationSeconds": NODE_LEASE_DURATION_SECS,
            "renewTime": fmt_micro(now),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kubelet::testing::*;

    #[test]
    fn node_status_defaults() {
        let n = node();
        let s = n.status.as_ref().unwrap();
        let conds: Vec<(&str, &str)> = s
            .conditions
            .as_ref()
            .unwrap()
            .iter()
            .map(|c| (c.type_.as_str(), c.status.as_str()))
            .collect();
        assert_eq!(
            conds,
            [
                ("MemoryPressure", "False"),
                ("DiskPressure", "False"),
                ("PIDPressure", "False"),
                ("Ready", "True")
            ]
        );
        assert_eq!(
            s.conditions.as_ref().unwrap()[3].message.as_deref(),
            Some("kubelet is posting ready status")
        );
        assert_eq!(s.allocatable.as_ref().unwrap()["pods"].0, "110");
        assert_eq!(s.node_info.as_ref().unwrap().kubelet_version, "v1.33.1");
        assert_eq!(s.addresses.as_ref().unwrap()[1].address, "kind-worker");
        assert_eq!(node_status(&n, t(5)), None);
    }
}
