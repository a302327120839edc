//! component-helpers' `storage/volume/pv_helpers.go` and the PV controller's index
//! (`pkg/controller/volume/persistentvolume/index.go`): which PersistentVolume a claim may
//! bind to. Shared by the PersistentVolume controller (no node: `findBestMatchForClaim`) and
//! the scheduler's VolumeBinding plugin (a node: its labels decide the PV's node affinity).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};

use crate::kinds::pod::node_affinity::term_matches;
use crate::util::quantity::Quantity;
use crate::util::selector::Selector;

/// `pv.kubernetes.io/bind-completed` on a claim the controller finished binding.
pub const ANN_BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
/// `pv.kubernetes.io/bound-by-controller`: the controller, not the user, made the link.
pub const ANN_BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
/// The node the scheduler chose for a WaitForFirstConsumer claim.
pub const ANN_SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
/// Which provisioner must provision the claim.
pub const ANN_STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
/// The beta spelling of [`ANN_STORAGE_PROVISIONER`], still written beside it.
pub const ANN_BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
/// The provisioner that created a volume.
pub const ANN_DYNAMICALLY_PROVISIONED: &str = "pv.kubernetes.io/provisioned-by";
/// The beta class annotation, read before `spec.storageClassName`.
pub const ANN_BETA_CLASS: &str = "volume.beta.kubernetes.io/storage-class";
/// The finalizer that keeps a claim a pod uses.
pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
/// The finalizer that keeps a bound volume.
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
/// The provisioner of a class whose volumes are made by hand (local volumes).
pub const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// An annotation of an object in the API's JSON form.
pub fn annotation_of<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    v.pointer("/metadata/annotations")?.get(key)?.as_str()
}

/// The JSON pointer of the annotation `key` (its `/` and `~` escaped).
pub fn annotation_path(key: &str) -> String {
    format!(
        "/metadata/annotations/{}",
        key.replace('~', "~0").replace('/', "~1")
    )
}

fn annotation<'a>(
    m: &'a k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    k: &str,
) -> Option<&'a str> {
    m.annotations.as_ref()?.get(k).map(String::as_str)
}

/// `GetPersistentVolumeClaimClass`: the beta annotation, else `spec.storageClassName`.
pub fn claim_class(claim: &PersistentVolumeClaim) -> &str {
    annotation(&claim.metadata, ANN_BETA_CLASS)
        .or_else(|| claim.spec.as_ref()?.storage_class_name.as_deref())
        .unwrap_or("")
}

/// `GetPersistentVolumeClass`.
pub fn volume_class(pv: &PersistentVolume) -> &str {
    annotation(&pv.metadata, ANN_BETA_CLASS)
        .or_else(|| pv.spec.as_ref()?.storage_class_name.as_deref())
        .unwrap_or("")
}

/// The claim's `spec.resources.requests.storage` (zero when absent).
pub fn requested(claim: &PersistentVolumeClaim) -> Quantity {
    claim
        .spec
        .as_ref()
        .and_then(|s| s.resources.as_ref()?.requests.as_ref()?.get("storage"))
        .and_then(|q| Quantity::parse(&q.0).ok())
        .unwrap_or_else(Quantity::zero)
}

/// The volume's `spec.capacity.storage` (zero when absent).
pub fn capacity(pv: &PersistentVolume) -> Quantity {
    pv.spec
        .as_ref()
        .and_then(|s| s.capacity.as_ref()?.get("storage"))
        .and_then(|q| Quantity::parse(&q.0).ok())
        .unwrap_or_else(Quantity::zero)
}

/// `IsVolumeBoundToClaim`: the claimRef names the claim (and its uid, when the ref has one).
pub fn is_bound_to_claim(pv: &PersistentVolume, claim: &PersistentVolumeClaim) -> bool {
    let Some(r) = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref()) else {
        return false;
    };
    r.name.as_deref() == claim.metadata.name.as_deref()
        && r.namespace.as_deref() == claim.metadata.namespace.as_deref()
        && r.uid
            .as_deref()
            .is_none_or(|u| u.is_empty() || Some(u) == claim.metadata.uid.as_deref())
}

/// `CheckVolumeModeMismatches`: an absent mode is `Filesystem` on both sides.
pub fn volume_mode_mismatch(claim: &PersistentVolumeClaim, pv: &PersistentVolume) -> bool {
    let c = claim.spec.as_ref().and_then(|s| s.volume_mode.as_deref());
    let v = pv.spec.as_ref().and_then(|s| s.volume_mode.as_deref());
    c.unwrap_or("Filesystem") != v.unwrap_or("Filesystem")
}

