//! Shared test fixtures and end-to-end rollout simulations for the Deployment
//! controller: a tiny in-memory "engine" applies each [`Plan`] to a set of
//! ReplicaSets and plays the ReplicaSet controller (pods become available or not).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, ReplicaSet, ReplicaSetSpec, ReplicaSetStatus,
    RollingUpdateDeployment,
};
use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, PodStatus, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::util::*;
use super::*;

pub(crate) fn t0() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_700_000_000).unwrap()
}

fn labels() -> BTreeMap<String, String> {
    [("app".to_string(), "nginx".to_string())].into()
}

/// Deployment `default/nginx` (uid `dep-uid`, generation 1) with int maxSurge and
/// maxUnavailable, progressDeadlineSeconds 600, revisionHistoryLimit 10, image nginx:1.
pub(crate) fn rolling(replicas: i32, surge: i32, unavail: i32) -> Deployment {
    Deployment {
        metadata: ObjectMeta {
            name: Some("nginx".into()),
            namespace: Some("default".into()),
            uid: Some("dep-uid".into()),
            generation: Some(1),
            ..Default::default()
        },
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            selector: LabelSelector {
                match_labels: Some(labels()),
                ..Default::default()
            },
            strategy: Some(DeploymentStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDeployment {
                    max_surge: Some(IntOrString::Int(surge)),
                    max_unavailable: Some(IntOrString::Int(unavail)),
                }),
            }),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels()),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: "nginx".into(),
                        image: Some("nginx:1".into()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
            },
            progress_deadline_seconds: Some(600),
            revision_history_limit: Some(10),
            ..Default::default()
        }),
        status: None,
    }
}

pub(crate) fn set_image(d: &mut Deployment, image: &str) {
    d.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .containers[0]
        .image = Some(image.into());
}

pub(crate) fn image_of(d: &Deployment) -> String {
    d.spec
        .as_ref()
        .unwrap()
        .template
        .spec
        .as_ref()
        .unwrap()
        .containers[0]
        .image
        .clone()
        .unwrap()
}

/// A bare RS created `age` seconds before [`t0`].
pub(crate) fn rs_named(name: &str, replicas: i32, age: i64) -> ReplicaSet {
    ReplicaSet {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            uid: Some(format!("{name}-uid")),
            creation_timestamp: Some(Time(t0() - jiff::SignedDuration::from_secs(age))),
            ..Default::default()
        },
        spec: Some(ReplicaSetSpec {
            replicas: Some(replicas),
            ..Default::default()
        }),
        status: Some(ReplicaSetStatus::default()),
    }
}

/// An RS owned by `d` for `image` with the given revision (0 replicas).
pub(crate) fn owned_rs(d: &Deployment, image: &str, revision: &str, age: i64) -> ReplicaSet {
    let mut dd = d.clone();
    set_image(&mut dd, image);
    let mut template = dd.spec.unwrap().template;
    let hash = compute_hash(&template, None);
    template
        .metadata
        .as_mut()
        .unwrap()
        .labels
        .as_mut()
        .unwrap()
        .insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
    let mut rs = rs_named(&format!("nginx-{hash}"), 0, age);
    rs.metadata.labels = template.metadata.as_ref().unwrap().labels.clone();
    rs.metadata.owner_references = Some(vec![deployment_controller_ref(d)]);
    rs.metadata.annotations =
        Some([(REVISION_ANNOTATION.to_string(), revision.to_string())].into());
    let spec = rs.spec.as_mut().unwrap();
    spec.template = Some(template);
    spec.selector = LabelSelector {
        match_labels: Some(
            [
                ("app".to_string(), "nginx".to_string()),
                (POD_TEMPLATE_HASH_LABEL.to_string(), hash),
            ]
            .into(),
        ),
        ..Default::default()
    };
    rs
}

