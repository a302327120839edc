//! The simulated kubelets as a client of the API: every Node in the state is run by one.
//! For each pod bound to a node it calls the pure state machine of [`super::kubelet`], writes
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

use super::kubelet::{self, KubeletCtx};
use crate::api::Ptr;
use crate::api::errors::{ApiError, Reason};
use crate::api::{Api, Change, DeleteOptions, Involved, Op, name_of, namespace_of};
use crate::controllers::{Controller, split_key};
use crate::engine::SyncResult;
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{
    Container, ContainerStatus, Node, Pod, PodSpec, PodStatus, ResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// How far ahead a kubelet timer may lie and still hold up settling: a container that
/// finishes within this time (a Job's pod) finishes before the command returns; one that
/// sleeps for an hour keeps running, as it would while you look at a real cluster.
pub const SETTLE_HORIZON_SECS: i64 = 60;

/// How often a kubelet reports an unchanged node status (nodeStatusReportFrequency, 5m).
pub const NODE_STATUS_REPORT_SECS: i64 = 300;

/// The namespace of the nodes' heartbeat Leases.
pub const NODE_LEASE_NS: &str = "kube-node-lease";

/// A node Lease's `leaseDurationSeconds` (the kubelet's nodeLeaseDurationSeconds).
pub const NODE_LEASE_DURATION_SECS: i64 = 40;

/// How often a kubelet renews its node's Lease: a quarter of its duration
/// (`nodeLeaseRenewIntervalFraction`, 0.25 × 40 s).
pub const NODE_LEASE_RENEW_SECS: i64 = 10;

/// A `MicroTime` as the API server writes it (`2026-01-01T00:00:10.000000Z`).
fn fmt_micro(t: Timestamp) -> String {
    format!(
        "{}.{:06}Z",
        t.strftime("%Y-%m-%dT%H:%M:%S"),
        t.subsec_microsecond()
    )
}

/// The Lease a kubelet keeps for its node (`component-helpers/apimachinery/lease`: holder =
/// the node's name, owned by the Node, renewed every 10 s).
fn node_lease(node: &str, node_uid: &str, now: Timestamp) -> Value {
    serde_json::json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {
            "name": node,
            "namespace": NODE_LEASE_NS,
            "ownerReferences": [
                {"apiVersion": "v1", "kind": "Node", "name": node, "uid": node_uid}
            ],
        },
        "spec": {
            "holderIdentity": node,
            "leaseDurationSeconds": NODE_LEASE_DURATION_SECS,
            "renewTime": fmt_micro(now),
        },
    })
}

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
    change.info.kind == "Lease" && change.op == Op::Modified && change.actor == "kubelet"
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

/// Whether a container waits out a back-off (CrashLoopBackOff, ImagePullBackOff, ...): such
/// wake-ups do not hold up settling.
fn waiting_in_backoff(st: &k8s_openapi::api::core::v1::PodStatus) -> bool {
    st.container_statuses
        .iter()
        .flatten()
        .chain(st.init_container_statuses.iter().flatten())
        .any(|c| {
            c.state
                .as_ref()
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.as_deref())
                .is_some_and(|r| r.contains("BackOff") || r == "ErrImagePull")
        })
}

/// What the kubelet cache keeps of a pod on its node: admission reads whether it finished
/// and its cpu and memory requests, IP allocation its pod IP, image pulls the images its
/// containers started with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct SlimPod {
    /// Phase `Succeeded` or `Failed`.
    terminal: bool,
    /// `status.podIP`.
    pod_ip: Option<String>,
    /// cpu requests in millicores ([`kubelet::cpu_memory_requests`]).
    cpu: i128,
    /// memory requests in bytes.
    memory: i128,
    /// The images its containers have started with ([`kubelet::normalize_image`] names), each
    /// with the earliest start the status still shows (the image was on the node by then).
    images: Vec<(String, Timestamp)>,
}

/// The images a pod's container statuses show pulled: those with an `imageID`, with the
/// earliest of `state.running.startedAt`, `state.terminated.startedAt` and
/// `lastState.terminated.startedAt`.
fn started_images(st: &PodStatus) -> Vec<(String, Timestamp)> {
    let mut out: Vec<(String, Timestamp)> = Vec::new();
    for cs in st
        .init_container_statuses
        .iter()
        .flatten()
        .chain(st.container_statuses.iter().flatten())
    {
        let Some(since) = kubelet::first_known_start(cs) else {
            continue;
        };
        let image = kubelet::normalize_image(&cs.image);
        match out.iter_mut().find(|(i, _)| *i == image) {
            Some((_, t)) => *t = (*t).min(since),
            None => out.push((image, since)),
        }
    }
    out
}

