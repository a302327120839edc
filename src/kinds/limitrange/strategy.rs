//! How the API server writes LimitRanges (pkg/registry/core/limitrange/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::Value;

// Validation: not validated by kubesim beyond its metadata.
pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(default_limit_range),
    validate: None,
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_limit_range(obj: &mut Value) {
    let Some(limits) = obj
        .pointer_mut("/spec/limits")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for item in limits {
        if item.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        let max = item.get("max").cloned();
        let min = item.get("min").cloned();
        let default = child(item, "default");
        if let Some(Value::Object(max)) = max {
            for (k, v) in max {
                set_if_absent(default, &k, v);
            }
        }
        let default = default.clone();
        let dr = child(item, "defaultRequest");
        if let Value::Object(d) = default {
            for (k, v) in d {
                set_if_absent(dr, &k, v);
            }
        }
        if let Some(Value::Object(min)) = min {
            for (k, v) in min {
                set_if_absent(dr, &k, v);
            }
        }
    }
}
