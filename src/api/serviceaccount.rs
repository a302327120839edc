//! The ServiceAccount admission plugin (`plugin/pkg/admission/serviceaccount`, 1.33) on pod
//! creation: the pod's ServiceAccount must exist (`serviceAccountName`, defaulted to `default`
//! with the deprecated `serviceAccount` by the pod's defaulting), its token is mounted
//! (`kube-api-access-<5 chars>`, a projected volume of the token, `kube-root-ca.crt` and the
//! namespace, read-only at `/var/run/secrets/kubernetes.io/serviceaccount` in every container
//! and init container) unless `automountServiceAccountToken` is false on the pod or, when the
//! pod does not say, on the ServiceAccount; and a pod without `imagePullSecrets` takes the
//! ServiceAccount's. Mirror pods are left alone, as upstream.
//!
//! The `default` ServiceAccount of a namespace the serviceaccount controller has not reached yet
//! (a namespace and its pods applied in one command) is taken as there: upstream looks it up
//! ten times over one to two seconds while that controller creates it, and the controller runs
//! before this command settles.

use serde_json::{Value, json};

use super::errors::ApiError;
use super::{Api, Ptr};
use crate::kinds::defaulting::mount_service_account_token;
use crate::util::fields::Fields;

/// The annotation that marks a mirror pod (a static pod's copy in the API).
const MIRROR_POD: &str = "kubernetes.io/config.mirror";

impl Api {
    /// Admits a pod being created in `ns`; `req_name` is its name as requested (the
    /// `generateName` prefix for a generated name, as upstream's error names it), `uid` its
    /// new uid (the token volume's suffix is drawn from it).
    pub(super) fn admit_service_account(
        &mut self,
        ns: &str,
        req_name: &str,
        uid: &str,
        pod: &mut Value,
    ) -> Result<(), ApiError> {
        if pod
            .ptr("/metadata/annotations")
            .and_then(Value::as_object)
            .is_some_and(|a| a.contains_key(MIRROR_POD))
        {
            return Ok(());
        }
        let sa_name = pod
            .ptr("/spec/serviceAccountName")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
            .to_string();
        let sa = self
            .try_get_ref(&crate::kinds::serviceaccount::KIND, ns, &sa_name)?
            .cloned();
        let sa = match sa {
            Some(sa) => sa,
            // The controller creates it within the plugin's retries (module comment).
            None if sa_name == "default" => json!({}),
            None => {
                return Err(ApiError::forbidden(
                    &crate::kinds::pod::KIND.resource(),
                    req_name,
                    &format!(
                        "error looking up service account {ns}/{sa_name}: serviceaccount \"{sa_name}\" not found"
                    ),
                ));
            }
        };
        let automount = pod
            .ptr("/spec/automountServiceAccountToken")
            .and_then(Value::as_bool)
            .or_else(|| {
                sa.get("automountServiceAccountToken")
                    .and_then(Value::as_bool)
            })
            .unwrap_or(true);
        if automount {
            let suffix = self.names.derived_suffix(&format!("kube-api-access/{uid}"));
            mount_service_account_token(pod, &suffix);
        }
        let has_pull_secrets = pod
            .ptr("/spec/imagePullSecrets")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        if !has_pull_secrets
            && let Some(secrets) = sa.get("imagePullSecrets").and_then(Value::as_array)
            && !secrets.is_empty()
        {
            let refs: Vec<Value> = secrets
                .iter()
                .map(|s| json!({"name": s.get("name").cloned().unwrap_or(json!(""))}))
                .collect();
            pod.set("/spec/imagePullSecrets", Value::Array(refs))?;
        }
        Ok(())
    }
}
