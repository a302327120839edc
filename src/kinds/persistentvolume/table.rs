//! `kubectl get persistentvolumes`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::kinds::common::table::*;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("CAPACITY"),
    n("ACCESS MODES"),
    n("RECLAIM POLICY"),
    n("STATUS"),
    n("CLAIM"),
    n("STORAGECLASS"),
    n("VOLUMEATTRIBUTESCLASS"),
    n("REASON"),
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
    pv_row(obj, now)
}

fn pv_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let claim = match get(obj, &["spec", "claimRef"]) {
        Some(r) => format!("{}/{}", string(r, &["namespace"]), string(r, &["name"])),
        None => String::new(),
    };
    let phase = if is_deleting(obj) {
        "Terminating"
    } else {
        string(obj, &["status", "phase"])
    };
    vec![
        name(obj),
        quantity(get(obj, &["spec", "capacity", "storage"])),
        access_modes(get(obj, &["spec", "accessModes"])),
        string(obj, &["spec", "persistentVolumeReclaimPolicy"]).to_string(),
        phase.to_string(),
        claim,
        storage_class_of(obj).to_string(),
        opt_string(obj, &["spec", "volumeAttributesClassName"])
            .unwrap_or("<unset>")
            .to_string(),
        string(obj, &["status", "reason"]).to_string(),
        creation_age(obj, now),
        opt_string(obj, &["spec", "volumeMode"])
            .unwrap_or("<unset>")
            .to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn persistent_volume() {
        let pv = json!({
            "metadata": {"name": "pvc-3f6c7a52", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"],
                     "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "standard",
                     "volumeMode": "Filesystem",
                     "claimRef": {"kind": "PersistentVolumeClaim", "namespace": "default",
                                  "name": "data", "uid": "3f6c7a52"},
                     "hostPath": {"path": "/tmp/pv"}},
            "status": {"phase": "Bound"}
        });
        assert_eq!(
            wide("PersistentVolume", &pv),
            [
                "pvc-3f6c7a52",
                "1Gi",
                "RWO",
                "Delete",
                "Bound",
                "default/data",
                "standard",
                "<unset>",
                "",
                "5m12s",
                "Filesystem"
            ]
        );
        let failed = json!({
            "metadata": {"name": "old", "creationTimestamp": "2025-05-20T12:00:00Z"},
            "spec": {"capacity": {"storage": "5Gi"},
                     "accessModes": ["ReadWriteOncePod", "ReadOnlyMany", "ReadOnlyMany"],
                     "persistentVolumeReclaimPolicy": "Recycle"},
            "status": {"phase": "Failed", "reason": "VolumeFailedRecycle"}
        });
        assert_eq!(
            narrow("PersistentVolume", &failed),
            [
                "old",
                "5Gi",
                "ROX,RWOP",
                "Recycle",
                "Failed",
                "",
                "",
                "<unset>",
                "VolumeFailedRecycle",
                "12d"
            ]
        );
    }
}
