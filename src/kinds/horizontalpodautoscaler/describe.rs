//! `kubectl describe` for HorizontalPodAutoscaler: describe.go's
//! `describeHorizontalPodAutoscalerV2` (kubectl reads the v2 object first).

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::describe::*;
use crate::util::go_quote;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_hpa(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

fn q(v: &Value, path: &[&str]) -> String {
    quantity_string(get(v, path))
}

fn describe_hpa(w: &mut Pw, hpa: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(hpa, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(hpa, &["metadata", "namespace"])),
    );
    labels_multiline(w, "Labels", get(hpa, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(hpa, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_at(hpa, &["metadata", "creationTimestamp"])
        ),
    );
    let kind = s(hpa, &["spec", "scaleTargetRef", "kind"]);
    w.w(
        0,
        &format!(
            "Reference:\t{kind}/{}\n",
            s(hpa, &["spec", "scaleTargetRef", "name"])
        ),
    );
    w.w(0, "Metrics:\t( current / target )\n");
    let statuses = arr(hpa, &["status", "currentMetrics"]);
    for (i, metric) in arr(hpa, &["spec", "metrics"]).iter().enumerate() {
        metric_line(w, metric, statuses.get(i));
    }
    let min = opt_i(hpa, &["spec", "minReplicas"]).map_or("<unset>".into(), |m| m.to_string());
    w.w(0, &format!("Min replicas:\t{min}\n"));
    w.w(
        0,
        &format!("Max replicas:\t{}\n", i(hpa, &["spec", "maxReplicas"])),
    );
    if let Some(b) = get(hpa, &["spec", "behavior"]).filter(|b| !b.is_null()) {
        w.w(0, "Behavior:\n");
        direction_behavior(w, "Scale Up", get(b, &["scaleUp"]));
        direction_behavior(w, "Scale Down", get(b, &["scaleDown"]));
    }
    w.w(0, &format!("{kind} pods:\t"));
    w.w(
        0,
        &format!(
            "{} current / {} desired\n",
            i(hpa, &["status", "currentReplicas"]),
            i(hpa, &["status", "desiredReplicas"])
        ),
    );
    let conditions = arr(hpa, &["status", "conditions"]);
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tReason\tMessage\n");
        w.w(1, "----\t------\t------\t-------\n");
        for c in conditions {
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    describe_events(w, ctx.events, ctx.now);
}

/// One metric of the `Metrics:` section, with its current value from the status at its index.
fn metric_line(w: &mut Pw, m: &Value, status: Option<&Value>) {
    let unknown = || "<unknown>".to_string();
    let st = |key: &str| status.and_then(|s| s.get(key)).filter(|v| !v.is_null());
    match s(m, &["type"]) {
        "External" => {
            let name = s(m, &["external", "metric", "name"]);
            if get(m, &["external", "target", "averageValue"]).is_some() {
                let current = st("external")
                    .filter(|e| get(e, &["current", "averageValue"]).is_some())
                    .map_or_else(unknown, |e| q(e, &["current", "averageValue"]));
                w.w(
                    1,
                    &format!(
                        "{} (target average value):\t{current} / {}\n",
                        go_quote(name),
                        q(m, &["external", "target", "averageValue"])
                    ),
                );
            } else {
                let current = st("external").map_or_else(unknown, |e| q(e, &["current", "value"]));
                w.w(
                    1,
                    &format!(
                        "{} (target value):\t{current} / {}\n",
                        go_quote(name),
                        q(m, &["external", "target", "value"])
                    ),
                );
            }
        }
        "Pods" => {
            let current = st("pods").map_or_else(unknown, |p| q(p, &["current", "averageValue"]));
            w.w(
                1,
                &format!(
                    "{} on pods:\t{current} / {}\n",
                    go_quote(s(m, &["pods", "metric", "name"])),
                    q(m, &["pods", "target", "averageValue"])
                ),
            );
        }
        "Object" => {
            w.w(
                1,
                &format!(
                    "\"{}\" on {}/{} ",
                    s(m, &["object", "metric", "name"]),
                    s(m, &["object", "describedObject", "kind"]),
                    s(m, &["object", "describedObject", "name"])
                ),
            );
            if s(m, &["object", "target", "type"]) == "AverageValue" {
                let current =
                    st("object").map_or_else(unknown, |o| q(o, &["current", "averageValue"]));
                w.w(
                    0,
                    &format!(
                        "(target average value):\t{current} / {}\n",
                        q(m, &["object", "target", "averageValue"])
                    ),
                );
            } else {
                let current = st("object").map_or_else(unknown, |o| q(o, &["current", "value"]));
                w.w(
                    0,
                    &format!(
                        "(target value):\t{current} / {}\n",
                        q(m, &["object", "target", "value"])
                    ),
                );
            }
        }
        t @ ("Resource" | "ContainerResource") => {
            let key = if t == "Resource" {
                "resource"
            } else {
                "containerResource"
            };
            let res = s(m, &[key, "name"]);
            if t == "Resource" {
                w.w(1, &format!("resource {res} on pods"));
            } else {
                w.w(
                    1,
                    &format!(
                        "resource {res} of container \"{}\" on pods",
                        s(m, &[key, "container"])
                    ),
                );
            }
            if get(m, &[key, "target", "averageValue"]).is_some() {
                let current = st(key).map_or_else(unknown, |r| q(r, &["current", "averageValue"]));
                w.w(
                    0,
                    &format!(
                        ":\t{current} / {}\n",
                        q(m, &[key, "target", "averageValue"])
                    ),
                );
            } else {
                let current = st(key)
                    .and_then(|r| {
                        opt_i(r, &["current", "averageUtilization"])
                            .map(|u| format!("{u}% ({})", q(r, &["current", "averageValue"])))
                    })
                    .unwrap_or_else(unknown);
                let target = opt_i(m, &[key, "target", "averageUtilization"])
                    .map_or("<auto>".to_string(), |u| format!("{u}%"));
                w.w(
                    1,
                    &format!("(as a percentage of request):\t{current} / {target}\n"),
                );
            }
        }
        other => w.w(1, &format!("<unknown metric type {}>\n", go_quote(other))),
    }
}

/// describe.go `printDirectionBehavior`.
fn direction_behavior(w: &mut Pw, direction: &str, rules: Option<&Value>) {
    let Some(rules) = rules.filter(|r| !r.is_null()) else {
        return;
    };
    w.w(1, &format!("{direction}:\n"));
    if let Some(win) = opt_i(rules, &["stabilizationWindowSeconds"]) {
        w.w(2, &format!("Stabilization Window: {win} seconds\n"));
    }
    let policies = arr(rules, &["policies"]);
    if !policies.is_empty() {
        let select = opt_s(rules, &["selectPolicy"]).unwrap_or("Max");
        w.w(2, &format!("Select Policy: {select}\n"));
        w.w(2, "Policies:\n");
        for p in policies {
            w.w(
                3,
                &format!(
                    "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                    s(p, &["type"]),
                    i(p, &["value"]),
                    i(p, &["periodSeconds"])
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::common::describe::testing::ctx;
    use serde_json::json;

    /// The docs' walkthrough on a cluster without metrics-server (kind).
    #[test]
    fn describes_an_hpa_without_metrics() {
        let hpa = json!({"metadata": {"name": "php-apache", "namespace": "default",
                                      "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                     "minReplicas": 1, "maxReplicas": 10,
                     "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]},
            "status": {"currentReplicas": 1, "desiredReplicas": 0,
                       "conditions": [{"type": "AbleToScale", "status": "True", "reason": "SucceededGetScale", "message": "the HPA controller was able to get the target's current scale"}]}});
        assert_eq!(
            (DESCRIBER.print)(&hpa, &ctx(&[], &[])),
            "Name:                                                  php-apache
Namespace:                                             default
Labels:                                                <none>
Annotations:                                           <none>
CreationTimestamp:                                     Thu, 01 Jan 2026 00:00:00 +0000
Reference:                                             Deployment/php-apache
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  <unknown> / 50%
Min replicas:                                          1
Max replicas:                                          10
Deployment pods:                                       1 current / 0 desired
Conditions:
  Type         Status  Reason             Message
  ----         ------  ------             -------
  AbleToScale  True    SucceededGetScale  the HPA controller was able to get the target's current scale
Events:        <none>
"
        );
    }

    #[test]
    fn describes_behavior_and_values() {
        let hpa = json!({"metadata": {"name": "h", "namespace": "default"},
            "spec": {"scaleTargetRef": {"kind": "StatefulSet", "name": "web"}, "maxReplicas": 3,
                     "metrics": [{"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}}},
                                 {"type": "Pods", "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1k"}}}],
                     "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300, "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}}},
            "status": {"currentMetrics": [{"type": "Resource", "resource": {"name": "memory", "current": {"averageValue": "50Mi"}}}]}});
        let out = (DESCRIBER.print)(&hpa, &ctx(&[], &[]));
        assert!(
            out.contains("  resource memory on pods:  50Mi / 100Mi\n"),
            "{out}"
        );
        assert!(
            out.contains("  \"qps\" on pods:            <unknown> / 1k\n"),
            "{out}"
        );
        assert!(
            out.contains("Min replicas:               <unset>\n"),
            "{out}"
        );
        assert!(
            out.contains("Behavior:\n  Scale Down:\n    Stabilization Window: 300 seconds\n    Select Policy: Max\n    Policies:\n      - Type: Percent  Value: 100  Period: 15 seconds\n"),
            "{out}"
        );
        assert!(
            out.contains("StatefulSet pods:      0 current / 0 desired\n"),
            "{out}"
        );
    }
}
