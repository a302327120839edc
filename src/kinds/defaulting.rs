//! API-server defaulting: the fields a real Kubernetes 1.33 API server fills in on write, so that
//! `kubectl get -o yaml` shows what a real cluster shows.
//!
//! Objects are `serde_json::Value`s in the API's JSON form (camelCase), already strictly decoded.
//! Each kind's defaulting lives in its module (`src/kinds/<kind>/strategy.rs`, the kind's
//! `Strategy::defaults`); [`apply`] runs it. Together they do what these do on the server:
//! - the scheme defaulters `pkg/apis/core/v1/defaults.go`, `apps/v1/defaults.go`,
//!   `batch/v1/defaults.go`, `storage/v1/defaults.go` (plus the declarative `+default` tags, e.g.
//!   container port protocol `TCP`, ReplicationController replicas `1`);
//! - the visible parts of the registry strategies (Namespace `spec.finalizers`, Pod
//!   `status.phase`/`qosClass`, Service IP families, Secret `stringData` folded into `data`);
//! - the admission plugins of a default cluster that add fields to Pods: ServiceAccount
//!   (`serviceAccountName`/`serviceAccount: default`), DefaultTolerationSeconds (the not-ready and
//!   unreachable `NoExecute` tolerations for 300s), Priority (`priority: 0`,
//!   `preemptionPolicy: PreemptLowerPriority`).
//!
//! This module holds what several kinds share: pod specs and templates (containers, probes,
//! volumes), claim specs, and the `Value` helpers.
//!
//! Go's encoder prints some zero values that a `Value` would lack (non-pointer structs such as a
//! container's `resources: {}`, a template's `metadata.creationTimestamp: null`, `status: {}`);
//! those are inserted too. Defaulting is idempotent and safe on updates.
//!
//! Not done here: clusterIP/nodePort allocation (the API's admission), the generated Job
//! selector (the Job strategy's `prepare_for_create`, which needs the uid), the service-account
//! token volume (see [`mount_service_account_token`], which the API's admission applies),
//! DefaultStorageClass, quantity canonicalisation (`0.5` → `500m`).

use crate::kinds::{Kind, by_kind};
pub(crate) use crate::util::ptr::Ptr;
use serde_json::{Value, json};

/// Applies the API server's defaults of `kind` to `obj` in place (nothing for a kind without
/// defaulting, or when `obj` is not an object).
pub fn apply(kind: &Kind, obj: &mut Value) {
    if !obj.is_object() {
        return;
    }
    if let Some(defaults) = kind.strategy.defaults {
        defaults(obj);
    }
}

/// [`apply`] for the kind named by `obj`'s `kind` field. Unknown kinds are left alone.
pub fn apply_defaults(obj: &mut Value) {
    let Some(kind) = obj.get("kind").and_then(Value::as_str).and_then(by_kind) else {
        return;
    };
    apply(kind, obj);
}

/// The ServiceAccount admission plugin's token mount (`mountServiceAccountToken`): the
/// read-only mount of `kube-api-access-<suffix>` at `/var/run/secrets/kubernetes.io/serviceaccount`
/// in every init container and container that mounts nothing at that path, and, when one of them
/// got it and no volume named `kube-api-access-…` exists already (whose name the mounts then
/// take), the projected volume of the token, `kube-root-ca.crt` and the namespace. `suffix` is
/// the 5-character random suffix (deterministic in kubesim). Whether to mount at all
/// (`automountServiceAccountToken`) is the caller's decision.
pub fn mount_service_account_token(pod: &mut Value, suffix: &str) {
    const PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
    let Some(s) = pod.get_mut("spec").filter(|s| s.is_object()) else {
        return;
    };
    let existing = s
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("name").and_then(Value::as_str))
        .find(|n| n.starts_with("kube-api-access-"))
        .map(str::to_string);
    let name = existing
        .clone()
        .unwrap_or_else(|| format!("kube-api-access-{suffix}"));
    let mut needs = false;
    for k in ["initContainers", "containers"] {
        for c in arr_mut(s, k) {
            let mounted = c
                .get("volumeMounts")
                .and_then(Value::as_array)
                .is_some_and(|ms| ms.iter().any(|m| m.get("mountPath") == Some(&json!(PATH))));
            if !mounted {
                push(
                    c,
                    "volumeMounts",
                    json!({"mountPath": PATH, "name": name, "readOnly": true}),
                );
                needs = true;
            }
        }
    }
    if existing.is_none() && needs {
        push(
            s,
            "volumes",
            json!({
                "name": name,
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                    ]
                }
            }),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Shared by several kinds

