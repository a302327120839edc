//! The cluster assembled: which control loops run (the controllers of kube-controller-manager,
//! then the scheduler and the kubelets), and opening a state with them. This is the only
//! place that names them all; the engine below runs whatever [`PLANE`] lists.

use crate::api::Api;
use crate::api::errors::ApiError;
use crate::api::{bootstrap, system};
use crate::engine::{self, Controller, Plane};
use crate::sim::{kubelet, scheduler};
use crate::store::{self, Access, Store, StoreError};
use jiff::Timestamp;
use std::path::Path;

/// The control plane every command runs.
pub const PLANE: Plane = Plane {
    controllers,
    untraced: kubelet::is_lease_renewal,
};

/// Every control loop, in the order they run within a tick: kube-controller-manager's, then
/// the scheduler, then the kubelets.
pub fn controllers() -> Vec<Box<dyn Controller>> {
    let mut all = crate::controllers::all();
    all.push(Box::new(scheduler::Scheduler::default()));
    all.push(Box::new(kubelet::Kubelets::default()));
    all
}

/// Opens (or creates with the default cluster) the state at `dir`.
/// With `Access::Read` and no state yet, the default cluster is created (and committed) first.
pub fn open(dir: &Path, access: Access) -> Result<Api, StoreError> {
    bootstrap::env_settings().map_err(StoreError)?;
    let store = match access {
        Access::Write => {
            let (store, fresh) = Store::open_or_create(dir, || boot_meta(Shape::Kind))?;
            if fresh {
                let api = default_cluster(store, Shape::Kind)?;
                drop(api);
                return open(dir, access);
            }
            store
        }
        Access::Read => match Store::open(dir, Access::Read)? {
            Some(s) => s,
            None => {
                drop(open(dir, Access::Write)?);
                return open(dir, access);
            }
        },
    };
    check_engine_state(&store)?;
    let mut api = Api::new(store);
    if access == Access::Write {
        catch_up_wall_clock(&mut api).map_err(|e| StoreError(e.to_string()))?;
    } else if api.store.meta.follow_wall_clock && wall_now() > api.now() {
        // A practice state whose clock follows the wall clock: a read first lets the time
        // that passed happen, so AGE, restarts and back-offs read like a real cluster's. It
        // does so in memory, under the shared lock, and writes nothing: what the catch-up
        // computes follows from the state and the wall clock alone (deterministic names,
        // lazy periodic work), so the next command computes it again from where the state
        // was, to the same effect, and a mutating one commits it. When nothing falls due on
        // the way (no timer, no Event sweep), only the clock moves.
        let wall = wall_now();
        if catch_up_runs_something(&api, wall) {
            catch_up_to(&mut api, wall).map_err(|e| StoreError(e.to_string()))?;
            // What a commit would have swept.
            api.expire_events()?;
            api.changes.clear();
            api.dispatched = 0;
        } else {
            api.set_now(wall);
        }
        return Ok(api);
    }
    Ok(api)
}

/// Whether moving the clock of `api` to `to` would run anything (a timer of any kind falls
/// due, or the Event sweep) — whether a catch-up has more to do than move the clock.
fn catch_up_runs_something(api: &Api, to: Timestamp) -> bool {
    engine::due_by(api, to) || api.event_sweep_due(to)
}

/// What a new state holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The default: a kind cluster as `kind create cluster` leaves it (the nodes, namespaces,
    /// `kubernetes` Service and StorageClass of [`bootstrap::default_cluster`], and kind's
    /// system workloads of [`system::kind_system`], run by the controllers and settled).
    Kind,
    /// `reset --bare`: the nodes, namespaces, `kubernetes` Service and StorageClass only.
    Bare,
}

/// How long before the clock's start (`KUBESIM_START_TIME`, or the wall clock) a kind-shaped
/// cluster was made: its system pods have settled by then, as a kind cluster has by the time
/// its user types a first command, and what the user does starts at the start time.
pub const BOOT_SECONDS: i64 = 60;

