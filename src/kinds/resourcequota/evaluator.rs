//! The quota system's evaluators, pure: what an object costs a ResourceQuota, which quotas
//! it falls under, and the admission check against their `status.used`
//! (pkg/quota/v1/evaluator/core: pods.go, services.go, persistent_volume_claims.go;
//! apiserver's pkg/quota/v1/generic object-count evaluator and resources.go;
//! apiserver's admission/plugin/resourcequota/controller.go `CheckRequest`).
//!
//! The quota controller (controllers::resourcequota) sums [`usage`] over a namespace; the
//! API's admission ([`check_request`]) adds one object's usage to each matching quota's
//! `status.used` and refuses what would pass `status.hard`, in the API server's words.

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::NAME;
use crate::kinds::Kind;
use crate::kinds::common::describe::{containers_then_init, pod_requests_and_limits};
use crate::print::describe::{Qty, ResList, add_list, res_list};

/// What measures a kind's usage (`registry.Get(groupResource)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evaluator {
    /// pods.go: compute resources, `pods`, `count/pods`.
    Pods,
    /// services.go: `services`, `services.loadbalancers`, `services.nodeports`.
    Services,
    /// persistent_volume_claims.go: claims and `requests.storage`, also per storage class.
    Claims,
    /// The generic object count: `count/<resource>[.<group>]`, and the legacy name of
    /// configmaps, secrets, replicationcontrollers and resourcequotas.
    Count {
        name: String,
        alias: Option<&'static str>,
    },
}

const POD_RESOURCES: &[&str] = &[
    "count/pods",
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
];
const SERVICE_RESOURCES: &[&str] = &[
    "count/services",
    "services",
    "services.loadbalancers",
    "services.nodeports",
];
const CLAIM_RESOURCES: &[&str] = &[
    "count/persistentvolumeclaims",
    "persistentvolumeclaims",
    "requests.storage",
];
const STORAGE_CLASS_SUFFIX: &str = ".storageclass.storage.k8s.io/";
/// The resources whose quota makes every container state them (`validationSet`).
const VALIDATION_SET: &[&str] = &[
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
];

/// The evaluator of a kind; `None` for Events, which quota ignores.
pub fn evaluator_for(kind: &Kind) -> Option<Evaluator> {
    Some(match kind.kind {
        crate::kinds::pod::NAME => Evaluator::Pods,
        crate::kinds::service::NAME => Evaluator::Services,
        crate::kinds::persistentvolumeclaim::NAME => Evaluator::Claims,
        crate::kinds::event::NAME => return None,
        _ => Evaluator::Count {
            name: format!("count/{}", kind.resource()),
            alias: match kind.kind {
                crate::kinds::configmap::NAME => Some("configmaps"),
                crate::kinds::secret::NAME => Some("secrets"),
                crate::kinds::replicationcontroller::NAME => Some("replicationcontrollers"),
                NAME => Some("resourcequotas"),
                _ => None,
            },
        },
    })
}

