//! How the API server writes ClusterRoles (pkg/registry/rbac/clusterrole/strategy.go): the
//! policy rules, non-resource URLs allowed.

use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::Value;

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    generation: false,
    name_rule: NameRule::PathSegment,
    name_warning: None,
    defaults: None,
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    crate::kinds::role::strategy::policy_rules(e, obj, false);
}
