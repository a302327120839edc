//! The volumes section of pods and pod templates (`describeVolumes`), and the claim printer
//! PersistentVolumeClaims and ephemeral volumes share.

use serde_json::Value;

use crate::print::cells::access_modes;
use crate::print::describe::*;

/// `describeVolumes`.
pub(crate) fn describe_volumes(w: &mut Pw, volumes: &[Value], space: &str) {
    if volumes.is_empty() {
        w.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.w(0, &format!("{space}Volumes:\n"));
    for v in volumes {
        let ni = if space.is_empty() { "" } else { " " };
        w.w(1, &format!("{ni}{}:\n", s(v, &["name"])));
        volume_source(w, v, false);
    }
}

/// One volume source (pod volume or, with `pv`, a PersistentVolume's source).
// Long because: one branch per volume source type, in describe.go's `describeVolumes` switch
// order (the first source set wins); each branch is a few lines of its own printer.
pub(crate) fn volume_source(w: &mut Pw, v: &Value, pv: bool) {
    if let Some(h) = get(v, &["hostPath"]) {
        w.w(
            2,
            &format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                s(h, &["path"]),
                opt_s(h, &["type"]).unwrap_or("<none>")
            ),
        );
    } else if let Some(e) = get(v, &["emptyDir"]).filter(|_| !pv) {
        let limit = Qty::of(get(e, &["sizeLimit"]));
        let size = if get(e, &["sizeLimit"]).is_some() && limit.nano > 0 {
            quantity_string(get(e, &["sizeLimit"]))
        } else {
            "<unset>".to_string()
        };
        w.w(
            2,
            &format!(
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                s(e, &["medium"])
            ),
        );
    } else if let Some(g) = get(v, &["gcePersistentDisk"]) {
        w.w(
            2,
            &format!(
                "Type:\tGCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)\n    PDName:\t{}\n    FSType:\t{}\n    Partition:\t{}\n    ReadOnly:\t{}\n",
                s(g, &["pdName"]),
                s(g, &["fsType"]),
                i(g, &["partition"]),
                go_bool(b(g, &["readOnly"]))
            ),
        );
    } else if let Some(a) = get(v, &["awsElasticBlockStore"]) {
        w.w(
            2,
            &format!(
                "Type:\tAWSElasticBlockStore (a Persistent Disk resource in AWS)\n    VolumeID:\t{}\n    FSType:\t{}\n    Partition:\t{}\n    ReadOnly:\t{}\n",
                s(a, &["volumeID"]),
                s(a, &["fsType"]),
                i(a, &["partition"]),
                go_bool(b(a, &["readOnly"]))
            ),
        );
    } else if let Some(g) = get(v, &["gitRepo"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n    Repository:\t{}\n    Revision:\t{}\n",
                s(g, &["repository"]),
                s(g, &["revision"])
            ),
        );
    } else if let Some(sec) = get(v, &["secret"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                s(sec, &["secretName"]),
                go_bool(b(sec, &["optional"]))
            ),
        );
    } else if let Some(cm) = get(v, &["configMap"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                s(cm, &["name"]),
                go_bool(b(cm, &["optional"]))
            ),
        );
    } else if let Some(n) = get(v, &["nfs"]) {
        w.w(
            2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                s(n, &["server"]),
                s(n, &["path"]),
                go_bool(b(n, &["readOnly"]))
            ),
        );
    } else if let Some(c) = get(v, &["persistentVolumeClaim"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                s(c, &["claimName"]),
                go_bool(b(c, &["readOnly"]))
            ),
        );
    } else if let Some(e) = get(v, &["ephemeral"]).filter(|_| !pv) {
        w.w(
            2,
            "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n",
        );
        if let Some(t) = get(e, &["volumeClaimTemplate"]) {
            w.nest += 2;
            print_pvc(w, t, false);
            w.nest -= 2;
        }
    } else if let Some(d) = get(v, &["downwardAPI"]).filter(|_| !pv) {
        w.w(
            2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
        );
        for item in arr(d, &["items"]) {
            if let Some(f) = get(item, &["fieldRef"]) {
                w.w(
                    3,
                    &format!("{} -> {}\n", s(f, &["fieldPath"]), s(item, &["path"])),
                );
            }
            if let Some(r) = get(item, &["resourceFieldRef"]) {
                w.w(
                    3,
                    &format!("{} -> {}\n", s(r, &["resource"]), s(item, &["path"])),
                );
            }
        }
    } else if let Some(p) = get(v, &["projected"]).filter(|_| !pv) {
        w.w(
            2,
            "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
        );
        for src in arr(p, &["sources"]) {
            if let Some(sec) = get(src, &["secret"]) {
                w.w(
                    2,
                    &format!(
                        "SecretName:\t{}\n    Optional:\t{}\n",
                        s(sec, &["name"]),
                        go_bool(b(sec, &["optional"]))
                    ),
                );
            } else if get(src, &["downwardAPI"]).is_some() {
                w.w(2, "DownwardAPI:\ttrue\n");
            } else if let Some(cm) = get(src, &["configMap"]) {
                w.w(
                    2,
                    &format!(
                        "ConfigMapName:\t{}\n    Optional:\t{}\n",
                        s(cm, &["name"]),
                        go_bool(b(cm, &["optional"]))
                    ),
                );
            } else if let Some(t) = get(src, &["serviceAccountToken"]) {
                w.w(
                    2,
                    &format!(
                        "TokenExpirationSeconds:\t{}\n",
                        i(t, &["expirationSeconds"])
                    ),
                );
            }
        }
    } else if let Some(l) = get(v, &["local"]).filter(|_| pv) {
        w.w(
            2,
            &format!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                s(l, &["path"])
            ),
        );
    } else if let Some(c) = get(v, &["csi"]) {
        if pv {
            w.w(
                2,
                &format!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{}\n",
                    s(c, &["driver"]),
                    s(c, &["fsType"]),
                    s(c, &["volumeHandle"]),
                    go_bool(b(c, &["readOnly"]))
                ),
            );
        } else {
            w.w(
                2,
                &format!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                    s(c, &["driver"]),
                    s(c, &["fsType"]),
                    go_bool(b(c, &["readOnly"]))
                ),
            );
        }
        csi_attributes(w, get(c, &["volumeAttributes"]));
    } else if let Some(im) = get(v, &["image"]).filter(|_| !pv) {
        w.w(
            2,
            &format!(
                "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                s(im, &["reference"]),
                s(im, &["pullPolicy"])
            ),
        );
    } else {
        w.w(1, "<unknown>\n");
    }
}

