//! How the API server writes PodDisruptionBudgets (pkg/registry/policy/poddisruptionbudget/
//! strategy.go, pkg/apis/policy/validation): a status subresource reset on create, the
//! generation, and the spec's validation.

use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use crate::util::fields::Fields;
use serde_json::{Value, json};

pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: true,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: None,
    validate: Some(validate),
    prepare_for_create: Some(prepare_for_create),
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

/// `PrepareForCreate`: the status starts empty, which the typed status prints as zeros.
fn prepare_for_create(obj: &mut Value, _uid: &str) {
    let zero = json!({"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0});
    // The object is a decoded PodDisruptionBudget, so `/status` can be written.
    let _ = obj.set("/status", zero);
}

/// `ValidatePodDisruptionBudgetSpec`.
fn validate(e: &mut Errs, obj: &Value, _old: Option<&Value>) {
    let spec = obj.get("spec").unwrap_or(&Value::Null);
    let (min, max) = (spec.get("minAvailable"), spec.get("maxUnavailable"));
    if min.is_some() && max.is_some() {
        e.invalid(
            "spec",
            BadValue::Raw(spec_go(spec)),
            "minAvailable and maxUnavailable cannot be both set",
        );
    }
    for (v, p) in [(min, "spec.minAvailable"), (max, "spec.maxUnavailable")] {
        if v.is_some() {
            int_or_percent(e, v, p);
            not_over_100(e, v, p);
        }
    }
    if let Some(sel) = spec.get("selector") {
        label_selector(e, sel, "spec.selector");
    }
    let policy = str_at(spec, "unhealthyPodEvictionPolicy");
    if spec.get("unhealthyPodEvictionPolicy").is_some()
        && !matches!(policy, "AlwaysAllow" | "IfHealthyBudget")
    {
        e.unsupported(
            "spec.unhealthyPodEvictionPolicy",
            policy,
            &["AlwaysAllow", "IfHealthyBudget"],
        );
    }
}

/// `%#v` of the internal `policy.PodDisruptionBudgetSpec` (its pointers as addresses, which
/// kubesim cannot reproduce: printed as Go would print nil-free placeholders).
fn spec_go(spec: &Value) -> String {
    let iop = |v: Option<&Value>| match v {
        Some(_) => "(*intstr.IntOrString)(0xc000000000)",
        None => "(*intstr.IntOrString)(nil)",
    };
    format!(
        "policy.PodDisruptionBudgetSpec{{MinAvailable:{}, Selector:{}, MaxUnavailable:{}, UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}}",
        iop(spec.get("minAvailable")),
        if spec.get("selector").is_some() {
            "(*v1.LabelSelector)(0xc000000000)"
        } else {
            "(*v1.LabelSelector)(nil)"
        },
        iop(spec.get("maxUnavailable"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(obj: Value) -> Vec<String> {
        let mut e = Errs::default();
        validate(&mut e, &obj, None);
        e.0.iter().map(|f| f.to_string()).collect()
    }

    /// pkg/apis/policy/validation TestValidateMinAvailablePodDisruptionBudgetSpec /
    /// TestValidatePodDisruptionBudgetSpec's cases.
    #[test]
    fn spec_validation() {
        assert!(errors(json!({"spec": {"minAvailable": 1}})).is_empty());
        assert!(errors(json!({"spec": {"maxUnavailable": "50%"}})).is_empty());
        assert_eq!(
            errors(json!({"spec": {"minAvailable": -1}})),
            ["spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"]
        );
        assert_eq!(
            errors(json!({"spec": {"maxUnavailable": "110%"}})),
            [
                "spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"110%\"}: must not be greater than 100%"
            ]
        );
        assert_eq!(
            errors(json!({"spec": {"minAvailable": 1, "maxUnavailable": 1}})).len(),
            1
        );
        assert_eq!(
            errors(json!({"spec": {"minAvailable": 1, "unhealthyPodEvictionPolicy": "Never"}})),
            [
                "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Never\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""
            ]
        );
    }
}
