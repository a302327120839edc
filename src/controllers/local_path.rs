//! kind's dynamic provisioner, rancher/local-path-provisioner (`rancher.io/local-path`, the
//! provisioner of the default `standard` StorageClass), as the
//! sig-storage-lib-external-provisioner controller it is built on runs it. It is not part of
//! kube-controller-manager: on kind it runs as the `local-path-provisioner` Deployment in
//! `local-path-storage`; kubesim runs its provisioning here whether or not that Deployment's
//! pod exists (its name, when it does, goes into the provisioner's identity, the `From` of
//! its events).
//!
//! A claim is provisioned once the PersistentVolume controller has annotated it for this
//! provisioner (`volume.kubernetes.io/storage-provisioner`) and, for a WaitForFirstConsumer
//! class, the scheduler has chosen its node (`volume.kubernetes.io/selected-node`): event
//! `Provisioning`, then a volume `pvc-<claim uid>` — a hostPath
//! `/var/local-path-provisioner/pvc-<uid>_<namespace>_<claim>` (`DirectoryOrCreate`) with a
//! required node affinity on that node's `kubernetes.io/hostname`, the claim's access modes
//! and request, the class's reclaim policy, pre-bound to the claim — and
//! `ProvisioningSucceeded`; the PersistentVolume controller then binds the two. The helper
//! pod that makes the directory is not simulated. A Released volume of this provisioner
//! with reclaim policy `Delete` is deleted.

use super::Controller;
use crate::api::errors::ApiError;
use crate::api::{Api, Change, Involved, Op, Ptr, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds;
use crate::kinds::persistentvolume::helpers::*;
use crate::util::names::Rng;
use k8s_openapi::api::core::v1::PersistentVolumeClaim;
use serde::Deserialize;
use serde_json::{Value, json};

/// The provisioner's name, as its StorageClass names it.
pub const PROVISIONER: &str = "rancher.io/local-path";
/// kind's `local-path-config`: the directory of every node's volumes.
pub const BASE_PATH: &str = "/var/local-path-provisioner";
/// Where kind runs it.
pub const NAMESPACE: &str = "local-path-storage";
/// The annotation the provisioner puts on its volumes beside `provisioned-by`.
pub const ANN_NODE: &str = "local.path.provisioner/selected-node";

const CLAIM_KEY: &str = "claim:";
const VOLUME_KEY: &str = "volume:";

pub struct LocalPathProvisioner;

/// The provisioner's identity (`<provisioner>_<host>_<uuid>`): the host is its pod's name
/// (the Deployment's pod when the state has one, else one made the same way), the uuid is
/// drawn from the cluster's own uid, so a state always shows the same one.
fn identity(api: &mut Api) -> Result<String, ApiError> {
    let seed = api
        .try_get_ref(&kinds::namespace::KIND, "", "kube-system")?
        .and_then(|n| n.ptr("/metadata/uid"))
        .and_then(Value::as_str)
        .map(|u| {
            u.chars()
                .filter(char::is_ascii_hexdigit)
                .collect::<String>()
        })
        .and_then(|h| u64::from_str_radix(&h[..h.len().min(16)], 16).ok())
        .unwrap_or(0);
    let pod = api
        .list_ref(&kinds::pod::KIND, Some(NAMESPACE))?
        .into_iter()
        .map(name_of)
        .find(|n| n.starts_with("local-path-provisioner-"))
        .map(str::to_string);
    let host = pod.unwrap_or_else(|| {
        let mut r = Rng::keyed(seed, "local-path-provisioner", 0);
        format!("local-path-provisioner-{}-{}", r.suffix(10), r.suffix(5))
    });
    let uuid = Rng::keyed(seed, "local-path-provisioner/uuid", 0).uid();
    Ok(format!("{PROVISIONER}_{host}_{uuid}"))
}

use crate::kinds::persistentvolume::helpers::annotation_of as ann;

/// What the provisioner refuses (`Provision`'s checks), in its words.
pub fn refusal(claim: &PersistentVolumeClaim, node: Option<&str>) -> Option<&'static str> {
    let spec = claim.spec.as_ref()?;
    if spec.selector.is_some() {
        return Some("claim.Spec.Selector is not supported");
    }
    let modes = spec.access_modes.as_deref().unwrap_or(&[]);
    if modes
        .iter()
        .any(|m| m != "ReadWriteOnce" && m != "ReadWriteOncePod")
    {
        return Some(
            "NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes",
        );
    }
    if node.is_none() {
        return Some("configuration error, no node was specified");
    }
    None
}

