//! The scheduler as a client of the API: it watches pods and nodes, keeps the scheduler cache
//! (one [`NodeInfo`] per node: the parsed node, running sums of the requested resources,
//! ports, owner counts and slim copies of the pods, with "assumed" pods added at bind time),
//! and binds each unscheduled pod through the binding subresource, using the pure decision of
//! the pure framework of [`super`] (which takes no store or API type: this loop hands it the
//! pods' JSON, as a tree or as text).
//!
//! Each pod is decoded once, when it is scheduled, and only in the fields the scheduler reads
//! ([`PodInfo::from_value`]); the watch events of pods the cache already holds (the bind
//! itself, deletions, pods turning terminal) update it by key without decoding anything.
//!
//! A pod that fails waits, as in a 1.33 scheduler's unschedulable queue, until something could
//! let it in: a node added or changed in what the filters read (labels, taints,
//! unschedulable, allocatable; heartbeats and image lists are not) on which the pod now passes
//! every filter; a bound pod leaving (deleted or finished), for pods that lacked room, ports
//! or pod (anti-)affinity; or else the flush, which takes it once it has waited more than
//! 5 minutes since its last failure (at the next of the flush's 30-second ticks, counted from
//! the cluster's creation). Each retry that fails again counts in its `FailedScheduling`.

use super::queue::{
    flush_delay, flush_wait, has_scheduled_condition, lacked_room, unscheduled, waiting_pods,
};
use super::{NodeInfo, PodInfo};
use crate::api::Held;
use crate::api::errors::{ApiError, Reason};
use crate::api::{Api, Change, Involved, Op, fmt_time, name_of, namespace_of, set_condition};
use crate::engine::SyncResult;
use crate::engine::{Controller, split_key};
use crate::kinds;
use crate::util::ptr::Ptr;
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
    /// Pods placed on a node (assumed in the cache) whose claims VolumeBinding's PreBind is
    /// waiting for: (namespace, name) → node. The pod is bound once every claim is.
    prebinding: BTreeMap<(String, String), String>,
}

struct Cache {
    /// One info per node (its [`NodeInfo::set_node`] kept current) and per node name pods
    /// are bound to.
    infos: BTreeMap<String, NodeInfo>,
}

/// Work keys `node:<name>`: retry the waiting pods that fit on that node now.
const NODE_KEY: &str = "node:";

/// The work key "a bound pod went away" (deleted, or finished).
const FREED_KEY: &str = "freed";

/// Work keys `claim:<ns>/<name>`: a claim changed; retry the waiting pods that use it
/// (VolumeBinding's queueing hint for claims).
const CLAIM_KEY: &str = "claim:";

/// The work key "a volume or a class changed": retry the waiting pods that use claims.
const VOLUMES_KEY: &str = "volumes";

/// Work keys `prebind:<ns>/<name>`: a claim of a pod in PreBind changed; bind the pod if
/// every claim is bound now.
const PREBIND_KEY: &str = "prebind:";

