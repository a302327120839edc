//! How the API server writes PersistentVolumeClaims (pkg/registry/core/persistentvolumeclaim/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::common::table::storage_class_of;
use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use crate::util::quantity::Quantity;
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
    let (Some(os), Some(old)) = (old_spec, old) else {
        return;
    };
    // ValidatePersistentVolumeClaimUpdate: a bound claim may change its storage request.
    let bound = old.pointer("/status/phase").and_then(Value::as_str) == Some("Bound");
    let strip = |s: &Value, requests: bool| {
        let mut s = s.clone();
        if requests
            && let Some(m) = s
                .pointer_mut("/resources/requests")
                .and_then(Value::as_object_mut)
        {
            m.remove("storage");
        }
        if let Some(m) = s.as_object_mut() {
            m.remove("volumeAttributesClassName");
            if os.get("volumeName").is_none() {
                m.remove("volumeName");
            }
        }
        s
    };
    if strip(spec, bound) != strip(os, bound) {
        e.forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
    }
    let (new_size, old_size) = (
        storage(obj, "/spec/resources/requests"),
        storage(old, "/spec/resources/requests"),
    );
    let status_size = storage(old, "/status/capacity");
    // RecoverVolumeExpansionFailure (on in 1.33): a request may go back down to what the
    // volume has, not below.
    if new_size < old_size && new_size <= status_size {
        e.forbidden(
            "spec.resources.requests.storage",
            "field can not be less than status.capacity",
        );
    }
}

fn storage(obj: &Value, at: &str) -> Quantity {
    obj.pointer(at)
        .and_then(|m| m.get("storage"))
        .and_then(Value::as_str)
        .and_then(|q| Quantity::parse(q).ok())
        .unwrap_or_else(Quantity::zero)
}

/// The PersistentVolumeClaimResize admission plugin: why a larger storage request is refused
/// (`expandable`: the claim's StorageClass sets `allowVolumeExpansion: true`).
pub fn resize_refusal(new: &Value, old: &Value, expandable: bool) -> Option<&'static str> {
    if storage(new, "/spec/resources/requests") <= storage(old, "/spec/resources/requests") {
        return None;
    }
    if old.pointer("/status/phase").and_then(Value::as_str) != Some("Bound") {
        return Some("Only bound persistent volume claims can be expanded");
    }
    let (c, oc) = (storage_class_of(new), storage_class_of(old));
    if c.is_empty() || c != oc || !expandable {
        return Some(
            "only dynamically provisioned pvc can be resized and the storageclass that \
             provisions the pvc must support resize",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::fields::Fields;

    fn pvc(size: &str, phase: &str, capacity: Option<&str>) -> Value {
        let mut v = json!({"metadata": {"name": "c"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                     "resources": {"requests": {"storage": size}}},
            "status": {"phase": phase}});
        if let Some(c) = capacity {
            v.set("/status/capacity", json!({"storage": c})).unwrap();
        }
        v
    }

    #[test]
    fn resize_follows_the_admission_plugin() {
        // TestPVCResizeAdmission: growing needs a bound claim and an expandable class.
        let old = pvc("1Gi", "Bound", Some("1Gi"));
        assert_eq!(resize_refusal(&pvc("2Gi", "Bound", None), &old, true), None);
        assert_eq!(
            resize_refusal(&pvc("2Gi", "Bound", None), &old, false),
            Some(
                "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize"
            )
        );
        let pending = pvc("1Gi", "Pending", None);
        assert_eq!(
            resize_refusal(&pvc("2Gi", "Pending", None), &pending, true),
            Some("Only bound persistent volume claims can be expanded")
        );
        // Same size or smaller: not the plugin's business.
        assert_eq!(
            resize_refusal(&pvc("1Gi", "Bound", None), &old, false),
            None
        );
        assert_eq!(
            resize_refusal(&pvc("512Mi", "Bound", None), &old, false),
            None
        );
    }

    #[test]
    fn update_validation_of_the_request() {
        let errs = |new: &Value, old: &Value| {
            let mut e = Errs::default();
            validate(&mut e, new, Some(old));
            e.0.iter().map(|f| f.to_string()).collect::<Vec<_>>()
        };
        // A bound claim: a larger request passes; below status.capacity is refused.
        let old = pvc("2Gi", "Bound", Some("2Gi"));
        assert!(errs(&pvc("3Gi", "Bound", Some("2Gi")), &old).is_empty());
        let shrink = errs(&pvc("1Gi", "Bound", Some("2Gi")), &old);
        assert_eq!(shrink.len(), 1, "{shrink:?}");
        assert!(shrink[0].contains("field can not be less than status.capacity"));
        // A pending claim's spec is immutable, its request included.
        let old = pvc("2Gi", "Pending", None);
        let pending = errs(&pvc("3Gi", "Pending", None), &old);
        assert!(pending[0].contains("spec is immutable"), "{pending:?}");
    }
}
