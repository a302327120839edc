//! How the API server writes StatefulSets (pkg/registry/apps/statefulset/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: true,
    name_rule: NameRule::Label,
    name_warning: None,
    defaults: Some(default_statefulset),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_statefulset(obj: &mut Value) {
    let s = spec(obj);
    set_if_absent(s, "podManagementPolicy", json!("OrderedReady"));
    let us = child(s, "updateStrategy");
    if us.get("type").is_none() {
        put(us, "type", json!("RollingUpdate"));
        set_if_absent(us, "rollingUpdate", json!({}));
    }
    if us.get("type") == Some(&json!("RollingUpdate"))
        && let Some(ru) = us.get_mut("rollingUpdate").filter(|r| r.is_object())
    {
        set_if_absent(ru, "partition", json!(0));
    }
    let p = child(s, "persistentVolumeClaimRetentionPolicy");
    set_if_absent(p, "whenDeleted", json!("Retain"));
    set_if_absent(p, "whenScaled", json!("Retain"));
    set_if_absent(s, "replicas", json!(1));
    set_if_absent(s, "revisionHistoryLimit", json!(10));
    for pvc in arr_mut(s, "volumeClaimTemplates") {
        set_if_absent(pvc, "apiVersion", json!("v1"));
        set_if_absent(pvc, "kind", json!("PersistentVolumeClaim"));
        let meta = child(pvc, "metadata");
        set_if_absent(meta, "creationTimestamp", Value::Null);
        default_pvc_spec(spec(pvc));
        set_if_absent(status(pvc), "phase", json!("Pending"));
    }
    default_template_at(obj, &["spec", "template"]);
    empty_status(obj);
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (s, old) = specs(obj, old);
    let sel = workload_selector(e, s, "statefulset", true);
    let t = s.get("template").unwrap_or(&Value::Null);
    template_match(e, sel, t, "spec.template");
    // ValidatePodTemplateSpecForStatefulSet: labels and annotations only. The pod spec is left
    // to the pods (its volumes would miss those of the claim templates), so a bad one shows as
    // the controller's FailedCreate events.
    let meta = t.get("metadata").unwrap_or(&Value::Null);
    labels(e, meta.get("labels"), "spec.template.labels");
    annotations(e, meta.get("annotations"), "spec.template.annotations");
    let rp = t
        .ptr("/spec/restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or("");
    if rp != "Always" {
        e.unsupported("spec.template.spec.restartPolicy", rp, &["Always"]);
    }
    if t.ptr("/spec/activeDeadlineSeconds").is_some() {
        e.forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in StatefulSet is not Supported",
        );
    }
    let pmp = str_at(s, "podManagementPolicy");
    if !matches!(pmp, "OrderedReady" | "Parallel") {
        e.unsupported(
            "spec.podManagementPolicy",
            pmp,
            &["OrderedReady", "Parallel"],
        );
    }
    let us = s.get("updateStrategy").unwrap_or(&Value::Null);
    let ty = str_at(us, "type");
    if !matches!(ty, "RollingUpdate" | "OnDelete") {
        e.unsupported(
            "spec.updateStrategy.type",
            ty,
            &["RollingUpdate", "OnDelete"],
        );
    }
    e.nonneg(
        "spec.updateStrategy.rollingUpdate.partition",
        us.ptr("/rollingUpdate/partition"),
    );
    workload_limits(e, s);
    if let Some(old) = old {
        let strip = |s: &Value| {
            let mut s = s.clone();
            if let Some(m) = s.as_object_mut() {
                for k in [
                    "replicas",
                    "ordinals",
                    "template",
                    "updateStrategy",
                    "persistentVolumeClaimRetentionPolicy",
                    "minReadySeconds",
                ] {
                    m.remove(k);
                }
            }
            s
        };
        if strip(s) != strip(old) {
            e.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
        }
    }
}