fn node_of(v: &Value) -> &str {
    v.ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn phase_of(v: &Value) -> Option<&str> {
    v.ptr("/status/phase").and_then(Value::as_str)
}

impl Scheduler {
    fn cache(&mut self, api: &mut Api) -> Result<&mut Cache, ApiError> {
        if self.cache.is_none() {
            let mut infos = BTreeMap::new();
            for v in api.list_ref(&crate::kinds::node::KIND, None)? {
                if let Ok(n) = Node::deserialize(v) {
                    let name = n.metadata.name.clone().unwrap_or_default();
                    infos.insert(name, NodeInfo::new(&n));
                }
            }
            // Pods at rest are decoded from their text and stay so (a mutating command on
            // 10,000 pods neither turns them into trees nor writes them all back).
            let pods = &crate::kinds::pod::KIND;
            for ns in api.namespaces_of(pods) {
                api.for_each_held(pods, &ns, |held| {
                    let bound = match held {
                        // Pods not bound yet count on no node (and are most of the trees).
                        Held::Tree(v) if node_of(v).is_empty() => return,
                        Held::Tree(v) => PodInfo::bound_from_value(v),
                        Held::Text(t) => PodInfo::bound_from_text(t),
                    };
                    if let Ok((node, p)) = bound
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
        let kind = &crate::kinds::pod::KIND;
        let key = (ns.to_string(), name.to_string());
        if let Some(node) = self.prebinding.get(&key).cloned() {
            return self.finish_prebind(api, ns, name, &node).map(|_| true);
        }
        let (mut pod, raw) = {
            let Some(v) = api.try_get_ref(kind, ns, name)? else {
                return Ok(true);
            };
            if !unscheduled(v) {
                return Ok(true);
            }
            let info = PodInfo::from_value(v)
                .map_err(|e| ApiError::new(Reason::InternalError, e.to_string()))?;
            let raw = (!super::volumes::claim_names(v).is_empty()).then(|| v.clone());
            (info, raw)
        };
        if let Some(raw) = &raw
            && let Some(facts) = super::volumes::volume_facts(api, ns, raw)?
        {
            pod.volumes = Some(std::sync::Arc::new(facts));
        }
        let cache = self.cache(api)?;
        match super::schedule_prepared(&pod, &cache.infos) {
            Ok(node) => {
                let facts = pod.volumes.clone();
                // The scheduler cache "assumes" the pod at once, before the watch event (the
                // bind changes nothing the cache keeps of the pod).
                if let Some(c) = self.cache.as_mut() {
                    c.infos.entry(node.clone()).or_default().add(pod);
                }
                if let Some(facts) = facts.filter(|f| !f.delayed.is_empty()) {
                    // Reserve, then PreBind: the claims get their volumes (or a node to be
                    // provisioned on); the pod waits for them before it is bound.
                    let labels = self
                        .cache
                        .as_ref()
                        .and_then(|c| c.infos.get(&node)?.node.as_ref())
                        .map(|n| n.labels.clone())
                        .unwrap_or_default();
                    super::volumes::pre_bind(api, &facts, &labels, &node)?;
                    self.prebinding.insert(key, node.clone());
                    return self.finish_prebind(api, ns, name, &node).map(|_| true);
                }
                self.bind(api, ns, name, &node)?;
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
                    )?;
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

    /// Retries the waiting pods that use the claim `ns/name` (every waiting pod with a claim
    /// when `None`); those that fail again wait for the flush.
    fn retry_claim_users(
        &mut self,
        api: &mut Api,
        claim: Option<&str>,
    ) -> Result<SyncResult, ApiError> {
        if self.waiting.is_none() {
            self.waiting = Some(waiting_pods(api)?);
        }
        let waiting: Vec<(String, String)> = self.waiting.iter().flatten().cloned().collect();
        let kind = &crate::kinds::pod::KIND;
        let mut res = SyncResult::default();
        for (ns, n) in waiting {
            let uses = {
                let Some(v) = api.try_get_ref(kind, &ns, &n)? else {
                    continue;
                };
                let names = super::volumes::claim_names(v);
                match claim.map(split_key) {
                    Some((cns, cname)) => cns == ns && names.iter().any(|c| c == cname),
                    None => !names.is_empty(),
                }
            };
            if uses && !self.schedule_one(api, &ns, &n)? {
                let now = api.now();
                res.wake
                    .push((format!("{ns}/{n}"), flush_delay(api, now), false));
            }
        }
        Ok(res)
    }

    /// Binds the pod and records `Scheduled`.
    fn bind(&mut self, api: &mut Api, ns: &str, name: &str, node: &str) -> Result<(), ApiError> {
        api.bind_pod(ns, name, node)?;
        let msg = format!("Successfully assigned {ns}/{name} to {node}");
        api.record_event_about(
            &crate::kinds::pod::KIND,
            ns,
            name,
            "Normal",
            "Scheduled",
            &msg,
            "default-scheduler",
            None,
        );
        Ok(())
    }

    /// PreBind's wait: once every claim of the pod is bound, the pod is bound to `node`.
    fn finish_prebind(
        &mut self,
        api: &mut Api,
        ns: &str,
        name: &str,
        node: &str,
    ) -> Result<(), ApiError> {
        let key = (ns.to_string(), name.to_string());
        let Some(pod) = api
            .try_get_ref(&crate::kinds::pod::KIND, ns, name)?
            .cloned()
        else {
            self.prebinding.remove(&key);
            return Ok(());
        };
        if !unscheduled(&pod) {
            self.prebinding.remove(&key);
            return Ok(());
        }
        if super::volumes::all_bound(api, ns, &pod)? {
            self.prebinding.remove(&key);
            self.bind(api, ns, name, node)?;
        }
        Ok(())
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
        let key = super::value_key(&change.object);
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
            kinds::pod::NAME => {
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
                    // Room freed on the node.
                    keys.push(FREED_KEY.into());
                }
            }
            kinds::persistentvolumeclaim::NAME => {
                let (ns, claim) = (namespace_of(&change.object), name_of(&change.object));
                for (pns, pname) in self.prebinding.keys() {
                    if pns == ns {
                        keys.push(format!("{PREBIND_KEY}{pns}/{pname}"));
                    }
                }
                if change.op != Op::Deleted {
                    keys.push(format!("{CLAIM_KEY}{ns}/{claim}"));
                }
            }
            kinds::persistentvolume::NAME | kinds::storageclass::NAME
                if change.op != Op::Deleted =>
            {
                keys.push(VOLUMES_KEY.into());
            }
            kinds::node::NAME => {
                let name = name_of(&change.object).to_string();
                // A node that goes away makes no pod schedulable; a status write that only
                // moves heartbeats or lists images changes nothing the filters read.
                let mut relevant = change.op != Op::Deleted;
                if let Some(c) = self.cache.as_mut() {
                    if change.op == Op::Deleted {
                        c.infos.remove(&name);
                    } else if let Ok(n) = Node::deserialize(&*change.object) {
                        let info = c.infos.entry(name.clone()).or_default();
                        relevant = change.op == Op::Added || info.node_differs(&n);
                        info.set_node(&n);
                    }
                }
                if relevant {
                    keys.push(format!("{NODE_KEY}{name}"));
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        if let Some(k) = key.strip_prefix(PREBIND_KEY) {
            let (ns, name) = split_key(k);
            if let Some(node) = self
                .prebinding
                .get(&(ns.to_string(), name.to_string()))
                .cloned()
            {
                self.finish_prebind(api, ns, name, &node)?;
            }
            return Ok(SyncResult::default());
        }
        if key == VOLUMES_KEY || key.starts_with(CLAIM_KEY) {
            return self.retry_claim_users(api, key.strip_prefix(CLAIM_KEY));
        }
        let node = key.strip_prefix(NODE_KEY);
        if node.is_some() || key == FREED_KEY {
            // A node appeared or changed what the filters read: retry the waiting pods that
            // pass every filter on it now (the scheduler's pre-enqueue check for node
            // events). A bound pod went away: retry those that some node lacked room, ports
            // or pod (anti-)affinity for (what the NodeResourcesFit, NodePorts and
            // InterPodAffinity queueing hints answer). The others stay where they are, with
            // no new FailedScheduling, until the flush.
            if self.waiting.is_none() {
                self.waiting = Some(waiting_pods(api)?);
            }
            let waiting: Vec<(String, String)> = self.waiting.iter().flatten().cloned().collect();
            if waiting.is_empty() {
                return Ok(SyncResult::default());
            }
            let kind = &crate::kinds::pod::KIND;
            let mut res = SyncResult::default();
            for (ns, n) in waiting {
                let fits = {
                    let Some(v) = api.try_get_ref(kind, &ns, &n)? else {
                        continue;
                    };
                    match node {
                        Some(node) => {
                            let Ok(pod) = PodInfo::from_value(v) else {
                                continue;
                            };
                            let cache = self.cache(api)?;
                            super::fits_node(&pod, node, &cache.infos)
                        }
                        None => lacked_room(v),
                    }
                };
                // A pod that fails again waits for the flush (an earlier flush timer finds it
                // has not waited long enough and waits on).
                if fits && !self.schedule_one(api, &ns, &n)? {
                    let now = api.now();
                    res.wake
                        .push((format!("{ns}/{n}"), flush_delay(api, now), false));
                }
            }
            return Ok(res);
        }
        let (ns, name) = split_key(key);
        // A pod that failed before is here for the flush: it goes only once it has waited
        // 5 minutes since its last failure (a retry on a cluster event in between counts).
        if let Some(wait) = flush_wait(api, ns, name)? {
            return Ok(SyncResult {
                requeue_after: vec![(wait, false)],
                ..Default::default()
            });
        }
        if self.schedule_one(api, ns, name)? {
            return Ok(SyncResult::default());
        }
        let now = api.now();
        Ok(SyncResult {
            requeue_after: vec![(flush_delay(api, now), false)],
            ..Default::default()
        })
    }
}
