//! Scenario tests: properties of the whole binary on real state directories (determinism,
//! atomicity, concurrency, crash safety, bad input).

use crate::common::{Sim, repo_root};
use std::collections::BTreeMap;
use std::path::Path;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}
fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Every file of a state directory with its bytes (the lock file aside).
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().unwrap() != ".lock" {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_string_lossy().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn same_commands_on_two_fresh_states_print_the_same_bytes() {
    let script: &[&[&str]] = &[
        &["apply", "-f", "testdata/nginx-deployment.yaml"],
        &["create", "-f", "testdata/nginx-rc.yaml"],
        &[
            "set",
            "image",
            "deployment/nginx-deployment",
            "nginx=nginx:1.16.1",
        ],
        &["scale", "rc", "nginx", "--replicas=4"],
        &["get", "all", "-o", "wide"],
        &["get", "pods", "-o", "yaml"],
        &["get", "events"],
        &["rollout", "history", "deployment/nginx-deployment"],
    ];
    let run = |name: &str| {
        let sim = Sim::new(name);
        let mut all = String::new();
        for args in script {
            let o = sim.run(args, None);
            all.push_str(&stdout(&o));
            all.push_str(&stderr(&o));
        }
        all
    };
    let a = run("golden-a");
    let b = run("golden-b");
    assert!(a.contains("nginx-deployment"), "{a}");
    assert!(a.contains("creationTimestamp: \"2026-01-01T00:00:"), "{a}");
    assert_eq!(a, b);
}

#[test]
fn a_rejected_command_leaves_the_state_byte_for_byte() {
    let sim = Sim::new("rejected");
    assert!(
        sim.run(&["apply", "-f", "testdata/config.yaml"], None)
            .status
            .success()
    );
    let before = snapshot(&sim.state());
    for args in [
        &["create", "-f", "testdata/bad-selector.yaml"][..],
        &["create", "-f", "testdata/bad-unknown-field.yaml"],
        &["create", "-f", "testdata/config.yaml"],
        &["delete", "pod", "nope"],
        &["scale", "deploy", "nope", "--replicas=2"],
        &["get", "gizmos"],
        // URLs kubesim cannot answer: an unknown site, a 404, an example it does not carry.
        &[
            "apply",
            "-f",
            "testdata/config.yaml",
            "-f",
            "https://example.com/x.yaml",
        ],
        &["apply", "-f", "https://k8s.io/examples/no-such-file.yaml"],
        &[
            "delete",
            "-f",
            "https://k8s.io/examples/access/simple-role.yaml",
        ],
    ] {
        let o = sim.run(args, None);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert_eq!(snapshot(&sim.state()), before, "{args:?} changed the state");
    }
}

#[test]
fn an_edit_that_changes_nothing_or_fails_leaves_the_state_byte_for_byte() {
    let sim = Sim::new("edit-cancelled");
    assert!(
        sim.run(&["apply", "-f", "testdata/nginx-deployment.yaml"], None)
            .status
            .success()
    );
    let tmp = sim.dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let tmp = tmp.to_string_lossy().into_owned();
    let before = snapshot(&sim.state());
    for (editor, code, says) in [
        (
            "testdata/edit/noop.sh",
            0,
            "Edit cancelled, no changes made.",
        ),
        (
            "testdata/edit/invalid-then-show.sh",
            1,
            "no valid changes were saved",
        ),
        (
            "testdata/edit/rename.sh",
            1,
            "At least one of apiVersion, kind and name was changed",
        ),
        (
            "testdata/edit/unknown-field.sh",
            1,
            "no valid changes were saved",
        ),
        ("false", 1, "there was a problem with the editor \"false\""),
    ] {
        let o = sim.run_env(
            &["edit", "deployment/nginx-deployment"],
            None,
            &[("KUBE_EDITOR", editor), ("TMPDIR", &tmp)],
        );
        assert_eq!(o.status.code(), Some(code), "{editor}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{editor}: {}", stderr(&o));
        assert_eq!(snapshot(&sim.state()), before, "{editor} changed the state");
    }
    // The same edit saved with a change does change it.
    let o = sim.run_env(
        &["edit", "deployment/nginx-deployment"],
        None,
        &[
            ("KUBE_EDITOR", "testdata/edit/replicas-5.sh"),
            ("TMPDIR", &tmp),
        ],
    );
    assert_eq!(stdout(&o), "deployment.apps/nginx-deployment edited\n");
    assert_ne!(snapshot(&sim.state()), before);
}

#[test]
fn thirty_two_concurrent_commands_lose_nothing() {
    let sim = Sim::new("concurrent");
    assert!(sim.run(&["get", "ns"], None).status.success());
    let handles: Vec<_> = (0..32)
        .map(|i| {
            let state = sim.state();
            std::thread::spawn(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
                    .args([
                        "create",
                        "configmap",
                        &format!("cm-{i}"),
                        "--from-literal=k=v",
                    ])
                    .env("KUBESIM_STATE_DIR", state)
                    .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        let o = h.join().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = sim.run(&["get", "cm", "-o", "name"], None);
    let names = stdout(&o);
    for i in 0..32 {
        assert!(
            names.contains(&format!("configmap/cm-{i}\n")),
            "cm-{i} lost:\n{names}"
        );
    }
}

/// Copies a state directory (files and subdirectories).
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

/// Everything the kill test compares: the objects the rounds write and the ones the
/// controllers make from them, whole (`-o yaml`: resourceVersions, uids, timestamps).
const DUMP: &[&str] = &["get", "ns,cm,deploy,rs,pods,events", "-A", "-o", "yaml"];

/// The state at `state` as `DUMP` prints it; loading it must succeed without a word on
/// stderr (no error, no panic).
fn dump(state: &Path) -> String {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(DUMP)
        .env("KUBESIM_STATE_DIR", state)
        .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
        .env_remove("KUBESIM_TEST_COMMIT_PAUSE_MS")
        .output()
        .unwrap();
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "the state does not load: {}",
        stderr(&o)
    );
    stdout(&o)
}

/// Round `r`'s manifest: 100 ConfigMaps in each of three namespaces (three segment files, so
/// a commit has several files to write), their data naming the round, and a Deployment whose
/// scale changes (ReplicaSets, pods and Events: more segments).
fn kill_round_manifest(r: usize) -> String {
    let mut m = String::new();
    for ns in ["crash-a", "crash-b", "crash-c"] {
        m.push_str(&format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n---\n"
        ));
        for i in 0..100 {
            m.push_str(&format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n  namespace: {ns}\n\
                 data:\n  round: \"{r}\"\n---\n"
            ));
        }
    }
    m.push_str(&format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: crash-a\n\
         spec:\n  replicas: {}\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    \
         metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      \
         - {{name: nginx, image: nginx}}\n",
        1 + r % 3
    ));
    m
}

