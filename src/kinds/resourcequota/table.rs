//! `kubectl get resourcequotas`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[n("NAME"), n("REQUEST"), n("LIMIT"), n("AGE")];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    resource_quota_row(obj, now)
}

fn resource_quota_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let mut request = Vec::new();
    let mut limit = Vec::new();
    if let Some(Value::Object(hard)) = get(obj, &["status", "hard"]) {
        // serde_json maps are sorted by key, like SortableResourceNames.
        let mut names: Vec<&String> = hard.keys().collect();
        names.sort();
        for resource in names {
            let used = quantity(get(obj, &["status", "used", resource.as_str()]));
            let entry = format!("{resource}: {used}/{}", quantity(hard.get(resource)));
            let mut pieces = resource.split('.');
            let is_limit = pieces.next() == Some("limits") && pieces.next().is_some();
            if is_limit {
                limit.push(entry);
            } else {
                request.push(entry);
            }
        }
    }
    vec![
        name(obj),
        request.join(", "),
        limit.join(", "),
        creation_age(obj, now),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn resource_quota() {
        let q = json!({
            "metadata": {"name": "compute", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"hard": {}},
            "status": {
                "hard": {"pods": "4", "requests.cpu": "1", "requests.memory": "1Gi",
                         "limits.cpu": "2", "limits.memory": "2Gi", "configmaps": "10"},
                "used": {"pods": "2", "requests.cpu": "500m", "requests.memory": "128Mi",
                         "limits.cpu": "1", "limits.memory": "256Mi", "configmaps": "1"}
            }
        });
        assert_eq!(
            narrow("ResourceQuota", &q),
            [
                "compute",
                "configmaps: 1/10, pods: 2/4, requests.cpu: 500m/1, requests.memory: 128Mi/1Gi",
                "limits.cpu: 1/2, limits.memory: 256Mi/2Gi",
                "5m12s"
            ]
        );
        // Not yet reconciled: nothing in status; unused resources count as 0.
        let fresh = json!({"metadata": {"name": "q"}, "spec": {"hard": {"pods": "4"}}});
        assert_eq!(narrow("ResourceQuota", &fresh), ["q", "", "", "<unknown>"]);
        let partial = json!({"metadata": {"name": "q"},
                             "status": {"hard": {"limits": "1", "services": "2"}}});
        assert_eq!(
            narrow("ResourceQuota", &partial)[1..3],
            ["limits: 0/1, services: 0/2", ""]
        );
    }
}
