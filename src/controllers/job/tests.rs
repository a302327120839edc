//! `TestControllerSyncJob` vectors (controllers.md §3.5) and the 1.33 status rules (§14).

use super::*;
use crate::util::fields::Fields;
use serde_json::json;

fn now() -> Timestamp {
    "2025-06-01T12:00:00Z".parse().unwrap()
}

fn job(par: i32, comp: Option<i32>, backoff: i32, indexed: bool) -> Job {
    let mut spec = json!({
        "parallelism": par, "backoffLimit": backoff,
        "completionMode": if indexed { "Indexed" } else { "NonIndexed" },
        "podReplacementPolicy": "TerminatingOrFailed", "suspend": false,
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "job-uid"}},
        "template": {"metadata": {"labels": {"batch.kubernetes.io/controller-uid": "job-uid"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "foo/bar"}]}}});
    if let Some(c) = comp {
        spec.set("/completions", json!(c)).unwrap();
    }
    serde_json::from_value(json!({
        "metadata": {"name": "foobar", "namespace": "default", "uid": "job-uid"},
        "spec": spec}))
    .unwrap()
}

/// A pod of the Job: `phase` (P = Pending, R = Running, S = Succeeded, F = Failed), an
/// optional index, with the tracking finalizer (not yet counted).
fn pod(name: &str, phase: &str, index: Option<i32>) -> Pod {
    let phase = match phase {
        "P" => "Pending",
        "R" => "Running",
        "S" => "Succeeded",
        _ => "Failed",
    };
    let mut meta = json!({"name": name, "namespace": "default", "uid": name,
        "creationTimestamp": "2025-06-01T11:00:00Z",
        "finalizers": [TRACKING_FINALIZER],
        "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "foobar",
            "uid": "job-uid", "controller": true}]});
    if let Some(i) = index {
        meta.set("/annotations", json!({COMPLETION_INDEX: i.to_string()}))
            .unwrap();
    }
    serde_json::from_value(json!({"metadata": meta, "status": {"phase": phase}})).unwrap()
}

fn pods(spec: &[(&str, Option<i32>)]) -> Vec<Pod> {
    spec.iter()
        .enumerate()
        .map(|(i, (ph, ix))| pod(&format!("p{i:02}"), ph, *ix))
        .collect()
}

fn n(phase: &str, count: usize) -> Vec<(&str, Option<i32>)> {
    vec![(phase, None); count]
}

/// The status after the sync: the last write, else the first, else the Job's own.
fn status_after(job: &Job, plan: &JobPlan) -> JobStatus {
    plan.status
        .clone()
        .or_else(|| plan.flush.clone())
        .or_else(|| job.status.clone())
        .unwrap_or_default()
}

fn cond_types(st: &JobStatus) -> Vec<String> {
    st.conditions
        .iter()
        .flatten()
        .map(|c| format!("{}/{}", c.type_, c.reason.clone().unwrap_or_default()))
        .collect()
}

struct Want {
    creates: usize,
    deletes: usize,
    active: i32,
    succeeded: i32,
    failed: i32,
    conditions: &'static [&'static str],
}

fn check(name: &str, job: &Job, pods: &[Pod], want: Want) -> JobPlan {
    let plan = sync(job, pods, now());
    let st = status_after(job, &plan);
    assert_eq!(plan.create.len(), want.creates, "{name}: creates");
    assert_eq!(
        plan.delete_managed.len() + plan.delete_finishing.len(),
        want.deletes,
        "{name}: deletes"
    );
    assert_eq!(st.active.unwrap_or(0), want.active, "{name}: active");
    assert_eq!(
        st.succeeded.unwrap_or(0),
        want.succeeded,
        "{name}: succeeded"
    );
    assert_eq!(st.failed.unwrap_or(0), want.failed, "{name}: failed");
    assert_eq!(cond_types(&st), want.conditions, "{name}: conditions");
    plan
}

const NONE: &[&str] = &[];
const COMPLETE: &[&str] = &[
    "SuccessCriteriaMet/CompletionsReached",
    "Complete/CompletionsReached",
];

