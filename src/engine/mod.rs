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
}

/// What a controller's sync asks of the engine.
#[derive(Debug, Default)]
pub struct SyncResult {
    /// Run this key again after the delay; `bool` = settling waits for it.
    pub requeue_after: Vec<(SignedDuration, bool)>,
    /// Run other keys of the same controller after their delays (the earliest timer of a key
    /// wins, as with `requeue_after`).
    pub wake: Vec<(String, SignedDuration, bool)>,
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
        api.store.meta.engine["timers"] = v;
        api.store.touch_meta();
    }
}

/// The pending timers: one per (controller, key), earliest wins; ordered by time.
#[derive(Default)]
struct Timers {
    by_key: std::collections::BTreeMap<(String, String), (String, bool)>,
    by_time: BTreeSet<(String, String, String)>,
    /// Timers that hold up settling, by time (a subset of `by_time`).
    settling: BTreeSet<(String, String, String)>,
}

impl Timers {
    fn from_vec(v: Vec<Timer>) -> Timers {
        let mut t = Timers::default();
        for x in v {
            t.add(x.at, &x.controller, &x.key, x.settles);
        }
        t
    }

    fn to_vec(&self) -> Vec<Timer> {
        self.by_time
            .iter()
            .map(|(at, c, k)| Timer {
                at: at.clone(),
                controller: c.clone(),
                key: k.clone(),
                settles: self
                    .by_key
                    .get(&(c.clone(), k.clone()))
                    .is_some_and(|x| x.1),
            })
            .collect()
    }

    fn add(&mut self, at: String, controller: &str, key: &str, settles: bool) {
        let id = (controller.to_string(), key.to_string());
        let (at, settles) = match self.by_key.get(&id) {
            Some((old_at, old_settles)) => {
                let old = (old_at.clone(), id.0.clone(), id.1.clone());
                self.by_time.remove(&old);
                self.settling.remove(&old);
                (
                    if at < *old_at { at } else { old_at.clone() },
                    settles || *old_settles,
                )
            }
            None => (at, settles),
        };
        let entry = (at.clone(), id.0.clone(), id.1.clone());
        self.by_time.insert(entry.clone());
        if settles {
            self.settling.insert(entry);
        }
        self.by_key.insert(id, (at, settles));
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
            self.by_key.remove(&(first.1.clone(), first.2.clone()));
            out.push((first.1, first.2));
        }
        out
    }

    fn next(&self, settling_only: bool) -> Option<&String> {
        if settling_only {
            self.settling.first().map(|t| &t.0)
        } else {
            self.by_time.first().map(|t| &t.0)
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
        }
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
        let mut budget = 1_000_000usize;
        self.dispatch(api);
        while !self.queues.is_empty() {
            for i in 0..self.ctrls.len() {
                while let Some(key) = self.queues.pop(i) {
                    budget = budget.saturating_sub(1);
                    if budget == 0 {
                        return Err(ApiError::new(
                            crate::api::errors::Reason::InternalError,
                            "the controllers did not converge (work budget exhausted)",
                        ));
                    }
                    api.actor = self.ctrls[i].name().to_string();
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
            .add(crate::api::fmt_time(at), controller, key, settles);
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

    fn next_timer(&self, settling_only: bool) -> Option<Timestamp> {
        self.timers.next(settling_only).and_then(|t| t.parse().ok())
    }

    fn finish(self, api: &mut Api) -> Vec<TraceLine> {
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
    if ch.info.kind == "Event" {
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
        match run.next_timer(true) {
            Some(t) if t <= limit => {
                api.set_now(t.max(api.now()));
                run.fire_due(api);
                run.drain(api)?;
            }
            Some(_) => {
                let trace = run.finish(api);
                let _ = trace;
                return Err(ApiError::new(
                    crate::api::errors::Reason::InternalError,
                    format!("the cluster did not settle within {max_seconds}s of virtual time"),
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

/// Moves the clock to `to`, firing every timer due on the way (patient ones included).
pub fn advance_to(api: &mut Api, plane: &Plane, to: Timestamp) -> Result<Vec<TraceLine>, ApiError> {
    let mut run = Run::new(api, plane);
    run.fire_due(api);
    run.drain(api)?;
    while let Some(t) = run.next_timer(false) {
        if t > to {
            break;
        }
        api.set_now(t.max(api.now()));
        run.fire_due(api);
        run.drain(api)?;
    }
    api.set_now(to);
    run.fire_due(api);
    run.drain(api)?;
    Ok(run.finish(api))
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
    let moved = match run.next_timer(settling_only) {
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
