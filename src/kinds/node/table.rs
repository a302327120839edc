//! `kubectl get nodes`: the columns and the function that fills them.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("STATUS"),
    n("ROLES"),
    n("AGE"),
    n("VERSION"),
    w("INTERNAL-IP"),
    w("EXTERNAL-IP"),
    w("OS-IMAGE"),
    w("KERNEL-VERSION"),
    w("CONTAINER-RUNTIME"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    node_row(obj, now)
}

fn node_row(obj: &Value, now: Timestamp) -> Vec<String> {
    // A map keyed by condition type: the last Ready condition wins.
    let ready = list(obj, &["status", "conditions"])
        .iter()
        .rev()
        .find(|c| string(c, &["type"]) == "Ready");
    let mut status = vec![match ready {
        Some(c) if string(c, &["status"]) == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if opt_bool(obj, &["spec", "unschedulable"]) == Some(true) {
        status.push("SchedulingDisabled");
    }

    let mut roles = BTreeSet::new();
    if let Some(Value::Object(labels)) = get(obj, &["metadata", "labels"]) {
        for (k, v) in labels {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                if !role.is_empty() {
                    roles.insert(role.to_string());
                }
            } else if k == "kubernetes.io/role" {
                let v = scalar(v);
                if !v.is_empty() {
                    roles.insert(v);
                }
            }
        }
    }
    let roles = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.into_iter().collect::<Vec<_>>().join(",")
    };

    let address = |ty: &str| {
        list(obj, &["status", "addresses"])
            .iter()
            .find(|a| string(a, &["type"]) == ty)
            .map(|a| string(a, &["address"]).to_string())
            .unwrap_or_else(|| "<none>".to_string())
    };
    let info = |field: &str| {
        let v = string(obj, &["status", "nodeInfo", field]);
        if v.is_empty() {
            "<unknown>".to_string()
        } else {
            v.to_string()
        }
    };
    vec![
        name(obj),
        status.join(","),
        roles,
        creation_age(obj, now),
        string(obj, &["status", "nodeInfo", "kubeletVersion"]).to_string(),
        address("InternalIP"),
        address("ExternalIP"),
        info("osImage"),
        info("kernelVersion"),
        info("containerRuntimeVersion"),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::{Value, json};

    fn node(labels: Value, unschedulable: bool, conditions: Value) -> Value {
        json!({
            "metadata": {"name": "node1", "creationTimestamp": "2025-05-20T12:00:00Z",
                         "labels": labels},
            "spec": {"unschedulable": unschedulable},
            "status": {
                "conditions": conditions,
                "addresses": [{"type": "InternalIP", "address": "172.18.0.2"},
                              {"type": "Hostname", "address": "node1"}],
                "nodeInfo": {"kubeletVersion": "v1.33.1", "osImage": "Debian GNU/Linux 12 (bookworm)",
                             "kernelVersion": "6.8.0-1017-gcp",
                             "containerRuntimeVersion": "containerd://2.1.1"}
            }
        })
    }

    #[test]
    fn node_rows() {
        let ready = json!([{"type": "MemoryPressure", "status": "False"},
                           {"type": "Ready", "status": "True"}]);
        let cp = node(
            json!({"kubernetes.io/hostname": "node1",
                   "node-role.kubernetes.io/control-plane": "",
                   "node-role.kubernetes.io/master": ""}),
            false,
            ready.clone(),
        );
        assert_eq!(
            wide("Node", &cp),
            [
                "node1",
                "Ready",
                "control-plane,master",
                "12d",
                "v1.33.1",
                "172.18.0.2",
                "<none>",
                "Debian GNU/Linux 12 (bookworm)",
                "6.8.0-1017-gcp",
                "containerd://2.1.1"
            ]
        );
        let cordoned = node(json!({"kubernetes.io/role": "worker"}), true, ready);
        assert_eq!(
            narrow("Node", &cordoned),
            [
                "node1",
                "Ready,SchedulingDisabled",
                "worker",
                "12d",
                "v1.33.1"
            ]
        );
        let not_ready = node(
            json!({}),
            false,
            json!([{"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown"}]),
        );
        assert_eq!(narrow("Node", &not_ready)[1..3], ["NotReady", "<none>"]);
        let unknown = node(json!({"node-role.kubernetes.io/": "x"}), true, json!([]));
        assert_eq!(
            narrow("Node", &unknown)[1..3],
            ["Unknown,SchedulingDisabled", "<none>"]
        );
        let bare = json!({"metadata": {"name": "n"}});
        assert_eq!(
            wide("Node", &bare),
            [
                "n",
                "Unknown",
                "<none>",
                "<unknown>",
                "",
                "<none>",
                "<none>",
                "<unknown>",
                "<unknown>",
                "<unknown>"
            ]
        );
    }
}
