//! Port of upstream `pkg/controller/deployment/sync.go`: finding/creating the new
//! ReplicaSet and syncing revisions, scaling (including proportional scaling on a
//! scaling event or while paused), old-ReplicaSet cleanup and the plain status write.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentStatus, ReplicaSet, ReplicaSetSpec, ReplicaSetStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::util::{self, *};
use super::{Action, Ctx, deployment_controller_ref};

/// `SetNewReplicaSetAnnotations`: copy the Deployment's annotations (minus the skip
/// list), raise the revision to `new_revision` if it is higher (recording the former
/// one in revision-history), and for a not-yet-created RS set desired/max replicas.
pub(crate) fn set_new_rs_annotations(
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: &str,
    exists: bool,
    limit: usize,
) -> bool {
    let mut changed = copy_deployment_annotations_to_rs(d, rs);
    let ann = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let old_revision = ann.get(REVISION_ANNOTATION).cloned();
    let old_int = match old_revision.as_deref() {
        None | Some("") => 0,
        Some(v) => match v.parse::<i64>() {
            Ok(x) => x,
            Err(_) => return false,
        },
    };
    let Ok(new_int) = new_revision.parse::<i64>() else {
        return false;
    };
    if old_int < new_int {
        ann.insert(REVISION_ANNOTATION.to_string(), new_revision.to_string());
        changed = true;
    }
    if let Some(old_rev) = old_revision.filter(|_| old_int < new_int) {
        let history = ann
            .get(REVISION_HISTORY_ANNOTATION)
            .cloned()
            .unwrap_or_default();
        let old_revisions: Vec<&str> = history.split(',').collect();
        if old_revisions[0].is_empty() {
            ann.insert(REVISION_HISTORY_ANNOTATION.to_string(), old_rev);
        } else {
            let mut total = history.len() + old_rev.len() + 1;
            let mut start = 0;
            while total > limit && start < old_revisions.len() {
                total -= old_revisions[start].len() + 1;
                start += 1;
            }
            if total <= limit {
                let mut kept: Vec<&str> = old_revisions[start..].to_vec();
                kept.push(&old_rev);
                ann.insert(REVISION_HISTORY_ANNOTATION.to_string(), kept.join(","));
            }
        }
    }
    if !exists && set_replicas_annotations(rs, replicas(d), replicas(d).wrapping_add(max_surge(d)))
    {
        changed = true;
    }
    changed
}

/// `copyDeploymentAnnotationsToReplicaSet`.
fn copy_deployment_annotations_to_rs(d: &Deployment, rs: &mut ReplicaSet) -> bool {
    let ann = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let mut changed = false;
    for (k, v) in d.metadata.annotations.iter().flatten() {
        if skip_copy_annotation(k) || ann.get(k) == Some(v) {
            continue;
        }
        ann.insert(k.clone(), v.clone());
        changed = true;
    }
    changed
}

/// `SetDeploymentRevision`: returns whether the annotation changed.
pub(crate) fn set_deployment_revision(d: &mut Deployment, revision: &str) -> bool {
    let ann = d.metadata.annotations.get_or_insert_with(BTreeMap::new);
    if ann
        .get(REVISION_ANNOTATION)
        .map(String::as_str)
        .unwrap_or("")
        != revision
    {
        ann.insert(REVISION_ANNOTATION.to_string(), revision.to_string());
        return true;
    }
    false
}

/// `calculateStatus`: the status implied by `all` (and the new RS), with the
/// Available condition updated; other conditions carried over.
pub(crate) fn calculate_status(
    d: &Deployment,
    all: &[&ReplicaSet],
    new: Option<&ReplicaSet>,
    now: jiff::Timestamp,
) -> DeploymentStatus {
    let available: i32 = sum32(all.iter().map(|rs| rs_available(rs)));
    let total: i32 = sum32(all.iter().map(|rs| rs_replicas(rs)));
    let old = d.status.clone().unwrap_or_default();
    let mut status = DeploymentStatus {
        observed_generation: d.metadata.generation,
        replicas: Some(sum32(all.iter().map(|rs| rs_status_replicas(rs)))),
        updated_replicas: Some(new.map_or(0, rs_status_replicas)),
        ready_replicas: Some(sum32(all.iter().map(|rs| rs_ready(rs)))),
        available_replicas: Some(available),
        unavailable_replicas: Some((total - available).max(0)),
        collision_count: old.collision_count,
        conditions: old.conditions.clone().filter(|c| !c.is_empty()),
        terminating_replicas: None,
    };
    let cond = if available >= replicas(d).wrapping_sub(max_unavailable(d)) {
        new_condition(
            CONDITION_AVAILABLE,
            "True",
            REASON_MIN_AVAILABLE,
            "Deployment has minimum availability.".to_string(),
            now,
        )
    } else {
        new_condition(
            CONDITION_AVAILABLE,
            "False",
            REASON_MIN_UNAVAILABLE,
            "Deployment does not have minimum availability.".to_string(),
            now,
        )
    };
    set_condition(&mut status, cond);
    normalize_status(&status)
}