/// The volume the provisioner makes for `claim` (with its uid) on `node`.
pub fn volume_for(claim: &Value, node: &str, reclaim: &str, class: &str) -> Value {
    let uid = claim
        .ptr("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("");
    let (ns, name) = (namespace_of(claim), name_of(claim));
    let pv = format!("pvc-{uid}");
    json!({
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": pv, "annotations": {
            ANN_NODE: node,
            ANN_DYNAMICALLY_PROVISIONED: PROVISIONER,
        }},
        "spec": {
            "accessModes": claim.ptr("/spec/accessModes").cloned().unwrap_or(json!([])),
            "capacity": {"storage": claim.ptr("/spec/resources/requests/storage").cloned()
                .unwrap_or(json!("0"))},
            "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "namespace": ns, "name": name, "uid": uid,
                "resourceVersion": claim.ptr("/metadata/resourceVersion").cloned()
                    .unwrap_or(Value::Null)},
            "hostPath": {"path": format!("{BASE_PATH}/{pv}_{ns}_{name}"),
                         "type": "DirectoryOrCreate"},
            "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}},
            "persistentVolumeReclaimPolicy": reclaim,
            "storageClassName": class,
            "volumeMode": "Filesystem",
        },
    })
}

impl LocalPathProvisioner {
    fn provision(api: &mut Api, ns: &str, name: &str) -> Result<(), ApiError> {
        let info = &kinds::persistentvolumeclaim::KIND;
        let Some(v) = api.try_get_ref(info, ns, name)? else {
            return Ok(());
        };
        // shouldProvision
        let ours = ann(v, ANN_STORAGE_PROVISIONER).or_else(|| ann(v, ANN_BETA_STORAGE_PROVISIONER))
            == Some(PROVISIONER);
        let unbound = v
            .ptr("/spec/volumeName")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if !ours || !unbound || v.ptr("/metadata/deletionTimestamp").is_some() {
            return Ok(());
        }
        let claim_v = v.clone();
        let Ok(claim) = PersistentVolumeClaim::deserialize(&claim_v) else {
            return Ok(());
        };
        let class_name = claim_class(&claim).to_string();
        let Some(class) = api
            .try_get_ref(&kinds::storageclass::KIND, "", &class_name)?
            .cloned()
        else {
            return Ok(());
        };
        if class.get("provisioner").and_then(Value::as_str) != Some(PROVISIONER) {
            return Ok(());
        }
        let node = ann(&claim_v, ANN_SELECTED_NODE).map(str::to_string);
        let late =
            class.get("volumeBindingMode").and_then(Value::as_str) == Some("WaitForFirstConsumer");
        if late && node.is_none() {
            return Ok(());
        }
        let uid = claim.metadata.uid.clone().unwrap_or_default();
        let pv_name = format!("pvc-{uid}");
        if api
            .try_get_ref(&kinds::persistentvolume::KIND, "", &pv_name)?
            .is_some()
        {
            return Ok(());
        }
        let who = identity(api)?;
        let involved = Involved::of(&claim_v);
        api.record_event_for(
            &involved,
            "Normal",
            "Provisioning",
            &format!("External provisioner is provisioning volume for claim \"{ns}/{name}\""),
            &who,
            None,
        );
        if let Some(why) = refusal(&claim, node.as_deref()) {
            api.record_event_for(
                &involved,
                "Warning",
                "ProvisioningFailed",
                &format!("failed to provision volume with StorageClass {class_name:?}: {why}"),
                &who,
                None,
            );
            return Ok(());
        }
        let reclaim = class
            .get("reclaimPolicy")
            .and_then(Value::as_str)
            .unwrap_or("Delete");
        let pv = volume_for(
            &claim_v,
            node.as_deref().unwrap_or(""),
            reclaim,
            &class_name,
        );
        api.create(&kinds::persistentvolume::KIND, "", pv)?;
        api.record_event_for(
            &involved,
            "Normal",
            "ProvisioningSucceeded",
            &format!("Successfully provisioned volume {pv_name}"),
            &who,
            None,
        );
        Ok(())
    }

