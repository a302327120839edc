//! Probes, as far as the simulation goes: `startupProbe` and `readinessProbe` are taken to
//! succeed `initialDelaySeconds` after the container starts (or `kubesim.io/ready-after-seconds`
//! later); the container turns started, then ready, at those instants.

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