pub(crate) fn ctx(d: &Deployment, rss: Vec<ReplicaSet>) -> Ctx<'static> {
    Ctx {
        d: d.clone(),
        pods: vec![Vec::new(); rss.len()],
        rss,
        now: t0(),
        plan: Plan::default(),
        annotations_dirty: false,
    }
}

/// An in-memory cluster: the Deployment, its ReplicaSets, recorded events.
struct World {
    d: Deployment,
    rss: Vec<ReplicaSet>,
    pods: Vec<Pod>,
    events: Vec<String>,
    now: jiff::Timestamp,
    next_uid: u32,
}

impl World {
    fn new(d: Deployment) -> World {
        World {
            d,
            rss: Vec::new(),
            pods: Vec::new(),
            events: Vec::new(),
            now: t0(),
            next_uid: 0,
        }
    }

    /// One controller pass, applied like the engine would.
    fn sync(&mut self) -> Plan {
        let rss: Vec<&ReplicaSet> = self.rss.iter().collect();
        let pods: Vec<&Pod> = self.pods.iter().collect();
        let plan = sync_deployment(&self.d, &rss, &pods, self.now);
        assert_eq!(plan.error, None);
        for a in &plan.actions {
            match a {
                Action::CreateReplicaSet(rs) => {
                    let mut rs = rs.clone();
                    self.next_uid += 1;
                    rs.metadata.uid = Some(format!("uid-{}", self.next_uid));
                    rs.metadata.creation_timestamp = Some(Time(self.now));
                    rs.status = Some(ReplicaSetStatus::default());
                    self.rss.push(rs);
                }
                Action::UpdateReplicaSet(rs) => {
                    let cur = self
                        .rss
                        .iter_mut()
                        .find(|x| x.metadata.name == rs.metadata.name)
                        .unwrap();
                    cur.spec = rs.spec.clone();
                    cur.metadata.annotations = rs.metadata.annotations.clone();
                }
                Action::DeleteReplicaSet(name) => {
                    self.rss
                        .retain(|x| x.metadata.name.as_deref() != Some(name));
                }
                Action::UpdateDeployment(d) => {
                    self.d.metadata.annotations = d.metadata.annotations.clone();
                    self.d.spec = d.spec.clone();
                }
                Action::UpdateDeploymentStatus(s) => self.d.status = Some(s.clone()),
                Action::Event {
                    reason, message, ..
                } => self.events.push(format!("{reason}: {message}")),
                Action::AdoptReplicaSet(_) | Action::ReleaseReplicaSet(_) => {}
            }
        }
        plan
    }

    /// The ReplicaSet controller and kubelet: every RS runs its desired pods; new pods
    /// become available when `available`.
    fn settle(&mut self, available: bool) {
        for rs in &mut self.rss {
            let want = rs_replicas(rs);
            let s = rs.status.get_or_insert_with(Default::default);
            let prev = s.available_replicas.unwrap_or(0);
            s.replicas = want;
            let av = if available { want } else { prev.min(want) };
            s.available_replicas = Some(av);
            s.ready_replicas = Some(av);
            s.observed_generation = rs.metadata.generation;
        }
        self.now += jiff::SignedDuration::from_secs(1);
    }

    /// (new RS replicas, old RS replicas) by template image.
    fn sizes(&self) -> Vec<(String, i32)> {
        let mut v: Vec<(String, i32)> = self
            .rss
            .iter()
            .map(|rs| {
                let t = rs_template(rs);
                let img = t.spec.unwrap().containers[0].image.clone().unwrap();
                (img, rs_replicas(rs))
            })
            .collect();
        v.sort();
        v
    }

    fn revise(&mut self, image: &str) {
        set_image(&mut self.d, image);
        self.d.metadata.generation = Some(self.d.metadata.generation.unwrap_or(0) + 1);
    }
}

fn sz(v: &[(&str, i32)]) -> Vec<(String, i32)> {
    v.iter().map(|(i, n)| (i.to_string(), *n)).collect()
}

