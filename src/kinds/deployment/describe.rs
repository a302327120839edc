//! `kubectl describe` for Deployment: describe.go's describer for the kind.

use serde_json::Map;
use serde_json::Value;

use crate::kinds::Describer;
use crate::kinds::common::describe::*;
use crate::kinds::common::lookup::{Lookup, LookupError};
use crate::print::age::parse_timestamp;
use crate::print::cells::label_selector_string;
use crate::print::describe::*;

pub(super) const DESCRIBER: Describer = Describer {
    print: |obj, ctx| tabbed(|w| describe_deployment(w, obj, ctx)),
    related,
    events_by_name: false,
};

/// What kubectl lists alongside it: the ReplicaSets it controls (old and new).
fn related(obj: &Value, api: &mut dyn Lookup) -> Result<Vec<Value>, LookupError> {
    let uid = s(obj, &["metadata", "uid"]);
    api.list_controlled(
        &crate::kinds::replicaset::KIND,
        s(obj, &["metadata", "namespace"]),
        uid,
    )
}

/// The template without its `pod-template-hash` label, nulls and empty lists / maps (the
/// semantic equality kubectl's `equalIgnoreHash` uses).
fn normalized_template(t: Option<&Value>) -> Value {
    fn clean(v: &Value) -> Option<Value> {
        match v {
            Value::Null => None,
            Value::Array(a) if a.is_empty() => None,
            Value::Array(a) => Some(Value::Array(a.iter().filter_map(clean).collect())),
            Value::Object(m) => {
                let m: Map<String, Value> = m
                    .iter()
                    .filter_map(|(k, v)| clean(v).map(|v| (k.clone(), v)))
                    .collect();
                Some(Value::Object(m))
            }
            other => Some(other.clone()),
        }
    }
    let mut t = t.and_then(clean).unwrap_or(Value::Null);
    if let Some(meta) = t.get_mut("metadata").and_then(Value::as_object_mut) {
        for key in ["labels", "annotations"] {
            if let Some(Value::Object(m)) = meta.get_mut(key) {
                if key == "labels" {
                    m.remove("pod-template-hash");
                }
                if m.is_empty() {
                    meta.remove(key);
                }
            }
        }
        if meta.is_empty() {
            t.as_object_mut().map(|o| o.remove("metadata"));
        }
    }
    t
}

fn describe_deployment(w: &mut Pw, d: &Value, ctx: &DescribeCtx) {
    w.w(0, &format!("Name:\t{}\n", s(d, &["metadata", "name"])));
    w.w(
        0,
        &format!("Namespace:\t{}\n", s(d, &["metadata", "namespace"])),
    );
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_at(d, &["metadata", "creationTimestamp"])
        ),
    );
    labels_multiline(w, "Labels", get(d, &["metadata", "labels"]));
    annotations_multiline(w, "Annotations", get(d, &["metadata", "annotations"]));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            label_selector_string(get(d, &["spec", "selector"]))
        ),
    );
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            replicas(d),
            i(d, &["status", "updatedReplicas"]),
            i(d, &["status", "replicas"]),
            i(d, &["status", "availableReplicas"]),
            i(d, &["status", "unavailableReplicas"])
        ),
    );
    w.w(
        0,
        &format!("StrategyType:\t{}\n", s(d, &["spec", "strategy", "type"])),
    );
    w.w(
        0,
        &format!("MinReadySeconds:\t{}\n", i(d, &["spec", "minReadySeconds"])),
    );
    if let Some(ru) = get(d, &["spec", "strategy", "rollingUpdate"]) {
        w.w(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(get(ru, &["maxUnavailable"])),
                int_or_string(get(ru, &["maxSurge"]))
            ),
        );
    }
    pod_template(w, get(d, &["spec", "template"]));
    workload_conditions(w, d);

    // deploymentutil.GetAllReplicaSetsInChunks: owned RSs sorted by creation time (name as
    // tie-break); the new one is the oldest whose template matches, the rest are old.
    let mut owned: Vec<&Value> = ctx
        .related
        .iter()
        .filter(|rs| {
            matches!(s(rs, &["kind"]), "" | "ReplicaSet") && is_controlled_by(rs, d, "Deployment")
        })
        .collect();
    let created = |rs: &Value| parse_timestamp(opt_s(rs, &["metadata", "creationTimestamp"]));
    go_sort(&mut owned, |a, b| {
        let (ca, cb) = (created(a), created(b));
        if ca == cb {
            s(a, &["metadata", "name"]) < s(b, &["metadata", "name"])
        } else {
            ca < cb
        }
    });
    let want = normalized_template(get(d, &["spec", "template"]));
    let new_rs = owned
        .iter()
        .position(|rs| normalized_template(get(rs, &["spec", "template"])) == want);
    let show = |list: &[&Value]| {
        let parts: Vec<String> = list
            .iter()
            .map(|rs| {
                format!(
                    "{} ({}/{} replicas created)",
                    s(rs, &["metadata", "name"]),
                    i(rs, &["status", "replicas"]),
                    replicas(rs)
                )
            })
            .collect();
        if parts.is_empty() {
            "<none>".to_string()
        } else {
            parts.join(", ")
        }
    };
    if !owned.is_empty() {
        let old: Vec<&Value> = owned
            .iter()
            .enumerate()
            .filter(|(n, _)| Some(*n) != new_rs)
            .map(|(_, rs)| *rs)
            .collect();
        let new: Vec<&Value> = new_rs.map(|n| owned[n]).into_iter().collect();
        w.w(0, &format!("OldReplicaSets:\t{}\n", show(&old)));
        w.w(0, &format!("NewReplicaSet:\t{}\n", show(&new)));
    }
    describe_events(w, ctx.events, ctx.now);
}

