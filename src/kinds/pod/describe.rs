//! `kubectl describe` for Pod: describe.go's describer for the kind.

use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::print::age::age;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_pod(w, obj, ctx)),
    related: no_related,
    events_by_name: false,
};

/// describe.go `describePod`.
fn describe_pod(w: &mut Pw, pod: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(pod, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(pod, &["metadata", "namespace"])),
    );
    if let Some(p) = opt_i(pod, &["spec", "priority"]) {
        w.w(0, &format!("Priority:\t{p}\n"));
    }
    let pcn = s(pod, &["spec", "priorityClassName"]);
    if !pcn.is_empty() {
        w.w(0, &format!("Priority Class Name:\t{pcn}\n"));
    }
    let rcn = s(pod, &["spec", "runtimeClassName"]);
    if !rcn.is_empty() {
        w.w(0, &format!("Runtime Class Name:\t{rcn}\n"));
    }
    let sa = s(pod, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(0, &format!("Service Account:\t{sa}\n"));
    }
    let node = s(pod, &["spec", "nodeName"]);
    if node.is_empty() {
        w.w(0, "Node:\t<none>\n");
    } else {
        w.w(
            0,
            &format!("Node:\t{node}/{}\n", s(pod, &["status", "hostIP"])),
        );
    }
    if get(pod, &["status", "startTime"]).is_some() {
        w.w(
            0,
            &format!("Start Time:\t{}\n", time_at(pod, &["status", "startTime"])),
        );
    }
    labels_multiline(w, "Labels", get(pod, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(pod, &["metadata", "annotations"]));
    let phase = s(pod, &["status", "phase"]);
    if get(pod, &["metadata", "deletionTimestamp"]).is_some()
        && phase != "Failed"
        && phase != "Succeeded"
    {
        w.w(
            0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                age(opt_s(pod, &["metadata", "deletionTimestamp"]), ctx.now)
            ),
        );
        w.w(
            0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                i(pod, &["metadata", "deletionGracePeriodSeconds"])
            ),
        );
    } else {
        w.w(0, &format!("Status:\t{phase}\n"));
    }
    let reason = s(pod, &["status", "reason"]);
    if !reason.is_empty() {
        w.w(0, &format!("Reason:\t{reason}\n"));
    }
    let message = s(pod, &["status", "message"]);
    if !message.is_empty() {
        w.w(0, &format!("Message:\t{message}\n"));
    }
    if let Some(sp) = get(pod, &["spec", "securityContext", "seccompProfile"]) {
        let t = s(sp, &["type"]);
        w.w(0, &format!("SeccompProfile:\t{t}\n"));
        if t == "Localhost" {
            w.w(
                0,
                &format!("LocalhostProfile:\t{}\n", s(sp, &["localhostProfile"])),
            );
        }
    }
    w.w(0, &format!("IP:\t{}\n", s(pod, &["status", "podIP"])));
    let ips = arr(pod, &["status", "podIPs"]);
    if ips.is_empty() {
        w.w(0, "IPs:\t<none>\n");
    } else {
        w.w(0, "IPs:\n");
        for ip in ips {
            w.w(1, &format!("IP:\t{}\n", s(ip, &["ip"])));
        }
    }
    let controlled_by = print_controller(pod);
    if !controlled_by.is_empty() {
        w.w(0, &format!("Controlled By:\t{controlled_by}\n"));
    }
    let nominated = s(pod, &["status", "nominatedNodeName"]);
    if !nominated.is_empty() {
        w.w(0, &format!("NominatedNodeName:\t{nominated}\n"));
    }
    if let Some(r) = get(pod, &["spec", "resources"]) {
        w.w(0, "Resources:\n");
        describe_resources(w, Some(r), 1);
    }
    containers_and_conditions(w, pod);
    describe_volumes(w, arr(pod, &["spec", "volumes"]), "");
    w.w(0, &format!("QoS Class:\t{}\n", pod_qos(pod)));
    labels_multiline(w, "Node-Selectors", get(pod, &["spec", "nodeSelector"]));
    tolerations_multiline(w, "", "Tolerations", arr(pod, &["spec", "tolerations"]));
    topology_spread(w, arr(pod, &["spec", "topologySpreadConstraints"]), "");
    describe_events(w, ctx.events, ctx.now);
}

/// The init, regular and ephemeral containers, the readiness gates and the conditions.
fn containers_and_conditions(w: &mut Pw, pod: &Value) {
    let init = arr(pod, &["spec", "initContainers"]);
    if !init.is_empty() {
        describe_containers(
            w,
            "Init Containers",
            init,
            arr(pod, &["status", "initContainerStatuses"]),
            Some(pod),
            "",
        );
    }
    describe_containers(
        w,
        "Containers",
        arr(pod, &["spec", "containers"]),
        arr(pod, &["status", "containerStatuses"]),
        Some(pod),
        "",
    );
    let eph = arr(pod, &["spec", "ephemeralContainers"]);
    if !eph.is_empty() {
        describe_containers(
            w,
            "Ephemeral Containers",
            eph,
            arr(pod, &["status", "ephemeralContainerStatuses"]),
            Some(pod),
            "",
        );
    }
    let conditions = arr(pod, &["status", "conditions"]);
    let gates = arr(pod, &["spec", "readinessGates"]);
    if !gates.is_empty() {
        w.w(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let t = s(g, &["conditionType"]);
            let status = conditions
                .iter()
                .find(|c| s(c, &["type"]) == t)
                .map(|c| s(c, &["status"]))
                .unwrap_or("<none>");
            w.w(1, &format!("{t} \t{status} \n"));
        }
    }
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            w.w(
                1,
                &format!("{} \t{} \n", s(c, &["type"]), s(c, &["status"])),
            );
        }
    }
}

