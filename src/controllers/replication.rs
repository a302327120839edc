//! The ReplicaSet and ReplicationController controllers as clients of the API: event
//! handlers that find the set a pod belongs to, and a sync that applies the pure plan of
//! [`super::replicaset`] through the API, in upstream order (claim, delete, create, status).

use super::replicaset::{self, RsEvent, RsKind, RsLike, RsStatus};
use super::{Controller, split_key};
use crate::api::Ptr;
use crate::api::errors::{ApiError, Reason};
use crate::api::kinds::KindInfo;
use crate::api::{Api, Change, DeleteOptions, Involved, Op, name_of, namespace_of};
use crate::engine::SyncResult;
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::{Pod, ReplicationController};
use serde::Deserialize;
use serde_json::Value;

/// One controller for either kind (upstream runs the RC controller through an adapter too).
/// Pods are decoded into a slim [`pod_view`] at each sync: a pod changes between almost
/// every two syncs of its set, so a cache of decoded pods would cost memory and save nothing.
pub struct ReplicaSetController {
    pub kind: RsKind,
}

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(Reason::InternalError, e.to_string())
}

fn uid_of(v: &Value) -> &str {
    v.ptr("/metadata/uid").and_then(Value::as_str).unwrap_or("")
}

/// What the ReplicaSet logic reads of a pod ([`super::replicaset`], [`super::podutil`]): the
/// metadata, the node it is bound to and the status. The rest of the spec is left out, so
/// decoding costs a fraction of a whole pod.
pub fn pod_view(v: &Value) -> Result<Pod, ApiError> {
    PodView::deserialize(v).map(Pod::from).map_err(internal)
}

/// The parts of a pod [`pod_view`] keeps, decoded from a tree or from text alike.
#[derive(Deserialize)]
pub struct PodView {
    #[serde(default)]
    metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    #[serde(default)]
    spec: Option<SpecView>,
    #[serde(default)]
    status: Option<StatusView>,
}

#[derive(Deserialize)]
struct SpecView {
    #[serde(rename = "nodeName", default)]
    node_name: Option<String>,
}

/// The status fields [`super::podutil`] reads: the phase, the conditions (Ready and when it
/// became so) and the containers' restart counts. Container states, images, IPs are left
/// out: they are most of a running pod's status.
#[derive(Deserialize)]
struct StatusView {
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    conditions: Option<Vec<ConditionView>>,
    #[serde(rename = "containerStatuses", default)]
    container_statuses: Option<Vec<RestartsView>>,
}

#[derive(Deserialize)]
struct ConditionView {
    #[serde(rename = "type")]
    type_: String,
    status: String,
    #[serde(rename = "lastTransitionTime", default)]
    last_transition_time: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>,
}

#[derive(Deserialize)]
struct RestartsView {
    #[serde(rename = "restartCount", default)]
    restart_count: i32,
}

impl From<StatusView> for k8s_openapi::api::core::v1::PodStatus {
    fn from(s: StatusView) -> Self {
        use k8s_openapi::api::core::v1::{ContainerStatus, PodCondition};
        k8s_openapi::api::core::v1::PodStatus {
            phase: s.phase,
            conditions: s.conditions.map(|cs| {
                cs.into_iter()
                    .map(|c| PodCondition {
                        type_: c.type_,
                        status: c.status,
                        last_transition_time: c.last_transition_time,
                        ..Default::default()
                    })
                    .collect()
            }),
            container_statuses: s.container_statuses.map(|cs| {
                cs.into_iter()
                    .map(|c| ContainerStatus {
                        restart_count: c.restart_count,
                        ..Default::default()
                    })
                    .collect()
            }),
            ..Default::default()
        }
    }
}

impl From<PodView> for Pod {
    fn from(v: PodView) -> Pod {
        Pod {
            metadata: v.metadata,
            spec: Some(k8s_openapi::api::core::v1::PodSpec {
                node_name: v.spec.and_then(|s| s.node_name),
                ..Default::default()
            }),
            status: v.status.map(Into::into),
        }
    }
}

