//! VolumeBinding (`pkg/scheduler/framework/plugins/volumebinding`): a pod's
//! PersistentVolumeClaims decide where it may go.
//!
//! PreFilter rejects the pod on every node (the message then carries no per-node histogram,
//! as `FitError` words it) when a claim is missing (`persistentvolumeclaim "x" not found`),
//! being deleted, lost, or unbound in a class that binds at once (`pod has unbound immediate
//! PersistentVolumeClaims`: the PersistentVolume controller binds those). Filter checks, per
//! node, that each bound claim's volume allows the node by its node affinity (`node(s) had
//! volume node affinity conflict`) and that each WaitForFirstConsumer claim has an available
//! volume there or can be provisioned (`node(s) didn't find available persistent volumes to
//! bind`). The glue ([`super::super::controller`]) reads the claims, volumes and classes
//! into [`VolumeFacts`] before the decision, and after it makes PreBind's writes: a static
//! volume bound to its claim, or the `volume.kubernetes.io/selected-node` annotation that
//! starts provisioning; the pod is bound once every claim is.

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};

use super::super::node_info::NodeFacts;
use super::super::pod_info::PodInfo;
use super::super::{NodeStatus, fail};
use crate::kinds::persistentvolume::helpers::{find_matching_volume, node_affinity_fits};

/// `ErrReasonNodeConflict`.
pub const REASON_NODE_CONFLICT: &str = "node(s) had volume node affinity conflict";
/// `ErrReasonBindConflict`.
pub const REASON_BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";
/// PreFilter's reason for claims the controller must bind first.
pub const REASON_UNBOUND_IMMEDIATE: &str = "pod has unbound immediate PersistentVolumeClaims";

/// A WaitForFirstConsumer claim not bound yet, with what could satisfy it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DelayedClaim {
    pub claim: PersistentVolumeClaim,
    /// The volumes of its class (the static candidates).
    pub candidates: Vec<PersistentVolume>,
    /// Its class has a provisioner (not `kubernetes.io/no-provisioner`).
    pub provisionable: bool,
}

/// What the pod's claims are, read by the glue before the decision.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VolumeFacts {
    /// PreFilter's rejection, in the scheduler's words.
    pub rejection: Option<String>,
    /// The volumes of the bound claims.
    pub bound: Vec<PersistentVolume>,
    /// The claims that wait for this pod's node.
    pub delayed: Vec<DelayedClaim>,
}

impl DelayedClaim {
    /// The static volume it would take on this node (`FindMatchingVolume` with the node).
    pub fn volume_on<'a>(
        &'a self,
        labels: &std::collections::BTreeMap<String, String>,
        name: &str,
    ) -> Option<&'a PersistentVolume> {
        let refs: Vec<&PersistentVolume> = self.candidates.iter().collect();
        find_matching_volume(&self.claim, &refs, Some((labels, name)), true)
    }
}

/// The filter: `None` when the node fits.
pub(in crate::sim::scheduler) fn filter(pod: &PodInfo, node: &NodeFacts) -> Option<NodeStatus> {
    let facts = pod.volumes.as_deref()?;
    let name = node.name.as_deref().unwrap_or("");
    if facts
        .bound
        .iter()
        .any(|pv| !node_affinity_fits(pv, &node.labels, name))
    {
        return fail(REASON_NODE_CONFLICT, true);
    }
    if facts
        .delayed
        .iter()
        .any(|c| c.volume_on(&node.labels, name).is_none() && !c.provisionable)
    {
        return fail(REASON_BIND_CONFLICT, true);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::testing::*;
    use crate::sim::scheduler::{NodeInfo, schedule_prepared};
    use serde_json::json;
    use std::collections::BTreeMap;
    use std::sync::Arc;

    fn local_pv(node: &str) -> PersistentVolume {
        serde_json::from_value(json!({"metadata": {"name": format!("local-{node}")},
            "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"],
                     "storageClassName": "local-storage", "local": {"path": "/mnt/disks/1"},
                     "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                        {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}},
            "status": {"phase": "Available"}}))
        .unwrap()
    }

    fn infos() -> BTreeMap<String, NodeInfo> {
        ["a", "b", "c"]
            .iter()
            .map(|n| {
                let mut node = node(n, "4", "8Gi");
                node.metadata.labels =
                    Some([("kubernetes.io/hostname".to_string(), n.to_string())].into());
                (n.to_string(), NodeInfo::new(&node))
            })
            .collect()
    }

    fn with(facts: VolumeFacts) -> PodInfo {
        let mut p = PodInfo::from_pod(&pod("p", None, None));
        p.volumes = Some(Arc::new(facts));
        p
    }

    #[test]
    fn a_bound_local_volume_places_the_pod() {
        let p = with(VolumeFacts {
            bound: vec![local_pv("b")],
            ..Default::default()
        });
        assert_eq!(schedule_prepared(&p, &infos()), Ok("b".into()));
        let p = with(VolumeFacts {
            bound: vec![local_pv("z")],
            ..Default::default()
        });
        assert_eq!(
            schedule_prepared(&p, &infos()),
            Err(
                "0/3 nodes are available: 3 node(s) had volume node affinity conflict. \
                 preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
                    .into()
            )
        );
    }

    #[test]
    fn delayed_claims_need_a_volume_or_a_provisioner() {
        let claim: PersistentVolumeClaim = serde_json::from_value(json!({
            "metadata": {"name": "data", "namespace": "default", "uid": "u1"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "local-storage",
                     "resources": {"requests": {"storage": "1Gi"}}}}))
        .unwrap();
        let static_only = DelayedClaim {
            claim: claim.clone(),
            candidates: vec![local_pv("c")],
            provisionable: false,
        };
        let p = with(VolumeFacts {
            delayed: vec![static_only.clone()],
            ..Default::default()
        });
        assert_eq!(schedule_prepared(&p, &infos()), Ok("c".into()));
        let none = DelayedClaim {
            candidates: vec![],
            ..static_only
        };
        let p = with(VolumeFacts {
            delayed: vec![none.clone()],
            ..Default::default()
        });
        assert_eq!(
            schedule_prepared(&p, &infos()),
            Err(
                "0/3 nodes are available: 3 node(s) didn't find available persistent volumes \
                 to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for \
                 scheduling."
                    .into()
            )
        );
        let p = with(VolumeFacts {
            delayed: vec![DelayedClaim {
                provisionable: true,
                ..none
            }],
            ..Default::default()
        });
        assert_eq!(schedule_prepared(&p, &infos()), Ok("a".into()));
    }

    #[test]
    fn prefilter_rejections_name_no_node() {
        let p = with(VolumeFacts {
            rejection: Some("persistentvolumeclaim \"test-nfs-claim\" not found".into()),
            ..Default::default()
        });
        assert_eq!(
            schedule_prepared(&p, &infos()),
            Err(
                "0/3 nodes are available: persistentvolumeclaim \"test-nfs-claim\" not found. \
                 preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
                    .into()
            )
        );
    }
}
