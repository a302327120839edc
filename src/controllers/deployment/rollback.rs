//! Rollback, two ways:
//! - [`rollback`]: `kubectl rollout undo` (client side, upstream
//!   `staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go`): pick the
//!   ReplicaSet of the wanted revision and return the Deployment with its template and
//!   annotations restored; the controller then rolls it out like any template change.
//! - the legacy controller path (`pkg/controller/deployment/rollback.go`) for the
//!   `deprecated.deployment.rollback.to` annotation.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;

use super::util::*;
use super::{Action, Ctx, controller_ref};
use crate::api::selector::Selector;

/// What `kubectl rollout undo` does to the Deployment.
#[derive(Debug, Clone, PartialEq)]
pub enum RollbackOutcome {
    /// The Deployment to write back (JSON patch of `spec.template` and
    /// `metadata.annotations`); kubectl prints `deployment.apps/<name> rolled back`.
    RolledBack(Box<Deployment>),
    /// Template already equal to the revision's; kubectl prints
    /// `deployment.apps/<name> skipped rollback (current template already matches revision N)`
    /// with N the `--to-revision` value as given (0 by default).
    Skipped(i64),
}

/// The ReplicaSets kubectl considers the Deployment's (`deploymentutil.GetAllReplicaSets`):
/// selected by its selector and controlled by it; old ones oldest first, then the new one.
pub fn kubectl_replica_sets<'a>(
    d: &Deployment,
    rss: &[&'a ReplicaSet],
) -> Result<(Vec<&'a ReplicaSet>, Option<&'a ReplicaSet>), String> {
    let selector = d
        .spec
        .as_ref()
        .map(|s| s.selector.clone())
        .unwrap_or_default();
    let sel = Selector::from_label_selector(&selector)?;
    let uid = d.metadata.uid.as_deref().unwrap_or_default();
    let mut owned: Vec<&ReplicaSet> = rss
        .iter()
        .copied()
        .filter(|rs| sel.matches(&rs.metadata.labels.clone().unwrap_or_default()))
        .filter(|rs| controller_ref(&rs.metadata).is_some_and(|r| r.uid == uid))
        .collect();
    owned.sort_by(|a, b| cmp_by_creation(a, b));
    let template = d
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    let new = owned
        .iter()
        .copied()
        .find(|rs| equal_ignore_hash(&rs_template(rs), &template));
    let old = owned
        .into_iter()
        .filter(|rs| !new.is_some_and(|n| std::ptr::eq(n, *rs)))
        .collect();
    Ok((old, new))
}

fn revision_not_found(r: i64) -> String {
    format!("unable to find specified revision {r} in history")
}

/// `kubectl rollout undo [--to-revision=N]` for a Deployment.
///
/// `rss`: the ReplicaSets of the Deployment's namespace. Errors are kubectl's texts
/// (printed as `error: <text>`): `unable to find specified revision N in history`,
/// `no rollout history found for deployment "x"`, and (checked after those)
/// `you cannot rollback a paused deployment; resume it first with 'kubesim rollout resume' and try again`.
pub fn rollback(
    d: &Deployment,
    rss: &[&ReplicaSet],
    to_revision: i64,
) -> Result<RollbackOutcome, String> {
    let rs = revision_to_restore(d, rss, to_revision)?;
    if is_paused(d) {
        return Err("you cannot rollback a paused deployment; resume it first with 'kubesim rollout resume' and try again".to_string());
    }
    let current = d
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    let mut template = rs_template(rs);
    if equal_ignore_hash(&template, &current) {
        return Ok(RollbackOutcome::Skipped(to_revision));
    }
    if let Some(l) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        l.remove(POD_TEMPLATE_HASH_LABEL);
    }
    let mut annotations: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in d.metadata.annotations.iter().flatten() {
        if skip_copy_annotation(k) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    for (k, v) in rs.metadata.annotations.iter().flatten() {
        if !skip_copy_annotation(k) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    let mut out = d.clone();
    out.spec.get_or_insert_with(Default::default).template = template;
    out.metadata.annotations = Some(annotations).filter(|a| !a.is_empty());
    Ok(RollbackOutcome::RolledBack(Box::new(out)))
}

/// What `rollout undo --dry-run=client` shows: the template of the revision it would roll
/// back to (pod-template-hash label and all), found as [`rollback`] finds it; a paused
/// Deployment is no error here (kubectl checks that later).
pub fn rollback_template(
    d: &Deployment,
    rss: &[&ReplicaSet],
    to_revision: i64,
) -> Result<PodTemplateSpec, String> {
    revision_to_restore(d, rss, to_revision).map(rs_template)
}

/// The ReplicaSet of the revision `rollout undo` goes back to (`to_revision` 0: the one
/// before the latest), with kubectl's errors.
fn revision_to_restore<'a>(
    d: &Deployment,
    rss: &[&'a ReplicaSet],
    to_revision: i64,
) -> Result<&'a ReplicaSet, String> {
    if to_revision < 0 {
        return Err(revision_not_found(to_revision));
    }
    let (old, new) = kubectl_replica_sets(d, rss)?;
    let mut all = old;
    all.extend(new);
    deployment_revision(d, &all, to_revision)
}

