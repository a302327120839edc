//! What a node's kubelet remembers of the pods bound there ([`NodePods`]: admission's counts,
//! pod IPs, the images their containers started with), and the lean decoding of stored pods
//! the kubelet needs. Pure: the [`Kubelets`](super::Kubelets) loop feeds it.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{
    Container, ContainerStatus, Pod, PodSpec, PodStatus, ResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use serde::Deserialize;
use serde_json::Value;

use super::{cpu_memory_requests, first_known_start, normalize_image, pod_terminal};
use crate::util::ptr::Ptr;

/// Whether a container waits out a back-off (CrashLoopBackOff, ImagePullBackOff, ...): such
/// wake-ups do not hold up settling.
pub(super) fn waiting_in_backoff(st: &k8s_openapi::api::core::v1::PodStatus) -> bool {
    st.container_statuses
        .iter()
        .flatten()
        .chain(st.init_container_statuses.iter().flatten())
        .any(|c| {
            c.state
                .as_ref()
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.as_deref())
                .is_some_and(|r| r.contains("BackOff") || r == "ErrImagePull")
        })
}

/// Whether the containers that wait out a back-off all wait in `CrashLoopBackOff` (and one
/// does): the pod's next wake-up is lazy work.
pub(super) fn only_crash_loops(st: &k8s_openapi::api::core::v1::PodStatus) -> bool {
    let mut any = false;
    for c in st
        .container_statuses
        .iter()
        .flatten()
        .chain(st.init_container_statuses.iter().flatten())
    {
        let reason = c
            .state
            .as_ref()
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
            .unwrap_or("");
        if reason == "CrashLoopBackOff" {
            any = true;
        } else if reason.contains("BackOff") || reason == "ErrImagePull" {
            return false;
        }
    }
    any
}

/// What the kubelet cache keeps of a pod on its node: admission reads whether it finished
/// and its cpu and memory requests, IP allocation its pod IP, image pulls the images its
/// containers started with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct SlimPod {
    /// Phase `Succeeded` or `Failed`.
    pub(super) terminal: bool,
    /// `status.podIP`.
    pub(super) pod_ip: Option<String>,
    /// cpu requests in millicores ([`super::cpu_memory_requests`]).
    pub(super) cpu: i128,
    /// memory requests in bytes.
    pub(super) memory: i128,
    /// The images its containers have started with ([`super::normalize_image`] names), each
    /// with the earliest start the status still shows (the image was on the node by then).
    pub(super) images: Vec<(String, Timestamp)>,
}

/// The images a pod's container statuses show pulled: those with an `imageID`, with the
/// earliest of `state.running.startedAt`, `state.terminated.startedAt` and
/// `lastState.terminated.startedAt`.
pub(super) fn started_images(st: &PodStatus) -> Vec<(String, Timestamp)> {
    let mut out: Vec<(String, Timestamp)> = Vec::new();
    for cs in st
        .init_container_statuses
        .iter()
        .flatten()
        .chain(st.container_statuses.iter().flatten())
    {
        let Some(since) = first_known_start(cs) else {
            continue;
        };
        let image = normalize_image(&cs.image);
        match out.iter_mut().find(|(i, _)| *i == image) {
            Some((_, t)) => *t = (*t).min(since),
            None => out.push((image, since)),
        }
    }
    out
}

impl SlimPod {
    /// From a typed pod.
    pub(super) fn of(pod: &Pod) -> SlimPod {
        let (cpu, memory) = cpu_memory_requests(pod);
        SlimPod {
            terminal: pod_terminal(pod),
            pod_ip: pod.status.as_ref().and_then(|s| s.pod_ip.clone()),
            cpu,
            memory,
            images: pod.status.as_ref().map(started_images).unwrap_or_default(),
        }
    }