fn cond<'a>(d: &'a Deployment, t: &str) -> &'a k8s_openapi::api::apps::v1::DeploymentCondition {
    get_condition(d.status.as_ref(), t).unwrap()
}

/// Bring up `nginx:1` at `replicas` and settle.
fn steady(replicas: i32, surge: i32, unavail: i32) -> World {
    let mut w = World::new(rolling(replicas, surge, unavail));
    w.sync();
    for _ in 0..3 {
        w.settle(true);
        w.sync();
    }
    w
}

/// Issue 16: at the int32 limit, upstream's `replicas + maxSurge` (int32) wraps negative, so
/// `NewRSNewReplicas` cannot scale up: the new ReplicaSet stays at 0, no event, and the
/// max-replicas annotation is the wrapped sum. Go's arithmetic, not a panic (debug builds
/// checked the overflow).
#[test]
fn int32_max_replicas_wrap_as_in_go() {
    let mut w = World::new(rolling(i32::MAX, 1, 0));
    w.sync();
    assert_eq!(w.rss.len(), 1);
    assert_eq!(rs_replicas(&w.rss[0]), 0);
    assert!(w.events.is_empty(), "{:?}", w.events);
    let a = w.rss[0].metadata.annotations.clone().unwrap();
    assert_eq!(a[MAX_REPLICAS_ANNOTATION], i32::MIN.to_string());
    w.settle(true);
    w.sync();
    assert_eq!(rs_replicas(&w.rss[0]), 0);
}

#[test]
fn first_rollout_creates_new_rs_and_completes() {
    let mut w = World::new(rolling(3, 1, 1));
    w.sync();
    assert_eq!(w.rss.len(), 1);
    let rs = &w.rss[0];
    let hash = compute_hash(&w.d.spec.as_ref().unwrap().template, None);
    assert_eq!(
        rs.metadata.name.as_deref(),
        Some(format!("nginx-{hash}").as_str())
    );
    assert_eq!(rs_replicas(rs), 3);
    let a = rs.metadata.annotations.clone().unwrap();
    assert_eq!(a[REVISION_ANNOTATION], "1");
    assert_eq!(a[DESIRED_REPLICAS_ANNOTATION], "3");
    assert_eq!(a[MAX_REPLICAS_ANNOTATION], "4");
    assert_eq!(
        rs.metadata.labels.clone().unwrap()[POD_TEMPLATE_HASH_LABEL],
        hash
    );
    assert_eq!(
        w.d.metadata.annotations.clone().unwrap()[REVISION_ANNOTATION],
        "1"
    );
    assert_eq!(
        w.events,
        vec![format!(
            "ScalingReplicaSet: Scaled up replica set nginx-{hash} to 3"
        )]
    );
    let p = cond(&w.d, CONDITION_PROGRESSING);
    assert_eq!(p.reason.as_deref(), Some(REASON_NEW_RS_CREATED));
    assert_eq!(
        p.message.as_deref(),
        Some(format!("Created new replica set \"nginx-{hash}\"").as_str())
    );
    let a = cond(&w.d, CONDITION_AVAILABLE);
    assert_eq!(
        (a.status.as_str(), a.reason.as_deref()),
        ("False", Some(REASON_MIN_UNAVAILABLE))
    );
    // Pods come up: progressing, then complete.
    w.settle(true);
    w.sync();
    w.sync();
    let s = w.d.status.clone().unwrap();
    assert_eq!(
        (
            s.replicas,
            s.updated_replicas,
            s.available_replicas,
            s.observed_generation
        ),
        (Some(3), Some(3), Some(3), Some(1))
    );
    let types: Vec<&str> = s
        .conditions
        .iter()
        .flatten()
        .map(|c| c.type_.as_str())
        .collect();
    assert_eq!(types, vec![CONDITION_AVAILABLE, CONDITION_PROGRESSING]);
    assert_eq!(
        cond(&w.d, CONDITION_PROGRESSING).message.as_deref(),
        Some(format!("ReplicaSet \"nginx-{hash}\" has successfully progressed.").as_str())
    );
    assert_eq!(
        cond(&w.d, CONDITION_AVAILABLE).message.as_deref(),
        Some("Deployment has minimum availability.")
    );
    assert!(rollout_status(&w.d).1);
    // Steady state: nothing more to do.
    let plan = w.sync();
    assert_eq!(plan.actions, vec![]);
    assert_eq!(plan.requeue_after, None);
}

