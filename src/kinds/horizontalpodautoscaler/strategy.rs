//! How the API server writes HorizontalPodAutoscalers (pkg/registry/autoscaling/
//! horizontalpodautoscaler/strategy.go, pkg/apis/autoscaling/v2 defaults,
//! pkg/apis/autoscaling/validation): a status subresource reset on create, no generation
//! (1.33's HPAGeneration gate does not exist yet), v2's defaults and the spec's validation.

use crate::kinds::validation::*;
use crate::kinds::{NameRule, Strategy};
use crate::util::fields::Fields;
use crate::util::quantity::Quantity;
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

/// `PrepareForCreate`: the status starts empty (the typed v2 status prints
/// `currentMetrics: null` and `desiredReplicas: 0`).
fn prepare_for_create(obj: &mut Value, _uid: &str) {
    // The object is a decoded HorizontalPodAutoscaler, so `/status` can be written.
    let _ = obj.set(
        "/status",
        json!({"currentMetrics": null, "desiredReplicas": 0}),
    );
}

/// v2's `SetDefaults_HorizontalPodAutoscaler`: `minReplicas` 1, a cpu Utilization metric at
/// 80% when there is none, and a behavior's unset rules from `GenerateHPAScaleUpRules` /
/// `GenerateHPAScaleDownRules`.
fn defaults(obj: &mut Value) {
    let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if spec.get("minReplicas").is_none_or(Value::is_null) {
        spec.insert("minReplicas".into(), json!(1));
    }
    if spec
        .get("metrics")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        spec.insert(
            "metrics".into(),
            json!([{"type": "Resource", "resource": {"name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 80}}}]),
        );
    }
    if let Some(Value::Object(b)) = spec.get_mut("behavior") {
        let up = json!({"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15}]});
        let down = json!({"selectPolicy": "Max", "policies": [
            {"type": "Percent", "value": 100, "periodSeconds": 15}]});
        for (key, mut rules) in [("scaleUp", up), ("scaleDown", down)] {
            // `copyHPAScalingRules`: what the user set wins, field by field.
            if let (Some(Value::Object(from)), Some(to)) = (b.get(key), rules.as_object_mut()) {
                for (k, v) in from {
                    if !v.is_null() {
                        to.insert(k.clone(), v.clone());
                    }
                }
            }
            b.insert(key.into(), rules);
        }
    }
}

const METRIC_TYPES: &[&str] = &[
    "ContainerResource",
    "External",
    "Object",
    "Pods",
    "Resource",
];

/// `ValidateHorizontalPodAutoscaler`'s spec part (`validateHorizontalPodAutoscalerSpec`) with
/// the strategy's options: `minReplicas` at least 1 (HPAScaleToZero is off), the target's
/// apiVersion must name a group (except a ReplicationController's, or an unchanged one).
fn validate(e: &mut Errs, obj: &Value, old: Option<&Value>) {
    let (spec, old_spec) = specs(obj, old);
    let min = spec.get("minReplicas").and_then(Value::as_i64);
    let max = spec.get("maxReplicas").and_then(Value::as_i64).unwrap_or(0);
    if let Some(m) = min
        && m < 1
    {
        e.invalid(
            "spec.minReplicas",
            BadValue::Int(m),
            "must be greater than or equal to 1",
        );
    }
    if max < 1 {
        e.invalid(
            "spec.maxReplicas",
            BadValue::Int(max),
            "must be greater than 0",
        );
    }
    if let Some(m) = min
        && max < m
    {
        e.invalid(
            "spec.maxReplicas",
            BadValue::Int(max),
            "must be greater than or equal to `minReplicas`",
        );
    }
    let target = spec.get("scaleTargetRef").unwrap_or(&Value::Null);
    let old_target = old_spec.and_then(|s| s.get("scaleTargetRef"));
    let unchanged = old_target.is_some_and(|o| {
        str_at(o, "apiVersion") == str_at(target, "apiVersion")
            && str_at(o, "kind") == str_at(target, "kind")
    });
    cross_version_ref(
        e,
        target,
        "spec.scaleTargetRef",
        !unchanged,
        str_at(target, "kind") == "ReplicationController",
    );
    let metrics = spec
        .get("metrics")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (i, m) in metrics.iter().enumerate() {
        metric_spec(e, m, &format!("spec.metrics[{i}]"));
    }
    if let Some(b) = spec.get("behavior").filter(|b| !b.is_null()) {
        for key in ["scaleUp", "scaleDown"] {
            if let Some(r) = b.get(key).filter(|r| !r.is_null()) {
                scaling_rules(e, r, &format!("spec.behavior.{key}"));
            }
        }
    }
}

/// `ValidateCrossVersionObjectReference` (+ `ValidateAPIVersion` when `check_version`).
fn cross_version_ref(e: &mut Errs, r: &Value, p: &str, check_version: bool, allow_core: bool) {
    for key in ["kind", "name"] {
        let v = str_at(r, key);
        if v.is_empty() {
            e.required(&format!("{p}.{key}"), "");
        }
        for msg in path_segment_name(v, false) {
            e.invalid(&format!("{p}.{key}"), BadValue::Str(v.into()), &msg);
        }
    }
    if !check_version {
        return;
    }
    let v = str_at(r, "apiVersion");
    let path = format!("{p}.apiVersion");
    let group = match v.matches('/').count() {
        0 => "",
        1 => v.split_once('/').map_or("", |(g, _)| g),
        _ => {
            e.invalid(
                &path,
                BadValue::Str(v.into()),
                &format!("unexpected GroupVersion string: {v}"),
            );
            return;
        }
    };
    if group.is_empty() && !allow_core {
        e.invalid(&path, BadValue::Str(v.into()), "must specify API group");
    }
}

/// `validateMetricSpec`: a known type, and exactly the source the type names.
fn metric_spec(e: &mut Errs, m: &Value, p: &str) {
    let ty = str_at(m, "type");
    if ty.is_empty() {
        e.required(&format!("{p}.type"), "must specify a metric source type");
    }
    let present: Vec<&str> = [
        "object",
        "pods",
        "resource",
        "containerResource",
        "external",
    ]
    .into_iter()
    .filter(|k| m.get(*k).is_some_and(|v| !v.is_null()))
    .collect();
    if let Some(first) = present.first() {
        let src = &m[*first];
        let sp = format!("{p}.{first}");
        match *first {
            "resource" | "containerResource" => {
                resource_source(e, src, &sp, *first == "containerResource")
            }
            "pods" => {
                metric_identifier(e, src, &sp);
                metric_target(
                    e,
                    src.get("target").unwrap_or(&Value::Null),
                    &format!("{sp}.target"),
                );
                if src
                    .pointer("/target/averageValue")
                    .is_none_or(Value::is_null)
                {
                    e.required(
                        &format!("{sp}.target.averageValue"),
                        "must specify a positive target averageValue",
                    );
                }
            }
            _ => {
                if *first == "object" {
                    let d = src.get("describedObject").unwrap_or(&Value::Null);
                    cross_version_ref(e, d, &format!("{sp}.describedObject"), false, true);
                }
                metric_identifier(e, src, &sp);
                let t = src.get("target").unwrap_or(&Value::Null);
                metric_target(e, t, &format!("{sp}.target"));
                if t.get("value").is_none_or(Value::is_null)
                    && t.get("averageValue").is_none_or(Value::is_null)
                {
                    e.required(
                        &format!("{sp}.target.value"),
                        "must set either a target value or averageValue",
                    );
                }
            }
        }
    }
    let expected = match ty {
        "Object" => "object",
        "Pods" => "pods",
        "Resource" => "resource",
        "External" => "external",
        "ContainerResource" => "containerResource",
        _ => {
            e.unsupported(&format!("{p}.type"), ty, METRIC_TYPES);
            ""
        }
    };
    if !present.contains(&expected) {
        e.required(
            &format!("{p}.{expected}"),
            "must populate information for the given metric source",
        );
    }
    if present.len() != 1 {
        for other in present.iter().filter(|k| **k != expected) {
            e.forbidden(
                &format!("{p}.{other}"),
                "must populate the given metric source only",
            );
        }
    }
}

fn metric_identifier(e: &mut Errs, src: &Value, p: &str) {
    if src
        .pointer("/metric/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        e.required(&format!("{p}.metric.name"), "must specify a metric name");
    }
}

/// `validateResourceSource` / `validateContainerResourceSource`.
fn resource_source(e: &mut Errs, src: &Value, p: &str, container: bool) {
    let name = str_at(src, "name");
    if name.is_empty() {
        e.required(&format!("{p}.name"), "must specify a resource name");
    }
    if container && str_at(src, "container").is_empty() {
        e.required(&format!("{p}.container"), "must specify a container");
    }
    let t = src.get("target").unwrap_or(&Value::Null);
    metric_target(e, t, &format!("{p}.target"));
    let util = t.get("averageUtilization").filter(|v| !v.is_null());
    let avg = t.get("averageValue").filter(|v| !v.is_null());
    if util.is_none() && avg.is_none() {
        e.required(
            &format!("{p}.target.averageUtilization"),
            "must set either a target raw value or a target utilization",
        );
    }
    if util.is_some() && avg.is_some() {
        e.forbidden(
            &format!("{p}.target.averageValue"),
            "may not set both a target raw value and a target utilization",
        );
    }
}

/// `validateMetricTarget`.
fn metric_target(e: &mut Errs, t: &Value, p: &str) {
    let ty = str_at(t, "type");
    if ty.is_empty() {
        e.required(&format!("{p}.type"), "must specify a metric target type");
    }
    if !matches!(ty, "Utilization" | "Value" | "AverageValue") {
        e.invalid(
            &format!("{p}.type"),
            BadValue::Str(ty.into()),
            "must be either Utilization, Value, or AverageValue",
        );
    }
    for key in ["value", "averageValue"] {
        if let Some(v) = t.get(key).filter(|v| !v.is_null())
            && Quantity::from_json(v).is_some_and(|q| q.sign() != 1)
        {
            e.invalid(
                &format!("{p}.{key}"),
                BadValue::Str(quantity_str(v)),
                "must be positive",
            );
        }
    }
    if let Some(u) = t.get("averageUtilization").and_then(Value::as_i64)
        && u < 1
    {
        e.invalid(
            &format!("{p}.averageUtilization"),
            BadValue::Int(u),
            "must be greater than 0",
        );
    }
}

/// `validateScalingRules` and `validateScalingPolicy`.
fn scaling_rules(e: &mut Errs, r: &Value, p: &str) {
    if let Some(w) = r.get("stabilizationWindowSeconds").and_then(Value::as_i64) {
        if w < 0 {
            e.invalid(
                &format!("{p}.stabilizationWindowSeconds"),
                BadValue::Int(w),
                "must be greater than or equal to zero",
            );
        }
        if w > 3600 {
            e.invalid(
                &format!("{p}.stabilizationWindowSeconds"),
                BadValue::Int(w),
                "must be less than or equal to 3600",
            );
        }
    }
    if let Some(sel) = r.get("selectPolicy").and_then(Value::as_str)
        && !matches!(sel, "Max" | "Min" | "Disabled")
    {
        e.unsupported(
            &format!("{p}.selectPolicy"),
            sel,
            &["Disabled", "Max", "Min"],
        );
    }
    let policies = r
        .get("policies")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if policies.is_empty() {
        e.required(&format!("{p}.policies"), "must specify at least one Policy");
    }
    for (i, pol) in policies.iter().enumerate() {
        let pp = format!("{p}.policies[{i}]");
        let ty = str_at(pol, "type");
        if !matches!(ty, "Pods" | "Percent") {
            e.unsupported(&format!("{pp}.type"), ty, &["Percent", "Pods"]);
        }
        let value = pol.get("value").and_then(Value::as_i64).unwrap_or(0);
        if value <= 0 {
            e.invalid(
                &format!("{pp}.value"),
                BadValue::Int(value),
                "must be greater than zero",
            );
        }
        let period = pol
            .get("periodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if period <= 0 {
            e.invalid(
                &format!("{pp}.periodSeconds"),
                BadValue::Int(period),
                "must be greater than zero",
            );
        }
        if period > 1800 {
            e.invalid(
                &format!("{pp}.periodSeconds"),
                BadValue::Int(period),
                "must be less than or equal to 1800",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(spec: Value) -> Vec<String> {
        let mut obj = json!({"metadata": {"name": "x", "namespace": "default"}, "spec": spec});
        defaults(&mut obj);
        let mut e = Errs::default();
        validate(&mut e, &obj, None);
        e.0.iter().map(|f| f.to_string()).collect()
    }

    fn target() -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"})
    }

    #[test]
    fn defaults_min_and_the_cpu_metric() {
        let mut obj = json!({"spec": {"scaleTargetRef": target(), "maxReplicas": 3}});
        defaults(&mut obj);
        assert_eq!(obj["spec"]["minReplicas"], 1);
        assert_eq!(
            obj["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
            80
        );
        let mut b = json!({"spec": {"maxReplicas": 3, "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}}});
        defaults(&mut b);
        assert_eq!(
            b["spec"]["behavior"],
            json!({"scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
                      {"type": "Pods", "value": 4, "periodSeconds": 15},
                      {"type": "Percent", "value": 100, "periodSeconds": 15}]},
                   "scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max", "policies": [
                      {"type": "Percent", "value": 100, "periodSeconds": 15}]}})
        );
    }

    /// validation_test.go `TestValidateHorizontalPodAutoscaler`'s error cases (v2 wording).
    #[test]
    fn rejects_what_upstream_rejects() {
        assert!(
            errors(json!({"scaleTargetRef": target(), "minReplicas": 1, "maxReplicas": 5}))
                .is_empty()
        );
        let cases: &[(Value, &str)] = &[
            (
                json!({"scaleTargetRef": {"apiVersion": "apps/v1", "name": "web"}, "maxReplicas": 5}),
                "spec.scaleTargetRef.kind: Required value",
            ),
            (
                json!({"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "..", "name": "web"}, "maxReplicas": 5}),
                "spec.scaleTargetRef.kind: Invalid value: \"..\": may not be '..'",
            ),
            (
                json!({"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment"}, "maxReplicas": 5}),
                "spec.scaleTargetRef.name: Required value",
            ),
            (
                json!({"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "a/b"}, "maxReplicas": 5}),
                "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
            ),
            (
                json!({"scaleTargetRef": {"apiVersion": "v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 5}),
                "spec.scaleTargetRef.apiVersion: Invalid value: \"v1\": must specify API group",
            ),
            (
                json!({"scaleTargetRef": target(), "minReplicas": -1, "maxReplicas": 5}),
                "spec.minReplicas: Invalid value: -1: must be greater than or equal to 1",
            ),
            (
                json!({"scaleTargetRef": target(), "minReplicas": 7, "maxReplicas": 5}),
                "spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 0}),
                "spec.maxReplicas: Invalid value: 0: must be greater than 0",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": -10}}}]}),
                "spec.metrics[0].resource.target.averageUtilization: Invalid value: -10: must be greater than 0",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"target": {"type": "Utilization", "averageUtilization": 70}}}]}),
                "spec.metrics[0].resource.name: Required value: must specify a resource name",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "AverageValue"}}}]}),
                "spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70, "averageValue": "100m"}}}]}),
                "spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "AverageValue", "averageValue": "-1"}}}]}),
                "spec.metrics[0].resource.target.averageValue: Invalid value: \"-1\": must be positive",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "metrics": [{"type": "Resource"}]}),
                "spec.metrics[0].resource: Required value: must populate information for the given metric source",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "metrics": [{"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1"}}, "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 5}}}]}),
                "spec.metrics[0].resource: Forbidden: must populate the given metric source only",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "metrics": [{"type": "Pods", "pods": {"target": {"type": "AverageValue", "averageValue": "1"}}}]}),
                "spec.metrics[0].pods.metric.name: Required value: must specify a metric name",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "metrics": [{"type": "Foo", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 5}}}]}),
                "spec.metrics[0].type: Unsupported value: \"Foo\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "behavior": {"scaleUp": {"stabilizationWindowSeconds": 3601}}}),
                "spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "behavior": {"scaleDown": {"policies": [{"type": "Pods", "value": 0, "periodSeconds": 1801}]}}}),
                "spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero",
            ),
            (
                json!({"scaleTargetRef": target(), "maxReplicas": 5, "behavior": {"scaleDown": {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 1801}]}}}),
                "spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800",
            ),
        ];
        for (spec, want) in cases {
            let got = errors(spec.clone());
            assert!(
                got.iter().any(|g| g == want),
                "{spec}: want {want}, got {got:?}"
            );
        }
        // A ReplicationController's target may name the core group.
        assert!(errors(json!({"scaleTargetRef": {"apiVersion": "v1", "kind": "ReplicationController", "name": "rc"}, "maxReplicas": 5})).is_empty());
    }
}
