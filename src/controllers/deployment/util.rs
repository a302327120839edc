//! Pure helpers of the Deployment controller: the port of upstream
//! `pkg/controller/deployment/util/deployment_util.go` plus the bits of
//! `pkg/controller/controller_utils.go` it relies on (sorting, `ComputeHash`).
//!
//! Everything here is a function of its arguments only (no clock, no I/O), so the
//! upstream table tests can be ported one to one (see the tests at the bottom).
//!
//! Conventions: a Deployment's or ReplicaSet's `spec.replicas` that is unset counts as 1
//! (the API default); a Deployment whose strategy (or `rollingUpdate` block) is unset is
//! treated as the defaulted `RollingUpdate` with `maxSurge`/`maxUnavailable` `25%`.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentCondition, DeploymentSpec, DeploymentStatus, ReplicaSet,
    ReplicaSetCondition,
};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// RS and Deployment annotation holding the rollout sequence number.
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// RS annotation listing earlier revisions an RS served (set when it is re-used).
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// RS annotation: the Deployment's `spec.replicas` when the RS was last scaled.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// RS annotation: `spec.replicas + maxSurge` when the RS was last scaled.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// Legacy (extensions/v1beta1) rollback request carried as a Deployment annotation.
pub const ROLLBACK_TO_ANNOTATION: &str = "deprecated.deployment.rollback.to";
/// `kubectl apply`'s annotation; never copied between Deployment and RS.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// Free-text change cause shown by `kubectl rollout history`.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";
/// Label added to the RS, its selector and its pod template.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// Deployment condition types.
pub const CONDITION_AVAILABLE: &str = "Available";
/// Deployment condition type Progressing.
pub const CONDITION_PROGRESSING: &str = "Progressing";
/// Deployment/RS condition type ReplicaFailure.
pub const CONDITION_REPLICA_FAILURE: &str = "ReplicaFailure";

/// Progressing reason: a replica set of the rollout was scaled.
pub const REASON_RS_UPDATED: &str = "ReplicaSetUpdated";
/// Progressing reason: creating the new RS failed.
pub const REASON_FAILED_RS_CREATE: &str = "ReplicaSetCreateError";
/// Progressing reason: the controller created the new RS.
pub const REASON_NEW_RS_CREATED: &str = "NewReplicaSetCreated";
/// Progressing reason: an existing new RS was found (no condition existed yet).
pub const REASON_FOUND_NEW_RS: &str = "FoundNewReplicaSet";
/// Progressing reason: the rollout completed.
pub const REASON_NEW_RS_AVAILABLE: &str = "NewReplicaSetAvailable";
/// Progressing reason: no progress within progressDeadlineSeconds.
pub const REASON_TIMED_OUT: &str = "ProgressDeadlineExceeded";
/// Progressing reason: the Deployment is paused.
pub const REASON_PAUSED: &str = "DeploymentPaused";
/// Progressing reason: the Deployment was resumed.
pub const REASON_RESUMED: &str = "DeploymentResumed";
/// Available reason (True).
pub const REASON_MIN_AVAILABLE: &str = "MinimumReplicasAvailable";
/// Available reason (False).
pub const REASON_MIN_UNAVAILABLE: &str = "MinimumReplicasUnavailable";
/// Legacy rollback event reasons.
pub const REASON_ROLLBACK_NOT_FOUND: &str = "DeploymentRollbackRevisionNotFound";
/// Legacy rollback: template unchanged.
pub const REASON_ROLLBACK_UNCHANGED: &str = "DeploymentRollbackTemplateUnchanged";
/// Legacy rollback: done.
pub const REASON_ROLLBACK_DONE: &str = "DeploymentRollback";

/// Limit of the revision-history annotation (upstream `maxRevHistoryLengthInChars`).
pub const MAX_REV_HISTORY_LENGTH_IN_CHARS: usize = 2000;

/// Annotations never copied from a Deployment to its RS nor back on rollback.
pub const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    LAST_APPLIED_ANNOTATION,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    ROLLBACK_TO_ANNOTATION,
];

/// Upstream `skipCopyAnnotation`.
pub fn skip_copy_annotation(key: &str) -> bool {
    ANNOTATIONS_TO_SKIP.contains(&key)
}

/// `math.MaxInt32`: "disabled" for progressDeadlineSeconds and revisionHistoryLimit.
pub const MAX_INT32: i32 = i32::MAX;

// ---------------------------------------------------------------------------
// IntOrString and rolling-update math
// ---------------------------------------------------------------------------

