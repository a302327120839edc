//! Shared pod predicates and helpers used by every controller.
//!
//! This is the Rust counterpart of the pod helpers in Kubernetes'
//! `pkg/controller/controller_utils.go`, `pkg/api/v1/pod/util.go` and
//! `apimachinery/pkg/apis/meta/v1/controller_ref.go`:
//!
//! - predicates: [`is_pod_active`], [`is_pod_terminating`], [`is_pod_ready`],
//!   [`is_pod_available`], plus [`pod_ready_time`], [`max_container_restarts`],
//!   [`pod_deletion_cost`];
//! - owner references: [`controller_ref`] (`metav1.GetControllerOf`) and
//!   [`new_controller_ref`] (`metav1.NewControllerRef`);
//! - pod construction: [`pod_from_template`] (`GetPodFromTemplate`);
//! - scale-down ordering: [`rank_pods_for_deletion`] (`ActivePodsWithRanks`, used by
//!   ReplicaSet/RC) and [`active_pods_order`] (plain `ActivePods`, used by Job), both
//!   built on the pairwise comparators [`compare_active_pods_with_ranks`] and
//!   [`compare_active_pods`].
//!
//! Everything here is pure: time comes in as a `jiff::Timestamp` parameter. A missing
//! timestamp (`None`) and Go's zero time (`0001-01-01T00:00:00Z`) are both treated as
//! Go's "zero time".
//!
//! The orderings are returned as index permutations (`Vec<usize>` into the input
//! slice). Upstream sorts with Go's unstable `sort.Sort`; here pods the upstream
//! comparator considers equal are ordered by name and then by input position, so the
//! result is deterministic. The sort is a hand-written merge sort, so it can never panic
//! even though the upstream comparator is not a strict total order (its
//! logarithmic-bucket/UID rule is not transitive).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Pod, PodCondition, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};

/// Annotation holding the pod deletion cost (`controller.kubernetes.io/pod-deletion-cost`).
pub const POD_DELETION_COST_ANNOTATION: &str = "controller.kubernetes.io/pod-deletion-cost";

/// Unix seconds of Go's zero `time.Time` (`0001-01-01T00:00:00Z`).
const GO_ZERO_UNIX_SECONDS: i64 = -62_135_596_800;

/// Converts an optional API time to `Some(instant)`, or `None` when it is absent or
/// Go's zero time (what `metav1.Time.IsZero()` reports).
pub fn non_zero_time(t: Option<&Time>) -> Option<Timestamp> {
    match t {
        Some(t) if !(t.0.as_second() == GO_ZERO_UNIX_SECONDS && t.0.subsec_nanosecond() == 0) => {
            Some(t.0)
        }
        _ => None,
    }
}

/// The pod's `status.phase` (`""` when unset).
pub fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn node_name(pod: &Pod) -> &str {
    pod.spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .unwrap_or("")
}

/// `podPhaseToOrdinal`: Pending 0 < Unknown 1 < Running 2; any other phase counts as 0.
fn phase_ordinal(pod: &Pod) -> u8 {
    match phase(pod) {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    }
}

/// Whether the pod's phase is terminal (`Succeeded` or `Failed`).
pub fn is_pod_terminal(pod: &Pod) -> bool {
    matches!(phase(pod), "Succeeded" | "Failed")
}

/// `IsPodActive`: phase is neither Succeeded nor Failed and no deletionTimestamp is set.
pub fn is_pod_active(pod: &Pod) -> bool {
    !is_pod_terminal(pod) && pod.metadata.deletion_timestamp.is_none()
}

/// `IsPodTerminating`: deletionTimestamp set and phase not terminal.
pub fn is_pod_terminating(pod: &Pod) -> bool {
    !is_pod_terminal(pod) && pod.metadata.deletion_timestamp.is_some()
}

/// The pod's first `Ready` condition (`GetPodReadyCondition`), if any.
pub fn pod_ready_condition(pod: &Pod) -> Option<&PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")
}

/// `IsPodReady`: the pod's Ready condition has status `True`.
pub fn is_pod_ready(pod: &Pod) -> bool {
    pod_ready_condition(pod).is_some_and(|c| c.status == "True")
}

