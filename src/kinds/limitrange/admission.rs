//! The LimitRanger admission plugin, pure (plugin/pkg/admission/limitranger/admission.go):
//! [`mutate_pod`] fills a new pod's containers with a LimitRange's `default` limits and
//! `defaultRequest` requests and says so in the `kubernetes.io/limit-ranger` annotation;
//! [`validate_pod`] and [`validate_claim`] refuse what is under `min`, over `max` or past
//! `maxLimitRequestRatio`, in the plugin's words.

use serde_json::{Map, Value, json};

use crate::kinds::common::describe::{containers_then_init, pod_requests_and_limits};
use crate::print::describe::{Qty, ResList, res_list};

/// The annotation the plugin leaves on the pods it changed.
pub const ANNOTATION: &str = "kubernetes.io/limit-ranger";

/// `PodMutateLimitFunc`: the `Container` items' `defaultRequest` and `default` merged into
/// every container and init container that lacks them; the annotation lists what was set
/// (`LimitRanger plugin set: cpu, memory request for container nginx; cpu limit for ...`).
pub fn mutate_pod(limit_range: &Value, pod: &mut Value) {
    let mut requests = Map::new();
    let mut limits = Map::new();
    for item in items(limit_range) {
        if item.get("type").and_then(Value::as_str) != Some("Container") {
            continue;
        }
        if let Some(m) = item.get("defaultRequest").and_then(Value::as_object) {
            requests.extend(m.clone());
        }
        if let Some(m) = item.get("default").and_then(Value::as_object) {
            limits.extend(m.clone());
        }
    }
    let mut notes: Vec<String> = Vec::new();
    for (key, what) in [
        ("containers", "container"),
        ("initContainers", "init container"),
    ] {
        let Some(list) = pod
            .pointer_mut(&format!("/spec/{key}"))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for c in list.iter_mut().filter(|c| c.is_object()) {
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let set_limits = merge(c, "limits", &limits);
            let set_requests = merge(c, "requests", &requests);
            if !set_requests.is_empty() {
                notes.push(format!(
                    "{} request for {what} {name}",
                    set_requests.join(", ")
                ));
            }
            if !set_limits.is_empty() {
                notes.push(format!("{} limit for {what} {name}", set_limits.join(", ")));
            }
        }
    }
    if notes.is_empty() {
        return;
    }
    if let Some(md) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        let ann = md.entry("annotations").or_insert_with(|| json!({}));
        if let Some(ann) = ann.as_object_mut() {
            ann.insert(
                ANNOTATION.into(),
                json!(format!("LimitRanger plugin set: {}", notes.join("; "))),
            );
        }
    }
}

