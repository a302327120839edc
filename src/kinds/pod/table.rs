//! `kubectl get pods`: the columns and the function that fills them.

use jiff::Timestamp;
use serde_json::Value;

use crate::kinds::Table;
use crate::print::age::*;
use crate::print::cells::*;

pub(super) const COLUMNS: &[Column] = &[
    n("NAME"),
    n("READY"),
    n("STATUS"),
    n("RESTARTS"),
    n("AGE"),
    w("IP"),
    w("NODE"),
    w("NOMINATED NODE"),
    w("READINESS GATES"),
];

pub(super) const TABLE: Table = Table {
    columns: COLUMNS,
    row,
    name_column: 0,
};

/// One cell per [`COLUMNS`] entry (wide ones included) for `obj` at `now`.
fn row(obj: &Value, now: Timestamp, _wide: bool) -> Vec<String> {
    pod_row(obj, now)
}

/// The pod printer's READY, STATUS and RESTARTS cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodStatusCells {
    /// `<ready>/<total>`.
    pub ready: String,
    /// The aggregate status (`Running`, `Init:0/1`, `CrashLoopBackOff`, `Terminating`, ...).
    pub status: String,
    /// Restart count, with `(<age> ago)` of the latest container termination when > 0.
    pub restarts: String,
}

/// `lastState.terminated.finishedAt` of a container status, if any.
fn last_termination(cs: &Value) -> Option<Timestamp> {
    parse_timestamp(opt_string(cs, &["lastState", "terminated", "finishedAt"]))
}

fn bump_latest(latest: &mut Option<Timestamp>, t: Option<Timestamp>) {
    if let Some(t) = t
        && latest.is_none_or(|l| l < t)
    {
        *latest = Some(t);
    }
}

