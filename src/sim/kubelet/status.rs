//! The pod's status as the kubelet computes it: the phase (`getPhase`) and the conditions
//! (PodReadyToStartContainers, Initialized, Ready, ContainersReady, readiness gates).

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{ContainerStatus, Node, Pod, PodCondition, PodSpec, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::runtime::{CSim, state_running, state_terminated, state_waiting};

/// The kubelet's `getPhase` (1.33), given the pod spec and container statuses.
pub fn get_phase(
    pod: &Pod,
    init: &[ContainerStatus],
    app: &[ContainerStatus],
    pod_is_terminal: bool,
) -> String {
    phase_by(
        pod,
        |name| init.iter().find(|s| s.name == name),
        |name| app.iter().find(|s| s.name == name),
        pod_is_terminal,
    )
    .to_string()
}

/// [`get_phase`] with the container statuses looked up by name.
pub(super) fn phase_by<'s>(
    pod: &Pod,
    init: impl Fn(&str) -> Option<&'s ContainerStatus>,
    app: impl Fn(&str) -> Option<&'s ContainerStatus>,
    pod_is_terminal: bool,
) -> &'static str {
    let Some(spec) = &pod.spec else {
        return "Pending";
    };
    let policy = spec.restart_policy.as_deref().unwrap_or("Always");
    let mut pending_init = 0;
    let mut pending_sidecar = 0;
    let mut failed_init = 0;
    let (mut unknown, mut running, mut waiting_n, mut stopped, mut succeeded) = (0, 0, 0, 0, 0);
    for c in spec.init_containers.iter().flatten() {
        let side = c.restart_policy.as_deref() == Some("Always");
        let Some(s) = init(&c.name) else {
            if side {
                pending_sidecar += 1;
                unknown += 1;
            } else {
                pending_init += 1;
            }
            continue;
        };
        let last_term = s.last_state.as_ref().and_then(|l| l.terminated.as_ref());
        if side {
            if state_running(s).is_some() {
                if s.started != Some(true) {
                    pending_sidecar += 1;
                }
                running += 1;
            } else if state_terminated(s).is_some() {
            } else if state_waiting(s).is_some() {
                if last_term.is_none() {
                    pending_sidecar += 1;
                    waiting_n += 1;
                }
            } else {
                pending_sidecar += 1;
                unknown += 1;
            }
            continue;
        }
        if state_running(s).is_some() {
            pending_init += 1;
        } else if let Some(t) = state_terminated(s) {
            if t.exit_code != 0 {
                failed_init += 1;
            }
        } else if state_waiting(s).is_some() {
            match last_term {
                Some(t) if t.exit_code != 0 => failed_init += 1,
                Some(_) => {}
                None => pending_init += 1,
            }
        } else {
            pending_init += 1;
        }
    }
    let mut any_regular_started = false;
    for c in &spec.containers {
        let Some(s) = app(&c.name) else {
            unknown += 1;
            continue;
        };
        if state_running(s).is_some()
            || state_terminated(s).is_some()
            || s.last_state
                .as_ref()
                .and_then(|l| l.terminated.as_ref())
                .is_some()
        {
            any_regular_started = true;
        }
        if state_running(s).is_some() {
            running += 1;
        } else if let Some(t) = state_terminated(s) {
            stopped += 1;
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if state_waiting(s).is_some() {
            if s.last_state
                .as_ref()
                .and_then(|l| l.terminated.as_ref())
                .is_some()
            {
                stopped += 1;
            } else {
                waiting_n += 1;
            }
        } else {
            unknown += 1;
        }
    }
    if failed_init > 0 && policy == "Never" {
        return "Failed";
    }
    if pending_init > 0 || (pending_sidecar > 0 && !any_regular_started) || waiting_n > 0 {
        return "Pending";
    }
    if running > 0 && unknown == 0 {
        return "Running";
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if pod_is_terminal {
            return if stopped == succeeded {
                "Succeeded"
            } else {
                "Failed"
            };
        }
        if policy == "Always" {
            return "Running";
        }
        if stopped == succeeded {
            return "Succeeded";
        }
        if policy == "Never" {
            return "Failed";
        }
        return "Running";
    }
    "Pending"
}

pub(super) fn node_internal_ip(node: &Node) -> Option<String> {
    node.status
        .as_ref()?
        .addresses
        .as_ref()?
        .iter()
        .find(|a| a.type_ == "InternalIP")
        .map(|a| a.address.clone())
}

