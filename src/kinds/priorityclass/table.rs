//! `kubectl get priorityclasses`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("VALUE"),
    n("GLOBAL-DEFAULT"),
    n("AGE"),
    n("PREEMPTIONPOLICY"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// printers.go `printPriorityClass`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(obj),
        int(obj, &["value"]).to_string(),
        opt_bool(obj, &["globalDefault"])
            .unwrap_or(false)
            .to_string(),
        creation_age(obj, now),
        string(obj, &["preemptionPolicy"]).to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn priority_class() {
        let pc = json!({"metadata": {"name": "system-node-critical",
                                     "creationTimestamp": "2025-05-31T12:00:00Z"},
                        "value": 2000001000, "preemptionPolicy": "PreemptLowerPriority"});
        assert_eq!(
            narrow("PriorityClass", &pc),
            [
                "system-node-critical",
                "2000001000",
                "false",
                "24h",
                "PreemptLowerPriority"
            ]
        );
        let bare = json!({"metadata": {"name": "low"}, "value": -5, "globalDefault": true});
        assert_eq!(
            narrow("PriorityClass", &bare),
            ["low", "-5", "true", "<unknown>", ""]
        );
    }
}