pub(crate) fn default_pvc_spec(s: &mut Value) {
    set_if_absent(s, "volumeMode", json!("Filesystem"));
    set_if_absent(s, "resources", json!({}));
}

// ---------------------------------------------------------------------------------------------
// Pod specs and templates

/// Defaults a pod template at `path` (`spec.template`, `spec.jobTemplate.spec.template`):
/// `metadata.creationTimestamp: null` as Go prints it, and the pod-spec defaults.
pub(crate) fn default_template_at(obj: &mut Value, path: &[&str]) {
    let mut cur = obj;
    for p in path {
        cur = child(cur, p);
    }
    set_if_absent(child(cur, "metadata"), "creationTimestamp", Value::Null);
    default_pod_spec(child(cur, "spec"));
}

/// SetDefaults_PodSpec and everything nested in a pod spec (containers, probes, volumes).
pub(crate) fn default_pod_spec(s: &mut Value) {
    set_if_absent(s, "dnsPolicy", json!("ClusterFirst"));
    set_if_absent(s, "restartPolicy", json!("Always"));
    set_if_absent(s, "securityContext", json!({}));
    set_if_absent(s, "terminationGracePeriodSeconds", json!(30));
    set_if_absent(s, "schedulerName", json!("default-scheduler"));
    let host_network = s.get("hostNetwork") == Some(&json!(true));
    for k in ["initContainers", "containers", "ephemeralContainers"] {
        for c in arr_mut(s, k) {
            default_container(c, host_network && k != "ephemeralContainers");
        }
    }
    for v in arr_mut(s, "volumes") {
        default_volume(v);
    }
}

pub(crate) fn default_container(c: &mut Value, host_network: bool) {
    if c.get("imagePullPolicy").is_none() {
        let image = c.get("image").and_then(Value::as_str).unwrap_or("");
        put(c, "imagePullPolicy", json!(pull_policy_for(image)));
    }
    set_if_absent(c, "terminationMessagePath", json!("/dev/termination-log"));
    set_if_absent(c, "terminationMessagePolicy", json!("File"));
    set_if_absent(c, "resources", json!({}));
    for p in arr_mut(c, "ports") {
        set_if_absent(p, "protocol", json!("TCP"));
        if host_network && p.get("hostPort").is_none_or(|h| h == &json!(0)) {
            let cp = p.get("containerPort").cloned().unwrap_or(json!(0));
            put(p, "hostPort", cp);
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(pr) = c.get_mut(probe).filter(|p| p.is_object()) {
            set_if_absent(pr, "timeoutSeconds", json!(1));
            set_if_absent(pr, "periodSeconds", json!(10));
            set_if_absent(pr, "successThreshold", json!(1));
            set_if_absent(pr, "failureThreshold", json!(3));
            default_http_get(pr);
        }
    }
    if let Some(lc) = c.get_mut("lifecycle").filter(|l| l.is_object()) {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = lc.get_mut(hook).filter(|h| h.is_object()) {
                default_http_get(h);
            }
        }
    }
    for e in arr_mut(c, "env") {
        if let Some(fr) = e
            .pointer_mut("/valueFrom/fieldRef")
            .filter(|f| f.is_object())
        {
            set_if_absent(fr, "apiVersion", json!("v1"));
        }
    }
}

pub(crate) fn default_http_get(handler: &mut Value) {
    if let Some(h) = handler.get_mut("httpGet").filter(|h| h.is_object()) {
        set_if_absent(h, "path", json!("/"));
        set_if_absent(h, "scheme", json!("HTTP"));
    }
}