/// `intstr.GetScaledValueFromIntOrPercent`: an int is returned as is; `"N%"` is scaled
/// against `total`, rounding up or down. Errors use apimachinery's exact words.
pub fn scaled_value(v: &IntOrString, total: i32, round_up: bool) -> Result<i32, String> {
    match v {
        IntOrString::Int(i) => Ok(*i),
        IntOrString::String(s) => {
            let Some(num) = s.strip_suffix('%') else {
                return Err(
                    "invalid value for IntOrString: invalid type: string is not a percentage"
                        .to_string(),
                );
            };
            let pct: i64 = num.parse().map_err(|_| {
                format!(
                    "invalid value for IntOrString: invalid value {s:?}: strconv.Atoi: parsing {num:?}: invalid syntax"
                )
            })?;
            let x = pct as f64 * f64::from(total) / 100.0;
            let r = if round_up { x.ceil() } else { x.floor() };
            Ok(r as i32)
        }
    }
}

/// A sum of int32s as Go computes it (wrapping; a debug build would panic on the overflow).
pub fn sum32(values: impl Iterator<Item = i32>) -> i32 {
    values.fold(0, i32::wrapping_add)
}

/// `ResolveFenceposts`: resolves maxSurge (rounded up) and maxUnavailable (rounded down)
/// against `desired`; unset counts as 0; if both resolve to 0, maxUnavailable becomes 1.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), String> {
    let zero = IntOrString::Int(0);
    let surge = scaled_value(max_surge.unwrap_or(&zero), desired, true)?;
    let mut unavailable = scaled_value(max_unavailable.unwrap_or(&zero), desired, false)?;
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    Ok((surge, unavailable))
}

pub(crate) fn spec(d: &Deployment) -> Option<&DeploymentSpec> {
    d.spec.as_ref()
}

/// The Deployment's `spec.replicas` (unset = 1).
pub fn replicas(d: &Deployment) -> i32 {
    spec(d).and_then(|s| s.replicas).unwrap_or(1)
}

/// True when the strategy is RollingUpdate (an unset strategy type defaults to it).
pub fn is_rolling_update(d: &Deployment) -> bool {
    strategy_type(d) == "RollingUpdate"
}

/// The strategy type, defaulted to `RollingUpdate`.
pub fn strategy_type(d: &Deployment) -> &str {
    spec(d)
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate")
}

/// The (defaulted) maxSurge / maxUnavailable of a RollingUpdate Deployment.
fn rolling_params(d: &Deployment) -> (IntOrString, IntOrString) {
    let ru = spec(d)
        .and_then(|s| s.strategy.as_ref())
        .and_then(|s| s.rolling_update.as_ref());
    let def = || IntOrString::String("25%".to_string());
    (
        ru.and_then(|r| r.max_surge.clone()).unwrap_or_else(def),
        ru.and_then(|r| r.max_unavailable.clone())
            .unwrap_or_else(def),
    )
}

/// `MaxSurge(d)`: 0 unless RollingUpdate (errors, caught by validation, count as 0).
pub fn max_surge(d: &Deployment) -> i32 {
    if !is_rolling_update(d) {
        return 0;
    }
    let (s, u) = rolling_params(d);
    resolve_fenceposts(Some(&s), Some(&u), replicas(d)).map_or(0, |(s, _)| s)
}

/// `MaxUnavailable(d)`: 0 unless RollingUpdate with replicas > 0; capped at replicas.
pub fn max_unavailable(d: &Deployment) -> i32 {
    let r = replicas(d);
    if !is_rolling_update(d) || r == 0 {
        return 0;
    }
    let (s, u) = rolling_params(d);
    let mu = resolve_fenceposts(Some(&s), Some(&u), r).map_or(0, |(_, u)| u);
    mu.min(r)
}

/// `MinAvailable(d)`: replicas − MaxUnavailable (0 unless RollingUpdate).
pub fn min_available(d: &Deployment) -> i32 {
    if !is_rolling_update(d) {
        return 0;
    }
    replicas(d).wrapping_sub(max_unavailable(d))
}

