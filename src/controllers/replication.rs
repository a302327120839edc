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
use crate::util::fields::Fields;
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
            full.set(
                "/metadata/ownerReferences",
                serde_json::to_value(refs).map_err(internal)?,
            )?;
        }
        None => {
            full.unset("/metadata/ownerReferences");
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
        if change.info != &crate::kinds::pod::KIND {
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
        let own = Self::views(api, ns, &rs.uid)?;
        let orphans = Self::views(api, ns, "")?;
        let mut pod_refs: Vec<&Pod> = own.iter().chain(orphans.iter()).collect();
        pod_refs.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        let now = api.now();
        let set = SetInSync {
            info,
            ns,
            rs: &rs,
            obj: &obj,
            component: self.kind.event_component(),
        };
        let plan = set.plan(api, &own, &pod_refs, owner_uid.as_deref(), now)?;
        if plan.invalid_selector.is_some() {
            return Ok(SyncResult::default());
        }
        // 1. claim
        if !set.claim(api, &plan, &pod_refs)? {
            return Ok(SyncResult::default());
        }
        let mut manage_error: Option<String> = plan.manage_error.clone();
        // 2. deletes
        set.delete_pods(api, &plan.delete, &mut manage_error);
        // 3. creates, in slow-start batches
        set.create_pods(api, &plan.create, &mut manage_error)?;
        // 4. status
        set.finish(api, name, &plan, manage_error, now)
    }
}

/// One set being synced: what its steps (claim, delete, create, status) share.
struct SetInSync<'a> {
    info: &'static KindInfo,
    ns: &'a str,
    rs: &'a RsLike,
    /// The set as events name it (as it was when the sync started).
    obj: &'a Involved,
    component: &'static str,
}

impl SetInSync<'_> {
    /// The pure plan; when it deletes, planned again with the pods of every set sharing our
    /// controller (a Deployment's ReplicaSets), which rank the scale-down — looked up only
    /// when there is something to delete.
    fn plan(
        &self,
        api: &mut Api,
        own: &[Pod],
        pod_refs: &[&Pod],
        owner_uid: Option<&str>,
        now: jiff::Timestamp,
    ) -> Result<replicaset::RsPlan, ApiError> {
        let plan = replicaset::sync(self.rs, pod_refs, pod_refs, now);
        let Some(owner_uid) = owner_uid.filter(|_| !plan.delete.is_empty()) else {
            return Ok(plan);
        };
        let sibs: Vec<String> = api
            .list_controlled_ref(self.info, self.ns, owner_uid)?
            .into_iter()
            .map(|sib| uid_of(sib).to_string())
            .collect();
        let mut related: Vec<Pod> = Vec::new();
        for su in sibs {
            if su == self.rs.uid {
                related.extend(own.iter().cloned());
            } else {
                related.extend(ReplicaSetController::views(api, self.ns, &su)?);
            }
        }
        let rel_refs: Vec<&Pod> = related.iter().collect();
        Ok(replicaset::sync(self.rs, pod_refs, &rel_refs, now))
    }

    /// Adopts and releases pods as planned; `false` when an adoption found the set changed
    /// (the sync stops, as upstream's claim error ends it).
    fn claim(
        &self,
        api: &mut Api,
        plan: &replicaset::RsPlan,
        pod_refs: &[&Pod],
    ) -> Result<bool, ApiError> {
        let rs = self.rs;
        let named = |pname: &str| {
            pod_refs
                .iter()
                .find(|p| p.metadata.name.as_deref() == Some(pname))
                .and_then(|p| p.metadata.name.clone())
        };
        for pname in plan.adopt.iter().filter_map(|p| named(p)) {
            if !write_owner_refs(api, self.ns, &pname, |p| replicaset::adopt_pod(p, rs))? {
                return Ok(false);
            }
        }
        for pname in plan.release.iter().filter_map(|p| named(p)) {
            let _ = write_owner_refs(api, self.ns, &pname, |p| {
                replicaset::release_pod(p, rs);
                Ok(())
            });
        }
        Ok(true)
    }

    /// Deletes the planned pods; the first failure becomes the manage error.
    fn delete_pods(&self, api: &mut Api, delete: &[String], manage_error: &mut Option<String>) {
        for pname in delete {
            match api.delete(
                &crate::kinds::pod::KIND,
                self.ns,
                pname,
                DeleteOptions::default(),
            ) {
                Ok(_) => self.event(api, RsEvent::SuccessfulDelete { pod: pname.clone() }),
                Err(e) if e.reason == Reason::NotFound => {}
                Err(e) => {
                    self.event(
                        api,
                        RsEvent::FailedDelete {
                            error: e.message.clone(),
                        },
                    );
                    manage_error.get_or_insert(replicaset::delete_error_message(&e.message));
                }
            }
        }
    }

    /// Creates the planned pods in slow-start batches, stopping after a batch with a failure.
    fn create_pods(
        &self,
        api: &mut Api,
        create: &[Pod],
        manage_error: &mut Option<String>,
    ) -> Result<(), ApiError> {
        let mut remaining = create.iter();
        for size in replicaset::slow_start_batches(create.len()) {
            let mut failed = false;
            for p in remaining.by_ref().take(size) {
                let v = serde_json::to_value(p)
                    .map_err(|e| ApiError::new(Reason::InternalError, e.to_string()))?;
                match api.create_name(&crate::kinds::pod::KIND, self.ns, v) {
                    Ok(created) => self.event(api, RsEvent::SuccessfulCreate { pod: created }),
                    Err(e)
                        if e.reason == Reason::Forbidden
                            && e.message.contains("being terminated") => {}
                    Err(e) => {
                        self.event(
                            api,
                            RsEvent::FailedCreate {
                                error: e.message.clone(),
                            },
                        );
                        manage_error.get_or_insert(e.message.clone());
                        failed = true;
                    }
                }
            }
            if failed {
                break;
            }
        }
        Ok(())
    }

    /// Writes the status (recomputed when managing the pods failed) and says when to come
    /// back.
    fn finish(
        &self,
        api: &mut Api,
        name: &str,
        plan: &replicaset::RsPlan,
        manage_error: Option<String>,
        now: jiff::Timestamp,
    ) -> Result<SyncResult, ApiError> {
        let (status, requeue) = match &manage_error {
            None => (plan.status.clone(), plan.requeue_after),
            Some(err) => plan.finish(self.rs, Some(err), now),
        };
        if let Some(st) = status {
            write_status(api, self.info, self.ns, name, &st)?;
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

    fn event(&self, api: &mut Api, ev: RsEvent) {
        event(api, self.obj, ev, self.component);
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
