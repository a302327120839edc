//! The scheduler as a client of the API: it watches pods and nodes, keeps a cache of what is
//! bound where (the scheduler cache, with "assumed" pods), and binds each unscheduled pod
//! through the binding subresource, using the pure decision of [`super::scheduler`].

use super::scheduler;
use crate::api::errors::{ApiError, Reason};
use crate::api::kinds::by_kind;
use crate::api::{Api, Change, Op, fmt_time, name_of, namespace_of, set_condition};
use crate::controllers::{Controller, split_key};
use crate::engine::SyncResult;
use k8s_openapi::api::core::v1::{Node, Pod};
use serde_json::Value;
use std::collections::BTreeMap;

/// The simulated kube-scheduler.
#[derive(Default)]
pub struct Scheduler {
    /// node name → (pod key → pod) of bound, non-terminal pods; built on first use.
    cache: Option<BTreeMap<String, BTreeMap<String, Pod>>>,
}

fn unscheduled(v: &Value) -> bool {
    v.pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
        && v.pointer("/metadata/deletionTimestamp").is_none()
        && v.pointer("/spec/schedulerName")
            .and_then(Value::as_str)
            .is_none_or(|s| s == "default-scheduler")
}

impl Scheduler {
    fn build_cache(&mut self, api: &mut Api) -> Result<(), ApiError> {
        if self.cache.is_some() {
            return Ok(());
        }
        let mut c: BTreeMap<String, BTreeMap<String, Pod>> = BTreeMap::new();
        for v in api.list(by_kind("Pod").expect("registered"), None)? {
            if let Some(node) = v.pointer("/spec/nodeName").and_then(Value::as_str)
                && !node.is_empty()
                && !terminal(&v)
                && let Ok(p) = serde_json::from_value::<Pod>(v.clone())
            {
                c.entry(node.to_string())
                    .or_default()
                    .insert(format!("{}/{}", namespace_of(&v), name_of(&v)), p);
            }
        }
        self.cache = Some(c);
        Ok(())
    }

    fn schedule_one(&mut self, api: &mut Api, ns: &str, name: &str) -> Result<bool, ApiError> {
        let pod_info = by_kind("Pod").expect("registered");
        let Some(v) = api.try_get(pod_info, ns, name)? else {
            return Ok(true);
        };
        if !unscheduled(&v) {
            return Ok(true);
        }
        self.build_cache(api)?;
        let pod: Pod = serde_json::from_value(v.clone())
            .map_err(|e| ApiError::new(Reason::InternalError, e.to_string()))?;
        let nodes: Vec<Node> = api
            .list(by_kind("Node").expect("registered"), None)?
            .into_iter()
            .filter_map(|n| serde_json::from_value(n).ok())
            .collect();
        let node_refs: Vec<&Node> = nodes.iter().collect();
        let cache = self.cache.as_ref().expect("built");
        let on_nodes: BTreeMap<String, Vec<&Pod>> = cache
            .iter()
            .map(|(n, pods)| (n.clone(), pods.values().collect()))
            .collect();
        match scheduler::schedule(&pod, &node_refs, &on_nodes) {
            Ok(node) => {
                let bound = api.bind_pod(ns, name, &node)?;
                api.record_event(
                    &bound,
                    "Normal",
                    "Scheduled",
                    &format!("Successfully assigned {ns}/{name} to {node}"),
                    "default-scheduler",
                    None,
                );
                if let Ok(p) = serde_json::from_value::<Pod>(bound) {
                    self.cache
                        .as_mut()
                        .expect("built")
                        .entry(node)
                        .or_default()
                        .insert(format!("{ns}/{name}"), p);
                }
                Ok(true)
            }
            Err(msg) => {
                let mut cur = v.clone();
                let now = fmt_time(api.now());
                let already = cur
                    .pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .is_some_and(|cs| {
                        cs.iter().any(|c| {
                            c.get("type").and_then(Value::as_str) == Some("PodScheduled")
                                && c.get("message").and_then(Value::as_str) == Some(msg.as_str())
                        })
                    });
                if !already {
                    set_condition(
                        &mut cur,
                        "PodScheduled",
                        "False",
                        Some("Unschedulable"),
                        Some(&msg),
                        &now,
                    );
                    api.update_status(pod_info, ns, cur)?;
                }
                api.record_event(
                    &v,
                    "Warning",
                    "FailedScheduling",
                    &msg,
                    "default-scheduler",
                    None,
                );
                Ok(false)
            }
        }
    }
}

fn terminal(v: &Value) -> bool {
    matches!(
        v.pointer("/status/phase").and_then(Value::as_str),
        Some("Succeeded") | Some("Failed")
    )
}

impl Controller for Scheduler {
    fn name(&self) -> &'static str {
        "default-scheduler"
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        match change.info.kind {
            "Pod" => {
                let key = format!(
                    "{}/{}",
                    namespace_of(&change.object),
                    name_of(&change.object)
                );
                let node = change
                    .object
                    .pointer("/spec/nodeName")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                // Keep the cache current.
                if let Some(c) = self.cache.as_mut() {
                    for pods in c.values_mut() {
                        pods.remove(&key);
                    }
                    if change.op != Op::Deleted
                        && !node.is_empty()
                        && !terminal(&change.object)
                        && let Ok(p) = serde_json::from_value::<Pod>(change.object.clone())
                    {
                        c.entry(node.clone()).or_default().insert(key.clone(), p);
                    }
                }
                if change.op != Op::Deleted && unscheduled(&change.object) {
                    // Only new pods and pods not yet tried; failed ones wait for a change
                    // in the cluster.
                    let tried = change
                        .object
                        .pointer("/status/conditions")
                        .and_then(Value::as_array)
                        .is_some_and(|cs| {
                            cs.iter().any(|c| {
                                c.get("type").and_then(Value::as_str) == Some("PodScheduled")
                            })
                        });
                    if !tried || change.op == Op::Added {
                        keys.push(key);
                    }
                } else if !node.is_empty() && (change.op == Op::Deleted || terminal(&change.object))
                {
                    keys.push("*".into());
                }
            }
            "Node" => keys.push("*".into()),
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        if key == "*" {
            // Retry every pod that is waiting to be scheduled.
            let waiting: Vec<(String, String)> = api
                .list(by_kind("Pod").expect("registered"), None)?
                .iter()
                .filter(|v| unscheduled(v))
                .map(|v| (namespace_of(v).to_string(), name_of(v).to_string()))
                .collect();
            for (ns, n) in waiting {
                self.schedule_one(api, &ns, &n)?;
            }
            return Ok(SyncResult::default());
        }
        let (ns, name) = split_key(key);
        self.schedule_one(api, ns, name)?;
        Ok(SyncResult::default())
    }
}
