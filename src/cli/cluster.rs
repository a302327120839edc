//! The cluster assembled: which control loops run (the controllers of kube-controller-manager,
//! then the scheduler and the kubelets), and opening a state with them. This is the only
//! place that names them all; the engine below runs whatever [`PLANE`] lists.

use crate::api::Api;
use crate::api::bootstrap;
use crate::api::errors::ApiError;
use crate::engine::{self, Controller, Plane};
use crate::sim::{kubelet, scheduler};
use crate::store::{Access, Store, StoreError};
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
                engine::settle(&mut api, &PLANE, 1000).map_err(|e| StoreError(e.to_string()))?;
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
        api.catch_up_until = Some(wall);
        let r = engine::advance_to(api, &PLANE, wall);
        api.catch_up_until = None;
        r?;
    }
    Ok(())
}
