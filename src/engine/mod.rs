//! The engine: runs the control plane over the API, tick by tick, on a virtual clock.
//!
//! How a command uses it: open the state ([`open`]), act through the [`Api`], then [`settle`]
//! (unless `--no-settle`) and commit. Settling feeds the API's watch log (every change the
//! command and the controllers made) to the controllers' event handlers, which enqueue keys;
//! each controller's queue holds a key at most once; `sync(key)` is level-triggered and
//! reads the world through the API. Delayed work (a pod's container finishing, a back-off, a
//! progress deadline) is a timer kept in the state, so it survives between commands.
//!
//! A tick is one virtual second: controllers run until their queues are empty, then the
//! scheduler and the kubelet act, then the clock moves on. Settling jumps from timer to timer
//! instead of ticking through idle seconds, and stops when only "patient" timers remain
//! (back-offs, CronJob schedules, progress deadlines): the point where a real cluster would be
//! waiting for you.

/// The default cluster of a fresh state lives with the API; this path stays for callers.
pub use crate::api::bootstrap;

use crate::api::errors::ApiError;
use crate::api::{Api, Change};
use crate::util::ptr::Ptr;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, VecDeque};

/// A delayed wake-up of one controller for one key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timer {
    pub at: String,
    pub controller: String,
    pub key: String,
    /// Settling waits for this timer (a container finishing, an image pull). Patient timers
    /// (back-offs, schedules, deadlines) fire only when the clock gets there anyway.
    pub settles: bool,
    /// Periodic work whose state is computed when it runs (a Lease renewal, a status report,
    /// a back-off retry at its cap): moving the clock does not stop at it; it runs, late, the
    /// next time anything else runs or when the clock reaches where it was going.
    #[serde(default, skip_serializing_if = "is_false")]
    pub lazy: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What a controller's sync asks of the engine.
#[derive(Debug, Default)]
pub struct SyncResult {
    /// Run this key again after the delay; `bool` = settling waits for it.
    pub requeue_after: Vec<(SignedDuration, bool)>,
    /// Run other keys of the same controller after their delays (the earliest timer of a key
    /// wins, as with `requeue_after`).
    pub wake: Vec<(String, SignedDuration, bool)>,
    /// Run keys of the same controller (this one included) after their delays, lazily (see
    /// [`Timer::lazy`]): the sync must then compute the state it would have reached had it
    /// run on time, and may run only once for many periods.
    pub lazy: Vec<(String, SignedDuration)>,
}

/// One control loop (a controller, the scheduler, the kubelets): the engine drives it, and
/// knows no concrete one.
pub trait Controller {
    /// The name kube-controller-manager gives it (`replicaset-controller`); events and the
    /// step trace are attributed to it.
    fn name(&self) -> &'static str;
    /// Adds the keys (usually `namespace/name`) this change concerns.
    fn on_change(&mut self, api: &mut Api, change: &Change, keys: &mut Vec<String>);
    /// Brings the object behind `key` to its desired state.
    fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError>;
}

/// What the engine runs: the control loops, assembled above it (`cli::cluster`), so the
/// engine never names a concrete controller.
#[derive(Clone, Copy)]
pub struct Plane {
    /// Every control loop, in the order they run within a tick.
    pub controllers: fn() -> Vec<Box<dyn Controller>>,
    /// Changes the step trace leaves out (the kubelets' lease renewals).
    pub untraced: fn(&Change) -> bool,
}

/// What a long run reports as it goes: the virtual time it has covered (of `span`, when it
/// runs to a known time) and the syncs it has run (objects reconciled).
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub covered: SignedDuration,
    pub span: Option<SignedDuration>,
    pub syncs: u64,
}

type ProgressHook = Box<dyn FnMut(&Progress)>;

thread_local! {
    /// Installed by the CLI on a terminal (`set_progress`); none in pipes and tests.
    static PROGRESS: std::cell::RefCell<Option<ProgressHook>> = const { std::cell::RefCell::new(None) };
}

/// Installs (or removes) the hook every run reports its progress to, now and then.
pub fn set_progress(hook: Option<ProgressHook>) {
    PROGRESS.with(|p| *p.borrow_mut() = hook);
}

/// Splits a `namespace/name` key.
pub fn split_key(key: &str) -> (&str, &str) {
    key.split_once('/').unwrap_or(("", key))
}