/// `IsNativeResource`: no domain, or one under `kubernetes.io/`.
fn is_native(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

impl Evaluator {
    /// Whether the admission checks this operation (`Handles`): pods and object counts on
    /// create; services and claims on create and update.
    pub fn handles(&self, update: bool) -> bool {
        !update || matches!(self, Evaluator::Services | Evaluator::Claims)
    }

    /// `MatchingResources`: the names among `input` this evaluator measures, in input order.
    pub fn matching_resources<'a>(&self, input: &[&'a str]) -> Vec<&'a str> {
        input
            .iter()
            .copied()
            .filter(|r| match self {
                Evaluator::Pods => {
                    POD_RESOURCES.contains(r)
                        || r.starts_with("hugepages-")
                        || r.starts_with("requests.hugepages-")
                        || (!is_native(r) && r.starts_with("requests."))
                }
                Evaluator::Services => SERVICE_RESOURCES.contains(r),
                Evaluator::Claims => {
                    CLAIM_RESOURCES.contains(r) || r.contains(STORAGE_CLASS_SUFFIX)
                }
                Evaluator::Count { name, alias } => *r == name || Some(*r) == *alias,
            })
            .collect()
    }

    /// `Usage`: what the object costs, every resource it measures (zeros included).
    pub fn usage(&self, obj: &Value, now: Timestamp) -> ResList {
        let mut out = ResList::new();
        let one = || Qty::parse("1").expect("1");
        match self {
            Evaluator::Pods => {
                out.insert("count/pods".into(), one());
                if charged(obj, now) {
                    let (requests, limits) = pod_requests_and_limits(obj);
                    add_list(&mut out, &compute_usage(&requests, &limits));
                }
            }
            Evaluator::Services => {
                out.insert("count/services".into(), one());
                out.insert("services".into(), one());
                let ports = obj
                    .pointer("/spec/ports")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                let count = |n: usize| Qty::parse(&n.to_string()).expect("count");
                let ty = obj.pointer("/spec/type").and_then(Value::as_str);
                let node_ports = match ty {
                    Some("NodePort") => ports,
                    Some("LoadBalancer") => {
                        if obj.pointer("/spec/allocateLoadBalancerNodePorts")
                            == Some(&Value::Bool(false))
                        {
                            obj.pointer("/spec/ports")
                                .and_then(Value::as_array)
                                .map_or(0, |ps| {
                                    ps.iter().filter(|p| p.get("nodePort").is_some()).count()
                                })
                        } else {
                            ports
                        }
                    }
                    _ => 0,
                };
                out.insert("services.nodeports".into(), count(node_ports));
                out.insert(
                    "services.loadbalancers".into(),
                    count(usize::from(ty == Some("LoadBalancer"))),
                );
            }
            Evaluator::Claims => {
                out.insert("persistentvolumeclaims".into(), one());
                out.insert("count/persistentvolumeclaims".into(), one());
                let class = obj
                    .pointer("/spec/storageClassName")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if !class.is_empty() {
                    out.insert(
                        format!("{class}{STORAGE_CLASS_SUFFIX}persistentvolumeclaims"),
                        one(),
                    );
                }
                let request = obj
                    .pointer("/spec/resources/requests/storage")
                    .map(|v| Qty::of(Some(v)));
                let allocated = obj
                    .pointer("/status/allocatedResources/storage")
                    .map(|v| Qty::of(Some(v)));
                let storage = match (request, allocated) {
                    (Some(r), Some(a)) if a.nano > r.nano => Some(a),
                    (Some(r), _) => Some(r),
                    (None, a) => a,
                };
                if let Some(s) = storage {
                    out.insert("requests.storage".into(), s);
                    if !class.is_empty() {
                        out.insert(format!("{class}{STORAGE_CLASS_SUFFIX}requests.storage"), s);
                    }
                }
            }
            Evaluator::Count { name, alias } => {
                out.insert(name.clone(), one());
                if let Some(a) = alias {
                    out.insert((*a).to_string(), one());
                }
            }
        }
        out
    }

    /// Whether the object falls under every one of `reqs` (`CalculateUsageStats`'s filter).
    pub fn in_scopes(&self, reqs: &[ScopeReq], obj: &Value) -> bool {
        reqs.iter().all(|req| self.matches_scope(req, obj))
    }

    /// Whether the object matches one scope selector requirement (`MatchesScopeFunc`): only
    /// pods have scopes; every other evaluator matches none (`MatchesNoScopeFunc`).
    fn matches_scope(&self, req: &ScopeReq, obj: &Value) -> bool {
        *self == Evaluator::Pods && pod_matches_scope(req, obj)
    }

    /// `Matches`: the quota tracks something this evaluator measures, and the object falls
    /// under every scope of the quota.
    pub fn matches(&self, quota: &Value, obj: &Value) -> bool {
        let hard = hard_names(quota);
        !self.matching_resources(&hard).is_empty() && self.in_scopes(&scope_selectors(quota), obj)
    }

    /// `Constraints`: a quota on cpu or memory makes every container and init container state
    /// it (`must specify limits.cpu for: a,b; requests.memory for: a`).
    pub fn constraints(&self, required: &[&str], obj: &Value) -> Result<(), String> {
        if *self != Evaluator::Pods {
            return Ok(());
        }
        let wanted: Vec<&str> = VALIDATION_SET
            .iter()
            .copied()
            .filter(|r| required.contains(r))
            .collect();
        let mut missing: std::collections::BTreeMap<&str, std::collections::BTreeSet<String>> =
            Default::default();
        for c in containers_then_init(obj) {
            let usage = compute_usage(
                &res_list(c.pointer("/resources/requests")),
                &res_list(c.pointer("/resources/limits")),
            );
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            for r in &wanted {
                if !usage.contains_key(*r) {
                    missing.entry(r).or_default().insert(name.to_string());
                }
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let parts: Vec<String> = missing
            .iter()
            .map(|(r, names)| {
                format!(
                    "{r} for: {}",
                    names.iter().cloned().collect::<Vec<_>>().join(",")
                )
            })
            .collect();
        Err(format!("must specify {}", parts.join("; ")))
    }
}

/// `podComputeUsageHelper`: what requests and limits charge (`pods` always).
fn compute_usage(requests: &ResList, limits: &ResList) -> ResList {
    let mut out = ResList::new();
    out.insert("pods".into(), Qty::parse("1").expect("1"));
    for (res, names) in [
        ("cpu", ["cpu", "requests.cpu"]),
        ("memory", ["memory", "requests.memory"]),
        (
            "ephemeral-storage",
            ["ephemeral-storage", "requests.ephemeral-storage"],
        ),
    ] {
        if let Some(q) = requests.get(res) {
            for n in names {
                out.insert(n.into(), *q);
            }
        }
        if let Some(q) = limits.get(res) {
            out.insert(format!("limits.{res}"), *q);
        }
    }
    for (res, q) in requests {
        if res.starts_with("hugepages-") {
            out.insert(res.clone(), *q);
            out.insert(format!("requests.{res}"), *q);
        }
        // IsExtendedResourceName: a domain outside kubernetes.io, not `requests.` itself.
        if !is_native(res) && !res.starts_with("requests.") {
            out.insert(format!("requests.{res}"), *q);
        }
    }
    out
}

/// `QuotaV1Pod`: a pod is charged unless terminal or stuck terminating past its grace period.
pub fn charged(pod: &Value, now: Timestamp) -> bool {
    let phase = pod.pointer("/status/phase").and_then(Value::as_str);
    if matches!(phase, Some("Succeeded" | "Failed")) {
        return false;
    }
    if let (Some(ts), Some(grace)) = (
        pod.pointer("/metadata/deletionTimestamp")
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<Timestamp>().ok()),
        pod.pointer("/metadata/deletionGracePeriodSeconds")
            .and_then(Value::as_i64),
    ) && ts
        .checked_add(jiff::SignedDuration::from_secs(grace))
        .is_ok_and(|end| now > end)
    {
        return false;
    }
    true
}

