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

/// The quotas a request was charged to: each quota's name and its new status.
pub(super) type Charges = Vec<(String, Value)>;

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
    /// LimitRanger (pods on create, claims on create and update), then ResourceQuota, which
    /// returns the new status of each quota it charged ([`Self::charge_quotas`] writes them).
    /// `old` is the stored object on an update.
    pub(super) fn validating_admission(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        name: &str,
        obj: &Value,
        old: Option<&Value>,
    ) -> Result<Charges, ApiError> {
        if !info.namespaced {
            return Ok(Charges::new());
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
            return Ok(Charges::new());
        };
        if !ev.handles(old.is_some()) {
            return Ok(Charges::new());
        }
        let quotas = self.list(&crate::kinds::resourcequota::KIND, Some(ns))?;
        if quotas.is_empty() {
            return Ok(Charges::new());
        }
        let charges =
            evaluator::check_request(&ev, &quotas, obj, old, self.now()).map_err(forbidden)?;
        Ok(charges
            .into_iter()
            .map(|(i, used)| {
                let q = &quotas[i];
                let mut status = q.get("status").cloned().unwrap_or_else(|| json!({}));
                if let Some(st) = status.as_object_mut() {
                    st.insert("used".into(), evaluator::to_json(&used));
                }
                (super::name_of(q).to_string(), status)
            })
            .collect())
    }

    /// Writes what [`Self::validating_admission`] charged, once nothing else can refuse the
    /// request (a refused request leaves no trace: kubesim has no full resync to repair a
    /// charge for an object that was never stored).
    pub(super) fn charge_quotas(&mut self, ns: &str, charges: Charges) -> Result<(), ApiError> {
        for (name, status) in charges {
            self.put_status(&crate::kinds::resourcequota::KIND, ns, &name, status)?;
        }
        Ok(())
    }
}