/// kubectl's `deploymentRevision`: the RS of revision `to` (>0), or of the
/// second-highest revision (0).
fn deployment_revision<'a>(
    d: &Deployment,
    all: &[&'a ReplicaSet],
    to: i64,
) -> Result<&'a ReplicaSet, String> {
    let (mut latest, mut latest_rev): (Option<&ReplicaSet>, i64) = (None, -1);
    let (mut previous, mut previous_rev): (Option<&ReplicaSet>, i64) = (None, -1);
    for rs in all {
        let Ok(v) = rs_revision(rs) else { continue };
        if to == 0 {
            if latest_rev < v {
                previous_rev = latest_rev;
                previous = latest;
                latest_rev = v;
                latest = Some(rs);
            } else if previous_rev < v {
                previous_rev = v;
                previous = Some(rs);
            }
        } else if to == v {
            return Ok(rs);
        }
    }
    if to > 0 {
        return Err(revision_not_found(to));
    }
    previous.ok_or_else(|| {
        format!(
            "no rollout history found for deployment {:?}",
            d.metadata.name.as_deref().unwrap_or_default()
        )
    })
}

/// The legacy rollback request (`deprecated.deployment.rollback.to`), if parseable.
pub(crate) fn rollback_to(d: &Deployment) -> Option<i64> {
    let v = d
        .metadata
        .annotations
        .as_ref()?
        .get(ROLLBACK_TO_ANNOTATION)?;
    if v.is_empty() {
        return None;
    }
    v.parse().ok()
}

