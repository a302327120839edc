//! The VolumeBinding plugin's glue to the API: what a pod's claims are before a decision
//! ([`volume_facts`]: PreFilter's `podHasPVCs` and `GetPodVolumeClaims`), PreBind's writes
//! once a node is chosen ([`pre_bind`]: a static volume bound to its claim, as the
//! scheduler's binder writes it, or the `volume.kubernetes.io/selected-node` annotation that
//! starts provisioning), and whether every claim is bound so the pod may be bound
//! ([`all_bound`]).

use std::collections::BTreeMap;

use super::plugins::volume_binding::{DelayedClaim, REASON_UNBOUND_IMMEDIATE, VolumeFacts};
use crate::api::errors::ApiError;
use crate::api::{Api, Ptr};
use crate::kinds;
use crate::kinds::persistentvolume::helpers::*;
use crate::util::fields::Fields;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use serde::Deserialize;
use serde_json::{Value, json};

/// The claims a pod's volumes name, in order.
pub(super) fn claim_names(pod: &Value) -> Vec<String> {
    pod.ptr("/spec/volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.ptr("/persistentVolumeClaim/claimName")?.as_str())
        .map(str::to_string)
        .collect()
}

use crate::kinds::persistentvolume::helpers::annotation_of as ann;

fn fully_bound(pvc: &Value) -> bool {
    pvc.ptr("/spec/volumeName")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty())
        && ann(pvc, ANN_BIND_COMPLETED).is_some()
}

/// What VolumeBinding knows of the pod's claims; `None` for a pod without any.
pub(super) fn volume_facts(
    api: &mut Api,
    ns: &str,
    pod: &Value,
) -> Result<Option<VolumeFacts>, ApiError> {
    let names = claim_names(pod);
    if names.is_empty() {
        return Ok(None);
    }
    let pvc_info = &kinds::persistentvolumeclaim::KIND;
    let mut facts = VolumeFacts::default();
    let mut claims = Vec::new();
    // podHasPVCs: the first claim that is missing, lost or being deleted rejects the pod.
    for name in &names {
        let Some(pvc) = api.try_get_ref(pvc_info, ns, name)?.cloned() else {
            facts.rejection = Some(format!("persistentvolumeclaim {name:?} not found"));
            return Ok(Some(facts));
        };
        if pvc.ptr("/status/phase").and_then(Value::as_str) == Some("Lost") {
            let vol = pvc
                .ptr("/spec/volumeName")
                .and_then(Value::as_str)
                .unwrap_or("");
            facts.rejection = Some(format!(
                "persistentvolumeclaim {name:?} bound to non-existent persistentvolume {vol:?}"
            ));
            return Ok(Some(facts));
        }
        if pvc.ptr("/metadata/deletionTimestamp").is_some() {
            facts.rejection = Some(format!("persistentvolumeclaim {name:?} is being deleted"));
            return Ok(Some(facts));
        }
        claims.push(pvc);
    }
    // GetPodVolumeClaims
    for pvc in claims {
        if fully_bound(&pvc) {
            let vol = pvc
                .ptr("/spec/volumeName")
                .and_then(Value::as_str)
                .unwrap_or("");
            if let Some(pv) = api
                .try_get_ref(&kinds::persistentvolume::KIND, "", vol)?
                .and_then(|v| PersistentVolume::deserialize(v).ok())
            {
                facts.bound.push(pv);
            }
            continue;
        }
        let Ok(claim) = PersistentVolumeClaim::deserialize(&pvc) else {
            continue;
        };
        let class_name = claim_class(&claim).to_string();
        let class = if class_name.is_empty() {
            None
        } else {
            api.try_get_ref(&kinds::storageclass::KIND, "", &class_name)?
                .cloned()
        };
        let delayed = class
            .as_ref()
            .and_then(|c| c.get("volumeBindingMode"))
            .and_then(Value::as_str)
            == Some("WaitForFirstConsumer");
        let prebound = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .is_some_and(|n| !n.is_empty());
        if !delayed || prebound {
            facts.rejection = Some(REASON_UNBOUND_IMMEDIATE.to_string());
            return Ok(Some(facts));
        }
        let candidates = api
            .list_ref(&kinds::persistentvolume::KIND, None)?
            .into_iter()
            .filter_map(|v| PersistentVolume::deserialize(v).ok())
            .filter(|pv| volume_class(pv) == class_name)
            .collect();
        let provisioner = class
            .as_ref()
            .and_then(|c| c.get("provisioner"))
            .and_then(Value::as_str)
            .unwrap_or("");
        facts.delayed.push(DelayedClaim {
            claim,
            candidates,
            provisionable: provisioner != NO_PROVISIONER,
        });
    }
    Ok(Some(facts))
}

/// PreBind's writes for the chosen node: each delayed claim gets its static volume (the
/// volume's `claimRef`, `bound-by-controller`; the PersistentVolume controller completes the
/// binding) or the selected-node annotation (its provisioner makes one).
pub(super) fn pre_bind(
    api: &mut Api,
    facts: &VolumeFacts,
    labels: &BTreeMap<String, String>,
    node: &str,
) -> Result<(), ApiError> {
    for c in &facts.delayed {
        let ns = c.claim.metadata.namespace.as_deref().unwrap_or("");
        let name = c.claim.metadata.name.as_deref().unwrap_or("");
        if let Some(pv) = c.volume_on(labels, node) {
            let info = &kinds::persistentvolume::KIND;
            let pv_name = pv.metadata.name.as_deref().unwrap_or("");
            let Some(mut v) = api.try_get(info, "", pv_name)? else {
                continue;
            };
            v.set(
                "/spec/claimRef",
                json!({"kind": "PersistentVolumeClaim", "namespace": ns, "name": name,
                       "uid": c.claim.metadata.uid, "apiVersion": "v1",
                       "resourceVersion": c.claim.metadata.resource_version}),
            )?;
            v.set(&annotation_path(ANN_BOUND_BY_CONTROLLER), json!("yes"))?;
            api.update(info, "", v)?;
            continue;
        }
        let info = &kinds::persistentvolumeclaim::KIND;
        let Some(mut v) = api.try_get(info, ns, name)? else {
            continue;
        };
        if ann(&v, ANN_SELECTED_NODE) != Some(node) {
            v.set(&annotation_path(ANN_SELECTED_NODE), json!(node))?;
            api.update(info, ns, v)?;
        }
    }
    Ok(())
}

/// Whether every claim of the pod is bound (PreBind's wait, `checkBindings`).
pub(super) fn all_bound(api: &mut Api, ns: &str, pod: &Value) -> Result<bool, ApiError> {
    for name in claim_names(pod) {
        match api.try_get_ref(&kinds::persistentvolumeclaim::KIND, ns, &name)? {
            Some(pvc) if fully_bound(pvc) => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}
