//! `kubectl get statefulsets`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::kinds::common::table::*;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("READY"),
    n("AGE"),
    w("CONTAINERS"),
    w("IMAGES"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    stateful_set_row(obj, now)
}

fn stateful_set_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        format!(
            "{}/{}",
            int(obj, &["status", "readyReplicas"]),
            replicas(obj)
        ),
        creation_age(obj, now),
        names,
        images,
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn stateful_set() {
        let s = json!({
            "metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:50:00Z"},
            "spec": {"replicas": 3, "serviceName": "web",
                     "selector": {"matchLabels": {"app": "web"}},
                     "template": template(json!([{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}]))},
            "status": {"replicas": 2, "readyReplicas": 2}
        });
        assert_eq!(narrow("StatefulSet", &s), ["web", "2/3", "10m"]);
        assert_eq!(
            wide("StatefulSet", &s),
            [
                "web",
                "2/3",
                "10m",
                "nginx",
                "registry.k8s.io/nginx-slim:0.24"
            ]
        );
    }
}
