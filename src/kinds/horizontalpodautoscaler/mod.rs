//! HorizontalPodAutoscaler (autoscaling/v2, the version the API server stores and kubectl
//! prefers): everything kubesim knows about the kind, in one place. Manifests in
//! autoscaling/v1 are converted as the API server converts them ([`from_v1`]):
//! `targetCPUUtilizationPercentage` becomes a cpu Utilization metric. The controller is
//! src/controllers/podautoscaler.rs.

mod describe;
mod strategy;
mod table;

use serde_json::{Value, json};

use super::{Kind, RW};

/// The kind's k8s-openapi type: what a manifest decodes into.
pub type Object = k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;

/// The kind's name as the API spells it.
pub const NAME: &str = "HorizontalPodAutoscaler";

/// The other served version, whose manifests are converted to this one.
pub const V1: &str = "autoscaling/v1";

pub static KIND: Kind = Kind {
    kind: NAME,
    group: "autoscaling",
    version: "v2",
    plural: "horizontalpodautoscalers",
    singular: "horizontalpodautoscaler",
    short_names: &["hpa"],
    namespaced: true,
    in_all: true,
    verbs: RW,
    table: table::TABLE,
    describer: describe::DESCRIBER,
    go_zero_fields: None,
    strategy: strategy::STRATEGY,
    decode: super::typed::decode_as::<Object>,
    base64_field: None,
};

/// `Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler` followed by the
/// internal-to-v2 conversion, on an object's JSON: `apiVersion` becomes autoscaling/v2,
/// `spec.targetCPUUtilizationPercentage` a Resource metric on cpu with that Utilization
/// target, `status.currentCPUUtilizationPercentage` its current metric. Fields v1 does not
/// have are left for the strict decode to report.
pub fn from_v1(obj: &mut Value) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    o.insert("apiVersion".into(), Value::from(KIND.api_version()));
    if let Some(Value::Object(spec)) = o.get_mut("spec")
        && let Some(target) = spec.remove("targetCPUUtilizationPercentage")
        && !target.is_null()
    {
        spec.insert(
            "metrics".into(),
            json!([{"type": "Resource", "resource": {"name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": target}}}]),
        );
    }
    if let Some(Value::Object(status)) = o.get_mut("status") {
        let current = status.remove("currentCPUUtilizationPercentage");
        if let Some(current) = current.filter(|c| !c.is_null()) {
            status.insert(
                "currentMetrics".into(),
                json!([{"type": "Resource", "resource": {"name": "cpu",
                        "current": {"averageUtilization": current}}}]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_target_becomes_a_cpu_metric() {
        let mut o = json!({"apiVersion": "autoscaling/v1", "kind": NAME,
            "metadata": {"name": "php-apache"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                     "minReplicas": 1, "maxReplicas": 10, "targetCPUUtilizationPercentage": 50}});
        from_v1(&mut o);
        assert_eq!(o["apiVersion"], "autoscaling/v2");
        assert_eq!(
            o["spec"]["metrics"],
            json!([{"type": "Resource", "resource": {"name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 50}}}])
        );
        assert!(o["spec"].get("targetCPUUtilizationPercentage").is_none());
        let mut bare = json!({"apiVersion": "autoscaling/v1", "kind": NAME,
            "spec": {"maxReplicas": 3}});
        from_v1(&mut bare);
        assert!(bare["spec"].get("metrics").is_none());
    }
}