/// Kills `kubesim apply` with SIGKILL inside its commit, at each stage of the store's commit
/// protocol in turn, and checks that the state then loads as exactly the state before the
/// command or exactly the state after it, never a mix and never an error.
///
/// The store's protocol (src/store/mod.rs): each changed segment is written to a new file
/// named after the new generation and the new manifest to `meta.json.tmp`, all of them
/// fsynced, then the rename of that file over `meta.json` is the commit point; old segment
/// files are removed after it.
/// The test-only `KUBESIM_TEST_COMMIT_PAUSE_MS` makes the commit stop at three places and say
/// so on stderr, and the test kills it right there:
/// - `segment-written`: some new segment files are on disk, others not, `meta.json` is the
///   old one (`meta.json.tmp` may be there). Were segments rewritten in place, or the manifest written first, the state
///   would load torn here: it must load as before.
/// - `manifest-staged`: all new files and the complete new manifest (as `meta.json.tmp`) are
///   written, one rename short of the commit point: it must still load as before (a loader
///   that picked up the temporary manifest, or a manifest written in place, would differ).
/// - `committed`: right after the rename, with the old segment files still around: it must
///   load as after.
///
/// The "after" state is known from running the same command, unkilled, on a copy of the
/// state (the clock is fixed, so the command is deterministic). Every round must reach its
/// stage (counted): a kill before the commit proves nothing.
#[test]
fn kill_dash_nine_never_leaves_half_a_command() {
    use std::io::BufRead;
    const STAGES: [&str; 3] = ["segment-written", "manifest-staged", "committed"];
    let sim = Sim::new("crash");
    assert!(sim.run(&["get", "ns"], None).status.success());
    let mut hit = [0usize; 3];
    let rounds = 9;
    for round in 0..rounds {
        let file = sim.dir.join(format!("round-{round}.yaml"));
        std::fs::write(&file, kill_round_manifest(round)).unwrap();
        let apply = ["apply", "-f", file.to_str().unwrap()];
        // The two known-good outcomes.
        let before = dump(&sim.state());
        let scratch = sim.dir.join(format!("scratch-{round}"));
        copy_dir(&sim.state(), &scratch);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
            .args(apply)
            .env("KUBESIM_STATE_DIR", &scratch)
            .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let after = dump(&scratch);
        assert_ne!(before, after, "round {round} changes nothing");
        std::fs::remove_dir_all(&scratch).unwrap();
        // The same command, killed at its stage.
        let stage = round % STAGES.len();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
            .args(apply)
            .env("KUBESIM_STATE_DIR", sim.state())
            .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
            .env(
                "KUBESIM_TEST_COMMIT_PAUSE_MS",
                format!("60000@{}", STAGES[stage]),
            )
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let want = format!("kubesim-test: commit paused: {}", STAGES[stage]);
        let mut reached = false;
        for line in std::io::BufReader::new(child.stderr.take().unwrap()).lines() {
            if line.unwrap() == want {
                reached = true;
                break;
            }
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(
            reached,
            "round {round}: the apply ended ({status}) without reaching `{}`",
            STAGES[stage]
        );
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(9), "round {round}: not killed");
        }
        hit[stage] += 1;
        let now = dump(&sim.state());
        if stage == 2 {
            assert!(
                now == after,
                "round {round}: killed just after the commit point, the state is not the \
                 command's result{}",
                if now == before {
                    " (it is the old state)"
                } else {
                    " (a mix)"
                }
            );
        } else {
            assert!(
                now == before,
                "round {round}: killed inside the commit at `{}`, the state is not the one \
                 before the command{}",
                STAGES[stage],
                if now == after {
                    " (it is the new state)"
                } else {
                    " (a mix)"
                }
            );
        }
    }
    // Every round was killed inside the commit, each stage as often as the others.
    assert_eq!(hit, [rounds / 3; 3]);
}

