//! `kubectl get replicasets`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::kinds::common::table::*;
use crate::print::cells::*;

pub(crate) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("DESIRED"),
    n("CURRENT"),
    n("READY"),
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
    replicas_row(
        obj,
        now,
        format_label_selector(get(obj, &["spec", "selector"])),
    )
}

/// The row of a replica set of either kind, given its SELECTOR cell.
pub(crate) fn replicas_row(obj: &Value, now: Timestamp, selector: String) -> Vec<String> {
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        replicas(obj).to_string(),
        int(obj, &["status", "replicas"]).to_string(),
        int(obj, &["status", "readyReplicas"]).to_string(),
        creation_age(obj, now),
        names,
        images,
        selector,
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn replica_set() {
        let rs = json!({
            "metadata": {"name": "nginx-7854ff8877", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"replicas": 3,
                     "selector": {"matchLabels": {"pod-template-hash": "7854ff8877", "app": "nginx"}},
                     "template": template(json!([
                         {"name": "nginx", "image": "nginx:1.25"},
                         {"name": "sidecar", "image": "busybox:1.36"}]))},
            "status": {"replicas": 3, "readyReplicas": 2, "availableReplicas": 2}
        });
        assert_eq!(
            wide("ReplicaSet", &rs),
            [
                "nginx-7854ff8877",
                "3",
                "3",
                "2",
                "12d",
                "nginx,sidecar",
                "nginx:1.25,busybox:1.36",
                "app=nginx,pod-template-hash=7854ff8877"
            ]
        );
        let scaled_down =
            json!({"metadata": {"name": "old"}, "spec": {"replicas": 0}, "status": {}});
        assert_eq!(
            narrow("ReplicaSet", &scaled_down),
            ["old", "0", "0", "0", "<unknown>"]
        );
    }
}
