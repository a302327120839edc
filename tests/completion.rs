//! Shell completion: the committed scripts are current, and completion is live from the state.

use crate::common::{Sim, repo_root};

#[test]
fn committed_scripts_are_current() {
    let sim = Sim::new("completion-scripts");
    for (shell, file) in [
        ("bash", "kubesim.bash"),
        ("zsh", "_kubesim"),
        ("fish", "kubesim.fish"),
        ("powershell", "kubesim.ps1"),
    ] {
        let o = sim.run(&["completion", shell], None);
        assert!(o.status.success());
        let committed =
            std::fs::read_to_string(repo_root().join("completions").join(file)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            committed,
            "completions/{file} is stale: regenerate with `kubesim completion {shell} > completions/{file}`"
        );
    }
}

fn complete(sim: &Sim, index: usize, words: &[&str]) -> Vec<String> {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .arg("--")
        .args(words)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", index.to_string())
        .env("_CLAP_IFS", "\n")
        .env("KUBESIM_STATE_DIR", sim.state())
        .output()
        .unwrap();
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn explain_completes_types_then_field_paths() {
    let sim = Sim::new("completion-explain");
    assert_eq!(
        complete(&sim, 2, &["kubesim", "explain", "replicationc"]),
        ["replicationcontrollers"]
    );
    assert_eq!(
        complete(&sim, 2, &["kubesim", "explain", "po.spec.containers.li"]),
        [
            "po.spec.containers.lifecycle",
            "po.spec.containers.livenessProbe"
        ]
    );
    assert!(complete(&sim, 2, &["kubesim", "explain", "gizmos.sp"]).is_empty());
}

#[test]
fn names_types_and_namespaces_come_from_the_state() {
    let sim = Sim::new("completion-live");
    assert!(
        sim.run(&["create", "-f", "testdata/nginx-rc.yaml"], None)
            .status
            .success()
    );
    assert!(
        sim.run(&["create", "namespace", "dev"], None)
            .status
            .success()
    );
    assert_eq!(
        complete(&sim, 3, &["kubesim", "get", "rc", "ng"]),
        ["nginx"]
    );
    assert_eq!(
        complete(&sim, 3, &["kubesim", "scale", "rc", "n"]),
        ["nginx"]
    );
    assert_eq!(
        complete(&sim, 2, &["kubesim", "get", "replicationc"]),
        ["replicationcontrollers"]
    );
    assert_eq!(
        complete(&sim, 2, &["kubesim", "delete", "rc/"]),
        ["rc/nginx"]
    );
    assert!(complete(&sim, 3, &["kubesim", "get", "-n", ""]).contains(&"dev".to_string()));
    assert_eq!(complete(&sim, 1, &["kubesim", "rollo"]), ["rollout"]);
    // cordon/uncordon take node names; one already given is not offered again.
    assert_eq!(
        complete(&sim, 2, &["kubesim", "cordon", "kubesim-w"]),
        ["kubesim-worker", "kubesim-worker2"]
    );
    assert_eq!(
        complete(
            &sim,
            3,
            &["kubesim", "uncordon", "kubesim-worker", "kubesim-w"]
        ),
        ["kubesim-worker2"]
    );
    assert_eq!(
        complete(&sim, 3, &["kubesim", "taint", "nodes", "kubesim-c"]),
        ["kubesim-control-plane"]
    );
    // exec takes a pod (the RC's), then the command: no container names there.
    let pods = complete(&sim, 2, &["kubesim", "exec", "ngi"]);
    assert!(!pods.is_empty() && pods.iter().all(|p| p.starts_with("nginx-")));
    assert!(
        complete(&sim, 3, &["kubesim", "exec", &pods[0], ""])
            .iter()
            .all(|c| c.starts_with('-'))
    );
    // In another namespace there is no RC.
    assert!(
        complete(&sim, 5, &["kubesim", "get", "-n", "dev", "rc", ""])
            .iter()
            .all(|c| c.starts_with('-'))
    );
}

#[test]
fn completion_without_a_state_is_silent_and_creates_nothing() {
    let sim = Sim::new("completion-none");
    assert!(
        complete(&sim, 3, &["kubesim", "get", "pods", ""])
            .iter()
            .all(|c| c.starts_with('-'))
    );
    assert!(!sim.state().exists());
}

#[test]
fn complete_set_on_an_ordinary_command_is_ignored() {
    let sim = Sim::new("completion-env");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .args(["create", "configmap", "x"])
        .env("COMPLETE", "bash")
        .env("KUBESIM_STATE_DIR", sim.state())
        .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout), "configmap/x created\n");
    let o = sim.run(&["get", "configmap", "x", "-o", "name"], None);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "configmap/x\n");
    // The entry point itself: `COMPLETE=bash kubesim` prints the registration script.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .env("COMPLETE", "bash")
        .env("KUBESIM_STATE_DIR", sim.state())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("_clap_complete_kubesim"));
}

#[test]
fn contexts_and_the_context_namespace_come_from_the_kubeconfig() {
    let sim = Sim::new("completion-contexts");
    assert!(
        sim.run(&["create", "namespace", "dev"], None)
            .status
            .success()
    );
    assert!(
        sim.run(&["create", "configmap", "only-in-dev", "-n", "dev"], None)
            .status
            .success()
    );
    assert!(
        sim.run(
            &[
                "config",
                "set-context",
                "d",
                "--namespace=dev",
                "--cluster=kind-kind",
                "--user=kind-kind"
            ],
            None
        )
        .status
        .success()
    );
    assert_eq!(
        complete(&sim, 3, &["kubesim", "config", "use-context", "d"]),
        ["d"]
    );
    assert_eq!(
        complete(&sim, 4, &["kubesim", "get", "pods", "--context", "k"]),
        ["kind-kind"]
    );
    assert_eq!(
        complete(
            &sim,
            5,
            &["kubesim", "get", "configmap", "--context", "d", "only"]
        ),
        ["only-in-dev"]
    );
    // Names come from the current context's namespace, as the command would use it.
    assert!(
        sim.run(&["config", "use-context", "d"], None)
            .status
            .success()
    );
    assert_eq!(
        complete(&sim, 3, &["kubesim", "get", "configmap", "only"]),
        ["only-in-dev"]
    );
}
