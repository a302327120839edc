//! How the API server writes Events (pkg/registry/core/event/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::{NameRule, Strategy};

// Defaulting: none (nothing visible).
// Validation: not validated by kubesim beyond its metadata.
pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
    generation: false,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: None,
    validate: None,
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};