impl SlimPod {
    /// From a typed pod.
    fn of(pod: &Pod) -> SlimPod {
        let (cpu, memory) = kubelet::cpu_memory_requests(pod);
        SlimPod {
            terminal: kubelet::pod_terminal(pod),
            pod_ip: pod.status.as_ref().and_then(|s| s.pod_ip.clone()),
            cpu,
            memory,
            images: pod.status.as_ref().map(started_images).unwrap_or_default(),
        }
    }

    /// From a stored pod, decoding only what the requests are computed from.
    fn of_value(v: &Value) -> Result<SlimPod, serde_json::Error> {
        let spec = match v.get("spec") {
            Some(s) => Some(RequestsView::deserialize(s)?.into_spec()),
            None => None,
        };
        let status = |p: &str| v.ptr(p).and_then(Value::as_str).map(str::to_string);
        // Container statuses are decoded only when some container has started.
        let statuses = |p: &str| -> Result<Option<Vec<ContainerStatus>>, serde_json::Error> {
            match v.ptr(p).and_then(Value::as_array) {
                Some(a) if a.iter().any(|c| c.get("imageID").is_some_and(|i| i != "")) => {
                    Vec::<ContainerStatus>::deserialize(v.ptr(p).expect("present")).map(Some)
                }
                _ => Ok(None),
            }
        };
        let pod = Pod {
            spec,
            status: Some(PodStatus {
                phase: status("/status/phase"),
                pod_ip: status("/status/podIP"),
                init_container_statuses: statuses("/status/initContainerStatuses")?,
                container_statuses: statuses("/status/containerStatuses")?,
                ..Default::default()
            }),
            ..Default::default()
        };
        Ok(SlimPod::of(&pod))
    }
}

/// What a node's kubelet knows of the pods bound to it.
#[derive(Debug, Default)]
struct NodePods {
    /// pod key (`namespace/name`) → the pod.
    pods: BTreeMap<String, SlimPod>,
    /// image → (since, pod key) for every pod that shows a container started with it: the
    /// images on the node, the earliest first.
    images: BTreeMap<String, std::collections::BTreeSet<(Timestamp, String)>>,
}

impl NodePods {
    /// Adds or replaces the pod `key`.
    fn insert(&mut self, key: &str, pod: SlimPod) {
        self.remove(key);
        for (image, since) in &pod.images {
            self.images
                .entry(image.clone())
                .or_default()
                .insert((*since, key.to_string()));
        }
        self.pods.insert(key.to_string(), pod);
    }

    /// Forgets the pod `key`.
    fn remove(&mut self, key: &str) {
        let Some(old) = self.pods.remove(key) else {
            return;
        };
        for (image, since) in old.images {
            if let Some(set) = self.images.get_mut(&image) {
                set.remove(&(since, key.to_string()));
                if set.is_empty() {
                    self.images.remove(&image);
                }
            }
        }
    }

    /// The images on the node as pods other than `key` show them, each with the earliest
    /// start ([`KubeletCtx::images`](kubelet::KubeletCtx::images)).
    fn images_for(&self, key: &str) -> BTreeMap<String, Timestamp> {
        self.images
            .iter()
            .filter_map(|(image, set)| {
                let (since, _) = set.iter().find(|(_, k)| k != key)?;
                Some((image.clone(), *since))
            })
            .collect()
    }
}

/// The part of a pod spec that `scheduler::pod_requests` reads.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestsView {
    #[serde(default)]
    containers: Vec<ContainerRequestsView>,
    init_containers: Option<Vec<ContainerRequestsView>>,
    overhead: Option<BTreeMap<String, Quantity>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContainerRequestsView {
    #[serde(default)]
    name: String,
    resources: Option<ResourceRequirements>,
    restart_policy: Option<String>,
}

impl ContainerRequestsView {
    fn into_container(self) -> Container {
        Container {
            name: self.name,
            resources: self.resources,
            restart_policy: self.restart_policy,
            ..Default::default()
        }
    }
}

impl RequestsView {
    fn into_spec(self) -> PodSpec {
        PodSpec {
            containers: self
                .containers
                .into_iter()
                .map(ContainerRequestsView::into_container)
                .collect(),
            init_containers: self.init_containers.map(|v| {
                v.into_iter()
                    .map(ContainerRequestsView::into_container)
                    .collect()
            }),
            overhead: self.overhead,
            ..Default::default()
        }
    }
}

