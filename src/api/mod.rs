//! The API layer: the only way anything (the CLI, the controllers, the scheduler, the kubelet)
//! reads or changes the cluster. It owns the store for the length of one command and does what
//! the API server does on every request: defaulting, validation, admission, metadata
//! (uid, resourceVersion, generation, timestamps, generateName), graceful deletion,
//! finalizers, and it records every change in a watch log the engine's informers consume.

mod admission;
pub mod alloc;
pub mod bootstrap;
pub mod decode;
pub mod defaults;
pub mod errors;
pub mod kinds;
pub mod patch;
pub mod serviceaccount;
pub mod system;
pub mod validate;

/// How the store holds an object (a tree, or the text of one at rest), as the API hands it out.
pub use crate::store::Held;
use crate::store::{Store, StoreError};
use crate::util::fields::Fields;
use crate::util::names::Names;
pub use crate::util::ptr::Ptr;
/// Label and field selectors live in [`crate::util::selector`]; this path stays for callers.
pub use crate::util::selector;
use errors::{ApiError, FieldError, Reason};
use jiff::{SignedDuration, Timestamp};
use kinds::KindInfo;
use serde_json::{Value, json};
use std::sync::Arc;

/// What happened to an object (a watch event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Added,
    Modified,
    Deleted,
}

/// One entry of the watch log: an object after (or, for deletions, at) the change.
#[derive(Debug, Clone)]
pub struct Change {
    pub info: &'static KindInfo,
    pub op: Op,
    /// The object after the change (before it, for deletions), shared with the store.
    pub object: std::sync::Arc<Value>,
    /// Who made the change (`replicaset-controller`, `kubelet`, ... or empty for the user).
    pub actor: String,
    /// What kind of request made it, for the step trace: `create`, `update`, `status`,
    /// `bind`, `delete` (graceful deletions start as `delete` too).
    pub verb: &'static str,
}

/// Deletion propagation (`--cascade=background|foreground|orphan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

/// Options of a delete request.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeleteOptions {
    pub propagation: Option<Propagation>,
    /// `--grace-period`; `Some(0)` with force deletes at once.
    pub grace_period: Option<i64>,
}

impl crate::print::output::NameForm for KindInfo {
    fn name_form(&self) -> String {
        KindInfo::name_form(self)
    }
}

