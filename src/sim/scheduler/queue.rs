//! The scheduler's unschedulable queue (as a 1.33 scheduler keeps it): which pods wait, which
//! failure a cluster event can cure, and when the periodic flush takes a pod that nothing
//! moved. Used by the [`Scheduler`](super::Scheduler) loop; reads pods through the API.

use crate::api::Api;
use crate::api::errors::ApiError;
use crate::util::ptr::Ptr;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;

pub(super) fn unscheduled(v: &Value) -> bool {
    v.ptr("/spec/nodeName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
        && v.ptr("/metadata/deletionTimestamp").is_none()
        && v.ptr("/spec/schedulerName")
            .and_then(Value::as_str)
            .is_none_or(|s| s == "default-scheduler")
}

/// What [`unscheduled`] reads of a pod, decoded from its text.
#[derive(Deserialize)]
pub(super) struct WaitingView {
    metadata: WaitingMeta,
    #[serde(default)]
    spec: WaitingSpec,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WaitingMeta {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    deletion_timestamp: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WaitingSpec {
    #[serde(default)]
    node_name: Option<String>,
    #[serde(default)]
    scheduler_name: Option<String>,
}

impl WaitingView {
    fn unscheduled(&self) -> bool {
        self.spec.node_name.as_deref().is_none_or(str::is_empty)
            && self.metadata.deletion_timestamp.is_none()
            && self
                .spec
                .scheduler_name
                .as_deref()
                .is_none_or(|s| s == "default-scheduler")
    }
}

/// The pods waiting to be scheduled, `(namespace, name)` in list order, read from the state
/// (each decoded only in what [`WaitingView::unscheduled`] reads).
pub(super) fn waiting_pods(api: &mut Api) -> Result<BTreeSet<(String, String)>, ApiError> {
    let pods = &crate::kinds::pod::KIND;
    let mut w = BTreeSet::new();
    for ns in api.namespaces_of(pods) {
        api.for_each_held(pods, &ns, |held| {
            if let Ok(p) = held.decode::<WaitingView>()
                && p.unscheduled()
            {
                w.insert((p.metadata.namespace, p.metadata.name));
            }
        })?;
    }
    Ok(w)
}

/// Whether the pod's last scheduling failure names a reason a pod leaving a node can remove.
pub(super) fn lacked_room(v: &Value) -> bool {
    v.ptr("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled"))
        .filter_map(|c| c.get("message").and_then(Value::as_str))
        .any(|m| {
            [
                "Insufficient ",
                "Too many pods",
                "free ports",
                "affinity rules",
            ]
            .iter()
            .any(|r| m.contains(r))
        })
}

/// `podMaxInUnschedulablePodsDuration`.
pub(super) const MAX_WAIT_SECS: i64 = 300;
/// How often `flushUnschedulablePodsLeftover` runs.
pub(super) const FLUSH_EVERY_SECS: i64 = 30;

/// For a pod that already failed to schedule, how much longer it waits for the flush (`None`:
/// it has waited long enough, or never failed).
pub(super) fn flush_wait(
    api: &mut Api,
    ns: &str,
    name: &str,
) -> Result<Option<jiff::SignedDuration>, ApiError> {
    let kind = &crate::kinds::pod::KIND;
    let uid = {
        let Some(v) = api.try_get_ref(kind, ns, name)? else {
            return Ok(None);
        };
        if !unscheduled(v) || !has_scheduled_condition(v, None) {
            return Ok(None);
        }
        v.ptr("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let Some((last, _)) = api.last_event_time(ns, name, &uid, "FailedScheduling") else {
        return Ok(None);
    };
    let wait = flush_delay(api, last);
    Ok((wait > jiff::SignedDuration::ZERO).then_some(wait))
}

/// How long an unschedulable pod waits for the scheduler's flush when no cluster event moves
/// it: `flushUnschedulablePodsLeftover` runs every 30 s (from the scheduler's start, here the
/// cluster's creation) and moves pods that have waited longer than
/// `podMaxInUnschedulablePodsDuration` (5 minutes): from its failure at `failed`, the time
/// left until that flush.
pub(super) fn flush_delay(api: &Api, failed: jiff::Timestamp) -> jiff::SignedDuration {
    let now = api.now();
    let start = crate::api::parse_time(&api.store.meta.created).unwrap_or(now);
    now.duration_until(flush_at(start, failed))
}

/// The first flush (every 30 s from `start`) at which a pod that failed at `failed` has waited
/// strictly longer than 5 minutes.
pub(super) fn flush_at(start: jiff::Timestamp, failed: jiff::Timestamp) -> jiff::Timestamp {
    let waited = start.duration_until(failed) + jiff::SignedDuration::from_secs(MAX_WAIT_SECS);
    let ticks = waited.as_secs().div_euclid(FLUSH_EVERY_SECS) + 1;
    start + jiff::SignedDuration::from_secs(ticks * FLUSH_EVERY_SECS)
}

/// Whether the pod already carries a `PodScheduled` condition (with `message`, if given).
pub(super) fn has_scheduled_condition(v: &Value, message: Option<&str>) -> bool {
    v.ptr("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                c.get("type").and_then(Value::as_str) == Some("PodScheduled")
                    && message.is_none_or(|m| c.get("message").and_then(Value::as_str) == Some(m))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flush_takes_a_pod_at_the_first_30_s_tick_after_5_minutes_of_waiting() {
        let start: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let at = |s: i64| start + jiff::SignedDuration::from_secs(s);
        // Failed at the start: 5:00 is not "longer than 5 minutes", 5:30 is.
        assert_eq!(flush_at(start, at(0)), at(330));
        assert_eq!(flush_at(start, at(7)), at(330));
        assert_eq!(flush_at(start, at(29)), at(330));
        assert_eq!(flush_at(start, at(30)), at(360));
        assert_eq!(flush_at(start, at(310)), at(630));
        // Sub-second failures round like whole seconds before the tick.
        let late = at(29) + jiff::SignedDuration::from_millis(999);
        assert_eq!(flush_at(start, late), at(330));
    }

    #[test]
    fn pods_short_of_room_ports_or_pod_affinity_are_retried_when_a_pod_leaves() {
        let pod = |msg: &str| {
            serde_json::json!({"status": {"conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": msg}
            ]}})
        };
        assert!(lacked_room(&pod(
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."
        )));
        assert!(lacked_room(&pod(
            "0/1 nodes are available: 1 Too many pods."
        )));
        assert!(lacked_room(&pod(
            "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports."
        )));
        assert!(lacked_room(&pod(
            "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules."
        )));
        assert!(!lacked_room(&pod(
            "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."
        )));
        assert!(!lacked_room(&serde_json::json!({"status": {}})));
    }
}
