//! `kubectl get replicationcontrollers`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::kinds::replicaset::table::replicas_row;
use crate::print::cells::*;

/// The ReplicaSet's columns (printers.go defines them once for both kinds).
pub(super) const COLUMNS: &[Column] = crate::kinds::replicaset::table::COLUMNS;

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`: a ReplicaSet's
/// row, with the selector printed as the label map it is (`printReplicationController`).
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    replicas_row(obj, now, format_labels(get(obj, &["spec", "selector"])))
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn replication_controller() {
        let rc = json!({
            "metadata": {"name": "a", "creationTimestamp": "2025-06-01T08:40:00Z"},
            "spec": {"replicas": 1, "selector": {"app": "a"},
                     "template": template(json!([{"name": "a", "image": "nginx:1.25"}]))},
            "status": {"replicas": 1, "readyReplicas": 1}
        });
        assert_eq!(
            narrow("ReplicationController", &rc),
            ["a", "1", "1", "1", "3h20m"]
        );
        assert_eq!(
            wide("ReplicationController", &rc),
            ["a", "1", "1", "1", "3h20m", "a", "nginx:1.25", "app=a"]
        );
    }
}
