//! The state directory as trustworthy as etcd: nothing lost, nothing half written, no
//! planted file followed, corrupt states named with the way out (`kubesim reset`).
//! Real binary, real state directories, corrupted by hand.

use crate::common::Sim;
use std::path::{Path, PathBuf};
use std::process::Output;

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn ok(sim: &Sim, args: &[&str]) -> String {
    let o = sim.run(args, None);
    assert!(o.status.success(), "{args:?}: {}", err(&o));
    out(&o)
}

/// The files of `dir` (recursively, links as links) with their bytes or link targets.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let t = e.file_type().unwrap();
            let name = p.strip_prefix(dir).unwrap().to_string_lossy().to_string();
            if t.is_dir() {
                stack.push(p);
            } else if t.is_symlink() {
                let to = std::fs::read_link(&p).unwrap();
                v.push((name, to.to_string_lossy().as_bytes().to_vec()));
            } else {
                v.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    v.sort();
    v
}

fn meta(sim: &Sim) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(sim.state().join("meta.json")).unwrap()).unwrap()
}

fn generation(sim: &Sim) -> u64 {
    meta(sim)["generation"].as_u64().unwrap()
}

/// Asserts a clean failure: exit 1, one `error: ...` naming `names`, no panic, nothing on
/// stdout.
fn fails_with(o: &Output, names: &[&str]) {
    let e = err(o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.starts_with("error: "), "{e}");
    assert!(!e.contains("panicked") && !e.contains('\0'), "{e}");
    for n in names {
        assert!(e.contains(n), "{n:?} not in: {e}");
    }
    assert_eq!(out(o), "");
}

#[test]
fn a_state_without_its_manifest_is_an_error_not_a_new_cluster() {
    let sim = Sim::new("no-manifest");
    ok(
        &sim,
        &["create", "configmap", "precious", "--from-literal=a=b"],
    );
    std::fs::remove_file(sim.state().join("meta.json")).unwrap();
    let before = files(&sim.state());
    let path = sim.state().join("meta.json");
    for args in [
        &["get", "pods"][..],
        &["create", "configmap", "other"],
        &["get", "cm"],
    ] {
        let o = sim.run(args, None);
        fails_with(
            &o,
            &["holds objects but no manifest", path.to_str().unwrap()],
        );
        assert!(err(&o).contains("kubesim reset"));
        assert_eq!(files(&sim.state()), before, "{args:?} touched the objects");
    }
    // Only reset starts over.
    ok(&sim, &["reset"]);
    assert_eq!(
        ok(&sim, &["get", "cm", "-o", "name"]),
        "configmap/kube-root-ca.crt\n"
    );
}

#[test]
fn reset_works_on_any_corrupt_state() {
    let sim = Sim::new("reset-corrupt");
    let outside = sim.dir.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("unrelated.json"), b"keep me").unwrap();
    type Corrupt<'a> = &'a dyn Fn(&Path);
    let corruptions: &[(&str, Corrupt)] = &[
        ("garbled", &|s| {
            std::fs::write(s.join("meta.json"), b"{garbage").unwrap()
        }),
        ("future", &|s| {
            std::fs::write(s.join("meta.json"), br#"{"format": 99}"#).unwrap()
        }),
        ("no manifest", &|s| {
            std::fs::remove_file(s.join("meta.json")).unwrap()
        }),
        ("objects link", &|s| {
            std::fs::remove_dir_all(s.join("objects")).unwrap();
            std::os::unix::fs::symlink(&outside, s.join("objects")).unwrap();
        }),
    ];
    for (what, corrupt) in corruptions {
        ok(&sim, &["create", "configmap", "x"]);
        corrupt(&sim.state());
        assert_eq!(
            sim.run(&["get", "cm"], None).status.code(),
            Some(1),
            "{what}"
        );
        let o = sim.run(&["reset"], None);
        assert!(o.status.success(), "{what}: {}", err(&o));
        assert_eq!(
            ok(&sim, &["get", "cm", "-o", "name"]),
            "configmap/kube-root-ca.crt\n",
            "{what}"
        );
    }
    // The link was removed, not followed.
    assert_eq!(
        std::fs::read(outside.join("unrelated.json")).unwrap(),
        b"keep me"
    );
}

