//! The storage-object-in-use protection controllers (pkg/controller/volume/pvcprotection and
//! pvprotection). The API server's `StorageObjectInUseProtection` admission plugin puts
//! `kubernetes.io/pvc-protection` on every new claim and `kubernetes.io/pv-protection` on
//! every new volume; deleting one then only marks it (`Terminating`), and these controllers
//! take the finalizer off once nothing needs it: a claim when no scheduled pod uses it (a pod
//! deleted with no grace left, or finished, does not count), a volume when it is no longer
//! `Bound`. They add the finalizer to an object that lacks it and is not being deleted.

use super::Controller;
use crate::api::errors::ApiError;
use crate::api::{Api, Change, Op, Ptr, finalizers, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds;
use crate::kinds::persistentvolume::helpers::{PV_PROTECTION, PVC_PROTECTION};
use crate::util::fields::Fields;
use serde_json::{Value, json};

pub struct PvcProtectionController;
pub struct PvProtectionController;

/// `podUsesPVC` over the API's JSON: a scheduled pod whose volumes name the claim. (As
/// upstream, a finished pod still holds its claim until it is deleted; only the ephemeral
/// volumes, not simulated, look at whether the pod is shut down.)
pub fn pod_uses_pvc(pod: &Value, claim: &str) -> bool {
    let scheduled = pod
        .ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty());
    scheduled && super::volumes::pod_uses_claim(pod, claim)
}

/// Writes `obj` with `finalizer` added or removed (nothing when it is already so).
fn set_finalizer(
    api: &mut Api,
    info: &'static kinds::KindInfo,
    mut obj: Value,
    finalizer: &str,
    present: bool,
) -> Result<(), ApiError> {
    let mut fins = finalizers(&obj);
    if fins.iter().any(|f| f == finalizer) == present {
        return Ok(());
    }
    if present {
        fins.push(finalizer.to_string());
    } else {
        fins.retain(|f| f != finalizer);
    }
    if fins.is_empty() {
        obj.unset("/metadata/finalizers");
    } else {
        obj.set("/metadata/finalizers", json!(fins))?;
    }
    let ns = namespace_of(&obj).to_string();
    api.update_quiet(info, &ns, obj)
}

impl Controller for PvcProtectionController {
    fn name(&self) -> &'static str {
        "pvc-protection-controller"
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let obj: &Value = &change.object;
        match change.info.kind {
            kinds::persistentvolumeclaim::NAME if change.op != Op::Deleted => {
                let deleting = obj.ptr("/metadata/deletionTimestamp").is_some();
                let has = finalizers(obj).iter().any(|f| f == PVC_PROTECTION);
                if deleting == has {
                    keys.push(format!("{}/{}", namespace_of(obj), name_of(obj)));
                }
            }
            kinds::pod::NAME => {
                // Only a pod that can no longer hold a claim helps (enqueuePVCs).
                let gone = change.op == Op::Deleted
                    || obj
                        .ptr("/spec/nodeName")
                        .and_then(Value::as_str)
                        .is_none_or(str::is_empty);
                let terminal = matches!(
                    obj.ptr("/status/phase").and_then(Value::as_str),
                    Some("Succeeded" | "Failed")
                );
                if !(gone || terminal) {
                    return;
                }
                for v in obj
                    .ptr("/spec/volumes")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(c) = v
                        .ptr("/persistentVolumeClaim/claimName")
                        .and_then(Value::as_str)
                    {
                        keys.push(format!("{}/{c}", namespace_of(obj)));
                    }
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = super::split_key(key);
        let info = &kinds::persistentvolumeclaim::KIND;
        let Some(pvc) = api.try_get_ref(info, ns, name)? else {
            return Ok(SyncResult::default());
        };
        let deleting = pvc.ptr("/metadata/deletionTimestamp").is_some();
        let has = finalizers(pvc).iter().any(|f| f == PVC_PROTECTION);
        let pvc = pvc.clone();
        if deleting && has {
            let used = api
                .list_ref(&kinds::pod::KIND, Some(ns))?
                .into_iter()
                .any(|p| pod_uses_pvc(p, name));
            if !used {
                set_finalizer(api, info, pvc, PVC_PROTECTION, false)?;
            }
        } else if !deleting && !has {
            set_finalizer(api, info, pvc, PVC_PROTECTION, true)?;
        }
        Ok(SyncResult::default())
    }
}

impl Controller for PvProtectionController {
    fn name(&self) -> &'static str {
        "pv-protection-controller"
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let obj: &Value = &change.object;
        if change.info.kind == kinds::persistentvolume::NAME && change.op != Op::Deleted {
            let deleting = obj.ptr("/metadata/deletionTimestamp").is_some();
            let has = finalizers(obj).iter().any(|f| f == PV_PROTECTION);
            if deleting == has {
                keys.push(name_of(obj).to_string());
            }
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let info = &kinds::persistentvolume::KIND;
        let Some(pv) = api.try_get_ref(info, "", key)? else {
            return Ok(SyncResult::default());
        };
        let deleting = pv.ptr("/metadata/deletionTimestamp").is_some();
        let has = finalizers(pv).iter().any(|f| f == PV_PROTECTION);
        let bound = pv.ptr("/status/phase").and_then(Value::as_str) == Some("Bound");
        let pv = pv.clone();
        if deleting && has && !bound {
            set_finalizer(api, info, pv, PV_PROTECTION, false)?;
        } else if !deleting && !has {
            set_finalizer(api, info, pv, PV_PROTECTION, true)?;
        }
        Ok(SyncResult::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_pods_hold_a_claim() {
        // TestPVCProtectionController's pod cases: unscheduled pods and pods using other
        // claims do not keep the claim; a finished or deleted pod still in the API does.
        let pod = |node: &str, claim: &str, extra: Value| {
            let mut p = json!({"metadata": {"name": "p", "namespace": "default"},
                "spec": {"nodeName": node, "volumes": [{"name": "v",
                    "persistentVolumeClaim": {"claimName": claim}}]},
                "status": {"phase": "Running"}});
            if let Value::Object(m) = extra {
                for (k, v) in m {
                    p.set(&k, v).unwrap();
                }
            }
            p
        };
        assert!(pod_uses_pvc(&pod("n1", "pvc1", json!({})), "pvc1"));
        assert!(!pod_uses_pvc(&pod("", "pvc1", json!({})), "pvc1"));
        assert!(!pod_uses_pvc(&pod("n1", "other", json!({})), "pvc1"));
        assert!(pod_uses_pvc(
            &pod("n1", "pvc1", json!({"/status/phase": "Succeeded"})),
            "pvc1"
        ));
        // Deleted with a grace period: still running, still holds the claim.
        let graceful = json!({"/metadata/deletionTimestamp": "2025-01-01T00:00:00Z",
            "/metadata/deletionGracePeriodSeconds": 30});
        assert!(pod_uses_pvc(&pod("n1", "pvc1", graceful), "pvc1"));
        let forced = json!({"/metadata/deletionTimestamp": "2025-01-01T00:00:00Z",
            "/metadata/deletionGracePeriodSeconds": 0});
        assert!(pod_uses_pvc(&pod("n1", "pvc1", forced), "pvc1"));
    }
}
