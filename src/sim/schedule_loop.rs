//! The scheduler as a client of the API: it watches pods and nodes, keeps the scheduler cache
//! (one [`NodeInfo`] per node: the parsed node, running sums of the requested resources,
//! ports, owner counts and slim copies of the pods, with "assumed" pods added at bind time),
//! and binds each unscheduled pod through the binding subresource, using the pure decision of
//! [`super::scheduler`].
//!
//! Each pod is decoded once, when it is scheduled, and only in the fields the scheduler reads
//! ([`PodInfo::from_value`]); the watch events of pods the cache already holds (the bind
//! itself, deletions, pods turning terminal) update it by key without decoding anything.

use super::scheduler::{self, NodeInfo, PodInfo};
use crate::api::Ptr;
use crate::api::errors::{ApiError, Reason};
use crate::api::kinds::by_kind;
use crate::api::{Api, Change, Involved, Op, fmt_time, name_of, namespace_of, set_condition};
use crate::controllers::{Controller, split_key};
use crate::engine::SyncResult;
use crate::store::Held;
use k8s_openapi::api::core::v1::Node;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The simulated kube-scheduler.
#[derive(Default)]
pub struct Scheduler {
    /// The scheduler cache, built on first use and kept current from watch events.
    cache: Option<Cache>,
    /// The pods waiting to be scheduled, (namespace, name) in list order: built from the
    /// state on the first retry, then kept current from watch events, so a retry never
    /// reads every pod.
    waiting: Option<std::collections::BTreeSet<(String, String)>>,
}

struct Cache {
    /// One info per node (its [`NodeInfo::set_node`] kept current) and per node name pods
    /// are bound to.
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

/// What [`unscheduled`] reads of a pod, decoded from its text.
#[derive(Deserialize)]
struct WaitingView {
    metadata: WaitingMeta,
    #[serde(default)]
    spec: WaitingSpec,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WaitingMeta {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    deletion_timestamp: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WaitingSpec {
    #[serde(default)]
    node_name: Option<String>,
    #[serde(default)]
    scheduler_name: Option<String>,
}

impl WaitingView {
    fn unscheduled(&self) -> bool {
        self.spec.node_name.as_deref().is_none_or(str::is_empty)
            && self.metadata.deletion_timestamp.is_none()
            && self
                .spec
                .scheduler_name
                .as_deref()
                .is_none_or(|s| s == "default-scheduler")
    }
}

fn node_of(v: &Value) -> &str {
    v.ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn phase_of(v: &Value) -> Option<&str> {
    v.ptr("/status/phase").and_then(Value::as_str)
}

/// Whether the pod already carries a `PodScheduled` condition (with `message`, if given).
fn has_scheduled_condition(v: &Value, message: Option<&str>) -> bool {
    v.ptr("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                c.get("type").and_then(Value::as_str) == Some("PodScheduled")
                    && message.is_none_or(|m| c.get("message").and_then(Value::as_str) == Some(m))
            })
        })
}

impl Scheduler {
    fn cache(&mut self, api: &mut Api) -> Result<&mut Cache, ApiError> {
        if self.cache.is_none() {
            let mut infos = BTreeMap::new();
            for v in api.list_ref(by_kind("Node").expect("registered"), None)? {
                if let Ok(n) = Node::deserialize(v) {
                    let name = n.metadata.name.clone().unwrap_or_default();
                    infos.insert(name, NodeInfo::new(&n));
                }
            }
            // Pods at rest are decoded from their text and stay so (a mutating command on
            // 10,000 pods neither turns them into trees nor writes them all back).
            let pods = by_kind("Pod").expect("registered");
            for ns in api.namespaces_of(pods) {
                api.for_each_held(pods, &ns, |held| {
                    // Pods not bound yet count on no node (and are most of the trees).
                    if let Held::Tree(v) = held
                        && node_of(v).is_empty()
                    {
                        return;
                    }
                    if let Ok((node, p)) = PodInfo::bound_from_held(&held)
                        && !node.is_empty()
                    {
                        infos.entry(node).or_insert_with(NodeInfo::default).add(p);
                    }
                })?;
            }
            self.cache = Some(Cache { infos });
        }
        Ok(self.cache.as_mut().expect("built"))
    }

