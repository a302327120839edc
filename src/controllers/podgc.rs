//! The pod garbage collector's orphan pass (pkg/controller/podgc, `gcOrphaned`): pods bound to
//! a node that no longer exists are marked `Failed` with the condition `DisruptionTarget`
//! (reason `DeletionByPodGC`, `PodGC: node no longer exists`) and deleted at once (grace
//! period 0), so their controllers replace them. As upstream, a missing node is quarantined
//! for 40 s first, and the collector runs every 20 s (ticks counted from the cluster's
//! creation): the pods go 40–60 s after their node.

use super::Controller;
use crate::api::errors::ApiError;
use crate::api::{Api, Change, DeleteOptions, Op, Ptr, fmt_time, name_of, namespace_of};
use crate::engine::SyncResult;
use crate::kinds;
use crate::util::fields::Fields;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

/// `gcCheckPeriod`.
const GC_PERIOD_SECS: i64 = 20;
/// `quarantineTime`.
const QUARANTINE_SECS: i64 = 40;

/// The first collector tick (every 20 s from `start`) at which a node found missing at `seen`
/// has been quarantined for 40 s.
fn collect_at(start: Timestamp, seen: Timestamp) -> Timestamp {
    let due = start.duration_until(seen) + SignedDuration::from_secs(QUARANTINE_SECS);
    let secs = due.as_secs() + i64::from(due.subsec_nanos() > 0);
    let ticks = (secs + GC_PERIOD_SECS - 1).div_euclid(GC_PERIOD_SECS);
    start + SignedDuration::from_secs(ticks * GC_PERIOD_SECS)
}

pub struct PodGcController;

impl PodGcController {
    fn wake(api: &Api, node: &str) -> SyncResult {
        let now = api.now();
        let start = crate::api::parse_time(&api.store.meta.created).unwrap_or(now);
        SyncResult {
            wake: vec![(
                format!("{GC_KEY}{node}"),
                now.duration_until(collect_at(start, now)),
                false,
            )],
            ..Default::default()
        }
    }
}

/// Work keys: `<node>` (a node went away, or a pod was bound to one that does not exist:
/// start its quarantine), `gc:<node>` (the quarantine is over: collect its pods).
const GC_KEY: &str = "gc:";

impl Controller for PodGcController {
    fn name(&self) -> &'static str {
        "pod-garbage-collector"
    }

    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>) {
        match change.info.kind {
            kinds::node::NAME if change.op == Op::Deleted => {
                keys.push(name_of(&change.object).to_string());
            }
            kinds::pod::NAME if change.op == Op::Added || change.verb == "bind" => {
                let node = change
                    .object
                    .ptr("/spec/nodeName")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let nodes = &crate::kinds::node::KIND;
                if !node.is_empty() && api.try_get_ref(nodes, "", node).ok().flatten().is_none() {
                    keys.push(node.to_string());
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
        let nodes = &crate::kinds::node::KIND;
        let Some(node) = key.strip_prefix(GC_KEY) else {
            return Ok(Self::wake(api, key));
        };
        if api.try_get_ref(nodes, "", node)?.is_some() {
            return Ok(SyncResult::default());
        }
        let pods = &crate::kinds::pod::KIND;
        let mut orphans: Vec<(String, String)> = Vec::new();
        api.for_each_on_node(pods, node, |p| {
            orphans.push((namespace_of(p).to_string(), name_of(p).to_string()));
        })?;
        orphans.sort();
        for (ns, name) in orphans {
            let Some(mut pod) = api.try_get(pods, &ns, &name)? else {
                continue;
            };
            let phase = pod.ptr("/status/phase").and_then(Value::as_str);
            if !matches!(phase, Some("Succeeded" | "Failed")) {
                let now = fmt_time(api.now());
                crate::api::set_condition(
                    &mut pod,
                    "DisruptionTarget",
                    "True",
                    Some("DeletionByPodGC"),
                    Some("PodGC: node no longer exists"),
                    &now,
                )?;
                pod.set("/status/phase", json!("Failed"))?;
                api.update_status(pods, &ns, pod)?;
            }
            api.delete_if_present(
                pods,
                &ns,
                &name,
                DeleteOptions {
                    propagation: None,
                    grace_period: Some(0),
                },
            )?;
        }
        Ok(SyncResult::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orphans_go_at_the_first_20_s_tick_after_40_s_of_quarantine() {
        let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let at = |s: i64| start + SignedDuration::from_secs(s);
        assert_eq!(collect_at(start, at(0)), at(40));
        assert_eq!(collect_at(start, at(1)), at(60));
        assert_eq!(collect_at(start, at(20)), at(60));
        assert_eq!(collect_at(start, at(21)), at(80));
        assert_eq!(
            collect_at(start, at(20) + SignedDuration::from_millis(1)),
            at(80)
        );
    }
}