/// The READY / STATUS / RESTARTS computation of `printPod` (init containers, sidecars,
/// `Completed` → `Running`/`NotReady`, Terminating, `N (Xm ago)`).
pub fn pod_status(pod: &Value, now: Timestamp) -> PodStatusCells {
    let phase = string(pod, &["status", "phase"]);
    let status_reason = string(pod, &["status", "reason"]);
    let conditions = list(pod, &["status", "conditions"]);
    let init_specs = list(pod, &["spec", "initContainers"]);
    let is_sidecar = |name: &str| {
        init_specs
            .iter()
            .rev()
            .find(|c| string(c, &["name"]) == name)
            .is_some_and(|c| string(c, &["restartPolicy"]) == "Always")
    };

    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let mut total = list(pod, &["spec", "containers"]).len();
    let mut ready = 0usize;
    let mut last_restart: Option<Timestamp> = None;
    let mut last_sidecar_restart: Option<Timestamp> = None;

    let mut reason = if status_reason.is_empty() {
        phase.to_string()
    } else {
        status_reason.to_string()
    };
    for c in conditions {
        if string(c, &["type"]) == "PodScheduled" && string(c, &["reason"]) == "SchedulingGated" {
            reason = "SchedulingGated".to_string();
        }
    }

    total += init_specs
        .iter()
        .filter(|c| string(c, &["restartPolicy"]) == "Always")
        .count();

    let mut initializing = false;
    for (i, cs) in list(pod, &["status", "initContainerStatuses"])
        .iter()
        .enumerate()
    {
        let restart_count = int(cs, &["restartCount"]);
        restarts += restart_count;
        bump_latest(&mut last_restart, last_termination(cs));
        let sidecar = is_sidecar(string(cs, &["name"]));
        if sidecar {
            sidecar_restarts += restart_count;
            bump_latest(&mut last_sidecar_restart, last_termination(cs));
        }
        let terminated = get(cs, &["state", "terminated"]);
        let waiting_reason = string(cs, &["state", "waiting", "reason"]);
        if terminated.is_some_and(|t| int(t, &["exitCode"]) == 0) {
            continue;
        }
        if sidecar && opt_bool(cs, &["started"]) == Some(true) {
            if opt_bool(cs, &["ready"]) == Some(true) {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = terminated {
            let r = string(t, &["reason"]);
            reason = if !r.is_empty() {
                format!("Init:{r}")
            } else if int(t, &["signal"]) != 0 {
                format!("Init:Signal:{}", int(t, &["signal"]))
            } else {
                format!("Init:ExitCode:{}", int(t, &["exitCode"]))
            };
        } else if get(cs, &["state", "waiting"]).is_some()
            && !waiting_reason.is_empty()
            && waiting_reason != "PodInitializing"
        {
            reason = format!("Init:{waiting_reason}");
        } else {
            reason = format!("Init:{}/{}", i, init_specs.len());
        }
        initializing = true;
        break;
    }

    if !initializing || condition_status(conditions, "Initialized") == Some("True") {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for cs in list(pod, &["status", "containerStatuses"]).iter().rev() {
            restarts += int(cs, &["restartCount"]);
            bump_latest(&mut last_restart, last_termination(cs));
            let waiting = get(cs, &["state", "waiting"]);
            let terminated = get(cs, &["state", "terminated"]);
            let waiting_reason = waiting.map(|w| string(w, &["reason"])).unwrap_or("");
            let terminated_reason = terminated.map(|t| string(t, &["reason"])).unwrap_or("");
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if !terminated_reason.is_empty() {
                reason = terminated_reason.to_string();
            } else if let Some(t) = terminated {
                reason = if int(t, &["signal"]) != 0 {
                    format!("Signal:{}", int(t, &["signal"]))
                } else {
                    format!("ExitCode:{}", int(t, &["exitCode"]))
                };
            } else if opt_bool(cs, &["ready"]) == Some(true)
                && get(cs, &["state", "running"]).is_some()
            {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_status(conditions, "Ready") == Some("True") {
                "Running".to_string()
            } else {
                "NotReady".to_string()
            };
        }
    }

    if is_deleting(pod) && status_reason == "NodeLost" {
        reason = "Unknown".to_string();
    } else if is_deleting(pod) && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".to_string();
    }

    let restarts = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", since(t, now)),
        _ => restarts.to_string(),
    };
    PodStatusCells {
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
    }
}

fn pod_row(pod: &Value, now: Timestamp) -> Vec<String> {
    let cells = pod_status(pod, now);
    // v1 → internal conversion: a non-empty podIP is authoritative over podIPs.
    let mut ip = string(pod, &["status", "podIP"]).to_string();
    if ip.is_empty()
        && let Some(first) = list(pod, &["status", "podIPs"]).first()
    {
        ip = string(first, &["ip"]).to_string();
    }
    let or_none = |s: &str| {
        if s.is_empty() {
            "<none>".to_string()
        } else {
            s.to_string()
        }
    };
    let gates = list(pod, &["spec", "readinessGates"]);
    let readiness_gates = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let conditions = list(pod, &["status", "conditions"]);
        let true_count = gates
            .iter()
            .filter(|g| condition_status(conditions, string(g, &["conditionType"])) == Some("True"))
            .count();
        format!("{true_count}/{}", gates.len())
    };
    vec![
        name(pod),
        cells.ready,
        cells.status,
        cells.restarts,
        creation_age(pod, now),
        or_none(&ip),
        or_none(string(pod, &["spec", "nodeName"])),
        or_none(string(pod, &["status", "nominatedNodeName"])),
        readiness_gates,
    ]
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::table::testing::*;
    use crate::util::fields::Fields;
    use serde_json::{Value, json};

    fn pod(spec: Value, status: Value) -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default",
                         "creationTimestamp": "2025-06-01T10:36:00Z"},
            "spec": spec,
            "status": status,
        })
    }

    fn containers(names: &[&str]) -> Value {
        Value::Array(
            names
                .iter()
                .map(|n| json!({"name": n, "image": format!("{n}:1.0")}))
                .collect(),
        )
    }

    #[test]
    fn pod_running() {
        let p = json!({
            "metadata": {"name": "nginx-7854ff8877-abcde", "creationTimestamp": "2025-06-01T11:54:48Z"},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}], "nodeName": "node1"},
            "status": {
                "phase": "Running",
                "podIP": "10.244.0.5",
                "podIPs": [{"ip": "10.244.0.5"}],
                "conditions": [{"type": "Ready", "status": "True"}],
                "containerStatuses": [{
                    "name": "nginx", "ready": true, "restartCount": 0, "started": true,
                    "state": {"running": {"startedAt": "2025-06-01T11:55:00Z"}}
                }]
            }
        });
        assert_eq!(
            wide("Pod", &p),
            [
                "nginx-7854ff8877-abcde",
                "1/1",
                "Running",
                "0",
                "5m12s",
                "10.244.0.5",
                "node1",
                "<none>",
                "<none>"
            ]
        );
    }

    #[test]
    fn pod_crash_loop_back_off_with_last_restart() {
        let p = pod(
            json!({"containers": containers(&["web"]), "nodeName": "node1",
                   "readinessGates": [{"conditionType": "example.com/lb"},
                                      {"conditionType": "example.com/dns"}]}),
            json!({
                "phase": "Running",
                "podIPs": [{"ip": "10.244.0.6"}],
                "nominatedNodeName": "node2",
                "conditions": [
                    {"type": "Ready", "status": "False"},
                    {"type": "example.com/lb", "status": "True"},
                    {"type": "example.com/dns", "status": "False"}
                ],
                "containerStatuses": [{
                    "name": "web", "ready": false, "restartCount": 5, "started": false,
                    "state": {"waiting": {"reason": "CrashLoopBackOff",
                                          "message": "back-off 2m40s restarting failed container"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                 "startedAt": "2025-06-01T11:57:55Z",
                                                 "finishedAt": "2025-06-01T11:58:00Z"}}
                }]
            }),
        );
        assert_eq!(
            wide("Pod", &p),
            [
                "web",
                "0/1",
                "CrashLoopBackOff",
                "5 (2m ago)",
                "84m",
                "10.244.0.6",
                "node1",
                "node2",
                "1/2"
            ]
        );
    }

    #[test]
    fn pod_pending_and_creating() {
        let pending = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Pending"}),
        );
        assert_eq!(
            wide("Pod", &pending),
            [
                "web", "0/1", "Pending", "0", "84m", "<none>", "<none>", "<none>", "<none>"
            ]
        );
        let creating = pod(
            json!({"containers": containers(&["a", "b"]), "nodeName": "node1"}),
            json!({"phase": "Pending", "containerStatuses": [
                {"name": "a", "ready": false, "restartCount": 0,
                 "state": {"waiting": {"reason": "ContainerCreating"}}},
                {"name": "b", "ready": false, "restartCount": 0,
                 "state": {"waiting": {"reason": "ContainerCreating"}}}
            ]}),
        );
        assert_eq!(
            narrow("Pod", &creating),
            ["web", "0/2", "ContainerCreating", "0", "84m"]
        );
        let gated = pod(
            json!({"containers": containers(&["web"]), "schedulingGates": [{"name": "g"}]}),
            json!({"phase": "Pending", "conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
        );
        assert_eq!(narrow("Pod", &gated)[2], "SchedulingGated");
        let evicted = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Failed", "reason": "Evicted"}),
        );
        assert_eq!(narrow("Pod", &evicted)[2], "Evicted");
    }

    #[test]
    fn pod_first_container_has_the_final_say() {
        // Statuses are walked last to first: the first container's reason wins.
        let p = pod(
            json!({"containers": containers(&["a", "b"])}),
            json!({"phase": "Running", "containerStatuses": [
                {"name": "a", "ready": false, "restartCount": 1,
                 "state": {"waiting": {"reason": "ImagePullBackOff"}}},
                {"name": "b", "ready": false, "restartCount": 2,
                 "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                 "lastState": {"terminated": {"exitCode": 2, "finishedAt": "2025-06-01T11:54:48Z"}}}
            ]}),
        );
        assert_eq!(
            narrow("Pod", &p),
            ["web", "0/2", "ImagePullBackOff", "3 (5m12s ago)", "84m"]
        );
    }

    #[test]
    fn pod_terminated_containers() {
        let status = |state: Value| {
            pod(
                json!({"containers": containers(&["job"]), "restartPolicy": "Never"}),
                json!({"phase": "Failed", "containerStatuses": [
                    {"name": "job", "ready": false, "restartCount": 0, "state": state}]}),
            )
        };
        let row_status = |state: Value| narrow("Pod", &status(state))[2].clone();
        assert_eq!(
            row_status(json!({"terminated": {"exitCode": 1, "reason": "Error"}})),
            "Error"
        );
        assert_eq!(
            row_status(json!({"terminated": {"exitCode": 137, "reason": "OOMKilled"}})),
            "OOMKilled"
        );
        assert_eq!(
            row_status(json!({"terminated": {"exitCode": 3}})),
            "ExitCode:3"
        );
        assert_eq!(
            row_status(json!({"terminated": {"exitCode": 137, "signal": 9}})),
            "Signal:9"
        );
        let succeeded = pod(
            json!({"containers": containers(&["job"]), "restartPolicy": "Never"}),
            json!({"phase": "Succeeded", "containerStatuses": [
                {"name": "job", "ready": false, "restartCount": 0,
                 "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
        );
        assert_eq!(
            narrow("Pod", &succeeded),
            ["web", "0/1", "Completed", "0", "84m"]
        );
    }

    #[test]
    fn pod_completed_but_still_running() {
        let p = |ready: &str| {
            pod(
                json!({"containers": containers(&["main", "helper"])}),
                json!({"phase": "Running",
                       "conditions": [{"type": "Ready", "status": ready}],
                       "containerStatuses": [
                    {"name": "main", "ready": false, "restartCount": 0,
                     "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                    {"name": "helper", "ready": true, "restartCount": 0,
                     "state": {"running": {"startedAt": "2025-06-01T11:00:00Z"}}}
                ]}),
            )
        };
        assert_eq!(
            narrow("Pod", &p("False")),
            ["web", "1/2", "NotReady", "0", "84m"]
        );
        assert_eq!(
            narrow("Pod", &p("True")),
            ["web", "1/2", "Running", "0", "84m"]
        );
    }

    #[test]
    fn pod_init_containers() {
        let spec = json!({"initContainers": containers(&["init-a", "init-b"]),
                          "containers": containers(&["web"])});
        let main_waiting = json!([{"name": "web", "ready": false, "restartCount": 0,
                                   "state": {"waiting": {"reason": "PodInitializing"}}}]);
        let with_init = |init: Value| {
            pod(
                spec.clone(),
                json!({"phase": "Pending",
                       "conditions": [{"type": "Initialized", "status": "False"}],
                       "initContainerStatuses": init,
                       "containerStatuses": main_waiting}),
            )
        };
        // First init container running.
        let p = with_init(json!([
            {"name": "init-a", "ready": false, "restartCount": 0,
             "state": {"running": {"startedAt": "2025-06-01T11:59:00Z"}}},
            {"name": "init-b", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "PodInitializing"}}}
        ]));
        assert_eq!(narrow("Pod", &p), ["web", "0/1", "Init:0/2", "0", "84m"]);
        // First done, second running.
        let p = with_init(json!([
            {"name": "init-a", "ready": false, "restartCount": 0,
             "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
            {"name": "init-b", "ready": false, "restartCount": 0,
             "state": {"running": {}}}
        ]));
        assert_eq!(narrow("Pod", &p)[2], "Init:1/2");
        // Crash looping init container: restarts counted, with the last restart age.
        let p = with_init(json!([
            {"name": "init-a", "ready": false, "restartCount": 4,
             "state": {"waiting": {"reason": "CrashLoopBackOff"}},
             "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                          "finishedAt": "2025-06-01T11:59:15Z"}}},
            {"name": "init-b", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "PodInitializing"}}}
        ]));
        assert_eq!(
            narrow("Pod", &p),
            ["web", "0/1", "Init:CrashLoopBackOff", "4 (45s ago)", "84m"]
        );
        // Failed init container.
        let failed = |term: Value| {
            let p = with_init(json!([
                {"name": "init-a", "ready": false, "restartCount": 0,
                 "state": {"terminated": term}}
            ]));
            narrow("Pod", &p)[2].clone()
        };
        assert_eq!(
            failed(json!({"exitCode": 1, "reason": "Error"})),
            "Init:Error"
        );
        assert_eq!(failed(json!({"exitCode": 2})), "Init:ExitCode:2");
        assert_eq!(
            failed(json!({"exitCode": 143, "signal": 15})),
            "Init:Signal:15"
        );
        // Image pull failure.
        let p = with_init(json!([
            {"name": "init-a", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "ErrImagePull"}}}
        ]));
        assert_eq!(narrow("Pod", &p)[2], "Init:ErrImagePull");
        // All init containers done: main container statuses take over.
        let p = pod(
            spec.clone(),
            json!({"phase": "Pending",
                   "conditions": [{"type": "Initialized", "status": "True"}],
                   "initContainerStatuses": [
                       {"name": "init-a", "ready": true, "restartCount": 1,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                       {"name": "init-b", "ready": true, "restartCount": 0,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}],
                   "containerStatuses": main_waiting}),
        );
        // Regular init container restarts no longer count once initialised.
        assert_eq!(
            narrow("Pod", &p),
            ["web", "0/1", "PodInitializing", "0", "84m"]
        );
    }

    #[test]
    fn pod_sidecar_containers() {
        let spec = json!({
            "initContainers": [
                {"name": "setup", "image": "busybox"},
                {"name": "proxy", "image": "envoy", "restartPolicy": "Always"}
            ],
            "containers": containers(&["web"])
        });
        let p = pod(
            spec.clone(),
            json!({"phase": "Running",
                   "conditions": [{"type": "Initialized", "status": "True"},
                                  {"type": "Ready", "status": "True"}],
                   "initContainerStatuses": [
                       {"name": "setup", "ready": true, "restartCount": 0,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                       {"name": "proxy", "ready": true, "restartCount": 2, "started": true,
                        "state": {"running": {}},
                        "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                     "finishedAt": "2025-06-01T11:50:00Z"}}}],
                   "containerStatuses": [
                       {"name": "web", "ready": true, "restartCount": 1, "started": true,
                        "state": {"running": {}},
                        "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                     "finishedAt": "2025-06-01T11:40:00Z"}}}]}),
        );
        assert_eq!(
            narrow("Pod", &p),
            ["web", "2/2", "Running", "3 (10m ago)", "84m"]
        );
        // Sidecar started but not ready while the main container is still being created.
        let p = pod(
            spec,
            json!({"phase": "Pending",
                   "conditions": [{"type": "Initialized", "status": "True"}],
                   "initContainerStatuses": [
                       {"name": "setup", "ready": true, "restartCount": 0,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
                       {"name": "proxy", "ready": false, "restartCount": 0, "started": true,
                        "state": {"running": {}}}],
                   "containerStatuses": [
                       {"name": "web", "ready": false, "restartCount": 0,
                        "state": {"waiting": {"reason": "ContainerCreating"}}}]}),
        );
        assert_eq!(
            narrow("Pod", &p),
            ["web", "0/2", "ContainerCreating", "0", "84m"]
        );
    }

    #[test]
    fn pod_terminating() {
        let running = json!({"phase": "Running", "containerStatuses": [
            {"name": "web", "ready": true, "restartCount": 0, "state": {"running": {}}}]});
        let mut p = pod(json!({"containers": containers(&["web"])}), running);
        p.set("/metadata/deletionTimestamp", json!("2025-06-01T12:00:30Z"))
            .unwrap();
        assert_eq!(narrow("Pod", &p), ["web", "1/1", "Terminating", "0", "84m"]);
        // Terminal pods keep their status while being deleted (since 1.31).
        let mut done = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Succeeded", "containerStatuses": [
                {"name": "web", "ready": false, "restartCount": 0,
                 "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
        );
        done.set("/metadata/deletionTimestamp", json!("2025-06-01T12:00:30Z"))
            .unwrap();
        assert_eq!(narrow("Pod", &done)[2], "Completed");
        // NodeLost pods being deleted are Unknown.
        let mut lost = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Running", "reason": "NodeLost"}),
        );
        lost.set("/metadata/deletionTimestamp", json!("2025-06-01T12:00:30Z"))
            .unwrap();
        assert_eq!(narrow("Pod", &lost)[2], "Unknown");
    }

    #[test]
    fn pod_ip_prefers_pod_ip() {
        let p = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Running", "podIP": "10.0.0.9",
                   "podIPs": [{"ip": "fd00::9"}]}),
        );
        assert_eq!(wide("Pod", &p)[5], "10.0.0.9");
        let p = pod(
            json!({"containers": containers(&["web"])}),
            json!({"phase": "Running", "podIPs": [{"ip": "fd00::9"}, {"ip": "10.0.0.9"}]}),
        );
        assert_eq!(wide("Pod", &p)[5], "fd00::9");
    }
}
