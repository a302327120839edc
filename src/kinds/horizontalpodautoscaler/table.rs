//! `kubectl get horizontalpodautoscalers`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("REFERENCE"),
    n("TARGETS"),
    n("MINPODS"),
    n("MAXPODS"),
    n("REPLICAS"),
    n("AGE"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// printers.go `printHorizontalPodAutoscaler`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let min = opt_int(obj, &["spec", "minReplicas"]).map_or("<unset>".into(), |m| m.to_string());
    vec![
        name(obj),
        format!(
            "{}/{}",
            string(obj, &["spec", "scaleTargetRef", "kind"]),
            string(obj, &["spec", "scaleTargetRef", "name"])
        ),
        format_metrics(
            list(obj, &["spec", "metrics"]),
            list(obj, &["status", "currentMetrics"]),
        ),
        min,
        int(obj, &["spec", "maxReplicas"]).to_string(),
        int(obj, &["status", "currentReplicas"]).to_string(),
        creation_age(obj, now),
    ]
}

/// printers.go `formatHPAMetrics` (1.33): at most two metrics, then `+ N more...`; resource
/// metrics named (`cpu: <unknown>/50%`), averages marked `(avg)`.
pub(super) fn format_metrics(specs: &[Value], statuses: &[Value]) -> String {
    if specs.is_empty() {
        return "<none>".to_string();
    }
    let q = |v: &Value, path: &[&str]| quantity(get(v, path));
    let status = |i: usize, key: &str| {
        statuses
            .get(i)
            .and_then(|s| s.get(key))
            .filter(|v| !v.is_null())
    };
    let mut list = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let unknown = || "<unknown>".to_string();
        let item = match string(spec, &["type"]) {
            "External" | "Object" => {
                let key = if string(spec, &["type"]) == "External" {
                    "external"
                } else {
                    "object"
                };
                if get(spec, &[key, "target", "averageValue"]).is_some() {
                    let current = status(i, key)
                        .filter(|s| get(s, &["current", "averageValue"]).is_some())
                        .map_or_else(unknown, |s| q(s, &["current", "averageValue"]));
                    format!(
                        "{current}/{} (avg)",
                        q(spec, &[key, "target", "averageValue"])
                    )
                } else {
                    let current =
                        status(i, key).map_or_else(unknown, |s| q(s, &["current", "value"]));
                    format!("{current}/{}", q(spec, &[key, "target", "value"]))
                }
            }
            "Pods" => {
                let current =
                    status(i, "pods").map_or_else(unknown, |s| q(s, &["current", "averageValue"]));
                format!("{current}/{}", q(spec, &["pods", "target", "averageValue"]))
            }
            t @ ("Resource" | "ContainerResource") => {
                let key = if t == "Resource" {
                    "resource"
                } else {
                    "containerResource"
                };
                let res = string(spec, &[key, "name"]);
                if get(spec, &[key, "target", "averageValue"]).is_some() {
                    let current =
                        status(i, key).map_or_else(unknown, |s| q(s, &["current", "averageValue"]));
                    format!(
                        "{res}: {current}/{}",
                        q(spec, &[key, "target", "averageValue"])
                    )
                } else {
                    let current = status(i, key)
                        .and_then(|s| opt_int(s, &["current", "averageUtilization"]))
                        .map_or_else(unknown, |u| format!("{u}%"));
                    let target = opt_int(spec, &[key, "target", "averageUtilization"])
                        .map_or("<auto>".to_string(), |u| format!("{u}%"));
                    format!("{res}: {current}/{target}")
                }
            }
            _ => "<unknown type>".to_string(),
        };
        list.push(item);
    }
    let count = list.len();
    if count > 2 {
        list.truncate(2);
        return format!("{} + {} more...", list.join(", "), count - 2);
    }
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::format_metrics;
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    fn cpu(target: i64) -> serde_json::Value {
        json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": target}}})
    }

    #[test]
    fn hpa() {
        let hpa = json!({"metadata": {"name": "php-apache", "creationTimestamp": "2025-06-01T11:58:00Z"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "php-apache"},
                     "minReplicas": 1, "maxReplicas": 10, "metrics": [cpu(50)]},
            "status": {"currentReplicas": 1, "desiredReplicas": 1}});
        assert_eq!(
            narrow("HorizontalPodAutoscaler", &hpa),
            [
                "php-apache",
                "Deployment/php-apache",
                "cpu: <unknown>/50%",
                "1",
                "10",
                "1",
                "2m"
            ]
        );
    }

    /// printers_test.go `TestPrintHPA`'s cases, in 1.33's wording.
    #[test]
    fn metrics_cells() {
        assert_eq!(format_metrics(&[], &[]), "<none>");
        let pods = json!({"type": "Pods", "pods": {"metric": {"name": "foo"}, "target": {"type": "AverageValue", "averageValue": "100m"}}});
        assert_eq!(
            format_metrics(std::slice::from_ref(&pods), &[]),
            "<unknown>/100m"
        );
        let pods_status = json!({"type": "Pods", "pods": {"metric": {"name": "foo"}, "current": {"averageValue": "50m"}}});
        assert_eq!(
            format_metrics(std::slice::from_ref(&pods), &[pods_status]),
            "50m/100m"
        );
        let ext_avg = json!({"type": "External", "external": {"metric": {"name": "q"}, "target": {"type": "AverageValue", "averageValue": "100m"}}});
        assert_eq!(format_metrics(&[ext_avg], &[]), "<unknown>/100m (avg)");
        let ext = json!({"type": "External", "external": {"metric": {"name": "q"}, "target": {"type": "Value", "value": "100m"}}});
        let ext_status = json!({"type": "External", "external": {"current": {"value": "50m"}}});
        assert_eq!(format_metrics(&[ext], &[ext_status]), "50m/100m");
        let res_value = json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "AverageValue", "averageValue": "100m"}}});
        assert_eq!(format_metrics(&[res_value], &[]), "cpu: <unknown>/100m");
        let cur = json!({"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 50, "averageValue": "10m"}}});
        assert_eq!(format_metrics(&[cpu(80)], &[cur]), "cpu: 50%/80%");
        let auto = json!({"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization"}}});
        assert_eq!(format_metrics(&[auto], &[]), "memory: <unknown>/<auto>");
        let cres = json!({"type": "ContainerResource", "containerResource": {"name": "cpu", "container": "app", "target": {"type": "Utilization", "averageUtilization": 10}}});
        assert_eq!(format_metrics(&[cres], &[]), "cpu: <unknown>/10%");
        assert_eq!(
            format_metrics(&[cpu(1), cpu(2), cpu(3), cpu(4)], &[]),
            "cpu: <unknown>/1%, cpu: <unknown>/2% + 2 more..."
        );
        assert_eq!(
            format_metrics(&[json!({"type": "Bogus"})], &[]),
            "<unknown type>"
        );
    }
}
