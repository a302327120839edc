//! Shell completion: `kubesim completion bash|zsh|fish|powershell` prints a registration script that
//! calls back into kubesim at TAB (clap_complete's dynamic completion), so verbs, flags,
//! resource types and the names of objects in the state are all completed live.
//!
//! Live candidates read the state under a shared lock, never create or change it, and are
//! silent on any error (an empty list).

use super::{Cli, CliError, CliResult, Out};
use crate::api::kinds::{self, KINDS};
use crate::store::{Access, Store};
use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{Bash, EnvCompleter, Fish, Powershell, Zsh};
use std::ffi::OsStr;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Args, Debug, Clone)]
pub struct CompletionArgs {
    /// The shell: bash, zsh, fish or powershell
    pub shell: Shell,
}

/// The command tree, as parsed and completed (with pflag's boolean flags).
pub fn command() -> clap::Command {
    super::goflags::adapt(Cli::command())
}

/// Whether this process is clap_complete's entry point: `COMPLETE=<shell>` set (not empty,
/// not `0`) and the command line either nothing but the program (`COMPLETE=bash kubesim`
/// prints the registration script) or `kubesim -- WORDS...` (what the registered script runs
/// at TAB). Any other command line is a command, whatever `COMPLETE` holds: `COMPLETE=bash
/// kubesim create cm x` creates the ConfigMap.
pub fn is_completion_call(args: &[std::ffi::OsString]) -> bool {
    let set = std::env::var_os("COMPLETE").is_some_and(|v| !v.is_empty() && v != "0");
    set && (args.len() <= 1 || args[1] == "--")
}

/// The registration script for a shell (what `source <(kubesim completion bash)` loads).
pub fn script(shell: Shell) -> String {
    let mut buf = Vec::new();
    let r = match shell {
        Shell::Bash => {
            Bash.write_registration("COMPLETE", "kubesim", "kubesim", "kubesim", &mut buf)
        }
        Shell::Zsh => Zsh.write_registration("COMPLETE", "kubesim", "kubesim", "kubesim", &mut buf),
        Shell::Fish => {
            Fish.write_registration("COMPLETE", "kubesim", "kubesim", "kubesim", &mut buf)
        }
        Shell::Powershell => {
            Powershell.write_registration("COMPLETE", "kubesim", "kubesim", "kubesim", &mut buf)
        }
    };
    r.expect("writing to a Vec");
    String::from_utf8(buf).expect("utf8")
}

pub fn run(a: CompletionArgs, out: &mut Out) -> CliResult {
    out.out
        .write_all(script(a.shell).as_bytes())
        .map_err(CliError::from)
}

use std::io::Write as _;

/// The words of the command line being completed (after the `--` clap_complete passes).
fn words() -> Vec<String> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == "--") {
        Some(i) => args[i + 1..].to_vec(),
        None => Vec::new(),
    }
}

/// Flags whose next word is their value (so it is not a positional).
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "-o",
    "--output",
    "-l",
    "--selector",
    "--field-selector",
    "-f",
    "--filename",
    "--state-dir",
    "-L",
    "--label-columns",
    "--sort-by",
    "--replicas",
    "--current-replicas",
    "--grace-period",
    "--cascade",
    "--to-revision",
    "--revision",
    "--timeout",
    "--resource-version",
    "-c",
    "--container",
    "--tail",
    "--since",
    "--since-time",
    "--limit-bytes",
    "--max-log-requests",
    "--pod-running-timeout",
];

struct Line {
    state_dir: PathBuf,
    namespace: String,
    /// Positional words after the verb, before the word being completed.
    positionals: Vec<String>,
}

