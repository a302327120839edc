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
    prepare_for_create: None,
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

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (spec, old_spec) = specs(obj, old);
    apps(e, "DaemonSet", spec, old_spec);
}
