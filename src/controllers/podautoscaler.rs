//! The horizontal pod autoscaler (pkg/controller/podautoscaler/horizontal.go, 1.33) as it runs
//! on a kind cluster, which has no metrics-server: each HPA is reconciled when it changes and
//! on the controller's 15 s resync. It reads its target's scale (a Deployment, ReplicaSet,
//! StatefulSet or ReplicationController: `spec.replicas`), enforces `minReplicas` and
//! `maxReplicas` (`SuccessfulRescale`, `Current number of replicas below Spec.MinReplicas`),
//! and otherwise asks the metrics APIs, which are not served: every metric fails
//! (`FailedGetResourceMetric`, `FailedComputeMetricsReplicas`, ScalingActive False), so the
//! target keeps its size. A missing target is `FailedGetScale`. Status, conditions and
//! events are horizontal.go's, word for word; [`plan`] is the pure reconcile, the
//! [`Controller`] impl its glue. The resync is a lazy timer: a late one counts the periods
//! it missed into its events, as the volume binder's does.

use super::{Controller, split_key};
use crate::api::errors::ApiError;
use crate::api::{Api, Change, Involved, Op, fmt_time, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds::{self, Kind};
use crate::util::fields::Fields;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value, json};

const COMPONENT: &str = "horizontal-pod-autoscaler";
/// `--horizontal-pod-autoscaler-sync-period`.
pub const RESYNC_SECS: i64 = 15;
const RESYNC_KEY: &str = "resync:";
const ENQUEUE_KEY: &str = "enqueue:";
/// `scaleUpLimitFactor` and `scaleUpLimitMinimum`.
const SCALE_UP_LIMIT_FACTOR: f64 = 2.0;
const SCALE_UP_LIMIT_MINIMUM: f64 = 4.0;

/// What the resource metrics API answers on a cluster without metrics-server.
const NO_RESOURCE_METRICS: &str = "unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";
const NO_CUSTOM_METRICS: &str = "unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered";
const NO_EXTERNAL_METRICS: &str = "unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered";

/// The target's scale subresource, as the controller reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub spec_replicas: i64,
}

/// An event the reconcile records: type, reason, message.
pub type Event = (&'static str, &'static str, String);

/// What one reconcile decides.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// The HPA's new status (written when it differs).
    pub status: Value,
    /// The target's new `spec.replicas`.
    pub rescale: Option<i64>,
    pub events: Vec<Event>,
}

/// `calculateScaleUpLimit`.
pub fn scale_up_limit(current: i64) -> i64 {
    (SCALE_UP_LIMIT_FACTOR * current as f64).max(SCALE_UP_LIMIT_MINIMUM) as i64
}

/// `convertDesiredReplicasWithRules`: the desired count clamped to `[min, min(max, scale-up
/// limit)]`, with the ScalingLimited reason and message.
pub fn convert_desired_replicas_with_rules(
    current: i64,
    desired: i64,
    min: i64,
    max: i64,
) -> (i64, &'static str, &'static str) {
    let scale_up = scale_up_limit(current);
    let (maximum, mut reason, mut message) = if max > scale_up {
        (
            scale_up,
            "ScaleUpLimit",
            "the desired replica count is increasing faster than the maximum scale rate",
        )
    } else {
        (
            max,
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count",
        )
    };
    if desired < min {
        reason = "TooFewReplicas";
        message = "the desired replica count is less than the minimum replica count";
        return (min, reason, message);
    }
    if desired > maximum {
        return (maximum, reason, message);
    }
    (
        desired,
        "DesiredWithinRange",
        "the desired count is within the acceptable range",
    )
}

/// `setConditionInList`: replaces the condition of that type (a new transition time only
/// when its status changes) or appends it.
fn set_condition(
    conds: &mut Vec<Value>,
    ty: &str,
    status: &str,
    reason: &str,
    msg: &str,
    now: Timestamp,
) {
    let i = match conds
        .iter()
        .position(|c| c.get("type").and_then(Value::as_str) == Some(ty))
    {
        Some(i) => i,
        None => {
            conds.push(json!({"type": ty}));
            conds.len() - 1
        }
    };
    let Some(c) = conds[i].as_object_mut() else {
        return;
    };
    if c.get("status").and_then(Value::as_str) != Some(status) {
        c.insert("lastTransitionTime".into(), json!(fmt_time(now)));
    }
    c.insert("status".into(), json!(status));
    c.insert("reason".into(), json!(reason));
    c.insert("message".into(), json!(msg));
}

