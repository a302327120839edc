//! How the API server writes Namespaces (pkg/registry/core/namespace/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

// Validation: beyond its metadata, nothing (a Namespace is its name).
pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: false,
    name_rule: NameRule::Label,
    name_warning: None,
    defaults: Some(default_namespace),
    validate: None,
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: true,
};

fn default_namespace(obj: &mut Value) {
    let name = obj
        .ptr("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !name.is_empty() {
        let meta = child(obj, "metadata");
        let labels = child(meta, "labels");
        put(labels, "kubernetes.io/metadata.name", json!(name));
    }
    let s = spec(obj);
    set_if_absent(s, "finalizers", json!(["kubernetes"]));
    set_if_absent(status(obj), "phase", json!("Active"));
}
