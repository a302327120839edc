//! The PersistentVolume controller (pkg/controller/volume/persistentvolume, kube-controller-
//! manager's `persistentvolume-binder`, events from `persistentvolume-controller`): it binds
//! claims to volumes both ways (`claimRef` on the volume, `spec.volumeName` on the claim, the
//! `bind-completed` and `bound-by-controller` annotations, both statuses), keeps the phases
//! (`Available`, `Bound`, `Released`, `Failed`; claims `Pending`, `Bound`, `Lost`), reclaims
//! the volumes of deleted claims (`Retain` leaves them `Released`; `Delete` deletes them, an
//! external provisioner's volumes being left to it; the in-tree hostPath deleter only takes
//! paths under /tmp) and asks for dynamic provisioning (the storage-provisioner annotations
//! and `ExternalProvisioning`), or waits (`WaitForFirstConsumer`) until the scheduler picks a
//! node for a claim whose class binds late.
//!
//! As upstream, a claim still `Pending` is synced again every 15 s (the binder's resync
//! period), so its event counts grow as a real one's: the resync is a lazy timer, and a sync
//! that runs late counts every period it missed at once.
//!
//! Matching is [`crate::kinds::persistentvolume::helpers`] (pv_helpers.go and index.go),
//! shared with the scheduler's VolumeBinding plugin.