/// Why one metric cannot be computed without the metrics APIs: the condition's reason, the
/// event's message (the condition's is `the HPA was unable to compute the replica count: `
/// and it), and the error `computeReplicasForMetric` returns.
fn metric_failure(m: &Value, ns: &str) -> (&'static str, String, String) {
    let s = |p: &str| m.pointer(p).and_then(Value::as_str).unwrap_or("");
    let has = |p: &str| m.pointer(p).is_some_and(|v| !v.is_null());
    match s("/type") {
        t @ ("Resource" | "ContainerResource") => {
            let key = if t == "Resource" {
                "resource"
            } else {
                "containerResource"
            };
            let res = s(&format!("/{key}/name"));
            let inner = if has(&format!("/{key}/target/averageValue")) {
                format!(
                    "failed to get {res} usage: unable to get metrics for resource {res}: {NO_RESOURCE_METRICS}"
                )
            } else if has(&format!("/{key}/target/averageUtilization")) {
                format!(
                    "failed to get {res} utilization: unable to get metrics for resource {res}: {NO_RESOURCE_METRICS}"
                )
            } else {
                "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set".to_string()
            };
            if t == "Resource" {
                let outer = format!("failed to get {res} resource metric value: {inner}");
                ("FailedGetResourceMetric", inner, outer)
            } else {
                let outer = format!("failed to get {res} container metric value: {inner}");
                ("FailedGetContainerResourceMetric", inner, outer)
            }
        }
        "Pods" => {
            let inner = format!(
                "unable to get metric {}: {NO_CUSTOM_METRICS}",
                s("/pods/metric/name")
            );
            let outer = format!("failed to get pods metric value: {inner}");
            ("FailedGetPodsMetric", inner, outer)
        }
        "Object" => {
            let inner = format!(
                "unable to get metric {}: {} on {ns} {}/{NO_CUSTOM_METRICS}",
                s("/object/metric/name"),
                s("/object/describedObject/kind"),
                s("/object/describedObject/name")
            );
            let outer = format!("failed to get object metric value: {inner}");
            ("FailedGetObjectMetric", inner, outer)
        }
        "External" => {
            let inner = format!(
                "unable to get external metric {ns}/{}: {NO_EXTERNAL_METRICS}",
                s("/external/metric/name")
            );
            let outer = format!("failed to get external metric value: {inner}");
            ("FailedGetExternalMetric", inner, outer)
        }
        other => {
            let inner = format!(
                "unknown metric source type {}",
                crate::util::go_quote(other)
            );
            ("InvalidMetricSourceType", inner.clone(), inner)
        }
    }
}

/// The status `setStatus` writes.
fn status_of(
    old: &Value,
    conds: Vec<Value>,
    current: i64,
    desired: i64,
    metrics: Value,
    scaled_at: Option<Timestamp>,
) -> Value {
    let mut st = Map::new();
    if !conds.is_empty() {
        st.insert("conditions".into(), Value::Array(conds));
    }
    st.insert("currentMetrics".into(), metrics);
    if current != 0 {
        st.insert("currentReplicas".into(), json!(current));
    }
    st.insert("desiredReplicas".into(), json!(desired));
    match scaled_at {
        Some(t) => {
            st.insert("lastScaleTime".into(), json!(fmt_time(t)));
        }
        None => {
            if let Some(t) = old
                .pointer("/status/lastScaleTime")
                .filter(|t| !t.is_null())
            {
                st.insert("lastScaleTime".into(), t.clone());
            }
        }
    }
    Value::Object(st)
}

