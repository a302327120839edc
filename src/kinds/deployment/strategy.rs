//! How the API server writes Deployments (pkg/registry/apps/deployment/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::PODS_NAME_WARNING;
use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: true,
    name_rule: NameRule::Subdomain,
    name_warning: Some(PODS_NAME_WARNING),
    defaults: Some(default_deployment),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_deployment(obj: &mut Value) {
    let s = spec(obj);
    set_if_absent(s, "replicas", json!(1));
    let strategy = child(s, "strategy");
    set_if_absent(strategy, "type", json!("RollingUpdate"));
    if strategy.get("type") == Some(&json!("RollingUpdate")) {
        let ru = child(strategy, "rollingUpdate");
        set_if_absent(ru, "maxUnavailable", json!("25%"));
        set_if_absent(ru, "maxSurge", json!("25%"));
    }
    set_if_absent(s, "revisionHistoryLimit", json!(10));
    set_if_absent(s, "progressDeadlineSeconds", json!(600));
    default_template_at(obj, &["spec", "template"]);
    empty_status(obj);
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (s, old) = specs(obj, old);
    let sel = workload_selector(e, s, "deployment", true);
    let t = s.get("template").unwrap_or(&Value::Null);
    template_match(e, sel, t, "spec.template");
    pod_template(e, t, "spec.template");
    replica_template_rules(e, t, "spec.template", "ReplicaSet");
    workload_limits(e, s);
    let st = s.get("strategy").unwrap_or(&Value::Null);
    match str_at(st, "type") {
        "Recreate" => {
            if st.get("rollingUpdate").is_some() {
                e.forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                );
            }
        }
        "RollingUpdate" => rolling_update(e, st, "spec.strategy"),
        other => e.unsupported("spec.strategy.type", other, &["Recreate", "RollingUpdate"]),
    }
    if let Some(pds) = s.get("progressDeadlineSeconds").and_then(Value::as_i64) {
        e.nonneg(
            "spec.progressDeadlineSeconds",
            s.get("progressDeadlineSeconds"),
        );
        let mrs = s
            .get("minReadySeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if pds <= mrs {
            e.invalid(
                "spec.progressDeadlineSeconds",
                BadValue::Int(pds),
                "must be greater than minReadySeconds",
            );
        }
    }
    if let Some(old) = old {
        immutable(e, s, old, "selector", "spec.selector", selector_go);
    }
}
