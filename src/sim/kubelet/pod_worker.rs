//! The pod worker: [`sync_pod`] advances one pod on its node to `now` (the kubelet's
//! `syncPod`), driving its containers' [`CSim`]s through their transitions in time order.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{ContainerStatus, HostIP, Node, Pod, PodIP, PodSpec, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::admission::{admission_failure, rejection};
use super::images::{advance_failing_pulls, decide_present, pulls_begun};
use super::runtime::{CSim, Kind, container_event, container_id, waiting};
use super::status::{assemble_status, node_internal_ip, phase_of};
use super::{
    BACKOFF_MAX_SECONDS, DEFAULT_GRACE_SECONDS, KEvent, KubeletCtx, PodSync, TERMINATION_SECONDS,
    add,
};

pub(super) fn node_dead(node: &Node) -> bool {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "Unknown")
}

/// Advances one pod on `node` to `now`. See the module docs for the simulated behaviour.
pub fn sync_pod(pod: &Pod, node: &Node, now: Timestamp, ctx: &KubeletCtx) -> PodSync {
    let mut out = PodSync::default();
    let Some(spec) = &pod.spec else {
        return out;
    };
    if node_dead(node) {
        return out;
    }
    let no_status = PodStatus::default();
    let old = pod.status.as_ref().unwrap_or(&no_status);
    let phase_old = old.phase.clone().unwrap_or_else(|| "Pending".into());
    let terminal = matches!(phase_old.as_str(), "Succeeded" | "Failed");
    let deleting = pod.metadata.deletion_timestamp.as_ref().map(|t| t.0);
    if deleting.is_some() && (old.start_time.is_none() || terminal) {
        out.delete_now = true;
        return out;
    }
    if terminal {
        return out;
    }
    let policy = spec
        .restart_policy
        .clone()
        .unwrap_or_else(|| "Always".into());
    let mut status = old.clone();
    let mut events = Vec::new();
    let first_sync = old.start_time.is_none();
    let start_time = old.start_time.as_ref().map(|t| t.0).unwrap_or(now);
    if first_sync {
        if let Some(failure) = admission_failure(pod, node, &ctx.node_usage) {
            return rejection(failure, old, now);
        }
        if !ctx.refs.is_empty() {
            return blocked(pod, spec, node, ctx, old, now);
        }
        first_sync_status(&mut status, spec, node, ctx, now);
    }
    // A pod that waited for its ConfigMaps or Secrets starts its containers afresh.
    let fresh;
    let old_containers = if first_sync {
        fresh = PodStatus {
            container_statuses: None,
            init_container_statuses: None,
            ..PodStatus::default()
        };
        &fresh
    } else {
        old
    };
    let (mut inits, mut apps) = container_sims(pod, spec, old_containers);
    let worker = Worker {
        pod,
        policy: &policy,
        start_time,
        images: &ctx.images,
    };
    let kill = deleting.map(|d| kill_times(pod, spec, d, start_time, &inits, &apps));

    worker.set_anchors(&mut inits, &mut apps);
    if let Some((requested, _, _)) = kill
        && now > requested
    {
        // The kill already happened in an earlier call and marked the containers not ready.
        for c in inits.iter_mut().chain(apps.iter_mut()) {
            c.killing = true;
        }
    }
    let limit = match kill {
        Some((requested, _, _)) => now.min(requested),
        None => now,
    };
    let last_change = worker.run_until(&mut inits, &mut apps, limit, first_sync, &mut events);
    // Failing pulls: their state is a function of time since the first attempt.
    let terminal_now = matches!(phase_of(pod, &inits, &apps), "Succeeded" | "Failed");
    if !terminal_now {
        advance_failing_pulls(pod, &policy, &mut inits, &mut apps, limit, &mut events);
        out.wake_at = inits
            .iter()
            .chain(apps.iter())
            .filter_map(|c| c.next_time(&policy, limit))
            .filter(|t| *t > limit)
            .min();
    }
    let finished_at = last_change;

    // Graceful deletion.
    if let Some(kill) = kill
        && now >= kill.0
    {
        graceful_deletion(
            kill,
            now,
            start_time,
            &mut inits,
            &mut apps,
            &mut events,
            &mut out,
        );
    }

    // Assemble the status.
    let phase = assemble_status(
        pod,
        old,
        &mut status,
        inits,
        apps,
        out.delete_now,
        start_time,
        finished_at.unwrap_or(now),
        now,
    );
    if matches!(phase.as_str(), "Succeeded" | "Failed") && !out.delete_now {
        out.wake_at = None;
    }
    out.events = events;
    out.events.sort_by_key(|e| e.at);
    if pod.status.as_ref() != Some(&status) {
        out.status = Some(status);
    }
    out
}

