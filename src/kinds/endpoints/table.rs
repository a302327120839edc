//! `kubectl get endpoints`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[n("NAME"), n("ENDPOINTS"), n("AGE")];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    vec![name(obj), format_endpoints(obj), creation_age(obj, now)]
}

fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `formatEndpoints(ep, nil)`: up to 3 `ip:port` entries, then ` + N more...`.
fn format_endpoints(obj: &Value) -> String {
    let subsets = list(obj, &["subsets"]);
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut out: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    for ss in subsets {
        let addresses = list(ss, &["addresses"]);
        let ports = list(ss, &["ports"]);
        if ports.is_empty() {
            count += addresses.len();
            for a in addresses {
                if out.len() == MAX {
                    more = true;
                    break;
                }
                out.push(string(a, &["ip"]).to_string());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for a in addresses {
                if out.len() == MAX {
                    more = true;
                    break;
                }
                out.push(join_host_port(string(a, &["ip"]), int(port, &["port"])));
            }
        }
    }
    let joined = out.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::{Value, json};

    fn endpoints(subsets: Value) -> Value {
        json!({"metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:54:48Z"},
               "subsets": subsets})
    }

    #[test]
    fn endpoints_rows() {
        let five = endpoints(json!([{
            "addresses": [{"ip": "10.244.0.5"}, {"ip": "10.244.0.6"}, {"ip": "10.244.0.7"},
                          {"ip": "10.244.1.2"}, {"ip": "10.244.1.3"}],
            "notReadyAddresses": [{"ip": "10.244.2.9"}],
            "ports": [{"port": 80, "protocol": "TCP"}]
        }]));
        assert_eq!(
            narrow("Endpoints", &five),
            [
                "web",
                "10.244.0.5:80,10.244.0.6:80,10.244.0.7:80 + 2 more...",
                "5m12s"
            ]
        );
        let three = endpoints(json!([{
            "addresses": [{"ip": "10.244.0.5"}, {"ip": "10.244.0.6"}, {"ip": "10.244.0.7"}],
            "ports": [{"port": 8080}]}]));
        assert_eq!(
            narrow("Endpoints", &three)[1],
            "10.244.0.5:8080,10.244.0.6:8080,10.244.0.7:8080"
        );
        let two_ports = endpoints(json!([{
            "addresses": [{"ip": "10.244.0.5"}, {"ip": "10.244.0.6"}],
            "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]}]));
        assert_eq!(
            narrow("Endpoints", &two_ports)[1],
            "10.244.0.5:80,10.244.0.6:80,10.244.0.5:443 + 1 more..."
        );
        let headless = endpoints(json!([{"addresses": [{"ip": "10.244.0.5"}, {"ip": "fd00::5"}]}]));
        assert_eq!(narrow("Endpoints", &headless)[1], "10.244.0.5,fd00::5");
        let v6 = endpoints(json!([{"addresses": [{"ip": "fd00::5"}], "ports": [{"port": 80}]}]));
        assert_eq!(narrow("Endpoints", &v6)[1], "[fd00::5]:80");
        let none =
            json!({"metadata": {"name": "web", "creationTimestamp": "2025-06-01T11:54:48Z"}});
        assert_eq!(narrow("Endpoints", &none), ["web", "<none>", "5m12s"]);
        let only_not_ready = endpoints(json!([{"notReadyAddresses": [{"ip": "10.244.0.5"}],
                                               "ports": [{"port": 80}]}]));
        assert_eq!(narrow("Endpoints", &only_not_ready)[1], "");
    }
}
