//! How the API server writes Pods (pkg/registry/core/pod/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Map, Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: Some("this is used in the Pod's hostname"),
    defaults: Some(default_pod),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: Some(graceful_delete),
    spec_finalizers: false,
};

fn default_pod(obj: &mut Value) {
    // A kubelet's mirror of a static pod: the ServiceAccount admission leaves it alone.
    let mirror = obj
        .pointer("/metadata/annotations/kubernetes.io~1config.mirror")
        .is_some();
    let s = spec(obj);
    default_pod_spec(s);
    // SetDefaults_Pod: requests default to limits, enableServiceLinks.
    for k in ["containers", "initContainers"] {
        for c in arr_mut(s, k) {
            let limits = c.ptr("/resources/limits").cloned();
            if let Some(Value::Object(limits)) = limits {
                let res = child(c, "resources");
                let req = child(res, "requests");
                for (key, v) in limits {
                    set_if_absent(req, &key, v);
                }
            }
        }
    }
    set_if_absent(s, "enableServiceLinks", json!(true));
    // Admission: ServiceAccount.
    let sa = s
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .or_else(|| {
            s.get("serviceAccount")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
        })
        .unwrap_or("default")
        .to_string();
    if !mirror {
        put(s, "serviceAccountName", json!(sa));
        put(s, "serviceAccount", json!(sa));
    }
    // Admission: DefaultTolerationSeconds.
    default_tolerations(s);
    // Admission: Priority.
    if s.get("priority").is_none() {
        let class = s
            .get("priorityClassName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let prio = match class {
            "" => Some(0),
            "system-node-critical" => Some(2_000_001_000),
            "system-cluster-critical" => Some(2_000_000_000),
            _ => None,
        };
        if let Some(p) = prio {
            put(s, "priority", json!(p));
        }
    }
    set_if_absent(s, "preemptionPolicy", json!("PreemptLowerPriority"));
    // Registry strategy PrepareForCreate: phase Pending and the QoS class.
    let qos = qos_class(obj.get("spec").unwrap_or(&Value::Null));
    let st = status(obj);
    set_if_absent(st, "phase", json!("Pending"));
    set_if_absent(st, "qosClass", json!(qos));
}

fn default_tolerations(s: &mut Value) {
    let mut not_ready = false;
    let mut unreachable = false;
    if let Some(ts) = s.get("tolerations").and_then(Value::as_array) {
        for t in ts {
            let key = t.get("key").and_then(Value::as_str).unwrap_or("");
            let effect = t.get("effect").and_then(Value::as_str).unwrap_or("");
            let effect_ok = effect.is_empty() || effect == "NoExecute";
            if effect_ok && (key.is_empty() || key == "node.kubernetes.io/not-ready") {
                not_ready = true;
            }
            if effect_ok && (key.is_empty() || key == "node.kubernetes.io/unreachable") {
                unreachable = true;
            }
        }
    }
    for (done, key) in [
        (not_ready, "node.kubernetes.io/not-ready"),
        (unreachable, "node.kubernetes.io/unreachable"),
    ] {
        if !done {
            push(
                s,
                "tolerations",
                json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}),
            );
        }
    }
}

