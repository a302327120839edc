//! The simulated kubelet: what happens to a pod once it is bound to a node, as a pure function.
//!
//! [`sync_pod`] looks at a pod (its spec, annotations and the status the kubelet last wrote),
//! the node, and the virtual time `now`, and returns a [`PodSync`]: the new `status` (if it
//! changed), the events the kubelet would have recorded (each with the instant it happened),
//! when to be called again (`wake_at`), and whether graceful deletion has finished
//! (`delete_now`). The engine applies all of it and calls again at `wake_at` (and whenever the
//! pod changes). The pod's status *is* the kubelet's memory: every timer is derived from
//! timestamps in it (`startTime`, `startedAt`, `finishedAt`, `deletionTimestamp`), so calling
//! late still yields the right state; call at `wake_at` to also get every intermediate event.
//! [`node_status`] fills in what a kubelet reports for a node applied without a status.
//!
//! # Timeline of a pod (all defaults, in virtual seconds)
//! - **First sync** (the call after binding): `startTime`, `hostIP(s)` (the node's InternalIP),
//!   `podIP(s)` ([`KubeletCtx::pod_ip`]; the host IP for `hostNetwork` pods), condition
//!   `PodReadyToStartContainers=True`, `Initialized` (True, or False
//!   `ContainersNotInitialized` while init containers run), `Ready`/`ContainersReady` False
//!   `ContainersNotReady` "containers with unready status: [a b]", phase `Pending`, containers
//!   waiting `ContainerCreating` (`PodInitializing` when the pod has init containers).
//!   Conditions appear in the kubelet's order (PodReadyToStartContainers, Initialized, Ready,
//!   ContainersReady) followed by the ones it does not own (PodScheduled, ...), kept as they were.
//! - **Admission**: a pod that does not fit the node (requests vs allocatable minus the other
//!   pods' [`KubeletCtx::node_usage`]), does not match its node selector/affinity or does not
//!   tolerate a NoExecute taint is rejected: phase `Failed`, `reason` `OutOfcpu` /
//!   `OutOfmemory` / `OutOfpods` / `NodeAffinity` / `TaintToleration`, message
//!   `Pod was rejected: ...`, and a Warning event with the same reason.
//! - **Images**: containers start in spec order; each one's image "pull" takes
//!   [`PULL_SECONDS`] (2 s) and they are pulled one after another (container k starts
//!   2·(k+1) s after the pod's containers may start). Events `Pulling` (reported by the
//!   call at the instant the pull begins, so it is listed while the pod is still
//!   `ContainerCreating`; a failing image's retries excepted, see below), `Pulled`
//!   (`Successfully pulled image "nginx:1.25" in 1.523s (1.523s including waiting). Image size:
//!   68123456 bytes.`; the duration and size are derived from the image name), `Created`
//!   (`Created container: nginx`), `Started` (`Started container nginx`). There is no pull
//!   when the image is already on the node: with `imagePullPolicy: IfNotPresent` (the default
//!   unless the tag is `:latest` or missing) when an earlier container of the pod has the same
//!   image or a container of another pod on the node started with it before
//!   ([`KubeletCtx::images`]; pods that start together all pull, as they do on a real node),
//!   and always with `Never` (images are taken to be loaded on the node). The container then
//!   starts at once with the single event `Pulled` `Container image "nginx:1.25" already
//!   present on machine` (kubelet 1.33 without the alpha KubeletEnsureSecretPulledImages).
//!   `Always` pulls every time. Restarts never pull again unless the policy is `Always`.
//! - **Failing images**: `nginx:1.161` (the Kubernetes docs' typo),
//!   `gcr.io/google-samples/kubernetes-bootcamp:v10` (the Kubernetes Basics tutorial's), any image whose name
//!   contains `doesnotexist`, `does-not-exist`, `nonexistent` or `non-existent`, and every image
//!   of a pod annotated `kubesim.io/image-pull: fail`. Attempt n fails [`PULL_SECONDS`] after
//!   it starts (`Failed` `Failed to pull image "...": rpc error: code = NotFound desc = ...`,
//!   `Failed` `Error: ErrImagePull`, waiting `ErrImagePull`); one second later the container
//!   waits in `ImagePullBackOff` (`BackOff` `Back-off pulling image "..."`, `Failed` `Error:
//!   ImagePullBackOff`); the next attempt starts 10 s, 20 s, 40 s ... (max 300 s) after the
//!   failure (a retry's `Pulling` comes with its failure, dated when the retry began: the
//!   start of a retry changes nothing in the status, which is the kubelet's only memory).
//!   An image name with upper-case letters or spaces waits in `InvalidImageName`.
//! - **What a container does** (first rule that applies):
//!   1. annotations `kubesim.io/run-seconds`, `kubesim.io/exit-code`,
//!      `kubesim.io/crash-after-seconds` (= run that long, then exit 1 unless `exit-code` says
//!      otherwise), `kubesim.io/ready-after-seconds`. A key applies to all app containers;
//!      `<key>.<container-name>` (e.g. `kubesim.io/exit-code.web`) to one container, init
//!      containers included. `exit-code` alone means "exit right after starting".
//!   2. the command line (`command` + `args`): `while true`/`while :`/`tail -f`/`sleep
//!      infinity` run forever; otherwise every `sleep N` (N in seconds, or with s/m/h/d) adds to
//!      the run time and the container then exits with the last `exit N`, or 1 for `false`, or 0.
//!      So `sleep 30` runs 30 s and exits 0, `exit 1` and `false` fail right after starting.
//!   3. shell images (busybox, alpine, ubuntu, debian, centos, fedora, bash) with no such hint
//!      and no `stdin`: the shell has nothing to do and exits 0 at once (the classic
//!      `kubectl run busybox --image=busybox` CrashLoopBackOff).
//!   4. otherwise: init containers and containers of pods with `restartPolicy` `Never` /
//!      `OnFailure` run [`DEFAULT_RUN_SECONDS`] (5 s) and exit 0; with `Always` they run forever.
//! - **Readiness**: ready at start, or `readinessProbe.initialDelaySeconds` later, or
//!   `kubesim.io/ready-after-seconds` later; `started` follows `startupProbe.initialDelaySeconds`.
//! - **Exits**: state `terminated` reason `Completed` (0) or `Error`. `restartPolicy: Always`
//!   restarts on any exit, `OnFailure` on non-zero, `Never` not at all. The first restart comes
//!   one second after the exit; from the second exit on the container waits in
//!   `CrashLoopBackOff` (message `back-off 10s restarting failed container=c pod=p_ns(uid)`,
//!   Warning `BackOff` `Back-off restarting failed container c in pod p_ns(uid)`) and restarts
//!   10 s, 20 s, 40 s, 80 s, 160 s, then every 300 s after the exit, as the real kubelet does;
//!   a run longer than 10 minutes resets the back-off. `restartCount` and `lastState` follow.
//!   Phase follows the kubelet's `getPhase` (Pending / Running / Succeeded / Failed); a finished
//!   pod gets `Ready`/`ContainersReady` False reason `PodCompleted` (or `PodFailed`),
//!   `Initialized` True reason `PodCompleted` when it succeeded, and
//!   `PodReadyToStartContainers` False.
//! - **Init containers** run one at a time before the app containers (kubectl shows
//!   `Init:0/2`, `Init:1/2`, `PodInitializing`); a failing one restarts with back-off
//!   (`Init:CrashLoopBackOff`) unless `restartPolicy: Never`, which fails the pod
//!   (`Init:Error`). Init containers with `restartPolicy: Always` (sidecars) start in order and
//!   keep running.
//! - **Graceful deletion**: when `deletionTimestamp` is set, each running container gets
//!   `Killing` `Stopping container c` and turns not ready; [`TERMINATION_SECONDS`] (1 s, or the
//!   whole grace period when it is shorter, or the whole grace period for a container whose
//!   command is a plain `sleep`, which ignores SIGTERM as PID 1 and is then killed with exit
//!   137) later the containers are terminated, the phase becomes `Succeeded` or `Failed`, and
//!   `delete_now` is set. Pods never started, or already finished, are deleted at once.
//! - A node whose `Ready` condition is `Unknown` has a dead kubelet: nothing happens.
//!
//! Container IDs (`containerd://<64 hex>`), image IDs (`docker.io/library/nginx@sha256:...`)
//! and the full image names in statuses (`docker.io/library/nginx:1.25`) are derived from the
//! pod uid and image names, so runs are reproducible.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{
    Container, ContainerImage, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, DaemonEndpoint, HostIP, Node, NodeAddress,
    NodeCondition, NodeDaemonEndpoints, NodeStatus, NodeSystemInfo, Pod, PodCondition, PodIP,
    PodStatus, VolumeMountStatus,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::scheduler::{
    first_untolerated_taint, node_allocatable, node_matches_pod_affinity, pod_requests,
};

/// Virtual seconds an image pull takes (successful or not).
pub const PULL_SECONDS: i64 = 2;
/// Run time of containers that are expected to finish but carry no hint (Job pods, init containers).
pub const DEFAULT_RUN_SECONDS: i64 = 5;
/// Seconds a container needs to stop after SIGTERM (capped by the grace period).
pub const TERMINATION_SECONDS: i64 = 1;
/// Initial restart / image-pull back-off.
pub const BACKOFF_INITIAL_SECONDS: i64 = 10;
/// Maximum restart / image-pull back-off (`MaxContainerBackOff`).
pub const BACKOFF_MAX_SECONDS: i64 = 300;
/// Default `terminationGracePeriodSeconds`.
pub const DEFAULT_GRACE_SECONDS: i64 = 30;
/// The kubelet version [`node_status`] reports.
pub const KUBELET_VERSION: &str = "v1.33.1";

/// What the engine supplies besides the pod, node and time. Both fields are read only on the
/// pod's first sync (no `status.startTime` yet), so the engine may leave them empty otherwise.
#[derive(Clone, Debug, Default)]
pub struct KubeletCtx {
    /// The IP the engine allocated for this pod from the node's podCIDR.
    pub pod_ip: String,
    /// The other pods already admitted on this node, for the admission resource check.
    pub node_usage: NodeUsage,
    /// The images the node already has, from other pods' containers that pulled them:
    /// [`normalize_image`] name → the earliest moment a container of that image is known to
    /// have started there. Read while a container still waits for its first start.
    pub images: BTreeMap<String, Timestamp>,
}

/// What admission counts of the other pods on a node: the live ones (phase neither
/// `Succeeded` nor `Failed`) and the sum of their cpu and memory requests
/// ([`pod_requests`], millicores and bytes), the only resources the kubelet checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeUsage {
    /// Live pods.
    pub pods: i128,
    /// Their cpu requests, in millicores.
    pub cpu: i128,
    /// Their memory requests, in bytes.
    pub memory: i128,
}

impl NodeUsage {
    /// Counts one pod with these cpu and memory requests, unless it has finished.
    pub fn add(&mut self, cpu: i128, memory: i128, terminal: bool) {
        if !terminal {
            self.pods += 1;
            self.cpu += cpu;
            self.memory += memory;
        }
    }

    /// The usage of `pods` (typed; terminal ones are skipped).
    pub fn of_pods(pods: &[&Pod]) -> NodeUsage {
        let mut u = NodeUsage::default();
        for p in pods {
            let (cpu, memory) = cpu_memory_requests(p);
            u.add(cpu, memory, pod_terminal(p));
        }
        u
    }
}

/// A pod's cpu and memory requests as admission counts them ([`pod_requests`]).
pub fn cpu_memory_requests(pod: &Pod) -> (i128, i128) {
    let r = pod_requests(pod, false);
    (
        r.get("cpu").copied().unwrap_or(0),
        r.get("memory").copied().unwrap_or(0),
    )
}

/// Whether the pod's phase is `Succeeded` or `Failed`.
pub fn pod_terminal(pod: &Pod) -> bool {
    matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// One event the kubelet records about the pod (source component `kubelet`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KEvent {
    /// `Normal` or `Warning`.
    pub type_: String,
    /// `Pulling`, `Pulled`, `Created`, `Started`, `Killing`, `BackOff`, `Failed`, ...
    pub reason: String,
    /// The message exactly as the kubelet words it.
    pub message: String,
    /// `involvedObject.fieldPath`, e.g. `spec.containers{nginx}`; `None` for pod-level events.
    pub field_path: Option<String>,
    /// When it happened (may be earlier than `now` if the engine called late).
    pub at: Timestamp,
}

/// When a container is known to have had its image: the earliest of its
/// `state.running.startedAt`, `state.terminated.startedAt` and
/// `lastState.terminated.startedAt`, if its status has an `imageID` (it was pulled).
pub fn first_known_start(cs: &ContainerStatus) -> Option<Timestamp> {
    if cs.image_id.is_empty() {
        return None;
    }
    let state = cs.state.as_ref();
    let last = cs.last_state.as_ref();
    [
        state.and_then(|s| s.running.as_ref()?.started_at.as_ref()),
        state.and_then(|s| s.terminated.as_ref()?.started_at.as_ref()),
        last.and_then(|s| s.terminated.as_ref()?.started_at.as_ref()),
    ]
    .into_iter()
    .flatten()
    .map(|t| t.0)
    .min()
}

