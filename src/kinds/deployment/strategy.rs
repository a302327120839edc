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
    let (spec, old_spec) = specs(obj, old);
    apps(e, "Deployment", spec, old_spec);
}
