//! What kube-controller-manager does about node health and node taints:
//!
//! - [`NodeLifecycleController`] (pkg/controller/nodelifecycle):
//!   - `doNoScheduleTaintingPass`, on every Node change: the NoSchedule taints of the node's
//!     conditions (Ready False `not-ready`, Ready Unknown `unreachable`, MemoryPressure /
//!     DiskPressure / PIDPressure / NetworkUnavailable True) and of `spec.unschedulable`
//!     (`unschedulable`), each with `timeAdded`, removed when the condition goes.
//!   - `monitorNodeHealth` for a node whose kubelet stopped (`kubesim node stop`): the
//!     probe time is the later of the Lease's `renewTime` and the Ready heartbeat; at the
//!     first 5 s monitor pass after probe + [`NODE_MONITOR_GRACE_SECS`] (50 s in 1.33) the
//!     conditions Ready, MemoryPressure, DiskPressure and PIDPressure turn Unknown
//!     (`NodeStatusUnknown`, "Kubelet stopped posting node status.", heartbeat kept), the
//!     Normal event `NodeNotReady` is recorded, and `MarkPodsNotReady` turns each pod's Ready
//!     condition False (Warning `NodeNotReady` "Node is not ready"). Polling a healthy node
//!     changes nothing, so the simulator polls only nodes whose kubelet is stopped.
//!   - `processTaintBaseEviction` and `handleDisruption`: a node whose Ready is Unknown
//!     (False) gets `unreachable:NoExecute` (`not-ready:NoExecute`), swapped at once when the
//!     other one is there, else through its zone's rate limiter (0.1 nodes/s, burst 1; the
//!     last `timeAdded` in the zone is the limiter's memory); zone states Normal /
//!     PartialDisruption / FullDisruption as `ComputeZoneState`; with every zone in full
//!     disruption no NoExecute taint stays anywhere. A Ready node loses both.
//! - [`TaintEvictionController`] (pkg/controller/tainteviction): a pod bound to a node with a
//!   `NoExecute` taint it does not tolerate is deleted (gracefully): condition
//!   `DisruptionTarget=True` reason `DeletionByTaintManager`, event `TaintManagerEviction`
//!   `Marking for deletion Pod <ns>/<name>`. A pod whose tolerations of those taints all carry
//!   `tolerationSeconds` goes after the smallest of them, counted from when the controller saw
//!   the taint on its node; tolerating without `tolerationSeconds` means staying.

use super::Controller;
use crate::api::errors::ApiError;
use crate::api::{Api, Change, DeleteOptions, Op, Ptr, fmt_time, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds;
use crate::util::fields::Fields;
use jiff::SignedDuration;
use k8s_openapi::api::core::v1::{Taint, Toleration};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The taint of a cordoned node.
pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";
/// The taints of a node whose Ready condition is Unknown / False.
pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";
pub const NOT_READY_TAINT: &str = "node.kubernetes.io/not-ready";

/// `--node-monitor-grace-period`: 50 s since 1.32 (kubernetes PR #126287; 40 s before).
pub const NODE_MONITOR_GRACE_SECS: i64 = 50;
/// `--node-monitor-period`: the health monitor's pass, every 5 s.
pub const NODE_MONITOR_PERIOD_SECS: i64 = 5;
/// `--node-eviction-rate`, `--secondary-node-eviction-rate`, `--large-cluster-size-threshold`,
/// `--unhealthy-zone-threshold`.
pub const EVICTION_QPS: f64 = 0.1;
pub const SECONDARY_EVICTION_QPS: f64 = 0.01;
pub const LARGE_CLUSTER_THRESHOLD: usize = 50;
pub const UNHEALTHY_ZONE_THRESHOLD: f64 = 0.55;

/// `nodeConditionToTaintKeyStatusMap` (+ `spec.unschedulable`): the NoSchedule taint keys a
/// node should carry.
fn desired_no_schedule(node: &Value) -> Vec<&'static str> {
    let mut keys = Vec::new();
    for (ty, status, key) in [
        ("Ready", "False", NOT_READY_TAINT),
        ("Ready", "Unknown", UNREACHABLE_TAINT),
        (
            "MemoryPressure",
            "True",
            "node.kubernetes.io/memory-pressure",
        ),
        ("DiskPressure", "True", "node.kubernetes.io/disk-pressure"),
        (
            "NetworkUnavailable",
            "True",
            "node.kubernetes.io/network-unavailable",
        ),
        ("PIDPressure", "True", "node.kubernetes.io/pid-pressure"),
    ] {
        if condition_status(node, ty) == Some(status) {
            keys.push(key);
        }
    }
    if node.ptr("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
        keys.push(UNSCHEDULABLE_TAINT);
    }
    keys
}

/// The NoSchedule taint keys this controller manages.
const NO_SCHEDULE_KEYS: [&str; 7] = [
    NOT_READY_TAINT,
    UNREACHABLE_TAINT,
    "node.kubernetes.io/memory-pressure",
    "node.kubernetes.io/disk-pressure",
    "node.kubernetes.io/network-unavailable",
    "node.kubernetes.io/pid-pressure",
    UNSCHEDULABLE_TAINT,
];