impl Ctx<'_> {
    /// Upstream `rollback` (controller side, legacy annotation).
    pub(crate) fn rollback_legacy(&mut self) -> Result<(), String> {
        let (new, old) = self.get_all(true)?;
        let mut all = old;
        all.extend(new);
        let mut to = rollback_to(&self.d).unwrap_or(0);
        if to == 0 {
            to = last_revision(&self.refs(&all));
            if to == 0 {
                self.event(
                    "Warning",
                    REASON_ROLLBACK_NOT_FOUND,
                    "Unable to find last revision.".to_string(),
                );
                self.update_deployment_and_clear_rollback_to();
                return Ok(());
            }
        }
        for i in all {
            if rs_revision(&self.rss[i]).ok() != Some(to) {
                continue;
            }
            let template = rs_template(&self.rss[i]);
            let name = self.d.metadata.name.clone().unwrap_or_default();
            if !equal_ignore_hash(&self.template(), &template) {
                // SetFromReplicaSetTemplate + SetDeploymentAnnotationsTo.
                let mut t = template;
                if let Some(l) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
                    l.remove(POD_TEMPLATE_HASH_LABEL);
                }
                self.d.spec.get_or_insert_with(Default::default).template = t;
                let mut ann: BTreeMap<String, String> = self
                    .d
                    .metadata
                    .annotations
                    .clone()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|(k, _)| skip_copy_annotation(k))
                    .collect();
                for (k, v) in self.rss[i].metadata.annotations.iter().flatten() {
                    if !skip_copy_annotation(k) {
                        ann.insert(k.clone(), v.clone());
                    }
                }
                self.d.metadata.annotations = Some(ann);
                self.update_deployment_and_clear_rollback_to();
                self.event(
                    "Normal",
                    REASON_ROLLBACK_DONE,
                    format!("Rolled back deployment {name:?} to revision {to}"),
                );
            } else {
                self.event(
                    "Warning",
                    REASON_ROLLBACK_UNCHANGED,
                    format!(
                        "The rollback revision contains the same template as current deployment {name:?}"
                    ),
                );
                self.update_deployment_and_clear_rollback_to();
            }
            return Ok(());
        }
        self.event(
            "Warning",
            REASON_ROLLBACK_NOT_FOUND,
            "Unable to find the revision to rollback to.".to_string(),
        );
        self.update_deployment_and_clear_rollback_to();
        Ok(())
    }

    fn update_deployment_and_clear_rollback_to(&mut self) {
        if let Some(a) = self.d.metadata.annotations.as_mut() {
            a.remove(ROLLBACK_TO_ANNOTATION);
        }
        self.plan
            .actions
            .push(Action::UpdateDeployment(self.d.clone()));
        self.annotations_dirty = false;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;

    fn setup() -> (Deployment, Vec<ReplicaSet>) {
        let mut d = rolling(3, 1, 1);
        d.metadata.annotations = Some(
            [
                (REVISION_ANNOTATION.to_string(), "2".to_string()),
                (CHANGE_CAUSE_ANNOTATION.to_string(), "v2".to_string()),
            ]
            .into(),
        );
        set_image(&mut d, "nginx:2");
        let mut r1 = owned_rs(&d, "nginx:1", "1", 20);
        r1.metadata
            .annotations
            .as_mut()
            .unwrap()
            .insert(CHANGE_CAUSE_ANNOTATION.into(), "v1".into());
        let r2 = owned_rs(&d, "nginx:2", "2", 10);
        (d, vec![r1, r2])
    }

    #[test]
    fn rollback_outcomes() {
        let (d, rss) = setup();
        let refs: Vec<&ReplicaSet> = rss.iter().collect();
        assert_eq!(
            rollback(&d, &refs, 9).unwrap_err(),
            "unable to find specified revision 9 in history"
        );
        assert_eq!(rollback(&d, &refs, 2).unwrap(), RollbackOutcome::Skipped(2));
        let RollbackOutcome::RolledBack(out) = rollback(&d, &refs, 0).unwrap() else {
            panic!("expected a rollback");
        };
        assert_eq!(image_of(&out), "nginx:1");
        let labels = out
            .spec
            .as_ref()
            .unwrap()
            .template
            .metadata
            .clone()
            .unwrap()
            .labels
            .unwrap();
        assert!(!labels.contains_key(POD_TEMPLATE_HASH_LABEL));
        let ann = out.metadata.annotations.clone().unwrap();
        assert_eq!(ann[CHANGE_CAUSE_ANNOTATION], "v1");
        assert_eq!(ann[REVISION_ANNOTATION], "2");
        // Only one revision → no history.
        let only: Vec<&ReplicaSet> = vec![&rss[1]];
        assert_eq!(
            rollback(&d, &only, 0).unwrap_err(),
            "no rollout history found for deployment \"nginx\""
        );
        let mut paused = d.clone();
        paused.spec.as_mut().unwrap().paused = Some(true);
        assert_eq!(
            rollback(&paused, &refs, 1).unwrap_err(),
            "you cannot rollback a paused deployment; resume it first with 'kubesim rollout resume' and try again"
        );
    }

    #[test]
    fn legacy_rollback_annotation() {
        let (mut d, rss) = setup();
        d.metadata
            .annotations
            .as_mut()
            .unwrap()
            .insert(ROLLBACK_TO_ANNOTATION.into(), "1".into());
        let refs: Vec<&ReplicaSet> = rss.iter().collect();
        let plan = super::super::sync_deployment(&d, &refs, &[], t0());
        let updated: Vec<&Deployment> = plan
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::UpdateDeployment(d) => Some(d),
                _ => None,
            })
            .collect();
        let last = updated.last().unwrap();
        assert_eq!(image_of(last), "nginx:1");
        assert!(
            !last
                .metadata
                .annotations
                .as_ref()
                .unwrap()
                .contains_key(ROLLBACK_TO_ANNOTATION)
        );
        assert!(plan.actions.contains(&Action::Event {
            type_: "Normal",
            reason: REASON_ROLLBACK_DONE.into(),
            message: "Rolled back deployment \"nginx\" to revision 1".into(),
        }));
    }
}
