//! `kubectl get endpointslices`: the columns and the function that fills them
//! (printers.go `printEndpointSlice`).

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("ADDRESSTYPE"),
    n("PORTS"),
    n("ENDPOINTS"),
    n("AGE"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let ports: Vec<String> = list(obj, &["ports"])
        .iter()
        .map(|p| match get(p, &["port"]) {
            Some(n) if !n.is_null() => scalar(n),
            _ => opt_string(p, &["name"]).unwrap_or("*").to_string(),
        })
        .collect();
    let addresses: Vec<String> = list(obj, &["endpoints"])
        .iter()
        .flat_map(|e| {
            list(e, &["addresses"])
                .iter()
                .map(scalar)
                .collect::<Vec<_>>()
        })
        .collect();
    vec![
        name(obj),
        string(obj, &["addressType"]).to_string(),
        list_with_more(&ports),
        list_with_more(&addresses),
        creation_age(obj, now),
    ]
}

/// `listWithMoreString` over at most 3 of `all`: ` + N more...` past them, `<unset>` if none.
fn list_with_more(all: &[String]) -> String {
    const MAX: usize = 3;
    let ret = all.iter().take(MAX).cloned().collect::<Vec<_>>().join(",");
    if all.len() > MAX {
        format!("{ret} + {} more...", all.len() - MAX)
    } else if ret.is_empty() {
        "<unset>".to_string()
    } else {
        ret
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::{Value, json};

    fn slice(ports: Value, endpoints: Value) -> Value {
        json!({"metadata": {"name": "web-abcde", "creationTimestamp": "2025-06-01T11:54:48Z"},
               "addressType": "IPv4", "ports": ports, "endpoints": endpoints})
    }

    #[test]
    fn endpointslice_rows() {
        // printers_test.go TestPrintEndpointSlice, in kubesim's shapes.
        let one = slice(
            json!([{"name": "http", "port": 80, "protocol": "TCP"}]),
            json!([{"addresses": ["10.1.2.3", "2001:db8::1234:5678"]}]),
        );
        assert_eq!(
            narrow("EndpointSlice", &one),
            [
                "web-abcde",
                "IPv4",
                "80",
                "10.1.2.3,2001:db8::1234:5678",
                "5m12s"
            ]
        );
        let many = slice(
            json!([{"port": 80}, {"port": 443}, {"name": "dns"}, {"port": 9000}]),
            json!([{"addresses": ["10.1.2.3"]}, {"addresses": ["10.1.2.4"]},
                   {"addresses": ["10.1.2.5"], "conditions": {"ready": false}},
                   {"addresses": ["10.1.2.6"]}, {"addresses": ["10.1.2.7"]}]),
        );
        let row = narrow("EndpointSlice", &many);
        assert_eq!(row[2], "80,443,dns + 1 more...");
        assert_eq!(row[3], "10.1.2.3,10.1.2.4,10.1.2.5 + 2 more...");
        let placeholder = json!({"metadata": {"name": "web-abcde",
            "creationTimestamp": "2025-06-01T11:54:48Z"}, "addressType": "IPv4"});
        assert_eq!(
            narrow("EndpointSlice", &placeholder)[1..4],
            ["IPv4", "<unset>", "<unset>"]
        );
        let all_ports = slice(json!([{"protocol": "TCP"}]), json!([]));
        assert_eq!(narrow("EndpointSlice", &all_ports)[2], "*");
    }
}
