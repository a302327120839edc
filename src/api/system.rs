//! What `kind create cluster` (kind v0.29.0, node image kindest/node:v1.33.1) puts into a new
//! cluster besides its nodes: the control plane's static pods on `kubesim-control-plane` (their
//! mirror pods), kube-proxy and kindnet (DaemonSets), CoreDNS (a Deployment and the `kube-dns`
//! Service at 10.96.0.10), and the local-path provisioner in `local-path-storage`. The objects
//! are kind's and kubeadm's manifests, kept as data files in `src/api/kind/` (each names its
//! source); they are created through the API like anything a user applies, and the same
//! controllers, scheduler and kubelets then run them. Their images are on every node already
//! (kind's node image preloads them), so no pod pulls.

use crate::api::errors::{ApiError, Reason};
use crate::api::{Api, fmt_time};
use crate::util::fields::Fields;
use serde_json::{Value, json};

/// The mirror pods of the control plane's static pods (kubeadm's manifests).
const CONTROL_PLANE: &str = include_str!("kind/control-plane.yaml");
/// kube-proxy's ServiceAccount, ConfigMap and DaemonSet (kubeadm's addon).
const KUBE_PROXY: &str = include_str!("kind/kube-proxy.yaml");
/// CoreDNS's ServiceAccount, ConfigMap, Deployment and the `kube-dns` Service (kubeadm's addon).
const COREDNS: &str = include_str!("kind/coredns.yaml");
/// kindnet's ServiceAccount and DaemonSet (kind's CNI).
const KINDNET: &str = include_str!("kind/kindnet.yaml");
/// The `kubernetes` Service's Endpoints and EndpointSlice (kube-apiserver's endpoint
/// reconciler).
const APISERVER: &str = include_str!("kind/apiserver.yaml");
/// The `local-path-storage` namespace, the provisioner's ServiceAccount, Deployment and
/// ConfigMap (kind's storage).
const LOCAL_PATH: &str = include_str!("kind/local-path-storage.yaml");

/// The node the static pods run on.
pub const CONTROL_PLANE_NODE: &str = "kubesim-control-plane";

/// The images kind's node image holds before any pod runs (`crictl images` on a new kind
/// node): names as the kubelet reports them in `status.images`, sizes in bytes.
pub const PRELOADED_IMAGES: &[(&str, i64)] = &[
    ("registry.k8s.io/etcd:3.5.21-0", 58_938_593),
    ("docker.io/kindest/kindnetd:v20250512-df8de77b", 44_375_501),
    ("registry.k8s.io/kube-proxy:v1.33.1", 30_916_624),
    ("registry.k8s.io/kube-apiserver:v1.33.1", 30_075_153),
    (
        "registry.k8s.io/kube-controller-manager:v1.33.1",
        27_646_507,
    ),
    (
        "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a",
        22_541_737,
    ),
    ("registry.k8s.io/kube-scheduler:v1.33.1", 21_785_428),
    ("registry.k8s.io/coredns/coredns:v1.12.0", 20_939_036),
    (
        "docker.io/kindest/local-path-helper:v20241212-8ac705d0",
        3_084_671,
    ),
    ("registry.k8s.io/pause:3.10", 320_368),
];

/// Creates kind's system objects in a cluster whose nodes exist (after
/// [`super::bootstrap::default_cluster`]); the caller settles them.
pub fn kind_system(api: &mut Api) -> Result<(), ApiError> {
    preload_images(api)?;
    // The API server's own system classes (pkg/apis/scheduling/helpers.go), which the system
    // pods name.
    for (name, value, description) in crate::kinds::priorityclass::SYSTEM_PRIORITY_CLASSES {
        create(
            api,
            json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                   "metadata": {"name": name}, "value": value, "description": description,
                   "preemptionPolicy": "PreemptLowerPriority"}),
        )?;
    }
    for manifest in [APISERVER, KINDNET, KUBE_PROXY, COREDNS, LOCAL_PATH] {
        for obj in documents(manifest)? {
            create(api, obj)?;
        }
    }
    let node = api.get(&crate::kinds::node::KIND, "", CONTROL_PLANE_NODE)?;
    let uid = node
        .pointer("/metadata/uid")
        .cloned()
        .unwrap_or(Value::Null);
    let seen = fmt_time(api.now());
    for mut pod in documents(CONTROL_PLANE)? {
        pod.set(
            "/metadata/ownerReferences",
            json!([{"apiVersion": "v1", "kind": "Node", "name": CONTROL_PLANE_NODE,
                    "uid": uid, "controller": true}]),
        )?;
        pod.set(
            "/metadata/annotations/kubernetes.io~1config.seen",
            json!(seen),
        )?;
        create(api, pod)?;
    }
    Ok(())
}