/// `reconcileAutoscaler` on a cluster without metrics APIs: `scale` is the target's scale or
/// why it could not be read (`FailedGetScale`).
pub fn plan(hpa: &Value, scale: Result<Scale, String>, now: Timestamp) -> Plan {
    let i = |p: &str| hpa.pointer(p).and_then(Value::as_i64);
    let mut conds: Vec<Value> = hpa
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let old_current = i("/status/currentReplicas").unwrap_or(0);
    let old_desired = i("/status/desiredReplicas").unwrap_or(0);
    let old_metrics = hpa
        .pointer("/status/currentMetrics")
        .cloned()
        .unwrap_or(Value::Null);
    let mut events = Vec::new();
    let scale = match scale {
        Ok(s) => s,
        Err(e) => {
            events.push(("Warning", "FailedGetScale", e.clone()));
            let msg =
                format!("the HPA controller was unable to get the target's current scale: {e}");
            set_condition(
                &mut conds,
                "AbleToScale",
                "False",
                "FailedGetScale",
                &msg,
                now,
            );
            let status = status_of(hpa, conds, old_current, old_desired, old_metrics, None);
            return Plan {
                status,
                rescale: None,
                events,
            };
        }
    };
    set_condition(
        &mut conds,
        "AbleToScale",
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale",
        now,
    );
    let current = scale.spec_replicas;
    let min = i("/spec/minReplicas").unwrap_or(1);
    let max = i("/spec/maxReplicas").unwrap_or(0);
    let (desired, reason) = if current == 0 && min != 0 {
        set_condition(
            &mut conds,
            "ScalingActive",
            "False",
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero",
            now,
        );
        (0, None)
    } else if current > max {
        (
            max,
            Some("Current number of replicas above Spec.MaxReplicas"),
        )
    } else if current < min {
        (
            min,
            Some("Current number of replicas below Spec.MinReplicas"),
        )
    } else {
        // `computeReplicasForMetrics`: every metric fails, so nothing scales.
        let ns = hpa
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("");
        let specs = hpa
            .pointer("/spec/metrics")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let mut first = None;
        for m in specs {
            let (why, inner, outer) = metric_failure(m, ns);
            events.push(("Warning", why, inner.clone()));
            first.get_or_insert((why, inner, outer));
        }
        let statuses = Value::Array(specs.iter().map(|_| json!({"type": ""})).collect());
        if let Some((why, inner, outer)) = first {
            let msg = format!("the HPA was unable to compute the replica count: {inner}");
            set_condition(&mut conds, "ScalingActive", "False", why, &msg, now);
            events.push((
                "Warning",
                "FailedComputeMetricsReplicas",
                format!(
                    "invalid metrics ({} invalid out of {}), first error is: {outer}",
                    specs.len(),
                    specs.len()
                ),
            ));
            let status = status_of(hpa, conds, current, old_desired, statuses, None);
            return Plan {
                status,
                rescale: None,
                events,
            };
        }
        // No metrics at all (the API server defaults one, so only a hand-made state gets
        // here): `normalizeDesiredReplicas` of 0.
        let (d, r, m) = convert_desired_replicas_with_rules(current, 0, min, max);
        set_condition(
            &mut conds,
            "ScalingLimited",
            if d == 0 { "False" } else { "True" },
            r,
            m,
            now,
        );
        (d, (d != current).then_some("All metrics below target"))
    };
    let rescale = reason.is_some() && desired != current;
    if let (true, Some(reason)) = (rescale, reason) {
        let msg = format!("the HPA controller was able to update the target scale to {desired}");
        set_condition(
            &mut conds,
            "AbleToScale",
            "True",
            "SucceededRescale",
            &msg,
            now,
        );
        events.push((
            "Normal",
            "SuccessfulRescale",
            format!("New size: {desired}; reason: {reason}"),
        ));
    }
    let desired = if rescale { desired } else { current };
    let status = status_of(
        hpa,
        conds,
        current,
        desired,
        Value::Null,
        rescale.then_some(now),
    );
    Plan {
        status,
        rescale: rescale.then_some(desired),
        events,
    }
}

/// The kinds a scale target may be (those with a `scale` subresource).
fn scalable() -> [&'static Kind; 4] {
    [
        &kinds::deployment::KIND,
        &kinds::replicaset::KIND,
        &kinds::statefulset::KIND,
        &kinds::replicationcontroller::KIND,
    ]
}

/// The target's kind from `scaleTargetRef` (`schema.ParseGroupVersion`, the REST mapper), or
/// the controller's error.
fn target_kind(r: &Value) -> Result<&'static Kind, String> {
    let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
    let api_version = s("apiVersion");
    let group = match api_version.matches('/').count() {
        0 => "",
        1 => api_version.split_once('/').map_or("", |(g, _)| g),
        _ => return Err(format!("unexpected GroupVersion string: {api_version}")),
    };
    let kind = kinds::KINDS
        .iter()
        .copied()
        .find(|k| k.group == group && k.kind == s("kind"))
        .ok_or_else(|| {
            format!(
                "no matches for kind {} in group {}",
                crate::util::go_quote(s("kind")),
                crate::util::go_quote(group)
            )
        })?;
    if !scalable().contains(&kind) {
        return Err("the server could not find the requested resource".to_string());
    }
    Ok(kind)
}

pub struct HorizontalController;

impl HorizontalController {
    fn read_scale(api: &mut Api, ns: &str, r: &Value) -> Result<(&'static Kind, Scale), String> {
        let kind = target_kind(r)?;
        let name = r.get("name").and_then(Value::as_str).unwrap_or("");
        match api.try_get_ref(kind, ns, name) {
            Ok(Some(t)) => Ok((
                kind,
                Scale {
                    spec_replicas: t
                        .pointer("/spec/replicas")
                        .and_then(Value::as_i64)
                        .unwrap_or(1),
                },
            )),
            Ok(None) => {
                Err(crate::api::errors::ApiError::not_found(&kind.resource(), name).message)
            }
            Err(e) => Err(e.message),
        }
    }
}

