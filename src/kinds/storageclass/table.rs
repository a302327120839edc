//! `kubectl get storageclasses`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("PROVISIONER"),
    n("RECLAIMPOLICY"),
    n("VOLUMEBINDINGMODE"),
    n("ALLOWVOLUMEEXPANSION"),
    n("AGE"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    storage_class_row(obj, now)
}

fn storage_class_row(obj: &Value, now: Timestamp) -> Vec<String> {
    let is_default = annotation(obj, "storageclass.kubernetes.io/is-default-class") == Some("true")
        || annotation(obj, "storageclass.beta.kubernetes.io/is-default-class") == Some("true");
    let mut display = name(obj);
    if is_default {
        display.push_str(" (default)");
    }
    vec![
        display,
        string(obj, &["provisioner"]).to_string(),
        opt_string(obj, &["reclaimPolicy"])
            .unwrap_or("Delete")
            .to_string(),
        opt_string(obj, &["volumeBindingMode"])
            .unwrap_or("Immediate")
            .to_string(),
        opt_bool(obj, &["allowVolumeExpansion"])
            .unwrap_or(false)
            .to_string(),
        creation_age(obj, now),
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use serde_json::json;

    #[test]
    fn storage_class() {
        let sc = json!({
            "metadata": {"name": "standard", "creationTimestamp": "2025-05-20T12:00:00Z",
                         "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer"
        });
        assert_eq!(
            narrow("StorageClass", &sc),
            [
                "standard (default)",
                "rancher.io/local-path",
                "Delete",
                "WaitForFirstConsumer",
                "false",
                "12d"
            ]
        );
        let beta = json!({
            "metadata": {"name": "fast",
                         "annotations": {"storageclass.beta.kubernetes.io/is-default-class": "true"}},
            "provisioner": "ebs.csi.aws.com", "allowVolumeExpansion": true
        });
        assert_eq!(
            narrow("StorageClass", &beta),
            [
                "fast (default)",
                "ebs.csi.aws.com",
                "Delete",
                "Immediate",
                "true",
                "<unknown>"
            ]
        );
        let not_default = json!({"metadata": {"name": "slow", "annotations": {
            "storageclass.kubernetes.io/is-default-class": "false"}},
            "provisioner": "p", "reclaimPolicy": "Retain"});
        assert_eq!(
            narrow("StorageClass", &not_default)[..3],
            ["slow", "p", "Retain"]
        );
    }
}
