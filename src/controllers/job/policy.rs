//! The Job's rules about finished pods: `podFailurePolicy` (pod_failure_policy.go),
//! `successPolicy` (success_policy.go) and the pod-failure back-off (backoff_utils.go).

use super::indexes::Indexes;
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::batch::v1::{PodFailurePolicy, SuccessPolicy};
use k8s_openapi::api::core::v1::{ContainerStatus, Pod};

/// `DefaultJobPodFailureBackOff`.
pub const DEFAULT_BACKOFF: SignedDuration = SignedDuration::from_secs(10);
/// `MaxJobPodFailureBackOff` in the 1.33 code (the docs still say six minutes).
pub const MAX_BACKOFF: SignedDuration = SignedDuration::from_secs(600);

/// What a rule of `podFailurePolicy` does with a failed pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    FailJob,
    FailIndex,
    Ignore,
    Count,
}

/// `matchPodFailurePolicy`: (the FailJob message, whether the failure counts toward the
/// back-off limit, the matched action).
pub fn match_pod_failure_policy(
    policy: Option<&PodFailurePolicy>,
    pod: &Pod,
) -> (Option<String>, bool, Option<Action>) {
    let Some(policy) = policy else {
        return (None, true, None);
    };
    let status = pod.status.clone().unwrap_or_default();
    let ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let name = pod.metadata.name.as_deref().unwrap_or("");
    for (index, rule) in policy.rules.iter().enumerate() {
        let action = match rule.action.as_str() {
            "FailJob" => Action::FailJob,
            "FailIndex" => Action::FailIndex,
            "Ignore" => Action::Ignore,
            "Count" => Action::Count,
            _ => continue,
        };
        let matched_msg = if let Some(req) = &rule.on_exit_codes {
            let statuses = status.container_statuses.iter().flatten();
            let inits = status.init_container_statuses.iter().flatten();
            statuses
                .chain(inits)
                .find(|cs| exit_code_matches(cs, req))
                .map(|cs| {
                    let code = terminated_exit_code(cs).unwrap_or(0);
                    format!(
                        "Container {} for pod {ns}/{name} failed with exit code {code} matching {} rule at index {index}",
                        cs.name, rule.action
                    )
                })
        } else if let Some(patterns) = &rule.on_pod_conditions {
            status.conditions.iter().flatten().find_map(|c| {
                patterns
                    .iter()
                    .any(|p| p.type_ == c.type_ && p.status == c.status)
                    .then(|| {
                        format!(
                            "Pod {ns}/{name} has condition {} matching {} rule at index {index}",
                            c.type_, rule.action
                        )
                    })
            })
        } else {
            None
        };
        let Some(msg) = matched_msg else {
            continue;
        };
        return match action {
            Action::Ignore => (None, false, Some(action)),
            Action::FailIndex | Action::Count => (None, true, Some(action)),
            Action::FailJob => (Some(msg), true, Some(action)),
        };
    }
    (None, true, None)
}

fn terminated_exit_code(cs: &ContainerStatus) -> Option<i32> {
    cs.state.as_ref()?.terminated.as_ref().map(|t| t.exit_code)
}

/// `getMatchingContainerFromList` for one status: terminated with a non-zero code that the
/// operator accepts, in the named container (or any).
fn exit_code_matches(
    cs: &ContainerStatus,
    req: &k8s_openapi::api::batch::v1::PodFailurePolicyOnExitCodesRequirement,
) -> bool {
    let Some(code) = terminated_exit_code(cs) else {
        return false;
    };
    if req.container_name.as_deref().is_some_and(|n| n != cs.name) || code == 0 {
        return false;
    }
    match req.operator.as_str() {
        "In" => req.values.contains(&code),
        "NotIn" => !req.values.contains(&code),
        _ => false,
    }
}

/// `matchSuccessPolicy`: the message `Matched rules at index <i>` of the first rule the
/// succeeded indexes satisfy.
pub fn match_success_policy(
    policy: Option<&SuccessPolicy>,
    completions: i32,
    succeeded: &Indexes,
) -> Option<String> {
    let policy = policy?;
    if succeeded.total() == 0 {
        return None;
    }
    for (index, rule) in policy.rules.iter().enumerate() {
        let matched = if let Some(s) = &rule.succeeded_indexes {
            let required = Indexes::parse(s, completions);
            if required.total() == 0 {
                continue;
            }
            let contains = required.0.intersection(&succeeded.0).count();
            contains == required.total()
                || rule
                    .succeeded_count
                    .is_some_and(|c| contains >= c.max(0) as usize)
        } else {
            rule.succeeded_count
                .is_some_and(|c| succeeded.total() >= c.max(0) as usize)
        };
        if matched {
            return Some(format!("Matched rules at index {index}"));
        }
    }
    None
}