#[test]
fn a_corrupt_or_future_state_is_a_clear_error() {
    let sim = Sim::new("corrupt");
    assert!(sim.run(&["get", "ns"], None).status.success());
    let meta = sim.state().join("meta.json");
    std::fs::write(&meta, b"{garbage").unwrap();
    let o = sim.run(&["get", "pods"], None);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.starts_with("error: the state at ") && e.contains("is corrupt"),
        "{e}"
    );
    std::fs::write(&meta, br#"{"format": 7}"#).unwrap();
    let e = stderr(&sim.run(&["get", "pods"], None));
    assert!(e.contains("has format 7"), "{e}");
}

#[test]
fn state_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let sim = Sim::new("private");
    assert!(
        sim.run(&["apply", "-f", "testdata/config.yaml"], None)
            .status
            .success()
    );
    for (path, _) in snapshot(&sim.state()) {
        let mode = std::fs::metadata(sim.state().join(&path))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{path} is readable by others: {mode:o}");
    }
    let mode = std::fs::metadata(sim.state()).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0);
}

#[test]
fn an_alias_bomb_is_rejected_quickly() {
    let sim = Sim::new("bomb");
    let mut y = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, c) in "bcdefghi".chars().enumerate() {
        let prev = (b'a' + i as u8) as char;
        y.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    let t = std::time::Instant::now();
    let o = sim.run(&["apply", "-f", "-"], Some(&y));
    assert_eq!(o.status.code(), Some(1));
    assert!(t.elapsed() < std::time::Duration::from_secs(5));
    assert!(
        stderr(&o).starts_with("error: error parsing STDIN"),
        "{}",
        stderr(&o)
    );
    let _ = repo_root();
}

