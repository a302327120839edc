//! `kubectl get networkpolicies`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[n("NAME"), n("POD-SELECTOR"), n("AGE")];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// printers.go `printNetworkPolicy`: `metav1.FormatLabelSelector` of the pod selector.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![
        name(obj),
        format_label_selector(get(obj, &["spec", "podSelector"])),
        creation_age(obj, now),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn network_policy() {
        let np = json!({"metadata": {"name": "access-nginx", "creationTimestamp": "2025-06-01T11:58:00Z"},
                        "spec": {"podSelector": {"matchLabels": {"app": "nginx"}}}});
        assert_eq!(
            narrow("NetworkPolicy", &np),
            ["access-nginx", "app=nginx", "2m"]
        );
        let all = json!({"metadata": {"name": "deny"}, "spec": {"podSelector": {}}});
        assert_eq!(narrow("NetworkPolicy", &all)[1], "<none>");
    }
}
