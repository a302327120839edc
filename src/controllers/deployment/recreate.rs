//! Port of upstream `pkg/controller/deployment/recreate.go`: scale every old
//! ReplicaSet to 0, wait until none of their pods runs, then create/scale the new one.

use super::Ctx;
use super::util::*;

impl Ctx<'_> {
    /// `rolloutRecreate`.
    pub(crate) fn rollout_recreate(&mut self) -> Result<(), String> {
        let (mut new, mut old) = self.get_all(false)?;
        let mut all_snapshot = self.clones(&old);
        all_snapshot.extend(new.map(|n| self.rss[n].clone()));
        let new_snapshot = new.map(|n| self.rss[n].clone());

        let mut scaled_down = false;
        for &i in &old {
            if rs_replicas(&self.rss[i]) > 0 && self.scale_and_record(i, 0) {
                scaled_down = true;
            }
        }
        if scaled_down || self.old_pods_running(new, &old) {
            self.sync_rollout_status(&all_snapshot, new_snapshot.as_ref());
            return Ok(());
        }
        if new.is_none() {
            (new, old) = self.get_all(true)?;
            all_snapshot = self.clones(&old);
            all_snapshot.extend(new.map(|n| self.rss[n].clone()));
        }
        let new = new.ok_or_else(|| "new replica set was not created".to_string())?;
        let new_snapshot = self.rss[new].clone();
        self.scale_and_record(new, replicas(&self.d));
        if deployment_complete(&self.d, &self.status()) {
            let old_snapshot = self.clones(&old);
            self.cleanup_deployment(&old_snapshot);
        }
        self.sync_rollout_status(&all_snapshot, Some(&new_snapshot));
        Ok(())
    }

    /// `oldPodsRunning`: an old RS reports replicas, or a pod of any RS but the new one
    /// is not terminal (Pending, Running, Unknown or no phase).
    fn old_pods_running(&self, new: Option<usize>, old: &[usize]) -> bool {
        if old
            .iter()
            .map(|i| rs_status_replicas(&self.rss[*i]))
            .sum::<i32>()
            > 0
        {
            return true;
        }
        self.pods.iter().enumerate().any(|(i, pods)| {
            Some(i) != new
                && pods.iter().any(|p| {
                    let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
                    !matches!(phase, Some("Failed") | Some("Succeeded"))
                })
        })
    }
}
