//! Table helpers shared by several kinds' `table.rs` (workload templates, storage classes),
//! and the tests that walk every kind's table.

use serde_json::Value;

use crate::print::cells::*;

/// A non-negative-or-defaulted `spec.replicas` (API defaulting sets 1 when unset).
pub(crate) fn replicas(obj: &Value) -> i64 {
    opt_int(obj, &["spec", "replicas"]).unwrap_or(1)
}

pub(crate) fn template_containers<'a>(obj: &'a Value, template: &[&str]) -> &'a [Value] {
    let mut path: Vec<&str> = template.to_vec();
    path.extend(["spec", "containers"]);
    list(obj, &path)
}

/// `volume.beta.kubernetes.io/storage-class` wins over spec.storageClassName.
pub(crate) fn storage_class_of(obj: &Value) -> &str {
    annotation(obj, "volume.beta.kubernetes.io/storage-class")
        .unwrap_or_else(|| string(obj, &["spec", "storageClassName"]))
}

/// Helpers for the table tests beside each kind.
#[cfg(test)]
pub(crate) mod testing {
    use jiff::Timestamp;
    use serde_json::{Value, json};

    use crate::print::cells::Column;

    fn table(kind: &str) -> crate::kinds::Table {
        crate::kinds::by_kind(kind)
            .unwrap_or_else(|| panic!("{kind}: not a kind"))
            .table
    }