    fn schedule_one(&mut self, api: &mut Api, ns: &str, name: &str) -> Result<bool, ApiError> {
        let kind = by_kind("Pod").expect("registered");
        let pod = {
            let Some(v) = api.try_get_ref(kind, ns, name)? else {
                return Ok(true);
            };
            if !unscheduled(v) {
                return Ok(true);
            }
            PodInfo::from_value(v)
                .map_err(|e| ApiError::new(Reason::InternalError, e.to_string()))?
        };
        let cache = self.cache(api)?;
        match scheduler::schedule_prepared(&pod, &cache.infos) {
            Ok(node) => {
                api.bind_pod(ns, name, &node)?;
                // The scheduler cache "assumes" the pod at once, before the watch event (the
                // bind changes nothing the cache keeps of the pod).
                let msg = format!("Successfully assigned {ns}/{name} to {node}");
                if let Some(c) = self.cache.as_mut() {
                    c.infos.entry(node).or_default().add(pod);
                }
                api.record_event_about(
                    kind,
                    ns,
                    name,
                    "Normal",
                    "Scheduled",
                    &msg,
                    "default-scheduler",
                    None,
                );
                Ok(true)
            }
            Err(msg) => {
                let (involved, update) = {
                    let Some(v) = api.try_get_ref(kind, ns, name)? else {
                        return api.get(kind, ns, name).map(|_| false);
                    };
                    let update = (!has_scheduled_condition(v, Some(&msg))).then(|| v.clone());
                    (Involved::of(v), update)
                };
                if let Some(mut cur) = update {
                    let now = fmt_time(api.now());
                    set_condition(
                        &mut cur,
                        "PodScheduled",
                        "False",
                        Some("Unschedulable"),
                        Some(&msg),
                        &now,
                    );
                    api.update_status(kind, ns, cur)?;
                }
                // The event is about the pod as it was before the status update.
                api.record_event_for(
                    &involved,
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

    /// Keeps the cache current for a pod's watch event. Only what changes a node's accounting
    /// matters (a bind, an addition, a deletion, a pod turning terminal); the kubelet's other
    /// status writes do not.
    fn track_pod(&mut self, change: &Change, node: &str, terminal: bool) {
        let Some(c) = self.cache.as_mut() else {
            return;
        };
        let relevant =
            change.op == Op::Deleted || change.op == Op::Added || change.verb == "bind" || terminal;
        if !relevant || node.is_empty() {
            return;
        }
        let key = scheduler::value_key(&change.object);
        if change.op == Op::Deleted || terminal {
            if let Some(info) = c.infos.get_mut(node) {
                info.remove(&key);
            }
            return;
        }
        // A bind this scheduler made was assumed already, with the same contents.
        if change.verb == "bind" && c.infos.get(node).is_some_and(|i| i.contains(&key)) {
            return;
        }
        if let Ok(p) = PodInfo::from_value(&change.object) {
            c.infos.entry(node.to_string()).or_default().add(p);
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
                let obj: &Value = &change.object;
                let node = node_of(obj);
                let terminal = matches!(phase_of(obj), Some("Succeeded") | Some("Failed"));
                self.track_pod(change, node, terminal);
                let waiting = change.op != Op::Deleted && unscheduled(obj);
                if let Some(w) = self.waiting.as_mut() {
                    let key = (namespace_of(obj).to_string(), name_of(obj).to_string());
                    if waiting {
                        w.insert(key);
                    } else {
                        w.remove(&key);
                    }
                }
                if waiting {
                    // New pods, and pods not tried yet; failed ones wait for the cluster to change.
                    if change.op == Op::Added || !has_scheduled_condition(obj, None) {
                        keys.push(format!("{}/{}", namespace_of(obj), name_of(obj)));
                    }
                } else if !node.is_empty() && (change.op == Op::Deleted || terminal) {
                    keys.push("*".into());
                }
            }
            "Node" => {
                if let Some(c) = self.cache.as_mut() {
                    let name = name_of(&change.object).to_string();
                    if change.op == Op::Deleted {
                        c.infos.remove(&name);
                    } else if let Ok(n) = Node::deserialize(&*change.object) {
                        c.infos.entry(name).or_default().set_node(&n);
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
            if self.waiting.is_none() {
                let pods = by_kind("Pod").expect("registered");
                let mut w = std::collections::BTreeSet::new();
                for ns in api.namespaces_of(pods) {
                    api.for_each_held(pods, &ns, |held| {
                        if let Ok(p) = held.decode::<WaitingView>()
                            && p.unscheduled()
                        {
                            w.insert((p.metadata.namespace, p.metadata.name));
                        }
                    })?;
                }
                self.waiting = Some(w);
            }
            let waiting: Vec<(String, String)> = self.waiting.iter().flatten().cloned().collect();
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
