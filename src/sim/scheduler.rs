//! The simulated `kube-scheduler` (default profile of Kubernetes 1.33), as a pure function.
//!
//! [`schedule`] takes one unscheduled pod, the nodes and the pods already assigned to each node,
//! and returns either the chosen node's name or the exact `FailedScheduling` message the real
//! scheduler would write (`0/3 nodes are available: ... preemption: ...`). It never mutates
//! anything: the engine binds the pod (`spec.nodeName`, condition `PodScheduled=True`, event
//! `Scheduled: Successfully assigned <ns>/<pod> to <node>`) or records the failure
//! (condition `PodScheduled=False` reason `Unschedulable`, Warning event `FailedScheduling`).
//! Pods the engine binds earlier in the same tick must already be in `pods_on_nodes` (the real
//! scheduler's "assumed" pods), otherwise pods of one ReplicaSet would not spread.
//!
//! # The scheduler cache
//! [`schedule`] costs O(all bound pods) per decision. A caller scheduling many pods keeps one
//! [`NodeInfo`] per node instead (like kube-scheduler's cache): [`NodeInfo::set_node`] when a
//! Node is added or changes (it parses labels, taints and allocatable once), [`NodeInfo::add`]
//! when a pod is bound/assumed or modified (an upsert by `namespace/name`; terminal pods drop
//! out), [`NodeInfo::remove`] when it is deleted. Each pod is described by a [`PodInfo`]
//! computed once (requests, host ports, tolerations, affinity, owner), straight from the API's
//! JSON by [`PodInfo::from_value`], which decodes only the fields the scheduler reads; the
//! infos keep running sums and slim copies of the pods, not the pods themselves. Then
//! [`schedule_prepared`] decides in O(nodes) in the common case (the paths that still scan
//! pods are listed there). [`schedule_cached`] is the same over typed pods and nodes, and
//! [`schedule`] (from scratch, building the infos with [`build_node_infos`]) a wrapper over it;
//! all three give identical results.
//!
//! ```ignore
//! let mut infos: BTreeMap<String, NodeInfo> = BTreeMap::new();
//! for n in &nodes { infos.entry(name(n)).or_default().set_node(n); }
//! for v in &bound_pods { infos.entry(node_name(v)).or_default().add(PodInfo::from_value(v)?); }
//! let pod = PodInfo::from_value(&unscheduled_pod)?;
//! if let Ok(node) = schedule_prepared(&pod, &infos) {
//!     // ... bind it, then "assume" it:
//!     infos.entry(node).or_default().add(pod);
//! }
//! ```
//!
//! # Filters (in the default plugin order; the first failing plugin is reported per node)
//! | plugin | reason in the message |
//! |---|---|
//! | NodeUnschedulable | `node(s) were unschedulable` (unless the pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`) |
//! | NodeName | `node(s) didn't match the requested node name` |
//! | TaintToleration | `node(s) had untolerated taint {<key>: <value>}` (first untolerated NoSchedule/NoExecute taint) |
//! | NodeAffinity | `node(s) didn't match Pod's node affinity/selector` (`nodeSelector` and required node affinity) |
//! | NodePorts | `node(s) didn't have free ports for the requested pod ports` |
//! | NodeResourcesFit | `Too many pods`, `Insufficient cpu`, `Insufficient memory`, `Insufficient ephemeral-storage`, `Insufficient <extended>` (all that apply) |
//! | InterPodAffinity | `node(s) didn't match pod affinity rules`, `node(s) didn't match pod anti-affinity rules`, `node(s) didn't satisfy existing pods anti-affinity rules` |
//!
//! Requests are counted like `resourcehelper.PodRequests`: the sum over app containers (plus
//! restartable "sidecar" init containers), at least the largest init container, plus
//! `spec.overhead`; a container with a limit but no request counts its limit (API defaulting).
//! Pods in phase `Succeeded`/`Failed` on a node do not count. The message format is
//! `FitError.Error()`: reasons counted per node, rendered `"<count> <reason>"`, sorted as
//! strings, joined by `", "`, then the `DefaultPreemption` post-filter sentence: nodes that
//! failed an "unresolvable" filter (unschedulable, name, taint, affinity, or a request larger
//! than the whole node) count as `Preemption is not helpful for scheduling`, the others as
//! `No preemption victims found for incoming pod`. A pod with `preemptionPolicy: Never` gets
//! `preemption: not eligible due to preemptionPolicy=Never.` instead.
//!
//! # Scoring (highest total wins)
//! NodeResourcesFit `LeastAllocated` (weight 1), NodeResourcesBalancedAllocation (weight 1,
//! skipped for best-effort pods as in 1.33), TaintToleration on `PreferNoSchedule` taints
//! (weight 3), NodeAffinity preferred terms (weight 2) and the PodTopologySpread *system
//! default* hostname constraint (weight 2, maxSkew 3), where "matching pods" are those with the
//! same controller owner (uid) as the pod being scheduled (the real scheduler derives the same
//! set from the owner's selector). Scoring uses the non-zero requests (a container without a
//! cpu/memory request counts 100m / 200Mi). Ties, which the real scheduler breaks at random,
//! go to the node whose name sorts first.
//!
//! # Not simulated
//! Preemption itself (victims are never evicted: with lower-priority pods present the message
//! may differ from a real cluster), volume plugins, user-written topology spread constraints,
//! ImageLocality, scheduling gates and extenders.
//!
//! The Kubernetes quantity parser lives here too ([`parse_quantity`], [`parse_quantity_milli`]).

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hash, Hasher};

use k8s_openapi::api::core::v1::{
    Affinity, Container, ContainerPort, Node, NodeAffinity, NodeSelectorRequirement,
    NodeSelectorTerm, Pod, PodAffinityTerm, ResourceRequirements, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

/// Default cpu request (millicores) the scorers assume for a container without one.
pub const DEFAULT_MILLI_CPU_REQUEST: i128 = 100;
/// Default memory request (bytes) the scorers assume for a container without one (200Mi).
pub const DEFAULT_MEMORY_REQUEST: i128 = 200 * 1024 * 1024;

const MAX_NODE_SCORE: i64 = 100;

const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
const REASON_NODE_NAME: &str = "node(s) didn't match the requested node name";
const REASON_NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
const REASON_NODE_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";
const REASON_POD_AFFINITY: &str = "node(s) didn't match pod affinity rules";
const REASON_POD_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
const REASON_EXISTING_ANTI_AFFINITY: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";
const PREEMPTION_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
const PREEMPTION_NO_VICTIMS: &str = "No preemption victims found for incoming pod";
/// Message when the cluster has no nodes at all (`ErrNoNodesAvailable`).
pub const NO_NODES_AVAILABLE: &str = "no nodes available to schedule pods";

// ---------------------------------------------------------------------------------------------
// Quantities
// ---------------------------------------------------------------------------------------------

/// An exact parsed quantity: `mantissa × 10^exp10 × 2^exp2`.
struct Parsed {
    mantissa: i128,
    exp10: i32,
    exp2: u32,
}

fn parse_parts(s: &str) -> Option<Parsed> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut negative = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        negative = b[i] == b'-';
        i += 1;
    }
    let mut mantissa: i128 = 0;
    let mut digits = 0usize;
    let mut frac = 0i32;
    let mut seen_dot = false;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            // Drop digits beyond i128 precision only if they are fractional zeros; otherwise fail.
            mantissa = mantissa
                .checked_mul(10)?
                .checked_add(i128::from(c - b'0'))?;
            digits += 1;
            if seen_dot {
                frac += 1;
            }
        } else if c == b'.' && !seen_dot {
            seen_dot = true;
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let suffix = &s[i..];
    let (exp10, exp2) = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        _ => {
            let rest = suffix.strip_prefix(['e', 'E'])?;
            let digits_part = rest.strip_prefix(['+', '-']).unwrap_or(rest);
            if digits_part.is_empty() || !digits_part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let e: i32 = rest.parse().ok()?;
            (e, 0)
        }
    };
    Some(Parsed {
        mantissa: if negative { -mantissa } else { mantissa },
        exp10: exp10 - frac,
        exp2,
    })
}

/// `value × 10^scale`, rounded up (towards +∞) like `resource.Quantity.ScaledValue`.
fn scaled_ceil(s: &str, scale: i32) -> Option<i128> {
    let p = parse_parts(s.trim())?;
    let mut v = p.mantissa.checked_mul(1i128.checked_shl(p.exp2)?)?;
    let e = p.exp10 + scale;
    if e >= 0 {
        if e > 38 {
            return if v == 0 { Some(0) } else { None };
        }
        v = v.checked_mul(10i128.checked_pow(e as u32)?)?;
        Some(v)
    } else {
        let d = -e;
        if d > 38 {
            return Some(if v > 0 { 1 } else { 0 });
        }
        let div = 10i128.pow(d as u32);
        let q = v.div_euclid(div);
        Some(if v.rem_euclid(div) != 0 { q + 1 } else { q })
    }
}

/// Parses a Kubernetes quantity (`2`, `0.5`, `100m`, `64Mi`, `1G`, `1e3`, `128974848`) into
/// whole units, rounding up like `Quantity.Value()` (`100m` → 1). `None` if malformed or out
/// of range.
pub fn parse_quantity(s: &str) -> Option<i128> {
    scaled_ceil(s, 0)
}

/// Parses a Kubernetes quantity into thousandths, rounding up like `Quantity.MilliValue()`:
/// the unit for cpu (`100m` → 100, `0.5` → 500, `2` → 2000).
pub fn parse_quantity_milli(s: &str) -> Option<i128> {
    scaled_ceil(s, 3)
}

/// The amount of one named resource in the unit the scheduler compares: millicores for `cpu`,
/// whole units (bytes, count) for everything else. Malformed quantities count 0.
pub fn resource_amount(name: &str, q: &Quantity) -> i128 {
    let v = if name == "cpu" {
        parse_quantity_milli(&q.0)
    } else {
        parse_quantity(&q.0)
    };
    v.unwrap_or(0)
}

/// Resource amounts by name (`cpu` in millicores, others in units).
pub type Resources = BTreeMap<String, i128>;
fn container_requests(r: Option<&ResourceRequirements>, non_zero: bool) -> Resources {
    let mut out = Resources::new();
    if let Some(r) = r {
        if let Some(limits) = &r.limits {
            for (k, q) in limits {
                out.insert(k.clone(), resource_amount(k, q));
            }
        }
        if let Some(reqs) = &r.requests {
            for (k, q) in reqs {
                out.insert(k.clone(), resource_amount(k, q));
            }
        }
    }
    if non_zero {
        out.entry("cpu".into()).or_insert(DEFAULT_MILLI_CPU_REQUEST);
        out.entry("memory".into()).or_insert(DEFAULT_MEMORY_REQUEST);
    }
    out
}

/// `add_into(acc, &container_requests(r, non_zero))` without building the container's map.
fn add_container(acc: &mut Resources, r: Option<&ResourceRequirements>, non_zero: bool) {
    let limits = r.and_then(|r| r.limits.as_ref());
    let requests = r.and_then(|r| r.requests.as_ref());
    let mut add = |k: &str, v: i128| match acc.get_mut(k) {
        Some(e) => *e += v,
        None => {
            acc.insert(k.to_string(), v);
        }
    };
    // A request wins over the limit of the same resource.
    for (k, q) in limits.into_iter().flatten() {
        if !requests.is_some_and(|m| m.contains_key(k)) {
            add(k, resource_amount(k, q));
        }
    }
    for (k, q) in requests.into_iter().flatten() {
        add(k, resource_amount(k, q));
    }
    if non_zero {
        let listed = |k: &str| {
            limits.is_some_and(|m| m.contains_key(k)) || requests.is_some_and(|m| m.contains_key(k))
        };
        if !listed("cpu") {
            add("cpu", DEFAULT_MILLI_CPU_REQUEST);
        }
        if !listed("memory") {
            add("memory", DEFAULT_MEMORY_REQUEST);
        }
    }
}

fn add_into(acc: &mut Resources, r: &Resources) {
    for (k, v) in r {
        *acc.entry(k.clone()).or_insert(0) += v;
    }
}

fn max_into(acc: &mut Resources, r: &Resources) {
    for (k, v) in r {
        let e = acc.entry(k.clone()).or_insert(0);
        if *v > *e {
            *e = *v;
        }
    }
}

