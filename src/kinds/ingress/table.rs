//! `kubectl get ingresses`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("CLASS"),
    n("HOSTS"),
    n("ADDRESS"),
    n("PORTS"),
    n("AGE"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// printers.go `printIngress`: `formatHosts` (three hosts, then `+ N more...`; `*` when
/// none), the load balancer's addresses, and `formatPorts` (`80, 443` with TLS).
fn row(obj: &Value, now: Timestamp, wide: bool) -> Vec<String> {
    let class = get(obj, &["spec", "ingressClassName"])
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let rules = get(obj, &["spec", "rules"])
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut hosts: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in rules {
        if hosts.len() == 3 {
            more = true;
        }
        let host = rule.get("host").and_then(Value::as_str).unwrap_or("");
        if !more && !host.is_empty() {
            hosts.push(host);
        }
    }
    let hosts = match (hosts.is_empty(), more) {
        (true, _) => "*".to_string(),
        (false, false) => hosts.join(","),
        (false, true) => format!("{} + {} more...", hosts.join(","), rules.len() - 3),
    };
    let lb = get(obj, &["status", "loadBalancer", "ingress"])
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut address = lb
        .iter()
        .flat_map(|i| ["ip", "hostname"].map(|k| i.get(k).and_then(Value::as_str)))
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(",");
    if !wide && address.len() > 16 {
        address = format!("{}...", &address[..16]);
    }
    let tls = get(obj, &["spec", "tls"])
        .and_then(Value::as_array)
        .is_some_and(|t| !t.is_empty());
    vec![
        name(obj),
        class.to_string(),
        hosts,
        address,
        if tls { "80, 443" } else { "80" }.to_string(),
        creation_age(obj, now),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn ingress() {
        let ing = json!({"metadata": {"name": "ing1", "creationTimestamp": "2025-06-01T11:58:00Z"},
                         "spec": {"rules": [{"host": "foo.com"}]}});
        assert_eq!(
            narrow("Ingress", &ing),
            ["ing1", "<none>", "foo.com", "", "80", "2m"]
        );
        let tls = json!({"metadata": {"name": "t"},
                         "spec": {"ingressClassName": "nginx", "tls": [{"secretName": "s"}],
                                  "rules": [{"host": "a"}, {}, {"host": "b"}, {"host": "c"}, {"host": "d"}]},
                         "status": {"loadBalancer": {"ingress": [{"ip": "10.0.0.1"}]}}});
        assert_eq!(
            narrow("Ingress", &tls),
            [
                "t",
                "nginx",
                "a,b,c + 2 more...",
                "10.0.0.1",
                "80, 443",
                "<unknown>"
            ]
        );
        let bare = json!({"metadata": {"name": "d"}, "spec": {"defaultBackend": {}}});
        assert_eq!(narrow("Ingress", &bare)[2], "*");
    }
}
