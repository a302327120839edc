//! How the API server writes IngressClasses (pkg/registry/networking/ingressclass/
//! strategy.go, pkg/apis/networking/validation `ValidateIngressClass`'s essentials): the
//! generation, a required controller (immutable) and well-formed parameters.

use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use serde_json::Value;

// The kind has no status; `status_subresource` keeps one out of writes, as the typed object
// would drop it, and lets the generation count spec changes only.
pub(super) const STRATEGY: Strategy = Strategy {
    status_subresource: true,
    generation: true,
    name_rule: NameRule::Subdomain,
    name_warning: None,
    defaults: Some(defaults),
    validate: Some(validate),
    prepare_for_create: None,
    prepare_for_update: None,
    graceful_delete: None,
    spec_finalizers: false,
};

/// `SetDefaults_IngressClass`: parameters without a scope are cluster-scoped.
fn defaults(obj: &mut Value) {
    if let Some(p) = obj
        .pointer_mut("/spec/parameters")
        .and_then(Value::as_object_mut)
        && p.get("scope").is_none_or(Value::is_null)
    {
        p.insert("scope".into(), Value::from("Cluster"));
    }
}

/// `ValidateIngressClassSpec`, `validateIngressClassParametersReference` and the update's
/// immutable controller.
fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (spec, old_spec) = specs(obj, old);
    let controller = str_at(spec, "controller");
    if controller.is_empty() {
        e.required("spec.controller", "");
    } else if controller.len() > 250 {
        e.too_long("spec.controller", 250);
    }
    if let Some(old) = old_spec
        && str_at(old, "controller") != controller
    {
        e.invalid(
            "spec.controller",
            BadValue::Str(controller.into()),
            "field is immutable",
        );
    }
    let Some(p) = spec.get("parameters").filter(|p| !p.is_null()) else {
        return;
    };
    for key in ["kind", "name"] {
        let v = str_at(p, key);
        if v.is_empty() {
            e.required(&format!("spec.parameters.{key}"), "");
        }
        for msg in path_segment_name(v, false) {
            e.invalid(
                &format!("spec.parameters.{key}"),
                BadValue::Str(v.into()),
                &msg,
            );
        }
    }
    let scope = str_at(p, "scope");
    let namespace = p.get("namespace").and_then(Value::as_str);
    match scope {
        "Cluster" => {
            if namespace.is_some() {
                e.forbidden(
                    "spec.parameters.namespace",
                    "`parameters.scope` is set to 'Cluster'",
                );
            }
        }
        "Namespace" => {
            if namespace.is_none_or(str::is_empty) {
                e.required(
                    "spec.parameters.namespace",
                    "`parameters.scope` is set to 'Namespace'",
                );
            }
        }
        other => e.unsupported("spec.parameters.scope", other, &["Cluster", "Namespace"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(spec: Value, old: Option<Value>) -> Vec<String> {
        let mut obj = json!({"metadata": {"name": "x"}, "spec": spec});
        defaults(&mut obj);
        let old = old.map(|s| json!({"metadata": {"name": "x"}, "spec": s}));
        let mut e = Errs::default();
        validate(&mut e, &obj, old.as_ref());
        e.0.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn rejects_what_upstream_rejects() {
        assert!(errors(json!({"controller": "k8s.io/ingress-nginx"}), None).is_empty());
        assert_eq!(errors(json!({}), None), ["spec.controller: Required value"]);
        assert_eq!(
            errors(json!({"controller": "b"}), Some(json!({"controller": "a"}))),
            ["spec.controller: Invalid value: \"b\": field is immutable"]
        );
        assert_eq!(
            errors(
                json!({"controller": "a", "parameters": {"kind": "K", "name": "n", "scope": "Namespace"}}),
                None
            ),
            ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"]
        );
        assert_eq!(
            errors(
                json!({"controller": "a", "parameters": {"name": "n"}}),
                None
            ),
            ["spec.parameters.kind: Required value"]
        );
    }
}
