//! `kubectl get controllerrevisions`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[n("NAME"), n("CONTROLLER"), n("REVISION"), n("AGE")];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    controller_revision_row(obj, now)
}

fn controller_revision_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let controller = list(obj, &["metadata", "ownerReferences"])
        .iter()
        .find(|r| opt_bool(r, &["controller"]) == Some(true))
        .map(|r| {
            let api_version = string(r, &["apiVersion"]);
            let group = match api_version.split_once('/') {
                Some((g, _)) => g,
                None => "",
            };
            let kind = string(r, &["kind"]);
            let ref_name = string(r, &["name"]);
            if group.is_empty() && kind.is_empty() {
                ref_name.to_string()
            } else if group.is_empty() {
                format!("{}/{ref_name}", kind.to_lowercase())
            } else {
                format!(
                    "{}.{}/{ref_name}",
                    kind.to_lowercase(),
                    group.to_lowercase()
                )
            }
        })
        .unwrap_or_else(|| "<none>".to_string());
    vec![
        name(obj),
        controller,
        int(obj, &["revision"]).to_string(),
        creation_age(obj, now),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn controller_revision() {
        let cr = json!({
            "metadata": {"name": "fluentd-6d5f8b7c9", "creationTimestamp": "2025-05-20T12:00:00Z",
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet",
                                              "name": "fluentd", "uid": "u", "controller": true,
                                              "blockOwnerDeletion": true}]},
            "revision": 2
        });
        assert_eq!(
            narrow("ControllerRevision", &cr),
            ["fluentd-6d5f8b7c9", "daemonset.apps/fluentd", "2", "12d"]
        );
        let core = json!({"metadata": {"name": "x", "ownerReferences": [
            {"apiVersion": "v1", "kind": "Widget", "name": "w", "controller": false},
            {"apiVersion": "v1", "kind": "Widget", "name": "v", "controller": true}]},
            "revision": 1});
        assert_eq!(narrow("ControllerRevision", &core)[1], "widget/v");
        let orphan = json!({"metadata": {"name": "o"}, "revision": 7});
        assert_eq!(
            narrow("ControllerRevision", &orphan),
            ["o", "<none>", "7", "<unknown>"]
        );
    }
}
