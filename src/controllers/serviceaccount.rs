//! The ServiceAccount controller (a `default` ServiceAccount in every namespace) and the
//! root-CA publisher (a `kube-root-ca.crt` ConfigMap in every namespace), as a real cluster
//! has them: `kubectl get sa,cm` in a new namespace shows both.

use super::Controller;
use crate::api::Ptr;
use crate::api::errors::ApiError;
use crate::api::{Api, Change, Op, name_of};
use crate::engine::SyncResult;
use crate::util::fields::Fields;
use serde_json::json;

/// Ensures the `default` ServiceAccount.
pub struct ServiceAccountController;

fn namespace_key(change: &Change, keys: &mut Vec<String>) {
    if change.info == &crate::kinds::namespace::KIND
        && change.op != Op::Deleted
        && change.object.ptr("/metadata/deletionTimestamp").is_none()
    {
        keys.push(name_of(&change.object).to_string());
    }
}

fn namespace_active(api: &mut Api, ns: &str) -> Result<bool, ApiError> {
    let nsk = &crate::kinds::namespace::KIND;
    Ok(api
        .try_get(nsk, "", ns)?
        .is_some_and(|n| n.ptr("/metadata/deletionTimestamp").is_none()))
}

impl Controller for ServiceAccountController {
    fn name(&self) -> &'static str {
        "serviceaccount-controller"
    }
    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        namespace_key(change, keys);
        if change.info == &crate::kinds::serviceaccount::KIND
            && change.op == Op::Deleted
            && name_of(&change.object) == "default"
        {
            keys.push(crate::api::namespace_of(&change.object).to_string());
        }
    }
    fn sync(&mut self, api: &mut Api, ns: &str) -> Result<SyncResult, ApiError> {
        if !namespace_active(api, ns)? {
            return Ok(SyncResult::default());
        }
        let sa = &crate::kinds::serviceaccount::KIND;
        if api.try_get(sa, ns, "default")?.is_none() {
            api.create(
                sa,
                ns,
                json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}}),
            )?;
        }
        Ok(SyncResult::default())
    }
}

/// Ensures the `kube-root-ca.crt` ConfigMap.
pub struct RootCaPublisher;

/// A fixed, obviously simulated CA certificate (PEM framing only).
const ROOT_CA: &str = "-----BEGIN CERTIFICATE-----\nMIIBsimulatedkubesimrootcertificateauthority\n-----END CERTIFICATE-----\n";

impl Controller for RootCaPublisher {
    fn name(&self) -> &'static str {
        "root-ca-cert-publisher"
    }
    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        namespace_key(change, keys);
        if change.info == &crate::kinds::configmap::KIND
            && name_of(&change.object) == "kube-root-ca.crt"
        {
            keys.push(crate::api::namespace_of(&change.object).to_string());
        }
    }
    fn sync(&mut self, api: &mut Api, ns: &str) -> Result<SyncResult, ApiError> {
        if !namespace_active(api, ns)? {
            return Ok(SyncResult::default());
        }
        let cm = &crate::kinds::configmap::KIND;
        let want = json!({"ca.crt": ROOT_CA});
        match api.try_get(cm, ns, "kube-root-ca.crt")? {
            None => {
                api.create(
                    cm,
                    ns,
                    json!({"apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": {"name": "kube-root-ca.crt",
                                        "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}},
                           "data": want}),
                )?;
            }
            Some(mut o) if o.get("data") != Some(&want) => {
                o.set("/data", want)?;
                api.update(cm, ns, o)?;
            }
            Some(_) => {}
        }
        Ok(SyncResult::default())
    }
}
