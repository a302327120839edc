//! `kubectl get services`: the columns and the function that fills them.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("TYPE"),
    n("CLUSTER-IP"),
    n("EXTERNAL-IP"),
    n("PORT(S)"),
    n("AGE"),
    w("SELECTOR"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, wide: bool) -> Vec<String> {
    service_row(obj, now, wide)
}

const LOAD_BALANCER_WIDTH: usize = 16;

/// `loadBalancerStatusStringer`: sorted, de-duplicated ingress IPs/hostnames, clipped to 16
/// characters (13 + `...`) unless wide.
fn load_balancer_status(obj: &Value, wide: bool) -> String {
    let set: BTreeSet<&str> = list(obj, &["status", "loadBalancer", "ingress"])
        .iter()
        .filter_map(|i| {
            let ip = string(i, &["ip"]);
            let host = string(i, &["hostname"]);
            if !ip.is_empty() {
                Some(ip)
            } else if !host.is_empty() {
                Some(host)
            } else {
                None
            }
        })
        .collect();
    let r = set.into_iter().collect::<Vec<_>>().join(",");
    if !wide && r.len() > LOAD_BALANCER_WIDTH {
        let clipped: String = r.chars().take(LOAD_BALANCER_WIDTH - 3).collect();
        return format!("{clipped}...");
    }
    r
}

fn service_row(obj: &Value, now: Timestamp, wide: bool) -> Vec<String> {
    let svc_type = opt_string(obj, &["spec", "type"]).unwrap_or("ClusterIP");
    // v1 → internal conversion: clusterIP fills clusterIPs when the latter is empty.
    let cluster_ips = list(obj, &["spec", "clusterIPs"]);
    let cluster_ip = match cluster_ips.first() {
        Some(ip) => scalar(ip),
        None => {
            let ip = string(obj, &["spec", "clusterIP"]);
            if ip.is_empty() {
                "<none>".to_string()
            } else {
                ip.to_string()
            }
        }
    };
    let external_ips: Vec<String> = list(obj, &["spec", "externalIPs"])
        .iter()
        .map(scalar)
        .collect();
    let external = match svc_type {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_status(obj, wide);
            if !external_ips.is_empty() {
                let mut results: Vec<String> = Vec::new();
                if !lb.is_empty() {
                    results.extend(lb.split(',').map(str::to_string));
                }
                results.extend(external_ips);
                results.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".to_string()
            }
        }
        "ExternalName" => string(obj, &["spec", "externalName"]).to_string(),
        _ => "<unknown>".to_string(),
    };
    let ports: Vec<String> = list(obj, &["spec", "ports"])
        .iter()
        .map(|p| {
            let port = int(p, &["port"]);
            let protocol = opt_string(p, &["protocol"]).unwrap_or("TCP");
            let node_port = int(p, &["nodePort"]);
            if node_port > 0 {
                format!("{port}:{node_port}/{protocol}")
            } else {
                format!("{port}/{protocol}")
            }
        })
        .collect();
    let ports = if ports.is_empty() {
        "<none>".to_string()
    } else {
        ports.join(",")
    };
    vec![
        name(obj),
        svc_type.to_string(),
        cluster_ip,
        external,
        ports,
        creation_age(obj, now),
        format_labels(get(obj, &["spec", "selector"])),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::{Value, json};

    fn service(spec: Value, status: Value) -> Value {
        json!({"metadata": {"name": "web", "creationTimestamp": "2025-05-20T12:00:00Z"},
               "spec": spec, "status": status})
    }

    #[test]
    fn service_rows() {
        let kubernetes = json!({
            "metadata": {"name": "kubernetes", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]},
            "status": {"loadBalancer": {}}
        });
        assert_eq!(
            wide("Service", &kubernetes),
            [
                "kubernetes",
                "ClusterIP",
                "10.96.0.1",
                "<none>",
                "443/TCP",
                "12d",
                "<none>"
            ]
        );
        let node_port = service(
            json!({"type": "NodePort", "clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"],
                   "selector": {"app": "web", "tier": "fe"},
                   "externalIPs": ["192.0.2.10", "192.0.2.11"],
                   "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"},
                             {"port": 443, "nodePort": 30443, "protocol": "TCP"},
                             {"port": 53, "protocol": "UDP"}]}),
            json!({}),
        );
        assert_eq!(
            wide("Service", &node_port),
            [
                "web",
                "NodePort",
                "10.96.12.7",
                "192.0.2.10,192.0.2.11",
                "80:30080/TCP,443:30443/TCP,53/UDP",
                "12d",
                "app=web,tier=fe"
            ]
        );
        let pending = service(
            json!({"type": "LoadBalancer", "clusterIPs": ["10.96.5.5"],
                   "ports": [{"port": 80, "nodePort": 31234, "protocol": "TCP"}]}),
            json!({"loadBalancer": {}}),
        );
        assert_eq!(
            narrow("Service", &pending),
            [
                "web",
                "LoadBalancer",
                "10.96.5.5",
                "<pending>",
                "80:31234/TCP",
                "12d"
            ]
        );
        let lb = service(
            json!({"type": "LoadBalancer", "clusterIPs": ["10.96.5.5"],
                   "ports": [{"port": 80, "nodePort": 31234}]}),
            json!({"loadBalancer": {"ingress": [
                {"ip": "203.0.113.20"}, {"hostname": "lb.example.com"}, {"ip": "203.0.113.10"},
                {"ip": "203.0.113.10"}]}}),
        );
        assert_eq!(narrow("Service", &lb)[3], "203.0.113.10,...");
        assert_eq!(
            wide("Service", &lb)[3],
            "203.0.113.10,203.0.113.20,lb.example.com"
        );
        let short_lb = service(
            json!({"type": "LoadBalancer", "externalIPs": ["198.51.100.1"]}),
            json!({"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}),
        );
        assert_eq!(
            narrow("Service", &short_lb)[2..5],
            ["<none>", "203.0.113.10,198.51.100.1", "<none>"]
        );
        let external_name = service(
            json!({"type": "ExternalName", "externalName": "db.example.com"}),
            json!({}),
        );
        assert_eq!(
            narrow("Service", &external_name),
            [
                "web",
                "ExternalName",
                "<none>",
                "db.example.com",
                "<none>",
                "12d"
            ]
        );
        let headless = service(
            json!({"clusterIP": "None", "clusterIPs": ["None"], "selector": {"app": "db"},
                   "ports": [{"port": 5432}]}),
            json!({}),
        );
        assert_eq!(
            wide("Service", &headless),
            [
                "web",
                "ClusterIP",
                "None",
                "<none>",
                "5432/TCP",
                "12d",
                "app=db"
            ]
        );
    }
}
