//! `kubesim logs`: kubectl's `logs` (kubectl/pkg/cmd/logs/logs.go with
//! polymorphichelpers/logsforobject.go) over the kubelet's log reading
//! (`validateContainerLogStatus`, kuberuntime/logs `ReadLogs`): what a container printed is
//! computed by the simulated kubelet ([`crate::sim::kubelet::logs`]) from its program, its
//! start and its end (or now).
//!
//! `-f` runs the controllers until the cluster settles (as `events -w`), then prints what the
//! followed container wrote up to its end or the settled time.

use std::collections::VecDeque;
use std::io::Write;

use clap::Args;
use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Container, Pod};
use serde_json::Value;

use super::goflags::{GoDuration, go_parse_duration};
use super::{CliError, CliResult, Ctx, Out};
use crate::api::errors::ApiError;
use crate::api::selector::Selector;
use crate::api::{Api, name_of};
use crate::sim::kubelet::shell::{Line, Sink};

const USAGE: &str = "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]";

#[derive(Args, Debug, Clone)]
pub struct LogsArgs {
    /// (POD | TYPE/NAME) [CONTAINER]
    #[arg(value_name = "POD", add = super::completion::pod_args())]
    pub args: Vec<String>,
    /// Get all containers' logs in the pod(s).
    #[arg(long)]
    pub all_containers: bool,
    /// Get logs from all pod(s). Sets prefix to true.
    #[arg(long)]
    pub all_pods: bool,
    /// Print the logs of this container
    #[arg(short = 'c', long)]
    pub container: Option<String>,
    /// Specify if the logs should be streamed (until the cluster settles).
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// If watching / following pod logs, allow for any errors that occur to be non-fatal
    #[arg(long)]
    pub ignore_errors: bool,
    /// Skip verifying the identity of the kubelet that logs are requested from (accepted).
    #[arg(long)]
    pub insecure_skip_tls_verify_backend: bool,
    /// Maximum bytes of logs to return. Defaults to no limit.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub limit_bytes: i64,
    /// Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.
    #[arg(long, default_value_t = 5, allow_negative_numbers = true)]
    pub max_log_requests: i64,
    /// The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running
    #[arg(long, default_value = "20s", value_parser = GoDuration)]
    pub pod_running_timeout: String,
    /// Prefix each log line with the log source (pod name and container name)
    #[arg(long)]
    pub prefix: bool,
    /// If true, print the logs for the previous instance of the container in a pod if it exists.
    #[arg(short = 'p', long)]
    pub previous: bool,
    /// Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs.
    #[arg(long, value_parser = GoDuration)]
    pub since: Option<String>,
    /// Only return logs after a specific date (RFC3339). Defaults to all logs.
    #[arg(long)]
    pub since_time: Option<String>,
    /// Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.
    #[arg(long, allow_negative_numbers = true)]
    pub tail: Option<i64>,
    /// Include timestamps on each line in the log output
    #[arg(long)]
    pub timestamps: bool,
}

fn usage_error(msg: &str) -> CliError {
    super::cobra::usage_error("logs", msg)
}

/// One log request: a container of a pod.
struct Request {
    pod: Value,
    container: String,
}

/// `PodLogOptions` as the kubelet reads them.
struct Opts {
    tail: Option<usize>,
    since: Option<Timestamp>,
    timestamps: bool,
    limit_bytes: Option<usize>,
    previous: bool,
}