#[test]
// Long because: one table of upstream vectors, kept in upstream's order.
fn controller_sync_job_vectors() {
    let w = |creates, deletes, active, succeeded, failed, conditions| Want {
        creates,
        deletes,
        active,
        succeeded,
        failed,
        conditions,
    };
    let j = job(2, Some(5), 6, false);
    check("job start", &j, &[], w(2, 0, 2, 0, 0, NONE));
    check(
        "WQ job start",
        &job(2, None, 6, false),
        &[],
        w(2, 0, 2, 0, 0, NONE),
    );
    check(
        "pending pods",
        &j,
        &pods(&n("P", 2)),
        w(0, 0, 2, 0, 0, NONE),
    );
    check(
        "too few active",
        &j,
        &pods(&[("R", None), ("S", None)]),
        w(1, 0, 2, 1, 0, NONE),
    );
    check(
        "too many active",
        &j,
        &pods(&n("R", 3)),
        w(0, 1, 2, 0, 0, NONE),
    );
    check(
        "more active than parallelism",
        &j,
        &pods(&n("R", 10)),
        w(0, 8, 2, 0, 0, NONE),
    );
    let mut p = n("R", 3);
    p.extend(n("S", 2));
    check(
        "more active than remaining",
        &job(3, Some(4), 6, false),
        &pods(&p),
        w(0, 1, 2, 2, 0, NONE),
    );
    check(
        "new failed pod",
        &j,
        &pods(&[("R", None), ("F", None)]),
        w(1, 0, 2, 0, 1, NONE),
    );
    // The same failure a moment ago holds the replacement back 10 s.
    let mut recent = pods(&[("R", None), ("F", None)]);
    failed_at(&mut recent[1], now());
    let plan = check(
        "new failed pod, just now",
        &j,
        &recent,
        w(0, 0, 0, 0, 1, NONE),
    );
    assert_eq!(plan.requeue_after, Some(SignedDuration::from_secs(10)));
    check(
        "job finish",
        &j,
        &pods(&n("S", 5)),
        w(0, 0, 0, 5, 0, COMPLETE),
    );
    let wq = job(2, None, 6, false);
    check(
        "WQ finishing",
        &wq,
        &pods(&[("R", None), ("S", None)]),
        w(0, 0, 1, 1, 0, NONE),
    );
    check(
        "WQ all finished",
        &wq,
        &pods(&n("S", 2)),
        w(0, 0, 0, 2, 0, COMPLETE),
    );
    check(
        "WQ finished despite failure",
        &wq,
        &pods(&[("S", None), ("F", None)]),
        w(0, 0, 0, 1, 1, COMPLETE),
    );
    check(
        "too many failures",
        &job(2, Some(5), 0, false),
        &pods(&[("F", None)]),
        w(
            0,
            0,
            0,
            0,
            1,
            &[
                "FailureTarget/BackoffLimitExceeded",
                "Failed/BackoffLimitExceeded",
            ],
        ),
    );
    let plan = check(
        "indexed start",
        &job(2, Some(5), 6, true),
        &[],
        w(2, 0, 2, 0, 0, NONE),
    );
    let idx: Vec<_> = plan.create.iter().map(completion_index).collect();
    assert_eq!(idx, [Some(0), Some(1)]);
    let ij = job(2, Some(3), 6, true);
    let plan = check(
        "indexed completed",
        &ij,
        &pods(&[
            ("S", Some(0)),
            ("F", Some(1)),
            ("S", Some(1)),
            ("S", Some(2)),
        ]),
        w(0, 0, 0, 3, 1, COMPLETE),
    );
    assert_eq!(
        status_after(&ij, &plan).completed_indexes.as_deref(),
        Some("0-2")
    );
    let plan = check(
        "indexed repeated index",
        &ij,
        &pods(&[("S", Some(0)), ("S", Some(1)), ("S", Some(1))]),
        w(1, 0, 1, 2, 0, NONE),
    );
    assert_eq!(completion_index(&plan.create[0]), Some(2));
    assert_eq!(
        status_after(&ij, &plan).completed_indexes.as_deref(),
        Some("0,1")
    );
    let mixed = [
        ("R", Some(0)),
        ("S", Some(2)),
        ("P", Some(3)),
        ("S", Some(4)),
        ("S", Some(5)),
        ("S", Some(7)),
        ("S", Some(8)),
        ("S", Some(9)),
    ];
    let mj = job(8, Some(20), 6, true);
    let plan = check("indexed mixed", &mj, &pods(&mixed), w(6, 0, 8, 6, 0, NONE));
    let idx: Vec<_> = plan.create.iter().filter_map(completion_index).collect();
    assert_eq!(idx, [1, 6, 10, 11, 12, 13]);
    assert_eq!(
        status_after(&mj, &plan).completed_indexes.as_deref(),
        Some("2,4,5,7-9")
    );
}

