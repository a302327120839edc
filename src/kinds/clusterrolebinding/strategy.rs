//! How the API server writes ClusterRoleBindings (pkg/registry/rbac/clusterrolebinding/
//! strategy.go): a ClusterRole reference; service account subjects name their namespace.

use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::Value;

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    generation: false,
    name_rule: NameRule::PathSegment,
    name_warning: None,
    defaults: Some(crate::kinds::rolebinding::strategy::defaults),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    crate::kinds::rolebinding::strategy::binding(e, obj, old, &["ClusterRole"], false);
}