/// `namespace/name` of an object.
pub fn key_of(obj: &serde_json::Value) -> String {
    format!(
        "{}/{}",
        crate::api::namespace_of(obj),
        crate::api::name_of(obj)
    )
}

struct Queues {
    names: Vec<&'static str>,
    queues: Vec<VecDeque<String>>,
    /// What each queue holds, for de-duplication only (never iterated: order is the queue's).
    members: Vec<std::collections::HashSet<String>>,
}

impl Queues {
    fn new(ctrls: &[Box<dyn Controller>]) -> Queues {
        Queues {
            names: ctrls.iter().map(|c| c.name()).collect(),
            queues: ctrls.iter().map(|_| VecDeque::new()).collect(),
            members: ctrls
                .iter()
                .map(|_| std::collections::HashSet::new())
                .collect(),
        }
    }
    fn add(&mut self, i: usize, key: String) {
        if self.members[i].insert(key.clone()) {
            self.queues[i].push_back(key);
        }
    }
    fn pop(&mut self, i: usize) -> Option<String> {
        let k = self.queues[i].pop_front()?;
        self.members[i].remove(&k);
        Some(k)
    }
    fn is_empty(&self) -> bool {
        self.queues.iter().all(VecDeque::is_empty)
    }
    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| *n == name)
    }
}

/// Checks the engine's part of a manifest (`meta.json`'s `engine`) as the engine will read it:
/// `null`, or an object whose `timers` (if any) is a list of timers, each at an RFC 3339 time.
/// What it says is wrong, for a corrupt-state error.
pub fn check_state(engine: &serde_json::Value) -> Result<(), String> {
    if engine.is_null() {
        return Ok(());
    }
    let Some(obj) = engine.as_object() else {
        return Err("engine: not an object".into());
    };
    let Some(timers) = obj.get("timers") else {
        return Ok(());
    };
    let timers: Vec<Timer> =
        serde_json::from_value(timers.clone()).map_err(|e| format!("engine.timers: {e}"))?;
    for t in &timers {
        if t.at.parse::<Timestamp>().is_err() {
            return Err(format!(
                "engine.timers: {:?} (of {} {:?}) is not an RFC 3339 time",
                t.at, t.controller, t.key
            ));
        }
    }
    Ok(())
}

fn load_timers(api: &Api) -> Vec<Timer> {
    serde_json::from_value(
        api.store
            .meta
            .engine
            .get("timers")
            .cloned()
            .unwrap_or_default(),
    )
    .unwrap_or_default()
}

fn save_timers(api: &mut Api, timers: &[Timer]) {
    let v = serde_json::to_value(timers).unwrap_or_default();
    if api.store.meta.engine.get("timers") != Some(&v) {
        if !api.store.meta.engine.is_object() {
            api.store.meta.engine = serde_json::json!({});
        }
        if let Some(engine) = api.store.meta.engine.as_object_mut() {
            engine.insert("timers".into(), v);
        }
        api.store.touch_meta();
    }
}

/// Which timers a clock jump may stop at.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Next {
    /// Only those settling waits for.
    Settling,
    /// Every timer but the lazy ones (`advance`).
    Eager,
    /// Every timer (commands that watch the cluster move).
    Any,
}

/// A pending timer's time and flags.
#[derive(Clone, Debug)]
struct Pending {
    at: String,
    settles: bool,
    lazy: bool,
}

/// The pending timers: one per (controller, key), earliest wins; ordered by time.
#[derive(Default)]
struct Timers {
    by_key: std::collections::BTreeMap<(String, String), Pending>,
    by_time: BTreeSet<(String, String, String)>,
    /// Timers that hold up settling, by time (a subset of `by_time`).
    settling: BTreeSet<(String, String, String)>,
    /// Timers that are not lazy, by time (a subset of `by_time`).
    eager: BTreeSet<(String, String, String)>,
}

impl Timers {
    fn from_vec(v: Vec<Timer>) -> Timers {
        let mut t = Timers::default();
        for x in v {
            t.add(x.at, &x.controller, &x.key, x.settles, x.lazy);
        }
        t
    }

