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
//!      A command line that [`shell`] (the small `sh` whose output `kubectl logs` shows) runs
//!      whole — every command one it knows, within [`shell::RUN_BUDGET`] commands and
//!      [`shell::RUN_HORIZON_DAYS`] — runs exactly as long as it takes and exits as it does
//!      (`for i in 1 2 3; do sleep 10; done` runs 30 s); one that outlasts them runs forever.
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
//!
//! # Layout
//! [`pod_worker`] syncs one pod ([`sync_pod`]: the timeline above, call after call);
//! [`admission`] rejects pods that do not fit the node; [`program`] reads what a container does
//! (annotations, command line, image) and [`runtime`] runs it (starts, exits, restarts and
//! their back-off); [`images`] pulls (failing images, the pull back-off, images already on the
//! node, the node's image list); [`probes`] times startup and readiness; [`status`] computes
//! the pod's phase and conditions; [`node`] the node's status and Lease. All of these are pure;
//! [`controller`] is the glue to the API (the [`Kubelets`] control loop) and [`node_pods`] what
//! it remembers of the pods on each node.

pub mod admission;
pub mod config_refs;
pub mod controller;
pub mod images;
pub mod logs;
pub mod node;
pub mod node_pods;
pub mod pod_worker;
pub mod probes;
pub mod program;
pub mod runtime;
pub mod shell;
pub mod status;
#[cfg(test)]
pub(crate) mod testing;

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::core::v1::{Pod, PodStatus};

pub use admission::{NodeUsage, cpu_memory_requests, pod_terminal};
pub use controller::{Kubelets, SETTLE_HORIZON_SECS, is_lease_renewal};
pub use images::{
    FAILING_IMAGES, NODE_STATUS_MAX_IMAGES, first_known_start, image_id, image_size, node_images,
    normalize_image,
};
pub use node::{
    NODE_LEASE_DURATION_SECS, NODE_LEASE_NS, NODE_LEASE_RENEW_SECS, NODE_STATUS_REPORT_SECS,
    default_node_capacity, node_status,
};
pub use pod_worker::sync_pod;
pub use program::{Program, program_for};
pub use status::get_phase;

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
    /// The pod's failing ConfigMap and Secret references ([`config_refs::check`]), read while
    /// the pod has not started (no `status.startTime`): any keeps its containers from starting.
    pub refs: config_refs::RefErrors,
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
    /// How many more times the same event happened before, in cycles of a crash loop at its
    /// cap that the sync skipped (their count, without replaying them).
    pub repeat: u32,
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
