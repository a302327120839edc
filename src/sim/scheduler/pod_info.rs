//! [`PodInfo`]: the parts of a pod the scheduler reads, decoded once.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, Container, ContainerPort, NodeAffinity, Pod, PodAffinityTerm, ResourceRequirements,
    Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use super::EMPTY_LABELS;
use super::node_info::OwnerKey;
use super::plugins::node_ports::host_ports_of;
use super::plugins::node_resources_fit::Res;
use super::plugins::taint_toleration::tolerated;
use super::resources::{Resources, amount, is_sidecar, requests_of};

/// The pod as decoded from the API's JSON: only the fields the scheduler reads (serde skips
/// the rest without building it).
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawPod {
    pub(super) metadata: RawMeta,
    pub(super) spec: Option<RawSpec>,
    pub(super) status: Option<RawStatus>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawMeta {
    pub(super) name: Option<String>,
    pub(super) namespace: Option<String>,
    pub(super) labels: Option<BTreeMap<String, String>>,
    pub(super) owner_references: Option<Vec<RawOwner>>,
    pub(super) deletion_timestamp: Option<IgnoredAny>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct RawOwner {
    pub(super) uid: String,
    pub(super) controller: Option<bool>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawSpec {
    pub(super) node_name: Option<String>,
    pub(super) priority: Option<i32>,
    pub(super) preemption_policy: Option<String>,
    pub(super) tolerations: Option<Vec<Toleration>>,
    pub(super) node_selector: Option<BTreeMap<String, String>>,
    pub(super) affinity: Option<Affinity>,
    pub(super) containers: Vec<RawContainer>,
    pub(super) init_containers: Option<Vec<RawContainer>>,
    pub(super) overhead: Option<BTreeMap<String, Quantity>>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawContainer {
    pub(super) resources: Option<ResourceRequirements>,
    pub(super) ports: Option<Vec<ContainerPort>>,
    pub(super) restart_policy: Option<String>,
}

impl RawContainer {
    pub(super) fn of(c: &Container) -> RawContainer {
        RawContainer {
            resources: c.resources.clone(),
            ports: c.ports.clone(),
            restart_policy: c.restart_policy.clone(),
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct RawStatus {
    pub(super) phase: Option<String>,
}

/// The metadata fields the scheduler keeps of a pod.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodMeta {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub labels: Option<BTreeMap<String, String>>,
}

/// What the scheduler needs of one pod, computed once (like kube-scheduler's
/// `framework.PodInfo`): requests, host ports, tolerations, node selector and affinity, the
/// controller owner and priority. Build it from the API's JSON with [`PodInfo::from_value`]
/// (which decodes only these fields) or from a typed pod with [`PodInfo::from_pod`]; pass it
/// to [`schedule_prepared`] and, once bound, to [`NodeInfo::add`].
///
/// A [`NodeInfo`] keeps a slimmed copy of each pod (requests, ports, labels, owner, priority
/// and required pod anti-affinity: what the filters and scores read of existing pods).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodInfo {
    /// Name, namespace and labels.
    pub metadata: PodMeta,
    /// `namespace/uid` of the controller owner: the key the default spread counts by.
    pub(super) owner_key: Option<OwnerKey>,
    /// `metadata.deletionTimestamp` is set.
    pub(super) deleting: bool,
    /// Phase `Succeeded` or `Failed`.
    pub(super) terminal: bool,
    /// `spec.priority`, 0 when unset.
    pub(super) priority: i32,
    /// `spec.preemptionPolicy: Never`.
    pub(super) preemption_never: bool,
    /// `spec.nodeName` when not empty (the NodeName filter).
    pub(super) node_name: Option<String>,
    pub(super) tolerations: Vec<Toleration>,
    /// Whether the tolerations tolerate `node.kubernetes.io/unschedulable:NoSchedule`.
    pub(super) tolerates_unschedulable: bool,
    pub(super) node_selector: Option<BTreeMap<String, String>>,
    pub(super) node_affinity: Option<NodeAffinity>,
    /// Required pod affinity terms.
    pub(super) affinity_terms: Vec<PodAffinityTerm>,
    /// Required pod anti-affinity terms.
    pub(super) anti_affinity_terms: Vec<PodAffinityTerm>,
    /// `pod_requests(pod, false)`.
    pub(super) requests: Resources,
    /// cpu and memory of `pod_requests(pod, true)` (the other resources equal `requests`).
    pub(super) nz_cpu: i128,
    pub(super) nz_memory: i128,
    /// The positive requests NodeResourcesFit checks, in its reporting order (cpu, memory,
    /// ephemeral-storage, then the others by name; never `pods`).
    pub(super) fit: Vec<(Res, i128)>,
    /// Host ports as `(host IP, protocol, port)`.
    pub(super) ports: Vec<(String, String, i32)>,
    /// The pod's claims as VolumeBinding sees them, read through the API by the glue before
    /// a decision (`None`: no claim, or not read; bound pods never carry them).
    pub volumes: Option<std::sync::Arc<super::plugins::volume_binding::VolumeFacts>>,
}

impl PodInfo {
    /// Decodes the fields the scheduler reads from a pod in the API's JSON form.
    pub fn from_value(v: &Value) -> Result<PodInfo, serde_json::Error> {
        RawPod::deserialize(v).map(PodInfo::from_raw)
    }

    /// Decodes a pod in the API's JSON form, with the node it is bound to (`""`: none).
    pub fn bound_from_value(v: &Value) -> Result<(String, PodInfo), serde_json::Error> {
        RawPod::deserialize(v).map(PodInfo::bound_from_raw)
    }

    /// The same from the JSON text of a pod (as the store keeps a pod at rest).
    pub fn bound_from_text(text: &str) -> Result<(String, PodInfo), serde_json::Error> {
        serde_json::from_str::<RawPod>(text).map(PodInfo::bound_from_raw)
    }

    pub(super) fn bound_from_raw(raw: RawPod) -> (String, PodInfo) {
        let node = raw
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default();
        (node, PodInfo::from_raw(raw))
    }

    /// The same from a typed pod.
    pub fn from_pod(pod: &Pod) -> PodInfo {
        let m = &pod.metadata;
        let raw = RawPod {
            metadata: RawMeta {
                name: m.name.clone(),
                namespace: m.namespace.clone(),
                labels: m.labels.clone(),
                owner_references: m.owner_references.as_ref().map(|os| {
                    os.iter()
                        .map(|o| RawOwner {
                            uid: o.uid.clone(),
                            controller: o.controller,
                        })
                        .collect()
                }),
                deletion_timestamp: m.deletion_timestamp.as_ref().map(|_| IgnoredAny),
            },
            spec: pod.spec.as_ref().map(|s| RawSpec {
                node_name: s.node_name.clone(),
                priority: s.priority,
                preemption_policy: s.preemption_policy.clone(),
                tolerations: s.tolerations.clone(),
                node_selector: s.node_selector.clone(),
                affinity: s.affinity.clone(),
                containers: s.containers.iter().map(RawContainer::of).collect(),
                init_containers: s
                    .init_containers
                    .as_ref()
                    .map(|cs| cs.iter().map(RawContainer::of).collect()),
                overhead: s.overhead.clone(),
            }),
            status: pod.status.as_ref().map(|s| RawStatus {
                phase: s.phase.clone(),
            }),
        };
        PodInfo::from_raw(raw)
    }

    pub(super) fn from_raw(raw: RawPod) -> PodInfo {
        let RawPod {
            metadata,
            spec,
            status,
        } = raw;
        let namespace = metadata.namespace.as_deref().unwrap_or("default");
        let owner_key = metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))
            .map(|o| OwnerKey::new(format!("{namespace}/{}", o.uid)));
        let terminal = matches!(
            status.and_then(|s| s.phase).as_deref(),
            Some("Succeeded" | "Failed")
        );
        let mut info = PodInfo {
            owner_key,
            deleting: metadata.deletion_timestamp.is_some(),
            terminal,
            metadata: PodMeta {
                name: metadata.name,
                namespace: metadata.namespace,
                labels: metadata.labels,
            },
            ..Default::default()
        };
        let Some(spec) = spec else {
            return info;
        };
        let init = spec.init_containers.as_deref().unwrap_or(&[]);
        let requests = |non_zero| {
            requests_of(
                spec.containers.iter().map(|c| c.resources.as_ref()),
                init.iter().map(|c| {
                    (
                        c.resources.as_ref(),
                        is_sidecar(c.restart_policy.as_deref()),
                    )
                }),
                spec.overhead.as_ref(),
                non_zero,
            )
        };
        info.requests = requests(false);
        let nz = requests(true);
        info.nz_cpu = amount(&nz, "cpu");
        info.nz_memory = amount(&nz, "memory");
        let mut fit: Vec<(Res, i128)> = info
            .requests
            .iter()
            .filter(|(k, v)| k.as_str() != "pods" && **v > 0)
            .map(|(k, v)| {
                let r = match k.as_str() {
                    "cpu" => Res::Cpu,
                    "memory" => Res::Memory,
                    "ephemeral-storage" => Res::EphemeralStorage,
                    _ => Res::Other(k.clone()),
                };
                (r, *v)
            })
            .collect();
        // cpu, memory, ephemeral-storage first (in that order), then the others by name.
        let rank = |r: &Res| match r {
            Res::Cpu => 0,
            Res::Memory => 1,
            Res::EphemeralStorage => 2,
            Res::Other(_) => 3,
        };
        fit.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then(a.0.name().cmp(b.0.name())));
        info.fit = fit;
        info.ports = host_ports_of(
            spec.containers
                .iter()
                .chain(
                    init.iter()
                        .filter(|c| is_sidecar(c.restart_policy.as_deref())),
                )
                .flat_map(|c| c.ports.iter().flatten()),
        );
        info.node_name = spec.node_name.filter(|n| !n.is_empty());
        info.priority = spec.priority.unwrap_or(0);
        info.preemption_never = spec.preemption_policy.as_deref() == Some("Never");
        info.tolerations = spec.tolerations.unwrap_or_default();
        info.tolerates_unschedulable = tolerated(
            &info.tolerations,
            &Taint {
                key: "node.kubernetes.io/unschedulable".into(),
                effect: "NoSchedule".into(),
                ..Default::default()
            },
        );
        info.node_selector = spec.node_selector;
        if let Some(a) = spec.affinity {
            info.node_affinity = a.node_affinity;
            info.affinity_terms = a
                .pod_affinity
                .and_then(|a| a.required_during_scheduling_ignored_during_execution)
                .unwrap_or_default();
            info.anti_affinity_terms = a
                .pod_anti_affinity
                .and_then(|a| a.required_during_scheduling_ignored_during_execution)
                .unwrap_or_default();
        }
        info
    }

    /// `namespace/name`, the key a [`NodeInfo`] stores the pod under.
    pub fn key(&self) -> String {
        format!(
            "{}/{}",
            self.namespace(),
            self.metadata.name.as_deref().unwrap_or("")
        )
    }

    /// The namespace (`default` when unset).
    pub fn namespace(&self) -> &str {
        self.metadata.namespace.as_deref().unwrap_or("default")
    }

    pub(super) fn labels(&self) -> &BTreeMap<String, String> {
        self.metadata.labels.as_ref().unwrap_or(&EMPTY_LABELS)
    }

    /// Whether the pod is in phase `Succeeded` or `Failed` (it no longer counts on a node).
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// What a [`NodeInfo`] keeps of a pod on the node: the incoming-pod-only parts dropped.
    pub(super) fn into_stored(self) -> PodInfo {
        PodInfo {
            metadata: self.metadata,
            owner_key: self.owner_key,
            deleting: self.deleting,
            terminal: self.terminal,
            priority: self.priority,
            anti_affinity_terms: self.anti_affinity_terms,
            requests: self.requests,
            nz_cpu: self.nz_cpu,
            nz_memory: self.nz_memory,
            ports: self.ports,
            ..Default::default()
        }
    }

    pub(super) fn cpu(&self) -> i128 {
        amount(&self.requests, "cpu")
    }

    pub(super) fn memory(&self) -> i128 {
        amount(&self.requests, "memory")
    }
}

pub(super) fn pod_key(pod: &Pod) -> String {
    format!(
        "{}/{}",
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        pod.metadata.name.as_deref().unwrap_or("")
    )
}

/// `namespace/name` of a pod in the API's JSON form, as [`PodInfo::key`] forms it.
pub fn value_key(v: &Value) -> String {
    let s = |k: &str| {
        v.get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
    };
    format!(
        "{}/{}",
        s("namespace").unwrap_or("default"),
        s("name").unwrap_or("")
    )
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scheduler::{DEFAULT_MEMORY_REQUEST, NodeInfo};

    #[test]
    fn pod_info_from_json() {
        let v = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "web-1",
                "namespace": "shop",
                "uid": "u1",
                "labels": {"app": "web"},
                "ownerReferences": [
                    {"apiVersion": "v1", "kind": "X", "name": "x", "uid": "other"},
                    {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web",
                     "uid": "rs1", "controller": true}
                ],
                "managedFields": [{"manager": "kubectl"}]
            },
            "spec": {
                "containers": [{
                    "name": "c",
                    "image": "nginx",
                    "env": [{"name": "A", "value": "1"}],
                    "resources": {"requests": {"cpu": "250m"}, "limits": {"memory": "1Gi"}},
                    "ports": [{"containerPort": 80, "hostPort": 8080}]
                }],
                "initContainers": [{
                    "name": "side",
                    "restartPolicy": "Always",
                    "resources": {"requests": {"example.com/gpu": "1"}},
                    "ports": [{"containerPort": 53, "hostPort": 53, "protocol": "UDP",
                               "hostIP": "10.0.0.1"}]
                }],
                "priority": 100,
                "preemptionPolicy": "Never",
                "tolerations": [{"key": "node.kubernetes.io/unschedulable",
                                 "operator": "Exists"}]
            },
            "status": {"phase": "Pending", "qosClass": "Burstable"}
        });
        let p = PodInfo::from_value(&v).unwrap();
        assert_eq!(p.key(), "shop/web-1");
        assert_eq!(value_key(&v), "shop/web-1");
        assert_eq!(
            p.owner_key.as_ref().map(|k| k.key.as_str()),
            Some("shop/rs1")
        );
        assert_eq!(
            p.requests,
            Resources::from([
                ("cpu".into(), 250),
                ("example.com/gpu".into(), 1),
                ("memory".into(), 1 << 30)
            ])
        );
        // The sidecar counts the scorers' defaults (100m, 200Mi) for what it does not request.
        assert_eq!(
            (p.nz_cpu, p.nz_memory),
            (350, (1 << 30) + DEFAULT_MEMORY_REQUEST)
        );
        assert_eq!(
            p.fit,
            [
                (Res::Cpu, 250),
                (Res::Memory, 1 << 30),
                (Res::Other("example.com/gpu".into()), 1)
            ]
        );
        assert_eq!(
            p.ports,
            [
                ("0.0.0.0".to_string(), "TCP".to_string(), 8080),
                ("10.0.0.1".to_string(), "UDP".to_string(), 53)
            ]
        );
        assert_eq!((p.priority, p.preemption_never), (100, true));
        assert!(p.tolerates_unschedulable && !p.terminal && !p.deleting);
        // The typed route gives the same.
        let typed: Pod = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(PodInfo::from_pod(&typed), p);
        // What a NodeInfo keeps, and removal by key.
        let mut info = NodeInfo::default();
        info.add(p.clone());
        assert!(info.contains("shop/web-1"));
        assert_eq!(info.owner_pod_count("shop", "rs1"), 1);
        let kept = info.pods().next().unwrap();
        assert!(kept.tolerations.is_empty() && kept.fit.is_empty());
        assert_eq!(kept.requests, p.requests);
        assert!(info.remove("shop/web-1"));
        assert_eq!(info, NodeInfo::default());
        // No spec at all: nothing requested, not even the non-zero defaults.
        let bare = PodInfo::from_value(&serde_json::json!({"metadata": {"name": "b"}})).unwrap();
        assert_eq!((bare.key().as_str(), bare.nz_cpu), ("default/b", 0));
        let done = serde_json::json!({"metadata": {"name": "d"}, "status": {"phase": "Failed"}});
        assert!(PodInfo::from_value(&done).unwrap().is_terminal());
    }
}
