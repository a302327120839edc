//! Test fixtures shared by the scheduler's tests: small clusters, pods, and randomized
//! (deterministic) clusters run through the cached path against from-scratch infos.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, ContainerPort, Node, NodeAffinity, NodeSelectorRequirement, NodeSelectorTerm,
    NodeSpec, NodeStatus as KNodeStatus, Pod, PodAffinityTerm, PodSpec, PodStatus,
    ResourceRequirements, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};

use super::{NodeInfo, PodInfo, build_node_infos, schedule_cached, schedule_prepared};

pub(crate) fn node(name: &str, cpu: &str, mem: &str) -> Node {
    let alloc: BTreeMap<String, Quantity> = [
        ("cpu".to_string(), Quantity(cpu.into())),
        ("memory".to_string(), Quantity(mem.into())),
        ("pods".to_string(), Quantity("110".into())),
    ]
    .into();
    Node {
        metadata: ObjectMeta {
            name: Some(name.into()),
            labels: Some([("kubernetes.io/hostname".to_string(), name.to_string())].into()),
            ..Default::default()
        },
        spec: Some(NodeSpec::default()),
        status: Some(KNodeStatus {
            allocatable: Some(alloc.clone()),
            capacity: Some(alloc),
            ..Default::default()
        }),
    }
}

pub(crate) fn control_plane() -> Node {
    let mut n = node("kind-control-plane", "4", "8Gi");
    n.spec.as_mut().unwrap().taints = Some(vec![Taint {
        key: "node-role.kubernetes.io/control-plane".into(),
        effect: "NoSchedule".into(),
        ..Default::default()
    }]);
    n
}