/// The manifest of a new state of `shape`: a kind-shaped one begins [`BOOT_SECONDS`] early.
fn boot_meta(shape: Shape) -> Result<store::Meta, StoreError> {
    let mut meta = bootstrap::fresh_meta().map_err(StoreError)?;
    if shape == Shape::Kind
        && let Some(start) = crate::api::parse_time(&meta.clock)
    {
        let boot = crate::api::fmt_time(start - jiff::SignedDuration::from_secs(BOOT_SECONDS));
        meta.clock = boot.clone();
        meta.created = boot;
    }
    Ok(meta)
}

/// `kubesim reset`: whatever is at `dir` (even a state that does not load) is replaced by a
/// fresh cluster of `shape`, under one exclusive lock.
/// Its Events live `event_ttl_secs` (kube-apiserver's `--event-ttl`).
pub fn reset(dir: &Path, event_ttl_secs: i64, shape: Shape) -> Result<(), StoreError> {
    let mut meta = boot_meta(shape)?;
    if event_ttl_secs != crate::api::DEFAULT_EVENT_TTL.as_secs() {
        meta.settings.insert(
            crate::api::EVENT_TTL_SETTING.to_string(),
            event_ttl_secs.to_string(),
        );
    }
    let store = Store::reset(dir, meta)?;
    default_cluster(store, shape).map(drop)
}

/// Builds and commits the cluster of `shape` in a new, empty state: a kind-shaped one is
/// settled by the control plane, then its clock moved on to the start time.
fn default_cluster(store: Store, shape: Shape) -> Result<Api, StoreError> {
    let err = |e: ApiError| StoreError(e.to_string());
    let mut api = Api::new(store);
    bootstrap::default_cluster(&mut api).map_err(err)?;
    if shape == Shape::Kind {
        let start = api.now() + jiff::SignedDuration::from_secs(BOOT_SECONDS);
        system::kind_system(&mut api).map_err(err)?;
        engine::settle(&mut api, &PLANE, 1000).map_err(err)?;
        engine::advance_to(&mut api, &PLANE, start).map_err(err)?;
    } else {
        engine::settle(&mut api, &PLANE, 1000).map_err(err)?;
    }
    api.changes.clear();
    api.commit()?;
    Ok(api)
}

/// The engine's part of the manifest must be what the engine reads (timers of the wrong
/// shape are a corrupt state, not silently none).
fn check_engine_state(store: &Store) -> Result<(), StoreError> {
    engine::check_state(&store.meta.engine).map_err(|e| {
        StoreError(format!(
            "the state at {} is corrupt ({}: {e}); run `kubesim reset` to start over",
            store.dir().display(),
            store.dir().join("meta.json").display()
        ))
    })
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
        catch_up_to(api, wall)?;
    }
    Ok(())
}

/// Moves the clock of a state that follows the wall clock to `wall` (the CronJob controller
/// runs only the latest missed schedule, as after a controller-manager outage).
fn catch_up_to(api: &mut Api, wall: Timestamp) -> Result<(), ApiError> {
    api.catch_up_until = Some(wall);
    let r = engine::advance_to(api, &PLANE, wall);
    api.catch_up_until = None;
    r.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    /// Guards the read's shortcut on a state that follows the wall clock: a read finds work
    /// to run (in memory; a read never commits) only when a timer or the Event sweep falls
    /// due before the wall clock; otherwise it only moves the clock.
    #[test]
    fn a_read_catches_up_only_when_something_falls_due() {
        let d = std::env::temp_dir().join(format!("kubesim-cluster-read-{}", std::process::id()));
        let t0 = "2026-01-01T00:00:00Z";
        let mut api = bootstrap::scratch_api(&d, t0);
        bootstrap::default_cluster(&mut api).unwrap();
        engine::settle(&mut api, &PLANE, 1000).unwrap();
        let at = |s: i64| t0.parse::<Timestamp>().unwrap() + SignedDuration::from_secs(s);
        assert_eq!(api.now(), at(0));
        // The first Lease renewals are due 10 s on: nothing before.
        assert!(!catch_up_runs_something(&api, at(9)));
        assert!(catch_up_runs_something(&api, at(10)));
        assert!(catch_up_runs_something(&api, at(30 * 86_400)));
        // An Event sweep due counts as well, timers or not.
        api.store.meta.event_sweep = Some(crate::api::fmt_time(at(5)));
        assert!(!catch_up_runs_something(&api, at(4)));
        assert!(catch_up_runs_something(&api, at(5)));
        let _ = std::fs::remove_dir_all(&d);
    }
}