/// A pod whose ConfigMap or Secret references fail ([`KubeletCtx::refs`]): a volume that
/// cannot be mounted keeps every container in `ContainerCreating` (Warning `FailedMount`);
/// a container whose env cannot be made waits in `CreateContainerConfigError` (Warning
/// `Failed` `Error: <msg>`). No container starts and `startTime` stays unset, so the pod's
/// real first sync comes once the objects exist (a ConfigMap or Secret change wakes it).
/// Events are recorded when the failure is new (not on every retry).
fn blocked(
    pod: &Pod,
    spec: &PodSpec,
    node: &Node,
    ctx: &KubeletCtx,
    old: &PodStatus,
    now: Timestamp,
) -> PodSync {
    let mut status = old.clone();
    first_sync_status(&mut status, spec, node, ctx, now);
    let (mut inits, mut apps) = container_sims(pod, spec, &PodStatus::default());
    let mut events = Vec::new();
    let old_waiting = |c: &CSim| {
        old.init_container_statuses
            .iter()
            .chain(old.container_statuses.iter())
            .flatten()
            .find(|s| s.name == c.c.name)
            .and_then(|s| s.state.as_ref())
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.message.clone())
    };
    for c in inits.iter_mut().chain(apps.iter_mut()) {
        if let Some(msg) = ctx.refs.containers.get(&c.c.name) {
            c.status.state = Some(waiting("CreateContainerConfigError", Some(msg.clone())));
            if old_waiting(c).as_ref() != Some(msg) {
                events.push(container_event(
                    &c.field_path(),
                    "Warning",
                    "Failed",
                    format!("Error: {msg}"),
                    now,
                ));
            }
        }
    }
    if let Some(msg) = &ctx.refs.mount
        && old.container_statuses.is_none()
    {
        events.push(KEvent {
            type_: "Warning".into(),
            reason: "FailedMount".into(),
            message: msg.clone(),
            field_path: None,
            at: now,
            repeat: 0,
        });
    }
    assemble_status(pod, old, &mut status, inits, apps, false, now, now, now);
    status.start_time = None;
    // No sandbox is made while a volume cannot be mounted.
    if ctx.refs.mount.is_some() {
        for c in status.conditions.iter_mut().flatten() {
            if c.type_ == "PodReadyToStartContainers" {
                c.status = "False".into();
            }
        }
    }
    let mut out = PodSync {
        events,
        ..PodSync::default()
    };
    if pod.status.as_ref() != Some(&status) {
        out.status = Some(status);
    }
    out
}

/// The first sync's part of the status: `startTime`, the host and pod IPs, phase `Pending`.
fn first_sync_status(
    status: &mut PodStatus,
    spec: &PodSpec,
    node: &Node,
    ctx: &KubeletCtx,
    now: Timestamp,
) {
    let host_ip = node_internal_ip(node).unwrap_or_default();
    let pod_ip = if spec.host_network == Some(true) {
        host_ip.clone()
    } else {
        ctx.pod_ip.clone()
    };
    status.start_time = Some(Time(now));
    if !host_ip.is_empty() {
        status.host_ip = Some(host_ip.clone());
        status.host_ips = Some(vec![HostIP { ip: host_ip }]);
    }
    if !pod_ip.is_empty() {
        status.pod_ip = Some(pod_ip.clone());
        status.pod_ips = Some(vec![PodIP { ip: pod_ip }]);
    }
    status.phase = Some("Pending".into());
}

