//! `kubectl get ingressclasses`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[n("NAME"), n("CONTROLLER"), n("PARAMETERS"), n("AGE")];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// printers.go `printIngressClass`: PARAMETERS `Kind[.apiGroup]/name`, `<none>` without.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let parameters = match get(obj, &["spec", "parameters"]).filter(|p| !p.is_null()) {
        None => "<none>".to_string(),
        Some(p) => {
            let mut s = string(p, &["kind"]).to_string();
            if let Some(g) = opt_string(p, &["apiGroup"]) {
                s = format!("{s}.{g}");
            }
            format!("{s}/{}", string(p, &["name"]))
        }
    };
    vec![
        name(obj),
        string(obj, &["spec", "controller"]).to_string(),
        parameters,
        creation_age(obj, now),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn ingress_class() {
        let ic = json!({"metadata": {"name": "nginx", "creationTimestamp": "2025-06-01T11:58:00Z"},
                        "spec": {"controller": "k8s.io/ingress-nginx"}});
        assert_eq!(
            narrow("IngressClass", &ic),
            ["nginx", "k8s.io/ingress-nginx", "<none>", "2m"]
        );
        let p = json!({"metadata": {"name": "external-lb"},
                       "spec": {"controller": "example.com/ingress-controller",
                                "parameters": {"apiGroup": "k8s.example.com", "kind": "IngressParameters", "name": "external-lb"}}});
        assert_eq!(
            narrow("IngressClass", &p)[2],
            "IngressParameters.k8s.example.com/external-lb"
        );
    }
}