#[test]
fn active_back_off_waits_and_counts_nothing_twice() {
    // "active back-off": one failure already counted (finalizer gone) a moment ago.
    let mut j = job(1, Some(1), 6, false);
    j.status = Some(JobStatus {
        failed: Some(1),
        start_time: Some(Time(now())),
        ..Default::default()
    });
    let mut failed = pod_without_finalizer("old");
    failed_at(&mut failed, now());
    let plan = sync(
        &j,
        std::slice::from_ref(&failed),
        now() + SignedDuration::from_secs(4),
    );
    assert!(plan.create.is_empty());
    assert_eq!(plan.requeue_after, Some(SignedDuration::from_secs(6)));
    assert_eq!(status_after(&j, &plan).failed, Some(1));
    let plan = sync(&j, &[failed], now() + SignedDuration::from_secs(11));
    assert_eq!(plan.create.len(), 1);
}

/// Marks a pod as having finished at `t` (its Ready condition turned False then).
fn failed_at(p: &mut Pod, t: Timestamp) {
    p.status = Some(
        serde_json::from_value(json!({"phase": "Failed", "conditions": [
            {"type": "Ready", "status": "False", "lastTransitionTime": t.to_string()}]}))
        .unwrap(),
    );
}

fn pod_without_finalizer(name: &str) -> Pod {
    let mut p = pod(name, "F", None);
    p.metadata.finalizers = None;
    p
}

#[test]
fn new_pods_carry_the_finalizer_owner_and_index() {
    let plan = sync(&job(1, Some(3), 6, true), &[], now());
    let p = &plan.create[0];
    assert_eq!(p.metadata.generate_name.as_deref(), Some("foobar-0-"));
    assert_eq!(
        p.metadata.finalizers.as_deref(),
        Some(&[TRACKING_FINALIZER.to_string()][..])
    );
    assert_eq!(
        p.metadata
            .labels
            .as_ref()
            .unwrap()
            .get(COMPLETION_INDEX)
            .map(String::as_str),
        Some("0")
    );
    let spec = p.spec.as_ref().unwrap();
    assert_eq!(spec.hostname.as_deref(), Some("foobar-0"));
    let env = spec.containers[0].env.as_ref().unwrap();
    assert_eq!(env[0].name, COMPLETION_INDEX_ENV);
    let owner = &p.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!((owner.kind.as_str(), owner.controller), ("Job", Some(true)));
    let plan = sync(&job(1, Some(1), 6, false), &[], now());
    assert_eq!(
        plan.create[0].metadata.generate_name.as_deref(),
        Some("foobar-")
    );
    assert_eq!(plan.create[0].spec.as_ref().unwrap().hostname, None);
}

#[test]
fn suspend_deletes_active_pods_and_resume_resets_the_start_time() {
    let mut j = job(2, Some(4), 6, false);
    j.spec.as_mut().unwrap().suspend = Some(true);
    j.status = Some(JobStatus {
        start_time: Some(Time(now() - SignedDuration::from_secs(60))),
        ..Default::default()
    });
    let plan = sync(&j, &pods(&n("R", 2)), now());
    assert_eq!(plan.delete_managed.len(), 2);
    assert!(plan.create.is_empty());
    let st = status_after(&j, &plan);
    assert_eq!(cond_types(&st), ["Suspended/JobSuspended"]);
    assert_eq!(st.terminating, Some(2));
    assert_eq!(
        plan.events,
        [JobEvent::normal("Suspended", "Job suspended")]
    );
    // Resumed.
    j.spec.as_mut().unwrap().suspend = Some(false);
    j.status = Some(st);
    let plan = sync(&j, &[], now() + SignedDuration::from_secs(30));
    assert_eq!(plan.create.len(), 2);
    let st = status_after(&j, &plan);
    assert_eq!(cond_types(&st), ["Suspended/JobResumed"]);
    assert_eq!(st.conditions.as_ref().unwrap()[0].status, "False");
    assert_eq!(
        st.start_time.map(|t| t.0),
        Some(now() + SignedDuration::from_secs(30))
    );
    assert_eq!(plan.events, [JobEvent::normal("Resumed", "Job resumed")]);
    // A Job created suspended has no start time and no pods.
    let mut s = job(1, Some(1), 6, false);
    s.spec.as_mut().unwrap().suspend = Some(true);
    let plan = sync(&s, &[], now());
    let st = status_after(&s, &plan);
    assert!(st.start_time.is_none() && plan.create.is_empty());
}