pub(super) fn cond(
    type_: &str,
    status: bool,
    reason: Option<&str>,
    message: Option<String>,
) -> PodCondition {
    PodCondition {
        type_: type_.into(),
        status: if status {
            "True".into()
        } else {
            "False".into()
        },
        reason: reason.map(Into::into),
        message,
        ..Default::default()
    }
}

pub(super) fn go_list(names: &[String]) -> String {
    format!("[{}]", names.join(" "))
}

pub(super) fn phase_of(pod: &Pod, inits: &[CSim], apps: &[CSim]) -> &'static str {
    fn find<'s>(list: &'s [CSim], name: &str) -> Option<&'s ContainerStatus> {
        list.iter().map(|c| &c.status).find(|s| s.name == name)
    }
    phase_by(pod, |n| find(inits, n), |n| find(apps, n), false)
}

/// The pod's status once its containers moved: their statuses, the phase (`Failed` for a pod
/// deleted before it finished) and the conditions, with `change_time` the last transition.
/// Returns the phase.
#[allow(clippy::too_many_arguments)]
pub(super) fn assemble_status(
    pod: &Pod,
    old: &PodStatus,
    status: &mut PodStatus,
    inits: Vec<CSim>,
    apps: Vec<CSim>,
    pod_terminal: bool,
    start_time: Timestamp,
    change_time: Timestamp,
    now: Timestamp,
) -> String {
    let init_statuses: Vec<ContainerStatus> = inits.into_iter().map(|c| c.status).collect();
    let app_statuses: Vec<ContainerStatus> = apps.into_iter().map(|c| c.status).collect();
    let phase = get_phase(pod, &init_statuses, &app_statuses, pod_terminal);
    let phase = if pod_terminal && !matches!(phase.as_str(), "Succeeded" | "Failed") {
        "Failed".to_string()
    } else {
        phase
    };
    status.phase = Some(phase.clone());
    status.conditions = Some(build_conditions(
        pod,
        old,
        &phase,
        &init_statuses,
        &app_statuses,
        start_time,
        change_time,
        now,
    ));
    status.init_container_statuses = if init_statuses.is_empty() {
        None
    } else {
        Some(init_statuses)
    };
    status.container_statuses = Some(app_statuses);
    phase
}

/// The conditions the kubelet owns, in its order (PodReadyToStartContainers, Initialized,
/// Ready, ContainersReady), each keeping its `lastTransitionTime` unless its status changed,
/// followed by the conditions it does not own (PodScheduled, ...) as they were.
#[allow(clippy::too_many_arguments)]
pub(super) fn build_conditions(
    pod: &Pod,
    old: &PodStatus,
    phase: &str,
    init: &[ContainerStatus],
    app: &[ContainerStatus],
    start_time: Timestamp,
    change_time: Timestamp,
    now: Timestamp,
) -> Vec<PodCondition> {
    let spec = pod.spec.as_ref();
    let done = matches!(phase, "Succeeded" | "Failed");
    // PodReadyToStartContainers
    let sandbox = cond("PodReadyToStartContainers", !done, None, None);
    let initialized = initialized_condition(spec, phase, init, app);
    let (containers_ready, ready) = ready_conditions(spec, old, phase, init, app);
    let mut out = Vec::new();
    for mut c in [sandbox, initialized, ready, containers_ready] {
        let prev = old.conditions.iter().flatten().find(|p| p.type_ == c.type_);
        c.last_transition_time = match prev {
            Some(p) if p.status == c.status => p.last_transition_time.clone(),
            Some(_) => Some(Time(change_time.max(start_time).min(now))),
            None => Some(Time(start_time)),
        };
        // A condition created True later than the first sync (e.g. Ready) carries its own time.
        if prev.is_none()
            && c.status == "True"
            && c.type_ != "PodReadyToStartContainers"
            && c.type_ != "Initialized"
        {
            c.last_transition_time = Some(Time(change_time.max(start_time).min(now)));
        }
        out.push(c);
    }
    for c in old.conditions.iter().flatten() {
        if !matches!(
            c.type_.as_str(),
            "PodReadyToStartContainers" | "Initialized" | "Ready" | "ContainersReady"
        ) {
            out.push(c.clone());
        }
    }
    out
}

