//! Issue 16: a state edited by hand never makes a command panic (exit 101). Each object or
//! list of a stored Deployment is replaced, one at a time, by a value of the wrong shape (a
//! string; in a list, a string item), and the commands that wrote into such places run on it:
//! `rollout restart`, `scale`, `label`, `get`, `describe`, `delete ns`.

use super::common::Sim;
use serde_json::Value;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// The pointers of every object and array in `v`, the root excluded.
fn containers(v: &Value, at: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, c)| {
                (
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    c,
                )
            })
            .collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("{at}/{i}"), c))
            .collect(),
        _ => return,
    };
    for (p, c) in children {
        if c.is_object() || c.is_array() {
            out.push(p.clone());
            containers(c, &p, out);
        }
    }
}

fn segment(state: &Path) -> std::path::PathBuf {
    std::fs::read_dir(state.join("objects"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("deployments.t."))
        .expect("the Deployment's segment")
}

#[test]
fn commands_on_wrong_shapes_never_panic() {
    let base = Sim::new("hand-edited-base");
    for cmd in ["create ns t", "create deployment web --image=nginx -n t"] {
        let out = base.run(&cmd.split(' ').collect::<Vec<_>>(), None);
        assert!(out.status.success(), "{cmd}: {out:?}");
    }
    let seg = segment(&base.state());
    let list: Value = serde_json::from_slice(&std::fs::read(&seg).unwrap()).unwrap();
    let mut paths = Vec::new();
    containers(&list[0], "/0", &mut paths);
    assert!(paths.len() > 15, "{paths:?}");
    let edits: Vec<(String, Value)> = paths
        .iter()
        .flat_map(|p| {
            let mut v = vec![(p.clone(), Value::from("x"))];
            if list.pointer(p).is_some_and(Value::is_array) {
                v.push((p.clone(), serde_json::json!(["x"])));
            }
            v
        })
        .collect();
    for (i, (path, with)) in edits.iter().enumerate() {
        let sim = Sim::new(&format!("hand-edited-{i}"));
        copy_dir(&base.state(), &sim.state());
        let seg = segment(&sim.state());
        let mut edited = list.clone();
        *edited.pointer_mut(path).unwrap() = with.clone();
        std::fs::write(&seg, serde_json::to_vec(&edited).unwrap()).unwrap();
        for cmd in [
            "rollout restart deploy web -n t",
            "scale deploy web --replicas=2 -n t",
            "label deploy web -n t a=b",
            "get deploy web -n t -o yaml",
            "describe deploy web -n t",
            "delete ns t",
        ] {
            let out = sim.run(&cmd.split(' ').collect::<Vec<_>>(), None);
            assert_ne!(
                out.status.code(),
                Some(101),
                "{cmd} with {path} = {with}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
