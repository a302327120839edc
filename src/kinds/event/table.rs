//! `kubectl get events`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::age::*;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("LAST SEEN"),
    n("TYPE"),
    n("REASON"),
    n("OBJECT"),
    w("SUBOBJECT"),
    w("SOURCE"),
    n("MESSAGE"),
    w("FIRST SEEN"),
    w("COUNT"),
    w("NAME"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 9,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    event_row(obj, now)
}

fn event_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let first_seen = match parse_timestamp(opt_string(obj, &["firstTimestamp"])) {
        Some(t) => since(t, now),
        None => age(opt_string(obj, &["eventTime"]), now),
    };
    let mut last_seen = match parse_timestamp(opt_string(obj, &["lastTimestamp"])) {
        Some(t) => since(t, now),
        None => first_seen.clone(),
    };
    let mut count = int(obj, &["count"]);
    if let Some(series) = get(obj, &["series"]) {
        last_seen = age(opt_string(series, &["lastObservedTime"]), now);
        count = int(series, &["count"]);
    } else if count == 0 {
        count = 1;
    }
    let kind = string(obj, &["involvedObject", "kind"]).to_lowercase();
    let involved_name = string(obj, &["involvedObject", "name"]);
    let target = if involved_name.is_empty() {
        kind
    } else {
        format!("{kind}/{involved_name}")
    };
    let component = [
        string(obj, &["source", "component"]),
        string(obj, &["reportingComponent"]),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or("");
    let host = [
        string(obj, &["source", "host"]),
        string(obj, &["reportingInstance"]),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or("");
    let source = if host.is_empty() {
        component.to_string()
    } else {
        format!("{component}, {host}")
    };
    vec![
        last_seen,
        string(obj, &["type"]).to_string(),
        string(obj, &["reason"]).to_string(),
        target,
        string(obj, &["involvedObject", "fieldPath"]).to_string(),
        source,
        trim_go_space(string(obj, &["message"])).to_string(),
        first_seen,
        count.to_string(),
        name(obj),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn event_rows() {
        let ev = json!({
            "metadata": {"name": "web.17f1c2a3b4c5d6e7", "namespace": "default",
                         "creationTimestamp": "2025-06-01T11:50:00Z"},
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web",
                               "apiVersion": "v1", "fieldPath": "spec.containers{web}"},
            "reason": "BackOff",
            "message": "Back-off restarting failed container web in pod web_default(uid)\n",
            "source": {"component": "kubelet", "host": "node1"},
            "firstTimestamp": "2025-06-01T11:50:00Z",
            "lastTimestamp": "2025-06-01T11:58:00Z",
            "count": 12,
            "type": "Warning"
        });
        assert_eq!(
            narrow("Event", &ev),
            [
                "2m",
                "Warning",
                "BackOff",
                "pod/web",
                "Back-off restarting failed container web in pod web_default(uid)"
            ]
        );
        assert_eq!(
            wide("Event", &ev),
            [
                "2m",
                "Warning",
                "BackOff",
                "pod/web",
                "spec.containers{web}",
                "kubelet, node1",
                "Back-off restarting failed container web in pod web_default(uid)",
                "10m",
                "12",
                "web.17f1c2a3b4c5d6e7"
            ]
        );
        // A controller event: no host, count 1.
        let scaled = json!({
            "metadata": {"name": "nginx.1"},
            "involvedObject": {"kind": "Deployment", "name": "nginx", "apiVersion": "apps/v1"},
            "reason": "ScalingReplicaSet",
            "message": "Scaled up replica set nginx-7854ff8877 from 0 to 3",
            "source": {"component": "deployment-controller"},
            "firstTimestamp": "2025-06-01T11:54:48Z",
            "lastTimestamp": "2025-06-01T11:54:48Z",
            "count": 1,
            "type": "Normal"
        });
        assert_eq!(
            wide("Event", &scaled),
            [
                "5m12s",
                "Normal",
                "ScalingReplicaSet",
                "deployment/nginx",
                "",
                "deployment-controller",
                "Scaled up replica set nginx-7854ff8877 from 0 to 3",
                "5m12s",
                "1",
                "nginx.1"
            ]
        );
        // events.k8s.io-style event: eventTime only, reporting fields, series.
        let series = json!({
            "metadata": {"name": "n.2"},
            "involvedObject": {"kind": "Node", "name": "node1"},
            "reason": "NodeNotReady",
            "message": "  Node node1 status is now: NodeNotReady  ",
            "reportingComponent": "node-controller",
            "reportingInstance": "cp-1",
            "eventTime": "2025-06-01T11:50:00.123456Z",
            "series": {"count": 4, "lastObservedTime": "2025-06-01T11:59:15.000001Z"},
            "type": "Normal"
        });
        // 44.999999 s: truncated, never rounded.
        assert_eq!(
            wide("Event", &series),
            [
                "44s",
                "Normal",
                "NodeNotReady",
                "node/node1",
                "",
                "node-controller, cp-1",
                "Node node1 status is now: NodeNotReady",
                "9m59s",
                "4",
                "n.2"
            ]
        );
        // No last timestamp: LAST SEEN falls back to FIRST SEEN; no count: 1; no name: kind.
        let bare = json!({"metadata": {"name": "b"}, "involvedObject": {"kind": "Namespace"},
                          "firstTimestamp": "2025-06-01T11:50:00Z", "type": "Normal"});
        assert_eq!(
            wide("Event", &bare),
            [
                "10m",
                "Normal",
                "",
                "namespace",
                "",
                "",
                "",
                "10m",
                "1",
                "b"
            ]
        );
        let timeless = json!({"metadata": {"name": "t"}});
        assert_eq!(wide("Event", &timeless)[0], "<unknown>");
        assert_eq!(wide("Event", &timeless)[7], "<unknown>");
    }
}