/// controllers.md §1.7 worked rollout: 10 replicas, maxSurge 25% → 3, maxUnavailable
/// 25% → 2. Upstream scales the old RS down in the same pass that creates the new one
/// (the fresh RS counts as 3 unavailable), so the first step is new 3 + old 10→8.
#[test]
fn rolling_update_10_replicas_pods_become_available() {
    let mut w = World::new(rolling(10, 0, 0));
    let strat = w.d.spec.as_mut().unwrap().strategy.as_mut().unwrap();
    strat.rolling_update = Some(RollingUpdateDeployment {
        max_surge: Some(IntOrString::String("25%".into())),
        max_unavailable: Some(IntOrString::String("25%".into())),
    });
    w.sync();
    w.settle(true);
    w.sync();
    w.sync();
    assert_eq!(w.sizes(), sz(&[("nginx:1", 10)]));
    w.events.clear();

    w.revise("nginx:2");
    let mut steps = Vec::new();
    for _ in 0..8 {
        w.sync();
        steps.push(w.sizes());
        w.settle(true);
    }
    assert_eq!(
        steps,
        vec![
            sz(&[("nginx:1", 8), ("nginx:2", 3)]),
            sz(&[("nginx:1", 8), ("nginx:2", 5)]),
            sz(&[("nginx:1", 3), ("nginx:2", 5)]),
            sz(&[("nginx:1", 3), ("nginx:2", 10)]),
            sz(&[("nginx:1", 0), ("nginx:2", 10)]),
            sz(&[("nginx:1", 0), ("nginx:2", 10)]),
            sz(&[("nginx:1", 0), ("nginx:2", 10)]),
            sz(&[("nginx:1", 0), ("nginx:2", 10)]),
        ]
    );
    let old = w.rss[0].metadata.name.clone().unwrap();
    let new = w.rss[1].metadata.name.clone().unwrap();
    assert_eq!(
        w.events,
        vec![
            format!("ScalingReplicaSet: Scaled up replica set {new} to 3"),
            format!("ScalingReplicaSet: Scaled down replica set {old} from 10 to 8"),
            format!("ScalingReplicaSet: Scaled up replica set {new} from 3 to 5"),
            format!("ScalingReplicaSet: Scaled down replica set {old} from 8 to 3"),
            format!("ScalingReplicaSet: Scaled up replica set {new} from 5 to 10"),
            format!("ScalingReplicaSet: Scaled down replica set {old} from 3 to 0"),
        ]
    );
    assert_eq!(
        w.d.metadata.annotations.clone().unwrap()[REVISION_ANNOTATION],
        "2"
    );
    assert_eq!(
        cond(&w.d, CONDITION_PROGRESSING).reason.as_deref(),
        Some(REASON_NEW_RS_AVAILABLE)
    );
    assert_eq!(
        rollout_status(&w.d).0,
        "deployment \"nginx\" successfully rolled out\n"
    );
    // History: revisions 1 and 2; undo goes back to nginx:1.
    let rss: Vec<&ReplicaSet> = w.rss.iter().collect();
    let h = history(&w.d, &rss).unwrap();
    assert_eq!(h.iter().map(|e| e.revision).collect::<Vec<_>>(), vec![1, 2]);
    let RollbackOutcome::RolledBack(back) = rollback(&w.d, &rss, 0).unwrap() else {
        panic!("expected rollback")
    };
    assert_eq!(image_of(&back), "nginx:1");
}