/// The metadata fields the kubelet reads (name, namespace, uid, annotations, graceful
/// deletion); labels, owners and the rest are not decoded.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct MetaView {
    name: Option<String>,
    namespace: Option<String>,
    uid: Option<String>,
    annotations: Option<BTreeMap<String, String>>,
    deletion_timestamp: Option<Time>,
    deletion_grace_period_seconds: Option<i64>,
}

/// A stored pod as [`kubelet::sync_pod`] needs it: spec and status in full, of the metadata
/// only what [`MetaView`] keeps.
fn decode_pod(v: &Value) -> Result<Pod, serde_json::Error> {
    let meta = match v.get("metadata") {
        Some(m) => MetaView::deserialize(m)?,
        None => MetaView::default(),
    };
    let part = |k: &str| v.get(k).filter(|x| !x.is_null());
    Ok(Pod {
        metadata: ObjectMeta {
            name: meta.name,
            namespace: meta.namespace,
            uid: meta.uid,
            annotations: meta.annotations,
            deletion_timestamp: meta.deletion_timestamp,
            deletion_grace_period_seconds: meta.deletion_grace_period_seconds,
            ..Default::default()
        },
        spec: part("spec").map(PodSpec::deserialize).transpose()?,
        status: part("status").map(PodStatus::deserialize).transpose()?,
    })
}

/// Whether some container of the pod has never started (no status with an `imageID`).
fn has_unstarted_container(pod: &Pod) -> bool {
    let Some(spec) = &pod.spec else {
        return false;
    };
    let st = pod.status.as_ref();
    let started = |list: Option<&Vec<ContainerStatus>>, name: &str| {
        list.into_iter()
            .flatten()
            .any(|c| c.name == name && !c.image_id.is_empty())
    };
    spec.init_containers
        .iter()
        .flatten()
        .any(|c| !started(st.and_then(|s| s.init_container_statuses.as_ref()), &c.name))
        || spec
            .containers
            .iter()
            .any(|c| !started(st.and_then(|s| s.container_statuses.as_ref()), &c.name))
}