/// `v1qos.GetPodQOS` for the common cases: BestEffort without any request or limit, Guaranteed
/// when every container limits cpu and memory with requests equal to limits, else Burstable.
pub(crate) fn qos_class(spec: &Value) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    for k in ["initContainers", "containers"] {
        for c in spec.get(k).and_then(Value::as_array).into_iter().flatten() {
            let req = c.ptr("/resources/requests").and_then(Value::as_object);
            let lim = c.ptr("/resources/limits").and_then(Value::as_object);
            let relevant = |m: Option<&Map<String, Value>>| {
                m.map(|m| {
                    m.keys()
                        .filter(|k| *k == "cpu" || *k == "memory" || k.starts_with("hugepages-"))
                        .count()
                })
                .unwrap_or(0)
            };
            if relevant(req) > 0 || relevant(lim) > 0 {
                any = true;
            }
            for r in ["cpu", "memory"] {
                let l = lim.and_then(|m| m.get(r));
                let q = req.and_then(|m| m.get(r));
                if l.is_none() || q != l {
                    guaranteed = false;
                }
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (spec, old_spec) = specs(obj, old);
    pod_spec(e, spec, "spec");
    if let Some(os) = old_spec {
        pod_update(e, spec, os);
    }
}

const UPDATABLE_POD_FIELDS: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

fn pod_update(e: &mut Errs, new: &Value, old: &Value) {
    // Blank out what may change, then compare.
    let normalise = |s: &Value, other: &Value| {
        let mut s = s.clone();
        if let Some(m) = s.as_object_mut() {
            for k in ["activeDeadlineSeconds", "ephemeralContainers", "nodeName"] {
                m.remove(k);
            }
            // Tolerations: additions only.
            if let (Some(n), Some(o)) = (
                m.get("tolerations").and_then(Value::as_array),
                other.get("tolerations").and_then(Value::as_array),
            ) && o.iter().all(|t| n.contains(t))
            {
                m.remove("tolerations");
            } else if other.get("tolerations").is_none() {
                m.remove("tolerations");
            }
            if m.get("terminationGracePeriodSeconds") == Some(&Value::from(1))
                && other
                    .get("terminationGracePeriodSeconds")
                    .and_then(Value::as_i64)
                    .is_some_and(|g| g < 0)
            {
                m.remove("terminationGracePeriodSeconds");
            }
        }
        for k in ["containers", "initContainers"] {
            if let Some(a) = s.get_mut(k).and_then(Value::as_array_mut) {
                for c in a {
                    if let Some(cm) = c.as_object_mut() {
                        cm.remove("image");
                    }
                }
            }
        }
        s
    };
    let mut n = normalise(new, old);
    let mut o = normalise(old, new);
    // Tolerations may only grow: compare the old list against the new one's prefix-free set.
    if let (Some(nm), Some(om)) = (n.as_object_mut(), o.as_object_mut()) {
        nm.remove("tolerations");
        let old_t = old.get("tolerations").and_then(Value::as_array);
        let new_t = new.get("tolerations").and_then(Value::as_array);
        let removed = old_t
            .into_iter()
            .flatten()
            .any(|t| !new_t.is_some_and(|nt| nt.contains(t)));
        om.remove("tolerations");
        if removed {
            om.insert("tolerations".into(), Value::Bool(true));
        }
        // Node binding may be set once.
        if old.get("nodeName").is_some() && new.get("nodeName") != old.get("nodeName") {
            om.insert("nodeName".into(), Value::Bool(true));
        }
        let ads_ok = match (
            new.get("activeDeadlineSeconds").and_then(Value::as_i64),
            old.get("activeDeadlineSeconds").and_then(Value::as_i64),
        ) {
            (Some(_), None) => true,
            (Some(a), Some(b)) => a <= b,
            (None, None) => true,
            (None, Some(_)) => false,
        };
        if !ads_ok {
            om.insert("activeDeadlineSeconds".into(), Value::Bool(true));
        }
    }
    if n != o {
        e.forbidden(
            "spec",
            &format!("pod updates may not change fields other than {UPDATABLE_POD_FIELDS}"),
        );
    }
}

/// `CheckGracefulDelete`: a pod bound to a node that has not finished is deleted gracefully
/// (its kubelet stops it first) unless the grace period is 0; `grace_period` is the request's.
fn graceful_delete(pod: &Value, grace_period: Option<i64>) -> bool {
    let bound = pod
        .ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty());
    let phase = pod
        .ptr("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    let terminal = phase == "Succeeded" || phase == "Failed";
    let grace = grace_period.unwrap_or_else(|| {
        pod.ptr("/spec/terminationGracePeriodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(30)
    });
    bound && !terminal && grace > 0
}