    fn reclaim(api: &mut Api, name: &str) -> Result<(), ApiError> {
        let info = &kinds::persistentvolume::KIND;
        let Some(v) = api.try_get_ref(info, "", name)? else {
            return Ok(());
        };
        let released = v.ptr("/status/phase").and_then(Value::as_str) == Some("Released");
        let delete = v
            .ptr("/spec/persistentVolumeReclaimPolicy")
            .and_then(Value::as_str)
            == Some("Delete");
        if released
            && delete
            && ann(v, ANN_DYNAMICALLY_PROVISIONED) == Some(PROVISIONER)
            && v.ptr("/metadata/deletionTimestamp").is_none()
        {
            api.delete_if_present(info, "", name, Default::default())?;
        }
        Ok(())
    }
}

impl Controller for LocalPathProvisioner {
    fn name(&self) -> &'static str {
        "local-path-provisioner"
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let obj: &Value = &change.object;
        if change.op == Op::Deleted {
            return;
        }
        match change.info.kind {
            kinds::persistentvolumeclaim::NAME
                if ann(obj, ANN_STORAGE_PROVISIONER) == Some(PROVISIONER) =>
            {
                keys.push(format!("{CLAIM_KEY}{}/{}", namespace_of(obj), name_of(obj)));
            }
            kinds::persistentvolume::NAME
                if ann(obj, ANN_DYNAMICALLY_PROVISIONED) == Some(PROVISIONER) =>
            {
                keys.push(format!("{VOLUME_KEY}{}", name_of(obj)));
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        if let Some(k) = key.strip_prefix(CLAIM_KEY) {
            let (ns, name) = super::split_key(k);
            Self::provision(api, ns, name)?;
        } else if let Some(name) = key.strip_prefix(VOLUME_KEY) {
            Self::reclaim(api, name)?;
        }
        Ok(SyncResult::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_volume_it_makes() {
        let claim = json!({"metadata": {"name": "www-web-0", "namespace": "default",
                "uid": "3f7bfa4d-9692-4980-8bc8-efd9e675f064", "resourceVersion": "3069"},
            "spec": {"accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}});
        let pv = volume_for(&claim, "kind-worker", "Delete", "standard");
        assert_eq!(
            pv.ptr("/metadata/name").and_then(Value::as_str),
            Some("pvc-3f7bfa4d-9692-4980-8bc8-efd9e675f064")
        );
        assert_eq!(
            pv.ptr("/spec/hostPath/path").and_then(Value::as_str),
            Some(
                "/var/local-path-provisioner/pvc-3f7bfa4d-9692-4980-8bc8-efd9e675f064_default_www-web-0"
            )
        );
        assert_eq!(
            pv.ptr("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0")
                .and_then(Value::as_str),
            Some("kind-worker")
        );
        assert_eq!(pv.ptr("/spec/capacity/storage"), Some(&json!("1Gi")));
        assert_eq!(
            pv.ptr("/spec/claimRef/resourceVersion"),
            Some(&json!("3069"))
        );
    }

    #[test]
    fn what_it_refuses() {
        let c = |v: Value| PersistentVolumeClaim::deserialize(&v).unwrap();
        let rwo = c(json!({"spec": {"accessModes": ["ReadWriteOnce"]}}));
        assert_eq!(refusal(&rwo, Some("n")), None);
        assert_eq!(
            refusal(&rwo, None),
            Some("configuration error, no node was specified")
        );
        let rwx = c(json!({"spec": {"accessModes": ["ReadWriteMany"]}}));
        assert!(
            refusal(&rwx, Some("n"))
                .unwrap()
                .starts_with("NodePath only supports")
        );
        let sel = c(json!({"spec": {"accessModes": ["ReadWriteOnce"],
            "selector": {"matchLabels": {"a": "b"}}}}));
        assert_eq!(
            refusal(&sel, Some("n")),
            Some("claim.Spec.Selector is not supported")
        );
    }
}