/// `NewRSNewReplicas`: the size the new RS should have now. `all` must include `new_rs`.
pub fn new_rs_new_replicas(
    d: &Deployment,
    all: &[&ReplicaSet],
    new_rs: &ReplicaSet,
) -> Result<i32, String> {
    match strategy_type(d) {
        "RollingUpdate" => {
            let (s, _) = rolling_params(d);
            let max_surge = scaled_value(&s, replicas(d), true)?;
            let current: i32 = sum32(all.iter().map(|rs| rs_replicas(rs)));
            let max_total = replicas(d).wrapping_add(max_surge);
            let new = rs_replicas(new_rs);
            if current >= max_total {
                return Ok(new);
            }
            let up = max_total
                .wrapping_sub(current)
                .min(replicas(d).wrapping_sub(new));
            Ok(new.wrapping_add(up))
        }
        "Recreate" => Ok(replicas(d)),
        other => Err(format!("deployment type {other} isn't supported")),
    }
}

/// True when a progress deadline is set and not MaxInt32.
pub fn has_progress_deadline(d: &Deployment) -> bool {
    spec(d)
        .and_then(|s| s.progress_deadline_seconds)
        .is_some_and(|p| p != MAX_INT32)
}

/// True when a revision history limit is set and not MaxInt32.
pub fn has_revision_history_limit(d: &Deployment) -> bool {
    spec(d)
        .and_then(|s| s.revision_history_limit)
        .is_some_and(|p| p != MAX_INT32)
}

/// `spec.paused`.
pub fn is_paused(d: &Deployment) -> bool {
    spec(d).and_then(|s| s.paused).unwrap_or(false)
}

/// `spec.minReadySeconds` (unset = 0).
pub fn min_ready_seconds(d: &Deployment) -> i32 {
    spec(d).and_then(|s| s.min_ready_seconds).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// ReplicaSet accessors and sums
// ---------------------------------------------------------------------------

/// RS `spec.replicas` (unset = 1).
pub fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

/// RS `status.replicas`.
pub fn rs_status_replicas(rs: &ReplicaSet) -> i32 {
    rs.status.as_ref().map_or(0, |s| s.replicas)
}

/// RS `status.availableReplicas`.
pub fn rs_available(rs: &ReplicaSet) -> i32 {
    rs.status
        .as_ref()
        .and_then(|s| s.available_replicas)
        .unwrap_or(0)
}

/// RS `status.readyReplicas`.
pub fn rs_ready(rs: &ReplicaSet) -> i32 {
    rs.status
        .as_ref()
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0)
}

/// Set RS `spec.replicas`.
pub(crate) fn set_rs_replicas(rs: &mut ReplicaSet, n: i32) {
    rs.spec.get_or_insert_with(Default::default).replicas = Some(n);
}

/// RS pod template (an RS without one compares as an empty template).
pub fn rs_template(rs: &ReplicaSet) -> PodTemplateSpec {
    rs.spec
        .as_ref()
        .and_then(|s| s.template.clone())
        .unwrap_or_default()
}

/// `Revision(obj)`: the revision annotation; missing = 0; unparseable = Err.
pub fn revision_of(ann: Option<&BTreeMap<String, String>>) -> Result<i64, String> {
    match ann.and_then(|a| a.get(REVISION_ANNOTATION)) {
        None => Ok(0),
        Some(v) => v
            .parse::<i64>()
            .map_err(|_| format!("strconv.ParseInt: parsing {v:?}: invalid syntax")),
    }
}

/// `Revision(rs)`.
pub fn rs_revision(rs: &ReplicaSet) -> Result<i64, String> {
    revision_of(rs.metadata.annotations.as_ref())
}

/// `MaxRevision`: highest parseable revision (0 when none).
pub fn max_revision(rss: &[&ReplicaSet]) -> i64 {
    rss.iter()
        .filter_map(|rs| rs_revision(rs).ok())
        .fold(0, i64::max)
}

/// `LastRevision`: the second-highest revision (0 when none).
pub fn last_revision(rss: &[&ReplicaSet]) -> i64 {
    let (mut max, mut sec) = (0i64, 0i64);
    for v in rss.iter().filter_map(|rs| rs_revision(rs).ok()) {
        if v >= max {
            sec = max;
            max = v;
        } else if v > sec {
            sec = v;
        }
    }
    sec
}

fn int_annotation(rs: &ReplicaSet, key: &str) -> Option<i32> {
    rs.metadata
        .annotations
        .as_ref()?
        .get(key)?
        .parse::<i64>()
        .ok()
        .map(|v| v as i32)
}

/// The desired-replicas annotation, if present and parseable.
pub fn desired_replicas_annotation(rs: &ReplicaSet) -> Option<i32> {
    int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)
}

/// The max-replicas annotation, if present and parseable.
pub fn max_replicas_annotation(rs: &ReplicaSet) -> Option<i32> {
    int_annotation(rs, MAX_REPLICAS_ANNOTATION)
}

