//! The simulated kubelets as a client of the API: every Node in the state is run by one.
//! For each pod bound to a node it calls the pure state machine of [`super::kubelet`], writes
//! the pod status, records the kubelet's events, finishes graceful deletions, and asks the
//! engine to wake it when the next thing happens (an image pull finishing, a container
//! exiting, a back-off ending). Nodes applied without a status get what a kubelet reports.

use super::kubelet::{self, KubeletCtx};
use crate::api::Ptr;
use crate::api::errors::{ApiError, Reason};
use crate::api::kinds::by_kind;
use crate::api::{Api, Change, DeleteOptions, Involved, Op, name_of, namespace_of};
use crate::controllers::{Controller, split_key};
use crate::engine::SyncResult;
use jiff::SignedDuration;
use k8s_openapi::api::core::v1::{Node, Pod};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// How far ahead a kubelet timer may lie and still hold up settling: a container that
/// finishes within this time (a Job's pod) finishes before the command returns; one that
/// sleeps for an hour keeps running, as it would while you look at a real cluster.
pub const SETTLE_HORIZON_SECS: i64 = 60;

/// How often a kubelet reports an unchanged node status (nodeStatusReportFrequency, 5m).
pub const NODE_STATUS_REPORT_SECS: i64 = 300;

#[derive(Default)]
pub struct Kubelets {
    /// node name → pod key → pod, for admission and IP allocation; built on first use. The
    /// pods are [`slim`]: only what admission and IP allocation read.
    cache: Option<BTreeMap<String, BTreeMap<String, Pod>>>,
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

/// What the kubelet cache keeps of a pod: admission reads the uid, the phase and the spec's
/// resource requests (`scheduler::pod_requests`), IP allocation the pod IP.
fn slim(pod: Pod) -> Pod {
    Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            uid: pod.metadata.uid,
            ..Default::default()
        },
        spec: pod.spec,
        status: pod.status.map(|s| k8s_openapi::api::core::v1::PodStatus {
            phase: s.phase,
            pod_ip: s.pod_ip,
            ..Default::default()
        }),
    }
}

fn node_of(v: &Value) -> &str {
    v.ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
}

impl Kubelets {
    fn build_cache(&mut self, api: &mut Api) -> Result<(), ApiError> {
        if self.cache.is_some() {
            return Ok(());
        }
        let mut c: BTreeMap<String, BTreeMap<String, Pod>> = BTreeMap::new();
        for v in api.list_ref(by_kind("Pod").expect("registered"), None)? {
            let n = node_of(v);
            if !n.is_empty()
                && let Ok(p) = Pod::deserialize(v)
            {
                c.entry(n.to_string())
                    .or_default()
                    .insert(format!("{}/{}", namespace_of(v), name_of(v)), slim(p));
            }
        }
        self.cache = Some(c);
        Ok(())
    }

    /// The lowest free address of the node's pod CIDR (x.y.z.2 upwards).
    fn allocate_ip(&self, node: &Node, key: &str) -> String {
        let cidr = node
            .spec
            .as_ref()
            .and_then(|s| s.pod_cidr.clone())
            .unwrap_or_else(|| "10.244.0.0/24".to_string());
        let base: Vec<&str> = cidr
            .split('/')
            .next()
            .unwrap_or("10.244.0.0")
            .split('.')
            .collect();
        let prefix = base[..3.min(base.len())].join(".");
        let name = node.metadata.name.clone().unwrap_or_default();
        let used: Vec<String> = self
            .cache
            .as_ref()
            .and_then(|c| c.get(&name))
            .map(|pods| {
                pods.iter()
                    .filter(|(k, _)| k.as_str() != key)
                    .filter_map(|(_, p)| p.status.as_ref().and_then(|s| s.pod_ip.clone()))
                    .collect()
            })
            .unwrap_or_default();
        for i in 2..255 {
            let ip = format!("{prefix}.{i}");
            if !used.contains(&ip) {
                return ip;
            }
        }
        format!("{prefix}.254")
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
                if let Some(c) = self.cache.as_mut() {
                    if change.op == Op::Deleted {
                        if let Some(pods) = c.get_mut(&node) {
                            pods.remove(&key);
                        }
                    } else if (change.op == Op::Added || change.verb == "bind")
                        && !node.is_empty()
                        && let Ok(p) = Pod::deserialize(&*change.object)
                    {
                        c.entry(node.clone())
                            .or_default()
                            .insert(key.clone(), slim(p));
                    }
                }
                // The kubelet's own status writes need no reaction (it asked for its wake-up).
                if change.op != Op::Deleted && !node.is_empty() && change.actor != "kubelet" {
                    keys.push(key);
                }
            }
            "Node" => {
                let name = name_of(&change.object).to_string();
                self.nodes.remove(&name);
                if change.op == Op::Added {
                    keys.push(format!("node:{name}"));
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let node_info = by_kind("Node").expect("registered");
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
            return Ok(SyncResult {
                requeue_after: vec![(SignedDuration::from_secs(NODE_STATUS_REPORT_SECS), false)],
            });
        }
        let (ns, name) = split_key(key);
        let pod_info = by_kind("Pod").expect("registered");
        // The pod is decoded straight from the store; events name it as it is now.
        let (pod, involved, node_name) = {
            let Some(pv) = api.try_get_ref(pod_info, ns, name)? else {
                return Ok(SyncResult::default());
            };
            let node_name = node_of(pv).to_string();
            if node_name.is_empty() {
                return Ok(SyncResult::default());
            }
            let pod = Pod::deserialize(pv).map_err(internal);
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
        self.build_cache(api)?;
        let pod_ip = pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .unwrap_or_else(|| self.allocate_ip(&node, key));
        let others: Vec<&Pod> = self
            .cache
            .as_ref()
            .and_then(|c| c.get(&node_name))
            .map(|pods| {
                pods.iter()
                    .filter(|(k, _)| k.as_str() != key)
                    .map(|(_, p)| p)
                    .collect()
            })
            .unwrap_or_default();
        let now = api.now();
        let ctx = KubeletCtx {
            pod_ip,
            pods_on_node: &others,
        };
        let sync = kubelet::sync_pod(&pod, &node, now, &ctx);
        for ev in &sync.events {
            api.record_event_for(
                &involved,
                &ev.type_,
                &ev.reason,
                &ev.message,
                "kubelet",
                ev.field_path.as_deref(),
            );
        }
        if sync.delete_now {
            match api.delete(
                pod_info,
                ns,
                name,
                DeleteOptions {
                    propagation: None,
                    grace_period: Some(0),
                },
            ) {
                Ok(_) => {}
                Err(e) if e.reason == Reason::NotFound => {}
                Err(e) => return Err(e),
            }
            return Ok(SyncResult::default());
        }
        let mut backing_off = false;
        let deleting = pod.metadata.deletion_timestamp.is_some();
        if let Some(st) = sync.status {
            backing_off = waiting_in_backoff(&st);
            let stv = serde_json::to_value(&st).map_err(internal)?;
            if let Some(pods) = self.cache.as_mut().and_then(|c| c.get_mut(&node_name)) {
                let mut p = pod;
                p.status = Some(st);
                pods.insert(key.to_string(), slim(p));
            }
            api.put_status(pod_info, ns, name, stv)?;
        } else if let Some(st) = &pod.status {
            backing_off = waiting_in_backoff(st);
        }
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
