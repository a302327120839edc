//! How the API server writes ReplicationControllers (pkg/registry/core/replicationcontroller/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::PODS_NAME_WARNING;
use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Map, Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: true,
    name_rule: NameRule::Subdomain,
    name_warning: Some(PODS_NAME_WARNING),
    defaults: Some(default_rc),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_rc(obj: &mut Value) {
    let labels = obj
        .ptr("/spec/template/metadata/labels")
        .filter(|l| l.is_object())
        .cloned();
    if let Some(labels) = labels {
        let s = spec(obj);
        if is_empty_map(s.get("selector")) {
            put(s, "selector", labels.clone());
        }
        let meta = child(obj, "metadata");
        if is_empty_map(meta.get("labels")) {
            put(meta, "labels", labels);
        }
    }
    set_if_absent(spec(obj), "replicas", json!(1));
    if obj.ptr("/spec/template").is_some() {
        default_template_at(obj, &["spec", "template"]);
    }
    empty_status(obj);
}

fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    rc(e, specs(obj, None).0);
}

fn rc(e: &mut Errs, s: &Value) {
    e.nonneg("spec.replicas", s.get("replicas"));
    e.nonneg("spec.minReadySeconds", s.get("minReadySeconds"));
    let sel = s.get("selector").and_then(Value::as_object);
    if sel.is_none_or(Map::is_empty) {
        e.required("spec.selector", "");
    } else {
        labels(e, s.get("selector"), "spec.selector");
    }
    match s.get("template").filter(|t| t.is_object()) {
        None => e.required("spec.template", ""),
        Some(t) => {
            if let Some(sel) = sel.filter(|m| !m.is_empty()) {
                let tl = t.ptr("/metadata/labels").and_then(Value::as_object);
                let ok = sel
                    .iter()
                    .all(|(k, v)| tl.and_then(|l| l.get(k)) == Some(v));
                if !ok {
                    e.invalid(
                        "spec.template.metadata.labels",
                        BadValue::Raw(go_map(t.ptr("/metadata/labels"))),
                        "`selector` does not match template `labels`",
                    );
                }
            }
            pod_template(e, t, "spec.template");
            replica_template_rules(e, t, "spec.template", "ReplicationController");
        }
    }
}
