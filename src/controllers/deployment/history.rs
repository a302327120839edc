//! kubectl's client-side views of a Deployment rollout: `kubectl rollout history`
//! (upstream `polymorphichelpers/history.go`, `DeploymentHistoryViewer`) and
//! `kubectl rollout status` (`polymorphichelpers/rollout_status.go`,
//! `DeploymentStatusViewer`).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;

use super::rollback::kubectl_replica_sets;
use super::util::*;

/// One revision of a Deployment, as `kubectl rollout history` sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// The ReplicaSet's `deployment.kubernetes.io/revision`.
    pub revision: i64,
    /// The ReplicaSet's name.
    pub replica_set: String,
    /// `kubernetes.io/change-cause` of the ReplicaSet (else of its template), if any.
    pub change_cause: Option<String>,
    /// The ReplicaSet's pod template; like kubectl, the change cause is copied into the
    /// template's annotations (so `--revision=N` shows it).
    pub template: PodTemplateSpec,
}

/// The revisions of `d` (owned ReplicaSets among `rss`), sorted by revision. An RS with
/// an unparseable revision is skipped; when two share a revision the newer one wins.
pub fn history(d: &Deployment, rss: &[&ReplicaSet]) -> Result<Vec<HistoryEntry>, String> {
    let (old, new) = kubectl_replica_sets(d, rss)?;
    let mut by_rev: BTreeMap<i64, HistoryEntry> = BTreeMap::new();
    for rs in old.into_iter().chain(new) {
        let Ok(v) = rs_revision(rs) else { continue };
        let mut template = rs_template(rs);
        let rs_cause = rs
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(CHANGE_CAUSE_ANNOTATION))
            .filter(|c| !c.is_empty())
            .cloned();
        let meta = template.metadata.get_or_insert_with(Default::default);
        let ann = meta.annotations.get_or_insert_with(BTreeMap::new);
        if let Some(c) = &rs_cause {
            ann.insert(CHANGE_CAUSE_ANNOTATION.to_string(), c.clone());
        }
        let change_cause = ann
            .get(CHANGE_CAUSE_ANNOTATION)
            .filter(|c| !c.is_empty())
            .cloned();
        if ann.is_empty() {
            meta.annotations = None;
        }
        by_rev.insert(
            v,
            HistoryEntry {
                revision: v,
                replica_set: rs.metadata.name.clone().unwrap_or_default(),
                change_cause,
                template,
            },
        );
    }
    Ok(by_rev.into_values().collect())
}

/// The body kubectl prints for `rollout history` without `--revision`:
/// `No rollout history found.` or the `REVISION  CHANGE-CAUSE` table (Go tabwriter,
/// minwidth 0, padding 2; each line ends with `\n`). kubectl prints it after a line
/// `deployment.apps/<name> ` (note the trailing space) and follows it with an empty line.
pub fn history_table(entries: &[HistoryEntry]) -> String {
    if entries.is_empty() {
        return "No rollout history found.".to_string();
    }
    let rows: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e.revision.to_string(),
                e.change_cause
                    .clone()
                    .unwrap_or_else(|| "<none>".to_string()),
            )
        })
        .collect();
    let width = rows
        .iter()
        .map(|r| r.0.len())
        .chain(std::iter::once("REVISION".len()))
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = format!("{:<width$}CHANGE-CAUSE\n", "REVISION");
    for (rev, cause) in rows {
        out.push_str(&format!("{rev:<width$}{cause}\n"));
    }
    out
}

/// `rollout history --revision=N`: the template of revision N (with the change cause
/// in its annotations), or kubectl's error `unable to find the specified revision`.
pub fn history_revision(
    d: &Deployment,
    rss: &[&ReplicaSet],
    revision: i64,
) -> Result<PodTemplateSpec, String> {
    history(d, rss)?
        .into_iter()
        .find(|e| e.revision == revision)
        .map(|e| e.template)
        .ok_or_else(|| "unable to find the specified revision".to_string())
}

/// `kubectl rollout status` for a Deployment: (message line including its trailing
/// `\n`, done, error). On error the message is empty and kubectl prints
/// `error: <error>` (exit 1), e.g. `deployment "nginx" exceeded its progress deadline`.
pub fn rollout_status(d: &Deployment) -> (String, bool, Option<String>) {
    rollout_status_at_revision(d, 0)
}