fn parse_line() -> Line {
    let mut w = words();
    // Keep only the words before the one being completed.
    match std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
    {
        Some(i) => w.truncate(i),
        None => {
            w.pop();
        }
    }
    let mut state_dir = std::env::var_os("KUBESIM_STATE_DIR").map(PathBuf::from);
    let mut namespace: Option<String> = None;
    let mut context: Option<String> = None;
    let mut positionals = Vec::new();
    let mut i = 1; // skip the binary name
    let mut verb_seen = false;
    while i < w.len() {
        let a = &w[i];
        if let Some((flag, val)) = a.split_once('=').filter(|(f, _)| f.starts_with('-')) {
            match flag {
                "-n" | "--namespace" => namespace = Some(val.to_string()),
                "--context" => context = Some(val.to_string()),
                "--state-dir" => state_dir = Some(PathBuf::from(val)),
                _ => {}
            }
        } else if VALUE_FLAGS.contains(&a.as_str()) {
            if let Some(v) = w.get(i + 1) {
                match a.as_str() {
                    "-n" | "--namespace" => namespace = Some(v.clone()),
                    "--context" => context = Some(v.clone()),
                    "--state-dir" => state_dir = Some(PathBuf::from(v)),
                    _ => {}
                }
            }
            i += 1;
        } else if !a.starts_with('-') {
            if verb_seen {
                positionals.push(a.clone());
            } else {
                verb_seen = true;
                // `rollout history`, `set image`: a second verb word.
                if matches!(a.as_str(), "rollout" | "set") {
                    i += 1;
                }
            }
        }
        i += 1;
    }
    // The namespace as the command will have it (`-n`, else the current context's).
    let ctx = super::Ctx::new(super::GlobalArgs {
        namespace,
        context,
        state_dir,
        no_settle: false,
        max_pods: crate::api::DEFAULT_MAX_PODS,
    });
    Line {
        state_dir: ctx.state_dir(),
        namespace: ctx.namespace().unwrap_or_else(|_| "default".to_string()),
        positionals,
    }
}

/// Names of objects of a kind in the state (shared lock; empty on any error).
fn object_names(dir: &std::path::Path, kind: &'static kinds::KindInfo, ns: &str) -> Vec<String> {
    let Ok(Some(mut store)) = Store::open(dir, Access::Read) else {
        return Vec::new();
    };
    let ns = if kind.namespaced { ns } else { "" };
    store
        .list(kind.plural, Some(ns))
        .map(|l| {
            l.iter()
                .map(|o| crate::api::name_of(o).to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn type_candidates(prefix: &str) -> Vec<CompletionCandidate> {
    let mut out: Vec<CompletionCandidate> = Vec::new();
    for k in KINDS {
        if k.plural.starts_with(prefix) {
            out.push(CompletionCandidate::new(k.plural).help(Some(k.kind.into())));
        }
    }
    if "all".starts_with(prefix) {
        out.push(CompletionCandidate::new("all"));
    }
    out
}

/// Completer for `TYPE [NAME...]` / `TYPE/NAME` positionals.
pub fn resource_args() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| -> Vec<CompletionCandidate> {
        let cur = current.to_string_lossy().to_string();
        let line = parse_line();
        if let Some((t, prefix)) = cur.split_once('/') {
            let Some(k) = kinds::resolve(t) else {
                return Vec::new();
            };
            return object_names(&line.state_dir, k, &line.namespace)
                .into_iter()
                .filter(|n| n.starts_with(prefix))
                .map(|n| CompletionCandidate::new(format!("{t}/{n}")))
                .collect();
        }
        match line.positionals.first() {
            None => type_candidates(&cur),
            Some(t) if !t.contains('/') && !t.contains(',') => {
                let Some(k) = kinds::resolve(t) else {
                    return Vec::new();
                };
                object_names(&line.state_dir, k, &line.namespace)
                    .into_iter()
                    .filter(|n| n.starts_with(&cur) && !line.positionals.contains(n))
                    .map(CompletionCandidate::new)
                    .collect()
            }
            _ => Vec::new(),
        }
    })
}

/// Completer for `explain TYPE[.FIELD...]`: resource types, then the fields of the schema at
/// the path typed so far (`pods.spec.c` → `pods.spec.containers`, ...).
pub fn explain_paths() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| -> Vec<CompletionCandidate> {
        let cur = current.to_string_lossy().to_string();
        let Some((head, last)) = cur.rsplit_once('.') else {
            return type_candidates(&cur);
        };
        let mut parts: Vec<&str> = head.split('.').collect();
        let Some(k) = kinds::resolve(parts.remove(0)) else {
            return Vec::new();
        };
        let schema = crate::kinds::schema::builtin();
        let Some(top) = schema.kind(k.group, k.version, k.kind) else {
            return Vec::new();
        };
        schema
            .fields_at(top, &parts)
            .unwrap_or_default()
            .into_iter()
            .filter(|f| f.starts_with(last))
            .map(|f| CompletionCandidate::new(format!("{head}.{f}")))
            .collect()
    })
}