/// The result of one [`sync_pod`] call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodSync {
    /// The new status, if it differs from the pod's current one.
    pub status: Option<PodStatus>,
    /// Events in the order they happened.
    pub events: Vec<KEvent>,
    /// When to call again (the next timer), if any.
    pub wake_at: Option<Timestamp>,
    /// Graceful deletion finished: the engine deletes the pod object now.
    pub delete_now: bool,
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

fn add(t: Timestamp, secs: i64) -> Timestamp {
    t.checked_add(SignedDuration::from_secs(secs)).unwrap_or(t)
}

fn fnv(data: &[u8], salt: u64) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325 ^ salt.wrapping_mul(0x9e3779b97f4a7c15);
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58476d1ce4e5b9);
    h ^ (h >> 32)
}

/// 64 deterministic hex digits derived from `s`.
fn hex64(s: &str) -> String {
    (0..4)
        .map(|i| format!("{:016x}", fnv(s.as_bytes(), i)))
        .collect()
}

/// Go's `time.Duration.String()` for whole seconds (`10s`, `1m20s`, `5m0s`).
pub fn go_duration_secs(secs: i64) -> String {
    if secs < 60 {
        format!("{secs}s")
    } else if secs < 3600 {
        format!("{}m{}s", secs / 60, secs % 60)
    } else {
        format!("{}h{}m{}s", secs / 3600, (secs % 3600) / 60, secs % 60)
    }
}

/// Go's `time.Duration.String()` for milliseconds (`796ms`, `1.5s`, `1.523s`).
pub fn go_duration_millis(ms: i64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    if ms >= 60_000 {
        let s = ms / 1000;
        let frac = ms % 1000;
        let base = go_duration_secs(s);
        if frac == 0 {
            return base;
        }
        let f = format!("{frac:03}").trim_end_matches('0').to_string();
        return format!("{}.{f}s", base.trim_end_matches('s'));
    }
    let frac = format!("{:03}", ms % 1000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{}s", ms / 1000)
    } else {
        format!("{}.{frac}s", ms / 1000)
    }
}

/// Docker-style normalisation: `nginx:1.25` → `docker.io/library/nginx:1.25`, `nginx` →
/// `docker.io/library/nginx:latest`, `quay.io/x/y` → `quay.io/x/y:latest`.
pub fn normalize_image(image: &str) -> String {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (repo, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
        None => (name, None),
    };
    let first = repo.split('/').next().unwrap_or("");
    let full = if let Some(path) = ["docker.io/", "index.docker.io/"]
        .iter()
        .find_map(|d| repo.strip_prefix(d))
    {
        // Docker Hub written out: `docker.io/nginx` is `docker.io/library/nginx`.
        if path.contains('/') {
            format!("docker.io/{path}")
        } else {
            format!("docker.io/library/{path}")
        }
    } else if repo.contains('/')
        && (first.contains('.') || first.contains(':') || first == "localhost")
    {
        repo.to_string()
    } else if repo.contains('/') {
        format!("docker.io/{repo}")
    } else {
        format!("docker.io/library/{repo}")
    };
    match (tag, digest) {
        (_, Some(d)) => format!("{full}@{d}"),
        (Some(t), None) => format!("{full}:{t}"),
        (None, None) => format!("{full}:latest"),
    }
}

fn repo_base(image: &str) -> String {
    let n = normalize_image(image);
    let no_digest = n.split('@').next().unwrap_or("").to_string();
    let last = no_digest.rsplit('/').next().unwrap_or("");
    last.split(':').next().unwrap_or("").to_string()
}

/// The size of an image (the same for every way of writing its name), as the `Pulled` event
/// and the node's `status.images` report it.
pub fn image_size(image: &str) -> u64 {
    let base: u64 = match repo_base(image).as_str() {
        "nginx" => 68_000_000,
        "busybox" => 4_200_000,
        "alpine" => 3_600_000,
        "redis" => 45_000_000,
        "httpd" => 58_000_000,
        "ubuntu" => 29_000_000,
        "debian" => 48_000_000,
        "postgres" => 150_000_000,
        "mysql" => 170_000_000,
        "python" => 380_000_000,
        "node" => 390_000_000,
        _ => 30_000_000,
    };
    base + fnv(normalize_image(image).as_bytes(), 7) % 1_000_000
}

/// The digest reference a runtime reports for an image (`docker.io/library/nginx@sha256:...`).
pub fn image_id(image: &str) -> String {
    let n = normalize_image(image);
    let repo = match n.split_once('@') {
        Some((r, _)) => r.to_string(),
        None => {
            let slash = n.rfind('/').map(|i| i + 1).unwrap_or(0);
            match n[slash..].rfind(':') {
                Some(i) => n[..slash + i].to_string(),
                None => n.clone(),
            }
        }
    };
    format!("{repo}@sha256:{}", hex64(&format!("image:{n}")))
}

fn pod_name(pod: &Pod) -> &str {
    pod.metadata.name.as_deref().unwrap_or("")
}

fn pod_ns(pod: &Pod) -> &str {
    pod.metadata.namespace.as_deref().unwrap_or("default")
}

/// `format.Pod`: `name_namespace(uid)`.
fn format_pod(pod: &Pod) -> String {
    format!(
        "{}_{}({})",
        pod_name(pod),
        pod_ns(pod),
        pod.metadata.uid.as_deref().unwrap_or("")
    )
}

fn annotation<'a>(pod: &'a Pod, key: &str, container: &str, is_init: bool) -> Option<&'a str> {
    let ann = pod.metadata.annotations.as_ref()?;
    if let Some(v) = ann.get(&format!("{key}.{container}")) {
        return Some(v.as_str());
    }
    if is_init {
        return None;
    }
    ann.get(key).map(String::as_str)
}

fn ann_i64(pod: &Pod, key: &str, container: &str, is_init: bool) -> Option<i64> {
    annotation(pod, key, container, is_init).and_then(|v| v.trim().parse().ok())
}

// ---------------------------------------------------------------------------------------------
// What a container does
// ---------------------------------------------------------------------------------------------

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

fn parse_sleep(tok: &str) -> Option<i64> {
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
struct CommandHint {
    forever: bool,
    run: i64,
    exit: Option<i32>,
    found: bool,
    sleeps: bool,
}

fn command_hint(c: &Container) -> CommandHint {
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

fn is_shell_image(image: &str) -> bool {
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
    let probe_delay = |p: &Option<k8s_openapi::api::core::v1::Probe>| {
        p.as_ref()
            .map(|p| i64::from(p.initial_delay_seconds.unwrap_or(0).max(0)))
            .unwrap_or(0)
    };
    let started_after = probe_delay(&c.startup_probe);
    let ready_after = ann_i64(pod, "kubesim.io/ready-after-seconds", name, is_init)
        .unwrap_or_else(|| probe_delay(&c.readiness_probe))
        .max(started_after);
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

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

fn pull_policy(c: &Container) -> String {
    if let Some(p) = c.image_pull_policy.as_deref().filter(|p| !p.is_empty()) {
        return p.to_string();
    }
    let image = c.image.as_deref().unwrap_or("");
    let n = normalize_image(image);
    if n.contains('@') {
        return "IfNotPresent".into();
    }
    if n.ends_with(":latest") {
        "Always".into()
    } else {
        "IfNotPresent".into()
    }
}

/// Images that do not exist, from the tutorials people practise with: the Deployments page's
/// typo, and the tag the Kubernetes Basics tutorial ("Performing a Rolling Update") sets to
/// show a rollout that cannot pull.
pub const FAILING_IMAGES: &[&str] = &[
    "docker.io/library/nginx:1.161",
    "gcr.io/google-samples/kubernetes-bootcamp:v10",
];

fn image_fails(pod: &Pod, image: &str) -> bool {
    let annotated = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubesim.io/image-pull"))
        .is_some_and(|v| v == "fail");
    let lower = image.to_lowercase();
    annotated
        || FAILING_IMAGES.contains(&normalize_image(image).as_str())
        || [
            "doesnotexist",
            "does-not-exist",
            "nonexistent",
            "non-existent",
        ]
        .iter()
        .any(|m| lower.contains(m))
}

fn image_invalid(image: &str) -> bool {
    let repo_part = image.split(['@']).next().unwrap_or("");
    let slash = repo_part.rfind('/').map(|i| i + 1).unwrap_or(0);
    let name = match repo_part[slash..].rfind(':') {
        Some(i) => &repo_part[..slash + i],
        None => repo_part,
    };
    image.is_empty()
        || image.chars().any(char::is_whitespace)
        || name.chars().any(|c| c.is_ascii_uppercase())
}

fn pull_error(image: &str) -> String {
    let n = normalize_image(image);
    format!(
        "rpc error: code = NotFound desc = failed to pull and unpack image \"{n}\": failed to resolve reference \"{n}\": {n}: not found"
    )
}

/// Milliseconds the (simulated) pull reports, 1000–1999, derived from the image name.
fn pull_millis(image: &str) -> i64 {
    1000 + (fnv(image.as_bytes(), 3) % 1000) as i64
}

// ---------------------------------------------------------------------------------------------
// Per-container simulation
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// Never started, waiting (`ContainerCreating` / `PodInitializing`).
    Fresh,
    ErrImagePull(usize),
    ImagePullBackOff(usize),
    InvalidImage,
    Running,
    Terminated,
    CrashLoop,
}

struct CSim<'p> {
    c: &'p Container,
    is_init: bool,
    sidecar: bool,
    prog: Program,
    status: ContainerStatus,
    kind: Kind,
    fails: bool,
    policy: String,
    /// Where this container's first pull starts, once it may start.
    anchor: Option<Timestamp>,
    /// Seconds its first pull occupies (0 when the image is present).
    slot: i64,
    /// The image is on the node when the container may start (policy `Never`, or
    /// `IfNotPresent` with the image there): no pull, one `Pulled` "already present" event.
    present: bool,
    /// The [`normalize_image`] name, for `IfNotPresent` containers (empty otherwise).
    norm_image: String,
    /// Being killed: readiness no longer comes back.
    killing: bool,
}

fn state_running(s: &ContainerStatus) -> Option<&ContainerStateRunning> {
    s.state.as_ref()?.running.as_ref()
}

fn state_terminated(s: &ContainerStatus) -> Option<&ContainerStateTerminated> {
    s.state.as_ref()?.terminated.as_ref()
}

fn state_waiting(s: &ContainerStatus) -> Option<&ContainerStateWaiting> {
    s.state.as_ref()?.waiting.as_ref()
}

fn ts(t: &Option<Time>) -> Option<Timestamp> {
    t.as_ref().map(|t| t.0)
}

fn waiting(reason: &str, message: Option<String>) -> ContainerState {
    ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.into()),
            message,
        }),
        ..Default::default()
    }
}

/// Sum of the first `m` back-offs (10 + 20 + 40 + 80 + 160, then 300 each).
fn backoff_sum(m: usize) -> i64 {
    let mut sum = 0;
    for k in 1..=m.min(6) {
        sum += backoff(k);
    }
    if m > 6 {
        sum += (m as i64 - 6) * BACKOFF_MAX_SECONDS;
    }
    sum
}

/// Pull-failure schedule: (attempt start, failure time) of attempt `n` (1-based).
fn pull_attempt(a1: Timestamp, n: usize) -> (Timestamp, Timestamp) {
    let m = n.saturating_sub(1);
    let a = add(a1, m as i64 * PULL_SECONDS + backoff_sum(m));
    (a, add(a, PULL_SECONDS))
}

/// Back-off after the k-th failure (1-based): 10, 20, 40, ... 300.
fn backoff(k: usize) -> i64 {
    let shift = k.saturating_sub(1).min(10) as u32;
    (BACKOFF_INITIAL_SECONDS << shift).min(BACKOFF_MAX_SECONDS)
}

