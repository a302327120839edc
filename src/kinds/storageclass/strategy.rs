//! How the API server writes StorageClasss (pkg/registry/storage/storageclass/strategy.go): status and
//! generation rules, name rules, defaulting, validation and what create/delete add.

use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Map, Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: false,
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
    set_if_absent(obj, "reclaimPolicy", json!("Delete"));
    set_if_absent(obj, "volumeBindingMode", json!("Immediate"));
}

fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    storage_class(e, obj, old);
}

fn storage_class(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let prov = str_at(obj, "provisioner");
    if prov.is_empty() {
        e.required("provisioner", "");
    } else {
        for m in is_qualified_name(&prov.to_lowercase()) {
            e.invalid("provisioner", BadValue::Str(prov.into()), &m);
        }
    }
    let rp = str_at(obj, "reclaimPolicy");
    if !rp.is_empty() && !matches!(rp, "Delete" | "Retain") {
        e.unsupported("reclaimPolicy", rp, &["Delete", "Retain"]);
    }
    let vbm = str_at(obj, "volumeBindingMode");
    if !vbm.is_empty() && !matches!(vbm, "Immediate" | "WaitForFirstConsumer") {
        e.unsupported(
            "volumeBindingMode",
            vbm,
            &["Immediate", "WaitForFirstConsumer"],
        );
    }
    if let Some(old) = old {
        let empty = |v: Option<&Value>| v.and_then(Value::as_object).is_none_or(Map::is_empty);
        let (np, op) = (obj.get("parameters"), old.get("parameters"));
        if np != op && !(empty(np) && empty(op)) {
            e.forbidden("parameters", "updates to parameters are forbidden.");
        }
        if prov != str_at(old, "provisioner") {
            e.forbidden("provisioner", "updates to provisioner are forbidden.");
        }
        if obj.get("reclaimPolicy") != old.get("reclaimPolicy") {
            e.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden.");
        }
        if obj.get("volumeBindingMode") != old.get("volumeBindingMode") {
            e.invalid("volumeBindingMode", BadValue::Str(vbm.into()), IMMUTABLE);
        }
    }
}