/// One [`CSim`] per init container and per container, from their last statuses.
fn container_sims<'p>(
    pod: &'p Pod,
    spec: &'p PodSpec,
    old: &PodStatus,
) -> (Vec<CSim<'p>>, Vec<CSim<'p>>) {
    let has_init = spec.init_containers.as_ref().is_some_and(|v| !v.is_empty());
    fn find_old<'s>(
        list: &'s Option<Vec<ContainerStatus>>,
        name: &str,
    ) -> Option<&'s ContainerStatus> {
        list.as_ref()
            .and_then(|l| l.iter().find(|s| s.name == name))
    }
    let inits: Vec<CSim> = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| {
            let o = find_old(&old.init_container_statuses, &c.name);
            CSim::new(pod, c, true, o, has_init)
        })
        .collect();
    let apps: Vec<CSim> = spec
        .containers
        .iter()
        .map(|c| {
            let o = find_old(&old.container_statuses, &c.name);
            CSim::new(pod, c, false, o, has_init)
        })
        .collect();
    (inits, apps)
}

/// Deletion: the request happened deletionGracePeriodSeconds before `deletion` (the
/// `deletionTimestamp`). Returns (requested, done, SIGTERM ignored): the containers are killed
/// at `requested` and gone at `done`.
fn kill_times(
    pod: &Pod,
    spec: &PodSpec,
    deletion: Timestamp,
    start_time: Timestamp,
    inits: &[CSim],
    apps: &[CSim],
) -> (Timestamp, Timestamp, bool) {
    let grace = pod
        .metadata
        .deletion_grace_period_seconds
        .or(spec.termination_grace_period_seconds)
        .unwrap_or(DEFAULT_GRACE_SECONDS)
        .max(0);
    let requested = add(deletion, -grace).max(start_time);
    let sigterm_ignored = inits
        .iter()
        .chain(apps.iter())
        .any(|c| c.kind == Kind::Running && c.prog.ignores_sigterm);
    let k = if sigterm_ignored {
        grace
    } else {
        TERMINATION_SECONDS.min(grace)
    };
    (requested, add(requested, k), sigterm_ignored)
}

/// What stays fixed while one pod syncs.
struct Worker<'a> {
    pod: &'a Pod,
    /// The pod's `restartPolicy`.
    policy: &'a str,
    /// `status.startTime` (now, on the first sync).
    start_time: Timestamp,
    /// [`KubeletCtx::images`].
    images: &'a BTreeMap<String, Timestamp>,
}