/// Formats a time as the API does (`2026-11-21T23:50:00Z`).
pub fn fmt_time(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Parses an API timestamp.
pub fn parse_time(s: &str) -> Option<Timestamp> {
    s.parse().ok()
}

/// The object's name.
pub fn name_of(v: &Value) -> &str {
    v.ptr("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The object's namespace (`""` for cluster-scoped).
pub fn namespace_of(v: &Value) -> &str {
    v.ptr("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn store_err(e: StoreError) -> ApiError {
    ApiError::new(Reason::InternalError, e.0)
}

/// kube-apiserver's default `--event-ttl`.
pub const DEFAULT_EVENT_TTL: SignedDuration = SignedDuration::from_secs(3600);
/// The setting (`meta.json`) holding a state's `--event-ttl`, in seconds.
pub const EVENT_TTL_SETTING: &str = "event-ttl";
/// How long the API server's etcd leases are shared by later writes
/// (`--lease-reuse-duration-seconds`, 60): an Event outlives its TTL by up to this.
const EVENT_LEASE_REUSE: SignedDuration = SignedDuration::from_secs(60);
/// The namespaces the NamespaceLifecycle admission plugin never lets go (`default`,
/// `kube-system`, `kube-public`).
pub const IMMORTAL_NAMESPACES: [&str; 3] = ["default", "kube-system", "kube-public"];

/// The in-process API server for one command.
pub struct Api {
    pub store: Store,
    now: Timestamp,
    names: Names,
    /// Watch log of this command, in resourceVersion order.
    pub changes: Vec<Change>,
    /// Warnings for the user (printed on stderr as `Warning: ...`).
    pub warnings: Vec<String>,
    /// The component acting now (set by the engine around each sync).
    pub actor: String,
    /// How many entries of `changes` the engine has handed to the controllers already.
    pub dispatched: usize,
    /// Keep objects in `changes` after dispatch (for commands that read the log).
    pub keep_changes: bool,
    /// Record the step trace (what each component did).
    pub trace: bool,
    /// A practice state is catching up with the wall clock to this time: the time passed
    /// while nobody ran a command, so clock-driven loops (the CronJob controller) sleep
    /// through it and look once at the end, as a controller that was down would.
    pub catch_up_until: Option<Timestamp>,
    /// Event aggregation: namespace → (hash of the correlation key → event name), read per
    /// involved object on its first event. A hit is confirmed against the stored event, so a
    /// hash collision only costs a new event.
    event_index: std::collections::HashMap<String, EventIndex>,
    /// Objects their writer left at rest ([`Self::at_rest`]), packed once the watch log has
    /// let go of them ([`Self::pack_at_rest`]).
    resting: Vec<(&'static str, String, String)>,
    /// The simulator's limit on the pods a state holds ([`DEFAULT_MAX_PODS`]; the CLI's
    /// `--max-pods` / `KUBESIM_MAX_PODS`): a pod create past it is refused as Forbidden.
    pub max_pods: usize,
    /// Pod creates a controller made that [`Self::max_pods`] refused in this command.
    pub pods_refused: usize,
    /// Objects decoded by [`Self::decode_controlled`] in this command: the controllers'
    /// reading of their pods, which must grow linearly with the pods a command changes
    /// (`KUBESIM_PROFILE=1` prints it; tests count it instead of timing).
    pub decoded: u64,
}

/// How many pods a state holds at most unless told otherwise: the simulator keeps every
/// object in memory while a command runs (~15 KiB per pod with its Events), so this bounds
/// a command's memory and time; the API itself would take up to 2^31 - 1 replicas.
pub const DEFAULT_MAX_PODS: usize = 100_000;

/// The words of the refusal past [`Api::max_pods`], after `pods "NAME" is forbidden: `.
pub fn max_pods_message(max: usize) -> String {
    format!(
        "exceeded kubesim's limit of {max} pods in a state (raise it with --max-pods or KUBESIM_MAX_PODS)"
    )
}

impl Api {
    pub fn new(store: Store) -> Api {
        let now = parse_time(&store.meta.clock).unwrap_or(Timestamp::UNIX_EPOCH);
        let names = Names::new(store.meta.rng, store.meta.names.clone());
        Api {
            store,
            now,
            names,
            changes: Vec::new(),
            warnings: Vec::new(),
            actor: String::new(),
            dispatched: 0,
            keep_changes: false,
            trace: false,
            catch_up_until: None,
            event_index: Default::default(),
            resting: Vec::new(),
            max_pods: DEFAULT_MAX_PODS,
            pods_refused: 0,
            decoded: 0,
        }
    }

    /// The virtual clock.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Moves the virtual clock (never backwards).
    pub fn set_now(&mut self, t: Timestamp) {
        if t > self.now {
            self.now = t;
            self.store.meta.clock = fmt_time(t);
            self.store.touch_meta();
        }
    }

    /// When the simulated kubelet of `node` was stopped (`kubesim node stop`), if it is.
    /// Simulator state, not an API object: kept in the state's manifest.
    pub fn kubelet_stopped_at(&self, node: &str) -> Option<Timestamp> {
        self.store
            .meta
            .engine
            .get("stoppedKubelets")
            .and_then(|m| m.get(node))
            .and_then(Value::as_str)
            .and_then(parse_time)
    }

    /// A controller's back-off for `key`: when it last let the work through and the delay it
    /// set then. Controller memory that must outlive the command (as a running controller's
    /// would), so kept in the state's manifest beside the timers.
    pub fn backoff_entry(
        &self,
        controller: &str,
        key: &str,
    ) -> Option<(Timestamp, SignedDuration)> {
        let e = self
            .store
            .meta
            .engine
            .get("backoffs")?
            .get(controller)?
            .get(key)?;
        let at = e.get("at").and_then(Value::as_str).and_then(parse_time)?;
        let delay = e.get("delaySeconds").and_then(Value::as_i64)?;
        Some((at, SignedDuration::from_secs(delay)))
    }

    /// Sets a controller's back-off for `key` (see [`backoff_entry`](Self::backoff_entry)),
    /// and forgets its entries last used before `forget_before` (upstream's back-off GC).
    pub fn set_backoff_entry(
        &mut self,
        controller: &str,
        key: &str,
        at: Timestamp,
        delay: SignedDuration,
        forget_before: Timestamp,
    ) {
        let mine = self.engine_map(&["backoffs", controller]);
        mine.retain(|_, e| {
            e.get("at")
                .and_then(Value::as_str)
                .and_then(parse_time)
                .is_some_and(|t| t >= forget_before)
        });
        mine.insert(
            key.to_string(),
            json!({"at": fmt_time(at), "delaySeconds": delay.as_secs()}),
        );
        self.store.touch_meta();
    }

    /// Marks the kubelet of `node` stopped at `at`, or running (`None`).
    pub fn set_kubelet_stopped(&mut self, node: &str, at: Option<Timestamp>) {
        if self.kubelet_stopped_at(node) == at {
            return;
        }
        let m = self.engine_map(&["stoppedKubelets"]);
        match at {
            Some(t) => {
                m.insert(node.to_string(), json!(fmt_time(t)));
            }
            None => {
                m.remove(node);
            }
        }
        if m.is_empty()
            && let Some(engine) = self.store.meta.engine.as_object_mut()
        {
            engine.remove("stoppedKubelets");
        }
        self.store.touch_meta();
    }

    /// The object at `path` in the manifest's simulator state (`meta.json`'s `engine`),
    /// made (an empty object) wherever it is missing or not an object.
    fn engine_map(&mut self, path: &[&str]) -> &mut serde_json::Map<String, Value> {
        let mut v = &mut self.store.meta.engine;
        for key in path {
            if !v.is_object() {
                *v = json!({});
            }
            let Value::Object(m) = v else {
                unreachable!("made an object above")
            };
            v = m.entry(*key).or_insert_with(|| json!({}));
        }
        if !v.is_object() {
            *v = json!({});
        }
        match v {
            Value::Object(m) => m,
            _ => unreachable!("made an object above"),
        }
    }

    /// Writes everything this command changed, atomically (after dropping the Events that
    /// expired by the clock the command ends at).
    pub fn commit(&mut self) -> Result<(), StoreError> {
        self.expire_events()?;
        if self.names.is_dirty() {
            self.store.meta.names = self.names.counters().clone();
            self.names.clean();
            self.store.touch_meta();
        }
        self.store.commit()
    }

    /// How long an Event lives after its last write: kube-apiserver's `--event-ttl` (one
    /// hour unless the state was created with another, `kubesim reset --event-ttl`).
    pub fn event_ttl(&self) -> SignedDuration {
        self.store
            .meta
            .settings
            .get(EVENT_TTL_SETTING)
            .and_then(|s| s.parse::<i64>().ok())
            .map_or(DEFAULT_EVENT_TTL, SignedDuration::from_secs)
    }

    /// Notes that an Event was written at `at`: the next sweep is due no later than its
    /// expiry (plus the lease reuse, [`EVENT_LEASE_REUSE`]).
    fn note_event_write(&mut self, at: Timestamp) {
        let due = at
            .checked_add(self.event_ttl() + EVENT_LEASE_REUSE)
            .unwrap_or(at);
        let sooner = match self.store.meta.event_sweep.as_deref() {
            None => false,
            Some("none") => true,
            Some(t) => parse_time(t).is_none_or(|t| due < t),
        };
        if sooner {
            self.store.meta.event_sweep = Some(fmt_time(due));
            self.store.touch_meta();
        }
    }

    /// Whether an Event sweep ([`expire_events`](Self::expire_events)) falls due by `at`
    /// (always, when the manifest does not say when).
    pub fn event_sweep_due(&self, at: Timestamp) -> bool {
        match self.store.meta.event_sweep.as_deref() {
            Some("none") => false,
            Some(t) => parse_time(t).is_none_or(|d| d <= at),
            None => true,
        }
    }

    /// Events expire as the API server expires them: each is stored under a lease of
    /// `--event-ttl` from its last write (its `lastTimestamp`, or its `creationTimestamp` when
    /// later). The API server's leases are shared by the writes of a minute, so an Event goes
    /// between one TTL and one TTL plus a minute after its last write; here a sweep, when the
    /// clock has reached the due time kept in the manifest, drops every Event past its TTL
    /// (read from its text, slim; dropped unread) and sets the next due time from the oldest
    /// that stays. A state from before (no due time) is swept at its next commit.
    pub fn expire_events(&mut self) -> Result<(), StoreError> {
        if !self.event_sweep_due(self.now) {
            return Ok(());
        }
        let ttl = self.event_ttl();
        let plural = crate::kinds::event::KIND.plural;
        #[derive(serde::Deserialize)]
        struct Md<'a> {
            #[serde(borrow)]
            name: std::borrow::Cow<'a, str>,
            #[serde(borrow, default, rename = "creationTimestamp")]
            created: Option<std::borrow::Cow<'a, str>>,
        }
        #[derive(serde::Deserialize)]
        struct Ev<'a> {
            #[serde(borrow)]
            metadata: Md<'a>,
            #[serde(borrow, default, rename = "lastTimestamp")]
            last: Option<std::borrow::Cow<'a, str>>,
        }
        let now = self.now;
        let mut oldest: Option<Timestamp> = None;
        for ns in self.store.namespaces_of(plural) {
            let mut expired = Vec::new();
            self.store.for_each_text(plural, &ns, |t| {
                let Ok(e) = serde_json::from_str::<Ev>(t) else {
                    return;
                };
                let written = [e.last.as_deref(), e.metadata.created.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter_map(parse_time)
                    .max();
                let Some(w) = written else {
                    return;
                };
                if w.checked_add(ttl).is_ok_and(|end| end <= now) {
                    expired.push(e.metadata.name.into_owned());
                } else {
                    oldest = Some(oldest.map_or(w, |o| o.min(w)));
                }
            })?;
            self.store.discard(plural, &ns, &expired)?;
            if let Some(idx) = self.event_index.get_mut(&ns) {
                let gone: std::collections::HashSet<&String> = expired.iter().collect();
                idx.by_key.retain(|_, n| !gone.contains(n));
            }
        }
        self.store.meta.event_sweep = Some(match oldest {
            Some(o) => fmt_time(o.checked_add(ttl + EVENT_LEASE_REUSE).unwrap_or(o)),
            None => "none".into(),
        });
        self.store.touch_meta();
        Ok(())
    }

    fn next_rv(&mut self) -> String {
        self.store.meta.resource_version += 1;
        self.store.touch_meta();
        self.store.meta.resource_version.to_string()
    }

    fn ns_for(info: &KindInfo, ns: &str) -> String {
        if info.namespaced {
            ns.to_string()
        } else {
            String::new()
        }
    }

    /// Reads one object.
    pub fn get(&mut self, info: &KindInfo, ns: &str, name: &str) -> Result<Value, ApiError> {
        let ns = Self::ns_for(info, ns);
        match self.store.get(info.plural, &ns, name).map_err(store_err)? {
            Some(v) => Ok(v.clone()),
            None => Err(ApiError::not_found(&info.resource(), name)),
        }
    }

    /// Reads one object if it exists.
    pub fn try_get(
        &mut self,
        info: &KindInfo,
        ns: &str,
        name: &str,
    ) -> Result<Option<Value>, ApiError> {
        let ns = Self::ns_for(info, ns);
        Ok(self
            .store
            .get(info.plural, &ns, name)
            .map_err(store_err)?
            .cloned())
    }

    /// Reads one object if it exists, without copying it.
    pub fn try_get_ref(
        &mut self,
        info: &KindInfo,
        ns: &str,
        name: &str,
    ) -> Result<Option<&Value>, ApiError> {
        let ns = Self::ns_for(info, ns);
        self.store.get(info.plural, &ns, name).map_err(store_err)
    }

    /// [`list`](Self::list) without copying the objects.
    pub fn list_ref(&mut self, info: &KindInfo, ns: Option<&str>) -> Result<Vec<&Value>, ApiError> {
        let ns = if info.namespaced { ns } else { Some("") };
        self.store.list(info.plural, ns).map_err(store_err)
    }

    /// The objects of a kind in `ns` controlled by `uid`, decoded into a view `T` (packed
    /// objects straight from their text).
    pub fn decode_controlled<T: serde::de::DeserializeOwned>(
        &mut self,
        info: &KindInfo,
        ns: &str,
        uid: &str,
    ) -> Result<Vec<T>, ApiError> {
        let out: Vec<T> = self
            .store
            .decode_controlled(info.plural, ns, uid)
            .map_err(store_err)?;
        self.decoded += out.len() as u64;
        Ok(out)
    }

    /// Hands every object of a kind in `ns` to `f` as JSON text, in no particular order,
    /// without turning packed objects (Events) into trees: a reader that wants a few of
    /// 60,000 Events parses those few.
    pub fn for_each_text(
        &mut self,
        info: &KindInfo,
        ns: &str,
        f: impl FnMut(&str),
    ) -> Result<(), ApiError> {
        let ns = Self::ns_for(info, ns);
        self.store
            .for_each_text(info.plural, &ns, f)
            .map_err(store_err)
    }

    /// When the latest Event with `reason` about the object `name` (uid `uid`) in `ns` was
    /// last seen: its `lastTimestamp`, with its resourceVersion to order events of the same
    /// second. Events are named after their object, so this reads a range of names, not every
    /// Event.
    pub fn last_event_time(
        &mut self,
        ns: &str,
        name: &str,
        uid: &str,
        reason: &str,
    ) -> Option<(Timestamp, u64)> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Seen<'a> {
            #[serde(borrow)]
            involved_object: EventInvolved<'a>,
            #[serde(borrow)]
            reason: std::borrow::Cow<'a, str>,
            #[serde(borrow)]
            last_timestamp: Option<std::borrow::Cow<'a, str>>,
            #[serde(borrow)]
            metadata: SeenMeta<'a>,
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct SeenMeta<'a> {
            #[serde(borrow)]
            resource_version: Option<std::borrow::Cow<'a, str>>,
        }
        let info = &crate::kinds::event::KIND;
        let mut latest: Option<(Timestamp, u64)> = None;
        let _ = self
            .store
            .for_each_text_named(info.plural, ns, &format!("{name}."), |text| {
                if let Ok(e) = serde_json::from_str::<Seen>(text)
                    && e.involved_object.uid == uid
                    && e.reason == reason
                    && let Some(t) = e.last_timestamp.as_deref().and_then(parse_time)
                {
                    let rv = e
                        .metadata
                        .resource_version
                        .as_deref()
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(0);
                    latest = latest.max(Some((t, rv)));
                }
            });
        latest
    }

    /// Hands every object of a kind in `ns` to `f` as the store holds it (a tree, or the
    /// JSON text of an object at rest), converting neither.
    pub fn for_each_held(
        &mut self,
        info: &KindInfo,
        ns: &str,
        f: impl FnMut(Held<'_>),
    ) -> Result<(), ApiError> {
        let ns = Self::ns_for(info, ns);
        self.store
            .for_each_held(info.plural, &ns, f)
            .map_err(store_err)
    }

    /// The namespaces that hold objects of a kind (`""` for a cluster-scoped kind).
    pub fn namespaces_of(&self, info: &KindInfo) -> Vec<String> {
        self.store.namespaces_of(info.plural)
    }

    /// Says an object will not be read whole for a while (a running pod between kubelet
    /// syncs): the store keeps it as text once the watch log has let go of it.
    pub fn at_rest(&mut self, info: &'static KindInfo, ns: &str, name: &str) {
        let ns = Self::ns_for(info, ns);
        self.resting.push((info.plural, ns, name.to_string()));
    }

    /// Packs the objects left at rest (called by the engine after each dispatch).
    pub fn pack_at_rest(&mut self) {
        for (plural, ns, name) in std::mem::take(&mut self.resting) {
            self.store.pack(plural, &ns, &name);
        }
    }

    /// The objects of a kind in `ns` that name `uid` among their ownerReferences (controller
    /// or not), sorted by name: the garbage collector's dependents, found by index.
    pub fn list_owned(
        &mut self,
        info: &KindInfo,
        ns: &str,
        uid: &str,
    ) -> Result<Vec<Value>, ApiError> {
        let ns = Self::ns_for(info, ns);
        self.store
            .list_owned(info.plural, &ns, uid)
            .map_err(store_err)
    }

    /// Hands every object of a kind bound to `node` (`spec.nodeName`, any namespace) to `f`,
    /// found by index; objects at rest stay so.
    pub fn for_each_on_node(
        &mut self,
        info: &KindInfo,
        node: &str,
        f: impl FnMut(&Value),
    ) -> Result<(), ApiError> {
        self.store
            .for_each_on_node(info.plural, node, f)
            .map_err(store_err)
    }

    /// [`list_controlled`](Self::list_controlled) without copying the objects.
    pub fn list_controlled_ref(
        &mut self,
        info: &KindInfo,
        ns: &str,
        uid: &str,
    ) -> Result<Vec<&Value>, ApiError> {
        self.store
            .list_controlled(info.plural, ns, uid)
            .map_err(store_err)
    }

    /// Lists objects of a kind in a namespace (`None`: all namespaces), sorted by
    /// namespace then name.
    pub fn list(&mut self, info: &KindInfo, ns: Option<&str>) -> Result<Vec<Value>, ApiError> {
        let ns = if info.namespaced { ns } else { Some("") };
        Ok(self
            .store
            .list(info.plural, ns)
            .map_err(store_err)?
            .into_iter()
            .cloned()
            .collect())
    }

    /// [`list`](Self::list) for a command that reads the list once: a read-only state hands
    /// the objects over instead of copying them (a second list of the kind comes back empty).
    pub fn take_list(&mut self, info: &KindInfo, ns: Option<&str>) -> Result<Vec<Value>, ApiError> {
        let ns = if info.namespaced { ns } else { Some("") };
        self.store.take_list(info.plural, ns).map_err(store_err)
    }

    /// Hands the objects [`list`](Self::list) would return to `f`, one at a time, without
    /// copying them or turning objects at rest into trees that stay.
    pub fn for_each_listed(
        &mut self,
        info: &KindInfo,
        ns: Option<&str>,
        f: impl FnMut(&Value),
    ) -> Result<(), ApiError> {
        let ns = if info.namespaced { ns } else { Some("") };
        self.store
            .for_each_listed(info.plural, ns, f)
            .map_err(store_err)
    }

    /// Objects of a kind in `ns` controlled by the owner with `uid` (`""`: orphans).
    pub fn list_controlled(
        &mut self,
        info: &KindInfo,
        ns: &str,
        uid: &str,
    ) -> Result<Vec<Value>, ApiError> {
        Ok(self
            .store
            .list_controlled(info.plural, ns, uid)
            .map_err(store_err)?
            .into_iter()
            .cloned()
            .collect())
    }

    fn record(&mut self, info: &'static KindInfo, op: Op, object: impl Into<Arc<Value>>) {
        let verb = match op {
            Op::Added => "create",
            Op::Modified => "update",
            Op::Deleted => "delete",
        };
        self.record_as(info, op, object, verb);
    }

    fn record_as(
        &mut self,
        info: &'static KindInfo,
        op: Op,
        object: impl Into<Arc<Value>>,
        verb: &'static str,
    ) {
        if std::ptr::eq(info, &crate::kinds::event::KIND) && !matches!(op, Op::Deleted) {
            let now = self.now;
            self.note_event_write(now);
        }
        let actor = self.actor.clone();
        self.changes.push(Change {
            info,
            op,
            object: object.into(),
            actor,
            verb,
        });
    }

    /// The simulator's pod limit, checked where a quota would be (after validation, before
    /// storage): Forbidden past [`Self::max_pods`].
    fn check_pod_limit(&mut self, name: &str) -> Result<(), ApiError> {
        let pods = &crate::kinds::pod::KIND;
        if self.store.count(pods.plural).map_err(store_err)? < self.max_pods {
            return Ok(());
        }
        if !self.actor.is_empty() {
            self.pods_refused += 1;
        }
        Err(ApiError::forbidden(
            &pods.resource(),
            name,
            &max_pods_message(self.max_pods),
        ))
    }

    /// Creates an object (POST). `ns` is the request namespace; the object's own
    /// `metadata.namespace`, if set, must agree (the CLI checks that, as kubectl does).
    pub fn create(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        obj: Value,
    ) -> Result<Value, ApiError> {
        self.create_guarded(info, ns, obj, true)
            .map(|(_, v)| v.expect("wanted"))
    }

    /// [`create`](Self::create) returning only the name of the new object.
    pub fn create_name(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        obj: Value,
    ) -> Result<String, ApiError> {
        self.create_guarded(info, ns, obj, false).map(|(n, _)| n)
    }

    fn create_guarded(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        obj: Value,
        want: bool,
    ) -> Result<(String, Option<Value>), ApiError> {
        // A rejected request leaves no trace, not even in the name generator.
        let mark = self.names.mark();
        let r = self.create_inner(info, ns, obj, want);
        self.names.release(mark, r.is_ok());
        r
    }

    fn create_inner(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        mut obj: Value,
        want: bool,
    ) -> Result<(String, Option<Value>), ApiError> {
        let ns = Self::ns_for(info, ns);
        if !obj.is_object() {
            return Err(ApiError::bad_request("the object is not a JSON object"));
        }
        obj.set("/apiVersion", json!(info.api_version()))?;
        obj.set("/kind", json!(info.kind))?;
        {
            let md = obj.fields_at("/metadata")?;
            if info.namespaced {
                md.insert("namespace".into(), json!(ns));
            } else {
                md.remove("namespace");
            }
            // Server-owned fields are never taken from the client.
            for k in [
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "managedFields",
                "selfLink",
            ] {
                md.remove(k);
            }
        }
        if info.namespaced {
            self.check_namespace_open(&ns)?;
        }
        // generateName
        let mut name = name_of(&obj).to_string();
        // The name admission errors give: the requested one, or the generateName prefix.
        let req_name = match name.as_str() {
            "" => obj
                .ptr("/metadata/generateName")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty())
                .unwrap_or("Unknown")
                .to_string(),
            n => n.to_string(),
        };
        if name.is_empty()
            && let Some(prefix) = obj
                .ptr("/metadata/generateName")
                .and_then(Value::as_str)
                .map(str::to_string)
            && !prefix.is_empty()
        {
            loop {
                let candidate = format!("{prefix}{}", self.names.suffix(info.plural, &ns, &prefix));
                if self
                    .store
                    .get(info.plural, &ns, &candidate)
                    .map_err(store_err)?
                    .is_none()
                {
                    name = candidate;
                    break;
                }
            }
            obj.set("/metadata/name", json!(name))?;
        }
        info.apply_defaults(&mut obj);
        self.admit(info, &ns, &mut obj)?;
        let uid = self.names.uid(info.plural, &ns, &name);
        if info == &crate::kinds::pod::KIND {
            self.admit_service_account(&ns, &req_name, &uid, &mut obj)?;
        }
        if let Some(prepare) = info.strategy.prepare_for_create {
            prepare(&mut obj, &uid);
        }
        let errs = info.validate(&obj, None);
        if !errs.is_empty() {
            return Err(ApiError::invalid(info.kind, info.group, &name, errs));
        }
        if name.is_empty() {
            return Err(ApiError::invalid(
                info.kind,
                info.group,
                "",
                vec![FieldError::required(
                    "metadata.name",
                    "name or generateName is required",
                )],
            ));
        }
        for w in info.name_warnings(&name) {
            self.warnings.push(w);
        }
        let charges = self.validating_admission(info, &ns, &name, &obj, None)?;
        if info == &crate::kinds::pod::KIND {
            self.check_pod_limit(&name)?;
        }
        if self
            .store
            .get(info.plural, &ns, &name)
            .map_err(store_err)?
            .is_some()
        {
            return Err(ApiError::already_exists(&info.resource(), &name));
        }
        self.charge_quotas(&ns, charges)?;
        let rv = self.next_rv();
        let now = fmt_time(self.now);
        {
            let md = obj.fields_at("/metadata")?;
            md.insert("uid".into(), json!(uid));
            md.insert("resourceVersion".into(), json!(rv));
            md.insert("creationTimestamp".into(), json!(now));
            if info.strategy.generation {
                md.insert("generation".into(), json!(1));
            }
        }
        sort_keys(&mut obj);
        let obj = Arc::new(obj);
        self.store
            .put_shared(info.plural, &ns, obj.clone())
            .map_err(store_err)?;
        let ret = want.then(|| (*obj).clone());
        self.record(info, Op::Added, obj);
        Ok((name, ret))
    }

    /// Whether the StorageClass of the claim `pvc` sets `allowVolumeExpansion: true`.
    fn class_allows_expansion(&mut self, pvc: &Value) -> Result<bool, ApiError> {
        let class = crate::kinds::common::table::storage_class_of(pvc);
        if class.is_empty() {
            return Ok(false);
        }
        let sc = &crate::kinds::storageclass::KIND;
        Ok(self
            .store
            .get(sc.plural, "", class)
            .map_err(store_err)?
            .and_then(|c| c.get("allowVolumeExpansion"))
            .and_then(Value::as_bool)
            == Some(true))
    }

    /// The DefaultIngressClass admission's choice: the newest IngressClass annotated
    /// `ingressclass.kubernetes.io/is-default-class: "true"` (by name on a tie).
    fn default_ingress_class(&mut self) -> Result<Option<String>, ApiError> {
        let ic = &crate::kinds::ingressclass::KIND;
        let mut defaults: Vec<(String, String)> = self
            .list(ic, None)?
            .iter()
            .filter(|c| {
                c.ptr("/metadata/annotations/ingressclass.kubernetes.io~1is-default-class")
                    .and_then(Value::as_str)
                    == Some("true")
            })
            .map(|c| {
                let created = c.ptr("/metadata/creationTimestamp").and_then(Value::as_str);
                (created.unwrap_or("").to_string(), name_of(c).to_string())
            })
            .collect();
        defaults.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(defaults.into_iter().next().map(|(_, name)| name))
    }

    /// Admission plugins of a default cluster that change or reject objects.
    fn admit(&mut self, info: &KindInfo, ns: &str, obj: &mut Value) -> Result<(), ApiError> {
        match info.kind {
            crate::kinds::persistentvolumeclaim::NAME => {
                // DefaultStorageClass
                if obj.ptr("/spec/storageClassName").is_none() {
                    let sc = &crate::kinds::storageclass::KIND;
                    let default = self.list(sc, None)?.into_iter().find(|s| {
                        s.ptr("/metadata/annotations/storageclass.kubernetes.io~1is-default-class")
                            .and_then(Value::as_str)
                            == Some("true")
                    });
                    if let Some(d) = default {
                        obj.set("/spec/storageClassName", json!(name_of(&d)))?;
                    }
                }
                // StorageObjectInUseProtection
                add_finalizer(obj, crate::kinds::persistentvolume::helpers::PVC_PROTECTION)?;
            }
            crate::kinds::persistentvolume::NAME => {
                // StorageObjectInUseProtection
                add_finalizer(obj, crate::kinds::persistentvolume::helpers::PV_PROTECTION)?;
            }
            // DefaultIngressClass: an Ingress naming no class (by field or by the old
            // `kubernetes.io/ingress.class` annotation) gets the newest default class.
            crate::kinds::ingress::NAME
                if obj.ptr("/spec/ingressClassName").is_none()
                    && obj
                        .ptr("/metadata/annotations/kubernetes.io~1ingress.class")
                        .is_none() =>
            {
                if let Some(class) = self.default_ingress_class()? {
                    obj.set("/spec/ingressClassName", json!(class))?;
                }
            }
            // LimitRanger (its mutating half)
            crate::kinds::pod::NAME => self.default_pod_limits(ns, obj)?,
            crate::kinds::service::NAME => self.allocate_service(ns, obj, None)?,
            _ => {}
        }
        Ok(())
    }

    fn check_namespace_open(&mut self, ns: &str) -> Result<(), ApiError> {
        let nsk = &crate::kinds::namespace::KIND;
        match self.store.get(nsk.plural, "", ns).map_err(store_err)? {
            None => Err(ApiError::not_found("namespaces", ns)),
            Some(n) if n.ptr("/metadata/deletionTimestamp").is_some() => Err(ApiError::new(
                Reason::Forbidden,
                format!(
                    "unable to create new content in namespace {ns} because it is being terminated"
                ),
            )),
            Some(_) => Ok(()),
        }
    }

    /// Replaces an object (PUT). A non-empty `metadata.resourceVersion` must match the stored
    /// one (optimistic concurrency). The stored status is kept for kinds with a status
    /// subresource. A no-op update writes nothing.
    pub fn update(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        obj: Value,
    ) -> Result<Value, ApiError> {
        self.write(info, ns, obj, true).map(|v| v.expect("wanted"))
    }

    /// [`update`](Self::update) for callers that do not need the stored object back.
    pub fn update_quiet(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        obj: Value,
    ) -> Result<(), ApiError> {
        self.write(info, ns, obj, false).map(drop)
    }

    /// Replaces only the status of an object (PUT .../status).
    pub fn update_status(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        obj: Value,
    ) -> Result<Value, ApiError> {
        let ns = Self::ns_for(info, ns);
        let name = name_of(&obj).to_string();
        self.write_status(info, &ns, &name, obj, true)
            .map(|v| v.expect("wanted"))
    }

    /// Replaces the status of the object `name` with `status` (PUT .../status with the
    /// stored object carrying the new status), without handing the object back.
    pub fn put_status(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        name: &str,
        status: Value,
    ) -> Result<(), ApiError> {
        // Moved into the request, not copied (json! would serialize `status` anew).
        let mut obj = serde_json::Map::new();
        obj.insert("status".into(), status);
        let ns = Self::ns_for(info, ns);
        self.write_status(info, &ns, name, Value::Object(obj), false)
            .map(drop)
    }

    /// The write path of update (PUT; status writes go through [`Self::write_status`]). The
    /// stored object is only borrowed while the new one is built; the result is copied only
    /// when `want` asks for it.
    fn write(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        obj: Value,
        want: bool,
    ) -> Result<Option<Value>, ApiError> {
        // A rejected request leaves no trace, not even in the allocators' streams.
        let mark = self.names.mark();
        let r = self.write_inner(info, ns, obj, want);
        self.names.release(mark, r.is_ok());
        r
    }

    fn write_inner(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        mut obj: Value,
        want: bool,
    ) -> Result<Option<Value>, ApiError> {
        let ns = Self::ns_for(info, ns);
        let name = name_of(&obj).to_string();
        if info.kind == crate::kinds::service::NAME
            && let Some(old) = self.store.get(info.plural, &ns, &name).map_err(store_err)?
        {
            let old = (*old).clone();
            self.allocate_service(&ns, &mut obj, Some(&old))?;
        }
        // PersistentVolumeClaimResize reads the claim's StorageClass.
        let expandable = info.kind == crate::kinds::persistentvolumeclaim::NAME
            && self.class_allows_expansion(&obj)?;
        let (mut new, generation, admitted_old) = {
            let old = match self.store.get(info.plural, &ns, &name).map_err(store_err)? {
                Some(o) => o,
                None => return Err(ApiError::not_found(&info.resource(), &name)),
            };
            if let Some(rv) = obj.ptr("/metadata/resourceVersion").and_then(Value::as_str)
                && !rv.is_empty()
                && Some(rv) != old.ptr("/metadata/resourceVersion").and_then(Value::as_str)
            {
                return Err(ApiError::conflict(
                    &info.resource(),
                    &name,
                    "the object has been modified; please apply your changes to the latest version and try again",
                ));
            }
            obj.set("/apiVersion", json!(info.api_version()))?;
            obj.set("/kind", json!(info.kind))?;
            let mut new = {
                // Server-owned metadata comes from the stored object.
                let md = obj
                    .get_mut("metadata")
                    .and_then(Value::as_object_mut)
                    .ok_or_else(|| ApiError::bad_request("metadata is required"))?;
                for k in [
                    "uid",
                    "creationTimestamp",
                    "deletionTimestamp",
                    "deletionGracePeriodSeconds",
                    "generation",
                ] {
                    match old.get("metadata").and_then(|m| m.get(k)) {
                        Some(v) => {
                            md.insert(k.into(), v.clone());
                        }
                        None => {
                            md.remove(k);
                        }
                    }
                }
                if info.namespaced {
                    md.insert("namespace".into(), json!(ns));
                }
                if info.strategy.status_subresource {
                    let fields = obj.fields()?;
                    match old.get("status") {
                        Some(s) => fields.insert("status".into(), s.clone()),
                        None => fields.remove("status"),
                    };
                }
                info.apply_defaults(&mut obj);
                if let Some(prepare) = info.strategy.prepare_for_update {
                    prepare(&mut obj, old);
                }
                let errs = info.validate(&obj, Some(old));
                if !errs.is_empty() {
                    return Err(ApiError::invalid(info.kind, info.group, &name, errs));
                }
                // Validating admission: PersistentVolumeClaimResize.
                if info.kind == crate::kinds::persistentvolumeclaim::NAME
                    && let Some(why) =
                        crate::kinds::persistentvolumeclaim::resize_refusal(&obj, old, expandable)
                {
                    return Err(ApiError::forbidden(&info.resource(), &name, why));
                }
                obj
            };
            // Admission on update reads other objects, so the stored one is copied for it
            // (only for the kinds it checks on update: services and claims).
            let admitted_old = matches!(
                info.kind,
                crate::kinds::service::NAME | crate::kinds::persistentvolumeclaim::NAME
            )
            .then(|| old.clone());
            new.set(
                "/metadata/resourceVersion",
                old["metadata"]["resourceVersion"].clone(),
            )?;
            sort_keys(&mut new);
            if new == *old {
                return Ok(want.then(|| old.clone()));
            }
            let generation = (info.strategy.generation && !spec_eq(&new, old)).then(|| {
                old.ptr("/metadata/generation")
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
            });
            (new, generation, admitted_old)
        };
        if let Some(old) = admitted_old {
            let charges = self.validating_admission(info, &ns, &name, &new, Some(&old))?;
            self.charge_quotas(&ns, charges)?;
        }
        if let Some(g) = generation {
            new.set("/metadata/generation", json!(g + 1))?;
        }
        // An object being deleted goes away when its last finalizer is removed — a pod still
        // in its grace period only when the kubelet deletes it (`ShouldDeleteDuringUpdate`:
        // the grace period must be unset or zero).
        let in_grace = info.strategy.graceful_delete.is_some()
            && new
                .ptr("/metadata/deletionGracePeriodSeconds")
                .and_then(Value::as_i64)
                .is_some_and(|g| g > 0);
        if deletion_finishes(info, &new) && !in_grace {
            self.store
                .remove(info.plural, &ns, &name)
                .map_err(store_err)?;
            self.next_rv();
            let ret = want.then(|| new.clone());
            self.record(info, Op::Deleted, new);
            return Ok(ret);
        }
        let rv = self.next_rv();
        new.set("/metadata/resourceVersion", json!(rv))?;
        let ret = want.then(|| new.clone());
        let new = Arc::new(new);
        self.store
            .put_shared(info.plural, &ns, new.clone())
            .map_err(store_err)?;
        self.record_as(info, Op::Modified, new, "update");
        Ok(ret)
    }

    /// PUT .../status: the stored object with the request's status. The object is changed in
    /// place when the watch log no longer holds it (the usual case), not copied.
    fn write_status(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        name: &str,
        mut obj: Value,
        want: bool,
    ) -> Result<Option<Value>, ApiError> {
        let status = obj.as_object_mut().and_then(|m| m.remove("status"));
        {
            let old = match self.store.get(info.plural, ns, name).map_err(store_err)? {
                Some(o) => o,
                None => return Err(ApiError::not_found(&info.resource(), name)),
            };
            if let Some(rv) = obj.ptr("/metadata/resourceVersion").and_then(Value::as_str)
                && !rv.is_empty()
                && Some(rv) != old.ptr("/metadata/resourceVersion").and_then(Value::as_str)
            {
                return Err(ApiError::conflict(
                    &info.resource(),
                    name,
                    "the object has been modified; please apply your changes to the latest version and try again",
                ));
            }
            if old.get("status") == status.as_ref() || !old.is_object() {
                return Ok(want.then(|| old.clone()));
            }
            if !old.get("metadata").is_some_and(Value::is_object) {
                return Err(ApiError::from(crate::util::fields::ShapeError {
                    field: "metadata".into(),
                    found: crate::util::fields::shape_of(&old["metadata"]),
                }));
            }
        }
        // Changed where it is stored: the name and the controller stay, so the store's
        // index does not move (a lookup instead of a removal and an insertion).
        let rv = self.next_rv();
        let shared = {
            let slot = self
                .store
                .object_mut(info.plural, ns, name)
                .map_err(store_err)?
                .ok_or_else(|| ApiError::not_found(&info.resource(), name))?;
            // Checked above: an object with an object for metadata.
            let o = Arc::make_mut(slot);
            let fields = o.fields()?;
            match status {
                Some(s) => fields.insert("status".into(), s),
                None => fields.remove("status"),
            };
            o.set("/metadata/resourceVersion", json!(rv))?;
            slot.clone()
        };
        let ret = want.then(|| (*shared).clone());
        // An object being deleted with no finalizer left goes away with this write (the
        // kubelet's last status of a terminating pod is its final deletion too).
        if deletion_finishes(info, &shared) {
            self.store
                .take_shared(info.plural, ns, name)
                .map_err(store_err)?;
            self.record(info, Op::Deleted, shared);
            return Ok(ret);
        }
        self.record_as(info, Op::Modified, shared, "status");
        Ok(ret)
    }

    /// Deletes an object (DELETE), gracefully for running pods, through finalizers when there
    /// are any, and recording the propagation policy for the garbage collector.
    /// Returns the object as it was at the request.
    /// [`Api::delete`] that is content when the object is gone already (a controller's delete
    /// racing another's).
    pub fn delete_if_present(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        name: &str,
        opts: DeleteOptions,
    ) -> Result<(), ApiError> {
        match self.delete(info, ns, name, opts) {
            Ok(_) => Ok(()),
            Err(e) if e.reason == errors::Reason::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub fn delete(
        &mut self,
        info: &'static KindInfo,
        ns: &str,
        name: &str,
        opts: DeleteOptions,
    ) -> Result<Value, ApiError> {
        let ns = Self::ns_for(info, ns);
        let mut obj = match self.store.get(info.plural, &ns, name).map_err(store_err)? {
            Some(o) => o.clone(),
            None => return Err(ApiError::not_found(&info.resource(), name)),
        };
        // The NamespaceLifecycle admission plugin: the immortal namespaces stay.
        if info.kind == crate::kinds::namespace::KIND.kind && IMMORTAL_NAMESPACES.contains(&name) {
            return Err(ApiError::new(
                Reason::Forbidden,
                format!(
                    "{} \"{name}\" is forbidden: this namespace may not be deleted",
                    info.resource()
                ),
            ));
        }
        let now = fmt_time(self.now);
        let mut fins = finalizers(&obj);
        let already_deleting = obj.ptr("/metadata/deletionTimestamp").is_some();
        match opts.propagation {
            Some(Propagation::Foreground) if !fins.iter().any(|f| f == "foregroundDeletion") => {
                fins.push("foregroundDeletion".into())
            }
            Some(Propagation::Orphan) if !fins.iter().any(|f| f == "orphan") => {
                fins.push("orphan".into())
            }
            _ => {}
        }
        let ns_finalizing = info.strategy.spec_finalizers
            && obj
                .ptr("/spec/finalizers")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty());
        if ns_finalizing && !already_deleting {
            obj.set("/status", json!({"phase": "Terminating"}))?;
        }
        let graceful = info.strategy.graceful_delete;
        let graceful_pod = graceful.is_some_and(|g| g(&obj, opts.grace_period));
        if fins.is_empty() && !graceful_pod && !ns_finalizing {
            self.store
                .remove(info.plural, &ns, name)
                .map_err(store_err)?;
            self.next_rv();
            self.record(info, Op::Deleted, obj.clone());
            return Ok(obj);
        }
        let force = graceful.is_some() && opts.grace_period == Some(0);
        if already_deleting && !force {
            return Ok(obj);
        }
        if force && fins.is_empty() {
            self.store
                .remove(info.plural, &ns, name)
                .map_err(store_err)?;
            self.next_rv();
            self.record(info, Op::Deleted, obj.clone());
            return Ok(obj);
        }
        let md = obj.fields_at("/metadata")?;
        if graceful_pod {
            let grace = opts.grace_period.unwrap_or_else(|| {
                md.get("terminationGracePeriodSeconds")
                    .and_then(Value::as_i64)
                    .unwrap_or(30)
            });
            let grace = if grace > 0 { grace } else { 30 };
            let at = self.now + jiff::SignedDuration::from_secs(grace);
            md.insert("deletionTimestamp".into(), json!(fmt_time(at)));
            md.insert("deletionGracePeriodSeconds".into(), json!(grace));
        } else {
            md.insert("deletionTimestamp".into(), json!(now));
            md.insert("deletionGracePeriodSeconds".into(), json!(0));
        }
        if !fins.is_empty() {
            md.insert("finalizers".into(), json!(fins));
        }
        let rv = self.next_rv();
        obj.set("/metadata/resourceVersion", json!(rv))?;
        sort_keys(&mut obj);
        self.store
            .put(info.plural, &ns, obj.clone())
            .map_err(store_err)?;
        self.record_as(info, Op::Modified, obj.clone(), "delete");
        Ok(obj)
    }

    /// The binding subresource (POST pods/NAME/binding): sets `spec.nodeName`, which no
    /// ordinary update may change, and the PodScheduled condition.
    pub fn bind_pod(&mut self, ns: &str, name: &str, node: &str) -> Result<(), ApiError> {
        let info = &crate::kinds::pod::KIND;
        let pod = self
            .try_get_ref(info, ns, name)?
            .ok_or_else(|| ApiError::not_found("pods", name))?;
        if pod
            .ptr("/spec/nodeName")
            .and_then(Value::as_str)
            .is_some_and(|n| !n.is_empty())
        {
            return Err(ApiError::conflict(
                "pods",
                name,
                &format!(
                    "pod {name} is already assigned to node \"{}\"",
                    pod["spec"]["nodeName"].as_str().unwrap_or("")
                ),
            ));
        }
        // Changed in place when the watch log no longer holds the pod.
        let mut shared = self
            .store
            .take_shared(info.plural, ns, name)
            .map_err(store_err)?
            .ok_or_else(|| ApiError::not_found("pods", name))?;
        let rv = self.next_rv();
        let now = fmt_time(self.now);
        {
            let pod = Arc::make_mut(&mut shared);
            pod.set("/spec/nodeName", json!(node))?;
            set_condition(pod, "PodScheduled", "True", None, None, &now)?;
            pod.set("/metadata/resourceVersion", json!(rv))?;
        }
        self.store
            .put_shared(info.plural, ns, shared.clone())
            .map_err(store_err)?;
        self.record_as(info, Op::Modified, shared, "bind");
        Ok(())
    }

    /// Records an Event about `involved`, aggregating repeats as the event correlator does
    /// (same object, reason, message and source → count + 1, lastTimestamp moves).
    pub fn record_event(
        &mut self,
        involved: &Value,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
        field_path: Option<&str>,
    ) {
        let inv = Involved::of(involved);
        self.record_event_for(&inv, type_, reason, message, component, field_path);
    }

    /// [`record_event`](Self::record_event) about the stored object `name` (nothing when
    /// there is no such object).
    #[allow(clippy::too_many_arguments)]
    pub fn record_event_about(
        &mut self,
        info: &KindInfo,
        ns: &str,
        name: &str,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
        field_path: Option<&str>,
    ) {
        let inv = match self.try_get_ref(info, ns, name) {
            Ok(Some(v)) => Involved::of(v),
            _ => return,
        };
        self.record_event_for(&inv, type_, reason, message, component, field_path);
    }

    /// [`record_event`](Self::record_event) with the involved object's fields taken already.
    pub fn record_event_for(
        &mut self,
        involved: &Involved,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
        field_path: Option<&str>,
    ) {
        let now = self.now;
        self.record_event_at(now, involved, type_, reason, message, component, field_path);
    }

    /// Fills the aggregation index with the Events already stored about object `name` (on
    /// its first event in a command): those named after it (`<name>.<hex>`), a range of
    /// names read from their text, not every Event.
    fn read_event_index(&mut self, plural: &str, ns: &str, name: &str) {
        let idx = self.event_index.entry(ns.to_string()).or_default();
        if !idx.read.contains(name) {
            idx.read.insert(name.to_string());
            // The Events already stored about this object are those named after it
            // (`<name>.<hex>`): a range of names, read from their text, not every Event.
            let prefix = format!("{}.", name);
            let _ = self.store.for_each_text_named(plural, ns, &prefix, |text| {
                if let Ok(e) = serde_json::from_str::<EventHead>(text) {
                    idx.by_key.insert(
                        event_correlation(
                            &e.involved_object.uid,
                            &e.reason,
                            &e.message,
                            &e.source.component,
                            e.involved_object.field_path.as_deref(),
                        ),
                        e.metadata.name.into_owned(),
                    );
                }
            });
        }
    }

    /// [`Api::record_event_for`] for something that happened at `at` (no later than now): the
    /// kubelet reports a pull's `Pulling` when the pull ends, with the time it began.
    #[allow(clippy::too_many_arguments)]
    pub fn record_event_at(
        &mut self,
        at: Timestamp,
        involved: &Involved,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
        field_path: Option<&str>,
    ) {
        self.record_event_times(
            at, involved, type_, reason, message, component, field_path, 1,
        );
    }

    /// [`Self::record_event_at`] for an event that happened `times` times (the last at `at`):
    /// its count grows by `times` at once (a crash loop's skipped cycles).
    #[allow(clippy::too_many_arguments)]
    pub fn record_event_times(
        &mut self,
        at: Timestamp,
        involved: &Involved,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
        field_path: Option<&str>,
        times: i64,
    ) {
        let times = times.max(1);
        let at = at.min(self.now);
        let ev_info = &crate::kinds::event::KIND;
        let ns = if involved.namespace.is_empty() {
            "default".to_string()
        } else {
            involved.namespace.clone()
        };
        let uid = involved.uid.clone();
        let now = fmt_time(at);
        let corr = event_correlation;
        let corr_of = |e: &Value| {
            let s = |p: &str| e.ptr(p).and_then(Value::as_str).unwrap_or("");
            corr(
                s("/involvedObject/uid"),
                s("/reason"),
                s("/message"),
                s("/source/component"),
                e.ptr("/involvedObject/fieldPath").and_then(Value::as_str),
            )
        };
        self.read_event_index(ev_info.plural, &ns, &involved.name);
        let key = corr(&uid, reason, message, component, field_path);
        if let Some(ev_name) = self.event_index[&ns].by_key.get(&key).cloned()
            && let Ok(Some(e)) = self.store.get(ev_info.plural, &ns, &ev_name)
            && corr_of(e) == key
            && e.ptr("/involvedObject/uid").and_then(Value::as_str) == Some(&uid)
            && e.get("reason").and_then(Value::as_str) == Some(reason)
            && e.get("message").and_then(Value::as_str) == Some(message)
        {
            let mut e = e.clone();
            let c = e.get("count").and_then(Value::as_i64).unwrap_or(1);
            let rv = self.next_rv();
            // Found by its reason and message, so an object; a hand-edited metadata that is
            // not one keeps its shape (recording an event never fails).
            if let Some(fields) = e.as_object_mut() {
                fields.insert("count".into(), json!(c + times));
                fields.insert("lastTimestamp".into(), json!(now));
            }
            let _ = e.set("/metadata/resourceVersion", json!(rv));
            // No controller watches Events: they enter the watch log only when someone reads
            // it (the step trace, `get -w`).
            let _ = self.store.put_packed(ev_info.plural, &ns, &e);
            self.note_event_write(at);
            if self.trace || self.keep_changes {
                self.record(ev_info, Op::Modified, e);
            }
            return;
        }
        let iname = involved.name.clone();
        let stamp = at.as_nanosecond() as u128 + self.store.meta.resource_version as u128;
        let name = format!("{iname}.{stamp:x}");
        let rv = self.next_rv();
        let uid_new = self.names.uid(ev_info.plural, &ns, &name);
        // The Event's JSON is written straight to text, keys in the order a sorted map
        // would give them (Events are written by the thousand and seldom read back).
        let text = {
            let mut t = String::with_capacity(768);
            let q = |t: &mut String, s: &str| {
                t.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
            };
            let v = |t: &mut String, x: &Value| t.push_str(&x.to_string());
            t.push_str("{\"apiVersion\":\"v1\",\"count\":");
            t.push_str(&times.to_string());
            t.push_str(",\"firstTimestamp\":");
            q(&mut t, &now);
            t.push_str(",\"involvedObject\":{\"apiVersion\":");
            match &involved.api_version {
                Some(x) => v(&mut t, x),
                None => t.push_str("\"v1\""),
            }
            if let Some(fp) = field_path {
                t.push_str(",\"fieldPath\":");
                q(&mut t, fp);
            }
            t.push_str(",\"kind\":");
            match &involved.kind {
                Some(x) => v(&mut t, x),
                None => t.push_str("\"\""),
            }
            t.push_str(",\"name\":");
            q(&mut t, &iname);
            if !involved.namespace.is_empty() {
                t.push_str(",\"namespace\":");
                q(&mut t, &ns);
            }
            if let Some(x) = &involved.resource_version {
                t.push_str(",\"resourceVersion\":");
                v(&mut t, x);
            }
            t.push_str(",\"uid\":");
            q(&mut t, &uid);
            t.push_str("},\"kind\":\"Event\",\"lastTimestamp\":");
            q(&mut t, &now);
            t.push_str(",\"message\":");
            q(&mut t, message);
            t.push_str(",\"metadata\":{\"creationTimestamp\":");
            q(&mut t, &now);
            t.push_str(",\"name\":");
            q(&mut t, &name);
            t.push_str(",\"namespace\":");
            q(&mut t, &ns);
            t.push_str(",\"resourceVersion\":");
            q(&mut t, &rv);
            t.push_str(",\"uid\":");
            q(&mut t, &uid_new);
            t.push_str("},\"reason\":");
            q(&mut t, reason);
            t.push_str(",\"reportingComponent\":");
            q(&mut t, component);
            t.push_str(",\"reportingInstance\":\"\",\"source\":{\"component\":");
            q(&mut t, component);
            t.push_str("},\"type\":");
            q(&mut t, type_);
            t.push('}');
            t
        };
        if let Some(idx) = self.event_index.get_mut(&ns) {
            idx.by_key.insert(key, name.clone());
        }
        if self.trace || self.keep_changes {
            match serde_json::from_str::<Value>(&text) {
                Ok(ev) => self.record(ev_info, Op::Added, ev),
                Err(e) => self
                    .warnings
                    .push(format!("internal error: event {name}: {e}")),
            }
        }
        let _ = self.store.put_packed_text(ev_info.plural, &ns, name, text);
        self.note_event_write(at);
    }
}

/// The correlation key of an Event (what makes two events the same one, counted), hashed
/// with SipHash under fixed keys: deterministic from run to run.
fn event_correlation(
    uid: &str,
    reason: &str,
    message: &str,
    component: &str,
    fp: Option<&str>,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (uid, reason, message, component, fp.unwrap_or("")).hash(&mut h);
    h.finish()
}

/// The Events' aggregation index of a namespace, filled per involved object on its first
/// event in a command.
#[derive(Default)]
struct EventIndex {
    /// Involved-object names whose stored Events are in `by_key`.
    read: std::collections::HashSet<String>,
    /// Correlation key → Event name.
    by_key: std::collections::HashMap<u64, String>,
}

/// What an Event records about the object it is about.
#[derive(Debug, Clone)]
pub struct Involved {
    api_version: Option<Value>,
    kind: Option<Value>,
    name: String,
    /// The object's own namespace (`""` for cluster-scoped objects).
    namespace: String,
    uid: String,
    resource_version: Option<Value>,
}

impl Involved {
    /// Takes the fields an Event needs from an object.
    pub fn of(v: &Value) -> Involved {
        Involved {
            api_version: v.get("apiVersion").cloned(),
            kind: v.get("kind").cloned(),
            name: name_of(v).to_string(),
            namespace: namespace_of(v).to_string(),
            uid: v
                .ptr("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            resource_version: v.ptr("/metadata/resourceVersion").cloned(),
        }
    }

    /// The object's uid (`""` when it has none).
    pub fn uid(&self) -> &str {
        &self.uid
    }
}

/// The head of an Event decoded from its JSON text without building a tree: what the
/// aggregation index and `describe` look at (strings borrowed from the text where it can).
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct EventHead<'a> {
    #[serde(borrow)]
    pub metadata: EventName<'a>,
    #[serde(borrow)]
    pub involved_object: EventInvolved<'a>,
    #[serde(borrow)]
    pub reason: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub message: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub source: EventSource<'a>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EventName<'a> {
    #[serde(borrow)]
    pub name: std::borrow::Cow<'a, str>,
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct EventInvolved<'a> {
    #[serde(borrow)]
    pub uid: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub kind: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub name: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub field_path: Option<std::borrow::Cow<'a, str>>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EventSource<'a> {
    #[serde(borrow)]
    pub component: std::borrow::Cow<'a, str>,
}

/// Whether a write leaves `obj` gone: it is being deleted and no finalizer is left (for a
/// Namespace, none in its spec either).
fn deletion_finishes(info: &KindInfo, obj: &Value) -> bool {
    let spec_fins = obj
        .ptr("/spec/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    obj.ptr("/metadata/deletionTimestamp").is_some()
        && finalizers(obj).is_empty()
        && !(info.strategy.spec_finalizers && spec_fins)
}

/// Sets a pod-style condition in `status.conditions` (keeping lastTransitionTime when the
/// status does not change).
pub fn set_condition(
    obj: &mut Value,
    ty: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: &str,
) -> Result<(), crate::util::fields::ShapeError> {
    let st = obj.fields_at("/status")?;
    let conds = st.entry("conditions").or_insert_with(|| json!([]));
    if !conds.is_array() {
        *conds = json!([]);
    }
    let Value::Array(conds) = conds else {
        unreachable!("made an array above")
    };
    let mut c = serde_json::Map::new();
    c.insert("type".into(), json!(ty));
    c.insert("status".into(), json!(status));
    c.insert("lastProbeTime".into(), Value::Null);
    c.insert("lastTransitionTime".into(), json!(now));
    if let Some(r) = reason {
        c.insert("reason".into(), json!(r));
    }
    if let Some(m) = message {
        c.insert("message".into(), json!(m));
    }
    match conds
        .iter_mut()
        .find(|x| x.get("type").and_then(Value::as_str) == Some(ty))
    {
        Some(existing) => {
            if existing.get("status").and_then(Value::as_str) == Some(status) {
                c.insert(
                    "lastTransitionTime".into(),
                    existing
                        .get("lastTransitionTime")
                        .cloned()
                        .unwrap_or_default(),
                );
            }
            *existing = Value::Object(c);
        }
        None => conds.push(Value::Object(c)),
    }
    Ok(())
}

/// Whether everything but metadata and status (what a generation bump looks at) is equal.
fn spec_eq(a: &Value, b: &Value) -> bool {
    fn rest(v: &Value) -> impl Iterator<Item = (&String, &Value)> {
        v.as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.as_str() != "metadata" && k.as_str() != "status")
    }
    rest(a).eq(rest(b))
}

/// Appends `finalizer` to the object's finalizers unless it is there.
fn add_finalizer(obj: &mut Value, finalizer: &str) -> Result<(), ApiError> {
    let mut fins = finalizers(obj);
    if !fins.iter().any(|f| f == finalizer) {
        fins.push(finalizer.to_string());
        obj.set("/metadata/finalizers", json!(fins))?;
    }
    Ok(())
}

/// The finalizers of an object.
pub fn finalizers(v: &Value) -> Vec<String> {
    v.ptr("/metadata/finalizers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// serde_json keeps maps sorted already (no `preserve_order`); this is the identity then, kept
/// as the one place that guarantees canonical key order for stored objects.
fn sort_keys(_v: &mut Value) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(name: &str) -> (Api, std::path::PathBuf) {
        let d = std::env::temp_dir().join(format!("kubesim-api-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let store = Store::create(&d, crate::api::bootstrap::fresh_meta().unwrap()).unwrap();
        (Api::new(store), d)
    }

    /// Events are written straight to text: it must be exactly what serializing the Event's
    /// value gives (keys sorted, Go-compatible escapes), and repeats must aggregate.
    #[test]
    fn event_text_is_canonical_json_and_repeats_aggregate() {
        let (mut api, d) = api("events");
        let pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p\"<x>", "namespace": "default", "uid": "u-1", "resourceVersion": "7"}});
        let inv = Involved::of(&pod);
        let msg = "Pulling image \"nginx:1.25\" <&>";
        api.record_event_for(
            &inv,
            "Normal",
            "Pulling",
            msg,
            "kubelet",
            Some("spec.containers{web}"),
        );
        api.record_event_for(
            &inv,
            "Normal",
            "Pulling",
            msg,
            "kubelet",
            Some("spec.containers{web}"),
        );
        let evs = api.store.list("events", Some("default")).unwrap();
        assert_eq!(evs.len(), 1, "the repeat is counted, not a new event");
        assert_eq!(evs[0]["count"], json!(2));
        assert_eq!(evs[0]["message"], json!(msg));
        assert_eq!(
            evs[0]["involvedObject"]["fieldPath"],
            json!("spec.containers{web}")
        );
        assert_eq!(evs[0]["involvedObject"]["resourceVersion"], json!("7"));
        let mut texts = Vec::new();
        api.record_event_for(&inv, "Warning", "Failed", "boom", "kubelet", None);
        api.store
            .for_each_text("events", "default", |t| texts.push(t.to_string()))
            .unwrap();
        let fresh = texts
            .iter()
            .find(|t| t.contains("\"boom\""))
            .expect("the new event");
        let v: Value = serde_json::from_str(fresh).unwrap();
        assert_eq!(&serde_json::to_string(&v).unwrap(), fresh);
        assert!(v["involvedObject"].get("fieldPath").is_none());
        let _ = std::fs::remove_dir_all(&d);
    }

    /// `ShouldDeleteDuringUpdate`: removing the last finalizer of a pod still in its grace
    /// period leaves it to the kubelet's final delete; a deletion without grace ends at once.
    #[test]
    fn a_pod_in_its_grace_period_outlives_its_last_finalizer() {
        let (mut api, d) = api("grace-finalizer");
        let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}});
        api.create(&crate::kinds::namespace::KIND, "", ns).unwrap();
        let pods = &crate::kinds::pod::KIND;
        let pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "default",
                "finalizers": ["batch.kubernetes.io/job-tracking"]},
            "spec": {"containers": [{"name": "c", "image": "busybox"}], "nodeName": "n1"},
            "status": {"phase": "Running"}});
        api.create(pods, "default", pod).unwrap();
        api.delete(pods, "default", "p", DeleteOptions::default())
            .unwrap();
        let mut p = api.get(pods, "default", "p").unwrap();
        assert_eq!(p["metadata"]["deletionGracePeriodSeconds"], json!(30));
        p["metadata"].as_object_mut().unwrap().remove("finalizers");
        api.update(pods, "default", p).unwrap();
        assert!(api.try_get(pods, "default", "p").unwrap().is_some());
        api.delete(
            pods,
            "default",
            "p",
            DeleteOptions {
                propagation: None,
                grace_period: Some(0),
            },
        )
        .unwrap();
        assert!(api.try_get(pods, "default", "p").unwrap().is_none());
        let _ = std::fs::remove_dir_all(&d);
    }
}