/// `printCSIPersistentVolumeAttributesMultilineIndent`.
pub(crate) fn csi_attributes(w: &mut Pw, attrs: Option<&Value>) {
    w.w(2, "VolumeAttributes:\t");
    let pairs = string_map(attrs);
    if pairs.is_empty() {
        w.line("<none>");
        return;
    }
    for (n, (k, v)) in pairs.iter().enumerate() {
        if n != 0 {
            w.w(2, "");
            w.w(2, "\t");
        }
        let line = format!("{k}={v}");
        if line.len() > MAX_ANNOTATION_LEN {
            let mut cut = MAX_ANNOTATION_LEN;
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            w.w(2, &format!("{}...\n", &line[..cut]));
        } else {
            w.w(2, &format!("{line}\n"));
        }
    }
}

/// `storageutil.GetPersistentVolumeClaimClass`.
pub(crate) fn pvc_class(pvc: &Value) -> String {
    if let Some(c) = opt_s(
        pvc,
        &[
            "metadata",
            "annotations",
            "volume.beta.kubernetes.io/storage-class",
        ],
    ) {
        return c.to_string();
    }
    s(pvc, &["spec", "storageClassName"]).to_string()
}

/// `printPersistentVolumeClaim` (a full PVC, or an ephemeral volume's claim template).
pub(crate) fn print_pvc(w: &mut Pw, pvc: &Value, full: bool) {
    if full {
        w.w(0, &format!("Name:\t{}\n", s(pvc, &["metadata", "name"])));
        w.w(
            0,
            &format!("Namespace:\t{}\n", s(pvc, &["metadata", "namespace"])),
        );
    }
    w.w(0, &format!("StorageClass:\t{}\n", pvc_class(pvc)));
    if full {
        if get(pvc, &["metadata", "deletionTimestamp"]).is_some() {
            // No `now` here: the caller (describe_pvc) prints the terminating status.
        } else {
            w.w(0, &format!("Status:\t{}\n", s(pvc, &["status", "phase"])));
        }
    }
    let volume = s(pvc, &["spec", "volumeName"]);
    w.w(0, &format!("Volume:\t{volume}\n"));
    labels_multiline(w, "Labels", get(pvc, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(pvc, &["metadata", "annotations"]));
    if full {
        w.w(
            0,
            &format!(
                "Finalizers:\t{}\n",
                go_slice(arr(pvc, &["metadata", "finalizers"]))
            ),
        );
    }
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            quantity_string(get(pvc, &["status", "capacity", "storage"])),
            access_modes(get(pvc, &["status", "accessModes"])),
        )
    };
    w.w(0, &format!("Capacity:\t{capacity}\n"));
    w.w(0, &format!("Access Modes:\t{modes}\n"));
    if let Some(m) = opt_s(pvc, &["spec", "volumeMode"]) {
        w.w(0, &format!("VolumeMode:\t{m}\n"));
    }
    if let Some(ds) = get(pvc, &["spec", "dataSource"]) {
        w.w(0, "DataSource:\n");
        if let Some(g) = opt_s(ds, &["apiGroup"]) {
            w.w(1, &format!("APIGroup:\t{g}\n"));
        }
        w.w(1, &format!("Kind:\t{}\n", s(ds, &["kind"])));
        w.w(1, &format!("Name:\t{}\n", s(ds, &["name"])));
    }
}
