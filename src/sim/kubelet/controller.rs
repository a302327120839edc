//! The simulated kubelets as a client of the API: every Node in the state is run by one.
//! For each pod bound to a node it calls the pure state machine of [`super`], writes
//! the pod status, records the kubelet's events, finishes graceful deletions, and asks the
//! engine to wake it when the next thing happens (an image pull finishing, a container
//! exiting, a back-off ending). Nodes applied without a status get what a kubelet reports.
//! Each kubelet keeps its node's Lease in `kube-node-lease` (holder = the node, 40 s) and
//! renews it every 10 s; `describe node` shows it; the renewals stay out of the step trace.
//!
//! Per node it keeps a slim record of the pods bound there (`NodePods`): what admission
//! counts, the pod IPs (allocation takes the lowest free address of the node's pod CIDR) and
//! the images the pods' containers started with. Those images are what the node has: a
//! container whose `IfNotPresent` image another pod on the node started with before starts
//! without a pull. The kubelet also lists each image a container of its node started with in
//! the node's `status.images` (digest and tag, size, largest first, at most 50), and the node
//! keeps it there when the pods are gone (no image GC is simulated): a pod that comes later
//! finds it present. An image only the status lists counts as there since before any pod now
//! on the node (its time of arrival is not kept): a pod whose pull was under way when the last
//! other pod with that image went away is then taken to have found it present (an edge case).