/// `getFinishedTime`: the latest container finish (all containers terminated), else when Ready
/// turned False, else the deletion time less the grace period, else the creation time.
pub fn finished_time(p: &Pod) -> Timestamp {
    let st = p.status.as_ref();
    let from_containers = st.and_then(|s| {
        let mut latest: Option<Timestamp> = None;
        for cs in s.container_statuses.iter().flatten() {
            let t = cs
                .state
                .as_ref()?
                .terminated
                .as_ref()?
                .finished_at
                .as_ref()?
                .0;
            if latest.is_none_or(|l| l < t) {
                latest = Some(t);
            }
        }
        latest
    });
    let ready_false = || {
        st?.conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == "Ready" && c.status == "False")?
            .last_transition_time
            .as_ref()
            .map(|t| t.0)
    };
    let deleted = || {
        let d = p.metadata.deletion_timestamp.as_ref()?.0;
        let grace = p.metadata.deletion_grace_period_seconds.unwrap_or(0);
        Some(d - SignedDuration::from_secs(grace))
    };
    from_containers
        .or_else(ready_false)
        .or_else(deleted)
        .or_else(|| p.metadata.creation_timestamp.as_ref().map(|t| t.0))
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// `getRemainingTimeForFailuresCount`: `default × 2^(failures−1)` capped at `max`, less the
/// time since the last failure; zero when there is nothing to wait for.
pub fn remaining_backoff(
    now: Timestamp,
    default: SignedDuration,
    max: SignedDuration,
    failures: i32,
    last_failure: Option<Timestamp>,
) -> SignedDuration {
    let Some(last) = last_failure.filter(|_| failures > 0) else {
        return SignedDuration::ZERO;
    };
    let mut delay = default;
    for _ in 1..failures {
        delay *= 2;
        if delay >= max {
            delay = max;
            break;
        }
    }
    let elapsed = now.duration_since(last);
    if delay < elapsed {
        SignedDuration::ZERO
    } else {
        delay - elapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_backoff_follows_upstream_vectors() {
        // TestGetRemainingBackoffTime: default 5 s, max 700 s.
        let now: Timestamp = "2025-01-01T00:10:00Z".parse().unwrap();
        let ago = |s: i64| Some(now - SignedDuration::from_secs(s));
        let d = SignedDuration::from_secs(5);
        let m = SignedDuration::from_secs(700);
        let secs =
            |f: i32, last: Option<Timestamp>| remaining_backoff(now, d, m, f, last).as_secs();
        assert_eq!(secs(0, None), 0);
        assert_eq!(secs(1, ago(0)), 5);
        assert_eq!(secs(1, ago(1)), 4);
        assert_eq!(secs(1, ago(5)), 0);
        assert_eq!(secs(1, ago(6)), 0);
        assert_eq!(secs(3, ago(0)), 20);
        assert_eq!(secs(8, ago(0)), 640);
        assert_eq!(secs(9, ago(0)), 700);
        // The controller's own: 10 s doubling, capped at 10 minutes.
        let r = |f| remaining_backoff(now, DEFAULT_BACKOFF, MAX_BACKOFF, f, ago(0)).as_secs();
        assert_eq!(
            (r(1), r(2), r(3), r(6), r(7), r(20)),
            (10, 20, 40, 320, 600, 600)
        );
    }

    #[test]
    fn success_policy_rules() {
        let policy: SuccessPolicy = serde_json::from_value(serde_json::json!({"rules": [
            {"succeededIndexes": "0-2", "succeededCount": 2},
            {"succeededIndexes": "4"},
            {"succeededCount": 5}]}))
        .unwrap();
        let m = |s: &str| match_success_policy(Some(&policy), 10, &Indexes::parse(s, 10));
        assert_eq!(m(""), None);
        assert_eq!(m("0"), None);
        assert_eq!(m("0,2").as_deref(), Some("Matched rules at index 0"));
        assert_eq!(m("1,4").as_deref(), Some("Matched rules at index 1"));
        assert_eq!(m("3,5-8").as_deref(), Some("Matched rules at index 2"));
        assert_eq!(m("3,5-7"), None);
    }

    #[test]
    fn pod_failure_policy_rules() {
        let policy: PodFailurePolicy = serde_json::from_value(serde_json::json!({"rules": [
            {"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}},
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
            {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [1]}}]}))
        .unwrap();
        let pod = |code: i32, cond: bool| -> Pod {
            let mut conds = vec![];
            if cond {
                conds.push(serde_json::json!({"type": "DisruptionTarget", "status": "True"}));
            }
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": "p", "namespace": "ns"},
                "status": {"phase": "Failed", "conditions": conds, "containerStatuses": [
                    {"name": "main", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
                     "state": {"terminated": {"exitCode": code}}}]}}))
            .unwrap()
        };
        let (msg, count, action) = match_pod_failure_policy(Some(&policy), &pod(42, false));
        assert_eq!(
            msg.as_deref(),
            Some(
                "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0"
            )
        );
        assert!(count);
        assert_eq!(action, Some(Action::FailJob));
        assert_eq!(
            match_pod_failure_policy(Some(&policy), &pod(1, true)),
            (None, false, Some(Action::Ignore))
        );
        assert_eq!(
            match_pod_failure_policy(Some(&policy), &pod(3, false)),
            (None, true, Some(Action::Count))
        );
        assert_eq!(
            match_pod_failure_policy(Some(&policy), &pod(1, false)),
            (None, true, None)
        );
        assert_eq!(
            match_pod_failure_policy(None, &pod(1, false)),
            (None, true, None)
        );
    }
}
