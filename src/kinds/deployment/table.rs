//! `kubectl get deployments`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::kinds::common::table::*;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("READY"),
    n("UP-TO-DATE"),
    n("AVAILABLE"),
    n("AGE"),
    w("CONTAINERS"),
    w("IMAGES"),
    w("SELECTOR"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    deployment_row(obj, now)
}

fn deployment_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        format!(
            "{}/{}",
            int(obj, &["status", "readyReplicas"]),
            replicas(obj)
        ),
        int(obj, &["status", "updatedReplicas"]).to_string(),
        int(obj, &["status", "availableReplicas"]).to_string(),
        creation_age(obj, now),
        names,
        images,
        label_selector_string(get(obj, &["spec", "selector"])),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn deployment() {
        let d = json!({
            "metadata": {"name": "nginx", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"}},
                     "template": template(json!([{"name": "nginx", "image": "nginx:1.25"}]))},
            "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
                       "availableReplicas": 3}
        });
        assert_eq!(narrow("Deployment", &d), ["nginx", "3/3", "3", "3", "12d"]);
        assert_eq!(
            wide("Deployment", &d),
            [
                "nginx",
                "3/3",
                "3",
                "3",
                "12d",
                "nginx",
                "nginx:1.25",
                "app=nginx"
            ]
        );
        // Rolling out: new pods not ready yet.
        let rolling = json!({
            "metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:59:15Z"},
            "spec": {"replicas": 4,
                     "selector": {"matchExpressions": [
                         {"key": "tier", "operator": "In", "values": ["web", "frontend"]}]}},
            "status": {"replicas": 5, "updatedReplicas": 2, "readyReplicas": 3,
                       "availableReplicas": 3}
        });
        assert_eq!(
            wide("Deployment", &rolling),
            [
                "web",
                "3/4",
                "2",
                "3",
                "45s",
                "",
                "",
                "tier in (frontend,web)"
            ]
        );
        // Empty selector prints an empty cell, an invalid one `<invalid>`.
        let empty = json!({"metadata": {"name": "e"}, "spec": {"replicas": 1, "selector": {}}});
        assert_eq!(wide("Deployment", &empty)[7], "");
        let invalid = json!({"metadata": {"name": "i"}, "spec": {"selector": {
            "matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}}});
        assert_eq!(wide("Deployment", &invalid)[7], "<invalid>");
    }
}