impl Controller for HorizontalController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        // `enqueueHPA`: a new or changed HPA is queued with the rate limiter's fixed 15 s
        // delay (its own status writes are not looked at).
        if change.info == &kinds::horizontalpodautoscaler::KIND
            && change.op != Op::Deleted
            && !(change.verb == "status" && change.actor == COMPONENT)
        {
            keys.push(format!(
                "{ENQUEUE_KEY}{}/{}",
                namespace_of(&change.object),
                name_of(&change.object)
            ));
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        if let Some(k) = key.strip_prefix(ENQUEUE_KEY) {
            // Patient: settling does not wait the 15 s (a new HPA shows no status at first).
            return Ok(SyncResult {
                wake: vec![(
                    format!("{RESYNC_KEY}{k}"),
                    SignedDuration::from_secs(RESYNC_SECS),
                    false,
                )],
                ..Default::default()
            });
        }
        let Some(rest) = key.strip_prefix(RESYNC_KEY) else {
            return Ok(SyncResult::default());
        };
        let (ns, name) = split_key(rest);
        let info = &kinds::horizontalpodautoscaler::KIND;
        let Some(hpa) = api.try_get_ref(info, ns, name)?.cloned() else {
            return Ok(SyncResult::default());
        };
        if hpa.pointer("/metadata/deletionTimestamp").is_some() {
            return Ok(SyncResult::default());
        }
        let now = api.now();
        let target = hpa
            .pointer("/spec/scaleTargetRef")
            .cloned()
            .unwrap_or(Value::Null);
        let read = Self::read_scale(api, ns, &target);
        let p = plan(
            &hpa,
            read.as_ref().map(|(_, s)| *s).map_err(Clone::clone),
            now,
        );
        if let (Some(n), Ok((kind, _))) = (p.rescale, &read) {
            let tname = target.get("name").and_then(Value::as_str).unwrap_or("");
            let mut obj = api.get(kind, ns, tname)?;
            obj.set("/spec/replicas", json!(n))?;
            api.update(kind, ns, obj)?;
        }
        let involved = Involved::of(&hpa);
        let steady = hpa.pointer("/status/conditions") == p.status.get("conditions");
        for (ty, reason, msg) in &p.events {
            // A resync that ran late counts the periods it missed, when it found what the
            // previous one found (the same conditions: the events repeat).
            let last = steady
                .then(|| api.last_event_time(ns, name, involved.uid(), reason))
                .flatten();
            match last {
                Some((t, _)) => {
                    let missed = t.duration_until(now).as_secs() / RESYNC_SECS;
                    if missed > 0 {
                        let at = t + SignedDuration::from_secs(missed * RESYNC_SECS);
                        api.record_event_times(
                            at, &involved, ty, reason, msg, COMPONENT, None, missed,
                        );
                    }
                }
                None => api.record_event_for(&involved, ty, reason, msg, COMPONENT, None),
            }
        }
        if hpa.get("status") != Some(&p.status) {
            let mut updated = hpa.clone();
            if let Some(o) = updated.as_object_mut() {
                o.insert("status".into(), p.status);
            }
            api.update_status(info, ns, updated)?;
        }
        Ok(SyncResult {
            lazy: vec![(
                format!("{RESYNC_KEY}{ns}/{name}"),
                SignedDuration::from_secs(RESYNC_SECS),
            )],
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-01-01T00:00:10Z".parse().unwrap()
    }

    fn hpa(min: i64, max: i64) -> Value {
        json!({"metadata": {"name": "php-apache", "namespace": "default"},
               "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                        "minReplicas": min, "maxReplicas": max,
                        "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                                     "target": {"type": "Utilization", "averageUtilization": 50}}}]},
               "status": {"currentMetrics": null, "desiredReplicas": 0}})
    }

    /// horizontal_test.go `TestConvertDesiredReplicasWithRules`.
    #[test]
    fn desired_replicas_are_clamped_as_upstream() {
        let cases = [
            // current, desired, min, max → result, reason
            (5, 7, 3, 8, 7, "DesiredWithinRange"),
            (3, 1, 2, 8, 2, "TooFewReplicas"),
            (1, 8, 2, 20, 4, "ScaleUpLimit"),
            (3, 12, 2, 20, 6, "ScaleUpLimit"),
            (1, 10, 2, 3, 3, "TooManyReplicas"),
            (8, 20, 2, 12, 12, "TooManyReplicas"),
            (0, 5, 0, 10, 4, "ScaleUpLimit"),
        ];
        for (current, desired, min, max, want, reason) in cases {
            let (got, r, _) = convert_desired_replicas_with_rules(current, desired, min, max);
            assert_eq!((got, r), (want, reason), "{current} {desired} {min} {max}");
        }
        assert_eq!(scale_up_limit(1), 4);
        assert_eq!(scale_up_limit(3), 6);
    }

    #[test]
    fn without_metrics_server_nothing_scales() {
        let p = plan(&hpa(1, 10), Ok(Scale { spec_replicas: 1 }), now());
        assert_eq!(p.rescale, None);
        let cpu = "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";
        assert_eq!(
            p.events,
            vec![
                ("Warning", "FailedGetResourceMetric", cpu.to_string()),
                (
                    "Warning",
                    "FailedComputeMetricsReplicas",
                    format!(
                        "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: {cpu}"
                    )
                ),
            ]
        );
        assert_eq!(p.status["currentReplicas"], 1);
        assert_eq!(p.status["desiredReplicas"], 0);
        assert_eq!(p.status["currentMetrics"], json!([{"type": ""}]));
        let conds = p.status["conditions"].as_array().unwrap();
        assert_eq!(conds[0]["reason"], "SucceededGetScale");
        assert_eq!(conds[1]["type"], "ScalingActive");
        assert_eq!(conds[1]["status"], "False");
        assert_eq!(
            conds[1]["message"],
            format!("the HPA was unable to compute the replica count: {cpu}")
        );
        // The next resync changes nothing (the transition times stay).
        let mut again = hpa(1, 10);
        again.set("/status", p.status.clone()).unwrap();
        let later: Timestamp = "2026-01-01T00:00:25Z".parse().unwrap();
        assert_eq!(
            plan(&again, Ok(Scale { spec_replicas: 1 }), later).status,
            p.status
        );
    }

    #[test]
    fn min_and_max_are_enforced() {
        let up = plan(&hpa(2, 10), Ok(Scale { spec_replicas: 1 }), now());
        assert_eq!(up.rescale, Some(2));
        assert_eq!(
            up.events,
            vec![(
                "Normal",
                "SuccessfulRescale",
                "New size: 2; reason: Current number of replicas below Spec.MinReplicas"
                    .to_string()
            )]
        );
        assert_eq!(up.status["conditions"][0]["reason"], "SucceededRescale");
        assert_eq!(
            up.status["conditions"][0]["message"],
            "the HPA controller was able to update the target scale to 2"
        );
        assert_eq!(
            (
                up.status["currentReplicas"].clone(),
                up.status["desiredReplicas"].clone()
            ),
            (json!(1), json!(2))
        );
        assert_eq!(up.status["lastScaleTime"], "2026-01-01T00:00:10Z");
        let down = plan(&hpa(1, 3), Ok(Scale { spec_replicas: 5 }), now());
        assert_eq!(down.rescale, Some(3));
        assert_eq!(
            down.events[0].2,
            "New size: 3; reason: Current number of replicas above Spec.MaxReplicas"
        );
        // A target scaled to zero disables autoscaling.
        let zero = plan(&hpa(1, 3), Ok(Scale { spec_replicas: 0 }), now());
        assert_eq!(zero.rescale, None);
        assert_eq!(zero.status["conditions"][1]["reason"], "ScalingDisabled");
    }

    #[test]
    fn a_missing_target_is_failed_get_scale() {
        let p = plan(
            &hpa(1, 10),
            Err("deployments.apps \"php-apache\" not found".into()),
            now(),
        );
        assert_eq!(
            p.events,
            vec![(
                "Warning",
                "FailedGetScale",
                "deployments.apps \"php-apache\" not found".to_string()
            )]
        );
        assert_eq!(
            p.status["conditions"][0]["message"],
            "the HPA controller was unable to get the target's current scale: deployments.apps \"php-apache\" not found"
        );
        assert_eq!(
            target_kind(&json!({"apiVersion": "apps/v1", "kind": "Gizmo"})).unwrap_err(),
            "no matches for kind \"Gizmo\" in group \"apps\""
        );
        assert_eq!(
            target_kind(&json!({"apiVersion": "a/b/c", "kind": "Deployment"})).unwrap_err(),
            "unexpected GroupVersion string: a/b/c"
        );
        assert!(target_kind(&json!({"apiVersion": "v1", "kind": "ReplicationController"})).is_ok());
    }
}