    fn to_vec(&self) -> Vec<Timer> {
        self.by_time
            .iter()
            .map(|(at, c, k)| {
                let p = self.by_key.get(&(c.clone(), k.clone()));
                Timer {
                    at: at.clone(),
                    controller: c.clone(),
                    key: k.clone(),
                    settles: p.is_some_and(|x| x.settles),
                    lazy: p.is_some_and(|x| x.lazy),
                }
            })
            .collect()
    }

    /// Adds a timer; with one already pending for the key, the earlier time wins, and the
    /// timer is lazy only if both are, settles if either does.
    fn add(&mut self, at: String, controller: &str, key: &str, settles: bool, lazy: bool) {
        let id = (controller.to_string(), key.to_string());
        let (at, settles, lazy) = match self.by_key.get(&id) {
            Some(old) => {
                let entry = (old.at.clone(), id.0.clone(), id.1.clone());
                self.by_time.remove(&entry);
                self.settling.remove(&entry);
                self.eager.remove(&entry);
                (
                    if at < old.at { at } else { old.at.clone() },
                    settles || old.settles,
                    lazy && old.lazy,
                )
            }
            None => (at, settles, lazy),
        };
        let entry = (at.clone(), id.0.clone(), id.1.clone());
        self.by_time.insert(entry.clone());
        if settles {
            self.settling.insert(entry.clone());
        }
        if !lazy {
            self.eager.insert(entry);
        }
        self.by_key.insert(id, Pending { at, settles, lazy });
    }

    /// Removes and returns the timers due at `now`, in time order.
    fn take_due(&mut self, now: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        while let Some(first) = self.by_time.first().cloned() {
            if first.0.as_str() > now {
                break;
            }
            self.by_time.remove(&first);
            self.settling.remove(&first);
            self.eager.remove(&first);
            self.by_key.remove(&(first.1.clone(), first.2.clone()));
            out.push((first.1, first.2));
        }
        out
    }

    fn next(&self, which: Next) -> Option<&String> {
        match which {
            Next::Settling => self.settling.first().map(|t| &t.0),
            Next::Eager => self.eager.first().map(|t| &t.0),
            Next::Any => self.by_time.first().map(|t| &t.0),
        }
    }
}

/// One line of the step trace: what a component did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceLine {
    pub at: Timestamp,
    pub actor: String,
    pub what: String,
}

/// The engine's run state for one command.
struct Run {
    ctrls: Vec<Box<dyn Controller>>,
    untraced: fn(&Change) -> bool,
    queues: Queues,
    timers: Timers,
    seen: usize,
    trace: Vec<TraceLine>,
    /// `KUBESIM_PROFILE=1`: syncs and wall time per controller, printed on stderr at the end.
    profile: Option<Vec<(u64, std::time::Duration)>>,
    /// Syncs run so far (also reported as progress), and the most this run may do
    /// ([`sync_budget`]).
    syncs: u64,
    budget: u64,
    /// For progress reports: where the clock started, where it is going.
    started: Timestamp,
    target: Option<Timestamp>,
}

/// Syncs per pod of the pod limit ([`Api::max_pods`]) one command may run: bringing a pod
/// up or down takes about a dozen (the set, the scheduler, the kubelet, the garbage
/// collector), so this leaves room for several rounds before it stops a run away.
pub const SYNCS_PER_POD: u64 = 200;

/// The most syncs one run of the engine (a command's settle, a step, a wait) may do: it
/// bounds the wall time of a command whose controllers never agree, as the pod limit bounds
/// its memory and the virtual-time limit its clock.
pub fn sync_budget(max_pods: usize) -> u64 {
    (max_pods as u64)
        .saturating_mul(SYNCS_PER_POD)
        .max(1_000_000)
}

/// Whether an error is one of the engine's limits (virtual time, work) rather than the API's.
pub fn is_limit(e: &ApiError) -> bool {
    e.message.starts_with(NOT_SETTLED) || e.message.starts_with(NOT_CONVERGED)
}

const NOT_SETTLED: &str = "the cluster did not settle within";
const NOT_CONVERGED: &str = "the controllers did not converge within";

fn work_limit_error(budget: u64, max_pods: usize) -> ApiError {
    ApiError::new(
        crate::api::errors::Reason::InternalError,
        format!(
            "{NOT_CONVERGED} {budget} syncs (kubesim's work limit for one command: {SYNCS_PER_POD} per pod of --max-pods={max_pods}, at least 1000000)"
        ),
    )
}