/// `resourcehelper.PodRequests` over the containers' resources: app containers, init
/// containers with whether they are restartable sidecars, and `spec.overhead`.
fn requests_of<'a>(
    containers: impl Iterator<Item = Option<&'a ResourceRequirements>>,
    init_containers: impl Iterator<Item = (Option<&'a ResourceRequirements>, bool)>,
    overhead: Option<&BTreeMap<String, Quantity>>,
    non_zero: bool,
) -> Resources {
    let mut reqs = Resources::new();
    for c in containers {
        add_container(&mut reqs, c, non_zero);
    }
    let mut restartable = Resources::new();
    let mut init_max = Resources::new();
    for (c, sidecar) in init_containers {
        let creq = container_requests(c, non_zero);
        let effective = if sidecar {
            add_into(&mut reqs, &creq);
            add_into(&mut restartable, &creq);
            restartable.clone()
        } else {
            let mut tmp = creq;
            add_into(&mut tmp, &restartable);
            tmp
        };
        max_into(&mut init_max, &effective);
    }
    max_into(&mut reqs, &init_max);
    if let Some(overhead) = overhead {
        for (k, q) in overhead {
            *reqs.entry(k.clone()).or_insert(0) += resource_amount(k, q);
        }
    }
    reqs
}

/// The pod's effective requests as `resourcehelper.PodRequests` computes them. With
/// `non_zero`, containers lacking a cpu/memory request count 100m / 200Mi (the scorers' view).
pub fn pod_requests(pod: &Pod, non_zero: bool) -> Resources {
    let Some(spec) = &pod.spec else {
        return Resources::new();
    };
    requests_of(
        spec.containers.iter().map(|c| c.resources.as_ref()),
        spec.init_containers.iter().flatten().map(|c| {
            (
                c.resources.as_ref(),
                is_sidecar(c.restart_policy.as_deref()),
            )
        }),
        spec.overhead.as_ref(),
        non_zero,
    )
}

fn is_sidecar(restart_policy: Option<&str>) -> bool {
    restart_policy == Some("Always")
}

// ---------------------------------------------------------------------------------------------
// Predicates shared with the kubelet's admission
// ---------------------------------------------------------------------------------------------

/// `Toleration.ToleratesTaint`: effect and key must match (empty means any), operator `Exists`
/// matches any value, `Equal` (or empty) needs equal values.
pub fn toleration_tolerates(t: &Toleration, taint: &Taint) -> bool {
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty())
        && e != taint.effect
    {
        return false;
    }
    if let Some(k) = t.key.as_deref().filter(|k| !k.is_empty())
        && k != taint.key
    {
        return false;
    }
    match t.operator.as_deref().unwrap_or("") {
        "" | "Equal" => t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        "Exists" => true,
        _ => false,
    }
}

fn tolerated(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| toleration_tolerates(t, taint))
}

/// Whether any of the pod's tolerations tolerates the taint.
pub fn pod_tolerates(pod: &Pod, taint: &Taint) -> bool {
    pod.spec
        .as_ref()
        .and_then(|s| s.tolerations.as_deref())
        .is_some_and(|ts| tolerated(ts, taint))
}

/// The first taint with one of `effects` the pod does not tolerate.
pub fn first_untolerated_taint<'a>(
    pod: &Pod,
    node: &'a Node,
    effects: &[&str],
) -> Option<&'a Taint> {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())?
        .iter()
        .find(|t| effects.contains(&t.effect.as_str()) && !pod_tolerates(pod, t))
}

static EMPTY_LABELS: BTreeMap<String, String> = BTreeMap::new();

fn node_labels(node: &Node) -> &BTreeMap<String, String> {
    node.metadata.labels.as_ref().unwrap_or(&EMPTY_LABELS)
}

fn requirement_matches(req: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = req.values.as_deref().unwrap_or(&[]);
    match req.operator.as_str() {
        "In" => value.is_some_and(|v| values.iter().any(|x| x == v)),
        "NotIn" => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), [bound]) = (value, values) else {
                return false;
            };
            let (Ok(v), Ok(bound)) = (v.parse::<i64>(), bound.parse::<i64>()) else {
                return false;
            };
            if req.operator == "Gt" {
                v > bound
            } else {
                v < bound
            }
        }
        _ => false,
    }
}

/// A node selector term against a node's labels and name (`matchFields` on `metadata.name`).
fn term_matches(
    term: &NodeSelectorTerm,
    labels: &BTreeMap<String, String>,
    name: Option<&str>,
) -> bool {
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    exprs
        .iter()
        .all(|r| requirement_matches(r, labels.get(&r.key).map(String::as_str)))
        && fields.iter().all(|r| {
            r.key == "metadata.name"
                && matches!(r.operator.as_str(), "In" | "NotIn")
                && requirement_matches(r, name)
        })
}

/// `nodeSelector` (every label equal) and the required node affinity (terms ORed,
/// requirements ANDed) against a node's labels and name.
fn node_affinity_allows(
    node_selector: Option<&BTreeMap<String, String>>,
    node_affinity: Option<&NodeAffinity>,
    labels: &BTreeMap<String, String>,
    name: Option<&str>,
) -> bool {
    if let Some(sel) = node_selector
        && !sel.iter().all(|(k, v)| labels.get(k) == Some(v))
    {
        return false;
    }
    if let Some(req) = node_affinity.and_then(|na| {
        na.required_during_scheduling_ignored_during_execution
            .as_ref()
    }) && !req
        .node_selector_terms
        .iter()
        .any(|t| term_matches(t, labels, name))
    {
        return false;
    }
    true
}

/// NodeAffinity filter: `nodeSelector` (every label equal) and the required node affinity
/// (terms ORed, requirements ANDed).
pub fn node_matches_pod_affinity(pod: &Pod, node: &Node) -> bool {
    let Some(spec) = &pod.spec else {
        return true;
    };
    node_affinity_allows(
        spec.node_selector.as_ref(),
        spec.affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref()),
        node_labels(node),
        node.metadata.name.as_deref(),
    )
}

/// Whether a label selector matches a label set (`matchLabels` and `matchExpressions`).
/// An empty selector matches everything.
pub fn label_selector_matches(sel: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    if let Some(ml) = &sel.match_labels
        && !ml.iter().all(|(k, v)| labels.get(k) == Some(v))
    {
        return false;
    }
    sel.match_expressions.iter().flatten().all(|r| {
        let values = r.values.as_deref().unwrap_or(&[]);
        let v = labels.get(&r.key);
        match r.operator.as_str() {
            "In" => v.is_some_and(|v| values.contains(v)),
            "NotIn" => v.is_none_or(|v| !values.contains(v)),
            "Exists" => v.is_some(),
            "DoesNotExist" => v.is_none(),
            _ => false,
        }
    })
}

/// The host ports among `ports` as `(host IP, protocol, port)`: only ports with a
/// `hostPort`, the IP `0.0.0.0` and protocol `TCP` when unset.
fn host_ports_of<'a>(ports: impl Iterator<Item = &'a ContainerPort>) -> Vec<(String, String, i32)> {
    let mut out = Vec::new();
    for p in ports {
        if let Some(hp) = p.host_port.filter(|hp| *hp > 0) {
            let ip = p.host_ip.clone().unwrap_or_default();
            let ip = if ip.is_empty() {
                "0.0.0.0".to_string()
            } else {
                ip
            };
            out.push((ip, p.protocol.clone().unwrap_or_else(|| "TCP".into()), hp));
        }
    }
    out
}

/// Whether one of the wanted host ports collides with one in use on the node: same port and
/// protocol, and the same IP or either side bound to `0.0.0.0`.
fn ports_conflict(want: &[(String, String, i32)], used: &BTreeMap<HostPort, usize>) -> bool {
    want.iter().any(|(ip, proto, port)| {
        used.range((*port, proto.clone(), String::new())..)
            .take_while(|((p, pr, _), _)| p == port && pr == proto)
            .any(|((_, _, uip), _)| ip == "0.0.0.0" || uip == "0.0.0.0" || ip == uip)
    })
}

/// The resources a node offers to pods (`status.allocatable`) in scheduler units.
pub fn node_allocatable(node: &Node) -> Resources {
    let mut out = Resources::new();
    if let Some(a) = node.status.as_ref().and_then(|s| s.allocatable.as_ref()) {
        for (k, q) in a {
            out.insert(k.clone(), resource_amount(k, q));
        }
    }
    out
}