impl ReplicaSetController {
    pub fn new(kind: RsKind) -> ReplicaSetController {
        ReplicaSetController { kind }
    }
    fn info(&self) -> &'static KindInfo {
        match self.kind {
            RsKind::ReplicaSet => &crate::kinds::replicaset::KIND,
            RsKind::ReplicationController => &crate::kinds::replicationcontroller::KIND,
        }
    }
    fn set_view(&self, v: &Value) -> Result<RsLike, ApiError> {
        Ok(match self.kind {
            RsKind::ReplicaSet => RsLike::from_rs(&ReplicaSet::deserialize(v).map_err(internal)?),
            RsKind::ReplicationController => {
                RsLike::from_rc(&ReplicationController::deserialize(v).map_err(internal)?)
            }
        })
    }
    /// The views of the pods `uid` controls (`""`: orphans).
    fn views(api: &mut Api, ns: &str, uid: &str) -> Result<Vec<Pod>, ApiError> {
        let pod_info = &crate::kinds::pod::KIND;
        Ok(api
            .decode_controlled::<PodView>(pod_info, ns, uid)?
            .into_iter()
            .map(Pod::from)
            .collect())
    }
}

/// The controller ownerReference of an object: (kind, name, uid).
pub fn controller_of(v: &Value) -> Option<(&str, &str, &str)> {
    let r = v
        .ptr("/metadata/ownerReferences")?
        .as_array()?
        .iter()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true))?;
    Some((
        r.get("kind")?.as_str()?,
        r.get("name")?.as_str()?,
        r.get("uid")?.as_str()?,
    ))
}

/// Sets an adopted or released pod's ownerReferences on the stored object (the decoded view
/// lacks the spec, so it is never written back whole).
pub(crate) fn write_owner_refs(
    api: &mut Api,
    ns: &str,
    name: &str,
    change: impl FnOnce(&mut Pod) -> Result<(), String>,
) -> Result<bool, ApiError> {
    let pod_info = &crate::kinds::pod::KIND;
    let mut full = api.get(pod_info, ns, name)?;
    let mut p = pod_view(&full)?;
    if change(&mut p).is_err() {
        return Ok(false);
    }
    match p.metadata.owner_references {
        Some(refs) => {
            full["metadata"]["ownerReferences"] = serde_json::to_value(refs).map_err(internal)?
        }
        None => {
            if let Some(m) = full["metadata"].as_object_mut() {
                m.remove("ownerReferences");
            }
        }
    }
    api.update_quiet(pod_info, ns, full)?;
    Ok(true)
}