impl Worker<'_> {
    /// Where each container's first pull starts, and whether it needs one: an `IfNotPresent`
    /// image is on the node when an earlier container of the pod has it (they start one after
    /// another) or another pod's container of it started there before. Also locates the pull
    /// loop of failing images (the status records the kind, not the attempt). Returns when
    /// the init containers are done.
    fn set_anchors<'p>(&self, inits: &mut [CSim<'p>], apps: &mut [CSim<'p>]) -> Option<Timestamp> {
        let mut prev = Some(self.start_time);
        for i in 0..inits.len() {
            let (earlier, rest) = inits.split_at_mut(i);
            let c = &mut rest[0];
            c.anchor = prev;
            if let Some(at) = prev {
                decide_present(earlier, &[], c, at, self.images);
            }
            prev = match prev {
                Some(_) => c.done_at(self.policy),
                None => None,
            };
        }
        let t_init = prev;
        if let Some(t) = t_init {
            let mut off = 0;
            for i in 0..apps.len() {
                let (earlier, rest) = apps.split_at_mut(i);
                let c = &mut rest[0];
                let at = add(t, off);
                c.anchor = Some(at);
                decide_present(inits, earlier, c, at, self.images);
                off += c.slot;
            }
        }
        t_init
    }

    /// Applies the exact transitions (timestamps in the status) up to `limit`, in time order,
    /// then reports the pulls that began at an instant this call moved through (the first
    /// sync's own included). Returns the last transition's time.
    fn run_until<'p>(
        &self,
        inits: &mut [CSim<'p>],
        apps: &mut [CSim<'p>],
        limit: Timestamp,
        first_sync: bool,
        events: &mut Vec<KEvent>,
    ) -> Option<Timestamp> {
        let (pod, policy) = (self.pod, self.policy);
        let mut last_change: Option<Timestamp> = None;
        let mut stepped: Vec<Timestamp> = Vec::new();
        if first_sync {
            stepped.push(self.start_time);
        }
        let mut guard = 0;
        let mut skipped: Vec<Skipped> = Vec::new();
        loop {
            guard += 1;
            if guard > 100_000 || matches!(phase_of(pod, inits, apps), "Succeeded" | "Failed") {
                break;
            }
            for c in apps.iter_mut() {
                skipped.extend(skip_crash_cycles(pod, c, limit));
            }
            let next = inits
                .iter()
                .chain(apps.iter())
                .filter(|c| !c.fails)
                .filter_map(|c| c.next_time(policy, limit))
                .min();
            let Some(t) = next.filter(|t| *t <= limit) else {
                break;
            };
            for c in inits.iter_mut().chain(apps.iter_mut()) {
                if !c.fails && c.next_time(policy, limit) == Some(t) {
                    c.step(pod, policy, t, events);
                }
            }
            last_change = Some(t);
            stepped.push(t);
            self.set_anchors(inits, apps);
        }
        pulls_begun(inits, apps, &stepped, events);
        // The first cycle run after a skip stands for the skipped ones too.
        for sk in &skipped {
            for e in events.iter_mut() {
                if e.field_path.as_deref() == Some(sk.field_path.as_str())
                    && e.at >= sk.from
                    && e.at <= sk.to
                {
                    e.repeat += sk.cycles;
                }
            }
        }
        last_change
    }
}

/// Cycles of a crash loop that [`skip_crash_cycles`] skipped: the events of the container at
/// `field_path` between `from` and `to` (the first cycle run after them) count them too.
struct Skipped {
    field_path: String,
    from: Timestamp,
    to: Timestamp,
    cycles: u32,
}

/// A crash loop at its cap repeats itself: every `300 s + run time` the container restarts
/// (Created, Started, ...), exits and waits again (BackOff), the same but for its restart
/// count, its times and its container ID. Run late, the kubelet skips the whole cycles but
/// the last one, in O(1): restart count and last termination move on by the skipped
/// cycles, and the events of the cycle it then runs count them. A container in
/// `CrashLoopBackOff` whose back-off is not at its cap, or whose runs reset it (longer than
/// 10 minutes), is left to the normal steps.
fn skip_crash_cycles(pod: &Pod, c: &mut CSim<'_>, limit: Timestamp) -> Option<Skipped> {
    if c.is_init || c.sidecar || c.killing || !matches!(c.kind, Kind::CrashLoop) {
        return None;
    }
    let run = c.prog.run_seconds?;
    if run > 2 * BACKOFF_MAX_SECONDS || c.crash_backoff() != BACKOFF_MAX_SECONDS {
        return None;
    }
    let period = BACKOFF_MAX_SECONDS + run;
    let last = c.status.last_state.as_mut()?.terminated.as_mut()?;
    let f = last.finished_at.as_ref()?.0;
    // Leave one whole cycle (and its entry into the back-off) to run.
    let k = (limit.duration_since(f).as_secs() - 1) / period - 1;
    if k < 1 {
        return None;
    }
    let shift = jiff::SignedDuration::from_secs(k * period);
    last.finished_at = Some(Time(f + shift));
    if let Some(s) = last.started_at.as_mut() {
        s.0 += shift;
    }
    let restarts = c.status.restart_count + k as i32;
    let id = container_id(pod, &c.c.name, restarts);
    last.container_id = Some(id.clone());
    c.status.restart_count = restarts;
    c.status.container_id = Some(id);
    let from = f + shift + jiff::SignedDuration::from_secs(BACKOFF_MAX_SECONDS);
    Some(Skipped {
        field_path: c.field_path(),
        from,
        to: from + jiff::SignedDuration::from_secs(run + 1),
        cycles: k as u32,
    })
}