#[test]
fn reset_starts_over_with_the_default_cluster() {
    let sim = Sim::new("reset");
    assert!(
        sim.run(&["create", "configmap", "keep", "--from-literal=a=b"], None)
            .status
            .success()
    );
    assert!(
        sim.run(&["delete", "node", "kubesim-worker2"], None)
            .status
            .success()
    );
    let o = sim.run(&["reset"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("reset to a fresh default cluster"));
    let cms = stdout(&sim.run(&["get", "cm", "-o", "name"], None));
    assert_eq!(cms, "configmap/kube-root-ca.crt\n");
    let nodes = stdout(&sim.run(&["get", "nodes", "-o", "name"], None));
    assert_eq!(
        nodes,
        "node/kubesim-control-plane\nnode/kubesim-worker\nnode/kubesim-worker2\n"
    );
}

#[test]
fn state_dir_flag_beats_the_environment() {
    let sim = Sim::new("state-dir-flag");
    let other = sim.dir.join("other");
    let o = sim.run(
        &[
            "--state-dir",
            other.to_str().unwrap(),
            "create",
            "namespace",
            "elsewhere",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(other.join("meta.json").exists());
    let o = sim.run(&["get", "ns", "elsewhere"], None);
    assert_eq!(o.status.code(), Some(1), "the env state must not see it");
}

#[test]
fn a_closed_pipe_ends_output_quietly_and_the_command_still_commits() {
    let sim = Sim::new("pipe");
    // The reader is gone before kubesim writes a byte: every write meets EPIPE.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(["create", "configmap", "piped", "--from-literal=a=b"])
        .current_dir(repo_root())
        .env("KUBESIM_STATE_DIR", sim.state())
        .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    // As kubectl ended by SIGPIPE: nothing on stderr, status 141 for the shell.
    assert_eq!(stderr(&o), "");
    assert_eq!(o.status.code(), Some(141));
    let o = sim.run(&["get", "configmap", "piped", "-o", "name"], None);
    assert_eq!(stdout(&o), "configmap/piped\n");
}

#[test]
fn describe_of_several_objects_shows_each_its_own_events() {
    let sim = Sim::new("describe-many");
    for args in [
        &[
            "create",
            "deployment",
            "one",
            "--image=nginx",
            "--replicas=1",
        ][..],
        &[
            "create",
            "deployment",
            "two",
            "--image=nginx",
            "--replicas=2",
        ][..],
    ] {
        assert!(sim.run(args, None).status.success());
    }
    let o = sim.run(&["describe", "rs"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let parts: Vec<&str> = out.split("\n\n\nName:").collect();
    assert_eq!(parts.len(), 2, "{out}");
    let created = |p: &str| p.matches("SuccessfulCreate").count();
    let (one, two) = if parts[0].contains("one-") {
        (parts[0], parts[1])
    } else {
        (parts[1], parts[0])
    };
    assert!(one.contains("Created pod: one-") && !one.contains("Created pod: two-"));
    assert!(two.contains("Created pod: two-") && !two.contains("Created pod: one-"));
    assert_eq!((created(one), created(two)), (1, 2), "{out}");
    // One of them alone: the same section as in the listing.
    let name = one
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap();
    let o = sim.run(&["describe", "rs", name], None);
    let events = &one[one.find("Events:").unwrap()..];
    assert!(
        stdout(&o).trim_end().ends_with(events.trim_end()),
        "{}",
        stdout(&o)
    );
}

#[test]
fn reset_bare_makes_the_cluster_without_kinds_system_pods() {
    let sim = Sim::new("bare");
    // The default: kind's system pods, settled, in their namespaces only.
    let pods = sim.run(&["get", "pods", "-A", "--no-headers"], None);
    assert_eq!(stdout(&pods).lines().count(), 13, "{}", stdout(&pods));
    let default = sim.run(&["get", "pods"], None);
    assert_eq!(
        stderr(&default),
        "No resources found in default namespace.\n"
    );
    let running = sim.run(
        &[
            "get",
            "pods",
            "-A",
            "--field-selector=status.phase!=Running",
        ],
        None,
    );
    assert_eq!(stderr(&running), "No resources found\n");
    // --bare: the nodes, namespaces, Service and StorageClass; no pods, and the clock starts
    // with the cluster.
    let reset = sim.run(&["reset", "--bare"], None);
    assert!(
        stdout(&reset).ends_with("reset to a fresh bare cluster\n"),
        "{}",
        stdout(&reset)
    );
    let pods = sim.run(&["get", "pods", "-A"], None);
    assert_eq!(stderr(&pods), "No resources found\n");
    let ns = sim.run(&["get", "ns", "-o", "name"], None);
    assert_eq!(
        stdout(&ns),
        "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n"
    );
    let created = sim.run(
        &[
            "get",
            "node",
            "kubesim-worker",
            "-o",
            "jsonpath={.metadata.creationTimestamp}",
        ],
        None,
    );
    assert_eq!(stdout(&created), "2026-01-01T00:00:00Z");
    let svc = sim.run(&["get", "svc", "-A", "-o", "name"], None);
    assert_eq!(stdout(&svc), "service/kubernetes\n");
    // A plain reset brings kind's shape back.
    sim.run(&["reset"], None);
    let ds = sim.run(&["get", "ds", "-n", "kube-system", "-o", "name"], None);
    assert_eq!(
        stdout(&ds),
        "daemonset.apps/kindnet\ndaemonset.apps/kube-proxy\n"
    );
}

/// The manifest's commit generation and resourceVersion counter (one per object written).
fn generation_and_writes(state: &Path) -> (u64, u64) {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state.join("meta.json")).unwrap()).unwrap();
    (
        m["generation"].as_u64().unwrap(),
        m["resource_version"].as_u64().unwrap(),
    )
}

/// The segments (`<plural>.<namespace>`) a commit of generation `generation` wrote.
fn segments_of_generation(state: &Path, generation: u64) -> Vec<String> {
    let suffix = format!(".{generation}.json");
    let mut out: Vec<String> = std::fs::read_dir(state.join("objects"))
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            n.strip_suffix(&suffix).map(str::to_string)
        })
        .collect();
    out.sort();
    out
}

/// The crash-looping state of the two tests below, created at `start`: five pods of busybox
/// (which exits at once) an hour into their crash loop, at the 5-minute back-off cap.
fn crash_looping(sim: &Sim, start: &str) -> (u64, u64) {
    for args in [
        &[
            "create",
            "deployment",
            "crash",
            "--image=busybox",
            "--replicas=5",
        ][..],
        &["advance", "1h"],
    ] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
            .args(args)
            .env("KUBESIM_STATE_DIR", sim.state())
            .env("KUBESIM_START_TIME", start)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    }
    generation_and_writes(&sim.state())
}