fn modes_of(m: Option<&Vec<String>>) -> BTreeSet<&str> {
    m.into_iter().flatten().map(String::as_str).collect()
}

/// `CheckAccessModes`: every mode the claim asks for is one the volume offers.
pub fn access_modes_fit(claim: &PersistentVolumeClaim, pv: &PersistentVolume) -> bool {
    let offered = modes_of(pv.spec.as_ref().and_then(|s| s.access_modes.as_ref()));
    modes_of(claim.spec.as_ref().and_then(|s| s.access_modes.as_ref()))
        .iter()
        .all(|m| offered.contains(m))
}

/// `CheckNodeAffinity`: the volume's required node affinity (terms ORed) against a node.
pub fn node_affinity_fits(
    pv: &PersistentVolume,
    labels: &BTreeMap<String, String>,
    name: &str,
) -> bool {
    match pv
        .spec
        .as_ref()
        .and_then(|s| s.node_affinity.as_ref()?.required.as_ref())
    {
        None => true,
        Some(req) => req
            .node_selector_terms
            .iter()
            .any(|t| term_matches(t, labels, Some(name))),
    }
}

fn phase(pv: &PersistentVolume) -> &str {
    pv.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

/// A node for the scheduler's path: its labels and name.
pub type NodeRef<'a> = (&'a BTreeMap<String, String>, &'a str);

/// `FindMatchingVolume` over `volumes` in their order: a volume pre-bound to the claim wins at
/// once; otherwise the smallest Available volume of the claim's class whose size, volume mode,
/// labels (the claim's selector) and, with a node, node affinity and access modes fit (the
/// first of equal sizes). With `delay_binding` and no node (the controller's path for a
/// WaitForFirstConsumer claim) only a pre-bound volume is taken.
pub fn find_matching_volume<'a>(
    claim: &PersistentVolumeClaim,
    volumes: &[&'a PersistentVolume],
    node: Option<NodeRef>,
    delay_binding: bool,
) -> Option<&'a PersistentVolume> {
    let want = requested(claim);
    let class = claim_class(claim);
    let selector = claim
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .map(|ls| Selector::from_label_selector(ls).unwrap_or_else(|_| Selector::nothing()));
    let empty = BTreeMap::new();
    let mut best: Option<(&PersistentVolume, Quantity)> = None;
    for &pv in volumes {
        let has_ref = pv
            .spec
            .as_ref()
            .and_then(|s| s.claim_ref.as_ref())
            .is_some();
        if has_ref && !is_bound_to_claim(pv, claim) {
            continue;
        }
        let size = capacity(pv);
        if size < want || volume_mode_mismatch(claim, pv) {
            continue;
        }
        if pv.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let affinity_ok = node.is_none_or(|(labels, name)| node_affinity_fits(pv, labels, name));
        if is_bound_to_claim(pv, claim) {
            return affinity_ok.then_some(pv);
        }
        if node.is_none() && delay_binding {
            continue;
        }
        if phase(pv) != "Available" {
            continue;
        }
        let labels = pv.metadata.labels.as_ref().unwrap_or(&empty);
        if selector.as_ref().is_some_and(|s| !s.matches(labels)) {
            continue;
        }
        if volume_class(pv) != class || !affinity_ok {
            continue;
        }
        if node.is_some() && !access_modes_fit(claim, pv) {
            continue;
        }
        if best.as_ref().is_none_or(|(_, q)| *q > size) {
            best = Some((pv, size));
        }
    }
    best.map(|(pv, _)| pv)
}

/// The PV controller's `findBestMatchForClaim`: volumes grouped by their access-mode sets;
/// the sets that hold every mode the claim asks for are tried from the fewest modes up, and
/// the first that yields a match wins (volumes of a set in name order).
pub fn find_best_match<'a>(
    claim: &PersistentVolumeClaim,
    volumes: &[&'a PersistentVolume],
    delay_binding: bool,
) -> Option<&'a PersistentVolume> {
    let wanted = modes_of(claim.spec.as_ref().and_then(|s| s.access_modes.as_ref()));
    let mut sets: BTreeMap<BTreeSet<&str>, Vec<&'a PersistentVolume>> = BTreeMap::new();
    for &pv in volumes {
        let m = modes_of(pv.spec.as_ref().and_then(|s| s.access_modes.as_ref()));
        sets.entry(m).or_default().push(pv);
    }
    let mut candidates: Vec<(&BTreeSet<&str>, &Vec<&'a PersistentVolume>)> = sets
        .iter()
        .filter(|(m, _)| wanted.iter().all(|w| m.contains(w)))
        .collect();
    candidates.sort_by_key(|(m, _)| m.len());
    for (_, vols) in candidates {
        let mut vols = vols.clone();
        vols.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        if let Some(pv) = find_matching_volume(claim, &vols, None, delay_binding) {
            return Some(pv);
        }
    }
    None
}