// Long because: kubectl's Complete, Validate and RunLogs in their order, each check where
// kubectl makes it (the object is fetched before the flags are validated).
pub fn run(ctx: &Ctx, a: LogsArgs, out: &mut Out) -> CliResult {
    let mut container = a.container.clone();
    let selector = a.selector.clone().filter(|s| !s.is_empty());
    match a.args.len() {
        0 if selector.is_none() => {
            return Err(usage_error(&format!(
                "expected '{USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command"
            )));
        }
        0 => {}
        1 if selector.is_some() => {
            return Err(usage_error("only a selector (-l) or a POD name is allowed"));
        }
        1 => {}
        2 => container = Some(a.args[1].clone()),
        _ => {
            return Err(usage_error(&format!(
                "expected '{USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command"
            )));
        }
    }
    let since_time = match &a.since_time {
        Some(t) if !t.is_empty() => Some(t.parse::<Timestamp>().map_err(|_| {
            CliError::msg(format!(
                "parsing time \"{t}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{t}\" as \"2006\""
            ))
        })?),
        _ => None,
    };
    let since_secs = match &a.since {
        Some(s) => {
            let d = go_parse_duration(s).map_err(CliError::msg)?;
            let ms = d.as_millis();
            (ms != 0).then(|| ((ms as f64) / 1000.0).round() as i64)
        }
        None => None,
    };
    let ns = ctx.namespace()?;
    let mut api = if a.follow {
        ctx.open_write()?
    } else {
        ctx.open_read()?
    };
    let pods_kind = &crate::kinds::pod::KIND;
    // The object: a pod list (-l), a pod, or a workload whose pods are looked up.
    enum Target {
        Pods(Vec<Value>),
        Pod(Value),
        Workload(String, Value),
    }
    let target = if let Some(sel) = &selector {
        let sel = Selector::parse(sel).map_err(CliError::msg)?;
        let pods = matching_pods(&mut api, &ns, &sel)?;
        if pods.is_empty() {
            out.out.flush()?;
            writeln!(out.err, "No resources found in {ns} namespace.")?;
        }
        Target::Pods(pods)
    } else {
        let arg = &a.args[0];
        let (info, name) = match arg.split_once('/') {
            Some((t, n)) => {
                let info = crate::api::kinds::resolve(&t.to_lowercase()).ok_or_else(|| {
                    CliError::msg(format!("the server doesn't have a resource type \"{t}\""))
                })?;
                (info, n.to_string())
            }
            None => (pods_kind, arg.clone()),
        };
        let ns_of = if info.namespaced { ns.as_str() } else { "" };
        let obj = api.get(info, ns_of, &name)?;
        if std::ptr::eq(info, pods_kind) {
            Target::Pod(obj)
        } else {
            Target::Workload(info.kind.to_string(), obj)
        }
    };
    // Validate.
    if since_time.is_some() && since_secs.is_some() {
        return Err(CliError::msg(
            "at most one of `sinceTime` or `sinceSeconds` may be specified",
        ));
    }
    if a.all_containers
        && let Some(c) = container.as_ref().filter(|c| !c.is_empty())
    {
        return Err(CliError::msg(format!(
            "--all-containers=true should not be specified with container name {c}"
        )));
    }
    if a.container.is_some() && a.args.len() == 2 {
        return Err(CliError::msg(
            "only one of -c or an inline [CONTAINER] arg is allowed",
        ));
    }
    if a.limit_bytes < 0 {
        return Err(CliError::msg("--limit-bytes must be greater than 0"));
    }
    if since_secs.is_some_and(|s| s < 0) {
        return Err(CliError::msg("--since must be greater than 0"));
    }
    let tail = match (a.tail, &selector) {
        (None, Some(_)) => Some(10),
        (Some(-1), _) | (None, None) => None,
        (Some(n), _) => Some(n),
    };
    if tail.is_some_and(|t| t < -1) {
        return Err(CliError::msg("--tail must be greater than or equal to -1"));
    }
    // LogsForObject.
    let container = container.filter(|c| !c.is_empty());
    let all_pods = a.all_pods;
    let mut requests = Vec::new();
    let mut stderr_notes = Vec::new();
    let pods = match target {
        Target::Pods(pods) => pods,
        Target::Pod(p) => vec![p],
        Target::Workload(kind, obj) => {
            let sel = workload_selector("get the logs from", &kind, &obj)?;
            let mut pods = matching_pods(&mut api, crate::api::namespace_of(&obj), &sel)?;
            if pods.is_empty() {
                return Err(CliError::msg("timed out waiting for the condition"));
            }
            sort_by_logging(&mut pods);
            if pods.len() > 1 && !all_pods {
                stderr_notes.push(format!(
                    "Found {} pods, using pod/{}",
                    pods.len(),
                    name_of(&pods[0])
                ));
                pods.truncate(1);
            }
            pods
        }
    };
    for p in pods {
        pod_requests(
            &p,
            container.as_deref(),
            a.all_containers,
            all_pods,
            &mut requests,
            &mut stderr_notes,
        )?;
    }
    out.out.flush()?;
    for n in &stderr_notes {
        writeln!(out.err, "{n}")?;
    }
    if a.follow && requests.len() > 1 && requests.len() as i64 > a.max_log_requests {
        return Err(CliError::msg(format!(
            "you are attempting to follow {} log streams, but maximum allowed concurrency is {}, use --max-log-requests to increase the limit",
            requests.len(),
            a.max_log_requests
        )));
    }
    let prefix = a.prefix || all_pods;
    // Following: the instance being followed is the one running now; the cluster runs until
    // it settles, and the stream ends there (or where the instance ended).
    let mut followed: Vec<Option<String>> = Vec::new();
    if a.follow {
        for r in &requests {
            followed.push(container_id_now(&r.pod, &r.container));
        }
        crate::engine::settle(&mut api, &crate::cli::cluster::PLANE, 3600)?;
        api.commit()?;
        for r in &mut requests {
            let (pns, pname) = (
                crate::api::namespace_of(&r.pod).to_string(),
                name_of(&r.pod).to_string(),
            );
            if let Ok(Some(p)) = api.try_get(pods_kind, &pns, &pname) {
                r.pod = p;
            }
        }
    }
    let now = api.now();
    let since = match (since_secs, since_time) {
        (Some(s), _) => Some(now - jiff::SignedDuration::from_secs(s)),
        (None, t) => t,
    };
    let opts = Opts {
        tail: tail.and_then(|t| usize::try_from(t).ok()),
        since,
        timestamps: a.timestamps,
        limit_bytes: (a.limit_bytes > 0).then_some(a.limit_bytes as usize),
        previous: a.previous,
    };
    for (k, r) in requests.iter().enumerate() {
        let id = followed.get(k).cloned().flatten();
        match read_log(&mut api, r, &opts, now, id.as_deref()) {
            Ok(lines) => {
                let pre = if prefix {
                    format!("[pod/{}/{}] ", name_of(&r.pod), r.container)
                } else {
                    String::new()
                };
                for l in lines {
                    out.out.write_all(pre.as_bytes())?;
                    out.out.write_all(l.as_bytes())?;
                }
            }
            Err(e) if a.follow && a.ignore_errors => {
                writeln!(out.out, "error: {}", e.message)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The pods of `ns` whose labels `sel` matches, by name.
pub(super) fn matching_pods(
    api: &mut Api,
    ns: &str,
    sel: &Selector,
) -> Result<Vec<Value>, CliError> {
    Ok(api
        .list_ref(&crate::kinds::pod::KIND, Some(ns))?
        .into_iter()
        .filter(|p| sel.matches_value(p.pointer("/metadata/labels")))
        .cloned()
        .collect())
}

/// `SelectorsForObject`: the label selector of a workload or service.
pub(super) fn workload_selector(what: &str, kind: &str, obj: &Value) -> Result<Selector, CliError> {
    let not_impl = || {
        CliError::msg(format!(
            "cannot {what} *v1.{kind}: selector for *v1.{kind} not implemented"
        ))
    };
    let map_selector = |v: Option<&Value>| -> Option<Selector> {
        let m: std::collections::BTreeMap<String, String> =
            serde_json::from_value(v?.clone()).ok()?;
        Some(Selector::from_map(&m))
    };
    let sel = match kind {
        "ReplicationController" => map_selector(obj.pointer("/spec/selector")),
        "Service" => {
            let s = map_selector(obj.pointer("/spec/selector"));
            if s.is_none() {
                return Err(CliError::msg(format!(
                    "cannot {what} *v1.Service: invalid service '{}': Service is defined without a selector",
                    name_of(obj)
                )));
            }
            s
        }
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" => {
            let ls = obj
                .pointer("/spec/selector")
                .and_then(|v| serde_json::from_value(v.clone()).ok());
            ls.and_then(|ls| Selector::from_label_selector(&ls).ok())
        }
        _ => return Err(not_impl()),
    };
    sel.ok_or_else(not_impl)
}

/// `podutils.ByLogging`: assigned before unassigned, Running < Unknown < Pending, ready
/// before not ready, ready longer first, more restarts first, older first.
pub(super) fn sort_by_logging(pods: &mut [Value]) {
    use std::cmp::Ordering;
    let phase_rank = |p: &Value| match p.pointer("/status/phase").and_then(Value::as_str) {
        Some("Unknown") => 1,
        Some("Pending") => 2,
        _ => 0,
    };
    let ready_since = |p: &Value| -> Option<String> {
        p.pointer("/status/conditions")
            .and_then(Value::as_array)?
            .iter()
            .find(|c| c["type"] == "Ready" && c["status"] == "True")
            .map(|c| c["lastTransitionTime"].as_str().unwrap_or("").to_string())
    };
    let restarts = |p: &Value| {
        p.pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c["restartCount"].as_i64())
            .max()
            .unwrap_or(0)
    };
    let node = |p: &Value| {
        p.pointer("/spec/nodeName")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
    };
    let created = |p: &Value| {
        p.pointer("/metadata/creationTimestamp")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    pods.sort_by(|a, b| {
        node(a)
            .cmp(&node(b))
            .then(phase_rank(a).cmp(&phase_rank(b)))
            .then_with(|| match (ready_since(a), ready_since(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then(restarts(b).cmp(&restarts(a)))
            .then_with(|| created(a).cmp(&created(b)))
    });
}

pub(super) fn spec_names(pod: &Value, field: &str) -> Vec<String> {
    pod.pointer(&format!("/spec/{field}"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|c| c["name"].as_str().unwrap_or("").to_string())
        .collect()
}

/// `podcmd.AllContainerNames`: containers, then `(ephem)`, then `(init)` ones.
pub(super) fn all_container_names(pod: &Value) -> String {
    let mut v = spec_names(pod, "containers");
    v.extend(
        spec_names(pod, "ephemeralContainers")
            .into_iter()
            .map(|n| format!("{n} (ephem)")),
    );
    v.extend(
        spec_names(pod, "initContainers")
            .into_iter()
            .map(|n| format!("{n} (init)")),
    );
    v.join(", ")
}

/// The requests for one pod (`logsForObjectWithClient`'s `*corev1.Pod` case).
fn pod_requests(
    pod: &Value,
    container: Option<&str>,
    all_containers: bool,
    all_pods: bool,
    requests: &mut Vec<Request>,
    notes: &mut Vec<String>,
) -> Result<(), CliError> {
    let name = name_of(pod).to_string();
    let containers = spec_names(pod, "containers");
    let inits = spec_names(pod, "initContainers");
    let ephems = spec_names(pod, "ephemeralContainers");
    let exists = |c: &str| {
        containers
            .iter()
            .chain(&inits)
            .chain(&ephems)
            .any(|n| n == c)
    };
    if all_containers {
        for c in inits.iter().chain(&containers).chain(&ephems) {
            requests.push(Request {
                pod: pod.clone(),
                container: c.clone(),
            });
        }
        return Ok(());
    }
    let mut chosen = container.map(str::to_string);
    if chosen.is_none()
        && let Some(d) = pod
            .pointer("/metadata/annotations/kubectl.kubernetes.io~1default-container")
            .and_then(Value::as_str)
            .filter(|d| !d.is_empty())
    {
        if exists(d) {
            chosen = Some(d.to_string());
        } else {
            notes.push(format!(
                "Default container name \"{d}\" not found in pod {name}"
            ));
        }
    }
    let chosen = match chosen {
        Some(c) => c,
        None => {
            let first = containers.first().cloned().unwrap_or_default();
            if (containers.len() > 1 || !inits.is_empty() || !ephems.is_empty()) && !all_pods {
                notes.push(format!(
                    "Defaulted container \"{first}\" out of: {}",
                    all_container_names(pod)
                ));
            }
            first
        }
    };
    if !exists(&chosen) {
        return Err(CliError::msg(format!(
            "container {chosen} is not valid for pod {name} out of: {}",
            all_container_names(pod)
        )));
    }
    requests.push(Request {
        pod: pod.clone(),
        container: chosen,
    });
    Ok(())
}

pub(super) fn container_status<'a>(pod: &'a Value, name: &str) -> Option<&'a Value> {
    [
        "containerStatuses",
        "initContainerStatuses",
        "ephemeralContainerStatuses",
    ]
    .iter()
    .filter_map(|f| {
        pod.pointer(&format!("/status/{f}"))
            .and_then(Value::as_array)
    })
    .flatten()
    .find(|s| s["name"] == name)
}

fn container_id_now(pod: &Value, name: &str) -> Option<String> {
    let st = container_status(pod, name)?;
    st.pointer("/state/running")?;
    st["containerID"].as_str().map(str::to_string)
}

/// One instance of a container: its ID, when it started and when it ended (`None`: running).
struct Instance {
    started: Timestamp,
    finished: Option<Timestamp>,
}

fn instance_of(state: &Value) -> Option<Instance> {
    let ts = |p: &str| {
        state
            .pointer(p)
            .and_then(Value::as_str)
            .and_then(crate::api::parse_time)
    };
    if state.get("running").is_some() {
        return Some(Instance {
            started: ts("/running/startedAt")?,
            finished: None,
        });
    }
    Some(Instance {
        started: ts("/terminated/startedAt").or_else(|| ts("/terminated/finishedAt"))?,
        finished: ts("/terminated/finishedAt"),
    })
}

/// `validateContainerLogStatus`: which instance's log is read, or the kubelet's error.
fn choose_instance(
    pod: &Value,
    name: &str,
    previous: bool,
    followed: Option<&str>,
) -> Result<Instance, ApiError> {
    let pname = name_of(pod);
    let bad = |m: String| ApiError::bad_request(m);
    let Some(st) = container_status(pod, name) else {
        return Err(bad(format!(
            "container \"{name}\" in pod \"{pname}\" is not available"
        )));
    };
    let last = st.pointer("/lastState/terminated");
    let last_id = last
        .and_then(|t| t["containerID"].as_str())
        .filter(|s| !s.is_empty());
    let state = st.get("state").cloned().unwrap_or(Value::Null);
    let last_instance =
        || instance_of(&serde_json::json!({"terminated": last.cloned().unwrap_or(Value::Null)}));
    // A followed instance that has since been replaced is read from where it ended.
    if let Some(id) = followed
        && st["containerID"].as_str() != Some(id)
        && last_id == Some(id)
        && let Some(i) = last_instance()
    {
        return Ok(i);
    }
    if previous {
        return match (last_id, last_instance()) {
            (Some(_), Some(i)) => Ok(i),
            _ => Err(bad(format!(
                "previous terminated container \"{name}\" in pod \"{pname}\" not found"
            ))),
        };
    }
    if state.get("running").is_some() {
        return instance_of(&state).ok_or_else(|| bad("no start time".into()));
    }
    if let Some(t) = state.get("terminated") {
        let id = t["containerID"].as_str().unwrap_or("");
        if !id.is_empty() {
            return instance_of(&state).ok_or_else(|| bad("no start time".into()));
        }
        return match (last_id, last_instance()) {
            (Some(_), Some(i)) => Ok(i),
            _ => Err(bad(format!(
                "container \"{name}\" in pod \"{pname}\" is terminated"
            ))),
        };
    }
    if last.is_some() {
        return match (last_id, last_instance()) {
            (Some(_), Some(i)) => Ok(i),
            _ => Err(bad(format!(
                "container \"{name}\" in pod \"{pname}\" is terminated"
            ))),
        };
    }
    if let Some(w) = state.get("waiting") {
        let reason = w["reason"].as_str().unwrap_or("");
        let why = match reason {
            "ErrImagePull" => "image can't be pulled".to_string(),
            "ImagePullBackOff" => "trying and failing to pull image".to_string(),
            r => r.to_string(),
        };
        return Err(bad(format!(
            "container \"{name}\" in pod \"{pname}\" is waiting to start: {why}"
        )));
    }
    Err(bad(format!(
        "container \"{name}\" in pod \"{pname}\" is waiting to start - no logs yet"
    )))
}

/// Keeps the lines a `--tail`/`--since` reader will see.
struct Reader {
    lines: VecDeque<Line>,
    tail: Option<usize>,
    since: Option<Timestamp>,
}

impl Sink for Reader {
    fn line(&mut self, line: Line) {
        self.lines.push_back(line);
        if let Some(n) = self.tail
            && self.lines.len() > n
        {
            self.lines.pop_front();
        }
    }
    fn tail(&self) -> Option<usize> {
        self.tail
    }
    fn since(&self) -> Option<Timestamp> {
        self.since
    }
}

/// The log of one request as the kubelet serves it: tail, then since, timestamps and the
/// byte limit; each entry one line with its newline (the last one may lack it).
fn read_log(
    api: &mut Api,
    r: &Request,
    o: &Opts,
    now: Timestamp,
    followed: Option<&str>,
) -> Result<Vec<String>, ApiError> {
    // An unscheduled pod has no kubelet to ask: the stream is empty.
    if r.pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        return Ok(Vec::new());
    }
    let inst = choose_instance(&r.pod, &r.container, o.previous, followed)?;
    let pod: Pod =
        serde_json::from_value(r.pod.clone()).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let spec = pod.spec.clone().unwrap_or_default();
    let c_value = ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|f| {
            r.pod
                .pointer(&format!("/spec/{f}"))
                .and_then(Value::as_array)
        })
        .flatten()
        .find(|c| c["name"] == r.container.as_str())
        .cloned()
        .unwrap_or(Value::Null);
    let c: Container = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .find(|c| c.name == r.container)
        .cloned()
        .unwrap_or_else(|| serde_json::from_value(c_value.clone()).unwrap_or_default());
    let world = crate::sim::kubelet::logs::world(api, &r.pod, &c_value);
    let cpus = node_cpus(api, spec.node_name.as_deref().unwrap_or(""));
    let until = inst.finished.unwrap_or(now).min(now.max(inst.started));
    let mut reader = Reader {
        lines: VecDeque::new(),
        tail: o.tail,
        since: o.since,
    };
    if o.tail != Some(0) {
        crate::sim::kubelet::logs::output(&pod, &c, &world, inst.started, until, cpus, &mut reader);
    }
    let mut remain = o.limit_bytes.unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for l in reader.lines {
        if o.since.is_some_and(|s| l.at < s) {
            continue;
        }
        let mut text = String::new();
        if o.timestamps {
            text.push_str(&format!(
                "{}.{:09}Z ",
                l.at.strftime("%Y-%m-%dT%H:%M:%S"),
                l.at.subsec_nanosecond()
            ));
        }
        text.push_str(&l.text);
        if l.newline {
            text.push('\n');
        }
        if text.len() > remain {
            let mut cut = remain;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        remain -= text.len();
        out.push(text);
        if remain == 0 {
            break;
        }
    }
    Ok(out)
}

/// The node's CPU count (nginx starts a worker per CPU).
fn node_cpus(api: &mut Api, node: &str) -> u32 {
    api.try_get_ref(&crate::kinds::node::KIND, "", node)
        .ok()
        .flatten()
        .and_then(|n| n.pointer("/status/capacity/cpu").and_then(Value::as_str))
        .and_then(|c| c.parse().ok())
        .unwrap_or(4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(containers: &[&str], inits: &[&str], ann: Option<&str>) -> Value {
        let cs: Vec<Value> = containers
            .iter()
            .map(|n| json!({"name": n, "image": "busybox"}))
            .collect();
        let is: Vec<Value> = inits
            .iter()
            .map(|n| json!({"name": n, "image": "busybox"}))
            .collect();
        let mut p = json!({"metadata": {"name": "p", "namespace": "default"},
            "spec": {"containers": cs, "initContainers": is}});
        if let Some(a) = ann {
            p["metadata"]["annotations"] = json!({"kubectl.kubernetes.io/default-container": a});
        }
        p
    }

    fn choose(p: &Value, c: Option<&str>) -> (Result<String, String>, Vec<String>) {
        let mut reqs = Vec::new();
        let mut notes = Vec::new();
        let r = pod_requests(p, c, false, false, &mut reqs, &mut notes)
            .map(|_| reqs[0].container.clone())
            .map_err(|e| e.text);
        (r, notes)
    }

    /// The reference's §16 test vectors 1–3, and an invalid name.
    #[test]
    fn container_defaulting() {
        let p = pod(&["app", "sidecar"], &[], None);
        assert_eq!(
            choose(&p, None),
            (
                Ok("app".into()),
                vec!["Defaulted container \"app\" out of: app, sidecar".into()]
            )
        );
        let p = pod(&["app", "sidecar"], &[], Some("sidecar"));
        assert_eq!(choose(&p, None), (Ok("sidecar".into()), vec![]));
        let p = pod(&["app", "sidecar"], &["init"], Some("nope"));
        assert_eq!(
            choose(&p, None),
            (
                Ok("app".into()),
                vec![
                    "Default container name \"nope\" not found in pod p".into(),
                    "Defaulted container \"app\" out of: app, sidecar, init (init)".into()
                ]
            )
        );
        assert_eq!(
            choose(&p, Some("x")).0,
            Err(
                "error: container x is not valid for pod p out of: app, sidecar, init (init)"
                    .into()
            )
        );
        assert_eq!(
            choose(&pod(&["only"], &[], None), None),
            (Ok("only".into()), vec![])
        );
    }

    /// Vectors 4–5: the kubelet's refusals.
    #[test]
    fn kubelet_refusals() {
        let mut p = pod(&["app"], &[], None);
        p["status"] = json!({"containerStatuses": [{"name": "app", "restartCount": 0,
            "state": {"waiting": {"reason": "ContainerCreating"}}}]});
        let err = |p: &Value, prev| {
            choose_instance(p, "app", prev, None)
                .err()
                .unwrap()
                .kubectl_message()
        };
        assert_eq!(
            err(&p, false),
            "Error from server (BadRequest): container \"app\" in pod \"p\" is waiting to start: ContainerCreating"
        );
        p["status"]["containerStatuses"][0]["state"] =
            json!({"running": {"startedAt": "2026-01-01T00:00:02Z"}});
        assert_eq!(
            err(&p, true),
            "Error from server (BadRequest): previous terminated container \"app\" in pod \"p\" not found"
        );
        assert!(choose_instance(&p, "app", false, None).is_ok());
    }

    #[test]
    fn by_logging_order() {
        let mut pods = vec![
            json!({"metadata": {"name": "pending", "creationTimestamp": "2026-01-01T00:00:00Z"}, "spec": {}, "status": {"phase": "Pending"}}),
            json!({"metadata": {"name": "young", "creationTimestamp": "2026-01-01T00:00:05Z"}, "spec": {"nodeName": "n"}, "status": {"phase": "Running"}}),
            json!({"metadata": {"name": "old", "creationTimestamp": "2026-01-01T00:00:01Z"}, "spec": {"nodeName": "n"}, "status": {"phase": "Running"}}),
        ];
        sort_by_logging(&mut pods);
        let names: Vec<&str> = pods.iter().map(name_of).collect();
        assert_eq!(names, ["old", "young", "pending"]);
    }
}
