//! `kubectl get rolebindings` (and clusterrolebindings): the columns and the function that
//! fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(crate) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("ROLE"),
    n("AGE"),
    w("USERS"),
    w("GROUPS"),
    w("SERVICEACCOUNTS"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// printers.go `printRoleBinding` / `printClusterRoleBinding` with `rbac.SubjectsStrings`.
pub(crate) fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    let (mut users, mut groups, mut sas) = (Vec::new(), Vec::new(), Vec::new());
    for s in list(obj, &["subjects"]) {
        let name = string(s, &["name"]);
        match string(s, &["kind"]) {
            "ServiceAccount" => sas.push(format!("{}/{name}", string(s, &["namespace"]))),
            "User" => users.push(name.to_string()),
            "Group" => groups.push(name.to_string()),
            _ => {}
        }
    }
    vec![
        name(obj),
        format!(
            "{}/{}",
            string(obj, &["roleRef", "kind"]),
            string(obj, &["roleRef", "name"])
        ),
        creation_age(obj, now),
        users.join(", "),
        groups.join(", "),
        sas.join(", "),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn role_binding() {
        let rb = json!({"metadata": {"name": "read-pods", "creationTimestamp": "2025-06-01T11:00:00Z"},
            "roleRef": {"kind": "Role", "name": "pod-reader"},
            "subjects": [{"kind": "User", "name": "jane"}, {"kind": "User", "name": "joe"},
                         {"kind": "Group", "name": "devs"},
                         {"kind": "ServiceAccount", "name": "sa", "namespace": "ns"}]});
        assert_eq!(
            narrow("RoleBinding", &rb),
            ["read-pods", "Role/pod-reader", "60m"]
        );
        assert_eq!(
            wide("ClusterRoleBinding", &rb),
            [
                "read-pods",
                "Role/pod-reader",
                "60m",
                "jane, joe",
                "devs",
                "ns/sa"
            ]
        );
    }
}
