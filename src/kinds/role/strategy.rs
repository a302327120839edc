//! How the API server writes Roles (pkg/registry/rbac/role/strategy.go, pkg/apis/rbac/validation):
//! path-segment names and the policy rules.

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
    policy_rules(e, obj, true);
}

/// `validatePolicyRule` over `rules`; `namespaced`: a Role's (no non-resource URLs).
pub(crate) fn policy_rules(e: &mut Errs, obj: &Value, namespaced: bool) {
    let len = |r: &Value, k: &str| r.get(k).and_then(Value::as_array).map_or(0, Vec::len);
    for (i, rule) in arr(obj, "rules").enumerate() {
        let p = format!("rules[{i}]");
        if len(rule, "verbs") == 0 {
            e.required(
                &format!("{p}.verbs"),
                "verbs must contain at least one value",
            );
        }
        if len(rule, "nonResourceURLs") > 0 {
            let urls = BadValue::Raw(go_strings(rule.get("nonResourceURLs")));
            if namespaced {
                e.invalid(
                    &format!("{p}.nonResourceURLs"),
                    urls.clone(),
                    "namespaced rules cannot apply to non-resource URLs",
                );
            }
            if len(rule, "apiGroups") > 0
                || len(rule, "resources") > 0
                || len(rule, "resourceNames") > 0
            {
                e.invalid(
                    &format!("{p}.nonResourceURLs"),
                    urls,
                    "rules cannot apply to both regular resources and non-resource URLs",
                );
            }
            continue;
        }
        if len(rule, "apiGroups") == 0 {
            e.required(
                &format!("{p}.apiGroups"),
                "resource rules must supply at least one api group",
            );
        }
        if len(rule, "resources") == 0 {
            e.required(
                &format!("{p}.resources"),
                "resource rules must supply at least one resource",
            );
        }
        if len(rule, "resourceNames") > 0 && len(rule, "resources") > 1 {
            e.required(
                &format!("{p}.resourceNames"),
                "resource names cannot apply to multiple resources",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(obj: Value, namespaced: bool) -> Vec<String> {
        let mut e = Errs::default();
        policy_rules(&mut e, &obj, namespaced);
        e.0.iter().map(|f| f.to_string()).collect()
    }

    /// pkg/apis/rbac/validation TestValidateRole / TestNonResourceURLCovers' shapes.
    #[test]
    fn policy_rule_validation() {
        let ok = json!({"rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}]});
        assert!(errors(ok, true).is_empty());
        let none = json!({"rules": [{}]});
        assert_eq!(
            errors(none, true),
            [
                "rules[0].verbs: Required value: verbs must contain at least one value",
                "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
                "rules[0].resources: Required value: resource rules must supply at least one resource"
            ]
        );
        let urls = json!({"rules": [{"verbs": ["get"], "nonResourceURLs": ["/logs"], "resources": ["pods"]}]});
        assert_eq!(
            errors(urls.clone(), true),
            [
                "rules[0].nonResourceURLs: Invalid value: []string{\"/logs\"}: namespaced rules cannot apply to non-resource URLs",
                "rules[0].nonResourceURLs: Invalid value: []string{\"/logs\"}: rules cannot apply to both regular resources and non-resource URLs"
            ]
        );
        assert_eq!(errors(urls, false).len(), 1);
        let names = json!({"rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods", "secrets"], "resourceNames": ["a"]}]});
        assert_eq!(
            errors(names, false),
            [
                "rules[0].resourceNames: Required value: resource names cannot apply to multiple resources"
            ]
        );
    }

    #[test]
    fn path_segment_names() {
        assert_eq!(path_segment_name("..", false), ["may not be '..'"]);
        assert_eq!(
            path_segment_name("a/b%c", false),
            ["may not contain '/'", "may not contain '%'"]
        );
        assert!(path_segment_name("system:controller:x", false).is_empty());
    }
}
