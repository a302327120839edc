//! Property tests (issue 16): no input, file or state may panic. Random shapes, grafted onto
//! real objects so that the code under test gets past its first checks, go through the paths
//! users reach: manifest decoding, the three patch types as `kubesim patch` applies them, the
//! API's writes (defaulting, admission, validation) and the controllers that settle after
//! them, and loading a state whose files were edited by hand.
//!
//! Bounded and deterministic: a fixed seed and a fixed number of cases per property (set
//! `PROPTEST_CASES` to run more locally); failures are not persisted to files. The CLI paths
//! over hand-edited states (`rollout restart`, `scale`, `delete ns`) run the real binary in
//! `tests/fuzz.rs`.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};
use serde_json::{Map, Value, json};

use super::patch::{Kind, patched};
use crate::api::Api;
use crate::api::bootstrap::scratch_api;
use crate::api::decode::{parse_documents, strict_decode, yaml_to_json};
use crate::api::kinds::by_kind;

fn config(cases: u32) -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(16),
        max_shrink_iters: 256,
        ..Config::default()
    }
}

/// Keys the API types have (so random objects reach deep into the decoders and strategies).
const KEYS: &[&str] = &[
    "metadata",
    "spec",
    "status",
    "name",
    "namespace",
    "labels",
    "annotations",
    "containers",
    "initContainers",
    "template",
    "replicas",
    "selector",
    "matchLabels",
    "image",
    "ports",
    "containerPort",
    "strategy",
    "rollingUpdate",
    "maxSurge",
    "type",
    "finalizers",
    "ownerReferences",
    "uid",
    "conditions",
    "volumes",
    "resources",
    "requests",
    "cpu",
    "data",
    "stringData",
    "volumeClaimTemplates",
    "$patch",
    "$retainKeys",
    "$setElementOrder/containers",
    "$deleteFromPrimitiveList/finalizers",
];

const STRINGS: &[&str] = &[
    "",
    "x",
    "web",
    "nginx",
    "25%",
    "app=web",
    "Always",
    "RollingUpdate",
    "Recreate",
    "2026-01-01T00:00:00Z",
    "1Gi",
    "Gi",
    " 2Gi ",
    "1e30",
    "é",
    "replace",
    "delete",
    "merge",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            Just(0i64),
            Just(1),
            Just(-1),
            Just(3),
            Just(i64::from(i32::MAX)),
            Just(i64::from(i32::MAX) + 1),
            Just(1 << 40),
            Just(i64::MIN),
            any::<i64>(),
        ]
        .prop_map(|n| json!(n)),
        Just(json!(0.5)),
        prop::sample::select(STRINGS).prop_map(|s| json!(s)),
    ]
}

/// Any JSON value, with keys the API knows.
fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..5).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

/// The JSON pointer of every object and list in `v` (the root included): the places code
/// writes into, so the places a wrong shape hurts. (Leaves are the decoders' type errors,
/// reached by the random values themselves.)
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, format!("{at}/{i}"), out);
            }
        }
        _ => return,
    }
    out.push(at);
}

/// `base` with the value at one of its pointers (chosen by `at`) replaced by `with`.
fn graft(base: &Value, at: Index, with: Value) -> Value {
    let mut ps = Vec::new();
    pointers(base, String::new(), &mut ps);
    graft_at(base, &ps[at.index(ps.len())], with)
}

fn graft_at(base: &Value, p: &str, with: Value) -> Value {
    let mut out = base.clone();
    if let Some(slot) = out.pointer_mut(p) {
        *slot = with;
    }
    out
}

fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"},
                     "annotations": {"a": "b"}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                 "strategy": {"type": "RollingUpdate",
                              "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                  "ports": [{"containerPort": 80}],
                                  "resources": {"requests": {"cpu": "100m"}}}]}}}
    })
}