/// Same rollout, new pods never become available: new 3 + old 8, new 5, then blocked
/// (maxScaledDown = 13 − 8 − 5 = 0); the Deployment waits for the progress deadline.
#[test]
fn rolling_update_10_replicas_pods_not_available() {
    let mut w = steady(10, 3, 2);
    w.revise("nginx:2");
    let mut steps = Vec::new();
    for _ in 0..4 {
        w.sync();
        steps.push(w.sizes());
        w.settle(false);
    }
    assert_eq!(
        steps,
        vec![
            sz(&[("nginx:1", 8), ("nginx:2", 3)]),
            sz(&[("nginx:1", 8), ("nginx:2", 5)]),
            sz(&[("nginx:1", 8), ("nginx:2", 5)]),
            sz(&[("nginx:1", 8), ("nginx:2", 5)]),
        ]
    );
    let p = cond(&w.d, CONDITION_PROGRESSING).clone();
    assert_eq!(p.reason.as_deref(), Some(REASON_RS_UPDATED));
    // Stuck: the plan asks to come back when the deadline expires.
    let plan = w.sync();
    let last = p.last_update_time.unwrap().0;
    let expected = (last + jiff::SignedDuration::from_secs(600)).duration_since(w.now)
        + jiff::SignedDuration::from_secs(1);
    assert_eq!(plan.requeue_after, Some(expected));
    // After the deadline: ProgressDeadlineExceeded, and rollout status errors.
    w.now = last + jiff::SignedDuration::from_secs(601);
    w.sync();
    let p = cond(&w.d, CONDITION_PROGRESSING);
    assert_eq!(
        (p.status.as_str(), p.reason.as_deref()),
        ("False", Some(REASON_TIMED_OUT))
    );
    let new = w.rss[1].metadata.name.clone().unwrap();
    assert_eq!(
        p.message.as_deref(),
        Some(format!("ReplicaSet \"{new}\" has timed out progressing.").as_str())
    );
    assert_eq!(
        rollout_status(&w.d).2.as_deref(),
        Some("deployment \"nginx\" exceeded its progress deadline")
    );
}

#[test]
fn recreate_rollout() {
    let mut d = rolling(3, 0, 0);
    d.spec.as_mut().unwrap().strategy = Some(DeploymentStrategy {
        type_: Some("Recreate".into()),
        rolling_update: None,
    });
    let mut w = World::new(d);
    w.sync();
    w.settle(true);
    w.sync();
    assert_eq!(w.sizes(), sz(&[("nginx:1", 3)]));
    w.events.clear();

    w.revise("nginx:2");
    // Pass 1: old scaled to 0, no new RS yet.
    w.sync();
    assert_eq!(w.sizes(), sz(&[("nginx:1", 0)]));
    // Old RS still reports replicas: wait.
    w.sync();
    assert_eq!(w.rss.len(), 1);
    // A pod of the old RS still running blocks too.
    w.settle(false);
    let old_uid = w.rss[0].metadata.uid.clone().unwrap();
    w.pods.push(Pod {
        metadata: ObjectMeta {
            name: Some("nginx-old-abcde".into()),
            namespace: Some("default".into()),
            labels: Some(labels()),
            owner_references: Some(vec![
                k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
                    api_version: "apps/v1".into(),
                    kind: "ReplicaSet".into(),
                    name: "old".into(),
                    uid: old_uid,
                    controller: Some(true),
                    block_owner_deletion: Some(true),
                },
            ]),
            ..Default::default()
        },
        status: Some(PodStatus {
            phase: Some("Running".into()),
            ..Default::default()
        }),
        ..Default::default()
    });
    w.sync();
    assert_eq!(w.rss.len(), 1);
    // Pod finished terminating (Succeeded counts as gone): new RS at full size.
    w.pods[0].status.as_mut().unwrap().phase = Some("Succeeded".into());
    w.sync();
    assert_eq!(w.sizes(), sz(&[("nginx:1", 0), ("nginx:2", 3)]));
    w.settle(true);
    w.sync();
    w.sync();
    let new = w.rss[1].metadata.name.clone().unwrap();
    let old = w.rss[0].metadata.name.clone().unwrap();
    assert_eq!(
        w.events,
        vec![
            format!("ScalingReplicaSet: Scaled down replica set {old} from 3 to 0"),
            format!("ScalingReplicaSet: Scaled up replica set {new} to 3"),
        ]
    );
    assert_eq!(
        cond(&w.d, CONDITION_PROGRESSING).reason.as_deref(),
        Some(REASON_NEW_RS_AVAILABLE)
    );
    assert!(rollout_status(&w.d).1);
}

