//! The scheduler as a client of the API: it watches pods and nodes, keeps the scheduler cache
//! (one [`NodeInfo`] per node: allocatable, requested resources, ports, pods, with "assumed"
//! pods added at bind time), and binds each unscheduled pod through the binding subresource,
//! using the pure decision of [`super::scheduler`].

use super::scheduler::{self, NodeInfo};
use crate::api::Ptr;
use crate::api::errors::{ApiError, Reason};
use crate::api::kinds::by_kind;
use crate::api::{Api, Change, Op, fmt_time, name_of, namespace_of, set_condition};
use crate::controllers::{Controller, split_key};
use crate::engine::SyncResult;
use k8s_openapi::api::core::v1::{Node, Pod};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The simulated kube-scheduler.
#[derive(Default)]
pub struct Scheduler {
    /// The scheduler cache, built on first use and kept current from watch events.
    cache: Option<Cache>,
}

struct Cache {
    nodes: BTreeMap<String, Node>,
    infos: BTreeMap<String, NodeInfo>,
}

fn unscheduled(v: &Value) -> bool {
    v.ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
        && v.ptr("/metadata/deletionTimestamp").is_none()
        && v.ptr("/spec/schedulerName")
            .and_then(Value::as_str)
            .is_none_or(|s| s == "default-scheduler")
}

fn node_of(v: &Value) -> &str {
    v.ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
}

impl Scheduler {
    fn cache(&mut self, api: &mut Api) -> Result<&mut Cache, ApiError> {
        if self.cache.is_none() {
            let mut nodes = BTreeMap::new();
            let mut infos = BTreeMap::new();
            for v in api.list_ref(by_kind("Node").expect("registered"), None)? {
                if let Ok(n) = Node::deserialize(v) {
                    let name = n.metadata.name.clone().unwrap_or_default();
                    infos.insert(name.clone(), NodeInfo::new(&n));
                    nodes.insert(name, n);
                }
            }
            for v in api.list_ref(by_kind("Pod").expect("registered"), None)? {
                let node = node_of(v).to_string();
                if node.is_empty() {
                    continue;
                }
                if let Ok(p) = Pod::deserialize(v) {
                    infos.entry(node).or_default().add_pod(&p);
                }
            }
            self.cache = Some(Cache { nodes, infos });
        }
        Ok(self.cache.as_mut().expect("built"))
    }

    fn schedule_one(&mut self, api: &mut Api, ns: &str, name: &str) -> Result<bool, ApiError> {
        let pod_info = by_kind("Pod").expect("registered");
        let pod: Pod = {
            let Some(v) = api.try_get_ref(pod_info, ns, name)? else {
                return Ok(true);
            };
            if !unscheduled(v) {
                return Ok(true);
            }
            Pod::deserialize(v).map_err(|e| ApiError::new(Reason::InternalError, e.to_string()))?
        };
        let cache = self.cache(api)?;
        let node_refs: Vec<&Node> = cache.nodes.values().collect();
        match scheduler::schedule_cached(&pod, &node_refs, &cache.infos) {
            Ok(node) => {
                api.bind_pod(ns, name, &node)?;
                // The scheduler cache "assumes" the pod at once, before the watch event.
                if let Some(bound) = api.try_get_ref(pod_info, ns, name)?
                    && let Ok(p) = Pod::deserialize(bound)
                    && let Some(c) = self.cache.as_mut()
                {
                    c.infos.entry(node.clone()).or_default().add_pod(&p);
                }
                api.record_event_about(
                    pod_info,
                    ns,
                    name,
                    "Normal",
                    "Scheduled",
                    &format!("Successfully assigned {ns}/{name} to {node}"),
                    "default-scheduler",
                    None,
                );
                Ok(true)
            }
            Err(msg) => {
                let v = api.get(pod_info, ns, name)?;
                let mut cur = v.clone();
                let now = fmt_time(api.now());
                let already = cur
                    .ptr("/status/conditions")
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
                let node = node_of(&change.object).to_string();
                // Keep the cache current: only what changes a node's accounting (a bind, a
                // deletion, a pod turning terminal) needs a decode; the kubelet's other status
                // writes do not.
                let phase = change.object.ptr("/status/phase").and_then(Value::as_str);
                let terminal = matches!(phase, Some("Succeeded") | Some("Failed"));
                let relevant = change.op == Op::Deleted
                    || change.op == Op::Added
                    || change.verb == "bind"
                    || terminal;
                if relevant
                    && !node.is_empty()
                    && let Some(c) = self.cache.as_mut()
                    && let Ok(p) = Pod::deserialize(&*change.object)
                {
                    let info = c.infos.entry(node.clone()).or_default();
                    if change.op == Op::Deleted {
                        info.remove_pod(&p);
                    } else {
                        info.add_pod(&p);
                    }
                }
                if change.op != Op::Deleted && unscheduled(&change.object) {
                    // New pods, and pods not tried yet; failed ones wait for the cluster to change.
                    let tried = change
                        .object
                        .ptr("/status/conditions")
                        .and_then(Value::as_array)
                        .is_some_and(|cs| {
                            cs.iter().any(|c| {
                                c.get("type").and_then(Value::as_str) == Some("PodScheduled")
                            })
                        });
                    if !tried || change.op == Op::Added {
                        keys.push(key);
                    }
                } else if !node.is_empty()
                    && (change.op == Op::Deleted
                        || matches!(
                            change.object.ptr("/status/phase").and_then(Value::as_str),
                            Some("Succeeded") | Some("Failed")
                        ))
                {
                    keys.push("*".into());
                }
            }
            "Node" => {
                if let Some(c) = self.cache.as_mut() {
                    let name = name_of(&change.object).to_string();
                    if change.op == Op::Deleted {
                        c.nodes.remove(&name);
                        c.infos.remove(&name);
                    } else if let Ok(n) = Node::deserialize(&*change.object) {
                        c.infos.entry(name.clone()).or_default().set_node(&n);
                        c.nodes.insert(name, n);
                    }
                }
                keys.push("*".into());
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        if key == "*" {
            // Retry every pod that is waiting to be scheduled.
            let waiting: Vec<(String, String)> = api
                .list_ref(by_kind("Pod").expect("registered"), None)?
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
