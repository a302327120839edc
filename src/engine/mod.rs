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

pub mod bootstrap;
pub mod names;

use crate::api::Ptr;
use crate::api::errors::ApiError;
use crate::api::{Api, Change};
use crate::controllers::{self, Controller};
use crate::store::{Access, Store, StoreError};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

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

/// Opens (or creates with the default cluster) the state at `dir`.
/// With `Access::Read` and no state yet, a default cluster is created in memory only.
pub fn open(dir: &Path, access: Access) -> Result<Api, StoreError> {
    let store = match Store::open(dir, access)? {
        Some(s) => s,
        None => {
            // A fresh state: build the default cluster. Readers get it too (and it is
            // committed if they hold... a write lock only).
            drop(Store::open(dir, Access::Write)?);
            let mut s = Store::create(dir, bootstrap::fresh_meta())?;
            if access == Access::Write || !Store::exists(dir) {
                let mut api = Api::new(s);
                bootstrap::default_cluster(&mut api).map_err(|e| StoreError(e.to_string()))?;
                settle(&mut api, 1000).map_err(|e| StoreError(e.to_string()))?;
                api.changes.clear();
                api.commit()?;
                s = api.store;
                drop(s);
                return open(dir, access);
            }
            s
        }
    };
    let mut api = Api::new(store);
    if access == Access::Write {
        catch_up_wall_clock(&mut api).map_err(|e| StoreError(e.to_string()))?;
    } else if api.store.meta.follow_wall_clock && wall_now() > api.now() {
        // A practice state whose clock follows the wall clock: a read first lets the time
        // that passed happen (under the write lock), so AGE and back-offs read like a real
        // cluster's.
        drop(api);
        let mut w = open(dir, Access::Write)?;
        w.commit()?;
        drop(w);
        return Ok(Api::new(Store::open(dir, Access::Read)?.ok_or_else(
            || StoreError(format!("the state at {} disappeared", dir.display())),
        )?));
    }
    Ok(api)
}

/// The wall clock, whole seconds (only for following it; the engine never reads it).
fn wall_now() -> Timestamp {
    let wall = Timestamp::now();
    Timestamp::from_second(wall.as_second()).unwrap_or(wall)
}

/// For practice states: move the virtual clock to the wall clock, running what fell due on
/// the way (jumping from timer to timer).
fn catch_up_wall_clock(api: &mut Api) -> Result<(), ApiError> {
    if !api.store.meta.follow_wall_clock {
        return Ok(());
    }
    let wall = wall_now();
    if wall > api.now() {
        advance_to(api, wall)?;
    }
    Ok(())
}

fn all_controllers() -> Vec<Box<dyn Controller>> {
    controllers::all()
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
    queues: Queues,
    timers: Timers,
    seen: usize,
    trace: Vec<TraceLine>,
    /// `KUBESIM_PROFILE=1`: syncs and wall time per controller, printed on stderr at the end.
    profile: Option<Vec<(u64, std::time::Duration)>>,
}