#[test]
fn manifest_values_out_of_shape_are_errors_naming_the_path() {
    let sim = Sim::new("bad-values");
    ok(&sim, &["create", "deployment", "web", "--image=nginx"]);
    let good = std::fs::read(sim.state().join("meta.json")).unwrap();
    let path = sim.state().join("meta.json");
    let cases: &[(&str, serde_json::Value)] = &[
        ("resource_version", serde_json::json!(u64::MAX)),
        ("generation", serde_json::json!(u64::MAX)),
        ("clock", serde_json::json!("not a time")),
        ("created", serde_json::json!("yesterday")),
        ("engine", serde_json::json!({"timers": "soon"})),
        (
            "engine",
            serde_json::json!({"timers": [{"at": "later", "controller": "x", "key": "y", "settles": true}]}),
        ),
        ("engine", serde_json::json!([1, 2])),
        (
            "segments",
            serde_json::json!({"pods.default": "../../../etc/passwd"}),
        ),
        (
            "segments",
            serde_json::json!({"pods.default": "pods.default.999.json"}),
        ),
    ];
    for (field, value) in cases {
        let mut m: serde_json::Value = serde_json::from_slice(&good).unwrap();
        m[*field] = value.clone();
        std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
        for args in [
            &["get", "pods"][..],
            &["scale", "deploy", "web", "--replicas=2"],
        ] {
            let o = sim.run(args, None);
            fails_with(&o, &["is corrupt", path.to_str().unwrap(), "kubesim reset"]);
            assert!(
                !err(&o).contains("Depth {") && !err(&o).contains("Some("),
                "{}",
                err(&o)
            );
        }
    }
}

#[test]
fn a_missing_segment_file_is_a_corrupt_state() {
    let sim = Sim::new("missing-segment");
    ok(&sim, &["create", "configmap", "a"]);
    let seg = meta(&sim)["segments"]["configmaps.default"]
        .as_str()
        .unwrap()
        .to_string();
    let path = sim.state().join("objects").join(&seg);
    std::fs::remove_file(&path).unwrap();
    // Found while serving the request: kubectl's words for a server-side failure.
    let o = sim.run(&["get", "cm"], None);
    let e = err(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.starts_with("Error from server (InternalError): the state at "),
        "{e}"
    );
    for n in ["is corrupt", path.to_str().unwrap(), "kubesim reset"] {
        assert!(e.contains(n), "{n:?} not in: {e}");
    }
}

#[test]
fn bad_environment_values_are_errors() {
    let sim = Sim::new("bad-env");
    for (var, val, says) in [
        (
            "KUBESIM_START_TIME",
            "noon",
            "KUBESIM_START_TIME=\"noon\" is not an RFC 3339 time",
        ),
        (
            "KUBESIM_SEED",
            "-3",
            "KUBESIM_SEED=\"-3\" is not an unsigned 64-bit integer",
        ),
    ] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
            .args(["get", "nodes"])
            .env("KUBESIM_STATE_DIR", sim.state())
            .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
            .env(var, val)
            .output()
            .unwrap();
        fails_with(&o, &[says]);
        assert!(
            !sim.state().join("meta.json").exists(),
            "a state was created"
        );
    }
}

/// The names of the new generation's segment files a commit from `sim`'s state would write.
fn next_segment(sim: &Sim, key: &str) -> PathBuf {
    sim.state()
        .join("objects")
        .join(format!("{key}.{}.json", generation(sim) + 1))
}

#[test]
fn a_failed_commit_claims_nothing_and_leaves_nothing() {
    let sim = Sim::new("failed-commit");
    ok(&sim, &["create", "deployment", "web", "--image=nginx"]);
    // The deployments segment cannot be written (a directory is in the way); the others
    // (replicasets, pods, events) can.
    let blocked = next_segment(&sim, "deployments.default");
    std::fs::create_dir(&blocked).unwrap();
    let before = files(&sim.state());
    let o = sim.run(&["scale", "deployment", "web", "--replicas=3"], None);
    fails_with(&o, &["cannot write", blocked.to_str().unwrap()]);
    assert!(!err(&o).contains("scaled"));
    // Nothing of the new generation is left (the other segments were removed at once).
    assert_eq!(files(&sim.state()), before);
    std::fs::remove_dir(&blocked).unwrap();
    assert_eq!(
        ok(&sim, &["scale", "deployment", "web", "--replicas=3"]),
        "deployment.apps/web scaled\n"
    );
}