pub(crate) fn pod(name: &str, cpu: Option<&str>, mem: Option<&str>) -> Pod {
    let mut reqs = BTreeMap::new();
    if let Some(c) = cpu {
        reqs.insert("cpu".to_string(), Quantity(c.into()));
    }
    if let Some(m) = mem {
        reqs.insert("memory".to_string(), Quantity(m.into()));
    }
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "c".into(),
                image: Some("nginx".into()),
                resources: Some(ResourceRequirements {
                    requests: if reqs.is_empty() { None } else { Some(reqs) },
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: None,
    }
}

pub(crate) fn kind_cluster() -> Vec<Node> {
    vec![
        control_plane(),
        node("kind-worker", "4", "8Gi"),
        node("kind-worker2", "4", "8Gi"),
    ]
}

/// A small deterministic PRNG (xorshift64*).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

pub(crate) fn qmap(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
        .collect()
}

/// Nodes with mixed sizes, zones, taints (NoSchedule, PreferNoSchedule), an unschedulable
/// one, one without a hostname label and an extended resource on some.
pub(crate) fn random_nodes(rng: &mut Rng, count: usize) -> Vec<Node> {
    (0..count)
        .map(|i| {
            let name = format!("n{i:02}");
            let cpu = *rng.pick(&["2", "4", "8"]);
            let mem = *rng.pick(&["4Gi", "8Gi"]);
            let mut n = node(&name, cpu, mem);
            let status = n.status.as_mut().unwrap();
            let alloc = status.allocatable.as_mut().unwrap();
            alloc.insert("pods".into(), Quantity(rng.pick(&["8", "110"]).to_string()));
            if rng.chance(25) {
                alloc.insert("example.com/gpu".into(), Quantity("2".into()));
            }
            let labels = n.metadata.labels.as_mut().unwrap();
            labels.insert("zone".into(), rng.pick(&["a", "b", "c"]).to_string());
            if rng.chance(40) {
                labels.insert("disk".into(), "ssd".into());
            }
            if i == 5 {
                labels.remove("kubernetes.io/hostname");
            }
            let spec = n.spec.as_mut().unwrap();
            let mut taints = Vec::new();
            if rng.chance(15) {
                taints.push(Taint {
                    key: "dedicated".into(),
                    value: Some("gpu".into()),
                    effect: "NoSchedule".into(),
                    ..Default::default()
                });
            }
            if rng.chance(20) {
                taints.push(Taint {
                    key: "soft".into(),
                    effect: "PreferNoSchedule".into(),
                    ..Default::default()
                });
            }
            if !taints.is_empty() {
                spec.taints = Some(taints);
            }
            if i == 3 {
                spec.unschedulable = Some(true);
            }
            n
        })
        .collect()
}

pub(crate) fn random_container(rng: &mut Rng, name: &str) -> Container {
    let mut reqs = BTreeMap::new();
    let mut limits = BTreeMap::new();
    if let Some(c) = rng.pick(&[None, Some("100m"), Some("250m"), Some("1"), Some("0.5")]) {
        reqs.insert("cpu".to_string(), Quantity(c.to_string()));
    }
    if let Some(m) = rng.pick(&[None, Some("128Mi"), Some("1Gi"), Some("3Gi"), Some("0")]) {
        reqs.insert("memory".to_string(), Quantity(m.to_string()));
    }
    if rng.chance(10) {
        // A limit without a request counts as the request.
        limits.insert("cpu".to_string(), Quantity("300m".into()));
        reqs.remove("cpu");
    }
    if rng.chance(5) {
        reqs.insert("example.com/gpu".to_string(), Quantity("1".into()));
    }
    let mut c = Container {
        name: name.into(),
        resources: Some(ResourceRequirements {
            requests: Some(reqs).filter(|r| !r.is_empty()),
            limits: Some(limits).filter(|l| !l.is_empty()),
            ..Default::default()
        }),
        ..Default::default()
    };
    if rng.chance(8) {
        c.ports = Some(vec![ContainerPort {
            container_port: 80,
            host_port: Some(*rng.pick(&[80, 443, 8080])),
            protocol: rng.pick(&[None, Some("UDP")]).map(str::to_string),
            host_ip: rng.pick(&[None, Some("10.0.0.1")]).map(str::to_string),
            ..Default::default()
        }]);
    }
    c
}

pub(crate) fn hostname_term(app: &str, key: &str) -> PodAffinityTerm {
    PodAffinityTerm {
        label_selector: Some(LabelSelector {
            match_labels: Some([("app".to_string(), app.to_string())].into()),
            ..Default::default()
        }),
        topology_key: key.into(),
        ..Default::default()
    }
}

/// An unscheduled pod with random requests (containers, init containers, sidecars),
/// host ports, selectors, tolerations, owners, priorities and, rarely, pod (anti-)affinity.
pub(crate) fn random_pod(rng: &mut Rng, i: usize) -> Pod {
    use k8s_openapi::api::core::v1::{
        Affinity, PodAffinity, PodAntiAffinity, PreferredSchedulingTerm,
    };
    let mut p = pod(&format!("p{i:04}"), None, None);
    p.metadata.namespace = Some(rng.pick(&["default", "team"]).to_string());
    let app = format!("app{}", rng.below(6));
    p.metadata.labels = Some([("app".to_string(), app.clone())].into());
    if rng.chance(80) {
        p.metadata.owner_references = Some(vec![OwnerReference {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            name: app.clone(),
            uid: format!("uid-{}", rng.below(8)),
            controller: Some(rng.chance(95)),
            ..Default::default()
        }]);
    }
    let spec = p.spec.as_mut().unwrap();
    spec.containers = (0..1 + rng.below(2))
        .map(|c| random_container(rng, &format!("c{c}")))
        .collect();
    if rng.chance(15) {
        let mut init = random_container(rng, "init");
        if rng.chance(50) {
            init.restart_policy = Some("Always".into());
        }
        spec.init_containers = Some(vec![init]);
    }
    if rng.chance(5) {
        spec.overhead = Some(qmap(&[("cpu", "50m")]));
    }
    if rng.chance(12) {
        spec.node_selector = Some(
            [(
                rng.pick(&["disk", "zone"]).to_string(),
                rng.pick(&["ssd", "a"]).to_string(),
            )]
            .into(),
        );
    }
    if rng.chance(20) {
        spec.tolerations = Some(vec![Toleration {
            key: Some("dedicated".into()),
            operator: Some("Exists".into()),
            ..Default::default()
        }]);
    }
    spec.priority = *rng.pick(&[None, Some(0), Some(100), Some(1000)]);
    if rng.chance(5) {
        spec.preemption_policy = Some("Never".into());
    }
    if rng.chance(3) {
        spec.node_name = Some(format!("n{:02}", rng.below(12)));
    }
    let mut affinity = Affinity::default();
    if rng.chance(10) {
        affinity.node_affinity = Some(NodeAffinity {
            preferred_during_scheduling_ignored_during_execution: Some(vec![
                PreferredSchedulingTerm {
                    weight: 10,
                    preference: NodeSelectorTerm {
                        match_expressions: Some(vec![NodeSelectorRequirement {
                            key: "zone".into(),
                            operator: "In".into(),
                            values: Some(vec!["b".into()]),
                        }]),
                        ..Default::default()
                    },
                },
            ]),
            ..Default::default()
        });
    }
    if rng.chance(4) {
        let key = rng.pick(&["kubernetes.io/hostname", "zone"]);
        affinity.pod_anti_affinity = Some(PodAntiAffinity {
            required_during_scheduling_ignored_during_execution: Some(vec![hostname_term(
                &app, key,
            )]),
            ..Default::default()
        });
    }
    if rng.chance(2) {
        affinity.pod_affinity = Some(PodAffinity {
            required_during_scheduling_ignored_during_execution: Some(vec![hostname_term(
                &format!("app{}", rng.below(6)),
                "zone",
            )]),
            ..Default::default()
        });
    }
    if affinity != Affinity::default() {
        spec.affinity = Some(affinity);
    }
    p
}

/// The signature of [`schedule`], for a reference implementation.
pub(crate) type ScheduleFn =
    fn(&Pod, &[&Node], &BTreeMap<String, Vec<&Pod>>) -> Result<String, String>;

/// Schedules `pods` random pods one by one on `node_count` random nodes, keeping
/// `NodeInfo`s incrementally (binds, pods finishing, being deleted or marked for deletion,
/// a node resized without `set_node`), and asserts that [`schedule_cached`] agrees with
/// `reference` on every decision. Returns (bound, failed) counts.
pub(crate) fn run_scenario(
    seed: u64,
    node_count: usize,
    pods: usize,
    reference: ScheduleFn,
) -> (usize, usize) {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    let mut rng = Rng::new(seed);
    let mut nodes = random_nodes(&mut rng, node_count);
    let mut infos: BTreeMap<String, NodeInfo> = nodes
        .iter()
        .map(|n| (n.metadata.name.clone().unwrap(), NodeInfo::new(n)))
        .collect();
    let mut bound: Vec<Pod> = Vec::new();
    let (mut ok, mut failed) = (0, 0);
    for i in 0..pods {
        if i == pods / 2 {
            // Resize a node behind the cache's back: schedule_cached must notice.
            nodes[1]
                .status
                .as_mut()
                .unwrap()
                .allocatable
                .as_mut()
                .unwrap()
                .insert("cpu".into(), Quantity("16".into()));
        }
        let mut p = random_pod(&mut rng, i);
        let refs: Vec<&Node> = nodes.iter().collect();
        let mut on_nodes: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
        for q in &bound {
            on_nodes
                .entry(q.spec.as_ref().unwrap().node_name.clone().unwrap())
                .or_default()
                .push(q);
        }
        let want = reference(&p, &refs, &on_nodes);
        let got = schedule_cached(&p, &refs, &infos);
        assert_eq!(got, want, "seed {seed} pod {i}: {p:?}");
        // The loop's path: the pod decoded from JSON, the infos' nodes kept current.
        let decoded = PodInfo::from_value(&serde_json::to_value(&p).unwrap()).unwrap();
        assert_eq!(decoded, PodInfo::from_pod(&p), "seed {seed} pod {i}");
        let mut synced = infos.clone();
        for n in &nodes {
            synced
                .get_mut(n.metadata.name.as_deref().unwrap())
                .unwrap()
                .set_node(n);
        }
        assert_eq!(
            schedule_prepared(&decoded, &synced),
            got,
            "seed {seed} pod {i}"
        );
        match got {
            Ok(n) => {
                ok += 1;
                p.spec.as_mut().unwrap().node_name = Some(n.clone());
                infos.entry(n).or_default().add_pod(&p);
                bound.push(p);
            }
            Err(_) => failed += 1,
        }
        if bound.is_empty() {
            continue;
        }
        let k = rng.below(bound.len());
        let node = bound[k].spec.as_ref().unwrap().node_name.clone().unwrap();
        match rng.below(12) {
            0 => {
                // Finished: still listed, no longer counted.
                bound[k].status = Some(PodStatus {
                    phase: Some(rng.pick(&["Succeeded", "Failed"]).to_string()),
                    ..Default::default()
                });
                infos.get_mut(&node).unwrap().add_pod(&bound[k]);
            }
            1 => {
                let gone = bound.remove(k);
                infos.get_mut(&node).unwrap().remove_pod(&gone);
            }
            2 => {
                bound[k].metadata.deletion_timestamp =
                    Some(Time("2025-01-01T00:00:00Z".parse().unwrap()));
                infos.get_mut(&node).unwrap().add_pod(&bound[k]);
            }
            _ => {}
        }
    }
    // The incrementally kept infos equal ones built from scratch.
    let refs: Vec<&Node> = nodes.iter().collect();
    for n in &refs {
        infos
            .get_mut(n.metadata.name.as_deref().unwrap())
            .unwrap()
            .set_node(n);
    }
    let mut on_nodes: BTreeMap<String, Vec<&Pod>> = BTreeMap::new();
    for q in &bound {
        on_nodes
            .entry(q.spec.as_ref().unwrap().node_name.clone().unwrap())
            .or_default()
            .push(q);
    }
    assert_eq!(infos, build_node_infos(&refs, &on_nodes), "seed {seed}");
    (ok, failed)
}