/// Every node's `status.images`: what kind's node image preloads.
fn preload_images(api: &mut Api) -> Result<(), ApiError> {
    let kind = &crate::kinds::node::KIND;
    let images: Vec<Value> = PRELOADED_IMAGES
        .iter()
        .map(|(name, size)| json!({"names": [name], "sizeBytes": size}))
        .collect();
    let names: Vec<String> = api
        .list_ref(kind, None)?
        .iter()
        .filter_map(|n| n.pointer("/metadata/name")?.as_str().map(String::from))
        .collect();
    for name in names {
        let mut node = api.get(kind, "", &name)?;
        node.set("/status/images", json!(images))?;
        api.update_status(kind, "", node)?;
    }
    Ok(())
}

/// The objects of one of the manifests above.
fn documents(manifest: &str) -> Result<Vec<Value>, ApiError> {
    super::decode::parse_documents(manifest.as_bytes(), "kind")
        .map_err(|e| ApiError::new(Reason::InternalError, format!("kind's manifests: {e}")))
}

/// Creates `obj` through the API as its kind.
fn create(api: &mut Api, obj: Value) -> Result<Value, ApiError> {
    let s = |p: &str| obj.pointer(p).and_then(Value::as_str).unwrap_or("");
    let kind =
        crate::kinds::by_api_version_kind(s("/apiVersion"), s("/kind")).ok_or_else(|| {
            ApiError::new(
                Reason::InternalError,
                format!("kind's manifests: no kind {}", s("/kind")),
            )
        })?;
    let ns = s("/metadata/namespace").to_string();
    api.create(kind, &ns, obj)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_manifest_decodes_to_known_kinds() {
        let mut seen = Vec::new();
        for m in [
            APISERVER,
            KINDNET,
            KUBE_PROXY,
            COREDNS,
            LOCAL_PATH,
            CONTROL_PLANE,
        ] {
            for d in documents(m).unwrap() {
                let s = |p: &str| d.pointer(p).and_then(Value::as_str).unwrap().to_string();
                assert!(
                    crate::kinds::by_api_version_kind(&s("/apiVersion"), &s("/kind")).is_some()
                );
                seen.push(format!("{}/{}", s("/kind"), s("/metadata/name")));
            }
        }
        assert_eq!(
            seen,
            [
                "Endpoints/kubernetes",
                "EndpointSlice/kubernetes",
                "ServiceAccount/kindnet",
                "DaemonSet/kindnet",
                "ServiceAccount/kube-proxy",
                "ConfigMap/kube-proxy",
                "DaemonSet/kube-proxy",
                "ServiceAccount/coredns",
                "ConfigMap/coredns",
                "Deployment/coredns",
                "Service/kube-dns",
                "Namespace/local-path-storage",
                "ServiceAccount/local-path-provisioner-service-account",
                "Deployment/local-path-provisioner",
                "ConfigMap/local-path-config",
                "Pod/etcd-kubesim-control-plane",
                "Pod/kube-apiserver-kubesim-control-plane",
                "Pod/kube-controller-manager-kubesim-control-plane",
                "Pod/kube-scheduler-kubesim-control-plane",
            ]
        );
    }

    #[test]
    fn mirror_pods_belong_to_the_node_and_have_no_service_account() {
        let dir = std::env::temp_dir().join(format!("kubesim-system-{}", std::process::id()));
        let mut api = crate::api::bootstrap::scratch_api(&dir, "2026-01-01T00:00:00Z");
        crate::api::bootstrap::default_cluster(&mut api).unwrap();
        kind_system(&mut api).unwrap();
        let pods = &crate::kinds::pod::KIND;
        let node = api
            .get(&crate::kinds::node::KIND, "", CONTROL_PLANE_NODE)
            .unwrap();
        let etcd = api
            .get(pods, "kube-system", "etcd-kubesim-control-plane")
            .unwrap();
        let p = |v: &Value, ptr: &str| v.pointer(ptr).cloned().unwrap_or(Value::Null);
        assert_eq!(
            p(&etcd, "/metadata/ownerReferences/0/uid"),
            p(&node, "/metadata/uid")
        );
        assert_eq!(p(&etcd, "/spec/serviceAccountName"), Value::Null);
        assert_eq!(p(&etcd, "/spec/priority"), json!(2_000_001_000));
        assert_eq!(
            p(&etcd, "/metadata/annotations/kubernetes.io~1config.seen"),
            json!("2026-01-01T00:00:00Z")
        );
        // Everything else goes through the ServiceAccount admission as usual.
        let dns = api
            .get(&crate::kinds::deployment::KIND, "kube-system", "coredns")
            .unwrap();
        assert_eq!(
            p(&dns, "/spec/template/spec/serviceAccountName"),
            json!("coredns")
        );
        let images = p(&node, "/status/images");
        assert_eq!(
            images.as_array().map(Vec::len),
            Some(PRELOADED_IMAGES.len())
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