/// Indices of `rss` ordered oldest first (`ReplicaSetsByCreationTimestamp`).
pub(crate) fn sorted_by_creation(rss: &[ReplicaSet], idx: &[usize]) -> Vec<usize> {
    let mut v = idx.to_vec();
    v.sort_by(|a, b| cmp_by_creation(&rss[*a], &rss[*b]));
    v
}

impl Ctx<'_> {
    pub(crate) fn refs(&self, idx: &[usize]) -> Vec<&ReplicaSet> {
        idx.iter().map(|i| &self.rss[*i]).collect()
    }

    pub(crate) fn clones(&self, idx: &[usize]) -> Vec<ReplicaSet> {
        idx.iter().map(|i| self.rss[*i].clone()).collect()
    }

    /// `getAllReplicaSetsAndSyncRevision`: (new RS, all old RSs oldest first); creates
    /// the new RS when `create` and it does not exist.
    pub(crate) fn get_all(&mut self, create: bool) -> Result<(Option<usize>, Vec<usize>), String> {
        let all: Vec<usize> = (0..self.rss.len()).collect();
        let order = sorted_by_creation(&self.rss, &all);
        let template = self.template();
        let new = order
            .iter()
            .copied()
            .find(|i| equal_ignore_hash(&rs_template(&self.rss[*i]), &template));
        let old: Vec<usize> = order.into_iter().filter(|i| Some(*i) != new).collect();
        let new = self.get_new_replica_set(new, &old, create)?;
        Ok((new, old))
    }

    pub(crate) fn template(&self) -> k8s_openapi::api::core::v1::PodTemplateSpec {
        self.d
            .spec
            .as_ref()
            .map(|s| s.template.clone())
            .unwrap_or_default()
    }

    /// `getNewReplicaSet`.
    fn get_new_replica_set(
        &mut self,
        existing: Option<usize>,
        old: &[usize],
        create: bool,
    ) -> Result<Option<usize>, String> {
        let max_old = max_revision(&self.refs(old));
        let new_revision = (max_old + 1).to_string();
        let mrs = min_ready_seconds(&self.d);

        if let Some(n) = existing {
            let mut copy = self.rss[n].clone();
            let annotations_updated = set_new_rs_annotations(
                &self.d,
                &mut copy,
                &new_revision,
                true,
                MAX_REV_HISTORY_LENGTH_IN_CHARS,
            );
            let spec = copy.spec.get_or_insert_with(Default::default);
            let mrs_update = spec.min_ready_seconds.unwrap_or(0) != mrs;
            if annotations_updated || mrs_update {
                spec.min_ready_seconds = Some(mrs).filter(|x| *x != 0);
                self.update_rs(n, copy);
                return Ok(Some(n));
            }
            let rev = copy
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(REVISION_ANNOTATION))
                .cloned()
                .unwrap_or_default();
            let mut needs_update = set_deployment_revision(&mut self.d, &rev);
            self.annotations_dirty |= needs_update;
            let mut status = self.status();
            if has_progress_deadline(&self.d)
                && get_condition(Some(&status), CONDITION_PROGRESSING).is_none()
            {
                let msg = format!(
                    "Found new replica set {:?}",
                    copy.metadata.name.as_deref().unwrap_or_default()
                );
                set_condition(
                    &mut status,
                    new_condition(
                        CONDITION_PROGRESSING,
                        "True",
                        REASON_FOUND_NEW_RS,
                        msg,
                        self.now,
                    ),
                );
                needs_update = true;
            }
            if needs_update {
                self.update_status(status);
            }
            return Ok(Some(n));
        }
        if !create {
            return Ok(None);
        }

        // Create the new ReplicaSet.
        let d = &self.d;
        let mut template = self.template();
        let collision = d.status.as_ref().and_then(|s| s.collision_count);
        let hash = compute_hash(&template, collision);
        template
            .metadata
            .get_or_insert_with(Default::default)
            .labels
            .get_or_insert_with(BTreeMap::new)
            .insert(POD_TEMPLATE_HASH_LABEL.to_string(), hash.clone());
        let mut selector = d
            .spec
            .as_ref()
            .map(|s| s.selector.clone())
            .unwrap_or_default();
        selector
            .match_labels
            .get_or_insert_with(BTreeMap::new)
            .insert(POD_TEMPLATE_HASH_LABEL.to_string(), hash.clone());
        let name = format!("{}-{hash}", d.metadata.name.as_deref().unwrap_or_default());
        let mut rs = ReplicaSet {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                namespace: d.metadata.namespace.clone(),
                owner_references: Some(vec![deployment_controller_ref(d)]),
                labels: template.metadata.as_ref().and_then(|m| m.labels.clone()),
                ..Default::default()
            },
            spec: Some(ReplicaSetSpec {
                replicas: Some(0),
                min_ready_seconds: Some(mrs).filter(|x| *x != 0),
                selector,
                template: Some(template),
            }),
            status: None,
        };
        let new_replicas = {
            let mut all = self.refs(old);
            all.push(&rs);
            new_rs_new_replicas(&self.d, &all, &rs)?
        };
        set_rs_replicas(&mut rs, new_replicas);
        set_new_rs_annotations(
            &self.d,
            &mut rs,
            &new_revision,
            false,
            MAX_REV_HISTORY_LENGTH_IN_CHARS,
        );
        self.plan.actions.push(Action::CreateReplicaSet(rs.clone()));
        // What the API returns: same object, now with a creation time and empty status.
        rs.metadata.creation_timestamp = Some(to_time(self.now));
        rs.status = Some(ReplicaSetStatus::default());
        self.rss.push(rs);
        let idx = self.rss.len() - 1;
        if new_replicas > 0 {
            self.event(
                "Normal",
                "ScalingReplicaSet",
                format!("Scaled up replica set {name} to {new_replicas}"),
            );
        }
        let mut needs_update = set_deployment_revision(&mut self.d, &new_revision);
        self.annotations_dirty |= needs_update;
        let mut status = self.status();
        if has_progress_deadline(&self.d) {
            set_condition(
                &mut status,
                new_condition(
                    CONDITION_PROGRESSING,
                    "True",
                    REASON_NEW_RS_CREATED,
                    format!("Created new replica set {name:?}"),
                    self.now,
                ),
            );
            needs_update = true;
        }
        if needs_update {
            self.update_status(status);
        }
        Ok(Some(idx))
    }

    /// `scaleReplicaSetAndRecordEvent`: returns whether the size changed.
    pub(crate) fn scale_and_record(&mut self, idx: usize, new_scale: i32) -> bool {
        if rs_replicas(&self.rss[idx]) == new_scale {
            return false;
        }
        self.scale_replica_set(idx, new_scale)
    }

    /// `scaleReplicaSet`: writes the size and the desired/max annotations if either
    /// changed; a size change records `Scaled <up|down> replica set X from A to B`.
    pub(crate) fn scale_replica_set(&mut self, idx: usize, new_scale: i32) -> bool {
        let rs = &self.rss[idx];
        let desired = replicas(&self.d);
        let max = desired.wrapping_add(max_surge(&self.d));
        let old_scale = rs_replicas(rs);
        let size_needs_update = old_scale != new_scale;
        let annotations_need_update = replicas_annotations_need_update(rs, desired, max);
        if !(size_needs_update || annotations_need_update) {
            return false;
        }
        let mut copy = rs.clone();
        set_rs_replicas(&mut copy, new_scale);
        set_replicas_annotations(&mut copy, desired, max);
        let name = copy.metadata.name.clone().unwrap_or_default();
        self.update_rs(idx, copy);
        if size_needs_update {
            let op = if old_scale < new_scale { "up" } else { "down" };
            self.event(
                "Normal",
                "ScalingReplicaSet",
                format!("Scaled {op} replica set {name} from {old_scale} to {new_scale}"),
            );
        }
        size_needs_update
    }

    /// `scale`: on a scaling event or while paused.
    pub(crate) fn scale(&mut self, new: Option<usize>, old: &[usize]) {
        let r = replicas(&self.d);
        // FindActiveOrLatest: old sorted newest first, then the new RS.
        let mut old_newest = old.to_vec();
        old_newest.sort_by(|a, b| cmp_by_creation(&self.rss[*b], &self.rss[*a]));
        let mut all: Vec<usize> = old_newest.clone();
        all.extend(new);
        let active: Vec<usize> = all
            .iter()
            .copied()
            .filter(|i| rs_replicas(&self.rss[*i]) > 0)
            .collect();
        let active_or_latest = match active.len() {
            0 => new.or(old_newest.first().copied()),
            1 => Some(active[0]),
            _ => None,
        };
        if let Some(i) = active_or_latest {
            if rs_replicas(&self.rss[i]) != r {
                self.scale_and_record(i, r);
            }
            return;
        }
        if is_saturated(&self.d, new.map(|n| &self.rss[n])) {
            for o in old_newest {
                if rs_replicas(&self.rss[o]) > 0 {
                    self.scale_and_record(o, 0);
                }
            }
            return;
        }
        if !is_rolling_update(&self.d) {
            return;
        }
        let mut active = active;
        let all_replicas: i32 = sum32(active.iter().map(|i| rs_replicas(&self.rss[*i])));
        let allowed = if r > 0 {
            r.wrapping_add(max_surge(&self.d))
        } else {
            0
        };
        let to_add = allowed - all_replicas;
        match to_add.cmp(&0) {
            std::cmp::Ordering::Greater => {
                active.sort_by(|a, b| cmp_by_size_newer(&self.rss[*a], &self.rss[*b]))
            }
            std::cmp::Ordering::Less => {
                active.sort_by(|a, b| cmp_by_size_older(&self.rss[*a], &self.rss[*b]))
            }
            std::cmp::Ordering::Equal => {}
        }
        let mut added = 0;
        let mut sizes = Vec::with_capacity(active.len());
        for i in &active {
            let rs = &self.rss[*i];
            if to_add != 0 {
                let p = get_proportion(rs, &self.d, to_add, added);
                sizes.push(rs_replicas(rs) + p);
                added += p;
            } else {
                sizes.push(rs_replicas(rs));
            }
        }
        for (k, i) in active.into_iter().enumerate() {
            if k == 0 && to_add != 0 {
                sizes[0] = (sizes[0] + to_add - added).max(0);
            }
            self.scale_replica_set(i, sizes[k]);
        }
    }

    /// `cleanupDeployment`: delete the oldest old RSs beyond revisionHistoryLimit that
    /// are fully scaled down and observed.
    pub(crate) fn cleanup_deployment(&mut self, old: &[ReplicaSet]) {
        if !has_revision_history_limit(&self.d) {
            return;
        }
        let limit = self
            .d
            .spec
            .as_ref()
            .and_then(|s| s.revision_history_limit)
            .unwrap_or(0);
        let mut cleanable: Vec<&ReplicaSet> = old
            .iter()
            .filter(|rs| rs.metadata.deletion_timestamp.is_none())
            .collect();
        let diff = cleanable.len() as i64 - i64::from(limit);
        if diff <= 0 {
            return;
        }
        cleanable.sort_by(|a, b| cmp_by_revision(a, b));
        let mut deletes = Vec::new();
        for rs in cleanable.into_iter().take(diff as usize) {
            let observed = rs
                .status
                .as_ref()
                .and_then(|s| s.observed_generation)
                .unwrap_or(0);
            if rs_status_replicas(rs) != 0
                || rs_replicas(rs) != 0
                || rs.metadata.generation.unwrap_or(0) > observed
                || rs.metadata.deletion_timestamp.is_some()
            {
                continue;
            }
            deletes.push(rs.metadata.name.clone().unwrap_or_default());
        }
        for name in deletes {
            self.plan.actions.push(Action::DeleteReplicaSet(name));
        }
    }

    /// `syncDeploymentStatus`: write the calculated status if it changed.
    pub(crate) fn sync_deployment_status(&mut self, all: &[ReplicaSet], new: Option<&ReplicaSet>) {
        let refs: Vec<&ReplicaSet> = all.iter().collect();
        let new_status = calculate_status(&self.d, &refs, new, self.now);
        if normalize_status(&self.status()) == new_status {
            return;
        }
        self.update_status(new_status);
    }

    /// `syncStatusOnly` (Deployment being deleted).
    pub(crate) fn sync_status_only(&mut self) -> Result<(), String> {
        let (new, old) = self.get_all(false)?;
        let mut all = self.clones(&old);
        let new_rs = new.map(|n| self.rss[n].clone());
        all.extend(new_rs.clone());
        self.sync_deployment_status(&all, new_rs.as_ref());
        Ok(())
    }

    /// `sync`: scale only (paused or scaling event), cleanup when paused, status.
    pub(crate) fn sync(&mut self) -> Result<(), String> {
        let (new, old) = self.get_all(false)?;
        let old_snapshot = self.clones(&old);
        let new_snapshot = new.map(|n| self.rss[n].clone());
        self.scale(new, &old);
        if is_paused(&self.d) && super::rollback::rollback_to(&self.d).is_none() {
            self.cleanup_deployment(&old_snapshot);
        }
        let mut all = old_snapshot;
        all.extend(new_snapshot.clone());
        self.sync_deployment_status(&all, new_snapshot.as_ref());
        Ok(())
    }

    /// `isScalingEvent`: an active RS's desired-replicas annotation differs from
    /// `spec.replicas`.
    pub(crate) fn is_scaling_event(&mut self) -> Result<bool, String> {
        let (new, old) = self.get_all(false)?;
        let r = replicas(&self.d);
        let mut all = old;
        all.extend(new);
        Ok(all.iter().any(|i| {
            let rs = &self.rss[*i];
            rs_replicas(rs) > 0 && desired_replicas_annotation(rs).is_some_and(|x| x != r)
        }))
    }

    /// `checkPausedConditions`.
    pub(crate) fn check_paused_conditions(&mut self) {
        if !has_progress_deadline(&self.d) {
            return;
        }
        let mut status = self.status();
        let reason = get_condition(Some(&status), CONDITION_PROGRESSING)
            .map(|c| c.reason.clone().unwrap_or_default());
        if reason.as_deref() == Some(REASON_TIMED_OUT) {
            return;
        }
        let paused_exists = reason.as_deref() == Some(REASON_PAUSED);
        let paused = is_paused(&self.d);
        let (r, msg) = if paused && !paused_exists {
            (REASON_PAUSED, "Deployment is paused")
        } else if !paused && paused_exists {
            (REASON_RESUMED, "Deployment is resumed")
        } else {
            return;
        };
        set_condition(
            &mut status,
            util::new_condition(
                CONDITION_PROGRESSING,
                "Unknown",
                r,
                msg.to_string(),
                self.now,
            ),
        );
        self.update_status(status);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use crate::controllers::deployment::Plan;

    /// Run `scale` on (new, old) and return the resulting sizes by name.
    fn run_scale(
        d: &Deployment,
        new: Option<ReplicaSet>,
        old: Vec<ReplicaSet>,
    ) -> Vec<(String, i32)> {
        let mut rss = old;
        let n_old = rss.len();
        rss.extend(new.clone());
        let mut cx = ctx(d, rss);
        let old_idx: Vec<usize> = (0..n_old).collect();
        let new_idx = new.map(|_| n_old);
        cx.scale(new_idx, &old_idx);
        cx.rss
            .iter()
            .map(|rs| (rs.metadata.name.clone().unwrap(), rs_replicas(rs)))
            .collect()
    }

    /// Port of upstream `TestScale` (sync_test.go): RS annotations were written for
    /// the old Deployment; maxSurge/maxUnavailable 0 unless stated.
    // Long because: upstream's table of cases, kept as one table to compare with sync_test.go.
    #[test]
    fn test_scale() {
        type Rs = (&'static str, i32);
        struct Case {
            name: &'static str,
            old: (i32, i32),      // old deployment (replicas, maxSurge)
            new: (i32, i32, i32), // deployment (replicas, maxSurge, maxUnavailable)
            new_rs: Option<Rs>,
            old_rss: Vec<Rs>,
            want: Vec<Rs>,
        }
        let c = |name, old: i32, new: i32, new_rs, old_rss, want| Case {
            name,
            old: (old, 0),
            new: (new, 0, 0),
            new_rs,
            old_rss,
            want,
        };
        let cases = vec![
            c(
                "normal 10 -> 12",
                10,
                12,
                Some(("v1", 10)),
                vec![],
                vec![("v1", 12)],
            ),
            c(
                "normal 10 -> 5",
                10,
                5,
                Some(("v1", 10)),
                vec![],
                vec![("v1", 5)],
            ),
            c(
                "proportional 5 -> 10",
                5,
                10,
                Some(("v2", 2)),
                vec![("v1", 3)],
                vec![("v1", 6), ("v2", 4)],
            ),
            c(
                "proportional 5 -> 3",
                5,
                3,
                Some(("v2", 2)),
                vec![("v1", 3)],
                vec![("v1", 2), ("v2", 1)],
            ),
            c(
                "proportional 9 -> 4",
                9,
                4,
                Some(("v2", 8)),
                vec![("v1", 1)],
                vec![("v1", 0), ("v2", 4)],
            ),
            c(
                "proportional 7 -> 10",
                7,
                10,
                Some(("v3", 2)),
                vec![("v2", 3), ("v1", 2)],
                vec![("v1", 3), ("v2", 4), ("v3", 3)],
            ),
            c(
                "proportional 13 -> 8",
                13,
                8,
                Some(("v3", 2)),
                vec![("v2", 8), ("v1", 3)],
                vec![("v1", 2), ("v2", 5), ("v3", 1)],
            ),
            c(
                "leftover 3 -> 4",
                3,
                4,
                Some(("v3", 1)),
                vec![("v2", 1), ("v1", 1)],
                vec![("v1", 1), ("v2", 1), ("v3", 2)],
            ),
            c(
                "leftover 3 -> 2",
                3,
                2,
                Some(("v3", 1)),
                vec![("v2", 1), ("v1", 1)],
                vec![("v1", 0), ("v2", 1), ("v3", 1)],
            ),
            c(
                "no new rs 4 -> 5",
                4,
                5,
                None,
                vec![("v2", 2), ("v1", 2)],
                vec![("v1", 2), ("v2", 3)],
            ),
            c(
                "6 -> 0",
                6,
                0,
                Some(("v3", 3)),
                vec![("v2", 2), ("v1", 1)],
                vec![("v1", 0), ("v2", 0), ("v3", 0)],
            ),
            c(
                "0 -> 6",
                6,
                6,
                Some(("v3", 0)),
                vec![("v2", 0), ("v1", 0)],
                vec![("v1", 0), ("v2", 0), ("v3", 6)],
            ),
            Case {
                old: (10, 2),
                new: (20, 2, 0),
                ..c(
                    "surge pods",
                    0,
                    0,
                    Some(("v2", 6)),
                    vec![("v1", 6)],
                    vec![("v1", 11), ("v2", 11)],
                )
            },
            Case {
                old: (10, 3),
                new: (50, 6, 0),
                ..c(
                    "surge and size",
                    0,
                    0,
                    Some(("v2", 5)),
                    vec![("v1", 8)],
                    vec![("v1", 34), ("v2", 22)],
                )
            },
            c(
                "size and template",
                10,
                14,
                None,
                vec![("v2", 7), ("v1", 3)],
                vec![("v1", 4), ("v2", 10)],
            ),
            Case {
                old: (2, 1),
                new: (2, 1, 1),
                ..c(
                    "saturated but broken",
                    0,
                    0,
                    Some(("v2", 2)),
                    vec![("v1", 1)],
                    vec![("v1", 1), ("v2", 2)],
                )
            },
        ];
        for case in cases {
            let d = rolling(case.new.0, case.new.1, case.new.2);
            let old_d = rolling(case.old.0, case.old.1, 0);
            let age = |name: &str| match name {
                "v1" => 30,
                "v2" => 20,
                _ => 10,
            };
            let mk = |(name, replicas): Rs| {
                let mut r = rs_named(name, replicas, age(name));
                let avail = if case.name == "saturated but broken" && name == "v2" {
                    0
                } else {
                    replicas
                };
                r.status = Some(ReplicaSetStatus {
                    replicas,
                    available_replicas: Some(avail),
                    ..Default::default()
                });
                set_replicas_annotations(&mut r, case.old.0, case.old.0 + max_surge(&old_d));
                r
            };
            let new = case.new_rs.map(mk);
            let old: Vec<ReplicaSet> = case.old_rss.iter().copied().map(mk).collect();
            let mut got = run_scale(&d, new, old);
            got.sort();
            let want: Vec<(String, i32)> =
                case.want.iter().map(|(n, r)| (n.to_string(), *r)).collect();
            assert_eq!(got, want, "{}", case.name);
        }
    }

    #[test]
    fn test_cleanup_deployment() {
        // (spec, status) replicas per old RS, limit, expected deletions
        type Case = (Vec<(i32, i32)>, i32, usize);
        let cases: Vec<Case> = vec![
            (vec![(0, 0), (0, 0), (0, 0)], 1, 2),
            (vec![(0, 0), (0, 1), (1, 0), (1, 1)], 0, 1),
            (vec![(0, 0), (0, 0)], 0, 2),
            (vec![(1, 1), (1, 1)], 0, 0),
            (vec![(0, 0), (0, 0)], MAX_INT32, 0),
        ];
        for (i, (rss, limit, want)) in cases.into_iter().enumerate() {
            let mut d = rolling(1, 1, 1);
            d.spec.as_mut().unwrap().revision_history_limit = Some(limit);
            let old: Vec<ReplicaSet> = rss
                .iter()
                .enumerate()
                .map(|(k, (s, st))| {
                    let mut r = rs_named(&format!("rs{k}"), *s, 100 - k as i64);
                    r.status.as_mut().unwrap().replicas = *st;
                    r
                })
                .collect();
            let mut cx = ctx(&d, old.clone());
            cx.cleanup_deployment(&old);
            let deletes = cx
                .plan
                .actions
                .iter()
                .filter(|a| matches!(a, Action::DeleteReplicaSet(_)))
                .count();
            assert_eq!(deletes, want, "case {i}");
        }
        // An RS already being deleted is never a candidate.
        let mut d = rolling(1, 1, 1);
        d.spec.as_mut().unwrap().revision_history_limit = Some(0);
        let mut r = rs_named("gone", 0, 10);
        r.metadata.deletion_timestamp = Some(to_time(t0()));
        let mut cx = ctx(&d, vec![r.clone()]);
        cx.cleanup_deployment(&[r]);
        assert_eq!(cx.plan, Plan::default());
    }

    #[test]
    fn test_cleanup_deployment_order() {
        let mut d = rolling(1, 1, 1);
        d.spec.as_mut().unwrap().revision_history_limit = Some(1);
        let with_rev = |name: &str, rev: Option<&str>, age: i64| {
            let mut r = rs_named(name, 0, age);
            if let Some(v) = rev {
                r.metadata
                    .annotations
                    .get_or_insert_with(BTreeMap::new)
                    .insert(REVISION_ANNOTATION.into(), v.into());
            }
            r
        };
        let cases = vec![
            (
                vec![with_rev("a", Some("1"), 20), with_rev("b", Some("2"), 10)],
                "a",
            ),
            (
                vec![with_rev("a", Some("2"), 20), with_rev("b", Some("1"), 10)],
                "b",
            ),
            (
                vec![with_rev("a", Some("1"), 20), with_rev("b", None, 10)],
                "b",
            ),
        ];
        for (old, want) in cases {
            let mut cx = ctx(&d, old.clone());
            cx.cleanup_deployment(&old);
            assert_eq!(
                cx.plan.actions,
                vec![Action::DeleteReplicaSet(want.to_string())]
            );
        }
    }

    #[test]
    fn revision_history_annotation() {
        let d = rolling(1, 1, 1);
        let mut r = rs_named("x", 1, 10);
        r.metadata.annotations = Some(
            [
                (REVISION_ANNOTATION.to_string(), "1".to_string()),
                (REVISION_HISTORY_ANNOTATION.to_string(), "".to_string()),
            ]
            .into(),
        );
        assert!(set_new_rs_annotations(&d, &mut r, "3", true, 2000));
        let a = r.metadata.annotations.clone().unwrap();
        assert_eq!(a[REVISION_ANNOTATION], "3");
        assert_eq!(a[REVISION_HISTORY_ANNOTATION], "1");
        assert!(set_new_rs_annotations(&d, &mut r, "5", true, 2000));
        assert_eq!(
            r.metadata.annotations.unwrap()[REVISION_HISTORY_ANNOTATION],
            "1,3"
        );
        // Oldest entries dropped when over the limit.
        let mut r = rs_named("x", 1, 10);
        r.metadata.annotations = Some(
            [
                (REVISION_ANNOTATION.to_string(), "30".to_string()),
                (REVISION_HISTORY_ANNOTATION.to_string(), "10,20".to_string()),
            ]
            .into(),
        );
        set_new_rs_annotations(&d, &mut r, "31", true, 6);
        assert_eq!(
            r.metadata.annotations.unwrap()[REVISION_HISTORY_ANNOTATION],
            "20,30"
        );
    }
}
