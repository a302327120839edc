//! `kubectl get persistentvolumeclaims`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::kinds::common::table::*;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("STATUS"),
    n("VOLUME"),
    n("CAPACITY"),
    n("ACCESS MODES"),
    n("STORAGECLASS"),
    n("VOLUMEATTRIBUTESCLASS"),
    n("AGE"),
    w("VOLUMEMODE"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    pvc_row(obj, now)
}

fn pvc_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let phase = if is_deleting(obj) {
        "Terminating"
    } else {
        string(obj, &["status", "phase"])
    };
    let volume_name = string(obj, &["spec", "volumeName"]);
    let (capacity, modes) = if volume_name.is_empty() {
        (String::new(), String::new())
    } else {
        (
            quantity(get(obj, &["status", "capacity", "storage"])),
            access_modes(get(obj, &["status", "accessModes"])),
        )
    };
    vec![
        name(obj),
        phase.to_string(),
        volume_name.to_string(),
        capacity,
        modes,
        storage_class_of(obj).to_string(),
        opt_string(obj, &["spec", "volumeAttributesClassName"])
            .unwrap_or("<unset>")
            .to_string(),
        creation_age(obj, now),
        opt_string(obj, &["spec", "volumeMode"])
            .unwrap_or("<unset>")
            .to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use crate::util::fields::Fields;
    use serde_json::{Value, json};

    #[test]
    fn persistent_volume_claim() {
        let unbound = json!({
            "metadata": {"name": "data", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                     "volumeMode": "Filesystem",
                     "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Pending"}
        });
        assert_eq!(
            wide("PersistentVolumeClaim", &unbound),
            [
                "data",
                "Pending",
                "",
                "",
                "",
                "standard",
                "<unset>",
                "5m12s",
                "Filesystem"
            ]
        );
        let bound = json!({
            "metadata": {"name": "data", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                     "volumeMode": "Filesystem", "volumeName": "pvc-3f6c7a52",
                     "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce", "ReadWriteMany"],
                       "capacity": {"storage": "2Gi"}}
        });
        assert_eq!(
            wide("PersistentVolumeClaim", &bound),
            [
                "data",
                "Bound",
                "pvc-3f6c7a52",
                "2Gi",
                "RWO,RWX",
                "standard",
                "<unset>",
                "5m12s",
                "Filesystem"
            ]
        );
        let mut deleting = bound.clone();
        deleting
            .set("/metadata/deletionTimestamp", json!("2025-06-01T12:00:00Z"))
            .unwrap();
        deleting
            .set(
                "/metadata/annotations",
                json!({"volume.beta.kubernetes.io/storage-class": "legacy"}),
            )
            .unwrap();
        deleting
            .set("/spec/volumeAttributesClassName", json!("gold"))
            .unwrap();
        deleting.set("/spec/volumeMode", Value::Null).unwrap();
        assert_eq!(
            wide("PersistentVolumeClaim", &deleting),
            [
                "data",
                "Terminating",
                "pvc-3f6c7a52",
                "2Gi",
                "RWO,RWX",
                "legacy",
                "gold",
                "5m12s",
                "<unset>"
            ]
        );
        // Bound without status.capacity: the zero quantity.
        let no_cap = json!({"metadata": {"name": "x"}, "spec": {"volumeName": "pv1"}});
        assert_eq!(
            narrow("PersistentVolumeClaim", &no_cap),
            ["x", "", "pv1", "0", "", "", "<unset>", "<unknown>"]
        );
    }
}
