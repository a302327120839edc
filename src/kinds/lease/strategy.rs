//! How the API server writes Leases (pkg/registry/coordination/lease/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(defaults),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn defaults(obj: &mut Value) {
    // `spec` is a non-pointer struct (`{}` when empty); strategy and preferredHolder belong to
    // the CoordinatedLeaderElection gate, off by default in 1.33, so the registry drops them
    // (`dropDisabledSpecFields`).
    set_if_absent(obj, "spec", json!({}));
    if let Some(s) = obj.get_mut("spec").and_then(Value::as_object_mut) {
        s.remove("strategy");
        s.remove("preferredHolder");
    }
}

fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    lease_spec(e, specs(obj, None).0);
}

/// `pkg/apis/coordination/validation`: ValidateLeaseSpec.
fn lease_spec(e: &mut Errs, spec: &Value) {
    if let Some(n) = spec.get("leaseDurationSeconds").and_then(Value::as_i64)
        && n <= 0
    {
        e.invalid(
            "spec.leaseDurationSeconds",
            BadValue::Int(n),
            "must be greater than 0",
        );
    }
    e.nonneg("spec.leaseTransitions", spec.get("leaseTransitions"));
    // strategy and preferredHolder belong to CoordinatedLeaderElection, off by default in
    // 1.33: the registry drops them before validation (defaults.rs).
}
