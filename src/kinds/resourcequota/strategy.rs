//! How the API server writes ResourceQuotas (pkg/registry/core/resourcequota/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(defaults),
    validate: Some(validate),
    prepare_for_create: Some(prepare_for_create),
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn defaults(obj: &mut Value) {
    // `spec` and `status` are non-pointer structs: Go prints them as `{}`.
    set_if_absent(obj, "spec", json!({}));
    empty_status(obj);
}

/// `PrepareForCreate`: the status is the quota controller's, never the client's.
fn prepare_for_create(obj: &mut Value, _uid: &str) {
    if let Some(m) = obj.as_object_mut() {
        m.insert("status".into(), json!({}));
    }
}

fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    for key in ["hard", "used"] {
        let root = if key == "hard" { "spec" } else { "status" };
        if let Some(m) = obj
            .ptr(&format!("/{root}/{key}"))
            .and_then(Value::as_object)
        {
            for (k, v) in m {
                quantity_nonneg(e, &format!("{root}.{key}[{k}]"), v);
            }
        }
    }
}