/// `IsPodAvailable`: ready, and either `min_ready_seconds == 0` or the Ready condition's
/// non-zero lastTransitionTime plus `min_ready_seconds` is strictly before `now`.
pub fn is_pod_available(pod: &Pod, min_ready_seconds: i32, now: Timestamp) -> bool {
    let Some(cond) = pod_ready_condition(pod) else {
        return false;
    };
    if cond.status != "True" {
        return false;
    }
    if min_ready_seconds == 0 {
        return true;
    }
    match non_zero_time(cond.last_transition_time.as_ref()) {
        Some(t) => {
            let need = jiff::SignedDuration::from_secs(i64::from(min_ready_seconds));
            t.checked_add(need).is_ok_and(|ready_at| ready_at < now)
        }
        None => false,
    }
}

/// `podReadyTime`: for a ready pod, the lastTransitionTime of its first Ready=True
/// condition; `None` (Go's zero time) when not ready or the time is unset.
pub fn pod_ready_time(pod: &Pod) -> Option<Timestamp> {
    if !is_pod_ready(pod) {
        return None;
    }
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready" && c.status == "True")
        .and_then(|c| non_zero_time(c.last_transition_time.as_ref()))
}

/// `maxContainerRestarts`: the highest restartCount among the pod's container statuses
/// (init containers are not considered), 0 when there are none.
pub fn max_container_restarts(pod: &Pod) -> i32 {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map(|cs| cs.iter().map(|c| c.restart_count).fold(0, i32::max))
        .unwrap_or(0)
}

/// `GetDeletionCostFromPodAnnotations`: the int32 value of the pod-deletion-cost
/// annotation; 0 when absent or invalid (a leading `+` or leading zeros are invalid).
pub fn pod_deletion_cost(pod: &Pod) -> i32 {
    let Some(v) = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(POD_DELETION_COST_ANNOTATION))
    else {
        return 0;
    };
    let first_ok = match v.as_bytes().first() {
        Some(b'-') => true,
        Some(b'0') => v == "0",
        Some(c) => c.is_ascii_digit(),
        None => false,
    };
    if !first_ok {
        return 0;
    }
    v.parse::<i32>().unwrap_or(0)
}

/// `metav1.GetControllerOf`: the first ownerReference with `controller: true`.
pub fn controller_ref(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
}

/// `metav1.NewControllerRef`: an ownerReference with `controller` and
/// `blockOwnerDeletion` both true.
pub fn new_controller_ref(api_version: &str, kind: &str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        name: name.to_string(),
        uid: uid.to_string(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Whether `s` is a DNS-1123 subdomain (lowercase RFC 1123 labels joined by dots,
/// at most 253 characters).
fn is_dns1123_subdomain(s: &str) -> bool {
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    s.split('.').all(|part| {
        let b = part.as_bytes();
        let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        !b.is_empty()
            && b.first().is_some_and(alnum)
            && b.last().is_some_and(alnum)
            && b.iter().all(|c| alnum(c) || *c == b'-')
    })
}

/// `getPodsPrefix`: `"<owner>-"`, or `"<owner>"` when the dashed prefix is not a valid
/// generateName for a pod (validated with the trailing dash masked, as
/// `ValidatePodName(prefix, true)` does).
pub fn pod_name_prefix(owner_name: &str) -> String {
    let prefix = format!("{owner_name}-");
    let masked = format!("{owner_name}a");
    if is_dns1123_subdomain(&masked) {
        prefix
    } else {
        owner_name.to_string()
    }
}

fn non_empty_map(m: Option<&BTreeMap<String, String>>) -> Option<BTreeMap<String, String>> {
    m.filter(|m| !m.is_empty()).cloned()
}

/// `GetPodFromTemplate`: a new pod with the template's labels, annotations, finalizers
/// and spec, `generateName` from [`pod_name_prefix`] and `owner_ref` as its only
/// ownerReference. No name or namespace is set (the caller creates it in the owner's
/// namespace). Empty maps/lists are left unset, as Go's `omitempty` would.
pub fn pod_from_template(
    template: &PodTemplateSpec,
    owner_name: &str,
    owner_ref: &OwnerReference,
) -> Pod {
    let tmeta = template.metadata.as_ref();
    Pod {
        metadata: ObjectMeta {
            labels: non_empty_map(tmeta.and_then(|m| m.labels.as_ref())),
            annotations: non_empty_map(tmeta.and_then(|m| m.annotations.as_ref())),
            finalizers: tmeta
                .and_then(|m| m.finalizers.as_ref())
                .filter(|f| !f.is_empty())
                .cloned(),
            generate_name: Some(pod_name_prefix(owner_name)),
            owner_references: Some(vec![owner_ref.clone()]),
            ..Default::default()
        },
        spec: Some(template.spec.clone().unwrap_or_default()),
        status: None,
    }
}

/// Keeps only active pods ([`is_pod_active`]), preserving order (`FilterActivePods`).
pub fn filter_active_pods<'a>(pods: &[&'a Pod]) -> Vec<&'a Pod> {
    pods.iter().copied().filter(|p| is_pod_active(p)).collect()
}

