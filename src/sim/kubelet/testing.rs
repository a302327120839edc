//! Test fixtures shared by the kubelet's tests: a node, pods, and [`drive`], which runs a pod
//! as the engine would.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Container, Node, Pod, PodCondition, PodSpec, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use super::runtime::{state_terminated, state_waiting};
use super::{KEvent, KubeletCtx, add, node_status, normalize_image, sync_pod};

pub(crate) fn t(secs: i64) -> Timestamp {
    add(Timestamp::from_second(1_750_000_000).unwrap(), secs)
}

pub(crate) fn node() -> Node {
    let mut n = Node {
        metadata: ObjectMeta {
            name: Some("kind-worker".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    n.status = node_status(&n, t(0));
    n
}

pub(crate) fn container(name: &str, image: &str, cmd: &[&str]) -> Container {
    Container {
        name: name.into(),
        image: Some(image.into()),
        command: if cmd.is_empty() {
            None
        } else {
            Some(cmd.iter().map(|s| s.to_string()).collect())
        },
        ..Default::default()
    }
}

pub(crate) fn pod(containers: Vec<Container>, policy: &str) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some("p".into()),
            namespace: Some("default".into()),
            uid: Some("u1".into()),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers,
            restart_policy: Some(policy.into()),
            node_name: Some("kind-worker".into()),
            ..Default::default()
        }),
        status: Some(PodStatus {
            phase: Some("Pending".into()),
            qos_class: Some("BestEffort".into()),
            conditions: Some(vec![PodCondition {
                type_: "PodScheduled".into(),
                status: "True".into(),
                last_transition_time: Some(Time(t(0))),
                ..Default::default()
            }]),
            ..Default::default()
        }),
    }
}

/// kubectl's STATUS column (kubectl-output.md §3.1), enough for these tests.
pub(crate) fn kubectl_status(p: &Pod) -> String {
    let st = p.status.clone().unwrap_or_default();
    let mut reason = st.reason.clone().or(st.phase.clone()).unwrap_or_default();
    let n_init = p
        .spec
        .as_ref()
        .unwrap()
        .init_containers
        .as_ref()
        .map_or(0, |v| v.len());
    let mut initializing = false;
    for (i, c) in st.init_container_statuses.iter().flatten().enumerate() {
        if let Some(tm) = state_terminated(c) {
            if tm.exit_code == 0 {
                continue;
            }
            reason = format!("Init:{}", tm.reason.clone().unwrap_or_default());
        } else if let Some(w) =
            state_waiting(c).filter(|w| w.reason.as_deref().is_some_and(|r| r != "PodInitializing"))
        {
            reason = format!("Init:{}", w.reason.clone().unwrap());
        } else {
            reason = format!("Init:{i}/{n_init}");
        }
        initializing = true;
        break;
    }
    if !initializing {
        for c in st.container_statuses.iter().flatten().rev() {
            if let Some(r) = state_waiting(c).and_then(|w| w.reason.clone()) {
                reason = r;
            } else if let Some(r) = state_terminated(c).and_then(|x| x.reason.clone()) {
                reason = r;
            }
        }
    }
    if p.metadata.deletion_timestamp.is_some()
        && !matches!(st.phase.as_deref(), Some("Succeeded" | "Failed"))
    {
        reason = "Terminating".into();
    }
    reason
}

/// Runs the pod like the engine would: call at `from`, then at every wake until `until`.
/// Returns (time, STATUS, restarts) at each status change and all events.
pub(crate) fn drive(p: &mut Pod, from: i64, until: i64) -> (Vec<(i64, String, i32)>, Vec<KEvent>) {
    drive_on(p, from, until, &[])
}

/// [`drive`] on a node that has `images` (name, since in test seconds).
pub(crate) fn drive_on(
    p: &mut Pod,
    from: i64,
    until: i64,
    images: &[(&str, i64)],
) -> (Vec<(i64, String, i32)>, Vec<KEvent>) {
    let n = node();
    let ctx = KubeletCtx {
        pod_ip: "10.244.1.5".into(),
        images: images
            .iter()
            .map(|(i, since)| (normalize_image(i), t(*since)))
            .collect(),
        ..Default::default()
    };
    let mut now = t(from);
    let mut trace = Vec::new();
    let mut events = Vec::new();
    loop {
        let r = sync_pod(p, &n, now, &ctx);
        events.extend(r.events);
        if let Some(s) = r.status {
            p.status = Some(s);
            let restarts = p
                .status
                .as_ref()
                .unwrap()
                .container_statuses
                .iter()
                .flatten()
                .map(|c| c.restart_count)
                .sum();
            trace.push((
                now.as_second() - t(0).as_second(),
                kubectl_status(p),
                restarts,
            ));
        }
        if r.delete_now {
            trace.push((now.as_second() - t(0).as_second(), "<deleted>".into(), 0));
            break;
        }
        match r.wake_at {
            Some(w) if w <= t(until) => {
                assert!(w > now, "wake {w} must be after now {now}");
                now = w;
            }
            _ => break,
        }
    }
    (trace, events)
}

pub(crate) fn tr(v: &[(i64, &str, i32)]) -> Vec<(i64, String, i32)> {
    v.iter().map(|(a, b, c)| (*a, b.to_string(), *c)).collect()
}

/// (seconds, reason, message) of each event.
pub(crate) fn ev_list(events: &[KEvent]) -> Vec<(i64, &str, &str)> {
    events
        .iter()
        .map(|e| {
            (
                e.at.as_second() - t(0).as_second(),
                e.reason.as_str(),
                e.message.as_str(),
            )
        })
        .collect()
}