/// `ReplicasAnnotationsNeedUpdate`.
pub fn replicas_annotations_need_update(rs: &ReplicaSet, desired: i32, max: i32) -> bool {
    let Some(a) = rs.metadata.annotations.as_ref() else {
        return true;
    };
    a.get(DESIRED_REPLICAS_ANNOTATION).map(String::as_str) != Some(desired.to_string().as_str())
        || a.get(MAX_REPLICAS_ANNOTATION).map(String::as_str) != Some(max.to_string().as_str())
}

/// `SetReplicasAnnotations`; returns whether anything changed.
pub fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let a = rs.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let mut updated = false;
    for (k, v) in [
        (DESIRED_REPLICAS_ANNOTATION, desired.to_string()),
        (MAX_REPLICAS_ANNOTATION, max.to_string()),
    ] {
        if a.get(k) != Some(&v) {
            a.insert(k.to_string(), v);
            updated = true;
        }
    }
    updated
}

/// `IsSaturated`: the new RS owns all desired replicas, believes so, and all are available.
pub fn is_saturated(d: &Deployment, rs: Option<&ReplicaSet>) -> bool {
    let Some(rs) = rs else { return false };
    let Some(desired) = rs
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(DESIRED_REPLICAS_ANNOTATION))
        .and_then(|v| v.parse::<i64>().ok())
    else {
        return false;
    };
    let r = replicas(d);
    rs_replicas(rs) == r && desired as i32 == r && rs_available(rs) == r
}

/// `GetProportion`: how many replicas `rs` gets of `to_add` during proportional scaling.
pub fn get_proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if rs_replicas(rs) == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, d);
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

fn replica_set_fraction(rs: &ReplicaSet, d: &Deployment) -> i32 {
    if replicas(d) == 0 {
        return -rs_replicas(rs);
    }
    let deployment_replicas = replicas(d).wrapping_add(max_surge(d));
    let annotated = max_replicas_annotation(rs).unwrap_or_else(|| {
        d.status
            .as_ref()
            .and_then(|s| s.replicas)
            .unwrap_or_default()
    });
    let size = f64::from(rs_replicas(rs) * deployment_replicas) / f64::from(annotated);
    // math.Round: half away from zero, like f64::round.
    (size.round() as i32) - rs_replicas(rs)
}

// ---------------------------------------------------------------------------
// Sorting
// ---------------------------------------------------------------------------

fn creation(rs: &ReplicaSet) -> Option<jiff::Timestamp> {
    rs.metadata.creation_timestamp.as_ref().map(|t| t.0)
}

/// `ReplicaSetsByCreationTimestamp`: oldest first, ties by name (unset time = oldest).
pub fn cmp_by_creation(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    creation(a)
        .cmp(&creation(b))
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// `ReplicaSetsBySizeOlder`: larger first; ties older first.
pub fn cmp_by_size_older(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    rs_replicas(b)
        .cmp(&rs_replicas(a))
        .then_with(|| cmp_by_creation(a, b))
}

/// `ReplicaSetsBySizeNewer`: larger first; ties newer first.
pub fn cmp_by_size_newer(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    rs_replicas(b)
        .cmp(&rs_replicas(a))
        .then_with(|| cmp_by_creation(b, a))
}

/// `ReplicaSetsByRevision`: revision ascending; equal or unparseable → by creation.
pub fn cmp_by_revision(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    match (rs_revision(a), rs_revision(b)) {
        (Ok(x), Ok(y)) if x != y => x.cmp(&y),
        _ => cmp_by_creation(a, b),
    }
}

// ---------------------------------------------------------------------------
// Templates: equality and hashing
// ---------------------------------------------------------------------------

/// Keys whose values are Go maps: an empty map equals an absent one (as in
/// `apiequality.Semantic.DeepEqual`).
const MAP_KEYS: [&str; 8] = [
    "labels",
    "annotations",
    "nodeSelector",
    "limits",
    "requests",
    "overhead",
    "matchLabels",
    "claims",
];

fn normalize(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for x in m.values_mut() {
                normalize(x);
            }
            m.retain(|k, x| match x {
                serde_json::Value::Null => false,
                serde_json::Value::Array(a) => !a.is_empty(),
                serde_json::Value::Object(o) => !(o.is_empty() && MAP_KEYS.contains(&k.as_str())),
                _ => true,
            });
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(normalize),
        _ => {}
    }
}