/// One requirement of a quota's scopes (`spec.scopes` as `Exists`, then
/// `spec.scopeSelector.matchExpressions`).
#[derive(Debug, Clone)]
pub struct ScopeReq {
    pub scope: String,
    pub operator: String,
    pub values: Vec<String>,
}

/// `getScopeSelectorsFromQuota`.
pub fn scope_selectors(quota: &Value) -> Vec<ScopeReq> {
    let mut out: Vec<ScopeReq> = quota
        .pointer("/spec/scopes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| ScopeReq {
            scope: s.to_string(),
            operator: "Exists".into(),
            values: Vec::new(),
        })
        .collect();
    for e in quota
        .pointer("/spec/scopeSelector/matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        out.push(ScopeReq {
            scope: text("scopeName"),
            operator: text("operator"),
            values: e
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        });
    }
    out
}

/// `podMatchesScopeFunc`.
fn pod_matches_scope(req: &ScopeReq, pod: &Value) -> bool {
    let terminating = pod
        .pointer("/spec/activeDeadlineSeconds")
        .and_then(Value::as_i64)
        .is_some_and(|d| d >= 0);
    let best_effort = || {
        let (requests, limits) = pod_requests_and_limits(pod);
        let relevant = |l: &ResList| {
            l.iter().any(|(k, q)| {
                (k == "cpu" || k == "memory" || k.starts_with("hugepages-")) && q.nano != 0
            })
        };
        !relevant(&requests) && !relevant(&limits)
    };
    match req.scope.as_str() {
        "Terminating" => terminating,
        "NotTerminating" => !terminating,
        "BestEffort" => best_effort(),
        "NotBestEffort" => !best_effort(),
        "PriorityClass" => {
            let class = pod
                .pointer("/spec/priorityClassName")
                .and_then(Value::as_str)
                .unwrap_or("");
            match req.operator.as_str() {
                "Exists" => !class.is_empty(),
                "DoesNotExist" => class.is_empty(),
                "In" => !class.is_empty() && req.values.iter().any(|v| v == class),
                "NotIn" => class.is_empty() || !req.values.iter().any(|v| v == class),
                _ => false,
            }
        }
        "CrossNamespacePodAffinity" => cross_namespace_affinity(pod),
        _ => false,
    }
}

