//! The default cluster of a fresh state, shaped like kind's: a control-plane node (tainted
//! NoSchedule) and two workers, the four system namespaces, the `kubernetes` Service, and a
//! default StorageClass `standard`.

use crate::api::errors::ApiError;
use crate::api::{Api, fmt_time};
use crate::store::{FORMAT, Meta};
use crate::util::fields::Fields;
use jiff::Timestamp;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The kubelet version the simulated nodes report.
pub const KUBELET_VERSION: &str = "v1.33.1";

/// The manifest of a new state: the clock starts at `KUBESIM_START_TIME` (RFC 3339) when set
/// (and then never follows the wall clock: golden files), else at the wall clock (and follows it);
/// the name and uid generators are seeded from `KUBESIM_SEED` (an unsigned 64-bit integer) when
/// set. A value that does not parse is an error, never ignored.
pub fn fresh_meta() -> Result<Meta, String> {
    let (fixed, seed) = env_settings()?;
    let start = fixed.unwrap_or_else(|| {
        let n = Timestamp::now();
        Timestamp::from_second(n.as_second()).unwrap_or(n)
    });
    let seed = seed.unwrap_or(0x6b75_6265_7369_6d00);
    Ok(Meta {
        format: FORMAT,
        generation: 0,
        resource_version: 0,
        clock: fmt_time(start),
        created: fmt_time(start),
        follow_wall_clock: fixed.is_none(),
        wall_anchor: None,
        rng: seed,
        names: BTreeMap::new(),
        settings: BTreeMap::new(),
        segments: BTreeMap::new(),
        event_sweep: Some("none".into()),
        engine: Value::Null,
    })
}

/// `KUBESIM_START_TIME` and `KUBESIM_SEED`, checked: set and not parsing is an error naming
/// the variable.
pub fn env_settings() -> Result<(Option<Timestamp>, Option<u64>), String> {
    let var = |name: &str| match std::env::var(name) {
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(v)) => Err(format!(
            "{name}={} is not valid UTF-8",
            v.to_string_lossy().escape_debug()
        )),
    };
    let start = match var("KUBESIM_START_TIME")? {
        None => None,
        Some(s) => Some(s.parse::<Timestamp>().map_err(|_| {
            format!(
                "KUBESIM_START_TIME=\"{}\" is not an RFC 3339 time (for example 2026-01-01T00:00:00Z)",
                s.escape_debug()
            )
        })?),
    };
    let seed = match var("KUBESIM_SEED")? {
        None => None,
        Some(s) => Some(s.parse::<u64>().map_err(|_| {
            format!(
                "KUBESIM_SEED=\"{}\" is not an unsigned 64-bit integer",
                s.escape_debug()
            )
        })?),
    };
    Ok((start, seed))
}

/// A Node object as kind's would look, ready (status filled in as its kubelet reports it).
pub fn node(name: &str, index: usize, control_plane: bool, now: Timestamp) -> Value {
    let now = fmt_time(now);
    let mut labels: serde_json::Map<String, Value> = [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", name),
        ("kubernetes.io/os", "linux"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), json!(v)))
    .collect();
    let cidr = format!("10.244.{index}.0/24");
    let mut spec: serde_json::Map<String, Value> = [
        ("podCIDR", json!(cidr)),
        ("podCIDRs", json!([cidr])),
        ("providerID", json!(format!("kind://docker/kubesim/{name}"))),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if control_plane {
        labels.insert("node-role.kubernetes.io/control-plane".into(), json!(""));
        labels.insert(
            "node.kubernetes.io/exclude-from-external-load-balancers".into(),
            json!(""),
        );
        spec.insert(
            "taints".into(),
            json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]),
        );
    }
    let resources = json!({
        "cpu": "4",
        "ephemeral-storage": "102626232Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": "16374584Ki",
        "pods": "110",
    });
    let cond = |t: &str, s: &str, reason: &str, msg: &str| {
        json!({"type": t, "status": s, "reason": reason, "message": msg,
               "lastHeartbeatTime": now, "lastTransitionTime": now})
    };
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": labels,
            "annotations": {
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": spec,
        "status": {
            "addresses": [
                {"address": format!("172.18.0.{}", index + 2), "type": "InternalIP"},
                {"address": name, "type": "Hostname"},
            ],
            "allocatable": resources.clone(),
            "capacity": resources,
            "conditions": [
                cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": format!("00000000-0000-4000-8000-00000000000{index}"),
                "containerRuntimeVersion": "containerd://2.1.1",
                "kernelVersion": "6.8.0-1019-gcp",
                "kubeProxyVersion": KUBELET_VERSION,
                "kubeletVersion": KUBELET_VERSION,
                "machineID": format!("{:032x}", index + 1),
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "systemUUID": format!("00000000-0000-4000-8000-{:012x}", index + 1),
            },
        },
    })
}

/// Creates the default cluster through the API.
pub fn default_cluster(api: &mut Api) -> Result<(), ApiError> {
    let ns = &crate::kinds::namespace::KIND;
    for n in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        api.create(
            ns,
            "",
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}}),
        )?;
    }
    let node_kind = &crate::kinds::node::KIND;
    let now = api.now();
    for (i, (name, cp)) in [
        ("kubesim-control-plane", true),
        ("kubesim-worker", false),
        ("kubesim-worker2", false),
    ]
    .into_iter()
    .enumerate()
    {
        let n = node(name, i, cp, now);
        let status = n["status"].clone();
        let created = api.create(node_kind, "", n)?;
        let mut with_status = created;
        with_status.set("/status", status)?;
        api.update_status(node_kind, "", with_status)?;
    }
    let sc = &crate::kinds::storageclass::KIND;
    api.create(
        sc,
        "",
        json!({
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": "standard",
                         "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path",
            "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer",
        }),
    )?;
    let svc = &crate::kinds::service::KIND;
    api.create(
        svc,
        "default",
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "kubernetes",
                         "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                     "type": "ClusterIP", "sessionAffinity": "None"},
        }),
    )?;
    Ok(())
}

/// For unit tests above the API (the engine, the controllers), which may not reach the store
/// themselves: an Api over a new, empty state at `dir` (removed first), its clock fixed at
/// `start` (RFC 3339) and not following the wall clock.
#[cfg(test)]
pub fn scratch_api(dir: &std::path::Path, start: &str) -> Api {
    let _ = std::fs::remove_dir_all(dir);
    let mut meta = fresh_meta().expect("a valid environment");
    meta.clock = start.into();
    meta.created = start.into();
    meta.follow_wall_clock = false;
    Api::new(crate::store::Store::create(dir, meta).expect("a scratch state"))
}