#[test]
fn scaling_event_during_rollout_is_proportional() {
    let mut w = steady(10, 3, 2);
    w.revise("nginx:2");
    w.sync(); // new 3, old 8
    w.settle(false);
    w.d.spec.as_mut().unwrap().replicas = Some(20);
    w.d.metadata.generation = Some(3);
    w.sync();
    // allowed 23, current 11 → +12 split by max-replicas 13: old 8→round(8*23/13)=14,
    // new 3→round(3*23/13)=5, leftover 23−19=4 to the first (larger) RS.
    assert_eq!(w.sizes(), sz(&[("nginx:1", 18), ("nginx:2", 5)]));
    let a = w.rss[1].metadata.annotations.clone().unwrap();
    assert_eq!(a[DESIRED_REPLICAS_ANNOTATION], "20");
    assert_eq!(a[MAX_REPLICAS_ANNOTATION], "23");
}

#[test]
fn paused_conditions_and_scale_only() {
    let mut w = steady(3, 1, 1);
    w.d.spec.as_mut().unwrap().paused = Some(true);
    w.revise("nginx:2");
    w.sync();
    let p = cond(&w.d, CONDITION_PROGRESSING);
    assert_eq!(
        (p.status.as_str(), p.reason.as_deref(), p.message.as_deref()),
        ("Unknown", Some(REASON_PAUSED), Some("Deployment is paused"))
    );
    assert_eq!(w.rss.len(), 1, "no rollout while paused");
    w.d.spec.as_mut().unwrap().replicas = Some(5);
    w.sync();
    assert_eq!(w.sizes(), sz(&[("nginx:1", 5)]));
    w.d.spec.as_mut().unwrap().paused = Some(false);
    w.sync();
    assert_eq!(w.rss.len(), 2);
    assert!(
        w.d.status
            .as_ref()
            .unwrap()
            .conditions
            .iter()
            .flatten()
            .any(|c| {
                c.type_ == CONDITION_PROGRESSING
                    && matches!(
                        c.reason.as_deref(),
                        Some(REASON_RESUMED) | Some(REASON_NEW_RS_CREATED)
                    )
            })
    );
}

#[test]
fn selecting_all_and_adoption() {
    let mut d = rolling(1, 1, 1);
    d.spec.as_mut().unwrap().selector = LabelSelector::default();
    d.metadata.generation = Some(4);
    let plan = sync_deployment(&d, &[], &[], t0());
    assert_eq!(
        plan.actions[0],
        Action::Event {
            type_: "Warning",
            reason: "SelectingAll".into(),
            message: "This deployment is selecting all pods. A non-empty selector is required."
                .into(),
        }
    );
    assert!(
        matches!(&plan.actions[1], Action::UpdateDeploymentStatus(s) if s.observed_generation == Some(4))
    );

    // An orphan matching the selector is adopted; an owned one not matching is released.
    let d = rolling(1, 1, 1);
    let mut orphan = owned_rs(&d, "nginx:1", "1", 10);
    orphan.metadata.owner_references = None;
    let mut stray = owned_rs(&d, "nginx:0", "1", 20);
    stray.metadata.name = Some("stray".into());
    stray.metadata.labels = Some([("app".to_string(), "other".to_string())].into());
    let plan = sync_deployment(&d, &[&orphan, &stray], &[], t0());
    let orphan_name = orphan.metadata.name.clone().unwrap();
    assert_eq!(plan.actions[0], Action::AdoptReplicaSet(orphan_name));
    assert_eq!(plan.actions[1], Action::ReleaseReplicaSet("stray".into()));
    // The adopted RS has the template: it is the new RS, no new one is created.
    assert!(
        !plan
            .actions
            .iter()
            .any(|a| matches!(a, Action::CreateReplicaSet(_)))
    );
}

