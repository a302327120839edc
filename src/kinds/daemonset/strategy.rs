//! How the API server writes DaemonSets (pkg/registry/apps/daemonset/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: true,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(default_daemonset),
    validate: Some(validate),
    prepare_for_create: Some(prepare_for_create),
    prepare_for_update: Some(prepare_for_update),
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_daemonset(obj: &mut Value) {
    let s = spec(obj);
    let us = child(s, "updateStrategy");
    set_if_absent(us, "type", json!("RollingUpdate"));
    if us.get("type") == Some(&json!("RollingUpdate")) {
        let ru = child(us, "rollingUpdate");
        set_if_absent(ru, "maxUnavailable", json!(1));
        set_if_absent(ru, "maxSurge", json!(0));
    }
    set_if_absent(s, "revisionHistoryLimit", json!(10));
    default_template_at(obj, &["spec", "template"]);
    empty_status(obj);
}

/// `apps.DeprecatedTemplateGeneration`: the v1 form of the internal `spec.templateGeneration`.
pub const TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

fn template_generation(obj: &Value) -> i64 {
    obj.ptr("/metadata/annotations")
        .and_then(|a| a.get(TEMPLATE_GENERATION))
        .and_then(Value::as_str)
        .and_then(|g| g.parse().ok())
        .unwrap_or(0)
}

fn set_template_generation(obj: &mut Value, generation: i64) {
    let md = child(obj, "metadata");
    let annotations = child(md, "annotations");
    if let Some(a) = annotations.as_object_mut() {
        a.insert(TEMPLATE_GENERATION.into(), json!(generation.to_string()));
    }
}

/// `PrepareForCreate`: the template generation starts at 1 (a higher one given stays).
fn prepare_for_create(obj: &mut Value, _uid: &str) {
    let g = template_generation(obj).max(1);
    set_template_generation(obj, g);
}

/// `PrepareForUpdate`: the template generation cannot be set; it is the stored one, plus one
/// when the pod template changed.
fn prepare_for_update(obj: &mut Value, old: &Value) {
    let mut g = template_generation(old);
    if obj.ptr("/spec/template") != old.ptr("/spec/template") {
        g += 1;
    }
    set_template_generation(obj, g);
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (s, old) = specs(obj, old);
    let sel = workload_selector(e, s, "daemonset", false);
    let t = s.get("template").unwrap_or(&Value::Null);
    template_match(e, sel, t, "spec.template");
    pod_template(e, t, "spec.template");
    let rp = t
        .ptr("/spec/restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or("");
    if rp != "Always" {
        e.unsupported("spec.template.spec.restartPolicy", rp, &["Always"]);
    }
    let us = s.get("updateStrategy").unwrap_or(&Value::Null);
    let ty = str_at(us, "type");
    if !matches!(ty, "RollingUpdate" | "OnDelete") {
        e.unsupported("spec.updateStrategy", ty, &["OnDelete", "RollingUpdate"]);
    }
    if ty == "RollingUpdate" {
        rolling_update(e, us, "spec.updateStrategy");
    }
    workload_limits(e, s);
    if let Some(old) = old {
        immutable(e, s, old, "selector", "spec.selector", selector_go);
    }
}
