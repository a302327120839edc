//! What kube-controller-manager does about node taints:
//!
//! - [`NodeLifecycleController`] (pkg/controller/nodelifecycle, `doNoScheduleTaintingPass`):
//!   a cordoned node (`spec.unschedulable`) carries the taint
//!   `node.kubernetes.io/unschedulable:NoSchedule` (with `timeAdded`), removed on uncordon.
//!   The simulated nodes are always Ready, so the condition taints (`not-ready`,
//!   `unreachable`, `memory-pressure`, ...) never appear.
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
use crate::util::fields::Fields;
use jiff::SignedDuration;
use k8s_openapi::api::core::v1::{Taint, Toleration};
use serde::Deserialize;
use serde_json::{Value, json};

/// The taint of a cordoned node.
pub const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

fn is_unschedulable_taint(t: &Value) -> bool {
    t.get("key").and_then(Value::as_str) == Some(UNSCHEDULABLE_TAINT)
        && t.get("effect").and_then(Value::as_str) == Some("NoSchedule")
}

/// Whether the node's taints disagree with `spec.unschedulable`.
fn needs_tainting_pass(node: &Value) -> bool {
    let cordoned = node.ptr("/spec/unschedulable").and_then(Value::as_bool) == Some(true);
    let tainted = node
        .ptr("/spec/taints")
        .and_then(Value::as_array)
        .is_some_and(|ts| ts.iter().any(is_unschedulable_taint));
    cordoned != tainted
}

pub struct NodeLifecycleController;

impl Controller for NodeLifecycleController {
    fn name(&self) -> &'static str {
        "node-lifecycle-controller"
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        if change.info == &crate::kinds::node::KIND
            && change.op != Op::Deleted
            && needs_tainting_pass(&change.object)
        {
            keys.push(name_of(&change.object).to_string());
        }
    }

    fn sync(&mut self, api: &mut Api, name: &str) -> Result<SyncResult, ApiError> {
        let info = &crate::kinds::node::KIND;
        let Some(mut node) = api.try_get(info, "", name)? else {
            return Ok(SyncResult::default());
        };
        if !needs_tainting_pass(&node) {
            return Ok(SyncResult::default());
        }
        let cordoned = node.ptr("/spec/unschedulable").and_then(Value::as_bool) == Some(true);
        let mut taints: Vec<Value> = node
            .ptr("/spec/taints")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if cordoned {
            taints.push(json!({
                "effect": "NoSchedule",
                "key": UNSCHEDULABLE_TAINT,
                "timeAdded": fmt_time(api.now()),
            }));
        } else {
            taints.retain(|t| !is_unschedulable_taint(t));
        }
        let spec = node.fields_at("/spec")?;
        if taints.is_empty() {
            spec.remove("taints");
        } else {
            spec.insert("taints".into(), Value::Array(taints));
        }
        api.update(info, "", node)?;
        Ok(SyncResult::default())
    }
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
            "Node" => {
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
            "Pod" if change.op != Op::Deleted => {
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
        assert!(needs_tainting_pass(&cordoned));
        let done = json!({"spec": {"unschedulable": true, "taints": [
            {"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule", "timeAdded": "2026-01-01T00:00:00Z"}
        ]}});
        assert!(!needs_tainting_pass(&done));
        let uncordoned = json!({"spec": {"taints": [
            {"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule"}
        ]}});
        assert!(needs_tainting_pass(&uncordoned));
        assert!(!needs_tainting_pass(&json!({"spec": {}})));
    }
}