/// kubectl `qos.GetPodQOS`: `status.qosClass`, else computed from requests and limits.
fn pod_qos(pod: &Value) -> String {
    let status = s(pod, &["status", "qosClass"]);
    if !status.is_empty() {
        return status.to_string();
    }
    let supported = |k: &str| k == "cpu" || k == "memory";
    let mut requests = ResList::new();
    let mut limits = ResList::new();
    let mut guaranteed = true;
    let process = |list: &mut ResList, new: &ResList| {
        for (k, q) in new {
            if supported(k) && q.nano > 0 {
                match list.get_mut(k) {
                    Some(v) => v.add(*q),
                    None => {
                        list.insert(k.clone(), *q);
                    }
                }
            }
        }
    };
    let has_both = |l: &ResList| {
        ["cpu", "memory"]
            .iter()
            .all(|k| l.get(*k).is_some_and(|q| q.nano > 0))
    };
    if let Some(r) = get(pod, &["spec", "resources"]) {
        process(&mut requests, &res_list(get(r, &["requests"])));
        if let Some(l) = get(r, &["limits"]) {
            let l = res_list(Some(l));
            process(&mut limits, &l);
            if !has_both(&l) {
                guaranteed = false;
            }
        }
    } else {
        let all = arr(pod, &["spec", "containers"])
            .iter()
            .chain(arr(pod, &["spec", "initContainers"]));
        for c in all {
            process(&mut requests, &res_list(get(c, &["resources", "requests"])));
            let l = res_list(get(c, &["resources", "limits"]));
            process(&mut limits, &l);
            if !has_both(&l) {
                guaranteed = false;
            }
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort".to_string();
    }
    if guaranteed {
        for (k, q) in &requests {
            match limits.get(k) {
                Some(l) if l.nano == q.nano => {}
                _ => {
                    guaranteed = false;
                    break;
                }
            }
        }
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed".to_string()
    } else {
        "Burstable".to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::describe::testing::*;
    use serde_json::{Value, json};

    fn web_pod() -> Value {
        json!({
            "kind": "Pod",
            "metadata": {
                "name": "web", "namespace": "default", "uid": "p-1",
                "labels": {"tier": "fe", "app": "web"},
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-abc",
                                     "uid": "rs-1", "controller": true, "blockOwnerDeletion": true}]
            },
            "spec": {
                "priority": 0,
                "serviceAccountName": "default",
                "nodeName": "node1",
                "containers": [{
                    "name": "web", "image": "nginx:1.25",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "env": [{"name": "MODE", "value": "prod"}],
                    "resources": {"requests": {"cpu": "0.1", "memory": "64Mi"}}
                }],
                "tolerations": [
                    {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                     "effect": "NoExecute", "tolerationSeconds": 300},
                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                     "effect": "NoExecute", "tolerationSeconds": 300}
                ]
            },
            "status": {
                "phase": "Running",
                "hostIP": "10.0.0.1",
                "podIP": "10.244.0.6",
                "podIPs": [{"ip": "10.244.0.6"}],
                "startTime": "2026-11-21T23:27:04Z",
                "conditions": [
                    {"type": "Initialized", "status": "True"},
                    {"type": "Ready", "status": "False"},
                    {"type": "ContainersReady", "status": "False"},
                    {"type": "PodScheduled", "status": "True"}
                ],
                "containerStatuses": [{
                    "name": "web", "ready": false, "restartCount": 5,
                    "image": "nginx:1.25",
                    "imageID": "docker.io/library/nginx@sha256:abc",
                    "containerID": "containerd://123",
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
                    "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                        "startedAt": "2026-11-21T23:34:54Z", "finishedAt": "2026-11-21T23:34:59Z"}}
                }]
            }
        })
    }

    #[test]
    fn pod_matches_observed_layout() {
        let expected = "\
Name:             web
Namespace:        default
Priority:         0
Service Account:  default
Node:             node1/10.0.0.1
Start Time:       Sat, 21 Nov 2026 23:27:04 +0000
Labels:           app=web
                  tier=fe
Annotations:      <none>
Status:           Running
IP:               10.244.0.6
IPs:
  IP:           10.244.0.6
Controlled By:  ReplicaSet/web-abc
Containers:
  web:
    Container ID:   containerd://123
    Image:          nginx:1.25
    Image ID:       docker.io/library/nginx@sha256:abc
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Sat, 21 Nov 2026 23:34:54 +0000
      Finished:     Sat, 21 Nov 2026 23:34:59 +0000
    Ready:          False
    Restart Count:  5
    Requests:
      cpu:     100m
      memory:  64Mi
    Environment:
      MODE:  prod
    Mounts:  <none>
Conditions:
  Type              Status
  Initialized       True 
  Ready             False 
  ContainersReady   False 
  PodScheduled      True 
Volumes:            <none>
QoS Class:          Burstable
Node-Selectors:     <none>
Tolerations:        node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                    node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:             <none>
";
        assert_eq!(describe("Pod", &web_pod(), &ctx(&[], &[])), expected);
    }
}
