//! The ResourceQuota controller (pkg/controller/resourcequota): `status.hard` is the spec's,
//! `status.used` what the namespace's objects cost, summed by the quota evaluators
//! (`kinds::resourcequota::evaluator`) for exactly the resources the quota names.
//!
//! As upstream, objects are charged by the API's admission when they are created (so the
//! controller does not recount on every create); the controller recounts a quota when its
//! spec changes or its status is missing, and replenishes the quotas of a namespace when an
//! object they track goes (deleted), a pod turns terminal, or a service or claim changes
//! (type, size). Not simulated: the 5-minute full resync, which only repairs drift a real
//! cluster's races leave.

use super::{Controller, key_of, split_key};
use crate::api::errors::ApiError;
use crate::api::{Api, Change, Op, Ptr, namespace_of};
use crate::engine::SyncResult;
use crate::kinds::resourcequota::evaluator::{self, Evaluator};
use crate::print::describe::{ResList, add_list, res_list};
use serde_json::{Value, json};

pub struct ResourceQuotaController;

/// `spec.hard` differs from `status.hard`, or the status is not there yet.
fn dirty(quota: &Value) -> bool {
    let (Some(hard), Some(_)) = (quota.ptr("/status/hard"), quota.ptr("/status/used")) else {
        return true;
    };
    !evaluator::equal(&res_list(quota.ptr("/spec/hard")), &res_list(Some(hard)))
}

/// Whether a change can lower what a quota tracking its kind counts (the quota monitor's
/// replenishment: deletions, a pod turning terminal, services and claims changing).
fn replenishes(ev: &Evaluator, change: &Change) -> bool {
    match change.op {
        Op::Deleted => true,
        Op::Added => false,
        Op::Modified => match ev {
            Evaluator::Pods => matches!(
                change.object.ptr("/status/phase").and_then(Value::as_str),
                Some("Succeeded" | "Failed")
            ),
            Evaluator::Services | Evaluator::Claims => true,
            Evaluator::Count { .. } => false,
        },
    }
}

impl Controller for ResourceQuotaController {
    fn name(&self) -> &'static str {
        "resourcequota-controller"
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let quotas = &crate::kinds::resourcequota::KIND;
        if change.info == quotas {
            if change.op != Op::Deleted && dirty(&change.object) {
                keys.push(key_of(&change.object));
            }
            return;
        }
        let Some(ev) = evaluator::evaluator_for(change.info) else {
            return;
        };
        let ns = namespace_of(&change.object);
        if ns.is_empty() || !replenishes(&ev, change) {
            return;
        }
        if let Ok(list) = api.list_ref(quotas, Some(ns)) {
            for q in list {
                if !ev.matching_resources(&evaluator::hard_names(q)).is_empty()
                    || !ev
                        .matching_resources(&evaluator::resource_names(q.ptr("/spec/hard")))
                        .is_empty()
                {
                    keys.push(key_of(q));
                }
            }
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = split_key(key);
        let info = &crate::kinds::resourcequota::KIND;
        let Some(quota) = api.try_get(info, ns, name)? else {
            return Ok(SyncResult::default());
        };
        let hard = quota
            .ptr("/spec/hard")
            .cloned()
            .unwrap_or_else(|| json!({}));
        let hard_names = evaluator::resource_names(Some(&hard));
        let scopes = evaluator::scope_selectors(&quota);
        let now = api.now();
        // CalculateUsage: each evaluator that measures something the quota names sums its
        // objects in the namespace (those in the quota's scopes), from zero.
        let mut fresh = ResList::new();
        for kind in crate::kinds::KINDS.iter().filter(|k| k.namespaced) {
            let Some(ev) = evaluator::evaluator_for(kind) else {
                continue;
            };
            let tracked = ev.matching_resources(&hard_names);
            if tracked.is_empty() {
                continue;
            }
            let mut used: ResList = tracked
                .iter()
                .map(|r| (r.to_string(), crate::print::describe::Qty::zero()))
                .collect();
            for obj in api.list_ref(kind, Some(ns))? {
                if ev.in_scopes(&scopes, obj) {
                    add_list(&mut used, &ev.usage(obj, now));
                }
            }
            used.retain(|k, _| tracked.contains(&k.as_str()));
            add_list(&mut fresh, &used);
        }
        // The previous used, overwritten by what was counted, masked to the hard names.
        let old_used = res_list(quota.ptr("/status/used"));
        let mut used = old_used.clone();
        used.extend(fresh);
        used.retain(|k, _| hard_names.contains(&k.as_str()));
        if !dirty(&quota) && evaluator::equal(&old_used, &used) {
            return Ok(SyncResult::default());
        }
        let mut status = quota.ptr("/status").cloned().unwrap_or_else(|| json!({}));
        if let Some(st) = status.as_object_mut() {
            st.insert("hard".into(), hard);
            st.insert("used".into(), evaluator::to_json(&used));
        }
        api.put_status(info, ns, name, status)?;
        Ok(SyncResult::default())
    }
}