fn amount(r: &Resources, k: &str) -> i128 {
    r.get(k).copied().unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// PodInfo: the parts of a pod the scheduler reads
// ---------------------------------------------------------------------------------------------

/// The pod as decoded from the API's JSON: only the fields the scheduler reads (serde skips
/// the rest without building it).
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RawPod {
    metadata: RawMeta,
    spec: Option<RawSpec>,
    status: Option<RawStatus>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RawMeta {
    name: Option<String>,
    namespace: Option<String>,
    labels: Option<BTreeMap<String, String>>,
    owner_references: Option<Vec<RawOwner>>,
    deletion_timestamp: Option<IgnoredAny>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct RawOwner {
    uid: String,
    controller: Option<bool>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RawSpec {
    node_name: Option<String>,
    priority: Option<i32>,
    preemption_policy: Option<String>,
    tolerations: Option<Vec<Toleration>>,
    node_selector: Option<BTreeMap<String, String>>,
    affinity: Option<Affinity>,
    containers: Vec<RawContainer>,
    init_containers: Option<Vec<RawContainer>>,
    overhead: Option<BTreeMap<String, Quantity>>,
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct RawContainer {
    resources: Option<ResourceRequirements>,
    ports: Option<Vec<ContainerPort>>,
    restart_policy: Option<String>,
}

impl RawContainer {
    fn of(c: &Container) -> RawContainer {
        RawContainer {
            resources: c.resources.clone(),
            ports: c.ports.clone(),
            restart_policy: c.restart_policy.clone(),
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct RawStatus {
    phase: Option<String>,
}

/// The metadata fields the scheduler keeps of a pod.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodMeta {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub labels: Option<BTreeMap<String, String>>,
}

/// A resource NodeResourcesFit checks, with the well-known ones read from dedicated fields.
#[derive(Clone, Debug, PartialEq)]
enum Res {
    Cpu,
    Memory,
    EphemeralStorage,
    Other(String),
}

impl Res {
    fn name(&self) -> &str {
        match self {
            Res::Cpu => "cpu",
            Res::Memory => "memory",
            Res::EphemeralStorage => "ephemeral-storage",
            Res::Other(n) => n,
        }
    }
}

/// What the scheduler needs of one pod, computed once (like kube-scheduler's
/// `framework.PodInfo`): requests, host ports, tolerations, node selector and affinity, the
/// controller owner and priority. Build it from the API's JSON with [`PodInfo::from_value`]
/// (which decodes only these fields) or from a typed pod with [`PodInfo::from_pod`]; pass it
/// to [`schedule_prepared`] and, once bound, to [`NodeInfo::add`].
///
/// A [`NodeInfo`] keeps a slimmed copy of each pod (requests, ports, labels, owner, priority
/// and required pod anti-affinity: what the filters and scores read of existing pods).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodInfo {
    /// Name, namespace and labels.
    pub metadata: PodMeta,
    /// `namespace/uid` of the controller owner: the key the default spread counts by.
    owner_key: Option<OwnerKey>,
    /// `metadata.deletionTimestamp` is set.
    deleting: bool,
    /// Phase `Succeeded` or `Failed`.
    terminal: bool,
    /// `spec.priority`, 0 when unset.
    priority: i32,
    /// `spec.preemptionPolicy: Never`.
    preemption_never: bool,
    /// `spec.nodeName` when not empty (the NodeName filter).
    node_name: Option<String>,
    tolerations: Vec<Toleration>,
    /// Whether the tolerations tolerate `node.kubernetes.io/unschedulable:NoSchedule`.
    tolerates_unschedulable: bool,
    node_selector: Option<BTreeMap<String, String>>,
    node_affinity: Option<NodeAffinity>,
    /// Required pod affinity terms.
    affinity_terms: Vec<PodAffinityTerm>,
    /// Required pod anti-affinity terms.
    anti_affinity_terms: Vec<PodAffinityTerm>,
    /// `pod_requests(pod, false)`.
    requests: Resources,
    /// cpu and memory of `pod_requests(pod, true)` (the other resources equal `requests`).
    nz_cpu: i128,
    nz_memory: i128,
    /// The positive requests NodeResourcesFit checks, in its reporting order (cpu, memory,
    /// ephemeral-storage, then the others by name; never `pods`).
    fit: Vec<(Res, i128)>,
    /// Host ports as `(host IP, protocol, port)`.
    ports: Vec<(String, String, i32)>,
}

impl PodInfo {
    /// Decodes the fields the scheduler reads from a pod in the API's JSON form.
    pub fn from_value(v: &Value) -> Result<PodInfo, serde_json::Error> {
        RawPod::deserialize(v).map(PodInfo::from_raw)
    }

    /// Decodes a pod as the store holds it (a tree, or the JSON text of a pod at rest), with
    /// the node it is bound to (`""`: none).
    pub fn bound_from_held(
        held: &crate::store::Held<'_>,
    ) -> Result<(String, PodInfo), serde_json::Error> {
        let raw: RawPod = held.decode()?;
        let node = raw
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default();
        Ok((node, PodInfo::from_raw(raw)))
    }

    /// The same from a typed pod.
    pub fn from_pod(pod: &Pod) -> PodInfo {
        let m = &pod.metadata;
        let raw = RawPod {
            metadata: RawMeta {
                name: m.name.clone(),
                namespace: m.namespace.clone(),
                labels: m.labels.clone(),
                owner_references: m.owner_references.as_ref().map(|os| {
                    os.iter()
                        .map(|o| RawOwner {
                            uid: o.uid.clone(),
                            controller: o.controller,
                        })
                        .collect()
                }),
                deletion_timestamp: m.deletion_timestamp.as_ref().map(|_| IgnoredAny),
            },
            spec: pod.spec.as_ref().map(|s| RawSpec {
                node_name: s.node_name.clone(),
                priority: s.priority,
                preemption_policy: s.preemption_policy.clone(),
                tolerations: s.tolerations.clone(),
                node_selector: s.node_selector.clone(),
                affinity: s.affinity.clone(),
                containers: s.containers.iter().map(RawContainer::of).collect(),
                init_containers: s
                    .init_containers
                    .as_ref()
                    .map(|cs| cs.iter().map(RawContainer::of).collect()),
                overhead: s.overhead.clone(),
            }),
            status: pod.status.as_ref().map(|s| RawStatus {
                phase: s.phase.clone(),
            }),
        };
        PodInfo::from_raw(raw)
    }

    fn from_raw(raw: RawPod) -> PodInfo {
        let RawPod {
            metadata,
            spec,
            status,
        } = raw;
        let namespace = metadata.namespace.as_deref().unwrap_or("default");
        let owner_key = metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))
            .map(|o| OwnerKey::new(format!("{namespace}/{}", o.uid)));
        let terminal = matches!(
            status.and_then(|s| s.phase).as_deref(),
            Some("Succeeded" | "Failed")
        );
        let mut info = PodInfo {
            owner_key,
            deleting: metadata.deletion_timestamp.is_some(),
            terminal,
            metadata: PodMeta {
                name: metadata.name,
                namespace: metadata.namespace,
                labels: metadata.labels,
            },
            ..Default::default()
        };
        let Some(spec) = spec else {
            return info;
        };
        let init = spec.init_containers.as_deref().unwrap_or(&[]);
        let requests = |non_zero| {
            requests_of(
                spec.containers.iter().map(|c| c.resources.as_ref()),
                init.iter().map(|c| {
                    (
                        c.resources.as_ref(),
                        is_sidecar(c.restart_policy.as_deref()),
                    )
                }),
                spec.overhead.as_ref(),
                non_zero,
            )
        };
        info.requests = requests(false);
        let nz = requests(true);
        info.nz_cpu = amount(&nz, "cpu");
        info.nz_memory = amount(&nz, "memory");
        let mut fit: Vec<(Res, i128)> = info
            .requests
            .iter()
            .filter(|(k, v)| k.as_str() != "pods" && **v > 0)
            .map(|(k, v)| {
                let r = match k.as_str() {
                    "cpu" => Res::Cpu,
                    "memory" => Res::Memory,
                    "ephemeral-storage" => Res::EphemeralStorage,
                    _ => Res::Other(k.clone()),
                };
                (r, *v)
            })
            .collect();
        // cpu, memory, ephemeral-storage first (in that order), then the others by name.
        let rank = |r: &Res| match r {
            Res::Cpu => 0,
            Res::Memory => 1,
            Res::EphemeralStorage => 2,
            Res::Other(_) => 3,
        };
        fit.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then(a.0.name().cmp(b.0.name())));
        info.fit = fit;
        info.ports = host_ports_of(
            spec.containers
                .iter()
                .chain(
                    init.iter()
                        .filter(|c| is_sidecar(c.restart_policy.as_deref())),
                )
                .flat_map(|c| c.ports.iter().flatten()),
        );
        info.node_name = spec.node_name.filter(|n| !n.is_empty());
        info.priority = spec.priority.unwrap_or(0);
        info.preemption_never = spec.preemption_policy.as_deref() == Some("Never");
        info.tolerations = spec.tolerations.unwrap_or_default();
        info.tolerates_unschedulable = tolerated(
            &info.tolerations,
            &Taint {
                key: "node.kubernetes.io/unschedulable".into(),
                effect: "NoSchedule".into(),
                ..Default::default()
            },
        );
        info.node_selector = spec.node_selector;
        if let Some(a) = spec.affinity {
            info.node_affinity = a.node_affinity;
            info.affinity_terms = a
                .pod_affinity
                .and_then(|a| a.required_during_scheduling_ignored_during_execution)
                .unwrap_or_default();
            info.anti_affinity_terms = a
                .pod_anti_affinity
                .and_then(|a| a.required_during_scheduling_ignored_during_execution)
                .unwrap_or_default();
        }
        info
    }

    /// `namespace/name`, the key a [`NodeInfo`] stores the pod under.
    pub fn key(&self) -> String {
        format!(
            "{}/{}",
            self.namespace(),
            self.metadata.name.as_deref().unwrap_or("")
        )
    }

    /// The namespace (`default` when unset).
    pub fn namespace(&self) -> &str {
        self.metadata.namespace.as_deref().unwrap_or("default")
    }

    fn labels(&self) -> &BTreeMap<String, String> {
        self.metadata.labels.as_ref().unwrap_or(&EMPTY_LABELS)
    }

    /// Whether the pod is in phase `Succeeded` or `Failed` (it no longer counts on a node).
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// What a [`NodeInfo`] keeps of a pod on the node: the incoming-pod-only parts dropped.
    fn into_stored(self) -> PodInfo {
        PodInfo {
            metadata: self.metadata,
            owner_key: self.owner_key,
            deleting: self.deleting,
            terminal: self.terminal,
            priority: self.priority,
            anti_affinity_terms: self.anti_affinity_terms,
            requests: self.requests,
            nz_cpu: self.nz_cpu,
            nz_memory: self.nz_memory,
            ports: self.ports,
            ..Default::default()
        }
    }

    fn cpu(&self) -> i128 {
        amount(&self.requests, "cpu")
    }

    fn memory(&self) -> i128 {
        amount(&self.requests, "memory")
    }
}

fn pod_key(pod: &Pod) -> String {
    format!(
        "{}/{}",
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        pod.metadata.name.as_deref().unwrap_or("")
    )
}

/// `namespace/name` of a pod in the API's JSON form, as [`PodInfo::key`] forms it.
pub fn value_key(v: &Value) -> String {
    let s = |k: &str| {
        v.get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
    };
    format!(
        "{}/{}",
        s("namespace").unwrap_or("default"),
        s("name").unwrap_or("")
    )
}

// ---------------------------------------------------------------------------------------------
// NodeInfo: the incremental per-node cache
// ---------------------------------------------------------------------------------------------

/// A host port in use: `(port, protocol, host IP)`, the IP `0.0.0.0` when unset.
pub type HostPort = (i32, String, String);

/// What the filters read of a Node, parsed once.
#[derive(Clone, Debug, Default, PartialEq)]
struct NodeFacts {
    name: Option<String>,
    labels: BTreeMap<String, String>,
    unschedulable: bool,
    /// `NoSchedule` and `NoExecute` taints, in the node's order.
    hard_taints: Vec<Taint>,
    /// `PreferNoSchedule` taints.
    soft_taints: Vec<Taint>,
    has_hostname: bool,
    allocatable: Resources,
    alloc_cpu: i128,
    alloc_memory: i128,
    alloc_ephemeral: i128,
    alloc_pods: i128,
}

impl NodeFacts {
    fn new(node: &Node) -> NodeFacts {
        let taints = node
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or(&[]);
        let labels = node_labels(node).clone();
        let allocatable = node_allocatable(node);
        NodeFacts {
            name: node.metadata.name.clone(),
            unschedulable: node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true),
            hard_taints: taints
                .iter()
                .filter(|t| matches!(t.effect.as_str(), "NoSchedule" | "NoExecute"))
                .cloned()
                .collect(),
            soft_taints: taints
                .iter()
                .filter(|t| t.effect == "PreferNoSchedule")
                .cloned()
                .collect(),
            has_hostname: labels.contains_key("kubernetes.io/hostname"),
            labels,
            alloc_cpu: amount(&allocatable, "cpu"),
            alloc_memory: amount(&allocatable, "memory"),
            alloc_ephemeral: amount(&allocatable, "ephemeral-storage"),
            alloc_pods: amount(&allocatable, "pods"),
            allocatable,
        }
    }

    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
}

/// A controller owner's `namespace/uid` with its hash, computed once per pod: the owner counts
/// are looked up once per node per decision, so hashing the string each time would dominate.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OwnerKey {
    hash: u64,
    key: String,
}

impl OwnerKey {
    fn new(key: String) -> OwnerKey {
        // FxHash's mixing over 8-byte words, then splitmix64's finalizer.
        let mut h = 0u64;
        for c in key.as_bytes().chunks(8) {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        h ^= key.len() as u64;
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        OwnerKey {
            hash: h ^ (h >> 31),
            key,
        }
    }
}

impl Hash for OwnerKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The hasher of [`OwnerKey`]s: their hash is already computed.
#[derive(Clone, Copy, Default)]
struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Not used by OwnerKey; kept correct for any other input.
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Live pods by controller owner; never iterated, so its order cannot reach any output.
type OwnerCounts = HashMap<OwnerKey, usize, BuildHasherDefault<PrehashedHasher>>;

/// What the scheduler knows about one node, kept up to date incrementally like
/// kube-scheduler's `framework.NodeInfo`: the node's parsed labels, taints and allocatable
/// resources and the aggregates of the live pods bound (or assumed) on it, as running sums.
///
/// Build one per node with [`NodeInfo::set_node`] (again whenever the Node changes) and
/// [`NodeInfo::add`] / [`NodeInfo::remove`] as pods come and go (or the typed
/// [`NodeInfo::add_pod`] / [`NodeInfo::remove_pod`]); then call [`schedule_prepared`] (or
/// [`schedule_cached`]). Pods are identified by `namespace/name`: adding is an upsert (a newer
/// version of a pod replaces the old one; a terminal version removes it), so a watch consumer
/// can add on every Added/Modified event and remove on Deleted. Both cost O(containers + log
/// pods). All aggregates are canonical (no zero entries), so two infos holding the same pods
/// compare equal whatever the order of updates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeInfo {
    /// The node as of the last `set_node` (`None`: pods on a node the cache has not seen).
    node: Option<NodeFacts>,
    requested: Resources,
    non_zero_requested: Resources,
    /// `requested` / `non_zero_requested` of cpu, memory, ephemeral-storage, for the filters
    /// and scores.
    req_cpu: i128,
    req_memory: i128,
    req_ephemeral: i128,
    nz_cpu: i128,
    nz_memory: i128,
    /// Live pods by `namespace/name`.
    pods: BTreeMap<String, PodInfo>,
    host_ports: BTreeMap<HostPort, usize>,
    /// Pods without a deletionTimestamp by `namespace/controller-uid`.
    owners: OwnerCounts,
    /// Pods by `spec.priority` (0 when unset), for the preemption post-filter.
    priorities: BTreeMap<i32, usize>,
    /// How many pods carry required pod anti-affinity terms.
    anti_affinity_pods: usize,
}

/// Adds (`up`) or subtracts `v` into `acc[k]`, dropping the entry when it becomes 0. Wrapping
/// arithmetic keeps add-then-remove exact even for absurd quantities.
fn merge_one(acc: &mut Resources, k: &str, v: i128, up: bool) {
    if v == 0 {
        return;
    }
    let e = match acc.get_mut(k) {
        Some(e) => e,
        None => acc.entry(k.to_string()).or_insert(0),
    };
    *e = if up {
        e.wrapping_add(v)
    } else {
        e.wrapping_sub(v)
    };
    if *e == 0 {
        acc.remove(k);
    }
}

fn bump<K: Ord>(m: &mut BTreeMap<K, usize>, k: K, up: bool) {
    if up {
        *m.entry(k).or_insert(0) += 1;
    } else if let Some(c) = m.get_mut(&k) {
        *c -= 1;
        if *c == 0 {
            m.remove(&k);
        }
    }
}

static EMPTY_RESOURCES: Resources = BTreeMap::new();

impl NodeInfo {
    /// An info for `node` with no pods.
    pub fn new(node: &Node) -> NodeInfo {
        let mut info = NodeInfo::default();
        info.set_node(node);
        info
    }

    /// Records the node: labels, taints and allocatable resources (parsed once here, not per
    /// scheduling decision).
    pub fn set_node(&mut self, node: &Node) {
        self.node = Some(NodeFacts::new(node));
    }

    /// Adds (or replaces, by `namespace/name`) a pod bound or assumed on this node. A pod in
    /// phase `Succeeded`/`Failed` is not counted (an older live version of it is removed).
    pub fn add(&mut self, pod: PodInfo) {
        let key = pod.key();
        self.remove(&key);
        if pod.terminal {
            return;
        }
        let pod = pod.into_stored();
        self.account(&pod, true);
        self.pods.insert(key, pod);
    }

    /// Removes the pod stored under `key` (`namespace/name`), subtracting what it
    /// contributed. Returns whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        match self.pods.remove(key) {
            Some(old) => {
                self.account(&old, false);
                true
            }
            None => false,
        }
    }

    /// Whether a pod is stored under `key` (`namespace/name`).
    pub fn contains(&self, key: &str) -> bool {
        self.pods.contains_key(key)
    }

    /// [`NodeInfo::add`] for a typed pod.
    pub fn add_pod(&mut self, pod: &Pod) {
        self.add(PodInfo::from_pod(pod));
    }

    /// Removes the pod with this pod's `namespace/name`, subtracting what the stored version
    /// contributed (so any version of the pod may be passed). Returns whether it was there.
    pub fn remove_pod(&mut self, pod: &Pod) -> bool {
        self.remove(&pod_key(pod))
    }

    fn account(&mut self, pod: &PodInfo, up: bool) {
        for (k, v) in &pod.requests {
            merge_one(&mut self.requested, k, *v, up);
            if k != "cpu" && k != "memory" {
                merge_one(&mut self.non_zero_requested, k, *v, up);
            }
        }
        merge_one(&mut self.non_zero_requested, "cpu", pod.nz_cpu, up);
        merge_one(&mut self.non_zero_requested, "memory", pod.nz_memory, up);
        self.req_cpu = amount(&self.requested, "cpu");
        self.req_memory = amount(&self.requested, "memory");
        self.req_ephemeral = amount(&self.requested, "ephemeral-storage");
        self.nz_cpu = amount(&self.non_zero_requested, "cpu");
        self.nz_memory = amount(&self.non_zero_requested, "memory");
        for (ip, proto, port) in &pod.ports {
            bump(&mut self.host_ports, (*port, proto.clone(), ip.clone()), up);
        }
        if !pod.deleting
            && let Some(k) = &pod.owner_key
        {
            if up {
                match self.owners.get_mut(k) {
                    Some(c) => *c += 1,
                    None => {
                        self.owners.insert(k.clone(), 1);
                    }
                }
            } else if let Some(c) = self.owners.get_mut(k) {
                *c -= 1;
                if *c == 0 {
                    self.owners.remove(k);
                }
            }
        }
        bump(&mut self.priorities, pod.priority, up);
        if !pod.anti_affinity_terms.is_empty() {
            if up {
                self.anti_affinity_pods += 1;
            } else {
                self.anti_affinity_pods -= 1;
            }
        }
    }

    /// The node's allocatable resources as of the last [`NodeInfo::set_node`] (empty before).
    pub fn allocatable(&self) -> &Resources {
        self.node
            .as_ref()
            .map_or(&EMPTY_RESOURCES, |n| &n.allocatable)
    }

    /// Sum of the live pods' requests (`pod_requests(p, false)`), as NodeResourcesFit filters.
    pub fn requested(&self) -> &Resources {
        &self.requested
    }

    /// Sum of the live pods' non-zero requests (`pod_requests(p, true)`), as the scorers use.
    pub fn non_zero_requested(&self) -> &Resources {
        &self.non_zero_requested
    }

    /// Number of live pods on the node.
    pub fn pod_count(&self) -> usize {
        self.pods.len()
    }

    /// The live pods (as the info keeps them), in `namespace/name` order.
    pub fn pods(&self) -> impl Iterator<Item = &PodInfo> {
        self.pods.values()
    }

    /// The host ports in use, with how many pods use each.
    pub fn host_ports(&self) -> &BTreeMap<HostPort, usize> {
        &self.host_ports
    }

    /// How many live, not-being-deleted pods in `namespace` have the controller owner `uid`.
    pub fn owner_pod_count(&self, namespace: &str, uid: &str) -> usize {
        self.owners
            .get(&OwnerKey::new(format!("{namespace}/{uid}")))
            .copied()
            .unwrap_or(0)
    }

    /// Live pods with a priority lower than `priority` (preemption candidates).
    fn lower_priority_pods(&self, priority: i32) -> usize {
        self.priorities.range(..priority).map(|(_, c)| c).sum()
    }

    /// A copy of the pod aggregates holding only the pods with at least `priority` (the
    /// preemption dry run; the node itself is not copied).
    fn without_lower_priority(&self, priority: i32) -> NodeInfo {
        let mut out = NodeInfo::default();
        for p in self.pods.values().filter(|p| p.priority >= priority) {
            out.add(p.clone());
        }
        out
    }
}