/// Completer for `logs POD [CONTAINER]`: the pods in the state (or `TYPE/NAME` once a `/`
/// is typed), then the chosen pod's containers.
pub fn pod_args() -> ArgValueCompleter {
    pod_completer(true)
}

/// Completer for `exec POD -- COMMAND`: the pods in the state (or `TYPE/NAME` once a `/` is
/// typed), nothing after.
pub fn pod_names() -> ArgValueCompleter {
    pod_completer(false)
}

fn pod_completer(containers: bool) -> ArgValueCompleter {
    ArgValueCompleter::new(move |current: &OsStr| -> Vec<CompletionCandidate> {
        let cur = current.to_string_lossy().to_string();
        let line = parse_line();
        let pods = &crate::kinds::pod::KIND;
        if let Some(pod) = line.positionals.first() {
            if !containers || pod.contains('/') || line.positionals.len() > 1 {
                return Vec::new();
            }
            let Ok(Some(mut store)) = Store::open(&line.state_dir, Access::Read) else {
                return Vec::new();
            };
            let Ok(list) = store.list(pods.plural, Some(&line.namespace)) else {
                return Vec::new();
            };
            return list
                .iter()
                .filter(|p| crate::api::name_of(p) == pod)
                .flat_map(|p| {
                    ["initContainers", "containers", "ephemeralContainers"]
                        .iter()
                        .filter_map(|f| p.pointer(&format!("/spec/{f}")))
                        .filter_map(serde_json::Value::as_array)
                        .flatten()
                        .filter_map(|c| c["name"].as_str().map(str::to_string))
                        .collect::<Vec<_>>()
                })
                .filter(|n| n.starts_with(&cur))
                .map(CompletionCandidate::new)
                .collect();
        }
        if let Some((t, prefix)) = cur.split_once('/') {
            let Some(k) = kinds::resolve(t) else {
                return Vec::new();
            };
            return object_names(&line.state_dir, k, &line.namespace)
                .into_iter()
                .filter(|n| n.starts_with(prefix))
                .map(|n| CompletionCandidate::new(format!("{t}/{n}")))
                .collect();
        }
        object_names(&line.state_dir, pods, &line.namespace)
            .into_iter()
            .filter(|n| n.starts_with(&cur))
            .map(CompletionCandidate::new)
            .collect()
    })
}

/// Completer for node names (`cordon`, `uncordon`): the nodes in the state not named yet.
pub fn node_names() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| -> Vec<CompletionCandidate> {
        let cur = current.to_string_lossy().to_string();
        let line = parse_line();
        let nodes = &crate::kinds::node::KIND;
        object_names(&line.state_dir, nodes, "")
            .into_iter()
            .filter(|n| n.starts_with(&cur) && !line.positionals.contains(n))
            .map(CompletionCandidate::new)
            .collect()
    })
}

/// Candidates for `--context` and `config use-context`: the kubeconfig's contexts.
pub fn contexts() -> ArgValueCandidates {
    ArgValueCandidates::new(|| -> Vec<CompletionCandidate> {
        let line = parse_line();
        super::config::kubeconfig::KubeConfig::load(&line.state_dir)
            .map(|k| {
                k.contexts
                    .into_keys()
                    .map(CompletionCandidate::new)
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Candidates for `-n`: the namespaces in the state.
pub fn namespaces() -> ArgValueCandidates {
    ArgValueCandidates::new(|| -> Vec<CompletionCandidate> {
        let line = parse_line();
        let ns = &crate::kinds::namespace::KIND;
        object_names(&line.state_dir, ns, "")
            .into_iter()
            .map(CompletionCandidate::new)
            .collect()
    })
}
