//! Client-side printing quirks: what Go's JSON encoder adds when kubectl prints an object it
//! decoded into its typed struct without a server round-trip (`--local`,
//! `--dry-run=client`). Struct-valued fields without `omitempty` come out as `null` or `{}`
//! (`creationTimestamp: null`, `resources: {}`, `strategy: {}`, `status: {}`). Each kind
//! names what its struct adds in [`Kind::go_zero_fields`](crate::kinds::Kind); every object
//! gets `metadata.creationTimestamp: null` ([`go_zero_fields`]).

use serde_json::{Value, json};

/// Adds Go's zero values to an object kubectl prints without the server: the metadata's, then
/// its kind's (a kind kubesim does not serve gets the metadata's only).
pub fn go_zero_fields(obj: &mut Value) {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let quirks = crate::kinds::by_kind(kind).and_then(|k| k.go_zero_fields);
    meta(obj);
    if let Some(f) = quirks {
        f(obj);
    }
}

/// `metadata.creationTimestamp: null` (a `metav1.Time` struct, never omitted).
fn meta(v: &mut Value) {
    if let Some(m) = v.as_object_mut() {
        let md = m.entry("metadata").or_insert_with(|| json!({}));
        if let Some(md) = md.as_object_mut() {
            md.entry("creationTimestamp").or_insert(Value::Null);
        }
    }
}

/// `resources: {}` on every container of a pod spec.
fn containers(spec: &mut Value) {
    for field in ["initContainers", "containers"] {
        if let Some(cs) = spec.get_mut(field).and_then(Value::as_array_mut) {
            for c in cs {
                if let Some(c) = c.as_object_mut() {
                    c.entry("resources").or_insert_with(|| json!({}));
                }
            }
        }
    }
}

/// A pod template's metadata and containers.
fn template(t: Option<&mut Value>) {
    if let Some(t) = t {
        meta(t);
        if let Some(s) = t.get_mut("spec") {
            containers(s);
        }
    }
}

/// `status: {}` (a struct without `omitempty`).
pub fn status(obj: &mut Value) {
    if let Some(m) = obj.as_object_mut() {
        m.entry("status").or_insert_with(|| json!({}));
    }
}

/// A Service: each port's `targetPort: 0` (an IntOrString struct, never omitted) and
/// `status.loadBalancer: {}`.
pub fn service(obj: &mut Value) {
    if let Some(ports) = obj.pointer_mut("/spec/ports").and_then(Value::as_array_mut) {
        for p in ports {
            if let Some(p) = p.as_object_mut() {
                p.entry("targetPort").or_insert(json!(0));
            }
        }
    }
    status(obj);
    if let Some(st) = obj.get_mut("status").and_then(Value::as_object_mut) {
        st.entry("loadBalancer").or_insert_with(|| json!({}));
    }
}

/// `spec.<field>: {}` (a strategy struct without `omitempty`).
fn spec_struct(obj: &mut Value, field: &str) {
    if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
        spec.entry(field).or_insert_with(|| json!({}));
    }
}

/// A Pod: its containers' `resources`, its `status`.
pub fn pod(obj: &mut Value) {
    if let Some(s) = obj.get_mut("spec") {
        containers(s);
    }
    status(obj);
}

/// A workload with a pod template at `spec.template` (ReplicaSet, ReplicationController, Job).
pub fn workload(obj: &mut Value) {
    if obj.get("spec").is_some_and(Value::is_object) {
        template(obj.pointer_mut("/spec/template"));
    }
    status(obj);
}

/// A Deployment: a workload with `spec.strategy: {}`.
pub fn deployment(obj: &mut Value) {
    spec_struct(obj, "strategy");
    workload(obj);
}

/// A StatefulSet or DaemonSet: a workload with `spec.updateStrategy: {}`.
pub fn with_update_strategy(obj: &mut Value) {
    spec_struct(obj, "updateStrategy");
    workload(obj);
}

/// `status.<field>: 0` for each status field of a Go struct without `omitempty`.
fn status_counts(obj: &mut Value, fields: &[&str]) {
    status(obj);
    if let Some(st) = obj.get_mut("status").and_then(Value::as_object_mut) {
        for f in fields {
            st.entry(*f).or_insert(json!(0));
        }
    }
}

/// A ReplicaSet or ReplicationController: a workload whose status says `replicas: 0`.
pub fn replica_set(obj: &mut Value) {
    workload(obj);
    status_counts(obj, &["replicas"]);
}

/// A StatefulSet: `updateStrategy: {}`, its claim templates' metadata and status, and
/// `status.replicas`/`availableReplicas: 0`.
pub fn stateful_set(obj: &mut Value) {
    with_update_strategy(obj);
    if let Some(claims) = obj
        .pointer_mut("/spec/volumeClaimTemplates")
        .and_then(Value::as_array_mut)
    {
        for c in claims.iter_mut().filter(|c| c.is_object()) {
            meta(c);
            status(c);
        }
    }
    status_counts(obj, &["availableReplicas", "replicas"]);
}

/// A DaemonSet: `updateStrategy: {}` and the four status counts without `omitempty`.
pub fn daemon_set(obj: &mut Value) {
    with_update_strategy(obj);
    status_counts(
        obj,
        &[
            "currentNumberScheduled",
            "desiredNumberScheduled",
            "numberMisscheduled",
            "numberReady",
        ],
    );
}

/// A CronJob: its job template's metadata and pod template.
pub fn cron_job(obj: &mut Value) {
    if let Some(jt) = obj.pointer_mut("/spec/jobTemplate") {
        meta(jt);
    }
    template(obj.pointer_mut("/spec/jobTemplate/spec/template"));
    status(obj);
}