#[test]
fn hash_collision_bumps_collision_count() {
    let d = rolling(1, 1, 1);
    let mut other = owned_rs(&d, "nginx:9", "1", 10);
    other.metadata.owner_references = None;
    let plan = on_create_conflict(&d, &other, t0());
    assert!(
        matches!(&plan.actions[0], Action::UpdateDeploymentStatus(s) if s.collision_count == Some(1))
    );
    assert!(plan.error.is_some());
    // With collisionCount 1 the hash (and RS name) changes.
    let t = d.spec.as_ref().unwrap().template.clone();
    assert_ne!(compute_hash(&t, None), compute_hash(&t, Some(1)));
    // Our own RS with our template: not a collision.
    let ours = owned_rs(&d, "nginx:1", "1", 10);
    let plan = on_create_conflict(&d, &ours, t0());
    assert!(plan.actions.is_empty());
    // Other create errors: Progressing=False ReplicaSetCreateError + Warning event.
    let plan = on_create_error(&d, "nginx-abc", "quota exceeded", t0());
    assert!(matches!(&plan.actions[0], Action::UpdateDeploymentStatus(s)
        if get_condition(Some(s), CONDITION_PROGRESSING).unwrap().reason.as_deref() == Some(REASON_FAILED_RS_CREATE)));
    assert_eq!(
        plan.actions[1],
        Action::Event {
            type_: "Warning",
            reason: REASON_FAILED_RS_CREATE.into(),
            message: "Failed to create new replica set \"nginx-abc\": quota exceeded".into(),
        }
    );
}

#[test]
fn revision_history_limit_cleans_up_after_rollouts() {
    let mut w = steady(2, 1, 0);
    w.d.spec.as_mut().unwrap().revision_history_limit = Some(1);
    for img in ["nginx:2", "nginx:3", "nginx:4"] {
        w.revise(img);
        for _ in 0..8 {
            w.sync();
            w.settle(true);
        }
    }
    // Current (rev 4) + one old revision kept.
    let rss: Vec<&ReplicaSet> = w.rss.iter().collect();
    let h = history(&w.d, &rss).unwrap();
    assert_eq!(h.iter().map(|e| e.revision).collect::<Vec<_>>(), vec![3, 4]);
    // Rolling back re-uses the revision-3 RS: it becomes revision 5 with history "3".
    let RollbackOutcome::RolledBack(back) = rollback(&w.d, &rss, 0).unwrap() else {
        panic!()
    };
    w.d.spec = back.spec.clone();
    w.d.metadata.annotations = back.metadata.annotations.clone();
    w.d.metadata.generation = Some(w.d.metadata.generation.unwrap() + 1);
    for _ in 0..6 {
        w.sync();
        w.settle(true);
    }
    let rs3 = w
        .rss
        .iter()
        .find(|rs| rs_template(rs).spec.unwrap().containers[0].image.as_deref() == Some("nginx:3"))
        .unwrap();
    let a = rs3.metadata.annotations.clone().unwrap();
    assert_eq!(a[REVISION_ANNOTATION], "5");
    assert_eq!(a[REVISION_HISTORY_ANNOTATION], "3");
    assert_eq!(
        w.d.metadata.annotations.clone().unwrap()[REVISION_ANNOTATION],
        "5"
    );
    assert_eq!(w.sizes().iter().map(|s| s.1).sum::<i32>(), 2);
}