/// [`rollout_status`] with `--revision=N` (0 = not given): a different running revision
/// is the error `desired revision (N) is different from the running revision (M)`.
pub fn rollout_status_at_revision(d: &Deployment, revision: i64) -> (String, bool, Option<String>) {
    let name = d.metadata.name.clone().unwrap_or_default();
    if revision > 0 {
        match revision_of(d.metadata.annotations.as_ref()) {
            Err(e) => {
                return (
                    String::new(),
                    false,
                    Some(format!(
                        "cannot get the revision of deployment {name:?}: {e}"
                    )),
                );
            }
            Ok(running) if running != revision => {
                return (
                    String::new(),
                    false,
                    Some(format!(
                        "desired revision ({revision}) is different from the running revision ({running})"
                    )),
                );
            }
            Ok(_) => {}
        }
    }
    let status = d.status.clone().unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return (
            "Waiting for deployment spec update to be observed...\n".to_string(),
            false,
            None,
        );
    }
    if get_condition(Some(&status), CONDITION_PROGRESSING)
        .is_some_and(|c| c.reason.as_deref() == Some(REASON_TIMED_OUT))
    {
        return (
            String::new(),
            false,
            Some(format!(
                "deployment {name:?} exceeded its progress deadline"
            )),
        );
    }
    let updated = status.updated_replicas.unwrap_or(0);
    let current = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    if let Some(want) = d.spec.as_ref().and_then(|s| s.replicas)
        && updated < want
    {
        return (
            format!(
                "Waiting for deployment {name:?} rollout to finish: {updated} out of {want} new replicas have been updated...\n"
            ),
            false,
            None,
        );
    }
    if current > updated {
        return (
            format!(
                "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...\n",
                current - updated
            ),
            false,
            None,
        );
    }
    if available < updated {
        return (
            format!(
                "Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available...\n"
            ),
            false,
            None,
        );
    }
    (
        format!("deployment {name:?} successfully rolled out\n"),
        true,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use k8s_openapi::api::apps::v1::{DeploymentCondition, DeploymentStatus};

    #[test]
    fn history_and_table() {
        let mut d = rolling(3, 1, 1);
        set_image(&mut d, "nginx:3");
        let mut r1 = owned_rs(&d, "nginx:1", "1", 30);
        r1.metadata
            .annotations
            .as_mut()
            .unwrap()
            .insert(CHANGE_CAUSE_ANNOTATION.into(), "kubectl set image".into());
        let r2 = owned_rs(&d, "nginx:2", "12", 20);
        let r3 = owned_rs(&d, "nginx:3", "13", 10);
        let mut foreign = owned_rs(&d, "nginx:4", "14", 5);
        foreign.metadata.owner_references.as_mut().unwrap()[0].uid = "other".into();
        let rss = [&r3, &r1, &foreign, &r2];
        let h = history(&d, &rss).unwrap();
        assert_eq!(
            h.iter().map(|e| e.revision).collect::<Vec<_>>(),
            vec![1, 12, 13]
        );
        assert_eq!(
            history_table(&h),
            "REVISION  CHANGE-CAUSE\n1         kubectl set image\n12        <none>\n13        <none>\n"
        );
        assert_eq!(history_table(&[]), "No rollout history found.");
        let t = history_revision(&d, &rss, 1).unwrap();
        assert_eq!(
            t.metadata.unwrap().annotations.unwrap()[CHANGE_CAUSE_ANNOTATION],
            "kubectl set image"
        );
        assert_eq!(
            history_revision(&d, &rss, 7).unwrap_err(),
            "unable to find the specified revision"
        );
    }

    #[test]
    fn rollout_status_lines() {
        let mk = |generation: i64, obs: i64, r: i32, cur: i32, upd: i32, av: i32| {
            let mut d = rolling(r, 1, 1);
            d.metadata.generation = Some(generation);
            d.status = Some(DeploymentStatus {
                observed_generation: Some(obs),
                replicas: Some(cur),
                updated_replicas: Some(upd),
                available_replicas: Some(av),
                ..Default::default()
            });
            d
        };
        let line = |d: &Deployment| rollout_status(d).0;
        assert_eq!(
            line(&mk(2, 1, 3, 3, 3, 3)),
            "Waiting for deployment spec update to be observed...\n"
        );
        assert_eq!(
            line(&mk(1, 1, 3, 3, 1, 1)),
            "Waiting for deployment \"nginx\" rollout to finish: 1 out of 3 new replicas have been updated...\n"
        );
        assert_eq!(
            line(&mk(1, 1, 3, 4, 3, 3)),
            "Waiting for deployment \"nginx\" rollout to finish: 1 old replicas are pending termination...\n"
        );
        assert_eq!(
            line(&mk(1, 1, 3, 3, 3, 2)),
            "Waiting for deployment \"nginx\" rollout to finish: 2 of 3 updated replicas are available...\n"
        );
        assert_eq!(
            rollout_status(&mk(1, 1, 3, 3, 3, 3)),
            (
                "deployment \"nginx\" successfully rolled out\n".to_string(),
                true,
                None
            )
        );
        let mut timed_out = mk(1, 1, 3, 3, 1, 1);
        timed_out.status.as_mut().unwrap().conditions = Some(vec![DeploymentCondition {
            type_: CONDITION_PROGRESSING.into(),
            status: "False".into(),
            reason: Some(REASON_TIMED_OUT.into()),
            ..Default::default()
        }]);
        assert_eq!(
            rollout_status(&timed_out).2.unwrap(),
            "deployment \"nginx\" exceeded its progress deadline"
        );
        let mut d = mk(1, 1, 3, 3, 3, 3);
        d.metadata.annotations = Some([(REVISION_ANNOTATION.to_string(), "2".to_string())].into());
        assert_eq!(
            rollout_status_at_revision(&d, 3).2.unwrap(),
            "desired revision (3) is different from the running revision (2)"
        );
        assert!(rollout_status_at_revision(&d, 2).1);
    }
}