impl Run {
    fn new(api: &Api, plane: &Plane) -> Run {
        let ctrls = (plane.controllers)();
        let n = ctrls.len();
        let queues = Queues::new(&ctrls);
        Run {
            ctrls,
            untraced: plane.untraced,
            queues,
            timers: Timers::from_vec(load_timers(api)),
            seen: api.dispatched,
            trace: Vec::new(),
            profile: std::env::var_os("KUBESIM_PROFILE").map(|_| vec![Default::default(); n]),
            syncs: 0,
            budget: sync_budget(api.max_pods),
            started: api.now(),
            target: None,
        }
    }

    /// Tells the progress hook, if any, how far the run has got.
    fn report(&self, api: &Api) {
        PROGRESS.with(|p| {
            if let Some(hook) = p.borrow_mut().as_mut() {
                hook(&Progress {
                    covered: api.now().duration_since(self.started),
                    span: self.target.map(|t| t.duration_since(self.started)),
                    syncs: self.syncs,
                });
            }
        });
    }

    /// Feeds new watch events to every controller's handler.
    fn dispatch(&mut self, api: &mut Api) {
        while self.seen < api.changes.len() {
            // The object moves out of the log once handed over (memory stays flat at scale),
            // unless a command watches the log itself (`get -w`).
            let ch: Change = if api.keep_changes {
                api.changes[self.seen].clone()
            } else {
                let c = &mut api.changes[self.seen];
                Change {
                    info: c.info,
                    op: c.op,
                    object: std::mem::take(&mut c.object),
                    actor: std::mem::take(&mut c.actor),
                    verb: c.verb,
                }
            };
            self.seen += 1;
            if api.trace && !(self.untraced)(&ch) {
                self.trace.push(TraceLine {
                    at: api.now(),
                    actor: ch.actor.clone(),
                    what: describe_change(&ch),
                });
            }
            for i in 0..self.ctrls.len() {
                let mut keys = Vec::new();
                self.ctrls[i].on_change(api, &ch, &mut keys);
                for k in keys {
                    self.queues.add(i, k);
                }
            }
        }
        api.pack_at_rest();
    }

    /// Runs every queue until empty (bounded), as controllers react within a tick.
    fn drain(&mut self, api: &mut Api) -> Result<(), ApiError> {
        self.dispatch(api);
        while !self.queues.is_empty() {
            for i in 0..self.ctrls.len() {
                while let Some(key) = self.queues.pop(i) {
                    self.syncs += 1;
                    if self.syncs > self.budget {
                        return Err(work_limit_error(self.budget, api.max_pods));
                    }
                    api.actor = self.ctrls[i].name().to_string();
                    if self.syncs.is_multiple_of(512) {
                        self.report(api);
                    }
                    let t0 = self.profile.is_some().then(std::time::Instant::now);
                    let res = self.ctrls[i].sync(api, &key);
                    if let (Some(p), Some(t0)) = (self.profile.as_mut(), t0) {
                        p[i].0 += 1;
                        p[i].1 += t0.elapsed();
                    }
                    api.actor = String::new();
                    match res {
                        Ok(r) => {
                            for (d, settles) in r.requeue_after {
                                let at = api.now() + d;
                                self.add_timer(at, self.ctrls[i].name(), &key, settles);
                            }
                            for (other, d, settles) in r.wake {
                                let at = api.now() + d;
                                self.add_timer(at, self.ctrls[i].name(), &other, settles);
                            }
                            for (other, d) in r.lazy {
                                let at = api.now() + d;
                                self.add_lazy_timer(at, self.ctrls[i].name(), &other);
                            }
                        }
                        Err(e) => {
                            // Errors requeue with a short back-off, as work queues do.
                            let at = api.now() + SignedDuration::from_secs(1);
                            self.add_timer(at, self.ctrls[i].name(), &key, false);
                            self.trace.push(TraceLine {
                                at: api.now(),
                                actor: self.ctrls[i].name().to_string(),
                                what: format!("sync {key} failed: {e}"),
                            });
                        }
                    }
                    self.dispatch(api);
                }
            }
        }
        Ok(())
    }

    fn add_timer(&mut self, at: Timestamp, controller: &str, key: &str, settles: bool) {
        self.timers
            .add(crate::api::fmt_time(at), controller, key, settles, false);
    }