/// A valid object of each kind the fuzzing creates, to graft onto.
fn objects() -> Vec<Value> {
    let pod_spec = json!({"containers": [{"name": "c", "image": "busybox",
        "command": ["sh"], "ports": [{"containerPort": 80, "hostPort": 0}],
        "livenessProbe": {"httpGet": {"port": 80}},
        "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}],
        "volumes": [{"name": "v"}, {"name": "s", "secret": {"secretName": "s"}}]});
    let meta = |n: &str| json!({"name": n, "labels": {"app": n}});
    let template = |n: &str| json!({"metadata": {"labels": {"app": n}}, "spec": pod_spec});
    vec![
        deployment(),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta("p"), "spec": pod_spec}),
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta("rs"),
               "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "rs"}},
                        "template": template("rs")}}),
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta("ss"),
               "spec": {"replicas": 1, "serviceName": "ss",
                        "selector": {"matchLabels": {"app": "ss"}}, "template": template("ss"),
                        "volumeClaimTemplates": [{"metadata": {"name": "d"},
                            "spec": {"accessModes": ["ReadWriteOnce"],
                                     "resources": {"requests": {"storage": "1Gi"}}}}]}}),
        json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": meta("rc"),
               "spec": {"replicas": 1, "template": template("rc")}}),
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta("j"),
               "spec": {"template": {"spec": {"restartPolicy": "Never",
                   "containers": [{"name": "c", "image": "busybox"}]}}}}),
        json!({"apiVersion": "v1", "kind": "Service", "metadata": meta("svc"),
               "spec": {"type": "NodePort", "selector": {"app": "web"},
                        "ports": [{"port": 80, "targetPort": 8080}]}}),
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": meta("s"),
               "stringData": {"k": "v"}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("cm"),
               "data": {"k": "v"}}),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta("ns")}),
        json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta("pvc"),
               "spec": {"accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "1Gi"}}}}),
        json!({"apiVersion": "v1", "kind": "Node", "metadata": meta("n"),
               "spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]},
               "status": {"capacity": {"cpu": "2", "pods": "110"}}}),
    ]
}

fn scratch(name: &str) -> (Api, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("kubesim-fuzz-{name}-{}", std::process::id()));
    let mut api = scratch_api(&dir, "2026-01-01T00:00:00Z");
    crate::api::bootstrap::default_cluster(&mut api).expect("the default cluster");
    (api, dir)
}