/// Builds the [`NodeInfo`]s [`schedule_cached`] needs from scratch: one per key of
/// `pods_on_nodes` (with its pods) and one per node (with the node). Pods listed twice on one
/// node under the same `namespace/name` count once.
pub fn build_node_infos(
    nodes: &[&Node],
    pods_on_nodes: &BTreeMap<String, Vec<&Pod>>,
) -> BTreeMap<String, NodeInfo> {
    let mut infos: BTreeMap<String, NodeInfo> = BTreeMap::new();
    for (name, pods) in pods_on_nodes {
        let info = infos.entry(name.clone()).or_default();
        for p in pods {
            info.add_pod(p);
        }
    }
    for n in nodes {
        infos
            .entry(n.metadata.name.clone().unwrap_or_default())
            .or_default()
            .set_node(n);
    }
    infos
}

// ---------------------------------------------------------------------------------------------
// Filtering
// ---------------------------------------------------------------------------------------------

/// The outcome of the filters on one node.
struct NodeStatus {
    reasons: Vec<String>,
    unresolvable: bool,
}

fn fail(reason: &str, unresolvable: bool) -> Option<NodeStatus> {
    Some(NodeStatus {
        reasons: vec![reason.to_string()],
        unresolvable,
    })
}

fn affinity_term_matches(term: &PodAffinityTerm, owner: &PodInfo, other: &PodInfo) -> bool {
    let ns_ok = match &term.namespaces {
        Some(nss) if !nss.is_empty() => nss.iter().any(|n| n == other.namespace()),
        _ => term.namespace_selector.is_some() || owner.namespace() == other.namespace(),
    };
    if !ns_ok {
        return false;
    }
    term.label_selector
        .as_ref()
        .is_some_and(|s| label_selector_matches(s, other.labels()))
}

/// A node considered for the pod: what is known of the node and of its pods.
#[derive(Clone, Copy)]
struct Candidate<'a> {
    node: &'a NodeFacts,
    info: &'a NodeInfo,
}

/// The whole cluster as the InterPodAffinity filter sees it.
struct Cluster<'a> {
    candidates: &'a [Candidate<'a>],
    /// The candidates by name, built on first use (only pod (anti-)affinity needs it).
    nodes: OnceCell<BTreeMap<&'a str, &'a NodeFacts>>,
    infos: &'a BTreeMap<String, NodeInfo>,
    /// The preemption dry run: this node's info stands in for the cached one.
    replaced: Option<(&'a str, &'a NodeInfo)>,
}

impl<'a> Cluster<'a> {
    fn new(
        candidates: &'a [Candidate<'a>],
        infos: &'a BTreeMap<String, NodeInfo>,
        replaced: Option<(&'a str, &'a NodeInfo)>,
    ) -> Cluster<'a> {
        Cluster {
            candidates,
            nodes: OnceCell::new(),
            infos,
            replaced,
        }
    }

    /// Every node info (including nodes not in the node list), with the replacement applied.
    fn infos(&self) -> impl Iterator<Item = (&'a str, &'a NodeInfo)> + '_ {
        self.infos.iter().map(|(n, i)| match self.replaced {
            Some((r, ri)) if r == n => (n.as_str(), ri),
            _ => (n.as_str(), i),
        })
    }

    fn topology_value(&self, node: &str, key: &str) -> Option<&'a str> {
        self.nodes
            .get_or_init(|| {
                self.candidates
                    .iter()
                    .map(|c| (c.node.name(), c.node))
                    .collect()
            })
            .get(node)
            .and_then(|n| n.labels.get(key))
            .map(String::as_str)
    }

    /// Live pods in the same topology domain (`key` = value of `node`). O(nodes + pods).
    fn pods_in_domain(&self, node: &NodeFacts, key: &str) -> Vec<&'a PodInfo> {
        let Some(val) = node.labels.get(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, info) in self.infos() {
            if self.topology_value(name, key) == Some(val.as_str()) {
                out.extend(info.pods.values());
            }
        }
        out
    }

    /// Existing pods with required anti-affinity terms, with their node. O(nodes) plus the
    /// pods of the nodes that hold such pods (normally none).
    fn existing_anti_affinity(&self) -> Vec<(&'a str, &'a PodInfo)> {
        let mut out = Vec::new();
        for (name, info) in self.infos().filter(|(_, i)| i.anti_affinity_pods > 0) {
            out.extend(
                info.pods
                    .values()
                    .filter(|p| !p.anti_affinity_terms.is_empty())
                    .map(|p| (name, p)),
            );
        }
        out
    }
}

fn inter_pod_affinity(
    pod: &PodInfo,
    node: &NodeFacts,
    cluster: &Cluster,
    existing_anti: &[(&str, &PodInfo)],
) -> Option<NodeStatus> {
    for t in &pod.affinity_terms {
        let in_domain = cluster.pods_in_domain(node, &t.topology_key);
        if !in_domain.iter().any(|p| affinity_term_matches(t, pod, p)) {
            // A pod matching its own term may go first anywhere the topology key exists,
            // provided no pod anywhere matches yet (the "first pod of a group" rule).
            let any_anywhere = cluster
                .infos()
                .flat_map(|(_, i)| i.pods.values())
                .any(|p| affinity_term_matches(t, pod, p));
            let self_match = affinity_term_matches(t, pod, pod);
            let has_key = node.labels.contains_key(&t.topology_key);
            if !(self_match && !any_anywhere && has_key) {
                return fail(REASON_POD_AFFINITY, true);
            }
        }
    }
    for t in &pod.anti_affinity_terms {
        let in_domain = cluster.pods_in_domain(node, &t.topology_key);
        if in_domain.iter().any(|p| affinity_term_matches(t, pod, p)) {
            return fail(REASON_POD_ANTI_AFFINITY, false);
        }
    }
    // Existing pods' required anti-affinity against the incoming pod.
    for (other_node, other) in existing_anti {
        for t in &other.anti_affinity_terms {
            let same_domain = match (
                cluster.topology_value(other_node, &t.topology_key),
                node.labels.get(&t.topology_key),
            ) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            };
            if same_domain && affinity_term_matches(t, other, pod) {
                return fail(REASON_EXISTING_ANTI_AFFINITY, false);
            }
        }
    }
    None
}

