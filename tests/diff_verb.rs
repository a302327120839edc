//! `kubesim diff`: the state never changes, the temporary directories go, exit codes, and
//! `KUBECTL_EXTERNAL_DIFF` (the program, its arguments, its exit status).

use crate::common::{Sim, repo_root};
use crate::scenarios::snapshot;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `kubesim diff ARGS` in `sim`'s state with `tmp` as TMPDIR and `external` as
/// KUBECTL_EXTERNAL_DIFF (unset when `None`), extra environment `env`.
fn diff(
    sim: &Sim,
    tmp: &Path,
    args: &[&str],
    external: Option<&str>,
    env: &[(&str, &str)],
) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kubesim"));
    c.arg("diff")
        .args(args)
        .current_dir(repo_root())
        .env("KUBESIM_STATE_DIR", sim.state())
        .env("KUBESIM_START_TIME", "2026-01-01T00:00:00Z")
        .env("TMPDIR", tmp)
        .env("TZ", "UTC")
        .env_remove("KUBECTL_EXTERNAL_DIFF")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(e) = external {
        c.env("KUBECTL_EXTERNAL_DIFF", e);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

/// A private TMPDIR under the sim's directory.
fn tmpdir(sim: &Sim) -> std::path::PathBuf {
    let t = sim.dir.join("tmp");
    std::fs::create_dir_all(&t).unwrap();
    t
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn diff_leaves_the_state_and_the_temporary_directory_as_they_were() {
    let sim = Sim::new("diff-state");
    let tmp = tmpdir(&sim);
    for f in [
        "testdata/diff-verb/app.yaml",
        "testdata/diff-verb/secret.yaml",
    ] {
        assert!(sim.run(&["apply", "-f", f], None).status.success());
    }
    let before = snapshot(&sim.state());
    let cases: &[(&[&str], i32)] = &[
        (&["-f", "testdata/diff-verb/app.yaml"], 0),
        (&["-f", "testdata/diff-verb/app-changed.yaml"], 1),
        (&["-f", "testdata/diff-verb/secret-changed.yaml"], 1),
        (&["-f", "testdata/application/simple_deployment.yaml"], 1),
        (&["-f", "testdata/diff-verb/bad.yaml"], 2),
        (&["-f", "testdata/diff-verb/other-ns.yaml"], 2),
        (&["-f", "testdata/diff-verb"], 2),
        (&["--bogus"], 2),
    ];
    for (args, code) in cases {
        let o = diff(&sim, &tmp, args, None, &[]);
        assert_eq!(
            o.status.code(),
            Some(*code),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    assert_eq!(before, snapshot(&sim.state()), "diff changed the state");
    assert!(entries(&tmp).is_empty(), "left behind: {:?}", entries(&tmp));
}

#[test]
fn kubesims_own_diff_prints_what_gnu_diff_prints() {
    // The real `diff -u -N` through KUBECTL_EXTERNAL_DIFF against kubesim's own: the same
    // bytes (the files' times are the state's clock either way).
    if Command::new("diff").arg("--version").output().is_err() {
        eprintln!("no diff(1) here: skipped");
        return;
    }
    let sim = Sim::new("diff-gnu");
    let tmp = tmpdir(&sim);
    for f in [
        "testdata/diff-verb/app.yaml",
        "testdata/diff-verb/secret.yaml",
        "testdata/application/simple_deployment.yaml",
    ] {
        assert!(sim.run(&["apply", "-f", f], None).status.success());
    }
    assert!(
        sim.run(&["scale", "deploy/nginx-deployment", "--replicas=3"], None)
            .status
            .success()
    );
    for f in [
        "testdata/diff-verb/app-changed.yaml",
        "testdata/diff-verb/secret-changed.yaml",
        "testdata/application/update_deployment.yaml",
        "testdata/diff-verb/kept.yaml",
        "testdata/diff/kinds.yaml",
    ] {
        let own = diff(&sim, &tmp, &["-f", f], None, &[]);
        let gnu = diff(&sim, &tmp, &["-f", f], Some("diff -u -N"), &[]);
        assert_eq!(own.status.code(), Some(1), "{f}: {}", text(&own.stderr));
        assert_eq!(text(&own.stdout), text(&gnu.stdout), "{f}");
        assert_eq!(own.status.code(), gnu.status.code(), "{f}");
        assert!(text(&own.stdout).contains("diff -u -N "), "{f}");
    }
}

#[test]
fn the_external_diff_gets_the_directories_then_its_plain_arguments() {
    let sim = Sim::new("diff-external");
    let tmp = tmpdir(&sim);
    let rec = sim.dir.join("record.txt");
    let script = sim.dir.join("mydiff");
    std::fs::write(
        &script,
        "#!/bin/sh\n\
         printf 'arg %s\\n' \"$@\" > \"$REC\"\n\
         for d in \"$1\" \"$2\"; do for f in \"$d\"/*; do echo \"file ${f##*/}\" >> \"$REC\"; done; done\n\
         echo 'external output'\n\
         echo 'external error' >&2\n\
         exit \"$CODE\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let external = format!(
        "{} -u --color=never /etc/passwd 'q' a*b  -N",
        script.display()
    );
    let rec_s = rec.display().to_string();
    let run = |code: &str| {
        diff(
            &sim,
            &tmp,
            &["-f", "testdata/diff-verb/app.yaml"],
            Some(&external),
            &[("REC", &rec_s), ("CODE", code)],
        )
    };
    let o = run("1");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stdout), "external output\n");
    assert_eq!(text(&o.stderr), "external error\n");
    let got = std::fs::read_to_string(&rec).unwrap();
    let lines: Vec<&str> = got.lines().collect();
    // The two directories, then only the arguments of letters, digits, `-` and `=`.
    assert!(
        lines[0].starts_with(&format!("arg {}/LIVE-", tmp.display())),
        "{got}"
    );
    assert!(
        lines[1].starts_with(&format!("arg {}/MERGED-", tmp.display())),
        "{got}"
    );
    assert_eq!(
        lines[2..5],
        ["arg -u", "arg --color=never", "arg -N"],
        "{got}"
    );
    let files = [
        "file storage.k8s.io.v1.StorageClass..fast",
        "file v1.ConfigMap.default.settings",
        "file v1.Service.default.web",
    ];
    assert_eq!(lines[5..8], files, "{got}");
    assert_eq!(lines[8..11], files, "{got}");
    assert_eq!(lines.len(), 11, "{got}");
    // Its exit status: 0 and 1 are kubectl's, more is kubectl's error, exit 2.
    assert_eq!(run("0").status.code(), Some(0));
    let o = run("3");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        text(&o.stderr),
        format!(
            "external error\nerror: failed to run \"{}\": exit status 3\n",
            script.display()
        )
    );
    assert!(entries(&tmp).is_empty(), "left behind: {:?}", entries(&tmp));
}

#[test]
fn an_external_diff_that_cannot_run_is_an_error() {
    let sim = Sim::new("diff-missing");
    let tmp = tmpdir(&sim);
    let f = ["-f", "testdata/diff-verb/app.yaml"];
    let o = diff(&sim, &tmp, &f, Some("kubesim-no-such-diff -u"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        text(&o.stderr),
        "error: failed to run \"kubesim-no-such-diff\": executable file not found in $PATH\n"
    );
    let o = diff(&sim, &tmp, &f, Some("/no/such/diff"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        text(&o.stderr),
        "error: failed to run \"/no/such/diff\": fork/exec /no/such/diff: no such file or directory\n"
    );
}