/// Graceful deletion once it was requested (`kill` from [`kill_times`]): each running
/// container gets `Killing` and turns not ready; at `done` the running ones terminate (137
/// for a SIGTERM-ignoring one killed at the end of the grace period) and the pod goes.
fn graceful_deletion<'p>(
    (requested, done, sigterm_ignored): (Timestamp, Timestamp, bool),
    now: Timestamp,
    start_time: Timestamp,
    inits: &mut [CSim<'p>],
    apps: &mut [CSim<'p>],
    events: &mut Vec<KEvent>,
    out: &mut PodSync,
) {
    let fp_of = |c: &CSim| c.field_path();
    for c in inits.iter_mut().chain(apps.iter_mut()) {
        if c.kind == Kind::Running && (c.status.ready || now == requested) {
            events.push(KEvent {
                type_: "Normal".into(),
                reason: "Killing".into(),
                message: format!("Stopping container {}", c.c.name),
                field_path: Some(fp_of(c)),
                at: requested.max(start_time),
                repeat: 0,
            });
            c.status.ready = false;
        }
    }
    if now >= done {
        for c in inits.iter_mut().chain(apps.iter_mut()) {
            if c.kind == Kind::Running {
                let code = if sigterm_ignored && c.prog.ignores_sigterm {
                    137
                } else {
                    0
                };
                c.terminate(done, code);
            }
        }
        out.delete_now = true;
        out.wake_at = None;
    } else {
        out.wake_at = Some(done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kubelet::runtime::{state_terminated, state_waiting};
    use crate::sim::kubelet::testing::*;

    #[test]
    fn nginx_starts_and_runs() {
        let mut p = pod(vec![container("nginx", "nginx:1.25", &[])], "Always");
        let (trace, events) = drive(&mut p, 0, 3600);
        assert_eq!(trace, tr(&[(0, "ContainerCreating", 0), (2, "Running", 0)]));
        let msgs: Vec<(String, String, i64)> = events
            .iter()
            .map(|e| {
                (
                    e.reason.clone(),
                    e.message.clone(),
                    e.at.as_second() - t(0).as_second(),
                )
            })
            .collect();
        assert_eq!(
            msgs[0],
            ("Pulling".into(), "Pulling image \"nginx:1.25\"".into(), 0)
        );
        assert_eq!(msgs[1].0, "Pulled");
        assert!(
            msgs[1]
                .1
                .starts_with("Successfully pulled image \"nginx:1.25\" in 1."),
            "{}",
            msgs[1].1
        );
        assert!(
            msgs[1].1.contains(" including waiting). Image size: 68"),
            "{}",
            msgs[1].1
        );
        assert_eq!(
            msgs[2],
            ("Created".into(), "Created container: nginx".into(), 2)
        );
        assert_eq!(
            msgs[3],
            ("Started".into(), "Started container nginx".into(), 2)
        );
        assert_eq!(
            events[0].field_path.as_deref(),
            Some("spec.containers{nginx}")
        );
        let st = p.status.unwrap();
        assert_eq!(st.phase.as_deref(), Some("Running"));
        assert_eq!(st.pod_ip.as_deref(), Some("10.244.1.5"));
        assert!(st.host_ip.as_deref().unwrap().starts_with("172.18.0."));
        let cs = &st.container_statuses.unwrap()[0];
        assert!(cs.ready);
        assert_eq!(cs.image, "docker.io/library/nginx:1.25");
        assert!(cs.image_id.starts_with("docker.io/library/nginx@sha256:"));
        assert!(
            cs.container_id
                .as_deref()
                .unwrap()
                .starts_with("containerd://")
        );
        let conds: Vec<(String, String, i64)> = st
            .conditions
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c.type_.clone(),
                    c.status.clone(),
                    c.last_transition_time.as_ref().unwrap().0.as_second() - t(0).as_second(),
                )
            })
            .collect();
        assert_eq!(
            conds,
            [
                (
                    "PodReadyToStartContainers".to_string(),
                    "True".to_string(),
                    0
                ),
                ("Initialized".into(), "True".into(), 0),
                ("Ready".into(), "True".into(), 2),
                ("ContainersReady".into(), "True".into(), 2),
                ("PodScheduled".into(), "True".into(), 0),
            ]
        );
    }

    #[test]
    fn first_sync_status() {
        let p = pod(vec![container("nginx", "nginx:1.25", &[])], "Always");
        let r = sync_pod(
            &p,
            &node(),
            t(0),
            &KubeletCtx {
                pod_ip: "10.244.1.5".into(),
                ..Default::default()
            },
        );
        assert_eq!(r.wake_at, Some(t(2)));
        let st = r.status.unwrap();
        let conds = st.conditions.as_ref().unwrap();
        assert_eq!(conds[2].reason.as_deref(), Some("ContainersNotReady"));
        assert_eq!(
            conds[2].message.as_deref(),
            Some("containers with unready status: [nginx]")
        );
        assert_eq!(st.qos_class.as_deref(), Some("BestEffort"));
        assert_eq!(
            state_waiting(&st.container_statuses.as_ref().unwrap()[0])
                .unwrap()
                .reason
                .as_deref(),
            Some("ContainerCreating")
        );
    }

    #[test]
    fn init_containers_run_first() {
        let mut p = pod(vec![container("app", "nginx:1.25", &[])], "Always");
        p.spec.as_mut().unwrap().init_containers = Some(vec![
            container("init-a", "busybox:1.36", &["sh", "-c", "sleep 3"]),
            container("init-b", "busybox:1.36", &["sh", "-c", "sleep 1"]),
        ]);
        let (trace, events) = drive(&mut p, 0, 100);
        // init-b's image is on the node once init-a pulled it: it starts at once.
        assert_eq!(
            trace,
            tr(&[
                (0, "Init:0/2", 0),
                (2, "Init:0/2", 0),
                (5, "Init:1/2", 0),
                (6, "PodInitializing", 0),
                (8, "Running", 0)
            ])
        );
        let b: Vec<&str> = events
            .iter()
            .filter(|e| e.field_path.as_deref() == Some("spec.initContainers{init-b}"))
            .map(|e| e.message.as_str())
            .collect();
        assert_eq!(
            b,
            [
                "Container image \"busybox:1.36\" already present on machine",
                "Created container: init-b",
                "Started container init-b"
            ]
        );
        let st = p.status.unwrap();
        assert_eq!(
            st.init_container_statuses.unwrap()[1]
                .state
                .as_ref()
                .unwrap()
                .terminated
                .as_ref()
                .unwrap()
                .reason
                .as_deref(),
            Some("Completed")
        );
        let conds = st.conditions.unwrap();
        assert_eq!(conds[1].last_transition_time.as_ref().unwrap().0, t(6));
    }

    #[test]
    fn failing_init_container_never_fails_pod() {
        let mut p = pod(vec![container("app", "nginx:1.25", &[])], "Never");
        p.spec.as_mut().unwrap().init_containers =
            Some(vec![container("init", "busybox", &["false"])]);
        let (trace, _) = drive(&mut p, 0, 100);
        assert_eq!(trace, tr(&[(0, "Init:0/1", 0), (2, "Init:Error", 0)]));
        assert_eq!(trace.last().unwrap().1, "Init:Error");
        assert_eq!(p.status.unwrap().phase.as_deref(), Some("Failed"));
    }

    #[test]
    fn graceful_deletion() {
        let mut p = pod(vec![container("nginx", "nginx:1.25", &[])], "Always");
        drive(&mut p, 0, 10);
        p.metadata.deletion_timestamp = Some(Time(t(130)));
        p.metadata.deletion_grace_period_seconds = Some(30);
        let (trace, events) = drive(&mut p, 100, 200);
        // Since 1.31 kubectl shows a terminal pod's reason even while it is being deleted.
        assert_eq!(
            trace,
            tr(&[
                (100, "Terminating", 0),
                (101, "Completed", 0),
                (101, "<deleted>", 0)
            ])
        );
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].reason, "Killing");
        assert_eq!(events[0].message, "Stopping container nginx");

        // A bare `sleep` ignores SIGTERM: the whole grace period, then exit 137.
        let mut p = pod(
            vec![container("s", "busybox", &["sleep", "3600"])],
            "Always",
        );
        drive(&mut p, 0, 10);
        p.metadata.deletion_timestamp = Some(Time(t(130)));
        p.metadata.deletion_grace_period_seconds = Some(30);
        let (trace, _) = drive(&mut p, 100, 200);
        assert_eq!(trace.last().unwrap(), &(130, "<deleted>".to_string(), 0));
        let cs = &p
            .status
            .as_ref()
            .unwrap()
            .container_statuses
            .as_ref()
            .unwrap()[0];
        assert_eq!(state_terminated(cs).unwrap().exit_code, 137);
        assert_eq!(p.status.unwrap().phase.as_deref(), Some("Failed"));

        // Never started: deleted at once.
        let mut p = pod(vec![container("nginx", "nginx", &[])], "Always");
        p.metadata.deletion_timestamp = Some(Time(t(30)));
        let r = sync_pod(&p, &node(), t(0), &KubeletCtx::default());
        assert!(r.delete_now);
        assert!(r.status.is_none());
    }

    /// Guards the crash loop's skip: a sync run once, days late, reaches the status the
    /// on-time syncs reach (restart count, last termination, container ID) and counts every
    /// event the same, replaying a bounded number of steps.
    #[test]
    fn a_late_sync_skips_crash_cycles_at_the_cap_and_counts_them() {
        use std::collections::BTreeMap;
        let mk = || {
            pod(
                vec![container(
                    "c",
                    "busybox:1.36",
                    &["sh", "-c", "sleep 7; exit 1"],
                )],
                "Always",
            )
        };
        let until = 3 * 86_400 + 17;
        let mut on_time = mk();
        let (_, events) = drive(&mut on_time, 0, until);
        // Late: run until the cap, then once at `until`.
        let mut late = mk();
        let (_, mut late_events) = drive(&mut late, 0, 2000);
        let r = sync_pod(&late, &node(), t(until), &KubeletCtx::default());
        late_events.extend(r.events.iter().cloned());
        late.status = r.status.or(late.status);
        let cs = |p: &Pod| {
            p.status
                .as_ref()
                .unwrap()
                .container_statuses
                .clone()
                .unwrap()
        };
        assert_eq!(cs(&late), cs(&on_time));
        assert!(cs(&late)[0].restart_count > 800);
        let count = |evs: &[KEvent]| {
            let mut m: BTreeMap<(String, String), u32> = BTreeMap::new();
            for e in evs {
                *m.entry((e.reason.clone(), e.message.clone())).or_default() += 1 + e.repeat;
            }
            m
        };
        assert_eq!(count(&late_events), count(&events));
        assert!(r.events.len() < 20, "{} events replayed", r.events.len());
    }
}