    /// From a stored pod, decoding only what the requests are computed from.
    pub(super) fn of_value(v: &Value) -> Result<SlimPod, serde_json::Error> {
        let spec = match v.get("spec") {
            Some(s) => Some(RequestsView::deserialize(s)?.into_spec()),
            None => None,
        };
        let status = |p: &str| v.ptr(p).and_then(Value::as_str).map(str::to_string);
        // Container statuses are decoded only when some container has started.
        let statuses = |p: &str| -> Result<Option<Vec<ContainerStatus>>, serde_json::Error> {
            match v.ptr(p).and_then(Value::as_array) {
                Some(a) if a.iter().any(|c| c.get("imageID").is_some_and(|i| i != "")) => {
                    Vec::<ContainerStatus>::deserialize(v.ptr(p).expect("present")).map(Some)
                }
                _ => Ok(None),
            }
        };
        let pod = Pod {
            spec,
            status: Some(PodStatus {
                phase: status("/status/phase"),
                pod_ip: status("/status/podIP"),
                init_container_statuses: statuses("/status/initContainerStatuses")?,
                container_statuses: statuses("/status/containerStatuses")?,
                ..Default::default()
            }),
            ..Default::default()
        };
        Ok(SlimPod::of(&pod))
    }
}

/// What a node's kubelet knows of the pods bound to it.
#[derive(Debug, Default)]
pub(super) struct NodePods {
    /// pod key (`namespace/name`) → the pod.
    pub(super) pods: BTreeMap<String, SlimPod>,
    /// image → (since, pod key) for every pod that shows a container started with it: the
    /// images on the node, the earliest first.
    pub(super) images: BTreeMap<String, std::collections::BTreeSet<(Timestamp, String)>>,
}

impl NodePods {
    /// Adds or replaces the pod `key`.
    pub(super) fn insert(&mut self, key: &str, pod: SlimPod) {
        self.remove(key);
        for (image, since) in &pod.images {
            self.images
                .entry(image.clone())
                .or_default()
                .insert((*since, key.to_string()));
        }
        self.pods.insert(key.to_string(), pod);
    }

    /// Forgets the pod `key`.
    pub(super) fn remove(&mut self, key: &str) {
        let Some(old) = self.pods.remove(key) else {
            return;
        };
        for (image, since) in old.images {
            if let Some(set) = self.images.get_mut(&image) {
                set.remove(&(since, key.to_string()));
                if set.is_empty() {
                    self.images.remove(&image);
                }
            }
        }
    }

    /// The images on the node as pods other than `key` show them, each with the earliest
    /// start ([`KubeletCtx::images`](super::KubeletCtx::images)).
    pub(super) fn images_for(&self, key: &str) -> BTreeMap<String, Timestamp> {
        self.images
            .iter()
            .filter_map(|(image, set)| {
                let (since, _) = set.iter().find(|(_, k)| k != key)?;
                Some((image.clone(), *since))
            })
            .collect()
    }
}

/// The part of a pod spec that `scheduler::pod_requests` reads.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RequestsView {
    #[serde(default)]
    pub(super) containers: Vec<ContainerRequestsView>,
    pub(super) init_containers: Option<Vec<ContainerRequestsView>>,
    pub(super) overhead: Option<BTreeMap<String, Quantity>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ContainerRequestsView {
    #[serde(default)]
    pub(super) name: String,
    pub(super) resources: Option<ResourceRequirements>,
    pub(super) restart_policy: Option<String>,
}

impl ContainerRequestsView {
    fn into_container(self) -> Container {
        Container {
            name: self.name,
            resources: self.resources,
            restart_policy: self.restart_policy,
            ..Default::default()
        }
    }
}

impl RequestsView {
    fn into_spec(self) -> PodSpec {
        PodSpec {
            containers: self
                .containers
                .into_iter()
                .map(ContainerRequestsView::into_container)
                .collect(),
            init_containers: self.init_containers.map(|v| {
                v.into_iter()
                    .map(ContainerRequestsView::into_container)
                    .collect()
            }),
            overhead: self.overhead,
            ..Default::default()
        }
    }
}

/// The metadata fields the kubelet reads (name, namespace, uid, annotations, graceful
/// deletion); labels, owners and the rest are not decoded.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct MetaView {
    pub(super) name: Option<String>,
    pub(super) namespace: Option<String>,
    pub(super) uid: Option<String>,
    pub(super) annotations: Option<BTreeMap<String, String>>,
    pub(super) deletion_timestamp: Option<Time>,
    pub(super) deletion_grace_period_seconds: Option<i64>,
}

