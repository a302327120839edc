//! The Deployment controller as a client of the API: event handlers (a ReplicaSet change
//! wakes its Deployment; an orphan ReplicaSet wakes every Deployment whose selector matches;
//! a pod deletion wakes a Recreate Deployment) and a sync that applies the pure plan of
//! [`super::deployment`] through the API, in order.

use super::deployment::{self, Action, Plan};
use super::replication::controller_of;
use super::{Controller, split_key};
use crate::api::Ptr;
use crate::api::errors::{ApiError, Reason};
use crate::api::kinds::KindInfo;
use crate::api::{Api, Change, DeleteOptions, Involved, Op, Propagation, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds;
use crate::util::fields::Fields;
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use serde::Deserialize;
use serde_json::{Value, json};

pub struct DeploymentController;

const COMPONENT: &str = "deployment-controller";

fn info() -> &'static KindInfo {
    &crate::kinds::deployment::KIND
}

fn internal(e: serde_json::Error) -> ApiError {
    ApiError::new(Reason::InternalError, e.to_string())
}

fn typed<'a, T: serde::Deserialize<'a>>(vals: Vec<&'a Value>) -> Vec<T> {
    vals.into_iter()
        .filter_map(|v| T::deserialize(v).ok())
        .collect()
}

impl Controller for DeploymentController {
    fn name(&self) -> &'static str {
        COMPONENT
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let ns = namespace_of(&change.object).to_string();
        match change.info.kind {
            // Our own status write needs no sync (upstream runs one, to no effect).
            kinds::deployment::NAME if change.verb == "status" && change.actor == COMPONENT => {}
            kinds::deployment::NAME => keys.push(format!("{ns}/{}", name_of(&change.object))),
            kinds::replicaset::NAME => match controller_of(&change.object) {
                Some((kinds::deployment::NAME, n, _)) => keys.push(format!("{ns}/{n}")),
                Some(_) => {}
                None if change.op != Op::Deleted => {
                    if let Ok(ds) = api.list(info(), Some(&ns)) {
                        let labels = change.object.ptr("/metadata/labels");
                        for d in ds {
                            let sel = d
                                .ptr("/spec/selector")
                                .cloned()
                                .and_then(|s| serde_json::from_value(s).ok())
                                .and_then(|s| {
                                    crate::api::selector::Selector::from_label_selector(&s).ok()
                                });
                            if sel.is_some_and(|s| !s.is_empty() && s.matches_value(labels)) {
                                keys.push(format!("{ns}/{}", name_of(&d)));
                            }
                        }
                    }
                }
                None => {}
            },
            kinds::pod::NAME
                if change.op == Op::Deleted
                    || change.object.ptr("/metadata/deletionTimestamp").is_some() =>
            {
                // Recreate waits for old pods to go: wake the Deployment owning the RS.
                if let Some((kinds::replicaset::NAME, rs_name, _)) = controller_of(&change.object)
                    && let Ok(Some(rs)) = api.try_get(&crate::kinds::replicaset::KIND, &ns, rs_name)
                    && let Some((kinds::deployment::NAME, d, _)) = controller_of(&rs)
                {
                    keys.push(format!("{ns}/{d}"));
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let (ns, name) = split_key(key);
        // Decoded straight from the store (no copy of the stored tree); events about a
        // Deployment deleted mid-sync still name it as it was read.
        let (d, involved) = {
            let Some(dv) = api.try_get_ref(info(), ns, name)? else {
                return Ok(SyncResult::default());
            };
            (
                Deployment::deserialize(dv).map_err(internal)?,
                Involved::of(dv),
            )
        };
        let uid = d.metadata.uid.clone().unwrap_or_default();
        let rs_info = &crate::kinds::replicaset::KIND;
        let pod_info = &crate::kinds::pod::KIND;
        let mut rss: Vec<ReplicaSet> = typed(api.list_controlled_ref(rs_info, ns, &uid)?);
        rss.extend(typed::<ReplicaSet>(
            api.list_controlled_ref(rs_info, ns, "")?,
        ));
        // Only Recreate looks at pods (are old pods still running?), as upstream's
        // getPodMapForDeployment is only used there.
        let recreate = d
            .spec
            .as_ref()
            .and_then(|s| s.strategy.as_ref())
            .and_then(|s| s.type_.as_deref())
            == Some("Recreate");
        let mut pods: Vec<Pod> = Vec::new();
        for rs in rss.iter().filter(|_| recreate) {
            if let Some(u) = &rs.metadata.uid {
                pods.extend(typed::<Pod>(api.list_controlled_ref(pod_info, ns, u)?));
            }
        }
        let rs_refs: Vec<&ReplicaSet> = rss.iter().collect();
        let pod_refs: Vec<&Pod> = pods.iter().collect();
        let now = api.now();
        let plan = deployment::sync_deployment(&d, &rs_refs, &pod_refs, now);
        let mut res = SyncResult::default();
        if let Some(r) = apply(api, ns, name, &involved, plan)? {
            res.requeue_after.push((r, false));
        }
        Ok(res)
    }
}

/// Applies a plan's actions in order; returns the requeue delay.
fn apply(
    api: &mut Api,
    ns: &str,
    name: &str,
    involved: &Involved,
    plan: Plan,
) -> Result<Option<jiff::SignedDuration>, ApiError> {
    let rs_info = &crate::kinds::replicaset::KIND;
    let requeue = plan.requeue_after;
    for action in plan.actions {
        match action {
            Action::CreateReplicaSet(rs) => {
                let rs_name = rs.metadata.name.clone().unwrap_or_default();
                let v = serde_json::to_value(&rs).map_err(internal)?;
                match api.create(rs_info, ns, v) {
                    Ok(_) => {}
                    Err(e) if e.reason == Reason::AlreadyExists => {
                        let cur: Deployment =
                            serde_json::from_value(api.get(info(), ns, name)?).map_err(internal)?;
                        let existing: ReplicaSet =
                            serde_json::from_value(api.get(rs_info, ns, &rs_name)?)
                                .map_err(internal)?;
                        let p = deployment::on_create_conflict(&cur, &existing, api.now());
                        return apply(api, ns, name, involved, p);
                    }
                    Err(e) if e.message.contains("being terminated") => return Ok(None),
                    Err(e) => {
                        let cur: Deployment =
                            serde_json::from_value(api.get(info(), ns, name)?).map_err(internal)?;
                        let p = deployment::on_create_error(&cur, &rs_name, &e.message, api.now());
                        return apply(api, ns, name, involved, p);
                    }
                }
            }
            Action::UpdateReplicaSet(rs) => {
                let rs_name = rs.metadata.name.clone().unwrap_or_default();
                let Some(mut cur) = api.try_get(rs_info, ns, &rs_name)? else {
                    continue;
                };
                let want = serde_json::to_value(&rs).map_err(internal)?;
                cur.set(
                    "/spec/replicas",
                    want.ptr("/spec/replicas").cloned().unwrap_or(json!(0)),
                )?;
                for path in ["/spec/minReadySeconds", "/metadata/annotations"] {
                    match want.ptr(path) {
                        Some(v) => {
                            cur.set(path, v.clone())?;
                        }
                        None => {
                            cur.unset(path);
                        }
                    }
                }
                api.update(rs_info, ns, cur)?;
            }
            Action::DeleteReplicaSet(n) => api.delete_if_present(
                rs_info,
                ns,
                &n,
                DeleteOptions {
                    propagation: Some(Propagation::Background),
                    grace_period: None,
                },
            )?,
            Action::AdoptReplicaSet(n) | Action::ReleaseReplicaSet(n) => {
                let adopt = matches!(api.try_get(rs_info, ns, &n)?, Some(ref v) if controller_of(v).is_none());
                let Some(mut cur) = api.try_get(rs_info, ns, &n)? else {
                    continue;
                };
                let uid = json!(involved.uid());
                let mut refs: Vec<Value> = cur
                    .ptr("/metadata/ownerReferences")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                refs.retain(|r| r.get("uid") != Some(&uid));
                if adopt {
                    refs.push(
                        json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": name,
                                     "uid": uid, "controller": true, "blockOwnerDeletion": true}),
                    );
                }
                if refs.is_empty() {
                    cur.unset("/metadata/ownerReferences");
                } else {
                    cur.set("/metadata/ownerReferences", json!(refs))?;
                }
                api.update(rs_info, ns, cur)?;
            }
            Action::UpdateDeployment(d) => {
                let Some(mut cur) = api.try_get(info(), ns, name)? else {
                    continue;
                };
                let want = serde_json::to_value(&d).map_err(internal)?;
                cur.set(
                    "/metadata/annotations",
                    want.ptr("/metadata/annotations")
                        .cloned()
                        .unwrap_or(json!({})),
                )?;
                if let Some(spec) = want.get("spec") {
                    cur.set("/spec", spec.clone())?;
                }
                api.update(info(), ns, cur)?;
            }
            Action::UpdateDeploymentStatus(st) => {
                if api.try_get_ref(info(), ns, name)?.is_none() {
                    continue;
                }
                let stv = serde_json::to_value(&st).map_err(internal)?;
                api.put_status(info(), ns, name, stv)?;
            }
            Action::Event {
                type_,
                reason,
                message,
            } => {
                if api.try_get_ref(info(), ns, name)?.is_some() {
                    api.record_event_about(
                        info(),
                        ns,
                        name,
                        type_,
                        &reason,
                        &message,
                        COMPONENT,
                        None,
                    );
                } else {
                    api.record_event_for(involved, type_, &reason, &message, COMPONENT, None);
                }
            }
        }
    }
    Ok(requeue)
}