proptest! {
    #![proptest_config(config(512))]

    /// Manifest bytes: random bytes, and YAML or JSON of real objects with a random graft.
    #[test]
    fn decoding_any_manifest_never_panics(
        which in 0..12usize,
        at in any::<Index>(),
        with in value(),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
        yaml in any::<bool>(),
    ) {
        let obj = graft(&objects()[which], at, with);
        let mut text = if yaml {
            crate::print::yaml::to_yaml(&obj).into_bytes()
        } else {
            serde_json::to_vec(&obj).unwrap_or_default()
        };
        let _ = parse_documents(&bytes, "f.yaml");
        if let Ok(docs) = parse_documents(&text, "f.yaml") {
            for d in docs {
                let _ = strict_decode(d);
            }
        }
        let _ = yaml_to_json(&String::from_utf8_lossy(&text));
        // The same text with random bytes spliced in.
        let cut = at.index(text.len() + 1);
        text.splice(cut..cut, bytes);
        let _ = parse_documents(&text, "f.yaml");
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// `kubesim patch`'s pipeline (apply the patch, decode, keep the name, update) with any
    /// patch of each type, against a stored Deployment.
    #[test]
    fn patching_never_panics(patch in value(), at in any::<Index>(), op in 0..3usize,
                             path_at in any::<Index>(), kind in 0..3usize) {
        let (mut api, dir) = scratch("patch");
        let info = by_kind("Deployment").unwrap();
        let before = api.create(info, "default", deployment()).expect("valid");
        let patches = [
            (Kind::Merge, graft(&before, at, patch.clone())),
            (Kind::Strategic, graft(&json!({"spec": {"template": {"spec": {"containers": [
                {"name": "nginx", "image": "x"}]}}}}), at, patch.clone())),
            (Kind::Json, {
                let mut ps = Vec::new();
                pointers(&before, String::new(), &mut ps);
                let path = ps[path_at.index(ps.len())].clone();
                let op = ["replace", "add", "remove"][op];
                json!([{"op": op, "path": path, "value": patch}])
            }),
        ];
        let (k, p) = &patches[kind];
        if let Ok(obj) = patched(*k, info, &before, p) {
            let _ = api.update(info, "default", obj);
            let _ = crate::engine::step(&mut api, &crate::cli::cluster::PLANE, 20);
        }
        drop(api);
        let _ = std::fs::remove_dir_all(dir);
    }
}

proptest! {
    #![proptest_config(config(192))]

    /// The API's writes on objects of any shape (what `create`, `apply` and the generators
    /// hand it), and the controllers settling after them.
    #[test]
    fn api_writes_never_panic(which in 0..12usize, at in any::<Index>(), with in value(),
                              at2 in any::<Index>(), with2 in value()) {
        let (mut api, dir) = scratch("write");
        let base = objects()[which].clone();
        let info = by_kind(base["kind"].as_str().unwrap_or_default()).unwrap();
        let ns = if info.namespaced { "default" } else { "" };
        let _ = api.create(info, ns, graft(&base, at, with));
        if let Ok(stored) = api.create(info, ns, base.clone()) {
            let _ = api.update(info, ns, graft(&stored, at2, with2.clone()));
            let _ = api.update_status(info, ns, graft(&stored, at2, with2));
        }
        let _ = crate::engine::step(&mut api, &crate::cli::cluster::PLANE, 40);
        let name = base["metadata"]["name"].as_str().unwrap_or_default().to_string();
        let _ = api.delete(info, ns, &name, crate::api::DeleteOptions::default());
        let _ = crate::engine::step(&mut api, &crate::cli::cluster::PLANE, 40);
        drop(api);
        let _ = std::fs::remove_dir_all(dir);
    }
}

proptest! {
    #![proptest_config(config(96))]

    /// Loading a state whose segment or meta.json was edited by hand: an object grafted into
    /// any shape, or the file's bytes replaced; then every kind listed and read.
    #[test]
    fn loading_a_hand_edited_state_never_panics(
        at in any::<Index>(), with in value(), bytes in prop::collection::vec(any::<u8>(), 0..48),
        target in 0..3usize,
    ) {
        let (mut api, dir) = scratch("load");
        let info = by_kind("Deployment").unwrap();
        let _ = api.create(info, "default", deployment());
        let _ = api.commit();
        drop(api);
        let objects = dir.join("objects");
        let seg = std::fs::read_dir(&objects).ok().and_then(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().contains("deployments.default"))
        });
        match (target, seg) {
            (0, Some(seg)) => {
                let text = std::fs::read_to_string(&seg).unwrap_or_default();
                let list: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let _ = std::fs::write(&seg, serde_json::to_vec(&graft(&list, at, with)).unwrap());
            }
            (1, Some(seg)) => {
                let _ = std::fs::write(&seg, &bytes);
            }
            _ => {
                let meta = dir.join("meta.json");
                let text = std::fs::read_to_string(&meta).unwrap_or_default();
                let m: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let _ = std::fs::write(&meta, serde_json::to_vec(&graft(&m, at, with)).unwrap());
            }
        }
        if let Ok(Some(store)) = crate::store::Store::open(&dir, crate::store::Access::Write) {
            let mut api = Api::new(store);
            for k in crate::kinds::KINDS {
                if let Ok(list) = api.list(k, None) {
                    for o in list {
                        let name = crate::api::name_of(&o).to_string();
                        let ns = crate::api::namespace_of(&o).to_string();
                        let _ = api.get(k, &ns, &name);
                    }
                }
            }
            let _ = crate::engine::step(&mut api, &crate::cli::cluster::PLANE, 20);
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The graft helper reaches every object and list of an object (a property test whose generator could
/// not would test less than it says).
#[test]
fn grafts_reach_every_pointer() {
    let base = json!({"a": {"b": [1, {"c": 2}]}});
    let mut ps = Vec::new();
    pointers(&base, String::new(), &mut ps);
    assert_eq!(ps, ["/a/b/1", "/a/b", "/a", ""]);
    let mut m = Map::new();
    m.insert("x".into(), json!(1));
    assert_eq!(
        graft_at(&base, &ps[0], Value::Object(m)),
        json!({"a": {"b": [1, {"x": 1}]}})
    );
}