/// Runs the filters in the default order; `None` means the node fits.
fn filter_node(
    pod: &PodInfo,
    node: &NodeFacts,
    info: &NodeInfo,
    cluster: &Cluster,
    existing_anti: &[(&str, &PodInfo)],
) -> Option<NodeStatus> {
    // NodeUnschedulable
    if node.unschedulable && !pod.tolerates_unschedulable {
        return fail(REASON_UNSCHEDULABLE, true);
    }
    // NodeName
    if let Some(n) = &pod.node_name
        && n != node.name()
    {
        return fail(REASON_NODE_NAME, true);
    }
    // TaintToleration
    if let Some(t) = node
        .hard_taints
        .iter()
        .find(|t| !tolerated(&pod.tolerations, t))
    {
        let msg = format!(
            "node(s) had untolerated taint {{{}: {}}}",
            t.key,
            t.value.as_deref().unwrap_or("")
        );
        return fail(&msg, true);
    }
    // NodeAffinity
    if (pod.node_selector.is_some() || pod.node_affinity.is_some())
        && !node_affinity_allows(
            pod.node_selector.as_ref(),
            pod.node_affinity.as_ref(),
            &node.labels,
            node.name.as_deref(),
        )
    {
        return fail(REASON_NODE_AFFINITY, true);
    }
    // NodePorts
    if !pod.ports.is_empty() && ports_conflict(&pod.ports, &info.host_ports) {
        return fail(REASON_NODE_PORTS, false);
    }
    // NodeResourcesFit
    if let Some(st) = fit_status(pod, node, info) {
        return Some(st);
    }
    // InterPodAffinity
    if pod.affinity_terms.is_empty()
        && pod.anti_affinity_terms.is_empty()
        && existing_anti.is_empty()
    {
        return None;
    }
    inter_pod_affinity(pod, node, cluster, existing_anti)
}

fn fit_status(pod: &PodInfo, node: &NodeFacts, info: &NodeInfo) -> Option<NodeStatus> {
    let mut reasons = Vec::new();
    let mut unresolvable = false;
    if info.pods.len() as i128 + 1 > node.alloc_pods {
        reasons.push("Too many pods".to_string());
    }
    for (r, want) in &pod.fit {
        // Native resources the node does not list count as 0; extended ones must be listed.
        let (cap, in_use) = match r {
            Res::Cpu => (node.alloc_cpu, info.req_cpu),
            Res::Memory => (node.alloc_memory, info.req_memory),
            Res::EphemeralStorage => (node.alloc_ephemeral, info.req_ephemeral),
            Res::Other(k) => (amount(&node.allocatable, k), amount(&info.requested, k)),
        };
        if *want > cap.saturating_sub(in_use) {
            reasons.push(format!("Insufficient {}", r.name()));
            if *want > cap {
                unresolvable = true;
            }
        }
    }
    if reasons.is_empty() {
        None
    } else {
        Some(NodeStatus {
            reasons,
            unresolvable,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/// `a / b`, truncating, without the slow 128-bit division when both fit in 64 bits.
fn div(a: i128, b: i128) -> i128 {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(x), Ok(y)) if y != -1 => i128::from(x / y),
        _ => a / b,
    }
}

/// NodeResourcesFit `LeastAllocated` over cpu and memory: `(cap, in use, wanted)` each.
fn least_allocated(resources: [(i128, i128, i128); 2]) -> i64 {
    let mut score = 0i128;
    let mut weights = 0i128;
    for (cap, used, want) in resources {
        if cap == 0 {
            continue;
        }
        let requested = used.saturating_add(want);
        let s = if requested > cap {
            0
        } else {
            div(
                (cap - requested).saturating_mul(i128::from(MAX_NODE_SCORE)),
                cap,
            )
        };
        score += s;
        weights += 1;
    }
    if weights == 0 {
        0
    } else {
        (score / weights) as i64
    }
}

/// NodeResourcesBalancedAllocation over cpu and memory: `(cap, in use, wanted)` each.
fn balanced_allocation(resources: [(i128, i128, i128); 2]) -> i64 {
    let mut fractions = [0f64; 2];
    let mut n = 0;
    for (cap, used, want) in resources {
        if cap == 0 {
            continue;
        }
        let requested = used.saturating_add(want);
        fractions[n] = (requested as f64 / cap as f64).min(1.0);
        n += 1;
    }
    let std = if n == 2 {
        ((fractions[0] - fractions[1]) / 2.0).abs()
    } else {
        0.0
    };
    ((1.0 - std) * MAX_NODE_SCORE as f64) as i64
}

/// `helper.DefaultNormalizeScore`: scale to 0–100 by the maximum (optionally reversed).
fn normalize(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0);
    if max == 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = MAX_NODE_SCORE);
        }
        return;
    }
    for s in scores.iter_mut() {
        let mut v = MAX_NODE_SCORE * *s / max;
        if reverse {
            v = MAX_NODE_SCORE - v;
        }
        *s = v;
    }
}