/// A stored pod as [`super::sync_pod`] needs it: spec and status in full, of the metadata
/// only what [`MetaView`] keeps.
pub(super) fn decode_pod(v: &Value) -> Result<Pod, serde_json::Error> {
    let meta = match v.get("metadata") {
        Some(m) => MetaView::deserialize(m)?,
        None => MetaView::default(),
    };
    let part = |k: &str| v.get(k).filter(|x| !x.is_null());
    Ok(Pod {
        metadata: ObjectMeta {
            name: meta.name,
            namespace: meta.namespace,
            uid: meta.uid,
            annotations: meta.annotations,
            deletion_timestamp: meta.deletion_timestamp,
            deletion_grace_period_seconds: meta.deletion_grace_period_seconds,
            ..Default::default()
        },
        spec: part("spec").map(PodSpec::deserialize).transpose()?,
        status: part("status").map(PodStatus::deserialize).transpose()?,
    })
}

/// Whether some container of the pod has never started (no status with an `imageID`).
pub(super) fn has_unstarted_container(pod: &Pod) -> bool {
    let Some(spec) = &pod.spec else {
        return false;
    };
    let st = pod.status.as_ref();
    let started = |list: Option<&Vec<ContainerStatus>>, name: &str| {
        list.into_iter()
            .flatten()
            .any(|c| c.name == name && !c.image_id.is_empty())
    };
    spec.init_containers
        .iter()
        .flatten()
        .any(|c| !started(st.and_then(|s| s.init_container_statuses.as_ref()), &c.name))
        || spec
            .containers
            .iter()
            .any(|c| !started(st.and_then(|s| s.container_statuses.as_ref()), &c.name))
}

/// The address `ip` takes in `prefix` (`"10.244.3"`): `Some(n)` when `ip` is exactly
/// `{prefix}.{n}` with `n` written without leading zeros.
pub(super) fn host_part(prefix: &str, ip: &str) -> Option<u8> {
    let rest = ip.strip_prefix(prefix)?.strip_prefix('.')?;
    let n: u8 = rest.parse().ok()?;
    (n.to_string() == rest).then_some(n)
}

