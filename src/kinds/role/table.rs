//! `kubectl get roles`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[n("NAME"), n("CREATED AT")];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// printers.go `printRole` / `printClusterRole`: the creation time as RFC 3339.
pub(crate) fn row(obj: &Value, _now: Timestamp, _wide: bool) -> Vec<String> {
    vec![name(obj), created_at(obj)]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn role() {
        let r = json!({"metadata": {"name": "pod-reader", "creationTimestamp": "2025-05-20T12:00:00Z"}});
        assert_eq!(narrow("Role", &r), ["pod-reader", "2025-05-20T12:00:00Z"]);
        assert_eq!(
            narrow("ClusterRole", &r),
            ["pod-reader", "2025-05-20T12:00:00Z"]
        );
    }
}
