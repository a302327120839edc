//! How the API server writes Nodes (pkg/registry/core/node/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

// Validation: not validated by kubesim beyond its metadata.
pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(default_node),
    validate: None,
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn default_node(obj: &mut Value) {
    let st = status(obj);
    if st.get("allocatable").is_none()
        && let Some(cap) = st.get("capacity").cloned()
    {
        put(st, "allocatable", cap);
    }
    set_if_absent(obj, "spec", json!({}));
}
