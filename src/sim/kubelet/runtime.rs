//! The container runtime as the kubelet drives it: one [`CSim`] per container, from its last
//! status, moving through start, exit, restart and the crash-loop back-off.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, Pod, VolumeMountStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::images::{
    failed_attempts_by, image_fails, image_id, image_invalid, normalize_image, pull_attempt,
    pull_policy,
};
use super::program::{Program, program_for};
use super::{
    BACKOFF_INITIAL_SECONDS, BACKOFF_MAX_SECONDS, KEvent, PULL_SECONDS, add, format_pod,
    go_duration_secs, hex64, pod_name,
};

// ---------------------------------------------------------------------------------------------
// Per-container simulation
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Kind {
    /// Never started, waiting (`ContainerCreating` / `PodInitializing`).
    Fresh,
    ErrImagePull(usize),
    ImagePullBackOff(usize),
    InvalidImage,
    Running,
    Terminated,
    CrashLoop,
}

pub(super) struct CSim<'p> {
    pub(super) c: &'p Container,
    pub(super) is_init: bool,
    pub(super) sidecar: bool,
    pub(super) prog: Program,
    pub(super) status: ContainerStatus,
    pub(super) kind: Kind,
    pub(super) fails: bool,
    pub(super) policy: String,
    /// Where this container's first pull starts, once it may start.
    pub(super) anchor: Option<Timestamp>,
    /// Seconds its first pull occupies (0 when the image is present).
    pub(super) slot: i64,
    /// The image is on the node when the container may start (policy `Never`, or
    /// `IfNotPresent` with the image there): no pull, one `Pulled` "already present" event.
    pub(super) present: bool,
    /// The [`normalize_image`] name, for `IfNotPresent` containers (empty otherwise).
    pub(super) norm_image: String,
    /// Being killed: readiness no longer comes back.
    pub(super) killing: bool,
}

pub(super) fn state_running(s: &ContainerStatus) -> Option<&ContainerStateRunning> {
    s.state.as_ref()?.running.as_ref()
}

pub(super) fn state_terminated(s: &ContainerStatus) -> Option<&ContainerStateTerminated> {
    s.state.as_ref()?.terminated.as_ref()
}

pub(super) fn state_waiting(s: &ContainerStatus) -> Option<&ContainerStateWaiting> {
    s.state.as_ref()?.waiting.as_ref()
}

pub(super) fn ts(t: &Option<Time>) -> Option<Timestamp> {
    t.as_ref().map(|t| t.0)
}

/// An event about the container at `fp` (`spec.containers{name}`).
pub(super) fn container_event(
    fp: &str,
    type_: &str,
    reason: &str,
    message: String,
    at: Timestamp,
) -> KEvent {
    KEvent {
        type_: type_.into(),
        reason: reason.into(),
        message,
        field_path: Some(fp.to_string()),
        at,
        repeat: 0,
    }
}

pub(super) fn waiting(reason: &str, message: Option<String>) -> ContainerState {
    ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.into()),
            message,
        }),
        ..Default::default()
    }
}

/// The ID of a container's run number `restart` (0 = its first start).
pub(super) fn container_id(pod: &Pod, container: &str, restart: i32) -> String {
    format!(
        "containerd://{}",
        hex64(&format!(
            "{}/{}/{}/{}",
            pod.metadata.uid.as_deref().unwrap_or(""),
            pod_name(pod),
            container,
            restart
        ))
    )
}

/// When a run that started at `s` ends by itself: `None` for a program that runs forever, or
/// whose end lies beyond the last instant the clock can show (`sleep 99999999999`: the
/// container simply keeps running; it never counts as an exit at its start).
pub(super) fn run_end(s: Timestamp, run_seconds: Option<i64>) -> Option<Timestamp> {
    s.checked_add(jiff::SignedDuration::from_secs(run_seconds?))
        .ok()
}

/// Back-off after the k-th failure (1-based): 10, 20, 40, ... 300.
pub(super) fn backoff(k: usize) -> i64 {
    let shift = k.saturating_sub(1).min(10) as u32;
    (BACKOFF_INITIAL_SECONDS << shift).min(BACKOFF_MAX_SECONDS)
}

