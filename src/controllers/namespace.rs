//! The namespace controller: when a namespace is deleted, it deletes everything in it and
//! then finalizes the namespace (pkg/controller/namespace).

use super::Controller;
use crate::api::Ptr;
use crate::api::errors::ApiError;
use crate::api::kinds::KINDS;
use crate::api::{Api, Change, DeleteOptions, Op, Propagation, name_of};
use crate::engine::SyncResult;
use crate::kinds::namespace;
use crate::util::fields::Fields;
use jiff::SignedDuration;
use serde_json::{Value, json};

pub struct NamespaceController;

impl Controller for NamespaceController {
    fn name(&self) -> &'static str {
        "namespace-controller"
    }
    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        if *change.info == namespace::KIND
            && change.op == Op::Modified
            && change.object.ptr("/metadata/deletionTimestamp").is_some()
        {
            keys.push(name_of(&change.object).to_string());
        }
        // Content of a terminating namespace went away: look again.
        if change.op == Op::Deleted && change.info.namespaced {
            let ns = crate::api::namespace_of(&change.object).to_string();
            if !ns.is_empty() {
                keys.push(ns);
            }
        }
    }
    fn sync(&mut self, api: &mut Api, ns: &str) -> Result<SyncResult, ApiError> {
        let nsk = &namespace::KIND;
        let Some(obj) = api.try_get(nsk, "", ns)? else {
            return Ok(SyncResult::default());
        };
        if obj.ptr("/metadata/deletionTimestamp").is_none() {
            return Ok(SyncResult::default());
        }
        let mut remaining = 0;
        for info in KINDS.iter().filter(|k| k.namespaced) {
            for o in api.list(info, Some(ns))? {
                remaining += 1;
                if o.ptr("/metadata/deletionTimestamp").is_none() {
                    api.delete(
                        info,
                        ns,
                        name_of(&o),
                        DeleteOptions {
                            propagation: Some(Propagation::Background),
                            grace_period: None,
                        },
                    )?;
                }
            }
        }
        if remaining > 0 {
            // Pods terminate gracefully; look again shortly.
            let left: usize = KINDS
                .iter()
                .filter(|k| k.namespaced)
                .map(|k| api.list(k, Some(ns)).map(|l| l.len()).unwrap_or(0))
                .sum();
            if left > 0 {
                return Ok(SyncResult {
                    requeue_after: vec![(SignedDuration::from_secs(1), true)],
                    ..Default::default()
                });
            }
        }
        let mut fin = obj.clone();
        fin.set("/spec/finalizers", json!(Value::Array(vec![])))?;
        api.update(nsk, "", fin)?;
        Ok(SyncResult::default())
    }
}