pub(crate) const VOLUME_SOURCES: &[&str] = &[
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

pub(crate) fn default_volume(v: &mut Value) {
    if !VOLUME_SOURCES.iter().any(|k| v.get(*k).is_some()) {
        put(v, "emptyDir", json!({}));
    }
    for k in ["secret", "configMap", "downwardAPI", "projected"] {
        if let Some(src) = v.get_mut(k).filter(|s| s.is_object()) {
            set_if_absent(src, "defaultMode", json!(420));
        }
    }
    if let Some(hp) = v.get_mut("hostPath").filter(|s| s.is_object()) {
        set_if_absent(hp, "type", json!(""));
    }
    if let Some(items) = v
        .pointer_mut("/downwardAPI/items")
        .and_then(Value::as_array_mut)
    {
        for it in items {
            if let Some(fr) = it.get_mut("fieldRef").filter(|f| f.is_object()) {
                set_if_absent(fr, "apiVersion", json!("v1"));
            }
        }
    }
    if let Some(sources) = v
        .pointer_mut("/projected/sources")
        .and_then(Value::as_array_mut)
    {
        for src in sources {
            if let Some(t) = src.get_mut("serviceAccountToken").filter(|t| t.is_object()) {
                set_if_absent(t, "expirationSeconds", json!(3600));
            }
            if let Some(items) = src
                .pointer_mut("/downwardAPI/items")
                .and_then(Value::as_array_mut)
            {
                for it in items {
                    if let Some(fr) = it.get_mut("fieldRef").filter(|f| f.is_object()) {
                        set_if_absent(fr, "apiVersion", json!("v1"));
                    }
                }
            }
        }
    }
    if let Some(pvc_spec) = v.pointer_mut("/ephemeral/volumeClaimTemplate/spec")
        && pvc_spec.is_object()
    {
        set_if_absent(pvc_spec, "volumeMode", json!("Filesystem"));
    }
}

/// `Always` when the image's tag is `latest` or it has neither tag nor digest, else
/// `IfNotPresent` (`SetDefaults_Container` with `parsers.ParseImageName`).
pub fn pull_policy_for(image: &str) -> &'static str {
    crate::util::image::pull_policy(image)
}

// ---------------------------------------------------------------------------------------------
// Value helpers

/// Sets `key` in `obj` when `obj` is an object. Defaulting never fails: a value of the
/// wrong shape is left as it is, for decoding or validation to report.
pub(crate) fn put(obj: &mut Value, key: &str, v: Value) {
    if let Some(m) = obj.as_object_mut() {
        m.insert(key.to_string(), v);
    }
}

pub(crate) fn set_if_absent(obj: &mut Value, key: &str, v: Value) {
    if let Some(m) = obj.as_object_mut() {
        match m.get(key) {
            None | Some(Value::Null) => {
                m.insert(key.to_string(), v);
            }
            _ => {}
        }
    }
}

/// The object at `key`, created as `{}` when absent or null. A non-object value there is
/// replaced only if `obj` is an object and the slot is null; otherwise returns a scratch value.
pub(crate) fn child<'a>(obj: &'a mut Value, key: &str) -> &'a mut Value {
    if !obj.is_object() {
        *obj = json!({});
    }
    let m = obj.as_object_mut().expect("object");
    let slot = m.entry(key.to_string()).or_insert_with(|| json!({}));
    if slot.is_null() {
        *slot = json!({});
    }
    slot
}

pub(crate) fn spec(obj: &mut Value) -> &mut Value {
    child(obj, "spec")
}

pub(crate) fn status(obj: &mut Value) -> &mut Value {
    child(obj, "status")
}

pub(crate) fn empty_status(obj: &mut Value) {
    set_if_absent(obj, "status", json!({}));
}

pub(crate) fn arr_mut<'a>(obj: &'a mut Value, key: &str) -> std::slice::IterMut<'a, Value> {
    match obj.get_mut(key).and_then(Value::as_array_mut) {
        Some(a) => a.iter_mut(),
        None => [].iter_mut(),
    }
}