impl Run {
    fn new(api: &Api) -> Run {
        let ctrls = all_controllers();
        let n = ctrls.len();
        let queues = Queues::new(&ctrls);
        Run {
            ctrls,
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
            if api.trace && !crate::sim::kubelet_loop::is_lease_renewal(&ch) {
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
pub fn settle(api: &mut Api, max_seconds: i64) -> Result<Vec<TraceLine>, ApiError> {
    let mut run = Run::new(api);
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
pub fn step(api: &mut Api, n: u64) -> Result<Vec<TraceLine>, ApiError> {
    let mut run = Run::new(api);
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
pub fn advance_to(api: &mut Api, to: Timestamp) -> Result<Vec<TraceLine>, ApiError> {
    let mut run = Run::new(api);
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
pub fn enqueue_only(api: &mut Api) {
    let mut run = Run::new(api);
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
pub fn run_next(api: &mut Api, limit: Timestamp, settling_only: bool) -> Result<bool, ApiError> {
    let mut run = Run::new(api);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::kinds::by_kind;
    use serde_json::json;

    const T0: &str = "2026-01-01T00:00:00Z";

    fn t(secs: i64) -> String {
        crate::api::fmt_time(T0.parse::<Timestamp>().unwrap() + SignedDuration::from_secs(secs))
    }

    /// A fresh default cluster at `T0`, settled, its own creation already handed over.
    fn api(name: &str) -> (Api, std::path::PathBuf) {
        let d = std::env::temp_dir().join(format!("kubesim-engine-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let mut meta = bootstrap::fresh_meta();
        meta.clock = T0.into();
        meta.created = T0.into();
        meta.follow_wall_clock = false;
        let mut api = Api::new(Store::create(&d, meta).unwrap());
        bootstrap::default_cluster(&mut api).unwrap();
        settle(&mut api, 1000).unwrap();
        api.changes.clear();
        api.dispatched = 0;
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

    /// Guards rule 3's second half (a delayed requeue keeps the earliest time), that settling
    /// waits for a key once any of its requeues asked it to, and the order timers fire in.
    #[test]
    fn timers_keep_the_earliest_time_per_key_and_fire_in_time_order() {
        let mut ts = Timers::default();
        ts.add(t(30), "c", "k", false);
        ts.add(t(10), "c", "k", false);
        ts.add(t(20), "c", "k", true);
        ts.add(t(5), "d", "k", false);
        ts.add(t(15), "c", "other", true);
        assert_eq!(
            ts.to_vec(),
            [
                Timer {
                    at: t(5),
                    controller: "d".into(),
                    key: "k".into(),
                    settles: false
                },
                Timer {
                    at: t(10),
                    controller: "c".into(),
                    key: "k".into(),
                    settles: true
                },
                Timer {
                    at: t(15),
                    controller: "c".into(),
                    key: "other".into(),
                    settles: true
                },
            ]
        );
        assert_eq!(ts.next(false), Some(&t(5)));
        assert_eq!(ts.next(true), Some(&t(10)));
        // The saved form reads back the same.
        assert_eq!(Timers::from_vec(ts.to_vec()).to_vec(), ts.to_vec());
        assert_eq!(ts.take_due(&t(4)), Vec::<(String, String)>::new());
        assert_eq!(
            ts.take_due(&t(10)),
            [("d".into(), "k".into()), ("c".into(), "k".into())]
        );
        // Gone once fired: a later requeue of the key stands on its own.
        ts.add(t(40), "c", "k", false);
        assert_eq!(ts.next(true), Some(&t(15)));
        assert_eq!(ts.take_due(&t(100)).len(), 2);
        assert_eq!((ts.next(false), ts.next(true)), (None, None));
    }

    fn timer(at: String, controller: &str, key: &str, settles: bool) -> Timer {
        Timer {
            at,
            controller: controller.into(),
            key: key.into(),
            settles,
        }
    }

    /// Guards settle's stop rule: it moves the clock to each timer settling waits for and
    /// runs it, and stops when only patient timers are left (they stay saved, unfired, and
    /// the clock does not move to them); one beyond the bound is an error, not a hang.
    #[test]
    fn settle_runs_the_timers_it_waits_for_and_stops_at_patient_ones() {
        let (mut api, d) = api("settle");
        let rc = "replication-controller";
        // Timers of a real controller for a key that names nothing: their syncs are no-ops.
        save_timers(
            &mut api,
            &[
                timer(t(30), rc, "default/nothing", true),
                timer(t(60), rc, "default/later", false),
            ],
        );
        settle(&mut api, 1000).unwrap();
        assert_eq!(crate::api::fmt_time(api.now()), t(30));
        assert_eq!(
            load_timers(&api),
            [timer(t(60), rc, "default/later", false)]
        );
        // Only a patient timer: settling does nothing at all.
        settle(&mut api, 1000).unwrap();
        assert_eq!(crate::api::fmt_time(api.now()), t(30));
        assert_eq!(pending_timers(&api), 1);
        // A timer settling waits for beyond the bound.
        save_timers(&mut api, &[timer(t(5000), rc, "default/far", true)]);
        let e = settle(&mut api, 100).unwrap_err();
        assert!(e.message.contains("did not settle within 100s"), "{e}");
        let _ = std::fs::remove_dir_all(&d);
    }

    /// Guards `step N`: exactly N virtual seconds pass, timers fire at their second (patient
    /// ones too), and the trace says who did what at which time.
    #[test]
    fn step_runs_n_ticks_and_traces_each_component() {
        let (mut api, d) = api("step");
        api.trace = true;
        api.create(
            by_kind("ReplicationController").unwrap(),
            "default",
            json!({"metadata": {"name": "web"}, "spec": {"replicas": 1,
                "selector": {"app": "web"},
                "template": {"metadata": {"labels": {"app": "web"}},
                             "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}),
        )
        .unwrap();
        let rc = "replication-controller";
        save_timers(&mut api, &[timer(t(2), rc, "default/web", false)]);
        let trace = step(&mut api, 3).unwrap();
        assert_eq!(crate::api::fmt_time(api.now()), t(3));
        assert!(load_timers(&api).iter().all(|x| x.at != t(2)), "fired");
        let line = |actor: &str, prefix: &str| {
            trace
                .iter()
                .find(|l| l.actor == actor && l.what.starts_with(prefix))
                .unwrap_or_else(|| panic!("no `{prefix}` by {actor:?} in {trace:#?}"))
        };
        let created = line("", "created ReplicationController default/web");
        assert_eq!(crate::api::fmt_time(created.at), T0);
        let pod = line(rc, "created Pod default/web-");
        assert_eq!(crate::api::fmt_time(pod.at), T0);
        line(
            rc,
            "event SuccessfulCreate ReplicationController/web: Created pod: web-",
        );
        line("default-scheduler", "bound Pod default/web-");
        // Time only moves forward in the trace.
        assert!(trace.windows(2).all(|w| w[0].at <= w[1].at));
        // step 0 runs what is due without moving the clock.
        step(&mut api, 0).unwrap();
        assert_eq!(crate::api::fmt_time(api.now()), t(3));
        let _ = std::fs::remove_dir_all(&d);
    }
}