/// What the catch-up over a long span writes, with five crash-looping pods on three nodes:
/// each pod, each node's Lease and status and each of the pods' Events once (the counts of
/// Pulling, Pulled, Created, Started and BackOff, 5 per pod): 36 objects. Replayed tick by
/// tick it would be tens of thousands.
const CATCH_UP_WRITES: u64 = 5 + 3 + 3 + 5 * 5;

/// That the catch-up since generation `gen0` and resourceVersion `rv0` was one commit of at
/// most [`CATCH_UP_WRITES`] writes; its generation.
fn one_catch_up_commit(state: &Path, gen0: u64, rv0: u64) -> u64 {
    let (gen1, rv1) = generation_and_writes(state);
    assert_eq!(gen1, gen0 + 1, "one commit");
    assert!(
        rv1 - rv0 <= CATCH_UP_WRITES,
        "{} objects written",
        rv1 - rv0
    );
    gen1
}

/// That `get pods --no-headers` shows the five crash-looping pods with a month of restarts.
fn every_restart_counted(pods: &str) {
    assert_eq!(pods.lines().count(), 5);
    for line in pods.lines() {
        let restarts: u64 = line.split_whitespace().nth(3).unwrap().parse().unwrap();
        assert!(restarts > 8600, "{line}");
    }
}