fn semantic_value(t: &PodTemplateSpec) -> serde_json::Value {
    let mut t = t.clone();
    if let Some(l) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        l.remove(POD_TEMPLATE_HASH_LABEL);
    }
    let mut v = serde_json::to_value(&t).unwrap_or(serde_json::Value::Null);
    normalize(&mut v);
    v
}

/// `EqualIgnoreHash`: semantic equality of two pod templates ignoring the
/// `pod-template-hash` label. Like Go's `Semantic.DeepEqual`, unset and empty lists
/// and label/annotation-style maps compare equal.
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    semantic_value(a) == semantic_value(b)
}

const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `rand.SafeEncodeString`: each character `c` becomes `alphabet[c % 27]`.
pub fn safe_encode_string(s: &str) -> String {
    s.chars()
        .map(|c| SAFE_ALPHABET[(c as usize) % SAFE_ALPHABET.len()] as char)
        .collect()
}

fn fnv32a(state: u32, bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(state, |h, b| (h ^ u32::from(*b)).wrapping_mul(16_777_619))
}

/// `ComputeHash(template, collisionCount)`: the `pod-template-hash` value.
///
/// FNV-32a over a stable serialization of the template — its canonical JSON as
/// k8s-openapi writes it (fixed field order, sorted map keys) — instead of Go's
/// `spew` deep print, so values differ from a real cluster's but are stable per
/// template. If `collision_count` is set, its value as little-endian u32 padded to 8
/// bytes is hashed in too (as upstream). The decimal form of the 32-bit sum is mapped
/// through [`safe_encode_string`], giving ≤10 characters from `4-9bcdf`.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let bytes = serde_json::to_vec(template).unwrap_or_default();
    let mut h = fnv32a(2_166_136_261, &bytes);
    if let Some(c) = collision_count {
        let mut buf = [0u8; 8];
        buf[..4].copy_from_slice(&(c as u32).to_le_bytes());
        h = fnv32a(h, &buf);
    }
    safe_encode_string(&h.to_string())
}

// ---------------------------------------------------------------------------
// Conditions and status predicates
// ---------------------------------------------------------------------------

/// Truncate to whole seconds: `metav1.Time` serializes with second precision, so a
/// condition written with sub-second time would never compare equal after a round trip.
pub fn to_time(now: jiff::Timestamp) -> Time {
    Time(jiff::Timestamp::from_second(now.as_second()).unwrap_or(now))
}

/// `NewDeploymentCondition` at `now`.
pub fn new_condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: String,
    now: jiff::Timestamp,
) -> DeploymentCondition {
    DeploymentCondition {
        type_: type_.to_string(),
        status: status.to_string(),
        last_update_time: Some(to_time(now)),
        last_transition_time: Some(to_time(now)),
        reason: Some(reason.to_string()),
        message: Some(message),
    }
}

/// `GetDeploymentCondition`.
pub fn get_condition<'a>(
    status: Option<&'a DeploymentStatus>,
    type_: &str,
) -> Option<&'a DeploymentCondition> {
    status?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

/// `SetDeploymentCondition`: no-op if a condition of that type already has the same
/// status and reason; keeps lastTransitionTime when only the reason changes; the
/// (re)written condition moves to the end of the list.
pub fn set_condition(status: &mut DeploymentStatus, mut c: DeploymentCondition) {
    if let Some(cur) = get_condition(Some(status), &c.type_) {
        if cur.status == c.status && cur.reason == c.reason {
            return;
        }
        if cur.status == c.status {
            c.last_transition_time = cur.last_transition_time.clone();
        }
    }
    let mut conds: Vec<_> = status
        .conditions
        .take()
        .unwrap_or_default()
        .into_iter()
        .filter(|x| x.type_ != c.type_)
        .collect();
    conds.push(c);
    status.conditions = Some(conds);
}

/// `RemoveDeploymentCondition` (an empty list becomes unset, like Go's nil slice).
pub fn remove_condition(status: &mut DeploymentStatus, type_: &str) {
    let conds: Vec<_> = status
        .conditions
        .take()
        .unwrap_or_default()
        .into_iter()
        .filter(|x| x.type_ != type_)
        .collect();
    status.conditions = if conds.is_empty() { None } else { Some(conds) };
}