fn condition_status<'a>(node: &'a Value, ty: &str) -> Option<&'a str> {
    node.ptr("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(ty))
        .and_then(|c| c.get("status"))
        .and_then(Value::as_str)
}

fn condition_time(node: &Value, ty: &str, field: &str) -> Option<jiff::Timestamp> {
    node.ptr("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(ty))
        .and_then(|c| c.get(field))
        .and_then(Value::as_str)
        .and_then(crate::api::parse_time)
}

fn taints_of(node: &Value) -> Vec<Value> {
    node.ptr("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn taint_is(t: &Value, key: &str, effect: &str) -> bool {
    t.get("key").and_then(Value::as_str) == Some(key)
        && t.get("effect").and_then(Value::as_str) == Some(effect)
}

/// The node's NoSchedule taints as `doNoScheduleTaintingPass` leaves them, or `None` when
/// they are right.
fn no_schedule_pass(node: &Value, now: &str) -> Option<Vec<Value>> {
    let want = desired_no_schedule(node);
    let mut taints = taints_of(node);
    let before = taints.len();
    taints.retain(|t| {
        let key = t.get("key").and_then(Value::as_str).unwrap_or("");
        t.get("effect").and_then(Value::as_str) != Some("NoSchedule")
            || !NO_SCHEDULE_KEYS.contains(&key)
            || want.contains(&key)
    });
    let mut changed = taints.len() != before;
    for key in want {
        if !taints.iter().any(|t| taint_is(t, key, "NoSchedule")) {
            taints.push(json!({"effect": "NoSchedule", "key": key, "timeAdded": now}));
            changed = true;
        }
    }
    changed.then_some(taints)
}

/// A zone's state (`ComputeZoneState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneState {
    Normal,
    PartialDisruption,
    FullDisruption,
}

/// `ComputeZoneState` over the Ready statuses of a zone's nodes (`None`: no Ready condition).
pub fn zone_state(ready: &[Option<&str>]) -> ZoneState {
    let not_ready = ready.iter().filter(|r| **r != Some("True")).count();
    let ready_n = ready.len() - not_ready;
    if ready_n == 0 && not_ready > 0 {
        ZoneState::FullDisruption
    } else if not_ready > 2 && not_ready as f64 / ready.len() as f64 >= UNHEALTHY_ZONE_THRESHOLD {
        ZoneState::PartialDisruption
    } else {
        ZoneState::Normal
    }
}

/// The eviction limiter's rate for a zone of `size` nodes in `state` (`setLimiterInZone`:
/// `HealthyQPSFunc` for Normal and FullDisruption, `ReducedQPSFunc` for PartialDisruption).
pub fn zone_qps(state: ZoneState, size: usize) -> f64 {
    match state {
        ZoneState::Normal | ZoneState::FullDisruption => EVICTION_QPS,
        ZoneState::PartialDisruption if size > LARGE_CLUSTER_THRESHOLD => SECONDARY_EVICTION_QPS,
        ZoneState::PartialDisruption => 0.0,
    }
}

/// `GetZoneKey`: region and zone labels (`""` when a node has neither).
fn zone_key(node: &Value) -> String {
    let label = |k: &str| {
        node.ptr("/metadata/labels")
            .and_then(|l| l.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    let region = label("topology.kubernetes.io/region");
    let zone = label("topology.kubernetes.io/zone");
    if region.is_empty() && zone.is_empty() {
        String::new()
    } else {
        format!("{region}:\u{0}:{zone}")
    }
}

/// Work keys: `<node>` (the NoSchedule pass), `zones` (the NoExecute pass over every node:
/// zone states, limiters, disruption mode), `health:<node>` (the health monitor of a node
/// whose kubelet stopped).
const ZONES_KEY: &str = "zones";
pub const HEALTH_KEY: &str = "health:";
const COMPONENT: &str = "node-controller";

pub struct NodeLifecycleController;

impl Controller for NodeLifecycleController {
    fn name(&self) -> &'static str {
        "node-lifecycle-controller"
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        if change.info != &crate::kinds::node::KIND {
            return;
        }
        let node = &change.object;
        if change.op != Op::Deleted && no_schedule_pass(node, "").is_some() {
            keys.push(name_of(node).to_string());
        }
        let has_no_execute = taints_of(node).iter().any(|t| {
            taint_is(t, UNREACHABLE_TAINT, "NoExecute") || taint_is(t, NOT_READY_TAINT, "NoExecute")
        });
        if change.op == Op::Deleted
            || condition_status(node, "Ready") != Some("True")
            || has_no_execute
        {
            keys.push(ZONES_KEY.to_string());
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        if key == ZONES_KEY {
            return no_execute_pass(api);
        }
        if let Some(n) = key.strip_prefix(HEALTH_KEY) {
            return monitor_node_health(api, n);
        }
        let info = &crate::kinds::node::KIND;
        let Some(mut node) = api.try_get(info, "", key)? else {
            return Ok(SyncResult::default());
        };
        let Some(taints) = no_schedule_pass(&node, &fmt_time(api.now())) else {
            return Ok(SyncResult::default());
        };
        set_taints(&mut node, taints);
        api.update(info, "", node)?;
        Ok(SyncResult::default())
    }
}

fn set_taints(node: &mut Value, taints: Vec<Value>) {
    // A spec of the wrong shape (a hand-edited state) is left for validation to report.
    let Ok(spec) = node.fields_at("/spec") else {
        return;
    };
    if taints.is_empty() {
        spec.remove("taints");
    } else {
        spec.insert("taints".into(), Value::Array(taints));
    }
}

/// The first monitor pass strictly after `deadline` (passes every 5 s of the clock).
fn next_monitor_pass(deadline: jiff::Timestamp) -> jiff::Timestamp {
    let s = deadline.as_second();
    let p = NODE_MONITOR_PERIOD_SECS;
    let next = (s.div_euclid(p) + 1) * p;
    jiff::Timestamp::from_second(next).unwrap_or(deadline)
}

/// `monitorNodeHealth` + `tryUpdateNodeHealth` for one node whose kubelet stopped: when its
/// probe time is more than the grace period ago, its conditions turn Unknown; until then it
/// looks again at the first pass after the deadline.
fn monitor_node_health(api: &mut Api, name: &str) -> Result<SyncResult, ApiError> {
    let info = &crate::kinds::node::KIND;
    if api.kubelet_stopped_at(name).is_none() {
        return Ok(SyncResult::default());
    }
    let Some(mut node) = api.try_get(info, "", name)? else {
        return Ok(SyncResult::default());
    };
    let renew = api
        .try_get_ref(&crate::kinds::lease::KIND, "kube-node-lease", name)?
        .and_then(|l| l.ptr("/spec/renewTime"))
        .and_then(Value::as_str)
        .and_then(crate::api::parse_time);
    let heartbeat = condition_time(&node, "Ready", "lastHeartbeatTime");
    let created = node
        .ptr("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .and_then(crate::api::parse_time);
    let Some(probe) = renew.max(heartbeat).or(created) else {
        return Ok(SyncResult::default());
    };
    let due = next_monitor_pass(probe + SignedDuration::from_secs(NODE_MONITOR_GRACE_SECS));
    let now = api.now();
    if now < due {
        return Ok(SyncResult {
            requeue_after: vec![(due.duration_since(now), false)],
            ..Default::default()
        });
    }
    let was_ready = condition_status(&node, "Ready") == Some("True");
    if !mark_unknown(&mut node, &fmt_time(now)) {
        return Ok(SyncResult::default());
    }
    api.update_status(info, "", node)?;
    if was_ready {
        api.record_event_about(
            info,
            "",
            name,
            "Normal",
            "NodeNotReady",
            &format!("Node {name} status is now: NodeNotReady"),
            COMPONENT,
            None,
        );
        mark_pods_not_ready(api, name)?;
    }
    Ok(SyncResult::default())
}

/// `tryUpdateNodeHealth`'s grace-period branch: Ready, MemoryPressure, DiskPressure and
/// PIDPressure become Unknown (a missing one is added as `NodeStatusNeverUpdated`, its
/// heartbeat the node's creation); returns whether anything changed.
fn mark_unknown(node: &mut Value, now: &str) -> bool {
    let created = node
        .ptr("/metadata/creationTimestamp")
        .cloned()
        .unwrap_or(Value::Null);
    let Ok(status) = node.fields_at("/status") else {
        return false;
    };
    let conds = status.entry("conditions").or_insert_with(|| json!([]));
    if !conds.is_array() {
        *conds = json!([]);
    }
    let Some(conds) = conds.as_array_mut() else {
        return false;
    };
    let mut changed = false;
    for ty in ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] {
        match conds
            .iter_mut()
            .find(|c| c.get("type").and_then(Value::as_str) == Some(ty))
        {
            Some(c) => {
                if c.get("status").and_then(Value::as_str) != Some("Unknown")
                    && let Some(c) = c.as_object_mut()
                {
                    c.insert("status".into(), json!("Unknown"));
                    c.insert("reason".into(), json!("NodeStatusUnknown"));
                    c.insert(
                        "message".into(),
                        json!("Kubelet stopped posting node status."),
                    );
                    c.insert("lastTransitionTime".into(), json!(now));
                    changed = true;
                }
            }
            None => {
                conds.push(json!({
                    "type": ty,
                    "status": "Unknown",
                    "reason": "NodeStatusNeverUpdated",
                    "message": "Kubelet never posted node status.",
                    "lastHeartbeatTime": created,
                    "lastTransitionTime": now,
                }));
                changed = true;
            }
        }
    }
    changed
}

/// `MarkPodsNotReady`: each pod on the node whose Ready condition is not False gets it False
/// (reason kept, transition now) and the Warning event `NodeNotReady`.
fn mark_pods_not_ready(api: &mut Api, node: &str) -> Result<(), ApiError> {
    let info = &crate::kinds::pod::KIND;
    let mut pods: Vec<(String, String)> = Vec::new();
    api.for_each_on_node(info, node, |v| {
        pods.push((namespace_of(v).to_string(), name_of(v).to_string()));
    })?;
    let now = fmt_time(api.now());
    for (ns, name) in pods {
        let Some(mut pod) = api.try_get(info, &ns, &name)? else {
            continue;
        };
        let Some(c) = pod
            .pointer_mut("/status/conditions")
            .and_then(Value::as_array_mut)
            .and_then(|cs| {
                cs.iter_mut()
                    .find(|c| c.get("type").and_then(Value::as_str) == Some("Ready"))
            })
        else {
            continue;
        };
        if c.get("status").and_then(Value::as_str) == Some("False") {
            continue;
        }
        let Some(c) = c.as_object_mut() else {
            continue;
        };
        c.insert("status".into(), json!("False"));
        c.insert("lastTransitionTime".into(), json!(now));
        api.update_status(info, &ns, pod)?;
        api.record_event_about(
            info,
            &ns,
            &name,
            "Warning",
            "NodeNotReady",
            "Node is not ready",
            COMPONENT,
            None,
        );
    }
    Ok(())
}

/// What the NoExecute pass decides for one node.
#[derive(Debug, PartialEq, Eq)]
enum NoExecute {
    /// Leave its taints.
    Keep,
    /// Set this taint key (removing the other one).
    Taint(&'static str),
    /// Remove both.
    Clear,
}

/// One node as the NoExecute pass sees it.
struct ZoneNode {
    name: String,
    zone: String,
    excluded: bool,
    ready: Option<String>,
    /// The NoExecute taint it carries (`unreachable` / `not-ready`) and since when.
    tainted: Option<(String, Option<jiff::Timestamp>)>,
}

/// `processTaintBaseEviction` + `handleDisruption` over every node: returns what to do with
/// each node's NoExecute taint now, and when the limiter allows the next one.
fn plan_no_execute(
    nodes: &[ZoneNode],
    now: jiff::Timestamp,
) -> (Vec<(String, NoExecute)>, Option<jiff::Timestamp>) {
    let mut zones: BTreeMap<&str, Vec<Option<&str>>> = BTreeMap::new();
    for n in nodes.iter().filter(|n| !n.excluded && n.ready.is_some()) {
        zones
            .entry(n.zone.as_str())
            .or_default()
            .push(n.ready.as_deref());
    }
    let states: BTreeMap<&str, (ZoneState, usize)> = zones
        .iter()
        .map(|(z, r)| (*z, (zone_state(r), r.len())))
        .collect();
    let all_full = !states.is_empty()
        && states
            .values()
            .all(|(s, _)| *s == ZoneState::FullDisruption);
    // The limiter's memory: the last NoExecute taint added in each zone.
    let mut last: BTreeMap<&str, jiff::Timestamp> = BTreeMap::new();
    for n in nodes {
        if let Some((_, Some(t))) = &n.tainted {
            let e = last.entry(n.zone.as_str()).or_insert(*t);
            *e = (*e).max(*t);
        }
    }
    let mut out = Vec::new();
    let mut next: Option<jiff::Timestamp> = None;
    for n in nodes {
        let want = match n.ready.as_deref() {
            Some("True") => None,
            Some("False") => Some(NOT_READY_TAINT),
            Some(_) => Some(UNREACHABLE_TAINT),
            // No Ready condition yet (its kubelet has not posted): the startup grace period.
            None => continue,
        };
        let has = n.tainted.as_ref().map(|(k, _)| k.as_str());
        let decision = match want {
            // Master disruption mode: every node treated as reachable.
            _ if all_full => {
                if has.is_some() {
                    NoExecute::Clear
                } else {
                    NoExecute::Keep
                }
            }
            None if has.is_some() => NoExecute::Clear,
            None => NoExecute::Keep,
            Some(k) if has == Some(k) => NoExecute::Keep,
            // The opposite taint: swapped at once.
            Some(k) if has.is_some() => NoExecute::Taint(k),
            Some(k) => {
                let (state, size) = states
                    .get(n.zone.as_str())
                    .copied()
                    .unwrap_or((ZoneState::Normal, 1));
                let qps = zone_qps(state, size);
                if qps <= 0.0 {
                    NoExecute::Keep
                } else {
                    let gap = SignedDuration::from_secs_f64(1.0 / qps);
                    match last.get(n.zone.as_str()) {
                        Some(t) if *t + gap > now => {
                            let at = *t + gap;
                            next = Some(next.map_or(at, |x| x.min(at)));
                            NoExecute::Keep
                        }
                        _ => {
                            last.insert(n.zone.as_str(), now);
                            NoExecute::Taint(k)
                        }
                    }
                }
            }
        };
        if decision != NoExecute::Keep {
            out.push((n.name.clone(), decision));
        }
    }
    (out, next)
}

/// The NoExecute pass over every node (see [`plan_no_execute`]).
fn no_execute_pass(api: &mut Api) -> Result<SyncResult, ApiError> {
    let info = &crate::kinds::node::KIND;
    let nodes: Vec<ZoneNode> = api
        .list_ref(info, None)?
        .into_iter()
        .map(|n| {
            let tainted = taints_of(n).into_iter().find_map(|t| {
                [UNREACHABLE_TAINT, NOT_READY_TAINT]
                    .into_iter()
                    .find(|k| taint_is(&t, k, "NoExecute"))
                    .map(|k| {
                        (
                            k.to_string(),
                            t.get("timeAdded")
                                .and_then(Value::as_str)
                                .and_then(crate::api::parse_time),
                        )
                    })
            });
            ZoneNode {
                name: name_of(n).to_string(),
                zone: zone_key(n),
                excluded: n
                    .ptr("/metadata/labels/node.kubernetes.io~1exclude-disruption")
                    .is_some(),
                ready: condition_status(n, "Ready").map(str::to_string),
                tainted,
            }
        })
        .collect();
    let now = api.now();
    let (plan, next) = plan_no_execute(&nodes, now);
    for (name, what) in plan {
        let Some(mut node) = api.try_get(info, "", &name)? else {
            continue;
        };
        let mut taints = taints_of(&node);
        taints.retain(|t| {
            !taint_is(t, UNREACHABLE_TAINT, "NoExecute")
                && !taint_is(t, NOT_READY_TAINT, "NoExecute")
        });
        if let NoExecute::Taint(k) = what {
            taints.push(json!({"effect": "NoExecute", "key": k, "timeAdded": fmt_time(now)}));
        }
        set_taints(&mut node, taints);
        api.update(info, "", node)?;
    }
    Ok(SyncResult {
        requeue_after: next
            .map(|t| (t.duration_since(now), false))
            .into_iter()
            .collect(),
        ..Default::default()
    })
}

/// What the taint eviction controller reads of a pod.
#[derive(Deserialize)]
struct PodView {
    #[serde(default)]
    metadata: PodMeta,
    #[serde(default)]
    spec: PodSpecView,
    #[serde(default)]
    status: PodStatusView,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PodMeta {
    #[serde(default)]
    deletion_timestamp: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PodSpecView {
    #[serde(default)]
    node_name: Option<String>,
    #[serde(default)]
    tolerations: Vec<Toleration>,
}

#[derive(Deserialize, Default)]
struct PodStatusView {
    #[serde(default)]
    phase: Option<String>,
}

/// What the controller decides for a pod on a node with `NoExecute` taints.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Stay,
    EvictNow,
    EvictAfter(i64),
}

/// `processPodOnNode`: every `NoExecute` taint must be tolerated, else the pod goes now; of
/// the tolerations used, the smallest `tolerationSeconds` (none: forever) says when.
fn verdict(tolerations: &[Toleration], taints: &[Taint]) -> Verdict {
    let no_execute: Vec<&Taint> = taints.iter().filter(|t| t.effect == "NoExecute").collect();
    if no_execute.is_empty() {
        return Verdict::Stay;
    }
    let mut used: Vec<&Toleration> = Vec::new();
    for t in &no_execute {
        let matching: Vec<&Toleration> = tolerations
            .iter()
            .filter(|tol| crate::kinds::pod::toleration_tolerates(tol, t))
            .collect();
        if matching.is_empty() {
            return Verdict::EvictNow;
        }
        used.extend(matching);
    }
    // getMinTolerationTime
    let mut min: Option<i64> = None;
    for tol in used {
        if let Some(s) = tol.toleration_seconds {
            if s <= 0 {
                return Verdict::EvictNow;
            }
            min = Some(min.map_or(s, |m| m.min(s)));
        }
    }
    match min {
        Some(s) => Verdict::EvictAfter(s),
        None => Verdict::Stay,
    }
}

#[derive(Default)]
pub struct TaintEvictionController {
    /// Nodes with `NoExecute` taints (name → taints), read on first need, then kept current.
    tainted: Option<std::collections::BTreeMap<String, Vec<Taint>>>,
}

fn no_execute_taints(node: &Value) -> Vec<Taint> {
    node.ptr("/spec/taints")
        .and_then(|t| Vec::<Taint>::deserialize(t).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.effect == "NoExecute")
        .collect()
}

impl TaintEvictionController {
    fn tainted(&mut self, api: &mut Api) -> &mut std::collections::BTreeMap<String, Vec<Taint>> {
        self.tainted.get_or_insert_with(|| {
            let mut m = std::collections::BTreeMap::new();
            if let Ok(nodes) = api.list_ref(&crate::kinds::node::KIND, None) {
                for n in nodes {
                    let ts = no_execute_taints(n);
                    if !ts.is_empty() {
                        m.insert(name_of(n).to_string(), ts);
                    }
                }
            }
            m
        })
    }

    /// Evicts the pod `ns/name` now, or says when to look again.
    fn process_pod(
        &mut self,
        api: &mut Api,
        ns: &str,
        name: &str,
        deadline_passed: bool,
    ) -> Result<Option<(String, SignedDuration)>, ApiError> {
        let info = &crate::kinds::pod::KIND;
        let pod = {
            let Some(v) = api.try_get_ref(info, ns, name)? else {
                return Ok(None);
            };
            match PodView::deserialize(v) {
                Ok(p) => p,
                Err(_) => return Ok(None),
            }
        };
        let node = pod.spec.node_name.clone().unwrap_or_default();
        if node.is_empty()
            || pod.metadata.deletion_timestamp.is_some()
            || matches!(pod.status.phase.as_deref(), Some("Succeeded" | "Failed"))
        {
            return Ok(None);
        }
        let taints = self.tainted(api).get(&node).cloned().unwrap_or_default();
        match verdict(&pod.spec.tolerations, &taints) {
            Verdict::Stay => Ok(None),
            Verdict::EvictAfter(s) if !deadline_passed => Ok(Some((
                format!("{EVICT_KEY}{ns}/{name}"),
                SignedDuration::from_secs(s),
            ))),
            Verdict::EvictNow | Verdict::EvictAfter(_) => {
                evict(api, ns, name)?;
                Ok(None)
            }
        }
    }
}

/// Work keys: `node:<name>` (look at every pod on it), `<ns>/<name>` (a pod landed on a
/// tainted node), `evict:<ns>/<name>` (its tolerationSeconds ran out).
const NODE_KEY: &str = "node:";
const EVICT_KEY: &str = "evict:";

/// `addConditionAndDeletePod` and its event.
fn evict(api: &mut Api, ns: &str, name: &str) -> Result<(), ApiError> {
    let info = &crate::kinds::pod::KIND;
    let Some(mut pod) = api.try_get(info, ns, name)? else {
        return Ok(());
    };
    let has = pod
        .ptr("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                c.get("type").and_then(Value::as_str) == Some("DisruptionTarget")
                    && c.get("reason").and_then(Value::as_str) == Some("DeletionByTaintManager")
            })
        });
    if !has {
        let now = fmt_time(api.now());
        crate::api::set_condition(
            &mut pod,
            "DisruptionTarget",
            "True",
            Some("DeletionByTaintManager"),
            Some("Taint manager: deleting due to NoExecute taint"),
            &now,
        )?;
        api.update_status(info, ns, pod)?;
    }
    api.record_event_about(
        info,
        ns,
        name,
        "Normal",
        "TaintManagerEviction",
        &format!("Marking for deletion Pod {ns}/{name}"),
        "taint-eviction-controller",
        None,
    );
    api.delete_if_present(
        info,
        ns,
        name,
        DeleteOptions {
            propagation: None,
            grace_period: None,
        },
    )
}

impl Controller for TaintEvictionController {
    fn name(&self) -> &'static str {
        "taint-eviction-controller"
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        match change.info.kind {
            kinds::node::NAME => {
                let name = name_of(&change.object).to_string();
                let taints = if change.op == Op::Deleted {
                    Vec::new()
                } else {
                    no_execute_taints(&change.object)
                };
                // A map read now already holds this change: then look at the node anyway.
                let fresh = self.tainted.is_none();
                let m = self.tainted(api);
                let before = if fresh {
                    Vec::new()
                } else {
                    m.get(&name).cloned().unwrap_or_default()
                };
                if taints.is_empty() {
                    m.remove(&name);
                } else {
                    m.insert(name.clone(), taints.clone());
                }
                if !taints.is_empty() && taints != before {
                    keys.push(format!("{NODE_KEY}{name}"));
                }
            }
            kinds::pod::NAME if change.op != Op::Deleted => {
                let node = change
                    .object
                    .ptr("/spec/nodeName")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                // A pod landing on a tainted node (bound, or created there).
                if !node.is_empty()
                    && (change.op == Op::Added || change.verb == "bind")
                    && self.tainted(api).contains_key(node)
                {
                    keys.push(format!(
                        "{}/{}",
                        namespace_of(&change.object),
                        name_of(&change.object)
                    ));
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let mut res = SyncResult::default();
        if let Some(node) = key.strip_prefix(NODE_KEY) {
            let info = &crate::kinds::pod::KIND;
            let mut pods: Vec<(String, String)> = Vec::new();
            api.for_each_on_node(info, node, |v| {
                pods.push((namespace_of(v).to_string(), name_of(v).to_string()));
            })?;
            for (ns, name) in pods {
                if let Some(w) = self.process_pod(api, &ns, &name, false)? {
                    res.wake.push((w.0, w.1, false));
                }
            }
            return Ok(res);
        }
        let (key, passed) = match key.strip_prefix(EVICT_KEY) {
            Some(k) => (k, true),
            None => (key, false),
        };
        let (ns, name) = super::split_key(key);
        if let Some(w) = self.process_pod(api, ns, name, passed)? {
            res.wake.push((w.0, w.1, false));
        }
        Ok(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            effect: effect.into(),
            ..Default::default()
        }
    }

    fn tol(key: &str, effect: &str, secs: Option<i64>) -> Toleration {
        Toleration {
            key: Some(key.into()),
            operator: Some("Exists".into()),
            effect: Some(effect.into()),
            toleration_seconds: secs,
            ..Default::default()
        }
    }

    #[test]
    fn no_execute_taints_evict_pods_that_do_not_tolerate_them() {
        let ne = [taint("a", "NoExecute"), taint("b", "NoSchedule")];
        assert_eq!(verdict(&[], &[taint("b", "NoSchedule")]), Verdict::Stay);
        assert_eq!(verdict(&[], &ne), Verdict::EvictNow);
        assert_eq!(verdict(&[tol("a", "NoExecute", None)], &ne), Verdict::Stay);
        assert_eq!(
            verdict(&[tol("a", "NoExecute", Some(60))], &ne),
            Verdict::EvictAfter(60)
        );
        // The smallest tolerationSeconds of the tolerations used; 0 or less: at once.
        let two = [taint("a", "NoExecute"), taint("c", "NoExecute")];
        assert_eq!(
            verdict(
                &[
                    tol("a", "NoExecute", Some(60)),
                    tol("c", "NoExecute", Some(30))
                ],
                &two
            ),
            Verdict::EvictAfter(30)
        );
        assert_eq!(
            verdict(&[tol("a", "NoExecute", Some(0))], &ne),
            Verdict::EvictNow
        );
        // One taint not tolerated is enough.
        assert_eq!(
            verdict(&[tol("a", "NoExecute", None)], &two),
            Verdict::EvictNow
        );
        // A toleration for another effect does not count.
        assert_eq!(
            verdict(&[tol("a", "NoSchedule", None)], &ne),
            Verdict::EvictNow
        );
    }

    #[test]
    fn the_unschedulable_taint_follows_spec_unschedulable() {
        let cordoned = json!({"spec": {"unschedulable": true}});
        assert_eq!(
            no_schedule_pass(&cordoned, "T"),
            Some(vec![
                json!({"effect": "NoSchedule", "key": UNSCHEDULABLE_TAINT, "timeAdded": "T"})
            ])
        );
        let done = json!({"spec": {"unschedulable": true, "taints": [
            {"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule", "timeAdded": "2026-01-01T00:00:00Z"}
        ]}});
        assert_eq!(no_schedule_pass(&done, "T"), None);
        let uncordoned = json!({"spec": {"taints": [
            {"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule"},
            {"key": "mine", "effect": "NoSchedule"}
        ]}});
        assert_eq!(
            no_schedule_pass(&uncordoned, "T"),
            Some(vec![json!({"key": "mine", "effect": "NoSchedule"})])
        );
        assert_eq!(no_schedule_pass(&json!({"spec": {}}), "T"), None);
    }

    fn cond_node(ready: &str) -> Value {
        json!({"metadata": {"name": "n", "creationTimestamp": "2012-01-01T00:00:00Z"},
            "status": {"conditions": [{"type": "Ready", "status": ready,
                "lastHeartbeatTime": "2015-01-01T11:00:00Z", "lastTransitionTime": "2015-01-01T11:00:00Z"}]}})
    }

    #[test]
    fn condition_taints_follow_ready() {
        let t = |n: &Value| no_schedule_pass(n, "T").unwrap_or_default();
        assert_eq!(
            t(&cond_node("Unknown")),
            [json!({"effect": "NoSchedule", "key": UNREACHABLE_TAINT, "timeAdded": "T"})]
        );
        assert_eq!(
            t(&cond_node("False")),
            [json!({"effect": "NoSchedule", "key": NOT_READY_TAINT, "timeAdded": "T"})]
        );
        assert!(t(&cond_node("True")).is_empty());
    }

    /// Upstream `TestMonitorNodeHealthUpdateStatus`: a node created 2012-01-01 that never
    /// posted a status gets the four conditions Unknown `NodeStatusNeverUpdated`, heartbeat
    /// its creation, transition now; a node that stopped posting keeps its heartbeat.
    #[test]
    fn never_updated_and_stopped_nodes_turn_unknown() {
        let now = "2015-01-01T12:00:00Z";
        let mut n =
            json!({"metadata": {"name": "node0", "creationTimestamp": "2012-01-01T00:00:00Z"}});
        assert!(mark_unknown(&mut n, now));
        let cs = n["status"]["conditions"].as_array().unwrap();
        let types: Vec<&str> = cs.iter().map(|c| c["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]
        );
        for c in cs {
            assert_eq!(c["status"], "Unknown");
            assert_eq!(c["reason"], "NodeStatusNeverUpdated");
            assert_eq!(c["message"], "Kubelet never posted node status.");
            assert_eq!(c["lastHeartbeatTime"], "2012-01-01T00:00:00Z");
            assert_eq!(c["lastTransitionTime"], now);
        }
        assert!(!mark_unknown(&mut n, now), "already Unknown: no update");
        let mut m = cond_node("True");
        assert!(mark_unknown(&mut m, now));
        let c = &m["status"]["conditions"][0];
        assert_eq!(c["reason"], "NodeStatusUnknown");
        assert_eq!(c["message"], "Kubelet stopped posting node status.");
        assert_eq!(c["lastHeartbeatTime"], "2015-01-01T11:00:00Z");
        assert_eq!(c["lastTransitionTime"], now);
    }

    /// Upstream `TestMonitorNodeHealth` zone vectors and `setLimiterInZone`'s rates.
    #[test]
    fn zone_states_and_rates() {
        let (t, u) = (Some("True"), Some("Unknown"));
        assert_eq!(zone_state(&[t]), ZoneState::Normal);
        assert_eq!(zone_state(&[u]), ZoneState::FullDisruption);
        assert_eq!(
            zone_state(&[t, t, t, u, u]),
            ZoneState::Normal,
            "needs more than 2"
        );
        assert_eq!(zone_state(&[t, t, u, u, u]), ZoneState::PartialDisruption);
        assert_eq!(
            zone_state(&[t, t, t, t, u, u, u]),
            ZoneState::Normal,
            "3/7 < 0.55"
        );
        assert_eq!(zone_state(&[None]), ZoneState::FullDisruption);
        assert_eq!(zone_qps(ZoneState::Normal, 3), 0.1);
        assert_eq!(zone_qps(ZoneState::FullDisruption, 3), 0.1);
        assert_eq!(zone_qps(ZoneState::PartialDisruption, 5), 0.0);
        assert_eq!(zone_qps(ZoneState::PartialDisruption, 51), 0.01);
    }

    fn zn(name: &str, zone: &str, ready: &str, tainted: Option<(&str, i64)>) -> ZoneNode {
        ZoneNode {
            name: name.into(),
            zone: zone.into(),
            excluded: false,
            ready: Some(ready.into()),
            tainted: tainted.map(|(k, s)| (k.to_string(), Some(at(s)))),
        }
    }

    fn at(s: i64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_767_225_600 + s).unwrap()
    }

    /// The NoExecute pass: one node per 10 s per zone (burst 1), the opposite taint swapped at
    /// once, a Ready node cleared, nothing left when every zone is fully disrupted (the
    /// single-node kind cluster), nothing added in a small partially disrupted zone.
    #[test]
    fn no_execute_taints_follow_zones_and_the_limiter() {
        let nodes = [
            zn("a", "", "True", None),
            zn("b", "", "Unknown", None),
            zn("c", "", "Unknown", None),
        ];
        let (plan, next) = plan_no_execute(&nodes, at(100));
        assert_eq!(
            plan,
            [("b".to_string(), NoExecute::Taint(UNREACHABLE_TAINT))]
        );
        assert_eq!(next, Some(at(110)));
        let nodes = [
            zn("a", "", "True", None),
            zn("b", "", "Unknown", Some((UNREACHABLE_TAINT, 100))),
            zn("c", "", "False", None),
        ];
        assert_eq!(plan_no_execute(&nodes, at(105)).0, []);
        assert_eq!(
            plan_no_execute(&nodes, at(110)).0,
            [("c".to_string(), NoExecute::Taint(NOT_READY_TAINT))]
        );
        // Swapped at once; cleared when Ready.
        let nodes = [
            zn("a", "", "True", Some((UNREACHABLE_TAINT, 100))),
            zn("b", "", "False", Some((UNREACHABLE_TAINT, 100))),
            zn("c", "", "True", None),
        ];
        assert_eq!(
            plan_no_execute(&nodes, at(101)).0,
            [
                ("a".to_string(), NoExecute::Clear),
                ("b".to_string(), NoExecute::Taint(NOT_READY_TAINT))
            ]
        );
        // One node, down: full disruption everywhere, no NoExecute taint.
        let single = [zn("a", "", "Unknown", Some((UNREACHABLE_TAINT, 0)))];
        assert_eq!(
            plan_no_execute(&single, at(100)).0,
            [("a".to_string(), NoExecute::Clear)]
        );
        // Two zones: zone2 fully down, zone1 healthy: zone2's node is tainted.
        let two = [zn("a", "z1", "True", None), zn("b", "z2", "Unknown", None)];
        assert_eq!(
            plan_no_execute(&two, at(100)).0,
            [("b".to_string(), NoExecute::Taint(UNREACHABLE_TAINT))]
        );
        // 3 of 5 down in a small zone: partial disruption, rate 0, nothing added.
        let five = [
            zn("a", "", "True", None),
            zn("b", "", "True", None),
            zn("c", "", "Unknown", None),
            zn("d", "", "Unknown", None),
            zn("e", "", "Unknown", None),
        ];
        assert_eq!(plan_no_execute(&five, at(100)), (vec![], None));
        // A node whose kubelet has not posted a status yet is left alone.
        let fresh = [ZoneNode {
            ready: None,
            ..zn("a", "", "True", None)
        }];
        assert_eq!(plan_no_execute(&fresh, at(100)), (vec![], None));
        assert_eq!(next_monitor_pass(at(50)), at(55));
        assert_eq!(next_monitor_pass(at(52)), at(55));
    }
}