use super::node::{
    NODE_LEASE_DURATION_SECS, NODE_LEASE_NS, NODE_LEASE_RENEW_SECS, NODE_STATUS_REPORT_SECS,
    fmt_micro, node_lease,
};
use super::node_pods::{
    NodePods, SlimPod, decode_pod, has_unstarted_container, lowest_free_ip, only_crash_loops,
    started_images, waiting_in_backoff,
};
use super::{KubeletCtx, NodeUsage, node_images, node_status, sync_pod};
use crate::api::errors::{ApiError, Reason};
use crate::api::{Api, Change, DeleteOptions, Involved, Op, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::engine::{Controller, split_key};
use crate::kinds;
use crate::util::fields::Fields;
use crate::util::ptr::Ptr;
use jiff::SignedDuration;
use k8s_openapi::api::core::v1::{Node, Pod, PodStatus};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// How far ahead a kubelet timer may lie and still hold up settling: a container that
/// finishes within this time (a Job's pod) finishes before the command returns; one that
/// sleeps for an hour keeps running, as it would while you look at a real cluster.
pub const SETTLE_HORIZON_SECS: i64 = 60;

/// Work keys `schedulable:<node>`: the node's spec changed; report a change of
/// `spec.unschedulable`.
const SCHEDULABLE_KEY: &str = "schedulable:";

/// The kubelet's `recordNodeSchedulableEvent`: when `spec.unschedulable` differs from what it
/// last reported, the Normal event `NodeNotSchedulable` / `NodeSchedulable` (`Node X status is
/// now: NodeNotSchedulable`). What it last reported is the newer of the two events (none: it
/// starts out schedulable, as a kubelet's memory does).
fn record_schedulable_event(api: &mut Api, node: &str) -> Result<(), ApiError> {
    let info = &crate::kinds::node::KIND;
    let (unschedulable, uid) = {
        let Some(n) = api.try_get_ref(info, "", node)? else {
            return Ok(());
        };
        (
            n.ptr("/spec/unschedulable").and_then(Value::as_bool) == Some(true),
            n.ptr("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        )
    };
    let last = |api: &mut Api, reason: &str| api.last_event_time("default", node, &uid, reason);
    let not = last(api, "NodeNotSchedulable");
    let yes = last(api, "NodeSchedulable");
    let reported_unschedulable = match (not, yes) {
        (Some(n), Some(y)) => n > y,
        (Some(_), None) => true,
        _ => false,
    };
    if reported_unschedulable == unschedulable {
        return Ok(());
    }
    let reason = if unschedulable {
        "NodeNotSchedulable"
    } else {
        "NodeSchedulable"
    };
    api.record_event_about(
        info,
        "",
        node,
        "Normal",
        reason,
        &format!("Node {node} status is now: {reason}"),
        "kubelet",
        None,
    );
    Ok(())
}

/// Whether a change is a kubelet renewing its node's Lease (left out of the step trace: it
/// happens every 10 s on every node and says nothing about workloads).
pub fn is_lease_renewal(change: &Change) -> bool {
    change.info == &crate::kinds::lease::KIND
        && change.op == Op::Modified
        && change.actor == "kubelet"
}

#[derive(Default)]
pub struct Kubelets {
    /// node name → what the kubelet of that node knows of its pods; a node's entry is read
    /// from the store (its pods, by index) the first time a sync needs it.
    cache: BTreeMap<String, NodePods>,
    /// Typed nodes, kept current from watch events.
    nodes: BTreeMap<String, std::rc::Rc<Node>>,
}

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(Reason::InternalError, e.to_string())
}

fn node_of(v: &Value) -> &str {
    v.ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
}

impl Kubelets {
    /// Reads what the kubelet of `node` knows of its pods, unless it already has.
    fn load_node(&mut self, api: &mut Api, node: &str) -> Result<(), ApiError> {
        if self.cache.contains_key(node) {
            return Ok(());
        }
        let mut pods = NodePods::default();
        api.for_each_on_node(&crate::kinds::pod::KIND, node, |v| {
            if let Ok(p) = SlimPod::of_value(v) {
                pods.insert(&format!("{}/{}", namespace_of(v), name_of(v)), p);
            }
        })?;
        self.cache.insert(node.to_string(), pods);
        Ok(())
    }

    /// The lowest free address of the node's pod CIDR (x.y.z.2 upwards).
    fn allocate_ip(&self, node: &Node, key: &str) -> String {
        let cidr = node
            .spec
            .as_ref()
            .and_then(|s| s.pod_cidr.as_deref())
            .unwrap_or("10.244.0.0/24");
        let base: Vec<&str> = cidr
            .split('/')
            .next()
            .unwrap_or("10.244.0.0")
            .split('.')
            .collect();
        let prefix = base[..3.min(base.len())].join(".");
        let name = node.metadata.name.as_deref().unwrap_or_default();
        let pods = self.cache.get(name).map(|n| &n.pods);
        lowest_free_ip(
            &prefix,
            pods.into_iter()
                .flatten()
                .filter(|(k, _)| k.as_str() != key)
                .filter_map(|(_, p)| p.pod_ip.as_deref()),
        )
    }

    /// What admission counts of the pods on `node` other than `key`.
    fn node_usage(&self, node: &str, key: &str) -> NodeUsage {
        let mut u = NodeUsage::default();
        let pods = self.cache.get(node).map(|n| &n.pods);
        for (_, p) in pods
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.as_str() != key)
        {
            u.add(p.cpu, p.memory, p.terminal);
        }
        u
    }

    /// A pod's sync: runs [`sync_pod`] on it and applies the result (events, status, the
    /// node's image list, deletion) and its next wake-up.
    fn sync_pod_key(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let node_info = &crate::kinds::node::KIND;
        let (ns, name) = split_key(key);
        let pod_info = &crate::kinds::pod::KIND;
        // The pod is decoded straight from the store; events name it as it is now.
        let (pod, involved, node_name, unstarted) = {
            let Some(pv) = api.try_get_ref(pod_info, ns, name)? else {
                return Ok(SyncResult::default());
            };
            let node_name = node_of(pv).to_string();
            if node_name.is_empty() {
                return Ok(SyncResult::default());
            }
            let pod = decode_pod(pv).map_err(internal);
            // Before its containers start, the kubelet resolves the pod's ConfigMaps and Secrets.
            let unstarted = pv.ptr("/status/startTime").is_none().then(|| pv.clone());
            (pod, Involved::of(pv), node_name, unstarted)
        };
        // A stopped kubelet does nothing for its pods (their status stays as it was).
        if api.kubelet_stopped_at(&node_name).is_some() {
            return Ok(SyncResult::default());
        }
        // Typed nodes are cached until a watch event changes them.
        let node = match self.nodes.get(&node_name) {
            Some(n) => n.clone(),
            None => {
                let Some(nv) = api.try_get_ref(node_info, "", &node_name)? else {
                    return Ok(SyncResult::default());
                };
                let n = std::rc::Rc::new(Node::deserialize(nv).map_err(internal)?);
                self.nodes.insert(node_name.clone(), n.clone());
                n
            }
        };
        let pod = pod?;
        let mut ctx = self.pod_ctx(api, &pod, &node, &node_name, key)?;
        if let Some(pv) = unstarted {
            ctx.refs = super::logs::pod_refs(api, &pv);
        }
        let now = api.now();
        let sync = sync_pod(&pod, &node, now, &ctx);
        for ev in &sync.events {
            api.record_event_times(
                ev.at,
                &involved,
                &ev.type_,
                &ev.reason,
                &ev.message,
                "kubelet",
                ev.field_path.as_deref(),
                1 + i64::from(ev.repeat),
            );
        }
        if sync.delete_now {
            api.delete_if_present(
                pod_info,
                ns,
                name,
                DeleteOptions {
                    propagation: None,
                    grace_period: Some(0),
                },
            )?;
            return Ok(SyncResult::default());
        }
        let mut backing_off = false;
        let mut lazy = false;
        // Under `OnFailure` a restart counts toward a Job's backoffLimit: its back-off
        // stays eager, so the Job controller sees each restart when it happens.
        let restarts_always = pod
            .spec
            .as_ref()
            .and_then(|s| s.restart_policy.as_deref())
            .unwrap_or("Always")
            == "Always";
        let deleting = pod.metadata.deletion_timestamp.is_some();
        if let Some(st) = sync.status {
            lazy = only_crash_loops(&st);
            backing_off = self.write_status(api, key, pod, st, &node, &node_name)?;
        } else if let Some(st) = &pod.status {
            backing_off = waiting_in_backoff(st);
            lazy = only_crash_loops(st);
        }
        // Until its next sync the pod is read only in views (the ReplicaSet's).
        api.at_rest(pod_info, ns, name);
        let mut res = SyncResult::default();
        if let Some(at) = sync.wake_at {
            let d = at.duration_since(now).max(SignedDuration::from_secs(1));
            // A pod being deleted always finishes before the command returns (kubectl
            // delete waits for it); back-offs and long runs do not hold settling up.
            let settles = deleting || (!backing_off && d.as_secs() <= SETTLE_HORIZON_SECS);
            if lazy && restarts_always && !deleting {
                // A crash loop's back-off is lazy work: run late, the sync works out every
                // restart and back-off in between from the status's timestamps (whole
                // cycles at the cap in one step). Image pull back-offs stay eager (a late
                // sync does not report every retry's events).
                res.lazy.push((key.to_string(), d));
            } else {
                res.requeue_after.push((d, settles));
            }
        }
        Ok(res)
    }

    /// What [`sync_pod`] needs besides the pod and node. Admission and the pod IP matter only
    /// on the pod's first sync (no startTime yet), the node's images while a container waits
    /// for its first start: then the kubelet needs what it knows of the node's other pods.
    fn pod_ctx(
        &mut self,
        api: &mut Api,
        pod: &Pod,
        node: &Node,
        node_name: &str,
        key: &str,
    ) -> Result<KubeletCtx, ApiError> {
        let first = pod.status.as_ref().is_none_or(|s| s.start_time.is_none());
        let unstarted = has_unstarted_container(pod);
        if first || unstarted {
            self.load_node(api, node_name)?;
        }
        let mut ctx = if !first {
            KubeletCtx::default()
        } else {
            KubeletCtx {
                pod_ip: pod
                    .status
                    .as_ref()
                    .and_then(|s| s.pod_ip.clone())
                    .unwrap_or_else(|| self.allocate_ip(node, key)),
                node_usage: self.node_usage(node_name, key),
                ..Default::default()
            }
        };
        // The node's images matter while a container waits for its first start.
        if unstarted && let Some(n) = self.cache.get(node_name) {
            ctx.images = n.images_for(key);
            // What the node listed in its status it has had since before any pod now on it
            // (unless a pod there shows when it came).
            for name in node
                .status
                .iter()
                .flat_map(|s| s.images.iter().flatten())
                .flat_map(|i| i.names.iter().flatten())
            {
                ctx.images
                    .entry(name.clone())
                    .or_insert(jiff::Timestamp::MIN);
            }
        }
        Ok(ctx)
    }

    /// Writes the pod's new status `st`, keeps the node's record of the pod current, and adds
    /// the images its containers started with to the node's status. Returns whether a
    /// container waits out a back-off.
    fn write_status(
        &mut self,
        api: &mut Api,
        key: &str,
        pod: Pod,
        st: PodStatus,
        node: &Node,
        node_name: &str,
    ) -> Result<bool, ApiError> {
        let (ns, name) = split_key(key);
        let (pod_info, node_info) = (&crate::kinds::pod::KIND, &crate::kinds::node::KIND);
        let backing_off = waiting_in_backoff(&st);
        let started = started_images(&st);
        let stv = serde_json::to_value(&st).map_err(internal)?;
        if let Some(pods) = self.cache.get_mut(node_name) {
            let mut p = pod;
            p.status = Some(st);
            pods.insert(key, SlimPod::of(&p));
        }
        api.put_status(pod_info, ns, name, stv)?;
        // A node keeps what it pulled: new images go into its status (until image GC,
        // which is not simulated).
        let current = node.status.as_ref().and_then(|s| s.images.as_deref());
        if let Some(images) = node_images(
            current.unwrap_or_default(),
            started.iter().map(|(i, _)| i.as_str()),
        ) && let Some(mut nv) = api.try_get(node_info, "", node_name)?
        {
            if !nv.get("status").is_some_and(Value::is_object) {
                nv.set("/status", serde_json::json!({}))?;
            }
            nv.set(
                "/status/images",
                serde_json::to_value(images).map_err(internal)?,
            )?;
            api.update_status(node_info, "", nv)?;
            self.nodes.remove(node_name);
        }
        Ok(backing_off)
    }
}

impl Controller for Kubelets {
    fn name(&self) -> &'static str {
        "kubelet"
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        match change.info.kind {
            kinds::pod::NAME => {
                let key = format!(
                    "{}/{}",
                    namespace_of(&change.object),
                    name_of(&change.object)
                );
                let node = node_of(&change.object).to_string();
                // The cache needs a decode only when a pod lands on a node or leaves it; the
                // kubelet keeps its own writes current in `sync`.
                // A node whose entry is not read yet gets this pod from the store when it is.
                if let Some(pods) = self.cache.get_mut(&node) {
                    if change.op == Op::Deleted {
                        pods.remove(&key);
                    } else if (change.op == Op::Added || change.verb == "bind")
                        && let Ok(p) = SlimPod::of_value(&change.object)
                    {
                        pods.insert(&key, p);
                    }
                }
                // The kubelet's own status writes need no reaction (it asked for its wake-up).
                if change.op != Op::Deleted && !node.is_empty() && change.actor != "kubelet" {
                    keys.push(key);
                }
            }
            // A node's Lease that appears (the kubelet created it, or a user did) is renewed
            // from then on.
            kinds::lease::NAME
                if change.op == Op::Added && namespace_of(&change.object) == NODE_LEASE_NS =>
            {
                keys.push(format!("lease:{}", name_of(&change.object)));
            }
            // A node's Lease deleted: its kubelet makes it again at its next renewal (an
            // eager wake-up: the time it reappears shows in its age).
            kinds::lease::NAME
                if change.op == Op::Deleted && namespace_of(&change.object) == NODE_LEASE_NS =>
            {
                let renew = change
                    .object
                    .ptr("/spec/renewTime")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                keys.push(format!(
                    "{LEASE_GONE_KEY}{renew} {}",
                    name_of(&change.object)
                ));
            }
            // A ConfigMap or Secret that appears or changes: the pods of its namespace that
            // have not started (waiting for one, perhaps) try again.
            kinds::configmap::NAME | kinds::secret::NAME if change.op != Op::Deleted => {
                let ns = namespace_of(&change.object).to_string();
                if let Ok(pods) = api.list_ref(&crate::kinds::pod::KIND, Some(&ns)) {
                    keys.extend(
                        pods.into_iter()
                            .filter(|p| {
                                !node_of(p).is_empty() && p.ptr("/status/startTime").is_none()
                            })
                            .map(|p| format!("{ns}/{}", name_of(p))),
                    );
                }
            }
            kinds::node::NAME => {
                let name = name_of(&change.object).to_string();
                self.nodes.remove(&name);
                if change.op == Op::Added {
                    keys.push(format!("node:{name}"));
                } else if change.op == Op::Modified && change.actor != "kubelet" {
                    // A cordon or uncordon is reported with the kubelet's next status sync.
                    keys.push(format!("{SCHEDULABLE_KEY}{name}"));
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        if let Some(n) = key.strip_prefix("lease:") {
            return renew_lease(api, n, Renewal::Periodic);
        }
        if let Some(rest) = key.strip_prefix(LEASE_GONE_KEY) {
            let (renew, n) = rest.split_once(' ').unwrap_or(("", rest));
            let now = api.now();
            let last = last_period(crate::api::parse_time(renew), now, NODE_LEASE_RENEW_SECS);
            let mut d = next_period(last, now, NODE_LEASE_RENEW_SECS);
            if d > SignedDuration::from_secs(NODE_LEASE_RENEW_SECS) || d <= SignedDuration::ZERO {
                d = SignedDuration::from_secs(NODE_LEASE_RENEW_SECS);
            }
            return Ok(SyncResult {
                wake: vec![(format!("lease:{n}"), d, false)],
                ..Default::default()
            });
        }
        if let Some(n) = key.strip_prefix(SCHEDULABLE_KEY) {
            if api.kubelet_stopped_at(n).is_none() {
                record_schedulable_event(api, n)?;
            }
            return Ok(SyncResult::default());
        }
        if let Some(n) = key.strip_prefix("node:") {
            return sync_node(api, n);
        }
        if let Some(n) = key.strip_prefix(STOP_KEY) {
            // The last renewal and status report before it stops, as of now.
            let mut res = sync_node(api, n)?;
            res.lazy
                .extend(renew_lease(api, n, Renewal::Periodic)?.lazy);
            return Ok(res);
        }
        if let Some(n) = key.strip_prefix(START_KEY) {
            return self.restart(api, n);
        }
        self.sync_pod_key(api, key)
    }
}

/// Work key `lease-gone:<renewTime> <node>`: the node's Lease was deleted.
const LEASE_GONE_KEY: &str = "lease-gone:";

/// Work keys from kubesim's own verbs: `stop:<node>` (bring the Lease and the status up to
/// now: the kubelet's last writes before `kubesim node stop` marks it stopped) and
/// `start:<node>` (a restarted kubelet).
pub const STOP_KEY: &str = "stop:";
pub const START_KEY: &str = "start:";

impl Kubelets {
    /// A restarted kubelet: it posts its node's status at once (Ready True `KubeletReady`,
    /// the pressure conditions False, each moved to the kubelet's value with a new
    /// `lastTransitionTime` where it differed, every heartbeat now), renews the Lease now and
    /// syncs every pod on the node (finishing the deletions that waited for it).
    fn restart(&mut self, api: &mut Api, n: &str) -> Result<SyncResult, ApiError> {
        let node_info = &crate::kinds::node::KIND;
        if api.kubelet_stopped_at(n).is_some() {
            return Ok(SyncResult::default());
        }
        let Some(mut nv) = api.try_get(node_info, "", n)? else {
            return Ok(SyncResult::default());
        };
        let now = crate::api::fmt_time(api.now());
        let mut conds: Vec<Value> = nv
            .ptr("/status/conditions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let changed = post_kubelet_conditions(&mut conds, &now);
        nv.set("/status/conditions", Value::Array(conds))?;
        api.update_status(node_info, "", nv)?;
        // A kubelet process starting, and `recordNodeStatusEvent` for each condition the
        // setters move.
        let mut events = vec![
            ("Starting", "Starting kubelet.".to_string()),
            (
                "NodeAllocatableEnforced",
                "Updated Node Allocatable limit across pods".to_string(),
            ),
        ];
        for ty in changed {
            let reason = match ty {
                "MemoryPressure" => "NodeHasSufficientMemory",
                "DiskPressure" => "NodeHasNoDiskPressure",
                "PIDPressure" => "NodeHasSufficientPID",
                _ => "NodeReady",
            };
            events.push((reason, format!("Node {n} status is now: {reason}")));
        }
        for (reason, message) in events {
            api.record_event_about(
                node_info, "", n, "Normal", reason, &message, "kubelet", None,
            );
        }
        self.nodes.remove(n);
        let mut res = renew_lease(api, n, Renewal::Now)?;
        res.lazy.push((
            format!("node:{n}"),
            SignedDuration::from_secs(NODE_STATUS_REPORT_SECS),
        ));
        api.for_each_on_node(&crate::kinds::pod::KIND, n, |v| {
            res.wake.push((
                format!("{}/{}", namespace_of(v), name_of(v)),
                SignedDuration::ZERO,
                true,
            ));
        })?;
        Ok(res)
    }
}

/// The conditions a running kubelet posts: its four, each set to the kubelet's status,
/// reason and message, `lastTransitionTime` moved to `now` where the status changes (the
/// node lifecycle controller made them Unknown while it was stopped), every
/// `lastHeartbeatTime` now. Conditions of other types are kept as they are.
/// Returns the types whose status changed.
fn post_kubelet_conditions(conds: &mut Vec<Value>, now: &str) -> Vec<&'static str> {
    let mut moved = Vec::new();
    const OWN: [(&str, &str, &str, &str); 4] = [
        (
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        (
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        (
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
        ),
    ];
    for (type_, status, reason, message) in OWN {
        let pos = conds
            .iter()
            .position(|c| c.get("type").and_then(Value::as_str) == Some(type_));
        let fresh = serde_json::json!({
            "type": type_,
            "status": status,
            "reason": reason,
            "message": message,
            "lastHeartbeatTime": now,
            "lastTransitionTime": now,
        });
        match pos {
            Some(i) => {
                let changed = conds[i].get("status").and_then(Value::as_str) != Some(status);
                let old_transition = conds[i].get("lastTransitionTime").cloned();
                conds[i] = fresh;
                if !changed && let Some(t) = old_transition {
                    conds[i]["lastTransitionTime"] = t;
                }
                if changed {
                    moved.push(type_);
                }
            }
            None => {
                conds.push(fresh);
                moved.push(type_);
            }
        }
    }
    moved
}

/// A node's own sync (added, or its 5-minute status report): a pod CIDR for a node without
/// one, the status a kubelet reports, the heartbeat, and the node's Lease.
fn sync_node(api: &mut Api, n: &str) -> Result<SyncResult, ApiError> {
    let node_info = &crate::kinds::node::KIND;
    // A stopped kubelet reports nothing.
    if api.kubelet_stopped_at(n).is_some() {
        return Ok(SyncResult::default());
    }
    let Some(mut nv) = api.try_get(node_info, "", n)? else {
        return Ok(SyncResult::default());
    };
    // The node IPAM controller's part: a pod CIDR for nodes that come without one.
    if nv.ptr("/spec/podCIDR").and_then(Value::as_str).is_none() {
        let used: Vec<String> = api
            .list(node_info, None)?
            .iter()
            .filter_map(|o| {
                o.ptr("/spec/podCIDR")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        if let Some(cidr) = (0..=255)
            .map(|i| format!("10.244.{i}.0/24"))
            .find(|c| !used.contains(c))
        {
            if !nv.get("spec").is_some_and(Value::is_object) {
                nv.set("/spec", serde_json::json!({}))?;
            }
            nv.set("/spec/podCIDR", serde_json::json!(cidr))?;
            nv.set("/spec/podCIDRs", serde_json::json!([cidr]))?;
            nv = api.update(node_info, "", nv)?;
        }
    }
    let node = Node::deserialize(&nv).map_err(internal)?;
    let nv_before = nv.clone();
    let mut cur = nv;
    if let Some(st) = node_status(&node, api.now()) {
        cur.set("/status", serde_json::to_value(&st).map_err(internal)?)?;
    }
    // The heartbeat: with nothing else changing, a kubelet reports its node's status
    // every 5 minutes (nodeStatusReportFrequency); the conditions' lastHeartbeatTime
    // moves, their lastTransitionTime does not. The report is lazy work: run late, it
    // writes the last report that fell due (the 5-minute grid from the last heartbeat).
    let last = cur
        .ptr("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"))
        })
        .and_then(|c| c.get("lastHeartbeatTime"))
        .and_then(Value::as_str)
        .and_then(crate::api::parse_time);
    let beat = last_period(last, api.now(), NODE_STATUS_REPORT_SECS);
    let stamp = crate::api::fmt_time(beat);
    if let Some(conds) = cur
        .pointer_mut("/status/conditions")
        .and_then(Value::as_array_mut)
    {
        for c in conds {
            c.set("/lastHeartbeatTime", serde_json::json!(stamp))?;
        }
    }
    if cur != nv_before {
        api.update_status(node_info, "", cur)?;
    }
    // A kubelet that registers its node creates the node's Lease (and one that finds
    // it gone makes it again); renewals are the Lease's own wake-ups.
    renew_lease(api, n, Renewal::CreateOnly)?;
    Ok(SyncResult {
        lazy: vec![(
            format!("node:{n}"),
            next_period(beat, api.now(), NODE_STATUS_REPORT_SECS),
        )],
        ..Default::default()
    })
}

/// The last time a periodic action with period `secs`, last done at `last`, fell due by
/// `now` (`last` itself when no period has passed; `now` when it never ran or `last` lies
/// ahead).
fn last_period(last: Option<jiff::Timestamp>, now: jiff::Timestamp, secs: i64) -> jiff::Timestamp {
    match last {
        Some(l) if l <= now => {
            let n = now.duration_since(l).as_secs() / secs;
            l + SignedDuration::from_secs(n * secs)
        }
        _ => now,
    }
}

/// How long from `now` until the action done at `at` falls due again.
fn next_period(at: jiff::Timestamp, now: jiff::Timestamp, secs: i64) -> SignedDuration {
    (at + SignedDuration::from_secs(secs)).duration_since(now)
}

/// What a Lease sync does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Renewal {
    /// Create the Lease if it is missing (the node's own sync); renewals are its own keys.
    CreateOnly,
    /// The renewal that fell due last (every 10 s from the last `renewTime`).
    Periodic,
    /// Renew now (a restarted kubelet).
    Now,
}

/// A kubelet's Lease renewal (`lease.controller`'s `ensureLease` + `retryUpdateLease`):
/// creates the node's Lease when it is missing, else moves its `renewTime` to the last
/// renewal that fell due (holder and duration restored if someone changed them). Renewals
/// are lazy work, 10 s apart: run late, one write stands for every renewal missed. A
/// stopped kubelet renews nothing; none once the node is gone (the garbage collector
/// removes its Lease).
fn renew_lease(api: &mut Api, node: &str, mode: Renewal) -> Result<SyncResult, ApiError> {
    let node_info = &crate::kinds::node::KIND;
    let lease_info = &crate::kinds::lease::KIND;
    if api.kubelet_stopped_at(node).is_some() {
        return Ok(SyncResult::default());
    }
    let Some(nv) = api.try_get_ref(node_info, "", node)? else {
        return Ok(SyncResult::default());
    };
    let uid = nv
        .ptr("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let now = api.now();
    let key = format!("lease:{node}");
    let Some(lease) = api.try_get_ref(lease_info, NODE_LEASE_NS, node)? else {
        // Without its namespace the Lease cannot be made; the kubelet tries again later.
        return match api.create(lease_info, NODE_LEASE_NS, node_lease(node, &uid, now)) {
            Ok(_) => Ok(SyncResult::default()),
            Err(e) if e.reason == Reason::NotFound => Ok(SyncResult {
                lazy: vec![(key, SignedDuration::from_secs(NODE_LEASE_RENEW_SECS))],
                ..Default::default()
            }),
            Err(e) => Err(e),
        };
    };
    if mode == Renewal::CreateOnly {
        return Ok(SyncResult::default());
    }
    let last = lease
        .ptr("/spec/renewTime")
        .and_then(Value::as_str)
        .and_then(crate::api::parse_time);
    let at = match mode {
        Renewal::Now => now,
        _ => last_period(last, now, NODE_LEASE_RENEW_SECS),
    };
    let renew = fmt_micro(at);
    let spec = |p: &str| lease.ptr(p).cloned().unwrap_or(Value::Null);
    if spec("/spec/renewTime") != renew
        || spec("/spec/holderIdentity") != node
        || spec("/spec/leaseDurationSeconds") != NODE_LEASE_DURATION_SECS
    {
        let mut l = lease.clone();
        if !l.get("spec").is_some_and(Value::is_object) {
            l.set("/spec", serde_json::json!({}))?;
        }
        l.set("/spec/holderIdentity", serde_json::json!(node))?;
        l.set(
            "/spec/leaseDurationSeconds",
            serde_json::json!(NODE_LEASE_DURATION_SECS),
        )?;
        l.set("/spec/renewTime", serde_json::json!(renew))?;
        match api.update(lease_info, NODE_LEASE_NS, l) {
            Ok(_) => {}
            Err(e) if e.reason == Reason::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(SyncResult {
        lazy: vec![(key, next_period(at, now, NODE_LEASE_RENEW_SECS))],
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_767_225_600 + s).unwrap()
    }

    /// Guards the lazy renewals' arithmetic: run late, a renewal writes the last one that
    /// fell due on its 10 s grid, and asks to run again at the next grid point.
    #[test]
    fn a_late_renewal_lands_on_the_last_grid_point() {
        assert_eq!(last_period(Some(t(0)), t(0), 10), t(0));
        assert_eq!(last_period(Some(t(0)), t(9), 10), t(0));
        assert_eq!(last_period(Some(t(0)), t(10), 10), t(10));
        assert_eq!(
            last_period(Some(t(3)), t(86_400 * 30), 10),
            t(86_400 * 30 - 7)
        );
        assert_eq!(last_period(None, t(5), 10), t(5));
        assert_eq!(last_period(Some(t(50)), t(5), 10), t(5));
        assert_eq!(next_period(t(20), t(25), 10), SignedDuration::from_secs(5));
    }

    #[test]
    fn a_restarted_kubelet_posts_ready_with_new_transitions() {
        let mut conds = vec![
            serde_json::json!({"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown",
                "message": "Kubelet stopped posting node status.",
                "lastHeartbeatTime": "2026-01-01T00:00:00Z", "lastTransitionTime": "2026-01-01T00:01:00Z"}),
            serde_json::json!({"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory",
                "message": "kubelet has sufficient memory available",
                "lastHeartbeatTime": "2026-01-01T00:00:00Z", "lastTransitionTime": "2025-12-31T00:00:00Z"}),
        ];
        let moved = post_kubelet_conditions(&mut conds, "2026-01-01T00:10:00Z");
        assert_eq!(moved, ["DiskPressure", "PIDPressure", "Ready"]);
        assert_eq!(conds.len(), 4);
        assert_eq!(conds[0]["status"], "True");
        assert_eq!(conds[0]["reason"], "KubeletReady");
        assert_eq!(conds[0]["lastTransitionTime"], "2026-01-01T00:10:00Z");
        assert_eq!(conds[1]["lastTransitionTime"], "2025-12-31T00:00:00Z");
        assert_eq!(conds[1]["lastHeartbeatTime"], "2026-01-01T00:10:00Z");
    }
}
