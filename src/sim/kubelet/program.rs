//! What a container does once started (run time, exit code, SIGTERM handling), from the
//! annotations, the command line and the image: the rules of the module docs of [`super`].

use k8s_openapi::api::core::v1::{Container, Pod};

use super::images::repo_base;
use super::{DEFAULT_RUN_SECONDS, probes};

pub(super) fn annotation<'a>(
    pod: &'a Pod,
    key: &str,
    container: &str,
    is_init: bool,
) -> Option<&'a str> {
    let ann = pod.metadata.annotations.as_ref()?;
    if let Some(v) = ann.get(&format!("{key}.{container}")) {
        return Some(v.as_str());
    }
    if is_init {
        return None;
    }
    ann.get(key).map(String::as_str)
}

pub(super) fn ann_i64(pod: &Pod, key: &str, container: &str, is_init: bool) -> Option<i64> {
    annotation(pod, key, container, is_init).and_then(|v| v.trim().parse().ok())
}

/// How a simulated container behaves once started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// Seconds it runs before exiting; `None` = forever.
    pub run_seconds: Option<i64>,
    /// Exit code when it exits by itself.
    pub exit_code: i32,
    /// Seconds after start when it becomes ready.
    pub ready_after: i64,
    /// Seconds after start when `started` becomes true (startup probe).
    pub started_after: i64,
    /// Ignores SIGTERM (a bare `sleep` as PID 1): stops only when killed at the end of the grace period.
    pub ignores_sigterm: bool,
}