/// `checkVolumeSatisfyClaim`: why a volume the claim names (`spec.volumeName`) cannot be it.
pub fn check_volume_satisfy_claim(
    pv: &PersistentVolume,
    claim: &PersistentVolumeClaim,
) -> Result<(), String> {
    if pv.metadata.deletion_timestamp.is_some() {
        return Err(format!(
            "the volume is marked for deletion {:?}",
            pv.metadata.name.as_deref().unwrap_or("")
        ));
    }
    if capacity(pv).value() < requested(claim).value() {
        return Err("requested PV is too small".into());
    }
    if volume_class(pv) != claim_class(claim) {
        return Err("storageClassName does not match".into());
    }
    if volume_mode_mismatch(claim, pv) {
        return Err("incompatible volumeMode".into());
    }
    if !access_modes_fit(claim, pv) {
        return Err("incompatible accessMode".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn pv(v: Value) -> PersistentVolume {
        serde_json::from_value(v).unwrap()
    }

    fn vol(name: &str, size: &str, modes: &[&str], class: &str) -> PersistentVolume {
        pv(json!({"metadata": {"name": name},
            "spec": {"capacity": {"storage": size}, "accessModes": modes,
                     "storageClassName": class, "hostPath": {"path": "/tmp"}},
            "status": {"phase": "Available"}}))
    }

    fn claim(size: &str, modes: &[&str], class: &str) -> PersistentVolumeClaim {
        serde_json::from_value(json!({"metadata": {"name": "claim01", "namespace": "myns",
                "uid": "uid01"},
            "spec": {"accessModes": modes, "storageClassName": class,
                     "resources": {"requests": {"storage": size}}}}))
        .unwrap()
    }

    /// index_test.go's volumes: gce (RWO, ROX) 1G 5G 10G 50G 100G, nfs (RWO, ROX, RWX)
    /// 1G 5G 10G 50G 100G, ebs (RWO) 1G and a class "silver"/"gold" pair.
    fn volumes() -> Vec<PersistentVolume> {
        let mut v = Vec::new();
        for s in ["1G", "5G", "10G", "50G", "100G"] {
            v.push(vol(
                &format!("gce-pd-{s}"),
                s,
                &["ReadWriteOnce", "ReadOnlyMany"],
                "",
            ));
            v.push(vol(
                &format!("nfs-{s}"),
                s,
                &["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"],
                "",
            ));
        }
        v.push(vol("ebs-1G", "1G", &["ReadWriteOnce"], ""));
        v.push(vol("gce-silver", "20G", &["ReadWriteOnce"], "silver"));
        v.push(vol("gce-gold", "30G", &["ReadWriteOnce"], "gold"));
        v
    }

    fn best(c: &PersistentVolumeClaim, vols: &[PersistentVolume]) -> Option<String> {
        let refs: Vec<&PersistentVolume> = vols.iter().collect();
        find_best_match(c, &refs, false).and_then(|p| p.metadata.name.clone())
    }

    #[test]
    fn match_volume_follows_index_test() {
        let vols = volumes();
        // TestMatchVolume: (claim size, modes, class) → the volume chosen.
        let cases: &[(&str, &[&str], &str, Option<&str>)] = &[
            // successful-match-gce-10: the smallest RWO+ROX set that fits.
            (
                "8G",
                &["ReadOnlyMany", "ReadWriteOnce"],
                "",
                Some("gce-pd-10G"),
            ),
            // successful-match-nfs-5: RWX only in the nfs set.
            (
                "5G",
                &["ReadOnlyMany", "ReadWriteOnce", "ReadWriteMany"],
                "",
                Some("nfs-5G"),
            ),
            // successful-skip-1g-bound-volume / the fewest modes first: RWO alone → ebs.
            ("1G", &["ReadWriteOnce"], "", Some("ebs-1G")),
            // RWO alone, too big for ebs: the next set up (gce), smallest that fits.
            ("2G", &["ReadWriteOnce"], "", Some("gce-pd-5G")),
            // successful-no-match: nothing is 999G.
            ("999G", &["ReadWriteOnce"], "", None),
            // successful-match-with-class.
            ("1G", &["ReadWriteOnce"], "silver", Some("gce-silver")),
            ("1G", &["ReadWriteOnce"], "gold", Some("gce-gold")),
            // no volume of a class that does not exist.
            ("1G", &["ReadWriteOnce"], "bronze", None),
        ];
        for (size, modes, class, want) in cases {
            let c = claim(size, modes, class);
            assert_eq!(
                best(&c, &vols).as_deref(),
                *want,
                "{size} {modes:?} {class}"
            );
        }
    }

    #[test]
    fn prebound_selector_mode_and_phase() {
        let mut vols = volumes();
        let c = claim("1G", &["ReadWriteOnce"], "");
        // A volume pre-bound to the claim wins over a smaller one (successful-match-prebound).
        vols[8].spec.as_mut().unwrap().claim_ref =
            serde_json::from_value(json!({"name": "claim01", "namespace": "myns"})).unwrap();
        // (The RWO-only set, ebs, would win for an RWO claim: sets are tried fewest first.)
        let c2 = claim("1G", &["ReadWriteOnce", "ReadOnlyMany"], "");
        assert_eq!(best(&c2, &vols).as_deref(), Some("gce-pd-100G"));
        // Pre-bound to another claim: skipped.
        vols[8].spec.as_mut().unwrap().claim_ref =
            serde_json::from_value(json!({"name": "other", "namespace": "myns"})).unwrap();
        assert_eq!(best(&c, &vols).as_deref(), Some("ebs-1G"));
        // A selector: only labelled volumes.
        let mut sel = c.clone();
        sel.spec.as_mut().unwrap().selector =
            serde_json::from_value(json!({"matchLabels": {"tier": "fast"}})).unwrap();
        assert_eq!(best(&sel, &vols), None);
        vols[4].metadata.labels = Some([("tier".into(), "fast".into())].into());
        assert_eq!(best(&sel, &vols).as_deref(), Some("gce-pd-10G"));
        // Block claims match only Block volumes.
        let mut block = c.clone();
        block.spec.as_mut().unwrap().volume_mode = Some("Block".into());
        assert_eq!(best(&block, &vols), None);
        vols[2].spec.as_mut().unwrap().volume_mode = Some("Block".into());
        assert_eq!(best(&block, &vols).as_deref(), Some("gce-pd-5G"));
        // Not Available (Released) and being deleted: skipped.
        vols[10].status.as_mut().unwrap().phase = Some("Released".into());
        assert_eq!(best(&c, &vols).as_deref(), Some("gce-pd-1G"));
        vols[0].metadata.deletion_timestamp =
            serde_json::from_value(json!("2025-01-01T00:00:00Z")).unwrap();
        assert_eq!(best(&c, &vols).as_deref(), Some("gce-pd-10G"));
        // WaitForFirstConsumer on the controller's path: only pre-bound volumes.
        let refs: Vec<&PersistentVolume> = vols.iter().collect();
        assert!(find_best_match(&c, &refs, true).is_none());
    }

    #[test]
    fn node_affinity_on_the_scheduler_path() {
        let local = pv(json!({"metadata": {"name": "local-1"},
            "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"],
                     "storageClassName": "local", "local": {"path": "/mnt/disks/1"},
                     "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                        {"key": "kubernetes.io/hostname", "operator": "In", "values": ["n1"]}]}]}}},
            "status": {"phase": "Available"}}));
        let c = claim("1Gi", &["ReadWriteOnce"], "local");
        let n1: BTreeMap<String, String> = [("kubernetes.io/hostname".into(), "n1".into())].into();
        let n2: BTreeMap<String, String> = [("kubernetes.io/hostname".into(), "n2".into())].into();
        assert!(find_matching_volume(&c, &[&local], Some((&n1, "n1")), true).is_some());
        assert!(find_matching_volume(&c, &[&local], Some((&n2, "n2")), true).is_none());
        // The controller's path does not take it for a delayed claim.
        assert!(find_matching_volume(&c, &[&local], None, true).is_none());
        assert!(find_matching_volume(&c, &[&local], None, false).is_some());
    }

    #[test]
    fn volume_satisfies_claim() {
        let v = vol("v", "5Gi", &["ReadWriteOnce"], "manual");
        let ok = claim("3Gi", &["ReadWriteOnce"], "manual");
        assert_eq!(check_volume_satisfy_claim(&v, &ok), Ok(()));
        let big = claim("6Gi", &["ReadWriteOnce"], "manual");
        assert_eq!(
            check_volume_satisfy_claim(&v, &big).unwrap_err(),
            "requested PV is too small"
        );
        let other = claim("1Gi", &["ReadWriteOnce"], "fast");
        assert_eq!(
            check_volume_satisfy_claim(&v, &other).unwrap_err(),
            "storageClassName does not match"
        );
        let rwx = claim("1Gi", &["ReadWriteMany"], "manual");
        assert_eq!(
            check_volume_satisfy_claim(&v, &rwx).unwrap_err(),
            "incompatible accessMode"
        );
    }
}