#[test]
fn writes_do_not_follow_planted_links() {
    let sim = Sim::new("planted");
    ok(&sim, &["create", "configmap", "a"]);
    let victim = sim.dir.join("victim");
    std::fs::write(&victim, b"untouched").unwrap();
    let s = sim.state();
    std::os::unix::fs::symlink(&victim, s.join("meta.json.tmp")).unwrap();
    std::os::unix::fs::symlink(&victim, next_segment(&sim, "configmaps.default")).unwrap();
    let _ = std::fs::remove_file(s.join(".lock"));
    let dangling = sim.dir.join("lock-target");
    std::os::unix::fs::symlink(&dangling, s.join(".lock")).unwrap();
    assert_eq!(
        ok(&sim, &["create", "configmap", "b"]),
        "configmap/b created\n"
    );
    assert_eq!(std::fs::read(&victim).unwrap(), b"untouched");
    assert!(!dangling.exists(), "the .lock link was followed");
    assert_eq!(
        ok(&sim, &["get", "cm", "-o", "name"]),
        "configmap/a\nconfigmap/b\nconfigmap/kube-root-ca.crt\n"
    );
    // An `objects` link: refused, and the clean-up deletes nothing over there.
    let elsewhere = sim.dir.join("elsewhere");
    std::fs::rename(s.join("objects"), &elsewhere).unwrap();
    std::fs::write(elsewhere.join("unrelated.json"), b"mine").unwrap();
    std::os::unix::fs::symlink(&elsewhere, s.join("objects")).unwrap();
    let listing = files(&elsewhere);
    let o = sim.run(&["create", "configmap", "c"], None);
    fails_with(&o, &["objects", "symbolic link"]);
    assert_eq!(files(&elsewhere), listing);
}

#[test]
fn a_lock_file_removed_during_a_write_lets_no_second_writer_in() {
    use std::io::BufRead;
    let sim = Sim::new("lock-removed");
    ok(&sim, &["get", "ns"]);
    let mut a = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(["create", "configmap", "first"])
        .env("KUBESIM_STATE_DIR", sim.state())
        .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
        .env("KUBESIM_TEST_COMMIT_PAUSE_MS", "1500@manifest-staged")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(a.stderr.take().unwrap()).lines();
    assert_eq!(
        lines.next().unwrap().unwrap(),
        "kubesim-test: commit paused: manifest-staged"
    );
    // Whatever lock file there may be goes while `a` is inside its commit.
    let _ = std::fs::remove_file(sim.state().join(".lock"));
    let b = sim.run(&["create", "configmap", "second"], None);
    assert!(b.status.success(), "{}", err(&b));
    assert!(a.wait().unwrap().success());
    assert_eq!(
        ok(&sim, &["get", "cm", "-o", "name"]),
        "configmap/first\nconfigmap/kube-root-ca.crt\nconfigmap/second\n"
    );
}

#[test]
fn events_of_a_state_from_before_expiry_are_swept_at_its_next_commit() {
    let sim = Sim::new("old-events");
    ok(&sim, &["create", "deployment", "web", "--image=nginx"]);
    ok(&sim, &["advance", "2h"]);
    assert!(ok(&sim, &["get", "events", "-o", "name"]).is_empty());
    // A state written before Events expired: no sweep time in its manifest.
    ok(&sim, &["create", "deployment", "web2", "--image=nginx"]);
    let path = sim.state().join("meta.json");
    let mut m = meta(&sim);
    m.as_object_mut().unwrap().remove("event_sweep");
    std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
    ok(&sim, &["advance", "2h"]);
    assert!(ok(&sim, &["get", "events", "-o", "name"]).is_empty());
    assert_eq!(meta(&sim)["event_sweep"], "none");
}

#[test]
fn an_event_ttl_is_kept_by_reset() {
    let sim = Sim::new("event-ttl");
    ok(&sim, &["reset", "--event-ttl=10m"]);
    ok(&sim, &["create", "deployment", "web", "--image=nginx"]);
    ok(&sim, &["advance", "9m"]);
    assert!(!ok(&sim, &["get", "events", "-o", "name"]).is_empty());
    ok(&sim, &["advance", "2m"]);
    assert!(ok(&sim, &["get", "events", "-o", "name"]).is_empty());
}