/// The last attempt whose failure time is at or before `t` (0 if none).
fn failed_attempts_by(a1: Timestamp, t: Timestamp) -> usize {
    let (mut lo, mut hi) = (0usize, 1usize);
    while pull_attempt(a1, hi).1 <= t {
        lo = hi;
        hi *= 2;
        if hi > 1 << 40 {
            return lo;
        }
    }
    // Invariant: attempt `lo` failed by t (or lo == 0), attempt `hi` did not.
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if pull_attempt(a1, mid).1 <= t {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The pull-loop kind at time `t` for a failing image whose first attempt starts at `a1`.
fn pull_kind_at(a1: Timestamp, t: Timestamp) -> Kind {
    let n = failed_attempts_by(a1, t);
    if n == 0 {
        return Kind::Fresh;
    }
    let (_, e) = pull_attempt(a1, n);
    if t < add(e, 1) {
        Kind::ErrImagePull(n)
    } else {
        Kind::ImagePullBackOff(n)
    }
}

impl<'p> CSim<'p> {
    fn new(
        pod: &'p Pod,
        c: &'p Container,
        is_init: bool,
        old: Option<&ContainerStatus>,
        has_init: bool,
    ) -> Self {
        let prog = program_for(pod, c, is_init);
        let image = c.image.clone().unwrap_or_default();
        let default_reason = if has_init {
            "PodInitializing"
        } else {
            "ContainerCreating"
        };
        let status = old.cloned().unwrap_or_else(|| ContainerStatus {
            name: c.name.clone(),
            image: image.clone(),
            image_id: String::new(),
            ready: false,
            restart_count: 0,
            started: Some(false),
            state: Some(waiting(default_reason, None)),
            ..Default::default()
        });
        let kind = if state_running(&status).is_some() {
            Kind::Running
        } else if state_terminated(&status).is_some() {
            Kind::Terminated
        } else {
            match state_waiting(&status).and_then(|w| w.reason.as_deref()) {
                Some("CrashLoopBackOff") => Kind::CrashLoop,
                Some("ErrImagePull") => Kind::ErrImagePull(0),
                Some("ImagePullBackOff") => Kind::ImagePullBackOff(0),
                Some("InvalidImageName") => Kind::InvalidImage,
                _ if status
                    .last_state
                    .as_ref()
                    .and_then(|s| s.terminated.as_ref())
                    .is_some() =>
                {
                    Kind::CrashLoop
                }
                _ => Kind::Fresh,
            }
        };
        let policy = pull_policy(c);
        let present = policy == "Never";
        let slot = if present { 0 } else { PULL_SECONDS };
        let norm_image = if policy == "IfNotPresent" {
            normalize_image(&image)
        } else {
            String::new()
        };
        CSim {
            c,
            is_init,
            sidecar: is_init && c.restart_policy.as_deref() == Some("Always"),
            prog,
            status,
            kind,
            fails: image_fails(pod, &image),
            policy,
            anchor: None,
            slot,
            present,
            norm_image,
            killing: false,
        }
    }

    fn field_path(&self) -> String {
        if self.is_init {
            format!("spec.initContainers{{{}}}", self.c.name)
        } else {
            format!("spec.containers{{{}}}", self.c.name)
        }
    }

    fn image(&self) -> String {
        self.c.image.clone().unwrap_or_default()
    }

    fn restart_policy<'a>(&self, pod_policy: &'a str) -> &'a str {
        if self.sidecar { "Always" } else { pod_policy }
    }

    /// After an exit at `finishedAt`, does the container restart?
    fn restarts(&self, pod_policy: &str, code: i32) -> bool {
        if self.is_init_nonsidecar() {
            return code != 0 && pod_policy != "Never";
        }
        match self.restart_policy(pod_policy) {
            "Always" => true,
            "OnFailure" => code != 0,
            _ => false,
        }
    }

    /// The first moment this container's pull loop for a failing image is at attempt 1.
    fn pull_start(&self) -> Option<Timestamp> {
        self.anchor
    }

    /// Whether the container finished for good (init containers: successfully).
    fn done_at(&self, pod_policy: &str) -> Option<Timestamp> {
        if self.sidecar {
            let r = state_running(&self.status)?;
            let s = ts(&r.started_at)?;
            return (self.status.started == Some(true)).then_some(add(s, 0));
        }
        let t = state_terminated(&self.status)?;
        if self.is_init {
            (t.exit_code == 0).then(|| ts(&t.finished_at)).flatten()
        } else if !self.restarts(pod_policy, t.exit_code) {
            ts(&t.finished_at)
        } else {
            None
        }
    }

    /// The time of this container's next transition.
    fn next_time(&self, pod_policy: &str, now: Timestamp) -> Option<Timestamp> {
        let anchor = self.anchor?;
        match &self.kind {
            Kind::Fresh if self.fails => Some(add(anchor, PULL_SECONDS)),
            Kind::Fresh => Some(add(anchor, self.slot)),
            Kind::InvalidImage => None,
            Kind::ErrImagePull(_) | Kind::ImagePullBackOff(_) => {
                // Next point of the pull loop strictly after `now`.
                let n = failed_attempts_by(anchor, now);
                let (_, e) = pull_attempt(anchor, n.max(1));
                if n >= 1 && add(e, 1) > now {
                    Some(add(e, 1))
                } else {
                    Some(pull_attempt(anchor, n + 1).1)
                }
            }
            Kind::Running => {
                let r = state_running(&self.status)?;
                let s = ts(&r.started_at)?;
                let mut cands = Vec::new();
                if self.status.started != Some(true) {
                    cands.push(add(s, self.prog.started_after));
                }
                if !self.status.ready && !self.is_init_nonsidecar() && !self.killing {
                    cands.push(add(s, self.prog.ready_after));
                }
                if let Some(run) = self.prog.run_seconds {
                    cands.push(add(s, run));
                }
                cands.into_iter().min()
            }
            Kind::Terminated => {
                let t = state_terminated(&self.status)?;
                if !self.restarts(pod_policy, t.exit_code) {
                    return None;
                }
                Some(add(ts(&t.finished_at)?, 1))
            }
            Kind::CrashLoop => {
                let last = self.status.last_state.as_ref()?.terminated.as_ref()?;
                let f = ts(&last.finished_at)?;
                Some(add(f, self.crash_backoff()))
            }
        }
    }

    /// The back-off before the next restart, from `restartCount` (the first restart is immediate).
    fn crash_backoff(&self) -> i64 {
        let r = self.status.restart_count.max(0) as usize;
        if r == 0
            || self
                .prog
                .run_seconds
                .is_some_and(|d| d > 2 * BACKOFF_MAX_SECONDS)
        {
            1
        } else {
            backoff(r)
        }
    }

    fn start(&mut self, pod: &Pod, t: Timestamp, first: bool, events: &mut Vec<KEvent>) {
        let fp = self.field_path();
        let image = self.image();
        let ev = |type_: &str, reason: &str, message: String, at: Timestamp| KEvent {
            type_: type_.into(),
            reason: reason.into(),
            message,
            field_path: Some(fp.clone()),
            at,
        };
        if (first && self.present) || (!first && self.policy != "Always") {
            events.push(ev(
                "Normal",
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
                t,
            ));
        } else {
            let ms = if first {
                pull_millis(&image)
            } else {
                200 + pull_millis(&image) % 400
            };
            let d = go_duration_millis(ms);
            // The first pull's `Pulling` was reported when it began ([`pulls_begun`]).
            if !first {
                events.push(ev(
                    "Normal",
                    "Pulling",
                    format!("Pulling image \"{image}\""),
                    t,
                ));
            }
            events.push(ev(
                "Normal",
                "Pulled",
                format!(
                    "Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {} bytes.",
                    image_size(&image)
                ),
                t,
            ));
        }
        events.push(ev(
            "Normal",
            "Created",
            format!("Created container: {}", self.c.name),
            t,
        ));
        events.push(ev(
            "Normal",
            "Started",
            format!("Started container {}", self.c.name),
            t,
        ));
        let restart = if first {
            0
        } else {
            self.status.restart_count + 1
        };
        if !first {
            // lastState keeps the termination just left behind.
            let prev = self
                .status
                .state
                .as_ref()
                .and_then(|s| s.terminated.clone());
            if let Some(prev) = prev {
                self.status.last_state = Some(ContainerState {
                    terminated: Some(prev),
                    ..Default::default()
                });
            }
        }
        self.status.restart_count = restart;
        self.status.image = normalize_image(&image);
        self.status.image_id = image_id(&image);
        self.status.container_id = Some(format!(
            "containerd://{}",
            hex64(&format!(
                "{}/{}/{}/{}",
                pod.metadata.uid.as_deref().unwrap_or(""),
                pod_name(pod),
                self.c.name,
                restart
            ))
        ));
        self.status.state = Some(ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(Time(t)),
            }),
            ..Default::default()
        });
        self.status.started = Some(self.prog.started_after == 0);
        self.status.ready = self.prog.ready_after == 0 && !self.is_init_nonsidecar();
        let mounts: Vec<VolumeMountStatus> = self
            .c
            .volume_mounts
            .iter()
            .flatten()
            .map(|m| VolumeMountStatus {
                name: m.name.clone(),
                mount_path: m.mount_path.clone(),
                read_only: m.read_only.filter(|r| *r),
                recursive_read_only: m.read_only.filter(|r| *r).map(|_| "Disabled".to_string()),
            })
            .collect();
        self.status.volume_mounts = if mounts.is_empty() {
            None
        } else {
            Some(mounts)
        };
        self.kind = Kind::Running;
    }

    fn is_init_nonsidecar(&self) -> bool {
        self.is_init && !self.sidecar
    }

    fn terminate(&mut self, t: Timestamp, code: i32) {
        let started = state_running(&self.status).and_then(|r| r.started_at.clone());
        self.status.state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                container_id: self.status.container_id.clone(),
                exit_code: code,
                finished_at: Some(Time(t)),
                reason: Some(if code == 0 {
                    "Completed".into()
                } else {
                    "Error".into()
                }),
                started_at: started,
                ..Default::default()
            }),
            ..Default::default()
        });
        self.status.ready = false;
        self.status.started = Some(false);
        self.kind = Kind::Terminated;
    }

    /// Applies the transition due at `t` (== `next_time`).
    fn step(&mut self, pod: &Pod, _pod_policy: &str, t: Timestamp, events: &mut Vec<KEvent>) {
        let fp = self.field_path();
        let image = self.image();
        let ev = |type_: &str, reason: &str, message: String, at: Timestamp| KEvent {
            type_: type_.into(),
            reason: reason.into(),
            message,
            field_path: Some(fp.clone()),
            at,
        };
        match self.kind.clone() {
            Kind::Fresh | Kind::ErrImagePull(_) | Kind::ImagePullBackOff(_) if self.fails => {
                let Some(a1) = self.pull_start() else { return };
                let new = pull_kind_at(a1, t);
                match new {
                    Kind::ErrImagePull(n) => {
                        let (a, e) = pull_attempt(a1, n);
                        let err = pull_error(&image);
                        // Attempt 1 was reported when it began ([`pulls_begun`]); a retry
                        // begins when its back-off ends, which is no transition of the
                        // status, so it is reported with its failure (dated when it began).
                        if n > 1 {
                            events.push(ev(
                                "Normal",
                                "Pulling",
                                format!("Pulling image \"{image}\""),
                                a,
                            ));
                        }
                        events.push(ev(
                            "Warning",
                            "Failed",
                            format!("Failed to pull image \"{image}\": {err}"),
                            e,
                        ));
                        events.push(ev("Warning", "Failed", "Error: ErrImagePull".into(), e));
                        self.status.state = Some(waiting("ErrImagePull", Some(err)));
                    }
                    Kind::ImagePullBackOff(n) => {
                        let (_, e) = pull_attempt(a1, n);
                        let at = add(e, 1);
                        events.push(ev(
                            "Normal",
                            "BackOff",
                            format!("Back-off pulling image \"{image}\""),
                            at,
                        ));
                        events.push(ev(
                            "Warning",
                            "Failed",
                            "Error: ImagePullBackOff".into(),
                            at,
                        ));
                        self.status.state = Some(waiting(
                            "ImagePullBackOff",
                            Some(format!(
                                "Back-off pulling image \"{image}\": ErrImagePull: {}",
                                pull_error(&image)
                            )),
                        ));
                    }
                    _ => {}
                }
                self.kind = new;
            }
            Kind::Fresh => {
                if image_invalid(&image) {
                    let msg = format!(
                        "Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format: repository name must be lowercase"
                    );
                    events.push(ev("Warning", "InspectFailed", msg.clone(), t));
                    events.push(ev("Warning", "Failed", "Error: InvalidImageName".into(), t));
                    self.status.state = Some(waiting("InvalidImageName", Some(msg)));
                    self.kind = Kind::InvalidImage;
                } else {
                    self.start(pod, t, true, events);
                }
            }
            Kind::Running => {
                let Some(s) = state_running(&self.status).and_then(|r| ts(&r.started_at)) else {
                    return;
                };
                if self.status.started != Some(true) && add(s, self.prog.started_after) <= t {
                    self.status.started = Some(true);
                }
                if !self.status.ready
                    && add(s, self.prog.ready_after) <= t
                    && !self.is_init_nonsidecar()
                    && !self.killing
                {
                    self.status.ready = true;
                }
                if let Some(run) = self.prog.run_seconds
                    && add(s, run) <= t
                {
                    self.terminate(t, self.prog.exit_code);
                }
            }
            Kind::Terminated => {
                if self.crash_backoff() <= 1 {
                    self.start(pod, t, false, events);
                } else {
                    let d = self.crash_backoff();
                    let prev = self
                        .status
                        .state
                        .as_ref()
                        .and_then(|s| s.terminated.clone());
                    self.status.last_state = prev.map(|p| ContainerState {
                        terminated: Some(p),
                        ..Default::default()
                    });
                    self.status.state = Some(waiting(
                        "CrashLoopBackOff",
                        Some(format!(
                            "back-off {} restarting failed container={} pod={}",
                            go_duration_secs(d),
                            self.c.name,
                            format_pod(pod)
                        )),
                    ));
                    events.push(ev(
                        "Warning",
                        "BackOff",
                        format!(
                            "Back-off restarting failed container {} in pod {}",
                            self.c.name,
                            format_pod(pod)
                        ),
                        t,
                    ));
                    self.kind = Kind::CrashLoop;
                }
            }
            Kind::CrashLoop => {
                // Move lastState back into state so `start` records it again as lastState.
                if let Some(last) = self
                    .status
                    .last_state
                    .as_ref()
                    .and_then(|l| l.terminated.clone())
                {
                    self.status.state = Some(ContainerState {
                        terminated: Some(last),
                        ..Default::default()
                    });
                }
                self.start(pod, t, false, events);
            }
            Kind::InvalidImage | Kind::ErrImagePull(_) | Kind::ImagePullBackOff(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pod-level logic
// ---------------------------------------------------------------------------------------------

/// The kubelet's `getPhase` (1.33), given the pod spec and container statuses.
pub fn get_phase(
    pod: &Pod,
    init: &[ContainerStatus],
    app: &[ContainerStatus],
    pod_is_terminal: bool,
) -> String {
    phase_by(
        pod,
        |name| init.iter().find(|s| s.name == name),
        |name| app.iter().find(|s| s.name == name),
        pod_is_terminal,
    )
    .to_string()
}

/// [`get_phase`] with the container statuses looked up by name.
fn phase_by<'s>(
    pod: &Pod,
    init: impl Fn(&str) -> Option<&'s ContainerStatus>,
    app: impl Fn(&str) -> Option<&'s ContainerStatus>,
    pod_is_terminal: bool,
) -> &'static str {
    let Some(spec) = &pod.spec else {
        return "Pending";
    };
    let policy = spec.restart_policy.as_deref().unwrap_or("Always");
    let mut pending_init = 0;
    let mut pending_sidecar = 0;
    let mut failed_init = 0;
    let (mut unknown, mut running, mut waiting_n, mut stopped, mut succeeded) = (0, 0, 0, 0, 0);
    for c in spec.init_containers.iter().flatten() {
        let side = c.restart_policy.as_deref() == Some("Always");
        let Some(s) = init(&c.name) else {
            if side {
                pending_sidecar += 1;
                unknown += 1;
            } else {
                pending_init += 1;
            }
            continue;
        };
        let last_term = s.last_state.as_ref().and_then(|l| l.terminated.as_ref());
        if side {
            if state_running(s).is_some() {
                if s.started != Some(true) {
                    pending_sidecar += 1;
                }
                running += 1;
            } else if state_terminated(s).is_some() {
            } else if state_waiting(s).is_some() {
                if last_term.is_none() {
                    pending_sidecar += 1;
                    waiting_n += 1;
                }
            } else {
                pending_sidecar += 1;
                unknown += 1;
            }
            continue;
        }
        if state_running(s).is_some() {
            pending_init += 1;
        } else if let Some(t) = state_terminated(s) {
            if t.exit_code != 0 {
                failed_init += 1;
            }
        } else if state_waiting(s).is_some() {
            match last_term {
                Some(t) if t.exit_code != 0 => failed_init += 1,
                Some(_) => {}
                None => pending_init += 1,
            }
        } else {
            pending_init += 1;
        }
    }
    let mut any_regular_started = false;
    for c in &spec.containers {
        let Some(s) = app(&c.name) else {
            unknown += 1;
            continue;
        };
        if state_running(s).is_some()
            || state_terminated(s).is_some()
            || s.last_state
                .as_ref()
                .and_then(|l| l.terminated.as_ref())
                .is_some()
        {
            any_regular_started = true;
        }
        if state_running(s).is_some() {
            running += 1;
        } else if let Some(t) = state_terminated(s) {
            stopped += 1;
            if t.exit_code == 0 {
                succeeded += 1;
            }
        } else if state_waiting(s).is_some() {
            if s.last_state
                .as_ref()
                .and_then(|l| l.terminated.as_ref())
                .is_some()
            {
                stopped += 1;
            } else {
                waiting_n += 1;
            }
        } else {
            unknown += 1;
        }
    }
    if failed_init > 0 && policy == "Never" {
        return "Failed";
    }
    if pending_init > 0 || (pending_sidecar > 0 && !any_regular_started) || waiting_n > 0 {
        return "Pending";
    }
    if running > 0 && unknown == 0 {
        return "Running";
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if pod_is_terminal {
            return if stopped == succeeded {
                "Succeeded"
            } else {
                "Failed"
            };
        }
        if policy == "Always" {
            return "Running";
        }
        if stopped == succeeded {
            return "Succeeded";
        }
        if policy == "Never" {
            return "Failed";
        }
        return "Running";
    }
    "Pending"
}

fn node_internal_ip(node: &Node) -> Option<String> {
    node.status
        .as_ref()?
        .addresses
        .as_ref()?
        .iter()
        .find(|a| a.type_ == "InternalIP")
        .map(|a| a.address.clone())
}

fn cond(type_: &str, status: bool, reason: Option<&str>, message: Option<String>) -> PodCondition {
    PodCondition {
        type_: type_.into(),
        status: if status {
            "True".into()
        } else {
            "False".into()
        },
        reason: reason.map(Into::into),
        message,
        ..Default::default()
    }
}

fn go_list(names: &[String]) -> String {
    format!("[{}]", names.join(" "))
}

fn admission_failure(
    pod: &Pod,
    node: &Node,
    usage: &NodeUsage,
) -> Option<(String, String, String)> {
    let alloc = node_allocatable(node);
    let pods_cap = alloc.get("pods").copied().unwrap_or(0);
    if !alloc.is_empty() && usage.pods + 1 > pods_cap {
        let msg = format!(
            "Node didn't have enough resource: pods, requested: 1, used: {}, capacity: {pods_cap}",
            usage.pods
        );
        return Some(("OutOfpods".into(), msg.clone(), msg));
    }
    let (want_cpu, want_memory) = cpu_memory_requests(pod);
    for (r, want, u) in [
        ("cpu", want_cpu, usage.cpu),
        ("memory", want_memory, usage.memory),
    ] {
        if want == 0 {
            continue;
        }
        let cap = alloc.get(r).copied().unwrap_or(0);
        if want > cap - u {
            let msg = format!(
                "Node didn't have enough resource: {r}, requested: {want}, used: {u}, capacity: {cap}"
            );
            return Some((format!("OutOf{r}"), msg.clone(), msg));
        }
    }
    if !node_matches_pod_affinity(pod, node) {
        let m = "Predicate NodeAffinity failed".to_string();
        return Some(("NodeAffinity".into(), m.clone(), m));
    }
    if first_untolerated_taint(pod, node, &["NoExecute"]).is_some() {
        let m = "Predicate TaintToleration failed".to_string();
        return Some(("TaintToleration".into(), m.clone(), m));
    }
    None
}

fn node_dead(node: &Node) -> bool {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "Unknown")
}

