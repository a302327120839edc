//! How the API server writes PriorityClasses (pkg/registry/scheduling/priorityclass/strategy.go,
//! pkg/apis/scheduling/validation): defaulting, validation, immutable fields.

use super::{HIGHEST_USER_DEFINABLE_PRIORITY, SYSTEM_PRIORITY_CLASSES};
use crate::kinds::defaulting::*;
use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::{Value, json};

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

/// `SetDefaults_PriorityClass`: `preemptionPolicy: PreemptLowerPriority`.
fn defaults(obj: &mut Value) {
    set_if_absent(obj, "preemptionPolicy", json!("PreemptLowerPriority"));
}

/// `IsKnownSystemPriorityClass`: whether a `system-` class is one of the two the API server
/// creates, with its error.
fn known_system_class(name: &str, value: i64, global_default: bool) -> Result<(), String> {
    match SYSTEM_PRIORITY_CLASSES.iter().find(|(n, ..)| *n == name) {
        Some((n, v, _)) if *v != value => Err(format!("value of {n} PriorityClass must be {v}")),
        Some((n, ..)) if global_default => {
            Err(format!("globalDefault of {n} PriorityClass must be false"))
        }
        Some(_) => Ok(()),
        None => Err(format!("{name} is not a known system priority class")),
    }
}

/// `ValidatePriorityClass` / `ValidatePriorityClassUpdate` after the object metadata.
fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let value = obj.get("value").and_then(Value::as_i64).unwrap_or(0);
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let global_default = obj
        .get("globalDefault")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match old {
        None => {
            if name.starts_with("system-") {
                if let Err(m) = known_system_class(name, value, global_default) {
                    e.forbidden(
                        "metadata.name",
                        &format!(
                            "priority class names with 'system-' prefix are reserved for system use only. error: {m}"
                        ),
                    );
                }
            } else if value > HIGHEST_USER_DEFINABLE_PRIORITY {
                e.forbidden(
                    "value",
                    &format!(
                        "maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE_PRIORITY}"
                    ),
                );
            }
            let policy = str_at(obj, "preemptionPolicy");
            if obj.get("preemptionPolicy").is_some()
                && !matches!(policy, "Never" | "PreemptLowerPriority")
            {
                if policy.is_empty() {
                    e.required("preemptionPolicy", "");
                } else {
                    e.unsupported(
                        "preemptionPolicy",
                        policy,
                        &["Never", "PreemptLowerPriority"],
                    );
                }
            }
        }
        Some(old) => {
            if obj.get("value") != old.get("value") {
                e.forbidden("value", "may not be changed in an update.");
            }
            if obj.get("preemptionPolicy") != old.get("preemptionPolicy") {
                e.invalid(
                    "preemptionPolicy",
                    BadValue::Str(str_at(obj, "preemptionPolicy").into()),
                    IMMUTABLE,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(obj: Value, old: Option<Value>) -> Vec<String> {
        let mut e = Errs::default();
        validate(&mut e, &obj, old.as_ref());
        e.0.iter().map(|f| f.to_string()).collect()
    }

    /// pkg/apis/scheduling/validation TestValidatePriorityClass's cases.
    #[test]
    fn priority_class_validation() {
        let pc = |name: &str, value: i64, gd: bool| {
            json!({"metadata": {"name": name}, "value": value, "globalDefault": gd,
                   "preemptionPolicy": "PreemptLowerPriority"})
        };
        assert!(errors(pc("tier1", 100, false), None).is_empty());
        assert!(errors(pc("system-node-critical", 2000001000, false), None).is_empty());
        assert!(errors(pc("system-cluster-critical", 2000000000, false), None).is_empty());
        assert_eq!(
            errors(pc("system-node-critical", 2000000000, false), None),
            [
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000"
            ]
        );
        assert_eq!(
            errors(pc("system-cluster-critical", 2000000000, true), None),
            [
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false"
            ]
        );
        assert_eq!(
            errors(pc("system-new-class", 100, false), None),
            [
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-new-class is not a known system priority class"
            ]
        );
        assert_eq!(
            errors(pc("tier1", 1_000_000_001, false), None),
            ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]
        );
        let mut bad = pc("tier1", 1, false);
        bad["preemptionPolicy"] = json!("Sometimes");
        assert_eq!(
            errors(bad, None),
            [
                "preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"Never\", \"PreemptLowerPriority\""
            ]
        );
        // Updates: value and preemptionPolicy are immutable.
        assert!(errors(pc("tier1", 1, true), Some(pc("tier1", 1, false))).is_empty());
        assert_eq!(
            errors(pc("tier1", 2, false), Some(pc("tier1", 1, false))),
            ["value: Forbidden: may not be changed in an update."]
        );
    }
}