fn preferred_affinity_score(pod: &PodInfo, node: &NodeFacts) -> i64 {
    pod.node_affinity
        .as_ref()
        .and_then(|na| {
            na.preferred_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .map(|terms| {
            terms
                .iter()
                .filter(|t| term_matches(&t.preference, &node.labels, node.name.as_deref()))
                .map(|t| i64::from(t.weight))
                .sum()
        })
        .unwrap_or(0)
}

/// The total scores of the feasible nodes, in their order.
fn score_nodes(pod: &PodInfo, feasible: &[Candidate]) -> Vec<i64> {
    let (cpu, memory) = (pod.cpu(), pod.memory());
    let best_effort = cpu == 0 && memory == 0;
    let n = feasible.len();
    let mut total = Vec::with_capacity(n);
    let mut taint = Vec::with_capacity(n);
    let mut affinity = Vec::with_capacity(n);
    let mut spread = Vec::with_capacity(if pod.owner_key.is_some() { n } else { 0 });
    let domains = n as f64;
    let spread_weight = (domains + 2.0).ln();
    for Candidate { node, info } in feasible {
        let fit = least_allocated([
            (node.alloc_cpu, info.nz_cpu, pod.nz_cpu),
            (node.alloc_memory, info.nz_memory, pod.nz_memory),
        ]);
        let balanced = if best_effort {
            0
        } else {
            balanced_allocation([
                (node.alloc_cpu, info.req_cpu, cpu),
                (node.alloc_memory, info.req_memory, memory),
            ])
        };
        total.push(fit + balanced);
        taint.push(
            node.soft_taints
                .iter()
                .filter(|t| !tolerated(&pod.tolerations, t))
                .count() as i64,
        );
        affinity.push(preferred_affinity_score(pod, node));
        if let Some(key) = &pod.owner_key {
            let cnt = info.owners.get(key).copied().unwrap_or(0) as f64;
            // scoreForCount(cnt, maxSkew=3, weight) = cnt*weight + (maxSkew-1)
            let s = if node.has_hostname {
                cnt * spread_weight + 2.0
            } else {
                0.0
            };
            spread.push(s.round() as i64);
        }
    }
    normalize(&mut taint, true);
    normalize(&mut affinity, false);
    if pod.owner_key.is_some() {
        let min = spread.iter().copied().min().unwrap_or(0);
        let max = spread.iter().copied().max().unwrap_or(0);
        for s in spread.iter_mut() {
            *s = if max == 0 {
                MAX_NODE_SCORE
            } else {
                MAX_NODE_SCORE * (max + min - *s) / max
            };
        }
    }
    for (i, t) in total.iter_mut().enumerate() {
        *t += 3 * taint[i] + 2 * affinity[i] + 2 * spread.get(i).copied().unwrap_or(0);
    }
    total
}

// ---------------------------------------------------------------------------------------------
// The entry points
// ---------------------------------------------------------------------------------------------

/// Chooses a node for `pod` (filters, then scores; ties go to the first node name) or returns
/// the `FailedScheduling` message exactly as kube-scheduler 1.33 words it.
///
/// `pods_on_nodes` maps a node name to the pods bound (or assumed) there; terminal pods are
/// ignored. Nodes are considered in name order whatever the order of `nodes`.
///
/// This builds the [`NodeInfo`]s from scratch (O(pods)) and calls [`schedule_cached`]; a
/// caller scheduling many pods should keep the infos itself.
pub fn schedule(
    pod: &Pod,
    nodes: &[&Node],
    pods_on_nodes: &BTreeMap<String, Vec<&Pod>>,
) -> Result<String, String> {
    let infos = build_node_infos(nodes, pods_on_nodes);
    schedule_cached(pod, nodes, &infos)
}

/// [`schedule`] over cached [`NodeInfo`]s for their pods (by node name; a node without an
/// info counts as empty). The nodes themselves are taken from `nodes`, parsed on every call
/// (whatever [`NodeInfo::set_node`] saw); infos of names not in `nodes` only matter to pod
/// (anti-)affinity, as in `schedule`. A caller that keeps every info's node current should
/// call [`schedule_prepared`], which parses nothing.
pub fn schedule_cached(
    pod: &Pod,
    nodes: &[&Node],
    infos: &BTreeMap<String, NodeInfo>,
) -> Result<String, String> {
    let mut sorted: Vec<&Node> = nodes.to_vec();
    sorted.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let facts: Vec<NodeFacts> = sorted.iter().map(|n| NodeFacts::new(n)).collect();
    let empty = NodeInfo::default();
    let candidates: Vec<Candidate> = facts
        .iter()
        .map(|node| Candidate {
            node,
            info: infos.get(node.name()).unwrap_or(&empty),
        })
        .collect();
    decide(&PodInfo::from_pod(pod), &candidates, infos)
}

/// The scheduler's decision for `pod` over the nodes the infos hold (those that saw
/// [`NodeInfo::set_node`]; the others only carry pods for pod (anti)-affinity), in name
/// order: the node's name, or the `FailedScheduling` message. Identical to [`schedule_cached`]
/// when every info's node is current.
///
/// Cost: O(nodes) with small constants (running sums, parsed nodes, a hashed owner count);
/// these paths stay O(pods):
/// - the pod itself has required pod affinity or anti-affinity (each term scans the pods of
///   the topology domain, per node);
/// - existing pods with required anti-affinity: only those pods are scanned, per node;
/// - no node fits and some failing node holds pods of lower priority than the pod (the
///   preemption dry run rebuilds that node's aggregates from its pods).
///
/// Timing: see the ignored test `timing_100_nodes_10k_pods`.
pub fn schedule_prepared(
    pod: &PodInfo,
    infos: &BTreeMap<String, NodeInfo>,
) -> Result<String, String> {
    let mut candidates: Vec<Candidate> = Vec::with_capacity(infos.len());
    candidates.extend(
        infos
            .values()
            .filter_map(|info| info.node.as_ref().map(|node| Candidate { node, info })),
    );
    decide(pod, &candidates, infos)
}

/// Whether `pod` passes every filter on the node `name` as the cache holds the cluster now:
/// what the queueing hints of a 1.33 scheduler ask before a cluster event moves an
/// unschedulable pod back to the active queue.
pub fn fits_node(pod: &PodInfo, name: &str, infos: &BTreeMap<String, NodeInfo>) -> bool {
    let candidates: Vec<Candidate> = infos
        .values()
        .filter_map(|info| info.node.as_ref().map(|node| Candidate { node, info }))
        .collect();
    let Some(c) = candidates.iter().find(|c| c.node.name() == name) else {
        return false;
    };
    let cluster = Cluster::new(&candidates, infos, None);
    let existing_anti = cluster.existing_anti_affinity();
    filter_node(pod, c.node, c.info, &cluster, &existing_anti).is_none()
}

impl NodeInfo {
    /// Whether `node` differs from the node last recorded in what the filters read (labels,
    /// taints, unschedulable, allocatable): a status write that only moves heartbeats or lists
    /// images does not.
    pub fn node_differs(&self, node: &Node) -> bool {
        self.node.as_ref() != Some(&NodeFacts::new(node))
    }
}

/// Filters, scores and the failure message over `candidates` (in name order).
fn decide(
    pod: &PodInfo,
    candidates: &[Candidate],
    infos: &BTreeMap<String, NodeInfo>,
) -> Result<String, String> {
    if candidates.is_empty() {
        return Err(NO_NODES_AVAILABLE.to_string());
    }
    let cluster = Cluster::new(candidates, infos, None);
    let existing_anti = cluster.existing_anti_affinity();
    let mut feasible: Vec<Candidate> = Vec::with_capacity(candidates.len());
    let mut statuses: Vec<(Candidate, NodeStatus)> = Vec::new();
    for c in candidates {
        match filter_node(pod, c.node, c.info, &cluster, &existing_anti) {
            None => feasible.push(*c),
            Some(st) => statuses.push((*c, st)),
        }
    }
    if !feasible.is_empty() {
        let scores = score_nodes(pod, &feasible);
        let mut best = 0;
        for (i, s) in scores.iter().enumerate() {
            if *s > scores[best] {
                best = i;
            }
        }
        return Ok(feasible[best].node.name().to_string());
    }
    let n = candidates.len();
    let mut msg = format!(
        "0/{n} nodes are available: {}.",
        histogram(statuses.iter().flat_map(|(_, s)| s.reasons.iter().cloned()))
    );
    if pod.preemption_never {
        msg.push_str(" preemption: not eligible due to preemptionPolicy=Never.");
        return Err(msg);
    }
    let mut post = Vec::new();
    for (c, st) in &statuses {
        if st.unresolvable {
            post.push(PREEMPTION_NOT_HELPFUL.to_string());
            continue;
        }
        if c.info.lower_priority_pods(pod.priority) == 0 {
            post.push(PREEMPTION_NO_VICTIMS.to_string());
            continue;
        }
        // Victims exist: report what still fails without them (a real cluster would preempt
        // when nothing fits; see the module docs).
        let reduced = c.info.without_lower_priority(pod.priority);
        let reduced_cluster = Cluster::new(candidates, infos, Some((c.node.name(), &reduced)));
        let anti = reduced_cluster.existing_anti_affinity();
        match filter_node(pod, c.node, &reduced, &reduced_cluster, &anti) {
            Some(s) => post.extend(s.reasons),
            None => post.push(PREEMPTION_NO_VICTIMS.to_string()),
        }
    }
    msg.push_str(&format!(
        " preemption: 0/{n} nodes are available: {}.",
        histogram(post.into_iter())
    ));
    Err(msg)
}

/// `"<count> <reason>"` per distinct reason, sorted as strings, joined by `", "`.
fn histogram(reasons: impl Iterator<Item = String>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in reasons {
        *counts.entry(r).or_insert(0) += 1;
    }
    let mut parts: Vec<String> = counts.iter().map(|(r, c)| format!("{c} {r}")).collect();
    parts.sort();
    parts.join(", ")
}

/// The distinct node names that currently hold pods matching `selector` in `namespace`;
/// a helper for callers that want to explain spreading.
pub fn nodes_with_matching_pods(
    pods_on_nodes: &BTreeMap<String, Vec<&Pod>>,
    namespace: &str,
    selector: &LabelSelector,
) -> BTreeSet<String> {
    pods_on_nodes
        .iter()
        .filter(|(_, pods)| {
            pods.iter().any(|p| {
                p.metadata.namespace.as_deref().unwrap_or("default") == namespace
                    && label_selector_matches(
                        selector,
                        p.metadata.labels.as_ref().unwrap_or(&EMPTY_LABELS),
                    )
            })
        })
        .map(|(n, _)| n.clone())
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{
        ContainerPort, NodeAffinity, NodeSelector, NodeSpec, NodeStatus as KNodeStatus, PodSpec,
        PodStatus, ResourceRequirements,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

    #[test]
    fn quantities() {
        let cases: &[(&str, Option<i128>, Option<i128>)] = &[
            ("100m", Some(1), Some(100)),
            ("0.5", Some(1), Some(500)),
            ("2", Some(2), Some(2000)),
            ("64Mi", Some(67_108_864), Some(67_108_864_000)),
            ("1G", Some(1_000_000_000), Some(1_000_000_000_000)),
            ("128974848", Some(128_974_848), Some(128_974_848_000)),
            ("1e3", Some(1000), Some(1_000_000)),
            ("1E3", Some(1000), Some(1_000_000)),
            ("1.5Gi", Some(1_610_612_736), Some(1_610_612_736_000)),
            ("129e6", Some(129_000_000), Some(129_000_000_000)),
            ("123Mi", Some(128_974_848), Some(128_974_848_000)),
            ("1k", Some(1000), Some(1_000_000)),
            ("1Ki", Some(1024), Some(1_024_000)),
            ("250m", Some(1), Some(250)),
            ("1n", Some(1), Some(1)),
            ("0", Some(0), Some(0)),
            ("-1", Some(-1), Some(-1000)),
            (".5", Some(1), Some(500)),
            ("", None, None),
            ("abc", None, None),
            ("1Qi", None, None),
            ("1e", None, None),
            ("m", None, None),
        ];
        for (s, v, mv) in cases {
            assert_eq!(parse_quantity(s), *v, "value of {s:?}");
            assert_eq!(parse_quantity_milli(s), *mv, "milli of {s:?}");
        }
    }

    fn node(name: &str, cpu: &str, mem: &str) -> Node {
        let alloc: BTreeMap<String, Quantity> = [
            ("cpu".to_string(), Quantity(cpu.into())),
            ("memory".to_string(), Quantity(mem.into())),
            ("pods".to_string(), Quantity("110".into())),
        ]
        .into();
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: Some([("kubernetes.io/hostname".to_string(), name.to_string())].into()),
                ..Default::default()
            },
            spec: Some(NodeSpec::default()),
            status: Some(KNodeStatus {
                allocatable: Some(alloc.clone()),
                capacity: Some(alloc),
                ..Default::default()
            }),
        }
    }

    fn control_plane() -> Node {
        let mut n = node("kind-control-plane", "4", "8Gi");
        n.spec.as_mut().unwrap().taints = Some(vec![Taint {
            key: "node-role.kubernetes.io/control-plane".into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        }]);
        n
    }

    fn pod(name: &str, cpu: Option<&str>, mem: Option<&str>) -> Pod {
        let mut reqs = BTreeMap::new();
        if let Some(c) = cpu {
            reqs.insert("cpu".to_string(), Quantity(c.into()));
        }
        if let Some(m) = mem {
            reqs.insert("memory".to_string(), Quantity(m.into()));
        }
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "c".into(),
                    image: Some("nginx".into()),
                    resources: Some(ResourceRequirements {
                        requests: if reqs.is_empty() { None } else { Some(reqs) },
                        ..Default::default()
                    }),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            status: None,
        }
    }

    fn kind_cluster() -> Vec<Node> {
        vec![
            control_plane(),
            node("kind-worker", "4", "8Gi"),
            node("kind-worker2", "4", "8Gi"),
        ]
    }

    #[test]
    fn insufficient_cpu_message() {
        let nodes = kind_cluster();
        let refs: Vec<&Node> = nodes.iter().collect();
        let p = pod("big", Some("5"), None);
        let err = schedule(&p, &refs, &BTreeMap::new()).unwrap_err();
        assert_eq!(
            err,
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        );
    }

    #[test]
    fn insufficient_cpu_resolvable_message() {
        let nodes = kind_cluster();
        let refs: Vec<&Node> = nodes.iter().collect();
        let filler = pod("filler", Some("3"), Some("100Mi"));
        let mut m = BTreeMap::new();
        m.insert("kind-worker".to_string(), vec![&filler]);
        m.insert("kind-worker2".to_string(), vec![&filler]);
        let p = pod("p", Some("2"), Some("10Gi"));
        let err = schedule(&p, &refs, &m).unwrap_err();
        assert_eq!(
            err,
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu, 2 Insufficient memory. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
        );
        let p = pod("p", Some("2"), Some("1Gi"));
        let err = schedule(&p, &refs, &m).unwrap_err();
        assert_eq!(
            err,
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
    }

    #[test]
    fn terminal_pods_do_not_count() {
        let nodes = [node("w", "1", "1Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut done = pod("done", Some("1"), None);
        done.status = Some(PodStatus {
            phase: Some("Succeeded".into()),
            ..Default::default()
        });
        let m = BTreeMap::from([("w".to_string(), vec![&done])]);
        assert_eq!(
            schedule(&pod("p", Some("1"), None), &refs, &m),
            Ok("w".into())
        );
    }

    #[test]
    fn unschedulable_and_selector_messages() {
        let mut a = node("a", "4", "8Gi");
        a.spec.as_mut().unwrap().unschedulable = Some(true);
        let b = node("b", "4", "8Gi");
        let nodes = [a, b];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut p = pod("p", None, None);
        p.spec.as_mut().unwrap().node_selector =
            Some([("disk".to_string(), "ssd".to_string())].into());
        let err = schedule(&p, &refs, &BTreeMap::new()).unwrap_err();
        assert_eq!(
            err,
            "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        );
    }

    #[test]
    fn node_affinity_required() {
        let mut a = node("a", "4", "8Gi");
        a.metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("zone".into(), "east".into());
        let b = node("b", "4", "8Gi");
        let nodes = [a, b];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut p = pod("p", None, None);
        p.spec.as_mut().unwrap().affinity = Some(k8s_openapi::api::core::v1::Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: vec![NodeSelectorTerm {
                        match_expressions: Some(vec![NodeSelectorRequirement {
                            key: "zone".into(),
                            operator: "In".into(),
                            values: Some(vec!["east".into()]),
                        }]),
                        ..Default::default()
                    }],
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(schedule(&p, &refs, &BTreeMap::new()), Ok("a".into()));
    }

    #[test]
    fn too_many_pods_and_ports() {
        let mut n = node("w", "4", "8Gi");
        n.status
            .as_mut()
            .unwrap()
            .allocatable
            .as_mut()
            .unwrap()
            .insert("pods".into(), Quantity("1".into()));
        let nodes = [n];
        let refs: Vec<&Node> = nodes.iter().collect();
        let existing = pod("e", None, None);
        let m = BTreeMap::from([("w".to_string(), vec![&existing])]);
        assert_eq!(
            schedule(&pod("p", None, None), &refs, &m).unwrap_err(),
            "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        );
        let nodes = [node("w", "4", "8Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut with_port = pod("e", None, None);
        with_port.spec.as_mut().unwrap().containers[0].ports = Some(vec![ContainerPort {
            container_port: 80,
            host_port: Some(8080),
            ..Default::default()
        }]);
        let m = BTreeMap::from([("w".to_string(), vec![&with_port])]);
        assert_eq!(
            schedule(&with_port, &refs, &m).unwrap_err(),
            "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
        );
    }

    #[test]
    fn tolerations_and_no_nodes() {
        let nodes = [control_plane()];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut p = pod("p", None, None);
        p.spec.as_mut().unwrap().tolerations = Some(vec![Toleration {
            key: Some("node-role.kubernetes.io/control-plane".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        }]);
        assert_eq!(
            schedule(&p, &refs, &BTreeMap::new()),
            Ok("kind-control-plane".into())
        );
        assert_eq!(
            schedule(&p, &[], &BTreeMap::new()),
            Err(NO_NODES_AVAILABLE.into())
        );
        let mut never = pod("p", Some("100"), None);
        never.spec.as_mut().unwrap().preemption_policy = Some("Never".into());
        let nodes = [node("w", "4", "8Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        assert_eq!(
            schedule(&never, &refs, &BTreeMap::new()).unwrap_err(),
            "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
        );
    }

    #[test]
    fn replicaset_pods_spread_over_workers() {
        let nodes = kind_cluster();
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut placed: Vec<Pod> = Vec::new();
        let mut chosen = Vec::new();
        for i in 0..4 {
            let mut p = pod(&format!("web-{i}"), None, None);
            p.metadata.owner_references = Some(vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "ReplicaSet".into(),
                name: "web".into(),
                uid: "rs-uid".into(),
                controller: Some(true),
                ..Default::default()
            }]);
            let mut m: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
            for q in &placed {
                m.entry(q.spec.as_ref().unwrap().node_name.clone().unwrap())
                    .or_default()
                    .push(q);
            }
            let n = schedule(&p, &refs, &m).unwrap();
            chosen.push(n.clone());
            p.spec.as_mut().unwrap().node_name = Some(n);
            placed.push(p);
        }
        assert_eq!(
            chosen,
            ["kind-worker", "kind-worker2", "kind-worker", "kind-worker2"]
        );
    }

    #[test]
    fn least_allocated_prefers_emptier_node() {
        let nodes = [node("a", "4", "8Gi"), node("b", "4", "8Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        let heavy = pod("h", Some("2"), Some("2Gi"));
        let m = BTreeMap::from([("a".to_string(), vec![&heavy])]);
        assert_eq!(
            schedule(&pod("p", Some("100m"), None), &refs, &m),
            Ok("b".into())
        );
    }

    #[test]
    fn pod_anti_affinity() {
        use k8s_openapi::api::core::v1::{Affinity, PodAntiAffinity};
        let nodes = [node("a", "4", "8Gi"), node("b", "4", "8Gi")];
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut p = pod("p", None, None);
        p.metadata.labels = Some([("app".to_string(), "x".to_string())].into());
        p.spec.as_mut().unwrap().affinity = Some(Affinity {
            pod_anti_affinity: Some(PodAntiAffinity {
                required_during_scheduling_ignored_during_execution: Some(vec![PodAffinityTerm {
                    label_selector: Some(LabelSelector {
                        match_labels: Some([("app".to_string(), "x".to_string())].into()),
                        ..Default::default()
                    }),
                    topology_key: "kubernetes.io/hostname".into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        });
        let m = BTreeMap::from([("a".to_string(), vec![&p]), ("b".to_string(), vec![&p])]);
        assert_eq!(
            schedule(&p, &refs, &m).unwrap_err(),
            "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
        );
        let m = BTreeMap::from([("a".to_string(), vec![&p])]);
        assert_eq!(schedule(&p, &refs, &m), Ok("b".into()));
    }

    #[test]
    fn histogram_sorts_as_strings() {
        let r = vec!["b".to_string(); 10]
            .into_iter()
            .chain(["a".to_string(), "a".to_string()]);
        assert_eq!(histogram(r), "10 b, 2 a");
    }

    // -----------------------------------------------------------------------------------------
    // Randomized (deterministic) clusters: the cached path against from-scratch infos.
    // -----------------------------------------------------------------------------------------

    /// A small deterministic PRNG (xorshift64*).
    pub(crate) struct Rng(u64);

    impl Rng {
        pub(crate) fn new(seed: u64) -> Rng {
            Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }
        fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
            &xs[self.below(xs.len())]
        }
    }

    fn qmap(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
            .collect()
    }

    /// Nodes with mixed sizes, zones, taints (NoSchedule, PreferNoSchedule), an unschedulable
    /// one, one without a hostname label and an extended resource on some.
    pub(crate) fn random_nodes(rng: &mut Rng, count: usize) -> Vec<Node> {
        (0..count)
            .map(|i| {
                let name = format!("n{i:02}");
                let cpu = *rng.pick(&["2", "4", "8"]);
                let mem = *rng.pick(&["4Gi", "8Gi"]);
                let mut n = node(&name, cpu, mem);
                let status = n.status.as_mut().unwrap();
                let alloc = status.allocatable.as_mut().unwrap();
                alloc.insert("pods".into(), Quantity(rng.pick(&["8", "110"]).to_string()));
                if rng.chance(25) {
                    alloc.insert("example.com/gpu".into(), Quantity("2".into()));
                }
                let labels = n.metadata.labels.as_mut().unwrap();
                labels.insert("zone".into(), rng.pick(&["a", "b", "c"]).to_string());
                if rng.chance(40) {
                    labels.insert("disk".into(), "ssd".into());
                }
                if i == 5 {
                    labels.remove("kubernetes.io/hostname");
                }
                let spec = n.spec.as_mut().unwrap();
                let mut taints = Vec::new();
                if rng.chance(15) {
                    taints.push(Taint {
                        key: "dedicated".into(),
                        value: Some("gpu".into()),
                        effect: "NoSchedule".into(),
                        ..Default::default()
                    });
                }
                if rng.chance(20) {
                    taints.push(Taint {
                        key: "soft".into(),
                        effect: "PreferNoSchedule".into(),
                        ..Default::default()
                    });
                }
                if !taints.is_empty() {
                    spec.taints = Some(taints);
                }
                if i == 3 {
                    spec.unschedulable = Some(true);
                }
                n
            })
            .collect()
    }

    fn random_container(rng: &mut Rng, name: &str) -> Container {
        let mut reqs = BTreeMap::new();
        let mut limits = BTreeMap::new();
        if let Some(c) = rng.pick(&[None, Some("100m"), Some("250m"), Some("1"), Some("0.5")]) {
            reqs.insert("cpu".to_string(), Quantity(c.to_string()));
        }
        if let Some(m) = rng.pick(&[None, Some("128Mi"), Some("1Gi"), Some("3Gi"), Some("0")]) {
            reqs.insert("memory".to_string(), Quantity(m.to_string()));
        }
        if rng.chance(10) {
            // A limit without a request counts as the request.
            limits.insert("cpu".to_string(), Quantity("300m".into()));
            reqs.remove("cpu");
        }
        if rng.chance(5) {
            reqs.insert("example.com/gpu".to_string(), Quantity("1".into()));
        }
        let mut c = Container {
            name: name.into(),
            resources: Some(ResourceRequirements {
                requests: Some(reqs).filter(|r| !r.is_empty()),
                limits: Some(limits).filter(|l| !l.is_empty()),
                ..Default::default()
            }),
            ..Default::default()
        };
        if rng.chance(8) {
            c.ports = Some(vec![ContainerPort {
                container_port: 80,
                host_port: Some(*rng.pick(&[80, 443, 8080])),
                protocol: rng.pick(&[None, Some("UDP")]).map(str::to_string),
                host_ip: rng.pick(&[None, Some("10.0.0.1")]).map(str::to_string),
                ..Default::default()
            }]);
        }
        c
    }

    fn hostname_term(app: &str, key: &str) -> PodAffinityTerm {
        PodAffinityTerm {
            label_selector: Some(LabelSelector {
                match_labels: Some([("app".to_string(), app.to_string())].into()),
                ..Default::default()
            }),
            topology_key: key.into(),
            ..Default::default()
        }
    }

    /// An unscheduled pod with random requests (containers, init containers, sidecars),
    /// host ports, selectors, tolerations, owners, priorities and, rarely, pod (anti-)affinity.
    pub(crate) fn random_pod(rng: &mut Rng, i: usize) -> Pod {
        use k8s_openapi::api::core::v1::{
            Affinity, PodAffinity, PodAntiAffinity, PreferredSchedulingTerm,
        };
        let mut p = pod(&format!("p{i:04}"), None, None);
        p.metadata.namespace = Some(rng.pick(&["default", "team"]).to_string());
        let app = format!("app{}", rng.below(6));
        p.metadata.labels = Some([("app".to_string(), app.clone())].into());
        if rng.chance(80) {
            p.metadata.owner_references = Some(vec![OwnerReference {
                api_version: "apps/v1".into(),
                kind: "ReplicaSet".into(),
                name: app.clone(),
                uid: format!("uid-{}", rng.below(8)),
                controller: Some(rng.chance(95)),
                ..Default::default()
            }]);
        }
        let spec = p.spec.as_mut().unwrap();
        spec.containers = (0..1 + rng.below(2))
            .map(|c| random_container(rng, &format!("c{c}")))
            .collect();
        if rng.chance(15) {
            let mut init = random_container(rng, "init");
            if rng.chance(50) {
                init.restart_policy = Some("Always".into());
            }
            spec.init_containers = Some(vec![init]);
        }
        if rng.chance(5) {
            spec.overhead = Some(qmap(&[("cpu", "50m")]));
        }
        if rng.chance(12) {
            spec.node_selector = Some(
                [(
                    rng.pick(&["disk", "zone"]).to_string(),
                    rng.pick(&["ssd", "a"]).to_string(),
                )]
                .into(),
            );
        }
        if rng.chance(20) {
            spec.tolerations = Some(vec![Toleration {
                key: Some("dedicated".into()),
                operator: Some("Exists".into()),
                ..Default::default()
            }]);
        }
        spec.priority = *rng.pick(&[None, Some(0), Some(100), Some(1000)]);
        if rng.chance(5) {
            spec.preemption_policy = Some("Never".into());
        }
        if rng.chance(3) {
            spec.node_name = Some(format!("n{:02}", rng.below(12)));
        }
        let mut affinity = Affinity::default();
        if rng.chance(10) {
            affinity.node_affinity = Some(NodeAffinity {
                preferred_during_scheduling_ignored_during_execution: Some(vec![
                    PreferredSchedulingTerm {
                        weight: 10,
                        preference: NodeSelectorTerm {
                            match_expressions: Some(vec![NodeSelectorRequirement {
                                key: "zone".into(),
                                operator: "In".into(),
                                values: Some(vec!["b".into()]),
                            }]),
                            ..Default::default()
                        },
                    },
                ]),
                ..Default::default()
            });
        }
        if rng.chance(4) {
            let key = rng.pick(&["kubernetes.io/hostname", "zone"]);
            affinity.pod_anti_affinity = Some(PodAntiAffinity {
                required_during_scheduling_ignored_during_execution: Some(vec![hostname_term(
                    &app, key,
                )]),
                ..Default::default()
            });
        }
        if rng.chance(2) {
            affinity.pod_affinity = Some(PodAffinity {
                required_during_scheduling_ignored_during_execution: Some(vec![hostname_term(
                    &format!("app{}", rng.below(6)),
                    "zone",
                )]),
                ..Default::default()
            });
        }
        if affinity != Affinity::default() {
            spec.affinity = Some(affinity);
        }
        p
    }

    /// The signature of [`schedule`], for a reference implementation.
    pub(crate) type ScheduleFn =
        fn(&Pod, &[&Node], &BTreeMap<String, Vec<&Pod>>) -> Result<String, String>;

    /// Schedules `pods` random pods one by one on `node_count` random nodes, keeping
    /// `NodeInfo`s incrementally (binds, pods finishing, being deleted or marked for deletion,
    /// a node resized without `set_node`), and asserts that [`schedule_cached`] agrees with
    /// `reference` on every decision. Returns (bound, failed) counts.
    pub(crate) fn run_scenario(
        seed: u64,
        node_count: usize,
        pods: usize,
        reference: ScheduleFn,
    ) -> (usize, usize) {
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
        let mut rng = Rng::new(seed);
        let mut nodes = random_nodes(&mut rng, node_count);
        let mut infos: BTreeMap<String, NodeInfo> = nodes
            .iter()
            .map(|n| (n.metadata.name.clone().unwrap(), NodeInfo::new(n)))
            .collect();
        let mut bound: Vec<Pod> = Vec::new();
        let (mut ok, mut failed) = (0, 0);
        for i in 0..pods {
            if i == pods / 2 {
                // Resize a node behind the cache's back: schedule_cached must notice.
                nodes[1]
                    .status
                    .as_mut()
                    .unwrap()
                    .allocatable
                    .as_mut()
                    .unwrap()
                    .insert("cpu".into(), Quantity("16".into()));
            }
            let mut p = random_pod(&mut rng, i);
            let refs: Vec<&Node> = nodes.iter().collect();
            let mut on_nodes: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
            for q in &bound {
                on_nodes
                    .entry(q.spec.as_ref().unwrap().node_name.clone().unwrap())
                    .or_default()
                    .push(q);
            }
            let want = reference(&p, &refs, &on_nodes);
            let got = schedule_cached(&p, &refs, &infos);
            assert_eq!(got, want, "seed {seed} pod {i}: {p:?}");
            // The loop's path: the pod decoded from JSON, the infos' nodes kept current.
            let decoded = PodInfo::from_value(&serde_json::to_value(&p).unwrap()).unwrap();
            assert_eq!(decoded, PodInfo::from_pod(&p), "seed {seed} pod {i}");
            let mut synced = infos.clone();
            for n in &nodes {
                synced
                    .get_mut(n.metadata.name.as_deref().unwrap())
                    .unwrap()
                    .set_node(n);
            }
            assert_eq!(
                schedule_prepared(&decoded, &synced),
                got,
                "seed {seed} pod {i}"
            );
            match got {
                Ok(n) => {
                    ok += 1;
                    p.spec.as_mut().unwrap().node_name = Some(n.clone());
                    infos.entry(n).or_default().add_pod(&p);
                    bound.push(p);
                }
                Err(_) => failed += 1,
            }
            if bound.is_empty() {
                continue;
            }
            let k = rng.below(bound.len());
            let node = bound[k].spec.as_ref().unwrap().node_name.clone().unwrap();
            match rng.below(12) {
                0 => {
                    // Finished: still listed, no longer counted.
                    bound[k].status = Some(PodStatus {
                        phase: Some(rng.pick(&["Succeeded", "Failed"]).to_string()),
                        ..Default::default()
                    });
                    infos.get_mut(&node).unwrap().add_pod(&bound[k]);
                }
                1 => {
                    let gone = bound.remove(k);
                    infos.get_mut(&node).unwrap().remove_pod(&gone);
                }
                2 => {
                    bound[k].metadata.deletion_timestamp =
                        Some(Time("2025-01-01T00:00:00Z".parse().unwrap()));
                    infos.get_mut(&node).unwrap().add_pod(&bound[k]);
                }
                _ => {}
            }
        }
        // The incrementally kept infos equal ones built from scratch.
        let refs: Vec<&Node> = nodes.iter().collect();
        for n in &refs {
            infos
                .get_mut(n.metadata.name.as_deref().unwrap())
                .unwrap()
                .set_node(n);
        }
        let mut on_nodes: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
        for q in &bound {
            on_nodes
                .entry(q.spec.as_ref().unwrap().node_name.clone().unwrap())
                .or_default()
                .push(q);
        }
        assert_eq!(infos, build_node_infos(&refs, &on_nodes), "seed {seed}");
        (ok, failed)
    }

    #[test]
    fn cached_matches_from_scratch_on_random_clusters() {
        let mut totals = (0, 0);
        for seed in 1..=4 {
            let (ok, failed) = run_scenario(seed, 12, 300, schedule);
            totals = (totals.0 + ok, totals.1 + failed);
        }
        // Both outcomes are exercised.
        assert!(totals.0 > 300 && totals.1 > 100, "{totals:?}");
    }

    #[test]
    fn add_remove_round_trip() {
        let mut rng = Rng::new(42);
        let nodes = random_nodes(&mut rng, 1);
        let pods: Vec<Pod> = (0..200).map(|i| random_pod(&mut rng, i)).collect();
        let mut info = NodeInfo::new(&nodes[0]);
        let empty = info.clone();
        for p in &pods[..100] {
            info.add_pod(p);
        }
        let half = info.clone();
        for p in &pods[100..] {
            info.add_pod(p);
        }
        // Re-adding is an upsert, not a double count.
        let full = info.clone();
        info.add_pod(&pods[150]);
        assert_eq!(info, full);
        for p in pods[100..].iter().rev() {
            assert!(info.remove_pod(p));
        }
        assert_eq!(info, half);
        assert!(!info.remove_pod(&pods[150]));
        // The same pods added in another order give the same aggregates.
        let mut other = NodeInfo::new(&nodes[0]);
        for p in pods[..100].iter().rev() {
            other.add_pod(p);
        }
        assert_eq!(other, half);
        for p in &pods[..100] {
            info.remove_pod(p);
        }
        assert_eq!(info, empty);
        assert!(info.requested().is_empty() && info.non_zero_requested().is_empty());
        assert!(info.host_ports().is_empty());
    }

    #[test]
    fn node_info_aggregates() {
        let n = node("w", "4", "8Gi");
        let mut info = NodeInfo::new(&n);
        assert_eq!(info.allocatable()["cpu"], 4000);
        assert_eq!(info.allocatable()["pods"], 110);
        let mut a = pod("a", Some("250m"), None);
        a.metadata.owner_references = Some(vec![OwnerReference {
            uid: "rs".into(),
            controller: Some(true),
            ..Default::default()
        }]);
        a.spec.as_mut().unwrap().containers[0].ports = Some(vec![ContainerPort {
            container_port: 80,
            host_port: Some(8080),
            ..Default::default()
        }]);
        info.add_pod(&a);
        info.add_pod(&pod("b", None, Some("1Gi")));
        assert_eq!(
            info.requested(),
            &Resources::from([("cpu".into(), 250), ("memory".into(), 1 << 30)])
        );
        assert_eq!(
            info.non_zero_requested(),
            &Resources::from([
                ("cpu".into(), 350),
                ("memory".into(), DEFAULT_MEMORY_REQUEST + (1 << 30))
            ])
        );
        assert_eq!(info.pod_count(), 2);
        assert_eq!(info.owner_pod_count("default", "rs"), 1);
        assert_eq!(info.owner_pod_count("other", "rs"), 0);
        assert_eq!(
            info.host_ports().keys().collect::<Vec<_>>(),
            [&(8080, "TCP".to_string(), "0.0.0.0".to_string())]
        );
        // A terminal version removes the pod.
        a.status = Some(PodStatus {
            phase: Some("Failed".into()),
            ..Default::default()
        });
        info.add_pod(&a);
        assert_eq!(info.pod_count(), 1);
        assert_eq!(info.owner_pod_count("default", "rs"), 0);
        assert!(info.host_ports().is_empty());
        assert_eq!(
            info.pods()
                .map(|p| p.metadata.name.as_deref())
                .collect::<Vec<_>>(),
            [Some("b")]
        );
    }

    #[test]
    fn missing_or_stale_node_info() {
        let mut nodes = [node("a", "1", "1Gi"), node("b", "4", "8Gi")];
        let infos = BTreeMap::from([("a".to_string(), NodeInfo::new(&nodes[0]))]);
        // "a" is cached as 1 cpu, "b" has no info at all.
        let refs: Vec<&Node> = nodes.iter().collect();
        let p = pod("p", Some("2"), None);
        assert_eq!(schedule_cached(&p, &refs, &infos), Ok("b".into()));
        // "a" grew without set_node: the stale cache is not trusted.
        nodes[0]
            .status
            .as_mut()
            .unwrap()
            .allocatable
            .as_mut()
            .unwrap()
            .insert("cpu".into(), Quantity("64".into()));
        let refs: Vec<&Node> = nodes.iter().collect();
        assert_eq!(schedule_cached(&p, &refs, &infos), Ok("a".into()));
    }

    #[test]
    fn pod_info_from_json() {
        let v = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "web-1",
                "namespace": "shop",
                "uid": "u1",
                "labels": {"app": "web"},
                "ownerReferences": [
                    {"apiVersion": "v1", "kind": "X", "name": "x", "uid": "other"},
                    {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web",
                     "uid": "rs1", "controller": true}
                ],
                "managedFields": [{"manager": "kubectl"}]
            },
            "spec": {
                "containers": [{
                    "name": "c",
                    "image": "nginx",
                    "env": [{"name": "A", "value": "1"}],
                    "resources": {"requests": {"cpu": "250m"}, "limits": {"memory": "1Gi"}},
                    "ports": [{"containerPort": 80, "hostPort": 8080}]
                }],
                "initContainers": [{
                    "name": "side",
                    "restartPolicy": "Always",
                    "resources": {"requests": {"example.com/gpu": "1"}},
                    "ports": [{"containerPort": 53, "hostPort": 53, "protocol": "UDP",
                               "hostIP": "10.0.0.1"}]
                }],
                "priority": 100,
                "preemptionPolicy": "Never",
                "tolerations": [{"key": "node.kubernetes.io/unschedulable",
                                 "operator": "Exists"}]
            },
            "status": {"phase": "Pending", "qosClass": "Burstable"}
        });
        let p = PodInfo::from_value(&v).unwrap();
        assert_eq!(p.key(), "shop/web-1");
        assert_eq!(value_key(&v), "shop/web-1");
        assert_eq!(
            p.owner_key.as_ref().map(|k| k.key.as_str()),
            Some("shop/rs1")
        );
        assert_eq!(
            p.requests,
            Resources::from([
                ("cpu".into(), 250),
                ("example.com/gpu".into(), 1),
                ("memory".into(), 1 << 30)
            ])
        );
        // The sidecar counts the scorers' defaults (100m, 200Mi) for what it does not request.
        assert_eq!(
            (p.nz_cpu, p.nz_memory),
            (350, (1 << 30) + DEFAULT_MEMORY_REQUEST)
        );
        assert_eq!(
            p.fit,
            [
                (Res::Cpu, 250),
                (Res::Memory, 1 << 30),
                (Res::Other("example.com/gpu".into()), 1)
            ]
        );
        assert_eq!(
            p.ports,
            [
                ("0.0.0.0".to_string(), "TCP".to_string(), 8080),
                ("10.0.0.1".to_string(), "UDP".to_string(), 53)
            ]
        );
        assert_eq!((p.priority, p.preemption_never), (100, true));
        assert!(p.tolerates_unschedulable && !p.terminal && !p.deleting);
        // The typed route gives the same.
        let typed: Pod = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(PodInfo::from_pod(&typed), p);
        // What a NodeInfo keeps, and removal by key.
        let mut info = NodeInfo::default();
        info.add(p.clone());
        assert!(info.contains("shop/web-1"));
        assert_eq!(info.owner_pod_count("shop", "rs1"), 1);
        let kept = info.pods().next().unwrap();
        assert!(kept.tolerations.is_empty() && kept.fit.is_empty());
        assert_eq!(kept.requests, p.requests);
        assert!(info.remove("shop/web-1"));
        assert_eq!(info, NodeInfo::default());
        // No spec at all: nothing requested, not even the non-zero defaults.
        let bare = PodInfo::from_value(&serde_json::json!({"metadata": {"name": "b"}})).unwrap();
        assert_eq!((bare.key().as_str(), bare.nz_cpu), ("default/b", 0));
        let done = serde_json::json!({"metadata": {"name": "d"}, "status": {"phase": "Failed"}});
        assert!(PodInfo::from_value(&done).unwrap().is_terminal());
    }

    #[test]
    fn container_sums_match_the_maps() {
        let mut rng = Rng::new(7);
        for i in 0..300 {
            let p = random_pod(&mut rng, i);
            let spec = p.spec.as_ref().unwrap();
            for c in spec
                .containers
                .iter()
                .chain(spec.init_containers.iter().flatten())
            {
                for non_zero in [false, true] {
                    let mut a = Resources::from([("cpu".into(), 5), ("x".into(), 1)]);
                    let mut b = a.clone();
                    add_container(&mut a, c.resources.as_ref(), non_zero);
                    add_into(&mut b, &container_requests(c.resources.as_ref(), non_zero));
                    assert_eq!(a, b, "{c:?}");
                }
            }
        }
    }

    #[test]
    fn division_fast_path() {
        for (a, b) in [
            (7, 2),
            (-7, 2),
            (i128::MAX, 3),
            (1 << 70, 1 << 65),
            (i128::from(i64::MIN), -1),
        ] {
            assert_eq!(div(a, b), a / b, "{a} / {b}");
        }
    }

    /// 100 nodes, 10,000 bound pods of 1,000 ReplicaSets: one `schedule_cached` decision.
    /// `schedule_prepared` is independent of the pod count; `schedule_cached` adds parsing the
    /// nodes; the from-scratch `schedule` is dominated by building the infos.
    /// Run with `cargo test timing_100_nodes_10k_pods -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn timing_100_nodes_10k_pods() {
        let nodes: Vec<Node> = (0..100)
            .map(|i| {
                let mut n = node(&format!("node-{i:03}"), "64", "256Gi");
                n.status
                    .as_mut()
                    .unwrap()
                    .allocatable
                    .as_mut()
                    .unwrap()
                    .insert("pods".into(), Quantity("200".into()));
                n
            })
            .collect();
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut infos: BTreeMap<String, NodeInfo> = nodes
            .iter()
            .map(|n| (n.metadata.name.clone().unwrap(), NodeInfo::new(n)))
            .collect();
        let owned = |i: usize| {
            let mut p = pod(&format!("web-{i}"), Some("10m"), Some("16Mi"));
            p.metadata.owner_references = Some(vec![OwnerReference {
                uid: format!("rs-{}", i / 10),
                controller: Some(true),
                ..Default::default()
            }]);
            p
        };
        let mut bound = Vec::new();
        for i in 0..10_000 {
            let mut p = owned(i);
            let n = format!("node-{:03}", i % 100);
            p.spec.as_mut().unwrap().node_name = Some(n.clone());
            infos.get_mut(&n).unwrap().add_pod(&p);
            bound.push(p);
        }
        let p = owned(10_001);
        let start = std::time::Instant::now();
        let rounds = 100;
        for _ in 0..rounds {
            schedule_cached(&p, &refs, &infos).unwrap();
        }
        let cached = start.elapsed() / rounds;
        let info = PodInfo::from_pod(&p);
        let start = std::time::Instant::now();
        for _ in 0..rounds {
            schedule_prepared(&info, &infos).unwrap();
        }
        let prepared = start.elapsed() / rounds;
        let mut on_nodes: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
        for q in &bound {
            on_nodes
                .entry(q.spec.as_ref().unwrap().node_name.clone().unwrap())
                .or_default()
                .push(q);
        }
        let start = std::time::Instant::now();
        let slow = schedule(&p, &refs, &on_nodes);
        let from_scratch = start.elapsed();
        assert_eq!(slow, schedule_cached(&p, &refs, &infos));
        assert_eq!(slow, schedule_prepared(&info, &infos));
        println!(
            "schedule_prepared: {prepared:?}, schedule_cached: {cached:?} per decision; \
             schedule: {from_scratch:?}"
        );
    }
}