/// Advances one pod on `node` to `now`. See the module docs for the simulated behaviour.
pub fn sync_pod(pod: &Pod, node: &Node, now: Timestamp, ctx: &KubeletCtx) -> PodSync {
    let mut out = PodSync::default();
    let Some(spec) = &pod.spec else {
        return out;
    };
    if node_dead(node) {
        return out;
    }
    let no_status = PodStatus::default();
    let old = pod.status.as_ref().unwrap_or(&no_status);
    let phase_old = old.phase.clone().unwrap_or_else(|| "Pending".into());
    let terminal = matches!(phase_old.as_str(), "Succeeded" | "Failed");
    let deleting = pod.metadata.deletion_timestamp.as_ref().map(|t| t.0);
    if deleting.is_some() && (old.start_time.is_none() || terminal) {
        out.delete_now = true;
        return out;
    }
    if terminal {
        return out;
    }
    let policy = spec
        .restart_policy
        .clone()
        .unwrap_or_else(|| "Always".into());
    let mut status = old.clone();
    let mut events = Vec::new();
    let first_sync = old.start_time.is_none();
    let start_time = old.start_time.as_ref().map(|t| t.0).unwrap_or(now);
    if first_sync {
        if let Some((reason, ev_msg, msg)) = admission_failure(pod, node, &ctx.node_usage) {
            out.events.push(KEvent {
                type_: "Warning".into(),
                reason: reason.clone(),
                message: ev_msg,
                field_path: None,
                at: now,
            });
            let mut st = PodStatus {
                phase: Some("Failed".into()),
                reason: Some(reason),
                message: Some(format!("Pod was rejected: {msg}")),
                qos_class: old.qos_class.clone(),
                start_time: Some(Time(now)),
                ..Default::default()
            };
            st.conditions = old.conditions.clone();
            out.status = Some(st);
            return out;
        }
        let host_ip = node_internal_ip(node).unwrap_or_default();
        let pod_ip = if spec.host_network == Some(true) {
            host_ip.clone()
        } else {
            ctx.pod_ip.clone()
        };
        status.start_time = Some(Time(now));
        if !host_ip.is_empty() {
            status.host_ip = Some(host_ip.clone());
            status.host_ips = Some(vec![HostIP { ip: host_ip }]);
        }
        if !pod_ip.is_empty() {
            status.pod_ip = Some(pod_ip.clone());
            status.pod_ips = Some(vec![PodIP { ip: pod_ip }]);
        }
        status.phase = Some("Pending".into());
    }
    let has_init = spec.init_containers.as_ref().is_some_and(|v| !v.is_empty());
    fn find_old<'s>(
        list: &'s Option<Vec<ContainerStatus>>,
        name: &str,
    ) -> Option<&'s ContainerStatus> {
        list.as_ref()
            .and_then(|l| l.iter().find(|s| s.name == name))
    }
    let mut inits: Vec<CSim> = spec
        .init_containers
        .iter()
        .flatten()
        .map(|c| {
            let o = find_old(&old.init_container_statuses, &c.name);
            CSim::new(pod, c, true, o, has_init)
        })
        .collect();
    let mut apps: Vec<CSim> = spec
        .containers
        .iter()
        .map(|c| {
            let o = find_old(&old.container_statuses, &c.name);
            CSim::new(pod, c, false, o, has_init)
        })
        .collect();

    // Where each container's first pull starts, and whether it needs one: an `IfNotPresent`
    // image is on the node when an earlier container of the pod has it (they start one after
    // another) or another pod's container of it started there before. Also locates the pull
    // loop of failing images (the status records the kind, not the attempt).
    let set_anchors = |inits: &mut [CSim], apps: &mut [CSim]| -> Option<Timestamp> {
        let images = &ctx.images;
        let decide = |earlier: &[CSim], more: &[CSim], c: &mut CSim, at: Timestamp| {
            if c.policy != "IfNotPresent" {
                return;
            }
            let same = |o: &CSim| o.norm_image == c.norm_image;
            // A container that started at `at` found its image there (this keeps the
            // decision when the pod that had the image is gone by now).
            c.present = !c.fails
                && (earlier.iter().chain(more).any(same)
                    || images.get(&c.norm_image).is_some_and(|since| *since <= at)
                    || first_known_start(&c.status).is_some_and(|s| s <= at));
            c.slot = if c.present { 0 } else { PULL_SECONDS };
        };
        let mut prev = Some(start_time);
        for i in 0..inits.len() {
            let (earlier, rest) = inits.split_at_mut(i);
            let c = &mut rest[0];
            c.anchor = prev;
            if let Some(at) = prev {
                decide(earlier, &[], c, at);
            }
            prev = match prev {
                Some(_) => c.done_at(&policy),
                None => None,
            };
        }
        let t_init = prev;
        if let Some(t) = t_init {
            let mut off = 0;
            for i in 0..apps.len() {
                let (earlier, rest) = apps.split_at_mut(i);
                let c = &mut rest[0];
                let at = add(t, off);
                c.anchor = Some(at);
                decide(inits, earlier, c, at);
                off += c.slot;
            }
        }
        t_init
    };

    // Deletion: the request happened deletionGracePeriodSeconds before deletionTimestamp.
    let grace = pod
        .metadata
        .deletion_grace_period_seconds
        .or(spec.termination_grace_period_seconds)
        .unwrap_or(DEFAULT_GRACE_SECONDS)
        .max(0);
    let kill = deleting.map(|d| {
        let requested = add(d, -grace).max(start_time);
        let sigterm_ignored = inits
            .iter()
            .chain(apps.iter())
            .any(|c| c.kind == Kind::Running && c.prog.ignores_sigterm);
        let k = if sigterm_ignored {
            grace
        } else {
            TERMINATION_SECONDS.min(grace)
        };
        (requested, add(requested, k), sigterm_ignored)
    });

    set_anchors(&mut inits, &mut apps);
    if let Some((requested, _, _)) = kill
        && now > requested
    {
        // The kill already happened in an earlier call and marked the containers not ready.
        for c in inits.iter_mut().chain(apps.iter_mut()) {
            c.killing = true;
        }
    }
    let limit = match kill {
        Some((requested, _, _)) => now.min(requested),
        None => now,
    };
    // Exact transitions (timestamps in the status), in time order; the instants this call
    // moved through (the first sync's own included), where pulls may begin.
    let mut last_change: Option<Timestamp> = None;
    let mut stepped: Vec<Timestamp> = Vec::new();
    if first_sync {
        stepped.push(start_time);
    }
    let mut guard = 0;
    loop {
        guard += 1;
        if guard > 100_000 || matches!(phase_of(pod, &inits, &apps), "Succeeded" | "Failed") {
            break;
        }
        let next = inits
            .iter()
            .chain(apps.iter())
            .filter(|c| !c.fails)
            .filter_map(|c| c.next_time(&policy, limit))
            .min();
        let Some(t) = next.filter(|t| *t <= limit) else {
            break;
        };
        for c in inits.iter_mut().chain(apps.iter_mut()) {
            if !c.fails && c.next_time(&policy, limit) == Some(t) {
                c.step(pod, &policy, t, &mut events);
            }
        }
        last_change = Some(t);
        stepped.push(t);
        set_anchors(&mut inits, &mut apps);
    }
    pulls_begun(&inits, &apps, &stepped, &mut events);
    // Failing pulls: their state is a function of time since the first attempt.
    let terminal_now = matches!(phase_of(pod, &inits, &apps), "Succeeded" | "Failed");
    for c in inits.iter_mut().chain(apps.iter_mut()) {
        if !c.fails || terminal_now {
            continue;
        }
        let Some(a1) = c.anchor else { continue };
        let at = pull_kind_at(a1, limit);
        let same = matches!(
            (&c.kind, &at),
            (Kind::Fresh, Kind::Fresh)
                | (Kind::ErrImagePull(_), Kind::ErrImagePull(_))
                | (Kind::ImagePullBackOff(_), Kind::ImagePullBackOff(_))
        );
        if same {
            c.kind = at;
        } else {
            if c.kind == Kind::Fresh
                && let Kind::ImagePullBackOff(n) = at
            {
                // Called late: record the failure that preceded the back-off too.
                let (_, e) = pull_attempt(a1, n);
                c.step(pod, &policy, e, &mut events);
            }
            c.step(pod, &policy, limit, &mut events);
        }
    }
    if !terminal_now {
        out.wake_at = inits
            .iter()
            .chain(apps.iter())
            .filter_map(|c| c.next_time(&policy, limit))
            .filter(|t| *t > limit)
            .min();
    }
    let finished_at = last_change;

    // Graceful deletion.
    if let Some((requested, done, sigterm_ignored)) = kill
        && now >= requested
    {
        let fp_of = |c: &CSim| c.field_path();
        for c in inits.iter_mut().chain(apps.iter_mut()) {
            if c.kind == Kind::Running && (c.status.ready || now == requested) {
                events.push(KEvent {
                    type_: "Normal".into(),
                    reason: "Killing".into(),
                    message: format!("Stopping container {}", c.c.name),
                    field_path: Some(fp_of(c)),
                    at: requested.max(start_time),
                });
                c.status.ready = false;
            }
        }
        if now >= done {
            for c in inits.iter_mut().chain(apps.iter_mut()) {
                if c.kind == Kind::Running {
                    let code = if sigterm_ignored && c.prog.ignores_sigterm {
                        137
                    } else {
                        0
                    };
                    c.terminate(done, code);
                }
            }
            out.delete_now = true;
            out.wake_at = None;
        } else {
            out.wake_at = Some(done);
        }
    }

    // Assemble the status.
    let init_statuses: Vec<ContainerStatus> = inits.into_iter().map(|c| c.status).collect();
    let app_statuses: Vec<ContainerStatus> = apps.into_iter().map(|c| c.status).collect();
    let pod_terminal = out.delete_now;
    let phase = get_phase(pod, &init_statuses, &app_statuses, pod_terminal);
    let phase = if pod_terminal && !matches!(phase.as_str(), "Succeeded" | "Failed") {
        "Failed".to_string()
    } else {
        phase
    };
    status.phase = Some(phase.clone());
    let change_time = finished_at.unwrap_or(now);
    status.conditions = Some(build_conditions(
        pod,
        old,
        &phase,
        &init_statuses,
        &app_statuses,
        start_time,
        change_time,
        now,
    ));
    status.init_container_statuses = if init_statuses.is_empty() {
        None
    } else {
        Some(init_statuses)
    };
    status.container_statuses = Some(app_statuses);
    if matches!(phase.as_str(), "Succeeded" | "Failed") && !out.delete_now {
        out.wake_at = None;
    }
    out.events = events;
    out.events.sort_by_key(|e| e.at);
    if pod.status.as_ref() != Some(&status) {
        out.status = Some(status);
    }
    out
}

