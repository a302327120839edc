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
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_statefulset(obj: &mut Value) {
    let s = spec(obj);
    set_if_absent(s, "podManagementPolicy", json!("OrderedReady"));
    let us = child(s, "updateStrategy");
    if us.get("type").is_none() {
        us["type"] = json!("RollingUpdate");
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
    let (spec, old_spec) = specs(obj, old);
    apps(e, "StatefulSet", spec, old_spec);
}
