//! `kubesim exec`: kubectl's `exec` (kubectl/pkg/cmd/exec/exec.go, podcmd's default container,
//! the API server's `streamLocation` checks and the kubelet's "container not found") over a
//! simulated container: the command runs in [`crate::sim::kubelet::shell`] against what the
//! container sees ([`crate::sim::kubelet::logs::world`]: its environment, the files of its
//! ConfigMap, Secret, downward API and projected volumes, the ServiceAccount token, its
//! hostname) at the state's current time. The state is only read: a command's writes and the
//! time it takes are not kept.
//!
//! The commands: `env`, `printenv [VAR...]`, `cat FILE...`, `ls [DIR]`, `hostname`, `echo`,
//! `printf`, `date`, `sleep`, `test`, `true`/`false`, `uname`, `whoami`, and `sh -c 'script'`
//! (`bash`, `ash` and `dash` too) with the shell's constructs; a shell with no `-c` under `-i`
//! reads its script from standard input. Anything else is refused with an error that lists
//! them.

use std::io::{IsTerminal, Read, Write};

use clap::Args;
use jiff::SignedDuration;
use serde_json::Value;

use super::goflags::GoDuration;
use super::{CliError, CliResult, Ctx, Out};
use crate::api::errors::ApiError;
use crate::api::{Api, name_of};
use crate::sim::kubelet::shell::{self, End, Line, Sink};

/// How long a command may run on the virtual clock before kubesim stops it.
const EXEC_LIMIT: SignedDuration = SignedDuration::from_hours(1);

#[derive(Args, Debug, Clone)]
pub struct ExecArgs {
    /// (POD | TYPE/NAME); the words before `--`
    #[arg(value_name = "POD", add = super::completion::pod_names())]
    pub args: Vec<String>,
    /// -- COMMAND [args...]
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
    /// Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// to use to exec into the resource
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub filenames: Vec<String>,
    /// The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running
    #[arg(long, default_value = "1m0s", value_parser = GoDuration)]
    pub pod_running_timeout: String,
    /// Only print output from the remote session
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Pass stdin to the container
    #[arg(short = 'i', long)]
    pub stdin: bool,
    /// Stdin is a TTY
    #[arg(short = 't', long)]
    pub tty: bool,
}

/// What the command printed: standard output as lines, standard error as text.
#[derive(Default)]
struct Printed {
    out: String,
    err: String,
}

impl Sink for Printed {
    fn line(&mut self, line: Line) {
        self.out.push_str(&line.text);
        if line.newline {
            self.out.push('\n');
        }
    }
    fn stderr(&mut self, text: &str) {
        self.err.push_str(text);
    }
}