/// Sets each default the container's `resources.<field>` lacks; returns their names, sorted.
fn merge(c: &mut Value, field: &str, defaults: &Map<String, Value>) -> Vec<String> {
    let Some(c) = c.as_object_mut() else {
        return Vec::new();
    };
    let missing: Vec<&String> = defaults
        .keys()
        .filter(|k| {
            c.get("resources")
                .and_then(|r| r.get(field))
                .and_then(|m| m.get(k.as_str()))
                .is_none()
        })
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let res = c.entry("resources").or_insert_with(|| json!({}));
    if !res.is_object() {
        return Vec::new();
    }
    let Some(target) = res
        .as_object_mut()
        .map(|r| r.entry(field).or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
    else {
        return Vec::new();
    };
    let mut set = Vec::new();
    for k in missing {
        target.insert(k.clone(), defaults[k].clone());
        set.push(k.clone());
    }
    set.sort();
    set
}

fn items(limit_range: &Value) -> &[Value] {
    limit_range
        .pointer("/spec/limits")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `resource.MaxMilliValue`: past it the plugin compares whole units.
const MAX_MILLI_VALUE: i128 = (i64::MAX / 1000) as i128;

/// `requestLimitEnforcedValues`: milli-units when all three fit, else whole units.
fn values(req: Option<&Qty>, lim: Option<&Qty>, enforced: &Qty) -> (i128, i128, i128) {
    let zero = Qty::zero();
    let (r, l) = (req.unwrap_or(&zero), lim.unwrap_or(&zero));
    if r.value() <= MAX_MILLI_VALUE
        && l.value() <= MAX_MILLI_VALUE
        && enforced.value() <= MAX_MILLI_VALUE
    {
        (r.milli(), l.milli(), enforced.milli())
    } else {
        (r.value(), l.value(), enforced.value())
    }
}

/// `minConstraint` (`min`) and `maxConstraint` (`max`): the request, then the limit, against
/// the bound; a minimum needs a request, a maximum a limit.
fn bound_constraint(
    max: bool,
    ty: &str,
    res: &str,
    enforced: &Qty,
    requests: &ResList,
    limits: &ResList,
) -> Option<String> {
    let (req, lim) = (requests.get(res), limits.get(res));
    let (r, l, e) = values(req, lim, enforced);
    let want = enforced.string();
    let word = if max { "maximum" } else { "minimum" };
    let past = |v: i128| if max { v > e } else { v < e };
    // The one a bound requires is checked first: a minimum's request, a maximum's limit.
    let checks = if max {
        [("limit", lim, l), ("request", req, r)]
    } else {
        [("request", req, r), ("limit", lim, l)]
    };
    if checks[0].1.is_none() {
        return Some(format!(
            "{word} {res} usage per {ty} is {want}.  No {} is specified",
            checks[0].0
        ));
    }
    checks.iter().find_map(|(what, q, v)| {
        q.filter(|_| past(*v)).map(|q| {
            format!(
                "{word} {res} usage per {ty} is {want}, but {what} is {}",
                q.string()
            )
        })
    })
}

/// `maxRequestConstraint` (claims: only the request counts).
fn max_request_constraint(
    ty: &str,
    res: &str,
    enforced: &Qty,
    requests: &ResList,
) -> Option<String> {
    let req = requests.get(res);
    let (r, _, e) = values(req, None, enforced);
    let want = enforced.string();
    match req {
        None => Some(format!(
            "maximum {res} usage per {ty} is {want}.  No request is specified"
        )),
        Some(q) if r > e => Some(format!(
            "maximum {res} usage per {ty} is {want}, but request is {}",
            q.string()
        )),
        _ => None,
    }
}

fn ratio_constraint(
    ty: &str,
    res: &str,
    enforced: &Qty,
    requests: &ResList,
    limits: &ResList,
) -> Option<String> {
    let (req, lim) = (requests.get(res), limits.get(res));
    let (r, l, _) = values(req, lim, enforced);
    let want = enforced.string();
    if req.is_none() || r == 0 {
        return Some(format!(
            "{res} max limit to request ratio per {ty} is {want}, but no request is specified or request is 0"
        ));
    }
    if lim.is_none() || l == 0 {
        return Some(format!(
            "{res} max limit to request ratio per {ty} is {want}, but no limit is specified or limit is 0"
        ));
    }
    let observed = l as f64 / r as f64;
    let (scaled, max) = if enforced.value() <= MAX_MILLI_VALUE {
        (observed * 1000.0, enforced.milli() as f64)
    } else {
        (observed, enforced.value() as f64)
    };
    (scaled > max).then(|| {
        format!(
            "{res} max limit to request ratio per {ty} is {want}, but provided ratio is {observed:.6}"
        )
    })
}

/// Every min/max/ratio error of one item against one set of requests and limits, in
/// resource-name order (upstream walks Go maps; kubesim sorts).
fn check_item(
    item: &Value,
    ty: &str,
    requests: &ResList,
    limits: &ResList,
    errs: &mut Vec<String>,
) {
    for (field, max) in [("min", false), ("max", true)] {
        for (res, q) in res_list(item.get(field)) {
            errs.extend(bound_constraint(max, ty, &res, &q, requests, limits));
        }
    }
    for (res, q) in res_list(item.get("maxLimitRequestRatio")) {
        errs.extend(ratio_constraint(ty, &res, &q, requests, limits));
    }
}

/// `utilerrors.NewAggregate(errs).Error()`: one error as is, several in brackets, repeats
/// dropped.
fn aggregate(errs: Vec<String>) -> Result<(), String> {
    let mut seen: Vec<String> = Vec::new();
    for e in errs {
        if !seen.contains(&e) {
            seen.push(e);
        }
    }
    match seen.len() {
        0 => Ok(()),
        1 => Err(seen.remove(0)),
        _ => Err(format!("[{}]", seen.join(", "))),
    }
}

/// `PodValidateLimitFunc`: the `Container` items against each container and init container,
/// the `Pod` items against the pod's totals.
pub fn validate_pod(limit_range: &Value, pod: &Value) -> Result<(), String> {
    let mut errs = Vec::new();
    for item in items(limit_range) {
        match item.get("type").and_then(Value::as_str) {
            Some(ty @ "Container") => {
                for c in containers_then_init(pod) {
                    let requests = res_list(c.pointer("/resources/requests"));
                    let limits = res_list(c.pointer("/resources/limits"));
                    check_item(item, ty, &requests, &limits, &mut errs);
                }
            }
            Some(ty @ "Pod") => {
                let (requests, limits) = pod_totals(pod);
                check_item(item, ty, &requests, &limits, &mut errs);
            }
            _ => {}
        }
    }
    aggregate(errs)
}

/// The plugin's `podRequests`/`podLimits`: containers summed, init containers as a floor
/// (without the pod overhead).
fn pod_totals(pod: &Value) -> (ResList, ResList) {
    let mut bare = pod.clone();
    if let Some(spec) = bare.get_mut("spec").and_then(Value::as_object_mut) {
        spec.remove("overhead");
    }
    pod_requests_and_limits(&bare)
}

/// `PersistentVolumeClaimValidateLimitFunc`: the `PersistentVolumeClaim` items' min and max
/// against the claim's requests.
pub fn validate_claim(limit_range: &Value, claim: &Value) -> Result<(), String> {
    let mut errs = Vec::new();
    let requests = res_list(claim.pointer("/spec/resources/requests"));
    for item in items(limit_range) {
        if item.get("type").and_then(Value::as_str) != Some("PersistentVolumeClaim") {
            continue;
        }
        let ty = "PersistentVolumeClaim";
        for (res, q) in res_list(item.get("min")) {
            errs.extend(bound_constraint(
                false,
                ty,
                &res,
                &q,
                &requests,
                &ResList::new(),
            ));
        }
        for (res, q) in res_list(item.get("max")) {
            errs.extend(max_request_constraint(ty, &res, &q, &requests));
        }
    }
    aggregate(errs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lr(limits: Value) -> Value {
        json!({"spec": {"limits": limits}})
    }

    /// The docs page "Configure Default Memory Requests and Limits": defaults filled, what
    /// the container set itself kept.
    #[test]
    fn defaults_and_annotation() {
        let range = lr(json!([{"type": "Container", "default": {"memory": "512Mi"},
                                 "defaultRequest": {"memory": "256Mi"}}]));
        let mut pod = json!({"metadata": {"name": "p"}, "spec": {"containers": [
            {"name": "default-mem-demo-ctr", "image": "nginx"}]}});
        mutate_pod(&range, &mut pod);
        assert_eq!(
            pod.pointer("/spec/containers/0/resources"),
            Some(&json!({"limits": {"memory": "512Mi"}, "requests": {"memory": "256Mi"}}))
        );
        assert_eq!(
            pod.pointer("/metadata/annotations/kubernetes.io~1limit-ranger"),
            Some(&json!(
                "LimitRanger plugin set: memory request for container default-mem-demo-ctr; memory limit for container default-mem-demo-ctr"
            ))
        );
        // A request already there: only the limit is set.
        let mut pod = json!({"metadata": {}, "spec": {"initContainers": [{"name": "i",
            "resources": {"requests": {"memory": "128Mi"}}}], "containers": []}});
        let both = lr(
            json!([{"type": "Container", "default": {"memory": "512Mi", "cpu": "1"},
                              "defaultRequest": {"memory": "256Mi", "cpu": "500m"}}]),
        );
        mutate_pod(&both, &mut pod);
        assert_eq!(
            pod.pointer("/spec/initContainers/0/resources"),
            Some(&json!({"limits": {"cpu": "1", "memory": "512Mi"},
                         "requests": {"cpu": "500m", "memory": "128Mi"}}))
        );
        assert_eq!(
            pod.pointer("/metadata/annotations/kubernetes.io~1limit-ranger"),
            Some(&json!(
                "LimitRanger plugin set: cpu request for init container i; cpu, memory limit for init container i"
            ))
        );
        // Nothing to set: no annotation.
        let mut pod = json!({"metadata": {}, "spec": {"containers": [{"name": "c"}]}});
        mutate_pod(&lr(json!([{"type": "Pod", "max": {"cpu": "1"}}])), &mut pod);
        assert_eq!(
            pod,
            json!({"metadata": {}, "spec": {"containers": [{"name": "c"}]}})
        );
    }

    /// The min/max pages' messages, and several errors in brackets.
    #[test]
    fn min_max_ratio() {
        let pod = |req: Value, lim: Value| {
            json!({"spec": {"containers": [{"name": "c",
                "resources": {"requests": req, "limits": lim}}]}})
        };
        let range =
            lr(json!([{"type": "Container", "max": {"cpu": "800m"}, "min": {"cpu": "200m"}}]));
        assert_eq!(
            validate_pod(
                &range,
                &pod(json!({"cpu": "500m"}), json!({"cpu": "1500m"}))
            ),
            Err("maximum cpu usage per Container is 800m, but limit is 1500m".into())
        );
        assert_eq!(
            validate_pod(&range, &pod(json!({"cpu": "100m"}), json!({"cpu": "800m"}))),
            Err("minimum cpu usage per Container is 200m, but request is 100m".into())
        );
        assert_eq!(
            validate_pod(&range, &pod(json!({"cpu": "500m"}), json!({"cpu": "800m"}))),
            Ok(())
        );
        let mem = lr(
            json!([{"type": "Container", "max": {"memory": "1Gi"}, "min": {"memory": "500Mi"}}]),
        );
        assert_eq!(
            validate_pod(&mem, &pod(json!({}), json!({}))),
            Err("[minimum memory usage per Container is 500Mi.  No request is specified, maximum memory usage per Container is 1Gi.  No limit is specified]".into())
        );
        let ratio = lr(json!([{"type": "Container", "maxLimitRequestRatio": {"memory": "2"}}]));
        assert_eq!(
            validate_pod(&ratio, &pod(json!({"memory": "100Mi"}), json!({"memory": "400Mi"}))),
            Err("memory max limit to request ratio per Container is 2, but provided ratio is 4.000000".into())
        );
        let per_pod = lr(json!([{"type": "Pod", "max": {"cpu": "1"}}]));
        let two = json!({"spec": {"containers": [
            {"name": "a", "resources": {"limits": {"cpu": "600m"}}},
            {"name": "b", "resources": {"limits": {"cpu": "600m"}}}]}});
        assert_eq!(
            validate_pod(&per_pod, &two),
            Err("maximum cpu usage per Pod is 1, but limit is 1200m".into())
        );
    }

    #[test]
    fn claims() {
        let range = lr(json!([{"type": "PersistentVolumeClaim",
                               "max": {"storage": "2Gi"}, "min": {"storage": "1Gi"}}]));
        let claim = |s: &str| json!({"spec": {"resources": {"requests": {"storage": s}}}});
        assert_eq!(validate_claim(&range, &claim("1Gi")), Ok(()));
        assert_eq!(
            validate_claim(&range, &claim("5Gi")),
            Err(
                "maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi".into()
            )
        );
        assert_eq!(
            validate_claim(&range, &claim("500Mi")),
            Err(
                "minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi"
                    .into()
            )
        );
    }
}