/// `afterOrZero(t1, t2)` as an ordering: `Less` when t1 is zero or after t2.
/// Only called when the two times differ.
fn after_or_zero(t1: Option<Timestamp>, t2: Option<Timestamp>) -> Ordering {
    let less = match (t1, t2) {
        (None, _) => true,
        (_, None) => false,
        (Some(a), Some(b)) => a > b,
    };
    if less {
        Ordering::Less
    } else {
        Ordering::Greater
    }
}

/// `floor(log2(now - t))` in nanoseconds (Go `time.Duration`, saturating), or -1 when
/// `t` is not before `now`.
fn log2_age(t: Timestamp, now: Timestamp) -> i64 {
    let d = now.as_nanosecond() - t.as_nanosecond();
    let d = d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    if d > 0 { (d as f64).log2() as i64 } else { -1 }
}

/// Rules 6 and 8 under LogarithmicScaleDown: zero times via `afterOrZero`, otherwise
/// compare log2 buckets of the age; equal buckets compare UIDs (and end the comparison).
fn log_time_cmp(
    t1: Option<Timestamp>,
    t2: Option<Timestamp>,
    uid1: &str,
    uid2: &str,
    now: Timestamp,
) -> Ordering {
    match (t1, t2) {
        (Some(a), Some(b)) => {
            let diff = log2_age(a, now) - log2_age(b, now);
            if diff == 0 {
                uid1.cmp(uid2)
            } else if diff < 0 {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        _ => after_or_zero(t1, t2),
    }
}

fn uid(pod: &Pod) -> &str {
    pod.metadata.uid.as_deref().unwrap_or("")
}

/// Rules 1–3 shared by both orderings.
fn compare_head(a: &Pod, b: &Pod) -> Ordering {
    // 1. Unassigned < assigned.
    let (na, nb) = (node_name(a), node_name(b));
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return if na.is_empty() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    // 2. Pending < Unknown < Running.
    let (pa, pb) = (phase_ordinal(a), phase_ordinal(b));
    if pa != pb {
        return pa.cmp(&pb);
    }
    // 3. Not ready < ready.
    let (ra, rb) = (is_pod_ready(a), is_pod_ready(b));
    if ra != rb {
        return if ra {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    Ordering::Equal
}

/// The `ActivePodsWithRanks.Less` comparator (PodDeletionCost and LogarithmicScaleDown
/// enabled, as in 1.33): `Less` means `a` should be deleted before `b`; `Equal` means
/// upstream considers neither less than the other. Rules, first difference wins:
/// 1 unassigned first; 2 Pending < Unknown < Running; 3 not ready first; 4 lower
/// deletion cost first; 5 higher rank first; 6 both ready: more recently ready first
/// (log2 buckets of age, equal buckets decided by UID); 7 more restarts first;
/// 8 newer creationTimestamp first (log2 buckets, then UID).
pub fn compare_active_pods_with_ranks(
    a: &Pod,
    rank_a: i32,
    b: &Pod,
    rank_b: i32,
    now: Timestamp,
) -> Ordering {
    let head = compare_head(a, b);
    if head != Ordering::Equal {
        return head;
    }
    // 4. Lower pod-deletion-cost first.
    let (ca, cb) = (pod_deletion_cost(a), pod_deletion_cost(b));
    if ca != cb {
        return ca.cmp(&cb);
    }
    // 5. Higher rank (more co-located related pods) first.
    if rank_a != rank_b {
        return rank_b.cmp(&rank_a);
    }
    // 6. Both ready: more recently ready first.
    if is_pod_ready(a) && is_pod_ready(b) {
        let (ta, tb) = (pod_ready_time(a), pod_ready_time(b));
        if ta != tb {
            return log_time_cmp(ta, tb, uid(a), uid(b), now);
        }
    }
    // 7. More restarts first.
    let (xa, xb) = (max_container_restarts(a), max_container_restarts(b));
    if xa != xb {
        return xb.cmp(&xa);
    }
    // 8. Newer creation first.
    let ta = non_zero_time(a.metadata.creation_timestamp.as_ref());
    let tb = non_zero_time(b.metadata.creation_timestamp.as_ref());
    if ta != tb {
        return log_time_cmp(ta, tb, uid(a), uid(b), now);
    }
    Ordering::Equal
}

/// The plain `ActivePods.Less` comparator (no cost, no rank, no log scaling): rules
/// 1–3 as above, then more recently ready first, more restarts first, newer first.
pub fn compare_active_pods(a: &Pod, b: &Pod) -> Ordering {
    let head = compare_head(a, b);
    if head != Ordering::Equal {
        return head;
    }
    if is_pod_ready(a) && is_pod_ready(b) {
        let (ta, tb) = (pod_ready_time(a), pod_ready_time(b));
        if ta != tb {
            return after_or_zero(ta, tb);
        }
    }
    let (xa, xb) = (max_container_restarts(a), max_container_restarts(b));
    if xa != xb {
        return xb.cmp(&xa);
    }
    let ta = non_zero_time(a.metadata.creation_timestamp.as_ref());
    let tb = non_zero_time(b.metadata.creation_timestamp.as_ref());
    if ta != tb {
        return after_or_zero(ta, tb);
    }
    Ordering::Equal
}

/// Bottom-up merge sort of `0..n` by `cmp`; never panics, whatever `cmp` returns.
pub(crate) fn merge_sort_indices(
    n: usize,
    mut cmp: impl FnMut(usize, usize) -> Ordering,
) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    let mut buf: Vec<usize> = Vec::with_capacity(n);
    let mut width = 1;
    while width < n {
        buf.clear();
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            while i < mid && j < end {
                if cmp(a[j], a[i]) == Ordering::Less {
                    buf.push(a[j]);
                    j += 1;
                } else {
                    buf.push(a[i]);
                    i += 1;
                }
            }
            buf.extend_from_slice(&a[i..mid]);
            buf.extend_from_slice(&a[j..end]);
            start = end;
        }
        std::mem::swap(&mut a, &mut buf);
        width *= 2;
    }
    a
}

fn name(pod: &Pod) -> &str {
    pod.metadata.name.as_deref().unwrap_or("")
}

/// Scale-down order (`ActivePodsWithRanks`): indices into `pods`, the pod to delete
/// first at position 0. `ranks[i]` is the rank of `pods[i]` (a missing rank counts as 0).
/// Ties the upstream comparator leaves open are broken by pod name, then input position.
pub fn rank_pods_for_deletion(pods: &[&Pod], ranks: &[i32], now: Timestamp) -> Vec<usize> {
    let rank = |i: usize| ranks.get(i).copied().unwrap_or(0);
    merge_sort_indices(pods.len(), |i, j| {
        compare_active_pods_with_ranks(pods[i], rank(i), pods[j], rank(j), now)
            .then_with(|| name(pods[i]).cmp(name(pods[j])))
            .then(i.cmp(&j))
    })
}

/// Plain `ActivePods` order (used by the Job controller): indices into `pods`, the pod
/// to delete first at position 0; ties broken by pod name, then input position.
pub fn active_pods_order(pods: &[&Pod]) -> Vec<usize> {
    merge_sort_indices(pods.len(), |i, j| {
        compare_active_pods(pods[i], pods[j])
            .then_with(|| name(pods[i]).cmp(name(pods[j])))
            .then(i.cmp(&j))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ContainerStatus, PodSpec, PodStatus};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[allow(clippy::too_many_arguments)]
    fn pod(
        name: &str,
        node: &str,
        phase: &str,
        ready: bool,
        restarts: i32,
        ready_since: Option<Timestamp>,
        created: Option<Timestamp>,
        cost: Option<&str>,
    ) -> Pod {
        let (conditions, statuses) = if ready {
            (
                Some(vec![PodCondition {
                    type_: "Ready".into(),
                    status: "True".into(),
                    last_transition_time: ready_since.map(Time),
                    ..Default::default()
                }]),
                Some(vec![ContainerStatus {
                    restart_count: restarts,
                    ..Default::default()
                }]),
            )
        } else {
            (None, None)
        };
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                creation_timestamp: created.map(Time),
                annotations: cost.map(|c| {
                    BTreeMap::from([(POD_DELETION_COST_ANNOTATION.to_string(), c.to_string())])
                }),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: (!node.is_empty()).then(|| node.to_string()),
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some(phase.into()),
                conditions,
                container_statuses: statuses,
                ..Default::default()
            }),
        }
    }

    /// Port of `TestSortingActivePodsWithRanks` (PodDeletionCost and LogarithmicScaleDown on).
    // Long because: upstream's table of cases, kept as one table to compare with the Go test.
    #[test]
    fn sorting_active_pods_with_ranks() {
        let now = ts("2024-03-15T12:00:00Z");
        let then_1_month = Some(ts("2024-02-15T12:00:00Z"));
        let then_2h = Some(ts("2024-03-15T10:00:00Z"));
        let then_5h = Some(ts("2024-03-15T07:00:00Z"));
        let then_8h = Some(ts("2024-03-15T04:00:00Z"));
        let n = Some(now);
        let unscheduled = pod("unscheduled", "", "Pending", false, 0, None, None, None);
        let sched_pending = pod("pending", "node", "Pending", false, 0, None, None, None);
        let unknown = pod(
            "unknown-phase",
            "node",
            "Unknown",
            false,
            0,
            None,
            None,
            None,
        );
        let not_ready = pod("not-ready", "node", "Running", false, 0, None, None, None);
        let ready_no_ltt = pod(
            "ready-no-last-transition-time",
            "node",
            "Running",
            true,
            0,
            None,
            None,
            None,
        );
        let ready_now = pod("ready-now", "node", "Running", true, 0, n, n, None);
        let ready_then = pod(
            "ready-then",
            "node",
            "Running",
            true,
            0,
            then_1_month,
            then_1_month,
            None,
        );
        let ready_high_restarts = pod(
            "ready-high-restarts",
            "node",
            "Running",
            true,
            9001,
            n,
            n,
            None,
        );
        let ready_now_created_then = pod(
            "ready-now-created-then",
            "node",
            "Running",
            true,
            0,
            n,
            then_1_month,
            None,
        );
        let low_cost = pod(
            "low-deletion-cost",
            "node",
            "Running",
            true,
            0,
            n,
            then_1_month,
            Some("10"),
        );
        let high_cost = pod(
            "high-deletion-cost",
            "node",
            "Running",
            true,
            0,
            n,
            then_1_month,
            Some("100"),
        );
        let unscheduled_5h = pod(
            "unscheduled-5-hours",
            "",
            "Pending",
            false,
            0,
            then_5h,
            then_5h,
            None,
        );
        let unscheduled_8h = pod(
            "unscheduled-10-hours",
            "",
            "Pending",
            false,
            0,
            then_8h,
            then_8h,
            None,
        );
        let ready_2h = pod(
            "ready-2-hours",
            "",
            "Running",
            true,
            0,
            then_2h,
            then_1_month,
            None,
        );
        let ready_5h = pod(
            "ready-5-hours",
            "",
            "Running",
            true,
            0,
            then_5h,
            then_1_month,
            None,
        );
        let ready_10h = pod(
            "ready-10-hours",
            "",
            "Running",
            true,
            0,
            then_8h,
            then_1_month,
            None,
        );

        let equal: Vec<(&Pod, &Pod)> = vec![
            (&unscheduled, &unscheduled),
            (&sched_pending, &sched_pending),
            (&unknown, &unknown),
            (&not_ready, &not_ready),
            (&ready_now_created_then, &ready_now_created_then),
            (&ready_now, &ready_now),
            (&ready_then, &ready_then),
            (&ready_high_restarts, &ready_high_restarts),
            (&unscheduled_5h, &unscheduled_8h),
            (&ready_5h, &ready_10h),
        ];
        for (i, (p1, p2)) in equal.iter().enumerate() {
            assert_eq!(
                compare_active_pods_with_ranks(p1, 1, p2, 1, now),
                Ordering::Equal,
                "equality test {i}"
            );
            assert_eq!(
                compare_active_pods_with_ranks(p2, 1, p1, 1, now),
                Ordering::Equal,
                "equality test {i} (reversed)"
            );
        }

        type Ranked<'a> = (&'a Pod, i32);
        let less: Vec<(Ranked, Ranked)> = vec![
            ((&unscheduled, 1), (&sched_pending, 2)),
            ((&unscheduled, 2), (&sched_pending, 1)),
            ((&sched_pending, 1), (&unknown, 2)),
            ((&unknown, 1), (&not_ready, 2)),
            ((&not_ready, 1), (&ready_no_ltt, 1)),
            ((&ready_no_ltt, 1), (&ready_now, 1)),
            ((&ready_now, 2), (&ready_no_ltt, 1)),
            ((&ready_now, 1), (&ready_then, 1)),
            ((&ready_now, 2), (&ready_then, 1)),
            ((&ready_high_restarts, 1), (&ready_now, 1)),
            ((&ready_now, 2), (&ready_high_restarts, 1)),
            ((&ready_now, 1), (&ready_now_created_then, 1)),
            ((&ready_now_created_then, 2), (&ready_now, 1)),
            ((&low_cost, 2), (&high_cost, 1)),
            ((&ready_2h, 1), (&ready_5h, 1)),
        ];
        for (i, ((a, ra), (b, rb))) in less.iter().enumerate() {
            assert_eq!(
                compare_active_pods_with_ranks(a, *ra, b, *rb, now),
                Ordering::Less,
                "inequality test {i}: {:?} < {:?}",
                a.metadata.name,
                b.metadata.name
            );
            assert_eq!(
                compare_active_pods_with_ranks(b, *rb, a, *ra, now),
                Ordering::Greater,
                "inequality test {i} reversed"
            );
        }

        // Whole-list ordering, deterministic on ties (name).
        let all = [
            &ready_then,
            &ready_now,
            &not_ready,
            &unscheduled,
            &unknown,
            &sched_pending,
        ];
        let order = rank_pods_for_deletion(&all, &[1; 6], now);
        let names: Vec<&str> = order.iter().map(|&i| name(all[i])).collect();
        assert_eq!(
            names,
            [
                "unscheduled",
                "pending",
                "unknown-phase",
                "not-ready",
                "ready-now",
                "ready-then"
            ]
        );
        // Equal under upstream: ties go by name.
        let tie = [&unscheduled_5h, &unscheduled_8h];
        let order = rank_pods_for_deletion(&tie, &[1, 1], now);
        assert_eq!(order, [1, 0]); // "unscheduled-10-hours" < "unscheduled-5-hours"
    }

    #[test]
    fn plain_active_pods_order() {
        let now = ts("2024-03-15T12:00:00Z");
        let n = Some(now);
        let old = Some(ts("2024-03-15T07:00:00Z"));
        let older = Some(ts("2024-03-15T04:00:00Z"));
        // Without log scaling, 5h vs 8h ago differ: more recently ready first.
        let a = pod("a", "node", "Running", true, 0, older, older, None);
        let b = pod("b", "node", "Running", true, 0, old, older, None);
        let c = pod("c", "node", "Running", true, 3, n, older, None);
        let d = pod("d", "", "Pending", false, 0, None, n, None);
        let pods = [&a, &b, &c, &d];
        let names: Vec<&str> = active_pods_order(&pods)
            .iter()
            .map(|&i| name(pods[i]))
            .collect();
        assert_eq!(names, ["d", "c", "b", "a"]);
        assert_eq!(compare_active_pods(&b, &a), Ordering::Less);
        // Cost and rank are ignored by the plain order.
        let x = pod("x", "node", "Running", true, 0, n, n, Some("100"));
        let y = pod("y", "node", "Running", true, 0, n, n, Some("-5"));
        assert_eq!(compare_active_pods(&x, &y), Ordering::Equal);
        assert_eq!(
            compare_active_pods_with_ranks(&x, 1, &y, 1, now),
            Ordering::Greater
        );
    }

    #[test]
    fn predicates() {
        let now = ts("2024-03-15T12:00:00Z");
        let mut p = pod(
            "p",
            "n",
            "Running",
            true,
            0,
            Some(ts("2024-03-15T11:59:50Z")),
            None,
            None,
        );
        assert!(is_pod_active(&p));
        assert!(!is_pod_terminating(&p));
        assert!(is_pod_ready(&p));
        assert!(is_pod_available(&p, 0, now));
        assert!(is_pod_available(&p, 9, now));
        assert!(!is_pod_available(&p, 10, now)); // strictly before
        assert!(!is_pod_available(&p, 11, now));
        assert_eq!(pod_ready_time(&p), Some(ts("2024-03-15T11:59:50Z")));
        p.metadata.deletion_timestamp = Some(Time(now));
        assert!(!is_pod_active(&p));
        assert!(is_pod_terminating(&p));
        p.status.as_mut().unwrap().phase = Some("Succeeded".into());
        assert!(!is_pod_active(&p));
        assert!(!is_pod_terminating(&p));
        // Ready with no transition time: available only with minReadySeconds 0.
        let q = pod("q", "n", "Running", true, 0, None, None, None);
        assert!(is_pod_available(&q, 0, now));
        assert!(!is_pod_available(&q, 1, now));
        assert_eq!(pod_ready_time(&q), None);
        let r = pod("r", "n", "Running", false, 0, None, None, None);
        assert!(!is_pod_ready(&r));
        assert!(!is_pod_available(&r, 0, now));
        // Go zero time counts as zero.
        let zero = Time(Timestamp::from_second(GO_ZERO_UNIX_SECONDS).unwrap());
        assert_eq!(non_zero_time(Some(&zero)), None);
    }

    #[test]
    fn deletion_cost_parsing() {
        let cases = [
            ("10", 10),
            ("-3", -3),
            ("0", 0),
            ("+10", 0),
            ("008", 0),
            ("", 0),
            ("abc", 0),
            ("2147483648", 0),
            ("-2147483648", i32::MIN),
        ];
        for (v, want) in cases {
            let p = pod("p", "", "Pending", false, 0, None, None, Some(v));
            assert_eq!(pod_deletion_cost(&p), want, "{v:?}");
        }
        let p = pod("p", "", "Pending", false, 0, None, None, None);
        assert_eq!(pod_deletion_cost(&p), 0);
    }

    #[test]
    fn controller_refs_and_template() {
        let r = new_controller_ref("apps/v1", "ReplicaSet", "web", "uid-1");
        assert_eq!(r.controller, Some(true));
        assert_eq!(r.block_owner_deletion, Some(true));
        let meta = ObjectMeta {
            owner_references: Some(vec![
                OwnerReference {
                    kind: "Other".into(),
                    ..Default::default()
                },
                r.clone(),
            ]),
            ..Default::default()
        };
        assert_eq!(controller_ref(&meta), Some(&r));
        assert_eq!(controller_ref(&ObjectMeta::default()), None);

        let template = PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some(BTreeMap::from([("app".into(), "web".into())])),
                annotations: Some(BTreeMap::new()),
                finalizers: Some(vec!["f".into()]),
                name: Some("ignored".into()),
                ..Default::default()
            }),
            spec: Some(PodSpec {
                node_selector: Some(BTreeMap::from([("a".into(), "b".into())])),
                ..Default::default()
            }),
        };
        let p = pod_from_template(&template, "web", &r);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "generateName": "web-",
                    "labels": {"app": "web"},
                    "finalizers": ["f"],
                    "ownerReferences": [{
                        "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web",
                        "uid": "uid-1", "controller": true, "blockOwnerDeletion": true
                    }]
                },
                "spec": {"containers": [], "nodeSelector": {"a": "b"}}
            })
        );
        assert_eq!(
            pod_name_prefix(&"a".repeat(252)),
            format!("{}-", "a".repeat(252))
        );
        assert_eq!(pod_name_prefix(&"a".repeat(253)), "a".repeat(253));
        assert_eq!(pod_name_prefix("Bad_Name"), "Bad_Name");
    }

    #[test]
    fn merge_sort_survives_inconsistent_comparator() {
        // A comparator that is not a total order must not panic.
        let order = merge_sort_indices(50, |i, j| {
            if (i + j) % 3 == 0 {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        });
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    }
}