    fn add_lazy_timer(&mut self, at: Timestamp, controller: &str, key: &str) {
        self.timers
            .add(crate::api::fmt_time(at), controller, key, false, true);
    }

    /// Moves due timers into the queues.
    fn fire_due(&mut self, api: &Api) {
        let now = crate::api::fmt_time(api.now());
        for (controller, key) in self.timers.take_due(&now) {
            if let Some(i) = self.queues.index(&controller) {
                self.queues.add(i, key);
            }
        }
    }

    fn next_timer(&self, which: Next) -> Option<Timestamp> {
        self.timers.next(which).and_then(|t| t.parse().ok())
    }

    fn finish(self, api: &mut Api) -> Vec<TraceLine> {
        if self.profile.is_some() {
            eprintln!(
                "profile: {} syncs, {} objects decoded by controllers",
                self.syncs, api.decoded
            );
        }
        if let Some(p) = &self.profile {
            for (c, (n, t)) in self.ctrls.iter().zip(p) {
                if *n > 0 {
                    eprintln!(
                        "profile: {:<32} {n:>8} syncs {:>10.1} ms",
                        c.name(),
                        t.as_secs_f64() * 1e3
                    );
                }
            }
        }
        api.dispatched = self.seen;
        save_timers(api, &self.timers.to_vec());
        self.trace
    }
}

fn describe_change(ch: &Change) -> String {
    let o = &ch.object;
    let ns = crate::api::namespace_of(o);
    let name = crate::api::name_of(o);
    let what = if ns.is_empty() {
        format!("{} {name}", ch.info.kind)
    } else {
        format!("{} {ns}/{name}", ch.info.kind)
    };
    if ch.info == &crate::kinds::event::KIND {
        let s = |p: &str| o.ptr(p).and_then(serde_json::Value::as_str).unwrap_or("");
        return format!(
            "event {} {}/{}: {}",
            s("/reason"),
            s("/involvedObject/kind"),
            s("/involvedObject/name"),
            s("/message")
        );
    }
    match (ch.op, ch.verb) {
        (crate::api::Op::Added, _) => format!("created {what}"),
        (crate::api::Op::Deleted, _) => format!("deleted {what}"),
        (_, "status") => format!("updated status of {what}"),
        (_, "bind") => format!(
            "bound {what} to {}",
            o.ptr("/spec/nodeName")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
        ),
        (_, "delete") => format!("started deleting {what}"),
        _ => format!("updated {what}"),
    }
}

/// Converges: runs the controllers on everything that changed, then keeps moving the clock
/// to the next timer settling waits for, until none is left. `max_seconds` bounds the virtual
/// time it may take.
pub fn settle(api: &mut Api, plane: &Plane, max_seconds: i64) -> Result<Vec<TraceLine>, ApiError> {
    let mut run = Run::new(api, plane);
    let start = api.now();
    let limit = start + SignedDuration::from_secs(max_seconds);
    run.fire_due(api);
    run.drain(api)?;
    loop {
        match run.next_timer(Next::Settling) {
            Some(t) if t <= limit => {
                api.set_now(t.max(api.now()));
                run.report(api);
                run.fire_due(api);
                run.drain(api)?;
            }
            Some(_) => {
                let trace = run.finish(api);
                let _ = trace;
                return Err(ApiError::new(
                    crate::api::errors::Reason::InternalError,
                    format!("{NOT_SETTLED} {max_seconds}s of virtual time"),
                ));
            }
            None => break,
        }
    }
    Ok(run.finish(api))
}

/// Runs `n` ticks of one virtual second each, returning what every component did.
pub fn step(api: &mut Api, plane: &Plane, n: u64) -> Result<Vec<TraceLine>, ApiError> {
    let mut run = Run::new(api, plane);
    for _ in 0..n {
        run.fire_due(api);
        run.drain(api)?;
        api.set_now(api.now() + SignedDuration::from_secs(1));
    }
    run.fire_due(api);
    run.drain(api)?;
    Ok(run.finish(api))
}