/// The lowest address `{prefix}.2` ... `{prefix}.254` not in `used` (`{prefix}.254` when all
/// are taken).
pub(super) fn lowest_free_ip<'a>(prefix: &str, used: impl Iterator<Item = &'a str>) -> String {
    let mut taken = [false; 256];
    for ip in used {
        if let Some(n) = host_part(prefix, ip) {
            taken[usize::from(n)] = true;
        }
    }
    let i = (2..255).find(|&i| !taken[i]).unwrap_or(254);
    format!("{prefix}.{i}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::fields::Fields;
    use serde_json::json;

    #[test]
    fn lowest_free_ip_skips_taken_addresses() {
        let ip = |used: &[&str]| lowest_free_ip("10.244.3", used.iter().copied());
        assert_eq!(ip(&[]), "10.244.3.2");
        assert_eq!(ip(&["10.244.3.2", "10.244.3.4"]), "10.244.3.3");
        // Other prefixes, the host network and non-canonical spellings take nothing.
        assert_eq!(
            ip(&["10.244.30.2", "10.244.3.02", "10.244.3.+2", "172.18.0.2"]),
            "10.244.3.2"
        );
        let all: Vec<String> = (2..255).map(|i| format!("10.244.3.{i}")).collect();
        assert_eq!(
            lowest_free_ip("10.244.3", all.iter().map(String::as_str)),
            "10.244.3.254"
        );
        assert_eq!(host_part("10.244.3", "10.244.3.254"), Some(254));
        assert_eq!(host_part("10.244.3", "10.244.3.256"), None);
    }

    fn stored_pod() -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "web-1", "namespace": "default", "uid": "u-1",
                "labels": {"app": "web"},
                "annotations": {"kubesim.io/run-seconds": "3"},
                "deletionTimestamp": "2026-01-01T00:00:30Z",
                "deletionGracePeriodSeconds": 30,
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                     "name": "web", "uid": "rs-1", "controller": true}]
            },
            "spec": {
                "nodeName": "node-1",
                "containers": [{"name": "a", "image": "nginx:1.25",
                                "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}],
                "initContainers": [{"name": "i", "image": "busybox",
                                    "resources": {"requests": {"cpu": "1"}}}],
                "overhead": {"memory": "1Mi"}
            },
            "status": {"phase": "Running", "podIP": "10.244.1.7"}
        })
    }

    #[test]
    fn decode_pod_keeps_what_the_kubelet_reads() {
        let v = stored_pod();
        let full = Pod::deserialize(&v).unwrap();
        let lean = decode_pod(&v).unwrap();
        assert_eq!(lean.spec, full.spec);
        assert_eq!(lean.status, full.status);
        let (m, f) = (&lean.metadata, &full.metadata);
        assert_eq!(
            (&m.name, &m.namespace, &m.uid, &m.annotations),
            (&f.name, &f.namespace, &f.uid, &f.annotations)
        );
        assert_eq!(m.deletion_timestamp, f.deletion_timestamp);
        assert_eq!(m.deletion_grace_period_seconds, Some(30));
        assert_eq!(
            (m.labels.as_ref(), m.owner_references.as_ref()),
            (None, None)
        );
    }

    #[test]
    fn slim_pod_from_value_matches_typed() {
        let v = stored_pod();
        let slim = SlimPod::of_value(&v).unwrap();
        assert_eq!(slim, SlimPod::of(&Pod::deserialize(&v).unwrap()));
        assert_eq!(
            slim,
            SlimPod {
                terminal: false,
                pod_ip: Some("10.244.1.7".into()),
                // max(250m, init 1) cpu; 64Mi + 1Mi overhead.
                cpu: 1000,
                memory: 65 * 1024 * 1024,
                images: vec![],
            }
        );
        let mut done = v.clone();
        done.set("/status/phase", json!("Failed")).unwrap();
        assert!(SlimPod::of_value(&done).unwrap().terminal);
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn started_images_come_from_statuses_with_an_image_id() {
        let mut v = stored_pod();
        v.set("/status/initContainerStatuses", json!([{
            "name": "i", "image": "docker.io/library/busybox:latest", "imageID": "docker.io/library/busybox@sha256:1",
            "ready": false, "restartCount": 0,
            "state": {"terminated": {"exitCode": 0, "startedAt": "2026-01-01T00:00:02Z",
                                     "finishedAt": "2026-01-01T00:00:07Z"}}
        }])).unwrap();
        v.set("/status/containerStatuses", json!([
            {"name": "a", "image": "docker.io/library/nginx:1.25", "imageID": "docker.io/library/nginx@sha256:2",
             "ready": true, "restartCount": 1,
             "state": {"running": {"startedAt": "2026-01-01T00:01:00Z"}},
             "lastState": {"terminated": {"exitCode": 1, "startedAt": "2026-01-01T00:00:09Z",
                                          "finishedAt": "2026-01-01T00:00:50Z"}}},
            {"name": "b", "image": "redis:7", "imageID": "", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "ContainerCreating"}}}
        ])).unwrap();
        let slim = SlimPod::of_value(&v).unwrap();
        assert_eq!(
            slim.images,
            [
                (
                    "docker.io/library/busybox:latest".to_string(),
                    at("2026-01-01T00:00:02Z")
                ),
                (
                    "docker.io/library/nginx:1.25".to_string(),
                    at("2026-01-01T00:00:09Z")
                ),
            ]
        );
        assert_eq!(slim, SlimPod::of(&Pod::deserialize(&v).unwrap()));
    }

    #[test]
    fn node_pods_track_the_images_of_other_pods() {
        let pod = |images: &[(&str, &str)]| SlimPod {
            images: images.iter().map(|(i, t)| (i.to_string(), at(t))).collect(),
            ..Default::default()
        };
        let nginx = "docker.io/library/nginx:1.25";
        let mut n = NodePods::default();
        n.insert("default/a", pod(&[(nginx, "2026-01-01T00:00:05Z")]));
        n.insert("default/b", pod(&[(nginx, "2026-01-01T00:00:02Z")]));
        n.insert("default/c", pod(&[]));
        let images = |n: &NodePods, key: &str| -> Vec<(String, Timestamp)> {
            n.images_for(key).into_iter().collect()
        };
        assert_eq!(
            images(&n, "default/c"),
            [(nginx.to_string(), at("2026-01-01T00:00:02Z"))]
        );
        // A pod's own containers do not count; the earliest other pod does.
        assert_eq!(
            images(&n, "default/b"),
            [(nginx.to_string(), at("2026-01-01T00:00:05Z"))]
        );
        // Replacing and removing pods keeps the index current.
        n.insert("default/b", pod(&[]));
        assert_eq!(images(&n, "default/a"), []);
        n.remove("default/a");
        assert!(n.images.is_empty());
        assert_eq!(n.pods.len(), 2);
    }
}