/// `ReplicaSetToDeploymentCondition`.
pub fn rs_to_deployment_condition(c: &ReplicaSetCondition) -> DeploymentCondition {
    DeploymentCondition {
        type_: c.type_.clone(),
        status: c.status.clone(),
        last_transition_time: c.last_transition_time.clone(),
        last_update_time: c.last_transition_time.clone(),
        reason: c.reason.clone(),
        message: c.message.clone(),
    }
}

/// Status with Go's zero values represented as unset fields (how the API stores them,
/// every int field being `omitempty`), so statuses compare like `reflect.DeepEqual`.
pub fn normalize_status(s: &DeploymentStatus) -> DeploymentStatus {
    let nz32 = |v: Option<i32>| v.filter(|x| *x != 0);
    DeploymentStatus {
        available_replicas: nz32(s.available_replicas),
        collision_count: s.collision_count,
        conditions: s.conditions.clone().filter(|c| !c.is_empty()),
        observed_generation: s.observed_generation.filter(|x| *x != 0),
        ready_replicas: nz32(s.ready_replicas),
        replicas: nz32(s.replicas),
        terminating_replicas: s.terminating_replicas,
        unavailable_replicas: nz32(s.unavailable_replicas),
        updated_replicas: nz32(s.updated_replicas),
    }
}

fn st(v: Option<i32>) -> i32 {
    v.unwrap_or(0)
}

/// `DeploymentComplete`: all desired replicas updated and available, no old ones, and
/// the status observed the current generation.
pub fn deployment_complete(d: &Deployment, s: &DeploymentStatus) -> bool {
    let r = replicas(d);
    st(s.updated_replicas) == r
        && st(s.replicas) == r
        && st(s.available_replicas) == r
        && s.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0)
}

/// `DeploymentProgressing`: the new status shows progress over the stored one.
pub fn deployment_progressing(d: &Deployment, new: &DeploymentStatus) -> bool {
    let old = d.status.clone().unwrap_or_default();
    let old_old = st(old.replicas) - st(old.updated_replicas);
    let new_old = st(new.replicas) - st(new.updated_replicas);
    st(new.updated_replicas) > st(old.updated_replicas)
        || new_old < old_old
        || st(new.ready_replicas) > st(old.ready_replicas)
        || st(new.available_replicas) > st(old.available_replicas)
}