pub(crate) fn push(obj: &mut Value, key: &str, v: Value) {
    if let Some(m) = obj.as_object_mut() {
        let slot = m.entry(key.to_string()).or_insert_with(|| json!([]));
        if !slot.is_array() {
            *slot = json!([]);
        }
        if let Some(a) = slot.as_array_mut() {
            a.push(v);
        }
    }
}

pub(crate) fn is_empty_map(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::job;

    fn defaulted(v: Value) -> Value {
        let mut v = v;
        apply_defaults(&mut v);
        v
    }

    fn container_defaults(name: &str, image: &str, policy: &str) -> Value {
        json!({
            "image": image,
            "imagePullPolicy": policy,
            "name": name,
            "resources": {},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File"
        })
    }

    #[test]
    fn minimal_deployment_like_a_real_server() {
        let d = defaulted(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "nginx", "namespace": "default", "labels": {"app": "nginx"}},
            "spec": {
                "selector": {"matchLabels": {"app": "nginx"}},
                "template": {
                    "metadata": {"labels": {"app": "nginx"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}
                }
            }
        }));
        let want = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "nginx", "namespace": "default", "labels": {"app": "nginx"}},
            "spec": {
                "progressDeadlineSeconds": 600,
                "replicas": 1,
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": {"app": "nginx"}},
                "strategy": {
                    "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                    "type": "RollingUpdate"
                },
                "template": {
                    "metadata": {"creationTimestamp": null, "labels": {"app": "nginx"}},
                    "spec": {
                        "containers": [container_defaults("nginx", "nginx", "Always")],
                        "dnsPolicy": "ClusterFirst",
                        "restartPolicy": "Always",
                        "schedulerName": "default-scheduler",
                        "securityContext": {},
                        "terminationGracePeriodSeconds": 30
                    }
                }
            },
            "status": {}
        });
        assert_eq!(d, want);
    }

    #[test]
    fn minimal_pod_like_a_real_server() {
        let p = defaulted(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}]}
        }));
        let mut c = container_defaults("web", "nginx:1.25", "IfNotPresent");
        put(
            &mut c,
            "ports",
            json!([{"containerPort": 80, "protocol": "TCP"}]),
        );
        let want = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "containers": [c],
                "dnsPolicy": "ClusterFirst",
                "enableServiceLinks": true,
                "preemptionPolicy": "PreemptLowerPriority",
                "priority": 0,
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "serviceAccount": "default",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
                ]
            },
            "status": {"phase": "Pending", "qosClass": "BestEffort"}
        });
        assert_eq!(p, want);
        // Idempotent.
        assert_eq!(defaulted(p.clone()), p);
    }

    #[test]
    fn minimal_job_and_selector_like_a_real_server() {
        let mut j = defaulted(json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "pi", "namespace": "default"},
            "spec": {"template": {"spec": {
                "containers": [{"name": "pi", "image": "perl:5.34.0"}],
                "restartPolicy": "Never"
            }}}
        }));
        let prepare = job::KIND
            .strategy
            .prepare_for_create
            .expect("the Job selector");
        prepare(&mut j, "u-1");
        let want = json!({
            "apiVersion": "batch/v1", "kind": "Job",
            // The labels the server shows on a Job created without any: its template's
            // (SetDefaults_Job runs again when the Job is read back).
            "metadata": {"name": "pi", "namespace": "default", "labels": {
                "batch.kubernetes.io/controller-uid": "u-1",
                "batch.kubernetes.io/job-name": "pi",
                "controller-uid": "u-1",
                "job-name": "pi"
            }},
            "spec": {
                "backoffLimit": 6,
                "completionMode": "NonIndexed",
                "completions": 1,
                "manualSelector": false,
                "parallelism": 1,
                "podReplacementPolicy": "TerminatingOrFailed",
                "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "u-1"}},
                "suspend": false,
                "template": {
                    "metadata": {"creationTimestamp": null, "labels": {
                        "batch.kubernetes.io/controller-uid": "u-1",
                        "batch.kubernetes.io/job-name": "pi",
                        "controller-uid": "u-1",
                        "job-name": "pi"
                    }},
                    "spec": {
                        "containers": [container_defaults("pi", "perl:5.34.0", "IfNotPresent")],
                        "dnsPolicy": "ClusterFirst",
                        "restartPolicy": "Never",
                        "schedulerName": "default-scheduler",
                        "securityContext": {},
                        "terminationGracePeriodSeconds": 30
                    }
                }
            },
            "status": {}
        });
        assert_eq!(j, want);
    }

    #[test]
    fn minimal_cronjob_like_a_real_server() {
        let c = defaulted(json!({
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "c", "namespace": "default"},
            "spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "containers": [{"name": "c", "image": "busybox"}],
                "restartPolicy": "OnFailure"
            }}}}}
        }));
        let want = json!({
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "c", "namespace": "default"},
            "spec": {
                "concurrencyPolicy": "Allow",
                "failedJobsHistoryLimit": 1,
                "jobTemplate": {
                    "metadata": {"creationTimestamp": null},
                    "spec": {"template": {
                        "metadata": {"creationTimestamp": null},
                        "spec": {
                            "containers": [container_defaults("c", "busybox", "Always")],
                            "dnsPolicy": "ClusterFirst",
                            "restartPolicy": "OnFailure",
                            "schedulerName": "default-scheduler",
                            "securityContext": {},
                            "terminationGracePeriodSeconds": 30
                        }
                    }}
                },
                "schedule": "*/1 * * * *",
                "successfulJobsHistoryLimit": 3,
                "suspend": false
            },
            "status": {}
        });
        assert_eq!(c, want);
    }

    #[test]
    fn pull_policy_from_tag() {
        for (img, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.25", "IfNotPresent"),
            ("localhost:5000/nginx", "Always"),
            ("localhost:5000/nginx:v1", "IfNotPresent"),
            ("nginx@sha256:abcd", "IfNotPresent"),
            ("registry.k8s.io/pause:3.10", "IfNotPresent"),
            ("NGINX", "IfNotPresent"),
        ] {
            assert_eq!(pull_policy_for(img), want, "{img}");
        }
    }

    #[test]
    fn service_rc_namespace_secret_storage() {
        let s = defaulted(json!({"kind": "Service", "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}));
        assert_eq!(
            s["spec"],
            json!({
                "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
                "selector": {"app": "web"},
                "sessionAffinity": "None",
                "type": "ClusterIP"
            })
        );
        assert_eq!(s["status"], json!({"loadBalancer": {}}));
        let np = defaulted(
            json!({"kind": "Service", "spec": {"type": "NodePort", "ports": [{"port": 80, "targetPort": "http"}]}}),
        );
        assert_eq!(np["spec"]["externalTrafficPolicy"], "Cluster");
        assert_eq!(np["spec"]["ports"][0]["targetPort"], "http");

        let rc = defaulted(
            json!({"kind": "ReplicationController", "metadata": {"name": "r"},
            "spec": {"template": {"metadata": {"labels": {"app": "r"}}, "spec": {"containers": []}}}}),
        );
        assert_eq!(rc["spec"]["selector"], json!({"app": "r"}));
        assert_eq!(rc["metadata"]["labels"], json!({"app": "r"}));
        assert_eq!(rc["spec"]["replicas"], 1);

        let ns = defaulted(json!({"kind": "Namespace", "metadata": {"name": "dev"}}));
        assert_eq!(
            ns,
            json!({"kind": "Namespace", "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev"}},
                "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
        );

        let sec =
            defaulted(json!({"kind": "Secret", "stringData": {"a": "hi"}, "data": {"b": "eA=="}}));
        assert_eq!(
            sec,
            json!({"kind": "Secret", "type": "Opaque", "data": {"a": "aGk=", "b": "eA=="}})
        );

        let sc = defaulted(json!({"kind": "StorageClass", "provisioner": "x"}));
        assert_eq!(sc["reclaimPolicy"], "Delete");
        assert_eq!(sc["volumeBindingMode"], "Immediate");
        let pvc = defaulted(
            json!({"kind": "PersistentVolumeClaim", "spec": {"accessModes": ["ReadWriteOnce"]}}),
        );
        assert_eq!(pvc["spec"]["volumeMode"], "Filesystem");
        assert_eq!(pvc["status"], json!({"phase": "Pending"}));
        let pv = defaulted(json!({"kind": "PersistentVolume", "spec": {}}));
        assert_eq!(pv["spec"]["persistentVolumeReclaimPolicy"], "Retain");
    }

    #[test]
    fn workloads_statefulset_daemonset() {
        let sts = defaulted(
            json!({"kind": "StatefulSet", "spec": {"template": {"spec": {"containers": []}}}}),
        );
        assert_eq!(sts["spec"]["podManagementPolicy"], "OrderedReady");
        assert_eq!(
            sts["spec"]["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
        );
        assert_eq!(
            sts["spec"]["persistentVolumeClaimRetentionPolicy"],
            json!({"whenDeleted": "Retain", "whenScaled": "Retain"})
        );
        let ds = defaulted(
            json!({"kind": "DaemonSet", "spec": {"template": {"spec": {"containers": []}}}}),
        );
        assert_eq!(
            ds["spec"]["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}})
        );
        assert_eq!(ds["spec"]["revisionHistoryLimit"], 10);
    }

    #[test]
    fn pod_requests_from_limits_and_tolerations_kept() {
        let p = defaulted(json!({"kind": "Pod", "spec": {
            "containers": [{"name": "a", "image": "x:1", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}],
            "tolerations": [{"operator": "Exists"}]
        }}));
        assert_eq!(
            p["spec"]["containers"][0]["resources"]["requests"],
            json!({"cpu": "1", "memory": "1Gi"})
        );
        assert_eq!(p["spec"]["tolerations"], json!([{"operator": "Exists"}]));
        assert_eq!(p["status"]["qosClass"], "Guaranteed");
    }

    #[test]
    fn token_volume() {
        const PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
        let mut p = json!({"kind": "Pod", "spec": {"containers": [{"name": "a"}], "initContainers": [{"name": "i"}]}});
        mount_service_account_token(&mut p, "abcde");
        assert_eq!(p["spec"]["volumes"][0]["name"], "kube-api-access-abcde");
        assert_eq!(
            p["spec"]["volumes"][0]["projected"]["sources"][0],
            json!({"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}})
        );
        let mount = json!([{"mountPath": PATH, "name": "kube-api-access-abcde", "readOnly": true}]);
        assert_eq!(p["spec"]["containers"][0]["volumeMounts"], mount);
        assert_eq!(p["spec"]["initContainers"][0]["volumeMounts"], mount);
        // Idempotent: the existing volume's name is kept, no container mounts it twice.
        let before = p.clone();
        mount_service_account_token(&mut p, "zzzzz");
        assert_eq!(p, before);
        // A container that mounts something at the path keeps its own mount; with every
        // container so, no volume is added.
        let own = json!([{"mountPath": PATH, "name": "mine"}]);
        let mut q = json!({"spec": {"containers": [{"name": "a", "volumeMounts": own.clone()}]}});
        mount_service_account_token(&mut q, "abcde");
        assert_eq!(q["spec"]["containers"][0]["volumeMounts"], own);
        assert!(q["spec"].get("volumes").is_none());
        // An existing kube-api-access-* volume gives the mounts its name.
        let mut r = json!({"spec": {"containers": [{"name": "a"}], "volumes": [{"name": "kube-api-access-old", "emptyDir": {}}]}});
        mount_service_account_token(&mut r, "abcde");
        assert_eq!(
            r["spec"]["containers"][0]["volumeMounts"][0]["name"],
            "kube-api-access-old"
        );
        assert_eq!(r["spec"]["volumes"].as_array().map(Vec::len), Some(1));
    }
}
