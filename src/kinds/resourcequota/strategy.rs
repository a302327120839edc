//! How the API server writes ResourceQuotas (pkg/registry/core/resourcequota/strategy.go): status and
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
    prepare_for_create: Some(prepare_for_create),
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

fn defaults(obj: &mut Value) {
    // `spec` and `status` are non-pointer structs: Go prints them as `{}`.
    set_if_absent(obj, "spec", json!({}));
    empty_status(obj);
}

/// `PrepareForCreate`: the status is the quota controller's, never the client's.
fn prepare_for_create(obj: &mut Value, _uid: &str) {
    if let Some(m) = obj.as_object_mut() {
        m.insert("status".into(), json!({}));
    }
}

fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    for key in ["hard", "used"] {
        let root = if key == "hard" { "spec" } else { "status" };
        if let Some(m) = obj
            .ptr(&format!("/{root}/{key}"))
            .and_then(Value::as_object)
        {
            for (k, v) in m {
                quantity_nonneg(e, &format!("{root}.{key}[{k}]"), v);
            }
        }
    }
    scopes(e, obj);
}

/// `validateResourceQuotaScopes`: known scopes, each valid for every standard resource the
/// quota names, and no contradicting pair.
fn scopes(e: &mut Errs, obj: &Value) {
    const STANDARD: &[&str] = &[
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.storage",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "resourcequotas",
        "services",
        "replicationcontrollers",
        "secrets",
        "persistentvolumeclaims",
        "configmaps",
        "services.nodeports",
        "services.loadbalancers",
    ];
    const POD_COMPUTE: &[&str] = &[
        "cpu",
        "memory",
        "limits.cpu",
        "limits.memory",
        "requests.cpu",
        "requests.memory",
    ];
    const SCOPES: &[&str] = &[
        "Terminating",
        "NotTerminating",
        "BestEffort",
        "NotBestEffort",
        "PriorityClass",
        "CrossNamespacePodAffinity",
    ];
    let list: Vec<&str> = obj
        .ptr("/spec/scopes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if list.is_empty() {
        return;
    }
    let shown = BadValue::Raw(format!(
        "[]core.ResourceQuotaScope{{{}}}",
        list.iter()
            .map(|s| crate::util::go_quote(s))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let mut hard: Vec<&str> = obj
        .ptr("/spec/hard")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    hard.sort_unstable();
    for scope in &list {
        if !SCOPES.contains(scope) {
            e.invalid("spec.scopes", shown.clone(), "unsupported scope");
        }
        for k in &hard {
            let standard = STANDARD.contains(k) || k.starts_with("requests.hugepages-");
            let valid = match *scope {
                "BestEffort" => *k == "pods",
                s if SCOPES.contains(&s) => *k == "pods" || POD_COMPUTE.contains(k),
                _ => true,
            };
            if standard && !valid {
                e.invalid(
                    "spec.scopes",
                    shown.clone(),
                    "unsupported scope applied to resource",
                );
            }
        }
    }
    for (a, b) in [
        ("BestEffort", "NotBestEffort"),
        ("Terminating", "NotTerminating"),
    ] {
        if list.contains(&a) && list.contains(&b) {
            e.invalid("spec.scopes", shown.clone(), "conflicting scopes");
        }
    }
}
