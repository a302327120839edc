//! How the API server writes Endpointss (pkg/registry/core/endpoint/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

// Validation: not validated by kubesim beyond its metadata.
pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(defaults),
    validate: None,
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn defaults(obj: &mut Value) {
    if let Some(subsets) = obj.get_mut("subsets").and_then(Value::as_array_mut) {
        for ss in subsets {
            for p in arr_mut(ss, "ports") {
                set_if_absent(p, "protocol", json!("TCP"));
            }
        }
    }
}
