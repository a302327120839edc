//! The garbage collector (pkg/controller/garbagecollector): deletes dependents whose owners
//! are gone (background cascade), deletes dependents before their owner when the owner carries
//! the `foregroundDeletion` finalizer, and strips ownerReferences from dependents when the
//! owner carries the `orphan` finalizer. Any kind can be an owner or a dependent: dependents are
//! found through the store's owner indexes of every kind in the registry.

use super::Controller;
use crate::api::Ptr;
use crate::api::errors::ApiError;
use crate::api::kinds::{KINDS, KindInfo, by_kind};
use crate::api::{Api, Change, DeleteOptions, Op, Propagation, finalizers, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::util::fields::Fields;
use jiff::SignedDuration;
use serde_json::{Value, json};

pub struct GarbageCollector;

fn owner_uids(v: &Value) -> Vec<String> {
    v.ptr("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| r.get("uid").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Dependents of the object with `uid` in namespace `ns` (`""`: a cluster-scoped owner, whose
/// dependents may live in any namespace), of every kind, found through the store's owner
/// indexes (a namespaced owner's dependents are in its namespace).
fn dependents(
    api: &mut Api,
    ns: &str,
    uid: &str,
) -> Result<Vec<(&'static KindInfo, Value)>, ApiError> {
    let mut out = Vec::new();
    for &info in KINDS {
        let namespaces = if ns.is_empty() {
            api.namespaces_of(info)
        } else if info.namespaced {
            vec![ns.to_string()]
        } else {
            continue;
        };
        for n in namespaces {
            out.extend(
                api.list_owned(info, &n, uid)?
                    .into_iter()
                    .map(|o| (info, o)),
            );
        }
    }
    Ok(out)
}

impl Controller for GarbageCollector {
    fn name(&self) -> &'static str {
        "garbage-collector-controller"
    }

    fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        let ns = namespace_of(&change.object);
        let uid = change
            .object
            .ptr("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match change.op {
            Op::Deleted => keys.push(format!("gone|{ns}|{uid}")),
            _ => {
                let f = finalizers(&change.object);
                if change.object.ptr("/metadata/deletionTimestamp").is_some()
                    && (f.iter().any(|x| x == "foregroundDeletion" || x == "orphan"))
                {
                    keys.push(format!(
                        "fin|{}|{ns}|{}",
                        change.info.kind,
                        name_of(&change.object)
                    ));
                }
                // A dependent of a foreground-deleting owner went away or changed.
                if change.op == Op::Modified || change.op == Op::Added {
                    // nothing: owners are re-checked on their own keys
                }
            }
        }
        // A dependent deleted while its owner waits in foreground deletion.
        if change.op == Op::Deleted
            && let Some(refs) = change
                .object
                .ptr("/metadata/ownerReferences")
                .and_then(Value::as_array)
        {
            for r in refs {
                if let (Some(k), Some(n)) = (
                    r.get("kind").and_then(Value::as_str),
                    r.get("name").and_then(Value::as_str),
                ) {
                    keys.push(format!("fin|{k}|{ns}|{n}"));
                }
            }
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let parts: Vec<&str> = key.split('|').collect();
        match parts.as_slice() {
            ["gone", ns, uid] => {
                for (info, dep) in dependents(api, ns, uid)? {
                    // Delete only when no other owner is still alive.
                    let others: Vec<String> =
                        owner_uids(&dep).into_iter().filter(|u| u != uid).collect();
                    if !others.is_empty() {
                        continue;
                    }
                    if dep.ptr("/metadata/deletionTimestamp").is_some() {
                        continue;
                    }
                    match api.delete(
                        info,
                        namespace_of(&dep),
                        name_of(&dep),
                        DeleteOptions {
                            propagation: Some(Propagation::Background),
                            grace_period: None,
                        },
                    ) {
                        Ok(_)
                        | Err(ApiError {
                            reason: crate::api::errors::Reason::NotFound,
                            ..
                        }) => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(SyncResult::default())
            }
            ["fin", kind, ns, name] => {
                let Some(info) = by_kind(kind) else {
                    return Ok(SyncResult::default());
                };
                let Some(owner) = api.try_get(info, ns, name)? else {
                    return Ok(SyncResult::default());
                };
                if owner.ptr("/metadata/deletionTimestamp").is_none() {
                    return Ok(SyncResult::default());
                }
                let uid = owner
                    .ptr("/metadata/uid")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let fins = finalizers(&owner);
                let deps = dependents(api, ns, &uid)?;
                if fins.iter().any(|f| f == "orphan") {
                    for (dinfo, mut dep) in deps {
                        let refs: Vec<Value> = dep["metadata"]["ownerReferences"]
                            .as_array()
                            .cloned()
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|r| r.get("uid").and_then(Value::as_str) != Some(&uid))
                            .collect();
                        if refs.is_empty() {
                            dep.unset("/metadata/ownerReferences");
                        } else {
                            dep.set("/metadata/ownerReferences", json!(refs))?;
                        }
                        let dns = namespace_of(&dep).to_string();
                        api.update(dinfo, &dns, dep)?;
                    }
                    remove_finalizer(api, info, ns, name, "orphan")?;
                    return Ok(SyncResult::default());
                }
                if fins.iter().any(|f| f == "foregroundDeletion") {
                    let mut waiting = false;
                    for (dinfo, dep) in deps {
                        waiting = true;
                        if dep.ptr("/metadata/deletionTimestamp").is_none() {
                            api.delete(
                                dinfo,
                                namespace_of(&dep),
                                name_of(&dep),
                                DeleteOptions {
                                    propagation: Some(Propagation::Foreground),
                                    grace_period: None,
                                },
                            )?;
                        }
                    }
                    if waiting && !dependents(api, ns, &uid)?.is_empty() {
                        return Ok(SyncResult {
                            requeue_after: vec![(SignedDuration::from_secs(1), true)],
                            ..Default::default()
                        });
                    }
                    remove_finalizer(api, info, ns, name, "foregroundDeletion")?;
                }
                Ok(SyncResult::default())
            }
            _ => Ok(SyncResult::default()),
        }
    }
}

fn remove_finalizer(
    api: &mut Api,
    info: &'static KindInfo,
    ns: &str,
    name: &str,
    fin: &str,
) -> Result<(), ApiError> {
    let Some(mut o) = api.try_get(info, ns, name)? else {
        return Ok(());
    };
    let rest: Vec<String> = finalizers(&o).into_iter().filter(|f| f != fin).collect();
    if rest.is_empty() {
        o.unset("/metadata/finalizers");
    } else {
        o.set("/metadata/finalizers", json!(rest))?;
    }
    api.update(info, ns, o)?;
    Ok(())
}
