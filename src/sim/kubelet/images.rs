//! Images: reference normalisation, digests and sizes, the pull policy, failing and invalid
//! images with their pull back-off, whether an image is already on the node, the `Pulling` /
//! `Pulled` events, and the node's `status.images` list.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Container, ContainerImage, ContainerStatus, Pod};

use crate::util::image::{self, ImageRef};

use super::runtime::{CSim, Kind, backoff, container_event, waiting};
use super::{BACKOFF_MAX_SECONDS, KEvent, PULL_SECONDS, add, fnv, go_duration_millis, hex64};

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

/// Docker-style normalisation ([`crate::util::image::normalize`]): `nginx:1.25` →
/// `docker.io/library/nginx:1.25`, `nginx` → `docker.io/library/nginx:latest`, `quay.io/x/y` →
/// `quay.io/x/y:latest`.
pub fn normalize_image(image: &str) -> String {
    image::normalize(image)
}

pub(super) fn repo_base(image: &str) -> String {
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
        Some((r, _)) => r,
        None => ImageRef::parse(&n).name,
    };
    format!("{repo}@sha256:{}", hex64(&format!("image:{n}")))
}

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

pub(super) fn pull_policy(c: &Container) -> String {
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

pub(super) fn image_fails(pod: &Pod, image: &str) -> bool {
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

pub(super) fn image_invalid(image: &str) -> bool {
    let name = ImageRef::parse(image).name;
    image.is_empty()
        || image.chars().any(char::is_whitespace)
        || name.chars().any(|c| c.is_ascii_uppercase())
}

pub(super) fn pull_error(image: &str) -> String {
    let n = normalize_image(image);
    format!(
        "rpc error: code = NotFound desc = failed to pull and unpack image \"{n}\": failed to resolve reference \"{n}\": {n}: not found"
    )
}

/// Milliseconds the (simulated) pull reports, 1000–1999, derived from the image name.
pub(super) fn pull_millis(image: &str) -> i64 {
    1000 + (fnv(image.as_bytes(), 3) % 1000) as i64
}

/// Sum of the first `m` back-offs (10 + 20 + 40 + 80 + 160, then 300 each).
pub(super) fn backoff_sum(m: usize) -> i64 {
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
pub(super) fn pull_attempt(a1: Timestamp, n: usize) -> (Timestamp, Timestamp) {
    let m = n.saturating_sub(1);
    let a = add(a1, m as i64 * PULL_SECONDS + backoff_sum(m));
    (a, add(a, PULL_SECONDS))
}

/// The last attempt whose failure time is at or before `t` (0 if none).
pub(super) fn failed_attempts_by(a1: Timestamp, t: Timestamp) -> usize {
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
pub(super) fn pull_kind_at(a1: Timestamp, t: Timestamp) -> Kind {
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

/// `Pulling` for every container whose first pull began at an instant this call moved
/// through. A first pull begins when the container may start (the pod's first sync, or the
/// transition before it: the last init container done, the previous container started), so
/// each is reported once, when it begins, as a real kubelet reports it: `kubectl describe pod`
/// during `ContainerCreating` lists it.
pub(super) fn pulls_begun(
    inits: &[CSim],
    apps: &[CSim],
    stepped: &[Timestamp],
    events: &mut Vec<KEvent>,
) {
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
            repeat: 0,
        });
    }
}

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

/// Whether `c`'s `IfNotPresent` image is on the node when it may start at `at`: an earlier
/// container of the pod (`earlier`, `more`) has the same image, or another pod's container
/// started with it there before (`images`, [`KubeletCtx::images`](super::KubeletCtx::images)).
/// Sets `present` and the pull's `slot`.
pub(super) fn decide_present(
    earlier: &[CSim],
    more: &[CSim],
    c: &mut CSim,
    at: Timestamp,
    images: &BTreeMap<String, Timestamp>,
) {
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
}

/// Moves the containers with a failing image to where their pull loop is at `limit` (a
/// function of the time since the first attempt), recording the events of the way there.
pub(super) fn advance_failing_pulls<'p>(
    pod: &Pod,
    policy: &str,
    inits: &mut [CSim<'p>],
    apps: &mut [CSim<'p>],
    limit: Timestamp,
    events: &mut Vec<KEvent>,
) {
    for c in inits.iter_mut().chain(apps.iter_mut()) {
        if !c.fails {
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
                c.step(pod, policy, e, events);
            }
            c.step(pod, policy, limit, events);
        }
    }
}

impl CSim<'_> {
    /// The image events of a container that starts at `t`: `Pulled` "already present" when
    /// there is no pull (the image on the node; a restart that does not pull again), else
    /// `Pulled` with the pull's duration and size (a restart's `Pulling` too: the first pull's
    /// was reported when it began, by [`pulls_begun`]).
    pub(super) fn image_events(
        &self,
        fp: &str,
        image: &str,
        first: bool,
        t: Timestamp,
        events: &mut Vec<KEvent>,
    ) {
        let ev = |type_: &str, reason: &str, message: String, at: Timestamp| {
            container_event(fp, type_, reason, message, at)
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
                pull_millis(image)
            } else {
                200 + pull_millis(image) % 400
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
                    image_size(image)
                ),
                t,
            ));
        }
    }

    /// The pull loop of a failing image at `t`: `ErrImagePull` (with the attempt's `Pulling`
    /// for a retry and its `Failed` events) or `ImagePullBackOff` (`BackOff`).
    pub(super) fn step_failing_pull(
        &mut self,
        fp: &str,
        image: &str,
        t: Timestamp,
        events: &mut Vec<KEvent>,
    ) {
        let ev = |type_: &str, reason: &str, message: String, at: Timestamp| {
            container_event(fp, type_, reason, message, at)
        };
        let Some(a1) = self.pull_start() else { return };
        let new = pull_kind_at(a1, t);
        match new {
            Kind::ErrImagePull(n) => {
                let (a, e) = pull_attempt(a1, n);
                let err = pull_error(image);
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
                        pull_error(image)
                    )),
                ));
            }
            _ => {}
        }
        self.kind = new;
    }

    /// An image name the runtime cannot parse: `InspectFailed`, waiting `InvalidImageName`.
    pub(super) fn reject_invalid_image(
        &mut self,
        fp: &str,
        image: &str,
        t: Timestamp,
        events: &mut Vec<KEvent>,
    ) {
        let ev = |type_: &str, reason: &str, message: String, at: Timestamp| {
            container_event(fp, type_, reason, message, at)
        };
        let msg = format!(
            "Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": invalid reference format: repository name must be lowercase"
        );
        events.push(ev("Warning", "InspectFailed", msg.clone(), t));
        events.push(ev("Warning", "Failed", "Error: InvalidImageName".into(), t));
        self.status.state = Some(waiting("InvalidImageName", Some(msg)));
        self.kind = Kind::InvalidImage;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::kubelet::runtime::state_waiting;
    use crate::sim::kubelet::testing::*;
    use crate::sim::kubelet::{KubeletCtx, go_duration_millis, go_duration_secs, sync_pod};

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
}