use super::Controller;
use crate::api::errors::ApiError;
use crate::api::{Api, Change, DeleteOptions, Involved, Op, Ptr, fmt_time, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds;
use crate::kinds::persistentvolume::helpers::*;
use crate::util::fields::Fields;
use jiff::SignedDuration;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use k8s_openapi::api::storage::v1::StorageClass;
use serde_json::{Value, json};

pub const COMPONENT: &str = "persistentvolume-controller";
/// `--pvclaimbinder-sync-period`.
pub const RESYNC_SECS: i64 = 15;

const CLAIM_KEY: &str = "claim:";
const RESYNC_KEY: &str = "resync:";
const VOLUME_KEY: &str = "volume:";
/// Every volume (a claim went away: the volumes that pointed at it are released).
const ALL_VOLUMES: &str = "volumes";
/// Every pending claim (a volume or a class appeared): each is matched again at once, without
/// its event (upstream finds the match at its next resync; the event is the resync's).
const PENDING_CLAIMS: &str = "pending-claims";
/// Work keys `match:claim:<ns>/<name>`: [`PENDING_CLAIMS`]'s syncs.
const MATCH_KEY: &str = "match:";

pub struct PersistentVolumeController;

fn decode<T: serde::de::DeserializeOwned>(v: &Value) -> Option<T> {
    T::deserialize(v).ok()
}

use crate::kinds::persistentvolume::helpers::annotation_of as ann;

fn phase_of(v: &Value) -> &str {
    v.ptr("/status/phase").and_then(Value::as_str).unwrap_or("")
}

/// What a claim's sync has to say: an event, or nothing.
struct Said {
    type_: &'static str,
    reason: &'static str,
    message: String,
}

fn said(type_: &'static str, reason: &'static str, message: impl Into<String>) -> Option<Said> {
    Some(Said {
        type_,
        reason,
        message: message.into(),
    })
}

/// A claim's namespace and name.
fn claim_key(claim: &PersistentVolumeClaim) -> (&str, &str) {
    (
        claim.metadata.namespace.as_deref().unwrap_or(""),
        claim.metadata.name.as_deref().unwrap_or(""),
    )
}

/// `IsDelayBindingMode`: the claim's class exists and binds on first consumer.
pub fn is_delay_binding(api: &mut Api, claim: &PersistentVolumeClaim) -> Result<bool, ApiError> {
    let class = claim_class(claim);
    if class.is_empty() {
        return Ok(false);
    }
    Ok(api
        .try_get_ref(&kinds::storageclass::KIND, "", class)?
        .and_then(|c| c.get("volumeBindingMode"))
        .and_then(Value::as_str)
        == Some("WaitForFirstConsumer"))
}

/// The unscheduled pods of the claim's namespace that use it (`findNonScheduledPodsByPVC`).
/// A pod created this very second is not counted: the controller's pod informer has not
/// seen it yet when it first syncs a claim made with it (a StatefulSet's claim and pod).
fn unscheduled_users(api: &mut Api, ns: &str, claim: &str) -> Result<Vec<String>, ApiError> {
    let mut out = Vec::new();
    let now = fmt_time(api.now());
    for p in api.list_ref(&kinds::pod::KIND, Some(ns))? {
        if p.ptr("/metadata/creationTimestamp").and_then(Value::as_str) == Some(now.as_str()) {
            continue;
        }
        let scheduled = p
            .ptr("/spec/nodeName")
            .and_then(Value::as_str)
            .is_some_and(|n| !n.is_empty());
        if !scheduled && pod_uses_claim(p, claim) {
            out.push(name_of(p).to_string());
        }
    }
    Ok(out)
}

/// Whether a pod's volumes name the claim.
pub fn pod_uses_claim(pod: &Value, claim: &str) -> bool {
    pod.ptr("/spec/volumes")
        .and_then(Value::as_array)
        .is_some_and(|vs| {
            vs.iter().any(|v| {
                v.ptr("/persistentVolumeClaim/claimName")
                    .and_then(Value::as_str)
                    == Some(claim)
            })
        })
}

impl PersistentVolumeController {
    /// Writes a volume's phase (and message) when it differs (`updateVolumePhase`); the API
    /// server's strategy stamps `lastPhaseTransitionTime` on a change of phase.
    fn set_volume_phase(
        api: &mut Api,
        name: &str,
        phase: &str,
        message: &str,
    ) -> Result<Option<Value>, ApiError> {
        let info = &kinds::persistentvolume::KIND;
        let Some(mut pv) = api.try_get(info, "", name)? else {
            return Ok(None);
        };
        let cur_msg = pv
            .ptr("/status/message")
            .and_then(Value::as_str)
            .unwrap_or("");
        if phase_of(&pv) == phase && cur_msg == message {
            return Ok(Some(pv));
        }
        let now = fmt_time(api.now());
        let st = pv.fields_at("/status")?;
        st.insert("phase".into(), json!(phase));
        if message.is_empty() {
            st.remove("message");
        } else {
            st.insert("message".into(), json!(message));
        }
        st.insert("lastPhaseTransitionTime".into(), json!(now));
        api.update_status(info, "", pv).map(Some)
    }

    /// `updateClaimStatus`: the phase, and for `Bound` the volume's access modes and
    /// capacity.
    fn set_claim_status(
        api: &mut Api,
        ns: &str,
        name: &str,
        phase: &str,
        volume: Option<&Value>,
    ) -> Result<bool, ApiError> {
        let info = &kinds::persistentvolumeclaim::KIND;
        let Some(mut claim) = api.try_get(info, ns, name)? else {
            return Ok(false);
        };
        let before = claim.get("status").cloned();
        let st = claim.fields_at("/status")?;
        st.insert("phase".into(), json!(phase));
        if let Some(pv) = volume {
            if let Some(m) = pv.ptr("/spec/accessModes") {
                st.insert("accessModes".into(), m.clone());
            }
            if let Some(c) = pv.ptr("/spec/capacity") {
                st.insert("capacity".into(), c.clone());
            }
        }
        if claim.get("status") == before.as_ref() {
            return Ok(false);
        }
        api.update_status(info, ns, claim)?;
        Ok(true)
    }

    /// `bind`: the volume to the claim, the volume `Bound`, the claim to the volume, the
    /// claim `Bound` (each step written only when it changes something).
    fn bind(api: &mut Api, pv_name: &str, ns: &str, claim_name: &str) -> Result<(), ApiError> {
        let pv_info = &kinds::persistentvolume::KIND;
        let pvc_info = &kinds::persistentvolumeclaim::KIND;
        let Some(claim) = api.try_get(pvc_info, ns, claim_name)? else {
            return Ok(());
        };
        let Some(mut pv) = api.try_get(pv_info, "", pv_name)? else {
            return Ok(());
        };
        // bindVolumeToClaim
        let uid = claim.ptr("/metadata/uid").cloned().unwrap_or(Value::Null);
        let cref = pv.ptr("/spec/claimRef");
        let same = cref.is_some_and(|r| {
            r.get("name").and_then(Value::as_str) == Some(claim_name)
                && r.get("namespace").and_then(Value::as_str) == Some(ns)
                && r.get("uid") == Some(&uid)
        });
        if !same {
            let by_controller = cref.is_none();
            pv.set(
                "/spec/claimRef",
                json!({"kind": "PersistentVolumeClaim", "namespace": ns, "name": claim_name,
                       "uid": uid, "apiVersion": "v1",
                       "resourceVersion": claim.ptr("/metadata/resourceVersion").cloned()
                            .unwrap_or(Value::Null)}),
            )?;
            if by_controller {
                pv.set(&annotation_path(ANN_BOUND_BY_CONTROLLER), json!("yes"))?;
            }
            api.update(pv_info, "", pv)?;
        }
        let Some(pv) = Self::set_volume_phase(api, pv_name, "Bound", "")? else {
            return Ok(());
        };
        // bindClaimToVolume
        let mut claim = claim;
        let mut dirty = false;
        if claim.ptr("/spec/volumeName").and_then(Value::as_str) != Some(pv_name) {
            claim.set("/spec/volumeName", json!(pv_name))?;
            claim.set(&annotation_path(ANN_BOUND_BY_CONTROLLER), json!("yes"))?;
            dirty = true;
        }
        if ann(&claim, ANN_BIND_COMPLETED).is_none() {
            claim.set(&annotation_path(ANN_BIND_COMPLETED), json!("yes"))?;
            dirty = true;
        }
        if dirty {
            api.update(pvc_info, ns, claim)?;
        }
        Self::set_claim_status(api, ns, claim_name, "Bound", Some(&pv))?;
        Ok(())
    }

    /// `syncClaim`: returns the event the sync makes, if any (the caller records it, counted
    /// per resync period).
    fn sync_claim(api: &mut Api, ns: &str, name: &str) -> Result<Option<Said>, ApiError> {
        let pvc_info = &kinds::persistentvolumeclaim::KIND;
        let Some(v) = api.try_get_ref(pvc_info, ns, name)? else {
            return Ok(None);
        };
        let Some(claim) = decode::<PersistentVolumeClaim>(v) else {
            return Ok(None);
        };
        let bound = ann(v, ANN_BIND_COMPLETED).is_some();
        if bound {
            Self::sync_bound_claim(api, &claim)
        } else {
            Self::sync_unbound_claim(api, &claim)
        }
    }

    fn sync_bound_claim(
        api: &mut Api,
        claim: &PersistentVolumeClaim,
    ) -> Result<Option<Said>, ApiError> {
        let (ns, name) = claim_key(claim);
        let phase = claim
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or("");
        let lost = |api: &mut Api, reason: &'static str, msg: &str| {
            if phase == "Lost" {
                return Ok(None);
            }
            Self::set_claim_status(api, ns, name, "Lost", None)?;
            Ok(said("Warning", reason, msg))
        };
        let vol = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .unwrap_or("");
        if vol.is_empty() {
            return lost(
                api,
                "ClaimLost",
                "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
            );
        }
        let Some(pv) = api.try_get_ref(&kinds::persistentvolume::KIND, "", vol)? else {
            return lost(
                api,
                "ClaimLost",
                "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
            );
        };
        let ref_uid = pv.ptr("/spec/claimRef/uid").and_then(Value::as_str);
        let has_ref = pv.ptr("/spec/claimRef").is_some();
        if !has_ref || ref_uid == claim.metadata.uid.as_deref() {
            Self::bind(api, vol, ns, name)?;
            return Ok(None);
        }
        lost(
            api,
            "ClaimMisbound",
            "Two claims are bound to the same volume, this one is bound incorrectly",
        )
    }

    fn volumes(api: &mut Api) -> Result<Vec<PersistentVolume>, ApiError> {
        Ok(api
            .list_ref(&kinds::persistentvolume::KIND, None)?
            .into_iter()
            .filter_map(decode::<PersistentVolume>)
            .collect())
    }

    // Long because: syncUnboundClaim's two branches (any volume; the volume the claim names)
    // with their cases, in upstream's order.
    fn sync_unbound_claim(
        api: &mut Api,
        claim: &PersistentVolumeClaim,
    ) -> Result<Option<Said>, ApiError> {
        let (ns, name) = claim_key(claim);
        let wanted = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .unwrap_or("");
        if wanted.is_empty() {
            let delay = is_delay_binding(api, claim)?;
            let vols = Self::volumes(api)?;
            let refs: Vec<&PersistentVolume> = vols.iter().collect();
            if let Some(pv) = find_best_match(claim, &refs, delay) {
                let pv_name = pv.metadata.name.clone().unwrap_or_default();
                Self::bind(api, &pv_name, ns, name)?;
                return Ok(None);
            }
            let selected = claim
                .metadata
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key(ANN_SELECTED_NODE));
            let event = if delay && !selected {
                let pods = unscheduled_users(api, ns, name)?;
                match pods.len() {
                    0 => said(
                        "Normal",
                        "WaitForFirstConsumer",
                        "waiting for first consumer to be created before binding",
                    ),
                    1 => said(
                        "Normal",
                        "WaitForPodScheduled",
                        format!("waiting for pod {} to be scheduled", pods[0]),
                    ),
                    _ => said(
                        "Normal",
                        "WaitForPodScheduled",
                        format!("waiting for pods {} to be scheduled", pods.join(",")),
                    ),
                }
            } else if !claim_class(claim).is_empty() {
                return Self::provision_claim(api, claim);
            } else {
                said(
                    "Normal",
                    "FailedBinding",
                    "no persistent volumes available for this claim and no storage class is set",
                )
            };
            Self::set_claim_status(api, ns, name, "Pending", None)?;
            return Ok(event);
        }
        let Some(pv_val) = api
            .try_get_ref(&kinds::persistentvolume::KIND, "", wanted)?
            .cloned()
        else {
            Self::set_claim_status(api, ns, name, "Pending", None)?;
            return Ok(None);
        };
        let Some(pv) = decode::<PersistentVolume>(&pv_val) else {
            return Ok(None);
        };
        let has_ref = pv
            .spec
            .as_ref()
            .and_then(|s| s.claim_ref.as_ref())
            .is_some();
        if !has_ref {
            if let Err(e) = check_volume_satisfy_claim(&pv, claim) {
                Self::set_claim_status(api, ns, name, "Pending", None)?;
                return Ok(said(
                    "Warning",
                    "VolumeMismatch",
                    format!("Cannot bind to requested volume {wanted:?}: {e}"),
                ));
            }
            Self::bind(api, wanted, ns, name)?;
            return Ok(None);
        }
        if is_bound_to_claim(&pv, claim) {
            Self::bind(api, wanted, ns, name)?;
            return Ok(None);
        }
        let msg = format!("volume {wanted:?} already bound to a different claim.");
        if claim
            .metadata
            .annotations
            .as_ref()
            .is_none_or(|a| !a.contains_key(ANN_BOUND_BY_CONTROLLER))
        {
            Self::set_claim_status(api, ns, name, "Pending", None)?;
        }
        Ok(said("Warning", "FailedBinding", msg))
    }

    /// `provisionClaim` for an external provisioner (`provisionClaimOperationExternal`): the
    /// storage-provisioner annotations, then `ExternalProvisioning`; a class that does not
    /// exist is `ProvisioningFailed`.
    fn provision_claim(
        api: &mut Api,
        claim: &PersistentVolumeClaim,
    ) -> Result<Option<Said>, ApiError> {
        let (ns, name) = claim_key(claim);
        let class_name = claim_class(claim);
        let Some(class) = api
            .try_get_ref(&kinds::storageclass::KIND, "", class_name)?
            .and_then(decode::<StorageClass>)
        else {
            return Ok(said(
                "Warning",
                "ProvisioningFailed",
                format!("storageclass.storage.k8s.io {class_name:?} not found"),
            ));
        };
        let provisioner = class.provisioner.clone();
        if provisioner.starts_with("kubernetes.io/") {
            return Ok(said(
                "Warning",
                "ProvisioningFailed",
                format!("no volume plugin matched name: {provisioner}"),
            ));
        }
        let info = &kinds::persistentvolumeclaim::KIND;
        if let Some(mut v) = api.try_get(info, ns, name)?
            && (ann(&v, ANN_STORAGE_PROVISIONER) != Some(&provisioner)
                || ann(&v, ANN_BETA_STORAGE_PROVISIONER) != Some(&provisioner))
        {
            for key in [ANN_BETA_STORAGE_PROVISIONER, ANN_STORAGE_PROVISIONER] {
                v.set(&annotation_path(key), json!(provisioner))?;
            }
            api.update(info, ns, v)?;
        }
        Ok(said(
            "Normal",
            "ExternalProvisioning",
            format!(
                "Waiting for a volume to be created either by the external provisioner '{provisioner}' \
                 or manually by the system administrator. If volume creation is delayed, please \
                 verify that the provisioner is running and correctly registered."
            ),
        ))
    }

    /// `syncVolume`.
    // Long because: syncVolume's cases (unclaimed, pre-bound, claim gone, claim not bound
    // yet, bound here, bound elsewhere) in upstream's order.
    fn sync_volume(api: &mut Api, name: &str) -> Result<Vec<String>, ApiError> {
        let pv_info = &kinds::persistentvolume::KIND;
        let Some(v) = api.try_get_ref(pv_info, "", name)?.cloned() else {
            return Ok(vec![]);
        };
        let v = &v;
        let Some(pv) = decode::<PersistentVolume>(v) else {
            return Ok(vec![]);
        };
        let Some(cref) = pv.spec.as_ref().and_then(|s| s.claim_ref.clone()) else {
            Self::set_volume_phase(api, name, "Available", "")?;
            return Ok(vec![]);
        };
        let cref_uid = cref.uid.clone().unwrap_or_default();
        if cref_uid.is_empty() {
            Self::set_volume_phase(api, name, "Available", "")?;
            return Ok(vec![]);
        }
        let ns = cref.namespace.clone().unwrap_or_default();
        let cname = cref.name.clone().unwrap_or_default();
        let claim = api
            .try_get_ref(&kinds::persistentvolumeclaim::KIND, &ns, &cname)?
            .and_then(decode::<PersistentVolumeClaim>)
            .filter(|c| c.metadata.uid.as_deref() == Some(cref_uid.as_str()));
        let Some(claim) = claim else {
            Self::release(api, v)?;
            return Ok(vec![]);
        };
        let claim_vol = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .unwrap_or("");
        if claim_vol.is_empty() {
            if volume_mode_mismatch(&claim, &pv) {
                let pv_v = v.clone();
                api.record_event(
                    &pv_v,
                    "Warning",
                    "VolumeMismatch",
                    &format!("Cannot bind PersistentVolume to requested PersistentVolumeClaim {cname:?} due to incompatible volumeMode."),
                    COMPONENT,
                    None,
                );
                api.record_event_about(
                    &kinds::persistentvolumeclaim::KIND,
                    &ns,
                    &cname,
                    "Warning",
                    "VolumeMismatch",
                    &format!("Cannot bind PersistentVolume {name:?} to requested PersistentVolumeClaim due to incompatible volumeMode."),
                    COMPONENT,
                    None,
                );
                return Ok(vec![]);
            }
            return Ok(vec![format!("{CLAIM_KEY}{ns}/{cname}")]);
        }
        if claim_vol == name {
            Self::set_volume_phase(api, name, "Bound", "")?;
            return Ok(vec![]);
        }
        // Bound to a claim that is bound elsewhere.
        let provisioned = ann(v, ANN_DYNAMICALLY_PROVISIONED).is_some();
        let delete = pv
            .spec
            .as_ref()
            .and_then(|s| s.persistent_volume_reclaim_policy.as_deref())
            == Some("Delete");
        if provisioned && delete {
            Self::release(api, v)?;
            return Ok(vec![]);
        }
        // unbindVolume: the controller's own link goes; a user's pre-binding keeps its name.
        let by_controller = ann(v, ANN_BOUND_BY_CONTROLLER).is_some();
        let mut pv_v = v.clone();
        if by_controller {
            pv_v.unset("/spec/claimRef");
            pv_v.unset(&annotation_path(ANN_BOUND_BY_CONTROLLER));
        } else {
            pv_v.unset("/spec/claimRef/uid");
        }
        api.update(pv_info, "", pv_v)?;
        Self::set_volume_phase(api, name, "Available", "")?;
        Ok(vec![])
    }

    /// The volume `Released` (a `Failed` one stays so, as upstream), then reclaimed.
    fn release(api: &mut Api, v: &Value) -> Result<(), ApiError> {
        let pv = if matches!(phase_of(v), "Released" | "Failed") {
            Some(v.clone())
        } else {
            Self::set_volume_phase(api, name_of(v), "Released", "")?
        };
        match pv {
            Some(pv) => Self::reclaim(api, &pv),
            None => Ok(()),
        }
    }

    /// `reclaimVolume` for a Released volume.
    fn reclaim(api: &mut Api, pv: &Value) -> Result<(), ApiError> {
        let name = name_of(pv).to_string();
        let policy = pv
            .ptr("/spec/persistentVolumeReclaimPolicy")
            .and_then(Value::as_str)
            .unwrap_or("");
        match policy {
            "Retain" => Ok(()),
            "Delete" => {
                // An external provisioner deletes its own volumes.
                if let Some(p) = ann(pv, ANN_DYNAMICALLY_PROVISIONED)
                    && !p.starts_with("kubernetes.io/")
                {
                    return Ok(());
                }
                match delete_error(pv) {
                    None => {
                        api.delete_if_present(
                            &kinds::persistentvolume::KIND,
                            "",
                            &name,
                            DeleteOptions::default(),
                        )?;
                    }
                    Some(err) => {
                        if phase_of(pv) != "Failed" {
                            Self::set_volume_phase(api, &name, "Failed", &err)?;
                            api.record_event(
                                pv,
                                "Warning",
                                "VolumeFailedDelete",
                                &err,
                                COMPONENT,
                                None,
                            );
                        }
                    }
                }
                Ok(())
            }
            "Recycle" => {
                // The recycler's scrub pod is not simulated: the volume is scrubbed at once.
                let mut v = pv.clone();
                v.unset("/spec/claimRef");
                api.update(&kinds::persistentvolume::KIND, "", v)?;
                Self::set_volume_phase(api, &name, "Available", "")?;
                api.record_event(
                    pv,
                    "Normal",
                    "VolumeRecycled",
                    "Volume recycled",
                    COMPONENT,
                    None,
                );
                Ok(())
            }
            _ => {
                if phase_of(pv) != "Failed" {
                    let msg = "Volume has unrecognized PersistentVolumeReclaimPolicy";
                    Self::set_volume_phase(api, &name, "Failed", msg)?;
                    api.record_event(
                        pv,
                        "Warning",
                        "VolumeUnknownReclaimPolicy",
                        msg,
                        COMPONENT,
                        None,
                    );
                }
                Ok(())
            }
        }
    }
}

