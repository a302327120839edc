//! How the API server writes ReplicaSets (pkg/registry/apps/replicaset/strategy.go): status and
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
    defaults: Some(defaults),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn defaults(obj: &mut Value) {
    set_if_absent(spec(obj), "replicas", json!(1));
    default_template_at(obj, &["spec", "template"]);
    empty_status(obj);
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (s, old) = specs(obj, old);
    let sel = workload_selector(e, s, "replicaset", true);
    let t = s.get("template").unwrap_or(&Value::Null);
    template_match(e, sel, t, "spec.template");
    pod_template(e, t, "spec.template");
    replica_template_rules(e, t, "spec.template", "ReplicaSet");
    workload_limits(e, s);
    if let Some(old) = old {
        immutable(e, s, old, "selector", "spec.selector", selector_go);
    }
}