pub(super) fn parse_sleep(tok: &str) -> Option<i64> {
    let (num, mult) = match tok.chars().last()? {
        's' => (&tok[..tok.len() - 1], 1.0),
        'm' => (&tok[..tok.len() - 1], 60.0),
        'h' => (&tok[..tok.len() - 1], 3600.0),
        'd' => (&tok[..tok.len() - 1], 86400.0),
        _ => (tok, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    Some((v * mult).ceil() as i64)
}

/// What the command line tells: (forever, run seconds, exit code, any hint found, sleeps).
pub(super) struct CommandHint {
    pub(super) forever: bool,
    pub(super) run: i64,
    pub(super) exit: Option<i32>,
    pub(super) found: bool,
    pub(super) sleeps: bool,
}

pub(super) fn command_hint(c: &Container) -> CommandHint {
    let text: String = c
        .command
        .iter()
        .flatten()
        .chain(c.args.iter().flatten())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let lower = text.to_lowercase();
    let forever = [
        "while true",
        "while :",
        "tail -f",
        "sleep infinity",
        "sleep inf ",
    ]
    .iter()
    .any(|m| lower.contains(m))
        || lower.trim_end().ends_with("sleep inf");
    let cleaned: String = text
        .chars()
        .map(|ch| {
            if matches!(ch, '"' | '\'' | '(' | ')' | '{' | '}') {
                ' '
            } else {
                ch
            }
        })
        .collect();
    let mut run = 0i64;
    let mut exit = None;
    let mut found = false;
    let mut sleeps = false;
    for seg in cleaned.split([';', '&', '|', '\n']) {
        let words: Vec<&str> = seg.split_whitespace().collect();
        let mut i = 0;
        // Skip shell wrappers: sh -c, /bin/bash -c, ...
        while i < words.len() {
            let base = words[i].rsplit('/').next().unwrap_or("");
            if matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh") {
                i += 1;
                while i < words.len() && words[i].starts_with('-') {
                    i += 1;
                }
            } else {
                break;
            }
        }
        let Some(first) = words.get(i) else {
            continue;
        };
        let base = first.rsplit('/').next().unwrap_or("");
        match base {
            "sleep" => {
                if let Some(n) = words.get(i + 1).and_then(|w| parse_sleep(w)) {
                    run += n;
                    found = true;
                    sleeps = true;
                }
            }
            "exit" => {
                let code = words
                    .get(i + 1)
                    .and_then(|w| w.parse::<i32>().ok())
                    .unwrap_or(0);
                exit = Some(code);
                found = true;
            }
            "false" => {
                exit = Some(1);
                found = true;
            }
            "true" => {
                exit.get_or_insert(0);
                found = true;
            }
            _ => {}
        }
    }
    CommandHint {
        forever,
        run,
        exit,
        found,
        sleeps,
    }
}

/// The run time and exit code of a command line the kubelet's small `sh` can run whole
/// ([`super::shell::run_time`]): the same program whose output `kubectl logs` shows.
fn scripted(pod: &Pod, c: &Container) -> Option<(Option<i64>, i32)> {
    // A program with stdin attached may read it (an interactive `sh`): its run is unknown.
    if c.stdin == Some(true) {
        return None;
    }
    let argv: Vec<String> = match &c.command {
        Some(cmd) => cmd.iter().chain(c.args.iter().flatten()).cloned().collect(),
        None if is_shell_image(c.image.as_deref().unwrap_or("")) => c.args.clone()?,
        None => return None,
    };
    let env = c
        .env
        .iter()
        .flatten()
        .map(|e| (e.name.clone(), e.value.clone().unwrap_or_default()))
        .collect();
    let world = super::shell::World {
        env,
        files: Default::default(),
        hostname: pod.metadata.name.clone().unwrap_or_default(),
        ..Default::default()
    };
    super::shell::run_time(&argv, &world)
}

pub(super) fn is_shell_image(image: &str) -> bool {
    matches!(
        repo_base(image).as_str(),
        "busybox" | "alpine" | "ubuntu" | "debian" | "centos" | "fedora" | "bash"
    )
}

/// How container `c` of `pod` behaves (see the module docs for the rules).
pub fn program_for(pod: &Pod, c: &Container, is_init: bool) -> Program {
    let policy = pod
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.as_deref())
        .unwrap_or("Always");
    let sidecar = is_init && c.restart_policy.as_deref() == Some("Always");
    let name = c.name.as_str();
    let hint = command_hint(c);
    let ann_run = ann_i64(pod, "kubesim.io/run-seconds", name, is_init);
    let ann_crash = ann_i64(pod, "kubesim.io/crash-after-seconds", name, is_init);
    let ann_exit = ann_i64(pod, "kubesim.io/exit-code", name, is_init).map(|v| v as i32);
    let (run_seconds, exit_code) = if let Some(r) = ann_run {
        (Some(r.max(0)), ann_exit.unwrap_or(0))
    } else if let Some(r) = ann_crash {
        (Some(r.max(0)), ann_exit.unwrap_or(1))
    } else if let Some(e) = ann_exit {
        (Some(0), e)
    } else if hint.forever {
        (None, 0)
    } else if let Some((run, code)) = scripted(pod, c) {
        (run, code)
    } else if hint.found {
        (Some(hint.run), hint.exit.unwrap_or(0))
    } else if is_shell_image(c.image.as_deref().unwrap_or("")) && c.stdin != Some(true) && !sidecar
    {
        (Some(0), 0)
    } else if (is_init && !sidecar) || (!is_init && policy != "Always") {
        (Some(DEFAULT_RUN_SECONDS), 0)
    } else {
        (None, 0)
    };
    let (started_after, ready_after) = probes::delays(pod, c, name, is_init);
    let ignores_sigterm = hint.sleeps
        && !hint.forever
        && !c
            .command
            .iter()
            .flatten()
            .chain(c.args.iter().flatten())
            .any(|a| a.contains("trap"));
    Program {
        run_seconds,
        exit_code,
        ready_after,
        started_after,
        ignores_sigterm,
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kubelet::testing::*;

    #[test]
    fn programs() {
        let p = pod(vec![], "Always");
        let prog = |c: Container| program_for(&p, &c, false);
        assert_eq!(prog(container("a", "nginx", &[])).run_seconds, None);
        assert_eq!(prog(container("a", "busybox", &[])).run_seconds, Some(0));
        assert_eq!(
            prog(container("a", "busybox", &["sleep", "3600"])).run_seconds,
            Some(3600)
        );
        assert!(prog(container("a", "busybox", &["sleep", "3600"])).ignores_sigterm);
        assert_eq!(
            prog(container(
                "a",
                "busybox",
                &["sh", "-c", "while true; do sleep 5; done"]
            ))
            .run_seconds,
            None
        );
        let c = prog(container(
            "a",
            "busybox",
            &["sh", "-c", "echo hi; sleep 1m; exit 3"],
        ));
        assert_eq!((c.run_seconds, c.exit_code), (Some(60), 3));
        assert_eq!(
            prog(container("a", "busybox", &["/bin/false"])).exit_code,
            1
        );
        // The small sh times what it runs whole; an interactive shell is left alone.
        let c = prog(container(
            "a",
            "busybox",
            &["sh", "-c", "for i in 1 2 3; do sleep 10; done; exit 4"],
        ));
        assert_eq!((c.run_seconds, c.exit_code), (Some(30), 4));
        let mut sh = container("a", "busybox", &["sh"]);
        assert_eq!(prog(sh.clone()).run_seconds, Some(0));
        sh.stdin = Some(true);
        assert_eq!(prog(sh).run_seconds, None);
        let mut p2 = pod(vec![], "Always");
        p2.metadata.annotations = Some(
            [
                (
                    "kubesim.io/crash-after-seconds".to_string(),
                    "30".to_string(),
                ),
                (
                    "kubesim.io/ready-after-seconds.web".to_string(),
                    "7".to_string(),
                ),
            ]
            .into(),
        );
        let c = program_for(&p2, &container("web", "nginx", &[]), false);
        assert_eq!(
            (c.run_seconds, c.exit_code, c.ready_after),
            (Some(30), 1, 7)
        );
    }
}
