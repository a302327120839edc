//! The volume expand controller (pkg/controller/volume/expand, events from `volume_expand`):
//! a bound claim whose storage request grew past its capacity (the API server lets that
//! through only for a class with `allowVolumeExpansion: true`) is expanded by the volume's
//! plugin, or, when no in-tree plugin expands it, left to an external resizer with the event
//! `ExternalExpanding: waiting for an external controller to expand this PVC`. No volume
//! source kubesim knows has an in-tree expander, and kind's local-path provisioner runs no
//! resizer, so the claim keeps its capacity, as on kind.

use super::Controller;
use crate::api::errors::ApiError;
use crate::api::{Api, Change, Op, Ptr, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds;
use crate::util::quantity::Quantity;
use serde_json::Value;

pub struct ExpandController;

fn storage(v: &Value, at: &str) -> Quantity {
    v.ptr(at)
        .and_then(Value::as_str)
        .and_then(|q| Quantity::parse(q).ok())
        .unwrap_or_else(Quantity::zero)
}

/// A bound claim that asks for more than it has.
pub fn wants_expansion(pvc: &Value) -> bool {
    pvc.ptr("/status/phase").and_then(Value::as_str) == Some("Bound")
        && storage(pvc, "/spec/resources/requests/storage")
            > storage(pvc, "/status/capacity/storage")
}

impl Controller for ExpandController {
    fn name(&self) -> &'static str {
        "volume_expand"
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let obj: &Value = &change.object;
        // The claim's own spec update (a resize) is what wakes it.
        if change.info.kind == kinds::persistentvolumeclaim::NAME
            && change.op == Op::Modified
            && change.verb == "update"
            && wants_expansion(obj)
        {
            keys.push(format!("{}/{}", namespace_of(obj), name_of(obj)));
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = super::split_key(key);
        let info = &kinds::persistentvolumeclaim::KIND;
        let Some(pvc) = api.try_get_ref(info, ns, name)?.cloned() else {
            return Ok(SyncResult::default());
        };
        if wants_expansion(&pvc) {
            api.record_event(
                &pvc,
                "Normal",
                "ExternalExpanding",
                "waiting for an external controller to expand this PVC",
                "volume_expand",
                None,
            );
        }
        Ok(SyncResult::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn which_claims_want_more() {
        let c = |req: &str, cap: &str, phase: &str| {
            json!({"spec": {"resources": {"requests": {"storage": req}}},
                   "status": {"phase": phase, "capacity": {"storage": cap}}})
        };
        assert!(wants_expansion(&c("2Gi", "1Gi", "Bound")));
        assert!(!wants_expansion(&c("1Gi", "1Gi", "Bound")));
        assert!(!wants_expansion(&c("1024Mi", "1Gi", "Bound")));
        assert!(!wants_expansion(&c("2Gi", "1Gi", "Pending")));
    }
}