/// Guards issue 14's "time costs events, not seconds" by counting work, not time: `advance
/// 720h` with five crash-looping pods is one commit that writes each crash-looping pod, each
/// node's Lease and status and the Events once (a few dozen objects: replayed tick by tick,
/// it would be tens of thousands), writes only the segments those live in, and still ends
/// with every restart counted.
#[test]
fn a_long_advance_writes_each_periodic_object_once() {
    let sim = Sim::new("long-advance");
    let ok = |args: &[&str]| {
        let o = sim.run(args, None);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let (gen0, rv0) = crash_looping(&sim, "2026-01-01T00:00:00Z");
    ok(&["advance", "720h"]);
    let gen1 = one_catch_up_commit(&sim.state(), gen0, rv0);
    assert_eq!(
        segments_of_generation(&sim.state(), gen1),
        [
            "events.default",
            "leases.kube-node-lease",
            "nodes._",
            "pods.default"
        ]
    );
    let pods = ok(&["get", "pods", "--no-headers"]);
    every_restart_counted(&pods);
}

/// The same for a state that follows the wall clock and sat idle for 30 days: the first read
/// lets the time pass in memory and writes nothing (no commit, the manifest byte for byte as
/// it was), yet sees every restart; a second read sees them again; the next mutating command
/// computes the same catch-up and commits it once, writing each periodic object once.
#[test]
fn a_read_after_a_long_idle_writes_nothing() {
    let sim = Sim::new("long-idle");
    let start = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(31 * 24);
    let start = jiff::Timestamp::from_second(start.as_second()).unwrap();
    let (gen0, rv0) = crash_looping(&sim, &start.to_string());
    let meta = sim.state().join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let following = text.replace(
        "\"follow_wall_clock\": false",
        "\"follow_wall_clock\": true",
    );
    assert_ne!(text, following);
    std::fs::write(&meta, &following).unwrap();
    let objects = || {
        let mut v: Vec<_> = std::fs::read_dir(sim.state().join("objects"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        v.sort();
        v
    };
    let files = objects();
    for _ in 0..2 {
        let o = sim.run(&["get", "pods", "--no-headers"], None);
        assert!(o.status.success(), "{}", stderr(&o));
        every_restart_counted(&stdout(&o));
        assert_eq!(std::fs::read_to_string(&meta).unwrap(), following);
        assert_eq!(objects(), files);
    }
    let o = sim.run(&["settle"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    one_catch_up_commit(&sim.state(), gen0, rv0);
    let pods = sim.run(&["get", "pods", "--no-headers"], None);
    every_restart_counted(&stdout(&pods));
}

/// `set env --list` (`#` lines, which a transcript cannot hold) and `--resolve`: references
/// listed as kubectl lists them, resolved from the state's ConfigMaps and Secrets, and a
/// missing one reported on stderr.
#[test]
fn set_env_list_and_resolve() {
    let sim = Sim::new("set-env-list");
    for args in [
        "apply -f testdata/nginx-deployment.yaml",
        "apply -f testdata/configmap/configmaps.yaml",
        "create secret generic db --from-literal=db-pass=s3cret",
        "set env deployment/nginx-deployment A=1 --from=configmap/env-config --prefix=MY_",
        "set env deployment/nginx-deployment --from=secret/db --keys=db-pass",
    ] {
        let o = sim.run(&args.split(' ').collect::<Vec<_>>(), None);
        assert!(o.status.success(), "{args}: {}", stderr(&o));
    }
    let list = |extra: &[&str]| {
        let mut args = vec!["set", "env", "deployments", "--all", "--list"];
        args.extend(extra);
        sim.run(&args, None)
    };
    let o = list(&[]);
    assert_eq!(
        stdout(&o),
        "# Deployment nginx-deployment, container nginx\nMY_A=1\n\
         # MY_LOG_LEVEL from configmap env-config, key log_level\n\
         # DB_PASS from secret db, key db-pass\n"
    );
    let o = list(&["--resolve", "B=2"]);
    assert_eq!(
        stdout(&o),
        "# Deployment nginx-deployment, container nginx\nMY_A=1\nMY_LOG_LEVEL=INFO\n\
         DB_PASS=s3cret\nB=2\n"
    );
    assert!(sim.run(&["delete", "secret", "db"], None).status.success());
    let o = list(&["--resolve"]);
    assert!(o.status.success());
    assert!(stdout(&o).ends_with("# DB_PASS from secret db, key db-pass\n"));
    assert_eq!(
        stderr(&o),
        "error retrieving reference for DB_PASS: secrets \"db\" not found\n"
    );
}

/// Every docs example kubesim carries (`kubesim examples`) is accepted as the docs apply it,
/// from its URL: decoded, defaulted, validated and admitted (server-side dry run, after the
/// namespaces the tasks' manifests name).
#[test]
fn every_carried_docs_example_is_accepted_from_its_url() {
    let sim = Sim::new("docs-examples");
    let list = sim.run(&["examples"], None);
    assert!(list.status.success(), "{}", stderr(&list));
    let urls = stdout(&list);
    assert!(urls.lines().count() >= 50, "{urls}");
    for ns in ["mem-example", "cpu-example", "qos-example"] {
        assert!(sim.run(&["create", "namespace", ns], None).status.success());
    }
    for url in urls.lines() {
        assert!(url.starts_with("https://k8s.io/examples/"), "{url}");
        let o = sim.run(&["apply", "-f", url, "--dry-run=server"], None);
        assert!(o.status.success(), "{url}: {}", stderr(&o));
        assert!(
            stdout(&o).contains("(server dry run)"),
            "{url}: {}",
            stdout(&o)
        );
    }
}

/// `config set-context --current --namespace=NS` keeps the preference in the manifest's
/// settings and changes nothing else: no segment, no clock, no counter but the commit's
/// generation. A change that changes nothing writes nothing.
#[test]
fn the_namespace_preference_changes_only_the_manifests_setting() {
    let sim = Sim::new("ns-preference");
    assert!(
        sim.run(&["apply", "-f", "testdata/config.yaml"], None)
            .status
            .success()
    );
    let before = snapshot(&sim.state());
    let o = sim.run(
        &["config", "set-context", "--current", "--namespace=dev"],
        None,
    );
    assert_eq!(
        stdout(&o),
        "Context \"kind-kind\" modified.\n",
        "{}",
        stderr(&o)
    );
    let after = snapshot(&sim.state());
    let meta = |s: &BTreeMap<String, Vec<u8>>| -> serde_json::Value {
        serde_json::from_slice(&s["meta.json"]).unwrap()
    };
    let (mut m0, mut m1) = (meta(&before), meta(&after));
    assert_eq!(
        m1["settings"]["kubeconfig"]
            .as_str()
            .map(|s| s.contains("\"namespace\":\"dev\"")),
        Some(true),
        "{m1}"
    );
    for m in [&mut m0, &mut m1] {
        let m = m.as_object_mut().unwrap();
        m.remove("generation");
        m.remove("settings");
    }
    assert_eq!(m0, m1, "the manifest changed beyond its settings");
    let others = |s: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        s.iter()
            .filter(|(k, _)| k.as_str() != "meta.json")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    assert_eq!(others(&before), others(&after), "segments changed");
    // Every verb now works in dev; -n still wins.
    let o = sim.run(&["get", "configmaps"], None);
    assert_eq!(stderr(&o), "No resources found in dev namespace.\n");
    let o = sim.run(&["get", "configmaps", "-n", "default", "-o", "name"], None);
    assert!(
        stdout(&o).contains("configmap/game-config"),
        "{}",
        stdout(&o)
    );
    // Setting what is set already writes nothing.
    let o = sim.run(
        &["config", "set-context", "--current", "--namespace=dev"],
        None,
    );
    assert!(o.status.success());
    assert_eq!(snapshot(&sim.state()), after, "a no-op change wrote");
    // Back to kind's kubeconfig: the setting goes.
    assert!(
        sim.run(
            &["config", "set-context", "--current", "--namespace="],
            None
        )
        .status
        .success()
    );
    assert!(
        meta(&snapshot(&sim.state()))["settings"]
            .get("kubeconfig")
            .is_none()
    );
}

/// A kubeconfig setting that does not read is the corrupt-state error, never kind's
/// kubeconfig silently nor a fresh cluster.
#[test]
fn a_corrupt_kubeconfig_setting_is_an_error_that_loses_nothing() {
    let sim = Sim::new("ns-corrupt");
    assert!(sim.run(&["get", "ns"], None).status.success());
    let path = sim.state().join("meta.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m["settings"] = serde_json::json!({"kubeconfig": "{not json"});
    std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
    let before = snapshot(&sim.state());
    for args in [
        &["get", "pods"][..],
        &["config", "view"],
        &["config", "set-context", "--current", "--namespace=x"],
    ] {
        let o = sim.run(args, None);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains("is corrupt"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(snapshot(&sim.state()), before, "{args:?} changed the state");
    }
}