impl<'p> CSim<'p> {
    pub(super) fn new(
        pod: &'p Pod,
        c: &'p Container,
        is_init: bool,
        old: Option<&ContainerStatus>,
        has_init: bool,
    ) -> Self {
        let prog = program_for(pod, c, is_init);
        let image = c.image.clone().unwrap_or_default();
        let default_reason = if has_init {
            "PodInitializing"
        } else {
            "ContainerCreating"
        };
        let status = old.cloned().unwrap_or_else(|| ContainerStatus {
            name: c.name.clone(),
            image: image.clone(),
            image_id: String::new(),
            ready: false,
            restart_count: 0,
            started: Some(false),
            state: Some(waiting(default_reason, None)),
            ..Default::default()
        });
        let kind = if state_running(&status).is_some() {
            Kind::Running
        } else if state_terminated(&status).is_some() {
            Kind::Terminated
        } else {
            match state_waiting(&status).and_then(|w| w.reason.as_deref()) {
                Some("CrashLoopBackOff") => Kind::CrashLoop,
                Some("ErrImagePull") => Kind::ErrImagePull(0),
                Some("ImagePullBackOff") => Kind::ImagePullBackOff(0),
                Some("InvalidImageName") => Kind::InvalidImage,
                _ if status
                    .last_state
                    .as_ref()
                    .and_then(|s| s.terminated.as_ref())
                    .is_some() =>
                {
                    Kind::CrashLoop
                }
                _ => Kind::Fresh,
            }
        };
        let policy = pull_policy(c);
        let present = policy == "Never";
        let slot = if present { 0 } else { PULL_SECONDS };
        let norm_image = if policy == "IfNotPresent" {
            normalize_image(&image)
        } else {
            String::new()
        };
        CSim {
            c,
            is_init,
            sidecar: is_init && c.restart_policy.as_deref() == Some("Always"),
            prog,
            status,
            kind,
            fails: image_fails(pod, &image),
            policy,
            anchor: None,
            slot,
            present,
            norm_image,
            killing: false,
        }
    }

    pub(super) fn field_path(&self) -> String {
        if self.is_init {
            format!("spec.initContainers{{{}}}", self.c.name)
        } else {
            format!("spec.containers{{{}}}", self.c.name)
        }
    }

    pub(super) fn image(&self) -> String {
        self.c.image.clone().unwrap_or_default()
    }