/// `DeploymentTimedOut`: the Progressing condition of `new` is already timed out, or its
/// lastUpdateTime + progressDeadlineSeconds is strictly before `now`.
pub fn deployment_timed_out(d: &Deployment, new: &DeploymentStatus, now: jiff::Timestamp) -> bool {
    if !has_progress_deadline(d) {
        return false;
    }
    let Some(c) = get_condition(Some(new), CONDITION_PROGRESSING) else {
        return false;
    };
    match c.reason.as_deref() {
        Some(REASON_NEW_RS_AVAILABLE) => return false,
        Some(REASON_TIMED_OUT) => return true,
        _ => {}
    }
    let deadline = i64::from(
        spec(d)
            .and_then(|s| s.progress_deadline_seconds)
            .unwrap_or(0),
    );
    let from = c
        .last_update_time
        .as_ref()
        .map_or(jiff::Timestamp::UNIX_EPOCH, |t| t.0);
    // from + deadline strictly before now (Go: from.Add(delta).Before(now)).
    from.checked_add(jiff::SignedDuration::from_secs(deadline))
        .is_ok_and(|t| t < now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::{
        DeploymentStrategy, ReplicaSetSpec, ReplicaSetStatus, RollingUpdateDeployment,
    };

    fn pct(s: &str) -> IntOrString {
        IntOrString::String(s.to_string())
    }

    pub(crate) fn dep(replicas: i32, surge: IntOrString, unavail: IntOrString) -> Deployment {
        Deployment {
            spec: Some(DeploymentSpec {
                replicas: Some(replicas),
                strategy: Some(DeploymentStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: Some(RollingUpdateDeployment {
                        max_surge: Some(surge),
                        max_unavailable: Some(unavail),
                    }),
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn recreate(replicas: i32) -> Deployment {
        let mut d = dep(replicas, IntOrString::Int(1), IntOrString::Int(1));
        d.spec.as_mut().unwrap().strategy = Some(DeploymentStrategy {
            type_: Some("Recreate".into()),
            rolling_update: None,
        });
        d
    }

    fn rs(replicas: i32) -> ReplicaSet {
        ReplicaSet {
            spec: Some(ReplicaSetSpec {
                replicas: Some(replicas),
                ..Default::default()
            }),
            status: Some(ReplicaSetStatus::default()),
            ..Default::default()
        }
    }

    #[test]
    fn test_resolve_fenceposts() {
        type Case = (
            Option<IntOrString>,
            Option<IntOrString>,
            i32,
            Option<(i32, i32)>,
        );
        let cases: Vec<Case> = vec![
            (Some(pct("0%")), Some(pct("0%")), 0, Some((0, 1))),
            (Some(pct("39%")), Some(pct("39%")), 10, Some((4, 3))),
            (Some(pct("oops")), Some(pct("39%")), 10, None),
            (Some(pct("55%")), Some(pct("urg")), 10, None),
            (None, Some(pct("39%")), 10, Some((0, 3))),
            (Some(pct("39%")), None, 10, Some((4, 0))),
            (None, None, 10, Some((0, 1))),
        ];
        for (s, u, desired, want) in cases {
            let got = resolve_fenceposts(s.as_ref(), u.as_ref(), desired).ok();
            assert_eq!(got, want, "{s:?} {u:?} {desired}");
        }
        assert_eq!(
            resolve_fenceposts(Some(&pct("oops")), None, 10).unwrap_err(),
            "invalid value for IntOrString: invalid type: string is not a percentage"
        );
    }

    #[test]
    fn test_max_unavailable() {
        let one = IntOrString::Int(1);
        let cases = vec![
            (dep(10, one.clone(), IntOrString::Int(5)), 5),
            (dep(10, one.clone(), IntOrString::Int(10)), 10),
            (dep(5, one.clone(), IntOrString::Int(10)), 5),
            (dep(0, one.clone(), IntOrString::Int(10)), 0),
            (recreate(10), 0),
            (dep(10, one.clone(), pct("50%")), 5),
            (dep(10, one.clone(), pct("100%")), 10),
            (dep(5, one.clone(), pct("100%")), 5),
        ];
        for (i, (d, want)) in cases.into_iter().enumerate() {
            assert_eq!(max_unavailable(&d), want, "case {i}");
        }
    }

    #[test]
    fn test_min_available() {
        let one = IntOrString::Int(1);
        let cases = vec![
            (dep(10, one.clone(), IntOrString::Int(5)), 5),
            (dep(10, one.clone(), IntOrString::Int(10)), 0),
            (dep(5, one.clone(), IntOrString::Int(10)), 0),
            (dep(0, one.clone(), IntOrString::Int(10)), 0),
            (recreate(10), 0),
            (dep(10, one.clone(), pct("60%")), 4),
            (dep(10, one.clone(), pct("100%")), 0),
            (dep(5, one.clone(), pct("100%")), 0),
        ];
        for (i, (d, want)) in cases.into_iter().enumerate() {
            assert_eq!(min_available(&d), want, "case {i}");
        }
    }

    #[test]
    fn test_new_rs_new_replicas() {
        // (strategy, deployment replicas, new RS replicas, maxSurge, expected); one other RS of 5.
        let cases = vec![
            ("RollingUpdate", 1, 5, 1, 5),
            ("RollingUpdate", 6, 2, 10, 6),
            ("Recreate", 3, 1, 1, 3),
        ];
        for (strategy, dr, nr, surge, want) in cases {
            let mut d = dep(dr, IntOrString::Int(surge), IntOrString::Int(1));
            if strategy == "Recreate" {
                d = recreate(dr);
            }
            let new = rs(nr);
            let other = rs(5);
            let got = new_rs_new_replicas(&d, &[&new, &other], &new).unwrap();
            assert_eq!(got, want, "{strategy} {dr} {nr} {surge}");
        }
    }

    #[test]
    fn test_deployment_complete() {
        // (desired, current, updated, available, maxUnavailable, maxSurge, expected)
        let cases = [
            (5, 5, 5, 4, 1, 0, false),
            (5, 5, 5, 3, 1, 0, false),
            (5, 5, 5, 5, 0, 0, true),
            (5, 5, 4, 5, 0, 0, false),
            (1, 2, 1, 1, 0, 1, false),
            (1, 1, 1, 0, 1, 1, false),
        ];
        for (desired, current, updated, available, mu, ms, want) in cases {
            let d = dep(desired, IntOrString::Int(ms), IntOrString::Int(mu));
            let s = DeploymentStatus {
                replicas: Some(current),
                updated_replicas: Some(updated),
                available_replicas: Some(available),
                ..Default::default()
            };
            assert_eq!(deployment_complete(&d, &s), want);
        }
    }

    #[test]
    fn test_deployment_progressing() {
        // old (current, updated, ready, available) → new
        type S = (i32, i32, i32, i32);
        let cases: [(S, S, bool); 7] = [
            ((10, 4, 4, 4), (10, 6, 4, 4), true),
            ((10, 4, 4, 4), (10, 4, 4, 4), false),
            ((10, 4, 6, 6), (8, 4, 6, 6), true),
            ((10, 7, 3, 3), (10, 6, 3, 3), false),
            ((10, 4, 7, 7), (8, 8, 5, 5), true),
            ((10, 10, 9, 8), (10, 10, 10, 8), true),
            ((10, 10, 10, 9), (10, 10, 10, 10), true),
        ];
        let mk = |s: S| DeploymentStatus {
            replicas: Some(s.0),
            updated_replicas: Some(s.1),
            ready_replicas: Some(s.2),
            available_replicas: Some(s.3),
            ..Default::default()
        };
        for (old, new, want) in cases {
            let mut d = dep(10, IntOrString::Int(1), IntOrString::Int(1));
            d.status = Some(mk(old));
            assert_eq!(
                deployment_progressing(&d, &mk(new)),
                want,
                "{old:?} {new:?}"
            );
        }
    }

    #[test]
    fn test_deployment_timed_out() {
        let at = |h: i8, m: i8, s: i8| -> jiff::Timestamp {
            jiff::civil::date(2016, 1, 1)
                .at(h, m, s, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp()
        };
        let now = at(0, 1, 20);
        let mk = |pds: Option<i32>, reason: &str, last: jiff::Timestamp| {
            let mut d = dep(1, IntOrString::Int(1), IntOrString::Int(1));
            d.spec.as_mut().unwrap().progress_deadline_seconds = pds;
            let mut s = DeploymentStatus::default();
            set_condition(
                &mut s,
                new_condition(CONDITION_PROGRESSING, "True", reason, String::new(), last),
            );
            (d, s)
        };
        let cases = [
            (None, REASON_RS_UPDATED, at(0, 1, 9), false),
            (Some(MAX_INT32), REASON_RS_UPDATED, at(0, 1, 9), false),
            (Some(10), REASON_RS_UPDATED, at(0, 1, 9), true),
            (Some(10), REASON_RS_UPDATED, at(0, 1, 11), false),
            (Some(10), REASON_NEW_RS_AVAILABLE, at(0, 1, 9), false),
        ];
        for (pds, reason, last, want) in cases {
            let (d, s) = mk(pds, reason, last);
            assert_eq!(deployment_timed_out(&d, &s, now), want, "{pds:?} {reason}");
        }
    }

    #[test]
    fn hash_alphabet_and_stability() {
        assert_eq!(safe_encode_string("0123456789"), "456789bcdf");
        let t = template_with(&[("app", "nginx")]);
        let h = compute_hash(&t, None);
        assert_eq!(h, compute_hash(&t.clone(), None));
        assert!(h.len() <= 10 && h.chars().all(|c| "456789bcdf".contains(c)));
        assert_ne!(h, compute_hash(&t, Some(1)));
        assert_ne!(compute_hash(&t, Some(1)), compute_hash(&t, Some(2)));
    }

    fn template_with(labels: &[(&str, &str)]) -> PodTemplateSpec {
        PodTemplateSpec {
            metadata: Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                labels: Some(
                    labels
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ..Default::default()
            }),
            spec: None,
        }
    }

    #[test]
    fn equal_ignore_hash_cases() {
        let a = template_with(&[("app", "x")]);
        let mut b = template_with(&[("app", "x"), (POD_TEMPLATE_HASH_LABEL, "abc")]);
        assert!(equal_ignore_hash(&a, &b));
        b.metadata.as_mut().unwrap().annotations = Some(BTreeMap::new());
        assert!(equal_ignore_hash(&a, &b));
        let c = template_with(&[("app", "x"), ("tier", "web")]);
        assert!(!equal_ignore_hash(&a, &c));
    }

    #[test]
    fn proportion_rounding() {
        // 13 → 8 example from controllers.md §1.8: v2(8) → 5, v1(3) → 2, v3(2) → 1.
        let d = dep(8, IntOrString::Int(0), IntOrString::Int(1));
        let mut r = rs(8);
        set_replicas_annotations(&mut r, 13, 13);
        assert_eq!(get_proportion(&r, &d, -5, 0), -3);
        let mut r = rs(3);
        set_replicas_annotations(&mut r, 13, 13);
        assert_eq!(get_proportion(&r, &d, -5, -3), -1);
    }
}
