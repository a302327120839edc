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

/// A TokenRequest's spec (authentication.k8s.io/v1).
#[derive(Debug, Clone, Default)]
pub struct TokenRequestSpec {
    pub audiences: Vec<String>,
    pub expiration_seconds: Option<i64>,
    /// The bound object: kind (Pod, Secret or Node), name, uid (may be empty).
    pub bound: Option<(String, String, String)>,
}

impl Api {
    /// `POST .../serviceaccounts/NAME/token` (pkg/registry/core/serviceaccount/storage/token.go):
    /// the ServiceAccount must exist, and the bound object (with the same uid when one is
    /// given; a pod must run as that ServiceAccount); the token's claims are a real one's
    /// (issuer, subject, audiences, `exp`/`iat`/`nbf` from the virtual clock, `jti`, the
    /// `kubernetes.io` claim naming the namespace, the ServiceAccount and what it is bound
    /// to). Nothing is stored. The answer is the TokenRequest with its status.
    // Long because: token.go's Create is one sequence of checks, then the claims.
    pub fn create_token(
        &mut self,
        ns: &str,
        name: &str,
        spec: &TokenRequestSpec,
    ) -> Result<Value, ApiError> {
        use crate::kinds::serviceaccount::token;
        let sa = self.get(&crate::kinds::serviceaccount::KIND, ns, name)?;
        let exp_secs = spec.expiration_seconds.unwrap_or(3600);
        let audiences = match spec.audiences.is_empty() {
            true => vec![token::ISSUER.to_string()],
            false => spec.audiences.clone(),
        };
        let mut causes = Vec::new();
        if exp_secs < 600 {
            causes.push(super::errors::FieldError::invalid(
                "spec.expirationSeconds",
                super::errors::BadValue::Int(exp_secs),
                "may not specify a duration less than 10 minutes",
            ));
        } else if exp_secs > 1 << 32 {
            causes.push(super::errors::FieldError::invalid(
                "spec.expirationSeconds",
                super::errors::BadValue::Int(exp_secs),
                "may not specify a duration larger than 2^32 seconds",
            ));
        }
        if !causes.is_empty() {
            return Err(ApiError::invalid(
                "TokenRequest",
                "authentication.k8s.io",
                name,
                causes,
            ));
        }
        let ref_of = |o: &Value| {
            json!({"name": o.ptr("/metadata/name").cloned().unwrap_or(Value::Null),
                   "uid": o.ptr("/metadata/uid").cloned().unwrap_or(Value::Null)})
        };
        let mut k8s = json!({"namespace": ns, "serviceaccount": ref_of(&sa)});
        let mut bound_ref = Value::Null;
        if let Some((kind, bname, buid)) = &spec.bound {
            let (info, bns): (&'static crate::kinds::Kind, &str) = match kind.as_str() {
                "Pod" => (&crate::kinds::pod::KIND, ns),
                "Secret" => (&crate::kinds::secret::KIND, ns),
                _ => (&crate::kinds::node::KIND, ""),
            };
            let obj = self.get(info, bns, bname)?;
            if kind == "Pod"
                && obj.ptr("/spec/serviceAccountName").and_then(Value::as_str) != Some(name)
            {
                return Err(ApiError::bad_request(format!(
                    "cannot bind token for serviceaccount {} to pod running with different serviceaccount name.",
                    super::errors::go_quote(name)
                )));
            }
            let uid = obj
                .ptr("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !buid.is_empty() && buid != uid {
                return Err(ApiError::conflict(
                    kind,
                    bname,
                    &format!(
                        "the UID in the bound object reference ({buid}) does not match the UID in record. The object might have been deleted and then recreated"
                    ),
                ));
            }
            let key = kind.to_ascii_lowercase();
            k8s.set(&format!("/{key}"), ref_of(&obj))?;
            if kind == "Pod"
                && let Some(node) = obj.ptr("/spec/nodeName").and_then(Value::as_str)
                && let Some(n) = self.try_get(&crate::kinds::node::KIND, "", node)?
            {
                k8s.set("/node", ref_of(&n))?;
            }
            bound_ref = json!({"apiVersion": "v1", "kind": kind, "name": bname, "uid": uid});
        }
        let now = self.now();
        let iat = now.as_second();
        let seed = self.store.meta.rng;
        let jti =
            crate::util::names::Rng::keyed(seed, &format!("jti/{ns}/{name}"), iat as u64).uid();
        let claims = json!({
            "aud": audiences,
            "exp": iat + exp_secs,
            "iat": iat,
            "iss": token::ISSUER,
            "jti": jti,
            "kubernetes.io": k8s,
            "nbf": iat,
            "sub": format!("system:serviceaccount:{ns}:{name}"),
        });
        let expires = now
            .checked_add(jiff::SignedDuration::from_secs(exp_secs))
            .unwrap_or(now);
        Ok(json!({
            "apiVersion": "authentication.k8s.io/v1",
            "kind": "TokenRequest",
            "metadata": {"creationTimestamp": super::fmt_time(now), "name": name, "namespace": ns},
            "spec": {"audiences": audiences, "boundObjectRef": bound_ref, "expirationSeconds": exp_secs},
            "status": {"expirationTimestamp": super::fmt_time(expires), "token": token::sign(seed, &claims)},
        }))
    }
}