    pub(super) fn restart_policy<'a>(&self, pod_policy: &'a str) -> &'a str {
        if self.sidecar { "Always" } else { pod_policy }
    }

    /// After an exit at `finishedAt`, does the container restart?
    pub(super) fn restarts(&self, pod_policy: &str, code: i32) -> bool {
        if self.is_init_nonsidecar() {
            return code != 0 && pod_policy != "Never";
        }
        match self.restart_policy(pod_policy) {
            "Always" => true,
            "OnFailure" => code != 0,
            _ => false,
        }
    }

    /// The first moment this container's pull loop for a failing image is at attempt 1.
    pub(super) fn pull_start(&self) -> Option<Timestamp> {
        self.anchor
    }

    /// Whether the container finished for good (init containers: successfully).
    pub(super) fn done_at(&self, pod_policy: &str) -> Option<Timestamp> {
        if self.sidecar {
            let r = state_running(&self.status)?;
            let s = ts(&r.started_at)?;
            return (self.status.started == Some(true)).then_some(add(s, 0));
        }
        let t = state_terminated(&self.status)?;
        if self.is_init {
            (t.exit_code == 0).then(|| ts(&t.finished_at)).flatten()
        } else if !self.restarts(pod_policy, t.exit_code) {
            ts(&t.finished_at)
        } else {
            None
        }
    }

    /// The time of this container's next transition.
    pub(super) fn next_time(&self, pod_policy: &str, now: Timestamp) -> Option<Timestamp> {
        let anchor = self.anchor?;
        match &self.kind {
            Kind::Fresh if self.fails => Some(add(anchor, PULL_SECONDS)),
            Kind::Fresh => Some(add(anchor, self.slot)),
            Kind::InvalidImage => None,
            Kind::ErrImagePull(_) | Kind::ImagePullBackOff(_) => {
                // Next point of the pull loop strictly after `now`.
                let n = failed_attempts_by(anchor, now);
                let (_, e) = pull_attempt(anchor, n.max(1));
                if n >= 1 && add(e, 1) > now {
                    Some(add(e, 1))
                } else {
                    Some(pull_attempt(anchor, n + 1).1)
                }
            }
            Kind::Running => {
                let r = state_running(&self.status)?;
                let s = ts(&r.started_at)?;
                let mut cands = Vec::new();
                self.probe_times(s, &mut cands);
                if let Some(end) = run_end(s, self.prog.run_seconds) {
                    cands.push(end);
                }
                cands.into_iter().min()
            }
            Kind::Terminated => {
                let t = state_terminated(&self.status)?;
                if !self.restarts(pod_policy, t.exit_code) {
                    return None;
                }
                Some(add(ts(&t.finished_at)?, 1))
            }
            Kind::CrashLoop => {
                let last = self.status.last_state.as_ref()?.terminated.as_ref()?;
                let f = ts(&last.finished_at)?;
                Some(add(f, self.crash_backoff()))
            }
        }
    }

    /// The back-off before the next restart, as the kubelet's `doBackOff` with its
    /// `flowcontrol.Backoff` (10 s doubling to the 5 min cap): the first restart is immediate
    /// (the back-off entry is created then), and so is every restart after a run longer than
    /// twice the cap (`hasExpired`: the entry was last updated when the container started, more
    /// than 10 minutes before this exit, so it starts over). Otherwise the n-th restart waits
    /// 10·2^(n-2) s, at most 300 s. The run is read from the termination itself
    /// (`finishedAt - startedAt`), never from what the program was expected to do.
    pub(super) fn crash_backoff(&self) -> i64 {
        let r = self.status.restart_count.max(0) as usize;
        if r == 0 || self.last_run_seconds() > 2 * BACKOFF_MAX_SECONDS {
            1
        } else {
            backoff(r)
        }
    }

    /// How long the run that ended last lasted: the current termination's, or (waiting in
    /// `CrashLoopBackOff`) the one kept in `lastState`.
    fn last_run_seconds(&self) -> i64 {
        let t = state_terminated(&self.status).or_else(|| {
            self.status
                .last_state
                .as_ref()
                .and_then(|l| l.terminated.as_ref())
        });
        t.and_then(|t| Some((ts(&t.started_at)?, ts(&t.finished_at)?)))
            .map_or(0, |(s, f)| f.duration_since(s).as_secs())
    }

    pub(super) fn start(&mut self, pod: &Pod, t: Timestamp, first: bool, events: &mut Vec<KEvent>) {
        let fp = self.field_path();
        let image = self.image();
        let ev = |type_: &str, reason: &str, message: String, at: Timestamp| {
            container_event(&fp, type_, reason, message, at)
        };
        self.image_events(&fp, &image, first, t, events);
        events.push(ev(
            "Normal",
            "Created",
            format!("Created container: {}", self.c.name),
            t,
        ));
        events.push(ev(
            "Normal",
            "Started",
            format!("Started container {}", self.c.name),
            t,
        ));
        self.start_status(pod, &image, t, first);
    }

    /// The status of a container that starts at `t`: running, a new container ID, its
    /// restart count and last termination, image and image ID, volume mounts.
    fn start_status(&mut self, pod: &Pod, image: &str, t: Timestamp, first: bool) {
        let restart = if first {
            0
        } else {
            self.status.restart_count + 1
        };
        if !first {
            // lastState keeps the termination just left behind.
            let prev = self
                .status
                .state
                .as_ref()
                .and_then(|s| s.terminated.clone());
            if let Some(prev) = prev {
                self.status.last_state = Some(ContainerState {
                    terminated: Some(prev),
                    ..Default::default()
                });
            }
        }
        self.status.restart_count = restart;
        self.status.image = normalize_image(image);
        self.status.image_id = image_id(image);
        self.status.container_id = Some(container_id(pod, &self.c.name, restart));
        self.status.state = Some(ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(Time(t)),
            }),
            ..Default::default()
        });
        self.status.started = Some(self.prog.started_after == 0);
        self.status.ready = self.prog.ready_after == 0 && !self.is_init_nonsidecar();
        let mounts: Vec<VolumeMountStatus> = self
            .c
            .volume_mounts
            .iter()
            .flatten()
            .map(|m| VolumeMountStatus {
                name: m.name.clone(),
                mount_path: m.mount_path.clone(),
                read_only: m.read_only.filter(|r| *r),
                recursive_read_only: m.read_only.filter(|r| *r).map(|_| "Disabled".to_string()),
            })
            .collect();
        self.status.volume_mounts = if mounts.is_empty() {
            None
        } else {
            Some(mounts)
        };
        self.kind = Kind::Running;
    }

    pub(super) fn is_init_nonsidecar(&self) -> bool {
        self.is_init && !self.sidecar
    }

    pub(super) fn terminate(&mut self, t: Timestamp, code: i32) {
        let started = state_running(&self.status).and_then(|r| r.started_at.clone());
        self.status.state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                container_id: self.status.container_id.clone(),
                exit_code: code,
                finished_at: Some(Time(t)),
                reason: Some(if code == 0 {
                    "Completed".into()
                } else {
                    "Error".into()
                }),
                started_at: started,
                ..Default::default()
            }),
            ..Default::default()
        });
        self.status.ready = false;
        self.status.started = Some(false);
        self.kind = Kind::Terminated;
    }

    /// Applies the transition due at `t` (== `next_time`).
    pub(super) fn step(
        &mut self,
        pod: &Pod,
        _pod_policy: &str,
        t: Timestamp,
        events: &mut Vec<KEvent>,
    ) {
        let fp = self.field_path();
        let image = self.image();
        match self.kind.clone() {
            Kind::Fresh | Kind::ErrImagePull(_) | Kind::ImagePullBackOff(_) if self.fails => {
                self.step_failing_pull(&fp, &image, t, events);
            }
            Kind::Fresh => {
                if image_invalid(&image) {
                    self.reject_invalid_image(&fp, &image, t, events);
                } else {
                    self.start(pod, t, true, events);
                }
            }
            Kind::Running => {
                let Some(s) = state_running(&self.status).and_then(|r| ts(&r.started_at)) else {
                    return;
                };
                self.advance_probes(s, t);
                if run_end(s, self.prog.run_seconds).is_some_and(|end| end <= t) {
                    self.terminate(t, self.prog.exit_code);
                }
            }
            Kind::Terminated => {
                if self.crash_backoff() <= 1 {
                    self.start(pod, t, false, events);
                } else {
                    self.enter_crash_loop(pod, &fp, t, events);
                }
            }
            Kind::CrashLoop => {
                // Move lastState back into state so `start` records it again as lastState.
                if let Some(last) = self
                    .status
                    .last_state
                    .as_ref()
                    .and_then(|l| l.terminated.clone())
                {
                    self.status.state = Some(ContainerState {
                        terminated: Some(last),
                        ..Default::default()
                    });
                }
                self.start(pod, t, false, events);
            }
            Kind::InvalidImage | Kind::ErrImagePull(_) | Kind::ImagePullBackOff(_) => {}
        }
    }

    /// An exit the container restarts from after a back-off: it waits in `CrashLoopBackOff`
    /// (Warning `BackOff`), its termination kept as `lastState`.
    fn enter_crash_loop(&mut self, pod: &Pod, fp: &str, t: Timestamp, events: &mut Vec<KEvent>) {
        let d = self.crash_backoff();
        let prev = self
            .status
            .state
            .as_ref()
            .and_then(|s| s.terminated.clone());
        self.status.last_state = prev.map(|p| ContainerState {
            terminated: Some(p),
            ..Default::default()
        });
        self.status.state = Some(waiting(
            "CrashLoopBackOff",
            Some(format!(
                "back-off {} restarting failed container={} pod={}",
                go_duration_secs(d),
                self.c.name,
                format_pod(pod)
            )),
        ));
        events.push(container_event(
            fp,
            "Warning",
            "BackOff",
            format!(
                "Back-off restarting failed container {} in pod {}",
                self.c.name,
                format_pod(pod)
            ),
            t,
        ));
        self.kind = Kind::CrashLoop;
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kubelet::testing::*;

    #[test]
    fn crash_loop_backoff_sequence() {
        let mut p = pod(
            vec![container("c", "busybox:1.36", &["sh", "-c", "exit 1"])],
            "Always",
        );
        let (trace, events) = drive(&mut p, 0, 700);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Error", 0),
                (3, "Error", 1),
                (4, "CrashLoopBackOff", 1),
                (13, "Error", 2),
                (14, "CrashLoopBackOff", 2),
                (33, "Error", 3),
                (34, "CrashLoopBackOff", 3),
                (73, "Error", 4),
                (74, "CrashLoopBackOff", 4),
                (153, "Error", 5),
                (154, "CrashLoopBackOff", 5),
                (313, "Error", 6),
                (314, "CrashLoopBackOff", 6),
                (613, "Error", 7),
                (614, "CrashLoopBackOff", 7),
            ])
        );
        let backoff = events.iter().find(|e| e.reason == "BackOff").unwrap();
        assert_eq!(
            backoff.message,
            "Back-off restarting failed container c in pod p_default(u1)"
        );
        assert_eq!(backoff.type_, "Warning");
        let cs = &p
            .status
            .as_ref()
            .unwrap()
            .container_statuses
            .as_ref()
            .unwrap()[0];
        assert_eq!(
            state_waiting(cs).unwrap().message.as_deref(),
            Some("back-off 5m0s restarting failed container=c pod=p_default(u1)")
        );
        assert_eq!(
            cs.last_state
                .as_ref()
                .unwrap()
                .terminated
                .as_ref()
                .unwrap()
                .exit_code,
            1
        );
        assert_eq!(p.status.unwrap().phase.as_deref(), Some("Running"));
        // Restarts use the cached image.
        assert!(events.iter().any(|e| e.message == "Container image \"busybox:1.36\" already present on machine"));
    }

    #[test]
    fn job_pods_complete_or_fail() {
        let mut p = pod(vec![container("pi", "perl:5.34", &[])], "Never");
        let (trace, _) = drive(&mut p, 0, 100);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Running", 0),
                (7, "Completed", 0)
            ])
        );
        let st = p.status.unwrap();
        assert_eq!(st.phase.as_deref(), Some("Succeeded"));
        let conds = st.conditions.unwrap();
        assert_eq!(
            (conds[0].type_.as_str(), conds[0].status.as_str()),
            ("PodReadyToStartContainers", "False")
        );
        assert_eq!(conds[1].reason.as_deref(), Some("PodCompleted"));
        assert_eq!(conds[2].reason.as_deref(), Some("PodCompleted"));
        assert_eq!(conds[2].last_transition_time.as_ref().unwrap().0, t(7));

        let mut p = pod(
            vec![container("c", "busybox", &["sh", "-c", "sleep 3; exit 2"])],
            "Never",
        );
        let (trace, _) = drive(&mut p, 0, 100);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Running", 0),
                (5, "Error", 0)
            ])
        );
        assert_eq!(p.status.as_ref().unwrap().phase.as_deref(), Some("Failed"));
        assert_eq!(
            p.status.unwrap().conditions.unwrap()[2].reason.as_deref(),
            Some("PodFailed")
        );

        let mut p = pod(vec![container("c", "busybox", &["false"])], "OnFailure");
        let (trace, _) = drive(&mut p, 0, 15);
        assert_eq!(
            trace[..4],
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Error", 0),
                (3, "Error", 1),
                (4, "CrashLoopBackOff", 1)
            ])
        );
    }

    /// Issue 16: `run big --image=busybox -- sleep 99999999999` (and longer sleeps, whose end
    /// the clock cannot show) keeps running; it never exits at its start.
    #[test]
    fn a_sleep_beyond_the_clock_simply_runs() {
        for n in ["99999999999", "999999999999", "99999999999999999999"] {
            let mut p = pod(vec![container("big", "busybox", &["sleep", n])], "Always");
            let (trace, _) = drive(&mut p, 0, 4000);
            assert_eq!(
                trace,
                tr(&[(0, "ContainerCreating", 0), (2, "Running", 0)]),
                "sleep {n}"
            );
        }
    }

    /// A run longer than 10 minutes (twice the 5 min cap) resets the back-off: each restart
    /// is immediate; a short run after restarts backs off 10 s, 20 s, ...
    #[test]
    fn long_runs_reset_the_backoff() {
        let mut p = pod(
            vec![container(
                "c",
                "busybox",
                &["sh", "-c", "sleep 601; exit 1"],
            )],
            "Always",
        );
        let (trace, events) = drive(&mut p, 0, 2000);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Running", 0),
                (603, "Error", 0),
                (604, "Running", 1),
                (1205, "Error", 1),
                (1206, "Running", 2),
                (1807, "Error", 2),
                (1808, "Running", 3),
            ])
        );
        assert!(!events.iter().any(|e| e.reason == "BackOff"));
        // Exactly 10 minutes is not longer than the cap twice: the back-off applies.
        let mut p = pod(
            vec![container(
                "c",
                "busybox",
                &["sh", "-c", "sleep 600; exit 1"],
            )],
            "Always",
        );
        let (trace, _) = drive(&mut p, 0, 1300);
        assert_eq!(
            trace[3..6],
            tr(&[
                (603, "Running", 1),
                (1203, "Error", 1),
                (1204, "CrashLoopBackOff", 1)
            ])
        );
    }
}
