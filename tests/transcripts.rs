//! Golden transcripts: each `tests/transcripts/*.txt` file is its own test, run by the same
//! code as `kubesim test` (`kubesim::cli::golden`; the format is documented there and in the
//! README). Run one with `cargo test --test cli transcripts::statefulset`; a mismatch prints a
//! unified diff. `KUBESIM_BLESS=1` rewrites the files that differ with what the binary prints
//! now (and only those).

use crate::common::repo_root;
use kubesim::cli::golden::{Runner, Verdict};

fn runner() -> Runner {
    Runner {
        exe: env!("CARGO_BIN_EXE_kubesim").into(),
        dir: repo_root().to_path_buf(),
    }
}

/// Runs one transcript of tests/transcripts/, or blesses it under `KUBESIM_BLESS`.
fn check(file: &str) {
    let path = repo_root().join("tests/transcripts").join(file);
    let bless = std::env::var_os("KUBESIM_BLESS").is_some();
    let o = runner()
        .run_file(&path, bless)
        .unwrap_or_else(|e| panic!("{e}"));
    if o.verdict == Verdict::Failed {
        panic!(
            "tests/transcripts/{file} differs (KUBESIM_BLESS=1 accepts the new output):\n{}",
            o.diff
        );
    }
}

macro_rules! transcripts {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check($file);
            }
        )*
        /// Every file the macro lists.
        const LISTED: &[&str] = &[$($file),*];
    };
}

transcripts! {
    api_validation => "api-validation.txt",
    apply_label_delete => "apply-label-delete.txt",
    bootcamp => "bootcamp.txt",
    bootcamp_expose => "bootcamp-expose.txt",
    cluster_info => "cluster-info.txt",
    config => "config.txt",
    connect_applications_service => "connect-applications-service.txt",
    config_refs => "config-refs.txt",
    configmap_page => "configmap-page.txt",
    control_loop => "control-loop.txt",
    cordon_and_taints => "cordon-and-taints.txt",
    create_generators => "create-generators.txt",
    create_ingress => "create-ingress.txt",
    create_secrets => "create-secrets.txt",
    create_token => "create-token.txt",
    cronjob_controller => "cronjob-controller.txt",
    cronjob_task => "cronjob-task.txt",
    daemonset => "daemonset.txt",
    daemonset_nodes => "daemonset-nodes.txt",
    daemonset_rolling_update => "daemonset-rolling-update.txt",
    deployment_walkthrough => "deployment-walkthrough.txt",
    docs_urls => "docs-urls.txt",
    drain => "drain.txt",
    diff => "diff.txt",
    diff_cases => "diff-cases.txt",
    dry_run => "dry-run.txt",
    edit => "edit.txt",
    errors => "errors.txt",
    event_ttl => "event-ttl.txt",
    events => "events.txt",
    explain => "explain.txt",
    exec => "exec.txt",
    imperative_commands => "imperative-commands.txt",
    foundation => "foundation.txt",
    ingress_describe => "ingress-describe.txt",
    hpa => "hpa.txt",
    hpa_limits => "hpa-limits.txt",
    input_limits => "input-limits.txt",
    job_failures => "job-failures.txt",
    job_indexed => "job-indexed.txt",
    job_pi => "job-pi.txt",
    job_suspend => "job-suspend.txt",
    job_ttl => "job-ttl.txt",
    kind_cluster => "kind-cluster.txt",
    kinds => "kinds.txt",
    kubesim_test => "kubesim-test.txt",
    label_and_annotate => "label-and-annotate.txt",
    limits => "limits.txt",
    logs => "logs.txt",
    logs_crashloop => "logs-crashloop.txt",
    logs_programs => "logs-programs.txt",
    manifests => "manifests.txt",
    network_policy => "network-policy.txt",
    node_failure => "node-failure.txt",
    node_images => "node-images.txt",
    go_template => "go-template.txt",
    node_leases => "node-leases.txt",
    patch => "patch.txt",
    pv_expand => "pv-expand.txt",
    pv_failures => "pv-failures.txt",
    pv_provisioning => "pv-provisioning.txt",
    pv_task => "pv-task.txt",
    quota_create => "quota-create.txt",
    quota_memory_cpu => "quota-memory-cpu.txt",
    quota_memory_constraints => "quota-memory-constraints.txt",
    quota_memory_defaults => "quota-memory-defaults.txt",
    quota_pod => "quota-pod.txt",
    rc_walkthrough => "rc-walkthrough.txt",
    record_and_go_flags => "record-and-go-flags.txt",
    rollout_output_and_dry_run => "rollout-output-and-dry-run.txt",
    run => "run.txt",
    scheduling_and_kubelet => "scheduling-and-kubelet.txt",
    secret_page => "secret-page.txt",
    service_access_application => "service-access-application.txt",
    service_account => "service-account.txt",
    service_endpoints => "service-endpoints.txt",
    services => "services.txt",
    set_verbs => "set-verbs.txt",
    statefulset => "statefulset.txt",
    wait => "wait.txt",
    watch_events => "watch-events.txt",
}

/// A transcript added to tests/transcripts/ without a line in `transcripts!` would never run.
#[test]
fn every_transcript_is_listed() {
    let dir = repo_root().join("tests/transcripts");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = LISTED.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "tests/transcripts/*.txt and the `transcripts!` list in tests/transcripts.rs differ"
    );
}

fn run_kubesim_test(args: &[&str]) -> (String, String, i32) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kubesim"))
        .arg("test")
        .args(args)
        .current_dir(repo_root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
        o.status.code().unwrap_or(-1),
    )
}

/// `kubesim test --bless` turns a file of bare commands into a golden file that then passes,
/// and leaves a passing file alone.
#[test]
fn kubesim_test_blesses_a_bare_file() {
    let dir = std::env::temp_dir().join(format!("kubesim-bless-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bare.txt");
    let bare = std::fs::read_to_string(repo_root().join("testdata/golden-bare/bare.txt")).unwrap();
    std::fs::write(&file, &bare).unwrap();
    let f = file.to_str().unwrap();

    let (out, _, code) = run_kubesim_test(&[f]);
    assert_eq!(code, 1, "a bare file fails before it is blessed:\n{out}");

    let (out, err, code) = run_kubesim_test(&["--bless", f]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with(&format!("blessed {f}\n")), "{out}");
    assert!(
        out.ends_with("1 transcript: 0 passed, 0 failed, 1 blessed\n"),
        "{out}"
    );
    let golden = std::fs::read_to_string(&file).unwrap();
    assert!(
        golden.contains("$ kubectl apply -f testdata/golden/pod.yaml\npod/nginx created\n"),
        "{golden}"
    );
    assert!(
        golden.contains("! Error from server (NotFound): pods \"missing\" not found\n[exit 1]\n"),
        "{golden}"
    );
    // The commands and comments are kept, in order.
    let commands = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with("$ ") || l.starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(commands(&golden), commands(&bare));

    let (out, _, code) = run_kubesim_test(&["--bless", f]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!("ok      {f}\n1 transcript: 1 passed, 0 failed, 0 blessed\n")
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), golden);
    let _ = std::fs::remove_dir_all(&dir);
}
