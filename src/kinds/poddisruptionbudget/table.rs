//! `kubectl get poddisruptionbudgets`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("MIN AVAILABLE"),
    n("MAX UNAVAILABLE"),
    n("ALLOWED DISRUPTIONS"),
    n("AGE"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// printers.go `printPodDisruptionBudget`: an unset bound is `N/A`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let bound = |k: &str| get(obj, &["spec", k]).map_or_else(|| "N/A".to_string(), scalar);
    vec![
        name(obj),
        bound("minAvailable"),
        bound("maxUnavailable"),
        int(obj, &["status", "disruptionsAllowed"]).to_string(),
        creation_age(obj, now),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn pod_disruption_budget() {
        let pdb = json!({"metadata": {"name": "zk-pdb", "creationTimestamp": "2025-06-01T11:58:00Z"},
                         "spec": {"minAvailable": 2}, "status": {"disruptionsAllowed": 1}});
        assert_eq!(
            narrow("PodDisruptionBudget", &pdb),
            ["zk-pdb", "2", "N/A", "1", "2m"]
        );
        let pct = json!({"metadata": {"name": "p"}, "spec": {"maxUnavailable": "50%"}});
        assert_eq!(
            narrow("PodDisruptionBudget", &pct),
            ["p", "N/A", "50%", "0", "<unknown>"]
        );
    }
}