/// Moves the clock to `to`, firing every timer due on the way (patient ones included). The
/// clock does not stop at lazy timers: they run when the clock stops for something else (a
/// late run computes what the on-time runs would have done) and, at the latest, at `to`; so
/// the cost of a span is the work that really happens in it, not its length.
pub fn advance_to(api: &mut Api, plane: &Plane, to: Timestamp) -> Result<Vec<TraceLine>, ApiError> {
    let mut run = Run::new(api, plane);
    run.target = Some(to);
    run.fire_due(api);
    run.drain(api)?;
    while let Some(t) = run.next_timer(Next::Eager) {
        if t > to {
            break;
        }
        api.set_now(t.max(api.now()));
        run.report(api);
        run.fire_due(api);
        run.drain(api)?;
    }
    api.set_now(to);
    run.fire_due(api);
    run.drain(api)?;
    Ok(run.finish(api))
}

/// Wakes `controller` for `key` at `at` (kubesim's own verbs: a kubelet told to stop or
/// start); the next settle, step or advance runs it.
pub fn wake(api: &mut Api, controller: &str, key: &str, at: Timestamp, settles: bool) {
    let mut ts = Timers::from_vec(load_timers(api));
    ts.add(crate::api::fmt_time(at), controller, key, settles, false);
    save_timers(api, &ts.to_vec());
}

/// Whether a timer (of any kind, lazy ones included) falls due by `at`: whether moving the
/// clock there would run anything.
pub fn due_by(api: &Api, at: Timestamp) -> bool {
    load_timers(api)
        .iter()
        .any(|t| t.at.parse::<Timestamp>().is_ok_and(|t| t <= at))
}

/// Whether work is queued or waiting that settling would run (for `--no-settle` states).
pub fn pending_timers(api: &Api) -> usize {
    load_timers(api).len()
}

/// For `--no-settle`: hands this command's changes to the controllers' handlers and keeps
/// the resulting keys as due timers, so the next `step`/`settle` picks them up.
pub fn enqueue_only(api: &mut Api, plane: &Plane) {
    let mut run = Run::new(api, plane);
    run.dispatch(api);
    let now = api.now();
    let mut pending = Vec::new();
    for i in 0..run.ctrls.len() {
        while let Some(k) = run.queues.pop(i) {
            pending.push((run.ctrls[i].name(), k));
        }
    }
    for (c, k) in pending {
        run.add_timer(now, c, &k, true);
    }
    run.finish(api);
}