#[test]
fn active_deadline_fails_the_job_after_its_pods_terminate() {
    let mut j = job(1, Some(1), 6, false);
    j.spec.as_mut().unwrap().active_deadline_seconds = Some(100);
    j.status = Some(JobStatus {
        start_time: Some(Time(now())),
        ..Default::default()
    });
    let plan = sync(&j, &pods(&n("R", 1)), now() + SignedDuration::from_secs(40));
    assert_eq!(plan.requeue_after, Some(SignedDuration::from_secs(60)));
    let plan = sync(
        &j,
        &pods(&n("R", 1)),
        now() + SignedDuration::from_secs(100),
    );
    assert_eq!(plan.delete_finishing, ["p00"]);
    // The deleted pod counts as failed; Failed waits until it stopped terminating.
    let st = status_after(&j, &plan);
    assert_eq!(cond_types(&st), ["FailureTarget/DeadlineExceeded"]);
    assert_eq!((st.failed, st.terminating), (Some(1), Some(1)));
    assert!(plan.finished_events.is_empty());
    let mut j2 = j.clone();
    j2.status = Some(st);
    let plan = sync(&j2, &[], now() + SignedDuration::from_secs(130));
    let st = status_after(&j2, &plan);
    assert_eq!(
        cond_types(&st),
        ["FailureTarget/DeadlineExceeded", "Failed/DeadlineExceeded"]
    );
    assert_eq!(
        plan.finished_events,
        [JobEvent::warning(
            "DeadlineExceeded",
            "Job was active longer than specified deadline"
        )]
    );
}