// Long because: kubectl's Complete, Validate and Run in their order, then the API server's and
// the kubelet's refusals, each where the real request meets it.
pub fn run(ctx: &Ctx, a: ExecArgs, out: &mut Out) -> CliResult {
    // Complete: the words before `--` are the pod; a command without `--` is the deprecated
    // form.
    let mut resource = a.args.first().cloned().unwrap_or_default();
    let mut command = a.command.clone();
    let deprecated =
        command.is_empty() && (a.args.len() > 1 || (!a.args.is_empty() && !a.filenames.is_empty()));
    if deprecated {
        if !a.quiet {
            writeln!(
                out.err,
                "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead."
            )?;
        }
        if a.args.len() > 1 {
            command = a.args[1..].to_vec();
        } else {
            command = a.args.clone();
            resource.clear();
        }
    }
    // Validate.
    if resource.is_empty() && a.filenames.is_empty() {
        return Err(CliError::msg(
            "pod, type/name or --filename must be specified",
        ));
    }
    if command.is_empty() {
        return Err(CliError::msg(
            "you must specify at least one command for the container",
        ));
    }
    // Run: the pod, or the first pod of a workload.
    let mut ns = ctx.namespace()?;
    if resource.is_empty() {
        (ns, resource) = from_files(&a.filenames, ns)?;
    }
    let mut api = ctx.open_read()?;
    let pod = executable_pod(&mut api, &ns, &resource)?;
    let pod_name = name_of(&pod).to_string();
    let phase = pod
        .pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("");
    if phase == "Succeeded" || phase == "Failed" {
        return Err(CliError::msg(format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    let container = match a.container.clone().filter(|c| !c.is_empty()) {
        Some(c) => c,
        None => {
            let (c, note) = default_container(&pod);
            if let Some(note) = note.filter(|_| !a.quiet) {
                out.out.flush()?;
                writeln!(out.err, "{note}")?;
            }
            c
        }
    };
    // SetupTTY: a terminal only when stdin is one.
    let stdin_terminal = std::io::stdin().is_terminal();
    if a.stdin && a.tty && !stdin_terminal && !a.quiet {
        out.out.flush()?;
        writeln!(
            out.err,
            "Unable to use a TTY - input is not a terminal or the right kind of file"
        )?;
    }
    // The API server's streamLocation.
    let Some(spec) = container_spec(&pod, &container) else {
        return Err(ApiError::bad_request(format!(
            "container {container} is not valid for pod {pod_name}"
        ))
        .into());
    };
    if pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        return Err(
            ApiError::bad_request(format!("pod {pod_name} does not have a host assigned")).into(),
        );
    }
    // The kubelet finds only running containers.
    if !running(&pod, &container) {
        return Err(CliError::msg(format!(
            "unable to upgrade connection: container not found (\"{container}\")"
        )));
    }
    // A shell without `-c` reads its commands from standard input: none without `-i` (it
    // exits at once, as a real one does); a terminal's would be an interactive session.
    let shell_alone = is_shell(&command[0]) && !command.iter().any(|w| w == "-c");
    if shell_alone && a.stdin {
        if stdin_terminal {
            return Err(CliError::msg(format!(
                "kubesim exec runs no interactive shell; give the commands with `-- {} -c '...'`, or on standard input (`-i -- {} < script.sh`)",
                command[0], command[0]
            )));
        }
        let mut script = String::new();
        std::io::stdin()
            .take(super::MAX_INPUT_BYTES)
            .read_to_string(&mut script)?;
        command = vec![command[0].clone(), "-c".into(), script];
    }
    let world = crate::sim::kubelet::logs::world(&mut api, &pod, &spec);
    let now = api.now();
    let mut printed = Printed::default();
    let end = shell::run_command(
        &command,
        &world,
        (now, now + EXEC_LIMIT),
        &mut printed,
        true,
    );
    out.out.write_all(printed.out.as_bytes())?;
    out.out.flush()?;
    out.err.write_all(printed.err.as_bytes())?;
    match end {
        None => Err(CliError::msg(format!(
            "kubesim exec: \"{}\" is not a program of the simulated containers; they run {}",
            command[0],
            supported()
        ))),
        Some(End::Exited(0, _)) => Ok(()),
        Some(End::Exited(code, _)) => Err(CliError {
            text: format!("command terminated with exit code {}", code & 0xff),
            code: code & 0xff,
            stdout: String::new(),
        }),
        Some(End::Running) => Err(CliError::msg(
            "kubesim exec: the command was still running after an hour of simulated time; kubesim stopped it",
        )),
    }
}

/// The commands an exec runs, for the error that names them.
fn supported() -> String {
    let mut names: Vec<&str> = shell::known_commands()
        .iter()
        .copied()
        .filter(|n| {
            !matches!(
                *n,
                "return"
                    | "break"
                    | "continue"
                    | "trap"
                    | "wait"
                    | "set"
                    | "cd"
                    | "export"
                    | "unset"
                    | "read"
                    | "["
                    | ":"
                    | "sh"
                    | "bash"
                    | "ash"
                    | "dash"
            )
        })
        .collect();
    names.sort_unstable();
    format!("{}, and sh -c 'SCRIPT' (bash, ash, dash)", names.join(", "))
}

fn is_shell(word: &str) -> bool {
    matches!(
        word.rsplit('/').next().unwrap_or(word),
        "sh" | "bash" | "ash" | "dash"
    )
}

/// `AttachablePodForObjectFn`: the pod itself, or the first pod of a workload or service
/// (the most active one).
fn executable_pod(api: &mut Api, ns: &str, resource: &str) -> Result<Value, CliError> {
    let pods = &crate::kinds::pod::KIND;
    let Some((t, name)) = resource.split_once('/') else {
        return Ok(api.get(pods, ns, resource)?);
    };
    let info = crate::api::kinds::resolve(&t.to_lowercase())
        .ok_or_else(|| CliError::msg(format!("the server doesn't have a resource type \"{t}\"")))?;
    let ns_of = if info.namespaced { ns } else { "" };
    let obj = api.get(info, ns_of, name)?;
    if std::ptr::eq(info, pods) {
        return Ok(obj);
    }
    let sel = super::logs::workload_selector("attach to", info.kind, &obj)?;
    let mut found = super::logs::matching_pods(api, crate::api::namespace_of(&obj), &sel)?;
    if found.is_empty() {
        return Err(CliError::msg("timed out waiting for the condition"));
    }
    super::logs::sort_by_logging(&mut found);
    Ok(found.swap_remove(0))
}

/// The object `-f` names (one only), as `(namespace, TYPE/NAME)`; the state's copy is used.
fn from_files(files: &[String], ns: String) -> Result<(String, String), CliError> {
    let mut objs = Vec::new();
    for f in files {
        let data = super::read_source(f)?;
        let source = if f == "-" { "STDIN" } else { f.as_str() };
        objs.extend(crate::api::decode::parse_documents(&data, source).map_err(CliError::msg)?);
    }
    let [obj] = objs.as_slice() else {
        return Err(CliError::msg("cannot exec into multiple objects at a time"));
    };
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let ns = match crate::api::namespace_of(obj) {
        "" => ns,
        n => n.to_string(),
    };
    Ok((ns, format!("{}/{}", kind.to_lowercase(), name_of(obj))))
}

/// `podcmd.FindOrDefaultContainerByName` without a name: the annotated default container if
/// the pod has it, else the first container, with kubectl's note when there was a choice.
fn default_container(pod: &Value) -> (String, Option<String>) {
    let containers = super::logs::spec_names(pod, "containers");
    if let Some(d) = pod
        .pointer("/metadata/annotations/kubectl.kubernetes.io~1default-container")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
        && container_spec(pod, d).is_some()
    {
        return (d.to_string(), None);
    }
    let first = containers.first().cloned().unwrap_or_default();
    let others = containers.len() > 1
        || !super::logs::spec_names(pod, "initContainers").is_empty()
        || !super::logs::spec_names(pod, "ephemeralContainers").is_empty();
    let note = others.then(|| {
        format!(
            "Defaulted container \"{first}\" out of: {}",
            super::logs::all_container_names(pod)
        )
    });
    (first, note)
}

/// The spec of container `name` (app, init or ephemeral).
fn container_spec(pod: &Value, name: &str) -> Option<Value> {
    ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|f| pod.pointer(&format!("/spec/{f}")).and_then(Value::as_array))
        .flatten()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(name))
        .cloned()
}

/// Whether the kubelet runs container `name` now.
fn running(pod: &Value, name: &str) -> bool {
    super::logs::container_status(pod, name).is_some_and(|s| s.pointer("/state/running").is_some())
}