/// Runs whatever is due, then moves the clock to the next timer (of any kind) if it is no
/// later than `limit`. Returns false when nothing is left to happen before `limit`.
/// Used by commands that watch the cluster move (`rollout status`, `get -w`).
pub fn run_next(
    api: &mut Api,
    plane: &Plane,
    limit: Timestamp,
    settling_only: bool,
) -> Result<bool, ApiError> {
    let mut run = Run::new(api, plane);
    let before = api.changes.len();
    run.fire_due(api);
    run.drain(api)?;
    if api.changes.len() > before {
        run.finish(api);
        return Ok(true);
    }
    let which = if settling_only {
        Next::Settling
    } else {
        Next::Any
    };
    let moved = match run.next_timer(which) {
        Some(t) if t <= limit => {
            api.set_now(t.max(api.now() + SignedDuration::from_secs(1)));
            run.fire_due(api);
            run.drain(api)?;
            true
        }
        _ => false,
    };
    run.finish(api);
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::kinds::by_kind;
    use serde_json::json;
    use std::cell::RefCell;

    const T0: &str = "2026-01-01T00:00:00Z";

    fn t(secs: i64) -> String {
        crate::api::fmt_time(T0.parse::<Timestamp>().unwrap() + SignedDuration::from_secs(secs))
    }

    thread_local! {
        /// What the probe synced: (virtual time, key).
        static SYNCED: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
    }

    fn synced() -> Vec<(String, String)> {
        SYNCED.with(|s| s.borrow().clone())
    }

    /// A controller that asks for every ConfigMap that changes, logs each sync, and copies
    /// ConfigMap `a` to `a-copy` once (a write of its own for the trace).
    struct Probe;

    impl Controller for Probe {
        fn name(&self) -> &'static str {
            "probe"
        }
        fn on_change(&mut self, _api: &mut Api, change: &Change, keys: &mut Vec<String>) {
            if change.info == &crate::kinds::configmap::KIND {
                keys.push(key_of(&change.object));
            }
        }
        fn sync(&mut self, api: &mut Api, key: &str) -> Result<SyncResult, ApiError> {
            SYNCED.with(|s| {
                s.borrow_mut()
                    .push((crate::api::fmt_time(api.now()), key.to_string()))
            });
            let cm = by_kind("ConfigMap").expect("registered");
            if key == "default/a" && api.try_get_ref(cm, "default", "a-copy")?.is_none() {
                api.create(cm, "default", json!({"metadata": {"name": "a-copy"}}))?;
            }
            Ok(SyncResult::default())
        }
    }

    const PROBE: Plane = Plane {
        controllers: || vec![Box::new(Probe)],
        untraced: |_| false,
    };

    /// The default cluster (namespaces, nodes) at `T0`, its own creation already handed over,
    /// and the probe's log empty.
    fn api(name: &str) -> (Api, std::path::PathBuf) {
        let d = std::env::temp_dir().join(format!("kubesim-engine-{name}-{}", std::process::id()));
        let mut api = bootstrap::scratch_api(&d, T0);
        bootstrap::default_cluster(&mut api).unwrap();
        api.changes.clear();
        api.dispatched = 0;
        SYNCED.with(|s| s.borrow_mut().clear());
        (api, d)
    }

    fn queues(names: &[&'static str]) -> Queues {
        Queues {
            names: names.to_vec(),
            queues: names.iter().map(|_| VecDeque::new()).collect(),
            members: names.iter().map(|_| Default::default()).collect(),
        }
    }

    /// Guards the design card's rule 3 (a key sits in a queue at most once) and the queue's
    /// order: first in, first out; a key popped may be queued again.
    #[test]
    fn a_queue_holds_a_key_once_in_arrival_order() {
        let mut q = queues(&["a", "b"]);
        for k in ["x", "y", "x", "z", "y"] {
            q.add(0, k.into());
        }
        q.add(1, "x".into());
        assert_eq!(q.index("b"), Some(1));
        assert_eq!(q.index("c"), None);
        assert_eq!(q.pop(0).as_deref(), Some("x"));
        q.add(0, "x".into());
        let rest: Vec<String> = std::iter::from_fn(|| q.pop(0)).collect();
        assert_eq!(rest, ["y", "z", "x"]);
        assert!(!q.is_empty(), "the other queue still holds its key");
        assert_eq!(q.pop(1).as_deref(), Some("x"));
        assert!(q.is_empty());
    }

    fn timer(at: String, controller: &str, key: &str, settles: bool) -> Timer {
        Timer {
            at,
            controller: controller.into(),
            key: key.into(),
            settles,
            lazy: false,
        }
    }

    /// Guards rule 3's second half (a delayed requeue keeps the earliest time), that settling
    /// waits for a key once any of its requeues asked it to, and the order timers fire in.
    #[test]
    fn timers_keep_the_earliest_time_per_key_and_fire_in_time_order() {
        let mut ts = Timers::default();
        ts.add(t(30), "c", "k", false, false);
        ts.add(t(10), "c", "k", false, false);
        ts.add(t(20), "c", "k", true, false);
        ts.add(t(5), "d", "k", false, false);
        ts.add(t(15), "c", "other", true, false);
        assert_eq!(
            ts.to_vec(),
            [
                timer(t(5), "d", "k", false),
                timer(t(10), "c", "k", true),
                timer(t(15), "c", "other", true),
            ]
        );
        assert_eq!(ts.next(Next::Any), Some(&t(5)));
        assert_eq!(ts.next(Next::Settling), Some(&t(10)));
        // The saved form reads back the same.
        assert_eq!(Timers::from_vec(ts.to_vec()).to_vec(), ts.to_vec());
        assert_eq!(ts.take_due(&t(4)), Vec::<(String, String)>::new());
        assert_eq!(
            ts.take_due(&t(10)),
            [("d".into(), "k".into()), ("c".into(), "k".into())]
        );
        // Gone once fired: a later requeue of the key stands on its own.
        ts.add(t(40), "c", "k", false, false);
        assert_eq!(ts.next(Next::Settling), Some(&t(15)));
        assert_eq!(ts.take_due(&t(100)).len(), 2);
        assert_eq!((ts.next(Next::Any), ts.next(Next::Settling)), (None, None));
    }

    /// Guards settle's stop rule: it moves the clock to each timer settling waits for and
    /// runs it there, and stops when only patient timers are left (they stay saved, unrun, and
    /// the clock does not move to them); one beyond the bound is an error, not a hang.
    #[test]
    fn settle_runs_the_timers_it_waits_for_and_stops_at_patient_ones() {
        let (mut api, d) = api("settle");
        save_timers(
            &mut api,
            &[
                timer(t(30), "probe", "default/soon", true),
                timer(t(60), "probe", "default/later", false),
            ],
        );
        settle(&mut api, &PROBE, 1000).unwrap();
        assert_eq!(synced(), [(t(30), "default/soon".to_string())]);
        assert_eq!(crate::api::fmt_time(api.now()), t(30));
        assert_eq!(
            load_timers(&api),
            [timer(t(60), "probe", "default/later", false)]
        );
        // Only a patient timer: settling does nothing at all.
        settle(&mut api, &PROBE, 1000).unwrap();
        assert_eq!(synced().len(), 1);
        assert_eq!(crate::api::fmt_time(api.now()), t(30));
        assert_eq!(pending_timers(&api), 1);
        // A timer settling waits for, beyond the bound.
        save_timers(&mut api, &[timer(t(5000), "probe", "default/far", true)]);
        let e = settle(&mut api, &PROBE, 100).unwrap_err();
        assert!(e.message.contains("did not settle within 100s"), "{e}");
        let _ = std::fs::remove_dir_all(&d);
    }

    /// Guards the lazy timers' rule: `advance` does not stop at them (the clock jumps to the
    /// next eager timer, and they run there, late, once), and they run at the end of the
    /// jump at the latest; a lazy and an eager timer for one key make an eager one.
    #[test]
    fn advance_runs_lazy_timers_late_and_once() {
        let (mut api, d) = api("lazy");
        let lazy = |at: String, key: &str| Timer {
            lazy: true,
            ..timer(at, "probe", key, false)
        };
        save_timers(
            &mut api,
            &[
                lazy(t(10), "default/lazy1"),
                lazy(t(20), "default/lazy2"),
                timer(t(50), "probe", "default/eager", false),
                lazy(t(70), "default/lazy3"),
            ],
        );
        advance_to(
            &mut api,
            &PROBE,
            T0.parse::<Timestamp>().unwrap() + SignedDuration::from_secs(100),
        )
        .unwrap();
        assert_eq!(
            synced(),
            [
                (t(50), "default/lazy1".to_string()),
                (t(50), "default/lazy2".to_string()),
                (t(50), "default/eager".to_string()),
                (t(100), "default/lazy3".to_string()),
            ]
        );
        let mut ts = Timers::default();
        ts.add(t(10), "c", "k", false, true);
        ts.add(t(30), "c", "k", false, false);
        assert_eq!(ts.next(Next::Eager), Some(&t(10)));
        assert!(!ts.to_vec()[0].lazy);
        let _ = std::fs::remove_dir_all(&d);
    }

    /// Guards `step N`: exactly N virtual seconds pass, a change is handled in the tick it
    /// happens, timers fire at their second (patient ones too), and the trace says who did
    /// what at which time.
    #[test]
    fn step_runs_n_ticks_and_traces_each_component() {
        let (mut api, d) = api("step");
        api.trace = true;
        api.create(
            by_kind("ConfigMap").unwrap(),
            "default",
            json!({"metadata": {"name": "a"}}),
        )
        .unwrap();
        save_timers(&mut api, &[timer(t(2), "probe", "default/b", false)]);
        let trace = step(&mut api, &PROBE, 3).unwrap();
        assert_eq!(crate::api::fmt_time(api.now()), t(3));
        assert_eq!(
            synced(),
            [
                (t(0), "default/a".to_string()),
                (t(0), "default/a-copy".to_string()),
                (t(2), "default/b".to_string()),
            ]
        );
        assert!(load_timers(&api).is_empty());
        let lines: Vec<(String, &str, &str)> = trace
            .iter()
            .map(|l| {
                (
                    crate::api::fmt_time(l.at),
                    l.actor.as_str(),
                    l.what.as_str(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (t(0), "", "created ConfigMap default/a"),
                (t(0), "probe", "created ConfigMap default/a-copy"),
            ]
        );
        // step 0 runs what is due without moving the clock.
        step(&mut api, &PROBE, 0).unwrap();
        assert_eq!(crate::api::fmt_time(api.now()), t(3));
        let _ = std::fs::remove_dir_all(&d);
    }
}