#[cfg(test)]
mod tests {
    use crate::kinds::common::describe::testing::*;
    use serde_json::json;

    #[test]
    fn deployment_matches_observed_layout() {
        let deploy = json!({
            "kind": "Deployment",
            "metadata": {
                "name": "nginx", "namespace": "default", "uid": "d-1",
                "creationTimestamp": "2026-11-20T22:36:57Z",
                "labels": {"app": "nginx"},
                "annotations": {"deployment.kubernetes.io/revision": "2"}
            },
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "nginx"}},
                "template": nginx_template("nginx:1.25", None),
                "strategy": {"type": "RollingUpdate",
                             "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
            },
            "status": {
                "replicas": 4, "updatedReplicas": 1, "availableReplicas": 3,
                "unavailableReplicas": 1,
                "conditions": [
                    {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                    {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}
                ]
            }
        });
        let owner =
            json!([{"kind": "Deployment", "name": "nginx", "uid": "d-1", "controller": true}]);
        let rs = |name: &str, image: &str, hash: &str, created: &str, n: i64| {
            json!({
                "kind": "ReplicaSet",
                "metadata": {"name": name, "namespace": "default", "creationTimestamp": created,
                             "ownerReferences": owner},
                "spec": {"replicas": n, "template": nginx_template(image, Some(hash))},
                "status": {"replicas": n}
            })
        };
        let related = vec![
            rs(
                "nginx-bbb222",
                "nginx:1.25",
                "bbb222",
                "2026-11-21T23:30:00Z",
                3,
            ),
            rs(
                "nginx-aaa111",
                "nginx:1.24",
                "aaa111",
                "2026-11-20T22:36:57Z",
                0,
            ),
            // Not owned: ignored.
            json!({"kind": "ReplicaSet", "metadata": {"name": "other"}, "spec": {}}),
        ];
        let events = vec![
            json!({
                "metadata": {"name": "nginx.2", "namespace": "default"},
                "type": "Normal", "reason": "ScalingReplicaSet",
                "message": "Scaled up replica set nginx-bbb222 to 1",
                "source": {"component": "deployment-controller"},
                "firstTimestamp": ago(401), "lastTimestamp": ago(96), "count": 4
            }),
            json!({
                "metadata": {"name": "nginx.1", "namespace": "default"},
                "type": "Normal", "reason": "ScalingReplicaSet",
                "message": "Scaled up replica set nginx-aaa111 to 3\n",
                "source": {"component": "deployment-controller"},
                "firstTimestamp": ago(61 * 60), "lastTimestamp": ago(61 * 60), "count": 1
            }),
        ];
        let expected = "\
Name:                   nginx
Namespace:              default
CreationTimestamp:      Fri, 20 Nov 2026 22:36:57 +0000
Labels:                 app=nginx
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=nginx
Replicas:               3 desired | 1 updated | 4 total | 3 available | 1 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:         nginx:1.25
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    ReplicaSetUpdated
OldReplicaSets:  nginx-aaa111 (0/0 replicas created)
NewReplicaSet:   nginx-bbb222 (3/3 replicas created)
Events:
  Type    Reason             Age                  From                   Message
  ----    ------             ----                 ----                   -------
  Normal  ScalingReplicaSet  61m                  deployment-controller  Scaled up replica set nginx-aaa111 to 3
  Normal  ScalingReplicaSet  96s (x4 over 6m41s)  deployment-controller  Scaled up replica set nginx-bbb222 to 1
";
        assert_eq!(
            describe("Deployment", &deploy, &ctx(&events, &related)),
            expected
        );
    }
}