/// What the in-tree deleter of a volume says when it cannot delete it (`doDeleteVolume`):
/// hostPath deletes only under /tmp; a source without a deletable plugin has no deleter.
pub fn delete_error(pv: &Value) -> Option<String> {
    let name = name_of(pv);
    if let Some(path) = pv.ptr("/spec/hostPath/path").and_then(Value::as_str) {
        let ok = path
            .find("/tmp/")
            .is_some_and(|i| path.len() > i + "/tmp/".len());
        return (!ok).then(|| {
            format!("host_path deleter only supports /tmp/.+ but received provided {path}")
        });
    }
    Some(format!(
        "error getting deleter volume plugin for volume {name:?}: no deletable volume plugin matched"
    ))
}

impl Controller for PersistentVolumeController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let obj: &Value = &change.object;
        match change.info.kind {
            kinds::persistentvolumeclaim::NAME => {
                let (ns, name) = (namespace_of(obj), name_of(obj));
                if change.op == Op::Deleted {
                    keys.push(ALL_VOLUMES.into());
                } else {
                    keys.push(format!("{CLAIM_KEY}{ns}/{name}"));
                }
                if let Some(v) = obj.ptr("/spec/volumeName").and_then(Value::as_str)
                    && !v.is_empty()
                {
                    keys.push(format!("{VOLUME_KEY}{v}"));
                }
            }
            kinds::persistentvolume::NAME => {
                if change.op != Op::Deleted {
                    keys.push(format!("{VOLUME_KEY}{}", name_of(obj)));
                }
                if let (Some(ns), Some(n)) = (
                    obj.ptr("/spec/claimRef/namespace").and_then(Value::as_str),
                    obj.ptr("/spec/claimRef/name").and_then(Value::as_str),
                ) {
                    keys.push(format!("{CLAIM_KEY}{ns}/{n}"));
                }
                if change.op != Op::Deleted && phase_of(obj) == "Available" {
                    keys.push(PENDING_CLAIMS.into());
                }
            }
            kinds::storageclass::NAME if change.op == Op::Added => {
                keys.push(PENDING_CLAIMS.into());
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        if let Some(name) = key.strip_prefix(VOLUME_KEY) {
            let wake = Self::sync_volume(api, name)?;
            return Ok(SyncResult {
                wake: wake
                    .into_iter()
                    .map(|k| (k, SignedDuration::ZERO, true))
                    .collect(),
                ..Default::default()
            });
        }
        if key == ALL_VOLUMES || key == PENDING_CLAIMS {
            let mut res = SyncResult::default();
            if key == ALL_VOLUMES {
                for v in api.list_ref(&kinds::persistentvolume::KIND, None)? {
                    res.wake.push((
                        format!("{VOLUME_KEY}{}", name_of(v)),
                        SignedDuration::ZERO,
                        true,
                    ));
                }
            } else {
                for ns in api.namespaces_of(&kinds::persistentvolumeclaim::KIND) {
                    for c in api.list_ref(&kinds::persistentvolumeclaim::KIND, Some(&ns))? {
                        if phase_of(c) != "Bound" {
                            res.wake.push((
                                format!("{MATCH_KEY}{CLAIM_KEY}{ns}/{}", name_of(c)),
                                SignedDuration::ZERO,
                                true,
                            ));
                        }
                    }
                }
            }
            return Ok(res);
        }
        if let Some(k) = key
            .strip_prefix(MATCH_KEY)
            .and_then(|k| k.strip_prefix(CLAIM_KEY))
        {
            let (ns, name) = super::split_key(k);
            Self::sync_claim(api, ns, name)?;
            return Ok(SyncResult::default());
        }
        let (resync, rest) = match key.strip_prefix(RESYNC_KEY) {
            Some(r) => (true, r),
            None => (false, key),
        };
        let Some(claim_key) = rest.strip_prefix(CLAIM_KEY) else {
            return Ok(SyncResult::default());
        };
        let (ns, name) = super::split_key(claim_key);
        let event = Self::sync_claim(api, ns, name)?;
        let info = &kinds::persistentvolumeclaim::KIND;
        let Some(claim) = api.try_get_ref(info, ns, name)? else {
            return Ok(SyncResult::default());
        };
        let pending = phase_of(claim) != "Bound";
        let involved = Involved::of(claim);
        let period = SignedDuration::from_secs(RESYNC_SECS);
        let mut res = SyncResult::default();
        if let Some(e) = event {
            let now = api.now();
            // A resync that ran late counts the periods it missed.
            let last = resync
                .then(|| api.last_event_time(ns, name, involved.uid(), e.reason))
                .flatten();
            match last {
                Some((t, _)) => {
                    let missed = t.duration_until(now).as_secs() / RESYNC_SECS;
                    if missed > 0 {
                        let at = t + SignedDuration::from_secs(missed * RESYNC_SECS);
                        api.record_event_times(
                            at, &involved, e.type_, e.reason, &e.message, COMPONENT, None, missed,
                        );
                    }
                }
                None => {
                    api.record_event_for(&involved, e.type_, e.reason, &e.message, COMPONENT, None)
                }
            }
        }
        if pending {
            res.lazy
                .push((format!("{RESYNC_KEY}{CLAIM_KEY}{ns}/{name}"), period));
        }
        Ok(res)
    }
}
