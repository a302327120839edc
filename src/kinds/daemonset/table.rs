//! `kubectl get daemonsets`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::kinds::common::table::*;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("DESIRED"),
    n("CURRENT"),
    n("READY"),
    n("UP-TO-DATE"),
    n("AVAILABLE"),
    n("NODE SELECTOR"),
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
    daemon_set_row(obj, now)
}

fn daemon_set_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let (names, images) = layout_container_cells(template_containers(obj, &["spec", "template"]));
    vec![
        name(obj),
        int(obj, &["status", "desiredNumberScheduled"]).to_string(),
        int(obj, &["status", "currentNumberScheduled"]).to_string(),
        int(obj, &["status", "numberReady"]).to_string(),
        int(obj, &["status", "updatedNumberScheduled"]).to_string(),
        int(obj, &["status", "numberAvailable"]).to_string(),
        format_labels(get(obj, &["spec", "template", "spec", "nodeSelector"])),
        creation_age(obj, now),
        names,
        images,
        format_label_selector(get(obj, &["spec", "selector"])),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn daemon_set() {
        let ds = json!({
            "metadata": {"name": "fluentd", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"selector": {"matchLabels": {"name": "fluentd"}},
                     "template": {"metadata": {"labels": {"name": "fluentd"}},
                                  "spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                                           "containers": [{"name": "fluentd", "image": "fluentd:v1.16"}]}}},
            "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2,
                       "updatedNumberScheduled": 3, "numberAvailable": 2}
        });
        assert_eq!(
            wide("DaemonSet", &ds),
            [
                "fluentd",
                "3",
                "3",
                "2",
                "3",
                "2",
                "kubernetes.io/os=linux",
                "12d",
                "fluentd",
                "fluentd:v1.16",
                "name=fluentd"
            ]
        );
        let bare = json!({"metadata": {"name": "x"}, "spec": {"template": {"spec": {}}}});
        assert_eq!(
            narrow("DaemonSet", &bare),
            ["x", "0", "0", "0", "0", "0", "<none>", "<unknown>"]
        );
    }
}