/// `Initialized`: True once every init container is done (sidecars: started) or a regular
/// container started; reason `PodCompleted` for a pod that succeeded.
fn initialized_condition(
    spec: Option<&PodSpec>,
    phase: &str,
    init: &[ContainerStatus],
    app: &[ContainerStatus],
) -> PodCondition {
    // Initialized
    let mut incomplete = Vec::new();
    for c in spec
        .and_then(|s| s.init_containers.as_ref())
        .into_iter()
        .flatten()
    {
        let s = init.iter().find(|s| s.name == c.name);
        let ok = match s {
            Some(s) if c.restart_policy.as_deref() == Some("Always") => s.started == Some(true),
            Some(s) => state_terminated(s).is_some_and(|t| t.exit_code == 0),
            None => false,
        };
        if !ok {
            incomplete.push(c.name.clone());
        }
    }
    let regular_started = app.iter().any(|s| {
        state_running(s).is_some()
            || state_terminated(s).is_some()
            || s.last_state
                .as_ref()
                .and_then(|l| l.terminated.as_ref())
                .is_some()
    });
    if phase == "Succeeded" {
        cond("Initialized", true, Some("PodCompleted"), None)
    } else if regular_started || incomplete.is_empty() {
        cond("Initialized", true, None, None)
    } else {
        cond(
            "Initialized",
            false,
            Some("ContainersNotInitialized"),
            Some(format!(
                "containers with incomplete status: {}",
                go_list(&incomplete)
            )),
        )
    }
}

/// `ContainersReady` and `Ready`: reasons `PodCompleted`/`PodFailed` once finished,
/// `ContainersNotReady` with the unready containers, else True (`Ready` subject to the
/// readiness gates).
fn ready_conditions(
    spec: Option<&PodSpec>,
    old: &PodStatus,
    phase: &str,
    init: &[ContainerStatus],
    app: &[ContainerStatus],
) -> (PodCondition, PodCondition) {
    let done = matches!(phase, "Succeeded" | "Failed");
    // ContainersReady / Ready
    let mut unready = Vec::new();
    for c in spec
        .and_then(|s| s.init_containers.as_ref())
        .into_iter()
        .flatten()
    {
        if c.restart_policy.as_deref() == Some("Always")
            && !init.iter().any(|s| s.name == c.name && s.ready)
        {
            unready.push(c.name.clone());
        }
    }
    for c in spec.map(|s| s.containers.as_slice()).unwrap_or(&[]) {
        if !app.iter().any(|s| s.name == c.name && s.ready) {
            unready.push(c.name.clone());
        }
    }
    if done {
        let reason = if phase == "Succeeded" {
            "PodCompleted"
        } else {
            "PodFailed"
        };
        (
            cond("ContainersReady", false, Some(reason), None),
            cond("Ready", false, Some(reason), None),
        )
    } else if !unready.is_empty() {
        let msg = format!("containers with unready status: {}", go_list(&unready));
        (
            cond(
                "ContainersReady",
                false,
                Some("ContainersNotReady"),
                Some(msg.clone()),
            ),
            cond("Ready", false, Some("ContainersNotReady"), Some(msg)),
        )
    } else {
        (
            cond("ContainersReady", true, None, None),
            readiness_gates(spec, old),
        )
    }
}

/// `Ready` when every container is ready: False `ReadinessGatesNotReady` while a readiness
/// gate's condition is missing or not True.
fn readiness_gates(spec: Option<&PodSpec>, old: &PodStatus) -> PodCondition {
    let mut ready = cond("Ready", true, None, None);
    for g in spec
        .and_then(|s| s.readiness_gates.as_ref())
        .into_iter()
        .flatten()
    {
        let c = old
            .conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == g.condition_type);
        match c {
            None => {
                ready = cond(
                    "Ready",
                    false,
                    Some("ReadinessGatesNotReady"),
                    Some(format!(
                        "corresponding condition of pod readiness gate \"{}\" does not exist.",
                        g.condition_type
                    )),
                );
                break;
            }
            Some(c) if c.status != "True" => {
                ready = cond(
                    "Ready",
                    false,
                    Some("ReadinessGatesNotReady"),
                    Some(format!(
                        "the status of pod readiness gate \"{}\" is not \"True\", but {}",
                        g.condition_type, c.status
                    )),
                );
                break;
            }
            _ => {}
        }
    }
    ready
}