fn node_of(v: &Value) -> &str {
    v.ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The address `ip` takes in `prefix` (`"10.244.3"`): `Some(n)` when `ip` is exactly
/// `{prefix}.{n}` with `n` written without leading zeros.
fn host_part(prefix: &str, ip: &str) -> Option<u8> {
    let rest = ip.strip_prefix(prefix)?.strip_prefix('.')?;
    let n: u8 = rest.parse().ok()?;
    (n.to_string() == rest).then_some(n)
}

/// The lowest address `{prefix}.2` ... `{prefix}.254` not in `used` (`{prefix}.254` when all
/// are taken).
fn lowest_free_ip<'a>(prefix: &str, used: impl Iterator<Item = &'a str>) -> String {
    let mut taken = [false; 256];
    for ip in used {
        if let Some(n) = host_part(prefix, ip) {
            taken[usize::from(n)] = true;
        }
    }
    let i = (2..255).find(|&i| !taken[i]).unwrap_or(254);
    format!("{prefix}.{i}")
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
    fn node_usage(&self, node: &str, key: &str) -> kubelet::NodeUsage {
        let mut u = kubelet::NodeUsage::default();
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
}

impl Controller for Kubelets {
    fn name(&self) -> &'static str {
        "kubelet"
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
            "Lease" if change.op == Op::Added && namespace_of(&change.object) == NODE_LEASE_NS => {
                keys.push(format!("lease:{}", name_of(&change.object)));
            }
            "Node" => {
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
        let node_info = &crate::kinds::node::KIND;
        if let Some(n) = key.strip_prefix("lease:") {
            return renew_lease(api, n, false);
        }
        if let Some(n) = key.strip_prefix(SCHEDULABLE_KEY) {
            record_schedulable_event(api, n)?;
            return Ok(SyncResult::default());
        }
        if let Some(n) = key.strip_prefix("node:") {
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
                        nv["spec"] = serde_json::json!({});
                    }
                    nv["spec"]["podCIDR"] = serde_json::json!(cidr);
                    nv["spec"]["podCIDRs"] = serde_json::json!([cidr]);
                    nv = api.update(node_info, "", nv)?;
                }
            }
            let node = Node::deserialize(&nv).map_err(internal)?;
            let mut cur = nv;
            if let Some(st) = kubelet::node_status(&node, api.now()) {
                cur["status"] = serde_json::to_value(&st).map_err(internal)?;
            }
            // The heartbeat: with nothing else changing, a kubelet reports its node's status
            // every 5 minutes (nodeStatusReportFrequency); the conditions' lastHeartbeatTime
            // moves, their lastTransitionTime does not.
            let now = crate::api::fmt_time(api.now());
            if let Some(conds) = cur
                .pointer_mut("/status/conditions")
                .and_then(Value::as_array_mut)
            {
                for c in conds {
                    c["lastHeartbeatTime"] = serde_json::json!(now);
                }
            }
            api.update_status(node_info, "", cur)?;
            // A kubelet that registers its node creates the node's Lease (and one that finds
            // it gone makes it again); renewals are the Lease's own wake-ups.
            renew_lease(api, n, true)?;
            return Ok(SyncResult {
                requeue_after: vec![(SignedDuration::from_secs(NODE_STATUS_REPORT_SECS), false)],
                ..Default::default()
            });
        }
        let (ns, name) = split_key(key);
        let pod_info = &crate::kinds::pod::KIND;
        // The pod is decoded straight from the store; events name it as it is now.
        let (pod, involved, node_name) = {
            let Some(pv) = api.try_get_ref(pod_info, ns, name)? else {
                return Ok(SyncResult::default());
            };
            let node_name = node_of(pv).to_string();
            if node_name.is_empty() {
                return Ok(SyncResult::default());
            }
            let pod = decode_pod(pv).map_err(internal);
            (pod, Involved::of(pv), node_name)
        };
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
        // Admission and the pod IP matter only on the pod's first sync (no startTime yet),
        // the node's images while a container waits for its first start: then the kubelet
        // needs what it knows of the node's other pods.
        let first = pod.status.as_ref().is_none_or(|s| s.start_time.is_none());
        let unstarted = has_unstarted_container(&pod);
        if first || unstarted {
            self.load_node(api, &node_name)?;
        }
        let mut ctx = if !first {
            KubeletCtx::default()
        } else {
            KubeletCtx {
                pod_ip: pod
                    .status
                    .as_ref()
                    .and_then(|s| s.pod_ip.clone())
                    .unwrap_or_else(|| self.allocate_ip(&node, key)),
                node_usage: self.node_usage(&node_name, key),
                ..Default::default()
            }
        };
        // The node's images matter while a container waits for its first start.
        if unstarted && let Some(n) = self.cache.get(&node_name) {
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
        let now = api.now();
        let sync = kubelet::sync_pod(&pod, &node, now, &ctx);
        for ev in &sync.events {
            api.record_event_at(
                ev.at,
                &involved,
                &ev.type_,
                &ev.reason,
                &ev.message,
                "kubelet",
                ev.field_path.as_deref(),
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
        let deleting = pod.metadata.deletion_timestamp.is_some();
        if let Some(st) = sync.status {
            backing_off = waiting_in_backoff(&st);
            let started = started_images(&st);
            let stv = serde_json::to_value(&st).map_err(internal)?;
            if let Some(pods) = self.cache.get_mut(&node_name) {
                let mut p = pod;
                p.status = Some(st);
                pods.insert(key, SlimPod::of(&p));
            }
            api.put_status(pod_info, ns, name, stv)?;
            // A node keeps what it pulled: new images go into its status (until image GC,
            // which is not simulated).
            let current = node.status.as_ref().and_then(|s| s.images.as_deref());
            if let Some(images) = kubelet::node_images(
                current.unwrap_or_default(),
                started.iter().map(|(i, _)| i.as_str()),
            ) && let Some(mut nv) = api.try_get(node_info, "", &node_name)?
            {
                if !nv.get("status").is_some_and(Value::is_object) {
                    nv["status"] = serde_json::json!({});
                }
                nv["status"]["images"] = serde_json::to_value(images).map_err(internal)?;
                api.update_status(node_info, "", nv)?;
                self.nodes.remove(&node_name);
            }
        } else if let Some(st) = &pod.status {
            backing_off = waiting_in_backoff(st);
        }
        // Until its next sync the pod is read only in views (the ReplicaSet's).
        api.at_rest(pod_info, ns, name);
        let mut res = SyncResult::default();
        if let Some(at) = sync.wake_at {
            let d = at.duration_since(now).max(SignedDuration::from_secs(1));
            // A pod being deleted always finishes before the command returns (kubectl
            // delete waits for it); back-offs and long runs do not hold settling up.
            let settles = deleting || (!backing_off && d.as_secs() <= SETTLE_HORIZON_SECS);
            res.requeue_after.push((d, settles));
        }
        Ok(res)
    }
}

/// A kubelet's Lease renewal (`lease.controller`'s `ensureLease` + `retryUpdateLease`):
/// creates the node's Lease when it is missing, else moves its `renewTime` to now (holder and
/// duration restored if someone changed them). `create_only` (the node's own sync) leaves an
/// existing Lease to its renewals. The next renewal is 10 s later, a wake-up that does not
/// hold up settling; none once the node is gone (the garbage collector removes its Lease).
fn renew_lease(api: &mut Api, node: &str, create_only: bool) -> Result<SyncResult, ApiError> {
    let node_info = &crate::kinds::node::KIND;
    let lease_info = &crate::kinds::lease::KIND;
    let Some(nv) = api.try_get_ref(node_info, "", node)? else {
        return Ok(SyncResult::default());
    };
    let uid = nv
        .ptr("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let now = api.now();
    let next = SyncResult {
        requeue_after: vec![(SignedDuration::from_secs(NODE_LEASE_RENEW_SECS), false)],
        ..Default::default()
    };
    let Some(lease) = api.try_get_ref(lease_info, NODE_LEASE_NS, node)? else {
        // Without its namespace the Lease cannot be made; the kubelet tries again later.
        return match api.create(lease_info, NODE_LEASE_NS, node_lease(node, &uid, now)) {
            Ok(_) => Ok(SyncResult::default()),
            Err(e) if e.reason == Reason::NotFound => Ok(next),
            Err(e) => Err(e),
        };
    };
    if create_only {
        return Ok(SyncResult::default());
    }
    let renew = fmt_micro(now);
    let spec = |p: &str| lease.ptr(p).cloned().unwrap_or(Value::Null);
    if spec("/spec/renewTime") != renew
        || spec("/spec/holderIdentity") != node
        || spec("/spec/leaseDurationSeconds") != NODE_LEASE_DURATION_SECS
    {
        let mut l = lease.clone();
        if !l.get("spec").is_some_and(Value::is_object) {
            l["spec"] = serde_json::json!({});
        }
        l["spec"]["holderIdentity"] = serde_json::json!(node);
        l["spec"]["leaseDurationSeconds"] = serde_json::json!(NODE_LEASE_DURATION_SECS);
        l["spec"]["renewTime"] = serde_json::json!(renew);
        match api.update(lease_info, NODE_LEASE_NS, l) {
            Ok(_) => {}
            Err(e) if e.reason == Reason::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lowest_free_ip_skips_taken_addresses() {
        let ip = |used: &[&str]| lowest_free_ip("10.244.3", used.iter().copied());
        assert_eq!(ip(&[]), "10.244.3.2");
        assert_eq!(ip(&["10.244.3.2", "10.244.3.4"]), "10.244.3.3");
        // Other prefixes, the host network and non-canonical spellings take nothing.
        assert_eq!(
            ip(&["10.244.30.2", "10.244.3.02", "10.244.3.+2", "172.18.0.2"]),
            "10.244.3.2"
        );
        let all: Vec<String> = (2..255).map(|i| format!("10.244.3.{i}")).collect();
        assert_eq!(
            lowest_free_ip("10.244.3", all.iter().map(String::as_str)),
            "10.244.3.254"
        );
        assert_eq!(host_part("10.244.3", "10.244.3.254"), Some(254));
        assert_eq!(host_part("10.244.3", "10.244.3.256"), None);
    }

    fn stored_pod() -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "web-1", "namespace": "default", "uid": "u-1",
                "labels": {"app": "web"},
                "annotations": {"kubesim.io/run-seconds": "3"},
                "deletionTimestamp": "2026-01-01T00:00:30Z",
                "deletionGracePeriodSeconds": 30,
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                     "name": "web", "uid": "rs-1", "controller": true}]
            },
            "spec": {
                "nodeName": "node-1",
                "containers": [{"name": "a", "image": "nginx:1.25",
                                "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}],
                "initContainers": [{"name": "i", "image": "busybox",
                                    "resources": {"requests": {"cpu": "1"}}}],
                "overhead": {"memory": "1Mi"}
            },
            "status": {"phase": "Running", "podIP": "10.244.1.7"}
        })
    }

    #[test]
    fn decode_pod_keeps_what_the_kubelet_reads() {
        let v = stored_pod();
        let full = Pod::deserialize(&v).unwrap();
        let lean = decode_pod(&v).unwrap();
        assert_eq!(lean.spec, full.spec);
        assert_eq!(lean.status, full.status);
        let (m, f) = (&lean.metadata, &full.metadata);
        assert_eq!(
            (&m.name, &m.namespace, &m.uid, &m.annotations),
            (&f.name, &f.namespace, &f.uid, &f.annotations)
        );
        assert_eq!(m.deletion_timestamp, f.deletion_timestamp);
        assert_eq!(m.deletion_grace_period_seconds, Some(30));
        assert_eq!(
            (m.labels.as_ref(), m.owner_references.as_ref()),
            (None, None)
        );
    }

    #[test]
    fn slim_pod_from_value_matches_typed() {
        let v = stored_pod();
        let slim = SlimPod::of_value(&v).unwrap();
        assert_eq!(slim, SlimPod::of(&Pod::deserialize(&v).unwrap()));
        assert_eq!(
            slim,
            SlimPod {
                terminal: false,
                pod_ip: Some("10.244.1.7".into()),
                // max(250m, init 1) cpu; 64Mi + 1Mi overhead.
                cpu: 1000,
                memory: 65 * 1024 * 1024,
                images: vec![],
            }
        );
        let mut done = v.clone();
        done["status"]["phase"] = json!("Failed");
        assert!(SlimPod::of_value(&done).unwrap().terminal);
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn started_images_come_from_statuses_with_an_image_id() {
        let mut v = stored_pod();
        v["status"]["initContainerStatuses"] = json!([{
            "name": "i", "image": "docker.io/library/busybox:latest", "imageID": "docker.io/library/busybox@sha256:1",
            "ready": false, "restartCount": 0,
            "state": {"terminated": {"exitCode": 0, "startedAt": "2026-01-01T00:00:02Z",
                                     "finishedAt": "2026-01-01T00:00:07Z"}}
        }]);
        v["status"]["containerStatuses"] = json!([
            {"name": "a", "image": "docker.io/library/nginx:1.25", "imageID": "docker.io/library/nginx@sha256:2",
             "ready": true, "restartCount": 1,
             "state": {"running": {"startedAt": "2026-01-01T00:01:00Z"}},
             "lastState": {"terminated": {"exitCode": 1, "startedAt": "2026-01-01T00:00:09Z",
                                          "finishedAt": "2026-01-01T00:00:50Z"}}},
            {"name": "b", "image": "redis:7", "imageID": "", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "ContainerCreating"}}}
        ]);
        let slim = SlimPod::of_value(&v).unwrap();
        assert_eq!(
            slim.images,
            [
                (
                    "docker.io/library/busybox:latest".to_string(),
                    at("2026-01-01T00:00:02Z")
                ),
                (
                    "docker.io/library/nginx:1.25".to_string(),
                    at("2026-01-01T00:00:09Z")
                ),
            ]
        );
        assert_eq!(slim, SlimPod::of(&Pod::deserialize(&v).unwrap()));
    }

    #[test]
    fn node_pods_track_the_images_of_other_pods() {
        let pod = |images: &[(&str, &str)]| SlimPod {
            images: images.iter().map(|(i, t)| (i.to_string(), at(t))).collect(),
            ..Default::default()
        };
        let nginx = "docker.io/library/nginx:1.25";
        let mut n = NodePods::default();
        n.insert("default/a", pod(&[(nginx, "2026-01-01T00:00:05Z")]));
        n.insert("default/b", pod(&[(nginx, "2026-01-01T00:00:02Z")]));
        n.insert("default/c", pod(&[]));
        let images = |n: &NodePods, key: &str| -> Vec<(String, Timestamp)> {
            n.images_for(key).into_iter().collect()
        };
        assert_eq!(
            images(&n, "default/c"),
            [(nginx.to_string(), at("2026-01-01T00:00:02Z"))]
        );
        // A pod's own containers do not count; the earliest other pod does.
        assert_eq!(
            images(&n, "default/b"),
            [(nginx.to_string(), at("2026-01-01T00:00:05Z"))]
        );
        // Replacing and removing pods keeps the index current.
        n.insert("default/b", pod(&[]));
        assert_eq!(images(&n, "default/a"), []);
        n.remove("default/a");
        assert!(n.images.is_empty());
        assert_eq!(n.pods.len(), 2);
    }
}
