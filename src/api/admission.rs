//! The admission plugins that read other objects of the namespace: LimitRanger (mutating:
//! defaults into a new pod's containers; validating: min, max and ratios of pods and
//! claims) and ResourceQuota (validating: the object's usage against each quota's
//! `status.used`, charged to the quota when admitted). The pure parts live with their kinds
//! (`kinds::limitrange::admission`, `kinds::resourcequota::evaluator`); this is their glue.

use serde_json::{Value, json};

use super::errors::ApiError;
use super::kinds::KindInfo;
use super::{Api, Ptr};
use crate::kinds::limitrange::admission as limits;
use crate::kinds::resourcequota::evaluator;

/// One of LimitRanger's checks: a LimitRange against an object.
type LimitCheck = fn(&Value, &Value) -> Result<(), String>;

impl Api {
    /// LimitRanger's mutating half on a pod create: each LimitRange of the namespace (by
    /// name) fills the defaults it has; the QoS class the strategy computed is computed again
    /// from what the containers now ask for.
    pub(super) fn default_pod_limits(&mut self, ns: &str, pod: &mut Value) -> Result<(), ApiError> {
        let ranges = self.list(&crate::kinds::limitrange::KIND, Some(ns))?;
        if ranges.is_empty() {
            return Ok(());
        }
        for lr in &ranges {
            limits::mutate_pod(lr, pod);
        }
        let qos = crate::kinds::pod::qos_class(pod.ptr("/spec").unwrap_or(&Value::Null));
        if let Some(st) = pod.get_mut("status").and_then(Value::as_object_mut) {
            st.insert("qosClass".into(), json!(qos));
        }
        Ok(())
    }

    /// The validating plugins, after the object's validation and before it is stored:
    /// LimitRanger (pods on create, claims on create and update), then ResourceQuota, whose
    /// charge is written to each quota's `status.used` at once, as the API server does before
    /// storing the object. `old` is the stored object on an update.
    pub(super) fn validating_admission(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        name: &str,
        obj: &Value,
        old: Option<&Value>,
    ) -> Result<(), ApiError> {
        if !info.namespaced {
            return Ok(());
        }
        let forbidden = |why: String| ApiError::forbidden(&info.resource(), name, &why);
        let check: Option<LimitCheck> = match info.kind {
            crate::kinds::pod::NAME if old.is_none() => Some(limits::validate_pod),
            crate::kinds::persistentvolumeclaim::NAME => Some(limits::validate_claim),
            _ => None,
        };
        if let Some(check) = check {
            for lr in self.list(&crate::kinds::limitrange::KIND, Some(ns))? {
                check(&lr, obj).map_err(forbidden)?;
            }
        }
        let Some(ev) = evaluator::evaluator_for(info) else {
            return Ok(());
        };
        if !ev.handles(old.is_some()) {
            return Ok(());
        }
        let quotas = self.list(&crate::kinds::resourcequota::KIND, Some(ns))?;
        if quotas.is_empty() {
            return Ok(());
        }
        let charges =
            evaluator::check_request(&ev, &quotas, obj, old, self.now()).map_err(forbidden)?;
        for (i, used) in charges {
            let q = &quotas[i];
            let mut status = q.get("status").cloned().unwrap_or_else(|| json!({}));
            if let Some(st) = status.as_object_mut() {
                st.insert("used".into(), evaluator::to_json(&used));
            }
            let quota_name = super::name_of(q).to_string();
            self.put_status(&crate::kinds::resourcequota::KIND, ns, &quota_name, status)?;
        }
        Ok(())
    }
}
