//! The simulated node side of the cluster: the scheduler and the kubelet, each a directory of
//! pure decision modules plus a `controller.rs` that talks to the API (see each module's docs
//! for its layout).

pub mod kubelet;
pub mod scheduler;