#[test]
fn pod_failure_policy_fail_job_and_ignore() {
    let mut j = job(1, Some(1), 6, false);
    j.spec.as_mut().unwrap().pod_failure_policy = Some(
        serde_json::from_value(json!({"rules": [
            {"action": "FailJob", "onExitCodes": {"containerName": "c", "operator": "In", "values": [42]}},
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}))
        .unwrap(),
    );
    let mut failed = pod("p", "F", None);
    failed.status = Some(
        serde_json::from_value(json!({"phase": "Failed", "containerStatuses": [
            {"name": "c", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
             "state": {"terminated": {"exitCode": 42}}}]}))
        .unwrap(),
    );
    let plan = sync(&j, &[failed], now());
    let st = status_after(&j, &plan);
    assert_eq!(
        cond_types(&st),
        ["FailureTarget/PodFailurePolicy", "Failed/PodFailurePolicy"]
    );
    assert_eq!(
        st.conditions.unwrap()[0].message.as_deref(),
        Some(
            "Container c for pod default/p failed with exit code 42 matching FailJob rule at index 0"
        )
    );
    // The defaulted pattern status True; an ignored failure is not counted.
    let mut disrupted = pod("q", "F", None);
    disrupted.status = Some(
        serde_json::from_value(json!({"phase": "Failed", "conditions": [
            {"type": "DisruptionTarget", "status": "True"}]}))
        .unwrap(),
    );
    let pfp = j
        .spec
        .as_mut()
        .unwrap()
        .pod_failure_policy
        .as_mut()
        .unwrap();
    pfp.rules[1].on_pod_conditions.as_mut().unwrap()[0].status = "True".into();
    let plan = sync(&j, &[disrupted], now());
    let st = status_after(&j, &plan);
    assert_eq!(st.failed, None);
    assert_eq!(plan.remove_finalizers, ["q"]);
    assert_eq!(plan.create.len(), 1);
}

#[test]
fn backoff_limit_per_index_fails_only_that_index() {
    let mut j = job(2, Some(2), i32::MAX, true);
    j.spec.as_mut().unwrap().backoff_limit_per_index = Some(1);
    // Index 0 failed once: its replacement carries failure count 1, after 10 s.
    let mut ps = pods(&[("F", Some(0)), ("R", Some(1))]);
    failed_at(&mut ps[0], now());
    let plan = sync(&j, &ps, now());
    assert!(plan.create.is_empty());
    assert_eq!(plan.requeue_after, Some(SignedDuration::from_secs(10)));
    let later = now() + SignedDuration::from_secs(11);
    let plan = sync(&j, &ps, later);
    let ann = plan.create[0].metadata.annotations.clone().unwrap();
    assert_eq!(ann.get(INDEX_FAILURE_COUNT).map(String::as_str), Some("1"));
    // That pod fails too: the index has failed; the other one succeeds → FailedIndexes.
    let mut second = pod("p02", "F", Some(0));
    second
        .metadata
        .annotations
        .as_mut()
        .unwrap()
        .insert(INDEX_FAILURE_COUNT.into(), "1".into());
    let mut ps = pods(&[("F", Some(0)), ("S", Some(1))]);
    ps[0].metadata.finalizers = None;
    ps.push(second);
    let plan = sync(&j, &ps, later);
    let st = status_after(&j, &plan);
    assert_eq!(st.failed_indexes.as_deref(), Some("0"));
    assert_eq!(st.completed_indexes.as_deref(), Some("1"));
    assert_eq!(
        cond_types(&st),
        ["FailureTarget/FailedIndexes", "Failed/FailedIndexes"]
    );
}

#[test]
fn success_policy_completes_with_its_reason() {
    let mut j = job(3, Some(3), 6, true);
    j.spec.as_mut().unwrap().success_policy = Some(
        serde_json::from_value(json!({"rules": [{"succeededIndexes": "0", "succeededCount": 1}]}))
            .unwrap(),
    );
    let plan = sync(
        &j,
        &pods(&[("S", Some(0)), ("R", Some(1)), ("R", Some(2))]),
        now(),
    );
    assert_eq!(plan.delete_finishing, ["p01", "p02"]);
    let st = status_after(&j, &plan);
    // The running pods are terminating: Complete waits for them.
    assert_eq!(cond_types(&st), ["SuccessCriteriaMet/SuccessPolicy"]);
    assert_eq!(
        st.conditions.unwrap()[0].message.as_deref(),
        Some("Matched rules at index 0")
    );
}

#[test]
fn on_failure_restarts_count_toward_the_limit() {
    let mut j = job(1, Some(1), 2, false);
    j.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .restart_policy = Some("OnFailure".into());
    let mut p = pod("p", "R", None);
    p.status = Some(
        serde_json::from_value(json!({"phase": "Running", "containerStatuses": [
            {"name": "c", "image": "x", "imageID": "", "ready": false, "restartCount": 2}]}))
        .unwrap(),
    );
    let plan = sync(&j, &[p], now());
    assert_eq!(plan.delete_finishing, ["p"]);
    assert_eq!(
        cond_types(&status_after(&j, &plan)),
        ["FailureTarget/BackoffLimitExceeded"]
    );
}

#[test]
fn a_finished_job_is_left_alone_and_statuses_print_like_go() {
    let j = job(1, Some(1), 6, false);
    let plan = sync(&j, &pods(&n("S", 1)), now());
    let v = serde_json::to_value(plan.status.as_ref().unwrap()).unwrap();
    assert_eq!(v["uncountedTerminatedPods"], json!({}));
    assert_eq!(v["ready"], json!(0));
    assert_eq!(v["terminating"], json!(0));
    assert!(v.get("active").is_none() && v.get("failed").is_none());
    assert_eq!(v["completionTime"], json!("2025-06-01T12:00:00Z"));
    assert_eq!(
        plan.flush
            .as_ref()
            .unwrap()
            .uncounted_terminated_pods
            .as_ref()
            .unwrap()
            .succeeded
            .as_deref(),
        Some(&["p00".to_string()][..])
    );
    assert_eq!(
        plan.finished_events,
        [JobEvent::normal("Completed", "Job completed")]
    );
    let mut done = j.clone();
    done.status = plan.status;
    let again = sync(&done, &pods(&n("S", 1)), now());
    assert!(
        again.status.is_none() && again.create.is_empty() && again.remove_finalizers.is_empty()
    );
}
