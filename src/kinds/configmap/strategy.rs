//! How the API server writes ConfigMaps (pkg/registry/core/configmap/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::Value;

// Defaulting: none (nothing visible).
pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: None,
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    configmap(e, obj, old);
}

fn configmap(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let mut total = 0;
    let data = obj.get("data").and_then(Value::as_object);
    let bin = obj.get("binaryData").and_then(Value::as_object);
    for (k, v) in data.into_iter().flatten() {
        for m in is_config_map_key(k) {
            e.invalid(&format!("data[{k}]"), BadValue::Str(k.clone()), &m);
        }
        if bin.is_some_and(|b| b.contains_key(k)) {
            e.invalid(
                &format!("data[{k}]"),
                BadValue::Str(k.clone()),
                "duplicate of key present in binaryData",
            );
        }
        total += v.as_str().map_or(0, str::len);
    }
    for (k, v) in bin.into_iter().flatten() {
        for m in is_config_map_key(k) {
            e.invalid(&format!("binaryData[{k}]"), BadValue::Str(k.clone()), &m);
        }
        total += v.as_str().map_or(0, |s| s.len() * 3 / 4);
    }
    if total > MAX_SECRET_SIZE {
        e.too_long("", MAX_SECRET_SIZE);
    }
    if let Some(old) = old {
        immutable_data(e, obj, old, &["data", "binaryData"]);
    }
}