/// `usesCrossNamespacePodAffinity`: a pod (anti-)affinity term naming namespaces or a
/// namespace selector.
fn cross_namespace_affinity(pod: &Value) -> bool {
    ["podAffinity", "podAntiAffinity"].iter().any(|a| {
        let base = format!("/spec/affinity/{a}");
        let cross = |t: &Value| {
            t.get("namespaces")
                .and_then(Value::as_array)
                .is_some_and(|n| !n.is_empty())
                || t.get("namespaceSelector").is_some_and(|s| !s.is_null())
        };
        let list = |p: &str| {
            pod.pointer(&format!("{base}/{p}"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        list("requiredDuringSchedulingIgnoredDuringExecution")
            .iter()
            .any(cross)
            || list("preferredDuringSchedulingIgnoredDuringExecution")
                .iter()
                .any(|w| w.get("podAffinityTerm").is_some_and(cross))
    })
}

/// The resource names of `status.hard`, sorted.
pub fn hard_names(quota: &Value) -> Vec<&str> {
    resource_names(quota.pointer("/status/hard"))
}

/// The names of a ResourceList (`quota.ResourceNames`), sorted.
pub fn resource_names(list: Option<&Value>) -> Vec<&str> {
    let mut out: Vec<&str> = list
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    out.sort_unstable();
    out
}

/// `prettyPrint`: `a=1,b=2Gi`, names sorted.
fn pretty(list: &ResList) -> String {
    list.iter()
        .map(|(k, q)| format!("{k}={}", q.string()))
        .collect::<Vec<_>>()
        .join(",")
}

/// A ResourceList as JSON (`status.used`), each quantity in its `String()` form.
pub fn to_json(list: &ResList) -> Value {
    Value::Object(
        list.iter()
            .map(|(k, q)| (k.clone(), json!(q.string())))
            .collect::<Map<String, Value>>(),
    )
}

/// `quota.Equals`: the same names with equal values.
pub fn equal(a: &ResList, b: &ResList) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(k, q)| b.get(k).is_some_and(|o| o.nano == q.nano))
}

/// The admission's verdict for one request: the new `status.used` of each quota it
/// charged (index into the quotas given), or the reason it is forbidden (the text after
/// `pods "x" is forbidden: `).
pub type Verdict = Result<Vec<(usize, ResList)>, String>;

/// `CheckRequest` for a create (`old` = `None`) or an update, against the namespace's
/// `quotas` (sorted by name, as kubesim checks them in a fixed order).
pub fn check_request(
    ev: &Evaluator,
    quotas: &[Value],
    obj: &Value,
    old: Option<&Value>,
    now: Timestamp,
) -> Verdict {
    if !ev.handles(old.is_some()) {
        return Ok(Vec::new());
    }
    let mut interesting = Vec::new();
    for (i, q) in quotas.iter().enumerate() {
        if !ev.matches(q, obj) {
            continue;
        }
        let name = q
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let hard = hard_names(q);
        let restricted = ev.matching_resources(&hard);
        ev.constraints(&restricted, obj)
            .map_err(|e| format!("failed quota: {name}: {e}"))?;
        let used = resource_names(q.pointer("/status/used"));
        if restricted.iter().any(|r| !used.contains(r)) {
            let mut list: Vec<&str> = restricted.clone();
            list.sort_unstable();
            return Err(format!(
                "status unknown for quota: {name}, resources: {}",
                list.join(",")
            ));
        }
        interesting.push(i);
    }
    if interesting.is_empty() {
        return Ok(Vec::new());
    }
    let input = ev.usage(obj, now);
    let negative: Vec<&str> = input
        .iter()
        .filter(|(_, q)| q.nano < 0)
        .map(|(k, _)| k.as_str())
        .collect();
    if !negative.is_empty() {
        return Err(format!(
            "quota usage is negative for resource(s): {}",
            negative.join(",")
        ));
    }
    let mut out = Vec::new();
    for i in interesting {
        let q = &quotas[i];
        let mut delta = input.clone();
        if let Some(old) = old
            && ev.matches(q, old)
        {
            let prev = ev.usage(old, now);
            for (k, v) in delta.iter_mut() {
                if let Some(p) = prev.get(k) {
                    v.nano = (v.nano - p.nano).max(0);
                }
            }
        }
        delta.retain(|_, v| v.nano != 0);
        let hard = res_list(q.pointer("/status/hard"));
        let requested: ResList = delta
            .into_iter()
            .filter(|(k, _)| hard.contains_key(k))
            .collect();
        if requested.is_empty() {
            continue;
        }
        let used = res_list(q.pointer("/status/used"));
        let mut new_used = used.clone();
        add_list(&mut new_used, &requested);
        let exceeded: Vec<&String> = requested
            .keys()
            .filter(|k| new_used[*k].nano > hard[*k].nano)
            .collect();
        if !exceeded.is_empty() {
            let mask = |l: &ResList| -> ResList {
                l.iter()
                    .filter(|(k, _)| exceeded.contains(k))
                    .map(|(k, v)| (k.clone(), *v))
                    .collect()
            };
            let name = q
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            return Err(format!(
                "exceeded quota: {name}, requested: {}, used: {}, limited: {}",
                pretty(&mask(&requested)),
                pretty(&mask(&used)),
                pretty(&mask(&hard))
            ));
        }
        out.push((i, new_used));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::fields::Fields;

    fn now() -> Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    fn quota(name: &str, hard: Value, used: Value) -> Value {
        json!({"metadata": {"name": name}, "spec": {"hard": hard.clone()},
               "status": {"hard": hard, "used": used}})
    }

    fn pod(containers: Value) -> Value {
        json!({"metadata": {"name": "p"}, "spec": {"containers": containers}})
    }

    fn verdict(r: Verdict) -> Result<usize, String> {
        r.map(|v| v.len())
    }

    fn names(l: &ResList) -> Vec<(String, String)> {
        l.iter().map(|(k, q)| (k.clone(), q.string())).collect()
    }

    /// Reference §13 vector 1: a quota on requests.cpu, a container without a cpu request.
    #[test]
    fn constraint_missing_request() {
        let q = quota(
            "q",
            json!({"requests.cpu": "1"}),
            json!({"requests.cpu": "0"}),
        );
        let p = pod(json!([{"name": "app", "image": "nginx"}]));
        assert_eq!(
            verdict(check_request(&Evaluator::Pods, &[q], &p, None, now())),
            Err("failed quota: q: must specify requests.cpu for: app".into())
        );
    }

    /// Vector 2: legacy names count as constrained; resources and containers sorted.
    #[test]
    fn constraint_lists_sorted() {
        let q = quota(
            "q",
            json!({"cpu": "2", "memory": "2Gi"}),
            json!({"cpu": "0", "memory": "0"}),
        );
        let p = pod(json!([
            {"name": "b", "resources": {"requests": {"cpu": "100m"}}},
            {"name": "a"}
        ]));
        assert_eq!(
            verdict(check_request(&Evaluator::Pods, &[q], &p, None, now())),
            Err("failed quota: q: must specify cpu for: a; memory for: a,b".into())
        );
        // The brief's: limits and requests of one container.
        let q = quota(
            "q",
            json!({"limits.cpu": "2", "requests.memory": "1Gi"}),
            json!({"limits.cpu": "0", "requests.memory": "0"}),
        );
        let p = pod(json!([{"name": "nginx"}]));
        assert_eq!(
            verdict(check_request(&Evaluator::Pods, &[q], &p, None, now())),
            Err(
                "failed quota: q: must specify limits.cpu for: nginx; requests.memory for: nginx"
                    .into()
            )
        );
    }

    /// Vector 3 and the brief's message: only the exceeded resources, sorted.
    #[test]
    fn exceeded() {
        let q = quota(
            "q",
            json!({"requests.cpu": "1"}),
            json!({"requests.cpu": "800m"}),
        );
        let p = pod(json!([{"name": "a", "resources": {"requests": {"cpu": "500m"}}}]));
        assert_eq!(
            verdict(check_request(&Evaluator::Pods, &[q], &p, None, now())),
            Err("exceeded quota: q, requested: requests.cpu=500m, used: requests.cpu=800m, limited: requests.cpu=1".into())
        );
        let q = quota(
            "q",
            json!({"requests.cpu": "1"}),
            json!({"requests.cpu": "1"}),
        );
        let p = pod(json!([{"name": "a", "resources": {"requests": {"cpu": "1"}}}]));
        assert_eq!(
            verdict(check_request(&Evaluator::Pods, &[q], &p, None, now())),
            Err("exceeded quota: q, requested: requests.cpu=1, used: requests.cpu=1, limited: requests.cpu=1".into())
        );
        // The docs page: 600Mi used + 700Mi > 1Gi; limits fit and are not listed.
        let q = quota(
            "mem-cpu-demo",
            json!({"limits.cpu": "2", "limits.memory": "2Gi", "requests.cpu": "1", "requests.memory": "1Gi"}),
            json!({"limits.cpu": "800m", "limits.memory": "800Mi", "requests.cpu": "400m", "requests.memory": "600Mi"}),
        );
        let p = pod(json!([{"name": "c", "resources": {
            "limits": {"cpu": "800m", "memory": "1Gi"},
            "requests": {"cpu": "400m", "memory": "700Mi"}}}]));
        assert_eq!(
            verdict(check_request(&Evaluator::Pods, &[q], &p, None, now())),
            Err("exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi".into())
        );
    }

    /// Vector 4: object counts of any kind.
    #[test]
    fn object_count() {
        let ev = evaluator_for(&crate::kinds::deployment::KIND).unwrap();
        let q = quota(
            "q",
            json!({"count/deployments.apps": "1"}),
            json!({"count/deployments.apps": "1"}),
        );
        let d = json!({"metadata": {"name": "d2"}});
        assert_eq!(
            verdict(check_request(&ev, &[q], &d, None, now())),
            Err("exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1".into())
        );
        let cm = evaluator_for(&crate::kinds::configmap::KIND).unwrap();
        assert_eq!(
            names(&cm.usage(&json!({}), now())),
            [
                ("configmaps".into(), "1".into()),
                ("count/configmaps".into(), "1".into())
            ]
        );
        assert_eq!(evaluator_for(&crate::kinds::event::KIND), None);
    }

    /// A charge: the new used of each matching quota, masked to its hard names.
    #[test]
    fn admitted_charges_used() {
        let q1 = quota("a", json!({"pods": "2"}), json!({"pods": "1"}));
        let q2 = quota("b", json!({"services": "2"}), json!({"services": "0"}));
        let p = pod(json!([{"name": "a"}]));
        let v = check_request(&Evaluator::Pods, &[q1, q2], &p, None, now()).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].0, 0);
        assert_eq!(names(&v[0].1), [("pods".into(), "2".into())]);
        // Not yet synced (no status): nothing is checked.
        let fresh = json!({"metadata": {"name": "q"}, "spec": {"hard": {"pods": "0"}}});
        assert_eq!(
            verdict(check_request(&Evaluator::Pods, &[fresh], &p, None, now())),
            Ok(0)
        );
        // Hard synced, used not yet: status unknown.
        let half =
            json!({"metadata": {"name": "q"}, "status": {"hard": {"pods": "1", "cpu": "1"}}});
        let p2 = pod(json!([{"name": "a", "resources": {"requests": {"cpu": "1"}}}]));
        assert_eq!(
            verdict(check_request(&Evaluator::Pods, &[half], &p2, None, now())),
            Err("status unknown for quota: q, resources: cpu,pods".into())
        );
    }

    /// Vector 5: a finished pod stops counting for `pods` and compute, not for `count/pods`.
    #[test]
    fn terminal_pods_are_not_charged() {
        let mut p = pod(json!([{"name": "a", "resources": {"requests": {"cpu": "500m"}}}]));
        let u = Evaluator::Pods.usage(&p, now());
        assert_eq!(
            names(&u),
            [
                ("count/pods".into(), "1".into()),
                ("cpu".into(), "500m".into()),
                ("pods".into(), "1".into()),
                ("requests.cpu".into(), "500m".into())
            ]
        );
        p.set("/status", json!({"phase": "Succeeded"})).unwrap();
        assert_eq!(
            names(&Evaluator::Pods.usage(&p, now())),
            [("count/pods".into(), "1".into())]
        );
        let gone = |grace: i64| {
            json!({"metadata": {"deletionTimestamp": "2025-12-31T23:59:00Z",
                                "deletionGracePeriodSeconds": grace}})
        };
        assert!(!charged(&gone(30), now()));
        assert!(charged(&gone(120), now()));
    }

    #[test]
    fn scopes() {
        let scoped = |scopes: Value| {
            json!({"metadata": {"name": "q"}, "spec": {"hard": {"pods": "5"}, "scopes": scopes},
                   "status": {"hard": {"pods": "5"}, "used": {"pods": "0"}}})
        };
        let be = pod(json!([{"name": "a"}]));
        let burst = pod(json!([{"name": "a", "resources": {"requests": {"memory": "1Gi"}}}]));
        let mut term = be.clone();
        term.set("/spec/activeDeadlineSeconds", json!(30)).unwrap();
        let ev = Evaluator::Pods;
        assert!(ev.matches(&scoped(json!(["BestEffort"])), &be));
        assert!(!ev.matches(&scoped(json!(["BestEffort"])), &burst));
        assert!(ev.matches(&scoped(json!(["NotBestEffort"])), &burst));
        assert!(ev.matches(&scoped(json!(["Terminating"])), &term));
        assert!(!ev.matches(&scoped(json!(["Terminating", "BestEffort"])), &be));
        assert!(ev.matches(&scoped(json!(["NotTerminating", "BestEffort"])), &be));
        let mut high = be.clone();
        high.set("/spec/priorityClassName", json!("high")).unwrap();
        let sel = json!({"metadata": {"name": "q"},
            "spec": {"hard": {"pods": "5"}, "scopeSelector": {"matchExpressions": [
                {"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]}},
            "status": {"hard": {"pods": "5"}, "used": {"pods": "0"}}});
        assert!(ev.matches(&sel, &high));
        assert!(!ev.matches(&sel, &be));
        // Scoped quotas never match objects other than pods.
        let svc = evaluator_for(&crate::kinds::service::KIND).unwrap();
        let sq = json!({"spec": {"scopes": ["BestEffort"]}, "status": {"hard": {"services": "1"}}});
        assert!(!svc.matches(&sq, &json!({})));
    }

    #[test]
    fn service_and_claim_usage() {
        let svc = Evaluator::Services;
        let np = json!({"spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 443}]}});
        assert_eq!(
            names(&svc.usage(&np, now())),
            [
                ("count/services".into(), "1".into()),
                ("services".into(), "1".into()),
                ("services.loadbalancers".into(), "0".into()),
                ("services.nodeports".into(), "2".into())
            ]
        );
        let pvc = json!({"spec": {"storageClassName": "standard",
                                  "resources": {"requests": {"storage": "3Gi"}}}});
        let u = Evaluator::Claims.usage(&pvc, now());
        assert_eq!(u["requests.storage"].string(), "3Gi");
        assert_eq!(
            u["standard.storageclass.storage.k8s.io/requests.storage"].string(),
            "3Gi"
        );
        assert_eq!(
            Evaluator::Claims.matching_resources(&[
                "pods",
                "requests.storage",
                "gold.storageclass.storage.k8s.io/persistentvolumeclaims"
            ]),
            [
                "requests.storage",
                "gold.storageclass.storage.k8s.io/persistentvolumeclaims"
            ]
        );
    }

    /// An update is charged the growth only (services: a ClusterIP turned NodePort).
    #[test]
    fn update_charges_the_difference() {
        let q = quota(
            "q",
            json!({"services.nodeports": "1", "services": "5"}),
            json!({"services.nodeports": "0", "services": "1"}),
        );
        let old = json!({"spec": {"type": "ClusterIP", "ports": [{"port": 80}]}});
        let new = json!({"spec": {"type": "NodePort", "ports": [{"port": 80}]}});
        let v = check_request(
            &Evaluator::Services,
            std::slice::from_ref(&q),
            &new,
            Some(&old),
            now(),
        )
        .unwrap();
        assert_eq!(
            names(&v[0].1),
            [
                ("services".into(), "1".into()),
                ("services.nodeports".into(), "1".into())
            ]
        );
        // Pods are not checked on update.
        assert_eq!(
            verdict(check_request(
                &Evaluator::Pods,
                &[q],
                &pod(json!([])),
                Some(&json!({})),
                now()
            )),
            Ok(0)
        );
    }
}