    fn columns(kind: &str) -> &'static [Column] {
        table(kind).columns
    }

    /// The virtual "now" of every test.
    pub(crate) fn now() -> Timestamp {
        "2025-06-01T12:00:00Z".parse().unwrap()
    }

    /// The non-wide and the wide cells of `obj`, as kubectl would keep them.
    pub(crate) fn cells(kind: &str, obj: &Value) -> (Vec<String>, Vec<String>) {
        let cols = columns(kind);
        let narrow_row = (table(kind).row)(obj, now(), false);
        let wide_row = (table(kind).row)(obj, now(), true);
        assert_eq!(cols.len(), narrow_row.len(), "{kind}: one cell per column");
        assert_eq!(cols.len(), wide_row.len(), "{kind}: one cell per column");
        let narrow = cols
            .iter()
            .zip(narrow_row)
            .filter(|(c, _)| !c.wide)
            .map(|(_, v)| v)
            .collect();
        (narrow, wide_row)
    }

    pub(crate) fn narrow(kind: &str, obj: &Value) -> Vec<String> {
        cells(kind, obj).0
    }

    pub(crate) fn wide(kind: &str, obj: &Value) -> Vec<String> {
        cells(kind, obj).1
    }

    pub(crate) fn headers(kind: &str) -> Vec<&'static str> {
        columns(kind).iter().map(|c| c.header).collect()
    }

    pub(crate) fn wide_headers(kind: &str) -> Vec<&'static str> {
        columns(kind)
            .iter()
            .filter(|c| c.wide)
            .map(|c| c.header)
            .collect()
    }

    pub(crate) fn template(containers: Value) -> Value {
        json!({"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": containers}})
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use crate::print::cells::w;
    use crate::util::fields::Fields;
    use serde_json::json;

    #[test]
    fn column_sets() {
        assert_eq!(
            headers("Pod"),
            [
                "NAME",
                "READY",
                "STATUS",
                "RESTARTS",
                "AGE",
                "IP",
                "NODE",
                "NOMINATED NODE",
                "READINESS GATES"
            ]
        );
        assert_eq!(
            wide_headers("Pod"),
            ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]
        );
        assert_eq!(
            headers("Deployment"),
            [
                "NAME",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "AGE",
                "CONTAINERS",
                "IMAGES",
                "SELECTOR"
            ]
        );
        assert_eq!(
            headers("ResourceQuota"),
            ["NAME", "REQUEST", "LIMIT", "AGE"]
        );
        assert_eq!(
            headers("Event"),
            [
                "LAST SEEN",
                "TYPE",
                "REASON",
                "OBJECT",
                "SUBOBJECT",
                "SOURCE",
                "MESSAGE",
                "FIRST SEEN",
                "COUNT",
                "NAME"
            ]
        );
        assert_eq!(
            wide_headers("Event"),
            ["SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"]
        );
        assert_eq!(
            headers("CronJob"),
            [
                "NAME",
                "SCHEDULE",
                "TIMEZONE",
                "SUSPEND",
                "ACTIVE",
                "LAST SCHEDULE",
                "AGE",
                "CONTAINERS",
                "IMAGES",
                "SELECTOR"
            ]
        );
        assert_eq!(
            headers("PersistentVolume"),
            [
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
                "VOLUMEMODE"
            ]
        );
        assert_eq!(headers("LimitRange"), ["NAME", "CREATED AT"]);
        assert_eq!(wide_headers("StatefulSet"), ["CONTAINERS", "IMAGES"]);
        assert_eq!(
            wide_headers("Node"),
            [
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME"
            ]
        );
    }

    #[test]
    fn name_columns() {
        let name_column = |kind: &str| crate::kinds::by_kind(kind).unwrap().table.name_column;
        assert_eq!(name_column("Pod"), 0);
        assert_eq!(name_column("LimitRange"), 0);
        let event = crate::kinds::by_kind("Event").unwrap().table.columns;
        assert_eq!(event[name_column("Event")], w("NAME"));
        for kind in crate::kinds::KINDS {
            assert!(
                kind.table.name_column < kind.table.columns.len(),
                "{}",
                kind.kind
            );
        }
    }

    #[test]
    fn every_kind_survives_an_empty_object() {
        for kind in crate::kinds::KINDS.iter().map(|k| k.kind) {
            for obj in [json!({}), json!(null), json!({"metadata": null, "spec": 3})] {
                let (_, all) = cells(kind, &obj);
                assert!(!all.is_empty(), "{kind}");
            }
        }
        assert_eq!(narrow("Pod", &json!({})), ["", "0/0", "", "0", "<unknown>"]);
        assert_eq!(
            narrow("Deployment", &json!({})),
            ["", "0/1", "0", "0", "<unknown>"]
        );
    }

    #[test]
    fn limit_range_uses_the_default_table() {
        let lr = json!({"metadata": {"name": "mem-limit-range",
                                     "creationTimestamp": "2025-05-20T12:00:00Z"},
                        "spec": {"limits": [{"type": "Container", "default": {"memory": "512Mi"}}]}});
        assert_eq!(
            narrow("LimitRange", &lr),
            ["mem-limit-range", "2025-05-20T12:00:00Z"]
        );
        let offset =
            json!({"metadata": {"name": "x", "creationTimestamp": "2025-05-20T14:00:00+02:00"}});
        assert_eq!(narrow("LimitRange", &offset)[1], "2025-05-20T12:00:00Z");
        // printLease: the holder, blank when unset.
        let lease = json!({"metadata": {"name": "n1", "creationTimestamp": "2025-05-20T11:00:00Z"},
            "spec": {"holderIdentity": "n1", "leaseDurationSeconds": 40}});
        assert_eq!(headers("Lease"), ["NAME", "HOLDER", "AGE"]);
        assert_eq!(narrow("Lease", &lease)[..2], ["n1", "n1"]);
        assert_eq!(
            narrow("Lease", &json!({"metadata": {"name": "x"}, "spec": {}}))[1],
            ""
        );
        assert_eq!(
            narrow("LimitRange", &json!({"metadata": {"name": "z"}}))[1],
            "0001-01-01T00:00:00Z"
        );
    }

    #[test]
    fn config_map_and_secret() {
        let cm = json!({"metadata": {"name": "kube-root-ca.crt", "creationTimestamp": "2025-05-20T12:00:00Z"},
                        "data": {"ca.crt": "-----BEGIN CERTIFICATE-----"}});
        assert_eq!(narrow("ConfigMap", &cm), ["kube-root-ca.crt", "1", "12d"]);
        let bin = json!({"metadata": {"name": "mixed"}, "data": {"a": "1", "b": "2"},
                         "binaryData": {"c": "AAE="}});
        assert_eq!(narrow("ConfigMap", &bin)[1], "3");
        let empty = json!({"metadata": {"name": "empty"}});
        assert_eq!(narrow("ConfigMap", &empty)[1], "0");

        let s = json!({"metadata": {"name": "db-pass", "creationTimestamp": "2025-06-01T11:59:15Z"},
                       "type": "Opaque", "data": {"user": "YWRtaW4=", "password": "czNjcjN0"}});
        assert_eq!(narrow("Secret", &s), ["db-pass", "Opaque", "2", "45s"]);
        let tls = json!({"metadata": {"name": "tls"}, "type": "kubernetes.io/tls",
                         "data": {"tls.crt": "", "tls.key": ""}});
        assert_eq!(narrow("Secret", &tls)[1..3], ["kubernetes.io/tls", "2"]);
    }

    #[test]
    fn namespace_and_service_account() {
        let ns = json!({"metadata": {"name": "default", "creationTimestamp": "2025-05-20T12:00:00Z"},
                        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}});
        assert_eq!(narrow("Namespace", &ns), ["default", "Active", "12d"]);
        let mut gone = ns.clone();
        gone.set("/status/phase", json!("Terminating")).unwrap();
        assert_eq!(narrow("Namespace", &gone)[1], "Terminating");

        let sa =
            json!({"metadata": {"name": "default", "creationTimestamp": "2025-05-20T12:00:00Z"}});
        assert_eq!(narrow("ServiceAccount", &sa), ["default", "0", "12d"]);
        let with = json!({"metadata": {"name": "build"}, "secrets": [{"name": "build-token"}]});
        assert_eq!(narrow("ServiceAccount", &with)[1], "1");
    }
}
