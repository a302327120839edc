//! Port of upstream `pkg/controller/deployment/rolling.go`: one pass of a
//! RollingUpdate rollout — scale the new ReplicaSet up within maxSurge, else scale old
//! ReplicaSets down within maxUnavailable (unhealthy replicas first), else clean up.

use super::Ctx;
use super::sync::sorted_by_creation;
use super::util::*;

impl Ctx<'_> {
    /// `rolloutRolling`.
    pub(crate) fn rollout_rolling(&mut self) -> Result<(), String> {
        let (new, old) = self.get_all(true)?;
        let new = new.ok_or_else(|| "new replica set was not created".to_string())?;
        // Upstream writes the status from the ReplicaSets as they were after
        // getAllReplicaSetsAndSyncRevision (its allRSs slice is not refreshed).
        let old_snapshot = self.clones(&old);
        let new_snapshot = self.rss[new].clone();
        let mut all_snapshot = old_snapshot.clone();
        all_snapshot.push(new_snapshot.clone());
        let mut all = old.clone();
        all.push(new);

        if self.reconcile_new_replica_set(&all, new)? {
            self.sync_rollout_status(&all_snapshot, Some(&new_snapshot));
            return Ok(());
        }
        let active_old: Vec<usize> = old
            .iter()
            .copied()
            .filter(|i| rs_replicas(&self.rss[*i]) > 0)
            .collect();
        if self.reconcile_old_replica_sets(&all, active_old, new) {
            self.sync_rollout_status(&all_snapshot, Some(&new_snapshot));
            return Ok(());
        }
        if deployment_complete(&self.d, &self.status()) {
            self.cleanup_deployment(&old_snapshot);
        }
        self.sync_rollout_status(&all_snapshot, Some(&new_snapshot));
        Ok(())
    }

    /// `reconcileNewReplicaSet`: returns whether the new RS was scaled.
    pub(crate) fn reconcile_new_replica_set(
        &mut self,
        all: &[usize],
        new: usize,
    ) -> Result<bool, String> {
        let r = replicas(&self.d);
        let n = rs_replicas(&self.rss[new]);
        if n == r {
            return Ok(false);
        }
        if n > r {
            return Ok(self.scale_and_record(new, r));
        }
        let count = new_rs_new_replicas(&self.d, &self.refs(all), &self.rss[new])?;
        Ok(self.scale_and_record(new, count))
    }

    /// `reconcileOldReplicaSets`: returns whether any old RS was scaled down.
    pub(crate) fn reconcile_old_replica_sets(
        &mut self,
        all: &[usize],
        old_active: Vec<usize>,
        new: usize,
    ) -> bool {
        let old_pods: i32 = sum32(old_active.iter().map(|i| rs_replicas(&self.rss[*i])));
        if old_pods == 0 {
            return false;
        }
        let all_pods: i32 = sum32(all.iter().map(|i| rs_replicas(&self.rss[*i])));
        let min_available = replicas(&self.d).wrapping_sub(max_unavailable(&self.d));
        let new_rs = &self.rss[new];
        let new_unavailable = rs_replicas(new_rs) - rs_available(new_rs);
        let max_scaled_down = all_pods - min_available - new_unavailable;
        if max_scaled_down <= 0 {
            return false;
        }
        let (old_sorted, cleaned) = self.cleanup_unhealthy_replicas(old_active, max_scaled_down);
        let mut all2 = old_sorted.clone();
        all2.push(new);
        let scaled = self.scale_down_old_replica_sets_for_rolling_update(&all2, &old_sorted);
        cleaned + scaled > 0
    }

    /// `cleanupUnhealthyReplicas`: scale old RSs (oldest first) down by their
    /// unavailable replicas, at most `max_cleanup` in total.
    pub(crate) fn cleanup_unhealthy_replicas(
        &mut self,
        old: Vec<usize>,
        max_cleanup: i32,
    ) -> (Vec<usize>, i32) {
        let old = sorted_by_creation(&self.rss, &old);
        let mut total = 0;
        for &i in &old {
            if total >= max_cleanup {
                break;
            }
            let rs = &self.rss[i];
            let (spec, avail) = (rs_replicas(rs), rs_available(rs));
            if spec == 0 || spec == avail {
                continue;
            }
            let count = (max_cleanup - total).min(spec - avail);
            self.scale_and_record(i, spec - count);
            total += count;
        }
        (old, total)
    }

    /// `scaleDownOldReplicaSetsForRollingUpdate`: scale old RSs (oldest first) down by
    /// what availability allows above minAvailable.
    pub(crate) fn scale_down_old_replica_sets_for_rolling_update(
        &mut self,
        all: &[usize],
        old: &[usize],
    ) -> i32 {
        let min_available = replicas(&self.d).wrapping_sub(max_unavailable(&self.d));
        let available: i32 = sum32(all.iter().map(|i| rs_available(&self.rss[*i])));
        if available <= min_available {
            return 0;
        }
        let old = sorted_by_creation(&self.rss, old);
        let budget = available - min_available;
        let mut total = 0;
        for i in old {
            if total >= budget {
                break;
            }
            let spec = rs_replicas(&self.rss[i]);
            if spec == 0 {
                continue;
            }
            let count = spec.min(budget - total);
            self.scale_and_record(i, spec - count);
            total += count;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::*;
    use k8s_openapi::api::apps::v1::ReplicaSet;

    fn with_avail(mut rs: ReplicaSet, avail: i32) -> ReplicaSet {
        let n = rs_replicas(&rs);
        let s = rs.status.get_or_insert_with(Default::default);
        s.available_replicas = Some(avail);
        s.replicas = n;
        rs
    }

    /// `TestDeploymentController_reconcileNewReplicaSet` (maxUnavailable 0).
    #[test]
    fn test_reconcile_new_replica_set() {
        // (deployment replicas, maxSurge, old, new, scaled?, new after)
        let cases = [
            (10, 0, 10, 0, false, 0),
            (10, 2, 10, 0, true, 2),
            (10, 2, 5, 0, true, 7),
            (10, 2, 10, 2, false, 2),
            (10, 2, 2, 11, true, 10),
        ];
        for (i, (dr, surge, old, new, scaled, want)) in cases.into_iter().enumerate() {
            let d = rolling(dr, surge, 0);
            let mut cx = ctx(&d, vec![rs_named("old", old, 20), rs_named("new", new, 10)]);
            let got = cx.reconcile_new_replica_set(&[0, 1], 1).unwrap();
            assert_eq!(got, scaled, "case {i}");
            assert_eq!(rs_replicas(&cx.rss[1]), want, "case {i}");
        }
    }

    /// `TestDeploymentController_reconcileOldReplicaSets` (maxSurge 0).
    #[test]
    fn test_reconcile_old_replica_sets() {
        // (replicas, maxUnavailable, old, new, old available, new available, scaled?, old after)
        let cases = [
            (10, 0, 10, 0, 10, 0, true, 9),
            (10, 2, 10, 0, 10, 0, true, 8),
            (10, 2, 10, 0, 8, 0, true, 8),
            (10, 2, 10, 0, 9, 0, true, 8),
            (10, 2, 8, 2, 8, 0, false, 8),
        ];
        for (i, (dr, mu, old, new, old_av, new_av, scaled, want)) in cases.into_iter().enumerate() {
            let d = rolling(dr, 0, mu);
            let mut cx = ctx(
                &d,
                vec![
                    with_avail(rs_named("old", old, 20), old_av),
                    with_avail(rs_named("new", new, 10), new_av),
                ],
            );
            let got = cx.reconcile_old_replica_sets(&[0, 1], vec![0], 1);
            assert_eq!(got, scaled, "case {i}");
            assert_eq!(rs_replicas(&cx.rss[0]), want, "case {i}");
        }
    }

    /// `TestDeploymentController_cleanupUnhealthyReplicas`.
    #[test]
    fn test_cleanup_unhealthy_replicas() {
        // (old replicas, available, maxCleanupCount, cleaned)
        let cases = [(10, 8, 1, 1), (10, 8, 3, 2), (10, 8, 0, 0), (10, 10, 3, 0)];
        for (i, (old, avail, max, want)) in cases.into_iter().enumerate() {
            let d = rolling(10, 2, 2);
            let mut cx = ctx(&d, vec![with_avail(rs_named("old", old, 20), avail)]);
            let (_, cleaned) = cx.cleanup_unhealthy_replicas(vec![0], max);
            assert_eq!(cleaned, want, "case {i}");
        }
    }

    /// `TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate`.
    #[test]
    fn test_scale_down_old_replica_sets_for_rolling_update() {
        // (maxUnavailable, available, old replicas, scaled to (None = no scale))
        let cases = [
            (0, 10, 10, Some(9)),
            (2, 10, 10, Some(8)),
            (2, 8, 10, None),
            (2, 10, 0, None),
            (2, 1, 10, None),
        ];
        for (i, (mu, avail, old, want)) in cases.into_iter().enumerate() {
            let d = rolling(10, 0, mu);
            let mut cx = ctx(&d, vec![with_avail(rs_named("old", old, 20), avail)]);
            cx.scale_down_old_replica_sets_for_rolling_update(&[0], &[0]);
            let updates: Vec<i32> = cx
                .plan
                .actions
                .iter()
                .filter_map(|a| match a {
                    super::super::Action::UpdateReplicaSet(rs) => Some(rs_replicas(rs)),
                    _ => None,
                })
                .collect();
            assert_eq!(updates, want.into_iter().collect::<Vec<_>>(), "case {i}");
        }
    }
}