/// `Pulling` for every container whose first pull began at an instant this call moved
/// through. A first pull begins when the container may start (the pod's first sync, or the
/// transition before it: the last init container done, the previous container started), so
/// each is reported once, when it begins, as a real kubelet reports it: `kubectl describe pod`
/// during `ContainerCreating` lists it.
fn pulls_begun(inits: &[CSim], apps: &[CSim], stepped: &[Timestamp], events: &mut Vec<KEvent>) {
    for c in inits.iter().chain(apps) {
        let Some(a) = c.anchor else { continue };
        if c.kind == Kind::InvalidImage || c.present || !stepped.contains(&a) {
            continue;
        }
        events.push(KEvent {
            type_: "Normal".into(),
            reason: "Pulling".into(),
            message: format!("Pulling image \"{}\"", c.image()),
            field_path: Some(c.field_path()),
            at: a,
        });
    }
}

fn phase_of(pod: &Pod, inits: &[CSim], apps: &[CSim]) -> &'static str {
    fn find<'s>(list: &'s [CSim], name: &str) -> Option<&'s ContainerStatus> {
        list.iter().map(|c| &c.status).find(|s| s.name == name)
    }
    phase_by(pod, |n| find(inits, n), |n| find(apps, n), false)
}

#[allow(clippy::too_many_arguments)]
fn build_conditions(
    pod: &Pod,
    old: &PodStatus,
    phase: &str,
    init: &[ContainerStatus],
    app: &[ContainerStatus],
    start_time: Timestamp,
    change_time: Timestamp,
    now: Timestamp,
) -> Vec<PodCondition> {
    let spec = pod.spec.as_ref();
    let done = matches!(phase, "Succeeded" | "Failed");
    // PodReadyToStartContainers
    let sandbox = cond("PodReadyToStartContainers", !done, None, None);
    // Initialized
    let mut incomplete = Vec::new();
    for c in spec
        .and_then(|s| s.init_containers.as_ref())
        .into_iter()
        .flatten()
    {
        let s = init.iter().find(|s| s.name == c.name);
        let ok = match s {
            Some(s) if c.restart_policy.as_deref() == Some("Always") => s.started == Some(true),
            Some(s) => state_terminated(s).is_some_and(|t| t.exit_code == 0),
            None => false,
        };
        if !ok {
            incomplete.push(c.name.clone());
        }
    }
    let regular_started = app.iter().any(|s| {
        state_running(s).is_some()
            || state_terminated(s).is_some()
            || s.last_state
                .as_ref()
                .and_then(|l| l.terminated.as_ref())
                .is_some()
    });
    let initialized = if phase == "Succeeded" {
        cond("Initialized", true, Some("PodCompleted"), None)
    } else if regular_started || incomplete.is_empty() {
        cond("Initialized", true, None, None)
    } else {
        cond(
            "Initialized",
            false,
            Some("ContainersNotInitialized"),
            Some(format!(
                "containers with incomplete status: {}",
                go_list(&incomplete)
            )),
        )
    };
    // ContainersReady / Ready
    let mut unready = Vec::new();
    for c in spec
        .and_then(|s| s.init_containers.as_ref())
        .into_iter()
        .flatten()
    {
        if c.restart_policy.as_deref() == Some("Always")
            && !init.iter().any(|s| s.name == c.name && s.ready)
        {
            unready.push(c.name.clone());
        }
    }
    for c in spec.map(|s| s.containers.as_slice()).unwrap_or(&[]) {
        if !app.iter().any(|s| s.name == c.name && s.ready) {
            unready.push(c.name.clone());
        }
    }
    let (containers_ready, ready) = if done {
        let reason = if phase == "Succeeded" {
            "PodCompleted"
        } else {
            "PodFailed"
        };
        (
            cond("ContainersReady", false, Some(reason), None),
            cond("Ready", false, Some(reason), None),
        )
    } else if !unready.is_empty() {
        let msg = format!("containers with unready status: {}", go_list(&unready));
        (
            cond(
                "ContainersReady",
                false,
                Some("ContainersNotReady"),
                Some(msg.clone()),
            ),
            cond("Ready", false, Some("ContainersNotReady"), Some(msg)),
        )
    } else {
        let mut ready = cond("Ready", true, None, None);
        for g in spec
            .and_then(|s| s.readiness_gates.as_ref())
            .into_iter()
            .flatten()
        {
            let c = old
                .conditions
                .iter()
                .flatten()
                .find(|c| c.type_ == g.condition_type);
            match c {
                None => {
                    ready = cond(
                        "Ready",
                        false,
                        Some("ReadinessGatesNotReady"),
                        Some(format!(
                            "corresponding condition of pod readiness gate \"{}\" does not exist.",
                            g.condition_type
                        )),
                    );
                    break;
                }
                Some(c) if c.status != "True" => {
                    ready = cond(
                        "Ready",
                        false,
                        Some("ReadinessGatesNotReady"),
                        Some(format!(
                            "the status of pod readiness gate \"{}\" is not \"True\", but {}",
                            g.condition_type, c.status
                        )),
                    );
                    break;
                }
                _ => {}
            }
        }
        (cond("ContainersReady", true, None, None), ready)
    };
    let mut out = Vec::new();
    for mut c in [sandbox, initialized, ready, containers_ready] {
        let prev = old.conditions.iter().flatten().find(|p| p.type_ == c.type_);
        c.last_transition_time = match prev {
            Some(p) if p.status == c.status => p.last_transition_time.clone(),
            Some(_) => Some(Time(change_time.max(start_time).min(now))),
            None => Some(Time(start_time)),
        };
        // A condition created True later than the first sync (e.g. Ready) carries its own time.
        if prev.is_none()
            && c.status == "True"
            && c.type_ != "PodReadyToStartContainers"
            && c.type_ != "Initialized"
        {
            c.last_transition_time = Some(Time(change_time.max(start_time).min(now)));
        }
        out.push(c);
    }
    for c in old.conditions.iter().flatten() {
        if !matches!(
            c.type_.as_str(),
            "PodReadyToStartContainers" | "Initialized" | "Ready" | "ContainersReady"
        ) {
            out.push(c.clone());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Node status
// ---------------------------------------------------------------------------------------------

/// Capacity reported for a node that has none: 4 cpu, 8039144Ki memory (~7.7Gi), 110 pods,
/// 102687672Ki ephemeral-storage, no hugepages; allocatable is the same.
pub fn default_node_capacity() -> BTreeMap<String, Quantity> {
    [
        ("cpu", "4"),
        ("ephemeral-storage", "102687672Ki"),
        ("hugepages-1Gi", "0"),
        ("hugepages-2Mi", "0"),
        ("memory", "8039144Ki"),
        ("pods", "110"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
    .collect()
}

fn node_condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: Timestamp,
) -> NodeCondition {
    NodeCondition {
        type_: type_.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_heartbeat_time: Some(Time(now)),
        last_transition_time: Some(Time(now)),
    }
}

/// Fills in what a kubelet reports for a node whose status lacks it (KWOK-style nodes applied
/// from a manifest): capacity/allocatable ([`default_node_capacity`]), conditions
/// MemoryPressure/DiskPressure/PIDPressure False and Ready True (`KubeletReady`, "kubelet is
/// posting ready status", heartbeat and transition at `now`), addresses InternalIP
/// (`172.18.0.N`, N derived from the name) and Hostname, nodeInfo (kubelet v1.33.1,
/// containerd://2.1.1, Debian GNU/Linux 12 (bookworm), kernel 6.8.0-1027-gcp, linux/amd64)
/// and the kubelet endpoint port 10250. Existing fields are kept. `None` when nothing is missing.
/// Most images a kubelet lists in its node's status (`nodeStatusMaxImages`).
pub const NODE_STATUS_MAX_IMAGES: usize = 50;

/// The node's `status.images` once the images `started` (normalized names, as container
/// statuses show them) are on it; `None` when `current` lists them all already. Each entry
/// names the image by digest, then by tag (`[repo@sha256:..., repo:tag]`), with its size; the
/// list is sorted by size, largest first, and cut at [`NODE_STATUS_MAX_IMAGES`], as the kubelet
/// reports it.
pub fn node_images<'a>(
    current: &[ContainerImage],
    started: impl IntoIterator<Item = &'a str>,
) -> Option<Vec<ContainerImage>> {
    let mut list = current.to_vec();
    for image in started {
        if list
            .iter()
            .any(|c| c.names.iter().flatten().any(|n| n == image))
        {
            continue;
        }
        let id = image_id(image);
        let names = if id == image {
            vec![id]
        } else {
            vec![id, image.to_string()]
        };
        list.push(ContainerImage {
            names: Some(names),
            size_bytes: Some(image_size(image) as i64),
        });
    }
    if list.len() == current.len() {
        return None;
    }
    list.sort_by(|a, b| {
        b.size_bytes
            .cmp(&a.size_bytes)
            .then_with(|| a.names.cmp(&b.names))
    });
    list.truncate(NODE_STATUS_MAX_IMAGES);
    // A small image that does not make the cut changes nothing.
    (list.as_slice() != current).then_some(list)
}

pub fn node_status(node: &Node, now: Timestamp) -> Option<NodeStatus> {
    let old = node.status.clone().unwrap_or_default();
    let mut s = old.clone();
    let name = node.metadata.name.clone().unwrap_or_default();
    if s.capacity.as_ref().is_none_or(|c| c.is_empty()) {
        s.capacity = Some(
            s.allocatable
                .clone()
                .filter(|a| !a.is_empty())
                .unwrap_or_else(default_node_capacity),
        );
    }
    if s.allocatable.as_ref().is_none_or(|a| a.is_empty()) {
        s.allocatable = s.capacity.clone();
    }
    if s.conditions.as_ref().is_none_or(|c| c.is_empty()) {
        s.conditions = Some(vec![
            node_condition(
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
                now,
            ),
            node_condition(
                "DiskPressure",
                "False",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
                now,
            ),
            node_condition(
                "PIDPressure",
                "False",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
                now,
            ),
            node_condition(
                "Ready",
                "True",
                "KubeletReady",
                "kubelet is posting ready status",
                now,
            ),
        ]);
    }
    if s.addresses.as_ref().is_none_or(|a| a.is_empty()) {
        let n = 2 + fnv(name.as_bytes(), 11) % 250;
        s.addresses = Some(vec![
            NodeAddress {
                type_: "InternalIP".into(),
                address: format!("172.18.0.{n}"),
            },
            NodeAddress {
                type_: "Hostname".into(),
                address: name.clone(),
            },
        ]);
    }
    if s.node_info.is_none() {
        let uuid = |salt: &str| {
            let h = hex64(&format!("{salt}:{name}"));
            format!(
                "{}-{}-{}-{}-{}",
                &h[0..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..32]
            )
        };
        s.node_info = Some(NodeSystemInfo {
            architecture: "amd64".into(),
            boot_id: uuid("boot"),
            container_runtime_version: "containerd://2.1.1".into(),
            kernel_version: "6.8.0-1027-gcp".into(),
            kube_proxy_version: String::new(),
            kubelet_version: KUBELET_VERSION.into(),
            machine_id: hex64(&format!("machine:{name}"))[..32].to_string(),
            operating_system: "linux".into(),
            os_image: "Debian GNU/Linux 12 (bookworm)".into(),
            system_uuid: uuid("system"),
            ..Default::default()
        });
    }
    if s.daemon_endpoints.is_none() {
        s.daemon_endpoints = Some(NodeDaemonEndpoints {
            kubelet_endpoint: Some(DaemonEndpoint { port: 10250 }),
        });
    }
    if s == old { None } else { Some(s) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{PodSpec, Probe};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn t(secs: i64) -> Timestamp {
        add(Timestamp::from_second(1_750_000_000).unwrap(), secs)
    }

    fn node() -> Node {
        let mut n = Node {
            metadata: ObjectMeta {
                name: Some("kind-worker".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        n.status = node_status(&n, t(0));
        n
    }

    fn container(name: &str, image: &str, cmd: &[&str]) -> Container {
        Container {
            name: name.into(),
            image: Some(image.into()),
            command: if cmd.is_empty() {
                None
            } else {
                Some(cmd.iter().map(|s| s.to_string()).collect())
            },
            ..Default::default()
        }
    }

    fn pod(containers: Vec<Container>, policy: &str) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some("p".into()),
                namespace: Some("default".into()),
                uid: Some("u1".into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers,
                restart_policy: Some(policy.into()),
                node_name: Some("kind-worker".into()),
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some("Pending".into()),
                qos_class: Some("BestEffort".into()),
                conditions: Some(vec![PodCondition {
                    type_: "PodScheduled".into(),
                    status: "True".into(),
                    last_transition_time: Some(Time(t(0))),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
        }
    }

    /// kubectl's STATUS column (kubectl-output.md §3.1), enough for these tests.
    fn kubectl_status(p: &Pod) -> String {
        let st = p.status.clone().unwrap_or_default();
        let mut reason = st.reason.clone().or(st.phase.clone()).unwrap_or_default();
        let n_init = p
            .spec
            .as_ref()
            .unwrap()
            .init_containers
            .as_ref()
            .map_or(0, |v| v.len());
        let mut initializing = false;
        for (i, c) in st.init_container_statuses.iter().flatten().enumerate() {
            if let Some(tm) = state_terminated(c) {
                if tm.exit_code == 0 {
                    continue;
                }
                reason = format!("Init:{}", tm.reason.clone().unwrap_or_default());
            } else if let Some(w) = state_waiting(c)
                .filter(|w| w.reason.as_deref().is_some_and(|r| r != "PodInitializing"))
            {
                reason = format!("Init:{}", w.reason.clone().unwrap());
            } else {
                reason = format!("Init:{i}/{n_init}");
            }
            initializing = true;
            break;
        }
        if !initializing {
            for c in st.container_statuses.iter().flatten().rev() {
                if let Some(r) = state_waiting(c).and_then(|w| w.reason.clone()) {
                    reason = r;
                } else if let Some(r) = state_terminated(c).and_then(|x| x.reason.clone()) {
                    reason = r;
                }
            }
        }
        if p.metadata.deletion_timestamp.is_some()
            && !matches!(st.phase.as_deref(), Some("Succeeded" | "Failed"))
        {
            reason = "Terminating".into();
        }
        reason
    }

    /// Runs the pod like the engine would: call at `from`, then at every wake until `until`.
    /// Returns (time, STATUS, restarts) at each status change and all events.
    fn drive(p: &mut Pod, from: i64, until: i64) -> (Vec<(i64, String, i32)>, Vec<KEvent>) {
        drive_on(p, from, until, &[])
    }

    /// [`drive`] on a node that has `images` (name, since in test seconds).
    fn drive_on(
        p: &mut Pod,
        from: i64,
        until: i64,
        images: &[(&str, i64)],
    ) -> (Vec<(i64, String, i32)>, Vec<KEvent>) {
        let n = node();
        let ctx = KubeletCtx {
            pod_ip: "10.244.1.5".into(),
            images: images
                .iter()
                .map(|(i, since)| (normalize_image(i), t(*since)))
                .collect(),
            ..Default::default()
        };
        let mut now = t(from);
        let mut trace = Vec::new();
        let mut events = Vec::new();
        loop {
            let r = sync_pod(p, &n, now, &ctx);
            events.extend(r.events);
            if let Some(s) = r.status {
                p.status = Some(s);
                let restarts = p
                    .status
                    .as_ref()
                    .unwrap()
                    .container_statuses
                    .iter()
                    .flatten()
                    .map(|c| c.restart_count)
                    .sum();
                trace.push((
                    now.as_second() - t(0).as_second(),
                    kubectl_status(p),
                    restarts,
                ));
            }
            if r.delete_now {
                trace.push((now.as_second() - t(0).as_second(), "<deleted>".into(), 0));
                break;
            }
            match r.wake_at {
                Some(w) if w <= t(until) => {
                    assert!(w > now, "wake {w} must be after now {now}");
                    now = w;
                }
                _ => break,
            }
        }
        (trace, events)
    }

    fn tr(v: &[(i64, &str, i32)]) -> Vec<(i64, String, i32)> {
        v.iter().map(|(a, b, c)| (*a, b.to_string(), *c)).collect()
    }

    #[test]
    fn nginx_starts_and_runs() {
        let mut p = pod(vec![container("nginx", "nginx:1.25", &[])], "Always");
        let (trace, events) = drive(&mut p, 0, 3600);
        assert_eq!(trace, tr(&[(0, "ContainerCreating", 0), (2, "Running", 0)]));
        let msgs: Vec<(String, String, i64)> = events
            .iter()
            .map(|e| {
                (
                    e.reason.clone(),
                    e.message.clone(),
                    e.at.as_second() - t(0).as_second(),
                )
            })
            .collect();
        assert_eq!(
            msgs[0],
            ("Pulling".into(), "Pulling image \"nginx:1.25\"".into(), 0)
        );
        assert_eq!(msgs[1].0, "Pulled");
        assert!(
            msgs[1]
                .1
                .starts_with("Successfully pulled image \"nginx:1.25\" in 1."),
            "{}",
            msgs[1].1
        );
        assert!(
            msgs[1].1.contains(" including waiting). Image size: 68"),
            "{}",
            msgs[1].1
        );
        assert_eq!(
            msgs[2],
            ("Created".into(), "Created container: nginx".into(), 2)
        );
        assert_eq!(
            msgs[3],
            ("Started".into(), "Started container nginx".into(), 2)
        );
        assert_eq!(
            events[0].field_path.as_deref(),
            Some("spec.containers{nginx}")
        );
        let st = p.status.unwrap();
        assert_eq!(st.phase.as_deref(), Some("Running"));
        assert_eq!(st.pod_ip.as_deref(), Some("10.244.1.5"));
        assert!(st.host_ip.as_deref().unwrap().starts_with("172.18.0."));
        let cs = &st.container_statuses.unwrap()[0];
        assert!(cs.ready);
        assert_eq!(cs.image, "docker.io/library/nginx:1.25");
        assert!(cs.image_id.starts_with("docker.io/library/nginx@sha256:"));
        assert!(
            cs.container_id
                .as_deref()
                .unwrap()
                .starts_with("containerd://")
        );
        let conds: Vec<(String, String, i64)> = st
            .conditions
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c.type_.clone(),
                    c.status.clone(),
                    c.last_transition_time.as_ref().unwrap().0.as_second() - t(0).as_second(),
                )
            })
            .collect();
        assert_eq!(
            conds,
            [
                (
                    "PodReadyToStartContainers".to_string(),
                    "True".to_string(),
                    0
                ),
                ("Initialized".into(), "True".into(), 0),
                ("Ready".into(), "True".into(), 2),
                ("ContainersReady".into(), "True".into(), 2),
                ("PodScheduled".into(), "True".into(), 0),
            ]
        );
    }

    #[test]
    fn first_sync_status() {
        let p = pod(vec![container("nginx", "nginx:1.25", &[])], "Always");
        let r = sync_pod(
            &p,
            &node(),
            t(0),
            &KubeletCtx {
                pod_ip: "10.244.1.5".into(),
                ..Default::default()
            },
        );
        assert_eq!(r.wake_at, Some(t(2)));
        let st = r.status.unwrap();
        let conds = st.conditions.as_ref().unwrap();
        assert_eq!(conds[2].reason.as_deref(), Some("ContainersNotReady"));
        assert_eq!(
            conds[2].message.as_deref(),
            Some("containers with unready status: [nginx]")
        );
        assert_eq!(st.qos_class.as_deref(), Some("BestEffort"));
        assert_eq!(
            state_waiting(&st.container_statuses.as_ref().unwrap()[0])
                .unwrap()
                .reason
                .as_deref(),
            Some("ContainerCreating")
        );
    }

    #[test]
    fn image_pull_failure_backs_off() {
        let mut p = pod(vec![container("nginx", "nginx:1.161", &[])], "Always");
        let (trace, events) = drive(&mut p, 0, 120);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "ErrImagePull", 0),
                (3, "ImagePullBackOff", 0),
                (14, "ErrImagePull", 0),
                (15, "ImagePullBackOff", 0),
                (36, "ErrImagePull", 0),
                (37, "ImagePullBackOff", 0),
                (78, "ErrImagePull", 0),
                (79, "ImagePullBackOff", 0),
            ])
        );
        let first: Vec<(&str, &str)> = events
            .iter()
            .take(5)
            .map(|e| (e.reason.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            first,
            [
                ("Pulling", "Pulling image \"nginx:1.161\""),
                (
                    "Failed",
                    "Failed to pull image \"nginx:1.161\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:1.161\": failed to resolve reference \"docker.io/library/nginx:1.161\": docker.io/library/nginx:1.161: not found"
                ),
                ("Failed", "Error: ErrImagePull"),
                ("BackOff", "Back-off pulling image \"nginx:1.161\""),
                ("Failed", "Error: ImagePullBackOff"),
            ]
        );
        assert_eq!(events[3].type_, "Normal");
        assert_eq!(events[4].type_, "Warning");
        // Pulling of the 2nd attempt happened at 12s, reported with the failure at 14s.
        assert_eq!(events[5].at, t(12));
        let w = state_waiting(
            &p.status
                .as_ref()
                .unwrap()
                .container_statuses
                .as_ref()
                .unwrap()[0],
        )
        .unwrap()
        .clone();
        assert!(w.message.unwrap().starts_with(
            "Back-off pulling image \"nginx:1.161\": ErrImagePull: rpc error: code = NotFound"
        ));
        assert_eq!(p.status.unwrap().phase.as_deref(), Some("Pending"));
    }

    #[test]
    fn late_call_lands_in_the_right_pull_state() {
        let p = pod(
            vec![container("c", "example.com/doesnotexist:v1", &[])],
            "Always",
        );
        let ctx = KubeletCtx::default();
        let r = sync_pod(&p, &node(), t(0), &ctx);
        let mut p2 = p.clone();
        p2.status = r.status;
        let r = sync_pod(&p2, &node(), t(50), &ctx);
        let st = r.status.unwrap();
        let cs = &st.container_statuses.as_ref().unwrap()[0];
        assert_eq!(
            state_waiting(cs).unwrap().reason.as_deref(),
            Some("ImagePullBackOff")
        );
        assert_eq!(r.wake_at, Some(t(78)));
    }

    #[test]
    fn pull_schedule_is_cheap_for_long_times() {
        let a1 = t(0);
        assert_eq!(pull_attempt(a1, 1), (t(0), t(2)));
        assert_eq!(pull_attempt(a1, 2), (t(12), t(14)));
        assert_eq!(pull_attempt(a1, 7), (t(622), t(624)));
        assert_eq!(pull_attempt(a1, 8), (t(924), t(926)));
        assert_eq!(pull_kind_at(a1, t(1)), Kind::Fresh);
        assert_eq!(pull_kind_at(a1, t(2)), Kind::ErrImagePull(1));
        assert_eq!(pull_kind_at(a1, t(13)), Kind::ImagePullBackOff(1));
        let year = 365 * 86400;
        assert!(matches!(
            pull_kind_at(a1, t(year)),
            Kind::ImagePullBackOff(_) | Kind::ErrImagePull(_)
        ));
    }

    #[test]
    fn crash_loop_backoff_sequence() {
        let mut p = pod(
            vec![container("c", "busybox:1.36", &["sh", "-c", "exit 1"])],
            "Always",
        );
        let (trace, events) = drive(&mut p, 0, 700);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Error", 0),
                (3, "Error", 1),
                (4, "CrashLoopBackOff", 1),
                (13, "Error", 2),
                (14, "CrashLoopBackOff", 2),
                (33, "Error", 3),
                (34, "CrashLoopBackOff", 3),
                (73, "Error", 4),
                (74, "CrashLoopBackOff", 4),
                (153, "Error", 5),
                (154, "CrashLoopBackOff", 5),
                (313, "Error", 6),
                (314, "CrashLoopBackOff", 6),
                (613, "Error", 7),
                (614, "CrashLoopBackOff", 7),
            ])
        );
        let backoff = events.iter().find(|e| e.reason == "BackOff").unwrap();
        assert_eq!(
            backoff.message,
            "Back-off restarting failed container c in pod p_default(u1)"
        );
        assert_eq!(backoff.type_, "Warning");
        let cs = &p
            .status
            .as_ref()
            .unwrap()
            .container_statuses
            .as_ref()
            .unwrap()[0];
        assert_eq!(
            state_waiting(cs).unwrap().message.as_deref(),
            Some("back-off 5m0s restarting failed container=c pod=p_default(u1)")
        );
        assert_eq!(
            cs.last_state
                .as_ref()
                .unwrap()
                .terminated
                .as_ref()
                .unwrap()
                .exit_code,
            1
        );
        assert_eq!(p.status.unwrap().phase.as_deref(), Some("Running"));
        // Restarts use the cached image.
        assert!(events.iter().any(|e| e.message == "Container image \"busybox:1.36\" already present on machine"));
    }

    #[test]
    fn job_pods_complete_or_fail() {
        let mut p = pod(vec![container("pi", "perl:5.34", &[])], "Never");
        let (trace, _) = drive(&mut p, 0, 100);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Running", 0),
                (7, "Completed", 0)
            ])
        );
        let st = p.status.unwrap();
        assert_eq!(st.phase.as_deref(), Some("Succeeded"));
        let conds = st.conditions.unwrap();
        assert_eq!(
            (conds[0].type_.as_str(), conds[0].status.as_str()),
            ("PodReadyToStartContainers", "False")
        );
        assert_eq!(conds[1].reason.as_deref(), Some("PodCompleted"));
        assert_eq!(conds[2].reason.as_deref(), Some("PodCompleted"));
        assert_eq!(conds[2].last_transition_time.as_ref().unwrap().0, t(7));

        let mut p = pod(
            vec![container("c", "busybox", &["sh", "-c", "sleep 3; exit 2"])],
            "Never",
        );
        let (trace, _) = drive(&mut p, 0, 100);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Running", 0),
                (5, "Error", 0)
            ])
        );
        assert_eq!(p.status.as_ref().unwrap().phase.as_deref(), Some("Failed"));
        assert_eq!(
            p.status.unwrap().conditions.unwrap()[2].reason.as_deref(),
            Some("PodFailed")
        );

        let mut p = pod(vec![container("c", "busybox", &["false"])], "OnFailure");
        let (trace, _) = drive(&mut p, 0, 15);
        assert_eq!(
            trace[..4],
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Error", 0),
                (3, "Error", 1),
                (4, "CrashLoopBackOff", 1)
            ])
        );
    }

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

    #[test]
    fn readiness_delay() {
        let mut c = container("web", "nginx:1.25", &[]);
        c.readiness_probe = Some(Probe {
            initial_delay_seconds: Some(5),
            ..Default::default()
        });
        let mut p = pod(vec![c], "Always");
        let (trace, _) = drive(&mut p, 0, 100);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "Running", 0),
                (7, "Running", 0)
            ])
        );
        let conds = p.status.unwrap().conditions.unwrap();
        assert_eq!(conds[2].status, "True");
        assert_eq!(conds[2].last_transition_time.as_ref().unwrap().0, t(7));
    }

    #[test]
    fn init_containers_run_first() {
        let mut p = pod(vec![container("app", "nginx:1.25", &[])], "Always");
        p.spec.as_mut().unwrap().init_containers = Some(vec![
            container("init-a", "busybox:1.36", &["sh", "-c", "sleep 3"]),
            container("init-b", "busybox:1.36", &["sh", "-c", "sleep 1"]),
        ]);
        let (trace, events) = drive(&mut p, 0, 100);
        // init-b's image is on the node once init-a pulled it: it starts at once.
        assert_eq!(
            trace,
            tr(&[
                (0, "Init:0/2", 0),
                (2, "Init:0/2", 0),
                (5, "Init:1/2", 0),
                (6, "PodInitializing", 0),
                (8, "Running", 0)
            ])
        );
        let b: Vec<&str> = events
            .iter()
            .filter(|e| e.field_path.as_deref() == Some("spec.initContainers{init-b}"))
            .map(|e| e.message.as_str())
            .collect();
        assert_eq!(
            b,
            [
                "Container image \"busybox:1.36\" already present on machine",
                "Created container: init-b",
                "Started container init-b"
            ]
        );
        let st = p.status.unwrap();
        assert_eq!(
            st.init_container_statuses.unwrap()[1]
                .state
                .as_ref()
                .unwrap()
                .terminated
                .as_ref()
                .unwrap()
                .reason
                .as_deref(),
            Some("Completed")
        );
        let conds = st.conditions.unwrap();
        assert_eq!(conds[1].last_transition_time.as_ref().unwrap().0, t(6));
    }

    #[test]
    fn failing_init_container_never_fails_pod() {
        let mut p = pod(vec![container("app", "nginx:1.25", &[])], "Never");
        p.spec.as_mut().unwrap().init_containers =
            Some(vec![container("init", "busybox", &["false"])]);
        let (trace, _) = drive(&mut p, 0, 100);
        assert_eq!(trace, tr(&[(0, "Init:0/1", 0), (2, "Init:Error", 0)]));
        assert_eq!(trace.last().unwrap().1, "Init:Error");
        assert_eq!(p.status.unwrap().phase.as_deref(), Some("Failed"));
    }

    #[test]
    fn graceful_deletion() {
        let mut p = pod(vec![container("nginx", "nginx:1.25", &[])], "Always");
        drive(&mut p, 0, 10);
        p.metadata.deletion_timestamp = Some(Time(t(130)));
        p.metadata.deletion_grace_period_seconds = Some(30);
        let (trace, events) = drive(&mut p, 100, 200);
        // Since 1.31 kubectl shows a terminal pod's reason even while it is being deleted.
        assert_eq!(
            trace,
            tr(&[
                (100, "Terminating", 0),
                (101, "Completed", 0),
                (101, "<deleted>", 0)
            ])
        );
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].reason, "Killing");
        assert_eq!(events[0].message, "Stopping container nginx");

        // A bare `sleep` ignores SIGTERM: the whole grace period, then exit 137.
        let mut p = pod(
            vec![container("s", "busybox", &["sleep", "3600"])],
            "Always",
        );
        drive(&mut p, 0, 10);
        p.metadata.deletion_timestamp = Some(Time(t(130)));
        p.metadata.deletion_grace_period_seconds = Some(30);
        let (trace, _) = drive(&mut p, 100, 200);
        assert_eq!(trace.last().unwrap(), &(130, "<deleted>".to_string(), 0));
        let cs = &p
            .status
            .as_ref()
            .unwrap()
            .container_statuses
            .as_ref()
            .unwrap()[0];
        assert_eq!(state_terminated(cs).unwrap().exit_code, 137);
        assert_eq!(p.status.unwrap().phase.as_deref(), Some("Failed"));

        // Never started: deleted at once.
        let mut p = pod(vec![container("nginx", "nginx", &[])], "Always");
        p.metadata.deletion_timestamp = Some(Time(t(30)));
        let r = sync_pod(&p, &node(), t(0), &KubeletCtx::default());
        assert!(r.delete_now);
        assert!(r.status.is_none());
    }

    #[test]
    fn admission_rejects_oversized_pod() {
        let mut c = container("c", "nginx", &[]);
        c.resources = Some(k8s_openapi::api::core::v1::ResourceRequirements {
            requests: Some([("cpu".to_string(), Quantity("8".into()))].into()),
            ..Default::default()
        });
        let p = pod(vec![c], "Always");
        let r = sync_pod(&p, &node(), t(0), &KubeletCtx::default());
        let st = r.status.unwrap();
        assert_eq!(st.phase.as_deref(), Some("Failed"));
        assert_eq!(st.reason.as_deref(), Some("OutOfcpu"));
        assert_eq!(
            st.message.as_deref(),
            Some(
                "Pod was rejected: Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000"
            )
        );
        assert_eq!(r.events[0].reason, "OutOfcpu");
    }

    #[test]
    fn admission_counts_the_other_pods() {
        let with_cpu = |cpu: &str| {
            let mut c = container("c", "nginx", &[]);
            c.resources = Some(k8s_openapi::api::core::v1::ResourceRequirements {
                requests: Some([("cpu".to_string(), Quantity(cpu.into()))].into()),
                ..Default::default()
            });
            pod(vec![c], "Always")
        };
        let (a, b) = (with_cpu("1500m"), with_cpu("2"));
        let mut done = with_cpu("3");
        done.status = Some(PodStatus {
            phase: Some("Succeeded".into()),
            ..Default::default()
        });
        let usage = NodeUsage::of_pods(&[&a, &b, &done]);
        assert_eq!(
            usage,
            NodeUsage {
                pods: 2,
                cpu: 3500,
                memory: 0
            }
        );
        let ctx = KubeletCtx {
            pod_ip: "10.244.1.5".into(),
            node_usage: usage,
            ..Default::default()
        };
        let st = sync_pod(&with_cpu("600m"), &node(), t(0), &ctx)
            .status
            .unwrap();
        assert_eq!(
            st.message.as_deref(),
            Some(
                "Pod was rejected: Node didn't have enough resource: cpu, requested: 600, used: 3500, capacity: 4000"
            )
        );
        let st = sync_pod(&with_cpu("500m"), &node(), t(0), &ctx)
            .status
            .unwrap();
        assert_eq!(st.phase.as_deref(), Some("Pending"));
        let full = KubeletCtx {
            node_usage: NodeUsage {
                pods: 110,
                ..Default::default()
            },
            ..Default::default()
        };
        let st = sync_pod(&with_cpu("1"), &node(), t(0), &full)
            .status
            .unwrap();
        assert_eq!(st.reason.as_deref(), Some("OutOfpods"));
        assert_eq!(
            st.message.as_deref(),
            Some(
                "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 110, capacity: 110"
            )
        );
    }

    /// (seconds, reason, message) of each event.
    fn ev_list(events: &[KEvent]) -> Vec<(i64, &str, &str)> {
        events
            .iter()
            .map(|e| {
                (
                    e.at.as_second() - t(0).as_second(),
                    e.reason.as_str(),
                    e.message.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn image_on_the_node_is_not_pulled() {
        // Another pod on the node started with docker.io/library/nginx:1.25 before (or at the
        // same moment): the container starts at once, with the one "already present" event.
        for since in [-30, 0] {
            let mut p = pod(vec![container("web", "nginx:1.25", &[])], "Always");
            let (trace, events) = drive_on(&mut p, 0, 100, &[("nginx:1.25", since)]);
            assert_eq!(trace, tr(&[(0, "Running", 0)]));
            assert_eq!(
                ev_list(&events),
                [
                    (
                        0,
                        "Pulled",
                        "Container image \"nginx:1.25\" already present on machine"
                    ),
                    (0, "Created", "Created container: web"),
                    (0, "Started", "Started container web"),
                ]
            );
        }
        // An image that arrives on the node only later is pulled as before.
        let mut p = pod(vec![container("web", "nginx:1.25", &[])], "Always");
        let (trace, events) = drive_on(&mut p, 0, 100, &[("nginx:1.25", 1)]);
        assert_eq!(trace, tr(&[(0, "ContainerCreating", 0), (2, "Running", 0)]));
        assert_eq!(events[0].reason, "Pulling");
    }

    #[test]
    fn present_image_decision_outlives_the_pod_that_had_it() {
        let mut p = pod(
            vec![
                container("web", "nginx:1.25", &[]),
                container("bad", "nginx:1.161", &[]),
            ],
            "Always",
        );
        let ctx = KubeletCtx {
            pod_ip: "10.244.1.5".into(),
            images: [(normalize_image("nginx:1.25"), t(-10))].into(),
            ..Default::default()
        };
        let r = sync_pod(&p, &node(), t(0), &ctx);
        p.status = r.status;
        assert_eq!(r.wake_at, Some(t(2)));
        // The other pod is gone by the next sync; web's start at 0 still shows the image was
        // there, so bad's pull keeps its place (0-2).
        let (trace, _) = drive(&mut p, 2, 3);
        assert_eq!(
            trace,
            tr(&[(2, "ErrImagePull", 0), (3, "ImagePullBackOff", 0)])
        );
    }

    #[test]
    fn node_status_lists_each_image_once_by_digest_and_tag_largest_first() {
        let nginx = normalize_image("nginx:1.25");
        let busybox = normalize_image("busybox:1.36");
        // Nothing new: no write.
        assert_eq!(node_images(&[], std::iter::empty()), None);
        let one = node_images(&[], [nginx.as_str(), nginx.as_str()]).expect("new image");
        assert_eq!(one.len(), 1);
        assert_eq!(
            one[0].names.as_deref(),
            Some(
                &[
                    image_id("nginx:1.25"),
                    "docker.io/library/nginx:1.25".to_string()
                ][..]
            )
        );
        assert!(one[0].names.as_ref().unwrap()[0].starts_with("docker.io/library/nginx@sha256:"));
        // The size the Pulled event reports, whichever way the name is written.
        assert_eq!(one[0].size_bytes, Some(image_size("nginx:1.25") as i64));
        assert_eq!(
            image_size("nginx:1.25"),
            image_size("docker.io/library/nginx:1.25")
        );
        assert_eq!(node_images(&one, [nginx.as_str()]), None);
        // busybox is smaller: listed after nginx whatever the order they came in.
        let two = node_images(&one, [busybox.as_str()]).expect("new image");
        let tags: Vec<&str> = two
            .iter()
            .map(|i| i.names.as_ref().unwrap()[1].as_str())
            .collect();
        assert_eq!(tags, [nginx.as_str(), busybox.as_str()]);
        // At most 50.
        let many: Vec<String> = (0..60)
            .map(|i| normalize_image(&format!("app{i}:v1")))
            .collect();
        let full = node_images(&[], many.iter().map(String::as_str)).expect("new images");
        assert_eq!(full.len(), NODE_STATUS_MAX_IMAGES);
        assert!(full.windows(2).all(|w| w[0].size_bytes >= w[1].size_bytes));
        let smallest = full.last().unwrap().size_bytes.unwrap();
        let cut: Vec<&String> = many
            .iter()
            .filter(|m| (image_size(m) as i64) < smallest)
            .collect();
        assert!(!cut.is_empty());
        assert_eq!(node_images(&full, cut.iter().map(|s| s.as_str())), None);
    }

    #[test]
    fn always_and_failing_images_ignore_the_node() {
        // `:latest` defaults to Always: pulled even when present.
        let mut p = pod(vec![container("web", "nginx", &[])], "Always");
        let (trace, events) = drive_on(&mut p, 0, 100, &[("nginx:latest", -30)]);
        assert_eq!(trace, tr(&[(0, "ContainerCreating", 0), (2, "Running", 0)]));
        assert_eq!(events[0].message, "Pulling image \"nginx\"");
        // A pull the pod's annotation makes fail fails even if the node has the image.
        let mut p = pod(vec![container("web", "nginx:1.25", &[])], "Always");
        p.metadata.annotations = Some([("kubesim.io/image-pull".into(), "fail".into())].into());
        let (trace, _) = drive_on(&mut p, 0, 5, &[("nginx:1.25", -30)]);
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "ErrImagePull", 0),
                (3, "ImagePullBackOff", 0)
            ])
        );
        // Never: taken to be on the node, as before.
        let mut c = container("web", "nginx:1.25", &[]);
        c.image_pull_policy = Some("Never".into());
        let mut p = pod(vec![c], "Always");
        let (trace, events) = drive(&mut p, 0, 100);
        assert_eq!(trace, tr(&[(0, "Running", 0)]));
        assert_eq!(events[0].reason, "Pulled");
    }

    #[test]
    fn each_pull_is_reported_by_the_call_at_which_it_begins() {
        // An init container, two app containers pulling one after the other, and a failing
        // image: every `Pulling` comes from the call at its own instant, exactly once (the
        // retries of the failing image excepted: they come with their failure).
        let mut spec_pod = pod(
            vec![
                container("a", "nginx:1.25", &[]),
                container("b", "redis:7", &[]),
            ],
            "Always",
        );
        spec_pod.spec.as_mut().unwrap().init_containers =
            Some(vec![container("init", "busybox:1.36", &["sleep", "3"])]);
        let mut bad = pod(vec![container("x", "nginx:1.161", &[])], "Always");
        for (p, until, want) in [
            (
                &mut spec_pod,
                100,
                vec![(0, "busybox:1.36"), (5, "nginx:1.25"), (7, "redis:7")],
            ),
            (&mut bad, 20, vec![(0, "nginx:1.161")]),
        ] {
            let n = node();
            let ctx = KubeletCtx::default();
            let mut now = t(0);
            let mut pulls = Vec::new();
            loop {
                let r = sync_pod(p, &n, now, &ctx);
                for e in r.events.iter().filter(|e| e.reason == "Pulling") {
                    let at = e.at.as_second() - t(0).as_second();
                    let call = now.as_second() - t(0).as_second();
                    let image = e
                        .message
                        .trim_start_matches("Pulling image ")
                        .trim_matches('"');
                    pulls.push((call, at, image.to_string()));
                }
                if let Some(st) = r.status {
                    p.status = Some(st);
                }
                match r.wake_at {
                    Some(w) if w <= t(until) => now = w,
                    _ => break,
                }
            }
            let first: Vec<(i64, i64, String)> = want
                .iter()
                .map(|(at, img)| (*at, *at, img.to_string()))
                .collect();
            assert_eq!(pulls[..first.len()], first[..], "{pulls:?}");
            // The failing image's second attempt (10 s after the first failure at 2 s) is
            // reported with its failure at 14 s.
            if want.len() == 1 {
                assert_eq!(pulls[1], (14, 12, "nginx:1.161".to_string()), "{pulls:?}");
            } else {
                assert_eq!(pulls.len(), first.len(), "{pulls:?}");
            }
        }
    }

    #[test]
    fn second_container_with_the_same_image_finds_it_present() {
        let mut p = pod(
            vec![
                container("a", "busybox:1.36", &["sleep", "infinity"]),
                container("b", "nginx:1.25", &[]),
                container(
                    "c",
                    "docker.io/library/busybox:1.36",
                    &["sleep", "infinity"],
                ),
            ],
            "Always",
        );
        let (trace, events) = drive(&mut p, 0, 100);
        // a pulls 0-2, b pulls 2-4, c starts with b at 4 without a pull.
        assert_eq!(
            trace,
            tr(&[
                (0, "ContainerCreating", 0),
                (2, "ContainerCreating", 0),
                (4, "Running", 0)
            ])
        );
        let c: Vec<(i64, &str, &str)> = ev_list(&events)
            .into_iter()
            .filter(|(_, _, m)| m.contains("busybox"))
            .collect();
        assert_eq!(
            c,
            [
                (0, "Pulling", "Pulling image \"busybox:1.36\""),
                (
                    2,
                    "Pulled",
                    "Successfully pulled image \"busybox:1.36\" in 1.251s (1.251s including waiting). Image size: 5084276 bytes."
                ),
                (
                    4,
                    "Pulled",
                    "Container image \"docker.io/library/busybox:1.36\" already present on machine"
                ),
            ]
        );
    }

    #[test]
    fn helpers() {
        let p = pod(vec![container("a", "x", &[])], "Always");
        for (image, fails) in [
            ("nginx:1.161", true),
            ("docker.io/nginx:1.161", true),
            ("nginx:1.16.1", false),
            ("gcr.io/google-samples/kubernetes-bootcamp:v10", true),
            ("gcr.io/google-samples/kubernetes-bootcamp:v1", false),
            ("example.com/does-not-exist", true),
        ] {
            assert_eq!(image_fails(&p, image), fails, "{image}");
        }
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            normalize_image("docker.io/nginx:1.25"),
            "docker.io/library/nginx:1.25"
        );
        assert_eq!(
            normalize_image("index.docker.io/bitnami/redis"),
            "docker.io/bitnami/redis:latest"
        );
        assert_eq!(
            normalize_image("bitnami/redis:7"),
            "docker.io/bitnami/redis:7"
        );
        assert_eq!(
            normalize_image("registry.k8s.io/pause:3.10"),
            "registry.k8s.io/pause:3.10"
        );
        assert_eq!(
            normalize_image("localhost:5000/x"),
            "localhost:5000/x:latest"
        );
        assert_eq!(go_duration_millis(1523), "1.523s");
        assert_eq!(go_duration_millis(1500), "1.5s");
        assert_eq!(go_duration_millis(2000), "2s");
        assert_eq!(go_duration_millis(796), "796ms");
        assert_eq!(go_duration_secs(80), "1m20s");
        assert_eq!(go_duration_secs(300), "5m0s");
        assert_eq!(
            (1..=7).map(backoff).collect::<Vec<_>>(),
            [10, 20, 40, 80, 160, 300, 300]
        );
        assert!(image_invalid("NGINX"));
        assert!(!image_invalid("nginx:1.25-Alpine"));
    }

    #[test]
    fn node_status_defaults() {
        let n = node();
        let s = n.status.as_ref().unwrap();
        let conds: Vec<(&str, &str)> = s
            .conditions
            .as_ref()
            .unwrap()
            .iter()
            .map(|c| (c.type_.as_str(), c.status.as_str()))
            .collect();
        assert_eq!(
            conds,
            [
                ("MemoryPressure", "False"),
                ("DiskPressure", "False"),
                ("PIDPressure", "False"),
                ("Ready", "True")
            ]
        );
        assert_eq!(
            s.conditions.as_ref().unwrap()[3].message.as_deref(),
            Some("kubelet is posting ready status")
        );
        assert_eq!(s.allocatable.as_ref().unwrap()["pods"].0, "110");
        assert_eq!(s.node_info.as_ref().unwrap().kubelet_version, "v1.33.1");
        assert_eq!(s.addresses.as_ref().unwrap()[1].address, "kind-worker");
        assert_eq!(node_status(&n, t(5)), None);
    }
}
