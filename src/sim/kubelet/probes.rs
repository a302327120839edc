//! Probes, as far as the simulation goes: `startupProbe` and `readinessProbe` are taken to
//! succeed `initialDelaySeconds` after the container starts (or `kubesim.io/ready-after-seconds`
//! later); the container turns started, then ready, at those instants.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Container, Pod, Probe};

use super::add;
use super::program::ann_i64;
use super::runtime::CSim;

/// `(started_after, ready_after)`: seconds after its start when container `c` turns started
/// (`startupProbe.initialDelaySeconds`) and ready (`kubesim.io/ready-after-seconds`, else
/// `readinessProbe.initialDelaySeconds`; never before it started).
pub(super) fn delays(pod: &Pod, c: &Container, name: &str, is_init: bool) -> (i64, i64) {
    let probe_delay = |p: &Option<Probe>| {
        p.as_ref()
            .map(|p| i64::from(p.initial_delay_seconds.unwrap_or(0).max(0)))
            .unwrap_or(0)
    };
    let started_after = probe_delay(&c.startup_probe);
    let ready_after = ann_i64(pod, "kubesim.io/ready-after-seconds", name, is_init)
        .unwrap_or_else(|| probe_delay(&c.readiness_probe))
        .max(started_after);
    (started_after, ready_after)
}

impl CSim<'_> {
    /// The probe instants still ahead of a container running since `s`: turning started,
    /// turning ready (init containers other than sidecars never do, nor a container being
    /// killed).
    pub(super) fn probe_times(&self, s: Timestamp, cands: &mut Vec<Timestamp>) {
        if self.status.started != Some(true) {
            cands.push(add(s, self.prog.started_after));
        }
        if !self.status.ready && !self.is_init_nonsidecar() && !self.killing {
            cands.push(add(s, self.prog.ready_after));
        }
    }

    /// Started and ready as of `t` for a container running since `s`.
    pub(super) fn advance_probes(&mut self, s: Timestamp, t: Timestamp) {
        if self.status.started != Some(true) && add(s, self.prog.started_after) <= t {
            self.status.started = Some(true);
        }
        if !self.status.ready
            && add(s, self.prog.ready_after) <= t
            && !self.is_init_nonsidecar()
            && !self.killing
        {
            self.status.ready = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::kubelet::testing::*;
    use k8s_openapi::api::core::v1::Probe;

    #[test]
    fn readiness_delay() {
        let mut c = container("web", "nginx:1.25", &[]);
        c.readiness_probe = Some(Probe {
            initial_delay_seconds: Some(5),
            ..Default::default()
        });
        let mut p = pod(vec![c], "Always");
        let (trace, _) = drive(&mut p, 0, 100);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Running", 0),
                (7, "Running", 0)
            ])
        );
        let conds = p.status.unwrap().conditions.unwrap();
        assert_eq!(conds[2].status, "True");
        assert_eq!(conds[2].last_transition_time.as_ref().unwrap().0, t(7));
    }
}