impl Controller for ReplicaSetController {
    fn name(&self) -> &'static str {
        self.kind.event_component()
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let ours = self.kind.kind();
        let ns = namespace_of(&change.object).to_string();
        if change.info.kind == ours {
            // Our own status write: a sync now would find nothing to do (upstream runs it
            // anyway, to no effect).
            if change.verb == "status" && change.actor == self.name() {
                return;
            }
            keys.push(format!("{ns}/{}", name_of(&change.object)));
            return;
        }
        if change.info.kind != "Pod" {
            return;
        }
        match controller_of(&change.object) {
            Some((k, n, _)) if k == ours => keys.push(format!("{ns}/{n}")),
            Some(_) => {}
            None if change.op != Op::Deleted => {
                // An orphan: every set of ours whose selector matches may adopt it.
                let info = self.info();
                if let Ok(sets) = api.list_ref(info, Some(&ns)) {
                    let labels = change.object.ptr("/metadata/labels");
                    for s in sets {
                        if let Ok(rs) = self.set_view(s)
                            && selector_matches(&rs, labels)
                        {
                            keys.push(format!("{ns}/{}", name_of(s)));
                        }
                    }
                }
            }
            None => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = split_key(key);
        let info = self.info();
        let pod_info = &crate::kinds::pod::KIND;
        // Events name the set as it was when the sync started.
        let (rs, obj, owner_uid) = {
            let Some(obj) = api.try_get_ref(info, ns, name)? else {
                return Ok(SyncResult::default());
            };
            (
                self.set_view(obj)?,
                Involved::of(obj),
                controller_of(obj).map(|(_, _, u)| u.to_string()),
            )
        };
        let uid = rs.uid.clone();
        let own = Self::views(api, ns, &uid)?;
        let orphans = Self::views(api, ns, "")?;
        let mut pod_refs: Vec<&Pod> = own.iter().chain(orphans.iter()).collect();
        pod_refs.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        let now = api.now();
        let mut plan = replicaset::sync(&rs, &pod_refs, &pod_refs, now);
        // Pods of every set sharing our controller (a Deployment's ReplicaSets) rank the
        // scale-down: looked up only when there is something to delete.
        if !plan.delete.is_empty()
            && let Some(owner_uid) = &owner_uid
        {
            let sibs: Vec<String> = api
                .list_controlled_ref(info, ns, owner_uid)?
                .into_iter()
                .map(|sib| uid_of(sib).to_string())
                .collect();
            let mut related: Vec<Pod> = Vec::new();
            for su in sibs {
                if su == uid {
                    related.extend(own.iter().cloned());
                } else {
                    let v = Self::views(api, ns, &su)?;
                    related.extend(v);
                }
            }
            let rel_refs: Vec<&Pod> = related.iter().collect();
            plan = replicaset::sync(&rs, &pod_refs, &rel_refs, now);
        }
        if plan.invalid_selector.is_some() {
            return Ok(SyncResult::default());
        }
        let component = self.kind.event_component();
        // 1. claim
        for pname in &plan.adopt {
            let Some(p) = pod_refs
                .iter()
                .find(|p| p.metadata.name.as_deref() == Some(pname))
            else {
                continue;
            };
            let pname = p.metadata.name.clone().unwrap_or_default();
            if !write_owner_refs(api, ns, &pname, |p| replicaset::adopt_pod(p, &rs))? {
                return Ok(SyncResult::default());
            }
        }
        for pname in &plan.release {
            let Some(p) = pod_refs
                .iter()
                .find(|p| p.metadata.name.as_deref() == Some(pname))
            else {
                continue;
            };
            let pname = p.metadata.name.clone().unwrap_or_default();
            let _ = write_owner_refs(api, ns, &pname, |p| {
                replicaset::release_pod(p, &rs);
                Ok(())
            });
        }
        let mut manage_error: Option<String> = plan.manage_error.clone();
        // 2. deletes
        for pname in &plan.delete {
            match api.delete(pod_info, ns, pname, DeleteOptions::default()) {
                Ok(_) => event(
                    api,
                    &obj,
                    RsEvent::SuccessfulDelete { pod: pname.clone() },
                    component,
                ),
                Err(e) if e.reason == Reason::NotFound => {}
                Err(e) => {
                    event(
                        api,
                        &obj,
                        RsEvent::FailedDelete {
                            error: e.message.clone(),
                        },
                        component,
                    );
                    manage_error.get_or_insert(replicaset::delete_error_message(&e.message));
                }
            }
        }
        // 3. creates, in slow-start batches
        let mut remaining = plan.create.iter();
        'batches: for size in replicaset::slow_start_batches(plan.create.len()) {
            let mut failed = false;
            for p in remaining.by_ref().take(size) {
                let v = serde_json::to_value(p)
                    .map_err(|e| ApiError::new(Reason::InternalError, e.to_string()))?;
                match api.create_name(pod_info, ns, v) {
                    Ok(created) => event(
                        api,
                        &obj,
                        RsEvent::SuccessfulCreate { pod: created },
                        component,
                    ),
                    Err(e)
                        if e.reason == Reason::Forbidden
                            && e.message.contains("being terminated") => {}
                    Err(e) => {
                        event(
                            api,
                            &obj,
                            RsEvent::FailedCreate {
                                error: e.message.clone(),
                            },
                            component,
                        );
                        manage_error.get_or_insert(e.message.clone());
                        failed = true;
                    }
                }
            }
            if failed {
                break 'batches;
            }
        }
        // 4. status
        let (status, requeue) = match &manage_error {
            None => (plan.status.clone(), plan.requeue_after),
            Some(err) => plan.finish(&rs, Some(err), now),
        };
        if let Some(st) = status {
            write_status(api, info, ns, name, &st)?;
        }
        let mut res = SyncResult::default();
        if let Some(d) = requeue {
            res.requeue_after.push((d, true));
        }
        if manage_error.is_some() {
            res.requeue_after
                .push((jiff::SignedDuration::from_secs(10), false));
        }
        Ok(res)
    }
}

fn selector_matches(rs: &RsLike, labels: Option<&Value>) -> bool {
    let Some(sel) = &rs.selector else {
        return false;
    };
    match crate::api::selector::Selector::from_label_selector(sel) {
        Ok(s) => !s.is_empty() && s.matches_value(labels),
        Err(_) => false,
    }
}

fn event(api: &mut Api, obj: &Involved, ev: RsEvent, component: &str) {
    api.record_event_for(
        obj,
        ev.event_type(),
        ev.reason(),
        &ev.message(),
        component,
        None,
    );
}

fn write_status(
    api: &mut Api,
    info: &'static KindInfo,
    ns: &str,
    name: &str,
    st: &RsStatus,
) -> Result<(), ApiError> {
    match api.put_status(info, ns, name, st.to_value()) {
        Err(e) if e.reason == Reason::NotFound => Ok(()),
        r => r,
    }
}
