//! How the API server writes PersistentVolumeClaims (pkg/registry/core/persistentvolumeclaim/strategy.go): status and
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
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn defaults(obj: &mut Value) {
    default_pvc_spec(spec(obj));
    set_if_absent(status(obj), "phase", json!("Pending"));
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (spec, old_spec) = specs(obj, old);
    pvc_spec(e, spec, "spec");
    if let Some(os) = old_spec {
        let strip = |s: &Value| {
            let mut s = s.clone();
            if let Some(m) = s.pointer_mut("/resources").and_then(Value::as_object_mut) {
                m.remove("requests");
            }
            if let Some(m) = s.as_object_mut() {
                m.remove("volumeAttributesClassName");
                if os.get("volumeName").is_none() {
                    m.remove("volumeName");
                }
            }
            s
        };
        if strip(spec) != strip(os) {
            e.forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
        }
    }
}
